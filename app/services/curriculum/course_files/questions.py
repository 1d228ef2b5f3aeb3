"""Questions and quizzes of course files into the database, as part of import_courses.

Questions are upserted by key, quizzes by code (the loop is course_files.sync). An
unchanged content hash means no write at all; a changed one bumps the version. A question
taken out of its file is retired, never deleted: attempts keep a snapshot of it, and its
key stays taken. A quiz whose file is gone is deleted; the checks before the import
refuse that when it has attempts. Like every service this flushes and leaves the commit
to the caller.
"""

from sqlalchemy import func, select

from app.domain.course_files import (
    QuestionSpec,
    QuizSpec,
    StoredQuestion,
    StoredQuiz,
    question_hash,
    quiz_hash,
)
from app.domain.vocabulary import QuestionStatus, QuizKind
from app.extensions import db
from app.models import Attempt, Course, Question, Quiz
from app.models.types import utcnow
from app.services.curriculum.course_files.sync import ItemCounts, sync_by_key

_KEY_CHUNK = 500  # keys per IN (...) query, well below any database's parameter limit


def stored_questions() -> list[StoredQuestion]:
    """Every stored question as the checks across the import need it (one query)."""
    rows = db.session.execute(
        select(Question.key, Course.code, Question.type, Question.area, Question.difficulty,
               Question.status)
        .outerjoin(Course, Course.id == Question.course_id))
    return [StoredQuestion(key=key, course_code=code, type=type_name, area=area,
                           difficulty=difficulty, active=status is QuestionStatus.ACTIVE)
            for key, code, type_name, area, difficulty, status in rows]


def stored_quizzes() -> list[StoredQuiz]:
    attempts = (select(Attempt.quiz_id, func.count().label("attempts"))
                .group_by(Attempt.quiz_id).subquery())
    rows = db.session.execute(
        select(Quiz.code, Course.code, Quiz.question_keys, Quiz.draw_rules,
               func.coalesce(attempts.c.attempts, 0))
        .outerjoin(Course, Course.id == Quiz.course_id)
        .outerjoin(attempts, attempts.c.quiz_id == Quiz.id)
        .where(Quiz.kind != QuizKind.EXERCISE)  # exercises: see exercise_import
        .order_by(Quiz.code))  # problems come out in the same order on every database
    return [StoredQuiz(code=code, course_code=course_code, question_keys=list(keys or []),
                       draw_rules=list(rules or []), attempts=count)
            for code, course_code, keys, rules, count in rows]


def import_bank(questions: list[QuestionSpec], course_id: int | None) -> ItemCounts:
    """Make the bank of course_id (None: the shared bank) hold exactly these questions."""
    in_bank = Question.course_id.is_(None) if course_id is None \
        else Question.course_id == course_id
    stored = {row.key: row for row in db.session.scalars(select(Question).where(in_bank))}
    stored.update(_strays([q.key for q in questions if q.key not in stored]))
    return sync_by_key(
        questions, stored, key=lambda question: question.key, digest=question_hash,
        new=lambda question: Question(key=question.key, version=1),
        fill=lambda row, question, digest: _fill_question(row, question, digest, course_id),
        current=lambda row, digest: (row.content_hash, row.status, row.course_id) == (
            digest, QuestionStatus.ACTIVE, course_id),
        retire=_retire)


def _retire(row: Question) -> bool:
    if row.status is QuestionStatus.RETIRED:
        return False
    row.status = QuestionStatus.RETIRED
    row.updated_at = utcnow()
    return True


def _strays(keys: list[str]) -> dict[str, Question]:
    """Questions with these keys in another bank (only possible through other means than
    files, since ids carry their bank's prefix); the import moves them."""
    found: dict[str, Question] = {}
    for start in range(0, len(keys), _KEY_CHUNK):
        chunk = keys[start:start + _KEY_CHUNK]
        found.update((row.key, row) for row in db.session.scalars(
            select(Question).where(Question.key.in_(chunk))))
    return found


def _fill_question(row: Question, question: QuestionSpec, digest: str,
                   course_id: int | None) -> Question:
    row.course_id = course_id
    row.type = question.type
    row.area = question.area
    row.difficulty = question.difficulty
    row.points = question.points
    row.prompt = question.prompt
    row.explanation = question.explanation
    row.spec = question.spec
    row.status = QuestionStatus.ACTIVE
    row.content_hash = digest
    row.updated_at = utcnow()
    return row


def import_quizzes(course: Course, quizzes: list[QuizSpec]) -> ItemCounts:
    """Make the course's quizzes exactly these (by code)."""
    stored = {row.code: row for row in db.session.scalars(
        select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == QuizKind.COURSE))}
    return sync_by_key(
        quizzes, stored, key=lambda quiz: quiz.code, digest=quiz_hash,
        new=lambda quiz: Quiz(code=quiz.code, kind=QuizKind.COURSE, version=1),
        fill=lambda row, quiz, digest: _fill_quiz(row, quiz, digest, course))


def _fill_quiz(row: Quiz, quiz: QuizSpec, digest: str, course: Course) -> Quiz:
    row.course_id = course.id
    row.title = quiz.title
    row.graded = quiz.graded
    row.pass_mark = quiz.pass_mark
    row.time_limit_minutes = quiz.time_limit_minutes
    row.max_attempts = quiz.max_attempts
    row.grading_method = quiz.grading_method
    row.review = quiz.review
    row.review_after = quiz.review_after
    row.shuffle = quiz.shuffle
    row.question_keys = list(quiz.question_keys)
    row.draw_rules = [rule.as_dict() for rule in quiz.draw]
    row.content_hash = digest
    return row
