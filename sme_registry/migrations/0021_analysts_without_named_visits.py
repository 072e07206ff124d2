"""Analysts keep to aggregates: no longer the list of named mentoring visits (`core.roles`)."""

from django.db import migrations

from core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0020_rt_rw_postal_code")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
