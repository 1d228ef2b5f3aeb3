"""Question files (questions.yaml, shared-bank/<area>.yaml): every rule, with its line."""

from decimal import Decimal

import pytest

from app.domain.course_files import Problem, QuestionSpec, parse_shared_bank
from app.domain.course_files.questions import parse_question_file
from app.domain.vocabulary import CompetencyArea

FILE = "courses/TS101/questions.yaml"
#: One single-choice question; line numbers in the tests below refer to this text.
SINGLE = """\
- id: TS101-Q01
  type: single
  area: data
  difficulty: 1
  points: 2
  prompt: 环比增长率是多少？
  options:
    - 20%
    - 25%
    - 30%
  answer: B
  explanation: 25%。
"""
HEAD = ("- id: TS101-Q01\n  type: {type}\n  area: data\n  difficulty: 2\n  points: 1\n"
        "  prompt: 题干\n")


def parse(text: str, prefix: str = "TS101-", area=None) -> list[QuestionSpec]:
    questions, problems = parse_question_file(text, FILE, id_prefix=prefix, area=area)
    assert problems == [], [str(p) for p in problems]
    return questions


def problems(text: str, prefix: str = "TS101-", area=None) -> list[str]:
    questions, found = parse_question_file(text, FILE, id_prefix=prefix, area=area)
    assert questions == [] and found, "expected problems"
    return [str(problem).removeprefix(FILE) for problem in found]


def typed(type_name: str, body: str) -> str:
    """A question of type_name (lines 1-6 common keys) with body from line 7 on."""
    return HEAD.format(type=type_name) + body


def test_a_single_choice_question_becomes_a_spec_with_an_index():
    [question] = parse(SINGLE)
    assert question == QuestionSpec(
        key="TS101-Q01", type="single", area=CompetencyArea.DATA, difficulty=1,
        points=Decimal(2), prompt="环比增长率是多少？", explanation="25%。",
        spec={"options": ["20%", "25%", "30%"], "answer": 1})
    assert (question.source_file, question.line) == (FILE, 1)


@pytest.mark.parametrize(("type_name", "body", "spec"), [
    ("multiple", "  options: [甲, 乙, 丙, 丁]\n  answer: [C, A]\n",
     {"options": ["甲", "乙", "丙", "丁"], "answer": [0, 2], "scoring": "partial"}),
    ("multiple", "  options: [甲, 乙]\n  answer: [B]\n  scoring: all_or_nothing\n",
     {"options": ["甲", "乙"], "answer": [1], "scoring": "all_or_nothing"}),
    ("truefalse", "  answer: false\n", {"answer": False}),
    ("fill", "  answers: [数据脱敏, 脱敏]\n", {"answers": ["数据脱敏", "脱敏"]}),
    ("fill", "  answers: [1361, 0.50, yes]\n  regex: '^1\\s*361$'\n",
     {"answers": ["1361", "0.50", "yes"], "regex": "^1\\s*361$"}),
    ("numeric", "  answer: 25\n  tolerance: 0.5\n  unit: '%'\n",
     {"answer": 25, "tolerance": 0.5, "unit": "%"}),
    ("numeric", "  answer: 87.2\n  tolerance_percent: 1\n",
     {"answer": 87.2, "tolerance_percent": 1}),
    ("ordering", "  items: [止损, 报告, 评估]\n", {"items": ["止损", "报告", "评估"]}),
    ("matching", "  pairs:\n    - [脱敏, 变形处理]\n    - [加密, 变成密文]\n",
     {"pairs": [["脱敏", "变形处理"], ["加密", "变成密文"]]}),
    ("essay", "  rubric: |\n    1. 有数据；\n    2. 有建议。\n",
     {"rubric": "1. 有数据；\n2. 有建议。"}),
])
def test_each_type_is_converted_to_the_registry_shape(type_name, body, spec):
    [question] = parse(typed(type_name, body))
    assert (question.type, question.spec) == (type_name, spec)
    assert question.explanation == ""


