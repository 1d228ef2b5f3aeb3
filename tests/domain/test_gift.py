"""Moodle GIFT text to questions: every construct we take, every one we refuse, with lines."""

from decimal import Decimal

import pytest

from app.domain.gift import GiftDefaults, read_gift
from app.domain.vocabulary import CompetencyArea

DEFAULTS = GiftDefaults(area="security", difficulty="2", points="1.5")


def only(text):
    reading = read_gift(text, DEFAULTS)
    assert reading.problems == [], reading.problems
    assert len(reading.questions) == 1
    return reading.questions[0]


def refused(text):
    reading = read_gift(text, DEFAULTS)
    assert reading.questions == []
    return [(problem.line, problem.issue.code) for problem in reading.problems]


def test_single_choice_with_title_and_defaults():
    item = only("::Q1:: 环比增长率是多少？ {=25% ~20% ~30%}")
    question = item.question
    assert (item.title, item.line, question.type, question.key) == ("Q1", 1, "single", "")
    assert question.prompt == "环比增长率是多少？"
    assert question.spec == {"options": ["25%", "20%", "30%"], "answer": 0}
    assert (question.area, question.difficulty, question.points) == (
        CompetencyArea.SECURITY, 2, Decimal("1.5"))


def test_multiple_choice_from_weights():
    question = only("哪些是质数？ {~%50%2 ~%50%3 ~%-100%4 ~%0%9}").question
    assert question.type == "multiple"
    assert question.spec == {"options": ["2", "3", "4", "9"], "answer": [0, 1],
                             "scoring": "partial"}
    assert only("只有一个 {~%100%甲 ~乙}").question.spec == {"options": ["甲", "乙"], "answer": 0}


@pytest.mark.parametrize(("answers", "value"), [("T", True), ("TRUE", True), ("f", False),
                                                ("FALSE#错了#对了", False)])
def test_true_false(answers, value):
    question = only(f"天空是蓝色的。{{{answers}}}").question
    assert (question.type, question.spec) == ("truefalse", {"answer": value})


def test_short_answer_becomes_fill():
    question = only("中国的首都是？{=北京 =Beijing#对}").question
    assert (question.type, question.spec) == ("fill", {"answers": ["北京", "Beijing"]})
    assert only("只有一个答案 {=1361}").question.type == "fill"


@pytest.mark.parametrize(("answers", "spec"), [
    ("#3.14:0.01", {"answer": 3.14, "tolerance": 0.01}),
    ("#1..5", {"answer": 3, "tolerance": 2}),
    ("#42", {"answer": 42, "tolerance": 0}),
    ("#=1500:10#对", {"answer": 1500, "tolerance": 10}),
    ("#-2.5:0.5", {"answer": -2.5, "tolerance": 0.5}),
])
def test_numerical(answers, spec):
    question = only(f"数值 {{{answers}}}").question
    assert (question.type, question.spec) == ("numeric", spec)


def test_matching_across_lines():
    question = only("匹配：\n{\n=脱敏 -> 去标识\n=分级 -> 定级别\n=共享 -> 可用不可见\n}").question
    assert question.type == "matching"
    assert question.spec == {"pairs": [["脱敏", "去标识"], ["分级", "定级别"],
                                       ["共享", "可用不可见"]]}


def test_essay_takes_general_feedback_as_rubric():
    question = only("谈谈数字治理。{####提到数据共享和流程再造}").question
    assert (question.type, question.spec, question.explanation) == (
        "essay", {"rubric": "提到数据共享和流程再造"}, "")


def test_general_feedback_is_the_explanation_and_answer_feedback_is_dropped():
    question = only("1+1=? {=2#对 ~3#错 ####因为一加一等于二}").question
    assert question.spec == {"options": ["2", "3"], "answer": 0}
    assert question.explanation == "因为一加一等于二"


def test_comments_categories_blank_lines_and_line_numbers():
    text = ("// 开头的注释\n$CATEGORY: $course$/数据\n\n::A:: 第一题 {T}\n\n\n"
            "// 第二题前的注释\n::B::\n第二题 {F}\n")
    reading = read_gift(text, DEFAULTS)
    assert reading.problems == []
    assert [(item.line, item.title) for item in reading.questions] == [(4, "A"), (8, "B")]


def test_escapes():
    question = only(r"大括号 \{ \} 等号 \= 冒号 \: 换行\n结束 {=a\=b ~c\#d ~e\~f}").question
    assert question.prompt == "大括号 { } 等号 = 冒号 : 换行\n结束"
    assert question.spec["options"] == ["a=b", "c#d", "e~f"]


def test_format_markers():
    assert only("[markdown]**粗体** {T}").question.prompt == "**粗体**"
    assert only("[html]<p>你好<br>世界 &amp; 城市</p>{T}").question.prompt == "你好\n世界 & 城市"
    assert only("::t::[plain] 纯文本 {T}").question.prompt == "纯文本"


@pytest.mark.parametrize(("text", "expected"), [
    ("填空：重庆有 {=38 ~26} 个区县。", [(1, "gift_missing_word")]),
    ("只是说明文字，没有答案。", [(1, "gift_no_answers")]),
    ("没有结束 {=a ~b", [(1, "gift_unclosed")]),
    ("嵌套 {=a {~b}}", [(1, "gift_unclosed")]),
    ("[latex]公式 {T}", [(1, "gift_format")]),
    ("部分分 {=%50%a =b}", [(1, "gift_partial")]),
    ("数值部分分 {#=3:0 =%50%4:0}", [(1, "gift_partial")]),
    ("没有对的 {~a ~b}", [(1, "gift_no_right")]),
    ("不认识 {abc}", [(1, "gift_unknown")]),
    ("数值 {#三点五}", [(1, "gift_number")]),
    ("匹配带干扰 {=a -> 1 =b -> 2 = -> 3}", [(1, "gift_matching")]),
    ("简答 {}", [(1, "essay_rubric")]),
    ("选项相同 {=a ~a}", [(1, "options_differ")]),
    ("{T}", [(1, "required")]),
])
def test_what_cannot_be_taken_is_a_problem_at_its_line(text, expected):
    assert refused(text) == expected


def test_problems_name_their_own_line_and_good_items_still_parse():
    text = "第一题 {T}\n\n第二题\n多行题干\n{=a ~b} 还有文字\n\n第三题 {F}"
    reading = read_gift(text, DEFAULTS)
    assert [(problem.line, problem.issue.code) for problem in reading.problems] == [
        (5, "gift_missing_word")]
    assert [item.line for item in reading.questions] == [1, 7]


def test_defaults_go_through_the_rules():
    reading = read_gift("题 {T}", GiftDefaults(area="data", difficulty="5", points="0"))
    assert [(problem.issue.field, problem.issue.code) for problem in reading.problems] == [
        ("difficulty", "difficulty_range"), ("points", "points_range")]
