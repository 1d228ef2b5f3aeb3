"""Signing in as a demo account in the browser, in Chinese whatever an earlier test chose."""

DEMO_PASSWORD = "Demo@2026"


def sign_in(page, username: str = "cadre", password: str = DEMO_PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("工号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    if page.get_by_role("button", name="中文").count():  # another test may have chosen English
        page.get_by_role("button", name="中文").click()
        page.wait_for_load_state()
