"""When a course counts as completed, how far along a cadre is, and what comes next.

Completion is the conjunction of independent requirements (all lessons done; every graded
quiz and every graded data exercise passed). Each requirement reports what is still
pending, so the course page can say why a course is not complete yet and what to do next.
Every page that shows a course's progress (course page, lesson reader, catalog, home)
takes its percent from `progress_percent` over the same requirements, and its state from
`course_state`, so no two pages disagree.
"""

from dataclasses import dataclass

#: The order in which a cadre meets the requirements: what the course page offers next.
REQUIREMENT_ORDER = ("lessons", "quizzes", "exercises")


@dataclass(frozen=True)
class Requirement:
    key: str  # "lessons", "quizzes", "exercises"
    done: int
    total: int

    @property
    def met(self) -> bool:
        return self.done >= self.total


def is_complete(requirements: list[Requirement]) -> bool:
    """A course with no lessons never completes; every requirement must be met."""
    lessons = next((r for r in requirements if r.key == "lessons"), None)
    if lessons is None or lessons.total == 0:
        return False
    return all(r.met for r in requirements)


def pending(requirements: list[Requirement]) -> list[Requirement]:
    return [r for r in requirements if not r.met]


def progress_percent(requirements: list[Requirement]) -> int:
    """Share of every required item done (each lesson, graded quiz and exercise counts one).
    100 only when the course is complete: the last lesson of a course whose quiz is still
    to pass does not read as finished."""
    total = sum(r.total for r in requirements)
    if total <= 0:
        return 0
    percent = (100 * sum(min(r.done, r.total) for r in requirements)) // total
    return percent if is_complete(requirements) else min(percent, 99)


def next_requirement(requirements: list[Requirement]) -> str | None:
    """The key of the first requirement still open, in REQUIREMENT_ORDER; None when all met."""
    open_keys = {r.key for r in pending(requirements)}
    return next((key for key in REQUIREMENT_ORDER if key in open_keys), None)


def course_state(*, enrolled: bool, completed: bool) -> str:
    """"none", "in_progress" or "completed": enrolled and not completed is in progress,
    whether the cadre chose the course or a training plan assigned it."""
    if not enrolled:
        return "none"
    return "completed" if completed else "in_progress"
