"""The roles get django-axes' permissions as `core.roles` lists them (Admin Dinas unlocks)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("core", "0003_scoped_history"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
