"""医保数据共享: medical-insurance claims and requests to share them (SE220, DA210).

Everyone here is invented; ID numbers are well formed (GB 11643 check character)
but belong to nobody we know of. Planted, for a cadre deciding what may leave the
building:

- direct identifiers (name, id_number, phone) and a sensitive field (diagnosis)
  that must be masked or removed before sharing;
- quasi-identifiers (birth_year, gender, district): every combination holds at
  least two people except a few planted ones (very old patients, and odd
  combinations) that single out one person: k = 1. Count people, not rows: one
  person may have several claims, so ``COUNT(*) = 1`` finds fewer of them than
  ``COUNT(DISTINCT id_number) = 1``;
- requests that ask for identifiers or diagnoses;
- dirty values: a few ID numbers end in a lowercase x.
"""

from datetime import date
from functools import cache

from app.domain.demo_data import DISTRICTS as DEMO_DISTRICTS
from app.domain.scenarios.base import (
    Column,
    Dataset,
    ParamSpec,
    Scenario,
    Table,
)
from app.domain.scenarios.identities import birth_date, id_number, mobile_number, person_name
from app.domain.scenarios.sampling import Picker, allocate, begin, below

KEY = "health_data_sharing"
DIRECT_IDENTIFIERS = ["name", "id_number", "phone"]
SENSITIVE = ["diagnosis"]
QUASI_IDENTIFIERS = ["birth_year", "gender", "district"]
VISIT_DATES = [date.fromordinal(date(2025, 1, 1).toordinal() + day).isoformat()
               for day in range(181)]  # January to June 2025
# (GB/T 2260 code, name, streets, weight: larger districts claim more)
DISTRICTS = [(code, name, streets, 1.0 + 0.15 * len(streets))
             for code, name, streets in DEMO_DISTRICTS]
OTHER_AREA_CODES = ("500101", "500102", "500104", "500109", "500110", "500115", "500116",
                    "500117", "500118", "500230", "500233", "500236")  # born elsewhere
# name, youngest, oldest, sex (None: both), weight, median amount (yuan)
DIAGNOSES = (
    ("急性上呼吸道感染", 1, 100, None, 16, 160), ("原发性高血压", 35, 100, None, 14, 260),
    ("2型糖尿病", 35, 100, None, 10, 380), ("慢性胃炎", 18, 100, None, 8, 220),
    ("腰椎间盘突出症", 25, 100, None, 6, 900), ("冠状动脉粥样硬化性心脏病", 45, 100, None, 5, 6800),
    ("社区获得性肺炎", 1, 100, None, 4, 5200), ("桡骨远端骨折", 5, 100, None, 3, 8600),
    ("老年性白内障", 55, 100, None, 3, 4300), ("妊娠期产前检查", 20, 42, "女", 4, 420),
    ("抑郁症", 14, 90, None, 3, 560), ("慢性乙型病毒性肝炎", 18, 90, None, 2, 720),
)
# Claimants by age: more of the old than the young.
AGES = Picker(range(1, 90), [0.8 if a < 15 else 0.7 if a < 35 else 1.0 if a < 55
                             else 1.6 if a < 75 else 1.1 for a in range(1, 90)])
REQUESTS = (
    ("市卫生健康委员会", "全市慢性病患病情况统计分析",
     "district,birth_year,gender,diagnosis,amount_yuan"),
    ("区医疗保障局", "医保基金支出结构分析", "district,hospital,diagnosis,amount_yuan,visit_date"),
    ("某高校公共卫生学院课题组", "糖尿病门诊费用研究",
     "birth_year,gender,district,diagnosis,amount_yuan"),
    ("某商业保险公司", "健康险产品精准营销", "name,phone,birth_year,diagnosis"),
    ("区民政局", "困难群众医疗救助对象核对", "name,id_number,amount_yuan"),
    ("某街道办事处", "辖区居民健康随访", "name,phone,district,diagnosis"),
    ("市大数据发展局", "公共数据资源目录编制", "district,hospital,visit_date"),
)

