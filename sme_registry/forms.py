"""The registration form, one Django form per step.

The same step forms serve the public multi-step form, the owner's update page
and the staff entry view in the admin. They are ModelForms over `Owner` and
`Business`, so every rule about their fields is the model's own (`rules`,
field validators, constraints): what the public form refuses, the admin
refuses too. The forms only normalise what people type (rupiah with dots,
spaces in a NIK).
"""

import datetime
import functools
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import CallableChoiceIterator
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from sme_registry import kbli, scale, validators
from sme_registry.models import (
    Business,
    Desa,
    DocumentKind,
    Education,
    Kecamatan,
    LegalDocument,
    LegalForm,
    Owner,
    Sex,
)

# Raised whenever the wording of the consent step changes (2026-12: the directory listing
# names what it shows, with photos, desa and a public contact).
CONSENT_VERSION = "2026-12"
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
    kecamatan = {k.pk: k for k in Kecamatan.objects.all()}
    desa = {d.pk: d for d in Desa.objects.select_related("kecamatan")}
    return kecamatan, desa


class RegionSelect(forms.Select):
    """A select of many regions, written in Python rather than one template per option.

    The owner's step lists 435 desa: through Django's per-option templates that was most
    of the page's rendering time. The markup is the same as Django's own select.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']

        def option(choice, label):
            choice = "" if choice is None else str(choice)
            mark = ""
            if choice in selected:
                mark = " selected"
                selected.clear()  # one choice only, as Django's single select
            return f'\n  <option value="{escape(choice)}"{mark}>{escape(label)}</option>'

        for choice, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{escape(choice)}">')
                parts.extend(option(*pair) for pair in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(choice, label))
        parts.append("\n</select>")
        # Every value above went through escape().
        return SafeString("".join(parts))


def _attrs(attrs):
    """HTML attributes as Django's attrs.html writes them (True alone, False left out)."""
    return "".join(
        f" {escape(key)}" if value is True else f' {escape(key)}="{escape(value)}"'
        for key, value in attrs.items()
        if value is not False
    )


class RegionChoiceField(forms.ModelChoiceField):
    """A kecamatan or desa chosen from the cached regions, optionally narrowed to some kecamatan.

    The desa list is grouped by kecamatan, so it is usable without JavaScript.
    The value is the region itself, so the model's rules (a desa lies in its
    kecamatan) check the pair.
    """

    def __init__(self, model, *, within=None, **kwargs):
        kwargs.setdefault("empty_label", _("— choose —"))
        self.region_model = model
        self.within = None if within is None else set(within)
        # The choices and values come from `_regions()`; no queryset is ever evaluated.
        super().__init__(queryset=model.objects.none(), **kwargs)

    def _objects(self):
        kecamatan, desa = _regions()
        return kecamatan if self.region_model is Kecamatan else desa

    def _allowed(self, obj):
        kecamatan_id = obj.pk if self.region_model is Kecamatan else obj.kecamatan_id
        return self.within is None or kecamatan_id in self.within

    def _get_choices(self):
        # Built when the widget renders, not with every form: a form that is only
        # validated (a step posted, an imported row) never lists the 435 desa.
        return CallableChoiceIterator(self._build_choices)

    def _build_choices(self):
        empty = [("", self.empty_label)]
        objects = [o for o in self._objects().values() if self._allowed(o)]
        if self.region_model is Kecamatan:
            return empty + [(o.pk, o.name) for o in sorted(objects, key=lambda o: o.name)]
        groups = {}
        for o in sorted(objects, key=lambda o: (o.kecamatan.name, o.name)):
            groups.setdefault(o.kecamatan.name, []).append((o.pk, o.name))
        return empty + list(groups.items())

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            obj = self._objects()[int(value)]
        except (KeyError, TypeError, ValueError):
            obj = None
        if obj is None or not self._allowed(obj):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return obj

    def valid_value(self, value):
        return True

    def has_changed(self, initial, data):
        return str(getattr(initial, "pk", initial) or "") != str(data or "")


