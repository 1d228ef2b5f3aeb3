"""A model's steps in order, each with the SQL fragment the whole query contains."""

from app.domain.analysis import (
    AnalysisModel,
    Calculation,
    Condition,
    Derived,
    Join,
    Measure,
    SortKey,
    compile_model,
)
from app.domain.analysis.steps import describe_steps
from tests.domain.test_analysis import SCHEMA

MODEL = AnalysisModel(
    "incidents", join=Join("streets", "street", "street"),
    derived=(Derived("处置天数", "days_between", "reported_at", "closed_at"),),
    filters=(Condition("status", "eq", "已超期"),), group_by=("street",),
    measures=(Measure("count", name="事件数"), Measure("avg", "处置天数", name="平均天数")),
    calculations=(Calculation("每件天数", "ratio", "平均天数", "事件数"),),
    having=(Condition("事件数", "gt", "1"),), sort=(SortKey("事件数"),), limit=10)


def test_each_step_names_its_part_and_its_sql_is_in_the_whole_query():
    labels = {"street": "街道", "status": "状态", "reported_at": "上报时间",
              "closed_at": "办结时间"}
    steps = describe_steps(SCHEMA, MODEL, labels)
    assert [s.kind for s in steps] == ["table", "join", "derive", "filter", "group", "calc",
                                       "having", "sort", "limit"]
    assert steps[1].params == {"table": "streets", "left": "街道", "right": "街道",
                               "keep": True}
    assert steps[2].params["column"] == "上报时间" and steps[2].params["other"] == "办结时间"
    assert steps[3].params["column"] == "状态" and steps[3].sql == "\"status\" = '已超期'"
    assert steps[4].params == {"groups": ["街道"], "measures": ["事件数", "平均天数"],
                               "hidden": []}
    sql = compile_model(SCHEMA, MODEL)
    for step in steps:
        for line in step.sql.replace(' AS "', '\n').splitlines():
            if step.kind not in ("sort", "join", "group", "calc"):
                assert line.split(" AS ")[0] in sql, (step.kind, line)
    assert steps[1].sql == 'LEFT JOIN "streets" ON "streets"."street" = "incidents"."street"'
    assert steps[-1].sql == "LIMIT 10" and steps[-2].sql == 'ORDER BY "事件数" DESC'


def test_a_listing_and_a_pivot_have_their_own_steps():
    listing = describe_steps(SCHEMA, AnalysisModel("incidents", columns=("id", "street"),
                                                   distinct=("id", "street")), {})
    assert [s.kind for s in listing] == ["table", "distinct", "columns", "limit"]
    assert listing[1].sql == 'SELECT DISTINCT "id", "street"'
