"""The SQL sandbox (DESIGN.md §6): learners' SELECTs on a private in-memory copy.

Every hostile query must be refused or stopped within 2 seconds, leave the data as it
was and leave the process able to run the next query; each such test ends with
``assert_unchanged``.
"""
# Hostile SQL is built from strings on purpose here.
# ruff: noqa: S608

import sqlite3
import threading
import time
from collections import Counter

import pytest

from app.services.exercises.sandbox import (
    ALLOWED_FUNCTIONS,
    SandboxError,
    TableData,
    Variant,
    build_variant,
    explain_error,
    run_query,
)
from app.services.exercises.sandbox.policy import Guard, open_copy
from app.services.exercises.sandbox.runner import run_statement

DISTRICTS = ["渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区"]
PEOPLE_COLUMNS = [("id", "INTEGER"), ("name", "TEXT"), ("district", "TEXT"),
                  ("age", "INTEGER"), ("score", "REAL"), ("joined", "TEXT")]
ROWS = 50_000
QUICK = 2.0  # seconds within which every refusal or stop must come back


def person(i: int) -> tuple:
    return (i, f"干部{i:05d}", DISTRICTS[i % 5], 22 + i % 38, (i * 37 % 1000) / 10,
            f"20{20 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}")


PEOPLE = [person(i) for i in range(1, ROWS + 1)]
DISTRICT_ROWS = [(name, f"D{n}") for n, name in enumerate(DISTRICTS)] + [("北碚区", "D9")]
EXPECTED = {
    "people": [(ROWS, sum(range(1, ROWS + 1)))],
    "districts": [(len(DISTRICT_ROWS), len(DISTRICT_ROWS) * (len(DISTRICT_ROWS) + 1) // 2)],
}


@pytest.fixture(scope="module")
def variant() -> Variant:
    return build_variant([
        TableData("people", PEOPLE_COLUMNS, PEOPLE),
        TableData("districts", [("name", "TEXT"), ("code", "TEXT")], DISTRICT_ROWS),
    ])


def assert_unchanged(variant: Variant) -> None:
    """The data is as built, and the sandbox still answers promptly."""
    checks = {
        "people": "SELECT count(*), sum(id) FROM people",
        "districts": "SELECT count(*), sum(rowid) FROM districts",
    }
    for table, sql in checks.items():
        assert run_query(variant, sql).rows == EXPECTED[table]


def refused(variant: Variant, sql, *, time_limit: float = 0.5, **options) -> SandboxError:
    started = time.monotonic()
    with pytest.raises(SandboxError) as caught:
        run_query(variant, sql, time_limit=time_limit, **options)
    assert time.monotonic() - started < QUICK
    assert caught.value.message_zh and caught.value.message_en
    return caught.value


def rows(variant: Variant, sql: str, **options) -> list[tuple]:
    return run_query(variant, sql, **options).rows


# --- Ordinary queries give the right answers ------------------------------------

def test_group_by_and_order_by(variant):
    result = run_query(
        variant,
        "SELECT district, count(*) AS n, max(age) FROM people GROUP BY district ORDER BY district",
    )
    assert result.columns == ["district", "n", "max(age)"]
    counts = Counter(p[2] for p in PEOPLE)
    ages: dict[str, int] = {}
    for p in PEOPLE:
        ages[p[2]] = max(ages.get(p[2], 0), p[3])
    assert result.rows == [(d, counts[d], ages[d]) for d in sorted(counts)]
    assert result.truncated is False
    assert result.elapsed_ms > 0


def test_join_filter_and_limit(variant):
    got = rows(variant, """
        SELECT d.code, count(p.id), round(avg(p.score), 2)
        FROM districts d LEFT JOIN people p ON p.district = d.name AND p.age >= 50
        GROUP BY d.code ORDER BY d.code""")
    expected = []
    for name, code in sorted(DISTRICT_ROWS, key=lambda r: r[1]):
        scores = [p[4] for p in PEOPLE if p[2] == name and p[3] >= 50]
        mean = round(sum(scores) / len(scores), 2) if scores else None
        expected.append((code, len(scores), mean))
    assert got == expected
    assert rows(variant, "SELECT id FROM people WHERE name LIKE '%00042' ORDER BY id") == [(42,)]
    assert rows(variant, "SELECT id FROM people WHERE name GLOB '干部0001?' ORDER BY id LIMIT 3") \
        == [(10,), (11,), (12,)]


def test_window_functions(variant):
    got = rows(variant, """
        SELECT id, row_number() OVER w, rank() OVER (ORDER BY age DESC),
               lag(id) OVER w, sum(id) OVER w
        FROM people WHERE id <= 6 WINDOW w AS (ORDER BY id) ORDER BY id""")
    assert [r[1] for r in got] == [1, 2, 3, 4, 5, 6]
    assert [r[3] for r in got] == [None, 1, 2, 3, 4, 5]
    assert [r[4] for r in got] == [1, 3, 6, 10, 15, 21]
    assert [r[2] for r in got] == [6, 5, 4, 3, 2, 1]  # age rises with id here


def test_ctes_plain_and_bounded_recursive(variant):
    assert rows(variant, """
        WITH young AS (SELECT * FROM people WHERE age < 25)
        SELECT count(*) FROM young""") == [(sum(1 for p in PEOPLE if p[3] < 25),)]
    assert rows(variant, """
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10)
        SELECT sum(x), count(*) FROM c""") == [(55, 10)]


def test_date_functions(variant):
    assert rows(variant, """
        SELECT date('2024-01-31', '+1 month'), strftime('%Y-%m', '2024-03-05'),
               julianday('2024-03-01') - julianday('2024-02-01'),
               datetime('2024-01-01 08:00:00', '+90 minutes'), typeof(current_date)""") == [
        ("2024-03-02", "2024-03", 29.0, "2024-01-01 09:30:00", "text")]
    by_year = rows(variant, "SELECT strftime('%Y', joined) AS y, count(*) FROM people "
                            "GROUP BY y ORDER BY y")
    assert by_year == sorted(Counter(p[5][:4] for p in PEOPLE).items())


def test_values_and_everyday_expressions(variant):
    assert rows(variant, "VALUES (1, 'a'), (2, 'b')") == [(1, "a"), (2, "b")]
    assert rows(variant, """
        SELECT CASE WHEN 2 > 1 THEN 'yes' END, CAST('12' AS INTEGER) + 1, 5 BETWEEN 1 AND 9,
               3 IN (1, 2, 3), coalesce(NULL, 'x'), ifnull(NULL, 0), nullif(1, 1),
               iif(1, 'a', 'b'), typeof(1.5), round(2.345, 2), abs(-3), upper('ab') || lower('CD'),
               length('中文'), substr('abcdef', 2, 3), trim('  a  '), floor(2.7), 7 % 3""") == [
        ("yes", 13, 1, 1, "x", 0, None, "a", "real", 2.35, 3, "ABcd", 2, "bcd", "a", 2.0, 1)]


def test_queries_given_as_bytes_with_comments_and_a_final_semicolon(variant):
    assert rows(variant, "SELECT 1;") == [(1,)]
    assert rows(variant, "-- count\nSELECT 2; -- done\n;") == [(2,)]
    assert rows(variant, "SELECT ';' AS semi /* ; */") == [(";",)]
    assert rows(variant, "\ufeffSELECT 3".encode()) == [(3,)]
    assert rows(variant, "SELECT '中文'".encode()) == [("中文",)]


def test_learners_can_list_their_tables_and_nothing_else(variant):
    listed = rows(variant, "SELECT type, name FROM sqlite_master ORDER BY name")
    assert listed == [("table", "districts"), ("table", "people")]
    assert rows(variant, "SELECT count(*) FROM sqlite_schema") == [(2,)]
    assert "STRICT" in rows(variant, "SELECT sql FROM sqlite_master WHERE name = 'people'")[0][0]


def test_other_variants_and_the_application_database_are_out_of_reach(variant, db):
    other = build_variant([TableData("secrets", [("v", "TEXT")], [("hidden",)])])
    assert rows(other, "SELECT v FROM secrets") == [("hidden",)]
    for sql in ("SELECT * FROM secrets", 'SELECT * FROM "user"', "SELECT * FROM course",
                "SELECT * FROM main.course", "SELECT * FROM other.secrets"):
        assert refused(variant, sql).code == "syntax"
    assert refused(variant, "SELECT * FROM temp.sqlite_master").code == "forbidden_table"
    assert refused(variant, "ATTACH 'instance/academy.db' AS app").code == "not_select"
    assert_unchanged(variant)
    assert_unchanged(variant)


def test_rows_beyond_the_cap_are_left_unfetched(variant):
    result = run_query(variant, "SELECT * FROM people")
    assert len(result.rows) == 1000 and result.truncated is True
    assert result.rows[0] == PEOPLE[0]
    exact = run_query(variant, "SELECT id FROM people LIMIT 10", row_cap=10)
    assert len(exact.rows) == 10 and exact.truncated is False
    assert run_query(variant, "SELECT id FROM people", row_cap=10).truncated is True


@pytest.mark.parametrize("sql", [
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) "
    "SELECT x FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c",
    "SELECT * FROM people a, people b",
])
def test_millions_of_rows_stop_at_the_cap_quickly(variant, sql):
    started = time.monotonic()
    result = run_query(variant, sql, time_limit=1.0)  # well before the time limit
    assert time.monotonic() - started < 1.0
    assert len(result.rows) == 1000 and result.truncated is True
    assert_unchanged(variant)


# --- Statements other than SELECT -----------------------------------------------

WRITES = [
    "INSERT INTO people (id) VALUES (0)",
    "UPDATE people SET age = 0",
    "DELETE FROM people",
    "REPLACE INTO districts VALUES ('x', 'y')",
    "CREATE TABLE t (x INTEGER)",
    "CREATE TEMP TABLE t AS SELECT * FROM people",
    "CREATE VIEW v AS SELECT 1",
    "CREATE INDEX i ON people (age)",
    "CREATE TRIGGER tr AFTER INSERT ON people BEGIN DELETE FROM people; END",
    "CREATE VIRTUAL TABLE f USING fts5(x)",
    "DROP TABLE people",
    "ALTER TABLE people RENAME TO p",
    "ANALYZE",
    "REINDEX",
    "VACUUM",
    "BEGIN",
    "COMMIT",
    "SAVEPOINT s",
    "RELEASE s",
    "EXPLAIN SELECT 1",
    "EXPLAIN QUERY PLAN SELECT 1",
    "DETACH main",
    "WITH x AS (SELECT 1) DELETE FROM people",
    "WITH x AS (SELECT 1) INSERT INTO people SELECT * FROM people",
    "WITH x AS (SELECT 1) UPDATE people SET age = 0",
    "(SELECT 1)",
]
PRAGMAS = [
    "PRAGMA query_only = 0",
    "PRAGMA writable_schema = 1",
    "PRAGMA table_info(people)",
    "PRAGMA database_list",
    "PRAGMA journal_mode = WAL",
    "PRAGMA temp_store_directory = '/tmp'",
    "PRAGMA cache_size = 1",
    "PRAGMA soft_heap_limit = 1",
    "PRAGMA hard_heap_limit = 1",
    "PRAGMA trusted_schema = 1",
    "PRAGMA compile_options",
    "PRAGMA function_list",
    "PRAGMA integrity_check",
    "PRAGMA mmap_size = 1000000000",
    "PRAGMA main.user_version = 7",
]


@pytest.mark.parametrize("sql", WRITES + PRAGMAS)
def test_only_select_is_allowed(variant, sql):
    error = refused(variant, sql)
    assert error.code == "not_select"
    assert error.message_zh == "只允许查询语句（SELECT）"
    assert error.message_en == "Only SELECT queries are allowed"
    assert_unchanged(variant)


# Refused by the first-word check alone: EXPLAIN compiles its SELECT under the same
# authorizer and lists opcodes; a bare REINDEX has nothing to do in a database without
# indexes and asks the authorizer nothing. Both are harmless. "(SELECT 1)" is not SQL.
CONNECTION_REFUSES = [sql for sql in WRITES + PRAGMAS
                      if sql[0] != "(" and "EXPLAIN" not in sql and sql != "REINDEX"]


@pytest.mark.parametrize("sql", CONNECTION_REFUSES)
def test_the_connection_refuses_them_without_the_text_checks(variant, sql):
    """The authorizer and query_only hold even if the text checks were fooled."""
    with pytest.raises(SandboxError) as caught:
        run_statement(variant, sql, time_limit=0.5, row_cap=10)
    assert caught.value.code in ("not_select", "syntax")  # syntax: fts5 is not compiled in
    assert_unchanged(variant)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM pragma_table_info('people')",
    "SELECT * FROM pragma_database_list",
    "SELECT name FROM pragma_function_list",
    "SELECT * FROM pragma_compile_options",
    "SELECT count(*) FROM pragma_module_list",
    "SELECT * FROM json_each('[1, 2]')",
    "SELECT * FROM temp.sqlite_master",
    "SELECT * FROM sqlite_temp_master AS m, people WHERE m.name = people.name",
])
def test_tables_other_than_the_variants_cannot_be_read(variant, sql):
    assert refused(variant, sql).code == "forbidden_table"
    assert_unchanged(variant)


