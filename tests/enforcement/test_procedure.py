"""The procedure after opening: the view on an intention (and its absence, only after the period), the
caution and the report of a fine (the 13 weeks from the report), a penalty order's terms, the check after the
grace period and what is forfeited, objections on time or late, shifting a period with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.enforcement.helpers import at_status, intention_sent, officers, on_day, registered_case
from tests.supervision.helpers import MINIMAL_PDF
from wki.core.errors import ServiceError
from wki.enforcement import cases, procedure, timelimits
from wki.enforcement.models import (
    CaseStatus,
    CheckResult,
    DeadlineKind,
    DeadlineStatus,
    Instrument,
    PenaltyForm,
    PenaltyOrder,
    StepKind,
)

ST = CaseStatus


def _penalty_case(team, monkeypatch, *, form=PenaltyForm.PER_DAY, amount="500", ceiling="10000"):
    on_day(monkeypatch, date(2026, 3, 2))
    case = registered_case(team)
    cases.choose_instrument(case.id, Instrument.PENALTY_ORDER, reason="Herstel nodig.", actor=team.me)
    procedure.set_penalty_terms(case.id, measures="Stel een klachtenregeling vast.", grace_period="4w", form=form,
                                amount=amount, ceiling=ceiling, actor=team.me)
    return case


def _decided(case, team, *, sent: date):
    """The penalty order decision dispatched on ``sent`` (its effects, as issue_case_document applies them)."""
    at_status(case, ST.DECIDED, team)
    grace = timelimits.start(case, DeadlineKind.GRACE, event_date=sent, period="4w", actor=team.me)
    case.penalty_order.grace_end = grace.end_date
    return case


class TestView:
    def test_a_view_moves_the_case_to_deciding_and_ends_the_period(self, factories, db_session, monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 10))
        case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))
        period = timelimits.running_of_kind(case, DeadlineKind.VIEW)
        assert period.end_date == date(2026, 3, 17)
        step = procedure.record_view(case.id, received_on=date(2026, 3, 9), form="schriftelijk",
                                     summary="Wij hebben inmiddels een regeling.", actor=team.me,
                                     files=[("zienswijze.pdf", MINIMAL_PDF)])
        assert case.status is ST.DECIDING and period.status is DeadlineStatus.MET
        assert step.data["te_laat"] is False and step.attachments[0].content_type == "application/pdf"
        attachment, data = procedure.attachment_bytes(case.id, step.attachments[0].id, actor=team.other)
        assert data == MINIMAL_PDF

    def test_a_late_view_is_recorded_as_late(self, factories, db_session, monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 20))
        case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))
        step = procedure.record_view(case.id, received_on=date(2026, 3, 18), form="mondeling",
                                     summary="Telefonisch toegelicht.", actor=team.me)
        assert step.data["te_laat"] is True

    def test_bad_views_are_refused_and_change_nothing(self, factories, db_session, monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 10))
        case = registered_case(team)
        with pytest.raises(ServiceError, match="verzonden voornemen"):
            procedure.record_view(case.id, received_on=date(2026, 3, 9), form="schriftelijk", summary="x",
                                  actor=team.me)
        intention_sent(case, team, sent=date(2026, 3, 3))
        with pytest.raises(ServiceError, match="schriftelijk of mondeling"):
            procedure.record_view(case.id, received_on=date(2026, 3, 9), form="per duif", summary="x", actor=team.me)
        with pytest.raises(ServiceError, match="in de toekomst"):
            procedure.record_view(case.id, received_on=date(2026, 3, 11), form="schriftelijk", summary="x",
                                  actor=team.me)
        with pytest.raises(ServiceError, match="Dit soort bestand"):
            procedure.record_view(case.id, received_on=date(2026, 3, 9), form="schriftelijk", summary="x",
                                  actor=team.me, files=[("virus.exe", b"MZ\x90\x00\x00")])
        assert case.status is ST.INTENTION and not cases.has_step(case, StepKind.VIEW)

    def test_no_view_only_after_the_period(self, factories, db_session, monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 17))
        case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))
        with pytest.raises(ServiceError, match="loopt nog tot en met 17 maart 2026"):
            procedure.record_no_view(case.id, actor=team.me)
        on_day(monkeypatch, date(2026, 3, 18))
        procedure.record_no_view(case.id, actor=team.me)
        assert case.status is ST.DECIDING and cases.has_step(case, StepKind.NO_VIEW)


class TestFineProcedure:
    def test_the_report_starts_thirteen_weeks_and_a_holiday_moves_the_end(self, factories, db_session,
                                                                           monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 2, 10))
        case = registered_case(team)
        with pytest.raises(ServiceError, match="bestuurlijke boete"):
            procedure.record_report(case.id, day=date(2026, 2, 3), text="Rapport.", actor=team.me)
        cases.choose_instrument(case.id, Instrument.FINE, reason="Ernstig.", actor=team.me)
        procedure.record_caution(case.id, day=date(2026, 2, 2), person="De directeur, J. Jansen",
                                 text="Voor het verhoor.", actor=team.me)
        procedure.record_report(case.id, day=date(2026, 2, 3), text="Rapport van bevindingen.", actor=team.me)
        period = timelimits.running_of_kind(case, DeadlineKind.FINE_DECISION)
        # 3 February + 13 weeks = Tuesday 5 May 2026, a general holiday: the next day.
        assert period.end_date == date(2026, 5, 6)
        explanation = " ".join(timelimits.explain(period))
        assert "5 mei 2026" in explanation and "6 mei 2026" in explanation
        caution = cases.last_step(case, StepKind.CAUTION)
        assert caution.data["aan"] == "De directeur, J. Jansen" and caution.day == date(2026, 2, 2)

    def test_an_intention_for_a_fine_needs_the_report_first(self, factories, db_session, monkeypatch):
        from wki.enforcement.models import DocumentKind

        team = officers(factories)
        on_day(monkeypatch, date(2026, 2, 10))
        case = registered_case(team)
        cases.choose_instrument(case.id, Instrument.FINE, reason="Ernstig.", actor=team.me)
        assert "rapport" in procedure.document_kind_allowed(case, DocumentKind.INTENTION)
        procedure.record_report(case.id, day=date(2026, 2, 3), text="Rapport.", actor=team.me)
        assert procedure.document_kind_allowed(case, DocumentKind.INTENTION) is None
        assert "na het voornemen" in procedure.document_kind_allowed(case, DocumentKind.FINE)


class TestToDeciding:
    def test_only_for_instruments_without_an_intention(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team)
        with pytest.raises(ServiceError, match="Kies eerst het instrument"):
            procedure.to_deciding(case.id, actor=team.me)
        cases.choose_instrument(case.id, Instrument.PENALTY_ORDER, reason="Herstel.", actor=team.me)
        with pytest.raises(ServiceError, match="artikel 4:8 Awb"):
            procedure.to_deciding(case.id, actor=team.me)
        cases.choose_instrument(case.id, Instrument.WARNING, reason="Eerste keer.", actor=team.me)
        procedure.to_deciding(case.id, actor=team.me)
        assert case.status is ST.DECIDING

    def test_a_conversation_closes_the_case_after_it_is_recorded(self, factories, db_session, monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 10))
        case = registered_case(team)
        cases.choose_instrument(case.id, Instrument.CONVERSATION, reason="Kleine overtreding.", actor=team.me)
        with pytest.raises(ServiceError, match="normoverdragend gesprek"):
            procedure.to_deciding(case.id, actor=team.me)
        procedure.record_conversation(case.id, day=date(2026, 3, 9), summary="Norm uitgelegd.", actor=team.me)
        cases.close_case(case.id, reason="Gesprek gevoerd; toezegging herstel.", actor=team.me)
        assert case.status is ST.CLOSED


class TestPenaltyOrder:
    def test_terms_are_checked(self, factories, db_session, monkeypatch):
        team = officers(factories)
        case = _penalty_case(team, monkeypatch)
        order = case.penalty_order
        assert (order.amount, order.ceiling, order.grace_period) == (Decimal("500.00"), Decimal("10000.00"), "4w")
        for kwargs, message in (
            ({"amount": "0"}, "groter dan nul"), ({"amount": "abc"}, "geen bedrag"),
            ({"amount": "1,005"}, "twee decimalen"), ({"ceiling": "100"}, "lager dan de dwangsom"),
            ({"grace_period": "soon"}, "dagen, weken of maanden"),
            ({"form": PenaltyForm.LUMP_SUM, "ceiling": "20000"}, "ineens"),
        ):
            args = {"measures": "X.", "grace_period": "4w", "form": PenaltyForm.PER_DAY, "amount": "500",
                    "ceiling": "10000", **kwargs}
            with pytest.raises(ServiceError, match=message):
                procedure.set_penalty_terms(case.id, actor=team.me, **args)
        assert order.amount == Decimal("500.00") and order.measures == "Stel een klachtenregeling vast."
        procedure.set_penalty_terms(case.id, measures="Y.", grace_period="6w", form="per_dag", amount="1.250,50",
                                    ceiling="€ 25.000", actor=team.me)
        assert order.amount == Decimal("1250.50") and order.ceiling == Decimal("25000.00")

    @pytest.mark.parametrize(("form", "amount", "ceiling", "result", "checked", "complied", "breaches", "expected"), [
        # grace period ends Monday 13 April 2026 (16 March + 4 weeks)
        (PenaltyForm.PER_DAY, "500", "10000", CheckResult.NOT_COMPLIED, date(2026, 4, 20), None, None, "3500.00"),
        (PenaltyForm.PER_DAY, "500", "10000", CheckResult.COMPLIED, date(2026, 4, 20), date(2026, 4, 15), None,
         "1000.00"),
        (PenaltyForm.PER_DAY, "500", "10000", CheckResult.COMPLIED, date(2026, 4, 20), date(2026, 4, 13), None,
         "0.00"),
        (PenaltyForm.PER_DAY, "500", "10000", CheckResult.NOT_COMPLIED, date(2026, 6, 20), None, None, "10000.00"),
        (PenaltyForm.PER_BREACH, "2500", "10000", CheckResult.NOT_COMPLIED, date(2026, 4, 20), None, 3, "7500.00"),
        (PenaltyForm.PER_BREACH, "2500", "5000", CheckResult.NOT_COMPLIED, date(2026, 4, 20), None, 3, "5000.00"),
        (PenaltyForm.LUMP_SUM, "5000", "5000", CheckResult.NOT_COMPLIED, date(2026, 4, 14), None, None, "5000.00"),
    ])
    def test_forfeiture_worked_cases(self, factories, db_session, monkeypatch, form, amount, ceiling, result,
                                     checked, complied, breaches, expected):
        team = officers(factories)
        case = _penalty_case(team, monkeypatch, form=form, amount=amount, ceiling=ceiling)
        _decided(case, team, sent=date(2026, 3, 16))
        assert case.penalty_order.grace_end == date(2026, 4, 13)
        on_day(monkeypatch, checked)
        order = procedure.record_check(case.id, checked_on=checked, result=result, note="Gecontroleerd.",
                                       complied_on=complied, breaches=breaches, actor=team.me)
        assert order.forfeiture["bedrag"] == expected
        assert (order.forfeited or Decimal("0.00")) == Decimal(expected)
        assert cases.has_step(case, StepKind.FORFEITED) is (Decimal(expected) > 0)
        assert timelimits.running_of_kind(case, DeadlineKind.GRACE) is None
        if Decimal(expected) >= Decimal(ceiling) and form is not PenaltyForm.LUMP_SUM:
            assert any("maximum" in line for line in order.forfeiture["stappen"])

    def test_the_check_comes_after_the_grace_period_and_once(self, factories, db_session, monkeypatch):
        team = officers(factories)
        case = _penalty_case(team, monkeypatch)
        _decided(case, team, sent=date(2026, 3, 16))
        on_day(monkeypatch, date(2026, 4, 20))
        with pytest.raises(ServiceError, match="loopt tot en met"):
            procedure.record_check(case.id, checked_on=date(2026, 4, 13), result="niet_nageleefd", note="x",
                                   actor=team.me)
        with pytest.raises(ServiceError, match="alleen bij ‘aan de last voldaan’"):
            procedure.record_check(case.id, checked_on=date(2026, 4, 20), result="niet_nageleefd", note="x",
                                   complied_on=date(2026, 4, 15), actor=team.me)
        procedure.record_check(case.id, checked_on=date(2026, 4, 20), result="niet_nageleefd", note="x",
                               actor=team.me)
        with pytest.raises(ServiceError, match="al vastgelegd"):
            procedure.record_check(case.id, checked_on=date(2026, 4, 20), result="nageleefd", note="x",
                                   actor=team.me)

    def test_forfeiture_is_a_pure_calculation(self):
        order = PenaltyOrder(form=PenaltyForm.PER_DAY, amount=Decimal("100.00"), ceiling=Decimal("1000.00"),
                             grace_end=date(2026, 1, 31))
        amount, steps = procedure.forfeiture(order, checked_on=date(2026, 2, 3), result=CheckResult.NOT_COMPLIED,
                                             complied_on=None, breaches=None)
        assert amount == Decimal("300.00") and "3 dagen zonder naleving" in " ".join(steps)


class TestObjection:
    """A decision sent on Monday 16 March 2026: six weeks end on Monday 27 April 2026, King's Day, so the
    objection period runs through Tuesday 28 April 2026."""

    def _decision(self, factories, monkeypatch):
        from wki.enforcement.models import CaseDocument, DocumentKind, DocumentStatus

        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 16))
        case = _penalty_case(team, monkeypatch)
        on_day(monkeypatch, date(2026, 3, 16))
        at_status(case, ST.DECIDED, team)
        document = CaseDocument(case_id=case.id, kind=DocumentKind.PENALTY_ORDER, status=DocumentStatus.ISSUED,
                                letter_type_slug="last-onder-dwangsom", kenmerk="WKI-2026-000777",
                                dispatched_on=date(2026, 3, 16), created_by=team.me.label)
        from wki.core.extensions import db

        db.session.add(document)
        db.session.flush()
        timelimits.start(case, DeadlineKind.OBJECTION, event_date=date(2026, 3, 16), period="6w", actor=team.me,
                         document=document)
        return team, case, document

    def test_the_period_passes_kings_day(self, factories, db_session, monkeypatch):
        _, case, _ = self._decision(factories, monkeypatch)
        assert timelimits.running_of_kind(case, DeadlineKind.OBJECTION).end_date == date(2026, 4, 28)

    @pytest.mark.parametrize(("received", "posted", "on_time"), [
        (date(2026, 4, 28), None, True),
        (date(2026, 4, 29), None, False),
        (date(2026, 5, 4), date(2026, 4, 28), True),  # posted in time, received within a week (Awb 6:9 lid 2)
        (date(2026, 5, 6), date(2026, 4, 28), False),  # more than a week after the end
        (date(2026, 5, 4), date(2026, 4, 29), False),  # posted too late
    ])
    def test_on_time_or_late(self, factories, db_session, monkeypatch, received, posted, on_time):
        team, case, document = self._decision(factories, monkeypatch)
        on_day(monkeypatch, date(2026, 5, 10))
        procedure.record_objection(case.id, document_id=document.id, received_on=received, posted_on=posted,
                                   actor=team.me)
        assert document.objection_on_time is on_time
        assert case.status is ST.OBJECTION
        step = cases.last_step(case, StepKind.OBJECTION)
        assert ("te laat" in step.text) is (not on_time)
        assert timelimits.last_of_kind(case, DeadlineKind.OBJECTION).status is DeadlineStatus.MET

    def test_one_objection_per_decision_and_not_before_dispatch(self, factories, db_session, monkeypatch):
        team, case, document = self._decision(factories, monkeypatch)
        on_day(monkeypatch, date(2026, 5, 10))
        with pytest.raises(ServiceError, match="ligt vóór"):
            procedure.record_objection(case.id, document_id=document.id, received_on=date(2026, 3, 1), actor=team.me)
        procedure.record_objection(case.id, document_id=document.id, received_on=date(2026, 4, 1), actor=team.me)
        with pytest.raises(ServiceError, match="al bezwaar ontvangen"):
            procedure.record_objection(case.id, document_id=document.id, received_on=date(2026, 4, 2), actor=team.me)


class TestShift:
    def test_suspension_and_extension_with_reasons(self, factories, db_session, monkeypatch):
        team = officers(factories)
        on_day(monkeypatch, date(2026, 3, 10))
        case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))
        period = timelimits.running_of_kind(case, DeadlineKind.VIEW)
        timelimits.shift(period.id, kind="opschorting", days=10, reason="Stukken opgevraagd.", actor=team.me)
        assert period.end_date == date(2026, 3, 27)
        timelimits.shift(period.id, kind="verlenging", period="1w", reason="Verzoek van de partij.", actor=team.me)
        # 27 March + 1 week = Good Friday 3 April; then the weekend and Easter Monday: Tuesday 7 April.
        assert period.end_date == date(2026, 4, 7)
        explanation = " ".join(timelimits.explain(period))
        assert "Stukken opgevraagd" in explanation and "Verzoek van de partij" in explanation
        for kwargs, message in (({"kind": "opschorting", "days": 0}, "1 tot en met 365"),
                                ({"kind": "verlenging", "period": "x"}, "dagen, weken of maanden"),
                                ({"kind": "pauze"}, "opschorting of verlenging"),
                                ({"kind": "opschorting", "days": 3, "reason": " "}, "reden")):
            args = {"reason": "Reden.", **kwargs}
            with pytest.raises(ServiceError, match=message):
                timelimits.shift(period.id, actor=team.me, **args)
