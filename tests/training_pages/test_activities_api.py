"""Upcoming trainings and events in the registry API (/api/registry/v1/activities/)."""

import json

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sme_registry.models import Kecamatan
from tests.training_pages.factories import (
    EventPageFactory,
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from training_pages.models import ActivityPage, ParticipantStatus

URL = "/api/registry/v1/activities/"
MEETING_LINK = "https://meet.example.org/kelas-rahasia?pwd=Kode987"

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return TrainingIndexPageFactory(parent=home_page)


def test_upcoming_activities_with_their_seats_left_soonest_first(client, index):
    later = TrainingPageFactory(parent=index, title="Kelas Kemasan", sessions=[9], capacity=5)
    ParticipantFactory(page=later)
    ParticipantFactory(page=later)
    ParticipantFactory(page=later, status=ParticipantStatus.CANCELLED)
    EventPageFactory(parent=index, title="Bazar UMKM", sessions=[2], capacity=None)
    TrainingPageFactory(parent=index, title="Kelas yang sudah lewat", sessions=[-5])
    draft = TrainingPageFactory(parent=index, title="Belum terbit", sessions=[4])
    draft.unpublish()

    response = client.get(URL)
    assert response.status_code == 200
    items = response.json()
    assert [item["title"] for item in items] == ["Bazar UMKM", "Kelas Kemasan"]
    bazaar, training = items
    assert bazaar["kind"] == "event" and training["kind"] == "training"
    # Five seats, two taken (the cancelled sign-up holds none); no limit on the bazaar.
    assert (training["capacity"], training["seats_left"]) == (5, 3)
    assert (bazaar["capacity"], bazaar["seats_left"]) == (None, None)
    assert training["sign_up"]["state"] == "open"
    assert training["sign_up"]["url"].endswith("/daftar/")
    assert training["url"] == later.full_url
    assert len(training["sessions"]) == 1


def test_a_full_training_says_waiting_list(client, index):
    full = TrainingPageFactory(parent=index, sessions=[3], capacity=1)
    ParticipantFactory(page=full)
    [item] = client.get(URL).json()
    assert item["seats_left"] == 0
    assert item["sign_up"]["state"] == "waiting_list"


def test_filters_by_kind_kecamatan_and_mode(client, index):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    other = Kecamatan.objects.exclude(pk=cibinong.pk).first()
    TrainingPageFactory(parent=index, title="Di Cibinong", sessions=[3], kecamatan=cibinong)
    TrainingPageFactory(parent=index, title="Di tempat lain", sessions=[3], kecamatan=other)
    EventPageFactory(parent=index, title="Pameran", sessions=[3], kecamatan=cibinong)

    titles = [i["title"] for i in client.get(URL, {"kecamatan": "32.01.01"}).json()]
    assert sorted(titles) == ["Di Cibinong", "Pameran"]
    assert [i["title"] for i in client.get(URL, {"kind": "event"}).json()] == ["Pameran"]
    unknown = client.get(URL, {"kecamatan": "99.99.99"})
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "kecamatan"
    bad = client.get(URL, {"kind": "lomba", "limit": 0})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"kind", "limit"}


def test_the_meeting_link_is_never_in_the_answer(client, index):
    TrainingPageFactory(
        parent=index, sessions=[3], mode=ActivityPage.Mode.ONLINE, online_link=MEETING_LINK
    )
    body = client.get(URL).content.decode()
    assert json.loads(body)[0]["mode"] == "online"
    assert "meet.example.org" not in body and "Kode987" not in body


def test_the_list_costs_the_same_queries_for_three_or_twelve_activities(client, index):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    for n in range(3):
        ParticipantFactory(page=TrainingPageFactory(parent=index, sessions=[3 + n], topics=["a"]))
    count()  # the site's root address is read once and then cached
    few = count()
    for n in range(9):
        ParticipantFactory(page=TrainingPageFactory(parent=index, sessions=[5 + n], topics=["b"]))
    assert count() == few
