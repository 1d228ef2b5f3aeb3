"""Ledger lines of face-to-face and recognized hours: one per completed class member and
one per approved claim, never two (the database's unique keys make a repeat a no-op).

A closed appraisal year's hours do not change: crediting into one raises YearClosed.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from app.domain.training_hours import HoursKind
from app.extensions import db
from app.models import HourCredit, HoursClaim, TrainingClass
from app.services.appraisal.closing import ensure_year_open


def credit_class_hours(training_class: TrainingClass, user_id: int, hours: Decimal,
                       now: datetime) -> HourCredit | None:
    """Face-to-face hours of a completed class, in the year the class ended; None when the
    member was credited already."""
    year = training_class.ends_on.year
    ensure_year_open(year)
    return _add(HourCredit(user_id=user_id, hours_kind=HoursKind.FACE_TO_FACE,
                           training_class_id=training_class.id, year=year, hours=hours,
                           credited_at=now))


def credit_class_members(training_class: TrainingClass, hours_by_user: dict[int, Decimal],
                         now: datetime) -> int:
    """Face-to-face lines of many members of a class in one INSERT, for finishing a class
    (whose one conditional UPDATE already decided this runs once); members credited before
    are left out. Returns how many lines were written."""
    year = training_class.ends_on.year
    ensure_year_open(year)
    credited = set(db.session.scalars(select(HourCredit.user_id).where(
        HourCredit.training_class_id == training_class.id)))
    rows = [{"user_id": user_id, "hours_kind": HoursKind.FACE_TO_FACE,
             "training_class_id": training_class.id, "year": year, "hours": hours,
             "credited_at": now}
            for user_id, hours in hours_by_user.items() if user_id not in credited and hours > 0]
    if rows:
        db.session.execute(insert(HourCredit), rows)
    return len(rows)


def credit_claim_hours(claim: HoursClaim, hours: Decimal, now: datetime) -> HourCredit | None:
    """Recognized hours of an approved claim, in the year the training ended."""
    ensure_year_open(claim.year)
    return _add(HourCredit(user_id=claim.user_id, hours_kind=HoursKind.RECOGNIZED,
                           hours_claim_id=claim.id, year=claim.year, hours=hours,
                           credited_at=now))


def withdraw_claim_hours(claim: HoursClaim) -> None:
    """Take back a claim's recognized hours (a decision reversed)."""
    ensure_year_open(claim.year)
    db.session.execute(delete(HourCredit).where(HourCredit.hours_claim_id == claim.id))


def _add(credit: HourCredit) -> HourCredit | None:
    try:
        with db.session.begin_nested():
            db.session.add(credit)
    except IntegrityError:
        return None
    return credit
