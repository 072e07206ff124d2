"""XLSX and large CSV exports: written by the worker as their requester, fetched when ready."""

import csv
import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from core import background_exports, roles
from core.models import ExportJob, RecordLogEntry
from sme_registry.models import Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import CIBINONG, BusinessFactory

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_sme_registry_business:list")
FORMULA = "=1+1"


@pytest.fixture
def registry():
    """Three records in Cibinong (one named like a formula), one elsewhere."""
    home = Kecamatan.objects.get(code=CIBINONG)
    elsewhere = Kecamatan.objects.exclude(pk=home.pk).order_by("code").first()
    for name in ("Kopi Puncak", "Dodol Ibu", FORMULA):
        BusinessFactory(name=name)
    BusinessFactory(
        name="Usaha Jauh", kecamatan=elsewhere, desa=elsewhere.desa_set.order_by("code").first()
    )
    return home


def _request(client, capture, params, run=True):
    """The export as a person asks for it; the worker runs when the request commits."""
    with capture(execute=run):
        response = client.get(LIST, params)
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/admin/exports/")
    return ExportJob.objects.latest("pk"), response["Location"]


def _names_in_xlsx(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Nama usaha")
    return sorted(row[column] for row in rows[1:])


def _body(response):
    return b"".join(response.streaming_content)


def test_an_xlsx_is_written_in_the_background_and_waits_for_its_requester(
    client, django_capture_on_commit_callbacks, registry
):
    user = UserFactory(role=roles.ADMIN_DINAS)
    client.force_login(user)
    job, progress = _request(
        client, django_capture_on_commit_callbacks, {"export": "xlsx", "kecamatan": registry.pk}
    )
    page = client.get(progress).content.decode()
    assert "3 dari 3 baris ditulis" in page and 'value="100"' in page
    download = reverse("core_export_download", args=[job.pk])
    assert download in page
    response = client.get(download)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # The filtered list's records, the formula kept as text.
    assert _names_in_xlsx(_body(response)) == sorted(["'" + FORMULA, "Dodol Ibu", "Kopi Puncak"])
    entry = RecordLogEntry.objects.get(action="sme_registry.export")
    assert entry.user == user and entry.data["rows"] == 3
    assert entry.data["query"] == f"kecamatan={registry.pk}"


def test_an_operator_s_file_holds_only_their_kecamatan(
    client, django_capture_on_commit_callbacks, registry
):
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=registry))
    job, _progress = _request(client, django_capture_on_commit_callbacks, {"export": "xlsx"})
    content = _body(client.get(reverse("core_export_download", args=[job.pk])))
    assert _names_in_xlsx(content) == sorted(["'" + FORMULA, "Dodol Ibu", "Kopi Puncak"])


def test_nobody_but_the_requester_sees_or_fetches_the_file(
    client, django_capture_on_commit_callbacks, registry
):
    client.force_login(UserFactory(role=roles.VALIDATOR))
    job, progress = _request(client, django_capture_on_commit_callbacks, {"export": "xlsx"})
    for other in (UserFactory(role=roles.ADMIN_DINAS), UserFactory(superuser=True)):
        client.force_login(other)
        assert client.get(progress).status_code == 404
        assert client.get(reverse("core_export_download", args=[job.pk])).status_code == 404
    assert not RecordLogEntry.objects.filter(action="sme_registry.export").exists()


def test_while_waiting_the_page_shows_progress_and_offers_no_file(
    client, django_capture_on_commit_callbacks, registry
):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    job, progress = _request(
        client, django_capture_on_commit_callbacks, {"export": "xlsx"}, run=False
    )
    html = client.get(progress).content.decode()
    assert "menunggu pekerja latar" in html.lower() and "data-export-waiting" in html
    assert client.get(reverse("core_export_download", args=[job.pk])).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(state="running", rows_total=4000, rows_done=1000)
    html = client.get(progress).content.decode()
    assert "1000 dari 4000 baris ditulis" in html and 'value="25"' in html


def test_a_big_csv_goes_to_the_background_a_small_one_streams(
    client, django_capture_on_commit_callbacks, registry, settings
):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    settings.EXPORT_INLINE_ROWS = 4
    assert client.get(LIST, {"export": "csv"}).streaming  # 4 rows: at once
    settings.EXPORT_INLINE_ROWS = 3
    job, _progress = _request(client, django_capture_on_commit_callbacks, {"export": "csv"})
    content = _body(client.get(reverse("core_export_download", args=[job.pk])))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 5 and "'" + FORMULA in {cell for row in rows for cell in row}


def test_an_expired_file_is_gone_and_says_so(client, django_capture_on_commit_callbacks, registry):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    job, progress = _request(client, django_capture_on_commit_callbacks, {"export": "xlsx"})
    job.refresh_from_db()
    stored = background_exports.storage()
    assert stored.exists(job.file_name)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(reverse("core_export_download", args=[job.pk])).status_code == 404
    assert "sudah kedaluwarsa" in client.get(progress).content.decode()
    assert background_exports.purge_expired() == 1
    assert not stored.exists(job.file_name) and not ExportJob.objects.exists()


def test_a_failed_export_says_so_and_offers_nothing(
    client, django_capture_on_commit_callbacks, registry, monkeypatch
):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(background_exports.Exporter, "write", broken)
    job, progress = _request(client, django_capture_on_commit_callbacks, {"export": "xlsx"})
    job.refresh_from_db()
    assert job.state == "failed" and not job.file_name
    assert "Berkas tidak dapat ditulis." in client.get(progress).content.decode()
    assert client.get(reverse("core_export_download", args=[job.pk])).status_code == 404
