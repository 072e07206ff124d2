"""Uploads through the public form: one message per refusal, a budget per request, no orphans."""

import io
import os
import time

import pytest

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError

from sme_registry import services
from sme_registry.models import Business, RegistrationDraft
from sme_registry.uploads import private_storage, random_upload_name
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.flow import answers, spam_fields
from tests.sme_registry.test_uploads import solid_png


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def stored_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def step_url(client, page, slug):
    """Walk the form up to the step ``slug``; return its address."""
    response = client.post(page.url, {**answers()["pemilik"], **spam_fields()})
    url = response["Location"]
    for step in ("usaha", "lokasi", "keuangan", "legalitas", "foto"):
        if step == slug:
            return url
        url = client.post(url, answers()[step])["Location"]
    raise AssertionError(slug)


# --- one message per refused file -----------------------------------------------------


def test_an_empty_document_is_refused_with_one_message(client, page):
    url = step_url(client, page, "legalitas")
    empty = SimpleUploadedFile("pirt.pdf", b"", content_type="application/pdf")
    response = client.post(url, {**answers()["legalitas"], "pirt_file": empty})
    html = response.content.decode()
    assert response.status_code == 200
    field = html[html.index('id="id_pirt_file_error"') - 200 : html.index('name="pirt_file"')]
    assert field.count('class="field__error"') == 1
    assert "Berkas kosong. Mohon pilih dokumennya lagi." in field
    # Once beside the field and once in the summary at the top, nothing else.
    assert html.count("Berkas kosong") == 2


# --- a pixel budget per request -------------------------------------------------------


def test_photos_over_the_request_budget_are_refused_in_indonesian(client, page, settings):
    settings.UPLOAD_PIXEL_BUDGET = 20_000_000
    url = step_url(client, page, "foto")
    big = solid_png(4000, 3000)  # 12 MP each, 40 KB on disk
    assert len(big) < 100_000
    response = client.post(
        url,
        {
            "photo_1": SimpleUploadedFile("a.png", big, content_type="image/png"),
            "photo_2": SimpleUploadedFile("b.png", big, content_type="image/png"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Terlalu banyak foto besar dikirim sekaligus" in html
    assert 'id="id_photo_2_error"' in html and 'id="id_photo_1_error"' not in html
    # The first photo was received; the second is sent again on its own and fits.
    assert list(RegistrationDraft.objects.get().files) == ["photo_1"]
    response = client.post(
        url, {"photo_2": SimpleUploadedFile("b.png", big, content_type="image/png")}
    )
    assert response.status_code == 302
    assert set(RegistrationDraft.objects.get().files) == {"photo_1", "photo_2"}


def test_a_png_too_large_to_open_is_refused_before_decoding(client, page):
    url = step_url(client, page, "foto")
    bomb = solid_png(7999, 5000)  # 40 MP, under the 40 MP limit, 125 KB on disk
    response = client.post(url, {"photo_1": SimpleUploadedFile("x.png", bomb, "image/png")})
    html = response.content.decode()
    assert "Foto ini terlalu besar untuk kami buka" in html
    assert "paling banyak 24 megapiksel" in html
    assert not RegistrationDraft.objects.get().files


# --- no file outlives its record ------------------------------------------------------


def test_a_failed_request_leaves_no_file_behind(client, page, private_root, monkeypatch):
    url = step_url(client, page, "legalitas")
    pdf = b"%PDF-1.4\n%%EOF\n"

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(RegistrationDraft, "save", broken_save)
    with pytest.raises(DatabaseError):
        client.post(
            url,
            {**answers()["legalitas"], "pirt_file": SimpleUploadedFile("pirt.pdf", pdf)},
        )
    assert stored_files(private_root) == []


def test_a_replaced_file_goes_only_with_a_committed_replacement(
    client, page, private_root, monkeypatch
):
    url = step_url(client, page, "legalitas")
    pdf = b"%PDF-1.4\n%%EOF\n"
    client.post(url, {**answers()["legalitas"], "pirt_file": SimpleUploadedFile("a.pdf", pdf)})
    first = RegistrationDraft.objects.get().files["pirt_file"]

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(RegistrationDraft, "save", broken_save)
    with pytest.raises(DatabaseError):
        client.post(url, {**answers()["legalitas"], "pirt_file": SimpleUploadedFile("b.pdf", pdf)})
    # The draft still names the first file, and it is still there; the second is gone.
    assert RegistrationDraft.objects.get().files["pirt_file"] == first
    assert stored_files(private_root) == [first]


def _age(root, name, hours):
    old = time.time() - hours * 3600
    os.utime(root / name, (old, old))


def test_the_sweep_deletes_orphans_and_keeps_every_file_a_record_names(page, private_root):
    storage = private_storage()

    def save(prefix="registry/documents", extension="pdf"):
        return storage.save(random_upload_name(prefix, extension), ContentFile(b"%PDF-1.4"))

    orphan, recent_orphan = save(), save()
    in_draft, in_document, in_pending_version = save(), save(), save()
    photo = save("registry/photos", "jpg")
    elsewhere = storage.save("other/kept.pdf", ContentFile(b"%PDF-1.4"))
    RegistrationDraft.objects.create(page=page, files={"pirt_file": in_draft})
    business = BusinessFactory(
        documents=[{"kind": "pirt", "number": "P-IRT 1", "file": in_document}], validated=True
    )
    services.update_by_owner(
        Business.objects.get(pk=business.pk),
        services.RegistrationInput(
            owner={},
            business={},
            documents=[{"kind": "halal", "number": "ID321", "file": in_pending_version}],
            photos=[photo],
        ),
    )
    for name in (orphan, in_draft, in_document, in_pending_version, photo, elsewhere):
        _age(private_root, name, 72)
    _age(private_root, recent_orphan, 1)

    out = io.StringIO()
    call_command("purge_registration_drafts", stdout=out)
    assert "Deleted 1 unreferenced private files older than 48 hours." in out.getvalue()
    assert stored_files(private_root) == sorted(
        [recent_orphan, in_draft, in_document, in_pending_version, photo, elsewhere]
    )
