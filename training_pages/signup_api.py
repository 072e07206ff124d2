"""Signing up for a training or event over JSON (/activities/{id}/sign-ups/).

The public sign-up page's own form (`SignUpForm`: a tracking code and the name of
the person who attends) checks the request, and `services.sign_up` decides the
seat, so the API refuses what the page refuses, with the page's messages. As on
the page, a tracking code may sign a business up but never opens a participation
it did not create. The per-client limit is the page's, counted together with it.
The answer gives the participant's state and the private participation page;
never the meeting link, which that page shows to accepted participants only.
"""

from typing import Literal

from ninja import Field, Path, Router, Schema

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.api import MAX_ID, ApiError, form_errors, idempotent, responses
from core.links import absolute_url
from training_pages import services
from training_pages.models import ActivityPage
from training_pages.views.signup import (
    SignUpForm,
    participation_path,
    sign_up_identified,
    sign_ups_limited,
    state_sentence,
)

router = Router(tags=["Submission"])


class SignUpIn(Schema):
    tracking_code: str = Field(
        description="The business's tracking code (12 characters, e.g. ABCD-EFGH-JKLM)"
    )
    attendee_name: str = Field(
        "", description="Who attends (at most 100 characters); empty when the owner attends"
    )


class ParticipationOut(Schema):
    activity: int
    status: Literal["registered", "waitlisted", "awaiting"] = Field(
        description="registered: the seat is held; waitlisted: the activity is full; "
        "awaiting: staff approve each participant"
    )
    status_label: str
    waiting_list_position: int | None = Field(description="1 for the first; null unless waiting")
    participation_url: str = Field(
        description="The participant's private page (status, cancelling, check-in code): "
        "keep it private"
    )
    message: str


def _activity(activity_id):
    page = ActivityPage.objects.live().public().filter(pk=activity_id).first()
    if page is None:
        raise ApiError.one(404, "not_found", _("No published training or event has this id."))
    return page.specific


@router.post(
    "/activities/{activity_id}/sign-ups/",
    response=responses(201, ParticipationOut, 404, 409, 429),
    summary="Sign a business up for a training or event",
    operation_id="create_activity_sign_up",
)
def create_sign_up(
    request,
    response: HttpResponse,
    payload: SignUpIn,
    activity_id: int = Path(..., ge=1, le=MAX_ID, description="The activity's id"),
):
    """Sign up by tracking code, exactly as the activity's sign-up page does.

    409 when the page would refuse: sign-up not open yet or closed (`not_yet_open`,
    `closed`), the activity is over (`over`), the business may not take part
    (`not_eligible`), or it is already signed up (`already_signed_up`: its owner sees
    that participation through the private link). A full activity is no refusal:
    the business joins the waiting list.
    """
    page = _activity(activity_id)

    def sign_up():
        if sign_ups_limited(request):
            raise ApiError.one(
                429, "rate_limited", _("Too many requests. Please try again in an hour.")
            )
        form = SignUpForm(
            {"tracking_code": payload.tracking_code, "attendee_name": payload.attendee_name},
            browser=False,
        )
        if not form.is_valid():
            raise ApiError(422, form_errors(form))
        try:
            participant = sign_up_identified(page, form, proven_owner=False)
        except services.SignUpRefused as exc:
            raise ApiError(
                409,
                [{"field": None, "code": exc.code, "message": str(m)} for m in exc.messages],
            ) from exc
        position = services.waitlist_position(participant)
        return 201, {
            "activity": page.pk,
            "status": participant.status,
            "status_label": participant.get_status_display(),
            "waiting_list_position": position,
            "participation_url": absolute_url(participation_path(page, participant), request),
            "message": state_sentence(participant, position),
        }

    return idempotent(request, response, f"training-sign-up:{page.pk}", sign_up)
