"""The question bank as an Excel workbook: the template (sheets 题目, 说明, 取值), the
bank exported in exactly that template, and an uploaded workbook read without trusting it.

An upload is checked as a zip before openpyxl opens it (size, members, total unpacked
size, compression ratio: a zip bomb is refused unopened); openpyxl parses the XML through
defusedxml, so entity expansion ("billion laughs") is refused too; formulas and merged
cells are problems at their cells, since what Excel shows there is not what the file holds.
"""

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from app.domain.question_sheets import (
    AREA_LABELS,
    COLUMNS,
    MAX_ROWS,
    SCORING_LABELS,
    SHEET_NAMES,
    TYPE_LABELS,
    Issue,
    column_letter,
    question_cells,
    read_sheet,
)
from app.domain.question_sheets.columns import FALSE_LABEL, TRUE_LABEL, header_key
from app.domain.question_sheets.guide import GUIDE_ROWS
from app.domain.vocabulary import QuestionStatus
from app.extensions import db
from app.models import Course, Question, User
from app.services.core.errors import ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.questions import (
    BankImport,
    ImportProblem,
    PlannedQuestion,
    import_planned,
    plan_bank_import,
    stored_spec,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 1000
#: Spreadsheet XML packs 5-20 times; a zip bomb hundreds or thousands of times.
MAX_RATIO = 100
#: Rows looked at, empty ones included, before giving up on a sheet.
MAX_SCANNED_ROWS = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DATA_ROWS = 2000  # rows of the template that get the drop-down lists
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


class WorkbookRefused(ServiceError):
    """The upload cannot be read as the template at all; `code` says why."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# --- writing ----------------------------------------------------------------------------------

def question_template() -> bytes:
    """The empty template: headers, drop-down lists, the guide and the allowed values."""
    return _workbook([])


def export_question_workbook(course: Course, *, actor: User) -> bytes:
    """The course's active questions in the template, so that importing it changes nothing."""
    ensure_may_edit(actor, course)
    rows = db.session.scalars(select(Question).where(
        Question.course_id == course.id, Question.status == QuestionStatus.ACTIVE))
    questions = sorted((stored_spec(row) for row in rows),
                       key=lambda question: (len(question.key), question.key))
    return _workbook(questions)


def _workbook(questions) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAMES[0])
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[column_letter(index)].width = column.width
    sheet.freeze_panes = "B2"
    header_style = (Font(bold=True), PatternFill("solid", fgColor="DDEBF7"))
    sheet.append([_cell(sheet, column.header, *header_style) for column in COLUMNS])
    _add_lists(sheet, max(len(questions) + 1, _DATA_ROWS))
    for question in questions:
        cells = question_cells(question)
        sheet.append([_cell(sheet, cells.get(column.key)) for column in COLUMNS])
    guide = workbook.create_sheet("说明")
    for width, letter in zip((14, 12, 70, 30), "ABCD", strict=True):
        guide.column_dimensions[letter].width = width
    guide.append([_cell(guide, text, *header_style) for text in ("列名", "英文列名", "说明",
                                                                  "示例")])
    for row in GUIDE_ROWS:
        guide.append([_cell(guide, text, wrap=True) for text in row])
    values = workbook.create_sheet("取值")
    lists = _allowed_values()
    values.append([_cell(values, title, *header_style) for title in lists])
    for index in range(max(len(items) for items in lists.values())):
        values.append([items[index] if index < len(items) else None for items in lists.values()])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _allowed_values() -> dict[str, list]:
    return {"题型": list(TYPE_LABELS.values()), "能力领域": list(AREA_LABELS.values()),
            "难度": [1, 2, 3], "计分方式（多选题）": list(SCORING_LABELS.values()),
            "正确答案（判断题）": [TRUE_LABEL, FALSE_LABEL]}


def _add_lists(sheet, rows: int) -> None:
    letters = {column.key: column_letter(index) for index, column in enumerate(COLUMNS)}
    for key, items in (("type", TYPE_LABELS.values()), ("area", AREA_LABELS.values()),
                       ("difficulty", ("1", "2", "3")), ("scoring", SCORING_LABELS.values())):
        validation = DataValidation(type="list", formula1='"' + ",".join(items) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="取值不在列表中", error="请从下拉列表中选择。")
        validation.add(f"{letters[key]}2:{letters[key]}{rows + 1}")
        sheet.data_validations.append(validation)