def test_text_is_taken_as_written_and_trimmed():
    text = SINGLE.replace("    - 20%", "    - 1361").replace("    - 30%", "    - 0.50") \
        .replace("prompt: 环比增长率是多少？", "prompt: |\n    | 月 | 件 |\n    |---|---|\n\n")
    [question] = parse(text)
    assert question.spec["options"] == ["1361", "25%", "0.50"]
    assert question.prompt == "| 月 | 件 |\n|---|---|"


def test_half_points_and_an_empty_explanation():
    [question] = parse(SINGLE.replace("points: 2", "points: 1.5")
                       .replace("explanation: 25%。", "explanation: ''"))
    assert (question.points, question.explanation) == (Decimal("1.5"), "")


def test_questions_come_sorted_by_id():
    text = SINGLE.replace("Q01", "Q02") + "\n" + SINGLE
    assert [q.key for q in parse(text)] == ["TS101-Q01", "TS101-Q02"]


def test_an_empty_file_has_no_questions():
    assert parse("# 题目稍后补充\n") == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("type: single", "type: choice", ":2: unknown type 'choice'; allowed: single, multiple, "
                                     "truefalse, fill, numeric, ordering, matching, essay"),
    ("area: data", "area: citizen", ":3: unknown area 'citizen'; allowed: mindset, data, "
                                    "governance, security, application"),
    ("difficulty: 1", "difficulty: 4", ":4: difficulty must be a whole number from 1 to 3, "
                                       "got the number 4"),
    ("difficulty: 1", "difficulty: 0", ":4: difficulty must be a whole number from 1 to 3, "
                                       "got the number 0"),
    ("points: 2", "points: 0", ":5: points must be more than 0, at most 100 and a multiple "
                               "of 0.5, got 0"),
    ("points: 2", "points: 1.25", ":5: points must be more than 0, at most 100 and a multiple "
                                  "of 0.5, got 1.25"),
    ("points: 2", "points: two", ":5: points must be a number such as 4 or 4.5, got the text "
                                 "'two'"),
    ("prompt: 环比增长率是多少？", "prompt: ''", ":6: prompt must not be empty"),
    ("prompt: 环比增长率是多少？", "prompt: [a]", ":6: prompt must be text, got a list"),
    ("    - 25%", "    - ''", ":9: option B must be non-empty text"),
    ("answer: B", "answer: E", ":11: answer E is beyond the options (A to C)"),
    ("answer: B", "answer: b", ":11: answer must be an option letter (A to C), got the text 'b'"),
    ("answer: B", "answer: 2", ":11: answer must be an option letter (A to C), got the number 2"),
    ("answer: B", "answer: [B]", ":11: answer of a single-choice question is one letter such "
                                 "as B, got a list"),
    ("explanation: 25%。", "colour: red", ":12: unknown key 'colour' (allowed: id, type, area, "
                                         "difficulty, points, prompt, explanation, options, "
                                         "answer)"),
    ("explanation: 25%。", "rubric: 要点", ":12: unknown key 'rubric' (allowed: id, type, area, "
                                          "difficulty, points, prompt, explanation, options, "
                                          "answer)"),
    ("explanation: 25%。", "answer: C", ":12: duplicate key 'answer'"),
    ("  prompt: 环比增长率是多少？\n", "", ":1: missing required key 'prompt'"),
    ("  answer: B\n", "", ":1: missing required key 'answer'"),
    ("id: TS101-Q01", "id: TS102-Q01", ":1: id TS102-Q01 must start with TS101- in this file"),
    ("id: TS101-Q01", "id: ts101-q01", ":1: id must be capital letters and digits in parts "
                                       "joined by '-', at most 40 characters (e.g. TS101-01), "
                                       "got the text 'ts101-q01'"),
    ("id: TS101-Q01", f"id: TS101-{'Q' * 40}", f":1: id must be capital letters and digits in "
                                               "parts joined by '-', at most 40 characters (e.g. "
                                               f"TS101-01), got the text 'TS101-{'Q' * 40}'"),
    ("    - 30%", "\n".join(f"    - {n}0%" for n in range(3, 10)),
     ":1: question TS101-Q01: needs 2 to 8 options"),
    ("    - 30%", "    - 20%", ":1: question TS101-Q01: options must differ"),
])
def test_each_rule_is_reported_on_its_line(old, new, expected):
    assert old in SINGLE
    assert problems(SINGLE.replace(old, new)) == [expected]


