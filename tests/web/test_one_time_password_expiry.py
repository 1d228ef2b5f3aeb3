"""Issue #17, finding 7: the expiry of one-time passwords where people see them."""

import re
from datetime import timedelta

from app.domain.vocabulary import RoleName
from app.models.types import utcnow
from app.services.people.accounts import find_user_by_username
from tests.factories import make_user
from tests.fixtures.roster.files import person, roster_csv
from tests.web.test_roster import _token, _upload


def test_one_time_passwords_expiry_is_shown_with_a_reset_password(client, tree, login_as, app):
    app.config["ONE_TIME_PASSWORD_DAYS"] = 14
    login_as(RoleName.ADMIN)
    user = make_user(unit=tree["jiefangbei"])
    text = client.post(f"/admin/users/{user.id}/password").get_data(as_text=True)
    expires = user.one_time_password_expires_at
    assert timedelta(days=13, hours=23) < expires - utcnow() <= timedelta(days=14)
    assert 'id="one-time-password-expiry"' in text and "有效期至" in text
    detail = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert 'id="one-time-expiry"' in detail and "一次性密码有效期至" in detail


def test_one_time_passwords_expiry_is_on_the_printable_roster_list(client, login_as, db):
    login_as(RoleName.ADMIN)
    token = _token(_upload(client, roster_csv([person("CQ7", "赵六")])))
    text = client.post("/admin/roster/confirm", data={"token": token}).get_data(as_text=True)
    assert 'id="roster-passwords-expiry"' in text and "有效期至" in text
    assert find_user_by_username("CQ7").one_time_password_expires_at > utcnow()


def test_one_time_passwords_expired_one_gets_a_clear_message(client, tree, login_as):
    login_as(RoleName.ADMIN)
    user = make_user(unit=tree["jiefangbei"])
    text = client.post(f"/admin/users/{user.id}/password").get_data(as_text=True)
    password = re.search(r'id="one-time-password">([^<]+)<', text).group(1)
    client.post("/auth/logout")
    user.one_time_password_expires_at = utcnow() - timedelta(hours=1)
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "此一次性密码已于" in page and "请联系管理员重置密码" in page


def test_one_time_passwords_expiry_is_printed_by_the_cli(runner, tree, db):
    runner.invoke(args=["users", "create", "E5", "--name", "己", "--org", "500103",
                        "--password", "Strong@2026"])
    result = runner.invoke(args=["users", "reset-password", "E5"])
    assert result.exit_code == 0, result.output
    assert re.search(r"works until \d{4}-\d\d-\d\d \d\d:\d\d \(Asia/Shanghai\)", result.output)
