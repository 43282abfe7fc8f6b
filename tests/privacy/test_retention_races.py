"""Two retention runs at once (the nightly job and "Nu uitvoeren", or two schedulers' hosts): every due signal is
pseudonymised exactly once (one audit entry names it), on SQLite and on PostgreSQL, with real commits."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.core.test_sequences import database_kinds, isolated_app, run_at_once
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.privacy import retention
from wki.signals.models import Signal

DUE = 120


@pytest.mark.parametrize("kind", database_kinds())
def test_two_runs_at_once_do_each_signal_once(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app, app.app_context():
        long_ago = utcnow() - timedelta(days=3 * 366)
        db.session.execute(sa.insert(Signal), [
            {"bron": "consument", "referentie": f"R-{n}", "ontvangen_op": date(2023, 1, 1), "channel": "formulier",
             "status": "afgehandeld", "reference_date": date(2023, 1, 1), "name_key": "", "vulnerable": False,
             "created_at": long_ago, "closed_at": long_ago, "omschrijving": f"Brief aan Jan Jansen {n}"}
            for n in range(DUE)])
        db.session.commit()

        results, errors = run_at_once(app, 2, lambda i: retention.run_retention(
            actor=Actor.process(f"job:run-{i}"), batch=10))

        assert errors == []
        assert sum(r["signalen"] for r in results) == DUE
        db.session.expire_all()
        left = db.session.scalar(sa.select(sa.func.count()).select_from(Signal)
                                 .where(Signal.pseudonymised_at.is_(None)))
        assert left == 0
        named = Counter(i for after in db.session.scalars(
            sa.select(AuditEvent.after).where(AuditEvent.action == "signalen.gepseudonimiseerd")) for i in after["ids"])
        assert len(named) == DUE and set(named.values()) == {1}
