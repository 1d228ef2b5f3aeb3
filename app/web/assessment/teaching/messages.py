from flask_babel import gettext as _


def grading_error(code: str) -> str:
    messages = {
        "points_not_a_number": _("Points must be a number."),
        "points_out_of_range": _("Points must be between 0 and the question's points, "
                                 "with at most two decimals."),
        "feedback_too_long": _("The feedback is too long."),
        "not_an_essay_to_grade": _("This answer is not an essay waiting for grading."),
        "already_decided": _("This appeal has already been decided."),
        "response_required": _("Write an answer to the cadre."),
        "no_key_for_tasks": _("An exercise task's expected answer comes from each cadre's "
                              "data, so there is no key to change: accept this answer, drop "
                              "the task, or correct the exercise file."),
    }
    if code.startswith("invalid_key"):
        return _("The corrected key is not valid: %(reason)s", reason=code.partition(":")[2])
    return messages.get(code, code)
