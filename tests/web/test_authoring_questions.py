"""The question bank pages: who may use them, the form of each type, Excel and GIFT imports.

Pages are read in English (the language cookie), so the assertions do not depend on the
state of the Chinese catalog."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.domain.question_sheets import COLUMNS
from app.domain.vocabulary import QuestionStatus, RoleName
from app.extensions import db
from app.models import Question
from app.services.core.access import add_course_owner
from app.services.curriculum.authoring.questions import create_question
from tests.factories import make_course, make_question, make_quiz, make_user

HEADER = [column.header for column in COLUMNS]
COMMON = {"area": "data", "difficulty": "2", "points": "2", "prompt": "题干", "explanation": ""}


@pytest.fixture(autouse=True)
def _uploads_and_language(app, client, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    client.set_cookie("lang", "en")


@pytest.fixture
def course():
    course = make_course("DA110")
    db.session.commit()
    return course


@pytest.fixture
def owner(login_as, course):
    user = login_as(RoleName.TRAINER)
    add_course_owner(course, user, actor=None)
    db.session.commit()
    return user


def _count(*where):
    return db.session.scalar(select(func.count()).select_from(Question).where(*where))


def _question(key):
    db.session.expire_all()
    return db.session.scalar(select(Question).where(Question.key == key))


def _xlsx(rows, *, build=None, title="题目") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for values in rows:
        sheet.append(values)
    if build:
        build(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _row(**values):
    cells = {"type": "判断题", "area": "数据素养与决策", "difficulty": 1, "points": 1,
             "prompt": "题干", "answer": "对", **values}
    return [cells.get(column.key) for column in COLUMNS]


def _upload(client, data, name="questions.xlsx"):
    return client.post("/teaching/courses/DA110/questions/import",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _token(page: str) -> str:
    marker = 'name="token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


# --- access ---------------------------------------------------------------------------------

PAGES = ["/teaching/courses/DA110/questions", "/teaching/courses/DA110/questions/new?type=matching",
         "/teaching/questions/{id}/edit", "/teaching/courses/DA110/questions/template.xlsx",
         "/teaching/courses/DA110/questions/export.xlsx",
         "/teaching/courses/DA110/questions/import",
         "/teaching/courses/DA110/questions/import-gift"]


@pytest.mark.parametrize(("role", "owns", "status"), [
    (None, False, "login"), (RoleName.CADRE, False, 403), (RoleName.HR, False, 403),
    (RoleName.TRAINER, False, 403), (RoleName.TRAINER, True, 200), (RoleName.ADMIN, False, 200),
])
def test_who_may_open_the_pages(client, login_as, course, role, owns, status):
    question = make_question("DA110-Q01", course=course)
    if role is not None:
        user = login_as(role)
        if owns:
            add_course_owner(course, user, actor=None)
    db.session.commit()
    for url in PAGES:
        response = client.get(url.format(id=question.id))
        if status == "login":
            assert response.status_code == 302 and "/auth/login" in response.location, url
        else:
            assert response.status_code == status, url
    for action in ("duplicate", "retire", "restore"):
        response = client.post(f"/teaching/questions/{question.id}/{action}")
        assert response.status_code == (302 if status in ("login", 200) else status), action
    if status == 403:
        assert _count() == 1


def test_the_shared_bank_is_not_edited_here(client, owner):
    shared = make_question("SB-DATA-001")
    db.session.commit()
    assert client.get(f"/teaching/questions/{shared.id}/edit").status_code == 404


# --- the bank page ----------------------------------------------------------------------------

def test_the_bank_lists_filters_and_links(client, owner, course):
    make_question("DA110-Q01", course=course, prompt="网格事件的超期率")
    make_question("DA110-Q02", course=course, type="essay", spec={"rubric": "要点"},
                  prompt="谈谈一件事改革")
    retired = make_question("DA110-Q03", course=course, prompt="已停用的题")
    retired.status = QuestionStatus.RETIRED
    db.session.commit()
    page = client.get("/teaching/courses/DA110/questions").get_data(as_text=True)
    assert all(key in page for key in ("DA110-Q01", "DA110-Q02", "DA110-Q03"))
    assert f"/teaching/questions/{retired.id}/restore" in page
    for link in ("template.xlsx", "export.xlsx", "questions/import", "import-gift",
                 "new?type=ordering"):
        assert link in page
    only_essays = client.get("/teaching/courses/DA110/questions?type=essay").get_data(
        as_text=True)
    assert "DA110-Q02" in only_essays and "DA110-Q01" not in only_essays
    found = client.get("/teaching/courses/DA110/questions?q=超期&status=active").get_data(
        as_text=True)
    assert "DA110-Q01" in found and "DA110-Q03" not in found


def test_the_bank_page_runs_a_bounded_number_of_queries(client, owner, course, count_queries):
    def queries(count):
        for number in range(_count() + 1, _count() + count + 1):
            make_question(f"DA110-Q{number:02d}", course=course)
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/teaching/courses/DA110/questions").status_code == 200
        return counter.count

    assert queries(3) == queries(40)


# --- the form of each type ------------------------------------------------------------------

def _options(*texts):
    return {f"options-{index}": text for index, text in enumerate(texts)}


@pytest.mark.parametrize(("type_name", "fields", "spec"), [
    ("single", {**_options("20%", "25%", "30%"), "correct": "B"},
     {"options": ["20%", "25%", "30%"], "answer": 1}),
    ("multiple", {**_options("甲", "乙", "丙"), "correct": ["A", "C"], "scoring": "all_or_nothing"},
     {"options": ["甲", "乙", "丙"], "answer": [0, 2], "scoring": "all_or_nothing"}),
    ("truefalse", {"answer": "false"}, {"answer": False}),
    ("fill", {"answers": "1361\n一三六一\n", "regex": r"^1\s*361$"},
     {"answers": ["1361", "一三六一"], "regex": r"^1\s*361$"}),
    ("numeric", {"answer": "25", "tolerance_kind": "percent", "tolerance": "1", "unit": "%"},
     {"answer": 25, "tolerance_percent": 1, "unit": "%"}),
    ("ordering", {"items": "收集\n清洗\n分析"}, {"items": ["收集", "清洗", "分析"]}),
    ("matching", {"terms-0": "脱敏", "definitions-0": "去标识", "terms-1": "分级",
                  "definitions-1": "定级别"},
     {"pairs": [["脱敏", "去标识"], ["分级", "定级别"]]}),
    ("essay", {"rubric": "要点一；要点二"}, {"rubric": "要点一；要点二"}),
])
def test_each_type_is_written_on_its_form(client, owner, type_name, fields, spec):
    url = f"/teaching/courses/DA110/questions/new?type={type_name}"
    page = client.get(url).get_data(as_text=True)
    assert "<title>New question · " in page and 'id="question-form"' in page
    response = client.post(url, data={**COMMON, **fields, "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)
    question = _question("DA110-Q01")
    assert (question.type, question.spec, question.difficulty) == (type_name, spec, 2)


def test_problems_are_shown_next_to_their_fields_and_nothing_is_saved(client, owner):
    response = client.post("/teaching/courses/DA110/questions/new?type=single", data={
        **COMMON, "points": "0.3", **_options("甲", "", "丙"), "correct": "D", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count() == 0
    assert 'id="points-error"' in page and "(e.g. 2 or 1.5), not “0.3”" in page
    assert 'id="options-error"' in page and "without leaving one empty" in page
    response = client.post("/teaching/courses/DA110/questions/new?type=numeric", data={
        **COMMON, "answer": "25%", "tolerance": "", "action": "save"})
    page = response.get_data(as_text=True)
    assert "“25%” is not a number" in page and 'id="tolerance-error"' in page


def test_the_preview_uses_the_learners_renderer(client, owner):
    response = client.post("/teaching/courses/DA110/questions/new?type=essay", data={
        **COMMON, "prompt": "**重点** <script>alert(1)</script>", "rubric": "要点",
        "action": "preview"})
    page = response.get_data(as_text=True)
    assert "<strong>重点</strong>" in page and "<script>alert(1)" not in page
    assert _count() == 0


def test_editing_bumps_the_version_and_refuses_a_stale_form(client, owner, course):
    question = create_question(course, {**COMMON, "type": "truefalse", "answer": True},
                               actor=owner)
    db.session.commit()
    page = client.get(f"/teaching/questions/{question.id}/edit").get_data(as_text=True)
    assert '<input checked class="form-check-input" id="answer-0"' in page
    form = {**COMMON, "answer": "false", "version": "1", "action": "save"}
    assert client.post(f"/teaching/questions/{question.id}/edit", data=form).status_code == 302
    assert (_question("DA110-Q01").version, _question("DA110-Q01").spec) == (2, {"answer": False})
    stale = client.post(f"/teaching/questions/{question.id}/edit",
                        data={**form, "prompt": "另一个人的改动"})
    assert "changed since you opened it" in stale.get_data(as_text=True)
    assert _question("DA110-Q01").prompt == "题干"


def test_duplicate_retire_and_restore(client, owner, course):
    used = make_question("DA110-Q01", course=course)
    make_quiz(course, [used], title="期末测验")
    free = make_question("DA110-Q02", course=course)
    db.session.commit()
    response = client.post(f"/teaching/questions/{free.id}/duplicate")
    copy = _question("DA110-Q03")
    assert response.location.endswith(f"/teaching/questions/{copy.id}/edit")
    refused = client.post(f"/teaching/questions/{used.id}/retire", follow_redirects=True)
    assert "期末测验" in refused.get_data(as_text=True)
    assert _question("DA110-Q01").status is QuestionStatus.ACTIVE
    client.post(f"/teaching/questions/{free.id}/retire")
    assert _question("DA110-Q02").status is QuestionStatus.RETIRED
    client.post(f"/teaching/questions/{free.id}/restore")
    assert _question("DA110-Q02").status is QuestionStatus.ACTIVE


# --- Excel --------------------------------------------------------------------------------------

def test_the_template_downloads_and_opens(client, owner):
    response = client.get("/teaching/courses/DA110/questions/template.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["题目", "说明", "取值"]
    assert [cell.value for cell in workbook["题目"][1]] == HEADER


def test_export_then_import_round_trips(client, owner, course):
    for document in ({"type": "single", "options": ["甲", "=SUM(A1)"], "answer": "B"},
                     {"type": "numeric", "answer": 2.5, "tolerance_percent": 5, "unit": "%"},
                     {"type": "matching", "pairs": [["a", "1"], ["b", "2"]]}):
        create_question(course, {**COMMON, **document}, actor=owner)
    db.session.commit()
    exported = client.get("/teaching/courses/DA110/questions/export.xlsx").data
    preview = _upload(client, exported).get_data(as_text=True)
    assert "0 new" in preview and "3 unchanged" in preview and 'id="import-problems"' not in preview
    confirm = client.post("/teaching/courses/DA110/questions/import/confirm",
                          data={"token": _token(preview)}, follow_redirects=True)
    assert "Imported: 0 new, 0 updated, 3 unchanged." in confirm.get_data(as_text=True)
    assert client.get("/teaching/courses/DA110/questions/export.xlsx").data != b""
    assert _question("DA110-Q01").version == 1


def test_preview_then_confirm_imports_everything_once(app, client, owner, course, tree):
    data = _xlsx([HEADER, _row(prompt="一"), _row(prompt="二", answer="错")])
    preview = _upload(client, data).get_data(as_text=True)
    assert "2 new" in preview and _count() == 0
    token = _token(preview)
    other = make_user(unit=tree["jiefangbei"], roles=[RoleName.TRAINER])
    add_course_owner(course, other, actor=None)
    db.session.commit()
    stranger = app.test_client()
    stranger.set_cookie("lang", "en")
    stranger.post("/auth/login", data={"username": other.username, "password": "Secret@2026"})
    refused = stranger.post("/teaching/courses/DA110/questions/import/confirm",
                            data={"token": token}, follow_redirects=True)
    assert "expired or was imported already" in refused.get_data(as_text=True)
    assert _count() == 0
    client.post("/teaching/courses/DA110/questions/import/confirm", data={"token": token})
    assert _count() == 2
    again = client.post("/teaching/courses/DA110/questions/import/confirm",
                        data={"token": token}, follow_redirects=True)
    assert "expired or was imported already" in again.get_data(as_text=True) and _count() == 2


def _merged(workbook):
    workbook["题目"].merge_cells("F2:F3")


def _formula(workbook):
    workbook["题目"]["E3"] = "=1+1"


@pytest.mark.parametrize(("build", "expected"), [
    (_merged, "Cells F2:F3 are merged"),
    (_formula, "Cell E3 holds a formula: type the value, not a formula."),
])
def test_merged_cells_and_formulas_are_problems_at_their_cells(client, owner, build, expected):
    page = _upload(client, _xlsx([HEADER, _row(), _row()], build=build)).get_data(as_text=True)
    assert expected in page and 'id="import-confirm"' not in page and _count() == 0


def test_headers_empty_rows_extra_sheets_and_full_width_punctuation(client, owner):
    def extra(workbook):
        workbook.create_sheet("说明").append(["=1+1"])

    english = ["type", "area", "difficulty", "points", "prompt", "option_a", "option_b",
               "option_c", "answer"]
    data = _xlsx([[], english, ["多选题", "data", "２", "1.5", "全角", "甲", "乙", "丙", "Ａ，Ｃ"],
                  [None] * 9, ["单选", "数据素养与决策", 1, 2, "单选", "甲", "乙", None, "ｂ"]],
                 build=extra)
    preview = _upload(client, data).get_data(as_text=True)
    assert "2 new" in preview and 'id="import-problems"' not in preview
    client.post("/teaching/courses/DA110/questions/import/confirm", data={"token": _token(preview)})
    assert _question("DA110-Q01").spec["answer"] == [0, 2]
    assert _question("DA110-Q02").spec["answer"] == 1


def test_row_problems_name_row_and_column(client, owner):
    page = _upload(client, _xlsx([HEADER, _row(), _row(difficulty=9)])).get_data(as_text=True)
    assert "<td>3</td>" in page and "难度 (D)" in page and "Difficulty must be 1, 2 or 3" in page
    assert 'id="import-confirm"' not in page and _count() == 0


def _bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (100 * 1024 * 1024))
    return output.getvalue()


def _laughs() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx([HEADER, _row()])))
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = (f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{entities}]>'
                           .encode() + content.replace(b"<v>", b"<v>&l9;", 1))
            archive.writestr(name, content)
    return output.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"id,question\n1,2\n", "This is not an Excel workbook (.xlsx)"),
    (_bomb(), "refused unopened"),
    (_laughs(), "XML entity declarations"),
    (_xlsx([HEADER], title="Sheet1"), "no sheet named 题目"),
    (_xlsx([HEADER]), "The sheet holds no question rows"),
])
def test_bad_files_get_a_clear_message_and_import_nothing(client, owner, data, message):
    response = _upload(client, data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _count() == 0


def test_no_file_chosen(client, owner):
    response = client.post("/teaching/courses/DA110/questions/import", data={},
                           content_type="multipart/form-data")
    assert "Choose the Excel file to import." in response.get_data(as_text=True)


def test_ten_thousand_rows_through_the_pages(client, owner):
    data = _xlsx([HEADER] + [_row(prompt=f"第{n}题") for n in range(10_000)])
    preview = _upload(client, data).get_data(as_text=True)
    assert "10000 new" in preview and "The first 1000 of 10000 are listed" in preview
    client.post("/teaching/courses/DA110/questions/import/confirm", data={"token": _token(preview)})
    assert _count() == 10_000


# --- GIFT ---------------------------------------------------------------------------------------

GIFT = "::Q1:: 2+2=? {=4 ~3 ~5}\n\n// 注释\n天空是蓝的。{T}\n\n匹配 {=a -> 1 =b -> 2}\n"


def test_gift_preview_then_confirm(client, owner):
    url = "/teaching/courses/DA110/questions/import-gift"
    preview = client.post(url, data={"text": GIFT, "area": "security", "difficulty": "3",
                                     "points": "1.5"}).get_data(as_text=True)
    assert "3 new" in preview and _count() == 0
    client.post(f"{url}/confirm", data={"token": _token(preview), "area": "security",
                                        "difficulty": "3", "points": "1.5"})
    assert _count() == 3
    question = _question("DA110-Q03")
    assert (question.type, question.area.value, question.difficulty, float(question.points)) == (
        "matching", "security", 3, 1.5)


def test_gift_problems_name_their_lines_and_nothing_is_imported(client, owner):
    text = "好题 {T}\n\n填空：重庆有 {=38 ~26} 个区县。\n\n只有说明。"
    page = client.post("/teaching/courses/DA110/questions/import-gift", data={
        "text": text, "area": "data", "difficulty": "1", "points": "2"}).get_data(as_text=True)
    assert "<td>3</td>" in page and "missing-word" in page
    assert "<td>5</td>" in page and "description-only" in page
    assert 'id="import-confirm"' not in page and _count() == 0


def test_finding_1_gift_weights_we_would_grade_differently_are_refused_with_the_reason(
        client, owner):
    text = ("好题 {T}\n\n难题 {~错 ~%50%半对 =全对}\n\n二或三 {=2 =3 ~4}\n\n"
            "加权 {~%50%a ~%25%b ~c}\n\n::没结束的标题 题干 {=a ~b}")
    url = "/teaching/courses/DA110/questions/import-gift"
    form = {"text": text, "area": "data", "difficulty": "1", "points": "2"}
    page = client.post(url, data=form).get_data(as_text=True)
    assert "<td>3</td>" in page and "Partial credit" in page
    assert "<td>5</td>" in page and "2 answers are marked =" in page
    assert "<td>7</td>" in page and "weighs 50%" in page
    assert "<td>9</td>" in page and "not closed with ::" in page
    assert 'id="import-confirm"' not in page and _count() == 0
    client.set_cookie("lang", "zh")
    chinese = client.post(url, data=form).get_data(as_text=True)
    assert "有 2 个答案标为 =" in chinese and "权重为 50%" in chinese


def test_gift_from_a_chinese_windows_text_file(client, owner):
    data = "北京是首都。{T}".encode("gb18030")
    page = client.post("/teaching/courses/DA110/questions/import-gift", data={
        "file": (io.BytesIO(data), "题库.txt"), "area": "data", "difficulty": "1",
        "points": "2"}, content_type="multipart/form-data").get_data(as_text=True)
    assert "1 new" in page and "北京是首都" in page
    binary = client.post("/teaching/courses/DA110/questions/import-gift", data={
        "file": (io.BytesIO(b"\x00\x01\xff\xfe"), "x.txt"), "area": "data", "difficulty": "1",
        "points": "2"}, content_type="multipart/form-data").get_data(as_text=True)
    assert "not text in UTF-8 or GB18030" in binary
