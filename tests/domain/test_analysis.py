"""The analysis builder's model compiles to one readable SELECT, or names what is wrong."""

import pytest

from app.domain.analysis import (
    AnalysisError,
    AnalysisModel,
    Condition,
    Derived,
    Join,
    Measure,
    Pivot,
    SortKey,
    compile_model,
    model_from_dict,
    model_to_dict,
)

SCHEMA = {
    "incidents": [("id", "INTEGER"), ("street", "TEXT"), ("status", "TEXT"),
                  ("reported_at", "TEXT"), ("closed_at", "TEXT"), ("handling_hours", "REAL")],
    "streets": [("street", "TEXT"), ("population", "INTEGER"), ("id", "INTEGER")],
}


def _refusal(model: AnalysisModel, **kwargs) -> AnalysisError:
    with pytest.raises(AnalysisError) as caught:
        compile_model(SCHEMA, model, **kwargs)
    return caught.value


def test_a_plain_group_by_reads_as_a_person_writes_it():
    sql = compile_model(SCHEMA, AnalysisModel("incidents", group_by=("street",),
                                              measures=(Measure("count"),)))
    assert sql == ('SELECT "street", count(*) AS count\nFROM "incidents"\n'
                   'GROUP BY "street"\nORDER BY count DESC, "street"\nLIMIT 100')


def test_join_and_derived_columns_are_prepared_in_a_data_step():
    model = AnalysisModel(
        "incidents", join=Join("streets", "street", "street"),
        derived=(Derived("时长", "hours_between", "reported_at", "closed_at"),
                 Derived("每万人", "ratio", "handling_hours", "population")),
        filters=(Condition("时长", "gt", other="handling_hours"),),
        group_by=("street",), measures=(Measure("avg", "时长"),))
    sql = compile_model(SCHEMA, model)
    assert sql.startswith("WITH data AS (\n  SELECT \"incidents\".*,\n")
    assert '"streets"."population"' in sql
    assert '"streets"."id" AS "streets_id"' in sql  # a taken name gets the table's prefix
    assert 'LEFT JOIN "streets" ON "streets"."street" = "incidents"."street"' in sql
    assert "nullif(\"incidents\".\"handling_hours\"" not in sql  # ratio reads joined columns
    assert 'round(1.0 * "incidents"."handling_hours" / nullif("streets"."population", 0), 4)' \
        in sql
    assert 'WHERE "时长" > "handling_hours"' in sql


def test_every_derived_function_compiles():
    derived = [Derived("y", "year", "reported_at"), Derived("m", "month", "reported_at"),
               Derived("ym", "year_month", "reported_at"), Derived("d", "date", "reported_at"),
               Derived("w", "weekday", "reported_at"), Derived("h", "hour", "reported_at"),
               Derived("days", "days_between", "reported_at", "closed_at"),
               Derived("u", "upper", "street"), Derived("l", "lower", "street"),
               Derived("t", "trim", "street"), Derived("r", "replace", "t", args=("　", "")),
               Derived("s", "substr", "street", args=("1", "2")),
               Derived("n", "length", "street"), Derived("rh", "round", "handling_hours",
                                                         args=("1",)),
               Derived("b", "bucket", "handling_hours",
                       args=("lt", "24", "一天内", "lt", "72", "三天内", "超过三天"))]
    for spec in derived:  # one at a time: at most six derived columns per model
        needs = [d for d in derived if d.name == spec.column] if spec.func == "replace" else []
        sql = compile_model(SCHEMA, AnalysisModel("incidents", derived=(*needs, spec)))
        assert f'AS "{spec.name}"' in sql, spec.func


def test_a_derived_column_may_use_an_earlier_one_inline():
    sql = compile_model(SCHEMA, AnalysisModel("incidents", derived=(
        Derived("t", "trim", "street"), Derived("u", "upper", "t"))))
    assert 'upper(trim("street")) AS "u"' in sql


def test_pivot_writes_one_conditional_aggregate_per_value_and_a_total():
    model = AnalysisModel("incidents", pivot=Pivot("street", "status", Measure("count")))
    sql = compile_model(SCHEMA, model, pivot_values=["已办结", None])
    assert "count(CASE WHEN \"status\" = '已办结' THEN 1 END) AS \"已办结\"" in sql
    assert 'count(CASE WHEN "status" IS NULL THEN 1 END) AS "(空)"' in sql
    assert 'count(*) AS "合计"' in sql and 'GROUP BY "street"' in sql


def test_filters_of_every_kind():
    rules = [Condition("street", "in", "解放碑街道、七星岗街道,大坪街道"),
             Condition("handling_hours", "between", "1", "5.5"),
             Condition("street", "contains", "50%_"), Condition("status", "starts_with", "已"),
             Condition("closed_at", "is_empty"), Condition("id", "ne", "7")]
    sql = compile_model(SCHEMA, AnalysisModel("incidents", filters=tuple(rules)))
    assert "\"street\" IN ('解放碑街道', '七星岗街道', '大坪街道')" in sql
    assert '"handling_hours" BETWEEN 1 AND 5.5' in sql
    assert "instr(\"street\", '50%_') > 0" in sql
    assert '("closed_at" IS NULL OR trim("closed_at") = \'\')' in sql


