"""An administrator imports a GBK roster (an error first, then fixed); a new cadre signs in
with the one-time password from the printed list and must choose their own."""

import csv
import io
import re

import pytest

pytestmark = pytest.mark.e2e

HEADER = ["工号", "姓名", "单位代码", "职级", "类别"]


def _gbk_roster(rank: str) -> dict:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([HEADER, ["RZ0001", "钱多多", "500103", "科员及以下", "社会治理"],
                      ["RZ0002", "孙小美", "500103", rank, "公共服务"]])
    return {"name": "花名册.csv", "mimeType": "text/csv",
            "buffer": buffer.getvalue().encode("gbk")}


def _sign_in(page, username, password):
    page.goto("/auth/login")
    page.get_by_label("工号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_admin_imports_a_roster_and_a_new_cadre_changes_the_password(page):
    _sign_in(page, "admin", "Demo@2026")
    page.wait_for_url("**/")
    page.locator("#menu-admin").click()
    page.locator("#nav-roster").click()
    page.wait_for_url("**/admin/roster/")

    page.locator("#file").set_input_files(_gbk_roster("处长"))
    page.locator("#roster-upload [type=submit]").click()
    page.wait_for_selector("#roster-errors")
    assert "GBK" in page.locator("#roster-file").inner_text()
    errors = page.locator("#roster-errors tbody tr")
    assert errors.count() == 1
    assert "3" in errors.first.inner_text() and "处长" in errors.first.inner_text()
    assert page.locator("#roster-confirm").count() == 0

    page.goto("/admin/roster/")
    page.locator("#file").set_input_files(_gbk_roster("乡科级"))
    page.locator("#roster-upload [type=submit]").click()
    page.wait_for_selector("#roster-confirm")
    assert page.locator("#roster-creates tbody tr").count() == 2
    page.locator("#roster-confirm [type=submit]").click()
    page.wait_for_selector("#roster-passwords")
    assert page.locator("#roster-print").is_visible()
    row = page.locator("#roster-passwords tbody tr", has_text="RZ0002")
    assert "孙小美" in row.inner_text()
    password = row.locator("td.font-monospace").inner_text().strip()
    assert re.fullmatch(r"\S{12}", password)

    page.goto("/admin/users/?q=RZ000")  # the new accounts are there
    assert page.get_by_text("钱多多").first.is_visible()
    assert page.get_by_text("孙小美").first.is_visible()

    page.locator("#user-menu").click()
    page.locator("#logout-button").click()
    page.wait_for_url("**/auth/login")

    _sign_in(page, "RZ0002", password)
    page.wait_for_url("**/auth/password")
    assert page.locator("#must-change-password").is_visible()
    page.goto("/courses/")  # every page leads back until the password is changed
    assert page.url.endswith("/auth/password")
    page.locator("#current_password").fill(password)
    page.locator("#new_password").fill("Sun@Xiaomei2027")
    page.locator("#confirm").fill("Sun@Xiaomei2027")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/$"))
    page.goto("/courses/")
    assert "/courses/" in page.url
