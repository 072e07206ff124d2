"""Uploads from the public: photos and legal documents are checked, cleaned and kept private."""

import io
import re
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from sme_registry import uploads
from sme_registry.uploads import (
    DOCUMENT_MAX_BYTES,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_PIXELS,
    IMAGE_MAX_SIDE,
    clean_document,
    clean_image,
    private_storage,
    random_upload_name,
    serve_private_file,
)

PHOTO_NAME_RE = re.compile(r"registry/photos/\d{4}/\d{2}/[0-9a-f]{32}\.jpg")
DOCUMENT_NAME_RE = re.compile(r"registry/documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Private files go to a temporary directory, never to the real one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


# --- helpers -----------------------------------------------------------------


def exif_with_gps(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model X-42"  # Model
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8825).update(  # GPS: somewhere in Kabupaten Bogor
        {1: "S", 2: (6.0, 35.0, 12.5), 3: "E", 4: (106.0, 48.0, 0.0)}
    )
    return exif


def image_bytes(fmt, size=(60, 40), mode="RGB", color="red", **save_options):
    image = Image.new(mode, size, color)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(content, name="upload.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def open_result(result):
    assert isinstance(result, ContentFile)
    image = Image.open(io.BytesIO(result.read()))
    image.load()
    return image


def error_code(excinfo):
    return excinfo.value.code


MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"
)


def pdf_with(extra_object: bytes) -> bytes:
    return MINIMAL_PDF.replace(b"xref\n", b"4 0 obj\n" + extra_object + b"\nendobj\nxref\n")


# --- names and storage ---------------------------------------------------------


def test_random_upload_name_is_random_and_dated():
    first = random_upload_name("registry/photos", "jpg")
    second = random_upload_name("registry/photos/", ".JPG")
    assert PHOTO_NAME_RE.fullmatch(first)
    assert PHOTO_NAME_RE.fullmatch(second)
    assert first != second


@pytest.mark.parametrize("extension", ["", "php/x", "../jpg", "j pg", "a" * 11])
def test_random_upload_name_refuses_unsafe_extensions(extension):
    with pytest.raises(ValueError):
        random_upload_name("registry/photos", extension)


@pytest.mark.parametrize("prefix", ["", "/", "registry/../etc", "registry//photos"])
def test_random_upload_name_refuses_unsafe_prefixes(prefix):
    with pytest.raises(ValueError):
        random_upload_name(prefix, "jpg")


def test_private_storage_is_outside_media_root_and_has_no_url(settings, private_root):
    storage = private_storage()
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location) == private_root
    media_root = Path(str(settings.MEDIA_ROOT)).resolve()
    assert not Path(storage.location).resolve().is_relative_to(media_root)
    assert storage.base_url is None
    assert storage.url("registry/photos/2026/11/abc.jpg") is None


def test_private_files_are_not_readable_by_other_users():
    storage = private_storage()
    name = storage.save("registry/documents/2026/11/x.pdf", ContentFile(MINIMAL_PDF))
    assert Path(storage.path(name)).stat().st_mode & 0o007 == 0
    assert Path(storage.path(name)).parent.stat().st_mode & 0o007 == 0


def test_a_form_with_a_stored_private_file_still_renders():
    from django import forms
    from django.db import models
    from django.db.models.fields.files import FieldFile

    field = models.FileField(storage=private_storage, upload_to="")
    field.name = "file"
    value = FieldFile(None, field, "registry/documents/2026/11/x.pdf")
    html = forms.ClearableFileInput().render("file", value)
    assert "/media/" not in html and "x.pdf" not in html


def test_private_storage_default_location_is_outside_media_root(settings):
    del settings.PRIVATE_MEDIA_ROOT
    settings.MEDIA_ROOT = settings.BASE_DIR / "media"
    storage = private_storage()
    assert Path(storage.location) == Path(settings.BASE_DIR) / "private_media"
    assert not Path(storage.location).is_relative_to(Path(settings.MEDIA_ROOT))
    assert storage.base_url is None


