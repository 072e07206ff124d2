"""The three phases of an import batch: read the file, check every row (dry run), apply.

Each phase works in chunks and records its progress on the batch, so the
admin shows a progress bar, a cancel takes effect within a chunk, and a
stopped phase resumes where it stopped. Each row is applied in its own
transaction together with the mark that it was applied: a row is never
written twice, and one bad row never stops the others. The background tasks
(`sme_registry.imports.tasks`) and `manage.py import_registry` both run these.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sme_registry.imports import fields, files
from sme_registry.imports.rows import ROW, RowChecker
from sme_registry.models import ImportBatch, ImportRow
from sme_registry.review_notifications import without_notices
from sme_registry.services.imports import import_row

logger = logging.getLogger(__name__)
State = ImportBatch.State
Outcome = ImportRow.Outcome
READ_CHUNK = 1000
CHECK_CHUNK = 500
# Rows applied between two looks at the cancel button and two progress saves.
APPLY_CHUNK = 25


class Cancelled(Exception):
    pass


class _RowRefused(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _save(batch, **values):
    for name, value in values.items():
        setattr(batch, name, value)
    batch.save(update_fields=[*values, "updated_at"])


def _cancel_requested(batch):
    return ImportBatch.objects.filter(pk=batch.pk, cancel_requested=True).exists()


def _stop(batch):
    _save(batch, state=State.CANCELLED, cancel_requested=False)
    raise Cancelled


# --- Uploading ----------------------------------------------------------------------------


def create(fileobj, file_name, sheet, user, *, columns, mapping_name="", as_validated=False):
    """A new batch for an inspected file (`files.inspect`), the file kept in private storage."""
    from django.core.files import File

    from sme_registry import uploads

    batch = ImportBatch(
        file_name=(file_name or "")[:200],
        file_format=sheet.file_format,
        csv_dialect=sheet.dialect,
        header=sheet.header,
        header_row=sheet.header_row,
        preview=sheet.preview,
        columns=columns,
        mapping_name=mapping_name,
        as_validated=as_validated,
        created_by=user,
    )
    fileobj.seek(0)
    name = uploads.random_upload_name("registry/imports", sheet.file_format)
    with transaction.atomic():
        batch.file.save(name, File(fileobj), save=False)
        batch.save()
    return batch


# --- Reading ------------------------------------------------------------------------------


def read(batch, progress=None):
    """Store the file's rows as `ImportRow`s, then delete the file (its rows are all kept).

    The file is deleted only once every row is stored: a batch without its file has
    been read; one with it is read again from the start (a worker stopped mid-way).
    """
    if not batch.file:
        return
    batch.rows.all().delete()
    _save(batch, state=State.READING, preview=[], rows_total=0)
    count, pending = 0, []
    try:
        with batch.file.open("rb") as handle:
            for number, cells in files.rows(handle, batch.file_format, batch.csv_dialect):
                if number <= batch.header_row or files.is_blank(cells):
                    continue
                count += 1
                if count > files.max_rows():
                    files._too_many_rows()
                pending.append(ImportRow(batch=batch, number=number, cells=cells))
                if len(pending) >= READ_CHUNK:
                    _flush(batch, pending, count, progress)
                    pending = []
    except files.FileRefused as exc:
        ImportRow.objects.filter(batch=batch).delete()
        _save(batch, state=State.FAILED, error=" ".join(exc.messages), rows_total=0)
        _delete_file(batch)
        return
    _flush(batch, pending, count, progress)
    _delete_file(batch)


def _flush(batch, pending, count, progress):
    ImportRow.objects.bulk_create(pending)
    _save(batch, rows_total=count)
    if progress:
        progress("read", count, None)


def _delete_file(batch):
    if batch.file:
        batch.file.delete(save=False)
        _save(batch, file="")


# --- The dry run --------------------------------------------------------------------------


def check(batch, progress=None):
    """Judge every row as the import would, writing nothing but the rows' verdicts."""
    read(batch, progress)
    batch.refresh_from_db()
    if batch.state == State.FAILED:
        return
    _save(batch, state=State.CHECKING)
    checker = RowChecker(batch, batch.created_by)
    # Resuming: the NIBs of the rows already checked are still "seen".
    for number, cells in _checked_rows(batch):
        checker.remember(number, cells)
    done = batch.rows_checked
    try:
        while True:
            chunk = list(
                batch.rows.filter(outcome=Outcome.PENDING).order_by("number")[:CHECK_CHUNK]
            )
            if not chunk:
                break
            checker.prefetch(chunk)
            for row in chunk:
                verdict = checker.check(row.number, row.cells)
                row.outcome, row.errors, row.changes = (
                    verdict.outcome,
                    verdict.errors,
                    verdict.changes,
                )
                row.business = verdict.business
            # One INSERT … ON CONFLICT for the chunk: far cheaper than bulk_update's CASE per column.
            ImportRow.objects.bulk_create(
                chunk,
                update_conflicts=True,
                unique_fields=["batch", "number"],
                update_fields=["outcome", "errors", "changes", "business"],
            )
            done += len(chunk)
            _save(batch, rows_checked=done)
            if progress:
                progress("check", done, batch.rows_total)
            if _cancel_requested(batch):
                _stop(batch)
    except Cancelled:
        return
    to_apply = batch.rows.filter(outcome__in=ImportRow.TO_APPLY).count()
    _save(batch, state=State.CHECKED, checked_at=timezone.now(), rows_to_apply=to_apply)


