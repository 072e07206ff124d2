"""Admin Dinas manages the wording of the registry's e-mails (the table is `core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0012_email_templates")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
