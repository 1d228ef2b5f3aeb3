"""The builder page's form as a model, and a model as the form that shows it again.

Rows are numbered (``filter-0-column``, ``filter-3-column``…): the page adds and removes
rows, so numbers may have gaps, and a row left blank is ignored. The compiler names the
n-th filter ``filter-n``; ``form_field`` turns that back into the row the cadre sees.
"""

import re

from app.domain.analysis.columns import DERIVED_FUNCS
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import (
    DEFAULT_LIMIT,
    MAX_ARGS,
    MAX_LIMIT,
    MAX_MEASURE_CONDITIONS,
    AnalysisModel,
    Calculation,
    Condition,
    Derived,
    Join,
    Measure,
    Pivot,
    SortKey,
)

Form = dict[str, list[str]]
BUCKET_RULES = 5
ELSE_ARG = 3 * BUCKET_RULES  # the bucket's "everything else" label: arg-15
SECTIONS = ("derive", "filter", "group", "measure", "calc", "having", "sort")
_ROW_KEY = re.compile(r"([a-z]+)-(\d{1,3})(?:-.*)?")
_FIELD = re.compile(r"([a-z]+)-(\d{1,3})(-.*)?")


def _one(form: Form, key: str) -> str:
    values = form.get(key) or [""]
    return values if isinstance(values, str) else values[0]


def _many(form: Form, key: str) -> list[str]:
    values = form.get(key) or []
    return [values] if isinstance(values, str) else [v.strip() for v in values if v.strip()]


def _all_rows(form: Form, kind: str) -> list[int]:
    return sorted({int(m[2]) for key in form if (m := _ROW_KEY.fullmatch(key)) and m[1] == kind})


def _filled(form: Form, kind: str, i: int) -> bool:
    """A row counts when any of its own fields (not the defaults of selects) is filled."""
    parts = {"derive": ("name", "column"), "filter": ("column",), "group": ("",),
             "measure": ("func", "column", "name"), "calc": ("name", "left", "right"),
             "having": ("column",), "sort": ("column",)}[kind]
    return any(_one(form, f"{kind}-{i}" + (f"-{p}" if p else "")).strip() for p in parts)


def used_rows(form: Form, kind: str) -> list[int]:
    """The numbers of the section's filled rows, in order."""
    return [i for i in _all_rows(form, kind) if _filled(form, kind, i)]


def form_field(form: Form, field: str) -> str:
    """The form's name for a field the compiler names by position (filter-1 → filter-3)."""
    match = _FIELD.fullmatch(field)
    if not match or match[1] not in SECTIONS:
        return field
    rows = used_rows(form, match[1])
    n = int(match[2])
    if n >= len(rows):
        return field
    return f"{match[1]}-{rows[n]}{match[3] or ''}"


def _condition(form: Form, prefix: str) -> Condition | None:
    column = _one(form, f"{prefix}-column").strip()
    if not column:
        return None
    return Condition(column, _one(form, f"{prefix}-op").strip(), _one(form, f"{prefix}-value"),
                     _one(form, f"{prefix}-value2"),
                     _one(form, f"{prefix}-other").strip() or None)


def _args(form: Form, prefix: str, func: str) -> tuple[str, ...]:
    if func == "bucket":
        rules = []
        for n in range(BUCKET_RULES):
            rule = [_one(form, f"{prefix}-arg-{3 * n + k}") for k in range(3)]
            if any(part.strip() for part in rule):
                rules += rule
        return (*rules, _one(form, f"{prefix}-arg-{ELSE_ARG}"))
    count = DERIVED_FUNCS.get(func, ("", False, 0))[2] or 0
    return tuple(_one(form, f"{prefix}-arg-{k}") for k in range(min(count, MAX_ARGS)))


def _derived(form: Form, i: int) -> Derived:
    prefix = f"derive-{i}"
    func = _one(form, f"{prefix}-func").strip()
    return Derived(_one(form, f"{prefix}-name").strip(), func,
                   _one(form, f"{prefix}-column").strip(),
                   _one(form, f"{prefix}-other").strip() or None, _args(form, prefix, func))


def _measure(form: Form, i: int) -> Measure:
    prefix = f"measure-{i}"
    where = (_condition(form, f"{prefix}-where-{k}") for k in range(MAX_MEASURE_CONDITIONS))
    return Measure(_one(form, f"{prefix}-func").strip(),
                   _one(form, f"{prefix}-column").strip() or None,
                   _one(form, f"{prefix}-name").strip() or None,
                   tuple(rule for rule in where if rule is not None),
                   not _one(form, f"{prefix}-hidden").strip())


def _whole(text: str, code: str, field: str, low: int, high: int, default: int) -> int:
    text = text.strip()
    if not text:
        return default
    if not re.fullmatch(r"\d{1,7}", text) or not low <= int(text) <= high:
        raise AnalysisError(code, field=field, min=low, max=high)
    return int(text)


def _calculation(form: Form, i: int) -> Calculation:
    prefix = f"calc-{i}"
    return Calculation(_one(form, f"{prefix}-name").strip(), _one(form, f"{prefix}-op").strip(),
                       _one(form, f"{prefix}-left").strip(), _one(form, f"{prefix}-right").strip(),
                       _whole(_one(form, f"{prefix}-digits"), "bad_integer", f"{prefix}-digits",
                              0, 6, 2))


