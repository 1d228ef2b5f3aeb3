"""Who may see and decide a claim of hours earned elsewhere: the cadre who made it sees it;
HR whose people scope holds the cadre (app.services.core.access.may_view_person), and
administrators, review it; nobody decides their own claim."""

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import HoursClaim, User
from app.services.core.access import may_view_person
from app.services.core.errors import NotFound, PermissionDenied

REVIEWER_ROLES = (RoleName.HR, RoleName.ADMIN)


def claim_target(claim: HoursClaim) -> str:
    return f"hours_claim:{claim.id}"


def find_claim(claim_id: int) -> HoursClaim:
    claim = db.session.get(HoursClaim, claim_id)
    if claim is None:
        raise NotFound(f"hours claim {claim_id}")
    return claim


def may_review_claim(actor: User, claim: HoursClaim) -> bool:
    return actor.has_role(*REVIEWER_ROLES) and may_view_person(actor, claim.user)


def ensure_may_review_claim(actor: User, claim: HoursClaim) -> None:
    if not may_review_claim(actor, claim):
        raise PermissionDenied("this cadre is outside your scope", target=claim_target(claim))


def ensure_may_decide_claim(actor: User, claim: HoursClaim) -> None:
    """A reviewer, and not the cadre who claimed (another HR officer decides that one)."""
    ensure_may_review_claim(actor, claim)
    if claim.user_id == actor.id:
        raise PermissionDenied("nobody decides their own claim", target=claim_target(claim))


def may_see_claim(actor: User, claim: HoursClaim) -> bool:
    return claim.user_id == actor.id or may_review_claim(actor, claim)


def ensure_may_see_claim(actor: User, claim: HoursClaim) -> None:
    if not may_see_claim(actor, claim):
        raise PermissionDenied("not your claim", target=claim_target(claim))
