"""What HR should look at twice in a claim (rules in app.domain.training_hours):

- ``overlap``: its dates overlap the cadre's other claims that count (pending or approved)
  or a training class the cadre is an enrolled member of (a cancelled class is no training);
- ``repeated_certificate``: another claim, anyone's, in any state but withdrawn, carries the
  same certificate number (compared folded, through the indexed ``certificate_key``).

A cadre's own claims and classes are few, so they are read whole and compared with the
domain's rule; other people's certificate numbers are found through the index only.
Flags are stored when a claim is submitted and refreshed, for it and for the pending claims
it touches, whenever its state changes; HR's claim page computes them afresh (read only).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.class_vocabulary import ClassStatus, MemberStatus, RequestStatus
from app.domain.training_hours import Claim, overlaps, repeated_certificate
from app.extensions import db
from app.models import ClassMember, HoursClaim, TrainingClass

OVERLAP = "overlap"
REPEATED_CERTIFICATE = "repeated_certificate"
FLAGS = (OVERLAP, REPEATED_CERTIFICATE)
#: Claims whose dates count against another claim's.
COUNTED = (RequestStatus.PENDING, RequestStatus.APPROVED)


@dataclass(frozen=True)
class _Period:
    source_id: int
    starts_on: date
    ends_on: date


def domain_claim(claim: HoursClaim) -> Claim:
    return Claim(claim.starts_on, claim.ends_on, claim.hours_claimed, claim.certificate_number)


def compute_flags(claims: Iterable[HoursClaim]) -> dict[int, list[str]]:
    """Each claim's flags as they are now, by claim id (three queries for any number)."""
    claims = list(claims)
    if not claims:
        return {}
    users = {claim.user_id for claim in claims}
    other_claims = _counted_claims(users)
    classes = _enrolled_classes(users)
    numbers = _certificate_numbers({c.certificate_key for c in claims if c.certificate_key})
    flags = {}
    for claim in claims:
        mine = domain_claim(claim)
        found = []
        periods = [p for p in other_claims[claim.user_id] if p.source_id != claim.id]
        if any(overlaps(mine, p.starts_on, p.ends_on)
               for p in periods + classes[claim.user_id]):
            found.append(OVERLAP)
        others = [number for claim_id, number in numbers[claim.certificate_key]
                  if claim_id != claim.id]
        if repeated_certificate(mine, others):
            found.append(REPEATED_CERTIFICATE)
        flags[claim.id] = found
    return flags


def refresh_flags(claim: HoursClaim) -> None:
    """Store the flags of ``claim`` and of the pending claims its state touches: the same
    cadre's, and those carrying the same certificate number."""
    touched = {claim.id: claim}
    for other in _pending_neighbours(claim):
        touched.setdefault(other.id, other)
    for claim_id, flags in compute_flags(touched.values()).items():
        if list(touched[claim_id].flags or []) != flags:
            touched[claim_id].flags = flags
    db.session.flush()


def _pending_neighbours(claim: HoursClaim) -> list[HoursClaim]:
    same = HoursClaim.user_id == claim.user_id
    if claim.certificate_key:
        same = same | (HoursClaim.certificate_key == claim.certificate_key)
    return list(db.session.scalars(select(HoursClaim).where(
        same, HoursClaim.status == RequestStatus.PENDING, HoursClaim.id != claim.id)))


def _counted_claims(users: set[int]) -> dict[int, list[_Period]]:
    rows = db.session.execute(
        select(HoursClaim.user_id, HoursClaim.id, HoursClaim.starts_on, HoursClaim.ends_on)
        .where(HoursClaim.user_id.in_(users), HoursClaim.status.in_(COUNTED)))
    periods = defaultdict(list)
    for user_id, claim_id, starts_on, ends_on in rows:
        periods[user_id].append(_Period(claim_id, starts_on, ends_on))
    return periods


def _enrolled_classes(users: set[int]) -> dict[int, list[_Period]]:
    rows = db.session.execute(
        select(ClassMember.user_id, TrainingClass.id, TrainingClass.starts_on,
               TrainingClass.ends_on)
        .join(TrainingClass, TrainingClass.id == ClassMember.class_id)
        .where(ClassMember.user_id.in_(users), ClassMember.status == MemberStatus.ENROLLED,
               TrainingClass.status != ClassStatus.CANCELLED))
    periods = defaultdict(list)
    for user_id, class_id, starts_on, ends_on in rows:
        periods[user_id].append(_Period(class_id, starts_on, ends_on))
    return periods


def _certificate_numbers(keys: set[str]) -> dict[str, list[tuple[int, str]]]:
    numbers = defaultdict(list)
    if not keys:
        return numbers
    rows = db.session.execute(
        select(HoursClaim.certificate_key, HoursClaim.id, HoursClaim.certificate_number)
        .where(HoursClaim.certificate_key.in_(keys),
               HoursClaim.status != RequestStatus.WITHDRAWN))
    for key, claim_id, number in rows:
        numbers[key].append((claim_id, number))
    return numbers
