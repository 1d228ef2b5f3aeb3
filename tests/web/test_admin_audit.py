"""The audit log viewer, its CSV export, and the auditing of refused pages."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.domain.vocabulary import RoleName
from app.models import AuditEvent
from app.services.core.audit import record_event, user_target
from app.services.core.errors import PermissionDenied
from tests.factories import audit_events, make_user

EN = {"Accept-Language": "en"}  # labels added in this change are checked in English


def _event(db, action, *, actor=None, target=None, details=None, when=None):
    if when is None:
        return record_event(action, actor=actor, target=target, details=details)
    event = AuditEvent(action=action, actor_id=actor.id if actor else None, target=target,
                       details=details or {}, created_at=when)
    db.session.add(event)
    db.session.flush()
    return event


def _events(db, action):
    return audit_events(action)


@pytest.fixture
def admin(login_as):
    return login_as(RoleName.ADMIN)


def test_admin_filters_by_actor_action_target_and_local_days(client, db, tree, admin):
    someone = make_user(unit=tree["jiefangbei"], username="A100", name="王五")
    _event(db, "roles.granted", actor=someone, target="user:7", details={"role": "hr"},
           when=datetime(2026, 3, 1, 15, 30, tzinfo=UTC))  # 1 March 23:30 Asia/Shanghai
    _event(db, "roles.revoked", actor=someone, target="user:8",
           when=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))  # 2 March 00:30 Asia/Shanghai
    _event(db, "courses.imported", actor=admin, target="course:DC101",
           when=datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
    db.session.commit()

    page = client.get("/admin/audit?actor=A100", headers=EN).get_data(as_text=True)
    assert "Role granted" in page and "Role revoked" in page and "Course imported" not in page
    page = client.get("/admin/audit?action=roles.rev").get_data(as_text=True)
    assert "roles.revoked" in page and "roles.granted" not in page
    page = client.get("/admin/audit?target=course:").get_data(as_text=True)
    assert "course:DC101" in page and "user:7" not in page
    page = client.get("/admin/audit?date_from=2026-03-02&date_to=2026-03-02").get_data(
        as_text=True)
    assert "user:8" in page and "user:7" not in page and "course:DC101" not in page
    assert "2026-03-02 00:30:00" in page  # shown in Asia/Shanghai time


def test_details_are_a_compact_list_and_actions_have_readable_labels(client, db, admin):
    _event(db, "assessment.appeal_upheld", actor=admin, target="appeal:3",
           details={"remedy": "drop_question", "changes": [[5, "4.00", "6.00"]],
                    "note": "长" * 300})
    _event(db, "future.thing", actor=admin)
    db.session.commit()
    page = client.get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Appeal upheld (regraded)" in page and "assessment.appeal_upheld" in page
    assert '<dt class="d-inline fw-normal text-body-secondary">Changes</dt>' in page
    assert '<dt class="d-inline fw-normal text-body-secondary"><code>note</code></dt>' in page
    assert "[[5,&#34;4.00&#34;,&#34;6.00&#34;]]" in page
    assert "长" * 119 + "…" in page and "长" * 121 not in page
    assert "future.thing" in page  # an unknown action still shows its code


def test_bad_filters_get_a_message_not_an_error(client, admin):
    response = client.get("/admin/audit?date_from=2026-03-05&date_to=2026-03-01", headers=EN)
    assert response.status_code == 200
    assert "The end date is before the start date." in response.get_data(as_text=True)
    assert client.get("/admin/audit?date_from=yesterday").status_code == 200
    assert client.get("/admin/audit?page=-3&action=%25_").status_code == 200
    response = client.get("/admin/audit.csv?date_from=2026-03-05&date_to=2026-03-01",
                          headers=EN)
    assert response.status_code == 400
    assert "The end date is before the start date." in response.get_data(as_text=True)


def test_the_list_runs_a_bounded_number_of_queries(client, db, tree, admin, count_queries):
    people = [make_user(unit=tree["jiefangbei"]) for _ in range(5)]
    for person in people:
        _event(db, "users.created", actor=person, target=user_target(person))
    db.session.commit()
    with count_queries(own_context=True) as small:
        client.get("/admin/audit")
    for i in range(60):
        _event(db, "users.updated", actor=people[i % 5], target=f"user:{i}",
               details={"field": "name"})
    db.session.commit()
    with count_queries(own_context=True) as large:
        page = client.get("/admin/audit").get_data(as_text=True)
    assert large.count == small.count
    assert "第 1 / 2 页" in page


def test_the_csv_export_is_filtered_excel_safe_streamed_and_audited(client, db, admin):
    _event(db, "users.updated", actor=admin, target="=HYPERLINK(\"http://x\")",
           details={"name": "=1+2"})
    _event(db, "auth.login", actor=admin, target=user_target(admin))
    db.session.commit()
    response = client.get("/admin/audit.csv?action=users.upd", headers=EN)
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0].startswith("时间") and len(rows) == 2
    row = rows[1]
    assert row[1] == admin.username and row[3] == "users.updated" and row[4] == "User updated"
    assert row[5] == "'=HYPERLINK(\"http://x\")"
    assert row[6] == '{"name": "=1+2"}'
    exported = _events(db, "audit.exported")
    assert len(exported) == 1 and exported[0].actor_id == admin.id
    assert exported[0].details == {"filters": {"action": "users.upd"}, "rows": 1}


def test_the_export_streams_after_the_request_has_ended(client, db, admin):
    """Rows go out after the view returned: nothing may need the request's session then."""
    _event(db, "users.updated", actor=admin, target="user:1")
    _event(db, "something.new", actor=admin, target="user:2")
    db.session.commit()
    response = client.get("/admin/audit.csv?action=", headers=EN, buffered=False)
    db.session.remove()  # what the end of the request does in production
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert {row[4] for row in rows[1:]} >= {"User updated", "something.new"}


