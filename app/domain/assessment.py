"""Rules of assessment: who may start, deadlines, results under a grading method, review."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from app.domain.vocabulary import GradingMethod, ReviewPolicy, ReviewTiming

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class QuizWindow:
    opens_at: datetime | None
    closes_at: datetime | None
    max_attempts: int | None


def start_refusal(window: QuizWindow, *, now: datetime, attempts_used: int,
                  enrolled: bool) -> str | None:
    """Why a new attempt may not start (None when it may)."""
    if not enrolled:
        return "not_enrolled"
    if window.opens_at is not None and now < window.opens_at:
        return "not_open_yet"
    if window.closes_at is not None and now >= window.closes_at:
        return "closed"
    if window.max_attempts is not None and attempts_used >= window.max_attempts:
        return "no_attempts_left"
    return None


def attempt_deadline(started_at: datetime, *, limit_minutes: int | None, extra_percent: int = 0,
                     closes_at: datetime | None = None) -> datetime | None:
    """The time limit (stretched by an accommodation), never past the quiz's closing time."""
    deadline = None
    if limit_minutes is not None:
        minutes = limit_minutes * (100 + max(extra_percent, 0)) / 100
        deadline = started_at + timedelta(minutes=minutes)
    if closes_at is not None:
        deadline = closes_at if deadline is None else min(deadline, closes_at)
    return deadline


def is_past_deadline(deadline: datetime | None, moment: datetime, grace_seconds: int) -> bool:
    return deadline is not None and moment > deadline + timedelta(seconds=grace_seconds)


def attempt_total(parts: Sequence[Decimal | None]) -> Decimal:
    """An attempt's score: the exact sum of its answers' unrounded points, rounded once,
    half up, to cents (per-answer points are shown in cents, but three answers worth a third
    of a point each make 1.00, not 0.99). The sum is first settled at 6 decimals so the
    storage of thirds (10 decimals) cannot move a total that lies exactly on a half cent."""
    exact = sum((part or Decimal(0) for part in parts), Decimal(0))
    return exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    if max_score <= 0:
        return Decimal(0)
    return (score * HUNDRED / max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def standing_percent(method: GradingMethod, percents: Sequence[Decimal]) -> Decimal | None:
    """The result a grading method keeps from graded attempts, listed oldest first."""
    if not percents:
        return None
    if method is GradingMethod.HIGHEST:
        return max(percents)
    if method is GradingMethod.LATEST:
        return percents[-1]
    if method is GradingMethod.FIRST:
        return percents[0]
    average = sum(percents, Decimal(0)) / len(percents)
    return average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def review_level(policy: ReviewPolicy, timing: ReviewTiming, *, closes_at: datetime | None,
                 now: datetime) -> ReviewPolicy:
    """What the cadre sees now: the policy, or only the score until the quiz closes."""
    if timing is ReviewTiming.CLOSE and (closes_at is None or now < closes_at):
        return ReviewPolicy.SCORE_ONLY
    return policy


@dataclass(frozen=True)
class DrawRule:
    bank: str  # "course" or "shared"
    area: str
    difficulty: int | None
    count: int


def draw_questions(rules: Sequence[DrawRule], pool: Mapping[tuple[str, str, int], Sequence[str]],
                   rng: Random) -> list[str]:
    """Question keys drawn by the rules from a pool keyed by (bank, area, difficulty).

    A key is never drawn twice; a rule that cannot be satisfied raises ValueError.
    """
    taken: set[str] = set()
    drawn: list[str] = []
    for rule in rules:
        candidates = sorted(
            key for (bank, area, difficulty), keys in pool.items()
            if bank == rule.bank and area == rule.area
            and (rule.difficulty is None or difficulty == rule.difficulty)
            for key in keys if key not in taken)
        if len(candidates) < rule.count:
            raise ValueError(f"only {len(candidates)} questions for {rule}")
        chosen = rng.sample(candidates, rule.count)
        taken.update(chosen)
        drawn.extend(chosen)
    return drawn


def question_seeds(seed: int, count: int) -> list[int]:
    """One seed per question position, derived from the attempt's seed."""
    rng = Random(seed)
    return [rng.getrandbits(32) for _ in range(count)]


# The annual digital capability test (年度数字能力测评): one test per tier, every area
# equally weighted, harder mixes for higher tiers. Counts per area: {difficulty: n}.
ANNUAL_BLUEPRINTS: Mapping[str, Mapping[int, int]] = {
    "foundation": {1: 4, 2: 3, 3: 1},
    "intermediate": {1: 3, 2: 3, 3: 2},
    "advanced": {1: 2, 2: 3, 3: 3},
}
ANNUAL_AREAS = ("mindset", "data", "governance", "security", "application")


def annual_draw_rules(tier: str) -> list[dict]:
    """Draw rules covering all five areas: 8 questions per area, 40 in all."""
    return [{"bank": "shared", "area": area, "difficulty": difficulty, "count": count}
            for area in ANNUAL_AREAS
            for difficulty, count in sorted(ANNUAL_BLUEPRINTS[tier].items())]


def annual_tier_for_rank(rank: str) -> str:
    """Which annual test a cadre takes: leaders the advanced one, grassroots the foundation."""
    return {"bureau": "advanced", "division": "advanced", "section": "intermediate",
            "staff": "foundation", "grassroots": "foundation"}[rank]
