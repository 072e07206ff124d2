"""Wagtail's own uploads through the same checks as the registry's.

Editors' images and documents, outreach photos (Wagtail images chosen or uploaded
in a chooser) and avatars would otherwise be stored as sent: with the camera's
GPS position in a public original, a truncated JPEG failing later with a server
error, a PDF with a script served to anyone. Each entry point is covered through
what Wagtail offers for it:

* ``SafeImageForm`` and ``SafeDocumentForm`` are ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and
  ``WAGTAILDOCS_DOCUMENT_FORM_BASE``: the add and edit views, the choosers' upload
  tabs and the multiple uploaders all build their forms on them.
* ``core.uploads.editors.check_pending_upload`` (a ``pre_save`` receiver of
  ``wagtail.models.UploadedFile``)
  covers the multiple uploader's other path, where a file whose other fields are
  incomplete is kept as sent until they are filled in.
* ``AccountView`` takes the place of Wagtail's account page (``core.admin_urls``) so
  that the avatar goes through ``SafeAvatarForm`` and a refusal is said in a message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.admin.forms.account import AvatarPreferencesForm
from wagtail.admin.views.account import AccountView as WagtailAccountView
from wagtail.admin.views.account import AvatarSettingsPanel
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from core.uploads.editors import (
    AVATAR_MAX_SIDE,
    checked_document_upload,
    editor_image_max_side,
    sanitised_image_upload,
)
from core.uploads.errors import upload_error


class _CheckedImageField(WagtailImageField):
    """Wagtail's image field; a file its checks cannot open is refused, not a server error.

    Wagtail counts the frames of an upload by opening it with Willow, which raises
    whatever Pillow raises for a truncated or corrupt file.
    """

    def to_python(self, data):
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception:
            raise upload_error("image_invalid") from None


class SafeImageForm(BaseImageForm):
    """Wagtail's image form; a new file is decoded in full and stored as a clean copy.

    Wagtail's field has already checked the extension, the size and the pixel count
    from the header; here the pixels themselves are decoded (a broken file is refused
    with a message instead of failing later), and the copy that is stored keeps no
    EXIF, GPS position or trailing data, at most ``UPLOAD_EDITOR_IMAGE_MAX_SIDE`` px.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            # The field is this form's own copy; it keeps all its settings.
            field.__class__ = _CheckedImageField

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            return sanitised_image_upload(file, max_side=editor_image_max_side())
        return file


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form; a new file is checked by its content (``check_document``)."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            checked_document_upload(file)
        return file


class SafeAvatarForm(AvatarPreferencesForm):
    """Wagtail's avatar form; the picture is decoded and stored as a clean 400 px copy.

    Wagtail keeps a small avatar as sent (trailing data, EXIF and all) and cannot
    tell a broken one; this stores only the re-encoded pixels.
    """

    def clean_avatar(self):
        file = self.cleaned_data.get("avatar")
        if not file:
            return self._original_avatar
        if isinstance(file, UploadedFile):
            return sanitised_image_upload(file, max_side=AVATAR_MAX_SIDE)
        return file


class SafeAvatarSettingsPanel(AvatarSettingsPanel):
    form_class = SafeAvatarForm

    def get_form(self):
        # One form per request: the account view asks for it several times, and each
        # new form would decode the picture again.
        form = getattr(self.request, "_safe_avatar_form", None)
        if form is None:
            form = super().get_form()
            self.request._safe_avatar_form = form
        return form


class AccountView(WagtailAccountView):
    """Wagtail's account page, with the avatar panel above and its refusals told."""

    def get_panels(self):
        return [
            SafeAvatarSettingsPanel(panel.request, panel.user, panel.profile)
            if type(panel) is AvatarSettingsPanel
            else panel
            for panel in super().get_panels()
        ]

    def post(self, request):
        response = super().post(request)
        form = getattr(request, "_safe_avatar_form", None)
        if form is not None and form.is_bound and form.errors:
            reasons = " ".join(form.errors.get("avatar", []) or form.non_field_errors())
            messages.error(
                request,
                _("Your profile picture was not saved: %(reason)s") % {"reason": reasons},
            )
        return response