PARAMETERS = {"rows": ParamSpec(5000, 200, 50_000, "就诊结算记录条数")}

CLAIM_COLUMNS = [
    Column("record_id", "integer", "结算记录号"), Column("name", "text", "姓名"),
    Column("id_number", "text", "公民身份号码"), Column("phone", "text", "手机号码"),
    Column("gender", "text", "性别"), Column("birth_year", "integer", "出生年份"),
    Column("district", "text", "参保区县"), Column("hospital", "text", "就诊医疗机构"),
    Column("diagnosis", "text", "诊断"), Column("amount_yuan", "real", "医疗费用（元）"),
    Column("visit_date", "text", "就诊日期"),
]
REQUEST_COLUMNS = [
    Column("request_id", "text", "申请编号"), Column("requester", "text", "申请单位"),
    Column("purpose", "text", "用途"), Column("fields_requested", "text", "申请字段（逗号分隔）"),
]


def generate(seed: int, params: dict | None = None) -> Dataset:
    values, rng = begin(KEY, PARAMETERS, seed, params)
    people = _population(rng, max(40, round(values["rows"] / 2.3)))
    planted = _plant_singletons(rng, people)
    _identify(rng, people)
    visits = allocate(values["rows"] - len(people), [p["weight"] for p in people])
    claims = [_claim(rng, people[i]) for i in range(len(people))
              for _ in range(1 + visits[i])]
    claims.sort(key=lambda c: c[-1])
    rows = [(ident, *claim) for ident, claim in enumerate(claims, start=1)]
    requests = _requests(rng)
    return Dataset(
        [Table("claims", "医保结算明细", CLAIM_COLUMNS, rows),
         Table("sharing_requests", "数据共享申请", REQUEST_COLUMNS, requests)],
        _finding(rows, requests, planted),
    )


def _population(rng, count: int) -> list[dict]:
    places = Picker(range(len(DISTRICTS)), [d[3] for d in DISTRICTS])
    people = [{"district": places.one(rng), "male": rng.random() < 0.49,
               "year": 2025 - AGES.one(rng)} for _ in range(count)]
    cells: dict[tuple, dict[int, int]] = {}
    for person in people:
        years = cells.setdefault((person["district"], person["male"]), {})
        years[person["year"]] = years.get(person["year"], 0) + 1
    for person in people:  # join anyone alone in a cell to the nearest occupied year
        years = cells[(person["district"], person["male"])]
        own = person["year"]
        others = [y for y, n in years.items() if n and y != own] if years[own] == 1 else []
        if others:
            nearest = min(others, key=lambda y: (abs(y - own), y))
            years[own], years[nearest] = 0, years[nearest] + 1
            person["year"] = nearest
    # Anyone still alone had nobody of their district and sex to join: leave them out.
    return [p for p in people if cells[(p["district"], p["male"])][p["year"]] > 1]


