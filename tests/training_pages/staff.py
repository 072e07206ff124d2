"""Helpers for the attendance and certificate tests: a running session, another kecamatan.

People come from `tests.factories.UserFactory`, e.g.
`UserFactory(role=roles.OPERATOR, kecamatan=CIBINONG)`.
"""

import datetime

from django.utils import timezone

from sme_registry.models import Kecamatan
from training_pages.models import ActivitySession

CIBINONG = "32.01.01"


def running_session(page, hours_before=1, hours_after=2):
    """A session of `page` that started a moment ago and runs on."""
    now = timezone.now()
    session = ActivitySession.objects.create(
        page=page,
        sort_order=99,
        starts_at=now - datetime.timedelta(hours=hours_before),
        ends_at=now + datetime.timedelta(hours=hours_after),
    )
    page.save()
    return session


def other_kecamatan():
    return Kecamatan.objects.exclude(code=CIBINONG).order_by("code").first()
