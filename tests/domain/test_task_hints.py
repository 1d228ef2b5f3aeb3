"""Graded hints of exercise tasks: the course file's `hints:` (each rule, with its file,
line, task and hint), the round trip, and what opened hints cost."""

from decimal import Decimal

import pytest

from app.domain.course_files import serialize_course
from app.domain.course_files.exercise_files import exercise_hash
from app.domain.exercise_tasks.hints import (
    Hint,
    HintProblem,
    after_hints,
    hint_problems,
    opened_cost_percent,
)
from tests.domain.test_course_files import folder
from tests.domain.test_exercise_files import EXERCISE, FILE, parse, problems

EXPLANATION = "    explanation: 用 count(*)。\n"  # the end of task T1 (lines 9-16)


def with_hints(block: str) -> str:
    """EXERCISE with `block` (indented as a key of task T1) before T1's explanation; the
    `hints:` key lands on line 16."""
    assert EXPLANATION in EXERCISE
    return EXERCISE.replace(EXPLANATION, block + EXPLANATION)


HINTS = """\
    hints:
      - text: 先想一想：哪个函数按行计数？
        cost_percent: 20
      - text: |
          `count(*)` 数的是行数，不看字段是否为空。
"""


def test_hints_are_read_in_order_with_the_default_cost():
    [exercise] = parse(folder(exercises__grid_dot_yaml=with_hints(HINTS))).exercises
    assert exercise.tasks[0].hints == [Hint("先想一想：哪个函数按行计数？", 20),
                                       Hint("`count(*)` 数的是行数，不看字段是否为空。", 10)]
    assert exercise.tasks[1].hints == []
    stored = exercise.tasks[0].as_dict()
    assert stored["hints"] == [{"text": "先想一想：哪个函数按行计数？", "cost_percent": 20},
                               {"text": "`count(*)` 数的是行数，不看字段是否为空。",
                                "cost_percent": 10}]
    assert "hints" not in exercise.tasks[1].as_dict()  # the hash of a task without hints stays


def test_hints_round_trip_through_the_file_with_every_cost_written():
    spec = parse(folder(exercises__grid_dot_yaml=with_hints(HINTS)))
    files = serialize_course(spec)
    text = files["exercises/grid.yaml"].decode()
    assert "cost_percent: 10" in text and text.index("hints:") < text.index("explanation:")
    again = parse(files)
    assert again.exercises == spec.exercises
    assert again.exercises[0].tasks[0].hints == spec.exercises[0].tasks[0].hints
    assert exercise_hash(again.exercises[0]) == exercise_hash(spec.exercises[0])


def test_a_hint_changes_the_exercises_content_hash():
    plain = parse(folder(exercises__grid_dot_yaml=EXERCISE)).exercises[0]
    hinted = parse(folder(exercises__grid_dot_yaml=with_hints(HINTS))).exercises[0]
    assert exercise_hash(plain) != exercise_hash(hinted)