@pytest.mark.parametrize("sql", [
    "SELECT 1; DELETE FROM people",
    "SELECT 1;DELETE FROM people;",
    "SELECT ';'; DROP TABLE people",
    "SELECT 1; -- then\nATTACH 'x.db' AS x",
    "SELECT 1; SELECT 2",
    "SELECT 1 /* ; */ ; PRAGMA writable_schema = 1",
])
def test_one_statement_at_a_time(variant, sql, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    error = refused(variant, sql)
    assert error.code == "multiple_statements"
    assert error.message_zh == "一次只能执行一条语句"
    assert list(tmp_path.iterdir()) == []
    assert_unchanged(variant)


def test_a_second_statement_is_refused_by_sqlite3_as_well(variant):
    with pytest.raises(SandboxError) as caught:
        run_statement(variant, "SELECT 1; DELETE FROM people", time_limit=0.5, row_cap=10)
    assert caught.value.code == "multiple_statements"
    assert_unchanged(variant)


# --- Files -------------------------------------------------------------------------

def file_attempts(folder) -> list[str]:
    target = folder / "x.db"
    return [
        f"ATTACH '{target}' AS x",
        f"ATTACH 'file:{target}?mode=rwc' AS x",
        f"ATTACH 'file:{folder}/y.db?mode=rw' AS y",
        "ATTACH 'relative.db' AS r",
        f"ATTACH DATABASE '{target}' AS x KEY ''",
        f"VACUUM INTO '{target}'",
        f"VACUUM main INTO 'file:{target}?mode=rwc'",
        "VACUUM INTO 'relative.db'",
    ]


def test_no_file_can_be_attached_or_written(variant, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for sql in file_attempts(tmp_path):
        assert refused(variant, sql).code == "not_select", sql
        with pytest.raises(SandboxError):  # and with the text checks bypassed
            run_statement(variant, sql, time_limit=0.5, row_cap=10)
        assert list(tmp_path.iterdir()) == [], sql
    assert_unchanged(variant)


def test_each_query_runs_on_a_fresh_copy(variant):
    # Even a copy stripped of every guard and emptied leaves the next query unaffected.
    image = variant.serialize()
    conn = open_copy(variant.image, Guard(variant.table_names))
    try:
        conn.set_authorizer(None)
        conn.execute("PRAGMA query_only = OFF")
        conn.execute("DELETE FROM people")
        conn.execute("DROP TABLE districts")
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (0,)
    finally:
        conn.close()
    assert variant.serialize() == image
    assert_unchanged(variant)


# --- Functions ---------------------------------------------------------------------

@pytest.mark.parametrize("sql, name", [
    ("SELECT load_extension('x')", "load_extension"),
    ("SELECT load_extension('/tmp/evil.so', 'init')", "load_extension"),
    ("SELECT randomblob(1e9)", "randomblob"),
    ("SELECT length(zeroblob(1e9))", "zeroblob"),
    ("SELECT printf('%.*c', 1000000000, 'x')", "printf"),
    ("SELECT format('%1000000000d', 1)", "format"),
    ("SELECT printf('%.2f', score) FROM people", "printf"),
    ("SELECT sqlite_version()", "sqlite_version"),
    ("SELECT sqlite_compileoption_used('THREADSAFE')", "sqlite_compileoption_used"),
    ("SELECT json('{}')", "json"),
    ("SELECT '{\"a\": 1}' -> '$.a'", "->"),
    ("SELECT hex(name) FROM people", "hex"),
    ("SELECT char(65)", "char"),
    ("SELECT quote(name) FROM people", "quote"),
    ("SELECT likelihood(1, 0.5)", "likelihood"),
    ("SELECT changes()", "changes"),
    ("SELECT last_insert_rowid()", "last_insert_rowid"),
    ("SELECT count(*) FROM people WHERE unlikely(age > 30)", "unlikely"),
])
def test_functions_off_the_list_are_refused_by_name(variant, sql, name):
    error = refused(variant, sql)
    assert error.code == "forbidden_function"
    assert f"{name}()" in error.message_zh and f"{name}()" in error.message_en
    assert_unchanged(variant)


@pytest.mark.parametrize("sql", [
    "SELECT readfile('/etc/passwd')",
    "SELECT writefile('/tmp/x', 'y')",
    "SELECT edit('x')",
    "SELECT fts3_tokenizer('simple')",
])
def test_shell_only_functions_do_not_exist(variant, sql):
    assert refused(variant, sql).code in ("syntax", "forbidden_function")
    assert_unchanged(variant)


def test_printf_refusal_suggests_round(variant):
    error = refused(variant, "SELECT printf('%.1f', 2.25)")
    assert "round()" in error.message_zh and "round()" in error.message_en


def test_every_allowed_function_is_one_sqlite_has_or_an_operator(variant):
    plain = sqlite3.connect(":memory:")
    listed = {row[0] for row in plain.execute("SELECT name FROM pragma_function_list")}
    plain.close()
    assert ALLOWED_FUNCTIONS - listed <= {"current_date", "current_time", "current_timestamp"}


WEIRD_VALUES = ["'abcabc'", "''", "NULL", "123", "1.5", "1e20", "0.1", "-0.0", "x'61620063'",
                "'中文中'", "'a'", "'bc'", "'  x  '", "' '", "'中'"]


def test_linear_text_functions_give_sqlites_answers(variant):
    calls = []
    for a in WEIRD_VALUES:
        for b in WEIRD_VALUES[:8] + ["'中'", "' '", "'a'"]:
            calls += [f"instr({a}, {b})", f"trim({a}, {b})", f"ltrim({a}, {b})",
                      f"rtrim({a}, {b})", f"replace({a}, {b}, 'Z')", f"replace({a}, 'a', {b})"]
    plain = sqlite3.connect(":memory:")
    try:
        for i in range(0, len(calls), 15):
            sql = "SELECT " + ", ".join(calls[i:i + 15])
            expected = plain.execute(sql).fetchall()
            assert rows(variant, sql) == expected, sql
            types = "SELECT " + ", ".join(f"typeof({c})" for c in calls[i:i + 15])
            assert rows(variant, types) == plain.execute(types).fetchall(), types
    finally:
        plain.close()


BIG = ("WITH RECURSIVE s(v) AS (SELECT 'a' UNION ALL SELECT v || v FROM s "
       "WHERE length(v) < 32768), big AS (SELECT max(v) AS v FROM s) ")


@pytest.mark.parametrize("sql, answer", [
    (BIG + "SELECT instr(v, substr(v, 1, 16000) || 'b') FROM big", 0),
    (BIG + "SELECT length(replace(v, substr(v, 1, 16000) || 'b', '')) FROM big", 32768),
    # SQLite's own trim() takes 1.5 s over this one row: 32,768 x 16,001 comparisons.
    (BIG + "SELECT length(trim(v, replace(substr(v, 1, 16000), 'a', 'b') || 'a')) FROM big", 0),
    (BIG + "SELECT length(ltrim(v || 'x', replace(substr(v, 1, 16000), 'a', 'c') || 'a')) "
           "FROM big", 1),
])
def test_slow_builtin_text_functions_are_replaced_by_linear_ones(variant, sql, answer):
    started = time.monotonic()
    assert rows(variant, sql) == [(answer,)]
    assert time.monotonic() - started < 0.3


# --- Time, size and depth ------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
    "SELECT count(*) FROM people a, people b, people c, people d",
    "SELECT a.id FROM people a, people b ORDER BY a.name || b.name",
    "SELECT count(DISTINCT a.name || b.name) FROM people a, people b",
    "SELECT a.id FROM people a JOIN people b ON a.age = b.age ORDER BY random()",
    BIG + "SELECT count(*) FROM big, people WHERE (v || name) GLOB '*" + "a" * 45 + "b*'",
    BIG + "SELECT count(*) FROM big, people WHERE "
    + " OR ".join(["(v || name) LIKE '%" + "a" * 44 + "b%'"] * 19),
])
def test_long_queries_are_stopped(variant, sql):
    error = refused(variant, sql, time_limit=0.5)
    assert error.code == "too_slow"
    assert error.message_zh == "查询超过 0.5 秒，已停止"
    assert_unchanged(variant)


