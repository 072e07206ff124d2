"""The month calendar and the iCalendar files of trainings and events."""

import datetime
import re
import zoneinfo

from icalendar import Calendar

from django.utils import timezone

from tests.training_pages.factories import (
    EventPageFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
    at,
)
from training_pages.calendar import build_calendar
from training_pages.models import ActivityPage, ActivitySession

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def online(index, **kwargs):
    return TrainingPageFactory(
        parent=index,
        title="Kelas Daring",
        mode=ActivityPage.Mode.ONLINE,
        kecamatan=None,
        venue_name="",
        online_link="https://meet.example.org/rahasia-123",
        **kwargs,
    )


def month_of(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def cells(html):
    """{day number: cell html} for the days of the shown month."""
    found = re.findall(r'<td class="month__day(?![^"]*--other)[^"]*"[^>]*>(.*?)</td>', html, re.S)
    return {int(re.search(r"</span>(\d+)<span", c).group(1)): c for c in found}


# Month grid


def test_month_grid_lists_each_session_on_its_day(client, index):
    target = datetime.date(2031, 3, 1)
    today = timezone.localdate()
    offset = (target - today).days
    training = TrainingPageFactory(
        parent=index, title="Kelas Label", sessions=[offset + 9, offset + 10]
    )
    EventPageFactory(parent=index, title="Bazar April", sessions=[offset + 40])
    TrainingPageFactory(parent=index, title="Kelas Draf", sessions=[offset + 9], live=False)

    response = client.get(index.url + "kalender/", {"bulan": "2031-03"})
    assert response.status_code == 200
    html = response.content.decode()
    days = cells(html)
    assert len(days) == 31
    assert "Kelas Label" in days[10] and "Kelas Label" in days[11]
    assert "Kelas Label" not in days[12]
    assert f'href="{training.url}"' in days[10]
    assert "9.00–12.00 WIB" in days[10]
    assert "Bazar April" not in html and "Kelas Draf" not in html
    # Indonesian month and day names; weeks start on Monday; a real table.
    assert "Maret 2031" in html
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)"', html)
    assert headers == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    assert "<caption>" in html
    # 1 March 2031 is a Saturday: the first row starts with 24 February.
    first_row = html[html.index("<tbody>") : html.index("</tr>", html.index("<tbody>"))]
    assert first_row.count("month__day--other") == 5


def test_month_navigation(client, index):
    html = client.get(index.url + "kalender/", {"bulan": "2026-12"}).content.decode()
    assert 'href="?bulan=2026-11" rel="prev"' in html
    assert 'href="?bulan=2027-01" rel="next"' in html
    assert "Desember 2026" in html
    html = client.get(index.url + "kalender/", {"bulan": "2027-01"}).content.decode()
    assert 'href="?bulan=2026-12" rel="prev"' in html and "Januari 2027" in html


def test_a_bad_month_shows_this_month(client, index):
    TrainingPageFactory(parent=index, title="Kelas Besok", sessions=[0])
    this_month = timezone.localdate().strftime("%Y-%m")
    for value in ("", "2026-13", "abc", "1999-01/"):
        response = client.get(index.url + "kalender/", {"bulan": value})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Kelas Besok" in html
        assert f'?bulan={this_month}"' not in html  # no "this month" link: already there


# iCalendar


def parse(content):
    return Calendar.from_ical(content)


def test_page_ics_has_one_event_per_session_at_nine_jakarta(client, index):
    training = TrainingPageFactory(parent=index, title="Kelas Label", sessions=[3, 4])
    response = client.get(training.url + "ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{training.slug}.ics"'
    calendar = parse(response.content)
    assert calendar["X-WR-TIMEZONE"] == "Asia/Jakarta"
    assert calendar["PRODID"] and calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    events = calendar.walk("VEVENT")
    sessions = list(training.sessions.order_by("starts_at"))
    assert [str(e["UID"]) for e in events] == [f"session-{s.pk}@testserver" for s in sessions]
    first = events[0]
    start = first.decoded("DTSTART")
    assert first["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert start == at(3, 9)
    assert (start.hour, start.utcoffset()) == (9, datetime.timedelta(hours=7))
    assert start.astimezone(datetime.UTC).hour == 2
    assert first.decoded("DTEND") == at(3, 12)
    assert str(first["SUMMARY"]) == "Kelas Label"
    assert "Aula Dinas Koperasi dan UKM" in str(first["LOCATION"])
    assert "Cibinong" in str(first["LOCATION"])
    assert str(first["URL"]) == f"http://testserver{training.url}"
    assert f"http://testserver{training.url}" in str(first["DESCRIPTION"])
    assert "DTSTAMP" in first


def test_session_titles_are_part_of_the_summary(index):
    training = TrainingPageFactory(parent=index, title="Kelas Label", sessions=[])
    ActivitySession.objects.create(
        page=training, title="Hari pertama", starts_at=at(5, 8), ends_at=at(5, 12)
    )
    calendar = parse(build_calendar(training, base_url="https://simbaumi.example.org/"))
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Kelas Label: Hari pertama"
    assert str(event["UID"]).endswith("@simbaumi.example.org")


def test_index_feed_has_upcoming_and_recent_but_not_old_or_other_indexes(client, home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    other = TrainingIndexPageFactory(parent=home_page, slug="lain", title="Lain")
    TrainingPageFactory(parent=index, title="Kelas Depan", sessions=[10, 11])
    EventPageFactory(parent=index, title="Bazar Lalu", sessions=[-30])
    TrainingPageFactory(parent=index, title="Kelas Lama", sessions=[-120])
    TrainingPageFactory(parent=index, title="Kelas Draf", sessions=[4], live=False)
    TrainingPageFactory(parent=other, title="Kelas Lain", sessions=[4])
    response = client.get(index.url + "ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{index.slug}.ics"'
    calendar = parse(response.content)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries == ["Bazar Lalu", "Kelas Depan", "Kelas Depan"]
    assert str(calendar["X-WR-CALNAME"]) == index.title


def test_public_feeds_never_carry_the_meeting_link(client, index):
    training = online(index)
    for url in (index.url + "ical/", training.url + "ical/"):
        content = client.get(url).content
        assert b"meet.example.org" not in content
        (event,) = parse(content).walk("VEVENT")
        assert str(event["LOCATION"]) and "http" not in str(event["LOCATION"])


def test_a_participants_calendar_may_carry_the_meeting_link(index):
    training = online(index)
    content = build_calendar(training, base_url="https://simbaumi.example.org/")
    assert b"rahasia-123" not in content
    private = build_calendar(training, base_url="https://simbaumi.example.org/", private_link=True)
    (event,) = parse(private).walk("VEVENT")
    assert str(event["LOCATION"]) == "https://meet.example.org/rahasia-123"
    assert "https://meet.example.org/rahasia-123" in str(event["DESCRIPTION"])


def test_an_empty_feed_is_still_a_valid_calendar(client, index):
    calendar = parse(client.get(index.url + "ical/").content)
    assert calendar.walk("VEVENT") == []
    assert calendar.walk("VTIMEZONE")
