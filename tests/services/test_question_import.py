"""Questions and quizzes through import and export: create, update, retire, round trip."""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.course_files import question_hash
from app.domain.vocabulary import QuestionStatus, QuizKind
from app.extensions import db as _db
from app.models import Attempt, AuditEvent, Course, Question, Quiz
from app.services.curriculum.course_files.exporting import shared_bank_spec, spec_from_course
from app.services.curriculum.course_files.importing import (
    CourseImportError,
    export_course,
    export_shared_bank,
    find_course_by_code,
    import_courses,
    validate_course_tree,
)
from tests.course_trees import copy_curriculum, copy_question_fixtures
from tests.factories import make_user

COURSE_KEYS = [f"QZ101-Q0{n}" for n in range(1, 9)]
SHARED_KEYS = ["SB-DATA-001", "SB-DATA-002", "SB-SECURITY-001"]


@pytest.fixture
def files(tmp_path) -> Path:
    """QZ101 (a question of each type, two quizzes) beside a small shared bank."""
    return copy_question_fixtures(tmp_path / "courses")


def _import(path: Path, db):
    report = import_courses(path, actor=None)
    db.session.commit()
    return report


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _question(key: str) -> Question:
    return _db.session.scalar(select(Question).where(Question.key == key))


def _quiz(code: str) -> Quiz:
    return _db.session.scalar(select(Quiz).where(Quiz.code == code))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_import_creates_questions_and_quizzes(db, files):
    report = _import(files, db)
    assert report.created == ["QZ101"] and report.shared_bank
    assert (report.questions.created, report.quizzes.created) == (11, 2)
    course = find_course_by_code("QZ101")
    rows = db.session.scalars(select(Question).order_by(Question.key)).all()
    assert [row.key for row in rows] == COURSE_KEYS + SHARED_KEYS
    assert {row.course_id for row in rows[:8]} == {course.id}
    assert {row.course_id for row in rows[8:]} == {None}
    single = _question("QZ101-Q01")
    assert (single.type, single.points, single.version, single.status) == (
        "single", Decimal("2.00"), 1, QuestionStatus.ACTIVE)
    assert single.spec == {"options": ["20%", "25%", "30%"], "answer": 1}
    assert single.explanation == "环比增长率＝（1500－1200）÷1200＝25%。"
    assert _question("QZ101-Q04").spec == {"answers": ["1361", "一三六一"],
                                           "regex": "^1\\s*3\\s*6\\s*1$"}
    assert single.content_hash == question_hash(spec_from_course(course).questions[0])
    final, practice = _quiz("QZ101/final"), _quiz("QZ101/practice")
    assert (final.kind, final.course_id, final.pass_mark, final.max_attempts) == (
        QuizKind.COURSE, course.id, 60, 3)
    assert final.question_keys == ["QZ101-Q01", "QZ101-Q02", "QZ101-Q03", "SB-DATA-001"]
    assert (practice.graded, practice.question_keys, practice.draw_rules) == (False, [], [
        {"bank": "course", "area": "security", "difficulty": None, "count": 2},
        {"bank": "shared", "area": "data", "difficulty": 1, "count": 1}])
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "courses.shared_bank_imported"))
    assert event.details == {"created": 3, "updated": 0, "retired": 0}


def test_a_repeated_import_writes_nothing(db, files, count_queries):
    _import(files, db)
    with count_queries() as counter:
        report = import_courses(files, actor=None)
        db.session.flush()
    assert report.unchanged == ["QZ101"]
    assert (report.questions.unchanged, report.quizzes.unchanged) == (11, 2)
    assert not report.questions.changed and not report.quizzes.changed
    assert counter.count > 0 and _writes(counter.statements) == []


