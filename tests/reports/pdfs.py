"""Reading generated PDFs back in tests (pypdf)."""

import io

from pypdf import PdfReader


def read_pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in read_pdf(data).pages]


def all_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def page_fonts(data: bytes) -> list[dict]:
    """Every font dictionary used on any page, resolved."""
    fonts = []
    for page in read_pdf(data).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.append(font.get_object())
    return fonts


def flat(text: str) -> str:
    """Extracted text without the line breaks and spaces pypdf puts between wrapped lines."""
    return "".join(text.split())


MM = 72 / 25.4  # points in a millimetre
FRAME_FOOT = 20 * MM  # the HR documents' bottom margin: the footer lies below it


def space_left_mm(data: bytes) -> list[float]:
    """For each page, the millimetres between its lowest line of body text and the foot of
    the frame it flows in (the footer below the frame does not count)."""
    left = []
    for page in read_pdf(data).pages:
        baselines = []

        def visit(text, cm, tm, _font, _size, baselines=baselines):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text matrix, then the page's
            if text.strip() and y > FRAME_FOOT:
                baselines.append(y)

        page.extract_text(visitor_text=visit)
        left.append(round((min(baselines) - FRAME_FOOT) / MM, 1))
    return left
