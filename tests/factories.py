"""Test data built through the real services, so tests see what users would create."""

import hashlib
import itertools
from datetime import date, timedelta
from decimal import Decimal

from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    OrgLevel,
    Rank,
    RoleName,
    WorkCategory,
)
from app.extensions import db
from app.models import Course, CourseArea, CourseAsset, Lesson
from app.services.people.accounts import create_user, grant_role
from app.services.people.org import create_org_unit

PASSWORD = "Secret@2026"  # noqa: S105
_numbers = itertools.count(1)


def make_unit(code, name, level=OrgLevel.STREET, parent=None):
    return create_org_unit(code=code, name=name, level=level, parent=parent, actor=None)


def make_tree() -> dict:
    city = make_unit("500000", "重庆市", OrgLevel.CITY)
    yuzhong = make_unit("500103", "渝中区", OrgLevel.DISTRICT, city)
    jiangbei = make_unit("500105", "江北区", OrgLevel.DISTRICT, city)
    tree = {
        "city": city,
        "yuzhong": yuzhong,
        "jiangbei": jiangbei,
        "jiefangbei": make_unit("500103001", "解放碑街道", OrgLevel.STREET, yuzhong),
        "chaotianmen": make_unit("500103002", "朝天门街道", OrgLevel.STREET, yuzhong),
        "guanyinqiao": make_unit("500105001", "观音桥街道", OrgLevel.STREET, jiangbei),
    }
    db.session.commit()
    return tree


def make_user(*, unit, username=None, name="测试学员", roles=(), scope=None,
              rank=Rank.STAFF, category=WorkCategory.SOCIAL_GOVERNANCE, password=PASSWORD):
    user = create_user(username=username or f"T{next(_numbers):06d}", name=name, org_unit=unit,
                       rank=rank, category=category, password=password, actor=None)
    for role in roles:
        grant_role(user, RoleName(role), scope=scope if role == RoleName.HR else None, actor=None)
    return user


def make_course(code="DC101", *, title=None, lessons=3, tier=CourseTier.FOUNDATION,
                kind=CourseKind.REQUIRED, hours="4", status=CourseStatus.PUBLISHED,
                areas=(CompetencyArea.MINDSET,), prerequisites=(), ranks=(), categories=()):
    course = Course(code=code, title=title or f"课程 {code}", summary="课程简介。", tier=tier,
                    kind=kind, status=status, hours=Decimal(hours), audience_ranks=list(ranks),
                    audience_categories=list(categories), content_hash="test")
    course.areas = [CourseArea(area=area, position=i) for i, area in enumerate(areas)]
    course.prerequisites = list(prerequisites)
    course.lessons = [
        Lesson(number=n, slug=f"lesson-{n}", title=f"第{n}课", minutes=30,
               body_markdown=f"第{n}课正文。", body_html=f"<p>第{n}课正文。</p>")
        for n in range(1, lessons + 1)]
    db.session.add(course)
    db.session.flush()
    return course


def make_asset(course, filename="diagram.png", data=b"\x89PNG\r\n\x1a\nfake"):
    asset = CourseAsset(course_id=course.id, filename=filename, content_type="image/png",
                        data=data, sha256=hashlib.sha256(data).hexdigest())
    db.session.add(asset)
    db.session.flush()
    return asset


def make_plan(*, unit, courses, actor=None, year=2026, due_on=None, ranks=(), categories=(),
              title="2026年数字素养必修计划"):
    from app.services.learning.plans.assigning import PlanInput, create_training_plan

    data = PlanInput(title=title, year=year, org_unit=unit, ranks=list(ranks),
                     categories=list(categories), courses=list(courses),
                     due_on=due_on or date(year, 12, 31))
    if actor is None:
        actor = make_user(unit=unit, roles=[RoleName.ADMIN], name="计划管理员")
    return create_training_plan(data, actor=actor)


def make_question(key, *, type="single", spec=None, course=None, area=CompetencyArea.DATA,
                  difficulty=1, points=2, prompt=None, explanation="解析。"):
    from app.models import Question

    spec = spec if spec is not None else {"options": ["正确选项", "错误选项", "干扰项"],
                                          "answer": 0}
    question = Question(key=key, type=type, spec=spec, course=course, area=area,
                        difficulty=difficulty, points=Decimal(points),
                        prompt=prompt or f"题目 {key}", explanation=explanation)
    db.session.add(question)
    db.session.flush()
    return question


