"""Questions pasted or uploaded in Moodle's GIFT format: preview, then all or none."""

from app.domain.gift import GiftDefaults, read_gift
from app.domain.question_sheets import MAX_ROWS, Issue, check_question
from app.models import Course, User
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.questions.bulk import (
    BankImport,
    ImportProblem,
    PlannedQuestion,
    import_planned,
    plan_bank_import,
)

MAX_GIFT_BYTES = 5 * 1024 * 1024


def gift_text(data: bytes) -> str | None:
    """An uploaded .txt as text: UTF-8 (with or without BOM), else GB18030 (the Chinese
    Windows default); None when it is neither, or binary."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def preview_gift_import(course: Course, text: str, defaults: GiftDefaults, *,
                        actor: User) -> BankImport:
    """What importing this GIFT text would do (nothing is written)."""
    ensure_may_edit(actor, course)
    if len(text.encode("utf-8")) > MAX_GIFT_BYTES:
        return BankImport(problems=[ImportProblem(1, Issue("", "gift_too_large", {
            "limit": MAX_GIFT_BYTES // (1024 * 1024)}))])
    _question, unusable = check_question({
        "type": "essay", "area": defaults.area, "difficulty": defaults.difficulty,
        "points": str(defaults.points), "prompt": "-", "rubric": "-"})
    if unusable:  # place 0: the import's settings, not a line of the text
        return BankImport(problems=[ImportProblem(0, issue) for issue in unusable])
    reading = read_gift(text, defaults)
    bank_import = BankImport(
        planned=[PlannedQuestion(item.line, item.question) for item in reading.questions],
        problems=[ImportProblem(problem.line, problem.issue) for problem in reading.problems])
    total = len(reading.questions) + len(reading.problems)
    if total == 0:
        bank_import.problems.append(ImportProblem(1, Issue("", "gift_empty")))
    elif len(reading.questions) > MAX_ROWS:
        bank_import.problems.append(ImportProblem(1, Issue("", "too_many", {"limit": MAX_ROWS})))
    return plan_bank_import(course, bank_import)


def import_gift(course: Course, text: str, defaults: GiftDefaults, *,
                actor: User) -> dict[str, int]:
    """Import every question of the text, or none (ImportRefused with the problems)."""
    return import_planned(course, preview_gift_import(course, text, defaults, actor=actor),
                          source="gift", actor=actor)
