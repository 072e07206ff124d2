"""Send e-mails whose delivery failed before. Safe to run every few minutes."""

from django.core.management.base import BaseCommand

from sme_registry.notifications import retry_due


class Command(BaseCommand):
    help = "Retry outgoing e-mails that could not be delivered yet."

    def handle(self, *args, **options):
        sent, failed = retry_due()
        self.stdout.write(f"{sent} e-mails sent, {failed} still failing.")
