"""Rows of the 题目 sheet to checked questions, every problem at its row and column."""

import re
from dataclasses import dataclass, field

from app.domain.course_files.question_types import LETTERS
from app.domain.course_files.spec import QuestionSpec
from app.domain.question_sheets.checking import Issue, check_key, check_question
from app.domain.question_sheets.columns import (
    AREA_NAMES,
    COLUMN_BY_KEY,
    COMMON_COLUMNS,
    DIFFICULTY_NAMES,
    FALSE_WORDS,
    MATCH_KEYS,
    OPTION_KEYS,
    REQUIRED_COLUMNS,
    SCORING_NAMES,
    TRUE_WORDS,
    TYPE_COLUMNS,
    TYPE_LABELS,
    TYPE_NAMES,
    cell_text,
    column_letter,
    header_key,
    plain,
)


@dataclass
class SheetProblem:
    """An issue at a row (1-based, as the spreadsheet numbers it) and a column."""

    row: int
    column: str  # the header as the file has it (or the template's, when absent)
    letter: str  # the column's letter, "" when the column is missing
    issue: Issue


@dataclass
class SheetQuestion:
    row: int
    question: QuestionSpec  # key "" for a new question (题号 left blank)


@dataclass
class SheetReading:
    questions: list[SheetQuestion] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def read_sheet(header: list, rows, *, course_code: str, header_row: int = 1) -> SheetReading:
    """The questions of the rows under `header` ((row number, cells) pairs; the header is
    on `header_row`); empty rows are skipped."""
    reading = SheetReading()
    columns = _header_columns(header, header_row, reading)
    if reading.problems:
        return reading
    first_rows: dict[str, int] = {}
    for number, cells in rows:
        if all(cell_text(value) == "" for value in cells):
            continue
        values = {key: cells[index] if index < len(cells) else None
                  for key, (index, _header) in columns.items()}
        question, issues = _row_question(values, course_code)
        key = plain(values.get("key")).upper()
        if key and key in first_rows:
            issues.append(Issue("key", "key_twice", {"value": key, "row": first_rows[key]}))
        elif key:
            first_rows[key] = number
        for issue in issues:
            index, header_text = columns.get(issue.field, (None, _header_of(issue.field)))
            letter = column_letter(index) if index is not None else ""
            reading.problems.append(SheetProblem(number, header_text, letter, issue))
        if question is not None and not issues:
            reading.questions.append(SheetQuestion(number, question))
    return reading


def _header_of(key: str) -> str:
    column = COLUMN_BY_KEY.get(key)
    return column.header if column is not None else key


def _header_columns(header: list, header_row: int,
                    reading: SheetReading) -> dict[str, tuple[int, str]]:
    columns: dict[str, tuple[int, str]] = {}
    for index, text in enumerate(header):
        if cell_text(text) == "":
            continue
        key = header_key(text)
        letter = column_letter(index)
        if key is None:
            reading.problems.append(SheetProblem(header_row, cell_text(text), letter,
                                                 Issue("", "unknown_column")))
        elif key in columns:
            reading.problems.append(SheetProblem(header_row, cell_text(text), letter, Issue(
                "", "column_twice", {"other": column_letter(columns[key][0])})))
        else:
            columns[key] = (index, cell_text(text))
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            reading.problems.append(SheetProblem(header_row, COLUMN_BY_KEY[key].header, "",
                                                 Issue("", "missing_column")))
    return columns


def _row_question(values: dict, course_code: str) -> tuple[QuestionSpec | None, list[Issue]]:
    """One row to a checked question; issues name the row's columns (field = column key)."""
    issues: list[Issue] = []
    type_text = plain(values.get("type")).lower()
    type_name = TYPE_NAMES.get(type_text)
    if type_name is None:
        issues.append(Issue("type", "unknown_type" if type_text else "required",
                            {"value": cell_text(values.get("type"))}))
        return None, issues
    for key, value in values.items():
        if key not in COMMON_COLUMNS | TYPE_COLUMNS[type_name] and cell_text(value):
            issues.append(Issue(key, "column_not_used", {"type": TYPE_LABELS[type_name]}))
    key = plain(values.get("key")).upper()
    if key and (problem := check_key(key, f"{course_code}-")) is not None:
        issues.append(Issue("key", problem.code, problem.params))
    document = {"type": type_name}
    area = plain(values.get("area"))
    document["area"] = AREA_NAMES.get(area.lower(), AREA_NAMES.get(area, area))
    difficulty = plain(values.get("difficulty"))
    document["difficulty"] = DIFFICULTY_NAMES.get(difficulty, values.get("difficulty"))
    for name in ("points", "prompt", "explanation"):
        document[name] = values.get(name) if name == "points" else cell_text(values.get(name))
    places = _type_fields(type_name, values, document, issues)
    document = {name: value for name, value in document.items()
                if value is not None and value != "" and value != []}
    question, found = check_question(document)
    flagged = {issue.field for issue in issues}
    for issue in found:
        issue.field = _column_of(issue, places)
    # A cell the row reading already refused is not reported twice.
    issues.extend(issue for issue in found if issue.field not in flagged)
    if question is not None:
        question.key = key
    return (question if not issues else None), issues


