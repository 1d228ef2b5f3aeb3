from tests.factories import make_user


def test_chinese_is_the_default(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="zh-Hans"' in page and "干部数字学院" in page


def test_browser_preference_for_english_is_followed(client):
    page = client.get("/auth/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    text = page.get_data(as_text=True)
    assert 'lang="en"' in text and "Cadre Digital Academy" in text


def test_browser_preference_for_chinese_variants(client):
    for header in ("zh-CN,zh;q=0.9", "zh-Hans-CN", "zh"):
        text = client.get("/auth/login", headers={"Accept-Language": header}).get_data(
            as_text=True)
        assert 'lang="zh-Hans"' in text, header


def test_switch_is_remembered_over_the_browser_preference(client):
    response = client.post("/lang", data={"lang": "en", "next": "/auth/login"})
    assert response.status_code == 302 and response.location == "/auth/login"
    text = client.get("/auth/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'lang="en"' in text and "Sign in" in text


def test_unknown_language_is_ignored(client):
    client.post("/lang", data={"lang": "en"})
    response = client.post("/lang", data={"lang": "xx-evil"})
    assert response.status_code == 302
    text = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in text  # the earlier choice stands
    fresh = client.application.test_client()
    fresh.post("/lang", data={"lang": "klingon"})
    assert 'lang="zh-Hans"' in fresh.get("/auth/login").get_data(as_text=True)


def test_switch_refuses_an_off_site_next(client):
    response = client.post("/lang", data={"lang": "en", "next": "//evil.example/x"})
    assert response.location == "/"


def test_signed_in_choice_is_saved_on_the_account(client, tree, login_as, db):
    user = login_as("cadre")
    client.post("/lang", data={"lang": "en"})
    db.session.refresh(user)
    assert user.preferred_language == "en"
    other_browser = client.application.test_client()
    from tests.factories import PASSWORD
    other_browser.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    assert 'lang="en"' in other_browser.get("/").get_data(as_text=True)


def test_dates_are_shown_in_shanghai_time(client, tree, db):
    from datetime import UTC, datetime

    user = make_user(unit=tree["jiefangbei"])
    user.last_login_at = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
    db.session.commit()
    from flask_babel import force_locale

    from app.web.templating import local_datetime
    with force_locale("zh"):
        assert local_datetime(user.last_login_at) == "2026-01-02 00:30"
