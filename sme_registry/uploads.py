"""Safe, private handling of files that the public uploads to the SME registry.

SME owners upload product photos and scans of legal documents (NIB, SIUP, halal
certificate, ...) from their phones. Everything here assumes the upload is hostile:

* Nothing is trusted from the browser: not the file name, not the content type.
  Photos are identified by Pillow from their content; documents by their magic bytes.
* Photos are decoded (after a pixel-count check, so a "decompression bomb" is refused
  from its header alone) and re-encoded as a fresh JPEG. The result carries no EXIF,
  no GPS position, no camera serial number, no ICC profile and no trailing data.
* PDFs are stored byte for byte, but refused when they contain JavaScript, launch
  actions or embedded files.
* Stored names are random (``random_upload_name``); the original name is never used.
* Files live in ``private_storage()``, outside ``MEDIA_ROOT``. They have no public URL
  and are only sent by a view that checks permissions first and then calls
  ``serve_private_file``.

Use with a model field, for example::

    photo = models.FileField(storage=private_storage, upload_to="", max_length=200)

and in the form's ``clean_photo``: ``return clean_image(self.cleaned_data["photo"])``.
The returned ``ContentFile`` already has its final random name (such as
``registry/photos/2026/11/<hex>.jpg``); keep ``upload_to=""`` (or a callable that
returns the name unchanged) so the field stores it as it is.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import warnings
import zlib

from PIL import Image, ImageOps, UnidentifiedImageError

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DOCUMENT_MAX_BYTES",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_PIXELS",
    "IMAGE_MAX_SIDE",
    "PrivateFileSystemStorage",
    "clean_document",
    "clean_image",
    "private_storage",
    "random_upload_name",
    "serve_private_file",
]

IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 2000
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

IMAGE_JPEG_QUALITY = 85

# Pillow format names we decode. "MPO" is how Pillow names the JPEG files that many
# phone cameras write (a JPEG with an extra preview picture appended): it is a JPEG.
_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
_IMAGE_FORMATS_DETECTED = frozenset({"JPEG", "MPO", "PNG", "WEBP"})

_PDF_MAGIC = b"%PDF-"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# PDF names that make a document "active": scripts, launching programs, attachments.
_PDF_ACTIVE_NAMES = ("JavaScript", "JS", "Launch", "EmbeddedFiles", "EmbeddedFile")
# PDF delimiters and white space end a name (PDF 32000-1:2008, 7.2.2).
_PDF_NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"


def _pdf_name_pattern(name: str) -> bytes:
    """A regex for ``/name`` where any character may be written as a ``#xx`` escape."""
    return b"".join(
        b"(?:%s|#%s)"
        % (
            re.escape(char).encode(),
            "".join(
                f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in f"{ord(char):02x}"
            ).encode(),
        )
        for char in name
    )


# One compiled regex, so that even a hostile 5 MB file is scanned at C speed.
_PDF_ACTIVE_NAME_RE = re.compile(
    b"/(?:"
    + b"|".join(_pdf_name_pattern(name) for name in _PDF_ACTIVE_NAMES)
    + b")"
    + _PDF_NAME_END
)
_PDF_STREAM_START_RE = re.compile(rb"stream\r?\n")
# Limits when inflating compressed PDF streams for the scan (against zip bombs).
_PDF_INFLATE_MAX_PER_STREAM = 8 * 1024 * 1024
_PDF_INFLATE_MAX_TOTAL = 32 * 1024 * 1024

# Content types for the extensions this module writes; anything else is a download.
_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}
_INLINE_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})

_MB = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size // _MB} MB"


