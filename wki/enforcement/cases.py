"""Cases: open one about a registration, a suspect or an exempt party (by hand, from an inspection's
findings, from a suspect's page), link evidence, choose the instrument, record what happens, and move the
status only along ``CASE_FLOW`` (core workflow: declared steps, one audited transition).

The rules live here, not in the pages:
- one open case per party (a partial unique index per kind of party: a double click or two officers at
  once make one case; the second is told which case is open);
- the provisions must fit the party and the instrument must fit both (``instruments.py``), else refused
  with the reason;
- evidence is linked, never copied: a finding of an inspection, a signal, the register as it stood on a
  date, an issued document; unlinking keeps the link with who removed it;
- every change is audited and adds to the case's timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.sequences import next_value
from wki.core.service import service
from wki.core.text import clean_text
from wki.core.workflow import Step, Workflow, check_version, flush_versioned
from wki.enforcement import decisions, instruments, timelimits
from wki.enforcement.audit_actions import EnforcementAction
from wki.enforcement.models import (
    Case,
    CaseEvidence,
    CaseStatus,
    CaseStep,
    DocumentStatus,
    EvidenceLink,
    Instrument,
    Provision,
    StepKind,
    SubjectKind,
)
from wki.register import queries as register
from wki.signals import queries as signals

ST = CaseStatus
OBJECT_TYPE = "enforcement_case"
CASE_SEQUENCE = "handhavingszaak"
CASE_PREFIX = "HZ"
TEXT_MAX = 20_000
SHORT_MAX = 2_000
SIGNALS_LINKED_MAX = 200  # a suspect's signals linked when a case is opened from its page (the newest)

CASE_FLOW: Workflow[CaseStatus] = Workflow(what="de zaak", object_type=OBJECT_TYPE,
                                           action=EnforcementAction.CASE_STATUS, steps=(
    Step(ST.INVESTIGATION, ST.INTENTION, "Voornemen uitgeven"),
    Step(ST.INVESTIGATION, ST.DECIDING, "Naar besluitvorming"),
    Step(ST.INVESTIGATION, ST.CLOSED, "Afronden na het gesprek"),
    Step(ST.INVESTIGATION, ST.DROPPED, "Sluiten zonder besluit"),
    Step(ST.INTENTION, ST.DECIDING, "Zienswijze verwerken"),
    Step(ST.INTENTION, ST.DROPPED, "Sluiten zonder besluit"),
    Step(ST.DECIDING, ST.INVESTIGATION, "Terug naar onderzoek"),
    Step(ST.DECIDING, ST.DECIDED, "Besluit uitgeven"),
    Step(ST.DECIDING, ST.DROPPED, "Sluiten zonder besluit"),
    Step(ST.DECIDED, ST.OBJECTION, "Bezwaar ontvangen"),
    Step(ST.DECIDED, ST.CLOSED, "Zaak afronden"),
    Step(ST.OBJECTION, ST.CLOSED, "Zaak afronden"),
))


# --- reading --------------------------------------------------------------------------------------------

def get_case(case_id: int | None) -> Case:
    case = db.session.get(Case, case_id) if case_id is not None else None
    if case is None:
        raise NotFoundError("Deze zaak bestaat niet.")
    return case


def open_case_of(*, registratienummer: str | None = None, suspect_id: int | None = None,
                 exempt_party_key: str | None = None) -> Case | None:
    """The party's open case, if any."""
    stmt = sa.select(Case).where(Case.status.in_([s.value for s in (ST.INVESTIGATION, ST.INTENTION, ST.DECIDING,
                                                                       ST.DECIDED, ST.OBJECTION)]))
    if registratienummer is not None:
        stmt = stmt.where(Case.registratienummer == registratienummer)
    elif suspect_id is not None:
        stmt = stmt.where(Case.suspect_id == suspect_id)
    elif exempt_party_key is not None:
        stmt = stmt.where(Case.exempt_party_key == exempt_party_key)
    else:
        return None
    return db.session.scalar(stmt.limit(1))


