"""Reading an uploaded CSV or XLSX file, treating it as hostile.

What the office receives comes from kecamatan spreadsheets and the national
SIDT database's exports; it may also be anything at all. So:

* the type is told from the content, never the name: an XLSX is a ZIP holding
  a workbook, a CSV is text without NUL bytes; an old binary .xls is refused
  with the advice to save it as .xlsx;
* an XLSX is opened as a ZIP first and refused when it unpacks to too much,
  compresses too well (a "zip bomb"), holds too many parts or is encrypted;
  openpyxl then reads it in read-only mode, with defusedxml guarding the XML;
* formulas are read as their text and never evaluated; the row check refuses
  a formula cell with its own message;
* a sheet with more rows or columns than the limits is refused whole.

Rows come out as lists of JSON-safe values: text, numbers, booleans, dates as
ISO text, and a formula as ``{"formula": "=…"}``.
"""

import csv
import datetime
import decimal
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

FORMULA = "formula"
PREVIEW_ROWS = 5
# How far down a header row is looked for (title rows above the table are common).
HEADER_SEARCH_ROWS = 20
CSV_DELIMITERS = ",;\t|"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def max_rows():
    return settings.IMPORT_MAX_ROWS


def max_columns():
    return settings.IMPORT_MAX_COLUMNS


def max_unzipped_bytes():
    return settings.IMPORT_XLSX_MAX_UNZIPPED_BYTES


# XML of a real sheet packs 5–20 times; a bomb thousands of times.
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 2000


class FileRefused(ValidationError):
    """The file as a whole cannot be imported (shown next to the upload field)."""


@dataclass
class SheetInfo:
    file_format: str
    header: list
    header_row: int
    preview: list = field(default_factory=list)
    dialect: dict = field(default_factory=dict)


def megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB"


def _refuse(message, code):
    raise FileRefused(message, code=code)


