"""Learning records and competency profiles: a cadre's own, and HR's view of a cadre."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.charts import ScreenSvg
from app.domain.competency import ProficiencyLevel
from app.domain.learning import local_year
from app.domain.vocabulary import AppealRemedy, CreditKind, QuizKind, RoleName
from app.labels import label
from app.models.types import utcnow
from app.reports.charts import PHONE_RADAR, radar_svg
from app.services.core.errors import PermissionDenied
from app.services.records.learning_record import BadYear, build_learning_record, find_record_subject
from app.web.errors import refusal_says
from app.web.guards import login_required, roles_required

bp = Blueprint("records", __name__)

LEVEL_NAMES = {
    ProficiencyLevel.FOUNDATION: _l("Foundation level"),
    ProficiencyLevel.INTERMEDIATE: _l("Intermediate level"),
    ProficiencyLevel.ADVANCED: _l("Advanced level"),
    ProficiencyLevel.EXPERT: _l("Expert level"),
}
NAMES = {
    **LEVEL_NAMES,
    QuizKind.COURSE: _l("Course quiz"),
    QuizKind.ANNUAL: _l("Annual test"),
    QuizKind.EXERCISE: _l("Data exercise"),
    CreditKind.REQUIRED: _l("Required"),
    CreditKind.ELECTIVE: _l("Elective"),
    AppealRemedy.ACCEPT_ANSWER: _l("Answer accepted"),
    AppealRemedy.DROP_QUESTION: _l("Question dropped"),
    AppealRemedy.CHANGE_KEY: _l("Answer key corrected"),
}


def _render(person, *, own: bool):
    now = utcnow()
    year = request.args.get("year", local_year(now), type=int)
    try:
        record = build_learning_record(person, actor=current_user, year=year, now=now)
    except PermissionDenied:
        abort(403, description=_("This person is outside the org units you may see."))
    except BadYear as error:
        low, high = str(error).split("-")
        abort(400, description=_("The year must be between %(low)s and %(high)s.",
                                 low=low, high=high))
    axes = [(label(area), standing.mastery) for area, standing in record.profile.rows()]
    title = _("Competency profile of %(name)s", name=person.name)
    radar = ScreenSvg(radar_svg(axes, title=title),
                      radar_svg(axes, title=title, frame=PHONE_RADAR))
    return render_template("records/record.html", record=record, own=own, radar=radar,
                           names=NAMES)


@bp.get("/me")
@login_required
def me():
    return _render(current_user, own=True)


@bp.get("/<int:user_id>")
@roles_required(RoleName.HR, RoleName.ADMIN)
def person(user_id: int):
    with refusal_says(_("This person is outside the org units you may see.")):
        subject = find_record_subject(user_id, actor=current_user)
    return _render(subject, own=subject.id == current_user.id)
