"""Finding 18 of issue #17: the Chinese text the platform shows quotes with “…” (‘…’ inside),
never with straight quotes or corner brackets (app.domain.chinese_quotes). Checked over the
Chinese catalog, the shipped course folders (prose only: code, SQL and YAML syntax are not
text), the templates' own text and the string constants of the code."""

import ast
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from app.domain.chinese_quotes import markdown_prose, quote_problems

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "app" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _catalog():
    with CATALOG.open("rb") as handle:
        for message in read_po(handle):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                yield f"messages.po: {message.id}", text or ""


def _values(data, where):
    """Every text of a parsed YAML document, as Markdown prose; SQL is code, not text."""
    if isinstance(data, dict):
        for key, value in data.items():
            if "sql" not in str(key):
                yield from _values(value, f"{where} {key}")
    elif isinstance(data, list):
        for value in data:
            yield from _values(value, where)
    elif isinstance(data, str):
        yield where, markdown_prose(data)


def _courses():
    for path in sorted((ROOT / "courses").rglob("*")):
        where = str(path.relative_to(ROOT))
        if path.suffix == ".yaml":
            yield from _values(yaml.safe_load(path.read_text(encoding="utf-8")), where)
        elif path.suffix == ".md" and path.name != "README.md":
            _blank, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            yield from _values(yaml.safe_load(front), where)
            yield where, markdown_prose(body)


def _templates():
    for path in sorted((ROOT / "app" / "templates").rglob("*.html")):
        text = JINJA.sub(" ", path.read_text(encoding="utf-8"))
        yield str(path.relative_to(ROOT)), markdown_prose(text)


def _code_strings():
    """String constants of app/ (docstrings are for developers, not shown)."""
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                    | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


@pytest.mark.parametrize("texts", [_catalog, _courses, _templates, _code_strings],
                         ids=["catalog", "courses", "templates", "code"])
def test_finding_18_chinese_text_quotes_with_chinese_quotation_marks(texts):
    problems = [f"{where}: {problem}" for where, text in texts()
                for problem in quote_problems(text)]
    assert problems == [], "\n".join(["", *problems])
