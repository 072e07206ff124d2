"""Remind owners whose validated data has not been updated for a while. Safe to run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sme_registry import links, notifications, services
from sme_registry.models import RegistrationPage


class Command(BaseCommand):
    help = (
        "Flag validated businesses not updated for REGISTRY_STALE_AFTER_MONTHS months and "
        "e-mail their owners a private update link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=settings.REGISTRY_STALE_AFTER_MONTHS)

    def handle(self, *args, months, **options):
        page = RegistrationPage.objects.live().first()
        if page is None:
            raise CommandError("No live registration page: the update links point to one.")

        def send_link(owner, page):
            notifications.send_owner_link.enqueue(owner.pk, links.owner_link(owner, page), "stale")

        flagged, emailed = services.remind_stale_businesses(months, page=page, send_link=send_link)
        self.stdout.write(
            f"{flagged} businesses not updated for {months} months flagged; "
            f"{emailed} owners e-mailed, {flagged - emailed} to be reached by staff."
        )
