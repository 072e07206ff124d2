"""Leaving the public directory: a withdrawal of consent, which applies at once.

Being listed is asked for like any other change (a new version, validated by
staff); being taken out is not a change to check but consent withdrawn
(UU 27/2022), so it is written to the live record and to the versions that
could bring the listing back.
"""

from django.db import transaction

from core import audit
from sme_registry.models import Business

DIRECTORY_OPT_OUT = "sme_registry.directory_opt_out"

# Given for the directory only: dropped with the consent.
WITHDRAWN = {"directory_opt_in": False, "public_phone": "", "public_link": ""}


@transaction.atomic
def withdraw_from_directory(business, *, user=None, via="owner"):
    """Take a business out of the public directory now; True when anything changed.

    The live record stops being listed before this returns. The pending version
    (if the owner's changes wait for validation) and the live version's copy are
    changed too, so validating or restoring either never lists the business again;
    the owner asks to be listed again through the normal review. Written to the
    record's history and the audit log, with who asked (`via`: "owner" or "staff").
    """
    business = Business.objects.select_for_update().get(pk=business.pk)
    changed = any(getattr(business, name) != value for name, value in WITHDRAWN.items())
    if changed:
        Business.objects.filter(pk=business.pk).update(**WITHDRAWN)
    for revision_id in {business.latest_revision_id, business.live_revision_id} - {None}:
        revision = business.revisions.select_for_update().get(pk=revision_id)
        content = revision.content
        if all(content.get(name, value) == value for name, value in WITHDRAWN.items()):
            continue
        content.update(WITHDRAWN)
        revision.content = content
        revision.save(update_fields=["content"])
        changed = True
    if changed:
        audit.record(user, DIRECTORY_OPT_OUT, business, via=via)
    return changed
