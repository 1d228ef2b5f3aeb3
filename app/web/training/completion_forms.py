"""The completion page's filters (GET, so no CSRF token) and the finishing confirmation."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.domain.class_completion import CompletionState
from app.labels import COMPLETION_REASON_LABELS, COMPLETION_STATE_LABELS
from app.services.training.completion import CompletionFilter
from app.web.forms import OrdinaryIntegerField


class CompletionFilterForm(FlaskForm):
    state = SelectField(_l("Standing"), validators=[Optional()])
    reason = SelectField(_l("Missing"), validators=[Optional()])
    q = StringField(_l("Name or employee number"), validators=[Optional(), Length(max=64)])
    page = OrdinaryIntegerField(_l("Page"), validators=[Optional(), NumberRange(1, 100_000)])

    def __init__(self):
        super().__init__(formdata=request.args, meta={"csrf": False})
        self.state.choices = [("", _l("Every standing"))] + [
            (state.value, text) for state, text in COMPLETION_STATE_LABELS.items()]
        self.reason.choices = [("", _l("Any requirement"))] + list(
            COMPLETION_REASON_LABELS.items())

    def selection(self) -> CompletionFilter:
        return CompletionFilter(
            state=CompletionState(self.state.data) if self.state.data else None,
            reason=self.reason.data or None, search=self.q.data or "")

    def first_error(self) -> str:
        for field in self:
            if field.errors:
                return f"{field.label.text}: {field.errors[0]}"
        return ""

    def carried(self) -> dict:
        """The filters to keep in the pager's links."""
        return {"state": self.state.data or None, "reason": self.reason.data or None,
                "q": self.q.data or None}


class FinishForm(FlaskForm):
    confirm = BooleanField(
        _l("I have checked the standings: finish the class, credit the hours and issue the "
           "certificates."), validators=[DataRequired()])
