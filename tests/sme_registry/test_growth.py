"""Analisis → Pertumbuhan: growth between snapshots, counted by hand; drill-down; scope."""

import datetime
import re

import pytest

from django.utils import timezone

from core import roles
from sme_registry.models import IndicatorSnapshot, Kecamatan
from sme_registry.services.snapshots import take_snapshot
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.test_background_tasks import database_tasks  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/growth/"
HERE, THERE = "32.01.01", "32.01.02"
JAN, JUN = datetime.date(2025, 1, 15), datetime.date(2025, 6, 15)
PERIOD = {"period_from": "2025-01-01", "period_to": "2025-12-31"}
MENTORING = IndicatorSnapshot.Origin.MENTORING


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _business(name, kecamatan, *snapshots, sector="C"):
    """A validated business (its validation snapshot is today's, outside PERIOD) with
    mentoring snapshots `(day, sales, capital, workers)` in 2025."""
    business = BusinessFactory(name=name, kecamatan=kecamatan, kbli_category=sector, validated=True)
    for day, sales, capital, workers in snapshots:
        take_snapshot(
            business,
            MENTORING,
            values={
                "annual_sales": sales,
                "capital": capital,
                "assets": capital,
                "workers_male": workers,
                "workers_female": 0,
            },
            taken_at=_at(day),
        )
    return business


M = 1_000_000


@pytest.fixture
def grown(db):
    """In 2025, written out (sales and capital in Rp million; scale from PP 7/2021):

    | record | kecamatan | January: sales, capital, workers | June: sales, capital, workers |
    | A      | here      | 100, 20, 1 (mikro)               | 300, 20, 3 (mikro)            |
    | B      | here      | 1500, 900, 2 (mikro)             | 3000, 900, 2 (kecil)          |
    | C      | here      | 200, 50, 4 (mikro)               | 100, 50, 2 (mikro)            |
    | D      | here      | 400, 30, 1 (mikro)               | only one snapshot: not measured |
    | E      | there     | 100, 20, 1 (mikro)               | 500, 20, 1 (mikro)            |

    Here: sales changes +200, +1500, -100 -> median +200; workers +2, 0, -2 -> median 0.
    """
    here, there = Kecamatan.objects.get(code=HERE), Kecamatan.objects.get(code=THERE)
    _business("Usaha A", here, (JAN, 100 * M, 20 * M, 1), (JUN, 300 * M, 20 * M, 3))
    _business("Usaha B", here, (JAN, 1500 * M, 900 * M, 2), (JUN, 3000 * M, 900 * M, 2))
    _business("Usaha C", here, (JAN, 200 * M, 50 * M, 4), (JUN, 100 * M, 50 * M, 2), sector="G")
    _business("Usaha D", here, (JAN, 400 * M, 30 * M, 1))
    _business("Usaha E", there, (JAN, 100 * M, 20 * M, 1), (JUN, 500 * M, 20 * M, 1))
    return {"here": here, "there": there}


def _facts(html):
    return {
        label.strip(): re.sub(r"<[^>]+>", "", count).split("(")[0].strip()
        for count, label in re.findall(
            r'<p class="analysis-fact__count">(.*?)</p>\s*<p class="analysis-fact__label">([^<]+)</p>',
            html,
            re.S,
        )
    }


def _measures(html):
    """{indicator: [businesses, median first, median latest, median change, moves]}."""
    rows = {}
    for key, body in re.findall(r'<tr data-measure="(\w+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[key] = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    return rows


def _transitions(html):
    """{(first, latest): shown} of the non-zero cells, with the link of each."""
    table = html.split('data-figure="transitions"', 1)[1].split("</table>", 1)[0]
    head = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)[1:-1]
    cells, links = {}, {}
    for first, body in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
        for latest, cell in zip(head, re.findall(r"<td[^>]*>(.*?)</td>", body, re.S), strict=False):
            shown = re.sub(r"<[^>]+>", "", cell).strip()
            if shown != "0":
                cells[(first, latest)] = shown
                link = re.search(r'href="([^"]+)"', cell)
                links[(first, latest)] = link and link.group(1).replace("&amp;", "&")
    return cells, links


