"""The business list as staff work it: its weight, its search, its desa filter, its actions."""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.html import compact_whitespace
from sme_registry import selectors
from sme_registry.models import Desa, Kecamatan
from tests.sme_registry.factories import BusinessFactory

LIST_URL = "/admin/registry/businesses/"


def names_in(html):
    return set(re.findall(r'<span id="snippet_\d+_title">([^<]+)</span>', html))


def test_a_page_of_fifty_businesses_weighs_at_most_100_kb(client, staff):
    BusinessFactory.create_batch(50)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert len(names_in(html)) == 50
    assert len(response.content) <= 100_000, len(response.content)


def test_each_row_links_to_the_record_and_the_record_page_carries_its_actions(client, staff):
    business = BusinessFactory(name="Dodol Garut Bu Enok", validated=True)
    listing = client.get(LIST_URL).content.decode()
    assert f"/admin/registry/businesses/inspect/{business.pk}/" in listing
    for address in (
        f"/admin/registry/merge/{business.pk}/",
        f"/admin/registry/link/{business.pk}/",
        f"/admin/registry/archive/{business.pk}/",
    ):
        assert address not in listing
    record = client.get(f"/admin/registry/businesses/inspect/{business.pk}/").content.decode()
    for address in (
        f"/admin/registry/merge/{business.pk}/",
        f"/admin/registry/link/{business.pk}/",
        f"/admin/registry/archive/{business.pk}/",
        f"/admin/registry/mentoring/add/?business={business.pk}",
    ):
        assert address in record, address
    edit = client.get(f"/admin/registry/businesses/edit/{business.pk}/").content.decode()
    assert f"/admin/registry/merge/{business.pk}/" in edit


@pytest.mark.parametrize("common_from", [None, 1], ids=["rare words", "common words"])
def test_search_finds_every_word_in_any_of_the_searched_fields(
    client, staff, common_from, monkeypatch
):
    # On PostgreSQL a one-word search of a common word takes another plan: same answers.
    if common_from:
        monkeypatch.setattr(selectors, "COMMON_WORD_MATCHES", common_from)
    siti = BusinessFactory(
        name="Keripik Singkong Mekar", owner__full_name="Siti Aminah", nib="1234567890123"
    )
    BusinessFactory(name="Keripik Pisang Barokah", owner__full_name="Euis Kurniasih")
    BusinessFactory(name="Batik Ciampea", owner__full_name="Siti Rohmah")
    cases = {
        "keripik": {"Keripik Singkong Mekar", "Keripik Pisang Barokah"},
        "siti": {"Keripik Singkong Mekar", "Batik Ciampea"},
        # Two words, one in the business name and one in the owner's name.
        "keripik siti": {"Keripik Singkong Mekar"},
        "AMINAH": {"Keripik Singkong Mekar"},
        "4567890": {"Keripik Singkong Mekar"},
        siti.tracking_code.lower(): {"Keripik Singkong Mekar"},
        "100%": set(),
        "zzzz": set(),
    }
    for query, expected in cases.items():
        html = client.get(LIST_URL, {"q": query}).content.decode()
        assert names_in(html) == expected, query


def test_on_postgresql_a_common_word_walks_the_list_order_and_a_rare_one_uses_the_indexes(
    client, staff, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the plan choice is PostgreSQL's; SQLite always takes the unions")
    monkeypatch.setattr(selectors, "COMMON_WORD_MATCHES", 3)
    for name in ("Berkah Jaya", "Toko Berkah", "Berkah Abadi", "Sinar Mandiri"):
        BusinessFactory(name=name)

    def list_sql(query):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(LIST_URL, {"q": query}).content.decode()
        page = [q["sql"] for q in queries if '"sme_registry_business"."name"' in q["sql"]]
        return html, page[-1]

    html, sql = list_sql("berkah")  # three matches: common at this threshold
    assert names_in(html) == {"Berkah Jaya", "Toko Berkah", "Berkah Abadi"}
    assert "UNION" not in sql
    html, sql = list_sql("mandiri")
    assert names_in(html) == {"Sinar Mandiri"}
    assert "UNION" in sql


def _desa_options(html):
    select = re.search(r'<select name="desa"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="(\d*)"', select)


def test_the_desa_filter_offers_the_chosen_kecamatans_desa_and_accepts_any(client, staff):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    other = Kecamatan.objects.exclude(pk=cibinong.pk).order_by("code").first()
    there = Desa.objects.filter(kecamatan=other).order_by("code").first()
    BusinessFactory(name="Usaha Cibinong", kecamatan=cibinong)
    BusinessFactory(name="Usaha Di Sana", kecamatan=other, desa=there)

    # Nothing chosen: the 435 desa are not listed, a prompt is.
    html = client.get(LIST_URL).content.decode()
    assert _desa_options(html) == [""]
    assert "Pilih kecamatan terlebih dahulu" in html

    html = client.get(LIST_URL, {"kecamatan": other.pk}).content.decode()
    expected = [""] + [
        str(pk) for pk in Desa.objects.filter(kecamatan=other).values_list("pk", flat=True)
    ]
    assert sorted(_desa_options(html)) == sorted(expected)

    # A link naming only a desa still filters, and shows that desa as chosen.
    html = client.get(LIST_URL, {"desa": there.pk}).content.decode()
    assert names_in(html) == {"Usaha Di Sana"}
    assert _desa_options(html) == ["", str(there.pk)]


def test_compacting_keeps_what_a_browser_shows():
    page = (
        b"<ul>\n    <li>\n        A  B\n    </li>\n</ul>\n"
        b"<pre>\n  kept\n    as is\n</pre>\n   <textarea>\n  typed\n</textarea>\n"
        b"<script>\n  var a = `x\n    y`;\n</script>\n\n  <p>end</p>"
    )
    assert compact_whitespace(page) == (
        b"<ul>\n<li>\nA  B\n</li>\n</ul>\n"
        b"<pre>\n  kept\n    as is\n</pre>\n<textarea>\n  typed\n</textarea>\n"
        b"<script>\n  var a = `x\n    y`;\n</script>\n<p>end</p>"
    )


def test_a_search_past_the_count_limit_says_more_than_instead_of_counting_everything(
    client, staff, settings
):
    settings.REGISTRY_SEARCH_COUNT_LIMIT = 2
    for name in ("Berkah Jaya", "Toko Berkah", "Berkah Abadi"):
        BusinessFactory(name=name)
    BusinessFactory(name="Sinar Mandiri")
    html = compact_whitespace(client.get(LIST_URL, {"q": "berkah"}).content).decode()
    assert "Lebih dari 2 kecocokan" in html
    assert "lebih dari 2 usaha" in html.lower()
    # Under the limit the count is exact, as before.
    html = compact_whitespace(client.get(LIST_URL, {"q": "mandiri"}).content).decode()
    assert "Lebih dari" not in html
    assert "Ada 1 kecocokan" in html
    assert names_in(html) == {"Sinar Mandiri"}
