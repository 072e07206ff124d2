"""Who sees the registry's figures (`core.roles`): Admin Dinas, Validator PUM, Analis, operators."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0030_analysis_permission")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
