from flask_babel import gettext as _


def password_problem_message(problem: str) -> str:
    messages = {
        "too_short": _("At least 8 characters."),
        "too_simple": _("Use three of: lower case, upper case, digits, symbols."),
        "contains_username": _("Must not contain your employee number."),
        "same_as_one_time": _("Choose a password different from the one-time password."),
    }
    return messages.get(problem, problem)
