"""The builder page's numbered form fields read as a model, and a model as the form."""

import pytest

from app.domain.analysis import AnalysisError, AnalysisModel, Condition, Derived, Measure, Pivot
from app.domain.analysis.form import form_field, model_to_form, parse_analysis_form
from tests.services.test_analysis_tasks import BUILDER_ANSWERS

BUCKETS = AnalysisModel(
    "incidents",
    derived=(Derived("时长档", "bucket", "handling_hours",
                     args=("lt", "24", "一天内", "lt", "72", "三天内", "超过三天")),
             Derived("前两字", "substr", "street", args=("1", "2"))),
    group_by=("时长档",), measures=(Measure("count", name="件数"),),
    pivot=None, limit=20)
PIVOT = AnalysisModel("incidents", filters=(Condition("status", "in", "已超期、已办结"),),
                      pivot=Pivot("street", "status", Measure("avg", "handling_hours")))


@pytest.mark.parametrize("model", [*BUILDER_ANSWERS.values(), BUCKETS, PIVOT],
                         ids=lambda m: m.table)
def test_the_form_of_a_model_reads_back_as_the_same_model(model):
    assert parse_analysis_form(model_to_form(model)) == model


def test_blank_rows_and_gaps_are_ignored_and_errors_name_the_row_on_the_page():
    form = {"table": ["incidents"], "limit": [""],
            "filter-0-column": [""], "filter-0-op": ["eq"], "filter-0-value": ["ignored"],
            "filter-3-column": ["status"], "filter-3-op": ["eq"], "filter-3-value": ["已超期"],
            "filter-5-column": ["street"], "filter-5-op": ["is_empty"],
            "group-1": [""], "group-2": ["street"],
            "measure-0-func": [""], "measure-0-column": [""],
            "measure-4-func": ["count"], "measure-4-column": [""], "measure-4-name": ["件数"],
            "measure-4-where-1-column": ["status"], "measure-4-where-1-op": ["eq"],
            "measure-4-where-1-value": ["已超期"], "sort-0-column": ["件数"],
            "sort-0-order": ["asc"], "join-table": [""], "pivot-rows": [""]}
    model = parse_analysis_form(form)
    assert model == AnalysisModel(
        "incidents", filters=(Condition("status", "eq", "已超期"), Condition("street", "is_empty")),
        group_by=("street",),
        measures=(Measure("count", name="件数", where=(Condition("status", "eq", "已超期"),)),),
        sort=(model.sort[0],))
    assert not model.sort[0].descending and model.limit == 100
    assert form_field(form, "filter-1-value") == "filter-5-value"
    assert form_field(form, "group-0") == "group-2"
    assert form_field(form, "measure-0-where-0-column") == "measure-4-where-0-column"
    assert form_field(form, "limit") == "limit"


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"limit": ["lots"]}, "bad_limit", "limit"),
    ({"limit": ["1001"]}, "bad_limit", "limit"),
    ({"calc-2-name": ["率"], "calc-2-digits": ["9"]}, "bad_integer", "calc-2-digits"),
    ({"sort-1-column": ["id"], "sort-1-order": ["up"]}, "bad_order", "sort-1-order"),
])
def test_form_refusals_name_the_form_field(changes, code, field):
    with pytest.raises(AnalysisError) as caught:
        parse_analysis_form({"table": ["incidents"], **changes})
    assert (caught.value.code, caught.value.field) == (code, field)


def test_replace_keeps_spaces_and_the_join_keeps_unmatched_rows_only_when_ticked():
    form = {"table": ["weighings"], "join-table": ["trucks"], "join-left": ["plate"],
            "join-right": ["plate"], "derive-0-name": ["车牌"], "derive-0-func": ["replace"],
            "derive-0-column": ["plate"], "derive-0-arg-0": [" "], "derive-0-arg-1": [""]}
    model = parse_analysis_form(form)
    assert model.derived[0].args == (" ", "") and not model.join.keep_unmatched
    assert parse_analysis_form({**form, "join-keep": ["1"]}).join.keep_unmatched
