"""Completed drafts and confirmed businesses drop the personal data they no longer need."""

from django.db import migrations

KEPT_WHEN_COMPLETED = ("context", "nonce")


def forget(apps, schema_editor):
    RegistrationDraft = apps.get_model("sme_registry", "RegistrationDraft")
    Business = apps.get_model("sme_registry", "Business")
    for draft in RegistrationDraft.objects.filter(completed_at__isnull=False).iterator():
        draft.data = {k: v for k, v in draft.data.items() if k in KEPT_WHEN_COMPLETED}
        draft.files = {}
        draft.save(update_fields=["data", "files"])
    Business.objects.filter(owner_confirmed=True).exclude(owner_claim={}).update(owner_claim={})
    for business in Business.objects.filter(owner_confirmed=False).iterator():
        if "nik" in (business.owner_claim or {}):
            claim = dict(business.owner_claim)
            claim.pop("nik")
            Business.objects.filter(pk=business.pk).update(owner_claim=claim)


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0022_validated_email_text")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