def test_growth_is_read_between_the_first_and_latest_snapshot_in_the_period(client, grown):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, {**PERIOD, "kecamatan": grown["here"].pk}).content.decode()
    facts = _facts(html)
    assert facts["UMKM dengan snapshot dalam periode"] == "4"
    assert facts["UMKM yang pertumbuhannya terukur"] == "3"
    measures = _measures(html)
    assert measures["sales"][:4] == ["3", "Rp 200.000.000", "Rp 300.000.000", "+Rp 200.000.000"]
    assert measures["sales"][4] == "naik: 2 (66,7%) · tetap: 0 (0,0%) · turun: 1 (33,3%)"
    assert measures["workers"][:4] == ["3", "2", "2", "0"]
    assert measures["workers"][4] == "naik: 1 (33,3%) · tetap: 1 (33,3%) · turun: 1 (33,3%)"
    cells, _links = _transitions(html)
    assert cells == {("mikro", "mikro"): "2", ("mikro", "kecil"): "1"}


def test_without_a_period_the_validation_snapshot_of_today_is_the_latest(client, grown):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, {"kecamatan": grown["here"].pk}).content.decode()
    # D now has two snapshots (January and today's validation): four are measured.
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "4"
    # Today's figures are the factory's: Rp 120 million sales, 3 workers, for all four.
    assert _measures(html)["sales"][2] == "Rp 120.000.000"


def test_each_scale_cell_opens_the_records_behind_it(client, grown):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, {**PERIOD, "kecamatan": grown["here"].pk}).content.decode()
    _cells, links = _transitions(html)
    listed = client.get(links[("mikro", "kecil")]).content.decode()
    assert "Usaha B" in listed
    assert "Usaha A" not in listed and "Usaha C" not in listed
    stayed = client.get(links[("mikro", "mikro")]).content.decode()
    assert "Usaha A" in stayed and "Usaha C" in stayed
    assert "Usaha B" not in stayed and "Usaha D" not in stayed and "Usaha E" not in stayed
    measured = re.search(r'href="([^"]*scale_change[^"]*)"', html).group(1).replace("&amp;", "&")
    everyone = client.get(measured).content.decode()
    assert all(f"Usaha {x}" in everyone for x in "ABC")
    assert "Usaha D" not in everyone and "Usaha E" not in everyone


def test_the_scale_filter_is_the_scale_at_the_first_snapshot(client, grown):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, {**PERIOD, "scale": "kecil"}).content.decode()
    # No one started small: B grew into it, and is not counted.
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "0"
    html = client.get(URL, {**PERIOD, "scale": "mikro", "sector": "G"}).content.decode()
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "1"
    assert _measures(html)["sales"][3] == "−Rp 100.000.000"


def test_an_operator_measures_the_growth_of_their_kecamatan_only(client, grown):
    operator = UserFactory(role=roles.OPERATOR, kecamatan=THERE)
    client.force_login(operator)
    html = client.get(URL, PERIOD).content.decode()
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "1"
    assert grown["here"].name not in html
    # Another kecamatan in the address is refused beside the field, not counted.
    html = client.get(URL, {**PERIOD, "kecamatan": grown["here"].pk}).content.decode()
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "1"
    assert "Masukkan pilihan yang valid" in html


def test_an_analyst_sees_growth_with_small_cells_hidden_and_no_links(client, grown):
    client.force_login(UserFactory(role=roles.ANALYST))
    html = client.get(URL, PERIOD).content.decode()
    facts = _facts(html)
    assert facts["UMKM dengan snapshot dalam periode"] == "5"
    assert facts["UMKM yang pertumbuhannya terukur"] == "disembunyikan"  # 4 measured
    measures = _measures(html)
    assert measures["sales"][0] == "disembunyikan"
    assert "Rp" not in " ".join(measures["sales"])
    cells, links = _transitions(html)
    assert set(cells.values()) <= {"disembunyikan"}
    assert "scale_change" not in html and not any(links.values())


def test_the_screen_reads_a_fixed_number_of_queries(client, grown, django_assert_max_num_queries):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    client.get(URL, PERIOD)  # the menu, the session, the kept figures
    for name in "FGH":
        _business(f"Usaha {name}", grown["here"], (JAN, M, M, 1), (JUN, 2 * M, M, 1))
    with django_assert_max_num_queries(20):
        response = client.get(URL, PERIOD)
    assert _facts(response.content.decode())["UMKM yang pertumbuhannya terukur"] == "7"


