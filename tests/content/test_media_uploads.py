"""Wagtail's own uploads (editors' images and documents, avatars) go through the site's checks."""

import io
import json
import zipfile

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

Document = get_document_model()
WagtailImage = get_image_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def editor(client, db):
    user = UserFactory(username="redaksi", superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def collection(db):
    return Collection.get_first_root_node()


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x0110] = "Model X-42"
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 35.0, 12.5), 3: "E", 4: (106.0, 48.0, 0.0)})
    return exif


def jpeg(size=(640, 480), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def truncated_jpeg():
    data = jpeg()
    return data[: len(data) // 3]


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def pdf_with(extra: bytes) -> bytes:
    return MINIMAL_PDF.replace(b"trailer", b"3 0 obj\n" + extra + b"\nendobj\ntrailer")


def office_file(extra_members=(), content_types=b"<Types/>"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document/>")
        for name in extra_members:
            archive.writestr(name, b"\0" * 16)
    return buffer.getvalue()


def ajax(client, url, data):
    response = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})
    return response.status_code, json.loads(response.content)


# --- images -----------------------------------------------------------------------


def test_a_truncated_jpeg_is_refused_with_a_message_not_a_server_error(client, editor, collection):
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Pelatihan",
            "file": SimpleUploadedFile("foto.jpg", truncated_jpeg(), "image/jpeg"),
            "collection": collection.pk,
        },
    )
    assert response.status_code == 200
    assert "Berkas ini bukan foto yang dapat kami buka" in response.content.decode()
    assert not WagtailImage.objects.exists()


def test_the_multiple_uploader_refuses_a_truncated_jpeg_with_its_message(
    client, editor, collection
):
    status, answer = ajax(
        client,
        "/admin/images/multiple/add/",
        {
            "files[]": SimpleUploadedFile("foto.jpg", truncated_jpeg(), "image/jpeg"),
            "collection": collection.pk,
        },
    )
    assert status == 200
    assert answer["success"] is False
    assert "Berkas ini bukan foto yang dapat kami buka" in answer["error_message"]
    assert not WagtailImage.objects.exists()


def _assert_clean(path):
    data = path.read_bytes()
    for secret in (b"SecretCam", b"Model X-42", b"Exif\x00\x00"):
        assert secret not in data
    with Image.open(path) as image:
        assert not image.getexif()
        return image.format, image.size


def test_the_stored_original_keeps_no_exif_or_gps(client, editor, collection, media_root):
    original = jpeg(exif=exif_with_gps())
    assert b"SecretCam" in original
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Kunjungan",
            "file": SimpleUploadedFile("IMG_0001.jpg", original, "image/jpeg"),
            "collection": collection.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = WagtailImage.objects.get()
    assert image.file.name.startswith("original_images/")
    assert _assert_clean(media_root / image.file.name) == ("JPEG", (640, 480))
    assert (image.width, image.height) == (640, 480)
    assert image.file_size == (media_root / image.file.name).stat().st_size


def test_a_large_editor_image_is_stored_at_most_3000_px(client, editor, collection, media_root):
    status, answer = ajax(
        client,
        "/admin/images/multiple/add/",
        {
            "files[]": SimpleUploadedFile("spanduk.jpg", jpeg((6000, 1500)), "image/jpeg"),
            "collection": collection.pk,
        },
    )
    assert answer["success"] is True
    image = WagtailImage.objects.get()
    assert (image.width, image.height) == (3000, 750)


def test_a_pending_upload_of_the_multiple_uploader_is_cleaned_too(
    client, editor, collection, media_root
):
    # A title longer than the field allows keeps the file pending until it is fixed.
    status, answer = ajax(
        client,
        "/admin/images/multiple/add/",
        {
            "files[]": SimpleUploadedFile("foto.jpg", jpeg(exif=exif_with_gps()), "image/jpeg"),
            "title": "x" * 300,
            "collection": collection.pk,
        },
    )
    assert answer["success"] is True and "uploaded_file_id" in answer
    pending = UploadedFile.objects.get()
    assert _assert_clean(media_root / pending.file.name)[0] == "JPEG"


# --- documents --------------------------------------------------------------------


def add_document(client, collection, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, "application/octet-stream"),
            "collection": collection.pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "brosur.pdf",
            pdf_with(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
            "PDF ini berisi skrip",
        ),
        ("brosur.pdf", pdf_with(b"<< /S /Launch /F (cmd.exe) >>"), "PDF ini berisi skrip"),
        ("jadwal.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 100, "Program dan skrip"),
        ("jadwal.pdf", b"<html><script>alert(1)</script></html>", "bukan berkas .pdf"),
        ("laporan.docx", office_file(["word/vbaProject.bin"]), "berisi makro"),
        (
            "laporan.docx",
            office_file(content_types=b"application/vnd.ms-word.document.macroEnabled.main+xml"),
            "berisi makro",
        ),
        ("laporan.docx", MINIMAL_PDF, "bukan berkas .docx"),
        ("data.csv", b"MZ\x90\x00\x03\x00", "Program dan skrip"),
    ],
    ids=["javascript", "launch", "elf", "html", "vba", "docm", "pdf-as-docx", "exe-as-csv"],
)
def test_documents_are_judged_by_their_content(client, editor, collection, name, content, message):
    response = add_document(client, collection, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_the_multiple_document_uploader_refuses_a_scripted_pdf(client, editor, collection):
    status, answer = ajax(
        client,
        "/admin/documents/multiple/add/",
        {
            "files[]": SimpleUploadedFile(
                "brosur.pdf", pdf_with(b"<< /S /JavaScript /JS (x) >>"), "application/pdf"
            ),
            "collection": collection.pk,
        },
    )
    assert answer["success"] is False
    assert "PDF ini berisi skrip" in answer["error_message"]
    assert not Document.objects.exists()


def test_documents_are_served_as_downloads(client, editor, collection):
    response = add_document(client, collection, "jadwal-pelatihan.pdf", MINIMAL_PDF)
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    client.logout()
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert "jadwal-pelatihan.pdf" in served["Content-Disposition"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == MINIMAL_PDF


# --- avatars ----------------------------------------------------------------------


def account_data(user, **files):
    return {
        "name_email-first_name": "Redaksi",
        "name_email-last_name": "Dinas",
        "name_email-email": user.email,
        "locale-preferred_language": "id",
        "locale-current_time_zone": "Asia/Jakarta",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        **files,
    }


def test_an_avatar_with_a_trailing_script_is_stored_clean(client, editor, media_root):
    sent = jpeg((120, 120), exif=exif_with_gps()) + b"<script>alert(document.cookie)</script>"
    response = client.post(
        "/admin/account/",
        account_data(editor, **{"avatar-avatar": SimpleUploadedFile("saya.jpg", sent)}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    avatar = UserProfile.get_for_user(editor).avatar
    stored = (media_root / avatar.name).read_bytes()
    assert b"<script>" not in stored and b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (120, 120)


def test_a_broken_avatar_is_refused_with_a_message(client, editor):
    response = client.post(
        "/admin/account/",
        account_data(editor, **{"avatar-avatar": SimpleUploadedFile("saya.jpg", truncated_jpeg())}),
        follow=True,
    )
    html = response.content.decode()
    assert "Foto profil Anda tidak disimpan" in html
    assert not UserProfile.get_for_user(editor).avatar
