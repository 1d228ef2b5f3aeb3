"""A training class from creation to face-to-face hours, QR check-in on a phone, and hours
earned elsewhere recognized with fewer hours: the whole of issue 20 in a real browser.

HR of 渝中区 creates a two-session class (yesterday afternoon and now), nominates 20 cadres
by a roster file and opens the projector's check-in page. `cadre` opens the URL decoded from
a screenshot of the QR code on a 390 px phone, signs in and checks in; another member tries
a genuine code of yesterday's window and is refused. After the class the hours are 面授 on the
cadre's record and in the printed record; a claim is approved with fewer hours and reads 认定;
the five-year total is shown.
"""

import io
from datetime import datetime, timedelta

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app.domain.attendance import check_in_code, time_window
from app.domain.learning import CITY_TIMEZONE
from app.domain.vocabulary import Rank, WorkCategory
from app.extensions import db
from app.models import ClassSession, OrgUnit, User
from app.services.people.accounts import create_user
from tests.e2e.signing import DEMO_PASSWORD, sign_in

pytestmark = pytest.mark.e2e

TITLE = "数字政府建设专题培训班（浏览器测试）"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def members(live_app):
    """Nineteen cadres of 解放碑街道 besides `cadre`, to nominate by file."""
    with live_app.app_context():
        street = db.session.query(OrgUnit).filter_by(code="500103001").one()
        password_hash = db.session.query(User).filter_by(username="cadre").one().password_hash
        names = []
        for number in range(1, 20):
            username = f"E2ECLS{number:02d}"
            if db.session.query(User).filter_by(username=username).first() is None:
                create_user(username=username, name=f"班员{number:02d}", org_unit=street,
                            rank=Rank.STAFF, category=WorkCategory.ECONOMY,
                            password_hash=password_hash, actor=None)
            names.append(username)
        db.session.commit()
    return names


def _times():
    """Session B's start and end (Beijing): from five minutes ago for an hour."""
    now = datetime.now(CITY_TIMEZONE)
    start = (now - timedelta(minutes=5)).replace(second=0, microsecond=0)
    if start.date() != now.date() or (start + timedelta(hours=1)).date() != now.date():
        pytest.skip("too close to midnight in Beijing for a session of today")
    return now, start


def _fill_session(page, day, starts, ends, topic, hours):
    page.fill("#day", day.isoformat())
    page.fill("#starts", starts)
    page.fill("#ends", ends)
    page.fill("#hours", hours)
    page.fill("#topic", topic)
    page.click("#save-session")


def _create_class(page, now, start):
    yesterday = now.date() - timedelta(days=1)
    page.goto("/classes/new")
    page.fill("#title", TITLE)
    page.fill("#organizer", "中共重庆市渝中区委党校")
    page.select_option("#org_unit", label="渝中区")
    page.fill("#starts_on", yesterday.isoformat())
    page.fill("#ends_on", now.date().isoformat())
    page.fill("#venue", "区委党校报告厅")
    page.fill("#capacity", "30")
    page.click("#save-class")
    page.wait_for_url("**/classes/*")
    class_id = int(page.url.rstrip("/").split("/")[-1].split("?")[0])
    page.goto(f"/classes/{class_id}/schedule")
    _fill_session(page, yesterday, "14:00", "17:00", "城市运行一网统管", "3")
    _fill_session(page, now.date(), start.strftime("%H:%M"),
                  (start + timedelta(hours=1)).strftime("%H:%M"), "网格事件数据研判", "0.5")
    assert page.locator("#sessions tbody tr").count() == 2
    return class_id


def _nominate_and_publish(page, class_id, members):
    page.goto(f"/classes/{class_id}/members/nominate")
    roster = "工号\ncadre\n" + "\n".join(members) + "\n"
    page.set_input_files("#file-form input[type=file]", files=[{
        "name": "名单.csv", "mimeType": "text/csv", "buffer": roster.encode()}])
    page.click("#file-button")
    page.wait_for_load_state()
    page.goto(f"/classes/{class_id}")
    page.click("#publish-class")
    page.wait_for_load_state()
    page.goto(f"/classes/{class_id}/members?status=enrolled")
    assert "20" in page.locator("body").inner_text()


