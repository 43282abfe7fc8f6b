"""What other features may ask enforcement to do with the personal data in its cases (AVG): which closed
cases have passed their retention period, which signals an open case keeps as evidence, find every case
mentioning a person, export what a case holds, and remove it (the privacy feature decides which; enforcement
owns its rows).

What counts as personal data in a case (a debtor named in a complaint, a view, minutes), and what
pseudonymising does with it:

==========================  ===================================  ================================================
record                      fields                               pseudonymising
==========================  ===================================  ================================================
Case                        ``aanleiding``, ``feiten``,          replaced by "[verwijderd op DATE wegens …]"
                            ``closed_reason`` (officers' text)
CaseStep                    ``text`` (notes, a view's summary)   replaced by the marker (kind, day, kenmerk stay)
CaseEvidence                ``description``                      replaced by the marker (the reference stays)
CaseAttachment              the file (a written view, minutes)   row deleted, file deleted from the case store
                                                                 when no other record names it
CaseDocument not issued     ``sections``, ``prepared_data``      sections replaced by the marker, data emptied
CaseDocument issued         everything                           KEPT: an issued decision is an archival record
                                                                 (Archiefwet) and immutable
Case (kept)                 party name, KvK, registratienummer,  kept: the collector, not the debtor; the
                            provisions, instrument, dates,       history and risk factors depend on them
                            penalty order and fine
==========================  ===================================  ================================================

Only closed cases (afgerond, gesloten) are pseudonymised.
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
from wki.enforcement.audit_actions import EnforcementAction
from wki.enforcement.models import (
    OPEN_STATUSES,
    Case,
    CaseAttachment,
    CaseDocument,
    CaseEvidence,
    CaseStep,
    DocumentStatus,
    EvidenceLink,
)
from wki.enforcement.procedure import case_store

__all__ = [
    "case_attachment_files",
    "cases_personal_data",
    "delete_unreferenced_case_files",
    "due_case_ids",
    "due_cases_summary",
    "find_cases_mentioning",
    "issued_documents_of",
    "pseudonymise_cases",
    "signals_kept_as_evidence",
]

CLOSED = sa.not_(Case.status.in_(OPEN_STATUSES))


def _marker(day: date, why: str) -> str:
    return f"[verwijderd op {fmt_date(day)} wegens {why}]"


def signals_kept_as_evidence() -> set[int]:
    """The signals linked (and not unlinked) as evidence to an open case: their data stays while it is open."""
    refs = db.session.scalars(sa.select(CaseEvidence.ref).join(Case, Case.id == CaseEvidence.case_id).where(
        CaseEvidence.kind == EvidenceLink.SIGNAL, CaseEvidence.removed_at.is_(None), Case.status.in_(OPEN_STATUSES)))
    return {int(ref) for ref in refs if ref.isdigit()}


def _due(closed_before: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(CLOSED, Case.closed_at < closed_before, Case.pseudonymised_at.is_(None))


def due_case_ids(closed_before: datetime, *, limit: int = 500) -> list[int]:
    """Closed cases whose retention period ended and whose texts still hold personal data, oldest first."""
    return list(db.session.scalars(sa.select(Case.id).where(_due(closed_before))
                                   .order_by(Case.closed_at, Case.id).limit(limit)))


def due_cases_summary(closed_before: datetime) -> tuple[int, datetime | None]:
    count, oldest = db.session.execute(sa.select(sa.func.count(), sa.func.min(Case.closed_at))
                                       .where(_due(closed_before))).one()
    return int(count or 0), oldest


def issued_documents_of(case_ids: Iterable[int]) -> dict[int, list[str]]:
    """Per case, the kenmerken of its issued documents (kept as archival records)."""
    out: dict[int, list[str]] = {}
    rows = db.session.execute(sa.select(CaseDocument.case_id, CaseDocument.kenmerk).where(
        CaseDocument.case_id.in_(list(case_ids)), CaseDocument.status == DocumentStatus.ISSUED)
        .order_by(CaseDocument.id))
    for case_id, kenmerk in rows:
        out.setdefault(case_id, []).append(kenmerk or "")
    return out


@service
def pseudonymise_cases(case_ids: Sequence[int], *, actor: Actor, why: str = "bewaartermijn",
                       today: date | None = None) -> dict[str, Any]:
    """Remove the personal data from these closed cases' texts and files (see the module's table); open
    cases and cases done before are left alone. Returns the counts and ``files``: the SHA-256 of case files
    no record names any more, for ``delete_unreferenced_case_files`` after the caller's commit."""
    ids = sorted(set(case_ids))
    empty = {"zaken": 0, "stappen": 0, "bewijsstukken": 0, "bijlagen": 0, "documenten": 0, "files": []}
    if not ids:
        return empty
    now = utcnow()
    marker = _marker(today or now.date(), why)
    # Locked (PostgreSQL): a second run at the same moment skips what this one does, and finds it done after.
    cases = list(db.session.scalars(sa.select(Case).where(Case.id.in_(ids), CLOSED, Case.pseudonymised_at.is_(None))
                                    .order_by(Case.id).with_for_update(of=Case, skip_locked=True)))
    done = [c.id for c in cases]
    if not done:
        return empty
    for case in cases:
        case.aanleiding = marker if case.aanleiding else case.aanleiding
        case.feiten = marker if case.feiten else case.feiten
        case.closed_reason = marker if case.closed_reason else case.closed_reason
        case.pseudonymised_at = now
    step_ids = list(db.session.scalars(sa.select(CaseStep.id).where(CaseStep.case_id.in_(done))))
    steps = rows_affected(db.session.execute(sa.update(CaseStep).where(CaseStep.case_id.in_(done), CaseStep.text != "")
                               .values(text=marker).execution_options(synchronize_session=False)))
    evidence = rows_affected(db.session.execute(sa.update(CaseEvidence).where(CaseEvidence.case_id.in_(done),
                                                                CaseEvidence.description != "")
                                  .values(description=marker).execution_options(synchronize_session=False)))
    documents = 0
    for document in db.session.scalars(sa.select(CaseDocument).where(
            CaseDocument.case_id.in_(done), CaseDocument.status != DocumentStatus.ISSUED)):
        document.sections = {key: marker for key in (document.sections or {})}
        document.prepared_data = None
        documents += 1
    shas = set(db.session.scalars(sa.select(CaseAttachment.sha256).where(CaseAttachment.step_id.in_(step_ids))))
    attachments = rows_affected(db.session.execute(sa.delete(CaseAttachment).where(
        CaseAttachment.step_id.in_(step_ids)).execution_options(synchronize_session=False)))
    db.session.flush()
    named = set(db.session.scalars(sa.select(CaseAttachment.sha256).where(CaseAttachment.sha256.in_(shas))))
    counts = {"zaken": len(done), "stappen": steps, "bewijsstukken": evidence, "bijlagen": attachments,
              "documenten": documents}
    audit.record(EnforcementAction.CASES_PSEUDONYMISED, object_type="enforcement_case",
                 after={"ids": done, **counts, "grond": why}, actor=actor)
    for case in cases:  # the bulk updates changed rows behind the session's back
        db.session.expire(case)
    return {**counts, "files": sorted(shas - named)}


