"""Materialized paths for the org tree.

A unit's path lists the ids from the root down to itself, e.g. ``/1/5/23/``.
"This unit and everything below it" is then one range scan on an ordinary
B-tree index: ``path >= '/1/5/' AND path < '/1/50'`` (``'0'`` is the character
after ``'/'``, and ids are digits, so no sibling such as ``/1/50/`` falls in).
"""

SEPARATOR = "/"
_AFTER_SEPARATOR = chr(ord(SEPARATOR) + 1)  # '0'


class OrgTreeError(ValueError):
    """A change that would break the tree (e.g. a unit under its own descendant)."""


def child_path(parent_path: str | None, unit_id: int) -> str:
    if unit_id <= 0:
        raise OrgTreeError("unit id must be positive")
    return f"{parent_path or SEPARATOR}{unit_id}{SEPARATOR}"


def subtree_bounds(path: str) -> tuple[str, str]:
    """Half-open [low, high) range of paths in the subtree rooted at ``path``."""
    if not path.endswith(SEPARATOR):
        raise OrgTreeError(f"malformed path {path!r}")
    return path, path[:-1] + _AFTER_SEPARATOR


def in_subtree(path: str, root_path: str) -> bool:
    low, high = subtree_bounds(root_path)
    return low <= path < high


def ancestor_ids(path: str) -> list[int]:
    """Ids from the root down to the unit itself."""
    return [int(part) for part in path.strip(SEPARATOR).split(SEPARATOR) if part]


def depth(path: str) -> int:
    return len(ancestor_ids(path)) - 1


def check_move(unit_path: str, new_parent_path: str | None) -> None:
    """Refuse to put a unit under itself or one of its descendants."""
    if new_parent_path is not None and in_subtree(new_parent_path, unit_path):
        raise OrgTreeError("a unit cannot be moved under itself or one of its descendants")


def rebase(path: str, old_prefix: str, new_prefix: str) -> str:
    """The path of a descendant after its ancestor moved from old_prefix to new_prefix."""
    if not path.startswith(old_prefix):
        raise OrgTreeError(f"{path!r} is not under {old_prefix!r}")
    return new_prefix + path[len(old_prefix):]
