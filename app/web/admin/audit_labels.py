"""Readable names for audit actions and a compact view of an event's details."""

import json
from collections.abc import Callable, Mapping

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "access.refused": _l("Access refused"),
    "audit.exported": _l("Audit log exported"),
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.login_refused_locked": _l("Sign-in refused: account locked"),
    "auth.login_refused_inactive": _l("Sign-in refused: account deactivated"),
    "auth.locked": _l("Account locked after failed sign-ins"),
    "auth.logout": _l("Signed out"),
    "auth.password_changed": _l("Password changed"),
    "password.reset": _l("Password reset"),
    "users.created": _l("User created"),
    "users.updated": _l("User updated"),
    "users.deactivated": _l("User deactivated"),
    "users.reactivated": _l("User reactivated"),
    "roles.granted": _l("Role granted"),
    "roles.revoked": _l("Role revoked"),
    "org.created": _l("Org unit created"),
    "org.unit_created": _l("Org unit created"),
    "org.renamed": _l("Org unit renamed"),
    "org.moved": _l("Org unit moved"),
    "org.unit_moved": _l("Org unit moved"),
    "org.deactivated": _l("Org unit deactivated"),
    "org.reactivated": _l("Org unit reactivated"),
    "roster.imported": _l("Roster imported"),
    "courses.imported": _l("Course imported"),
    "courses.shared_bank_imported": _l("Shared question bank imported"),
    "authoring.course_created": _l("Course created"),
    "authoring.course_edited": _l("Course edited"),
    "authoring.course_published": _l("Course published"),
    "authoring.course_archived": _l("Course archived"),
    "authoring.course_unpublished": _l("Course returned to draft"),
    "authoring.course_owner_added": _l("Course owner added"),
    "authoring.course_owner_removed": _l("Course owner removed"),
    "authoring.course_image_uploaded": _l("Course image uploaded"),
    "authoring.lesson_created": _l("Lesson created"),
    "authoring.lesson_edited": _l("Lesson edited"),
    "authoring.lesson_moved": _l("Lesson moved"),
    "authoring.lesson_deleted": _l("Lesson deleted"),
    "authoring.question_created": _l("Question created"),
    "authoring.question_updated": _l("Question updated"),
    "authoring.question_duplicated": _l("Question duplicated"),
    "authoring.question_retired": _l("Question retired"),
    "authoring.question_restored": _l("Question restored"),
    "authoring.questions_imported": _l("Questions imported"),
    "authoring.quiz_created": _l("Quiz created"),
    "authoring.quiz_edited": _l("Quiz edited"),
    "authoring.exercise_created": _l("Data exercise created"),
    "authoring.exercise_edited": _l("Data exercise edited"),
    "learning.enrolled": _l("Enrolled in a course"),
    "learning.left": _l("Left a course"),
    "learning.completed": _l("Course completed"),
    "learning.completion_withdrawn": _l("Course completion withdrawn"),
    "plans.created": _l("Training plan created"),
    "plans.updated": _l("Training plan updated"),
    "assessment.accommodation_set": _l("Extra time set"),
    "assessment.annual_test_created": _l("Annual test created"),
    "assessment.essay_graded": _l("Essay graded"),
    "assessment.appeal_filed": _l("Appeal filed"),
    "assessment.appeal_rejected": _l("Appeal rejected"),
    "assessment.appeal_upheld": _l("Appeal upheld (regraded)"),
    "sandbox.refused": _l("SQL query refused by the sandbox"),
    "appraisal.scheme_saved": _l("Appraisal scheme saved"),
    "appraisal.run": _l("Appraisal run"),
    "appraisal.exemption_granted": _l("Appraisal exemption granted"),
    "appraisal.plan_extended": _l("Plan due date extended"),
    "appraisal.year_closed": _l("Appraisal year closed"),
    "appraisal.year_reopened": _l("Appraisal year reopened"),
    "commendation.proposed": _l("Commendation list proposed"),
    "commendation.added": _l("Added to a commendation list"),
    "commendation.removed": _l("Removed from a commendation list"),
    "commendation.confirmed": _l("Commendation list confirmed"),
    "certificate.issued": _l("Certificate issued"),
    "certificate.reissued": _l("Certificate reissued"),
    "certificate.revoked": _l("Certificate revoked"),
    "report.downloaded": _l("Report downloaded"),
    "backup.created": _l("Backup created"),
    "backup.restored": _l("Backup restored"),
}

#: For actions without their own label: the area they belong to.
AREA_LABELS = {
    "access": _l("Access"),
    "audit": _l("Audit log"),
    "auth": _l("Sign-in"),
    "users": _l("Users"),
    "roles": _l("Roles"),
    "org": _l("Org units"),
    "authoring": _l("Authoring"),
    "courses": _l("Courses"),
    "learning": _l("Learning"),
    "plans": _l("Training plans"),
    "assessment": _l("Assessment"),
    "appraisal": _l("Appraisal"),
    "commendation": _l("Commendation"),
    "certificate": _l("Certificates"),
    "report": _l("Reports"),
}

#: A detail value longer than this is cut in the table (the CSV export keeps it whole).
DETAIL_CHARS = 120


def action_label(action: str) -> str:
    return _label(action, ACTION_LABELS, AREA_LABELS)


def translated_action_label() -> Callable[[str], str]:
    """``action_label`` with every label translated now, for a CSV streamed after the request
    (translating later would look up the locale through a user no longer in a session)."""
    actions = {key: str(value) for key, value in ACTION_LABELS.items()}
    areas = {key: str(value) for key, value in AREA_LABELS.items()}
    return lambda action: _label(action, actions, areas)


def _label(action: str, actions: Mapping, areas: Mapping) -> str:
    label = actions.get(action)
    if label is not None:
        return str(label)
    area = areas.get(action.split(".", 1)[0])
    return f"{area} · {action.split('.', 1)[-1]}" if area is not None else action


def detail_items(details: dict | None) -> list[tuple[str, str]]:
    """(key, short text) pairs: nested values as compact JSON, long ones cut."""
    items = []
    for key, value in (details or {}).items():
        text = value if isinstance(value, str) else json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), default=str)
        items.append((str(key), text if len(text) <= DETAIL_CHARS
                      else text[: DETAIL_CHARS - 1] + "…"))
    return items
