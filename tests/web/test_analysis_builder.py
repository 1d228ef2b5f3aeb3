"""The analysis builder on the workspace page: the posted steps run, shown step by step;
every kind of bad input gets a clear Chinese message naming the field, never a 500."""

import re
from html.parser import HTMLParser

import pytest

from app.domain.analysis import (
    AnalysisModel,
    Condition,
    Derived,
    Measure,
    Pivot,
    SortKey,
)
from app.domain.analysis.form import model_to_form, parse_analysis_form
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.services.assessment.attempts import start_attempt
from app.services.exercises.datasets import attempt_data
from app.services.exercises.sandbox import run_query
from app.services.learning.enrollment import enroll_in_course
from tests.factories import make_course, make_exercise, make_user
from tests.services.test_analysis_tasks import BUILDER_ANSWERS

FETCH = {"X-Requested-With": "fetch"}
MUCK_TASKS = [{"id": "T1", "type": "numeric", "area": "data", "points": 2,
               "prompt": "称重记录有多少条？", "explanation": "count(*)",
               "reference_sql": "SELECT count(*) FROM weighings", "options_sql": None,
               "spec": {"tolerance": 0}}]
JOIN_FORM = {"table": "weighings", "join-table": "trucks", "join-left": "plate",
             "join-right": "plate", "join-keep": "1", "group-0": "company",
             "measure-0-func": "count", "measure-0-name": "记录数",
             "measure-1-func": "count", "measure-1-name": "超载数",
             "measure-1-where-0-column": "load_t", "measure-1-where-0-op": "gt",
             "measure-1-where-0-other": "trucks_legal_limit_t",
             "calc-0-name": "超载率", "calc-0-op": "percent", "calc-0-left": "超载数",
             "calc-0-right": "记录数", "calc-0-digits": "1",
             "sort-0-column": "超载率", "sort-0-order": "desc", "limit": "1000"}


@pytest.fixture
def muck(client, login_as, tree):
    course = make_course("AI310", lessons=1)
    quiz = make_exercise(course, scenario="muck_trucks", params={"rows": 500, "trucks": 40},
                         tasks=MUCK_TASKS)
    cadre = login_as(RoleName.CADRE)
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    db.session.commit()
    return {"attempt": attempt, "url": f"/attempts/{attempt.id}", "cadre": cadre,
            "course": course, "quiz": quiz}


def _post(client, muck, data, fetch=True):
    return client.post(f"{muck['url']}/analyze", data=data, headers=FETCH if fetch else {})


def test_a_join_group_and_calculation_matches_the_same_query_by_hand(client, muck):
    response = _post(client, muck, JOIN_FORM)
    assert response.status_code == 200 and response.json["ok"], response.json
    html = response.json["html"]
    expected = run_query(attempt_data(muck["attempt"]).variant, """
        SELECT t.company, count(*), round(100.0 * count(CASE WHEN w.load_t > t.legal_limit_t
               THEN 1 END) / count(*), 1) AS rate
        FROM weighings w LEFT JOIN trucks t ON t.plate = w.plate
        GROUP BY t.company ORDER BY rate DESC""", row_cap=1000).rows
    body = html.split('id="result-table"')[1]
    assert body.count("<tr>") == len(expected) + 1
    assert "<th scope=\"col\">运输企业</th>" in html and "超载率" in html
    steps = re.findall(r'<span class="step-sentence">(.*?)</span>', html)
    assert steps[:2] == ["从表 weighings 开始", "合并表 trucks：车牌号 = 车牌号"]
    assert any(s.startswith("按 运输企业 分组，统计 记录数、超载数") for s in steps)
    assert "open-in-console" in html and "LEFT JOIN" in html


