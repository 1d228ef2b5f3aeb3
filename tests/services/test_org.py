import pytest
from sqlalchemy import select

from app.domain.orgtree import OrgTreeError
from app.domain.vocabulary import OrgLevel, RoleName
from app.models import OrgUnit
from app.services.core.errors import PermissionDenied
from app.services.people.org import (
    OrgChangeRefused,
    create_org_unit,
    deactivate_org_unit,
    list_units_in_scope,
    move_org_unit,
    org_tree,
    reactivate_org_unit,
    rename_org_unit,
    subtree_units,
)
from app.services.people.user_admin import search_people
from tests.factories import audit_events, make_unit, make_user


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
    paths = {u.code: u.path for u in subtree_units(tree["city"])}
    with pytest.raises(OrgChangeRefused) as error:
        move_org_unit(tree["yuzhong"], tree["jiefangbei"], actor=None)
    assert error.value.code == "cycle"
    assert isinstance(error.value.__cause__, OrgTreeError)
    with pytest.raises(OrgChangeRefused):
        move_org_unit(tree["yuzhong"], tree["yuzhong"], actor=None)
    db.session.expire_all()
    assert {u.code: u.path for u in subtree_units(tree["city"])} == paths


def test_database_refuses_a_unit_as_its_own_parent(tree, db):
    unit = tree["jiefangbei"]
    unit.parent_id = unit.id
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.flush()
    db.session.rollback()


# --- administering the tree (issue #10) ---------------------------------------------------

def _admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN], name="管理员")


def _events(db, action):
    return audit_events(action)


def test_creating_a_unit_checks_code_name_and_parent_and_is_audited(tree, db):
    admin = _admin(tree)
    unit = create_org_unit(code=" 500103003 ", name=" 七星岗街道 ", level=OrgLevel.STREET,
                           parent=tree["yuzhong"], actor=admin)
    assert (unit.code, unit.name) == ("500103003", "七星岗街道")
    assert unit.path == f"{tree['yuzhong'].path}{unit.id}/"
    [event] = _events(db, "org.created")
    assert (event.actor_id, event.target, event.details["parent"]) == (
        admin.id, "org:500103003", "500103")
    refusals = [
        dict(code="500103003", name="重复", parent=tree["yuzhong"]),
        dict(code="", name="无编码", parent=tree["yuzhong"]),
        dict(code="X1", name="  ", parent=tree["yuzhong"]),
        dict(code="X2", name="第二个市", parent=None),
    ]
    codes = []
    for fields in refusals:
        with pytest.raises(OrgChangeRefused) as error:
            create_org_unit(level=OrgLevel.STREET, actor=admin, **fields)
        codes.append(error.value.code)
    assert codes == ["code_taken", "code_required", "name_required", "second_root"]
    tree["jiangbei"].active = False
    with pytest.raises(OrgChangeRefused) as error:
        create_org_unit(code="X3", name="新街道", level=OrgLevel.STREET,
                        parent=tree["jiangbei"], actor=admin)
    assert error.value.code == "parent_inactive" and error.value.params["parent"] == "江北区"


def test_only_admins_change_the_tree(tree):

    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    with pytest.raises(PermissionDenied):
        create_org_unit(code="X", name="新", level=OrgLevel.STREET, parent=tree["city"],
                        actor=hr)
    with pytest.raises(PermissionDenied):
        rename_org_unit(tree["yuzhong"], "改名", actor=hr)
    with pytest.raises(PermissionDenied):
        move_org_unit(tree["jiefangbei"], tree["jiangbei"], actor=hr)
    with pytest.raises(PermissionDenied):
        deactivate_org_unit(tree["guanyinqiao"], actor=hr)


def test_rename_is_audited_with_old_and_new_name(tree, db):
    admin = _admin(tree)
    rename_org_unit(tree["jiefangbei"], "解放碑街道办事处", actor=admin)
    rename_org_unit(tree["jiefangbei"], "解放碑街道办事处", actor=admin)  # unchanged: no event
    assert tree["jiefangbei"].name == "解放碑街道办事处"
    [event] = _events(db, "org.renamed")
    assert event.details == {"from": "解放碑街道", "to": "解放碑街道办事处"}
    with pytest.raises(OrgChangeRefused):
        rename_org_unit(tree["jiefangbei"], "", actor=admin)