def test_the_default_time_limit_is_two_seconds(variant):
    started = time.monotonic()
    with pytest.raises(SandboxError) as caught:
        run_query(variant, "SELECT count(*) FROM people a, people b, people c")
    assert 1.9 < time.monotonic() - started < 3.0
    assert caught.value.code == "too_slow"
    assert caught.value.message_zh == "查询超过 2 秒，已停止"
    assert caught.value.message_en == "The query ran longer than 2 seconds and was stopped"
    assert_unchanged(variant)


def test_group_concat_over_a_cross_join_is_stopped(variant):
    error = refused(variant, "SELECT group_concat(a.name) FROM people a, people b")
    assert error.code in ("too_slow", "too_big")
    assert_unchanged(variant)


@pytest.mark.parametrize("sql", [
    "WITH RECURSIVE s(v) AS (SELECT 'a' UNION ALL SELECT v || v FROM s) SELECT max(v) FROM s",
    BIG + "SELECT replace(v, 'a', 'aaaaaaaaaa') FROM big",
    BIG + "SELECT replace(replace(v, 'a', 'ab'), 'b', v) FROM big",
    BIG + "SELECT v || v FROM big",
    BIG + "SELECT group_concat(v) FROM big, districts",
    BIG + "SELECT v FROM big, people",  # 60 x 32 KB passes the 2 MB result budget
    "SELECT group_concat(name) || group_concat(name) FROM people",
])
def test_values_and_results_too_big(variant, sql):
    error = refused(variant, sql)
    assert error.code == "too_big"
    assert_unchanged(variant)


