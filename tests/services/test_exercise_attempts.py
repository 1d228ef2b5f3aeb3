"""Exercise attempts: per-cadre variants, expected answers at start, grading by result."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from app.domain.exercise_tasks import TaskAnswerError
from app.domain.vocabulary import AttemptState
from app.models import QuizResult
from app.models.types import utcnow
from app.services.assessment.attempts import (
    AttemptRefused,
    save_answer,
    start_attempt,
    submit_attempt,
)
from app.services.core.errors import PermissionDenied
from app.services.exercises.datasets import attempt_data
from app.services.exercises.sandbox import run_query
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from tests.factories import make_course, make_exercise, make_user


@pytest.fixture
def setup(tree):
    course = make_course("GV210", lessons=1)
    quiz = make_exercise(course, pass_mark=60, max_attempts=3)
    cadres = [make_user(unit=tree["jiefangbei"], name=f"学员{i}") for i in range(2)]
    enrollments = [enroll_in_course(course, actor=cadre) for cadre in cadres]
    return {"course": course, "quiz": quiz, "cadres": cadres, "enrollments": enrollments}


def _value(attempt, sql):
    return run_query(attempt_data(attempt).variant, sql).rows


def _save(attempt, position, *values, seq=1):
    return save_answer(attempt, position, {"value": list(values)}, client_seq=seq,
                       actor=attempt.user)


def _answer_everything_right(attempt):
    items = attempt.questions
    _save(attempt, 0, str(int(items[0]["expected"])))
    _save(attempt, 1, items[1]["expected"])
    _save(attempt, 2, "select district, count(*) from incidents group by 1 order by 2")
    _save(attempt, 3, "\n".join(items[3]["expected"]))
    _save(attempt, 4, "grid")


def test_each_cadre_gets_their_own_numbers_and_the_expected_answers_are_stored(setup, db):
    first, second = (start_attempt(setup["quiz"], actor=c) for c in setup["cadres"])
    assert first.seed != second.seed
    assert first.variant["scenario"] == "grid_incidents" and first.variant["params"] == {
        "rows": 400}
    assert first.variant["digest"] != second.variant["digest"]
    by_task = {item["task_id"]: item for item in first.questions}
    assert by_task["T1"]["key"] == "GV210/grid/T1" and by_task["T1"]["family"] == "task"
    # The expected answers are what the reference SQL gives on the cadre's own data.
    assert by_task["T1"]["expected"] == _value(
        first, "SELECT count(*) FROM incidents WHERE status = '已超期'")[0][0]
    assert by_task["T2"]["expected"] in by_task["T2"]["display"]["options"]
    assert set(by_task["T3"]["expected"]) == {"primary", "hidden"}
    assert by_task["T3"]["expected"]["primary"] != by_task["T3"]["expected"]["hidden"]
    assert by_task["T5"]["expected"] == ["grid"]
    assert dict(by_task["T5"]["display"]["columns"])["street"] == "街道"
    assert [i["expected"] for i in first.questions] != [i["expected"] for i in second.questions]


def test_all_right_scores_full_marks_and_completes_the_course(setup, db):
    cadre, enrollment = setup["cadres"][0], setup["enrollments"][0]
    complete_lesson(enrollment, setup["course"].lessons[0], actor=cadre)
    assert enrollment.completed_at is None  # the exercise is still to pass
    attempt = start_attempt(setup["quiz"], actor=cadre)
    _answer_everything_right(attempt)
    assert submit_attempt(attempt, actor=cadre)
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal(10)
    sql_answer = next(a for a in attempt.answers if a.position == 2)
    assert sql_answer.detail["primary_match"] and sql_answer.detail["hidden_match"]
    assert sql_answer.question_key == "GV210/grid/T3" and sql_answer.area.value == "data"
    assert db.session.query(QuizResult).one().passed
    assert enrollment.completed_at is not None


def test_a_query_that_hard_codes_the_cadres_numbers_fails_on_the_hidden_variant(setup, db):
    cadre = setup["cadres"][0]
    attempt = start_attempt(setup["quiz"], actor=cadre)
    rows = attempt.questions[2]["expected"]["primary"]
    literal = " UNION ALL ".join(f"SELECT '{district}', {count}" for district, count in rows)
    _save(attempt, 2, literal)
    submit_attempt(attempt, actor=cadre)
    answer = next(a for a in attempt.answers if a.position == 2)
    assert answer.points == 0
    assert answer.detail["primary_match"] is True and answer.detail["hidden_match"] is False


def test_a_refused_query_scores_zero_and_says_why(setup, db):
    cadre = setup["cadres"][0]
    attempt = start_attempt(setup["quiz"], actor=cadre)
    _save(attempt, 2, "DELETE FROM incidents")
    submit_attempt(attempt, actor=cadre)
    answer = next(a for a in attempt.answers if a.position == 2)
    assert answer.points == 0 and answer.detail["error"]["code"] == "not_select"
    # The data is untouched: the same count as before.
    assert _value(attempt, "SELECT count(*) FROM incidents WHERE status = '已超期'")[0][0] \
        == attempt.questions[0]["expected"]


def test_selections_get_partial_credit_by_precision_and_recall(setup, db):
    cadre = setup["cadres"][0]
    attempt = start_attempt(setup["quiz"], actor=cadre)
    wanted = attempt.questions[3]["expected"]
    assert wanted, "the scenario plants records closed before they were reported"
    _save(attempt, 3, ", ".join([*wanted, "999999"]))  # every right record and one wrong
    _save(attempt, 4, "grid", "street")
    submit_attempt(attempt, actor=cadre)
    answers = {a.position: a for a in attempt.answers}
    recall, precision = 1, len(wanted) / (len(wanted) + 1)
    f1 = 2 * precision * recall / (precision + recall)
    assert answers[3].points == (Decimal(str(round(f1, 4))) * 2).quantize(Decimal("0.01"))
    assert answers[3].detail["hits"] == len(wanted) and answers[3].detail["chosen"] == \
        len(wanted) + 1
    assert answers[4].points == Decimal("1.33")  # P = 1/2, R = 1: F1 = 2/3 of 2 points


@pytest.mark.parametrize(("position", "value", "code"), [
    (0, "十几条", "not_a_number"),
    (0, ["1", "2"], "one_answer"),
    (2, "x" * 20_001, "too_long"),
])
def test_task_answers_of_the_wrong_type_are_refused(setup, db, position, value, code):
    attempt = start_attempt(setup["quiz"], actor=setup["cadres"][0])
    values = value if isinstance(value, list) else [value]
    with pytest.raises(TaskAnswerError) as caught:
        _save(attempt, position, *values)
    assert caught.value.code == code


def test_another_cadres_attempt_and_a_late_submit_are_refused(setup, db):
    first, second = setup["cadres"]
    attempt = start_attempt(setup["quiz"], actor=first)
    with pytest.raises(PermissionDenied):
        save_answer(attempt, 0, {"value": ["3"]}, client_seq=1, actor=second)
    with pytest.raises(PermissionDenied):
        submit_attempt(attempt, actor=second)
    _save(attempt, 0, str(int(attempt.questions[0]["expected"])))
    attempt.answers[0].saved_at = utcnow() - timedelta(minutes=10)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    with pytest.raises(AttemptRefused, match="time_up"):
        _save(attempt, 1, attempt.questions[1]["expected"], seq=2)
    assert submit_attempt(attempt, actor=first)  # what was saved in time is graded
    assert attempt.score == 2 and not submit_attempt(attempt, actor=first)


def test_the_attempt_keeps_its_scenario_when_the_trainer_changes_it(setup, db):
    cadre = setup["cadres"][0]
    attempt = start_attempt(setup["quiz"], actor=cadre)
    before = _value(attempt, "SELECT count(*) FROM incidents")
    setup["quiz"].exercise.scenario_params = {"rows": 900}
    db.session.flush()
    assert _value(attempt, "SELECT count(*) FROM incidents") == before


def test_an_exercise_on_a_fixed_dataset_gives_everyone_the_same_data(setup, db):
    dataset = [{"name": "sites", "label": "工地", "file": "sites.csv",
                "columns": [["site", "text", "工地"], ["trucks", "integer", "车辆数"]],
                "rows": [["A", 3], ["B", 5], ["C", 2]]}]
    tasks = [{"id": "T1", "type": "numeric", "area": "data", "points": 1, "prompt": "合计？",
              "explanation": "", "reference_sql": "SELECT sum(trucks) FROM sites",
              "options_sql": None, "spec": {}},
             {"id": "T2", "type": "sql", "area": "data", "points": 1, "prompt": "车辆最多的工地",
              "explanation": "", "options_sql": None, "spec": {},
              "reference_sql": "SELECT site FROM sites ORDER BY trucks DESC LIMIT 1"}]
    quiz = make_exercise(setup["course"], code="GV210/fixed", tasks=tasks, dataset=dataset)
    attempts = [start_attempt(quiz, actor=c) for c in setup["cadres"]]
    assert [a.questions[0]["expected"] for a in attempts] == [10.0, 10.0]
    assert attempts[0].variant["fixed"] is True
    _save(attempts[0], 0, "10")
    _save(attempts[0], 1, "SELECT 'B'")
    submit_attempt(attempts[0], actor=attempts[0].user)
    assert attempts[0].score == 2
    assert json.loads(json.dumps(attempts[0].questions))  # the snapshot is plain JSON


def test_an_appealed_task_can_be_accepted_or_dropped_but_has_no_key_to_change(setup, db, tree):
    from app.domain.vocabulary import AppealRemedy
    from app.services.assessment.appeals import file_appeal, uphold_appeal
    from app.services.core.access import add_course_owner
    from app.services.core.errors import ServiceError

    cadre = setup["cadres"][0]
    trainer = make_user(unit=tree["city"], roles=("trainer",))
    add_course_owner(setup["course"], trainer, actor=None)
    attempt = start_attempt(setup["quiz"], actor=cadre)
    _save(attempt, 0, "0")  # wrong
    submit_attempt(attempt, actor=cadre)
    appeal = file_appeal(attempt, 0, "我按要求去重后就是这个数。", actor=cadre)
    with pytest.raises(ServiceError, match="no_key_for_tasks"):
        uphold_appeal(appeal, AppealRemedy.CHANGE_KEY, "不适用", actor=trainer, new_spec={})
    changes = uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, "认可。", actor=trainer)
    [(attempt_id, old, new)] = changes
    assert attempt_id == attempt.id and Decimal(old) == 0 and Decimal(new) == 2


def test_grading_says_so_when_the_data_cannot_be_rebuilt_exactly(setup, db):
    cadre = setup["cadres"][0]
    attempt = start_attempt(setup["quiz"], actor=cadre)
    attempt.variant = {**attempt.variant, "digest": "0" * 16}  # as if built by another version
    db.session.flush()
    _save(attempt, 2, "SELECT district, count(*) FROM incidents GROUP BY district")
    submit_attempt(attempt, actor=cadre)
    answer = next(a for a in attempt.answers if a.position == 2)
    assert answer.detail["data_changed"] is True and answer.detail["primary_match"] is True


def test_an_exercise_without_tasks_cannot_be_started(setup, db):
    empty = make_exercise(setup["course"], code="GV210/empty", tasks=[])
    with pytest.raises(AttemptRefused, match="not_ready"):
        start_attempt(empty, actor=setup["cadres"][0])
