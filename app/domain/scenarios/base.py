"""The shapes every scenario generator shares: columns, tables, datasets, parameters.

A scenario builds one or more tables of plausible city-governance data for a
learner variant (DESIGN.md §6). ``generate(seed, params)`` is a pure function:
the same seed and parameters always give an identical ``Dataset``; another seed
gives other numbers with the same *kind* of planted finding. ``Dataset.finding``
describes that finding in plain values for tests and trainers; learners never see it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

COLUMN_TYPES = ("integer", "real", "text", "timestamp")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"  # local Asia/Shanghai time, no offset

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")

# Words a learner would have to quote in SQLite or PostgreSQL: never used as names.
_RESERVED = """
abort action add after all alter always analyse analyze and any array as asc asymmetric
attach authorization autoincrement before begin between binary both by cascade case cast
check collate column commit concurrently conflict constraint create cross current
current_catalog current_date current_role current_schema current_time current_timestamp
current_user database default deferrable deferred delete desc detach distinct do drop each
else end escape except exclude exclusive exists explain fail false fetch filter first
following for foreign freeze from full generated glob grant group groups having if ignore
ilike immediate in index indexed initially inner insert instead intersect into is isnull
join key last lateral leading left like limit localtime localtimestamp match materialized
natural no not nothing notnull null nulls of offset on only or order others outer over
overlaps partition placing plan pragma preceding primary query raise range recursive
references regexp reindex release rename replace restrict returning right rollback row rows
savepoint select session_user set similar some symmetric table tablesample temp temporary
then ties to trailing transaction trigger true unbounded union unique update user using
vacuum values variadic verbose view virtual when where window with without
"""
RESERVED_WORDS = frozenset(_RESERVED.split())


def is_safe_identifier(name: str) -> bool:
    """Lowercase ascii snake_case, at most 63 characters, not an SQL keyword."""
    return bool(_IDENTIFIER.fullmatch(name)) and name not in RESERVED_WORDS


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of COLUMN_TYPES
    label: str  # the Chinese display name, e.g. 街道

    def __post_init__(self):
        if not is_safe_identifier(self.name):
            raise ValueError(f"column name {self.name!r} is not a safe SQL identifier")
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name!r}: type {self.type!r} is not one of "
                             f"{', '.join(COLUMN_TYPES)}")


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    columns: list[Column]
    rows: list[tuple]

    def __post_init__(self):
        if not is_safe_identifier(self.name):
            raise ValueError(f"table name {self.name!r} is not a safe SQL identifier")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name!r} repeats a column name")
        width = len(names)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.name!r} row {index} has {len(row)} values, "
                                 f"expected {width}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Dataset:
    tables: list[Table]
    finding: dict

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"no table {name!r}; tables: {', '.join(t.name for t in self.tables)}")


def _value_ok(kind: str, value) -> bool:
    if value is None:
        return True
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "real":
        return isinstance(value, float)
    if kind == "text":
        return isinstance(value, str)
    return isinstance(value, str) and bool(_TIMESTAMP.fullmatch(value)) and _parses(value)


def _parses(stamp: str) -> bool:
    try:
        datetime.strptime(stamp, TIMESTAMP_FORMAT)
    except ValueError:
        return False
    return True


def check_table(table: Table, limit: int = 10) -> list[str]:
    """Values that do not match their column's declared type (empty when all do)."""
    problems: list[str] = []
    kinds = [(c.name, c.type) for c in table.columns]
    for index, row in enumerate(table.rows):
        for (name, kind), value in zip(kinds, row, strict=True):
            if not _value_ok(kind, value):
                problems.append(f"{table.name} row {index} column {name}: {value!r} "
                                f"is not {kind}")
                if len(problems) >= limit:
                    return problems
    return problems


@dataclass(frozen=True)
class ParamSpec:
    """One tunable parameter: an int when the default is an int, else a float."""

    default: int | float
    minimum: int | float
    maximum: int | float
    help: str


def resolve_params(specs: dict[str, ParamSpec], params: dict | None) -> dict:
    """Every parameter's value: missing ones take their default; bad ones raise ValueError."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(specs))
    if unknown:
        raise ValueError(f"unknown parameter {unknown[0]!r}; known: {', '.join(specs)}")
    return {name: _checked(name, spec, params.get(name, spec.default))
            for name, spec in specs.items()}


def _checked(name: str, spec: ParamSpec, value):
    integral = isinstance(spec.default, int)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"parameter {name!r} must be a number, got {value!r}")
    if integral and isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"parameter {name!r} must be a whole number, got {value!r}")
        value = int(value)
    if value != value or not spec.minimum <= value <= spec.maximum:  # NaN fails both
        raise ValueError(f"parameter {name!r} must be between {spec.minimum} and "
                         f"{spec.maximum}, got {value!r}")
    return value if integral else float(value)


def check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    return seed


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    description: str
    parameters: dict[str, ParamSpec]
    generate: Callable[[int, dict], Dataset]
