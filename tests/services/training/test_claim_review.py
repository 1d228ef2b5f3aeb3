"""学时认定, HR's side: the queue in scope with its filters, the decisions and their rules,
what reaches the ledger (and leaves it), closed years, and the audit trail."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.class_vocabulary import RequestStatus
from app.domain.training_hours import HoursKind
from app.domain.vocabulary import RoleName
from app.models import AppraisalYearClosure, HourCredit
from app.services.appraisal.closing import YearClosed
from app.services.core.errors import NotFound, PermissionDenied
from app.services.training.claim_flags import OVERLAP
from app.services.training.claim_review import (
    ClaimStateChanged,
    DecisionInvalid,
    ReviewFilter,
    approve_claim,
    find_claim_for_review,
    list_claims_for_review,
    reject_claim,
    reverse_approval,
)
from app.services.training.claims import withdraw_claim
from tests.claim_samples import NOW, submit
from tests.factories import audit_events, make_user


@pytest.fixture
def people(tree):
    return {
        "cadre": make_user(unit=tree["jiefangbei"], name="张晓明"),
        "neighbour": make_user(unit=tree["chaotianmen"], name="李红"),
        "far": make_user(unit=tree["guanyinqiao"], name="王刚"),
        "hr": make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"]),
        "hr_far": make_user(unit=tree["jiangbei"], roles=[RoleName.HR],
                            scope=tree["jiangbei"]),
        "admin": make_user(unit=tree["city"], roles=[RoleName.ADMIN]),
        "trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER]),
    }


def _ledger(claim) -> list[tuple]:
    from app.extensions import db

    return [(line.hours_kind, line.year, line.hours) for line in db.session.scalars(
        select(HourCredit).where(HourCredit.hours_claim_id == claim.id))]


def _close(db, year: int) -> None:
    db.session.add(AppraisalYearClosure(year=year))
    db.session.flush()


# --- the queue ----------------------------------------------------------------------------

def test_hr_sees_the_claims_of_their_scope_pending_first(people):
    decided = submit(people["cadre"], title="已审", now=NOW)
    reject_claim(decided, "材料不全", actor=people["hr"])
    older = submit(people["neighbour"], title="较早", now=NOW + timedelta(hours=1))
    newer = submit(people["cadre"], title="较晚", starts_on=date(2026, 6, 1),
                   ends_on=date(2026, 6, 1), hours_claimed=Decimal("4"),
                   now=NOW + timedelta(hours=2))
    submit(people["far"])
    page = list_claims_for_review(actor=people["hr"])
    assert [claim.id for claim in page.items] == [older.id, newer.id, decided.id]
    assert page.total == 3
    assert list_claims_for_review(actor=people["admin"]).total == 4
    assert list_claims_for_review(actor=people["hr_far"]).total == 1


def test_the_queue_filters_by_status_flags_and_unit_subtree(tree, people):
    flagged = submit(people["cadre"])
    submit(people["cadre"], starts_on=date(2026, 5, 12), ends_on=date(2026, 5, 12),
           hours_claimed=Decimal("3"))
    plain = submit(people["neighbour"])
    reject_claim(plain, "不属于培训", actor=people["hr"])
    hr = people["hr"]

    def ids(**filters):
        return {c.id for c in list_claims_for_review(actor=hr, filters=ReviewFilter(**filters))
                .items}

    assert ids(status=RequestStatus.REJECTED) == {plain.id}
    assert flagged.id in ids(flagged=True) and plain.id not in ids(flagged=True)
    assert len(ids(flagged=True)) == 2
    assert ids(unit=tree["chaotianmen"]) == {plain.id}
    assert len(ids(unit=tree["yuzhong"])) == 3
    with pytest.raises(PermissionDenied):
        list_claims_for_review(actor=hr, filters=ReviewFilter(unit=tree["jiangbei"]))


@pytest.mark.parametrize("role", ["cadre", "trainer"])
def test_only_hr_and_admins_review(people, role):
    claim = submit(people["cadre"])
    with pytest.raises(PermissionDenied):
        list_claims_for_review(actor=people[role])
    with pytest.raises(PermissionDenied):
        find_claim_for_review(claim.id, actor=people[role])


def test_a_claim_outside_the_reviewers_scope_is_refused(people):
    claim = submit(people["cadre"])
    with pytest.raises(PermissionDenied):
        find_claim_for_review(claim.id, actor=people["hr_far"])
    with pytest.raises(PermissionDenied):
        approve_claim(claim, Decimal("12"), "", actor=people["hr_far"])
    with pytest.raises(NotFound):
        find_claim_for_review(claim.id + 1000, actor=people["hr"])
    assert find_claim_for_review(claim.id, actor=people["admin"], lock=True) is claim


# --- decisions ----------------------------------------------------------------------------

def test_approving_credits_recognized_hours_in_the_year_the_training_ended(people):
    claim = submit(people["cadre"], starts_on=date(2025, 12, 31), ends_on=date(2026, 1, 1),
                   hours_claimed=Decimal("12"))
    approve_claim(claim, Decimal("12"), "", actor=people["hr"], now=NOW)
    assert (claim.status, claim.hours_approved, claim.decided_by_id) == (
        RequestStatus.APPROVED, Decimal("12"), people["hr"].id)
    assert _ledger(claim) == [(HoursKind.RECOGNIZED, 2026, Decimal("12"))]
    event = audit_events("claims.approved")[0]
    assert event.details["before"] == {"status": "pending", "hours_approved": None,
                                       "reason": ""}
    assert event.details["after"] == {"status": "approved", "hours_approved": "12",
                                      "reason": ""}


def test_approving_fewer_hours_needs_a_reason(people):
    claim = submit(people["cadre"])
    with pytest.raises(DecisionInvalid) as raised:
        approve_claim(claim, Decimal("8"), "  ", actor=people["hr"])
    assert raised.value.field == "reason"
    assert claim.status is RequestStatus.PENDING and _ledger(claim) == []
    approve_claim(claim, Decimal("8"), "第二天仅半天", actor=people["hr"])
    assert _ledger(claim) == [(HoursKind.RECOGNIZED, 2026, Decimal("8"))]
    assert claim.decision_reason == "第二天仅半天"


@pytest.mark.parametrize("hours", ["0", "-1", "12.5", "1.234"])
def test_approved_hours_are_above_zero_at_most_those_claimed_two_decimals(people, hours):
    claim = submit(people["cadre"])
    with pytest.raises(DecisionInvalid) as raised:
        approve_claim(claim, Decimal(hours), "理由", actor=people["hr"])
    assert raised.value.field == "hours_approved"
    assert claim.status is RequestStatus.PENDING and _ledger(claim) == []


def test_approving_into_a_closed_year_is_refused_and_changes_nothing(db, people):
    claim = submit(people["cadre"])
    _close(db, 2026)
    with pytest.raises(YearClosed):
        approve_claim(claim, Decimal("12"), "", actor=people["hr"])
    assert claim.status is RequestStatus.PENDING and _ledger(claim) == []
    assert audit_events("claims.approved") == []


def test_rejecting_needs_a_reason_and_writes_no_hours(people):
    claim = submit(people["cadre"])
    with pytest.raises(DecisionInvalid):
        reject_claim(claim, " ", actor=people["hr"])
    with pytest.raises(DecisionInvalid):
        reject_claim(claim, "理" * 501, actor=people["hr"])
    reject_claim(claim, "非培训活动", actor=people["hr"], now=NOW)
    assert (claim.status, claim.decision_reason) == (RequestStatus.REJECTED, "非培训活动")
    assert _ledger(claim) == []
    assert audit_events("claims.rejected")[0].details["after"]["status"] == "rejected"


def test_reversing_an_approval_takes_the_hours_back(people):
    claim = submit(people["cadre"])
    approve_claim(claim, Decimal("10"), "按实际", actor=people["hr"])
    with pytest.raises(DecisionInvalid):
        reverse_approval(claim, "", actor=people["hr"])
    reverse_approval(claim, "证书系伪造", actor=people["admin"])
    assert (claim.status, claim.hours_approved, claim.decision_reason) == (
        RequestStatus.REJECTED, None, "证书系伪造")
    assert _ledger(claim) == []
    event = audit_events("claims.reversed")[0]
    assert event.details["before"]["hours_approved"] == "10"
    assert event.details["after"]["status"] == "rejected"


def test_reversing_in_a_closed_year_is_refused(db, people):
    claim = submit(people["cadre"])
    approve_claim(claim, Decimal("12"), "", actor=people["hr"])
    _close(db, 2026)
    with pytest.raises(YearClosed):
        reverse_approval(claim, "复核", actor=people["hr"])
    assert claim.status is RequestStatus.APPROVED and len(_ledger(claim)) == 1


def test_a_decision_needs_the_state_it_changes(people):
    claim = submit(people["cadre"])
    with pytest.raises(ClaimStateChanged):
        reverse_approval(claim, "复核", actor=people["hr"])
    reject_claim(claim, "不符合", actor=people["hr"])
    with pytest.raises(ClaimStateChanged):
        approve_claim(claim, Decimal("12"), "", actor=people["hr"])
    withdrawn = submit(people["cadre"], starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 1),
                       hours_claimed=Decimal("2"))
    withdraw_claim(withdrawn.id, actor=people["cadre"])
    with pytest.raises(ClaimStateChanged):
        reject_claim(withdrawn, "理由", actor=people["hr"])


def test_nobody_decides_their_own_claim(people):
    claim = submit(people["hr"])
    assert find_claim_for_review(claim.id, actor=people["hr"]) is claim  # may read it
    with pytest.raises(PermissionDenied):
        approve_claim(claim, Decimal("12"), "", actor=people["hr"])
    with pytest.raises(PermissionDenied):
        reject_claim(claim, "理由", actor=people["hr"])
    approve_claim(claim, Decimal("12"), "", actor=people["admin"])


def test_a_rejection_frees_the_dates_of_the_claims_it_overlapped(people):
    first = submit(people["cadre"])
    second = submit(people["cadre"], starts_on=date(2026, 5, 12), ends_on=date(2026, 5, 12),
                    hours_claimed=Decimal("8"))
    assert first.flags == second.flags == [OVERLAP]
    reject_claim(second, "重复申报", actor=people["hr"])
    assert first.flags == []
    assert second.flags == [OVERLAP]  # kept as HR saw it when deciding
