from django.core.management.base import BaseCommand

from training_pages.notifications import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail accepted participants the day before a session. "
        "Safe to run every hour: each participant is reminded once a day."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) queued.")
