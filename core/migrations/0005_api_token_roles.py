"""Staff roles may make personal API tokens (Wagtail's own tokens, `core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_idempotent_responses"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
