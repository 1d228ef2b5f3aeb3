from datetime import datetime
from decimal import Decimal

import pytest

from app.domain.appraisal import Rating
from app.domain.learning import CITY_TIMEZONE, local_year
from app.domain.vocabulary import (
    AppealStatus,
    CertificateKind,
    CertificateStatus,
    CompetencyArea,
    CreditKind,
    EnrollmentSource,
    RoleName,
)
from app.extensions import db
from app.models import (
    Appeal,
    AppraisalExemption,
    AppraisalResult,
    Certificate,
    Enrollment,
    HourCredit,
    QuizResult,
)
from app.models.types import utcnow
from app.services.core.errors import PermissionDenied
from app.services.records.documents import (
    UnknownCadre,
    UnknownUnit,
    build_cadre_record,
    find_cadre,
    find_report_unit,
)
from app.services.records.learning_record import BadYear
from app.services.records.unit_records import build_chunk, unit_cadres, unit_records
from tests.factories import make_course, make_exercise, make_question, make_quiz, make_user
from tests.services.test_competency import graded_attempt

NOW = utcnow()
YEAR = local_year(NOW)


def busy_cadre(unit, *, name="李<明>&", username=None, courses=None):
    """A cadre with hours, a completed course and its score, an exercise, an appraisal
    result, a certificate and an appeal in this year."""
    person = make_user(unit=unit, name=name, username=username)
    course, quiz, exercise = courses or catalogue()
    db.session.add(HourCredit(user_id=person.id, course_id=course.id, year=YEAR,
                              hours=Decimal("5"), kind=CreditKind.REQUIRED,
                              credited_at=NOW))

    db.session.add(Enrollment(user_id=person.id, course_id=course.id, completed_at=NOW,
                              source=EnrollmentSource.SELF))
    attempt = graded_attempt(quiz, person, [(f"{course.code}-Q01", CompetencyArea.DATA, 2, 2)] * 6)
    graded_attempt(exercise, person, [("GV210/grid/T1",
                                       CompetencyArea.GOVERNANCE, 1, 2)])
    db.session.add_all([
        QuizResult(quiz_id=quiz.id, user_id=person.id, percent=Decimal("92.50"), passed=True,
                   attempts=1),
        QuizResult(quiz_id=exercise.id, user_id=person.id, percent=Decimal("50.00"),
                   passed=False, attempts=1),
        AppraisalResult(year=YEAR, user_id=person.id, org_unit_id=unit.id, hours=Decimal(5),
                        hours_target=50, hours_component=Decimal(10),
                        scores_component=Decimal("92.5"), practice_component=Decimal(50),
                        coverage_component=Decimal(40),
                        weights={"hours": 40, "scores": 30, "practice": 20, "coverage": 10},
                        index=Decimal("41.75"), rating=Rating.FAIL, run_id="r1", run_at=NOW),
    ])
    number = db.session.query(Certificate).count() + 1
    db.session.add(Certificate(
        serial=f"DCA-{YEAR}-{number:06d}", year=YEAR, number=number, user_id=person.id,
        kind=CertificateKind.COURSE, course_id=course.id, holder_name=person.name,
        unit_name=unit.name, title=course.title, hours=Decimal(5), score=Decimal("92.5"),
        issued_at=NOW, status=CertificateStatus.VALID))
    db.session.flush()
    db.session.add(Appeal(attempt_id=attempt.id, position=0, user_id=person.id,
                          reason="答案有歧义", status=AppealStatus.REJECTED, response="答案<无误>"))
    db.session.flush()
    return person


def catalogue():
    """A course with its quiz (DA110) and a data exercise of another course (GV210)."""
    course = make_course("DA110", lessons=1, hours="5", areas=(CompetencyArea.DATA,))
    quiz = make_quiz(course, [make_question("DA110-Q01", course=course)])
    exercise = make_exercise(make_course("GV210"), code="GV210/grid")
    return course, quiz, exercise


@pytest.fixture
def hr_yuzhong(tree):
    return make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"],
                     name="张静")


def test_a_cadre_record_has_every_part(tree, hr_yuzhong):
    person = busy_cadre(tree["jiefangbei"])
    record = build_cadre_record(person, actor=hr_yuzhong, year=YEAR, now=NOW)
    assert (record.name, record.unit_name, record.year) == ("李<明>&", "解放碑街道", YEAR)
    assert record.total_hours == 5 and record.target == 50 and record.percent == 10
    assert [c.code for c in record.completed] == ["DA110"]
    assert [s.percent for s in record.completed[0].scores] == [Decimal("92.50")]
    assert [q.title for q in record.quizzes] == ["DA110 测验"]
    assert [(e.course_code, e.passed) for e in record.exercises] == [("GV210", False)]
    data = next(a for a in record.areas if a.area is CompetencyArea.DATA)
    assert data.items == 6 and data.mastery == 100.0
    assert record.appraisal.rating is Rating.FAIL and record.appraisal.index == Decimal("41.75")
    assert record.appraisal.components["scores"] == (Decimal("92.50"), 30)
    assert [c.serial for c in record.certificates] == [f"DCA-{YEAR}-000001"]
    assert [a.quiz_title for a in record.appeals] == ["DA110 测验"]
    assert record.has_activity


