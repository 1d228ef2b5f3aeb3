"""The roster pages: upload, preview, confirm, the printable list, and bad input."""

import csv
import io
import re
from pathlib import Path

from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import AuditEvent, PendingUpload, Role, User
from tests.factories import make_user
from tests.fixtures.roster.files import person, roster_csv

TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"|'
                   r'name="token" value="([^"]+)"|value="([^"]+)" name="token"')


def _upload(client, data, name="roster.csv", deactivate_missing=False):
    form = {"file": (io.BytesIO(data), name)}
    if deactivate_missing:
        form["deactivate_missing"] = "y"
    return client.post("/admin/roster/", data=form, content_type="multipart/form-data")


def _token(page) -> str:
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, "no token on the page"
    return next(group for group in match.groups() if group)


def _stored_token() -> str:
    """The token of the latest upload (pages with few errors do not show it)."""
    return db.session.scalars(select(PendingUpload.token)
                              .order_by(PendingUpload.created_at.desc())).first()


def _stored_tokens() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(PendingUpload.token)))


def _users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_only_administrators_may_import(client, login_as):
    login_as(RoleName.HR)
    assert client.get("/admin/roster/").status_code == 403
    assert _upload(client, roster_csv([person("CQ1")])).status_code == 403
    assert client.post("/admin/roster/confirm", data={"token": "x" * 32}).status_code == 403


def test_the_form_page(client, login_as):
    login_as(RoleName.ADMIN)
    page = client.get("/admin/roster/").get_data(as_text=True)
    assert 'id="roster-upload"' in page and 'enctype="multipart/form-data"' in page
    assert 'id="nav-roster"' in page


def test_upload_preview_confirm_and_the_printable_list(client, login_as, db):
    login_as(RoleName.ADMIN)
    data = roster_csv([person("CQ1", "张三"), person("CQ2", "李四", roles="组织人事")],
                      encoding="gbk")
    preview = _upload(client, data)
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="roster-confirm"' in text
    assert "GBK" in text and "张三" in text and "李四" in text
    assert _users(db) == 1  # the preview wrote nothing
    token = _token(preview)
    assert _stored_tokens() == {token}

    done = client.post("/admin/roster/confirm", data={"token": token})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and 'id="roster-passwords"' in text
    assert 'data-print' in text and 'media="print"' in text
    assert done.headers["Cache-Control"] == "no-store"
    assert _users(db) == 3
    passwords = re.findall(r'<td class="font-monospace">([^<]+)</td>', text)
    assert len(passwords) == 2
    assert _stored_tokens() == set()  # deleted once confirmed
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "roster.imported")).one()
    assert all(password not in str(event.details) for password in passwords)
    # shown once: the token is gone
    again = client.post("/admin/roster/confirm", data={"token": token})
    assert again.status_code == 302 and _users(db) == 3


def test_the_new_account_signs_in_and_must_change_its_password(client, login_as, db):
    login_as(RoleName.ADMIN)
    token = _token(_upload(client, roster_csv([person("CQ9", "王五")])))
    text = client.post("/admin/roster/confirm", data={"token": token}).get_data(as_text=True)
    (password,) = re.findall(r'<td class="font-monospace">([^<]+)</td>', text)
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"username": "CQ9", "password": password})
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/").headers["Location"].endswith("/auth/password")


def test_a_preview_with_errors_cannot_be_confirmed(client, login_as, db):
    login_as(RoleName.ADMIN)
    data = roster_csv([person("CQ1"), person("CQ1"), person("CQ2", unit="999999")])
    page = _upload(client, data)
    text = page.get_data(as_text=True)
    assert 'id="roster-refused"' in text and 'id="roster-confirm"' not in text
    assert "999999" in text
    before = _users(db), db.session.scalar(select(func.count()).select_from(Role))
    token = _stored_token()  # no confirm button: post the token anyway
    assert client.post("/admin/roster/confirm", data={"token": token}).status_code == 409
    assert (_users(db), db.session.scalar(select(func.count()).select_from(Role))) == before


def test_a_database_change_after_the_preview_refuses_the_confirm(client, login_as, db, tree):
    login_as(RoleName.ADMIN)
    token = _token(_upload(client, roster_csv([person("CQ1"), person("CQ2", unit="500105")])))
    tree["jiangbei"].active = False
    db.session.commit()
    before = _users(db)
    page = client.post("/admin/roster/confirm", data={"token": token})
    assert page.status_code == 409 and 'id="roster-refused"' in page.get_data(as_text=True)
    assert _users(db) == before
    assert _stored_tokens() == {token}  # kept: the refused confirm discarded nothing


def test_a_15_mb_file_gets_a_clear_413(client, login_as, db):
    login_as(RoleName.ADMIN)
    big = roster_csv([person("CQ1")]) + b"x" * (15 * 1024 * 1024)
    response = _upload(client, big)
    assert response.status_code == 413
    assert "10 MB" in response.get_data(as_text=True)
    assert _users(db) == 1


def test_a_file_name_is_never_a_path(client, login_as, app):
    login_as(RoleName.ADMIN)
    page = _upload(client, roster_csv([person("CQ1")]), name="../../x.csv")
    assert page.status_code == 200
    token = _token(page)
    assert _stored_tokens() == {token}
    stored = db.session.get(PendingUpload, token)
    assert stored.note["filename"] == "../../x.csv" and stored.kind == "roster"
    assert not (Path(app.instance_path) / "x.csv").exists()
    assert not Path(app.instance_path).parent.joinpath("x.csv").exists()


