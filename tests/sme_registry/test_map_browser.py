"""Maps in Chromium with the tile server out of reach: an operator's points still load, and
an owner fills the location step from the phone's position and a tap on the map."""

import pytest
from playwright.sync_api import expect

from core import roles
from sme_registry.models import Business, Kecamatan
from tests.conftest import assert_accessible
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.test_browser_registration import fill_up_to_location, next_step
from tests.sme_registry.test_browser_validation import log_in, new_tab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _block_tiles(page):
    """Every tile request fails, as on an office network that blocks the tile server."""
    tried = []

    def refuse(route):
        tried.append(route.request.url)
        route.abort()

    page.route("**/tile.openstreetmap.org/**", refuse)
    return tried


def test_an_operator_sees_their_points_on_the_map_without_tiles(browser, live_server):
    here = Kecamatan.objects.get(code="32.01.02")
    elsewhere = Kecamatan.objects.get(code="32.01.01")
    BusinessFactory(
        name="Roti Gunungputri", kecamatan=here, latitude="-6.4401", longitude="106.9102"
    )
    BusinessFactory(
        name="Bakso Wanaherang", kecamatan=here, latitude="-6.4512", longitude="106.9301"
    )
    BusinessFactory(
        name="Sate Cibinong", kecamatan=elsewhere, latitude="-6.4812", longitude="106.8543"
    )
    UserFactory(username="operator", role=roles.OPERATOR, kecamatan="32.01.02")
    page = new_tab(browser, live_server)
    tried = _block_tiles(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "operator")
    page.get_by_role("button", name="Analisis").click()
    page.get_by_role("link", name="Peta", exact=True).click()
    page.wait_for_url("**/admin/analysis/map/")
    map_box = page.locator("[data-registry-map]")
    page.wait_for_function(
        "document.querySelector('[data-registry-map]').dataset.loaded !== undefined"
    )
    assert map_box.get_attribute("data-loaded") == "2"
    assert page.locator("[data-map-status]").inner_text() == "2 usaha"
    assert tried, "the map asked for tiles (and got none)"
    # Zoomed to fit, the two points show apart or as one group of 2, once the zoom and the
    # grouping have stopped moving (while they move, old and new markers are both there).
    page.wait_for_function(
        """() => {
            const root = document.querySelector('[data-registry-map]');
            const moving = '.leaflet-cluster-anim, .leaflet-zoom-anim';
            if (root.matches(moving) || root.querySelector(moving)) return false;
            const dots = root.querySelectorAll('.registry-map__dot').length;
            const grouped = [...root.querySelectorAll('.marker-cluster span')]
                .reduce((sum, span) => sum + Number(span.textContent), 0);
            return dots + grouped === 2;
        }"""
    )
    dots = page.locator(".registry-map__dot")
    if dots.count():
        dots.first.click()
        popup = page.locator(".leaflet-popup-content")
        assert popup.get_by_role("link", name="Buka datanya").is_visible()
        assert popup.inner_text().split("\n")[0] in {"Roti Gunungputri", "Bakso Wanaherang"}
    assert "Sate Cibinong" not in page.content()
    assert errors == []
    # The table under the map says the same, for the operator's kecamatan only.
    rows = page.locator("table[data-figure='map-kecamatan'] tbody tr")
    assert rows.count() == 1 and rows.first.locator("th").inner_text() == here.name
    assert_accessible(page)


def test_an_owner_fills_the_location_from_the_phone_and_the_map(
    browser, live_server, home_page, settings
):
    settings.FORM_MIN_FILL_SECONDS = 1
    RegistrationPageFactory(parent=home_page)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        locale="id-ID",
        geolocation={"latitude": -6.481234, "longitude": 106.854321},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    tried = _block_tiles(page)
    fill_up_to_location(page)
    # Nothing of the map is loaded until asked: no tiles, no Leaflet.
    assert not tried and page.evaluate("typeof window.L") == "undefined"

    page.get_by_label("Alamat usaha").fill("Jl. Mayor Oking No. 5")
    page.get_by_label("Kecamatan").select_option(label="Cibinong")
    page.get_by_label("Desa/kelurahan").select_option(label="Pondok Rajeg")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.get_by_label("Lintang")).to_have_value("-6.481234")
    assert page.get_by_label("Bujur").input_value() == "106.854321"
    assert "terisi dari lokasi Anda" in page.locator(".location-map__status").inner_text()

    # The map opened on that spot; a tap a little to the east moves the point there.
    canvas = page.locator(".location-map__canvas[data-ready]")
    canvas.wait_for()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    longitude = float(page.get_by_label("Bujur").input_value())
    assert 106.854321 < longitude < 106.87
    assert abs(float(page.get_by_label("Lintang").input_value()) + 6.481234) < 0.001
    assert (
        page.locator(".location-map__status").inner_text() == "Lintang dan bujur terisi dari peta."
    )
    assert_accessible(page)

    next_step(page, "keuangan")
    page.go_back()
    page.wait_for_url("**/lokasi/")
    assert float(page.get_by_label("Bujur").input_value()) == pytest.approx(longitude, abs=1e-6)
    assert not Business.objects.exists()  # still a draft
    context.close()
