"""Lesson Markdown to safe HTML.

Lessons come from course files and the authoring pages, so their text is untrusted:
markdown-it-py escapes raw HTML, then nh3 keeps only an explicit allowlist. The two
layers are deliberate: a renderer bug alone or a sanitiser gap alone does not open a hole.
"""

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "blockquote",
    # markdown-it renders ~~text~~ as <s>; <del> is allowed for hand-written equivalents.
    "em", "strong", "del", "s", "a", "img", "hr", "br",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: The file names a course asset may have (served as /courses/<CODE>/assets/<filename>).
ASSET_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_ASSET_SRC = re.compile(r"^(?:\./|\.\./)?assets/(?P<filename>[^/?#]+)$")

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"])


def asset_reference(src: str) -> str | None:
    """The asset filename an image source points to, or None when it is not a course asset.

    Authors write the path relative to the course folder (assets/x.png) or to the lesson
    file (../assets/x.png); both name the same file.
    """
    match = _ASSET_SRC.match(src)
    if match is None or not ASSET_FILENAME.match(match["filename"]):
        return None
    return match["filename"]


def is_web_url(src: str) -> bool:
    return src.lower().startswith(("http://", "https://"))


def image_sources(text: str) -> list[tuple[int, str]]:
    """(0-based line, src) of every image in the Markdown, in reading order."""
    lines = text.split("\n")
    found = []
    for token in _renderer.parse(text):
        if token.type != "inline" or not token.children:
            continue
        first = token.map[0] if token.map else 0
        for child in token.children:
            if child.type == "image":
                src = str(child.attrs.get("src", ""))
                found.append((_line_of(lines, src, first), src))
    return found


def _line_of(lines: list[str], needle: str, start: int) -> int:
    # Inline tokens only know their block's first line; an image inside a
    # multi-line paragraph sits on the first line that mentions its source.
    for number in range(start, len(lines)):
        if needle in lines[number]:
            return number
    return start


def render_markdown(text: str) -> str:
    """Sanitised HTML for a lesson served at /courses/<CODE>/lessons/<N>."""
    return sanitize_html(_renderer.render(text))


def sanitize_html(html: str) -> str:
    """Keep only the allowlisted tags, attributes and URL schemes; rewrite asset images."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag != "img" or attribute != "src":
        return value
    filename = asset_reference(value)
    if filename is not None:
        # Assets are served at /courses/<CODE>/assets/<filename>, one level up from lessons/.
        return f"../assets/{filename}"
    # nh3 has already refused other schemes; this also drops relative paths that
    # are not course assets, which would resolve to arbitrary pages of the site.
    return value if is_web_url(value) else None