def _plant_singletons(rng, people: list[dict]) -> int:
    """A few people alone in their (birth_year, gender, district) cell.

    Half are very old (born 1925-1935, older than anyone else here); the others fill
    an empty cell among the usual ages when one is left, which large datasets may not have.
    """
    taken = {(p["district"], p["male"], p["year"]) for p in people}
    cells = [(d, m, y) for d in range(len(DISTRICTS)) for m in (False, True)
             for y in range(1940, 2021)]
    empty = [cell for cell in cells if cell not in taken]
    rng.shuffle(empty)
    target = rng.randint(3, 6)
    oldest = [(d, m, y) for d in range(len(DISTRICTS)) for m in (False, True)
              for y in range(1925, 1936)]
    chosen = empty[:target // 2]
    chosen += rng.sample(oldest, target - len(chosen))
    people.extend({"district": d, "male": m, "year": y} for d, m, y in chosen)
    rng.shuffle(people)
    return target


def _identify(rng, people: list[dict]) -> None:
    seen: set[str] = set()
    for person in people:
        code = DISTRICTS[person["district"]][0]
        area = code if rng.random() < 0.85 else rng.choice(OTHER_AREA_CODES)
        number = id_number(rng, area, birth_date(rng, person["year"]), person["male"])
        while number in seen:
            number = id_number(rng, area, birth_date(rng, person["year"]), person["male"])
        seen.add(number)
        if number.endswith("X") and rng.random() < 0.1:
            number = number[:-1] + "x"
        age = 2025 - person["year"]
        eligible = _diagnoses(age, person["male"])
        person.update(id=number, name=person_name(rng, person["male"]),
                      phone=mobile_number(rng), weight=rng.lognormvariate(0, 0.6) * (1 + age / 40),
                      main=eligible.one(rng), eligible=eligible)


@cache
def _diagnoses(age: int, male: bool) -> Picker:
    """The diagnoses plausible for a patient's age and sex, weighted by frequency."""
    sex = "男" if male else "女"
    eligible = [d for d in DIAGNOSES if d[1] <= age <= d[2] and d[3] in (None, sex)]
    return Picker(eligible, [d[4] for d in eligible])


def _claim(rng, person: dict) -> tuple:
    diagnosis = person["main"] if rng.random() < 0.6 else person["eligible"].one(rng)
    district = person["district"] if rng.random() < 0.85 else below(rng, len(DISTRICTS))
    _, name, streets, _ = DISTRICTS[district]
    draw = rng.random()
    hospital = (f"{name}妇幼保健院" if diagnosis[0] == "妊娠期产前检查"
                else f"{name}人民医院" if draw < 0.45 else f"{name}中医院" if draw < 0.65
                else f"{streets[below(rng, len(streets))]}社区卫生服务中心")
    amount = round(diagnosis[5] * rng.lognormvariate(0, 0.6), 2)
    return (person["name"], person["id"], person["phone"], "男" if person["male"] else "女",
            person["year"], DISTRICTS[person["district"]][1], hospital, diagnosis[0], amount,
            VISIT_DATES[below(rng, len(VISIT_DATES))])


def _requests(rng) -> list[tuple]:
    chosen = [3] + rng.sample([0, 1, 2, 4, 5, 6], 4)  # the insurer always asks
    rng.shuffle(chosen)
    return [(f"GX-2025-{index:03d}", *REQUESTS[c])
            for index, c in enumerate(chosen, start=1)]


def _finding(rows: list[tuple], requests: list[tuple], planted: int) -> dict:
    people: dict[tuple, set[str]] = {}
    records: dict[tuple, int] = {}
    for row in rows:
        cell = (row[5], row[4], row[6])  # birth_year, gender, district
        people.setdefault(cell, set()).add(row[2].upper())
        records[cell] = records.get(cell, 0) + 1
    alone = [cell for cell, ids in people.items() if len(ids) == 1]

    def asking(fields: list[str]) -> list[str]:
        return [r[0] for r in requests if set(r[3].split(",")) & set(fields)]

    return {
        "direct_identifiers": DIRECT_IDENTIFIERS,
        "sensitive": SENSITIVE,
        "mask_columns": DIRECT_IDENTIFIERS + SENSITIVE,
        "quasi_identifiers": QUASI_IDENTIFIERS,
        "k1_groups": len(alone),
        "k1_records": sum(records[cell] for cell in alone),
        "k1_groups_by_rows": sum(n == 1 for n in records.values()),
        "planted_singletons": planted,
        "requests_with_identifiers": asking(DIRECT_IDENTIFIERS),
        "requests_with_sensitive": asking(SENSITIVE),
        "lowercase_x_ids": len({row[2] for row in rows if row[2].endswith("x")}),
    }


SCENARIO = Scenario(
    key=KEY,
    title="医保数据共享与脱敏",
    description="某市医保结算明细（姓名、身份证号、手机号、性别、出生年份、区县、医疗机构、"
                "诊断、费用、就诊日期，均为虚构）和几份数据共享申请。判断哪些字段必须脱敏，"
                "哪些申请要求了不该提供的字段，并用准标识符组合检查重新识别的风险。",
    parameters=PARAMETERS,
    generate=generate,
)
