"""渣土车: three months of weigh-station records of registered muck trucks (AI310, DA110).

Planted, for a cadre to find with a join and a group-by:

- a few repeat overloaders: exactly the plates with at least ``REPEAT_THRESHOLD``
  overloaded weighings (load_t > legal_limit_t);
- one company, not the largest, with the most overloaded weighings;
- overloads concentrated at night (22:00–05:00), when most trucks run anyway;
- the video flag (camera_flag) misses some overloads and raises false alarms;
- dirty rows: plates read as "渝A 12345" or "渝A·12345" (normalise before joining) and a
  few weighings with no load (the scale was down).

Counts in the finding treat plates after removing spaces and "·".
"""

from datetime import datetime

from app.domain.scenarios.base import (
    Column,
    Dataset,
    ParamSpec,
    Scenario,
    Table,
)
from app.domain.scenarios.identities import company_names, plates
from app.domain.scenarios.sampling import (
    Clock,
    Picker,
    allocate,
    begin,
    below,
    clamp,
    expand,
)

KEY = "muck_trucks"
DAYS = 92
CLOCK = Clock(datetime(2025, 3, 1), DAYS)
REPEAT_THRESHOLD = 5
NIGHT = frozenset((22, 23, 0, 1, 2, 3, 4))
AXLES = Picker(((2, 18.0), (3, 25.0), (4, 31.0)), (5, 25, 70))  # GB 1589-2016 limits, tonnes
SITES = Picker(("渝北区空港大道动态称重点", "巴南区渝南大道动态称重点",
                "沙坪坝区西永大道动态称重点", "九龙坡区华龙大道动态称重点",
                "南岸区茶园通江大道动态称重点", "江北区五童路动态称重点"),
               (24, 18, 17, 15, 14, 12))
# Muck trucks mostly run at night inside the city; sites still weigh some by day.
HOURS = Picker(range(24), (14, 12, 11, 9, 7, 3, 2, 2, 2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 3, 5,
                           8, 13, 15))

PARAMETERS = {
    "rows": ParamSpec(5000, 500, 50_000, "称重记录条数"),
    "trucks": ParamSpec(200, 20, 2000, "备案渣土车数量（称重记录条数至少为其10倍）"),
}

TRUCK_COLUMNS = [
    Column("plate", "text", "车牌号"),
    Column("company", "text", "运输企业"),
    Column("axles", "integer", "轴数"),
    Column("legal_limit_t", "real", "核定总质量限值（吨）"),
]
WEIGHING_COLUMNS = [
    Column("id", "integer", "记录编号"),
    Column("plate", "text", "车牌号"),
    Column("site", "text", "称重点"),
    Column("weighed_at", "timestamp", "称重时间"),
    Column("load_t", "real", "实测总质量（吨）"),
    Column("legal_limit_t", "real", "核定总质量限值（吨）"),
    Column("camera_flag", "integer", "视频识别超载预警（1是0否）"),
]


def generate(seed: int, params: dict | None = None) -> Dataset:
    values, rng = begin(KEY, PARAMETERS, seed, params)
    if values["rows"] < 10 * values["trucks"]:
        raise ValueError(f"parameter 'rows' must be at least 10 × trucks "
                         f"({10 * values['trucks']}), got {values['rows']}")
    fleet = _fleet(rng, values["trucks"])
    trips = _trips(rng, fleet, values["rows"])
    _enforce(rng, fleet, trips)
    weighings = _weighings(rng, fleet, trips)
    trucks = [(t["plate"], t["company"], t["axles"], t["limit"]) for t in fleet["trucks"]]
    return Dataset(
        [Table("trucks", "渣土车备案信息", TRUCK_COLUMNS, trucks),
         Table("weighings", "动态称重记录", WEIGHING_COLUMNS, weighings)],
        _finding(fleet, trips, weighings),
    )


