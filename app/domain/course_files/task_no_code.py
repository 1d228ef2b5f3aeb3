"""How an SQL task is answered without typing SQL, in an exercise file (issue 18):

- ``builder_solution:`` the analysis builder's model (app.domain.analysis) that gives the
  reference query's result, proving a cadre can build the answer in the builder and submit
  the builder's result set (graded on both variants like SQL). The import check runs it.
- ``twin:`` a question of another type (numeric, choice or rows, with its own prompt and
  reference query) a cadre may answer instead, for a task the builder cannot do as asked
  (e.g. one that must find a segment by itself on the hidden variant).

``no_sql_reach`` is the rule `courses validate` applies: the points a cadre who never types
SQL can earn must reach the pass mark.
"""

from decimal import Decimal

from app.domain.analysis import AnalysisError, model_from_dict
from app.domain.course_files.assessment_files import dump_yaml
from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.yaml_nodes import Located, YamlSyntaxError, describe, load_located

TWIN_TYPES = ("numeric", "choice", "rows")
TWIN_KEYS = ("type", "prompt", "reference_sql", "options_sql", "table", "key_column",
             "tolerance", "tolerance_percent", "unit", "explanation")
TWIN_REQUIRED = {"numeric": ("reference_sql",), "choice": ("options_sql", "reference_sql"),
                 "rows": ("table", "key_column", "reference_sql")}
MAX_TEXT = 20_000


def read_builder_solution(check: FieldChecker, task_id: str, kind: str | None) -> dict | None:
    if not check.has("builder_solution"):
        return None
    raw = check.get("builder_solution")
    where = f"task {task_id}: builder_solution"
    if kind != "sql":
        check.add(check.line("builder_solution"), f"{where} belongs to SQL tasks only")
        return None
    try:
        model_from_dict(raw)
    except AnalysisError as error:
        check.add(check.line("builder_solution"),
                  f"{where} is not a builder model ({error.code} at {error.field or 'top'}), "
                  f"got {describe(raw)}")
        return None
    return raw


def read_twin(check: FieldChecker, task_id: str, kind: str | None) -> dict | None:
    if not check.has("twin"):
        return None
    raw, line = check.get("twin"), check.line("twin")
    where = f"task {task_id}: twin"
    node = check.located.value_nodes.get("twin")
    if kind != "sql":
        check.add(line, f"{where} belongs to SQL tasks only")
        return None
    if not isinstance(raw, dict) or node is None:
        check.add(line, f"{where} is a mapping (type, prompt, reference_sql, …), got "
                        f"{describe(raw)}")
        return None
    own = FieldChecker(check.file, Located.of(node, check.located.first_line), raw,
                       check.problems)
    twin_type = raw.get("type")
    if twin_type not in TWIN_TYPES:
        own.add(own.line("type"), f"{where} type must be one of {', '.join(TWIN_TYPES)}, got "
                                  f"{describe(twin_type)}")
        return None
    before = len(check.problems)
    own.keys(TWIN_KEYS, ("type", "prompt", *TWIN_REQUIRED[twin_type]), where="twin.")
    for key in ("prompt", "reference_sql", "options_sql", "explanation", "table", "key_column",
                "unit"):
        if key in raw and not (isinstance(raw[key], str) and 0 < len(raw[key]) <= MAX_TEXT):
            own.add(own.line(key), f"{where} {key} must be text, got {describe(raw[key])}")
    for key in ("tolerance", "tolerance_percent"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or value < 0):
            own.add(own.line(key), f"{where} {key} must be a number ≥ 0, got {describe(value)}")
    return None if len(check.problems) > before else dict(raw)


def twin_spec(twin: dict) -> dict:
    """The twin's settings as a task's ``spec`` (tolerance, unit, table, key column)."""
    return {key: twin[key] for key in ("tolerance", "tolerance_percent", "unit", "table",
                                       "key_column") if key in twin}


def no_sql_reach(tasks) -> tuple[Decimal, Decimal]:
    """(points a cadre can earn without typing SQL, all points) of an exercise's tasks."""
    total = sum((task.points for task in tasks), Decimal(0))
    reach = sum((task.points for task in tasks
                 if task.type != "sql" or task.builder_solution is not None
                 or task.twin is not None), Decimal(0))
    return reach, total


def no_sql_problem(tasks, pass_mark: int) -> str | None:
    """Why the exercise cannot be passed without SQL, or None when it can."""
    reach, total = no_sql_reach(tasks)
    if total and reach * 100 < total * pass_mark:
        return (f"the exercise cannot be passed without typing SQL: {reach} of {total} points "
                f"can be earned without it and the pass mark is {pass_mark} %; give its SQL "
                "tasks a builder_solution or a twin")
    return None


def read_no_code_text(text: str, task_id: str, file: str = "no_code"
                      ) -> tuple[dict | None, dict | None, list]:
    """(builder_solution, twin, problems) from the authoring page's text: YAML with the keys
    builder_solution and/or twin, checked by the same rules as an exercise file."""
    if not text.strip():
        return None, None, []
    try:
        data, node = load_located(text, file)
    except YamlSyntaxError as error:
        return None, None, [error.problem]
    check = FieldChecker(file, Located.of(node), data if isinstance(data, dict) else {})
    if not isinstance(data, dict):
        check.add(1, f"write builder_solution: and/or twin:, got {describe(data)}")
        return None, None, check.problems
    check.keys(("builder_solution", "twin"), ())
    solution = read_builder_solution(check, task_id, "sql")
    twin = read_twin(check, task_id, "sql")
    return solution, twin, check.problems


def no_code_text(task: dict) -> str:
    """The authoring page's text of a stored task's no-code answers ("" when none)."""
    given = {key: task[key] for key in ("builder_solution", "twin") if task.get(key)}
    return dump_yaml(given).decode("utf-8") if given else ""
