"""What other features may ask signals to do with the debtors' personal data in them (AVG): which closed
signals have passed their retention period, find every signal mentioning a person, export what a signal
holds about one, and remove it (the privacy feature, wki/privacy, decides which; signals owns its rows).

What counts as personal data in a signal, and what pseudonymising does with it:

======================  ==========================================  =============================================
record                  fields                                      pseudonymising
======================  ==========================================  =============================================
Signal                  ``omschrijving`` (the reporter's free       replaced by "[verwijderd op DATE wegens …]"
                        text: names, addresses of the debtor)
Signal                  ``decision_reason`` (an inspector's text)   replaced by the same marker when present
Signal                  ``referentie`` (the reporter's dossier      replaced by "[verwijderd-<id>]" (unique per
                        number, may name the consumer)              source)
Signal                  ``attachment`` (the collector's letter to   the row is deleted; its file is deleted from
                        the debtor: name, address, debt)            the store when no other record names it
SignalImport            ``report`` rows and ``rejects_csv`` (the    emptied after their own period (the counts
                        rejected rows as written)                   stay)
Signal (kept)           ``naam_incassant``, ``kvk``, ``iban``,      kept: the COLLECTOR's identifiers, which
                        ``website``, ``email``/``telefoon``,        matching, suspects and figures depend on; not
                        ``postcode``/``plaats`` (the collector's)   the debtor's data
Signal (kept)           ``hoofdsom``, ``incassokosten``, dates,     kept: without the free text and the letter
                        verdicts, scores, ``explanation``           they no longer identify the debtor; the BIK
                                                                    figures and suspects' totals need them
======================  ==========================================  =============================================

Only closed signals are pseudonymised; the caller leaves out those a retention duty keeps (evidence of an
open enforcement case). Suspects are not regrouped: nothing grouping reads changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.db import rows_affected
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.service import service
from wki.core.storage import delete_unnamed
from wki.signals.attachments import attachment_store
from wki.signals.audit_actions import SignalAction
from wki.signals.models import Signal, SignalAttachment, SignalImport, SignalStatus

S = Signal

__all__ = [
    "clear_import_rejects",
    "delete_unreferenced_attachment_files",
    "due_import_ids",
    "due_signal_ids",
    "due_signals_summary",
    "erasure_marker",
    "find_signals_mentioning",
    "pseudonymise_signals",
    "signal_attachment_files",
    "signals_personal_data",
]


def erasure_marker(day: date, why: str) -> str:
    """The text that takes the place of removed free text: "[verwijderd op 5 december 2026 wegens bewaartermijn]"."""
    return f"[verwijderd op {fmt_date(day)} wegens {why}]"


def _due(closed_before: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(S.status == SignalStatus.CLOSED, S.closed_at < closed_before, S.pseudonymised_at.is_(None))


def due_signal_ids(closed_before: datetime, *, exclude: Iterable[int] = (), limit: int = 500) -> list[int]:
    """Closed signals whose retention period ended (closed before ``closed_before``) and that still hold
    personal data, oldest first; ``exclude``: those a duty keeps."""
    stmt = sa.select(S.id).where(_due(closed_before)).order_by(S.closed_at, S.id).limit(limit)
    excluded = list(exclude)
    if excluded:
        stmt = stmt.where(S.id.not_in(excluded))
    return list(db.session.scalars(stmt))


def due_signals_summary(closed_before: datetime) -> tuple[int, datetime | None, list[int]]:
    """How many closed signals are due, the oldest closing, and all their ids (to hold against duties)."""
    rows = db.session.execute(sa.select(S.id, S.closed_at).where(_due(closed_before)).order_by(S.closed_at)).all()
    return len(rows), (rows[0].closed_at if rows else None), [r.id for r in rows]


def _import_due(created_before: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(SignalImport.created_at < created_before,
                   sa.or_(SignalImport.rejects_csv.is_not(None), SignalImport.report.is_not(None)))


def due_import_ids(created_before: datetime) -> list[int]:
    """Signal imports older than their period that still hold the rejected rows."""
    return list(db.session.scalars(sa.select(SignalImport.id).where(_import_due(created_before))
                                   .order_by(SignalImport.id)))


@service
def clear_import_rejects(import_ids: Sequence[int], *, actor: Actor) -> int:
    """Remove the rejected rows (as written, with the debtors' data in them) from these imports; the counts
    stay. Returns how many imports were cleared."""
    ids = list(import_ids)
    if not ids:
        return 0
    cleared = rows_affected(db.session.execute(sa.update(SignalImport).where(
        SignalImport.id.in_(ids), sa.or_(SignalImport.rejects_csv.is_not(None), SignalImport.report.is_not(None)))
        .values(rejects_csv=None, report=None).execution_options(synchronize_session=False)))
    if cleared:
        audit.record(SignalAction.IMPORT_REJECTS_CLEARED, object_type="signal_import",
                     after={"imports": ids, "aantal": cleared}, actor=actor)
    return cleared


@service
def pseudonymise_signals(signal_ids: Sequence[int], *, actor: Actor, why: str = "bewaartermijn",
                         today: date | None = None) -> dict[str, Any]:
    """Remove the debtors' personal data from these signals (see the module's table). Open signals and
    signals done before are left alone, so calling it twice removes nothing twice.

    Returns the counts (``signalen``, ``bijlagen``) and ``files``: the SHA-256 of the attachments no record
    names any more, for ``delete_unreferenced_attachment_files`` AFTER the caller committed (a rollback
    must not leave a record whose file is gone)."""
    ids = sorted(set(signal_ids))
    if not ids:
        return {"signalen": 0, "bijlagen": 0, "files": []}
    now = utcnow()
    marker = erasure_marker(today or now.date(), why)
    # Locked (PostgreSQL): a second run at the same moment skips what this one does, and finds it done after.
    signals = list(db.session.scalars(sa.select(S).where(
        S.id.in_(ids), S.status == SignalStatus.CLOSED, S.pseudonymised_at.is_(None)).order_by(S.id)
        .with_for_update(of=S, skip_locked=True)))
    attachment_ids: set[int] = set()
    for signal in signals:
        signal.omschrijving = marker
        if signal.decision_reason:
            signal.decision_reason = marker
        signal.referentie = f"[verwijderd-{signal.id}]"  # brackets: no reporter's reference looks like it
        if signal.attachment_id is not None:
            attachment_ids.add(signal.attachment_id)
        signal.attachment_id = None
        signal.pseudonymised_at = now
    db.session.flush()
    files: list[str] = []
    if attachment_ids:
        # An attachment still named by a signal not done here (not expected: one letter per signal) stays.
        still_named = set(db.session.scalars(sa.select(S.attachment_id).where(S.attachment_id.in_(attachment_ids))))
        gone = attachment_ids - still_named
        shas = set(db.session.scalars(sa.select(SignalAttachment.sha256).where(SignalAttachment.id.in_(gone))))
        db.session.execute(sa.delete(SignalAttachment).where(SignalAttachment.id.in_(gone))
                           .execution_options(synchronize_session=False))
        named = set(db.session.scalars(sa.select(SignalAttachment.sha256).where(SignalAttachment.sha256.in_(shas))))
        files = sorted(shas - named)
        attachment_ids = gone
    done = [s.id for s in signals]
    if done:
        audit.record(SignalAction.PSEUDONYMISED, object_type="signal",
                     after={"ids": done, "aantal": len(done), "bijlagen": len(attachment_ids), "grond": why},
                     actor=actor)
    return {"signalen": len(done), "bijlagen": len(attachment_ids), "files": files}


def delete_unreferenced_attachment_files(shas: Iterable[str]) -> int:
    """Delete these files from the attachment store when (still) no attachment names them; call after the
    commit that removed their rows. A crash before this leaves only unnamed files, which housekeeping
    removes. Returns how many were deleted."""
    wanted = set(shas)
    if not wanted:
        return 0
    named = set(db.session.scalars(sa.select(SignalAttachment.sha256).where(SignalAttachment.sha256.in_(wanted))))
    return delete_unnamed(attachment_store(), wanted, named)


# --- requests for access or erasure (art. 15/17 AVG) ------------------------------------------------------

# The fields searched for a person, with their Dutch names for the list of hits.
SEARCHED = (
    ("omschrijving", "Omschrijving"),
    ("referentie", "Referentie van de melder"),
    ("email_raw", "E-mailadres"),
    ("telefoon_raw", "Telefoonnummer"),
    ("postcode", "Postcode"),
    ("plaats", "Plaats"),
    ("decision_reason", "Reden van het oordeel"),
)


def find_signals_mentioning(terms: Sequence[str], *, limit: int = 200) -> tuple[list[dict[str, Any]], bool]:
    """Every signal in which one of ``terms`` occurs (case-insensitive substring, also in the attachment's
    file name), newest first, at most ``limit``; and whether there were more. A sequential scan of the
    free text (ILIKE): acceptable for a request now and then, bounded by the limit."""
    conditions: list[sa.ColumnElement[bool]] = []
    for term in terms:
        conditions.extend(getattr(S, column).icontains(term, autoescape=True) for column, _ in SEARCHED)
        conditions.append(SignalAttachment.file_name.icontains(term, autoescape=True))
    if not conditions:
        return [], False
    rows = db.session.execute(
        sa.select(S, SignalAttachment.file_name).outerjoin(SignalAttachment, S.attachment_id == SignalAttachment.id)
        .where(sa.or_(*conditions)).order_by(S.id.desc()).limit(limit + 1)).all()
    hits = []
    for signal, file_name in rows[:limit]:
        where = [label for column, label in SEARCHED
                 if any(t.casefold() in (getattr(signal, column) or "").casefold() for t in terms)]
        if file_name and any(t.casefold() in file_name.casefold() for t in terms):
            where.append("Bijlage (bestandsnaam)")
        hits.append({"id": signal.id, "referentie": signal.referentie, "ontvangen_op": signal.ontvangen_op,
                     "open": signal.status == SignalStatus.OPEN, "status": signal.status.label,
                     "pseudonymised": signal.pseudonymised_at is not None, "where": where})
    return hits, len(rows) > limit


def signals_personal_data(signal_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What these signals hold (for an export under art. 15 AVG): every field as reported, plain values."""
    rows = db.session.scalars(sa.select(S).where(S.id.in_(list(signal_ids))).order_by(S.id))
    out = []
    for s in rows:
        out.append({
            "signaal": s.id, "bron": str(s.bron), "referentie": s.referentie, "ontvangen_op": s.ontvangen_op,
            "status": str(s.status), "naam_incassant": s.naam_incassant, "kvk": s.kvk_raw, "iban": s.iban_raw,
            "website": s.website_raw, "email": s.email_raw, "telefoon": s.telefoon_raw, "postcode": s.postcode,
            "plaats": s.plaats, "datum_brief": s.datum_brief, "hoofdsom": s.hoofdsom,
            "incassokosten": s.incassokosten, "omschrijving": s.omschrijving, "reden_oordeel": s.decision_reason,
            "bijlage": ({"bestandsnaam": s.attachment.file_name, "sha256": s.attachment.sha256,
                         "type": s.attachment.content_type} if s.attachment else None),
        })
    return out


def signal_attachment_files(signal_ids: Sequence[int]) -> list[tuple[str, bytes]]:
    """The attachments of these signals as (file name in an export, bytes); missing files are left out."""
    store = attachment_store()
    out = []
    rows = db.session.execute(sa.select(S.id, SignalAttachment.sha256, SignalAttachment.file_name)
                              .join(SignalAttachment, S.attachment_id == SignalAttachment.id)
                              .where(S.id.in_(list(signal_ids))).order_by(S.id)).all()
    for signal_id, sha, file_name in rows:
        if store.exists(sha):
            out.append((f"signaal-{signal_id}-{file_name}", store.get(sha)))
    return out
