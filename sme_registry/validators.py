"""Input rules of the SME registry, in one place.

Public forms, the admin, the API and imports all call these functions, so a NIK, NIB,
phone number or amount is judged the same way whichever door it came in by. Each failure
raises ``ValidationError`` with a stable ``code`` that callers and tests can rely on; the
English messages are msgids translated to Bahasa Indonesia in the project's catalogue.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import phonenumbers

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PROVINCES_CSV = (
    Path(__file__).resolve().parent / "data" / "wilayah-kabupaten-bogor" / "provinces.csv"
)
BOGOR_REGENCY_CODE = "3201"

# People type IDs with spaces, dots or dashes to keep their place; none of them carry meaning.
_SEPARATORS = re.compile(r"[\s.\-]+")
# Only ASCII digits: str.isdigit() also accepts e.g. Arabic-Indic or superscript digits.
_DIGITS = re.compile(r"[0-9]+")


def _today() -> date:
    """Today in the project's time zone (WIB), not the server's, so a new year starts on time."""
    return timezone.localdate() if settings.USE_TZ else date.today()


def _is_digits(value: str, length: int | None = None) -> bool:
    return bool(_DIGITS.fullmatch(value)) and (length is None or len(value) == length)


# --- NIK ------------------------------------------------------------------------------


@functools.cache
def province_codes() -> frozenset[str]:
    """The 38 two-digit province codes; read once, the file never changes at run time."""
    with PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"].strip() for row in csv.DictReader(handle))


@dataclass(frozen=True)
class NikInfo:
    """What a NIK tells about its holder: where it was issued, birth date and sex."""

    nik: str
    province_code: str
    regency_code: str
    kecamatan_code: str
    birth_date: date | None
    sex: str
    issued_in_bogor: bool

    @property
    def kecamatan_area_code(self) -> str:
        """The Kemendagri form ("32.01.01") used by the region reference data."""
        code = self.kecamatan_code
        return f"{code[0:2]}.{code[2:4]}.{code[4:6]}"


def _clean_nik(value) -> str:
    return _SEPARATORS.sub("", "" if value is None else str(value))


def _check_nik_digits(nik: str) -> tuple[int, int, int, str]:
    """Check everything that does not depend on today; return (day, month, yy, sex)."""
    if nik and not _is_digits(nik):
        raise ValidationError(_("NIK may contain only digits."), code="nik_digits")
    if len(nik) != 16:
        raise ValidationError(_("NIK must be 16 digits."), code="nik_length")
    if len(set(nik)) == 1:
        raise ValidationError(_("NIK cannot be one digit repeated."), code="nik_repeated")
    if nik[:2] not in province_codes():
        raise ValidationError(
            _("The first two digits of the NIK are not a known province code."),
            code="nik_province",
        )
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise ValidationError(
            _("The birth day in the NIK (digits 7 and 8) is not valid."), code="nik_day"
        )
    if not 1 <= month <= 12:
        raise ValidationError(
            _("The birth month in the NIK (digits 9 and 10) is not valid."), code="nik_month"
        )
    if nik[12:] == "0000":
        raise ValidationError(
            _("The last four digits of the NIK cannot be 0000."), code="nik_serial"
        )
    sex = "P" if day > 40 else "L"
    return (day - 40 if sex == "P" else day), month, yy, sex


def _nik_birth_date(day: int, month: int, yy: int, today: date) -> date:
    """The latest date on or before today with these digits: a NIK holds only two year digits.

    This is "yy up to this year's yy is in the 2000s", refined so that a birthday later in
    the current year goes to the previous century rather than into the future.
    """
    year = 2000 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("The birth date in the NIK (digits 7 to 12) is not a real date."), code="nik_date"
        ) from None


def parse_nik(value: str, today: date | None = None) -> NikInfo:
    """Check a NIK and decode it; raises ValidationError with a ``nik_*`` code."""
    nik = _clean_nik(value)
    day, month, yy, sex = _check_nik_digits(nik)
    birth_date = _nik_birth_date(day, month, yy, today or _today())
    return NikInfo(
        nik=nik,
        province_code=nik[:2],
        regency_code=nik[:4],
        kecamatan_code=nik[:6],
        birth_date=birth_date,
        sex=sex,
        issued_in_bogor=nik[:4] == BOGOR_REGENCY_CODE,
    )


def validate_nik(value) -> None:
    """Django field validator for a NIK."""
    parse_nik(value)


def nik_birth_date_mismatch(nik: str, birth_date: date | None, sex: str | None = None) -> bool:
    """True when the stated birth date (or sex) differs from the one encoded in the NIK.

    Only a warning for staff: the NIK or the form may hold the typo. Compares day, month
    and the two year digits, so a guessed century never causes a false alarm. An invalid
    NIK gives False here, as its own validator reports it.
    """
    try:
        info = parse_nik(nik)
    except ValidationError:
        return False
    encoded = info.birth_date
    if birth_date is not None and (
        (birth_date.day, birth_date.month, birth_date.year % 100)
        != (encoded.day, encoded.month, encoded.year % 100)
    ):
        return True
    stated_sex = (sex or "").strip().upper()
    return bool(stated_sex) and stated_sex != info.sex


def mask_nik(nik) -> str:
    """The NIK with all but the first 4 and last 4 digits hidden, for lists and exports."""
    cleaned = _clean_nik(nik)
    if len(cleaned) <= 8:
        # Showing 4 + 4 characters of something this short would show all of it.
        return "*" * len(cleaned)
    return cleaned[:4] + "*" * (len(cleaned) - 8) + cleaned[-4:]


# --- NIB ------------------------------------------------------------------------------


def normalize_nib(value) -> str:
    """The NIB as 13 digits; spaces are dropped because OSS prints it in groups."""
    nib = re.sub(r"\s+", "", "" if value is None else str(value))
    if not _is_digits(nib, 13):
        raise ValidationError(_("NIB must be 13 digits."), code="nib_format")
    return nib


def validate_nib(value) -> None:
    """Django field validator for a NIB."""
    normalize_nib(value)


# --- Phone numbers --------------------------------------------------------------------

_PHONE_INVALID = _("Enter a valid Indonesian phone number, for example 0812-3456-7890.")


def _phone_error() -> ValidationError:
    return ValidationError(_PHONE_INVALID, code="phone_invalid")


def normalize_phone(value: str) -> str:
    """An Indonesian mobile or landline number in E.164 ("+6281234567890").

    One stored form makes duplicates findable and WhatsApp links possible whatever way
    the owner typed it (0812-..., +62 812 ..., 62812..., (0251) ...).
    """
    text = "" if value is None else str(value).strip()
    # phonenumbers would turn letters into keypad digits ("ABC" -> 222): refuse them instead.
    if not text or re.search(r"[^\W\d_]", text):
        raise _phone_error()
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise _phone_error() from None
    if (
        number.extension  # E.164 has no room for it; it would be lost silently.
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "ID"
    ):
        raise _phone_error()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone_national(e164: str) -> str:
    """The number as Indonesians write it ("0812-3456-7890"); anything unparsable as is."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def whatsapp_number(e164: str) -> str:
    """Digits only with the country code ("6281234567890"), the form wa.me links need."""
    if not e164:
        return ""
    return normalize_phone(e164).lstrip("+")


