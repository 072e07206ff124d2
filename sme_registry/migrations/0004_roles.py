"""The office's roles as Wagtail groups (see the README, "Roles")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRY = "sme_registry"
ROLES = {
    "Admin Dinas": [
        f"{REGISTRY}.{action}_{model}"
        for model in ("business", "owner", "staffarea", "indicatorsnapshot")
        for action in ("add", "change", "delete", "view")
    ]
    + [f"{REGISTRY}.publish_business", f"{REGISTRY}.publish_owner"],
    # Publishing a version is validating it.
    "Validator PUM": [
        f"{REGISTRY}.{p}"
        for p in (
            "add_business",
            "change_business",
            "view_business",
            "publish_business",
            "change_owner",
            "view_owner",
            "publish_owner",
        )
    ],
    "Operator Kecamatan": [
        f"{REGISTRY}.{p}"
        for p in ("add_business", "change_business", "view_business", "view_owner")
    ],
    "Pendamping": [f"{REGISTRY}.view_business"],
    "Editor": [],
    "Analis": [],
}
PAGE_PERMISSIONS = {
    "Admin Dinas": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    "Editor": ("add_page", "change_page", "publish_page"),
}
MEDIA_PERMISSIONS = ("add", "change", "choose", "delete")


def _permission(Permission, dotted, ContentType=None):
    app_label, codename = dotted.split(".")
    if codename.startswith("publish_") and ContentType is not None:
        # Wagtail adds publish permissions for draft-state models after migrating;
        # create them here so the roles can hold them from the start.
        model = codename.removeprefix("publish_")
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can publish {model}"},
        )
        return permission
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    access_admin = _permission(Permission, "wagtailadmin.access_admin")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            access_admin, *[_permission(Permission, p, ContentType) for p in permissions]
        )
        for codename in PAGE_PERMISSIONS.get(name, ()):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=_permission(Permission, f"wagtailcore.{codename}"),
            )
        if name in PAGE_PERMISSIONS and root_collection:
            for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
                for action in MEDIA_PERMISSIONS:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(Permission, f"{app_label}.{action}_{model}"),
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("sme_registry", "0003_staff_area_and_mentor"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
