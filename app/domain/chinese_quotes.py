"""Quotation marks in Chinese text: “…”, and ‘…’ for a quotation inside one.

That is the national standard's rule (GB/T 15834-2011, 标点符号用法) and the platform's
for every Chinese text it shows: translations, course content, labels. Straight quotes
("…", typed on an English keyboard) and corner brackets (「…」, pasted from elsewhere)
break it. Code is not text: quotes in SQL, in Markdown code spans and blocks, and in a
link's title are syntax, so check the prose of a Markdown text (``markdown_prose``).
"""

import re

#: Chinese characters, CJK punctuation (。，、：) and full-width forms (（），：).
_CHINESE = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_STRAIGHT_PAIR = re.compile(r'"([^"\n]*)"')
_HAS_CHINESE = re.compile(f"[{_CHINESE}]")
_CORNER = re.compile(r"[\u300c-\u300f]")  # 「」『』, written so as not to be one here
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[A-Za-z/][^>\n]*>")


def quote_problems(text: str) -> list[str]:
    """Where ``text`` (prose, without code) breaks the rule, shown in context: every pair of
    straight double quotes that touches Chinese (Chinese inside it, or right before or after
    it, as in 框架"2522"整体), and every corner bracket."""
    problems = [_context(text, found.start(), found.end())
                for found in _STRAIGHT_PAIR.finditer(text) if _touches_chinese(text, found)]
    problems += [_context(text, found.start(), found.end())
                 for found in _CORNER.finditer(text)]
    return problems


def markdown_prose(text: str) -> str:
    """The prose of a Markdown text: code blocks and spans, link targets (with their
    titles) and HTML tags taken out, each replaced by a space."""
    for code in (_FENCE, _CODE_SPAN, _LINK_TARGET, _HTML_TAG):
        text = code.sub(" ", text)
    return text


def _touches_chinese(text: str, found: re.Match) -> bool:
    around = text[max(0, found.start() - 1):found.start()] + text[found.end():found.end() + 1]
    return bool(_HAS_CHINESE.search(found.group(1)) or _HAS_CHINESE.search(around))


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 8):end + 8].replace("\n", " ")
