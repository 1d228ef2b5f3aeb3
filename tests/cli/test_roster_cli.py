"""`flask roster import FILE [--dry-run] [--deactivate-missing] [--passwords-out F]`."""

import csv
import stat

from sqlalchemy import func, select

from app.models import AuditEvent, User
from app.services.people.passwords import verify_password
from tests.factories import make_user
from tests.fixtures.roster.files import person, roster_csv, roster_xlsx


def _users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _file(tmp_path, data: bytes, name="roster.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_dry_run_changes_nothing(runner, tree, db, tmp_path):
    path = _file(tmp_path, roster_csv([person("CQ1"), person("CQ2")], encoding="gbk"))
    result = runner.invoke(args=["roster", "import", path, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Read CSV, GBK: 2 row(s)." in result.output
    assert "2 to create, 0 to update, 0 unchanged." in result.output
    assert "Dry run: nothing imported." in result.output
    assert _users(db) == 0


def test_import_prints_one_time_passwords_once(runner, tree, db, tmp_path):
    path = _file(tmp_path, roster_csv([person("CQ1", "张三")]))
    result = runner.invoke(args=["roster", "import", path])
    assert result.exit_code == 0, result.output
    assert "Imported: 1 created, 0 updated, 0 deactivated" in result.output
    line = next(line for line in result.output.splitlines() if line.startswith("CQ1\t"))
    username, name, unit, password = line.split("\t")
    assert (name, unit) == ("张三", "解放碑街道")
    user = db.session.scalar(select(User).where(User.username == "CQ1"))
    assert verify_password(user.password_hash, password) and user.must_change_password
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "roster.imported")).one()
    assert event.actor_id is None and password not in str(event.details)
    again = runner.invoke(args=["roster", "import", path])
    assert again.exit_code == 0 and "Nothing to change." in again.output


def test_passwords_out_is_a_new_private_file(runner, tree, db, tmp_path):
    path = _file(tmp_path, roster_xlsx([person("CQ1"), person("CQ2")]), name="roster.xlsx")
    out = tmp_path / "passwords.csv"
    result = runner.invoke(args=["roster", "import", path, "--passwords-out", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["工号", "姓名", "单位", "一次性密码"] and len(rows) == 3
    assert all(row[3] not in result.output for row in rows[1:])
    refused = runner.invoke(args=["roster", "import", path, "--passwords-out", str(out)])
    assert refused.exit_code != 0 and "exists already" in refused.output


def test_errors_are_listed_and_nothing_is_imported(runner, tree, db, tmp_path):
    path = _file(tmp_path, roster_csv([person("CQ1"), person("CQ1"), person("CQ3",
                                                                          unit="999")]))
    result = runner.invoke(args=["roster", "import", path])
    assert result.exit_code == 1
    assert "row 3, 工号/username «CQ1»: the same 工号 is already on row 2" in result.output
    assert "row 4, 单位代码/org_code «999»: no org unit has this code" in result.output
    assert "2 error(s); nothing imported." in result.output
    assert _users(db) == 0


def test_deactivate_missing(runner, tree, db, tmp_path):
    make_user(unit=tree["jiefangbei"], username="GONE")
    db.session.commit()
    path = _file(tmp_path, roster_csv([person("CQ1")]))
    result = runner.invoke(args=["roster", "import", path, "--deactivate-missing"])
    assert result.exit_code == 0, result.output
    assert "1 to deactivate (0 administrator account(s) kept)" in result.output
    assert db.session.scalar(select(User.active).where(User.username == "GONE")) is False


def test_an_empty_file_and_a_missing_header(runner, tree, db, tmp_path):
    empty = runner.invoke(args=["roster", "import", _file(tmp_path, b"")])
    assert empty.exit_code == 1 and "file: the file has no rows" in empty.output
    missing = runner.invoke(args=["roster", "import",
                                  _file(tmp_path, "工号,姓名\r\nA,B\r\n".encode(), "m.csv")])
    assert missing.exit_code == 1
    assert "the header row has no column 单位代码/org_code" in missing.output


def test_the_row_cap_is_the_web_pages_not_the_clis(runner, tree, db, tmp_path, monkeypatch):
    from app.services.people.roster import preview_roster, reading

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    data = roster_csv([person(f"CQ{n}") for n in range(1, 6)])
    web = preview_roster(data, "roster.csv", actor=None)
    assert [error.code for error in web.errors] == ["too_many_rows"]
    result = runner.invoke(args=["roster", "import", _file(tmp_path, data), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "5 to create, 0 to update, 0 unchanged." in result.output