def evidence_of(case: Case, *, include_removed: bool = False) -> list[CaseEvidence]:
    stmt = sa.select(CaseEvidence).where(CaseEvidence.case_id == case.id)
    if not include_removed:
        stmt = stmt.where(CaseEvidence.removed_at.is_(None))
    return list(db.session.scalars(stmt.order_by(CaseEvidence.kind, CaseEvidence.id)))


def steps_of(case: Case) -> list[CaseStep]:
    """The case's steps in order, their attachments loaded with them (one query more, not one per step)."""
    return list(db.session.scalars(sa.select(CaseStep).where(CaseStep.case_id == case.id)
                                   .options(selectinload(CaseStep.attachments))
                                   .order_by(CaseStep.day, CaseStep.id)))


def has_step(case: Case, kind: StepKind) -> bool:
    found = db.session.scalar(sa.select(CaseStep.id).where(CaseStep.case_id == case.id, CaseStep.kind == kind)
                              .limit(1))
    return found is not None


def last_step(case: Case, kind: StepKind) -> CaseStep | None:
    return db.session.scalar(sa.select(CaseStep).where(CaseStep.case_id == case.id, CaseStep.kind == kind)
                             .order_by(CaseStep.day.desc(), CaseStep.id.desc()).limit(1))


def instrument_options(case: Case) -> list[instruments.Option]:
    return instruments.options(case.subject_kind, case.provisions, case.beroep)


# --- helpers --------------------------------------------------------------------------------------------

def text_field(value: str | None, *, what: str, field: str, limit: int = TEXT_MAX, required: bool = False) -> str:
    text = clean_text(value, limit=limit, what=what, field=field)
    if required and not text:
        raise ServiceError(f"Vul {what.lower()} in.", field=field)
    return text


def check_day(day: date | None, *, what: str, field: str, not_before: date | None = None) -> date:
    """A date people enter for something that happened: not empty, not in the future, not before the Wki."""
    if day is None:
        raise ServiceError(f"Vul {what} in.", field=field)
    if day > today_local():
        raise ServiceError(f"{what[:1].upper()}{what[1:]} ligt in de toekomst ({fmt_date(day)}).", field=field)
    if day < date(2024, 4, 1):
        raise ServiceError(f"{what[:1].upper()}{what[1:]} ligt vóór de inwerkingtreding van de Wki "
                           "(1 april 2024).", field=field)
    if not_before is not None and day < not_before:
        raise ServiceError(f"{what[:1].upper()}{what[1:]} ligt vóór {fmt_date(not_before)}.", field=field)
    return day


def add_step(case: Case, kind: StepKind, *, actor: Actor, day: date | None = None, text: str = "",
             data: dict[str, Any] | None = None, kenmerk: str | None = None) -> CaseStep:
    step = CaseStep(case_id=case.id, kind=kind, day=day or today_local(), text=text, data=data or {},
                    kenmerk=kenmerk, created_by=actor.label, created_by_id=actor.user_id)
    case.steps.append(step)  # through the relationship: a timeline read earlier in the request stays whole
    db.session.flush()
    return step


def check_current(case: Case, expected_version: int | None) -> None:
    """A save from a page carries the version it was based on: refused when the case changed since (None:
    a caller without a page, such as the command line or a job)."""
    if expected_version is not None:
        check_version(case, expected_version, what="de zaak")


def require_open(case: Case, what: str) -> None:
    if not case.is_open:
        raise ServiceError(f"De zaak is {case.status.label.lower()}: {what} kan niet meer. Er is niets gewijzigd.")


def move(case: Case, target: CaseStatus, *, actor: Actor, reason: str | None = None,
         details: dict[str, Any] | None = None) -> None:
    """Take a declared step (refused otherwise) and put it on the timeline."""
    current = case.status
    step = CASE_FLOW.transition(case, target, actor=actor, reason=reason, details=details)
    add_step(case, StepKind.STATUS, actor=actor, text=reason or "",
             data={"van": current.value, "naar": target.value, "stap": step.label})