def _checked_rows(batch):
    if not batch.rows_checked:
        return []
    return (
        (row.number, row.cells)
        for row in batch.rows.exclude(outcome__in=(Outcome.PENDING, Outcome.REFUSED)).only(
            "number", "cells"
        )
    )


def counts(batch):
    """{outcome: rows} of the batch."""
    from django.db.models import Count

    return dict(batch.rows.values_list("outcome").annotate(n=Count("pk")).order_by())


# --- Applying -----------------------------------------------------------------------------


def _errors_by_key(exc):
    """A service's errors (keyed by model field) keyed by the import field of the same name."""
    if not hasattr(exc, "error_dict"):
        return {ROW: [str(m) for m in exc.messages]}
    errors = {}
    by_name = {}
    for import_field in reversed(fields.FIELDS):
        by_name[import_field.name.removesuffix("_id")] = import_field.key
    for name, messages in exc.message_dict.items():
        key = by_name.get(name.removesuffix("_id"), ROW)
        errors.setdefault(key, []).extend(str(m) for m in messages)
    return errors


def apply_row(batch, checker, row):
    """Check the row again against the registry as it is now, then write it (one transaction)."""
    provenance = {"batch": batch.pk, "file": batch.file_name, "row": row.number}
    try:
        with transaction.atomic():
            verdict = checker.check(row.number, row.cells)
            if verdict.outcome == Outcome.REFUSED:
                raise _RowRefused(verdict.errors)
            row.outcome, row.changes, row.errors = verdict.outcome, verdict.changes, {}
            if verdict.outcome != Outcome.UNCHANGED:
                business, validated = import_row(
                    verdict.registration,
                    user=batch.created_by,
                    provenance=provenance,
                    business=verdict.business,
                    owner=verdict.owner,
                    as_validated=batch.as_validated,
                )
                row.business = business
                if batch.as_validated and not validated:
                    row.errors = {
                        ROW: [_("Imported, but left in review: a step is not yours to approve.")]
                    }
            row.applied = True
            row.save(update_fields=["outcome", "changes", "errors", "business", "applied"])
    except _RowRefused as exc:
        _refuse_row(row, exc.errors)
    except (ValidationError, PermissionDenied) as exc:
        errors = (
            _errors_by_key(exc)
            if isinstance(exc, ValidationError)
            else {ROW: [_("You may not import this row.")]}
        )
        _refuse_row(row, errors)
    except Exception:
        # A defect must not cost the rest of the file; the row says so and the log has it.
        logger.exception("Import %s: row %s failed", batch.pk, row.number)
        _refuse_row(
            row, {ROW: [_("This row could not be imported because of an error on our side.")]}
        )


def _refuse_row(row, errors):
    row.outcome, row.errors, row.applied, row.business = Outcome.REFUSED, errors, True, None
    row.save(update_fields=["outcome", "errors", "applied", "business"])


def apply(batch, progress=None):
    """Write every row the dry run accepted and that is not written yet."""
    if batch.checked_at is None:
        raise ValueError("An import is applied only after its dry run.")
    if batch.as_validated and not batch.created_by.has_perm("sme_registry.import_as_validated"):
        _save(batch, as_validated=False)
    # Resuming: what is written is counted from the rows, whatever the last save said.
    applied = batch.rows.filter(applied=True).count()
    _save(batch, state=State.APPLYING, rows_applied=applied)
    checker = RowChecker(batch, batch.created_by)
    pending = batch.rows.filter(outcome__in=ImportRow.TO_APPLY, applied=False).order_by("number")
    try:
        with without_notices():
            while True:
                chunk = list(pending[:APPLY_CHUNK])
                if not chunk:
                    break
                for row in chunk:
                    apply_row(batch, checker, row)
                ImportBatch.objects.filter(pk=batch.pk).update(
                    rows_applied=F("rows_applied") + len(chunk), updated_at=timezone.now()
                )
                batch.refresh_from_db(fields=["rows_applied"])
                if progress:
                    progress("apply", batch.rows_applied, batch.rows_to_apply)
                if _cancel_requested(batch):
                    _stop(batch)
    except Cancelled:
        return
    _save(batch, state=State.DONE, applied_at=timezone.now())
