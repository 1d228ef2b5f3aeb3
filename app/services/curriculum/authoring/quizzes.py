"""Course quizzes on the authoring pages: settings, and a fixed list or draw rules.

A trainer may save here what a quiz file may say (courses/README.md, Quizzes): the same
limits, bank checks (course_files.bank_check) and content hash. A change of content gives
the quiz its next version; attempts keep their snapshot, so no past score moves. Opening
and closing times are not in the files: changing only them changes no version.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, or_, select

from app.domain.course_files import DrawRule, QuizSpec, StoredQuestion, quiz_hash
from app.domain.course_files.bank_check import UNDRAWN_TYPES, Banks
from app.domain.course_files.quizzes import MAX_ATTEMPTS, MAX_DRAW, MAX_MINUTES, MAX_TITLE
from app.domain.course_files.spec import DRAW_BANKS, QUIZ_SLUG
from app.domain.vocabulary import (
    CompetencyArea,
    GradingMethod,
    QuestionStatus,
    QuizKind,
    ReviewPolicy,
    ReviewTiming,
)
from app.extensions import db
from app.models import Attempt, Course, Question, Quiz, User
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.courses import EditConflict, refresh_course_content

MAX_RULES = 20
MAX_QUESTIONS = 200
MAX_SLUG = 56  # "<CODE>/<slug>" fits the 64-character quiz code


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with a form: the field (or "draw-<row>"), a code and its values."""

    field: str
    code: str
    params: dict = field(default_factory=dict)


class AssessmentInputError(ServiceError):
    """Nothing was saved; `problems` say what to fix, each on its field."""

    def __init__(self, problems: list[InputProblem]):
        super().__init__("; ".join(f"{p.field}: {p.code} {p.params}" for p in problems))
        self.problems = problems


@dataclass
class AssessmentSettings:
    """What quizzes and exercises share (the quiz keys of a file, plus the dates)."""

    title: str
    graded: bool = True
    pass_mark: int = 60
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    grading_method: GradingMethod = GradingMethod.HIGHEST
    review: ReviewPolicy = ReviewPolicy.FULL
    review_after: ReviewTiming = ReviewTiming.SUBMIT
    #: Aware UTC datetimes (the form reads local Asia/Shanghai time).
    opens_at: datetime | None = None
    closes_at: datetime | None = None


@dataclass(frozen=True)
class DrawRow:
    bank: str
    area: str
    difficulty: int | None
    count: int


@dataclass
class QuizInput:
    slug: str
    settings: AssessmentSettings
    shuffle: bool = True
    question_keys: list[str] = field(default_factory=list)
    draw: list[DrawRow] = field(default_factory=list)


def attempt_count(quiz: Quiz) -> int:
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id))


def find_course_quiz(quiz_id: int, *, actor: User) -> Quiz:
    """A course quiz (not an exercise, not an annual test) the actor may edit."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.kind is not QuizKind.COURSE or quiz.course is None:
        raise NotFound(str(quiz_id))
    ensure_may_edit(actor, quiz.course)
    return quiz


def bank_questions(course: Course) -> list[Question]:
    """The active questions a fixed list may name: the course's bank, then the shared bank."""
    rows = db.session.scalars(select(Question).where(
        or_(Question.course_id == course.id, Question.course_id.is_(None)),
        Question.status == QuestionStatus.ACTIVE))
    return sorted(rows, key=lambda q: (q.course_id is None, q.key))


def count_drawable(course: Course, bank: str, area: str, difficulty: int | None) -> int:
    """Active questions a draw rule could take (essays are never drawn)."""
    statement = select(func.count(Question.id)).where(
        Question.status == QuestionStatus.ACTIVE, Question.type.not_in(UNDRAWN_TYPES),
        Question.area == CompetencyArea(area),
        Question.course_id.is_(None) if bank == "shared" else Question.course_id == course.id)
    if difficulty is not None:
        statement = statement.where(Question.difficulty == difficulty)
    return db.session.scalar(statement)


