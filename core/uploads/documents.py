"""Checking a document by what it contains, for each extension the site accepts.

The name's extension says what the file should be; the first bytes and the
structure say what it is. A file that is not what its name says, a program or
script in any disguise, a PDF that can run something and an office file with
macros or embedded objects are refused.
"""

from __future__ import annotations

import io
import re
import zipfile

from core.uploads.errors import upload_error
from core.uploads.pdf import check_pdf

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# ELF, Windows PE, Mach-O (both byte orders, 32/64 bit, fat), scripts with an interpreter line.
PROGRAM_MAGICS = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)

_ZIP_MAX_MEMBERS = 10_000
_OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
# Macros (VBA, ODF Basic and scripts), ActiveX controls, embedded OLE objects.
_ACTIVE_MEMBER_RE = re.compile(
    r"(?i)(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)(activeX|embeddings)/|^(Basic|Scripts)/"
)
_MACRO_CONTENT_TYPE_RE = re.compile(rb"(?i)macroEnabled|vbaProject")


def is_program(data: bytes) -> bool:
    return data.startswith(PROGRAM_MAGICS)


def _mismatch(extension):
    return upload_error("file_mismatch", extension=extension)


def _check_pdf_file(data: bytes, extension: str) -> None:
    if not data.startswith(PDF_MAGIC):
        raise _mismatch(extension)
    check_pdf(data)


def _open_zip(data: bytes, extension: str) -> zipfile.ZipFile:
    if not data.startswith(ZIP_MAGIC):
        raise _mismatch(extension)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _mismatch(extension) from None
    if len(names) > _ZIP_MAX_MEMBERS:
        raise _mismatch(extension)
    if any(_ACTIVE_MEMBER_RE.search(name) for name in names):
        raise upload_error("file_macros")
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    """At most ``limit`` bytes of one member: enough to judge it, never a zip bomb."""
    with archive.open(name) as member:
        return member.read(limit)


def _check_ooxml(data: bytes, extension: str) -> None:
    archive = _open_zip(data, extension)
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or _OOXML_MAIN_PARTS[extension] not in names:
        raise _mismatch(extension)
    try:
        content_types = _read_member(archive, "[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        raise _mismatch(extension) from None
    if _MACRO_CONTENT_TYPE_RE.search(content_types):
        raise upload_error("file_macros")


def _check_odf(data: bytes, extension: str) -> None:
    archive = _open_zip(data, extension)
    names = archive.namelist()
    if not names or names[0] != "mimetype":
        raise _mismatch(extension)
    try:
        mimetype = _read_member(archive, "mimetype", 200).strip()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        raise _mismatch(extension) from None
    if mimetype != _ODF_MIMETYPES[extension]:
        raise _mismatch(extension)


def _check_text(data: bytes, extension: str) -> None:
    """Plain text (CSV): no NUL byte, which every binary file and program has."""
    if b"\x00" in data:
        raise _mismatch(extension)


_CHECKERS = {
    "pdf": _check_pdf_file,
    "docx": _check_ooxml,
    "xlsx": _check_ooxml,
    "pptx": _check_ooxml,
    "odt": _check_odf,
    "ods": _check_odf,
    "odp": _check_odf,
    "csv": _check_text,
    "txt": _check_text,
}


def check_document(data: bytes, extension: str) -> None:
    """Refuse ``data`` unless it really is a harmless file of type ``extension``.

    Raises ``ValidationError`` with code ``document_empty``, ``file_program``,
    ``file_mismatch``, ``file_macros``, ``file_unknown_type``,
    ``document_active_content`` or ``document_unchecked``.
    """
    extension = extension.lower().lstrip(".")
    if not data:
        raise upload_error("document_empty")
    if is_program(data):
        raise upload_error("file_program")
    checker = _CHECKERS.get(extension)
    if checker is None:
        raise upload_error("file_unknown_type", extension=extension)
    checker(data, extension)
