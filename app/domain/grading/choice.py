"""Single choice, multiple choice and true/false."""

from decimal import Decimal
from random import Random

from app.domain.grading.base import QuestionType, ResponseError, make_ids, single_value

MAX_OPTIONS = 8


def _validate_options(spec: dict) -> list[str]:
    options = spec.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        return [f"needs 2 to {MAX_OPTIONS} options"]
    if not all(isinstance(o, str) and o.strip() for o in options):
        return ["every option needs text"]
    if len(set(options)) != len(options):
        return ["options must differ"]
    return []


def _present_options(spec: dict, rng: Random) -> dict:
    count = len(spec["options"])
    order = list(range(count))
    if spec.get("shuffle", True):
        rng.shuffle(order)
    return {"ids": make_ids(rng, count), "order": order}


def _public_options(spec: dict, display: dict) -> dict:
    return {"options": [{"id": display["ids"][i], "text": spec["options"][i]}
                        for i in display["order"]]}


def _index_of(display: dict, option_id: str) -> int:
    try:
        return display["ids"].index(option_id)
    except ValueError:
        raise ResponseError("unknown_option",
                            f"option {option_id!r} is not one of this question's options") \
            from None


# --- single choice -----------------------------------------------------------------------

def _validate_single(spec: dict) -> list[str]:
    problems = _validate_options(spec)
    answer = spec.get("answer")
    if not problems and not (isinstance(answer, int) and 0 <= answer < len(spec["options"])):
        problems.append("answer must name one of the options")
    return problems


def _parse_single(spec, display, raw):
    value = single_value(raw)
    return _index_of(display, value) if value else None


def _score_single(spec, display, response) -> Decimal:
    return Decimal(1) if response == spec["answer"] else Decimal(0)


SINGLE = QuestionType(
    name="single", validate=_validate_single, present=_present_options,
    public=_public_options, parse=_parse_single, score=_score_single,
    key=lambda spec, display: spec["answer"])


# --- multiple choice -----------------------------------------------------------------------

def _validate_multiple(spec: dict) -> list[str]:
    problems = _validate_options(spec)
    answer = spec.get("answer")
    if not problems:
        count = len(spec["options"])
        if not (isinstance(answer, list) and answer
                and all(isinstance(a, int) and 0 <= a < count for a in answer)
                and len(set(answer)) == len(answer)):
            problems.append("answer must list one or more distinct options")
    if spec.get("scoring", "partial") not in ("partial", "all_or_nothing"):
        problems.append("scoring must be partial or all_or_nothing")
    return problems


def _parse_multiple(spec, display, raw):
    chosen = sorted({_index_of(display, value) for value in raw.get("value", []) if value})
    return chosen


def _score_multiple(spec, display, response) -> Decimal:
    """Partial: +1/k per right choice, −1/k per wrong one (k = right choices), floored at 0."""
    right = set(spec["answer"])
    chosen = set(response or [])
    if spec.get("scoring", "partial") == "all_or_nothing":
        return Decimal(1) if chosen == right else Decimal(0)
    hits = len(chosen & right)
    misses = len(chosen - right)
    return max(Decimal(0), Decimal(hits - misses) / Decimal(len(right)))


MULTIPLE = QuestionType(
    name="multiple", validate=_validate_multiple, present=_present_options,
    public=lambda spec, display: {**_public_options(spec, display), "multiple": True},
    parse=_parse_multiple, score=_score_multiple,
    key=lambda spec, display: sorted(spec["answer"]))


# --- true / false ------------------------------------------------------------------------------

def _validate_truefalse(spec: dict) -> list[str]:
    return [] if isinstance(spec.get("answer"), bool) else ["answer must be true or false"]


def _parse_truefalse(spec, display, raw):
    value = single_value(raw)
    if value == "":
        return None
    if value not in ("true", "false"):
        raise ResponseError("true_false", "answer true or false")
    return value == "true"


TRUEFALSE = QuestionType(
    name="truefalse", validate=_validate_truefalse, present=lambda spec, rng: {},
    public=lambda spec, display: {}, parse=_parse_truefalse,
    score=lambda spec, display, response: Decimal(int(response is spec["answer"])),
    key=lambda spec, display: spec["answer"])
