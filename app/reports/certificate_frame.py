"""The certificate's drawn decoration: borders, ornaments and the 已撤销 stamp (no images)."""

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from app.reports.palette import ACCENT, GOLD

PAPER = colors.HexColor("#FBF7EC")
OUTER, INNER, FRAME = 18, 28, 38  # insets in points of the red border, red rule, gold frame
BEAD_STEP = 14


def draw_border(canvas: Canvas, page: tuple[float, float]) -> None:
    """Paper tone, a heavy red border, a thin red rule, a band of gold beads, a gold frame."""
    width, height = page
    canvas.saveState()
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(5)
    _inset_rect(canvas, page, OUTER)
    canvas.setLineWidth(1)
    _inset_rect(canvas, page, INNER)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    _inset_rect(canvas, page, FRAME)
    canvas.setLineWidth(0.4)
    _inset_rect(canvas, page, FRAME + 4)
    _draw_beads(canvas, page)
    for corner in _corners(page, FRAME + 4):
        _draw_corner(canvas, *corner)
    canvas.restoreState()


def _inset_rect(canvas: Canvas, page, inset: float) -> None:
    canvas.rect(inset, inset, page[0] - 2 * inset, page[1] - 2 * inset, stroke=1, fill=0)


def _draw_beads(canvas: Canvas, page) -> None:
    """Small gold diamonds between the red rule and the gold frame, all the way round."""
    width, height = page
    middle = (INNER + FRAME) / 2
    canvas.setFillColor(GOLD)
    x = middle + BEAD_STEP
    while x < width - middle - BEAD_STEP / 2:
        _diamond(canvas, x, middle, 1.8)
        _diamond(canvas, x, height - middle, 1.8)
        x += BEAD_STEP
    y = middle + BEAD_STEP
    while y < height - middle - BEAD_STEP / 2:
        _diamond(canvas, middle, y, 1.8)
        _diamond(canvas, width - middle, y, 1.8)
        y += BEAD_STEP


def _corners(page, inset: float):
    """Each inner corner with the directions pointing into the page."""
    width, height = page
    return [(inset, inset, 1, 1), (width - inset, inset, -1, 1),
            (inset, height - inset, 1, -1), (width - inset, height - inset, -1, -1)]


def _draw_corner(canvas: Canvas, x: float, y: float, dx: int, dy: int) -> None:
    """A fret-like corner: two nested L-shaped rules and a red diamond in the angle."""
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    for offset, length in ((6, 46), (12, 30)):
        path = canvas.beginPath()
        path.moveTo(x + dx * offset, y + dy * (offset + length))
        path.lineTo(x + dx * offset, y + dy * offset)
        path.lineTo(x + dx * (offset + length), y + dy * offset)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.setFillColor(ACCENT)
    _diamond(canvas, x + dx * 22, y + dy * 22, 4)


def _diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def draw_ornament_rule(canvas: Canvas, centre: float, y: float, width: float) -> None:
    """A gold rule under the heading, broken by a red diamond in the middle."""
    canvas.saveState()
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(centre - width / 2, y, centre - 12, y)
    canvas.line(centre + 12, y, centre + width / 2, y)
    canvas.setFillColor(GOLD)
    _diamond(canvas, centre - width / 2, y, 2)
    _diamond(canvas, centre + width / 2, y, 2)
    canvas.setFillColor(ACCENT)
    _diamond(canvas, centre, y, 5)
    canvas.restoreState()


def draw_revoked_stamp(canvas: Canvas, page, font_name: str) -> None:
    """A large red 已撤销 across the page, boxed and tilted like a rubber stamp."""
    width, height = page
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(24)
    canvas.setFillColor(colors.HexColor("#D0021B"), alpha=0.55)
    canvas.setStrokeColor(colors.HexColor("#D0021B"), alpha=0.55)
    canvas.setLineWidth(6)
    canvas.roundRect(-220, -70, 440, 140, 14, stroke=1, fill=0)
    canvas.setLineWidth(1.5)
    canvas.roundRect(-206, -56, 412, 112, 10, stroke=1, fill=0)
    canvas.setFont(font_name, 96)
    canvas.drawCentredString(0, -34, "已撤销", charSpace=14)
    canvas.restoreState()
