"""Graded hints in exercise attempts: kept in the snapshot, opened by the owner in order
while the attempt is open, and charged at grading, regrading and on an upheld appeal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.vocabulary import AppealRemedy, AttemptState, RoleName
from app.extensions import db
from app.models import AttemptAnswer, AttemptHint
from app.models.types import utcnow
from app.services.assessment.appeals import file_appeal, uphold_appeal
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.access import add_course_owner
from app.services.core.errors import NotFound, PermissionDenied, ServiceError
from app.services.curriculum.authoring.preview import build_preview, grade_preview
from app.services.exercises.hints import (
    HintRefused,
    hints_opened,
    hints_used,
    open_task_hint,
)
from app.services.learning.enrollment import enroll_in_course
from tests.factories import GRID_TASKS, make_course, make_exercise, make_user


def _tasks(costs_t1=(10, 20), cost_t2=100, points_t4=2):
    tasks = [dict(task) for task in GRID_TASKS]
    tasks[0]["hints"] = [{"text": f"第 {n} 条提示", "cost_percent": cost}
                         for n, cost in enumerate(costs_t1, start=1)]
    tasks[1]["hints"] = [{"text": "看候选项", "cost_percent": cost_t2}]
    tasks[3] = {**tasks[3], "points": points_t4,
                "hints": [{"text": "比较两个时间", "cost_percent": 15}]}
    return tasks


@pytest.fixture
def world(tree):
    course = make_course("GV210", lessons=1)
    quiz = make_exercise(course, tasks=_tasks(), max_attempts=3, time_limit_minutes=60)
    cadre, other = (make_user(unit=tree["jiefangbei"]) for _ in range(2))
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    for person in (cadre, other):
        enroll_in_course(course, actor=person)
    return {"course": course, "quiz": quiz, "cadre": cadre, "other": other, "trainer": trainer}


def _save(attempt, position, value):
    save_answer(attempt, position, {"value": [value]}, client_seq=1, actor=attempt.user)


def _answer_right(attempt):
    items = attempt.questions
    _save(attempt, 0, str(int(items[0]["expected"])))
    _save(attempt, 1, items[1]["expected"])
    _save(attempt, 3, "\n".join(items[3]["expected"]))


def _points(attempt):
    return {a.position: (a.points, a.exact_points) for a in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}


def test_the_snapshot_keeps_the_hints_as_they_were_when_the_attempt_started(world, db):
    attempt = start_attempt(world["quiz"], actor=world["cadre"])
    assert [h["cost_percent"] for h in attempt.questions[0]["hints"]] == [10, 20]
    assert "第 1 条提示" in attempt.questions[0]["hints"][0]["html"]
    assert attempt.questions[2]["hints"] == []
    tasks = [dict(task) for task in world["quiz"].exercise.tasks]
    tasks[0] = {**tasks[0], "hints": [{"text": "改过的提示", "cost_percent": 50}]}
    world["quiz"].exercise.tasks = tasks
    db.session.flush()
    db.session.expire(attempt)
    assert "第 1 条提示" in attempt.questions[0]["hints"][0]["html"]
    assert "改过的提示" not in str(attempt.questions)


def test_hints_open_in_order_once_and_only_for_the_owner_of_an_open_attempt(world, db):
    cadre = world["cadre"]
    attempt = start_attempt(world["quiz"], actor=cadre)
    with pytest.raises(HintRefused, match="order"):
        open_task_hint(attempt, 0, 2, actor=cadre)
    with pytest.raises(PermissionDenied):
        open_task_hint(attempt, 0, 1, actor=world["other"])
    with pytest.raises(PermissionDenied):
        open_task_hint(attempt, 0, 1, actor=world["trainer"])
    for position, number in ((0, 3), (0, 0), (2, 1), (5, 1), (-1, 1)):
        with pytest.raises(NotFound):
            open_task_hint(attempt, position, number, actor=cadre)
    assert open_task_hint(attempt, 0, 1, actor=cadre) is True
    assert open_task_hint(attempt, 0, 1, actor=cadre) is False  # idempotent
    assert open_task_hint(attempt, 0, 2, actor=cadre) is True
    assert hints_opened(attempt) == {0: (1, 2)}
    assert db.session.query(AttemptHint).count() == 2
    submit_attempt(attempt, actor=cadre)
    with pytest.raises(HintRefused, match="closed"):
        open_task_hint(attempt, 1, 1, actor=cadre)
    assert hints_opened(attempt) == {0: (1, 2)}


def test_no_hint_opens_once_the_time_is_up(world, db):
    attempt = start_attempt(world["quiz"], actor=world["cadre"])
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    with pytest.raises(HintRefused, match="time_up"):
        open_task_hint(attempt, 0, 1, actor=world["cadre"])


def test_opened_hints_take_their_share_of_the_earned_points(world, db):
    cadre = world["cadre"]
    attempt = start_attempt(world["quiz"], actor=cadre)
    for position, number in ((0, 1), (0, 2), (1, 1), (3, 1)):
        open_task_hint(attempt, position, number, actor=cadre)
    _answer_right(attempt)
    submit_attempt(attempt, actor=cadre)
    points = _points(attempt)
    assert points[0] == (Decimal("1.40"), Decimal("1.4"))  # 2 less 10 % and 20 %
    assert points[1] == (Decimal("0.00"), Decimal("0"))  # a 100 % hint leaves nothing
    assert points[3] == (Decimal("1.70"), Decimal("1.7"))  # 2 less 15 %
    assert attempt.score == Decimal("3.10") and attempt.max_score == Decimal(10)
    used = hints_used(attempt)
    assert used[0].numbers == (1, 2) and used[0].cost_percent == 30
    assert used[1].cost_percent == 100 and 2 not in used


def test_the_deduction_is_kept_unrounded_and_the_total_rounds_once(tree, db):
    course = make_course("GV210", lessons=1)
    quiz = make_exercise(course, tasks=_tasks(points_t4=1.5))
    cadre = make_user(unit=tree["jiefangbei"])
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    open_task_hint(attempt, 3, 1, actor=cadre)
    wanted = attempt.questions[3]["expected"]
    _save(attempt, 3, "\n".join(wanted))
    submit_attempt(attempt, actor=cadre)
    answer = _points(attempt)[3]
    assert answer == (Decimal("1.28"), Decimal("1.275"))  # 1.5 less 15 %: shown in cents
    assert attempt.score == Decimal("1.28")


def test_a_partly_right_selection_pays_the_hint_on_what_it_earned(world, db):
    cadre = world["cadre"]
    attempt = start_attempt(world["quiz"], actor=cadre)
    open_task_hint(attempt, 3, 1, actor=cadre)
    wanted = attempt.questions[3]["expected"]
    _save(attempt, 3, "\n".join([*wanted, "999999"]))
    submit_attempt(attempt, actor=cadre)
    recall, precision = 1, len(wanted) / (len(wanted) + 1)
    f1 = Decimal(str(round(2 * precision * recall / (precision + recall), 4)))
    _rounded, exact = _points(attempt)[3]
    assert exact == f1 * 2 * Decimal("0.85")


def test_accepting_the_answer_on_appeal_still_charges_the_hints(world, db):
    cadre = world["cadre"]
    attempt = start_attempt(world["quiz"], actor=cadre)
    open_task_hint(attempt, 0, 1, actor=cadre)
    _save(attempt, 0, "-1")  # wrong
    submit_attempt(attempt, actor=cadre)
    assert attempt.state is AttemptState.GRADED and _points(attempt)[0][0] == Decimal(0)
    appeal = file_appeal(attempt, 0, "我的口径也对", actor=cadre)
    uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, "口径合理", actor=world["trainer"])
    assert _points(attempt)[0] == (Decimal("1.80"), Decimal("1.8"))  # 2 less the 10 % hint
    assert attempt.score == Decimal("1.80")


def test_an_answer_with_every_point_its_hints_left_cannot_be_appealed(world, db):
    cadre = world["cadre"]
    attempt = start_attempt(world["quiz"], actor=cadre)
    open_task_hint(attempt, 0, 1, actor=cadre)
    _answer_right(attempt)
    submit_attempt(attempt, actor=cadre)
    with pytest.raises(ServiceError, match="full_marks"):
        file_appeal(attempt, 0, "为什么扣分", actor=cadre)


def test_a_trainers_preview_grades_without_hints_and_records_nothing(world, db):
    preview = build_preview(world["quiz"], 7)
    assert preview.items[0]["hints"][0]["cost_percent"] == 10
    expected = preview.items[0]["expected"]
    result = grade_preview(preview, {0: {"value": [str(int(expected))]}})
    assert result.items[0].points == Decimal("2.00")
    assert db.session.query(AttemptHint).count() == 0
