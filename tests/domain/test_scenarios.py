"""Scenario generators: deterministic, well-typed tables whose planted finding can be found.

Each finding is recomputed here with plain Python from the rows alone, the way a
cadre would with SQL or a group-by, and compared with what the generator says it
planted.
"""

import json
import re
import sqlite3
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest

from app.domain.scenarios import SCENARIOS, get_scenario
from app.domain.scenarios.base import (
    Column,
    ParamSpec,
    Table,
    check_table,
    is_safe_identifier,
    resolve_params,
)

SMALL = {
    "grid_incidents": {"rows": 1500},
    "muck_trucks": {"rows": 1500, "trucks": 60},
    "pipeline_sensors": {"segments": 8, "days": 5},
    "one_thing_services": {"rows": 1500},
    "health_data_sharing": {"rows": 1200},
    "community_requests": {"rows": 450},
}
KEYS = list(SMALL)
SEEDS = (1, 2, 3)
IDENT = re.compile(r"[a-z][a-z0-9_]*")
SQL_TYPES = {"integer": "INTEGER", "real": "REAL", "text": "TEXT", "timestamp": "TEXT"}

_cache: dict = {}


def build(key: str, seed: int = 7, **params):
    """Generated once per (key, seed, params) for the whole module."""
    params = {**SMALL[key], **params}
    marker = (key, seed, tuple(sorted(params.items())))
    if marker not in _cache:
        _cache[marker] = get_scenario(key).generate(seed, params)
    return _cache[marker]


def rows_as_dicts(table: Table) -> list[dict]:
    names = table.column_names
    return [dict(zip(names, row, strict=True)) for row in table.rows]


def parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")


# -- the registry and the shared contract -------------------------------------------------


def test_registry_lists_the_six_scenarios():
    assert set(SCENARIOS) == set(KEYS)
    for key, scenario in SCENARIOS.items():
        assert scenario.key == key
        assert get_scenario(key) is scenario
        assert scenario.title and scenario.description
        for name, spec in scenario.parameters.items():
            assert IDENT.fullmatch(name)
            assert spec.minimum <= spec.default <= spec.maximum, name
            assert spec.help


def test_unknown_scenario_is_refused_by_name():
    with pytest.raises(ValueError, match="no_such"):
        get_scenario("no_such")


@pytest.mark.parametrize("key", KEYS)
def test_same_seed_gives_an_identical_dataset(key):
    first = build(key)
    again = get_scenario(key).generate(7, dict(SMALL[key]))
    assert again == first
    assert json.dumps(again.finding, ensure_ascii=False) == json.dumps(first.finding,
                                                                       ensure_ascii=False)


@pytest.mark.parametrize("key", KEYS)
def test_other_seeds_give_other_numbers_and_the_same_kind_of_finding(key):
    first, second = build(key, seed=1), build(key, seed=2)
    main = first.tables[-1].name if key == "health_data_sharing" else None
    for a, b in zip(first.tables, second.tables, strict=True):
        assert (a.name, a.columns) == (b.name, b.columns)
        if a.name != main:
            assert a.rows != b.rows
    assert first.finding.keys() == second.finding.keys()
    for name in first.finding:
        assert type(first.finding[name]) is type(second.finding[name]) or None in (
            first.finding[name], second.finding[name]), name
    assert first.finding != second.finding


@pytest.mark.parametrize("key", KEYS)
def test_parameters_are_validated_by_name(key):
    scenario = get_scenario(key)
    for name, spec in scenario.parameters.items():
        for bad in (spec.minimum - 1, spec.maximum + 1):
            with pytest.raises(ValueError, match=f"'{name}'.*between"):
                scenario.generate(1, {name: bad})
        for bad in ("1000", True, None, float("nan")):
            with pytest.raises(ValueError, match=f"'{name}'"):
                scenario.generate(1, {name: bad})
        if isinstance(spec.default, int):
            with pytest.raises(ValueError, match=f"'{name}'.*whole"):
                scenario.generate(1, {name: spec.minimum + 0.5})
    with pytest.raises(ValueError, match="'colour'"):
        scenario.generate(1, {"colour": 1})
    with pytest.raises(ValueError, match="seed"):
        scenario.generate("1", {})
    defaults = {name: spec.default for name, spec in scenario.parameters.items()}
    assert resolve_params(scenario.parameters, {}) == defaults
    assert resolve_params(scenario.parameters, None) == defaults


