"""The dashboard's query arguments, validated like any form (GET, so no CSRF token)."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import NumberRange, Optional

from app.domain.learning import local_year
from app.domain.vocabulary import Rank, WorkCategory
from app.labels import CATEGORY_LABELS, RANK_LABELS
from app.models.types import utcnow
from app.services.records.dashboard import SORT_KEYS
from app.web.forms import OrdinaryIntegerField

TABLES = ("units", "cadres", "compliance")


class DashboardFilterForm(FlaskForm):
    unit = StringField(_l("Org unit code"), validators=[Optional()])
    year = OrdinaryIntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
    rank = SelectField(_l("Rank"), validators=[Optional()])
    category = SelectField(_l("Work category"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()],
                       choices=[""] + [f"{d}{k}" for k in SORT_KEYS for d in ("", "-")])
    q = StringField(_l("Name or employee number"), validators=[Optional()])
    page = OrdinaryIntegerField(_l("Page"), validators=[Optional(), NumberRange(1, 100_000)])
    table = SelectField(_l("Table"), validators=[Optional()], choices=["", *TABLES])

    def __init__(self):
        super().__init__(formdata=request.args, meta={"csrf": False})
        self.rank.choices = [("", _l("All ranks"))] + [(r.value, RANK_LABELS[r]) for r in Rank]
        self.category.choices = [("", _l("All categories"))] + [
            (c.value, CATEGORY_LABELS[c]) for c in WorkCategory]

    @property
    def year_value(self) -> int:
        return self.year.data or local_year(utcnow())

    @property
    def rank_value(self) -> Rank | None:
        return Rank(self.rank.data) if self.rank.data else None

    @property
    def category_value(self) -> WorkCategory | None:
        return WorkCategory(self.category.data) if self.category.data else None

    def first_error(self) -> str:
        for field in self:
            if field.errors:
                return f"{field.label.text}: {field.errors[0]}"
        return ""

    def carried(self, **changes) -> dict:
        """The query arguments to keep in links (unit, year and filters), with changes."""
        values = {"unit": self.unit.data or None, "year": self.year_value,
                  "rank": self.rank.data or None, "category": self.category.data or None}
        return {**values, **changes}
