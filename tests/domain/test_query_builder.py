import random
from collections import Counter

import pytest

from app.domain.query_builder import (
    Aggregate,
    BuilderError,
    BuilderRequest,
    Filter,
    build_browse_queries,
    build_query,
    parse_builder_form,
)
from app.services.exercises.sandbox import TableData, build_variant, run_query

COLUMNS = [("id", "INTEGER"), ("street", "TEXT"), ("category", "TEXT"),
           ("handling_hours", "REAL"), ("load_t", "REAL"), ("reported_at", "TEXT"),
           ("plate", "TEXT")]
SCHEMA = {"incidents": COLUMNS, "trucks": [("plate", "TEXT"), ("axles", "INTEGER")]}
STREETS = ["和平街道", "建设街道", "O'Brien Rd", "100% Road", "100x Road", "a_b", "axb",
           "  ", None]
INJECTION = "x' OR 1=1 --"


def _rows() -> list[tuple]:
    rng = random.Random(2025)
    rows = []
    for i in range(1, 151):
        rows.append((
            i,
            STREETS[i % len(STREETS)],
            rng.choice(["噪音", "占道经营", "渣土"]),
            None if i % 11 == 0 else round(rng.uniform(0.5, 72), 1),
            None if i % 13 == 0 else float(rng.randint(5, 60)),
            f"2025-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:15:00",
            rng.choice(["沪A12345", "沪B54321", "沪C00001", None]),
        ))
    return rows


ROWS = _rows()
BY_NAME = [dict(zip([name for name, _ in COLUMNS], row, strict=True)) for row in ROWS]


@pytest.fixture(scope="module")
def variant():
    return build_variant([TableData("incidents", COLUMNS, ROWS),
                          TableData("trucks", SCHEMA["trucks"], [("沪A12345", 4)])])


def run(variant, sql: str):
    return run_query(variant, sql, row_cap=1000)


def ids(variant, *filters: Filter) -> set[int]:
    result = run(variant, build_query(SCHEMA, BuilderRequest("incidents", filters=filters,
                                                             limit=1000)))
    assert result.columns[0] == "id"
    return {row[0] for row in result.rows}


def expected_ids(predicate) -> set[int]:
    return {row["id"] for row in BY_NAME if predicate(row)}


# --- grouped results against Python -------------------------------------------------

def test_group_by_count_equals_a_counter(variant):
    sql = build_query(SCHEMA, BuilderRequest("incidents", group_by=("category",)))
    result = run(variant, sql)
    assert result.columns == ["category", "count"]
    assert dict(result.rows) == Counter(row["category"] for row in BY_NAME)
    counts = [count for _, count in result.rows]
    assert counts == sorted(counts, reverse=True)


def test_two_groups_and_several_aggregates(variant):
    request = BuilderRequest("incidents", group_by=("category", "plate"), aggregates=(
        Aggregate("count", None), Aggregate("sum", "load_t"), Aggregate("avg", "handling_hours"),
        Aggregate("max", "reported_at"), Aggregate("count_distinct", "street")))
    result = run(variant, build_query(SCHEMA, request))
    assert result.columns == ["category", "plate", "count", "sum_load_t", "avg_handling_hours",
                              "max_reported_at", "count_distinct_street"]
    got = {(row[0], row[1]): row[2:] for row in result.rows}
    groups: dict[tuple, list[dict]] = {}
    for row in BY_NAME:
        groups.setdefault((row["category"], row["plate"]), []).append(row)
    assert got.keys() == groups.keys()
    for key, members in groups.items():
        loads = [m["load_t"] for m in members if m["load_t"] is not None]
        hours = [m["handling_hours"] for m in members if m["handling_hours"] is not None]
        count, total, average, latest, streets = got[key]
        assert count == len(members)
        assert total == pytest.approx(sum(loads))
        assert average == pytest.approx(round(sum(hours) / len(hours), 2), abs=0.006)
        assert latest == max(m["reported_at"] for m in members)
        assert streets == len({m["street"] for m in members if m["street"] is not None})


def test_aggregates_without_groups_give_one_row(variant):
    request = BuilderRequest("incidents", aggregates=(
        Aggregate("count", None), Aggregate("count", "handling_hours"),
        Aggregate("min", "load_t")))
    sql = build_query(SCHEMA, request)
    assert "GROUP BY" not in sql and "ORDER BY" not in sql and "LIMIT" not in sql
    result = run(variant, sql)
    assert result.columns == ["count", "count_handling_hours", "min_load_t"]
    assert result.rows == [(150, sum(r["handling_hours"] is not None for r in BY_NAME),
                            min(r["load_t"] for r in BY_NAME if r["load_t"] is not None))]


