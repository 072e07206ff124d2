"""KBLI 2020 (Peraturan BPS No. 2 Tahun 2020): the 21 categories A–U and their divisions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


KBLI_CATEGORIES = [
    ("A", "Pertanian, Kehutanan dan Perikanan"),
    ("B", "Pertambangan dan Penggalian"),
    ("C", "Industri Pengolahan"),
    ("D", "Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin"),
    (
        "E",
        "Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, "
        "dan Aktivitas Remediasi",
    ),
    ("F", "Konstruksi"),
    ("G", "Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor"),
    ("H", "Pengangkutan dan Pergudangan"),
    ("I", "Penyediaan Akomodasi dan Penyediaan Makan Minum"),
    ("J", "Informasi dan Komunikasi"),
    ("K", "Aktivitas Keuangan dan Asuransi"),
    ("L", "Real Estat"),
    ("M", "Aktivitas Profesional, Ilmiah dan Teknis"),
    (
        "N",
        "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, "
        "Agen Perjalanan dan Penunjang Usaha Lainnya",
    ),
    ("O", "Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib"),
    ("P", "Pendidikan"),
    ("Q", "Aktivitas Kesehatan Manusia dan Aktivitas Sosial"),
    ("R", "Kesenian, Hiburan dan Rekreasi"),
    ("S", "Aktivitas Jasa Lainnya"),
    (
        "T",
        "Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan "
        "Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri",
    ),
    ("U", "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya"),
]

# Divisions (golongan pokok, first two digits) of each category, from Peraturan BPS 2/2020.
# Numbers missing here (04, 34, 40, 44, ...) are not divisions.
_KBLI_DIVISION_RANGES = (
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
)
KBLI_DIVISIONS = {
    f"{division:02d}": letter
    for first, last, letter in _KBLI_DIVISION_RANGES
    for division in range(first, last + 1)
}


def kbli_category_for_code(code: str) -> str:
    """The category letter (A-U) of a 5-digit KBLI code; ValidationError if not a KBLI code."""
    cleaned = ("" if code is None else str(code)).strip()
    if not _is_digits(cleaned, 5) or cleaned[:2] not in KBLI_DIVISIONS:
        raise ValidationError(_("Enter a valid 5-digit KBLI code."), code="kbli_code")
    return KBLI_DIVISIONS[cleaned[:2]]


def validate_kbli_code(value) -> None:
    """Django field validator for a KBLI 2020 code."""
    kbli_category_for_code(value)


def validate_kbli_matches_category(code, category) -> None:
    """The chosen category must be the one the KBLI code belongs to; no category, no check."""
    expected = kbli_category_for_code(code)
    chosen = ("" if category is None else str(category)).strip().upper()
    if chosen and chosen != expected:
        raise ValidationError(
            _("The KBLI code does not belong to the chosen business category."),
            code="kbli_mismatch",
        )