def test_a_changed_question_bumps_its_version_and_the_course_version(db, files):
    _import(files, db)
    ids = {row.key: row.id for row in db.session.scalars(select(Question))}
    _edit(files / "QZ101" / "questions.yaml", "answer: B", "answer: C")
    report = _import(files, db)
    assert report.updated == ["QZ101"] and report.versions == {"QZ101": 2}
    assert (report.questions.updated, report.questions.unchanged) == (1, 10)
    assert report.quizzes.unchanged == 2
    db.session.expire_all()
    changed = _question("QZ101-Q01")
    assert (changed.id, changed.version, changed.spec["answer"]) == (ids["QZ101-Q01"], 2, 2)
    assert {row.key: row.id for row in db.session.scalars(select(Question))} == ids
    assert _question("QZ101-Q02").version == 1
    assert _count(db, AuditEvent, AuditEvent.action == "courses.shared_bank_imported") == 1


def test_a_question_taken_out_is_retired_and_comes_back(db, files):
    _import(files, db)
    questions = files / "QZ101" / "questions.yaml"
    original = questions.read_text(encoding="utf-8")
    questions.write_text(original.split("- id: QZ101-Q08")[0], encoding="utf-8")
    (files / "shared-bank" / "security.yaml").unlink()
    report = _import(files, db)
    assert (report.questions.retired, report.questions.unchanged) == (2, 9)
    db.session.expire_all()
    assert _question("QZ101-Q08").status is QuestionStatus.RETIRED
    assert _question("SB-SECURITY-001").status is QuestionStatus.RETIRED
    assert _count(db, Question) == 11
    assert [q.key for q in spec_from_course(find_course_by_code("QZ101")).questions] == \
        COURSE_KEYS[:7]
    questions.write_text(original, encoding="utf-8")
    again = _import(files, db)
    assert (again.questions.updated, again.questions.retired) == (1, 0)
    db.session.expire_all()
    back = _question("QZ101-Q08")
    assert (back.status, back.version) == (QuestionStatus.ACTIVE, 1)


def test_quizzes_are_updated_and_removed_with_their_files(db, files):
    _import(files, db)
    _edit(files / "QZ101" / "quizzes" / "final.yaml", "pass_mark: 60", "pass_mark: 80")
    (files / "QZ101" / "quizzes" / "practice.yaml").unlink()
    report = _import(files, db)
    assert (report.quizzes.updated, report.quizzes.removed) == (1, ["QZ101/practice"])
    db.session.expire_all()
    final = _quiz("QZ101/final")
    assert (final.pass_mark, final.version) == (80, 2)
    assert _count(db, Quiz) == 1


def test_a_quiz_with_attempts_cannot_lose_its_file(db, files, tree):
    _import(files, db)
    user = make_user(unit=tree["jiefangbei"])
    db.session.add(Attempt(quiz_id=_quiz("QZ101/practice").id, user_id=user.id, number=1,
                           seed=7, questions=[], max_score=Decimal(3)))
    db.session.commit()
    (files / "QZ101" / "quizzes" / "practice.yaml").unlink()
    with pytest.raises(CourseImportError) as caught:
        import_courses(files, actor=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{files.as_posix()}/QZ101/quizzes/practice.yaml: quiz QZ101/practice has 1 attempt(s), "
        "so its file cannot be removed; put the file back"]


def test_a_quiz_naming_a_missing_question_stops_the_whole_import(db, files, tmp_path):
    curriculum = copy_curriculum(tmp_path / "curriculum")
    for child in files.iterdir():
        child.rename(curriculum / child.name)
    _edit(curriculum / "QZ101" / "quizzes" / "final.yaml", "SB-DATA-001]",
          "SB-DATA-001, QZ101-Q99]")
    with pytest.raises(CourseImportError) as caught:
        import_courses(curriculum, actor=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{curriculum.as_posix()}/QZ101/quizzes/final.yaml:10: question QZ101-Q99 is neither "
        "in QZ101's questions.yaml nor in the shared bank"]
    db.session.rollback()
    assert (_count(db, Course), _count(db, Question), _count(db, Quiz)) == (0, 0, 0)


