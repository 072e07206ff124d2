"""Analisis → Hasil program for trainings: attending a session is taking part, signing up is not."""

import datetime

import pytest

from django.utils import timezone

from core import roles
from sme_registry.models import IndicatorSnapshot, Kecamatan
from sme_registry.services.snapshots import take_snapshot
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.sme_registry.test_growth import _facts
from tests.training_pages.factories import (
    EventPageFactory,
    ParticipantFactory,
    TrainingPageFactory,
    activity_staff,
)
from training_pages import attendance
from training_pages.models import ParticipantStatus

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/outcomes/"
M = 1_000_000


def _days_ago(days):
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _measured(name, first, latest):
    """Snapshots 200 and 10 days ago (the validation one of today is outside the period)."""
    here = Kecamatan.objects.get(code="32.01.01")
    business = BusinessFactory(name=name, kecamatan=here, kbli_category="C", validated=True)
    for days, sales in ((200, first), (10, latest)):
        take_snapshot(
            business,
            IndicatorSnapshot.Origin.VALIDATION,
            values={"annual_sales": sales * M, "capital": 20 * M},
            taken_at=_days_ago(days),
        )
    return business


@pytest.fixture
def trained(index):
    """Pemasaran training 100 days ago: B1 came, B2 signed up and did not come, B3 never
    signed up. An event 100 days ago: nobody of these came."""
    page = TrainingPageFactory(parent=index, sessions=[-100], topics=["Pemasaran"])
    EventPageFactory(parent=index, sessions=[-100])
    b1, b2, b3 = _measured("B1", 100, 300), _measured("B2", 100, 150), _measured("B3", 100, 100)
    ParticipantFactory(page=page, business=b1, status=ParticipantStatus.ATTENDED)
    no_show = ParticipantFactory(page=page, business=b2, status=ParticipantStatus.NO_SHOW)
    return {"page": page, "no_show": no_show, "businesses": (b1, b2, b3)}


def _period(programme):
    today = timezone.localdate()
    return {
        "period_from": (today - datetime.timedelta(days=365)).isoformat(),
        "period_to": (today - datetime.timedelta(days=1)).isoformat(),
        "programme": programme,
    }


def test_trainings_events_and_topics_are_programmes_to_compare(client, trained):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, _period("topic:pemasaran")).content.decode()
    assert "Topik: Pemasaran" in html
    facts = _facts(html)
    assert (facts["Ikut selama diukur"], facts["Tidak ikut"]) == ("1", "2")
    facts = _facts(client.get(URL, _period("event")).content.decode())
    assert (facts["Ikut selama diukur"], facts["Tidak ikut"]) == ("0", "3")


def test_attendance_recorded_later_changes_the_comparison_at_once(client, trained):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    facts = _facts(client.get(URL, _period("training")).content.decode())
    assert facts["Ikut selama diukur"] == "1"
    session = trained["page"].sessions.get()
    attendance.record_attendance(trained["no_show"], session, method="list", user=activity_staff())
    facts = _facts(client.get(URL, _period("training")).content.decode())
    assert (facts["Ikut selama diukur"], facts["Tidak ikut"]) == ("2", "1")
