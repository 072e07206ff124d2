from django.core.management.base import BaseCommand

from training_pages.followups import send_followups


class Command(BaseCommand):
    help = (
        "After trainings and events end: settle attendance, issue certificates and e-mail "
        "attendees the feedback form and certificate links (safe to run hourly)."
    )

    def handle(self, *args, **options):
        queued = send_followups()
        self.stdout.write(f"{queued} follow-up e-mail(s) queued.")