def nested(levels: int) -> str:
    return "SELECT " + "1 + (" * levels + "1" + ")" * levels


@pytest.mark.parametrize("sql, codes", [
    (nested(5000), {"too_long", "too_deep"}),
    (nested(3000), {"too_deep"}),  # 18,000 characters: refused by the depth check
    (nested(40), {"too_deep"}),  # refused by SQLite's parser
    ("SELECT " + " + ".join(["1"] * 500), {"too_deep"}),  # SQLITE_LIMIT_EXPR_DEPTH
    ("SELECT * FROM " + "(SELECT * FROM " * 30 + "people" + ")" * 30, {"too_deep"}),
    (" UNION ".join(["SELECT 1"] * 20), {"too_complex"}),
    ("SELECT coalesce(" + ", ".join(["NULL"] * 20) + ")", {"too_complex"}),
    ("SELECT " + ", ".join(["1"] * 300), {"too_complex"}),
    ("SELECT count(*) FROM " + ", ".join(f"people p{i}" for i in range(70)), {"too_complex"}),
    ("SELECT count(*) FROM people WHERE " + " OR ".join(["name LIKE '%1%'"] * 21),
     {"too_complex"}),
    ("WITH c0 AS (SELECT id FROM districts, people LIMIT 3), "  # compiles 2**19 copies
     + ", ".join(f"c{i} AS (SELECT a.id FROM c{i - 1} a, c{i - 1} b)" for i in range(1, 20))
     + " SELECT count(*) FROM c19", {"too_complex"}),
])
def test_deep_and_complex_queries(variant, sql, codes):
    assert refused(variant, sql).code in codes
    assert_unchanged(variant)