def test_a_draw_rule_with_too_few_questions_stops_the_import(db, files):
    _edit(files / "QZ101" / "quizzes" / "practice.yaml", "area: security, count: 2",
          "area: security, count: 4")
    with pytest.raises(CourseImportError) as caught:
        import_courses(files, actor=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{files.as_posix()}/QZ101/quizzes/practice.yaml:4: draw needs 4 active question(s) of "
        "area security from QZ101's questions; there are 3 (essays are never drawn)"]
    db.session.rollback()
    assert _count(db, Question) == 0


def test_the_shared_bank_alone_then_a_course_using_it(db, files):
    report = _import(files / "shared-bank", db)
    assert (report.created, report.shared_bank, report.questions.created) == ([], True, 3)
    assert validate_course_tree(files / "QZ101") == []
    course_report = _import(files / "QZ101", db)
    assert (course_report.shared_bank, course_report.questions.created) == (False, 8)
    assert _count(db, Question, Question.course_id.is_(None)) == 3


def test_a_shared_bank_import_may_not_take_a_question_a_stored_quiz_uses(db, files):
    _import(files, db)
    (files / "shared-bank" / "data.yaml").unlink()
    problems = validate_course_tree(files / "shared-bank")
    assert [str(p) for p in problems] == [
        f"{(files / 'shared-bank').as_posix()}: quiz QZ101/final (already imported) uses "
        "SB-DATA-001, which would leave the shared bank",
        f"{(files / 'shared-bank').as_posix()}: quiz QZ101/practice (already imported): draw "
        "needs 1 active question(s) of area data at difficulty 1 from the shared bank; there "
        "are 0 (essays are never drawn)"]


def test_export_then_import_is_unchanged(db, files, tmp_path):
    _import(files, db)
    out = tmp_path / "out"
    target = export_course(find_course_by_code("QZ101"), out)
    shared = export_shared_bank(out)
    assert sorted(p.name for p in (target / "quizzes").iterdir()) == ["final.yaml",
                                                                     "practice.yaml"]
    assert sorted(p.name for p in shared.iterdir()) == ["data.yaml", "security.yaml"]
    written = (target / "questions.yaml").read_text(encoding="utf-8")
    assert "  answer: B\n" in written and "  answer: [A, C, D]\n" in written
    assert validate_course_tree(out) == []
    report = _import(out, db)
    assert report.unchanged == ["QZ101"] and not report.questions.changed
    assert (report.questions.unchanged, report.quizzes.unchanged) == (11, 2)
    assert shared_bank_spec().questions[0].key == "SB-DATA-001"


def test_export_overwrite_removes_quiz_and_question_files_that_are_gone(db, files, tmp_path):
    _import(files, db)
    course = find_course_by_code("QZ101")
    target = export_course(course, tmp_path)
    (target / "quizzes" / "old.yaml").write_text("title: 旧测验", encoding="utf-8")
    export_course(course, tmp_path, overwrite=True)
    assert not (target / "quizzes" / "old.yaml").exists()
    (files / "QZ101" / "questions.yaml").unlink()
    (files / "QZ101" / "quizzes" / "final.yaml").unlink()
    (files / "QZ101" / "quizzes" / "practice.yaml").unlink()
    report = _import(files / "QZ101", db)
    assert (report.questions.retired, len(report.quizzes.removed)) == (8, 2)
    export_course(find_course_by_code("QZ101"), tmp_path, overwrite=True)
    assert not (target / "questions.yaml").exists()
    assert list((target / "quizzes").iterdir()) == []


def test_a_shared_question_change_moves_no_course(db, files, tmp_path):
    curriculum = copy_curriculum(tmp_path / "curriculum")
    for child in files.iterdir():
        child.rename(curriculum / child.name)
    first = _import(curriculum, db)
    assert len(first.created) == 9 and first.questions.created == 11
    _edit(curriculum / "shared-bank" / "data.yaml", "相关不等于因果。", "相关不一定意味着因果。")
    report = _import(curriculum, db)
    assert report.updated == [] and len(report.unchanged) == 9
    assert (report.questions.updated, report.questions.unchanged) == (1, 10)
    assert _question("SB-DATA-002").version == 2
