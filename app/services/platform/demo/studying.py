"""One demo cadre studying one course through the real use cases: enrol, read every lesson,
take the course quiz and the data exercises (retaking a failed one), appeal a wrong answer
now and then, write the essay a quiz asks for."""

from decimal import Decimal

from sqlalchemy import select

from app.domain.demo_study import (
    RETAKE_BOOSTS,
    answer_draw,
    appeals,
    chance,
    right_answers,
    skill_of,
)
from app.domain.vocabulary import AttemptState, QuizKind
from app.extensions import db
from app.models import AttemptAnswer, Course, Quiz, User
from app.services.assessment.appeals import file_appeal
from app.services.assessment.attempts import (
    AttemptRefused,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.services.core.errors import ServiceError
from app.services.exercises.tasks import is_task
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.platform.demo.answers import demo_essay, demo_response, demo_task_response

#: Data tasks are harder than quiz questions: the chance of a right one is this much lower.
TASK_DIFFICULTY = 0.05
APPEAL_REASONS = ("我的答案与题目要求一致，只是表述方式不同，请复核。",
                  "我按题目给出的口径重新算了一遍，结果与我提交的一致，请老师复核参考答案。",
                  "题目对统计口径的说明不够清楚，我的理解也说得通，请考虑给分。")


def study_course(person: User, course: Course, *, exercises: bool = True) -> int:
    """The cadre studies the course (unless already completed); returns attempts submitted."""
    try:
        enrollment = enroll_in_course(course, actor=person)
    except ServiceError:
        return 0  # not eligible (a prerequisite missing): a real cadre could not either
    if enrollment.completed_at is not None:
        return 0
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=person)
    taken = 0
    for quiz in _required_quizzes(course, exercises=exercises):
        draw_key = course.code if quiz.kind is QuizKind.COURSE else quiz.code
        taken += take_quiz(person, quiz, draw_key)
    return taken


def _required_quizzes(course: Course, *, exercises: bool) -> list[Quiz]:
    kinds = [QuizKind.COURSE, QuizKind.EXERCISE] if exercises else [QuizKind.COURSE]
    return list(db.session.scalars(select(Quiz).where(
        Quiz.course_id == course.id, Quiz.graded.is_(True), Quiz.kind.in_(kinds))
        .order_by(Quiz.kind, Quiz.id)))


def take_quiz(person: User, quiz: Quiz, draw_key: str) -> int:
    """Attempts until passed, out of retakes, or waiting for the trainer; returns how many."""
    draw = answer_draw(person.username, draw_key)
    skill = skill_of(person.username)
    taken, attempt = 0, None
    for boost in RETAKE_BOOSTS:  # a second try after a failed first one (a retake)
        try:
            attempt = start_attempt(quiz, actor=person)
        except AttemptRefused:
            break  # no attempts left (used up last year): as for anyone

        chance_right = skill + boost - (TASK_DIFFICULTY if quiz.kind is QuizKind.EXERCISE else 0)
        rights = right_answers(draw, len(attempt.questions), chance_right, 0)
        # The whole form at once, as the page posts it on submitting.
        raws = {position: raw for position, item in enumerate(attempt.questions)
                if (raw := _response(person, item, rights[position])) is not None}
        refused = save_answers(attempt, raws, client_seq=1, actor=person)
        if refused:  # the demo's answers are the form's own values: a refusal is our bug
            raise RuntimeError(f"a demo answer was refused: {refused}")
        submit_attempt(attempt, actor=person)
        taken += 1
        if attempt.state is not AttemptState.GRADED:
            return taken  # an essay waits for the trainer
        if attempt.passed:
            break
    if attempt is not None and appeals(person.username, quiz.code):
        _appeal_first_lost_point(person, attempt)
    return taken


def _response(person: User, item: dict, correct: bool) -> dict | None:
    if is_task(item):
        return demo_task_response(item, correct=correct)
    if item["type"] == "essay":
        return demo_essay(chance(person.username + ":essay"))
    return demo_response(item, correct=correct)


def _appeal_first_lost_point(person: User, attempt) -> None:
    answers = {a.position: a for a in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    for position, item in enumerate(attempt.questions):
        answer = answers.get(position)
        if answer is None or answer.points is None:
            continue
        if answer.points < Decimal(str(item["points"])):
            reason = APPEAL_REASONS[int(chance(f"{person.username}:{attempt.id}:reason")
                                        * len(APPEAL_REASONS))]
            file_appeal(attempt, position, reason, actor=person)
            return
