"""Administration: the audit log (users, roles and the org tree come with the admin issue)."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.services.audit_log import list_audit_events
from app.web.guards import roles_required

bp = Blueprint("admin", __name__)


@bp.get("/audit")
@roles_required(RoleName.ADMIN)
def audit():
    page = request.args.get("page", 1, type=int)
    action = request.args.get("action", "").strip()
    result = list_audit_events(actor=current_user, action_prefix=action, page=page,
                               per_page=current_app.config["PAGE_SIZE"])
    return render_template("admin/audit.html", result=result, action=action)
