"""The layer rules of DESIGN.md §3 as checks over the source: each returns offences as
"path:line: what is wrong", so a failing test points at the line to change.

Read with ``ast`` rather than by importing, so a rule is checked even on code no test runs.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Where each layer lives, and the modules it must not import (a prefix matches submodules).
LAYER_RULES = {
    "app/domain": ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf",
                   "sqlalchemy", "werkzeug", "app.extensions", "app.models", "app.services",
                   "app.web", "app.reports", "app.cli", "app.jobs"),
    "app/services": ("app.web", "app.cli", "app.jobs"),
    "app/models": ("app.services", "app.web", "app.reports", "app.cli", "app.jobs"),
    "app/reports": ("app.web", "app.services", "app.models", "app.extensions", "app.cli",
                    "app.jobs", "sqlalchemy", "flask_sqlalchemy"),
}
#: What a service may not read: the request is the web layer's; services take the actor.
REQUEST_STATE = {"flask": {"request", "session", "g"}, "flask_login": {"current_user"}}
#: Packages whose feature sub-packages must not import each other in a circle.
FEATURE_ROOTS = ("app/services", "app/web")


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str
    names: tuple[str, ...]
    in_function: bool
    explained: bool  # a comment on the line itself or the one above says why

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line}"


def python_files(root: Path, folder: str) -> Iterator[Path]:
    yield from sorted(p for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in(root: Path, path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    package = module_name(root, path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[Import] = []

    def says_why(line: int) -> bool:
        """A comment on the line, or on the line above, that is more than a lint pragma."""
        for text in (lines[line - 1], lines[line - 2] if line >= 2 else ""):
            comment = text.partition("#")[2].strip()
            if comment and not comment.startswith(("noqa", "type:")):
                return True
        return False

    def visit(node: ast.AST, in_function: bool) -> None:
        explained = False  # a comment above the first of consecutive imports covers them all
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.Import | ast.ImportFrom):
                explained = False
                visit(child, in_function or isinstance(child, ast.FunctionDef |
                                                       ast.AsyncFunctionDef))
                continue
            explained = explained or says_why(child.lineno)
            if isinstance(child, ast.Import):
                found.extend(Import(path, child.lineno, alias.name, (), in_function, explained)
                             for alias in child.names)
            else:
                found.append(Import(path, child.lineno, _absolute(child, package),
                                    tuple(alias.name for alias in child.names), in_function,
                                    explained))

    visit(ast.parse(source, filename=str(path)), False)
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_offences(root: Path) -> list[str]:
    offences = []
    for folder, forbidden in LAYER_RULES.items():
        for path in python_files(root, folder):
            for imp in imports_in(root, path):
                # `from app import models` names the module through its package
                targets = [imp.module] + [f"{imp.module}.{n}" for n in imp.names]
                for prefix in forbidden:
                    if any(_matches(t, prefix) for t in targets):
                        offences.append(f"{imp.where(root)}: {folder} imports {prefix}")
                        break
    return offences


def request_state_offences(root: Path) -> list[str]:
    offences = []
    for path in python_files(root, "app/services"):
        for imp in imports_in(root, path):
            read = set(imp.names) & REQUEST_STATE.get(imp.module, set())
            if read:
                offences.append(f"{imp.where(root)}: a service reads {', '.join(sorted(read))}"
                                " (take the acting user and values as arguments)")
    return offences


def deferred_import_offences(root: Path, folder: str = "app") -> list[str]:
    return [f"{imp.where(root)}: import inside a function without a comment saying why"
            for path in python_files(root, folder) for imp in imports_in(root, path)
            if imp.in_function and not imp.explained]


def feature_cycles(root: Path, folder: str) -> list[str]:
    """Cycles among the feature packages directly under ``folder``, one line per cycle,
    each edge named by the first import that makes it."""
    prefix = folder.replace("/", ".") + "."
    edges: dict[str, dict[str, str]] = {}
    for path in python_files(root, folder):
        source = module_name(root, path)[len(prefix):].partition(".")[0]
        for imp in imports_in(root, path):
            for target in [imp.module] + [f"{imp.module}.{n}" for n in imp.names]:
                if target.startswith(prefix):
                    feature = target[len(prefix):].partition(".")[0]
                    if feature != source and (root / folder / feature).is_dir():
                        edges.setdefault(source, {}).setdefault(feature, imp.where(root))
    return [" -> ".join(f"{a} ({edges[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False))
            + f" -> {cycle[-1]}" for cycle in _cycles(edges)]


def _cycles(edges: dict[str, dict[str, str]]) -> list[list[str]]:
    cycles, seen = [], set()
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(edges.get(node, {})):
                if nxt == start:
                    key = frozenset(trail)
                    if key not in seen:
                        seen.add(key)
                        cycles.append(trail + [start])
                elif nxt not in trail and nxt > start:
                    stack.append((nxt, trail + [nxt]))
    return cycles
