"""Every route × every role: who gets the page, who is sent to sign in, who gets 403.

Expectations come from each view's own access declaration (app.web.guards), so a
new route joins this matrix by itself; a route with URL arguments needs a sample
value in SAMPLE_ARGS, and a view without a declaration fails here.
"""

import pytest
from flask import url_for

from app.domain.attendance import check_in_code, time_window
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models.types import utcnow
from app.services.assessment.appeals import file_appeal
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.certificates.lookup import code_for
from app.services.core.access import add_course_owner
from app.services.learning.enrollment import enroll_in_course
from app.web.guards import access_of
from app.web.security import SHARED_CONTENT_ENDPOINTS
from tests.claim_samples import submit as submit_sample_claim
from tests.factories import (
    make_asset,
    make_certificate,
    make_class,
    make_course,
    make_exercise,
    make_member,
    make_plan,
    make_question,
    make_quiz,
    make_ready_video,
    make_seal,
    make_user,
)

ROLES = [None, RoleName.CADRE, RoleName.TRAINER, RoleName.HR, RoleName.ADMIN]

# Sample URL arguments, built from the test tree. The HR user in the matrix is scoped to the
# city, so the sample cadre and plan are inside their scope; every signed-in user is enrolled
# in the sample course.
SAMPLE_ARGS = {
    "user_id": lambda ctx: ctx["cadre"].id,
    "code": lambda ctx: ctx["course"].code,
    "number": lambda ctx: 1,
    "filename": lambda ctx: ctx["asset"].filename,
    "plan_id": lambda ctx: ctx["plan"].id,
    "quiz_id": lambda ctx: ctx["quiz"].id,
    "attempt_id": lambda ctx: ctx["attempt"].id if ctx.get("attempt") else 999999,
    "position": lambda ctx: 0,
    "answer_id": lambda ctx: ctx["essay_answer"].id,
    "appeal_id": lambda ctx: ctx["appeal"].id,
    "table": lambda ctx: "incidents",
    "question_id": lambda ctx: ctx["question"].id,
    "seed": lambda ctx: 1,
    "exercise_id": lambda ctx: ctx["exercise"].id,
    "unit_id": lambda ctx: ctx["cadre"].org_unit_id,
    # The signed-in user's own finished report job (a job is visible only to its requester).
    "job_id": lambda ctx: ctx["job"].id if ctx.get("job") else "0" * 32,
    # The signed-in user's own certificate (each may open their own); else the sample cadre's.
    "serial": lambda ctx: (ctx.get("own_certificate") or ctx["certificate"]).serial,
    "language": lambda ctx: "zh",
    # A class the signed-in user runs (trainer, HR, admin) or belongs to (cadre).
    "class_id": lambda ctx: ctx["training_class"].id,
    "session_id": lambda ctx: ctx["training_class"].sessions[0].id,
    # The signed-in user's own hours claim (its proof is theirs); else the sample cadre's.
    "claim_id": lambda ctx: (ctx.get("own_claim") or ctx["claim"]).id,
    # The phone's check-in page: the current window (its code is in ENDPOINT_ARGS).
    "window": lambda ctx: time_window(utcnow()),
}
ENDPOINT_ARGS = {"static": {"filename": "css/app.css"},
                 # Callables get the context: the public verification needs the right code.
                 "verify.certificate": {"serial": lambda ctx: ctx["certificate"].serial,
                                        "c": lambda ctx: code_for(ctx["certificate"])},
                 # The phone's check-in page takes the session's code of the window, not a
                 # course code.
                 "attendance.scan": {"code": lambda ctx: check_in_code(
                     ctx["training_class"].sessions[0].check_in_secret,
                     ctx["training_class"].sessions[0].id, time_window(utcnow()))}}
#: The workspace's own pages take the user's exercise attempt, not the quiz attempt.
EXERCISE_ENDPOINTS = ("exercises.data", "exercises.table_download")

# Pages that answer a signed-in user with a redirect on purpose: the login page, and the
# review of an attempt still in progress (it sends the cadre back to the attempt).
REDIRECTS_WHEN_SIGNED_IN = {"auth.login", "assessment.review"}
#: Public routes that always answer with a redirect (the old icon address points at the new).
ALWAYS_REDIRECT = {"public.favicon": 301}
#: Public routes that send an anonymous visitor to sign in themselves, carrying something on
#: (the phone's check-in page carries the moment of the scan).
SIGN_IN_FIRST = {"attendance.scan"}


def _get_routes(app):
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    return sorted((r for r in rules if r.endpoint != "bootstrap.static"), key=lambda r: r.rule)


def test_every_view_declares_who_may_use_it(app):
    with app.test_request_context():
        missing = [rule.endpoint for rule in app.url_map.iter_rules()
                   if access_of(rule.endpoint) is None]
    assert missing == []


