"""The annual digital capability test (年度数字能力测评): one drawn test per tier and year."""


from sqlalchemy import select

from app.domain.assessment import annual_draw_rules, annual_tier_for_rank
from app.domain.learning import local_year_bounds
from app.domain.vocabulary import (
    CourseTier,
    GradingMethod,
    QuizKind,
    ReviewPolicy,
    ReviewTiming,
    RoleName,
)
from app.extensions import db
from app.models import Quiz, User
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied

TITLES = {
    CourseTier.FOUNDATION: "{year}年度数字能力测评（基础）",
    CourseTier.INTERMEDIATE: "{year}年度数字能力测评（进阶）",
    CourseTier.ADVANCED: "{year}年度数字能力测评（高阶）",
}


def annual_code(year: int, tier: CourseTier) -> str:
    return f"ANNUAL-{year}-{tier.value}"


def create_annual_tests(year: int, *, actor: User | None) -> list[Quiz]:
    """The three tier tests of a year (existing ones are left as they are)."""
    if actor is not None and not actor.has_role(RoleName.ADMIN, RoleName.TRAINER):
        raise PermissionDenied("trainers and administrators set up the annual test")
    opens, closes = local_year_bounds(year)
    tests = []
    for tier in CourseTier:
        code = annual_code(year, tier)
        quiz = db.session.scalar(select(Quiz).where(Quiz.code == code))
        if quiz is None:
            quiz = Quiz(code=code, kind=QuizKind.ANNUAL, tier=tier,
                        title=TITLES[tier].format(year=year), graded=False, pass_mark=60,
                        time_limit_minutes=60, max_attempts=2,
                        grading_method=GradingMethod.HIGHEST, review=ReviewPolicy.FULL,
                        review_after=ReviewTiming.SUBMIT, shuffle=True, opens_at=opens,
                        closes_at=closes, draw_rules=annual_draw_rules(tier.value))
            db.session.add(quiz)
            db.session.flush()
            record_event("assessment.annual_test_created", actor=actor, target=f"quiz:{code}")
        tests.append(quiz)
    return tests


def annual_test_for(user: User, year: int) -> Quiz | None:
    tier = CourseTier(annual_tier_for_rank(user.rank.value))
    return db.session.scalar(select(Quiz).where(Quiz.code == annual_code(year, tier)))