def sniff_format(head):
    """'xlsx' or 'csv' from the first bytes, or refuse with what to do instead."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(_XLS_MAGIC):
        _refuse(
            _(
                "This is an old Excel file (.xls). Open it in Excel or LibreOffice and "
                "save it as .xlsx or CSV, then upload it again."
            ),
            "xls",
        )
    if b"\x00" in head:
        _refuse(_("This file type is not supported: upload a CSV or XLSX file."), "type")
    return "csv"


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)


def is_blank(cells):
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def header_text(value):
    return " ".join(str(value).split()) if value is not None else ""


# --- XLSX ---------------------------------------------------------------------------------


def check_zip(fileobj):
    """Refuse a ZIP that is not a workbook or that would unpack to too much."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError):
        _refuse(_("The file is damaged or is not an Excel workbook (.xlsx)."), "zip")
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            _refuse(_("The file is damaged or is not an Excel workbook (.xlsx)."), "zip")
        if len(members) > MAX_ZIP_MEMBERS:
            _refuse(_("The workbook has too many parts to be a data sheet."), "zip_members")
        if any(m.flag_bits & 0x1 for m in members):
            _refuse(
                _("The workbook is password-protected: save it without a password."),
                "encrypted",
            )
        unpacked = sum(m.file_size for m in members)
        if unpacked > max_unzipped_bytes():
            _refuse(
                _("The workbook unpacks to more than %(size)s: split it into smaller files.")
                % {"size": megabytes(max_unzipped_bytes())},
                "zip_too_large",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                _refuse(
                    _(
                        "The workbook is packed in a way no spreadsheet program writes "
                        "(a possible zip bomb); it was not opened."
                    ),
                    "zip_bomb",
                )
    fileobj.seek(0)


def _open_sheet(fileobj):
    from openpyxl import load_workbook

    check_zip(fileobj)
    try:
        # read_only streams the sheet; data_only=False keeps formulas as their text.
        workbook = load_workbook(fileobj, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        _refuse(_("The file is damaged or is not an Excel workbook (.xlsx)."), "xlsx")
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        _refuse(_("The workbook has no sheet."), "no_sheet")
    declared_rows, declared_columns = sheet.max_row, sheet.max_column
    if declared_rows and declared_rows > max_rows() + HEADER_SEARCH_ROWS:
        _too_many_rows()
    if declared_columns and declared_columns > max_columns():
        _too_many_columns()
    return workbook, sheet


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return {FORMULA: str(value)}
    if value is not None and not isinstance(value, bool | int | float | str):
        # An ArrayFormula or DataTableFormula object is a formula too.
        text = getattr(value, "text", None)
        if text is not None:
            return {FORMULA: str(text)}
    return _json_value(value)


def _xlsx_rows(fileobj):
    workbook, sheet = _open_sheet(fileobj)
    try:
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if len(row) > max_columns():
                _too_many_columns()
            yield number, [_cell_value(cell) for cell in row]
    finally:
        workbook.close()


# --- CSV ----------------------------------------------------------------------------------


def _csv_dialect(fileobj):
    """The encoding (UTF-8, else Windows-1252 as Excel writes it) and the delimiter."""
    decoder_ok = True
    fileobj.seek(0)
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    sample = b""
    while chunk := fileobj.read(1024 * 1024):
        if b"\x00" in chunk:
            _refuse(_("This file type is not supported: upload a CSV or XLSX file."), "type")
        if len(sample) < 64 * 1024:
            sample += chunk[: 64 * 1024]
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            decoder_ok = False
            break
    fileobj.seek(0)
    encoding = "utf-8-sig" if decoder_ok else "cp1252"
    text = sample.decode(encoding, errors="ignore")
    try:
        delimiter = csv.Sniffer().sniff(text, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        delimiter = max(CSV_DELIMITERS, key=first.count)
    return {"encoding": encoding, "delimiter": delimiter}


def _csv_rows(fileobj, dialect):
    fileobj.seek(0)
    text = io.TextIOWrapper(fileobj, encoding=dialect["encoding"], errors="replace", newline="")
    try:
        reader = csv.reader(text, delimiter=dialect["delimiter"])
        for number, row in enumerate(reader, start=1):
            if len(row) > max_columns():
                _too_many_columns()
            yield number, row
    except csv.Error:
        _refuse(_("The CSV file could not be read: check that it is plain text."), "csv")
    finally:
        text.detach()


# --- Both ---------------------------------------------------------------------------------


def _too_many_rows():
    _refuse(
        ngettext(
            "The file has more than %(count)d row: split it into smaller files.",
            "The file has more than %(count)d rows: split it into smaller files.",
            max_rows(),
        )
        % {"count": max_rows()},
        "too_many_rows",
    )


def _too_many_columns():
    _refuse(
        _("The sheet has more than %(count)d columns: remove the columns you do not need.")
        % {"count": max_columns()},
        "too_many_columns",
    )


def rows(fileobj, file_format, dialect=None):
    """(row number, cells) of every row of the first sheet, empty rows included."""
    if file_format == "xlsx":
        return _xlsx_rows(fileobj)
    return _csv_rows(fileobj, dialect or _csv_dialect(fileobj))


def inspect(uploaded, *, size_limit=True):
    """Check an upload and find its header row; raise `FileRefused` with what to do.

    `size_limit=False` for a file given on the server's own terminal
    (`import_registry`): the row, column and unpacking limits still hold.
    """
    size = getattr(uploaded, "size", None)
    if size_limit and size is not None and size > max_bytes():
        _refuse(
            _("The file is larger than %(size)s: split it into smaller files.")
            % {"size": megabytes(max_bytes())},
            "too_large",
        )
    if size == 0:
        _refuse(_("The file is empty."), "empty")
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    file_format = sniff_format(head)
    dialect = _csv_dialect(uploaded) if file_format == "csv" else {}
    header, header_row, preview = None, 0, []
    for number, cells in rows(uploaded, file_format, dialect):
        if header is None:
            if number > HEADER_SEARCH_ROWS:
                break
            if sum(1 for c in cells if header_text(c)) >= 2:
                header, header_row = [header_text(c) for c in cells], number
            continue
        if is_blank(cells):
            continue
        preview.append([_preview_text(c) for c in cells[: len(header)]])
        if len(preview) >= PREVIEW_ROWS:
            break
    uploaded.seek(0)
    if header is None:
        _refuse(_("No header row was found: the first row should name the columns."), "no_header")
    while header and not header[-1]:
        header.pop()
    return SheetInfo(file_format, header, header_row, preview, dialect)


def _preview_text(value):
    if isinstance(value, dict):
        return value.get(FORMULA, "")
    return "" if value is None else str(value)[:60]