def test_missing_parameters_take_their_defaults():
    scenario = get_scenario("pipeline_sensors")
    default = scenario.generate(5)
    assert len(default.table("segments").rows) == 24
    assert default == scenario.generate(5, {"segments": 24})
    assert resolve_params({"x": ParamSpec(0.5, 0.0, 1.0, "")}, {"x": 1}) == {"x": 1.0}


def test_muck_trucks_needs_enough_weighings_per_truck():
    with pytest.raises(ValueError, match="'rows'.*trucks"):
        get_scenario("muck_trucks").generate(1, {"rows": 1000, "trucks": 200})


@pytest.mark.parametrize(("key", "params", "expected"), [
    ("grid_incidents", {"rows": 200}, {"incidents": 200}),
    ("grid_incidents", {"rows": 1234}, {"incidents": 1234}),
    ("muck_trucks", {"rows": 500, "trucks": 20}, {"trucks": 20, "weighings": 500}),
    ("muck_trucks", {"rows": 1500, "trucks": 60}, {"trucks": 60, "weighings": 1500}),
    ("pipeline_sensors", {"segments": 5, "days": 3}, {"segments": 5, "readings": 5 * 3 * 24}),
    ("pipeline_sensors", {"segments": 8, "days": 5}, {"segments": 8, "readings": 8 * 5 * 24}),
    ("one_thing_services", {"rows": 500}, {"applications": 500}),
    ("one_thing_services", {"rows": 1500}, {"applications": 1500}),
    ("health_data_sharing", {"rows": 200}, {"claims": 200, "sharing_requests": 5}),
    ("health_data_sharing", {"rows": 1200}, {"claims": 1200, "sharing_requests": 5}),
    ("community_requests", {"rows": 200}, {"requests": 200}),
    ("community_requests", {"rows": 450}, {"requests": 450}),
])
def test_row_counts_follow_the_parameters(key, params, expected):
    dataset = build(key, **params)
    assert {t.name: len(t.rows) for t in dataset.tables} == expected


def _type_ok(column: Column, value) -> bool:
    if value is None:
        return True
    if column.type == "integer":
        return type(value) is int
    if column.type == "real":
        return type(value) is float
    if column.type == "timestamp":
        return type(value) is str and parse(value) is not None
    return type(value) is str


@pytest.mark.parametrize("key", KEYS)
def test_every_value_has_its_column_type(key):
    dataset = build(key)
    for table in dataset.tables:
        assert check_table(table) == []
        assert table.rows and table.label
        for row in table.rows:
            assert type(row) is tuple and len(row) == len(table.columns)
            for column, value in zip(table.columns, row, strict=True):
                assert _type_ok(column, value), (table.name, column.name, value)
        for column in table.columns:
            assert column.label and not column.label.isascii()
            if column.type == "timestamp":
                assert any(row[table.column_names.index(column.name)] for row in table.rows)


def test_check_table_reports_wrong_values():
    columns = [Column("n", "integer", "数"), Column("at", "timestamp", "时间")]
    table = Table("t", "表", columns, [(1, "2025-01-01 00:00:00"), (True, "2025-02-30 00:00:00"),
                                       (2.0, None)])
    problems = check_table(table)
    assert len(problems) == 3
    assert "row 1 column n" in problems[0] and "row 1 column at" in problems[1]
    with pytest.raises(ValueError, match="row 1 has 1 values, expected 2"):
        Table("t", "表", columns, [(1, None), (1,)])
    for bad in ("Street", "group", "1st", "街道", "a-b", "order"):
        assert not is_safe_identifier(bad)
        with pytest.raises(ValueError):
            Column(bad, "text", "x")
    with pytest.raises(ValueError, match="type"):
        Column("n", "date", "日期")


