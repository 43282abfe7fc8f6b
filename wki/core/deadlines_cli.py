"""``flask deadlines compute``: the deadline engine (wki/core/deadlines.py) on the command line, one deadline
or a file of them, with the days administrators equated with holidays (Beheer → Feestdagen en termijnen)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from wki.core.csvio import CsvFormatError, RowError, open_csv
from wki.core.deadlines import Period, compute, parse_day
from wki.core.errors import ServiceError
from wki.core.files import write_atomically

deadlines_cli = AppGroup("deadlines", help="Wettelijke termijnen berekenen (Awb en Algemene termijnenwet).")

BATCH_COLUMNS = ("datum", "termijn")
BATCH_LABELS = {"datum": "Datum", "termijn": "Termijn"}
MAX_LISTED = 200  # bad rows named in a refusal; the rest are counted


class BatchRefused(Exception):
    """The file is refused as a whole; ``lines`` say why, in Dutch (every bad row with its line number)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def compute_batch(data: bytes, extra_days: dict[date, str]) -> tuple[bytes, int]:
    """The result file (``datum,termijn,einddatum``, ISO dates, UTF-8) and its number of rows for a file with
    ``datum,termijn``; ``BatchRefused`` when the file or any of its rows is wrong."""
    try:
        table = open_csv(data, columns=BATCH_COLUMNS, required=set(BATCH_COLUMNS), labels=BATCH_LABELS)
        rows = list(table.rows())
    except CsvFormatError as exc:
        raise BatchRefused([f"Het bestand is niet gelezen: {exc}"]) from None
    errors: list[RowError] = []
    parsed: list[tuple[date, Period]] = []
    for line, cells in rows:
        if cells is None:
            errors.append(RowError(line, None, None, "de regel heeft meer kolommen dan de kopregel"))
            continue
        day = period = None
        try:
            day = parse_day(cells[0])
        except ServiceError as exc:
            errors.append(RowError(line, "datum", None, _reason(exc), label=BATCH_LABELS["datum"]))
        try:
            period = Period.parse(cells[1])
        except ServiceError as exc:
            errors.append(RowError(line, "termijn", None, _reason(exc), label=BATCH_LABELS["termijn"]))
        if day is not None and period is not None:
            parsed.append((day, period))
    if errors:
        head = (f"Het bestand is geweigerd: {len(errors)} {'fout' if len(errors) == 1 else 'fouten'}; "
                "er is niets geschreven.")
        listed = [error.describe() for error in errors[:MAX_LISTED]]
        more = [f"… en nog {len(errors) - MAX_LISTED} fouten."] if len(errors) > MAX_LISTED else []
        raise BatchRefused([head, *listed, *more])
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("datum", "termijn", "einddatum"))
    for day, period in parsed:
        writer.writerow((day.isoformat(), str(period), compute(day, period, extra_days=extra_days).end.isoformat()))
    return out.getvalue().encode("utf-8"), len(parsed)


def _reason(exc: ServiceError) -> str:
    """A service's message as a reason in a row report: without its closing full stop, first letter small."""
    text = exc.message.rstrip(".")
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


@deadlines_cli.command("compute")
@click.argument("event_date", required=False)
@click.argument("period", required=False)
@click.option("--batch", "batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV-bestand met de kolommen datum,termijn (datum JJJJ-MM-DD of D-M-JJJJ; termijn zoals 6w).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Met --batch: het resultaatbestand (CSV: datum,termijn,einddatum).")
def compute_command(event_date: str | None, period: str | None, batch: Path | None, out: Path | None) -> None:
    """Bereken de laatste dag van een termijn: EVENT_DATE (JJJJ-MM-DD of D-M-JJJJ) en PERIOD (10d, 2w, 6w,
    13w, 3m). De eerste regel is de laatste dag (JJJJ-MM-DD), daarna volgt de uitleg, stap voor stap. Met
    --batch en --out: een heel bestand; één foute regel en het hele bestand wordt geweigerd (exitcode 1)."""
    from wki.core.equated_days import equated_days  # loaded when the command runs, not for flask --help

    if batch is not None or out is not None:
        if batch is None or out is None or event_date is not None or period is not None:
            raise click.UsageError("Gebruik --batch IN.csv --out UIT.csv samen, zonder datum en termijn.")
        try:
            data, count = compute_batch(batch.read_bytes(), equated_days())
        except BatchRefused as exc:
            for line in exc.lines:
                click.echo(line, err=True)
            raise SystemExit(1) from None
        write_atomically(out, data)
        click.echo(f"Geschreven: {out} ({count} {'termijn' if count == 1 else 'termijnen'}).")
        return
    if event_date is None or period is None:
        raise click.UsageError("Geef een datum en een termijn (bijvoorbeeld 2026-03-03 6w), of --batch en --out.")
    try:
        deadline = compute(parse_day(event_date), Period.parse(period), extra_days=equated_days())
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(deadline.end.isoformat())
    for step in deadline.steps:
        click.echo(step)
