import re
import xml.etree.ElementTree as ET

import pytest

from app.extensions import db
from app.models import AuditEvent
from tests.factories import PASSWORD, make_course, make_plan, make_question, make_quiz
from tests.video_data import YEAR, make_video, make_watch, video_people, watch_course
from tests.web.test_untranslated_text import english_words, visible_text

URL = "/teaching/courses/VE101/videos"


@pytest.fixture
def people(tree):
    return video_people(tree)


@pytest.fixture
def watched(people):
    return watch_course(people)


def sign_in(client, user):
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302


def figures(page: str, lesson: int) -> tuple[str, str, str, str]:
    row = re.search(rf'<tr data-lesson="{lesson}">(.*?)</tr>', page, re.S).group(1)
    cells = [re.search(rf'class="text-end {name}">([^<]*)<', row).group(1)
             for name in ("viewers", "completed", "completion", "average")]
    return tuple(cells)


def test_the_owner_sees_every_viewer_with_a_chart_and_its_table(client, people, watched):
    sign_in(client, people["trainer"])
    response = client.get(URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "视频学习情况" in page and "id=\"scope-note\"" not in page
    assert figures(page, 1) == ("4", "2", "50%", "72%")  # (100 + 50 + 40 + 100) / 4
    assert figures(page, 2) == ("1", "1", "100%", "100%")
    charts = re.findall(r'<div class="chart-wide">(<svg.*?</svg>)</div>', page, re.S)
    assert len(charts) == 2
    svg = ET.fromstring(charts[0])  # noqa: S314 - our page
    assert svg.get("class") == "chart chart-line"
    texts = "".join(svg.itertext())
    assert "仍在观看的比例（%）" in texts and "0:01" in texts  # the first moment of 100 s
    table = re.search(r'<table class="table table-sm w-auto mt-2 retention-table">(.*?)</table>',
                      page, re.S).group(1)
    assert table.count("<tr>") == 51 and "<td>0:01</td><td class=\"text-end\">100.0%</td>" in table
    assert not english_words(visible_text(page))


def test_hr_of_yuzhong_sees_yuzhong_figures_only(client, people, watched):
    sign_in(client, people["hr_yuzhong"])
    response = client.get(URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="scope-note"' in page
    assert figures(page, 1) == ("3", "1", "33%", "63%")  # (100 + 50 + 40) / 3
    assert figures(page, 2) == ("0", "0", "0%", "0%")
    assert "尚无学员观看此视频。" in page  # 江北区's viewer of lesson 2 is not counted
    assert page.count('<div class="chart-wide">') == 1
    assert not english_words(visible_text(page))


def test_admin_sees_every_viewer(client, people, watched):
    sign_in(client, people["admin"])
    response = client.get(URL)
    assert response.status_code == 200
    assert figures(response.get_data(as_text=True), 1)[0] == "4"


@pytest.mark.parametrize("who", ["cadre", "other_trainer"])
def test_a_cadre_and_a_trainer_not_owning_the_course_are_refused_and_audited(
        client, people, watched, who):
    sign_in(client, people[who])
    response = client.get(URL)
    assert response.status_code == 403
    if who == "other_trainer":  # the cadre is stopped by the role check before any service
        assert "视频学习情况仅供本课程的教员" in response.get_data(as_text=True)
        assert db.session.query(AuditEvent).filter(
            AuditEvent.target == "course:VE101").count() == 1


def test_an_unknown_course_is_404_and_anonymous_users_sign_in(client, people, watched):
    assert "/auth/login" in client.get(URL).location
    sign_in(client, people["admin"])
    assert client.get("/teaching/courses/NOPE/videos").status_code == 404


def test_a_course_without_video_says_so(client, people, watched):
    make_course("TX101")
    db.session.commit()
    sign_in(client, people["admin"])
    page = client.get("/teaching/courses/TX101/videos").get_data(as_text=True)
    assert "本课程还没有处理完成的课节视频。" in page


def test_the_page_is_linked_from_teaching_authoring_item_statistics_and_plans(
        client, people, watched):
    course = watched[0]
    quiz = make_quiz(course, [make_question("VE101-Q01", course=course)])
    plan = make_plan(unit=people["hr_city"].org_unit, courses=[course])
    db.session.commit()
    sign_in(client, people["trainer"])
    link = f'href="{URL}"'
    assert link in client.get("/teaching/").get_data(as_text=True)
    assert link in client.get("/teaching/courses/VE101/edit").get_data(as_text=True)
    assert link in client.get(f"/teaching/quizzes/{quiz.id}/items").get_data(as_text=True)
    client.post("/auth/logout")
    sign_in(client, people["hr_city"])
    assert link in client.get(f"/hr/plans/{plan.id}").get_data(as_text=True)


def test_the_record_page_shows_video_learning_only_when_there_is_some(client, people, watched):
    sign_in(client, people["yz3"])
    page = client.get("/records/me").get_data(as_text=True)
    section = re.search(r'<section[^>]*id="video-learning".*?</section>', page, re.S).group(0)
    assert "视频学习" in section and "VE101 · 1. 第1课" in section
    assert "0.7 / 1.7" in section and "40%" in section and "尚未完成" in section
    assert not english_words(visible_text(page))
    client.post("/auth/logout")
    sign_in(client, people["cadre"])
    assert 'id="video-learning"' not in client.get("/records/me").get_data(as_text=True)
    client.post("/auth/logout")
    sign_in(client, people["hr_yuzhong"])
    other = client.get(f"/records/{people['yz1'].id}?year={YEAR}").get_data(as_text=True)
    assert 'id="video-lines"' in other and "100%" in other


def test_the_record_page_reads_no_more_with_more_videos(client, people, watched,
                                                        count_queries):
    course, first, second = watched
    sign_in(client, people["yz1"])
    client.get("/records/me")
    with count_queries(own_context=True) as one:
        assert client.get("/records/me").status_code == 200
    make_watch(people["yz1"], second, [[0, 120]])
    other = make_course("VE102")
    make_watch(people["yz1"], make_video(other.lessons[0], 300), [[0, 300]], complete=True)
    db.session.commit()
    client.get("/records/me")
    with count_queries(own_context=True) as three:
        page = client.get("/records/me").get_data(as_text=True)
    assert page.count("<tr><td>VE10") == 3
    assert three.count == one.count