def is_mobile_phone(e164: str) -> bool:
    """Whether a stored number is a mobile one (a landline has no WhatsApp to offer)."""
    try:
        number = phonenumbers.parse(e164 or "", "ID")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def mask_email(address: str) -> str:
    """The address with the name hidden but its first character ("s***@example.com")."""
    if not address or "@" not in address:
        return "*" * len(address or "")
    name, domain = address.rsplit("@", 1)
    return f"{name[:1]}***@{domain}"


def mask_phone(e164: str) -> str:
    """The number with all but the first 4 and last 3 characters hidden ("+628*******890")."""
    if not e164:
        return ""
    if len(e164) <= 7:
        return "*" * len(e164)
    return e164[:4] + "*" * (len(e164) - 7) + e164[-3:]


# --- Money and counts -----------------------------------------------------------------

MONEY_MAX = 1_000_000_000_000  # Rp 1 trillion: far above any UMKM, catches extra zeros.
WORKERS_MAX = 10_000


def _finite_decimal(value) -> Decimal | None:
    """The value as a finite Decimal, or None if it is not a number (bools are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def validate_money(value) -> None:
    """Rupiah amounts (capital, sales, assets): not negative, not absurdly large."""
    amount = _finite_decimal(value)
    if amount is None:
        raise ValidationError(_("Enter an amount in rupiah."), code="money_invalid")
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="money_negative")
    if amount > MONEY_MAX:
        # The message names the limit in words; keep it in step with MONEY_MAX.
        raise ValidationError(
            _("The amount cannot be more than Rp 1 trillion."), code="money_too_large"
        )


def validate_count(value) -> None:
    """Head counts such as workers: a whole number from 0 to WORKERS_MAX."""
    number = _finite_decimal(value)
    if number is None or isinstance(value, str) or number != number.to_integral_value():
        raise ValidationError(_("Enter a whole number."), code="count_invalid")
    if number < 0:
        raise ValidationError(_("The number cannot be negative."), code="count_negative")
    if number > WORKERS_MAX:
        raise ValidationError(
            _("The number cannot be more than %(limit)s."),
            code="count_too_large",
            params={"limit": WORKERS_MAX},
        )


YEAR_STARTED_MIN = 1900


def validate_year_started(year, today: date | None = None) -> None:
    """The year a business started: not before 1900 and not in the future."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError(_("Enter a year, for example 2019."), code="year_invalid")
    if year < YEAR_STARTED_MIN:
        raise ValidationError(
            _("The year cannot be earlier than %(min)s."),
            code="year_too_early",
            params={"min": YEAR_STARTED_MIN},
        )
    current_year = (today or _today()).year
    if year > current_year:
        raise ValidationError(
            _("The year cannot be later than %(max)s."),
            code="year_in_future",
            params={"max": current_year},
        )


# --- Coordinates ----------------------------------------------------------------------

# Kabupaten Bogor spans about lat -6.80..-6.30, lon 106.38..107.16; widened by 0.1 degree
# so that a business on the border or a slightly imprecise phone GPS still passes.
LATITUDE_RANGE = (-6.90, -6.20)
LONGITUDE_RANGE = (106.28, 107.26)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_coordinates(latitude, longitude) -> None:
    """A map point is optional, but when given it must be whole and in or near the regency."""
    if _is_blank(latitude) and _is_blank(longitude):
        return
    if _is_blank(latitude) or _is_blank(longitude):
        raise ValidationError(
            _("Enter both latitude and longitude, or leave both empty."),
            code="coordinates_incomplete",
        )
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValidationError(
            _("Enter the latitude and longitude as numbers."), code="coordinates_invalid"
        ) from None
    # Written as "not inside" so that NaN, which compares False with everything, is refused.
    if not (
        LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
    ):
        raise ValidationError(
            _("This location is not in or near Kabupaten Bogor."), code="coordinates_outside"
        )
