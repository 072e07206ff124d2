"""The public list of trainings and events, the detail page and where else they show up."""

import re

import pytest
import wagtail_factories

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import capfirst
from django.utils.translation import ngettext, override

from sme_registry.models import Kecamatan
from tests.training_pages.factories import (
    EventPageFactory,
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
    at,
)
from training_pages import selectors
from training_pages.models import ActivityPage, ParticipantStatus, TrainingPage


@pytest.fixture
def index(home_page):
    return TrainingIndexPageFactory(parent=home_page, per_page=10)


def titles(response):
    """The titles of the cards, in the order shown."""
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def kecamatan(code):
    return Kecamatan.objects.get(code=code)


def test_upcoming_soonest_first_and_past_only_on_request(client, index):
    later = TrainingPageFactory(parent=index, title="Kelas Ekspor", sessions=[20])
    soon = TrainingPageFactory(parent=index, title="Kelas Halal", sessions=[2])
    running = TrainingPageFactory(parent=index, title="Kelas Berjalan", sessions=[-1, 1])
    long_ago = TrainingPageFactory(parent=index, title="Kelas Lama", sessions=[-40])
    last_week = TrainingPageFactory(parent=index, title="Kelas Lalu", sessions=[-7])
    draft = TrainingPageFactory(parent=index, title="Kelas Draf", sessions=[5], live=False)

    response = client.get(index.url)
    assert titles(response) == [running.title, soon.title, later.title]
    assert draft.title not in response.content.decode()

    response = client.get(index.url, {"waktu": "lalu"})
    assert titles(response) == [last_week.title, long_ago.title]


def test_filters_by_topic_kecamatan_mode_and_text(client, index):
    TrainingPageFactory(
        parent=index, title="Foto Produk", topics=["pemasaran"], kecamatan=kecamatan("32.01.01")
    )
    TrainingPageFactory(
        parent=index,
        title="Label Pangan",
        topics=["pengemasan"],
        kecamatan=kecamatan("32.01.14"),
        summary="Membuat label kemasan yang memenuhi aturan.",
    )
    TrainingPageFactory(
        parent=index,
        title="Pembukuan Daring",
        topics=["keuangan", "pemasaran"],
        mode=ActivityPage.Mode.ONLINE,
        kecamatan=None,
        venue_name="",
        online_link="https://meet.example.org/rahasia",
    )
    EventPageFactory(parent=index, title="Bazar Leuwiliang", kecamatan=kecamatan("32.01.14"))

    # Same day and hour: the one published first comes first.
    assert titles(client.get(index.url, {"topik": "pemasaran"})) == [
        "Foto Produk",
        "Pembukuan Daring",
    ]
    leuwiliang = kecamatan("32.01.14").pk
    assert set(titles(client.get(index.url, {"kecamatan": leuwiliang}))) == {
        "Label Pangan",
        "Bazar Leuwiliang",
    }
    assert titles(client.get(index.url, {"mode": "online"})) == ["Pembukuan Daring"]
    # Free text finds words in the summary too.
    assert titles(client.get(index.url, {"q": "ekspor"})) == []
    assert titles(client.get(index.url, {"q": "kemasan"})) == ["Label Pangan"]
    assert titles(client.get(index.url, {"q": "bazar", "kecamatan": leuwiliang})) == [
        "Bazar Leuwiliang"
    ]
    both = client.get(index.url, {"topik": "pengemasan", "kecamatan": leuwiliang})
    assert titles(both) == ["Label Pangan"]


def test_filter_choices_come_from_live_activities_and_bad_values_are_explained(client, index):
    TrainingPageFactory(parent=index, topics=["pemasaran"], kecamatan=kecamatan("32.01.03"))
    TrainingPageFactory(
        parent=index, topics=["rahasia"], kecamatan=kecamatan("32.01.24"), live=False
    )
    page = client.get(index.url).content.decode()
    topic_select = re.search(r'<select name="topik".*?</select>', page, re.S).group(0)
    assert 'value="pemasaran"' in topic_select and "rahasia" not in topic_select
    kecamatan_select = re.search(r'<select name="kecamatan".*?</select>', page, re.S).group(0)
    assert "Citeureup" in kecamatan_select and "Ciawi" not in kecamatan_select
    assert 'for="id_topik"' in page and 'for="id_kecamatan"' in page

    response = client.get(index.url, {"topik": "tidak-ada", "q": "kelas"})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert 'value="kelas"' in response.content.decode()