def delete_unreferenced_case_files(shas: Iterable[str]) -> int:
    """Delete these files from the case store when (still) no attachment names them; after the commit."""
    wanted = set(shas)
    if not wanted:
        return 0
    named = set(db.session.scalars(sa.select(CaseAttachment.sha256).where(CaseAttachment.sha256.in_(wanted))))
    return delete_unnamed(case_store(), wanted, named)


# --- requests for access or erasure (art. 15/17 AVG) ------------------------------------------------------

def find_cases_mentioning(terms: Sequence[str], *, limit: int = 200) -> tuple[list[dict[str, Any]], bool]:
    """Every case whose texts, timeline, evidence descriptions, attachments' file names or documents'
    sections mention one of ``terms`` (case-insensitive), newest first, at most ``limit``."""
    if not terms:
        return [], False
    where: dict[int, set[str]] = {}

    def collect(label: str, stmt: sa.Select) -> None:
        for (case_id,) in db.session.execute(stmt.limit(limit + 1)):
            where.setdefault(case_id, set()).add(label)

    def any_of(column: Any) -> sa.ColumnElement[bool]:
        return sa.or_(*(column.icontains(t, autoescape=True) for t in terms))

    collect("Aanleiding", sa.select(Case.id).where(any_of(Case.aanleiding)))
    collect("Feiten", sa.select(Case.id).where(any_of(Case.feiten)))
    collect("Reden van sluiten", sa.select(Case.id).where(any_of(Case.closed_reason)))
    collect("Tijdlijn", sa.select(CaseStep.case_id).where(any_of(CaseStep.text)))
    collect("Bewijs (omschrijving)", sa.select(CaseEvidence.case_id).where(any_of(CaseEvidence.description)))
    collect("Bijlage (bestandsnaam)", sa.select(CaseStep.case_id).join(CaseAttachment, CaseAttachment.step_id == CaseStep.id)
            .where(any_of(CaseAttachment.file_name)))
    collect("Document (tekst)", sa.select(CaseDocument.case_id).where(any_of(sa.cast(CaseDocument.sections, sa.Text))))
    ids = sorted(where, reverse=True)
    more = len(ids) > limit
    ids = ids[:limit]
    rows = db.session.execute(sa.select(Case.id, Case.nummer, Case.status, Case.pseudonymised_at)
                              .where(Case.id.in_(ids))).all()
    issued = issued_documents_of(ids)
    hits = [{"id": r.id, "nummer": r.nummer, "open": r.status in OPEN_STATUSES, "status": r.status.label,
             "pseudonymised": r.pseudonymised_at is not None, "issued": issued.get(r.id, []),
             "where": sorted(where[r.id])} for r in rows]
    hits.sort(key=lambda h: h["id"], reverse=True)
    return hits, more


