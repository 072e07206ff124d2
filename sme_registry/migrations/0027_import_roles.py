"""Who may import (`core.roles`): Admin Dinas, Validator PUM and operators; Admin Dinas as validated."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0026_imports")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
