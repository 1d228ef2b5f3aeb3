"""How the generated demo cadres study (deterministic for a username; pure).

Two ways write study data. The demo (app.services.platform.demo, a few hundred cadres through
the real use cases) lives two years: last year the foundation courses and the grid-incident
course with its data exercise, this year the city plan's courses, electives with exercises
and the advanced course with its essay; it appeals, and its trainer grades and decides. The
set-based city generator (app.services.platform.city_seed, 200,000 cadres for load tests)
writes one year of DEMO_STUDY. Both draw skills and right answers from the same functions.
"""

import hashlib
import math
import random
from datetime import datetime, timedelta

#: The city generator's year: (course, share of the cadres who take it): the city plan's two
#: required courses, then an elective.
DEMO_STUDY = (("DC101", 0.75), ("SE220", 0.55), ("DA110", 0.3))
#: A first try, then a retake after a failed one with a better chance per question.
RETAKE_BOOSTS = (0.0, 0.2)
GENERATED_PREFIX = "CQ"


def chance(text: str) -> float:
    """A number in [0, 1] fixed by the text (the same on every run and machine)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def courses_taken(username: str) -> list[str]:
    """The demo courses this cadre studies, in the order they study them."""
    draw = chance(username)
    return [code for code, share in DEMO_STUDY if draw < share]


def skill_of(username: str) -> float:
    """The chance of answering a question right on a first try, 0.45 to 0.95."""
    return 0.45 + 0.5 * chance(username + ":skill")


def answer_draw(username: str, course_code: str) -> random.Random:
    """The dice for one cadre's answers in one course, across all their attempts."""
    return random.Random(f"{username}:{course_code}")


def right_answers(draw: random.Random, count: int, skill: float, boost: float) -> list[bool]:
    """Which of ``count`` questions of one attempt the cadre gets right."""
    return [draw.random() < skill + boost for _ in range(count)]


#: The demo's years, each (course, share of the cadres who take it) in prerequisite order
#: under one draw per cadre and year, so whoever takes a later course takes the earlier ones.
#: Last year, the programme's first: the mindset course, counted on hours and scores only
#: (LAST_YEAR_WEIGHTS), before the data exercises and the five areas were appraised.
LAST_YEAR_STUDY = (("DC101", 0.9),)
LAST_YEAR_WEIGHTS = {"hours": 40, "scores": 60, "practice": 0, "coverage": 0}
#: This year: the mindset course for those who missed it, the data foundation course, then
#: the plan's data-security course with its exercise and electives with exercises; the
#: advanced course's quiz has an essay for the trainer. A course completed last year is not
#: taken again; enrolment refuses one whose prerequisite is missing, as for anyone. Exercises
#: take a few tenths of a second each to set up (two generated datasets), which is what keeps
#: their shares modest.
THIS_YEAR_STUDY = (("DC101", 0.97), ("DA110", 0.9), ("SE220", 0.4), ("GV210", 0.14),
                   ("DA210", 0.06), ("GV320", 0.05))
#: The hours targets of the demo's schemes: one course a year at least (the admin edits them
#: on the scheme page; against the default 50 hours everyone would be 不合格).
LAST_YEAR_HOURS_TARGET = 4
THIS_YEAR_HOURS_TARGET = 5
#: Of the cadres who got a task or question wrong, the share who appeal it.
APPEAL_SHARE = 0.06
#: The trainer's backlog this year: essays and appeals younger than this wait for them.
TRAINER_BACKLOG_DAYS = 30


def demo_courses(username: str, study: tuple[tuple[str, float], ...], year: int) -> list[str]:
    """The courses of ``study`` this cadre takes in ``year``, in the order they study them."""
    draw = chance(f"{username}:{year}")
    return [code for code, share in study if draw < share]


def study_moment(username: str, start: datetime, end: datetime) -> datetime:
    """When in [start, end) the cadre sits down to study: a day drawn for them, at 9:00-18:00
    of that day in the city's time (UTC+8, so 1:00-10:00 UTC). Later days are likelier (the
    square root of a uniform draw), as people study more as the year's deadline nears."""
    days = max((end - start).days - 1, 0)
    day = start + timedelta(days=int(math.sqrt(chance(f"{username}:{start.year}:day")) * days))
    return day + timedelta(hours=1 + 9 * chance(f"{username}:{start.year}:hour"))


def appeals(username: str, code: str) -> bool:
    """Whether this cadre appeals a wrong answer in this course's quiz or exercise."""
    return chance(f"{username}:{code}:appeal") < APPEAL_SHARE


def essay_points(username: str, maximum: float) -> float:
    """What the trainer gives an essay: more for a more skilled cadre, in whole points."""
    return float(min(maximum, round(maximum * (skill_of(username) + 0.05))))