def _fleet(rng, count: int) -> dict:
    companies = company_names(rng, max(5, min(24, count // 15)))
    sizes = allocate(count, [1 / (rank + 1) ** 0.8 for rank in range(len(companies))])
    bad = rng.randint(1, 2)  # the worst offender is not the biggest company
    owners = expand(sizes)
    trucks = []
    for plate, owner in zip(plates(rng, count), owners, strict=True):
        axles, limit = AXLES.one(rng)
        trucks.append({"plate": plate, "company": companies[owner], "axles": axles,
                       "limit": limit, "bad": owner == bad, "repeat": False,
                       "trips": rng.lognormvariate(0, 0.5)})
    bad_trucks = [t for t in trucks if t["bad"]]
    others = [t for t in trucks if not t["bad"]]
    in_bad = min(len(bad_trucks), rng.randint(2, 4))
    for truck in rng.sample(bad_trucks, in_bad):
        truck["repeat"], truck["trips"] = True, truck["trips"] * 1.6
    rng.choice(others)["repeat"] = True  # one repeat offender elsewhere, less extreme
    return {"trucks": trucks, "bad": companies[bad]}


def _trips(rng, fleet: dict, rows: int) -> list[dict]:
    """One dict per weighing, in truck order; ``over`` decides the load later."""
    trucks = fleet["trucks"]
    counts = allocate(rows, [t["trips"] for t in trucks])
    for index, truck in enumerate(trucks):
        while truck["repeat"] and counts[index] < 2 * REPEAT_THRESHOLD:
            donor = counts.index(max(counts))
            counts[donor] -= 1
            counts[index] += 1
    trips = []
    for index in expand(counts):
        truck = trucks[index]
        hour = HOURS.one(rng)
        night = hour in NIGHT
        if truck["repeat"]:
            chance = (0.75 if night else 0.3) * (1.0 if truck["bad"] else 0.55)
        else:
            chance = (0.10 if night else 0.025) * (3.0 if truck["bad"] else 1.0)
        trips.append({"truck": index, "hour": hour, "night": night,
                      "over": rng.random() < chance})
    return trips


def _enforce(rng, fleet: dict, trips: list[dict]) -> None:
    """Make the plant exact: only repeat trucks reach the threshold; the bad company leads."""
    by_truck: dict[int, list[dict]] = {}
    for trip in trips:
        by_truck.setdefault(trip["truck"], []).append(trip)
    for index, own in by_truck.items():
        over = [t for t in own if t["over"]]
        if fleet["trucks"][index]["repeat"]:
            fresh = sorted((t for t in own if not t["over"]), key=lambda t: not t["night"])
            for trip in fresh[:max(0, REPEAT_THRESHOLD + 1 - len(over))]:
                trip["over"] = True
        else:  # below the threshold, dropping daytime overloads first
            rng.shuffle(over)
            over.sort(key=lambda t: t["night"])
            for trip in over[:max(0, len(over) - REPEAT_THRESHOLD + 1)]:
                trip["over"] = False
    _lead(fleet, trips)


def _lead(fleet: dict, trips: list[dict]) -> None:
    """Top up the worst company's overloads until it leads, night trips first."""
    trucks = fleet["trucks"]
    tally: dict[str, int] = {}
    per_truck = [0] * len(trucks)
    for trip in trips:
        company = trucks[trip["truck"]]["company"]
        tally[company] = tally.get(company, 0) + trip["over"]
        per_truck[trip["truck"]] += trip["over"]
    missing = max(n for c, n in tally.items() if c != fleet["bad"]) + 1 - tally[fleet["bad"]]
    spare = sorted((t for t in trips if not t["over"] and trucks[t["truck"]]["bad"]),
                   key=lambda t: (not trucks[t["truck"]]["repeat"], not t["night"]))
    for trip in spare:
        if missing <= 0:
            return
        truck = trucks[trip["truck"]]
        if truck["repeat"] or per_truck[trip["truck"]] < REPEAT_THRESHOLD - 1:
            trip["over"] = True
            per_truck[trip["truck"]] += 1
            missing -= 1
    if missing > 0:
        raise AssertionError("the worst company cannot be planted")


def _weighings(rng, fleet: dict, trips: list[dict]) -> list[tuple]:
    for trip in trips:
        trip["at"] = below(rng, DAYS) * 86400 + trip["hour"] * 3600 + below(rng, 3600)
    trips.sort(key=lambda t: t["at"])
    # The scale was down for a few weighings (never an overload, so the plant stays exact).
    normal = [i for i, t in enumerate(trips, start=1) if not t["over"]]
    broken = set(rng.sample(normal, max(1, round(len(trips) * 0.004))))
    rows = []
    for ident, trip in enumerate(trips, start=1):
        truck = fleet["trucks"][trip["truck"]]
        limit = truck["limit"]
        if trip["over"]:
            ratio = 1.03 + min(rng.expovariate(1 / 0.22), 0.9)
            flag = rng.random() < 0.78
        else:
            ratio = clamp(rng.gauss(0.9, 0.05), 0.6, 0.99)
            flag = rng.random() < 0.035
        load = None if ident in broken else round(limit * ratio, 2)
        rows.append((ident, _read_plate(rng, truck["plate"]), SITES.one(rng),
                     CLOCK.stamp(trip["at"]), load, limit, int(flag)))
    return rows


def _read_plate(rng, plate: str) -> str:
    draw = rng.random()
    if draw < 0.006:
        return plate[:2] + " " + plate[2:]
    if draw < 0.012:
        return plate[:2] + "·" + plate[2:]
    return plate


def normalise_plate(plate: str) -> str:
    return plate.replace(" ", "").replace("·", "")


def _finding(fleet: dict, trips: list[dict], rows: list[tuple]) -> dict:
    trucks = fleet["trucks"]
    over = [t for t in trips if t["over"]]
    night_trips = sum(t["night"] for t in trips)
    night_over = sum(t["night"] for t in over)
    flagged = [row[6] for row in rows]
    hits = sum(flag for flag, trip in zip(flagged, trips, strict=True) if trip["over"])
    return {
        "repeat_overloaders": sorted(t["plate"] for t in trucks if t["repeat"]),
        "repeat_threshold": REPEAT_THRESHOLD,
        "worst_company": fleet["bad"],
        "worst_company_overloads": sum(trucks[t["truck"]]["company"] == fleet["bad"]
                                       for t in over),
        "overloads": len(over),
        "night_hours": "22:00-05:00",
        "night_overload_share": round(night_over / len(over), 4),
        "night_overload_rate": round(night_over / night_trips, 4),
        "day_overload_rate": round((len(over) - night_over) / (len(trips) - night_trips), 4),
        "camera_precision": round(hits / sum(flagged), 4),
        "camera_recall": round(hits / len(over), 4),
        "plate_variants": sum(normalise_plate(row[1]) != row[1] for row in rows),
        "missing_loads": sum(row[4] is None for row in rows),
    }


SCENARIO = Scenario(
    key=KEY,
    title="渣土车超载治理",
    description="主城区动态称重点三个月的渣土车称重记录和车辆备案信息：车牌、运输企业、"
                "轴数、核定限值、实测总质量和视频识别预警。找出屡次超载的车辆、超载最多的"
                "企业和超载高发时段，并评估视频预警的准确程度。",
    parameters=PARAMETERS,
    generate=generate,
)
