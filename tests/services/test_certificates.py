import threading
from datetime import UTC, datetime
from unittest import mock

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain.vocabulary import (
    AppealRemedy,
    CertificateKind,
    CertificateStatus,
    CompetencyArea,
    CourseStatus,
    CourseTier,
    RoleName,
)
from app.extensions import db as app_db
from app.models import AuditEvent, Course, Enrollment, HourCredit, User
from app.models.appraisal import AppraisalYearClosure
from app.models.certificate import Certificate, CertificateSerialCounter
from app.models.notification import Notification
from app.services.assessment.appeals import file_appeal, uphold_appeal
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.assessment.grading import refresh_quiz_result
from app.services.certificates import (
    AlreadyRevoked,
    ReasonRequired,
    find_certificate_for,
    find_missing_work,
    issue_course_certificate,
    issue_missing_certificates,
    issuing,
    reissue_certificate,
    revoke_certificate,
    serial_history,
    verify_certificate,
)
from app.services.certificates.lookup import code_for
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied, ServiceError
from tests.factories import (
    complete_course,
    make_certificate,
    make_course,
    make_question,
    make_quiz,
    make_tree,
    make_user,
)
from tests.services.test_concurrent_submit import file_app  # noqa: F401 - a fixture


def _certificates(db, **where):
    statement = select(Certificate).order_by(Certificate.id)
    for key, value in where.items():
        statement = statement.where(getattr(Certificate, key) == value)
    return list(db.session.scalars(statement))


def test_completing_a_course_issues_one_certificate_with_a_sequential_serial(tree, db):
    cadre = make_user(unit=tree["jiefangbei"], name="张三明")
    first = make_certificate(cadre, make_course("CT101", lessons=2, hours="4"))
    second = make_certificate(cadre, make_course("CT102", lessons=1))
    year = first.year
    assert (first.serial, second.serial) == (f"DCA-{year}-000001", f"DCA-{year}-000002")
    assert first.kind is CertificateKind.COURSE and first.holder_name == "张三明"
    assert first.unit_name == "解放碑街道" and first.hours == 4 and first.score is None
    # Completing again (a reload) or issuing again changes nothing.
    assert issue_course_certificate(cadre, first.course) is None
    assert len(_certificates(db, user_id=cadre.id)) == 2


def test_a_lost_race_gives_its_serial_number_back(tree, db):
    cadre = make_user(unit=tree["jiefangbei"])
    course = make_course("CT101", lessons=1)
    first = make_certificate(cadre, course)
    # Simulate a concurrent issuer: the existence check misses, the unique index refuses.
    with mock.patch.object(issuing, "valid_certificate", return_value=None):
        assert issue_course_certificate(cadre, course) is None
    other = make_certificate(make_user(unit=tree["jiefangbei"]), course)
    assert other.number == first.number + 1  # no gap
    assert len(_certificates(db, course_id=course.id)) == 2


def test_serials_count_per_year(tree, db):
    cadre = make_user(unit=tree["jiefangbei"])
    courses = [make_course(f"CT10{i}", lessons=1) for i in range(3)]
    issue_course_certificate(cadre, courses[0], now=datetime(2025, 12, 31, 15, 0, tzinfo=UTC))
    issue_course_certificate(cadre, courses[1], now=datetime(2025, 12, 31, 17, 0, tzinfo=UTC))
    issue_course_certificate(cadre, courses[2], now=datetime(2026, 3, 1, tzinfo=UTC))
    # 17:00 UTC on 31 December is already 2026 in Chongqing.
    assert [c.serial for c in _certificates(db)] == [
        "DCA-2025-000001", "DCA-2026-000001", "DCA-2026-000002"]


def test_a_tier_certificate_needs_every_published_core_course(tree, db):
    cadre = make_user(unit=tree["jiefangbei"])
    core = [make_course(f"CT10{i}", lessons=1, hours="2") for i in range(2)]
    draft = make_course("CT109", lessons=1, status=CourseStatus.DRAFT)
    for course in (*core, draft):
        course.core = True
    complete_course(core[0], cadre)
    assert _certificates(db, kind=CertificateKind.TIER) == []
    complete_course(core[1], cadre)
    tier = _certificates(db, kind=CertificateKind.TIER)
    assert [(t.tier, t.title, t.level, t.hours) for t in tier] == [
        (CourseTier.FOUNDATION, "数字素养基础", "基础", 4)]
    # A tier without any core course issues nothing.
    complete_course(make_course("CT201", lessons=1, tier=CourseTier.ADVANCED), cadre)
    assert len(_certificates(db, kind=CertificateKind.TIER)) == 1


