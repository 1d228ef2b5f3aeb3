"""One function per HR document, as the web pages, the CLI and the jobs call it."""

import pytest
from flask_babel import force_locale

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.services.core.errors import PermissionDenied
from app.services.records.pdfs import (
    build_cadre_record_pdf,
    build_unit_summary_pdf,
    open_batch_records,
)
from tests.factories import make_user
from tests.reports.pdfs import all_text, flat, read_pdf
from tests.services.test_hr_reports import NOW, YEAR, busy_cadre, catalogue


@pytest.fixture
def hr(tree):
    return make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"],
                     name="张静")


def test_a_cadre_record_pdf_is_built_and_drawn_in_scope_only(tree, hr):
    person = busy_cadre(tree["jiefangbei"], name="李明")
    outsider = make_user(unit=tree["jiangbei"], name="外人")
    with force_locale("zh"):
        pdf = build_cadre_record_pdf(person, actor=hr, year=YEAR, now=NOW, generated_by="张静")
        with pytest.raises(PermissionDenied):
            build_cadre_record_pdf(outsider, actor=hr, year=YEAR, now=NOW, generated_by="张静")
    text = flat(all_text(pdf))
    assert "李明" in text and person.username in text and "张静" in text


def test_a_unit_summary_pdf_names_the_unit_and_its_children(tree, hr):
    busy_cadre(tree["jiefangbei"], name="赵六")
    with force_locale("zh"):
        pdf = build_unit_summary_pdf(tree["yuzhong"], actor=hr, year=YEAR, now=NOW,
                                     generated_by="张静")
    text = flat(all_text(pdf))
    assert "渝中区" in text and "解放碑街道" in text and "张静" in text


def test_a_batch_is_counted_before_it_is_drawn(tree, hr):
    courses = catalogue()
    for name in ("学员1", "学员2"):
        busy_cadre(tree["jiefangbei"], name=name, courses=courses)
    db.session.commit()
    batch = open_batch_records(tree["yuzhong"], actor=hr, year=YEAR, now=NOW)
    seen = []
    with force_locale("zh"):
        pdf = batch.pdf(generated_by="张静", progress=lambda done, of: seen.append((done, of)))
    assert batch.cadres == 3  # the two, and the HR user in the subtree
    assert [item.title for item in read_pdf(pdf).outline] == [
        "张静（渝中区）", "学员1（解放碑街道）", "学员2（解放碑街道）"]
    assert seen[-1] == (6, 6)
