"""What the question pages say about a problem, in the reader's language.

The domain and the services name problems by code with parameters (app.domain.
question_sheets.Issue); these tables word them. A code missing here falls back to the
rule's own English text, so a new rule is never silent.
"""

from flask_babel import lazy_gettext as _l

from app.domain.question_sheets import Issue

ISSUE_TEXTS = {
    "required": _l("This is required; it must not be empty."),
    "unknown_type": _l("“%(value)s” is not a question type; use one of 单选题, 多选题, 判断题, "
                       "填空题, 数值题, 排序题, 匹配题, 简答题 (or single, multiple, truefalse, "
                       "fill, numeric, ordering, matching, essay)."),
    "unknown_area": _l("Unknown competency area; use one of 数字思维与战略, 数据素养与决策, "
                       "数字治理与服务, 数据安全与隐私, 数字技术应用 (or mindset, data, "
                       "governance, security, application)."),
    "key_format": _l("“%(value)s” is not a question id: capital letters and digits joined "
                     "by “-”, at most 40 characters, e.g. %(example)s."),
    "key_prefix": _l("Question id %(value)s must start with %(prefix)s (this course's code)."),
    "key_twice": _l("Question id %(value)s is already used on row %(row)s."),
    "key_elsewhere": _l("Question id %(value)s belongs to another course or to the shared "
                        "bank; leave the id blank to add this as a new question."),
    "too_long": _l("Too long: %(count)s characters, at most %(limit)s."),
    "difficulty_range": _l("Difficulty must be 1, 2 or 3, not “%(value)s”."),
    "points_range": _l("Points must be a number more than 0 and at most 100, whole or .5 "
                       "(e.g. 2 or 1.5), not “%(value)s”."),
    "not_a_number": _l("“%(value)s” is not a number (write a unit in its own field)."),
    "negative": _l("The tolerance must be a number of 0 or more, not “%(value)s”."),
    "answer_beyond": _l("Answer %(value)s is beyond the options (A to %(last)s)."),
    "answer_letter": _l("Write the answer as option letters, A to %(last)s."),
    "answer_twice": _l("Answer letter %(value)s is given twice."),
    "one_letter": _l("A single-choice question has exactly one correct option."),
    "answer_required": _l("Mark the correct option(s)."),
    "answer_missing": _l("Give the correct answer."),
    "truefalse": _l("The answer must be true (对) or false (错)."),
    "tolerance_required": _l("Give a tolerance: 0 for an exact answer, or an absolute or "
                             "relative (%) margin."),
    "tolerance_both": _l("Give either an absolute or a relative tolerance, not both."),
    "options_count": _l("A choice question needs 2 to %(limit)s options."),
    "options_differ": _l("The options must all differ."),
    "items_count": _l("An ordering question needs 2 to %(limit)s items."),
    "items_differ": _l("The items must all differ."),
    "pairs_count": _l("A matching question needs 2 to %(limit)s pairs."),
    "pairs_differ": _l("Terms must all differ, and so must definitions."),
    "empty_item": _l("Every option, item or pair needs text."),
    "scoring": _l("Scoring must be 部分得分 (partial) or 全对才得分 (all or nothing)."),
    "regex": _l("The regular expression does not compile: %(error)s"),
    "form_gap": _l("Fill the options from the first one without leaving one empty."),
    "form_pair": _l("Every pair needs both a term and a definition."),
    "gap": _l("This cell is empty but %(next)s is filled: fill them in order without gaps."),
    "column_not_used": _l("A %(type)s does not use this column; leave it empty."),
    "unknown_column": _l("Unknown column header; see the 说明 sheet of the template for the "
                         "columns."),
    "column_twice": _l("This column is also in column %(other)s."),
    "missing_column": _l("The sheet has no such column; it is required."),
    "order_letters": _l("Write every option letter (A to %(last)s) once, in the correct "
                        "order, e.g. C,A,B."),
    "pairs_blank": _l("Without an answer, fill as many 匹配项 as options (A goes with 1, B "
                      "with 2…)."),
    "pairs_format": _l("Write the pairs as letter-number, e.g. A-2,B-1,C-3."),
    "pairs_cover": _l("Link each of the %(terms)s options to one of the %(definitions)s "
                      "匹配项, each used once."),
    "formula": _l("Cell %(cell)s holds a formula: type the value, not a formula."),
    "merged": _l("Cells %(range)s are merged: unmerge them and fill each cell."),
    "no_rows": _l("The sheet holds no question rows under its header."),
    "too_many": _l("More than %(limit)s questions: split the file and import the parts one "
                   "after the other."),
    "essay_rubric": _l("An essay needs a rubric: write it as general feedback, e.g. "
                       "{####Mentions A and B}."),
    "gift_format": _l("Unknown text format [%(value)s]; use [markdown], [html], [plain] or "
                      "[moodle]."),
    "gift_no_answers": _l("No answers in braces {…}: description-only items cannot be "
                          "imported."),
    "gift_unclosed": _l("The answers' braces are not closed (or nested): write “}” after "
                        "the answers, and \\{ \\} for braces in text."),
    "gift_missing_word": _l("Text after the answers (a missing-word question) cannot be "
                            "imported: put the answers at the end."),
    "gift_partial": _l("Partial credit (a %% weight other than 100 on a right answer, or "
                       "other than 0 on a wrong one) or several numerical answers cannot be "
                       "imported: our types would grade it differently. Keep only "
                       "full-credit answers."),
    "gift_several_right": _l("%(count)s answers are marked =: in Moodle any one of them is "
                             "fully right, which a single choice cannot grade. Keep one = "
                             "answer, or use weights without = for a multiple choice."),
    "gift_weights": _l("A choice without = is graded by adding up the weights of the chosen "
                       "answers; it is imported only when each right answer weighs "
                       "%(share)s%% and each wrong one -%(share)s%% (our partial scoring), "
                       "otherwise it would be graded differently."),
    "gift_title": _l("The title ::… is not closed with :: before the question text."),
    "gift_unknown": _l("Answers must start with = or ~."),
    "gift_no_right": _l("No right answer: mark one with = (or a positive %% weight)."),
    "gift_matching": _l("A matching question needs “=term -> definition” for every pair."),
    "gift_number": _l("“%(value)s” is not a numerical answer such as 3.5, 3.5:0.1 or 1..5."),
    "gift_empty": _l("No questions found: paste GIFT text or choose a file."),
    "gift_too_large": _l("The text is larger than %(limit)s MiB."),
}

