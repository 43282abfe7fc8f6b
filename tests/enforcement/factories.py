"""Enforcement cases for tests, made directly as rows (the case services come with the procedure): a case
about a registration in the register mirror, a suspect known to signals (with an e-mail address) or an
exempt bailiff; officers; a penalty order's terms, fine inputs, a view on the timeline.

Documents are made through the services of ``wki.enforcement.decisions``."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from markupsafe import escape

from tests.register.helpers import load, register_row
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.documents import services as documents
from wki.enforcement import decisions
from wki.enforcement.models import (
    Case,
    CaseDocument,
    CaseEvidence,
    CaseStep,
    DocumentKind,
    EvidenceLink,
    Instrument,
    PenaltyForm,
    PenaltyOrder,
    Provision,
    StepKind,
    SubjectKind,
)

_numbers = itertools.count(1)
OPENED = date(2026, 1, 12)

# Every officer's section, with a word a test can find back in the PDF.
SECTIONS: dict[str, str] = {
    "overtreding": "De incassodienstverlener heeft medewerkers zonder geldige VOG laten incasseren.",
    "feiten": "Bij de inspectie op 2 juni 2025 bleek dat twee van de vijf medewerkers geen VOG hadden.\n\n"
              "Dat bleek uit de personeelslijst.",
    "beoordeling": "Daarmee voldoet de incassodienstverlener niet aan de kwaliteitseis over betrouwbaar personeel.",
    "zienswijze": "De zienswijze geeft geen aanleiding het besluit te wijzigen: de VOG's ontbraken op de peildatum.",
    "keuze_instrument": "Een waarschuwing heeft eerder niet geholpen; het middel is evenredig aan de ernst.",
    "herstel": "Wij verwachten dat u binnen vier weken voor iedere medewerker een geldige VOG heeft.",
}

def _fine_calculation() -> dict[str, Any]:
    """A calculation as the fines module keeps it (its own data shape), for a fine of € 2.000."""
    from decimal import Decimal

    from wki.enforcement.fines import FineCalculation, FineStep

    steps = (FineStep("basis", "Basisbedrag", Decimal("2000"), "Basisbedrag voor deze overtreding."),
             FineStep("recidive", "Recidive", Decimal("2000"), "Geen eerdere overtreding: geen verhoging."),
             FineStep("maximum", "Wettelijk maximum", Decimal("2000"), "Onder het maximum van de derde categorie."))
    return FineCalculation(on=date(2026, 3, 1), provision="wki_13", provision_label="Kwaliteitseisen (art. 13 Wki)",
                           legal_person=True, category=3, normal_category=3, maximum=Decimal("11200"),
                           maximum_basis="Artikel 16 lid 3 Wki: de derde categorie", higher_category_reason=None,
                           steps=steps, amount=Decimal("2000"), confirmed=True).as_data()


FINE_INPUTS: dict[str, Any] = {
    "invoer": {"overtreding": "VOG_MEDEWERKER", "recidive": False},
    "berekening": _fine_calculation(),
    "bedrag": "2000.00", "categorie": 3, "maximum": "11200.00",
}


def officer(factories: Any, **kwargs: Any) -> User:
    user: User = factories.UserFactory(roles=[Role.HANDHAVER], **kwargs)
    return user


@dataclass
class Team:
    """The officer who writes the document and a colleague who approves it."""

    author: User
    colleague_user: User

    @property
    def me(self) -> Actor:
        return Actor.of(self.author)

    @property
    def colleague(self) -> Actor:
        return Actor.of(self.colleague_user)


def team(factories: Any) -> Team:
    return Team(officer(factories), officer(factories))


def _case(officer_user: User, **values: Any) -> Case:
    number = next(_numbers)
    case = Case(nummer=f"HZ-2026-{number:04d}", officer_id=officer_user.id, opened_on=OPENED,
                created_by=officer_user.email, **values)
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseStep(case_id=case.id, kind=StepKind.OPENED, day=OPENED, text="Zaak geopend",
                            created_by=officer_user.email, created_by_id=officer_user.id))
    db.session.flush()
    return case


def _register(n: int) -> str:
    """Put registration ``n`` in the register mirror beside those of the test's earlier cases (a snapshot
    lists the whole register: each new one of the test's own day holds them all)."""
    earlier = [int(number.rsplit("-", 1)[1]) for number in db.session.scalars(
        sa.select(Case.registratienummer).where(Case.subject_kind == SubjectKind.REGISTRATION)) if number]
    day = date(2025, 1, 5) + timedelta(days=len(earlier))
    load([register_row(i) for i in sorted({*earlier, n})], day)
    return str(register_row(n)["registratienummer"])


