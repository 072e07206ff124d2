"""The registration form, one Django form per step.

The same step forms serve the public multi-step form, the owner's update page
and the staff entry view in the admin; every rule they apply comes from
`sme_registry.validators`.
"""

import datetime
import functools
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sme_registry import validators
from sme_registry.models import Desa, DocumentKind, Education, Kecamatan, LegalForm, Sex

CONSENT_VERSION = "2026-11"
PHOTO_FIELDS = ("photo_1", "photo_2", "photo_3")
DOCUMENT_KINDS = list(DocumentKind)


class RupiahField(forms.DecimalField):
    """Whole rupiah, typed the way people write it: "Rp 15.000.000" or "15000000"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(validators=[validators.validate_money], **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().removeprefix("rp").strip()
            value = value.replace(".", "").replace(",", "").replace(" ", "")
        return super().to_python(value)


class CountField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", validators.WORKERS_MAX)
        kwargs.setdefault("initial", 0)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


@functools.cache
def _regions():
    """The 40 kecamatan and 435 desa, read once per process.

    They are official reference data that only a migration changes, and every
    registration step with a location would otherwise read them again.
    """
    kecamatan = [(k.pk, k.name) for k in Kecamatan.objects.all()]
    groups = {}
    for desa in Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name"):
        groups.setdefault(desa.kecamatan.name, []).append((desa.pk, desa.name))
    return kecamatan, list(groups.items())


def kecamatan_choices():
    return [("", _("— choose —")), *_regions()[0]]


def desa_choices():
    """Desa grouped by kecamatan, so the list is usable without JavaScript."""
    return [("", _("— choose —")), *_regions()[1]]


class RegionFieldsMixin:
    """Kecamatan and desa selects whose pair is checked to belong together."""

    region_required = True

    def add_region_fields(self, prefix=""):
        self.fields[f"{prefix}kecamatan"] = forms.TypedChoiceField(
            label=_("Kecamatan"),
            choices=kecamatan_choices,
            coerce=int,
            required=self.region_required,
            empty_value=None,
        )
        self.fields[f"{prefix}desa"] = forms.TypedChoiceField(
            label=_("Desa/kelurahan"),
            choices=desa_choices,
            coerce=int,
            required=self.region_required,
            empty_value=None,
            help_text=_("Listed by kecamatan."),
            widget=forms.Select(attrs={"data-desa-select": "true"}),
        )
        self.fields[f"{prefix}kecamatan"].widget.attrs["data-kecamatan-select"] = "true"

    def clean_region(self, cleaned, prefix=""):
        kecamatan_id = cleaned.get(f"{prefix}kecamatan")
        desa_id = cleaned.get(f"{prefix}desa")
        if desa_id and kecamatan_id:
            if not Desa.objects.filter(pk=desa_id, kecamatan_id=kecamatan_id).exists():
                self.add_error(
                    f"{prefix}desa", _("This desa/kelurahan is not in the chosen kecamatan.")
                )
        elif desa_id and not kecamatan_id:
            self.add_error(f"{prefix}kecamatan", _("Choose the kecamatan too."))


class OwnerStepForm(RegionFieldsMixin, forms.Form):
    region_required = False

    full_name = forms.CharField(label=_("Full name (as on the KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("The 16-digit number on your KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    phone = forms.CharField(
        label=_("Phone / WhatsApp number"),
        max_length=30,
        help_text=_("For example 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. We send your tracking code and update links here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Home address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    education = forms.ChoiceField(
        label=_("Last education"),
        choices=[("", _("— choose —"))] + Education.choices,
        required=False,
    )
    has_disability = forms.BooleanField(label=_("I have a disability"), required=False)
    disability_note = forms.CharField(
        label=_("Disability (optional detail)"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_region_fields()
        self.fields["kecamatan"].help_text = _("Of your home, if it is in Kabupaten Bogor.")
        self.order_fields(
            [
                "full_name",
                "nik",
                "sex",
                "birth_date",
                "phone",
                "email",
                "address",
                "kecamatan",
                "desa",
            ]
        )

    def clean_nik(self):
        info = validators.parse_nik(self.cleaned_data["nik"])
        return info.nik

    def clean_phone(self):
        return validators.normalize_phone(self.cleaned_data["phone"])

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("The birth date cannot be in the future."), code="future")
        if value < today.replace(year=today.year - 120):
            raise ValidationError(_("Check the birth year."), code="too_old")
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_region(cleaned)
        return cleaned


class BusinessStepForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=150)
    main_product = forms.CharField(
        label=_("Main product or service"),
        max_length=150,
        help_text=_("For example: cassava chips, tailoring, coffee stall."),
    )
    kbli_category = forms.ChoiceField(
        label=_("Business sector"), choices=[("", _("— choose —"))] + validators.KBLI_CATEGORIES
    )
    kbli_code = forms.CharField(
        label=_("KBLI code"),
        max_length=5,
        required=False,
        help_text=_("Optional: the 5-digit code on your NIB."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    nib = forms.CharField(
        label=_("NIB"),
        max_length=20,
        required=False,
        help_text=_("Optional: the 13-digit Nomor Induk Berusaha from OSS."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    year_started = forms.IntegerField(
        label=_("Year the business started"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    has_shop = forms.BooleanField(label=_("Shop or stall"), required=False)
    sells_on_marketplace = forms.BooleanField(label=_("Marketplace (online shop)"), required=False)
    uses_social_media = forms.BooleanField(label=_("Social media"), required=False)
    accepts_qris = forms.BooleanField(label=_("Accepts QRIS payments"), required=False)
    online_store_links = forms.CharField(
        label=_("Online shop or social media addresses"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_nib(self):
        value = self.cleaned_data["nib"]
        return validators.normalize_nib(value) if value.strip() else ""

    def clean_kbli_code(self):
        value = self.cleaned_data["kbli_code"].strip()
        if value:
            validators.validate_kbli_code(value)
        return value

    def clean_year_started(self):
        value = self.cleaned_data["year_started"]
        validators.validate_year_started(value)
        return value

    def clean(self):
        cleaned = super().clean()
        code, category = cleaned.get("kbli_code"), cleaned.get("kbli_category")
        if code and category:
            try:
                validators.validate_kbli_matches_category(code, category)
            except ValidationError as exc:
                self.add_error("kbli_code", exc)
        return cleaned


class LocationStepForm(RegionFieldsMixin, forms.Form):
    address = forms.CharField(
        label=_("Business address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    rt = forms.RegexField(
        label=_("RT"),
        regex=r"^\d{1,3}$",
        required=False,
        max_length=3,
        error_messages={"invalid": _("Up to 3 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    rw = forms.RegexField(
        label=_("RW"),
        regex=r"^\d{1,3}$",
        required=False,
        max_length=3,
        error_messages={"invalid": _("Up to 3 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{5}$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("A postal code has 5 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("Optional, from the map app on your phone, e.g. -6.481234."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("Optional, e.g. 106.854321."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_region_fields()
        self.order_fields(["address", "kecamatan", "desa", "rt", "rw", "postal_code"])

    def clean(self):
        cleaned = super().clean()
        self.clean_region(cleaned)
        try:
            validators.validate_coordinates(cleaned.get("latitude"), cleaned.get("longitude"))
        except ValidationError as exc:
            self.add_error("latitude", exc)
        return cleaned


class FinanceStepForm(forms.Form):
    capital = RupiahField(
        label=_("Business capital (Rp)"),
        help_text=_("Excluding land and buildings. For example 15.000.000."),
    )
    annual_sales = RupiahField(label=_("Sales in the last year (Rp)"))
    assets = RupiahField(label=_("Assets (Rp)"), help_text=_("Optional."))
    workers_male = CountField(label=_("Male workers"))
    workers_female = CountField(label=_("Female workers"))
    workers_disabled = CountField(label=_("Of whom workers with a disability"))
    reported_scale = forms.ChoiceField(
        label=_("Your business scale, as you know it"),
        choices=[("", _("I don't know"))] + list(validators.Scale.choices),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("capital") is None and cleaned.get("annual_sales") is None:
            self.add_error(
                "annual_sales", _("Fill in the sales or the capital (an estimate is fine).")
            )
        total = (cleaned.get("workers_male") or 0) + (cleaned.get("workers_female") or 0)
        if (cleaned.get("workers_disabled") or 0) > total:
            self.add_error(
                "workers_disabled", _("Cannot be more than the male and female workers together.")
            )
        return cleaned


class UploadStepMixin:
    """File fields of a step: each accepted file is cleaned and stored at once."""

    def __init__(self, *args, stored_files=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_files = dict(stored_files or {})


class LegalStepForm(UploadStepMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in DOCUMENT_KINDS:
            if kind != DocumentKind.NIB:
                self.fields[f"{kind}_number"] = forms.CharField(
                    label=_("Number"), max_length=60, required=False
                )
            self.fields[f"{kind}_issued_on"] = forms.DateField(
                label=_("Issued on"), required=False, widget=DateInput()
            )
            self.fields[f"{kind}_expires_on"] = forms.DateField(
                label=_("Valid until"), required=False, widget=DateInput()
            )
            self.fields[f"{kind}_file"] = forms.FileField(
                label=_("Scan or photo (PDF, JPG or PNG, at most 5 MB)"), required=False
            )

    def groups(self):
        """(kind, label, bound fields, stored file name) per document, for the template."""
        out = []
        for kind in DOCUMENT_KINDS:
            names = [f"{kind}_number", f"{kind}_issued_on", f"{kind}_expires_on", f"{kind}_file"]
            fields = [self[name] for name in names if name in self.fields]
            out.append((kind.value, kind.label, fields, self.stored_files.get(f"{kind}_file")))
        return out

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for kind in DOCUMENT_KINDS:
            issued = cleaned.get(f"{kind}_issued_on")
            expires = cleaned.get(f"{kind}_expires_on")
            if issued and issued > today:
                self.add_error(f"{kind}_issued_on", _("The issue date cannot be in the future."))
            if issued and expires and expires < issued:
                self.add_error(f"{kind}_expires_on", _("The expiry date is before the issue date."))
        return cleaned


class PhotoStepForm(UploadStepMixin, forms.Form):
    photo_1 = forms.FileField(label=_("Product photo 1"), required=False)
    photo_2 = forms.FileField(label=_("Product photo 2"), required=False)
    photo_3 = forms.FileField(label=_("Product photo 3"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PHOTO_FIELDS:
            self.fields[name].help_text = _("JPG, PNG or WebP, at most 8 MB.")
            self.fields[name].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"


class ConsentStepForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that Dinas Koperasi dan UKM Kabupaten Bogor processes the data in this "
            "form to register, validate, mentor and train my business, as explained above."
        ),
        error_messages={"required": _("Registration needs your consent.")},
    )
    directory_opt_in = forms.BooleanField(
        label=_(
            "Show my business name, product, kecamatan and contact number in the public "
            "UMKM directory."
        ),
        required=False,
    )


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None


STEPS = [
    Step("pemilik", _("Owner"), OwnerStepForm),
    Step("usaha", _("Business"), BusinessStepForm),
    Step("lokasi", _("Location"), LocationStepForm),
    Step("keuangan", _("Money and workers"), FinanceStepForm),
    Step("legalitas", _("Legal documents"), LegalStepForm),
    Step("foto", _("Photos"), PhotoStepForm),
    Step("tambahan", _("Extra questions"), None),
    Step("persetujuan", _("Consent"), ConsentStepForm),
    Step("periksa", _("Review and send"), None),
]
FILE_STEPS = {"legalitas", "foto"}


def serialise(value):
    """Cleaned form values as JSON-safe values for a draft."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [serialise(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
