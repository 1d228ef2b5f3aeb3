"""Graded hints of a data-exercise task: the trainer's rules and what opening one costs.

A task carries up to three hints, opened in order. Each costs a share of the task's
points (``cost_percent``); the task's earned points are multiplied by one minus the
opened hints' costs, never below 0. The rules here are shared by the course files and
the authoring pages, which word the problems for their readers.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

MAX_HINTS = 3
MAX_HINT_TEXT = 2000
DEFAULT_HINT_COST = 10
MAX_TOTAL_COST = 100


@dataclass(frozen=True)
class Hint:
    """One hint as the trainer wrote it: Markdown text and its cost in percent."""

    text: str
    cost_percent: int = DEFAULT_HINT_COST

    def as_dict(self) -> dict:
        """The stored form (an item of Exercise.tasks[…]["hints"])."""
        return {"text": self.text, "cost_percent": self.cost_percent}

    @classmethod
    def of(cls, stored: dict) -> "Hint":
        return cls(stored["text"], int(stored["cost_percent"]))


@dataclass(frozen=True)
class HintProblem:
    """What is wrong with a task's hints: ``number`` is the 1-based hint (None: the list)."""

    number: int | None
    code: str  # too_many, text_type, text_empty, text_too_long, cost_range, total_cost
    params: tuple = ()  # (name, value) pairs


def hint_problems(hints: Sequence[tuple[object, object] | None]) -> list[HintProblem]:
    """Problems of (text, cost) pairs as given (cost None: the default; a pair None: a hint
    already reported, counted but not checked again). Each rule once: at most 3 hints, text
    1..2000 characters, a cost a whole number 0..100, the costs together at most 100."""
    problems = []
    if len(hints) > MAX_HINTS:
        problems.append(HintProblem(None, "too_many", (("max", MAX_HINTS), ("count", len(hints)))))
    for number, pair in enumerate(hints, start=1):
        if pair is not None:
            problems.extend(_one_hint_problems(number, *pair))
    costs = [DEFAULT_HINT_COST if pair[1] is None else pair[1] for pair in hints
             if pair is not None]
    if all(is_cost(cost) for cost in costs) and sum(costs) > MAX_TOTAL_COST:
        problems.append(HintProblem(None, "total_cost",
                                    (("total", sum(costs)), ("max", MAX_TOTAL_COST))))
    return problems


def _one_hint_problems(number: int, text: object, cost: object) -> list[HintProblem]:
    problems = []
    if not isinstance(text, str):
        problems.append(HintProblem(number, "text_type"))
    elif not text.strip():
        problems.append(HintProblem(number, "text_empty"))
    elif len(text.strip()) > MAX_HINT_TEXT:
        problems.append(HintProblem(number, "text_too_long",
                                    (("max", MAX_HINT_TEXT), ("length", len(text.strip())))))
    if cost is not None and not is_cost(cost):
        problems.append(HintProblem(number, "cost_range", (("value", cost),)))
    return problems


def is_cost(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def opened_cost_percent(hints: Sequence[dict], opened: Iterable[int]) -> int:
    """The share of the points the opened hints (1-based numbers) cost, at most 100."""
    numbers = set(opened)
    total = sum(int(hint["cost_percent"]) for number, hint in enumerate(hints, start=1)
                if number in numbers)
    return min(total, MAX_TOTAL_COST)


def after_hints(points: Decimal, cost_percent: int) -> Decimal:
    """Points left after the hints' cost: points × (1 − cost/100), never below 0. Exact in
    Decimal (a division by 100), so the attempt's total rounds once as for any answer."""
    share = max(MAX_TOTAL_COST - cost_percent, 0)
    return points * Decimal(share) / Decimal(MAX_TOTAL_COST)
