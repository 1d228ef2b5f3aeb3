"""A class's completion tab for its managers: standings with filters, finishing the class,
and the two class documents (roster and attendance sheet, class summary) as PDF.

Managers are the class's creator (a trainer), HR whose scope holds the class's unit, and
admins (app.services.training.access); anyone else signed in with one of those roles gets
403, a cadre 403 by role. A member reads their own standing on the class page
(templates/training/_my_standing.html, filled by completion.standing_of_member).
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.models.types import utcnow
from app.services.appraisal.closing import YearClosed
from app.services.training.access import find_managed_class
from app.services.training.completion import class_standings, count_states, page_of
from app.services.training.documents import class_roster_pdf, class_summary_pdf
from app.services.training.finishing import ClassNotFinishable, finish_class, finish_refusal
from app.web.downloads import attachment
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.templating import plain_number
from app.web.training.completion_forms import CompletionFilterForm, FinishForm
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("class_completion", __name__)
MANAGERS = (RoleName.TRAINER, RoleName.HR, RoleName.ADMIN)
NOT_YOURS = _l("This class is run by someone else: only its creator, HR in scope and "
               "administrators manage it.")
#: Why a class cannot be finished now (ClassNotFinishable's reasons).
REFUSALS = {
    "not_open": _l("Only an open class can be finished (not a draft or a cancelled class)."),
    "no_sessions": _l("The class has no sessions: there is nothing to complete."),
    "not_over": _l("The class can be finished once its last session has ended."),
}


def _managed(class_id: int):
    with refusal_says(NOT_YOURS):
        return find_managed_class(class_id, actor=current_user)


@bp.get("/<int:class_id>/completion")
@roles_required(*MANAGERS)
def completion(class_id: int):
    training_class = _managed(class_id)
    form = CompletionFilterForm()
    if not form.validate():
        abort(400, description=form.first_error())
    now = utcnow()
    result = class_standings(training_class, actor=current_user, now=now)
    shown = [s for s in result.standings if form.selection().admits(s)]
    refusal = finish_refusal(training_class, now)
    return render_template(
        "training/completion.html", training_class=training_class,
        facts=result.facts, counts=count_states(result.standings),
        members=len(result.standings), form=form,
        page=page_of(shown, page=form.page.data or 1,
                     per_page=current_app.config["PAGE_SIZE"]),
        refusal=REFUSALS.get(refusal) if refusal else None, finish_form=FinishForm())


@bp.post("/<int:class_id>/finish")
@roles_required(*MANAGERS)
@commits
def finish(class_id: int):
    training_class = _managed(class_id)
    back = redirect(url_for(".completion", class_id=class_id))
    if not FinishForm().validate_on_submit():
        flash(_("Tick the box to confirm that the class is to be finished."), "danger")
        return back
    try:
        outcome = finish_class(training_class, actor=current_user, now=utcnow(),
                               ip=request.remote_addr)
    except ClassNotFinishable as refused:
        flash(str(REFUSALS[refused.reason]), "danger")
        return back
    except YearClosed as closed:
        discard_refused_work()
        flash(_("The appraisal year %(year)s is closed: its hours cannot change. Reopen the "
                "year first.", year=closed.year), "danger")
        return back
    if outcome.already:
        flash(_("The class was finished already; nothing changed."), "info")
    else:
        flash(_("Class finished: %(completed)s completed (%(hours)s face-to-face hours "
                "credited, %(certificates)s certificates issued); %(others)s did not.",
                completed=outcome.completed, hours=plain_number(outcome.hours),
                certificates=outcome.certificates, others=outcome.not_completed), "success")
    return back


def _pdf(content: bytes, filename: str, fallback: str):
    return current_app.response_class(content, mimetype="application/pdf", headers={
        "Content-Disposition": attachment(filename, fallback),
        "Cache-Control": "private, no-store"})


@bp.get("/<int:class_id>/documents/attendance-sheet.pdf")
@roles_required(*MANAGERS)
@commits
def attendance_sheet(class_id: int):
    training_class = _managed(class_id)
    pdf = class_roster_pdf(training_class, actor=current_user, now=utcnow(),
                           generated_by=current_user.name, ip=request.remote_addr)
    return _pdf(pdf, f"{training_class.title}-学员名册及签到表.pdf",
                f"class-{training_class.id}-attendance-sheet.pdf")


@bp.get("/<int:class_id>/documents/summary.pdf")
@roles_required(*MANAGERS)
@commits
def summary(class_id: int):
    training_class = _managed(class_id)
    pdf = class_summary_pdf(training_class, actor=current_user, now=utcnow(),
                            generated_by=current_user.name, ip=request.remote_addr)
    return _pdf(pdf, f"{training_class.title}-培训班总结.pdf",
                f"class-{training_class.id}-summary.pdf")
