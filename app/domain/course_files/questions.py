"""Question files (questions.yaml, shared-bank/<area>.yaml): a list of questions, checked
key by key, each problem on the line to fix; the type-specific keys are in question_types."""

from decimal import Decimal

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.question_types import TYPE_KEYS, read_type_spec, text_field
from app.domain.course_files.spec import (
    MAX_QUESTION_KEY,
    QUESTION_KEY,
    Problem,
    QuestionSpec,
)
from app.domain.course_files.yaml_nodes import Located, YamlSyntaxError, describe, load_located
from app.domain.grading import QUESTION_TYPES, validate_spec
from app.domain.vocabulary import CompetencyArea

#: The keys every question has, in the order export writes them; then the type's keys.
COMMON_KEYS = ("id", "type", "area", "difficulty", "points", "prompt", "explanation")
REQUIRED_KEYS = ("id", "type", "area", "difficulty", "points", "prompt")
ALL_TYPE_KEYS = tuple(dict.fromkeys(key for required, optional in TYPE_KEYS.values()
                                    for key in (*required, *optional)))
MAX_POINTS = Decimal(100)
MAX_TEXT = 20_000


def parse_question_file(text: str, file: str, *, id_prefix: str,
                        area: CompetencyArea | None = None
                        ) -> tuple[list[QuestionSpec], list[Problem]]:
    """The questions of one file (sorted by key) and its problems.

    Every id must start with `id_prefix`; in a shared-bank file every question must
    also be of the file's `area`.
    """
    try:
        data, node = load_located(text, file)
    except YamlSyntaxError as error:
        return [], [error.problem]
    if node is None:  # an empty file: no questions yet
        return [], []
    name = file.rsplit("/", 1)[-1]
    if not isinstance(node, yaml.SequenceNode) or not isinstance(data, list):
        return [], [Problem(file, node.start_mark.line + 1, f"{name} must be a list of "
                                                            "questions, each starting with "
                                                            "'- id: ...'")]
    problems: list[Problem] = []
    questions: list[QuestionSpec] = []
    first_lines: dict[str, int] = {}
    for item_node, item in zip(node.value, data, strict=True):
        if not isinstance(item_node, yaml.MappingNode) or not isinstance(item, dict):
            problems.append(Problem(file, item_node.start_mark.line + 1, "a question is a "
                                    "mapping of keys (- id: ..., type: ..., ...), got "
                                    f"{describe(item)}"))
            continue
        check = FieldChecker(file, Located.of(item_node), item, problems)
        key, question = _question(check, id_prefix, area)
        if key is not None and key in first_lines:
            check.add(check.line("id"), f"id {key} is already used on line {first_lines[key]}")
        elif key is not None:
            first_lines[key] = check.line("id")
        if question is not None:
            questions.append(question)
    if problems:
        return [], sorted(problems, key=lambda problem: problem.line or 0)
    return sorted(questions, key=lambda question: question.key), []


def _question(check: FieldChecker, id_prefix: str,
              file_area: CompetencyArea | None) -> tuple[str | None, QuestionSpec | None]:
    before = len(check.problems)
    type_name = _type(check)
    if type_name is None:
        check.keys(COMMON_KEYS + ALL_TYPE_KEYS, REQUIRED_KEYS)
    else:
        required, optional = TYPE_KEYS[type_name]
        check.keys((*COMMON_KEYS, *required, *optional), (*REQUIRED_KEYS, *required))
    key = _key(check, id_prefix)
    area = check.choice("area", CompetencyArea)
    if file_area is not None and area is not None and area is not file_area:
        check.add(check.line("area"), f"area must be {file_area.value} in this file (the "
                                      f"shared bank's {file_area.value}.yaml), got {area.value}")
    fields = {
        "difficulty": check.whole_number("difficulty", 3),
        "points": check.half_steps("points", MAX_POINTS),
        "prompt": _long_text(check, "prompt", allow_empty=False),
        "explanation": _long_text(check, "explanation", allow_empty=True) or "",
    }
    spec = read_type_spec(type_name, check) if type_name is not None else None
    if spec is not None and len(check.problems) == before:
        for message in validate_spec(type_name, spec):
            check.add(check.located.start_line, f"question {key}: {message}")
    if len(check.problems) > before:
        return key, None
    return key, QuestionSpec(key=key, type=type_name, area=area, spec=spec, **fields,
                             source_file=check.file, line=check.located.start_line)


def _type(check: FieldChecker) -> str | None:
    if not check.has("type"):
        return None
    value = check.get("type")
    if isinstance(value, str) and value in QUESTION_TYPES:
        return value
    allowed = ", ".join(QUESTION_TYPES)
    if isinstance(value, str):
        check.add(check.line("type"), f"unknown type '{value}'; allowed: {allowed}")
    else:
        check.add(check.line("type"), f"type must be one of: {allowed}, got {describe(value)}")
    return None


def _key(check: FieldChecker, id_prefix: str) -> str | None:
    if not check.has("id"):
        return None
    value = check.get("id")
    if not isinstance(value, str) or not QUESTION_KEY.match(value) \
            or len(value) > MAX_QUESTION_KEY:
        check.add(check.line("id"), "id must be capital letters and digits in parts joined by "
                                    f"'-', at most {MAX_QUESTION_KEY} characters (e.g. "
                                    f"{id_prefix}01), got {describe(value)}")
        return None
    if not value.startswith(id_prefix):
        check.add(check.line("id"), f"id {value} must start with {id_prefix} in this file")
        return None
    return value


def _long_text(check: FieldChecker, key: str, *, allow_empty: bool) -> str | None:
    text = text_field(check, key, allow_empty=allow_empty)
    if text is not None and len(text) > MAX_TEXT:
        check.add(check.line(key), f"{key} is {len(text)} characters long; at most {MAX_TEXT}")
        return None
    return text
