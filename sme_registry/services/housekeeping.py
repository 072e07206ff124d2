"""Keeping the registry tidy: unfinished drafts, and validated records nobody updates."""

from django.db.models import F
from django.utils import timezone

from sme_registry.enums import Status
from sme_registry.models import Business


def purge_stale_drafts(days):
    """Delete unfinished registration drafts older than `days`, and their uploaded files."""
    from sme_registry.models import RegistrationDraft
    from sme_registry.uploads import private_storage

    cutoff = timezone.now() - timezone.timedelta(days=days)
    stale = RegistrationDraft.objects.filter(completed_at__isnull=True, updated_at__lt=cutoff)
    storage = private_storage()
    count = 0
    for draft in stale.iterator():
        for name in draft.files.values():
            if name and storage.exists(name):
                storage.delete(name)
        draft.delete()
        count += 1
    return count


def remind_stale_businesses(months, *, page, now=None, send_link=None):
    """Flag validated businesses not updated for `months` months and send owners a link.

    Safe to run every day: a business is reminded again only after another
    `months` months, and a business updated since its reminder is unflagged.
    `send_link(owner, page)` delivers the private link (e-mail); owners without
    an e-mail stay flagged for staff to reach by WhatsApp.
    """
    from sme_registry.models import UpdateReminder

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=round(months * 30.44))
    UpdateReminder.objects.filter(business__updated_at__gt=F("flagged_at")).delete()
    stale = (
        Business.objects.filter(live=True, status=Status.VALIDATED, updated_at__lt=cutoff)
        .exclude(update_reminder__flagged_at__gte=cutoff)
        .select_related("owner")
    )
    flagged = emailed = 0
    for business in stale.iterator():
        reminder, _created = UpdateReminder.objects.update_or_create(
            business=business, defaults={"flagged_at": now, "emailed_at": None}
        )
        flagged += 1
        if business.owner.email and send_link is not None:
            send_link(business.owner, page)
            reminder.emailed_at = now
            reminder.save(update_fields=["emailed_at"])
            emailed += 1
    return flagged, emailed
