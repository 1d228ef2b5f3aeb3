"""Quiz files, quizzes/<slug>.yaml: settings and either a fixed list of questions or draw
rules. Whether the named questions exist is checked across the import (bank_check)."""

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.spec import DRAW_BANKS, DrawRule, Problem, QuizSpec
from app.domain.course_files.yaml_nodes import Located, YamlSyntaxError, describe, load_located
from app.domain.vocabulary import CompetencyArea, GradingMethod, ReviewPolicy, ReviewTiming

#: The documented order, also the order export writes.
KEYS = ("title", "graded", "pass_mark", "time_limit_minutes", "max_attempts", "grading_method",
        "review", "review_after", "shuffle", "questions", "draw")
DRAW_KEYS = ("bank", "area", "difficulty", "count")
MAX_TITLE = 200  # the column's length
MAX_MINUTES = 24 * 60
MAX_ATTEMPTS = 100
MAX_DRAW = 500


def parse_quiz_file(text: str, file: str, *, course_code: str,
                    slug: str) -> tuple[QuizSpec | None, list[Problem]]:
    try:
        data, node = load_located(text, file)
    except YamlSyntaxError as error:
        return None, [error.problem]
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        line = 1 if node is None else node.start_mark.line + 1
        return None, [Problem(file, line, "a quiz file is a mapping of keys "
                                          "(title: ..., questions: [...] or draw: ...)")]
    check = FieldChecker(file, Located.of(node), data)
    check.keys(KEYS, ("title",))
    fields = {**quiz_settings(check), "shuffle": _default(check.boolean("shuffle"), True)}
    if check.has("questions") and check.has("draw"):
        check.add(check.line("draw"), "give either questions or draw, not both")
    elif not check.has("questions") and not check.has("draw"):
        check.add(check.located.start_line, "a quiz needs questions (a list of question ids) "
                                            "or draw (rules to draw questions by)")
    keys, lines = _question_keys(check)
    draw = _draw_rules(check)
    if check.problems:
        return None, sorted(check.problems, key=lambda problem: problem.line or 0)
    return QuizSpec(course_code=course_code, slug=slug, **fields, question_keys=keys,
                    draw=draw, source_file=file, question_lines=lines), []


def quiz_settings(check: FieldChecker) -> dict:
    """The settings quizzes and exercises share: title, pass mark, timing, retakes, review."""
    return {
        "title": check.text("title", MAX_TITLE, allow_empty=False),
        "graded": _default(check.boolean("graded"), True),
        "pass_mark": _default(check.whole_number("pass_mark", 100, minimum=0), 60),
        "time_limit_minutes": check.whole_number("time_limit_minutes", MAX_MINUTES),
        "max_attempts": check.whole_number("max_attempts", MAX_ATTEMPTS),
        "grading_method": check.choice("grading_method", GradingMethod)
        or GradingMethod.HIGHEST,
        "review": check.choice("review", ReviewPolicy) or ReviewPolicy.FULL,
        "review_after": check.choice("review_after", ReviewTiming) or ReviewTiming.SUBMIT,
    }


def _default(value, default):
    return default if value is None else value


def _question_keys(check: FieldChecker) -> tuple[list[str], dict[str, int]]:
    if not check.has("questions"):
        return [], {}
    items = check.get("questions")
    if not isinstance(items, list) or not items:
        check.add(check.line("questions"), "questions must list question ids such as "
                                           f"[DA110-Q01, SB-DATA-001], got {describe(items)}")
        return [], {}
    lines: dict[str, int] = {}
    for item, line in zip(items, check.located.item_lines("questions"), strict=True):
        if not isinstance(item, str):
            check.add(line, f"a question id is text such as DA110-Q01, got {describe(item)}")
        elif item in lines:
            check.add(line, f"question {item} is listed twice (first on line {lines[item]})")
        else:
            lines[item] = line
    return list(lines), lines


def _draw_rules(check: FieldChecker) -> list[DrawRule]:
    if not check.has("draw"):
        return []
    items = check.get("draw")
    node = check.located.value_nodes.get("draw")
    if not isinstance(items, list) or not items or not isinstance(node, yaml.SequenceNode):
        check.add(check.line("draw"), "draw must be a list of rules such as "
                                      "{bank: shared, area: data, difficulty: 2, count: 3}, "
                                      f"got {describe(items)}")
        return []
    rules: list[DrawRule] = []
    for item, item_node in zip(items, node.value, strict=True):
        line = check.located.first_line + item_node.start_mark.line
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            check.add(line, f"a draw rule is a mapping such as {{bank: shared, area: data, "
                            f"count: 3}}, got {describe(item)}")
            continue
        located = Located.of(item_node, check.located.first_line)
        rule = _draw_rule(FieldChecker(check.file, located, item, check.problems), line)
        same = next((other for other in rules if (other.bank, other.area, other.difficulty)
                     == (rule.bank, rule.area, rule.difficulty)), None) if rule else None
        if same is not None:
            check.add(line, f"the same draw rule as on line {same.line}; add the counts up")
        elif rule is not None:
            rules.append(rule)
    return rules


def _draw_rule(check: FieldChecker, line: int) -> DrawRule | None:
    before = len(check.problems)
    check.keys(DRAW_KEYS, ("bank", "area", "count"), where="draw.")
    bank = check.get("bank")
    if check.has("bank") and bank not in DRAW_BANKS:
        check.add(check.line("bank"), f"bank must be course (this course's questions) or "
                                      f"shared (the shared bank), got {describe(bank)}")
    area = check.choice("area", CompetencyArea)
    difficulty = check.whole_number("difficulty", 3)
    count = check.whole_number("count", MAX_DRAW)
    if len(check.problems) > before:
        return None
    return DrawRule(bank=bank, area=area, difficulty=difficulty, count=count, line=line)