def test_validate_spec_problems_go_on_the_question_line():
    text = "- id: TS101-Q00\n  type: truefalse\n  area: data\n  difficulty: 1\n  points: 1\n" \
           "  prompt: 对吗\n  answer: true\n\n" + SINGLE.replace("    - 25%\n    - 30%\n", "") \
        .replace("answer: B", "answer: A")
    assert problems(text) == [":9: question TS101-Q01: needs 2 to 8 options"]


@pytest.mark.parametrize(("type_name", "body", "expected"), [
    ("multiple", "  options: [甲, 乙, 丙]\n  answer: [A, A, E]\n  scoring: some\n",
     [":8: answer letter A is listed twice", ":8: answer letter E is beyond the options (A to C)",
      ":9: scoring must be partial or all_or_nothing, got the text 'some'"]),
    ("multiple", "  options: [甲, 乙]\n  answer: B\n",
     [":8: answer must be a list of option letters such as [A, C], got the text 'B'"]),
    ("multiple", "  options: [甲, 乙]\n  answer: []\n",
     [":1: question TS101-Q01: answer must list one or more distinct options"]),
    ("truefalse", "  answer: 对\n", [":7: answer must be true or false, got the text '对'"]),
    ("truefalse", "  options: [对, 错]\n  answer: true\n",
     [":7: unknown key 'options' (allowed: id, type, area, difficulty, points, prompt, "
      "explanation, answer)"]),
    ("fill", "  answers: []\n",
     [":1: question TS101-Q01: answers must list one or more accepted answers"]),
    ("fill", "  answers: [甲]\n  regex: '[a'\n",
     [":1: question TS101-Q01: regex does not compile: unterminated character set at "
      "position 0"]),
    ("fill", "  answers: 甲\n", [":7: answers must be a list, got the text '甲'"]),
    ("numeric", "  answer: 25\n",
     [":1: a numeric question needs tolerance (absolute) or tolerance_percent (relative); "
      "tolerance: 0 means exactly"]),
    ("numeric", "  answer: 25%\n  tolerance: 0\n",
     [":7: answer must be a number (write a unit in unit:), got the text '25%'"]),
    ("numeric", "  answer: 25\n  tolerance: 1\n  tolerance_percent: 1\n",
     [":1: question TS101-Q01: give tolerance or tolerance_percent, not both"]),
    ("numeric", "  answer: 25\n  tolerance: -1\n",
     [":1: question TS101-Q01: tolerance must be a number ≥ 0"]),
    ("numeric", "  answer: .nan\n  tolerance: 1\n",
     [":7: answer must be a number (write a unit in unit:), got the number nan"]),
    ("ordering", "  items: [只有一步]\n",
     [":1: question TS101-Q01: needs 2 to 10 items, written in the correct order"]),
    ("ordering", "  items:\n    - 第一步\n    -\n",
     [":9: item 2 must be non-empty text"]),
    ("matching", "  pairs:\n    - [脱敏, 变形]\n    - [加密, 密文, 多余]\n",
     [":9: pair 2 must be [term, definition], two non-empty texts"]),
    ("matching", "  pairs: [[脱敏, 变形]]\n",
     [":1: question TS101-Q01: needs 2 to 8 pairs of [term, definition]"]),
    ("matching", "  pairs:\n    - [脱敏, 变形]\n    - [脱敏, 密文]\n",
     [":1: question TS101-Q01: terms and definitions must each differ"]),
    ("essay", "  explanation: 无\n", [":1: missing required key 'rubric'"]),
    ("essay", "  rubric: ''\n", [":7: rubric must not be empty"]),
])
def test_type_specific_rules(type_name, body, expected):
    assert problems(typed(type_name, body)) == expected


