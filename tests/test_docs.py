"""The README and docs/ hold together: every relative link points at a file that exists,
and every guide in docs/ is reachable from the README."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             ROOT / "benchmarks" / "README.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_docs_relative_links_resolve(document):
    broken = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        if not (document.parent / path).exists():
            broken.append(target)
    assert not broken, f"{document.relative_to(ROOT)} links to missing files: {broken}"


def test_readme_links_every_guide_in_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [doc.name for doc in (ROOT / "docs").glob("*.md") if f"docs/{doc.name}" not in readme]
    assert not missing, f"README does not link {missing}"


def test_readme_stays_short_enough_for_a_newcomer():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"README has {lines} lines; move reference material into docs/"
