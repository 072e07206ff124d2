"""Write-side rules of sign-up: the one place that decides who gets a seat.

The public sign-up page, the owner's private link, the admin actions and the
demo seed all call these functions. Seats are given out while the activity's
row is locked, so two people taking the last seat at once cannot both get it.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sme_registry.models import Status
from training_pages.models import ActivityPage, Participant, ParticipantStatus

# Counted on the page read under the lock (never an annotated copy), so the count is current.
from training_pages.selectors import seats_taken

logger = logging.getLogger(__name__)

# A participation in one of these states is over: signing up again starts afresh.
ENDED_STATUSES = (ParticipantStatus.CANCELLED,)
# A participation the participant may still cancel themselves.
CANCELLABLE_STATUSES = (
    ParticipantStatus.REGISTERED,
    ParticipantStatus.WAITLISTED,
    ParticipantStatus.AWAITING_APPROVAL,
    ParticipantStatus.APPROVED,
)


class SignUpRefused(ValidationError):
    """Sign-up is not possible; the message is shown to the person as it is."""


def resolve_business(business):
    """A merged record signs up as the record it was merged into."""
    while business.merged_into_id:
        business = business.merged_into
    return business


def eligibility_problem(page, business):
    """Why this business may not sign up for this activity, or None."""
    if business.status == Status.ARCHIVED:
        return _("This business is no longer in the registry, so it cannot sign up.")
    if business.status == Status.REJECTED and not business.live:
        return _("The registration of this business was not accepted, so it cannot sign up.")
    if page.eligibility == ActivityPage.Eligibility.VALIDATED and not (
        business.live or business.status == Status.VALIDATED
    ):
        return _(
            "Only businesses whose data has been validated by the office can sign up. "
            "Yours is still being checked."
        )
    if page.eligible_sector and business.kbli_category != page.eligible_sector:
        return _("This activity is only for businesses in the sector: %(sector)s.") % {
            "sector": page.get_eligible_sector_display()
        }
    if page.eligible_scale and business.computed_scale != page.eligible_scale:
        return _("This activity is only for %(scale)s businesses.") % {
            "scale": page.get_eligible_scale_display()
        }
    return None


def window_problem(page, now=None):
    state = page.sign_up_state(now)
    if state == "not_yet":
        opens = timezone.localtime(page.registration_opens_at)
        return _("Sign-up opens on %(date)s.") % {"date": date_format(opens, "j F Y, G.i")}
    if state == "closed":
        return _("Sign-up for this activity has closed.")
    return None


# The refusal codes of a closed sign-up window, by `ActivityPage.sign_up_state`.
_WINDOW_CODES = {"not_yet": "not_yet_open", "closed": "closed"}


def _seat_status(page):
    return (
        ParticipantStatus.AWAITING_APPROVAL
        if page.requires_approval
        else ParticipantStatus.REGISTERED
    )


def _lock(page):
    """Lock the activity's row: sign-ups and cancellations of one activity run one at a time.

    Returns the specific page (a training or an event), read once under the lock.
    """
    model = page.specific_class or ActivityPage
    return model.objects.select_for_update().get(pk=page.pk)


@transaction.atomic
def sign_up(
    page,
    business,
    *,
    attendee_name="",
    now=None,
    notify=True,
    by_staff=None,
    existing_ok=True,
):
    """Sign a business up; returns (participant, created).

    Signing up twice returns the existing participation unchanged; after a
    cancellation the business joins again at the back of the queue. Staff
    (`by_staff`, the user) may sign someone up outside the sign-up window (a
    late phone call) but not past eligibility or capacity, and only for a
    published activity they run. A caller who proved less than ownership (a
    tracking code) passes `existing_ok=False`: a participation it did not create
    is then refused ("already_signed_up"), never handed over.

    A refusal's code says why: "not_yet_open", "closed", "over", "not_eligible",
    "already_signed_up" (and "out_of_scope" for staff).
    """
    business = resolve_business(business)
    page = _lock(page)
    if by_staff is not None:
        from training_pages.permissions import participant_policy, scoped_activities

        if (
            not participant_policy.user_has_permission(by_staff, "add")
            or not page.live
            or not scoped_activities(by_staff).filter(pk=page.pk).exists()
        ):
            raise SignUpRefused(
                _("You can only sign up participants for published activities you run."),
                code="out_of_scope",
            )
    # Read the clock under the lock, so the waiting list keeps the order seats were given in.
    now = now or timezone.now()
    if page.ends_at and page.ends_at < now:
        problem, code = _("This activity has already taken place."), "over"
    else:
        problem = None if by_staff else window_problem(page, now)
        code = _WINDOW_CODES.get(page.sign_up_state(now))
    if not problem:
        problem, code = eligibility_problem(page, business), "not_eligible"
    existing = Participant.objects.filter(page=page, business=business).first()
    if existing is not None and existing.status not in ENDED_STATUSES:
        if not existing_ok:
            raise SignUpRefused(
                _(
                    "This business is already signed up for this activity. The owner can "
                    "see and change the sign-up through the private link in the "
                    "confirmation message or on the owner's page."
                ),
                code="already_signed_up",
            )
        return existing, False
    if problem:
        raise SignUpRefused(problem, code=code)
    free = page.capacity is None or seats_taken(page) < page.capacity
    status = _seat_status(page) if free else ParticipantStatus.WAITLISTED
    participant = existing or Participant(page=page, business=business)
    participant.status = status
    participant.attendee_name = attendee_name.strip()[:100]
    participant.queued_at = now
    participant.decided_by = None
    participant.save()
    logger.info("Business %s signed up for %s as %s", business.pk, page.pk, status)
    if notify:
        _notify(participant, "signed_up")
    return participant, True


@transaction.atomic
def cancel(participant, *, user=None, notify=True):
    """Cancel a participation; a freed seat goes to the first on the waiting list."""
    _lock(participant.page)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status not in CANCELLABLE_STATUSES:
        raise SignUpRefused(_("This participation can no longer be cancelled."), code="final")
    held_seat = participant.holds_seat
    participant.status = ParticipantStatus.CANCELLED
    participant.decided_by = user
    participant.save()
    if notify:
        _notify(participant, "cancelled")
    if held_seat:
        promote_waitlist(participant.page, notify=notify)
    return participant


@transaction.atomic
def approve(participant, *, user):
    """Staff accept someone who was awaiting approval (or take them off the waiting list)."""
    page = _lock(participant.page)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status not in (
        ParticipantStatus.AWAITING_APPROVAL,
        ParticipantStatus.WAITLISTED,
        ParticipantStatus.REJECTED,
    ):
        raise SignUpRefused(_("Only a participant who is waiting can be approved."), code="state")
    if (
        not participant.holds_seat
        and page.capacity is not None
        and seats_taken(page) >= page.capacity
    ):
        raise SignUpRefused(
            _("The activity is full. Raise the capacity first or wait for a cancellation."),
            code="full",
        )
    participant.status = ParticipantStatus.APPROVED
    participant.decided_by = user
    participant.save()
    _notify(participant, "approved")
    return participant


@transaction.atomic
def reject(participant, *, user, reason=""):
    _lock(participant.page)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status in (
        ParticipantStatus.ATTENDED,
        ParticipantStatus.NO_SHOW,
        ParticipantStatus.CANCELLED,
    ):
        raise SignUpRefused(_("This participation can no longer be rejected."), code="final")
    held_seat = participant.holds_seat
    participant.status = ParticipantStatus.REJECTED
    participant.decided_by = user
    participant.note = reason.strip()[:1000]
    participant.save()
    _notify(participant, "rejected")
    if held_seat:
        promote_waitlist(participant.page)
    return participant


def promote_waitlist(page, *, notify=True):
    """Give free seats to the waiting list in the order people joined it.

    Called after a cancellation or rejection and when an editor raises the
    capacity. Runs inside the caller's transaction with the activity locked.
    """
    with transaction.atomic():
        page = _lock(page)
        if page.is_past:
            return []
        waiting = Participant.objects.filter(
            page=page, status=ParticipantStatus.WAITLISTED
        ).order_by("queued_at", "pk")
        if page.capacity is not None:
            free = max(page.capacity - seats_taken(page), 0)
            waiting = waiting[:free]
        promoted = []
        for participant in waiting.select_for_update():
            participant.status = _seat_status(page)
            participant.save()
            promoted.append(participant)
            if notify:
                _notify(participant, "promoted")
        return promoted


def waitlist_position(participant):
    """1 for the first on the waiting list; None when not waiting."""
    if participant.status != ParticipantStatus.WAITLISTED:
        return None
    ahead = Participant.objects.filter(
        page_id=participant.page_id,
        status=ParticipantStatus.WAITLISTED,
        queued_at__lt=participant.queued_at,
    ).count()
    return ahead + 1


def _notify(participant, event):
    from training_pages import notifications

    pk = participant.pk
    transaction.on_commit(lambda: notifications.send_participant_email.enqueue(pk, event))
