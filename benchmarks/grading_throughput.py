"""Grading throughput: how many 50-question attempts per second submit_attempt grades.

Run: .venv/bin/python benchmarks/grading_throughput.py [--attempts 200] [--database URL]
Each attempt mixes the eight question types (essays excluded so every attempt
finishes grading), is answered in full, then submitted and committed one by one,
as the submit request does. Prints attempts per second and milliseconds per attempt.
"""

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import scratch_app  # noqa: E402

from app.domain.vocabulary import (  # noqa: E402
    CompetencyArea,
    CourseKind,
    CourseTier,
    OrgLevel,
    QuizKind,
    Rank,
    WorkCategory,
)
from app.extensions import db  # noqa: E402
from app.models import Course, Lesson, Question, Quiz  # noqa: E402
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt  # noqa: E402
from app.services.learning.enrollment import enroll_in_course  # noqa: E402
from app.services.people.accounts import create_user  # noqa: E402
from app.services.people.org import create_org_unit  # noqa: E402

SPECS = [
    ("single", {"options": ["甲", "乙", "丙", "丁"], "answer": 2}),
    ("multiple", {"options": ["甲", "乙", "丙", "丁"], "answer": [0, 3], "scoring": "partial"}),
    ("truefalse", {"answer": True}),
    ("fill", {"answers": ["数据可用不可见", "可用不可见"]}),
    ("numeric", {"answer": 25.0, "tolerance": 0.5, "unit": "%"}),
    ("ordering", {"items": ["发现", "派单", "处置", "反馈", "评价"]}),
    ("matching", {"pairs": [["无条件共享", "直接提供"], ["有条件共享", "审核后提供"],
                            ["不予共享", "不能提供"]]}),
]


def raw_answer(item: dict) -> dict:
    display = item["display"]
    kind = item["type"]
    if kind in ("single", "multiple"):
        return {"value": [display["ids"][0], display["ids"][2]][: 1 if kind == "single" else 2]}
    if kind == "truefalse":
        return {"value": ["true"]}
    if kind == "fill":
        return {"value": ["可用不可见"]}
    if kind == "numeric":
        return {"value": ["25.2%"]}
    if kind == "ordering":
        return {"order": [display["ids"][i] for i in (0, 2, 1, 3, 4)]}
    return {f"match-{t}": [display["definition_ids"][i]]
            for i, t in enumerate(display["term_ids"])}


def build(attempts: int):
    city = create_org_unit(code="500000", name="重庆市", level=OrgLevel.CITY, parent=None,
                           actor=None)
    course = Course(code="BM101", title="基准课程", tier=CourseTier.FOUNDATION,
                    kind=CourseKind.ELECTIVE, hours=Decimal(2), summary="")
    course.lessons = [Lesson(number=1, slug="one", title="一", minutes=10, body_markdown="x",
                             body_html="<p>x</p>")]
    db.session.add(course)
    keys = []
    for index in range(50):
        kind, spec = SPECS[index % len(SPECS)]
        question = Question(key=f"BM-{index:03d}", type=kind, spec=spec, course=course,
                            area=list(CompetencyArea)[index % 5], difficulty=1 + index % 3,
                            points=Decimal(2), prompt=f"第{index}题", explanation="")
        db.session.add(question)
        keys.append(question.key)
    quiz = Quiz(code="BM101/final", kind=QuizKind.COURSE, course=course, title="基准测验",
                question_keys=keys, max_attempts=None)
    db.session.add(quiz)
    db.session.flush()
    ready = []
    for index in range(attempts):
        user = create_user(username=f"BM{index:05d}", name="基准", org_unit=city,
                           rank=Rank.STAFF, category=WorkCategory.ECONOMY,
                           password_hash="not-a-hash", actor=None)  # noqa: S106 - never signs in
        enroll_in_course(course, actor=user)
        attempt = start_attempt(quiz, actor=user)
        for position, item in enumerate(attempt.questions):
            save_answer(attempt, position, raw_answer(item), client_seq=1, actor=user)
        ready.append(attempt.id)
    db.session.commit()
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--database", help="SQLAlchemy URL (default: SQLite in memory)")
    args = parser.parse_args()

    with scratch_app(args.database, prefix="grading-", in_memory=True):
        attempt_ids = build(args.attempts)
        from app.models import Attempt

        started = time.perf_counter()
        for attempt_id in attempt_ids:
            attempt = db.session.get(Attempt, attempt_id)
            submit_attempt(attempt, actor=attempt.user)
            db.session.commit()
            db.session.expunge_all()
        elapsed = time.perf_counter() - started
        print(f"graded {len(attempt_ids)} attempts of 50 questions in {elapsed:.2f} s: "
              f"{len(attempt_ids) / elapsed:.1f} attempts/s, "
              f"{1000 * elapsed / len(attempt_ids):.1f} ms per attempt "
              f"({db.engine.dialect.name})")


if __name__ == "__main__":
    main()