def test_grouped_order_follows_the_request(variant):
    base = {"group_by": ("street",), "aggregates": (Aggregate("count", None),
                                                   Aggregate("avg", "handling_hours"))}
    ascending = run(variant, build_query(SCHEMA, BuilderRequest(
        "incidents", order_by="avg_handling_hours", descending=False, **base)))
    averages = [row[2] for row in ascending.rows]
    assert averages == sorted(averages)
    by_street = run(variant, build_query(SCHEMA, BuilderRequest(
        "incidents", order_by="street", descending=False, limit=3, **base)))
    assert [row[0] for row in by_street.rows] == [None, "  ", "100% Road"]


def test_the_sql_reads_like_a_person_wrote_it():
    request = BuilderRequest(
        "incidents", filters=(Filter("category", "eq", "渣土"),
                              Filter("reported_at", "ge", "2025-03-01")),
        group_by=("street",), aggregates=(Aggregate("count", None),
                                          Aggregate("avg", "handling_hours")), limit=20)
    assert build_query(SCHEMA, request) == (
        'SELECT "street", count(*) AS count, round(avg("handling_hours"), 2) '
        "AS avg_handling_hours\n"
        'FROM "incidents"\n'
        "WHERE \"category\" = '渣土'\n"
        "  AND \"reported_at\" >= '2025-03-01'\n"
        'GROUP BY "street"\n'
        'ORDER BY count DESC, "street"\n'
        "LIMIT 20")


# --- filters are literal --------------------------------------------------------------

@pytest.mark.parametrize(("rule", "predicate"), [
    (Filter("street", "eq", "O'Brien Rd"), lambda r: r["street"] == "O'Brien Rd"),
    (Filter("street", "ne", "O'Brien Rd"),
     lambda r: r["street"] is not None and r["street"] != "O'Brien Rd"),
    (Filter("street", "contains", "%"), lambda r: "%" in (r["street"] or "")),
    (Filter("street", "contains", "_"), lambda r: "_" in (r["street"] or "")),
    (Filter("street", "starts_with", "100%"), lambda r: (r["street"] or "").startswith("100%")),
    (Filter("street", "starts_with", "a_"), lambda r: (r["street"] or "").startswith("a_")),
    (Filter("street", "contains", "'"), lambda r: "'" in (r["street"] or "")),
    (Filter("plate", "starts_with", "沪A"), lambda r: (r["plate"] or "").startswith("沪A")),
    (Filter("street", "is_empty"), lambda r: r["street"] is None or not r["street"].strip()),
    (Filter("street", "not_empty"), lambda r: bool((r["street"] or "").strip())),
    (Filter("load_t", "is_empty"), lambda r: r["load_t"] is None),
    (Filter("load_t", "not_empty"), lambda r: r["load_t"] is not None),
])
def test_text_filters_match_literally(variant, rule, predicate):
    expected = expected_ids(predicate)
    assert expected  # each case selects something, and not everything
    assert len(expected) < len(ROWS) or rule.op == "not_empty"
    assert ids(variant, rule) == expected


@pytest.mark.parametrize("op", ["eq", "contains", "starts_with", "ge"])
def test_an_injection_attempt_is_just_a_value(variant, op):
    rule = Filter("street", op, INJECTION)
    sql = build_query(SCHEMA, BuilderRequest("incidents", filters=(rule,)))
    assert "'x'' OR 1=1 --'" in sql
    expected = expected_ids(lambda r: r["street"] is not None and r["street"] >= INJECTION)
    assert ids(variant, rule) == (expected if op == "ge" else set())


@pytest.mark.parametrize(("op", "value", "predicate"), [
    ("gt", "10", lambda h: h > 10),
    ("ge", " 10.5 ", lambda h: h >= 10.5),
    ("lt", "1e1", lambda h: h < 10),
    ("le", "+7", lambda h: h <= 7),
    ("eq", BY_NAME[0]["handling_hours"], lambda h: h == BY_NAME[0]["handling_hours"]),
    ("ne", "33.3", lambda h: h != 33.3),
])
def test_number_filters(variant, op, value, predicate):
    rule = Filter("handling_hours", op, str(value))
    expected = expected_ids(lambda r: r["handling_hours"] is not None
                            and predicate(r["handling_hours"]))
    assert expected
    assert ids(variant, rule) == expected