def test_verification_needs_the_right_code(tree, db):
    certificate = make_certificate(make_user(unit=tree["jiefangbei"]))
    code = code_for(certificate)
    assert verify_certificate(certificate.serial, code) == certificate
    assert verify_certificate(certificate.serial.lower(), code.lower()) == certificate
    assert verify_certificate(certificate.serial, code[:-1] + "Z" if code[-1] != "Z"
                              else code[:-1] + "Y") is None
    assert verify_certificate(certificate.serial, None) is None
    assert verify_certificate("DCA-2026-999999", code) is None


def test_hr_in_scope_and_admins_revoke_with_a_reason(tree, db):
    cadre = make_user(unit=tree["jiefangbei"])
    certificate = make_certificate(cadre)
    outsider = make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"])
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    with pytest.raises(PermissionDenied):
        revoke_certificate(certificate, "理由", actor=cadre)
    with pytest.raises(PermissionDenied):
        revoke_certificate(certificate, "理由", actor=outsider)
    with pytest.raises(PermissionDenied):
        find_certificate_for(certificate.serial, actor=outsider)
    with pytest.raises(ReasonRequired):
        revoke_certificate(certificate, "  ", actor=hr)
    revoke_certificate(certificate, "材料不实", actor=hr, ip="10.0.0.1")
    assert certificate.status is CertificateStatus.REVOKED and certificate.revoked_at
    with pytest.raises(AlreadyRevoked):
        revoke_certificate(certificate, "再次", actor=hr)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.actor_id == hr.id and event.details["reason"] == "材料不实"


def test_a_reissue_revokes_the_old_serial_and_links_the_new_one(tree, db):
    cadre = make_user(unit=tree["jiefangbei"], name="李明")
    old = make_certificate(cadre)
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    cadre.name = "李明远"
    new = reissue_certificate(old, actor=admin)
    assert old.status is CertificateStatus.REVOKED and old.revoked_reason == "reissued"
    assert new.reissue_of_id == old.id and new.holder_name == "李明远"
    assert new.serial != old.serial and new.status is CertificateStatus.VALID
    assert [c.serial for c in serial_history(old)] == [old.serial, new.serial]
    assert [c.serial for c in serial_history(new)] == [old.serial, new.serial]
    with pytest.raises(ServiceError):
        reissue_certificate(old, actor=admin)


def test_issue_missing_is_idempotent(tree, db):
    cadre = make_user(unit=tree["jiefangbei"])
    course = make_course("CT101", lessons=1)
    course.core = True
    make_certificate(cadre, course)
    db.session.execute(Certificate.__table__.delete())  # as if issued before this feature
    work = find_missing_work()
    assert [(u.id, c.id) for u, c in work.pairs] == [(cadre.id, course.id)]
    assert issue_missing_certificates(work) == 2  # the course and its tier
    assert issue_missing_certificates(find_missing_work()) == 0
    assert find_missing_work(year=2001).pairs == []


# -- a regrade that makes a completion untrue ---------------------------------------------

@pytest.fixture
def graded_course(tree):
    course = make_course("GV320", lessons=1, hours="4")
    course.core = True
    questions = [make_question(f"GV320-Q0{i}", course=course, area=CompetencyArea.GOVERNANCE)
                 for i in range(1, 3)]
    quiz = make_quiz(course, questions, shuffle=False, pass_mark=60)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    return course, quiz, trainer


def _pass_quiz(course, quiz, cadre, right=(0, 1)):
    complete_course(course, cadre)
    attempt = start_attempt(quiz, actor=cadre)
    for position in range(2):
        item = attempt.questions[position]
        index = 0 if position in right else 1
        save_answer(attempt, position, {"value": [item["display"]["ids"][index]]},
                    client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    return attempt


def _enrollment(db, cadre):
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == cadre.id))


