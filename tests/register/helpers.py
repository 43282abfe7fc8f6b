"""Building register and exempt-list files for tests: valid by default, any cell overridable."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from tests.helpers import make_iban
from wki.core.actors import Actor
from wki.register.models import SnapshotKind
from wki.register.services import ImportResult, import_snapshot
from wki.register.validation import EXEMPT_COLUMNS, REGISTER_COLUMNS


def register_row(n: int = 1, **overrides: Any) -> dict[str, str]:
    """A valid, currently registered agency; ``n`` makes the identifiers unique."""
    row = {
        "registratienummer": f"R2024-{n:05d}",
        "naam": f"Incassobureau {n} B.V.",
        "handelsnamen": f"Incasso {n}|IB{n} Collect",
        "kvk_nummer": f"{10000000 + n:08d}",
        "vestigingsnummer": f"{n:012d}",
        "straat": "Stationsweg",
        "huisnummer": str(n),
        "postcode": "9711 AB",
        "plaats": "Groningen",
        "website": f"incasso{n}.nl",
        "email": f"info@incasso{n}.nl",
        "telefoon": "050-3123456",
        "iban": make_iban(n),
        "status": "ingeschreven",
        "datum_inschrijving": "2024-05-13",
        "datum_einde": "",
        "geldig_tot": "2027-05-13",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def exempt_row(n: int = 1, **overrides: Any) -> dict[str, str]:
    row = {"naam": f"Deurwaarderskantoor {n}", "kvk_nummer": f"{20000000 + n:08d}", "beroep": "gerechtsdeurwaarder",
           "plaats": "Utrecht", "website": f"deurwaarder{n}.nl"}
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def to_csv(rows: Iterable[dict[str, str]], *, columns: Iterable[str] = REGISTER_COLUMNS, delimiter: str = ",",
           encoding: str = "utf-8", header: dict[str, str] | None = None) -> bytes:
    """CSV bytes; ``header`` renames columns in the header line (to test the column mapping)."""
    columns = list(columns)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([(header or {}).get(c, c) for c in columns])
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode(encoding)


def exempt_csv(rows: Iterable[dict[str, str]], **kwargs: Any) -> bytes:
    return to_csv(rows, columns=EXEMPT_COLUMNS, **kwargs)


def load(rows: Iterable[dict[str, str]] | bytes, day: date, *, kind: str = SnapshotKind.REGISTER,
         **kwargs: Any) -> ImportResult:
    """Import rows (or file bytes) as the snapshot of ``day`` in the test's transaction."""
    data = rows if isinstance(rows, bytes) else (to_csv(rows) if kind == SnapshotKind.REGISTER else exempt_csv(rows))
    return import_snapshot(kind, data, snapshot_date=day, actor=Actor.process("test"), **kwargs)