def test_timestamps_compare_as_text_and_filters_combine(variant):
    got = ids(variant, Filter("reported_at", "ge", "2025-03-01"),
              Filter("reported_at", "lt", "2025-05-01"), Filter("category", "eq", "渣土"))
    expected = expected_ids(lambda r: "2025-03-01" <= r["reported_at"] < "2025-05-01"
                            and r["category"] == "渣土")
    assert got == expected and 0 < len(expected) < 60


def test_numbers_are_written_as_numbers():
    sql = build_query(SCHEMA, BuilderRequest("incidents", filters=(
        Filter("id", "ge", " +007 "), Filter("load_t", "lt", "2.50"),
        Filter("load_t", "gt", "1e-3"))))
    assert '"id" >= 7' in sql and '"load_t" < 2.5' in sql and '"load_t" > 0.001' in sql


# --- plain listings -------------------------------------------------------------------

def test_no_aggregates_and_no_groups_lists_rows(variant):
    sql = build_query(SCHEMA, BuilderRequest("incidents", limit=7))
    assert sql == 'SELECT *\nFROM "incidents"\nLIMIT 7'
    result = run(variant, sql)
    assert result.columns == [name for name, _ in COLUMNS] and len(result.rows) == 7


def test_listing_ordered_by_a_column(variant):
    request = BuilderRequest("incidents", filters=(Filter("load_t", "not_empty"),),
                             order_by="load_t", descending=False, limit=1000)
    sql = build_query(SCHEMA, request)
    loads = [row[4] for row in run(variant, sql).rows]
    assert loads == sorted(r["load_t"] for r in BY_NAME if r["load_t"] is not None)


# --- validation -----------------------------------------------------------------------

def _agg(*pairs):
    return tuple(Aggregate(func, column) for func, column in pairs)


@pytest.mark.parametrize(("request_", "code", "field"), [
    (BuilderRequest("nope"), "unknown_table", "table"),
    (BuilderRequest("incidents", filters=(Filter("foo", "eq", "1"),)),
     "unknown_column", "filter-0-column"),
    (BuilderRequest("incidents", filters=(Filter("id", "eq", "1"), Filter("id", "like", "1"))),
     "unknown_op", "filter-1-op"),
    (BuilderRequest("incidents", filters=(Filter("id", "gt", "ten"),)),
     "not_a_number", "filter-0-value"),
    (BuilderRequest("incidents", filters=(Filter("street", "contains", ""),)),
     "value_required", "filter-0-value"),
    (BuilderRequest("incidents", filters=(Filter("street", "eq", "x" * 201),)),
     "value_too_long", "filter-0-value"),
    (BuilderRequest("incidents", filters=(Filter("street", "eq", "a\x00b"),)),
     "bad_character", "filter-0-value"),
    (BuilderRequest("incidents", filters=(Filter("street", "eq", "\ud800"),)),
     "bad_character", "filter-0-value"),
    (BuilderRequest("incidents", filters=(Filter("id", "ge", "1"),) * 9),
     "too_many_filters", "filter-8-column"),
    (BuilderRequest("incidents", group_by=("street", "plate", "category")),
     "too_many_groups", "group-2"),
    (BuilderRequest("incidents", group_by=("street", "nope")), "unknown_column", "group-1"),
    (BuilderRequest("incidents", group_by=("street", "street")), "duplicate_group", "group-1"),
    (BuilderRequest("incidents", aggregates=_agg(("median", "id"))), "unknown_func", "agg-0-func"),
    (BuilderRequest("incidents", aggregates=_agg(("count", None), ("sum", "street"))),
     "not_numeric", "agg-1-column"),
    (BuilderRequest("incidents", aggregates=_agg(("avg", "plate"))), "not_numeric",
     "agg-0-column"),
    (BuilderRequest("incidents", aggregates=_agg(("sum", None))), "column_required",
     "agg-0-column"),
    (BuilderRequest("incidents", aggregates=_agg(("max", "nope"))), "unknown_column",
     "agg-0-column"),
    (BuilderRequest("incidents", aggregates=_agg(*[("count", "id")] * 2)),
     "duplicate_output", "agg-1-func"),
    (BuilderRequest("incidents", aggregates=_agg(*[("min", "id")] * 7)),
     "too_many_aggregates", "agg-6-func"),
    (BuilderRequest("incidents", limit=0), "bad_limit", "limit"),
    (BuilderRequest("incidents", limit=1001), "bad_limit", "limit"),
    (BuilderRequest("incidents", group_by=("street",), order_by="load_t"),
     "unknown_order", "order_by"),
    (BuilderRequest("incidents", order_by="count"), "unknown_order", "order_by"),
])
def test_build_query_refusals_name_code_and_field(request_, code, field):
    with pytest.raises(BuilderError) as caught:
        build_query(SCHEMA, request_)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert isinstance(caught.value, ValueError)


