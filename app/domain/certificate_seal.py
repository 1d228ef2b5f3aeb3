"""The issuer's seal printed on certificates: what an uploaded image must be (pure).

A seal is stamped over the issuer's name and the date, so only the ink may cover them: the
image must be a PNG with transparency. Checked in this order, each refusal naming one
problem: size of the file, the PNG signature (a JPEG renamed .png is named as a JPEG), the
pixel size (read from the header before anything is decoded, so a huge image is refused
without being unpacked), the shape (round or oval seals: roughly square), decoding the whole
image, and transparency (an alpha channel, or a transparent colour, with some pixels
actually transparent).

An accepted seal is stored re-encoded as an 8-bit RGBA PNG: one form for the PDF to draw,
and nothing of the upload kept but its pixels (no text chunks, no colour profile).
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image

MAX_SEAL_BYTES = 1024 * 1024  # 1 MiB
MIN_SEAL_SIDE, MAX_SEAL_SIDE = 100, 2000  # pixels
#: The longer side at most this many times the shorter: round seals and oval ones (40 × 30 mm).
MAX_SEAL_ASPECT = 1.5
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: What a file that is not a PNG turns out to be, by its first bytes.
OTHER_FORMATS = ((b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
                 (b"BM", "BMP"), (b"%PDF-", "PDF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))


class SealRefused(ValueError):
    """Why an image cannot be the seal: ``reason`` is one of empty, too_large, not_png,
    too_small, too_big, not_square, unreadable, no_transparency, opaque; ``detail`` the
    figure or format the message names."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SealImage:
    png: bytes  # re-encoded, RGBA
    width: int
    height: int
    sha256: str


def check_seal_image(data: bytes) -> SealImage:
    """The seal to store, or SealRefused naming the first problem found."""
    if not data:
        raise SealRefused("empty")
    if len(data) > MAX_SEAL_BYTES:
        raise SealRefused("too_large")
    if not data.startswith(PNG_SIGNATURE):
        raise SealRefused("not_png", _format_of(data))
    image = _open(data)
    width, height = image.size
    if min(width, height) < MIN_SEAL_SIDE:
        raise SealRefused("too_small", f"{width} × {height}")
    if max(width, height) > MAX_SEAL_SIDE:
        raise SealRefused("too_big", f"{width} × {height}")
    if max(width, height) > MAX_SEAL_ASPECT * min(width, height):
        raise SealRefused("not_square", f"{width} × {height}")
    rgba = _decoded_rgba(image)
    low, _high = rgba.getchannel("A").getextrema()
    if low == 255:
        raise SealRefused("opaque")
    buffer = io.BytesIO()
    rgba.save(buffer, format="PNG", optimize=True)
    png = buffer.getvalue()
    return SealImage(png=png, width=width, height=height, sha256=hashlib.sha256(png).hexdigest())


def _format_of(data: bytes) -> str:
    return next((name for prefix, name in OTHER_FORMATS if data.startswith(prefix)), "")


def _open(data: bytes) -> Image.Image:
    """The image with its header read (nothing decoded yet)."""
    try:
        return Image.open(io.BytesIO(data), formats=["PNG"])
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise SealRefused("unreadable") from error


def _decoded_rgba(image: Image.Image) -> Image.Image:
    """Every pixel decoded, as RGBA; SealRefused when the PNG carries no transparency."""
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        raise SealRefused("no_transparency", image.mode)
    try:
        with warnings.catch_warnings():
            # Pillow warns about a palette with transparency given as bytes: converting
            # to RGBA below is what it recommends.
            warnings.simplefilter("ignore", UserWarning)
            image.load()
            return image.convert("RGBA")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise SealRefused("unreadable") from error
