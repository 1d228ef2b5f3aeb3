"""The quotation-mark rule for Chinese text: “…” (‘…’ inside), never "…" or 「…」."""

import pytest

from app.domain.chinese_quotes import markdown_prose, quote_problems


@pytest.mark.parametrize("text", [
    '本课讲"2522"整体框架。',            # Latin inside, Chinese around
    '"AI+城市治理"与数字孪生',            # Chinese inside
    '例如"办结"是指',
    '他说：「数据可用不可见」。',          # corner brackets
    '“数据”与『安全』',
])
def test_finding_18_straight_quotes_and_corner_brackets_in_chinese_are_problems(text):
    assert quote_problems(text)


@pytest.mark.parametrize("text", [
    "数字重庆“1361”整体构架",
    "按本课“一辆超载渣土车的‘1361’之旅”案例",  # a quotation inside one
    'Type "Preview" to see it.',                # English keeps its own quotes
    'unit: "%" after the number',
    "SQL 里写 status = '已超期'",               # single quotes of SQL are not checked
    '一个 " 孤零零的引号',                      # no pair
])
def test_finding_18_chinese_quotation_marks_and_english_text_pass(text):
    assert quote_problems(text) == []


def test_a_problem_is_shown_in_its_context():
    (problem,) = quote_problems('这在数据分析中叫作表的"粒度"。下一段')
    assert '"粒度"' in problem and "\n" not in problem


def test_markdown_prose_leaves_out_code_link_targets_and_tags():
    text = ('先看“粒度”，再写 `SELECT "人次" FROM t`。\n\n'
            '```sql\nSELECT "区县" AS "名称"\n```\n'
            '[官网](https://example.gov.cn "数字重庆") <img alt="图">')
    prose = markdown_prose(text)
    assert quote_problems(prose) == []
    assert "粒度" in prose and "官网" in prose and "SELECT" not in prose
    assert quote_problems(markdown_prose('正文里"直引号"仍要查')) != []
