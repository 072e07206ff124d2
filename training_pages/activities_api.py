"""Upcoming trainings and events with their seats left, in the registry API (/activities/).

The same values as the pages API and the public page: seats and sign-up state from
`training_pages.selectors`, the serialisation from `training_pages.api`. Never the
meeting link, who signed up, or the feedback form.
"""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from django.utils.translation import gettext as _

from core.api import ApiError, responses
from sme_registry.api.public import RegionOut
from sme_registry.models import Kecamatan
from training_pages import selectors
from training_pages.api import KecamatanField, SessionsField, SignUpField
from training_pages.models import ActivityPage, EventPage, TrainingPage

router = Router(tags=["Public"])

MAX_ACTIVITIES = 100
_KINDS = {"training": TrainingPage, "event": EventPage}


class SessionOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class SignUpOut(Schema):
    state: Literal["not_yet", "open", "waiting_list", "closed"]
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    requires_approval: bool
    url: str | None = Field(description="The sign-up page, while sign-ups are taken")


class ActivityOut(Schema):
    id: int
    kind: Literal["training", "event"]
    title: str
    summary: str
    url: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    mode: Literal["offline", "online"]
    venue_name: str
    kecamatan: RegionOut | None
    topics: list[str]
    capacity: int | None
    seats_left: int | None = Field(description="null when the activity has no seat limit")
    sign_up: SignUpOut
    sessions: list[SessionOut]


class ActivityQuery(Schema):
    kind: Literal["training", "event"] | None = None
    kecamatan: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}\.\d{2}$", description="Kecamatan code, e.g. 32.01.01"
    )
    mode: Literal["offline", "online"] | None = None
    limit: int = Field(50, ge=1, le=MAX_ACTIVITIES)


def _kind(page):
    return "event" if isinstance(page, EventPage) else "training"


@router.get(
    "/activities/",
    response=responses(200, list[ActivityOut], 404),
    summary="Upcoming trainings and events, with seats left and sign-up state",
    operation_id="list_activities",
)
def list_activities(request, query: Query[ActivityQuery]):
    """Live, public activities that are not over, soonest first."""
    queryset = ActivityPage.objects.live().public()
    if query.kind:
        queryset = queryset.type(_KINDS[query.kind])
    if query.kecamatan:
        kecamatan = Kecamatan.objects.filter(code=query.kecamatan).first()
        if kecamatan is None:
            raise ApiError.one(
                404, "not_found", _("No kecamatan has this code."), field="kecamatan"
            )
        queryset = queryset.filter(kecamatan=kecamatan)
    if query.mode:
        queryset = queryset.filter(mode=query.mode)
    pages = selectors.for_listing(selectors.upcoming(queryset))[: query.limit]
    sessions, kecamatan_field, sign_up = SessionsField(), KecamatanField(), SignUpField()
    return [
        {
            "id": page.pk,
            "kind": _kind(page),
            "title": page.title,
            "summary": page.summary,
            "url": page.full_url,
            "starts_at": page.starts_at,
            "ends_at": page.ends_at,
            "mode": page.mode,
            "venue_name": page.venue_name,
            "kecamatan": kecamatan_field.to_representation(page.kecamatan)
            if page.kecamatan_id
            else None,
            "topics": sorted(tag.name for tag in page.topics.all()),
            "capacity": page.capacity,
            "seats_left": selectors.seats_left(page),
            "sign_up": sign_up.to_representation(page),
            "sessions": sessions.to_representation(page),
        }
        for page in pages
    ]