def test_private_storage_follows_setting_changes(settings, tmp_path):
    storage = private_storage()  # as a model field would: created before the change
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    assert Path(storage.location) == tmp_path / "elsewhere"


def test_private_storage_is_usable_as_a_field_storage_callable():
    from django.db import models

    field = models.FileField(storage=private_storage, upload_to="")
    assert isinstance(field.storage, uploads.PrivateFileSystemStorage)
    assert field.deconstruct()[3]["storage"] is private_storage


# --- photos -----------------------------------------------------------------------


def test_jpeg_with_exif_and_gps_is_cleaned_and_downscaled():
    original = image_bytes(
        "JPEG", size=(3000, 1500), exif=exif_with_gps(), comment=b"secret comment"
    )
    assert b"SecretCam" in original
    result = clean_image(upload(original, "IMG_1234_rumah_saya.jpg", "image/jpeg"))

    assert PHOTO_NAME_RE.fullmatch(result.name)
    assert "IMG_1234" not in result.name and "rumah" not in result.name
    data = result.read()
    for secret in (b"SecretCam", b"Model X-42", b"Exif\x00\x00", b"secret comment"):
        assert secret not in data
    result.seek(0)
    image = open_result(result)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert max(image.size) <= IMAGE_MAX_SIDE
    assert image.size == (2000, 1000)
    assert not image.getexif()
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert "comment" not in image.info


def test_exif_orientation_is_applied():
    original = image_bytes("JPEG", size=(40, 20), exif=exif_with_gps(orientation=6))
    image = open_result(clean_image(upload(original, "photo.jpg")))
    assert image.size == (20, 40)
    assert not image.getexif()


def test_small_photo_is_not_enlarged():
    image = open_result(clean_image(upload(image_bytes("JPEG", size=(300, 200)))))
    assert image.size == (300, 200)


def test_png_with_transparency_is_flattened_on_white():
    picture = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    picture.paste((255, 0, 0, 255), (0, 0, 10, 10))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")

    image = open_result(clean_image(upload(buffer.getvalue(), "logo.png", "image/png")))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((3, 5))
    assert red > 240 and green < 20 and blue < 20
    assert all(channel > 245 for channel in image.getpixel((16, 5)))


def test_palette_png_with_transparency_is_flattened_on_white():
    picture = Image.new("P", (10, 10), 0)
    picture.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    picture.paste(1, (0, 0, 5, 10))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", transparency=0)

    image = open_result(clean_image(upload(buffer.getvalue())))
    assert image.getpixel((2, 5))[2] > 240
    assert all(channel > 245 for channel in image.getpixel((8, 5)))


def test_16_bit_greyscale_png_keeps_its_tones():
    original = image_bytes("PNG", size=(10, 10), mode="I;16", color=32768)
    image = open_result(clean_image(upload(original)))
    assert 110 < image.getpixel((5, 5))[0] < 145


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_webp_and_png_are_accepted_whatever_the_name(fmt):
    result = clean_image(upload(image_bytes(fmt), "no-extension", "text/plain"))
    assert open_result(result).format == "JPEG"
    assert result.name.endswith(".jpg")


def test_phone_camera_mpo_jpeg_is_accepted():
    first = Image.new("RGB", (80, 60), "blue")
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[first.copy()], exif=exif_with_gps())
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    image = open_result(clean_image(upload(buffer.getvalue(), "IMG.jpg", "image/jpeg")))
    assert image.format == "JPEG"
    assert image.size == (80, 60)
    assert not image.getexif()


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(b"just some text, not a photo\n", "foto.jpg", "image/jpeg"))
    assert error_code(excinfo) == "image_invalid"


def test_html_file_named_png_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(html, "produk.png", "image/png"))
    assert error_code(excinfo) == "image_invalid"


def test_empty_photo_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(b"", "foto.jpg", "image/jpeg"))
    assert error_code(excinfo) == "image_invalid"


