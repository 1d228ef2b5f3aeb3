"""The 视频学习 section of the printed training record (issue 19)."""

from flask_babel import force_locale

from app.domain.learning import CITY_TIMEZONE
from app.models.types import utcnow
from app.reports.batch import render_batch_pdf
from app.reports.cadre_record import render_cadre_record_pdf
from app.services.records.documents import build_cadre_record
from app.services.records.unit_records import unit_records
from tests.reports.pdfs import all_text, flat
from tests.reports.test_cadre_record import AT, zh
from tests.video_data import AT as WATCHED_AT
from tests.video_data import YEAR, video_people, watch_course


def _pdf(record) -> str:
    with force_locale("zh"):
        return flat(all_text(render_cadre_record_pdf(record, generated_by="周立新",
                                                     generated_at=AT)))


def test_the_record_prints_each_video_with_minutes_share_and_completion(tree):
    people = video_people(tree)
    watch_course(people)
    record = build_cadre_record(people["jb1"], actor=people["admin"], year=YEAR, now=utcnow())
    text = _pdf(record)
    assert flat(zh("Video learning")) in text
    # Both videos complete: 100 s (1.7 minutes) and 200 s (3.3 minutes), watched whole.
    completed_on = WATCHED_AT.astimezone(CITY_TIMEZONE).date()
    assert f"VE101课程VE1011.第1课1.71.7100%{completed_on}" in text
    assert f"VE101课程VE1012.第2课3.33.3100%{completed_on}" in text


def test_a_video_not_completed_says_so_and_a_cadre_without_videos_has_no_section(tree):
    people = video_people(tree)
    watch_course(people)
    partial = build_cadre_record(people["yz3"], actor=people["hr_yuzhong"], year=YEAR,
                                 now=utcnow())
    text = _pdf(partial)
    assert "1.第1课1.70.740%" + flat(zh("Not yet")) in text
    assert partial.has_activity  # watching a video is learning, though no hours yet
    assert flat(zh("No learning recorded in this year.")) not in text
    nothing = build_cadre_record(people["cadre"], actor=people["admin"], year=YEAR,
                                 now=utcnow())
    assert flat(zh("Video learning")) not in _pdf(nothing)


def test_the_unit_batch_prints_the_videos_too(tree):
    people = video_people(tree)
    watch_course(people)
    total, records = unit_records(tree["yuzhong"], actor=people["admin"], year=YEAR,
                                  now=utcnow())
    records = list(records)
    with force_locale("zh"):
        pdf = render_batch_pdf(iter(records), total=total, unit_name="渝中区", year=YEAR,
                               generated_by="周立新", generated_at=AT)
    text = flat(all_text(pdf))
    assert text.count(flat(zh("Video learning"))) == 3  # 渝中甲, 渝中乙, 渝中丙
    assert "1.第1课1.70.850%" in text
