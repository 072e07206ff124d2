"""The roles' permissions on outreach sessions and mentoring visits (see the README, "Roles")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Admin Dinas": {
        "outreachsession": ("add", "change", "view"),
        "mentoringvisit": ("add", "change", "delete", "view"),
    },
    "Operator Kecamatan": {
        "outreachsession": ("add", "change", "view"),
        "mentoringvisit": ("view",),
    },
    "Validator PUM": {"outreachsession": ("view",), "mentoringvisit": ("view",)},
    "Analis": {"outreachsession": ("view",), "mentoringvisit": ("view",)},
    "Pendamping": {"mentoringvisit": ("add", "change", "view")},
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("sme_registry")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="sme_registry", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0014_outreach_and_mentoring")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