def region_fields(required, within=None):
    kecamatan = RegionChoiceField(Kecamatan, label=_("Kecamatan"), required=required, within=within)
    desa = RegionChoiceField(
        Desa,
        label=_("Desa/kelurahan"),
        required=required,
        within=within,
        help_text=_("Listed by kecamatan."),
        widget=RegionSelect(attrs={"data-desa-select": "true"}),
    )
    kecamatan.widget = RegionSelect(attrs={"data-kecamatan-select": "true"})
    kecamatan.widget.choices = kecamatan.choices
    return kecamatan, desa


class StepForm(forms.ModelForm):
    """One step of a registration: a ModelForm, so the model's own rules judge its fields.

    Uniqueness is left to the services: a NIK that is already registered is
    attached to its owner, never refused (the person sending must not learn it).
    """

    def validate_unique(self):
        return


class OwnerStepForm(StepForm):
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

    class Meta:
        model = Owner
        fields = [
            "full_name",
            "nik",
            "sex",
            "birth_date",
            "phone",
            "email",
            "address",
            "kecamatan",
            "desa",
            "education",
            "has_disability",
            "disability_note",
        ]

    # Declared once with the class (copied with each form), not built again for every form.
    kecamatan, desa = region_fields(required=False)
    kecamatan.help_text = _("Of your home, if it is in Kabupaten Bogor.")

    def clean_nik(self):
        info = validators.parse_nik(self.cleaned_data["nik"])
        return info.nik

    def clean_phone(self):
        return validators.normalize_phone(self.cleaned_data["phone"])