def test_a_move_rewrites_the_whole_subtree_in_one_update_and_people_follow(
        tree, db, count_queries):

    admin = _admin(tree)
    community = make_unit("500103001001", "和平社区", OrgLevel.COMMUNITY, tree["jiefangbei"])
    grid = make_unit("500103001001001", "第一网格", OrgLevel.COMMUNITY, community)
    person = make_user(unit=grid, name="网格员")
    db.session.commit()
    with count_queries() as counter:
        move_org_unit(tree["jiefangbei"], tree["jiangbei"], actor=admin)
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE ORG_UNIT")]
    assert len(updates) == 2  # the subtree's paths in one statement, then the parent id
    db.session.commit()
    db.session.expire_all()
    jiangbei = db.session.get(OrgUnit, tree["jiangbei"].id)
    moved = {u.code: u.path for u in subtree_units(jiangbei)}
    street_id = tree["jiefangbei"].id
    assert moved["500103001"] == f"{jiangbei.path}{street_id}/"
    assert moved["500103001001001"] == f"{jiangbei.path}{street_id}/{community.id}/{grid.id}/"
    yuzhong = db.session.get(OrgUnit, tree["yuzhong"].id)
    assert {u.code for u in subtree_units(yuzhong)} == {"500103", "500103002"}
    assert [p.name for p in search_people(actor=admin, text="网格员").items] == ["网格员"]
    assert person.org_unit.path.startswith(jiangbei.path)
    [event] = _events(db, "org.moved")
    assert (event.details["from"], event.details["to"]) == ("500103", "500105")


def test_moving_under_an_inactive_unit_or_to_the_top_is_refused(tree):
    admin = _admin(tree)
    tree["guanyinqiao"].active = False
    with pytest.raises(OrgChangeRefused) as error:
        move_org_unit(tree["jiefangbei"], tree["guanyinqiao"], actor=admin)
    assert error.value.code == "parent_inactive"
    with pytest.raises(OrgChangeRefused) as error:
        move_org_unit(tree["jiefangbei"], None, actor=admin)
    assert error.value.code == "second_root"


def test_deactivation_is_refused_while_people_remain_and_says_how_many(tree, db):

    admin = _admin(tree)
    for _ in range(3):
        make_user(unit=tree["chaotianmen"])
    gone = make_user(unit=tree["chaotianmen"])
    gone.active = False
    with pytest.raises(OrgChangeRefused) as error:
        deactivate_org_unit(tree["chaotianmen"], actor=admin)
    assert (error.value.code, error.value.params["count"]) == ("has_people", 3)
    with pytest.raises(OrgChangeRefused) as error:  # the district counts its streets' people
        deactivate_org_unit(tree["yuzhong"], actor=admin)
    assert error.value.params["count"] >= 3
    assert tree["chaotianmen"].active and _events(db, "org.deactivated") == []


def test_deactivation_is_refused_while_sub_units_are_active_then_succeeds(tree, db):
    admin = _admin(tree)
    with pytest.raises(OrgChangeRefused) as error:
        deactivate_org_unit(tree["jiangbei"], actor=admin)
    assert (error.value.code, error.value.params["count"]) == ("has_children", 1)
    deactivate_org_unit(tree["guanyinqiao"], actor=admin)
    deactivate_org_unit(tree["jiangbei"], actor=admin)
    assert not tree["jiangbei"].active and not tree["guanyinqiao"].active
    assert [e.target for e in _events(db, "org.deactivated")] == ["org:500105001", "org:500105"]
    with pytest.raises(OrgChangeRefused) as error:
        reactivate_org_unit(tree["guanyinqiao"], actor=admin)
    assert error.value.code == "parent_inactive"
    reactivate_org_unit(tree["jiangbei"], actor=admin)
    reactivate_org_unit(tree["guanyinqiao"], actor=admin)
    assert tree["guanyinqiao"].active
    assert len(_events(db, "org.reactivated")) == 2


def test_unit_pickers_leave_out_deactivated_units(tree, db):

    admin = _admin(tree)
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    deactivate_org_unit(tree["chaotianmen"], actor=admin)
    assert "500103002" not in {u.code for u in list_units_in_scope(admin)}
    assert [u.code for u in list_units_in_scope(hr)] == ["500103", "500103001"]


def test_the_tree_carries_own_and_subtree_counts_of_active_people(tree, db):

    make_user(unit=tree["jiefangbei"])
    make_user(unit=tree["jiefangbei"])
    make_user(unit=tree["yuzhong"])
    make_user(unit=tree["guanyinqiao"]).active = False
    [city] = org_tree()
    assert (city.unit.code, city.own_people, city.people) == ("500000", 0, 3)
    yuzhong, jiangbei = city.children
    assert (yuzhong.own_people, yuzhong.people) == (1, 3)
    assert [(c.unit.code, c.people) for c in yuzhong.children] == [
        ("500103001", 2), ("500103002", 0)]
    assert jiangbei.people == 0


@pytest.mark.parametrize("extra", [0, 45])
def test_the_tree_takes_two_queries_whatever_its_size(tree, db, count_queries, extra):
    for n in range(extra):
        make_unit(f"500103001{n:03d}", f"社区{n}", OrgLevel.COMMUNITY, tree["jiefangbei"])
    db.session.commit()
    db.session.expire_all()
    with count_queries() as counter:
        [city] = org_tree()
        names = [c.unit.name for c in city.children[0].children[0].children]
    assert len(names) == extra
    assert counter.count == 2
