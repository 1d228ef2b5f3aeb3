import pytest
from sqlalchemy import select

from app.domain.vocabulary import OrgLevel, RoleName
from app.models import AuditEvent, OrgUnit, User
from app.services.people.org import find_unit_by_code
from tests.factories import audit_events, make_unit, make_user

EN = {"Accept-Language": "en"}


def _events(db, action):
    return audit_events(action)


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.TRAINER, RoleName.HR])
def test_only_admins_reach_the_org_tree(client, tree, login_as, db, role):
    login_as(role)
    unit = tree["guanyinqiao"]
    for url in ("/admin/org/", "/admin/org/new", f"/admin/org/{unit.id}"):
        assert client.get(url).status_code == 403, url
    for action, data in (("rename", {"rename-name": "改"}), ("move", {"move-parent": "500103"}),
                         ("deactivate", {}), ("reactivate", {})):
        assert client.post(f"/admin/org/{unit.id}/{action}", data=data).status_code == 403
    assert client.post("/admin/org/new", data={"code": "X", "name": "新", "level": "street",
                                               "parent": "500000"}).status_code == 403
    db.session.expire_all()
    assert unit.name == "观音桥街道" and unit.active and find_unit_by_code("X") is None


def test_the_tree_page_nests_units_with_counts_and_greys_inactive_ones(
        client, tree, login_as, db):
    make_user(unit=tree["chaotianmen"])
    make_user(unit=tree["chaotianmen"])
    tree["guanyinqiao"].active = False
    db.session.commit()
    login_as(RoleName.ADMIN)  # signs in at 解放碑街道
    page = client.get("/admin/org/").get_data(as_text=True)
    yuzhong = page.index(f'id="unit-{tree["yuzhong"].id}"')
    assert yuzhong < page.index("解放碑街道") < page.index("江北区")
    assert "<details open" in page and "2 / 2" in page and "0 / 3" in page
    inactive = page[page.index(f'id="unit-{tree["guanyinqiao"].id}"'):]
    assert "link-secondary" in inactive.split("</div>")[0]


def test_the_tree_runs_the_same_queries_for_5_and_50_units(
        client, tree, login_as, db, count_queries):
    login_as(RoleName.ADMIN)
    counts = []
    for start, stop in ((0, 0), (0, 45)):
        for n in range(start, stop):
            unit = make_unit(f"500105001{n:03d}", f"社区{n}", OrgLevel.COMMUNITY,
                             tree["guanyinqiao"])
            if n % 5 == 0:
                make_user(unit=unit, password="Secret@2026")
        db.session.commit()
        client.get("/admin/org/")
        with count_queries() as counter:
            response = client.get("/admin/org/")
        assert response.status_code == 200
        counts.append(counter.count)
    assert "社区44" in response.get_data(as_text=True)
    assert counts[0] == counts[1] <= 5, counts


def test_admin_creates_a_unit_and_bad_input_gets_clear_messages(client, tree, login_as, db):
    login_as(RoleName.ADMIN)
    form = {"code": "500103003", "name": "七星岗街道", "level": "street", "parent": "500103"}
    assert 'selected value="500103"' in client.get("/admin/org/new?parent=500103").get_data(
        as_text=True)
    response = client.post("/admin/org/new", data=form)
    assert response.status_code == 302
    unit = find_unit_by_code("500103003")
    assert unit.parent.code == "500103" and unit.path.startswith(tree["yuzhong"].path)
    assert [e.target for e in _events(db, "org.created")] == ["org:500103003"]
    cases = [({}, "already used"), ({"code": "X 1"}, "letters, digits"),
             ({"code": "X2", "parent": ""}, "already has a top unit"),
             ({"code": "X3", "level": "galaxy"}, "Not a valid choice"),
             ({"code": "X4", "name": ""}, "required")]
    for change, message in cases:
        response = client.post("/admin/org/new", data={**form, **change}, headers=EN)
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
    assert db.session.scalar(select(OrgUnit).where(OrgUnit.code.like("X%"))) is None


