"""A new SME owner registers on a phone with JavaScript off, then checks the status."""

import pytest

from sme_registry.models import Business
from tests.conftest import assert_accessible
from tests.sme_registry.factories import RegistrationPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def phone_without_js(browser, live_server, settings):
    settings.FORM_MIN_FILL_SECONDS = 1
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
        locale="id-ID",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def check_accessible(browser, page):
    """axe-core needs JavaScript: check the same address in a tab that has it."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(page.url)
    assert_accessible(tab)
    context.close()


def next_step(page, slug):
    page.get_by_role("button", name="Simpan dan lanjut").click()
    page.wait_for_url(f"**/{slug}/")


def fill_up_to_location(page, business_name="Keripik Singkong Bu Siti"):
    """The owner and business steps with valid answers, arriving at the location step."""
    page.goto("/daftar/")
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Aminah")
    page.locator("#id_nik").fill("3201014506900001")
    page.get_by_label("Perempuan").check()
    page.get_by_label("Tanggal lahir").fill("1990-06-05")
    page.get_by_label("Nomor telepon / WhatsApp").fill("0812 3456 7890")
    page.locator("#id_email").fill("siti@example.org")
    page.get_by_label("Alamat rumah").fill("Jl. Raya Cibinong No. 10")
    page.wait_for_timeout(1100)
    next_step(page, "usaha")
    page.get_by_label("Nama usaha").fill(business_name)
    page.get_by_label("Produk atau jasa utama").fill("Keripik singkong")
    page.get_by_label("Bidang usaha").select_option("C")
    page.get_by_label("Tahun mulai usaha").fill("2019")
    next_step(page, "lokasi")


def fill_registration(page, business_name="Keripik Singkong Bu Siti"):
    """Go through every step with valid answers, up to and including sending."""
    fill_up_to_location(page, business_name)
    page.get_by_label("Alamat usaha").fill("Jl. Mayor Oking No. 5")
    page.get_by_label("Kecamatan").select_option(label="Cibinong")
    page.get_by_label("Desa/kelurahan").select_option(label="Pondok Rajeg")
    next_step(page, "keuangan")
    page.get_by_label("Omzet setahun terakhir (Rp)").fill("180.000.000")
    next_step(page, "legalitas")
    next_step(page, "foto")
    next_step(page, "persetujuan")
    page.get_by_label("Saya setuju").check()
    next_step(page, "periksa")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_url("**/selesai/**")
    return page.get_by_test_id("tracking-code").inner_text().strip()


def test_new_owner_registers_through_all_steps_without_javascript(
    browser, phone_without_js, home_page
):
    RegistrationPageFactory(parent=home_page)
    page = phone_without_js
    page.goto("/daftar/")
    assert "Langkah 1 dari 8" in page.content()
    check_accessible(browser, page)

    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Aminah")
    page.locator("#id_nik").fill("3201014506900001")
    page.get_by_label("Perempuan").check()
    page.get_by_label("Tanggal lahir").fill("1990-06-05")
    page.get_by_label("Nomor telepon / WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Alamat rumah").fill("Jl. Raya Cibinong No. 10")
    page.wait_for_timeout(1100)
    next_step(page, "usaha")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Nama usaha").fill("Keripik Singkong Bu Siti")
    page.get_by_label("Produk atau jasa utama").fill("Keripik singkong")
    page.get_by_label("Bidang usaha").select_option("C")
    page.get_by_label("Tahun mulai usaha").fill("2019")
    # A mistake first: the error is shown beside the field and the rest is kept.
    page.get_by_label("NIB").fill("123")
    next_step_button = page.get_by_role("button", name="Simpan dan lanjut")
    next_step_button.click()
    assert "NIB harus 13 angka." in page.locator(".field--error").inner_text()
    assert page.get_by_label("Nama usaha").input_value() == "Keripik Singkong Bu Siti"
    page.get_by_label("NIB").fill("")
    next_step(page, "lokasi")

    page.get_by_label("Alamat usaha").fill("Jl. Mayor Oking No. 5")
    page.get_by_label("Kecamatan").select_option(label="Cibinong")
    page.get_by_label("Desa/kelurahan").select_option(label="Pondok Rajeg")
    next_step(page, "keuangan")

    page.get_by_label("Modal usaha (Rp)").fill("15.000.000")
    page.get_by_label("Omzet setahun terakhir (Rp)").fill("180.000.000")
    page.get_by_label("Tenaga kerja perempuan").fill("2")
    next_step(page, "legalitas")
    check_accessible(browser, page)
    next_step(page, "foto")
    next_step(page, "persetujuan")
    page.get_by_label("Saya setuju").check()
    next_step(page, "periksa")

    assert "Keripik Singkong Bu Siti" in page.content()
    assert "3201014506900001" not in page.content()  # masked on the review page
    check_accessible(browser, page)
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_url("**/selesai/**")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    business = Business.objects.get()
    assert code == business.tracking_code_display
    check_accessible(browser, page)

    page.get_by_role("link", name="Cek status").click()
    page.wait_for_url("**/status/**")
    assert "Diajukan" in page.locator(".status-result").inner_text()
    assert "Siti" not in page.content()
    check_accessible(browser, page)
