from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.vocabulary import (
    AppealRemedy,
    AppealStatus,
    AttemptState,
    CompetencyArea,
    ReviewPolicy,
    RoleName,
)
from app.models import AuditEvent, QuizResult
from app.services.assessment.appeals import (
    file_appeal,
    list_open_appeals,
    reject_appeal,
    uphold_appeal,
)
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.assessment.grading import grade_essay, list_essays_to_grade
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.records.competency import mastery_by_area
from tests.factories import make_course, make_question, make_quiz, make_user


@pytest.fixture
def world(tree):
    course = make_course("GV320", lessons=1, hours="4")
    questions = [
        make_question("GV320-Q01", course=course, area=CompetencyArea.GOVERNANCE),
        make_question("GV320-Q02", course=course, area=CompetencyArea.GOVERNANCE),
        make_question("GV320-Q03", course=course, area=CompetencyArea.DATA),
        make_question("GV320-Q04", type="essay", course=course, points=4,
                      spec={"rubric": "要点"}, area=CompetencyArea.GOVERNANCE),
    ]
    quiz = make_quiz(course, questions, shuffle=False, pass_mark=60)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="教员")
    add_course_owner(course, trainer, actor=None)
    other_trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    cadres = [make_user(unit=tree["jiefangbei"]) for _ in range(2)]
    for cadre in cadres:
        complete_lesson(enroll_in_course(course, actor=cadre), course.lessons[0], actor=cadre)
    return {"course": course, "quiz": quiz, "trainer": trainer, "other": other_trainer,
            "cadres": cadres}


def _take(quiz, cadre, right=(0, 1, 2), essay="我的方案……"):
    attempt = start_attempt(quiz, actor=cadre)
    for position in range(3):
        item = attempt.questions[position]
        index = 0 if position in right else 1
        save_answer(attempt, position, {"value": [item["display"]["ids"][index]]},
                    client_seq=1, actor=cadre)
    if essay:
        save_answer(attempt, 3, {"value": [essay]}, client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    return attempt


def test_the_essay_queue_and_grading_finalise_the_attempt(world, db):
    cadre = world["cadres"][0]
    attempt = _take(world["quiz"], cadre, right=(0,))  # 2 of 6 auto points so far
    assert attempt.state is AttemptState.SUBMITTED
    queue = list_essays_to_grade(actor=world["trainer"])
    assert [(e.attempt.id, e.answer.position) for e in queue] == [(attempt.id, 3)]
    assert list_essays_to_grade(actor=world["other"]) == []  # not their course
    with pytest.raises(PermissionDenied):
        grade_essay(queue[0].answer, points="4", feedback="", actor=world["other"])
    for bad in ("x", "5", "-1", "1.234"):
        with pytest.raises(ServiceError):
            grade_essay(queue[0].answer, points=bad, feedback="", actor=world["trainer"])
    grade_essay(queue[0].answer, points="4", feedback="论证完整。", actor=world["trainer"])
    assert attempt.state is AttemptState.GRADED
    assert attempt.score == 6 and attempt.percent == 60 and attempt.passed
    enrollment = db.session.scalar(select(QuizResult))
    assert enrollment.passed
    assert list_essays_to_grade(actor=world["trainer"]) == []


def test_mastery_per_area_counts_every_graded_answer(world):
    cadre = world["cadres"][0]
    attempt = _take(world["quiz"], cadre, right=(0, 2), essay="")  # essay left blank
    assert attempt.state is AttemptState.GRADED
    mastery = mastery_by_area(cadre)
    assert mastery[CompetencyArea.DATA].percent == 100
    assert (mastery[CompetencyArea.GOVERNANCE].earned,
            mastery[CompetencyArea.GOVERNANCE].possible) == (Decimal(2), Decimal(8))


def test_an_appeal_can_be_rejected_with_a_reason(world):
    cadre = world["cadres"][0]
    attempt = _take(world["quiz"], cadre, right=(1, 2), essay="")  # question 1 marked wrong
    appeal = file_appeal(attempt, 0, "我认为题干有歧义。", actor=cadre)
    with pytest.raises(ServiceError, match="already_appealed"):
        file_appeal(attempt, 0, "再次申诉", actor=cadre)
    assert list_open_appeals(actor=world["trainer"]) == [appeal]
    with pytest.raises(ServiceError, match="response_required"):
        reject_appeal(appeal, "  ", actor=world["trainer"])
    reject_appeal(appeal, "题干表述清楚，维持原判。", actor=world["trainer"])
    assert appeal.status is AppealStatus.REJECTED
    with pytest.raises(ServiceError, match="already_decided"):
        reject_appeal(appeal, "x", actor=world["trainer"])


def test_appeals_need_a_reviewed_attempt_of_ones_own(world, db):
    cadre, other = world["cadres"]
    pending = _take(world["quiz"], cadre)  # essay pending: not reviewed yet
    with pytest.raises(ServiceError, match="not_reviewed"):
        file_appeal(pending, 0, "理由", actor=cadre)
    world["quiz"].review = ReviewPolicy.SCORE_ONLY
    graded = _take(world["quiz"], other, right=(1, 2), essay="")
    with pytest.raises(ServiceError, match="not_reviewed"):
        file_appeal(graded, 0, "理由", actor=other)
    world["quiz"].review = ReviewPolicy.FULL
    with pytest.raises(PermissionDenied):
        file_appeal(graded, 0, "理由", actor=cadre)
    with pytest.raises(ServiceError, match="reason_length"):
        file_appeal(graded, 0, "字" * 3000, actor=other)
    with pytest.raises(ServiceError, match="full_marks"):  # finding 17: nothing to appeal
        file_appeal(graded, 1, "理由", actor=other)


def test_accepting_an_answer_regrades_one_attempt_and_completes_the_course(world, db):
    cadre = world["cadres"][0]
    attempt = _take(world["quiz"], cadre, right=(0, 1), essay="")  # 4 / 10 = 40 %: fail
    assert not attempt.passed
    appeal = file_appeal(attempt, 2, "我的答案在本地实践中同样成立。", actor=cadre)
    changes = uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, "理由成立。",
                            actor=world["trainer"])
    assert changes == [(attempt.id, "4.00", "6.00")]
    assert attempt.percent == 60 and attempt.passed
    enrollment = attempt.user and db.session.scalar(select(QuizResult))
    assert enrollment.passed
    audit = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "assessment.appeal_upheld"))
    assert audit.details["changes"] == [[attempt.id, "4.00", "6.00"]]