def test_every_problem_of_a_file_is_reported_in_line_order():
    second = SINGLE.replace("Q01", "Q02").replace("area: data", "area: citizen")
    text = SINGLE.replace("answer: B", "answer: Z") + "\n" + second
    assert problems(text) == [
        ":11: answer Z is beyond the options (A to C)",
        ":16: unknown area 'citizen'; allowed: mindset, data, governance, security, application"]


def test_duplicate_ids_are_reported_on_the_second():
    text = SINGLE + "\n" + SINGLE
    assert problems(text) == [":14: id TS101-Q01 is already used on line 1"]


@pytest.mark.parametrize(("text", "expected"), [
    ("- id: TS101-Q01\n  type: [single\n", ":3: invalid YAML: expected ',' or ']', but got "
                                           "'<stream end>' (while parsing a flow sequence "
                                           "started on line 2)"),
    ("id: TS101-Q01\ntype: single\n", ":1: questions.yaml must be a list of questions, each "
                                      "starting with '- id: ...'"),
    ("- TS101-Q01\n", ":1: a question is a mapping of keys (- id: ..., type: ..., ...), got the "
                      "text 'TS101-Q01'"),
])
def test_file_level_problems(text, expected):
    assert problems(text) == [expected]


# --- the shared bank ---------------------------------------------------------------------

SHARED_DATA = SINGLE.replace("TS101-Q01", "SB-DATA-001")


def test_the_shared_bank_reads_one_file_per_area():
    security = SINGLE.replace("TS101-Q01", "SB-SECURITY-001").replace("area: data",
                                                                      "area: security")
    bank = parse_shared_bank({"data.yaml": SHARED_DATA.encode(), "README.md": "# 说明".encode(),
                              "security.yaml": security.encode()}, prefix="courses/shared-bank")
    assert [q.key for q in bank.questions] == ["SB-DATA-001", "SB-SECURITY-001"]
    assert bank.questions[1].area is CompetencyArea.SECURITY
    assert bank.questions[0].source_file == "courses/shared-bank/data.yaml"


@pytest.mark.parametrize(("files", "expected"), [
    ({"data.yaml": SHARED_DATA.replace("SB-DATA-001", "SB-DAT-001")},
     "courses/shared-bank/data.yaml:1: id SB-DAT-001 must start with SB-DATA- in this file"),
    ({"data.yaml": SHARED_DATA.replace("area: data", "area: security")},
     "courses/shared-bank/data.yaml:3: area must be data in this file (the shared bank's "
     "data.yaml), got security"),
    ({"citizen.yaml": SHARED_DATA},
     "courses/shared-bank/citizen.yaml: unexpected file; the shared bank holds one file per "
     "competency area: mindset.yaml, data.yaml, governance.yaml, security.yaml, "
     "application.yaml (and README.md)"),
    ({"data.yaml": SHARED_DATA.encode("gbk")},
     "courses/shared-bank/data.yaml:6: not UTF-8 text; save the file as UTF-8"),
])
def test_shared_bank_rules(files, expected):
    files = {path: data.encode() if isinstance(data, str) else data
             for path, data in files.items()}
    assert parse_shared_bank(files, prefix="courses/shared-bank") == [
        Problem(*_split(expected))]


def _split(text: str) -> tuple[str, int | None, str]:
    location, _, message = text.partition(": ")
    file, _, line = location.partition(":")
    return file, int(line) if line else None, message
