from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import OrgLevel, RoleName
from app.models import Course, OrgUnit, User
from app.services.core.errors import ServiceError
from app.services.people.passwords import verify_password
from app.services.platform.demo.seeding import DEMO_PASSWORD, seed_demo


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_creates_the_tree_and_accounts(db):
    report = seed_demo(people=300)
    db.session.commit()
    assert report.users_created == 305
    assert _count(db, User) == 305
    yuzhong = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103"))
    assert yuzhong.name == "渝中区" and yuzhong.level is OrgLevel.DISTRICT
    users = {u.username: u for u in db.session.scalars(select(User))}
    for name in ("admin", "hr", "trainer", "cadre"):
        assert verify_password(users[name].password_hash, DEMO_PASSWORD)
    assert users["hr"].has_role(RoleName.HR)
    hr_role = next(r for r in users["hr"].roles if r.name is RoleName.HR)
    assert hr_role.scope_unit.code == "500000"
    assert users["admin"].has_role(RoleName.ADMIN)
    assert users["trainer"].has_role(RoleName.TRAINER)
    assert users["cadre"].role_names == {RoleName.CADRE}
    assert verify_password(users["CQ100001"].password_hash, DEMO_PASSWORD)


def test_seed_demo_twice_changes_nothing(db):
    seed_demo(people=50)
    db.session.commit()
    before = {(u.username, u.name, u.password_hash, u.org_unit_id)
              for u in db.session.scalars(select(User))}
    units_before = _count(db, OrgUnit)
    report = seed_demo(people=50)
    db.session.commit()
    assert report.units_created == 0 and report.users_created == 0
    after = {(u.username, u.name, u.password_hash, u.org_unit_id)
             for u in db.session.scalars(select(User))}
    assert after == before
    assert _count(db, OrgUnit) == units_before


