"""社区诉求: one community's month of residents' requests, as its grid workers log them (DA100).

A foundation exercise for grid workers and community staff, so everything planted is
found with a filter, a sort, a count by group and one chart; no date arithmetic:

- one category is clearly the month's most frequent (垃圾堆放 or 占道停车, by seed);
- elevator failures (电梯故障) cluster in one building, most of them in the month's last
  seven days, and that building has far more than any other;
- noise complaints (噪音扰民) come mostly on weekend nights and peak on one day of the
  week (星期五 or 星期六, by seed); the table carries the weekday as exported;
- a data-entry slip: a few requests marked 已办结 whose closing time is empty.

Quotas (``allocate``) carry every finding, so it holds for every seed and row count.
"""

from datetime import datetime

from app.domain.scenarios.base import Column, Dataset, ParamSpec, Scenario, Table
from app.domain.scenarios.identities import person_name
from app.domain.scenarios.sampling import Clock, Picker, allocate, begin, below, clamp, expand

KEY = "community_requests"
DAYS = 30  # September 2025, which starts on a Monday
CLOCK = Clock(datetime(2025, 9, 1), DAYS + 31)  # closing times run into October
AS_OF = DAYS * 86400  # the export: 2025-10-01 00:00:00
LAST_WEEK = DAYS - 7  # day index of 2025-09-24, the first of the month's last seven days
HOUR = 3600
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
NOISE_PEAKS = (4, 5)  # Friday or Saturday night
# Estates of the community: old walk-ups without lifts, and high-rises with them.
OLD_ESTATES = ("嘉陵新村", "和平村", "桂花园", "新华里", "电力新村", "向阳院")
TOWER_ESTATES = ("滨江花园", "翠湖苑", "金竹苑", "锦绣华庭", "山城名都", "御景湾")
SOURCES = ("网格员巡查", "居民电话", "随手拍", "12345转办", "物业报送")
PATROL_HOURS = range(8, 18)
TOP_CANDIDATES = ("垃圾堆放", "占道停车")
# name, weight (the top candidates' come from the seed), median hours to close,
# hours of the day it is reported (day or evening), weights of SOURCES, summaries
CATEGORIES = (
    ("垃圾堆放", None, 6, "day", (5, 3, 4, 1, 2),
     ("楼下垃圾桶满溢", "装修垃圾堆在楼道口", "绿化带内有人倾倒垃圾", "大件家具堆放在路边")),
    ("占道停车", None, 3, "day", (5, 3, 3, 1, 1),
     ("车辆堵住消防通道", "小区门口乱停车", "非机动车占用人行道", "车辆长期占用公共车位")),
    ("噪音扰民", 0.12, 2, "night", (0, 6, 1, 3, 1),
     ("夜间楼上噪音", "广场舞音响声音过大", "夜宵店喧哗", "夜间装修施工")),
    ("管道漏水", 0.10, 30, "day", (1, 5, 2, 1, 2),
     ("楼上漏水到楼下", "化粪池管道堵塞外溢", "楼道水管破裂", "屋顶渗水")),
    ("路灯损坏", 0.08, 72, "evening", (3, 2, 4, 1, 1),
     ("小区路灯不亮", "楼道感应灯损坏", "路灯闪烁", "梯坎路灯不亮")),
    ("邻里纠纷", 0.09, 96, "day", (2, 5, 0.5, 2, 0.5),
     ("楼上楼下因漏水起纠纷", "公共区域堆放杂物引发争执", "宠物扰邻", "停车位争议")),
    ("电梯故障", 0.06, 20, "day", (1, 5, 1, 2, 4),
     ("电梯停运", "电梯困人", "电梯异响", "电梯门关不严")),
    ("楼道杂物", 0.10, 24, "day", (6, 1, 3, 0.5, 1),
     ("楼道堆放杂物", "电动车在楼道充电", "消防通道堆物", "楼顶私搭乱建")),
)
NAMES = [category[0] for category in CATEGORIES]
ELEVATOR, NOISE = NAMES.index("电梯故障"), NAMES.index("噪音扰民")
_DAY = (0, 0, 0, 0, 0, 0, 1, 4, 8, 10, 10, 9, 6, 6, 8, 9, 8, 7, 6, 5, 3, 2, 1, 0)
_EVENING = (1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 6, 9, 10, 8, 5, 2)
_NIGHT = (0,) * 19 + (2, 4, 6, 7, 5)
HOURS = {"day": Picker(range(24), _DAY), "evening": Picker(range(24), _EVENING),
         "night": Picker(range(24), _NIGHT)}
