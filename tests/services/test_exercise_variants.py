import pytest

from app.domain.exercise_tasks import check_task
from app.services.exercises.sandbox import run_query
from app.services.exercises.variants import (
    ReferenceError,
    TaskReference,
    build_exercise_variant,
    choice_options,
    expected_answer,
    hidden_seed,
)

WORST_STREET = """
    SELECT trim(street) FROM incidents GROUP BY trim(street)
    ORDER BY avg(status = '已超期') DESC LIMIT 1"""
BY_CATEGORY = "SELECT category, count(*) FROM incidents GROUP BY category"


@pytest.fixture(scope="module")
def variants():
    seed = 20260501
    build = lambda s: build_exercise_variant("grid_incidents", {"rows": 1500}, s)  # noqa: E731
    return build(seed), build(hidden_seed(seed)), build(seed + 1)


def test_the_variant_is_the_scenario_dataset_in_the_sandbox(variants):
    mine, _hidden, _other = variants
    assert run_query(mine, "SELECT count(*) FROM incidents").rows[0][0] >= 1500


def test_expected_answers_come_from_reference_sql_on_the_cadres_own_data(variants):
    mine, hidden, other = variants
    task = TaskReference("choice", WORST_STREET, {})
    from app.domain.scenarios import get_scenario

    finding = get_scenario("grid_incidents").generate(20260501, {"rows": 1500}).finding
    assert expected_answer(task, mine) == finding["worst_street"]
    assert finding["worst_street"] in choice_options(
        mine, "SELECT DISTINCT trim(street) FROM incidents ORDER BY 1")
    share = TaskReference("numeric", "SELECT round(avg(status = '已超期'), 4) FROM incidents", {})
    assert expected_answer(share, mine) != expected_answer(share, other)  # numbers differ


def test_sql_tasks_catch_hard_coded_numbers_on_the_hidden_variant(variants):
    mine, hidden, _other = variants
    task = TaskReference("sql", BY_CATEGORY, {})
    expected = expected_answer(task, mine, hidden)
    honest = {"primary": run_query(mine, BY_CATEGORY).rows,
              "hidden": run_query(hidden, BY_CATEGORY).rows}
    # A learner who types their own numbers into the query (a sandbox is the point here).
    typed_in = "SELECT * FROM (VALUES " + ", ".join(  # noqa: S608
        f"('{c}', {n})" for c, n in run_query(mine, BY_CATEGORY).rows) + ")"
    copied = {"primary": run_query(mine, typed_in).rows,
              "hidden": run_query(hidden, typed_in).rows}
    assert check_task("sql", {}, expected, honest, 5) == 5
    assert check_task("sql", {}, expected, copied, 5) == 0


def test_reference_queries_of_the_wrong_shape_are_refused(variants):
    mine, hidden, _other = variants
    with pytest.raises(ReferenceError, match="exactly one value"):
        expected_answer(TaskReference("numeric", BY_CATEGORY, {}), mine)
    with pytest.raises(ReferenceError, match="a number"):
        expected_answer(TaskReference("numeric", "SELECT 'x'", {}), mine)
    with pytest.raises(ReferenceError, match="hidden"):
        expected_answer(TaskReference("sql", BY_CATEGORY, {}), mine)
    assert expected_answer(TaskReference("columns", None, {"answer": ["phone", "name"]}),
                           mine) == ["name", "phone"]
