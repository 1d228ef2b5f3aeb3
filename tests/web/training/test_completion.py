import pytest
from flask import render_template
from sqlalchemy import select

from app.domain.certificates import mask_name
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import AppraisalYearClosure, HourCredit
from app.models.certificate import Certificate
from app.services.certificates.lookup import code_for
from app.services.training.completion import standing_of_member
from tests.factories import audit_events, make_user
from tests.reports.pdfs import all_text, flat
from tests.services.training.completion_setup import AFTER, make_scene, populate

ROLES = ["anonymous", "member", "cadre", "creator", "other_trainer", "hr_in_scope",
         "hr_outside", "admin"]
MANAGERS = {"creator", "hr_in_scope", "admin"}


@pytest.fixture
def scene(tree):
    return populate(make_scene(tree), tree)


def _person(role, scene, tree):
    if role == "member":
        return scene.members["done"]
    if role == "creator":
        return scene.creator
    units = {"cadre": tree["jiefangbei"], "other_trainer": tree["city"],
             "hr_in_scope": tree["yuzhong"], "hr_outside": tree["jiangbei"],
             "admin": tree["city"]}
    roles = {"other_trainer": [RoleName.TRAINER], "hr_in_scope": [RoleName.HR],
             "hr_outside": [RoleName.HR], "admin": [RoleName.ADMIN]}
    user = make_user(unit=units[role], roles=roles.get(role, []),
                     scope=units[role] if role.startswith("hr") else None)
    db.session.commit()
    return user


def _sign_in(role, scene, tree, login_as):
    if role != "anonymous":
        login_as(user=_person(role, scene, tree))


