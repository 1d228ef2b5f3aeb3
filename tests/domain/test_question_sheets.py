"""Questions from the web form and the Excel template's rows, checked by the file rules."""

from decimal import Decimal

import pytest

from app.domain.course_files import QuestionSpec
from app.domain.question_sheets import (
    COLUMNS,
    check_key,
    check_question,
    column_letter,
    question_cells,
    read_number,
    read_sheet,
)
from app.domain.vocabulary import CompetencyArea

HEADER = [column.header for column in COLUMNS]
LETTER = {column.key: column_letter(index) for index, column in enumerate(COLUMNS)}


def row(**cells):
    return [cells.get(column.key) for column in COLUMNS]


def common(**fields):
    return {"area": "data", "difficulty": 2, "points": 2, "prompt": "题干", **fields}


def codes(issues):
    return [(issue.field, issue.code) for issue in issues]


# --- check_question: the file rules on a document --------------------------------------------

@pytest.mark.parametrize(("document", "spec"), [
    ({"type": "single", "options": ["甲", "乙", "丙"], "answer": "B"},
     {"options": ["甲", "乙", "丙"], "answer": 1}),
    ({"type": "multiple", "options": ["甲", "乙", "丙"], "answer": ["A", "C"],
      "scoring": "all_or_nothing"},
     {"options": ["甲", "乙", "丙"], "answer": [0, 2], "scoring": "all_or_nothing"}),
    ({"type": "truefalse", "answer": False}, {"answer": False}),
    ({"type": "fill", "answers": ["1361", "一三六一"], "regex": r"^1\s*361$"},
     {"answers": ["1361", "一三六一"], "regex": r"^1\s*361$"}),
    ({"type": "numeric", "answer": "25.5", "tolerance_percent": "1", "unit": "%"},
     {"answer": 25.5, "tolerance_percent": 1, "unit": "%"}),
    ({"type": "ordering", "items": ["收集", "清洗", "分析"]}, {"items": ["收集", "清洗", "分析"]}),
    ({"type": "matching", "pairs": [["脱敏", "去标识"], ["分级", "定级别"]]},
     {"pairs": [["脱敏", "去标识"], ["分级", "定级别"]]}),
    ({"type": "essay", "rubric": "要点一；要点二"}, {"rubric": "要点一；要点二"}),
])
def test_every_type_becomes_the_registry_spec(document, spec):
    question, issues = check_question(common(**document, points="1.5", difficulty="３"))
    assert issues == []
    assert question.spec == spec
    assert (question.points, question.difficulty, question.area) == (
        Decimal("1.5"), 3, CompetencyArea.DATA)


@pytest.mark.parametrize(("document", "expected"), [
    ({"type": "single", "options": ["甲", "乙"], "answer": "C"}, [("answer", "answer_beyond")]),
    ({"type": "single", "options": ["甲", "甲"], "answer": "A"}, [("options", "options_differ")]),
    ({"type": "single", "options": ["甲"], "answer": "A"}, [("options", "options_count")]),
    ({"type": "single", "options": ["甲", "乙"]}, [("answer", "required")]),
    ({"type": "multiple", "options": ["甲", "乙"], "answer": ["A", "A"]},
     [("answer", "answer_twice")]),
    ({"type": "multiple", "options": ["甲", "乙"], "answer": ["A"], "scoring": "most"},
     [("scoring", "scoring")]),
    ({"type": "truefalse", "answer": "maybe"}, [("answer", "truefalse")]),
    ({"type": "fill", "answers": ["a"], "regex": "("}, [("regex", "regex")]),
    ({"type": "numeric", "answer": "25%", "tolerance": 0}, [("answer", "not_a_number")]),
    ({"type": "numeric", "answer": 3}, [("tolerance", "tolerance_required")]),
    ({"type": "numeric", "answer": 3, "tolerance": -1}, [("tolerance", "negative")]),
    ({"type": "ordering", "items": ["一"]}, [("items", "items_count")]),
    ({"type": "matching", "pairs": [["a", "1"], ["a", "2"]]}, [("pairs", "pairs_differ")]),
    ({"type": "essay"}, [("rubric", "required")]),
    ({"type": "riddle"}, [("type", "unknown_type")]),
])
def test_each_rule_is_an_issue_on_its_field(document, expected):
    question, issues = check_question(common(**document))
    assert question is None
    assert codes(issues) == expected


def test_common_fields_are_checked_too():
    _question, issues = check_question({"type": "essay", "rubric": "要点", "area": "sky",
                                        "difficulty": 4, "points": "0.3", "prompt": " "})
    assert codes(issues) == [("area", "unknown_area"), ("difficulty", "difficulty_range"),
                             ("points", "points_range"), ("prompt", "required")]
    assert issues[2].params["value"] == "0.3"
    _question, issues = check_question(common(type="essay", rubric="要点", prompt="长" * 20_001))
    assert codes(issues) == [("prompt", "too_long")]


