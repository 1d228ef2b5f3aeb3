"""网格事件: six months of incidents in the "141" grassroots system (GV210, DA110, DA210).

Planted, for a cadre to find with a group-by:

- one street whose share of overdue incidents (status 已超期) is far above every other;
- one category whose count spikes in one month;
- dirty rows: closed_at before reported_at (negative handling_hours), and duplicate ids
  whose copy spells the street with stray whitespace ("解放碑街道 ", full-width space).

The finding's shares are computed after cleaning: first row per id, whitespace
removed from street names. The overdue quotas make the worst street hold for
every seed and row count; the spike is reliable from about 1,000 rows.
"""

import math
from datetime import datetime

from app.domain.scenarios.base import (
    Column,
    Dataset,
    ParamSpec,
    Scenario,
    Table,
)
from app.domain.scenarios.sampling import (
    STREETS,
    Clock,
    Picker,
    allocate,
    begin,
    below,
    expand,
    month_starts,
)

KEY = "grid_incidents"
MONTH_DATES = month_starts(datetime(2025, 1, 1), 6)
CLOCK = Clock(datetime(2024, 12, 1), 300)  # times are seconds after this origin
MONTHS = [CLOCK.seconds(month) for month in MONTH_DATES]
AS_OF = MONTHS[-1]  # the snapshot: 2025-07-01 00:00:00
HOUR = 3600
SOURCES = ("网格员巡查", "群众上报", "视频识别", "12345热线")
# name, share, median hours to close, time limit (hours), weights of SOURCES, evening-heavy
CATEGORIES = (
    ("环境卫生", 0.27, 10, 48, (4, 2, 3, 1), False),
    ("占道经营", 0.22, 14, 72, (3, 1, 5, 1), False),
    ("设施损坏", 0.17, 36, 120, (4, 3, 1, 2), False),
    ("噪声扰民", 0.14, 8, 48, (1, 3, 0.2, 6), True),
    ("矛盾纠纷", 0.13, 48, 168, (3, 5, 0.1, 2), False),
    ("消防隐患", 0.07, 6, 24, (6, 2, 1, 1), False),
)
MONTH_WEIGHTS = (0.92, 0.78, 1.0, 1.04, 1.08, 1.12)  # February: the Spring Festival lull
_DAY = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 14, 10, 12, 14, 14, 13, 11, 8, 6, 4, 3, 2, 1)
_EVENING = (6, 4, 2, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 7, 9, 12, 14, 13, 10)
HOURS = {False: Picker(range(24), _DAY), True: Picker(range(24), _EVENING)}
SOURCE_PICKERS = [Picker(SOURCES, category[4]) for category in CATEGORIES]

PARAMETERS = {
    "rows": ParamSpec(5000, 200, 50_000, "事件记录条数（含少量重复记录）"),
    "problem_strength": ParamSpec(0.6, 0.2, 1.0, "问题强度：0.2 较隐蔽，1.0 很明显"
                                  "（影响问题街道的超期率和当月激增幅度）"),
}

COLUMNS = [
    Column("id", "integer", "事件编号"),
    Column("district", "text", "区县"),
    Column("street", "text", "街道"),
    Column("grid", "text", "网格"),
    Column("category", "text", "事件类别"),
    Column("source", "text", "来源"),
    Column("reported_at", "timestamp", "上报时间"),
    Column("closed_at", "timestamp", "办结时间"),
    Column("status", "text", "状态"),
    Column("handling_hours", "real", "处置时长（小时）"),
]


def generate(seed: int, params: dict | None = None) -> Dataset:
    values, rng = begin(KEY, PARAMETERS, seed, params)
    duplicates = max(1, round(values["rows"] * 0.004))
    plan = _plan(rng, values["rows"] - duplicates, values["problem_strength"])
    records = _records(rng, plan)
    _mark_overdue(rng, records, plan)
    for record in records:
        _close(rng, record, slow=record["street"] == plan["worst"])
    scrambled = _scramble_closures(rng, records)
    records.sort(key=lambda r: r["reported"])
    rows = _rows(rng, records, duplicates)
    finding = _finding(records, plan, scrambled, duplicates)
    table = Table("incidents", "网格事件", COLUMNS, rows)
    return Dataset([table], finding)