def make_quiz(course, questions, *, code=None, **options):
    from app.domain.vocabulary import QuizKind
    from app.models import Quiz

    quiz = Quiz(code=code or f"{course.code}/final", kind=QuizKind.COURSE, course=course,
                title=options.pop("title", f"{course.code} 测验"),
                question_keys=[q.key for q in questions], **options)
    db.session.add(quiz)
    db.session.flush()
    return quiz


#: A small grid-incident exercise with one task of each type (tests' own, not the shipped one).
GRID_TASKS = [
    {"id": "T1", "type": "numeric", "area": "data", "points": 2,
     "prompt": "状态为“已超期”的事件记录有多少条（不去重）？", "explanation": "count(*)",
     "reference_sql": "SELECT count(*) FROM incidents WHERE status = '已超期'",
     "options_sql": None,
     "spec": {"tolerance": 0}},
    {"id": "T2", "type": "choice", "area": "governance", "points": 2,
     "prompt": "已超期事件最多的街道是？", "explanation": "",
     "reference_sql": "SELECT trim(street) FROM incidents WHERE status = '已超期' "
                      "GROUP BY trim(street) ORDER BY count(*) DESC, 1 LIMIT 1",
     "options_sql": "SELECT DISTINCT trim(street) FROM incidents ORDER BY 1", "spec": {}},
    {"id": "T3", "type": "sql", "area": "data", "points": 2,
     "prompt": "写一条查询：每个区县的事件数（district, n）。", "explanation": "",
     "reference_sql": "SELECT district, count(*) AS n FROM incidents GROUP BY district",
     "options_sql": None, "spec": {}},
    {"id": "T4", "type": "rows", "area": "data", "points": 2,
     "prompt": "找出办结时间早于上报时间的记录。", "explanation": "",
     "reference_sql": "SELECT id FROM incidents WHERE closed_at < reported_at",
     "options_sql": None, "spec": {"table": "incidents", "key_column": "id"}},
    {"id": "T5", "type": "columns", "area": "security", "points": 2,
     "prompt": "对外公开前应去掉哪些字段？", "explanation": "",
     "reference_sql": None, "options_sql": None,
     "spec": {"table": "incidents", "answer": ["grid"]}},
]


def make_exercise(course, *, code=None, tasks=None, scenario="grid_incidents",
                  params=None, dataset=None, **options):
    from app.domain.vocabulary import QuizKind
    from app.models import Exercise, Quiz

    quiz = Quiz(code=code or f"{course.code}/grid", kind=QuizKind.EXERCISE, course=course,
                title=options.pop("title", f"{course.code} 数据练习"), shuffle=False, **options)
    quiz.exercise = Exercise(
        brief="## 任务背景\n\n区城运中心请你分析网格事件。",
        scenario_key=None if dataset else scenario,
        scenario_params=params if params is not None else ({} if dataset else {"rows": 400}),
        dataset=dataset, tasks=tasks if tasks is not None else GRID_TASKS)
    db.session.add(quiz)
    db.session.flush()
    return quiz


def complete_course(course, user):
    """Enroll ``user`` and mark every lesson done: the course completes (and certifies)."""
    from app.services.learning.enrollment import complete_lesson, enroll_in_course

    enrollment = enroll_in_course(course, actor=user)
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=user)
    return enrollment


def make_certificate(user, course=None, *, code="CT101"):
    """A valid course certificate of ``user``, earned by completing ``course`` (made if None)."""
    from sqlalchemy import select

    from app.domain.vocabulary import CertificateStatus
    from app.models.certificate import Certificate

    course = course or make_course(code, lessons=1)
    complete_course(course, user)
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id,
        Certificate.status == CertificateStatus.VALID))


def audit_events(action, *, target_prefix=None):
    """The audit events of an action in the order they were recorded (by id: PostgreSQL
    returns rows in no particular order without one)."""
    from sqlalchemy import select

    from app.models import AuditEvent

    statement = select(AuditEvent).where(AuditEvent.action == action)
    if target_prefix:
        statement = statement.where(AuditEvent.target.startswith(target_prefix))
    return list(db.session.scalars(statement.order_by(AuditEvent.id)))


