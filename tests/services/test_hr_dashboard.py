from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.appraisal import Rating, Scheme, default_scheme
from app.domain.learning import CITY_TIMEZONE, local_year
from app.domain.vocabulary import (
    CompetencyArea,
    CreditKind,
    EnrollmentSource,
    Rank,
    RoleName,
    WorkCategory,
)
from app.extensions import db
from app.models import Enrollment, HourCredit, PlanDueExtension, QuizResult
from app.models.types import utcnow
from app.services.appraisal.run import run_appraisal
from app.services.appraisal.schemes import RANKS, save_scheme
from app.services.core.errors import PermissionDenied
from app.services.people.accounts import create_user
from app.services.records.dashboard import (
    build_compliance_list,
    build_unit_dashboard,
    iter_unit_cadres,
    list_unit_cadres,
)
from tests.factories import (
    make_course,
    make_plan,
    make_question,
    make_quiz,
    make_unit,
    make_user,
)
from tests.services.test_competency import graded_attempt

YEAR = 2026
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
_numbers = iter(range(1, 10_000))


def cadre(unit, *, rank=Rank.STAFF, name="干部", category=WorkCategory.ECONOMY):
    """A cadre without hashing a password (argon2 is slow for dozens of people)."""
    return create_user(username=f"D{next(_numbers):05d}", name=name, org_unit=unit, rank=rank,
                       category=category, password_hash=HASH, actor=None)


def credit(user, course, hours, *, year=YEAR):
    db.session.add(HourCredit(user_id=user.id, course_id=course.id, year=year,
                              hours=Decimal(hours), kind=CreditKind.ELECTIVE,
                              credited_at=datetime(year, 5, 1, tzinfo=CITY_TIMEZONE)))


def enroll(user, course, *, done=False, year=YEAR, **extra):
    when = datetime(year, 3, 1, tzinfo=CITY_TIMEZONE)
    db.session.add(Enrollment(user_id=user.id, course_id=course.id, enrolled_at=when,
                              completed_at=when + timedelta(days=30) if done else None,
                              source=extra.pop("source", EnrollmentSource.SELF), **extra))


def hr_of(unit, tree):
    """HR scoped to the unit, working in the city's office (HR are cadres too)."""
    return make_user(unit=tree["city"], roles=[RoleName.HR], scope=unit, name="组织部")


@pytest.fixture
def course(tree):
    return make_course("DB101", hours="10")


def test_tiles_and_child_rows_sum_the_subtree(tree, course):
    a, b = cadre(tree["jiefangbei"]), cadre(tree["jiefangbei"])
    c = cadre(tree["chaotianmen"], rank=Rank.SECTION)
    direct = cadre(tree["yuzhong"])
    cadre(tree["guanyinqiao"])  # another district: never counted under 渝中区
    credit(a, course, "50")
    credit(b, course, "20")
    credit(c, course, "60.5")
    enroll(a, course, done=True)
    enroll(b, course)
    enroll(direct, course, done=True)
    db.session.flush()
    board = build_unit_dashboard(tree["yuzhong"], actor=hr_of(tree["yuzhong"], tree), year=YEAR)
    tiles = board.tiles
    assert (tiles.cadres, tiles.enrolled, tiles.enrollments, tiles.completed) == (4, 3, 3, 2)
    assert tiles.hours == Decimal("130.5") and tiles.average_hours == Decimal("32.6")
    assert tiles.on_target == 2 and tiles.on_target_rate == 0.5
    assert tiles.completion_rate == pytest.approx(2 / 3)
    rows = {row.unit.code: row for row in board.children}
    assert rows["500103001"].figures.cadres == 2 and rows["500103001"].figures.on_target == 1
    assert rows["500103002"].figures.hours == Decimal("60.5")
    own = rows["500103"]
    assert own.own and own.figures.cadres == 1 and own.figures.completed == 1
    assert [c.code for c in board.breadcrumbs] == ["500103"]
    assert board.has_data and board.ratings == ()


