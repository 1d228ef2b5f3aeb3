"""Taking quizzes: the quiz page, an attempt with autosave, submit and review."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.assessment import review_level
from app.domain.grading import ResponseError
from app.domain.vocabulary import AttemptState, QuizKind
from app.models.types import utcnow
from app.services.assessment.appeals import appeals_by_position, file_appeal, may_appeal
from app.services.assessment.attempts import (
    AttemptRefused,
    close_if_expired,
    find_attempt_for,
    save_answer,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.services.assessment.quizzes import find_quiz_for, quiz_status
from app.services.core.errors import ServiceError
from app.services.exercises.hints import HintRefused, hints_used, open_task_hint
from app.web.assessment.messages import (
    answer_problem,
    appeal_refusal,
    hint_refusal,
    refusal_message,
)
from app.web.assessment.presenting import raw_answers
from app.web.assessment.teaching.forms import AppealForm
from app.web.exercises.routes import render_workspace
from app.web.forms import ActionForm
from app.web.guards import login_required
from app.web.transactions import commits

bp = Blueprint("assessment", __name__)


def _quiz_or_404(quiz_id: int):
    return find_quiz_for(quiz_id, actor=current_user)


def _attempt_or_404(attempt_id: int):
    return find_attempt_for(attempt_id, actor=current_user)


@bp.get("/quizzes/<int:quiz_id>")
@login_required
def quiz(quiz_id: int):
    status = quiz_status(_quiz_or_404(quiz_id), actor=current_user)
    return render_template("assessment/quiz.html", status=status, form=ActionForm())


@bp.post("/quizzes/<int:quiz_id>/start")
@login_required
@commits
def start(quiz_id: int):
    quiz = _quiz_or_404(quiz_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".quiz", quiz_id=quiz_id))
    try:
        attempt = start_attempt(quiz, actor=current_user)
    except AttemptRefused as error:
        flash(refusal_message(str(error)), "warning")
        return redirect(url_for(".quiz", quiz_id=quiz_id))
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
@commits
def attempt(attempt_id: int):
    current = close_if_expired(_attempt_or_404(attempt_id))
    if current.state is not AttemptState.IN_PROGRESS:
        return redirect(url_for(".review", attempt_id=attempt_id))
    if current.quiz.kind is QuizKind.EXERCISE:
        return render_workspace(current)
    answers = {a.position: a.response for a in current.answers}
    return render_template("assessment/attempt.html", attempt=current, answers=answers,
                           form=ActionForm(), now=utcnow())


@bp.post("/attempts/<int:attempt_id>/answers/<int:position>")
@login_required
@commits
def autosave(attempt_id: int, position: int):
    """One answer from the page's script; JSON in and out."""
    current = _attempt_or_404(attempt_id)
    seq = request.form.get("seq", type=int)
    if seq is None or seq < 0:
        return jsonify(error=_("The save counter is missing.")), 400
    try:
        stored = save_answer(current, position, raw_answers(request.form, position),
                             client_seq=seq, actor=current_user)
    except ResponseError as error:
        return jsonify(error=answer_problem(error), code=error.code), 400
    except AttemptRefused as error:
        return jsonify(error=refusal_message(str(error)), closed=True), 409
    return jsonify(saved=stored, stale=not stored)


def _save_all(current) -> list[str]:
    """Save every question from a full form post (the no-script path); returns problems."""
    raws = {position: raw for position in range(len(current.questions))
            if (raw := raw_answers(request.form, position))}
    refused = save_answers(current, raws, client_seq=int(utcnow().timestamp() * 1000),
                           actor=current_user)
    return [_("Question %(number)s: %(problem)s", number=position + 1,
              problem=answer_problem(error)) for position, error in sorted(refused.items())]


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
@commits
def save(attempt_id: int):
    current = _attempt_or_404(attempt_id)
    if ActionForm().validate_on_submit():
        try:
            problems = _save_all(current)
        except AttemptRefused as error:
            flash(refusal_message(str(error)), "warning")
            return redirect(url_for(".attempt", attempt_id=attempt_id))
        for problem in problems:
            flash(problem, "danger")
        if not problems:
            flash(_("Your answers are saved."), "success")
    return redirect(url_for(".attempt", attempt_id=attempt_id))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
@commits
def submit(attempt_id: int):
    current = _attempt_or_404(attempt_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    try:
        problems = _save_all(current) if current.state is AttemptState.IN_PROGRESS else []
    except AttemptRefused:
        problems = []  # time is up: grade what was saved by the deadline
    if problems:
        for problem in problems:
            flash(problem, "danger")
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    try:
        submit_attempt(current, actor=current_user)
    except ServiceError:
        abort(404)
    return redirect(url_for(".review", attempt_id=attempt_id))


@bp.post("/attempts/<int:attempt_id>/tasks/<int:position>/hints/<int:number>")
@login_required
@commits
def open_hint(attempt_id: int, position: int, number: int):
    """Open a task's hint (the page states its cost and asks first). The button belongs to
    the answers' form, so what was typed is saved too, as without script it would be lost."""
    current = _attempt_or_404(attempt_id)
    back = url_for(".attempt", attempt_id=attempt_id, _anchor=f"question-{position}")
    if not ActionForm().validate_on_submit():
        return redirect(back)
    try:
        for problem in _save_all(current):
            flash(problem, "danger")
        open_task_hint(current, position, number, actor=current_user)
    except (AttemptRefused, HintRefused) as error:
        flash(hint_refusal(str(error)), "warning")
    return redirect(back)


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
@commits
def review(attempt_id: int):
    current = close_if_expired(_attempt_or_404(attempt_id))
    if current.state is AttemptState.IN_PROGRESS:
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    level = review_level(current.quiz.review, current.quiz.review_after,
                         closes_at=current.quiz.closes_at, now=utcnow())
    answers = {a.position: a for a in current.answers}
    return render_template("assessment/review.html", attempt=current, answers=answers,
                           level=level.value, appeals=appeals_by_position(current),
                           can_appeal=may_appeal(current, level), hints=hints_used(current))


@bp.post("/attempts/<int:attempt_id>/appeal/<int:position>")
@login_required
@commits
def appeal(attempt_id: int, position: int):
    current = _attempt_or_404(attempt_id)
    form = AppealForm()
    if not form.validate_on_submit():
        flash(_("Write the reason for your appeal (at most 2000 characters)."), "warning")
        return redirect(url_for(".review", attempt_id=attempt_id))
    try:
        file_appeal(current, position, form.reason.data, actor=current_user)
    except ServiceError as error:
        flash(appeal_refusal(str(error)), "warning")
        return redirect(url_for(".review", attempt_id=attempt_id))
    flash(_("Your appeal is sent to the course's trainers."), "success")
    return redirect(url_for(".review", attempt_id=attempt_id))