# --- opening --------------------------------------------------------------------------------------------

def _party(subject: SubjectKind, *, registratienummer: str | None, suspect_id: int | None,
           exempt_party_key: str | None) -> dict[str, Any]:
    """The party's name and identifiers as the register or signals know them now; refused when unknown."""
    if subject is SubjectKind.REGISTRATION:
        nummer = (registratienummer or "").strip().upper()
        if not nummer:
            raise ServiceError("Kies de registratie waarover de zaak gaat.", field="registratienummer")
        try:
            version = register.get_registration(nummer)
        except NotFoundError:
            raise ServiceError(f"Registratie {nummer} staat niet in de spiegel van het register.",
                               field="registratienummer") from None
        return {"registratienummer": version.registratienummer, "naam": version.naam,
                "kvk_nummer": version.kvk_nummer}
    if subject is SubjectKind.SUSPECT:
        facts = signals.get_suspect_facts(suspect_id) if suspect_id is not None else None
        if facts is None:
            raise ServiceError("Deze mogelijke overtreder bestaat niet.", field="suspect_id")
        if not facts.active:
            where = f" Zijn signalen horen nu bij overtreder {facts.successor_id}." if facts.successor_id else ""
            raise ServiceError("Deze mogelijke overtreder is opgeheven; open de zaak bij de overtreder die zijn "
                               "signalen nu heeft." + where, field="suspect_id")
        return {"suspect_id": facts.id, "naam": facts.naam or f"Overtreder {facts.id}",
                "kvk_nummer": facts.kvk[0] if facts.kvk else None}
    key = (exempt_party_key or "").strip()
    versions = register.exempt_versions_of(key) if key else []
    if not versions:
        raise ServiceError("Deze partij staat niet op de lijst van vrijgestelden.", field="exempt_party_key")
    last = versions[-1]
    return {"exempt_party_key": key, "naam": last.naam, "kvk_nummer": last.kvk_nummer, "beroep": last.beroep}


@service
def open_case(*, subject: SubjectKind, provisions: Iterable[str], officer_id: int, actor: Actor,
              registratienummer: str | None = None, suspect_id: int | None = None,
              exempt_party_key: str | None = None, aanleiding: str = "", feiten: str = "",
              rechtspersoon: bool = True, requirement_codes: Sequence[str] = (),
              inspection_id: int | None = None) -> Case:
    """Open a case; refused when the party already has an open one (naming it), when the party is unknown,
    or when a provision does not fit the party."""
    party = _party(subject, registratienummer=registratienummer, suspect_id=suspect_id,
                   exempt_party_key=exempt_party_key)
    chosen = instruments.check_provisions(subject, provisions)
    aanleiding = text_field(aanleiding, what="De aanleiding", field="aanleiding", limit=SHORT_MAX * 5)
    feiten = text_field(feiten, what="De feiten", field="feiten")
    existing = open_case_of(registratienummer=party.get("registratienummer"), suspect_id=party.get("suspect_id"),
                            exempt_party_key=party.get("exempt_party_key"))
    if existing is not None:
        raise ServiceError(f"Over {party['naam']} loopt al zaak {existing.nummer}; werk die bij. Er is geen "
                           "tweede zaak geopend.")
    opened = today_local()
    case = Case(
        nummer="", subject_kind=subject, registratienummer=party.get("registratienummer"),
        suspect_id=party.get("suspect_id"), exempt_party_key=party.get("exempt_party_key"),
        beroep=party.get("beroep"), naam=str(party["naam"])[:300], kvk_nummer=party.get("kvk_nummer"),
        rechtspersoon=bool(rechtspersoon), provisions=[p.value for p in chosen],
        requirement_codes=list(dict.fromkeys(requirement_codes)), aanleiding=aanleiding, feiten=feiten,
        inspection_id=inspection_id, officer_id=officer_id, opened_on=opened, created_by=actor.label)
    try:
        with db.session.begin_nested():
            # The number last: a lost race (the unique open-case index) returns it with the savepoint.
            case.nummer = f"{CASE_PREFIX}-{opened.year}-{next_value(CASE_SEQUENCE, opened.year):04d}"
            db.session.add(case)
            db.session.flush()
    except IntegrityError:
        existing = open_case_of(registratienummer=party.get("registratienummer"),
                                suspect_id=party.get("suspect_id"), exempt_party_key=party.get("exempt_party_key"))
        named = f" ({existing.nummer})" if existing is not None else ""
        raise ServiceError(f"Over {party['naam']} is zojuist al een zaak geopend{named}. Er is geen tweede zaak "
                           "geopend.") from None
    add_step(case, StepKind.OPENED, actor=actor, day=opened, text=aanleiding,
             data={"partij": subject.value, "bepalingen": case.provisions})
    audit.record(EnforcementAction.CASE_OPENED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"nummer": case.nummer, "partij": subject.value, "naam": case.naam,
                        "registratienummer": case.registratienummer, "overtreder": case.suspect_id,
                        "vrijgestelde": case.exempt_party_key, "bepalingen": case.provisions,
                        "inspectie": inspection_id}, actor=actor)
    return case


