"""What review outcomes tell the applicant (the state changes are in `transitions`).

A confirmed owner gets their private link with the outcome. A business that
arrived with a registered owner's NIK and is not confirmed yet is written
about to whoever registered it (`selectors.contact_email`), without the
owner's private link: that link opens the registered owner's own data.
"""

from django.db import transaction


def registration_page_for(business):
    from sme_registry.models import RegistrationPage

    page = business.registration_page.specific if business.registration_page_id else None
    if not isinstance(page, RegistrationPage):
        page = RegistrationPage.objects.live().order_by("path").first()
    return page


def notify_owner(business, reason, note=""):
    """E-mail the outcome of a review after the change commits: reason is "changes_requested",
    "rejected" or "validated"."""
    from sme_registry import links, notifications, selectors
    from sme_registry.review_notifications import notices_suppressed

    if notices_suppressed():
        return
    page = registration_page_for(business)
    if page is None:
        return
    if not business.owner_confirmed:
        if selectors.contact_email(business):
            transaction.on_commit(
                lambda: notifications.send_review_notice.enqueue(business.pk, reason, note)
            )
        return
    owner = business.owner
    if not owner.email:
        return
    link = links.owner_link(owner, page)
    transaction.on_commit(
        lambda: notifications.send_owner_link.enqueue(owner.pk, link, reason, note, business.name)
    )