def _decoded_qr(page) -> str:
    image = Image.open(io.BytesIO(page.locator("[data-qr] svg").screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code in the projector's screenshot"
    return found[0].text


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE,
                                  is_mobile=True, has_touch=True)
    return context, context.new_page()


def _yesterdays_code(live_app, class_id):
    """A genuine code of the session's window a day ago (a photo sent on yesterday)."""
    with live_app.app_context():
        session = db.session.query(ClassSession).filter_by(class_id=class_id).order_by(
            ClassSession.starts_at.desc()).first()
        window = time_window(datetime.now(CITY_TIMEZONE) - timedelta(days=1))
        return session.id, window, check_in_code(session.check_in_secret, session.id, window)


def _proof_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Certificate of attendance: 8 credit hours")
    canvas.save()
    return buffer.getvalue()


def test_a_class_from_nomination_to_face_to_face_hours_and_a_recognized_claim(
        browser, page, live_server, live_app, members, monkeypatch):
    monkeypatch.setitem(live_app.config, "PUBLIC_BASE_URL", live_server)
    page.on("dialog", lambda dialog: dialog.accept())
    now, start = _times()
    sign_in(page, "hr_yuzhong")
    class_id = _create_class(page, now, start)
    _nominate_and_publish(page, class_id, members)

    # The projector: the organizer opens check-in of the session under way.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/classes/{class_id}/attendance")
    page.locator('#attendance-overview tbody tr').last.locator('a[href$="/check-in"]').click()
    url = _decoded_qr(page)
    assert url.startswith(f"{live_server}/classes/check-in/")

    # `cadre` scans it with a phone: sign in first, then check in.
    phone_context, phone = _phone(browser, live_server)
    phone.goto(url)
    phone.get_by_label("工号").fill("cadre")
    phone.get_by_label("密码").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.locator("#check-in-button").click()
    assert phone.locator("#check-in-outcome").inner_text() == "签到成功"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_context.close()

    # Another member's photo of yesterday's code is refused, and nothing is recorded.
    session_id, window, code = _yesterdays_code(live_app, class_id)
    other_context, other = _phone(browser, live_server)
    sign_in(other, members[0])
    other.goto(f"/classes/check-in/{session_id}/{window}/{code}")
    other.locator("#check-in-button").click()
    message = other.locator("#check-in-message").inner_text()
    assert "过期" in message and "签到成功" not in message
    other_context.close()

    # The organizer sees one check-in and the refused scan.
    page.goto(f"/classes/{class_id}/sessions/{session_id}/attendance")
    sheet = page.locator("body").inner_text()
    assert "班员01" in page.locator("#refused-scans").inner_text()
    assert "李明" in sheet

    # Yesterday's session from the paper sheet, then today's ends: finish the class.
    page.goto(f"/classes/{class_id}/attendance")
    page.locator('#attendance-overview tbody tr').first.locator(
        'a[href$="/attendance"]').click()
    page.select_option("#member", label="李明（cadre）")
    page.select_option("#status", value="present")
    page.fill("#reason", "按纸质签到表补录")
    page.locator("#correction-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "按纸质签到表补录" not in page.locator(".invalid-feedback").all_inner_texts()
    page.goto(f"/classes/{class_id}/schedule")
    page.locator("#sessions tbody tr").last.get_by_role("link", name="编辑").click()
    ended = datetime.now(CITY_TIMEZONE).replace(second=0, microsecond=0)
    page.fill("#ends", ended.strftime("%H:%M"))
    page.click("#save-session")
    page.wait_for_load_state()
    page.goto(f"/classes/{class_id}/completion")
    page.locator("#finish-form input[type=checkbox]").check()
    page.locator("#finish-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#finish-form").count() == 0  # finished: the form is gone

    # The cadre's record: 3.5 face-to-face hours from the class, in the PDF too.
    with live_app.app_context():
        cadre_id = db.session.query(User).filter_by(username="cadre").one().id
    pdf = page.request.get(f"/hr/reports/cadre/{cadre_id}.pdf?year={now.year}")
    assert pdf.ok
    text = "".join("".join(p.extract_text().split())
                   for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "面授3.5" in text and TITLE[:8] in text

    # A claim of training elsewhere, approved with fewer hours, reads 认定.
    cadre_context, cadre = _phone(browser, live_server)
    sign_in(cadre, "cadre")
    cadre.goto("/claims/new")
    day = (now.date() - timedelta(days=30)).isoformat()
    cadre.fill("#title", "市委党校数字化专题讲座")
    cadre.fill("#organizer", "中共重庆市委党校")
    cadre.fill("#starts_on", day)
    cadre.fill("#ends_on", day)
    cadre.fill("#hours_claimed", "8")
    cadre.set_input_files("#proof", files=[{"name": "证明.pdf", "mimeType": "application/pdf",
                                            "buffer": _proof_pdf()}])
    cadre.locator("#claim-form button[type=submit]").click()
    cadre.wait_for_load_state()
    assert "市委党校数字化专题讲座" in cadre.locator("body").inner_text()

    page.goto("/hr/claims/")
    page.get_by_role("link", name="市委党校数字化专题讲座").first.click()
    page.fill("#hours_approved", "6")
    page.fill("#approve-form textarea", "证明载明讲座半天，按 6 学时认定")
    page.locator("#approve-form button[type=submit]").click()
    page.wait_for_load_state()

    cadre.goto("/records/me")
    assert cadre.locator("#record-hours-face-to-face").inner_text().startswith("3.5")
    assert cadre.locator("#record-hours-recognized").inner_text().startswith("6.0")
    assert "认定" in cadre.locator("#hour-lines").inner_text()
    five_years = float(cadre.locator("#record-hours-five-year").inner_text().split()[0])
    assert five_years >= 9.5  # the class and the claim, and any course of other journeys
    assert cadre.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cadre_context.close()
