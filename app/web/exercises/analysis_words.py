"""The analysis builder in the reader's language: the choices of its menus and each step
of a model as a sentence ("按 街道 分组，统计 事件数")."""

from flask_babel import gettext as _

from app.domain.analysis.form import used_rows


def derive_funcs() -> list[tuple[str, str]]:
    return [("year", _("year of")), ("month", _("month of")),
            ("year_month", _("year and month of")), ("date", _("date of")),
            ("weekday", _("weekday of (1 = Monday)")), ("hour", _("hour of")),
            ("days_between", _("days from … to …")), ("hours_between", _("hours from … to …")),
            ("upper", _("upper case")), ("lower", _("lower case")), ("trim", _("trim spaces")),
            ("replace", _("replace text")), ("substr", _("part of the text")),
            ("length", _("length of the text")), ("round", _("round")),
            ("ratio", _("ratio of two columns")), ("bucket", _("bands (if … then …)"))]


def row_ops() -> list[tuple[str, str]]:
    return [("eq", _("equals")), ("ne", _("does not equal")), ("gt", _("greater than")),
            ("ge", _("at least")), ("lt", _("less than")), ("le", _("at most")),
            ("in", _("is one of")), ("between", _("between")), ("contains", _("contains")),
            ("starts_with", _("starts with")), ("is_empty", _("is empty")),
            ("not_empty", _("is not empty"))]


def group_ops() -> list[tuple[str, str]]:
    return [pair for pair in row_ops() if pair[0] in ("eq", "ne", "gt", "ge", "lt", "le",
                                                      "between")]


def measure_funcs() -> list[tuple[str, str]]:
    return [("count", _("count")), ("count_distinct", _("count of distinct values")),
            ("sum", _("sum")), ("avg", _("average")), ("min", _("minimum")),
            ("max", _("maximum")), ("share", _("share of the total (%)"))]


def calc_ops() -> list[tuple[str, str]]:
    return [("ratio", _("ratio (left ÷ right)")), ("percent", _("percentage (left ÷ right × 100)")),
            ("difference", _("difference (left − right)"))]


def builder_rows(form) -> dict[str, list[int]]:
    """The numbered rows to draw per section: the filled ones posted, then one blank."""
    plain = {key: form.getlist(key) if hasattr(form, "getlist") else form[key] for key in form}
    rows = {}
    for kind in ("derive", "filter", "group", "measure", "calc", "having", "sort"):
        used = used_rows(plain, kind)
        rows[kind] = [*used, (max(used) + 1) if used else 0]
    return rows


def _words(pairs: list[tuple[str, str]], key: str) -> str:
    return dict(pairs).get(key, key)


def _condition(params: dict) -> str:
    op = _words(row_ops(), params["op"])
    if params["op"] in ("is_empty", "not_empty"):
        return f"{params['column']} {op}"
    if params["op"] == "between":
        return _("%(column)s between %(low)s and %(high)s", column=params["column"],
                 low=params["value"], high=params["value2"])
    right = params["other"] if params["other"] else params["value"]
    return f"{params['column']} {op} {right}"


def _derive(params: dict) -> str:
    func, column, other = params["func"], params["column"], params["other"]
    if func in ("days_between", "hours_between"):
        text = (_("the days from %(a)s to %(b)s", a=column, b=other) if func == "days_between"
                else _("the hours from %(a)s to %(b)s", a=column, b=other))
    elif func == "ratio":
        text = _("%(a)s ÷ %(b)s", a=column, b=other)
    elif func == "replace":
        text = _("%(a)s with “%(old)s” replaced by “%(new)s”", a=column, old=params["args"][0],
                 new=params["args"][1])
    elif func == "bucket":
        text = _("bands of %(a)s", a=column)
    else:
        text = f"{_words(derive_funcs(), func)} {column}"
    return _("New column %(name)s = %(what)s", name=params["name"], what=text)


def step_sentence(step) -> str:
    """One step of the analysis as a sentence."""
    p = step.params
    sentences = {
        "table": lambda: _("Start from table %(table)s", table=p.get("table")),
        "join": lambda: _("Join table %(table)s: %(left)s = %(right)s", **p),
        "derive": lambda: _derive(p),
        "distinct": lambda: _("Remove duplicates: one row per %(columns)s",
                              columns="、".join(p["columns"])),
        "filter": lambda: _("Filter: %(condition)s", condition=_condition(p)),
        "columns": lambda: _("Show the columns %(columns)s", columns="、".join(p["columns"])),
        "group": lambda: (_("Group by %(groups)s, figure %(measures)s",
                            groups="、".join(p["groups"]), measures="、".join(p["measures"]))
                          if p["groups"] else
                          _("Over all rows, figure %(measures)s",
                            measures="、".join(p["measures"]))),
        "calc": lambda: _("Calculate %(name)s = %(left)s %(op)s %(right)s", name=p["name"],
                          left=p["left"], right=p["right"],
                          op={"ratio": "÷", "percent": "÷ … × 100", "difference": "−"}
                          .get(p["op"], p["op"])),
        "having": lambda: _("Keep the groups where %(condition)s", condition=_condition(p)),
        "pivot": lambda: _("Cross table: rows %(rows)s, columns %(columns)s, cells %(func)s",
                           rows=p["rows"], columns=p["columns"],
                           func=f"{_words(measure_funcs(), p['func'])} {p['column']}".strip()),
        "sort": lambda: (_("Sort by %(column)s, largest first", column=p["column"])
                         if p["descending"] else
                         _("Sort by %(column)s, smallest first", column=p["column"])),
        "limit": lambda: _("Show at most %(n)s rows", n=p["limit"]),
    }
    return sentences[step.kind]()


def column_labels(data, model) -> dict[str, str]:
    """Column names as the page labels them: the main table's, then the joined table's
    (a name both have is the joined one's with its table's name in front)."""
    main = data.table(model.table)
    labels = {name: label for name, _kind, label in main.columns} if main else {}
    joined = data.table(model.join.table) if model.join is not None else None
    if joined is not None and main is not None:
        for name, _kind, label in joined.columns:
            if name in labels and name != model.join.right:
                labels[f"{joined.name}_{name}"] = f"{joined.label}·{label}"
            labels.setdefault(name, label)
    return labels
