"""The audit log: filters, the append-only guard, and PostgreSQL's insert-only grant."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import ProgrammingError

from app.domain.vocabulary import RoleName
from app.models import AuditEvent
from app.models.audit import AuditLogAppendOnly
from app.services.core.audit import (
    AuditFilter,
    clip,
    export_audit_csv,
    list_audit_events,
    record_event,
)
from app.services.core.errors import PermissionDenied
from tests.factories import make_user


@pytest.fixture
def admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN], username="ADMIN1")


def _at(db, action, when, **fields):
    event = AuditEvent(action=action, created_at=when, details={}, **fields)
    db.session.add(event)
    db.session.flush()
    return event


def _actions(page):
    return [event.action for event in page.items]


def test_days_are_calendar_days_in_chongqing(db, admin):
    _at(db, "a.before", datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC))  # 1 Mar 23:59:59 local
    _at(db, "a.first", datetime(2026, 3, 1, 16, 0, tzinfo=UTC))  # 2 Mar 00:00 local
    _at(db, "a.last", datetime(2026, 3, 2, 15, 59, 59, tzinfo=UTC))  # 2 Mar 23:59:59 local
    _at(db, "a.after", datetime(2026, 3, 2, 16, 0, tzinfo=UTC))  # 3 Mar 00:00 local
    one_day = AuditFilter(action="a.", date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    assert _actions(list_audit_events(actor=admin, filters=one_day)) == ["a.last", "a.first"]
    since = AuditFilter(action="a.", date_from=date(2026, 3, 3))
    assert _actions(list_audit_events(actor=admin, filters=since)) == ["a.after"]
    until = AuditFilter(action="a.", date_to=date(2026, 3, 1))
    assert _actions(list_audit_events(actor=admin, filters=until)) == ["a.before"]


def test_filters_combine_and_treat_wildcards_literally(db, tree, admin):
    other = make_user(unit=tree["jiefangbei"], username="B200")
    record_event("roles.granted", actor=other, target="user:1")
    record_event("roles.granted", actor=admin, target="user:10")
    record_event("roles_granted", actor=admin, target="user:1")
    both = AuditFilter(actor="ADMIN1", action="roles.", target="user:1")
    assert [e.target for e in list_audit_events(actor=admin, filters=both).items] == ["user:10"]
    assert list_audit_events(actor=admin, filters=AuditFilter(action="roles%")).total == 0
    assert list_audit_events(actor=admin, filters=AuditFilter(actor="nobody")).total == 0


def test_only_admins_read_or_export(db, tree):
    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    with pytest.raises(PermissionDenied):
        list_audit_events(actor=hr)
    with pytest.raises(PermissionDenied):
        export_audit_csv(actor=hr, filters=AuditFilter())
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported")) \
        is None


def test_the_orm_refuses_to_change_or_delete_an_event(db, admin):
    event = record_event("auth.login", actor=admin, details={"a": 1})
    db.session.commit()
    event.action = "auth.nothing_happened"
    with pytest.raises(AuditLogAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(AuditLogAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogAppendOnly):
        db.session.execute(update(AuditEvent).values(action="x"))
    with pytest.raises(AuditLogAppendOnly):
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == event.id))
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "auth.login"
    record_event("auth.logout", actor=admin)  # adding stays possible
    db.session.commit()


def test_long_free_text_is_clipped():
    assert clip("x" * 600) == "x" * 499 + "…" and len(clip("x" * 600)) == 500
    assert clip(None) == "" and clip("short") == "short"


def test_postgresql_can_make_the_table_insert_only_for_the_apps_role(db, admin):
    """The grants in docs/operations.md ("The audit log's grants"), run as a scratch role."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL privileges: run with TEST_DATABASE_URL=postgresql+psycopg://…")
    record_event("auth.login", actor=admin)
    db.session.commit()
    with db.engine.connect() as connection:
        transaction = connection.begin()  # CREATE ROLE is transactional: rolled back below
        try:
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence('audit_event', 'id')"))
            before = connection.scalar(text("SELECT count(*) FROM audit_event"))
            for statement in (
                "CREATE ROLE academy_audit_probe NOLOGIN",
                "GRANT SELECT, INSERT ON audit_event TO academy_audit_probe",
                f"GRANT USAGE ON SEQUENCE {sequence} TO academy_audit_probe",
                "REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM academy_audit_probe",
                "SET ROLE academy_audit_probe",
            ):
                connection.execute(text(statement))
            connection.execute(text(
                "INSERT INTO audit_event (created_at, action, details) "
                "VALUES (now(), 'probe.inserted', '{}')"))
            for statement in ("UPDATE audit_event SET action = 'x'",
                              "DELETE FROM audit_event", "TRUNCATE audit_event"):
                with pytest.raises(ProgrammingError, match="permission denied"), \
                        connection.begin_nested():
                    connection.execute(text(statement))
            assert connection.scalar(text("SELECT count(*) FROM audit_event")) == before + 1
        finally:
            transaction.rollback()
