"""Roster preview and import against the database: all or nothing, idempotent, bulk."""

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.models import AuditEvent, Role, User
from app.services.core.errors import PermissionDenied
from app.services.people.passwords import verify_password
from app.services.people.roster import RosterInvalid, apply_roster, preview_roster
from tests.factories import make_user
from tests.fixtures.roster.files import ENGLISH_HEADER, person, roster_csv, roster_xlsx


def _count(db, model=User) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _user(db, username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_import_creates_accounts_with_one_time_passwords_and_roles(tree, db):
    data = roster_csv([person("CQ1", "张三"), person("CQ2", "李四", unit="500103",
                                                      roles="组织人事、教员")])
    result = apply_roster(data, "roster.csv", actor=None)
    db.session.commit()
    assert [c.username for c in result.credentials] == ["CQ1", "CQ2"]
    second = _user(db, "CQ2")
    assert second.must_change_password and second.org_unit.code == "500103"
    assert verify_password(second.password_hash, result.credentials[1].password)
    assert second.role_names == {RoleName.CADRE, RoleName.HR, RoleName.TRAINER}
    hr = next(role for role in second.roles if role.name is RoleName.HR)
    assert hr.scope_unit.code == "500103"  # their own unit
    assert _user(db, "CQ1").category is WorkCategory.SOCIAL_GOVERNANCE
    assert result.credentials[0].unit_name == "解放碑街道"


def test_importing_the_same_file_twice_changes_nothing(tree, db):
    data = roster_csv([person("CQ1"), person("CQ2", roles="组织人事")])
    apply_roster(data, "r.csv", actor=None)
    db.session.commit()
    preview = preview_roster(data, "r.csv", actor=None)
    assert (len(preview.diff.creates), len(preview.diff.updates)) == (0, 0)
    assert preview.diff.unchanged == 2 and not preview.can_confirm
    with pytest.raises(RosterInvalid):
        apply_roster(data, "r.csv", actor=None)


def test_updates_are_listed_field_by_field_and_applied(tree, db):
    user = make_user(unit=tree["jiefangbei"], username="CQ1", name="张三", rank=Rank.STAFF)
    user.active = False
    db.session.commit()
    data = roster_csv([person("CQ1", "张三丰", unit="500105001", rank="乡科级",
                              category="经济产业")])
    preview = preview_roster(data, "r.csv", actor=None)
    (update,) = preview.diff.updates
    assert {c.field: (c.old, c.new) for c in update.changes} == {
        "name": ("张三", "张三丰"), "org_code": ("500103001", "500105001"),
        "rank": (Rank.STAFF, Rank.SECTION),
        "category": (WorkCategory.SOCIAL_GOVERNANCE, WorkCategory.ECONOMY),
        "active": (False, True)}
    apply_roster(data, "r.csv", actor=None)
    db.session.commit()
    db.session.refresh(user)
    assert (user.name, user.org_unit.code, user.rank, user.category, user.active) == (
        "张三丰", "500105001", Rank.SECTION, WorkCategory.ECONOMY, True)
    assert not user.must_change_password  # an existing account keeps its password


def test_any_error_imports_nothing(tree, db):
    before = _count(db), _count(db, Role)
    data = roster_csv([person("CQ1"), person("CQ2", unit="999999"), person("CQ1")])
    preview = preview_roster(data, "r.csv", actor=None)
    assert {(e.row, e.code) for e in preview.errors} == {(3, "unknown_unit"),
                                                         (4, "duplicate_username")}
    assert not preview.can_confirm
    with pytest.raises(RosterInvalid):
        apply_roster(data, "r.csv", actor=None)
    assert (_count(db), _count(db, Role)) == before


def test_deactivate_missing_spares_the_actor_and_administrators(tree, db):
    admin = make_user(unit=tree["city"], username="ADMIN1", roles=[RoleName.ADMIN])
    other_admin = make_user(unit=tree["city"], username="ADMIN2", roles=[RoleName.ADMIN])
    gone = make_user(unit=tree["jiefangbei"], username="GONE")
    version = gone.session_version
    db.session.commit()
    data = roster_csv([person("CQ1")])
    preview = preview_roster(data, "r.csv", actor=admin, deactivate_missing=True)
    assert [a.username for a in preview.diff.deactivations] == ["GONE"]
    assert {a.username for a in preview.diff.kept} == {"ADMIN1", "ADMIN2"}
    apply_roster(data, "r.csv", actor=admin, deactivate_missing=True, ip="10.1.1.1")
    db.session.commit()
    db.session.refresh(gone)
    assert gone.active is False and gone.session_version == version + 1
    assert _user(db, "ADMIN2").active and other_admin.active
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "roster.imported")).one()
    assert event.actor_id == admin.id and event.ip == "10.1.1.1"
    assert event.details["created"] == 1 and event.details["deactivated"] == 1
    assert "password" not in str(event.details).lower()


def test_without_the_option_nobody_is_deactivated(tree, db):
    make_user(unit=tree["jiefangbei"], username="STAYS")
    db.session.commit()
    apply_roster(roster_csv([person("CQ1")]), "r.csv", actor=None)
    assert _user(db, "STAYS").active


def test_only_administrators_preview_or_import(tree, db):
    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    with pytest.raises(PermissionDenied):
        preview_roster(roster_csv([person("CQ1")]), "r.csv", actor=hr)
    with pytest.raises(PermissionDenied):
        apply_roster(roster_csv([person("CQ1")]), "r.csv", actor=hr)


@pytest.mark.parametrize("encoding,label", [("gbk", "GBK"), ("gb18030", "GBK"),
                                            ("utf-8", "UTF-8")])
