"""Import a CSV or XLSX file of SME data from the terminal: the admin's import, without the browser.

For files too big to upload comfortably. The same checks, the same dry run and
the same services as *Registri UMKM → Impor*, in the name of --user (whose
area limits the rows), recorded as an import batch that the admin shows.
"""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from sme_registry import permissions
from sme_registry.imports import batches, fields, files
from sme_registry.models import ImportBatch, ImportMapping, ImportRow

TEMPLATE_MAPPING = "template"


class Command(BaseCommand):
    help = (
        "Import SME data from a CSV or XLSX file: dry run, then apply (unless --dry-run). "
        f"--mapping is a saved column mapping's name, or '{TEMPLATE_MAPPING}' for the "
        "office template's headers."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", default=TEMPLATE_MAPPING)
        parser.add_argument("--user", required=True, help="The staff user importing (username).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--as-validated",
            action="store_true",
            help="Approve every review step in the user's name (Admin Dinas only).",
        )

    def handle(self, *args, file, mapping, user, dry_run, as_validated, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        importer = get_user_model().objects.filter(username=user, is_active=True).first()
        if importer is None:
            raise CommandError(f"No active user {user!r}.")
        if not permissions.import_batch_policy.user_has_permission(importer, "add"):
            raise CommandError(f"{user} may not import.")
        if as_validated and not importer.has_perm("sme_registry.import_as_validated"):
            raise CommandError(f"{user} may not import as validated.")
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                sheet = files.inspect(upload, size_limit=False)
            except files.FileRefused as exc:
                raise CommandError(" ".join(exc.messages)) from None
            batch = batches.create(
                handle,
                path.name,
                sheet,
                importer,
                columns=self._columns(mapping, sheet.header),
                mapping_name="" if mapping == TEMPLATE_MAPPING else mapping,
                as_validated=as_validated,
            )
        self.stdout.write(f"Import #{batch.pk}: {len(batch.columns)} columns mapped.")
        started = time.monotonic()
        batches.check(batch, progress=self._progress)
        batch.refresh_from_db()
        self._end_line()
        if batch.state == ImportBatch.State.FAILED:
            raise CommandError(batch.error)
        self._summary(batch, "Dry run", started)
        if dry_run:
            return
        started = time.monotonic()
        batches.apply(batch, progress=self._progress)
        batch.refresh_from_db()
        self._end_line()
        self._summary(batch, "Import", started)

    def _columns(self, mapping, header):
        if mapping == TEMPLATE_MAPPING:
            columns = fields.auto_columns(header)
        else:
            saved = ImportMapping.objects.filter(name=mapping).first()
            if saved is None:
                names = ", ".join(ImportMapping.objects.values_list("name", flat=True)) or "-"
                raise CommandError(f"No saved mapping {mapping!r} (saved: {names}).")
            columns = saved.columns
        if not fields.column_indexes(columns, header):
            raise CommandError("No column of the file matches the mapping.")
        if not any(key in columns for key in fields.IDENTIFYING_KEYS):
            raise CommandError("The mapping has neither the NIK nor the NIB column.")
        return columns

    def _progress(self, phase, done, total):
        if total:
            width = 30
            filled = int(width * done / total) if total else 0
            bar = "#" * filled + "-" * (width - filled)
            line = f"\r{phase:>6} [{bar}] {done}/{total} ({100 * done // total}%)"
        else:
            line = f"\r{phase:>6} {done} rows"
        sys.stderr.write(line)
        sys.stderr.flush()

    def _end_line(self):
        sys.stderr.write("\n")

    def _summary(self, batch, phase, started):
        seconds = max(time.monotonic() - started, 1e-6)
        counts = batches.counts(batch)
        parts = ", ".join(
            f"{ImportRow.Outcome(key).label}: {value}" for key, value in sorted(counts.items())
        )
        self.stdout.write(
            f"{phase}: {batch.rows_total} rows in {seconds:.1f} s "
            f"({batch.rows_total / seconds:.0f} rows/s). {parts}"
        )
