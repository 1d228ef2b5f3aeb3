"""Exercise files and fixed CSV datasets as plain values: each rule, with its line."""

from decimal import Decimal

import pytest

from app.domain.course_files import parse_course_folder, serialize_course
from app.domain.course_files.datasets import csv_bytes, parse_csv_table
from app.domain.course_files.exercise_files import exercise_hash
from tests.domain.test_course_files import PREFIX, folder

EXERCISE = """\
title: 网格事件分析
pass_mark: 70
time_limit_minutes: 60
scenario: grid_incidents
params: {rows: 800}
brief: |
  区城运中心请你分析本区网格事件。
tasks:
  - id: T1
    type: numeric
    area: data
    points: 2
    prompt: 共有多少条事件记录？
    reference_sql: SELECT count(*) FROM incidents
    tolerance: 0
    explanation: 用 count(*)。
  - id: T2
    type: rows
    area: governance
    points: 3
    prompt: 找出办结早于上报的记录。
    table: incidents
    key_column: id
    reference_sql: SELECT id FROM incidents WHERE closed_at < reported_at
  - id: T3
    type: columns
    area: security
    points: 1.5
    prompt: 公开前去掉哪些字段？
    table: incidents
    answer: [grid]
"""


def parse(files):
    return parse_course_folder(files, folder="TS101", prefix=PREFIX)


def problems(text: str, **files) -> list[str]:
    result = parse(folder(exercises__grid_dot_yaml=text, **files))
    assert isinstance(result, list), "expected problems"
    return [str(problem) for problem in result]


def edited(old: str, new: str) -> str:
    assert old in EXERCISE
    return EXERCISE.replace(old, new)


def test_an_exercise_file_is_read_into_settings_scenario_and_tasks():
    spec = parse(folder(exercises__grid_dot_yaml=EXERCISE))
    [exercise] = spec.exercises
    assert exercise.code == "TS101/grid" and exercise.pass_mark == 70
    assert exercise.scenario == "grid_incidents" and exercise.params == {"rows": 800}
    assert [t.id for t in exercise.tasks] == ["T1", "T2", "T3"]
    assert exercise.tasks[1].spec == {"table": "incidents", "key_column": "id"}
    assert exercise.tasks[2].points == Decimal("1.5")
    assert exercise.task_key("T1") == "TS101/grid/T1"


def test_exercises_round_trip_through_their_files():
    spec = parse(folder(exercises__grid_dot_yaml=EXERCISE))
    files = serialize_course(spec)
    assert "exercises/grid.yaml" in files
    again = parse(files)
    assert again.exercises == spec.exercises
    assert exercise_hash(again.exercises[0]) == exercise_hash(spec.exercises[0])


FILE = "courses/TS101/exercises/grid.yaml"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("scenario: grid_incidents", "scenario: floods",
     f"{FILE}:4: unknown scenario the text 'floods'; known: grid_incidents, muck_trucks, "
     "pipeline_sensors, one_thing_services, health_data_sharing, community_requests"),
    ("params: {rows: 800}", "params: {rows: 10}",
     f"{FILE}:5: parameter 'rows' must be between 200 and 50000, got 10 (scenario "
     "grid_incidents)"),
    ("params: {rows: 800}", "params: {colour: 1}",
     f"{FILE}:5: unknown parameter 'colour'; known: rows, problem_strength (scenario "
     "grid_incidents)"),
    ("    type: numeric", "    type: essay",
     f"{FILE}:10: unknown task type the text 'essay'; allowed: numeric, choice, sql, rows, "
     "columns"),
    ("    tolerance: 0\n", "    tolerance: -1\n", f"{FILE}:9: tolerance must be a number ≥ 0"),
    ("    tolerance: 0\n", "    ordered: true\n",
     f"{FILE}:15: unknown key 'task.ordered' (allowed: id, type, area, points, prompt, "
     "reference_sql, tolerance, tolerance_percent, unit, explanation, hints)"),
    ("    key_column: id\n", "",
     f"{FILE}:17: missing required key 'task.key_column'"),
    ("    answer: [grid]", "    answer: []",
     f"{FILE}:25: answer must list the column names to choose, such as [name, id_number], "
     "got a list"),
    ("  - id: T2", "  - id: T1", f"{FILE}:17: task id T1 is already used on line 9"),
    ("  - id: T2", "  - id: t2",
     f"{FILE}:17: a task id is a capital letter and up to 5 capitals or digits, such as T1, "
     "got the text 't2'"),
])
def test_problems_name_the_line_to_fix(old, new, expected):
    assert expected in problems(edited(old, new))


