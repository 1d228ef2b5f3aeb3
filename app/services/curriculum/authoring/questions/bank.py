"""One question at a time: list the bank, write, edit, duplicate, retire, restore."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain.course_files import QuestionSpec, question_hash
from app.domain.question_sheets import Issue, check_question
from app.domain.vocabulary import CompetencyArea, QuestionStatus, QuizKind
from app.extensions import db
from app.models import Course, Question, Quiz, User
from app.models.types import utcnow
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.core.paging import Page, paginate
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.courses import refresh_course_content


class QuestionInvalid(ServiceError):
    """The question breaks the rules of the question files; `issues` say where."""

    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


class QuestionChanged(ServiceError):
    """Someone saved the question after this form was opened; nothing was saved."""


class RetireRefused(ServiceError):
    """`reason`: "fixed_list" (a quiz names it) or "draw" (a draw rule would fall short)."""

    def __init__(self, reason: str, quiz: Quiz, **params):
        super().__init__(f"{reason}: {quiz.code}")
        self.reason = reason
        self.quiz = quiz
        self.params = params


@dataclass
class BankFilters:
    area: CompetencyArea | None = None
    difficulty: int | None = None
    type: str | None = None
    status: QuestionStatus | None = None
    text: str = ""


def find_editable_question(question_id: int, *, actor: User) -> Question:
    """A question of a course the actor edits (the shared bank is edited through files)."""
    question = db.session.get(Question, question_id)
    if question is None or question.course is None:
        raise NotFound(str(question_id))
    ensure_may_edit(actor, question.course)
    return question


def list_bank(course: Course, filters: BankFilters, *, page: int, per_page: int,
              actor: User) -> Page:
    """One page of the course's questions, in key order (Q2 before Q10); two queries."""
    ensure_may_edit(actor, course)
    statement = select(Question).where(Question.course_id == course.id)
    if filters.area is not None:
        statement = statement.where(Question.area == filters.area)
    if filters.difficulty is not None:
        statement = statement.where(Question.difficulty == filters.difficulty)
    if filters.type:
        statement = statement.where(Question.type == filters.type)
    if filters.status is not None:
        statement = statement.where(Question.status == filters.status)
    if filters.text.strip():
        text = filters.text.strip()
        statement = statement.where(Question.prompt.contains(text, autoescape=True)
                                    | Question.key.contains(text.upper(), autoescape=True))
    statement = statement.order_by(func.length(Question.key), Question.key)
    return paginate(statement, page=page, per_page=per_page)


def stored_spec(question: Question) -> QuestionSpec:
    return QuestionSpec(key=question.key, type=question.type, area=question.area,
                        difficulty=question.difficulty, points=question.points,
                        prompt=question.prompt, explanation=question.explanation or "",
                        spec=question.spec)


def next_question_keys(course: Course, count: int, *, taken=()) -> list[str]:
    """`count` fresh keys after the highest "<CODE>-Qnn" ever used (and any in `taken`)."""
    prefix = f"{course.code}-Q"
    keys = db.session.scalars(select(Question.key).where(Question.key.like(f"{prefix}%")))
    numbers = [int(key[len(prefix):]) for key in (*keys, *taken)
               if key.startswith(prefix) and key[len(prefix):].isdigit()]
    highest = max(numbers, default=0)
    return [f"{prefix}{number:02d}" for number in range(highest + 1, highest + count + 1)]


def create_question(course: Course, document: dict, *, actor: User) -> Question:
    """A new active question from a question document (the keys of a question file)."""
    ensure_may_edit(actor, course)
    spec = _checked(document)
    question = _insert_with_fresh_key(course, spec)
    refresh_course_content(course)
    record_event("authoring.question_created", actor=actor, target=f"question:{question.key}",
                 details={"course": course.code, "type": question.type})
    return question


def update_question(question: Question, document: dict, *, version: int | None,
                    actor: User) -> bool:
    """Save the form opened at `version`; False when nothing changed. The type stays."""
    ensure_may_edit(actor, question.course)
    # Locks the row on PostgreSQL, so of two saves at the same moment the second sees the first.
    db.session.refresh(question, with_for_update=True)
    if version is not None and version != question.version:
        raise QuestionChanged(question.key)
    spec = _checked({**document, "type": question.type})
    spec.key = question.key
    digest = question_hash(spec)
    if digest == question.content_hash:
        return False
    question.version += 1
    _fill(question, spec, digest)
    refresh_course_content(question.course)
    record_event("authoring.question_updated", actor=actor, target=f"question:{question.key}",
                 details={"course": question.course.code, "version": question.version})
    return True


