"""The dataset behind an exercise attempt: built once per process, then reused.

Every page of the workspace (table, console, builder, chart, CSV) and the grading of
SQL tasks needs the cadre's variant. Building one takes tens of milliseconds, so
the images are kept in a small in-process LRU keyed by what determines them
(scenario, parameters, seed; or the fixed dataset's quiz and version). The images
are immutable bytes and every query works on its own copy, so sharing is safe.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from app.domain.scenarios.base import Dataset
from app.models import Attempt, Exercise
from app.services.exercises.sandbox import Variant
from app.services.exercises.variants import dataset_for, hidden_seed, variant_from_dataset

CACHE_SIZE = 48  # a 5,000-row image is about 0.5 MB


@dataclass(frozen=True)
class TableInfo:
    name: str
    label: str
    #: (column, SQLite type, display label)
    columns: tuple[tuple[str, str, str], ...]
    rows: int


@dataclass(frozen=True)
class ExerciseData:
    variant: Variant
    tables: tuple[TableInfo, ...]

    def table(self, name: str) -> TableInfo | None:
        return next((table for table in self.tables if table.name == name), None)

    @property
    def schema(self) -> dict[str, list[tuple[str, str]]]:
        return {t.name: [(name, kind) for name, kind, _ in t.columns] for t in self.tables}


_cache: OrderedDict[tuple, ExerciseData] = OrderedDict()
_lock = threading.Lock()


def _build(dataset: Dataset) -> ExerciseData:
    variant = variant_from_dataset(dataset)
    tables = tuple(TableInfo(table.name, table.label,
                             tuple((column.name, declared, column.label) for column, (_, declared)
                                   in zip(table.columns, variant.tables[table.name],
                                          strict=True)),
                             len(table.rows))
                   for table in dataset.tables)
    return ExerciseData(variant, tables)


def exercise_data(exercise: Exercise, seed: int, *, version: int,
                  scenario: tuple[str, dict] | None = None) -> ExerciseData:
    """The variant for this seed (the fixed dataset whatever the seed).

    ``scenario`` (key, params) overrides the exercise's: an attempt keeps the scenario
    it started with, so a trainer's later edit never changes a started attempt's data.
    """
    key_name, params = scenario or (exercise.scenario_key, exercise.scenario_params or {})
    if key_name is None:
        key: tuple = ("fixed", exercise.quiz_id, version)
    else:
        key = (key_name, json.dumps(params, sort_keys=True), seed)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = _build(dataset_for(key_name, params, exercise.dataset, seed))
    with _lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def attempt_data(attempt: Attempt, *, hidden: bool = False) -> ExerciseData:
    """The cadre's own variant of the attempt, or its hidden twin (for checking SQL)."""
    exercise = attempt.quiz.exercise
    descriptor = attempt.variant or {}
    scenario = (descriptor["scenario"], descriptor.get("params") or {}) \
        if descriptor.get("scenario") else None
    seed = hidden_seed(attempt.seed) if hidden and scenario else attempt.seed
    return exercise_data(exercise, seed, version=attempt.quiz.version, scenario=scenario)


def image_digest(variant: Variant) -> str:
    """A short fingerprint of a variant, stored with the attempt to notice drift."""
    return hashlib.sha256(variant.image).hexdigest()[:16]


def clear_cache() -> None:
    with _lock:
        _cache.clear()