def cases_personal_data(case_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What these cases hold in their texts (for an export under art. 15 AVG), plain values."""
    ids = list(case_ids)
    out = []
    for case in db.session.scalars(sa.select(Case).where(Case.id.in_(ids)).order_by(Case.id)):
        steps = db.session.scalars(sa.select(CaseStep).where(CaseStep.case_id == case.id)
                                   .order_by(CaseStep.day, CaseStep.id))
        evidence = db.session.scalars(sa.select(CaseEvidence).where(CaseEvidence.case_id == case.id)
                                      .order_by(CaseEvidence.id))
        documents = db.session.scalars(sa.select(CaseDocument).where(CaseDocument.case_id == case.id)
                                       .order_by(CaseDocument.id))
        out.append({
            "zaak": case.nummer, "status": str(case.status), "partij": case.naam, "aanleiding": case.aanleiding,
            "feiten": case.feiten, "reden_sluiten": case.closed_reason,
            "tijdlijn": [{"soort": str(s.kind), "dag": s.day, "tekst": s.text,
                          "bijlagen": [a.file_name for a in s.attachments]} for s in steps],
            "bewijs": [{"soort": str(e.kind), "verwijzing": e.ref, "omschrijving": e.description} for e in evidence],
            "documenten": [{"soort": str(d.kind), "status": str(d.status), "kenmerk": d.kenmerk,
                            "onderdelen": d.sections} for d in documents],
        })
    return out


def case_attachment_files(case_ids: Sequence[int]) -> list[tuple[str, bytes]]:
    """The files kept with these cases as (file name in an export, bytes); missing files are left out."""
    store = case_store()
    rows = db.session.execute(sa.select(Case.nummer, CaseAttachment.id, CaseAttachment.sha256, CaseAttachment.file_name)
                              .join(CaseStep, CaseStep.case_id == Case.id)
                              .join(CaseAttachment, CaseAttachment.step_id == CaseStep.id)
                              .where(Case.id.in_(list(case_ids))).order_by(CaseAttachment.id)).all()
    return [(f"zaak-{nummer}-{att_id}-{name}", store.get(sha)) for nummer, att_id, sha, name in rows
            if store.exists(sha)]
