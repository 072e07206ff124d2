"""The workbooks the import hands out: the office's template and the refused rows.

The template names every field in its header (the built-in mapping reads
exactly these headers) and offers drop-down lists for the kecamatan, the
desa, the sector, the legal form and the other choices; the NIK, NIB and
phone columns are text so that Excel does not round them. The refused rows
come back in the file's own columns, with a comment on every bad cell and the
messages in a last column, ready to be corrected and uploaded again.
"""

import tempfile

from django.utils.translation import gettext as _

from sme_registry import kbli
from sme_registry.imports import fields
from sme_registry.imports.files import FORMULA
from sme_registry.imports.rows import ROW

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 5000
_LISTS_SHEET = "Daftar"


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def template_headers():
    return [str(f.label) for f in fields.FIELDS]


def _choice_lists():
    from sme_registry.forms import _regions

    kecamatan, desa = _regions()
    yes_no = [_("Yes"), _("No")]
    lists = {
        "kecamatan": sorted(k.name for k in kecamatan.values()),
        "desa": sorted({d.name for d in desa.values()}),
        "kbli": [f"{code} - {name}" for code, name in kbli.KBLI_CATEGORIES],
        "bool": yes_no,
    }
    for import_field in fields.FIELDS:
        if import_field.kind == "choice":
            lists[import_field.key] = [str(label) for _v, label in import_field.choices]
    return lists


def _list_key(import_field):
    if import_field.kind in ("kecamatan", "desa", "kbli", "bool"):
        return import_field.kind
    if import_field.kind == "choice":
        return import_field.key
    return None


def template_workbook():
    """The office's import template as a file object (XLSX)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    lists_sheet = workbook.create_sheet(_LISTS_SHEET)
    help_sheet = workbook.create_sheet(_("Instructions"))
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    lists = _choice_lists()
    list_ranges = {}
    for column, (key, values) in enumerate(lists.items()):
        letter = _column_letter(column)
        lists_sheet.cell(row=1, column=column + 1, value=key)
        for row, value in enumerate(values, start=2):
            lists_sheet.cell(row=row, column=column + 1, value=value)
        list_ranges[key] = f"{_LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    lists_sheet.sheet_state = "hidden"
    for column, import_field in enumerate(fields.FIELDS):
        letter = _column_letter(column)
        cell = sheet.cell(row=1, column=column + 1, value=str(import_field.label))
        cell.font = bold
        if import_field.required:
            cell.fill = required_fill
        sheet.column_dimensions[letter].width = max(14, min(40, len(str(import_field.label)) + 4))
        if import_field.digits:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=column + 1).number_format = "@"
        key = _list_key(import_field)
        if key:
            validation = DataValidation(
                type="list",
                formula1=f"={list_ranges[key]}",
                allow_blank=True,
                showErrorMessage=import_field.kind != "desa",
            )
            validation.error = _("Choose from the list.")
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    notes = [
        _("Fill in one business per row on the sheet “Data”; do not change the header row."),
        _("Yellow columns are required for a new record."),
        _(
            "An existing record is found by its NIB, then by the owner's NIK: its row "
            "updates it, and empty cells keep what is on record."
        ),
        _("Type NIK, NIB and phone numbers as text, never as numbers."),
        _("Dates: 31/12/1980. Amounts in rupiah: 15000000 or 15.000.000."),
        _("Choose the kecamatan, desa and sector from the drop-down lists."),
    ]
    help_sheet.column_dimensions["A"].width = 110
    for row, note in enumerate(notes, start=1):
        help_sheet.cell(row=row, column=1, value=note)
    return _saved(workbook)


def _saved(workbook):
    # On disk, not in memory: a file of refused rows may be large.
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(output)
    output.seek(0)
    return output


def _text(value):
    if isinstance(value, dict):
        return value.get(FORMULA, "")
    return value


def refused_workbook(batch, rows):
    """The refused rows in the file's own columns, each message beside its cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    indexes = fields.column_indexes(batch.columns, batch.header)
    key_at = {index: key for key, index in indexes.items()}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Refused rows"))
    bad_fill = PatternFill("solid", fgColor="F4CCCC")
    header = []
    for title in [*batch.header, _("Row in the file"), _("Messages")]:
        cell = WriteOnlyCell(sheet, title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    width = len(batch.header)
    for row in rows:
        cells = list(row.cells) + [None] * max(0, width - len(row.cells))
        out = []
        for index, value in enumerate(cells[:width]):
            cell = WriteOnlyCell(sheet, _text(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as it was, never a formula
            key = key_at.get(index)
            messages = row.errors.get(key) if key else None
            if messages:
                cell.fill = bad_fill
                cell.comment = Comment("\n".join(messages), "SI MBA UMI")
            out.append(cell)
        out.append(WriteOnlyCell(sheet, row.number))
        summary = []
        for key, messages in row.errors.items():
            label = str(fields.BY_KEY[key].label) if key in fields.BY_KEY else ""
            for message in messages:
                summary.append(f"{label}: {message}" if label and key != ROW else message)
        note = WriteOnlyCell(sheet, "\n".join(summary))
        note.data_type = "s"
        out.append(note)
        sheet.append(out)
    return _saved(workbook)
