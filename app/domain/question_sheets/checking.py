"""A question typed into the web form, a spreadsheet row or a GIFT file, checked by the very
rules of questions.yaml.

Every source first builds the question as a question file has it (a "document": type,
area, difficulty, points, prompt, explanation and the type's keys: options, answer…).
`check_question` then runs the course-file reader on it (FieldChecker, read_type_spec,
validate_spec), so the web and the files can never disagree about what a valid question
is. Its problems come back as `Issue`s: a field, a code and parameters, which the web
layer says in the reader's language.
"""

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.question_types import TYPE_KEYS, read_type_spec, text_field
from app.domain.course_files.questions import COMMON_KEYS, MAX_POINTS, MAX_TEXT
from app.domain.course_files.spec import MAX_QUESTION_KEY, QUESTION_KEY, QuestionSpec
from app.domain.course_files.yaml_nodes import Located
from app.domain.grading import QUESTION_TYPES, validate_spec
from app.domain.vocabulary import CompetencyArea

#: Each field of a document sits on its own "line" of this many, its list items after it,
#: so a problem's line says which field (and item) it is about.
_STRIDE = 100_000
_SOURCE = "question"


@dataclass
class Issue:
    """One thing wrong with a question: `field` is a document key (points, options…),
    `item` the 0-based option/item/pair it is about, `code` what rule it breaks."""

    field: str
    code: str
    params: dict = field(default_factory=dict)
    item: int | None = None

    def __str__(self) -> str:
        where = self.field + (f"[{self.item}]" if self.item is not None else "")
        return f"{where}: {self.code} {self.params}" if self.params else f"{where}: {self.code}"


def read_number(value):
    """A number from a cell or a form (full-width digits allowed), int when whole text;
    the value itself when it is not a number, so the file rules report it."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return value
    return number if number == number and abs(number) != float("inf") else value


def check_key(key: str, prefix: str) -> Issue | None:
    """A question id as the files allow it, starting with the bank's prefix ("DA110-")."""
    if not QUESTION_KEY.match(key) or len(key) > MAX_QUESTION_KEY:
        return Issue("id", "key_format", {"value": key, "example": f"{prefix}Q01"})
    if not key.startswith(prefix):
        return Issue("id", "key_prefix", {"value": key, "prefix": prefix})
    return None


def check_question(document: dict) -> tuple[QuestionSpec | None, list[Issue]]:
    """The question (its key is document["id"] or "") or the issues that stop it.

    Values may be text where the files want numbers (difficulty, points, numeric answer,
    tolerance): they are read as numbers first. Blank values should be left out.
    """
    data = {key: read_number(value) if key in _NUMBER_KEYS else value
            for key, value in document.items()}
    if isinstance(data.get("difficulty"), float) and data["difficulty"].is_integer():
        data["difficulty"] = int(data["difficulty"])
    type_name = data.get("type")
    if type_name not in QUESTION_TYPES:
        code = "required" if type_name in (None, "") else "unknown_type"
        return None, [Issue("type", code, {"value": str(type_name or "")})]
    located, places = _located(data)
    check = FieldChecker(_SOURCE, located, data)
    required, optional = TYPE_KEYS[type_name]
    check.keys((*COMMON_KEYS, *required, *optional),
               ("type", "area", "difficulty", "points", "prompt", *required))
    area = check.choice("area", CompetencyArea)
    difficulty = check.whole_number("difficulty", 3)
    points = check.half_steps("points", MAX_POINTS)
    prompt = _long_text(check, "prompt")
    explanation = _long_text(check, "explanation", allow_empty=True) or ""
    spec = read_type_spec(type_name, check)
    if spec is not None and not check.problems:
        for message in validate_spec(type_name, spec):
            check.add(located.start_line, message)
    if check.problems:
        return None, [_issue(problem.line, problem.message, places, data)
                      for problem in check.problems]
    return QuestionSpec(key=str(data.get("id") or ""), type=type_name, area=area,
                        difficulty=difficulty, points=points, prompt=prompt,
                        explanation=explanation, spec=spec), []


_NUMBER_KEYS = ("difficulty", "points", "answer", "tolerance", "tolerance_percent")


def _long_text(check: FieldChecker, key: str, *, allow_empty: bool = False) -> str | None:
    text = text_field(check, key, allow_empty=allow_empty)
    if text is not None and len(text) > MAX_TEXT:
        check.add(check.line(key), f"{key} is {len(text)} characters long; at most {MAX_TEXT}")
        return None
    return text