# Requirements whose breach is not one of the quality requirements under art. 13 (catalogue codes).
_REQUIREMENT_PROVISION = {"MEDEWERKING_TOEZICHT": Provision.AWB_5_20}


@service
def open_from_inspection(inspection_id: int, *, officer_id: int, actor: Actor,
                         requirement_codes: Sequence[str] | None = None) -> Case:
    """Open a case about the inspected registration with the inspection's failing findings linked (all of
    them, or those chosen); only for a completed inspection with findings of voldoet niet or deels."""
    from wki.supervision import services as supervision

    inspection = supervision.get_inspection(inspection_id)
    if inspection.status.value != "afgerond":
        raise ServiceError("Alleen de bevindingen van een afgeronde inspectie kunnen tot een zaak leiden.")
    rows = [r for r in supervision.findings_rows(inspection) if r["oordeel"] in ("voldoet_niet", "deels")]
    if requirement_codes:
        wanted = set(requirement_codes)
        rows = [r for r in rows if r["eis"] in wanted]
    if not rows:
        raise ServiceError("Deze inspectie heeft geen bevindingen ‘voldoet niet’ of ‘voldoet deels’ (of geen "
                           "gekozen): er is niets om te handhaven.")
    provisions = list(dict.fromkeys(_REQUIREMENT_PROVISION.get(r["eis"], Provision.WKI_13).value for r in rows))
    facts = "\n\n".join(f"{r['titel']} ({r['oordeel_label'].lower()}): {r['bevinding']}" for r in rows)
    case = open_case(subject=SubjectKind.REGISTRATION, provisions=provisions, officer_id=officer_id, actor=actor,
                     registratienummer=inspection.registratienummer,
                     aanleiding=f"Bevindingen van inspectie {inspection.nummer} ({fmt_date(inspection.inspectiedatum)}).",
                     feiten=facts, requirement_codes=[r["eis"] for r in rows], inspection_id=inspection.id)
    for row in rows:
        _link(case, EvidenceLink.FINDING, f"inspectie:{inspection.id}:{row['eis']}",
              f"{inspection.nummer} · {row['titel']}: {row['oordeel_label']}", actor=actor)
    _link(case, EvidenceLink.REGISTER, f"{inspection.registratienummer}@{inspection.inspectiedatum.isoformat()}",
          "Register op de inspectiedatum", actor=actor, as_of=inspection.inspectiedatum)
    return case


