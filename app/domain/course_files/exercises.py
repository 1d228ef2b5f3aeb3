"""Exercise files, exercises/<slug>.yaml: quiz settings, a scenario with parameters (or a
fixed CSV dataset), a Markdown brief and 1–20 tasks, each problem on its line.

Whether each task's reference SQL runs and gives the shape its type needs is checked
by the import service on a sample variant (that needs the SQL sandbox).
"""

from collections.abc import Mapping
from decimal import Decimal

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.datasets import parse_csv_table
from app.domain.course_files.quizzes import quiz_settings
from app.domain.course_files.spec import (
    DATASETS_DIR,
    TASK_ID,
    DatasetTable,
    ExerciseSpec,
    Problem,
    TaskSpec,
)
from app.domain.course_files.task_hints import read_hints
from app.domain.course_files.task_no_code import (
    no_sql_problem,
    read_builder_solution,
    read_twin,
)
from app.domain.course_files.yaml_nodes import Located, YamlSyntaxError, describe, load_located
from app.domain.exercise_tasks import TASK_TYPES, validate_task_spec
from app.domain.scenarios import SCENARIOS, is_safe_identifier, resolve_params
from app.domain.vocabulary import CompetencyArea

KEYS = ("title", "graded", "pass_mark", "time_limit_minutes", "max_attempts", "grading_method",
        "review", "review_after", "scenario", "params", "dataset", "brief", "tasks")
TASK_COMMON = ("id", "type", "area", "points", "prompt")
#: The keys each task type takes besides the common ones (and explanation), in file order.
TASK_TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "numeric": ("reference_sql", "tolerance", "tolerance_percent", "unit"),
    "choice": ("options_sql", "reference_sql"),
    "sql": ("reference_sql", "ordered", "tolerance"),
    "rows": ("table", "key_column", "reference_sql"),
    "columns": ("table", "answer"),
}
#: Keys of a task's `spec` (the rest are stored as task fields).
SPEC_KEYS = ("tolerance", "tolerance_percent", "unit", "ordered", "table", "key_column",
             "answer")
REQUIRED_TYPE_KEYS = {"numeric": ("reference_sql",), "choice": ("options_sql", "reference_sql"),
                      "sql": ("reference_sql",), "rows": ("table", "key_column", "reference_sql"),
                      "columns": ("table", "answer")}
DATASET_KEYS = ("table", "label", "file")
MAX_BRIEF = 20_000
MAX_PROMPT = 5_000
MAX_EXPLANATION = 10_000
MAX_SQL = 20_000
MAX_TASKS = 20
MAX_TABLES = 8
_LABEL = 40
_MAX_POINTS = Decimal(100)


def parse_exercise_file(text: str, file: str, *, course_code: str, slug: str,
                        data_files: Mapping[str, bytes]) -> tuple[ExerciseSpec | None,
                                                                  list[Problem]]:
    """One exercise; `data_files` maps exercises/data/<name> to the CSV bytes."""
    try:
        data, node = load_located(text, file)
    except YamlSyntaxError as error:
        return None, [error.problem]
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        line = 1 if node is None else node.start_mark.line + 1
        return None, [Problem(file, line, "an exercise file is a mapping of keys "
                                          "(title: ..., scenario: ..., brief: ..., tasks: ...)")]
    check = FieldChecker(file, Located.of(node), data)
    check.keys(KEYS, ("title", "brief", "tasks"))
    settings = quiz_settings(check)
    brief = check.text("brief", MAX_BRIEF, allow_empty=False)
    scenario, params = _scenario(check)
    dataset = _dataset(check, file, data_files)
    if scenario is None and not dataset and not check.problems:
        check.add(check.located.start_line, "an exercise needs a scenario (scenario: "
                                            "grid_incidents…) or a fixed dataset (dataset: …)")
    tasks = _tasks(check)
    if not check.problems and settings.get("graded", True):
        reach = no_sql_problem(tasks, settings.get("pass_mark", 60))
        if reach is not None:
            check.add(check.line("tasks"), reach)
    if check.problems:
        return None, sorted(check.problems, key=lambda problem: problem.line or 0)
    return ExerciseSpec(course_code=course_code, slug=slug, brief=brief, tasks=tasks,
                        scenario=scenario, params=params, dataset=dataset, source_file=file,
                        **settings), []


