"""Forms of the org tree pages; parent fields carry org unit codes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.services.people.org import CODE_MAX, NAME_MAX

CODE_PATTERN = r"^[A-Za-z0-9_\-]+$"


class RenameForm(FlaskForm):
    name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=NAME_MAX)])


class NewUnitForm(RenameForm):
    code = StringField(
        _l("Code (e.g. the GB/T 2260 division code)"),
        validators=[DataRequired(), Length(max=CODE_MAX), Regexp(
            CODE_PATTERN, message=_l("Use letters, digits, dashes and underscores only."))])
    level = SelectField(_l("Level"), validators=[DataRequired()])
    parent = SelectField(_l("Parent unit"), validators=[Optional()])


class MoveForm(FlaskForm):
    # Choices leave out the unit's own subtree; a crafted value still reaches the service,
    # which refuses a cycle with its reason.
    parent = SelectField(_l("New parent unit"), validators=[DataRequired()],
                         validate_choice=False)


def unit_choices(units, *, blank=None) -> list[tuple[str, str]]:
    """(code, name indented by depth) for a unit picker, with an optional empty first entry."""
    choices = [("", str(blank))] if blank is not None else []
    return choices + [(u.code, "　" * (u.path.count("/") - 2) + u.name) for u in units]
