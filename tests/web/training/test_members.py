"""Members pages: nominating from the org tree (counted first; queries bounded whatever the
unit's size) and by a roster file (per-row problems, nothing changed), the member list,
applications and their decisions, withdrawals, and 我的培训班."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.domain.class_vocabulary import MemberStatus
from app.domain.vocabulary import Rank, RoleName
from app.models import ClassMember
from app.services.training.classes import publish_training_class
from tests.factories import (
    PASSWORD,
    audit_events,
    make_class,
    make_class_session,
    make_course,
    make_member,
    make_user,
)

ZH = {"Accept-Language": "zh-CN"}


def _members(db, training_class):
    db.session.expire_all()
    return {m.user_id: m.status for m in db.session.scalars(
        select(ClassMember).where(ClassMember.class_id == training_class.id))}


def _sign_in(app, user):
    browser = app.test_client()
    response = browser.post("/auth/login", data={"username": user.username,
                                                 "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture
def hr_class(tree, login_as, db):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=3, publish=True,
                                ranks=[Rank.STAFF])
    db.session.commit()
    return training_class


def test_hr_counts_then_nominates_a_unit(client, tree, hr_class, db):
    people = [make_user(unit=tree["chaotianmen"], username=f"CT{i}") for i in range(4)]
    make_user(unit=tree["chaotianmen"], rank=Rank.SECTION)  # not in the audience
    db.session.commit()
    url = f"/classes/{hr_class.id}/members/nominate"
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert "朝天门街道" in page and "江北区" not in page
    assert "科员及以下" in page and "乡科级" not in page  # only the audience's ranks
    choice = {"unit": str(tree["chaotianmen"].id)}
    preview = client.post(url, data=choice | {"action": "preview"}, headers=ZH)
    text = preview.get_data(as_text=True)
    assert 'id="nominate-preview"' in text and "符合条件的干部 4 人" in text
    assert "3 人入班，1 人候补" in text
    assert _members(db, hr_class) == {}
    response = client.post(url, data=choice | {"action": "nominate"}, headers=ZH)
    assert response.status_code == 302
    members = _members(db, hr_class)
    assert [members[p.id] for p in people] == [MemberStatus.ENROLLED] * 3 + \
        [MemberStatus.WAITLISTED]
    listing = client.get(response.location, headers=ZH).get_data(as_text=True)
    assert "推荐完成：3 人入班，1 人候补" in listing
    assert 'id="filter-waitlisted"' in listing and "CT3" in listing


def test_nominating_runs_the_same_queries_for_3_or_40_people(client, tree, login_as, db,
                                                             count_queries):
    hr = login_as(RoleName.HR)
    small = make_class(unit=tree["yuzhong"], actor=hr, capacity=2, title="小班")
    large = make_class(unit=tree["yuzhong"], actor=hr, capacity=20, title="大班")
    for i in range(3):
        make_user(unit=tree["jiefangbei"], username=f"S{i}")
    db.session.commit()
    choice = {"unit": str(tree["yuzhong"].id), "action": "nominate"}
    with count_queries(own_context=True) as three:
        assert client.post(f"/classes/{small.id}/members/nominate",
                           data=choice).status_code == 302
    for i in range(40):
        make_user(unit=tree["chaotianmen"], username=f"L{i}")
    db.session.commit()
    with count_queries(own_context=True) as forty:
        assert client.post(f"/classes/{large.id}/members/nominate",
                           data=choice).status_code == 302
    assert db.session.scalar(select(func.count(ClassMember.id)).where(
        ClassMember.class_id == large.id)) == 44  # 43 cadres and the HR user
    assert forty.count == three.count


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_roster_file_with_problems_lists_them_by_row_and_changes_nothing(client, tree,
                                                                           hr_class, db):
    make_user(unit=tree["jiefangbei"], username="OK1")
    make_user(unit=tree["guanyinqiao"], username="JB1")
    db.session.commit()
    data = _xlsx([["工号", "姓名"], ["OK1", "甲"], ["NOBODY", "乙"], ["JB1", "丙"], ["ok1", "丁"]])
    response = client.post(f"/classes/{hr_class.id}/members/file", headers=ZH,
                           data={"file": (io.BytesIO(data), "名单.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "未推荐任何人：有 3 行存在问题" in text
    assert "没有使用该工号的有效账号" in text and "不属于本班培训对象" in text
    assert "相同的工号已出现在第 2 行" in text
    assert _members(db, hr_class) == {}
    assert audit_events("classes.nominated") == []


def test_a_good_roster_file_nominates(client, tree, hr_class, db):
    people = [make_user(unit=tree["jiefangbei"], username=f"OK{i}") for i in range(2)]
    db.session.commit()
    data = "工号\r\nOK1\r\nOK0\r\n".encode("gbk")
    response = client.post(f"/classes/{hr_class.id}/members/file",
                           data={"file": (io.BytesIO(data), "名单.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert set(_members(db, hr_class)) == {p.id for p in people}


@pytest.mark.parametrize(("data", "words"), [
    (b"", "请选择名单文件"),
    (b"%PDF-1.4 not a roster", "表头中没有“工号”列"),
    ("姓名\n李明\n".encode(), "表头中没有“工号”列"),
])
def test_an_unusable_file_says_why(client, hr_class, data, words):
    response = client.post(f"/classes/{hr_class.id}/members/file", headers=ZH,
                           data={"file": (io.BytesIO(data), "名单.csv" if data else "")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


def test_the_member_list_filters_by_status_and_pages(client, tree, hr_class, db, app):
    app.config["PAGE_SIZE"], size = 2, app.config["PAGE_SIZE"]
    try:
        for i in range(3):
            make_member(hr_class, make_user(unit=tree["jiefangbei"], username=f"E{i}"))
        for i in range(3):
            make_member(hr_class, make_user(unit=tree["jiefangbei"], username=f"W{i}"),
                        MemberStatus.WAITLISTED)
        db.session.commit()
        url = f"/classes/{hr_class.id}/members"
        first = client.get(url + "?status=waitlisted", headers=ZH).get_data(as_text=True)
        listed = {name for name in ("E0", "W0", "W1", "W2") if f"<td>{name}</td>" in first}
        assert listed == {"W0", "W1"}
        assert "第 1 / 2 页" in first
        second = client.get(url + "?status=waitlisted&page=2").get_data(as_text=True)
        assert "<td>W2</td>" in second
        assert client.get(url + "?status=nonsense").status_code == 404
        everyone = client.get(url).get_data(as_text=True)
        assert ">6</span>" in everyone  # the "all" count
    finally:
        app.config["PAGE_SIZE"] = size


def test_a_cadre_applies_and_the_organizer_approves_or_rejects(client, tree, login_as, db,
                                                               app):
    hr = login_as(RoleName.HR)
    training_class = make_class(unit=tree["yuzhong"], actor=hr, publish=True, capacity=1,
                                open_to_applications=True, starts_on=date(2099, 6, 1),
                                ends_on=date(2099, 6, 1))
    first, second, third = (make_user(unit=tree["jiefangbei"], username=f"A{i}")
                            for i in range(3))
    db.session.commit()
    for cadre in (first, second, third):
        browser = _sign_in(app, cadre)
        listing = browser.get("/classes/open", headers=ZH).get_data(as_text=True)
        assert training_class.title in listing
        assert browser.post(f"/classes/{training_class.id}/apply").status_code == 302
        page = browser.get(f"/classes/{training_class.id}", headers=ZH).get_data(as_text=True)
        assert "待审批" in page and 'id="withdraw-button"' in page
    members = {m.user_id: m for m in db.session.scalars(select(ClassMember))}
    url = f"/classes/{training_class.id}/members"
    client.post(f"{url}/{members[first.id].id}/approve", data={"next": url + "?status=applied"})
    client.post(f"{url}/{members[second.id].id}/approve")
    assert client.post(f"{url}/{members[third.id].id}/reject",
                       data={"reason": ""}).status_code == 302
    assert _members(db, training_class)[third.id] is MemberStatus.APPLIED  # no reason: kept
    client.post(f"{url}/{members[third.id].id}/reject", data={"reason": "本期名额已满"})
    assert _members(db, training_class) == {first.id: MemberStatus.ENROLLED,
                                            second.id: MemberStatus.WAITLISTED,
                                            third.id: MemberStatus.REJECTED}
    rejected = _sign_in(app, third).get(f"/classes/{training_class.id}", headers=ZH)
    assert "本期名额已满" in rejected.get_data(as_text=True)

    client.post(f"{url}/{members[first.id].id}/withdraw", data={"reason": "工作调动"})
    assert _members(db, training_class)[second.id] is MemberStatus.ENROLLED
    assert audit_events("classes.member_withdrawn")[0].details["promoted"] == [second.id]


def test_a_cadre_leaves_the_waitlist(tree, login_as, db, app):
    hr = login_as(RoleName.HR)
    training_class = make_class(unit=tree["yuzhong"], actor=hr, publish=True)
    cadre = make_user(unit=tree["jiefangbei"])
    make_member(training_class, cadre, MemberStatus.WAITLISTED)
    db.session.commit()
    browser = _sign_in(app, cadre)
    assert browser.post(f"/classes/{training_class.id}/withdraw").status_code == 302
    assert _members(db, training_class)[cadre.id] is MemberStatus.WITHDRAWN
    # Withdrawn by themselves from a nomination-only class: the page is theirs no more to act
    # on, but they still see what happened.
    page = browser.get(f"/classes/{training_class.id}", headers=ZH).get_data(as_text=True)
    assert "已退班" in page and 'id="apply-button"' not in page


def test_my_classes_shows_each_schedule_and_course_links(tree, login_as, db, app,
                                                         count_queries):
    hr = login_as(RoleName.HR)
    cadre = make_user(unit=tree["jiefangbei"])
    course = make_course("DC101", title="数字重庆整体构架")
    training_class = make_class(unit=tree["yuzhong"], actor=hr, title="数字政府专题培训班",
                                courses_before=[course], starts_on=date(2099, 6, 1),
                                ends_on=date(2099, 6, 2))
    make_class_session(training_class, day=date(2099, 6, 1), topic="城市运行和治理中心",
                       teacher="王建华")
    make_class_session(training_class, day=date(2099, 6, 2), starts="14:00", ends="15:45",
                       hours="2", topic="数据安全")
    publish_training_class(training_class, actor=hr)
    make_member(training_class, cadre)
    db.session.commit()
    browser = _sign_in(app, cadre)
    page = browser.get("/classes/mine", headers=ZH).get_data(as_text=True)
    assert 'id="upcoming-classes"' in page and "数字政府专题培训班" in page
    assert "09:00–12:00" in page and "14:00–15:45" in page and "城市运行和治理中心" in page
    assert "王建华" in page and "市委党校教学楼 301" in page
    assert 'href="/courses/DC101"' in page and "开班前完成" in page
    assert 'id="nav-my-classes"' in page and 'id="nav-classes"' not in page
    with count_queries(own_context=True) as one:
        browser.get("/classes/mine")
    for i in range(3):
        extra = make_class(unit=tree["yuzhong"], actor=hr, title=f"班{i}", publish=True,
                           sessions=2, courses_during=[make_course(f"X{i}")])
        make_member(extra, cadre)
    db.session.commit()
    with count_queries(own_context=True) as four:
        browser.get("/classes/mine")
    assert four.count == one.count


def test_a_past_class_comes_after_the_upcoming_ones(tree, login_as, db, app):
    hr = login_as(RoleName.HR)
    cadre = make_user(unit=tree["jiefangbei"])
    old = make_class(unit=tree["yuzhong"], actor=hr, title="往期班", publish=True,
                     starts_on=date(2020, 3, 1), ends_on=date(2020, 3, 1))
    make_member(old, cadre)
    make_member(make_class(unit=tree["yuzhong"], actor=hr, title="新一期班", publish=True,
                           starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 1)), cadre)
    db.session.commit()
    page = _sign_in(app, cadre).get("/classes/mine").get_data(as_text=True)
    assert page.index("新一期班") < page.index('id="past-classes"') < page.index("往期班")


def test_the_member_list_reads_a_bounded_number_of_queries(client, tree, hr_class, db,
                                                           count_queries):
    make_member(hr_class, make_user(unit=tree["jiefangbei"]))
    db.session.commit()
    url = f"/classes/{hr_class.id}/members"
    with count_queries(own_context=True) as one:
        assert client.get(url).status_code == 200
    for i in range(6):
        make_member(hr_class, make_user(unit=tree["chaotianmen" if i % 2 else "jiefangbei"]),
                    MemberStatus.WAITLISTED if i % 3 else MemberStatus.APPLIED)
    db.session.commit()
    with count_queries(own_context=True) as seven:
        assert client.get(url).status_code == 200
    assert seven.count == one.count