def test_the_export_reads_the_log_in_batches(client, db, admin, monkeypatch):
    monkeypatch.setattr("app.services.core.audit.EXPORT_BATCH", 7)
    for i in range(30):
        _event(db, "users.updated", actor=admin, target=f"user:{i}")
    db.session.commit()
    body = client.get("/admin/audit.csv?action=users.updated").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    assert [row[5] for row in rows] == [f"user:{i}" for i in reversed(range(30))]


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.TRAINER, RoleName.HR])
def test_only_admins_read_or_export_the_log(client, login_as, role):
    login_as(role)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/admin/audit", "/admin/audit.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location


def test_the_log_has_no_page_that_changes_it(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/audit"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_a_role_refusal_is_audited_with_the_page(client, db, login_as):
    cadre = login_as(RoleName.CADRE)
    assert client.get("/admin/audit?action=x").status_code == 403
    [event] = _events(db, "access.refused")
    assert event.actor_id == cadre.id and event.target == "/admin/audit?action=x"
    assert event.details == {"endpoint": "admin.audit", "path": "/admin/audit?action=x",
                             "method": "GET", "reason": "role"}
    assert event.ip == "127.0.0.1"


def test_a_refusal_by_a_service_is_audited_with_its_message(client, db, tree, login_as):
    stranger = make_user(unit=tree["guanyinqiao"])
    db.session.commit()
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    assert client.get(f"/hr/appraisal/cadres/{stranger.id}").status_code == 403
    [event] = _events(db, "access.refused")
    assert event.actor_id == hr.id and event.details["reason"] == "denied"
    assert event.details["endpoint"] == "appraisal.cadre"


def test_a_refusal_discards_the_requests_unsaved_work(client, db, admin, monkeypatch):
    def half_done_then_refused(**kwargs):
        record_event("half.done", actor=None)  # flushed, never committed
        raise PermissionDenied("not yours")

    # A service refusing after a flush, and a route that does not catch it: errors.py does.
    monkeypatch.setattr("app.web.core.audit.list_audit_events", half_done_then_refused)
    response = client.get("/admin/audit")
    assert response.status_code == 403
    assert _events(db, "half.done") == []
    [event] = _events(db, "access.refused")
    assert event.details["reason"] == "denied" and event.details["message"] == "not yours"


def test_a_flood_of_refusals_never_fails_the_request(client, db, login_as, monkeypatch):
    login_as(RoleName.CADRE)
    for _ in range(40):
        assert client.get("/admin/audit").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "access.refused")) == 40

    def locked(**kwargs):
        raise OperationalError("INSERT INTO audit_event", {}, Exception("database is locked"))

    monkeypatch.setattr("app.web.errors.record_access_refusal", locked)
    response = client.get("/admin/audit")
    assert response.status_code == 403 and "系统管理员" in response.get_data(as_text=True)


def test_a_service_refusal_is_recorded_once_naming_what_was_refused(client, db, tree,
                                                                    login_as):
    login_as(RoleName.HR, scope=tree["yuzhong"])
    assert client.get("/hr/dashboard/?unit=500105").status_code == 403
    [event] = _events(db, "access.refused")
    assert event.target == f"org_unit:{tree['jiangbei'].id}"  # from the PermissionDenied
    assert client.get("/admin/audit").status_code == 403  # the next request is audited again
    assert len(_events(db, "access.refused")) == 2
