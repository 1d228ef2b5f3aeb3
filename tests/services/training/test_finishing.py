import re
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.domain.class_vocabulary import ClassStatus
from app.domain.training_hours import HoursKind
from app.domain.vocabulary import CertificateKind, CertificateStatus, RoleName
from app.extensions import db
from app.models import AppraisalYearClosure, ClassMember, HourCredit
from app.models.certificate import Certificate
from app.services.appraisal.closing import YearClosed
from app.services.certificates import reissue_certificate, revoke_certificate
from app.services.certificates.classes import issue_class_certificate
from app.services.core.errors import PermissionDenied
from app.services.training.completion import class_standings
from app.services.training.finishing import ClassNotFinishable, finish_class
from tests.factories import audit_events, make_certificate, make_timed_session, make_user
from tests.services.training.completion_setup import AFTER, MIDWAY, P, make_scene, populate

COMPLETING = ("done", "late_course")


@pytest.fixture
def scene(tree):
    return populate(make_scene(tree), tree)


def _credits(training_class):
    return {c.user_id: c for c in db.session.scalars(
        select(HourCredit).where(HourCredit.training_class_id == training_class.id))}


def _certificates(training_class):
    return {c.user_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.training_class_id == training_class.id))}


def test_finishing_credits_hours_and_issues_certificates_to_those_who_completed(scene):
    outcome = finish_class(scene.training_class, actor=scene.creator, now=AFTER, ip="10.0.0.9")
    db.session.commit()

    assert (outcome.already, outcome.completed, outcome.not_completed) == (False, 2, 4)
    assert outcome.hours == D("32") and outcome.certificates == 2
    training_class = scene.training_class
    assert training_class.status is ClassStatus.FINISHED and training_class.finished_at == AFTER
    completed = {m.user_id: m.completed_at for m in db.session.scalars(
        select(ClassMember).where(ClassMember.class_id == training_class.id))}
    winners = {scene.members[key].id for key in COMPLETING}
    assert {uid for uid, at in completed.items() if at is not None} == winners

    credits = _credits(training_class)
    assert set(credits) == winners
    done = credits[scene.members["done"].id]
    assert (done.hours_kind, done.hours, done.year) == (HoursKind.FACE_TO_FACE, D("16"), 2026)

    certificates = _certificates(training_class)
    assert set(certificates) == winners
    certificate = certificates[scene.members["done"].id]
    assert certificate.kind is CertificateKind.CLASS and certificate.title == training_class.title
    assert certificate.hours == D("16") and certificate.course_id is None
    assert re.fullmatch(r"DCA-2026-\d{6}", certificate.serial)
    assert certificate.holder_name == "学员done" and certificate.unit_name == "解放碑街道"

    [event] = audit_events("training_class.finished")
    assert event.actor_id == scene.creator.id and event.ip == "10.0.0.9"
    assert event.details == {"completed": 2, "not_completed": 4, "hours": "32.00",
                             "certificates": 2}
    assert len(audit_events("certificate.issued")) == 2


def test_the_hours_credited_are_the_hours_attended(tree):
    scene = make_scene(tree, with_test=False, with_courses=False)
    scene.training_class.attendance_share = 70
    scene.add_member("three", unit=tree["jiefangbei"], attendance=[P, P, None, P])
    db.session.commit()
    finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    assert _credits(scene.training_class)[scene.members["three"].id].hours == D("12")
    assert _certificates(scene.training_class)[scene.members["three"].id].hours == D("12")


def test_finishing_twice_changes_nothing(scene):
    finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    db.session.commit()
    serials = {c.serial for c in _certificates(scene.training_class).values()}

    again = finish_class(scene.training_class, actor=scene.creator,
                         now=datetime(2026, 11, 20, tzinfo=UTC))
    db.session.commit()
    assert again.already and again.completed == 0
    assert {c.serial for c in _certificates(scene.training_class).values()} == serials
    assert len(_credits(scene.training_class)) == 2
    assert scene.training_class.finished_at == AFTER
    assert len(audit_events("training_class.finished")) == 1


def test_a_concurrent_finish_that_lost_the_race_changes_nothing(scene):
    """Another request finished the class after this one loaded it: no second round."""
    table = type(scene.training_class).__table__
    db.session.execute(table.update().where(table.c.id == scene.training_class.id)
                       .values(status=ClassStatus.FINISHED))  # behind the ORM's back
    assert scene.training_class.status is ClassStatus.OPEN
    outcome = finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    assert outcome.already and _credits(scene.training_class) == {}
    assert _certificates(scene.training_class) == {}


@pytest.mark.parametrize(("change", "reason"), [
    ("draft", "not_open"), ("cancelled", "not_open"), ("no_sessions", "no_sessions"),
    ("not_over", "not_over")])
