"""`flask courses validate|import|export` on the shipped curriculum and broken fixtures."""

import shutil

import pytest
from sqlalchemy import func, select

from app.models import Course
from tests.course_trees import CURRICULUM, FIXTURES, copy_curriculum

BROKEN = FIXTURES / "courses_broken"
B = BROKEN.as_posix()

#: Each broken fixture and the exact line validate prints for it.
BROKEN_LINES = {
    "BAD101": f"{B}/BAD101/course.yaml:10: invalid YAML: expected ',' or ']', but got ':' "
              "(while parsing a flow sequence started on line 9)",
    "BAD102": f"{B}/BAD102/course.yaml:4: unknown tier 'expert'; allowed: foundation, "
              "intermediate, advanced",
    "BAD102 area": f"{B}/BAD102/course.yaml:7: unknown area 'citizen'; allowed: mindset, data, "
                   "governance, security, application",
    "BAD103": f"{B}/BAD103/lessons/01-no-front-matter.md:1: a lesson starts with front matter: "
              "a '---' line, 'title: ...' and 'minutes: ...', then another '---' line",
    "BAD103 title": f"{B}/BAD103/lessons/02-no-title.md:2: missing required key 'title'",
    "BAD104": f"{B}/BAD104/lessons/02-third.md: lesson number 02 is already used by "
              "lessons/02-second.md",
    "BAD106": f"{B}/BAD106/questions.yaml:8: answer C is beyond the options (A to B)",
    "BAD105": f"{B}/BAD105/course.yaml:10: prerequisite ZZZ999 is neither in this import nor "
              "in the database",
    "CYC101": f"{B}/CYC101/course.yaml:8: prerequisite cycle CYC101 → CYC102 → CYC101",
    # Then the checks of quizzes across the import.
    "BAD107": f"{B}/BAD107/quizzes/final.yaml:4: question BAD107-Q02 is neither in BAD107's "
              "questions.yaml nor in the shared bank",
    "BAD107 draw": f"{B}/BAD107/quizzes/practice.yaml:4: draw needs 2 active question(s) of "
                   "area data from BAD107's questions; there are 1 (essays are never drawn)",
}


def _courses(db) -> int:
    return db.session.scalar(select(func.count(Course.id)))


def test_validate_passes_on_the_shipped_curriculum(runner):
    result = runner.invoke(args=["courses", "validate", str(CURRICULUM)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("8 courses valid")


def test_validate_one_course_folder(runner, tmp_path):
    curriculum = copy_curriculum(tmp_path / "courses")
    result = runner.invoke(args=["courses", "validate", str(curriculum / "DA110")])
    assert (result.exit_code, result.output.strip()) == (0, "1 course valid")


def test_validate_prints_each_problem_as_file_line_message(runner):
    result = runner.invoke(args=["courses", "validate", str(BROKEN)])
    assert result.exit_code == 1
    # Folder by folder, then the checks across courses.
    assert result.stdout.splitlines() == list(BROKEN_LINES.values())
    assert "11 problem(s) found" in result.stderr


@pytest.mark.parametrize("code", ["BAD101", "BAD102", "BAD103", "BAD104", "BAD106", "BAD107"])
def test_each_broken_course_alone_reports_its_own_problem(runner, code):
    result = runner.invoke(args=["courses", "validate", f"{B}/{code}"])
    assert result.exit_code == 1
    assert BROKEN_LINES[code] in result.stdout.splitlines()


def test_import_refuses_broken_courses_and_writes_nothing(runner, db, tmp_path):
    copy_curriculum(tmp_path / "courses")
    shutil.copytree(BROKEN / "BAD104", tmp_path / "courses" / "BAD104")
    result = runner.invoke(args=["courses", "import", str(tmp_path / "courses")])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path.as_posix()}/courses/BAD104/lessons/02-third.md: lesson number 02 is already "
        "used by lessons/02-second.md"]
    assert "nothing was imported" in result.stderr
    assert _courses(db) == 0


def test_import_dry_run_then_import_then_repeat(runner, db):
    dry = runner.invoke(args=["courses", "import", str(CURRICULUM), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would be created: AI310 (v1), DA100 (v1), DA110 (v1)" in dry.stdout
    assert "Dry run, nothing written: 8 would be created" in dry.stdout
    assert _courses(db) == 0
    first = runner.invoke(args=["courses", "import", str(CURRICULUM)])
    assert first.exit_code == 0 and "8 created, 0 updated, 0 unchanged." in first.stdout
    db.session.rollback()  # committed by the command: visible from a fresh transaction
    assert _courses(db) == 8
    again = runner.invoke(args=["courses", "import", str(CURRICULUM)])
    assert "Unchanged: AI310, DA100, DA110, DA210, DC101, GV210, GV320, SE220" in again.stdout
    assert "0 created, 0 updated, 8 unchanged." in again.stdout


def test_export_writes_the_course_folder(runner, db, tmp_path):
    runner.invoke(args=["courses", "import", str(CURRICULUM)])
    result = runner.invoke(args=["courses", "export", "DC101", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Exported DC101 to {tmp_path / 'DC101'}"
    assert (tmp_path / "DC101" / "lessons" / "03-chongqing-1361.md").is_file()
    refused = runner.invoke(args=["courses", "export", "DC101", str(tmp_path)])
    assert refused.exit_code == 1 and "is not empty" in refused.output
    replaced = runner.invoke(args=["courses", "export", "DC101", str(tmp_path), "--overwrite"])
    assert replaced.exit_code == 0
    reimport = runner.invoke(args=["courses", "import", str(tmp_path / "DC101")])
    assert "0 created, 0 updated, 1 unchanged." in reimport.stdout


def test_export_of_an_unknown_course(runner, tmp_path):
    result = runner.invoke(args=["courses", "export", "ZZ999", str(tmp_path)])
    assert result.exit_code == 2 and "no course with code ZZ999" in result.output


def test_validate_checks_the_hints_of_exercise_tasks(runner, tmp_path):
    curriculum = copy_curriculum(tmp_path / "courses", with_questions=True)
    path = curriculum / "GV210" / "exercises" / "grid-overdue.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() == "cost_percent: 10")
    lines[first] = lines[first].replace("10", "120")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["courses", "validate", str(curriculum)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path.as_posix()}:{first - 1}: task T1, hint 1: cost_percent must be a whole number "
        "from 0 to 100, got the number 120"]
