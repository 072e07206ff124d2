"""Admin Dinas writes evaluation reports; the other office roles read them (`core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0036_evaluation_reports")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
