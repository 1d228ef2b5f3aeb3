"""A cadre signs in, sees the Chinese home page, switches to English and signs out."""

import pytest

pytestmark = pytest.mark.e2e


def test_cadre_signs_in_switches_language_and_signs_out(page, tmp_path):
    page.goto("/")
    assert page.url.endswith("/auth/login?next=%2F") or "/auth/login" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("heading", name="登录").is_visible()

    page.get_by_label("工号").fill("cadre")
    page.get_by_label("密码").fill("Demo@2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="欢迎，李明").is_visible()
    assert page.locator("#hours-total").is_visible()
    page.screenshot(path=str(tmp_path / "home-zh.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Welcome, 李明").is_visible()

    page.reload()  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("#user-menu").click()
    page.locator("#logout-button").click()
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("You have signed out.").is_visible()
    page.goto("/")
    assert "/auth/login" in page.url


def test_wrong_password_shows_the_generic_message(page):
    page.goto("/auth/login")
    page.get_by_label("工号").fill("cadre")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("工号或密码错误。").is_visible()
