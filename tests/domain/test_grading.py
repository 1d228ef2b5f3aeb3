from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.grading import (
    QUESTION_TYPES,
    ResponseError,
    grade_response,
    present_question,
    question_type,
    validate_spec,
)
from app.domain.grading.normalize import normalize_text, parse_number


def _answer(type_name, spec, raw, seed=1, points=2):
    display = present_question(type_name, spec, seed)
    response = question_type(type_name).parse(spec, display, raw(display))
    return grade_response(type_name, spec, display, response, points)


SINGLE = {"options": ["甲", "乙", "丙"], "answer": 1}
MULTIPLE = {"options": ["甲", "乙", "丙", "丁"], "answer": [0, 2], "scoring": "partial"}


def test_single_choice():
    assert _answer("single", SINGLE, lambda d: {"value": [d["ids"][1]]}) == Decimal("2.00")
    assert _answer("single", SINGLE, lambda d: {"value": [d["ids"][0]]}) == 0
    assert _answer("single", SINGLE, lambda d: {}) == 0


def test_multiple_choice_partial_credit_floors_at_zero():
    def pick(*indices):
        return lambda d: {"value": [d["ids"][i] for i in indices]}

    assert _answer("multiple", MULTIPLE, pick(0, 2)) == Decimal("2.00")
    assert _answer("multiple", MULTIPLE, pick(0)) == Decimal("1.00")
    assert _answer("multiple", MULTIPLE, pick(0, 1)) == 0  # +1 −1
    assert _answer("multiple", MULTIPLE, pick(1, 3)) == 0  # floored
    strict = {**MULTIPLE, "scoring": "all_or_nothing"}
    assert _answer("multiple", strict, pick(0)) == 0
    assert _answer("multiple", strict, pick(0, 2)) == Decimal("2.00")


def test_option_ids_and_order_do_not_reveal_the_key():
    displays = [present_question("single", SINGLE, seed) for seed in range(40)]
    assert len({tuple(d["order"]) for d in displays}) > 1
    for display in displays:
        public = question_type("single").public(SINGLE, display)
        assert "answer" not in str(public)
        assert all(len(o["id"]) == 8 for o in public["options"])


def test_an_option_from_elsewhere_is_refused():
    display = present_question("single", SINGLE, 3)
    with pytest.raises(ResponseError, match="not one of"):
        question_type("single").parse(SINGLE, display, {"value": ["deadbeef"]})


def test_true_false():
    spec = {"answer": False}
    assert _answer("truefalse", spec, lambda d: {"value": ["false"]}) == Decimal("2.00")
    assert _answer("truefalse", spec, lambda d: {"value": ["true"]}) == 0
    with pytest.raises(ResponseError):
        _answer("truefalse", spec, lambda d: {"value": ["maybe"]})


def test_fill_in_normalises_width_spaces_and_case():
    spec = {"answers": ["数据可用不可见", "Data Trust"]}
    for typed in ("数据可用不可见", " 数据 可用不可见 ", "ＤＡＴＡ　ｔｒｕｓｔ", "data trust"):
        assert _answer("fill", spec, lambda d, t=typed: {"value": [t]}) == Decimal("2.00"), typed
    assert _answer("fill", spec, lambda d: {"value": ["数据不可用"]}) == 0
    with_regex = {"answers": ["25%"], "regex": r"^25(\.0+)?\s*%?$"}
    assert _answer("fill", with_regex, lambda d: {"value": ["25.00 %"]}) == Decimal("2.00")


@pytest.mark.parametrize(("regex", "typed"), [
    (r"1361", "１３６１"),                 # full-width digits
    (r"\d{4}", "１３６１"),
    (r"1361", " 13 61 "),                # spaces, as for the accepted answers
    (r"Data\s*Trust", "ＤＡＴＡ　ｔｒｕｓｔ"),  # width, case and a full-width space
    (r"ＡＢ\d+", "ab12"),                # the regex is width-folded too
])
def test_finding_4_fill_in_regex_sees_the_answer_folded_like_the_accepted_answers(regex,
                                                                                 typed):
    spec = {"answers": ["不是这个"], "regex": regex}
    assert _answer("fill", spec, lambda d: {"value": [typed]}) == Decimal("2.00"), (regex, typed)
    assert _answer("fill", spec, lambda d: {"value": ["一三六一"]}) == 0


def test_numeric_tolerances_and_units():
    absolute = {"answer": 25, "tolerance": 0.5, "unit": "%"}
    assert _answer("numeric", absolute, lambda d: {"value": ["25.4%"]}) == Decimal("2.00")
    assert _answer("numeric", absolute, lambda d: {"value": ["２５．５"]}) == Decimal("2.00")
    assert _answer("numeric", absolute, lambda d: {"value": ["25.6"]}) == 0
    relative = {"answer": 1200, "tolerance_percent": 1}
    assert _answer("numeric", relative, lambda d: {"value": ["1,211"]}) == Decimal("2.00")
    assert _answer("numeric", relative, lambda d: {"value": ["1213"]}) == 0
    with pytest.raises(ResponseError, match="not a number"):
        _answer("numeric", relative, lambda d: {"value": ["一千二"]})


