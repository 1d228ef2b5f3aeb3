"""Checks across one import: every question a quiz names is there, every draw rule can be
met, and no quiz with attempts loses its file.

"There" means after the import: a bank in the import is what its files say (questions
left out of a file will be retired); a bank not in the import is what the database
holds (its active questions).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.domain.course_files.spec import (
    QUIZZES_DIR,
    CourseSpec,
    DrawRule,
    Problem,
    QuizSpec,
    SharedBankSpec,
)
from app.domain.vocabulary import CompetencyArea

SHARED_PREFIX = "SB-"
#: Attempts never draw these (a drawn test is graded at once); fixed lists may name them.
UNDRAWN_TYPES = ("essay",)


@dataclass(frozen=True)
class StoredQuestion:
    """What the checks need of a question already in the database."""

    key: str
    course_code: str | None  # None: the shared bank
    type: str
    area: CompetencyArea
    difficulty: int
    active: bool


@dataclass(frozen=True)
class StoredQuiz:
    code: str
    course_code: str | None  # None: an annual test
    question_keys: list[str] = field(default_factory=list)
    draw_rules: list[dict] = field(default_factory=list)
    attempts: int = 0


#: key -> (area, difficulty, drawable) of the active questions of one bank.
Bank = dict[str, tuple[CompetencyArea, int, bool]]
_UNKNOWN = object()


class Banks:
    """Every bank as it will be after the import."""

    def __init__(self, courses: Mapping[str, CourseSpec], shared: SharedBankSpec | None,
                 stored: Iterable[StoredQuestion], *, skip_shared: bool = False):
        self.shared_imported = shared is not None
        self.skip_shared = skip_shared
        self.imported = set(courses)
        self.courses: dict[str, Bank] = {}
        self.shared: Bank = {}
        self.owner: dict[str, str | None] = {}
        self.retired: set[str] = set()
        for question in stored:
            self.owner[question.key] = question.course_code
            if not question.active:
                self.retired.add(question.key)
            elif question.course_code is None and shared is None:
                self.shared[question.key] = _entry(question)
            elif question.course_code is not None and question.course_code not in courses:
                self.courses.setdefault(question.course_code, {})[question.key] = \
                    _entry(question)
        for code, spec in courses.items():
            self.courses[code] = {q.key: _entry(q) for q in spec.questions}
            self.owner.update(dict.fromkeys(self.courses[code], code))
        if shared is not None:
            self.shared = {q.key: _entry(q) for q in shared.questions}
            self.owner.update(dict.fromkeys(self.shared))
        self.retired -= set(self.shared).union(*self.courses.values())

    def pool(self, bank: str, course_code: str | None) -> Bank:
        return self.shared if bank == "shared" else self.courses.get(course_code or "", {})

    def reference_problem(self, key: str, course_code: str) -> str | None:
        if key in self.shared or key in self.courses.get(course_code, {}):
            return None
        if self.skip_shared and key.startswith(SHARED_PREFIX):
            return None
        owner = self.owner.get(key, _UNKNOWN)
        if isinstance(owner, str) and owner != course_code:
            return (f"question {key} belongs to course {owner}; a quiz uses its own course's "
                    "questions and the shared bank")
        if key in self.retired and not self._bank_imported(owner):
            return f"question {key} is retired (it was taken out of its question file)"
        if key.startswith(SHARED_PREFIX):
            hint = "" if self.shared_imported else (" (the shared bank is not part of this "
                                                    "import: import courses/ with shared-bank/)")
            return f"question {key} is not in the shared bank{hint}"
        return f"question {key} is neither in {course_code}'s questions.yaml nor in the shared bank"

    def _bank_imported(self, owner) -> bool:
        return self.shared_imported if owner is None else owner in self.imported

    def draw_problems(self, rules: list[DrawRule], course_code: str | None):
        """(rule, message) for each rule, or group of rules, the banks cannot satisfy."""
        if self.skip_shared:
            rules = [rule for rule in rules if rule.bank != "shared"]
        for rule in rules:
            available = _available(self.pool(rule.bank, course_code), rule.area, rule.difficulty)
            if rule.count > available:
                yield rule, (f"draw needs {rule.count} active question(s) of area "
                             f"{_where(rule, course_code)}; there are {available} "
                             "(essays are never drawn)")
        for bank, area in dict.fromkeys((rule.bank, rule.area) for rule in rules):
            group = [rule for rule in rules if (rule.bank, rule.area) == (bank, area)]
            total = sum(rule.count for rule in group)
            available = _available(self.pool(bank, course_code), area, None)
            if len(group) > 1 and total > available:
                yield group[0], (f"the draw rules for area {area.value} from "
                                 f"{_bank_name(bank, course_code)} need {total} questions "
                                 f"together; there are {available}")
            # Rules are drawn in order: one without a difficulty, drawn first, could take
            # the questions a later rule with a difficulty needs.
            open_rule = next((rule for rule in group if rule.difficulty is None), None)
            if open_rule is not None and group[-1] is not open_rule:
                yield open_rule, (f"put this rule (area {area.value}, any difficulty) after "
                                  "the rules for the same area with a difficulty: rules are "
                                  "drawn in order, and it could take their questions")


def _entry(question) -> tuple[CompetencyArea, int, bool]:
    return question.area, question.difficulty, question.type not in UNDRAWN_TYPES


def _available(pool: Bank, area: CompetencyArea, difficulty: int | None) -> int:
    return sum(1 for q_area, q_difficulty, drawable in pool.values()
               if drawable and q_area is area and difficulty in (None, q_difficulty))


def _bank_name(bank: str, course_code: str | None) -> str:
    return "the shared bank" if bank == "shared" else f"{course_code}'s questions"


def _where(rule: DrawRule, course_code: str | None) -> str:
    level = f" at difficulty {rule.difficulty}" if rule.difficulty is not None else ""
    return f"{rule.area.value}{level} from {_bank_name(rule.bank, course_code)}"


def check_assessments(courses: Mapping[str, CourseSpec], shared: SharedBankSpec | None,
                      stored_questions: Iterable[StoredQuestion] = (),
                      stored_quizzes: Iterable[StoredQuiz] = (), *,
                      skip_shared: bool = False) -> list[Problem]:
    """Problems of the quizzes of this import, and of stored quizzes it would break.

    With skip_shared (the shared bank of the import has problems of its own), what
    quizzes take from the shared bank is not checked.
    """
    banks = Banks(courses, shared, stored_questions, skip_shared=skip_shared)
    problems: list[Problem] = []
    for code in sorted(courses):
        for quiz in courses[code].quizzes:
            problems.extend(_quiz_problems(quiz, banks))
    stored_quizzes = list(stored_quizzes)
    problems.extend(_removed_quiz_problems(courses, stored_quizzes))
    if shared is not None:
        problems.extend(_stored_quiz_problems(stored_quizzes, courses, shared, banks))
    return problems


def _quiz_problems(quiz: QuizSpec, banks: Banks) -> list[Problem]:
    problems = []
    for key in quiz.question_keys:
        message = banks.reference_problem(key, quiz.course_code)
        if message is not None:
            problems.append(Problem(quiz.source_file, quiz.question_lines.get(key), message))
    for rule, message in banks.draw_problems(quiz.draw, quiz.course_code):
        problems.append(Problem(quiz.source_file, rule.line, message))
    return problems


def _removed_quiz_problems(courses: Mapping[str, CourseSpec],
                           stored: list[StoredQuiz]) -> list[Problem]:
    problems = []
    for quiz in stored:
        spec = courses.get(quiz.course_code or "")
        if spec is None or quiz.attempts == 0 or quiz.code in {q.code for q in spec.quizzes}:
            continue
        slug = quiz.code.split("/", 1)[-1]
        folder = spec.source_file.rsplit("/", 1)[0]
        problems.append(Problem(f"{folder}/{QUIZZES_DIR}/{slug}.yaml", None,
                                f"quiz {quiz.code} has {quiz.attempts} attempt(s), so its file "
                                "cannot be removed; put the file back"))
    return problems


def _stored_quiz_problems(stored: list[StoredQuiz], courses: Mapping[str, CourseSpec],
                          shared: SharedBankSpec, banks: Banks) -> list[Problem]:
    """Quizzes outside the import that use the shared bank this import replaces."""
    problems = []
    for quiz in stored:
        if quiz.course_code in courses:
            continue
        for key in quiz.question_keys:
            if key.startswith(SHARED_PREFIX) and key not in banks.shared:
                problems.append(Problem(shared.source, None, f"quiz {quiz.code} (already "
                                        f"imported) uses {key}, which would leave the shared "
                                        "bank"))
        rules = [DrawRule(bank=rule["bank"], area=CompetencyArea(rule["area"]),
                          difficulty=rule.get("difficulty"), count=rule["count"])
                 for rule in quiz.draw_rules if rule.get("bank") == "shared"]
        for _rule, message in banks.draw_problems(rules, quiz.course_code):
            problems.append(Problem(shared.source, None,
                                    f"quiz {quiz.code} (already imported): {message}"))
    return problems