def registration_case(officer_user: User, *, instrument: Instrument = Instrument.PENALTY_ORDER, n: int | None = None,
                      provisions: tuple[Provision, ...] = (Provision.WKI_13,), **values: Any) -> Case:
    """A case about a registered agency (in the register mirror); a finding linked as evidence."""
    n = n if n is not None else 100 + next(_numbers)
    number = _register(n)
    case = _case(officer_user, subject_kind=SubjectKind.REGISTRATION, registratienummer=number,
                 naam=values.pop("naam", f"Incassobureau {n} B.V."), kvk_nummer=f"{10000000 + n:08d}",
                 provisions=[p.value for p in provisions], requirement_codes=["VOG_MEDEWERKER"],
                 instrument=instrument, aanleiding="Inspectie van 2 juni 2025.",
                 feiten=values.pop("feiten", "Twee medewerkers hadden geen VOG."), **values)
    db.session.add(CaseEvidence(case_id=case.id, kind=EvidenceLink.FINDING, ref="inspectie:1:VOG_MEDEWERKER",
                                description="VOG ontbreekt bij twee medewerkers (inspectie 2 juni 2025)",
                                created_by=officer_user.email))
    db.session.flush()
    return case


def suspect_case(factories: Any, officer_user: User, *, instrument: Instrument = Instrument.WARNING,
                 email: str | None = "info@inningsbureau.example") -> Case:
    """A case about a suspected unregistered collector with one signal (its e-mail address, if any)."""
    suspect = factories.SuspectFactory(display_name="Inningsbureau Snel", identifiers={"kvk": ["87654321"]},
                                       signal_count=1)
    factories.SignalFactory(suspect_id=suspect.id, email_raw=email, plaats="Utrecht")
    return _case(officer_user, subject_kind=SubjectKind.SUSPECT, suspect_id=suspect.id, naam="Inningsbureau Snel",
                 kvk_nummer="87654321", provisions=[Provision.REGISTRATION_DUTY.value], instrument=instrument,
                 feiten="Drie consumenten meldden aanmaningen van Inningsbureau Snel.")


def exempt_case(officer_user: User, *, beroep: str = "gerechtsdeurwaarder") -> Case:
    instrument = Instrument.REFERRAL_BFT if beroep == "gerechtsdeurwaarder" else Instrument.REFERRAL_DEAN
    return _case(officer_user, subject_kind=SubjectKind.EXEMPT, exempt_party_key=f"{beroep}:de vries:utrecht",
                 beroep=beroep, naam="Deurwaarderskantoor De Vries", provisions=[Provision.WKI_13.value],
                 instrument=instrument, feiten="Signalen over te hoge incassokosten.")


def penalty_order(case: Case, **values: Any) -> PenaltyOrder:
    terms: dict[str, Any] = {"measures": "Zorg dat iedere incassomedewerker een geldige VOG heeft.",
                             "grace_period": "4w", "form": PenaltyForm.PER_DAY, "amount": Decimal("500.00"),
                             "ceiling": Decimal("10000.00")}
    terms.update(values)
    order = PenaltyOrder(case_id=case.id, **terms)
    db.session.add(order)
    db.session.flush()
    db.session.refresh(case)
    return order


