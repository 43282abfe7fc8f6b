"""``flask backup create|verify|restore``: back-ups of the database and every content store (wki/core/backup.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from wki.core.actors import Actor
from wki.core.backup import (
    STORE_KEYS,
    BackupError,
    BackupSummary,
    create_backup,
    record_created,
    record_restored,
    restore_backup,
    verify_backup,
)
from wki.core.extensions import db

backup_cli = AppGroup("backup", help="Back-ups van de database en de opgeslagen bestanden maken, controleren en "
                                     "terugzetten.")


def _nl(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{_nl(-(-size // 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _files(count: int) -> str:
    return f"{_nl(count)} {'bestand' if count == 1 else 'bestanden'}"


def _describe(summary: BackupSummary) -> list[str]:
    manifest = summary.manifest
    database = manifest["database"]
    kind = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database["kind"]]
    lines = [f"  gemaakt op {manifest['created_at']}, database {kind} (versie {database['alembic_revision']}): "
             f"{len(manifest['tables'])} tabellen, {_nl(summary.rows)} rijen"]
    for key in [k for k in STORE_KEYS if k in manifest["stores"]]:  # a back-up names no other store
        files = manifest["stores"][key]["files"]
        lines.append(f"  {key}: {_files(len(files))} ({_size(sum(entry['size'] for entry in files))})")
    return lines


@contextmanager
def _refusals() -> Iterator[None]:
    """A refused or failed back-up command ends with its Dutch message and a non-zero exit status."""
    try:
        yield
    except BackupError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    except (sa.exc.OperationalError, sqlite3.OperationalError) as exc:
        db.session.rollback()
        detail = str(getattr(exc, "orig", exc)).strip()
        raise click.ClickException(f"De database is niet bereikbaar ({detail}). Er is niets veranderd.") from None


@backup_cli.command("create")
@click.argument("path", type=click.Path(path_type=Path))
def backup_create(path: Path) -> None:
    """Maak een back-up in het bestand PATH (of, als PATH een map is, een nieuw bestand met de datum erin)."""
    with _refusals():
        summary = create_backup(path)
    record_created(summary, actor=Actor.cli())
    db.session.commit()
    click.echo(f"Back-up gemaakt: {summary.path} ({_size(summary.size)}).")
    for line in _describe(summary):
        click.echo(line)
    for warning in summary.warnings:
        click.echo(f"Let op: {warning}")


@backup_cli.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
def backup_verify(path: Path) -> None:
    """Controleer een back-up (elke controlewaarde) zonder iets terug te zetten."""
    with _refusals():
        summary = verify_backup(path)
    click.echo(f"Back-up in orde: {summary.path} ({_size(summary.size)}), {_files(summary.files)} gecontroleerd.")
    for line in _describe(summary):
        click.echo(line)


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
def backup_restore(path: Path) -> None:
    """Zet een back-up terug in deze LEGE installatie (een nieuwe database zonder tabellen, lege opslagmappen)."""
    with _refusals():
        summary = restore_backup(path)
    record_restored(summary, actor=Actor.cli())
    db.session.commit()
    click.echo(f"Back-up teruggezet uit {summary.path}; alle controlewaarden en aantallen kloppen.")
    for line in _describe(summary):
        click.echo(line)
    for warning in summary.warnings:
        click.echo(f"Let op: {warning}")
