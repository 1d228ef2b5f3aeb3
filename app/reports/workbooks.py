"""Excel workbooks (openpyxl): plain rows in, bytes out.

One sheet per workbook, streamed with ``Workbook(write_only=True)`` so that a list of any
length takes little memory: a bold header row frozen in place, set column widths, number
formats on numeric columns (percent, 0.0 hours), and every text cell made harmless with
app.domain.spreadsheet.safe_cell (a name like ``=HYPERLINK(...)`` is stored as text, never
as a formula). Characters XML cannot carry (control characters) are dropped.

The three HR tables (a unit's child units, its cadres, its compliance list) are built from
the dashboard service's dataclasses; ``label`` turns vocabulary members into display text.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.domain.spreadsheet import safe_cell

NUMBER_FORMATS = {"integer": "0", "percent": "0.0%", "hours": "0.0", "score": "0.0",
                  "date": "yyyy-mm-dd"}
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    #: "text" or one of NUMBER_FORMATS.
    kind: str = "text"


def clean_text(value) -> str:
    """A text cell's value: formula-safe, without characters an xlsx file cannot hold."""
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def _column_writer(sheet, column: Column):
    """A function from a value to what to append: one reused styled cell per column.

    A write-only sheet serialises each row as it is appended, so a column's cell can carry
    the next row's value; creating a styled cell per value would cost far more.
    """
    if column.kind == "text":
        return clean_text
    cell = WriteOnlyCell(sheet)
    cell.number_format = NUMBER_FORMATS[column.kind]

    def write(value):
        if value is None:
            return None
        cell.value = value
        return cell

    return write


def build_workbook(sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence]
                   ) -> bytes:
    """An .xlsx file of one sheet: the header row, then one row per item of ``rows``."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=clean_text(sheet_title).translate(
        _SHEET_TITLE_FORBIDDEN)[:31] or "Sheet1")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=clean_text(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    writers = [_column_writer(sheet, column) for column in columns]
    for row in rows:
        sheet.append([write(value) for write, value in zip(writers, row, strict=True)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _columns(*specs) -> list[Column]:
    return [Column(str(header), width, kind) for header, width, kind in specs]


Label = Callable[[object], str]


def units_workbook(dashboard, *, label: Label) -> bytes:
    """The dashboard's table of child units (a UnitDashboard)."""
    columns = _columns(
        (_l("Unit code"), 14, "text"), (_l("Org unit"), 28, "text"), (_l("Level"), 12, "text"),
        (_l("Cadres"), 10, "integer"), (_l("Enrolled"), 10, "integer"),
        (_l("Completion"), 12, "percent"), (_l("Average hours"), 14, "hours"),
        (_l("On target"), 12, "percent"), (_l("Average score"), 14, "score"))
    own = str(_l("(directly in the unit)"))
    rows = ((row.unit.code, f"{row.unit.name} {own}" if row.own else row.unit.name,
             label(row.unit.level), row.figures.cadres, row.figures.enrolled,
             row.figures.completion_rate, row.figures.average_hours,
             row.figures.on_target_rate, row.figures.average_score)
            for row in dashboard.children)
    return build_workbook(f"{dashboard.unit.name} {dashboard.year}", columns, rows)


#: A cadre's year by kind and five-year standing (app.domain.unit_figures.HoursByKind).
_HOURS_BY_KIND_COLUMNS = (
    (_l("Online"), 10, "hours"), (_l("Online minimum"), 12, "integer"),
    (_l("Face-to-face"), 10, "hours"), (_l("Recognized"), 10, "hours"),
    (_l("Five years"), 12, "hours"), (_l("Five-year target"), 12, "integer"))


def _hours_by_kind(kinds) -> tuple:
    return (kinds.online, kinds.online_minimum, kinds.face_to_face, kinds.recognized,
            kinds.five_year, kinds.five_year_target)


def cadres_workbook(title: str, cadres: Iterable, *, label: Label) -> bytes:
    """A unit's cadres (CadreRow items, e.g. streamed from iter_unit_cadres)."""
    columns = _columns(
        (_l("Employee number"), 14, "text"), (_l("Name"), 14, "text"),
        (_l("Org unit"), 24, "text"), (_l("Rank"), 14, "text"),
        (_l("Work category"), 16, "text"), (_l("Hours"), 10, "hours"),
        (_l("Hours target"), 12, "integer"), *_HOURS_BY_KIND_COLUMNS,
        (_l("Enrollments"), 12, "integer"),
        (_l("Completed"), 12, "integer"), (_l("Average score"), 14, "score"),
        (_l("Rating"), 12, "text"))
    rows = ((c.username, c.name, c.unit_name, label(c.rank), label(c.category), c.hours,
             c.target, *_hours_by_kind(c.hours_by_kind), c.enrollments, c.completed,
             c.average_score, label(c.rating) if c.rating else "") for c in cadres)
    return build_workbook(title, columns, rows)


def compliance_workbook(compliance, *, label: Label) -> bytes:
    """Cadres behind on hours or with overdue assigned courses (a ComplianceList)."""
    columns = _columns(
        (_l("Employee number"), 14, "text"), (_l("Name"), 14, "text"),
        (_l("Org unit"), 24, "text"), (_l("Rank"), 14, "text"),
        (_l("Work category"), 16, "text"), (_l("Hours"), 10, "hours"),
        (_l("Hours target"), 12, "integer"), (_l("Hours short"), 12, "hours"),
        *_HOURS_BY_KIND_COLUMNS, (_l("Online hours short"), 14, "hours"),
        (_l("Overdue courses"), 14, "integer"), (_l("First overdue since"), 16, "date"))
    rows = ((r.username, r.name, r.unit_name, label(r.rank), label(r.category), r.hours,
             r.target, r.shortfall, *_hours_by_kind(r.hours_by_kind),
             r.hours_by_kind.online_short, r.overdue_courses, r.first_overdue_on)
            for r in compliance.rows)
    return build_workbook(f"{compliance.unit.name} {compliance.year}", columns, rows)
