"""QR check-in (issue 20): every outcome of a scan, the stamp that carries a scan through
signing in, what each outcome records, its cost in statements, and the race of two tabs."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.attendance import check_in_code, time_window
from app.domain.check_in_scan import scan_stamp
from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    CheckInRefusal,
    ClassStatus,
    MemberStatus,
)
from app.extensions import db
from app.models import Attendance, CheckInAttempt, ClassSession, User
from app.services.training.attendance import (
    check_in_by_code,
    current_code,
    find_scanned_session,
    stamp_for_scan,
)
from app.services.training.attendance_sheet import count_session_attendance, latest_refusals
from app.web.people.auth.loader import load_user
from tests.concurrency import run_at_once
from tests.factories import (
    add_attendance_member,
    add_attendance_session,
    audit_events,
    make_attendance_class,
    make_user,
)
from tests.services.test_concurrent_submit import file_app  # noqa: F401 - a fixture

#: 09:00 in Chongqing.
START = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


@pytest.fixture
def setting(tree):
    cadre = make_user(unit=tree["jiefangbei"], name="李明")
    training_class = make_attendance_class(unit=tree["yuzhong"])
    session = add_attendance_session(training_class, starts_at=START)
    add_attendance_member(training_class, cadre)
    db.session.commit()
    return {"cadre": cadre, "class": training_class, "session": session}


def _scan(session, user, at, *, code_at=None, window=None, code=None, stamp=None):
    """Scan the code the projector showed at ``code_at`` (default: ``at``) at ``at``."""
    shown_window = time_window(code_at or at) if window is None else window
    shown = code or check_in_code(session.check_in_secret, session.id, shown_window)
    return check_in_by_code(session, shown_window, shown, actor=user, now=at, stamp=stamp)


def _rows(session):
    return list(db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)))


def _refusals(session):
    return [a.refusal for a in db.session.scalars(
        select(CheckInAttempt).where(CheckInAttempt.session_id == session.id)
        .order_by(CheckInAttempt.id))]


def test_a_scan_before_the_late_margin_is_present_and_audited(setting):
    session, cadre = setting["session"], setting["cadre"]
    at = START + timedelta(minutes=9)
    result = _scan(session, cadre, at)
    assert (result.status, result.refusal, result.recorded_at) == (
        AttendanceStatus.PRESENT, None, at)
    [row] = _rows(session)
    assert (row.user_id, row.status, row.method, row.recorded_at, row.recorded_by_id) == (
        cadre.id, AttendanceStatus.PRESENT, AttendanceMethod.QR, at, None)
    [event] = audit_events("attendance.checked_in")
    assert event.actor_id == cadre.id and event.target == f"class_session:{session.id}"
    assert event.details["status"] == "present"
    assert _refusals(session) == []


def test_after_the_class_margin_a_scan_is_late_and_the_margin_is_the_class_s(setting, tree):
    session, cadre = setting["session"], setting["cadre"]
    assert _scan(session, cadre, START + timedelta(minutes=11)).status is AttendanceStatus.LATE
    strict = make_attendance_class(unit=tree["yuzhong"], late_after_minutes=0)
    other = add_attendance_session(strict, starts_at=START)
    add_attendance_member(strict, cadre)
    assert _scan(other, cadre, START + timedelta(minutes=1)).status is AttendanceStatus.LATE


def test_check_in_opens_before_the_start_by_the_class_s_minutes(setting):
    session, cadre = setting["session"], setting["cadre"]
    early = _scan(session, cadre, START - timedelta(minutes=31))
    assert early.refusal is CheckInRefusal.TOO_EARLY and _rows(session) == []
    assert _scan(session, cadre, START - timedelta(minutes=29)).status is AttendanceStatus.PRESENT
    assert _refusals(session) == [CheckInRefusal.TOO_EARLY]


def test_after_the_session_ends_check_in_is_closed(setting):
    session, cadre = setting["session"], setting["cadre"]
    result = _scan(session, cadre, session.ends_at + timedelta(seconds=1))
    assert result.refusal is CheckInRefusal.CLOSED and _rows(session) == []
    assert _refusals(session) == [CheckInRefusal.CLOSED]


@pytest.mark.parametrize("status", [ClassStatus.DRAFT, ClassStatus.FINISHED,
                                    ClassStatus.CANCELLED])
def test_a_class_that_is_not_open_takes_no_scans(setting, status):
    setting["class"].status = status
    result = _scan(setting["session"], setting["cadre"], START)
    assert result.refusal is CheckInRefusal.CLOSED and _rows(setting["session"]) == []


def test_yesterday_s_code_and_a_photo_passed_on_have_expired(setting):
    session, cadre = setting["session"], setting["cadre"]
    at = START + timedelta(minutes=5)
    assert _scan(session, cadre, at, code_at=at - timedelta(days=1)).refusal \
        is CheckInRefusal.EXPIRED
    assert _scan(session, cadre, at, code_at=at - timedelta(seconds=61)).refusal \
        is CheckInRefusal.EXPIRED
    assert _rows(session) == []
    assert _refusals(session) == [CheckInRefusal.EXPIRED, CheckInRefusal.EXPIRED]
    [first, _] = audit_events("attendance.check_in_refused")
    assert first.details["refusal"] == "expired" and first.actor_id == cadre.id


def test_the_previous_window_s_code_still_checks_in(setting):
    session, cadre = setting["session"], setting["cadre"]
    at = START + timedelta(minutes=5)
    window = time_window(at) - 1
    assert _scan(session, cadre, at, window=window).status is AttendanceStatus.PRESENT


def test_a_made_up_code_or_a_window_not_yet_shown_is_forged(setting):
    session, cadre = setting["session"], setting["cadre"]
    at = START + timedelta(minutes=5)
    assert _scan(session, cadre, at, code="0123456789abcdef").refusal is CheckInRefusal.FORGED
    future = time_window(at) + 2
    assert _scan(session, cadre, at, window=future).refusal is CheckInRefusal.FORGED
    assert _scan(session, cadre, at, code="x" * 300).refusal is CheckInRefusal.FORGED
    assert _rows(session) == [] and len(_refusals(session)) == 3


def test_a_code_of_the_class_s_other_session_is_named_as_such(setting):
    session, cadre = setting["session"], setting["cadre"]
    afternoon = add_attendance_session(setting["class"], starts_at=START + timedelta(hours=5))
    at = START + timedelta(minutes=5)
    window = time_window(at)
    afternoon_code = check_in_code(afternoon.check_in_secret, afternoon.id, window)
    result = _scan(session, cadre, at, window=window, code=afternoon_code)
    assert result.refusal is CheckInRefusal.OTHER_SESSION
    assert _rows(session) == [] and _refusals(session) == [CheckInRefusal.OTHER_SESSION]


@pytest.mark.parametrize("member_status", [None, MemberStatus.APPLIED, MemberStatus.WAITLISTED,
                                           MemberStatus.WITHDRAWN, MemberStatus.REJECTED])
def test_only_enrolled_members_check_in(setting, tree, member_status):
    session = setting["session"]
    other = make_user(unit=tree["jiefangbei"])
    if member_status is not None:
        add_attendance_member(setting["class"], other, member_status)
    result = _scan(session, other, START)
    assert result.refusal is CheckInRefusal.NOT_ENROLLED
    assert _rows(session) == [] and _refusals(session) == [CheckInRefusal.NOT_ENROLLED]


def test_a_second_scan_says_already_and_records_nothing(setting):
    session, cadre = setting["session"], setting["cadre"]
    first = _scan(session, cadre, START)
    again = _scan(session, cadre, START + timedelta(minutes=20))
    assert (again.status, again.refusal, again.recorded_at) == (
        AttendanceStatus.PRESENT, CheckInRefusal.ALREADY, first.recorded_at)
    # even with a code that would be refused: the cadre is in, nothing more to say
    assert _scan(session, cadre, START, code="0" * 16).refusal is CheckInRefusal.ALREADY
    assert len(_rows(session)) == 1 and _refusals(session) == []
    assert len(audit_events("attendance.checked_in")) == 1
    assert audit_events("attendance.check_in_refused") == []


def test_a_member_on_leave_who_comes_after_all_is_checked_in(setting):
    session, cadre = setting["session"], setting["cadre"]
    db.session.add(Attendance(session_id=session.id, user_id=cadre.id,
                              status=AttendanceStatus.LEAVE, method=AttendanceMethod.LEAVE,
                              recorded_at=START))
    result = _scan(session, cadre, START + timedelta(minutes=30))
    assert result.status is AttendanceStatus.LATE
    [row] = _rows(session)
    assert (row.status, row.method) == (AttendanceStatus.LATE, AttendanceMethod.QR)
    assert audit_events("attendance.checked_in")[0].details["before"] == "leave"


def test_a_stamp_carries_the_scan_through_signing_in(setting):
    session, cadre = setting["session"], setting["cadre"]
    scanned = START + timedelta(minutes=9, seconds=50)
    window = time_window(scanned)
    code = check_in_code(session.check_in_secret, session.id, window)
    stamp = stamp_for_scan(session, window, code, None, now=scanned)
    assert stamp is not None
    # the stamp is carried on unchanged, never renewed
    assert stamp_for_scan(session, window, code, stamp, now=scanned + timedelta(minutes=2)) \
        == stamp
    signed_in = scanned + timedelta(minutes=2)  # the code itself expired meanwhile
    result = check_in_by_code(session, window, code, actor=cadre, now=signed_in, stamp=stamp)
    # judged at the scan: on time, though signing in took the cadre past the margin
    assert result.status is AttendanceStatus.PRESENT and result.recorded_at == signed_in


def test_a_stale_or_forged_stamp_does_not_help(setting, tree):
    session, cadre = setting["session"], setting["cadre"]
    scanned = START + timedelta(minutes=1)
    window = time_window(scanned)
    code = check_in_code(session.check_in_secret, session.id, window)
    stamp = stamp_for_scan(session, window, code, None, now=scanned)
    late = scanned + timedelta(minutes=3, seconds=1)
    assert check_in_by_code(session, window, code, actor=cadre, now=late,
                            stamp=stamp).refusal is CheckInRefusal.EXPIRED
    forged = scan_stamp(b"another key", session.id, window, code, scanned)
    assert check_in_by_code(session, window, code, actor=cadre, now=late - timedelta(seconds=30),
                            stamp=forged).refusal is CheckInRefusal.EXPIRED
    # no stamp for a code that is not valid when shown
    assert stamp_for_scan(session, window, code, None, now=late) is None
    assert stamp_for_scan(session, window, "0" * 16, None, now=scanned) is None


def test_the_projector_shows_the_current_window_s_code(setting):
    session = setting["session"]
    at = datetime(2026, 12, 8, 1, 0, 10, tzinfo=UTC)
    shown = current_code(session, now=at)
    assert shown.window == time_window(at)
    assert shown.code == check_in_code(session.check_in_secret, session.id, shown.window)
    assert shown.seconds_left == 20


def test_counts_and_refusals_for_the_organizer(setting, tree):
    session, cadre = setting["session"], setting["cadre"]
    late, away, stranger = (make_user(unit=tree["jiefangbei"], name=n)
                            for n in ("迟到者", "缺席者", "外人"))
    for user in (late, away):
        add_attendance_member(setting["class"], user)
    _scan(session, cadre, START)
    _scan(session, late, START + timedelta(minutes=15))
    _scan(session, stranger, START)
    _scan(session, away, START, code="f" * 16)
    counts = count_session_attendance(session)
    assert (counts.enrolled, counts.present, counts.late, counts.leave, counts.checked_in,
            counts.absent) == (3, 1, 1, 0, 2, 1)
    lines = latest_refusals(session)
    assert [(line.name, line.refusal) for line in lines] == [
        ("缺席者", CheckInRefusal.FORGED), ("外人", CheckInRefusal.NOT_ENROLLED)]


def test_a_check_in_costs_a_handful_of_statements(setting, count_queries):
    session_id, cadre_id = setting["session"].id, setting["cadre"].id
    version = setting["cadre"].session_version
    db.session.expunge_all()
    at = START + timedelta(minutes=1)
    with count_queries() as counter:
        session = find_scanned_session(session_id)
        cadre = load_user(f"{cadre_id}:{version}")
        result = _scan(session, cadre, at)
    assert result.status is AttendanceStatus.PRESENT
    # the session with its class, the signed-in cadre (as every request loads them), the
    # standing, savepoint + insert + release, the audit event
    assert counter.count <= 7, counter.statements


def test_an_insert_that_loses_the_race_answers_already(setting, monkeypatch):
    """Two tabs read "not checked in" at once: the unique key lets one insert through."""
    import app.services.training.attendance as attendance

    session, cadre = setting["session"], setting["cadre"]
    assert _scan(session, cadre, START).status is AttendanceStatus.PRESENT
    monkeypatch.setattr(attendance, "_standing",
                        lambda *args: (MemberStatus.ENROLLED, None))  # read before the insert
    result = _scan(session, cadre, START + timedelta(seconds=1))
    assert result.refusal is CheckInRefusal.ALREADY and result.status is None
    assert len(_rows(session)) == 1 and len(audit_events("attendance.checked_in")) == 1


def test_two_tabs_posting_at_once_record_one_check_in(file_app):  # noqa: F811 - the fixture
    """Real concurrency: threads with their own connections (PostgreSQL, or a SQLite file)."""
    from tests import factories

    now = START + timedelta(minutes=1)
    with file_app.app_context():
        tree = factories.make_tree()
        cadre = factories.make_user(unit=tree["jiefangbei"])
        training_class = factories.make_attendance_class(unit=tree["yuzhong"])
        session = factories.add_attendance_session(training_class, starts_at=START)
        factories.add_attendance_member(training_class, cadre)
        db.session.commit()
        ids = (session.id, cadre.id)
        window = time_window(now)
        code = check_in_code(session.check_in_secret, session.id, window)

    def post():
        scanned = find_scanned_session(ids[0])
        user = db.session.get(User, ids[1])
        return lambda: check_in_by_code(scanned, window, code, actor=user, now=now)

    outcomes, errors = run_at_once(file_app, post, threads=8)
    with file_app.app_context():
        assert errors == []
        assert sum(r.refusal is None for r in outcomes) == 1
        assert sum(r.refusal is CheckInRefusal.ALREADY for r in outcomes) == 7
        assert db.session.scalar(select(func.count(Attendance.id))) == 1
        assert db.session.scalar(select(func.count(CheckInAttempt.id))) == 0
        assert db.session.get(ClassSession, ids[0]) is not None
