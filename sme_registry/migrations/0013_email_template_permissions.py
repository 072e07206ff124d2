"""Admin Dinas manages the wording of the registry's e-mails."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("sme_registry")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Admin Dinas").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="sme_registry", codename__endswith="_emailtemplate"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0012_email_templates")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
