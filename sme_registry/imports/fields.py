"""The fields an import can fill, how a column is matched to one, and how a cell is read.

Each field is a field of the registration's step forms, keyed by the form's
own input name (``usaha-name``), so a row becomes exactly what the staff
entry form would have received and the same forms judge it. This module only
turns what spreadsheets hold (Excel dates and numbers, "Laki-laki", "Ya",
"Cibinong", "Rp 15.000.000") into what the forms accept; every rule about the
values is the forms' and the models'.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sme_registry import kbli, scale
from sme_registry.imports.files import FORMULA
from sme_registry.models import Education, LegalForm, Sex

OWNER, BUSINESS, LOCATION, FINANCE = "pemilik", "usaha", "lokasi", "keuangan"


@dataclass(frozen=True)
class ImportField:
    key: str
    label: object
    kind: str = "text"
    required: bool = False
    aliases: tuple = ()
    choices: tuple = field(default=(), compare=False)
    # A number typed into Excel where digits are meant (NIK, NIB, phone).
    digits: bool = False

    @property
    def section(self):
        return self.key.split("-", 1)[0]

    @property
    def name(self):
        return self.key.split("-", 1)[1]


_SEX_ALIASES = {
    Sex.MALE: ("l", "lk", "laki", "laki laki", "pria", "male", "m"),
    Sex.FEMALE: ("p", "pr", "perempuan", "wanita", "female", "f", "w"),
}
_EDUCATION_ALIASES = {
    Education.NONE: ("tidak sekolah", "tidak tamat sd", "belum sekolah", "none"),
    Education.SD: ("sd", "mi", "sekolah dasar"),
    Education.SMP: ("smp", "mts", "sltp"),
    Education.SMA: ("sma", "smk", "ma", "slta"),
    Education.DIPLOMA: ("d1", "d2", "d3", "d4", "diploma"),
    Education.S1: ("s1", "sarjana"),
    Education.S2: ("s2", "s3", "magister", "doktor"),
}
_LEGAL_FORM_ALIASES = {
    LegalForm.PERORANGAN: ("perorangan", "usaha perorangan", "perseorangan", "pribadi"),
    LegalForm.CV: ("cv",),
    LegalForm.PT: ("pt", "pt perorangan", "perseroan terbatas"),
    LegalForm.KOPERASI: ("koperasi",),
    LegalForm.FIRMA: ("firma", "fa"),
    LegalForm.LAINNYA: ("lainnya", "lain lain", "other"),
}
_SCALE_ALIASES = {
    scale.Scale.MIKRO: ("mikro", "usaha mikro", "micro"),
    scale.Scale.KECIL: ("kecil", "usaha kecil", "small"),
    scale.Scale.MENENGAH: ("menengah", "usaha menengah", "medium"),
    scale.Scale.BESAR: ("besar", "usaha besar", "large"),
}

FIELDS = (
    ImportField(
        f"{OWNER}-nik",
        _("Owner's NIK"),
        required=True,
        digits=True,
        aliases=("nik", "no ktp", "nomor ktp", "nik pemilik", "no nik"),
    ),
    ImportField(
        f"{OWNER}-full_name",
        _("Owner's full name"),
        required=True,
        aliases=("nama pemilik", "nama lengkap", "nama", "pemilik", "nama pelaku usaha"),
    ),
    ImportField(
        f"{OWNER}-sex",
        _("Sex"),
        kind="choice",
        required=True,
        choices=tuple(Sex.choices),
        aliases=("jenis kelamin", "jk", "l p", "gender"),
    ),
    ImportField(
        f"{OWNER}-birth_date",
        _("Birth date"),
        kind="date",
        required=True,
        aliases=("tanggal lahir", "tgl lahir", "tgl lahir pemilik"),
    ),
    ImportField(
        f"{OWNER}-phone",
        _("Phone / WhatsApp number"),
        required=True,
        digits=True,
        aliases=("no hp", "nomor hp", "hp", "telepon", "no telp", "whatsapp", "no wa", "hp wa"),
    ),
    ImportField(f"{OWNER}-email", _("E-mail"), aliases=("email", "e mail", "surel")),
    ImportField(
        f"{OWNER}-address",
        _("Home address"),
        required=True,
        aliases=("alamat rumah", "alamat pemilik", "alamat ktp", "alamat domisili"),
    ),
    ImportField(
        f"{OWNER}-education",
        _("Last education"),
        kind="choice",
        choices=tuple(Education.choices),
        aliases=("pendidikan", "pendidikan terakhir"),
    ),
    ImportField(
        f"{OWNER}-has_disability",
        _("Owner has a disability"),
        kind="bool",
        aliases=("disabilitas", "penyandang disabilitas", "difabel"),
    ),
    ImportField(
        f"{BUSINESS}-name",
        _("Business name"),
        required=True,
        aliases=("nama usaha", "nama umkm", "nama perusahaan", "usaha"),
    ),
    ImportField(
        f"{BUSINESS}-nib",
        _("NIB"),
        digits=True,
        aliases=("nib", "nomor induk berusaha", "no nib"),
    ),
    ImportField(
        f"{BUSINESS}-legal_form",
        _("Legal form"),
        kind="choice",
        required=True,
        choices=tuple(LegalForm.choices),
        aliases=("bentuk usaha", "badan usaha", "bentuk badan usaha", "status badan usaha"),
    ),
    ImportField(
        f"{BUSINESS}-kbli_category",
        _("Business sector"),
        kind="kbli",
        required=True,
        choices=tuple(kbli.KBLI_CATEGORIES),
        aliases=("sektor", "sektor usaha", "kategori kbli", "bidang usaha", "kbli kategori"),
    ),
    ImportField(
        f"{BUSINESS}-kbli_code",
        _("KBLI code"),
        digits=True,
        aliases=("kode kbli", "kbli", "kbli 5 digit"),
    ),
    ImportField(
        f"{BUSINESS}-main_product",
        _("Main product or service"),
        required=True,
        aliases=("produk", "produk utama", "jenis produk", "produk jasa"),
    ),
    ImportField(
        f"{BUSINESS}-year_started",
        _("Year the business started"),
        kind="int",
        required=True,
        aliases=("tahun berdiri", "tahun mulai", "tahun mulai usaha", "mulai usaha"),
    ),
    ImportField(
        f"{BUSINESS}-description", _("Short description"), aliases=("deskripsi", "keterangan")
    ),
    ImportField(
        f"{BUSINESS}-has_shop", _("Shop or stall"), kind="bool", aliases=("toko", "punya toko")
    ),
    ImportField(
        f"{BUSINESS}-sells_on_marketplace",
        _("Marketplace (online shop)"),
        kind="bool",
        aliases=("marketplace", "jual online"),
    ),
    ImportField(
        f"{BUSINESS}-uses_social_media",
        _("Social media"),
        kind="bool",
        aliases=("media sosial", "medsos"),
    ),
    ImportField(
        f"{BUSINESS}-accepts_qris", _("Accepts QRIS payments"), kind="bool", aliases=("qris",)
    ),
    ImportField(
        f"{BUSINESS}-online_store_links",
        _("Online shop or social media addresses"),
        aliases=("alamat toko online", "link toko", "tautan toko"),
    ),
    ImportField(
        f"{LOCATION}-address",
        _("Business address"),
        required=True,
        aliases=("alamat usaha", "alamat", "alamat tempat usaha", "lokasi usaha"),
    ),
    ImportField(
        f"{LOCATION}-kecamatan",
        _("Kecamatan"),
        kind="kecamatan",
        required=True,
        aliases=("kecamatan", "kec", "kecamatan usaha"),
    ),
    ImportField(
        f"{LOCATION}-desa",
        _("Desa/kelurahan"),
        kind="desa",
        required=True,
        aliases=("desa", "kelurahan", "desa kelurahan", "kel desa", "desa kel"),
    ),
    ImportField(f"{LOCATION}-rt", _("RT"), digits=True, aliases=("rt",)),
    ImportField(f"{LOCATION}-rw", _("RW"), digits=True, aliases=("rw",)),
    ImportField(f"{LOCATION}-postal_code", _("Postal code"), digits=True, aliases=("kode pos",)),
    ImportField(f"{LOCATION}-latitude", _("Latitude"), kind="decimal", aliases=("lintang", "lat")),
    ImportField(
        f"{LOCATION}-longitude",
        _("Longitude"),
        kind="decimal",
        aliases=("bujur", "long", "lng", "lon"),
    ),
    ImportField(
        f"{FINANCE}-capital",
        _("Business capital (Rp)"),
        kind="money",
        aliases=("modal", "modal usaha", "nilai modal"),
    ),
    ImportField(
        f"{FINANCE}-annual_sales",
        _("Sales in the last year (Rp)"),
        kind="money",
        aliases=("omzet", "omset", "omzet per tahun", "omzet tahunan", "penjualan setahun"),
    ),
    ImportField(f"{FINANCE}-assets", _("Assets (Rp)"), kind="money", aliases=("aset", "asset")),
    ImportField(
        f"{FINANCE}-workers_male",
        _("Male workers"),
        kind="int",
        aliases=("tenaga kerja laki laki", "tk laki laki", "tk l"),
    ),
    ImportField(
        f"{FINANCE}-workers_female",
        _("Female workers"),
        kind="int",
        aliases=("tenaga kerja perempuan", "tk perempuan", "tk p"),
    ),
    ImportField(
        f"{FINANCE}-workers_disabled",
        _("Of whom workers with a disability"),
        kind="int",
        aliases=("tenaga kerja disabilitas", "tk disabilitas"),
    ),
    ImportField(
        f"{FINANCE}-reported_scale",
        _("Business scale"),
        kind="choice",
        choices=tuple(scale.Scale.choices),
        aliases=("skala", "skala usaha"),
    ),
)
BY_KEY = {f.key: f for f in FIELDS}
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)
# The columns that find an existing record: at least one must be mapped.
IDENTIFYING_KEYS = (f"{BUSINESS}-nib", f"{OWNER}-nik")
_CHOICE_ALIASES = {
    f"{OWNER}-sex": _SEX_ALIASES,
    f"{OWNER}-education": _EDUCATION_ALIASES,
    f"{BUSINESS}-legal_form": _LEGAL_FORM_ALIASES,
    f"{FINANCE}-reported_scale": _SCALE_ALIASES,
}


def normalise(text):
    """Lower case, no accents, punctuation as spaces: how headers and choices are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _labels(value):
    """A label in Indonesian and in English (headers and choices may be written in either)."""
    names = set()
    for language in ("id", "en"):
        with translation.override(language):
            names.add(normalise(value))
    return names


