"""Property: any model the builder's pages can produce compiles to SQL the sandbox runs.

Models are drawn over a small two-table variant with every column type, empty values and
timestamps; values are arbitrary text and numbers (quotes, % and _, CJK, emoji). Whatever
is drawn, compiling either succeeds and the sandbox runs the SQL, or refuses with an
AnalysisError; nothing else may happen, also for arbitrary JSON."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.analysis import (
    AnalysisError,
    AnalysisModel,
    Calculation,
    Condition,
    Derived,
    Join,
    Measure,
    Pivot,
    SortKey,
    compile_model,
    model_columns,
    model_from_dict,
)
from app.services.exercises.sandbox import TableData, build_variant, run_query

INCIDENTS = [("id", "INTEGER"), ("street", "TEXT"), ("status", "TEXT"),
             ("reported_at", "TEXT"), ("closed_at", "TEXT"), ("handling_hours", "REAL")]
STREETS = [("street", "TEXT"), ("population", "INTEGER")]
SCHEMA = {"incidents": INCIDENTS, "streets": STREETS}
_STREETS = ["解放碑街道", "七星岗街道", " 大坪街道", None]
_ROWS = [(i, _STREETS[i % 4], ["已办结", "已超期", None][i % 3],
          f"2025-0{1 + i % 9}-1{i % 10} 0{i % 10}:30:00", None if i % 5 == 0 else
          f"2025-0{1 + i % 9}-2{i % 10} 1{i % 10}:00:00", None if i % 7 == 0 else i * 1.5)
         for i in range(1, 60)]
VARIANT = build_variant([
    TableData("incidents", INCIDENTS, _ROWS),
    TableData("streets", STREETS, [("解放碑街道", 52000), ("七星岗街道", 0), ("大坪街道", None)]),
])
NUMBERS = st.one_of(st.integers(-10**6, 10**6).map(str),
                    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"))
TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                min_size=1, max_size=12).filter(lambda t: t.strip())
NAMES = st.text(string.ascii_letters + "时长分组类别", min_size=1, max_size=8)

DERIVED = [("year", 0, False), ("month", 0, False), ("weekday", 0, False), ("hour", 0, False),
           ("date", 0, False), ("year_month", 0, False), ("days_between", 0, True),
           ("hours_between", 0, True), ("upper", 0, False), ("trim", 0, False),
           ("length", 0, False)]


@st.composite
def derived_columns(draw, columns):
    specs = []
    for n in range(draw(st.integers(0, 3))):
        name = f"{draw(NAMES)}{n}"
        kind = draw(st.sampled_from(["plain", "replace", "substr", "round", "ratio", "bucket"]))
        if kind == "plain":
            func, _, two = draw(st.sampled_from(DERIVED))
            specs.append(Derived(name, func, "reported_at", "closed_at" if two else None))
        elif kind == "replace":
            specs.append(Derived(name, "replace", "street", args=(draw(TEXTS), draw(TEXTS))))
        elif kind == "substr":
            specs.append(Derived(name, "substr", "status", args=(
                str(draw(st.integers(1, 20))), str(draw(st.integers(1, 20))))))
        elif kind == "round":
            specs.append(Derived(name, "round", "handling_hours",
                                 args=(str(draw(st.integers(0, 6))),)))
        elif kind == "ratio":
            specs.append(Derived(name, "ratio", "handling_hours",
                                 draw(st.sampled_from(["id", "population"]))
                                 if "population" in columns else "id"))
        else:
            rules = draw(st.lists(st.tuples(st.sampled_from(["lt", "ge", "eq"]), NUMBERS, TEXTS),
                                  min_size=1, max_size=3))
            specs.append(Derived(name, "bucket", "id",
                                 args=(*(x for rule in rules for x in rule), draw(TEXTS))))
    return tuple(specs)


def _condition(draw, columns: dict, numeric_ops=True):
    name = draw(st.sampled_from(sorted(columns)))
    numeric = columns[name].kind in ("INTEGER", "REAL")
    op = draw(st.sampled_from(["eq", "ne", "gt", "le", "between", "in", "is_empty", "not_empty"]
                              + ([] if numeric else ["contains", "starts_with"])))
    value = draw(NUMBERS if numeric else TEXTS)
    if op == "in":
        value = "、".join(draw(st.lists(NUMBERS if numeric else TEXTS, min_size=1, max_size=4)))
    same = [n for n, c in columns.items() if (c.kind in ("INTEGER", "REAL")) == numeric]
    other = draw(st.sampled_from(same)) if op in ("eq", "gt") and draw(st.booleans()) else None
    return Condition(name, op, value.replace("、", "") if op != "in" else value,
                     draw(NUMBERS if numeric else TEXTS), other)


@st.composite
def models(draw):
    join = Join("streets", "street", "street", draw(st.booleans())) if draw(st.booleans()) \
        else None
    base = model_columns(SCHEMA, AnalysisModel("incidents", join=join))
    derived = draw(derived_columns(base))
    columns = model_columns(SCHEMA, AnalysisModel("incidents", join=join, derived=derived))
    distinct = ()
    if draw(st.booleans()) and draw(st.booleans()):  # remove duplicates over some columns
        distinct = tuple(draw(st.lists(st.sampled_from(sorted(columns)), min_size=1,
                                       max_size=3, unique=True)))
        columns = {name: columns[name] for name in distinct}
    filters = tuple(_condition(draw, columns) for _ in range(draw(st.integers(0, 3))))
    names = sorted(columns)
    numeric = [n for n in names if columns[n].kind in ("INTEGER", "REAL")]
    shape = draw(st.sampled_from(["listing", "summary", "pivot"] if len(names) > 1 and numeric
                                 else ["listing", "summary"]))
    common = {"table": "incidents", "join": join, "derived": derived, "filters": filters,
              "distinct": distinct, "limit": draw(st.integers(1, 1000))}
    if shape == "listing":
        picked = tuple(draw(st.lists(st.sampled_from(names), unique=True, max_size=4)))
        sort = tuple(SortKey(n, draw(st.booleans())) for n in draw(
            st.lists(st.sampled_from(names), unique=True, max_size=2)))
        return AnalysisModel(**common, columns=picked, sort=sort)
    if shape == "pivot":
        rows, across = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2,
                                     unique=True))
        measure = draw(st.sampled_from([Measure("count"), Measure("count_distinct", rows),
                                        Measure("sum", draw(st.sampled_from(numeric))),
                                        Measure("avg", draw(st.sampled_from(numeric)))]))
        return AnalysisModel(**common, pivot=Pivot(rows, across, measure))
    groups = tuple(draw(st.lists(st.sampled_from(names), unique=True, max_size=3)))
    measures = tuple(draw(st.lists(st.sampled_from(
        [Measure("count"), Measure("share"), *(Measure(f, n) for n in numeric
                                               for f in ("sum", "avg", "share")),
         *(Measure(f, n) for n in names for f in ("count_distinct", "min", "max"))]),
        unique=True, min_size=0 if groups else 1, max_size=3)))
    if measures and measures[0].func != "share" and draw(st.booleans()):  # over some rows
        first = measures[0]
        measures = (Measure(first.func, first.column, "甲", (_condition(draw, columns),),
                            draw(st.booleans())), *measures[1:])
    outputs = [m.name or (m.func if m.column is None else f"{m.func}_{m.column}")
               for m in measures] or ["count"]
    if len(set(outputs) | set(groups)) < len(outputs) + len(groups):
        measures = (Measure("count"),)
        outputs = ["count"]
    calculations = ()
    if draw(st.booleans()):
        calculations = (Calculation("乙", draw(st.sampled_from(["ratio", "percent",
                                                                "difference"])),
                                    draw(st.sampled_from(outputs)), draw(st.sampled_from(outputs)),
                                    draw(st.integers(0, 6))),)
    having = (Condition(outputs[0], "gt", draw(NUMBERS)),) if draw(st.booleans()) else ()
    sort = (SortKey(draw(st.sampled_from([*groups, *outputs])), draw(st.booleans())),)
    return AnalysisModel(**common, group_by=groups, measures=measures, having=having,
                         calculations=calculations, sort=sort)


def _pivot_values(model: AnalysisModel) -> list:
    if model.pivot is None:
        return []
    listing = AnalysisModel(model.table, join=model.join, derived=model.derived,
                            columns=(model.pivot.columns,), limit=1000)
    rows = run_query(VARIANT, compile_model(SCHEMA, listing), row_cap=1000).rows
    return sorted({row[0] for row in rows}, key=lambda v: (v is None, str(v)))[:30]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_any_model_the_pages_can_build_runs_in_the_sandbox(model):
    try:
        sql = compile_model(SCHEMA, model, pivot_values=_pivot_values(model))
    except AnalysisError as error:  # e.g. a bucket value that is not a number
        assert error.code and error.field
        return
    result = run_query(VARIANT, sql, row_cap=1000)
    assert len(result.rows) <= model.limit


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(
                        ["table", "join", "derived", "filters", "group_by", "measures", "having",
                         "pivot", "sort", "limit", "columns", "column", "op", "func", "name",
                         "left", "right", "rows", "measure", "value", "args", "other",
                         "where", "shown", "digits", "distinct", "calculations"]),
                        inner, max_size=6), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["table", "join", "derived", "filters", "group_by",
                                        "measures", "having", "pivot", "sort", "limit",
                                        "distinct", "calculations"]),
                       JSON, max_size=8).map(lambda d: {"table": "incidents", **d}))
def test_arbitrary_json_is_refused_with_an_analysis_error_or_runs(raw):
    try:
        sql = compile_model(SCHEMA, model_from_dict(raw))
    except AnalysisError:
        return
    run_query(VARIANT, sql, row_cap=1000)