def test_an_issue_names_the_item_it_is_about():
    _question, issues = check_question(common(type="multiple", options=["甲", "乙", "丙"],
                                              answer=["A", "1"]))
    assert codes(issues) == [("answer", "answer_letter")]
    assert issues[0].item == 1


def test_numbers_and_keys():
    assert read_number("１２") == 12 and read_number(" 2.5 ") == 2.5
    assert read_number("abc") == "abc" and read_number(True) is True
    assert check_key("DA110-Q07", "DA110-") is None
    assert check_key("DA110 Q7", "DA110-").code == "key_format"
    assert check_key("GV210-Q01", "DA110-").code == "key_prefix"


# --- the 题目 sheet ------------------------------------------------------------------------------

def test_rows_of_every_type_with_chinese_labels_and_full_width_punctuation():
    rows = [
        (2, row(type="单选题", area="数据素养与决策", difficulty=1, points=2, prompt="单选",
                option_a="20%", option_b="25%", answer="Ｂ")),
        (3, row(type="多选", area="data", difficulty="2", points="1.5", prompt="多选",
                option_a="甲", option_b="乙", option_c="丙", answer="A，C", scoring="全对才得分")),
        (4, [None] * len(HEADER)),
        (5, row(key="da110-q07", type="判断题", area="data", difficulty="难", points=1,
                prompt="判断", answer="错")),
        (6, row(type="fill", area="data", difficulty=1, points=1, prompt="填空",
                answer="1361｜一三六一", regex=r"^1\s*361$")),
        (7, row(type="数值题", area="data", difficulty=1, points=1, prompt="数值", answer=25,
                tolerance="１%", unit="%")),
        (8, row(type="排序题", area="data", difficulty=1, points=1, prompt="排序",
                option_a="分析", option_b="收集", option_c="清洗", answer="B,C,A")),
        (9, row(type="匹配题", area="data", difficulty=1, points=1, prompt="匹配",
                option_a="脱敏", option_b="分级", match_1="定级别", match_2="去标识",
                answer="A-2；B-1")),
        (10, row(type="简答题", area="data", difficulty=3, points=10, prompt="简答",
                 answer="要点一\n要点二")),
    ]
    reading = read_sheet(HEADER, rows, course_code="DA110")
    assert reading.problems == []
    specs = {item.row: (item.question.key, item.question.type, item.question.spec)
             for item in reading.questions}
    assert specs == {
        2: ("", "single", {"options": ["20%", "25%"], "answer": 1}),
        3: ("", "multiple", {"options": ["甲", "乙", "丙"], "answer": [0, 2],
                             "scoring": "all_or_nothing"}),
        5: ("DA110-Q07", "truefalse", {"answer": False}),
        6: ("", "fill", {"answers": ["1361", "一三六一"], "regex": r"^1\s*361$"}),
        7: ("", "numeric", {"answer": 25, "tolerance_percent": 1, "unit": "%"}),
        8: ("", "ordering", {"items": ["收集", "清洗", "分析"]}),
        9: ("", "matching", {"pairs": [["脱敏", "去标识"], ["分级", "定级别"]]}),
        10: ("", "essay", {"rubric": "要点一\n要点二"}),
    }


def test_english_headers_in_any_order_and_spelling():
    header = ["Prompt", "TYPE", "area", "Difficulty", "points", "Option A", "option_b",
              "Answer", "Explanation"]
    reading = read_sheet(header, [(2, ["题干", "single", "data", 1, 2, "甲", "乙", "a", "解析"])],
                         course_code="DA110")
    assert reading.problems == []
    assert reading.questions[0].question.spec == {"options": ["甲", "乙"], "answer": 0}
    assert reading.questions[0].question.explanation == "解析"


def test_header_problems_stop_the_sheet():
    reading = read_sheet(["题型", "题干", "题干", "颜色", "分值"], [(2, ["单选题"])],
                         course_code="DA110")
    found = [(problem.row, problem.column, problem.letter, problem.issue.code)
             for problem in reading.problems]
    assert found == [(1, "题干", "C", "column_twice"), (1, "颜色", "D", "unknown_column"),
                     (1, "能力领域", "", "missing_column"), (1, "难度", "", "missing_column")]
    assert reading.questions == []


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"type": "问卷"}, "type", "unknown_type"),
    ({"type": None}, "type", "required"),
    ({"option_a": "甲", "option_c": "丙", "answer": "A"}, "option_b", "gap"),
    ({"option_a": "甲", "option_b": "乙", "answer": "C"}, "answer", "answer_beyond"),
    ({"option_a": "甲", "option_b": "乙", "answer": "A", "unit": "元"}, "unit", "column_not_used"),
    ({"option_a": "甲", "option_b": "乙", "answer": "A", "points": "两分"}, "points",
     "points_range"),
    ({"option_a": "甲", "option_b": "乙", "answer": "A", "area": "天文"}, "area", "unknown_area"),
    ({"option_a": "甲", "option_b": "甲", "answer": "A"}, "option_a", "options_differ"),
    ({"option_a": "甲", "option_b": "乙", "answer": "A", "key": "GV210-Q01"}, "key",
     "key_prefix"),
])
def test_a_bad_cell_is_a_problem_at_its_row_and_column(cells, column, code):
    values = {"type": "单选题", "area": "data", "difficulty": 1, "points": 2, "prompt": "题",
              **cells}
    reading = read_sheet(HEADER, [(7, row(**values))], course_code="DA110")
    assert [(problem.row, problem.letter, problem.issue.code)
            for problem in reading.problems] == [(7, LETTER[column], code)]
    assert reading.problems[0].column == HEADER[COLUMNS.index(
        next(c for c in COLUMNS if c.key == column))]
    assert reading.questions == []


