"""Demo training classes and recognized hours, through the real use cases.

One class finished a few weeks ago in 渝中区 (nominated, checked in by QR code session by
session, one member excused, finished: face-to-face hours and class certificates), one
upcoming city class open to applications (nominated, waitlisted, one application waiting),
and claims of hours earned elsewhere: approved (one with fewer hours than claimed, with the
reason), rejected and pending. Who attends and who is late come from hashes of usernames
(app.domain.demo_study.chance), so a reseeding draws the same city.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from app.domain.class_vocabulary import ClaimKind, MemberStatus
from app.domain.demo_study import GENERATED_PREFIX, chance
from app.domain.learning import CITY_TIMEZONE, local_today
from app.extensions import db
from app.models import ClassMember, ClassSession, Course, OrgUnit, TrainingClass, User
from app.models.types import clock_shifted, utcnow
from app.services.appraisal.closing import is_year_closed
from app.services.training.attendance import check_in_by_code, current_code
from app.services.training.claim_review import approve_claim, reject_claim
from app.services.training.claims import ClaimDraft, submit_claim
from app.services.training.classes import ClassInput, create_training_class, publish_training_class
from app.services.training.finishing import finish_class
from app.services.training.leave import decide_leave, request_leave
from app.services.training.nominations import TreeChoice, nominate_from_file, nominate_from_tree
from app.services.training.proofs import ProofUpload
from app.services.training.schedule import SessionInput, add_class_session

FINISHED_TITLE = "渝中区基层治理数字化专题培训班"
UPCOMING_TITLE = "数据要素与公共数据开发利用专题研讨班"
#: The sessions of a demo class: (day offset, start, end, topic, teacher, hours).
FINISHED_SESSIONS = (
    (0, time(9), time(12), "城市运行“一网统管”与三级治理中心", "陈思远", "3"),
    (0, time(14), time(17), "网格事件数据的分析与研判", "王建华", "3"),
    (1, time(9), time(12), "渣土车超载治理中的数据协同", "赵敏", "3"),
    (1, time(14), time(17), "数据安全与个人信息保护实务", "刘洋", "3"),
)
UPCOMING_SESSIONS = (
    (0, time(9), time(12), "“数据二十条”与数据要素市场", "周立新", "3"),
    (0, time(14), time(17), "公共数据授权运营的边界", "王建华", "3"),
)
#: Shares of the finished class's members absent from a session, and late to one.
ABSENT_SHARE, LATE_SHARE = 0.12, 0.15


def seed_demo_training() -> bool:
    """The demo classes and claims, unless a class with the finished title exists; False
    when the accounts they need are missing."""
    if db.session.scalar(select(TrainingClass.id).where(TrainingClass.title == FINISHED_TITLE)):
        return False
    accounts = {a.username: a for a in db.session.scalars(select(User).where(
        User.username.in_(("hr", "hr_yuzhong", "trainer", "cadre"))))}
    units = {u.code: u for u in db.session.scalars(select(OrgUnit).where(
        OrgUnit.code.in_(("500000", "500103"))))}
    if len(accounts) < 4 or len(units) < 2:
        return False
    today = local_today(utcnow())
    first_day = today - timedelta(days=24)
    if first_day.year == today.year and not is_year_closed(today.year):
        _finished_class(first_day, accounts, units["500103"])
    _upcoming_class(today + timedelta(days=21), accounts, units["500000"])
    _claims(today, accounts)
    return True


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=CITY_TIMEZONE)


def _new_class(data: ClassInput, sessions, *, actor: User) -> TrainingClass:
    training_class = create_training_class(data, actor=actor)
    for offset, starts, ends, topic, teacher, hours in sessions:
        add_class_session(training_class, SessionInput(
            data.starts_on + timedelta(days=offset), starts, ends, topic, Decimal(hours),
            teacher), actor=actor)
    return training_class


def _finished_class(first_day: date, accounts: dict, yuzhong: OrgUnit) -> None:
    hr = accounts["hr_yuzhong"]
    with clock_shifted(_at(first_day - timedelta(days=14), time(10)) - utcnow()):
        training_class = _new_class(ClassInput(
            FINISHED_TITLE, "中共重庆市渝中区委党校", yuzhong, first_day,
            first_day + timedelta(days=1), "渝中区委党校报告厅", 30,
            description="面向街道、社区干部，结合网格事件、渣土车治理和数据安全案例开展专题教学。"),
            FINISHED_SESSIONS, actor=hr)
        nominate_from_file(training_class, "工号\ncadre\n".encode(), actor=hr)
        nominate_from_tree(training_class, TreeChoice(yuzhong), actor=hr)
        publish_training_class(training_class, actor=hr)
    members = list(db.session.scalars(
        select(User).join(ClassMember, ClassMember.user_id == User.id)
        .where(ClassMember.class_id == training_class.id,
               ClassMember.status == MemberStatus.ENROLLED).order_by(User.username)))
    excused = next((m for m in members if m.username.startswith(GENERATED_PREFIX)), None)
    for index, session in enumerate(training_class.sessions):
        if index == 3 and excused is not None:
            _excuse(session, excused, hr)
        for member in members:
            if member is not excused or index != 3:
                _scan(session, member, index)
    end = training_class.sessions[-1].ends_at + timedelta(hours=2)
    with clock_shifted(end - utcnow()):
        finish_class(training_class, actor=hr, now=utcnow())


def _excuse(session: ClassSession, member: User, hr: User) -> None:
    with clock_shifted(session.starts_at - timedelta(days=1) - utcnow()):
        leave = request_leave(session, "区政府常务会议汇报工作，无法参加本课次。", actor=member,
                              now=utcnow())
        decide_leave(leave, approve=True, note="同意，请自学本课次讲义。", actor=hr, now=utcnow())


def _scan(session: ClassSession, member: User, index: int) -> None:
    """The member scans the projector's code on arrival, or does not come (by hash)."""
    key = f"{member.username}:{index}"
    if member.username != "cadre" and chance(key + ":absent") < ABSENT_SHARE:
        return
    late = member.username != "cadre" and chance(key + ":late") < LATE_SHARE
    minutes = int(chance(key) * 20)
    minutes = 18 + minutes if late else -minutes - 1
    arrival = session.starts_at + timedelta(minutes=minutes)
    with clock_shifted(arrival - utcnow()):
        shown = current_code(session, now=utcnow())
        check_in_by_code(session, shown.window, shown.code, actor=member, now=utcnow())


