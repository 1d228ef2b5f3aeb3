from flask_babel import gettext as _


def enrollment_refusal(reason: str) -> str:
    messages = {
        "missing_prerequisites": _("Complete the prerequisite courses first."),
        "not_a_cadre": _("Only cadres enroll in courses."),
        "not_published": _("This course is not open for enrollment."),
        "assigned": _("This course was assigned by your training plan and cannot be left."),
        "completed": _("You have completed this course; it stays in your record."),
        "watch the lesson's video first": _(
            "This lesson completes when you have watched its video; keep watching."),
    }
    return messages.get(reason, _("This cannot be done now."))