def _type_fields(type_name: str, values: dict, document: dict, issues: list[Issue]) -> dict:
    """Fill the type's keys of `document` from the row; returns where each key's items sit
    (document key → column keys), so the file rules' issues can name a column."""
    options, option_columns = _filled(values, OPTION_KEYS, issues)
    answer = values.get("answer")
    places: dict = {"options": option_columns, "answer": "answer", "answers": "answer",
                    "rubric": "answer", "items": option_columns, "pairs": "answer",
                    "tolerance_percent": "tolerance"}
    if type_name in ("single", "multiple"):
        document["options"] = options
        letters = _letters(answer)
        document["answer"] = letters if type_name == "multiple" else "".join(letters)
        scoring = plain(values.get("scoring"))
        if scoring:
            document["scoring"] = SCORING_NAMES.get(scoring.lower(), scoring)
    elif type_name == "truefalse":
        document["answer"] = _truth(answer)
    elif type_name == "fill":
        document["answers"] = [part.strip() for part in re.split(r"[|｜]", cell_text(answer))
                               if part.strip()]
        document["regex"] = cell_text(values.get("regex"))
    elif type_name == "numeric":
        document["answer"] = answer.strip() if isinstance(answer, str) else answer
        tolerance = plain(values.get("tolerance"))
        key = "tolerance_percent" if tolerance.endswith("%") else "tolerance"
        document[key] = tolerance.removesuffix("%").strip() if tolerance.endswith("%") \
            else values.get("tolerance")
        document["unit"] = cell_text(values.get("unit"))
    elif type_name == "ordering":
        order = _order(answer, len(options), issues) or list(range(len(options)))
        document["items"] = [options[index] for index in order]
        places["items"] = [option_columns[index] for index in order]
    elif type_name == "matching":
        definitions, _ = _filled(values, MATCH_KEYS, issues)
        document["pairs"] = _pairs(answer, options, definitions, issues)
    else:
        document["rubric"] = cell_text(answer)
    return places


def _filled(values: dict, keys: tuple[str, ...], issues: list[Issue]):
    """The texts of consecutive columns (选项A, 选项B…), refusing a gap before a filled one."""
    texts = [cell_text(values.get(key)) for key in keys]
    count = max((index + 1 for index, text in enumerate(texts) if text), default=0)
    for index in range(count):
        if not texts[index]:
            issues.append(Issue(keys[index], "gap", {"next": COLUMN_BY_KEY[keys[count - 1]]
                                                     .header}))
    return texts[:count], list(keys[:count])


def _letters(value) -> list[str]:
    """Option letters as typed: "A,C", "A，C", "A、C", "AC", "a c"."""
    return [letter for letter in re.sub(r"[\s,;、/|]", "", plain(value).upper())]


def _truth(value):
    if isinstance(value, bool):
        return value
    text = plain(value).lower()
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else (text or None)


def _order(value, count: int, issues: list[Issue]) -> list[int] | None:
    """The letters of an ordering's answer ("C,A,B") as option indexes, or None if blank."""
    letters = _letters(value)
    if not letters:
        return None
    indexes = [LETTERS.index(letter) if letter in LETTERS else -1 for letter in letters]
    if sorted(indexes) != list(range(count)):
        issues.append(Issue("answer", "order_letters", {"last": LETTERS[max(count, 1) - 1]}))
        return None
    return indexes


def _pairs(value, terms: list[str], definitions: list[str], issues: list[Issue]) -> list:
    """A matching's pairs from "A-2,B-1" (blank: A with 1, B with 2…)."""
    text = re.sub(r"\s", "", plain(value).upper())
    if not text:
        if len(terms) != len(definitions):
            issues.append(Issue("answer", "pairs_blank"))
        return [[term, definition] for term, definition in zip(terms, definitions, strict=False)]
    links = [re.fullmatch(r"([A-J])(?:->|→|-|:|=)(\d+)", part)
             for part in re.split(r"[,;、]", text)]
    if None in links:
        issues.append(Issue("answer", "pairs_format"))
        return []
    chosen = [(LETTERS.index(link[1]), int(link[2]) - 1) for link in links]
    if sorted(term for term, _ in chosen) != list(range(len(terms))) \
            or sorted(number for _, number in chosen) != list(range(len(definitions))):
        issues.append(Issue("answer", "pairs_cover", {"terms": len(terms),
                                                      "definitions": len(definitions)}))
        return []
    return [[terms[term], definitions[number]] for term, number in sorted(chosen)]


def _column_of(issue: Issue, places: dict) -> str:
    where = places.get(issue.field, issue.field)
    if isinstance(where, list):
        return where[issue.item] if issue.item is not None and issue.item < len(where) \
            else (where[0] if where else "answer")
    return where if where in COLUMN_BY_KEY else "answer"
