"""A year of learning for the generated demo cadres, so dashboards and reports have something
to show on a fresh `make run`.

Everything goes through the real use cases (enrolling, reading lessons, taking the course
quiz, grading, completion, hours, certificates, the appraisal), so the demo data is what
those produce and nothing is written behind their backs. Which courses a cadre takes and how
well they answer come from a hash of their username; the quizzes shuffle as they always do,
so the exact scores differ from one seeding to the next.
"""

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select

from app.domain.appraisal import default_scheme
from app.domain.demo_study import (
    DEMO_STUDY,
    GENERATED_PREFIX,
    RETAKE_BOOSTS,
    answer_draw,
    courses_taken,
    right_answers,
    skill_of,
)
from app.domain.learning import local_year
from app.domain.vocabulary import QuizKind
from app.extensions import db
from app.models import Course, Quiz, User
from app.models.types import utcnow
from app.services.appraisal.run import run_appraisal
from app.services.appraisal.schemes import RANKS, save_scheme, schemes_of_year
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.errors import ServiceError
from app.services.learning.enrollment import complete_lesson, enroll_in_course

#: The demo year's hours target: the demo cadres complete two courses at most (9 hours; SE220
#: also needs its data exercise, which they leave), so against the default 50 hours everyone
#: would be rated 不合格. The admin edits it on the scheme page.
DEMO_HOURS_TARGET = 8


def seed_demo_activity(*, progress: Callable[[int], None] | None = None) -> int:
    """Let the generated cadres study; returns how many quiz attempts they submitted."""
    people = list(db.session.scalars(select(User).where(
        User.username.like(f"{GENERATED_PREFIX}%")).order_by(User.username)))
    attempts = study_as_demo_cadres(people, progress=progress)
    run_demo_appraisal()
    return attempts


def study_as_demo_cadres(people: list[User], *,
                         progress: Callable[[int], None] | None = None) -> int:
    """These cadres study through the real use cases; returns the attempts submitted."""
    courses = {c.code: c for c in db.session.scalars(
        select(Course).where(Course.code.in_([code for code, _ in DEMO_STUDY])))}
    quizzes = {code: _graded_quiz(course) for code, course in courses.items()}
    attempts = 0
    for done, person in enumerate(people, start=1):
        skill = skill_of(person.username)
        for code in courses_taken(person.username):
            if code in courses:
                attempts += _study(person, courses[code], quizzes[code], skill)
        if progress is not None:
            progress(done)
    return attempts


def run_demo_appraisal() -> None:
    """This year's appraisal of every cadre, under the demo scheme unless one was edited."""
    year = local_year(utcnow())
    _demo_scheme(year)
    run_appraisal(year, unit=None, actor=None, now=utcnow())


def _demo_scheme(year: int) -> None:
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    if admin is not None and None not in schemes_of_year(year):  # keep an edited scheme
        scheme = replace(default_scheme(RANKS),
                         hours_targets={rank: DEMO_HOURS_TARGET for rank in RANKS})
        save_scheme(year, None, scheme, actor=admin)


def _graded_quiz(course: Course) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(
        Quiz.course_id == course.id, Quiz.kind == QuizKind.COURSE, Quiz.graded.is_(True))
        .order_by(Quiz.id).limit(1))


def _study(person: User, course: Course, quiz: Quiz | None, skill: float) -> int:
    try:
        enrollment = enroll_in_course(course, actor=person)
    except ServiceError:
        return 0  # not eligible (a prerequisite missing): a real cadre could not either
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=person)
    if quiz is None:
        return 0
    draw = answer_draw(person.username, course.code)
    taken = 0
    for boost in RETAKE_BOOSTS:  # a second try after a failed first one (a retake)
        attempt = start_attempt(quiz, actor=person)
        rights = right_answers(draw, len(attempt.questions), skill, boost)
        for position, item in enumerate(attempt.questions):
            raw = demo_response(item, correct=rights[position])
            if raw is not None:
                save_answer(attempt, position, raw, client_seq=1, actor=person)
        submit_attempt(attempt, actor=person)
        taken += 1
        if attempt.passed or enrollment.completed_at is not None:
            break
    return taken


def demo_response(item: dict, *, correct: bool) -> dict | None:
    """What a cadre would post for one snapshot item: right, or plausibly wrong."""
    kind, spec, display = item["type"], item["spec"], item["display"]
    if kind == "single":
        index = spec["answer"] if correct else (spec["answer"] + 1) % len(spec["options"])
        return {"value": [display["ids"][index]]}
    if kind == "multiple":
        wrong = [i for i in range(len(spec["options"])) if i not in spec["answer"]][:1]
        return {"value": [display["ids"][i] for i in (spec["answer"] if correct else wrong)]}
    if kind == "truefalse":
        return {"value": ["true" if spec["answer"] == correct else "false"]}
    if kind == "fill":
        return {"value": [spec["answers"][0] if correct else "不清楚"]}
    if kind == "numeric":
        return {"value": [str(spec["answer"] if correct else spec["answer"] + 1000)]}
    if kind == "ordering":
        order = list(range(len(spec["items"])))
        return {"order": [display["ids"][i] for i in (order if correct else order[::-1])]}
    if kind == "matching":
        count = len(display["term_ids"])
        return {f"match-{term}": [display["definition_ids"][i if correct else (i + 1) % count]]
                for i, term in enumerate(display["term_ids"])}
    return None  # essays and tasks: left unanswered in the demo