def build_crawl_context(tree, login_as, role) -> dict:
    """The sample rows every page of the crawl needs, and ``role`` signed in (or nobody)."""
    course = make_course("MX101")
    context = {"cadre": make_user(unit=tree["jiefangbei"], username="SAMPLE"), "course": course,
               "asset": make_asset(course), "plan": make_plan(unit=tree["city"], courses=[course]),
               "question": make_question("MX101-Q01", course=course),
               "exercise": make_exercise(course, code="MX101/grid")}
    context["quiz"] = make_quiz(course, [context["question"]])
    context.update(_graded_work(course, context["cadre"]))
    context["certificate"] = make_certificate(context["cadre"], code="MX900")
    context["seal"] = make_seal()  # the seal's preview image answers 404 without one
    context["video"] = make_ready_video(course.lessons[0], files=True)
    context["claim"] = submit_sample_claim(context["cadre"], now=None)
    if role is not None:
        user = login_as(role)
        enroll_in_course(course, actor=user)
        context["attempt"] = start_attempt(context["quiz"], actor=user)
        context["exercise_attempt"] = start_attempt(context["exercise"], actor=user)
        context["job"] = _finished_report_job(user)
        if role in (RoleName.TRAINER, RoleName.ADMIN):
            add_course_owner(course, user, actor=None)
        context["own_certificate"] = make_certificate(user, code="MX901")
        context["own_claim"] = submit_sample_claim(user, now=None)
    context["training_class"] = _sample_class(tree, user if role is not None else None, role)
    db.session.commit()
    return context


def crawl_urls(app, context):
    """(endpoint, URL) of every GET route, with the sample arguments filled in."""
    for rule in _get_routes(app):
        with app.test_request_context():
            args = {name: SAMPLE_ARGS[name](context) for name in rule.arguments}
            args.update({name: value(context) if callable(value) else value
                         for name, value in ENDPOINT_ARGS.get(rule.endpoint, {}).items()})
            if rule.endpoint in EXERCISE_ENDPOINTS and context.get("exercise_attempt"):
                args["attempt_id"] = context["exercise_attempt"].id
            url = url_for(rule.endpoint, **args)
        yield rule.endpoint, url


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_access_matrix(app, client, tree, login_as, role):
    context = build_crawl_context(tree, login_as, role)
    for endpoint, url in crawl_urls(app, context):
        with app.test_request_context():
            access = access_of(endpoint)
        response = client.get(url)
        expected = _expected(access, role, endpoint)
        actual = response.status_code
        if expected == "login":
            assert actual == 302 and "/auth/login" in response.location, (url, actual)
        else:
            assert actual == expected, (url, role, actual)


@pytest.mark.parametrize("role", ROLES[1:], ids=lambda r: r.value)
def test_downloads_with_personal_data_every_signed_in_answer_is_no_store(
        app, client, tree, login_as, role):
    """Issue #17, finding 9: PDFs, CSV, zip, JSON and pages alike; only what is the same for
    everyone (our static files, course images) may be kept by the browser."""
    context = build_crawl_context(tree, login_as, role)
    cached = {}
    for endpoint, url in crawl_urls(app, context):
        if endpoint in SHARED_CONTENT_ENDPOINTS:
            continue
        response = client.get(url)
        if response.headers.get("Cache-Control") != "no-store":
            cached[url] = (response.mimetype, response.headers.get("Cache-Control"))
    assert cached == {}


def _graded_work(course, cadre):
    """An essay waiting for grading and an open appeal by the sample cadre."""
    essay = make_question("MX101-Q02", type="essay", course=course, spec={"rubric": "要点"})
    quiz = make_quiz(course, [essay], code="MX101/essay")
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    save_answer(attempt, 0, {"value": ["回答"]}, client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    answer = attempt.answers[0]
    graded = make_quiz(course, [make_question("MX101-Q03", course=course)], code="MX101/g")
    graded_attempt = start_attempt(graded, actor=cadre)
    submit_attempt(graded_attempt, actor=cadre)
    return {"essay_answer": answer,
            "appeal": file_appeal(graded_attempt, 0, "理由", actor=cadre)}

def _sample_class(tree, user, role):
    """A published class of 渝中区: run by the signed-in trainer or administrator (the matrix's
    HR sees the whole city), else by another administrator; the signed-in user is a member."""
    runs_it = role in (RoleName.TRAINER, RoleName.ADMIN)
    training_class = make_class(unit=tree["yuzhong"], actor=user if runs_it else None,
                                publish=True)
    if user is not None:
        make_member(training_class, user)
    return training_class


def _finished_report_job(user):
    from app.domain.vocabulary import JobStatus
    from app.models import ReportJob

    job = ReportJob(id=f"{user.id:032x}", kind="batch_records", requested_by_id=user.id,
                    params={"unit": "500000", "year": 2026}, status=JobStatus.DONE,
                    filename="records.pdf", content_type="application/pdf", content=b"%PDF-")
    db.session.add(job)
    return job


def _expected(access, role, endpoint):
    if endpoint in ALWAYS_REDIRECT:
        return ALWAYS_REDIRECT[endpoint]
    if access.public:
        if role is None and endpoint in SIGN_IN_FIRST:
            return "login"
        return 302 if role is not None and endpoint in REDIRECTS_WHEN_SIGNED_IN else 200
    if role is None:
        return "login"
    if access.roles and role not in access.roles:
        return 403
    return 302 if endpoint in REDIRECTS_WHEN_SIGNED_IN else 200


def test_post_routes_refuse_anonymous_users(app, client):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.arguments:
            continue
        with app.test_request_context():
            access = access_of(rule.endpoint)
        if access.public:
            continue
        response = client.post(rule.rule)
        assert response.status_code == 302 and "/auth/login" in response.location, rule.rule
