"""Demo cases, so that every Handhaving page has something to show, made through the services as two
officers would: a penalty order after an inspection's findings (the intention sent, the view period running),
a warning to a suspected unregistered collector waiting for a colleague's approval, a fine whose 13 weeks run
from the report, and a referral of a bailiff to the BFT in preparation. Skipped when there are cases already,
or when the other demo data is missing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.enforcement import cases, decisions, procedure
from wki.enforcement.models import Case, DocumentKind, Instrument, PenaltyForm, SubjectKind
from wki.register import queries as register

FACTS = ("Bij de inspectie bleek dat de incassokosten in twee dossiers hoger waren dan het Besluit vergoeding voor "
         "buitengerechtelijke incassokosten toestaat, en dat de klachtenregeling geen afhandeltermijn noemt.")
SECTIONS = {
    "overtreding": "De incassodienstverlener heeft incassokosten in rekening gebracht die hoger zijn dan toegestaan.",
    "feiten": FACTS,
    "beoordeling": "Daarmee voldoet de incassodienstverlener niet aan de kwaliteitseisen over de incassokosten.",
    "keuze_instrument": "Een last onder dwangsom beëindigt de overtreding; een boete is nu niet evenredig.",
    "voorgenomen_maatregel": "Wij zijn van plan u te gelasten de incassokosten te herberekenen en het teveel "
                             "betaalde terug te betalen.",
    "herstel": "Wij verwachten dat u binnen vier weken de registratieplicht naleeft of het incasseren staakt.",
}


def _fill(document_id: int, *, actor: Actor, address: list[str] | None = None) -> None:
    document = decisions.get_document(document_id)
    sections = {s: SECTIONS.get(s, "Zie de feiten hierboven.") for s in decisions.editable_sections(document.kind)}
    decisions.save_sections(document.id, sections, expected_version=document.version, actor=actor,
                            operative={"adresregels": address} if address else None)


def seed_enforcement(*, officer: Actor, colleague: Actor) -> None:
    from wki.signals import queries as signals
    from wki.supervision import services as supervision

    if db.session.scalar(sa.select(sa.func.count()).select_from(Case)) or officer.user_id is None:
        return
    today = today_local()
    done = supervision.completed_inspections(limit=1)
    if done:
        order = cases.open_from_inspection(done[0].id, officer_id=officer.user_id, actor=officer)
    else:
        valid = register.registrations_as_of(today)
        if not valid:
            return
        order = cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=valid[0].registratienummer,
                                provisions=["wki_13"], officer_id=officer.user_id, actor=officer, feiten=FACTS)
    cases.choose_instrument(order.id, Instrument.PENALTY_ORDER, reason=SECTIONS["keuze_instrument"], actor=officer)
    procedure.set_penalty_terms(order.id, measures="Herbereken de incassokosten in alle lopende dossiers volgens het "
                                "BIK en betaal het teveel betaalde terug.", grace_period="4w",
                                form=PenaltyForm.PER_DAY, amount="500", ceiling="15000", actor=officer)
    intention = decisions.start_document(order.id, DocumentKind.INTENTION, actor=officer)
    _fill(intention.id, actor=officer)
    decisions.prepare(intention.id, actor=officer)
    decisions.approve_document(intention.id, sha256=intention.pdf_sha256 or "", actor=colleague)
    procedure.issue_case_document(intention.id, actor=officer)

    valid = register.registrations_as_of(today)
    others = [v.registratienummer for v in valid if v.registratienummer != order.registratienummer]
    if others:
        fine = cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=others[0], provisions=["awb_5_20"],
                               officer_id=officer.user_id, actor=officer,
                               aanleiding="Geen medewerking aan het informatieverzoek.",
                               feiten="De incassodienstverlener leverde de gevraagde stukken niet aan, ook niet na "
                                      "een herinnering.")
        cases.choose_instrument(fine.id, Instrument.FINE, reason="Zonder medewerking is toezicht niet mogelijk.",
                                actor=officer)
        procedure.record_caution(fine.id, day=today - timedelta(days=8), person="De directeur",
                                 text="Voor het gesprek op kantoor.", actor=officer)
        procedure.record_report(fine.id, day=today - timedelta(days=7), text="Rapport van de niet-medewerking.",
                                actor=officer)

    suspects = signals.active_suspect_ids(limit=1)
    if suspects:
        warning = cases.open_from_suspect(suspects[0], officer_id=officer.user_id, actor=officer)
        cases.choose_instrument(warning.id, Instrument.WARNING, reason="Eerste stap: wijzen op de registratieplicht.",
                                actor=officer)
        procedure.to_deciding(warning.id, actor=officer)
        letter = decisions.start_document(warning.id, DocumentKind.WARNING, actor=officer)
        # Signals rarely give an unregistered collector's postal address: the officer enters the one found.
        _fill(letter.id, actor=officer, address=["Postbus 4100", "3006 AC  ROTTERDAM"])
        decisions.prepare(letter.id, actor=officer)  # waits for the colleague's approval

    exempt = register.exempt_parties_as_of(today)
    bailiff = next((p for p in exempt if p.beroep == "gerechtsdeurwaarder"), None)
    if bailiff is not None:
        referral = cases.open_case(subject=SubjectKind.EXEMPT, exempt_party_key=bailiff.party_key, provisions=["wki_13"],
                                   officer_id=officer.user_id, actor=officer,
                                   aanleiding="Signalen over incassokosten boven het BIK-maximum.")
        cases.choose_instrument(referral.id, Instrument.REFERRAL_BFT, reason="Het BFT houdt toezicht op "
                                "gerechtsdeurwaarders.", actor=officer)
