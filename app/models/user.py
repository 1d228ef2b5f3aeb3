"""People and their roles."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    func,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.usernames import canonical_username
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models.org import OrgUnit
from app.models.types import UTCDateTime, enum_type, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The employee number from the HR system; what people type to sign in.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    rank: Mapped[Rank] = mapped_column(enum_type(Rank, "rank"))
    category: Mapped[WorkCategory] = mapped_column(enum_type(WorkCategory, "work_category"))
    active: Mapped[bool] = mapped_column(default=True)
    #: "zh" or "en"; None follows the browser.
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Set for a one-time password (roster import, admin reset): the next sign-in must
    #: choose a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: When the one-time password stops working (ONE_TIME_PASSWORD_DAYS after it was made);
    #: None once its owner has chosen their own password.
    one_time_password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Bumped on logout, password change and deactivation; sessions carrying an
    #: older value are refused, so a captured cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship()
    roles: Mapped[list[Role]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    @classmethod
    def username_is(cls, text: str) -> ColumnElement[bool]:
        """The account whose 工号 is ``text`` in any case or width (one rule: canonical_username).

        The exact spelling is asked too: the database's upper() and Python's may differ on a
        non-ASCII letter, and an account must always be found by its own spelling.
        """
        return or_(cls.username == text.strip(),
                   func.upper(cls.username) == canonical_username(text))

    # Flask-Login: the id carries the session version, so old cookies no longer load a user.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_names(self) -> frozenset[RoleName]:
        return frozenset(role.name for role in self.roles)

    def has_role(self, *names: RoleName) -> bool:
        return bool(self.role_names.intersection(names))


#: Two accounts never differ only in the case of their 工号 (app.domain.usernames).
Index("uq_user_account_username_folded", func.upper(User.username), unique=True)


class Role(db.Model):
    """One role held by one user; an HR role carries the unit whose subtree it may see."""

    __tablename__ = "user_role"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        CheckConstraint("name <> 'hr' OR scope_unit_id IS NOT NULL", name="hr_needs_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[RoleName] = mapped_column(enum_type(RoleName, "role_name"))
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
    scope_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")


class SignInThrottle(db.Model):
    """Recent failed sign-ins for one sign-in name, whether or not an account has it (so
    throttling reveals nothing about which accounts exist); see app.domain.lockout."""

    __tablename__ = "sign_in_throttle"

    #: The name as typed, trimmed and case-folded.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
