# SPDX-License-Identifier: AGPL-3.0-or-later
"""Photos sent by the public (ideas, reports): recognised by decoding them (never by
their name), bounded in bytes and pixels, re-encoded as JPEG at a bounded size with no
metadata at all (EXIF and its GPS position, comments, colour profiles). The modules store
the result under a random name of their own."""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoders tried on an upload; anything else is "not an image".
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes
    width: int
    height: int


def photo_prepare(*, upload, field: str = "photos") -> PreparedPhoto:
    """Decode, check and re-encode an uploaded file, or a ValidationError on ``field``."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The photo is too large (at most %(max)s MB).")
                % {"max": settings.PHOTO_MAX_BYTES // (1024 * 1024)}
            }
        )
    too_many_pixels = ValidationError(
        {
            field: _("The photo has too many pixels (at most %(max)s million).")
            % {"max": settings.PHOTO_MAX_PIXELS // 1_000_000}
        }
    )
    try:
        with warnings.catch_warnings():
            # Pillow's own guard against decompression bombs, as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image = Image.open(upload, formats=ACCEPTED_FORMATS)  # reads the header only
            width, height = image.size
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise too_many_pixels
            image.load()  # decodes everything: a truncated or forged file fails here
            image = ImageOps.exif_transpose(image)  # keep the orientation, not the EXIF
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            {field: _("This file is not a photo in JPEG, PNG or WebP that can be read.")}
        ) from exc
    image = _flattened(image)
    image.thumbnail((settings.PHOTO_MAX_SIDE, settings.PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    # Nothing of the original's metadata is passed on: no exif=, icc_profile= or comment=.
    image.info = {}
    image.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return PreparedPhoto(content=output.getvalue(), width=image.width, height=image.height)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB pixels only: transparency on white, palettes and greys expanded."""
    if image.mode == "RGB":
        return image.copy()
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


@contextmanager
def removed_on_error() -> Iterator[list[str]]:
    """Collects the names of the files a write stores, and deletes them again if the
    write fails (its transaction rolled back: no photo file without its row)."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
