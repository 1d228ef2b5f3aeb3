"""The admin's hours rule by video length (/admin/video-hours): the buckets, the share of a
video that completes it, and the courses that follow the rule with their resulting hours.

A refused value re-renders the form with the reason (400); the service checks before it
writes, and the 400 rolls the request back besides.
"""

from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, NumberRange, ValidationError

from app.domain.video_hours import HoursBuckets
from app.domain.vocabulary import RoleName
from app.services.video.hours import (
    HoursSchemeInvalid,
    complete_percent,
    get_hours_buckets,
    update_video_hours_scheme,
    video_length_courses,
)
from app.web.forms import OrdinaryDecimalField, OrdinaryIntegerField
from app.web.guards import roles_required
from app.web.transactions import commits

bp = Blueprint("video_hours", __name__)

#: The columns hold at most 99.99 hours; a day is already far more than any course earns.
MAX_BUCKET_HOURS = 24
#: The service's problems (English message ids) in the reader's language.
PROBLEM_TEXTS = {
    "The micro-course limit must be below the long-course limit.":
        _l("The micro-course limit must be below the long-course limit."),
    "Every bucket must earn more than 0 hours.": _l("Every bucket must earn more than 0 hours."),
    "Longer courses may not earn fewer hours than shorter ones.":
        _l("Longer courses may not earn fewer hours than shorter ones."),
    "The test bonus may not be negative.": _l("The test bonus may not be negative."),
    "The completion share must be between 50 % and 100 %.":
        _l("The completion share must be between 50 % and 100 %."),
}


def _two_places(form, field):
    if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
        raise ValidationError(_("At most two decimals (e.g. 0.25)."))


def _hours_field(label):
    return OrdinaryDecimalField(label, places=None, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_BUCKET_HOURS), _two_places])


def _minutes_field(label):
    return OrdinaryIntegerField(label, validators=[InputRequired(), NumberRange(min=1, max=600)])


class VideoHoursForm(FlaskForm):
    long_min_minutes = _minutes_field(_l("Long course: at least (minutes of video)"))
    long_hours = _hours_field(_l("Long course earns (hours)"))
    middle_hours = _hours_field(_l("In between earns (hours)"))
    short_max_minutes = _minutes_field(_l("Micro-course: at most (minutes of video)"))
    short_hours = _hours_field(_l("Micro-course earns (hours)"))
    test_bonus_hours = _hours_field(_l("Bonus for a course with a graded test (hours)"))
    complete_percent = OrdinaryIntegerField(
        _l("A video is complete when this share is watched (%)"),
        validators=[InputRequired(), NumberRange(min=50, max=100)])

    def buckets(self) -> HoursBuckets:
        return HoursBuckets(**{name: getattr(self, name).data for name in (
            "long_min_minutes", "long_hours", "middle_hours", "short_max_minutes",
            "short_hours", "test_bonus_hours")})


@bp.get("/")
@roles_required(RoleName.ADMIN)
def index():
    buckets = get_hours_buckets()
    form = VideoHoursForm(data={**buckets.__dict__, "complete_percent": complete_percent()})
    return _page(form)


@bp.post("/")
@roles_required(RoleName.ADMIN)
@commits
def update():
    form = VideoHoursForm()
    if not form.validate_on_submit():
        return _page(form), 400
    try:
        changed = update_video_hours_scheme(form.buckets(), form.complete_percent.data,
                                            actor=current_user)
    except HoursSchemeInvalid as invalid:
        return _page(form, problems=[str(PROBLEM_TEXTS.get(problem, problem))
                                         for problem in invalid.problems]), 400
    flash(_("Saved. The hours of %(count)s course(s) changed.", count=len(changed)), "success")
    return redirect(url_for(".index"))


def _page(form: VideoHoursForm, problems: list[str] | None = None):
    return render_template("video/hours.html", form=form, problems=problems or [],
                           courses=video_length_courses(), defaults=HoursBuckets())
