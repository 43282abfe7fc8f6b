"""``flask supervision …``: the staff-list check and the risk-based priorities from the command line, thin
shells around ``staff`` and ``priorities``. Output files are written atomically (a reader never sees half a
file), and a refused staff list writes none."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from wki.core.csvio import parse_date
from wki.core.files import write_atomically

supervision_cli = AppGroup("supervision", help="Toezicht: de personeelslijst controleren en de risicogestuurde "
                                               "prioriteiten wegschrijven.")


def _date_option(_ctx: click.Context, _param: click.Parameter, value: str) -> date:
    """JJJJ-MM-DD or DD-MM-JJJJ (``core.csvio.parse_date``); a bad date is a usage error (exit 2)."""
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} {exc}.") from None


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _problem_lines(exc: Exception) -> list[str]:
    """Every line that says why a staff list was refused: the message, then each problem (a row error or a
    sentence)."""
    report = getattr(exc, "report", None)
    if callable(report):
        return [str(line) for line in report()]
    problems: list[Any] = list(getattr(exc, "problems", None) or getattr(exc, "errors", None) or [])
    lines = [str(getattr(exc, "message", None) or exc)]
    for problem in problems:
        describe = getattr(problem, "describe", None)
        lines.append(str(describe()) if callable(describe) else str(problem))
    return lines


@supervision_cli.command("check-staff")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", required=True, callback=_date_option,
              help="Inspectiedatum: wie op deze dag in dienst is, wordt gecontroleerd (JJJJ-MM-DD of DD-MM-JJJJ).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Resultaatbestand (CSV: naam,eis,bevinding,toelichting).")
def check_staff_command(path: Path, as_of: date, out: Path) -> None:
    """Controleer een personeelslijst (personeel.md): VOG, opleidingsniveau en bijscholing. Eindigt met 1 als
    het bestand niet te controleren is; dan wordt geen resultaatbestand geschreven."""
    # Imported when the command runs: listing the commands (flask --help) does not load the checks.
    from wki.supervision.staff import StaffListError, check_staff_list, findings_csv

    try:
        check = check_staff_list(path.read_bytes(), as_of=as_of)
    except StaffListError as exc:
        for line in _problem_lines(exc):
            click.echo(line, err=True)
        raise SystemExit(1) from None
    write_atomically(out, findings_csv(check))
    findings = len(check.findings)
    click.echo(f"{check.people} {'persoon' if check.people == 1 else 'personen'} in dienst op {_d(as_of)}, "
               f"{findings} {'bevinding' if findings == 1 else 'bevindingen'}.")
    click.echo(f"Geschreven: {out}")


@supervision_cli.command("priorities")
@click.option("--as-of", "as_of", required=True, callback=_date_option,
              help="Peildatum: de ingeschreven bureaus en hun risico's op deze dag (JJJJ-MM-DD of DD-MM-JJJJ).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV-bestand: registratienummer,naam,prioriteit,toelichting.")
def priorities_command(as_of: date, out: Path) -> None:
    """Schrijf de risicogestuurde prioriteit van elk ingeschreven incassobureau, de hoogste eerst."""
    from wki.supervision.priorities import priorities_csv  # as above: loaded when the command runs

    data = priorities_csv(as_of)
    write_atomically(out, data)
    rows = len(list(csv.reader(io.StringIO(data.decode("utf-8"))))) - 1
    click.echo(f"Geschreven: {out} ({rows} {'bureau' if rows == 1 else 'bureaus'}, peildatum {_d(as_of)}).")
