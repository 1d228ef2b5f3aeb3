"""The HR page frame: a header on every page and a footer that knows the page count.

"共 y 页" is only known once the whole story is laid out, so ``FramedCanvas`` keeps each
finished page instead of writing it, and draws the footers when the document is saved.
"""

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.reports.palette import ACCENT, INK, MUTED, RULE

INTERNAL_MARK = "内部资料"


FOOTER_SIZE = 8.5


@dataclass(frozen=True)
class PageFrame:
    title: str
    unit: str
    year: str
    generated_by: str
    generated_at: str
    font_name: str

    def draw_header(self, canvas: Canvas, document) -> None:
        """The onPage callback: title, unit and year above the frame, 内部资料 at the right."""
        width, height = canvas._pagesize
        left, right = document.leftMargin, width - document.rightMargin
        top = height - 12 * mm
        canvas.saveState()
        mark_width = pdfmetrics.stringWidth(INTERNAL_MARK, self.font_name, 9) + 6 * mm
        canvas.setStrokeColor(ACCENT)
        canvas.setFillColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.rect(right - mark_width, top - 2.2 * mm, mark_width, 6 * mm, stroke=1, fill=0)
        canvas.setFont(self.font_name, 9)
        canvas.drawCentredString(right - mark_width / 2, top - 0.2 * mm, INTERNAL_MARK)
        canvas.setFillColor(INK)
        canvas.setFont(self.font_name, 11)
        room = right - left - mark_width - 6 * mm
        canvas.drawString(left, top, fit_text(self.title, self.font_name, 11, room))
        canvas.setFillColor(MUTED)
        canvas.setFont(self.font_name, 8.5)
        canvas.drawString(left, top - 5 * mm, fit_text(f"{self.unit} · {self.year} 年度",
                                                   self.font_name, 8.5, room))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 7.5 * mm, right, top - 7.5 * mm)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas, number: int, total: int | None = None, *,
                    total_form: str | None = None) -> None:
        """Generated when and by whom at the left, 第 x 页 / 共 y 页 at the right.

        A document written page by page does not know y yet: it passes ``total_form``, a
        form it draws with "y 页" once the last page is done, and the footer shows that form.
        """
        width, _ = canvas._pagesize
        left, right = 18 * mm, width - 18 * mm
        bottom = 11 * mm
        total_room = pdfmetrics.stringWidth("99999 页", self.font_name, FOOTER_SIZE) \
            if total_form else 0
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, bottom + 4.5 * mm, right, bottom + 4.5 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(self.font_name, FOOTER_SIZE)
        generated = f"生成时间：{self.generated_at}  生成人：{self.generated_by}  {INTERNAL_MARK}"
        room = right - left - 40 * mm - total_room
        canvas.drawString(left, bottom, fit_text(generated, self.font_name, FOOTER_SIZE, room))
        if total_form is None:
            canvas.drawRightString(right, bottom, f"第 {number} 页 / 共 {total} 页")
        else:
            canvas.drawRightString(right - total_room, bottom, f"第 {number} 页 / 共 ")
            canvas.translate(right - total_room, bottom)
            canvas.doForm(total_form)
        canvas.restoreState()


class FramedCanvas(Canvas):
    """A canvas that holds its pages back until ``save`` so each footer can say 共 y 页."""

    def __init__(self, *args, frame: PageFrame, **kwargs):
        super().__init__(*args, **kwargs)
        self._frame = frame
        self._held_pages: list[dict] = []

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for number, page in enumerate(self._held_pages, start=1):
            self.__dict__.update(page)
            self._frame.draw_footer(self, number, total)
            super().showPage()
        super().save()


def fit_text(text: str, font_name: str, size: float, max_width: float) -> str:
    """``text`` cut with … so that it fits ``max_width`` points (long Chinese unit names)."""
    if pdfmetrics.stringWidth(text, font_name, size) <= max_width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font_name, size) > max_width:
        text = text[:-1]
    return text + "…"
