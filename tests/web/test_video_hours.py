"""Issue 19, part 5: the admin's page of hours by video length (/admin/video-hours)."""

from decimal import Decimal

import pytest

from app.domain.vocabulary import HoursRule, RoleName, VideoStatus
from app.extensions import db
from app.models import LessonVideo, VideoHoursScheme
from tests.factories import audit_events, make_course

URL = "/admin/video-hours/"
ZH = {"Accept-Language": "zh"}
GOOD = {"long_min_minutes": "30", "long_hours": "1", "middle_hours": "0.5",
        "short_max_minutes": "15", "short_hours": "0.25", "test_bonus_hours": "0.5",
        "complete_percent": "95"}


@pytest.fixture
def video_course(app):
    course = make_course("VH201", title="视频课程", lessons=1)
    course.hours_rule = HoursRule.VIDEO_LENGTH
    course.hours = Decimal("0.25")
    db.session.add(LessonVideo(lesson=course.lessons[0], status=VideoStatus.READY,
                               storage_key="k1", original_filename="a.mp4", source_bytes=1,
                               source_sha256="0" * 64, duration_seconds=Decimal(1200)))
    db.session.commit()
    return course


@pytest.mark.parametrize("role", [RoleName.HR, RoleName.TRAINER, RoleName.CADRE],
                         ids=lambda role: role.value)
def test_other_roles_are_refused(client, login_as, role):
    login_as(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data=GOOD).status_code == 403
    assert db.session.get(VideoHoursScheme, 1) is None
    assert 'id="nav-video-hours"' not in client.get("/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(URL), client.post(URL, data=GOOD)):
        assert response.status_code == 302 and "/auth/login" in response.location


def test_the_admin_sees_the_defaults_their_source_and_the_courses(client, login_as,
                                                                  video_course):
    login_as(RoleName.ADMIN)
    home = client.get("/", headers=ZH).get_data(as_text=True)
    assert 'id="nav-video-hours"' in home and 'id="home-video-hours"' in home
    page = client.get(URL, headers=ZH).get_data(as_text=True)
    assert "按视频时长计学时" in page
    assert "省级干部网络学院" in page  # where the defaults come from
    assert 'name="long_min_minutes" type="text" value="30"' in page or 'value="30"' in page
    assert 'value="95"' in page
    assert "VH201" in page and "20.0" in page  # 20 minutes of ready video


def test_saving_recomputes_the_courses_and_is_audited(client, login_as, video_course):
    login_as(RoleName.ADMIN)
    response = client.post(URL, data={**GOOD, "long_min_minutes": "20", "long_hours": "1.5"},
                           headers=ZH)
    assert response.status_code == 302
    scheme = db.session.get(VideoHoursScheme, 1)
    assert (scheme.long_min_minutes, scheme.long_hours) == (20, Decimal("1.5"))
    assert db.session.get(type(video_course), video_course.id).hours == Decimal("1.5")
    assert len(audit_events("video.hours_scheme_changed")) == 1
    page = client.get(URL, headers=ZH).get_data(as_text=True)
    assert "1 门课程的学时已变化" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"short_max_minutes": "40"}, "微课的时长上限必须小于长课程的时长下限。"),
    ({"short_hours": "0"}, "每一档的学时都必须大于 0。"),
    ({"middle_hours": "2"}, "时长较长的课程学时不得少于较短的课程。"),
    ({"long_hours": "0.333"}, "最多两位小数（如 0.25）。"),
    ({"complete_percent": "40"}, "50"),
    ({"long_hours": "NaN"}, "请输入普通数字"),
    ({"long_min_minutes": ""}, "必填"),
])
def test_bad_values_are_refused_with_a_message_and_change_nothing(client, login_as,
                                                                 video_course, changes,
                                                                 message):
    login_as(RoleName.ADMIN)
    response = client.post(URL, data={**GOOD, **changes}, headers=ZH)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.get(VideoHoursScheme, 1) is None
    assert db.session.get(type(video_course), video_course.id).hours == Decimal("0.25")