def test_a_cadre_without_activity_and_an_exempt_one(tree, hr_yuzhong):
    person = make_user(unit=tree["chaotianmen"])
    db.session.add(AppraisalExemption(user_id=person.id, year=YEAR, reason="病假",
                                      document_ref="渝组〔2026〕1号"))
    record = build_cadre_record(person, actor=hr_yuzhong, year=YEAR, now=NOW)
    assert not record.has_activity and record.certificates == [] and record.hours == []
    assert record.appraisal.rating is Rating.EXEMPT and record.appraisal.index is None
    assert record.appraisal.exemption_reason == "病假"


def test_scope_is_the_hr_subtree(tree, hr_yuzhong):
    outside = make_user(unit=tree["guanyinqiao"])
    with pytest.raises(PermissionDenied):
        build_cadre_record(outside, actor=hr_yuzhong, year=YEAR, now=NOW)
    with pytest.raises(PermissionDenied):
        find_report_unit("500105", actor=hr_yuzhong)
    with pytest.raises(PermissionDenied):
        unit_records(tree["city"], actor=hr_yuzhong, year=YEAR, now=NOW)
    with pytest.raises(PermissionDenied):  # a plain cadre: not even their own unit
        find_report_unit("500103001", actor=outside)
    assert find_report_unit(" 500103001 ", actor=hr_yuzhong) == tree["jiefangbei"]
    with pytest.raises(UnknownUnit):
        find_report_unit("nope", actor=hr_yuzhong)
    with pytest.raises(UnknownCadre):
        find_cadre(username="nobody")
    with pytest.raises(BadYear):
        unit_records(tree["yuzhong"], actor=hr_yuzhong, year=YEAR + 1, now=NOW)


def test_bulk_records_equal_the_one_by_one_records(tree, hr_yuzhong):
    courses = catalogue()
    people = [busy_cadre(tree["jiefangbei"], name=f"学员{i}", courses=courses)
              for i in range(3)]
    people.append(make_user(unit=tree["chaotianmen"], name="空白学员"))
    make_user(unit=tree["guanyinqiao"], name="江北学员")  # outside the unit asked for
    db.session.commit()
    total, records = unit_records(tree["yuzhong"], actor=hr_yuzhong, year=YEAR, now=NOW)
    records = list(records)
    # The unit's own HR is a cadre of the unit too (and comes first: the district level).
    assert total == 5 and [r.name for r in records] == [
        "张静", "学员0", "学员1", "学员2", "空白学员"]
    for person, bulk in zip([hr_yuzhong, *people], records, strict=True):
        assert bulk == build_cadre_record(person, actor=hr_yuzhong, year=YEAR, now=NOW)


def test_bulk_queries_do_not_grow_with_the_cadres(tree, count_queries):
    courses = catalogue()
    for i in range(12):
        busy_cadre(tree["jiefangbei"], name=f"学员{i}", courses=courses)
    db.session.commit()
    people = unit_cadres(tree["yuzhong"])
    db.session.expire_all()
    people = unit_cadres(tree["yuzhong"])
    with count_queries() as few:
        build_chunk(people[:2], year=YEAR, now=NOW)
    with count_queries() as many:
        build_chunk(people, year=YEAR, now=NOW)
    assert many.count == few.count <= 12  # the five years' hours by kind: one query more
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    assert admin.has_role(RoleName.ADMIN) and tree["yuzhong"].path  # loaded before counting
    with count_queries() as whole:
        total, records = unit_records(tree["yuzhong"], actor=admin, year=YEAR, now=NOW, chunk=5)
        assert len(list(records)) == total == 12
    assert whole.count <= 1 + 3 * few.count  # the cadres, then each chunk of 5


def test_inactive_cadres_are_left_out_of_a_batch(tree):
    make_user(unit=tree["jiefangbei"], name="在职")
    make_user(unit=tree["jiefangbei"], name="离职").active = False
    assert [p.name for p in unit_cadres(tree["yuzhong"])] == ["在职"]


def test_hours_dates_follow_the_city_calendar(tree, hr_yuzhong):
    person = make_user(unit=tree["jiefangbei"])
    course = make_course("HC1")
    last_night = datetime(YEAR, 1, 1, 0, 30, tzinfo=CITY_TIMEZONE)
    db.session.add(HourCredit(user_id=person.id, course_id=course.id, year=YEAR,
                              hours=Decimal(2), kind=CreditKind.ELECTIVE,
                              credited_at=last_night))
    record = build_cadre_record(person, actor=hr_yuzhong, year=YEAR, now=NOW)
    assert record.elective_hours == 2 and record.has_activity
