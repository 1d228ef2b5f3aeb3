"""地下管网: hourly pressure and flow from water-main segments in the digital twin (AI310, DA210).

Planted, for a cadre to find by comparing each segment with its own baseline:

- a leak on one old segment from a given hour: pressure drops about 12 % and flow
  rises by a steady extra amount, so the night minimum flow (02:00–04:00) jumps and
  the daytime peaks fall below the segment's pressure threshold; no other segment
  ever reads below its threshold;
- a stuck pressure sensor on another segment: the same value every hour from a
  given time while its flow keeps moving;
- dropouts: hours with neither pressure nor flow (NULL), scattered and in one outage.

Normal readings follow a daily demand curve (night minimum, morning and evening
peaks) with pressure highest when demand is lowest.
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
    Clock,
    Picker,
    allocate,
    begin,
    expand,
    gauss_clipped,
)

KEY = "pipeline_sensors"
CLOCK = Clock(datetime(2025, 6, 1), 60)
# District (as named in GB/T 2260), the prefix its segment ids use, share of the segments.
DISTRICTS = (("渝中区", "YZ", 1.0), ("江北区", "JB", 1.1), ("沙坪坝区", "SPB", 1.1),
             ("九龙坡区", "JLP", 1.2), ("南岸区", "NA", 1.0), ("渝北区", "YB", 1.4),
             ("巴南区", "BN", 0.8))
# material, weight, installed from, installed to
MATERIALS = (("灰口铸铁", 18, 1972, 1996), ("球墨铸铁", 45, 1996, 2023),
             ("钢管", 22, 1985, 2020), ("PE管", 15, 2005, 2023))
DIAMETERS = Picker((100, 150, 200, 300, 400, 500, 600, 800), (6, 14, 22, 22, 14, 10, 7, 5))
# Demand relative to the daily mean, hour by hour: a night minimum and two peaks.
DEMAND = (0.55, 0.45, 0.38, 0.36, 0.38, 0.5, 0.8, 1.35, 1.55, 1.3, 1.1, 1.1,
          1.2, 1.05, 0.95, 0.95, 1.05, 1.25, 1.45, 1.5, 1.35, 1.1, 0.85, 0.68)
PEAK, LOW = max(DEMAND), min(DEMAND)
NIGHT_HOURS = (2, 3, 4)

PARAMETERS = {
    "segments": ParamSpec(24, 5, 200, "监测管段数量"),
    "days": ParamSpec(14, 3, 60, "监测天数（每小时一条读数）"),
}

SEGMENT_COLUMNS = [
    Column("segment_id", "text", "管段编号"),
    Column("district", "text", "区县"),
    Column("material", "text", "管材"),
    Column("install_year", "integer", "敷设年份"),
    Column("diameter_mm", "integer", "管径（毫米）"),
]
READING_COLUMNS = [
    Column("segment_id", "text", "管段编号"),
    Column("read_at", "timestamp", "读数时间"),
    Column("pressure_kpa", "real", "压力（千帕）"),
    Column("flow_m3h", "real", "流量（立方米/小时）"),
    Column("pressure_threshold_kpa", "real", "低压预警阈值（千帕）"),
]


def generate(seed: int, params: dict | None = None) -> Dataset:
    values, rng = begin(KEY, PARAMETERS, seed, params)
    hours = values["days"] * 24
    segments = _segments(rng, values["segments"])
    leak, stuck = _incidents(rng, segments, values["days"])
    series = [_series(rng, segment, hours) for segment in segments]
    _plant(series, leak, stuck)
    dropped = _dropouts(rng, series, leak, stuck)
    stamps = [CLOCK.stamp(h * 3600) for h in range(hours)]
    readings = [(segment["id"], stamps[h], *series[s][h], segment["threshold"])
                for h in range(hours) for s, segment in enumerate(segments)]
    rows = [(s["id"], s["district"], s["material"], s["year"], s["diameter"]) for s in segments]
    return Dataset(
        [Table("segments", "供水管段", SEGMENT_COLUMNS, rows),
         Table("readings", "管网监测读数", READING_COLUMNS, readings)],
        _finding(segments, series, leak, stuck, stamps, dropped),
    )


def _segments(rng, count: int) -> list[dict]:
    places = expand(allocate(count, [weight for _, _, weight in DISTRICTS]))
    kinds = Picker(range(len(MATERIALS)), [m[1] for m in MATERIALS])
    numbers = [0] * len(DISTRICTS)
    segments = []
    for place in places:
        numbers[place] += 1
        material, _, first, last = MATERIALS[kinds.one(rng)]
        diameter = DIAMETERS.one(rng)
        if material == "PE管":
            diameter = min(diameter, 300)
        nominal = rng.uniform(280, 460)  # a hilly city: each pressure zone differs
        area = math.pi * (diameter / 2000) ** 2
        segments.append({
            "id": f"GS-{DISTRICTS[place][1]}-{numbers[place] * 7 + rng.randrange(7):04d}",
            "district": DISTRICTS[place][0], "material": material,
            "year": rng.randint(first, last), "diameter": diameter, "nominal": nominal,
            "threshold": float(round(nominal * 0.8 / 5) * 5),
            "flow": area * rng.uniform(0.35, 0.8) * 3600,  # mean velocity 0.35-0.8 m/s
        })
    return segments


def _incidents(rng, segments: list[dict], days: int) -> tuple[dict, dict]:
    """Which segment leaks (grey cast iron, else the oldest) and from when; which one sticks."""
    old = [i for i, s in enumerate(segments) if s["material"] == "灰口铸铁"]
    leaking = rng.choice(old) if old else min(range(len(segments)),
                                              key=lambda i: segments[i]["year"])
    first = max(1, round(days * 0.4)) * 24
    leak = {"segment": leaking, "from": rng.randrange(first, min(days * 18, (days - 1) * 24)),
            "drop": rng.uniform(0.12, 0.16),
            "extra": segments[leaking]["flow"] * rng.uniform(0.3, 0.45)}
    stuck = {"segment": rng.choice([i for i in range(len(segments)) if i != leaking]),
             "from": rng.randrange(days * 7, days * 17)}
    return leak, stuck


def _series(rng, segment: dict, hours: int) -> list[list]:
    """[pressure, flow] per hour: pressure falls as demand (and flow) rises."""
    values = []
    nominal, mean_flow = segment["nominal"], segment["flow"]
    for hour in range(hours):
        demand = DEMAND[hour % 24] * (1 + gauss_clipped(rng, 0.015))
        pressure = nominal * (1 - 0.1 * (demand - LOW) / (PEAK - LOW))
        values.append([pressure * (1 + gauss_clipped(rng, 0.01)), mean_flow * demand])
    return values


def _plant(series: list[list[list]], leak: dict, stuck: dict) -> None:
    for reading in series[leak["segment"]][leak["from"]:]:
        reading[0] *= 1 - leak["drop"]
        reading[1] += leak["extra"]
    for values in series:
        for reading in values:
            reading[0], reading[1] = round(reading[0], 1), round(reading[1], 2)
    stuck_values = series[stuck["segment"]]
    frozen = stuck_values[stuck["from"] - 1][0]
    if stuck_values[stuck["from"] - 2][0] == frozen:  # so the run starts where the fault does
        stuck_values[stuck["from"] - 2][0] = round(frozen + 0.3, 1)
    for reading in stuck_values[stuck["from"]:]:
        reading[0] = frozen


def _dropouts(rng, series: list[list[list]], leak: dict, stuck: dict) -> int:
    """Blank readings (both values NULL), never where the planted signatures must show."""
    hours = len(series[0])
    protected = {(leak["segment"], h) for h in range(24)}
    protected |= {(leak["segment"], h) for h in range(leak["from"] - 1, leak["from"] + 4)}
    protected |= {(stuck["segment"], h) for h in range(stuck["from"] - 1, hours)}
    blanks = {(s, h) for s in range(len(series)) for h in range(hours)
              if rng.random() < 0.006}
    spared = [s for s in range(len(series)) if s not in (leak["segment"], stuck["segment"])]
    if spared:
        outage, length = rng.choice(spared), rng.randint(4, 9)
        begin = rng.randrange(hours - length)
        blanks |= {(outage, h) for h in range(begin, begin + length)}
    blanks -= protected
    for segment, hour in blanks:
        series[segment][hour] = [None, None]
    return len(blanks)


def _finding(segments, series, leak, stuck, stamps, dropped) -> dict:
    segment = segments[leak["segment"]]
    values = series[leak["segment"]]
    nights = [(h, v[1]) for h, v in enumerate(values)
              if h % 24 in NIGHT_HOURS and v[1] is not None]
    before = [flow for h, flow in nights if h < leak["from"]]
    after = [flow for h, flow in nights if h >= leak["from"]]
    below = sum(v[0] is not None and v[0] < segment["threshold"] for v in values)
    stuck_values = series[stuck["segment"]]
    return {
        "leak_segment_id": segment["id"],
        "leak_start": stamps[leak["from"]],
        "leak_district": segment["district"],
        "leak_material": segment["material"],
        "leak_install_year": segment["year"],
        "extra_flow_m3h": round(leak["extra"], 2),
        "pressure_drop_share": round(leak["drop"], 4),
        "night_flow_before_m3h": round(sum(before) / len(before), 2),
        "night_flow_after_m3h": round(sum(after) / len(after), 2) if after else None,
        "readings_below_threshold": below,
        "stuck_segment_id": segments[stuck["segment"]]["id"],
        "stuck_from": stamps[stuck["from"]],
        "stuck_pressure_kpa": stuck_values[stuck["from"]][0],
        "null_readings": dropped,
    }


SCENARIO = Scenario(
    key=KEY,
    title="地下管网漏损监测",
    description="城市地下管线数字孪生系统中供水管段的逐小时压力、流量读数和低压预警阈值，"
                "以及各管段的区县、管材、敷设年份和管径。找出疑似漏损的管段和开始时间，"
                "识别卡死的传感器，并处理缺失读数。",
    parameters=PARAMETERS,
    generate=generate,
)
