from sqlalchemy import select

from app.domain.appraisal import Rating
from app.domain.vocabulary import RoleName
from app.models import AuditEvent, CommendationList
from app.models.types import utcnow
from app.services.appraisal.closing import close_year
from tests.services.test_appraisal import YEAR
from tests.services.test_commendation import rate

E, P = Rating.EXCELLENT, Rating.PASS
URL = "/hr/appraisal/commendation"


def entries(db):
    db.session.expire_all()
    listed = db.session.scalar(select(CommendationList))
    return listed, [(e.kind, e.user_id or e.team_unit_id, e.removed_reason)
                    for e in listed.entries]


def test_hr_proposes_edits_and_confirms_the_list(client, tree, login_as, db):
    best = rate(tree["jiefangbei"], E, E, E, E, P)
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"])
    assert client.get(URL).status_code == 200
    q = f"?year={YEAR}&unit=500103"
    assert client.post(f"{URL}/propose{q}").status_code == 302
    listed, rows = entries(db)
    assert [who for kind, who, _ in rows if kind == "person"] == [p.id for p in best[:3]]
    assert ("team", tree["jiefangbei"].id, None) in rows
    page = client.get(URL + q).get_data(as_text=True)
    assert best[0].name in page and 'id="commendation-person"' in page

    first = listed.entries[0]
    client.post(f"{URL}/remove{q}", data={"entry": first.id, "reason": ""})
    assert entries(db)[1][0][2] is None  # no reason: nothing changed
    client.post(f"{URL}/remove{q}", data={"entry": first.id, "reason": "受到处分"})
    client.post(f"{URL}/add{q}", data={"kind": "person", "who": best[3].username,
                                        "reason": "表现突出"})
    rejected = client.post(f"{URL}/add{q}", data={"kind": "person", "who": best[4].username,
                                                   "reason": "r"}, follow_redirects=True)
    assert rejected.status_code == 200
    client.post(f"{URL}/confirm{q}")
    listed, rows = entries(db)
    assert listed.confirmed_at is not None
    assert rows[0][2] == "受到处分" and ("person", best[3].id, None) in rows
    assert ("person", best[4].id, None) not in rows
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"commendation.removed", "commendation.added", "commendation.confirmed"} <= actions


def test_a_closed_year_shows_the_confirmed_list_without_edit_buttons(client, tree, login_as, db):
    rate(tree["jiefangbei"], E)
    admin = login_as(RoleName.ADMIN)
    q = f"?year={YEAR}&unit=500103"
    client.post(f"{URL}/propose{q}")
    client.post(f"{URL}/confirm{q}")
    close_year(YEAR, actor=admin, now=utcnow())
    db.session.commit()
    page = client.get(URL + q).get_data(as_text=True)
    assert 'id="commendation-closed"' in page and 'id="commendation-add"' not in page
    client.post(f"{URL}/propose{q}")
    assert entries(db)[0].confirmed_at is not None


def test_access_hr_outside_scope_and_cadres_get_403(client, tree, login_as, db):
    login_as(RoleName.HR, scope=tree["jiangbei"])
    assert client.get(URL).status_code == 200  # their own unit by default
    assert client.get(f"{URL}?unit=500103").status_code == 403
    assert client.post(f"{URL}/propose?unit=500103").status_code == 403
    assert client.get(f"{URL}?unit=NOPE").status_code == 404
    client.post("/auth/logout")
    login_as(RoleName.CADRE)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/propose?unit=500103").status_code == 403
    assert db.session.scalar(select(CommendationList)) is None


def test_proposing_without_results_says_so(client, tree, login_as, db):
    login_as(RoleName.ADMIN)
    page = client.post(f"{URL}/propose?year={YEAR}", follow_redirects=True)
    assert page.status_code == 200 and db.session.scalar(select(CommendationList)) is None
