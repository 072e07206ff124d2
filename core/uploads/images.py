"""Opening an uploaded picture safely and cheaply, and writing a clean copy of it.

An upload is hostile until decoded, and decoding is where it costs. So:

* The format comes from the content (JPEG, PNG or WebP; "MPO" is the JPEG that
  phone cameras write), never from the name or the browser.
* The pixel count is read from the header and refused before any pixel is decoded.
* A JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that still gives the
  output size, so a 40-megapixel phone photo shrunk to 2000 px decodes about
  2.5 megapixels. PNG and WebP cannot be decoded smaller and cost their full size.
* What is decoded is charged to the request's pixel budget first (``budget``).
* The copy is a fresh image: no EXIF, GPS, camera serial, XMP, ICC profile,
  comment or trailing data can survive. EXIF orientation is applied first, so the
  picture stays upright without the tag.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from core.uploads import budget
from core.uploads.errors import upload_error

FORMATS = ("JPEG", "PNG", "WEBP")
_DETECTED = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Modes that Pillow resizes with a proper filter; others are converted first.
_RESIZABLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "CMYK"})
_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})
# What decoding one pixel costs, in budget pixels (about 4 bytes each): Pillow's WebP
# decoder holds the picture four times over while it decodes (measured: 373 MB for 24 MP).
_COST_PER_PIXEL = {"JPEG": 1, "PNG": 1, "WEBP": 4}


@dataclass(frozen=True)
class CleanImage:
    """The re-encoded picture: its bytes, Pillow format, file extension and size."""

    data: bytes
    format: str
    extension: str
    size: tuple[int, int]


def _too_many_pixels(max_pixels):
    return upload_error("image_too_many_pixels", max_megapixels=max_pixels // 1_000_000)


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Open (header only) a JPEG, PNG or WebP from its content, within ``max_pixels``."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except UnidentifiedImageError:
        image = None
    except Exception:  # Pillow raises many kinds of error for malformed headers.
        raise upload_error("image_invalid") from None
    if image is None:
        # Not one of ours: is it some other image format (to give a helpful message)?
        # Opening only parses the header; the image is closed without being decoded.
        try:
            with Image.open(io.BytesIO(data)) as other:
                is_image = other.format is not None
        except Exception:
            is_image = False
        raise upload_error("image_format" if is_image else "image_invalid")
    width, height = image.size
    if image.format not in _DETECTED:
        image.close()
        raise upload_error("image_format")
    if width < 1 or height < 1:
        image.close()
        raise upload_error("image_invalid")
    if width * height > max_pixels:
        image.close()
        raise _too_many_pixels(max_pixels)
    return image


def fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size within a ``max_side`` square, keeping the proportions; never enlarged."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, read from the header (``getexif`` would decode a PNG)."""
    raw = image.info.get("exif")
    if not raw:
        return 1
    exif = Image.Exif()
    try:
        exif.load(raw)
        return int(exif.get(_ORIENTATION_TAG, 1))
    except Exception:
        return 1


