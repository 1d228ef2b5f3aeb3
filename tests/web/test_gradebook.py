import csv
import io

from app.domain.vocabulary import RoleName
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.access import add_course_owner
from app.services.learning.enrollment import enroll_in_course
from tests.factories import make_course, make_question, make_quiz, make_user


def _class(tree, db, *, cadres=6):
    course = make_course("DA110", lessons=1)
    questions = [make_question(f"DA110-Q{i:02d}", course=course) for i in range(1, 4)]
    quiz = make_quiz(course, questions, shuffle=False, title="课程测验")
    people = []
    for index in range(cadres):
        unit = tree["jiefangbei"] if index % 2 == 0 else tree["guanyinqiao"]
        name = "=HYPERLINK(\"http://x\")" if index == 0 else f"学员{index}"
        cadre = make_user(unit=unit, name=name)
        enroll_in_course(course, actor=cadre)
        attempt = start_attempt(quiz, actor=cadre)
        for position in range(3):
            # Everyone gets Q01 right; Q02 right only for the better half; Q03 always wrong.
            right = position == 0 or (position == 1 and index >= cadres // 2)
            if position == 2:
                right = False
            option = 0 if right else 1
            save_answer(attempt, position, {"value": [attempt.questions[position]["display"]
                                                      ["ids"][option]]},
                        client_seq=1, actor=cadre)
        submit_attempt(attempt, actor=cadre)
        people.append(cadre)
    db.session.commit()
    return course, quiz, people


def test_gradebook_filters_by_unit_and_exports_safe_csv(client, tree, login_as, db,
                                                        count_queries):
    course, _quiz, _people = _class(tree, db)
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    with count_queries() as counter:
        page = client.get("/teaching/courses/DA110/gradebook").get_data(as_text=True)
    assert "学员1" in page and "课程测验" in page and "33.33%" in page
    assert counter.count <= 12
    filtered = client.get("/teaching/courses/DA110/gradebook?unit=500105").get_data(as_text=True)
    assert "学员1" in filtered and "学员2" not in filtered
    response = client.get("/teaching/courses/DA110/gradebook.csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["工号", "姓名", "单位"] and rows[0][3] == "课程测验"
    assert len(rows) == 7
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])


def test_item_statistics_flag_what_high_scorers_miss(client, tree, login_as, db):
    course, quiz, _people = _class(tree, db, cadres=8)
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    from app.services.assessment.item_statistics import quiz_item_statistics

    stats, attempts = quiz_item_statistics(quiz, actor=trainer)
    by_key = {s.key: s for s in stats}
    assert attempts == 8
    assert by_key["DA110-Q01"].facility == 1 and by_key["DA110-Q01"].discrimination == 0
    assert by_key["DA110-Q02"].discrimination == 1  # separates high from low scorers
    assert by_key["DA110-Q03"].facility == 0 and by_key["DA110-Q03"].flagged
    assert not by_key["DA110-Q02"].flagged
    assert dict(by_key["DA110-Q03"].options)["错误选项"] == 8
    page = client.get(f"/teaching/quizzes/{quiz.id}/items").get_data(as_text=True)
    assert "DA110-Q03" in page and "table-warning" in page


def test_other_trainers_and_cadres_cannot_read_the_gradebook(client, tree, login_as, db):
    _class(tree, db, cadres=1)
    login_as(RoleName.TRAINER, unit=tree["city"])
    assert client.get("/teaching/courses/DA110/gradebook").status_code == 403
    assert client.get("/teaching/courses/DA110/gradebook.csv").status_code == 403
    assert client.get("/teaching/courses/NOPE/gradebook").status_code == 404


def test_finding_14_the_gradebook_filter_names_the_units_of_its_cadres(client, tree, login_as,
                                                                      db):
    course, _quiz, _people = _class(tree, db)
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    page = client.get("/teaching/courses/DA110/gradebook").get_data(as_text=True)
    picker = page[page.index('<datalist id="unit-units">'):page.index("</datalist>")]
    assert tree["jiefangbei"].name in picker and tree["guanyinqiao"].name in picker
    assert tree["city"].name not in picker  # no enrolled cadre there
    filtered = client.get("/teaching/courses/DA110/gradebook",
                          query_string={"unit": tree["jiefangbei"].code}).get_data(as_text=True)
    assert f"{tree['jiefangbei'].name} · " in filtered
