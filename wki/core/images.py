"""Checking an uploaded image before anything else reads it.

A PNG or JPEG of a few hundred bytes can claim 100,000 x 100,000 pixels; Pillow refuses to open such a
file with ``DecompressionBombError`` (not an ``OSError``), and decoding it would take gigabytes.
``image_format`` reads only the header and refuses anything over ``MAX_IMAGE_PIXELS`` with a Dutch
message; ``register_error_handler`` turns a ``DecompressionBombError`` that escapes elsewhere into a 400.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from flask import Flask, request

from wki.core.errors import ServiceError, render_error

# A scanned A4 letter at 600 dpi is some 35 million pixels.
MAX_IMAGE_PIXELS = 60_000_000
TOO_LARGE = (f"De afbeelding is te groot: hoogstens {MAX_IMAGE_PIXELS // 1_000_000} miljoen beeldpunten. "
             "Verklein de scan of stuur een PDF.")


def image_format(data: bytes, *, field: str | None = None) -> str:
    """"PNG" or "JPEG" for an intact image within the pixel bound; ServiceError otherwise."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ServiceError(TOO_LARGE, field=field)
                image.verify()
                kind = image.format
    except Image.DecompressionBombError:
        raise ServiceError(TOO_LARGE, field=field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ServiceError("De bijlage is een beschadigde afbeelding.", field=field) from None
    if kind not in ("PNG", "JPEG"):
        raise ServiceError("De bijlage moet een PDF, PNG of JPEG zijn.", field=field)
    return kind


def register_error_handler(app: Flask) -> None:
    """A ``DecompressionBombError`` that escapes wherever an image is opened is a 400 with ``TOO_LARGE``
    (``image_format`` refuses such a file earlier, with the same message next to the field)."""
    from PIL import Image

    @app.errorhandler(Image.DecompressionBombError)
    def image_bomb(exc: Image.DecompressionBombError) -> Any:
        app.logger.warning("image refused", extra={"path": request.path, "reason": str(exc)})
        return render_error(400, TOO_LARGE)
