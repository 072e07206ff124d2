"""Analisis → Pelatihan: sign-ups, waiting list, attendance and certificates, counted by hand."""

import re

import pytest

from django.urls import reverse

from core import roles
from sme_registry.models import Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.sme_registry.test_growth import _facts
from tests.training_pages.factories import (
    EventPageFactory,
    ParticipantFactory,
    TrainingPageFactory,
    activity_staff,
)
from training_pages.certificates import issue_certificates
from training_pages.models import ParticipantStatus as S

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/trainings/"
HERE, THERE = "32.01.01", "32.01.02"


@pytest.fixture
def activities(index):
    """| activity                      | topics               | who (kecamatan)          |
    | Kelas Pemasaran (30 days ago)  | Pemasaran, Keuangan  | B1 came, B2 did not, B3 waiting (here) |
    | Bazar (10 days ago)            | Pemasaran            | B4 came (there)          |
    B1 has a certificate. Everything: 4 sign-ups, 2 attended, 1 did not come (66.7 %),
    1 waiting, 1 certificate; Pemasaran 4 sign-ups, Keuangan 3.
    """
    here, there = Kecamatan.objects.get(code=HERE), Kecamatan.objects.get(code=THERE)
    training = TrainingPageFactory(
        parent=index,
        title="Kelas Pemasaran",
        sessions=[-30],
        capacity=2,
        gives_certificate=True,
        topics=["Pemasaran", "Keuangan"],
    )
    bazaar = EventPageFactory(
        parent=index, title="Bazar Cibinong", sessions=[-10], topics=["Pemasaran"]
    )

    def business(name, kecamatan):
        return BusinessFactory(name=name, kecamatan=kecamatan, validated=True)

    ParticipantFactory(page=training, business=business("B1", here), status=S.ATTENDED)
    ParticipantFactory(page=training, business=business("B2", here), status=S.NO_SHOW)
    ParticipantFactory(page=training, business=business("B3", here), status=S.WAITLISTED)
    ParticipantFactory(page=bazaar, business=business("B4", there), status=S.ATTENDED)
    issue_certificates(training, user=activity_staff())
    return {"training": training, "bazaar": bazaar, "here": here, "there": there}


def _table(html, figure):
    """{first column: [the other cells, as shown]}."""
    table = html.split(f'data-figure="{figure}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for label, body in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[label.strip()] = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    return rows


def test_trainings_in_figures_per_activity_and_topic(client, activities):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL).content.decode()
    facts = _facts(html)
    assert facts["Pendaftaran"] == "4"
    assert facts["Tingkat kehadiran"] == "66,7%"
    assert facts["Tidak hadir"] == "1"
    assert facts["Dalam daftar tunggu"] == "1"
    assert facts["Sertifikat"] == "1"
    rows = _table(html, "activities")
    assert list(rows) == ["Bazar Cibinong", "Kelas Pemasaran"]  # latest first
    assert rows["Kelas Pemasaran"][2:] == ["Keuangan, Pemasaran", "3", "1", "1", "1", "50,0%", "1"]
    assert rows["Bazar Cibinong"][3:] == ["1", "0", "1", "0", "100,0%", "0"]
    topics = _table(html, "topics")
    assert topics["Keuangan"] == ["3", "1", "1", "1", "50,0%", "1"]
    assert topics["Pemasaran"] == ["4", "1", "2", "1", "66,7%", "1"]


def test_a_count_opens_the_participants_behind_it(client, activities):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL).content.decode()
    table = html.split('data-figure="activities"', 1)[1].split("</table>", 1)[0]
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', table)]
    waiting = f"{reverse('training_pages_participant:index')}?page={activities['training'].pk}&status=waitlisted"
    assert waiting in links
    listed = client.get(waiting).content.decode()
    assert "B3" in listed and "B1<" not in listed and "B2<" not in listed
    # With a filter on the businesses the list would count others: no link then.
    html = client.get(URL, {"sector": "C"}).content.decode()
    table = html.split('data-figure="activities"', 1)[1].split("</table>", 1)[0]
    assert "href=" not in table


def test_the_period_is_when_the_activity_starts(client, activities):
    from django.utils import timezone

    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    since = (timezone.localdate() - timezone.timedelta(days=20)).isoformat()
    html = client.get(URL, {"period_from": since}).content.decode()
    assert list(_table(html, "activities")) == ["Bazar Cibinong"]
    assert _facts(html)["Pendaftaran"] == "1"


def test_an_operator_counts_the_businesses_of_their_kecamatan(client, activities):
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=activities["there"]))
    html = client.get(URL).content.decode()
    assert _facts(html)["Pendaftaran"] == "1"
    assert list(_table(html, "activities")) == ["Bazar Cibinong"]


def test_an_analyst_sees_small_counts_hidden(client, activities):
    client.force_login(UserFactory(role=roles.ANALYST))
    html = client.get(URL).content.decode()
    assert _facts(html)["Pendaftaran"] == "disembunyikan"
    assert _facts(html)["Tingkat kehadiran"] == "disembunyikan"
    assert _table(html, "activities")["Kelas Pemasaran"][3:] == ["disembunyikan"] * 4 + [
        "disembunyikan",
        "disembunyikan",
    ]
    assert "href=" not in html.split('data-figure="activities"', 1)[1].split("</table>", 1)[0]


def test_a_sign_up_changes_the_figures_at_once(client, activities, index):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    assert _facts(client.get(URL).content.decode())["Pendaftaran"] == "4"
    later = TrainingPageFactory(parent=index, title="Kelas Kemasan", sessions=[5])
    ParticipantFactory(page=later, business=BusinessFactory(name="B5", validated=True))
    assert _facts(client.get(URL).content.decode())["Pendaftaran"] == "5"
