"""Analisis → Hasil program: mentored businesses beside comparable ones, counted by hand."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest

from django.urls import reverse
from django.utils import timezone

from core import roles
from sme_registry.models import IndicatorSnapshot, Kecamatan
from sme_registry.outcomes import weighted_median
from sme_registry.services.snapshots import take_snapshot
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, MentoringVisitFactory
from tests.sme_registry.test_growth import _facts

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/outcomes/"
HERE, THERE = "32.01.01", "32.01.02"
DEC, JAN, MAR, JUN = (
    datetime.date(2024, 12, 10),
    datetime.date(2025, 1, 15),
    datetime.date(2025, 3, 1),
    datetime.date(2025, 6, 15),
)
PERIOD = {"period_from": "2025-01-01", "period_to": "2025-12-31", "programme": "mentoring"}
M = 1_000_000


def _values(sales):
    return {
        "annual_sales": sales * M,
        "capital": 20 * M,
        "assets": 20 * M,
        "workers_male": 1,
        "workers_female": 0,
    }


def _snapshot(business, day, sales):
    take_snapshot(
        business,
        IndicatorSnapshot.Origin.VALIDATION,
        values=_values(sales),
        taken_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
    )


def _mentored(name, kecamatan, sector, first, latest):
    """Visited in January and June 2025: each visit's figures are a snapshot."""
    business = BusinessFactory(name=name, kecamatan=kecamatan, kbli_category=sector, validated=True)
    for day, sales in ((JAN, first), (JUN, latest)):
        MentoringVisitFactory(business=business, visited_on=day, **_values(sales))
    return business


def _not_mentored(name, kecamatan, sector, first, latest):
    business = BusinessFactory(name=name, kecamatan=kecamatan, kbli_category=sector, validated=True)
    _snapshot(business, JAN, first)
    _snapshot(business, JUN, latest)
    return business


@pytest.fixture
def programme(db):
    """Sales in Rp million at the first and latest snapshot of 2025 (all mikro at first):

    | record | kecamatan | sector | mentored        | sales        | change |
    | T1     | here      | C      | Jan, Jun        | 100 -> 300   | +200   |
    | T2     | here      | C      | Jan, Jun        | 200 -> 260   | +60    |
    | T3     | here      | G      | Jan, Jun        | 100 -> 400   | +300   |
    | T4     | there     | C      | Jan, Jun        | 100 -> 200   | (no comparable business) |
    | C1-C3  | here      | C      | no              | 100 -> 150, 100, 90 | +50, 0, -10 |
    | C4     | here      | G      | no              | 100 -> 200   | +100   |
    | C5     | here      | F      | no              | 100 -> 1000  | (no one mentored in F) |
    | E1     | here      | C      | Dec 2024 only   | 100 -> 500   | (in neither group) |

    Took part, compared: +200, +60, +300 -> median +200, all rose.
    Comparison weighted to the mix of those who took part: stratum (here, C) holds 2
    mentored and 3 not, so C1-C3 count 2/3 each; (here, G) 1 and 1, C4 counts 1.
    Sorted -10, 0, +50, +100 with weights 2/3 each and 1: half the weight (1.5) is
    reached at +50 -> median +50; rose: (2/3 + 1) / 3 = 55.6 %. Difference +150.
    """
    here, there = Kecamatan.objects.get(code=HERE), Kecamatan.objects.get(code=THERE)
    made = {
        "T1": _mentored("Usaha T1", here, "C", 100, 300),
        "T2": _mentored("Usaha T2", here, "C", 200, 260),
        "T3": _mentored("Usaha T3", here, "G", 100, 400),
        "T4": _mentored("Usaha T4", there, "C", 100, 200),
        "C1": _not_mentored("Usaha C1", here, "C", 100, 150),
        "C2": _not_mentored("Usaha C2", here, "C", 100, 100),
        "C3": _not_mentored("Usaha C3", here, "C", 100, 90),
        "C4": _not_mentored("Usaha C4", here, "G", 100, 200),
        "C5": _not_mentored("Usaha C5", here, "F", 100, 1000),
    }
    earlier = BusinessFactory(name="Usaha E1", kecamatan=here, kbli_category="C", validated=True)
    MentoringVisitFactory(business=earlier, visited_on=DEC, **_values(100))
    _snapshot(earlier, MAR, 100)
    _snapshot(earlier, JUN, 500)
    made["E1"] = earlier
    return {"here": here, "there": there, **made}


