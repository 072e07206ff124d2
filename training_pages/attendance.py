"""Attendance rules: who may be marked present, and what attending means afterwards.

The admin's tick list, the QR check-in at the door and the hourly follow-up all
go through these functions, so a participant's status and the business's history
stay consistent whichever way attendance was taken.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from training_pages.models import (
    ActivitySession,
    Attendance,
    Participant,
    ParticipantStatus,
)
from training_pages.models.participants import ACCEPTED_STATUSES

# Actions in Wagtail's log, written against the business so they show in its history.
ATTENDANCE_RECORDED = "training_pages.attendance_recorded"
ATTENDANCE_REMOVED = "training_pages.attendance_removed"
ATTENDANCE_SETTLED = "training_pages.attendance_settled"


class NotAccepted(ValidationError):
    """The participant holds no accepted place (waiting list, cancelled, rejected …)."""


def _log(participant, action, user=None, **data):
    data.setdefault("training", participant.page.title)
    log(instance=participant.business, action=action, user=user, data=data)


def _check(participant, session):
    if session.page_id != participant.page_id:
        raise ValidationError(_("This session belongs to another training or event."))
    if not participant.is_accepted:
        raise NotAccepted(
            _("%(name)s is not an accepted participant (status: %(status)s).")
            % {"name": participant.display_name, "status": participant.get_status_display()}
        )


def record_attendance(participant, session, *, method, user=None):
    """Mark the participant present at the session; True when newly recorded."""
    _check(participant, session)
    with transaction.atomic():
        _attendance, created = Attendance.objects.get_or_create(
            participant=participant,
            session=session,
            defaults={"method": method, "recorded_by": user},
        )
        if created and participant.status == ParticipantStatus.NO_SHOW:
            # Ticked after the activity was settled: they did come after all.
            _set_status(participant, ParticipantStatus.ATTENDED)
    if created:
        _log(participant, ATTENDANCE_RECORDED, user, session=str(session), method=method)
    return created


def remove_attendance(participant, session, *, user=None):
    """Un-tick the participant at the session; True when something was removed."""
    if session.page_id != participant.page_id:
        raise ValidationError(_("This session belongs to another training or event."))
    with transaction.atomic():
        removed, _details = Attendance.objects.filter(
            participant=participant, session=session
        ).delete()
        if (
            removed
            and participant.status == ParticipantStatus.ATTENDED
            and not participant.attendances.exists()
        ):
            _set_status(participant, ParticipantStatus.NO_SHOW)
    if removed:
        _log(participant, ATTENDANCE_REMOVED, user, session=str(session))
    return bool(removed)


def _set_status(participant, status):
    participant.status = status
    participant.save(update_fields=["status", "status_changed_at"])


def sheet_participants(page):
    """Everyone who may be ticked on a session's list, in a stable order."""
    return (
        Participant.objects.filter(page=page, status__in=ACCEPTED_STATUSES)
        .select_related("business__owner")
        .order_by("business__name", "pk")
    )


def save_sheet(session, present_ids, *, user=None):
    """Make the session's attendance match the ticked list; returns (added, removed)."""
    present_ids = {int(pk) for pk in present_ids}
    recorded = set(session.attendances.values_list("participant_id", flat=True))
    added = removed = 0
    for participant in sheet_participants(session.page):
        if participant.pk in present_ids and participant.pk not in recorded:
            added += record_attendance(
                participant, session, method=Attendance.Method.LIST, user=user
            )
        elif participant.pk not in present_ids and participant.pk in recorded:
            removed += remove_attendance(participant, session, user=user)
    return added, removed


def settle_attendance(page, now=None):
    """After the last session: who came is ATTENDED, who was accepted but never came NO_SHOW.

    Cancelled, rejected, waiting and awaiting participants are left as they are.
    Returns (attended, no_show) counts of changed participants; nothing happens
    while a session is still to come.
    """
    now = now or timezone.now()
    if page.ends_at is None or page.ends_at >= now:
        return 0, 0
    present = Exists(Attendance.objects.filter(participant=OuterRef("pk")))
    accepted = Participant.objects.filter(page=page, status__in=ACCEPTED_STATUSES)
    to_attended = list(
        accepted.filter(present)
        .exclude(status=ParticipantStatus.ATTENDED)
        .select_related("business", "page")
    )
    to_no_show = list(
        accepted.filter(~present)
        .exclude(status=ParticipantStatus.NO_SHOW)
        .select_related("business", "page")
    )
    with transaction.atomic():
        for participants, status in (
            (to_attended, ParticipantStatus.ATTENDED),
            (to_no_show, ParticipantStatus.NO_SHOW),
        ):
            Participant.objects.filter(pk__in=[p.pk for p in participants]).update(
                status=status, status_changed_at=now
            )
            for participant in participants:
                participant.status = status
                _log(participant, ATTENDANCE_SETTLED, status=status)
    return len(to_attended), len(to_no_show)


def sessions_for_check_in(page, now=None):
    """The sessions a scan at the door most likely means: running now, else today's."""
    now = now or timezone.now()
    sessions = page.ordered_sessions()
    running = [s for s in sessions if s.starts_at <= now <= s.ends_at]
    if running:
        return running
    today = timezone.localdate(now)
    return [s for s in sessions if timezone.localdate(s.starts_at) == today]


def session_counts(page):
    """{session id: number present} for the page's sessions, in one query."""
    return dict(
        ActivitySession.objects.filter(page=page)
        .annotate(present=Count("attendances"))
        .values_list("pk", "present")
    )


def training_history(business):
    """The business's trainings and events, newest first, with attendance and certificate."""
    return (
        Participant.objects.filter(business=business)
        .select_related("page", "certificate")
        .annotate(
            sessions_attended=Count("attendances", distinct=True),
            sessions_total=Count("page__sessions", distinct=True),
        )
        .order_by("-page__starts_at", "-pk")
    )
