"""Ordering (steps of a process) and matching (terms to definitions)."""

from decimal import Decimal
from itertools import combinations
from random import Random

from app.domain.grading.base import QuestionType, ResponseError, make_ids, single_value


def _shuffled(count: int, rng: Random) -> list[int]:
    order = list(range(count))
    while count > 1:
        rng.shuffle(order)
        if order != sorted(order):  # never show the answer as the starting order
            break
    return order


def _lookup(ids: list[str], value: str) -> int:
    try:
        return ids.index(value)
    except ValueError:
        raise ResponseError("unknown_item", f"{value!r} is not an item of this question") \
            from None


# --- ordering --------------------------------------------------------------------------------

def _validate_ordering(spec: dict) -> list[str]:
    items = spec.get("items")
    if not (isinstance(items, list) and 2 <= len(items) <= 10
            and all(isinstance(i, str) and i.strip() for i in items)):
        return ["needs 2 to 10 items, written in the correct order"]
    return [] if len(set(items)) == len(items) else ["items must differ"]


def _present_ordering(spec, rng):
    count = len(spec["items"])
    return {"ids": make_ids(rng, count), "order": _shuffled(count, rng)}


def _parse_ordering(spec, display, raw):
    """The browser sends item ids top to bottom (field ``order``, one value per position)."""
    values = [v for v in raw.get("order", []) if v]
    if not values:
        return None
    indices = [_lookup(display["ids"], v) for v in values]
    if sorted(indices) != list(range(len(spec["items"]))):
        raise ResponseError("place_each_once", "place every item exactly once")
    return indices


def _score_ordering(spec, display, response) -> Decimal:
    """Share of item pairs in the right relative order (Kendall-style partial credit)."""
    if not response:
        return Decimal(0)
    pairs = list(combinations(response, 2))
    right = sum(1 for first, second in pairs if first < second)
    return Decimal(right) / Decimal(len(pairs))


ORDERING = QuestionType(
    name="ordering", validate=_validate_ordering, present=_present_ordering,
    public=lambda spec, display: {"items": [{"id": display["ids"][i], "text": spec["items"][i]}
                                            for i in display["order"]]},
    parse=_parse_ordering, score=_score_ordering,
    key=lambda spec, display: list(range(len(spec["items"]))))


# --- matching --------------------------------------------------------------------------------

def _validate_matching(spec: dict) -> list[str]:
    pairs = spec.get("pairs")
    if not (isinstance(pairs, list) and 2 <= len(pairs) <= 8 and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x.strip()
                                                         for x in p) for p in pairs)):
        return ["needs 2 to 8 pairs of [term, definition]"]
    terms = [p[0] for p in pairs]
    definitions = [p[1] for p in pairs]
    if len(set(terms)) != len(terms) or len(set(definitions)) != len(definitions):
        return ["terms and definitions must each differ"]
    return []


def _present_matching(spec, rng):
    count = len(spec["pairs"])
    return {"term_ids": make_ids(rng, count), "definition_ids": make_ids(rng, count),
            "term_order": _shuffled(count, rng), "definition_order": _shuffled(count, rng)}


def _public_matching(spec, display):
    pairs = spec["pairs"]
    return {
        "terms": [{"id": display["term_ids"][i], "text": pairs[i][0]}
                  for i in display["term_order"]],
        "definitions": [{"id": display["definition_ids"][i], "text": pairs[i][1]}
                        for i in display["definition_order"]],
    }


def _parse_matching(spec, display, raw):
    """One field per term id (``match-<term id>``) naming the chosen definition id."""
    chosen: dict[str, int] = {}
    for field in raw:
        if not field.startswith("match-"):
            continue
        term = _lookup(display["term_ids"], field.removeprefix("match-"))
        value = single_value(raw, field)
        if value:
            chosen[str(term)] = _lookup(display["definition_ids"], value)
    return chosen or None


def _score_matching(spec, display, response) -> Decimal:
    if not response:
        return Decimal(0)
    right = sum(1 for term, definition in response.items() if int(term) == definition)
    return Decimal(right) / Decimal(len(spec["pairs"]))


MATCHING = QuestionType(
    name="matching", validate=_validate_matching, present=_present_matching,
    public=_public_matching, parse=_parse_matching, score=_score_matching,
    key=lambda spec, display: {str(i): i for i in range(len(spec["pairs"]))})
