"""Many questions at once (Excel rows, GIFT items): planned against the stored bank, then
written all together in bulk statements, or not at all."""

from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.course_files import QuestionSpec, question_hash
from app.domain.question_sheets import Issue
from app.domain.vocabulary import QuestionStatus
from app.extensions import db
from app.models import Course, Question, User
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.courses import refresh_course_content
from app.services.curriculum.authoring.questions.bank import next_question_keys, question_values

_KEY_CHUNK = 500  # keys per IN (...), well below any database's parameter limit


@dataclass
class PlannedQuestion:
    """One question of an import: where it came from (row or line) and what it will do."""

    place: int
    question: QuestionSpec
    action: str = "new"  # new | updated | unchanged
    stored: tuple | None = None  # (id, version) of the question it updates


@dataclass
class ImportProblem:
    """An issue at a place of the imported file: a row and column, or a GIFT line."""

    place: int
    issue: Issue
    column: str = ""  # the column's header as the file has it
    letter: str = ""  # the column's letter


@dataclass
class BankImport:
    """What an import would do, or the problems that stop it."""

    planned: list[PlannedQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for item in self.planned if item.action == action)


def plan_bank_import(course: Course, bank_import: BankImport, *,
                     key_column: tuple[str, str] = ("", "")) -> BankImport:
    """Compare the import's questions with the stored ones (one query per 500 keys): a
    key of this course updates it (restoring it when retired), a key of another bank is a
    problem (in `key_column`: header, letter), a blank key is new."""
    keys = [item.question.key for item in bank_import.planned if item.question.key]
    stored: dict[str, tuple] = {}
    for start in range(0, len(keys), _KEY_CHUNK):
        stored.update((row[0], row[1:]) for row in db.session.execute(
            select(Question.key, Question.id, Question.version, Question.content_hash,
                   Question.status, Question.course_id)
            .where(Question.key.in_(keys[start:start + _KEY_CHUNK]))))
    for item in bank_import.planned:
        row = stored.get(item.question.key)
        if row is None:
            continue
        question_id, version, digest, status, course_id = row
        if course_id != course.id:
            bank_import.problems.append(ImportProblem(
                item.place, Issue("key", "key_elsewhere", {"value": item.question.key}),
                *key_column))
        elif digest == question_hash(item.question) and status is QuestionStatus.ACTIVE:
            item.action = "unchanged"
        else:
            item.action, item.stored = "updated", (question_id, version, digest)
    bank_import.problems.sort(key=lambda problem: problem.place)
    return bank_import


def apply_bank_import(course: Course, bank_import: BankImport, *, source: str,
                      actor: User) -> dict[str, int]:
    """Write a planned import without problems: one INSERT and one UPDATE statement for
    all rows (executemany), then the course's hash; returns the counts."""
    ensure_may_edit(actor, course)
    if bank_import.problems:
        raise ServiceError("an import with problems writes nothing")
    new = [item for item in bank_import.planned if item.action == "new"]
    fresh = iter(next_question_keys(course, sum(1 for item in new if not item.question.key),
                                    taken=[item.question.key for item in new]))
    inserts, updates = [], []
    for item in new:
        item.question.key = item.question.key or next(fresh)
        inserts.append({"key": item.question.key, "course_id": course.id, "version": 1,
                        "status": QuestionStatus.ACTIVE,
                        **question_values(item.question, question_hash(item.question))})
    for item in bank_import.planned:
        if item.action == "updated":
            question_id, version, old_digest = item.stored
            digest = question_hash(item.question)
            # A retired question named by the import comes back, as with the files.
            updates.append({"id": question_id, **question_values(item.question, digest),
                            "status": QuestionStatus.ACTIVE,
                            "version": version + (digest != old_digest)})
    try:
        with db.session.begin_nested():
            if inserts:
                db.session.execute(insert(Question), inserts)
            if updates:
                db.session.execute(update(Question), updates)
    except IntegrityError:
        raise ServiceError("another author added questions at the same moment; "
                           "nothing was imported, try again") from None
    # Bulk statements bypass the objects in the session: read the bank back afresh.
    db.session.expire_all()
    refresh_course_content(course)
    counts = {"created": len(inserts), "updated": len(updates),
              "unchanged": bank_import.count("unchanged")}
    record_event("authoring.questions_imported", actor=actor, target=f"course:{course.code}",
                 details={"source": source, **counts})
    return counts



class ImportRefused(ServiceError):
    """The import has problems (`bank_import.problems`), so nothing was written."""

    def __init__(self, bank_import: BankImport):
        super().__init__(f"{len(bank_import.problems)} problem(s)")
        self.bank_import = bank_import


def import_planned(course: Course, bank_import: BankImport, *, source: str,
                   actor: User) -> dict[str, int]:
    """Apply a freshly planned import, or refuse it whole when anything is wrong."""
    if bank_import.problems:
        raise ImportRefused(bank_import)
    return apply_bank_import(course, bank_import, source=source, actor=actor)
