"""An operator's import in Chromium: template, upload, dry run, apply, refused rows."""

import io

import pytest
from openpyxl import load_workbook

from core import roles
from sme_registry.models import Business, Source, Status
from tests.conftest import assert_accessible
from tests.factories import UserFactory
from tests.sme_registry.factories import CIBINONG
from tests.sme_registry.test_browser_validation import log_in, new_tab
from tests.sme_registry.test_import import HEADERS, row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fill(template_bytes, rows):
    """The downloaded template with rows typed in, as the operator would in a spreadsheet."""
    workbook = load_workbook(io.BytesIO(template_bytes))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        for title, value in values.items():
            sheet.cell(row=number, column=header.index(title) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(serial, **over):
    """A row of the office template as a {header: value} dict (see `test_import.row`)."""
    name = ("Rengginang", "Dodol Talas", "Bolu Kukus")[serial - 1]
    return dict(zip(HEADERS, row(serial, name=name, **over), strict=True))


def test_an_operator_imports_the_template_and_downloads_the_refused_row(
    browser, live_server, home_page, tmp_path
):
    UserFactory(username="operator", role=roles.OPERATOR, kecamatan=CIBINONG)
    page = new_tab(browser, live_server)
    log_in(page, "operator")
    page.get_by_role("button", name="Registri UMKM").click()
    page.get_by_role("link", name="Impor", exact=True).click()
    page.wait_for_url("**/admin/registry/import/")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat kantor (XLSX)").click()
    template = download.value.path().read_bytes()
    filled = tmp_path / "data-cibinong.xlsx"
    filled.write_bytes(
        _fill(template, [_row(1), _row(2), _row(3, **{"Tanggal lahir": "31/02/1990"})])
    )

    page.get_by_label("Berkas (CSV atau XLSX)").set_input_files(str(filled))
    page.get_by_role("button", name="Unggah dan petakan kolom").click()
    page.wait_for_url("**/columns/")
    assert page.get_by_label("NIK pemilik *").input_value() == "NIK pemilik"
    assert_accessible(page)
    page.get_by_role("button", name="Jalankan uji coba").click()

    page.get_by_role("heading", name="Yang akan dilakukan impor").wait_for()
    assert page.get_by_role("link", name="Data baru: 2").is_visible()
    assert page.get_by_role("link", name="Ditolak: 1").is_visible()
    assert page.get_by_text("Tanggal lahir: Bukan tanggal: tulis seperti 31/12/1980.").is_visible()
    assert not Business.objects.exists()  # the dry run wrote nothing
    assert_accessible(page)

    page.get_by_role("button", name="Terapkan: tulis 2 baris").click()
    page.get_by_role("heading", name="Hasil impor").wait_for()
    created = Business.objects.filter(source=Source.IMPORT)
    assert sorted(created.values_list("name", flat=True)) == ["Dodol Talas", "Rengginang"]
    assert set(created.values_list("status", flat=True)) == {Status.SUBMITTED}
    page.get_by_role("link", name="Rengginang").click()
    page.wait_for_url("**/inspect/**")

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh baris yang ditolak (XLSX)").click()
    refused = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    rows = list(refused.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "Bolu Kukus" in rows[1]
    assert "Bukan tanggal" in rows[1][-1]
