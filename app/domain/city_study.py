"""A generated cadre's year of study, as plain values (pure, deterministic for a username).

Which courses a cadre takes, which questions they get right and whether they retake come
from app.domain.demo_study, the rules the real-use-case demo follows too. This module adds
what the set-based city generator needs on top: which of a few prepared quiz variants each
attempt shows, the scores that follow from the points of those variants, and a timeline
inside the year (enrolment, lessons a few minutes apart, attempts within the time limit,
completion at the passing grade).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from app.domain.assessment import percent_of
from app.domain.demo_study import (
    RETAKE_BOOSTS,
    answer_draw,
    chance,
    courses_taken,
    right_answers,
    skill_of,
)

LESSON_GAP = timedelta(minutes=25)
ANSWER_GAP = timedelta(seconds=50)
#: At most this long between a cadre's first lesson of the year and their last attempt.
STUDY_SPAN = timedelta(days=40)


@dataclass(frozen=True)
class VariantPoints:
    """One prepared variant of a quiz: points per position when right and when wrong."""

    right: tuple[Decimal, ...]
    wrong: tuple[Decimal, ...]
    max_score: Decimal


@dataclass(frozen=True)
class CourseShape:
    code: str
    lessons: int
    #: The graded course quiz's variants (empty when the course has no graded quiz).
    variants: tuple[VariantPoints, ...]
    pass_mark: int
    #: Passing the course quiz completes the course (False when another graded assessment,
    #: e.g. a data exercise the demo cadres leave undone, is also required).
    completes_on_pass: bool


@dataclass(frozen=True)
class AttemptPlan:
    number: int
    variant: int
    rights: tuple[bool, ...]
    score: Decimal
    percent: Decimal
    passed: bool
    started_at: datetime

    def answer_saved_at(self, position: int) -> datetime:
        return self.started_at + ANSWER_GAP * (position + 1)

    @property
    def submitted_at(self) -> datetime:
        return self.answer_saved_at(len(self.rights)) + ANSWER_GAP


@dataclass(frozen=True)
class CourseYear:
    code: str
    started_at: datetime
    lesson_times: tuple[datetime, ...]
    attempts: tuple[AttemptPlan, ...]
    completed_at: datetime | None


def study_year(username: str, shapes: dict[str, CourseShape], start: datetime,
               end: datetime) -> list[CourseYear]:
    """The courses this cadre studies between ``start`` and ``end`` (datetimes in one zone,
    or all naive UTC as the generator uses them)."""
    span = min(STUDY_SPAN, (end - start) / 2)
    clock = random.Random(f"{username}:clock")
    first_day = start + (end - start - span) * chance(username + ":day")
    skill = skill_of(username)
    year, moment = [], first_day
    for code in courses_taken(username):
        shape = shapes.get(code)
        if shape is None:
            continue
        course = _study_course(username, shape, skill, moment, clock)
        year.append(course)
        moment = _last_moment(course) + span / 8 * clock.random()
    return year


def _study_course(username: str, shape: CourseShape, skill: float, begin: datetime,
                  clock: random.Random) -> CourseYear:
    lessons = tuple(begin + LESSON_GAP * (index + 1) for index in range(shape.lessons))
    attempts: list[AttemptPlan] = []
    moment = (lessons[-1] if lessons else begin) + LESSON_GAP
    if shape.variants:
        draw = answer_draw(username, shape.code)
        for number, boost in enumerate(RETAKE_BOOSTS, start=1):
            attempt = _attempt(shape, number, draw, skill, boost, moment, clock)
            attempts.append(attempt)
            if attempt.passed:
                break
            moment = attempt.submitted_at + timedelta(hours=20 + 8 * clock.random())
    passed = any(a.passed for a in attempts)
    completed = attempts[-1].submitted_at if passed and shape.completes_on_pass else None
    return CourseYear(shape.code, begin, lessons, tuple(attempts), completed)


def _attempt(shape: CourseShape, number: int, draw: random.Random, skill: float,
             boost: float, moment: datetime, clock: random.Random) -> AttemptPlan:
    index = clock.randrange(len(shape.variants))
    variant = shape.variants[index]
    rights = tuple(right_answers(draw, len(variant.right), skill, boost))
    score = sum((variant.right[i] if right else variant.wrong[i]
                 for i, right in enumerate(rights)), Decimal(0))
    percent = percent_of(score, variant.max_score)
    return AttemptPlan(number, index, rights, score, percent, percent >= shape.pass_mark,
                       moment)


def _last_moment(course: CourseYear) -> datetime:
    if course.attempts:
        return course.attempts[-1].submitted_at
    return course.lesson_times[-1] if course.lesson_times else course.started_at