def test_an_exercise_needs_a_scenario_or_a_dataset_and_not_both():
    no_data = edited("scenario: grid_incidents\nparams: {rows: 800}\n", "")
    assert problems(no_data) == [f"{FILE}:1: an exercise needs a scenario (scenario: "
                                 "grid_incidents…) or a fixed dataset (dataset: …)"]
    both = edited("params: {rows: 800}\n", "params: {rows: 800}\ndataset: [{table: t, "
                                           "file: t.csv}]\n")
    assert f"{FILE}:6: give either scenario or dataset, not both" in problems(
        both, exercises__data__t_dot_csv="a\n1\n")


def test_an_exercise_may_not_share_a_quizs_name():
    quiz = "title: 测验\nquestions: [SB-DATA-001]\n"
    assert problems(EXERCISE, quizzes__grid_dot_yaml=quiz) == [
        f"{FILE}: quizzes/grid.yaml has the same name; an exercise and a quiz of a course "
        "need different names"]


FIXED = edited("scenario: grid_incidents\nparams: {rows: 800}\n",
               "dataset:\n  - {table: incidents, label: 网格事件, file: incidents.csv}\n")
CSV = ("id|编号,street|街道,grid,closed_at,reported_at,hours\n"
       "1,解放碑街道,G1,2025-01-02 10:00:00,2025-01-01 09:00:00,25.0\n"
       "2,朝天门街道,G2,2025-01-01 08:00:00,2025-01-01 09:00:00,\n"
       "3,解放碑街道,G3,2025-01-03 10:00:00,2025-01-03 09:30:00,0.5\n")


def test_a_fixed_dataset_is_read_from_its_csv_with_inferred_types():
    spec = parse(folder(exercises__grid_dot_yaml=FIXED, exercises__data__incidents_dot_csv=CSV))
    [table] = spec.exercises[0].dataset
    assert table.columns == (("id", "integer", "编号"), ("street", "text", "街道"),
                             ("grid", "text", "grid"), ("closed_at", "timestamp", "closed_at"),
                             ("reported_at", "timestamp", "reported_at"),
                             ("hours", "real", "hours"))
    assert table.rows[1] == (2, "朝天门街道", "G2", "2025-01-01 08:00:00",
                             "2025-01-01 09:00:00", None)
    again = parse(serialize_course(spec))
    assert again.exercises[0].dataset == spec.exercises[0].dataset


def test_dataset_problems_name_the_file_row_and_column():
    missing = problems(FIXED)
    assert missing == [f"{FILE}:5: exercises/data/incidents.csv is not in the course folder"]
    ragged = CSV.replace("2,朝天门街道,G2,", "2,朝天门街道,")
    assert problems(FIXED, exercises__data__incidents_dot_csv=ragged) == [
        "courses/TS101/exercises/data/incidents.csv:3: row has 5 values; the header has 6 "
        "columns"]
    bad_header = CSV.replace("grid,", "select,")
    assert "column 3 'select'" in problems(FIXED, exercises__data__incidents_dot_csv=bad_header)[0]
    unused = problems(EXERCISE, exercises__data__extra_dot_csv="a\n1\n")
    assert unused == ["courses/TS101/exercises/data/extra.csv: no exercise uses this dataset"]


def test_csv_values_keep_leading_zeros_and_round_trip():
    table, found = parse_csv_table("phones", "电话", b"phone,n\n023-6123,1\n0236123,2\n",
                                   "x.csv")
    assert found == [] and table.columns[0][1] == "text" and table.rows[1][0] == "0236123"
    again, _ = parse_csv_table("phones", "电话", csv_bytes(table), "x.csv")
    assert again.rows == table.rows and again.columns == table.columns
    _none, problems_found = parse_csv_table("t", "t", b"\xff\xfe", "x.csv")
    assert problems_found[0].message == "not UTF-8 text; save the CSV as UTF-8"