def test_text_comparisons_accept_any_text_but_numbers_must_be_numbers():
    build_query(SCHEMA, BuilderRequest("incidents", filters=(Filter("street", "gt", "abc"),)))
    for bad in ("nan", "inf", "1e400", "0x10", "1_000", "1,5", "--1"):
        with pytest.raises(BuilderError) as caught:
            build_query(SCHEMA, BuilderRequest("incidents", filters=(Filter("load_t", "lt", bad),)))
        assert caught.value.code == "not_a_number" and caught.value.params["value"] == bad
    assert build_query(SCHEMA, BuilderRequest(
        "incidents", filters=(Filter("street", "eq", "x" * 200),)))


# --- the form -------------------------------------------------------------------------

FORM = {
    "table": ["incidents"],
    "filter-0-column": ["category"], "filter-0-op": ["eq"], "filter-0-value": ["渣土"],
    "filter-1-column": [""], "filter-1-op": ["eq"], "filter-1-value": ["ignored"],
    "filter-3-column": ["street"], "filter-3-op": ["is_empty"], "filter-3-value": ["junk"],
    "group-0": [""], "group-1": ["street"],
    "agg-0-func": ["count"], "agg-0-column": ["*"],
    "agg-1-func": ["avg"], "agg-1-column": ["handling_hours"],
    "agg-2-func": [""], "agg-2-column": [""],
    "order_by": ["avg_handling_hours"], "order": ["asc"], "limit": ["25"],
}


def test_form_round_trip(variant):
    request = parse_builder_form(SCHEMA, FORM)
    assert request == BuilderRequest(
        "incidents",
        filters=(Filter("category", "eq", "渣土"), Filter("street", "is_empty", "")),
        group_by=("street",),
        aggregates=(Aggregate("count", None), Aggregate("avg", "handling_hours")),
        order_by="avg_handling_hours", descending=False, limit=25)
    result = run(variant, build_query(SCHEMA, request))
    assert result.columns == ["street", "count", "avg_handling_hours"]
    blank = [r for r in BY_NAME if r["category"] == "渣土"
             and (r["street"] is None or not r["street"].strip())]
    assert sum(row[1] for row in result.rows) == len(blank)


def test_form_defaults():
    request = parse_builder_form(SCHEMA, {"table": ["trucks"], "agg-0-column": [""]})
    assert request == BuilderRequest("trucks")


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"table": ["nope"]}, "unknown_table", "table"),
    ({"filter-3-column": ["nope"]}, "unknown_column", "filter-3-column"),
    ({"filter-3-op": ["regexp"]}, "unknown_op", "filter-3-op"),
    ({"filter-3-op": ["contains"], "filter-3-value": [""]}, "value_required", "filter-3-value"),
    ({"filter-7-column": ["load_t"], "filter-7-op": ["gt"], "filter-7-value": ["heavy"]},
     "not_a_number", "filter-7-value"),
    ({"group-1": ["nope"]}, "unknown_column", "group-1"),
    ({"group-2": ["plate"], "group-3": ["category"]}, "too_many_groups", "group-3"),
    ({"agg-1-func": ["sum"], "agg-1-column": ["plate"]}, "not_numeric", "agg-1-column"),
    ({"agg-2-func": ["mode"]}, "unknown_func", "agg-2-func"),
    ({"agg-2-column": ["load_t"]}, "unknown_func", "agg-2-func"),
    ({"order_by": ["nope"]}, "unknown_order", "order_by"),
    ({"order": ["sideways"]}, "bad_order", "order"),
    ({"limit": ["ten"]}, "bad_limit", "limit"),
    ({"limit": ["0"]}, "bad_limit", "limit"),
    ({"limit": ["5000"]}, "bad_limit", "limit"),
    ({"filter-0-value": ["x" * 201]}, "value_too_long", "filter-0-value"),
])
def test_form_refusals_name_the_form_field(changes, code, field):
    with pytest.raises(BuilderError) as caught:
        parse_builder_form(SCHEMA, {**FORM, **changes})
    assert (caught.value.code, caught.value.field) == (code, field)


