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


def _prepare_cadre(base_url: str, cadre: Cadre, password: str, attempts: int, *,
                   work: bool) -> tuple[SignedIn, list[Request]]:
    """Sign the cadre in and start up to ``attempts`` attempts to submit, and with ``work``
    one more kept in progress for the attempt page and autosave."""
    session = _sign_in(base_url, cadre.username, password)
    try:
        csrf = session.csrf_token("/")
        person = SignedIn(cadre, "", csrf)
        started = []
        for quiz_id in cadre.startable[:attempts + int(work)]:
            if (attempt := _start(session, csrf, quiz_id)) is not None:
                started.append(attempt)
        if work and started:
            person.work_attempt, answers = started.pop(0)
            person.work_answer = urlencode([p for p in answers if p[0].startswith("q0-")])
        person.cookie = session.cookie
        submits = [Request("POST", f"/attempts/{attempt_id}/submit", person.cookie, csrf,
                           urlencode([("csrf_token", csrf), *answers]), once=True)
                   for attempt_id, answers in started]
        return person, submits
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


def signed_in(base_url: str, username: str, password: str) -> tuple[str, str]:
    """Sign ``username`` in: the session cookie and a CSRF token of the signed-in session."""
    session = _sign_in(base_url, username, password)
    try:
        token = session.csrf_token("/")  # first: the page may set the session cookie
        return session.cookie, token
    finally:
        session.close()


def prepare_pool(base_url: str, database_url: str, *, cadres: int, hr_users: list[str],
                 password: str, attempts: int) -> Pool:
    """Sign in ``cadres`` cadres chosen from the database, and start about ``attempts``
    attempts to submit among them and, when theirs are too few, among more cadres signed
    in for that alone (fewer attempts when the data set's quizzes allow fewer)."""
    candidates = choose_cadres(database_url, cadres + attempts // 2)
    if not candidates:
        raise RuntimeError("no active cadre with enrollments and quiz activity in the database")
    page_pool, extra = candidates[:cadres], []
    per_cadre = math.ceil(attempts / len(page_pool))
    available = sum(max(len(c.startable) - 1, 0) for c in page_pool)
    for candidate in candidates[cadres:]:
        if available >= attempts:
            break
        extra.append(candidate)
        available += len(candidate.startable)
    print(f"signing in {len(page_pool)} + {len(extra)} cadres, starting up to {attempts} "
          "attempts…", flush=True)
    with ThreadPoolExecutor(PREPARING_THREADS) as executor:
        prepared = list(executor.map(
            lambda c: _prepare_cadre(base_url, c, password, per_cadre, work=True), page_pool))
        prepared_extra = list(executor.map(
            lambda c: _prepare_cadre(base_url, c, password, len(c.startable), work=False),
            extra))
        sign_ins = list(executor.map(
            lambda c: _login_post(base_url, c.username, password), page_pool))
        hr = dict(zip(hr_users, executor.map(
            lambda u: signed_in(base_url, u, password), hr_users), strict=True))
    submits = [r for _, requests in prepared + prepared_extra for r in requests][:attempts]
    return Pool([p for p, _ in prepared], hr, submits, sign_ins)