def _hint(text="先去重", cost=None, *, indent="      "):
    lines = [f"{indent}- text: {text}"]
    if cost is not None:
        lines.append(f"{indent}  cost_percent: {cost}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("block", "expected"), [
    ("    hints: 先去重\n",
     f"{FILE}:16: task T1: hints must list up to 3 hints such as '- text: 先按 id 去重', got "
     "the text '先去重'"),
    ("    hints:\n" + "".join(_hint(f"第{n}条") for n in range(4)),
     f"{FILE}:16: task T1: a task has at most 3 hints, got 4"),
    ("    hints:\n" + _hint() + _hint('""'),
     f"{FILE}:18: task T1, hint 2: text must not be empty"),
    ("    hints:\n" + _hint("123"),
     f"{FILE}:17: task T1, hint 1: text must be text (put it in quotes)"),
    ("    hints:\n" + _hint("x" * 2001),
     f"{FILE}:17: task T1, hint 1: text is 2001 characters long; at most 2000"),
    ("    hints:\n" + _hint(cost=120),
     f"{FILE}:17: task T1, hint 1: cost_percent must be a whole number from 0 to 100, got "
     "the number 120"),
    ("    hints:\n" + _hint() + _hint(cost=12.5),
     f"{FILE}:18: task T1, hint 2: cost_percent must be a whole number from 0 to 100, got "
     "the number 12.5"),
    ("    hints:\n" + _hint(cost="'10'"),
     f"{FILE}:17: task T1, hint 1: cost_percent must be a whole number from 0 to 100, got "
     "the text '10'"),
    ("    hints:\n" + _hint(cost=60) + _hint(cost=50),
     f"{FILE}:16: task T1: the hints' cost_percent add up to 110; at most 100"),
    ("    hints:\n" + _hint(cost=95) + _hint(),
     f"{FILE}:16: task T1: the hints' cost_percent add up to 105; at most 100"),
    ("    hints:\n      - 先去重\n",
     f"{FILE}:17: task T1, hint 1: a hint is a mapping such as {{text: 先按 id 去重, "
     "cost_percent: 10}, got the text '先去重'"),
    ("    hints:\n      - {text: 先去重, cost: 10}\n",
     f"{FILE}:17: task T1, hint 1: unknown key 'hint.cost' (allowed: text, cost_percent)"),
    ("    hints:\n      - {cost_percent: 10}\n",
     f"{FILE}:17: task T1, hint 1: missing required key 'hint.text'"),
])
def test_each_hint_rule_names_the_file_line_task_and_hint(block, expected):
    assert problems(with_hints(block)) == [expected]


def test_hints_at_the_limits_are_accepted():
    block = "    hints:\n" + _hint("x" * 2000, 0) + _hint(cost=50) + _hint(cost=50)
    [exercise] = parse(folder(exercises__grid_dot_yaml=with_hints(block))).exercises
    assert [hint.cost_percent for hint in exercise.tasks[0].hints] == [0, 50, 50]
    empty = parse(folder(exercises__grid_dot_yaml=with_hints("    hints: []\n"))).exercises
    assert empty[0].tasks[0].hints == []


def test_hint_rules_are_shared_as_codes():
    assert hint_problems([("a", 10), ("b", None)]) == []
    assert hint_problems([("  ", True)]) == [HintProblem(1, "text_empty"),
                                             HintProblem(1, "cost_range", (("value", True),))]
    assert hint_problems([None, ("b", 100)]) == []  # a hint already reported is not checked
    assert [p.code for p in hint_problems([("a", 100), ("b", 1)])] == ["total_cost"]


@pytest.mark.parametrize(("points", "cost", "left"), [
    (Decimal(2), 0, Decimal(2)),
    (Decimal(2), 10, Decimal("1.8")),
    (Decimal(2), 30, Decimal("1.4")),
    (Decimal("1.5"), 15, Decimal("1.275")),  # kept unrounded: the total rounds once
    (Decimal(3), 100, Decimal(0)),
    (Decimal(3), 130, Decimal(0)),  # never below 0
    (Decimal(0), 20, Decimal(0)),
])
def test_opened_hints_take_their_share_of_the_earned_points(points, cost, left):
    assert after_hints(points, cost) == left


def test_the_cost_counts_only_opened_hints_and_stops_at_100():
    hints = [{"text": "a", "cost_percent": 10}, {"text": "b", "cost_percent": 20},
             {"text": "c", "cost_percent": 70}]
    assert opened_cost_percent(hints, []) == 0
    assert opened_cost_percent(hints, [1]) == 10
    assert opened_cost_percent(hints, [1, 2]) == 30
    assert opened_cost_percent(hints, [1, 2, 3]) == 100
    assert opened_cost_percent(hints + [{"text": "d", "cost_percent": 50}], [1, 2, 3, 4]) == 100
