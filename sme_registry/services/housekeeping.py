"""Keeping the registry tidy: unfinished drafts, and validated records nobody updates."""

from django.db.models import F
from django.utils import timezone

from sme_registry import selectors
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


def purge_import_data(days):
    """Delete the personal data an import keeps, `days` after the batch was last used.

    The cells of its rows (and of its preview) are cleared and an unread file is
    deleted; the report stays (outcomes, messages, the records made). A batch not
    applied by then can no longer be: it says so, and the file must be uploaded again.
    """
    from django.utils.translation import gettext as _

    from sme_registry.models import ImportBatch

    cutoff = timezone.now() - timezone.timedelta(days=days)
    # A batch "running" that long ago lost its worker long since: it goes too.
    old = ImportBatch.objects.filter(updated_at__lt=cutoff, purged_at__isnull=True)
    count = 0
    for batch in old.iterator():
        batch.rows.update(cells=[])
        if batch.file:
            batch.file.delete(save=False)
        fields = {"file": "", "preview": [], "purged_at": timezone.now()}
        if batch.state not in (ImportBatch.State.DONE, ImportBatch.State.FAILED):
            fields["state"] = ImportBatch.State.FAILED
            fields["error"] = _(
                "The rows of this file were deleted after %(days)s days without use: "
                "upload the file again to import it."
            ) % {"days": days}
        ImportBatch.objects.filter(pk=batch.pk).update(**fields)
        count += 1
    return count


def _walk(storage, directory):
    """Every file name under ``directory`` of ``storage``, recursively."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for folder in folders:
        yield from _walk(storage, f"{directory}/{folder}")


def referenced_private_files():
    """The private file names that some record still names, and so must be kept.

    Drafts of registrations, the live documents and photos, and every saved version
    of a business (an owner's update waiting for review, or one that could be
    restored) name files; a file named by none of them is an orphan.
    """
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Revision

    from sme_registry.models import BusinessPhoto, ImportBatch, LegalDocument, RegistrationDraft

    names = set()
    # An uploaded import file waits for its column mapping: its batch names it.
    names.update(ImportBatch.objects.exclude(file="").values_list("file", flat=True))
    for files in RegistrationDraft.objects.values_list("files", flat=True).iterator():
        names.update(name for name in (files or {}).values() if isinstance(name, str))
    names.update(LegalDocument.objects.exclude(file="").values_list("file", flat=True))
    names.update(BusinessPhoto.objects.values_list("image", flat=True))
    revisions = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Business)
    ).values_list("content", flat=True)
    for content in revisions.iterator(chunk_size=500):
        for key, field in (("legal_documents", "file"), ("photos", "image")):
            for child in (content or {}).get(key) or []:
                if isinstance(child, dict) and isinstance(child.get(field), str):
                    names.add(child[field])
    names.discard("")
    return names


def purge_orphan_files(hours, *, now=None):
    """Delete registry files in private storage that no record names, older than ``hours``.

    A request that failed after storing a file (or a process that died) leaves such
    files; the grace period spares files whose record is still being written and
    uploads an owner's page carries from one submission to the next.
    """
    from sme_registry.uploads import UPLOAD_PREFIX, private_storage

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=hours)
    storage = private_storage()
    keep = referenced_private_files()
    count = 0
    for name in _walk(storage, UPLOAD_PREFIX):
        if name in keep:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
            storage.delete(name)
        except FileNotFoundError:
            continue
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
    cutoff = selectors.stale_cutoff(months, now)
    UpdateReminder.objects.filter(business__updated_at__gt=F("flagged_at")).delete()
    stale = (
        Business.objects.filter(live=True)
        .filter(selectors.stale(cutoff))
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