FIELD_LABELS = {
    "type": _l("Type"), "area": _l("Competency area"), "difficulty": _l("Difficulty"),
    "points": _l("Points"), "prompt": _l("Prompt"), "explanation": _l("Explanation"),
    "options": _l("Options"), "answer": _l("Answer"), "answers": _l("Accepted answers"),
    "scoring": _l("Scoring"), "regex": _l("Regular expression"), "tolerance": _l("Tolerance"),
    "tolerance_percent": _l("Tolerance"), "unit": _l("Unit"), "items": _l("Items to order"),
    "pairs": _l("Pairs"), "rubric": _l("Rubric"), "key": _l("Question id"),
}

WORKBOOK_TEXTS = {
    "too_large": _l("The file is larger than %(limit)s MiB."),
    "old_xls": _l("This is an old Excel 97–2003 file (.xls): save it as an Excel workbook "
                  "(.xlsx) and upload that."),
    "not_xlsx": _l("This is not an Excel workbook (.xlsx): download the template, fill it "
                   "in and upload it."),
    "zip_bomb": _l("The workbook unpacks to far more data than a question sheet holds; "
                   "it was refused unopened."),
    "xml_entities": _l("The workbook contains XML entity declarations, which a real Excel "
                       "file never has; it was refused."),
    "unreadable": _l("The workbook is damaged or not in the xlsx format and cannot be "
                     "read."),
    "no_sheet": _l("The workbook has no sheet named 题目 (or questions); its sheets are: "
                   "%(sheets)s."),
    "too_many": ISSUE_TEXTS["too_many"],
}


class _Params(dict):
    """Missing parameters read as empty, so a message never fails to show."""

    def __missing__(self, key):
        return ""


def _worded(template, params: dict) -> str:
    return str(template) % _Params(params) if params else str(template).replace("%%", "%")


def issue_text(issue: Issue) -> str:
    code = "answer_missing" if (issue.field, issue.code) == ("answer", "required") \
        else issue.code
    template = ISSUE_TEXTS.get(code)
    if template is None:
        return str(issue.params.get("message") or issue)
    return _worded(template, issue.params)


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def workbook_text(code: str, params: dict) -> str:
    return _worded(WORKBOOK_TEXTS.get(code, WORKBOOK_TEXTS["unreadable"]), params)
