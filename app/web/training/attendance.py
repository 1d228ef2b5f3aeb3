"""QR check-in (issue 20): the projector page a class's organizer shows in the room, its
state polled by our script, and the phone page a cadre's scan opens.

The phone page answers anyone (an anonymous scan is stamped, then sent through the sign-in
page and back); its button is for signed-in cadres. The projector and its state are for
the class's managers (app.services.training.access).
"""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.labels import label
from app.models.types import utcnow
from app.services.training.attendance import (
    check_in_by_code,
    current_code,
    find_managed_session,
    find_own_attendance,
    find_scanned_session,
    stamp_for_scan,
)
from app.services.training.attendance_sheet import count_session_attendance, latest_refusals
from app.web.errors import refusal_says
from app.web.guards import login_required, public, roles_required
from app.web.templating import local_datetime
from app.web.training.attendance_forms import CheckInForm
from app.web.training.attendance_words import check_in_answer
from app.web.training.check_in_qr import check_in_url, qr_svg
from app.web.transactions import commits

bp = Blueprint("attendance", __name__)
MANAGER_ROLES = (RoleName.TRAINER, RoleName.HR, RoleName.ADMIN)
#: How often the projector asks for its state (it also asks as a window ends).
POLL_SECONDS = 3


def managed_session(class_id: int, session_id: int):
    with refusal_says(_("Only the organizers of this class may open its attendance.")):
        return find_managed_session(class_id, session_id, actor=current_user)


def _state(session) -> dict:
    """What the projector shows now: the code's address and drawing, the seconds it has
    left, the counts, and the newest refused scans (for the organizer's eyes)."""
    shown = current_code(session, now=utcnow())
    url = check_in_url(session, shown)
    counts = count_session_attendance(session)
    return {
        "window": shown.window, "seconds_left": shown.seconds_left, "url": url,
        "svg": qr_svg(url),
        "counts": {"enrolled": counts.enrolled, "present": counts.present,
                   "late": counts.late, "leave": counts.leave, "absent": counts.absent,
                   "checked_in": counts.checked_in},
        "refusals": [{"name": line.name, "username": line.username,
                      "reason": label(line.refusal),
                      "time": local_datetime(line.attempted_at, "HH:mm:ss")}
                     for line in latest_refusals(session)],
    }


@bp.get("/<int:class_id>/sessions/<int:session_id>/check-in")
@roles_required(*MANAGER_ROLES)
def projector(class_id: int, session_id: int):
    session = managed_session(class_id, session_id)
    return render_template("training/attendance/projector.html", class_session=session,
                           training_class=session.training_class, state=_state(session),
                           poll_seconds=POLL_SECONDS)


@bp.get("/<int:class_id>/sessions/<int:session_id>/check-in/state")
@roles_required(*MANAGER_ROLES)
def state(class_id: int, session_id: int):
    return jsonify(_state(managed_session(class_id, session_id)))


@bp.get("/check-in/<int:session_id>/<int:window>/<code>")
@public
def scan(session_id: int, window: int, code: str):
    session = find_scanned_session(session_id)
    stamp = stamp_for_scan(session, window, code, request.args.get("s"), now=utcnow())
    if not current_user.is_authenticated:
        flash(_("Sign in to check in; you come back to this page."), "info")
        stamped = {"s": stamp} if stamp else {}
        return redirect(url_for("auth.login", next=url_for(
            ".scan", session_id=session_id, window=window, code=code, **stamped)))
    return render_template("training/attendance/scan.html", class_session=session,
                           training_class=session.training_class,
                           attendance=find_own_attendance(session, current_user),
                           form=CheckInForm(stamp=stamp))


@bp.post("/check-in/<int:session_id>/<int:window>/<code>")
@login_required
@commits
def check_in(session_id: int, window: int, code: str):
    session = find_scanned_session(session_id)
    form = CheckInForm()
    stamp = form.stamp.data if form.validate() else None
    result = check_in_by_code(session, window, code, actor=current_user, now=utcnow(),
                              stamp=stamp, ip=request.remote_addr)
    return render_template("training/attendance/scan_result.html", class_session=session,
                           training_class=session.training_class,
                           answer=check_in_answer(result, session))
