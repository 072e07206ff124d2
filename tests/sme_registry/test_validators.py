"""The registry's input rules, checked on their error codes (messages get translated).

No database: these are pure functions, and pytest-django refuses DB access without a
fixture, which keeps it that way.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from sme_registry import kbli
from sme_registry import scale as scale_rules
from sme_registry import validators as v

TODAY = date(2026, 6, 15)
# No example database: the run must not leave a .hypothesis folder in the tree.
HYPOTHESIS = settings(database=None, deadline=None, max_examples=200)

PROVINCES_CSV = (
    Path(v.__file__).resolve().parent / "data" / "wilayah-kabupaten-bogor" / "provinces.csv"
)
with PROVINCES_CSV.open(encoding="utf-8") as handle:
    PROVINCES = sorted(row["code"] for row in csv.DictReader(handle))


def error_code(func, *args, **kwargs):
    with pytest.raises(ValidationError) as exc_info:
        func(*args, **kwargs)
    return exc_info.value.code


# --- NIK ------------------------------------------------------------------------------


def test_province_codes_come_from_the_reference_csv():
    assert v.province_codes() == frozenset(PROVINCES)
    assert len(PROVINCES) == 38
    assert {"11", "32", "96"} <= v.province_codes()


@pytest.mark.parametrize(
    ("raw", "nik", "birth_date", "sex"),
    [
        ("3201011203850001", "3201011203850001", date(1985, 3, 12), "L"),
        ("3201 0152 0385 0002", "3201015203850002", date(1985, 3, 12), "P"),
        ("32.01.01-120385-0001", "3201011203850001", date(1985, 3, 12), "L"),
        (" 3201011203850001\t", "3201011203850001", date(1985, 3, 12), "L"),
        ("3201016002960001", "3201016002960001", date(1996, 2, 20), "P"),
        ("3201017112990001", "3201017112990001", date(1999, 12, 31), "P"),
        ("3201010101000001", "3201010101000001", date(2000, 1, 1), "L"),
        ("3201012902000001", "3201012902000001", date(2000, 2, 29), "L"),
        ("3201016902040001", "3201016902040001", date(2004, 2, 29), "P"),
        ("3201011506260001", "3201011506260001", date(2026, 6, 15), "L"),  # born today
        ("3201011606260001", "3201011606260001", date(1926, 6, 16), "L"),  # not tomorrow
        ("3201010101270001", "3201010101270001", date(1927, 1, 1), "L"),
    ],
)
def test_parse_nik_decodes_birth_date_and_sex(raw, nik, birth_date, sex):
    info = v.parse_nik(raw, today=TODAY)
    assert info.nik == nik
    assert info.birth_date == birth_date
    assert info.sex == sex


def test_parse_nik_decodes_the_area_of_issue():
    info = v.parse_nik("3201011203850001", today=TODAY)
    assert info.province_code == "32"
    assert info.regency_code == "3201"
    assert info.kecamatan_code == "320101"
    assert info.kecamatan_area_code == "32.01.01"
    assert info.issued_in_bogor is True


@pytest.mark.parametrize("nik", ["3271011203850001", "3171011203850001", "3301011203850001"])
def test_nik_from_outside_kabupaten_bogor_is_valid_but_flagged(nik):
    info = v.parse_nik(nik, today=TODAY)
    assert info.issued_in_bogor is False


def test_nik_info_is_immutable():
    info = v.parse_nik("3201011203850001", today=TODAY)
    with pytest.raises(AttributeError):
        info.sex = "P"


def test_parse_nik_uses_the_local_date_by_default():
    yy = timezone.localdate().year % 100
    info = v.parse_nik(f"3201010101{yy:02d}0001")
    assert info.birth_date == date(2000 + yy, 1, 1)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("", "nik_length"),
        ("320101120385000", "nik_length"),
        ("32010112038500011", "nik_length"),
        ("32010112038500A1", "nik_digits"),
        ("3201011203850001x", "nik_digits"),
        ("３２０１０１１２０３８５０００１", "nik_digits"),  # full-width digits
        ("3201/01/120385/0001", "nik_digits"),
        ("0000000000000000", "nik_repeated"),
        ("1111111111111111", "nik_repeated"),
        ("3333 3333 3333 3333", "nik_repeated"),
        ("0001011203850001", "nik_province"),
        ("2001011203850001", "nik_province"),
        ("9901011203850001", "nik_province"),
        ("3201010003850001", "nik_day"),
        ("3201013203850001", "nik_day"),
        ("3201014003850001", "nik_day"),
        ("3201017203850001", "nik_day"),
        ("3201019903850001", "nik_day"),
        ("3201011200850001", "nik_month"),
        ("3201011213850001", "nik_month"),
        ("3201011299850001", "nik_month"),
        ("3201013102850001", "nik_date"),
        ("3201013104850001", "nik_date"),
        ("3201017102850001", "nik_date"),  # a woman's 31 February
        ("3201012902010001", "nik_date"),  # 2001 is no leap year
        ("3201011203850000", "nik_serial"),
    ],
)
def test_parse_nik_refuses(nik, code):
    assert error_code(v.parse_nik, nik, today=TODAY) == code


def test_parse_nik_refuses_none():
    assert error_code(v.parse_nik, None, today=TODAY) == "nik_length"


def test_29_february_00_is_1900_before_the_millennium():
    # 1900 was no leap year, so a NIK read in 1999 cannot hold 29-02-00.
    assert v.parse_nik("3201012902000001", today=date(2000, 3, 1)).birth_date == date(2000, 2, 29)
    assert error_code(v.parse_nik, "3201012902000001", today=date(1999, 3, 1)) == "nik_date"


def test_validate_nik_is_a_field_validator():
    assert v.validate_nik("3201011203850001") is None
    assert error_code(v.validate_nik, "3201011203850000") == "nik_serial"


@st.composite
def valid_niks(draw):
    """A NIK built from its parts, with the date it encodes and the day it is read."""
    today = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
    # Two digits of year only fit a hundred years; stay safely inside the window.
    born = draw(st.dates(min_value=date(today.year - 99, 1, 1), max_value=today))
    sex = draw(st.sampled_from("LP"))
    province = draw(st.sampled_from(PROVINCES))
    area = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    serial = draw(st.integers(min_value=1, max_value=9999))
    day = born.day + (40 if sex == "P" else 0)
    nik = f"{province}{area}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    assume(len(set(nik)) > 1)
    return nik, born, sex, today


@HYPOTHESIS
@given(valid_niks())
def test_parse_nik_round_trips_birth_date_and_sex(case):
    nik, born, sex, today = case
    info = v.parse_nik(nik, today=today)
    assert info.birth_date == born
    assert info.sex == sex
    assert info.kecamatan_code == nik[:6]
    assert not v.nik_birth_date_mismatch(nik, born, sex)
    assert v.mask_nik(nik) == nik[:4] + "*" * 8 + nik[-4:]


@HYPOTHESIS
@given(
    digits=st.from_regex(r"[0-9]{16}", fullmatch=True),
    month=st.integers(min_value=13, max_value=99),
)
def test_any_nik_with_month_13_to_99_is_refused(digits, month):
    nik = f"{digits[:8]}{month:02d}{digits[10:]}"
    with pytest.raises(ValidationError):
        v.parse_nik(nik, today=TODAY)


@HYPOTHESIS
@given(
    province=st.sampled_from(PROVINCES),
    day=st.one_of(st.integers(1, 31), st.integers(41, 71)),
    month=st.integers(min_value=13, max_value=99),
    rest=st.from_regex(r"[0-9]{4}", fullmatch=True),
)
def test_month_13_to_99_is_reported_as_the_month(province, day, month, rest):
    nik = f"{province}0101{day:02d}{month:02d}85{rest}"
    assert error_code(v.parse_nik, nik, today=TODAY) == "nik_month"


@HYPOTHESIS
@given(st.text(max_size=20))
def test_parse_nik_only_ever_raises_validation_error(text):
    try:
        v.parse_nik(text, today=TODAY)
    except ValidationError as exc:
        assert exc.code.startswith("nik_")


@pytest.mark.parametrize(
    ("nik", "birth_date", "sex", "expected"),
    [
        ("3201011203850001", date(1985, 3, 12), None, False),
        ("3201011203850001", date(1985, 3, 12), "L", False),
        ("3201011203850001", date(1985, 3, 12), "l", False),
        ("3201011203850001", date(1985, 3, 12), "", False),
        ("3201011203850001", date(1985, 3, 12), "P", True),
        ("3201011203850001", date(1985, 3, 13), None, True),
        ("3201011203850001", date(1985, 4, 12), "L", True),
        ("3201011203850001", date(1986, 3, 12), "L", True),
        ("3201011203850001", None, "P", True),
        ("3201011203850001", None, None, False),
        ("3201015203850001", date(1985, 3, 12), "P", False),
        ("3201015203850001", date(1985, 3, 12), "L", True),
        # A centenarian: the NIK alone suggests 2025, the stated 1925 still agrees.
        ("3201011203250001", date(1925, 3, 12), "L", False),
        # Nothing to compare against when the NIK itself is invalid.
        ("3201011203850000", date(1970, 1, 1), "P", False),
        ("not a nik", date(1970, 1, 1), "P", False),
        ("", date(1970, 1, 1), None, False),
    ],
)
def test_nik_birth_date_mismatch(nik, birth_date, sex, expected):
    assert v.nik_birth_date_mismatch(nik, birth_date, sex) is expected


@pytest.mark.parametrize(
    ("nik", "masked"),
    [
        ("3201011203850001", "3201********0001"),
        ("3201 0112 0385 0001", "3201********0001"),
        ("", ""),
        (None, ""),
        ("12345678", "********"),
    ],
)
def test_mask_nik(nik, masked):
    assert v.mask_nik(nik) == masked


# --- NIB ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "nib"),
    [("1234567890123", "1234567890123"), (" 1234 5678 90123 ", "1234567890123")],
)
def test_normalize_nib(raw, nib):
    assert v.normalize_nib(raw) == nib
    assert v.validate_nib(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["", None, "123456789012", "12345678901234", "123456789012A", "١٢٣٤٥٦٧٨٩٠١٢٣"],
)
def test_nib_must_be_13_digits(raw):
    assert error_code(v.normalize_nib, raw) == "nib_format"
    assert error_code(v.validate_nib, raw) == "nib_format"


# --- Phone numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("62812-3456-7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        (" +6281234567890 ", "+6281234567890"),
        ("(0251) 8321234", "+622518321234"),
        ("0251-8321234", "+622518321234"),
        ("021 555 1234", "+62215551234"),
    ],
)
def test_normalize_phone_gives_e164(raw, e164):
    assert v.normalize_phone(raw) == e164
    assert v.normalize_phone(e164) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        None,
        "abc",
        "081234567",  # too short
        "08123456789012",  # too long
        "+1 202 555 0143",  # United States
        "+65 6123 4567",  # Singapore
        "0812 3456 ABCD",  # letters would become keypad digits
        "0251-8321234 ext 12",  # an extension cannot be kept in E.164
        "0251-8321234#12",
    ],
)
def test_normalize_phone_refuses(raw):
    assert error_code(v.normalize_phone, raw) == "phone_invalid"


@pytest.mark.parametrize(
    ("e164", "national"),
    [
        ("+6281234567890", "0812-3456-7890"),
        ("+622518321234", "(0251) 8321234"),
        ("", ""),
        ("garbage", "garbage"),
    ],
)
def test_format_phone_national(e164, national):
    assert v.format_phone_national(e164) == national
    if e164.startswith("+"):
        assert v.normalize_phone(national) == e164


def test_whatsapp_number_is_digits_with_country_code():
    assert v.whatsapp_number("+6281234567890") == "6281234567890"
    assert v.whatsapp_number("") == ""
    assert error_code(v.whatsapp_number, "+1 202 555 0143") == "phone_invalid"


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+6281234567890", "+628*******890"),
        ("+622518321234", "+622******234"),
        ("", ""),
        (None, ""),
        ("+62812", "******"),
    ],
)
def test_mask_phone(e164, masked):
    assert v.mask_phone(e164) == masked


# --- Money, counts, years -------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [0, 1, 1_500_000, Decimal("1500000.50"), v.MONEY_MAX, Decimal(v.MONEY_MAX)]
)
def test_validate_money_accepts(value):
    assert v.validate_money(value) is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "money_negative"),
        (Decimal("-0.01"), "money_negative"),
        (v.MONEY_MAX + 1, "money_too_large"),
        (Decimal("1000000000000.01"), "money_too_large"),
        (None, "money_invalid"),
        ("lots", "money_invalid"),
        (True, "money_invalid"),
        (Decimal("NaN"), "money_invalid"),
        (float("inf"), "money_invalid"),
    ],
)
def test_validate_money_refuses(value, code):
    assert error_code(v.validate_money, value) == code


def test_money_max_is_one_trillion_rupiah():
    assert v.MONEY_MAX == 1_000_000_000_000
    assert v.WORKERS_MAX == 10_000


@pytest.mark.parametrize("value", [0, 1, 25, v.WORKERS_MAX, Decimal("3"), 4.0])
def test_validate_count_accepts(value):
    assert v.validate_count(value) is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "count_negative"),
        (v.WORKERS_MAX + 1, "count_too_large"),
        (2.5, "count_invalid"),
        (Decimal("0.5"), "count_invalid"),
        ("3", "count_invalid"),
        (None, "count_invalid"),
        (True, "count_invalid"),
        (float("nan"), "count_invalid"),
    ],
)
def test_validate_count_refuses(value, code):
    assert error_code(v.validate_count, value) == code


@pytest.mark.parametrize("year", [1900, 1985, 2025, 2026])
def test_validate_year_started_accepts(year):
    assert v.validate_year_started(year, today=TODAY) is None


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (1899, "year_too_early"),
        (0, "year_too_early"),
        (2027, "year_in_future"),
        ("2019", "year_invalid"),
        (None, "year_invalid"),
        (2019.5, "year_invalid"),
    ],
)
def test_validate_year_started_refuses(year, code):
    assert error_code(v.validate_year_started, year, today=TODAY) == code


def test_validate_year_started_defaults_to_this_year():
    this_year = timezone.localdate().year
    assert v.validate_year_started(this_year) is None
    assert error_code(v.validate_year_started, this_year + 1) == "year_in_future"


# --- Coordinates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (None, None),
        ("", ""),
        (-6.4817, 106.8540),  # Cibinong
        (Decimal("-6.5950"), Decimal("106.8166")),  # Kota Bogor, an enclave: near enough
        ("-6.7", "106.5"),
        (-6.90, 106.28),
        (-6.20, 107.26),
    ],
)
def test_validate_coordinates_accepts(latitude, longitude):
    assert v.validate_coordinates(latitude, longitude) is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [
        (-6.48, None, "coordinates_incomplete"),
        (None, 106.85, "coordinates_incomplete"),
        ("", 106.85, "coordinates_incomplete"),
        (-6.1754, 106.8272, "coordinates_outside"),  # Monas, Jakarta
        (-6.9175, 107.6191, "coordinates_outside"),  # Bandung
        (106.85, -6.48, "coordinates_outside"),  # swapped
        (0, 0, "coordinates_outside"),
        (-6.91, 106.85, "coordinates_outside"),
        (-6.48, 107.27, "coordinates_outside"),
        (float("nan"), 106.85, "coordinates_outside"),
        ("south", "east", "coordinates_invalid"),
    ],
)
def test_validate_coordinates_refuses(latitude, longitude, code):
    assert error_code(v.validate_coordinates, latitude, longitude) == code


# --- Business scale -------------------------------------------------------------------

BN = 1_000_000_000


def test_scale_choices():
    assert [s.value for s in scale_rules.Scale] == ["mikro", "kecil", "menengah", "besar"]
    with translation.override("en"):
        assert [str(s.label) for s in scale_rules.Scale] == ["micro", "small", "medium", "large"]


@pytest.mark.parametrize(
    ("capital", "scale"),
    [
        (0, scale_rules.Scale.MIKRO),
        (BN, scale_rules.Scale.MIKRO),
        (Decimal("1000000000.00"), scale_rules.Scale.MIKRO),
        (Decimal("1000000000.01"), scale_rules.Scale.KECIL),
        (BN + 1, scale_rules.Scale.KECIL),
        (5 * BN, scale_rules.Scale.KECIL),
        (5 * BN + 1, scale_rules.Scale.MENENGAH),
        (10 * BN, scale_rules.Scale.MENENGAH),
        (10 * BN + 1, scale_rules.Scale.BESAR),
    ],
)
def test_scale_by_capital(capital, scale):
    assert scale_rules.scale_by_capital(capital) == scale


@pytest.mark.parametrize(
    ("sales", "scale"),
    [
        (0, scale_rules.Scale.MIKRO),
        (2 * BN, scale_rules.Scale.MIKRO),
        (Decimal(2 * BN) + Decimal("0.01"), scale_rules.Scale.KECIL),
        (15 * BN, scale_rules.Scale.KECIL),
        (15 * BN + 1, scale_rules.Scale.MENENGAH),
        (50 * BN, scale_rules.Scale.MENENGAH),
        (50 * BN + 1, scale_rules.Scale.BESAR),
    ],
)
def test_scale_by_sales(sales, scale):
    assert scale_rules.scale_by_sales(sales) == scale


@pytest.mark.parametrize(
    ("capital", "sales", "year_started", "scale"),
    [
        # Started this year: capital decides.
        (2 * BN, BN, 2026, scale_rules.Scale.KECIL),
        (Decimal(BN), 20 * BN, 2026, scale_rules.Scale.MIKRO),
        (None, 20 * BN, 2026, scale_rules.Scale.MENENGAH),
        # Older: annual sales decide.
        (2 * BN, BN, 2025, scale_rules.Scale.MIKRO),
        (BN, Decimal(60 * BN), 2010, scale_rules.Scale.BESAR),
        (6 * BN, None, 2010, scale_rules.Scale.MENENGAH),
        # Unknown start: treated as not new, so sales.
        (2 * BN, BN, None, scale_rules.Scale.MIKRO),
        (None, None, 2026, None),
        (None, None, 2010, None),
        (None, None, None, None),
    ],
)
def test_compute_scale(capital, sales, year_started, scale):
    result = scale_rules.compute_scale(
        capital=capital, annual_sales=sales, year_started=year_started, today=TODAY
    )
    assert result == scale
    assert result is None or isinstance(result, scale_rules.Scale)


def test_compute_scale_defaults_to_this_year():
    this_year = timezone.localdate().year
    result = scale_rules.compute_scale(capital=2 * BN, annual_sales=BN, year_started=this_year)
    assert result == scale_rules.Scale.KECIL


# --- KBLI -----------------------------------------------------------------------------

# Copied from DOMAIN.md, not from the module, so that a typo in either shows up.
DOMAIN_DIVISIONS = (
    "01-03 A, 05-09 B, 10-33 C, 35 D, 36-39 E, 41-43 F, 45-47 G, 49-53 H, 55-56 I, "
    "58-63 J, 64-66 K, 68 L, 69-75 M, 77-82 N, 84 O, 85 P, 86-88 Q, 90-93 R, 94-96 S, "
    "97-98 T, 99 U"
)


def _expected_divisions():
    expected = {}
    for part in DOMAIN_DIVISIONS.split(", "):
        span, letter = part.split()
        first, _, last = span.partition("-")
        for division in range(int(first), int(last or first) + 1):
            expected[f"{division:02d}"] = letter
    return expected


EXPECTED_DIVISIONS = _expected_divisions()


def test_kbli_categories_are_a_to_u():
    letters = [letter for letter, _name in kbli.KBLI_CATEGORIES]
    assert letters == list("ABCDEFGHIJKLMNOPQRSTU")
    names = dict(kbli.KBLI_CATEGORIES)
    assert names["C"] == "Industri Pengolahan"
    assert names["G"] == (
        "Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor"
    )
    assert names["I"] == "Penyediaan Akomodasi dan Penyediaan Makan Minum"
    assert names["E"].startswith("Treatment Air, Treatment Air Limbah,")
    assert names["U"] == "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya"


@pytest.mark.parametrize("division", [f"{n:02d}" for n in range(100)])
def test_every_division_maps_as_in_the_domain_notes(division):
    code = f"{division}101"
    if division in EXPECTED_DIVISIONS:
        assert kbli.kbli_category_for_code(code) == EXPECTED_DIVISIONS[division]
        assert kbli.validate_kbli_code(code) is None
    else:
        assert error_code(kbli.kbli_category_for_code, code) == "kbli_code"
        assert error_code(kbli.validate_kbli_code, code) == "kbli_code"


@pytest.mark.parametrize(
    ("code", "category"),
    [("47111", "G"), ("56101", "I"), ("10792", "C"), (" 01111 ", "A"), ("99000", "U")],
)
def test_kbli_category_for_code(code, category):
    assert kbli.kbli_category_for_code(code) == category


@pytest.mark.parametrize("code", ["", None, "4711", "471111", "4711A", "47 11", "04000", "89000"])
def test_validate_kbli_code_refuses(code):
    assert error_code(kbli.validate_kbli_code, code) == "kbli_code"


@pytest.mark.parametrize(
    ("code", "category"), [("47111", "G"), ("47111", "g"), ("47111", ""), ("47111", None)]
)
def test_kbli_matches_category(code, category):
    assert kbli.validate_kbli_matches_category(code, category) is None


@pytest.mark.parametrize(
    ("code", "category", "error"),
    [
        ("47111", "C", "kbli_mismatch"),
        ("56101", "G", "kbli_mismatch"),
        ("10792", "Z", "kbli_mismatch"),
        ("04000", "A", "kbli_code"),
    ],
)
def test_kbli_mismatch_refused(code, category, error):
    assert error_code(kbli.validate_kbli_matches_category, code, category) == error