def test_pagination_keeps_the_filters(client, index):
    index.per_page = 2
    index.save()
    for day in range(1, 6):
        TrainingPageFactory(parent=index, title=f"Kelas {day}", sessions=[day], topics=["umkm"])
    first = client.get(index.url, {"topik": "umkm"})
    assert titles(first) == ["Kelas 1", "Kelas 2"]
    assert 'href="?topik=umkm&amp;page=2"' in first.content.decode()
    assert titles(client.get(index.url, {"topik": "umkm", "page": 3})) == ["Kelas 5"]
    # Out of range or not a number: the nearest page, never an error.
    assert titles(client.get(index.url, {"page": 99})) == ["Kelas 5"]
    assert titles(client.get(index.url, {"page": "x"})) == ["Kelas 1", "Kelas 2"]


def test_card_shows_kind_dates_place_topics_seats_and_sign_up_state(client, index):
    training = TrainingPageFactory(
        parent=index, title="Foto Produk", sessions=[3, 4], capacity=2, topics=["foto"]
    )
    ParticipantFactory(page=training)
    ParticipantFactory(page=training, status=ParticipantStatus.CANCELLED)
    full = TrainingPageFactory(
        parent=index, title="Kelas Penuh", sessions=[5], capacity=1, requires_approval=True
    )
    ParticipantFactory(page=full, status=ParticipantStatus.AWAITING_APPROVAL)
    TrainingPageFactory(
        parent=index,
        title="Kelas Nanti",
        sessions=[30],
        registration_opens_at=at(10, 8),
    )
    EventPageFactory(
        parent=index,
        title="Bazar Online",
        mode="online",
        kecamatan=None,
        online_link="https://meet.example.org/bazar",
    )
    html = client.get(index.url).content.decode()
    card = html[html.index("Foto Produk") : html.index("Kelas Penuh")]
    with override("id"):
        kind = str(capfirst(TrainingPage._meta.verbose_name))
        one_left = ngettext("%(counter)s seat left", "%(counter)s seats left", 1) % {"counter": 1}
    assert kind in html[html.index("card activity-card") : html.index("Foto Produk")]
    assert one_left in card
    assert "Aula Dinas Koperasi dan UKM" in card and "Cibinong" in card
    assert "foto" in card
    assert "status--open" in card
    # Both days, in Jakarta time: 09:00 local, whatever the server's clock zone.
    assert "9.00" in card and "WIB" in card
    full_card = html[html.index("Kelas Penuh") : html.index("Kelas Nanti")]
    assert "status--full" in full_card
    later = html[html.index("Kelas Nanti") :]
    assert "status--not_yet" in later[: later.index("</article>")]
    bazaar = html[html.index("Bazar Online") :]
    assert "Online" in bazaar[: bazaar.index("</article>")]


def test_seats_left_counts_only_seat_holding_statuses(index):
    training = TrainingPageFactory(parent=index, capacity=3, requires_approval=True)
    # Each took a seat when signing up; the rejected and the cancelled gave it back.
    for status in (
        ParticipantStatus.APPROVED,
        ParticipantStatus.AWAITING_APPROVAL,
        ParticipantStatus.REJECTED,
        ParticipantStatus.CANCELLED,
    ):
        ParticipantFactory(page=training, status=status)
    assert selectors.seats_left(training) == 1
    listed = selectors.listing(index).get(pk=training.pk)
    assert listed.seats_taken == 2 and selectors.seats_left(listed) == 1
    # The last seat goes; whoever comes after waits without taking one.
    ParticipantFactory(page=training, status=ParticipantStatus.AWAITING_APPROVAL)
    ParticipantFactory(page=training, status=ParticipantStatus.WAITLISTED)
    assert selectors.seats_left(training) == 0
    listed = selectors.listing(index).get(pk=training.pk)
    assert listed.seats_taken == 3 and selectors.seats_left(listed) == 0
    registered = TrainingPageFactory(parent=index, capacity=3)
    ParticipantFactory(page=registered)
    assert selectors.seats_left(registered) == 2
    unlimited = EventPageFactory(parent=index)
    assert selectors.seats_left(unlimited) is None


