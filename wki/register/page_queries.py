"""Reads that only the register pages need, beside those of ``queries`` and ``services``.

Kept apart from ``queries`` (what other features ask of the mirror) so that page details such as
which columns a list leaves unloaded do not leak into the interface other features depend on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, defer

from wki.extensions import db
from wki.register.models import (
    ChangeKind,
    RegisterChange,
    RegisterSnapshot,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
)
from wki.register.queries import export_cells
from wki.register.snapshots import DATASETS

# The diff sample is needed on a snapshot's own page only (the held file is deferred in models.py).
_LIGHT_SNAPSHOT = (defer(RegisterSnapshot.diff),)


def list_snapshots(*, kind: str | None = None, status: str | None = None, page: int = 1, per_page: int = 50) -> Any:
    """Snapshots, newest first, optionally of one kind and status (paginated)."""
    stmt = (sa.select(RegisterSnapshot).options(*_LIGHT_SNAPSHOT)
            .order_by(RegisterSnapshot.snapshot_date.desc(), RegisterSnapshot.id.desc()))
    if kind:
        stmt = stmt.where(RegisterSnapshot.kind == kind)
    if status:
        stmt = stmt.where(RegisterSnapshot.status == status)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def count_quarantined() -> int:
    stmt = sa.select(sa.func.count()).select_from(RegisterSnapshot).where(
        RegisterSnapshot.status == SnapshotStatus.QUARANTINED)
    return db.session.scalar(stmt) or 0


def applied_diff(snapshot: RegisterSnapshot, limit: int = 200) -> dict[str, Any]:
    """What an applied register snapshot changed, in the shape of ``RegisterSnapshot.diff``.

    Only a quarantined snapshot keeps its diff; an applied one left versions and change events, from
    which the same picture is read back (a first appearance is a version without an earlier one).
    """
    V, C = RegistrationVersion, RegisterChange
    first = aliased(V)
    older = sa.select(V.id).where(V.registratienummer == first.registratienummer, V.valid_from < first.valid_from)
    new = list(db.session.scalars(
        sa.select(first.registratienummer).where(first.snapshot_id == snapshot.id, ~older.exists())
        .order_by(first.registratienummer).limit(limit)))
    diff: dict[str, Any] = {"nieuw": new, "teruggekeerd": [], "verdwenen": [], "gewijzigd": {}, "limiet": limit}
    changes = db.session.scalars(sa.select(C).where(C.snapshot_id == snapshot.id).order_by(C.registratienummer, C.id))
    for change in changes:
        if change.kind == ChangeKind.RETURNED and len(diff["teruggekeerd"]) < limit:
            diff["teruggekeerd"].append(change.registratienummer)
        elif change.kind == ChangeKind.LEFT and len(diff["verdwenen"]) < limit:
            diff["verdwenen"].append(change.registratienummer)
        elif change.kind == ChangeKind.CHANGED:
            fields = diff["gewijzigd"].get(change.registratienummer)
            if fields is None:
                if len(diff["gewijzigd"]) >= limit:
                    continue
                fields = diff["gewijzigd"][change.registratienummer] = []
            fields.append([change.field, change.old_value, change.new_value])
    return diff


# --- the list's CSV export ---------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP); the
# register comes from outside, so such cells get a leading apostrophe, which spreadsheets show as text.
# The same keeps a phone number such as "+31 20 …" from turning into a formula error in Excel.
# ``flask register export`` writes the unescaped import format for machines; this export is for people.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def iter_register_csv(stmt: Any) -> Iterator[str]:
    """Every registration ``stmt`` selects, as CSV with the columns of the register import format.

    Separated by ``;`` and preceded by a byte-order mark: Excel with Dutch regional settings (the
    Inspectie's users) splits a double-clicked CSV on its list separator, which is ``;`` where the
    decimal separator is a comma, and reads the file as UTF-8 only when it starts with a BOM (else
    "Ã«" instead of "ë"). The register import (``core.csvio``) accepts both, so the file reads back in.
    """
    dataset = DATASETS[SnapshotKind.REGISTER]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    writer.writerow(dataset.columns)
    for version in db.session.scalars(stmt.execution_options(yield_per=500)):
        writer.writerow([_safe(cell) for cell in export_cells(dataset, version)])
        if buf.tell() > 64 * 1024:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
