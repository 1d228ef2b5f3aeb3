"""Preparing the load through the app's own HTTP flow: signed-in cadres and HR users (their
session cookies and CSRF tokens), attempts started and ready to submit, and sign-in posts
(a login page's cookie and token each) to replay."""

import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from benchmarks.load.client import Session, answer_fields
from benchmarks.load.dataset import Cadre, choose_cadres
from benchmarks.load.wrk import Request

ATTEMPT_LOCATION = re.compile(r"/attempts/(\d+)$")
PREPARING_THREADS = 4  # 2 workers busy, one spare request each, the preparation is not timed


@dataclass
class SignedIn:
    cadre: Cadre
    cookie: str
    csrf: str
    work_attempt: int | None = None  # in progress, never submitted: attempt page, autosave
    work_answer: str = ""  # its first question's answer, form-encoded


@dataclass
class Pool:
    cadres: list[SignedIn]
    hr: dict[str, tuple[str, str]]  # username -> (cookie, csrf)
    submits: list[Request] = field(default_factory=list)
    sign_ins: list[Request] = field(default_factory=list)


def _sign_in(base_url: str, username: str, password: str) -> Session:
    session = Session(base_url)
    token = session.csrf_token("/auth/login")
    status, location, _ = session.request(
        "POST", "/auth/login", {"username": username, "password": password, "csrf_token": token})
    if status != 302 or "/auth/" in location:
        raise RuntimeError(f"{username} could not sign in (HTTP {status}, to {location!r})")
    return session


def _start(session: Session, csrf: str, quiz_id: int) -> tuple[int, list[tuple[str, str]]] | None:
    """Start (or resume) an attempt of the quiz: its id and a plausible answer to each
    question; None when the app refuses."""
    status, location, _ = session.request("POST", f"/quizzes/{quiz_id}/start", {"csrf_token": csrf})
    found = ATTEMPT_LOCATION.search(location)
    if status != 302 or not found:
        if status == 302:
            session.request("GET", location)  # shows (and so clears) the refusal's flash
        return None
    attempt_id = int(found.group(1))
    status, _, page = session.request("GET", f"/attempts/{attempt_id}")
    return (attempt_id, answer_fields(page)) if status == 200 else None


def _prepare_cadre(base_url: str, cadre: Cadre, password: str, attempts: int
                   ) -> tuple[SignedIn, list[Request]]:
    session = _sign_in(base_url, cadre.username, password)
    try:
        csrf = session.csrf_token("/")
        person = SignedIn(cadre, "", csrf)
        submits = []
        for quiz_id in cadre.startable[:attempts + 1]:
            started = _start(session, csrf, quiz_id)
            if started is None:
                continue
            attempt_id, answers = started
            if person.work_attempt is None:
                person.work_attempt = attempt_id
                person.work_answer = urlencode([p for p in answers if p[0].startswith("q0-")])
                continue
            body = urlencode([("csrf_token", csrf), *answers])
            submits.append(Request("POST", f"/attempts/{attempt_id}/submit", body=body, once=True))
        person.cookie = session.cookie
        return person, [Request(r.method, r.path, person.cookie, csrf, r.body, True)
                        for r in submits]
    finally:
        session.close()


def _login_post(base_url: str, username: str, password: str) -> Request:
    """A sign-in to replay: a login page's session cookie and its CSRF token."""
    session = Session(base_url)
    try:
        token = session.csrf_token("/auth/login")
        body = urlencode({"username": username, "password": password, "csrf_token": token})
        return Request("POST", "/auth/login", session.cookie, "", body)
    finally:
        session.close()


def _hr_session(base_url: str, username: str, password: str) -> tuple[str, str]:
    session = _sign_in(base_url, username, password)
    try:
        return session.cookie, session.csrf_token("/")
    finally:
        session.close()


def prepare_pool(base_url: str, database_url: str, *, cadres: int, hr_users: list[str],
                 password: str, attempts: int) -> Pool:
    """Sign in ``cadres`` cadres chosen from the database and start about ``attempts``
    attempts among them (fewer when their quizzes allow fewer), ready to submit."""
    chosen = choose_cadres(database_url, cadres)
    if not chosen:
        raise RuntimeError("no active cadre with enrollments and quiz activity in the database")
    per_cadre = math.ceil(attempts / len(chosen))
    print(f"signing in {len(chosen)} cadres and starting up to {attempts} attempts…", flush=True)
    with ThreadPoolExecutor(PREPARING_THREADS) as executor:
        prepared = list(executor.map(
            lambda c: _prepare_cadre(base_url, c, password, per_cadre), chosen))
        sign_ins = list(executor.map(
            lambda c: _login_post(base_url, c.username, password), chosen))
        hr = dict(zip(hr_users, executor.map(
            lambda u: _hr_session(base_url, u, password), hr_users), strict=True))
    submits = [r for _, requests in prepared for r in requests][:attempts]
    return Pool([p for p, _ in prepared], hr, submits, sign_ins)