def _located(data: dict) -> tuple[Located, dict[int, str]]:
    """The document as the YAML reader would have located it, one field per stride."""
    located = Located(start_line=1)
    places: dict[int, str] = {}
    for position, (key, value) in enumerate(data.items(), start=1):
        line = position * _STRIDE
        located.key_lines[key] = line
        located.value_nodes[key] = _node(value, line)
        places[position] = key
    return located, places


def _node(value, line: int) -> yaml.Node:
    mark = yaml.Mark(_SOURCE, 0, line - 1, 0, None, None)  # marks count lines from 0
    if isinstance(value, list | tuple):
        items = [_node(item, line + 1 + index) for index, item in enumerate(value)]
        return yaml.SequenceNode("tag:yaml.org,2002:seq", items, mark, mark)
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "", mark, mark)
    return yaml.ScalarNode("tag:yaml.org,2002:str", str(value), mark, mark)


#: The file rules' messages, as codes for the web layer to translate. A field group in the
#: pattern, or the third element, names the field when the line does not.
_RULES: list[tuple[re.Pattern, str, str | None]] = [(re.compile(pattern), code, where) for
                                                     pattern, code, where in (
    (r"missing required key '(?P<field>\w+)'", "required", None),
    (r"^(?P<field>\w+) must not be empty", "required", None),
    (r"^\w+ is (?P<count>\d+) characters long; at most (?P<limit>\d+)", "too_long", None),
    (r"^difficulty must be", "difficulty_range", "difficulty"),
    (r"^points must be", "points_range", "points"),
    (r"^unknown area", "unknown_area", "area"),
    (r"^answer(?: letter)? (?P<value>\S+) is beyond the options \(A to (?P<last>\w)\)",
     "answer_beyond", "answer"),
    (r"^answer(?: letter)? must be an option letter \(A to (?P<last>\w)\)", "answer_letter",
     "answer"),
    (r"^answer letter (?P<value>\S+) is listed twice", "answer_twice", "answer"),
    (r"^answer of a single-choice question is one letter", "one_letter", "answer"),
    (r"^answer must be true or false", "truefalse", "answer"),
    (r"^a numeric question needs tolerance", "tolerance_required", "tolerance"),
    (r"^give tolerance or tolerance_percent, not both", "tolerance_both", "tolerance"),
    (r"^(?P<field>tolerance|tolerance_percent) must be a number ≥ 0", "negative", None),
    (r"^(?P<field>\w+) must be a number", "not_a_number", None),
    (r"^needs 2 to (?P<limit>\d+) options", "options_count", "options"),
    (r"^every option needs text", "empty_item", "options"),
    (r"^options must differ", "options_differ", "options"),
    (r"^answer must (?:name one of|list one or more)", "answer_required", "answer"),
    (r"^scoring must be partial or all_or_nothing", "scoring", "scoring"),
    (r"^answers must list one or more", "required", "answers"),
    (r"^regex does not compile: (?P<error>.*)", "regex", "regex"),
    (r"^an essay needs a rubric", "required", "rubric"),
    (r"^needs 2 to (?P<limit>\d+) items", "items_count", "items"),
    (r"^items must differ", "items_differ", "items"),
    (r"^needs 2 to (?P<limit>\d+) pairs", "pairs_count", "pairs"),
    (r"^terms and definitions must each differ", "pairs_differ", "pairs"),
    (r"^pair \d+ must be", "empty_item", "pairs"),
    (r"must be non-empty text", "empty_item", None),
    (r"^(?P<field>\w+) must be text", "required", None),
)]


def _issue(line: int | None, message: str, places: dict[int, str], data: dict) -> Issue:
    position, offset = divmod(line or 0, _STRIDE)
    field_name = places.get(position, "")
    item = offset - 1 if position and offset else None
    for pattern, code, where in _RULES:
        match = pattern.search(message)
        if match is None:
            continue
        params = {key: value for key, value in match.groupdict().items() if key != "field"}
        field_name = match.groupdict().get("field") or where or field_name
        if code in ("not_a_number", "difficulty_range", "points_range", "negative") \
                and field_name in data:
            params["value"] = str(data[field_name])
        return Issue(field_name, code, params, item)
    return Issue(field_name, "rule", {"message": message}, item)
