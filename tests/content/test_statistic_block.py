"""The "Statistik UMKM" block: an editor places a live registry figure on a page."""

import json
import re

import pytest

from django.core.cache import cache

from sme_registry.models import Kecamatan
from tests.content.factories import StandardPageFactory
from tests.pages_api import api_item
from tests.sme_registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def _page(home_page, figure, **more):
    body = [{"type": "statistic", "value": {"figure": figure, "title": "", "note": "", **more}}]
    return StandardPageFactory(parent=home_page, slug="angka", body=json.dumps(body))


def _rows(html):
    table = html.split('class="statistic__table"', 1)[1].split("</tbody>", 1)[0]
    return {
        label.strip(): re.sub(r"<[^>]+>", "", count).strip()
        for label, count in re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td class="statistic__number">(.*?)</td>',
            table,
            re.S,
        )
    }


@pytest.fixture
def validated(db):
    """Validated: six here, two there, seven in a third kecamatan; one here only submitted."""
    here, there, third = (
        Kecamatan.objects.get(code=code) for code in ("32.01.01", "32.01.02", "32.01.03")
    )
    for kecamatan, sector, count in ((here, "C", 6), (there, "G", 2), (third, "I", 7)):
        for _number in range(count):
            BusinessFactory(kecamatan=kecamatan, kbli_category=sector, validated=True)
    BusinessFactory(kecamatan=here, kbli_category="C")
    cache.clear()
    return here, there, third


def test_a_visitor_reads_validated_businesses_per_kecamatan_with_small_cells_hidden(
    client, home_page, validated
):
    here, there, third = validated
    page = _page(home_page, "validated_by_kecamatan", note="Sumber: Dinas Koperasi dan UKM.")
    html = client.get(page.url).content.decode()
    rows = _rows(html)
    # Two is hidden; with the total shown, so is the next smallest (six), or 15 - 7 - 6 = 2.
    assert rows[there.name] == "disembunyikan" and rows[here.name] == "disembunyikan"
    assert rows[third.name] == "7"
    assert len(rows) == 40 and set(rows.values()) == {"7", "disembunyikan", "0"}
    assert "UMKM tervalidasi per kecamatan" in html  # the figure's own title
    assert re.search(r"Jumlah</th>\s*<td class=\"statistic__number\">15<", html)
    assert "Jumlah 1 sampai 4 disembunyikan" in html
    assert "Sumber: Dinas Koperasi dan UKM." in html


def test_the_editor_titles_the_figure_and_the_api_gives_the_same_table(
    client, home_page, validated
):
    page = _page(home_page, "validated_by_sector", title="Bidang usaha UMKM kita")
    html = client.get(page.url).content.decode()
    assert "<caption>Bidang usaha UMKM kita</caption>" in html
    assert _rows(html)["Industri Pengolahan"] == "disembunyikan"  # next smallest to G
    [block] = api_item(client, page)["body"]
    assert block["type"] == "statistic"
    value = block["value"]
    assert value["title"] == "Bidang usaha UMKM kita" and value["total"] == 15
    cells = {row["key"]: (row["count"], row["suppressed"]) for row in value["rows"]}
    assert cells["I"] == (7, False) and cells["G"] == (None, True) and cells["C"] == (None, True)


def test_a_figure_no_app_offers_any_more_shows_nothing_and_breaks_nothing(client, home_page):
    page = _page(home_page, "gone_figure")
    response = client.get(page.url)
    assert response.status_code == 200
    assert "statistic__table" not in response.content.decode()


def test_the_editor_finds_the_block_and_its_figures_in_the_page_editor(admin_client, home_page):
    page = StandardPageFactory(parent=home_page, slug="kosong")
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Angka UMKM" in html
    for label in (
        "Usaha tervalidasi per kecamatan",
        "Usaha tervalidasi per bidang usaha (KBLI 2020)",
        "Usaha tervalidasi per skala",
    ):
        assert label in html, label
