"""Question types behind one registry; each type's grading is a pure function.

``grade_response`` is what the rest of the platform calls: it never raises for a
stored response and always returns points in [0, points] (or None for a person
to grade).
"""

from decimal import Decimal
from random import Random

from app.domain.grading.arrange import MATCHING, ORDERING
from app.domain.grading.base import QuestionType, ResponseError, exact_points, points_for
from app.domain.grading.choice import MULTIPLE, SINGLE, TRUEFALSE
from app.domain.grading.numeric import NUMERIC
from app.domain.grading.text import ESSAY, FILL

QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (SINGLE, MULTIPLE, TRUEFALSE, FILL, NUMERIC, ORDERING, MATCHING, ESSAY)
}

__all__ = ["QUESTION_TYPES", "QuestionType", "ResponseError", "grade_response",
           "grade_response_exactly", "present_question", "question_type", "validate_spec"]


def question_type(name: str) -> QuestionType:
    try:
        return QUESTION_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown question type {name!r}; "
                         f"known: {', '.join(QUESTION_TYPES)}") from None


def validate_spec(type_name: str, spec: dict) -> list[str]:
    if type_name not in QUESTION_TYPES:
        return [f"unknown question type {type_name!r}; known: {', '.join(QUESTION_TYPES)}"]
    return QUESTION_TYPES[type_name].validate(spec)


def present_question(type_name: str, spec: dict, seed: int) -> dict:
    """The display for one attempt; the same seed always gives the same display."""
    return question_type(type_name).present(spec, Random(seed))


def grade_response(type_name: str, spec: dict, display: dict, response,
                   points: int | Decimal) -> Decimal | None:
    return points_for(question_type(type_name).score(spec, display, response), points)


def grade_response_exactly(type_name: str, spec: dict, display: dict, response,
                           points: int | Decimal) -> Decimal | None:
    """The unrounded points (what an attempt's total adds up); grade_response rounds them."""
    return exact_points(question_type(type_name).score(spec, display, response), points)
