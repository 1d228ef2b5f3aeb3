"""Many cadres' training records in ONE PDF, with a bookmark (outline entry) per cadre.

Built for thousands of records: the story is made one record at a time as ReportLab
consumes it (``LazyStory``), and every page is written as soon as it is finished
(``StreamingCanvas``), so memory holds a few records, not the unit. The theme's frame
holds every page back to print 共 y 页; here the total is instead a PDF form drawn once at
the end and referenced by every footer before it exists (a forward reference PDF allows).
Bookmarks are then plain ``bookmarkPage`` calls on the page being drawn. Progress is
reported twice per cadre: when its record is assembled and when its first page is laid out.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

from app.domain.learning import CITY_TIMEZONE
from app.reports.cadre_record import CadreRecord, Writer, cadre_record_story, document_title
from app.reports.frame import FOOTER_SIZE, PageFrame
from app.reports.palette import MUTED
from app.reports.theme import FontChoice, drawable_text, register_cjk_font

Progress = Callable[[int, int], None]
#: Report progress every this many steps (each report may be a database write).
PROGRESS_EVERY = 50
#: Flowables kept ahead of ReportLab's layout (a record has about forty).
LOOKAHEAD = 200
TOTAL_FORM = "page-total"


class LazyStory(list):
    """A story list that fills itself from ``parts`` as ReportLab takes flowables off it.

    ReportLab's build loop asks ``len(flowables)`` before each flowable and removes it
    from the front: refilling there keeps about LOOKAHEAD flowables in memory.
    """

    def __init__(self, parts: Iterator[list[Flowable]]):
        super().__init__()
        self._parts: Iterator[list[Flowable]] | None = parts
        self._refill()

    def _refill(self) -> None:
        while self._parts is not None and super().__len__() < LOOKAHEAD:
            part = next(self._parts, None)
            if part is None:
                self._parts = None
            else:
                self.extend(part)

    def __len__(self) -> int:
        self._refill()
        return super().__len__()


class StreamingCanvas(Canvas):
    """Writes each page when it is finished; its footer points at the TOTAL_FORM."""

    def __init__(self, *args, frame: PageFrame, **kwargs):
        super().__init__(*args, **kwargs)
        self._frame = frame

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._frame.draw_footer(self, self.getPageNumber(), total_form=TOTAL_FORM)
        super().showPage()

    def save(self):
        pages = self.getPageNumber() - 1  # the counter already points at the next page
        self.beginForm(TOTAL_FORM)
        self.setFillColor(MUTED)
        self.setFont(self._frame.font_name, FOOTER_SIZE)
        self.drawString(0, 0, f"{pages} 页")
        self.endForm()
        super().save()


class CadreMark(Flowable):
    """Zero-size marker at the top of a cadre's record: its bookmark, and progress."""

    def __init__(self, key: str, title: str, on_drawn: Callable[[], None]):
        super().__init__()
        self.key, self.title, self.on_drawn = key, title, on_drawn

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)
        self.on_drawn()


class _Counter:
    """Counts steps and tells ``progress`` every PROGRESS_EVERY steps and at the end."""

    def __init__(self, total_steps: int, progress: Progress | None):
        self.done, self.total, self.progress = 0, total_steps, progress

    def step(self) -> None:
        self.done += 1
        if self.progress and (self.done % PROGRESS_EVERY == 0 or self.done == self.total):
            self.progress(self.done, self.total)


def _parts(records: Iterable[CadreRecord], font: FontChoice,
           counter: _Counter) -> Iterator[list[Flowable]]:
    empty = True
    for number, record in enumerate(records, start=1):
        mark = CadreMark(f"cadre-{number}", f"{record.name}（{record.unit_name}）", counter.step)
        yield [*([PageBreak()] if number > 1 else []), mark, *cadre_record_story(record, font)]
        counter.step()
        empty = False
    if empty:
        yield [Writer(font).text(_("This unit has no active cadres."))]


def render_batch_pdf(records: Iterable[CadreRecord], *, total: int, unit_name: str,
                     year: int, generated_by: str, generated_at: datetime,
                     progress: Progress | None = None, font_path: str = "") -> bytes:
    """One document, every record on new pages; ``progress(done, 2 × total)``.

    ``records`` may be a lazy iterator: it is consumed while the document is laid out.
    """
    font = register_cjk_font(font_path)
    title = _("Training records of %(unit)s", unit=unit_name)
    frame = PageFrame(
        title=drawable_text(title, font), unit=drawable_text(unit_name, font), year=str(year),
        generated_by=drawable_text(generated_by, font),
        generated_at=generated_at.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M"),
        font_name=font.name)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=frame.title, author=frame.generated_by,
        subject=f"{document_title()} · {frame.unit} {frame.year}", creator="干部数字学院",
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=26 * mm, bottomMargin=20 * mm)
    story = LazyStory(_parts(records, font, _Counter(2 * total, progress)))
    document.build(story, onFirstPage=_first_page(frame), onLaterPages=frame.draw_header,
                   canvasmaker=lambda *args, **kwargs: StreamingCanvas(*args, frame=frame,
                                                                       **kwargs))
    return buffer.getvalue()


def _first_page(frame: PageFrame):
    def draw(canvas, document):
        canvas.showOutline()  # readers open with the bookmarks panel
        frame.draw_header(canvas, document)

    return draw
