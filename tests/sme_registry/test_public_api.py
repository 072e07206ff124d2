"""The public part of the registry API (/api/registry/v1/): contracts, suppression, errors."""

import json

import pytest

from core.statistics import suppress_small_cells
from sme_registry.models import Desa, Kecamatan
from tests.sme_registry.factories import BusinessFactory, OwnerAnswersFactory

API = "/api/registry/v1"

pytestmark = pytest.mark.django_db


def get(client, path, **headers):
    return client.get(f"{API}{path}", **headers)


def test_the_schema_and_its_docs_are_served_from_the_site(client):
    schema = get(client, "/openapi.json").json()
    assert schema["info"]["title"] == "SI MBA UMI registry API"
    paths = set(schema["paths"])
    assert {
        "/api/registry/v1/regions/kecamatan/",
        "/api/registry/v1/regions/kecamatan/{code}/desa/",
        "/api/registry/v1/statistics/",
        "/api/registry/v1/registrations/status/",
        "/api/registry/v1/registrations/",
        "/api/registry/v1/activities/",
        "/api/registry/v1/directory/",
        "/api/registry/v1/directory/{code}/",
    } <= paths
    assert "post" in schema["paths"]["/api/registry/v1/registrations/"]
    docs = get(client, "/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Nothing from another host: no CDN, no external fonts.
    assert "https://" not in html and "http://" not in html.replace("http://testserver", "")


def test_kecamatan_list_has_the_forty_kecamatan_with_their_desa_counts(client):
    response = get(client, "/regions/kecamatan/")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    rows = response.json()
    assert len(rows) == 40
    assert set(rows[0]) == {"code", "name", "desa_count"}
    cibinong = next(row for row in rows if row["name"] == "Cibinong")
    assert cibinong["code"] == "32.01.01"
    assert cibinong["desa_count"] == Desa.objects.filter(kecamatan__code="32.01.01").count() > 5
    assert sum(row["desa_count"] for row in rows) == 435


def test_desa_of_one_kecamatan_and_a_clear_404_for_an_unknown_code(client):
    rows = get(client, "/regions/kecamatan/32.01.01/desa/").json()
    assert rows and all(row["code"].startswith("32.01.01.") for row in rows)
    assert {row["kind"] for row in rows} <= {"desa", "kelurahan"}
    response = get(client, "/regions/kecamatan/99.99.99/desa/")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "field": "code",
                "code": "not_found",
                "message": "Tidak ada kecamatan dengan kode ini.",
            }
        ]
    }


def test_suppression_hides_small_cells_and_the_one_that_would_reveal_them():
    # A hand-written table: one small cell would be total minus the rest, so the next
    # smallest published cell goes too; zero names no one and stays.
    cells = suppress_small_cells([("a", "A", 12), ("b", "B", 3), ("c", "C", 7), ("d", "D", 0)])
    assert [(c.key, c.count, c.suppressed) for c in cells] == [
        ("a", 12, False),
        ("b", None, True),
        ("c", None, True),
        ("d", 0, False),
    ]
    two_small = suppress_small_cells([("a", "A", 9), ("b", "B", 1), ("c", "C", 4)])
    assert [(c.key, c.count) for c in two_small] == [("a", 9), ("b", None), ("c", None)]


def test_statistics_count_validated_businesses_only_with_small_cells_suppressed(client):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    citeureup = Kecamatan.objects.get(name="Citeureup")
    for _n in range(6):
        BusinessFactory(validated=True, kecamatan=cibinong)
    BusinessFactory(validated=True, kecamatan=citeureup, kbli_category="G")
    BusinessFactory(kecamatan=citeureup)  # waiting for review: not counted
    BusinessFactory(state="rejected", kecamatan=cibinong)  # not counted

    body = get(client, "/statistics/?by=kecamatan").json()
    assert body["total"] == 7
    assert body["suppression_threshold"] == 5
    cells = {cell["key"]: cell for cell in body["cells"]}
    assert len(cells) == 40
    # Citeureup's single business is hidden, and with it Cibinong's six, which with the
    # total would give it away; every other kecamatan has none.
    assert cells[citeureup.code] == {
        "key": citeureup.code,
        "label": "Citeureup",
        "count": None,
        "suppressed": True,
    }
    assert cells["32.01.01"]["suppressed"] is True
    assert all(c["count"] == 0 for k, c in cells.items() if k not in ("32.01.01", citeureup.code))

    sectors = {c["key"]: c["count"] for c in get(client, "/statistics/?by=sector").json()["cells"]}
    assert sectors["C"] is None and sectors["G"] is None and sectors["A"] == 0

    scales = get(client, "/statistics/?by=scale").json()
    assert [c["key"] for c in scales["cells"]] == ["mikro", "kecil", "menengah", "besar", ""]
    assert scales["cells"][0]["count"] == 7  # 120 million a year and 20 million capital: mikro


def test_statistics_refuse_an_unknown_breakdown_per_field_in_both_languages(client):
    indonesian = get(client, "/statistics/?by=desa")
    assert indonesian.status_code == 422
    assert indonesian["Content-Language"] == "id"
    assert indonesian.json() == {
        "errors": [
            {
                "field": "by",
                "code": "invalid_choice",
                "message": "Nilai ini tidak termasuk pilihan yang tersedia.",
            }
        ]
    }
    english = get(client, "/statistics/?by=desa", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert english["Content-Language"] == "en"
    assert english.json()["errors"][0]["message"] == (
        "This value is not one of the allowed choices."
    )
    assert "Accept-Language" in english["Vary"]


def test_status_by_tracking_code_says_the_state_and_nothing_personal(client):
    owner = OwnerAnswersFactory(full_name="Siti Rahmawati", phone="+6281298765432")
    business = BusinessFactory(owner=owner, name="Keripik Bu Siti")
    response = get(client, f"/registrations/status/?code={business.tracking_code_display}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert set(body) == {"code", "status", "label", "text", "submitted_at"}
    assert body["code"] == business.tracking_code_display
    assert body["status"] == "submitted"
    raw = json.dumps(body)
    for private in (owner["nik"], "Siti Rahmawati", "81298765432", owner["email"], "Keripik"):
        assert private not in raw

    # The code as a person types it: lower case, without dashes.
    typed = business.tracking_code.lower()
    assert get(client, f"/registrations/status/?code={typed}").json()["status"] == "submitted"


def test_status_errors_name_the_field(client):
    missing = get(client, "/registrations/status/")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "code", "code": "required", "message": "Isian ini wajib diisi."}
    ]
    unknown = get(client, "/registrations/status/?code=ABCD-EFGH-JKLM")
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "code"
    assert unknown.json()["errors"][0]["code"] == "not_found"


def test_status_lookups_share_the_status_page_limit(client, settings):
    settings.STATUS_LOOKUPS_PER_HOUR = 3
    for _n in range(3):
        assert get(client, "/registrations/status/?code=ABCD-EFGH-JKLM").status_code == 404
    limited = get(client, "/registrations/status/?code=ABCD-EFGH-JKLM")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    assert limited.json()["errors"][0]["code"] == "rate_limited"


def test_control_characters_are_refused_before_the_api_reads_them(client):
    response = get(client, "/registrations/status/?code=%00ABCDEFGHJKLM")
    assert response.status_code == 400
    # In the API's own shape, not the site's 400 page.
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "code": "control_characters",
                "message": "Permintaan ini memuat karakter yang tidak diizinkan, seperti karakter "
                "kendali.",
            }
        ]
    }
