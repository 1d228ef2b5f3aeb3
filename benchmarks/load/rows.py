"""The rows the benchmark measures: for each, the requests wrk replays, the connections,
and which answers count as success."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.load.pool import Pool, SignedIn
from benchmarks.load.wrk import Request

CONNECTIONS = 8  # 4 per sync worker: both stay busy without a long queue
HR_CONNECTIONS = 2
OK = "200"
SUBMITTED = "302:/review$"  # graded: off to the review page
SIGNED_IN = "302:^/$"  # to 我的学习; never /auth/password or back to the form
MIX_SHARES = (("pages", 14), ("autosave", 4), ("submit", 1), ("signin", 1))  # of 20


def _page(path: Callable[[SignedIn, int], str | None]) -> Callable[[Pool], list[Request]]:
    def build(pool: Pool) -> list[Request]:
        return [Request("GET", p, c.cookie) for i, c in enumerate(pool.cadres)
                if (p := path(c, i))]
    return build


def _course(c: SignedIn, i: int) -> str:
    return f"/courses/{c.cadre.courses[i % len(c.cadre.courses)][0]}"


def _lesson(c: SignedIn, i: int) -> str:
    code, lessons = c.cadre.courses[i % len(c.cadre.courses)]
    return f"/courses/{code}/lessons/{1 + i % max(lessons, 1)}"


def _attempt(c: SignedIn, i: int) -> str | None:
    return f"/attempts/{c.work_attempt}" if c.work_attempt else None


def _autosave(pool: Pool) -> list[Request]:
    return [Request("POST", f"/attempts/{c.work_attempt}/answers/0", c.cookie, c.csrf,
                    f"{c.work_answer}&seq={{seq}}&csrf_token={c.csrf}")
            for c in pool.cadres if c.work_attempt and c.work_answer]


def _hr(username: str) -> Callable[[Pool], list[Request]]:
    def build(pool: Pool) -> list[Request]:
        cookie, _ = pool.hr[username]
        return [Request("GET", "/hr/dashboard/", cookie)]
    return build


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    build: Callable[[Pool], list[Request]]
    accept: str = OK
    connections: int = CONNECTIONS
    uses_attempts: bool = False


PAGES = {
    "home": _page(lambda c, i: "/"),
    "catalog": _page(lambda c, i: "/courses/"),
    "course": _page(_course),
    "lesson": _page(_lesson),
    "records": _page(lambda c, i: "/records/me"),
    "certificates": _page(lambda c, i: "/certificates/"),
    "quiz": _page(lambda c, i: f"/quizzes/{c.cadre.quiz_ids[i % len(c.cadre.quiz_ids)]}"),
    "attempt": _page(_attempt),
    "classes": _page(lambda c, i: "/classes/mine"),
    "claims": _page(lambda c, i: "/claims/"),
}

ROWS = [
    Row("home", "cadre home 我的学习 `/`", PAGES["home"]),
    Row("catalog", "catalog `/courses/`", PAGES["catalog"]),
    Row("course", "course page", PAGES["course"]),
    Row("lesson", "lesson page", PAGES["lesson"]),
    Row("records", "`/records/me`", PAGES["records"]),
    Row("certificates", "`/certificates/`", PAGES["certificates"]),
    Row("quiz", "quiz page", PAGES["quiz"]),
    Row("attempt", "attempt page", PAGES["attempt"]),
    Row("classes", "我的培训班 `/classes/mine`", PAGES["classes"]),
    Row("claims", "学时认定 `/claims/`", PAGES["claims"]),
    Row("autosave", "answer autosave (POST)", _autosave),
    Row("submit", "submit (graded)", lambda pool: pool.submits, SUBMITTED, uses_attempts=True),
    Row("hr-city", "HR dashboard, city (2 connections)", _hr("hr"), connections=HR_CONNECTIONS),
    Row("hr-district", "HR dashboard, 渝中区 (2 connections)", _hr("hr_yuzhong"),
        connections=HR_CONNECTIONS),
    Row("signin", "sign-in (POST, argon2id)", lambda pool: pool.sign_ins, SIGNED_IN),
]
HEALTHZ = Row("healthz", "`/healthz`", lambda pool: [Request("GET", "/healthz")])
MIX = "mix"
MIX_LABEL = "deadline-day mix (70 % pages, 20 % autosave, 5 % submit, 5 % sign-in)"
MIX_ACCEPT = f"{OK}|{SUBMITTED}|{SIGNED_IN}"


def mix_requests(pool: Pool, submits: list[Request], *, seed: int = 2026) -> list[Request]:
    """The deadline-day mix in blocks of 20 shuffled requests (14 pages, 4 autosaves,
    1 submit, 1 sign-in), as many blocks as there are submits to send."""
    rng = random.Random(seed)
    kinds = {"pages": [r for build in PAGES.values() for r in build(pool)],
             "autosave": _autosave(pool), "signin": pool.sign_ins}
    mixed = []
    for submit in submits:
        block = [submit]
        for kind, share in MIX_SHARES:
            if kind != "submit":
                block += rng.choices(kinds[kind], k=share)
        rng.shuffle(block)
        mixed += block
    return mixed
