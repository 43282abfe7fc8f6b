"""Records with personal data, closed long ago or not, for the retention and request tests."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import sqlalchemy as sa

from wki.core.audit import AuditEvent
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.enforcement.models import CaseStatus
from wki.privacy.models import PrivacyRequest, RetentionRun
from wki.signals.models import SignalStatus

LONG_AGO = utcnow() - timedelta(days=3 * 366)  # past every default period but the case's (7 years)
VERY_LONG_AGO = utcnow() - timedelta(days=8 * 366)
RECENTLY = utcnow() - timedelta(days=30)


def stored_signal_file() -> tuple[str, bytes]:
    from wki.signals.attachments import attachment_store

    data = b"%PDF-1.4 brief aan J. Jansen " + os.urandom(16)
    return attachment_store().put(data), data


def stored_case_file() -> tuple[str, bytes]:
    from wki.enforcement.procedure import case_store

    data = b"%PDF-1.4 zienswijze " + os.urandom(16)
    return case_store().put(data), data


def signal(factories, *, closed_at: datetime | None, text: str = "Brief aan Jan Jansen, Dorpsstraat 1 Urk",
           with_file: bool = False, **values):
    attachment = None
    if with_file:
        sha, data = stored_signal_file()
        attachment = factories.SignalAttachmentFactory(sha256=sha, size=len(data), file_name="jansen-brief.pdf")
    row = factories.SignalFactory(omschrijving=text, attachment=attachment, **values)
    if closed_at is not None:
        row.status = SignalStatus.CLOSED
        db.session.flush()
        row.closed_at = closed_at
    db.session.flush()
    return row


def closed_case(factories, *, closed_at: datetime = VERY_LONG_AGO, text: str = "Klacht van Jan Jansen uit Urk",
                status: CaseStatus = CaseStatus.CLOSED):
    case = factories.CaseFactory(status=status, aanleiding=text, feiten=f"Feiten: {text}",
                                 closed_at=closed_at if status not in (CaseStatus.INVESTIGATION,) else None)
    step = factories.CaseStepFactory(case_id=case.id, text=f"Gesprek: {text}")
    sha, data = stored_case_file()
    factories.CaseAttachmentFactory(step_id=step.id, sha256=sha, size=len(data), file_name="jansen-zienswijze.pdf")
    factories.CaseEvidenceFactory(case_id=case.id, description=f"Brief van {text}")
    db.session.flush()
    return case, sha


def trail_text() -> str:
    """Everything the audit trail, the retention runs and the requests hold, as one text."""
    parts: list[str] = []
    for event in db.session.scalars(sa.select(AuditEvent)):
        parts.append(repr((event.before, event.after, event.object_id)))
    for run in db.session.scalars(sa.select(RetentionRun)):
        parts.append(repr((run.counts, run.kept)))
    for request in db.session.scalars(sa.select(PrivacyRequest)):
        parts.append(repr((request.reference, request.terms_hash, request.counts, request.kept)))
    return "\n".join(parts)
