"""Command-line groups: ``flask users``, ``flask scheduler``, ``flask demo``."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from wki.core.auth import Role
from wki.core.errors import ServiceError
from wki.extensions import db

users_cli = AppGroup("users", help="Gebruikers beheren.")
scheduler_cli = AppGroup("scheduler", help="Geplande taken.")
demo_cli = AppGroup("demo", help="Demogegevens (alleen in de demo-/ontwikkelomgeving).")

ROLE_NAMES = [r.value for r in Role]
CLI_ACTOR = "cli"


def cli_actor() -> str:
    """The actor recorded for a command run from a shell: ``cli:<login name>``."""
    return f"{CLI_ACTOR}:{os.environ.get('USER', 'onbekend')}"


def _read_password(confirm: bool = True) -> str:
    """From a prompt on a terminal, else the first line of stdin; never from an argument."""
    if sys.stdin.isatty():
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=confirm)
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise click.ClickException("Geen wachtwoord ontvangen op standaardinvoer.")
    return line


def _fail(exc: ServiceError) -> None:
    db.session.rollback()
    raise click.ClickException(exc.message)


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
        user = services.create_user(email=email, name=name, roles=roles, password=password, actor_email=CLI_ACTOR)
    except ServiceError as exc:
        _fail(exc)
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

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    try:
        services.update_user(user_id=user.id, name=user.name, roles=roles, actor_email=CLI_ACTOR)
    except ServiceError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"Rollen van {user.email}: {', '.join(sorted(user.role_set))}.")


@users_cli.command("deactivate")
@click.argument("email")
def users_deactivate(email: str) -> None:
    """Deactiveer een gebruiker (alle sessies eindigen)."""
    from wki.auth import services

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    try:
        services.set_active(user_id=user.id, active=False, actor_email=CLI_ACTOR)
    except ServiceError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"{user.email} is gedeactiveerd.")


@users_cli.command("reset-password")
@click.argument("email")
def users_reset_password(email: str) -> None:
    """Zet een nieuw wachtwoord (prompt of stdin); de gebruiker moet het bij inloggen wijzigen."""
    from wki.auth import services

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    try:
        services.reset_password(user_id=user.id, actor_email=CLI_ACTOR, new_password=_read_password())
    except ServiceError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"Wachtwoord van {user.email} is gereset.")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Start de planner in dit proces (blijft draaien; één actieve planner tegelijk)."""
    from wki.scheduler import run_scheduler

    run_scheduler(current_app._get_current_object())


@scheduler_cli.command("list")
def scheduler_list() -> None:
    """Toon de geregistreerde taken en hun laatste geslaagde run."""
    from wki.core.formatting import fmt_datetime
    from wki.core.jobs import job_freshness
    from wki.scheduler import JOBS

    fresh = {j["name"]: j for j in job_freshness()}
    for job in JOBS:
        entry = fresh[job.name]
        last = fmt_datetime(entry["last_success"]) or "nooit"
        state = "te oud" if entry["stale"] else "op tijd"
        schedule = job.schedule(current_app.config)
        click.echo(f"{job.name:<20} {job.trigger} {schedule}  laatst geslaagd: {last} ({state})")


@scheduler_cli.command("run-job")
@click.argument("name")
def scheduler_run_job(name: str) -> None:
    """Voer één taak nu uit (vastgelegd als handmatige run)."""
    from wki.scheduler import get_job, run_job_now

    try:
        get_job(name)
    except KeyError:
        raise click.ClickException(f"Onbekende taak {name!r}.") from None
    run = run_job_now(current_app._get_current_object(), name)
    click.echo(f"{name}: {run.outcome} {run.counts or ''}")
    if run.outcome != "geslaagd":
        sys.exit(1)


@demo_cli.command("seed")
@click.option("--seed", default=2026, show_default=True, help="Toevalszaad; dezelfde waarde geeft dezelfde data.")
@click.option("--users", "extra_users", default=12, show_default=True, type=click.IntRange(min=0),
              help="Aantal extra collega's.")
@click.option("--if-empty", is_flag=True, help="Alleen vullen als er nog geen gebruikers zijn.")
def demo_seed(seed: int, extra_users: int, if_empty: bool) -> None:
    """Vul de database met synthetische demogegevens en toon de demo-accounts."""
    from wki.demo import DEMO_PASSWORD, demo_accounts, seed_demo

    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("Demogegevens zijn alleen toegestaan in de demo-/ontwikkelomgeving.")
    try:
        created = seed_demo(seed=seed, extra_users=extra_users, if_empty=if_empty)
    except ServiceError as exc:
        _fail(exc)
    db.session.commit()
    click.echo("Demogegevens geladen." if created else "Database bevat al gegevens; niets toegevoegd.")
    click.echo(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
    for email, roles in demo_accounts():
        click.echo(f"  {email:<42} {roles}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(demo_cli)
