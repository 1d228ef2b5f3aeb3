"""The city-size generator at a small size: the rows it writes are what the use cases
would have left (checked with real queries, on SQLite and on PostgreSQL)."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from app.domain.demo_study import GENERATED_PREFIX
from app.models import Attempt, AttemptAnswer, Certificate, Course, HourCredit, User
from app.models.appraisal import AppraisalResult
from app.models.certificate import CertificateSerialCounter
from app.services.certificates import code_for, verify_certificate
from app.services.core.errors import ServiceError
from app.services.learning.enrollment import enroll_in_course, find_enrollment
from app.services.people.accounts import create_user
from app.services.platform.city_seed import CityAlreadySeeded, seed_city

PEOPLE, SAMPLE = 300, 8


@pytest.fixture
def city(app, db):
    report = seed_city(people=PEOPLE, sample=SAMPLE, courses_dir=app.config["COURSES_DIR"])
    db.session.commit()
    return report


def _scalar(db, sql: str):
    return db.session.execute(text(sql)).scalar()


#: (table, column, referenced table): the relations the set-based writer fills in (on
#: PostgreSQL it may skip the foreign-key triggers, so they are checked here).
RELATIONS = [
    ("user_account", "org_unit_id", "org_unit"), ("user_role", "user_id", "user_account"),
    ("enrollment", "user_id", "user_account"), ("enrollment", "course_id", "course"),
    ("enrollment", "plan_id", "training_plan"), ("lesson_progress", "enrollment_id", "enrollment"),
    ("lesson_progress", "lesson_id", "lesson"), ("attempt", "quiz_id", "quiz"),
    ("attempt", "user_id", "user_account"), ("attempt_answer", "attempt_id", "attempt"),
    ("quiz_result", "user_id", "user_account"), ("hour_credit", "user_id", "user_account"),
    ("certificate", "user_id", "user_account"), ("certificate", "course_id", "course"),
    ("audit_event", "actor_id", "user_account"),
]


def test_accounts_plan_enrollments_and_lessons(db, city):
    generated = db.session.scalar(select(func.count(User.id)).where(
        User.username.like(f"{GENERATED_PREFIX}%")))
    assert generated == PEOPLE
    assert db.session.scalar(select(func.count(User.id))) == PEOPLE + 5
    assert _scalar(db, "SELECT count(*) FROM user_account u WHERE NOT EXISTS "
                       "(SELECT 1 FROM user_role r WHERE r.user_id = u.id "
                       "AND r.name = 'cadre')") == 0
    for table, column, parent in RELATIONS:
        assert _scalar(db, f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL "  # noqa: S608
                           f"AND NOT EXISTS (SELECT 1 FROM {parent} p "
                           f"WHERE p.id = t.{column})") == 0, (table, column)
    assert _scalar(db, "SELECT count(*) FROM enrollment WHERE source = 'plan'") \
        == 2 * (PEOPLE + 5)
    incomplete = _scalar(db, """
        SELECT count(*) FROM enrollment e WHERE e.completed_at IS NOT NULL
        AND (SELECT count(*) FROM lesson_progress p WHERE p.enrollment_id = e.id)
         <> (SELECT count(*) FROM lesson l WHERE l.course_id = e.course_id)""")
    assert incomplete == 0
    assert _scalar(db, "SELECT count(*) FROM enrollment WHERE completed_at IS NOT NULL") > 0
    assert city.rows["attempt_answer"] > 10 * city.rows["attempt"] > 0


def test_scores_match_answers_and_results(db, city):
    assert _scalar(db, """
        SELECT count(*) FROM attempt a WHERE a.state <> 'graded' OR a.score <>
        (SELECT sum(w.points) FROM attempt_answer w WHERE w.attempt_id = a.id)
        OR a.passed <> (a.percent >= (SELECT q.pass_mark FROM quiz q WHERE q.id = a.quiz_id))
        OR (SELECT count(*) FROM attempt_answer w WHERE w.attempt_id = a.id)
         <> (SELECT count(*) FROM attempt_answer w WHERE w.attempt_id = a.id
             AND w.question_key IS NOT NULL AND w.max_points IS NOT NULL)""") == 0
    assert _scalar(db, """
        SELECT count(*) FROM quiz_result r WHERE r.percent <>
          (SELECT max(a.percent) FROM attempt a WHERE a.quiz_id = r.quiz_id
           AND a.user_id = r.user_id)
        OR r.attempts <> (SELECT count(*) FROM attempt a WHERE a.quiz_id = r.quiz_id
           AND a.user_id = r.user_id)""") == 0
    retakes = _scalar(db, "SELECT count(*) FROM attempt WHERE number = 2")
    failed = _scalar(db, "SELECT count(*) FROM attempt WHERE passed = false")
    assert retakes > 0 and failed >= retakes
    answers = db.session.scalar(select(func.count(AttemptAnswer.id)))
    assert answers == sum(len(a.questions) for a in db.session.scalars(select(Attempt)))


def test_hours_certificates_and_the_appraisal(db, city):
    completed = _scalar(db, "SELECT count(*) FROM enrollment WHERE completed_at IS NOT NULL")
    assert db.session.scalar(select(func.count(HourCredit.id))) == completed
    assert _scalar(db, """
        SELECT count(*) FROM hour_credit h WHERE NOT EXISTS (SELECT 1 FROM enrollment e
        WHERE e.user_id = h.user_id AND e.course_id = h.course_id
        AND e.completed_at IS NOT NULL)""") == 0
    assert _scalar(db, """
        SELECT count(*) FROM enrollment e WHERE e.completed_at IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM certificate c WHERE c.user_id = e.user_id
         AND c.course_id = e.course_id AND c.status = 'valid')""") == 0
    assert _scalar(db, "SELECT count(*) FROM certificate WHERE kind = 'course'") == completed
    # Foundation tier: exactly the cadres who completed both of its core courses.
    assert _scalar(db, "SELECT count(*) FROM certificate WHERE kind = 'tier'") == _scalar(db, """
        SELECT count(*) FROM user_account u WHERE 2 = (SELECT count(*) FROM enrollment e
        JOIN course c ON c.id = e.course_id WHERE e.user_id = u.id
        AND e.completed_at IS NOT NULL AND c.code IN ('DC101', 'DA110'))""")
    certificates = list(db.session.scalars(select(Certificate).order_by(Certificate.number)))
    assert [c.number for c in certificates] == list(range(1, len(certificates) + 1))
    assert db.session.get(CertificateSerialCounter, certificates[0].year).last_number \
        == len(certificates)
    issued = [c.issued_at for c in certificates]
    assert issued == sorted(issued)  # numbered in order of issue
    for certificate in (certificates[0], certificates[len(certificates) // 2]):
        assert certificate.serial == f"DCA-{certificate.year}-{certificate.number:06d}"
        assert verify_certificate(certificate.serial, code_for(certificate)) is certificate
    assert db.session.scalar(select(func.count(AppraisalResult.id))) == PEOPLE + 5
    hours = dict(db.session.execute(select(HourCredit.user_id, func.sum(HourCredit.hours))
                                    .group_by(HourCredit.user_id)).all())
    for result in db.session.scalars(select(AppraisalResult)):
        assert result.hours == hours.get(result.user_id, Decimal(0))


def test_use_cases_work_after_it_and_a_second_run_is_refused(app, db, city):
    cadre = db.session.scalar(select(User).where(User.username == "CQ100290"))
    course = db.session.scalar(select(Course).where(Course.code == "DA110"))
    if find_enrollment(course, cadre) is None:  # a new row takes a fresh id
        enroll_in_course(course, actor=cadre)
    create_user(username="late-joiner", name="晚到", org_unit=cadre.org_unit,
                rank=cadre.rank, category=cadre.category, password_hash="x", actor=None)
    db.session.commit()
    before = db.session.scalar(select(func.count(User.id)))
    with pytest.raises(CityAlreadySeeded):
        seed_city(people=PEOPLE, sample=SAMPLE, courses_dir=app.config["COURSES_DIR"])
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == before


def test_refused_in_production(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ALLOWED", False)
    with pytest.raises(ServiceError):
        seed_city(people=10, sample=2, courses_dir=app.config["COURSES_DIR"])
