"""The roster's pure rules: decoding, cells, headers, rows and the diff."""

import pytest

from app.domain.roster import (
    ExistingAccount,
    RosterFileError,
    UnitInfo,
    cell_text,
    check_rows,
    decode_csv,
    describe_error,
    diff_roster,
    map_headers,
    parse_category,
    parse_rank,
    parse_roles,
)
from app.domain.roster.normalize import LostPrecision
from app.domain.usernames import canonical_username
from app.domain.vocabulary import Rank, RoleName, WorkCategory

UNITS = {"500103001": UnitInfo(4, "解放碑街道", True), "500199": UnitInfo(9, "撤并单位", False)}
HEADER = ["工号", "姓名", "单位代码", "职级", "类别", "角色", "手机", "邮箱"]


def check(*rows, header=HEADER):
    return check_rows(map_headers(header), list(enumerate(rows, start=2)), UNITS)


def test_decoding_tries_utf8_then_gbk_then_gb18030():
    assert decode_csv("工号".encode()).encoding == "UTF-8"
    assert decode_csv(b"\xef\xbb\xbf" + "工号".encode()).text == "工号"
    assert decode_csv(b"\xef\xbb\xbf" + "工号".encode()).encoding == "UTF-8 (BOM)"
    assert decode_csv("工号,姓名".encode("gbk")).encoding == "GBK"
    gb18030 = "工号 𠀀".encode("gb18030")  # a character beyond GBK
    decoded = decode_csv(gb18030)
    assert decoded.encoding == "GB18030" and decoded.text == "工号 𠀀"
    with pytest.raises(RosterFileError) as refused:
        decode_csv(b"\xff\xfe\x00\x81\x30")
    assert refused.value.code == "undecodable"


def test_cells_keep_id_like_numbers_as_digits():
    assert cell_text(500103001) == "500103001"
    assert cell_text(500103001.0) == "500103001"
    assert cell_text(123456789012345.0) == "123456789012345"
    assert cell_text("  CQ001 ") == "CQ001"
    assert cell_text(None) == ""
    with pytest.raises(LostPrecision):
        cell_text(500103199001011234.0)  # an 18-digit ID typed as a number


def test_names_of_ranks_categories_and_roles_in_both_languages():
    assert parse_rank("科员及以下") is Rank.STAFF
    assert parse_rank(" Section ") is Rank.SECTION
    assert parse_rank("基层/网格员") is Rank.GRASSROOTS
    assert parse_rank("处长") is None
    assert parse_category("社会治理") is WorkCategory.SOCIAL_GOVERNANCE
    assert parse_category("public_service") is WorkCategory.PUBLIC_SERVICE
    roles, unknown = parse_roles("学员，组织人事、admin; trainer 校长")
    assert roles == {RoleName.CADRE, RoleName.HR, RoleName.ADMIN, RoleName.TRAINER}
    assert unknown == ["校长"]


def test_headers_in_chinese_or_english_and_missing_ones_named():
    english = map_headers(["Username", "NAME", "org_code", "rank", "notes"])
    assert english.ok and english.index_by_key["org_code"] == 2
    assert english.ignored == ["notes"]
    missing = map_headers(["工号", "姓名", "职级"])
    assert [column.label for column in missing.missing] == ["单位代码/org_code"]
    assert map_headers(["工号", "username", "姓名", "单位代码", "职级"]).duplicated


def test_a_good_row_is_trimmed_and_normalized():
    result = check(["ＣＱ００１ ", " 张　三 ", "５００１０３００１", "乡科级", "", "组织人事",
                    "", ""])
    assert result.errors == []
    row = result.rows[0]
    assert (row.row, row.username, row.org_code, row.unit_id) == (2, "CQ001", "500103001", 4)
    assert row.name == "张三" and row.rank is Rank.SECTION and row.category is None
    assert row.roles == {RoleName.HR}


def test_blank_rows_are_skipped_but_counted():
    result = check_rows(map_headers(HEADER), [(2, ["A1", "甲", "500103001", "科员"]), (3, []),
                                              (4, ["", " ", None]),
                                              (5, ["A2", "乙", "500103001", "bad"])], UNITS)
    assert result.data_rows == 2
    assert [(e.row, e.code) for e in result.errors] == [(5, "bad_rank")]


def test_every_problem_names_row_column_and_value():
    result = check(
        ["A1", "甲", "999999", "科员", "", "", "", ""],
        ["A2", "", "500199", "科员", "农业", "校长", "12345", "not-mail"],
        ["A1", "丙", "500103001", "科员", "", "", "", ""],
        ["A 4", "丁" * 65, "500103001", "", "", "", "", ""],
    )
    found = {(e.row, e.column, e.code) for e in result.errors}
    assert found == {
        (2, "单位代码/org_code", "unknown_unit"),
        (3, "姓名/name", "missing_value"),
        (3, "单位代码/org_code", "inactive_unit"),
        (3, "类别/category", "bad_category"),
        (3, "角色/roles", "unknown_role"),
        (3, "手机/phone", "bad_phone"),
        (3, "邮箱/email", "bad_email"),
        (4, "工号/username", "duplicate_username"),
        (5, "工号/username", "bad_username"),
        (5, "姓名/name", "too_long"),
        (5, "职级/rank", "missing_value"),
    }
    assert result.rows == []
    duplicate = next(e for e in result.errors if e.code == "duplicate_username")
    assert duplicate.params == {"first_row": 2}
    assert describe_error(duplicate) == (
        "row 4, 工号/username «A1»: the same 工号 is already on row 2")