def test_a_formula_in_a_name_is_stored_as_text_and_exported_safely(client, login_as, db):
    login_as(RoleName.ADMIN)
    formula = '=HYPERLINK("http://evil.example","点我")'
    token = _token(_upload(client, roster_csv([person("CQ1", formula)])))
    client.post("/admin/roster/confirm", data={"token": token})
    assert db.session.scalar(select(User.name).where(User.username == "CQ1")) == formula
    _upload(client, roster_csv([person("CQ2", formula, unit="=1+2")]))
    errors = client.post("/admin/roster/errors.csv", data={"token": _stored_token()})
    assert errors.status_code == 200 and errors.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(errors.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == "2" and rows[1][2] == "'=1+2"


def test_many_errors_are_listed_in_part_and_downloadable(client, login_as):
    login_as(RoleName.ADMIN)
    page = _upload(client, roster_csv([person(f"CQ{i}", rank="bad") for i in range(250)]))
    text = page.get_data(as_text=True)
    assert text.count("<tr><td>") < 250 and 'id="roster-errors-download"' in text
    errors = client.post("/admin/roster/errors.csv", data={"token": _token(page)})
    assert len(errors.get_data(as_text=True).strip().splitlines()) == 251


def test_an_empty_file_and_a_missing_header(client, login_as):
    login_as(RoleName.ADMIN)
    empty = _upload(client, b"")
    assert empty.status_code == 200 and 'id="roster-refused"' in empty.get_data(as_text=True)
    missing = _upload(client, "工号,姓名,职级\r\nA,B,科员\r\n".encode())
    assert "单位代码/org_code" in missing.get_data(as_text=True)


def test_no_file_chosen(client, login_as):
    login_as(RoleName.ADMIN)
    response = client.post("/admin/roster/", data={}, content_type="multipart/form-data")
    assert response.status_code == 400


def test_another_admins_upload_cannot_be_confirmed(client, login_as, db, tree):
    login_as(RoleName.ADMIN)
    token = _token(_upload(client, roster_csv([person("CQ1")])))
    client.post("/auth/logout")
    other = make_user(unit=tree["city"], username="ADMIN2", roles=[RoleName.ADMIN])
    db.session.commit()
    login_as(user=other)
    response = client.post("/admin/roster/confirm", data={"token": token})
    assert response.status_code == 302 and _users(db) == 2


def test_deactivate_missing_through_the_page(client, login_as, db, tree):
    admin = login_as(RoleName.ADMIN)
    make_user(unit=tree["jiefangbei"], username="GONE")
    db.session.commit()
    page = _upload(client, roster_csv([person("CQ1")]), deactivate_missing=True)
    text = page.get_data(as_text=True)
    assert 'id="roster-deactivations"' in text and "GONE" in text
    assert admin.username not in text.split('id="roster-deactivations"')[1]
    client.post("/admin/roster/confirm", data={"token": _token(page)})
    assert db.session.scalar(select(User.active).where(User.username == "GONE")) is False


def test_the_preview_page_runs_a_bounded_number_of_queries(client, login_as, count_queries):
    admin = login_as(RoleName.ADMIN)  # held: the signed-in user stays loaded in the session
    _upload(client, roster_csv([person("CQ0")]))  # warm up: the first request loads more
    with count_queries(own_context=True) as few:
        assert _upload(client, roster_csv([person(f"CQ{i}") for i in range(3)])).status_code \
            == 200
    with count_queries(own_context=True) as many:
        assert _upload(client, roster_csv([person(f"CQ{i}") for i in range(400)])).status_code \
            == 200
    assert many.count == few.count and admin.active


def test_too_many_new_accounts_for_one_request_go_to_the_command_line(client, login_as, db,
                                                                      app, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_WEB_MAX_NEW_ACCOUNTS", 2)
    login_as(RoleName.ADMIN)
    page = _upload(client, roster_csv([person(f"CQ{i}") for i in range(3)]))
    text = page.get_data(as_text=True)
    assert 'id="roster-too-many"' in text and 'id="roster-confirm"' not in text
    before = _users(db)
    response = client.post("/admin/roster/confirm", data={"token": _stored_token()})
    assert response.status_code == 409 and _users(db) == before
    assert 'id="roster-confirm"' in _upload(client, roster_csv([person("CQ1"), person("CQ2")])
                                            ).get_data(as_text=True)


def test_roster_username_case_preview_shows_the_normalization(client, login_as, db):
    """Finding 17.2: the preview says hx1001 is read as HX1001 and 李　娜 as 李娜."""
    admin = login_as(RoleName.ADMIN)
    make_user(unit=admin.org_unit, username="HX1001", name="李娜")
    db.session.commit()
    page = _upload(client, roster_csv([person("hx1001", "李　娜", unit=admin.org_unit.code)]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="roster-normalized"' in text
    assert "<code>hx1001</code> → <strong><code>HX1001</code></strong>" in text
    assert "<code>李　娜</code> → <strong><code>李娜</code></strong>" in text
    assert 'id="roster-creates"' not in text and 'id="roster-updates"' not in text