def test_truncated_jpeg_is_refused():
    original = image_bytes("JPEG", size=(400, 300))
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(original[: len(original) // 3], "foto.jpg"))
    assert error_code(excinfo) == "image_invalid"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(fmt):
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(image_bytes(fmt), "foto.jpg", "image/jpeg"))
    assert error_code(excinfo) == "image_format"


def test_oversize_photo_is_refused():
    padded = image_bytes("JPEG") + b"\0" * IMAGE_MAX_BYTES
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(padded, "big.jpg", "image/jpeg"))
    assert error_code(excinfo) == "image_too_large"
    assert "8 MB" in excinfo.value.messages[0]


def test_photo_that_lies_about_its_size_is_refused():
    file = upload(image_bytes("JPEG") + b"\0" * IMAGE_MAX_BYTES, "big.jpg")
    file.size = 1000
    with pytest.raises(ValidationError) as excinfo:
        clean_image(file)
    assert error_code(excinfo) == "image_too_large"


@pytest.fixture
def pixel_loads(monkeypatch):
    """Records every attempt to decode pixels."""
    calls = []
    original_load = ImageFile.ImageFile.load

    def load(self):
        calls.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


@pytest.mark.parametrize(
    "size",
    [
        (10_000, 10_000),  # 100 MP: past Pillow's own DecompressionBombWarning limit
        (7_000, 7_000),  # 49 MP: under Pillow's limit, over ours
        (200_000, 1_000),  # a long thin strip
    ],
)
def test_decompression_bomb_is_refused_without_decoding(size, pixel_loads):
    bomb = image_bytes("PNG", size=size, mode="1", color=0, optimize=True)
    assert size[0] * size[1] > IMAGE_MAX_PIXELS
    assert len(bomb) < IMAGE_MAX_BYTES
    assert len(bomb) < 100_000  # tiny on disk, enormous in memory

    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(bomb, "bomb.png", "image/png"))
    assert error_code(excinfo) == "image_too_many_pixels"
    assert pixel_loads == []


def test_pillow_decompression_bomb_error_is_reported_as_too_many_pixels(pixel_loads):
    # 200 MP is past Pillow's DecompressionBombError limit (2 x MAX_IMAGE_PIXELS).
    bomb = image_bytes("PNG", size=(20_000, 10_000), mode="1", color=0, optimize=True)
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(bomb))
    assert error_code(excinfo) == "image_too_many_pixels"
    assert pixel_loads == []


# --- documents -----------------------------------------------------------------


def test_minimal_pdf_is_kept_byte_for_byte():
    result = clean_document(upload(MINIMAL_PDF, "NIB Toko Budi.pdf", "application/pdf"))
    assert result.read() == MINIMAL_PDF
    assert DOCUMENT_NAME_RE.fullmatch(result.name)
    assert "Budi" not in result.name


def test_pdf_is_recognised_whatever_the_name():
    result = clean_document(upload(MINIMAL_PDF, "scan.jpg", "image/jpeg"))
    assert DOCUMENT_NAME_RE.fullmatch(result.name)


@pytest.mark.parametrize(
    "extra",
    [
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /Type /Action /JS (app.alert(1)) >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 0 >>",
        b"<< /EmbeddedFiles << /Names [] >> >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",  # hex-escaped names
    ],
)
def test_pdf_with_active_content_is_refused(extra):
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(pdf_with(extra), "nib.pdf", "application/pdf"))
    assert error_code(excinfo) == "document_active_content"


def test_pdf_with_javascript_hidden_in_a_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj")
    extra = (
        b"<< /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream"
    )
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(pdf_with(extra), "nib.pdf"))
    assert error_code(excinfo) == "document_active_content"


def test_pdf_mentioning_javascript_in_its_text_is_accepted():
    text = zlib.compress(b"BT /F1 12 Tf (Kursus JavaScript untuk UMKM) Tj ET")
    extra = b"<< /Filter /FlateDecode >>\nstream\n" + text + b"\nendstream"
    document = pdf_with(extra)
    assert clean_document(upload(document, "brosur.pdf")).read() == document


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 100,  # Windows .exe
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\0" * 100,  # zip (also .docx)
        b"<html><body>%PDF-1.4</body></html>",
        b"  %PDF-1.4\n",  # the magic must be at the very start
        image_bytes("GIF"),
        image_bytes("WEBP"),
    ],
    ids=["exe", "zip", "html", "late-magic", "gif", "webp"],
)
def test_other_files_renamed_pdf_are_refused(content):
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(content, "akta.pdf", "application/pdf"))
    assert error_code(excinfo) == "document_type"


