"""After a training: settle attendance, issue certificates, send the feedback link.

Safe to run as often as wanted: each step is idempotent and each participant is
e-mailed once (`feedback_sent_at` is claimed before the message is queued).
"""

import datetime
import logging

from django_tasks import task

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.links import absolute_url
from sme_registry.notifications import queue_email
from sme_registry.selectors import contact_email
from training_pages.attendance import settle_attendance
from training_pages.certificates import issue_certificates
from training_pages.models import ActivityPage, Participant, ParticipantStatus

logger = logging.getLogger(__name__)

FOLLOW_UP_DAYS = 14


def certificate_url(participant):
    page = participant.page
    return absolute_url(
        page.url + page.reverse_subpage("certificate", kwargs={"token": participant.token})
    )


def _feedback_url(page):
    form = page.feedback_page
    if form is None or not form.live:
        return ""
    return absolute_url(form.url)


def send_followups(now=None):
    """Follow up every activity that ended within the last two weeks; returns e-mails queued."""
    now = now or timezone.now()
    pages = ActivityPage.objects.live().filter(
        ends_at__lt=now, ends_at__gte=now - datetime.timedelta(days=FOLLOW_UP_DAYS)
    )
    queued = 0
    for page in pages.select_related("feedback_page"):
        settle_attendance(page, now)
        if page.gives_certificate:
            issue_certificates(page)
        queued += _email_attendees(page, now)
    return queued


def _email_attendees(page, now):
    feedback_url = _feedback_url(page)
    attendees = (
        Participant.objects.filter(
            page=page, status=ParticipantStatus.ATTENDED, feedback_sent_at__isnull=True
        )
        .select_related("business__owner", "certificate", "page")
        .order_by("pk")
    )
    queued = 0
    for participant in attendees:
        certificate = getattr(participant, "certificate", None)
        if certificate is not None and not certificate.is_valid:
            certificate = None
        if not feedback_url and certificate is None:
            continue  # nothing to say (yet): a certificate may still be issued by staff
        # Whoever the business's messages go to (never a registered owner someone else named).
        email = contact_email(participant.business)
        if not email:
            continue
        context = {
            "participant": participant,
            "page": page,
            "feedback_url": feedback_url,
            "certificate": certificate,
            "certificate_url": certificate_url(participant) if certificate else "",
        }
        with translation.override("id"):
            subject = render_to_string("training_pages/email/followup_subject.txt", context)
            body = render_to_string("training_pages/email/followup.txt", context)
        with transaction.atomic():
            claimed = Participant.objects.filter(
                pk=participant.pk, feedback_sent_at__isnull=True
            ).update(feedback_sent_at=now)
            if claimed:
                queue_email(email, " ".join(subject.split()), body)
                queued += 1
    if queued:
        logger.info("Follow-up e-mailed to %s participants of page %s", queued, page.pk)
    return queued


@task()
def send_followups_task():
    return send_followups()