def test_targets_follow_the_nearest_scheme_and_filters_narrow_everything(tree, course):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    strict = Scheme(hours_targets={**default_scheme(RANKS).hours_targets, "staff": 80})
    save_scheme(YEAR, tree["jiefangbei"], strict, actor=admin)
    here, there = cadre(tree["jiefangbei"]), cadre(tree["chaotianmen"])
    boss = cadre(tree["chaotianmen"], rank=Rank.DIVISION)
    for person in (here, there, boss):
        credit(person, course, "60")
    db.session.flush()
    board = build_unit_dashboard(tree["yuzhong"], actor=admin, year=YEAR)
    rows = {row.unit.code: row.figures for row in board.children}
    assert rows["500103001"].on_target == 0  # 60 of 80 under the street's own scheme
    assert rows["500103002"].on_target == 2
    narrowed = build_unit_dashboard(tree["yuzhong"], actor=admin, year=YEAR,
                                    rank=Rank.DIVISION)
    assert narrowed.tiles.cadres == 1 and narrowed.tiles.hours == Decimal(60)
    page = list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR)
    assert {(r.user_id, r.target, r.on_target) for r in page.items} == {
        (here.id, 80, False), (there.id, 50, True), (boss.id, 50, True)}


def test_scores_mastery_and_ratings(tree, course):
    """Attempts are graded now, so this test works in the current year throughout."""
    year = local_year(utcnow())
    question = make_question("DB101-Q01", course=course)
    quiz = make_quiz(course, [question])
    strong, weak, _idle = (cadre(tree["jiefangbei"]) for _ in range(3))
    graded_attempt(quiz, strong, [("DB101-Q01", CompetencyArea.DATA, 2, 2),
                                  ("DB101-Q01", CompetencyArea.SECURITY, 1, 2)])
    graded_attempt(quiz, weak, [("DB101-Q01", CompetencyArea.DATA, 0, 2)])
    db.session.add_all([QuizResult(quiz_id=quiz.id, user_id=strong.id, percent=Decimal(95),
                                   passed=True, attempts=1),
                        QuizResult(quiz_id=quiz.id, user_id=weak.id, percent=Decimal(40),
                                   passed=False, attempts=1)])
    credit(strong, course, "50", year=year)
    db.session.flush()
    run_appraisal(year, unit=None, actor=None, now=utcnow())
    board = build_unit_dashboard(tree["city"], actor=hr_of(tree["city"], tree), year=year)
    assert [(b.label, b.count) for b in board.score_buckets] == [
        ("0–59", 1), ("60–69", 0), ("70–79", 0), ("80–89", 0), ("90–100", 1)]
    assert board.tiles.average_score == pytest.approx(67.5)
    mastery = {m.area: m for m in board.mastery}
    assert mastery[CompetencyArea.DATA].percent == pytest.approx(50.0)  # (100 + 0) / 2
    assert mastery[CompetencyArea.DATA].cadres == 2
    assert mastery[CompetencyArea.SECURITY].percent == pytest.approx(50.0)
    assert mastery[CompetencyArea.MINDSET].percent is None
    assert board.rated == 3  # the idle cadre is rated too; HR, added after the run, is not
    assert sum(n for rating, n in board.ratings if rating is not Rating.EXEMPT) == 3
    assert [rating for rating, _n in board.ratings] == list(Rating)
    other = build_unit_dashboard(tree["city"], actor=hr_of(tree["city"], tree), year=year - 1)
    assert other.ratings == () and not other.has_data


def test_a_unit_without_cadres_and_a_year_without_data(tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    empty = make_unit("500105009", "空街道", parent=tree["jiangbei"])
    board = build_unit_dashboard(empty, actor=admin, year=YEAR)
    assert board.tiles.cadres == 0 and board.children == () and not board.has_data
    assert board.tiles.completion_rate is None and board.tiles.average_hours is None
    cadre(tree["guanyinqiao"])
    quiet = build_unit_dashboard(tree["jiangbei"], actor=admin, year=2019)
    assert quiet.tiles.cadres == 1 and not quiet.has_data
    assert all(b.count == 0 for b in quiet.score_buckets)


def test_hr_outside_the_scope_is_refused_naming_the_unit(tree):
    yuzhong_hr = hr_of(tree["yuzhong"], tree)
    with pytest.raises(PermissionDenied) as refused:
        build_unit_dashboard(tree["jiangbei"], actor=yuzhong_hr, year=YEAR)
    assert refused.value.target == f"org_unit:{tree['jiangbei'].id}"  # for the audit log
    plain = make_user(unit=tree["jiefangbei"])
    for call in (build_unit_dashboard, list_unit_cadres, build_compliance_list):
        with pytest.raises(PermissionDenied):
            call(tree["yuzhong"], actor=plain, year=YEAR, **(
                {"today": date(YEAR, 6, 1)} if call is build_compliance_list else {}))
    # The city HR's breadcrumbs start at the city; 渝中区's HR sees none above 渝中区.
    street = build_unit_dashboard(tree["jiefangbei"], actor=yuzhong_hr, year=YEAR)
    assert [c.code for c in street.breadcrumbs] == ["500103", "500103001"]


def test_the_query_count_does_not_grow_with_the_cadres(tree, course, count_queries):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])

    def populate(count):
        for i in range(count):
            person = cadre(tree["jiefangbei" if i % 2 else "guanyinqiao"])
            credit(person, course, str(10 + i))
            enroll(person, course, done=bool(i % 3))
        db.session.flush()

    def measure():
        with count_queries() as counter:
            build_unit_dashboard(tree["city"], actor=admin, year=YEAR, sort="-hours")
            list_unit_cadres(tree["city"], actor=admin, year=YEAR)
            build_compliance_list(tree["city"], actor=admin, year=YEAR, today=date(YEAR, 6, 1))
        return counter.count

    populate(3)
    few = measure()
    populate(27)
    assert measure() == few
    assert few <= 14