def _plan(rng, count: int, strength: float) -> dict:
    street_counts = allocate(count, [rng.lognormvariate(0, 0.45) for _ in STREETS])
    median = sorted(street_counts)[len(street_counts) // 2]
    worst = rng.choice([i for i, n in enumerate(street_counts) if n >= median])
    rates = [rng.uniform(0.02, 0.09) for _ in STREETS]
    rates[worst] = 0.12 + 0.4 * strength
    spike = (rng.choice([i for i, c in enumerate(CATEGORIES) if c[1] >= 0.13]),
             rng.randrange(len(MONTH_WEIGHTS)))
    cell_weights = []
    for c_index, category in enumerate(CATEGORIES):
        for m_index, month_weight in enumerate(MONTH_WEIGHTS):
            weight = category[1] * month_weight * rng.uniform(0.93, 1.07)
            cell_weights.append(weight * (1.5 + 2.5 * strength if (c_index, m_index) == spike
                                          else 1.0))
    grids = [_grids(rng, street) for _, _, street in STREETS]
    return {"street_counts": street_counts, "worst": worst, "rates": rates, "spike": spike,
            "cell_counts": allocate(count, cell_weights), "grids": grids}


def _grids(rng, street: str) -> Picker:
    stem = street.removesuffix("街道")
    names = [f"{stem}第{n:02d}网格" for n in range(1, rng.randint(8, 18) + 1)]
    return Picker(names, [rng.lognormvariate(0, 0.6) for _ in names])


def _records(rng, plan: dict) -> list[dict]:
    streets = expand(plan["street_counts"])
    rng.shuffle(streets)
    records = []
    for street, cell in zip(streets, expand(plan["cell_counts"]), strict=True):
        category, month = divmod(cell, len(MONTH_WEIGHTS))
        evening = CATEGORIES[category][5]
        start, end = MONTHS[month], MONTHS[month + 1]
        reported = (start + below(rng, (end - start) // 86400) * 86400
                    + HOURS[evening].one(rng) * HOUR + below(rng, HOUR))
        records.append({"street": street, "category": category, "reported": reported,
                        "grid": plan["grids"][street].one(rng),
                        "source": SOURCE_PICKERS[category].one(rng),
                        "closed": None, "status": None})
    return records


def _mark_overdue(rng, records: list[dict], plan: dict) -> None:
    """Exact quotas per street: rounded up for the worst street, down for the others."""
    recent = AS_OF - 90 * 86400
    by_street: dict[int, list[dict]] = {}
    for record in records:
        by_street.setdefault(record["street"], []).append(record)
    for street, group in by_street.items():
        exact = len(group) * plan["rates"][street]
        quota = math.ceil(exact) if street == plan["worst"] else math.floor(exact)
        late = [r for r in group if r["reported"] + _limit(r) <= AS_OF]
        pool = [r for r in late if r["reported"] >= recent]
        pool = pool if len(pool) >= quota else late
        for record in rng.sample(pool, min(quota, len(pool))):
            record["status"] = "已超期"


def _limit(record: dict) -> int:
    return CATEGORIES[record["category"]][3] * HOUR


def _close(rng, record: dict, slow: bool) -> None:
    if record["status"] == "已超期":
        return
    median = CATEGORIES[record["category"]][2] * (1.6 if slow else 1.0)
    hours = min(median * rng.lognormvariate(0, 0.8), 24 * 45)
    closed = record["reported"] + int(max(hours, 0.2) * HOUR)
    if closed > AS_OF:
        waited = AS_OF - record["reported"]
        if waited <= _limit(record):
            record["status"] = "处置中"
            return
        closed = record["reported"] + int(waited * rng.uniform(0.4, 0.95))
    record["closed"] = closed
    record["status"] = "已办结"


def _scramble_closures(rng, records: list[dict]) -> int:
    """A few closing times typed before the report (a data-entry slip)."""
    closed = [r for r in records if r["closed"] is not None]
    chosen = rng.sample(closed, max(1, round(len(records) * 0.003)))
    for record in chosen:
        record["closed"] = record["reported"] - rng.randint(30, 48 * 60) * 60
    return len(chosen)


def _rows(rng, records: list[dict], duplicates: int) -> list[tuple]:
    copied = set(rng.sample(range(len(records)), duplicates))
    rows = []
    for index, record in enumerate(records, start=1):
        row = _row(index, record)
        rows.append(row)
        if index - 1 in copied:
            rows.append(row[:2] + (_spaced(rng, row[2]),) + row[3:])
    return rows


def _row(ident: int, record: dict) -> tuple:
    _, district, street = STREETS[record["street"]]
    closed = record["closed"]
    hours = None if closed is None else round((closed - record["reported"]) / HOUR, 1)
    return (ident, district, street, record["grid"], CATEGORIES[record["category"]][0],
            record["source"], CLOCK.stamp(record["reported"]),
            None if closed is None else CLOCK.stamp(closed), record["status"], hours)


def _spaced(rng, street: str) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return street + " "
    if kind == 1:
        return " " + street
    return street.removesuffix("街道") + "\u3000街道"


def _finding(records: list[dict], plan: dict, scrambled: int, duplicates: int) -> dict:
    overdue = [0] * len(STREETS)
    for record in records:
        overdue[record["street"]] += record["status"] == "已超期"
    shares = [o / n if n else 0.0 for o, n in zip(overdue, plan["street_counts"], strict=True)]
    worst = plan["worst"]
    category, month = plan["spike"]
    width = len(MONTH_WEIGHTS)
    monthly = plan["cell_counts"][category * width:(category + 1) * width]
    others = [n for m, n in enumerate(monthly) if m != month]
    return {
        "worst_street": STREETS[worst][2],
        "worst_district": STREETS[worst][1],
        "overdue_share": round(shares[worst], 4),
        "next_highest_overdue_share": round(max(s for i, s in enumerate(shares) if i != worst),
                                            4),
        "overall_overdue_share": round(sum(overdue) / len(records), 4),
        "spike_category": CATEGORIES[category][0],
        "spike_month": f"{MONTH_DATES[month]:%Y-%m}",
        "spike_count": monthly[month],
        "spike_baseline": round(sum(others) / len(others), 1),
        "closed_before_reported": scrambled,
        "duplicate_ids": duplicates,
        "as_of": CLOCK.stamp(AS_OF),
    }


SCENARIO = Scenario(
    key=KEY,
    title="网格事件处置分析",
    description="某市半年来“141”基层智治系统的网格事件记录：区县、街道、网格、事件类别、"
                "来源、上报与办结时间、状态和处置时长。找出超期问题突出的街道、"
                "某类事件激增的月份，并留意重复记录和时间错误。",
    parameters=PARAMETERS,
    generate=generate,
)
