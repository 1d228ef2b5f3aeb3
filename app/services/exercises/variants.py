"""A cadre's exercise variant and the expected answers computed on it.

The variant is the scenario's dataset for the attempt's seed, loaded into the SQL
sandbox. Expected answers come from each task's reference SQL run *in the sandbox*
(so trainers' SQL obeys the same rules as learners'), when the attempt starts; SQL
tasks also get the result on a hidden second variant, so a query that hard-codes
the cadre's own numbers fails.
"""

from dataclasses import dataclass
from random import Random

from app.domain.exercise_tasks.base import sorted_ids
from app.domain.scenarios import get_scenario
from app.domain.scenarios.base import Column, Dataset, Table
from app.services.exercises.sandbox import TableData, Variant, build_variant, run_query

SQLITE_TYPES = {"integer": "INTEGER", "real": "REAL", "text": "TEXT", "timestamp": "TEXT"}
REFERENCE_ROW_CAP = 10_000


class ReferenceError(ValueError):
    """A task's reference SQL does not produce the shape its type needs."""


def variant_from_dataset(dataset: Dataset) -> Variant:
    return build_variant([
        TableData(table.name, [(c.name, SQLITE_TYPES[c.type]) for c in table.columns],
                  table.rows)
        for table in dataset.tables])


def build_exercise_variant(scenario_key: str, params: dict, seed: int) -> Variant:
    return variant_from_dataset(get_scenario(scenario_key).generate(seed, params))


def dataset_for(scenario_key: str | None, params: dict, tables: list[dict] | None,
                seed: int) -> Dataset:
    """The scenario's dataset for this seed, or the fixed dataset (the same for every seed)."""
    if scenario_key is not None:
        return get_scenario(scenario_key).generate(seed, params)
    if not tables:
        raise ValueError("an exercise needs a scenario or a fixed dataset")
    return Dataset(tables=[
        Table(table["name"], table["label"],
              [Column(name, kind, label) for name, kind, label in table["columns"]],
              [tuple(row) for row in table["rows"]])
        for table in tables], finding={})


def sample_variant(scenario_key: str | None, params: dict, tables: list[dict] | None,
                   seed: int) -> Variant:
    return variant_from_dataset(dataset_for(scenario_key, params, tables, seed))


def hidden_seed(seed: int) -> int:
    """The seed of the hidden check variant: different from, and fixed by, the cadre's."""
    return Random(seed ^ 0x5EED).getrandbits(48) or 1


@dataclass(frozen=True)
class TaskReference:
    type: str
    reference_sql: str | None
    spec: dict


def _rows(variant: Variant, sql: str) -> list[tuple]:
    result = run_query(variant, sql, row_cap=REFERENCE_ROW_CAP)
    if result.truncated:
        raise ReferenceError(f"reference query returns more than {REFERENCE_ROW_CAP} rows")
    return result.rows


def _single_cell(rows: list[tuple]):
    if len(rows) != 1 or len(rows[0]) != 1:
        raise ReferenceError("the reference query must return exactly one value")
    return rows[0][0]


def expected_answer(task: TaskReference, variant: Variant, hidden: Variant | None = None):
    """The expected value of one task on this variant (JSON-able)."""
    if task.type == "columns":  # a judgement about fields, written in the task itself
        return sorted(task.spec["answer"])
    if not task.reference_sql:
        raise ReferenceError("this task type needs a reference query")
    rows = _rows(variant, task.reference_sql)
    if task.type == "numeric":
        value = _single_cell(rows)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ReferenceError("the reference query must return a number")
        return float(value)
    if task.type == "choice":
        return str(_single_cell(rows))
    if task.type == "rows":
        return sorted_ids(row[0] for row in rows)
    if task.type == "sql":
        if hidden is None:
            raise ReferenceError("SQL tasks are checked on a hidden variant too")
        return {"primary": [list(r) for r in rows],
                "hidden": [list(r) for r in _rows(hidden, task.reference_sql)]}
    raise ReferenceError(f"unknown task type {task.type!r}")


def choice_options(variant: Variant, options_sql: str) -> list[str]:
    """The options of a choice task, read from the cadre's own data."""
    return [str(row[0]) for row in _rows(variant, options_sql)]