class BusinessStepForm(StepForm):
    name = forms.CharField(label=_("Business name"), max_length=150)
    main_product = forms.CharField(
        label=_("Main product or service"),
        max_length=150,
        help_text=_("For example: cassava chips, tailoring, coffee stall."),
    )
    kbli_category = forms.ChoiceField(
        label=_("Business sector"), choices=[("", _("— choose —"))] + kbli.KBLI_CATEGORIES
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

    class Meta:
        model = Business
        fields = [
            "name",
            "main_product",
            "kbli_category",
            "kbli_code",
            "legal_form",
            "nib",
            "year_started",
            "description",
            "has_shop",
            "sells_on_marketplace",
            "uses_social_media",
            "accepts_qris",
            "online_store_links",
        ]

    def clean_nib(self):
        value = self.cleaned_data["nib"]
        return validators.normalize_nib(value) if value.strip() else ""

    def clean_kbli_code(self):
        return self.cleaned_data["kbli_code"].strip()


class LocationStepForm(StepForm):
    """Where the business is. Staff entering for an owner choose among their own kecamatan."""

    address = forms.CharField(
        label=_("Business address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    rt = forms.CharField(
        label=_("RT"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    rw = forms.CharField(
        label=_("RW"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=5,
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

    class Meta:
        model = Business
        fields = [
            "address",
            "kecamatan",
            "desa",
            "rt",
            "rw",
            "postal_code",
            "latitude",
            "longitude",
        ]

    kecamatan, desa = region_fields(required=True)

    def __init__(self, *args, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        if within is not None:
            self.fields["kecamatan"], self.fields["desa"] = region_fields(
                required=True, within=within
            )
            self.order_fields(self.Meta.fields)


class FinanceStepForm(StepForm):
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
        choices=[("", _("I don't know"))] + list(scale.Scale.choices),
        required=False,
    )

    class Meta:
        model = Business
        fields = [
            "capital",
            "annual_sales",
            "assets",
            "workers_male",
            "workers_female",
            "workers_disabled",
            "reported_scale",
        ]


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
        """Each document is judged by the legal document's own rules (dates in order, ...)."""
        cleaned = super().clean()
        for kind in DOCUMENT_KINDS:
            document = LegalDocument(
                kind=kind,
                number=cleaned.get(f"{kind}_number") or "",
                issued_on=cleaned.get(f"{kind}_issued_on"),
                expires_on=cleaned.get(f"{kind}_expires_on"),
            )
            try:
                document.full_clean(
                    exclude=["business", "file", "sort_order"], validate_constraints=False
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    name = f"{kind}_{field}"
                    self.add_error(name if name in self.fields else None, messages)
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


class DirectoryContactForm(StepForm):
    """The directory opt-in with the contact the owner gives for it, judged by the model.

    Shown on the consent step, the owner's update page and the staff entry. A
    contact typed without the opt-in is dropped, not checked: it is never stored.
    """

    directory_opt_in = forms.BooleanField(
        label=_(
            "Show my business in the public UMKM directory: its name, sector, product and "
            "product photos, kecamatan and desa, and the public contact below."
        ),
        help_text=_(
            "Never your NIK, name, own phone number, e-mail or address. You can leave the "
            "directory at any time from your private link."
        ),
        required=False,
    )
    public_phone = forms.CharField(
        label=_("Public phone / WhatsApp number of the business (optional)"),
        max_length=30,
        required=False,
        help_text=_("Shown in the directory for buyers, e.g. the shop's number."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    public_link = forms.CharField(
        label=_("Online shop or marketplace link (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example https://shopee.co.id/your-shop."),
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Business
        fields = ["directory_opt_in", "public_phone", "public_link"]

    def clean_public_phone(self):
        value = self.cleaned_data["public_phone"].strip()
        return validators.normalize_phone(value) if value else ""

    def clean_public_link(self):
        """People type "shopee.co.id/toko" without the scheme: it is a web address."""
        value = self.cleaned_data["public_link"].strip()
        if value and "://" not in value:
            value = "https://" + value
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("directory_opt_in"):
            for name in ("public_phone", "public_link"):
                self.errors.pop(name, None)
                cleaned[name] = ""
        return cleaned


class ConsentStepForm(DirectoryContactForm):
    consent = forms.BooleanField(
        label=_(
            "I agree that Dinas Koperasi dan UKM Kabupaten Bogor processes the data in this "
            "form to register, validate, mentor and train my business, as explained above."
        ),
        error_messages={"required": _("Registration needs your consent.")},
    )

    class Meta(DirectoryContactForm.Meta):
        fields = ["consent", *DirectoryContactForm.Meta.fields]


class DirectoryFilterForm(forms.Form):
    """The search and filters above the public directory (a GET form, no JavaScript).

    Any real KBLI letter or kecamatan code is accepted, even one that lists nobody
    now (a shared address keeps working); the choices shown are those that list
    someone, with how many.
    """

    q = forms.CharField(
        label=_("Business name or product"),
        required=False,
        max_length=100,
        widget=forms.SearchInput,
    )
    sektor = forms.ChoiceField(label=_("Sector"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    produk = forms.CharField(
        label=_("Product"),
        required=False,
        max_length=100,
        help_text=_("For example: keripik, batik, kopi."),
    )

    def __init__(self, data, *, sectors, kecamatan):
        super().__init__(data)
        every_kecamatan = _regions()[0].values()
        self._offer(
            "sektor",
            [("", _("All sectors"))],
            kbli.KBLI_CATEGORIES,
            [(letter, f"{label} ({count})") for letter, label, count in sectors],
        )
        self._offer(
            "kecamatan",
            [("", _("All kecamatan"))],
            [(k.code, k.name) for k in every_kecamatan],
            [(code, f"{name} ({count})") for code, name, count in kecamatan],
        )

    def _offer(self, name, empty, valid, shown):
        """Accept every value in `valid`; list `shown`, and the one asked for if not among them."""
        field = self.fields[name]
        field.choices = empty + list(valid)
        asked = self.data.get(name) if self.data else None
        labels = dict(valid)
        if asked in labels and asked not in dict(shown):
            shown = [*shown, (asked, f"{labels[asked]} (0)")]
        field.widget.choices = empty + shown

    def filters(self):
        """The valid part of what was asked (a mistyped or stale value is left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "sector": data.get("sektor") or "",
            "kecamatan": data.get("kecamatan") or "",
            "product": (data.get("produk") or "").strip(),
        }

    @property
    def ignored(self):
        """True when something in the address was not understood and was left out."""
        return bool(self.is_bound and self.errors)

    @property
    def is_filtered(self):
        return any(self.filters().values())


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