def test_a_pivot_has_one_column_per_value_and_a_total(client, muck):
    response = _post(client, muck, {"table": "weighings", "pivot-rows": "site",
                                    "pivot-columns": "camera_flag", "pivot-func": "count"})
    assert response.json["ok"], response.json
    heads = re.findall(r'<th scope="col">(.*?)</th>', response.json["html"])
    assert heads == ["称重点", "0", "1", "合计"]
    assert "透视表：行 称重点，列 视频识别超载预警（1是0否）" in response.json["html"]


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"table": "weighings", "filter-0-column": "nope", "filter-0-op": "eq",
      "filter-0-value": "1"}, "filter-0-column", "没有列 nope"),
    ({"table": "weighings", "group-0": "site", "measure-0-func": "median",
      "measure-0-column": "load_t"}, "measure-0-func", "median"),
    ({"table": "secret_table"}, "table", "没有数据表 secret_table"),
    ({"table": "weighings", "join-table": "trucks", "join-left": "id", "join-right": "plate"},
     "join-right", "类型不同"),
    ({"table": "weighings", "pivot-rows": "site", "pivot-columns": "id"}, "pivot-columns",
     "500 个不同的值"),
    ({"table": "weighings", "limit": "5000"}, "limit", "1 到 1000"),
    ({"table": "weighings", "filter-4-column": "load_t", "filter-4-op": "gt",
      "filter-4-value": "很多"}, "filter-4-value", "不是数字"),
])
def test_bad_input_gets_a_chinese_message_naming_the_field(client, muck, data, field, words):
    response = _post(client, muck, data)
    assert response.status_code == 200 and not response.json["ok"]
    assert response.json["field"] == field
    assert words in response.json["html"], response.json["html"]
    page = _post(client, muck, data, fetch=False)
    assert page.status_code == 200
    marked = re.findall(r'is-invalid" aria-invalid="true" aria-describedby="query-error"'
                        r'[^>]*name="([^"]+)"', page.get_data(as_text=True))
    assert marked == [field]  # the page marks the field the message is about


def test_a_ratio_dividing_by_zero_is_a_notice_not_an_error(client, muck):
    response = _post(client, muck, {
        "table": "weighings", "derive-0-name": "比", "derive-0-func": "ratio",
        "derive-0-column": "load_t", "derive-0-other": "camera_flag",
        "group-0": "site", "measure-0-func": "count", "measure-0-name": "件数",
        "measure-1-func": "sum", "measure-1-column": "camera_flag", "measure-1-name": "预警",
        "calc-0-name": "预警占比", "calc-0-op": "percent", "calc-0-left": "预警",
        "calc-0-right": "预警", "limit": "1000"})
    assert response.json["ok"], response.json
    html = response.json["html"]
    empty = run_query(attempt_data(muck["attempt"]).variant, "SELECT count(*) FROM (SELECT site "
                      "FROM weighings GROUP BY site HAVING sum(camera_flag) = 0)").rows[0][0]
    if empty:
        assert f"预警占比：{empty} 行的比值为空：分母为 0 或为空" in html
    listing = _post(client, muck, {"table": "weighings", "derive-0-name": "比",
                                   "derive-0-func": "ratio", "derive-0-column": "load_t",
                                   "derive-0-other": "camera_flag", "limit": "1000"})
    zero = run_query(attempt_data(muck["attempt"]).variant,
                     "SELECT count(*) FROM weighings WHERE camera_flag = 0 OR "
                     "camera_flag IS NULL OR load_t IS NULL").rows[0][0]
    assert zero and f"比：{zero} 行的比值为空：分母为 0 或为空" in listing.json["html"]


def test_another_cadres_attempt_is_not_found_and_anonymous_must_sign_in(client, muck, tree):
    stranger = make_user(unit=tree["jiefangbei"])
    enroll_in_course(muck["course"], actor=stranger)
    other = start_attempt(muck["quiz"], actor=stranger)
    db.session.commit()
    assert client.post(f"/attempts/{other.id}/analyze", data=JOIN_FORM).status_code == 404
    client.post("/auth/logout")
    response = client.post(f"{muck['url']}/analyze", data=JOIN_FORM)
    assert response.status_code in (302, 401)


