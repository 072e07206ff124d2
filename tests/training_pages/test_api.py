"""Trainings and events in the pages API (/api/v2/pages/), as another front end reads them."""

import datetime

import pytest
import wagtail_factories

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from tests.conftest import PUBLIC_BASE as BASE
from tests.pages_api import META
from tests.pages_api import api_item as _one
from tests.pages_api import api_items as _items
from tests.training_pages.factories import (
    EventPageFactory,
    ParticipantFactory,
    TrainingPageFactory,
    at,
)
from training_pages.models import ActivityPage, EventPage, ParticipantStatus, TrainingPage

MEETING_LINK = "https://meet.example.org/rahasia-kelas-daring?pwd=Kode123"

ACTIVITY = {
    "id",
    "meta",
    "title",
    "summary",
    "body",
    "image",
    "topics",
    "sessions",
    "starts_at",
    "ends_at",
    "mode",
    "venue_name",
    "venue_address",
    "kecamatan",
    "capacity",
    "seats_left",
    "sign_up",
    "registration_opens_at",
    "registration_closes_at",
    "eligibility",
    "eligible_sector",
    "eligible_scale",
    "gives_certificate",
    "organiser",
    "contact_name",
    "contact_phone",
    "contact_email",
}
# The exact keys of a page of each type with ?fields=* (see tests/content/test_api.py).
CONTRACT = {
    "training_pages.TrainingIndexPage": {"id", "meta", "title", "intro", "per_page"},
    "training_pages.TrainingPage": ACTIVITY,
    "training_pages.EventPage": ACTIVITY | {"event_kind"},
}


