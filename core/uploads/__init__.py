"""The checks that every upload of the site goes through, whoever sends it.

The registry's public forms (product photos, scans of legal documents), the
owners' update page, and Wagtail's own uploads (editors' images and documents,
outreach photos, avatars) all use these, so a file refused in one place is
refused everywhere, with the same message:

* ``images``: pictures are recognised by content, bounded in pixels, decoded at
  reduced size where possible, charged to the request's pixel ``budget`` and
  re-encoded without any metadata.
* ``pdf`` and ``documents``: documents are recognised by content; PDFs that can
  run something, programs and office files with macros are refused, and a scan
  that cannot be finished refuses the file.
* ``storage``: stored files follow the transaction that records them.
* ``admin``: the forms and views that put Wagtail's uploads through the same checks.
"""

from core.uploads.budget import PixelBudget, pixel_budget
from core.uploads.documents import check_document
from core.uploads.errors import MESSAGES, upload_error
from core.uploads.images import CleanImage, sanitise_image
from core.uploads.pdf import check_pdf
from core.uploads.storage import delete_on_commit, delete_quietly, save_in_transaction

__all__ = [
    "MESSAGES",
    "CleanImage",
    "PixelBudget",
    "check_document",
    "check_pdf",
    "delete_on_commit",
    "delete_quietly",
    "pixel_budget",
    "read_upload",
    "sanitise_image",
    "save_in_transaction",
    "upload_error",
]


def read_upload(uploaded, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so a file that lies about its size is caught."""
    data = bytearray()
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    for chunk in uploaded.chunks():
        data += chunk
        if len(data) > limit:
            break
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return bytes(data)
