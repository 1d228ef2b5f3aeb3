"""Exercises in course folders: imported with the course, reference SQL checked first."""

import re
import shutil

import pytest
from sqlalchemy import select

from app.domain.markdown import render_markdown
from app.domain.vocabulary import QuizKind
from app.models import Exercise, Quiz
from app.services.assessment.attempts import start_attempt
from app.services.curriculum.course_files.importing import (
    CourseImportError,
    export_course,
    find_course_by_code,
    import_courses,
    validate_course_tree,
)
from app.services.learning.enrollment import enroll_in_course
from tests.course_trees import CURRICULUM
from tests.factories import make_user

SHIPPED = {"GV210": "grid-overdue", "AI310": "muck-overload", "DA210": "pipeline-leak",
           "GV320": "one-thing-reform", "SE220": "health-desensitize",
           "DA100": "community-month"}
LESSON_LINK = re.compile(r'<a href="/courses/DA100/lessons/(\d+)"')


@pytest.fixture
def grid_course(tmp_path):
    """GV210 alone (no prerequisites needed) with its shipped exercise."""
    target = tmp_path / "courses" / "GV210"
    shutil.copytree(CURRICULUM / "GV210", target,
                    ignore=shutil.ignore_patterns("questions.yaml", "quizzes"))
    text = (target / "course.yaml").read_text(encoding="utf-8")
    (target / "course.yaml").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("prerequisites")),
        encoding="utf-8")
    return target


def test_every_shipped_exercise_imports_and_has_four_to_six_mixed_tasks(db):
    import_courses(CURRICULUM, actor=None)
    exercises = {quiz.code: quiz for quiz in db.session.scalars(
        select(Quiz).where(Quiz.kind == QuizKind.EXERCISE))}
    assert sorted(exercises) == sorted(f"{code}/{slug}" for code, slug in SHIPPED.items())
    scenarios = set()
    for quiz in exercises.values():
        tasks = quiz.exercise.tasks
        assert 4 <= len(tasks) <= 6 and len({task["type"] for task in tasks}) >= 3
        assert quiz.graded and quiz.course.code in SHIPPED
        scenarios.add(quiz.exercise.scenario_key)
    assert len(scenarios) == 6



def test_every_shipped_brief_links_to_a_da100_lesson_that_exists(db):
    """Issue 18: each exercise's brief sends a cadre new to the builder to the DA100 lesson
    that teaches what it needs, as a site link the sanitiser keeps."""
    import_courses(CURRICULUM, actor=None)
    numbers = {lesson.number for lesson in find_course_by_code("DA100").lessons}
    for code, slug in SHIPPED.items():
        quiz = db.session.scalar(select(Quiz).where(Quiz.code == f"{code}/{slug}"))
        linked = {int(n) for n in LESSON_LINK.findall(render_markdown(quiz.exercise.brief))}
        assert linked and linked <= numbers and linked != {1}, code

def test_a_broken_reference_query_is_reported_on_its_task(db, grid_course):
    path = grid_course / "exercises" / "grid-overdue.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first_sql = next(i for i, line in enumerate(lines) if "reference_sql:" in line)
    task_line = max(i for i in range(first_sql) if lines[i].startswith("  - id:")) + 1
    indent = lines[first_sql][:lines[first_sql].index("reference_sql")]
    end = next(i for i in range(first_sql + 1, len(lines))
               if lines[i].startswith(indent) and not lines[i].startswith(indent + " "))
    broken = "SELECT count(*) FROM nowhere"
    lines[first_sql:end] = [f"{indent}reference_sql: {broken}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [str(p) for p in validate_course_tree(grid_course.parent)]
    assert len(problems) == 1
    assert problems[0] == (f"{path}:{task_line}: task T1: the reference query fails on a "
                           "sample variant: SQL error: no such table: nowhere")
    with pytest.raises(CourseImportError):
        import_courses(grid_course.parent, actor=None)
    assert db.session.scalar(select(Exercise)) is None


def test_an_exercise_with_attempts_cannot_lose_its_file(db, grid_course, tree):
    import_courses(grid_course.parent, actor=None)
    quiz = db.session.scalar(select(Quiz).where(Quiz.kind == QuizKind.EXERCISE))
    cadre = make_user(unit=tree["jiefangbei"])
    enroll_in_course(quiz.course, actor=cadre)
    start_attempt(quiz, actor=cadre)
    (grid_course / "exercises" / "grid-overdue.yaml").unlink()
    problems = [str(p) for p in validate_course_tree(grid_course.parent)]
    assert problems == [f"{grid_course}/exercises/grid-overdue.yaml: exercise "
                        "GV210/grid-overdue has 1 attempt(s), so its file cannot be removed; "
                        "put the file back"]


def test_an_edited_exercise_is_a_new_version_and_export_writes_it_back(db, grid_course, tmp_path):
    import_courses(grid_course.parent, actor=None)
    path = grid_course / "exercises" / "grid-overdue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: 70"),
                    encoding="utf-8")
    report = import_courses(grid_course.parent, actor=None)
    assert report.exercises.updated == 1
    quiz = db.session.scalar(select(Quiz).where(Quiz.kind == QuizKind.EXERCISE))
    assert quiz.version == 2 and quiz.pass_mark == 70
    target = export_course(find_course_by_code("GV210"), tmp_path / "out")
    assert (target / "exercises" / "grid-overdue.yaml").is_file()
    assert import_courses(target.parent, actor=None).exercises.unchanged == 1


def test_the_shipped_hints_import_and_export_back_unchanged(db, grid_course, tmp_path):
    import_courses(grid_course.parent, actor=None)
    quiz = db.session.scalar(select(Quiz).where(Quiz.kind == QuizKind.EXERCISE))
    hinted = {task["id"]: task["hints"] for task in quiz.exercise.tasks if task.get("hints")}
    assert len(hinted) >= 3 and all(1 <= len(hints) <= 3 for hints in hinted.values())
    assert all(10 <= hint["cost_percent"] <= 20 for hints in hinted.values() for hint in hints)
    tasks = quiz.exercise.tasks
    target = export_course(find_course_by_code("GV210"), tmp_path / "out")
    exported = (target / "exercises" / "grid-overdue.yaml").read_text(encoding="utf-8")
    assert exported.count("cost_percent:") == sum(len(hints) for hints in hinted.values())
    assert import_courses(target.parent, actor=None).exercises.unchanged == 1
    db.session.expire_all()
    assert db.session.get(Quiz, quiz.id).exercise.tasks == tasks
