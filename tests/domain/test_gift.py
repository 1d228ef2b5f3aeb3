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
    question = only("哪些是质数？ {~%50%2 ~%50%3 ~%-50%4 ~%-50%9}").question
    assert question.type == "multiple"
    assert question.spec == {"options": ["2", "3", "4", "9"], "answer": [0, 1],
                             "scoring": "partial"}
    thirds = only("{~%33.33%a ~%33.333%b ~%33.33333%c ~%-33.33%d}".join(["三个", ""]))
    assert thirds.question.spec["answer"] == [0, 1, 2]


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


# --- Issue #17, finding 1: GIFT import keeps the meaning of Moodle's examples ----------------
# Each case is written after an example of Moodle's documentation of the GIFT format (the
# question types, weights, feedback, formats and titles it describes), in its own words.

@pytest.mark.parametrize(("text", "type_name", "spec"), [
    pytest.param("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}", "single",
                 {"options": ["Grant", "Jefferson", "no one"], "answer": 2},
                 id="multiple_choice"),
    pytest.param("::Kanji Origins::Japanese characters originally came\nfrom what country? "
                 "{\n~India\n=China\n~Korea\n~Egypt}", "single",
                 {"options": ["India", "China", "Korea", "Egypt"], "answer": 1},
                 id="multiple_choice_on_lines_with_title"),
    pytest.param("What's the answer? {\n~wrong answer#feedback on it\n~another wrong#more\n"
                 "=right answer#Very good!}", "single",
                 {"options": ["wrong answer", "another wrong", "right answer"], "answer": 2},
                 id="multiple_choice_with_feedback"),
    pytest.param("What two people are entombed in Grant's tomb? {\n~%-50%No one\n~%50%Grant\n"
                 "~%50%Grant's wife\n~%-50%Grant's father\n}", "multiple",
                 {"options": ["No one", "Grant", "Grant's wife", "Grant's father"],
                  "answer": [1, 2], "scoring": "partial"},
                 id="multiple_answers_with_symmetric_weights"),
    pytest.param("Who's buried in Grant's tomb?{=no one =nobody}", "fill",
                 {"answers": ["no one", "nobody"]}, id="short_answer"),
    pytest.param("Grant was buried in a tomb in New York City.{T}", "truefalse",
                 {"answer": True}, id="true_false"),
    pytest.param("The sun rises in the West.{FALSE#It rises in the east.#Right.}", "truefalse",
                 {"answer": False}, id="true_false_with_feedback"),
    pytest.param("Match the countries with their capitals. {\n=Canada -> Ottawa\n"
                 "=Italy  -> Rome\n=Japan  -> Tokyo\n####Capitals are good to know\n}",
                 "matching", {"pairs": [["Canada", "Ottawa"], ["Italy", "Rome"],
                                        ["Japan", "Tokyo"]]}, id="matching"),
    pytest.param("When was Ulysses S. Grant born?{#1822:5}", "numeric",
                 {"answer": 1822, "tolerance": 5}, id="numerical_with_margin"),
    pytest.param("What is a number from 1 to 5? {#1..5}", "numeric",
                 {"answer": 3, "tolerance": 2}, id="numerical_range"),
    pytest.param("What is a number from 1 to 5? {#3:2~#Completely wrong}", "numeric",
                 {"answer": 3, "tolerance": 2}, id="numerical_with_wrong_answer_feedback"),
    pytest.param("When was Grant born? {#\n=1822:0#Correct!\n~#Not even close\n}", "numeric",
                 {"answer": 1822, "tolerance": 0},
                 id="numerical_equals_with_wrong_answer_feedback"),
    pytest.param("Write a short biography of Dag Hammarskjöld. {####Names and dates}", "essay",
                 {"rubric": "Names and dates"}, id="essay"),
])
def test_finding_1_moodle_documentation_examples_keep_their_meaning(text, type_name, spec):
    question = only(text).question
    assert (question.type, question.spec) == (type_name, spec)


@pytest.mark.parametrize("text", [
    pytest.param("Which colour? {~[plain]blue =[plain]red}", id="option"),
    pytest.param("[html]<p>Which colour?</p>{~[plain]blue#[html]<b>no</b> =red}", id="html"),
    pytest.param("Which colour? {~blue#[markdown]*no* =[moodle]red#[plain]yes}",
                 id="feedback"),
    pytest.param("Which colour? {~%0%[plain]blue =red}",
                 id="after_weight"),
])
def test_finding_1_format_markers_are_stripped_from_every_answer(text):
    question = only(text).question
    assert question.spec["options"] == ["blue", "red"]
    assert "[" not in question.prompt


def test_finding_1_format_markers_are_stripped_from_general_feedback_and_other_answers():
    assert only("为什么？ {=甲 ~乙 ####[html]<p>why</p>}").question.explanation == "why"
    assert only("[markdown]**粗** {T####[plain]因为}").question.explanation == "因为"
    assert only("谈谈。{####[plain]要点}").question.spec == {"rubric": "要点"}
    assert only("首都？{=[plain]北京 =[html]<b>Beijing</b>}").question.spec == {
        "answers": ["北京", "Beijing"]}
    assert only("匹配 {=[plain]甲 -> 1 =乙 -> 2}").question.spec == {
        "pairs": [["甲", "1"], ["乙", "2"]]}
    assert only("未知标记是文字 {=[1] ~[2]}").question.spec["options"] == ["[1]", "[2]"]


@pytest.mark.parametrize(("text", "code"), [
    pytest.param("Difficult question. {~wrong answer ~%50%half credit answer "
                 "=full credit answer}", "gift_partial", id="single_with_half_credit"),
    pytest.param("Two or three? {=2 =3 ~4}", "gift_several_right",
                 id="several_fully_right_answers"),
    pytest.param("Weighted {~%50%a ~%25%b ~c}", "gift_weights", id="unequal_weights"),
    pytest.param("What two people are entombed in Grant's tomb? {\n~%-100%No one\n~%50%Grant\n"
                 "~%50%Grant's wife\n~%-100%Grant's father\n}", "gift_weights",
                 id="multiple_answers_with_minus_100"),
    pytest.param("Zero-weighted wrong answers {~%50%2 ~%50%3 ~%0%9}", "gift_weights",
                 id="wrong_answers_without_penalty"),
    pytest.param("Only one weighted {~%100%甲 ~乙}", "gift_weights",
                 id="checkboxes_with_one_right_answer"),
    pytest.param("Negative on a radio {=right ~%-50%wrong}", "gift_partial",
                 id="single_with_negative_weight"),
    pytest.param("Weighted equals {=%50%a ~b}", "gift_partial", id="weighted_equals"),
    pytest.param("Jesus Christ was from {\n=Nazareth#Yes!\n=%75%Nazereth#Misspelled.\n"
                 "=%25%Bethlehem#Born here.\n}", "gift_partial",
                 id="short_answer_with_weights"),
    pytest.param("When was Grant born? {#\n=1822:0\n=%50%1822:2\n}", "gift_partial",
                 id="numerical_with_partial_credit"),
    pytest.param("::Unclosed title Who's buried? {=no one ~Grant}", "gift_title",
                 id="unclosed_title"),
    pytest.param("::Title {=a ~b}::", "gift_title", id="title_closed_inside_answers"),
])
def test_finding_1_what_our_types_would_grade_differently_is_refused_at_its_line(text, code):
    assert refused("// a comment first\n\n" + text) == [(3, code)]
