"""`flask --app wsgi users ...`: create accounts and manage roles from the shell."""

import click
from flask.cli import AppGroup

from app.domain.learning import CITY_TIMEZONE
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.services.core.errors import ServiceError
from app.services.people.accounts import (
    create_user,
    deactivate_user,
    find_user_by_username,
    grant_role,
    reactivate_user,
    revoke_role,
)
from app.services.people.one_time_passwords import set_one_time_password
from app.services.people.org import find_unit_by_code

users_cli = AppGroup("users", help="Create accounts and manage roles.")


def _unit(code: str):
    unit = find_unit_by_code(code)
    if unit is None:
        raise click.BadParameter(f"no org unit with code {code}", param_hint="--org/--scope")
    return unit


def _user(username: str):
    user = find_user_by_username(username)
    if user is None:
        raise click.BadParameter(f"no user {username}", param_hint="USERNAME")
    return user


def _commit_or_fail(action):
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    return result


@users_cli.command("create")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--org", "org_code", required=True, help="Org unit code, e.g. 500103.")
@click.option("--rank", type=click.Choice([r.value for r in Rank]), default=Rank.STAFF.value,
              show_default=True)
@click.option("--category", type=click.Choice([c.value for c in WorkCategory]),
              default=WorkCategory.ADMINISTRATION.value, show_default=True)
@click.option("--role", "roles", multiple=True,
              type=click.Choice([r.value for r in RoleName if r is not RoleName.CADRE]))
@click.option("--scope", "scope_code", help="Org unit code an HR role may see.")
@click.password_option()
def create_command(username, name, org_code, rank, category, roles, scope_code, password):
    """Create an account (always a cadre; add --role trainer/hr/admin)."""
    unit = _unit(org_code)
    scope = _unit(scope_code) if scope_code else None

    def action():
        user = create_user(username=username, name=name, org_unit=unit, rank=Rank(rank),
                           category=WorkCategory(category), password=password, actor=None)
        for role in roles:
            grant_role(user, RoleName(role), scope=scope, actor=None)
        return user

    user = _commit_or_fail(action)
    click.echo(f"Created {user.username} ({user.name}).")


@users_cli.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in RoleName]))
@click.option("--scope", "scope_code", help="Org unit code an HR role may see.")
def grant_command(username, role, scope_code):
    """Give USERNAME a role."""
    user = _user(username)
    scope = _unit(scope_code) if scope_code else None
    _commit_or_fail(lambda: grant_role(user, RoleName(role), scope=scope, actor=None))
    click.echo(f"{username} now has the role {role}.")


@users_cli.command("revoke")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in RoleName]))
def revoke_command(username, role):
    """Take a role away from USERNAME."""
    user = _user(username)
    _commit_or_fail(lambda: revoke_role(user, RoleName(role), actor=None))
    click.echo(f"{username} no longer has the role {role}.")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate_command(username):
    """Stop USERNAME from signing in and end their sessions."""
    user = _user(username)
    _commit_or_fail(lambda: deactivate_user(user, actor=None))
    click.echo(f"{username} deactivated.")


@users_cli.command("reactivate")
@click.argument("username")
def reactivate_command(username):
    """Let a deactivated USERNAME sign in again."""
    user = _user(username)
    _commit_or_fail(lambda: reactivate_user(user, actor=None))
    click.echo(f"{username} reactivated.")


@users_cli.command("reset-password")
@click.argument("username")
def reset_password_command(username):
    """Give USERNAME a one-time password (printed once); they must change it at sign-in."""
    user = _user(username)
    password = _commit_or_fail(lambda: set_one_time_password(user, actor=None))
    click.echo(f"One-time password for {username}: {password}")
    expires = user.one_time_password_expires_at.astimezone(CITY_TIMEZONE)
    click.echo(f"It is shown only now and works until {expires:%Y-%m-%d %H:%M} (Asia/Shanghai);"
               " the next sign-in must choose a new password.")
