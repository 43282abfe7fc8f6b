"""Enforcement rows made directly, for the tests of the reading pages (list, overview, panels, tiles, risk
factors): the case services are not needed to read cases, deadlines and documents."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

from wki.core.extensions import db
from wki.enforcement.models import (
    Case,
    CaseDeadline,
    CaseDocument,
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DocumentKind,
    DocumentStatus,
    Instrument,
    Provision,
    SubjectKind,
)

_numbers = itertools.count(1)


def make_case(officer: Any, *, subject_kind: SubjectKind = SubjectKind.REGISTRATION, naam: str = "Incasso B.V.",
              registratienummer: str | None = None, suspect_id: int | None = None, exempt_party_key: str | None = None,
              status: CaseStatus = CaseStatus.INVESTIGATION, instrument: Instrument | None = None,
              provisions: list[str] | None = None, opened_on: date = date(2026, 3, 2),
              closed_at: datetime | None = None, nummer: str | None = None) -> Case:
    """A case about a registration (by default ``R2024-<n>``, a fresh one each time), a suspect or an exempt
    party, with a unique zaaknummer."""
    n = next(_numbers)
    if subject_kind == SubjectKind.REGISTRATION and registratienummer is None:
        registratienummer = f"R2024-9{n:04d}"
    case = Case(nummer=nummer or f"HZ-2026-{n:05d}", subject_kind=subject_kind, registratienummer=registratienummer,
                suspect_id=suspect_id, exempt_party_key=exempt_party_key, naam=naam, status=status,
                instrument=instrument, opened_on=opened_on, closed_at=closed_at, officer_id=officer.id,
                provisions=provisions if provisions is not None else [Provision.WKI_13.value],
                created_by=officer.email)
    db.session.add(case)
    db.session.flush()
    return case


def make_deadline(case: Case, end_date: date, *, kind: DeadlineKind = DeadlineKind.VIEW,
                  status: DeadlineStatus = DeadlineStatus.RUNNING, event_date: date | None = None,
                  period: str = "2w") -> CaseDeadline:
    deadline = CaseDeadline(case_id=case.id, kind=kind, event_date=event_date or case.opened_on, period=period,
                            end_date=end_date, status=status)
    db.session.add(deadline)
    db.session.flush()
    return deadline


def make_document(case: Case, kind: DocumentKind, *, status: DocumentStatus = DocumentStatus.ISSUED,
                  document_date: date | None = None, issued_at: datetime | None = None) -> CaseDocument:
    document = CaseDocument(case_id=case.id, kind=kind, status=status, letter_type_slug=f"handhaving-{kind.value}",
                            document_date=document_date, issued_at=issued_at, created_by="test")
    db.session.add(document)
    db.session.flush()
    return document