def test_an_appeal_that_lowers_the_score_takes_the_certificates_back(tree, db, graded_course):
    course, quiz, trainer = graded_course
    cadre, other = make_user(unit=tree["jiefangbei"]), make_user(unit=tree["jiefangbei"])
    _pass_quiz(course, quiz, cadre)  # 100 %: complete, course and tier certificates
    first = _pass_quiz(course, quiz, other, right=(1,))  # 50 %: fails
    assert _enrollment(db, cadre).completed_at is not None
    held = _certificates(db, user_id=cadre.id)
    assert len(held) == 2 and all(c.score == 100 or c.tier for c in held)
    # The other cadre's appeal corrects the key of question 1: the first cadre drops to 50 %.
    appeal = file_appeal(first, 0, "答案应为第二项。", actor=other)
    item = first.questions[0]
    uphold_appeal(appeal, AppealRemedy.CHANGE_KEY, "答案更正。", actor=trainer,
                  new_spec={**item["spec"], "answer": 1 - item["spec"]["answer"]})
    assert _enrollment(db, cadre).completed_at is None
    assert db.session.scalar(select(func.count(HourCredit.id))
                             .where(HourCredit.user_id == cadre.id)) == 0
    assert {(c.status, c.revoked_reason) for c in _certificates(db, user_id=cadre.id)} == {
        (CertificateStatus.REVOKED, "score revised")}
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "certificate.revoked")).all()
    assert len(events) == 2 and {e.actor_id for e in events} == {trainer.id}
    notices = db.session.scalars(select(Notification).where(
        Notification.user_id == cadre.id)).all()
    assert sorted(n.params["serial"] for n in notices) == sorted(
        c.serial for c in _certificates(db, user_id=cadre.id))


def test_a_direct_regrade_keeps_the_hours_of_a_closed_year(tree, db, graded_course):
    course, quiz, trainer = graded_course
    cadre = make_user(unit=tree["jiefangbei"])
    attempt = _pass_quiz(course, quiz, cadre)
    credit = db.session.scalar(select(HourCredit).where(HourCredit.user_id == cadre.id))
    db.session.add(AppraisalYearClosure(year=credit.year, closed_by_id=trainer.id))
    attempt.percent, attempt.passed = 40, False
    refresh_quiz_result(quiz, cadre.id)  # the cadre's own attempts never take it back
    assert _enrollment(db, cadre).completed_at is not None
    refresh_quiz_result(quiz, cadre.id, regraded_by=trainer)
    assert _enrollment(db, cadre).completed_at is None
    assert db.session.get(HourCredit, credit.id) is not None  # closed year: a snapshot
    assert all(c.status is CertificateStatus.REVOKED for c in _certificates(db))


def test_the_unique_index_refuses_a_second_valid_certificate(tree, db):
    certificate = make_certificate(make_user(unit=tree["jiefangbei"]))
    duplicate = Certificate(serial="DCA-2026-900000", year=2026, number=900000,
                            user_id=certificate.user_id, kind=CertificateKind.COURSE,
                            course_id=certificate.course_id, holder_name="x", unit_name="y",
                            title="t", hours=1)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(duplicate)


def test_concurrent_issuers_get_one_certificate_and_serials_without_gaps(file_app):  # noqa: F811
    """Six sessions at once: three for the same completion, three for other cadres.

    PostgreSQL only: SQLite refuses a second writer outright ("database is locked") instead
    of making it wait; the simulated race above covers SQLite."""
    if not file_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    with file_app.app_context():
        tree = make_tree()
        course = make_course("CC101", lessons=1)
        cadres = [make_user(unit=tree["jiefangbei"]) for _ in range(4)]
        app_db.session.commit()
        course_id, user_ids = course.id, [c.id for c in cadres]

    errors, barrier = [], threading.Barrier(6, timeout=30)

    def issue(user_id):
        with file_app.app_context():
            try:
                user = app_db.session.get(User, user_id)
                target = app_db.session.get(Course, course_id)
                barrier.wait()
                issue_course_certificate(user, target)
                app_db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
                app_db.session.rollback()

    threads = [threading.Thread(target=issue, args=(user_id,))
               for user_id in [user_ids[0]] * 3 + user_ids[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    with file_app.app_context():
        assert errors == []
        rows = app_db.session.scalars(select(Certificate).order_by(Certificate.number)).all()
        assert sorted(r.user_id for r in rows) == sorted(user_ids)
        assert [r.number for r in rows] == [1, 2, 3, 4]
        assert app_db.session.scalar(select(CertificateSerialCounter.last_number)) == 4
