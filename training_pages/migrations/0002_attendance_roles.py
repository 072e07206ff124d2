"""Who takes attendance and handles certificates: the office and the kecamatan operators;
validators look on."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("participant", "attendance", "certificate")
ROLES = {
    "Admin Dinas": ("add", "change", "view"),
    "Operator Kecamatan": ("add", "change", "view"),
    "Validator PUM": ("view",),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("training_pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        codenames = [f"{action}_{model}" for model in MODELS for action in actions]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="training_pages", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="training_pages", content_type__model__in=MODELS
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("training_pages", "0001_initial"),
        ("sme_registry", "0004_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
