from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.web.forms import OrdinaryDecimalField, OrdinaryIntegerField


class EssayGradeForm(FlaskForm):
    points = OrdinaryDecimalField(_l("Points"), places=None, validators=[InputRequired()])
    feedback = TextAreaField(_l("Feedback to the cadre"), validators=[Length(max=4000)])


class AppealDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), validators=[DataRequired()], choices=[
        SelectChoice("reject", _l("Reject: the grading stands")),
        SelectChoice("accept_answer", _l("Uphold: give this cadre full points for the question")),
        SelectChoice("drop_question", _l("Uphold: drop the question for everyone who took it")),
        SelectChoice("change_key",
                     _l("Uphold: correct the key for everyone who took this version")),
    ])
    new_key = StringField(_l("Corrected key (for a key change): option letters, e.g. B or A,C; "
                             "true/false; a number; or accepted answers separated by ;"))
    response = TextAreaField(_l("Answer to the cadre"),
                             validators=[DataRequired(), Length(max=2000)])


class AppealForm(FlaskForm):
    reason = TextAreaField(_l("Why the grading of this question is wrong"),
                           validators=[DataRequired(), Length(max=2000)])


class TrainerAccommodationForm(FlaskForm):
    username = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=64)])
    extra_percent = OrdinaryIntegerField(_l("Extra time on timed quizzes (%)"),
                                         validators=[InputRequired(), NumberRange(0, 200)])
    reason = StringField(_l("Reason (kept in the audit log)"), validators=[Length(max=200)])
