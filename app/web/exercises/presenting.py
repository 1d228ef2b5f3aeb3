"""Exercise tasks as forms and as review lines: stored answers back into form values,
answers and expected values as words, hints as far as the cadre opened them."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from app.domain.exercise_tasks.base import sorted_ids

SHOWN_IDS = 40  # record ids listed in a review line before "… and N more"


def task_values(item: dict, response) -> dict:
    """Form values that show a stored task answer again (a twin's in the field "twin")."""
    if response is None or item.get("family") != "task":
        return {}
    if item.get("twin") and isinstance(response, dict) and "twin" in response:
        twin = {**item["twin"], "family": "task"}
        return {"twin": task_values(twin, response["twin"]).get("value", [])}
    if item["type"] == "rows":  # attempts stored before ids sorted by value read right too
        return {"value": ["\n".join(sorted_ids(response))]}
    if item["type"] == "columns":
        return {"value": list(response)}
    if item["type"] == "numeric":
        return {"value": [f"{response:g}"]}
    return {"value": [str(response)]}


@dataclass(frozen=True)
class HintView:
    """One hint of a task as the page may show it: its text only once opened."""

    number: int
    cost_percent: int
    html: str | None
    #: The next hint to open (hints open in order).
    can_open: bool


def hint_views(item: dict, opened=()) -> list[HintView]:
    """The task's hints for the attempt page; never the text of one not opened (the
    snapshot holds it, the page must not)."""
    opened = set(opened)
    views = []
    for number, hint in enumerate(item.get("hints") or [], start=1):
        is_open = number in opened
        views.append(HintView(number, hint["cost_percent"], hint["html"] if is_open else None,
                              not is_open and all(n in opened for n in range(1, number))))
    return views


def full_points(item: dict, used=None) -> Decimal:
    """The most an answer can show for this item, in cents: a task's points less the cost
    of the hints opened (``used``: a HintsUsed), as the appeal rule counts them."""
    points = Decimal(str(item["points"]))
    if used is None:
        return points
    return used.attainable(points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def describe_task(item: dict, value) -> str:
    """A task answer (or expected value) as words; SQL is shown by the template as code."""
    if value is None or value == [] or value == "":
        return _("(no answer)")
    kind = item["type"]
    if kind == "numeric":
        number = round(float(value), 4)
        return f"{number:g}{item['spec'].get('unit') or ''}"
    if kind == "rows":
        value = sorted_ids(value)
        shown = "、".join(value[:SHOWN_IDS])
        more = len(value) - SHOWN_IDS
        return shown + (_(" … and %(n)s more", n=more) if more > 0 else "")
    if kind == "columns":
        labels = dict(item["display"].get("columns") or [])
        return "、".join(f"{labels.get(name, name)}（{name}）" for name in value)
    return str(value)


def expected_value(item: dict):
    """What the review shows as the right answer: the reference SQL for a SQL task."""
    return item["reference_sql"] if item["type"] == "sql" else item["expected"]


def operators() -> list[tuple[str, str]]:
    """The builder's and the table filter's comparisons, in the reader's language."""
    return [("eq", _("equals")), ("ne", _("does not equal")), ("gt", _("greater than")),
            ("ge", _("at least")), ("lt", _("less than")), ("le", _("at most")),
            ("contains", _("contains")), ("starts_with", _("starts with")),
            ("is_empty", _("is empty")), ("not_empty", _("is not empty"))]


def aggregates() -> list[tuple[str, str]]:
    return [("count", _("count")), ("count_distinct", _("count of distinct values")),
            ("sum", _("sum")), ("avg", _("average")), ("min", _("minimum")),
            ("max", _("maximum")), ("share", _("share of the total (%)"))]


def builder_headers(outputs: list[str], labels: dict[str, str]) -> list[str]:
    """The builder's result columns as the reader names them: a grouped column by its label,
    "count" as 记录数, "avg_amount" as 平均值（金额）; any other name as it is."""
    funcs = sorted(aggregates(), key=lambda pair: -len(pair[0]))  # count_distinct first

    def one(name: str) -> str:
        if name in labels:
            return labels[name]
        if name == "count":
            return _("Number of records")
        if name == "share":
            return _("Share of the records (%)")
        for func, text in funcs:
            column = name.removeprefix(f"{func}_")
            if column != name and column in labels:
                return _("%(func)s of %(column)s", func=text, column=labels[column])
        return name

    return [one(name) for name in outputs]


def task_type_label(kind: str) -> str:
    labels = {"numeric": _("a number"), "choice": _("a choice from the data"),
              "sql": _("an SQL query"), "rows": _("pick records"),
              "columns": _("pick columns")}
    return labels.get(kind, kind)


def example_query(table) -> str:
    """The SQL console's placeholder: a query that runs on the cadre's own first table and
    gives no task away (an aggregate could be some task's very answer)."""
    return f"SELECT * FROM {table.name} LIMIT 20"  # noqa: S608 - a hint, never run
