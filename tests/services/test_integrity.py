"""Integrity: a wrong exercise answer that is right on another cadre's data is flagged."""

import pytest

from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.exercises.integrity import find_copy_evidence
from app.services.learning.enrollment import enroll_in_course
from tests.factories import make_course, make_exercise, make_user


@pytest.fixture
def classroom(tree, monkeypatch):
    course = make_course("GV210", lessons=1)
    quiz = make_exercise(course)
    cadres = [make_user(unit=tree["jiefangbei"], name=f"学员{i}") for i in range(3)]
    for cadre in cadres:
        enroll_in_course(course, actor=cadre)
    trainer = make_user(unit=tree["city"], roles=("trainer",))
    add_course_owner(course, trainer, actor=None)
    # Fixed seeds, so the three cadres' overdue counts are known to differ.
    seeds = iter([20261127, 4242, 777_777])
    monkeypatch.setattr("app.services.assessment.attempts.secrets.randbits",
                        lambda bits: next(seeds))
    attempts = [start_attempt(quiz, actor=cadre) for cadre in cadres]
    return {"course": course, "cadres": cadres, "attempts": attempts, "trainer": trainer}


def _save(attempt, position, value):
    save_answer(attempt, position, {"value": [value]}, client_seq=1, actor=attempt.user)


def _expected(attempt, position):
    return attempt.questions[position]["expected"]


def test_answers_copied_from_a_classmate_are_evidence_not_a_penalty(classroom, db):
    honest, copier, other = classroom["attempts"]
    # The copier hands in the honest cadre's numbers and records, not their own.
    _save(honest, 0, str(int(_expected(honest, 0))))
    _save(copier, 0, str(int(_expected(honest, 0))))
    _save(copier, 3, ",".join(_expected(honest, 3)))
    _save(other, 0, str(int(_expected(other, 0))))  # right on own data: never flagged
    for attempt in classroom["attempts"]:
        submit_attempt(attempt, actor=attempt.user)
    assert _expected(honest, 0) != _expected(copier, 0)
    assert _expected(honest, 3) != _expected(copier, 3)
    pair, *chance = find_copy_evidence(classroom["course"], actor=classroom["trainer"])
    assert (pair.cadre, pair.source) == (copier.user, honest.user)
    assert sorted(m.task_id for m in pair.matches) == ["T1", "T4"] and pair.strong
    # A wrong count may by chance also be the third cadre's count: weak evidence at most.
    assert all(not other.strong and other.cadre == copier.user for other in chance)
    assert copier.score == 0  # the evidence changes no score


def test_only_the_courses_trainers_see_the_evidence(classroom, db, tree):
    stranger = make_user(unit=tree["city"], roles=("trainer",))
    with pytest.raises(PermissionDenied):
        find_copy_evidence(classroom["course"], actor=stranger)
    with pytest.raises(PermissionDenied):
        find_copy_evidence(classroom["course"], actor=classroom["cadres"][0])
