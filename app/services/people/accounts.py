"""Sign-in, sign-out, passwords, accounts and roles."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select

from app.domain.password_policy import password_problems
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import OrgUnit, Role, User
from app.models.types import utcnow
from app.services.core.audit import record_event, user_target
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.people.passwords import (
    hash_password,
    password_needs_rehash,
    verify_password,
    verify_sign_in,
)
from app.services.people.throttle import clear_failures, count_failure, throttled_until


class LoginOutcome(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # unknown user or wrong password: deliberately indistinguishable
    THROTTLED = "throttled"  # too many failures for this name (account or not): wait
    INACTIVE = "inactive"
    ONE_TIME_EXPIRED = "one_time_expired"  # the right one-time password, but too old


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    retry_at: datetime | None = None
    expired_at: datetime | None = None


class AccountRefused(ServiceError):
    """A refused account or role change. ``code`` names the rule (the web translates it);
    the message is plain English for the command line."""

    def __init__(self, code: str, message: str, /, **params):
        super().__init__(message)
        self.code = code
        self.params = params


class WeakPasswordError(ServiceError):
    def __init__(self, problems: list[str]):
        super().__init__(", ".join(problems))
        self.problems = problems


def find_user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_is(username)))


def authenticate_user(username: str, password: str, *, ip: str | None) -> LoginResult:
    """Check a sign-in attempt; failures slow further attempts for the name (throttle)."""
    now = utcnow()
    retry_at = throttled_until(username, now)
    if retry_at is not None:
        record_event("auth.login_throttled", actor=None, details=_name(username), ip=ip)
        return LoginResult(LoginOutcome.THROTTLED, retry_at=retry_at)
    user = find_user_by_username(username)
    if not verify_sign_in(user.password_hash if user else None, password):
        return _register_failure(username, user, now, ip)
    if not user.active:
        record_event("auth.login_refused_inactive", actor=None, target=user_target(user), ip=ip)
        return LoginResult(LoginOutcome.INACTIVE)
    if one_time_password_expired(user, now):
        record_event("auth.login_refused_one_time_expired", actor=None,
                     target=user_target(user), ip=ip)
        return LoginResult(LoginOutcome.ONE_TIME_EXPIRED,
                           expired_at=user.one_time_password_expires_at)
    clear_failures(username)
    user.last_login_at = now
    # Hashing parameters changed since this hash was made: store one at today's cost. A
    # one-time password keeps its light hash until its owner replaces it (one_time_password).
    if not user.must_change_password and password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record_event("auth.login", actor=user, target=user_target(user), ip=ip)
    return LoginResult(LoginOutcome.OK, user=user)


def one_time_password_expired(user: User, now: datetime) -> bool:
    """A one-time password past its expiry no longer signs in (an administrator resets it)."""
    expires = user.one_time_password_expires_at
    return user.must_change_password and expires is not None and now >= expires


def _register_failure(username: str, user: User | None, now: datetime, ip: str | None):
    target = user_target(user) if user is not None else None
    record_event("auth.login_failed", actor=None, target=target,
                 details=None if user is not None else _name(username), ip=ip)
    throttle = count_failure(username, now)
    if throttle.blocked_until is None:
        return LoginResult(LoginOutcome.INVALID)
    record_event("auth.throttled", actor=None, target=target, ip=ip, details={
        **_name(username), "failures": throttle.failures,
        "until": throttle.blocked_until.isoformat()})
    return LoginResult(LoginOutcome.THROTTLED, retry_at=throttle.blocked_until)


def _name(username: str) -> dict:
    return {"username": username[:64]}


def end_sessions(user: User) -> None:
    """Invalidate every session of this user (logout, password change, deactivation)."""
    user.session_version += 1


def log_out_user(user: User, *, ip: str | None) -> None:
    end_sessions(user)
    record_event("auth.logout", actor=user, target=user_target(user), ip=ip)


def change_password(user: User, current: str, new: str, *, ip: str | None) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError("wrong_current_password")
    problems = password_problems(new, username=user.username)
    if user.must_change_password and new == current:
        problems.append("same_as_one_time")
    if problems:
        raise WeakPasswordError(problems)
    was_one_time = user.must_change_password
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.one_time_password_expires_at = None
    end_sessions(user)
    record_event("auth.password_changed", actor=user, target=user_target(user),
                 details={"one_time_replaced": True} if was_one_time else None, ip=ip)


def set_preferred_language(user: User, language: str, *, allowed: tuple[str, ...]) -> bool:
    if language not in allowed:
        return False
    user.preferred_language = language
    return True


def create_user(
    *,
    username: str,
    name: str,
    org_unit: OrgUnit,
    rank: Rank,
    category: WorkCategory,
    password: str | None = None,
    password_hash: str | None = None,
    actor: User | None,
) -> User:
    """Create an account holding the cadre role. Pass a password or a ready hash."""
    username = username.strip()
    if not username or not name.strip():
        raise AccountRefused("required", "username and name are required")
    if find_user_by_username(username) is not None:
        raise AccountRefused("username_taken", f"username {username} already exists",
                             username=username)
    require_active_unit(org_unit)
    if password_hash is None:
        if password is None:
            raise ServiceError("a password is required")
        problems = password_problems(password, username=username)
        if problems:
            raise WeakPasswordError(problems)
        password_hash = hash_password(password)
    user = User(username=username, name=name.strip(), org_unit=org_unit, rank=rank,
                category=category, password_hash=password_hash)
    user.roles.append(Role(name=RoleName.CADRE))
    db.session.add(user)
    db.session.flush()
    record_event("users.created", actor=actor, target=user_target(user))
    return user


def grant_role(
    user: User, role: RoleName, *, scope: OrgUnit | None = None, actor: User | None,
    ip: str | None = None,
) -> Role:
    """Give a role (HR needs a scope unit); granting a held role updates its scope."""
    require_admin(actor)
    if role is RoleName.HR and scope is None:
        raise AccountRefused("hr_needs_scope",
                             "an HR role needs the org unit whose subtree it may see")
    if role is RoleName.HR:
        require_active_unit(scope)
    existing = next((r for r in user.roles if r.name == role), None)
    if existing is None:
        existing = Role(name=role)
        user.roles.append(existing)
    existing.scope_unit = scope if role is RoleName.HR else None
    db.session.flush()
    record_event("roles.granted", actor=actor, target=user_target(user),
                 details={"role": role.value, "scope": scope.code if scope else None}, ip=ip)
    return existing


def revoke_role(user: User, role: RoleName, *, actor: User | None, ip: str | None = None) -> None:
    """Take a role away. Admins keep their own admin role (another admin removes it), and
    the last active administrator keeps theirs."""
    require_admin(actor)
    held = next((r for r in user.roles if r.name == role), None)
    if held is None:
        return
    if role is RoleName.ADMIN:
        if actor is not None and actor.id == user.id:
            raise AccountRefused("own_admin_role",
                                 "you cannot remove your own administrator role")
        _keep_an_administrator(user)
    user.roles.remove(held)
    db.session.flush()
    record_event("roles.revoked", actor=actor, target=user_target(user),
                 details={"role": role.value}, ip=ip)


def deactivate_user(user: User, *, actor: User | None, ip: str | None = None) -> None:
    """Stop the user signing in and end their sessions; their records stay (no deletion)."""
    require_admin(actor)
    if not user.active:
        return
    if actor is not None and actor.id == user.id:
        raise AccountRefused("self_deactivation", "you cannot deactivate your own account")
    if user.has_role(RoleName.ADMIN):
        _keep_an_administrator(user)
    user.active = False
    end_sessions(user)
    record_event("users.deactivated", actor=actor, target=user_target(user), ip=ip)


def reactivate_user(user: User, *, actor: User | None, ip: str | None = None) -> None:
    """Let a deactivated user sign in again (their unit must still be active)."""
    require_admin(actor)
    if user.active:
        return
    require_active_unit(user.org_unit)
    user.active = True
    clear_failures(user.username)
    record_event("users.reactivated", actor=actor, target=user_target(user), ip=ip)


def _keep_an_administrator(user: User) -> None:
    """Refuse a change that would leave no active administrator besides ``user``."""
    others = db.session.scalar(
        select(func.count()).select_from(Role).join(User, Role.user_id == User.id)
        .where(Role.name == RoleName.ADMIN, User.active, User.id != user.id))
    if not others:
        raise AccountRefused("last_admin", "cannot remove the last administrator")


def require_active_unit(unit: OrgUnit) -> None:
    """Nobody joins a deactivated unit (None: a unit not flushed yet, active by default)."""
    if unit.active is False:
        raise AccountRefused("inactive_unit", f"org unit {unit.code} is deactivated",
                             unit=unit.name)


def require_admin(actor: User | None) -> None:
    """Role changes are for admins; None is the system itself (CLI, seeding)."""
    if actor is not None and not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only administrators manage roles and accounts")