# Growth, and the screens built like it: outcomes, outreach, trainings.
SCREENS = [
    URL,
    "/admin/analysis/outcomes/",
    "/admin/analysis/outreach/",
    "/admin/analysis/trainings/",
]


@pytest.mark.parametrize("url", SCREENS)
@pytest.mark.parametrize("role", [roles.EDITOR, roles.MENTOR])
def test_roles_without_figures_are_refused(client, grown, role, url):
    client.force_login(UserFactory(role=role))
    response = client.get(url, PERIOD, follow=True)
    assert "terukur" not in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"
    assert url not in client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    "role, kwargs",
    [
        (roles.ADMIN_DINAS, {}),
        (roles.VALIDATOR, {}),
        (roles.ANALYST, {}),
        (roles.OPERATOR, {"kecamatan": HERE}),
    ],
)
def test_the_menu_offers_growth_to_whoever_may_see_the_figures(client, db, role, kwargs):
    client.force_login(UserFactory(role=role, **kwargs))
    menu = client.get("/admin/").content.decode()
    assert all(url in menu for url in SCREENS)


def test_a_business_shows_its_snapshot_history_as_a_chart_beside_the_table(client, grown):
    from django.urls import reverse

    from sme_registry.models import Business

    business = Business.objects.get(name="Usaha A")
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    url = reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
    html = client.get(url).content.decode()
    charts = re.findall(r'<figure class="snapshot-chart">(.*?)</figure>', html, re.S)
    assert len(charts) == 2
    sales, workers = charts
    # January 100 M, June 300 M, and today's validation at the factory's 120 M.
    assert "Omzet tahunan" in sales
    assert "terendah Rp 100.000.000" in sales and "tertinggi Rp 300.000.000" in sales
    assert sales.count("<circle") == 3
    assert "15 Jan 2025" in sales
    assert "terendah 1" in workers and "tertinggi 3" in workers


def test_a_business_with_one_snapshot_has_its_table_and_no_chart(client, grown):
    from django.urls import reverse

    from sme_registry.models import Business

    business = BusinessFactory(name="Usaha Baru", kecamatan=grown["here"], validated=True)
    assert Business.objects.get(pk=business.pk).snapshots.count() == 1
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    url = reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
    html = client.get(url).content.decode()
    assert "snapshot-chart" not in html


@pytest.mark.usefixtures("database_tasks")
def test_slow_growth_figures_are_counted_again_by_the_worker(
    client, grown, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from sme_registry import analysis

    monkeypatch.setattr(analysis, "INLINE_SECONDS", -1)  # as if every count were slow
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    client.get(URL, PERIOD)
    _business("Usaha F", grown["there"], (JAN, M, M, 1), (JUN, 2 * M, M, 1))
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(URL, PERIOD).content.decode()
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "4"
    assert "sedang dihitung" in html
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    html = client.get(URL, PERIOD).content.decode()
    assert _facts(html)["UMKM yang pertumbuhannya terukur"] == "5"
    assert "sedang dihitung" not in html


def test_first_and_latest_are_paired_by_business_even_if_one_read_saw_a_new_one():
    from sme_registry.growth import joined

    firsts = iter([(1, "a1"), (3, "a3"), (4, "a4")])
    lasts = iter([(1, "b1"), (2, "b2"), (3, "b3")])  # 2 got its second snapshot meanwhile
    assert list(joined(firsts, lasts)) == [((1, "a1"), (1, "b1")), ((3, "a3"), (3, "b3"))]
    groups = iter([(1, "g1"), (2, "g2"), (4, "g4"), (5, "g5")])
    firsts = iter([(1, "a1"), (3, "a3"), (4, "a4"), (5, "a5")])
    lasts = iter([(1, "b1"), (2, "b2"), (3, "b3"), (4, "b4")])
    assert list(joined(groups, firsts, lasts)) == [
        ((1, "g1"), (1, "a1"), (1, "b1")),
        ((4, "g4"), (4, "a4"), (4, "b4")),
    ]
