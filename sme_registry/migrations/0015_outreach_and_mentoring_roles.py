"""The roles' permissions on outreach sessions and mentoring visits (the table is `core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0014_outreach_and_mentoring")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
