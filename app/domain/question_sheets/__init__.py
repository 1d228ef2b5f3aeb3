"""Questions authored outside the course files: the web form, the Excel template (题目
sheet) and GIFT, all checked by the rules of questions.yaml.

- checking: a question "document" (the keys of a question file) to a QuestionSpec or
  Issues (field, code, parameters) that the web layer words in the reader's language;
- columns: the template's columns, headers (Chinese or English) and cell labels, and a
  question written back as a row;
- rows: the sheet's rows to questions, each problem at its row and column.
"""

from app.domain.question_sheets.checking import Issue, check_key, check_question, read_number
from app.domain.question_sheets.columns import (
    AREA_LABELS,
    COLUMN_BY_KEY,
    COLUMNS,
    MATCH_KEYS,
    MAX_ROWS,
    OPTION_KEYS,
    SCORING_LABELS,
    SHEET_NAMES,
    TYPE_LABELS,
    column_letter,
    question_cells,
)
from app.domain.question_sheets.rows import SheetProblem, SheetQuestion, SheetReading, read_sheet

__all__ = [
    "AREA_LABELS", "COLUMNS", "COLUMN_BY_KEY", "MATCH_KEYS", "MAX_ROWS", "OPTION_KEYS",
    "SCORING_LABELS", "SHEET_NAMES", "TYPE_LABELS", "Issue", "SheetProblem", "SheetQuestion",
    "SheetReading", "check_key", "check_question", "column_letter", "question_cells",
    "read_number", "read_sheet",
]