def test_having_filters_groups_by_their_measures():
    model = AnalysisModel("incidents", group_by=("street",),
                          measures=(Measure("count"), Measure("count_distinct", "status")),
                          having=(Condition("count", "ge", "10"),
                                  Condition("count_distinct_status", "between", "2", "3")))
    sql = compile_model(SCHEMA, model)
    assert 'HAVING count(*) >= 10\n   AND count(DISTINCT "status") BETWEEN 2 AND 3' in sql


def test_values_cannot_change_the_statement():
    sql = compile_model(SCHEMA, AnalysisModel("incidents", filters=(
        Condition("street", "eq", "x'); DROP TABLE incidents; --"),)))
    assert "'x''); DROP TABLE incidents; --'" in sql


@pytest.mark.parametrize(("model", "code", "field"), [
    (AnalysisModel("nope"), "unknown_table", "table"),
    (AnalysisModel("incidents", join=Join("streets", "street", "population")), "join_types",
     "join-right"),
    (AnalysisModel("incidents", join=Join("incidents", "id", "id")), "join_same_table",
     "join-table"),
    (AnalysisModel("incidents", derived=(Derived("x", "eval", "street"),)), "unknown_func",
     "derive-0-func"),
    (AnalysisModel("incidents", derived=(Derived("x", "ratio", "street", "id"),)),
     "not_numeric", "derive-0-column"),
    (AnalysisModel("incidents", derived=(Derived("street", "upper", "street"),)),
     "duplicate_name", "derive-0-name"),
    (AnalysisModel("incidents", derived=(Derived('a"b', "upper", "street"),)), "bad_name",
     "derive-0-name"),
    (AnalysisModel("incidents", derived=(Derived("x", "substr", "street", args=("0", "2")),)),
     "bad_integer", "derive-0-arg-0"),
    (AnalysisModel("incidents", derived=(Derived("x", "bucket", "id", args=("lt", "a", "甲",
                                                                             "乙")),)),
     "not_a_number", "derive-0-arg-1"),
    (AnalysisModel("incidents", filters=(Condition("id", "gt", other="street"),)),
     "compare_types", "filter-0-other"),
    (AnalysisModel("incidents", filters=(Condition("id", "in", " , 、"),)), "bad_list",
     "filter-0-value"),
    (AnalysisModel("incidents", filters=(Condition("id", "between", "1", ""),)),
     "value_required", "filter-0-value2"),
    (AnalysisModel("incidents", group_by=("street",), measures=(Measure("sum", "street"),)),
     "not_numeric", "measure-0-column"),
    (AnalysisModel("incidents", having=(Condition("count", "gt", "1"),)),
     "having_needs_groups", "having-0-column"),
    (AnalysisModel("incidents", group_by=("street",), sort=(SortKey("id"),)), "unknown_order",
     "sort-0"),
    (AnalysisModel("incidents", pivot=Pivot("street", "street", Measure("count"))),
     "pivot_same_column", "pivot-columns"),
    (AnalysisModel("incidents", group_by=("street",), pivot=Pivot("street", "status",
                                                                  Measure("count"))),
     "pivot_alone", "pivot-rows"),
    (AnalysisModel("incidents", limit=0), "bad_limit", "limit"),
])
def test_refusals_name_the_step_and_field(model, code, field):
    error = _refusal(model)
    assert (error.code, error.field) == (code, field)


def test_a_pivot_over_too_many_values_is_refused_with_the_count():
    model = AnalysisModel("incidents", pivot=Pivot("street", "id", Measure("count")))
    error = _refusal(model, pivot_values=list(range(31)))
    assert error.code == "pivot_too_wide" and error.params["count"] == 31


def test_the_json_form_round_trips_and_refuses_wrong_shapes():
    model = AnalysisModel(
        "incidents", join=Join("streets", "street", "street", keep_unmatched=False),
        derived=(Derived("w", "weekday", "reported_at"),),
        filters=(Condition("id", "between", "1", "9"),), group_by=("w",),
        measures=(Measure("count"),), having=(Condition("count", "gt", "1"),),
        sort=(SortKey("w", descending=False),), limit=7)
    assert model_from_dict(model_to_dict(model)) == model
    for bad in ([], {"table": 3}, {"table": "t", "filters": "x"}, {"table": "t", "limit": True},
                {"table": "t", "join": {"table": "s", "left": "a", "right": "b",
                                       "keep_unmatched": "yes"}},
                {"table": "t", "filters": [{"column": "a", "op": "eq"}] * 9},
                {"table": "t" * 201}):
        with pytest.raises(AnalysisError):
            model_from_dict(bad)


def test_join_candidates_are_same_named_columns_of_a_compatible_type():
    from app.domain.analysis.join_keys import JoinCandidate, join_candidates

    assert join_candidates(SCHEMA) == [
        JoinCandidate("incidents", "streets", "street"),
        JoinCandidate("incidents", "streets", "id"),
        JoinCandidate("streets", "incidents", "id"),
        JoinCandidate("streets", "incidents", "street")]
