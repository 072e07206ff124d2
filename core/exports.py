"""The one way the admin writes spreadsheets: list exports and "export selected" alike.

Every cell is written as text a person reads: choices by their label, yes/no
for booleans, times in the site's time zone, and anything a spreadsheet
program would run as a formula (a cell starting with =, +, -, @, a tab or a
carriage return) defused with a leading apostrophe, in CSV and XLSX. Rows are
read in chunks, so exporting a million records keeps memory flat, and the
audit entry is written once the last row has gone out, with the real count.
"""

import csv
import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.coreutils import multigetattr

from core import audit

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def safe_text(value):
    """A cell value as text that no spreadsheet program evaluates."""
    text = force_str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _field(model, path):
    """The model field at the end of a dotted path, or None (a property, a method)."""
    parts = path.split(".")
    for index, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if index == len(parts) - 1:
            return field
        if not field.is_relation:
            return None
        model = field.related_model
    return None


def _get(item, parts):
    """`item.a.b` along a split dotted path; empty where a link is missing (no kecamatan, ...)."""
    for part in parts:
        if item is None:
            return None
        item = multigetattr(item, part)
    return item


def _as_text(value, yes, no):
    if callable(value):
        value = value()
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, models.Model):
        return force_str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(force_str(v) for v in value)
    return force_str(value)


def cell_reader(path, field):
    """A function giving what a person should read for `item.path`.

    Built once per export, in the language of the request: choice labels and yes/no
    are translated once, not once per cell (which was most of an export's time).
    """
    parts = path.split(".")
    yes, no = _("yes"), _("no")
    if field is not None and field.choices:
        labels = {value: force_str(label) for value, label in field.flatchoices}
        head, last = parts[:-1], parts[-1]
        attname = getattr(field, "attname", last)

        def read_choice(item):
            owner = _get(item, head) if head else item
            if owner is None:
                return ""
            value = getattr(owner, attname)
            return labels.get(value, force_str(value) if value is not None else "")

        return read_choice

    def read(item):
        return _as_text(_get(item, parts), yes, no)

    return read


def display_value(item, path, field):
    """What a person should read for `item.path` (one cell; exports use `cell_reader`)."""
    return cell_reader(path, field)(item)


class Exporter:
    """Writes rows of one model with given columns; used by list views and bulk actions."""

    def __init__(self, model, fields, headings=None, filename="export"):
        self.model = model
        self.fields = list(fields)
        self.headings = headings or {}
        self.filename = filename
        self._fields = {path: _field(model, path) for path in self.fields}
        self._readers_for = None

    def heading(self, path):
        if path in self.headings:
            return force_str(self.headings[path])
        field = self._fields[path]
        if field is not None:
            return capfirst(force_str(field.verbose_name))
        return path

    def header(self):
        return [safe_text(self.heading(path)) for path in self.fields]

    def row(self, item):
        readers = self._readers()
        return [safe_text(read(item)) for read in readers]

    def _readers(self):
        # Per language: an export runs in its request's language from start to end.
        language = get_language()
        if self._readers_for != language:
            self._cell_readers = [cell_reader(path, self._fields[path]) for path in self.fields]
            self._readers_for = language
        return self._cell_readers

    def rows(self, queryset):
        iterable = (
            queryset.iterator(chunk_size=CHUNK_SIZE)
            if hasattr(queryset, "iterator")
            else (queryset)
        )
        for item in iterable:
            yield self.row(item)

    def csv_lines(self, rows):
        """The CSV's lines, header first, each as text (a byte-order mark before the first,
        so spreadsheet programs read UTF-8 names correctly)."""

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        yield "\ufeff" + writer.writerow(self.header())
        for row in rows:
            yield writer.writerow(row)

    def csv_response(self, queryset, *, on_done=None):
        """A streamed CSV; `on_done(count)` runs once every row has been written."""
        counted = _Counted(self.rows(queryset))

        def stream():
            yield from self.csv_lines(counted)
            if on_done is not None:
                on_done(counted.count)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}.csv"'
        return response

    def write_xlsx(self, rows, output):
        """The workbook into `output` (a file), every cell text, never a formula."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="Data")
        sheet.append(self.header())
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value)
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            sheet.append(cells)
        workbook.save(output)

    def write(self, rows, export_format, output):
        """`rows` as CSV or XLSX into the binary file `output`."""
        if export_format == "xlsx":
            self.write_xlsx(rows, output)
            return
        for line in self.csv_lines(rows):
            output.write(line.encode("utf-8"))

    def xlsx_response(self, queryset, *, on_done=None):
        import tempfile

        from django.http import FileResponse

        counted = _Counted(self.rows(queryset))
        # Written to disk, not memory: a large export must not hold the whole file in RAM.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        self.write_xlsx(counted, output)
        output.seek(0)
        if on_done is not None:
            on_done(counted.count)
        return FileResponse(
            output,
            as_attachment=True,
            filename=f"{self.filename}.xlsx",
            content_type=CONTENT_TYPES["xlsx"],
        )

    def response(self, queryset, export_format, *, on_done=None):
        if export_format == "xlsx":
            return self.xlsx_response(queryset, on_done=on_done)
        return self.csv_response(queryset, on_done=on_done)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _Counted:
    """An iterable that counts what has gone through it (the audit's real row count)."""

    def __init__(self, iterable, every=None, on_progress=None):
        self.iterable = iterable
        self.count = 0
        self.every = every
        self.on_progress = on_progress

    def __iter__(self):
        for item in self.iterable:
            self.count += 1
            if self.every and self.count % self.every == 0:
                self.on_progress(self.count)
            yield item


class AuditedExportMixin:
    """For IndexViews with `list_export`: the Exporter's cells, and an audit entry per export."""

    def get(self, request, *args, **kwargs):
        # Straight from the filtered, scoped queryset to the file. Wagtail builds the
        # list's context first, and unpaginated (as an export is) that counts the rows
        # with len(): every record of the export in memory before the first line goes
        # out, which a worker does not survive at a million records.
        if self.is_export:
            self.object_list = self.get_queryset()
            export_format = request.GET.get("export")
            from core import background_exports

            if background_exports.goes_to_background(export_format, self.object_list):
                job = background_exports.start(request, self.export_label(), export_format)
                return redirect("core_export_progress", job.pk)
            return self.as_spreadsheet(self.object_list, export_format)
        return super().get(request, *args, **kwargs)

    def export_label(self):
        label = capfirst(force_str(self.model._meta.verbose_name_plural))
        return label if not self.is_filtering else _("%(list)s (filtered)") % {"list": label}

    def as_spreadsheet(self, queryset, spreadsheet_format):
        exporter = Exporter(
            queryset.model, self.list_export, self.export_headings, self.get_filename()
        )
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("export", None)

        def done(count):
            audit.record(
                user,
                audit.EXPORT,
                model=queryset.model,
                format=spreadsheet_format,
                query=query.urlencode() or "-",
                rows=count,
            )

        return exporter.response(queryset, spreadsheet_format, on_done=done)