def test_dropping_a_question_regrades_everyone_who_took_it(world, db):
    first = _take(world["quiz"], world["cadres"][0], right=(1, 2), essay="")  # 4/10
    second = _take(world["quiz"], world["cadres"][1], right=(0, 1, 2), essay="")  # 6/10
    appeal = file_appeal(first, 0, "该题答案有争议。", actor=world["cadres"][0])
    uphold_appeal(appeal, AppealRemedy.DROP_QUESTION, "删除该题。", actor=world["trainer"])
    assert (first.score, first.max_score, first.percent) == (4, 8, 50)
    assert (second.score, second.max_score, second.percent) == (4, 8, 50)


def test_changing_the_key_is_deterministic_for_everyone_on_that_version(world, db):
    first = _take(world["quiz"], world["cadres"][0], right=(1, 2), essay="")  # chose option 1
    second = _take(world["quiz"], world["cadres"][1], right=(0, 1, 2), essay="")
    appeal = file_appeal(first, 0, "正确答案应为第二项。", actor=world["cadres"][0])
    db.session.commit()
    bad_key = {"options": ["正确选项", "错误选项", "干扰项"], "answer": 9}
    with pytest.raises(ServiceError, match="invalid_key"):
        uphold_appeal(appeal, AppealRemedy.CHANGE_KEY, "改答案", actor=world["trainer"],
                      new_spec=bad_key)
    db.session.rollback()  # the route would roll back: nothing of the refused regrade stays
    new_key = {"options": ["正确选项", "错误选项", "干扰项"], "answer": 1}
    changes = uphold_appeal(appeal, AppealRemedy.CHANGE_KEY, "答案更正。",
                            actor=world["trainer"], new_spec=new_key)
    assert sorted(changes) == sorted([(first.id, "4.00", "6.00"), (second.id, "6.00", "4.00")])


def _thirds_quiz(tree):
    course = make_course("GV321", lessons=1, hours="2")
    spec = {"options": ["甲", "乙", "丙", "丁"], "answer": [0, 1, 2]}  # partial: 1/3 each
    questions = [make_question(f"GV321-Q0{n}", type="multiple", spec=dict(spec), points=1,
                               course=course) for n in (1, 2, 3)]
    quiz = make_quiz(course, questions, shuffle=False, pass_mark=30)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    cadre = make_user(unit=tree["jiefangbei"])
    complete_lesson(enroll_in_course(course, actor=cadre), course.lessons[0], actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    for position, item in enumerate(attempt.questions):  # one right option of three
        save_answer(attempt, position, {"value": [item["display"]["ids"][0]]}, client_seq=1,
                    actor=cadre)
    submit_attempt(attempt, actor=cadre)
    return attempt, trainer


def test_finding_5_three_one_third_credits_total_one_point_not_099(tree, db):
    attempt, _trainer = _thirds_quiz(tree)
    answers = sorted(attempt.answers, key=lambda answer: answer.position)
    assert [answer.points for answer in answers] == [Decimal("0.33")] * 3  # shown per answer
    assert (attempt.score, attempt.max_score, attempt.percent) == (1, 3, Decimal("33.33"))
    db.session.commit()
    db.session.expire_all()
    assert (attempt.score, attempt.percent) == (Decimal("1.00"), Decimal("33.33"))  # stored


def test_finding_5_an_appeal_regrade_totals_the_unrounded_points_too(tree, db):
    attempt, trainer = _thirds_quiz(tree)
    appeal = file_appeal(attempt, 0, "甲乙丙丁都应算对。", actor=attempt.user)
    new_key = {"options": ["甲", "乙", "丙", "丁"], "answer": [0, 1, 3]}  # still 1/3 here
    changes = uphold_appeal(appeal, AppealRemedy.CHANGE_KEY, "答案更正。", actor=trainer,
                            new_spec=new_key)
    assert changes in ([], [(attempt.id, "1.00", "1.00")])
    assert attempt.score == Decimal("1.00")
    uphold = file_appeal(attempt, 1, "乙应算对。", actor=attempt.user)
    changes = uphold_appeal(uphold, AppealRemedy.ACCEPT_ANSWER, "理由成立。", actor=trainer)
    assert changes == [(attempt.id, "1.00", "1.67")]  # 1 + 1/3 + 1/3 = 1.666… → 1.67


def test_finding_5_area_sums_round_once_too(tree, db):
    """Mastery per area adds the unrounded points and rounds the sum: 1.00 of 3, not 0.99."""
    attempt, _trainer = _thirds_quiz(tree)
    db.session.commit()
    (mastery,) = mastery_by_area(attempt.user).values()
    assert (mastery.earned, mastery.possible) == (Decimal("1.00"), Decimal("3.00"))
    assert mastery.percent == Decimal("33.33")