def test_empty_document_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(b"", "akta.pdf", "application/pdf"))
    assert error_code(excinfo) == "document_empty"


def test_oversize_pdf_is_refused():
    big = MINIMAL_PDF + b"%" + b"0" * DOCUMENT_MAX_BYTES
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(big, "akta.pdf", "application/pdf"))
    assert error_code(excinfo) == "document_too_large"
    assert "5 MB" in excinfo.value.messages[0]


def test_jpeg_document_is_cleaned_like_a_photo():
    original = image_bytes("JPEG", size=(2400, 3200), exif=exif_with_gps())
    result = clean_document(upload(original, "ktp.pdf", "application/pdf"))
    assert PHOTO_NAME_RE.fullmatch(result.name)
    image = open_result(result)
    assert image.format == "JPEG"
    assert image.size == (1500, 2000)
    assert not image.getexif()
    result.seek(0)
    assert b"SecretCam" not in result.read()


def test_png_document_becomes_a_jpeg():
    result = clean_document(upload(image_bytes("PNG"), "surat.png", "image/png"))
    assert result.name.endswith(".jpg")
    assert open_result(result).format == "JPEG"


def test_broken_jpeg_document_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(b"\xff\xd8\xff" + b"rubbish" * 10, "scan.jpg"))
    assert error_code(excinfo) == "image_invalid"


# --- messages ------------------------------------------------------------------


def test_every_message_tells_the_person_what_to_do():
    with translation.override("en"):
        for code, message in uploads.MESSAGES.items():
            text = str(message) % {"max_size": "8 MB", "max_megapixels": 40}
            assert "Please" in text, code


def test_every_error_message_is_complete_in_the_site_language():
    for code, message in uploads.MESSAGES.items():
        text = str(ValidationError(message, params={"max_size": "8 MB", "max_megapixels": 40}))
        assert "%(" not in text, code


# --- serving -------------------------------------------------------------------


def close(response):
    # Not response.close(): that sends request_finished, which touches the database.
    response.file_to_stream.close()


def serve(name, filename="berkas"):
    request = RequestFactory().get("/private/")
    return serve_private_file(request, name, filename_for_download=filename)


def test_serving_a_pdf_sends_a_private_download():
    stored = private_storage().save(
        random_upload_name("registry/documents", "pdf"), ContentFile(MINIMAL_PDF)
    )
    response = serve(stored, "NIB Toko Budi.pdf")
    try:
        assert b"".join(response.streaming_content) == MINIMAL_PDF
    finally:
        close(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="NIB Toko Budi.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_serving_a_photo_shows_it_inline():
    photo = clean_image(upload(image_bytes("JPEG"), "foto.jpg"))
    stored = private_storage().save(photo.name, photo)
    response = serve(stored, "Produk keripik")
    close(response)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert 'filename="Produk keripik.jpg"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_download_name_is_sanitised_and_keeps_the_stored_extension():
    stored = private_storage().save("registry/documents/x.pdf", ContentFile(MINIMAL_PDF))
    response = serve(stored, '../../etc/evil"\r\nSet-Cookie: a=b.exe')
    close(response)
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert "/" not in disposition.split("filename", 1)[1]
    assert disposition.endswith('.pdf"')


def test_unknown_extension_is_an_octet_stream_download():
    stored = private_storage().save("registry/other/x.html", ContentFile(b"<script></script>"))
    response = serve(stored, "page")
    close(response)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    "name", ["", "registry/documents/missing.pdf", "../outside.pdf", "/etc/passwd", "registry"]
)
def test_missing_or_outside_files_are_not_found(name, private_root, tmp_path):
    (tmp_path / "outside.pdf").write_bytes(MINIMAL_PDF)
    private_storage().save("registry/documents/present.pdf", ContentFile(MINIMAL_PDF))
    with pytest.raises(Http404):
        serve(name)