def make_appeal(attempt, position: int, reason: str = "理由"):
    """An open appeal as the cadre filed it, whatever the question scored (a record shows
    appeals; which ones may be filed is the appeals service's rule, tested there)."""
    from app.models import Appeal

    appeal = Appeal(attempt_id=attempt.id, position=position, user_id=attempt.user_id,
                    reason=reason)
    db.session.add(appeal)
    db.session.flush()
    return appeal


def seal_image(size=(400, 400), *, transparent=True, image_format="PNG") -> bytes:
    """An image like an issuer's seal: a red ring and star on a transparent ground, or on
    white paper with no alpha channel (``transparent=False``); JPEG when asked."""
    import io
    import math

    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGBA" if transparent else "RGB", size,
                      (0, 0, 0, 0) if transparent else (255, 255, 255))
    draw = ImageDraw.Draw(image)
    red, ring = (200, 16, 32, 230), max(1, min(size) // 25)
    draw.ellipse([ring, ring, width - ring, height - ring], outline=red, width=ring)
    radius = min(size) * 0.18
    draw.polygon([(width / 2 + radius * math.cos(math.radians(-90 + 144 * i)),
                   height / 2 + radius * math.sin(math.radians(-90 + 144 * i)))
                  for i in range(5)], fill=red)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def make_seal():
    """The certificates' seal, stored as an admin's upload stores it (without the audit)."""
    from app.domain.certificate_seal import check_seal_image
    from app.models import CertificateSeal

    checked = check_seal_image(seal_image())
    seal = CertificateSeal(id=1, png=checked.png, width=checked.width, height=checked.height,
                           sha256=checked.sha256)
    db.session.add(seal)
    db.session.flush()
    return seal


def make_ready_video(lesson, *, seconds=600, key=None, files=False):
    """A processed (READY) video on ``lesson``; with ``files`` a stand-in video file, a
    poster and a Chinese subtitle track, else no file behind it (the watch-time rules do
    not read files)."""
    from app.domain.vocabulary import VideoStatus
    from app.models import LessonVideo, VideoSubtitle
    from app.services.video.storage import playable_file, poster_file

    video = LessonVideo(lesson_id=lesson.id, status=VideoStatus.READY,
                        storage_key=key or f"k{next(_numbers):031d}", original_filename="课.mp4",
                        source_bytes=1, source_sha256="0" * 64,
                        duration_seconds=Decimal(seconds), width=1280, height=720, progress=100)
    db.session.add(video)
    db.session.flush()
    if files:
        playable_file(video).parent.mkdir(parents=True, exist_ok=True)
        playable_file(video).write_bytes(bytes(range(256)) * 40)
        poster_file(video).write_bytes(b"\xff\xd8\xff\xe0poster")
        db.session.add(VideoSubtitle(video_id=video.id, language="zh",
                                     vtt="WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n数据。\n"))
    return video


# training classes

def make_class(*, unit, actor=None, title="数字政府建设专题培训班", starts_on=date(2026, 6, 1),
               ends_on=date(2026, 6, 2), capacity=30, sessions=0, publish=False, **fields):
    """A class of ``unit`` created through the service (by an administrator unless told),
    with ``sessions`` morning sessions (09:00-12:00, 3 学时) from its first day; published
    when asked (with one session at least)."""
    from app.services.training.classes import (
        ClassInput,
        create_training_class,
        publish_training_class,
    )

    if actor is None:
        actor = make_user(unit=unit, roles=[RoleName.ADMIN], name="培训班管理员")
    values = {"organizer": "中共重庆市委党校", "venue": "市委党校教学楼 301", "ranks": (),
              "categories": ()}
    values.update(fields)
    training_class = create_training_class(ClassInput(
        title=title, org_unit=unit, starts_on=starts_on, ends_on=ends_on, capacity=capacity,
        **values), actor=actor)
    for day in range(max(sessions, 1 if publish else 0)):
        make_class_session(training_class, day=starts_on + timedelta(days=day), actor=actor)
    if publish:
        publish_training_class(training_class, actor=actor)
    return training_class


def make_class_session(training_class, *, day=None, starts="09:00", ends="12:00", hours="3",
                       topic="数字政府建设专题讲座", teacher="王建华", actor=None):
    from datetime import time

    from app.services.training.schedule import SessionInput, add_class_session

    actor = actor or training_class.created_by
    data = SessionInput(day=day or training_class.starts_on, starts=time.fromisoformat(starts),
                        ends=time.fromisoformat(ends), topic=topic, teacher=teacher,
                        hours=Decimal(hours))
    return add_class_session(training_class, data, actor=actor)


def make_member(training_class, user, status=None, *, source=None, requested_at=None):
    """A member row as nomination or an application leaves it (the rules of who may join
    are the services', tested there)."""
    from app.domain.class_vocabulary import MemberSource, MemberStatus
    from app.models import ClassMember
    from app.models.types import utcnow

    member = ClassMember(class_id=training_class.id, user_id=user.id,
                         status=status or MemberStatus.ENROLLED,
                         source=source or MemberSource.NOMINATED,
                         requested_at=requested_at or utcnow())
    db.session.add(member)
    db.session.flush()
    return member


# training class completion

def make_training_class(*, unit, title="数字政府建设专题培训班", organizer="中共重庆市委党校",
                        starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3), created_by=None,
                        status=None, test_quiz=None, attendance_share=80,
                        venue="市委党校一号教室", **fields):
    """A training class added directly in any state (open unless ``status``), with a test
    quiz and a trainer as its creator when given; members join through make_member."""
    from app.domain.class_vocabulary import ClassStatus
    from app.models import TrainingClass

    training_class = TrainingClass(
        title=title, organizer=organizer, org_unit_id=unit.id, starts_on=starts_on,
        ends_on=ends_on, venue=venue, capacity=fields.pop("capacity", 1000),
        attendance_share=attendance_share, status=status or ClassStatus.OPEN,
        test_quiz_id=test_quiz.id if test_quiz else None,
        created_by_id=created_by.id if created_by else None, **fields)
    db.session.add(training_class)
    db.session.flush()
    return training_class


