"""A case from opening to its last decision through the services, with the documents issued for real: each
document's effect on the case (the status step, the periods that start with its dispatch) and the periods'
dates computed by the deadline engine.

- A penalty order: the intention (the view period), the view, the decision (objection period and grace
  period), the check after the grace period, the forfeiture and the collection decision (its own objection
  period); an objection against the order, judged on time.
- A fine: the report (13 weeks), the intention, no view after the period, the decision ends the 13 weeks.
- A warning to a suspect: no intention, the case is decided, no objection period (no besluit).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.enforcement import factories as f
from tests.enforcement.helpers import officers, on_day, registered_case, suspect_with_signals
from wki.core.errors import ServiceError
from wki.documents.models import Document
from wki.enforcement import cases, decisions, procedure, timelimits
from wki.enforcement.models import (
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DocumentKind,
    DocumentStatus,
    Instrument,
    PenaltyForm,
    StepKind,
)

ST = CaseStatus
MODULES = ("wki.enforcement.decisions",)


def _today(monkeypatch, day: date) -> None:
    on_day(monkeypatch, day)
    for module in MODULES:
        monkeypatch.setattr(f"{module}.today_local", lambda: day)


def _issue(case, kind, team, *, operative=None):
    """Start, fill, prepare, have a colleague approve exactly that PDF, and issue (the case's effects)."""
    document = decisions.start_document(case.id, kind, actor=team.me)
    sections = {s: f.SECTIONS.get(s, "Tekst van de handhaver.") for s in decisions.editable_sections(kind)}
    decisions.save_sections(document.id, sections, expected_version=document.version, actor=team.me,
                            operative=operative)
    decisions.prepare(document.id, actor=team.me)
    decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=team.other)
    return procedure.issue_case_document(document.id, actor=team.me)


def test_a_penalty_order_from_intention_to_collection(factories, db_session, monkeypatch):
    team = officers(factories)
    _today(monkeypatch, date(2026, 3, 2))
    case = registered_case(team)
    cases.choose_instrument(case.id, Instrument.PENALTY_ORDER, reason="Herstel is nodig.", actor=team.me)
    with pytest.raises(ServiceError, match="Leg eerst de last vast"):
        _issue(case, DocumentKind.INTENTION, team)
    procedure.set_penalty_terms(case.id, measures="Stel een klachtenregeling vast.", grace_period="4w",
                                form=PenaltyForm.PER_DAY, amount="500", ceiling="10000", actor=team.me)

    # Monday 2 March 2026: the intention goes out; the view period (2 weeks) runs through Monday 16 March.
    intention = _issue(case, DocumentKind.INTENTION, team)
    assert intention.status is DocumentStatus.ISSUED and case.status is ST.INTENTION
    view = timelimits.running_of_kind(case, DeadlineKind.VIEW)
    assert view.end_date == date(2026, 3, 16) and view.document_id == intention.id
    with pytest.raises(ServiceError, match="Het besluit volgt na het voornemen"):
        procedure.require_document_kind(case, DocumentKind.PENALTY_ORDER)

    _today(monkeypatch, date(2026, 3, 12))
    procedure.record_view(case.id, received_on=date(2026, 3, 11), form="schriftelijk",
                          summary="De regeling komt er.", actor=team.me)
    assert case.status is ST.DECIDING and view.status is DeadlineStatus.MET

    # Monday 16 March 2026: the decision goes out; objection through 28 April (27 April is King's Day), the
    # grace period through Monday 13 April.
    _today(monkeypatch, date(2026, 3, 16))
    decision = _issue(case, DocumentKind.PENALTY_ORDER, team)
    assert case.status is ST.DECIDED and decision.dispatched_on == date(2026, 3, 16)
    assert timelimits.running_of_kind(case, DeadlineKind.OBJECTION).end_date == date(2026, 4, 28)
    assert case.penalty_order.grace_end == date(2026, 4, 13)
    issued = db_session.query(Document).filter_by(kenmerk=decision.kenmerk).one()
    assert issued.sha256 == decision.pdf_sha256  # the approved PDF, byte for byte

    _today(monkeypatch, date(2026, 4, 20))
    order = procedure.record_check(case.id, checked_on=date(2026, 4, 20), result="niet_nageleefd",
                                   note="Nog steeds geen regeling.", actor=team.me)
    assert order.forfeited == 3500
    collection = _issue(case, DocumentKind.COLLECTION, team)
    assert collection.status is DocumentStatus.ISSUED and case.status is ST.DECIDED
    assert timelimits.last_of_kind(case, DeadlineKind.OBJECTION, document=collection).end_date == date(2026, 6, 1)

    procedure.record_objection(case.id, document_id=decision.id, received_on=date(2026, 4, 20), actor=team.me)
    assert decision.objection_on_time is True and case.status is ST.OBJECTION
    cases.close_case(case.id, reason="Bezwaar behandeld; last blijft.", actor=team.me)
    assert case.status is ST.CLOSED and timelimits.running(case) == []
    kinds = [s.kind for s in cases.steps_of(case)]
    assert kinds.count(StepKind.DOCUMENT) == 3 and StepKind.FORFEITED in kinds


