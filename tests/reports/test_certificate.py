from dataclasses import replace
from datetime import date

import pytest
from pypdf.generic import ContentStream
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.domain.certificate_seal import check_seal_image
from app.reports.certificate import (
    CertificateDocument,
    certificate_qr_drawing,
    certificate_qr_widget,
    render_certificate_pdf,
)
from app.reports.theme import register_cjk_font
from tests.factories import seal_image
from tests.reports.pdfs import all_text, flat, page_fonts, read_pdf

URL = "http://127.0.0.1:5000/verify/DCA-2026-000001?c=3F9A2C7D1B"
COURSE = CertificateDocument(
    serial="DCA-2026-000001", issuer="中共重庆市委党校 · 重庆市大数据应用发展管理局",
    holder_name="李明", unit_name="渝中区解放碑街道", title="数据思维与城市治理", kind="course",
    hours="4.0", score="92.5", level=None, issued_on=date(2026, 11, 27), verify_url=URL,
    code="ABCDEFGHJKMNPQRS",
)
TIER = replace(COURSE, serial="DCA-2026-000002", title="数字素养基础", kind="tier",
               hours="24.0", score=None, level="基础")


def text_of(document: CertificateDocument) -> str:
    return flat(all_text(render_certificate_pdf(document)))


def test_a_course_certificate_reads_as_one():
    text = text_of(COURSE)

    for expected in ["结业证书", "李明", "（渝中区解放碑街道）", "于2026年11月27日完成",
                     "《数据思维与城市治理》课程学习", "获得4.0学时", "考核成绩92.5分", "特发此证",
                     "证书编号：DCA-2026-000001", "核验码：ABCDEFGHJKMNPQRS", "扫码验证",
                     "中共重庆市委党校",
                     "重庆市大数据应用发展管理局"]:
        assert expected in text
    assert "已撤销" not in text


def test_a_course_without_a_score_leaves_the_score_out():
    text = text_of(replace(COURSE, score=None))
    assert "获得4.0学时，特发此证" in text and "考核成绩" not in text


def test_a_tier_certificate_names_the_stage():
    text = text_of(TIER)
    assert "完成数字素养基础阶段全部核心课程学习，获得24.0学时，特发此证" in text
    assert "《" not in text


def test_the_page_is_landscape_a4_and_the_font_is_embedded():
    pdf = render_certificate_pdf(COURSE)

    reader = read_pdf(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(landscape(A4), abs=0.01)
    assert any("/FontFile2" in font.get("/FontDescriptor", {}) for font in page_fonts(pdf))
    assert reader.metadata.title == "结业证书 DCA-2026-000001"


def test_the_qr_code_carries_the_verification_url():
    widget = certificate_qr_widget(COURSE)
    assert widget.value == URL

    drawing = certificate_qr_drawing(COURSE, size=90)
    printed = [shape for shape in drawing.contents if isinstance(shape, QrCodeWidget)]
    assert [shape.value for shape in printed] == [URL]
    assert (drawing.width, drawing.height) == (90, 90)


def test_a_revoked_certificate_is_stamped():
    assert "已撤销" in text_of(replace(COURSE, revoked=True))


def test_markup_in_names_shows_as_text():
    document = replace(COURSE, holder_name="<b>张三</b> & 李四", unit_name="<i>渝中区</i>",
                       title='<font size="60">标题</font>')

    text = text_of(document)

    assert "<b>张三</b>&李四" in text
    assert "（<i>渝中区</i>）" in text
    assert '《<fontsize="60">标题</font>》' in text


def test_emoji_in_a_name_do_not_break_the_certificate():
    text = text_of(replace(COURSE, holder_name="张三😀", issuer="党校🎓"))
    assert "张三□" in text and "党校□" in text


def test_a_200_character_name_wraps_and_the_sentence_stays_whole():
    name = "欧阳" * 95 + "abcdefghij"
    text = text_of(replace(COURSE, holder_name=name))

    assert name in text
    assert "特发此证" in text and "证书编号：DCA-2026-000001" in text


def test_a_long_title_and_unit_still_fit():
    document = replace(COURSE, unit_name="重庆市渝中区解放碑街道办事处" * 6,
                       title="面向基层治理的城市运行数据分析与可视化实务" * 4)
    text = text_of(document)
    assert document.title in text and "特发此证" in text


def _text_at(pdf: bytes, wanted: str) -> tuple[float, float]:
    """Where the text ``wanted`` starts on the page, in points."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip() == wanted:
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
                          tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    read_pdf(pdf).pages[0].extract_text(visitor_text=visit)
    return found[0]


def _image_box(pdf: bytes) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the one image drawn on the page."""
    page = read_pdf(pdf).pages[0]
    matrix = None
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"cm":
            matrix = [float(value) for value in operands]
        if operator == b"Do" and "/Image" in str(
                page["/Resources"]["/XObject"][operands[0]].get_object().get("/Subtype")):
            width, _b, _c, height, left, bottom = matrix
            return left, bottom, left + width, bottom + height
    raise AssertionError("no image drawn")


def test_finding_19_the_seal_is_stamped_over_the_issuer_with_the_date_under_its_lower_half():
    pdf = render_certificate_pdf(replace(COURSE, seal=check_seal_image(seal_image()).png))
    left, bottom, right, top = _image_box(pdf)
    assert round(right - left) == round(top - bottom) == 120  # 42 mm, an official seal's size
    issuer, date = "重庆市大数据应用发展管理局", "2026年11月27日"
    (issuer_x, issuer_y), (date_x, date_y) = _text_at(pdf, issuer), _text_at(pdf, date)
    font = register_cjk_font().name
    issuer_end = issuer_x + stringWidth(issuer, font, 15)
    date_end = date_x + stringWidth(date, font, 14)
    assert issuer_x < left < right < issuer_end  # over the middle of the issuer's line
    assert abs((left + right) / 2 - (issuer_x + issuer_end) / 2) < 1
    assert bottom < date_y < (bottom + top) / 2 < issuer_y < top  # the date in its lower half
    assert left < date_x < date_end < right
    assert "中共重庆市委党校" in text_of(COURSE)  # the text stays (the seal is drawn over it)


def test_finding_19_without_a_seal_the_certificate_draws_no_image():
    page = read_pdf(render_certificate_pdf(COURSE)).pages[0]
    assert "/XObject" not in page["/Resources"] or not any(
        item.get_object().get("/Subtype") == "/Image"
        for item in page["/Resources"]["/XObject"].values())