def _day(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("type_name", sorted(CONTRACT))
def test_each_type_gives_exactly_its_keys(client, index, type_name):
    if type_name == "training_pages.TrainingPage":
        TrainingPageFactory(parent=index)
    elif type_name == "training_pages.EventPage":
        EventPageFactory(parent=index)
    [item] = _items(client, type=type_name)
    assert set(item) == CONTRACT[type_name]
    assert set(item["meta"]) == META
    if "sign_up" in item:
        assert set(item["sign_up"]) == {
            "state",
            "opens_at",
            "closes_at",
            "requires_approval",
            "url",
        }


def test_detail_adds_the_parent_and_nothing_else(client, index):
    training = TrainingPageFactory(parent=index)
    data = client.get(f"/api/v2/pages/{training.pk}/").json()
    assert set(data) == ACTIVITY
    # Wagtail leaves the locale out of a detail when the site has one language.
    assert set(data["meta"]) == META - {"locale"} | {"parent"}
    assert data["meta"]["parent"]["id"] == index.pk


def test_a_training_as_the_page_shows_it(client, index, public_address, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    training = TrainingPageFactory(
        parent=index,
        slug="kelas-kemasan",
        title="Kelas Kemasan",
        sessions=[3, 4],
        capacity=5,
        topics=["pemasaran", "Kemasan"],
        image=wagtail_factories.ImageFactory(
            title="Kemasan produk", file__width=1600, file__height=900
        ),
        registration_closes_at=at(2, 17),
        requires_approval=False,
        gives_certificate=True,
    )
    ParticipantFactory(page=training)
    ParticipantFactory(page=training)
    ParticipantFactory(page=training, status=ParticipantStatus.CANCELLED)

    item = _one(client, training)

    assert item["title"] == "Kelas Kemasan"
    assert item["meta"]["type"] == "training_pages.TrainingPage"
    assert item["meta"]["html_url"] == f"{BASE}/pelatihan/kelas-kemasan/"
    assert item["meta"]["detail_url"] == f"{BASE}/api/v2/pages/{training.pk}/"
    assert item["sessions"] == [
        {
            "id": session.pk,
            "title": "",
            "starts_at": f"{_day(day)}T09:00:00+07:00",
            "ends_at": f"{_day(day)}T12:00:00+07:00",
        }
        for session, day in zip(training.ordered_sessions(), (3, 4), strict=True)
    ]
    assert item["starts_at"] == f"{_day(3)}T09:00:00+07:00"
    assert item["ends_at"] == f"{_day(4)}T12:00:00+07:00"
    assert item["mode"] == "offline"
    assert item["venue_name"] == "Aula Dinas Koperasi dan UKM"
    assert item["kecamatan"] == {"code": "32.01.01", "name": "Cibinong"}
    assert item["topics"] == ["Kemasan", "pemasaran"]
    # Five seats, two taken; the cancelled participation holds none.
    assert item["capacity"] == 5
    assert item["seats_left"] == 3
    assert item["sign_up"] == {
        "state": "open",
        "opens_at": None,
        "closes_at": f"{_day(2)}T17:00:00+07:00",
        "requires_approval": False,
        "url": f"{BASE}/pelatihan/kelas-kemasan/daftar/",
    }
    assert item["registration_closes_at"] == f"{_day(2)}T17:00:00+07:00"
    assert item["gives_certificate"] is True
    assert item["contact_phone"] == "0812-1111-2222"
    image = item["image"]
    assert (image["width"], image["height"], image["alt"]) == (1200, 675, "Kemasan produk")
    assert ".fill-1200x675-c100" in image["url"]
    assert image["full_url"] == BASE + image["url"]


def test_sign_up_states(client, index):
    full = TrainingPageFactory(parent=index, capacity=1)
    ParticipantFactory(page=full)
    not_yet = TrainingPageFactory(parent=index, registration_opens_at=at(2, 8))
    closed = TrainingPageFactory(parent=index, registration_closes_at=at(-1, 8))
    over = TrainingPageFactory(parent=index, sessions=[-3])
    unlimited = EventPageFactory(parent=index, capacity=None)

    items = {item["id"]: item for item in _items(client, type="training_pages.ActivityPage")}

    assert (items[full.pk]["seats_left"], items[full.pk]["sign_up"]["state"]) == (
        0,
        "waiting_list",
    )
    assert items[full.pk]["sign_up"]["url"].endswith(f"{full.url}daftar/")
    assert items[not_yet.pk]["sign_up"]["state"] == "not_yet"
    assert items[not_yet.pk]["sign_up"]["opens_at"] == f"{_day(2)}T08:00:00+07:00"
    assert items[not_yet.pk]["sign_up"]["url"] is None
    assert items[closed.pk]["sign_up"]["state"] == "closed"
    assert items[closed.pk]["sign_up"]["url"] is None
    assert items[over.pk]["sign_up"]["state"] == "closed"
    assert items[unlimited.pk]["capacity"] is None
    assert items[unlimited.pk]["seats_left"] is None
    assert items[unlimited.pk]["sign_up"]["state"] == "open"


def test_an_event_gives_its_kind(client, index):
    event = EventPageFactory(parent=index, event_kind=EventPage.Kind.EXPO)
    assert _one(client, event)["event_kind"] == "expo"


def _online_training(index, **fields):
    return TrainingPageFactory(
        parent=index,
        title="Pembukuan Daring",
        mode=ActivityPage.Mode.ONLINE,
        kecamatan=None,
        venue_name="",
        online_link=MEETING_LINK,
        **fields,
    )


def test_the_meeting_link_is_in_no_answer(client, index):
    online = _online_training(index, summary="Belajar pembukuan lewat pertemuan daring.")
    ParticipantFactory(page=online)
    EventPageFactory(parent=index, mode=ActivityPage.Mode.ONLINE, online_link=MEETING_LINK)
    answers = [
        client.get("/api/v2/pages/"),
        client.get("/api/v2/pages/", {"fields": "*"}),
        client.get(f"/api/v2/pages/{online.pk}/"),
        client.get(f"/api/v2/pages/{online.pk}/", {"fields": "*"}),
        client.get("/api/v2/pages/find/", {"html_path": online.url}, follow=True),
        client.get("/api/v2/pages/", {"search": "pembukuan", "fields": "*"}),
        client.get("/api/v2/pages/", {"search": "meet.example.org"}),
        client.get("/api/v2/pages/", {"child_of": index.pk}),
    ]
    for type_name in (
        "training_pages.TrainingPage",
        "training_pages.EventPage",
        "training_pages.ActivityPage",
        "training_pages.TrainingPage,training_pages.EventPage",
    ):
        answers.append(client.get("/api/v2/pages/", {"type": type_name, "fields": "*"}))
    assert all(answer.status_code == 200 for answer in answers)
    assert answers[3].json()["mode"] == "online"
    # Not a field, so it cannot be asked for, filtered or sorted on (which would tell it).
    refused = [
        client.get("/api/v2/pages/", {"type": "training_pages.TrainingPage", "fields": name})
        for name in ("online_link", "*,online_link(x)")
    ] + [
        client.get(
            "/api/v2/pages/", {"type": "training_pages.TrainingPage", "online_link": MEETING_LINK}
        ),
        client.get(
            "/api/v2/pages/", {"type": "training_pages.TrainingPage", "order": "online_link"}
        ),
    ]
    assert all(answer.status_code == 400 for answer in refused)
    for answer in answers + refused:
        body = answer.content.decode()
        assert "meet.example.org" not in body
        assert "Kode123" not in body


def test_restricted_and_draft_activities_are_left_out(client, home_page, index):
    shown = TrainingPageFactory(parent=index, title="Terbuka untuk umum")
    members = TrainingPageFactory(parent=index, title="Khusus anggota")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    draft = TrainingPageFactory(parent=index, title="Belum terbit", live=False)
    from tests.training_pages.factories import TrainingIndexPageFactory

    hidden_index = TrainingIndexPageFactory(parent=home_page, slug="internal", title="Internal")
    PageViewRestriction.objects.create(
        page=hidden_index, restriction_type="password", password="rahasia"
    )
    under_hidden = TrainingPageFactory(parent=hidden_index, title="Di bawah kata sandi")

    ids = {item["id"] for item in _items(client, type="training_pages.TrainingPage")}
    assert ids == {shown.pk}
    for page in (members, draft, hidden_index, under_hidden):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    search = _items(client, search="Khusus anggota")
    assert members.pk not in {item["id"] for item in search}


def _count_queries(client, params):
    client.get("/api/v2/pages/", params)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    return len(queries), response.json()["items"]


@pytest.mark.parametrize("search", [None, "pemasaran"])
def test_query_count_does_not_grow_with_the_trainings_listed(
    client, index, settings, tmp_path, search
):
    settings.MEDIA_ROOT = tmp_path
    images = [wagtail_factories.ImageFactory(), wagtail_factories.ImageFactory()]
    params = {"type": "training_pages.TrainingPage", "fields": "*", "limit": 50}
    if search:
        params["search"] = search

    def add(n):
        for i in range(n):
            TrainingPageFactory(
                parent=index,
                title=f"Pelatihan pemasaran {TrainingPage.objects.count()}",
                sessions=[2, 3],
                topics=["pemasaran", "foto"],
                image=images[i % 2],
            )

    add(10)
    ParticipantFactory(page=TrainingPage.objects.first())
    ten, items = _count_queries(client, params)
    assert len(items) == 10
    add(20)
    thirty, items = _count_queries(client, params)
    assert len(items) == 30
    assert thirty == ten, f"{ten} queries for 10 trainings, {thirty} for 30"
    assert all(len(item["sessions"]) == 2 and item["image"] for item in items)
