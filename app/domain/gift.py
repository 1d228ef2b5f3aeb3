"""Moodle's GIFT text format to our questions, checked by the rules of questions.yaml.

Taken: multiple choice (with ``=``: one right answer, the others wrong and unweighted:
single; without ``=``: weights ``~%50%a ~%50%b ~%-100%c`` that our partial scoring grades
the same way, i.e. each right answer 100/k %, each wrong one −100/k %: multiple),
true/false ``{T}`` ``{F}``, short answer ``{=a =b}`` (fill), numerical ``{#3.5:0.1}``
``{#1..5}`` (numeric, wrong-answer feedback ``~#…`` dropped), matching
``{=a -> 1 =b -> 2}`` and essay ``{}``, with ``::title::``, ``// comments``, ``$CATEGORY``
lines, ``[markdown]`` / ``[html]`` / ``[plain]`` / ``[moodle]`` markers at the start of any
text (question, answer, feedback, general feedback), the escapes ``\\~ \\= \\# \\{ \\} \\:
\\\\ \\n``, per-answer feedback (``#...``, dropped) and general feedback (``####...``: the
explanation, or an essay's rubric). A question is taken only when our type grades every
response as Moodle would; everything else (weights our scoring cannot reproduce, several
fully right answers of a choice, missing-word questions with text after the answers,
description-only items, an unclosed ``::title``, unknown constructs) is a problem at its line
that names the reason: GIFT carries no area, difficulty or points, so `GiftDefaults` does.
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.course_files.spec import QuestionSpec
from app.domain.question_sheets import Issue, check_question

#: Escaped characters stand in the text as private-use characters while it is parsed.
_ESCAPES = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004",
            ":": "\ue005", "\\": "\ue006", "n": "\ue007"}
_RESTORE = str.maketrans({value: "\n" if key == "n" else key for key, value in _ESCAPES.items()})
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_FORMATS = ("markdown", "html", "plain", "moodle")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
#: Weights such as 33.33 stand for 100/3 %: how far (in percentage points) one may be off.
_WEIGHT_SLACK = 0.01
_MARKER = re.compile(r"\[(\w+)\]")
_TRUEFALSE = re.compile(r"(?i)(T|TRUE|F|FALSE)\s*(#.*)?", re.S)


@dataclass(frozen=True)
class GiftDefaults:
    """What GIFT cannot say: every imported question gets these."""

    area: str
    difficulty: int | str
    points: Decimal | str


@dataclass
class GiftProblem:
    line: int
    issue: Issue


@dataclass
class GiftQuestion:
    line: int
    title: str
    question: QuestionSpec  # key "" until the import gives it one


@dataclass
class GiftReading:
    questions: list[GiftQuestion] = field(default_factory=list)
    problems: list[GiftProblem] = field(default_factory=list)


class _Refused(Exception):
    """This item cannot be taken; `offset` is where in the item, for its line."""

    def __init__(self, code: str, offset: int = 0, **params):
        super().__init__(code)
        self.code = code
        self.offset = offset
        self.params = params


def read_gift(text: str, defaults: GiftDefaults) -> GiftReading:
    reading = GiftReading()
    for first_line, block in _blocks(text):
        try:
            title, document = _item(block, defaults)
        except _Refused as refused:
            line = first_line + block.count("\n", 0, refused.offset)
            reading.problems.append(GiftProblem(line, Issue("", refused.code, refused.params)))
            continue
        question, issues = check_question(document)
        for issue in issues:
            if (issue.field, issue.code) == ("rubric", "required"):
                issue.code = "essay_rubric"
            reading.problems.append(GiftProblem(first_line, issue))
        if question is not None:
            reading.questions.append(GiftQuestion(first_line, title, question))
    return reading


def _blocks(text: str):
    """(first line, text) of each item: lines between blank lines, without comments and
    $CATEGORY lines, escapes already replaced."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                                  start=1):
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY"):
            continue
        if stripped:
            lines.append((number, _ESCAPE.sub(lambda match: _ESCAPES[match[1]], line)))
            continue
        if lines:
            yield lines[0][0], "\n".join(text for _, text in lines)
        lines = []
    if lines:
        yield lines[0][0], "\n".join(text for _, text in lines)


def _item(block: str, defaults: GiftDefaults) -> tuple[str, dict]:
    title = ""
    position = len(block) - len(block.lstrip())
    titled = re.match(r"::(.*?)::", block[position:], re.S)
    if block.startswith("::", position) and (not titled or "{" in titled[1]):
        raise _Refused("gift_title", position)
    if titled:
        title = _text(titled[1], "plain")
        position += titled.end()
    text_format = "moodle"
    marker = re.match(r"\s*\[(\w+)\]", block[position:])
    if marker:
        if marker[1].lower() not in _FORMATS:
            raise _Refused("gift_format", position, value=marker[1])
        text_format = marker[1].lower()
        position += marker.end()
    opening = block.find("{", position)
    if opening < 0:
        raise _Refused("gift_no_answers", position)
    closing = block.find("}", opening)
    if closing < 0:
        raise _Refused("gift_unclosed", opening)
    if "{" in block[opening + 1:closing]:
        raise _Refused("gift_unclosed", opening)
    if block[closing + 1:].strip():
        raise _Refused("gift_missing_word", closing + 1)
    body, _, general = block[opening + 1:closing].partition("####")
    document = {"area": defaults.area, "difficulty": defaults.difficulty,
                "points": str(defaults.points),
                "prompt": _text(block[position:opening], text_format),
                "explanation": _text(general, text_format)}
    document.update(_answers(body, opening + 1, text_format, document["explanation"]))
    if document["type"] == "essay":
        document["explanation"] = ""
    return title, {key: value for key, value in document.items() if value not in ("", None)}


