"""Authoring: a course's question bank — list, write, edit, duplicate, retire, restore."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.markdown import render_markdown
from app.domain.question_sheets import check_question
from app.domain.vocabulary import CompetencyArea, QuestionStatus
from app.labels import QUESTION_TYPE_NAMES
from app.services.curriculum.authoring.questions import (
    BankFilters,
    QuestionChanged,
    QuestionInvalid,
    RetireRefused,
    create_question,
    duplicate_question,
    find_editable_question,
    list_bank,
    restore_question,
    retire_question,
    update_question,
)
from app.web.curriculum import AUTHORS, OWNERS_ONLY, bp
from app.web.curriculum.courses import editable_course_or_abort, render_course_page
from app.web.curriculum.question_forms import FORMS
from app.web.curriculum.questions.messages import issue_text
from app.web.errors import refusal_says
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits, discard_refused_work


@refusal_says(OWNERS_ONLY)
def question_or_abort(question_id: int):
    return find_editable_question(question_id, actor=current_user)


@bp.get("/courses/<code>/questions")
@roles_required(*AUTHORS)
def questions(code: str):
    course = editable_course_or_abort(code)
    filters, chosen = _filters(request.args)
    page = list_bank(course, filters, page=request.args.get("page", 1, type=int),
                     per_page=current_app.config["PAGE_SIZE"], actor=current_user)
    return render_course_page("curriculum/question_bank.html", course, "questions", page=page,
                              chosen=chosen, action_form=ActionForm(),
                              type_names=QUESTION_TYPE_NAMES)


@bp.route("/courses/<code>/questions/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def question_new(code: str):
    course = editable_course_or_abort(code)
    type_name = request.args.get("type", "single")
    if type_name not in FORMS:
        abort(404)
    form = FORMS[type_name]()
    errors, preview = {}, None
    if form.validate_on_submit():
        document, issues = _document(form, type_name)
        if request.form.get("action") == "preview":
            preview, issues = _preview(form), []
        elif not issues:
            try:
                question = create_question(course, document, actor=current_user)
            except QuestionInvalid as invalid:
                issues = invalid.issues
            else:
                flash(_("Question %(key)s saved.", key=question.key), "success")
                return redirect(url_for(".questions", code=code))
        errors = _errors(form, issues)
    return render_course_page("curriculum/question_form.html", course, "questions", form=form,
                              type_name=type_name, question=None, errors=errors, preview=preview,
                              type_names=QUESTION_TYPE_NAMES)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def question_edit(question_id: int):
    question = question_or_abort(question_id)
    form = FORMS[question.type]()
    errors, preview, conflict = {}, None, False
    if request.method == "GET":
        form.load(question)
    elif form.validate_on_submit():
        document, issues = _document(form, question.type)
        if request.form.get("action") == "preview":
            preview, issues = _preview(form), []
        elif not issues:
            try:
                changed = update_question(question, document, actor=current_user,
                                          version=_version(form))
            except QuestionInvalid as invalid:
                issues = invalid.issues
            except QuestionChanged:
                discard_refused_work()
                conflict = True
                # Saving the form again now replaces the version saved meanwhile.
                form.version.data = str(question.version)
            else:
                flash(_("Question %(key)s saved (version %(version)s).", key=question.key,
                        version=question.version) if changed
                      else _("Nothing changed in %(key)s.", key=question.key), "success")
                return redirect(url_for(".questions", code=question.course.code))
        errors = _errors(form, issues)
    return render_course_page("curriculum/question_form.html", question.course, "questions",
                              form=form, type_name=question.type, question=question,
                              errors=errors, preview=preview, conflict=conflict,
                              type_names=QUESTION_TYPE_NAMES)


@bp.post("/questions/<int:question_id>/duplicate")
@roles_required(*AUTHORS)
@commits
def question_duplicate(question_id: int):
    question = question_or_abort(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = duplicate_question(question, actor=current_user)
    flash(_("%(key)s is a copy of %(original)s: edit it here.", key=copy.key,
            original=question.key), "success")
    return redirect(url_for(".question_edit", question_id=copy.id))


@bp.post("/questions/<int:question_id>/retire")
@roles_required(*AUTHORS)
@commits
def question_retire(question_id: int):
    question = question_or_abort(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        retire_question(question, actor=current_user)
    except RetireRefused as refused:
        discard_refused_work()
        flash(_retire_refusal(question.key, refused), "danger")
    else:
        flash(_("%(key)s retired: no quiz will draw it any more. Its id stays taken.",
                key=question.key), "success")
    return redirect(url_for(".questions", code=question.course.code))


@bp.post("/questions/<int:question_id>/restore")
@roles_required(*AUTHORS)
@commits
def question_restore(question_id: int):
    question = question_or_abort(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    restore_question(question, actor=current_user)
    flash(_("%(key)s is active again.", key=question.key), "success")
    return redirect(url_for(".questions", code=question.course.code))


def _filters(args) -> tuple[BankFilters, dict]:
    """The list's filters from the query string; unknown values are ignored."""
    chosen = {name: args.get(name, "").strip() for name in ("area", "difficulty", "type",
                                                            "status", "q")}
    filters = BankFilters(text=chosen["q"][:200])
    if chosen["area"] in CompetencyArea._value2member_map_:
        filters.area = CompetencyArea(chosen["area"])
    if chosen["difficulty"] in ("1", "2", "3"):
        filters.difficulty = int(chosen["difficulty"])
    if chosen["type"] in FORMS:
        filters.type = chosen["type"]
    if chosen["status"] in ("active", "retired"):
        filters.status = QuestionStatus(chosen["status"])
    return filters, chosen


def _document(form, type_name: str):
    document, issues = form.document()
    document["type"] = type_name
    if issues:
        # Show what the file rules find too, not only what the form saw.
        issues += check_question(document)[1]
    return document, issues


def _version(form) -> int | None:
    return int(form.version.data) if (form.version.data or "").isdigit() else None


def _preview(form) -> dict:
    return {"prompt": render_markdown(form.prompt.data or ""),
            "explanation": render_markdown(form.explanation.data or "")}


def _errors(form, issues) -> dict[str, list[str]]:
    """Messages by form field ("" for the top of the form), each said once."""
    errors: dict[str, list[str]] = {}
    for issue in issues:
        messages = errors.setdefault(form.field_for(issue) or "", [])
        text = issue_text(issue)
        if text not in messages:
            messages.append(text)
    return errors


def _retire_refusal(key: str, refused: RetireRefused) -> str:
    if refused.reason == "fixed_list":
        return _("%(key)s is in the question list of the quiz “%(quiz)s” (%(code)s): take it "
                 "out of that quiz first.", key=key, quiz=refused.quiz.title,
                 code=refused.quiz.code)
    return _("Retiring %(key)s would leave the quiz “%(quiz)s” (%(code)s) short: a draw rule "
             "needs %(count)s question(s) of this area, %(left)s would be left.", key=key,
             quiz=refused.quiz.title, code=refused.quiz.code, count=refused.params["count"],
             left=refused.params["left"])
