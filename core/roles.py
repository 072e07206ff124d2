"""The office's roles and what each may do: the one table, applied by the data migrations.

A role is a Wagtail group. Code never asks for a group's name: it asks for a
permission (`user.has_perm(...)`), and this table says which roles hold it.
The custom permissions are defined on the models they concern:

- `sme_registry.see_all_kecamatan`: records of every kecamatan, not only the
  operator's area (the operator's area is under *Operator areas*);
- `sme_registry.view_personal_data`: unmasked NIK, phone, address and birth date;
- `sme_registry.assign_mentor` / `sme_registry.mentor_business`: give a business
  a mentor / be offered as one;
- `sme_registry.archive_business`: take a record out of the registry (records
  are never deleted);
- `sme_registry.import_as_validated`: import records as already validated
  (every review step approved in the importer's name, audit-logged);
- `sme_registry.view_analysis`: the registry's figures under *Analisis* (an operator's
  for their own kecamatan);
- `core.view_audit_trail`: who viewed personal data, searched by NIK, exported.

`sync_roles` makes each group hold exactly the permissions listed here (within
the project's apps), so running it again after a change of the table is safe.
"""

ADMIN_DINAS = "Admin Dinas"
VALIDATOR = "Validator PUM"
OPERATOR = "Operator Kecamatan"
MENTOR = "Pendamping"
EDITOR = "Editor"
ANALYST = "Analis"

ROLES = (ADMIN_DINAS, VALIDATOR, OPERATOR, MENTOR, EDITOR, ANALYST)

# The apps whose permissions this table owns: a group's other permissions are
# left as an administrator set them.
MANAGED_APPS = ("axes", "core", "sme_registry", "training_pages")


def _crud(app_label, model, *actions):
    return [f"{app_label}.{action}_{model}" for action in actions]


_TRAINING_STAFF = [
    *_crud("training_pages", "participant", "add", "change", "view"),
    *_crud("training_pages", "attendance", "add", "change", "view"),
    *_crud("training_pages", "certificate", "add", "change", "view"),
]
_TRAINING_VIEW = [
    *_crud("training_pages", "participant", "view"),
    *_crud("training_pages", "attendance", "view"),
    *_crud("training_pages", "certificate", "view"),
]

# Personal tokens for the registry API (Settings → API tokens): each user makes, renames and
# revokes their own; a token acts with its owner's role and kecamatan.
_API_TOKENS = _crud("wagtailcore", "apitoken", "add", "change", "delete", "view")

# Bulk import (Registri UMKM → Impor): upload, check and apply one's own files; see the
# saved column mappings (saving one comes with importing).
_IMPORT = [
    *_crud("sme_registry", "importbatch", "add", "change", "view"),
    *_crud("sme_registry", "importmapping", "view"),
]

PERMISSIONS = {
    ADMIN_DINAS: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        *_crud("sme_registry", "business", "add", "change", "view"),
        "sme_registry.see_all_kecamatan",
        "sme_registry.view_personal_data",
        "sme_registry.assign_mentor",
        "sme_registry.archive_business",
        "sme_registry.view_analysis",
        *_IMPORT,
        "sme_registry.import_as_validated",
        *_crud("sme_registry", "importmapping", "change", "delete"),
        *_crud("sme_registry", "owner", "change", "view", "publish"),
        *_crud("sme_registry", "staffarea", "add", "change", "delete", "view"),
        *_crud("sme_registry", "emailtemplate", "add", "change", "view"),
        *_crud("sme_registry", "coveragetarget", "add", "change", "delete", "view"),
        # The kecamatan boundaries the map shades (Analisis → Peta).
        *_crud("sme_registry", "boundaryfile", "add", "delete", "view"),
        *_crud("sme_registry", "evaluationreport", "add", "change", "view"),
        *_crud("sme_registry", "indicatorsnapshot", "view"),
        *_crud("sme_registry", "outreachsession", "add", "change", "view"),
        *_crud("sme_registry", "mentoringvisit", "add", "change", "delete", "view"),
        *_TRAINING_STAFF,
        "core.view_audit_trail",
        # Sign-in lockouts (django-axes' record of failed sign-ins): see and lift them.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    VALIDATOR: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        *_crud("sme_registry", "business", "add", "change", "view"),
        "sme_registry.see_all_kecamatan",
        "sme_registry.view_personal_data",
        "sme_registry.assign_mentor",
        "sme_registry.view_analysis",
        *_IMPORT,
        *_crud("sme_registry", "owner", "change", "view", "publish"),
        *_crud("sme_registry", "outreachsession", "view"),
        *_crud("sme_registry", "mentoringvisit", "view"),
        *_crud("sme_registry", "evaluationreport", "view"),
        *_TRAINING_VIEW,
    ],
    OPERATOR: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        *_crud("sme_registry", "business", "add", "change", "view"),
        "sme_registry.view_analysis",
        *_IMPORT,
        *_crud("sme_registry", "owner", "view"),
        *_crud("sme_registry", "outreachsession", "add", "change", "view"),
        *_crud("sme_registry", "mentoringvisit", "view"),
        *_crud("sme_registry", "evaluationreport", "view"),
        *_TRAINING_STAFF,
    ],
    MENTOR: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        *_crud("sme_registry", "business", "view"),
        "sme_registry.mentor_business",
        *_crud("sme_registry", "mentoringvisit", "add", "change", "view"),
    ],
    EDITOR: ["wagtailadmin.access_admin"],
    ANALYST: [
        "wagtailadmin.access_admin",
        *_API_TOKENS,
        # Aggregates over every kecamatan, and outreach sessions (they name no business or
        # person); no business, owner, mentoring visit or participant record.
        "sme_registry.see_all_kecamatan",
        "sme_registry.view_analysis",
        *_crud("sme_registry", "outreachsession", "view"),
        *_crud("sme_registry", "evaluationreport", "view"),
    ],
}

# Page permissions on the whole tree, and image and document permissions on the root collection.
PAGE_PERMISSIONS = {
    ADMIN_DINAS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    EDITOR: ("add_page", "change_page", "publish_page"),
}
MEDIA_PERMISSIONS = ("add", "change", "choose", "delete")


def _create_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(Permission, dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _publish_permission(apps, dotted):
    """Wagtail creates publish permissions after migrating; the roles need them earlier."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = dotted.split(".")
    model = codename.removeprefix("publish_")
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return None
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can publish {model}"}
    )
    return permission


def sync_roles(apps, schema_editor=None):
    """Create the groups and give each exactly its permissions in the managed apps.

    Called by data migrations with the historical `apps`; a permission whose
    model does not exist yet at that point is skipped and granted by a later run.
    """
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = set()
        for dotted in PERMISSIONS[role]:
            permission = _permission(Permission, dotted)
            if permission is None and ".publish_" in dotted:
                permission = _publish_permission(apps, dotted)
            if permission is not None:
                wanted.add(permission.pk)
        managed = set(
            group.permissions.filter(content_type__app_label__in=MANAGED_APPS).values_list(
                "pk", flat=True
            )
        )
        group.permissions.remove(*(managed - wanted))
        group.permissions.add(*wanted)
        for codename in PAGE_PERMISSIONS.get(role, ()):
            permission = _permission(Permission, f"wagtailcore.{codename}")
            if root_page and permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        if role in PAGE_PERMISSIONS and root_collection:
            for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
                for action in MEDIA_PERMISSIONS:
                    permission = _permission(Permission, f"{app_label}.{action}_{model}")
                    if permission:
                        GroupCollectionPermission.objects.get_or_create(
                            group=group, collection=root_collection, permission=permission
                        )
