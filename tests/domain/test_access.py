from app.domain.access import Viewer, can_manage_unit, can_view_person
from app.domain.vocabulary import RoleName

CADRE = frozenset({RoleName.CADRE})


def test_a_cadre_sees_only_themselves():
    viewer = Viewer(user_id=7, roles=CADRE)
    assert can_view_person(viewer, 7, "/1/2/")
    assert not can_view_person(viewer, 8, "/1/2/")


def test_hr_sees_their_subtree_only():
    viewer = Viewer(user_id=1, roles=frozenset({RoleName.HR, RoleName.CADRE}),
                    hr_scope_paths=("/1/2/",))
    assert can_view_person(viewer, 9, "/1/2/")
    assert can_view_person(viewer, 9, "/1/2/30/")
    assert not can_view_person(viewer, 9, "/1/3/")
    assert not can_view_person(viewer, 9, "/1/")
    assert not can_view_person(viewer, 9, "/1/20/")


def test_trainer_role_alone_gives_no_view_of_people():
    viewer = Viewer(user_id=1, roles=frozenset({RoleName.TRAINER}))
    assert not can_view_person(viewer, 2, "/1/")


def test_admin_sees_everyone():
    viewer = Viewer(user_id=1, roles=frozenset({RoleName.ADMIN}))
    assert can_view_person(viewer, 2, "/9/9/")


def test_hr_manages_the_units_of_their_subtrees_and_admins_every_unit():
    hr = Viewer(user_id=1, roles=frozenset({RoleName.HR}), hr_scope_paths=("/1/2/", "/1/5/"))
    assert can_manage_unit(hr, "/1/2/") and can_manage_unit(hr, "/1/5/30/")
    assert not can_manage_unit(hr, "/1/") and not can_manage_unit(hr, "/1/20/")
    assert can_manage_unit(Viewer(user_id=1, roles=frozenset({RoleName.ADMIN})), "/9/")
    cadre = Viewer(user_id=1, roles=CADRE, hr_scope_paths=("/1/2/",))
    assert not can_manage_unit(cadre, "/1/2/")
