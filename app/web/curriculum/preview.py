"""Authoring: preview a quiz or exercise as a learner would get it for one seed, answer
it and see the review. Nothing is saved: every page here only reads."""

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.domain.markdown import render_markdown
from app.services.curriculum.authoring.preview import (
    PreviewUnavailable,
    browse_preview_table,
    build_preview,
    find_previewable_quiz,
    grade_preview,
    new_seed,
    preview_data,
    run_preview_query,
)
from app.services.exercises.sandbox import SandboxError
from app.web.assessment.messages import answer_problem
from app.web.assessment.presenting import raw_answers
from app.web.curriculum import AUTHORS, bp
from app.web.curriculum.quizzes import editable_quiz_or_abort
from app.web.forms import ActionForm
from app.web.guards import roles_required


def _preview_or_abort(quiz_id: int, seed: int):
    """(quiz, preview) — preview None with a reason when a learner would be refused."""
    quiz = editable_quiz_or_abort(find_previewable_quiz, quiz_id)
    try:
        return quiz, build_preview(quiz, seed), None
    except PreviewUnavailable as refusal:
        return quiz, None, _unavailable(str(refusal))


def _unavailable(reason: str) -> str:
    messages = {
        "questions_missing": _("Some questions of this quiz no longer exist or are retired: "
                               "edit the quiz's question list."),
        "not_enough_questions": _("The banks have too few active questions for the draw "
                                  "rules: edit the rules or add questions."),
        "exercise_unavailable": _("The data or a task's reference answer cannot be computed "
                                  "for this seed: check the tasks in the editor."),
    }
    return messages.get(reason, _("A learner could not start this now."))


@bp.post("/quizzes/<int:quiz_id>/preview")
@roles_required(*AUTHORS)
def preview_start(quiz_id: int):
    """A fresh random seed, as a new attempt would get."""
    editable_quiz_or_abort(find_previewable_quiz, quiz_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return redirect(url_for(".preview", quiz_id=quiz_id, seed=new_seed()))


@bp.get("/quizzes/<int:quiz_id>/preview/<int:seed>")
@roles_required(*AUTHORS)
def preview(quiz_id: int, seed: int):
    return _preview_page(*_preview_or_abort(quiz_id, seed))


def _preview_page(quiz, preview, unavailable, *, result: dict | None = None):
    context = {}
    if preview is not None and preview.is_exercise:
        table = browse_preview_table(preview, request.args.get("table"),
                                     request.args.get("page", 1, type=int) or 1)
        context = {"data": preview_data(preview), "table": table,
                   "brief_html": render_markdown(quiz.exercise.brief)}
    return render_template("curriculum/preview_quiz.html", quiz=quiz, preview=preview,
                           unavailable=unavailable, form=ActionForm(), result=result,
                           form_values=request.form, **context)


@bp.post("/quizzes/<int:quiz_id>/preview/<int:seed>/query")
@roles_required(*AUTHORS)
def preview_query(quiz_id: int, seed: int):
    """The exercise's SQL console on this seed's data."""
    quiz, preview, unavailable = _preview_or_abort(quiz_id, seed)
    if preview is None or not preview.is_exercise:
        abort(404)
    sql = request.form.get("sql", "")
    try:
        shown = run_preview_query(preview, sql)
    except SandboxError as error:
        result = {"error": error.message(str(get_locale() or "zh")), "sql": sql}
    else:
        result = {"columns": shown.columns, "rows": shown.rows, "truncated": shown.truncated,
                  "elapsed_ms": shown.elapsed_ms, "sql": sql}
    if request.headers.get("X-Requested-With") == "fetch":
        return jsonify(html=render_template("exercises/_result.html", result=result),
                       ok="error" not in result)
    return _preview_page(quiz, preview, unavailable, result=result)


@bp.post("/quizzes/<int:quiz_id>/preview/<int:seed>/check")
@roles_required(*AUTHORS)
def preview_check(quiz_id: int, seed: int):
    """Grade the posted answers in memory and show the review a learner would get."""
    quiz, preview, unavailable = _preview_or_abort(quiz_id, seed)
    if preview is None or not ActionForm().validate_on_submit():
        return redirect(url_for(".preview", quiz_id=quiz_id, seed=seed))
    raw = {position: raw_answers(request.form, position)
           for position in range(len(preview.items))}
    result = grade_preview(preview, raw)
    answers = {position: {"response": checked.response, "detail": checked.detail,
                          "points": checked.points,
                          "problem": answer_problem(checked.problem) if checked.problem else None}
               for position, checked in enumerate(result.items)}
    return render_template("curriculum/preview_review.html", quiz=quiz, preview=preview,
                           result=result, answers=answers, level="full", form=ActionForm())