def _sort(form: Form, i: int) -> SortKey:
    order = _one(form, f"sort-{i}-order").strip().lower()
    if order not in ("", "desc", "asc"):
        raise AnalysisError("bad_order", field=f"sort-{i}-order", order=order)
    return SortKey(_one(form, f"sort-{i}-column").strip(), order != "asc")


def _join(form: Form) -> Join | None:
    table = _one(form, "join-table").strip()
    if not table:
        return None
    return Join(table, _one(form, "join-left").strip(), _one(form, "join-right").strip(),
                bool(_one(form, "join-keep").strip()))


def _pivot(form: Form) -> Pivot | None:
    rows, columns = _one(form, "pivot-rows").strip(), _one(form, "pivot-columns").strip()
    if not rows and not columns:
        return None
    measure = Measure(_one(form, "pivot-func").strip() or "count",
                      _one(form, "pivot-column").strip() or None)
    return Pivot(rows, columns, measure)


def parse_analysis_form(form: Form) -> AnalysisModel:
    """The model of a posted builder form; what the values mean compile_model checks."""
    rows = {kind: used_rows(form, kind) for kind in SECTIONS}
    return AnalysisModel(
        table=_one(form, "table").strip(),
        join=_join(form),
        derived=tuple(_derived(form, i) for i in rows["derive"]),
        filters=tuple(_condition(form, f"filter-{i}") for i in rows["filter"]),
        distinct=tuple(_many(form, "distinct")),
        columns=tuple(_many(form, "columns")),
        group_by=tuple(_one(form, f"group-{i}").strip() for i in rows["group"]),
        measures=tuple(_measure(form, i) for i in rows["measure"]),
        calculations=tuple(_calculation(form, i) for i in rows["calc"]),
        having=tuple(_condition(form, f"having-{i}") for i in rows["having"]),
        pivot=_pivot(form),
        sort=tuple(_sort(form, i) for i in rows["sort"]),
        limit=_whole(_one(form, "limit"), "bad_limit", "limit", 1, MAX_LIMIT, DEFAULT_LIMIT))


# --- the other way: the form values that show a model ---------------------------------------

def _put_condition(form: Form, prefix: str, rule: Condition) -> None:
    form.update({f"{prefix}-column": [rule.column], f"{prefix}-op": [rule.op],
                 f"{prefix}-value": [rule.value], f"{prefix}-value2": [rule.value2],
                 f"{prefix}-other": [rule.other or ""]})


def _put_derived(form: Form, i: int, spec: Derived) -> None:
    prefix = f"derive-{i}"
    form.update({f"{prefix}-name": [spec.name], f"{prefix}-func": [spec.func],
                 f"{prefix}-column": [spec.column], f"{prefix}-other": [spec.other or ""]})
    args = list(spec.args)
    if spec.func == "bucket" and args:
        args = args[:-1] + [""] * (ELSE_ARG - len(args) + 1) + args[-1:]
    for k, value in enumerate(args):
        form[f"{prefix}-arg-{k}"] = [value]


def _put_measure(form: Form, prefix: str, measure: Measure) -> None:
    form.update({f"{prefix}-func": [measure.func], f"{prefix}-column": [measure.column or ""]})
    if prefix == "pivot":
        return
    form[f"{prefix}-name"] = [measure.name or ""]
    if not measure.shown:
        form[f"{prefix}-hidden"] = ["1"]
    for k, rule in enumerate(measure.where):
        _put_condition(form, f"{prefix}-where-{k}", rule)


def model_to_form(model: AnalysisModel) -> Form:
    """The form values the page renders for a model (rows numbered from 0)."""
    form: Form = {"table": [model.table], "limit": [str(model.limit)],
                  "distinct": list(model.distinct), "columns": list(model.columns)}
    if model.join is not None:
        form.update({"join-table": [model.join.table], "join-left": [model.join.left],
                     "join-right": [model.join.right]})
        if model.join.keep_unmatched:
            form["join-keep"] = ["1"]
    for i, spec in enumerate(model.derived):
        _put_derived(form, i, spec)
    for i, rule in enumerate(model.filters):
        _put_condition(form, f"filter-{i}", rule)
    for i, name in enumerate(model.group_by):
        form[f"group-{i}"] = [name]
    for i, measure in enumerate(model.measures):
        _put_measure(form, f"measure-{i}", measure)
    for i, calc in enumerate(model.calculations):
        form.update({f"calc-{i}-{part}": [str(getattr(calc, part))]
                     for part in ("name", "op", "left", "right", "digits")})
    _put_summary_tail(form, model)
    return form


def _put_summary_tail(form: Form, model: AnalysisModel) -> None:
    for i, rule in enumerate(model.having):
        _put_condition(form, f"having-{i}", rule)
    if model.pivot is not None:
        form.update({"pivot-rows": [model.pivot.rows], "pivot-columns": [model.pivot.columns]})
        _put_measure(form, "pivot", model.pivot.measure)
    for i, key in enumerate(model.sort):
        form.update({f"sort-{i}-column": [key.column],
                     f"sort-{i}-order": ["desc" if key.descending else "asc"]})