def _count_queries(client, url):
    client.get(url)  # renditions and caches are made on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_query_count_does_not_grow_with_the_items_shown(client, index, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def add(n):
        for _ in range(n):
            training = TrainingPageFactory(
                parent=index,
                sessions=[2, 3],
                topics=["pemasaran", "foto"],
                image=wagtail_factories.ImageFactory(),
            )
            ParticipantFactory(page=training)
            EventPageFactory(parent=index, sessions=[4], topics=["bazar"])

    add(1)
    two, response = _count_queries(client, index.url)
    assert len(titles(response)) == 2 and "<picture" in response.content.decode()
    add(4)
    ten, response = _count_queries(client, index.url)
    assert len(titles(response)) == 10
    assert ten == two, f"{two} queries for 2 items, {ten} for 10"
    # Measured: printed in the report with -s.
    print(f"listing queries: {two} for 2 items, {ten} for 10")


def test_detail_page_shows_sessions_place_rules_and_no_meeting_link(client, index):
    training = TrainingPageFactory(
        parent=index,
        title="Pembukuan Daring",
        sessions=[3, 4],
        mode=ActivityPage.Mode.ONLINE,
        kecamatan=None,
        venue_name="",
        online_link="https://meet.example.org/rahasia",
        eligibility=ActivityPage.Eligibility.VALIDATED,
        eligible_scale="mikro",
        eligible_sector="C",
        capacity=20,
        topics=["keuangan"],
    )
    html = client.get(training.url).content.decode()
    assert "meet.example.org" not in html
    assert "Daring" in html
    assert "Industri Pengolahan" in html
    assert html.count("9.00–12.00 WIB") == 2
    assert f'href="{index.url}?topik=keuangan"' in html
    assert f'href="{training.url}ical/"' in html
    assert f'href="{training.url}daftar/"' in html
    assert "20" in html


def test_home_page_shows_the_next_three_with_a_link_to_all(client, home_page, index):
    for day in (9, 2, 5, 7):
        TrainingPageFactory(parent=index, title=f"Kelas hari {day}", sessions=[day])
    TrainingPageFactory(parent=index, title="Kelas lama", sessions=[-3])
    response = client.get(home_page.url)
    assert titles(response) == ["Kelas hari 2", "Kelas hari 5", "Kelas hari 7"]
    assert f'href="{index.url}"' in response.content.decode()


def test_home_page_without_an_index_has_no_training_section(client, home_page):
    assert "upcoming-trainings-title" not in client.get(home_page.url).content.decode()


def test_activities_are_in_the_sitemap(client, index):
    training = TrainingPageFactory(parent=index)
    draft = TrainingPageFactory(parent=index, live=False)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert training.url in sitemap and index.url in sitemap
    assert draft.url not in sitemap


def test_site_search_finds_a_training_by_a_word_in_its_summary(client, index):
    TrainingPageFactory(
        parent=index, title="Kelas Kemasan", summary="Belajar membuat kemasan standing pouch."
    )
    response = client.get("/cari/", {"q": "pouch"})
    html = response.content.decode()
    assert "Kelas Kemasan" in html
    assert "standing pouch" in html


def test_api_lists_trainings_with_their_sessions(client, index):
    training = TrainingPageFactory(parent=index, sessions=[3, 4])
    EventPageFactory(parent=index)
    response = client.get(
        "/api/v2/pages/", {"type": "training_pages.TrainingPage", "fields": "sessions,starts_at"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [training.pk]
    assert len(items[0]["sessions"]) == 2
    assert items[0]["starts_at"].startswith(at(3, 9).isoformat()[:16])
    assert "online_link" not in response.content.decode()
