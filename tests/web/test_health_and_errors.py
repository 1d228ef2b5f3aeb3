from sqlalchemy.exc import OperationalError

from app.extensions import db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_not_found_page_is_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "页面不存在" in text and "返回首页" in text


def test_forbidden_page_says_what_is_missing(client, login_as):
    login_as("cadre")
    response = client.get("/admin/audit")
    assert response.status_code == 403
    assert "系统管理员" in response.get_data(as_text=True)


def test_server_error_page_hides_the_details(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("app.web.learning.home.summarize_people_in_scope", explode)
    login_as("hr")
    response = client.get("/")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "出错了" in text and "secret internals" not in text


def test_security_headers(client):
    response = client.get("/auth/login")
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_load_no_asset_from_the_internet(client, login_as):
    login_as("admin")
    text = client.get("/").get_data(as_text=True)
    assert "http://" not in text and "https://" not in text
    assert "/bootstrap/static/" in text
    css = [line for line in text.splitlines() if "bootstrap" in line and ".css" in line]
    href = css[0].split('href="')[1].split('"')[0]
    assert client.get(href).status_code == 200
