"""An analyst reads the registry's figures in Chromium and narrows them to one kecamatan."""

import pytest

from core import roles
from sme_registry.models import Desa, Kecamatan
from tests.conftest import assert_accessible
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.sme_registry.test_browser_validation import log_in, new_tab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _bars_and_counts(page, slug):
    """(label, shown count, bar width) per row of one figure, as the browser lays it out."""
    return page.eval_on_selector_all(
        f"section[aria-labelledby='figure-{slug}'] tbody tr",
        """rows => rows.map(row => [
            row.querySelector('th').textContent.trim(),
            row.querySelectorAll('td')[0].textContent.trim(),
            row.querySelector('rect').getBoundingClientRect().width,
        ])""",
    )


def test_an_analyst_filters_the_figures_by_kecamatan_and_chart_and_table_agree(
    browser, live_server, home_page
):
    here = Kecamatan.objects.get(code="32.01.01")
    there = Kecamatan.objects.get(code="32.01.02")
    for number in range(6):
        BusinessFactory(name=f"Usaha Sini {number}", kecamatan=here, kbli_category="C")
    for number in range(5):
        BusinessFactory(name=f"Usaha Jualan {number}", kecamatan=here, kbli_category="G")
    for number in range(7):
        BusinessFactory(
            name=f"Usaha Sana {number}",
            kecamatan=there,
            desa=Desa.objects.filter(kecamatan=there).first(),
            kbli_category="I",
        )
    UserFactory(username="analis", role=roles.ANALYST)
    page = new_tab(browser, live_server)
    log_in(page, "analis")
    page.get_by_role("button", name="Analisis").click()
    page.get_by_role("link", name="Registri", exact=True).click()
    page.wait_for_url("**/admin/analysis/registry/")
    assert page.get_by_text("18 catatan dihitung.").is_visible()
    assert_accessible(page)

    page.get_by_role("combobox", name="Kecamatan").select_option(label=here.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Terapkan").click()
    assert f"kecamatan={here.pk}" in page.url  # the filter stays in the address
    assert page.get_by_text("11 catatan dihitung.").is_visible()

    rows = {label: (count, width) for label, count, width in _bars_and_counts(page, "sector")}
    c, g = rows["C - Industri Pengolahan"], rows[next(k for k in rows if k.startswith("G - "))]
    assert (c[0], g[0]) == ("6", "5")
    # The longest bar is the largest count, the others in proportion: 5/6 of it.
    assert c[1] > 0 and g[1] == pytest.approx(c[1] * 5 / 6, rel=0.02)
    assert rows[next(k for k in rows if k.startswith("I - "))][0] == "0"
    # The analyst gets no way to the records behind a figure.
    assert page.locator("a[href*='/admin/registry/businesses/']").count() == 0

    # What a figure counts, one click away.
    page.locator("section[aria-labelledby='figure-sector'] summary").click()
    assert page.get_by_text("per kategori KBLI 2020").first.is_visible()
