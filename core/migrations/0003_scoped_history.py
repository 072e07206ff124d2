"""History of registry and training records moves to the scoped log (`RecordLogEntry`)."""

from django.db import migrations

SCOPED = {
    "sme_registry": (
        "business",
        "owner",
        "outreachsession",
        "mentoringvisit",
        "staffarea",
        "emailtemplate",
    ),
    "training_pages": ("participant", "certificate"),
}
FIELDS = (
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
)


def move(apps, schema_editor):
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    RecordLogEntry = apps.get_model("core", "RecordLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = [
        ct.pk
        for app_label, models in SCOPED.items()
        for ct in ContentType.objects.filter(app_label=app_label, model__in=models)
    ]
    old = ModelLogEntry.objects.filter(content_type_id__in=types)
    RecordLogEntry.objects.bulk_create(
        RecordLogEntry(**{name: getattr(entry, name) for name in FIELDS})
        for entry in old.iterator()
    )
    old.delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_recordlogentry"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
