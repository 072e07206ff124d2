from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from core.rules import Rule, RulesMixin
from sme_registry import uploads, validators
from sme_registry.enums import Status
from sme_registry.kbli import KBLI_CATEGORIES, validate_kbli_code, validate_kbli_matches_category
from sme_registry.models.choices import DocumentKind, LegalForm, Source
from sme_registry.models.regions import REGION_RULES
from sme_registry.scale import Scale, compute_scale

MONEY_VALIDATORS = [validators.validate_money]
RT_RW_VALIDATOR = RegexValidator(r"^\d{1,3}$", _("Up to 3 digits."), code="rt_rw")
POSTAL_CODE_VALIDATOR = RegexValidator(r"^\d{5}$", _("A postal code has 5 digits."), code="postal")
COUNT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(validators.WORKERS_MAX)]
# A shop or marketplace address that visitors open: only the web's own schemes.
PUBLIC_LINK_VALIDATOR = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)


def _money_field(verbose_name, help_text=""):
    return models.DecimalField(
        verbose_name,
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
        help_text=help_text,
    )


def _kbli_matches_category(business):
    if business.kbli_code and business.kbli_category:
        validate_kbli_matches_category(business.kbli_code, business.kbli_category)


def _coordinates(business):
    validators.validate_coordinates(business.latitude, business.longitude)


def _disabled_within_workers(business):
    total = (business.workers_male or 0) + (business.workers_female or 0)
    if (business.workers_disabled or 0) > total:
        raise ValidationError(
            _("Cannot be more than the male and female workers together."),
            code="disabled_workers",
        )


def _sales_or_capital(business):
    if business.capital is None and business.annual_sales is None:
        raise ValidationError(
            _("Fill in the sales or the capital (an estimate is fine)."), code="money_missing"
        )


def _nib_of_this_owner(business):
    from sme_registry.selectors import nib_taken_by_other_owner

    if (
        business.nib
        and business.owner_id
        and nib_taken_by_other_owner(business.nib, business.owner_id, exclude_business=business.pk)
    ):
        raise ValidationError(
            _("This NIB is registered to another business owner."), code="nib_taken"
        )


def _not_merged_into_itself(business):
    if business.merged_into_id and business.merged_into_id == business.pk:
        raise ValidationError(_("These records cannot be merged."), code="merged_into_itself")


def _public_phone(business):
    """Stored as +62…, however it was typed, like the owner's own phone."""
    if business.public_phone:
        business.public_phone = validators.normalize_phone(business.public_phone)


def _public_contact_only_when_listed(business):
    """The public contact is given for the directory: without the opt-in it is not kept."""
    if not business.directory_opt_in:
        business.public_phone = ""
        business.public_link = ""


def _money_not_negative(name):
    return models.CheckConstraint(
        condition=models.Q(**{f"{name}__isnull": True}) | models.Q(**{f"{name}__gte": 0}),
        name=f"business_{name}_not_negative",
        violation_error_message=_("The amount cannot be negative."),
    )


class StateGuardedQuerySet(models.QuerySet):
    """`status` changes only in `sme_registry.transitions`; a bulk update elsewhere raises."""

    def update(self, **kwargs):
        if "status" in kwargs:
            _refuse_state_write()
        return super().update(**kwargs)


def _refuse_state_write():
    from sme_registry import transitions

    if not transitions.state_write_allowed():
        raise PermissionDenied("A business's status changes only through sme_registry.transitions.")