def test_paging_search_and_streaming(tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    for i in range(5):
        cadre(tree["jiefangbei"], name=f"张{i}")
    cadre(tree["chaotianmen"], name="李_百分%")
    db.session.flush()
    page = list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR, page=2, per_page=4)
    assert page.total == 6 and len(page.items) == 2 and page.pages == 2
    assert list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR, text="张").total == 5
    found = list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR, text="_百分%")
    assert [r.name for r in found.items] == ["李_百分%"]
    assert list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR, text="%").total == 1
    nobody = list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR, text="无此人")
    assert (nobody.total, nobody.items) == (0, [])
    beyond = list_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR, page=9, per_page=4)
    assert beyond.items == [] and beyond.total == 6
    assert len(list(iter_unit_cadres(tree["yuzhong"], actor=admin, year=YEAR))) == 6


def test_child_rows_sort_by_any_column(tree, course):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    credit(cadre(tree["jiefangbei"]), course, "10")
    credit(cadre(tree["guanyinqiao"]), course, "40")
    cadre(tree["guanyinqiao"])
    db.session.flush()

    def order(sort):
        board = build_unit_dashboard(tree["city"], actor=admin, year=YEAR, sort=sort)
        return [row.unit.code for row in board.children if not row.own]

    assert order("") == ["500103", "500105"]
    assert order("-cadres") == ["500105", "500103"]
    assert order("hours") == ["500103", "500105"]  # 10 vs 20 on average
    assert order("-hours") == ["500105", "500103"]
    assert order("score") == ["500103", "500105"]  # no scores: tree order kept


def test_compliance_lists_cadres_behind_or_overdue_and_honours_extensions(tree, course):
    hr = hr_of(tree["yuzhong"], tree)
    plan = make_plan(unit=tree["yuzhong"], courses=[course], due_on=date(YEAR, 6, 30),
                     actor=hr)
    late, extended, fine = (cadre(tree["jiefangbei"], name=n) for n in ("迟", "延", "好"))
    from app.services.learning.plans.assigning import sync_plan_enrollments

    sync_plan_enrollments(plan)
    for person in (late, extended, fine):
        credit(person, course, "55")
    db.session.execute(Enrollment.__table__.update().where(Enrollment.user_id == fine.id)
                       .values(completed_at=datetime(YEAR, 5, 1, tzinfo=CITY_TIMEZONE)))
    db.session.add(PlanDueExtension(plan_id=plan.id, user_id=extended.id,
                                    due_on=date(YEAR, 9, 30), reason="r", document_ref="d"))
    behind = cadre(tree["chaotianmen"], name="少")
    credit(behind, course, "12")
    db.session.flush()
    result = build_compliance_list(tree["yuzhong"], actor=hr, year=YEAR,
                                   today=date(YEAR, 7, 15))
    rows = {row.name: row for row in result.rows}
    assert set(rows) == {"迟", "少"}
    assert rows["迟"].overdue_courses == 1 and rows["迟"].first_overdue_on == date(YEAR, 6, 30)
    assert not rows["迟"].behind_on_hours
    assert rows["少"].behind_on_hours and rows["少"].shortfall == Decimal(38)
    assert result.rows[0].name == "迟"  # overdue first
    later = build_compliance_list(tree["yuzhong"], actor=hr, year=YEAR, today=date(YEAR, 10, 1))
    assert {row.name for row in later.rows} == {"迟", "延", "少"}
