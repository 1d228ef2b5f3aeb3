"""Finding 6 of issue #17: no one gives themselves extra exam time.

An accommodation is granted by HR whose scope covers the cadre (or an admin), or by a
trainer for a cadre enrolled in one of the trainer's courses; never by the person who
benefits. Pages show who granted it and when.
"""

from app.domain.vocabulary import RoleName
from app.models import TimeAccommodation
from app.services.core.access import add_course_owner
from app.services.core.audit import REFUSAL_ACTION
from app.services.learning.enrollment import enroll_in_course
from tests.factories import audit_events, make_course, make_user


def _refusals(person):
    return audit_events(REFUSAL_ACTION, target_prefix=f"user:{person.id}")


def test_finding_6_a_trainer_cannot_grant_themselves_extra_time(client, tree, login_as, db):
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    response = client.post("/teaching/accommodations",
                           data={"username": trainer.username, "extra_percent": "180"})
    assert response.status_code == 403
    assert "从不由本人" in response.get_data(as_text=True)
    assert db.session.get(TimeAccommodation, trainer.id) is None
    assert [e.actor_id for e in _refusals(trainer)] == [trainer.id]


def test_finding_6_a_trainer_grants_only_to_their_own_learners(client, tree, login_as, db):
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    course = make_course("DC101", lessons=1)
    add_course_owner(course, trainer, actor=None)
    learner = make_user(unit=tree["guanyinqiao"], username="E701", name="学员甲")
    stranger = make_user(unit=tree["guanyinqiao"], username="E702")
    enroll_in_course(course, actor=learner)
    db.session.commit()
    refused = client.post("/teaching/accommodations",
                          data={"username": "E702", "extra_percent": "50"})
    assert refused.status_code == 403
    assert db.session.get(TimeAccommodation, stranger.id) is None
    assert len(_refusals(stranger)) == 1
    client.post("/teaching/accommodations",
                data={"username": "E701", "extra_percent": "50", "reason": "视力障碍"})
    row = db.session.get(TimeAccommodation, learner.id)
    assert (row.extra_percent, row.set_by_id) == (50, trainer.id)
    page = client.get("/teaching/accommodations").get_data(as_text=True)
    assert "E701" in page and trainer.name in page and "视力障碍" in page
    assert "E702" not in page


def test_finding_6_hr_cannot_grant_herself_extra_time(client, tree, login_as, db):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["jiefangbei"])
    response = client.post(f"/hr/cadres/{hr.id}/accommodation", data={"extra_percent": "100"})
    assert response.status_code == 403
    assert db.session.get(TimeAccommodation, hr.id) is None
    assert [e.actor_id for e in _refusals(hr)] == [hr.id]
    page = client.get(f"/hr/cadres/{hr.id}").get_data(as_text=True)
    assert 'id="accommodation-not-yours"' in page
    assert f'action="/hr/cadres/{hr.id}/accommodation"' not in page


def test_finding_6_hr_grants_in_scope_and_the_page_shows_who_and_when(client, tree, login_as,
                                                                      db):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    inside = make_user(unit=tree["chaotianmen"])
    outside = make_user(unit=tree["guanyinqiao"])
    db.session.commit()
    client.post(f"/hr/cadres/{inside.id}/accommodation",
                data={"extra_percent": "50", "reason": "视力障碍"})
    assert db.session.get(TimeAccommodation, inside.id).set_by_id == hr.id
    page = client.get(f"/hr/cadres/{inside.id}").get_data(as_text=True)
    assert 'id="accommodation-granted"' in page and hr.name in page and "视力障碍" in page
    assert client.post(f"/hr/cadres/{outside.id}/accommodation",
                       data={"extra_percent": "50"}).status_code == 403
    assert db.session.get(TimeAccommodation, outside.id) is None
    assert len(_refusals(outside)) == 1


def test_finding_6_an_admin_grants_to_others_but_not_to_themselves(client, tree, login_as, db):
    admin = login_as(RoleName.ADMIN, unit=tree["city"])
    cadre = make_user(unit=tree["guanyinqiao"], username="E703")
    db.session.commit()
    client.post("/teaching/accommodations", data={"username": "E703", "extra_percent": "25"})
    assert db.session.get(TimeAccommodation, cadre.id).set_by_id == admin.id
    assert client.post("/teaching/accommodations", data={
        "username": admin.username, "extra_percent": "25"}).status_code == 403
    assert db.session.get(TimeAccommodation, admin.id) is None


def test_finding_6_a_cadre_cannot_reach_either_form(client, tree, login_as, db):
    cadre = login_as(RoleName.CADRE)
    assert client.post("/teaching/accommodations", data={
        "username": cadre.username, "extra_percent": "25"}).status_code == 403
    assert client.post(f"/hr/cadres/{cadre.id}/accommodation",
                       data={"extra_percent": "25"}).status_code == 403
    assert db.session.get(TimeAccommodation, cadre.id) is None
