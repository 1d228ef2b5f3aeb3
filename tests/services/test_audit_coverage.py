"""Sensitive actions leave an audit event: each is triggered here and its event looked up.

No grep of the code: if an action stops recording its event, this test says which.
"""

from sqlalchemy import select

from app.domain.vocabulary import AppealRemedy, RoleName
from app.models import AuditEvent
from app.services.assessment.appeals import file_appeal, uphold_appeal
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.assessment.grading import grade_essay
from app.services.core.access import add_course_owner
from app.services.curriculum.course_files.importing import import_courses
from app.services.learning.enrollment import enroll_in_course
from app.services.people.accounts import grant_role, revoke_role
from tests.course_trees import copy_question_fixtures
from tests.factories import (
    PASSWORD,
    make_course,
    make_exercise,
    make_question,
    make_quiz,
    make_user,
)

FETCH = {"X-Requested-With": "fetch"}

#: Every action this test triggers, and so must find in the log.
REQUIRED_ACTIONS = {
    "auth.login", "auth.login_failed", "auth.logout", "access.refused",
    "roles.granted", "roles.revoked", "courses.imported",
    "assessment.essay_graded", "assessment.appeal_upheld", "sandbox.refused", "audit.exported",
}


def _sign_in(client, user, password=PASSWORD):
    return client.post("/auth/login", data={"username": user.username, "password": password})


def _sign_out(client):
    client.post("/auth/logout")


def test_every_sensitive_action_is_audited(client, db, tree, tmp_path):
    cadre = make_user(unit=tree["jiefangbei"], username="C1")
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER], username="T1")
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN], username="A1")
    db.session.commit()

    # Sign-in, a failure, a refusal of a page, sign-out.
    assert _sign_in(client, cadre, "wrong").status_code == 200
    assert _sign_in(client, cadre).status_code == 302
    assert client.get("/admin/audit").status_code == 403
    _grade_work(db, cadre, trainer)
    _refused_query(client, db, cadre)
    _sign_out(client)

    # An administrator's changes: roles, a course import, the audit export.
    grant_role(cadre, RoleName.TRAINER, actor=admin)
    revoke_role(cadre, RoleName.TRAINER, actor=admin)
    import_courses(copy_question_fixtures(tmp_path / "courses"), actor=admin)
    db.session.commit()
    assert _sign_in(client, admin).status_code == 302
    assert client.get("/admin/audit.csv").status_code == 200

    recorded = set(db.session.scalars(select(AuditEvent.action)))
    assert REQUIRED_ACTIONS - recorded == set()
    _check_details(db, cadre)


def _grade_work(db, cadre, trainer):
    """An essay graded by hand, and an upheld appeal that regrades the attempt."""
    course = make_course("AU101", lessons=1)
    add_course_owner(course, trainer, actor=None)
    essay = make_question("AU101-Q01", type="essay", course=course, spec={"rubric": "要点"})
    single = make_question("AU101-Q02", course=course)
    quiz = make_quiz(course, [single, essay], shuffle=False)
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    wrong = attempt.questions[0]["display"]["ids"][1]
    save_answer(attempt, 0, {"value": [wrong]}, client_seq=1, actor=cadre)
    save_answer(attempt, 1, {"value": ["我的方案"]}, client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    essay_answer = next(a for a in attempt.answers if a.position == 1)
    grade_essay(essay_answer, points="1", feedback="", actor=trainer)
    appeal = file_appeal(attempt, 0, "理由", actor=cadre)
    uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, "成立", actor=trainer)
    db.session.commit()


def _refused_query(client, db, cadre):
    course = make_course("AU201", lessons=1)
    exercise = make_exercise(course, code="AU201/grid", params={"rows": 200})
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(exercise, actor=cadre)
    db.session.commit()
    hostile = " OR ".join(["DELETE FROM incidents WHERE 1=1", *["1=1"] * 300])
    response = client.post(f"/attempts/{attempt.id}/query", data={"sql": hostile},
                           headers=FETCH)
    assert response.status_code == 200 and not response.json["ok"]
    typo = client.post(f"/attempts/{attempt.id}/query",
                       data={"sql": "SELECT * FROM incidents WHERE"}, headers=FETCH)
    assert not typo.json["ok"]


def _check_details(db, cadre):
    def one(action):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).one()

    refused = one("sandbox.refused")  # the typo is not a refusal worth auditing
    assert refused.actor_id == cadre.id and refused.details["code"] == "not_select"
    assert refused.details["sql"].startswith("DELETE FROM incidents")
    assert len(refused.details["sql"]) == 500 and refused.details["sql"].endswith("…")
    upheld = one("assessment.appeal_upheld")
    [[_attempt, old, new]] = upheld.details["changes"]
    assert old != new
    assert one("access.refused").details["reason"] == "role"


#: Actions of the roster import, HR reports and certificates.
ADMINISTRATION_ACTIONS = {"roster.imported", "report.downloaded", "certificate.issued",
                          "certificate.revoked"}


def test_rosters_reports_and_certificates_are_audited(client, db, tree):
    from app.services.certificates import issue_course_certificate, revoke_certificate
    from app.services.people.roster import apply_roster
    from tests.fixtures.roster.files import person, roster_csv

    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN], username="A1")
    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"], username="H1")
    cadre = make_user(unit=tree["jiefangbei"], username="C1")
    apply_roster(roster_csv([person("CQ900001")]), "roster.csv", actor=admin)
    certificate = issue_course_certificate(cadre, make_course("AU301", lessons=1))
    revoke_certificate(certificate, "颁发有误", actor=admin)
    db.session.commit()
    assert _sign_in(client, hr).status_code == 302
    assert client.get("/hr/dashboard/export.xlsx?year=2026").status_code == 200

    recorded = set(db.session.scalars(select(AuditEvent.action)))
    assert ADMINISTRATION_ACTIONS - recorded == set()
