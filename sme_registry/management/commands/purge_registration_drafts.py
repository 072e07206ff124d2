"""Delete unfinished registration drafts (and their uploads) left for too long. Safe to run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sme_registry.services import purge_stale_drafts


class Command(BaseCommand):
    help = "Delete registration drafts not touched for REGISTRATION_DRAFT_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.REGISTRATION_DRAFT_DAYS)

    def handle(self, *args, days, **options):
        count = purge_stale_drafts(days)
        self.stdout.write(f"Deleted {count} registration drafts older than {days} days.")