def test_finishing_is_refused_before_the_class_can_be_finished(scene, change, reason):
    training_class = scene.training_class
    now = AFTER
    if change in ("draft", "cancelled"):
        training_class.status = ClassStatus(change)
    elif change == "no_sessions":
        for session in scene.sessions:
            db.session.delete(session)
    else:
        now = MIDWAY
    db.session.commit()
    with pytest.raises(ClassNotFinishable) as refused:
        finish_class(training_class, actor=scene.creator, now=now)
    assert refused.value.reason == reason
    assert training_class.status is not ClassStatus.FINISHED and _credits(training_class) == {}


def test_a_session_added_after_the_end_date_still_has_to_end(scene):
    make_timed_session(scene.training_class, datetime(2026, 11, 30, 1, tzinfo=UTC))
    with pytest.raises(ClassNotFinishable):
        finish_class(scene.training_class, actor=scene.creator, now=AFTER)


def test_a_closed_appraisal_year_refuses_and_changes_nothing(scene):
    db.session.add(AppraisalYearClosure(year=2026))
    db.session.commit()
    with pytest.raises(YearClosed):
        finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    assert scene.training_class.status is ClassStatus.OPEN
    assert _credits(scene.training_class) == {} and _certificates(scene.training_class) == {}


def test_only_the_class_managers_finish_it(scene, tree):
    other_trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    hr_outside = make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"])
    for actor in (other_trainer, hr_outside, scene.members["done"]):
        with pytest.raises(PermissionDenied):
            finish_class(scene.training_class, actor=actor, now=AFTER)
    hr_in_scope = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    assert finish_class(scene.training_class, actor=hr_in_scope, now=AFTER).completed == 2


def test_after_finishing_the_standings_show_the_outcome(scene):
    finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    db.session.commit()
    standings = {s.user.id: s for s in class_standings(
        scene.training_class, actor=scene.creator, now=AFTER).standings}
    done = standings[scene.members["done"].id]
    assert done.state.value == "completed" and done.credited_hours == D("16")
    assert done.certificate_serial.startswith("DCA-2026-")
    leave = standings[scene.members["leave"].id]
    assert leave.state.value == "not_completed" and leave.credited_hours is None


def test_serials_continue_the_year_without_gaps(scene, tree):
    before = make_certificate(make_user(unit=tree["jiefangbei"]), code="CX101")
    finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    numbers = sorted(c.number for c in _certificates(scene.training_class).values())
    assert numbers == [before.number + 1, before.number + 2]


def test_a_member_holding_the_certificate_already_is_skipped(scene):
    holder = scene.members["done"]
    issue_class_certificate(scene.training_class, holder, D("16"), now=AFTER)
    outcome = finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    assert outcome.certificates == 1 and outcome.completed == 2
    assert db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.training_class_id == scene.training_class.id)) == 2


def test_an_issue_racing_the_class_falls_back_one_by_one(scene, monkeypatch):
    """A certificate issued between the check and the insert: the bulk insert is refused by
    the unique index, and the class is issued again one by one, the holder skipped."""
    holder = scene.members["done"]
    issue_class_certificate(scene.training_class, holder, D("16"), now=AFTER)
    monkeypatch.setattr("app.services.certificates.classes.holders_of", lambda *args: set())
    outcome = finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    assert outcome.certificates == 1
    numbers = sorted(c.number for c in _certificates(scene.training_class).values())
    assert numbers == [numbers[0], numbers[0] + 1]  # the refused bulk gave its numbers back


def test_revoking_a_class_certificate_keeps_the_hours_and_a_reissue_stays_a_class_one(
        scene, tree):
    finish_class(scene.training_class, actor=scene.creator, now=AFTER)
    db.session.commit()
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    holder = scene.members["done"]
    certificate = _certificates(scene.training_class)[holder.id]

    replacement = reissue_certificate(certificate, actor=hr)
    assert replacement.kind is CertificateKind.CLASS
    assert replacement.training_class_id == scene.training_class.id
    assert replacement.hours == D("16") and replacement.reissue_of_id == certificate.id

    revoke_certificate(replacement, "材料不实", actor=hr)
    db.session.commit()
    assert replacement.status is CertificateStatus.REVOKED
    assert _credits(scene.training_class)[holder.id].hours == D("16")


def test_finishing_a_class_costs_the_same_statements_whatever_its_size(tree, count_queries):
    """The ledger lines, the certificates and their audit events are each written for the
    whole class at once: 45 completing members cost what 5 do."""
    def finished_with(members: int) -> int:
        scene = make_scene(tree, prefix=f"N{members}")
        for i in range(members):
            scene.add_member(f"m{members}-{i}", unit=tree["jiefangbei"],
                             attendance=[P, P, P, P], test=True,
                             completed={"DC101": datetime(2026, 10, 1, tzinfo=UTC),
                                        "SE220": datetime(2026, 11, 2, 12, tzinfo=UTC)})
        db.session.commit()
        db.session.expire_all()
        with count_queries() as counter:
            outcome = finish_class(scene.training_class, actor=scene.creator, now=AFTER)
        assert outcome.completed == members == outcome.certificates
        return counter.count

    small, large = finished_with(5), finished_with(45)
    assert large <= small <= 30, (small, large)  # the first also loads what the second reuses
