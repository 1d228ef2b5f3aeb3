"""The org tree: 重庆市 → districts and counties → towns and streets → communities."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, and_, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.orgtree import ancestor_ids, subtree_bounds
from app.domain.vocabulary import OrgLevel
from app.extensions import db
from app.models.types import enum_type


class OrgUnit(db.Model):
    __tablename__ = "org_unit"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Administrative division code (GB/T 2260 for districts, e.g. 500103) or our own code.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[OrgLevel] = mapped_column(enum_type(OrgLevel, "org_level"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Materialized path of ids from the root, e.g. "/1/5/23/" (see app.domain.orgtree).
    path: Mapped[str] = mapped_column(String(255), unique=True, default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    #: A deactivated unit keeps its history but takes no new cadres; it must be empty first.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(
        back_populates="parent", order_by="OrgUnit.sort_order, OrgUnit.code"
    )

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"

    @property
    def ancestor_ids(self) -> list[int]:
        return ancestor_ids(self.path)

    def subtree_condition(self, path_column=None):
        """SQL condition: a path column lies in this unit's subtree (one index range scan)."""
        return path_in_subtree(self.path, path_column)


def path_in_subtree(root_path: str, path_column=None):
    column = path_column if path_column is not None else OrgUnit.path
    low, high = subtree_bounds(root_path)
    return and_(column >= low, column < high)
