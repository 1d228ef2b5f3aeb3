"""Column types shared by the models."""

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import DateTime, Enum, Numeric, TypeDecorator

from app.domain.training_hours import readable_hours


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so we store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Hours(TypeDecorator):
    """Credit hours, stored with two decimals (a micro-course earns 0.25 学时) and read back
    with one when the second is zero, so two hours still read "2.0" on every page."""

    impl = Numeric
    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return readable_hours(Decimal(value))


#: How far the clock of this context runs from the real one; always zero but while the demo
#: seeding lets its cadres study on the days of the year it draws for them (clock_shifted).
_clock_shift: ContextVar[timedelta] = ContextVar("clock_shift", default=timedelta(0))


def utcnow() -> datetime:
    """Now, as every service sees it (the only clock they read)."""
    return datetime.now(UTC) + _clock_shift.get()


@contextmanager
def clock_shifted(by: timedelta) -> Iterator[None]:
    """Run the use cases inside as if it were ``by`` later (earlier when negative): the demo
    seeding writes last year and the months behind us through the real use cases this way.
    Time still passes inside, so events keep their order."""
    token = _clock_shift.set(by)
    try:
        yield
    finally:
        _clock_shift.reset(token)


def enum_type(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the member values, checked by the database."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
