"""A city-size org tree and its cadres: all of Chongqing, sized for N people (pure).

The demo tree (app.domain.demo_data) is kept as it is, so the demo accounts' units exist
with the same codes; this adds the city's other districts and counties (GB/T 2260 codes),
more departments per district, and enough towns and streets (with their communities and
villages) that a street holds a few hundred people. Names of the added towns, streets and
communities are made from common place-name stems, not real ones; their codes follow the
statistical division code shape (district + 3 digits, street + 3 digits) as the demo's do.
"""

import bisect
import random
from collections.abc import Iterator
from itertools import accumulate

from app.domain.demo_data import (
    CITY,
    COMMUNITY_STEMS,
    DISTRICTS,
    DemoPerson,
    DemoUnit,
    category_for,
    demo_units,
    generated_username,
    random_name,
    rank_for,
)
from app.domain.vocabulary import OrgLevel, WorkCategory

#: Chongqing's other districts and counties (GB/T 2260) with a rough size weight (the demo's
#: eight districts weigh 3 each): the main urban districts and big outer ones more.
MORE_DISTRICTS: list[tuple[str, str, int]] = [
    ("500101", "万州区", 4), ("500102", "涪陵区", 3), ("500104", "大渡口区", 1),
    ("500109", "北碚区", 2), ("500110", "綦江区", 2), ("500111", "大足区", 2),
    ("500114", "黔江区", 1), ("500115", "长寿区", 2), ("500116", "江津区", 3),
    ("500117", "合川区", 3), ("500118", "永川区", 3), ("500119", "南川区", 1),
    ("500120", "璧山区", 2), ("500151", "铜梁区", 2), ("500152", "潼南区", 2),
    ("500153", "荣昌区", 2), ("500154", "开州区", 3), ("500155", "梁平区", 2),
    ("500156", "武隆区", 1), ("500229", "城口县", 1), ("500230", "丰都县", 2),
    ("500231", "垫江县", 2), ("500233", "忠县", 2), ("500236", "奉节县", 2),
    ("500237", "巫山县", 1), ("500238", "巫溪县", 1), ("500240", "石柱土家族自治县", 1),
    ("500241", "秀山土家族苗族自治县", 1), ("500242", "酉阳土家族苗族自治县", 1),
    ("500243", "彭水苗族土家族自治县", 1),
]
DEMO_DISTRICT_WEIGHT = 3
#: Departments every district has besides its governance centre (D01, in the demo tree).
DISTRICT_DEPARTMENTS = [("D02", "区委组织部"), ("D03", "区大数据发展局"), ("D04", "区城市管理局")]
PLACE_STEMS = ["龙门", "白沙", "石龙", "新桥", "双河", "青杠", "三合", "永兴", "高峰", "凤凰",
               "太平", "金龙", "安坪", "东城", "西城", "南城", "北城", "玉峰", "朝阳", "鹿角"]
#: People per town or street (its own staff and its communities') the tree is sized for.
PEOPLE_PER_STREET = 600
COMMUNITIES_PER_STREET = 4
#: Where cadres work, by level: the shares of everyone placed.
LEVEL_SHARES = {"city_department": 0.04, "district_department": 0.16,
                OrgLevel.STREET: 0.32, OrgLevel.COMMUNITY: 0.48}


def city_units(people: int) -> list[DemoUnit]:
    """The demo tree plus everything added for ``people`` cadres; parents come first."""
    units = demo_units()
    known = {u.code for u in units}
    districts = [(code, name, DEMO_DISTRICT_WEIGHT) for code, name, _ in DISTRICTS]
    districts += MORE_DISTRICTS
    total_weight = sum(weight for _, _, weight in districts)
    streets_wanted = max(1, round(people * 0.8 / PEOPLE_PER_STREET))
    stems = _stems()
    for order, (code, name, weight) in enumerate(districts, start=10):
        if code not in known:
            units.append(DemoUnit(code, name, OrgLevel.DISTRICT, CITY[0], order))
            units.append(DemoUnit(f"{code}D01", f"{name}城市运行和治理中心",
                                  OrgLevel.DEPARTMENT, code, 0))
        for d_order, (suffix, d_name) in enumerate(DISTRICT_DEPARTMENTS, start=1):
            units.append(DemoUnit(f"{code}{suffix}", d_name, OrgLevel.DEPARTMENT, code, d_order))
        have = sum(1 for u in units if u.level is OrgLevel.STREET and u.parent_code == code)
        share = max(1, round(streets_wanted * weight / total_weight))
        units += _streets(code, name, first=have + 1, count=share - have, stems=stems)
    return units


def _streets(district_code: str, district_name: str, *, first: int, count: int,
             stems: Iterator[str]) -> list[DemoUnit]:
    """Towns in counties (with villages), streets in districts (with communities)."""
    county = district_name.endswith("县")
    units = []
    for order in range(first, first + count):
        code = f"{district_code}{order:03d}"
        stem = next(stems)
        units.append(DemoUnit(code, f"{stem}{'镇' if county else '街道'}", OrgLevel.STREET,
                              district_code, order))
        for c_order in range(1, COMMUNITIES_PER_STREET + 1):
            units.append(DemoUnit(f"{code}{c_order:03d}",
                                  f"{next(stems)}{'村' if county else '社区'}",
                                  OrgLevel.COMMUNITY, code, c_order))
    return units


def _stems() -> Iterator[str]:
    """Place names from two stems (龙门白沙, …), varied enough not to look repeated."""
    pool = PLACE_STEMS + COMMUNITY_STEMS
    while True:
        for first in pool:
            for second in pool:
                if first != second:
                    yield first + second


def _placement_groups(units: list[DemoUnit]) -> dict[str, list[DemoUnit]]:
    groups: dict[str, list[DemoUnit]] = {key: [] for key in LEVEL_SHARES}
    for unit in units:
        if unit.level is OrgLevel.DEPARTMENT:
            key = "city_department" if unit.parent_code == CITY[0] else "district_department"
        elif unit.level in (OrgLevel.STREET, OrgLevel.COMMUNITY):
            key = unit.level
        else:
            continue  # nobody works for the city or a district as such
        groups[key].append(unit)
    return {key: members for key, members in groups.items() if members}


def city_people(units: list[DemoUnit], first: int, count: int,
                seed: int = 2026) -> Iterator[DemoPerson]:
    """Cadres number ``first`` … ``first + count - 1`` (0-based), placed by LEVEL_SHARES."""
    rng = random.Random(f"{seed}:{first}")
    groups = _placement_groups(units)
    keys = list(groups)
    cumulative = list(accumulate(LEVEL_SHARES[key] for key in keys))
    categories = list(WorkCategory)
    for index in range(first, first + count):
        key = keys[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        unit = rng.choice(groups[key])
        yield DemoPerson(username=generated_username(index), name=random_name(rng),
                         unit_code=unit.code, rank=rank_for(unit, rng),
                         category=category_for(unit, rng, categories))