def header_names(import_field):
    return _labels(import_field.label) | {normalise(a) for a in import_field.aliases}


@functools.cache
def _keys_by_header():
    """{normalised header: field key}, in both languages: built once per process."""
    by_name = {}
    for import_field in FIELDS:
        for name in header_names(import_field):
            by_name.setdefault(name, import_field.key)
    return by_name


def auto_columns(header):
    """{field key: header} for every column whose header names a field (first match wins)."""
    found = {}
    by_name = _keys_by_header()
    for column in header:
        key = by_name.get(normalise(column))
        if key and key not in found:
            found[key] = column
    return found


def column_indexes(columns, header):
    """{field key: column index} for a mapping {field key: header}; unknown headers are skipped."""
    positions = {}
    for index, column in enumerate(header):
        positions.setdefault(normalise(column), index)
    out = {}
    for key, column in columns.items():
        if key in BY_KEY and column and normalise(column) in positions:
            out[key] = positions[normalise(column)]
    return out


class CellError(ValueError):
    """A cell that cannot be read as its field: the message goes next to that cell."""


def _choice_table(import_field):
    table = {}
    for value, label in import_field.choices:
        table[normalise(value)] = value
        for name in _labels(label):
            table[name] = value
    for value, names in _CHOICE_ALIASES.get(import_field.key, {}).items():
        for name in names:
            table.setdefault(normalise(name), value)
    return table