# --- the cost of decoding: reduced JPEG decoding, a pixel budget per request ---------

ROOT = Path(__file__).resolve().parents[2]

_MEASURE = r"""
import json, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from core.uploads import pixel_budget
from sme_registry import uploads
files = [open(path, "rb").read() for path in sys.argv[1:]]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
results = []
with pixel_budget():  # one request's budget for all of them
    for data in files:
        try:
            uploads.clean_image(SimpleUploadedFile("upload", data))
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.code)
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"peak_mb": peak, "results": results}))
"""


def solid_png(width, height):
    """A tiny single-colour RGB PNG of any size, written row by row without Pillow."""
    import struct

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\xc8\x1e\x1e" * width
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _python(code, *args):
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simbaumi.settings.test",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None


def measure(*paths):
    """Clean the files in a fresh process, as one request; its peak memory and the results."""
    return _python(_MEASURE, *paths)


@pytest.fixture(scope="module")
def big_pictures(tmp_path_factory):
    """A 40 MP single-colour PNG (127 KB) and JPEG, written in another process."""
    folder = tmp_path_factory.mktemp("pictures")
    (folder / "big.png").write_bytes(solid_png(7999, 5000))
    (folder / "under-budget.png").write_bytes(solid_png(4800, 4800))
    _python(
        "import sys\nfrom PIL import Image\n"
        "Image.new('RGB', (7999, 5000), (200, 30, 30)).save(sys.argv[1], quality=85)",
        folder / "big.jpg",
    )
    return folder


def test_a_40_megapixel_png_is_refused_from_its_header_at_no_cost(big_pictures):
    assert (big_pictures / "big.png").stat().st_size < 200_000
    outcome = measure(big_pictures / "big.png")
    assert outcome["results"] == ["image_too_costly"]
    assert outcome["peak_mb"] < 15  # It took some 250 MB before.


def test_four_40_megapixel_jpegs_in_one_request_decode_at_reduced_size(big_pictures):
    outcome = measure(*[big_pictures / "big.jpg"] * 4)
    assert outcome["results"] == ["ok"] * 4
    assert outcome["peak_mb"] < 60  # Some 250 MB each before.


def test_the_largest_png_within_the_budget_stays_within_its_memory(big_pictures):
    outcome = measure(big_pictures / "under-budget.png")
    assert outcome["results"] == ["ok"]
    # 23 MP decoded at about 4 bytes each, and a fraction of that to shrink it.
    assert outcome["peak_mb"] < 150


def test_a_jpeg_is_decoded_at_the_smallest_scale_that_gives_the_output(pixel_loads):
    original = image_bytes("JPEG", size=(4000, 3000))
    image = open_result(clean_image(upload(original, "besar.jpg")))
    assert image.size == (2000, 1500)
    assert set(pixel_loads) == {(2000, 1500)}  # 1/2 scale: 3 MP decoded, not 12 MP


def test_images_beyond_the_request_budget_are_refused_in_indonesian():
    from core.uploads import pixel_budget

    photo = image_bytes("PNG", size=(3000, 2000))  # 6 MP
    with pixel_budget(10_000_000):
        clean_image(upload(photo))
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(photo))
    assert error_code(excinfo) == "images_over_budget"
    assert "Terlalu banyak foto besar dikirim sekaligus" in excinfo.value.messages[0]
    # A new request starts with the whole budget again.
    with pixel_budget(10_000_000):
        clean_image(upload(photo))


def test_each_request_gets_its_own_budget(client, settings, db):
    from django.core.signals import request_finished, request_started

    from core.uploads import budget

    settings.UPLOAD_PIXEL_BUDGET = 7_000_000
    photo = image_bytes("PNG", size=(3000, 2000))
    request_started.send(sender=None)
    clean_image(upload(photo))
    with pytest.raises(ValidationError):
        clean_image(upload(photo))
    request_finished.send(sender=None)
    request_started.send(sender=None)
    clean_image(upload(photo))
    request_finished.send(sender=None)
    assert budget._current.get() is None