class Business(
    RulesMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    """A registered UMKM.

    The validated version is the live one; what an applicant submits or later
    changes waits as a draft revision until staff validate it (Wagtail's
    moderation workflow, like a page).
    """

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    # Written only by `sme_registry.transitions`: no form can set it.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
        editable=False,
    )
    owner = models.ForeignKey(
        "sme_registry.Owner",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="businesses",
    )
    owner_confirmed = models.BooleanField(
        _("confirmed by the owner"),
        default=True,
        help_text=_(
            "False when someone registered this business with an NIK that was "
            "already registered: the owner confirms it through a private link."
        ),
    )
    owner_claim = models.JSONField(
        _("owner details as submitted"), default=dict, blank=True, editable=False
    )

    # The business
    name = models.CharField(_("business name"), max_length=150)
    nib = models.CharField(
        _("NIB"), max_length=13, blank=True, db_index=True, validators=[validators.validate_nib]
    )
    legal_form = models.CharField(
        _("legal form"), max_length=12, choices=LegalForm.choices, default=LegalForm.PERORANGAN
    )
    kbli_category = models.CharField(_("sector (KBLI 2020)"), max_length=1, choices=KBLI_CATEGORIES)
    kbli_code = models.CharField(
        _("KBLI code"), max_length=5, blank=True, validators=[validate_kbli_code]
    )
    main_product = models.CharField(_("main product or service"), max_length=150)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    year_started = models.PositiveSmallIntegerField(
        _("year started"), validators=[validators.validate_year_started]
    )

    # Where it is
    address = models.TextField(_("business address"), max_length=500)
    kecamatan = models.ForeignKey(
        "sme_registry.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="businesses",
    )
    desa = models.ForeignKey(
        "sme_registry.Desa",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="businesses",
    )
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[RT_RW_VALIDATOR])
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[RT_RW_VALIDATOR])
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[POSTAL_CODE_VALIDATOR]
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # Money and workers
    workers_male = models.PositiveIntegerField(
        _("male workers"), default=0, validators=COUNT_VALIDATORS
    )
    workers_female = models.PositiveIntegerField(
        _("female workers"), default=0, validators=COUNT_VALIDATORS
    )
    workers_disabled = models.PositiveIntegerField(
        _("workers with a disability"), default=0, validators=COUNT_VALIDATORS
    )
    capital = _money_field(_("business capital (Rp)"), _("Excluding land and buildings."))
    annual_sales = _money_field(_("annual sales (Rp)"))
    assets = _money_field(_("assets (Rp)"))
    reported_scale = models.CharField(
        _("scale (as reported)"), max_length=10, choices=Scale.choices, blank=True
    )
    computed_scale = models.CharField(
        _("scale (computed)"), max_length=10, choices=Scale.choices, blank=True, editable=False
    )
    scale_mismatch = models.BooleanField(_("scale mismatch"), default=False, editable=False)

    # Marketing
    has_shop = models.BooleanField(_("shop or stall"), default=False)
    sells_on_marketplace = models.BooleanField(_("sells on a marketplace"), default=False)
    uses_social_media = models.BooleanField(_("sells through social media"), default=False)
    accepts_qris = models.BooleanField(_("accepts QRIS"), default=False)
    online_store_links = models.TextField(
        _("marketplace or social media addresses"), max_length=500, blank=True
    )

    # Consent (UU 27/2022) and publication
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, editable=False)
    consent_version = models.CharField(
        _("consent text version"), max_length=20, blank=True, editable=False
    )
    directory_opt_in = models.BooleanField(_("listed in the public directory"), default=False)
    public_phone = models.CharField(
        _("public phone / WhatsApp"),
        max_length=20,
        blank=True,
        help_text=_(
            "A shop number shown in the public directory; never the owner's own number "
            "unless the owner gives it here."
        ),
    )
    # A CharField: URLField would add its own check (which allows ftp://) and message.
    public_link = models.CharField(
        _("shop or marketplace link"),
        max_length=200,
        blank=True,
        validators=[PUBLIC_LINK_VALIDATOR],
        help_text=_("Shown in the public directory, e.g. https://shopee.co.id/your-shop."),
    )
    # The directory's address of the business: random, so it says nothing of the record.
    public_code = models.CharField(_("directory code"), max_length=8, unique=True, editable=False)

    # Provenance
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.PUBLIC_FORM
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentored_businesses",
    )
    outreach_session = models.ForeignKey(
        "sme_registry.OutreachSession",
        verbose_name=_("outreach session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="businesses",
        editable=False,
        help_text=_("The outreach session whose link or poster the registration came from."),
    )
    registration_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("registration page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    extra_answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True)
    possible_duplicates = models.ManyToManyField(
        "self",
        verbose_name=_("likely duplicates"),
        blank=True,
        symmetrical=False,
        related_name="+",
    )
    review_note = models.TextField(
        _("reason given by the reviewer"),
        blank=True,
        editable=False,
        help_text=_("Shown to the applicant when changes are requested or the record is rejected."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    review_base_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("version sent back for changes"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    # Checked by every form and service that validates a business (see core.rules).
    rules = (
        *REGION_RULES,
        Rule(("kbli_code", "kbli_category"), _kbli_matches_category, "kbli_code"),
        Rule(("latitude", "longitude"), _coordinates, "latitude"),
        Rule(
            ("workers_male", "workers_female", "workers_disabled"),
            _disabled_within_workers,
            "workers_disabled",
        ),
        Rule(("capital", "annual_sales"), _sales_or_capital, "annual_sales"),
        Rule(("nib", "owner"), _nib_of_this_owner, "nib"),
        # First: a contact the owner typed without opting in is dropped, not judged.
        Rule(
            ("directory_opt_in", "public_phone", "public_link"),
            _public_contact_only_when_listed,
            "directory_opt_in",
        ),
        Rule(("public_phone",), _public_phone),
        Rule(("merged_into",), _not_merged_into_itself),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("main_product"),
        index.FilterField("nib"),
        # What the permission scope filters on, so a scoped search can apply it.
        index.FilterField("id"),
        index.FilterField("kecamatan"),
        index.FilterField("mentor"),
        index.FilterField("status"),
        index.FilterField("owner"),
    ]

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        permissions = [
            ("see_all_kecamatan", _("Can see records of every kecamatan")),
            ("view_personal_data", _("Can see unmasked personal data")),
            ("assign_mentor", _("Can assign mentors to businesses")),
            ("mentor_business", _("Can be assigned as a mentor")),
            ("archive_business", _("Can archive businesses")),
            ("view_analysis", _("Can see the registry's figures (Analisis)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    workers_disabled__lte=models.F("workers_male") + models.F("workers_female")
                ),
                name="business_disabled_within_workers",
                violation_error_message=_(
                    "Cannot be more than the male and female workers together."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(capital__isnull=False) | models.Q(annual_sales__isnull=False),
                name="business_sales_or_capital",
                violation_error_message=_(
                    "Fill in the sales or the capital (an estimate is fine)."
                ),
            ),
            _money_not_negative("capital"),
            _money_not_negative("annual_sales"),
            _money_not_negative("assets"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="business_coordinates_both_or_neither",
                violation_error_message=_(
                    "Enter both latitude and longitude, or leave both empty."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="business_not_merged_into_itself",
                violation_error_message=_("These records cannot be merged."),
            ),
        ]
        indexes = [
            models.Index(fields=["kecamatan", "status"]),
            # The staff API's "what changed since" pages: keyset order (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="business_updated_id_idx"),
            # The operator's queue: one kecamatan, one state, newest first.
            models.Index(
                fields=["kecamatan", "status", "-submitted_at"], name="business_queue_idx"
            ),
            # The admin list sorted by name: 50 rows read from the index, not a sort of all.
            models.Index(fields=["name"], name="business_name_idx"),
            # The public directory: the listed records only, in the order it shows them.
            models.Index(
                Lower("name"),
                "id",
                name="business_directory_idx",
                condition=models.Q(status=Status.VALIDATED, live=True, directory_opt_in=True),
            ),
        ]

    objects = StateGuardedQuerySet.as_manager()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def save(self, *args, **kwargs):
        # A new record starts SUBMITTED; a status changed on the object is refused here too.
        loaded = getattr(self, "_loaded_status", Status.SUBMITTED)
        if "status" in self.__dict__ and self.status != loaded:
            _refuse_state_write()
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def __str__(self):
        return self.name

    @property
    def workers_total(self):
        return (self.workers_male or 0) + (self.workers_female or 0)

    @property
    def extra_answers_text(self):
        """The editors' extra questions and their answers, for exports."""
        from sme_registry.selectors import extra_answers

        return "; ".join(f"{question}: {answer}" for question, answer in extra_answers(self))

    @property
    def tracking_code_display(self):
        code = self.tracking_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    # Where the record stands, not what a version says: a revision being
    # published, reverted or opened as a draft never brings these back. The
    # mentor and the outreach session are the office's facts about the record,
    # not data the applicant submits for validation.
    RECORD_STATE_FIELDS = (
        "status",
        "mentor_id",
        "outreach_session_id",
        "owner_confirmed",
        "owner_claim",
        "review_note",
        "review_base_revision_id",
        "merged_into_id",
        "public_code",
    )

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.RECORD_STATE_FIELDS:
            setattr(obj, name, getattr(self, name))
        obj._loaded_status = getattr(self, "_loaded_status", self.status)
        return obj

    def publish(self, revision, *args, **kwargs):
        """Publishing a version is validating it, and only the last review step does that."""
        from sme_registry import transitions

        transitions.check_publication_allowed()
        result = super().publish(revision, *args, **kwargs)
        transitions.validate(self, revision, user=kwargs.get("user"))
        return result

    def refresh_scale(self, today=None):
        computed = compute_scale(
            capital=self.capital,
            annual_sales=self.annual_sales,
            year_started=self.year_started,
            today=today,
        )
        self.computed_scale = computed or ""
        self.scale_mismatch = bool(
            computed and self.reported_scale and self.reported_scale != computed
        )

    def clean(self):
        super().clean()
        self.refresh_scale()


def _issued_not_in_future(document):
    if document.issued_on and document.issued_on > timezone.localdate():
        raise ValidationError(_("The issue date cannot be in the future."), code="issued_future")


def _expires_after_issue(document):
    if document.issued_on and document.expires_on and document.expires_on < document.issued_on:
        raise ValidationError(
            _("The expiry date is before the issue date."), code="expires_before_issue"
        )


class LegalDocument(RulesMixin, Orderable):
    business = ParentalKey(Business, on_delete=models.CASCADE, related_name="legal_documents")
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    file = models.FileField(
        _("scan or photo"), storage=uploads.private_storage, max_length=200, blank=True
    )

    # Files come in through the public form, which cleans them; the admin edits
    # the details only, so nothing reaches private storage unchecked.
    panels = [
        FieldPanel("kind"),
        FieldPanel("number"),
        FieldPanel("issued_on"),
        FieldPanel("expires_on"),
    ]

    rules = (
        Rule(("issued_on",), _issued_not_in_future),
        Rule(("issued_on", "expires_on"), _expires_after_issue, "expires_on"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="legal_document_expires_after_issue",
                violation_error_message=_("The expiry date is before the issue date."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()


class BusinessPhoto(Orderable):
    business = ParentalKey(Business, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), storage=uploads.private_storage, max_length=200)
    caption = models.CharField(_("caption"), max_length=150, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self):
        return self.caption or self.image.name


class IndicatorSnapshot(models.Model):
    """The indicators of one validated version, so growth can be charted."""

    class Origin(models.TextChoices):
        VALIDATION = "validation", _("validation")
        MENTORING = "mentoring", _("mentoring visit")

    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    annual_sales = models.DecimalField(
        _("annual sales"), max_digits=15, decimal_places=0, null=True
    )
    assets = models.DecimalField(_("assets"), max_digits=15, decimal_places=0, null=True)
    capital = models.DecimalField(_("capital"), max_digits=15, decimal_places=0, null=True)
    workers_male = models.PositiveIntegerField(_("male workers"), default=0)
    workers_female = models.PositiveIntegerField(_("female workers"), default=0)
    workers_disabled = models.PositiveIntegerField(_("workers with a disability"), default=0)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True)
    legal_documents = models.JSONField(_("legal documents held"), default=list)

    class Meta:
        ordering = ["business", "taken_at"]
        # Growth reads each business's first and latest snapshot in a period.
        indexes = [models.Index(fields=["business", "taken_at"], name="snapshot_business_taken")]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")

    def __str__(self):
        return f"{self.business} {self.taken_at:%Y-%m-%d}"