def test_like_patterns_are_limited(variant):
    literal = "SELECT count(*) FROM people WHERE name LIKE '%" + "a" * 100_000 + "%'"
    assert refused(variant, literal).code == "too_long"
    built = ("WITH RECURSIVE p(s) AS (SELECT '%' UNION ALL SELECT s || 'a%' FROM p "
             "WHERE length(s) < 60) SELECT count(*) FROM people, (SELECT max(s) AS s FROM p) "
             "WHERE name LIKE s")
    error = refused(variant, built)
    assert error.code == "too_complex" and "LIKE" in error.message_zh
    assert rows(variant, "SELECT 'abc' LIKE '" + "%" * 50 + "'") == [(1,)]
    assert_unchanged(variant)


def test_query_text_limits(variant):
    megabyte = "SELECT 1 -- " + "x" * 1_000_000
    assert refused(variant, megabyte).code == "too_long"
    assert refused(variant, megabyte.encode()).code == "too_long"
    error = refused(variant, "SELECT '" + "中" * 20_000 + "'")
    assert error.code == "too_long" and "20000" in error.message_zh
    assert rows(variant, "SELECT length('" + "中" * 16_000 + "')") == [(16_000,)]
    assert_unchanged(variant)


@pytest.mark.parametrize("sql", [
    b"SELECT '\xff\xfe'",
    b"SELECT '\xe4\xb8'",  # a cut-off character
    "SELECT '\udcff'",  # a lone surrogate
    "SELECT 1 -- \x00 DELETE FROM people",
    b"SELECT 1\x00; DELETE FROM people",
])
def test_text_that_is_not_utf8_is_refused(variant, sql):
    error = refused(variant, sql)
    assert error.code == "bad_encoding"
    assert_unchanged(variant)


