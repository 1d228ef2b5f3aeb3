"""Two years of learning for the generated demo cadres, so dashboards, queues and reports
show a believable city on a fresh `make run`.

Everything goes through the real use cases (enrolling, reading lessons, quizzes and data
exercises with retakes, appeals, essays graded by the trainer, completion, hours,
certificates, the appraisal, the commendation list and closing a year), so the demo data is
what those produce and nothing is written behind their backs. Each cadre studies on a day of
the year drawn for them: the use cases run under a shifted clock (clock_shifted), which is
how last year exists at all. Which courses a cadre takes and how well they answer come from
hashes of their username (app.domain.demo_study); the quizzes shuffle as they always do, so
exact scores differ from one seeding to the next.

Last year ends closed, with a confirmed city commendation list; this year is open, rated
so far, with essays and appeals waiting for the trainer, a finished and an upcoming training
class and claims of hours earned elsewhere (app.services.platform.demo.training).
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from app.domain.appraisal import default_scheme
from app.domain.demo_study import (
    DEMO_STUDY,
    GENERATED_PREFIX,
    LAST_YEAR_HOURS_TARGET,
    LAST_YEAR_STUDY,
    LAST_YEAR_WEIGHTS,
    THIS_YEAR_HOURS_TARGET,
    THIS_YEAR_STUDY,
    courses_taken,
    demo_courses,
    study_moment,
)
from app.domain.learning import local_year, local_year_bounds
from app.extensions import db
from app.models import Course, OrgUnit, User
from app.models.types import clock_shifted, utcnow
from app.services.appraisal.closing import close_year, is_year_closed
from app.services.appraisal.commendation import confirm_commendation, propose_commendation
from app.services.appraisal.run import run_appraisal
from app.services.appraisal.schemes import RANKS, save_scheme, schemes_of_year
from app.services.platform.demo.studying import study_course
from app.services.platform.demo.teaching import decide_open_appeals, grade_waiting_essays
from app.services.platform.demo.training import seed_demo_training


def seed_demo_activity(*, progress: Callable[[int], None] | None = None) -> int:
    """Last year and this year so far for the generated cadres; returns the attempts they
    submitted. ``progress`` counts cadre-years (two per cadre)."""
    people = list(db.session.scalars(select(User).where(
        User.username.like(f"{GENERATED_PREFIX}%")).order_by(User.username)))
    year = local_year(utcnow())
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done)

    attempts = 0
    if not is_year_closed(year - 1):
        _demo_scheme(year - 1, LAST_YEAR_HOURS_TARGET, LAST_YEAR_WEIGHTS)
        attempts += live_year(people, year - 1, LAST_YEAR_STUDY, advance)
        close_demo_year(year - 1)
    _demo_scheme(year, THIS_YEAR_HOURS_TARGET)
    attempts += live_year(people, year, THIS_YEAR_STUDY, advance)
    # Classes and claims add face-to-face and recognized hours: appraise again with them.
    if seed_demo_training():
        run_appraisal(year, unit=None, actor=None, now=utcnow())
    return attempts


def live_year(people: list[User], year: int, study, advance: Callable[[], None]) -> int:
    """The cadres study on their days of ``year`` (up to now), then the trainer works through
    the queues (all of a past year's, part of this one's) and the appraisal runs."""
    start, end = local_year_bounds(year)
    now = utcnow()
    courses = {c.code: c for c in db.session.scalars(
        select(Course).where(Course.code.in_([code for code, _ in study])))}
    attempts = 0
    for person in people:
        moment = min(study_moment(person.username, start, min(end, now)), now)
        with clock_shifted(moment - now):
            for code in demo_courses(person.username, study, year):
                if code in courses:
                    attempts += study_course(person, courses[code])
        advance()
    past = end <= now
    trainer = _account("trainer")
    # A past year's queues were worked through before its end; this year's, up to today.
    with clock_shifted(_moment_in(year, days_before_end=10) - now if past else timedelta(0)):
        if trainer is not None:
            grade_waiting_essays(trainer, everything=past)
            decide_open_appeals(trainer, everything=past)
        run_appraisal(year, unit=None, actor=None, now=utcnow())
    return attempts


def study_as_demo_cadres(people: list[User], *,
                         progress: Callable[[int], None] | None = None) -> int:
    """The city generator's sample: DEMO_STUDY's course quizzes today, through the real use
    cases, as its set-based rows have them; returns the attempts submitted."""
    courses = {c.code: c for c in db.session.scalars(
        select(Course).where(Course.code.in_([code for code, _ in DEMO_STUDY])))}
    attempts = 0
    for done, person in enumerate(people, start=1):
        for code in courses_taken(person.username):
            if code in courses:
                attempts += study_course(person, courses[code], exercises=False)
        if progress is not None:
            progress(done)
    return attempts


def run_demo_appraisal() -> None:
    """This year's appraisal of every cadre, under the demo scheme unless one was edited."""
    year = local_year(utcnow())
    _demo_scheme(year, THIS_YEAR_HOURS_TARGET)
    run_appraisal(year, unit=None, actor=None, now=utcnow())


def close_demo_year(year: int) -> None:
    """City HR proposes and confirms the year's commendation list; the admin closes the year,
    early in January as the city does."""
    hr, admin = _account("hr"), _account("admin")
    city = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
    if hr is None or admin is None or city is None:
        return
    moment = min(local_year_bounds(year)[1] + timedelta(days=12), utcnow())
    with clock_shifted(moment - utcnow()):
        commendation = propose_commendation(year, city, actor=hr, now=utcnow())
        confirm_commendation(commendation, actor=hr, now=utcnow())
        close_year(year, actor=admin, now=utcnow())


def _moment_in(year: int, days_before_end: int) -> datetime:
    return local_year_bounds(year)[1] - timedelta(days=days_before_end, hours=6)


def _account(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _demo_scheme(year: int, hours: int, weights: dict[str, int] | None = None) -> None:
    """The city's scheme of a demo year, unless one was saved (an admin's edit is kept)."""
    admin = _account("admin")
    if admin is not None and None not in schemes_of_year(year):
        scheme = replace(default_scheme(RANKS), hours_targets={rank: hours for rank in RANKS})
        if weights is not None:
            scheme = replace(scheme, weights=dict(weights))
        save_scheme(year, None, scheme, actor=admin)
