"""Quiz files, the checks across an import, and questions and quizzes in the course hash
and export (round trip)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.course_files import (
    CourseSpec,
    DrawRule,
    Problem,
    SharedBankSpec,
    StoredQuestion,
    StoredQuiz,
    check_assessments,
    content_hash,
    parse_course_folder,
    parse_shared_bank,
    serialize_course,
    serialize_shared_bank,
)
from app.domain.course_files.assessment_files import questions_file
from app.domain.course_files.questions import parse_question_file
from app.domain.course_files.quizzes import parse_quiz_file
from app.domain.vocabulary import CompetencyArea, GradingMethod, ReviewPolicy, ReviewTiming
from tests.domain.test_course_files import folder

QUIZ_FILE = "courses/TS101/quizzes/final.yaml"
QUIZ = """\
title: 课程测验
graded: true
pass_mark: 70
time_limit_minutes: 30
max_attempts: 3
grading_method: latest
review: own_answers
review_after: close
shuffle: false
questions: [TS101-Q01, SB-DATA-001]
"""
DRAW = "title: 练习\ndraw:\n  - {bank: shared, area: data, difficulty: 1, count: 1}\n" \
       "  - {bank: course, area: security, count: 2}\n"


def question(key: str, area: str = "data", difficulty: int = 1, type_name: str = "truefalse",
             body: str = "  answer: true\n") -> str:
    return (f"- id: {key}\n  type: {type_name}\n  area: {area}\n  difficulty: {difficulty}\n"
            f"  points: 1\n  prompt: 题目 {key}\n{body}\n")


QUESTIONS = (question("TS101-Q01") + question("TS101-Q02", "security")
             + question("TS101-Q03", "security", 2)
             + question("TS101-Q04", "security", 3, "essay", "  rubric: 要点\n"))


def quiz_problems(text: str) -> list[str]:
    quiz, found = parse_quiz_file(text, QUIZ_FILE, course_code="TS101", slug="final")
    assert quiz is None and found
    return [str(problem).removeprefix(QUIZ_FILE) for problem in found]


def course(questions: str = QUESTIONS, **quizzes: str) -> CourseSpec:
    files = folder(questions_dot_yaml=questions,
                   **{f"quizzes__{slug}_dot_yaml": text for slug, text in quizzes.items()})
    result = parse_course_folder(files, folder="TS101", prefix="courses/TS101")
    assert isinstance(result, CourseSpec), [str(p) for p in result]
    return result


def shared(*questions: str) -> SharedBankSpec:
    result = parse_shared_bank({"data.yaml": "".join(questions).encode()},
                               prefix="courses/shared-bank")
    assert isinstance(result, SharedBankSpec), [str(p) for p in result]
    return result


SHARED = shared(question("SB-DATA-001"), question("SB-DATA-002", difficulty=2))


# --- quiz files -------------------------------------------------------------------------


def test_a_quiz_file_with_every_key():
    quiz = course(final=QUIZ).quizzes[0]
    assert (quiz.code, quiz.title, quiz.graded, quiz.pass_mark) == ("TS101/final", "课程测验",
                                                                    True, 70)
    assert (quiz.time_limit_minutes, quiz.max_attempts, quiz.shuffle) == (30, 3, False)
    assert (quiz.grading_method, quiz.review, quiz.review_after) == (
        GradingMethod.LATEST, ReviewPolicy.OWN_ANSWERS, ReviewTiming.CLOSE)
    assert quiz.question_keys == ["TS101-Q01", "SB-DATA-001"]
    assert quiz.question_lines == {"TS101-Q01": 10, "SB-DATA-001": 10}


def test_quiz_defaults_and_draw_rules():
    quiz = course(practice=DRAW).quizzes[0]
    assert (quiz.graded, quiz.pass_mark, quiz.time_limit_minutes, quiz.max_attempts) == (
        True, 60, None, None)
    assert (quiz.grading_method, quiz.review, quiz.review_after, quiz.shuffle) == (
        GradingMethod.HIGHEST, ReviewPolicy.FULL, ReviewTiming.SUBMIT, True)
    assert quiz.question_keys == []
    assert quiz.draw == [DrawRule("shared", CompetencyArea.DATA, 1, 1),
                         DrawRule("course", CompetencyArea.SECURITY, None, 2)]
    assert [rule.line for rule in quiz.draw] == [3, 4]
    assert quiz.draw[1].as_dict() == {"bank": "course", "area": "security", "difficulty": None,
                                      "count": 2}


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: 课程测验\n", "", [":1: missing required key 'title'"]),
    ("graded: true", "graded: maybe", [":2: graded must be true or false, got the text 'maybe'"]),
    ("pass_mark: 70", "pass_mark: 101", [":3: pass_mark must be a whole number from 0 to 100, "
                                         "got the number 101"]),
    ("time_limit_minutes: 30", "time_limit_minutes: 0",
     [":4: time_limit_minutes must be a whole number from 1 to 1440, got the number 0"]),
    ("max_attempts: 3", "max_attempts: -1", [":5: max_attempts must be a whole number from 1 "
                                             "to 100, got the number -1"]),
    ("grading_method: latest", "grading_method: best",
     [":6: unknown grading_method 'best'; allowed: highest, latest, average, first"]),
    ("review: own_answers", "review: all", [":7: unknown review 'all'; allowed: score_only, "
                                           "own_answers, full"]),
    ("review_after: close", "review_after: later", [":8: unknown review_after 'later'; "
                                                    "allowed: submit, close"]),
    ("shuffle: false", "shuffle: 1", [":9: shuffle must be true or false, got the number 1"]),
    ("shuffle: false", "colour: red", [":9: unknown key 'colour' (allowed: title, graded, "
                                       "pass_mark, time_limit_minutes, max_attempts, "
                                       "grading_method, review, review_after, shuffle, "
                                       "questions, draw)"]),
    ("questions: [TS101-Q01, SB-DATA-001]", "questions: []",
     [":10: questions must list question ids such as [DA110-Q01, SB-DATA-001], got a list"]),
    ("questions: [TS101-Q01, SB-DATA-001]", "questions:\n  - TS101-Q01\n  - 12\n  - TS101-Q01",
     [":12: a question id is text such as DA110-Q01, got the number 12",
      ":13: question TS101-Q01 is listed twice (first on line 11)"]),
    ("questions: [TS101-Q01, SB-DATA-001]\n", "",
     [":1: a quiz needs questions (a list of question ids) or draw (rules to draw questions "
      "by)"]),
    ("questions: [TS101-Q01, SB-DATA-001]\n", "questions: [TS101-Q01]\n"
                                              "draw:\n  - {bank: shared, area: data, count: 1}\n",
     [":11: give either questions or draw, not both"]),
])
def test_quiz_rules(old, new, expected):
    assert old in QUIZ
    assert quiz_problems(QUIZ.replace(old, new)) == expected


@pytest.mark.parametrize(("rules", "expected"), [
    ("  - {bank: other, area: data, count: 1}",
     [":3: bank must be course (this course's questions) or shared (the shared bank), "
      "got the text 'other'"]),
    ("  - {bank: shared, area: citizen, count: 1}",
     [":3: unknown area 'citizen'; allowed: mindset, data, governance, security, application"]),
    ("  - {bank: shared, area: data, difficulty: 4, count: 1}",
     [":3: difficulty must be a whole number from 1 to 3, got the number 4"]),
    ("  - {bank: shared, area: data, count: 0}",
     [":3: count must be a whole number from 1 to 500, got the number 0"]),
    ("  - {bank: shared, area: data}", [":3: missing required key 'draw.count'"]),
    ("  - {bank: shared, area: data, count: 1, level: 2}",
     [":3: unknown key 'draw.level' (allowed: bank, area, difficulty, count)"]),
    ("  - shared data 3", [":3: a draw rule is a mapping such as {bank: shared, area: data, "
                           "count: 3}, got the text 'shared data 3'"]),
    ("  - {bank: shared, area: data, count: 1}\n  - {bank: shared, area: data, count: 2}",
     [":4: the same draw rule as on line 3; add the counts up"]),
])
def test_draw_rule_rules(rules, expected):
    assert quiz_problems(f"title: 练习\ndraw:\n{rules}\n") == expected


def test_draw_must_be_a_list():
    assert quiz_problems("title: 练习\ndraw: {bank: shared, area: data, count: 1}\n") == [
        ":2: draw must be a list of rules such as {bank: shared, area: data, difficulty: 2, "
        "count: 3}, got a mapping"]


@pytest.mark.parametrize("path", ["quizzes/Final.yaml", "quizzes/final.yml",
                                  "quizzes/sub/final.yaml", "quizzes/README.md"])
def test_quiz_file_names_must_fit(path):
    files = folder()
    files[path] = QUIZ.encode()
    result = parse_course_folder(files, folder="TS101", prefix="courses/TS101")
    assert [str(p) for p in result] == [f"courses/TS101/{path}: quiz files are named "
                                        "quizzes/<slug>.yaml: slug of a-z, 0-9 and -"]


def test_course_question_ids_carry_the_course_code():
    files = folder(questions_dot_yaml=question("DA110-Q01"))
    assert [str(p) for p in parse_course_folder(files, folder="TS101", prefix="c/TS101")] == [
        "c/TS101/questions.yaml:1: id DA110-Q01 must start with TS101- in this file"]


# --- across the import --------------------------------------------------------------------


def check(spec: CourseSpec, bank: SharedBankSpec | None = SHARED, stored=(), quizzes=(),
          **options) -> list[str]:
    return [str(p) for p in check_assessments({"TS101": spec}, bank, stored, quizzes, **options)]


def stored(key, course_code=None, area="data", difficulty=1, active=True, type_name="single"):
    return StoredQuestion(key, course_code, type_name, CompetencyArea(area), difficulty, active)


def test_quiz_references_resolve_in_the_import():
    assert check(course(final=QUIZ)) == []


@pytest.mark.parametrize(("keys", "bank", "stored_rows", "message"), [
    ("[TS101-Q09]", SHARED, (), "question TS101-Q09 is neither in TS101's questions.yaml nor "
                                "in the shared bank"),
    ("[SB-DATA-009]", SHARED, (), "question SB-DATA-009 is not in the shared bank"),
    ("[SB-DATA-001]", None, (), "question SB-DATA-001 is not in the shared bank (the shared "
                                "bank is not part of this import: import courses/ with "
                                "shared-bank/)"),
    ("[DA110-Q01]", SHARED, (stored("DA110-Q01", "DA110"),),
     "question DA110-Q01 belongs to course DA110; a quiz uses its own course's questions and "
     "the shared bank"),
    ("[SB-DATA-005]", None, (stored("SB-DATA-005", active=False),),
     "question SB-DATA-005 is retired (it was taken out of its question file)"),
    ("[TS101-Q07]", SHARED, (stored("TS101-Q07", "TS101", active=False),),
     "question TS101-Q07 is neither in TS101's questions.yaml nor in the shared bank"),
])
def test_a_missing_question_is_reported_on_the_quiz_line(keys, bank, stored_rows, message):
    text = f"title: 测验\nquestions:\n  - TS101-Q01\n  - {keys[1:-1]}\n"
    assert check(course(final=text), bank, stored_rows) == [f"{QUIZ_FILE}:4: {message}"]


def test_questions_already_in_the_database_count_when_their_bank_is_not_imported():
    spec = course(final=QUIZ.replace("SB-DATA-001", "SB-DATA-077"))
    assert check(spec, None, [stored("SB-DATA-077")]) == []
    # Imported, the shared bank is what its files say: the stored question is leaving.
    assert check(spec, SHARED, [stored("SB-DATA-077")]) == [
        f"{QUIZ_FILE}:10: question SB-DATA-077 is not in the shared bank"]


@pytest.mark.parametrize(("rules", "messages"), [
    ("  - {bank: course, area: security, count: 2}\n", []),
    ("  - {bank: course, area: security, count: 3}\n",
     [":3: draw needs 3 active question(s) of area security from TS101's questions; there are "
      "2 (essays are never drawn)"]),
    ("  - {bank: shared, area: data, difficulty: 2, count: 2}\n",
     [":3: draw needs 2 active question(s) of area data at difficulty 2 from the shared bank; "
      "there are 1 (essays are never drawn)"]),
    ("  - {bank: course, area: security, difficulty: 2, count: 1}\n"
     "  - {bank: course, area: security, difficulty: 1, count: 1}\n"
     "  - {bank: course, area: security, count: 1}\n",
     [":3: the draw rules for area security from TS101's questions need 3 questions together; "
      "there are 2"]),
    ("  - {bank: shared, area: data, count: 1}\n"
     "  - {bank: shared, area: data, difficulty: 2, count: 1}\n",
     [":3: put this rule (area data, any difficulty) after the rules for the same area with a "
      "difficulty: rules are drawn in order, and it could take their questions"]),
])
def test_draw_rules_need_enough_active_questions(rules, messages):
    assert check(course(final=f"title: 练习\ndraw:\n{rules}")) == [
        f"{QUIZ_FILE}{message}" for message in messages]


def test_draw_rules_count_stored_questions_of_banks_outside_the_import():
    spec = course(final="title: 练习\ndraw:\n  - {bank: shared, area: data, count: 2}\n")
    assert check(spec, None, [stored("SB-DATA-001"), stored("SB-DATA-002", active=False)]) == [
        f"{QUIZ_FILE}:3: draw needs 2 active question(s) of area data from the shared bank; "
        "there are 1 (essays are never drawn)"]
    assert check(spec, None, [stored("SB-DATA-001"), stored("SB-DATA-003")]) == []


def test_a_quiz_with_attempts_keeps_its_file():
    quizzes = [StoredQuiz("TS101/old", "TS101", ["TS101-Q01"], [], attempts=2),
               StoredQuiz("TS101/unused", "TS101", ["TS101-Q01"], [], attempts=0)]
    assert check(course(final=QUIZ), quizzes=quizzes) == [
        "courses/TS101/quizzes/old.yaml: quiz TS101/old has 2 attempt(s), so its file cannot be "
        "removed; put the file back"]


def test_a_shared_bank_import_may_not_break_stored_quizzes():
    quizzes = [StoredQuiz("DA110/final", "DA110", ["DA110-Q01", "SB-DATA-009"], []),
               StoredQuiz("ANNUAL-2026", None, [], [{"bank": "shared", "area": "data",
                                                     "difficulty": None, "count": 3}])]
    assert check_assessments({}, SHARED, [], quizzes) == [
        Problem("courses/shared-bank", None, "quiz DA110/final (already imported) uses "
                "SB-DATA-009, which would leave the shared bank"),
        Problem("courses/shared-bank", None, "quiz ANNUAL-2026 (already imported): draw needs 3 "
                "active question(s) of area data from the shared bank; there are 2 (essays are "
                "never drawn)")]


def test_a_shared_bank_with_problems_is_not_used_to_check_quizzes():
    spec = course(final=QUIZ.replace("SB-DATA-001", "SB-DATA-099"))
    assert check(spec, None, skip_shared=True) == []


# --- hash and round trip ------------------------------------------------------------------


def test_questions_and_quizzes_are_part_of_the_course_hash():
    spec = course(final=QUIZ)
    assert content_hash(course(final=QUIZ)) == content_hash(spec)
    reordered = question("TS101-Q02", "security") + question("TS101-Q01") \
        + "# 注释\n" + QUESTIONS.split("\n\n", 2)[2]
    assert content_hash(course(reordered, final=QUIZ)) == content_hash(spec)
    changed = QUESTIONS.replace("题目 TS101-Q02", "改过的题目")
    assert content_hash(course(changed, final=QUIZ)) != content_hash(spec)
    assert content_hash(course(final=QUIZ.replace("70", "80"))) != content_hash(spec)
    assert content_hash(course()) != content_hash(spec)


def test_export_writes_questions_and_quizzes_back_exactly():
    text = QUESTIONS + question("TS101-Q05", type_name="multiple",
                                body="  options: [甲, 乙, 丙]\n  answer: [C, A]\n") \
        + question("TS101-Q06", type_name="matching", body="  pairs: [[甲, 一], [乙, 二]]\n")
    spec = course(text, final=QUIZ, practice=DRAW)
    files = serialize_course(spec)
    assert sorted(files)[-4:] == ["lessons/02-stats.md", "questions.yaml", "quizzes/final.yaml",
                                  "quizzes/practice.yaml"]
    again = parse_course_folder(files, folder="TS101", prefix="elsewhere")
    assert again == spec and content_hash(again) == content_hash(spec)
    written = files["questions.yaml"].decode()
    assert "  answer: [A, C]\n" in written and "    - [甲, 一]\n" in written
    assert "\n\n- id: TS101-Q02\n" in written
    assert files["quizzes/practice.yaml"].decode().endswith(
        "draw:\n  - {bank: shared, area: data, difficulty: 1, count: 1}\n"
        "  - {bank: course, area: security, count: 2}\n")


def test_the_shared_bank_round_trips_one_file_per_area():
    files = serialize_shared_bank(SHARED)
    assert sorted(files) == ["data.yaml"]
    assert parse_shared_bank(files, prefix="x") == SHARED


_TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                          st.sampled_from("\n:#-'\"[]{}|>&*!%@` ,")), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(prompt=_TEXT, explanation=_TEXT, options=st.lists(_TEXT, min_size=2, max_size=4))
def test_any_text_survives_the_round_trip(prompt, explanation, options):
    options = list(dict.fromkeys(option.strip() for option in options))
    if not prompt.strip() or len(options) < 2 or not all(options):
        return
    [original] = parse_question_file(question("TS101-Q01", type_name="single",
                                              body="  options: [x, y]\n  answer: A\n"),
                                     "f", id_prefix="TS101-")[0]
    original.prompt, original.explanation = prompt.strip(), explanation.strip()
    original.spec = {"options": options, "answer": len(options) - 1}
    again, problems = parse_question_file(questions_file([original]).decode(), "f",
                                          id_prefix="TS101-")
    assert problems == [] and again == [original]
