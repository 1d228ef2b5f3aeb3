"""Preview as a learner: the snapshot a seed gives, graded in memory, nothing written."""

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import CourseStatus, RoleName
from app.models import Attempt, AttemptAnswer
from app.services.assessment.attempts import build_snapshot
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.preview import (
    PreviewUnavailable,
    browse_preview_table,
    build_preview,
    find_previewable_quiz,
    grade_preview,
    run_preview_query,
)
from app.services.exercises.datasets import clear_cache
from app.services.exercises.tasks import build_exercise_snapshot
from tests.factories import make_course, make_exercise, make_question, make_quiz, make_user


@pytest.fixture(autouse=True)
def _fresh_variants():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def world(tree):
    course = make_course("DA110", lessons=1, status=CourseStatus.DRAFT)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    single = make_question("DA110-Q01", course=course, points=2)
    numeric = make_question("DA110-Q02", type="numeric", course=course, points=3,
                            spec={"answer": 25, "tolerance": 0.5, "unit": "%"})
    essay = make_question("DA110-Q03", type="essay", course=course, points=5,
                          spec={"rubric": "要点"})
    quiz = make_quiz(course, [single, numeric, essay], pass_mark=40)
    return {"course": course, "trainer": trainer, "quiz": quiz, "tree": tree}


def _attempts(db) -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Attempt.id))),
            db.session.scalar(select(func.count(AttemptAnswer.id))))


def test_a_seed_always_gives_the_snapshot_an_attempt_would_store(world, db):
    quiz = find_previewable_quiz(world["quiz"].id, actor=world["trainer"])  # a draft course
    first, again = build_preview(quiz, 12345), build_preview(quiz, 12345)
    assert first.items == again.items == build_snapshot(quiz, 12345)
    assert {item["key"] for item in first.items} == {"DA110-Q01", "DA110-Q02", "DA110-Q03"}
    assert build_preview(quiz, 54321).items != first.items  # shuffled differently
    assert _attempts(db) == (0, 0)


def test_answers_are_graded_in_memory_with_the_learners_rules(world, db):
    preview = build_preview(world["quiz"], 777)
    raw = {}
    for position, item in enumerate(preview.items):
        if item["type"] == "single":  # the display id of the right option, as a cadre posts
            raw[position] = {"value": [item["display"]["ids"][item["spec"]["answer"]]]}
        elif item["type"] == "numeric":
            raw[position] = {"value": ["25.3%"]}
        else:
            raw[position] = {"value": ["我的答案"]}
    result = grade_preview(preview, raw)
    by_key = {checked.item["key"]: checked for checked in result.items}
    assert by_key["DA110-Q01"].points == 2 and by_key["DA110-Q02"].points == 3
    assert by_key["DA110-Q03"].points is None  # an essay waits for a trainer
    assert (result.score, result.max_score, result.percent, result.passed) == (5, 10, 50, True)
    unreadable = grade_preview(preview, {position: {"value": ["很多"]} for position, item
                                         in enumerate(preview.items) if item["type"] == "numeric"})
    checked = next(c for c in unreadable.items if c.item["type"] == "numeric")
    assert checked.problem.code == "not_a_number" and checked.points == 0
    assert unreadable.score == 0 and not unreadable.passed
    assert _attempts(db) == (0, 0)


def test_an_exercise_is_previewed_and_graded_on_the_seeds_own_data(world, db):
    exercise = make_exercise(world["course"], code="DA110/grid")
    preview = build_preview(exercise, 4242)
    items, variant = build_exercise_snapshot(exercise, 4242)
    assert preview.items == items and preview.variant == variant
    count = run_preview_query(preview, "SELECT count(*) FROM incidents WHERE status = '已超期'")
    assert preview.items[0]["expected"] == count.rows[0][0]
    page = browse_preview_table(preview, "incidents", 2)
    assert (page.name, page.page, page.total, len(page.rows)) == ("incidents", 2, 400, 50)
    by_type = {item["type"]: position for position, item in enumerate(preview.items)}
    raw = {by_type["numeric"]: {"value": [str(int(preview.items[0]["expected"]))]},
           by_type["choice"]: {"value": [preview.items[1]["expected"]]},
           by_type["sql"]: {"value": ["select district, count(*) from incidents group by 1"]},
           by_type["rows"]: {"value": ["\n".join(preview.items[3]["expected"])]},
           by_type["columns"]: {"value": ["grid"]}}
    result = grade_preview(preview, raw)
    assert result.score == result.max_score == 10 and result.passed
    sql = result.items[by_type["sql"]]
    assert sql.detail["primary_match"] and sql.detail["hidden_match"]
    wrong = grade_preview(preview, {by_type["sql"]: {"value": ["select 1"]}})
    assert wrong.score == 0 and wrong.items[by_type["sql"]].detail["primary_match"] is False
    assert _attempts(db) == (0, 0)
    assert exercise not in [obj for obj in db.session.new]
    assert not any(isinstance(obj, Attempt) for obj in db.session.new)


def test_a_quiz_a_learner_could_not_start_is_unavailable_not_an_error(world, db):
    quiz = make_quiz(world["course"], [], code="DA110/drawn",
                     draw_rules=[{"bank": "shared", "area": "data", "difficulty": None,
                                  "count": 3}])
    with pytest.raises(PreviewUnavailable) as refusal:
        build_preview(quiz, 1)
    assert str(refusal.value) == "not_enough_questions"


def test_only_owners_and_admins_preview(world):
    stranger = make_user(unit=world["tree"]["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        find_previewable_quiz(world["quiz"].id, actor=stranger)
    admin = make_user(unit=world["tree"]["city"], roles=[RoleName.ADMIN])
    assert find_previewable_quiz(world["quiz"].id, actor=admin) is world["quiz"]
