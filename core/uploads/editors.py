"""Cleaning the files that editors and staff upload through Wagtail (images, documents).

Shared by the admin forms (``core.uploads.admin``) and by the receiver that checks
the multiple uploader's pending files, which must not import the admin's views.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.base import ContentFile

from core.uploads import check_document, read_upload, sanitise_image

EDITOR_IMAGE_MAX_SIDE = 3000
AVATAR_MAX_SIDE = 400
_DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _image_limits():
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None) or 40_000_000
    max_bytes = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None) or _DEFAULT_MAX_BYTES
    return max_pixels, max_bytes


def sanitised_image_upload(uploaded, *, max_side: int) -> ContentFile:
    """A clean copy of an uploaded picture, in its own format, under its own name.

    The result is remembered on the upload, so that a second look at the same file
    in the same request (a form, then the uploader's pending file) decodes it once.
    """
    cached = getattr(uploaded, "_sanitised_upload", None)
    if cached is not None:
        cached.seek(0)
        return cached
    max_pixels, max_bytes = _image_limits()
    clean = sanitise_image(
        read_upload(uploaded, max_bytes), max_side=max_side, max_pixels=max_pixels, quality=90
    )
    stem = os.path.splitext(os.path.basename(uploaded.name or ""))[0] or "image"
    result = ContentFile(clean.data, name=f"{stem}.{clean.extension}")
    uploaded._sanitised_upload = result
    return result


def checked_document_upload(uploaded) -> None:
    """Refuse an uploaded document that is not what its extension says, or is active."""
    if getattr(uploaded, "_upload_checked", False):
        return
    max_bytes = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None) or _DEFAULT_MAX_BYTES
    extension = os.path.splitext(uploaded.name or "")[1]
    check_document(read_upload(uploaded, max_bytes), extension)
    uploaded._upload_checked = True


def editor_image_max_side() -> int:
    return int(getattr(settings, "UPLOAD_EDITOR_IMAGE_MAX_SIDE", EDITOR_IMAGE_MAX_SIDE))


def _image_model():
    from wagtail.images import get_image_model

    return get_image_model()


def _document_model():
    from wagtail.documents import get_document_model

    return get_document_model()


def check_pending_upload(sender, instance, **kwargs):
    """``pre_save`` of Wagtail's ``UploadedFile``: a pending file is cleaned like the rest.

    The multiple uploader keeps a file here, as sent, when the image or document
    could not be created from it yet; it becomes one later without another check.
    """
    file = instance.file
    if not file or getattr(file, "_committed", True) or instance.for_content_type_id is None:
        return
    model = instance.for_content_type.model_class()
    if model is not None and issubclass(model, _image_model()):
        instance.file = sanitised_image_upload(file.file, max_side=editor_image_max_side())
    elif model is not None and issubclass(model, _document_model()):
        checked_document_upload(file.file)