def test_ordering_partial_credit_by_pairs():
    spec = {"items": ["发现", "派单", "处置", "反馈"]}

    def order(*indices):
        return lambda d: {"order": [d["ids"][i] for i in indices]}

    assert _answer("ordering", spec, order(0, 1, 2, 3), points=6) == Decimal("6.00")
    assert _answer("ordering", spec, order(1, 0, 2, 3), points=6) == Decimal("5.00")
    assert _answer("ordering", spec, order(3, 2, 1, 0), points=6) == 0
    with pytest.raises(ResponseError, match="exactly once"):
        _answer("ordering", spec, order(0, 0, 2, 3))


def test_ordering_is_never_shown_in_the_answer_order():
    spec = {"items": ["一", "二", "三"]}
    assert all(present_question("ordering", spec, seed)["order"] != [0, 1, 2]
               for seed in range(50))


def test_matching():
    spec = {"pairs": [["无条件共享", "可直接提供"], ["有条件共享", "审核后提供"],
                      ["不予共享", "不能提供"]]}

    def match(mapping):
        return lambda d: {f"match-{d['term_ids'][t]}": [d["definition_ids"][v]]
                          for t, v in mapping.items()}

    assert _answer("matching", spec, match({0: 0, 1: 1, 2: 2}), points=3) == Decimal("3.00")
    assert _answer("matching", spec, match({0: 1, 1: 0, 2: 2}), points=3) == Decimal("1.00")


def test_essay_waits_for_a_person_and_refuses_a_huge_answer():
    spec = {"rubric": "1. 指出问题（5分）"}
    assert _answer("essay", spec, lambda d: {"value": ["我的看法……"]}) is None
    assert _answer("essay", spec, lambda d: {"value": [""]}) == 0
    with pytest.raises(ResponseError, match="at most"):
        _answer("essay", spec, lambda d: {"value": ["字" * 100_000]})


@pytest.mark.parametrize(("type_name", "spec", "problem"), [
    ("single", {"options": ["a"], "answer": 0}, "options"),
    ("single", {"options": ["a", "b"], "answer": 5}, "answer"),
    ("multiple", {"options": ["a", "b"], "answer": []}, "answer"),
    ("numeric", {"answer": "x"}, "number"),
    ("fill", {"answers": ["a"], "regex": "("}, "regex"),
    ("ordering", {"items": ["a", "a"]}, "differ"),
    ("matching", {"pairs": [["a", "b"]]}, "pairs"),
    ("essay", {"rubric": ""}, "rubric"),
    ("riddle", {}, "unknown question type"),
])
def test_invalid_specs_are_explained(type_name, spec, problem):
    assert any(problem in p for p in validate_spec(type_name, spec))


def test_normalisation_helpers():
    assert normalize_text("Ａ Ｂｃ　") == "abc"
    assert parse_number("１２.５%", "%") == 12.5
    with pytest.raises(ValueError):
        parse_number("nan")


# --- properties: for every type, 0 ≤ points ≤ max, and grading is deterministic -----------

SPECS = {
    "single": SINGLE, "multiple": MULTIPLE, "truefalse": {"answer": True},
    "fill": {"answers": ["可用不可见"]}, "numeric": {"answer": 12.5, "tolerance": 0.1},
    "ordering": {"items": ["一", "二", "三", "四"]},
    "matching": {"pairs": [["a", "1"], ["b", "2"], ["c", "3"]]},
    "essay": {"rubric": "要点"},
}


def _raw_values(display):
    ids = []
    for key in ("ids", "term_ids", "definition_ids"):
        ids.extend(display.get(key, []))
    return st.lists(st.one_of(st.sampled_from(ids) if ids else st.nothing(),
                              st.text(max_size=30)), max_size=6)


@settings(max_examples=60, deadline=None)
@given(type_name=st.sampled_from(sorted(QUESTION_TYPES)), seed=st.integers(0, 2**32),
       points=st.integers(1, 20), data=st.data())
def test_scores_stay_in_range_and_are_deterministic(type_name, seed, points, data):
    spec = SPECS[type_name]
    display = present_question(type_name, spec, seed)
    assert display == present_question(type_name, spec, seed)
    values = data.draw(_raw_values(display))
    raw = {"value": values, "order": values}
    for term in display.get("term_ids", []):
        raw[f"match-{term}"] = values[:1]
    try:
        response = question_type(type_name).parse(spec, display, raw)
    except ResponseError:
        return
    first = grade_response(type_name, spec, display, response, points)
    assert first == grade_response(type_name, spec, display, response, points)
    assert first is None or Decimal(0) <= first <= Decimal(points)
