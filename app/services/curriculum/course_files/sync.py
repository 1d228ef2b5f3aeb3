"""Rows of the database made exactly the items of the course files, matched by key: the one
loop behind the import of questions, quizzes and exercises.

An item whose row is missing is created (version 1); an unchanged one is left alone (not
one attribute set, so no UPDATE); a changed one is filled again, with the next version
when its content hash moved. Rows the files no longer hold are retired (questions: their
key stays taken and attempts keep a snapshot) or deleted, in key order.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.extensions import db

Item = TypeVar("Item")


@dataclass
class ItemCounts:
    """What an import did to questions (retired) or quizzes (removed: their codes)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    removed: list[str] = field(default_factory=list)

    def add(self, other: "ItemCounts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.retired += other.retired
        self.removed.extend(other.removed)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.removed)


def _same_hash(row, digest: str) -> bool:
    return row.content_hash == digest


def sync_by_key(items: Iterable[Item], stored: dict[str, Any], *,
                key: Callable[[Item], str], digest: Callable[[Item], str],
                new: Callable[[Item], Any], fill: Callable[[Any, Item, str], Any],
                current: Callable[[Any, str], bool] = _same_hash,
                retire: Callable[[Any], bool] | None = None) -> ItemCounts:
    """Make ``stored`` (rows by key, consumed) hold exactly ``items``.

    ``new(item)`` makes an empty row, ``fill(row, item, digest)`` writes the item into it,
    ``current(row, digest)`` says the row needs no write (default: same content hash).
    Rows left over are deleted, or with ``retire`` retired (it returns whether the row
    changed, i.e. was not retired already).
    """
    counts = ItemCounts()
    for item in items:
        fingerprint = digest(item)
        row = stored.pop(key(item), None)
        if row is None:
            db.session.add(fill(new(item), item, fingerprint))
            counts.created += 1
        elif current(row, fingerprint):
            counts.unchanged += 1
        else:
            if row.content_hash != fingerprint:
                row.version += 1
            fill(row, item, fingerprint)
            counts.updated += 1
    for code, row in sorted(stored.items()):
        if retire is None:
            db.session.delete(row)  # the checks before the import refused this with attempts
            counts.removed.append(code)
        elif retire(row):
            counts.retired += 1
    return counts
