import logging
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import PageBreak, Paragraph, Table

from app.reports import theme
from app.reports.theme import (
    build_document,
    drawable_text,
    escape_markup,
    fit_text,
    paragraph_styles,
    register_cjk_font,
    split_table,
)
from tests.reports.pdfs import all_text, flat, page_fonts, page_texts, read_pdf

WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
if os.environ.get("REQUIRE_CJK_FONT") and not Path(WQY).is_file():  # CI installs the font
    raise RuntimeError("REQUIRE_CJK_FONT is set but fonts-wqy-zenhei is not installed")
needs_wqy = pytest.mark.skipif(not Path(WQY).is_file(), reason="fonts-wqy-zenhei not installed")
FRAME = dict(title="渝中区年度培训汇总", unit="渝中区", year=2026, generated_by="刘红梅",
             generated_at=datetime(2026, 11, 27, 18, 30))


@pytest.fixture(autouse=True)
def _fresh_font_cache():
    """register_cjk_font is cached; tests that change the search must not leak their choice."""
    register_cjk_font.cache_clear()
    yield
    register_cjk_font.cache_clear()


def small_document(font, *paragraphs):
    styles = paragraph_styles(font)
    story = [Paragraph(escape_markup(text, font), styles.body) for text in paragraphs]
    return build_document(story, font=font, **FRAME)


@needs_wqy
def test_the_installed_truetype_font_is_found_and_embedded():
    font = register_cjk_font()
    assert font.path == WQY and font.embedded
    face_name = pdfmetrics.getFont(font.name).face.name.decode()

    pdf = small_document(font, "数字素养")

    embedded = [f for f in page_fonts(pdf) if "/FontFile2" in f.get("/FontDescriptor", {})]
    assert embedded, "the TrueType font program is embedded"
    subset_name = re.compile(rf"^/[A-Z]{{6}}\+{face_name}-\d+$")  # AAAAAA+WenQuanYiZenHei-0
    assert all(subset_name.match(str(f["/BaseFont"])) for f in embedded)
    assert "数字素养" in all_text(pdf)


@needs_wqy
def test_a_configured_font_is_used_first(tmp_path):
    if not Path(DEJAVU).is_file():
        pytest.skip("fonts-dejavu-core not installed")
    font = register_cjk_font(DEJAVU)
    assert (font.name, font.path, font.embedded) == ("CJK-DejaVuSans", DEJAVU, True)
    # DejaVu has Latin but no Chinese: characters it lacks become □ rather than garbage.
    assert drawable_text("Zhang 张", font) == "Zhang □"


@needs_wqy
def test_a_configured_font_reportlab_cannot_read_warns_and_falls_back(tmp_path, caplog):
    broken = tmp_path / "NotoSansCJK-Regular.ttc"
    broken.write_bytes(b"OTTO" + b"\0" * 200)  # CFF outlines, or simply not a font

    with caplog.at_level(logging.WARNING, logger="app.reports.theme"):
        font = register_cjk_font(str(broken))

    assert font.path == WQY
    assert str(broken) in caplog.text


def test_without_any_truetype_font_stsong_light_is_used_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(theme, "SEARCH_PATHS", ())

    with caplog.at_level(logging.WARNING, logger="app.reports.theme"):
        font = register_cjk_font("/nonexistent/font.ttf")

    assert (font.name, font.embedded, font.path) == ("STSong-Light", False, None)
    assert "/nonexistent/font.ttf" in caplog.text
    assert "apt-get install fonts-wqy-zenhei" in caplog.text
    pdf = small_document(font, "干部数字学院 张三😀")
    assert not any("/FontFile2" in f.get("/FontDescriptor", {}) for f in page_fonts(pdf))
    assert "干部数字学院" in all_text(pdf)