def _cell(sheet, value, font=None, fill=None, *, wrap: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text, never a formula: "=…" written by an author stays text in Excel too.
        cell.data_type = "s"
    if font is not None:
        cell.font, cell.fill = font, fill
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


# --- reading ----------------------------------------------------------------------------------

def preview_question_workbook(course: Course, data: bytes, *, actor: User) -> BankImport:
    """What importing this workbook would do (nothing is written); WorkbookRefused when it
    cannot be read as the template at all."""
    ensure_may_edit(actor, course)
    sheet = read_question_workbook(data)
    header, problems = sheet.header, sheet.problems
    reading = read_sheet(header, sheet.rows, course_code=course.code,
                         header_row=sheet.header_row)
    taken = {(problem.place, problem.letter) for problem in problems}
    problems += [ImportProblem(problem.row, problem.issue, problem.column, problem.letter)
                 for problem in reading.problems if (problem.row, problem.letter) not in taken]
    if not reading.questions and not problems:
        problems.append(ImportProblem(1, Issue("", "no_rows")))
    bank_import = BankImport(
        planned=[PlannedQuestion(item.row, item.question) for item in reading.questions],
        problems=sorted(problems, key=lambda problem: problem.place))
    return plan_bank_import(course, bank_import, key_column=_key_column(header))


def import_question_workbook(course: Course, data: bytes, *, actor: User) -> dict[str, int]:
    """Import every row, or none (ImportRefused with the problems)."""
    return import_planned(course, preview_question_workbook(course, data, actor=actor),
                          source="excel", actor=actor)


@dataclass
class SheetCells:
    """The questions sheet as read: its header (on header_row), the non-empty rows under it
    as (row number, values), and the problems found at cells (formulas, merged ranges)."""

    header: list
    header_row: int
    rows: list
    problems: list[ImportProblem]


def read_question_workbook(data: bytes) -> SheetCells:
    _check_archive(data)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - a broken upload may fail anywhere in openpyxl
        raise _unreadable(error) from None
    try:
        sheet = next((workbook[name] for name in workbook.sheetnames
                      if name.strip().lower() in SHEET_NAMES), None)
        if sheet is None:
            raise WorkbookRefused("no_sheet", sheets="、".join(workbook.sheetnames))
        title = sheet.title
        cells = _read_rows(sheet)
    except WorkbookRefused:
        raise
    except Exception as error:  # noqa: BLE001
        raise _unreadable(error) from None
    finally:
        workbook.close()
    cells.problems += _merged_cells(data, title, cells.header)
    return cells


def _unreadable(error: BaseException) -> WorkbookRefused:
    """defusedxml's refusal may come wrapped in openpyxl's own error: look down the chain."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return WorkbookRefused("xml_entities")
        error = error.__cause__ or error.__context__
    return WorkbookRefused("unreadable")


def _check_archive(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookRefused("too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookRefused("old_xls")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkbookRefused("not_xlsx") from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookRefused("not_xlsx")
    unpacked = sum(member.file_size for member in members)
    packed_too_tightly = any(member.file_size > 1024 * 1024
                             and member.file_size > MAX_RATIO * max(member.compress_size, 1)
                             for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or packed_too_tightly:
        raise WorkbookRefused("zip_bomb")


def _read_rows(sheet) -> SheetCells:
    sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
    header: list | None = None
    header_row = 1
    rows: list = []
    problems: list[ImportProblem] = []
    headers: dict[int, str] = {}
    for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        if number > MAX_SCANNED_ROWS:
            raise WorkbookRefused("too_many", limit=MAX_ROWS)
        values = []
        for index, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                problems.append(ImportProblem(number, Issue("", "formula", {
                    "cell": f"{column_letter(index)}{number}"}), headers.get(index, ""),
                    column_letter(index)))
                values.append(None)
            else:
                values.append(cell.value)
        if header is None:
            if any(value not in (None, "") for value in values):
                header, header_row = values, number
                headers = {index: str(value).strip() for index, value in enumerate(values)
                           if value not in (None, "")}
            continue
        if any(value is not None and str(value).strip() for value in values):
            rows.append((number, values))
            if len(rows) > MAX_ROWS:
                raise WorkbookRefused("too_many", limit=MAX_ROWS)
    return SheetCells(header or [], header_row, rows, problems)


def _merged_cells(data: bytes, title: str, header: list) -> list[ImportProblem]:
    """Merged ranges of the questions sheet (read-only openpyxl does not report them)."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        path = _sheet_path(archive, title)
        if path is None or path not in archive.namelist():
            return []
        found: dict[str, None] = {}
        tail = b""
        with archive.open(path) as stream:
            while chunk := stream.read(1024 * 1024):
                text = tail + chunk
                found.update(dict.fromkeys(match.decode() for match in _MERGE.findall(text)))
                tail = text[-512:]
    problems = []
    for cell_range in found:
        first = re.match(r"([A-Z]+)([0-9]+)", cell_range)
        index = _column_index(first[1])
        column = str(header[index]).strip() if index < len(header) and header[index] else ""
        problems.append(ImportProblem(int(first[2]), Issue("", "merged", {"range": cell_range}),
                                      column, first[1]))
    return problems


def _sheet_path(archive: zipfile.ZipFile, title: str) -> str | None:
    try:
        workbook = parse_xml(archive.read("xl/workbook.xml"))
        relations = parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, DefusedXmlException, SyntaxError):
        return None
    targets = {relation.get("Id"): relation.get("Target", "") for relation in relations}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet") and sheet.get("name") == title:
            relation = next((value for name, value in sheet.attrib.items()
                             if name.endswith("}id")), None)
            target = targets.get(relation, "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _key_column(header: list) -> tuple[str, str]:
    for index, text in enumerate(header):
        if text not in (None, "") and header_key(text) == "key":
            return str(text).strip(), column_letter(index)
    return "", ""