_CHOICE_TABLES = {}


def _choice(import_field, text):
    table = _CHOICE_TABLES.get(import_field.key)
    if table is None:
        table = _CHOICE_TABLES[import_field.key] = _choice_table(import_field)
    value = table.get(normalise(text))
    if value is None:
        raise CellError(
            _("“%(value)s” is not one of the choices: %(choices)s.")
            % {
                "value": text,
                "choices": ", ".join(str(label) for _v, label in import_field.choices),
            }
        )
    return value


def _kbli(import_field, text):
    """A letter, "C - Industri Pengolahan", the sector's name, or a 5-digit KBLI code's letter."""
    match = re.match(r"^\s*([A-Ua-u])(?:\s*[-.:)]\s*|\s+|$)", text)
    if match:
        return match.group(1).upper()
    return _choice(import_field, text)


_BOOL = {
    True: ("ya", "y", "iya", "yes", "1", "true", "benar", "ada", "punya", "v", "x", "ok"),
    False: ("tidak", "t", "tdk", "no", "n", "0", "false", "salah", "tidak ada", "belum"),
}
_BOOL_TABLE = {name: value for value, names in _BOOL.items() for name in names}

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "januari", "january"),
            ("feb", "februari", "pebruari", "february"),
            ("mar", "maret", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("agu", "agt", "ags", "agustus", "aug", "august"),
            ("sep", "sept", "september"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "nopember", "november"),
            ("des", "desember", "dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def _date(text):
    text = text.strip()
    if "T" in text[:11] and text[:4].isdigit():
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    words = normalise(text).split()
    if len(words) == 3 and words[1] in _MONTHS and words[0].isdigit() and words[2].isdigit():
        try:
            return datetime.date(int(words[2]), _MONTHS[words[1]], int(words[0])).isoformat()
        except ValueError:
            pass
    raise CellError(_("Not a date: write it like 31/12/1980."))


def _number_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_cell(import_field, value, regions):
    """The form's input for one cell, or "" for an empty one; raises `CellError`."""
    if isinstance(value, dict) and FORMULA in value:
        raise CellError(
            _(
                "This cell holds a formula (%(formula)s); formulas are not calculated on "
                "import. Copy the column and paste it back as values."
            )
            % {"formula": value[FORMULA][:40]}
        )
    if value is None or isinstance(value, str) and not value.strip():
        return ""
    kind = import_field.kind
    if isinstance(value, bool):
        if kind == "bool":
            return "on" if value else ""
        value = "1" if value else "0"
    if isinstance(value, int | float) and import_field.digits:
        if isinstance(value, float) and not value.is_integer() or abs(value) >= 1e15:
            raise CellError(
                _(
                    "Excel stored this number as a number and may have rounded its last "
                    "digits: format the column as Text and type it again."
                )
            )
        text = str(int(value))
        # A phone number typed as a number loses its leading zero.
        if import_field.key.endswith("-phone") and text.startswith("8"):
            text = "0" + text
        return text
    if isinstance(value, int | float):
        if kind == "date":
            raise CellError(_("Not a date: write it like 31/12/1980."))
        if kind == "decimal":
            return repr(float(value))
        return _number_text(value)
    text = " ".join(str(value).split()) if kind != "text" else str(value).strip()
    if kind == "bool":
        if normalise(text) not in _BOOL_TABLE:
            raise CellError(_("Write Ya or Tidak."))
        return "on" if _BOOL_TABLE[normalise(text)] else ""
    if kind == "choice":
        return _choice(import_field, text)
    if kind == "kbli":
        return _kbli(import_field, text)
    if kind == "date":
        return _date(text)
    if kind == "decimal":
        return text.replace(",", ".")
    if kind == "kecamatan":
        return regions.kecamatan(text)
    if kind == "desa":
        return text  # resolved with the row's kecamatan (see `Regions.desa`)
    return text


class Regions:
    """Kecamatan and desa by name or code, read once for a whole import."""

    _PREFIX = re.compile(r"^(kec|kecamatan|desa|ds|kel|kelurahan)\s+")

    def __init__(self):
        from sme_registry.forms import _regions

        kecamatan, desa = _regions()
        self.kecamatan_by = {}
        for k in kecamatan.values():
            self.kecamatan_by[normalise(k.name)] = k.pk
            self.kecamatan_by[re.sub(r"\D", "", k.code)] = k.pk
        self.desa_by = {}
        self.desa_codes = {}
        for d in desa.values():
            self.desa_by[(d.kecamatan_id, normalise(d.name))] = d.pk
            self.desa_codes[re.sub(r"\D", "", d.code)] = d
        self.kecamatan_names = {k.pk: k.name for k in kecamatan.values()}
        self.desa_names = {d.pk: d.name for d in desa.values()}

    def _key(self, text):
        return self._PREFIX.sub("", normalise(text))

    def kecamatan(self, text):
        pk = self.kecamatan_by.get(self._key(text)) or self.kecamatan_by.get(
            re.sub(r"\D", "", text)
        )
        if pk is None:
            raise CellError(
                _("“%(value)s” is not a kecamatan of Kabupaten Bogor.") % {"value": text}
            )
        return str(pk)

    def desa(self, text, kecamatan_pk):
        digits = re.sub(r"\D", "", text)
        if digits and digits in self.desa_codes:
            return str(self.desa_codes[digits].pk)
        if not kecamatan_pk:
            raise CellError(_("Fill in the kecamatan too: desa names repeat across the regency."))
        pk = self.desa_by.get((int(kecamatan_pk), self._key(text)))
        if pk is None:
            raise CellError(
                _("There is no desa/kelurahan “%(value)s” in Kecamatan %(kecamatan)s.")
                % {"value": text, "kecamatan": self.kecamatan_names.get(int(kecamatan_pk), "")}
            )
        return str(pk)