@pytest.mark.parametrize("key", KEYS)
def test_tables_load_into_sqlite_with_bare_identifiers(key):
    dataset = build(key)
    connection = sqlite3.connect(":memory:")
    for table in dataset.tables:
        assert IDENT.fullmatch(table.name) and is_safe_identifier(table.name)
        names = table.column_names
        assert all(IDENT.fullmatch(n) and is_safe_identifier(n) for n in names)
        columns = ", ".join(f"{c.name} {SQL_TYPES[c.type]}" for c in table.columns)
        # Bare (unquoted) names on purpose: that is what the check is about.
        connection.execute(f"CREATE TABLE {table.name} ({columns})")
        marks = ", ".join("?" * len(names))
        insert = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
        connection.executemany(insert, table.rows)
        count_sql = f"SELECT COUNT(*) FROM {table.name}"  # noqa: S608
        count = connection.execute(count_sql).fetchone()[0]
        assert count == len(table.rows)
    connection.close()


@pytest.mark.parametrize("key", KEYS)
def test_finding_is_plain_json(key):
    finding = build(key).finding
    assert json.loads(json.dumps(finding)) == finding


# -- each planted finding, found again from the rows -----------------------------------------


def _clean_incidents(dataset) -> list[dict]:
    seen, clean = set(), []
    for row in rows_as_dicts(dataset.table("incidents")):
        if row["id"] not in seen:
            seen.add(row["id"])
            clean.append({**row, "street": "".join(row["street"].split())})
    return clean


@pytest.mark.parametrize("seed", SEEDS)
def test_grid_incidents_finding_is_discoverable(seed):
    dataset = build("grid_incidents", seed)
    finding = dataset.finding
    raw = dataset.table("incidents").rows
    clean = _clean_incidents(dataset)
    assert len(raw) - len(clean) == finding["duplicate_ids"] > 0
    assert len({r[2] for r in raw}) > len({r["street"] for r in clean})  # whitespace variants

    totals, overdue = Counter(), Counter()
    for row in clean:
        totals[row["street"]] += 1
        overdue[row["street"]] += row["status"] == "已超期"
    shares = {street: overdue[street] / totals[street] for street in totals}
    worst = max(shares, key=shares.get)
    assert worst == finding["worst_street"]
    assert shares[worst] == pytest.approx(finding["overdue_share"], abs=1e-4)
    assert shares[worst] > 2 * sorted(shares.values())[-2]
    district = {r["street"]: r["district"] for r in clean}[worst]
    assert district == finding["worst_district"]

    monthly = Counter((r["category"], r["reported_at"][:7]) for r in clean)
    months = sorted({month for _, month in monthly})

    def jump(category, month):
        others = [monthly[(category, m)] for m in months if m != month]
        return monthly[(category, month)] / statistics.mean(others)

    spike = max(monthly, key=lambda cell: jump(*cell))
    assert spike == (finding["spike_category"], finding["spike_month"])
    assert monthly[spike] == finding["spike_count"]

    backwards = [r for r in clean if r["closed_at"] and r["closed_at"] < r["reported_at"]]
    assert len(backwards) == finding["closed_before_reported"] > 0
    assert all(r["handling_hours"] < 0 for r in backwards)
    _check_incident_states(clean, finding["as_of"])


def _check_incident_states(clean: list[dict], as_of: str):
    for row in clean:
        assert row["reported_at"] < as_of
        if row["status"] == "已办结":
            assert row["closed_at"] is not None and row["handling_hours"] is not None
            hours = (parse(row["closed_at"]) - parse(row["reported_at"])).total_seconds() / 3600
            assert row["handling_hours"] == pytest.approx(hours, abs=0.06)
        else:
            assert row["status"] in ("处置中", "已超期")
            assert row["closed_at"] is None and row["handling_hours"] is None