SATISFACTION = ("满意", "未评价", "不满意")
RATINGS = {False: Picker(SATISFACTION, (70, 22, 8)), True: Picker(SATISFACTION, (30, 25, 45))}

PARAMETERS = {"rows": ParamSpec(450, 200, 2000, "一个月的诉求记录条数")}

COLUMNS = [
    Column("id", "integer", "诉求编号"),
    Column("reported_at", "timestamp", "上报时间"),
    Column("weekday", "text", "星期"),
    Column("building", "text", "楼栋"),
    Column("category", "text", "诉求类别"),
    Column("summary", "text", "诉求摘要"),
    Column("source", "text", "来源"),
    Column("status", "text", "办理状态"),
    Column("closed_at", "timestamp", "办结时间"),
    Column("handler", "text", "网格员"),
    Column("satisfaction", "text", "居民评价"),
]


def generate(seed: int, params: dict | None = None) -> Dataset:
    values, rng = begin(KEY, PARAMETERS, seed, params)
    community = _community(rng)
    plan = _plan(rng, values["rows"], community)
    records = _records(rng, plan, community)
    for record in records:
        _close(rng, record, unhappy=record["building"] == plan["hot_building"]
               and record["category"] == ELEVATOR)
    _drop_closing_times(rng, records)
    records.sort(key=lambda r: r["reported"])
    rows = [_row(ident, record, community) for ident, record in enumerate(records, start=1)]
    table = Table("requests", "居民诉求", COLUMNS, rows)
    return Dataset([table], _finding(rows, plan, community))


def _community(rng) -> dict:
    """Three old and three tower estates, their buildings, and one grid worker per grid."""
    estates = [(name, False) for name in rng.sample(OLD_ESTATES, 3)]
    estates += [(name, True) for name in rng.sample(TOWER_ESTATES, 3)]
    rng.shuffle(estates)
    grids = rng.randint(4, 5)
    workers: list[str] = []
    while len(workers) < grids:
        name = person_name(rng, male=rng.random() < 0.4)
        if name not in workers:
            workers.append(name)
    buildings, lifts, handler = [], [], {}
    for index, (estate, tower) in enumerate(estates):
        for number in range(1, rng.randint(3, 7) + 1):
            building = f"{estate}{number}栋"
            buildings.append(building)
            handler[building] = workers[index % grids]
            if tower:
                lifts.append(building)
    weights = [rng.lognormvariate(0, 0.4) for _ in buildings]
    return {"buildings": Picker(buildings, weights), "lifts": lifts, "handler": handler}


def _plan(rng, rows: int, community: dict) -> dict:
    cluster = int(clamp(round(rows * 0.018), 5, 40))
    top = rng.choice(TOP_CANDIDATES)
    weights = [(c[1] if c[1] is not None else 0.22 if c[0] == top else 0.15)
               * rng.uniform(0.93, 1.07) for c in CATEGORIES]
    counts = allocate(rows - cluster, weights)
    lifts = community["lifts"]
    per_lift = allocate(counts[ELEVATOR], [rng.uniform(0.6, 1.4) for _ in lifts])
    hot = rng.randrange(len(lifts))
    peak = rng.choice(NOISE_PEAKS)
    return {"counts": counts, "cluster": cluster, "top": top, "lift_counts": per_lift,
            "hot_building": lifts[hot], "hot": hot, "noise_peak": peak,
            "noise_days": _noise_days(rng, counts[NOISE], peak)}


def _noise_days(rng, count: int, peak: int) -> list[int]:
    """A day for each noise complaint. The quotas are per weekday (per date they would
    round on every date and could tie the peak), then spread over that weekday's dates."""
    dates = [[day for day in range(DAYS) if day % 7 == weekday] for weekday in range(7)]
    night = {peak: (3.2, 3.6), sum(NOISE_PEAKS) - peak: (1.6, 2.0)}
    weights = [rng.uniform(*night.get(weekday, (0.3, 0.6))) * len(dates[weekday])
               for weekday in range(7)]
    return [dates[weekday][below(rng, len(dates[weekday]))]
            for weekday in expand(allocate(count, weights))]


