"""Each question type's keys in a question file, to the grading registry's spec and back.

Files name options by letter (answer: B); the registry counts from 0 (answer: 1). The
conversion is done here in both directions, so export writes what authors write.
"""

import math

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.yaml_nodes import describe

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SCORING = ("partial", "all_or_nothing")
_NULL_TAG = "tag:yaml.org,2002:null"

#: Per type: (required keys, optional keys), in the order export writes them.
TYPE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single": (("options", "answer"), ()),
    "multiple": (("options", "answer"), ("scoring",)),
    "truefalse": (("answer",), ()),
    "fill": (("answers",), ("regex",)),
    "numeric": (("answer",), ("tolerance", "tolerance_percent", "unit")),
    "ordering": (("items",), ()),
    "matching": (("pairs",), ()),
    "essay": (("rubric",), ()),
}


def node_text(node: yaml.Node | None) -> str | None:
    """A scalar as the author typed it, trimmed: 1361 or true in a text field stay text."""
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL_TAG:
        return str(node.value).strip()
    return None


def text_field(check: FieldChecker, key: str, *, allow_empty: bool = False) -> str | None:
    if not check.has(key):
        return None
    text = node_text(check.located.value_nodes.get(key))
    if text is None:
        if allow_empty and check.get(key) is None:
            return ""
        check.add(check.line(key), f"{key} must be text, got {describe(check.get(key))}")
        return None
    if not text and not allow_empty:
        check.add(check.line(key), f"{key} must not be empty")
        return None
    return text


def _text_list(check: FieldChecker, key: str, label) -> list[str] | None:
    """A list of non-empty texts; label(i) names item i in messages ("option C")."""
    if not check.has(key):
        return None
    node = check.located.value_nodes.get(key)
    if not isinstance(node, yaml.SequenceNode):
        check.add(check.line(key), f"{key} must be a list, got {describe(check.get(key))}")
        return None
    texts = []
    for index, item in enumerate(node.value):
        text = node_text(item)
        if not text:
            check.add(check.located.first_line + item.start_mark.line,
                      f"{label(index)} must be non-empty text")
            return None
        texts.append(text)
    return texts


def _options(check: FieldChecker) -> list[str] | None:
    return _text_list(check, "options", lambda i: f"option {LETTERS[i % 26]}")


def _letter(check: FieldChecker, value, line: int, count: int, label: str = "answer"):
    last = LETTERS[min(count, 26) - 1] if count else "A"
    if not (isinstance(value, str) and len(value) == 1 and value in LETTERS):
        check.add(line, f"{label} must be an option letter (A to {last}), got {describe(value)}")
        return None
    index = LETTERS.index(value)
    if index >= count:
        check.add(line, f"{label} {value} is beyond the options (A to {last})")
        return None
    return index


def _single(check: FieldChecker) -> dict | None:
    options = _options(check)
    answer = check.get("answer")
    if isinstance(answer, list):
        check.add(check.line("answer"), "answer of a single-choice question is one letter "
                                        "such as B, got a list")
        return None
    if options is None or not check.has("answer"):
        return None
    index = _letter(check, answer, check.line("answer"), len(options))
    return None if index is None else {"options": options, "answer": index}


def _multiple(check: FieldChecker) -> dict | None:
    options = _options(check)
    scoring = check.get("scoring") if check.has("scoring") else "partial"
    if scoring not in SCORING:
        check.add(check.line("scoring"), f"scoring must be partial or all_or_nothing, "
                                         f"got {describe(scoring)}")
    answer = check.get("answer")
    if check.has("answer") and not isinstance(answer, list):
        check.add(check.line("answer"), "answer must be a list of option letters such as "
                                        f"[A, C], got {describe(answer)}")
        return None
    if options is None or not check.has("answer"):
        return None
    indexes: list[int] = []
    for value, line in zip(answer, check.located.item_lines("answer"), strict=True):
        index = _letter(check, value, line, len(options), label="answer letter")
        if index in indexes:
            check.add(line, f"answer letter {value} is listed twice")
        elif index is not None:
            indexes.append(index)
    if len(indexes) != len(answer) or scoring not in SCORING:
        return None
    return {"options": options, "answer": sorted(indexes), "scoring": scoring}