# --- PDFs whose scan cannot be finished are refused ---------------------------------


def flate_stream(content: bytes, dictionary: bytes = b"/Filter /FlateDecode") -> bytes:
    compressed = zlib.compress(content)
    return (
        b"<< "
        + dictionary
        + b" /Length "
        + str(len(compressed)).encode()
        + b" >>\nstream\n"
        + compressed
        + b"\nendstream"
    )


def zeros_then(tail: bytes, megabytes: int) -> bytes:
    """``tail`` after ``megabytes`` MB of zeros, compressed without holding them in memory."""
    compressor = zlib.compressobj(9)
    zeros = b"\0" * (1024 * 1024)
    data = b"".join(compressor.compress(zeros) for _ in range(megabytes))
    return data + compressor.compress(tail) + compressor.flush()


def stream_of(compressed: bytes, dictionary: bytes) -> bytes:
    return (
        b"<< "
        + dictionary
        + b" /Length "
        + str(len(compressed)).encode()
        + b" >>\nstream\n"
        + compressed
        + b"\nendstream"
    )


OBJECT_STREAM = b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode"
SCRIPT = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"
# What the reader would find is beside the point: it cannot be read to the end.
HARMLESS = b"5 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>" * 20


@pytest.mark.parametrize("dictionary", [OBJECT_STREAM, b"/Filter /FlateDecode"])
def test_a_script_after_40_mb_of_inflated_zeros_is_refused(dictionary):
    document = pdf_with(stream_of(zeros_then(SCRIPT, 40), dictionary))
    assert len(document) < 100_000
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(document, "nib.pdf"))
    assert error_code(excinfo) in ("document_active_content", "document_unchecked")


def test_a_pdf_too_large_inside_to_scan_is_refused_with_a_clear_message():
    document = pdf_with(stream_of(zeros_then(SCRIPT, 100), OBJECT_STREAM))
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(document, "nib.pdf"))
    assert error_code(excinfo) == "document_unchecked"
    message = excinfo.value.messages[0]
    assert "Kami tidak dapat memeriksa PDF ini sampai selesai" in message
    assert "Print to PDF" in message


@pytest.mark.parametrize(
    "stream",
    [
        stream_of(bytes(range(256)) * 8, OBJECT_STREAM),  # encrypted or damaged
        stream_of(zlib.compress(HARMLESS)[:-6], OBJECT_STREAM),  # cut short
        stream_of(b"\x80\x0b\x60\x50", b"/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode"),
        flate_stream(
            SCRIPT,
            b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode"
            b" /DecodeParms << /Predictor 12 /Columns 4 >>",
        ),
        stream_of(b"\x80\x0b\x60\x50", b"/Type /ObjStm /N 1 /First 4 /Filter 9 0 R"),
        stream_of(zlib.compress(HARMLESS), b"/N 1 /First 4 /Filter [/FlateDecode /ASCIIHexDecode]"),
        b"<< /Length 5 >>\nstream\n" + zlib.compress(HARMLESS),  # never ends
    ],
    ids=["undecodable", "truncated", "lzw", "predictor", "indirect-filter", "chain", "no-end"],
)
def test_object_streams_that_cannot_be_read_are_refused(stream):
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(pdf_with(stream), "nib.pdf"))
    assert error_code(excinfo) == "document_unchecked"


def test_ordinary_compressed_pdfs_are_still_accepted():
    content = flate_stream(b"BT /F1 12 Tf (Izin usaha mikro) Tj ET")
    objects = flate_stream(b"5 0 << /Type /Font /Subtype /Type1 >>", OBJECT_STREAM)
    image = (
        b"<< /Subtype /Image /Filter /DCTDecode /Length 4 >>\nstream\n\xff\xd8\xff\xe0\nendstream"
    )
    for extra in (content, objects, image):
        document = pdf_with(extra)
        assert clean_document(upload(document, "izin.pdf")).read() == document
