"""E-mails to participants: confirmation, changes of status and the reminder.

They go through the registry's outbox, so a mail server that is down loses
nothing. An accepted participant's confirmation carries the activity's .ics,
with the meeting link of an online activity.
"""

import datetime
import logging

from django_tasks import task

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.links import absolute_url
from sme_registry.notifications import queue_email
from sme_registry.selectors import contact_email
from training_pages.models import ActivitySession, Participant
from training_pages.models.participants import ACCEPTED_STATUSES

logger = logging.getLogger(__name__)
EVENTS = ("signed_up", "promoted", "approved", "rejected", "cancelled", "reminder")


def participation_url(participant):
    page = participant.page.specific
    return absolute_url(
        page.url + page.reverse_subpage("participation", kwargs={"token": participant.token})
    )


def calendar_attachment(participant):
    from training_pages.calendar import build_calendar

    page = participant.page.specific
    content = build_calendar([page], base_url=absolute_url("/"), private_link=True)
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return (f"{page.slug}.ics", content, "text/calendar")


def compose(participant, event):
    """Subject, body and attachments of one message, in Indonesian."""
    from training_pages.services import waitlist_position

    page = participant.page.specific
    context = {
        "participant": participant,
        "page": page,
        "event": event,
        "sessions": page.ordered_sessions(),
        "link": participation_url(participant),
        "page_url": absolute_url(page.url),
        "position": waitlist_position(participant),
        "accepted": participant.status in ACCEPTED_STATUSES,
    }
    with translation.override("id"), timezone.override(settings.TIME_ZONE):
        subject = render_to_string("training_pages/email/participant_subject.txt", context)
        body = render_to_string("training_pages/email/participant.txt", context)
    attachments = []
    if context["accepted"] and event in ("signed_up", "promoted", "approved", "reminder"):
        attachments.append(calendar_attachment(participant))
    return " ".join(subject.split()), body, attachments


def whatsapp_text(participant):
    """The participant's current notice as a short message staff can send by WhatsApp."""
    from training_pages.services import waitlist_position

    page = participant.page.specific
    context = {
        "participant": participant,
        "page": page,
        "sessions": page.ordered_sessions(),
        "link": participation_url(participant),
        "position": waitlist_position(participant),
        "accepted": participant.status in ACCEPTED_STATUSES,
    }
    with translation.override("id"), timezone.override(settings.TIME_ZONE):
        text = render_to_string("training_pages/whatsapp/participant.txt", context)
    return text.strip()


@task()
def send_participant_email(participant_id, event):
    participant = (
        Participant.objects.select_related("business__owner", "page")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        return
    to = contact_email(participant.business)
    if not to:
        logger.info("Participant %s has no e-mail address; %s not sent", participant_id, event)
        return
    subject, body, attachments = compose(participant, event)
    queue_email(to, subject, body, attachments)


def due_reminders(now=None):
    """Accepted participants whose activity has a session tomorrow (Jakarta date)."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    page_ids = ActivitySession.objects.filter(
        starts_at__gte=start, starts_at__lt=end, page__live=True
    ).values("page_id")
    return Participant.objects.filter(page_id__in=page_ids, status__in=ACCEPTED_STATUSES).exclude(
        reminder_sent_at__gte=now - datetime.timedelta(hours=20)
    )


def send_reminders(now=None):
    """Queue tomorrow's reminders once each; safe to run every hour."""
    now = now or timezone.now()
    sent = 0
    for participant in due_reminders(now).select_related("business__owner", "page"):
        with transaction.atomic():
            claimed = (
                Participant.objects.filter(pk=participant.pk)
                .exclude(reminder_sent_at__gte=now - datetime.timedelta(hours=20))
                .update(reminder_sent_at=now)
            )
            if not claimed:
                continue
            to = contact_email(participant.business)
            if to:
                subject, body, attachments = compose(participant, "reminder")
                queue_email(to, subject, body, attachments)
                sent += 1
    return sent


@task()
def send_reminders_task():
    return send_reminders()
