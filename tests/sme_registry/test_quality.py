"""Analisis → Kualitas data: each check counted by hand, and the list each count opens."""

import datetime
import re

import pytest

from django.utils import timezone

from core import roles
from sme_registry.models import Business, Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, nik_for

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/quality/"
HERE, THERE = "32.01.01", "32.01.02"


def _complete(name, serial, **over):
    """A record that passes every check, unless `over` says otherwise."""
    fields = {
        "name": name,
        "kecamatan": Kecamatan.objects.get(code=HERE),
        "nib": f"{9100000000000 + serial}",
        "kbli_code": "10794",
        "latitude": "-6.481234",
        "longitude": "106.854321",
        "owner__nik": nik_for(serial=300 + serial),
        "validated": True,
    }
    fields.update(over)
    return BusinessFactory(**fields)


@pytest.fixture
def checked(db):
    """Written out (every record validated, in the kecamatan here unless said):

    | record            | fails                                                   |
    | Sate Maranggi     | nothing                                                 |
    | Bengkel Jaya      | no coordinates, no NIB, no KBLI code (none were given)  |
    | Konveksi Melati   | scale differs (owner said small; the figures say micro) |
    | Kopi Gunung       | NIK from Kota Bogor (3271), birth date not the NIK's    |
    | Sate Maranggi Hj  | likely duplicate of Sate Maranggi (same desa)           |
    | Batik Tulis       | an expired P-IRT                                        |
    | Madu Hutan        | validated and not changed for 8 months                  |
    | Tahu Sumedang     | (there) no coordinates                                  |
    """
    _complete("Sate Maranggi", 1)
    _complete(
        "Bengkel Jaya", 2, nib="", kbli_code="", latitude=None, longitude=None, kbli_category="G"
    )
    _complete("Konveksi Melati", 3, reported_scale="kecil")
    _complete(
        "Kopi Gunung",
        4,
        owner__nik=nik_for(kecamatan_code="327101", serial=304),
        owner__birth_date=datetime.date(1985, 2, 3),
    )
    _complete("Sate Maranggi Hj", 5)
    _complete(
        "Batik Tulis",
        6,
        documents=[
            {
                "kind": "pirt",
                "number": "P-IRT 6",
                "issued_on": datetime.date(2019, 1, 2),
                "expires_on": datetime.date(2024, 1, 2),
            }
        ],
    )
    stale = _complete("Madu Hutan", 7)
    # Time passes: eight months without a change (auto_now cannot be set otherwise).
    Business.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=240)
    )
    _complete(
        "Tahu Sumedang",
        8,
        kecamatan=Kecamatan.objects.get(code=THERE),
        latitude=None,
        longitude=None,
    )


def _checks(html):
    """{check key: shown count} and {check key: link}."""
    counts, links = {}, {}
    for key, body in re.findall(r'<tr data-check="(\w+)">(.*?)</tr>', html, re.S):
        cell = re.findall(r'<td class="analysis-table__number">(.*?)</td>', body, re.S)[0]
        counts[key] = re.sub(r"<[^>]+>", "", cell).strip()
        link = re.search(r'href="([^"]+)"', cell)
        links[key] = link and link.group(1).replace("&amp;", "&")
    return counts, links


EXPECTED_HERE = {
    "no_coordinates": "1",
    "no_nib": "1",
    "no_kbli_code": "1",
    "no_scale": "0",
    "scale_mismatch": "1",
    "nik_outside_bogor": "1",
    "birth_date_mismatch": "1",
    "likely_duplicate": "1",
    "document_expired": "1",
    "stale": "1",
}
BEHIND = {
    "no_coordinates": {"Bengkel Jaya"},
    "no_nib": {"Bengkel Jaya"},
    "no_kbli_code": {"Bengkel Jaya"},
    "scale_mismatch": {"Konveksi Melati"},
    "nik_outside_bogor": {"Kopi Gunung"},
    "birth_date_mismatch": {"Kopi Gunung"},
    "likely_duplicate": {"Sate Maranggi Hj"},
    "document_expired": {"Batik Tulis"},
    "stale": {"Madu Hutan"},
}
NAMES = {
    "Sate Maranggi",
    "Bengkel Jaya",
    "Konveksi Melati",
    "Kopi Gunung",
    "Sate Maranggi Hj",
    "Batik Tulis",
    "Madu Hutan",
    "Tahu Sumedang",
}


def _listed(client, link):
    html = client.get(link).content.decode()
    return {name for name in NAMES if re.search(rf">\s*{re.escape(name)}\s*<", html)}


def test_each_check_counts_the_records_written_out_and_opens_them(client, checked):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    here = Kecamatan.objects.get(code=HERE)
    html = client.get(URL, {"kecamatan": here.pk}).content.decode()
    assert "7 catatan diperiksa" in html
    counts, links = _checks(html)
    assert counts == EXPECTED_HERE
    for key, names in BEHIND.items():
        assert _listed(client, links[key]) == names, key
    assert links["no_scale"] is None  # nothing behind a zero


def test_the_whole_area_counts_the_other_kecamatan_too(client, checked):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    counts, _links = _checks(client.get(URL).content.decode())
    assert counts["no_coordinates"] == "2"
    assert counts["no_nib"] == "1"


def test_an_operator_checks_their_own_kecamatan_only(client, checked):
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=THERE))
    html = client.get(URL).content.decode()
    assert "1 catatan diperiksa" in html
    counts, links = _checks(html)
    assert counts["no_coordinates"] == "1" and counts["no_nib"] == "0"
    assert _listed(client, links["no_coordinates"]) == {"Tahu Sumedang"}


def test_an_analyst_sees_small_counts_hidden_and_no_way_to_the_records(client, checked):
    client.force_login(UserFactory(role=roles.ANALYST))
    html = client.get(URL).content.decode()
    counts, links = _checks(html)
    assert counts["no_coordinates"] == "disembunyikan"
    assert counts["no_scale"] == "0"
    assert not any(links.values())
    assert not any(name in html for name in NAMES)


def test_the_list_offers_the_checks_as_a_filter(client, checked):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    listed = _listed(client, "/admin/registry/businesses/?quality=document_expired")
    assert listed == {"Batik Tulis"}


@pytest.mark.parametrize("role", [roles.EDITOR, roles.MENTOR])
def test_roles_without_figures_are_refused(client, checked, role):
    client.force_login(UserFactory(role=role))
    response = client.get(URL, follow=True)
    assert "catatan diperiksa" not in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"