def check_settings(settings: AssessmentSettings) -> list[InputProblem]:
    """The limits of a quiz file's settings, and opening before closing."""
    problems = []
    title = settings.title.strip()
    if not title or "\n" in title:
        problems.append(InputProblem("title", "required"))
    elif len(title) > MAX_TITLE:
        problems.append(InputProblem("title", "too_long", {"max": MAX_TITLE}))
    for name, low, high, value in (
            ("pass_mark", 0, 100, settings.pass_mark),
            ("time_limit_minutes", 1, MAX_MINUTES, settings.time_limit_minutes),
            ("max_attempts", 1, MAX_ATTEMPTS, settings.max_attempts)):
        if value is not None and not low <= value <= high:
            problems.append(InputProblem(name, "range", {"min": low, "max": high}))
    if settings.opens_at and settings.closes_at and settings.closes_at <= settings.opens_at:
        problems.append(InputProblem("closes_at", "dates_order"))
    return problems


def check_slug(course: Course, slug: str, pattern, longest: int, *,
               current: Quiz | None) -> list[InputProblem]:
    """The slug's form, and that no quiz or exercise of the course has the code already."""
    if not pattern.fullmatch(slug or ""):
        return [InputProblem("slug", "bad_slug", {"max": longest})]
    code = f"{course.code}/{slug}"
    if current is not None and current.code == code:
        return []
    other = db.session.scalar(select(Quiz).where(Quiz.code == code))
    if other is not None:
        return [InputProblem("slug", "slug_taken", {"code": code, "kind": other.kind.value})]
    if current is not None and attempt_count(current):
        return [InputProblem("slug", "slug_locked", {"code": current.code})]
    return []


def apply_settings(quiz: Quiz, settings: AssessmentSettings) -> None:
    quiz.title = settings.title.strip()
    quiz.graded = settings.graded
    quiz.pass_mark = settings.pass_mark
    quiz.time_limit_minutes = settings.time_limit_minutes
    quiz.max_attempts = settings.max_attempts
    quiz.grading_method = settings.grading_method
    quiz.review = settings.review
    quiz.review_after = settings.review_after
    quiz.opens_at = settings.opens_at
    quiz.closes_at = settings.closes_at


def create_quiz(course: Course, data: QuizInput, *, actor: User) -> Quiz:
    ensure_may_edit(actor, course)
    _check(course, data, current=None)
    quiz = Quiz(code=f"{course.code}/{data.slug}", kind=QuizKind.COURSE, course_id=course.id,
                version=1)
    _fill(quiz, course, data)
    db.session.add(quiz)
    db.session.flush()
    refresh_course_content(course)
    record_event("authoring.quiz_created", actor=actor, target=f"quiz:{quiz.code}",
                 details={"quiz_id": quiz.id, "title": quiz.title})
    return quiz


def update_quiz(quiz: Quiz, data: QuizInput, *, revision: str, actor: User) -> bool:
    """Save the form opened at `revision` (the quiz's content hash then); True when the
    content changed and the quiz has its next version."""
    course = quiz.course
    ensure_may_edit(actor, course)
    db.session.refresh(quiz, with_for_update=True)
    if revision != quiz.content_hash:
        raise EditConflict(quiz.code)
    _check(course, data, current=quiz)
    before = quiz.content_hash
    quiz.code = f"{course.code}/{data.slug}"
    _fill(quiz, course, data)
    changed = quiz.content_hash != before
    if changed:
        quiz.version += 1
    db.session.flush()
    refresh_course_content(course)
    record_event("authoring.quiz_edited", actor=actor, target=f"quiz:{quiz.code}",
                 details={"quiz_id": quiz.id, "version": quiz.version, "content": changed})
    return changed


def _fill(quiz: Quiz, course: Course, data: QuizInput) -> None:
    apply_settings(quiz, data.settings)
    quiz.shuffle = data.shuffle
    quiz.question_keys = list(data.question_keys)
    quiz.draw_rules = [rule.as_dict() for rule in _rules(data.draw)]
    quiz.content_hash = quiz_hash(quiz_spec(course, data))


def quiz_spec(course: Course, data: QuizInput) -> QuizSpec:
    settings = data.settings
    return QuizSpec(
        course_code=course.code, slug=data.slug, title=settings.title.strip(),
        graded=settings.graded, pass_mark=settings.pass_mark,
        time_limit_minutes=settings.time_limit_minutes, max_attempts=settings.max_attempts,
        grading_method=settings.grading_method, review=settings.review,
        review_after=settings.review_after, shuffle=data.shuffle,
        question_keys=list(data.question_keys), draw=_rules(data.draw))


