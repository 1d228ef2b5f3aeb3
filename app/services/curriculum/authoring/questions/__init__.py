"""A course's question bank on the web: one question at a time (bank), or many at once
from Excel or GIFT (bulk, gift; the workbook itself is read in question_excel).

Every question passes the rules of questions.yaml (app.domain.question_sheets), keeps
its content hash as the files compute it, and refreshes the course's content hash, so
the course's files and what was saved here stay in step. Keys are "<CODE>-Qnn", the
next number after every key the course ever had (retired ones included): a key is never
given twice. Imports write every question or none.
"""

from app.services.curriculum.authoring.questions.bank import (
    BankFilters,
    QuestionChanged,
    QuestionInvalid,
    RetireRefused,
    create_question,
    duplicate_question,
    find_editable_question,
    list_bank,
    next_question_keys,
    restore_question,
    retire_question,
    stored_spec,
    update_question,
)
from app.services.curriculum.authoring.questions.bulk import (
    BankImport,
    ImportProblem,
    ImportRefused,
    PlannedQuestion,
    apply_bank_import,
    import_planned,
    plan_bank_import,
)
from app.services.curriculum.authoring.questions.gift import (
    gift_text,
    import_gift,
    preview_gift_import,
)

__all__ = [
    "BankFilters", "BankImport", "ImportProblem", "ImportRefused", "PlannedQuestion",
    "QuestionChanged", "QuestionInvalid", "RetireRefused", "apply_bank_import",
    "create_question", "duplicate_question", "find_editable_question", "gift_text",
    "import_gift", "import_planned", "list_bank", "next_question_keys", "plan_bank_import",
    "preview_gift_import", "restore_question", "retire_question", "stored_spec",
    "update_question",
]