def _scenario(check: FieldChecker) -> tuple[str | None, dict]:
    if not check.has("scenario"):
        if check.has("params"):
            check.add(check.line("params"), "params belong to a scenario; give scenario too")
        return None, {}
    key = check.get("scenario")
    if check.has("dataset"):
        check.add(check.line("dataset"), "give either scenario or dataset, not both")
    if not isinstance(key, str) or key not in SCENARIOS:
        check.add(check.line("scenario"), f"unknown scenario {describe(key)}; known: "
                                          f"{', '.join(SCENARIOS)}")
        return None, {}
    params = check.get("params") if check.has("params") else {}
    if not isinstance(params, dict):
        check.add(check.line("params"), "params must be a mapping such as {rows: 3000}, "
                                        f"got {describe(params)}")
        return None, {}
    try:
        resolve_params(SCENARIOS[key].parameters, params)
    except ValueError as error:
        check.add(check.line("params"), f"{error} (scenario {key})")
        return None, {}
    return key, dict(params)


def _dataset(check: FieldChecker, file: str, data_files: Mapping[str, bytes]
             ) -> list[DatasetTable]:
    if not check.has("dataset"):
        return []
    items = check.get("dataset")
    node = check.located.value_nodes.get("dataset")
    if not isinstance(items, list) or not items or len(items) > MAX_TABLES \
            or not isinstance(node, yaml.SequenceNode):
        check.add(check.line("dataset"), f"dataset must list 1 to {MAX_TABLES} tables such as "
                                         "{table: incidents, label: 网格事件, file: "
                                         f"incidents.csv}}, got {describe(items)}")
        return []
    folder = file.rsplit("/", 2)[0]
    tables: list[DatasetTable] = []
    for item, item_node in zip(items, node.value, strict=True):
        line = check.located.first_line + item_node.start_mark.line
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            check.add(line, f"a dataset table is a mapping such as {{table: incidents, file: "
                            f"incidents.csv}}, got {describe(item)}")
            continue
        table_check = FieldChecker(file, Located.of(item_node, check.located.first_line), item,
                                   check.problems)
        table = _dataset_table(table_check, folder, data_files, {t.name for t in tables})
        if table is not None:
            tables.append(table)
    return tables


def _dataset_table(check: FieldChecker, folder: str, data_files: Mapping[str, bytes],
                   taken: set[str]) -> DatasetTable | None:
    before = len(check.problems)
    check.keys(DATASET_KEYS, ("table", "file"), where="dataset.")
    name = check.get("table")
    if check.has("table") and (not isinstance(name, str) or not is_safe_identifier(name)):
        check.add(check.line("table"), f"table must be a name of a-z, 0-9 and _ that is not "
                                       f"an SQL keyword, got {describe(name)}")
    elif name in taken:
        check.add(check.line("table"), f"table {name} is given twice")
    label = check.text("label", _LABEL, allow_empty=False) if check.has("label") else None
    csv_name = check.text("file", 100, allow_empty=False)
    if len(check.problems) > before or not csv_name:
        return None
    path = f"{DATASETS_DIR}/{csv_name}"
    if path not in data_files:
        check.add(check.line("file"), f"{path} is not in the course folder")
        return None
    table, problems = parse_csv_table(name, label or name, data_files[path],
                                      f"{folder}/{path}")
    check.problems.extend(problems)
    return table


