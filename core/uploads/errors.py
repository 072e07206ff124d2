"""The messages of every upload check, one table, so the registry and the admin say the same.

English msgids, translated to Bahasa Indonesia in the project catalogue. Each
message tells the person what to do next, because most uploads come from
phones and the sender cannot read a technical error.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "image_too_large": _("The photo is larger than %(max_size)s. Please choose a smaller photo."),
    "image_too_many_pixels": _(
        "The photo has too many pixels (more than %(max_megapixels)s megapixels). "
        "Please choose a smaller photo or lower the camera resolution."
    ),
    "image_too_costly": _(
        "This photo is too large for us to open (PNG and WebP photos are opened at full "
        "size, at most %(max_megapixels)s megapixels). Please send it as a JPEG photo, "
        "or choose a smaller photo."
    ),
    "images_over_budget": _(
        "Too many large photos were sent at once, and this one was not received. "
        "Please send it again on its own."
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
    "document_unchecked": _(
        "We could not check this PDF to the end (it is damaged, encrypted or very large "
        "inside), so we cannot accept it. Please save it again as a plain PDF (for example "
        "with “Print to PDF”), or upload a photo of the document instead."
    ),
    "file_mismatch": _(
        "The content of this file is not a .%(extension)s file. Please upload the real "
        "document, saved again from the program that made it."
    ),
    "file_program": _(
        "Programs and scripts cannot be uploaded. Please upload a document such as a PDF."
    ),
    "file_macros": _(
        "This file contains macros, scripts or embedded objects, which we cannot accept. "
        "Please save it again without them (for example as .docx rather than .docm), or as PDF."
    ),
    "file_unknown_type": _(
        "Files of this type (.%(extension)s) cannot be checked, so they are not accepted. "
        "Please upload a PDF."
    ),
}


def upload_error(code: str, **params) -> ValidationError:
    """A ValidationError with the table's message, its code and its parameters."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)