def test_a_fine_from_report_to_decision(factories, db_session, monkeypatch):
    from wki.enforcement import fines

    team = officers(factories)
    _today(monkeypatch, date(2026, 3, 2))
    monkeypatch.setattr(fines, "calculate_fine_on", _confirmed_calculation(fines))
    case = registered_case(team)
    cases.choose_instrument(case.id, Instrument.FINE, reason="Ernstige overtreding.", actor=team.me)
    procedure.record_caution(case.id, day=date(2026, 2, 23), person="J. Jansen, directeur", text="", actor=team.me)
    procedure.record_report(case.id, day=date(2026, 2, 24), text="Rapport van bevindingen.", actor=team.me)
    assert timelimits.running_of_kind(case, DeadlineKind.FINE_DECISION).end_date == date(2026, 5, 26)
    procedure.set_fine(case.id, provision="wki_13", recidive=True, actor=team.me)
    assert case.fine_inputs["bedrag"]
    _issue(case, DocumentKind.INTENTION, team)
    with pytest.raises(ServiceError, match="loopt nog"):
        procedure.record_no_view(case.id, actor=team.me)
    _today(monkeypatch, date(2026, 3, 17))
    procedure.record_no_view(case.id, actor=team.me)
    decision = _issue(case, DocumentKind.FINE, team)
    assert case.status is ST.DECIDED and decision.status is DocumentStatus.ISSUED
    assert timelimits.last_of_kind(case, DeadlineKind.FINE_DECISION).status is DeadlineStatus.MET
    assert timelimits.running_of_kind(case, DeadlineKind.OBJECTION).end_date == date(2026, 4, 28)


def _confirmed_calculation(fines):
    """The seeded tables after 2020 wait for an administrator's confirmation; a test confirms them."""
    original = fines.calculate_fine_on

    def calculate(on, **kwargs):
        return original(on, allow_unconfirmed=True, **kwargs)

    return calculate


def test_a_warning_to_a_suspect_needs_no_intention_and_has_no_objection_period(factories, db_session,
                                                                                 monkeypatch):
    team = officers(factories)
    _today(monkeypatch, date(2026, 3, 10))
    suspect = suspect_with_signals(factories, 2)
    for signal in suspect_signals(factories, suspect):
        signal.email_raw = "info@snelgeld.example"
    case = cases.open_from_suspect(suspect.id, officer_id=team.officer.id, actor=team.me)
    cases.choose_instrument(case.id, Instrument.WARNING, reason="Eerste signalen; wijzen op de plicht.",
                            actor=team.me)
    procedure.to_deciding(case.id, actor=team.me)
    warning = _issue(case, DocumentKind.WARNING, team)
    assert warning.status is DocumentStatus.ISSUED and case.status is ST.DECIDED
    assert timelimits.running(case) == []


def suspect_signals(factories, suspect):
    from wki.core.extensions import db
    from wki.signals.models import Signal

    return db.session.query(Signal).filter_by(suspect_id=suspect.id).all()


def test_closing_a_case_lapses_its_unsent_documents(factories, db_session, monkeypatch):
    """A hurried close while a warning waits for approval: nothing can go out of the closed case afterwards."""
    team = officers(factories)
    _today(monkeypatch, date(2026, 3, 10))
    case = registered_case(team)
    cases.choose_instrument(case.id, Instrument.WARNING, reason="Eerste keer.", actor=team.me)
    procedure.to_deciding(case.id, actor=team.me)
    document = decisions.start_document(case.id, DocumentKind.WARNING, actor=team.me)
    sections = {s: f.SECTIONS.get(s, "Tekst.") for s in decisions.editable_sections(DocumentKind.WARNING)}
    decisions.save_sections(document.id, sections, expected_version=document.version, actor=team.me)
    decisions.prepare(document.id, actor=team.me)
    cases.close_case(case.id, reason="Partij is gestopt.", actor=team.me)
    assert document.status is DocumentStatus.LAPSED and "gestopt" in document.lapsed_reason
    with pytest.raises(ServiceError):
        decisions.approve_document(document.id, sha256=document.pdf_sha256, actor=team.other)
    with pytest.raises(ServiceError):
        procedure.issue_case_document(document.id, actor=team.other)
    assert db_session.query(Document).count() == 0