def _tasks(check: FieldChecker) -> list[TaskSpec]:
    if not check.has("tasks"):
        return []
    items = check.get("tasks")
    node = check.located.value_nodes.get("tasks")
    if not isinstance(items, list) or not items or len(items) > MAX_TASKS \
            or not isinstance(node, yaml.SequenceNode):
        check.add(check.line("tasks"), f"tasks must list 1 to {MAX_TASKS} tasks, each "
                                       f"starting with '- id: T1', got {describe(items)}")
        return []
    tasks: list[TaskSpec] = []
    lines: dict[str, int] = {}
    for item, item_node in zip(items, node.value, strict=True):
        line = check.located.first_line + item_node.start_mark.line
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            check.add(line, f"a task is a mapping of keys (- id: T1, type: numeric, ...), got "
                            f"{describe(item)}")
            continue
        task_check = FieldChecker(check.file, Located.of(item_node, check.located.first_line),
                                  item, check.problems)
        task = _task(task_check, line)
        if task is not None and task.id in lines:
            task_check.add(task_check.line("id"), f"task id {task.id} is already used on line "
                                                  f"{lines[task.id]}")
        elif task is not None:
            lines[task.id] = line
            tasks.append(task)
    return tasks


def _task(check: FieldChecker, line: int) -> TaskSpec | None:
    before = len(check.problems)
    kind = check.get("type")
    if check.has("type") and kind not in TASK_TYPES:
        check.add(check.line("type"), f"unknown task type {describe(kind)}; allowed: "
                                      f"{', '.join(TASK_TYPES)}")
        kind = None
    own = TASK_TYPE_KEYS.get(kind, tuple(k for keys in TASK_TYPE_KEYS.values() for k in keys))
    no_code = ("builder_solution", "twin") if kind in ("sql", None) else ()
    check.keys((*TASK_COMMON, *dict.fromkeys(own), "explanation", "hints", *no_code),
               (*TASK_COMMON, *REQUIRED_TYPE_KEYS.get(kind, ())), where="task.")
    task_id = check.get("id")
    if check.has("id") and (not isinstance(task_id, str) or not TASK_ID.match(task_id)):
        check.add(check.line("id"), f"a task id is a capital letter and up to 5 capitals or "
                                    f"digits, such as T1, got {describe(task_id)}")
    fields = {
        "area": check.choice("area", CompetencyArea),
        "points": check.half_steps("points", _MAX_POINTS),
        "prompt": check.text("prompt", MAX_PROMPT, allow_empty=False),
        "explanation": check.text("explanation", MAX_EXPLANATION, allow_empty=True) or "",
        "reference_sql": _sql(check, "reference_sql"),
        "options_sql": _sql(check, "options_sql"),
        "hints": read_hints(check, task_id),
        "builder_solution": read_builder_solution(check, task_id, kind),
        "twin": read_twin(check, task_id, kind),
    }
    spec = {key: check.get(key) for key in SPEC_KEYS if check.has(key)}
    if kind is not None:
        for message in validate_task_spec(kind, spec) + _spec_problems(kind, spec):
            check.add(line, message)
    if len(check.problems) > before:
        return None
    return TaskSpec(id=task_id, type=kind, spec=spec, line=line, **fields)


def _sql(check: FieldChecker, key: str) -> str | None:
    return check.text(key, MAX_SQL, allow_empty=False) if check.has(key) else None


def _spec_problems(kind: str, spec: dict) -> list[str]:
    """What the task registry's validate leaves to the file: names and flags."""
    problems = []
    for key in ("table", "key_column"):
        if key in spec and not (isinstance(spec[key], str) and is_safe_identifier(spec[key])):
            problems.append(f"{key} must be a table or column name, got {describe(spec[key])}")
    if "tolerance" in spec and "tolerance_percent" in spec:
        problems.append("give either tolerance or tolerance_percent, not both")
    if "ordered" in spec and not isinstance(spec["ordered"], bool):
        problems.append(f"ordered must be true or false, got {describe(spec['ordered'])}")
    if "unit" in spec and not isinstance(spec["unit"], str):
        problems.append(f"unit must be text such as 小时, got {describe(spec['unit'])}")
    if kind == "columns":
        answer = spec.get("answer")
        if not isinstance(answer, list) or not answer or not all(
                isinstance(name, str) and is_safe_identifier(name) for name in answer):
            problems.append("answer must list the column names to choose, such as "
                            f"[name, id_number], got {describe(answer)}")
        elif len(set(answer)) != len(answer):
            problems.append("answer names a column twice")
    return problems