def test_markup_in_user_text_shows_as_text():
    font = register_cjk_font()
    assert escape_markup("<b>张三</b> & 李四", font) == "&lt;b&gt;张三&lt;/b&gt; &amp; 李四"

    pdf = small_document(font, "<b>张三</b> & 李四", 'x<font size="40">y</font><para>')

    text = all_text(pdf)
    assert "<b>张三</b> & 李四" in text
    assert '<font size="40">y</font><para>' in text


def test_emoji_and_invisible_characters_do_not_break_a_pdf():
    font = register_cjk_font()
    assert escape_markup("张三😀", font) == "张三□"
    assert drawable_text("a\u200db\ufe0fc\x00d", font) == "abcd"
    assert drawable_text(None, font) == ""

    pdf = small_document(font, "张三😀👨‍👩‍👧 李四")

    assert "张三□" in all_text(pdf)


def test_a_very_long_name_wraps_inside_the_page():
    font = register_cjk_font()
    name = "欧阳" * 100 + "abcdefghij" * 20
    styles = paragraph_styles(font)
    paragraph = Paragraph(escape_markup(name, font), styles.body)

    _, height = paragraph.wrap(400, 1000)

    assert height >= 7 * styles.body.leading  # many lines, not one line running off the page
    assert max(paragraph.getActualLineWidths0()) <= 400
    assert flat(all_text(small_document(font, name))).count("欧阳") == 100


def test_fit_text_cuts_long_labels_with_an_ellipsis():
    font = register_cjk_font()
    long_name = "重庆市渝中区解放碑街道办事处社区网格化服务管理中心"

    cut = fit_text(long_name, font.name, 10, 80)

    assert cut.endswith("…") and long_name.startswith(cut[:-1])
    assert pdfmetrics.stringWidth(cut, font.name, 10) <= 80
    assert fit_text("渝中区", font.name, 10, 80) == "渝中区"


def test_every_page_carries_the_frame_with_page_x_of_y():
    font = register_cjk_font()
    styles = paragraph_styles(font)
    story = [Paragraph("第一部分", styles.heading), PageBreak(),
             Paragraph("第二部分", styles.heading), PageBreak(),
             Paragraph("第三部分", styles.heading)]

    pages = page_texts(build_document(story, font=font, **FRAME))

    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 3 页" in text
        assert "渝中区年度培训汇总" in text
        assert "内部资料" in text
        assert "2026 年度" in text
        assert "2026-11-27 18:30" in text and "刘红梅" in text


def test_an_empty_story_still_makes_one_framed_page():
    pages = page_texts(build_document([], **FRAME))
    assert len(pages) == 1 and "第 1 页 / 共 1 页" in pages[0]


def test_landscape_documents_keep_their_page_size():
    pdf = build_document([], pagesize=landscape(A4), **FRAME)
    box = read_pdf(pdf).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_split_table_chunks_rows_and_repeats_the_header():
    rows = [[str(number), f"单位{number}"] for number in range(100)]

    tables = split_table(rows, ["序号", "单位"], [40, 120])

    assert [len(table._cellvalues) for table in tables] == [46, 46, 11]
    assert all(isinstance(t, Table) and t._cellvalues[0] == ["序号", "单位"] for t in tables)
    assert all(table.repeatRows == 1 for table in tables)
    assert [row[0] for t in tables for row in t._cellvalues[1:]] == [str(n) for n in range(100)]


def test_split_table_of_no_rows_is_the_header_alone():
    tables = split_table([], ["序号", "单位"], None)
    assert len(tables) == 1 and tables[0]._cellvalues == [["序号", "单位"]]


def test_split_tables_flow_over_pages_with_the_header_on_each():
    rows = [[str(number), f"渝中区解放碑街道{number}", "合格"] for number in range(200)]

    pages = page_texts(build_document(split_table(rows, ["序号", "单位", "评定"], None), **FRAME))

    assert len(pages) >= 4
    assert all("评定" in text for text in pages)
    assert "渝中区解放碑街道199" in pages[-1]
