"""The roles hold exactly the permissions of `core.roles`, custom ones included."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("sme_registry", "0017_alter_business_options_alter_business_status"),
        ("core", "0002_recordlogentry"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
