"""A task's `hints:` in an exercise file: up to three {text, cost_percent} mappings.

Each problem names the file, the line, the task and the hint:
``courses/GV210/exercises/grid-overdue.yaml:40: task T2, hint 2: cost_percent must be a
whole number from 0 to 100, got the number 120``.
"""

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.spec import Problem
from app.domain.course_files.yaml_nodes import Located, describe
from app.domain.exercise_tasks.hints import (
    DEFAULT_HINT_COST,
    MAX_HINT_TEXT,
    MAX_HINTS,
    Hint,
    HintProblem,
    hint_problems,
)

HINT_KEYS = ("text", "cost_percent")


def read_hints(check: FieldChecker, task_id: object) -> list[Hint]:
    """The task's hints ([] when it has none); problems go to the task's checker."""
    if not check.has("hints"):
        return []
    items, node = check.get("hints"), check.located.value_nodes.get("hints")
    where = f"task {task_id if isinstance(task_id, str) else '?'}"
    if not isinstance(items, list) or not isinstance(node, yaml.SequenceNode):
        check.add(check.line("hints"), f"{where}: hints must list up to {MAX_HINTS} hints "
                                       "such as '- text: 先按 id 去重', got "
                                       f"{describe(items)}")
        return []
    pairs, lines = [], []
    for number, (item, item_node) in enumerate(zip(items, node.value, strict=True), start=1):
        line = check.located.first_line + item_node.start_mark.line
        lines.append(line)
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            check.add(line, f"{where}, hint {number}: a hint is a mapping such as "
                            f"{{text: 先按 id 去重, cost_percent: 10}}, got {describe(item)}")
            pairs.append(None)
            continue
        pairs.append(_pair(check, Located.of(item_node, check.located.first_line), item,
                           f"{where}, hint {number}"))
    before = len(check.problems)
    for problem in hint_problems(pairs):
        line = lines[problem.number - 1] if problem.number else check.line("hints")
        check.add(line, f"{where}{_hint_label(problem)}: {hint_message(problem)}")
    if len(check.problems) > before or None in pairs:
        return []
    return [Hint(text.strip(), DEFAULT_HINT_COST if cost is None else cost)
            for text, cost in pairs]


def _pair(check: FieldChecker, located: Located, item: dict, where: str) -> tuple | None:
    """(text, cost) of one hint; None after a problem with its keys."""
    own = FieldChecker(check.file, located, item)
    own.keys(HINT_KEYS, ("text",), where="hint.")
    for problem in own.problems:
        check.problems.append(Problem(problem.file, problem.line, f"{where}: {problem.message}"))
    if own.problems:
        return None
    return item["text"], item.get("cost_percent")


def _hint_label(problem: HintProblem) -> str:
    return f", hint {problem.number}" if problem.number else ""


def hint_message(problem: HintProblem) -> str:
    """The command line's English for a hint problem."""
    params = dict(problem.params)
    messages = {
        "too_many": lambda: f"a task has at most {params['max']} hints, got {params['count']}",
        "text_type": lambda: "text must be text (put it in quotes)",
        "text_empty": lambda: "text must not be empty",
        "text_too_long": lambda: f"text is {params['length']} characters long; at most "
                                 f"{MAX_HINT_TEXT}",
        "cost_range": lambda: "cost_percent must be a whole number from 0 to 100, got "
                              f"{describe(params.get('value'))}",
        "total_cost": lambda: f"the hints' cost_percent add up to {params['total']}; at most "
                              f"{params['max']}",
    }
    return messages[problem.code]()
