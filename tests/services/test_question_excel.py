"""The question workbook: template, export, and reading uploads that may be hostile.

Malicious files are built here with zipfile (never committed as binary fixtures)."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.domain.question_sheets import COLUMNS
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Course, Question
from app.services.core.access import add_course_owner
from app.services.curriculum.authoring.question_excel import (
    WorkbookRefused,
    export_question_workbook,
    import_question_workbook,
    preview_question_workbook,
    question_template,
    read_question_workbook,
)
from app.services.curriculum.authoring.questions import ImportRefused
from app.services.curriculum.course_files.importing import import_courses
from tests.course_trees import copy_question_fixtures
from tests.factories import make_course, make_user

HEADER = [column.header for column in COLUMNS]


def xlsx(rows, *, title="题目", extra=None, build=None) -> bytes:
    """A workbook whose sheet `title` holds `rows` (lists of cell values)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for values in rows:
        sheet.append(values)
    if extra:
        workbook.create_sheet(extra).append(["随便写点什么", "=1+1"])
    if build:
        build(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def cells(**values):
    return [values.get(column.key) for column in COLUMNS]


def true_false(prompt="题干", **values):
    return cells(**{"type": "判断题", "area": "数据素养与决策", "difficulty": 1, "points": 1,
                    "prompt": prompt, "answer": "对", **values})


def rewrite(data: bytes, name: str, transform) -> bytes:
    """The same zip with one member's bytes transformed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, transform(content) if info.filename == name
                            else content)
    return output.getvalue()


@pytest.fixture
def owner(tree):
    return make_user(unit=tree["jiefangbei"], roles=[RoleName.TRAINER])


@pytest.fixture
def course(owner):
    course = make_course("DA110")
    add_course_owner(course, owner, actor=None)
    return course


def _count():
    return db.session.scalar(select(func.count()).select_from(Question))


def test_the_template_has_its_sheets_headers_guide_and_lists():
    workbook = load_workbook(io.BytesIO(question_template()))
    assert workbook.sheetnames == ["题目", "说明", "取值"]
    sheet = workbook["题目"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["题号", "题型", "能力领域", "难度", "分值", "题干"]
    assert {"选项A", "选项F", "选项J", "匹配项1", "正确答案", "容差", "单位", "解析"} \
        <= set(headers)
    lists = {str(validation.sqref).split(":")[0]: validation.formula1
             for validation in sheet.data_validations.dataValidation}
    assert "单选题" in lists["B2"] and "数据安全与隐私" in lists["C2"]
    guide = [row[0].value for row in workbook["说明"].iter_rows(min_row=2)]
    assert "正确答案" in guide and "题干" in guide


def test_export_then_import_changes_nothing(tmp_path, owner):
    import_courses(copy_question_fixtures(tmp_path / "courses"), actor=None)
    course = db.session.scalar(select(Course).where(Course.code == "QZ101"))
    add_course_owner(course, owner, actor=None)
    data = export_question_workbook(course, actor=owner)
    rows = list(load_workbook(io.BytesIO(data))["题目"].values)
    assert [row[0] for row in rows[1:]] == [f"QZ101-Q0{n}" for n in range(1, 9)]
    preview = preview_question_workbook(course, data, actor=owner)
    assert preview.problems == []
    assert [item.action for item in preview.planned] == ["unchanged"] * 8
    assert import_question_workbook(course, data, actor=owner) == {
        "created": 0, "updated": 0, "unchanged": 8}


def test_an_edited_export_updates_and_adds(tmp_path, owner):
    import_courses(copy_question_fixtures(tmp_path / "courses"), actor=None)
    course = db.session.scalar(select(Course).where(Course.code == "QZ101"))
    add_course_owner(course, owner, actor=None)
    workbook = load_workbook(io.BytesIO(export_question_workbook(course, actor=owner)))
    sheet = workbook["题目"]
    sheet["F2"] = "改过的题干"
    sheet.append(true_false("新的判断题"))
    output = io.BytesIO()
    workbook.save(output)
    counts = import_question_workbook(course, output.getvalue(), actor=owner)
    assert counts == {"created": 1, "updated": 1, "unchanged": 7}
    assert db.session.scalar(select(Question.version).where(Question.key == "QZ101-Q01")) == 2
    assert db.session.scalar(select(Question.prompt).where(Question.key == "QZ101-Q09")) == \
        "新的判断题"


def test_empty_rows_extra_sheets_and_english_headers(course, owner):
    english = ["key", "type", "area", "difficulty", "points", "prompt", "answer"]
    data = xlsx([english, ["", "truefalse", "data", 1, 1, "一", "true"], [], [None, None],
                 ["", "truefalse", "data", 1, 1, "二", "F"]], title="Questions",
                extra="备注")
    preview = preview_question_workbook(course, data, actor=owner)
    assert preview.problems == []
    assert [item.place for item in preview.planned] == [2, 5]


def _problems(course, owner, data):
    preview = preview_question_workbook(course, data, actor=owner)
    with pytest.raises(ImportRefused):
        import_question_workbook(course, data, actor=owner)
    assert _count() == 0
    return [(p.place, p.column, p.letter, p.issue.code, p.issue.params) for p in preview.problems]


def test_a_formula_is_a_problem_at_its_cell(course, owner):
    data = xlsx([HEADER, true_false(), true_false(points="=1+1")])
    assert _problems(course, owner, data) == [(3, "分值", "E", "formula", {"cell": "E3"})]


def test_merged_cells_are_a_problem_naming_the_range(course, owner):
    data = xlsx([HEADER, true_false(), true_false()],
                build=lambda sheet: sheet.merge_cells("C2:C3"))
    problems = _problems(course, owner, data)
    assert (2, "能力领域", "C", "merged", {"range": "C2:C3"}) in problems


def test_every_problem_names_row_and_column(course, owner):
    data = xlsx([HEADER, true_false(), true_false(answer="也许"),
                 true_false(area="天文", difficulty=7)])
    assert [(place, column, letter, code) for place, column, letter, code, _ in
            _problems(course, owner, data)] == [
        (3, "正确答案", "Y", "truefalse"),
        (4, "能力领域", "C", "unknown_area"), (4, "难度", "D", "difficulty_range")]


@pytest.mark.parametrize(("data", "code"), [
    (b"key,type\n1,2\n", "not_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old_xls"),
    (b"x" * (10 * 1024 * 1024 + 1), "too_large"),
])
def test_files_that_are_not_workbooks_are_refused(course, owner, data, code):
    with pytest.raises(WorkbookRefused) as refused:
        preview_question_workbook(course, data, actor=owner)
    assert refused.value.code == code


def test_a_zip_that_is_not_a_workbook_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(WorkbookRefused) as refused:
        read_question_workbook(output.getvalue())
    assert refused.value.code == "not_xlsx"


def test_a_workbook_without_the_questions_sheet(course, owner):
    with pytest.raises(WorkbookRefused) as refused:
        preview_question_workbook(course, xlsx([HEADER], title="Sheet1"), actor=owner)
    assert (refused.value.code, refused.value.params) == ("no_sheet", {"sheets": "Sheet1"})


def test_a_zip_bomb_is_refused_before_it_is_opened(monkeypatch):
    """The sheet unpacks to 200 MB from a few hundred kilobytes."""
    def bomb(_content):
        return b"<worksheet>" + b" " * (200 * 1024 * 1024) + b"</worksheet>"

    data = rewrite(xlsx([HEADER]), "xl/worksheets/sheet1.xml", bomb)
    assert len(data) < 1024 * 1024
    monkeypatch.setattr("app.services.curriculum.authoring.question_excel.load_workbook",
                        lambda *args, **kwargs: pytest.fail("the bomb was opened"))
    with pytest.raises(WorkbookRefused) as refused:
        read_question_workbook(data)
    assert refused.value.code == "zip_bomb"


def _body(content: bytes) -> bytes:
    """An XML part without its declaration, if it has one."""
    return content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content


#: Nine levels of ten: "&lol9;" would expand to a billion "lol"s (3 GB).
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n'
          + b"".join(b' <!ENTITY lol%d "%s">\n' % (level, b"&lol%d;" % (level - 1) * 10)
                     for level in range(1, 10))
          + b"]>\n")


def test_billion_laughs_is_refused_not_expanded():
    def poison(content):
        cell = b'<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        return LAUGHS + _body(content).replace(b"</sheetData>", cell + b"</sheetData>", 1)

    data = rewrite(xlsx([HEADER, true_false()]), "xl/worksheets/sheet1.xml", poison)
    with pytest.raises(WorkbookRefused) as refused:  # refused, not expanded to 3 GB
        read_question_workbook(data)
    assert refused.value.code == "xml_entities"


def test_entities_in_the_workbook_part_are_refused_too():
    data = rewrite(xlsx([HEADER]), "xl/workbook.xml",
                   lambda content: LAUGHS + _body(content))
    with pytest.raises(WorkbookRefused) as refused:
        read_question_workbook(data)
    assert refused.value.code == "xml_entities"


def test_more_rows_than_the_limit_are_refused(course, owner):
    data = xlsx([HEADER] + [true_false(f"题{n}") for n in range(10_001)])
    with pytest.raises(WorkbookRefused) as refused:
        preview_question_workbook(course, data, actor=owner)
    assert (refused.value.code, refused.value.params) == ("too_many", {"limit": 10_000})


def test_ten_thousand_rows_import_in_bulk(course, owner, count_queries):
    data = xlsx([HEADER] + [true_false(f"第{n}题") for n in range(10_000)])
    with count_queries() as counter:
        counts = import_question_workbook(course, data, actor=owner)
    assert counts["created"] == 10_000 and _count() == 10_000
    # Bulk statements: nowhere near one query per row.
    assert counter.count < 100
    assert db.session.scalar(select(func.max(Question.key))) == "DA110-Q9999"