def _answers(body: str, offset: int, text_format: str, general: str) -> dict:
    stripped = body.strip()
    if not stripped:
        return {"type": "essay", "rubric": general}
    truth = _TRUEFALSE.fullmatch(stripped)
    if truth:
        return {"type": "truefalse", "answer": truth[1].upper().startswith("T")}
    if stripped.startswith("#"):  # "~…" after the answers: feedback for any other number
        return _numeric(stripped[1:].partition("~")[0].strip(), offset)
    answers = _choices(body, offset, text_format)
    if any("->" in text for _, _, text in answers):
        return _matching(answers, offset)
    if any(mark == "~" for mark, _, _ in answers):
        return _choice(answers, offset)
    if any(weight not in (None, 100) for _, weight, _ in answers):
        raise _Refused("gift_partial", offset)
    return {"type": "fill", "answers": [text for _, _, text in answers]}


def _choices(body: str, offset: int, text_format: str) -> list[tuple[str, float | None, str]]:
    """(mark, weight, text) of each answer: = or ~, then %weight%, then text #feedback."""
    lead = re.match(r"\s*", body).end()
    if body[lead] not in "=~":
        raise _Refused("gift_unknown", offset + lead)
    answers = []
    for match in re.finditer(r"([=~])([^=~]*)", body[lead:]):
        content = match[2].strip()
        weighted = _WEIGHT.match(content)
        weight = float(weighted[1]) if weighted else None
        content = content[weighted.end():] if weighted else content
        answer = content.split("#", 1)[0]
        answers.append((match[1], weight, _text(answer, text_format)))
    return answers


def _choice(answers, offset: int) -> dict:
    """One right answer with ``=`` (Moodle: one may be chosen), or weights alone (Moodle:
    several may be chosen, the weights of those chosen add up, 0..100 %)."""
    options = [text for _, _, text in answers]
    if any(mark == "=" for mark, _, _ in answers):
        if any(mark == "=" and weight is not None for mark, weight, _ in answers):
            raise _Refused("gift_partial", offset)
        right = [index for index, (mark, _, _) in enumerate(answers) if mark == "="]
        if len(right) > 1:
            raise _Refused("gift_several_right", offset, count=len(right))
        if any(mark == "~" and weight not in (None, 0) for mark, weight, _ in answers):
            raise _Refused("gift_partial", offset)
        return {"type": "single", "options": options, "answer": chr(65 + right[0])}
    weights = [weight or 0 for _, weight, _ in answers]
    right = [index for index, weight in enumerate(weights) if weight > 0]
    if not right:
        raise _Refused("gift_no_right", offset)
    share = 100 / len(right)
    if any(abs(abs(weight) - share) > _WEIGHT_SLACK for weight in weights):
        raise _Refused("gift_weights", offset, share=f"{share:.5g}")
    return {"type": "multiple", "options": options, "answer": [chr(65 + i) for i in right]}


def _matching(answers, offset: int) -> dict:
    pairs = []
    for mark, weight, text in answers:
        term, arrow, definition = text.partition("->")
        if mark != "=" or weight is not None or not arrow or not term.strip():
            raise _Refused("gift_matching", offset)
        pairs.append([term.strip(), definition.strip()])
    return {"type": "matching", "pairs": pairs}


def _numeric(body: str, offset: int) -> dict:
    if body.startswith("="):
        parts = [part.strip() for part in body.split("=")[1:]]
        weighted = _WEIGHT.match(parts[0])
        if len(parts) != 1 or (weighted and float(weighted[1]) != 100):
            raise _Refused("gift_partial", offset)
        body = parts[0][weighted.end():] if weighted else parts[0]
    value = body.split("#", 1)[0].strip()
    ranged = re.fullmatch(r"(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)", value)
    tolerant = re.fullmatch(r"(-?[\d.eE+-]+)\s*(?::\s*([\d.eE+-]+))?", value)
    try:
        if ranged:
            low, high = _number(ranged[1]), _number(ranged[2])
            return {"type": "numeric", "answer": _tidy((low + high) / 2),
                    "tolerance": _tidy((high - low) / 2)}
        if tolerant:
            return {"type": "numeric", "answer": _number(tolerant[1]),
                    "tolerance": _number(tolerant[2]) if tolerant[2] else 0}
    except ValueError:
        pass
    raise _Refused("gift_number", offset, value=value)


def _number(text: str) -> int | float:
    return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


def _tidy(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number


def _text(text: str, text_format: str) -> str:
    """Plain text of a part: its own [format] marker off, escapes back, HTML (for [html])
    reduced to its text. An unknown marker is text, as in Moodle."""
    text = text.strip()
    marker = _MARKER.match(text)
    if marker and marker[1].lower() in _FORMATS:
        text_format = marker[1].lower()
        text = text[marker.end():]
    text = text.translate(_RESTORE).strip()
    if text_format == "html":
        text = re.sub(r"(?i)<br\s*/?>|</p>\s*", "\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
    return text
