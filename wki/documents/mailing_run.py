"""A mailing's run: the loop each process (a queued part, or ``flask mailings run``) goes through, and the
recipients' delivery states it moves.

``run_part``: claim a batch of waiting recipients and reserve their kenmerken (one short transaction), then per
recipient render with no transaction open, record the document and mark the recipient in one short
transaction that checks the claim is still this process's, and send the e-mail outside any transaction. The
database refuses a second document for a recipient (``document.mailing_recipient_id`` is unique), so whatever
several processes or a killed one do, every recipient gets at most one document; a process that dies leaves
its claims to go stale and another takes them over. A recipient found mid-send (``verzenden``) by a later
claim is not sent again (nobody can tell whether the first attempt arrived): it is marked failed, for a
person to check and offer again. The mailing is finished, exactly once, by whichever process finds nothing
left. Preparing, approving and starting a mailing are in mailings.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.db import rows_affected
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.documents import issuing, placeholders
from wki.documents.audit_actions import DocumentAction
from wki.documents.delivery import DeliveryFailed, send_letter
from wki.documents.models import (
    DeliveryStatus,
    Document,
    LetterText,
    LetterType,
    Mailing,
    MailingRecipient,
    MailingStatus,
)

MR = MailingRecipient

DEFAULT_STALE_SECONDS = 600


UNKNOWN_DELIVERY = ("onbekend of de e-mail is aangekomen (het proces stopte tijdens het verzenden); controleer en "
                    "bied opnieuw aan")


# Statuses of recipients still to be done by a run.
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


BLOCKS_KEY = "_blokken"  # block values (a list of requested documents) inside a mailing's extra values


def block_values(extra_values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: [{"stuk": line} for line in lines] for name, lines in (extra_values.get(BLOCKS_KEY) or {}).items()}


def _stale_cutoff() -> datetime:
    seconds = int(current_app.config.get("WORKER_STALE_SECONDS", DEFAULT_STALE_SECONDS))
    return utcnow() - timedelta(seconds=seconds)


def count_open(mailing_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MR).where(
        MR.mailing_id == mailing_id, MR.status.in_(OPEN))) or 0


@dataclass
class _Job:
    """What every letter of one mailing needs, loaded once per process and detached from the session (so
    reading it never starts a transaction while a letter renders)."""

    mailing_id: int
    letter_type: LetterType
    text: LetterText
    extra_values: dict[str, Any]
    block_values: dict[str, Any]
    document_date: date
    actor: Actor


def _load_job(mailing_id: int) -> _Job | None:
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None or mailing.status != MailingStatus.RUNNING:
        db.session.commit()
        return None
    letter_type = db.session.get(LetterType, mailing.letter_type_id)
    text = db.session.get(LetterText, mailing.letter_text_id)
    assert letter_type is not None and text is not None
    # The documents are issued on behalf of whoever started the mailing (approved by a second person).
    job = _Job(mailing.id, letter_type, text, dict(mailing.extra_values or {}),
               block_values(mailing.extra_values or {}), mailing.document_date,
               Actor(label=mailing.started_by or mailing.approved_by or "worker", user_id=mailing.started_by_user_id))
    db.session.expunge(letter_type)
    db.session.expunge(text)
    db.session.commit()
    return job


def claim_batch(mailing_id: int, worker: str, *, size: int, before_commit: Callable[[], None] | None = None) -> list[int]:
    """Claim up to ``size`` waiting recipients (unclaimed, or claimed by a worker whose claim went stale), in
    position order, and reserve a kenmerk for each that has none; a recipient left mid-send by a stopped
    process is marked failed (not sent twice). Commits; returns the claimed ids."""
    now = utcnow()
    stale = _stale_cutoff()
    try:
        document_date = db.session.scalar(sa.select(Mailing.document_date).where(Mailing.id == mailing_id))
        year = document_date.year if document_date else today_local().year
        free = sa.or_(MR.claimed_by.is_(None), MR.claimed_at.is_(None), MR.claimed_at < stale)
        waiting = sa.or_(sa.and_(MR.status == DeliveryStatus.PENDING, free),
                         sa.and_(MR.status == DeliveryStatus.SENDING, MR.claimed_at < stale))
        # SKIP LOCKED on PostgreSQL: two workers never claim the same rows and neither waits; SQLite ignores
        # FOR UPDATE (a writing transaction holds the database's write lock: claims take turns).
        rows = db.session.execute(sa.select(MR.id, MR.status, MR.kenmerk).where(MR.mailing_id == mailing_id, waiting)
                                  .order_by(MR.position).limit(size).with_for_update(skip_locked=True)).all()
        claimed: list[int] = []
        for row in rows:
            if row.status == DeliveryStatus.SENDING:
                db.session.execute(sa.update(MR).where(MR.id == row.id).values(
                    status=DeliveryStatus.FAILED, error=UNKNOWN_DELIVERY, claimed_by=None))
                continue
            values: dict[str, Any] = {"claimed_by": worker, "claimed_at": now, "attempts": MR.attempts + 1}
            if row.kenmerk is None:
                values["kenmerk"] = issuing.reserve_kenmerk(year)[1]
            db.session.execute(sa.update(MR).where(MR.id == row.id).values(**values))
            claimed.append(row.id)
        if before_commit is not None:
            before_commit()
        db.session.commit()
        return claimed
    except BaseException:
        db.session.rollback()
        raise


def recipient_data(recipient: MailingRecipient) -> dict[str, Any]:
    return {"key": recipient.recipient_key, "naam": recipient.name, "registratienummer": recipient.registratienummer,
            "suspect_id": recipient.suspect_id, "adresregels": list(recipient.address_lines or []),
            "postcode": recipient.postcode, "email": recipient.email, "velden": dict(recipient.data or {})}


def _mine(recipient_id: int, worker: str, status: DeliveryStatus) -> Any:
    return sa.and_(MR.id == recipient_id, MR.claimed_by == worker, MR.status == status)


def _commit_update(condition: Any, **values: Any) -> int:
    try:
        done = rows_affected(db.session.execute(sa.update(MR).where(condition).values(**values)))
        db.session.commit()
        return done
    except BaseException:
        db.session.rollback()
        raise


def _short_reason(exc: BaseException) -> str:
    if isinstance(exc, placeholders.TemplateTextError):
        return "De brief kon niet worden gemaakt: " + " ".join(str(p) for p in exc.problems)
    if isinstance(exc, ServiceError):
        return exc.message
    return f"De brief kon niet worden gemaakt ({type(exc).__name__}: {str(exc)[:300]})."


def process_recipient(job: _Job, recipient_id: int, worker: str) -> str:
    """Render, record and deliver one claimed recipient; returns what became of it (a DeliveryStatus value,
    or "overgenomen" when another process had taken it over meanwhile)."""
    # A short read, committed at once: on SQLite every transaction outside a request holds the write lock.
    recipient = db.session.get(MR, recipient_id)
    if recipient is None or recipient.claimed_by != worker or recipient.status != DeliveryStatus.PENDING:
        db.session.commit()
        return "overgenomen"
    data = recipient_data(recipient)
    kenmerk, document_id, by_email = recipient.kenmerk, recipient.document_id, recipient.by_email
    assert kenmerk is not None
    db.session.commit()
    pdf: bytes | None = None
    subject = job.text.subject
    if document_id is None:
        try:
            letter = issuing.compose(job.letter_type, job.text, data, extra_values=job.extra_values,
                                     document_date=job.document_date, kenmerk=kenmerk, block_values=job.block_values)
            rendered = issuing.render(letter, author=issuing.author_name())
        except Exception as exc:  # noqa: BLE001 - one recipient's failure is recorded on it; the run goes on
            current_app.logger.warning("mailing letter not rendered", extra={"mailing": job.mailing_id,
                                                                             "recipient": recipient_id})
            _commit_update(_mine(recipient_id, worker, DeliveryStatus.PENDING), status=DeliveryStatus.FAILED,
                           error=_short_reason(exc))
            return DeliveryStatus.FAILED
        subject = letter["onderwerp"]
        try:
            done = rows_affected(db.session.execute(sa.update(MR).where(
                _mine(recipient_id, worker, DeliveryStatus.PENDING)).values(
                status=DeliveryStatus.RENDERED, rendered_at=utcnow(), error=None)))
            if done != 1:
                db.session.rollback()
                return "overgenomen"
            document = issuing.record_document(
                rendered, letter_type=job.letter_type, text=job.text, kenmerk=kenmerk, recipient=data,
                document_date=job.document_date, title=letter["title"], subject=subject, actor=job.actor,
                mailing_id=job.mailing_id, mailing_recipient_id=recipient_id)
            db.session.execute(sa.update(MR).where(MR.id == recipient_id).values(document_id=document.id))
            # Still working on the rest of the batch: keep those claims fresh.
            db.session.execute(sa.update(MR).where(MR.mailing_id == job.mailing_id, MR.claimed_by == worker,
                                                   MR.status == DeliveryStatus.PENDING).values(claimed_at=utcnow()))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another process recorded this recipient's document first
            return "overgenomen"
        except BaseException:
            db.session.rollback()
            raise
        pdf = rendered.pdf
    else:
        # Offered again after a failed e-mail: the letter exists; only the e-mail is sent again.
        if _commit_update(_mine(recipient_id, worker, DeliveryStatus.PENDING), status=DeliveryStatus.RENDERED,
                          error=None) != 1:
            return "overgenomen"
    if not by_email or not data["email"]:
        return DeliveryStatus.RENDERED
    return _send(job, recipient_id, worker, data, kenmerk=kenmerk, document_id=document_id, pdf=pdf,
                 subject=subject)


def _send(job: _Job, recipient_id: int, worker: str, data: Mapping[str, Any], *, kenmerk: str,
          document_id: int | None, pdf: bytes | None, subject: str) -> str:
    if pdf is None:
        document = db.session.get(Document, document_id)
        assert document is not None
        subject, sha256 = document.subject, document.sha256
        db.session.commit()
        try:
            pdf = issuing.document_store().get(sha256)
        except Exception as exc:  # noqa: BLE001 - recorded on the recipient
            _commit_update(_mine(recipient_id, worker, DeliveryStatus.RENDERED), status=DeliveryStatus.FAILED,
                           error=str(getattr(exc, "message", exc)))
            return DeliveryStatus.FAILED
    # Committed before the server is spoken to: a process that dies now leaves "verzenden", never "wachtend".
    if _commit_update(_mine(recipient_id, worker, DeliveryStatus.RENDERED), status=DeliveryStatus.SENDING,
                      claimed_at=utcnow()) != 1:
        return "overgenomen"
    try:
        send_letter(to=str(data["email"]), name=str(data.get("naam") or ""), subject=subject, kenmerk=kenmerk, pdf=pdf)
    except DeliveryFailed as exc:
        _commit_update(_mine(recipient_id, worker, DeliveryStatus.SENDING), status=DeliveryStatus.FAILED,
                       error=exc.reason)
        return DeliveryStatus.FAILED
    _commit_update(_mine(recipient_id, worker, DeliveryStatus.SENDING), status=DeliveryStatus.SENT, sent_at=utcnow(),
                   error=None)
    return DeliveryStatus.SENT


def finish_if_done(mailing_id: int) -> str | None:
    """Running → done (or done with failures) once no recipient waits or is being sent, exactly once;
    returns the new status, or None when the mailing is not finished (or another process finished it)."""
    try:
        if count_open(mailing_id):
            db.session.commit()
            return None
        failed = db.session.scalar(sa.select(sa.func.count()).select_from(MR).where(
            MR.mailing_id == mailing_id, MR.status == DeliveryStatus.FAILED)) or 0
        final = MailingStatus.DONE_WITH_FAILURES if failed else MailingStatus.DONE
        done = rows_affected(db.session.execute(sa.update(Mailing).where(
            Mailing.id == mailing_id, Mailing.status == MailingStatus.RUNNING).values(
            status=final, finished_at=utcnow())))
        if done == 1:
            counts = status_counts(mailing_id)
            audit.record(DocumentAction.MAILING_FINISHED, object_type="mailing", object_id=mailing_id,
                         after={"status": str(final), **counts}, actor=Actor.process("worker"))
        db.session.commit()
        return final if done == 1 else None
    except BaseException:
        db.session.rollback()
        raise


def run_part(mailing_id: int, *, worker: str, should_stop: Callable[[], bool] = lambda: False,
             before_claim_commit: Callable[[], None] | None = None) -> dict[str, int]:
    """The loop of one process on one mailing: claim a batch, do each recipient, until none waits (or
    ``should_stop``); then finish the mailing if nothing is left. Returns counts of what it did.

    ``before_claim_commit`` runs inside every claim's transaction (the worker touches its item there)."""
    db.session.commit()  # nothing of the caller's stays open while letters render
    job = _load_job(mailing_id)
    totals: Counter[str] = Counter()
    if job is None:
        return {}
    size = max(int(current_app.config.get("MAILING_CLAIM_BATCH", 10)), 1)
    try:
        while not should_stop():
            claimed = claim_batch(mailing_id, worker, size=size, before_commit=before_claim_commit)
            if not claimed:
                break
            for recipient_id in claimed:
                if should_stop():
                    break
                totals[str(process_recipient(job, recipient_id, worker))] += 1
    finally:
        _release_claims(mailing_id, worker)
    finish_if_done(mailing_id)
    return dict(totals)


def _release_claims(mailing_id: int, worker: str) -> None:
    """Claims left by a stop (or a lost work item) go back at once rather than after the stale timeout."""
    try:
        _commit_update(sa.and_(MR.mailing_id == mailing_id, MR.claimed_by == worker,
                               MR.status == DeliveryStatus.PENDING), claimed_by=None, claimed_at=None)
    except Exception:  # noqa: BLE001 - then they go stale and are taken over later
        current_app.logger.warning("could not release mailing claims", exc_info=True)


def status_counts(mailing_id: int) -> dict[str, int]:
    rows = db.session.execute(sa.select(MR.status, sa.func.count()).where(MR.mailing_id == mailing_id)
                              .group_by(MR.status))
    counts = {str(s): 0 for s in DeliveryStatus}
    for status, count in rows:
        counts[str(status)] = int(count)
    return counts
