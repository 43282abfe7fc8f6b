"""The procedure of a case after it is opened: the intention and the party's view (Awb 4:8), the caution
and the report of a fine (Awb 5:10a, 5:51: the decision within 13 weeks of the report), the terms of a
penalty order (5:32a–5:32b), its check after the grace period and the forfeiture, the documents' effects on
the case (status and deadlines), and objections judged on time or late (Awb 6:7–6:9).

What each document does when it is issued (``issue_case_document``):
- the intention: the case waits for the view; the view period starts the day after dispatch (default two
  weeks, the intention's own period when it names one);
- a penalty order or fine decision: the case is decided; the objection period (six weeks) starts the day
  after dispatch; a penalty order's grace period too; a fine decision ends the 13-week period;
- a collection decision: its own objection period;
- a warning, a request to Justis, a report to the prosecutor, a referral: the case is decided (no objection:
  these are no besluiten).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app

from wki.core import audit
from wki.core import deadlines as engine
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.csvio import parse_amount
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.service import service
from wki.core.storage import ContentStore, check_upload_size, purge_unreferenced, store_for, stored_file_name
from wki.core.uploads import FILE_TYPES, sniff_file
from wki.core.workflow import flush_versioned
from wki.enforcement import cases, timelimits
from wki.enforcement.audit_actions import EnforcementAction
from wki.enforcement.instruments import NEEDS_INTENTION
from wki.enforcement.models import (
    Case,
    CaseAttachment,
    CaseDocument,
    CaseStatus,
    CaseStep,
    CheckResult,
    DeadlineKind,
    DeadlineStatus,
    DocumentKind,
    DocumentStatus,
    Instrument,
    PenaltyForm,
    PenaltyOrder,
    StepKind,
)

ST = CaseStatus
OBJECT_TYPE = "enforcement_case"
VIEW_PERIOD_DEFAULT = "2w"
OBJECTION_PERIOD = "6w"  # Awb 6:7
FINE_DECISION_PERIOD = "13w"  # Awb 5:51 lid 1
MONEY_MAX = Decimal("100000000")
# Kinds that are besluiten: the objection period starts when they are sent.
OBJECTABLE = frozenset({DocumentKind.PENALTY_ORDER, DocumentKind.FINE, DocumentKind.COLLECTION})
DECISIONS = frozenset({DocumentKind.PENALTY_ORDER, DocumentKind.FINE, DocumentKind.WARNING,
                       DocumentKind.STRIKE_REQUEST, DocumentKind.CRIMINAL_REPORT, DocumentKind.REFERRAL})
VIEW_FORMS = {"schriftelijk": "Schriftelijk", "mondeling": "Mondeling"}


def case_store() -> ContentStore:
    return store_for("CASE_STORE_DIR", label="de opslag van zaakstukken")


# --- which document fits now ----------------------------------------------------------------------------

def document_kind_allowed(case: Case, kind: DocumentKind) -> str | None:
    """Why this document cannot be made now (Dutch), or None when it can."""
    from wki.enforcement.instruments import DOCUMENT_FOR

    if kind is DocumentKind.COLLECTION:
        order = case.penalty_order
        if case.status not in (ST.DECIDED, ST.OBJECTION) or order is None or not order.forfeited:
            return "Een invorderingsbesluit volgt pas als bij de controle een dwangsom is verbeurd."
        return None
    if case.instrument is None:
        return "Kies eerst het instrument."
    if kind is DocumentKind.INTENTION:
        if case.instrument not in NEEDS_INTENTION:
            return f"Voor een {case.instrument.label.lower()} is geen voornemen nodig."
        if case.status is not ST.INVESTIGATION:
            return "Het voornemen hoort bij het onderzoek; deze zaak is verder."
        if case.instrument is Instrument.FINE and not cases.has_step(case, StepKind.REPORT):
            return "Leg eerst het rapport van de overtreding vast (de 13 weken voor het boetebesluit lopen vanaf het rapport)."
        if case.instrument is Instrument.PENALTY_ORDER and case.penalty_order is None:
            return "Leg eerst de last vast (maatregelen, begunstigingstermijn, dwangsom en maximum)."
        return None
    if DOCUMENT_FOR.get(case.instrument) is not kind:
        return f"Dit document past niet bij het gekozen instrument ({case.instrument.label.lower()})."
    if case.status is not ST.DECIDING:
        if case.instrument in NEEDS_INTENTION:
            return "Het besluit volgt na het voornemen en de zienswijze (of het uitblijven ervan)."
        return "Zet de zaak eerst naar besluitvorming."
    if kind is DocumentKind.PENALTY_ORDER and case.penalty_order is None:
        return "Leg eerst de last vast (maatregelen, begunstigingstermijn, dwangsom en maximum)."
    if kind is DocumentKind.FINE and not (case.fine_inputs or {}).get("berekening"):
        return "Bereken eerst de boete."
    return None


def require_document_kind(case: Case, kind: DocumentKind) -> None:
    reason = document_kind_allowed(case, kind)
    if reason is not None:
        raise ServiceError(f"{kind.label} kan nu niet: {reason} Er is niets gewijzigd.")


# --- moving on without an intention ---------------------------------------------------------------------

@service
def to_deciding(case_id: int, *, actor: Actor, expected_version: int | None = None) -> Case:
    """From investigation to deciding, for an instrument that needs no intention (a warning, a request to
    Justis, a report to the prosecutor, a referral)."""
    case = cases.get_case(case_id)
    cases.check_current(case, expected_version)
    if case.instrument is None:
        raise ServiceError("Kies eerst het instrument. Er is niets gewijzigd.")
    if case.instrument in NEEDS_INTENTION:
        raise ServiceError(f"Voor een {case.instrument.label.lower()} gaat eerst een voornemen uit, met de "
                           "gelegenheid tot een zienswijze (artikel 4:8 Awb). Er is niets gewijzigd.")
    if case.instrument is Instrument.CONVERSATION:
        raise ServiceError("Na een normoverdragend gesprek volgt geen besluit: leg het gesprek vast en rond de zaak "
                           "af. Er is niets gewijzigd.")
    cases.move(case, ST.DECIDING, actor=actor)
    return case


# --- attachments ----------------------------------------------------------------------------------------

def _store_attachments(step: CaseStep, files: Sequence[tuple[str, bytes]], *, actor: Actor) -> None:
    limit = int(current_app.config["EVIDENCE_MAX_BYTES"])
    for file_name, data in files:
        if not data:
            raise ServiceError(f"Het bestand '{file_name}' is leeg.", field="bijlagen")
        check_upload_size(data, limit=limit, what=f"Het bestand '{file_name}'", field="bijlagen")
        content_type = sniff_file(data, file_name, field="bijlagen")
        sha = case_store().put(data)
        db.session.add(CaseAttachment(step_id=step.id, sha256=sha, content_type=content_type, size=len(data),
                                      file_name=stored_file_name(file_name, default="bijlage",
                                                                 extension=FILE_TYPES[content_type]),
                                      created_by=actor.label))


def get_attachment(case: Case, attachment_id: int) -> CaseAttachment:
    attachment = db.session.get(CaseAttachment, attachment_id)
    step = db.session.get(CaseStep, attachment.step_id) if attachment is not None else None
    if attachment is None or step is None or step.case_id != case.id:
        raise NotFoundError("Deze bijlage hoort niet bij deze zaak.")
    return attachment


@service
def attachment_bytes(case_id: int, attachment_id: int, *, actor: Actor) -> tuple[CaseAttachment, bytes]:
    case = cases.get_case(case_id)
    attachment = get_attachment(case, attachment_id)
    data = case_store().get(attachment.sha256)
    audit.record(EnforcementAction.ATTACHMENT_DOWNLOADED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"bijlage": attachment.id, "bestand": attachment.file_name}, actor=actor)
    return attachment, data


def purge_orphan_attachments() -> int:
    import sqlalchemy as sa

    known = set(db.session.scalars(sa.select(CaseAttachment.sha256)))
    return purge_unreferenced(case_store(), known)


# --- the view (zienswijze) ------------------------------------------------------------------------------

@service
def record_view(case_id: int, *, received_on: date | None, form: str, summary: str, actor: Actor,
                files: Sequence[tuple[str, bytes]] = ()) -> CaseStep:
    """The party's view on the intention (written or oral: a summary, attachments); the case goes on to the
    decision. A view after the period is recorded as late (it may still be weighed)."""
    case = cases.get_case(case_id)
    if case.status is not ST.INTENTION:
        raise ServiceError("Een zienswijze hoort bij een verzonden voornemen; deze zaak wacht daar niet op. Er is "
                           "niets gewijzigd.")
    if form not in VIEW_FORMS:
        raise ServiceError("Kies of de zienswijze schriftelijk of mondeling is gegeven.", field="form")
    period = timelimits.running_of_kind(case, DeadlineKind.VIEW)
    sent = period.event_date if period is not None else case.opened_on
    day = cases.check_day(received_on, what="de datum van ontvangst", field="received_on", not_before=sent)
    text = cases.text_field(summary, what="De samenvatting", field="summary", required=True)
    late = period is not None and day > period.end_date
    step = cases.add_step(case, StepKind.VIEW, actor=actor, day=day, text=text,
                          data={"vorm": form, "te_laat": late,
                                "termijn_tot": period.end_date.isoformat() if period else None})
    _store_attachments(step, files, actor=actor)
    if period is not None:
        timelimits.end(period, status=DeadlineStatus.MET, actor=actor, reason="zienswijze ontvangen")
    audit.record(EnforcementAction.STEP_RECORDED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"stap": StepKind.VIEW.value, "vorm": form, "ontvangen": day, "te_laat": late,
                        "bijlagen": len(files)}, actor=actor)
    cases.move(case, ST.DECIDING, actor=actor, reason="Zienswijze ontvangen")
    return step


@service
def record_no_view(case_id: int, *, actor: Actor) -> CaseStep:
    """No view came: only after the view period ended; the case goes on to the decision."""
    case = cases.get_case(case_id)
    if case.status is not ST.INTENTION:
        raise ServiceError("Deze zaak wacht niet op een zienswijze. Er is niets gewijzigd.")
    period = timelimits.running_of_kind(case, DeadlineKind.VIEW)
    today = today_local()
    if period is not None and today <= period.end_date:
        raise ServiceError(f"De termijn voor de zienswijze loopt nog tot en met {fmt_date(period.end_date)}; pas "
                           "daarna kan worden vastgelegd dat er geen zienswijze kwam. Er is niets gewijzigd.")
    step = cases.add_step(case, StepKind.NO_VIEW, actor=actor, day=today,
                          text="Binnen de termijn is geen zienswijze ontvangen.",
                          data={"termijn_tot": period.end_date.isoformat() if period else None})
    if period is not None:
        timelimits.end(period, status=DeadlineStatus.MET, actor=actor, reason="geen zienswijze ontvangen")
    audit.record(EnforcementAction.STEP_RECORDED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"stap": StepKind.NO_VIEW.value}, actor=actor)
    cases.move(case, ST.DECIDING, actor=actor, reason="Geen zienswijze ontvangen")
    return step


# --- conversation, caution, report ----------------------------------------------------------------------

@service
def record_conversation(case_id: int, *, day: date | None, summary: str, actor: Actor,
                        files: Sequence[tuple[str, bytes]] = ()) -> CaseStep:
    case = cases.get_case(case_id)
    if case.instrument is not Instrument.CONVERSATION or case.status is not ST.INVESTIGATION:
        raise ServiceError("Een normoverdragend gesprek wordt vastgelegd in een zaak in onderzoek met dat "
                           "instrument. Er is niets gewijzigd.")
    held = cases.check_day(day, what="de datum van het gesprek", field="day")
    text = cases.text_field(summary, what="Het verslag", field="summary", required=True)
    step = cases.add_step(case, StepKind.CONVERSATION, actor=actor, day=held, text=text)
    _store_attachments(step, files, actor=actor)
    audit.record(EnforcementAction.STEP_RECORDED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"stap": StepKind.CONVERSATION.value, "datum": held}, actor=actor)
    return step


@service
def record_caution(case_id: int, *, day: date | None, person: str, text: str, actor: Actor) -> CaseStep:
    """The caution (Awb 5:10a) given before statements were taken with a view to a fine."""
    case = cases.get_case(case_id)
    cases.require_open(case, "een cautie vastleggen")
    if case.instrument is not Instrument.FINE:
        raise ServiceError("De cautie hoort bij een zaak met het instrument bestuurlijke boete. Er is niets "
                           "gewijzigd.")
    given = cases.check_day(day, what="de datum van de cautie", field="day")
    who = cases.text_field(person, what="Aan wie de cautie is gegeven", field="person", limit=300, required=True)
    note = cases.text_field(text, what="De toelichting", field="text", limit=cases.SHORT_MAX)
    step = cases.add_step(case, StepKind.CAUTION, actor=actor, day=given, text=note, data={"aan": who})
    audit.record(EnforcementAction.STEP_RECORDED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"stap": StepKind.CAUTION.value, "datum": given, "aan": who}, actor=actor)
    return step


@service
def record_report(case_id: int, *, day: date | None, text: str, actor: Actor) -> CaseStep:
    """The report (rapport) of the breach: its date starts the 13 weeks within which the fine decision must
    follow (Awb 5:51 lid 1). A second report replaces the period (with a note)."""
    case = cases.get_case(case_id)
    cases.require_open(case, "een rapport vastleggen")
    if case.instrument is not Instrument.FINE:
        raise ServiceError("Het rapport hoort bij een zaak met het instrument bestuurlijke boete. Er is niets "
                           "gewijzigd.")
    if case.status not in (ST.INVESTIGATION, ST.INTENTION, ST.DECIDING):
        raise ServiceError("Na het besluit wordt geen rapport meer vastgelegd. Er is niets gewijzigd.")
    drawn = cases.check_day(day, what="de datum van het rapport", field="day")
    note = cases.text_field(text, what="De samenvatting van het rapport", field="text", required=True)
    step = cases.add_step(case, StepKind.REPORT, actor=actor, day=drawn, text=note)
    timelimits.start(case, DeadlineKind.FINE_DECISION, event_date=drawn, period=FINE_DECISION_PERIOD, actor=actor)
    audit.record(EnforcementAction.STEP_RECORDED, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"stap": StepKind.REPORT.value, "datum": drawn}, actor=actor)
    return step


# --- penalty order --------------------------------------------------------------------------------------

def _money(value: Any, *, what: str, field: str) -> Decimal:
    """An amount in euros as people type it ("1.250,50", "1250.50", "€ 500", core's ``parse_amount``) or as a
    Decimal; a bare "25.000" is twenty-five thousand here, as a Dutch officer writes it."""
    text = str(value if value is not None else "").replace("€", "").replace(" ", "").strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        amount = parse_amount(text)
    except ValueError:
        raise ServiceError(f"{what} is geen bedrag.", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount >= MONEY_MAX:
        raise ServiceError(f"{what} moet een bedrag groter dan nul zijn.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ServiceError(f"{what} heeft meer dan twee decimalen.", field=field)
    return amount.quantize(Decimal("0.01"))


@service
def set_penalty_terms(case_id: int, *, measures: str, grace_period: str, form: PenaltyForm | str,
                      amount: Any, ceiling: Any, actor: Actor) -> PenaltyOrder:
    """The order's terms (Awb 5:32a: the measures and the grace period; 5:32b: the form, the amount and the
    ceiling); changeable until the decision is issued."""
    case = cases.get_case(case_id)
    if case.instrument is not Instrument.PENALTY_ORDER:
        raise ServiceError("Kies eerst het instrument last onder dwangsom. Er is niets gewijzigd.")
    if case.status not in (ST.INVESTIGATION, ST.INTENTION, ST.DECIDING):
        raise ServiceError("De last ligt vast zodra het besluit is verzonden. Er is niets gewijzigd.")
    what = cases.text_field(measures, what="De last (wat moet gebeuren)", field="measures", required=True)
    period = str(engine.Period.parse(grace_period))
    try:
        chosen = form if isinstance(form, PenaltyForm) else PenaltyForm.from_value(form)
    except ValueError:
        raise ServiceError("Kies de vorm van de dwangsom.", field="form") from None
    per = _money(amount, what="De dwangsom", field="amount")
    cap = _money(ceiling, what="Het maximum", field="ceiling")
    if cap < per:
        raise ServiceError("Het maximum is lager dan de dwangsom zelf.", field="ceiling")
    if chosen is PenaltyForm.LUMP_SUM and cap != per:
        raise ServiceError("Bij een dwangsom ineens is het maximum gelijk aan het bedrag.", field="ceiling")
    order = case.penalty_order
    before = None
    if order is None:
        order = PenaltyOrder(case_id=case.id, measures=what, grace_period=period, form=chosen, amount=per,
                             ceiling=cap)
        db.session.add(order)
        case.penalty_order = order
    else:
        before = {"last": order.measures, "begunstiging": order.grace_period, "vorm": order.form.value,
                  "bedrag": order.amount, "maximum": order.ceiling}
        order.measures, order.grace_period, order.form, order.amount, order.ceiling = what, period, chosen, per, cap
    order.updated_at = utcnow()
    db.session.flush()
    audit.record(EnforcementAction.PENALTY_TERMS, object_type=OBJECT_TYPE, object_id=case.id, before=before,
                 after={"last": what, "begunstiging": period, "vorm": chosen.value, "bedrag": per, "maximum": cap},
                 actor=actor)
    return order


def forfeiture(order: PenaltyOrder, *, checked_on: date, result: CheckResult, complied_on: date | None,
               breaches: int | None) -> tuple[Decimal, list[str]]:
    """What was forfeited, with the calculation in Dutch steps (nothing when complied within the grace
    period). Per day: every day (or part of one) after the grace period without compliance, until compliance
    or, without it, through the check day; per breach: the breaches found; lump sum: the amount; never more
    than the ceiling (Awb 5:32b lid 2)."""
    assert order.grace_end is not None
    steps = [f"De begunstigingstermijn eindigde op {fmt_date(order.grace_end)}."]
    if result is CheckResult.COMPLIED and (complied_on is None or complied_on <= order.grace_end):
        steps.append("Binnen de begunstigingstermijn is aan de last voldaan: er is niets verbeurd.")
        return Decimal("0.00"), steps
    if order.form is PenaltyForm.PER_DAY:
        until = complied_on if result is CheckResult.COMPLIED and complied_on else checked_on
        days = max((until - order.grace_end).days, 0)
        total = order.amount * days
        steps.append(f"{'Voldaan op ' + fmt_date(until) if result is CheckResult.COMPLIED else 'Bij de controle op ' + fmt_date(until) + ' niet voldaan'}: "
                     f"{days} dag{'en' if days != 1 else ''} zonder naleving × € {order.amount:.2f} = € {total:.2f}.")
    elif order.form is PenaltyForm.PER_BREACH:
        count = breaches or 0
        total = order.amount * count
        steps.append(f"{count} overtreding{'en' if count != 1 else ''} na de begunstigingstermijn × "
                     f"€ {order.amount:.2f} = € {total:.2f}.")
    else:
        total = order.amount
        steps.append(f"Niet tijdig aan de last voldaan: de dwangsom ineens van € {order.amount:.2f}.")
    if total > order.ceiling:
        steps.append(f"Begrensd op het maximum van € {order.ceiling:.2f} (artikel 5:32b lid 2 Awb).")
        total = order.ceiling
    steps.append(f"Verbeurd: € {total:.2f}.")
    return total.quantize(Decimal("0.01")), steps


@service
def record_check(case_id: int, *, checked_on: date | None, result: CheckResult | str, note: str, actor: Actor,
                 complied_on: date | None = None, breaches: int | None = None) -> PenaltyOrder:
    """The check after the grace period: complied or not; what was forfeited follows (``forfeiture``)."""
    case = cases.get_case(case_id)
    order = case.penalty_order
    if order is None or order.grace_end is None or case.status not in (ST.DECIDED, ST.OBJECTION):
        raise ServiceError("De controle volgt op een verzonden last onder dwangsom. Er is niets gewijzigd.")
    if order.check_result is not None:
        raise ServiceError(f"De controle is al vastgelegd ({order.check_result.label.lower()} op "
                           f"{fmt_date(order.checked_on)}). Er is niets gewijzigd.")
    day = cases.check_day(checked_on, what="de datum van de controle", field="checked_on")
    if day <= order.grace_end:
        raise ServiceError(f"De begunstigingstermijn loopt tot en met {fmt_date(order.grace_end)}; de controle "
                           "volgt daarna.", field="checked_on")
    try:
        outcome = result if isinstance(result, CheckResult) else CheckResult.from_value(result)
    except ValueError:
        raise ServiceError("Kies de uitkomst van de controle.", field="result") from None
    if complied_on is not None:
        if outcome is not CheckResult.COMPLIED:
            raise ServiceError("Een datum van naleving past alleen bij ‘aan de last voldaan’.", field="complied_on")
        if complied_on > day:
            raise ServiceError("De datum van naleving ligt na de controle.", field="complied_on")
    if order.form is PenaltyForm.PER_BREACH and outcome is CheckResult.NOT_COMPLIED and not breaches:
        raise ServiceError("Vul het aantal vastgestelde overtredingen in (dwangsom per overtreding).",
                           field="breaches")
    if breaches is not None and not 0 <= breaches <= 100_000:
        raise ServiceError("Het aantal overtredingen is niet geldig.", field="breaches")
    text = cases.text_field(note, what="De bevinding van de controle", field="note", required=True)
    amount, steps = forfeiture(order, checked_on=day, result=outcome, complied_on=complied_on, breaches=breaches)
    order.checked_on, order.check_result, order.check_note = day, outcome, text
    order.complied_on, order.breaches, order.updated_at = complied_on, breaches, utcnow()
    order.forfeited = amount if amount > 0 else None
    order.forfeiture = {"stappen": steps, "bedrag": str(amount)}
    grace = timelimits.running_of_kind(case, DeadlineKind.GRACE)
    if grace is not None:
        timelimits.end(grace, status=DeadlineStatus.MET, actor=actor, reason="controle vastgelegd")
    cases.add_step(case, StepKind.CHECK, actor=actor, day=day, text=text,
                   data={"uitkomst": outcome.value, "nageleefd_op": complied_on.isoformat() if complied_on else None})
    if amount > 0:
        cases.add_step(case, StepKind.FORFEITED, actor=actor, day=day, text=" ".join(steps),
                       data={"bedrag": str(amount)})
    audit.record(EnforcementAction.PENALTY_CHECK, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"uitkomst": outcome.value, "controle": day, "verbeurd": amount}, actor=actor)
    return order


# --- issuing a case's document: its effect on the case --------------------------------------------------

@service
def issue_case_document(document_id: int, *, actor: Actor) -> CaseDocument:
    """Issue an approved document (decisions.issue: exactly the approved PDF) and apply its effect on the
    case: the status step and the periods that start with its dispatch."""
    from wki.enforcement import decisions

    document = db.session.get(CaseDocument, document_id)
    if document is None:
        raise NotFoundError("Dit document bestaat niet.")
    case = cases.get_case(document.case_id)
    if document.status is DocumentStatus.ISSUED:
        return document  # issued already (a refresh after the POST): nothing twice
    require_document_kind(case, document.kind)
    document = decisions.issue(document_id, actor=actor)
    sent = document.dispatched_on or today_local()
    kind = document.kind
    if kind is DocumentKind.INTENTION:
        cases.move(case, ST.INTENTION, actor=actor, details={"kenmerk": document.kenmerk})
        # The period runs to the day the letter names (at least the statutory count from the dispatch).
        period = str((document.operative or {}).get("zienswijze_termijn") or VIEW_PERIOD_DEFAULT)
        stated = (document.operative or {}).get("zienswijze_voor")
        if stated and date.fromisoformat(str(stated)) > timelimits.compute(sent, period).end:
            period = f"{(date.fromisoformat(str(stated)) - sent).days}d"
        timelimits.start(case, DeadlineKind.VIEW, event_date=sent, period=period, actor=actor, document=document)
        return document
    if kind in DECISIONS:
        cases.move(case, ST.DECIDED, actor=actor, details={"kenmerk": document.kenmerk})
    if kind in OBJECTABLE:
        timelimits.start(case, DeadlineKind.OBJECTION, event_date=sent, period=OBJECTION_PERIOD, actor=actor,
                         document=document)
    if kind is DocumentKind.PENALTY_ORDER and case.penalty_order is not None:
        grace = timelimits.start(case, DeadlineKind.GRACE, event_date=sent, period=case.penalty_order.grace_period,
                                 actor=actor, document=document)
        case.penalty_order.grace_end = grace.end_date
    if kind is DocumentKind.FINE:
        period_row = timelimits.running_of_kind(case, DeadlineKind.FINE_DECISION)
        if period_row is not None:
            late = sent > period_row.end_date
            timelimits.end(period_row, status=DeadlineStatus.MET, actor=actor,
                           reason="boetebesluit verzonden" + (" na de termijn van 13 weken" if late else ""))
    return document


# --- objection ------------------------------------------------------------------------------------------

def judge_objection(deadline_end: date, *, received_on: date, posted_on: date | None) -> tuple[bool, str]:
    """On time or late (Awb 6:9): received by the last day; or posted by it and received within a week after."""
    if received_on <= deadline_end:
        return True, f"Ontvangen op {fmt_date(received_on)}, binnen de termijn (tot en met {fmt_date(deadline_end)})."
    if posted_on is not None and posted_on <= deadline_end and (received_on - deadline_end).days <= 7:
        return True, (f"Ontvangen op {fmt_date(received_on)}, na de termijn (tot en met {fmt_date(deadline_end)}), "
                      f"maar op {fmt_date(posted_on)} per post verzonden en binnen een week na afloop ontvangen: "
                      "tijdig (artikel 6:9 lid 2 Awb).")
    return False, (f"Ontvangen op {fmt_date(received_on)}, na afloop van de termijn (tot en met "
                   f"{fmt_date(deadline_end)}): te laat (artikel 6:9 Awb). Het bezwaar is niet-ontvankelijk, tenzij "
                   "de termijnoverschrijding verschoonbaar is (artikel 6:11 Awb).")


@service
def record_objection(case_id: int, *, document_id: int, received_on: date | None, actor: Actor,
                     posted_on: date | None = None, note: str = "") -> CaseDocument:
    """An objection against an issued decision, judged on time or late against its objection period."""
    case = cases.get_case(case_id)
    document = db.session.get(CaseDocument, document_id)
    if document is None or document.case_id != case.id:
        raise NotFoundError("Dit besluit hoort niet bij deze zaak.")
    if document.status is not DocumentStatus.ISSUED or document.kind not in OBJECTABLE:
        raise ServiceError("Bezwaar kan alleen tegen een verzonden besluit (last, boete of invordering).")
    if document.objection_received_on is not None:
        raise ServiceError(f"Tegen dit besluit is al bezwaar ontvangen op {fmt_date(document.objection_received_on)}. "
                           "Er is niets gewijzigd.")
    if case.status not in (ST.DECIDED, ST.OBJECTION):
        raise ServiceError(f"De zaak is {case.status.label.lower()}: een bezwaar kan niet meer worden vastgelegd.")
    assert document.dispatched_on is not None
    day = cases.check_day(received_on, what="de datum van ontvangst", field="received_on",
                          not_before=document.dispatched_on)
    if posted_on is not None:
        cases.check_day(posted_on, what="de datum van verzending", field="posted_on",
                        not_before=document.dispatched_on)
        if posted_on > day:
            raise ServiceError("Het bezwaar is verzonden na de datum van ontvangst.", field="posted_on")
    text = cases.text_field(note, what="De toelichting", field="note", limit=cases.SHORT_MAX)
    period = timelimits.last_of_kind(case, DeadlineKind.OBJECTION, document=document)
    end = period.end_date if period is not None else timelimits.compute(document.dispatched_on, OBJECTION_PERIOD).end
    on_time, explanation = judge_objection(end, received_on=day, posted_on=posted_on)
    with flush_versioned("het besluit"):
        document.objection_received_on, document.objection_on_time = day, on_time
    if period is not None:
        timelimits.end(period, status=DeadlineStatus.MET, actor=actor, reason="bezwaar ontvangen")
    cases.add_step(case, StepKind.OBJECTION, actor=actor, day=day, text=" ".join(filter(None, [explanation, text])),
                   data={"kenmerk": document.kenmerk, "tijdig": on_time,
                         "verzonden_op": posted_on.isoformat() if posted_on else None}, kenmerk=document.kenmerk)
    audit.record(EnforcementAction.OBJECTION, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"kenmerk": document.kenmerk, "ontvangen": day, "tijdig": on_time}, actor=actor)
    if case.status is ST.DECIDED:
        cases.move(case, ST.OBJECTION, actor=actor, reason=explanation)
    return document


# --- the fine's calculation -----------------------------------------------------------------------------

FINE_INPUTS = ("provision", "higher_category", "higher_category_reason", "recidive", "reduced_blameworthiness",
               "duration_months", "ability_to_pay", "ability_to_pay_reason")


@service
def set_fine(case_id: int, *, provision: str, actor: Actor, higher_category: bool = False,
             higher_category_reason: str = "", recidive: bool = False, reduced_blameworthiness: bool = False,
             duration_months: int = 0, ability_to_pay: Any = None, ability_to_pay_reason: str = "") -> Case:
    """Calculate the fine per the fining policy with the tables in force today (the decision's date; a
    decision prepared on a later day is calculated again with its own date) and keep it with the case."""
    case = cases.get_case(case_id)
    if case.instrument is not Instrument.FINE:
        raise ServiceError("Kies eerst het instrument bestuurlijke boete. Er is niets gewijzigd.")
    if case.status not in (ST.INVESTIGATION, ST.INTENTION, ST.DECIDING):
        raise ServiceError("De boete ligt vast zodra het besluit is verzonden. Er is niets gewijzigd.")
    if provision not in case.provisions:
        raise ServiceError("Kies een van de overtreden bepalingen van deze zaak.", field="provision")
    if not 0 <= int(duration_months) <= 600:
        raise ServiceError("De duur van de overtreding is niet geldig (0 tot en met 600 maanden).",
                           field="duration_months")
    inputs: dict[str, Any] = {
        "provision": provision, "higher_category": bool(higher_category),
        "higher_category_reason": cases.text_field(higher_category_reason, what="De reden voor de hogere categorie",
                                                   field="higher_category_reason", limit=cases.SHORT_MAX),
        "recidive": bool(recidive), "reduced_blameworthiness": bool(reduced_blameworthiness),
        "duration_months": int(duration_months),
        "ability_to_pay": str(_money(ability_to_pay, what="De draagkracht", field="ability_to_pay"))
        if ability_to_pay not in (None, "") else None,
        "ability_to_pay_reason": cases.text_field(ability_to_pay_reason, what="De toelichting op de draagkracht",
                                                  field="ability_to_pay_reason", limit=cases.SHORT_MAX),
    }
    from wki.enforcement import fines

    result = fines.calculation_for(inputs, legal_person=case.rechtspersoon, on=today_local())
    before = (case.fine_inputs or {}).get("bedrag")
    with flush_versioned("de zaak"):
        case.fine_inputs = result
    audit.record(EnforcementAction.FINE_CALCULATED, object_type=OBJECT_TYPE, object_id=case.id,
                 before={"bedrag": before}, after={"bedrag": result["bedrag"], "categorie": result["categorie"],
                                                   "invoer": inputs}, actor=actor)
    return case
