"""Exercise tasks as forms and as review lines: stored answers back into form values,
answers and expected values as words."""

from flask_babel import gettext as _

from app.domain.exercise_tasks.base import sorted_ids

SHOWN_IDS = 40  # record ids listed in a review line before "… and N more"


def task_values(item: dict, response) -> dict:
    """Form values that show a stored task answer again."""
    if response is None or item.get("family") != "task":
        return {}
    if item["type"] == "rows":  # attempts stored before ids sorted by value read right too
        return {"value": ["\n".join(sorted_ids(response))]}
    if item["type"] == "columns":
        return {"value": list(response)}
    if item["type"] == "numeric":
        return {"value": [f"{response:g}"]}
    return {"value": [str(response)]}


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
