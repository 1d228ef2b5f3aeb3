"""When a course counts as completed.

Completion is the conjunction of independent requirements (all lessons done;
every graded assessment passed, once assessments exist). Each requirement
reports what is still pending, so the course page can say why a course is not
complete yet.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    key: str  # e.g. "lessons", "assessments"
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