def _draft_jpeg(image: Image.Image, target: tuple[int, int]) -> None:
    """Make the JPEG decoder scale down by the largest factor that keeps ``target``."""
    width, height = image.size
    for scale in (8, 4, 2):
        if math.ceil(width / scale) >= target[0] and math.ceil(height / scale) >= target[1]:
            # Pillow picks min(width // w, height // h) as the scale.
            image.draft(None, (max(1, width // scale), max(1, height // scale)))
            return


def _resizable(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """The image in a mode that resizes well, converted after a cheap shrink if large.

    Palette, 1-bit, 16-bit and transparent-colour images must change mode before a
    filtered resize; at full size that would double the memory, so they are first
    brought to twice the target with nearest-neighbour.
    """
    needs_alpha = image.mode in ("PA", "La", "RGBa") or "transparency" in image.info
    if image.mode in _RESIZABLE_MODES and not needs_alpha:
        return image
    double = (min(image.width, target[0] * 2), min(image.height, target[1] * 2))
    if double != image.size:
        image = image.resize(double, Image.Resampling.NEAREST)
    if image.mode in _SIXTEEN_BIT_MODES:
        # Scale 16 bits to 8 (a plain convert would clip everything bright to white).
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if needs_alpha:
        return image.convert("RGBA")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")


def _shrink(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Resize to ``target``: a box reduction by a whole factor first, then Lanczos.

    The reduction is what keeps the peak small: a 40 MP picture reduced by 3
    needs 4.4 MP more, where Pillow's own ``reducing_gap`` may need 20 MP more.
    """
    factor = min(image.width // target[0], image.height // target[1])
    if factor >= 2:
        image = image.reduce(factor)
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS)
    return image


def _fresh(image: Image.Image, mode: str) -> Image.Image:
    """A new image with the pixels only: its ``info`` is empty, so no metadata is written.

    Transparency that the output mode cannot hold is flattened onto white.
    """
    fresh = Image.new(mode, image.size, "white")
    if image.mode in ("LA", "RGBA") and mode not in ("LA", "RGBA"):
        fresh.paste(image, mask=image.getchannel("A"))
    else:
        fresh.paste(image if image.mode == mode else image.convert(mode))
    return fresh


def _output_mode(source_mode: str, output: str, flatten: bool) -> str:
    if output == "JPEG":
        return "RGB"
    grey = source_mode in ("L", "LA")
    if flatten:
        return "L" if grey and output == "PNG" else "RGB"
    if output == "PNG" and grey:
        return source_mode
    return "RGBA" if source_mode in ("LA", "RGBA") else "RGB"


def sanitise_image(
    data: bytes,
    *,
    max_side: int,
    max_pixels: int,
    output: str | None = None,
    quality: int = 85,
    flatten: bool = False,
) -> CleanImage:
    """Check a picture and return a clean copy, at most ``max_side`` pixels on its long side.

    ``output`` is "JPEG" to always write a JPEG (transparency goes onto white), or
    None to keep the upload's format (JPEG, PNG or WebP, with transparency).
    Raises ``ValidationError`` with code ``image_too_many_pixels``, ``image_too_costly``,
    ``images_over_budget``, ``image_format`` or ``image_invalid``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = open_image(data, max_pixels)
        try:
            source_format = "JPEG" if image.format == "MPO" else image.format
            output_format = output or source_format
            orientation = _orientation(image)
            target = fit(image.size, max_side)
            if source_format == "JPEG":
                _draft_jpeg(image, target)
            weight = _COST_PER_PIXEL[source_format]
            cost = image.width * image.height * weight
            request_budget = budget.current()
            if not request_budget.fits_alone(cost):
                raise upload_error(
                    "image_too_costly",
                    max_megapixels=request_budget.total // weight // 1_000_000,
                )
            if not request_budget.charge(cost):
                raise upload_error("images_over_budget")
            try:
                image.load()
                picture = _shrink(_resizable(image, target), target)
                if orientation in _TRANSPOSE:
                    picture = picture.transpose(_TRANSPOSE[orientation])
                fresh = _fresh(picture, _output_mode(picture.mode, output_format, flatten))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels(max_pixels) from None
            except Exception:  # Truncated or corrupt pixel data.
                raise upload_error("image_invalid") from None
        finally:
            image.close()

    options = {
        "JPEG": {"quality": quality, "optimize": True},
        "PNG": {"optimize": max(fresh.size) <= 1000},
        "WEBP": {"quality": quality, "method": 4},
    }[output_format]
    try:
        buffer = io.BytesIO()
        fresh.save(buffer, format=output_format, **options)
        size = fresh.size
    finally:
        fresh.close()
    return CleanImage(buffer.getvalue(), output_format, _EXTENSIONS[output_format], size)
