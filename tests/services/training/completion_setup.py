"""A two-day class of four 4-hour sessions (16 h; 80 % → 12.8 h) with a course due before
it, one due during it and a class test, and members in every situation (issue 20)."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from app.domain.class_vocabulary import AttendanceStatus, MemberStatus
from app.domain.vocabulary import EnrollmentSource, RoleName
from app.extensions import db
from app.models import Enrollment, QuizResult
from tests.factories import (
    link_class_course,
    make_course,
    make_member,
    make_question,
    make_quiz,
    make_timed_session,
    make_training_class,
    make_user,
    mark_attendance,
)

STARTS = [datetime(2026, 11, 2, 1, tzinfo=UTC), datetime(2026, 11, 2, 6, tzinfo=UTC),
          datetime(2026, 11, 3, 1, tzinfo=UTC), datetime(2026, 11, 3, 6, tzinfo=UTC)]
BEFORE = datetime(2026, 10, 20, tzinfo=UTC)  # before the class
DURING = datetime(2026, 11, 2, 12, tzinfo=UTC)  # on the first evening
AFTER = datetime(2026, 11, 10, tzinfo=UTC)  # a week after the class ended
MIDWAY = datetime(2026, 11, 2, 11, tzinfo=UTC)  # after two of the four sessions
P, L, LV, AB = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEAVE,
                AttendanceStatus.ABSENT)


@dataclass
class ClassScene:
    training_class: object
    sessions: list
    creator: object
    courses: dict
    quiz: object
    members: dict = field(default_factory=dict)

    def add_member(self, key, *, unit, attendance=(), completed=None, test=None, name=None,
                   username=None):
        """A member with attendance per session (None: no row), completions (course code →
        when) and the class test (True passed, False failed, None not taken)."""
        user = make_user(unit=unit, name=name or f"学员{key}", username=username)
        make_member(self.training_class, user)
        for session, status in zip(self.sessions, attendance, strict=False):
            if status is not None:
                mark_attendance(session, user, status)
        for code, when in (completed or {}).items():
            db.session.add(Enrollment(user_id=user.id, course_id=self.courses[code].id,
                                      source=EnrollmentSource.SELF, enrolled_at=BEFORE,
                                      completed_at=when))
        if test is not None:
            db.session.add(QuizResult(quiz_id=self.quiz.id, user_id=user.id,
                                      percent=Decimal(90 if test else 40), passed=test,
                                      attempts=1))
        db.session.flush()
        self.members[key] = user
        return user


def make_scene(tree, *, with_test=True, with_courses=True, prefix="") -> ClassScene:
    """``prefix`` tells the courses and the test of a second scene apart."""
    creator = make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="王建华")
    courses = {}
    if with_courses:
        courses = {code: make_course(prefix + code, lessons=1) for code in ("DC101", "SE220")}
    quiz = None
    if with_test:
        holder = courses.get("DC101") or make_course(prefix + "TQ100", lessons=1)
        quiz = make_quiz(holder, [make_question(prefix + "TQ-Q1", course=holder)],
                         code=prefix + "CLASS/test",
                         title="结业测试")
    training_class = make_training_class(unit=tree["yuzhong"], created_by=creator,
                                         starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3),
                                         test_quiz=quiz)
    if with_courses:
        link_class_course(training_class, courses["DC101"], "before")
        link_class_course(training_class, courses["SE220"], "during")
    sessions = [make_timed_session(training_class, start, topic=f"第{i}讲")
                for i, start in enumerate(STARTS, start=1)]
    return ClassScene(training_class, sessions, creator, courses, quiz)


def populate(scene: ClassScene, tree) -> ClassScene:
    """Members: ``done`` meets everything; ``late_course`` did DC101 during the class (still
    counts); ``leave`` took a leave (12 h < 12.8); ``no_show`` never came; ``failed`` failed
    the test; ``after`` did SE220 after the end; ``withdrawn`` left (not listed)."""
    street = tree["jiefangbei"]
    both = {"DC101": BEFORE, "SE220": DURING}
    scene.add_member("done", unit=street, attendance=[P, P, L, P], completed=both, test=True)
    scene.add_member("late_course", unit=street, attendance=[P, P, P, P],
                     completed={"DC101": DURING, "SE220": DURING}, test=True)
    scene.add_member("leave", unit=tree["chaotianmen"], attendance=[P, P, P, LV],
                     completed=both, test=True)
    scene.add_member("no_show", unit=street, attendance=[None, None, AB, None])
    scene.add_member("failed", unit=street, attendance=[P, P, P, P], completed=both, test=False)
    scene.add_member("after", unit=street, attendance=[P, P, P, P],
                     completed={"DC101": BEFORE, "SE220": AFTER}, test=True)
    withdrawn = make_user(unit=street, name="退出学员")
    make_member(scene.training_class, withdrawn, status=MemberStatus.WITHDRAWN)
    mark_attendance(scene.sessions[0], withdrawn)
    db.session.commit()
    return scene
