"""One page of a query's results: two queries (count, then the page) whatever the data size."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):  # noqa: UP046 - Python 3.11 has no PEP 695 syntax
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(statement: Select, *, page: int, per_page: int) -> Page:
    """Run a SELECT of entities for one page; ``statement`` must carry its ORDER BY."""
    page = max(page, 1)
    total = db.session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page))
    return Page(items=list(items.unique()), total=total, page=page, per_page=per_page)