def _upcoming_class(first_day: date, accounts: dict, city: OrgUnit) -> None:
    trainer = accounts["trainer"]
    course = db.session.scalar(select(Course).where(Course.code == "DC101"))
    data = ClassInput(
        UPCOMING_TITLE, "中共重庆市委党校", city, first_day, first_day, "市委党校 3 号楼 201",
        40, open_to_applications=True,
        description="研讨数据要素市场化配置和公共数据授权运营，课前须完成 DC101。",
        courses_before=[course] if course is not None else [])
    training_class = _new_class(data, UPCOMING_SESSIONS, actor=trainer)
    nominate_from_file(training_class, "工号\ncadre\nhr_yuzhong\n".encode(), actor=trainer)
    publish_training_class(training_class, actor=trainer)


def _claims(today: date, accounts: dict) -> None:
    cadre, hr = accounts["cadre"], accounts["hr_yuzhong"]
    year_start = date(today.year, 1, 1)
    approved = _submit(cadre, "市委党校中青年干部培训班（数字化专题模块）", "中共重庆市委党校",
                       ClaimKind.PARTY_SCHOOL, max(year_start, today - timedelta(days=200)), 2,
                       "12", "CQDX-2026-0417")
    if approved is not None:
        approve_claim(approved, Decimal(10), "证书载明数字化专题模块为 10 学时，按证书认定。",
                      actor=hr)
    _submit(cadre, "国家网络安全宣传周专题讲座", "重庆市委网信办", ClaimKind.CONFERENCE,
            max(year_start, today - timedelta(days=80)), 1, "3")
    others = list(db.session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(User.username.like(f"{GENERATED_PREFIX}%"), OrgUnit.code.like("500103%"))
        .order_by(User.username).limit(3)))
    for number, person in enumerate(others):
        claim = _submit(person, "“数字重庆”建设专题网络培训", "重庆干部网络学院",
                        ClaimKind.ONLINE_ELSEWHERE,
                        max(year_start, today - timedelta(days=120 + 10 * number)), 3, "20",
                        f"CQGB-WL-{2026 + number}-{831 + number}")
        if claim is not None and number == 0:
            approve_claim(claim, Decimal(20), "", actor=hr)
        elif claim is not None and number == 1:
            reject_claim(claim, "证明材料未载明学时，请补充学时证明后重新申报。", actor=hr)


def _submit(person: User, title: str, organizer: str, kind: ClaimKind, first_day: date,
            days: int, hours: str, number: str = ""):
    last_day = first_day + timedelta(days=days - 1)
    if last_day >= local_today(utcnow()):
        return None
    with clock_shifted(_at(last_day + timedelta(days=3), time(16)) - utcnow()):
        draft = ClaimDraft(title, organizer, kind, first_day, last_day, Decimal(hours), number)
        proof = ProofUpload("培训证明.pdf", _proof_pdf(person.name, title, organizer, hours))
        return submit_claim(draft, proof, actor=person)


def _proof_pdf(name: str, title: str, organizer: str, hours: str) -> bytes:
    """A one-page attestation, as a scanned certificate would be (demo data only)."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A5)
    canvas.setTitle(f"{title} {name}")
    canvas.drawString(40, 500, "Training attestation (demo)")
    canvas.drawString(40, 470, f"Hours: {hours}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
