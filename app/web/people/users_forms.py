"""Forms of the user administration pages; unit fields carry org unit codes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, Optional, Regexp

USERNAME_PATTERN = r"^[A-Za-z0-9_.\-]+$"


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    unit = SelectField(_l("Org unit"), validators=[DataRequired()])
    rank = SelectField(_l("Rank"), validators=[DataRequired()])
    category = SelectField(_l("Work category"), validators=[DataRequired()])
    language = SelectField(_l("Language"), validators=[Optional()])


class NewUserForm(UserEditForm):
    language = None  # a new account follows the browser until its owner chooses
    username = StringField(
        _l("Username (employee number)"),
        validators=[DataRequired(), Length(max=64), Regexp(
            USERNAME_PATTERN,
            message=_l("Use letters, digits, dots, dashes and underscores only."))])
    roles = MultiCheckboxField(_l("Roles besides cadre"))
    scope = SelectField(_l("HR scope (the org unit whose subtree HR may see)"),
                        validators=[Optional()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])
    scope = SelectField(_l("HR scope (the org unit whose subtree HR may see)"),
                        validators=[Optional()])