def _rows(html):
    """{indicator: [took part: n, first, change, rose; comparison: the same; difference;
    took part without a comparable business]}."""
    table = html.split('data-figure="outcomes"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for key, body in re.findall(r'<tr data-measure="(\w+)">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[key] = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    return rows


def _fact_links(html):
    return {
        label.strip(): link.replace("&amp;", "&")
        for link, label in re.findall(
            r'<p class="analysis-fact__count"><a href="([^"]+)">.*?</p>\s*'
            r'<p class="analysis-fact__label">([^<]+)</p>',
            html,
            re.S,
        )
    }


def test_mentored_businesses_beside_comparable_ones(client, programme):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, PERIOD).content.decode()
    facts = _facts(html)
    assert facts["Ikut selama diukur"] == "4"
    assert facts["Tidak ikut"] == "5"
    assert facts["Ikut hanya sebelum diukur"] == "1"
    sales = _rows(html)["sales"]
    assert sales[:4] == ["3", "Rp 100.000.000", "+Rp 200.000.000", "100,0%"]
    assert sales[4:8] == ["4", "Rp 100.000.000", "+Rp 50.000.000", "55,6%"]
    assert sales[8:] == ["+Rp 150.000.000", "1"]
    workers = _rows(html)["workers"]
    assert workers[2] == "0" and workers[6] == "0" and workers[8] == "0"
    assert "bukan" in html and "sebab" in html  # said to be descriptive, not causal


def test_each_group_opens_the_registry_list_of_its_businesses(client, programme):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    links = _fact_links(client.get(URL, PERIOD).content.decode())
    expected = {
        "Ikut selama diukur": {"T1", "T2", "T3", "T4"},
        "Tidak ikut": {"C1", "C2", "C3", "C4", "C5"},
        "Ikut hanya sebelum diukur": {"E1"},
    }
    for label, names in expected.items():
        query = parse_qs(urlparse(links[label]).query)
        assert query["snapshots_after"] == ["2025-01-01"]
        listed = client.get(links[label]).content.decode()
        shown = {name for name in programme if f"Usaha {name}<" in listed}
        assert shown == names, label


def test_the_period_decides_who_took_part_while_measured(client, programme):
    """From March, T1-T4 have one visit (June) in the period: not measured at all; E1's
    snapshots (March, June) with its December visit before: still in neither group."""
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, {**PERIOD, "period_from": "2025-03-01"}).content.decode()
    facts = _facts(html)
    assert facts["Ikut selama diukur"] == "0"
    assert facts["Tidak ikut"] == "0"  # C1-C5's January snapshots fall outside
    assert facts["Ikut hanya sebelum diukur"] == "1"


def test_an_operator_compares_only_their_kecamatan(client, programme):
    operator = UserFactory(role=roles.OPERATOR, kecamatan=programme["there"])
    client.force_login(operator)
    html = client.get(URL, PERIOD).content.decode()
    facts = _facts(html)
    assert facts["Ikut selama diukur"] == "1"
    assert facts["Tidak ikut"] == "0"
    assert _rows(html)["sales"][8:] == ["–", "1"]
    # Asking for the other kecamatan is refused beside the field, not answered.
    html = client.get(URL, {**PERIOD, "kecamatan": programme["here"].pk}).content.decode()
    assert _facts(html)["Ikut selama diukur"] == "1"


def test_an_analyst_sees_small_groups_hidden(client, programme):
    client.force_login(UserFactory(role=roles.ANALYST))
    html = client.get(URL, PERIOD).content.decode()
    facts = _facts(html)
    assert facts["Ikut selama diukur"] == "disembunyikan"
    assert facts["Tidak ikut"] == "5"
    assert facts["Ikut hanya sebelum diukur"] == "disembunyikan"
    sales = _rows(html)["sales"]
    assert sales[:4] == ["disembunyikan", "–", "–", "–"]
    assert sales[8] == "–"  # the difference would give the hidden median away
    assert not _fact_links(html)  # aggregates only


def test_weighted_median_by_hand():
    assert weighted_median([], []) is None
    assert weighted_median([3, 1, 2], [1, 1, 1]) == 2
    assert weighted_median([4, 1, 3, 2], [1, 1, 1, 1]) == 2.5
    assert weighted_median([-10, 0, 50, 100], [2 / 3, 2 / 3, 2 / 3, 1]) == 50
    assert weighted_median([1, 2, 3], [1, 1, 2]) == 2.5  # half the weight reached at 2


def test_the_screen_reads_a_fixed_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    client.get(URL, PERIOD)
    for name in "FGH":
        _not_mentored(f"Usaha {name}", programme["here"], "C", 100, 120)
    # As the Growth screen's, with the topics offered read for the form and the count.
    with django_assert_max_num_queries(22):
        response = client.get(URL, PERIOD)
    assert _facts(response.content.decode())["Tidak ikut"] == "8"


def test_the_list_keeps_an_operator_to_their_kecamatan_behind_a_group_link(client, programme):
    """The drill-down filter narrows the list; it never widens the scope."""
    operator = UserFactory(role=roles.OPERATOR, kecamatan=programme["there"])
    client.force_login(operator)
    query = {"merged": "false", "programme": "mentoring", "programme_group": "took_part"}
    listed = client.get(
        reverse("wagtailsnippets_sme_registry_business:list"), query
    ).content.decode()
    assert "Usaha T4<" in listed
    assert not any(f"Usaha {name}<" in listed for name in ("T1", "T2", "T3"))