@service
def open_from_suspect(suspect_id: int, *, officer_id: int, actor: Actor, aanleiding: str = "") -> Case:
    """Open a case about a suspected unregistered collector, its signals linked (the newest
    ``SIGNALS_LINKED_MAX``) and what the register said on the last signal's date."""
    facts = signals.get_suspect_facts(suspect_id)
    if facts is None:
        raise ServiceError("Deze mogelijke overtreder bestaat niet.")
    case = open_case(subject=SubjectKind.SUSPECT, provisions=[Provision.REGISTRATION_DUTY.value],
                     officer_id=officer_id, actor=actor, suspect_id=suspect_id,
                     aanleiding=aanleiding or f"{facts.signal_count} signalen over {facts.naam or 'deze partij'} "
                                              "zonder registratie.")
    for signal in signals.signals_of_suspect(suspect_id, limit=SIGNALS_LINKED_MAX):
        _link(case, EvidenceLink.SIGNAL, str(signal.id),
              f"{signal.bron_label} {signal.referentie}, {fmt_date(signal.reference_date)}", actor=actor)
    day = facts.last_seen or today_local()
    answer = register.registered_on(day, kvk_nummer=facts.kvk[0] if facts.kvk else None, name=facts.naam or None)
    described = ("Het register kon het niet zeggen (nog geen registerstand)." if answer.registered is None
                 else "Geen geldige registratie gevonden." if not answer.registered
                 else "Let op: een geldige registratie gevonden (" + ", ".join(
                     v.registratienummer for v in answer.valid) + ").")
    _link(case, EvidenceLink.REGISTER, f"{facts.kvk[0] if facts.kvk else (facts.naam or case.nummer)}@{day.isoformat()}",
          f"Register op {fmt_date(day)}: {described}", actor=actor, as_of=day)
    return case


# --- evidence -------------------------------------------------------------------------------------------

def _link(case: Case, kind: EvidenceLink, ref: str, description: str, *, actor: Actor,
          as_of: date | None = None) -> CaseEvidence | None:
    """Link once: the same thing linked again changes nothing (None)."""
    exists = db.session.scalar(sa.select(CaseEvidence.id).where(
        CaseEvidence.case_id == case.id, CaseEvidence.kind == kind, CaseEvidence.ref == ref,
        CaseEvidence.removed_at.is_(None)))
    if exists is not None:
        return None
    link = CaseEvidence(case_id=case.id, kind=kind, ref=ref[:200], description=description[:2000], as_of=as_of,
                        created_by=actor.label)
    try:
        with db.session.begin_nested():
            db.session.add(link)
            db.session.flush()
    except IntegrityError:  # linked at the same moment by someone else
        return None
    audit.record(EnforcementAction.EVIDENCE_LINKED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"soort": kind.value, "verwijzing": ref}, actor=actor)
    return link


@service
def link_evidence(case_id: int, *, kind: EvidenceLink, actor: Actor, signal_id: int | None = None,
                  registratienummer: str | None = None, as_of: date | None = None, kenmerk: str | None = None,
                  description: str = "") -> CaseEvidence | None:
    """Link a signal, a register extract as of a date, or an issued document (checked to exist); returns
    None when it was already linked."""
    from wki.documents import services as documents

    case = get_case(case_id)
    require_open(case, "bewijs koppelen")
    note = text_field(description, what="De omschrijving", field="description", limit=SHORT_MAX)
    if kind is EvidenceLink.SIGNAL:
        facts = signals.get_signal_facts(signal_id) if signal_id is not None else None
        if facts is None:
            raise ServiceError("Dit signaal bestaat niet.", field="signal_id")
        return _link(case, kind, str(facts.id), note or f"{facts.bron_label} {facts.referentie}, "
                     f"{fmt_date(facts.reference_date)}", actor=actor)
    if kind is EvidenceLink.REGISTER:
        nummer = (registratienummer or case.registratienummer or "").strip().upper()
        day = check_day(as_of, what="de datum van de registerstand", field="as_of")
        if not nummer:
            raise ServiceError("Vul het registratienummer in.", field="registratienummer")
        state = register.registration_on(nummer, day)
        if state.version is None and not register.registration_known(nummer):
            raise ServiceError(f"Registratie {nummer} staat niet in de spiegel van het register.",
                               field="registratienummer")
        said = ("niet in het register" if state.version is None
                else ("geldig" if state.valid else "niet geldig") + f" ({state.version.naam})")
        return _link(case, kind, f"{nummer}@{day.isoformat()}", note or f"Register op {fmt_date(day)}: {said}",
                     actor=actor, as_of=day)
    if kind is EvidenceLink.DOCUMENT:
        document = documents.get_document(kenmerk or "")
        if document is None:
            raise ServiceError(f"Er is geen document met kenmerk '{kenmerk}'.", field="kenmerk")
        return _link(case, kind, document.kenmerk, note or f"{document.kenmerk}: {document.title}", actor=actor)
    raise ServiceError("Bevindingen worden gekoppeld door de zaak vanuit de inspectie te openen.")


