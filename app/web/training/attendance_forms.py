"""Forms of the attendance pages: the phone's confirm, corrections, leave requests and
decisions (issue 20)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.domain.class_vocabulary import AttendanceStatus
from app.labels import label

MAX_TEXT = 500


class CheckInForm(FlaskForm):
    """The phone's confirm button; carries the stamp of the scan (app.domain.check_in_scan)."""

    stamp = HiddenField(validators=[Optional(), Length(max=64)])


class CorrectionForm(FlaskForm):
    member = SelectField(_l("Member"), coerce=int)
    status = SelectField(_l("Set to"))
    reason = TextAreaField(_l("Reason for the correction"), validators=[
        DataRequired(message=_l("Give the reason for the correction.")),
        Length(max=MAX_TEXT, message=_l("Keep the reason under %(max)d characters."))])

    def __init__(self, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.member.choices = [(line.user_id, f"{line.name}（{line.username}）")
                               for line in members]
        self.status.choices = [(s.value, label(s)) for s in AttendanceStatus]


class LeaveRequestForm(FlaskForm):
    reason = TextAreaField(_l("Reason for leave"), validators=[
        DataRequired(message=_l("Give the reason for your leave.")),
        Length(max=MAX_TEXT, message=_l("Keep the reason under %(max)d characters."))])


class LeaveDecisionForm(FlaskForm):
    note = TextAreaField(_l("Note to the member"), validators=[
        Length(max=MAX_TEXT, message=_l("Keep the note under %(max)d characters."))])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))