@pytest.mark.parametrize("sql, code", [
    ("", "empty"),
    ("  -- nothing\n /* here */ ;", "empty"),
    ("SELEC 1", "not_select"),
    ("SELECT FROM people", "syntax"),
    ("SELECT nothing FROM people", "syntax"),
    ("SELECT * FROM nowhere", "syntax"),
    ("SELECT ?", "syntax"),
    ("SELECT :name", "syntax"),
    ("SELECT 'unterminated", "syntax"),
    ("SELECT abs(-9223372036854775808)", "query_failed"),
])
def test_mistakes_get_plain_messages(variant, sql, code):
    error = refused(variant, sql)
    assert error.code == code
    if code == "syntax":
        assert error.message_zh.startswith("SQL 语法错误：")
        assert error.message_en.startswith("SQL error: ")


def test_text_that_is_not_utf8_in_the_data_is_shown_not_failed(variant):
    assert rows(variant, "SELECT CAST(x'ff61' AS TEXT)") == [("\ufffda",)]


def test_messages_in_both_languages():
    error = SandboxError("too_long", "查询语句过长", "The query is too long")
    assert explain_error(error) == "查询语句过长"
    assert explain_error(error, "zh-CN") == "查询语句过长"
    assert explain_error(error, "en") == "The query is too long"
    assert error.to_dict() == {"code": "too_long", "message_zh": "查询语句过长",
                               "message_en": "The query is too long"}


