"""Course files: an SQL task's builder_solution and twin, and the rule that an exercise
can be passed without typing SQL (issue 18)."""

from app.domain.course_files.exercise_files import exercise_document
from app.domain.course_files.exercises import parse_exercise_file

HEAD = """title: 练习
pass_mark: 60
scenario: grid_incidents
brief: 简介
tasks:
"""
NUMERIC = """  - id: T1
    type: numeric
    area: data
    points: 1
    prompt: 多少件？
    reference_sql: SELECT COUNT(*) FROM incidents
"""
SQL = """  - id: T2
    type: sql
    area: data
    points: 3
    prompt: 写一条查询
    reference_sql: SELECT street, COUNT(*) FROM incidents GROUP BY street
"""
SOLUTION = """    builder_solution:
      table: incidents
      group_by: [street]
      limit: 1000
"""
TWIN = """    twin:
      type: numeric
      prompt: 事件最多的街道有多少件？
      reference_sql: SELECT COUNT(*) FROM incidents GROUP BY street ORDER BY 1 DESC LIMIT 1
      tolerance: 0
"""


def _parse(text: str):
    return parse_exercise_file(text, "courses/X/exercises/e.yaml", course_code="X", slug="e",
                               data_files={})


def test_an_exercise_that_needs_sql_to_pass_is_refused_with_the_points():
    spec, problems = _parse(HEAD + NUMERIC + SQL)
    assert spec is None
    assert "cannot be passed without typing SQL: 1 of 4 points" in problems[0].message
    assert "pass mark is 60 %" in problems[0].message


def test_a_builder_solution_or_a_twin_makes_it_passable_and_round_trips():
    for extra in (SOLUTION, TWIN, SOLUTION + TWIN):
        spec, problems = _parse(HEAD + NUMERIC + SQL + extra)
        assert problems == [] and spec is not None
        task = spec.tasks[1]
        assert (task.builder_solution is not None) == ("builder_solution" in extra)
        assert (task.twin is not None) == ("twin" in extra)
        document = exercise_document(spec)["tasks"][1]
        assert document.get("builder_solution") == task.builder_solution
        assert document.get("twin") == task.twin


def test_no_code_answers_are_checked_where_they_are_written():
    bad_model = SQL + "    builder_solution: {table: incidents, limit: true}\n"
    _spec, problems = _parse(HEAD + NUMERIC + bad_model)
    assert "task T2: builder_solution is not a builder model (bad_limit at limit)" in \
        problems[0].message
    on_numeric = NUMERIC + "    twin: {type: numeric, prompt: x, reference_sql: SELECT 1}\n"
    _spec, problems = _parse(HEAD + on_numeric + SQL + SOLUTION)
    assert any("unknown key 'task.twin'" in p.message for p in problems), problems
    wrong_type = SQL + "    twin: {type: sql, prompt: x, reference_sql: SELECT 1}\n"
    _spec, problems = _parse(HEAD + NUMERIC + wrong_type)
    assert any("twin type must be one of numeric, choice, rows" in p.message for p in problems)
    missing = SQL + "    twin: {type: choice, prompt: x, reference_sql: SELECT 1}\n"
    _spec, problems = _parse(HEAD + NUMERIC + missing)
    assert any("options_sql" in p.message for p in problems), problems