def duplicate_question(question: Question, *, actor: User) -> Question:
    """An active copy under the next free key, version 1."""
    course = question.course
    ensure_may_edit(actor, course)
    copy = _insert_with_fresh_key(course, stored_spec(question))
    refresh_course_content(course)
    record_event("authoring.question_duplicated", actor=actor, target=f"question:{copy.key}",
                 details={"course": course.code, "from": question.key})
    return copy


def retire_question(question: Question, *, actor: User) -> None:
    """Never drawn or named by a quiz again; refused while a quiz needs it."""
    ensure_may_edit(actor, question.course)
    if question.status is QuestionStatus.RETIRED:
        return
    _ensure_not_needed(question)
    question.status = QuestionStatus.RETIRED
    question.updated_at = utcnow()
    refresh_course_content(question.course)
    record_event("authoring.question_retired", actor=actor, target=f"question:{question.key}",
                 details={"course": question.course.code})


def restore_question(question: Question, *, actor: User) -> None:
    ensure_may_edit(actor, question.course)
    if question.status is QuestionStatus.ACTIVE:
        return
    question.status = QuestionStatus.ACTIVE
    question.updated_at = utcnow()
    refresh_course_content(question.course)
    record_event("authoring.question_restored", actor=actor, target=f"question:{question.key}",
                 details={"course": question.course.code})


def _checked(document: dict) -> QuestionSpec:
    spec, issues = check_question(document)
    if issues:
        raise QuestionInvalid(issues)
    return spec


def _insert_with_fresh_key(course: Course, spec: QuestionSpec) -> Question:
    # Two authors may take the same next key at the same moment: the unique key refuses
    # the second insert, which then takes the key after.
    for _attempt in range(5):
        spec.key = next_question_keys(course, 1)[0]
        question = _fill(Question(key=spec.key, course_id=course.id, version=1,
                                  status=QuestionStatus.ACTIVE), spec, question_hash(spec))
        try:
            with db.session.begin_nested():
                db.session.add(question)
        except IntegrityError:
            continue
        return question
    raise ServiceError("could not find a free question key; try again")


def _fill(row: Question, spec: QuestionSpec, digest: str) -> Question:
    for name, value in question_values(spec, digest).items():
        setattr(row, name, value)
    return row


def question_values(spec: QuestionSpec, digest: str) -> dict:
    """The columns a question spec sets (its status is the caller's business)."""
    return {"type": spec.type, "area": spec.area, "difficulty": spec.difficulty,
            "points": spec.points, "prompt": spec.prompt, "explanation": spec.explanation,
            "spec": spec.spec, "content_hash": digest, "updated_at": utcnow()}


def _ensure_not_needed(question: Question) -> None:
    quizzes = db.session.scalars(select(Quiz).where(Quiz.kind != QuizKind.EXERCISE)
                                 .order_by(Quiz.code)).all()
    for quiz in quizzes:
        if question.key in (quiz.question_keys or []):
            raise RetireRefused("fixed_list", quiz)
    if question.type == "essay":
        return  # essays are never drawn
    for quiz in quizzes:
        for rule in quiz.draw_rules or []:
            if quiz.course_id != question.course_id or rule.get("bank") != "course" \
                    or rule.get("area") != question.area.value \
                    or rule.get("difficulty") not in (None, question.difficulty):
                continue
            left = _drawable(question.course_id, question.area, rule.get("difficulty")) - 1
            if left < rule["count"]:
                raise RetireRefused("draw", quiz, count=rule["count"], left=left)


def _drawable(course_id: int, area: CompetencyArea, difficulty: int | None) -> int:
    statement = select(func.count()).select_from(Question).where(
        Question.course_id == course_id, Question.area == area,
        Question.status == QuestionStatus.ACTIVE, Question.type != "essay")
    if difficulty is not None:
        statement = statement.where(Question.difficulty == difficulty)
    return db.session.scalar(statement)
