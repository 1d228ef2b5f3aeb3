"""Forms of the class pages (class, session, nomination, roster file, reasons), and the words
for what the class services refused."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.web.forms import OrdinaryDecimalField, OrdinaryIntegerField


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ClassForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    organizer = StringField(_l("Organizer"), filters=[_strip],
                            description=_l("As printed on the class certificate, e.g. "
                                           "中共重庆市委党校."),
                            validators=[DataRequired(), Length(max=100)])
    org_unit = SelectField(_l("Org unit (the audience is drawn from it and everything below)"),
                           validators=[DataRequired()])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    venue = StringField(_l("Venue"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    capacity = OrdinaryIntegerField(_l("Capacity"), default=50,
                                    validators=[InputRequired(), NumberRange(1, 10000)])
    open_to_applications = BooleanField(_l("Cadres of the audience may apply"))
    attendance_share = OrdinaryIntegerField(
        _l("Attendance needed to complete (percent of the sessions' hours)"), default=80,
        validators=[InputRequired(), NumberRange(1, 100)])
    late_after_minutes = OrdinaryIntegerField(
        _l("Late after (minutes from a session's start)"), default=10,
        validators=[InputRequired(), NumberRange(0, 240)])
    opens_before_minutes = OrdinaryIntegerField(
        _l("Check-in opens (minutes before a session)"), default=30,
        validators=[InputRequired(), NumberRange(0, 240)])
    test_quiz = SelectField(_l("Class test (optional: a graded quiz to pass)"))
    description = TextAreaField(_l("Description"), filters=[_strip],
                                validators=[Length(max=5000)])
    ranks = MultiCheckboxField(_l("Ranks (none ticked: all ranks)"))
    categories = MultiCheckboxField(_l("Work categories (none ticked: all categories)"))
    courses_before = MultiCheckboxField(_l("Online courses to finish before the class starts"))
    courses_during = MultiCheckboxField(_l("Online courses to finish by the class's end"))


class SessionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    starts = TimeField(_l("Starts (Beijing time)"), validators=[DataRequired()])
    ends = TimeField(_l("Ends (Beijing time)"), validators=[DataRequired()])
    topic = StringField(_l("Topic"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    teacher = StringField(_l("Teacher"), filters=[_strip], validators=[Length(max=100)])
    hours = OrdinaryDecimalField(_l("Credit hours"), places=None, validators=[InputRequired()])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), filters=[_strip],
                         validators=[DataRequired(_l("Give a reason.")), Length(max=500)])


class NominateForm(FlaskForm):
    unit = SelectField(_l("Org unit (with everything below it)"), validators=[DataRequired()])
    ranks = MultiCheckboxField(_l("Ranks (none ticked: all ranks of the audience)"))
    categories = MultiCheckboxField(
        _l("Work categories (none ticked: all categories of the audience)"))


class NameListForm(FlaskForm):
    file = FileField(_l("Roster file (CSV or XLSX)"),
                     description=_l("One 工号 a row under the header 工号; other columns are "
                                    "ignored."))


def class_refusal_text(code: str, params: dict) -> str:
    """The words for ClassRefused codes (and the schedule's problems)."""
    texts = {
        "required": lambda: _("This field is required."),
        "before_start": lambda: _("The last day cannot be before the first day."),
        "positive": lambda: _("The capacity must be at least 1."),
        "range": lambda: _("Enter a share between 1 and 100."),
        "twice": lambda: _("A course is required either before the class or by its end, "
                           "not both."),
        "not_allowed": lambda: _("Choose a graded quiz you may see."),
        "sessions_outside": lambda: _(
            "%(count)s sessions of the schedule would fall outside these dates: move them "
            "first.", count=params.get("count")),
        "below_enrolled": lambda: _(
            "%(enrolled)s members are enrolled already: the capacity cannot be smaller.",
            enrolled=params.get("enrolled")),
        "members_outside": lambda: _(
            "%(count)s members are outside this unit: withdraw them first.",
            count=params.get("count")),
        "not_running": lambda: _("This class is finished or cancelled: it no longer changes."),
        "not_draft": lambda: _("Only a draft class can be published."),
        "no_sessions": lambda: _("Add the schedule's sessions before publishing."),
        "outside_class": lambda: _("Choose a unit inside the class's own unit."),
    }
    text = texts.get(code)
    return text() if text else code


def schedule_problem_text(code: str, params: dict) -> str:
    texts = {
        "required": lambda: _("This field is required."),
        "outside_dates": lambda: _("The session must be between %(first)s and %(last)s.",
                                   first=params["starts_on"], last=params["ends_on"]),
        "end_before_start": lambda: _("The end must be after the start."),
        "overlaps": lambda: _("Overlaps another session of this class."),
        "hours_positive": lambda: _("Hours must be more than 0."),
        "hours_too_many": lambda: _(
            "At most %(most)s hours for a session of this length.", most=params["most"]),
        "precision": lambda: _("At most two decimals."),
        "has_records": lambda: _("This session has attendance or leave records: it cannot "
                                 "be deleted."),
    }
    text = texts.get(code)
    return text() if text else code


def member_refusal_text(code: str) -> str:
    texts = {
        "not_active": lambda: _("This person is no longer in the class."),
        "not_applied": lambda: _("This application was decided already."),
        "class_closed": lambda: _("This class is finished or cancelled: it no longer changes."),
        "reason_required": lambda: _("Give a reason."),
        "not_withdrawable": lambda: _("Only an application or a waitlist place can be "
                                      "withdrawn here; ask the organizer about a seat."),
    }
    text = texts.get(code)
    return text() if text else code


def apply_refusal_text(code: str) -> str:
    texts = {
        "not_open": lambda: _("This class does not take applications now."),
        "nomination_only": lambda: _("Places in this class are by nomination only."),
        "started": lambda: _("Applications closed when the class started."),
        "not_in_audience": lambda: _("This class is for other units, ranks or categories."),
        "already": lambda: _("You are in this class already."),
        "rejected": lambda: _("Your application was turned down."),
        "removed": lambda: _("The organizer withdrew you from this class."),
    }
    text = texts.get(str(code))
    return text() if text else str(code)


def name_list_problem_text(code: str, params: dict) -> str:
    texts = {
        "unknown": lambda: _("No active account has this 工号."),
        "outside_audience": lambda: _(
            "This person is outside the class's audience (unit, rank or category)."),
        "duplicate": lambda: _("The same 工号 is already on row %(row)s.",
                               row=params.get("first_row")),
        "lost_precision": lambda: _(
            "A number of %(digits)s digits lost its last digits in Excel: format the column "
            "as text and type the values again.", digits=params.get("digits")),
        "missing_header": lambda: _("The header row has no column 工号."),
        "no_data": lambda: _("The file names nobody."),
        "empty": lambda: _("The file is empty."),
        "too_many_rows": lambda: _("The file has more than %(limit)s rows.",
                                   limit=params.get("limit")),
        "undecodable": lambda: _("The file is not text in UTF-8, GBK or GB18030: save it "
                                 "again as CSV (UTF-8) or XLSX."),
        "not_xlsx": lambda: _("This is not a CSV or XLSX file."),
        "old_xls": lambda: _("This is an old .xls workbook: save it as .xlsx or CSV."),
        "unreadable": lambda: _("The workbook cannot be read: save it again in Excel."),
        "zip_bomb": lambda: _("The workbook unpacks to far more data than a roster needs."),
    }
    text = texts.get(code)
    return text() if text else code
