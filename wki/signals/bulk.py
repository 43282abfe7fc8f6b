"""Working on many signals at once: updates by id in bulk, and the cyclic garbage collector paused."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from wki.core.db import table_of
from wki.core.extensions import db
from wki.signals.models import Signal


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Judging and grouping make many small objects and no reference cycles: the cyclic collector would
    only rescan the matcher's caches over and over (a third of the time at 20,000 signals)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def update_by_id(rows: list[dict[str, Any]]) -> None:
    """``UPDATE signal SET … WHERE id = :id`` for many rows at once (executemany in Core: the ORM's bulk
    update by primary key issues a statement per row here). Rows are grouped by the columns they set."""
    if not rows:
        return
    db.session.flush()  # pending ORM changes first: expiring the signals below would drop theirs
    table = table_of(Signal)
    connection = db.session.connection()
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    for columns, group_rows in by_columns.items():
        stmt = table.update().where(table.c.id == sa.bindparam("_id")).values(
            {c: sa.bindparam("_" + c) for c in columns})
        params = [{"_" + k: v for k, v in row.items()} for row in group_rows]
        for start in range(0, len(params), 5000):
            connection.execute(stmt, params[start:start + 5000])
    for obj in list(db.session.identity_map.values()):  # the ORM's view of these signals is stale now
        if isinstance(obj, Signal):
            db.session.expire(obj)
