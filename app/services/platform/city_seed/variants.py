"""The demo courses' graded quizzes, prepared once for the set-based writer.

Each prepared variant is what the real use cases make of one attempt seed: the snapshot
(app.services.assessment.attempts.build_snapshot), and for each question the response a cadre posts
when right and when wrong (demo_response, parsed by the question type as save_answer does)
with the points grading gives it (app.domain.grading.grade_response, as grade_attempt
does). Generated attempts reuse these seeds, so every stored snapshot is exactly the one
its seed rebuilds, and every answer's points are what grading would give.
"""

import json
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.city_study import CourseShape, VariantPoints
from app.domain.demo_study import DEMO_STUDY
from app.domain.grading import grade_response, question_type
from app.domain.vocabulary import GradingMethod, QuizKind
from app.extensions import db
from app.models import Course, Lesson, Quiz
from app.services.assessment.attempts import build_snapshot
from app.services.platform.demo.answers import demo_response

#: Prepared variants per quiz: enough that neighbours rarely see the same order.
VARIANTS_PER_QUIZ = 24


@dataclass(frozen=True)
class AnswerRow:
    """An attempt_answer's graded columns for one question answered one way."""

    response: str  # JSON
    points: Decimal
    question_key: str
    area: str
    max_points: Decimal


@dataclass(frozen=True)
class QuizVariant:
    seed: int
    snapshot: str  # JSON, as Attempt.questions stores it
    right: tuple[AnswerRow, ...]
    wrong: tuple[AnswerRow, ...]
    max_score: Decimal


@dataclass(frozen=True)
class PreparedCourse:
    course: Course
    lesson_ids: tuple[int, ...]
    quiz: Quiz | None
    variants: tuple[QuizVariant, ...]
    shape: CourseShape


def prepare_courses(seed: int) -> dict[str, PreparedCourse]:
    """The demo study's courses that exist, with their quiz variants."""
    courses = db.session.scalars(select(Course).where(
        Course.code.in_([code for code, _ in DEMO_STUDY])))
    return {course.code: _prepare(course, seed) for course in courses}


def _prepare(course: Course, seed: int) -> PreparedCourse:
    lesson_ids = tuple(db.session.scalars(select(Lesson.id).where(
        Lesson.course_id == course.id).order_by(Lesson.number)))
    quiz = db.session.scalar(select(Quiz).where(
        Quiz.course_id == course.id, Quiz.kind == QuizKind.COURSE, Quiz.graded.is_(True))
        .order_by(Quiz.id).limit(1))
    graded = db.session.scalar(select(func.count(Quiz.id)).where(
        Quiz.course_id == course.id, Quiz.graded.is_(True)))
    variants = ()
    if quiz is not None:
        if quiz.grading_method is not GradingMethod.HIGHEST:
            raise ValueError(f"{quiz.code}: the generator assumes the highest attempt counts")
        seeds = random.Random(f"{seed}:{course.code}")
        variants = tuple(_variant(quiz, seeds.getrandbits(48))
                         for _ in range(VARIANTS_PER_QUIZ))
    shape = CourseShape(
        code=course.code, lessons=len(lesson_ids),
        variants=tuple(VariantPoints(tuple(a.points for a in v.right),
                                     tuple(a.points for a in v.wrong), v.max_score)
                       for v in variants),
        pass_mark=quiz.pass_mark if quiz else 0, completes_on_pass=graded == 1)
    return PreparedCourse(course, lesson_ids, quiz, variants, shape)


def _variant(quiz: Quiz, seed: int) -> QuizVariant:
    snapshot = build_snapshot(quiz, seed)
    right, wrong = [], []
    for item in snapshot:
        right.append(_answer(item, correct=True))
        wrong.append(_answer(item, correct=False))
    return QuizVariant(seed, json.dumps(snapshot, ensure_ascii=False), tuple(right),
                       tuple(wrong), sum((Decimal(str(q["points"])) for q in snapshot),
                                         Decimal(0)))


def _answer(item: dict, *, correct: bool) -> AnswerRow:
    raw = demo_response(item, correct=correct)
    if raw is None:
        raise ValueError(f"{item['key']}: the demo cannot answer a {item['type']} question")
    response = question_type(item["type"]).parse(item["spec"], item["display"], raw)
    max_points = Decimal(str(item["points"]))
    points = grade_response(item["type"], item["spec"], item["display"], response, max_points)
    return AnswerRow(json.dumps(response, ensure_ascii=False), points, item["key"],
                     item["area"], max_points)