def test_form_with_too_many_filters_names_the_first_one_over():
    form = {"table": ["incidents"]}
    for i in range(0, 20, 2):  # ten filters, numbered with gaps
        form |= {f"filter-{i}-column": ["id"], f"filter-{i}-op": ["gt"], f"filter-{i}-value": ["1"]}
    with pytest.raises(BuilderError) as caught:
        parse_builder_form(SCHEMA, form)
    assert (caught.value.code, caught.value.field) == ("too_many_filters", "filter-16-column")


def test_form_group_without_aggregates_counts():
    request = parse_builder_form(SCHEMA, {"table": ["incidents"], "group-0": ["category"]})
    assert request.aggregates == ()
    assert "count(*) AS count" in build_query(SCHEMA, request)


# --- browsing -------------------------------------------------------------------------

def test_browse_pages_cover_every_row_once_in_order(variant):
    per_page, seen = 7, []
    for page in range(1, 30):
        rows_sql, count_sql = build_browse_queries(
            SCHEMA, "incidents", (), "handling_hours", True, page, per_page)
        rows = run(variant, rows_sql).rows
        assert len(rows) <= per_page
        seen += [row[0] for row in rows]
    assert run(variant, count_sql).rows == [(150,)]
    def key(r):
        return (r["handling_hours"] is None, -(r["handling_hours"] or 0), r["id"])
    assert seen == [r["id"] for r in sorted(BY_NAME, key=key)]


def test_browse_filters_count_and_sort_ascending(variant):
    filters = (Filter("category", "eq", "噪音"), Filter("load_t", "ge", "20"))
    rows_sql, count_sql = build_browse_queries(SCHEMA, "incidents", filters, "load_t", False,
                                               2, 5)
    assert rows_sql.endswith("LIMIT 5 OFFSET 5")
    matching = sorted((r for r in BY_NAME if r["category"] == "噪音"
                       and r["load_t"] is not None and r["load_t"] >= 20),
                      key=lambda r: (r["load_t"], r["id"]))
    assert run(variant, count_sql).rows == [(len(matching),)]
    assert [row[0] for row in run(variant, rows_sql).rows] == [r["id"] for r in matching[5:10]]


def test_browse_without_sort_uses_insertion_order_and_past_the_end_is_empty(variant):
    rows_sql, _ = build_browse_queries(SCHEMA, "incidents", (), None, True, 3, 10)
    assert [row[0] for row in run(variant, rows_sql).rows] == list(range(21, 31))
    last, _ = build_browse_queries(SCHEMA, "incidents", (), None, True, 16, 10)
    assert run(variant, last).rows == []


def test_browse_a_table_with_a_column_called_rowid():
    columns = [("rowid", "TEXT"), ("n", "INTEGER")]
    data = [("z", 1), ("a", 1), ("m", 1)]
    variant = build_variant([TableData("odd", columns, data)])
    rows_sql, _ = build_browse_queries({"odd": columns}, "odd", (), "n", True, 1, 10)
    assert run(variant, rows_sql).rows == data  # ties keep the insertion order


@pytest.mark.parametrize(("args", "code", "field"), [
    (("nope", (), None, True, 1, 10), "unknown_table", "table"),
    (("incidents", (), "nope", True, 1, 10), "unknown_column", "sort"),
    (("incidents", (), None, True, 0, 10), "bad_page", "page"),
    (("incidents", (), None, True, True, 10), "bad_page", "page"),
    (("incidents", (), None, True, 1, 0), "bad_per_page", "per_page"),
    (("incidents", (), None, True, 1, 201), "bad_per_page", "per_page"),
    (("incidents", (Filter("id", "ge", "x"),), None, True, 1, 10), "not_a_number",
     "filter-0-value"),
])
def test_browse_refusals(args, code, field):
    with pytest.raises(BuilderError) as caught:
        build_browse_queries(SCHEMA, *args)
    assert (caught.value.code, caught.value.field) == (code, field)
