"""Finding 16 of issue 17: one word for one thing, and no English on Chinese pages."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale

from app.domain.vocabulary import CourseKind, RoleName
from app.services.learning.enrollment import enroll_in_course
from app.web.core.audit_details import detail_items
from app.web.exercises.presenting import builder_headers
from tests.factories import make_course

CATALOG = "app/translations/zh/LC_MESSAGES/messages.po"


def _translations() -> list[tuple[str, str]]:
    with open(CATALOG, "rb") as file:
        catalog = read_po(file)
    return [(str(m.id), str(m.string)) for m in catalog if m.id and m.string]


def test_finding_16_one_word_for_hours_lessons_and_essays():
    strings = _translations()
    # 学时 is the credit hour; a lesson is a 课节 (课时 reads as a class hour).
    assert [zh for _en, zh in strings if "课时" in zh] == []
    assert [zh for en, zh in strings if "credit hour" in en.lower() and "学时" not in zh] == []
    # One name for the essay question type.
    assert [zh for _en, zh in strings if "论述题" in zh] == []


def test_finding_16_roster_org_appraisal_and_commendation_words(client, tree, login_as):
    login_as(RoleName.ADMIN)
    roster = client.get("/admin/roster/").get_data(as_text=True)
    head = roster[roster.index('id="roster-columns"'):].split("</thead>")[0]
    assert "必填" in head and "必修" not in head
    unit = client.get(f"/admin/org/{tree['jiefangbei'].id}").get_data(as_text=True)
    assert "单位名称" in unit and ">姓名<" not in unit
    appraisal = client.get("/hr/appraisal/?year=2026").get_data(as_text=True)
    assert ">学员<" not in appraisal
    template = Path("app/templates/appraisal/commendation.html").read_text(encoding="utf-8")
    assert '{% if kind == TEAM %}{{ _("Unit name") }}' in template


def test_finding_16_course_kind_and_credited_hours_agree(client, tree, login_as, db):
    user = login_as(RoleName.CADRE)
    course = make_course("WK101", kind=CourseKind.REQUIRED)
    enroll_in_course(course, actor=user)
    db.session.commit()
    page = client.get("/courses/WK101").get_data(as_text=True)
    kind = re.search(r'id="course-kind">([^<]*)<', page).group(1)
    credit = re.search(r'id="credit-kind">([^<]*)<', page).group(1)
    assert kind == "可列为必修" and credit == "选修"  # chosen, not assigned by a plan
    assert "必修类" not in page


def test_finding_16_audit_details_and_builder_headers_are_worded(app):
    with app.test_request_context(), force_locale("zh"):
        items = dict((str(k), v) for k, v in detail_items(
            {"unit": "500000", "kind": "course", "role": "admin", "scope": None,
             "reason": "denied", "thresholds": {"excellent": 90, "pass": 60, "basic": 50},
             "endpoint": "learning.course", "mystery_key": 1}))
        assert items["单位"] == "500000" and items["角色"] == "系统管理员"
        assert items["管理范围"] == "—" and items["理由"] == "无权访问"
        assert items["等次分数线"] == "优秀 90；合格 60；基本合格 50"
        assert items["<code>mystery_key</code>"] == "1"
        headers = builder_headers(["district", "count", "avg_amount_yuan",
                                   "count_distinct_street"],
                                  {"district": "区县", "amount_yuan": "金额（元）",
                                   "street": "街道"})
        assert headers == ["区县", "记录数", "金额（元）的平均值", "街道的不同值的个数"]


def test_finding_13_review_lists_stored_record_ids_by_value(app):
    """Attempts saved before ids were sorted by value still list them 113, 186, 1534."""
    from app.web.exercises.presenting import describe_task, task_values

    item = {"family": "task", "type": "rows", "spec": {}, "display": {}}
    with app.test_request_context():
        assert describe_task(item, ["113", "1534", "186"]) == "113、186、1534"
        assert task_values(item, ["113", "1534", "186"]) == {"value": ["113\n186\n1534"]}


def test_an_unnamed_share_of_the_records_is_headed_in_chinese(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert builder_headers(["share", "count"], {}) == ["占记录数的比例（%）", "记录数"]