def test_grid_worst_street_holds_at_the_smallest_size_and_strength():
    for seed in SEEDS:
        dataset = build("grid_incidents", seed, rows=200, problem_strength=0.2)
        clean = _clean_incidents(dataset)
        totals = Counter(r["street"] for r in clean)
        overdue = Counter(r["street"] for r in clean if r["status"] == "已超期")
        worst = max(totals, key=lambda s: overdue[s] / totals[s])
        assert worst == dataset.finding["worst_street"]


def _plate(text: str) -> str:
    return text.replace(" ", "").replace("·", "")


@pytest.mark.parametrize("seed", SEEDS)
def test_muck_trucks_finding_is_discoverable(seed):
    dataset = build("muck_trucks", seed)
    finding = dataset.finding
    trucks = {row[0]: row for row in dataset.table("trucks").rows}
    weighings = rows_as_dicts(dataset.table("weighings"))
    assert all(re.fullmatch(r"渝A\d{5}", plate) for plate in trucks)
    assert all(_plate(w["plate"]) in trucks for w in weighings)
    assert sum(_plate(w["plate"]) != w["plate"] for w in weighings) == finding["plate_variants"]
    assert sum(w["load_t"] is None for w in weighings) == finding["missing_loads"] > 0

    over = [w for w in weighings if w["load_t"] is not None and w["load_t"] > w["legal_limit_t"]]
    assert len(over) == finding["overloads"]
    per_plate = Counter(_plate(w["plate"]) for w in over)
    repeaters = sorted(p for p, n in per_plate.items() if n >= finding["repeat_threshold"])
    assert repeaters == finding["repeat_overloaders"]
    assert 3 <= len(repeaters) <= 6
    per_company = Counter(trucks[_plate(w["plate"])][1] for w in over)
    assert per_company.most_common(1)[0][0] == finding["worst_company"]
    assert per_company[finding["worst_company"]] == finding["worst_company_overloads"]
    fleet = Counter(row[1] for row in trucks.values())
    assert fleet.most_common(1)[0][0] != finding["worst_company"]

    def at_night(w):
        return parse(w["weighed_at"]).hour >= 22 or parse(w["weighed_at"]).hour < 5

    night_rate = sum(map(at_night, over)) / sum(map(at_night, weighings))
    day_rate = (len(over) - sum(map(at_night, over))) / (len(weighings)
                                                         - sum(map(at_night, weighings)))
    assert night_rate == pytest.approx(finding["night_overload_rate"], abs=1e-4)
    assert day_rate == pytest.approx(finding["day_overload_rate"], abs=1e-4)
    assert night_rate > 1.5 * day_rate

    flagged = [w for w in weighings if w["camera_flag"] == 1]
    overloaded = {w["id"] for w in over}
    hits = [w for w in flagged if w["id"] in overloaded]
    assert len(hits) / len(flagged) == pytest.approx(finding["camera_precision"], abs=1e-4)
    assert len(hits) / len(over) == pytest.approx(finding["camera_recall"], abs=1e-4)
    for w in weighings:
        assert w["legal_limit_t"] == trucks[_plate(w["plate"])][3]


