"""一件事: applications for "高效办成一件事" services before and after the reform (GV320, DA110).

Planted, for a cadre to find by comparing 改革前 with 改革后:

- the reform cuts days (finished_at − submitted_at), visits, steps and materials
  sharply for every service but one, where it barely helps;
- one district lags after the reform: its reformed services take far longer than
  the same services elsewhere;
- applications still in progress at the snapshot have no finished_at (NULL), and
  many applicants never rated the service (satisfied NULL): averages must say
  what they leave out.

Every district receives the same mix of services in each period (quotas), so a
plain average by district is a fair comparison.
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
    DISTRICT_NAMES,
    Clock,
    Picker,
    allocate,
    begin,
    below,
    clamp,
    expand,
    gauss_clipped,
)

KEY = "one_thing_services"
CLOCK = Clock(datetime(2023, 1, 1), 1200)  # times are seconds after 2023-01-01 00:00
DAY = 86400
# name, start (seconds), length in days, share of applications
PERIODS = (("改革前", 0, 365, 0.45), ("改革后", CLOCK.seconds(datetime(2024, 7, 1)), 365, 0.55))
AS_OF = CLOCK.seconds(datetime(2025, 7, 1))
# name, weight, before: (days, visits, steps, materials), after: the same, reformed
SERVICES = (
    ("新生儿出生一件事", 1.2, (18, 5, 10, 12), (3, 0.3, 3, 3)),
    ("企业开办一件事", 1.0, (8, 4, 9, 15), (1.2, 0.3, 2, 4)),
    ("退休一件事", 0.9, (30, 4, 8, 10), (8, 0.4, 3, 3)),
    ("二手房转移登记及水电气联动过户一件事", 1.1, (15, 6, 12, 18), (3, 0.6, 3, 6)),
    ("开办餐饮店一件事", 0.7, (25, 5, 11, 20), (6, 0.5, 4, 6)),
    ("教育入学一件事", 0.8, (10, 3, 6, 8), (2, 0.2, 2, 2)),
)
DISTRICT_WEIGHTS = (0.7, 1.0, 1.2, 1.3, 1.0, 1.6, 1.0, 0.9)  # in DISTRICT_NAMES order
CHANNELS = ("线下窗口", "渝快办App", "渝快办网页", "自助终端")
CHANNEL_MIX = {"before": Picker(CHANNELS, (80, 6, 10, 4)),
               "after": Picker(CHANNELS, (30, 45, 15, 10)),
               "lagging": Picker(CHANNELS, (65, 18, 10, 7))}
_OFFICE = (0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 16, 14, 4, 2, 12, 15, 14, 9, 0, 0, 0, 0, 0, 0)
_ONLINE = (1, 1, 0.5, 0.3, 0.3, 0.5, 1, 3, 6, 9, 10, 9, 7, 6, 8, 9, 8, 7, 7, 8, 9, 8, 5, 2)
HOURS = {True: Picker(range(24), _OFFICE), False: Picker(range(24), _ONLINE)}

PARAMETERS = {"rows": ParamSpec(5000, 500, 50_000, "办件记录条数（改革前后合计）")}

COLUMNS = [
    Column("id", "integer", "办件编号"),
    Column("service", "text", "一件事事项"),
    Column("district", "text", "区县"),
    Column("channel", "text", "办理渠道"),
    Column("period", "text", "改革阶段"),
    Column("submitted_at", "timestamp", "申请时间"),
    Column("finished_at", "timestamp", "办结时间"),
    Column("steps", "integer", "办理环节数"),
    Column("visits", "integer", "跑动次数"),
    Column("materials", "integer", "提交材料数"),
    Column("satisfied", "integer", "是否满意（1满意0不满意，空为未评价）"),
]


def generate(seed: int, params: dict | None = None) -> Dataset:
    values, rng = begin(KEY, PARAMETERS, seed, params)
    lag = (rng.randrange(len(SERVICES)), rng.randrange(len(DISTRICT_NAMES)))
    cells = [(p, s, d) for p in range(len(PERIODS)) for s in range(len(SERVICES))
             for d in range(len(DISTRICT_NAMES))]
    weights = [PERIODS[p][3] * SERVICES[s][1] * DISTRICT_WEIGHTS[d] for p, s, d in cells]
    records = [_application(rng, *cells[c], lag)
               for c in expand(allocate(values["rows"], weights))]
    records.sort(key=lambda r: r[4])
    for index in (-2, -1):  # the last two, sent just before the snapshot, are still open
        records[index] = records[index][:5] + (None,) + records[index][6:9] + (None,)
    rows = [(ident, SERVICES[s][0], DISTRICT_NAMES[d][1], channel, PERIODS[p][0],
             CLOCK.stamp(sent), None if done is None else CLOCK.stamp(done), *rest)
            for ident, (p, s, d, channel, sent, done, *rest) in enumerate(records, start=1)]
    table = Table("applications", "一件事办件记录", COLUMNS, rows)
    return Dataset([table], _finding(records, lag))


def _application(rng, period: int, service: int, district: int, lag: tuple[int, int]):
    after = period == 1
    lagging_service, lagging_district = service == lag[0], district == lag[1]
    days, visits, steps, materials = SERVICES[service][2]
    if after and lagging_service:
        days, visits, steps, materials = days * 0.9, visits - 1, steps - 1, materials * 0.85
    elif after:
        days, visits, steps, materials = SERVICES[service][3]
    if after and lagging_district and not lagging_service:  # slow to adopt the new process
        days, visits = days * 2.5, visits + 0.6
    mix = "before" if not after else "lagging" if lagging_service or lagging_district else "after"
    channel = CHANNEL_MIX[mix].one(rng)
    start, span = PERIODS[period][1], PERIODS[period][2]
    sent = (start + below(rng, span) * DAY + HOURS[channel == "线下窗口"].one(rng) * 3600
            + below(rng, 3600))
    done = _office_time(rng, sent, days * math.exp(gauss_clipped(rng, 0.3, 2.5)))
    trips = _visits(rng, visits, channel in ("线下窗口", "自助终端"), after and not lagging_service)
    rating = _rating(rng, (done - sent) / DAY, trips)
    if done > AS_OF:  # still in progress at the snapshot, so not rated yet either
        done = rating = None
    return (period, service, district, channel, sent, done,
            max(1, round(steps) + below(rng, 3) - 1), trips,
            max(1, round(materials) + below(rng, 5) - 2), rating)


def _office_time(rng, sent: int, days: float) -> int:
    """Work finishes in office hours: on the day ``days`` after ``sent``, at a working hour."""
    day = (sent + int(days * DAY)) // DAY * DAY
    done = day + HOURS[True].one(rng) * 3600 + below(rng, 3600)
    return done if done > sent else sent + 1800 + below(rng, 3 * 3600)


def _visits(rng, expected: float, offline: bool, reformed: bool) -> int:
    if reformed:  # online: no trip unless asked to correct something; offline: one
        return (1 if offline else 0) + (rng.random() < expected * 0.5)
    return max(1, round(expected + rng.gauss(0, 0.8)))


def _rating(rng, days: float, visits: int) -> int | None:
    if rng.random() < 0.28:
        return None  # never rated
    chance = clamp(0.96 - 0.01 * days - 0.05 * max(visits - 1, 0), 0.3, 0.98)
    return int(rng.random() < chance)


def _finding(records: list[tuple], lag: tuple[int, int]) -> dict:
    totals: dict[tuple, list[int]] = {}
    for period, service, district, _, sent, done, *_ in records:
        if done is not None:
            totals.setdefault((SERVICES[service][0], period), []).append(done - sent)
            totals.setdefault((DISTRICT_NAMES[district][1], period), []).append(done - sent)

    def mean_days(key) -> float:
        return round(sum(totals[key]) / len(totals[key]) / DAY, 2)

    return {
        "lagging_service": SERVICES[lag[0]][0],
        "lagging_district": DISTRICT_NAMES[lag[1]][1],
        "mean_days": {name: {"before": mean_days((name, 0)), "after": mean_days((name, 1))}
                      for name, *_ in SERVICES},
        "after_mean_days_by_district": {name: mean_days((name, 1)) for _, name in DISTRICT_NAMES},
        "unfinished": sum(r[5] is None for r in records),
        "unrated": sum(r[9] is None for r in records),
    }


SCENARIO = Scenario(
    key=KEY,
    title="“高效办成一件事”改革成效评估",
    description="各区县多个“一件事”事项在改革前后的办件记录：办理渠道、申请与办结时间、"
                "环节数、跑动次数、材料数和满意评价。比较改革前后的变化，找出改革收效甚微"
                "的事项和改革后仍然滞后的区县，并注意未办结和未评价的记录。",
    parameters=PARAMETERS,
    generate=generate,
)