def test_options_are_checked(variant):
    with pytest.raises(ValueError):
        run_query(variant, "SELECT 1", time_limit=0)
    with pytest.raises(ValueError):
        run_query(variant, "SELECT 1", row_cap=0)
    with pytest.raises(TypeError):
        run_query(variant, 42)


# --- Threads -------------------------------------------------------------------------

def test_queries_from_many_threads_at_once(variant):
    expected = rows(variant, "SELECT district, count(*) FROM people GROUP BY 1 ORDER BY 1")
    failures: list[object] = []

    def work() -> None:
        try:
            for _ in range(10):
                got = rows(variant, "SELECT district, count(*) FROM people GROUP BY 1 ORDER BY 1")
                if got != expected:
                    failures.append(got)
            with pytest.raises(SandboxError):
                run_query(variant, "SELECT count(*) FROM people a, people b", time_limit=0.2)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert_unchanged(variant)


# --- Building and caching variants ---------------------------------------------------

def test_a_variant_survives_serialization(variant):
    copy = Variant.from_bytes(variant.serialize())
    assert copy.tables == variant.tables
    assert copy.tables["people"] == tuple(PEOPLE_COLUMNS)
    assert_unchanged(copy)


def test_images_that_are_not_variants_are_rejected():
    with pytest.raises(ValueError):
        Variant.from_bytes(b"not a database")
    with pytest.raises(ValueError):
        Variant.from_bytes(b"")
    with pytest.raises(TypeError):
        Variant.from_bytes("text")
    for extra in ("CREATE VIEW v AS SELECT randomblob(10)",
                  "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
                  "CREATE INDEX i ON t (x)",
                  "CREATE TABLE u (x INTEGER)",  # not STRICT: not made by build_variant
                  "CREATE TABLE g (x INTEGER, y ANY AS (zeroblob(9))) STRICT"):
        conn = sqlite3.connect(":memory:")
        conn.execute('CREATE TABLE "t" ("x" INTEGER) STRICT')
        conn.execute(extra)
        image = conn.serialize()
        conn.close()
        with pytest.raises(ValueError):
            Variant.from_bytes(image)


