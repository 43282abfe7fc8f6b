"""``flask users …``: create and manage accounts from a shell (thin shells around wki/auth/services.py)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from wki.auth.models import User
from wki.core.actors import CLI_ACTOR, Actor
from wki.core.auth import Role
from wki.core.cli import fail
from wki.core.errors import ServiceError
from wki.core.extensions import db

users_cli = AppGroup("users", help="Gebruikers beheren.")

ROLE_NAMES = [r.value for r in Role]


def _user(email: str) -> User:
    """The account with this e-mail address; a Dutch error for the shell otherwise."""
    from wki.auth import services

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    return user


def _read_password(confirm: bool = True) -> str:
    """From a prompt on a terminal, else the first line of stdin; never from an argument."""
    if sys.stdin.isatty():
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=confirm)
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise click.ClickException("Geen wachtwoord ontvangen op standaardinvoer.")
    return line


@users_cli.command("create")
@click.option("--email", required=True, help="E-mailadres (inlognaam).")
@click.option("--name", required=True, help="Volledige naam.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLE_NAMES),
              help="Rol; herhaal voor meer rollen.")
def users_create(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Maak een gebruiker aan; het wachtwoord komt van de prompt of van stdin."""
    from wki.auth import services

    password = _read_password()
    try:
        user = services.create_user(email=email, name=name, roles=roles, password=password, actor=Actor.process(CLI_ACTOR))
    except ServiceError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"Gebruiker {user.email} aangemaakt (id {user.id}) met rollen: {', '.join(sorted(user.role_set))}.")


@users_cli.command("list")
def users_list() -> None:
    """Toon alle gebruikers met hun rollen en status."""
    from wki.auth import services

    for user in services.list_users():
        status = "actief" if user.active else "gedeactiveerd"
        if services.is_locked(user):
            status += ", geblokkeerd"
        totp = "2FA" if user.totp_enabled else "geen 2FA"
        click.echo(f"{user.id:>5}  {user.email:<40} {','.join(sorted(user.role_set)):<40} {status} ({totp})")


@users_cli.command("set-roles")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLE_NAMES))
def users_set_roles(email: str, roles: tuple[str, ...]) -> None:
    """Vervang de rollen van een gebruiker."""
    from wki.auth import services

    user = _user(email)
    try:
        services.update_user(user_id=user.id, name=user.name, roles=roles, actor=Actor.process(CLI_ACTOR))
    except ServiceError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"Rollen van {user.email}: {', '.join(sorted(user.role_set))}.")


@users_cli.command("deactivate")
@click.argument("email")
def users_deactivate(email: str) -> None:
    """Deactiveer een gebruiker (alle sessies eindigen)."""
    from wki.auth import services

    user = _user(email)
    try:
        services.set_active(user_id=user.id, active=False, actor=Actor.process(CLI_ACTOR))
    except ServiceError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"{user.email} is gedeactiveerd.")


@users_cli.command("reset-password")
@click.argument("email")
def users_reset_password(email: str) -> None:
    """Zet een nieuw wachtwoord (prompt of stdin); de gebruiker moet het bij inloggen wijzigen."""
    from wki.auth import services

    user = _user(email)
    try:
        services.reset_password(user_id=user.id, actor=Actor.process(CLI_ACTOR), new_password=_read_password())
    except ServiceError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"Wachtwoord van {user.email} is gereset.")
