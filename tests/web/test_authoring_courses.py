"""Course authoring pages: list, form, owners, publishing, zip export, and who may use them."""

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from app.domain.vocabulary import CourseStatus, QuestionStatus, RoleName
from app.models import AuditEvent, Course, CourseOwner
from app.services.core.access import add_course_owner
from tests.factories import PASSWORD, make_course, make_question, make_quiz, make_user

#: A course form as a trainer fills it in.
FORM = {"code": "SE101", "title": "数据安全与隐私保护", "summary": "学会数据分级分类。",
        "tier": "foundation", "areas": ["security"], "hours": "4.5", "kind": "elective",
        "ranks": [], "categories": ["public_service"], "prerequisites": []}


@pytest.fixture
def english(client):
    """Pages in English, so assertions read the messages as written in the code."""
    client.set_cookie("lang", "en")
    return client


def _revision(page: str) -> str:
    return re.search(r'name="revision" type="hidden" value="([^"]*)"', page)[1]


def _owned_course(db, trainer, code="DA110", **options):
    course = make_course(code, **options)
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    return course


COURSE_PAGES = ["/teaching/courses/DA110/edit", "/teaching/courses/DA110/publish",
                "/teaching/courses/DA110/export.zip", "/teaching/courses/DA110/lessons"]


@pytest.mark.parametrize("role", [None, RoleName.CADRE, RoleName.HR])
def test_people_who_do_not_author_are_kept_out(client, tree, login_as, db, role):
    make_course("DA110")
    db.session.commit()
    if role is not None:
        login_as(role)
    for url in ["/teaching/courses", "/teaching/courses/new", *COURSE_PAGES]:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/auth/login" in response.location, url
        else:
            assert response.status_code == 403, url
    response = client.post("/teaching/courses/new", data=FORM)
    assert response.status_code in (302, 403) and db.session.scalar(
        select(Course.id).where(Course.code == "SE101")) is None


def test_owners_and_admins_open_a_course_and_other_trainers_do_not(app, client, tree, login_as,
                                                                   db):
    owner = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    _owned_course(db, owner)
    login_as(RoleName.TRAINER)  # a trainer who owns nothing
    assert "DA110" not in client.get("/teaching/courses").get_data(as_text=True)
    for url in COURSE_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/teaching/courses/DA110/publish").status_code == 403
    assert client.post("/teaching/courses/DA110/owners",
                       data={"owner-username": "x"}).status_code == 403
    assert client.get("/teaching/courses/XX999/edit").status_code == 404
    for user in (owner, make_user(unit=tree["city"], roles=[RoleName.ADMIN])):
        db.session.commit()
        browser = app.test_client()
        browser.post("/auth/login", data={"username": user.username, "password": PASSWORD})
        assert "DA110" in browser.get("/teaching/courses").get_data(as_text=True)
        for url in COURSE_PAGES:
            assert browser.get(url).status_code == 200, (url, user)


def test_a_trainer_creates_a_course_as_a_draft(english, tree, login_as, db):
    trainer = login_as(RoleName.TRAINER)
    page = english.get("/teaching/courses/new").get_data(as_text=True)
    assert 'name="code"' in page and "Competency areas" in page
    response = english.post("/teaching/courses/new", data=FORM | {"code": " se101 "})
    assert response.status_code == 302 and response.location.endswith(
        "/teaching/courses/SE101/lessons")
    course = db.session.scalar(select(Course).where(Course.code == "SE101"))
    assert course.status is CourseStatus.DRAFT and course.title == "数据安全与隐私保护"
    assert db.session.get(CourseOwner, (course.id, trainer.id)) is not None
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "authoring.course_created")) is not None
    listing = english.get("/teaching/courses").get_data(as_text=True)
    assert "SE101" in listing and "Draft" in listing and trainer.username in listing


@pytest.mark.parametrize(("changes", "message"), [
    ({"code": "SE1O1"}, "The code is 2–4 capital letters followed by 3 digits"),
    ({"code": "DA110"}, "There is already a course with the code DA110."),
    ({"hours": "0.3"}, "Hours must be more than 0 and at most 1000, in steps of 0.5"),
    ({"hours": "0"}, "Hours must be more than 0"),
    ({"hours": "四"}, "Hours must be more than 0"),
    ({"areas": []}, "Choose at least one area."),
    ({"title": ""}, "This field is required."),
    ({"prerequisites": ["DA210"]}, "These prerequisites would go round in a circle"),
])
def test_bad_course_input_is_explained_and_nothing_is_saved(english, tree, login_as, db,
                                                            changes, message):
    admin = login_as(RoleName.ADMIN)
    first = make_course("DA110")
    second = make_course("DA210", prerequisites=[first])
    add_course_owner(first, admin, actor=None)
    db.session.commit()
    if "prerequisites" in changes:  # make DA110 depend on DA210, which depends on DA110
        page = english.get("/teaching/courses/DA110/edit").get_data(as_text=True)
        data = FORM | changes | {"revision": _revision(page)}
        response = english.post("/teaching/courses/DA110/edit", data=data)
    else:
        response = english.post("/teaching/courses/new", data=FORM | changes)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and message in text, text
    db.session.expire_all()
    assert db.session.scalar(select(Course.id).where(Course.code == "SE101")) is None
    assert [c.code for c in db.session.get(Course, first.id).prerequisites] == []
    assert second.version == 1