class _Fields(HTMLParser):
    """The builder form's submitted values, as a browser would post them (no <template>
    rows, no disabled fieldsets, checked boxes only, the selected option)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.in_form = self.template = 0
        self.fieldsets: list[bool] = []  # disabled or not, innermost last
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.in_form |= tag == "form" and a.get("id") == "builder-form"
        if not self.in_form:
            return
        if tag == "template":
            self.template += 1
        elif tag == "fieldset":
            self.fieldsets.append("disabled" in a)
        if self.template or any(self.fieldsets):
            return
        if tag == "input" and a.get("name") and a.get("name") != "csrf_token":
            if a.get("type") != "checkbox" or "checked" in a:
                self.values.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self.select = a.get("name")
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = [a.get("value", "")]

    def handle_endtag(self, tag):
        if tag == "template" and self.template:
            self.template -= 1
        elif tag == "fieldset" and self.in_form and not self.template:
            self.fieldsets.pop()
        elif tag == "form":
            self.in_form = 0


MUCK_MODELS = [
    BUILDER_ANSWERS[("AI310/exercises/muck-overload.yaml", "T2")],
    parse_analysis_form({key: [value] for key, value in JOIN_FORM.items()}),
    AnalysisModel("weighings", derived=(Derived("档", "bucket", "load_t", args=(
        "lt", "20", "轻", "ge", "40", "重", "中")), Derived("日", "date", "weighed_at")),
        distinct=("plate", "档", "日"), columns=("plate", "档"), sort=(SortKey("档", False),)),
    AnalysisModel("weighings", filters=(Condition("site", "in", "甲、乙"),),
                  pivot=Pivot("site", "camera_flag", Measure("avg", "load_t")), limit=50),
]


@pytest.mark.parametrize("model", MUCK_MODELS, ids=range(len(MUCK_MODELS)))
def test_the_page_renders_a_posted_model_so_that_it_posts_back_the_same(client, muck, model):
    form = {key: values for key, values in model_to_form(model).items() if values}
    page = client.post(f"{muck['url']}/analyze", data=form).get_data(as_text=True)
    parser = _Fields()
    parser.feed(page)
    for key, values in parser.values.items():
        if not values:  # a select showing no choice posts its first option
            parser.values[key] = [""]
    assert parse_analysis_form(parser.values) == model
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_refusal_of_the_builder_has_a_message_of_its_own(app):
    from pathlib import Path

    from app.web.exercises.messages import known_codes

    root = Path(__file__).resolve().parents[2] / "app" / "domain"
    source = "".join(path.read_text(encoding="utf-8") for path in
                     [*(root / "analysis").glob("*.py"), root / "query_builder.py"])
    codes = set(re.findall(r'(?:AnalysisError|BuilderError)\(\s*"([a-z_]+)"', source))
    codes |= {f"too_many_{kind}s" for kind in re.findall(r'\("(\w+)", model\.\w+, MAX_', source)}
    assert len(codes) > 30 and codes <= known_codes(), codes - known_codes()


def test_the_builder_proposes_join_keys_whose_names_and_values_match(client, muck):
    page = client.get(muck["url"]).get_data(as_text=True)
    proposals = re.findall(r'class="btn btn-link btn-sm p-0 align-baseline join-suggestion" '
                           r'data-table="(\w+)" data-other="(\w+)" data-column="(\w+)">'
                           r'[^<]*（(\d+)%）', page)
    shares = {(table, other, column): int(share) for table, other, column, share in proposals}
    # About 1 % of the weighings read a plate with a space or "·", so not all of them match
    # a registered truck: the share (rounded down) says so before the cadre joins on it.
    assert shares[("trucks", "weighings", "plate")] > 0
    assert 0 < shares[("weighings", "trucks", "plate")] < 100
    assert "可以用来合并的列" in page
