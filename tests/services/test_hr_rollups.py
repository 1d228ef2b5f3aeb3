"""The rollups give the dashboard the same figures as the live computation, faster."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.learning import local_year
from app.domain.vocabulary import CompetencyArea, Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import QuizResult, RollupRefresh, UnitRollup
from app.models.types import utcnow
from app.services.appraisal.run import run_appraisal
from app.services.records.dashboard import build_unit_dashboard
from app.services.records.dashboard.rollups import refresh_unit_rollups
from tests.factories import make_course, make_question, make_quiz, make_user
from tests.services.test_competency import graded_attempt
from tests.services.test_hr_dashboard import cadre, credit, enroll


@pytest.fixture
def city_year(tree):
    """Cadres of several ranks and categories across the tree with hours, enrollments,
    graded answers in three areas, quiz results and appraisal ratings."""
    year = local_year(utcnow())
    course = make_course("DB101", hours="10")
    quiz = make_quiz(course, [make_question("DB101-Q01", course=course)])
    people = [
        cadre(tree["jiefangbei"], rank=Rank.STAFF, category=WorkCategory.ECONOMY),
        cadre(tree["jiefangbei"], rank=Rank.SECTION, category=WorkCategory.ECONOMY),
        cadre(tree["chaotianmen"], rank=Rank.STAFF, category=WorkCategory.PUBLIC_SERVICE),
        cadre(tree["yuzhong"], rank=Rank.DIVISION, category=WorkCategory.ECONOMY),
        cadre(tree["guanyinqiao"], rank=Rank.STAFF, category=WorkCategory.ECONOMY),
        cadre(tree["city"], rank=Rank.BUREAU, category=WorkCategory.ADMINISTRATION),
    ]
    for index, person in enumerate(people):
        credit(person, course, str(12 * index + 3), year=year)
        enroll(person, course, done=index % 2 == 0, year=year)
        graded_attempt(quiz, person, [("DB101-Q01", CompetencyArea.DATA, index % 3, 2),
                                      ("DB101-Q01", CompetencyArea.SECURITY, 1, 2)])
        db.session.add(QuizResult(quiz_id=quiz.id, user_id=person.id,
                                  percent=Decimal(35 + 12 * index), passed=index > 2,
                                  attempts=1))
    db.session.flush()
    run_appraisal(year, unit=None, actor=None, now=utcnow())
    return year, make_user(unit=tree["city"], roles=[RoleName.ADMIN])


def _comparable(board):
    return (board.tiles, [(r.unit.code, r.own, r.figures) for r in board.children],
            board.score_buckets, [(m.area, None if m.percent is None else round(m.percent, 6),
                                   m.cadres) for m in board.mastery], board.ratings)


@pytest.mark.parametrize("unit", ["city", "yuzhong", "jiefangbei", "jiangbei"])
@pytest.mark.parametrize("rank, category", [(None, None), (Rank.STAFF, None),
                                            (None, WorkCategory.ECONOMY),
                                            (Rank.STAFF, WorkCategory.ECONOMY)])
def test_rollups_give_the_live_figures(tree, city_year, unit, rank, category):
    year, admin = city_year
    options = {"actor": admin, "year": year, "rank": rank, "category": category}
    live = build_unit_dashboard(tree[unit], **options)
    assert live.as_of is None
    refresh = refresh_unit_rollups(year, now=utcnow())
    stored = build_unit_dashboard(tree[unit], **options)
    assert stored.as_of == refresh.refreshed_at
    assert _comparable(stored) == _comparable(live)


def test_the_refresh_replaces_the_year_and_counts_the_cadres(tree, city_year):
    year, _admin = city_year
    first = refresh_unit_rollups(year, now=utcnow())
    count = db.session.scalar(select(func.count()).select_from(UnitRollup))
    second = refresh_unit_rollups(year, now=utcnow())
    assert db.session.scalar(select(func.count()).select_from(UnitRollup)) == count > 0
    assert first is second and second.cadres == 7  # the admin is a cadre too
    city_rows = db.session.scalars(select(UnitRollup).where(
        UnitRollup.org_unit_id == tree["city"].id, UnitRollup.own.is_(False))).all()
    assert sum(row.cadres for row in city_rows) == 7


def test_stale_rollups_are_ignored_and_later_results_show_after_a_refresh(tree, city_year,
                                                                         app):
    year, admin = city_year
    refresh_unit_rollups(year, now=utcnow() - timedelta(hours=1))
    assert build_unit_dashboard(tree["city"], actor=admin, year=year).as_of is None
    refresh_unit_rollups(year, now=utcnow())
    before = build_unit_dashboard(tree["city"], actor=admin, year=year)
    newcomer = cadre(tree["chaotianmen"])
    db.session.flush()
    assert build_unit_dashboard(tree["city"], actor=admin, year=year).tiles == before.tiles
    refresh_unit_rollups(year, now=utcnow())
    after = build_unit_dashboard(tree["city"], actor=admin, year=year)
    assert after.tiles.cadres == before.tiles.cadres + 1 and newcomer.id


def test_the_command_refreshes_this_year(runner, tree, city_year):
    year, _admin = city_year
    db.session.commit()
    result = runner.invoke(args=["hr-rollups", "refresh", "--year", str(year),
                                 "--year", str(year - 1)])
    assert result.exit_code == 0, result.output
    assert f"{year}: 7 cadres" in result.output and f"{year - 1}: 7 cadres" in result.output
    assert db.session.get(RollupRefresh, year) is not None
    assert db.session.get(RollupRefresh, year - 1) is not None


@pytest.mark.parametrize("unit", ["city", "yuzhong", "jiangbei"])
@pytest.mark.parametrize("rank, category", [(None, None), (Rank.STAFF, WorkCategory.ECONOMY)])
def test_the_compliance_list_from_the_rollups_is_the_live_one(tree, city_year, unit, rank,
                                                              category, count_queries):
    from datetime import date

    from app.domain.learning import local_today
    from app.models import Enrollment
    from app.services.records.dashboard import build_compliance_list
    from tests.factories import make_plan

    year, admin = city_year
    course = make_course("PL101")
    make_plan(unit=tree["yuzhong"], courses=[course], year=year, due_on=date(year, 1, 2))
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.course_id == course.id)) > 0
    options = {"actor": admin, "year": year, "rank": rank, "category": category}
    with count_queries() as computed:
        live = build_compliance_list(tree[unit], **options)
    refresh_unit_rollups(year, now=utcnow())
    with count_queries() as read:
        stored = build_compliance_list(tree[unit], **options)
    assert not any("cadre_rollup" in s for s in computed.statements)
    assert any("FROM cadre_rollup" in s for s in read.statements)  # the rollups were read
    assert stored.today == live.today == local_today(utcnow())
    assert stored.rows == live.rows
    if unit == "yuzhong" and rank is None:
        assert any(row.overdue_courses for row in stored.rows)  # the plan's due date passed
    other_day = build_compliance_list(tree[unit], today=date(year, 1, 1), **options)
    assert not any(row.overdue_courses for row in other_day.rows)  # another day: live
