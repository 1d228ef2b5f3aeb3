from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.exercise_tasks import (
    TASK_TYPES,
    TaskAnswerError,
    check_task,
    f_score,
    rows_match,
    task_type,
    validate_task_spec,
)


def test_numeric_tolerances():
    spec = {"tolerance": 0.05, "unit": "%"}
    parse = task_type("numeric").parse
    assert check_task("numeric", spec, 31.25, parse(spec, {"value": ["31.2%"]}), 4) == 4
    assert check_task("numeric", spec, 31.25, parse(spec, {"value": ["31.4"]}), 4) == 0
    relative = {"tolerance_percent": 1}
    assert check_task("numeric", relative, 1200, 1210.0, 2) == 2
    with pytest.raises(TaskAnswerError) as error:
        parse(spec, {"value": ["很多"]})
    assert error.value.code == "not_a_number"


def test_choice_from_data_ignores_width_and_spaces():
    assert check_task("choice", {}, "解放碑街道", " 解放碑街道", 2) == 2
    assert check_task("choice", {}, "解放碑街道", "朝天门街道", 2) == 0
    assert check_task("choice", {}, "解放碑街道", None, 2) == 0


def test_sql_must_match_on_the_cadres_variant_and_the_hidden_one():
    expected = {"primary": [("解放碑街道", 12), ("朝天门街道", 9)],
                "hidden": [("解放碑街道", 7), ("朝天门街道", 15)]}
    honest = {"primary": [("朝天门街道", 9), ("解放碑街道", 12)],
              "hidden": [("朝天门街道", 15), ("解放碑街道", 7)]}
    hard_coded = {"primary": [("解放碑街道", 12), ("朝天门街道", 9)],
                  "hidden": [("解放碑街道", 12), ("朝天门街道", 9)]}
    assert check_task("sql", {}, expected, honest, 5) == 5
    assert check_task("sql", {}, expected, hard_coded, 5) == 0  # copied numbers fail
    assert check_task("sql", {"ordered": True}, expected, honest, 5) == 0
    assert check_task("sql", {}, expected, {"primary": None, "hidden": None}, 5) == 0


def test_result_sets_compare_as_multisets_with_tolerance():
    assert rows_match([(1, "a"), (1, "a"), (2, "b")], [(2, "b"), (1, "a"), (1, "a")],
                      ordered=False, tolerance=0)
    assert not rows_match([(1, "a"), (1, "a")], [(1, "a"), (2, "a")], ordered=False,
                          tolerance=0)
    assert not rows_match([(1, "a")], [(1, "a", 3)], ordered=False, tolerance=0)
    assert rows_match([(0.333333,)], [(0.3333,)], ordered=False, tolerance=0.001)
    assert not rows_match([(0.34,)], [(0.3333,)], ordered=False, tolerance=0.001)
    assert rows_match([], [], ordered=True, tolerance=0)


def test_row_and_column_selection_partial_credit():
    expected = ["r1", "r2", "r3", "r4"]
    assert check_task("rows", {}, expected, ["r1", "r2", "r3", "r4"], 4) == 4
    assert check_task("rows", {}, expected, ["r1", "r2"], 4) == Decimal("2.67")  # P=1, R=.5
    assert check_task("rows", {}, expected, ["r1", "x1", "x2", "x3"], 4) == 1  # P=.25, R=.25
    assert check_task("columns", {}, ["name", "id_number", "phone"], [], 3) == 0
    assert f_score(set(), set()) == 1


@pytest.mark.parametrize(("type_name", "spec", "problem"), [
    ("numeric", {"tolerance": -1}, "tolerance"),
    ("sql", {"tolerance": "x"}, "tolerance"),
    ("histogram", {}, "unknown task type"),
])
def test_invalid_specs(type_name, spec, problem):
    assert any(problem in p for p in validate_task_spec(type_name, spec))


@settings(max_examples=80, deadline=None)
@given(expected=st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=5, unique=True),
       chosen=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "x"]), max_size=6, unique=True),
       points=st.integers(1, 10))
def test_selection_scores_stay_in_range_and_are_deterministic(expected, chosen, points):
    for name in ("rows", "columns"):
        first = check_task(name, {}, expected, chosen, points)
        assert first == check_task(name, {}, expected, chosen, points)
        assert 0 <= first <= points


@settings(max_examples=80, deadline=None)
@given(expected=st.floats(-1e6, 1e6), answer=st.one_of(st.none(), st.floats(-1e6, 1e6)),
       tolerance=st.floats(0, 100))
def test_numeric_scores_are_zero_or_full(expected, answer, tolerance):
    score = check_task("numeric", {"tolerance": tolerance}, expected, answer, 3)
    assert score in (0, 3)
    assert set(TASK_TYPES) == {"numeric", "choice", "sql", "rows", "columns"}


def test_finding_13_record_ids_sort_by_value_not_as_text():
    """Issue 17, finding 13: picked record ids read 113, 1534, 186 (text order)."""
    from app.domain.exercise_tasks.base import sorted_ids
    from app.domain.exercise_tasks.types import ROWS

    assert ROWS.parse({}, {"value": ["1534 113\n186，113"]}) == ["113", "186", "1534"]
    assert sorted_ids([1534, 113, 186]) == ["113", "186", "1534"]
    # Codes that are not numbers follow the numbers, in text order.
    assert sorted_ids(["GX-2", "10", "9", "GX-10", "-1", "2.5"]) == [
        "-1", "2.5", "9", "10", "GX-10", "GX-2"]
