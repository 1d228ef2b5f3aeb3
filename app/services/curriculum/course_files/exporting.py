"""Courses and the shared bank back to files (export), so they round-trip through import."""

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.domain.course_files import (
    SHARED_BANK_DIR,
    AssetSpec,
    CourseSpec,
    DrawRule,
    LessonSpec,
    QuestionSpec,
    QuizSpec,
    SharedBankSpec,
    lesson_path,
    serialize_course,
    serialize_shared_bank,
)
from app.domain.course_files.spec import DatasetTable, ExerciseSpec, TaskSpec
from app.domain.exercise_tasks.hints import Hint
from app.domain.vocabulary import (
    CompetencyArea,
    HoursRule,
    QuestionStatus,
    QuizKind,
    Rank,
    WorkCategory,
)
from app.extensions import db
from app.models import Course, Lesson, Question, Quiz
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.videos import (
    copy_lesson_videos,
    lesson_video_files,
    lesson_video_spec,
)

#: The files and folders export owns in a course folder; others (README.md) are left alone.
_COURSE_FOLDERS = ("lessons", "assets", "media", "quizzes", "exercises", "exercises/data")
_COURSE_FILES = ("questions.yaml",)


def spec_from_course(course: Course) -> CourseSpec:
    """The course as course files would describe it (the database → files direction)."""
    return CourseSpec(
        code=course.code, title=course.title, summary=course.summary, tier=course.tier,
        areas=list(course.area_names), kind=course.kind, status=course.status,
        core=course.core, hours_rule=course.hours_rule,
        hours=course.hours if course.hours_rule is HoursRule.DECLARED else None,
        audience_ranks=[Rank(rank) for rank in course.audience_ranks],
        audience_categories=[WorkCategory(category) for category in course.audience_categories],
        prerequisites=sorted(prerequisite.code for prerequisite in course.prerequisites),
        lessons=[_lesson_spec(lesson) for lesson in course.lessons],
        assets=sorted((AssetSpec(filename=asset.filename, content_type=asset.content_type,
                                 data=asset.data, sha256=asset.sha256)
                       for asset in course.assets), key=lambda asset: asset.filename),
        questions=_active_questions(Question.course_id == course.id),
        quizzes=sorted((_quiz_spec(quiz, course.code) for quiz in db.session.scalars(
            select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == QuizKind.COURSE))),
            key=lambda quiz: quiz.slug),
        exercises=sorted((exercise_spec(quiz, course.code) for quiz in db.session.scalars(
            select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == QuizKind.EXERCISE))),
            key=lambda exercise: exercise.slug),
    )


def shared_bank_spec() -> SharedBankSpec:
    """The shared bank's active questions, as shared-bank/ would describe them."""
    return SharedBankSpec(questions=_active_questions(Question.course_id.is_(None)))


def _active_questions(in_bank) -> list[QuestionSpec]:
    # Sorted here, not by the database: collations differ, the files' order must not.
    rows = db.session.scalars(select(Question).where(in_bank,
                                                     Question.status == QuestionStatus.ACTIVE))
    return sorted((QuestionSpec(key=row.key, type=row.type, area=row.area,
                                difficulty=row.difficulty, points=row.points, prompt=row.prompt,
                                explanation=row.explanation or "", spec=row.spec)
                   for row in rows), key=lambda question: question.key)


def _quiz_spec(quiz: Quiz, course_code: str) -> QuizSpec:
    return QuizSpec(
        course_code=course_code, slug=quiz.code.split("/", 1)[-1], title=quiz.title,
        graded=quiz.graded, pass_mark=quiz.pass_mark,
        time_limit_minutes=quiz.time_limit_minutes, max_attempts=quiz.max_attempts,
        grading_method=quiz.grading_method, review=quiz.review, review_after=quiz.review_after,
        shuffle=quiz.shuffle, question_keys=list(quiz.question_keys or []),
        draw=[DrawRule(bank=rule["bank"], area=CompetencyArea(rule["area"]),
                       difficulty=rule.get("difficulty"), count=rule["count"])
              for rule in quiz.draw_rules or []])


def exercise_spec(quiz: Quiz, course_code: str) -> ExerciseSpec:
    exercise = quiz.exercise
    return ExerciseSpec(
        course_code=course_code, slug=quiz.code.split("/", 1)[-1], title=quiz.title,
        brief=exercise.brief, scenario=exercise.scenario_key,
        params=dict(exercise.scenario_params or {}),
        dataset=[DatasetTable(name=table["name"], label=table["label"], file=table["file"],
                              columns=tuple(tuple(column) for column in table["columns"]),
                              rows=tuple(tuple(row) for row in table["rows"]))
                 for table in exercise.dataset or []],
        tasks=[TaskSpec(id=task["id"], type=task["type"], area=CompetencyArea(task["area"]),
                        points=Decimal(str(task["points"])), prompt=task["prompt"],
                        explanation=task["explanation"], reference_sql=task["reference_sql"],
                        options_sql=task["options_sql"], spec=dict(task["spec"]),
                        hints=[Hint.of(hint) for hint in task.get("hints") or []],
                        builder_solution=task.get("builder_solution"), twin=task.get("twin"))
               for task in exercise.tasks],
        graded=quiz.graded, pass_mark=quiz.pass_mark,
        time_limit_minutes=quiz.time_limit_minutes, max_attempts=quiz.max_attempts,
        grading_method=quiz.grading_method, review=quiz.review, review_after=quiz.review_after)


def _lesson_spec(lesson: Lesson) -> LessonSpec:
    return LessonSpec(number=lesson.number, slug=lesson.slug, title=lesson.title,
                      minutes=lesson.minutes, body_markdown=lesson.body_markdown,
                      path=lesson_path(lesson.number, lesson.slug),
                      video=lesson_video_spec(lesson))


def export_course(course: Course, dest: Path, *, overwrite: bool = False) -> Path:
    """Write dest/<CODE>/ (course.yaml, lessons/, assets/, media/, questions.yaml, quizzes/)."""
    target = _target(dest / course.code, overwrite)
    files = serialize_course(spec_from_course(course))
    videos = lesson_video_files(course)  # checked before anything is written
    _remove_stale_files(target, {**files, **dict.fromkeys(videos, b"")},
                        folders=_COURSE_FOLDERS, names=_COURSE_FILES)
    _write(target, files)
    copy_lesson_videos(videos, target)
    return target


def export_shared_bank(dest: Path, *, overwrite: bool = False) -> Path:
    """Write dest/shared-bank/<area>.yaml for each area with active questions."""
    target = _target(dest / SHARED_BANK_DIR, overwrite)
    files = serialize_shared_bank(shared_bank_spec())
    _remove_stale_files(target, files, folders=(),
                        names=tuple(f"{area.value}.yaml" for area in CompetencyArea))
    _write(target, files)
    return target


def _target(target: Path, overwrite: bool) -> Path:
    if target.exists() and not target.is_dir():
        raise ServiceError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        raise ServiceError(f"{target} is not empty; choose another folder or overwrite it")
    return target


def _write(target: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        file = target / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)


def _remove_stale_files(target: Path, files: dict[str, bytes], *, folders: tuple[str, ...],
                        names: tuple[str, ...]) -> None:
    # Overwriting must not leave a deleted lesson, asset, quiz or question file behind, or
    # the next import would bring it back; other files (README.md) are not ours to remove.
    for folder in folders:
        for file in (target / folder).glob("*") if (target / folder).is_dir() else ():
            if file.is_file() and f"{folder}/{file.name}" not in files:
                file.unlink()
    for name in names:
        if (target / name).is_file() and name not in files:
            (target / name).unlink()
