from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from flask_babel import force_locale

from app.domain.class_completion import CompletionState
from app.reports.class_roster import (
    ClassHeader,
    ClassRoster,
    RosterMember,
    RosterSession,
    render_class_roster_pdf,
)
from app.reports.class_summary import (
    ClassSummary,
    MemberOutcome,
    SessionAttendance,
    render_class_summary_pdf,
)
from tests.reports.pdfs import all_text, flat, page_texts

AT = datetime(2026, 11, 10, 2, tzinfo=UTC)
HEADER = ClassHeader(title="数字政府建设专题培训班", organizer="中共重庆市委党校",
                     venue="市委党校一号教室", unit_name="渝中区", starts_on=date(2026, 11, 2),
                     ends_on=date(2026, 11, 3))
FIRST = datetime(2026, 11, 2, 1, tzinfo=UTC)  # 09:00 in Chongqing


def _sessions(count):
    return [RosterSession(FIRST + timedelta(hours=5 * i), FIRST + timedelta(hours=5 * i + 4),
                          f"第{i + 1}讲<数据>", "王建华", D("4")) for i in range(count)]


def _members(count):
    return [RosterMember(f"学员{i:03d}", f"CQ{i:06d}", "解放碑街道") for i in range(count)]


def _roster_pdf(roster):
    with force_locale("zh"):
        return render_class_roster_pdf(roster, generated_by="张静", generated_at=AT)


def test_a_roster_with_few_sessions_has_one_sheet_with_a_column_each(app):
    pdf = _roster_pdf(ClassRoster(HEADER, _sessions(2), _members(3)))
    text = flat(all_text(pdf))
    for expected in ("数字政府建设专题培训班", "中共重庆市委党校", "市委党校一号教室", "渝中区",
                     "2026-11-02", "2026-11-03", "学员000", "CQ000002", "解放碑街道",
                     "2026-11-0209:00–13:00", "2026-11-0214:00–18:00", "签到表", "内部资料"):
        assert expected in text, expected
    assert "第1讲" not in text  # one table: the columns are the sessions' times


def test_a_roster_with_many_sessions_has_a_sheet_per_session_on_its_own_page(app):
    pdf = _roster_pdf(ClassRoster(HEADER, _sessions(4), _members(3)))
    pages = [flat(page) for page in page_texts(pdf)]
    assert len(pages) == 4
    for number, page in enumerate(pages, start=1):
        assert f"第{number}次课" in page and f"第{number}讲<数据>" in page
        assert "学员002" in page and "签名" in page
        assert "王建华" in page


def test_a_long_roster_repeats_its_header_on_every_page(app):
    pdf = _roster_pdf(ClassRoster(HEADER, _sessions(1), _members(120)))
    pages = [flat(page) for page in page_texts(pdf)]
    assert len(pages) >= 3 and "学员119" in pages[-1]
    assert all("工号" in page for page in pages)


def test_an_empty_roster_says_so(app):
    text = flat(all_text(_roster_pdf(ClassRoster(HEADER, [], []))))
    assert "暂无在班学员。" in text


def _summary(finished=True):
    sessions = [SessionAttendance(FIRST, FIRST + timedelta(hours=4), "开班讲座", D("4"),
                                  present=30, late=5, leave=3, absent=2),
                SessionAttendance(FIRST + timedelta(hours=5), FIRST + timedelta(hours=9),
                                  "数据治理", D("4"), present=0, late=0, leave=0, absent=0)]
    members = [
        MemberOutcome("李明", "CQ100001", "解放碑街道", D("8"), D("8"), (), True,
                      CompletionState.COMPLETED if finished else CompletionState.MET, [],
                      D("8") if finished else None),
        MemberOutcome("赵六", "CQ100002", "朝天门街道", D("4"), D("8"), ("SE220",), False,
                      CompletionState.NOT_COMPLETED if finished else CompletionState.AT_RISK,
                      ["attendance", "courses", "test"], None),
    ]
    return ClassSummary(HEADER, 80, "2026-11-10" if finished else None, sessions, members)


def _summary_text(summary):
    with force_locale("zh"):
        return flat(all_text(render_class_summary_pdf(summary, generated_by="张静",
                                                      generated_at=AT)))


def test_the_summary_shows_attendance_by_session_completion_and_hours(app):
    text = _summary_text(_summary())
    for expected in ("数字政府建设专题培训班", "开班讲座", "87.5%", "数据治理", "李明", "CQ100001",
                     "赵六", "SE220", "8/8", "4/8", "80%", "2026-11-10"):
        assert expected in text, expected
    assert "已结业：1人；未结业：1人。计入面授学时：8。" in text
    assert "未结业（未达：出勤、关联课程、结业测试）" in text and "未通过" in text


def test_the_summary_of_a_running_class_credits_nothing_yet(app):
    text = _summary_text(_summary(finished=False))
    assert "尚未结班" in text and "结班前不计入学时" in text
    assert "已达标：1人；有结业风险：1人；进行中：0人" in text
    assert "有结业风险（未达：出勤、关联课程、结业测试）" in text


def test_the_summary_counts_and_rate():
    summary = _summary()
    assert summary.sessions[0].rate == "87.5%" and summary.sessions[1].rate == "—"
    assert summary.credited_hours == D("8")
    assert summary.count(CompletionState.COMPLETED) == 1
    assert replace(summary, members=[]).credited_hours == 0


def test_a_roster_without_sessions_still_lists_the_members(app):
    text = flat(all_text(_roster_pdf(ClassRoster(HEADER, [], _members(2)))))
    assert "尚未安排课次。" in text and "学员001" in text and "签名" not in text
