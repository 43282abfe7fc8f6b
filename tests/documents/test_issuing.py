"""Issuing documents: the letter's text read back from the PDF, the kenmerk from a gapless per-year
sequence (unique under concurrent issuing, on SQLite and PostgreSQL), content-addressed storage with
SHA-256, immutability and correction by supersession, verification and export from the command line, and
nothing recorded when the store cannot write."""

from __future__ import annotations

import errno
import hashlib
import io
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.core.test_sequences import database_kinds, isolated_app
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.sequences import current_value
from wki.core.storage import StorageError
from wki.documents import issuing
from wki.documents.models import Document
from wki.documents.texts import get_letter_type

ACTOR = Actor("voorlichting@example.org", user_id=None)
DAY = date(2026, 12, 4)


def recipient(n: int = 1, **changes) -> dict:
    data = {
        "key": f"registratie:R2024-{n:05d}", "naam": f"Noordkaap Incasso {n} B.V.",
        "registratienummer": f"R2024-{n:05d}", "suspect_id": None,
        "adresregels": ["Grote Markt 12", "9711 LV  GRONINGEN"], "postcode": "9711 LV",
        "email": "info@noordkaap.example",
        "velden": {"registratienummer": f"R2024-{n:05d}", "kvk_nummer": "10000001", "plaats": "Groningen",
                   "geldig_tot": "31 maart 2029"},
    }
    data.update(changes)
    return data


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def issue(n: int = 1, **kwargs) -> Document:
    return issuing.issue_document(letter_type=get_letter_type("informatiebrief-sector"), recipient=recipient(n),
                                  actor=ACTOR, document_date=DAY, **kwargs)


def test_issued_letter_reads_back_with_recipient_address_kenmerk_and_pages(db_session):
    document = issue()
    pdf = issuing.document_store().get(document.sha256)
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 and document.size == len(pdf)
    text = text_of(pdf)
    for expected in ("Noordkaap Incasso 1 B.V.", "Grote Markt 12", "9711 LV GRONINGEN", document.kenmerk,
                     "Ons kenmerk", "4 december 2026", "Pagina 1 van 1", "R2024-00001", "31 maart 2029",
                     "Informatie over het toezicht op de Wet kwaliteit incassodienstverlening"):
        assert expected in " ".join(text.split()) or expected in text, expected
    assert "((" not in text and "CONCEPT" not in text
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title.startswith("Informatiebrief aan de sector")
    assert document.kenmerk in (reader.metadata.get("/Keywords") or "")
    assert document.kenmerk == f"WKI-2026-{document.number:06d}" and document.year == 2026
    assert document.letter_text_id is not None and document.data["waarden"]["naam"] == "Noordkaap Incasso 1 B.V."
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "document",
                                                          AuditEvent.object_id == str(document.id)))
    assert event is not None and event.actor_email == ACTOR.label and event.after["sha256"] == document.sha256


def test_kenmerken_follow_each_other_and_a_refused_letter_takes_none(db_session):
    first = issue(1)
    with pytest.raises(ServiceError, match=r"Regel \d+: geen waarde voor \(\(registratienummer\)\)"):
        issuing.issue_document(letter_type=get_letter_type("informatiebrief-sector"), actor=ACTOR,
                               recipient=recipient(2, velden={}), document_date=DAY)
    second = issue(3)
    assert second.number == first.number + 1
    assert current_value(issuing.KENMERK_SEQUENCE, 2026) == second.number
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 2


