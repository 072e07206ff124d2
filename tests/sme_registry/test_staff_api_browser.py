"""An operator makes an API token in the admin, in Chromium, and a kecamatan app uses it."""

import pytest

from core import roles
from sme_registry.models import Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import CIBINONG, BusinessFactory
from tests.sme_registry.test_browser_validation import log_in, new_tab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_operator_makes_a_token_copies_it_once_and_the_app_reads_her_kecamatan(
    browser, live_server, home_page
):
    UserFactory(username="operator", role=roles.OPERATOR, kecamatan=CIBINONG)
    BusinessFactory(name="Keripik Sini")
    there = Kecamatan.objects.get(code="32.01.02")
    BusinessFactory(name="Dodol Sana", kecamatan=there, desa=there.desa_set.first())

    admin = new_tab(browser, live_server)
    log_in(admin, "operator")
    admin.goto("/admin/api-tokens/")
    admin.get_by_role("link", name="Tambah token API").click()
    admin.get_by_label("Nama").fill("Tablet kecamatan")
    admin.get_by_role("button", name="Buat").click()
    admin.get_by_text("Salin sekarang").wait_for()
    token = admin.locator("#api-token-value").input_value()
    assert token.startswith("wagtail_")

    # The app sends it; it sees the operator's kecamatan only, never a session of hers.
    app = browser.new_context(base_url=live_server.url)
    answer = app.request.get(
        "/api/registry/v1/staff/businesses/", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    assert [item["name"] for item in answer.json()["items"]] == ["Keripik Sini"]

    # Shown once: the list names the token by its beginning only.
    admin.goto("/admin/api-tokens/")
    listing = admin.locator("main").inner_text()
    assert "Tablet kecamatan" in listing
    assert token not in listing
    assert token[:12] in listing

    # Revoked, it stops at once.
    admin.get_by_role("button", name="Pilihan lain untuk 'Tablet kecamatan").click()
    admin.get_by_role("link", name="Cabut").click()
    admin.get_by_role("button", name="Ya, cabut").click()
    admin.get_by_text("dicabut").first.wait_for()
    refused = app.request.get(
        "/api/registry/v1/staff/businesses/", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401
    app.close()