@pytest.mark.parametrize("seed", SEEDS)
def test_pipeline_sensors_finding_is_discoverable(seed):
    dataset = build("pipeline_sensors", seed)
    finding = dataset.finding
    segments = {row[0]: row for row in dataset.table("segments").rows}
    series = defaultdict(list)
    for row in dataset.table("readings").rows:
        series[row[0]].append(row)
    assert set(series) == set(segments)
    nulls = sum(r[2] is None for rows in series.values() for r in rows)
    assert nulls == finding["null_readings"] > 0

    below = {s for s, rows in series.items() if any(r[2] is not None and r[2] < r[4]
                                                    for r in rows)}
    assert below == {finding["leak_segment_id"]}
    leak = series[finding["leak_segment_id"]]
    assert _leak_start(leak) == finding["leak_start"]
    assert segments[finding["leak_segment_id"]][2] == finding["leak_material"]
    start = finding["leak_start"]
    night = [r[3] for r in leak if r[3] is not None and parse(r[1]).hour in (2, 3, 4)]
    before = [r[3] for r in leak if r[3] is not None and parse(r[1]).hour in (2, 3, 4)
              and r[1] < start]
    assert statistics.mean(night) > statistics.mean(before) * 1.05

    runs = {s: _longest_repeat(rows) for s, rows in series.items()}
    stuck = max(runs, key=lambda s: runs[s][0])
    assert stuck == finding["stuck_segment_id"]
    assert runs[stuck][1] == finding["stuck_from"] and runs[stuck][0] >= 12
    assert sorted(r[0] for r in runs.values())[-2] <= 3


def _leak_start(rows: list[tuple]) -> str:
    """The first hour whose pressure is 5 % below and flow well above the same hour of day 1."""
    base = {parse(r[1]).hour: r for r in rows[:24]}
    mean_flow = statistics.mean(r[3] for r in rows[:24])
    for row in rows[24:]:
        if row[2] is None:
            continue
        first = base[parse(row[1]).hour]
        if row[2] < first[2] * 0.95 and row[3] > first[3] + 0.12 * mean_flow:
            return row[1]
    raise AssertionError("no leak found")


def _longest_repeat(rows: list[tuple]) -> tuple[int, str]:
    """(length, start) of the longest run of one repeated pressure value."""
    best, run, since, previous = (0, ""), 0, "", None
    for row in rows:
        if row[2] is not None and row[2] == previous:
            run += 1
        else:
            run, since = 0, row[1]
        previous = row[2]
        best = max(best, (run, since))
    return best[0], _next_hour(rows, best[1]) if best[0] else ""


def _next_hour(rows: list[tuple], stamp: str) -> str:
    """The stuck value is the last good reading; the fault starts the hour after it."""
    stamps = [r[1] for r in rows]
    return stamps[stamps.index(stamp) + 1]


@pytest.mark.parametrize("seed", SEEDS)
def test_one_thing_services_finding_is_discoverable(seed):
    dataset = build("one_thing_services", seed)
    finding = dataset.finding
    rows = rows_as_dicts(dataset.table("applications"))
    assert sum(r["finished_at"] is None for r in rows) == finding["unfinished"] > 0
    assert sum(r["satisfied"] is None for r in rows) == finding["unrated"] > 0
    days = defaultdict(list)
    visits = defaultdict(list)
    for r in rows:
        visits[(r["service"], r["period"])].append(r["visits"])
        if r["finished_at"] is not None:
            took = (parse(r["finished_at"]) - parse(r["submitted_at"])).total_seconds() / 86400
            assert took > 0
            days[(r["service"], r["period"])].append(took)
            days[(r["district"], r["period"])].append(took)
    services = {r["service"] for r in rows}
    cut = {s: 1 - statistics.mean(days[(s, "改革后")]) / statistics.mean(days[(s, "改革前")])
           for s in services}
    lagging = min(cut, key=cut.get)
    assert lagging == finding["lagging_service"]
    assert cut[lagging] < 0.25 and all(c > 0.5 for s, c in cut.items() if s != lagging)
    for s in services - {lagging}:
        assert statistics.mean(visits[(s, "改革后")]) < statistics.mean(visits[(s, "改革前")]) / 2
    after = {d: statistics.mean(days[(d, "改革后")]) for d in {r["district"] for r in rows}}
    assert max(after, key=after.get) == finding["lagging_district"]
    assert after == pytest.approx(finding["after_mean_days_by_district"], abs=0.01)


