"""How the generated demo cadres study (deterministic for a username; pure).

One rule for both ways the demo is written: the real use cases (app.services.platform.demo.activity,
a few hundred cadres) and the set-based city generator (app.services.platform.city_seed), so a
cadre written either way takes the same courses and gets the same questions right.
"""

import hashlib
import random

#: (course, share of the cadres who take it): the city plan's two required courses, then an
#: elective.
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
