"""``flask register …``: import, exempt-import, export and sync, thin shells around the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.csvio import parse_date
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.register import bp
from wki.register.models import SnapshotKind, SyncOutcome
from wki.register.services import ImportResult, import_snapshot, record_import, record_refused_import
from wki.register.snapshots import SnapshotRejected


def _date_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} {exc}.") from None


def print_details(result: ImportResult) -> None:
    """What the file holds and would change; not yet whether it was stored (that follows the commit)."""
    if result.encoding:
        click.echo(f"Codering: {result.encoding}.")
    if result.unknown_columns:
        click.echo("Onbekende kolommen (genegeerd): " + ", ".join(result.unknown_columns) + ".")
    if result.counts:
        click.echo("  ".join(f"{name}: {count}" for name, count in result.counts.items()))
    if result.plan is not None and (result.plan.field_changes or result.plan.left):
        diff = result.plan.diff(limit=20)
        for key, changes in diff["gewijzigd"].items():
            for name, old, new in changes:
                click.echo(f"  gewijzigd {key}: {name} {old or '(leeg)'} → {new or '(leeg)'}")
        for key in diff["verdwenen"]:
            click.echo(f"  verdwenen {key}")


def _run_import(kind: str, path: Path, *, file_format: str, snapshot_date: date | None, dry_run: bool) -> None:
    started = utcnow()
    data = path.read_bytes()
    source = str(path.resolve())
    try:
        result = import_snapshot(kind, data, snapshot_date=snapshot_date, file_format=file_format,
                                 file_name=path.name, source=source, actor=Actor.cli(), dry_run=dry_run)
    except SnapshotRejected as exc:
        db.session.rollback()
        for line in exc.report():
            click.echo(line, err=True)
        if not dry_run:
            record_refused_import(exc, kind=kind, source=source, started_at=started, actor=Actor.cli())
            db.session.commit()
        raise click.ClickException(exc.message) from None
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    print_details(result)
    if dry_run:
        db.session.rollback()
        click.echo(result.message)
        if result.outcome == SyncOutcome.QUARANTINED:
            raise SystemExit(3)
        return
    try:
        record_import(result, kind=kind, source=source, started_at=started, actor=Actor.cli())
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        raise click.ClickException(
            f"Het bestand kon niet worden opgeslagen ({type(exc).__name__}); er is niets gewijzigd. "
            "Probeer het opnieuw of neem contact op met de beheerder van de database.") from None
    # Only now is it true: the snapshot (or its quarantine) is stored.
    click.echo(result.message)
    if result.outcome == SyncOutcome.QUARANTINED:
        raise SystemExit(3)
    if result.outcome == SyncOutcome.REJECTED:
        raise SystemExit(1)


FORMAT = click.Choice(["csv", "json"])


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=FORMAT, default="csv", show_default=True, help="Bestandsformaat.")
@click.option("--snapshot-date", callback=_date_option, help="Datum waarop het register zo luidde (standaard vandaag).")
@click.option("--dry-run", is_flag=True, help="Toon wat er zou veranderen, wijzig niets.")
def import_command(path: Path, file_format: str, snapshot_date: date | None, dry_run: bool) -> None:
    """Lees een volledige snapshot van het register in (register.md)."""
    _run_import(SnapshotKind.REGISTER, path, file_format=file_format, snapshot_date=snapshot_date, dry_run=dry_run)


@bp.cli.command("exempt-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--snapshot-date", callback=_date_option, help="Datum waarop de lijst zo luidde (standaard vandaag).")
@click.option("--dry-run", is_flag=True, help="Toon wat er zou veranderen, wijzig niets.")
def exempt_import_command(path: Path, snapshot_date: date | None, dry_run: bool) -> None:
    """Lees de volledige lijst van gerechtsdeurwaarders en advocaten in (vrijgestelden.md)."""
    _run_import(SnapshotKind.EXEMPT, path, file_format="csv", snapshot_date=snapshot_date, dry_run=dry_run)


@bp.cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", callback=_date_option, help="Het register zoals het op deze datum luidde (standaard nu).")
@click.option("--format", "file_format", type=FORMAT, default="csv", show_default=True, help="Bestandsformaat.")
@click.option("--exempt", is_flag=True, help="Exporteer de lijst van vrijgestelden in plaats van het register.")
def export_command(path: Path, as_of: date | None, file_format: str, exempt: bool) -> None:
    """Schrijf het register zoals het op een datum luidde, in het importformaat."""
    from wki.register.queries import export_snapshot

    kind = SnapshotKind.EXEMPT if exempt else SnapshotKind.REGISTER
    data = export_snapshot(kind, as_of=as_of, file_format=file_format)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    rows = data.count(b"\n") - 1 if file_format == "csv" else None
    click.echo(f"Geschreven: {path}" + (f" ({rows} regels)." if rows is not None else "."))


@bp.cli.command("sync")
@click.option("--exempt", is_flag=True, help="Synchroniseer de lijst van vrijgestelden.")
def sync_command(exempt: bool) -> None:
    """Haal de geconfigureerde bron op en lees haar in, zoals de geplande taak doet."""
    from wki.register.sync import run_sync

    run = run_sync(SnapshotKind.EXEMPT if exempt else SnapshotKind.REGISTER, trigger="handmatig")
    click.echo(f"{run.outcome}: {run.message}")
    if not run.succeeded:
        raise SystemExit(1 if run.outcome != SyncOutcome.QUARANTINED else 3)
