"""Cross-origin calls: the origins in CORS_ALLOWED_ORIGINS may call /api/, and nothing else."""

import pytest

APP = "https://app.kecamatan.example.go.id"
OTHER = "https://elsewhere.example.org"
API = "/api/registry/v1/regions/kecamatan/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def test_an_allowed_origin_may_read_the_api(client, allowed):
    response = client.get(API, HTTP_ORIGIN=APP)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert exposed == {"idempotent-replayed", "retry-after"}


def test_another_origin_gets_no_cors_header(client, allowed):
    response = client.get(API, HTTP_ORIGIN=OTHER)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_pages_outside_the_api_get_no_cors_header_even_for_an_allowed_origin(
    client, allowed, home_page
):
    response = client.get("/", HTTP_ORIGIN=APP)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_allows_the_idempotency_key_and_the_language(client, allowed):
    response = client.options(
        "/api/registry/v1/registrations/",
        HTTP_ORIGIN=APP,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, idempotency-key, accept-language",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    allowed_headers = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "idempotency-key", "accept-language"} <= allowed_headers
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_no_origin_is_allowed_by_default(client):
    response = client.get(API, HTTP_ORIGIN=APP)
    assert "Access-Control-Allow-Origin" not in response
