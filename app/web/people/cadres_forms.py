from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, NumberRange

from app.web.forms import OrdinaryIntegerField


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PlanForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    year = OrdinaryIntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2020, 2100)])
    org_unit = SelectField(_l("Org unit (with everything below it)"),
                           validators=[DataRequired()])
    ranks = MultiCheckboxField(_l("Ranks (none ticked: all ranks)"))
    categories = MultiCheckboxField(_l("Work categories (none ticked: all categories)"))
    courses = MultiCheckboxField(_l("Required courses"),
                                 validators=[DataRequired(_l("Choose at least one course."))])
    due_on = DateField(_l("Due date"), validators=[DataRequired()])


class AccommodationForm(FlaskForm):
    extra_percent = OrdinaryIntegerField(_l("Extra time on timed quizzes (%)"),
                                         validators=[NumberRange(0, 200)])
    reason = StringField(_l("Reason (kept in the audit log)"), validators=[Length(max=200)])
