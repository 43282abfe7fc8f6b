"""Fixtures for the core tests: a CLI runner and audit events at a chosen moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from wki.core.audit import AuditEvent
from wki.core.extensions import db


@pytest.fixture
def cli(app: Flask, db_session) -> FlaskCliRunner:
    """A CLI runner whose commands run in the test's rolled-back transaction.

    The ``db_session`` fixture has pushed an app context, so ``with_appcontext`` reuses it and the
    commands' commits become savepoint releases inside the outer transaction.
    """
    return app.test_cli_runner()


@pytest.fixture
def audit_event_at(db_session) -> Callable[..., AuditEvent]:
    """Insert an audit event that occurred at ``when`` (inserting is allowed; changing is not)."""

    def _make(when: datetime, action: str = "test.gebeurtenis", **kwargs) -> AuditEvent:
        evt = AuditEvent(occurred_at=when, action=action, **kwargs)
        db.session.add(evt)
        db.session.flush()
        return evt

    return _make