def forfeited(case: Case) -> PenaltyOrder:
    order = case.penalty_order or penalty_order(case)
    order.forfeited = Decimal("3500.00")
    order.forfeiture = {"stappen": [{"omschrijving": "Dagen na de begunstigingstermijn", "waarde": "7"},
                                    {"omschrijving": "Verbeurd (7 × € 500,00)", "bedrag": "3500.00"}]}
    db.session.flush()
    return order


def view(case: Case, officer_user: User, *, given: bool = True) -> CaseStep:
    """The view on the intention on the timeline: given (written, with a summary) or not given."""
    step = CaseStep(case_id=case.id, kind=StepKind.VIEW if given else StepKind.NO_VIEW, day=OPENED + timedelta(days=20),
                    text="De VOG's zijn inmiddels aangevraagd." if given else "",
                    data={"vorm": "schriftelijk"} if given else {}, created_by=officer_user.email,
                    created_by_id=officer_user.id)
    db.session.add(step)
    db.session.flush()
    db.session.refresh(case)
    return step


def stand_in_fine_block() -> None:
    """The fines helper registers ``boeteberekening``; until it is there, a stand-in that prints the steps."""
    if documents.has_block(decisions.FINE_CALCULATION_BLOCK):
        return

    def render(value: Any) -> str:
        rows = "".join(f"<tr><td>{escape(s['omschrijving'])}</td><td>{escape(s['bedrag'])}</td></tr>"
                       for s in (value or {}).get("stappen", []))
        return f"<table class=\"blok\"><tbody>{rows}</tbody></table>"

    documents.register_block(decisions.FINE_CALCULATION_BLOCK, "Berekening van de boete", render)


def ready_case(factories: Any, officer_user: User, kind: DocumentKind) -> Case:
    """A case with everything a document of ``kind`` needs from the case itself."""
    if kind is DocumentKind.CRIMINAL_REPORT:
        return suspect_case(factories, officer_user, instrument=Instrument.CRIMINAL_REPORT)
    if kind is DocumentKind.REFERRAL:
        return exempt_case(officer_user)
    instrument = {DocumentKind.INTENTION: Instrument.PENALTY_ORDER, DocumentKind.PENALTY_ORDER: Instrument.PENALTY_ORDER,
                  DocumentKind.COLLECTION: Instrument.PENALTY_ORDER, DocumentKind.FINE: Instrument.FINE,
                  DocumentKind.WARNING: Instrument.WARNING,
                  DocumentKind.STRIKE_REQUEST: Instrument.STRIKE_REQUEST}[kind]
    case = registration_case(officer_user, instrument=instrument)
    if instrument is Instrument.PENALTY_ORDER:
        penalty_order(case)
    if kind is DocumentKind.COLLECTION:
        forfeited(case)
    if instrument is Instrument.FINE:
        stand_in_fine_block()
        case.fine_inputs = FINE_INPUTS
        db.session.flush()
    if kind in (DocumentKind.PENALTY_ORDER, DocumentKind.FINE):
        view(case, officer_user)
    return case


def filled(document: CaseDocument, actor: Actor) -> CaseDocument:
    """Every section the officer writes for this kind, and the view's deadline for an intention."""
    sections = {s: SECTIONS[s] for s in decisions.editable_sections(document.kind) if s in SECTIONS}
    operative = ({"zienswijze_voor": (today_local() + timedelta(days=14)).isoformat()}
                 if document.kind is DocumentKind.INTENTION else None)
    return decisions.save_sections(document.id, sections, expected_version=document.version, actor=actor,
                                   operative=operative)


def prepared(factories: Any, t: Team, kind: DocumentKind = DocumentKind.PENALTY_ORDER) -> CaseDocument:
    case = ready_case(factories, t.author, kind)
    document = decisions.start_document(case.id, kind, actor=t.me)
    filled(document, t.me)
    return decisions.prepare(document.id, actor=t.me)
