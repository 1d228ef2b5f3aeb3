"""The exercise editor's service: the dataset (scenario or CSV), settings, and tasks
checked on three sample variants before they are saved."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.course_files.exercise_files import exercise_hash
from app.domain.vocabulary import QuizKind, RoleName
from app.models import AuditEvent, Quiz
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.courses import EditConflict
from app.services.curriculum.authoring.exercises import (
    CsvUpload,
    ExerciseInput,
    TaskInput,
    create_exercise,
    delete_task,
    move_task,
    save_task,
    update_exercise,
)
from app.services.curriculum.authoring.preview import run_sample_query, sample_rows
from app.services.curriculum.authoring.quizzes import AssessmentInputError, AssessmentSettings
from app.services.curriculum.course_files.exporting import exercise_spec
from app.services.exercises.datasets import clear_cache
from app.services.exercises.sandbox import SandboxError
from tests.factories import audit_events, make_course, make_user

SITES = ("site_id|工地编号,street|街道,trucks|车辆数,checked_at|检查时间\n"
         "S001,解放碑街道,12,2025-03-01 09:00:00\n"
         "S002,朝天门街道,7,2025-03-02 10:30:00\n"
         "S003,解放碑街道,3,2025-03-03 11:00:00\n").encode()


@pytest.fixture(autouse=True)
def _fresh_variants():
    # Fixed datasets are cached by quiz id and version, which tests reuse.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def world(tree):
    course = make_course("GV210", lessons=1)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    return {"course": course, "trainer": trainer, "tree": tree}


def _exercise(world, **changes):
    data = ExerciseInput(slug="grid", settings=AssessmentSettings(title="网格事件分析"),
                         brief="## 背景\n\n分析网格事件。", scenario="grid_incidents",
                         params={"rows": 400, "problem_strength": 0.6})
    for key, value in changes.items():
        setattr(data, key, value)
    return create_exercise(world["course"], data, actor=world["trainer"])


def _task(kind="numeric", sql="SELECT count(*) FROM incidents WHERE status = '已超期'", **spec):
    return TaskInput(type=kind, prompt="统计已超期事件数。", points=Decimal("2"), area="data",
                     reference_sql=sql, spec=spec or {"tolerance": 0})


def _codes(error):
    return [(problem.field, problem.code) for problem in error.value.problems]


def test_a_scenario_exercise_is_created_with_only_the_parameters_off_their_default(world, db):
    quiz = _exercise(world)
    assert (quiz.code, quiz.kind, quiz.version, quiz.shuffle) == (
        "GV210/grid", QuizKind.EXERCISE, 1, False)
    assert quiz.exercise.scenario_key == "grid_incidents"
    assert quiz.exercise.scenario_params == {"rows": 400}  # 0.6 is the default strength
    assert quiz.exercise.tasks == [] and quiz.exercise.dataset is None
    assert quiz.content_hash == exercise_hash(exercise_spec(quiz, "GV210"))
    tables = sample_rows(quiz)
    assert tables[0][0].name == "incidents" and len(tables[0][1]) == 5
    assert ("street", "TEXT", "街道") in tables[0][0].columns
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.target == "quiz:GV210/grid")) == "authoring.exercise_created"


def test_scenario_parameters_out_of_range_are_refused_per_parameter(world, db):
    with pytest.raises(AssessmentInputError) as error:
        _exercise(world, params={"rows": 5, "problem_strength": 3.0})
    assert _codes(error) == [("param-rows", "range"), ("param-problem_strength", "range")]
    assert error.value.problems[0].params == {"min": 200, "max": 50_000}
    assert db.session.scalar(select(func.count(Quiz.id))) == 0


def test_a_csv_dataset_becomes_a_typed_table(world):
    quiz = _exercise(world, scenario=None, params={},
                     upload=CsvUpload("sites", "工地", SITES))
    table = quiz.exercise.dataset[0]
    assert (table["name"], table["label"], table["file"]) == ("sites", "工地", "sites.csv")
    assert table["columns"] == [["site_id", "text", "工地编号"], ["street", "text", "街道"],
                                ["trucks", "integer", "车辆数"],
                                ["checked_at", "timestamp", "检查时间"]]
    assert table["rows"][0] == ["S001", "解放碑街道", 12, "2025-03-01 09:00:00"]
    result = run_sample_query(quiz, "SELECT sum(trucks) FROM sites", actor=world["trainer"])
    assert result.rows == [(22,)]


def test_a_csv_with_a_bad_row_is_refused_naming_the_line(world, db):
    bad = SITES + "S004,解放碑街道\n".encode()
    with pytest.raises(AssessmentInputError) as error:
        _exercise(world, scenario=None, params={}, upload=CsvUpload("sites", "工地", bad))
    problem = error.value.problems[0]
    assert (problem.field, problem.code, problem.params["line"]) == ("csv_file", "csv", 5)
    assert "2 values" in problem.params["message"] and "4 columns" in problem.params["message"]
    with pytest.raises(AssessmentInputError) as error:
        _exercise(world, scenario=None, params={}, upload=CsvUpload("select", "", SITES))
    assert _codes(error) == [("table_name", "bad_table_name")]
    assert db.session.scalar(select(func.count(Quiz.id))) == 0


def test_a_task_that_works_on_three_variants_is_saved_and_bumps_the_version(world, db):
    quiz = _exercise(world)
    first_hash = quiz.content_hash
    task_id = save_task(quiz, None, _task(), revision=first_hash, actor=world["trainer"])
    assert task_id == "T1" and quiz.version == 2 and quiz.content_hash != first_hash
    stored = quiz.exercise.tasks[0]
    assert stored["reference_sql"].startswith("SELECT count(*)") and stored["points"] == 2.0
    assert quiz.content_hash == exercise_hash(exercise_spec(quiz, "GV210"))
    rows = _task("rows", "SELECT id FROM incidents WHERE closed_at < reported_at",
                 table="incidents", key_column="id")
    assert save_task(quiz, None, rows, revision=quiz.content_hash, actor=world["trainer"]) == "T2"
    columns = TaskInput(type="columns", prompt="哪些字段应脱敏？", points=Decimal("1.5"),
                        area="security", spec={"table": "incidents", "answer": ["grid"]})
    # A columns task is a judgement: the same answer on every variant is expected.
    assert save_task(quiz, None, columns, revision=quiz.content_hash,
                     actor=world["trainer"]) == "T3"
    assert [t["id"] for t in quiz.exercise.tasks] == ["T1", "T2", "T3"] and quiz.version == 4


def test_a_task_with_the_same_answer_on_every_variant_is_refused(world):
    quiz = _exercise(world)
    with pytest.raises(AssessmentInputError) as error:
        save_task(quiz, None, _task(sql="SELECT count(*) FROM incidents"),
                  revision=quiz.content_hash, actor=world["trainer"])
    assert _codes(error) == [("reference_sql", "same_on_every_seed")]
    assert error.value.problems[0].params == {"value": "400.0"}
    assert quiz.exercise.tasks == [] and quiz.version == 1


def test_a_task_whose_answer_is_empty_or_fails_on_a_variant_is_refused(world):
    quiz = _exercise(world)
    nothing = _task("rows", "SELECT id FROM incidents WHERE street = '不存在街道'",
                    table="incidents", key_column="id")
    with pytest.raises(AssessmentInputError) as error:
        save_task(quiz, None, nothing, revision=quiz.content_hash, actor=world["trainer"])
    assert _codes(error) == [("reference_sql", "reference_problem")]
    assert error.value.problems[0].params["seed"] == 1
    assert "selects no record" in error.value.problems[0].params["message"]
    empty_sql = _task("sql", "SELECT district FROM incidents WHERE 1 = 0")
    with pytest.raises(AssessmentInputError) as error:
        save_task(quiz, None, empty_sql, revision=quiz.content_hash, actor=world["trainer"])
    assert _codes(error) == [("reference_sql", "reference_empty")]
    with pytest.raises(AssessmentInputError) as error:
        save_task(quiz, None, _task(sql="SELECT count(*) FROM nowhere"),
                  revision=quiz.content_hash, actor=world["trainer"])
    assert "no such table: nowhere" in error.value.problems[0].params["message"]
    choice = TaskInput(type="choice", prompt="哪条街道？", points=Decimal(2), area="data",
                       reference_sql="SELECT '不存在街道'",
                       options_sql="SELECT DISTINCT trim(street) FROM incidents")
    with pytest.raises(AssessmentInputError) as error:
        save_task(quiz, None, choice, revision=quiz.content_hash, actor=world["trainer"])
    assert "is not one of the options" in error.value.problems[0].params["message"]
    assert quiz.exercise.tasks == []


def test_task_fields_are_checked_before_the_data(world):
    quiz = _exercise(world)
    bad = TaskInput(type="rows", prompt=" ", points=Decimal("0.3"), area="nowhere",
                    reference_sql="", spec={"table": "incidents"})
    with pytest.raises(AssessmentInputError) as error:
        save_task(quiz, None, bad, revision=quiz.content_hash, actor=world["trainer"])
    assert _codes(error) == [("prompt", "text_length"), ("points", "points"),
                             ("area", "required"), ("reference_sql", "text_length"),
                             ("key_column", "required")]


def test_a_fixed_dataset_checks_its_one_dataset_and_allows_the_same_answer(world):
    quiz = _exercise(world, scenario=None, params={}, upload=CsvUpload("sites", "工地", SITES))
    task = _task(sql="SELECT sum(trucks) FROM sites")
    assert save_task(quiz, None, task, revision=quiz.content_hash, actor=world["trainer"]) == "T1"


def test_tasks_are_edited_moved_and_deleted_on_the_revision_shown(world, db):
    quiz = _exercise(world)
    save_task(quiz, None, _task(), revision=quiz.content_hash, actor=world["trainer"])
    save_task(quiz, None, _task("sql", "SELECT district, count(*) AS n FROM incidents "
                                       "GROUP BY district"),
              revision=quiz.content_hash, actor=world["trainer"])
    edited = _task(sql="SELECT round(avg(handling_hours), 1) FROM incidents")
    assert save_task(quiz, 1, edited, revision=quiz.content_hash,
                     actor=world["trainer"]) == "T1"
    assert "handling_hours" in quiz.exercise.tasks[0]["reference_sql"]
    move_task(quiz, 2, -1, revision=quiz.content_hash, actor=world["trainer"])
    assert [t["id"] for t in quiz.exercise.tasks] == ["T2", "T1"]
    with pytest.raises(EditConflict):
        delete_task(quiz, 1, revision="stale", actor=world["trainer"])
    assert delete_task(quiz, 1, revision=quiz.content_hash, actor=world["trainer"]) == "T2"
    assert [t["id"] for t in quiz.exercise.tasks] == ["T1"]
    # A new task takes the first free id.
    assert save_task(quiz, None, _task(), revision=quiz.content_hash,
                     actor=world["trainer"]) == "T2"
    events = [event.details for event in audit_events("authoring.exercise_edited")]
    assert [event["change"] for event in events] == [
        "task_saved", "task_saved", "task_saved", "task_moved", "task_deleted", "task_saved"]


def test_new_parameters_are_refused_when_a_task_stops_working(world):
    quiz = _exercise(world)
    late = _task("rows", "SELECT id FROM incidents WHERE id > 300 AND status = '已超期'",
                 table="incidents",
                 key_column="id")
    save_task(quiz, None, late, revision=quiz.content_hash, actor=world["trainer"])
    data = ExerciseInput(slug="grid", settings=AssessmentSettings(title="网格事件分析"),
                         brief="新的背景。", params={"rows": 200})
    with pytest.raises(AssessmentInputError) as error:
        update_exercise(quiz, data, revision=quiz.content_hash, actor=world["trainer"])
    assert _codes(error) == [("params", "task_broken")]
    assert error.value.problems[0].params["task"] == "T1"
    assert quiz.exercise.scenario_params == {"rows": 400}
    data.params = {"rows": 500, "problem_strength": 0.6}
    version = quiz.version
    assert update_exercise(quiz, data, revision=quiz.content_hash, actor=world["trainer"])
    assert quiz.exercise.scenario_params == {"rows": 500} and quiz.version == version + 1
    assert quiz.exercise.brief == "新的背景。"


def test_the_console_is_the_learners_sandbox_and_only_owners_use_it(world):
    quiz = _exercise(world)
    with pytest.raises(SandboxError) as refusal:
        run_sample_query(quiz, "DELETE FROM incidents", actor=world["trainer"])
    assert refusal.value.code == "not_select"
    stranger = make_user(unit=world["tree"]["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        run_sample_query(quiz, "SELECT 1", actor=stranger)
    with pytest.raises(PermissionDenied):
        save_task(quiz, None, _task(), revision=quiz.content_hash, actor=stranger)
