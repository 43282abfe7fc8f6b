"""Building signal files and a small register for the signals tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from tests.helpers import make_iban
from tests.register.helpers import exempt_row, load, register_row
from wki.core.actors import Actor
from wki.register.models import SnapshotKind
from wki.signals.intake import SIGNAL_COLUMNS
from wki.signals.models import Channel, Signal
from wki.signals.recording import create_signal

__all__ = ["agency", "exempt_row", "judge", "load", "load_exempt", "make_iban", "register_row", "signal_row",
           "signals_csv", "text"]


def signal_row(n: int = 1, **overrides: Any) -> dict[str, str]:
    row = {column: "" for column in SIGNAL_COLUMNS}
    row.update({"referentie": f"MLD-{n:05d}", "ontvangen_op": "2026-03-10", "bron": "consument",
                "naam_incassant": f"Onbekend Incasso {n}", "datum_brief": "2026-03-02"})
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def signals_csv(rows: Iterable[dict[str, str]], *, delimiter: str = ";", encoding: str = "utf-8-sig",
                columns: Iterable[str] = SIGNAL_COLUMNS) -> bytes:
    columns = list(columns)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode(encoding)


def load_exempt(rows: Iterable[dict[str, str]], day: date) -> Any:
    return load(list(rows), day, kind=SnapshotKind.EXEMPT)


def agency(n: int, naam: str, **overrides: str) -> dict[str, str]:
    """A registration with only the name (and an address in Amersfoort): the name alone must decide."""
    values = {"handelsnamen": "", "website": "", "email": "", "telefoon": "", "iban": "", "plaats": "Amersfoort",
              "postcode": "3811 AA"}
    values.update(overrides)
    return register_row(n, naam=naam, **values)


_judged = [0]


def judge(**values: Any) -> Signal:
    """One signal from the staff form, judged at once; each call gets a reference of its own."""
    _judged[0] += 1
    row = signal_row(_judged[0], **{"naam_incassant": "", **values})
    return create_signal(row, channel=Channel.FORM, actor=Actor.process("inspecteur@test"))


def text(signal: Signal) -> str:
    return "\n".join(signal.explanation_lines)