def test_seed_demo_is_refused_in_production(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ALLOWED", False)
    with pytest.raises(ServiceError):
        seed_demo(people=1)
    assert _count(db, User) == 0


def test_seed_demo_loads_the_curriculum_and_a_city_plan(app, db):
    from app.models import Enrollment, TrainingPlan

    report = seed_demo(people=10, courses_dir=app.config["COURSES_DIR"])
    db.session.commit()
    folders = [p for p in app.config["COURSES_DIR"].iterdir() if (p / "course.yaml").is_file()]
    assert report.courses_imported == len(folders) >= 8 and report.plan_created  # DA100 too
    plan = db.session.scalar(select(TrainingPlan))
    assert {c.code for c in plan.courses} == {"DC101", "SE220"}
    cadre = db.session.scalar(select(User).where(User.username == "cadre"))
    assigned = db.session.scalar(select(func.count(Enrollment.id))
                                 .where(Enrollment.user_id == cadre.id))
    assert assigned == 2
    from app.models import CourseOwner, Quiz

    trainer = db.session.scalar(select(User).where(User.username == "trainer"))
    assert db.session.scalar(select(func.count()).select_from(CourseOwner)
                             .where(CourseOwner.user_id == trainer.id)) >= 6
    codes = set(db.session.scalars(select(Quiz.code)))
    assert {"DA110/final", "GV320/final"} <= codes
    assert sum(code.startswith("ANNUAL-") for code in codes) == 3
    again = seed_demo(people=10, courses_dir=app.config["COURSES_DIR"])
    assert again.courses_imported == 0 and not again.plan_created


@pytest.fixture
def demo_year(app, db):
    """The demo with two years of activity, for 60 generated cadres (about 30 s)."""
    from app.services.platform.demo.activity import seed_demo_activity

    seed_demo(people=60, courses_dir=app.config["COURSES_DIR"])
    attempts = seed_demo_activity()
    db.session.commit()
    return attempts


def test_finding_20_the_demo_city_has_a_believable_year(db, demo_year):
    """Issue 17, finding 20: not 0 优秀 and mostly 不合格, but a spread of ratings, exercises
    done (some wrong, some appealed), essays for the trainer, a confirmed list last year."""
    from collections import Counter

    from app.domain.appraisal import Rating
    from app.domain.demo_study import TRAINER_BACKLOG_DAYS
    from app.domain.learning import local_year
    from app.domain.training_hours import HoursKind
    from app.domain.vocabulary import AppealStatus, AttemptState, QuizKind
    from app.models import (
        Appeal,
        AppraisalResult,
        Attempt,
        AttemptAnswer,
        Certificate,
        CommendationList,
        Enrollment,
        HourCredit,
        Quiz,
    )
    from app.models.types import utcnow
    from app.services.appraisal.closing import is_year_closed
    from app.services.appraisal.commendation import TEAM_MIN_SIZE

    # Everything came from the real use cases.
    assert demo_year == db.session.scalar(select(func.count(Attempt.id))) > 0
    completed = db.session.scalar(select(func.count(Enrollment.id))
                                  .where(Enrollment.completed_at.is_not(None)))
    # Completion credits hours and issues a certificate, as it does for anyone.
    assert completed == db.session.scalar(select(func.count(HourCredit.id)).where(
        HourCredit.hours_kind == HoursKind.ONLINE)) > 0
    # (In the year's first month the finished class and the claims would fall in last year,
    # which is closed: the demo leaves them out then.)
    if utcnow().timetuple().tm_yday > 31:
        _assert_demo_training(db)
    assert db.session.scalar(select(func.count(Certificate.id))) >= completed
    studied = set(db.session.scalars(select(Attempt.user_id)))
    names = set(db.session.scalars(select(User.username).where(User.id.in_(studied))))
    assert names and all(name.startswith("CQ") for name in names)  # demo accounts untouched
    # DA100's exercise is left out of the demo's studying, which stays fast.
    assert not db.session.scalar(select(func.count(Enrollment.id)).join(Course)
                                 .where(Course.code == "DA100"))
    rated = db.session.scalar(select(func.count(AppraisalResult.id)))
    cadres = db.session.scalar(select(func.count(User.id)).where(User.username.like("CQ%")))
    # Last year's and this year's appraisal ran over every cadre (the demo accounts too).
    years = db.session.scalar(select(func.count(func.distinct(AppraisalResult.year))))
    assert years == 2 and rated >= 2 * cadres

    year = local_year(utcnow())
    for each in (year - 1, year):
        ratings = Counter(db.session.scalars(
            select(AppraisalResult.rating).where(AppraisalResult.year == each)))
        cadres = sum(ratings.values())
        assert ratings[Rating.EXCELLENT] >= 1, (each, ratings)
        assert ratings[Rating.PASS] + ratings[Rating.BASIC] >= cadres / 3, (each, ratings)
        assert ratings[Rating.FAIL] < cadres / 3, (each, ratings)

    exercises = list(db.session.scalars(select(Attempt).join(Quiz).where(
        Quiz.kind == QuizKind.EXERCISE, Attempt.state == AttemptState.GRADED)))
    assert len({a.user_id for a in exercises}) >= 5
    assert any(a.passed for a in exercises)
    lost = db.session.scalar(select(func.count(AttemptAnswer.id)).where(
        AttemptAnswer.attempt_id.in_([a.id for a in exercises]),
        AttemptAnswer.points < AttemptAnswer.max_points))
    assert lost > 0  # some tasks answered wrong

    statuses = Counter(db.session.scalars(select(Appeal.status)))
    assert statuses[AppealStatus.REJECTED] + statuses[AppealStatus.UPHELD] >= 1, statuses
    backlog = utcnow() - timedelta(days=TRAINER_BACKLOG_DAYS)
    for appeal in db.session.scalars(select(Appeal)):  # the trainer is a month behind
        assert (appeal.status is AppealStatus.OPEN) == (appeal.created_at >= backlog)

    essays = list(db.session.scalars(select(Attempt).join(Quiz).where(
        Quiz.code == "GV320/final")))
    assert essays, "the advanced course's quiz, with its essay, was taken"
    for attempt in essays:
        waiting = attempt.state is AttemptState.SUBMITTED
        assert waiting == (attempt.submitted_at >= backlog)

    assert is_year_closed(year - 1) and not is_year_closed(year)
    last = db.session.scalar(select(CommendationList).where(CommendationList.year == year - 1))
    assert last is not None and last.confirmed_at is not None
    assert any(entry.kind == "person" for entry in last.entries)
    teams = db.session.scalar(select(func.count()).select_from(
        select(AppraisalResult.org_unit_id).where(AppraisalResult.year == year - 1)
        .group_by(AppraisalResult.org_unit_id)
        .having(func.count() >= TEAM_MIN_SIZE).subquery()))
    assert any(entry.kind == "team" for entry in last.entries) == (teams > 0)



def test_clock_shifted_moves_every_use_case_and_lets_time_pass():
    from datetime import UTC, datetime

    from app.models.types import clock_shifted, utcnow

    with clock_shifted(timedelta(days=-365)):
        first = utcnow()
        assert abs(first - (datetime.now(UTC) - timedelta(days=365))) < timedelta(seconds=5)
        assert utcnow() >= first  # time still passes, so events keep their order
    assert utcnow() - first > timedelta(days=364)


def _assert_demo_training(db):
    """A finished class gave face-to-face hours and class certificates; claims were decided
    both ways and one waits."""
    from app.domain.class_vocabulary import ClassStatus, RequestStatus
    from app.domain.training_hours import HoursKind
    from app.domain.vocabulary import CertificateKind
    from app.models import Certificate, HourCredit, HoursClaim, TrainingClass
    from app.services.platform.demo.training import FINISHED_TITLE, UPCOMING_TITLE

    classes = {c.title: c.status for c in db.session.scalars(select(TrainingClass))}
    assert classes == {FINISHED_TITLE: ClassStatus.FINISHED, UPCOMING_TITLE: ClassStatus.OPEN}
    face_to_face = db.session.scalar(select(func.count(HourCredit.id)).where(
        HourCredit.hours_kind == HoursKind.FACE_TO_FACE))
    assert face_to_face > 0 and face_to_face == db.session.scalar(
        select(func.count(Certificate.id)).where(Certificate.kind == CertificateKind.CLASS))
    assert {c.status for c in db.session.scalars(select(HoursClaim))} == {
        RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.PENDING}
