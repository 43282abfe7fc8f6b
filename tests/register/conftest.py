"""Fixtures and small helpers for the register engine tests.

Snapshot dates are fixed days in the past, so that today's date never matters. ``mirror_state()``
takes a fingerprint of everything an import may write, so a test can prove that a refused, quarantined
or killed import changed nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from wki.core.audit import AuditEvent
from wki.core.extensions import db
from wki.register.models import (
    ExemptPartyVersion,
    RegisterChange,
    RegisterSnapshot,
    RegisterSyncRun,
    RegistrationVersion,
)
from wki.register.validation import REGISTER_VALUE_COLUMNS

D1 = date(2026, 1, 1)
D2 = date(2026, 2, 1)
D3 = date(2026, 3, 1)
D4 = date(2026, 4, 1)


@pytest.fixture
def cli(app: Flask, db_session) -> FlaskCliRunner:
    """A CLI runner whose commands run (and commit savepoints) in the test's rolled-back transaction."""
    return app.test_cli_runner()


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def mirror_state() -> dict[str, Any]:
    """Everything an import writes: versions (with their periods and values), snapshots, changes, audit."""
    db.session.expire_all()
    V, E, S, C = RegistrationVersion, ExemptPartyVersion, RegisterSnapshot, RegisterChange
    return {
        "versions": sorted(
            tuple(str(x) for x in row) for row in db.session.execute(
                sa.select(V.registratienummer, V.valid_from, V.valid_to, V.snapshot_id, V.row_hash,
                          *[getattr(V, c) for c in REGISTER_VALUE_COLUMNS]))),
        "exempt": sorted(
            tuple(str(x) for x in row) for row in db.session.execute(
                sa.select(E.party_key, E.valid_from, E.valid_to, E.snapshot_id, E.naam, E.kvk_nummer, E.beroep,
                          E.plaats, E.websites))),
        "snapshots": sorted(
            tuple(str(x) for x in row) for row in db.session.execute(
                sa.select(S.id, S.kind, S.snapshot_date, S.status, S.sha256))),
        "changes": sorted(
            tuple(str(x) for x in row) for row in db.session.execute(
                sa.select(C.registratienummer, C.snapshot_id, C.kind, C.field, C.old_value, C.new_value))),
        "audit": count(AuditEvent),
        "runs": count(RegisterSyncRun),
    }


def current_values(model: type = RegistrationVersion, key: str = "registratienummer",
                   columns: tuple[str, ...] = REGISTER_VALUE_COLUMNS) -> dict[str, tuple]:
    """The values of every version held now, by key."""
    db.session.expire_all()
    stmt = sa.select(getattr(model, key), *[getattr(model, c) for c in columns]).where(model.valid_to.is_(None))
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def versions(registratienummer: str) -> list[RegistrationVersion]:
    db.session.expire_all()
    V = RegistrationVersion
    return list(db.session.scalars(sa.select(V).where(V.registratienummer == registratienummer)
                                   .order_by(V.valid_from, V.id)))


def changes(registratienummer: str | None = None) -> list[RegisterChange]:
    """Change events after the first appearance (which is the first version itself, not an event to count)."""
    stmt = sa.select(RegisterChange).where(RegisterChange.kind != "nieuw").order_by(RegisterChange.id)
    if registratienummer is not None:
        stmt = stmt.where(RegisterChange.registratienummer == registratienummer)
    return list(db.session.scalars(stmt))


def audit_events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def empty_mirror() -> None:
    """Remove every register table row inside the test's transaction: an empty mirror to import into."""
    for model in (RegisterSyncRun, RegisterChange, RegistrationVersion, ExemptPartyVersion, RegisterSnapshot):
        db.session.execute(sa.delete(model))
    db.session.flush()
    db.session.expire_all()
