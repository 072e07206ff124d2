"""A visitor on a phone, JavaScript off, finds a business in the directory by its product."""

import pytest

from tests.conftest import assert_accessible
from tests.sme_registry.factories import BusinessFactory, DirectoryPageFactory, stored_photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check_accessible(browser, url):
    """axe-core needs JavaScript: check the same address in a phone-sized tab that has it."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(url)
    assert_accessible(tab)
    # Every picture on the page loaded (the photo view answered with a real JPEG).
    widths = tab.locator("main img").evaluate_all("images => images.map(i => i.naturalWidth)")
    assert all(width > 0 for width in widths), widths
    context.close()
    return widths


def test_a_visitor_finds_a_business_by_product_and_opens_its_page(browser, live_server, home_page):
    DirectoryPageFactory(parent=home_page)
    BusinessFactory(
        validated=True,
        directory_opt_in=True,
        name="Keripik Balado Mak Ijah",
        main_product="Keripik singkong balado",
        public_phone="0813-1111-2222",
        public_link="https://shopee.co.id/makijah",
        photos=[stored_photo(), stored_photo((30, 120, 60))],
        owner__full_name="Ijah Khodijah",
    )
    BusinessFactory(
        validated=True,
        directory_opt_in=True,
        name="Batik Tulis Cibinong",
        main_product="Kain batik tulis",
        kbli_category="C",
    )
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
        locale="id-ID",
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()

    tab.goto("/direktori/")
    assert "Jumlah usaha: 2" in tab.locator("main").inner_text()
    tab.get_by_label("Produk", exact=True).fill("keripik")
    tab.get_by_role("button", name="Cari usaha").click()
    tab.wait_for_url("**produk=keripik**")
    results = tab.locator(".directory-list")
    assert "Keripik Balado Mak Ijah" in results.inner_text()
    assert "Batik Tulis Cibinong" not in results.inner_text()
    assert tab.get_by_label("Produk", exact=True).input_value() == "keripik"  # kept
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert check_accessible(browser, tab.url) == [480]

    tab.get_by_role("link", name="Keripik Balado Mak Ijah").click()
    tab.wait_for_url("**/direktori/keripik-balado-mak-ijah-*/")
    assert tab.get_by_role("heading", level=1).inner_text() == "Keripik Balado Mak Ijah"
    main = tab.locator("main").inner_text()
    assert "Keripik singkong balado" in main
    assert "Ijah Khodijah" not in tab.content()
    phone = tab.get_by_role("link", name="0813-1111-2222")
    assert phone.get_attribute("href") == "tel:+6281311112222"
    assert tab.get_by_role("link", name="shopee.co.id").get_attribute("href") == (
        "https://shopee.co.id/makijah"
    )
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert check_accessible(browser, tab.url) == [1200, 1200]
    context.close()
