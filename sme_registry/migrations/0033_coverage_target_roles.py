"""Admin Dinas enters the coverage targets (`core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0032_coverage_targets")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
