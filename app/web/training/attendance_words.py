"""What the attendance pages say: the phone's answer to each outcome of a scan, and the
refusals of leave requests and corrections (issue 20). One place, so a page and its tests
read the same words."""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _

from app.domain.class_vocabulary import AttendanceStatus, CheckInRefusal
from app.models import ClassSession
from app.services.training.attendance import CheckInResult
from app.web.templating import local_datetime


@dataclass(frozen=True)
class Answer:
    """The phone's answer: a headline, a sentence, and a tone (success, warning, danger)."""

    title: str
    text: str
    tone: str


def check_in_answer(result: CheckInResult, session: ClassSession) -> Answer:
    if result.refusal is None:
        return _checked_in(result, session)
    if result.refusal is CheckInRefusal.ALREADY:
        when = (_("You checked in at %(time)s.", time=_time(result.recorded_at))
                if result.recorded_at else _("You checked in a moment ago."))
        return Answer(_("Already checked in"), when + " " + _("Nothing more to do."), "success")
    return Answer(_("Not checked in"), _refusal_text(result.refusal, session), "danger")


def _checked_in(result: CheckInResult, session: ClassSession) -> Answer:
    at = _time(result.recorded_at)
    if result.status is AttendanceStatus.LATE:
        minutes = session.training_class.late_after_minutes
        return Answer(_("Checked in: late"), _(
            "Checked in at %(time)s, more than %(minutes)s minutes after the start: "
            "recorded as late.", time=at, minutes=minutes), "warning")
    return Answer(_("Checked in"), _("Checked in at %(time)s.", time=at), "success")


def _refusal_text(refusal: CheckInRefusal, session: ClassSession) -> str:
    training_class = session.training_class
    opens = session.starts_at - timedelta(minutes=training_class.opens_before_minutes)
    texts = {
        CheckInRefusal.EXPIRED: lambda: _(
            "This code has expired: the code on the screen changes every 30 seconds, so a "
            "photo or a link passed on stops working. Scan the code in the room again."),
        CheckInRefusal.FORGED: lambda: _(
            "This is not a valid check-in code for this session. Scan the code on the "
            "screen in the room."),
        CheckInRefusal.OTHER_SESSION: lambda: _(
            "This code belongs to another session of the class. Scan the code shown in the "
            "room of this session."),
        CheckInRefusal.TOO_EARLY: lambda: _(
            "Check-in for this session opens at %(time)s. Scan again then.",
            time=local_datetime(opens)),
        CheckInRefusal.CLOSED: lambda: _(
            "Check-in for this session is closed (it ended at %(time)s). If you attended, "
            "ask the organizer to record it.", time=local_datetime(session.ends_at)),
        CheckInRefusal.NOT_ENROLLED: lambda: _(
            "You are not enrolled in this class, so you cannot check in. If you should be, "
            "ask the organizer."),
    }
    return texts[refusal]()


def _time(moment) -> str:
    return local_datetime(moment, "HH:mm:ss") if moment else ""


def leave_refusal(reason: str) -> str:
    return {
        "reason_required": _("Give the reason for your leave."),
        "text_too_long": _("Keep the text under 500 characters."),
        "session_over": _("This session has ended: leave can only be asked for a session "
                          "that has not ended."),
        "class_closed": _("This class is finished or cancelled: its attendance is final."),
        "pending": _("A request for this session is already waiting for a decision."),
        "approved": _("Your leave for this session is already approved."),
        "checked_in": _("Already checked in at this session: no leave is needed."),
        "not_pending": _("This request has already been decided or withdrawn."),
        "note_required": _("Say in the note why the request is rejected."),
    }.get(reason, reason)


def correction_refusal(reason: str) -> str:
    return {
        "reason_required": _("Give the reason for the correction."),
        "reason_too_long": _("Keep the reason under 500 characters."),
        "not_enrolled": _("Only enrolled members have attendance to correct."),
        "unchanged": _("The member already has that status: nothing to correct."),
        "class_closed": _("This class is finished or cancelled: its attendance is final."),
    }.get(reason, reason)