@pytest.mark.parametrize("tables", [
    [],
    [TableData("People", [("id", "INTEGER")], [])],
    [TableData("1t", [("id", "INTEGER")], [])],
    [TableData("sqlite_x", [("id", "INTEGER")], [])],
    [TableData('t"; DROP', [("id", "INTEGER")], [])],
    [TableData("t", [("id", "INTEGER")], []), TableData("t", [("id", "INTEGER")], [])],
    [TableData("t", [], [])],
    [TableData("t", [("id", "BLOB")], [])],
    [TableData("t", [("id", "INTEGER"), ("id", "TEXT")], [])],
    [TableData("t", [("bad name", "TEXT")], [])],
    [TableData("t", [("id", "INTEGER")], [(1, 2)])],
    [TableData("t", [("id", "INTEGER")], [("one",)])],
    [TableData("t", [("id", "INTEGER")], [(1.5,)])],
    [TableData("t", [("v", "TEXT")], [(b"\x00",)])],
    [TableData("t", [("v", "TEXT")], [("x" * 50_001,)])],
    [TableData("t", [("v", "TEXT")], [(object(),)])],
])
def test_bad_table_data_is_rejected(tables):
    with pytest.raises(ValueError):
        build_variant(tables)


def test_types_are_normalized_and_data_kept_exactly():
    variant = build_variant([TableData(
        "t", [("i", "integer"), ("r", "Real"), ("s", "TEXT")],
        [(1, 1.5, "中文"), (None, None, None), (2**62, 2, "")],
    )])
    assert variant.tables["t"] == (("i", "INTEGER"), ("r", "REAL"), ("s", "TEXT"))
    assert rows(variant, "SELECT i, r, s, typeof(r) FROM t ORDER BY rowid") == [
        (1, 1.5, "中文", "real"), (None, None, None, "null"), (2**62, 2.0, "", "real")]
