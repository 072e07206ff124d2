"""Safe, private handling of files that the public uploads to the SME registry.

SME owners upload product photos and scans of legal documents (NIB, SIUP, halal
certificate, ...) from their phones. Everything here assumes the upload is hostile:

* Nothing is trusted from the browser: not the file name, not the content type.
  Photos are identified by Pillow from their content; documents by their magic bytes.
* Photos are decoded (after a pixel-count check, so a "decompression bomb" is refused
  from its header alone; JPEGs at reduced size; every decode charged to the request's
  pixel budget) and re-encoded as a fresh JPEG. The result carries no EXIF, no GPS
  position, no camera serial number, no ICC profile and no trailing data.
* PDFs are stored byte for byte, but refused when they contain JavaScript, launch
  actions or embedded files, or when that cannot be checked to the end.
* Stored names are random (``random_upload_name``); the original name is never used.
* ``store_private`` writes a file that follows the transaction: a rolled-back request
  leaves no file behind.
* Files live in ``private_storage()``, outside ``MEDIA_ROOT``. They have no public URL
  and are only sent by a view that checks permissions first and then calls
  ``serve_private_file``.

Use with a model field, for example::

    photo = models.FileField(storage=private_storage, upload_to="", max_length=200)

and in the form's ``clean_photo``: ``return clean_image(self.cleaned_data["photo"])``.
The returned ``ContentFile`` already has its final random name (such as
``registry/photos/2026/11/<hex>.jpg``); keep ``upload_to=""`` (or a callable that
returns the name unchanged) so the field stores it as it is.

The checks themselves are shared with every other upload of the site (``core.uploads``);
this module adds what is the registry's own: private storage, random names, limits.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from core import uploads as checks
from core.uploads.documents import JPEG_MAGIC, PDF_MAGIC, PNG_MAGIC
from core.uploads.errors import upload_error as _error

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
    "serve_public_photo",
    "store_private",
]

IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 2000
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

IMAGE_JPEG_QUALITY = 85

# Where this module writes; the orphan sweep looks only here.
UPLOAD_PREFIX = "registry"
PHOTO_PREFIX = f"{UPLOAD_PREFIX}/photos"
DOCUMENT_PREFIX = f"{UPLOAD_PREFIX}/documents"

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


# The messages these checks give (the shared table, in English msgids, has them all).
MESSAGES = {
    code: checks.MESSAGES[code]
    for code in (
        "image_too_large",
        "image_too_many_pixels",
        "image_too_costly",
        "images_over_budget",
        "image_format",
        "image_invalid",
        "document_empty",
        "document_type",
        "document_too_large",
        "document_active_content",
        "document_unchecked",
    )
}


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


def _clean_image_bytes(data: bytes) -> ContentFile:
    clean = checks.sanitise_image(
        data,
        max_side=IMAGE_MAX_SIDE,
        max_pixels=IMAGE_MAX_PIXELS,
        output="JPEG",
        quality=IMAGE_JPEG_QUALITY,
        flatten=True,
    )
    return ContentFile(clean.data, name=random_upload_name(PHOTO_PREFIX, "jpg"))


def clean_image(uploaded) -> ContentFile:
    """Check an uploaded photo and return a clean JPEG copy with a random name.

    Accepts JPEG, PNG and WebP, recognised from the content (the name and the browser's
    content type are ignored). Refuses files over ``IMAGE_MAX_BYTES`` and images over
    ``IMAGE_MAX_PIXELS`` (checked before decoding). The result is upright (EXIF
    orientation applied), RGB on white, at most ``IMAGE_MAX_SIDE`` pixels on its long
    side, JPEG quality 85, without any metadata.

    JPEGs are decoded at the smallest scale that still gives the output size, and what
    is decoded is charged to the request's pixel budget (``settings.UPLOAD_PIXEL_BUDGET``).

    Raises ``ValidationError`` with code ``image_too_large``, ``image_too_many_pixels``,
    ``image_too_costly``, ``images_over_budget``, ``image_format`` or ``image_invalid``.
    """
    if uploaded.size is not None and uploaded.size > IMAGE_MAX_BYTES:
        raise _error("image_too_large", max_size=_megabytes(IMAGE_MAX_BYTES))
    data = checks.read_upload(uploaded, IMAGE_MAX_BYTES)
    if len(data) > IMAGE_MAX_BYTES:
        raise _error("image_too_large", max_size=_megabytes(IMAGE_MAX_BYTES))
    return _clean_image_bytes(data)


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def clean_document(uploaded) -> ContentFile:
    """Check an uploaded legal document and return it with a random name.

    Accepts PDF, JPEG and PNG, recognised by their first bytes (the name and the
    browser's content type are ignored), up to ``DOCUMENT_MAX_BYTES``.

    * A PDF is kept byte for byte as ``registry/documents/.../<hex>.pdf``, unless it
      contains JavaScript, launch actions or embedded files, or its scan cannot be
      finished (``core.uploads.pdf``: it fails closed).
    * A JPEG or PNG goes through ``clean_image`` (EXIF and GPS removed, downscaled) and
      becomes ``registry/photos/.../<hex>.jpg``.

    Raises ``ValidationError`` with code ``document_empty``, ``document_too_large``,
    ``document_type``, ``document_active_content``, ``document_unchecked`` or one of
    the ``image_*`` codes of ``clean_image``.
    """
    if uploaded.size is not None and uploaded.size > DOCUMENT_MAX_BYTES:
        raise _error("document_too_large", max_size=_megabytes(DOCUMENT_MAX_BYTES))
    data = checks.read_upload(uploaded, DOCUMENT_MAX_BYTES)
    if not data:
        raise _error("document_empty")
    if len(data) > DOCUMENT_MAX_BYTES:
        raise _error("document_too_large", max_size=_megabytes(DOCUMENT_MAX_BYTES))

    if data.startswith(PDF_MAGIC):
        checks.check_pdf(data)
        return ContentFile(data, name=random_upload_name(DOCUMENT_PREFIX, "pdf"))
    if data.startswith(JPEG_MAGIC) or data.startswith(PNG_MAGIC):
        return _clean_image_bytes(data)
    raise _error("document_type")


def store_private(content) -> str:
    """Write a cleaned upload to private storage under its own name; return the stored name.

    The file follows the current transaction: if the request that stores it is rolled
    back, the file is deleted with it, so no file outlives the row meant to name it.
    """
    return checks.save_in_transaction(private_storage(), content.name, content)


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


# A product photo on public pages (the directory): a card's size and a business page's.
PUBLIC_PHOTO_SIDES = {"kecil": 480, "sedang": 1200}
PUBLIC_PHOTO_QUALITY = 80
PUBLIC_PHOTO_CACHE_SECONDS = 24 * 3600


def _public_photo_bytes(storage_name: str, max_side: int) -> bytes:
    """The stored photo made smaller for a phone, kept in the cache: it only changes
    with the stored name, which is new for every upload."""
    key = f"registry-public-photo:{hashlib.sha256(storage_name.encode()).hexdigest()}:{max_side}"
    data = cache.get(key)
    if data is not None:
        return data
    storage = private_storage()
    try:
        with storage.open(storage_name, "rb") as handle:
            original = handle.read(IMAGE_MAX_BYTES + 1)
        data = checks.sanitise_image(
            original,
            max_side=max_side,
            max_pixels=IMAGE_MAX_PIXELS,
            output="JPEG",
            quality=PUBLIC_PHOTO_QUALITY,
            flatten=True,
        ).data
    except (OSError, SuspiciousFileOperation, ValueError, ValidationError):
        raise Http404("File not found") from None
    cache.set(key, data, PUBLIC_PHOTO_CACHE_SECONDS)
    return data


def serve_public_photo(request, storage_name: str, *, size: str, max_age: int) -> HttpResponse:
    """Send a stored product photo to anyone, at one of ``PUBLIC_PHOTO_SIDES``.

    This does NOT check that the photo may be public: the calling view must (the
    directory serves only photos of businesses it lists now), and must take
    ``storage_name`` from the database, never from the URL. What is sent is a fresh
    JPEG re-encoding (no metadata), cacheable for ``max_age`` seconds.
    """
    if not storage_name.endswith(".jpg") or size not in PUBLIC_PHOTO_SIDES:
        raise Http404("File not found")
    response = HttpResponse(
        _public_photo_bytes(storage_name, PUBLIC_PHOTO_SIDES[size]), content_type="image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
