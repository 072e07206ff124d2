"""What review outcomes tell the applicant (the state changes are in `transitions`)."""

from django.db import transaction


def notify_owner(business, reason, note):
    """E-mail the owner a private link with the reviewer's reason, after the change commits."""
    from sme_registry import links, notifications
    from sme_registry.models import RegistrationPage

    page = business.registration_page.specific if business.registration_page_id else None
    if not isinstance(page, RegistrationPage):
        page = RegistrationPage.objects.live().first()
    owner = business.owner
    if page is None or not owner.email:
        return
    link = links.owner_link(owner, page)
    transaction.on_commit(
        lambda: notifications.send_owner_link.enqueue(owner.pk, link, reason, note, business.name)
    )
