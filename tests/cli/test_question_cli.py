"""`flask courses validate|import|export` on trees holding questions, quizzes and shared-bank/."""

import pytest

from tests.course_trees import QUESTION_FIXTURES, copy_question_fixtures


@pytest.fixture
def files(tmp_path):
    return copy_question_fixtures(tmp_path / "courses")


def test_validate_summarises_questions_quizzes_and_the_shared_bank(runner):
    result = runner.invoke(args=["courses", "validate", str(QUESTION_FIXTURES)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["1 course valid, with 8 questions and 2 quizzes",
                                          "Shared bank valid, with 3 questions"]
    shared = runner.invoke(args=["courses", "validate", str(QUESTION_FIXTURES / "shared-bank")])
    assert shared.stdout.splitlines() == ["Shared bank valid, with 3 questions"]


def test_validate_reports_question_problems_by_line(runner, files):
    data = files / "shared-bank" / "data.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("answer: B", "answer: D"),
                    encoding="utf-8")
    result = runner.invoke(args=["courses", "validate", str(files)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{files.as_posix()}/shared-bank/data.yaml:10: answer D is beyond the options (A to B)"]


def test_import_reports_questions_and_quizzes(runner, files):
    dry = runner.invoke(args=["courses", "import", str(files), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[-2:] == [
        "Questions (shared bank included): 11 would be created, 0 would be updated, "
        "0 unchanged, 0 would be retired.",
        "Quizzes: 2 would be created, 0 would be updated, 0 unchanged, 0 would be removed."]
    first = runner.invoke(args=["courses", "import", str(files)])
    assert first.stdout.splitlines()[-3:] == [
        "1 created, 0 updated, 0 unchanged.",
        "Questions (shared bank included): 11 created, 0 updated, 0 unchanged, 0 retired.",
        "Quizzes: 2 created, 0 updated, 0 unchanged, 0 removed."]
    again = runner.invoke(args=["courses", "import", str(files)])
    assert again.stdout.splitlines()[-2:] == [
        "Questions (shared bank included): 0 created, 0 updated, 11 unchanged, 0 retired.",
        "Quizzes: 0 created, 0 updated, 2 unchanged, 0 removed."]


def test_export_shared_bank(runner, files, tmp_path):
    runner.invoke(args=["courses", "import", str(files)])
    result = runner.invoke(args=["courses", "export", "shared-bank", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    target = tmp_path / "out" / "shared-bank"
    assert result.stdout.strip() == f"Exported shared-bank to {target}"
    assert sorted(p.name for p in target.iterdir()) == ["data.yaml", "security.yaml"]
    refused = runner.invoke(args=["courses", "export", "shared-bank", str(tmp_path / "out")])
    assert refused.exit_code == 1 and "is not empty" in refused.output
    reimport = runner.invoke(args=["courses", "import", str(target)])
    assert "0 created, 0 updated, 3 unchanged, 0 retired." in reimport.stdout
