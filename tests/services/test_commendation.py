from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.appraisal import Rating
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import AppraisalResult, AuditEvent
from app.services.appraisal.closing import YearClosed, close_year
from app.services.appraisal.commendation import (
    PERSON,
    TEAM,
    CommendationRefused,
    add_person,
    add_team,
    confirm_commendation,
    find_commendation,
    propose_commendation,
    remove_entry,
)
from app.services.core.errors import PermissionDenied
from tests.factories import make_user
from tests.services.test_appraisal import NOW, YEAR, hr


def rate(unit, *ratings, index=None, hours=50):
    """Cadres of ``unit`` with stored results (index falls by one per cadre unless given)."""
    people = []
    for n, rating in enumerate(ratings):
        person = make_user(unit=unit)
        value = Decimal(index if index is not None else 95 - n)
        db.session.add(AppraisalResult(
            year=YEAR, user_id=person.id, org_unit_id=unit.id, hours=Decimal(hours),
            hours_target=50, hours_component=0, scores_component=0, practice_component=0,
            coverage_component=0, weights={}, index=value, rating=rating, run_id="r",
            run_at=NOW))
        people.append(person)
    db.session.flush()
    return people


def active(commendation, kind):
    return [e.user_id if kind == PERSON else e.team_unit_id
            for e in commendation.entries if e.kind == kind and e.removed_reason is None]


@pytest.fixture
def admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN])


E, P, F = Rating.EXCELLENT, Rating.PASS, Rating.FAIL


def test_individuals_are_the_best_three_excellent_per_unit(tree, admin):
    jfb = rate(tree["jiefangbei"], E, E, E, E, P)
    ctm = rate(tree["chaotianmen"], P, P)
    listed = propose_commendation(YEAR, tree["yuzhong"], actor=admin, now=NOW)
    assert active(listed, PERSON) == [p.id for p in jfb[:3]]
    assert not set(active(listed, PERSON)) & {p.id for p in ctm}


def test_nobody_excellent_means_no_individuals_and_ties_go_to_more_hours(tree, admin):
    rate(tree["chaotianmen"], P, F)
    first = rate(tree["jiefangbei"], E, E, E, index=90, hours=50)
    more = rate(tree["jiefangbei"], E, index=90, hours=60)
    listed = propose_commendation(YEAR, tree["yuzhong"], actor=admin, now=NOW)
    assert active(listed, PERSON) == [more[0].id, first[0].id, first[1].id]


def test_teams_need_five_rated_cadres_and_rank_by_average_then_completion(tree, admin):
    rate(tree["jiefangbei"], P, P, P, P, P, index=80, hours=10)
    rate(tree["chaotianmen"], P, P, P, P, P, index=80, hours=50)
    rate(tree["guanyinqiao"], E, E, E, E, index=99)  # four cadres: too small
    rate(tree["yuzhong"], *[Rating.EXEMPT] * 5)  # exempt cadres do not count
    listed = propose_commendation(YEAR, tree["city"], actor=admin, now=NOW)
    assert active(listed, TEAM) == [tree["chaotianmen"].id, tree["jiefangbei"].id]
    team = next(e for e in listed.entries if e.kind == TEAM)
    assert (team.index, team.completion) == (Decimal(80), Decimal(100))


def test_hr_edits_with_reasons_each_audited_and_confirms(tree, admin):
    top = rate(tree["jiefangbei"], E, E, E, E)
    rate(tree["chaotianmen"], P, P, P, P, P)
    small = rate(tree["guanyinqiao"], P)
    officer = hr(tree, tree["yuzhong"])
    listed = propose_commendation(YEAR, tree["yuzhong"], actor=officer, now=NOW)
    confirm_commendation(listed, actor=officer, now=NOW)
    entry = listed.entries[0]
    with pytest.raises(CommendationRefused, match="reason"):
        remove_entry(listed, entry.id, reason=" ", actor=officer)
    with pytest.raises(CommendationRefused, match="reason"):
        remove_entry(listed, entry.id, reason="长" * 501, actor=officer)
    remove_entry(listed, entry.id, reason="受到处分", actor=officer)
    assert listed.confirmed_at is None  # an edit takes the confirmation back
    add_person(listed, top[3], reason="抗洪表现突出", actor=officer)
    for person, code in ((small[0], "outside"), (top[1], "listed")):
        with pytest.raises(CommendationRefused, match=code):
            add_person(listed, person, reason="r", actor=officer)
    with pytest.raises(CommendationRefused, match="too_small"):
        add_team(listed, tree["jiefangbei"], reason="r", actor=officer)
    add_person(listed, top[0], reason="申诉成立", actor=officer)  # back after removal
    confirm_commendation(listed, actor=officer, now=NOW + timedelta(minutes=1))
    assert active(listed, PERSON) == [p.id for p in top]
    assert listed.confirmed_by_id == officer.id
    events = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("commendation.%")))]
    assert events.count("commendation.removed") == 1 and events.count("commendation.added") == 2
    assert events.count("commendation.confirmed") == 2


def test_an_addition_must_be_rated_excellent(tree, admin):
    passed = rate(tree["jiefangbei"], P)
    listed = propose_commendation(YEAR, tree["yuzhong"], actor=admin, now=NOW)
    with pytest.raises(CommendationRefused, match="not_excellent"):
        add_person(listed, passed[0], reason="r", actor=admin)


def test_no_results_hr_outside_and_a_closed_year_are_refused(tree, admin):
    with pytest.raises(CommendationRefused, match="no_results"):
        propose_commendation(YEAR, tree["yuzhong"], actor=admin, now=NOW)
    rate(tree["jiefangbei"], E)
    with pytest.raises(PermissionDenied):
        propose_commendation(YEAR, tree["yuzhong"], actor=hr(tree, tree["jiangbei"]), now=NOW)
    listed = propose_commendation(YEAR, tree["yuzhong"], actor=admin, now=NOW)
    confirm_commendation(listed, actor=admin, now=NOW)
    close_year(YEAR, actor=admin, now=NOW)
    entry = listed.entries[0]
    with pytest.raises(YearClosed):
        remove_entry(listed, entry.id, reason="r", actor=admin)
    with pytest.raises(YearClosed):
        propose_commendation(YEAR, tree["yuzhong"], actor=admin, now=NOW)
    with pytest.raises(YearClosed):
        confirm_commendation(listed, actor=admin, now=NOW)
    db.session.expire_all()
    kept = find_commendation(YEAR, tree["yuzhong"], actor=admin)
    assert kept.confirmed_at is not None and active(kept, PERSON) == [entry.user_id]