def _urls(scene):
    class_id = scene.training_class.id
    return [f"/classes/{class_id}/completion",
            f"/classes/{class_id}/documents/attendance-sheet.pdf",
            f"/classes/{class_id}/documents/summary.pdf"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role(client, scene, tree, login_as, role):
    _sign_in(role, scene, tree, login_as)
    for url in _urls(scene):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/auth/login" in response.location, url
        elif role in MANAGERS:
            assert response.status_code == 200, (url, role)
        else:
            assert response.status_code == 403, (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_finishing_answers_each_role_and_only_managers_finish(client, scene, tree, login_as,
                                                              role):
    _sign_in(role, scene, tree, login_as)
    response = client.post(f"/classes/{scene.training_class.id}/finish",
                           data={"confirm": "y"})
    db.session.expire_all()
    finished = scene.training_class.status.value == "finished"
    if role == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.location
    elif role in MANAGERS:
        assert response.status_code == 302 and finished
    else:
        assert response.status_code == 403 and not finished


def test_a_missing_class_is_404(client, scene, tree, login_as):
    _sign_in("admin", scene, tree, login_as)
    assert client.get("/classes/999999/completion").status_code == 404
    assert client.post("/classes/999999/finish", data={"confirm": "y"}).status_code == 404


def test_the_page_lists_standings_with_reasons_and_filters(client, scene, tree, login_as):
    _sign_in("creator", scene, tree, login_as)
    url = f"/classes/{scene.training_class.id}/completion"
    page = client.get(url, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'id="count-members">6<' in page and 'id="count-met"' in page
    for name in ("学员done", "学员leave", "学员no_show", "学员failed"):
        assert name in page
    assert "已出勤 12 / 16 学时（需 12.8）" in page
    assert "未完成关联课程：DC101、SE220" in page and "结业测试未通过" in page
    assert "开班后才完成（仍计入）：DC101" in page and "尚未参加结业测试" in page
    assert 'id="finish-form"' in page and "attendance-sheet.pdf" in page

    at_risk = client.get(url, query_string={"state": "at_risk", "reason": "test"}).get_data(
        as_text=True)
    assert "学员failed" in at_risk and "学员no_show" in at_risk and "学员done" not in at_risk
    search = client.get(url, query_string={"q": "leave"}).get_data(as_text=True)
    assert "学员leave" in search and "学员failed" not in search
    assert client.get(url, query_string={"state": "nonsense"}).status_code == 400
    assert client.get(url, query_string={"q": "x" * 65}).status_code == 400
    assert "没有符合筛选条件的学员" in client.get(
        url, query_string={"q": "nobody"}, headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)


def test_the_page_takes_the_same_queries_for_few_or_many_members(client, scene, tree, login_as,
                                                                count_queries):
    _sign_in("hr_in_scope", scene, tree, login_as)
    url = f"/classes/{scene.training_class.id}/completion"

    def statements():
        with count_queries(own_context=True) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    few = statements()
    for i in range(30):
        scene.add_member(f"y{i}", unit=tree["chaotianmen"], attendance=["present"] * 4)
    db.session.commit()
    assert statements() == few


def test_finishing_needs_the_confirmation_box(client, scene, tree, login_as):
    _sign_in("creator", scene, tree, login_as)
    url = f"/classes/{scene.training_class.id}/finish"
    response = client.post(url, data={}, headers={"Accept-Language": "zh-CN"},
                           follow_redirects=True)
    assert "请勾选确认后再结班" in response.get_data(as_text=True)
    db.session.expire_all()
    assert scene.training_class.status.value == "open"


def test_finishing_from_the_page_then_again(client, scene, tree, login_as):
    _sign_in("hr_in_scope", scene, tree, login_as)
    url = f"/classes/{scene.training_class.id}/finish"
    first = client.post(url, data={"confirm": "y"}, headers={"Accept-Language": "zh-CN"},
                        follow_redirects=True).get_data(as_text=True)
    assert "已结班：2 人结业（计入面授 32 学时，颁发结业证书 2 张）；4 人未结业。" in first
    assert 'id="finished-note"' in first and "DCA-2026-" in first
    again = client.post(url, data={"confirm": "y"}, headers={"Accept-Language": "zh-CN"},
                        follow_redirects=True).get_data(as_text=True)
    assert "本班此前已结班，未作任何更改。" in again
    assert len(list(db.session.scalars(select(HourCredit)))) == 2
    assert len(audit_events("training_class.finished")) == 1


def test_a_closed_year_is_refused_with_a_message(client, scene, tree, login_as):
    db.session.add(AppraisalYearClosure(year=2026))
    db.session.commit()
    _sign_in("admin", scene, tree, login_as)
    page = client.post(f"/classes/{scene.training_class.id}/finish", data={"confirm": "y"},
                       headers={"Accept-Language": "zh-CN"}, follow_redirects=True)
    assert "2026 年度考核已关账" in page.get_data(as_text=True)
    db.session.expire_all()
    assert scene.training_class.status.value == "open"


def test_a_class_not_over_offers_no_finish(client, scene, tree, login_as):
    from datetime import timedelta

    from app.models.types import utcnow
    from tests.factories import make_timed_session

    make_timed_session(scene.training_class, utcnow() + timedelta(days=1))
    db.session.commit()
    _sign_in("creator", scene, tree, login_as)
    class_id = scene.training_class.id
    page = client.get(f"/classes/{class_id}/completion",
                      headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "最后一次课结束后才能结班。" in page and 'id="finish-form"' not in page
    response = client.post(f"/classes/{class_id}/finish", data={"confirm": "y"},
                           headers={"Accept-Language": "zh-CN"}, follow_redirects=True)
    assert "最后一次课结束后才能结班。" in response.get_data(as_text=True)


def test_the_documents_download_with_the_class_in_them(client, scene, tree, login_as):
    _sign_in("creator", scene, tree, login_as)
    class_id = scene.training_class.id
    sheet = client.get(f"/classes/{class_id}/documents/attendance-sheet.pdf",
                       headers={"Accept-Language": "zh-CN"})
    assert sheet.mimetype == "application/pdf" and "no-store" in sheet.headers["Cache-Control"]
    assert "attachment" in sheet.headers["Content-Disposition"]
    text = flat(all_text(sheet.data))
    assert "学员名册及签到表" in text and "学员done" in text and "退出学员" not in text
    assert scene.members["leave"].username in text and "朝天门街道" in text
    summary = client.get(f"/classes/{class_id}/documents/summary.pdf",
                         headers={"Accept-Language": "zh-CN"})
    text = flat(all_text(summary.data))
    assert "培训班总结报告" in text and "第1讲" in text and "学员failed" in text
    assert "第1讲4500183.3%" in text  # 4 hours, 5 present, 0 late, 0 leave, 1 absent
    kinds = [e.details["kind"] for e in audit_events("report.downloaded")]
    assert kinds == ["class_roster", "class_summary"]


def test_the_member_sees_their_own_standing_in_the_partial(app, scene):
    member = scene.members["leave"]
    standing = standing_of_member(scene.training_class, member, actor=member, now=AFTER)
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        html = render_template("training/_my_standing.html", my_standing=standing,
                               training_class=scene.training_class)
        assert "我的结业进度" in html and "有结业风险" in html
        assert "已出勤 12 / 16 学时（需 12.8）" in html
        assert render_template("training/_my_standing.html", my_standing=None).strip() == ""


def test_the_partial_links_the_certificate_once_completed(client, app, scene, tree, login_as):
    _sign_in("admin", scene, tree, login_as)
    client.post(f"/classes/{scene.training_class.id}/finish", data={"confirm": "y"})
    member = scene.members["done"]
    standing = standing_of_member(scene.training_class, member, actor=member, now=AFTER)
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        html = render_template("training/_my_standing.html", my_standing=standing)
    assert "你已结业：计入面授学时 16" in html
    assert f"/certificates/{standing.certificate_serial}" in html


def test_the_class_certificate_in_the_cadres_list_and_on_the_public_page(client, scene, tree,
                                                                          login_as):
    from app.services.training.finishing import finish_class

    finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    db.session.commit()
    member = scene.members["done"]
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == member.id))
    login_as(user=member)
    listing = client.get("/certificates/", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert certificate.serial in listing and "培训班结业证书" in listing
    shown = client.get(f"/certificates/{certificate.serial}",
                       headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "中共重庆市委党校" in shown and "2026-11-02 – 2026-11-03" in shown
    pdf = client.get(f"/certificates/{certificate.serial}.pdf")
    text = flat(all_text(pdf.data))
    assert "参加中共重庆市委党校举办的《数字政府建设专题培训班》学习" in text
    badge = client.get(f"/certificates/{certificate.serial}.json").get_json()
    assert badge["credentialSubject"]["achievement"]["id"].endswith(
        f"/achievements/class/{scene.training_class.id}")

    client.post("/auth/logout")
    public = client.get(f"/verify/{certificate.serial}?c={code_for(certificate)}",
                        headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "培训班结业证书" in public and "数字政府建设专题培训班" in public
    assert "中共重庆市委党校" in public and "2026-11-02 – 2026-11-03" in public
    assert "16" in public and mask_name(member.name) in public
    assert member.name not in public and member.username not in public


def test_the_tab_reads_in_chinese_before_and_after_finishing(client, scene, tree, login_as):
    """The crawl of every page sees an open class; this sees the finished one too."""
    from tests.web.test_untranslated_text import english_words, visible_text

    _sign_in("admin", scene, tree, login_as)
    url = f"/classes/{scene.training_class.id}/completion"
    zh = {"Accept-Language": "zh-CN"}
    before = client.get(url, headers=zh).get_data(as_text=True)
    client.post(f"/classes/{scene.training_class.id}/finish", data={"confirm": "y"})
    after = client.get(url, headers=zh).get_data(as_text=True)
    assert "已结业" in after and "未结业" in after and "DCA-2026-" in after
    samples = {user.username for user in scene.members.values()} | {
        "done", "late_course", "leave", "no_show", "failed", "after"}
    for page in (before, after):
        assert english_words(visible_text(page)) - samples == set()
