import random

import pytest

from app.domain.analysis.browse import Filter, build_browse_queries
from app.domain.query_builder import BuilderError
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


def rows_sql(*filters: Filter) -> str:
    return build_browse_queries(SCHEMA, "incidents", filters, None, False, 1, 200)[0]


def ids(variant, *filters: Filter) -> set[int]:
    result = run(variant, rows_sql(*filters))
    assert result.columns[0] == "id"
    return {row[0] for row in result.rows}


def expected_ids(predicate) -> set[int]:
    return {row["id"] for row in BY_NAME if predicate(row)}


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
    sql = rows_sql(rule)
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
    sql = rows_sql(Filter("id", "ge", " +007 "), Filter("load_t", "lt", "2.50"),
                   Filter("load_t", "gt", "1e-3"))
    assert '"id" >= 7' in sql and '"load_t" < 2.5' in sql and '"load_t" > 0.001' in sql


# --- validation -----------------------------------------------------------------------

@pytest.mark.parametrize(("filters", "code", "field"), [
    ((Filter("foo", "eq", "1"),), "unknown_column", "filter-0-column"),
    ((Filter("id", "eq", "1"), Filter("id", "like", "1")), "unknown_op", "filter-1-op"),
    ((Filter("id", "gt", "ten"),), "not_a_number", "filter-0-value"),
    ((Filter("street", "contains", ""),), "value_required", "filter-0-value"),
    ((Filter("street", "eq", "x" * 201),), "value_too_long", "filter-0-value"),
    ((Filter("street", "eq", "a\x00b"),), "bad_character", "filter-0-value"),
    ((Filter("street", "eq", "\ud800"),), "bad_character", "filter-0-value"),
    ((Filter("id", "ge", "1"),) * 9, "too_many_filters", "filter-8-column"),
])
def test_filter_refusals_name_code_and_field(filters, code, field):
    with pytest.raises(BuilderError) as caught:
        rows_sql(*filters)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert isinstance(caught.value, ValueError)


def test_text_comparisons_accept_any_text_but_numbers_must_be_numbers():
    rows_sql(Filter("street", "gt", "abc"))
    for bad in ("nan", "inf", "1e400", "0x10", "1_000", "1,5", "--1"):
        with pytest.raises(BuilderError) as caught:
            rows_sql(Filter("load_t", "lt", bad))
        assert caught.value.code == "not_a_number" and caught.value.params["value"] == bad
    assert rows_sql(Filter("street", "eq", "x" * 200))


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