def _records(rng, plan: dict, community: dict) -> list[dict]:
    """Each category's quota; elevator failures per building, noise per day, the cluster."""
    records = []
    lift_queue = [community["lifts"][i] for i in expand(plan["lift_counts"])]
    noise_queue = plan["noise_days"]
    for category, count in enumerate(plan["counts"]):
        for index in range(count):
            if category == ELEVATOR:
                building, day = lift_queue[index], below(rng, DAYS)
            elif category == NOISE:
                building, day = community["buildings"].one(rng), noise_queue[index]
            else:
                building, day = community["buildings"].one(rng), _any_day(rng)
            records.append(_record(rng, category, building, day))
    for _ in range(plan["cluster"]):
        day = LAST_WEEK + below(rng, DAYS - LAST_WEEK)
        records.append(_record(rng, ELEVATOR, plan["hot_building"], day))
    return records


def _any_day(rng) -> int:
    """Weekends a little quieter: fewer patrols and calls."""
    while True:
        day = below(rng, DAYS)
        if day % 7 < 5 or rng.random() < 0.8:
            return day


def _record(rng, category: int, building: str, day: int) -> dict:
    name, _weight, _median, hours, sources, summaries = CATEGORIES[category]
    hour = HOURS[hours].one(rng)
    weights = [w if index or hour in PATROL_HOURS else 0 for index, w in enumerate(sources)]
    return {"category": category, "building": building,
            "reported": day * 86400 + hour * HOUR + below(rng, HOUR),
            "source": Picker(SOURCES, weights).one(rng),
            "summary": summaries[below(rng, len(summaries))],
            "closed": None, "status": "处置中", "rating": None}


def _close(rng, record: dict, unhappy: bool) -> None:
    median = CATEGORIES[record["category"]][2]
    hours = clamp(median * rng.lognormvariate(0, 0.8), 0.25, 24 * 20)
    closed = record["reported"] + int(hours * HOUR)
    if closed < AS_OF:
        record.update(closed=closed, status="已办结", rating=RATINGS[unhappy].one(rng))


def _drop_closing_times(rng, records: list[dict]) -> None:
    """Marked 已办结 on the phone, the closing time never synced: a slip to find and fix."""
    closed = [r for r in records if r["status"] == "已办结"]
    chosen = rng.sample(closed, max(3, round(len(records) * 0.01)))
    for record in chosen:
        record["closed"] = None


def _row(ident: int, record: dict, community: dict) -> tuple:
    closed = record["closed"]
    return (ident, CLOCK.stamp(record["reported"]), WEEKDAYS[record["reported"] // 86400 % 7],
            record["building"], NAMES[record["category"]], record["summary"],
            record["source"], record["status"], None if closed is None else CLOCK.stamp(closed),
            community["handler"][record["building"]], record["rating"])


def _finding(rows: list[tuple], plan: dict, community: dict) -> dict:
    """Counted from the rows, as a cadre would count them."""
    lifts = community["lifts"]
    elevator = [row for row in rows if row[4] == "电梯故障"]
    by_building = {b: sum(row[3] == b for row in elevator) for b in lifts}
    hot = plan["hot_building"]
    last_week = CLOCK.stamp(LAST_WEEK * 86400)
    noise = [row[2] for row in rows if row[4] == "噪音扰民"]
    return {
        "top_category": plan["top"],
        "top_count": max(plan["counts"]),
        "second_count": sorted(plan["counts"])[-2],
        "elevator_building": hot,
        "elevator_failures": by_building[hot],
        "elevator_last_week": sum(row[3] == hot and row[1] >= last_week for row in elevator),
        "next_building_failures": max(n for b, n in by_building.items() if b != hot),
        "noise_peak_weekday": WEEKDAYS[plan["noise_peak"]],
        "noise_by_weekday": {day: noise.count(day) for day in WEEKDAYS},
        "in_progress": sum(row[7] == "处置中" for row in rows),
        "closed_without_time": sorted(row[0] for row in rows
                                      if row[7] == "已办结" and row[8] is None),
        "last_week_from": last_week,
        "as_of": CLOCK.stamp(AS_OF),
    }


SCENARIO = Scenario(
    key=KEY,
    title="社区居民诉求月度分析",
    description="重庆某街道一个社区一个月的居民诉求台账：上报时间、星期、楼栋、诉求类别、"
                "来源、办理状态、办结时间、网格员和居民评价。用筛选、排序、分组计数和一张图"
                "找出最多的诉求类别、电梯故障集中的楼栋、噪音投诉集中的日子，"
                "并发现“已办结却没有办结时间”的记录。",
    parameters=PARAMETERS,
    generate=generate,
)
