"""The analysis builder's model: what a cadre assembles step by step without typing SQL.

Plain frozen values, in the order the steps apply: the table, an optional second table
joined on a key, derived columns, filters on rows, groups with measures (or a pivot),
filters on the groups, sort and top N. ``compile_model`` turns a model into one readable
SELECT for the sandbox; ``model_from_dict`` reads the JSON the page keeps for undo and
redo (and that a builder answer to a task stores), refusing anything of the wrong shape.
"""

from dataclasses import asdict, dataclass, field

from app.domain.analysis.errors import AnalysisError

Schema = dict[str, list[tuple[str, str]]]  # table -> [(column, "INTEGER" | "REAL" | "TEXT")]

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
MAX_DERIVED, MAX_FILTERS, MAX_GROUPS, MAX_MEASURES = 6, 8, 3, 6
MAX_HAVING, MAX_SORT, MAX_COLUMNS, MAX_ARGS = 4, 3, 30, 16
MAX_TEXT = 200  # any one value or name a cadre types


@dataclass(frozen=True)
class Join:
    """Bring in a second table's columns where ``left`` (main table) equals ``right``."""

    table: str
    left: str
    right: str
    keep_unmatched: bool = True  # LEFT JOIN: rows without a match stay, their new columns empty


@dataclass(frozen=True)
class Derived:
    """A new column computed per row: ``func`` of ``column`` (and ``other``, ``args``)."""

    name: str
    func: str
    column: str
    other: str | None = None  # the second column of a difference or a ratio
    args: tuple[str, ...] = ()  # values: replace's old/new, substring's start/length, …


@dataclass(frozen=True)
class Condition:
    """A filter on rows (WHERE) or on groups (HAVING): a column against a value, two
    values (between), a list (in), nothing (empty) or another column (``other``)."""

    column: str
    op: str
    value: str = ""
    value2: str = ""
    other: str | None = None


@dataclass(frozen=True)
class Measure:
    func: str  # count, count_distinct, sum, avg, min, max, share
    column: str | None = None  # None: rows (count, share)


@dataclass(frozen=True)
class SortKey:
    column: str
    descending: bool = True


@dataclass(frozen=True)
class Pivot:
    """Rows × columns × one measure: a cross table, one output column per value."""

    rows: str
    columns: str
    measure: Measure


@dataclass(frozen=True)
class AnalysisModel:
    table: str
    join: Join | None = None
    derived: tuple[Derived, ...] = ()
    filters: tuple[Condition, ...] = ()
    columns: tuple[str, ...] = ()  # a listing's columns; empty: all of them
    group_by: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    having: tuple[Condition, ...] = ()
    pivot: Pivot | None = None
    sort: tuple[SortKey, ...] = field(default=())
    limit: int = DEFAULT_LIMIT

    @property
    def summarises(self) -> bool:
        return bool(self.group_by or self.measures)


def model_to_dict(model: AnalysisModel) -> dict:
    return asdict(model)


# --- reading JSON: every value checked for its type and size ---------------------------------

def _text(value, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise AnalysisError("bad_model", field=field)
    return value


def _items(value, field: str, most: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or len(value) > most:
        raise AnalysisError("bad_model", field=field)
    return list(value)


def _record(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise AnalysisError("bad_model", field=field)
    return value


def _measure(raw, field: str) -> Measure:
    raw = _record(raw, field)
    return Measure(_text(raw.get("func"), field), _text(raw.get("column"), field, optional=True))


def _condition(raw, field: str) -> Condition:
    raw = _record(raw, field)
    return Condition(_text(raw.get("column"), field), _text(raw.get("op"), field),
                     _text(raw.get("value", ""), field), _text(raw.get("value2", ""), field),
                     _text(raw.get("other"), field, optional=True))


def _derived(raw, field: str) -> Derived:
    raw = _record(raw, field)
    args = tuple(_text(a, field) for a in _items(raw.get("args"), field, MAX_ARGS))
    return Derived(_text(raw.get("name"), field), _text(raw.get("func"), field),
                   _text(raw.get("column"), field), _text(raw.get("other"), field, optional=True),
                   args)


def _join(raw) -> Join | None:
    if raw is None:
        return None
    raw = _record(raw, "join-table")
    keep = raw.get("keep_unmatched", True)
    if not isinstance(keep, bool):
        raise AnalysisError("bad_model", field="join-table")
    return Join(_text(raw.get("table"), "join-table"), _text(raw.get("left"), "join-left"),
                _text(raw.get("right"), "join-right"), keep)


def _pivot(raw) -> Pivot | None:
    if raw is None:
        return None
    raw = _record(raw, "pivot-rows")
    return Pivot(_text(raw.get("rows"), "pivot-rows"), _text(raw.get("columns"), "pivot-columns"),
                 _measure(raw.get("measure"), "pivot-func"))


def _sort(raw, field: str) -> SortKey:
    raw = _record(raw, field)
    descending = raw.get("descending", True)
    if not isinstance(descending, bool):
        raise AnalysisError("bad_model", field=field)
    return SortKey(_text(raw.get("column"), field), descending)


def _limit(raw) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise AnalysisError("bad_limit", field="limit", min=1, max=MAX_LIMIT)
    return raw


def model_from_dict(raw) -> AnalysisModel:
    """A model from its JSON form; AnalysisError("bad_model") names the part of the wrong
    shape. What the values mean (known columns, allowed functions) compile_model checks."""
    raw = _record(raw, "table")
    return AnalysisModel(
        table=_text(raw.get("table"), "table"),
        join=_join(raw.get("join")),
        derived=tuple(_derived(d, f"derive-{i}") for i, d in
                      enumerate(_items(raw.get("derived"), "derive-0", MAX_DERIVED))),
        filters=tuple(_condition(c, f"filter-{i}") for i, c in
                      enumerate(_items(raw.get("filters"), "filter-0", MAX_FILTERS))),
        columns=tuple(_text(c, "columns") for c in
                      _items(raw.get("columns"), "columns", MAX_COLUMNS)),
        group_by=tuple(_text(g, f"group-{i}") for i, g in
                       enumerate(_items(raw.get("group_by"), "group-0", MAX_GROUPS))),
        measures=tuple(_measure(m, f"measure-{i}") for i, m in
                       enumerate(_items(raw.get("measures"), "measure-0", MAX_MEASURES))),
        having=tuple(_condition(c, f"having-{i}") for i, c in
                     enumerate(_items(raw.get("having"), "having-0", MAX_HAVING))),
        pivot=_pivot(raw.get("pivot")),
        sort=tuple(_sort(s, f"sort-{i}") for i, s in
                   enumerate(_items(raw.get("sort"), "sort-0", MAX_SORT))),
        limit=_limit(raw.get("limit")))
