"""The default validation workflow: the kecamatan checks, then PUM validates.

The office can change it under Settings → Workflows, like page moderation.
"""

from django.db import migrations


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    RegistryReviewTask = apps.get_model("sme_registry", "RegistryReviewTask")
    task_type = ContentType.objects.get_for_model(RegistryReviewTask)
    business_type, _ = ContentType.objects.get_or_create(app_label="sme_registry", model="business")
    if WorkflowContentType.objects.filter(content_type=business_type).exists():
        return
    admin = Group.objects.get(name="Admin Dinas")
    steps = [
        ("Pemeriksaan kecamatan", True, [Group.objects.get(name="Operator Kecamatan"), admin]),
        ("Validasi PUM", False, [Group.objects.get(name="Validator PUM"), admin]),
    ]
    workflow = Workflow.objects.create(name="Validasi UMKM", active=True)
    for order, (name, own_kecamatan, groups) in enumerate(steps):
        task = RegistryReviewTask.objects.create(
            name=name, active=True, own_kecamatan_only=own_kecamatan, content_type=task_type
        )
        task.groups.set(groups)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowContentType.objects.create(content_type=business_type, workflow=workflow)


class Migration(migrations.Migration):
    dependencies = [
        ("sme_registry", "0006_review_workflow"),
        ("sme_registry", "0004_roles"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
