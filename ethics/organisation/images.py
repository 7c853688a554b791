"""Logos and signature images as uploaded by an administrator: opened with Pillow, refused unless
they are a PNG or JPEG picture of sensible size, and stored re-encoded as PNG, so that what reaches
a document is a picture and nothing else (no metadata, no script, no file pretending to be one)."""
from __future__ import annotations

import base64
import io

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from ethics.core.refusals import Refusal

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5000 x 5000 scan; a larger "image" is more likely a decompression bomb
LONGEST_SIDE = 1200  # plenty for print at the sizes documents use
FORMATS = ("PNG", "JPEG")


class ImageRefused(Refusal):
    """An upload that is not a picture this application prints."""


def accepted_png(data: bytes, field: str) -> bytes:
    """The picture in `data` as a PNG of at most LONGEST_SIDE pixels a side, or ImageRefused."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(_l("The image is larger than 2 MB."), field=field)
    too_many = ImageRefused(_l("The image has too many pixels; use one of at most 5000 by 5000."), field=field)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise too_many
            image.load()
            picture = image.convert("RGBA")
    except Image.DecompressionBombError:  # Pillow's own, far larger, limit
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRefused(_l("Choose a PNG or JPEG image."), field=field) from None
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def data_uri(png: bytes | None) -> str | None:
    """A PNG as a data: URI, which the documents and the settings page show (the CSP allows data: images)."""
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()
