from flask_babel import gettext as _


def refusal_message(reason: str) -> str:
    messages = {
        "not_enrolled": _("Enroll in the course before taking its quiz."),
        "not_open_yet": _("This quiz is not open yet."),
        "closed": _("This quiz or attempt is closed."),
        "no_attempts_left": _("You have used all your attempts for this quiz."),
        "time_up": _("Time is up: the answers saved before the deadline are graded."),
        "questions_missing": _("This quiz refers to questions that no longer exist. "
                               "Tell the trainer."),
        "not_enough_questions": _("The question bank is too small for this quiz. "
                                  "Tell the trainer."),
        "not_ready": _("This quiz has no questions or tasks yet. Tell the trainer."),
        "exercise_unavailable": _("The data for this exercise could not be prepared. "
                                  "Tell the trainer."),
    }
    return messages.get(reason, _("This cannot be done now."))


def hint_refusal(reason: str) -> str:
    """Why a task's hint did not open (the attempt's refusals read as elsewhere)."""
    if reason == "order":
        return _("Hints open in order: open the earlier hints of this task first.")
    return refusal_message(reason)


def appeal_refusal(reason: str) -> str:
    messages = {
        "not_reviewed": _("Appeals are possible once the attempt is graded and reviewable."),
        "already_appealed": _("You have already appealed this question."),
        "full_marks": _("This question already has full marks: there is nothing to appeal."),
        "no_such_question": _("This question is not part of the attempt."),
        "reason_length": _("Write the reason for your appeal (at most 2000 characters)."),
    }
    return messages.get(reason, _("This cannot be done now."))


def answer_problem(error) -> str:
    """A refused answer (ResponseError) in the reader's language."""
    params = error.params
    messages = {
        "one_answer": lambda: _("Give only one answer."),
        "unknown_option": lambda: _("That choice is not one of this question's options."),
        "true_false": lambda: _("Answer true or false."),
        "too_long": lambda: _("At most %(limit)s characters (this answer has %(length)s).",
                              limit=params.get("limit"), length=params.get("length")),
        "not_a_number": lambda: _("“%(value)s” is not a number.", value=params.get("value")),
        "unknown_item": lambda: _("That item is not part of this question."),
        "place_each_once": lambda: _("Place every item exactly once."),
        "not_in_attempt": lambda: _("This question is not part of the attempt."),
        "too_many": lambda: _("At most %(limit)s items may be chosen.",
                              limit=params.get("limit")),
    }
    return messages.get(error.code, lambda: str(error))()
