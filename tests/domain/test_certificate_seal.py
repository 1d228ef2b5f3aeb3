"""Issue #17, finding 19: what an uploaded seal image must be (app.domain.certificate_seal)."""

import io

import pytest
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from app.domain.certificate_seal import SealRefused, check_seal_image
from tests.factories import seal_image


def _png(mode: str, size=(200, 200), *, background=0, **save) -> bytes:
    """A ``mode`` image: a disc of colour 1 on ``background`` (0: the transparent colour)."""
    image = Image.new(mode, size, background)
    ImageDraw.Draw(image).ellipse([20, 20, size[0] - 20, size[1] - 20], fill=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **save)
    return buffer.getvalue()


def _solid(mode: str, colour) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (200, 200), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("data", [
    seal_image(), _png("LA"), _png("P", transparency=0), _png("L", transparency=0),
    _png("RGB", transparency=(0, 0, 0)), seal_image((300, 200)),
], ids=["rgba", "grey_alpha", "palette_trns", "grey_trns", "rgb_trns", "oval_3_to_2"])
def test_finding_19_every_form_of_png_transparency_is_accepted_and_stored_as_rgba(data):
    seal = check_seal_image(data)
    stored = Image.open(io.BytesIO(seal.png))
    assert stored.format == "PNG" and stored.mode == "RGBA"
    assert stored.size == (seal.width, seal.height)
    assert stored.getchannel("A").getextrema()[0] == 0  # the ground stays transparent


def test_finding_19_the_stored_png_keeps_nothing_of_the_upload_but_its_pixels():
    buffer = io.BytesIO()
    info = PngInfo()
    info.add_text("Author", "某某 13800000000")
    Image.open(io.BytesIO(seal_image())).save(buffer, format="PNG", pnginfo=info)
    stored = check_seal_image(buffer.getvalue()).png
    assert b"13800000000" in buffer.getvalue() and b"13800000000" not in stored


@pytest.mark.parametrize(("data", "reason", "detail"), [
    (b"", "empty", ""),
    (b"\xff\xd8\xff\xe0" + b"\0" * 400, "not_png", "JPEG"),
    (b"GIF89a" + b"\0" * 400, "not_png", "GIF"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not_png", ""),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 1024 * 1024, "too_large", ""),
    (b"\x89PNG\r\n\x1a\n" + b"garbage", "unreadable", ""),
    (seal_image((99, 120)), "too_small", "99 × 120"),
    (seal_image((2001, 2000)), "too_big", "2001 × 2000"),
    (seal_image((301, 200)), "not_square", "301 × 200"),
    (_png("RGB"), "no_transparency", "RGB"),
    (_solid("RGBA", (255, 255, 255, 255)), "opaque", ""),
])
def test_finding_19_each_problem_is_named(data, reason, detail):
    with pytest.raises(SealRefused) as refused:
        check_seal_image(data)
    assert (refused.value.reason, refused.value.detail) == (reason, detail)
