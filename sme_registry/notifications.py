"""E-mails to applicants and owners, through an outbox that retries.

Every message is first stored (`OutboxEmail`), then delivered in the background;
a failed delivery is retried by `send_outbox` with a growing delay.
"""

import logging

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def queue_email(to, subject, body, attachments=()):
    """Store a message for delivery; attachments: (filename, text content, mimetype) each."""
    from sme_registry.models import OutboxEmail

    message = OutboxEmail.objects.create(
        to=to,
        subject=subject[:255],
        body=body,
        attachments=[
            {"filename": name, "content": content, "mimetype": mimetype}
            for name, content, mimetype in attachments
        ],
    )
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    return message


@task()
def deliver_email(message_id):
    from sme_registry.models import OutboxEmail

    message = OutboxEmail.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is not None:
        deliver(message)


def deliver(message, now=None):
    """Try once; on failure record the error and when to try again."""
    now = now or timezone.now()
    try:
        email = EmailMessage(subject=message.subject, body=message.body, to=[message.to])
        for item in message.attachments or []:
            email.attach(item["filename"], item["content"], item["mimetype"])
        email.send()
    except Exception as exc:  # any transport error: keep the message for a retry
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        delay = min(2**message.attempts, 24 * 60)
        message.next_attempt_at = now + timezone.timedelta(minutes=delay)
        message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        logger.warning("E-mail %s not sent (attempt %s): %s", message.pk, message.attempts, exc)
        return False
    message.attempts += 1
    message.sent_at = now
    message.save(update_fields=["attempts", "sent_at"])
    return True


def retry_due(now=None):
    """Send what is due again; give up after OUTBOX_MAX_ATTEMPTS (kept for staff to see)."""
    from sme_registry.models import OutboxEmail

    now = now or timezone.now()
    due = OutboxEmail.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        sent_at__isnull=True,
        attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
    )
    sent = failed = 0
    for message in due.iterator():
        if deliver(message, now):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _send(to, subject_template, body_template, context, kind="", values=None):
    """Queue an e-mail, in the office's own wording when it has written one."""
    from sme_registry.models import EmailTemplate

    custom = EmailTemplate.objects.filter(kind=kind).first() if kind else None
    subject = body = None
    if custom is not None:
        subject, body = custom.render(values or {})
    if not (subject or "").strip() or not (body or "").strip():
        # No custom text, or one left empty: the built-in wording, so nothing goes out blank.
        with translation.override("id"):
            subject = render_to_string(subject_template, context).strip()
            body = render_to_string(body_template, context)
    queue_email(to, subject.strip(), body)


@task()
def send_tracking_code(business_id, status_url):
    from sme_registry import selectors
    from sme_registry.models import Business

    business = Business.objects.select_related("owner").get(pk=business_id)
    email = selectors.contact_email(business)
    if not email:
        return
    _send(
        email,
        "sme_registry/email/tracking_code_subject.txt",
        "sme_registry/email/tracking_code.txt",
        {"business": business, "status_url": status_url},
        kind="tracking_code",
        values={
            "nama": business.owner_claim.get("full_name") or business.owner.full_name,
            "usaha": business.name,
            "kode": business.tracking_code_display,
            "tautan": status_url,
        },
    )
    logger.info("Tracking code e-mailed for business %s", business_id)


@task()
def send_review_notice(business_id, reason, note=""):
    """The outcome of a review for whoever registered a business not confirmed by its owner."""
    from core.links import absolute_url
    from sme_registry import selectors
    from sme_registry.models import Business
    from sme_registry.services.review import registration_page_for

    business = Business.objects.select_related("owner").get(pk=business_id)
    email = selectors.contact_email(business)
    page = registration_page_for(business)
    if not email or page is None:
        return
    _send(
        email,
        "sme_registry/email/review_notice_subject.txt",
        "sme_registry/email/review_notice.txt",
        {
            "business": business,
            "reason": reason,
            "note": note,
            "status_url": absolute_url(page.url + page.reverse_subpage("status")),
        },
    )
    logger.info("Review outcome (%s) e-mailed for business %s", reason, business_id)


@task()
def send_owner_link(owner_id, link, reason, note="", business_name=""):
    """reason: "requested", "nik_reused", "stale", "changes_requested", "rejected" or "validated"."""
    from sme_registry.links import link_days
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
            "link_days": link_days(),
        },
        kind=f"owner_link_{reason}",
        values={"nama": owner.full_name, "usaha": business_name, "tautan": link, "alasan": note},
    )
    logger.info("Private link e-mailed to owner %s (%s)", owner_id, reason)