# Messages: English msgids, translated to Bahasa Indonesia in the project catalogue.
MESSAGES = {
    "image_too_large": _("The photo is larger than %(max_size)s. Please choose a smaller photo."),
    "image_too_many_pixels": _(
        "The photo has too many pixels (more than %(max_megapixels)s megapixels). "
        "Please choose a smaller photo or lower the camera resolution."
    ),
    "image_format": _(
        "This type of photo is not accepted. Please upload a JPEG, PNG or WebP photo."
    ),
    "image_invalid": _(
        "This file is not a photo that we can open. Please upload a JPEG, PNG or WebP photo."
    ),
    "document_empty": _("The file is empty. Please choose the document again."),
    "document_type": _(
        "This type of file is not accepted. Please upload a PDF, or a photo of the "
        "document in JPEG or PNG format."
    ),
    "document_too_large": _(
        "The document is larger than %(max_size)s. Please choose a smaller file, "
        "or upload a photo of the document instead."
    ),
    "document_active_content": _(
        "This PDF contains scripts, attachments or actions, which we cannot accept. "
        "Please save it again as a plain PDF (for example with “Print to PDF”), "
        "or upload a photo of the document instead."
    ),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


# ---------------------------------------------------------------------------
# Storage and names
# ---------------------------------------------------------------------------


@deconstructible(path="sme_registry.uploads.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """A ``FileSystemStorage`` for files that must never be publicly served.

    Without an explicit ``location`` it is rooted at ``settings.PRIVATE_MEDIA_ROOT``
    (default ``BASE_DIR / "private_media"``), read lazily so that overriding the setting
    (for example with pytest-django's ``settings`` fixture) takes effect even for model
    fields created at import time. ``base_url`` and ``url()`` are ``None``: link to a view
    that checks permissions and calls ``serve_private_file`` instead. New files are
    created with mode 0o640 (directories 0o750), readable by no other user.
    """

    def __init__(
        self, location=None, file_permissions_mode=0o640, directory_permissions_mode=0o750
    ):
        super().__init__(
            location=location,
            base_url=None,
            file_permissions_mode=file_permissions_mode,
            directory_permissions_mode=directory_permissions_mode,
        )

    @cached_property
    def base_location(self):
        if self._location is not None:
            return self._location
        return getattr(settings, "PRIVATE_MEDIA_ROOT", settings.BASE_DIR / "private_media")

    @property
    def base_url(self):
        return None

    def url(self, name):
        """Always ``None``: private files have no public URL.

        Link to a view that checks permissions and returns ``serve_private_file()``.
        (Not an exception, so that Django's ``ClearableFileInput``, which looks at
        ``url`` for a field that already holds a file, still renders in forms.)
        """
        return None

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "BASE_DIR"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage() -> PrivateFileSystemStorage:
    """The storage for registry uploads, outside MEDIA_ROOT, never publicly served.

    A module-level callable, so it can be passed as ``FileField(storage=private_storage)``;
    migrations then refer to this function rather than to a path on one machine.
    """
    return PrivateFileSystemStorage()


def random_upload_name(prefix: str, extension: str) -> str:
    """An unguessable storage name such as ``registry/photos/2026/11/<uuid4 hex>.jpg``.

    Never derived from the uploaded file's name.
    """
    extension = extension.lstrip(".").lower()
    if not re.fullmatch(r"[a-z0-9]{1,10}", extension):
        raise ValueError(f"Unsafe file extension: {extension!r}")
    prefix = prefix.strip("/")
    if not prefix or any(part in ("", ".", "..") for part in prefix.split("/")):
        raise ValueError(f"Unsafe upload prefix: {prefix!r}")
    now = timezone.now()
    return f"{prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"


# ---------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------


def _read_upload(uploaded, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so a file that lies about its size is caught."""
    data = bytearray()
    for chunk in uploaded.chunks():
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)


def _open_image(data: bytes) -> Image.Image:
    """Open (header only) an image from its content; raise ValidationError if unusable."""
    try:
        return Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(
            "image_too_many_pixels", max_megapixels=IMAGE_MAX_PIXELS // 1_000_000
        ) from None
    except UnidentifiedImageError:
        pass
    except Exception:  # Pillow raises many kinds of error for malformed headers.
        raise _error("image_invalid") from None
    # Not one of ours: is it some other image format (to give a helpful message)?
    # Opening only parses the header; the image is closed without being decoded.
    try:
        with Image.open(io.BytesIO(data)) as other:
            is_image = other.format is not None
    except Exception:
        is_image = False
    raise _error("image_format" if is_image else "image_invalid")


def _to_rgb(image: Image.Image) -> Image.Image:
    """An RGB image; transparency is flattened onto white."""
    if image.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N"):
        # 16-bit greyscale PNG: scale to 8 bits (a plain convert would clip to white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("P", "PA", "LA", "La", "RGBa") or "transparency" in image.info:
        image = image.convert("RGBA")
    background = Image.new("RGB", image.size, (255, 255, 255))
    if image.mode == "RGBA":
        background.paste(image, mask=image.getchannel("A"))
    else:
        background.paste(image.convert("RGB"))
    return background


def _clean_image_bytes(data: bytes) -> ContentFile:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_image(data)
        try:
            if image.format not in _IMAGE_FORMATS_DETECTED:
                raise _error("image_format")
            width, height = image.size
            if width < 1 or height < 1:
                raise _error("image_invalid")
            # Checked from the header, before any pixel is decoded.
            if width * height > IMAGE_MAX_PIXELS:
                raise _error("image_too_many_pixels", max_megapixels=IMAGE_MAX_PIXELS // 1_000_000)
            try:
                # thumbnail() lets the JPEG decoder scale down while decoding (less
                # memory). The box is square, so rotating afterwards keeps the limit.
                image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)
                upright = ImageOps.exif_transpose(image)
                try:
                    fresh = _to_rgb(upright)
                finally:
                    if upright is not image:
                        upright.close()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _error(
                    "image_too_many_pixels", max_megapixels=IMAGE_MAX_PIXELS // 1_000_000
                ) from None
            except Exception:  # Truncated or corrupt pixel data.
                raise _error("image_invalid") from None
        finally:
            image.close()

    # ``fresh`` is a new image: its ``info`` is empty, so no EXIF, GPS, XMP, ICC
    # profile or comment can be carried over into the saved file.
    try:
        output = io.BytesIO()
        fresh.save(output, format="JPEG", quality=IMAGE_JPEG_QUALITY, optimize=True)
    finally:
        fresh.close()
    return ContentFile(output.getvalue(), name=random_upload_name("registry/photos", "jpg"))


def clean_image(uploaded) -> ContentFile:
    """Check an uploaded photo and return a clean JPEG copy with a random name.

    Accepts JPEG, PNG and WebP, recognised from the content (the name and the browser's
    content type are ignored). Refuses files over ``IMAGE_MAX_BYTES`` and images over
    ``IMAGE_MAX_PIXELS`` (checked before decoding). The result is upright (EXIF
    orientation applied), RGB on white, at most ``IMAGE_MAX_SIDE`` pixels on its long
    side, JPEG quality 85, without any metadata.

    Raises ``ValidationError`` with code ``image_too_large``, ``image_too_many_pixels``,
    ``image_format`` or ``image_invalid``.
    """
    if uploaded.size is not None and uploaded.size > IMAGE_MAX_BYTES:
        raise _error("image_too_large", max_size=_megabytes(IMAGE_MAX_BYTES))
    data = _read_upload(uploaded, IMAGE_MAX_BYTES)
    if len(data) > IMAGE_MAX_BYTES:
        raise _error("image_too_large", max_size=_megabytes(IMAGE_MAX_BYTES))
    return _clean_image_bytes(data)


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def _pdf_inflated_streams(data: bytes):
    """The content of zlib-compressed (FlateDecode) streams, within size limits.

    Names can hide in compressed object streams (PDF 1.5+), so those are scanned too.
    Linear in the size of ``data``, whatever its content.
    """
    budget = _PDF_INFLATE_MAX_TOTAL
    position = 0
    while budget > 0:
        start = _PDF_STREAM_START_RE.search(data, position)
        if start is None:
            return
        end = data.find(b"endstream", start.end())
        if end < 0:
            return
        raw = data[start.end() : end]
        position = end + len(b"endstream")
        if not raw or raw[0] & 0x0F != 8:  # Not a zlib header (deflate method 8).
            continue
        try:
            inflated = zlib.decompressobj().decompress(
                raw, min(_PDF_INFLATE_MAX_PER_STREAM, budget)
            )
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def _pdf_has_active_content(data: bytes) -> bool:
    """Whether the PDF names JavaScript, a launch action or an embedded file.

    A scan for the names, also written with ``#xx`` escapes (``/J#61vaScript``) and
    inside compressed streams. Not a PDF parser: strings and streams of an encrypted
    PDF cannot be read, and text in the page that looks like a name may be refused.
    """
    if _PDF_ACTIVE_NAME_RE.search(data):
        return True
    return any(_PDF_ACTIVE_NAME_RE.search(stream) for stream in _pdf_inflated_streams(data))


def clean_document(uploaded) -> ContentFile:
    """Check an uploaded legal document and return it with a random name.

    Accepts PDF, JPEG and PNG, recognised by their first bytes (the name and the
    browser's content type are ignored), up to ``DOCUMENT_MAX_BYTES``.

    * A PDF is kept byte for byte as ``registry/documents/.../<hex>.pdf``, unless it
      contains JavaScript, launch actions or embedded files.
    * A JPEG or PNG goes through ``clean_image`` (EXIF and GPS removed, downscaled) and
      becomes ``registry/photos/.../<hex>.jpg``.

    Raises ``ValidationError`` with code ``document_empty``, ``document_too_large``,
    ``document_type``, ``document_active_content`` or one of the ``image_*`` codes of
    ``clean_image``.
    """
    if uploaded.size is not None and uploaded.size > DOCUMENT_MAX_BYTES:
        raise _error("document_too_large", max_size=_megabytes(DOCUMENT_MAX_BYTES))
    data = _read_upload(uploaded, DOCUMENT_MAX_BYTES)
    if not data:
        raise _error("document_empty")
    if len(data) > DOCUMENT_MAX_BYTES:
        raise _error("document_too_large", max_size=_megabytes(DOCUMENT_MAX_BYTES))

    if data.startswith(_PDF_MAGIC):
        if _pdf_has_active_content(data):
            raise _error("document_active_content")
        return ContentFile(data, name=random_upload_name("registry/documents", "pdf"))
    if data.startswith(_JPEG_MAGIC) or data.startswith(_PNG_MAGIC):
        return _clean_image_bytes(data)
    raise _error("document_type")


# ---------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------

_UNSAFE_FILENAME_CHARS_RE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def _download_name(filename: str, extension: str) -> str:
    """A harmless file name for the browser, always ending in the stored extension."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME_CHARS_RE.sub(" ", name)
    name = " ".join(name.split()).strip(". ")
    stem, ext = os.path.splitext(name)
    if ext.lower() in _CONTENT_TYPES or ext.lower() == extension:
        name = stem
    name = name[:100].strip(". ") or "file"
    return f"{name}{extension}"


def serve_private_file(request, storage_name: str, *, filename_for_download: str) -> FileResponse:
    """Send a file from ``private_storage()``.

    This does NOT check permissions: the calling view must first make sure that
    ``request.user`` may see this file (for example, staff or the SME's own owner),
    and must take ``storage_name`` from the database, never from the URL.

    The content type comes from the stored (random, sanitised) name's extension.
    Images are shown inline; everything else (PDFs included) is a download. The
    response is never cached and must not be sniffed into another type.
    ``filename_for_download`` is cleaned and given the stored extension.

    Raises ``Http404`` if the file does not exist.
    """
    storage = private_storage()
    try:
        is_file = bool(storage_name) and os.path.isfile(storage.path(storage_name))
    except (SuspiciousFileOperation, ValueError):
        is_file = False
    if not is_file:
        raise Http404("File not found")

    extension = os.path.splitext(storage_name)[1].lower()
    content_type = _CONTENT_TYPES.get(extension)
    if content_type is None:
        content_type = "application/octet-stream"
        if not re.fullmatch(r"\.[a-z0-9]{1,10}", extension):
            extension = ""
    inline = content_type in _INLINE_CONTENT_TYPES

    try:
        handle = storage.open(storage_name, "rb")
    except OSError:
        raise Http404("File not found") from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=_download_name(filename_for_download, extension),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
