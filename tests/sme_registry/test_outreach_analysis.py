"""Analisis → Penyuluhan, counted by hand; a session's attendee list and its checks."""

import datetime
import re

import pytest

from django.urls import reverse

from core import roles
from sme_registry.models import Kecamatan, OutreachAttendee, OutreachSession
from tests.factories import UserFactory
from tests.sme_registry.factories import CIBINONG, BusinessFactory, OutreachSessionFactory
from tests.sme_registry.test_growth import _facts
from tests.sme_registry.test_outreach import NO_ATTENDEES, in_other_kecamatan

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/outreach/"
PERIOD = {"period_from": "2026-10-01", "period_to": "2026-11-30"}


@pytest.fixture
def held(db):
    """| session | kecamatan  | date        | head count | listed (registered) | registrations (validated) |
    | S1      | Cibinong   | 5 Oct 2026  | 20         | 2 (1)               | 2 (1)                     |
    | S2      | Cibinong   | 9 Nov 2026  | 10         | 0                   | 0                         |
    | S3      | Gunungputri| 20 Oct 2026 | 5          | 0                   | 1 (0)                     |
    | S0      | Cibinong   | 1 Sep 2026  | 8          | outside the period               |
    Of 40 kecamatan x 2 months, 3 have a session: 77 without; October 38, November 39.
    """
    s1 = OutreachSessionFactory(date=datetime.date(2026, 10, 5), attendee_count=20, place="Aula S1")
    s2 = OutreachSessionFactory(date=datetime.date(2026, 11, 9), attendee_count=10, place="Aula S2")
    s3 = OutreachSessionFactory(
        date=datetime.date(2026, 10, 20), attendee_count=5, place="Aula S3", **in_other_kecamatan()
    )
    OutreachSessionFactory(date=datetime.date(2026, 9, 1), attendee_count=8, place="Aula S0")
    known = BusinessFactory(name="Sudah Terdaftar", validated=True)
    OutreachAttendee.objects.create(session=s1, name="Bu Tini", phone="+6281234567890")
    OutreachAttendee.objects.create(session=s1, business=known)
    BusinessFactory(name="Dari S1 satu", outreach_session=s1, validated=True)
    BusinessFactory(name="Dari S1 dua", outreach_session=s1)
    BusinessFactory(name="Dari S3", outreach_session=s3, **in_other_kecamatan())
    return {"s1": s1, "s2": s2, "s3": s3}


def _grid(html):
    table = html.split('data-figure="months"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for label, body in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[label.strip()] = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    return rows


def _sessions(html):
    table = html.split('data-figure="sessions"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for body in re.findall(r"<tr data-session=\"\d+\">(.*?)</tr>", table, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        ]
        links = re.findall(r'href="([^"]+)"', body)
        rows[cells[2]] = (cells[3:], links[0].replace("&amp;", "&") if links else None)
    return rows


def test_sessions_per_kecamatan_and_month_and_what_they_brought(client, held):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, PERIOD).content.decode()
    facts = _facts(html)
    assert facts["Sesi yang diadakan"] == "3"
    assert facts["Kecamatan-bulan tanpa sesi"] == "77"
    assert facts["Peserta hadir"] == "35"
    assert facts["Pendaftaran dari penyuluhan"] == "3"
    grid = _grid(html)
    assert grid["Cibinong"] == ["1", "1", "2"]
    assert grid["Gunungputri"] == ["1", "–", "1"]
    assert grid["Kecamatan tanpa sesi"] == ["38", "39", ""]
    sessions = _sessions(html)
    assert list(sessions) == ["Aula S2", "Aula S3", "Aula S1"]  # latest first
    assert sessions["Aula S1"][0] == ["20", "2", "1", "2", "1"]
    assert sessions["Aula S2"] == (["10", "0", "0", "0", "0"], None)
    listed = client.get(sessions["Aula S1"][1]).content.decode()
    assert "Dari S1 satu" in listed and "Dari S1 dua" in listed and "Dari S3" not in listed


def test_without_a_period_the_last_twelve_months_are_shown(client, held):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL).content.decode()
    head = html.split('data-figure="months"', 1)[1].split("</thead>", 1)[0]
    assert len(re.findall(r"\d\d-\d{4}", head)) == 12


def test_an_operator_sees_their_kecamatan_only(client, held):
    client.force_login(
        UserFactory(role=roles.OPERATOR, kecamatan=Kecamatan.objects.get(code=CIBINONG))
    )
    html = client.get(URL, PERIOD).content.decode()
    assert _facts(html)["Sesi yang diadakan"] == "2"
    assert list(_grid(html)) == ["Cibinong", "Kecamatan tanpa sesi"]
    assert "Aula S3" not in html