def test_chinese_encodings_are_detected(tree, db, encoding, label):
    preview = preview_roster(roster_csv([person("CQ1", "欧阳娜娜")], encoding=encoding), "r.csv",
                             actor=None)
    assert preview.errors == [] and preview.encoding == label
    assert preview.diff.creates[0].name == "欧阳娜娜"


def test_a_gb18030_only_character_is_read(tree, db):
    data = roster_csv([person("CQ1", "王𠀀")], encoding="gb18030")
    preview = preview_roster(data, "r.csv", actor=None)
    assert preview.encoding == "GB18030" and preview.diff.creates[0].name == "王𠀀"


def test_bom_blank_lines_trailing_spaces_and_full_width_digits(tree, db):
    text = ("\ufeff工号,姓名,单位代码,职级\r\n\r\n"
            "ＣＱ０１  ,张三 ,５００１０３００１ ,科员 \r\n\r\n"
            "CQ02,李四,500103001,bad\r\n")
    preview = preview_roster(text.encode("utf-8"), "r.csv", actor=None)
    assert preview.encoding == "UTF-8 (BOM)"
    assert [(e.row, e.code) for e in preview.errors] == [(5, "bad_rank")]
    assert preview.data_rows == 2


def test_english_headers_and_ignored_columns(tree, db):
    data = roster_csv([person("CQ1") + ["备注"]], header=ENGLISH_HEADER + ["remarks"])
    preview = preview_roster(data, "r.csv", actor=None)
    assert preview.errors == [] and preview.ignored_columns == ["remarks"]


def test_file_level_problems(tree, db):
    assert [e.code for e in preview_roster(b"", "r.csv", actor=None).errors] == ["empty"]
    assert [e.code for e in preview_roster(b"\r\n \r\n", "r.csv", actor=None).errors] == ["empty"]
    headers_only = preview_roster("工号,姓名,单位代码,职级\r\n".encode(), "r.csv", actor=None)
    assert [e.code for e in headers_only.errors] == ["no_data"]
    missing = preview_roster("工号,姓名,职级\r\nA,B,科员\r\n".encode(), "r.csv", actor=None)
    assert [(e.code, e.params) for e in missing.errors] == [
        ("missing_header", {"column": "单位代码/org_code"})]
    assert preview_roster(b"PK\x03\x04junk", "r.xlsx", actor=None).errors[0].code == "not_xlsx"


def test_xlsx_with_number_cells(tree, db):
    data = roster_xlsx([[100200300400500, "张三", 500103001, "科员"],
                        ["500103199001011234", "李四", 500103001.0, "科员"],
                        [500103199001011234, "王五", 500103001, "科员"]],
                       header=["工号", "姓名", "单位代码", "职级"])
    preview = preview_roster(data, "r.xlsx", actor=None)
    assert preview.kind == "xlsx" and preview.encoding is None
    # Excel (and openpyxl) keep an 18-digit number as a double: its last digits are gone
    assert [(e.row, e.code, e.params) for e in preview.errors] == [
        (4, "lost_precision", {"digits": 18})]
    good = roster_xlsx([[100200300400500, "张三", 500103001, "科员"],
                        ["500103199001011234", "李四", 500103001.0, "科员"]],
                       header=["工号", "姓名", "单位代码", "职级"])
    usernames = [row.username
                 for row in preview_roster(good, "r.xlsx", actor=None).diff.creates]
    assert usernames == ["100200300400500", "500103199001011234"]


def test_preview_runs_a_bounded_number_of_queries(tree, db, count_queries):
    small = roster_csv([person(f"CQ{i}") for i in range(5)])
    large = roster_csv([person(f"CQ{i}") for i in range(500)])
    with count_queries() as few:
        preview_roster(small, "r.csv", actor=None, deactivate_missing=True)
    with count_queries() as many:
        preview_roster(large, "r.csv", actor=None, deactivate_missing=True)
    assert many.count == few.count


def test_apply_writes_in_bulk(tree, db, count_queries):
    with count_queries() as counter:
        apply_roster(roster_csv([person(f"CQ{i}") for i in range(300)]), "r.csv", actor=None)
    assert counter.count < 20
    assert _count(db) == 300


def test_finding_2_roster_username_case_keeps_one_account(tree, db):
    """Finding 17.2: hx1001 when HX1001 exists, or …123x after …123X, is the same account."""
    apply_roster(roster_csv([person("HX1001", "张三"), person("50010319900101123X", "李娜")]),
                 "r.csv", actor=None)
    db.session.commit()
    data = roster_csv([person("hx1001", "张三", rank="乡科级"),
                       person("50010319900101123x", "李　娜")])
    preview = preview_roster(data, "r.csv", actor=None, deactivate_missing=True)
    assert preview.errors == [] and preview.diff.creates == []
    assert [(u.account.username, [c.field for c in u.changes])
            for u in preview.diff.updates] == [("HX1001", ["rank"])]
    assert preview.diff.unchanged == 1 and preview.diff.deactivations == []
    assert [(n.before, n.after) for n in preview.normalized] == [
        ("hx1001", "HX1001"), ("50010319900101123x", "50010319900101123X"),
        ("李　娜", "李娜")]
    apply_roster(data, "r.csv", actor=None)
    db.session.commit()
    assert _count(db) == 2 and _user(db, "HX1001").rank is Rank.SECTION


def test_roster_username_case_new_accounts_are_stored_canonical(tree, db):
    """Finding 17.2: a new account gets the canonical 工号, whatever case the file used."""
    make_user(unit=tree["jiefangbei"], username="admin")
    result = apply_roster(roster_csv([person("hx2002", "王五"), person("ADMIN", "管理员")]),
                          "r.csv", actor=None)
    db.session.commit()
    assert [c.username for c in result.credentials] == ["HX2002"]
    assert _count(db) == 2 and _user(db, "admin").name == "管理员"
