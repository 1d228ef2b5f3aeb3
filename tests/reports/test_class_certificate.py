from dataclasses import replace
from datetime import date

from app.reports.certificate import chinese_date_range, render_certificate_pdf
from tests.reports.pdfs import all_text, flat
from tests.reports.test_certificate import COURSE

CLASS = replace(COURSE, serial="DCA-2026-000003", title="数字政府建设专题培训班", kind="class",
                hours="16.00", score=None, organizer="中共重庆市委党校",
                starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 6))


def test_a_class_certificate_names_the_class_its_organizer_dates_and_hours():
    text = flat(all_text(render_certificate_pdf(CLASS)))
    for expected in ["结业证书", "李明", "（渝中区解放碑街道）", "于2026年11月2日至6日",
                     "参加中共重庆市委党校举办的《数字政府建设专题培训班》学习",
                     "完成规定学习任务，获得16.00学时，准予结业，特发此证。",
                     "证书编号：DCA-2026-000003", "扫码验证"]:
        assert expected in text, expected
    assert "课程学习" not in text and "考核成绩" not in text


def test_class_dates_read_as_chinese_ranges():
    assert chinese_date_range(date(2026, 11, 2), date(2026, 11, 2)) == "2026年11月2日"
    assert chinese_date_range(date(2026, 11, 30), date(2026, 12, 2)) == "2026年11月30日至12月2日"
    assert chinese_date_range(date(2026, 12, 30), date(2027, 1, 2)) \
        == "2026年12月30日至2027年1月2日"
