from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.models import AuditEvent, User
from app.services.people.accounts import find_user_by_username


def test_seed_demo_command_is_idempotent(runner, db):
    first = runner.invoke(args=["seed-demo", "--people", "30"])
    assert first.exit_code == 0, first.output
    assert "35 users created" in first.output
    second = runner.invoke(args=["seed-demo", "--people", "30"])
    assert "0 org units and 0 users created" in second.output
    assert db.session.scalar(select(func.count(User.id))) == 35


def test_seed_demo_if_empty_skips_a_populated_database(runner, tree):
    from tests.factories import make_user

    make_user(unit=tree["city"])
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "not loaded" in result.output


def test_seed_demo_refused_in_production(app, runner, monkeypatch, db):
    monkeypatch.setitem(app.config, "DEMO_ALLOWED", False)
    result = runner.invoke(args=["seed-demo", "--people", "1"])
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_create_grant_revoke(runner, tree, db):
    result = runner.invoke(args=["users", "create", "E900001", "--name", "赵敏", "--org",
                                 "500103", "--rank", "section", "--role", "hr", "--scope",
                                 "500103", "--password", "Strong@2026"])
    assert result.exit_code == 0, result.output
    user = find_user_by_username("E900001")
    assert user.has_role(RoleName.HR) and user.org_unit.code == "500103"
    result = runner.invoke(args=["users", "revoke", "E900001", "hr"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not find_user_by_username("E900001").has_role(RoleName.HR)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "roles.granted" in actions and "roles.revoked" in actions


def test_users_create_reports_bad_input(runner, tree):
    result = runner.invoke(args=["users", "create", "E1", "--name", "甲", "--org", "999",
                                 "--password", "Strong@2026"])
    assert result.exit_code != 0 and "no org unit with code 999" in result.output
    runner.invoke(args=["users", "create", "E1", "--name", "甲", "--org", "500103",
                        "--password", "Strong@2026"])
    result = runner.invoke(args=["users", "create", "E1", "--name", "乙", "--org", "500103",
                                 "--password", "Strong@2026"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_users_deactivate(runner, tree, db):
    runner.invoke(args=["users", "create", "E2", "--name", "丙", "--org", "500103",
                        "--password", "Strong@2026"])
    result = runner.invoke(args=["users", "deactivate", "E2"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert find_user_by_username("E2").active is False


def test_users_create_refuses_a_weak_password(runner, tree):
    result = runner.invoke(args=["users", "create", "E3", "--name", "丁", "--org", "500103",
                                 "--password", "123456"])
    assert result.exit_code != 0 and "too_short" in result.output
    assert find_user_by_username("E3") is None


def test_assessment_annual_test_command(runner, db):
    result = runner.invoke(args=["assessment", "annual-test", "--year", "2027"])
    assert result.exit_code == 0, result.output
    assert "ANNUAL-2027-foundation" in result.output and "高阶" in result.output


def test_users_reset_password_prints_a_one_time_password(runner, tree, db):
    from app.services.people.passwords import verify_password

    runner.invoke(args=["users", "create", "E4", "--name", "戊", "--org", "500103",
                        "--password", "Strong@2026"])
    result = runner.invoke(args=["users", "reset-password", "E4"])
    assert result.exit_code == 0, result.output
    password = result.output.split("One-time password for E4: ")[1].split()[0]
    db.session.expire_all()
    user = find_user_by_username("E4")
    assert verify_password(user.password_hash, password) and user.must_change_password
    assert "password.reset" in db.session.scalars(select(AuditEvent.action)).all()
    missing = runner.invoke(args=["users", "reset-password", "NOBODY"])
    assert missing.exit_code != 0 and "no user NOBODY" in missing.output


def test_users_reactivate(runner, tree, db):
    runner.invoke(args=["users", "create", "E5", "--name", "己", "--org", "500103",
                        "--password", "Strong@2026"])
    runner.invoke(args=["users", "deactivate", "E5"])
    result = runner.invoke(args=["users", "reactivate", "E5"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert find_user_by_username("E5").active is True
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "users.deactivated" in actions and "users.reactivated" in actions


def test_users_deactivate_refuses_the_last_admin(runner, tree, db):
    runner.invoke(args=["users", "create", "A1", "--name", "庚", "--org", "500000",
                        "--role", "admin", "--password", "Strong@2026"])
    result = runner.invoke(args=["users", "deactivate", "A1"])
    assert result.exit_code != 0 and "last administrator" in result.output
    db.session.expire_all()
    assert find_user_by_username("A1").active is True


def test_seed_city_builds_a_small_city_once_and_then_refuses(runner, db):
    result = runner.invoke(args=["seed-city", "--people", "40", "--sample", "4"])
    assert result.exit_code == 0, result.output
    assert "City data set: 40 generated cadres (4 through the real use cases)" in result.output
    again = runner.invoke(args=["seed-city", "--people", "40", "--sample", "4"])
    assert again.exit_code != 0 and "Error:" in again.output
