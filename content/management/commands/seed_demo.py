"""Fill the site with realistic demo content. Safe to run again: nothing is duplicated.

Each app contributes its own demo data through the `seed_demo` Wagtail hook,
a callable taking a `core.demo.DemoContext` (the output, the site, its home page
and a way to add a page to the main menu).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wagtail import hooks

from content.demo import demo_context


class Command(BaseCommand):
    help = "Create demo pages and records (idempotent) and, in development, a demo admin."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the demo admin user."
        )

    def handle(self, *args, no_admin=False, **options):
        with transaction.atomic():
            demo = demo_context(self.stdout)
            for seed in hooks.get_hooks("seed_demo"):
                seed(demo)
        if not no_admin:
            self._demo_admin()

    def _demo_admin(self):
        username = getattr(settings, "DEMO_ADMIN_USERNAME", None)
        password = getattr(settings, "DEMO_ADMIN_PASSWORD", None)
        if not (username and password):
            return
        if not settings.DEBUG:
            raise CommandError("The demo admin is only created with DEBUG on (dev settings).")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": "admin@example.org",
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Admin",
                "last_name": "Demo",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo admin: http://localhost:8000/admin/  "
                f"username: {username}  password: {password}"
                + ("" if created else "  (existing account; password unchanged)")
            )
        )
