"""What every data-exercise task type provides, as pure functions.

A task's ``spec`` holds its settings (tolerance, ordering…). Its *expected* value is
computed by the platform from the task's reference SQL on the cadre's own variant
when the attempt starts, and stored with the attempt; so ``check`` compares two
plain values and never touches a database. For SQL tasks the platform runs the
cadre's query in the sandbox on their variant *and* on a hidden second variant, and
passes both result sets in.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.grading.base import ResponseError


class TaskAnswerError(ResponseError):
    """A task answer of the wrong shape (coded like a refused quiz answer)."""


@dataclass(frozen=True)
class TaskType:
    name: str
    validate: Callable[[dict], list[str]]
    #: Raw form values to a stored answer (or TaskAnswerError).
    parse: Callable[[dict, dict[str, list[str]]], object]
    #: Share of the points earned, 0..1.
    check: Callable[[dict, object, object], Decimal]


def one_value(raw: dict[str, list[str]]) -> str:
    values = [v for v in raw.get("value", []) if v.strip()]
    if len(values) > 1:
        raise TaskAnswerError("one_answer", "only one answer may be given")
    return values[0].strip() if values else ""


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def id_order(value) -> tuple:
    """How record ids sort wherever they are listed: numbers by value (113, 186, 1534; as
    text they would read 113, 1534, 186), then any other ids as text."""
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return (0, Decimal(text), text)
    return (1, Decimal(0), text)


def sorted_ids(values) -> list[str]:
    """Distinct ids as text, in id_order."""
    return sorted({str(v) for v in values}, key=id_order)


def f_score(expected: set, chosen: set) -> Decimal:
    """Partial credit from precision and recall (their harmonic mean, F1)."""
    if not expected and not chosen:
        return Decimal(1)
    hits = len(expected & chosen)
    if hits == 0:
        return Decimal(0)
    precision = Decimal(hits) / Decimal(len(chosen))
    recall = Decimal(hits) / Decimal(len(expected))
    return (2 * precision * recall / (precision + recall)).quantize(Decimal("0.0001"))
