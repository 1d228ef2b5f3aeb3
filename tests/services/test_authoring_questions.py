"""The question bank on the web: write, edit, duplicate, retire, restore, import all or none,
and the uploads kept between a preview and its confirmation."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.gift import GiftDefaults
from app.domain.vocabulary import QuestionStatus, RoleName
from app.extensions import db
from app.models import Course, PendingUpload, Question
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.question_uploads import (
    UploadGone,
    discard_upload,
    load_upload,
    purge_old_uploads,
    store_upload,
)
from app.services.curriculum.authoring.questions import (
    BankFilters,
    BankImport,
    ImportRefused,
    PlannedQuestion,
    QuestionChanged,
    QuestionInvalid,
    RetireRefused,
    apply_bank_import,
    create_question,
    duplicate_question,
    import_gift,
    list_bank,
    plan_bank_import,
    preview_gift_import,
    restore_question,
    retire_question,
    update_question,
)
from app.services.curriculum.course_files.exporting import export_course
from app.services.curriculum.course_files.importing import import_courses
from tests.course_trees import copy_question_fixtures
from tests.factories import audit_events, make_course, make_question, make_quiz, make_user

SINGLE = {"type": "single", "area": "data", "difficulty": "1", "points": "2",
          "prompt": "环比增长率是多少？", "options": ["20%", "25%"], "answer": "B"}


@pytest.fixture
def owner(tree):
    return make_user(unit=tree["jiefangbei"], roles=[RoleName.TRAINER], name="教员")


@pytest.fixture
def course(owner):
    course = make_course("DA110")
    add_course_owner(course, owner, actor=None)
    return course


@pytest.fixture
def imported(tmp_path, owner):
    """QZ101 imported from its files (a question of each type, a fixed list and a draw)."""
    import_courses(copy_question_fixtures(tmp_path / "courses"), actor=None)
    course = db.session.scalar(select(Course).where(Course.code == "QZ101"))
    add_course_owner(course, owner, actor=None)
    db.session.commit()
    return course


def _question(key):
    return db.session.scalar(select(Question).where(Question.key == key))


def _events(action):
    return audit_events(action)


def test_a_new_question_gets_the_next_key_and_its_hash(course, owner):
    question = create_question(course, SINGLE, actor=owner)
    assert (question.key, question.version, question.status) == (
        "DA110-Q01", 1, QuestionStatus.ACTIVE)
    assert question.spec == {"options": ["20%", "25%"], "answer": 1}
    assert len(question.content_hash) == 64
    assert create_question(course, SINGLE, actor=owner).key == "DA110-Q02"
    assert [event.target for event in _events("authoring.question_created")] == [
        "question:DA110-Q01", "question:DA110-Q02"]


def test_keys_are_never_reused_retired_ones_included(course, owner):
    make_question("DA110-Q07", course=course)
    retired = make_question("DA110-Q12", course=course)
    retired.status = QuestionStatus.RETIRED
    make_question("DA110-X99", course=course)  # not a Qnn key: not counted
    assert create_question(course, SINGLE, actor=owner).key == "DA110-Q13"


def test_an_invalid_question_is_refused_with_issues_and_nothing_saved(course, owner):
    with pytest.raises(QuestionInvalid) as refused:
        create_question(course, {**SINGLE, "answer": "D", "points": "0.3"}, actor=owner)
    assert [(issue.field, issue.code) for issue in refused.value.issues] == [
        ("points", "points_range"), ("answer", "answer_beyond")]
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_only_owners_and_admins_write(course, tree):
    stranger = make_user(unit=tree["jiefangbei"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        create_question(course, SINGLE, actor=stranger)
    admin = make_user(unit=tree["jiefangbei"], roles=[RoleName.ADMIN])
    assert create_question(course, SINGLE, actor=admin).key == "DA110-Q01"


def test_an_edit_bumps_version_and_hash_and_the_course_version(imported, owner):
    question = _question("QZ101-Q01")
    before = (question.version, question.content_hash, imported.version, imported.content_hash)
    document = {**SINGLE, "prompt": "改过的题干", "options": ["20%", "25%", "30%"]}
    assert update_question(question, document, version=question.version, actor=owner)
    assert question.version == before[0] + 1 and question.content_hash != before[1]
    assert question.prompt == "改过的题干" and question.type == "single"
    assert imported.version == before[2] + 1 and imported.content_hash != before[3]
    # The same content again changes nothing.
    assert not update_question(question, document, version=question.version, actor=owner)
    assert question.version == before[0] + 1


def test_an_edit_opened_at_an_older_version_is_refused(imported, owner):
    question = _question("QZ101-Q01")
    with pytest.raises(QuestionChanged):
        update_question(question, SINGLE, version=question.version - 1 or 99, actor=owner)


def test_web_edits_and_files_stay_in_step(imported, owner, tmp_path):
    """Export after a web edit, import the export: nothing to change."""
    update_question(_question("QZ101-Q04"), {
        "area": "data", "difficulty": 1, "points": "1.5", "prompt": "新的填空题",
        "answers": ["1361", "一三六一"]}, version=None, actor=owner)
    db.session.commit()
    export_course(imported, tmp_path / "out")
    report = import_courses(tmp_path / "out", actor=None)
    assert report.unchanged == ["QZ101"] and report.updated == []


def test_duplicate_is_a_new_active_copy(imported, owner):
    copy = duplicate_question(_question("QZ101-Q02"), actor=owner)
    original = _question("QZ101-Q02")
    assert copy.key == "QZ101-Q09" and copy.version == 1
    assert (copy.spec, copy.prompt, copy.content_hash != original.content_hash) == (
        original.spec, original.prompt, True)
    assert _events("authoring.question_duplicated")[0].details["from"] == "QZ101-Q02"


def test_a_question_in_a_fixed_list_cannot_be_retired(imported, owner):
    with pytest.raises(RetireRefused) as refused:
        retire_question(_question("QZ101-Q03"), actor=owner)
    assert (refused.value.reason, refused.value.quiz.code) == ("fixed_list", "QZ101/final")
    assert _question("QZ101-Q03").status is QuestionStatus.ACTIVE


def test_a_draw_rule_may_not_fall_short(imported, owner):
    retire_question(_question("QZ101-Q06"), actor=owner)  # 2 security questions left
    with pytest.raises(RetireRefused) as refused:
        retire_question(_question("QZ101-Q07"), actor=owner)
    assert refused.value.reason == "draw" and refused.value.params == {"count": 2, "left": 1}


def test_retire_and_restore(imported, owner):
    version = imported.version
    question = _question("QZ101-Q08")
    retire_question(question, actor=owner)
    assert question.status is QuestionStatus.RETIRED and imported.version == version + 1
    restore_question(question, actor=owner)
    assert question.status is QuestionStatus.ACTIVE and imported.version == version + 2
    assert len(_events("authoring.question_retired")) == 1
    assert len(_events("authoring.question_restored")) == 1


def test_the_bank_list_filters_and_pages(course, owner):
    for number in range(1, 13):
        make_question(f"DA110-Q{number:02d}", course=course, difficulty=1 + number % 3,
                      prompt=f"第{number}题 数据")
    _question("DA110-Q05").status = QuestionStatus.RETIRED
    page = list_bank(course, BankFilters(), page=1, per_page=5, actor=owner)
    assert (page.total, [q.key for q in page.items]) == (
        12, ["DA110-Q01", "DA110-Q02", "DA110-Q03", "DA110-Q04", "DA110-Q05"])
    assert list_bank(course, BankFilters(text="第1"), page=1, per_page=50,
                     actor=owner).total == 4  # 1, 10, 11, 12
    assert list_bank(course, BankFilters(status=QuestionStatus.RETIRED, difficulty=3),
                     page=1, per_page=50, actor=owner).total == 1
    assert list_bank(course, BankFilters(type="essay"), page=1, per_page=50,
                     actor=owner).total == 0


def _planned(*documents):
    from app.domain.question_sheets import check_question

    return BankImport(planned=[PlannedQuestion(place, check_question(document)[0])
                               for place, document in enumerate(documents, start=2)])


def test_a_bulk_import_creates_updates_and_restores(imported, owner):
    retired = _question("QZ101-Q08")
    retired.status = QuestionStatus.RETIRED
    q01 = _question("QZ101-Q01")
    unchanged = {"id": "QZ101-Q01", "type": "single", "area": q01.area.value,
                 "difficulty": q01.difficulty, "points": str(q01.points), "prompt": q01.prompt,
                 "explanation": q01.explanation, "options": q01.spec["options"],
                 "answer": "B"}
    plan = plan_bank_import(imported, _planned(
        SINGLE, {**SINGLE, "id": "QZ101-Q30"}, unchanged, {**unchanged, "prompt": "新题干"},
        {"id": "QZ101-Q08", "type": "essay", "area": "data", "difficulty": 1, "points": 5,
         "prompt": "论述", "rubric": "要点"}))
    assert [item.action for item in plan.planned] == [
        "new", "new", "unchanged", "updated", "updated"]
    counts = apply_bank_import(imported, plan, source="excel", actor=owner)
    assert counts == {"created": 2, "updated": 2, "unchanged": 1}
    assert _question("QZ101-Q31").prompt == SINGLE["prompt"]  # after every key, given ones too
    assert _question("QZ101-Q30") is not None
    assert (_question("QZ101-Q01").prompt, _question("QZ101-Q01").version) == ("新题干", 2)
    assert _question("QZ101-Q08").status is QuestionStatus.ACTIVE
    assert _events("authoring.questions_imported")[0].details == {"source": "excel", **counts}


def test_a_key_of_another_bank_stops_the_whole_import(imported, owner):
    other = make_course("GV210")
    make_question("GV210-Q01", course=other)
    bank_import = _planned(SINGLE, {**SINGLE, "id": "GV210-Q01"})
    plan = plan_bank_import(imported, bank_import, key_column=("题号", "A"))
    assert [(p.place, p.column, p.letter, p.issue.code) for p in plan.problems] == [
        (3, "题号", "A", "key_elsewhere")]
    before = db.session.scalar(select(func.count()).select_from(Question))
    with pytest.raises(ImportRefused):
        from app.services.curriculum.authoring.questions import import_planned

        import_planned(imported, plan, source="excel", actor=owner)
    assert db.session.scalar(select(func.count()).select_from(Question)) == before


def test_gift_import_all_or_none(course, owner):
    defaults = GiftDefaults(area="security", difficulty="1", points="2")
    with pytest.raises(ImportRefused) as refused:
        import_gift(course, "好题 {T}\n\n坏题 {=a ~b} 后文", defaults, actor=owner)
    assert [(p.place, p.issue.code) for p in refused.value.bank_import.problems] == [
        (3, "gift_missing_word")]
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    counts = import_gift(course, "好题 {T}\n\n另一题 {=北京}", defaults, actor=owner)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    question = _question("DA110-Q02")
    assert (question.type, question.points, question.area.value) == (
        "fill", Decimal("2.00"), "security")


def test_gift_defaults_are_checked_once(course, owner):
    preview = preview_gift_import(course, "题 {T}\n\n题二 {F}",
                                  GiftDefaults(area="data", difficulty="1", points="abc"),
                                  actor=owner)
    assert [(p.place, p.issue.field, p.issue.code) for p in preview.problems] == [
        (0, "points", "points_range")]
    empty = preview_gift_import(course, "// 只有注释\n",
                                GiftDefaults(area="data", difficulty="1", points="1"),
                                actor=owner)
    assert [p.issue.code for p in empty.problems] == ["gift_empty"]


def _pending_tokens() -> list[str]:
    return sorted(db.session.scalars(select(PendingUpload.token)))


def test_an_upload_waits_for_its_own_user_and_course(course, owner, tree):
    token = store_upload(b"data", kind="xlsx", course=course, actor=owner)
    assert load_upload(token, kind="xlsx", course=course, actor=owner) == b"data"
    stranger = make_user(unit=tree["jiefangbei"], roles=[RoleName.TRAINER])
    other_course = make_course("GV210")
    for kwargs in ({"actor": stranger, "course": course, "kind": "xlsx"},
                   {"actor": owner, "course": other_course, "kind": "xlsx"},
                   {"actor": owner, "course": course, "kind": "txt"}):
        with pytest.raises(UploadGone):
            load_upload(token, **kwargs)
    for bad in ("../../etc/passwd", "", "x" * 500):
        with pytest.raises(UploadGone):
            load_upload(bad, kind="xlsx", course=course, actor=owner)
    discard_upload(token)
    with pytest.raises(UploadGone):
        load_upload(token, kind="xlsx", course=course, actor=owner)
    assert _pending_tokens() == []


def test_uploads_expire_after_a_day(course, owner):
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    old = store_upload(b"old", kind="txt", course=course, actor=owner, now=start)
    with pytest.raises(UploadGone):
        load_upload(old, kind="txt", course=course, actor=owner,
                    now=start + timedelta(days=1, seconds=1))
    fresh = store_upload(b"new", kind="txt", course=course, actor=owner,
                         now=start + timedelta(days=1, seconds=1))
    assert _pending_tokens() == [fresh]  # storing purged the old one
    assert purge_old_uploads(now=start + timedelta(days=3)) == 1
    assert _pending_tokens() == []


def test_quiz_fixture_helpers_still_work_with_retired_questions(course, owner):
    question = make_question("DA110-Q01", course=course)
    make_quiz(course, [question])
    with pytest.raises(RetireRefused):
        retire_question(question, actor=owner)


def test_editing_a_retired_question_keeps_it_retired(imported, owner):
    question = _question("QZ101-Q08")
    retire_question(question, actor=owner)
    assert update_question(question, {"area": "data", "difficulty": 3, "points": 10,
                                      "prompt": "改过的简答题", "rubric": "新要点"},
                           version=question.version, actor=owner)
    assert question.status is QuestionStatus.RETIRED and question.spec == {"rubric": "新要点"}