def _rules(rows: list[DrawRow]) -> list[DrawRule]:
    # `line` locates a problem; here it is the rule's row on the form.
    return [DrawRule(bank=row.bank, area=CompetencyArea(row.area), difficulty=row.difficulty,
                     count=row.count, line=index) for index, row in enumerate(rows)]


def _check(course: Course, data: QuizInput, *, current: Quiz | None) -> None:
    problems = check_settings(data.settings) + check_slug(course, data.slug, QUIZ_SLUG,
                                                          MAX_SLUG, current=current)
    if bool(data.question_keys) == bool(data.draw):
        problems.append(InputProblem("questions", "questions_or_draw"))
    elif data.question_keys:
        problems += _question_problems(course, data.question_keys)
    else:
        problems += draw_problems(course, data.draw)
    if problems:
        raise AssessmentInputError(problems)


def _stored_bank(course: Course, extra_keys: list[str] = ()) -> Banks:
    """The course's bank and the shared bank as the file checks see them (one query)."""
    wanted = or_(Question.course_id == course.id, Question.course_id.is_(None),
                 Question.key.in_(list(extra_keys)))
    rows = db.session.execute(
        select(Question.key, Course.code, Question.type, Question.area, Question.difficulty,
               Question.status).outerjoin(Course, Course.id == Question.course_id).where(wanted))
    stored = [StoredQuestion(key=key, course_code=code, type=kind, area=area,
                             difficulty=difficulty, active=status is QuestionStatus.ACTIVE)
              for key, code, kind, area, difficulty, status in rows]
    return Banks({}, None, stored)


def _question_problems(course: Course, keys: list[str]) -> list[InputProblem]:
    if len(keys) > MAX_QUESTIONS:
        return [InputProblem("questions", "too_many_questions", {"max": MAX_QUESTIONS})]
    if len(set(keys)) != len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        return [InputProblem("questions", "question_twice", {"key": twice})]
    banks = _stored_bank(course, keys)
    return [InputProblem("questions", "question_unknown", {"key": key})
            for key in keys if banks.reference_problem(key, course.code) is not None]


def draw_problems(course: Course, rows: list[DrawRow]) -> list[InputProblem]:
    """Each rule's problems on its row: bad values, a repeat, or a bank too small.

    The bank checks are the import's (Banks.draw_problems): one rule alone finds a
    shortage; all rules with counts of zero find only rules in the wrong order; what
    all rules together find besides those is a shortage of a bank and area as a whole.
    """
    if len(rows) > MAX_RULES:
        return [InputProblem("draw", "too_many_rules", {"max": MAX_RULES})]
    problems = _row_value_problems(rows)
    if problems:
        return problems
    banks = _stored_bank(course)
    rules = _rules(rows)
    seen: set[tuple[int | None, str]] = set()
    for rule in rules:
        for _rule, message in banks.draw_problems([rule], course.code):
            seen.add((rule.line, message))
            available = count_drawable(course, rule.bank, rule.area.value, rule.difficulty)
            problems.append(InputProblem(f"draw-{rule.line}", "rule_short",
                                         {"count": rule.count, "available": available}))
    for rule, message in banks.draw_problems([replace(r, count=0) for r in rules], course.code):
        seen.add((rule.line, message))
        problems.append(InputProblem(f"draw-{rule.line}", "rule_order"))
    for rule, message in banks.draw_problems(rules, course.code):
        if (rule.line, message) not in seen:
            group = [r for r in rules if (r.bank, r.area) == (rule.bank, rule.area)]
            problems.append(InputProblem(f"draw-{rule.line}", "rule_group_short", {
                "total": sum(r.count for r in group),
                "available": count_drawable(course, rule.bank, rule.area.value, None)}))
    return problems


def _row_value_problems(rows: list[DrawRow]) -> list[InputProblem]:
    problems = []
    first: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        where = f"draw-{index}"
        if row.bank not in DRAW_BANKS or row.area not in {area.value for area in CompetencyArea}:
            problems.append(InputProblem(where, "rule_values"))
        elif row.difficulty not in (None, 1, 2, 3) or not 1 <= row.count <= MAX_DRAW:
            problems.append(InputProblem(where, "rule_count", {"max": MAX_DRAW}))
        elif (row.bank, row.area, row.difficulty) in first:
            problems.append(InputProblem(where, "rule_repeat",
                                         {"row": first[(row.bank, row.area, row.difficulty)] + 1}))
        else:
            first[(row.bank, row.area, row.difficulty)] = index
    return problems
