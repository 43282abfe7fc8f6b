"""The application's own command groups: ``flask scheduler`` (runs the jobs the features registered) and
``flask demo`` (demo data across the features). Features bring their own groups through their ``Feature``;
this is the one module that imports the scheduler."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from wki.core.cli import fail
from wki.core.errors import ServiceError
from wki.core.extensions import db


def _app() -> Flask:
    """The application itself, not its proxy: the scheduler hands it to every job it runs."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy typed as Flask
    return app


scheduler_cli = AppGroup("scheduler", help="Geplande taken.")
demo_cli = AppGroup("demo", help="Demogegevens (alleen in de demo-/ontwikkelomgeving).")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Start de planner in dit proces (blijft draaien; één actieve planner tegelijk)."""
    from wki.scheduler import run_scheduler

    run_scheduler(_app())


@scheduler_cli.command("list")
def scheduler_list() -> None:
    """Toon de geregistreerde taken en hun laatste geslaagde run."""
    from wki.core.formatting import fmt_datetime
    from wki.core.jobs import job_freshness, registered_jobs

    fresh = {j["name"]: j for j in job_freshness()}
    for job in registered_jobs():
        entry = fresh[job.name]
        last = fmt_datetime(entry["last_success"]) or "nooit"
        state = "te oud" if entry["stale"] else "op tijd"
        schedule = job.schedule(current_app.config)
        click.echo(f"{job.name:<20} {job.trigger} {schedule}  laatst geslaagd: {last} ({state})")


@scheduler_cli.command("run-job")
@click.argument("name")
def scheduler_run_job(name: str) -> None:
    """Voer één taak nu uit (vastgelegd als handmatige run)."""
    from wki.core.jobs import get_job, run_job_now

    try:
        get_job(name)
    except KeyError:
        raise click.ClickException(f"Onbekende taak {name!r}.") from None
    run = run_job_now(_app(), name)
    assert run is not None  # only a scheduled run can be skipped
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
        fail(exc)
    db.session.commit()
    click.echo("Demogegevens geladen." if created else "Database bevat al gegevens; niets toegevoegd.")
    click.echo(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
    for email, roles in demo_accounts():
        click.echo(f"  {email:<42} {roles}")


def register_cli(app: Flask) -> None:
    from wki.core.worker_cli import worker_cli

    app.cli.add_command(scheduler_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker_cli)