def make_timed_session(training_class, starts_at, *, hours="4", topic="数字政府建设",
                       teacher="王建华", minutes=None):
    """A session of ``hours`` hours (lasting ``minutes`` when told, else as many hours) from
    ``starts_at`` (an aware datetime), added directly: also outside the class's dates or to
    a class the schedule service would refuse."""
    import os
    from datetime import timedelta

    from app.models import ClassSession

    length = timedelta(minutes=minutes) if minutes else timedelta(hours=float(hours))
    session = ClassSession(class_id=training_class.id, starts_at=starts_at,
                           ends_at=starts_at + length, topic=topic, teacher=teacher,
                           hours=Decimal(hours), check_in_secret=os.urandom(32))
    db.session.add(session)
    db.session.flush()
    return session


def mark_attendance(session, user, status=None):
    """``user``'s attendance at ``session`` (present unless told), as a check-in leaves it."""
    from app.domain.class_vocabulary import AttendanceMethod, AttendanceStatus
    from app.models import Attendance

    status = status or AttendanceStatus.PRESENT
    method = {AttendanceStatus.LEAVE: AttendanceMethod.LEAVE,
              AttendanceStatus.ABSENT: AttendanceMethod.CORRECTION}.get(status, AttendanceMethod.QR)
    row = Attendance(session_id=session.id, user_id=user.id, status=status, method=method)
    db.session.add(row)
    db.session.flush()
    return row


def link_class_course(training_class, course, due="during"):
    from app.models.training_class import training_class_course

    db.session.execute(training_class_course.insert().values(
        class_id=training_class.id, course_id=course.id, due=due))


# training class attendance

def make_attendance_class(*, unit, created_by=None, title="数字政府专题培训班", starts_on=None,
                          late_after_minutes=10, opens_before_minutes=30, status=None):
    """An open training class of ``unit`` from today (or ``starts_on``) for four days."""
    from datetime import timedelta

    from app.models.types import utcnow

    starts_on = starts_on or utcnow().date()
    return make_training_class(
        unit=unit, created_by=created_by, title=title, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=3), status=status, venue="市委党校1号报告厅",
        capacity=300, late_after_minutes=late_after_minutes,
        opens_before_minutes=opens_before_minutes)


def add_attendance_session(training_class, *, starts_at, minutes=180, topic="数据要素与数字治理",
                           hours="3"):
    """A session of ``training_class`` starting at ``starts_at`` (an aware datetime)."""
    session = make_timed_session(training_class, starts_at, hours=hours, topic=topic,
                                 minutes=minutes)
    db.session.refresh(training_class, ["sessions"])
    return session


def add_attendance_member(training_class, user, status=None):
    """``user`` as a member of the class (enrolled unless told), as nomination leaves it."""
    return make_member(training_class, user, status)