def test_an_issued_document_is_never_changed_only_superseded(db_session):
    original = issue()
    original.subject = "Iets anders"
    with pytest.raises(ValueError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()
    original = issue()
    with pytest.raises(ServiceError, match="reden"):
        issue(supersedes=original)
    correction = issue(supersedes=original, correction_reason="Verkeerd adres")
    assert correction.supersedes_id == original.id and correction.kenmerk != original.kenmerk
    assert issuing.superseded_by(original).id == correction.id
    with pytest.raises(ServiceError, match="al vervangen"):
        issue(supersedes=original, correction_reason="Nog eens")
    assert issuing.correction_kenmerken([original.id, correction.id]) == {original.id: correction.kenmerk}


def test_store_that_cannot_write_records_nothing_and_returns_the_kenmerk(db_session, monkeypatch):
    before = current_value(issuing.KENMERK_SEQUENCE, 2026)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("wki.core.storage.os.replace", full)
    with pytest.raises(StorageError, match="de schijf is vol"):
        issue(77)  # a letter never stored before (the same bytes would already be there)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
    assert current_value(issuing.KENMERK_SEQUENCE, 2026) == before
    monkeypatch.undo()
    assert issue().number == before + 1


def test_verify_detects_damage_and_a_missing_file(db_session):
    document = issue()
    assert issuing.verify_document(document, actor=ACTOR).ok
    store = issuing.document_store()
    path = store.path_of(document.sha256)
    path.write_bytes(path.read_bytes() + b"\n% tampered")
    damaged = issuing.verify_document(document, actor=ACTOR)
    assert not damaged.ok and damaged.computed != document.sha256 and "Beschadigd" in damaged.message
    with pytest.raises(StorageError, match="beschadigd"):
        issuing.document_pdf(document, actor=ACTOR)
    path.unlink()
    missing = issuing.verify_document(document, actor=ACTOR)
    assert not missing.ok and missing.computed is None


def test_cli_verify_and_export_are_audited(app, db_session, tmp_path):
    document = issue()
    db.session.commit()
    try:
        runner = app.test_cli_runner()
        result = runner.invoke(args=["documents", "verify", document.kenmerk])
        assert result.exit_code == 0 and "In orde" in result.output and document.sha256 in result.output
        target = tmp_path / "uit"
        target.mkdir()
        result = runner.invoke(args=["documents", "export", document.kenmerk, str(target)])
        assert result.exit_code == 0, result.output
        written = target / f"{document.kenmerk}.pdf"
        assert hashlib.sha256(written.read_bytes()).hexdigest() == document.sha256
        again = runner.invoke(args=["documents", "export", document.kenmerk, str(written)])
        assert again.exit_code == 1 and "bestaat al" in again.output
        unknown = runner.invoke(args=["documents", "verify", "WKI-2026-999999"])
        assert unknown.exit_code == 1 and "geen document" in unknown.output
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "document", AuditEvent.object_id == str(document.id))))
        assert {"document.gecontroleerd", "document.geexporteerd"} <= actions
        path = issuing.document_store().path_of(document.sha256)
        path.write_bytes(b"%PDF-1.7 damaged")
        damaged = runner.invoke(args=["documents", "verify", document.kenmerk])
        assert damaged.exit_code == 1 and "Beschadigd" in damaged.output
        types = runner.invoke(args=["documents", "types"])
        assert "informatiebrief-sector" in types.output and "herinnering-registratie" in types.output
        assert db.session.scalar(sa.select(AuditEvent.actor_email).where(
            AuditEvent.action == "briefsoorten.opgevraagd")).startswith("cli:")
    finally:
        db.session.execute(sa.delete(Document))
        db.session.commit()


@pytest.mark.parametrize("kind", database_kinds())
def test_kenmerken_unique_and_gapless_under_concurrent_issuing(kind, tmp_path):
    """Four threads issue five letters each at once, each in its own transactions: twenty different
    kenmerken, numbered 1 to 20 without a gap."""
    with isolated_app(kind, tmp_path) as app:
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        def issue_five(n: int) -> None:
            try:
                with app.app_context():
                    barrier.wait(timeout=30)
                    for k in range(5):
                        issuing.issue_document(letter_type=get_letter_type("informatiebrief-sector"),
                                               recipient=recipient(n * 10 + k), actor=ACTOR, document_date=DAY)
                        db.session.commit()
                    db.session.remove()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=issue_five, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        with app.app_context():
            numbers = sorted(db.session.scalars(sa.select(Document.number)))
            kenmerken = set(db.session.scalars(sa.select(Document.kenmerk)))
            assert numbers == list(range(1, 21)) and len(kenmerken) == 20
            db.session.remove()
