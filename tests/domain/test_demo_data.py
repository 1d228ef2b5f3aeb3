from collections import Counter

from app.domain.demo_data import demo_people, demo_units
from app.domain.vocabulary import OrgLevel, Rank, WorkCategory


def test_demo_tree_is_shaped_like_chongqing():
    units = demo_units()
    codes = [u.code for u in units]
    assert len(codes) == len(set(codes))
    levels = Counter(u.level for u in units)
    assert levels[OrgLevel.CITY] == 1
    assert levels[OrgLevel.DISTRICT] >= 6
    by_code = {u.code: u for u in units}
    assert by_code["500103"].name == "渝中区"
    assert by_code["500105"].name == "江北区"
    for district in (u for u in units if u.level is OrgLevel.DISTRICT):
        streets = [u for u in units if u.parent_code == district.code
                   and u.level is OrgLevel.STREET]
        assert len(streets) >= 2, district.name
    departments = {u.name for u in units if u.level is OrgLevel.DEPARTMENT}
    assert {"市大数据发展局", "市委组织部", "市委党校"} <= departments


def test_parents_come_before_children():
    seen = set()
    for unit in demo_units():
        assert unit.parent_code is None or unit.parent_code in seen
        seen.add(unit.code)


def test_people_are_deterministic_and_spread():
    people = demo_people(demo_units(), 320)
    assert people == demo_people(demo_units(), 320)
    assert len({p.username for p in people}) == 320
    assert set(Counter(p.rank for p in people)) == set(Rank)
    assert set(Counter(p.category for p in people)) == set(WorkCategory)
    assert len({p.unit_code for p in people}) > 80
    assert all(2 <= len(p.name) <= 3 for p in people)
