"""A course's status: publish (only when the course files would validate), archive, back
to draft.

Publishing checks the course with the very validator `flask courses validate` runs: the
course is written out as its folder, parsed back, and cross-checked against the
database (prerequisites, quiz questions and draw rules, exercise reference queries). So
a course published here imports cleanly, and a course that would not import stays a draft.
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.course_files import (
    Problem,
    check_assessments,
    check_prerequisites,
    parse_course_folder,
    serialize_course,
)
from app.domain.course_files.lessons import lesson_name
from app.domain.course_files.media import described_videos
from app.domain.vocabulary import CourseStatus
from app.extensions import db
from app.models import Course, User
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.courses import refresh_course_content
from app.services.curriculum.course_files.exercises import check_exercises
from app.services.curriculum.course_files.exporting import spec_from_course
from app.services.curriculum.course_files.importing import stored_prerequisite_edges
from app.services.curriculum.course_files.questions import stored_questions, stored_quizzes


class CourseNotPublishable(ServiceError):
    """The course has problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class ProblemView:
    """A problem as the publish page shows it: which part of the course, where, what."""

    #: course | lesson | questions | quizzes | exercises | assets | other
    part: str
    #: The file inside the course folder, e.g. "lessons/02-sharing.md".
    file: str
    line: int | None
    message: str
    lesson_number: int | None = None

    @property
    def location(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


def course_folder(course: Course) -> str:
    """Where problems say the files are, as `flask courses validate courses/` would."""
    return f"courses/{course.code}"


def validate_course_content(course: Course) -> list[Problem]:
    """Every problem `flask courses validate` would report for this course's files."""
    prefix = course_folder(course)
    spec = spec_from_course(course)
    parsed = parse_course_folder(serialize_course(spec), folder=course.code, prefix=prefix,
                                 videos=described_videos(spec.lessons))
    if isinstance(parsed, list):
        return parsed
    specs = {course.code: parsed}
    known = set(db.session.scalars(select(Course.code)))
    problems = check_prerequisites(specs, known, stored_prerequisite_edges())
    problems += check_assessments(specs, None, stored_questions(), stored_quizzes())
    problems += check_exercises(specs, with_database=True)
    return problems


def describe_problems(course: Course, problems: list[Problem]) -> list[ProblemView]:
    prefix = course_folder(course) + "/"
    views = []
    for problem in problems:
        file = problem.file.removeprefix(prefix)
        top = file.split("/", 1)[0]
        name = lesson_name(file) if top == "lessons" else None
        part = {"course.yaml": "course", "lessons": "lesson", "questions.yaml": "questions",
                "quizzes": "quizzes", "exercises": "exercises", "assets": "assets"}.get(top,
                                                                                   "other")
        views.append(ProblemView(part=part, file=file, line=problem.line,
                                 message=problem.message,
                                 lesson_number=name.number if name else None))
    return views


def do_publish_course(course: Course, *, actor: User) -> None:
    """Publish the course, or raise CourseNotPublishable with every problem."""
    ensure_may_edit(actor, course)
    problems = validate_course_content(course)
    if problems:
        raise CourseNotPublishable(problems)
    _set_status(course, CourseStatus.PUBLISHED, "authoring.course_published", actor)


def archive_course(course: Course, *, actor: User) -> None:
    """Out of the catalogue; cadres who took it keep reading it."""
    ensure_may_edit(actor, course)
    _set_status(course, CourseStatus.ARCHIVED, "authoring.course_archived", actor)


def unpublish_course(course: Course, *, actor: User) -> None:
    """Back to draft: only trainers and administrators see it."""
    ensure_may_edit(actor, course)
    _set_status(course, CourseStatus.DRAFT, "authoring.course_unpublished", actor)


def _set_status(course: Course, status: CourseStatus, action: str, actor: User) -> None:
    if course.status is status:
        return
    previous = course.status
    course.status = status
    # The status is written in course.yaml, so the hash follows it; the content a learner
    # sees did not change, so the version stays.
    refresh_course_content(course, bump=False)
    record_event(action, actor=actor, target=f"course:{course.code}",
                 details={"from": previous.value, "to": status.value,
                          "version": course.version})
