from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.appraisal import Rating, Scheme, default_scheme
from app.domain.learning import CITY_TIMEZONE, local_year
from app.domain.vocabulary import CompetencyArea, CreditKind, RoleName
from app.extensions import db
from app.models import AppraisalResult, AppraisalScheme, AuditEvent, HourCredit, QuizResult
from app.models.types import utcnow
from app.services.appraisal.run import run_appraisal
from app.services.appraisal.schemes import (
    RANKS,
    BadDueDate,
    MissingJustification,
    SchemeInvalid,
    find_cadre_appraisal,
    find_scheme,
    grant_exemption,
    grant_plan_extension,
    list_results,
    save_scheme,
)
from app.services.core.errors import PermissionDenied
from tests.factories import (
    make_course,
    make_exercise,
    make_plan,
    make_question,
    make_quiz,
    make_user,
)
from tests.services.test_competency import graded_attempt

NOW = utcnow()
YEAR = local_year(NOW)
AREAS = list(CompetencyArea)


@pytest.fixture
def course(tree):
    course = make_course("AP101")
    question = make_question("AP101-Q01", course=course)
    return {"course": course, "quiz": make_quiz(course, [question]),
            "exercise": make_exercise(course)}


def give(cadre, course, *, hours=0, score=None, practice=None, areas=0, month=6):
    """Credit hours, a course quiz result, an exercise result and answers in ``areas``."""
    if hours:
        db.session.add(HourCredit(user_id=cadre.id, course_id=course["course"].id, year=YEAR,
                                  hours=Decimal(hours), kind=CreditKind.REQUIRED,
                                  credited_at=datetime(YEAR, month, 1, tzinfo=CITY_TIMEZONE)))
    if score is not None:
        answers = [("AP101-Q01", AREAS[i], 1, 1) for i in range(areas)] or [
            ("AP101-Q01", AREAS[0], 0, 1)]
        graded_attempt(course["quiz"], cadre, answers)
        db.session.add(QuizResult(quiz_id=course["quiz"].id, user_id=cadre.id,
                                  percent=Decimal(score), passed=score >= 60, attempts=1))
    if practice is not None:
        graded_attempt(course["exercise"], cadre, [("t1", AREAS[1], 0, 0)])
        db.session.add(QuizResult(quiz_id=course["exercise"].id, user_id=cadre.id,
                                  percent=Decimal(practice), passed=True, attempts=1))
    db.session.flush()


def hr(tree, unit):
    return make_user(unit=unit, roles=[RoleName.HR], scope=unit)


def results():
    return {r.user_id: r for r in db.session.scalars(select(AppraisalResult))}


def test_a_run_computes_components_index_and_ratings(tree, course):
    unit = tree["jiefangbei"]
    first, second, weak, exempt, idle = (make_user(unit=unit) for _ in range(5))
    give(first, course, hours=50, score=100, practice=100, areas=5, month=3)
    give(second, course, hours=60, score=100, practice=100, areas=5, month=9)
    give(weak, course, hours=25, score=80, areas=0)
    give(exempt, course, hours=60, score=100, practice=100, areas=5)
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    grant_exemption(exempt, YEAR, reason="援藏", document_ref="渝组发〔2026〕1号", actor=admin)

    summary = run_appraisal(YEAR, unit=tree["yuzhong"], actor=None, now=NOW)

    rows = results()
    assert summary.cadres == len(rows) == 5
    # Index 100 for both: the quota (4 candidates → 1) goes to the one with more hours.
    assert rows[second.id].rating is Rating.EXCELLENT and rows[second.id].index == 100
    assert rows[first.id].rating is Rating.PASS and rows[first.id].index == 100
    # 50 % hours × 0.4 + 80 × 0.3 + no practice + no coverage = 44.
    assert (rows[weak.id].hours_component, rows[weak.id].scores_component,
            rows[weak.id].practice_component, rows[weak.id].coverage_component) == (
        Decimal(50), Decimal(80), Decimal(0), Decimal(0))
    assert rows[weak.id].index == 44 and rows[weak.id].rating is Rating.FAIL
    assert rows[exempt.id].rating is Rating.EXEMPT
    assert rows[idle.id].index == 0 and rows[idle.id].rating is Rating.FAIL
    assert summary.ratings[Rating.EXCELLENT] == 1 and summary.ratings[Rating.EXEMPT] == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "appraisal.run"))


