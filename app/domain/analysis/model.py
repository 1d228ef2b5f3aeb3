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
MAX_CALCULATIONS, MAX_MEASURE_CONDITIONS = 4, 3
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
    """A figure per group: ``func`` of ``column`` over the rows meeting ``where`` (all
    rows when empty), named ``name`` (or func_column); a measure not ``shown`` still
    serves the filters on groups, the sort and the calculations."""

    func: str  # count, count_distinct, sum, avg, min, max, share
    column: str | None = None  # None: rows (count, share)
    name: str | None = None
    where: tuple["Condition", ...] = ()
    shown: bool = True


@dataclass(frozen=True)
class Calculation:
    """A figure from two measures of the same group: their ratio, a percentage
    (100 × left ÷ right) or a difference, rounded to ``digits``."""

    name: str
    op: str  # ratio, percent, difference
    left: str
    right: str
    digits: int = 2


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
    #: Keep one row per distinct combination of these columns (and only these columns),
    #: e.g. a record exported twice counted once; empty: every row.
    distinct: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # a listing's columns; empty: all of them
    group_by: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    calculations: tuple[Calculation, ...] = ()
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


def _flag(raw: dict, key: str, field: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise AnalysisError("bad_model", field=field)
    return value


def _measure(raw, field: str) -> Measure:
    raw = _record(raw, field)
    where = tuple(_condition(c, f"{field}-where-{i}") for i, c in
                  enumerate(_items(raw.get("where"), field, MAX_MEASURE_CONDITIONS)))
    return Measure(_text(raw.get("func"), field), _text(raw.get("column"), field, optional=True),
                   _text(raw.get("name"), field, optional=True), where,
                   _flag(raw, "shown", field, True))


def _calculation(raw, field: str) -> Calculation:
    raw = _record(raw, field)
    digits = raw.get("digits", 2)
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise AnalysisError("bad_model", field=field)
    return Calculation(_text(raw.get("name"), field), _text(raw.get("op"), field),
                       _text(raw.get("left"), field), _text(raw.get("right"), field), digits)


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
    keep = _flag(raw, "keep_unmatched", "join-table", True)
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
    return SortKey(_text(raw.get("column"), field), _flag(raw, "descending", field, True))


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
        distinct=tuple(_text(c, "distinct") for c in
                       _items(raw.get("distinct"), "distinct", MAX_COLUMNS)),
        columns=tuple(_text(c, "columns") for c in
                      _items(raw.get("columns"), "columns", MAX_COLUMNS)),
        group_by=tuple(_text(g, f"group-{i}") for i, g in
                       enumerate(_items(raw.get("group_by"), "group-0", MAX_GROUPS))),
        measures=tuple(_measure(m, f"measure-{i}") for i, m in
                       enumerate(_items(raw.get("measures"), "measure-0", MAX_MEASURES))),
        calculations=tuple(_calculation(c, f"calc-{i}") for i, c in enumerate(
            _items(raw.get("calculations"), "calc-0", MAX_CALCULATIONS))),
        having=tuple(_condition(c, f"having-{i}") for i, c in
                     enumerate(_items(raw.get("having"), "having-0", MAX_HAVING))),
        pivot=_pivot(raw.get("pivot")),
        sort=tuple(_sort(s, f"sort-{i}") for i, s in
                   enumerate(_items(raw.get("sort"), "sort-0", MAX_SORT))),
        limit=_limit(raw.get("limit")))
