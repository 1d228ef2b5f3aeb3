from app.domain.vocabulary import RoleName
from app.extensions import db
from app.services.core.access import may_view_person, visible_people_query
from tests.factories import make_user


def _visible(actor):
    return {u.username for u in db.session.scalars(visible_people_query(actor))}


def test_hr_of_yuzhong_sees_yuzhong_only(tree):
    hr = make_user(unit=tree["yuzhong"], username="HRYZ", roles=[RoleName.HR],
                   scope=tree["yuzhong"])
    a = make_user(unit=tree["jiefangbei"], username="A")
    b = make_user(unit=tree["chaotianmen"], username="B")
    c = make_user(unit=tree["guanyinqiao"], username="C")
    assert _visible(hr) == {"HRYZ", "A", "B"}
    assert may_view_person(hr, a) and may_view_person(hr, b)
    assert not may_view_person(hr, c)


def test_city_hr_and_admin_see_everyone_a_cadre_only_themselves(tree):
    city_hr = make_user(unit=tree["city"], username="HR", roles=[RoleName.HR],
                        scope=tree["city"])
    admin = make_user(unit=tree["city"], username="ADM", roles=[RoleName.ADMIN])
    cadre = make_user(unit=tree["jiefangbei"], username="A")
    make_user(unit=tree["guanyinqiao"], username="C")
    everyone = {"HR", "ADM", "A", "C"}
    assert _visible(city_hr) == everyone
    assert _visible(admin) == everyone
    assert _visible(cadre) == {"A"}


def test_trainer_sees_only_themselves_among_people(tree):
    trainer = make_user(unit=tree["city"], username="TR", roles=[RoleName.TRAINER])
    make_user(unit=tree["jiefangbei"], username="A")
    assert _visible(trainer) == {"TR"}
