"""E-mails to applicants and owners, sent in the background after the commit."""

import logging

from django_tasks import task

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def _send(to, subject_template, body_template, context):
    with translation.override("id"):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    EmailMessage(subject=subject, body=body, to=[to]).send()


@task()
def send_tracking_code(business_id, status_url):
    from sme_registry.models import Business

    business = Business.objects.select_related("owner").get(pk=business_id)
    email = (
        business.owner_claim.get("email") if not business.owner_confirmed else business.owner.email
    )
    if not email:
        return
    _send(
        email,
        "sme_registry/email/tracking_code_subject.txt",
        "sme_registry/email/tracking_code.txt",
        {"business": business, "status_url": status_url},
    )
    logger.info("Tracking code e-mailed for business %s", business_id)


@task()
def send_owner_link(owner_id, link, reason, note="", business_name=""):
    """reason: "requested", "nik_reused", "stale", "changes_requested" or "rejected"."""
    from sme_registry.models import Owner

    owner = Owner.objects.get(pk=owner_id)
    if not owner.email:
        return
    _send(
        owner.email,
        "sme_registry/email/owner_link_subject.txt",
        "sme_registry/email/owner_link.txt",
        {
            "owner": owner,
            "link": link,
            "reason": reason,
            "note": note,
            "business_name": business_name,
        },
    )
    logger.info("Private link e-mailed to owner %s (%s)", owner_id, reason)
