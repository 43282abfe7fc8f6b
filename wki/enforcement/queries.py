"""What other features may read of enforcement: the cases about a party (for the panels on a registration's
and a suspect's page, and the exempt list), and the enforcement history as risk factors for supervision's
priorities (slot ``RISK_FACTORS``).

Plain rows, never the models: a reader links to a case with ``url_for("enforcement.case", **row.url_args)``.
Every function reads in a fixed number of queries, however many cases there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from wki.core.clock import AMSTERDAM
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.enforcement.models import (
    OPEN_STATUSES,
    Case,
    CaseDocument,
    CaseStatus,
    DocumentKind,
    DocumentStatus,
    Instrument,
    SubjectKind,
)

__all__ = [
    "DECISION_POINTS",
    "HISTORY_YEARS",
    "OPEN_CASE_POINTS",
    "CaseSummary",
    "cases_about_exempt",
    "cases_about_registration",
    "cases_about_suspect",
    "officer_names",
    "risk_factors",
]

# The accounts table, read for the officers' names without importing another feature's models.
USERS = sa.table("user_account", sa.column("id", sa.Integer), sa.column("name", sa.String))


@dataclass(frozen=True)
class CaseSummary:
    """One case, as the pages of other features show it."""

    id: int
    nummer: str
    naam: str  # the party's name when the case was opened
    subject_kind: SubjectKind
    status: CaseStatus  # a LabelledEnum member: ``status_tag(row.status)`` shows its label in its style
    instrument: Instrument | None
    opened_on: date
    officer: str  # the officer's name ("" when the account is gone)
    url_args: dict[str, Any] = field(default_factory=dict)  # for url_for("enforcement.case", ...)

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def status_style(self) -> str:
        return str(self.status.style)

    @property
    def instrument_label(self) -> str:
        return self.instrument.label if self.instrument is not None else "Nog niet gekozen"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def officer_names(user_ids: Iterable[int]) -> dict[int, str]:
    """The names of these accounts (one query)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    return {int(i): str(name) for i, name in db.session.execute(
        sa.select(USERS.c.id, USERS.c.name).where(USERS.c.id.in_(wanted)))}


def _summaries(where: sa.ColumnElement[bool]) -> list[CaseSummary]:
    """The cases matching ``where``, newest first, with their officer's name: one query."""
    stmt = (sa.select(Case, USERS.c.name).outerjoin(USERS, USERS.c.id == Case.officer_id).where(where)
            .order_by(Case.opened_on.desc(), Case.id.desc()))
    return [CaseSummary(id=case.id, nummer=case.nummer, naam=case.naam, subject_kind=case.subject_kind,
                        status=case.status, instrument=case.instrument, opened_on=case.opened_on,
                        officer=name or "", url_args={"case_id": case.id})
            for case, name in db.session.execute(stmt)]


def cases_about_registration(registratienummer: str) -> list[CaseSummary]:
    """Every case about this registered agency, newest first."""
    return _summaries(sa.and_(Case.subject_kind == SubjectKind.REGISTRATION,
                              Case.registratienummer == registratienummer))


def cases_about_suspect(suspect_id: int) -> list[CaseSummary]:
    """Every case about this suspected unregistered collector, newest first."""
    return _summaries(sa.and_(Case.subject_kind == SubjectKind.SUSPECT, Case.suspect_id == int(suspect_id)))


def cases_about_exempt(party_key: str) -> list[CaseSummary]:
    """Every case about this exempt party (its key on the exempt list), newest first."""
    return _summaries(sa.and_(Case.subject_kind == SubjectKind.EXEMPT, Case.exempt_party_key == party_key))


# ---------------------------------------------------------------- risk factors (slot RISK_FACTORS)

# How far back decisions count, and their points before supervision's weight "handhaving" multiplies them.
HISTORY_YEARS = 3
DECISION_POINTS: dict[DocumentKind, tuple[int, str]] = {
    DocumentKind.FINE: (20, "Bestuurlijke boete opgelegd"),
    DocumentKind.PENALTY_ORDER: (15, "Last onder dwangsom opgelegd"),
    DocumentKind.WARNING: (5, "Waarschuwingsbrief gestuurd"),
}
OPEN_CASE_POINTS = 10


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _start_of(day: date) -> datetime:
    """The moment the Dutch calendar day ``day`` begins."""
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM).astimezone(UTC)


def risk_factors(as_of: date) -> dict[str, list[tuple[int, str]]]:
    """Per registratienummer, what its enforcement history adds to its priority on ``as_of``: each fine, penalty
    order and warning letter issued in the ``HISTORY_YEARS`` years up to that day, and a case that was open on
    it; each with its points and a Dutch reason. Two queries."""
    since = years_before(as_of, HISTORY_YEARS)
    after = _start_of(as_of + timedelta(days=1))
    out: dict[str, list[tuple[int, str]]] = {}
    # The decision's date; a document issued without one counts from the moment it was issued.
    decided = sa.or_(CaseDocument.document_date.between(since, as_of),
                     sa.and_(CaseDocument.document_date.is_(None), CaseDocument.issued_at >= _start_of(since),
                             CaseDocument.issued_at < after))
    for nummer, kind, document_date, issued_at, zaak in db.session.execute(
            sa.select(Case.registratienummer, CaseDocument.kind, CaseDocument.document_date, CaseDocument.issued_at,
                      Case.nummer)
            .join(Case, Case.id == CaseDocument.case_id)
            .where(Case.subject_kind == SubjectKind.REGISTRATION, Case.registratienummer.is_not(None),
                   CaseDocument.status == DocumentStatus.ISSUED, CaseDocument.kind.in_(list(DECISION_POINTS)),
                   decided)
            .order_by(sa.func.coalesce(CaseDocument.document_date, CaseDocument.issued_at), CaseDocument.id)):
        points, words = DECISION_POINTS[DocumentKind.from_value(kind)]
        day = document_date or issued_at
        out.setdefault(nummer, []).append((points, f"{words} op {fmt_date(day)} ({zaak})"))
    # Open on ``as_of``: opened by then and not closed before the day was over.
    was_open = sa.or_(sa.and_(Case.closed_at.is_(None), Case.status.in_(OPEN_STATUSES)), Case.closed_at >= after)
    for nummer, zaak in db.session.execute(
            sa.select(Case.registratienummer, Case.nummer)
            .where(Case.subject_kind == SubjectKind.REGISTRATION, Case.registratienummer.is_not(None),
                   Case.opened_on <= as_of, was_open)
            .order_by(Case.opened_on, Case.id)):
        out.setdefault(nummer, []).append((OPEN_CASE_POINTS, f"Handhavingszaak {zaak} loopt"))
    return out
