"""Admin Dinas uploads and removes the map's kecamatan boundaries (`core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0039_boundary_files")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
