"""Mailings run by several processes at once, and ``flask mailings`` (create, approve, run, status,
print-file): every recipient exactly one document whatever the processes do, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import migrated_app
from tests.core.test_sequences import database_kinds
from tests.documents.test_mailings import (
    SNAPSHOT,
    assert_one_document_each,
    load_register,
    make_mailing,
    recipients_of,
)
from tests.register.helpers import load, register_row
from wki.auth.models import User, UserRole
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.documents import mailing_run, mailings
from wki.documents.models import DeliveryStatus, Mailing, MailingStatus


def _user(email: str, *roles: Role) -> User:
    user = User(name=email.split("@")[0], email=email, password_hash="x", active=True)
    user.role_rows = [UserRole(role=r.value) for r in roles]
    db.session.add(user)
    db.session.flush()
    return user


def _cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["mailings", *args])


# ---------------------------------------------------------------- the command line (in the test's transaction)


def test_cli_create_approve_run_status_and_print_file(app, db_session, factories, tmp_path):
    load_register(5, r5={"straat": ""})
    maker = factories.UserFactory(roles=[Role.VOORLICHTING])
    checker = factories.UserFactory(roles=[Role.BEHEERDER])
    reader = factories.UserFactory(roles=[Role.INSPECTEUR])

    refused = _cli(app, "create", "--type", "informatiebrief-sector", "--as-of", "2026-06-01", "--by", reader.email)
    assert refused.exit_code == 1 and "voorlichting of beheerder" in refused.output

    created = _cli(app, "create", "--type", "informatiebrief-sector", "--as-of", "2026-06-01", "--title", "Juni",
                   "--by", maker.email)
    assert created.exit_code == 0, created.output
    mailing_id = int(created.output.splitlines()[0])
    assert "5 ontvangers, 1 niet bereikbaar" in created.output
    assert "niet bereikbaar: Incassobureau 5 B.V." in created.output

    own = _cli(app, "approve", str(mailing_id), "--by", maker.email)
    assert own.exit_code == 1 and "vier ogen" in own.output
    approved = _cli(app, "approve", str(mailing_id), "--by", checker.email)
    assert approved.exit_code == 0, approved.output
    assert _cli(app, "approve", str(mailing_id), "--by", checker.email).exit_code == 1

    ran = _cli(app, "run", str(mailing_id), "--by", checker.email, "--processes", "1")
    assert ran.exit_code == 0, ran.output
    assert "Klaar. 4 van 4 ontvangers klaar, 0 mislukt." in ran.output
    again = _cli(app, "run", str(mailing_id), "--by", checker.email, "--processes", "1")
    assert again.exit_code == 1 and "klaar" in again.output

    status_file = tmp_path / "status.csv"
    status = _cli(app, "status", str(mailing_id), "--csv", str(status_file), "--by", checker.email)
    assert status.exit_code == 0, status.output
    assert "gemaakt" in status.output and "geen_adres" in status.output
    rows = list(csv.reader(io.StringIO(status_file.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["registratienummer", "naam", "kenmerk", "status", "sha256"]
    assert len(rows) == 6 and rows[5][3] == "geen_adres"

    pdf_path = tmp_path / "druk.pdf"
    printed = _cli(app, "print-file", str(mailing_id), str(pdf_path), "--by", checker.email)
    assert printed.exit_code == 0, printed.output
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert _cli(app, "status", str(mailing_id)).exit_code == 0  # the counts only: audited with the login name
    db.session.expire_all()
    assert_one_document_each(db.session.get(Mailing, mailing_id))
    # Every command is in the audit trail with the person who acted.
    from wki.core.audit import AuditEvent

    events = [(e.action, e.actor_email) for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "mailing", AuditEvent.object_id == str(mailing_id))
        .order_by(AuditEvent.id))]
    for expected in [("mailing.aangemaakt", maker.email), ("mailing.goedgekeurd", checker.email),
                     ("mailing.gestart", checker.email), ("mailing.status_geexporteerd", checker.email),
                     ("mailing.drukbestand", checker.email)]:
        assert expected in events, (expected, events)
    assert events[-1][0] == "mailing.status_opgevraagd" and events[-1][1].startswith("cli:")
    # The letters are issued in the name of the person who started the run (checker started it).
    from wki.documents.models import Document

    issuers = set(db.session.execute(sa.select(Document.issued_by, Document.issued_by_user_id)
                                     .where(Document.mailing_id == mailing_id)))
    assert issuers == {(checker.email, checker.id)}


def test_cli_create_from_a_csv(app, db_session, factories, tmp_path):
    maker = factories.UserFactory(roles=[Role.VOORLICHTING])
    path = tmp_path / "adressen.csv"
    path.write_text("naam;straat;huisnummer;postcode;plaats;registratienummer\n"
                    "Bureau A;Laan;1;1234AB;Ede;R2024-00001\nBureau A;Laan;1;1234 AB;Ede;R2024-00001\n",
                    encoding="utf-8")
    created = _cli(app, "create", "--type", "informatiebrief-sector", "--csv", str(path), "--by", maker.email)
    assert created.exit_code == 0, created.output
    mailing = db.session.get(Mailing, int(created.output.splitlines()[0]))
    assert mailing.recipient_count == 1 and mailing.criteria["bestand"] == "adressen.csv"


# ---------------------------------------------------------------- several processes (real commits)


@pytest.fixture(params=database_kinds())
def own_app(request, tmp_path, monkeypatch) -> Iterator[Flask]:
    """An application on a database of its own (each process commits for real)."""
    if request.param == "sqlite":
        monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    with migrated_app(tmp_path) as application:
        application.config["MAILING_CLAIM_BATCH"] = 2
        yield application


def _prepared(app: Flask, count: int) -> int:
    with app.app_context():
        load([register_row(n, postcode=f"{1000 + n * 7 % 50} AB") for n in range(1, count + 1)], SNAPSHOT)
        maker = Actor.of(_user("maker@example.nl", Role.VOORLICHTING))
        checker = Actor.of(_user("checker@example.nl", Role.VOORLICHTING))
        mailing = make_mailing(maker)
        mailings.approve_mailing(mailing, actor=checker)
        mailings.start_mailing(mailing, actor=checker, queue=False)
        db.session.commit()
        return mailing.id


def test_two_processes_at_once_give_every_recipient_exactly_one_document(own_app):
    mailing_id = _prepared(own_app, 12)
    barrier = threading.Barrier(2)
    errors: list[str] = []
    done: list[dict] = []

    def part(n: int) -> None:
        with own_app.app_context():
            try:
                barrier.wait()
                done.append(mailing_run.run_part(mailing_id, worker=f"thread-{n}"))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=part, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with own_app.app_context():
        mailing = db.session.get(Mailing, mailing_id)
        assert mailing.status == MailingStatus.DONE
        assert_one_document_each(mailing)
        assert sum(sum(d.values()) for d in done) == 12
        # Both processes took part (batches of 2, claimed in turn).
        assert all(d for d in done)


def test_run_in_two_forked_processes_and_resume(own_app):
    """``flask mailings run`` forks two processes; a run stopped part-way resumes without duplicates."""
    mailing_id = _prepared(own_app, 6)
    with own_app.app_context():
        # A first run that "was stopped": two recipients done, one claim abandoned.
        job = mailing_run._load_job(mailing_id)
        for recipient_id in mailing_run.claim_batch(mailing_id, "eerdere-run", size=2):
            mailing_run.process_recipient(job, recipient_id, "eerdere-run")
        mailing_run.claim_batch(mailing_id, "gestopte-run", size=1)
        db.session.execute(sa.text("UPDATE mailing_recipient SET claimed_at = :old WHERE claimed_by = 'gestopte-run'"),
                           {"old": "2000-01-01 00:00:00+00:00"})
        db.session.commit()
    own_app.config["WORKER_STALE_SECONDS"] = 60
    result = own_app.test_cli_runner().invoke(args=["mailings", "run", str(mailing_id), "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "loopt al" in result.output and "6 van 6 ontvangers klaar" in result.output
    with own_app.app_context():
        mailing = db.session.get(Mailing, mailing_id)
        assert mailing.status == MailingStatus.DONE
        assert_one_document_each(mailing)
        assert {r.status for r in recipients_of(mailing)} == {DeliveryStatus.RENDERED}




def test_a_run_killed_with_sigkill_resumes_without_duplicates_or_gaps(own_app, tmp_path):
    """``flask mailings run`` in a real process with two workers, killed with SIGKILL (no clean-up of any
    kind) once a few letters are recorded; the next run finds the dead claims stale and finishes: every
    reachable recipient exactly one document, every kenmerk once, every stored PDF matching its hash."""
    import hashlib
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from wki.documents import issuing
    from wki.documents.models import Document

    count = 40
    mailing_id = _prepared(own_app, count)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "WKI_ENV": "development", "FLASK_APP": "run.py", "WKI_LOG_LEVEL": "WARNING",
           "DATABASE_URL": own_app.config["SQLALCHEMY_DATABASE_URI"],
           "WKI_DOCUMENT_STORE_DIR": own_app.config["DOCUMENT_STORE_DIR"], "WKI_MAILING_CLAIM_BATCH": "3"}
    flask = str(Path(sys.executable).with_name("flask"))
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        run = subprocess.Popen([flask, "mailings", "run", str(mailing_id), "--processes", "2"], cwd=root, env=env,
                               stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)

    def recorded() -> int:
        with own_app.app_context():
            n = db.session.scalar(sa.select(sa.func.count()).select_from(Document)
                                  .where(Document.mailing_id == mailing_id)) or 0
            db.session.remove()
            return n

    deadline = time.monotonic() + 120
    while recorded() < 4 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert run.poll() is None, errors.read_text()[-2000:]
    # Every process of the run (the parent and the two workers it forked, in their own groups), at once.
    pids = subprocess.run(["pgrep", "-f", f"mailings run {mailing_id} "], capture_output=True, text=True).stdout.split()
    for pid in {*pids, str(run.pid)}:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError:
            pass
    run.wait(timeout=30)
    killed_at = recorded()
    assert 4 <= killed_at < count  # killed part-way

    own_app.config["WORKER_STALE_SECONDS"] = 1
    time.sleep(1.2)  # the dead processes' claims are stale now
    result = own_app.test_cli_runner().invoke(args=["mailings", "run", str(mailing_id), "--processes", "1"])
    assert result.exit_code == 0, result.output
    with own_app.app_context():
        mailing = db.session.get(Mailing, mailing_id)
        assert mailing.status == MailingStatus.DONE
        assert_one_document_each(mailing)
        documents = list(db.session.scalars(sa.select(Document).where(Document.mailing_id == mailing_id)))
        assert len(documents) == count and len({d.kenmerk for d in documents}) == count
        assert len({d.mailing_recipient_id for d in documents}) == count
        store = issuing.document_store()
        assert all(hashlib.sha256(store.get(d.sha256)).hexdigest() == d.sha256 for d in documents)
        db.session.remove()
