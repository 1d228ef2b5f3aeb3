import pytest
from sqlalchemy import select

from app.domain.orgtree import OrgTreeError
from app.domain.vocabulary import OrgLevel
from app.models import OrgUnit
from app.services.org import move_org_unit, subtree_units
from tests.factories import make_unit


def test_paths_follow_the_tree(tree):
    city, yuzhong, street = tree["city"], tree["yuzhong"], tree["jiefangbei"]
    assert city.path == f"/{city.id}/"
    assert street.path == f"/{city.id}/{yuzhong.id}/{street.id}/"
    assert street.ancestor_ids == [city.id, yuzhong.id, street.id]


def test_subtree_is_one_indexed_query(tree, count_queries):
    root = tree["yuzhong"]
    assert root.path  # loaded before counting
    with count_queries() as counter:
        names = {u.name for u in subtree_units(root)}
    assert names == {"渝中区", "解放碑街道", "朝天门街道"}
    assert counter.count == 1


def test_subtree_does_not_leak_into_units_with_a_longer_id_prefix(db):
    # Ids 900 and 9001: "/9001/" starts with "/900" but is not under "/900/".
    db.session.add_all([
        OrgUnit(id=900, code="A", name="甲", level=OrgLevel.DISTRICT, path="/900/"),
        OrgUnit(id=9001, code="B", name="乙", level=OrgLevel.DISTRICT, path="/9001/"),
        OrgUnit(id=9002, code="C", name="丙", level=OrgLevel.STREET, parent_id=900,
                path="/900/9002/"),
    ])
    db.session.flush()
    root = db.session.get(OrgUnit, 900)
    assert {u.code for u in subtree_units(root)} == {"A", "C"}


def test_moving_a_unit_rewrites_descendant_paths(tree, db):
    community = make_unit("500103001001", "和平社区", OrgLevel.COMMUNITY, tree["jiefangbei"])
    move_org_unit(tree["jiefangbei"], tree["jiangbei"], actor=None)
    db.session.commit()
    moved = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103001001"))
    assert moved.path.startswith(tree["jiangbei"].path)
    assert moved.id == community.id
    assert {u.code for u in subtree_units(tree["jiangbei"])} >= {"500103001", "500103001001"}
    assert "500103001" not in {u.code for u in subtree_units(tree["yuzhong"])}


def test_a_unit_cannot_become_its_own_ancestor(tree, db):
    with pytest.raises(OrgTreeError):
        move_org_unit(tree["yuzhong"], tree["jiefangbei"], actor=None)
    with pytest.raises(OrgTreeError):
        move_org_unit(tree["yuzhong"], tree["yuzhong"], actor=None)


def test_database_refuses_a_unit_as_its_own_parent(tree, db):
    unit = tree["jiefangbei"]
    unit.parent_id = unit.id
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.flush()
    db.session.rollback()
