"""Graded hints during an exercise attempt: opening one, and which ones were opened.

The hints are in the attempt's snapshot (each task item's ``hints``: rendered text and
cost), so a trainer's later edit never changes a started attempt. Pages show a hint's
text only once it is opened (app.web.exercises.presenting.task_hints). Opening is the
owner's, while the attempt is open, in the trainer's order, and idempotent; each opened
hint is a row of attempt_hint, read when the attempt is graded (tasks.grade_task_item).
"""

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.assessment import is_past_deadline
from app.domain.exercise_tasks.hints import after_hints, opened_cost_percent
from app.domain.vocabulary import AttemptState
from app.extensions import db
from app.models import Attempt, AttemptHint, User
from app.models.types import utcnow
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, PermissionDenied, ServiceError
from app.services.exercises.tasks import is_task


class HintRefused(ServiceError):
    """The hint cannot be opened now; the message is a reason code (closed, time_up,
    order: an earlier hint of the task is still closed)."""


@dataclass(frozen=True)
class HintsUsed:
    """The hints a task's answer paid for, and the share of its points they cost."""

    numbers: tuple[int, ...]
    cost_percent: int

    def attainable(self, points) -> Decimal:
        """The most the task can still earn: its points less the hints' cost."""
        return after_hints(Decimal(str(points)), self.cost_percent)


def task_hints(item: dict) -> list[dict]:
    """The hints of a snapshot item ([] for a question, or a task snapshot taken before
    hints existed)."""
    return list(item.get("hints") or []) if is_task(item) else []


def hints_opened(attempt: Attempt) -> dict[int, tuple[int, ...]]:
    """The opened hints' numbers by task position, in order (one query; none for an attempt
    never stored, such as a trainer's preview)."""
    if attempt.id is None:
        return {}
    opened: dict[int, list[int]] = {}
    for position, number in db.session.execute(
            select(AttemptHint.position, AttemptHint.number)
            .where(AttemptHint.attempt_id == attempt.id)
            .order_by(AttemptHint.position, AttemptHint.number)):
        opened.setdefault(position, []).append(number)
    return {position: tuple(numbers) for position, numbers in opened.items()}


def hints_used(attempt: Attempt) -> dict[int, HintsUsed]:
    """What the opened hints cost, by task position (only tasks with an opened hint)."""
    return {position: HintsUsed(numbers, opened_cost_percent(
                task_hints(attempt.questions[position]), numbers))
            for position, numbers in hints_opened(attempt).items()
            if position < len(attempt.questions)}


def open_task_hint(attempt: Attempt, position: int, number: int, *, actor: User) -> bool:
    """Open hint `number` (1-based) of the task at `position`; True when it was opened now,
    False when it already was. Refused after the attempt closes and before the earlier
    hints of the task are open."""
    if attempt.user_id != actor.id:
        raise PermissionDenied("not your attempt")
    item = attempt.questions[position] if 0 <= position < len(attempt.questions) else {}
    hints = task_hints(item)
    if not 1 <= number <= len(hints):
        raise NotFound(f"{position}/{number}")
    # Lock the attempt's row (PostgreSQL): a submit at the same moment grades after this
    # hint is recorded, or this sees the attempt closed.
    db.session.refresh(attempt, ["state"], with_for_update=True)
    _ensure_open(attempt)
    opened = set(hints_opened(attempt).get(position, ()))
    if number in opened:
        return False
    if any(earlier not in opened for earlier in range(1, number)):
        raise HintRefused("order")
    try:
        with db.session.begin_nested():
            db.session.add(AttemptHint(attempt_id=attempt.id, position=position, number=number,
                                       opened_at=utcnow()))
    except IntegrityError:  # the same hint, opened a moment ago in another tab
        return False
    record_event("assessment.hint_opened", actor=actor, target=f"attempt:{attempt.id}",
                 details={"task": item.get("task_id"), "position": position, "number": number,
                          "cost_percent": hints[number - 1]["cost_percent"]})
    return True


def _ensure_open(attempt: Attempt) -> None:
    if attempt.state is not AttemptState.IN_PROGRESS:
        raise HintRefused("closed")
    if is_past_deadline(attempt.deadline_at, utcnow(),
                        current_app.config["ATTEMPT_GRACE_SECONDS"]):
        raise HintRefused("time_up")
