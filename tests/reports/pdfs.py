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
