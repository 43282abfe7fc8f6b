"""People's corrections as labelled cases: every signal whose verdict a person changed, with both verdicts,
in the import format of signalen.md plus the labels, so that the matching benchmark
(``bench/bench_signals_world.py --corrections FILE``) can judge them again and count how many it now gets
right. With ``with_register`` the mirror's states are written beside the file (one register and one exempt
list per applied snapshot whose content differs from the one before), so the cases are judged against the
register they were decided on.

The file is for machines: UTF-8, comma-separated, exact (no spreadsheet escaping). It holds debtors'
reports about collectors, not debtors' names, but it is still the Inspectie's working material: the CLI
records who wrote it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wki.core.extensions import db
from wki.signals.intake import SIGNAL_COLUMNS
from wki.signals.models import Signal

S = Signal
LABEL_COLUMNS = ("automatisch_oordeel", "automatisch_registratienummer", "oordeel", "registratienummer", "reden",
                 "vastgesteld_door", "vastgesteld_op")
COLUMNS = (*SIGNAL_COLUMNS, *LABEL_COLUMNS)
_RAW = {"kvk_nummer": "kvk_raw", "iban": "iban_raw", "website": "website_raw", "email": "email_raw",
        "telefoon": "telefoon_raw"}


def changed_by_a_person() -> Any:
    """Signals with a person's verdict that differs from the automatic one (verdict or registration)."""
    return sa.and_(S.decided_verdict.is_not(None), sa.or_(
        S.auto_verdict.is_(None), S.decided_verdict != S.auto_verdict,
        sa.func.coalesce(S.decided_registratienummer, "") != sa.func.coalesce(S.auto_registratienummer, "")))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def correction_rows() -> Iterator[dict[str, str]]:
    for signal in db.session.scalars(sa.select(S).where(changed_by_a_person()).order_by(S.id)):
        row = {column: _cell(getattr(signal, _RAW.get(column, column))) for column in SIGNAL_COLUMNS}
        row.update({
            "automatisch_oordeel": _cell(signal.auto_verdict),
            "automatisch_registratienummer": _cell(signal.auto_registratienummer),
            "oordeel": _cell(signal.decided_verdict),
            "registratienummer": _cell(signal.decided_registratienummer),
            "reden": _cell(signal.decision_reason),
            "vastgesteld_door": _cell(signal.decided_by),
            "vastgesteld_op": signal.decided_at.isoformat() if signal.decided_at else "",
        })
        yield row


def write_corrections(handle: Any) -> int:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in correction_rows():
        writer.writerow(row)
        n += 1
    return n


def register_states() -> list[tuple[str, date, bytes]]:
    """(kind, date, file) for every applied snapshot whose content differs from the one before: the
    mirror's history in the import format, enough to judge the cases again as they were judged."""
    from wki.register.queries import EXEMPT, REGISTER, applied_snapshot_dates, export_snapshot

    states: list[tuple[str, date, bytes]] = []
    for kind in (REGISTER, EXEMPT):
        previous = None
        for day in applied_snapshot_dates(kind):
            data = export_snapshot(kind, as_of=day)
            if data != previous:
                states.append((kind, day, data))
                previous = data
    return states


def write_register_beside(path: Path) -> list[Path]:
    """The mirror's states beside ``path`` and a manifest (``PATH.json``) that names them."""
    written = []
    items = []
    for n, (kind, day, data) in enumerate(register_states()):
        file = path.with_name(f"{path.stem}.{n:03d}.{kind}.{day.isoformat()}.csv")
        file.write_bytes(data)
        written.append(file)
        items.append({"kind": kind, "date": day.isoformat(), "file": file.name})
    manifest = path.with_name(path.name + ".json")
    manifest.write_text(json.dumps({"corrections": path.name, "snapshots": items}, indent=1))
    written.append(manifest)
    return written


def read_corrections_file(path: Path) -> tuple[dict[str, dict[str, str]], bytes, list[tuple[str, date, bytes]]]:
    """(labels by referentie, the signals as an import file, the register states) from a corrections file
    and the manifest beside it. References are made unique per source (``bron:referentie``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    manifest_path = path.with_name(path.name + ".json")
    snapshots: list[tuple[str, date, bytes]] = []
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        snapshots = [(item["kind"], date.fromisoformat(item["date"]), path.with_name(item["file"]).read_bytes())
                     for item in manifest["snapshots"]]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SIGNAL_COLUMNS)
    labels: dict[str, dict[str, str]] = {}
    for row in rows:
        reference = f"{row['bron']}:{row['referentie']}"[:100]
        writer.writerow([reference if column == "referentie" else row.get(column, "") for column in SIGNAL_COLUMNS])
        labels[reference] = {column: row.get(column, "") for column in LABEL_COLUMNS}
    return labels, out.getvalue().encode("utf-8"), snapshots