def test_an_analyst_sees_small_registration_counts_hidden_and_no_links(client, held):
    client.force_login(UserFactory(role=roles.ANALYST))
    html = client.get(URL, PERIOD).content.decode()
    assert _facts(html)["Pendaftaran dari penyuluhan"] == "disembunyikan"
    cells, link = _sessions(html)["Aula S1"]
    assert cells[3:] == ["disembunyikan", "disembunyikan"] and link is None


def _edit_data(session, **attendees):
    data = {
        "date": session.date.isoformat(),
        "attendee_count": str(session.attendee_count),
        "kecamatan": str(session.kecamatan_id),
        "desa": str(session.desa_id),
        "place": session.place,
        "notes": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        **NO_ATTENDEES,
    }
    rows = attendees.get("rows", [])
    data["attendees-TOTAL_FORMS"] = str(len(rows))
    for number, row in enumerate(rows):
        for name, value in {"id": "", "ORDER": str(number + 1), "DELETE": "", **row}.items():
            data[f"attendees-{number}-{name}"] = value
    return data


def test_staff_list_the_attendees_and_their_phones_are_masked_on_the_record(client, db):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    session = OutreachSessionFactory(attendee_count=3)
    known = BusinessFactory(name="Sudah Terdaftar", validated=True)
    edit = reverse("wagtailsnippets_sme_registry_outreachsession:edit", args=[session.pk])
    rows = [
        {"name": "Bu Tini", "phone": "0812-3456-7890", "business": ""},
        {"name": "", "phone": "", "business": str(known.pk)},
    ]
    response = client.post(edit, _edit_data(session, rows=rows))
    assert response.status_code == 302
    stored = list(session.attendees.order_by("sort_order").values_list("name", "phone", "business"))
    assert stored == [("Bu Tini", "+6281234567890", None), ("", "", known.pk)]
    inspect = reverse("wagtailsnippets_sme_registry_outreachsession:inspect", args=[session.pk])
    shown = client.get(inspect).content.decode()
    assert "Bu Tini · +628*******890" in shown and "Sudah Terdaftar" in shown
    assert "+6281234567890" not in shown


@pytest.mark.parametrize(
    "row, field, message",
    [
        (
            {"name": "", "phone": "0812-3456-7890", "business": ""},
            "attendees-0-name",
            "Isikan nama peserta",
        ),
        (
            {"name": "Pak Ujang", "phone": "12ab", "business": ""},
            "attendees-0-phone",
            "Masukkan nomor telepon Indonesia yang benar",
        ),
    ],
)
def test_a_wrong_attendee_is_refused_beside_the_field(client, db, row, field, message):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    session = OutreachSessionFactory(attendee_count=3, place="Aula Lama")
    edit = reverse("wagtailsnippets_sme_registry_outreachsession:edit", args=[session.pk])
    data = _edit_data(session, rows=[row])
    data["place"] = "Aula Baru"
    response = client.post(edit, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{row["name"]}"' in html or not row["name"]  # what was typed is kept
    session.refresh_from_db()
    assert session.place == "Aula Lama" and not session.attendees.exists()


def test_the_head_count_cannot_be_lower_than_the_attendees_listed(client, db):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    session = OutreachSessionFactory(attendee_count=1)
    edit = reverse("wagtailsnippets_sme_registry_outreachsession:edit", args=[session.pk])
    rows = [{"name": f"Peserta {n}", "phone": "", "business": ""} for n in (1, 2)]
    response = client.post(edit, _edit_data(session, rows=rows))
    assert response.status_code == 200
    assert "2 peserta tercatat" in response.content.decode()
    assert not session.attendees.exists()


def test_an_operator_cannot_list_a_business_outside_their_kecamatan(client, db):
    home = Kecamatan.objects.get(code=CIBINONG)
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=home))
    session = OutreachSessionFactory(attendee_count=5)
    elsewhere = BusinessFactory(name="Usaha Lain", **in_other_kecamatan())
    edit = reverse("wagtailsnippets_sme_registry_outreachsession:edit", args=[session.pk])
    rows = [{"name": "", "phone": "", "business": str(elsewhere.pk)}]
    response = client.post(edit, _edit_data(session, rows=rows))
    assert response.status_code == 200
    assert not OutreachSession.objects.get(pk=session.pk).attendees.exists()
    mine = BusinessFactory(name="Usaha Sendiri", kecamatan=home)
    rows = [{"name": "", "phone": "", "business": str(mine.pk)}]
    assert client.post(edit, _edit_data(session, rows=rows)).status_code == 302
    assert list(session.attendees.values_list("business", flat=True)) == [mine.pk]


def test_an_analyst_sees_how_many_attended_but_no_name_or_phone(client, held):
    client.force_login(UserFactory(role=roles.ANALYST))
    inspect = reverse("wagtailsnippets_sme_registry_outreachsession:inspect", args=[held["s1"].pk])
    shown = client.get(inspect).content.decode()
    assert "Peserta yang tercatat" in shown
    assert "Bu Tini" not in shown and "+628" not in shown and "Sudah Terdaftar" not in shown