@pytest.mark.parametrize(("cells", "code"), [
    ({"type": "排序题", "option_a": "一", "option_b": "二", "answer": "A,A"}, "order_letters"),
    ({"type": "匹配题", "option_a": "一", "option_b": "二", "match_1": "1", "answer": "A-1,C-2"},
     "pairs_cover"),
    ({"type": "匹配题", "option_a": "一", "option_b": "二", "match_1": "1"}, "pairs_blank"),
    ({"type": "匹配题", "option_a": "一", "match_1": "1", "answer": "一对一"}, "pairs_format"),
    ({"type": "数值题", "answer": 3}, "tolerance_required"),
    ({"type": "判断题", "answer": "也许"}, "truefalse"),
])
def test_type_specific_cells(cells, code):
    values = {"area": "data", "difficulty": 1, "points": 2, "prompt": "题", **cells}
    reading = read_sheet(HEADER, [(3, row(**values))], course_code="DA110")
    assert [problem.issue.code for problem in reading.problems] == [code]


def test_header_problems_are_on_the_header_row():
    reading = read_sheet(["题型", "能力领域", "难度", "分值", "题干", "备注"], [],
                         course_code="DA110", header_row=3)
    assert [(problem.row, problem.letter, problem.issue.code) for problem in reading.problems] \
        == [(3, "F", "unknown_column")]


def test_a_key_given_twice_is_a_problem_on_the_second_row():
    cells = {"type": "判断题", "area": "data", "difficulty": 1, "points": 1, "prompt": "题",
             "answer": "对", "key": "DA110-Q01"}
    reading = read_sheet(HEADER, [(2, row(**cells)), (3, row(**cells))], course_code="DA110")
    assert [(problem.row, problem.issue.code, problem.issue.params["row"])
            for problem in reading.problems] == [(3, "key_twice", 2)]


@pytest.mark.parametrize("question", [
    QuestionSpec("DA110-Q01", "single", CompetencyArea.DATA, 1, Decimal("2"), "题", "解析",
                 {"options": ["=1+1", "2"], "answer": 1}),
    QuestionSpec("DA110-Q02", "multiple", CompetencyArea.SECURITY, 2, Decimal("1.5"), "题", "",
                 {"options": ["a", "b", "c"], "answer": [0, 2], "scoring": "all_or_nothing"}),
    QuestionSpec("DA110-Q03", "truefalse", CompetencyArea.MINDSET, 3, Decimal("1"), "题", "",
                 {"answer": True}),
    QuestionSpec("DA110-Q04", "fill", CompetencyArea.DATA, 1, Decimal("2"), "题", "",
                 {"answers": ["a", "b"], "regex": "^a+$"}),
    QuestionSpec("DA110-Q05", "numeric", CompetencyArea.DATA, 1, Decimal("2"), "题", "",
                 {"answer": 3.5, "tolerance": 0.1, "unit": "万元"}),
    QuestionSpec("DA110-Q06", "numeric", CompetencyArea.DATA, 1, Decimal("2"), "题", "",
                 {"answer": 120, "tolerance_percent": 5}),
    QuestionSpec("DA110-Q07", "ordering", CompetencyArea.GOVERNANCE, 1, Decimal("2"), "题", "",
                 {"items": [str(n) for n in range(10)]}),
    QuestionSpec("DA110-Q08", "matching", CompetencyArea.APPLICATION, 1, Decimal("2"), "题", "",
                 {"pairs": [["a", "1"], ["b", "2"], ["c", "3"]]}),
    QuestionSpec("DA110-Q09", "essay", CompetencyArea.DATA, 1, Decimal("10"), "题\n第二行", "",
                 {"rubric": "要点"}),
], ids=lambda question: question.type)
def test_a_question_written_as_a_row_reads_back_the_same(question):
    cells = question_cells(question)
    reading = read_sheet(HEADER, [(2, row(**cells))], course_code="DA110")
    assert reading.problems == []
    assert reading.questions[0].question == question
