"""Journeys people take on the public site and in the editor, in real Chromium."""

import io

import pytest

from django.core.management import call_command

from wagtail.contrib.forms.models import FormSubmission

from content.models import StandardPage
from core import roles
from tests.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE_BUDGET_BYTES = 150 * 1024


@pytest.fixture
def demo_site(live_server):
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())


def first_load_bytes(browser, base_url, path, viewport):
    """Bytes of everything but images that a first visit (empty cache) to `path` loads."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="load")
    total = sum(
        len(r.body())
        for r in responses
        if r.request.resource_type != "image" and not 300 <= r.status < 400
    )
    context.close()
    return total


def test_visitor_reads_news_and_sends_the_contact_form(browser_page, demo_site):
    page = browser_page
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Daftarkan usaha Anda")
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Berita").click()
    page.wait_for_url("**/berita/")
    assert_accessible(page)
    page.get_by_role("link", name="Pendataan UMKM serentak di 40 kecamatan").click()
    page.wait_for_url("**/berita/pendataan-umkm-serentak-40-kecamatan/")
    assert page.locator("h1").inner_text() == "Pendataan UMKM serentak di 40 kecamatan"
    assert page.get_by_role("navigation", name="Jejak navigasi").is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Hubungi kami"
    ).click()
    page.wait_for_url("**/hubungi-kami/")
    assert_accessible(page)
    page.get_by_label("Nama").fill("Siti Aminah")
    page.get_by_label("Alamat e-mail").fill("siti@example.org")
    page.get_by_label("Pesan").fill("Kapan pelatihan pemasaran digital berikutnya?")
    page.wait_for_timeout(1100)  # the form refuses answers faster than a person types
    page.get_by_role("button", name="Kirim pesan").click()
    page.wait_for_url("**/hubungi-kami/terima-kasih/")
    assert "Pesan Anda sudah kami terima" in page.content()
    assert_accessible(page)
    submission = FormSubmission.objects.get()
    assert submission.get_data()["nama"] == "Siti Aminah"


def test_contact_form_errors_are_shown_and_accessible(browser_page, demo_site):
    page = browser_page
    page.goto("/hubungi-kami/")
    page.get_by_label("Nama").fill("Budi")
    page.get_by_label("Alamat e-mail").fill("bukan-email")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Kirim pesan").click()
    summary = page.get_by_role("alert")
    assert "Mohon perbaiki isian berikut" in summary.inner_text()
    assert page.get_by_label("Nama").input_value() == "Budi"
    assert_accessible(page)
    assert not FormSubmission.objects.exists()


# The page's cumulative layout shift so far, as the browser's own observer reports it.
LAYOUT_SHIFT_SCRIPT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def test_pages_fit_the_mobile_budget_and_layout(browser, live_server, demo_site, settings):
    phone = {"width": 360, "height": 740}
    for path in ("/", "/berita/pendataan-umkm-serentak-40-kecamatan/", "/tentang/"):
        size = first_load_bytes(browser, live_server.url, path, phone)
        assert 5_000 < size <= PAGE_BUDGET_BYTES, f"{path}: {size} bytes"
    context = browser.new_context(base_url=live_server.url, viewport=phone)
    page = context.new_page()
    for path in ("/", "/berita/", "/hubungi-kami/", "/tanya-jawab/"):
        page.goto(path)
        # Nothing wider than the phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    # The menu folds behind a button on a phone, before the first paint (nothing on the
    # page moves once the script has run), and opens on tap.
    page.goto("/")
    page.wait_for_load_state("load")
    assert page.evaluate(LAYOUT_SHIFT_SCRIPT) < 0.01
    nav_list = page.locator("#main-nav-list")
    assert not nav_list.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert nav_list.is_visible()
    context.close()


def _signed_in_editor(page):
    """A communications officer in the Editor role (not a superuser), signed in."""
    UserFactory(username="redaktur", role=roles.EDITOR)
    page.goto("/admin/")
    page.fill("#id_username", "redaktur")
    page.fill("#id_password", "rahasia-123")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return page


def test_editor_publishes_a_page_that_visitors_then_see(browser_page, demo_site):
    page = _signed_in_editor(browser_page)

    home = StandardPage.objects.get(slug="tentang").get_parent()
    page.goto(f"/admin/pages/add/content/standardpage/{home.pk}/")
    page.fill("#id_title", "Jadwal layanan konsultasi")
    page.fill("#id_intro", "Konsultasi usaha gratis setiap Selasa dan Kamis.")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url("**/admin/pages/**")

    published = StandardPage.objects.get(title="Jadwal layanan konsultasi")
    assert published.live
    visitor = page.context.browser.new_page(base_url=page.url.split("/admin")[0])
    visitor.goto(published.url)
    assert visitor.locator("h1").inner_text() == "Jadwal layanan konsultasi"
    assert "Konsultasi usaha gratis" in visitor.content()
    visitor.close()


def test_editor_places_the_sme_figures_block_and_a_visitor_reads_it(browser_page, demo_site):
    """No developer needed: the editor picks a live registry figure in the page editor."""
    from sme_registry.models import Business, Status

    page = _signed_in_editor(browser_page)

    home = StandardPage.objects.get(slug="tentang").get_parent()
    page.goto(f"/admin/pages/add/content/standardpage/{home.pk}/")
    page.fill("#id_title", "Angka UMKM Kabupaten Bogor")
    page.fill("#id_intro", "Jumlah UMKM tervalidasi, langsung dari registri.")
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Angka UMKM").click()
    page.get_by_role("combobox", name="Angka").select_option(label="Usaha tervalidasi per skala")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url("**/admin/pages/**")

    published = StandardPage.objects.get(title="Angka UMKM Kabupaten Bogor")
    assert published.live
    visitor = page.context.browser.new_page(base_url=page.url.split("/admin")[0])
    visitor.goto(published.url)
    table = visitor.locator("table.statistic__table")
    assert table.locator("caption").inner_text() == "UMKM tervalidasi per skala"
    validated = Business.objects.filter(status=Status.VALIDATED).count()
    assert table.locator("tfoot td").first.inner_text() == str(validated)
    assert_accessible(visitor)
    visitor.close()
