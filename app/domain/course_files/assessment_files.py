"""The way back for questions and quizzes: question files and quiz files as authors write
them (letters, block lists, a blank line between questions), and their content hashes."""

import hashlib
import json
from decimal import Decimal

import yaml

from app.domain.course_files.question_types import file_fields
from app.domain.course_files.spec import QuestionSpec, QuizSpec, SharedBankSpec

#: Part of every hash, so a deliberate change of what counts as content changes them all.
HASH_FORMAT = 1
#: A quiz's question list longer than this is written one id per line.
_INLINE_LIST = 72


class Flow(list):
    """A list written inline: [A, C]."""


class FlowMap(dict):
    """A mapping written inline: {bank: shared, area: data, count: 3}."""


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, as the content writers format them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (Markdown tables, rubrics) as a literal block; PyYAML falls back
    # to a quoted string when a block could not hold the text exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(
    Flow, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value,
                                                          flow_style=True))
_Dumper.add_representer(
    FlowMap, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value,
                                                            flow_style=True))


def dump_yaml(document) -> bytes:
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096)
    return text.encode("utf-8")


def points_value(points: Decimal) -> int | float:
    # Points are whole or half numbers, so the float is exact and YAML stays plain.
    return int(points) if points == points.to_integral_value() else float(points)


def question_document(question: QuestionSpec) -> dict:
    """The question's keys as a question file has them: common keys, the type's, explanation."""
    document = {"id": question.key, "type": question.type, "area": question.area.value,
                "difficulty": question.difficulty, "points": points_value(question.points),
                "prompt": question.prompt}
    fields = file_fields(question.type, question.spec)
    if question.type == "multiple":
        fields["answer"] = Flow(fields["answer"])
    if question.type == "matching":
        fields["pairs"] = [Flow(pair) for pair in fields["pairs"]]
    document.update(fields)
    # Last, as authors write it: after the answer it explains.
    if question.explanation:
        document["explanation"] = question.explanation
    return document


def questions_file(questions: list[QuestionSpec]) -> bytes:
    """A question file: one block per question, a blank line between them."""
    return b"\n".join(dump_yaml([question_document(question)]) for question in questions)


def quiz_document(quiz: QuizSpec) -> dict:
    document: dict = {"title": quiz.title, "graded": quiz.graded, "pass_mark": quiz.pass_mark}
    if quiz.time_limit_minutes is not None:
        document["time_limit_minutes"] = quiz.time_limit_minutes
    if quiz.max_attempts is not None:
        document["max_attempts"] = quiz.max_attempts
    document.update(grading_method=quiz.grading_method.value, review=quiz.review.value,
                    review_after=quiz.review_after.value, shuffle=quiz.shuffle)
    if quiz.question_keys:
        keys = quiz.question_keys
        document["questions"] = Flow(keys) if len(", ".join(keys)) <= _INLINE_LIST else list(keys)
    else:
        document["draw"] = [FlowMap({key: value for key, value in rule.as_dict().items()
                                     if value is not None}) for rule in quiz.draw]
    return document


def quiz_file(quiz: QuizSpec) -> bytes:
    return dump_yaml(quiz_document(quiz))


def serialize_shared_bank(bank: SharedBankSpec) -> dict[str, bytes]:
    """{<area>.yaml: bytes} for each area that has questions."""
    by_area: dict[str, list[QuestionSpec]] = {}
    for question in bank.questions:
        by_area.setdefault(question.area.value, []).append(question)
    return {f"{area}.yaml": questions_file(questions) for area, questions in by_area.items()}


def question_hash(question: QuestionSpec) -> str:
    """SHA-256 of the question's content (key, type, area, difficulty, points, texts, spec)."""
    return canonical_sha256({
        "format": HASH_FORMAT, "key": question.key, "type": question.type,
        "area": question.area.value, "difficulty": question.difficulty,
        # 2 and 2.00 are the same points (the column adds the decimals).
        "points": format(question.points.normalize(), "f"),
        "prompt": question.prompt, "explanation": question.explanation, "spec": question.spec,
    })


def quiz_hash(quiz: QuizSpec) -> str:
    return canonical_sha256({
        "format": HASH_FORMAT, "code": quiz.code, "title": quiz.title, "graded": quiz.graded,
        "pass_mark": quiz.pass_mark, "time_limit_minutes": quiz.time_limit_minutes,
        "max_attempts": quiz.max_attempts, "grading_method": quiz.grading_method.value,
        "review": quiz.review.value, "review_after": quiz.review_after.value,
        "shuffle": quiz.shuffle, "questions": quiz.question_keys,
        "draw": [rule.as_dict() for rule in quiz.draw],
    })


def canonical_sha256(canonical: dict) -> str:
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
