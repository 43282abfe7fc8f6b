"""The document store full (or unwritable) while issuing: nothing is recorded as issued without its PDF in
the store, no kenmerk is consumed, the refusal is Dutch, no half-written file stays behind; a mailing in
the worker waits (its items queued again, not failed) and finishes once when space returns.

"Full" is the disk filling up while the PDF is written: the store's file write puts half of the bytes on
disk and then fails with ENOSPC (in this process by a patched ``os.fdopen`` in wki/core/storage.py; in the
worker process by the ``WKI_TEST_STORE_FULL`` hook of tests/faults/processes.py)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.faults.data import assert_mailing_complete, mailing_state, started_mailing
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.core.sequences import current_value
from wki.core.storage import StorageError
from wki.core.worker import WorkItem, WorkStatus
from wki.documents import issuing
from wki.documents.models import Document


class HalfWritten:
    """A file whose write puts half the bytes on disk and then finds the disk full."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str):
        return getattr(self.handle, name)


@pytest.fixture
def disk_full(monkeypatch):
    """The disk under every content store is full until ``space_returns()``."""
    import wki.core.storage as storage

    real = os.fdopen

    class Os:
        def __getattr__(self, name: str):
            return getattr(os, name)

        def fdopen(self, fd, *args, **kwargs):
            return HalfWritten(real(fd, *args, **kwargs))

    monkeypatch.setattr(storage, "os", Os())
    return lambda: monkeypatch.setattr(storage, "os", os)


def stored_files(root: str | Path) -> list[Path]:
    """Every file in a store's directory, temporary ones included."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


# ---------------------------------------------------------------- one document


def test_a_single_document_is_not_issued_without_its_pdf(app, db_session, disk_full):
    from tests.documents.test_issuing import issue

    year = 2026
    before = current_value(issuing.KENMERK_SEQUENCE, year)
    files = stored_files(app.config["DOCUMENT_STORE_DIR"])
    with pytest.raises(StorageError) as refused:
        issue(91)
    assert "de schijf is vol" in refused.value.message and "Er is niets vastgelegd" in refused.value.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
    assert current_value(issuing.KENMERK_SEQUENCE, year) == before  # no kenmerk consumed
    assert stored_files(app.config["DOCUMENT_STORE_DIR"]) == files  # the half-written file is gone

    disk_full()  # space returns
    document = issue(91)
    assert document.number == before + 1  # the kenmerk the refused letter would have had: no gap
    assert issuing.document_store().get(document.sha256)


# ---------------------------------------------------------------- a mailing in the worker process


def test_a_mailing_waits_while_the_store_is_full_and_finishes_once_when_space_returns(own):
    count = 8
    mailing_id = started_mailing(own.app, count)
    full = own.tmp / "schijf-vol"
    full.touch()
    config = {"WORKER_STALE_SECONDS": 30, "MAILING_CLAIM_BATCH": 3}
    worker = own.processes.start("worker", "run", "--once", "--processes", "1", config=config,
                                 WKI_TEST_STORE_FULL=str(full))
    assert worker.finish() == 0, worker.stderr()

    state = mailing_state(own.app, mailing_id)
    assert state["documents"] == 0 and state["status"] == "bezig"  # nothing issued without its PDF
    assert state["recipient_status"] == ["wachtend"]
    assert stored_files(own.app.config["DOCUMENT_STORE_DIR"]) == []  # no half-written PDF left
    with own.app.app_context():
        items = list(db.session.scalars(sa.select(WorkItem).order_by(WorkItem.id)))
        assert {i.status for i in items} == {WorkStatus.QUEUED}  # waiting to be tried again, not failed
        tried = items[0]
        assert "de schijf is vol" in tried.message and "opnieuw geprobeerd" in tried.message
        assert tried.attempts == 0 and "ENOSPC" not in tried.message and "No space" in tried.error
        db.session.remove()

    full.unlink()  # space returns
    again = own.processes.start("worker", "run", "--once", "--processes", "1", config=config,
                                WKI_TEST_STORE_FULL=str(full))
    assert again.finish() == 0, again.stderr()
    assert_mailing_complete(own.app, mailing_id, count)  # every recipient once, kenmerken gapless
    with own.app.app_context():
        assert {i.status for i in db.session.scalars(sa.select(WorkItem))} == {WorkStatus.DONE}
        db.session.remove()


# ---------------------------------------------------------------- an enforcement decision


def test_a_decision_is_not_prepared_or_issued_without_its_pdf(app, factories, disk_full):
    from tests.enforcement import factories as f
    from wki.enforcement import decisions
    from wki.enforcement.models import CaseDocument, DocumentKind, DocumentStatus

    t = f.team(factories)
    case = f.ready_case(factories, t.author, DocumentKind.PENALTY_ORDER)
    document = f.filled(decisions.start_document(case.id, DocumentKind.PENALTY_ORDER, actor=t.me), t.me)
    year = today_local().year
    before = current_value(issuing.KENMERK_SEQUENCE, year)
    files = stored_files(app.config["DOCUMENT_STORE_DIR"])
    with pytest.raises(StorageError, match="de schijf is vol"):
        decisions.prepare(document.id, actor=t.me)
    db.session.expire_all()
    document = db.session.get(CaseDocument, document.id)
    assert document.status is DocumentStatus.DRAFT  # not "ter goedkeuring": there is no PDF to approve
    assert document.kenmerk is None and document.pdf_sha256 is None
    assert current_value(issuing.KENMERK_SEQUENCE, year) == before  # the reserved kenmerk went back
    assert stored_files(app.config["DOCUMENT_STORE_DIR"]) == files

    disk_full()  # space returns: prepared, approved and issued, with its PDF in the store
    decisions.prepare(document.id, actor=t.me)
    assert document.kenmerk == issuing.kenmerk_for(year, before + 1)
    decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=t.colleague)
    decisions.issue(document.id, actor=t.me)
    issued = db.session.scalar(sa.select(Document).where(Document.kenmerk == document.kenmerk))
    assert issued is not None and issuing.document_store().get(issued.sha256)
