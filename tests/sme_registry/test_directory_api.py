"""The public directory in the registry API: the same businesses as the page, nothing private."""

import json

import pytest

from sme_registry import services
from sme_registry.models import Business, Kecamatan
from tests.sme_registry.factories import (
    BusinessFactory,
    DirectoryPageFactory,
    OwnerAnswersFactory,
    stored_photo,
)

URL = "/api/registry/v1/directory/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(home_page):
    return DirectoryPageFactory(parent=home_page)


def listed(**fields):
    fields.setdefault("directory_opt_in", True)
    return BusinessFactory(validated=True, **fields)


def test_the_api_lists_what_the_directory_page_lists(client, directory):
    owner = OwnerAnswersFactory(full_name="Ijah Rohayati", phone="+6281311112222")
    shown = listed(
        name="Keripik Balado Mak Ijah",
        main_product="Keripik balado",
        owner=owner,
        public_phone="+6281299990000",
        public_link="https://toko.example.id/mak-ijah",
        photos=[stored_photo()],
    )
    BusinessFactory(validated=True, name="Toko Tanpa Izin Tampil")  # not opted in
    BusinessFactory(directory_opt_in=True, name="Usaha Baru Dikirim")  # not validated

    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert set(item) == {
        "code",
        "name",
        "sector",
        "main_product",
        "kecamatan",
        "desa",
        "public_phone",
        "public_link",
        "url",
        "photos",
    }
    assert item["name"] == "Keripik Balado Mak Ijah"
    assert item["sector"] == {"code": "C", "name": "Industri Pengolahan"}
    assert item["public_phone"] == "+6281299990000"
    assert item["public_link"] == "https://toko.example.id/mak-ijah"
    assert item["url"] == directory.business_url(shown, absolute=True)
    assert client.get(item["url"].replace("http://localhost", "")).status_code == 200
    assert len(item["photos"]) == 1
    assert client.get(item["photos"][0].replace("http://localhost", "")).status_code == 200

    raw = json.dumps(body)
    for private in (owner["nik"], "Ijah Rohayati", "81311112222", owner["email"], shown.address):
        assert private not in raw
    assert shown.tracking_code not in raw

    one = client.get(f"{URL}{item['code']}/")
    assert one.status_code == 200 and one.json() == item


def test_search_and_filters_answer_as_on_the_page(client, directory):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    other = Kecamatan.objects.exclude(pk=cibinong.pk).first()
    listed(name="Keripik Singkong Ceu Dede", main_product="Keripik singkong", kecamatan=cibinong)
    listed(name="Batik Tulis Bogor", main_product="Kain batik", kbli_category="C", kecamatan=other)
    listed(name="Warung Kopi Pagi", main_product="Kopi bubuk", kbli_category="I")

    def names(**params):
        return sorted(i["name"] for i in client.get(URL, params).json()["items"])

    assert names(q="keripik") == ["Keripik Singkong Ceu Dede"]
    assert names(product="batik") == ["Batik Tulis Bogor"]
    assert names(sector="i") == ["Warung Kopi Pagi"]
    assert names(kecamatan=other.code) == ["Batik Tulis Bogor"]
    page = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1

    bad = client.get(URL, {"limit": 500, "sector": "XY"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"limit", "sector"}


def test_an_opted_out_business_is_gone_from_the_api_at_once(client, directory):
    business = listed(name="Keripik Balado Mak Ijah")
    code = client.get(URL).json()["items"][0]["code"]
    services.withdraw_from_directory(Business.objects.get(pk=business.pk), via="owner")
    assert client.get(URL).json() == {"count": 0, "items": []}
    gone = client.get(f"{URL}{code}/")
    assert gone.status_code == 404
    assert gone.json()["errors"][0] == {
        "field": "code",
        "code": "not_found",
        "message": "Tidak ada usaha di direktori dengan kode ini.",
    }


def test_the_list_costs_the_same_queries_for_two_or_eight_businesses(client, directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    for _n in range(2):
        listed(photos=[stored_photo()])
    count()
    few = count()
    for _n in range(6):
        listed(photos=[stored_photo()])
    assert count() == few