def _gb11643_ok(number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    check = (12 - sum(int(d) * w for d, w in zip(number, weights, strict=False)) % 11) % 11
    return number[17].upper() == ("X" if check == 10 else str(check))


def test_gb11643_check_of_known_numbers():
    assert _gb11643_ok("11010519491231002X")  # the standard's own example
    assert _gb11643_ok("440524188001010014")
    assert not _gb11643_ok("110105194912310021")


@pytest.mark.parametrize("seed", SEEDS)
def test_health_data_sharing_finding_is_discoverable(seed):
    dataset = build("health_data_sharing", seed)
    finding = dataset.finding
    claims = rows_as_dicts(dataset.table("claims"))
    names = dataset.table("claims").column_names
    assert set(finding["mask_columns"]) == {"name", "id_number", "phone", "diagnosis"}
    assert set(finding["mask_columns"]) | set(finding["quasi_identifiers"]) <= set(names)

    people = {}
    for c in claims:
        number = c["id_number"]
        assert _gb11643_ok(number), number
        assert number[:2] == "50" and int(number[6:10]) == c["birth_year"]
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert c["gender"] == ("男" if int(number[16]) % 2 else "女")
        assert re.fullmatch(r"1[3-9]\d{9}", c["phone"])
        assert date.fromisoformat(c["visit_date"]).year == 2025
        person = (c["name"], c["phone"], c["gender"], c["birth_year"], c["district"])
        assert people.setdefault(number.upper(), person) == person
    assert sum(n.endswith("x") for n in {c["id_number"] for c in claims}) == \
        finding["lowercase_x_ids"]

    by_person, by_rows = defaultdict(set), Counter()
    for c in claims:
        cell = (c["birth_year"], c["gender"], c["district"])
        by_person[cell].add(c["id_number"].upper())
        by_rows[cell] += 1
    alone = [cell for cell, ids in by_person.items() if len(ids) == 1]
    assert len(alone) == finding["k1_groups"] == finding["planted_singletons"]
    assert 3 <= len(alone) <= 6
    assert sum(by_rows[cell] for cell in alone) == finding["k1_records"]
    assert sum(n == 1 for n in by_rows.values()) == finding["k1_groups_by_rows"]

    requests = dataset.table("sharing_requests").rows
    identifiers = {"name", "id_number", "phone"}
    assert [r[0] for r in requests if identifiers & set(r[3].split(","))] == \
        finding["requests_with_identifiers"] != []
    assert [r[0] for r in requests if "diagnosis" in r[3].split(",")] == \
        finding["requests_with_sensitive"]
    assert all(set(r[3].split(",")) <= set(names) for r in requests)


# -- 社区诉求: everything a grid worker finds with a filter, a count by group and a chart --

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def _requests_counts(rows: list[dict]) -> dict:
    """The counts a cadre reads off the builder: group by + count, with one filter."""
    elevator = [r for r in rows if r["category"] == "电梯故障"]
    return {"category": Counter(r["category"] for r in rows),
            "elevator": Counter(r["building"] for r in elevator),
            "noise": Counter(r["weekday"] for r in rows if r["category"] == "噪音扰民")}


@pytest.mark.parametrize("seed", SEEDS)
def test_community_requests_finding_is_discoverable(seed):
    dataset = build("community_requests", seed)
    finding = dataset.finding
    rows = rows_as_dicts(dataset.table("requests"))
    counts = _requests_counts(rows)

    (top, top_n), (_, second_n) = counts["category"].most_common(2)
    assert (top, top_n, second_n) == (finding["top_category"], finding["top_count"],
                                      finding["second_count"])
    assert top_n >= 1.2 * second_n

    (hot, hot_n), (_, next_n) = counts["elevator"].most_common(2)
    assert (hot, hot_n, next_n) == (finding["elevator_building"], finding["elevator_failures"],
                                    finding["next_building_failures"])
    assert hot_n >= 2 * next_n
    late = [r for r in rows if r["building"] == hot and r["category"] == "电梯故障"
            and r["reported_at"] >= finding["last_week_from"]]
    assert len(late) == finding["elevator_last_week"] and 2 * len(late) > hot_n
    assert finding["last_week_from"] == "2025-09-24 00:00:00"

    assert dict(counts["noise"]) == {d: n for d, n in finding["noise_by_weekday"].items() if n}
    (peak, peak_n), (_, runner_up) = counts["noise"].most_common(2)
    assert peak == finding["noise_peak_weekday"] in ("星期五", "星期六") and peak_n > runner_up
    assert {day for day, _ in counts["noise"].most_common(2)} == {"星期五", "星期六"}
    assert all(parse(r["reported_at"]).hour >= 19 for r in rows if r["category"] == "噪音扰民")
    _check_request_states(rows, finding)


def _check_request_states(rows: list[dict], finding: dict):
    slips = [r["id"] for r in rows if r["status"] == "已办结" and r["closed_at"] is None]
    assert slips == finding["closed_without_time"] and len(slips) >= 3
    assert sum(r["status"] == "处置中" for r in rows) == finding["in_progress"] > 0
    handlers: dict[str, set] = defaultdict(set)
    for r in rows:
        reported = parse(r["reported_at"])
        assert "2025-09-01" <= r["reported_at"] < "2025-10-01" == finding["as_of"][:10]
        assert r["weekday"] == WEEKDAY_NAMES[reported.weekday()]
        handlers[r["building"]].add(r["handler"])
        if r["status"] == "处置中":
            assert r["closed_at"] is None and r["satisfaction"] is None
        else:
            assert r["status"] == "已办结" and r["satisfaction"] in ("满意", "不满意", "未评价")
            assert r["closed_at"] is None or r["closed_at"] > r["reported_at"]
        if r["source"] == "网格员巡查":
            assert 8 <= reported.hour < 18  # grid workers patrol by day
    assert all(len(names) == 1 for names in handlers.values())  # one worker per building
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["reported_at"] for r in rows] == sorted(r["reported_at"] for r in rows)


