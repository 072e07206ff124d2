from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

from sme_registry import validators
from sme_registry.models.choices import Education, Sex


class Owner(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
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

    search_fields = [index.SearchField("full_name"), index.AutocompleteField("full_name")]

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
        errors = {}
        if self.phone:
            try:
                self.phone = validators.normalize_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if self.desa_id and self.kecamatan_id and self.desa.kecamatan_id != self.kecamatan_id:
            errors["desa"] = [_("This desa/kelurahan is not in the chosen kecamatan.")]
        if errors:
            raise ValidationError(errors)
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
