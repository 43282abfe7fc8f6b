"""``flask signals …``: import, export and match, thin shells around the services."""

from __future__ import annotations

import io
from pathlib import Path

import click

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.files import write_atomically
from wki.signals import bp
from wki.signals.audit_actions import SignalAction
from wki.signals.export import write_export
from wki.signals.imports import SignalFileRejected, import_signals
from wki.signals.judging import match_signals

# The counts' keys as people read them (the engine's keys are data: audit events and job runs keep them).
COUNT_LABELS = {"mogelijke_overtreders": "mogelijke overtreders"}


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Sla ongeldige regels over (ze komen in een afkeurbestand naast het rapport) in plaats van "
                   "het hele bestand te weigeren.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Schrijf het rapport ook naar dit bestand (standaard PATH.rapport.txt bij --skip-invalid).")
def import_command(path: Path, skip_invalid: bool, report_path: Path | None) -> None:
    """Lees een bestand met signalen in (signalen.md) en beoordeel de nieuwe signalen."""
    try:
        result = import_signals(path.read_bytes(), file_name=path.name, actor=Actor.cli(),
                                skip_invalid=skip_invalid)
    except SignalFileRejected as exc:
        db.session.rollback()
        for line in exc.report():
            click.echo(line, err=True)
        raise click.ClickException(exc.message) from None
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    lines = result.report()
    for line in lines:
        click.echo(line)
    if skip_invalid and report_path is None:
        report_path = path.with_name(path.name + ".rapport.txt")
    if report_path is not None:
        write_atomically(report_path, ("\n".join(lines) + "\n").encode())
        click.echo(f"Rapport: {report_path}")
    if result.rejects_csv is not None and report_path is not None:
        rejects = report_path.with_name(path.stem + ".afgekeurd.csv")
        write_atomically(rejects, result.rejects_csv)
        click.echo(f"Afgekeurde regels: {rejects}")


@bp.cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(path: Path) -> None:
    """Schrijf het oordeel over elk signaal (signalen.md, "Export")."""
    out = io.StringIO(newline="")
    rows = write_export(out)
    write_atomically(path, out.getvalue().encode("utf-8"))
    click.echo(f"Geschreven: {path} ({rows} signalen).")


@bp.cli.command("match")
@click.option("--all", "everything", is_flag=True, help="Ook afgehandelde signalen opnieuw beoordelen.")
def match_command(everything: bool) -> None:
    """Beoordeel de open signalen opnieuw tegen de spiegel en groepeer de mogelijke overtreders opnieuw."""
    result = match_signals(only_open=not everything, actor=Actor.cli())
    db.session.commit()
    click.echo("  ".join(f"{COUNT_LABELS.get(k, k)}: {v}" for k, v in result.as_counts().items()))


@bp.cli.command("corrections-export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--with-register", is_flag=True,
              help="Schrijf ook de standen van de spiegel (register en vrijgestelden) naast het bestand, met een "
                   "overzicht PATH.json: dan kan de benchmark de gevallen opnieuw beoordelen.")
def corrections_export_command(path: Path, with_register: bool) -> None:
    """Schrijf elk signaal waarvan een mens het oordeel veranderde, met beide oordelen (voor de benchmark)."""
    from wki.core import audit
    from wki.signals.corrections import write_corrections, write_register_beside

    out = io.StringIO(newline="")
    rows = write_corrections(out)
    write_atomically(path, out.getvalue().encode("utf-8"))
    click.echo(f"Geschreven: {path} ({rows} gecorrigeerde signalen).")
    if with_register:
        for written in write_register_beside(path):
            click.echo(f"Geschreven: {written}")
    audit.record(SignalAction.CORRECTIONS_EXPORTED, object_type="signal", after={"bestand": str(path), "aantal": rows},
                 actor=Actor.cli())
    db.session.commit()
