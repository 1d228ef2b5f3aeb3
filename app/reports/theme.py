"""What every PDF shares: the CJK font, paragraph styles, escaping and the HR page frame.

Plain data in, bytes out: nothing here reads the database, the request or the app config;
callers pass the configured font path (``CJK_FONT_PATH``) to ``register_cjk_font``.
"""

import functools
import io
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from app.reports.frame import FramedCanvas, PageFrame, fit_text  # noqa: F401 - re-exported
from app.reports.palette import ACCENT, HEADER_FILL, INK, MUTED, RULE, STRIPE_FILL

log = logging.getLogger(__name__)

#: Debian packages whose CJK fonts ReportLab can embed (TrueType outlines). fonts-noto-cjk is
#: missing on purpose: its CFF outlines make ReportLab's TTFont fail.
SEARCH_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
)
FALLBACK_FONT = "STSong-Light"
MISSING_GLYPH = "□"  # what a character the font cannot draw becomes (the usual 缺字 mark)



@dataclass(frozen=True)
class FontChoice:
    """The registered CJK font. ``bold`` is the same face: CJK fonts ship no bold file."""

    name: str
    bold: str
    path: str | None  # the embedded TrueType file, None for the STSong-Light fallback
    embedded: bool


@functools.lru_cache(maxsize=8)
def register_cjk_font(configured_path: str = "") -> FontChoice:
    """Register the CJK font once: the configured file, else a known Debian font, else STSong."""
    candidates = ([configured_path] if configured_path else []) + list(SEARCH_PATHS)
    for path in candidates:
        if not Path(path).is_file():
            if path == configured_path:
                log.warning("CJK_FONT_PATH %s does not exist; looking for another font", path)
            continue
        try:
            return _register_truetype(path)
        except Exception as error:  # a font ReportLab cannot read must not crash
            log.warning("ReportLab cannot use the font %s (%s); trying the next one", path, error)
    log.warning(
        "No TrueType CJK font found: PDFs use %s, which is not embedded and shows only in "
        "readers that have Chinese fonts. Install one (apt-get install fonts-wqy-zenhei) or "
        "set CJK_FONT_PATH to a .ttf/.ttc file with TrueType outlines.",
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    _register_family(FALLBACK_FONT)
    return FontChoice(name=FALLBACK_FONT, bold=FALLBACK_FONT, path=None, embedded=False)


def _register_truetype(path: str) -> FontChoice:
    name = "CJK-" + re.sub(r"[^A-Za-z0-9]+", "-", Path(path).stem)
    # ReportLab embeds a subset of a TTFont: only the glyphs a document uses.
    font = TTFont(name, path, subfontIndex=0) if path.lower().endswith(".ttc") else TTFont(
        name, path
    )
    pdfmetrics.registerFont(font)
    _register_family(name)
    return FontChoice(name=name, bold=name, path=path, embedded=True)


def _register_family(name: str) -> None:
    # <b> and <i> in a Paragraph look up the family; without it they raise.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


@functools.lru_cache(maxsize=8)
def _glyphs(font_name: str) -> frozenset[int] | None:
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    char_to_glyph = getattr(face, "charToGlyph", None)
    return frozenset(char_to_glyph) if char_to_glyph else None


def drawable_text(text: object, font: FontChoice | None = None) -> str:
    """``text`` with what the font cannot draw replaced by □ and invisible joiners dropped.

    Emoji are the usual case: the CJK fonts have none, and ReportLab would draw nothing or
    garbage. The STSong fallback has no character map to ask, so only characters outside
    the Basic Multilingual Plane are replaced there.
    """
    font = font or register_cjk_font()
    glyphs = _glyphs(font.name) if font.embedded else None
    kept = []
    for char in "" if text is None else str(text):
        category = unicodedata.category(char)
        if (category in ("Cc", "Cf") and char not in "\n\t") or _is_variation_selector(char):
            continue  # controls, zero-width joiners, emoji presentation selectors
        missing = ord(char) not in glyphs if glyphs is not None else ord(char) > 0xFFFF
        kept.append(MISSING_GLYPH if missing and not char.isspace() else char)
    return "".join(kept)


def _is_variation_selector(char: str) -> bool:
    return 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF


def escape_markup(text: object, font: FontChoice | None = None) -> str:
    """User-supplied text made safe for a ReportLab ``Paragraph``: markup shows as text."""
    text = drawable_text(text, font)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle


@functools.lru_cache(maxsize=8)
def paragraph_styles(font: FontChoice) -> Styles:
    """Paragraph styles on the CJK font; ``wordWrap="CJK"`` lets Chinese break anywhere."""

    def style(name, size, leading, **extra):
        extra.setdefault("textColor", INK)
        return ParagraphStyle(
            name, fontName=font.name, fontSize=size, leading=leading, wordWrap="CJK", **extra
        )

    return Styles(
        title=style("cjk-title", 18, 26, alignment=TA_CENTER, spaceAfter=10),
        heading=style("cjk-heading", 13, 19, spaceBefore=8, spaceAfter=4, textColor=ACCENT),
        body=style("cjk-body", 10.5, 16, spaceAfter=4),
        small=style("cjk-small", 8.5, 12, textColor=MUTED),
        cell=style("cjk-cell", 9, 12),
    )


def build_document(
    story: list[Flowable],
    *,
    title: str,
    unit: str,
    year: int | str,
    generated_by: str,
    generated_at: datetime | str,
    pagesize=A4,
    font: FontChoice | None = None,
) -> bytes:
    """A multi-page HR document: every page carries the title, unit, year, page x / y,
    when and by whom it was generated, and 内部资料."""
    font = font or register_cjk_font()
    if isinstance(generated_at, datetime):
        generated_at = generated_at.strftime("%Y-%m-%d %H:%M")
    frame = PageFrame(
        title=drawable_text(title, font), unit=drawable_text(unit, font), year=str(year),
        generated_by=drawable_text(generated_by, font), generated_at=generated_at,
        font_name=font.name,
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=pagesize, title=frame.title, author=frame.generated_by,
        subject=f"{frame.unit} {frame.year}", creator="干部数字学院",
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=26 * mm, bottomMargin=20 * mm,
    )
    document.build(
        list(story) or [Spacer(0, 0)],
        onFirstPage=frame.draw_header,
        onLaterPages=frame.draw_header,
        canvasmaker=functools.partial(FramedCanvas, frame=frame),
    )
    return buffer.getvalue()


def split_table(
    rows: Sequence[Sequence],
    header: Sequence,
    col_widths: Sequence[float] | None,
    chunk: int = 45,
    *,
    font: FontChoice | None = None,
) -> list[Flowable]:
    """Long tables as ``chunk``-row tables, each repeating the header.

    ReportLab lays one huge Table out again at every page split: 10,000 rows in one Table
    take about 4× as long as the same rows in 45-row tables (benchmarks/pdf_tables.py).
    Cells may be strings (not wrapped, fast) or Paragraphs (wrapped).
    """
    font = font or register_cjk_font()
    style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font.name),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 12),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE_FILL]),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ])
    chunk = max(1, chunk)
    starts = range(0, len(rows), chunk) if rows else [0]
    return [
        Table([list(header), *map(list, rows[start:start + chunk])], colWidths=col_widths,
              repeatRows=1, style=style, hAlign="LEFT")
        for start in starts
    ]
