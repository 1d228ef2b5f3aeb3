"""Finding 16 of issue 17: every page of the crawl, rendered in Chinese, has no English UI text.

The crawl is the access matrix's (tests/web/test_access_matrix.py): every GET route with its
sample rows, for every role. Each HTML page's visible text is read (tags, scripts, styles
and attributes stripped; code, SQL and preformatted data dropped) and every run of ASCII
letters standing on its own (not part of an identifier with digits or underscores, a path,
an address or a function call) must be an allowed name: a format, unit or product (SQL, CSV,
PDF, Excel, MiB...), or data of the sample rows (the sample username, the exercise's table
and columns). Anything else is an English word the page shows a Chinese reader. A page
shows commands, identifiers and types as code (<code>), which this reads as data.
"""

import re
from html import unescape

import pytest

from app.domain.vocabulary import RoleName
from tests.web.test_access_matrix import build_crawl_context, crawl_urls

#: Names that stay as they are in Chinese text: formats, standards, products, abbreviations.
ALLOWED = {
    "AI", "API", "CSV", "DigComp", "EU", "Excel", "GB", "GBK", "GIF", "GIFT", "HMAC", "HR",
    "HTML", "ID", "IP", "JPEG", "JSON", "KiB", "MB", "MiB", "Markdown", "Moodle", "PDF", "PNG",
    "QR", "SQL", "SQLite", "SELECT", "SVG", "URL", "UTF", "WebP", "WebVTT", "XLSX", "YAML", "ZIP",
    "Open", "Badges", "Ctrl", "Enter",
    "English",  # the language switch names each language in itself
}
#: Data of the crawl's sample rows: the sample username, the exercise's table and columns
#: (each column offered by its label and its SQL name).
SAMPLE_DATA = {"SAMPLE", "incidents", "grid", "street", "district", "status", "category",
               "source", "id"}

_DROP = re.compile(r"<(script|style|code|pre|kbd|samp|textarea|title)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_IDENTIFIER = re.compile(r"\w*_\w*|\w+\(\)")  # snake_case names and calls such as round()
_WORD = re.compile(r"(?<![\w./@:#=%&?+-])[A-Za-z]{2,}(?:[ ][A-Za-z]{2,})*(?![\w./@:=&?+(-])")


def visible_text(html: str) -> str:
    """What a reader sees: no markup, scripts, styles or code; entities decoded."""
    body = html[html.find("<body"):] if "<body" in html else html
    return unescape(_TAG.sub(" ", _DROP.sub(" ", body)))


def english_words(text: str) -> set[str]:
    words = set()
    for run in _WORD.findall(_IDENTIFIER.sub(" ", text)):
        words.update(w for w in run.split(" ")
                     if w not in ALLOWED and w not in SAMPLE_DATA)
    return words


@pytest.mark.parametrize("role", [None, RoleName.CADRE, RoleName.TRAINER, RoleName.HR,
                                  RoleName.ADMIN],
                         ids=lambda r: r.value if r else "anonymous")
def test_finding_16_every_page_in_chinese_has_no_english_ui_text(app, client, tree, login_as,
                                                                 role):
    context = build_crawl_context(tree, login_as, role)
    leaks: dict[str, list[str]] = {}  # word -> pages showing it
    for _endpoint, url in crawl_urls(app, context):
        response = client.get(url, headers={"Accept-Language": "zh-CN"})
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for word in english_words(visible_text(response.get_data(as_text=True))):
            leaks.setdefault(word, []).append(url)
    report = "\n".join(f"{word}: {' '.join(urls[:3])}" for word, urls in sorted(leaks.items()))
    assert not leaks, f"English UI text on Chinese pages:\n{report}"