def test_valid_contacts_are_accepted():
    result = check(["A1", "甲", "500103001", "科员", "", "", "138 0000 0000", "a@cq.gov.cn"],
                   ["A2", "乙", "500103001", "科员", "", "", "023-63851234", ""])
    assert result.errors == [] and result.rows[0].phone == "138 0000 0000"


def test_a_formula_in_a_name_is_only_text():
    result = check(["A1", '=HYPERLINK("http://x","点我")', "500103001", "科员", "", "", "", ""])
    assert result.errors == [] and result.rows[0].name.startswith("=HYPERLINK")


def test_an_18_digit_number_cell_asks_for_text():
    result = check([500103199001011234.0, "甲", 500103001, "科员", "", "", "", ""])
    assert [(e.code, e.params) for e in result.errors] == [("lost_precision", {"digits": 18})]


def _account(id, username, **changes):
    values = dict(id=id, username=username, name="张三", org_code="500103001", unit_id=4,
                  rank=Rank.STAFF, category=WorkCategory.SOCIAL_GOVERNANCE,
                  roles=frozenset({RoleName.CADRE}), active=True)
    values.update(changes)
    return ExistingAccount(**values)


def test_diff_lists_creates_updates_field_by_field_and_unchanged():
    rows = check(["A1", "张三", "500103001", "科员", "社会治理", "", "", ""],
                 ["A2", "李四", "500103001", "乡科级", "", "组织人事", "", ""],
                 ["A3", "王五", "500103001", "科员", "", "", "", ""]).rows
    existing = {"A1": _account(1, "A1"), "A2": _account(2, "A2", name="李 四", active=False)}
    diff = diff_roster(rows, existing)
    assert [row.username for row in diff.creates] == ["A3"]
    assert diff.unchanged == 1
    (update,) = diff.updates
    assert [(c.field, c.old, c.new) for c in update.changes] == [
        ("name", "李 四", "李四"), ("rank", Rank.STAFF, Rank.SECTION),
        ("roles", {RoleName.CADRE}, {RoleName.CADRE, RoleName.HR}), ("active", False, True)]
    assert update.added_roles == {RoleName.HR}


def test_deactivate_missing_never_touches_the_actor_or_administrators():
    rows = check(["A1", "张三", "500103001", "科员", "", "", "", ""]).rows
    active = [_account(1, "A1"), _account(2, "GONE"), _account(3, "ME"),
              _account(4, "ADM", roles=frozenset({RoleName.ADMIN})),
              _account(5, "BADROW")]
    diff = diff_roster(rows, {"A1": active[0]}, deactivate_missing=True, active_accounts=active,
                       actor_id=3, listed={"A1", "BADROW"})
    assert [a.username for a in diff.deactivations] == ["GONE"]
    assert {a.username for a in diff.kept} == {"ME", "ADM"}
    assert diff_roster(rows, {}, active_accounts=active).deactivations == []


def test_roster_username_is_case_folded_and_name_padding_dropped():
    """Finding 17.2: a 工号 in any case is one 工号 (ID numbers end in upper-case X); spaces
    padding a Chinese name are not part of it; the preview is told what was rewritten."""
    result = check(["50010319900101123x", "李　娜", "500103001", "科员", "", "", "", ""],
                   ["hx1001", "Anna　 Lee", "500103001", "科员", "", "", "", ""],
                   ["50010319900101123X", "王 小 明", "500103001", "科员", "", "", "", ""])
    assert [(e.row, e.code, e.params) for e in result.errors] == [
        (4, "duplicate_username", {"first_row": 2})]
    assert [(row.username, row.name) for row in result.rows] == [
        ("50010319900101123X", "李娜"), ("HX1001", "Anna Lee")]
    assert [(n.row, n.column, n.before, n.after) for n in result.normalized] == [
        (2, "工号/username", "50010319900101123x", "50010319900101123X"),
        (2, "姓名/name", "李　娜", "李娜"),
        (3, "工号/username", "hx1001", "HX1001"),
        (3, "姓名/name", "Anna　 Lee", "Anna Lee"),
        (4, "姓名/name", "王 小 明", "王小明")]


def test_roster_username_case_matches_an_existing_account_in_the_diff():
    """Finding 17.2: the file's HX1001 is the existing hx1001, never 'missing' from it."""
    account = ExistingAccount(1, "hx1001", "李娜", "500103001", 4, Rank.STAFF,
                              WorkCategory.ADMINISTRATION, frozenset({RoleName.CADRE}), True)
    rows = check(["HX1001", "李娜", "500103001", "科员", "综合管理", "", "", ""]).rows
    diff = diff_roster(rows, {"HX1001": account}, deactivate_missing=True,
                       active_accounts=[account])
    assert (diff.creates, diff.updates, diff.unchanged, diff.deactivations) == ([], [], 1, [])


def test_canonical_username_folds_width_and_case():
    assert canonical_username(" ｈｘ１００１　") == "HX1001"
    assert canonical_username("50010319900101123x") == "50010319900101123X"
    assert canonical_username("admin") == canonical_username("ADMIN") == "ADMIN"
