"""An owner's update through the private link keeps, adds and renews documents and photos."""

import datetime
import io

import pytest
from PIL import Image

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from sme_registry import links
from sme_registry.models import Business
from sme_registry.uploads import private_storage, random_upload_name
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory, approve_all
from tests.sme_registry.flow import spam_fields

PIRT_ISSUED = datetime.date(2024, 3, 1)
PIRT_EXPIRES = datetime.date(2029, 3, 1)


def pdf(text=b"PIRT"):
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% " + text + b"\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def jpeg(color="red", size=(120, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


@pytest.fixture
def old_scan():
    return private_storage().save(
        random_upload_name("registry/documents", "pdf"), ContentFile(pdf(b"old scan"))
    )


@pytest.fixture
def validated(db, old_scan):
    """A validated business with a NIB and the PIRT its owner sent: number, dates and scan."""
    business = BusinessFactory(
        name="Keripik Bu Sari",
        nib="9120001234567",
        documents=[
            {
                "kind": "pirt",
                "number": "P-IRT 2063201010123-24",
                "issued_on": PIRT_ISSUED,
                "expires_on": PIRT_EXPIRES,
                "file": old_scan,
            }
        ],
        validated=True,
    )
    assert business.live and business.legal_documents.filter(kind="pirt").exists()
    return business


def edit_url(business, page):
    path = links.owner_link(business.owner, page).replace("http://testserver", "")
    return path + f"usaha/{business.pk}/"


def form_data(context, **overrides):
    """What the browser sends back for the page as shown, with ``overrides``."""
    data = {}
    for _slug, _title, form in context["sections"]:
        for name, field in form.fields.items():
            if field.disabled or field.widget.needs_multipart_form:
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, datetime.date):
                data[key] = value.isoformat()
            elif value is not None:
                data[key] = str(value)
    if context.get("uploads_token"):
        data[context["uploads_field"]] = context["uploads_token"]
    data.update(spam_fields())
    data.update(overrides)
    return data


def pirt(business):
    return business.legal_documents.get(kind="pirt")


def test_an_owners_fix_keeps_the_pirt_after_validation(client, page, validated, old_scan):
    url = edit_url(validated, page)
    shown = client.get(url)
    response = client.post(url, form_data(shown.context, **{"usaha-name": "Keripik Bu Sari Asli"}))
    assert "Perubahan terkirim" in response.content.decode()

    live = approve_all(Business.objects.get(pk=validated.pk))
    assert live.name == "Keripik Bu Sari Asli"
    document = pirt(live)
    assert document.number == "P-IRT 2063201010123-24"
    assert (document.issued_on, document.expires_on) == (PIRT_ISSUED, PIRT_EXPIRES)
    assert document.file.name == old_scan
    assert live.legal_documents.get(kind="nib").number == "9120001234567"


def test_an_update_without_the_documents_section_keeps_them(validated, old_scan):
    """Any caller of the service: a NIB-only document list never replaces the others."""
    from sme_registry import services

    registration = services.RegistrationInput(
        owner={},
        business={"name": "Keripik Bu Sari", "nib": "9120001234567"},
        documents=[{"kind": "nib", "number": "9120001234567", "file": ""}],
    )
    services.update_by_owner(Business.objects.get(pk=validated.pk), registration)
    live = approve_all(Business.objects.get(pk=validated.pk))
    assert pirt(live).file.name == old_scan
    assert pirt(live).expires_on == PIRT_EXPIRES


def test_an_owner_renews_the_pirt_with_a_new_scan(client, page, validated, old_scan):
    url = edit_url(validated, page)
    shown = client.get(url)
    html = shown.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Pindaian tersimpan" in html
    new_scan = SimpleUploadedFile("PIRT baru Bu Sari.pdf", pdf(b"renewed"), "application/pdf")
    data = form_data(
        shown.context,
        **{
            "legalitas-pirt_number": "P-IRT 2063201010123-29",
            "legalitas-pirt_issued_on": "2025-02-01",
            "legalitas-pirt_expires_on": "2030-02-01",
            "legalitas-pirt_file": new_scan,
        },
    )
    assert "Perubahan terkirim" in client.post(url, data).content.decode()

    # Until the review, the validated version with the old scan stays live.
    before = Business.objects.get(pk=validated.pk)
    assert pirt(before).file.name == old_scan
    live = approve_all(before)
    document = pirt(live)
    assert document.number == "P-IRT 2063201010123-29"
    assert document.expires_on == datetime.date(2030, 2, 1)
    assert document.file.name != old_scan and "Sari" not in document.file.name
    with private_storage().open(document.file.name) as stored:
        assert stored.read() == pdf(b"renewed")
    assert live.legal_documents.filter(kind="pirt").count() == 1


def test_an_owner_adds_a_halal_certificate_and_a_photo(client, page, validated, old_scan):
    url = edit_url(validated, page)
    shown = client.get(url)
    data = form_data(
        shown.context,
        **{
            "legalitas-halal_number": "ID32110000123450124",
            "legalitas-halal_file": SimpleUploadedFile("halal.jpg", jpeg(), "image/jpeg"),
            "foto-photo_1": SimpleUploadedFile("produk.jpg", jpeg("blue"), "image/jpeg"),
        },
    )
    assert "Perubahan terkirim" in client.post(url, data).content.decode()
    live = approve_all(Business.objects.get(pk=validated.pk))
    assert set(live.legal_documents.values_list("kind", flat=True)) == {"nib", "pirt", "halal"}
    assert pirt(live).file.name == old_scan
    photo = live.photos.get()
    with Image.open(private_storage().path(photo.image.name)) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_photos_not_replaced_stay(client, page, validated):
    url = edit_url(validated, page)
    first = client.get(url)
    data = form_data(
        first.context,
        **{
            "foto-photo_1": SimpleUploadedFile("a.jpg", jpeg("red"), "image/jpeg"),
            "foto-photo_2": SimpleUploadedFile("b.jpg", jpeg("green"), "image/jpeg"),
        },
    )
    client.post(url, data)
    live = approve_all(Business.objects.get(pk=validated.pk))
    kept = live.photos.order_by("sort_order").values_list("image", flat=True)[1]

    again = client.get(url)
    assert again.content.decode().count("Foto tersimpan di sini") == 2
    data = form_data(
        again.context, **{"foto-photo_1": SimpleUploadedFile("c.jpg", jpeg("blue"), "image/jpeg")}
    )
    client.post(url, data)
    live = approve_all(Business.objects.get(pk=validated.pk))
    names = list(live.photos.order_by("sort_order").values_list("image", flat=True))
    assert len(names) == 2 and names[1] == kept


def test_a_bad_upload_is_refused_beside_its_field_and_the_rest_is_kept(
    client, page, validated, old_scan
):
    url = edit_url(validated, page)
    shown = client.get(url)
    data = form_data(
        shown.context,
        **{
            "usaha-name": "Keripik Bu Sari Pedas",
            "legalitas-pirt_file": SimpleUploadedFile(
                "pirt.pdf", pdf(b"renewed"), "application/pdf"
            ),
            "legalitas-halal_number": "ID32110000123450124",
            "legalitas-halal_file": SimpleUploadedFile(
                "halal.pdf", b"MZ\x90\x00 not a document", "application/pdf"
            ),
        },
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Perubahan terkirim" not in html
    assert 'id="id_legalitas-halal_file_error"' in html
    assert "Jenis berkas ini tidak diterima" in html
    assert 'value="Keripik Bu Sari Pedas"' in html
    assert 'value="ID32110000123450124"' in html
    # Nothing was sent for review yet.
    assert Business.objects.get(pk=validated.pk).get_latest_revision_as_object().name == (
        "Keripik Bu Sari"
    )

    # The accepted PIRT scan is carried: the owner fixes only the halal file.
    data = form_data(
        response.context,
        **{"legalitas-halal_file": SimpleUploadedFile("halal.jpg", jpeg(), "image/jpeg")},
    )
    assert "Perubahan terkirim" in client.post(url, data).content.decode()
    live = approve_all(Business.objects.get(pk=validated.pk))
    assert live.name == "Keripik Bu Sari Pedas"
    with private_storage().open(pirt(live).file.name) as stored:
        assert stored.read() == pdf(b"renewed")
    assert live.legal_documents.get(kind="halal").file.name.endswith(".jpg")


def test_a_forged_carried_upload_is_ignored(client, page, validated, old_scan):
    url = edit_url(validated, page)
    shown = client.get(url)
    other = BusinessFactory(name="Usaha Lain")
    data = form_data(shown.context, stored_uploads=f"{other.pk}:registry/documents/x.pdf")
    assert "Perubahan terkirim" in client.post(url, data).content.decode()
    live = approve_all(Business.objects.get(pk=validated.pk))
    assert pirt(live).file.name == old_scan
