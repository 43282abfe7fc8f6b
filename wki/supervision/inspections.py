"""Inspections: start one for a registration, send the information request, judge the checklist with
evidence, run the automatic checks, check a staff list, offer it for review, and (after a colleague's
approval of exactly this content) issue the report and close it.

The rules live here, not in the pages:
- the status moves only along ``INSPECTION_FLOW`` (core workflow: declared steps, one audited transition);
- the checklist is editable while the inspection is in progress or in review; every change voids an
  approval (the approval names a SHA-256 of the checklist's canonical content, ``checklist_content``);
- before review every requirement in scope is judged, and every ``voldoet niet`` and ``deels`` has a finding
  and at least one piece of evidence (``completeness``);
- the reviewer is never an author: not the inspector, nor anyone who judged an item, added evidence or
  checked a staff list (``authors``);
- the report is issued only while the approval still covers the current content;
- edits carry the version they were based on: a save based on an older one is refused (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from markupsafe import escape
from sqlalchemy.exc import IntegrityError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.features import recipient_sources
from wki.core.formatting import fmt_date
from wki.core.sequences import next_value
from wki.core.service import service
from wki.core.storage import ContentStore, check_upload_size, purge_unreferenced, store_for, stored_file_name
from wki.core.text import clean_text
from wki.core.uploads import FILE_TYPES, sniff_file
from wki.core.workflow import (
    Step,
    Workflow,
    approve,
    check_version,
    content_hash,
    flush_versioned,
    valid_approval,
    void_approvals,
)
from wki.documents import services as documents
from wki.register import queries as register
from wki.supervision import catalogue
from wki.supervision.audit_actions import SupervisionAction
from wki.supervision.models import (
    NEEDS_EVIDENCE,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionReview,
    InspectionStatus,
    Judgement,
    ObtainedHow,
    ReviewDecision,
)

ST = InspectionStatus
OBJECT_TYPE = "inspection"
INSPECTION_SEQUENCE = "inspectie"
WKI_IN_FORCE = date(2024, 4, 1)
OPEN = (ST.DRAFT, ST.IN_PROGRESS, ST.IN_REVIEW)
EDITABLE = (ST.IN_PROGRESS, ST.IN_REVIEW)
FINDING_MAX = 10_000
COMMENT_MAX = 5_000
DESCRIPTION_MAX = 1_000
REQUEST_ITEMS_MAX = 60
# Requirements whose evidence is the inspector's own record, not something to ask the agency for.
NOT_REQUESTED = frozenset({"MEDEWERKING_TOEZICHT"})

INSPECTION_FLOW: Workflow[InspectionStatus] = Workflow(
    what="de inspectie", object_type=OBJECT_TYPE, action=SupervisionAction.INSPECTION_STATUS,
    steps=(
        Step(ST.DRAFT, ST.IN_PROGRESS, "Inspectie beginnen"),
        Step(ST.DRAFT, ST.WITHDRAWN, "Inspectie intrekken"),
        Step(ST.IN_PROGRESS, ST.IN_REVIEW, "Ter review aanbieden"),
        Step(ST.IN_PROGRESS, ST.WITHDRAWN, "Inspectie intrekken"),
        Step(ST.IN_REVIEW, ST.IN_PROGRESS, "Terugsturen met opmerkingen"),
        Step(ST.IN_REVIEW, ST.DONE, "Rapport uitgeven en afronden"),
    ),
)


# --- reading ---------------------------------------------------------------------------------------------------

def get_inspection(inspection_id: int) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFoundError("Deze inspectie bestaat niet.")
    return inspection


def get_item(item_id: int) -> InspectionItem:
    item = db.session.get(InspectionItem, item_id)
    if item is None:
        raise NotFoundError("Deze eis hoort bij geen inspectie.")
    return item


def get_evidence(evidence_id: int) -> Evidence:
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFoundError("Dit bewijs bestaat niet (meer).")
    return evidence


def open_inspection_of(registratienummer: str) -> Inspection | None:
    return db.session.scalar(sa.select(Inspection).where(Inspection.registratienummer == registratienummer,
                                                         Inspection.status.in_(OPEN)).limit(1))


def checklist_content(inspection: Inspection) -> dict[str, Any]:
    """The canonical content a reviewer approves: every judgement, finding and piece of evidence."""
    return {
        "inspectie": inspection.nummer,
        "registratienummer": inspection.registratienummer,
        "soort": inspection.kind.value,
        "inspectiedatum": inspection.inspectiedatum,
        "catalogus": inspection.catalogue.versie,
        "eisen": [
            {"eis": item.requirement.code, "oordeel": item.judgement.value, "bevinding": item.finding or "",
             "bewijs": [{"soort": e.kind.value, "sha256": e.sha256, "signaal": e.signal_id,
                         "register_op": e.register_as_of, "omschrijving": e.description,
                         "verkregen": e.obtained_how.value, "verkregen_op": e.obtained_on}
                        for e in item.evidence]}
            for item in inspection.items
        ],
    }


def checklist_hash(inspection: Inspection) -> str:
    return content_hash(checklist_content(inspection))


def authors(inspection: Inspection) -> set[int]:
    """Everyone who wrote the content: the inspector, whoever judged an item or added evidence."""
    ids = {inspection.inspector_id}
    ids.update(item.updated_by_id for item in inspection.items if item.updated_by_id is not None)
    ids.update(e.created_by_id for item in inspection.items for e in item.evidence if e.created_by_id is not None)
    staff = inspection.staff_check or {}
    if staff.get("door_id"):
        ids.add(int(staff["door_id"]))
    return ids


def completeness(inspection: Inspection) -> list[str]:
    """What stands between the checklist and review, one Dutch sentence per problem; [] when complete."""
    problems = []
    for item in inspection.items:
        label = f"{item.requirement.code} ({item.requirement.titel})"
        if item.judgement == Judgement.NOT_JUDGED:
            problems.append(f"{label}: nog niet beoordeeld.")
            continue
        if item.judgement in NEEDS_EVIDENCE:
            if not (item.finding or "").strip():
                problems.append(f"{label}: ‘{item.judgement.label}’ heeft een bevinding in woorden nodig.")
            if not item.evidence:
                problems.append(f"{label}: ‘{item.judgement.label}’ heeft ten minste één bewijsstuk nodig.")
    if not inspection.items:
        problems.append("De inspectie heeft geen eisen in de reikwijdte.")
    return problems


def approval_of(inspection: Inspection) -> Any:
    """The approval that still covers the current content, or None."""
    return valid_approval(OBJECT_TYPE, inspection.id, checklist_hash(inspection))


def reviews_of(inspection: Inspection) -> list[InspectionReview]:
    return list(db.session.scalars(sa.select(InspectionReview).where(InspectionReview.inspection_id == inspection.id)
                                   .order_by(InspectionReview.decided_at, InspectionReview.id)))


# --- starting ---------------------------------------------------------------------------------------------------

def _plain(text: str | None, *, limit: int, what: str, field: str) -> str:
    """Text as people typed it (core's ``clean_text``: controls gone, trimmed, limited, valid Unicode)."""
    return clean_text(text, limit=limit, what=what, field=field)


def _check_date(day: date) -> None:
    if day < WKI_IN_FORCE:
        raise ServiceError(f"De inspectiedatum ligt vóór de inwerkingtreding van de Wki ({fmt_date(WKI_IN_FORCE)}).",
                           field="inspectiedatum")
    if day > today_local() + timedelta(days=366):
        raise ServiceError("De inspectiedatum ligt meer dan een jaar in de toekomst.", field="inspectiedatum")


def _check_reviewer(reviewer_id: int | None, inspector_id: int) -> None:
    from wki.auth import services as accounts
    from wki.core.auth import Role

    if reviewer_id is None:
        return
    if reviewer_id == inspector_id:
        raise ServiceError("De reviewer moet een ander zijn dan de inspecteur (vier ogen).", field="reviewer")
    try:
        user = accounts.get_user(reviewer_id)
    except ServiceError:
        raise ServiceError("Deze reviewer bestaat niet.", field="reviewer") from None
    if not user.active or Role.INSPECTEUR not in user.role_set:
        raise ServiceError("De reviewer moet een actieve inspecteur zijn.", field="reviewer")


@service
def start_inspection(*, registratienummer: str, kind: InspectionKind | str, inspectiedatum: date,
                     inspector_id: int, actor: Actor, reviewer_id: int | None = None,
                     codes: Sequence[str] | None = None, aanleiding: str | None = None) -> Inspection:
    """A new inspection (status concept) of one registration, against the catalogue version in force on
    ``inspectiedatum``, with the requirements ``codes`` in scope (default: all that apply on that date).
    Refused while the registration has an open inspection: a second click never makes a second one."""
    try:
        kind = InspectionKind.from_value(str(kind))
    except ValueError:
        raise ServiceError("Kies een soort inspectie.", field="soort") from None
    _check_date(inspectiedatum)
    try:
        version = register.get_registration(registratienummer)
    except ServiceError:
        raise ServiceError(f"Registratie {registratienummer} staat niet in de spiegel van het register.",
                           field="registratienummer") from None
    existing = open_inspection_of(registratienummer)
    if existing is not None:
        raise ServiceError(f"Er loopt al een inspectie van deze registratie: {existing.nummer} "
                           f"({existing.status.label}). Werk die eerst af of trek haar in.")
    _check_reviewer(reviewer_id, inspector_id)
    catalogue_version = catalogue.require_version_in_force(inspectiedatum)
    applicable = catalogue.applicable_requirements(catalogue_version, inspectiedatum)
    if codes is None:
        chosen = applicable
    else:
        wanted = list(dict.fromkeys(codes))
        known = {r.code: r for r in applicable}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ServiceError("Deze eisen gelden niet op de inspectiedatum of bestaan niet in catalogusversie "
                               f"{catalogue_version.versie}: {', '.join(unknown)}.", field="eisen")
        chosen = [r for r in applicable if r.code in set(wanted)]
    if not chosen:
        raise ServiceError("Kies ten minste één eis voor de inspectie.", field="eisen")
    year = today_local().year
    nummer = f"INS-{year}-{next_value(INSPECTION_SEQUENCE, year):04d}"
    inspection = Inspection(
        nummer=nummer, registratienummer=registratienummer, naam=version.naam, kind=kind,
        status=ST.DRAFT, catalogue_version_id=catalogue_version.id, inspectiedatum=inspectiedatum,
        inspector_id=inspector_id, reviewer_id=reviewer_id,
        aanleiding=_plain(aanleiding, limit=COMMENT_MAX, what="De aanleiding", field="aanleiding") or None,
        created_by=actor.label)
    try:
        with db.session.begin_nested():
            db.session.add(inspection)
            db.session.flush()
    except IntegrityError:  # another inspector started one at the same moment
        raise ServiceError("Er is zojuist al een inspectie van deze registratie gestart door een collega. "
                           "Open de lijst met inspecties om haar te vinden.") from None
    for position, requirement in enumerate(chosen, start=1):
        db.session.add(InspectionItem(inspection_id=inspection.id, requirement_id=requirement.id, position=position))
    db.session.flush()
    db.session.refresh(inspection)
    audit.record(SupervisionAction.INSPECTION_CREATED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 after={"nummer": nummer, "registratienummer": registratienummer, "soort": kind.value,
                        "inspectiedatum": inspectiedatum, "catalogus": catalogue_version.versie,
                        "eisen": [r.code for r in chosen], "reviewer_id": reviewer_id}, actor=actor)
    return inspection


@service
def set_reviewer(inspection_id: int, *, reviewer_id: int | None, version: int | None, actor: Actor) -> Inspection:
    inspection = get_inspection(inspection_id)
    if inspection.status not in OPEN:
        raise ServiceError(f"De inspectie is {inspection.status.label.lower()}: de reviewer ligt vast.")
    check_version(inspection, version, what="de inspectie")
    if reviewer_id is not None and reviewer_id in authors(inspection):
        raise ServiceError("Deze collega werkte aan de inspectie mee en kan haar niet reviewen (vier ogen).",
                           field="reviewer")
    _check_reviewer(reviewer_id, inspection.inspector_id)
    before = inspection.reviewer_id
    with flush_versioned("de inspectie"):
        inspection.reviewer_id = reviewer_id
    audit.record(SupervisionAction.INSPECTION_CHANGED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 before={"reviewer_id": before}, after={"reviewer_id": reviewer_id}, actor=actor)
    return inspection


@service
def begin_inspection(inspection_id: int, *, actor: Actor) -> Inspection:
    inspection = get_inspection(inspection_id)
    INSPECTION_FLOW.transition(inspection, ST.IN_PROGRESS, actor=actor)
    return inspection


@service
def withdraw_inspection(inspection_id: int, *, reason: str, actor: Actor) -> Inspection:
    inspection = get_inspection(inspection_id)
    reason = _plain(reason, limit=COMMENT_MAX, what="De reden", field="reden")
    INSPECTION_FLOW.step(inspection.status, ST.WITHDRAWN)
    if not reason:
        raise ServiceError("Geef de reden op waarom de inspectie wordt ingetrokken.", field="reden")
    INSPECTION_FLOW.transition(inspection, ST.WITHDRAWN, actor=actor, reason=reason)
    return inspection


# --- the information request ------------------------------------------------------------------------------------

def requested_items(inspection: Inspection) -> list[dict[str, str]]:
    """What the information request asks for by default: the evidence each requirement in scope names."""
    rows: list[dict[str, str]] = []
    for item in inspection.items:
        if item.requirement.code in NOT_REQUESTED:
            continue
        for stuk in item.requirement.bewijs:
            rows.append({"stuk": stuk, "toelichting": f"{item.requirement.code}: {item.requirement.titel}"})
    return rows


def _recipient(inspection: Inspection) -> dict[str, Any]:
    source = recipient_sources().get("register")
    recipient = source.find(inspection.registratienummer, today_local()) if source and source.find else None
    if recipient is None:
        raise ServiceError(f"Registratie {inspection.registratienummer} staat niet (meer) in het register: er is "
                           "geen adres om de brief aan te richten.")
    return dict(recipient)


@service
def issue_information_request(inspection_id: int, *, deadline: date, actor: Actor,
                              items: Sequence[dict[str, str]] | None = None) -> Inspection:
    """Issue the information request (letter type ``informatieverzoek``) listing what is asked and by when;
    a draft inspection begins with it. Issued once: a second request is refused with the first one's kenmerk."""
    inspection = get_inspection(inspection_id)
    if inspection.request_kenmerk:
        raise ServiceError(f"Het informatieverzoek is al uitgegeven ({inspection.request_kenmerk}).")
    if inspection.status not in (ST.DRAFT, ST.IN_PROGRESS):
        raise ServiceError(f"De inspectie is {inspection.status.label.lower()}: een informatieverzoek past nu niet.")
    if deadline <= today_local():
        raise ServiceError("De uiterste datum voor de stukken moet na vandaag liggen.", field="uiterlijk")
    if deadline > today_local() + timedelta(days=180):
        raise ServiceError("De uiterste datum ligt meer dan een half jaar vooruit.", field="uiterlijk")
    rows = [dict(r) for r in (items if items is not None else requested_items(inspection))]
    rows = [{"stuk": _plain(r.get("stuk"), limit=500, what="Een gevraagd stuk", field="stukken"),
             "toelichting": _plain(r.get("toelichting"), limit=500, what="Een toelichting", field="stukken")}
            for r in rows]
    rows = [r for r in rows if r["stuk"]]
    if not rows:
        raise ServiceError("Geef aan welke stukken worden gevraagd.", field="stukken")
    if len(rows) > REQUEST_ITEMS_MAX:
        raise ServiceError(f"Het verzoek vraagt te veel stukken ({len(rows)}; hoogstens {REQUEST_ITEMS_MAX}).",
                           field="stukken")
    if inspection.status == ST.DRAFT:
        INSPECTION_FLOW.transition(inspection, ST.IN_PROGRESS, actor=actor)
    document = documents.issue_document(
        letter_type=documents.require_letter_type("informatieverzoek"), recipient=_recipient(inspection),
        actor=actor, extra_values={"uiterlijk": fmt_date(deadline)}, block_values={"gevraagde_stukken": rows})
    with flush_versioned("de inspectie"):
        inspection.request_kenmerk = document.kenmerk
        inspection.deadline_stukken = deadline
    audit.record(SupervisionAction.REQUEST_ISSUED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 after={"kenmerk": document.kenmerk, "uiterlijk": deadline, "stukken": len(rows)}, actor=actor)
    return inspection


# --- the checklist ---------------------------------------------------------------------------------------------

def _editable(inspection: Inspection) -> None:
    if inspection.status not in EDITABLE:
        if inspection.status == ST.DRAFT:
            raise ServiceError("Begin de inspectie eerst (of geef het informatieverzoek uit): een concept heeft nog "
                               "geen checklist om in te vullen.")
        raise ServiceError(f"De inspectie is {inspection.status.label.lower()}: de checklist ligt vast.")


def _content_changed(inspection: Inspection, *, actor: Actor) -> None:
    """A change of the checklist voids an approval of the content before it."""
    void_approvals(OBJECT_TYPE, inspection.id, reason="De checklist is na de goedkeuring gewijzigd.", actor=actor,
                   action=SupervisionAction.APPROVAL_VOIDED)


@service
def judge_item(item_id: int, *, judgement: Judgement | str, finding: str | None, version: int | None,
               actor: Actor) -> InspectionItem:
    """The inspector's judgement and finding on one requirement; refused when based on an older version."""
    item = get_item(item_id)
    inspection = item.inspection
    _editable(inspection)
    try:
        judgement = Judgement.from_value(str(judgement))
    except ValueError:
        raise ServiceError("Kies een oordeel.", field="oordeel") from None
    finding = _plain(finding, limit=FINDING_MAX, what="De bevinding", field="bevinding")
    before = {"oordeel": item.judgement.value, "bevinding": item.finding}
    if before == {"oordeel": judgement.value, "bevinding": finding or None}:
        return item  # already so (a refresh after a POST, the same judgement twice): nothing to write
    check_version(item, version, what=f"de beoordeling van {item.requirement.code}")
    with flush_versioned(f"de beoordeling van {item.requirement.code}"):
        item.judgement = judgement
        item.finding = finding or None
        item.updated_at = utcnow()
        item.updated_by_id = actor.user_id
        item.updated_by = actor.label
    _content_changed(inspection, actor=actor)
    audit.record(SupervisionAction.ITEM_JUDGED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 before={"eis": item.requirement.code, **before},
                 after={"eis": item.requirement.code, "oordeel": judgement.value, "bevinding": finding or None},
                 actor=actor)
    return item


# --- evidence ------------------------------------------------------------------------------------------------

EVIDENCE_TYPES = FILE_TYPES


def evidence_store() -> ContentStore:
    return store_for("EVIDENCE_STORE_DIR", label="de opslag van bewijsstukken")


def sniff_evidence(data: bytes, file_name: str) -> str:
    """The content type by the bytes (core's ``sniff_file``)."""
    return sniff_file(data, file_name, field="bestand")


def _evidence_common(item: InspectionItem, *, description: str | None, obtained_how: ObtainedHow | str,
                     obtained_on: date | None) -> tuple[str, ObtainedHow, date]:
    _editable(item.inspection)
    description = _plain(description, limit=DESCRIPTION_MAX, what="De omschrijving", field="omschrijving")
    try:
        how = ObtainedHow.from_value(str(obtained_how))
    except ValueError:
        raise ServiceError("Geef aan hoe het bewijs is verkregen.", field="wijze") from None
    day = obtained_on or today_local()
    if day > today_local():
        raise ServiceError("De datum van verkrijging ligt in de toekomst.", field="verkregen_op")
    if day < WKI_IN_FORCE - timedelta(days=366 * 2):
        raise ServiceError("De datum van verkrijging ligt onwaarschijnlijk ver terug.", field="verkregen_op")
    return description, how, day


def _add_evidence(item: InspectionItem, evidence: Evidence, *, actor: Actor, details: dict[str, Any]) -> Evidence:
    db.session.add(evidence)
    db.session.flush()
    _content_changed(item.inspection, actor=actor)
    db.session.refresh(item)
    audit.record(SupervisionAction.EVIDENCE_ADDED, object_type=OBJECT_TYPE, object_id=item.inspection_id,
                 after={"eis": item.requirement.code, "soort": evidence.kind.value, **details}, actor=actor)
    return evidence


@service
def add_file_evidence(item_id: int, *, data: bytes, file_name: str, actor: Actor, description: str | None = None,
                      obtained_how: ObtainedHow | str = ObtainedHow.REQUEST,
                      obtained_on: date | None = None) -> Evidence:
    """A file as evidence: type checked by its bytes, size-limited, stored by SHA-256."""
    item = get_item(item_id)
    description, how, day = _evidence_common(item, description=description, obtained_how=obtained_how,
                                             obtained_on=obtained_on)
    check_upload_size(data, limit=int(current_app.config["EVIDENCE_MAX_BYTES"]), what="Het bestand",
                      field="bestand")
    content_type = sniff_evidence(data, file_name)
    sha256 = evidence_store().put(data)
    evidence = Evidence(item_id=item.id, kind=EvidenceKind.FILE, description=description, obtained_how=how,
                        obtained_on=day, sha256=sha256,
                        file_name=stored_file_name(file_name, default="bewijs", extension=EVIDENCE_TYPES[content_type]),
                        content_type=content_type, size=len(data), created_by_id=actor.user_id,
                        created_by=actor.label)
    return _add_evidence(item, evidence, actor=actor,
                         details={"bestand": evidence.file_name, "sha256": sha256, "grootte": len(data)})


@service
def add_signal_evidence(item_id: int, *, signal_id: int, actor: Actor, description: str | None = None) -> Evidence:
    """A signal as evidence (a link, not a copy)."""
    from wki.signals import queries as signals

    item = get_item(item_id)
    description, how, day = _evidence_common(item, description=description, obtained_how=ObtainedHow.SIGNAL,
                                             obtained_on=None)
    facts = signals.get_signal_facts(signal_id)
    if facts is None:
        raise ServiceError(f"Signaal {signal_id} bestaat niet.", field="signaal")
    if any(e.signal_id == signal_id for e in item.evidence):
        raise ServiceError(f"Signaal {facts.referentie} is al bewijs bij deze eis.", field="signaal")
    evidence = Evidence(item_id=item.id, kind=EvidenceKind.SIGNAL, description=description or
                        f"Signaal {facts.referentie} ({facts.bron_label}, {fmt_date(facts.reference_date)})",
                        obtained_how=how, obtained_on=day, signal_id=signal_id, created_by_id=actor.user_id,
                        created_by=actor.label)
    return _add_evidence(item, evidence, actor=actor, details={"signaal": signal_id})


@service
def add_register_evidence(item_id: int, *, as_of: date, actor: Actor, description: str | None = None) -> Evidence:
    """The register's entry for the inspected registration as it stood on ``as_of``, as evidence."""
    item = get_item(item_id)
    description, how, day = _evidence_common(item, description=description, obtained_how=ObtainedHow.REGISTER,
                                             obtained_on=None)
    if as_of > today_local():
        raise ServiceError("De peildatum ligt in de toekomst.", field="peildatum")
    held = register.registration_on(item.inspection.registratienummer, as_of)
    if held.version is None:
        raise ServiceError(f"Het register kende registratie {item.inspection.registratienummer} niet op "
                           f"{fmt_date(as_of)}.", field="peildatum")
    state = "geldig" if held.valid else "niet geldig"
    evidence = Evidence(item_id=item.id, kind=EvidenceKind.REGISTER, description=description or
                        f"Registergegevens op {fmt_date(as_of)} ({state})", obtained_how=how, obtained_on=day,
                        register_as_of=as_of, created_by_id=actor.user_id, created_by=actor.label)
    return _add_evidence(item, evidence, actor=actor, details={"register_op": as_of})


@service
def remove_evidence(evidence_id: int, *, actor: Actor) -> InspectionItem:
    """Take a piece of evidence off the checklist. The row stays, marked removed (by whom, when), and so does
    its file: nothing gathered is lost, and the audit trail says what it was."""
    evidence = get_evidence(evidence_id)
    if evidence.removed_at is not None:
        return evidence.item  # removed already: a second click changes nothing
    item = evidence.item
    _editable(item.inspection)
    details = {"eis": item.requirement.code, "soort": evidence.kind.value, "bestand": evidence.file_name,
               "sha256": evidence.sha256, "signaal": evidence.signal_id, "register_op": evidence.register_as_of,
               "omschrijving": evidence.description}
    evidence.removed_at = utcnow()
    evidence.removed_by = actor.label
    db.session.flush()
    db.session.refresh(item)
    _content_changed(item.inspection, actor=actor)
    audit.record(SupervisionAction.EVIDENCE_REMOVED, object_type=OBJECT_TYPE, object_id=item.inspection_id,
                 before=details, actor=actor)
    return item


@service
def evidence_file(evidence_id: int, *, actor: Actor) -> tuple[bytes, Evidence]:
    """The stored bytes of a file (verified against its SHA-256); every download is audited."""
    evidence = get_evidence(evidence_id)
    if evidence.kind != EvidenceKind.FILE or not evidence.sha256:
        raise NotFoundError("Dit bewijs is geen bestand.")
    data = evidence_store().get(evidence.sha256)
    audit.record(SupervisionAction.EVIDENCE_DOWNLOADED, object_type=OBJECT_TYPE, object_id=evidence.item.inspection_id,
                 after={"bestand": evidence.file_name, "sha256": evidence.sha256}, actor=actor)
    return data, evidence


def purge_orphan_evidence(*, older_than_hours: int = 24) -> int:
    """Remove stored files no evidence row names (an upload whose transaction was rolled back; removed
    evidence keeps its row and so its file). Files younger than a day are left: they may belong to a request
    still running."""
    known = {sha for sha in db.session.scalars(sa.select(Evidence.sha256)) if sha}
    return purge_unreferenced(evidence_store(), known, older_than_hours=older_than_hours)


# --- automatic checks and the staff list ----------------------------------------------------------------------

def _items_by_code(inspection: Inspection) -> dict[str, InspectionItem]:
    return {item.requirement.code: item for item in inspection.items}


def _propose(item: InspectionItem, proposal: dict[str, Any]) -> None:
    """A proposal is advice beside the checklist, not its content: it does not void an approval."""
    item.proposal = {**proposal, "op": utcnow().isoformat(timespec="seconds")}


@service
def run_checks(inspection_id: int, *, actor: Actor) -> list[str]:
    """Run the register and signal checks; each in-scope requirement they cover gets a proposal."""
    from wki.supervision.checks import automatic_proposals

    inspection = get_inspection(inspection_id)
    _editable(inspection)
    proposals = automatic_proposals(inspection.registratienummer, inspection.inspectiedatum)
    by_code = _items_by_code(inspection)
    done = []
    for code, proposal in proposals.items():
        item = by_code.get(code)
        if item is not None and item.requirement.automatische_controle == proposal.source:
            _propose(item, proposal.as_dict())
            done.append(code)
    with flush_versioned("de checklist"):
        pass
    audit.record(SupervisionAction.CHECKS_RUN, object_type=OBJECT_TYPE, object_id=inspection.id,
                 after={"voorstellen": done}, actor=actor)
    return done


STAFF_REQUIREMENTS = ("VOG_MEDEWERKER", "OPLEIDING_MEDEWERKER", "OPLEIDING_LEIDINGGEVENDE_ZZP", "PERMANENTE_EDUCATIE")


@service
def check_staff(inspection_id: int, *, data: bytes, file_name: str, actor: Actor) -> dict[str, Any]:
    """Check a staff list as of the inspection date: its findings become proposals on the staff requirements
    in scope, and the file becomes evidence on each of them (once: the same list again adds nothing)."""
    from wki.supervision.staff import StaffListError, check_staff_list

    inspection = get_inspection(inspection_id)
    _editable(inspection)
    by_code = _items_by_code(inspection)
    in_scope = [code for code in STAFF_REQUIREMENTS if code in by_code]
    if not in_scope:
        raise ServiceError("Geen van de personeelseisen (VOG, opleiding, bijscholing) valt binnen deze inspectie.")
    if not data:
        raise ServiceError("De personeelslijst is leeg.", field="personeelslijst")
    try:
        result = check_staff_list(data, as_of=inspection.inspectiedatum)
    except StaffListError as exc:
        raise ServiceError("De personeelslijst is niet aangenomen: " + str(exc), field="personeelslijst") from None
    proposals = result.proposals()
    for code in in_scope:
        proposal = proposals.get(code)
        if proposal is not None:
            _propose(by_code[code], {"judgement": proposal.judgement, "reasons": list(proposal.reasons),
                                     "source": "personeel"})
    stored_name = Path(file_name or "personeelslijst.csv").name[:200]
    summary = {
        "bestand": stored_name, "peildatum": inspection.inspectiedatum.isoformat(),
        "personen": result.people, "door": actor.label, "door_id": actor.user_id,
        "bevindingen": [{"naam": f.naam, "eis": f.eis, "bevinding": f.bevinding, "toelichting": f.toelichting}
                        for f in result.findings],
    }
    sha256 = content_hash(data)
    for code in in_scope:
        if any(e.sha256 == sha256 for e in by_code[code].evidence):
            continue  # this very list is evidence here already (checked before)
        add_file_evidence(by_code[code].id, data=data, file_name=stored_name, actor=actor,
                          description="Personeelslijst, gecontroleerd op "
                                      f"{fmt_date(inspection.inspectiedatum)}", obtained_how=ObtainedHow.REQUEST)
    with flush_versioned("de inspectie"):
        inspection.staff_check = summary
    audit.record(SupervisionAction.STAFF_CHECKED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 after={"bestand": summary["bestand"], "personen": result.people,
                        "bevindingen": len(result.findings)}, actor=actor)
    return summary


# --- review -----------------------------------------------------------------------------------------------------

@service
def submit_for_review(inspection_id: int, *, version: int | None, actor: Actor) -> Inspection:
    inspection = get_inspection(inspection_id)
    check_version(inspection, version, what="de inspectie")
    INSPECTION_FLOW.step(inspection.status, ST.IN_REVIEW)
    problems = completeness(inspection)
    if problems:
        raise ServiceError("De checklist is nog niet compleet: " + " ".join(problems))
    if inspection.reviewer_id is None:
        raise ServiceError("Kies eerst een reviewer: een collega-inspecteur die niet aan de inspectie meewerkte.",
                           field="reviewer")
    if inspection.reviewer_id in authors(inspection):
        raise ServiceError("De gekozen reviewer werkte aan de inspectie mee; kies een andere reviewer (vier ogen).",
                           field="reviewer")
    INSPECTION_FLOW.transition(inspection, ST.IN_REVIEW, actor=actor, details={"inhoud_sha256": checklist_hash(inspection)})
    inspection.submitted_at = utcnow()
    db.session.flush()
    return inspection


def _reviewer_may_act(inspection: Inspection, actor: Actor, what: str) -> None:
    if inspection.status != ST.IN_REVIEW:
        raise ServiceError(f"De inspectie is {inspection.status.label.lower()}, niet ter review: {what} kan nu niet.")
    if actor.user_id is None:
        raise ServiceError(f"Alleen een persoon kan {what}.")
    if actor.user_id in authors(inspection):
        raise ServiceError(f"U werkte aan deze inspectie mee en kunt haar niet zelf beoordelen (vier ogen); {what} "
                           "is aan de reviewer.")
    if inspection.reviewer_id is not None and actor.user_id != inspection.reviewer_id:
        raise ServiceError(f"Alleen de aangewezen reviewer kan {what}.")


@service
def return_inspection(inspection_id: int, *, comment: str, actor: Actor) -> Inspection:
    """The reviewer sends it back with comments; an approval given before is void."""
    inspection = get_inspection(inspection_id)
    _reviewer_may_act(inspection, actor, "terugsturen")
    comment = _plain(comment, limit=COMMENT_MAX, what="De opmerking", field="opmerking")
    if not comment:
        raise ServiceError("Schrijf op wat er moet veranderen.", field="opmerking")
    db.session.add(InspectionReview(inspection_id=inspection.id, decision=ReviewDecision.RETURNED, comment=comment,
                                    content_sha256=checklist_hash(inspection), reviewer_id=actor.user_id,
                                    reviewer=actor.label))
    void_approvals(OBJECT_TYPE, inspection.id, reason="Teruggestuurd door de reviewer.", actor=actor,
                   action=SupervisionAction.APPROVAL_VOIDED)
    audit.record(SupervisionAction.RETURNED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 after={"opmerking": comment}, actor=actor)
    INSPECTION_FLOW.transition(inspection, ST.IN_PROGRESS, actor=actor, reason=comment)
    return inspection


@service
def approve_inspection(inspection_id: int, *, content_sha256: str, actor: Actor,
                       comment: str | None = None) -> Inspection:
    """The reviewer approves exactly the content they saw (``content_sha256`` from the page they read)."""
    inspection = get_inspection(inspection_id)
    _reviewer_may_act(inspection, actor, "goedkeuren")
    problems = completeness(inspection)
    if problems:
        raise ServiceError("De checklist is niet compleet: " + " ".join(problems))
    current = checklist_hash(inspection)
    if content_sha256 != current:
        raise ServiceError("De checklist is gewijzigd terwijl u haar las. Bekijk de nieuwe stand en keur die goed.")
    comment = _plain(comment, limit=COMMENT_MAX, what="De opmerking", field="opmerking")
    approve(object_type=OBJECT_TYPE, object_id=inspection.id, content_sha256=current, authors=authors(inspection),
            actor=actor, action=SupervisionAction.APPROVED, what="de inspectie")
    db.session.add(InspectionReview(inspection_id=inspection.id, decision=ReviewDecision.APPROVED,
                                    comment=comment, content_sha256=current, reviewer_id=actor.user_id or 0,
                                    reviewer=actor.label))
    db.session.flush()
    return inspection


# --- the report ------------------------------------------------------------------------------------------------

def findings_rows(inspection: Inspection) -> list[dict[str, Any]]:
    """The checklist as plain rows for the report's block and for enforcement (which carries findings over)."""
    return [
        {"eis": item.requirement.code, "titel": item.requirement.titel,
         "artikelen": ", ".join(item.requirement.artikelen), "oordeel": item.judgement.value,
         "oordeel_label": item.judgement.label, "bevinding": item.finding or "",
         "bewijs": len(item.evidence)}
        for item in inspection.items
    ]


def render_findings_block(value: Any) -> str:
    """The block ``bevindingen`` of the inspection report: one row per requirement (trusted HTML)."""
    rows = value if isinstance(value, list) else []
    if not rows:
        raise ServiceError("Het rapport heeft geen bevindingen.")
    cells = []
    for row in rows:
        cells.append(
            "<tr><td>{titel}<br><span class=\"klein\">{eis}{artikelen}</span></td><td class=\"oordeel\">{oordeel}</td>"
            "<td>{bevinding}</td></tr>".format(
                titel=escape(row.get("titel", "")), eis=escape(row.get("eis", "")),
                artikelen=escape(f" · {row['artikelen']}") if row.get("artikelen") else "",
                oordeel=escape(row.get("oordeel_label", "")), bevinding=escape(row.get("bevinding", "")) or "—"))
    return ("<table class=\"blok\"><thead><tr><th scope=\"col\">Kwaliteitseis</th><th scope=\"col\">Oordeel</th>"
            "<th scope=\"col\">Bevinding</th></tr></thead><tbody>" + "".join(cells) + "</tbody></table>")


documents.register_block("bevindingen", "Bevindingen per kwaliteitseis", render_findings_block)


@service
def issue_report(inspection_id: int, *, actor: Actor) -> Inspection:
    """Issue the inspection report (letter type ``inspectierapport``) and close the inspection; only while
    a colleague's approval covers exactly the current checklist."""
    inspection = get_inspection(inspection_id)
    INSPECTION_FLOW.step(inspection.status, ST.DONE)
    if approval_of(inspection) is None:
        raise ServiceError("Het rapport kan niet worden uitgegeven: de goedkeuring van een collega ontbreekt of is "
                           "vervallen omdat de checklist daarna is gewijzigd.")
    document = documents.issue_document(
        letter_type=documents.require_letter_type("inspectierapport"), recipient=_recipient(inspection),
        actor=actor, extra_values={"inspectiedatum": fmt_date(inspection.inspectiedatum)},
        block_values={"bevindingen": findings_rows(inspection)})
    inspection.report_kenmerk = document.kenmerk
    inspection.completed_at = utcnow()
    INSPECTION_FLOW.transition(inspection, ST.DONE, actor=actor, details={"rapport": document.kenmerk})
    audit.record(SupervisionAction.REPORT_ISSUED, object_type=OBJECT_TYPE, object_id=inspection.id,
                 after={"kenmerk": document.kenmerk, "inhoud_sha256": checklist_hash(inspection)}, actor=actor)
    return inspection


# --- lists ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InspectionFilter:
    status: str | None = None
    registratienummer: str | None = None
    mine: int | None = None  # a user id: inspections they do or review


def search_stmt(f: InspectionFilter) -> sa.Select[tuple[Inspection]]:
    stmt = sa.select(Inspection)
    if f.status:
        stmt = stmt.where(Inspection.status == f.status)
    if f.registratienummer:
        stmt = stmt.where(Inspection.registratienummer == f.registratienummer)
    if f.mine is not None:
        stmt = stmt.where(sa.or_(Inspection.inspector_id == f.mine, Inspection.reviewer_id == f.mine))
    return stmt.order_by(Inspection.created_at.desc(), Inspection.id.desc())


def search(f: InspectionFilter, *, page: int = 1, per_page: int = 50) -> Any:
    return db.paginate(search_stmt(f), page=page, per_page=per_page, error_out=False)


def inspections_of(registratienummer: str) -> list[Inspection]:
    return list(db.session.scalars(search_stmt(InspectionFilter(registratienummer=registratienummer))))


def outcome_counts(inspection_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per inspection, how many requirements got each judgement (one query)."""
    ids = list(inspection_ids)
    result: dict[int, dict[str, int]] = {i: {} for i in ids}
    if not ids:
        return result
    for inspection_id, judgement, count in db.session.execute(
            sa.select(InspectionItem.inspection_id, InspectionItem.judgement, sa.func.count())
            .where(InspectionItem.inspection_id.in_(ids))
            .group_by(InspectionItem.inspection_id, InspectionItem.judgement)):
        result[inspection_id][str(judgement)] = count
    return result
