"""The appraisal scheme's form: hours targets by rank (yearly total, online minimum,
five-year total), component weights, rating thresholds and the excellent quota."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired

from app.domain.appraisal import THRESHOLD_FIELDS, WEIGHT_FIELDS, Scheme
from app.domain.vocabulary import Rank
from app.labels import RANK_LABELS
from app.web.forms import OrdinaryIntegerField

COMPONENT_LABELS = {"hours": _l("Study hours"), "scores": _l("Course scores"),
                    "practice": _l("Data practice"), "coverage": _l("Area coverage")}
THRESHOLD_LABELS = {"excellent": _l("Excellent from"), "pass": _l("Pass from"),
                    "basic": _l("Basic pass from")}
PROBLEMS = {"sum": _l("The weights must add up to 100."),
            "order": _l("Thresholds must rise strictly: basic pass < pass < excellent."),
            "range": _l("Out of range (0 to 100; hours targets 1 to 1000; online minimums 0 to "
                        "the rank's yearly target; five-year targets 0 to 5000)."),
            "looser": _l("May not be easier than the city default.")}


class SchemeForm(FlaskForm):
    quota_percent = OrdinaryIntegerField(_l("Excellent quota per unit (%)"),
                                         validators=[InputRequired()])


for _name in WEIGHT_FIELDS:
    setattr(SchemeForm, f"weight_{_name}", OrdinaryIntegerField(
        _l("Weight: %(part)s", part=COMPONENT_LABELS[_name]), validators=[InputRequired()]))
for _name in THRESHOLD_FIELDS:
    setattr(SchemeForm, f"threshold_{_name}", OrdinaryIntegerField(
        THRESHOLD_LABELS[_name], validators=[InputRequired()]))
for _rank in Rank:
    setattr(SchemeForm, f"hours_{_rank.value}", OrdinaryIntegerField(
        _l("Hours target: %(rank)s", rank=RANK_LABELS[_rank]), validators=[InputRequired()]))
    setattr(SchemeForm, f"online_{_rank.value}", OrdinaryIntegerField(
        _l("Online minimum: %(rank)s", rank=RANK_LABELS[_rank]), validators=[InputRequired()]))
    setattr(SchemeForm, f"five_year_{_rank.value}", OrdinaryIntegerField(
        _l("Five-year target: %(rank)s", rank=RANK_LABELS[_rank]),
        validators=[InputRequired()]))



def fill_scheme_form(form: SchemeForm, scheme: Scheme) -> None:
    for name in WEIGHT_FIELDS:
        form[f"weight_{name}"].data = scheme.weights[name]
    for name in THRESHOLD_FIELDS:
        form[f"threshold_{name}"].data = scheme.thresholds[name]
    for rank in Rank:
        form[f"hours_{rank.value}"].data = scheme.target_for(rank.value)
        form[f"online_{rank.value}"].data = scheme.online_minimum_for(rank.value)
        form[f"five_year_{rank.value}"].data = scheme.five_year_target_for(rank.value)
    form.quota_percent.data = scheme.quota_percent


def scheme_of(form: SchemeForm) -> Scheme:
    return Scheme(
        hours_targets={rank.value: form[f"hours_{rank.value}"].data for rank in Rank},
        weights={name: form[f"weight_{name}"].data for name in WEIGHT_FIELDS},
        thresholds={name: form[f"threshold_{name}"].data for name in THRESHOLD_FIELDS},
        quota_percent=form.quota_percent.data,
        online_minimums={rank.value: form[f"online_{rank.value}"].data for rank in Rank},
        five_year_targets={rank.value: form[f"five_year_{rank.value}"].data for rank in Rank})


def show_scheme_problems(form: SchemeForm, problems) -> None:
    fields = {"weights": "weight_hours", "thresholds": "threshold_excellent"}
    for problem in problems:
        field = form[fields.get(problem.field, problem.field)]
        field.errors = [*field.errors, PROBLEMS[problem.reason]]