@service
def unlink_evidence(case_id: int, evidence_id: int, *, actor: Actor) -> None:
    case = get_case(case_id)
    require_open(case, "bewijs ontkoppelen")
    link = db.session.get(CaseEvidence, evidence_id)
    if link is None or link.case_id != case.id:
        raise NotFoundError("Dit bewijs hoort niet bij deze zaak.")
    if link.removed_at is not None:
        return
    link.removed_at, link.removed_by = utcnow(), actor.label
    audit.record(EnforcementAction.EVIDENCE_UNLINKED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"soort": link.kind.value, "verwijzing": link.ref}, actor=actor)


# --- the case's own data --------------------------------------------------------------------------------

@service
def update_case(case_id: int, *, expected_version: int | None, actor: Actor, provisions: Iterable[str] | None = None,
                feiten: str | None = None, aanleiding: str | None = None, rechtspersoon: bool | None = None,
                officer_id: int | None = None) -> Case:
    """Change the facts, the provisions (while no instrument is chosen, or it still fits), the officer."""
    case = get_case(case_id)
    require_open(case, "wijzigen")
    check_current(case, expected_version)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if provisions is not None:
        chosen = [p.value for p in instruments.check_provisions(case.subject_kind, provisions)]
        if chosen != case.provisions:
            if case.status is not ST.INVESTIGATION:
                raise ServiceError("De overtreden bepalingen liggen vast zodra het voornemen of besluit in "
                                   "voorbereiding is. Er is niets gewijzigd.", field="provisions")
            if case.instrument is not None:
                instruments.check_instrument(case.instrument, case.subject_kind, chosen, case.beroep)
            before["bepalingen"], after["bepalingen"] = case.provisions, chosen
            case.provisions = chosen
    for name, value, what in (("feiten", feiten, "De feiten"), ("aanleiding", aanleiding, "De aanleiding")):
        if value is not None:
            text = text_field(value, what=what, field=name)
            if text != getattr(case, name):
                before[name], after[name] = getattr(case, name), text
                setattr(case, name, text)
    if rechtspersoon is not None and rechtspersoon != case.rechtspersoon:
        before["rechtspersoon"], after["rechtspersoon"] = case.rechtspersoon, rechtspersoon
        case.rechtspersoon = rechtspersoon
    if officer_id is not None and officer_id != case.officer_id:
        before["handhaver"], after["handhaver"] = case.officer_id, officer_id
        case.officer_id = officer_id
    if not after:
        return case
    with flush_versioned("de zaak"):
        pass
    audit.record(EnforcementAction.CASE_CHANGED, object_type=OBJECT_TYPE, object_id=case.id, before=before,
                 after=after, actor=actor)
    return case


