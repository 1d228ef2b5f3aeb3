"""The weakest area's suggested courses, as the home page and the learning record show them
(one macro, macros/learning.html suggested_course)."""

from app.domain.vocabulary import CompetencyArea, RoleName
from tests.factories import make_course, make_question, make_quiz
from tests.services.test_competency import graded_attempt


def test_home_and_record_link_the_weakest_areas_courses_with_tier_and_hours(
        client, login_as, db):
    cadre = login_as(RoleName.CADRE)
    course = make_course("DA110", areas=(CompetencyArea.DATA,), hours="6")
    quiz = make_quiz(course, [make_question("DA110-Q01", course=course)])
    for area in CompetencyArea:
        graded_attempt(quiz, cadre, [("X", area, 1 if area is CompetencyArea.DATA else 2, 2)] * 5)
    make_course("DA210", areas=(CompetencyArea.DATA,), hours="4")
    db.session.commit()
    for url in ("/", "/records/me"):
        page = client.get(url).get_data(as_text=True)
        for code, hours in (("DA110", 6), ("DA210", 4)):
            link = f'<a href="/courses/{code}">'
            assert link in page, (url, code)
            line = page[page.index(link):page.index("</li>", page.index(link))]
            assert f"{hours} 学时" in line, (url, line)
