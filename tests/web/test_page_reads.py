"""A cadre's pages read the cadre's own rows, never a scan of everybody's.

Each page's statements are captured and planned by the database itself: on SQLite with
EXPLAIN QUERY PLAN (a ``SCAN`` of a table, even through a covering index, reads all of it),
on PostgreSQL with EXPLAIN under ``enable_seqscan = off`` (a sequential scan or an index
scan without an index condition still shows when no index can limit the rows). Either way a
statement whose rows grow with other cadres' data fails here, whatever the data size: the
city-size figures are in benchmarks/city_load.py.
"""

import json

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from tests.factories import complete_course, make_course, make_question, make_quiz, make_user

#: Tables whose rows grow with the number of people and their activity.
PEOPLE_TABLES = {
    "user_account", "user_role", "enrollment", "lesson_progress", "hour_credit", "attempt",
    "attempt_answer", "quiz_result", "certificate", "appraisal_result", "appraisal_exemption",
    "audit_event", "notification", "appeal", "time_accommodation", "plan_due_extension",
    "report_job", "commendation_entry", "pending_upload", "hours_claim", "hours_claim_proof",
    "class_member", "class_attendance", "class_leave_request", "class_check_in_refusal",
}


def _statements(client, url):
    """The SELECTs a GET of ``url`` runs; a write there fails (a page view writes nothing)."""
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip().split(None, 1)[0].upper()
        assert verb not in ("INSERT", "UPDATE", "DELETE"), f"{url} writes: {statement}"
        if verb == "SELECT":
            seen.append((statement, parameters))

    event.listen(_db.engine, "before_cursor_execute", capture)
    try:
        response = client.get(url)
    finally:
        event.remove(_db.engine, "before_cursor_execute", capture)
    assert response.status_code == 200, url
    return seen


def _sqlite_scans(cursor, statement, parameters):
    rows = cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    scans = []
    for row in rows:
        words = row[-1].split()
        if words[:1] == ["SCAN"] and words[1] in PEOPLE_TABLES:
            scans.append(row[-1])
    return scans


def _postgres_scans(cursor, statement, parameters):
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", ()))
        table = node.get("Relation Name")
        if table not in PEOPLE_TABLES:
            continue
        unlimited_index = node["Node Type"] in ("Index Scan", "Index Only Scan") \
            and "Index Cond" not in node
        if node["Node Type"] == "Seq Scan" or unlimited_index:
            scans.append(f"{node['Node Type']} on {table}")
    return scans


def full_scans(statements):
    """The statements that read a people table whole, with what the plan says."""
    connection = _db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        planner = _postgres_scans if _db.engine.dialect.name == "postgresql" else _sqlite_scans
        found = {}
        for statement, parameters in statements:
            scans = planner(cursor, statement, parameters)
            if scans:
                found[statement] = scans
        return found
    finally:
        connection.rollback()
        connection.close()


@pytest.fixture
def busy_course(tree, db):
    """A course with a quiz that the viewer and five other cadres have all worked on."""
    course = make_course("DC101", lessons=3)
    questions = [make_question(f"Q{n}", course=course) for n in range(1, 4)]
    quiz = make_quiz(course, questions, pass_mark=50)
    others = [make_user(unit=tree["chaotianmen"]) for _ in range(5)]
    viewer = make_user(unit=tree["jiefangbei"])
    for person in [*others, viewer]:
        complete_course(course, person)
        attempt = start_attempt(quiz, actor=person)
        for position in range(len(questions)):
            save_answer(attempt, position, {"choice": ["0"]}, client_seq=1, actor=person)
        submit_attempt(attempt, actor=person)
    open_attempt = start_attempt(quiz, actor=viewer)
    db.session.commit()
    return course, quiz, viewer, open_attempt.id


def _cadre_pages(course, quiz, attempt_id):
    return ["/", "/courses/", f"/courses/{course.code}", f"/courses/{course.code}/lessons/1",
            "/records/me", "/certificates/", f"/quizzes/{quiz.id}", f"/attempts/{attempt_id}",
            "/classes/mine", "/classes/open", "/claims/"]


def test_no_cadre_page_reads_other_cadres_rows(client, login_as, busy_course):
    course, quiz, viewer, attempt_id = busy_course
    login_as(user=viewer)
    for url in _cadre_pages(course, quiz, attempt_id):
        assert full_scans(_statements(client, url)) == {}, url


def test_the_check_catches_a_scan_of_everybodys_progress(client, login_as, busy_course):
    """The guard itself: the query the home page used to run is caught."""
    from sqlalchemy import func, select

    from app.models import LessonProgress

    whole_table = select(LessonProgress.enrollment_id, func.count()).group_by(
        LessonProgress.enrollment_id)
    compiled = whole_table.compile(_db.engine)
    params = compiled.params if _db.engine.dialect.name == "postgresql" \
        else tuple(compiled.params.values())
    assert full_scans([(str(compiled), params)]) != {}