def test_admin_renames_a_unit(client, tree, login_as, db):
    login_as(RoleName.ADMIN)
    unit = tree["jiefangbei"]
    page = client.get(f"/admin/org/{unit.id}").get_data(as_text=True)
    assert 'value="解放碑街道"' in page and 'id="move-form"' in page
    client.post(f"/admin/org/{unit.id}/rename", data={"rename-name": "解放碑街道办事处"})
    db.session.expire_all()
    assert unit.name == "解放碑街道办事处"
    assert _events(db, "org.renamed")[0].details["from"] == "解放碑街道"
    empty = client.post(f"/admin/org/{unit.id}/rename", data={"rename-name": ""}, headers=EN,
                        follow_redirects=True)
    assert "Nothing changed" in empty.get_data(as_text=True)


def test_admin_moves_a_subtree_and_a_cycle_is_refused_with_its_reason(
        client, tree, login_as, db):
    community = make_unit("500103001001", "和平社区", OrgLevel.COMMUNITY, tree["jiefangbei"])
    db.session.commit()
    login_as(RoleName.ADMIN)
    yuzhong = tree["yuzhong"]
    page = client.get(f"/admin/org/{yuzhong.id}").get_data(as_text=True)
    move_options = page[page.index('id="move-form"'):]
    assert "江北区" in move_options and "和平社区" not in move_options  # own subtree left out
    refused = client.post(f"/admin/org/{yuzhong.id}/move", data={"move-parent": "500103001001"},
                          headers=EN, follow_redirects=True)
    assert "cannot be moved under itself or one of its own sub-units" in refused.get_data(
        as_text=True)
    unknown = client.post(f"/admin/org/{yuzhong.id}/move", data={"move-parent": "nope"},
                          headers=EN, follow_redirects=True)
    assert "No org unit has the code nope" in unknown.get_data(as_text=True)
    db.session.expire_all()
    assert yuzhong.parent.code == "500000"
    response = client.post(f"/admin/org/{tree['jiefangbei'].id}/move",
                           data={"move-parent": "500105"})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(OrgUnit, community.id)
    assert moved.path.startswith(tree["jiangbei"].path)
    assert [e.details["to"] for e in _events(db, "org.moved")] == ["500105"]


def test_deactivation_refused_while_people_remain_then_done(client, tree, login_as, db):
    make_user(unit=tree["guanyinqiao"])
    make_user(unit=tree["guanyinqiao"])
    db.session.commit()
    admin = login_as(RoleName.ADMIN)
    unit = tree["guanyinqiao"]
    refused = client.post(f"/admin/org/{unit.id}/deactivate", headers=EN,
                          follow_redirects=True)
    assert "2 active people still belong to this unit" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert unit.active
    for person in db.session.scalars(select(User).where(User.org_unit_id == unit.id)).all():
        client.post(f"/admin/users/{person.id}/deactivate")
    client.post(f"/admin/org/{unit.id}/deactivate")
    db.session.expire_all()
    assert not unit.active and admin.active
    assert "500105001" not in client.get("/admin/users/new").get_data(as_text=True)
    page = client.get(f"/admin/org/{unit.id}").get_data(as_text=True)
    assert 'id="unit-inactive"' in page and 'id="reactivate-unit"' in page
    client.post(f"/admin/org/{unit.id}/reactivate")
    db.session.expire_all()
    assert unit.active
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.target == "org:500105001").order_by(AuditEvent.id))] == [
        "org.deactivated", "org.reactivated"]


def test_a_unit_with_active_sub_units_is_not_deactivated(client, tree, login_as, db):
    login_as(RoleName.ADMIN)
    response = client.post(f"/admin/org/{tree['jiangbei'].id}/deactivate", headers=EN,
                           follow_redirects=True)
    assert "1 sub-units are still active" in response.get_data(as_text=True)
    db.session.expire_all()
    assert tree["jiangbei"].active


def test_unknown_unit_is_404(client, tree, login_as):
    login_as(RoleName.ADMIN)
    assert client.get("/admin/org/999999").status_code == 404
    assert client.post("/admin/org/999999/rename", data={"rename-name": "x"}).status_code == 404
