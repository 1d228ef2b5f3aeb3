from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale, gettext

from app.domain.competency import ProficiencyLevel
from app.domain.record_lines import CompletedCourse, HourLine, QuizLine
from app.domain.vocabulary import CompetencyArea, CreditKind, QuizKind, Rank, WorkCategory
from app.extensions import db
from app.reports.batch import render_batch_pdf
from app.reports.cadre_record import AreaLine, CadreRecord, render_cadre_record_pdf
from app.services.records.documents import build_cadre_record
from app.services.records.unit_records import unit_records
from tests.factories import make_user
from tests.reports.pdfs import all_text, flat, page_texts, read_pdf, space_left_mm
from tests.services.test_hr_reports import NOW, YEAR, busy_cadre, catalogue

AT = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)  # 18:30 in Chongqing
#: A filled page ends no higher than the room a heading needs above the frame's foot (a
#: heading with less room below it starts the next page), plus a table row.
FILLED_MM = 45


def zh(message: str, **values) -> str:
    """What the document prints for a message (the catalogue's Chinese once merged)."""
    with force_locale("zh"):
        return gettext(message, **values)


@pytest.fixture
def admin(tree):
    from app.domain.vocabulary import RoleName

    return make_user(unit=tree["city"], roles=[RoleName.ADMIN], name="周立新")


def test_a_record_prints_identity_figures_and_every_section(tree, admin):
    person = busy_cadre(tree["jiefangbei"], name="李<明>&")
    record = build_cadre_record(person, actor=admin, year=YEAR, now=NOW)
    with force_locale("zh"):
        pdf = render_cadre_record_pdf(record, generated_by="周立新", generated_at=AT)
    pages = page_texts(pdf)
    text = flat("\n".join(pages))
    assert "李<明>&" in text and "解放碑街道" in text and person.username in text
    assert "5.0" in text or "5" in text
    for figure in ("DA110", "92.50%", "GV210", "50.00%", f"DCA-{YEAR}-000001", "41.75",
                   "答案<无误>"):
        assert figure in text, figure
    assert flat(zh("No learning recorded in this year.")) not in text
    assert f"第1页/共{len(pages)}页" in flat(pages[0])
    assert "内部资料" in text and "2026-11-2718:30" in text and "周立新" in text


def test_a_cadre_without_activity_gets_a_clean_document(tree, admin):
    person = make_user(unit=tree["chaotianmen"], name="王五")
    record = build_cadre_record(person, actor=admin, year=YEAR, now=NOW)
    with force_locale("zh"):
        pdf = render_cadre_record_pdf(record, generated_by="周立新", generated_at=AT)
    text = flat(all_text(pdf))
    for message in ("No learning recorded in this year.", "No hours credited in this year.",
                    "No certificate issued yet.", "Not appraised for this year yet."):
        assert flat(zh(message)) in text, message
    assert "王五" in text and "第1页/共1页" in text


def test_a_batch_has_one_bookmark_per_cadre_on_its_first_page(tree, admin):
    courses = catalogue()
    names = ["学员1<甲>", "学员2", "学员3"]
    for name in names:
        busy_cadre(tree["jiefangbei"], name=name, courses=courses)
    make_user(unit=tree["chaotianmen"], name="丁四")
    db.session.commit()
    total, records = unit_records(tree["yuzhong"], actor=admin, year=YEAR, now=NOW)
    seen = []
    with force_locale("zh"):
        pdf = render_batch_pdf(records, total=total, unit_name="渝中区", year=YEAR,
                               generated_by="周立新", generated_at=AT,
                               progress=lambda done, of: seen.append((done, of)))
    reader = read_pdf(pdf)
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in outline] == [
        "学员1<甲>（解放碑街道）", "学员2（解放碑街道）", "学员3（解放碑街道）",
        "丁四（朝天门街道）"]
    pages = page_texts(pdf)
    for title, page in outline:
        assert title.split("（")[0] in pages[page]  # the bookmark opens the cadre's first page
    assert [page for _, page in outline] == sorted({page for _, page in outline})
    assert f"第{len(pages)}页/共{len(pages)}页" in flat(pages[-1])
    assert seen[-1] == (8, 8)


def test_a_batch_of_an_empty_unit_says_so(tree, admin):
    total, records = unit_records(tree["guanyinqiao"], actor=admin, year=YEAR, now=NOW)
    with force_locale("zh"):
        pdf = render_batch_pdf(records, total=total, unit_name="观音桥街道", year=YEAR,
                               generated_by="周立新", generated_at=AT)
    assert total == 0
    assert flat(zh("This unit has no active cadres.")) in flat(all_text(pdf))
    assert read_pdf(pdf).outline == []


def long_record(courses: int) -> CadreRecord:
    """A record with ``courses`` rows in each of its hours, courses and quizzes tables."""
    quizzes = [QuizLine(n, f"课程{n:02d} 测验", QuizKind.COURSE, f"C{n:03d}", True,
                        Decimal("90.00"), True, 1) for n in range(courses)]
    return CadreRecord(
        user_id=1, username="T000001", name="李明", unit_name="解放碑街道",
        unit_code="500103001", rank=Rank.STAFF, category=WorkCategory.ADMINISTRATION,
        year=2026, target=Decimal(50), required_hours=Decimal(2 * courses),
        elective_hours=Decimal(0), percent=min(100, 4 * courses),
        hours=[HourLine(f"C{n:03d}", f"课程{n:02d}", CreditKind.REQUIRED, Decimal(2), AT)
               for n in range(courses)],
        completed=[CompletedCourse(f"C{n:03d}", f"课程{n:02d}", Decimal(2), AT, [quiz])
                   for n, quiz in enumerate(quizzes)],
        quizzes=quizzes, exercises=[],
        areas=[AreaLine(area, 80.0, 6, ProficiencyLevel.INTERMEDIATE)
               for area in CompetencyArea],
        weakest=CompetencyArea.DATA, appraisal=None, certificates=[], appeals=[])


def test_finding_19_cadre_record_first_page_is_filled(tree, admin):
    """The demo's busy cadre: the competency section (radar and table, kept together) went
    to page 2 whole and left 11 cm of page 1 empty."""
    person = busy_cadre(tree["jiefangbei"], name="李明")
    record = build_cadre_record(person, actor=admin, year=YEAR, now=NOW)
    with force_locale("zh"):
        pdf = render_cadre_record_pdf(record, generated_by="周立新", generated_at=AT)
    first = flat(page_texts(pdf)[0])
    assert flat(zh("Competency profile")) in first and "数据素养与决策" in first
    assert flat(zh("Hours credited by source")) in first and "DA110课程DA110必修" in first
    assert space_left_mm(pdf)[0] <= FILLED_MM


@pytest.mark.parametrize("courses", [3, 14, 40])
def test_finding_19_long_tables_split_and_fill_every_page_but_the_last(app, courses):
    """A heading kept with its whole table (keepWithNext) took a 40-row table to the next
    page and left up to 22 cm empty; tables now start under their heading and split, and
    each part on a new page repeats the header row."""
    with force_locale("zh"):
        pdf = render_cadre_record_pdf(long_record(courses), generated_by="周立新",
                                      generated_at=AT)
    pages = page_texts(pdf)
    assert all(left <= FILLED_MM for left in space_left_mm(pdf)[:-1]), space_left_mm(pdf)
    assert "C000课程00" in flat(pages[0])  # the hours table starts on page 1
    for page in pages[1:]:
        body = flat(page).split("年度", 1)[1]  # after the running header
        assert not body.startswith("C0"), body[:40]  # a table going on repeats its header
