from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import CommendationEntry, CommendationList
from app.reports.unit_summary import render_unit_summary_pdf
from app.services.records.documents import build_unit_summary
from tests.factories import make_unit, make_user
from tests.reports.pdfs import all_text, flat, page_texts
from tests.reports.test_cadre_record import AT, zh
from tests.services.test_hr_reports import NOW, YEAR, busy_cadre, catalogue


@pytest.fixture
def hr(tree):
    return make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"],
                     name="张静")


def _pdf(summary):
    with force_locale("zh"):
        return render_unit_summary_pdf(summary, generated_by="张静", generated_at=AT)


def test_summary_has_figures_units_compliance_and_commendation(tree, hr):
    courses = catalogue()
    star = busy_cadre(tree["jiefangbei"], name="王<五>", courses=courses)
    busy_cadre(tree["chaotianmen"], name="赵六", courses=courses)
    listing = CommendationList(year=YEAR, org_unit_id=tree["yuzhong"].id, proposed_at=NOW)
    listing.entries = [
        CommendationEntry(position=0, kind="person", user_id=star.id, index=Decimal("95.5")),
        CommendationEntry(position=1, kind="team", team_unit_id=tree["jiefangbei"].id,
                          index=Decimal("88"), completion=Decimal("75.00")),
        CommendationEntry(position=2, kind="person", user_id=hr.id, index=Decimal(90),
                          removed_reason="调离"),
    ]
    db.session.add(listing)
    db.session.commit()

    summary = build_unit_summary(tree["yuzhong"], actor=hr, year=YEAR, now=NOW)
    assert summary.dashboard.tiles.cadres == 3
    assert [line.name for line in summary.commendation.lines] == ["王<五>", "解放碑街道"]
    pdf = _pdf(summary)
    pages = page_texts(pdf)
    text = flat("\n".join(pages))
    for expected in ("渝中区", "解放碑街道", "朝天门街道", "王<五>", "赵六", star.username,
                     "95.5", "75.00%"):
        assert expected in text, expected
    assert "调离" not in text and f"第1页/共{len(pages)}页" in flat(pages[0])
    assert flat(zh("Proposed, not confirmed yet")) in text
    # the compliance list gives each cadre's year by kind and the five years
    assert flat(zh("By kind")) in text and "在线" in text and "面授" in text


def test_long_compliance_list_is_split_with_its_header_repeated(tree, hr):
    street = tree["jiefangbei"]
    for i in range(120):
        make_user(unit=street, name=f"学员{i:03d}", username=f"C{i:05d}")
    db.session.commit()
    summary = build_unit_summary(tree["yuzhong"], actor=hr, year=YEAR, now=NOW)
    assert len(summary.compliance.rows) == 121  # everyone is behind on hours (hr too)
    pages = page_texts(_pdf(summary))
    header = flat(zh("Overdue since"))
    with_rows = [page for page in pages if "C00" in page]
    assert len(with_rows) >= 3 and all(header in flat(page) for page in with_rows)
    assert "学员119" in flat(pages[-1]) or any("学员119" in flat(p) for p in pages)
    assert f"第{len(pages)}页/共{len(pages)}页" in flat(pages[-1])


def test_a_unit_without_cadres_says_so(tree, hr):
    empty = make_unit("500103099", "空<街道>", parent=tree["yuzhong"])
    summary = build_unit_summary(empty, actor=hr, year=YEAR, now=NOW)
    text = flat(all_text(_pdf(summary)))
    assert "空<街道>" in text and flat(zh("This unit has no active cadres.")) in text
    assert flat(zh("Nobody is behind.")) in text
    assert flat(zh("No commendation list for this year yet.")) in text


def test_a_year_without_data_says_so(tree, hr):
    make_user(unit=tree["jiefangbei"], name="新人")
    summary = build_unit_summary(tree["yuzhong"], actor=hr, year=YEAR - 3, now=NOW)
    text = flat(all_text(_pdf(summary)))
    assert flat(zh("No learning recorded in this year.")) in text
