"""Bulk import: upload, mapping, dry run, apply, upsert, duplicates, provenance, scope, bad files."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from core import audit, roles
from core.models import RecordLogEntry
from sme_registry.imports import batches, fields, files
from sme_registry.models import (
    Business,
    Desa,
    ImportBatch,
    ImportMapping,
    Kecamatan,
    Owner,
    Source,
    Status,
)
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, nik_for
from tests.test_background_tasks import database_tasks  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

HERE = "32.01.01"  # Cibinong
THERE = "32.01.02"
INDEX = "/admin/registry/import/"
# The office template's headers, as an Indonesian user downloads them (written out here).
HEADERS = [
    "NIK pemilik",
    "Nama lengkap pemilik",
    "Jenis kelamin",
    "Tanggal lahir",
    "Nomor telepon / WhatsApp",
    "Alamat rumah",
    "Nama usaha",
    "NIB",
    "Bentuk usaha",
    "Bidang usaha",
    "Produk atau jasa utama",
    "Tahun mulai usaha",
    "Alamat usaha",
    "Kecamatan",
    "Desa/kelurahan",
    "Modal usaha (Rp)",
    "Omzet setahun terakhir (Rp)",
    "Tenaga kerja laki-laki",
    "Tenaga kerja perempuan",
]


def _desa(code=HERE):
    return Desa.objects.filter(kecamatan__code=code).order_by("code").first()


def row(serial, *, name=None, nib="", kecamatan=None, desa=None, sales="Rp 120.000.000", **over):
    kecamatan = kecamatan or Kecamatan.objects.get(code=HERE)
    desa = desa or _desa(kecamatan.code)
    values = {
        "NIK pemilik": nik_for(serial=serial),
        "Nama lengkap pemilik": f"Ibu Impor {serial}",
        "Jenis kelamin": "Perempuan",
        "Tanggal lahir": "05/06/1990",
        "Nomor telepon / WhatsApp": "0812 3456 7890",
        "Alamat rumah": "Jl. Raya Bogor 1",
        "Nama usaha": name or f"Kue Basah Nomor {serial}",
        "NIB": nib,
        "Bentuk usaha": "Perorangan",
        "Bidang usaha": "C - Industri Pengolahan",
        "Produk atau jasa utama": "Kue basah",
        "Tahun mulai usaha": 2019,
        "Alamat usaha": "Jl. Mayor Oking 7",
        "Kecamatan": kecamatan.name,
        "Desa/kelurahan": desa.name,
        "Modal usaha (Rp)": 5_000_000,
        "Omzet setahun terakhir (Rp)": sales,
        "Tenaga kerja laki-laki": 1,
        "Tenaga kerja perempuan": 1,
    }
    values.update(over)
    return [values[h] for h in HEADERS]


def xlsx(rows, headers=HEADERS, name="data-cibinong.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, headers=HEADERS, name="sidt.csv", delimiter=";"):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"))


@pytest.fixture
def operator(db):
    return UserFactory(username="operator_cibinong", role=roles.OPERATOR, kecamatan=HERE)


@pytest.fixture
def office(db):
    return UserFactory(username="admin_dinas", role=roles.ADMIN_DINAS)


def upload(client, user, uploaded):
    client.force_login(user)
    return client.post(INDEX, {"file": uploaded})


def run_dry(client, django_capture_on_commit_callbacks, batch, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sme_registry_import_mapping", args=[batch.pk]),
            {**{f"col:{k}": v for k, v in batch.columns.items()}, "saved": "auto", **extra},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    batch.refresh_from_db()
    return batch


def run_apply(client, django_capture_on_commit_callbacks, batch):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sme_registry_import_apply", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def outcomes(batch):
    return {r.number: r.outcome for r in batch.rows.order_by("number")}


def imported(client, user, rows, capture, **extra):
    response = upload(client, user, xlsx(rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = ImportBatch.objects.latest("pk")
    return run_dry(client, capture, batch, **extra)


# --- The whole journey ----------------------------------------------------------------------


def test_dry_run_writes_nothing_then_apply_creates_records_in_the_workflow(
    client, operator, django_capture_on_commit_callbacks
):
    bad = row(3, **{"Tanggal lahir": "31/02/1990", "Jenis kelamin": "banci?"})
    before = (Business.objects.count(), Owner.objects.count(), RecordLogEntry.objects.count())
    batch = imported(client, operator, [row(1), row(2), bad], django_capture_on_commit_callbacks)

    assert batch.state == ImportBatch.State.CHECKED
    assert outcomes(batch) == {2: "create", 3: "create", 4: "refused"}, [
        r.errors for r in batch.rows.all()
    ]
    refused = batch.rows.get(number=4)
    assert "Tanggal lahir" not in refused.errors  # keyed by field, not by header
    assert refused.errors["pemilik-birth_date"] == ["Bukan tanggal: tulis seperti 31/12/1980."]
    assert "bukan salah satu pilihan" in refused.errors["pemilik-sex"][0]
    # The dry run wrote nothing to the registry.
    assert (
        Business.objects.count(),
        Owner.objects.count(),
        RecordLogEntry.objects.count(),
    ) == before
    page = client.get(reverse("sme_registry_import_detail", args=[batch.pk])).content.decode()
    assert "Data baru: 2" in page and "Ditolak: 1" in page

    batch = run_apply(client, django_capture_on_commit_callbacks, batch)
    assert batch.state == ImportBatch.State.DONE
    created = Business.objects.filter(source=Source.IMPORT).order_by("name")
    assert [b.name for b in created] == ["Kue Basah Nomor 1", "Kue Basah Nomor 2"]
    first = created[0]
    assert first.status == Status.SUBMITTED and not first.live
    assert first.entered_by == operator
    assert first.annual_sales == Decimal(120_000_000)
    assert first.owner.full_name == "Ibu Impor 1" and first.owner.sex == "P"
    assert first.owner.birth_date == datetime.date(1990, 6, 5)
    assert first.current_workflow_state is not None  # waiting at the kecamatan check
    entry = RecordLogEntry.objects.get(action="sme_registry.import", object_id=str(first.pk))
    assert entry.user == operator
    assert entry.data == {
        "batch": batch.pk,
        "file": "data-cibinong.xlsx",
        "row": 2,
        "change": "create",
    }
    history = client.get(
        reverse("wagtailsnippets_sme_registry_business:history", args=[first.pk])
    ).content.decode()
    assert f"Dibuat oleh impor #{batch.pk}: data-cibinong.xlsx, baris 2" in history

    # The refused row comes back with its message on the bad cell.
    response = client.get(reverse("sme_registry_import_refused", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]][: len(HEADERS)] == HEADERS
    assert len(rows) == 2
    birth = rows[1][HEADERS.index("Tanggal lahir")]
    assert birth.value == "31/02/1990"
    assert "Bukan tanggal" in birth.comment.text
    assert rows[1][len(HEADERS)].value == 4  # the row number in the file
    assert RecordLogEntry.objects.filter(action=audit.EXPORT, user=operator).exists()


def test_a_csv_from_sidt_with_semicolons_and_windows_encoding(
    client, office, django_capture_on_commit_callbacks
):
    rows = [row(1, **{"Nama usaha": "Kopi Gunung Salak"}), row(2)]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    data = text.getvalue().replace("Alamat rumah", "Alamat rumah").encode("cp1252")
    response = upload(client, office, SimpleUploadedFile("sidt.csv", data))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.file_format == "csv" and batch.csv_dialect["delimiter"] == ";"
    batch = run_dry(client, django_capture_on_commit_callbacks, batch)
    assert outcomes(batch) == {2: "create", 3: "create"}


# --- Mapping ------------------------------------------------------------------------------


def test_other_headers_are_mapped_by_hand_and_the_mapping_is_saved(
    client, operator, django_capture_on_commit_callbacks
):
    headers = ["No KTP", "Nama", "L/P", "Tgl Lahir", "HP", "Alamat KTP", "Usaha", "NIB",
               "Badan", "KBLI kategori", "Produk", "Mulai", "Lokasi", "Kec", "Desa", "Modal",
               "Omzet", "TK L", "TK P"]  # fmt: skip
    response = upload(client, operator, xlsx([row(1)], headers=headers))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    # Recognised by their usual names: the NIK, the sex, the sales...
    assert batch.columns["pemilik-nik"] == "No KTP"
    assert batch.columns["keuangan-annual_sales"] == "Omzet"
    # "Lokasi", "Badan" and "Mulai" are not: the operator maps them.
    assert not {"lokasi-address", "usaha-legal_form", "usaha-year_started"} & set(batch.columns)
    columns = dict(
        batch.columns,
        **{"lokasi-address": "Lokasi", "usaha-legal_form": "Badan", "usaha-year_started": "Mulai"},
    )
    batch.columns = columns
    batch = run_dry(client, django_capture_on_commit_callbacks, batch, save_as="Format desa")
    assert outcomes(batch) == {2: "create"}, batch.rows.get().errors
    saved = ImportMapping.objects.get(name="Format desa")
    assert saved.columns["lokasi-address"] == "Lokasi" and saved.created_by == operator


def test_a_mapping_without_nik_or_nib_and_a_column_used_twice_are_refused(client, operator):
    upload(client, operator, xlsx([row(1)]))
    batch = ImportBatch.objects.get()
    url = reverse("sme_registry_import_mapping", args=[batch.pk])
    response = client.post(
        url, {"col:usaha-name": "Nama usaha", "col:pemilik-full_name": "Nama usaha"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Petakan kolom NIK atau NIB" in page
    assert "sudah dipakai untuk" in page
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UPLOADED and not batch.rows.exists()


# --- Upsert and duplicates ----------------------------------------------------------------


def test_a_row_with_a_known_nib_updates_only_what_changes(
    client, office, django_capture_on_commit_callbacks
):
    owner_nik = nik_for(serial=1)
    known = BusinessFactory(
        validated=True, name="Kue Basah Nomor 1", nib="1234567890123", annual_sales=120_000_000,
        owner__nik=owner_nik, capital=5_000_000, workers_male=1, workers_female=1,
        main_product="Kue basah", address="Jl. Mayor Oking 7", year_started=2019,
        desa=_desa(),
    )  # fmt: skip
    revisions = known.revisions.count()
    batch = imported(
        client,
        office,
        [
            row(
                1,
                nib="1234567890123",
                sales="150000000",
                **{"Nama lengkap pemilik": "", "Alamat rumah": ""},
            )
        ],
        django_capture_on_commit_callbacks,
    )
    verdict = batch.rows.get()
    assert verdict.outcome == "update"
    assert verdict.changes == {"keuangan-annual_sales": ["120000000", "150000000"]}

    run_apply(client, django_capture_on_commit_callbacks, batch)
    known.refresh_from_db()
    # The validated version stays live; the change waits for review as a new version.
    assert known.annual_sales == 120_000_000 and known.status == Status.VALIDATED
    assert known.revisions.count() == revisions + 1
    assert known.get_latest_revision_as_object().annual_sales == 150_000_000
    assert known.current_workflow_state is not None
    assert Business.objects.count() == 1
    entry = RecordLogEntry.objects.get(action="sme_registry.import", object_id=str(known.pk))
    assert entry.data["change"] == "update"


def test_a_known_nik_adds_a_business_to_its_owner_or_updates_the_same_one(
    client, office, django_capture_on_commit_callbacks
):
    nik = nik_for(serial=7)
    existing = BusinessFactory(name="Warung Nasi Bu Siti", owner__nik=nik, desa=_desa())
    batch = imported(
        client,
        office,
        [
            row(7, name="Warung Nasi Bu Siti", sales="99000000"),
            row(7, name="Jahit Pakaian Siti"),
        ],
        django_capture_on_commit_callbacks,
    )
    assert outcomes(batch) == {2: "update", 3: "create"}
    run_apply(client, django_capture_on_commit_callbacks, batch)
    assert Owner.objects.filter(nik=nik).count() == 1
    names = set(Business.objects.filter(owner__nik=nik).values_list("name", flat=True))
    assert names == {"Warung Nasi Bu Siti", "Jahit Pakaian Siti"}
    existing.refresh_from_db()
    assert existing.get_latest_revision_as_object().annual_sales == 99_000_000


def test_a_likely_duplicate_goes_to_the_merge_queue(
    client, office, django_capture_on_commit_callbacks
):
    other = BusinessFactory(name="Keripik Singkong Makmur", desa=_desa())
    batch = imported(
        client, office, [row(5, name="Keripik Singkong Makmur")], django_capture_on_commit_callbacks
    )
    assert outcomes(batch) == {2: "duplicate"}
    run_apply(client, django_capture_on_commit_callbacks, batch)
    new = Business.objects.get(source=Source.IMPORT)
    assert list(new.possible_duplicates.all()) == [other]
    # The merge queue: the registry list filtered to likely duplicates shows the new record.
    listing = client.get(
        reverse("wagtailsnippets_sme_registry_business:list") + "?likely_duplicate=true"
    )
    assert listing.status_code == 200
    html = listing.content.decode()
    record = "wagtailsnippets_sme_registry_business:inspect"
    assert reverse(record, args=[new.pk]) in html
    assert reverse(record, args=[other.pk]) not in html


def test_the_same_nib_twice_in_a_file_is_refused_on_the_second_row(
    client, office, django_capture_on_commit_callbacks
):
    batch = imported(
        client,
        office,
        [row(1, nib="1234567890123"), row(2, nib="1234567890123")],
        django_capture_on_commit_callbacks,
    )
    assert outcomes(batch) == {2: "create", 3: "refused"}
    assert batch.rows.get(number=3).errors["usaha-nib"] == ["NIB yang sama ada di baris 2."]


# --- Scope and roles ----------------------------------------------------------------------


def test_an_operator_imports_only_into_their_kecamatan(
    client, operator, django_capture_on_commit_callbacks
):
    there = Kecamatan.objects.get(code=THERE)
    batch = imported(
        client, operator, [row(1), row(2, kecamatan=there)], django_capture_on_commit_callbacks
    )
    assert outcomes(batch) == {2: "create", 3: "refused"}
    assert batch.rows.get(number=3).errors["lokasi-kecamatan"] == [
        f"Kecamatan {there.name} di luar wilayah Anda: Anda hanya dapat mengimpor data "
        "kecamatan Anda sendiri."
    ]
    run_apply(client, django_capture_on_commit_callbacks, batch)
    assert list(Business.objects.values_list("kecamatan__code", flat=True)) == [HERE]


def test_an_operator_cannot_update_a_record_of_another_kecamatan_by_its_nib(
    client, operator, django_capture_on_commit_callbacks
):
    there = Kecamatan.objects.get(code=THERE)
    BusinessFactory(nib="9999999999999", kecamatan=there, desa=_desa(THERE))
    batch = imported(
        client, operator, [row(1, nib="9999999999999")], django_capture_on_commit_callbacks
    )
    assert outcomes(batch) == {2: "refused"}
    assert batch.rows.get().errors[""] == ["Usaha ini terdaftar di luar wilayah Anda."]


def test_admin_dinas_imports_as_validated_and_it_is_audited(
    client, office, django_capture_on_commit_callbacks
):
    batch = imported(
        client, office, [row(1)], django_capture_on_commit_callbacks, as_validated="on"
    )
    assert batch.as_validated
    run_apply(client, django_capture_on_commit_callbacks, batch)
    business = Business.objects.get()
    assert business.status == Status.VALIDATED and business.live
    assert business.snapshots.count() == 1
    entry = RecordLogEntry.objects.get(action="sme_registry.import_validated")
    assert entry.user == office and entry.data["validated"] is True


def test_an_operator_asking_to_import_as_validated_gets_a_normal_import(
    client, operator, django_capture_on_commit_callbacks
):
    batch = imported(
        client, operator, [row(1)], django_capture_on_commit_callbacks, as_validated="on"
    )
    assert not batch.as_validated
    run_apply(client, django_capture_on_commit_callbacks, batch)
    assert Business.objects.get().status == Status.SUBMITTED


FORBIDDEN = (302, "/admin/")  # the admin's way of saying 403: back to the dashboard
# Who may do what to someone else's batch: a hand-written table, (a GET, POSTs).
OTHERS_BATCH = {
    "operator_elsewhere": (404, 404),
    "office": (200, FORBIDDEN),  # Admin Dinas sees every import, runs only their own
    "editor": (404, 404),
}


def _answer(response):
    if response.status_code == 302:
        return (302, response.url)
    return response.status_code


@pytest.mark.parametrize("who", sorted(OTHERS_BATCH))
def test_another_users_batch_is_not_theirs_to_run(
    client, operator, who, django_capture_on_commit_callbacks
):
    batch = imported(client, operator, [row(1)], django_capture_on_commit_callbacks)
    users = {
        "operator_elsewhere": UserFactory(role=roles.OPERATOR, kecamatan=THERE),
        "office": UserFactory(role=roles.ADMIN_DINAS),
        "editor": UserFactory(role=roles.EDITOR),
    }
    client.force_login(users[who])
    read, write = OTHERS_BATCH[who]
    assert _answer(client.get(reverse("sme_registry_import_detail", args=[batch.pk]))) == read
    for name in ("sme_registry_import_apply", "sme_registry_import_cancel", "sme_registry_import_resume",
                 "sme_registry_import_mapping"):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(name, args=[batch.pk]), {"col:pemilik-nik": "NIB"})
        assert _answer(response) == write, name
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED and not Business.objects.exists()
    assert batch.columns["pemilik-nik"] == "NIK pemilik"


def test_roles_without_import_see_no_import_screen(client):
    for role in (roles.EDITOR, roles.ANALYST, roles.MENTOR):
        client.force_login(UserFactory(role=role))
        for response in (client.get(INDEX), client.post(INDEX, {"file": xlsx([row(1)])})):
            # The admin's answer to a forbidden screen: back to the dashboard, with a message.
            assert (response.status_code, response.url) == (302, "/admin/"), role
        menu = client.get("/admin/").content.decode()
        assert INDEX not in menu, role
    assert not ImportBatch.objects.exists()


# --- Bad files ----------------------------------------------------------------------------


def _upload_error(client, user, uploaded):
    response = upload(client, user, uploaded)
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()
    return response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused(client, operator):
    png = SimpleUploadedFile("data.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "Jenis berkas tidak didukung" in _upload_error(client, operator, png)
    xls = SimpleUploadedFile("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "berkas Excel lama (.xls)" in _upload_error(client, operator, xls)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, operator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    page = _upload_error(client, operator, SimpleUploadedFile("bom.xlsx", buffer.getvalue()))
    assert "kemungkinan bom zip" in page


def test_a_file_too_large_or_with_too_many_rows_is_refused(
    client, operator, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_BYTES = 2_000
    big = xlsx([row(n) for n in range(1, 40)])
    assert "lebih besar dari" in _upload_error(client, operator, big)
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 2
    batch = imported(client, operator, [row(1), row(2), row(3)], django_capture_on_commit_callbacks)
    assert batch.state == ImportBatch.State.FAILED
    assert "lebih dari 2 baris" in batch.error
    assert not batch.rows.exists() and not batch.file


def test_formula_cells_are_never_calculated_and_are_refused(
    client, operator, django_capture_on_commit_callbacks
):
    batch = imported(
        client,
        operator,
        [row(1, name='=HYPERLINK("http://contoh.test","klik")'), row(2)],
        django_capture_on_commit_callbacks,
    )
    assert outcomes(batch) == {2: "refused", 3: "create"}
    message = batch.rows.get(number=2).errors["usaha-name"][0]
    assert message.startswith("Sel ini berisi rumus (=HYPERLINK(")


def test_a_nik_stored_as_a_number_is_refused_with_advice(
    client, operator, django_capture_on_commit_callbacks
):
    batch = imported(
        client,
        operator,
        [row(1, **{"NIK pemilik": int(nik_for(serial=1))})],
        django_capture_on_commit_callbacks,
    )
    assert "format kolom sebagai Teks" in batch.rows.get().errors["pemilik-nik"][0]


# --- Cancel, resume, command, template ---------------------------------------------------


def _batch_for(user, rows):
    uploaded = xlsx(rows)
    sheet = files.inspect(uploaded)
    batch = ImportBatch(
        file_name="besar.xlsx",
        file_format=sheet.file_format,
        header=sheet.header,
        header_row=sheet.header_row,
        columns=fields.auto_columns(sheet.header),
        created_by=user,
    )
    uploaded.seek(0)
    batch.file.save("registry/imports/besar.xlsx", uploaded, save=False)
    batch.save()
    return batch


def test_a_cancelled_import_resumes_where_it_stopped_and_writes_each_row_once(
    operator, monkeypatch
):
    monkeypatch.setattr(batches, "APPLY_CHUNK", 2)
    batch = _batch_for(operator, [row(n) for n in range(1, 8)])
    batches.check(batch)
    batch.refresh_from_db()
    assert batch.rows_to_apply == 7

    def stop_after_first_chunk(phase, done, total):
        ImportBatch.objects.filter(pk=batch.pk).update(cancel_requested=True)

    batches.apply(batch, progress=stop_after_first_chunk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CANCELLED
    assert Business.objects.count() == 2 and batch.rows_applied == 2

    batches.apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE and batch.rows_applied == 7
    assert Business.objects.count() == 7
    assert Owner.objects.count() == 7
    assert RecordLogEntry.objects.filter(action="sme_registry.import").count() == 7


def test_the_command_runs_a_dry_run_and_an_import(tmp_path, office, settings):
    # The terminal takes files above the upload limit (the row limits still hold).
    settings.IMPORT_MAX_BYTES = 1_000
    path = tmp_path / "kecamatan.xlsx"
    path.write_bytes(xlsx([row(1), row(2)]).read())
    out = io.StringIO()
    call_command(
        "import_registry",
        str(path),
        "--user",
        office.username,
        "--dry-run",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Dry run: 2 rows" in out.getvalue()
    assert not Business.objects.exists()
    call_command(
        "import_registry", str(path), "--user", office.username, stdout=out, stderr=io.StringIO()
    )
    assert Business.objects.filter(source=Source.IMPORT).count() == 2
    with pytest.raises(CommandError, match="No saved mapping"):
        call_command(
            "import_registry", str(path), "--user", office.username, "--mapping", "tidak ada"
        )


def test_the_template_has_the_headers_and_drop_down_lists(client, operator):
    client.force_login(operator)
    response = client.get(reverse("sme_registry_import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    for title in ("NIK pemilik", "Nama usaha", "Kecamatan", "Desa/kelurahan", "Bidang usaha"):
        assert title in header
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    kecamatan_column = get_column_letter(header.index("Kecamatan") + 1)
    assert lists[kecamatan_column].startswith("=Daftar!")
    names = [c.value for c in workbook["Daftar"]["A"][1:] if c.value]
    assert len(names) == 40 and "Cibinong" in names
    # The template itself imports cleanly: its headers are the built-in mapping.
    assert set(fields.auto_columns(header)) == {f.key for f in fields.FIELDS}


def test_workbooks_are_parsed_with_the_xml_bomb_guard():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


@pytest.mark.usefixtures("database_tasks")
def test_the_worker_runs_the_dry_run_and_the_import(operator, django_capture_on_commit_callbacks):
    """Stored as tasks by the request, run by `manage.py db_worker` as in production."""
    from sme_registry.imports import tasks

    batch = _batch_for(operator, [row(1), row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_check(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.READING and not batch.rows.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED and batch.rows_to_apply == 2

    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_apply(batch)
    assert not Business.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE
    assert Business.objects.filter(source=Source.IMPORT).count() == 2


def test_saved_mappings_are_listed_renamed_and_removed_by_the_office(client, office, operator):
    mapping = ImportMapping.objects.create(name="Format lama", columns={"pemilik-nik": "No KTP"})
    client.force_login(operator)
    listing = client.get(reverse("wagtailsnippets_sme_registry_importmapping:list"))
    assert "Format lama" in listing.content.decode() and "No KTP" in listing.content.decode()
    url = reverse("wagtailsnippets_sme_registry_importmapping:edit", args=[mapping.pk])
    assert _answer(client.post(url, {"name": "Diganti operator"})) == FORBIDDEN
    mapping.refresh_from_db()
    assert mapping.name == "Format lama"
    client.force_login(office)
    saved = client.post(url, {"name": "Format SIDT"})
    assert _answer(saved) == (302, reverse("wagtailsnippets_sme_registry_importmapping:list"))
    mapping.refresh_from_db()
    assert mapping.name == "Format SIDT" and mapping.columns == {"pemilik-nik": "No KTP"}
    add = client.get(reverse("wagtailsnippets_sme_registry_importmapping:add"))
    assert (add.status_code, add.url) == FORBIDDEN


def test_a_change_of_personal_data_is_reported_masked(
    client, operator, django_capture_on_commit_callbacks
):
    nik = nik_for(serial=3)
    BusinessFactory(
        name="Kue Basah Nomor 3", owner__nik=nik, owner__phone="+6281111111999", desa=_desa()
    )
    batch = imported(
        client,
        operator,
        [row(3, **{"Nomor telepon / WhatsApp": "0822 2222 2333", "Alamat rumah": "Jl. Baru 9"})],
        django_capture_on_commit_callbacks,
    )
    changes = batch.rows.get().changes
    assert changes["pemilik-phone"] == ["+628*******999", "+628*******333"]
    assert changes["pemilik-address"] == ["(disembunyikan)", "(disembunyikan)"]
    page = client.get(reverse("sme_registry_import_detail", args=[batch.pk])).content.decode()
    assert "81111111999" not in page and "Jl. Raya Bogor No. 1" not in page


def test_the_rows_of_old_imports_are_deleted_and_their_report_kept(
    client, operator, django_capture_on_commit_callbacks, settings
):
    settings.PRIVATE_ORPHAN_GRACE_HOURS = 0
    done = imported(
        client,
        operator,
        [row(1), row(2, **{"Tanggal lahir": "x"})],
        django_capture_on_commit_callbacks,
    )
    run_apply(client, django_capture_on_commit_callbacks, done)
    waiting = imported(client, operator, [row(3)], django_capture_on_commit_callbacks)
    upload(client, operator, xlsx([row(4)]))
    unread = ImportBatch.objects.latest("pk")
    assert unread.file
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ImportBatch.objects.filter(pk__in=[done.pk, waiting.pk]).update(updated_at=long_ago)

    call_command("purge_registration_drafts", stdout=io.StringIO())

    done.refresh_from_db()
    waiting.refresh_from_db()
    unread.refresh_from_db()
    assert done.state == ImportBatch.State.DONE and done.purged_at
    assert list(done.rows.values_list("cells", flat=True)) == [[], []]
    assert done.rows.get(number=3).errors  # the report stays
    assert waiting.state == ImportBatch.State.FAILED
    assert "unggah berkas itu lagi untuk mengimpornya" in waiting.error
    # A file waiting for its column mapping is not an orphan.
    assert unread.file and unread.purged_at is None
    assert unread.file.storage.exists(unread.file.name)
    page = client.get(reverse("sme_registry_import_detail", args=[done.pk])).content.decode()
    assert "Unduh baris yang ditolak" not in page


def test_a_file_read_half_way_is_read_again_from_the_start(operator, monkeypatch):
    batch = _batch_for(operator, [row(n) for n in range(1, 6)])
    monkeypatch.setattr(batches, "READ_CHUNK", 2)
    real_flush = batches._flush
    calls = []

    def crash_on_second_chunk(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the worker was stopped")
        real_flush(*args)

    monkeypatch.setattr(batches, "_flush", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        batches.read(batch)
    assert batch.rows.count() == 2 and batch.file  # half read, the file still there

    monkeypatch.setattr(batches, "_flush", real_flush)
    batches.check(batch)
    batch.refresh_from_db()
    assert sorted(batch.rows.values_list("number", flat=True)) == [2, 3, 4, 5, 6]
    assert batch.rows_total == 5 and batch.state == ImportBatch.State.CHECKED
