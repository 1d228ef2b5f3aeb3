"""Slides of a demo lecture as 1280x720 PNG images, drawn with Pillow.

The design follows the documents' palette (app.reports.palette): a red title band, bullets
with square markers, and a footer with the course title and the slide number. The CJK font is
the one the PDFs use (app.reports.theme), so a machine that prints Chinese PDFs draws these.
"""

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.domain.lecture_script import Slide
from app.reports.palette import ACCENT, GOLD, HEADER_FILL, INK, MUTED, RULE
from app.reports.theme import register_cjk_font

WIDTH, HEIGHT = 1280, 720
MARGIN = 80
BAND_HEIGHT = 150
FOOTER_HEIGHT = 56
BULLET_SIZES = (38, 34, 30, 27)  # pixels, the first at which the bullets fit
BULLET_GAP = 26
WHITE = (255, 255, 255)
PAPER = (251, 252, 253)


class MissingFontError(RuntimeError):
    """No TrueType CJK font: the slides would show boxes instead of Chinese."""


def _rgb(colour) -> tuple[int, int, int]:
    return tuple(round(part * 255) for part in colour.rgb())


@dataclass(frozen=True)
class _Fonts:
    path: str

    def size(self, pixels: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(self.path, pixels, index=0)


def cjk_font_path(configured_path: str = "") -> str:
    """The TrueType CJK font file the PDFs embed; the lecture cannot be drawn without one."""
    path = register_cjk_font(configured_path).path
    if path is None:
        raise MissingFontError("no TrueType CJK font found for the lecture slides: install "
                               "fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei) or set "
                               "CJK_FONT_PATH")
    return path


def render_slides(slides: list[Slide], course_title: str, out_dir: Path,
                  font_path: str) -> list[Path]:
    """One PNG per slide, named slide-01.png and so on, in ``out_dir``."""
    fonts = _Fonts(font_path)
    paths = []
    for number, slide in enumerate(slides, start=1):
        image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
        draw = ImageDraw.Draw(image)
        if number == 1:
            _draw_title_slide(draw, slide, fonts)
        else:
            _draw_content_slide(draw, slide, fonts)
        _draw_footer(draw, course_title, f"{number} / {len(slides)}", fonts)
        path = out_dir / f"slide-{number:02d}.png"
        image.save(path, optimize=False)
        paths.append(path)
    return paths


def _draw_title_slide(draw: ImageDraw.ImageDraw, slide: Slide, fonts: _Fonts) -> None:
    draw.rectangle((0, 0, WIDTH, 250), fill=_rgb(ACCENT))
    draw.rectangle((0, 250, WIDTH, 258), fill=_rgb(GOLD))
    title_font = fonts.size(54)
    lines = _wrap(draw, slide.heading, title_font, WIDTH - 2 * MARGIN)[:2]
    top = 125 - len(lines) * 35
    for line in lines:
        draw.text((MARGIN, top), line, font=title_font, fill=WHITE)
        top += 70
    if not slide.bullets:
        return
    draw.text((MARGIN, 300), "本课内容", font=fonts.size(34), fill=_rgb(ACCENT))
    item_font = fonts.size(32)
    top = 365
    for index, item in enumerate(slide.bullets, start=1):
        draw.text((MARGIN + 10, top), f"{index}.", font=item_font, fill=_rgb(MUTED))
        text = _wrap(draw, item, item_font, WIDTH - 2 * MARGIN - 60)[0]
        draw.text((MARGIN + 60, top), text, font=item_font, fill=_rgb(INK))
        top += 52


def _draw_content_slide(draw: ImageDraw.ImageDraw, slide: Slide, fonts: _Fonts) -> None:
    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=_rgb(ACCENT))
    draw.rectangle((0, BAND_HEIGHT, WIDTH, BAND_HEIGHT + 6), fill=_rgb(GOLD))
    heading_font = fonts.size(46 if len(slide.heading) <= 22 else 38)
    heading = _wrap(draw, slide.heading, heading_font, WIDTH - 2 * MARGIN)
    heading_top = (BAND_HEIGHT - 60 * len(heading[:2])) // 2 + 4
    for line in heading[:2]:
        draw.text((MARGIN, heading_top), line, font=heading_font, fill=WHITE)
        heading_top += 60
    bullet_font, wrapped = _fit_bullets(draw, slide.bullets, fonts)
    line_height = bullet_font.size + 14
    top = BAND_HEIGHT + 56
    for lines in wrapped:
        marker = top + bullet_font.size // 2 - 7
        draw.rectangle((MARGIN, marker, MARGIN + 14, marker + 14), fill=_rgb(ACCENT))
        for line in lines:
            draw.text((MARGIN + 40, top), line, font=bullet_font, fill=_rgb(INK))
            top += line_height
        top += BULLET_GAP


def _fit_bullets(draw: ImageDraw.ImageDraw, bullets: tuple[str, ...], fonts: _Fonts):
    """The largest size at which every bullet (two lines at most) fits above the footer."""
    room = HEIGHT - FOOTER_HEIGHT - BAND_HEIGHT - 56 - 30
    for size in BULLET_SIZES:
        font = fonts.size(size)
        wrapped = [_wrap(draw, bullet, font, WIDTH - 2 * MARGIN - 40)[:2] for bullet in bullets]
        height = sum(len(lines) * (size + 14) + BULLET_GAP for lines in wrapped)
        if height <= room:
            break
    return font, wrapped


def _draw_footer(draw: ImageDraw.ImageDraw, course_title: str, page: str,
                 fonts: _Fonts) -> None:
    top = HEIGHT - FOOTER_HEIGHT
    draw.rectangle((0, top, WIDTH, HEIGHT), fill=_rgb(HEADER_FILL))
    draw.line((0, top, WIDTH, top), fill=_rgb(RULE), width=2)
    font = fonts.size(24)
    text_top = top + (FOOTER_HEIGHT - 24) // 2 - 2
    page_width = draw.textlength(page, font=font)
    title = _wrap(draw, course_title, font, WIDTH - 2 * MARGIN - page_width - 40)
    if title:
        draw.text((MARGIN, text_top), title[0], font=font, fill=_rgb(MUTED))
    draw.text((WIDTH - MARGIN - page_width, text_top), page, font=font, fill=_rgb(MUTED))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:
    """Lines that fit ``width``; Chinese breaks between any two characters."""
    lines, current = [], ""
    for char in text:
        if current and draw.textlength(current + char, font=font) > width:
            lines.append(current)
            current = char.lstrip()
        else:
            current += char
    if current:
        lines.append(current)
    return lines