def test_editing_saves_a_new_version_unless_someone_saved_meanwhile(app, english, tree,
                                                                   login_as, db):
    trainer = login_as(RoleName.TRAINER)
    course = _owned_course(db, trainer, status=CourseStatus.PUBLISHED)
    page = english.get("/teaching/courses/DA110/edit").get_data(as_text=True)
    assert "Preview as learner" in page and 'href="/courses/DA110"' in page
    opened = _revision(page)
    data = FORM | {"title": "甲的新标题", "revision": opened}
    response = english.post("/teaching/courses/DA110/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert course.title == "甲的新标题" and course.version == 2
    assert course.status is CourseStatus.PUBLISHED
    # A colleague who opened the form before that save is told so; nothing changes.
    stale = english.post("/teaching/courses/DA110/edit",
                         data=FORM | {"title": "乙的标题", "revision": opened})
    text = stale.get_data(as_text=True)
    assert stale.status_code == 200 and "This course changed since you opened it" in text
    assert 'value="乙的标题"' in text and "甲的新标题" in text  # theirs in the form, saved shown
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "甲的新标题"
    assert db.session.get(Course, course.id).version == 2
    # Saving again (on the revision the refusal gave) is a deliberate replacement.
    again = english.post("/teaching/courses/DA110/edit",
                         data=FORM | {"title": "乙的标题", "revision": _revision(text)})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "乙的标题"


def test_owners_are_managed_on_the_edit_page(english, tree, login_as, db):
    trainer = login_as(RoleName.TRAINER)
    _owned_course(db, trainer)
    colleague = make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="李教员",
                          username="T777777")
    make_user(unit=tree["city"], name="普通学员", username="C777777")
    db.session.commit()
    refused = english.post("/teaching/courses/DA110/owners", data={"owner-username": "C777777"},
                           follow_redirects=True).get_data(as_text=True)
    assert "普通学员 is not a trainer" in refused
    page = english.post("/teaching/courses/DA110/owners", data={"owner-username": "T777777"},
                        follow_redirects=True).get_data(as_text=True)
    assert "李教员 now owns this course too." in page and "T777777" in page
    english.post("/teaching/courses/DA110/owners/remove", data={"user_id": str(colleague.id)})
    last = english.post("/teaching/courses/DA110/owners/remove",
                        data={"user_id": str(trainer.id)}, follow_redirects=True)
    assert "A course keeps at least one owner" in last.get_data(as_text=True)
    owners = db.session.scalars(select(CourseOwner.user_id)).all()
    assert owners == [trainer.id]
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.startswith("authoring.course_owner"))).all()
    assert sorted(actions) == ["authoring.course_owner_added", "authoring.course_owner_removed"]


def test_publishing_is_refused_with_the_problems_listed_then_allowed(english, tree, login_as,
                                                                    db):
    trainer = login_as(RoleName.TRAINER)
    course = _owned_course(db, trainer, status=CourseStatus.DRAFT)
    question = make_question("DA110-Q01", course=course)
    make_quiz(course, [question], code="DA110/final")
    question.status = QuestionStatus.RETIRED
    db.session.commit()
    page = english.get("/teaching/courses/DA110/publish").get_data(as_text=True)
    assert 'id="publish-problems"' in page and "quizzes/final.yaml:8" in page
    assert "question DA110-Q01 is neither in DA110&#39;s questions.yaml" in page
    refused = english.post("/teaching/courses/DA110/publish").get_data(as_text=True)
    assert "Not published: fix the problems listed below first." in refused
    assert db.session.get(Course, course.id).status is CourseStatus.DRAFT

    question.status = QuestionStatus.ACTIVE
    db.session.commit()
    assert 'id="publish-ready"' in english.get("/teaching/courses/DA110/publish").get_data(
        as_text=True)
    done = english.post("/teaching/courses/DA110/publish", follow_redirects=True)
    assert "Published: cadres can now find DA110" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Course, course.id).status is CourseStatus.PUBLISHED
    english.post("/teaching/courses/DA110/archive")
    db.session.expire_all()
    assert db.session.get(Course, course.id).status is CourseStatus.ARCHIVED
    english.post("/teaching/courses/DA110/unpublish")
    db.session.expire_all()
    assert db.session.get(Course, course.id).status is CourseStatus.DRAFT
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"authoring.course_published", "authoring.course_archived",
            "authoring.course_unpublished"} <= actions


def test_the_export_is_a_zip_of_the_course_folder(client, tree, login_as, db):
    trainer = login_as(RoleName.TRAINER)
    _owned_course(db, trainer, lessons=2)
    response = client.get("/teaching/courses/DA110/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "DA110-v1.zip" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names == ["DA110/course.yaml", "DA110/lessons/01-lesson-1.md",
                     "DA110/lessons/02-lesson-2.md"]


def test_the_course_list_runs_a_bounded_number_of_queries(client, tree, login_as, db,
                                                          count_queries):
    trainer = login_as(RoleName.TRAINER)
    for number in range(2):
        _owned_course(db, trainer, code=f"DA{110 + number}")
    with count_queries(own_context=True) as few:
        assert client.get("/teaching/courses").status_code == 200
    for number in range(2, 12):
        _owned_course(db, trainer, code=f"DA{110 + number}")
    with count_queries(own_context=True) as many:
        page = client.get("/teaching/courses").get_data(as_text=True)
    assert "DA121" in page and many.count == few.count <= 10
