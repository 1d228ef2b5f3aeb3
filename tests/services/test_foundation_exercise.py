"""DA100's foundation exercise (社区诉求): sound reference answers on any cadre's data, and
full marks for a cadre who only filters, sorts, groups and counts, never typing SQL; the
course completes once its lessons are read and its quiz passed too."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.analysis.form import parse_analysis_form
from app.domain.course_files.exercises import parse_exercise_file
from app.domain.exercise_tasks.base import sorted_ids
from app.domain.scenarios import get_scenario
from app.domain.vocabulary import AttemptState
from app.models import Quiz, QuizResult
from app.services.assessment.attempts import (
    save_answer,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.services.curriculum.course_files.importing import find_course_by_code, import_courses
from app.services.exercises.analysis import run_analysis
from app.services.exercises.variants import (
    TaskReference,
    build_exercise_variant,
    choice_options,
    expected_answer,
)
from app.services.exercises.workspace import Filter, browse_table
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.platform.demo.answers import demo_response
from tests.course_trees import CURRICULUM
from tests.factories import make_user

EXERCISE = CURRICULUM / "DA100" / "exercises" / "community-month.yaml"
TASK_TYPES = ["numeric", "choice", "choice", "numeric", "choice", "rows"]


def _exercise():
    spec, problems = parse_exercise_file(EXERCISE.read_text(encoding="utf-8"), str(EXERCISE),
                                         course_code="DA100", slug="community-month",
                                         data_files={})
    assert problems == [] and spec is not None
    return spec


def test_the_exercise_needs_no_sql_and_fits_the_foundation_tier():
    spec = _exercise()
    assert [task.type for task in spec.tasks] == TASK_TYPES  # no sql task
    assert spec.scenario == "community_requests" and spec.pass_mark == 60
    assert spec.review.value == "full" and sum(task.points for task in spec.tasks) == 10


@pytest.mark.parametrize("seed", [1, 2, 3, 17, 20260901])
def test_reference_answers_are_well_formed_and_match_the_planted_finding(seed):
    spec = _exercise()
    variant = build_exercise_variant(spec.scenario, spec.params, seed)
    finding = get_scenario(spec.scenario).generate(seed, spec.params).finding
    answers = {}
    for task in spec.tasks:
        answer = expected_answer(TaskReference(task.type, task.reference_sql, task.spec), variant)
        if task.type == "numeric":
            assert isinstance(answer, int | float) and answer > 0, task.id
        elif task.type == "choice":
            options = choice_options(variant, task.options_sql)
            assert answer in options and len(options) >= 3, task.id
        else:
            assert answer, task.id
        answers[task.id] = answer
    assert answers == {
        "T1": finding["in_progress"], "T2": finding["top_category"],
        "T3": finding["elevator_building"], "T4": finding["elevator_last_week"],
        "T5": finding["noise_peak_weekday"],
        "T6": sorted_ids(finding["closed_without_time"])}  # by value: 86 before 123
    weekdays = choice_options(variant, spec.tasks[4].options_sql)
    assert weekdays == ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


# -- the no-SQL path: every answer read off the table view and the builder ----------------


@pytest.fixture
def foundation_attempt(db, tree):
    """A grid worker enrolled in DA100 (imported from its folder), lessons read, exercise
    attempt begun."""
    import_courses(CURRICULUM / "DA100", actor=None)
    course = find_course_by_code("DA100")
    cadre = make_user(unit=tree["jiefangbei"], name="网格员甲")
    enrollment = enroll_in_course(course, actor=cadre)
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=cadre)
    assert enrollment.completed_at is None  # the quiz and the exercise are still to pass
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "DA100/community-month"))
    return start_attempt(quiz, actor=cadre), enrollment


def _builder(attempt, *, filters=(), group):
    """What the cadre picks in 无代码分析: filters, one group-by column, count of rows."""
    form = {"table": ["requests"], "group-0": [group], "measure-0-func": ["count"],
            "measure-0-column": [""], "limit": ["100"]}
    for i, (column, op, value) in enumerate(filters):
        form.update({f"filter-{i}-column": [column], f"filter-{i}-op": [op],
                     f"filter-{i}-value": [value]})
    _sql, result, _notices = run_analysis(attempt, parse_analysis_form(form), actor=attempt.user)
    return result.rows  # (group, count), largest first


def _rows_in_table_view(attempt, filters, sort):
    """Every row the table view shows for a filter, page by page, as column → value."""
    page_number, rows = 1, []
    while True:
        page = browse_table(attempt, "requests", filters=filters, sort=sort, page=page_number,
                            actor=attempt.user)
        rows += [dict(zip(page.columns, row, strict=True)) for row in page.rows]
        if page_number >= page.pages:
            return rows
        page_number += 1


def _answers_without_sql(attempt) -> list[str]:
    in_progress = browse_table(attempt, "requests", filters=(Filter("status", "eq", "处置中"),),
                               actor=attempt.user).total
    top_category = _builder(attempt, group="category")[0][0]
    elevator = ("category", "eq", "电梯故障")
    worst_building = _builder(attempt, filters=[elevator], group="building")[0][0]
    last_week = dict(_builder(attempt, group="building", filters=[
        elevator, ("reported_at", "ge", "2025-09-24 00:00:00")]))[worst_building]
    noisy_day = _builder(attempt, filters=[("category", "eq", "噪音扰民")], group="weekday")[0][0]
    empty_close = _rows_in_table_view(attempt, (Filter("closed_at", "is_empty"),), "status")
    slips = [str(row["id"]) for row in empty_close if row["status"] == "已办结"]
    return [str(in_progress), top_category, worst_building, str(last_week), noisy_day,
            ", ".join(slips)]


def test_a_cadre_who_never_types_sql_passes_with_full_marks_and_completes_da100(
        foundation_attempt, db):
    attempt, enrollment = foundation_attempt
    answers = _answers_without_sql(attempt)
    for position, value in enumerate(answers):
        save_answer(attempt, position, {"value": [value]}, client_seq=1, actor=attempt.user)
    assert submit_attempt(attempt, actor=attempt.user)
    assert attempt.state is AttemptState.GRADED
    assert {a.position: a.points for a in attempt.answers} == {
        position: Decimal(str(item["points"])).quantize(Decimal("0.01"))
        for position, item in enumerate(attempt.questions)}
    assert attempt.score == Decimal(10)
    assert db.session.query(QuizResult).one().passed
    assert enrollment.completed_at is None  # DA100's graded quiz is still to pass
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "DA100/final"))
    test = start_attempt(quiz, actor=attempt.user)
    assert len(test.questions) == 12
    save_answers(test, {position: demo_response(item, correct=True)
                        for position, item in enumerate(test.questions)},
                 client_seq=1, actor=attempt.user)
    submit_attempt(test, actor=attempt.user)
    assert test.passed and test.score == test.max_score
    assert enrollment.completed_at is not None  # lessons, quiz and exercise: complete