@service
def choose_instrument(case_id: int, instrument: Instrument, *, reason: str, actor: Actor,
                      expected_version: int | None = None) -> Case:
    """Choose the instrument (only one that fits the party and the provisions); while investigating."""
    case = get_case(case_id)
    check_current(case, expected_version)
    if case.status is not ST.INVESTIGATION:
        raise ServiceError("Het instrument kan alleen tijdens het onderzoek worden gekozen of gewijzigd. Er is "
                           "niets gewijzigd.")
    option = instruments.check_instrument(instrument, case.subject_kind, case.provisions, case.beroep)
    why = text_field(reason, what="De motivering van de keuze", field="reason", limit=SHORT_MAX * 5, required=True)
    if case.instrument is instrument:
        return case
    previous = case.instrument
    with flush_versioned("de zaak"):
        case.instrument = instrument
    add_step(case, StepKind.INSTRUMENT, actor=actor, text=why,
             data={"instrument": instrument.value, "grondslag": option.legal_basis})
    audit.record(EnforcementAction.INSTRUMENT_CHOSEN, object_type=OBJECT_TYPE, object_id=case.id,
                 before={"instrument": previous.value if previous else None},
                 after={"instrument": instrument.value, "motivering": why}, actor=actor)
    return case


@service
def add_note(case_id: int, *, text: str, actor: Actor, day: date | None = None) -> CaseStep:
    case = get_case(case_id)
    note = text_field(text, what="De notitie", field="text", required=True)
    step = add_step(case, StepKind.NOTE, actor=actor, day=check_day(day or today_local(), what="de datum",
                                                                     field="day"), text=note)
    audit.record(EnforcementAction.STEP_RECORDED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"stap": StepKind.NOTE.value}, actor=actor)
    return step


@service
def close_case(case_id: int, *, reason: str, actor: Actor, expected_version: int | None = None) -> Case:
    """Close without a decision (investigating, intention sent, deciding) with a reason; or finish a case
    whose decision was sent (or after a conversation)."""
    case = get_case(case_id)
    check_current(case, expected_version)
    why = text_field(reason, what="De reden", field="reason", limit=SHORT_MAX * 5, required=True)
    if case.status in (ST.DECIDED, ST.OBJECTION) or case.status is ST.INVESTIGATION and case.instrument is Instrument.CONVERSATION \
            and has_step(case, StepKind.CONVERSATION):
        target = ST.CLOSED
    else:
        target = ST.DROPPED
    timelimits.end_running(case, actor=actor, reason=why)
    for document in decisions.documents_of(case.id):
        if document.status in (DocumentStatus.DRAFT, DocumentStatus.PREPARED):
            # Nothing more goes out of a closed case: a draft or a PDF waiting for approval lapses with it.
            decisions.lapse(document.id, reason=f"De zaak is gesloten: {why}", actor=actor)
    move(case, target, actor=actor, reason=why)
    case.closed_reason, case.closed_at = why, utcnow()
    return case


@service
def back_to_investigation(case_id: int, *, reason: str, actor: Actor, expected_version: int | None = None) -> Case:
    """From deciding back to investigation (another instrument, more facts), with the reason. A refresh
    after the POST changes nothing (the case is investigating already)."""
    case = get_case(case_id)
    if case.status is ST.INVESTIGATION:
        return case
    check_current(case, expected_version)
    why = text_field(reason, what="De reden", field="reason", limit=SHORT_MAX * 5, required=True)
    if case.status is not ST.DECIDING:
        raise ServiceError(f"De zaak is {case.status.label.lower()}: alleen een zaak in besluitvorming gaat terug naar "
                           "het onderzoek. Er is niets gewijzigd.")
    move(case, ST.INVESTIGATION, actor=actor, reason=why)
    return case


def cases_due_for_review(today: date | None = None) -> list[Case]:
    """Open cases in investigation for more than 90 days (for the overview's attention list)."""
    day = (today or today_local()) - timedelta(days=90)
    return list(db.session.scalars(sa.select(Case).where(Case.status == ST.INVESTIGATION, Case.opened_on < day)
                                   .order_by(Case.opened_on)))
