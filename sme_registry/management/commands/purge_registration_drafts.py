"""Delete unfinished registration drafts, their uploads and orphaned uploads. Safe to run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.background_exports import purge_expired as purge_expired_exports
from core.idempotency import forget_old_answers
from sme_registry.services import purge_import_data, purge_orphan_files, purge_stale_drafts


class Command(BaseCommand):
    help = (
        "Delete registration drafts not touched for REGISTRATION_DRAFT_DAYS days, and private "
        "files that no record names, older than PRIVATE_ORPHAN_GRACE_HOURS hours, and the API's "
        "kept answers to Idempotency-Keys older than IDEMPOTENCY_KEY_HOURS hours, and the rows "
        "of imports not used for IMPORT_KEEP_DAYS days, and expired export files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.REGISTRATION_DRAFT_DAYS)
        parser.add_argument("--orphan-hours", type=int, default=settings.PRIVATE_ORPHAN_GRACE_HOURS)

    def handle(self, *args, days, orphan_hours, **options):
        count = purge_stale_drafts(days)
        self.stdout.write(f"Deleted {count} registration drafts older than {days} days.")
        orphans = purge_orphan_files(orphan_hours)
        self.stdout.write(
            f"Deleted {orphans} unreferenced private files older than {orphan_hours} hours."
        )
        imports = purge_import_data(settings.IMPORT_KEEP_DAYS)
        self.stdout.write(
            f"Deleted the rows of {imports} imports not used for {settings.IMPORT_KEEP_DAYS} days."
        )
        exports = purge_expired_exports()
        self.stdout.write(f"Deleted {exports} expired export files.")
        answers = forget_old_answers(settings.IDEMPOTENCY_KEY_HOURS)
        self.stdout.write(
            f"Deleted {answers} kept API answers older than {settings.IDEMPOTENCY_KEY_HOURS} hours."
        )
