"""The quiz editor's service: settings, fixed lists, draw rules and their bank checks,
versions, the course's content hash, permissions and the audit log."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.domain.course_files import quiz_hash
from app.domain.vocabulary import QuestionStatus, QuizKind, RoleName
from app.models import AuditEvent, Quiz
from app.services.assessment.attempts import start_attempt
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.courses import EditConflict
from app.services.curriculum.authoring.preview import course_assessments
from app.services.curriculum.authoring.quizzes import (
    AssessmentInputError,
    AssessmentSettings,
    DrawRow,
    QuizInput,
    count_drawable,
    create_quiz,
    quiz_spec,
    update_quiz,
)
from app.services.learning.enrollment import enroll_in_course
from tests.factories import make_course, make_exercise, make_question, make_user


@pytest.fixture
def world(tree):
    course = make_course("DA110", lessons=1)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    own = [make_question(f"DA110-Q0{n}", course=course, difficulty=1 + n % 2) for n in range(1, 5)]
    essay = make_question("DA110-Q09", type="essay", course=course, spec={"rubric": "要点"})
    shared = [make_question(f"SB-DATA-00{n}", difficulty=2) for n in range(1, 4)]
    return {"course": course, "trainer": trainer, "own": own, "essay": essay, "shared": shared,
            "tree": tree}


def _input(slug="final", *, keys=(), draw=(), title="课程测验", **settings):
    return QuizInput(slug=slug, settings=AssessmentSettings(title=title, **settings),
                     question_keys=list(keys), draw=list(draw))


def _codes(error):
    return [(problem.field, problem.code) for problem in error.value.problems]


def test_a_fixed_list_quiz_is_created_at_version_1_with_the_files_hash(world, db):
    course, trainer = world["course"], world["trainer"]
    data = _input(keys=["DA110-Q02", "SB-DATA-001", "DA110-Q09"], pass_mark=70,
                  time_limit_minutes=20)
    before = course.content_hash
    quiz = create_quiz(course, data, actor=trainer)
    assert (quiz.code, quiz.kind, quiz.version) == ("DA110/final", QuizKind.COURSE, 1)
    # Essays may be named in a fixed list; the order is the trainer's.
    assert quiz.question_keys == ["DA110-Q02", "SB-DATA-001", "DA110-Q09"]
    assert quiz.content_hash == quiz_hash(quiz_spec(course, data))
    assert (quiz.pass_mark, quiz.time_limit_minutes, quiz.draw_rules) == (70, 20, [])
    assert course.content_hash != before  # the course's files changed too
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "authoring.quiz_created"))
    assert event.actor_id == trainer.id and event.target == "quiz:DA110/final"


def test_a_draw_rule_asking_for_more_than_the_bank_has_is_refused_on_its_row(world, db):
    course = world["course"]
    # Two course questions at difficulty 2 (Q01, Q03); the essay is never drawn.
    draw = [DrawRow("shared", "data", 2, 3), DrawRow("course", "data", 2, 5)]
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(course, _input(draw=draw), actor=world["trainer"])
    assert error.value.problems[0].field == "draw-1"
    assert error.value.problems[0].code == "rule_short"
    assert error.value.problems[0].params == {"count": 5, "available": 2}
    assert db.session.scalar(select(func.count(Quiz.id))) == 0  # nothing written


def test_rules_short_together_or_in_the_wrong_order_are_reported_on_their_rows(world):
    course = world["course"]
    together = [DrawRow("course", "data", 1, 2), DrawRow("course", "data", 2, 2),
                DrawRow("course", "data", None, 1)]
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(course, _input(draw=together), actor=world["trainer"])
    assert _codes(error) == [("draw-0", "rule_group_short")]
    assert error.value.problems[0].params == {"total": 5, "available": 4}
    wrong_order = [DrawRow("course", "data", None, 1), DrawRow("course", "data", 2, 1)]
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(course, _input(draw=wrong_order), actor=world["trainer"])
    assert _codes(error) == [("draw-0", "rule_order")]
    twice = [DrawRow("shared", "data", 2, 1), DrawRow("shared", "data", 2, 1)]
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(course, _input(draw=twice), actor=world["trainer"])
    assert _codes(error) == [("draw-1", "rule_repeat")]
    assert error.value.problems[0].params == {"row": 1}


def test_a_draw_quiz_that_fits_the_banks_is_saved_with_its_rules(world):
    draw = [DrawRow("course", "data", 2, 2), DrawRow("shared", "data", None, 3)]
    quiz = create_quiz(world["course"], _input(draw=draw), actor=world["trainer"])
    assert quiz.draw_rules == [
        {"bank": "course", "area": "data", "difficulty": 2, "count": 2},
        {"bank": "shared", "area": "data", "difficulty": None, "count": 3}]
    assert quiz.question_keys == [] and quiz.question_count == 5


def test_count_drawable_counts_active_undrawn_types_excluded(world, db):
    course = world["course"]
    other = make_course("DA210", lessons=1)
    make_question("DA210-Q01", course=other, difficulty=2)
    world["own"][0].status = QuestionStatus.RETIRED
    db.session.flush()
    assert count_drawable(course, "course", "data", None) == 3  # 4 − retired, essay excluded
    assert count_drawable(course, "course", "data", 2) == 1
    assert count_drawable(course, "shared", "data", 2) == 3
    assert count_drawable(course, "shared", "security", None) == 0


def test_settings_and_lists_that_files_would_refuse_are_refused(world, db):
    course, trainer = world["course"], world["trainer"]
    other = make_course("DA210", lessons=1)
    make_question("DA210-Q01", course=other)
    world["own"][1].status = QuestionStatus.RETIRED
    db.session.flush()
    bad = _input("Final!", keys=["DA110-Q02", "DA210-Q01"], pass_mark=120,
                 opens_at=datetime(2026, 5, 2, tzinfo=UTC),
                 closes_at=datetime(2026, 5, 1, tzinfo=UTC))
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(course, bad, actor=trainer)
    assert _codes(error) == [("pass_mark", "range"), ("closes_at", "dates_order"),
                             ("slug", "bad_slug"), ("questions", "question_unknown"),
                             ("questions", "question_unknown")]
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(course, _input(), actor=trainer)
    assert _codes(error) == [("questions", "questions_or_draw")]


def test_a_slug_used_by_an_exercise_is_taken(world):
    make_exercise(world["course"], code="DA110/grid")
    with pytest.raises(AssessmentInputError) as error:
        create_quiz(world["course"], _input("grid", keys=["DA110-Q01"]), actor=world["trainer"])
    assert error.value.problems[0].code == "slug_taken"
    assert error.value.problems[0].params == {"code": "DA110/grid", "kind": "exercise"}


def test_editing_bumps_the_version_and_attempts_keep_their_snapshot(world, db):
    course, trainer = world["course"], world["trainer"]
    quiz = create_quiz(course, _input(keys=["DA110-Q01"]), actor=trainer)
    cadre = make_user(unit=world["tree"]["jiefangbei"])
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    snapshot = list(attempt.questions)
    old_hash = quiz.content_hash

    changed = update_quiz(quiz, _input(keys=["DA110-Q02", "DA110-Q03"], title="新标题"),
                          revision=old_hash, actor=trainer)
    assert changed and quiz.version == 2 and quiz.content_hash != old_hash
    assert quiz.question_keys == ["DA110-Q02", "DA110-Q03"] and quiz.title == "新标题"
    db.session.refresh(attempt)
    assert attempt.questions == snapshot and attempt.questions[0]["key"] == "DA110-Q01"

    # Dates are not part of the files: the version stays.
    opens = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
    assert not update_quiz(quiz, _input(keys=["DA110-Q02", "DA110-Q03"], title="新标题",
                                        opens_at=opens), revision=quiz.content_hash,
                           actor=trainer)
    assert quiz.version == 2 and quiz.opens_at == opens
    # The slug of a quiz with attempts stays.
    with pytest.raises(AssessmentInputError) as error:
        update_quiz(quiz, _input("renamed", keys=["DA110-Q02"]), revision=quiz.content_hash,
                    actor=trainer)
    assert _codes(error) == [("slug", "slug_locked")]
    edits = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "authoring.quiz_edited"))
    assert edits == 2


def test_a_stale_form_is_a_conflict_and_changes_nothing(world):
    quiz = create_quiz(world["course"], _input(keys=["DA110-Q01"]), actor=world["trainer"])
    with pytest.raises(EditConflict):
        update_quiz(quiz, _input(keys=["DA110-Q02"]), revision="stale", actor=world["trainer"])
    assert quiz.question_keys == ["DA110-Q01"] and quiz.version == 1


def test_only_owners_and_admins_edit_quizzes(world):
    stranger = make_user(unit=world["tree"]["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        create_quiz(world["course"], _input(keys=["DA110-Q01"]), actor=stranger)
    with pytest.raises(PermissionDenied):
        course_assessments(world["course"], actor=stranger)
    admin = make_user(unit=world["tree"]["city"], roles=[RoleName.ADMIN])
    quiz = create_quiz(world["course"], _input(keys=["DA110-Q01"]), actor=admin)
    exercise = make_exercise(world["course"], code="DA110/grid")
    rows = course_assessments(world["course"], actor=world["trainer"])
    assert [(row.quiz.id, row.attempts, row.is_exercise) for row in rows] == [
        (quiz.id, 0, False), (exercise.id, 0, True)]
