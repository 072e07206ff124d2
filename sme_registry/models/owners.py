from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

from core.rules import Rule, RulesMixin
from sme_registry import validators
from sme_registry.models.choices import Education, Sex
from sme_registry.models.regions import REGION_RULES


def _phone(owner):
    """Stored as +62…, however it was typed."""
    if owner.phone:
        owner.phone = validators.normalize_phone(owner.phone)


def _birth_date(owner):
    if owner.birth_date is None:
        return
    today = timezone.localdate()
    if owner.birth_date > today:
        raise ValidationError(_("The birth date cannot be in the future."), code="future")
    if owner.birth_date < today.replace(year=today.year - 120):
        raise ValidationError(_("Check the birth year."), code="too_old")


class Owner(RulesMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """The person behind one or more businesses, identified by NIK.

    Personal data (UU 27/2022): the NIK, phone, address and birth date are shown
    masked unless the viewer's role needs them. Like a business, an owner's
    changes wait as a draft revision until staff validate them.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    nik = models.CharField(
        _("NIK"), max_length=16, unique=True, validators=[validators.validate_nik]
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone / WhatsApp"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("home address"), max_length=500)
    kecamatan = models.ForeignKey(
        "sme_registry.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    desa = models.ForeignKey(
        "sme_registry.Desa",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    disability_note = models.CharField(
        _("disability (optional detail)"), max_length=200, blank=True
    )
    nik_outside_bogor = models.BooleanField(
        _("NIK issued outside Kabupaten Bogor"), default=False, editable=False
    )
    birth_date_mismatch = models.BooleanField(
        _("birth date differs from NIK"), default=False, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    rules = (
        *REGION_RULES,
        Rule(("phone",), _phone),
        Rule(("birth_date",), _birth_date),
    )

    search_fields = [
        index.SearchField("full_name"),
        index.AutocompleteField("full_name"),
        index.FilterField("id"),  # what the permission scope filters on
    ]

    class Meta:
        indexes = [models.Index(fields=["full_name"], name="owner_name_idx")]  # list order
        verbose_name = _("owner")
        verbose_name_plural = _("owners")

    def __str__(self):
        return self.full_name

    @property
    def masked_nik(self):
        return validators.mask_nik(self.nik)

    @property
    def masked_phone(self):
        return validators.mask_phone(self.phone)

    def clean(self):
        super().clean()
        self.refresh_flags()

    def refresh_flags(self):
        """Warnings that never block: a NIK from elsewhere, a birth date that differs."""
        try:
            info = validators.parse_nik(self.nik)
        except ValidationError:
            return
        self.nik_outside_bogor = not info.issued_in_bogor
        self.birth_date_mismatch = validators.nik_birth_date_mismatch(
            self.nik, self.birth_date, self.sex
        )
