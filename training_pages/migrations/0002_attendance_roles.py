"""Who takes attendance and handles certificates (the table is `core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("training_pages", "0001_initial"),
        ("sme_registry", "0004_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
