"""学时认定 pages, who may use each: every URL for anonymous, the owner cadre, another cadre,
HR in and out of scope, a trainer and an admin; the nav links; what the cadre's pages read."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.class_vocabulary import RequestStatus
from app.extensions import db
from app.models import HourCredit, HoursClaim
from app.services.training.claim_review import approve_claim
from tests.claim_samples import submit
from tests.web.training.claim_fixtures import (
    ROLES,
    claim_people,
    count,
    owners_claim,
    sign_in,
    switch_to,
)

people = pytest.fixture(claim_people)
claim = pytest.fixture(owners_claim)

# --- who may use each URL -----------------------------------------------------------------

EXPECTED_GETS = {
    # url: anonymous, owner, other cadre, hr in scope, hr out of scope, trainer, admin
    "/claims/": ("login", 200, 200, 200, 200, 200, 200),
    "/claims/new": ("login", 200, 200, 200, 200, 200, 200),
    "/claims/{id}/proof": ("login", 200, 404, 200, 404, 404, 200),
    "/hr/claims/": ("login", 403, 403, 200, 200, 403, 200),
    "/hr/claims/{id}": ("login", 403, 403, 200, 403, 403, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(client, login_as, people, claim, role):
    sign_in(login_as, people, role)
    for url, expected in EXPECTED_GETS.items():
        response = client.get(url.format(id=claim.id))
        wanted = expected[ROLES.index(role)]
        if wanted == "login":
            assert response.status_code == 302 and "/auth/login" in response.location, url
        else:
            assert response.status_code == wanted, (url, role)
        if response.status_code == 200:
            assert response.headers["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_lists_only_claims_in_scope(client, login_as, people, claim, role):
    if role not in ("hr_in_scope", "hr_out_of_scope", "admin"):
        return
    sign_in(login_as, people, role)
    page = client.get("/hr/claims/").get_data(as_text=True)
    assert (f'id="claim-{claim.id}"' in page) == (role != "hr_out_of_scope")


EXPECTED_POSTS = {
    # url: anonymous, owner, other cadre, hr in scope, hr out of scope, trainer, admin
    "/claims/{id}/withdraw": ("login", 302, 404, 404, 404, 404, 404),
    "/hr/claims/{id}/reject": ("login", 403, 403, 302, 403, 403, 302),
    "/hr/claims/{id}/approve": ("login", 403, 403, 302, 403, 403, 302),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(EXPECTED_POSTS))
def test_who_may_post_each_decision(client, login_as, people, claim, role, url):
    sign_in(login_as, people, role)
    response = client.post(url.format(id=claim.id), data={
        "hours_approved": "12", "reason": "", "reject-reason": "材料不全"})
    wanted = EXPECTED_POSTS[url][ROLES.index(role)]
    if wanted == "login":
        assert response.status_code == 302 and "/auth/login" in response.location
    else:
        assert response.status_code == wanted, (url, role, response.status_code)
    db.session.expire_all()
    changed = db.session.get(HoursClaim, claim.id).status is not RequestStatus.PENDING
    assert changed == (wanted == 302)


def test_reversing_an_approval_is_for_reviewers_in_scope_only(client, login_as, people, claim):
    approve_claim(claim, Decimal("12"), "", actor=people["admin"])
    db.session.commit()
    for role in ("owner", "other_cadre", "trainer", "hr_out_of_scope"):
        switch_to(client, login_as, people[role])
        response = client.post(f"/hr/claims/{claim.id}/reverse",
                               data={"reverse-reason": "复核"})
        assert response.status_code == 403, role
    switch_to(client, login_as, people["hr_in_scope"])
    response = client.post(f"/hr/claims/{claim.id}/reverse", data={"reverse-reason": "复核"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(HoursClaim, claim.id).status is RequestStatus.REJECTED
    assert count(HourCredit) == 0


def test_the_nav_links_each_role_to_its_claim_pages(client, login_as, people):
    login_as(user=people["owner"])
    page = client.get("/claims/").get_data(as_text=True)
    assert 'href="/claims/"' in page and "学时认定" in page
    assert 'href="/hr/claims/"' not in page
    switch_to(client, login_as, people["hr_in_scope"])
    assert 'href="/hr/claims/"' in client.get("/claims/").get_data(as_text=True)
    switch_to(client, login_as, people["owner"])
    assert 'id="record-claims"' in client.get("/records/me").get_data(as_text=True)



def test_the_cadres_claim_pages_read_only_their_own_rows(client, login_as, people, tree,
                                                         monkeypatch):
    from tests.web import test_page_reads

    monkeypatch.setattr(test_page_reads, "PEOPLE_TABLES", test_page_reads.PEOPLE_TABLES | {
        "hours_claim", "hours_claim_proof", "class_member"})
    for person in (people["other_cadre"], people["hr_in_scope"]):
        for day in range(1, 4):
            submit(person, starts_on=date(2026, 4, day), ends_on=date(2026, 4, day),
                   hours_claimed=Decimal("2"), now=None)
    own = submit(people["owner"], now=None)
    db.session.commit()
    login_as(user=people["owner"])
    for url in ("/claims/", "/claims/new", f"/claims/{own.id}/proof"):
        statements = test_page_reads._statements(client, url)
        assert test_page_reads.full_scans(statements) == {}, url
