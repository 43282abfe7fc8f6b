"""What the fault tests work on: a started mailing, signal files, a register snapshot on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.documents.test_mailings import SNAPSHOT, make_mailing
from tests.register.helpers import load, register_row, to_csv
from tests.signals.helpers import signal_row, signals_csv
from wki.auth.models import User, UserRole
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.documents import mailings
from wki.documents.models import Document, Mailing, MailingRecipient


def user(email: str, *roles: Role) -> User:
    person = User(name=email.split("@")[0], email=email, password_hash="x", active=True)
    person.role_rows = [UserRole(role=r.value) for r in roles]
    db.session.add(person)
    db.session.flush()
    return person


def started_mailing(app: Flask, count: int, *, queue: bool = True) -> int:
    """A mailing to ``count`` registered agencies, approved and started (its parts queued for the worker)."""
    with app.app_context():
        load([register_row(n, postcode=f"{1000 + n * 7 % 50} AB") for n in range(1, count + 1)], SNAPSHOT)
        maker = Actor.of(user("maker@example.nl", Role.VOORLICHTING))
        checker = Actor.of(user("checker@example.nl", Role.VOORLICHTING))
        mailing = make_mailing(maker)
        mailings.approve_mailing(mailing, actor=checker)
        mailings.start_mailing(mailing, actor=checker, queue=queue)
        db.session.commit()
        mailing_id = mailing.id
        db.session.remove()
        return mailing_id


def mailing_state(app: Flask, mailing_id: int) -> dict[str, Any]:
    """Documents, recipients and kenmerk numbers of a mailing, read afresh."""
    with app.app_context():
        mailing = db.session.get(Mailing, mailing_id)
        documents = list(db.session.scalars(sa.select(Document).where(Document.mailing_id == mailing_id)))
        recipients = list(db.session.scalars(sa.select(MailingRecipient)
                                             .where(MailingRecipient.mailing_id == mailing_id)))
        state = {"status": str(mailing.status), "documents": len(documents),
                 "recipients": len(recipients),
                 "per_recipient": sorted({d.mailing_recipient_id for d in documents}),
                 "numbers": sorted(d.number for d in documents),
                 "kenmerken": len({d.kenmerk for d in documents}),
                 "recipient_status": sorted({str(r.status) for r in recipients})}
        db.session.remove()
        return state


def assert_mailing_complete(app: Flask, mailing_id: int, count: int) -> None:
    """Every recipient exactly one document; the kenmerken one gapless range; every PDF in the store as
    recorded (verified against its SHA-256)."""
    from tests.documents.test_mailings import assert_one_document_each

    state = mailing_state(app, mailing_id)
    assert state["status"] == "klaar", state
    assert state["documents"] == state["recipients"] == count
    assert state["kenmerken"] == count and len(state["per_recipient"]) == count
    numbers = state["numbers"]
    assert numbers == list(range(numbers[0], numbers[0] + count)), numbers  # gapless
    with app.app_context():
        assert_one_document_each(db.session.get(Mailing, mailing_id))
        db.session.remove()


def signal_file(path: Path, rows: int, *, start: int = 1) -> Path:
    path.write_bytes(signals_csv(signal_row(n) for n in range(start, start + rows)))
    return path


def register_file(path: Path, rows: int) -> Path:
    path.write_bytes(to_csv([register_row(n) for n in range(1, rows + 1)]))
    return path


def exempt_file(path: Path, rows: int) -> Path:
    from tests.register.helpers import exempt_csv, exempt_row

    path.write_bytes(exempt_csv([exempt_row(n) for n in range(1, rows + 1)]))
    return path


def rows_of(url: str, sql: str) -> list[tuple]:
    """The rows of ``sql``, read on a connection of its own (what the processes committed)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def wait_until(condition: Any, timeout: float = 90, what: str = "") -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)