def test_a_rerun_replaces_the_scope_and_leaves_other_units(tree, course):
    inside, outside = make_user(unit=tree["chaotianmen"]), make_user(unit=tree["guanyinqiao"])
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    before = results()
    give(inside, course, hours=50)
    run_appraisal(YEAR, unit=tree["yuzhong"], actor=None, now=NOW + timedelta(minutes=1))
    after = results()
    assert after[inside.id].index == 40 and after[inside.id].run_id != before[inside.id].run_id
    assert after[outside.id].run_id == before[outside.id].run_id


def test_a_cadre_who_moved_is_rated_in_their_unit_at_the_run(tree, course):
    mover = make_user(unit=tree["guanyinqiao"])
    give(mover, course, hours=50, score=100, practice=100, areas=5)
    mover.org_unit = tree["jiefangbei"]
    db.session.flush()
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    assert results()[mover.id].org_unit_id == tree["jiefangbei"].id


def test_the_query_count_does_not_grow_with_the_cadres(tree, course, count_queries):
    def run_with(count, unit):
        for i in range(count):
            give(make_user(unit=unit), course, hours=10 + i, score=70, practice=60, areas=2)
        with count_queries() as counter:
            summary = run_appraisal(YEAR, unit=unit, actor=None, now=NOW)
        assert summary.cadres == count
        return counter.count

    assert run_with(5, tree["chaotianmen"]) == run_with(30, tree["guanyinqiao"])


def test_hr_runs_only_inside_their_scope(tree):
    yuzhong_hr = hr(tree, tree["yuzhong"])
    with pytest.raises(PermissionDenied):
        run_appraisal(YEAR, unit=tree["jiangbei"], actor=yuzhong_hr, now=NOW)
    with pytest.raises(PermissionDenied):
        run_appraisal(YEAR, unit=None, actor=yuzhong_hr, now=NOW)
    assert run_appraisal(YEAR, unit=tree["jiefangbei"], actor=yuzhong_hr, now=NOW).cadres == 0


def scheme(**changes):
    values = {"hours_targets": {rank: 50 for rank in RANKS},
              "weights": {"hours": 40, "scores": 30, "practice": 20, "coverage": 10},
              "thresholds": {"excellent": 90, "pass": 70, "basic": 60}, "quota_percent": 20}
    values.update(changes)
    return Scheme(**values)


def test_the_default_scheme_applies_when_none_is_stored(tree):
    assert find_scheme(YEAR, None) == (default_scheme(RANKS), False)


def test_invalid_or_looser_schemes_are_refused_and_nothing_is_saved(tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    with pytest.raises(SchemeInvalid) as error:
        save_scheme(YEAR, None, scheme(weights={"hours": 50, "scores": 30, "practice": 20,
                                                "coverage": 10}), actor=admin)
    assert [p.field for p in error.value.problems] == ["weights"]
    save_scheme(YEAR, None, scheme(quota_percent=15), actor=admin)
    yuzhong_hr = hr(tree, tree["yuzhong"])
    with pytest.raises(SchemeInvalid) as error:
        save_scheme(YEAR, tree["yuzhong"], scheme(quota_percent=20), actor=yuzhong_hr)
    assert [(p.field, p.reason) for p in error.value.problems] == [("quota_percent", "looser")]
    assert db.session.scalar(select(AppraisalScheme).where(
        AppraisalScheme.org_unit_id == tree["yuzhong"].id)) is None
    with pytest.raises(PermissionDenied):
        save_scheme(YEAR, None, scheme(), actor=yuzhong_hr)
    with pytest.raises(PermissionDenied):
        save_scheme(YEAR, tree["jiangbei"], scheme(quota_percent=10), actor=yuzhong_hr)


def test_a_unit_scheme_applies_to_its_subtree_in_the_run(tree, course):
    yuzhong_hr = hr(tree, tree["yuzhong"])
    save_scheme(YEAR, tree["yuzhong"], scheme(hours_targets={rank: 100 for rank in RANKS},
                                              quota_percent=10), actor=yuzhong_hr)
    inside, outside = make_user(unit=tree["jiefangbei"]), make_user(unit=tree["guanyinqiao"])
    for cadre in (inside, outside):
        give(cadre, course, hours=50)
    assert find_scheme(YEAR, tree["jiefangbei"])[0].target_for("staff") == 100
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    rows = results()
    assert rows[inside.id].hours_component == 50 and rows[inside.id].hours_target == 100
    assert rows[outside.id].hours_component == 100


def test_exemptions_need_a_reason_and_document_and_are_audited(tree):
    cadre, yuzhong_hr = make_user(unit=tree["jiefangbei"]), hr(tree, tree["yuzhong"])
    with pytest.raises(MissingJustification) as error:
        grant_exemption(cadre, YEAR, reason="病假", document_ref=" ", actor=yuzhong_hr)
    assert error.value.field == "document_ref"
    with pytest.raises(PermissionDenied):
        grant_exemption(cadre, YEAR, reason="病假", document_ref="x", actor=cadre)
    with pytest.raises(PermissionDenied):
        grant_exemption(cadre, YEAR, reason="病假", document_ref="x",
                        actor=hr(tree, tree["jiangbei"]))
    grant_exemption(cadre, YEAR, reason="病假", document_ref="渝组〔2026〕2号", actor=yuzhong_hr)
    shown = find_cadre_appraisal(cadre, YEAR, actor=cadre)
    assert shown.exemption.document_ref == "渝组〔2026〕2号" and shown.result is None
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "appraisal.exemption_granted"))
    assert event.details["reason"] == "病假" and event.actor_id == yuzhong_hr.id


