"""What every question type provides, as pure functions on plain JSON-able values.

A question's ``spec`` holds its content and key (options and the answer, accepted
answers, tolerance…). An attempt draws a ``display`` from the spec with its seed:
the order options are shown in and the opaque ids the browser uses for them, so
neither the key nor the authored order can be read from the page. The browser
sends raw form values; ``parse`` turns them into a response (or refuses them with
a message naming the problem); ``grade`` scores a response.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from random import Random

Spec = dict
Display = dict
Response = dict | list | str | float | bool | None

CENT = Decimal("0.01")


class ResponseError(ValueError):
    """A submitted answer that cannot be accepted.

    ``code`` and ``params`` let the web layer say it in the reader's language; the
    English message is for logs and tests.
    """

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class QuestionType:
    name: str
    #: Problems with a spec (empty when valid), in plain words.
    validate: Callable[[Spec], list[str]]
    #: The per-attempt presentation: option order and opaque ids.
    present: Callable[[Spec, Random], Display]
    #: What the browser may see before review: never the key.
    public: Callable[[Spec, Display], dict]
    #: Raw form values (a list of strings per field name) to a stored response.
    parse: Callable[[Spec, Display, dict[str, list[str]]], Response]
    #: Fraction of the points earned, 0..1; None when a person must grade it.
    score: Callable[[Spec, Display, Response], Decimal | None]
    #: The correct answer in the display's terms, for the review page.
    key: Callable[[Spec, Display], Response]
    manual: bool = False


def exact_points(fraction: Decimal | None, points: int | Decimal) -> Decimal | None:
    """Points earned, clamped to [0, points], not rounded (an attempt's total is the sum of
    these, rounded once: app.domain.assessment.attempt_total)."""
    if fraction is None:
        return None
    return min(max(fraction, Decimal(0)), Decimal(1)) * Decimal(points)


def points_for(fraction: Decimal | None, points: int | Decimal) -> Decimal | None:
    """Points earned, rounded to cents, clamped to [0, points]: what one answer shows."""
    exact = exact_points(fraction, points)
    return None if exact is None else exact.quantize(CENT, rounding=ROUND_HALF_UP)


def make_ids(rng: Random, count: int) -> list[str]:
    """Short random ids, distinct within a question, that reveal nothing about order."""
    ids: list[str] = []
    while len(ids) < count:
        candidate = f"{rng.getrandbits(32):08x}"
        if candidate not in ids:
            ids.append(candidate)
    return ids


def single_value(raw: dict[str, list[str]], field: str = "value") -> str:
    values = [v for v in raw.get(field, []) if v != ""]
    if len(values) > 1:
        raise ResponseError("one_answer", "only one answer may be given")
    return values[0] if values else ""
