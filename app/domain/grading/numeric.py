"""Numeric answers with an absolute or relative tolerance and an optional unit."""

import math
from decimal import Decimal

from app.domain.grading.base import QuestionType, ResponseError, single_value
from app.domain.grading.normalize import parse_number


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _validate(spec: dict) -> list[str]:
    problems = []
    if not _number(spec.get("answer")):
        problems.append("answer must be a number")
    absolute, relative = spec.get("tolerance"), spec.get("tolerance_percent")
    if absolute is not None and relative is not None:
        problems.append("give tolerance or tolerance_percent, not both")
    for name, value in (("tolerance", absolute), ("tolerance_percent", relative)):
        if value is not None and not (_number(value) and value >= 0):
            problems.append(f"{name} must be a number ≥ 0")
    return problems


def _parse(spec, display, raw):
    value = single_value(raw)
    if value == "":
        return None
    try:
        return parse_number(value, spec.get("unit"))
    except ValueError:
        raise ResponseError("not_a_number", f"{value!r} is not a number", value=value) from None


def _allowed_error(spec: dict) -> float:
    if spec.get("tolerance_percent") is not None:
        return abs(spec["answer"]) * spec["tolerance_percent"] / 100
    return spec.get("tolerance") or 0.0


def _score(spec, display, response) -> Decimal:
    if response is None:
        return Decimal(0)
    # A hair of slack for binary floating point (0.1 + 0.2 against 0.3).
    slack = _allowed_error(spec) + 1e-9 * max(1.0, abs(spec["answer"]))
    return Decimal(1) if abs(response - spec["answer"]) <= slack else Decimal(0)


NUMERIC = QuestionType(
    name="numeric", validate=_validate, present=lambda spec, rng: {},
    public=lambda spec, display: {"unit": spec.get("unit")}, parse=_parse, score=_score,
    key=lambda spec, display: spec["answer"])