def _truefalse(check: FieldChecker) -> dict | None:
    answer = check.get("answer")
    if check.has("answer") and not isinstance(answer, bool):
        check.add(check.line("answer"), f"answer must be true or false, got {describe(answer)}")
        return None
    return {"answer": answer} if check.has("answer") else None


def _fill(check: FieldChecker) -> dict | None:
    answers = _text_list(check, "answers", lambda i: f"accepted answer {i + 1}")
    regex = text_field(check, "regex")
    if answers is None or (check.has("regex") and regex is None):
        return None
    return {"answers": answers} | ({"regex": regex} if regex is not None else {})


def _number(check: FieldChecker, key: str, hint: str = "") -> float | int | None:
    value = check.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value):
        check.add(check.line(key), f"{key} must be a number{hint}, got {describe(value)}")
        return None
    return value


def _numeric(check: FieldChecker) -> dict | None:
    spec: dict = {}
    ok = True
    for key in ("answer", "tolerance", "tolerance_percent"):
        if check.has(key):
            hint = " (write a unit in unit:)" if key == "answer" else ""
            spec[key] = _number(check, key, hint)
            ok = ok and spec[key] is not None
    if "tolerance" not in spec and "tolerance_percent" not in spec:
        check.add(check.located.start_line, "a numeric question needs tolerance (absolute) or "
                                            "tolerance_percent (relative); tolerance: 0 means "
                                            "exactly")
        ok = False
    if check.has("unit"):
        spec["unit"] = text_field(check, "unit")
        ok = ok and spec["unit"] is not None
    return spec if ok and "answer" in spec else None


def _ordering(check: FieldChecker) -> dict | None:
    items = _text_list(check, "items", lambda i: f"item {i + 1}")
    return None if items is None else {"items": items}


def _matching(check: FieldChecker) -> dict | None:
    if not check.has("pairs"):
        return None
    node = check.located.value_nodes.get("pairs")
    if not isinstance(node, yaml.SequenceNode):
        check.add(check.line("pairs"), "pairs must be a list of [term, definition], "
                                       f"got {describe(check.get('pairs'))}")
        return None
    pairs = []
    for number, item in enumerate(node.value, start=1):
        texts = [node_text(part) for part in item.value] \
            if isinstance(item, yaml.SequenceNode) else []
        if len(texts) != 2 or not all(texts):
            check.add(check.located.first_line + item.start_mark.line,
                      f"pair {number} must be [term, definition], two non-empty texts")
            return None
        pairs.append(texts)
    return {"pairs": pairs}


def _essay(check: FieldChecker) -> dict | None:
    rubric = text_field(check, "rubric")
    return None if rubric is None else {"rubric": rubric}


READERS = {"single": _single, "multiple": _multiple, "truefalse": _truefalse, "fill": _fill,
           "numeric": _numeric, "ordering": _ordering, "matching": _matching, "essay": _essay}


def read_type_spec(type_name: str, check: FieldChecker) -> dict | None:
    """The registry spec from the type's keys, or None (with problems added to check)."""
    return READERS[type_name](check)


def file_fields(type_name: str, spec: dict) -> dict:
    """The type's keys as a question file writes them (letters for options)."""
    if type_name == "single":
        return {"options": list(spec["options"]), "answer": LETTERS[spec["answer"]]}
    if type_name == "multiple":
        fields = {"options": list(spec["options"]),
                  "answer": [LETTERS[i] for i in sorted(spec["answer"])]}
        scoring = spec.get("scoring", "partial")
        return fields | ({"scoring": scoring} if scoring != "partial" else {})
    if type_name == "matching":
        return {"pairs": [list(pair) for pair in spec["pairs"]]}
    required, optional = TYPE_KEYS[type_name]
    return {key: spec[key] for key in (*required, *optional) if spec.get(key) is not None}
