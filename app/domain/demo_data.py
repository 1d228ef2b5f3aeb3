"""Demo data for a Chongqing-shaped org tree and plausible cadres (deterministic).

District and county codes follow GB/T 2260 (e.g. 500103 渝中区). Streets and
towns are real names in those districts; their 9-digit codes here follow the
statistical division code shape (district code + 3 digits) but are ours.
Community names are invented.
"""

import random
from dataclasses import dataclass

from app.domain.vocabulary import OrgLevel, Rank, WorkCategory

CITY = ("500000", "重庆市")

DISTRICTS: list[tuple[str, str, list[str]]] = [
    ("500103", "渝中区", ["解放碑街道", "朝天门街道", "七星岗街道", "大坪街道"]),
    ("500105", "江北区", ["观音桥街道", "五里店街道", "寸滩街道"]),
    ("500106", "沙坪坝区", ["小龙坎街道", "磁器口街道", "天星桥街道"]),
    ("500107", "九龙坡区", ["杨家坪街道", "谢家湾街道", "石坪桥街道"]),
    ("500108", "南岸区", ["南坪街道", "弹子石街道", "铜元局街道"]),
    ("500112", "渝北区", ["龙溪街道", "双龙湖街道", "回兴街道"]),
    ("500113", "巴南区", ["鱼洞街道", "李家沱街道"]),
    ("500235", "云阳县", ["双江街道", "青龙街道", "盘龙街道"]),
]

CITY_DEPARTMENTS = [
    ("500000D01", "市大数据发展局"),
    ("500000D02", "市委组织部"),
    ("500000D03", "市委党校"),
    ("500000D04", "市城市管理局"),
    ("500000D05", "市政务服务管理办公室"),
]

COMMUNITY_STEMS = ["和平", "民主", "新华", "人和", "建设", "胜利", "长江", "嘉陵", "滨江",
                   "金山", "桂花", "文星", "光明", "兴隆", "石桥", "清水", "龙湖", "锦绣"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢谭廖"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍"
    "红娟建国文斌辉鹏宇浩琳雪梅晨欣怡婷颖俊凯鑫峰志波亮成"
)


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None
    sort_order: int


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    unit_code: str
    rank: Rank
    category: WorkCategory


def demo_units() -> list[DemoUnit]:
    """Parents always come before their children."""
    units = [DemoUnit(CITY[0], CITY[1], OrgLevel.CITY, None, 0)]
    for order, (code, name) in enumerate(CITY_DEPARTMENTS):
        units.append(DemoUnit(code, name, OrgLevel.DEPARTMENT, CITY[0], order))
    stems = iter(_cycle(COMMUNITY_STEMS))
    for d_order, (d_code, d_name, streets) in enumerate(DISTRICTS, start=10):
        units.append(DemoUnit(d_code, d_name, OrgLevel.DISTRICT, CITY[0], d_order))
        units.append(DemoUnit(f"{d_code}D01", f"{d_name}城市运行和治理中心",
                              OrgLevel.DEPARTMENT, d_code, 0))
        for s_order, s_name in enumerate(streets, start=1):
            s_code = f"{d_code}{s_order:03d}"
            units.append(DemoUnit(s_code, s_name, OrgLevel.STREET, d_code, s_order))
            for c_order in (1, 2):
                units.append(DemoUnit(f"{s_code}{c_order:03d}", f"{next(stems)}社区",
                                      OrgLevel.COMMUNITY, s_code, c_order))
    return units


def _cycle(items):
    while True:
        yield from items


# Which ranks are plausible at each level of the tree (repeats weight the draw).
_RANKS_BY_LEVEL = {
    OrgLevel.CITY: [Rank.BUREAU, Rank.DIVISION, Rank.DIVISION, Rank.SECTION, Rank.STAFF],
    OrgLevel.DEPARTMENT: [Rank.DIVISION, Rank.SECTION, Rank.SECTION, Rank.STAFF, Rank.STAFF],
    OrgLevel.DISTRICT: [Rank.DIVISION, Rank.SECTION, Rank.STAFF],
    OrgLevel.STREET: [Rank.SECTION, Rank.STAFF, Rank.STAFF, Rank.GRASSROOTS],
    OrgLevel.COMMUNITY: [Rank.GRASSROOTS, Rank.GRASSROOTS, Rank.STAFF],
}


def demo_people(units: list[DemoUnit], count: int, seed: int = 2026) -> list[DemoPerson]:
    """``count`` cadres spread over every unit but the city root, round-robin."""
    rng = random.Random(seed)
    placed = [u for u in units if u.level is not OrgLevel.CITY]
    categories = list(WorkCategory)
    people = []
    for index in range(count):
        unit = placed[index % len(placed)]
        people.append(DemoPerson(
            username=generated_username(index),
            name=random_name(rng),
            unit_code=unit.code,
            rank=rank_for(unit, rng),
            category=category_for(unit, rng, categories),
        ))
    return people


def generated_username(index: int) -> str:
    """The employee number of the index-th generated cadre (0-based): CQ100001, …"""
    return f"CQ{100001 + index}"


def random_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARS)
                                          for _ in range(rng.choice((1, 2, 2))))


def _rank_level(unit: DemoUnit) -> OrgLevel:
    """City departments (a parent that is the city) staff like the city itself."""
    if unit.level is OrgLevel.DEPARTMENT and unit.parent_code == CITY[0]:
        return OrgLevel.CITY
    return unit.level


def rank_for(unit: DemoUnit, rng: random.Random) -> Rank:
    """A plausible rank for someone working in this unit."""
    return rng.choice(_RANKS_BY_LEVEL[_rank_level(unit)])


def category_for(unit: DemoUnit, rng: random.Random,
                 categories: list[WorkCategory]) -> WorkCategory:
    """A plausible work category: communities do social governance and public services."""
    if unit.level is OrgLevel.COMMUNITY:
        return rng.choice([WorkCategory.SOCIAL_GOVERNANCE, WorkCategory.PUBLIC_SERVICE])
    return rng.choice(categories)
