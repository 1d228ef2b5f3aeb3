"""The Excel template's columns (题目 sheet): headers in Chinese or English, the labels the
cells use for types, areas and scoring, and a question written back as one row."""

import re
import unicodedata
from dataclasses import dataclass

from app.domain.course_files.question_types import LETTERS
from app.domain.course_files.spec import QuestionSpec
from app.domain.vocabulary import CompetencyArea


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it
    aliases: tuple[str, ...] = ()  # other headers accepted on import (English…)
    width: int = 12


OPTION_KEYS = tuple(f"option_{letter.lower()}" for letter in LETTERS[:10])
MATCH_KEYS = tuple(f"match_{number}" for number in range(1, 9))
COLUMNS: tuple[Column, ...] = (
    Column("key", "题号", ("编号", "id", "key", "questionid"), 14),
    Column("type", "题型", ("type", "questiontype"), 10),
    Column("area", "能力领域", ("领域", "area"), 16),
    Column("difficulty", "难度", ("difficulty",), 6),
    Column("points", "分值", ("分数", "points", "score"), 6),
    Column("prompt", "题干", ("题目", "prompt", "question"), 50),
    *(Column(key, f"选项{key[-1].upper()}", (f"option{key[-1]}",), 18) for key in OPTION_KEYS),
    *(Column(key, f"匹配项{key[-1]}", (f"配对{key[-1]}", f"match{key[-1]}"), 18)
      for key in MATCH_KEYS),
    Column("answer", "正确答案", ("答案", "answer", "correctanswer"), 18),
    Column("scoring", "计分方式", ("scoring",), 12),
    Column("tolerance", "容差", ("误差", "tolerance"), 8),
    Column("unit", "单位", ("unit",), 8),
    Column("regex", "正则表达式", ("正则", "regex"), 16),
    Column("explanation", "解析", ("答案解析", "explanation"), 40),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_COLUMNS = ("type", "area", "difficulty", "points", "prompt")
#: The sheet holding the questions; any other sheet of the workbook is ignored.
SHEET_NAMES = ("题目", "questions")
MAX_ROWS = 10_000

TYPE_LABELS = {"single": "单选题", "multiple": "多选题", "truefalse": "判断题", "fill": "填空题",
               "numeric": "数值题", "ordering": "排序题", "matching": "匹配题", "essay": "简答题"}
AREA_LABELS = {CompetencyArea.MINDSET: "数字思维与战略", CompetencyArea.DATA: "数据素养与决策",
               CompetencyArea.GOVERNANCE: "数字治理与服务",
               CompetencyArea.SECURITY: "数据安全与隐私",
               CompetencyArea.APPLICATION: "数字技术应用"}
SCORING_LABELS = {"partial": "部分得分", "all_or_nothing": "全对才得分"}
TRUE_LABEL, FALSE_LABEL = "对", "错"
TYPE_NAMES = {**{name: name for name in TYPE_LABELS}, **{v: k for k, v in TYPE_LABELS.items()},
               **{v[:2]: k for k, v in TYPE_LABELS.items()}, "论述题": "essay",
               "问答题": "essay", "主观题": "essay", "连线题": "matching", "计算题": "numeric"}
AREA_NAMES = {**{area.value: area.value for area in CompetencyArea},
               **{label: area.value for area, label in AREA_LABELS.items()}}
SCORING_NAMES = {**{name: name for name in SCORING_LABELS},
                  **{v: k for k, v in SCORING_LABELS.items()}, "全对得分": "all_or_nothing"}
DIFFICULTY_NAMES = {"易": 1, "容易": 1, "简单": 1, "中": 2, "中等": 2, "难": 3, "困难": 3}
TRUE_WORDS = {"对", "正确", "是", "√", "✓", "t", "true", "y", "yes"}
FALSE_WORDS = {"错", "错误", "否", "×", "✗", "x", "f", "false", "n", "no"}
#: Columns each type may fill besides the common ones; anything else must stay empty.
TYPE_COLUMNS = {"single": {*OPTION_KEYS, "answer"}, "multiple": {*OPTION_KEYS, "answer", "scoring"},
                "truefalse": {"answer"}, "fill": {"answer", "regex"},
                "numeric": {"answer", "tolerance", "unit"}, "ordering": {*OPTION_KEYS, "answer"},
                "matching": {*OPTION_KEYS, *MATCH_KEYS, "answer"}, "essay": {"answer"}}
COMMON_COLUMNS = {"key", "type", "area", "difficulty", "points", "prompt", "explanation"}


def plain(value) -> str:
    """A structural cell (type, letters, numbers) folded: full width to half, trimmed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def cell_text(value) -> str:
    """A text cell as the author typed it (numbers as they read: 1361, not 1361.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet column names)."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def header_key(text) -> str | None:
    """The column a header names, Chinese or English, any width, case or spacing."""
    token = re.sub(r"[\s_\-()（）:：*]", "", plain(text).lower())
    return _HEADERS.get(token)


_HEADERS = {re.sub(r"[\s_\-]", "", name.lower()): column.key for column in COLUMNS
            for name in (column.header, column.key, *column.aliases)}


# --- writing a question back into the template ----------------------------------------------

def question_cells(question: QuestionSpec) -> dict:
    """The row of one question (column key → value), so that reading it gives it back."""
    spec = question.spec
    points = question.points
    cells = {"key": question.key, "type": TYPE_LABELS[question.type],
             "area": AREA_LABELS[question.area], "difficulty": question.difficulty,
             "points": int(points) if points == points.to_integral_value() else float(points),
             "prompt": question.prompt, "explanation": question.explanation}
    options = spec.get("options") or spec.get("items") or [pair[0] for pair in
                                                           spec.get("pairs", [])]
    cells.update(zip(OPTION_KEYS, options, strict=False))
    if question.type == "single":
        cells["answer"] = LETTERS[spec["answer"]]
    elif question.type == "multiple":
        cells["answer"] = ",".join(LETTERS[index] for index in sorted(spec["answer"]))
        if spec.get("scoring", "partial") != "partial":
            cells["scoring"] = SCORING_LABELS[spec["scoring"]]
    elif question.type == "truefalse":
        cells["answer"] = TRUE_LABEL if spec["answer"] else FALSE_LABEL
    elif question.type == "fill":
        cells["answer"] = "|".join(spec["answers"])
        cells["regex"] = spec.get("regex")
    elif question.type == "numeric":
        cells["answer"] = spec["answer"]
        cells["tolerance"] = spec.get("tolerance") if spec.get("tolerance_percent") is None \
            else f"{spec['tolerance_percent']}%"
        cells["unit"] = spec.get("unit")
    elif question.type == "ordering":
        cells["answer"] = ",".join(LETTERS[:len(spec["items"])])
    elif question.type == "matching":
        cells.update(zip(MATCH_KEYS, [pair[1] for pair in spec["pairs"]], strict=False))
        cells["answer"] = ",".join(f"{LETTERS[i]}-{i + 1}" for i in range(len(spec["pairs"])))
    else:
        cells["answer"] = spec["rubric"]
    return cells
