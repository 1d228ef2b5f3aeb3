"""Chart labels fitted to their room: estimated widths, cutting with … and even wrapping."""

import pytest

from app.domain.chart_labels import fit_label, text_width, wrap_label


def test_chinese_characters_are_an_em_wide_and_others_about_half():
    assert text_width("数据", 12) == 24
    assert text_width("ab", 12) == 14
    assert text_width("", 12) == 0


def test_a_label_that_fits_is_kept_and_a_longer_one_cut_with_an_ellipsis():
    assert fit_label("渝中区", 36, 12) == "渝中区"
    cut = fit_label("市政务服务管理办公室", 60, 12)
    assert cut == "市政务服…" and text_width(cut, 12) <= 60
    assert fit_label("abc", 1, 12) == "…"


@pytest.mark.parametrize(("text", "room", "size", "lines"), [
    ("数字思维与战略", 50, 8.5, ["数字思维", "与战略"]),  # even lines, not 数字思维与 / 战略
    ("数字技术应用", 69, 13, ["数字技", "术应用"]),
    ("Digital technology in practice", 150, 12, ["Digital technology", "in practice"]),
    ("数据安全", 100, 12, ["数据安全"]),
    ("", 100, 12, [""]),
])
def test_finding_18_labels_wrap_onto_even_lines_with_words_whole(text, room, size, lines):
    assert wrap_label(text, room, size) == lines


def test_what_does_not_fit_on_the_last_line_ends_with_an_ellipsis():
    lines = wrap_label("城市运行管理服务中心网格化管理综合指挥平台", 60, 12)
    assert lines == ["城市运行管", "理服务中…"]
    assert all(text_width(line, 12) <= 60 for line in lines)
    assert wrap_label("城市运行管理服务中心", 60, 12, lines=1) == ["城市运行…"]
    assert wrap_label("Supercalifragilistic", 30, 12) == ["Sup…"]