def test_community_requests_findings_hold_at_the_smallest_size_for_many_seeds():
    peaks, tops = set(), set()
    for seed in range(1, 21):
        dataset = get_scenario("community_requests").generate(seed, {"rows": 200})
        finding = dataset.finding
        counts = _requests_counts(rows_as_dicts(dataset.table("requests")))
        (top, top_n), (_, second_n) = counts["category"].most_common(2)
        (hot, hot_n), (_, next_n) = counts["elevator"].most_common(2)
        (peak, peak_n), (_, runner_up) = counts["noise"].most_common(2)
        assert top == finding["top_category"] and top_n > second_n, seed
        assert hot == finding["elevator_building"] and hot_n > next_n + 2, seed
        assert peak == finding["noise_peak_weekday"] and peak_n > runner_up, seed
        assert {day for day, _ in counts["noise"].most_common(2)} == {"星期五", "星期六"}, seed
        assert len(finding["closed_without_time"]) >= 3
        peaks.add(peak)
        tops.add(top)
    assert peaks == {"星期五", "星期六"} and tops == {"垃圾堆放", "占道停车"}


def test_community_requests_names_are_generated_and_buildings_belong_to_estates():
    from app.domain.scenarios.identities import FEMALE_CHARS, MALE_CHARS, SURNAMES

    rows = rows_as_dicts(build("community_requests", 4).table("requests"))
    handlers = {r["handler"] for r in rows}
    assert 4 <= len(handlers) <= 5
    for name in handlers:
        assert name[0] in SURNAMES.items and set(name[1:]) <= set(MALE_CHARS + FEMALE_CHARS)
    buildings = {r["building"] for r in rows}
    assert all(re.fullmatch(r"\w{2,4}\d栋", b) for b in buildings)
    lifts = {r["building"] for r in rows if r["category"] == "电梯故障"}
    assert lifts < buildings  # the old walk-ups have no lift to fail
