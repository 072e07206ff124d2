"""The roles hold exactly the permissions of `core.roles` once every model exists."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("training_pages", "0002_attendance_roles"),
        ("sme_registry", "0018_roles_from_table"),
        ("core", "0002_recordlogentry"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
