"""Fill-in-the-blank (auto-graded) and essay (graded by a trainer)."""

import re
import unicodedata
from decimal import Decimal

from app.domain.grading.base import QuestionType, ResponseError, single_value
from app.domain.grading.normalize import normalize_text

MAX_FILL_CHARS = 200
MAX_ESSAY_CHARS = 20_000


def _validate_fill(spec: dict) -> list[str]:
    answers = spec.get("answers")
    problems = []
    if not (isinstance(answers, list) and answers
            and all(isinstance(a, str) and normalize_text(a) for a in answers)):
        problems.append("answers must list one or more accepted answers")
    pattern = spec.get("regex")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            problems.append(f"regex does not compile: {error}")
    return problems


def _parse_fill(spec, display, raw):
    value = single_value(raw)
    if len(value) > MAX_FILL_CHARS:
        raise ResponseError("too_long", f"an answer here has at most {MAX_FILL_CHARS} characters",
                            limit=MAX_FILL_CHARS, length=len(value))
    return value.strip() or None


def _score_fill(spec, display, response) -> Decimal:
    """The answer is folded once (`normalize_text`: half width, lower case, no spaces), and
    both the accepted answers (folded alike) and the regex (width-folded, ignoring case) see
    that folded answer."""
    if not response:
        return Decimal(0)
    typed = normalize_text(response)
    if any(typed == normalize_text(a) for a in spec["answers"]):
        return Decimal(1)
    pattern = spec.get("regex")
    if pattern and re.fullmatch(unicodedata.normalize("NFKC", pattern), typed, re.IGNORECASE):
        return Decimal(1)
    return Decimal(0)


FILL = QuestionType(
    name="fill", validate=_validate_fill, present=lambda spec, rng: {},
    public=lambda spec, display: {"max_chars": MAX_FILL_CHARS}, parse=_parse_fill,
    score=_score_fill, key=lambda spec, display: spec["answers"][0])


def _validate_essay(spec: dict) -> list[str]:
    rubric = spec.get("rubric")
    return [] if isinstance(rubric, str) and rubric.strip() else ["an essay needs a rubric"]


def _parse_essay(spec, display, raw):
    value = single_value(raw)
    if len(value) > MAX_ESSAY_CHARS:
        raise ResponseError("too_long", f"an essay has at most {MAX_ESSAY_CHARS} characters "
                            f"(this one has {len(value)})", limit=MAX_ESSAY_CHARS,
                            length=len(value))
    return value.strip() or None


ESSAY = QuestionType(
    name="essay", validate=_validate_essay, present=lambda spec, rng: {},
    public=lambda spec, display: {"max_chars": MAX_ESSAY_CHARS}, parse=_parse_essay,
    score=lambda spec, display, response: None if response else Decimal(0),
    key=lambda spec, display: None, manual=True)