def test_plan_extensions_must_move_the_date_later(tree, course):
    cadre, yuzhong_hr = make_user(unit=tree["jiefangbei"]), hr(tree, tree["yuzhong"])
    plan = make_plan(unit=tree["yuzhong"], courses=[course["course"]])
    with pytest.raises(BadDueDate):
        grant_plan_extension(cadre, plan, plan.due_on, reason="r", document_ref="d",
                             actor=yuzhong_hr)
    later = plan.due_on + timedelta(days=30)
    row = grant_plan_extension(cadre, plan, later, reason="抗洪", document_ref="文号",
                               actor=yuzhong_hr)
    assert row.due_on == later
    other_plan = make_plan(unit=tree["jiangbei"], courses=[course["course"]])
    with pytest.raises(PermissionDenied):
        grant_plan_extension(cadre, other_plan, later, reason="r", document_ref="d",
                             actor=make_user(unit=tree["city"], roles=[RoleName.ADMIN]))
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "appraisal.plan_extended")).details["due_on"] == later.isoformat()


def test_results_are_listed_within_the_scope(tree):
    make_user(unit=tree["jiefangbei"]), make_user(unit=tree["guanyinqiao"])
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    page = list_results(YEAR, actor=hr(tree, tree["yuzhong"]), unit=None, page=1, per_page=20)
    assert {r.org_unit.code for r in page.items} == {"500103001"}
    page = list_results(YEAR, actor=hr(tree, tree["city"]), unit=tree["jiangbei"], page=1,
                        per_page=20)
    assert {r.org_unit.code for r in page.items} == {"500105001"}
    with pytest.raises(PermissionDenied):
        list_results(YEAR, actor=make_user(unit=tree["city"]), unit=None, page=1, per_page=20)


def test_only_cadres_are_appraised_and_counted_in_quotas(tree):
    from tests.factories import make_user as _make_user

    cadre = _make_user(unit=tree["jiefangbei"], name="干部")
    staff = _make_user(unit=tree["jiefangbei"], name="教员", roles=[RoleName.TRAINER])
    staff.roles = [role for role in staff.roles if role.name is not RoleName.CADRE]
    db.session.flush()
    run_appraisal(YEAR, unit=tree["yuzhong"], actor=None, now=NOW)
    rated = set(db.session.scalars(select(AppraisalResult.user_id)))
    assert cadre.id in rated and staff.id not in rated


def test_finding_3_appraisal_rounding_is_the_same_on_sqlite_and_postgresql(tree, course):
    """Finding 17.3: results of 73.91 and 73.92 average 73.915, stored as 73.92 (SQLite's AVG
    gave 73.91499999999999 → 73.91), and the index 69.996 is 70.00, 合格 on every database."""
    second = make_course("AP102")
    second_quiz = make_quiz(second, [make_question("AP102-Q01", course=second)])
    cadre = make_user(unit=tree["jiefangbei"])
    give(cadre, course, hours=50, practice=Decimal("39.10"))
    for quiz, percent in ((course["quiz"], "73.91"), (second_quiz, "73.92")):
        graded_attempt(quiz, cadre, [("Q", AREAS[0], 0, 1)])
        db.session.add(QuizResult(quiz_id=quiz.id, user_id=cadre.id, percent=Decimal(percent),
                                  passed=True, attempts=1))
    db.session.flush()
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    row = results()[cadre.id]
    assert (row.hours_component, row.scores_component, row.practice_component) == (
        Decimal("100.00"), Decimal("73.92"), Decimal("39.10"))
    assert row.index == Decimal("70.00") and row.rating is Rating.PASS
