"""Refusing PDFs that can run something: scripts, launch actions, attachments, XFA forms.

Not a PDF parser, a scan for the names that make a PDF active, also written
with ``#xx`` escapes (``/J#61vaScript``), in the file itself and inside its
zlib-compressed (FlateDecode) streams, where object streams (PDF 1.5+) keep
dictionaries out of sight.

It fails closed: a PDF whose scan cannot be finished is refused, not let
through. That is the case when the streams inflate to more than
``INFLATE_MAX_TOTAL`` bytes (a zip bomb, or 40 MB of zeros with a script at the
end), when a stream has no end, and when a stream that may hold objects (an
object stream, or one whose dictionary cannot be read) is encrypted, damaged,
filtered in a way we do not decode, or uses a predictor. Image and
cross-reference streams hold no objects and are not inflated. Inflating and
scanning run chunk by chunk, so memory stays small whatever the stream says.
"""

from __future__ import annotations

import re
import zlib

from core.uploads.errors import upload_error

ACTIVE_NAMES = (
    "JavaScript",
    "JS",
    "Launch",
    "EmbeddedFiles",
    "EmbeddedFile",
    "XFA",
    "RichMedia",
)
# Inflated bytes scanned per document, all streams together.
INFLATE_MAX_TOTAL = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
# Longer than the longest escaped name (/ and 13 characters as #xx), so a name
# that straddles two chunks is still seen.
_OVERLAP = 64
# How far before a stream its dictionary is looked for.
_DICTIONARY_WINDOW = 4096

# PDF delimiters and white space end a name (PDF 32000-1:2008, 7.2.2).
_NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"


def _name_pattern(name: str) -> bytes:
    """A regex for ``name`` where any character may be written as a ``#xx`` escape."""
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


# One compiled regex, so that even a hostile file is scanned at C speed.
_ACTIVE_NAME_RE = re.compile(
    b"/(?:" + b"|".join(_name_pattern(name) for name in ACTIVE_NAMES) + b")" + _NAME_END
)
_STREAM_START_RE = re.compile(rb">>[\x00\t\n\x0c\r ]*stream\r?\n")
_ENDSTREAM_RE = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")
_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
# An object stream says so, and whatever its type, it needs /N and /First to be read as one.
_OBJECT_STREAM_RE = re.compile(rb"/Type\s*/ObjStm" + _NAME_END)
_OBJECT_STREAM_KEYS_RE = (re.compile(rb"/N" + _NAME_END), re.compile(rb"/First" + _NAME_END))
_HOLDS_NO_OBJECTS_RE = re.compile(
    rb"/Type\s*/XRef" + _NAME_END + rb"|/Subtype\s*/Image" + _NAME_END
)
_INDIRECT_KEY_RE = re.compile(rb"/(?:Type|Filter|DecodeParms|DP)\s+\d+\s+\d+\s+R")
_FILTER_RE = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_FILTER_NAME_RE = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_PREDICTOR_RE = re.compile(rb"/(?:DecodeParms|DP)" + _NAME_END)
_DIRECT_LENGTH_RE = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")


class _Unchecked(Exception):
    """The scan could not be finished."""


class _Stream:
    """One stream: its raw bytes and what its dictionary says about it."""

    def __init__(self, data: bytes, dictionary: bytes | None, start: int, end: int):
        self.raw = data[start:end]
        self.known = dictionary is not None and not _INDIRECT_KEY_RE.search(dictionary)
        text = dictionary or b""
        self.holds_objects = (
            not self.known
            or bool(_OBJECT_STREAM_RE.search(text))
            or all(key.search(text) for key in _OBJECT_STREAM_KEYS_RE)
        )
        self.holds_no_objects = not self.holds_objects and bool(_HOLDS_NO_OBJECTS_RE.search(text))
        match = _FILTER_RE.search(text)
        self.filters = _FILTER_NAME_RE.findall(match.group(1)) if match else []
        self.predictor = bool(_PREDICTOR_RE.search(text))


def _dictionary(data: bytes, end: int) -> bytes | None:
    """The dictionary of the stream whose ``>>`` is at ``end``, escapes decoded; None if unsure."""
    start = data.rfind(b"obj", max(0, end - _DICTIONARY_WINDOW), end)
    if start < 0 or data[max(0, start - 3) : start] == b"end":
        return None
    return _ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), data[start + 3 : end + 2])


def _streams(data: bytes):
    position = 0
    while True:
        start = _STREAM_START_RE.search(data, position)
        if start is None:
            return
        dictionary = _dictionary(data, start.start())
        body = start.end()
        end = -1
        length = _DIRECT_LENGTH_RE.search(dictionary or b"")
        if length is not None and body + int(length.group(1)) <= len(data):
            after = body + int(length.group(1))
            if _ENDSTREAM_RE.match(data, after):
                end = after
        if end < 0:
            end = data.find(b"endstream", body)
        if end < 0:
            raise _Unchecked  # A stream without an end: what follows cannot be told apart.
        position = end + len(b"endstream")
        yield _Stream(data, dictionary, body, end)


def _inflate_and_scan(raw: bytes, allowance: int) -> tuple[bool, int, bool]:
    """Inflate ``raw`` chunk by chunk and look for active names.

    Returns (found, bytes inflated, complete). Raises ``_Unchecked`` past ``allowance``.
    """
    inflater = zlib.decompressobj()
    tail = b""
    used = 0
    position = 0
    while True:
        if inflater.unconsumed_tail:
            chunk = inflater.unconsumed_tail
        elif position < len(raw):
            chunk = raw[position : position + _CHUNK]
            position += _CHUNK
        else:
            break
        try:
            out = inflater.decompress(chunk, _CHUNK)
        except zlib.error:
            return False, used, False
        used += len(out)
        if used > allowance:
            raise _Unchecked
        if _ACTIVE_NAME_RE.search(tail + out):
            return True, used, True
        tail = out[-_OVERLAP:]
        if inflater.eof:
            return False, used, True
    return False, used, inflater.eof


def has_active_content(data: bytes) -> bool:
    """Whether the PDF names active content. Raises ``_Unchecked`` if that cannot be told."""
    if _ACTIVE_NAME_RE.search(data):
        return True
    allowance = INFLATE_MAX_TOTAL
    for stream in _streams(data):
        if stream.holds_no_objects:
            continue
        if stream.filters:
            flate = stream.filters in ([b"FlateDecode"], [b"Fl"])
        elif stream.known:
            continue  # Not compressed: already scanned with the file itself.
        else:
            flate = bool(stream.raw) and stream.raw[0] & 0x0F == 8  # A zlib header.
        if not flate:
            if stream.holds_objects:
                raise _Unchecked  # LZW, ASCII85, a chain of filters, encryption...
            continue
        if stream.holds_objects and stream.predictor:
            raise _Unchecked
        found, used, complete = _inflate_and_scan(stream.raw, allowance)
        allowance -= used
        if found:
            return True
        if not complete and stream.holds_objects:
            raise _Unchecked
    return False


def check_pdf(data: bytes) -> None:
    """Refuse a PDF with active content, or one whose scan cannot be finished.

    Raises ``ValidationError`` with code ``document_active_content`` or
    ``document_unchecked``.
    """
    try:
        active = has_active_content(data)
    except _Unchecked:
        raise upload_error("document_unchecked") from None
    if active:
        raise upload_error("document_active_content")
