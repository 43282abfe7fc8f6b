"""Cases: every allowed and refused status step, the instruments per party and provision, opening a case
(by hand, from an inspection's findings, from a suspect; once per party, also under a race), linked
evidence, choosing the instrument, closing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.enforcement.helpers import at_status, officers, registered_case, registrations, suspect_with_signals
from tests.supervision import helpers as sup
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.workflow import StateTransitionError
from wki.enforcement import cases, instruments
from wki.enforcement.models import (
    Case,
    CaseEvidence,
    CaseStatus,
    CaseStep,
    EvidenceLink,
    Instrument,
    Provision,
    StepKind,
    SubjectKind,
)
from wki.supervision.models import Judgement

ST = CaseStatus
ALLOWED = {
    (ST.INVESTIGATION, ST.INTENTION), (ST.INVESTIGATION, ST.DECIDING), (ST.INVESTIGATION, ST.CLOSED),
    (ST.INVESTIGATION, ST.DROPPED), (ST.INTENTION, ST.DECIDING), (ST.INTENTION, ST.DROPPED),
    (ST.DECIDING, ST.INVESTIGATION), (ST.DECIDING, ST.DECIDED), (ST.DECIDING, ST.DROPPED),
    (ST.DECIDED, ST.OBJECTION), (ST.DECIDED, ST.CLOSED), (ST.OBJECTION, ST.CLOSED),
}


class TestCaseFlow:
    @pytest.mark.parametrize("source", list(ST))
    @pytest.mark.parametrize("target", list(ST))
    def test_every_pair_is_allowed_or_refused(self, source, target):
        if (source, target) in ALLOWED:
            assert cases.CASE_FLOW.step(source, target).target is target
        else:
            with pytest.raises(StateTransitionError, match="Er is niets gewijzigd"):
                cases.CASE_FLOW.step(source, target)

    def test_a_refused_step_on_a_real_case_writes_nothing(self, factories, db_session):
        team = officers(factories)
        case = at_status(registered_case(team), ST.CLOSED, team)
        steps_before = db.session.scalar(sa.select(sa.func.count()).select_from(CaseStep))
        with pytest.raises(StateTransitionError, match="Vanuit deze status is geen stap meer mogelijk"):
            cases.move(case, ST.DECIDING, actor=team.me)
        assert case.status is ST.CLOSED
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseStep)) == steps_before

    def test_an_allowed_step_is_on_the_timeline_and_audited(self, factories, db_session):
        from wki.core.audit import AuditEvent

        team = officers(factories)
        case = registered_case(team)
        cases.move(case, ST.DECIDING, actor=team.me, reason="Klaar voor besluit.")
        step = cases.last_step(case, StepKind.STATUS)
        assert step is not None and step.data == {"van": "onderzoek", "naar": "besluitvorming",
                                                  "stap": "Naar besluitvorming"}
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "enforcement_case")
                                   .order_by(AuditEvent.id.desc())).first()
        assert event.after["status"] == "besluitvorming" and event.after["reden"] == "Klaar voor besluit."


# What each party may get, per provision: the instruments offered (the rest is absent with a reason).
OFFERED = {
    (SubjectKind.REGISTRATION, "wki_13", None): {"normoverdragend_gesprek", "waarschuwing", "last_onder_dwangsom",
                                                 "bestuurlijke_boete", "verzoek_doorhaling"},
    (SubjectKind.REGISTRATION, "wki_11", None): {"normoverdragend_gesprek", "waarschuwing", "last_onder_dwangsom",
                                                 "bestuurlijke_boete"},
    (SubjectKind.REGISTRATION, "wki_12", None): {"normoverdragend_gesprek", "waarschuwing", "last_onder_dwangsom",
                                                 "bestuurlijke_boete"},
    (SubjectKind.REGISTRATION, "awb_5_20", None): {"normoverdragend_gesprek", "waarschuwing",
                                                   "last_onder_dwangsom", "bestuurlijke_boete"},
    (SubjectKind.SUSPECT, "registratieplicht", None): {"normoverdragend_gesprek", "waarschuwing", "aangifte"},
    (SubjectKind.EXEMPT, "wki_13", "gerechtsdeurwaarder"): {"verwijzing_bft"},
    (SubjectKind.EXEMPT, "wki_13", "advocaat"): {"verwijzing_deken"},
}


class TestInstruments:
    @pytest.mark.parametrize(("subject", "provision", "beroep"), list(OFFERED))
    def test_offered_per_party_and_provision(self, subject, provision, beroep):
        options = instruments.options(subject, [provision], beroep)
        assert {o.instrument.value for o in options if o.available} == OFFERED[(subject, provision, beroep)]
        for option in options:
            assert option.reason and option.legal_basis  # every absence says why

    def test_no_fine_for_collecting_unregistered_and_why(self):
        fine = next(o for o in instruments.options(SubjectKind.SUSPECT, ["registratieplicht"])
                    if o.instrument is Instrument.FINE)
        assert not fine.available and "artikel 16 Wki noemt het registratieverbod niet" in fine.reason
        with pytest.raises(ServiceError, match="Bestuurlijke boete past niet bij deze zaak"):
            instruments.check_instrument(Instrument.FINE, SubjectKind.SUSPECT, ["registratieplicht"])

    def test_no_wki_instrument_against_an_exempt_party(self):
        options = instruments.options(SubjectKind.EXEMPT, ["wki_13"], "gerechtsdeurwaarder")
        for option in options:
            if option.instrument not in (Instrument.REFERRAL_BFT, Instrument.REFERRAL_DEAN):
                assert not option.available and "geen Wki-instrument" in option.reason

    @pytest.mark.parametrize(("subject", "provision"), [
        (SubjectKind.REGISTRATION, "registratieplicht"), (SubjectKind.SUSPECT, "wki_13"),
        (SubjectKind.EXEMPT, "registratieplicht"), (SubjectKind.EXEMPT, "wki_11")])
    def test_provisions_that_do_not_fit_the_party_are_refused(self, subject, provision):
        with pytest.raises(ServiceError, match="past niet bij een zaak"):
            instruments.check_provisions(subject, [provision])

    def test_no_provision_or_an_unknown_one_is_refused(self):
        with pytest.raises(ServiceError, match="ten minste één"):
            instruments.check_provisions(SubjectKind.REGISTRATION, [])
        with pytest.raises(ServiceError, match="Onbekende bepaling"):
            instruments.check_provisions(SubjectKind.REGISTRATION, ["wki_99"])

    def test_intention_needed_only_for_sanctions(self):
        needs = {o.instrument for o in instruments.options(SubjectKind.REGISTRATION, ["wki_13"]) if o.needs_intention}
        assert needs == {Instrument.PENALTY_ORDER, Instrument.FINE}


class TestOpening:
    def test_by_hand_gets_a_gapless_number_and_a_timeline(self, factories, db_session):
        team = officers(factories)
        one, two = registrations(1, 2)
        first = registered_case(team, nummer=one)
        second = registered_case(team, nummer=two)
        year = first.opened_on.year
        assert first.nummer == f"HZ-{year}-0001" and second.nummer == f"HZ-{year}-0002"
        assert first.status is ST.INVESTIGATION and first.naam
        assert [s.kind for s in cases.steps_of(first)] == [StepKind.OPENED]

    def test_a_second_open_case_about_the_same_party_is_refused_naming_the_first(self, factories, db_session):
        team = officers(factories)
        first = registered_case(team)
        with pytest.raises(ServiceError, match=f"loopt al zaak {first.nummer}"):
            cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=first.registratienummer,
                            provisions=["wki_12"], officer_id=team.officer.id, actor=team.me)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1

    def test_after_closing_a_new_case_may_be_opened(self, factories, db_session):
        team = officers(factories)
        first = registered_case(team)
        cases.close_case(first.id, reason="Geen overtreding.", actor=team.me)
        again = cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=first.registratienummer,
                                provisions=["wki_13"], officer_id=team.officer.id, actor=team.me)
        assert again.id != first.id and first.status is ST.DROPPED

    def test_unknown_parties_are_refused(self, factories, db_session):
        team = officers(factories)
        with pytest.raises(ServiceError, match="staat niet in de spiegel"):
            cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer="R9999-99999",
                            provisions=["wki_13"], officer_id=team.officer.id, actor=team.me)
        with pytest.raises(ServiceError, match="bestaat niet"):
            cases.open_case(subject=SubjectKind.SUSPECT, suspect_id=424242, provisions=["registratieplicht"],
                            officer_id=team.officer.id, actor=team.me)
        with pytest.raises(ServiceError, match="lijst van vrijgestelden"):
            cases.open_case(subject=SubjectKind.EXEMPT, exempt_party_key="nope", provisions=["wki_13"],
                            officer_id=team.officer.id, actor=team.me)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0

    def test_an_exempt_bailiff(self, factories, db_session):
        team = officers(factories)
        party = factories.ExemptPartyVersionFactory(naam="Deurwaarderskantoor Recht", beroep="gerechtsdeurwaarder")
        case = cases.open_case(subject=SubjectKind.EXEMPT, exempt_party_key=party.party_key, provisions=["wki_13"],
                               officer_id=team.officer.id, actor=team.me)
        assert case.beroep == "gerechtsdeurwaarder" and case.naam == "Deurwaarderskantoor Recht"
        assert [o.instrument for o in cases.instrument_options(case) if o.available] == [Instrument.REFERRAL_BFT]

    def test_from_a_suspect_links_its_signals_and_the_register(self, factories, db_session):
        team = officers(factories)
        suspect = suspect_with_signals(factories, 3)
        case = cases.open_from_suspect(suspect.id, officer_id=team.officer.id, actor=team.me)
        assert case.subject_kind is SubjectKind.SUSPECT and case.provisions == ["registratieplicht"]
        links = cases.evidence_of(case)
        assert sorted(link.kind.value for link in links) == ["register", "signaal", "signaal", "signaal"]
        register_link = next(link for link in links if link.kind is EvidenceLink.REGISTER)
        assert register_link.as_of == date(2026, 3, 2)
        with pytest.raises(ServiceError, match="loopt al zaak"):
            cases.open_from_suspect(suspect.id, officer_id=team.officer.id, actor=team.me)

    def test_a_merged_suspect_is_refused_pointing_to_its_successor(self, factories, db_session):
        team = officers(factories)
        successor = factories.SuspectFactory()
        gone = factories.SuspectFactory(status="opgeheven", successor_id=successor.id)
        with pytest.raises(ServiceError, match=f"overtreder {successor.id}"):
            cases.open_from_suspect(gone.id, officer_id=team.officer.id, actor=team.me)

    def test_from_an_inspection_links_the_failing_findings(self, factories, db_session):
        from wki.supervision import inspections

        inspectors = sup.team(factories)
        nummer = sup.registration(7)
        inspection = sup.start(inspectors, nummer)
        inspections.begin_inspection(inspection.id, actor=inspectors.me)
        sup.fill(inspectors, inspection, Judgement.FAILS)
        inspections.submit_for_review(inspection.id, version=inspection.version, actor=inspectors.me)
        sup.approved(inspectors, inspection)
        inspections.issue_report(inspection.id, actor=inspectors.colleague)
        team = officers(factories)
        case = cases.open_from_inspection(inspection.id, officer_id=team.officer.id, actor=team.me)
        assert case.registratienummer == nummer and case.inspection_id == inspection.id
        assert case.provisions == ["wki_13"] and set(case.requirement_codes) == set(sup.SMALL_SCOPE)
        findings = [link for link in cases.evidence_of(case) if link.kind is EvidenceLink.FINDING]
        assert {link.ref for link in findings} == {f"inspectie:{inspection.id}:{c}" for c in sup.SMALL_SCOPE}
        assert inspection.nummer in case.aanleiding and "Bevinding bij" in case.feiten

    def test_an_inspection_in_progress_or_without_failures_is_refused(self, factories, db_session):
        inspectors = sup.team(factories)
        team = officers(factories)
        eight, nine = registrations(8, 9)
        running = sup.in_status(inspectors, eight, sup.InspectionStatus.IN_PROGRESS)
        with pytest.raises(ServiceError, match="afgeronde inspectie"):
            cases.open_from_inspection(running.id, officer_id=team.officer.id, actor=team.me)
        clean = sup.in_status(inspectors, nine, sup.InspectionStatus.DONE)
        with pytest.raises(ServiceError, match="niets om te handhaven"):
            cases.open_from_inspection(clean.id, officer_id=team.officer.id, actor=team.me)


class TestEvidenceAndInstrument:
    def test_link_once_unlink_keeps_the_row(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team)
        signal = factories.SignalFactory()
        first = cases.link_evidence(case.id, kind=EvidenceLink.SIGNAL, signal_id=signal.id, actor=team.me)
        assert first is not None
        assert cases.link_evidence(case.id, kind=EvidenceLink.SIGNAL, signal_id=signal.id, actor=team.me) is None
        extract = cases.link_evidence(case.id, kind=EvidenceLink.REGISTER, as_of=date(2025, 6, 1), actor=team.me)
        assert extract is not None and "geldig" in extract.description and extract.as_of == date(2025, 6, 1)
        cases.unlink_evidence(case.id, first.id, actor=team.me)
        assert [e.kind for e in cases.evidence_of(case)] == [EvidenceLink.REGISTER]
        kept = db.session.get(CaseEvidence, first.id)
        assert kept.removed_by == team.me.label
        again = cases.link_evidence(case.id, kind=EvidenceLink.SIGNAL, signal_id=signal.id, actor=team.me)
        assert again is not None and again.id != first.id

    def test_links_to_nothing_are_refused(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team)
        with pytest.raises(ServiceError, match="Dit signaal bestaat niet"):
            cases.link_evidence(case.id, kind=EvidenceLink.SIGNAL, signal_id=999999, actor=team.me)
        with pytest.raises(ServiceError, match="geen document met kenmerk"):
            cases.link_evidence(case.id, kind=EvidenceLink.DOCUMENT, kenmerk="WKI-2026-999999", actor=team.me)
        with pytest.raises(ServiceError, match="in de toekomst"):
            cases.link_evidence(case.id, kind=EvidenceLink.REGISTER, as_of=date(2099, 1, 1), actor=team.me)

    def test_choosing_an_instrument_needs_a_reason_and_a_fit(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team)
        with pytest.raises(ServiceError, match="Aangifte bij het Openbaar Ministerie past niet"):
            cases.choose_instrument(case.id, Instrument.CRIMINAL_REPORT, reason="Waarom niet.", actor=team.me)
        with pytest.raises(ServiceError, match="motivering"):
            cases.choose_instrument(case.id, Instrument.FINE, reason="  ", actor=team.me)
        cases.choose_instrument(case.id, Instrument.FINE, reason="Ernstig en herhaald.", actor=team.me)
        assert case.instrument is Instrument.FINE
        step = cases.last_step(case, StepKind.INSTRUMENT)
        assert step.text == "Ernstig en herhaald." and "Artikel 16 Wki" in step.data["grondslag"]

    def test_provisions_change_only_while_investigating_and_must_fit_the_instrument(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team, provisions=("wki_13",))
        cases.choose_instrument(case.id, Instrument.STRIKE_REQUEST, reason="Ernstig.", actor=team.me)
        with pytest.raises(ServiceError, match="Verzoek aan Justis tot doorhaling past niet"):
            cases.update_case(case.id, expected_version=case.version, provisions=["wki_11"], actor=team.me)
        assert case.provisions == ["wki_13"]
        cases.update_case(case.id, expected_version=case.version, provisions=["wki_13", "awb_5_20"], actor=team.me)
        assert case.provisions == ["wki_13", "awb_5_20"]

    def test_a_save_based_on_an_old_version_is_refused(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team)
        old = case.version
        cases.update_case(case.id, expected_version=old, feiten="Nieuw.", actor=team.me)
        with pytest.raises(ServiceError, match="intussen"):
            cases.update_case(case.id, expected_version=old, feiten="Ouder.", actor=team.other)
        assert case.feiten == "Nieuw."

    def test_text_with_broken_unicode_is_refused_and_controls_go(self, factories, db_session):
        team = officers(factories)
        case = registered_case(team)
        with pytest.raises(ServiceError, match="geen geldige Unicode"):
            cases.add_note(case.id, text="kapot \ud800", actor=team.me)
        note = cases.add_note(case.id, text="regel\x00 een\nregel twee", actor=team.me)
        assert note.text == "regel een\nregel twee"


def test_provision_labels_are_dutch():
    assert all(p.label for p in Provision)
