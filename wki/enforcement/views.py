"""The case page and every form of an enforcement case: opening one (by hand, from a suspect, from an
inspection's findings), the party and provisions, the instrument with why each one fits or not, the
evidence, the procedure's steps, the running periods, the documents and the timeline.

Thin views: build the form, validate, call ONE service of ``cases``/``procedure``/``timelimits``/``decisions``
(which hold every rule, audit and refuse in Dutch), flash, redirect (post/redirect/get). A refusal
(ServiceError) shows the page again with the message at its field and changes nothing (services run in a
savepoint); a refresh after a POST changes nothing either (the services are idempotent or refuse). Reading
is for every READER; the forms for OFFICERS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from wki.auth import services as accounts
from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles, user_has_any_role
from wki.core.clock import today_local
from wki.core.equated_days import equated_days
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date, fmt_money
from wki.core.forms import ConfirmForm
from wki.core.lookups import or_404
from wki.core.uploads import FILE_TYPES
from wki.enforcement import OFFICERS, READERS, bp, cases, instruments, procedure, timelimits
from wki.enforcement.forms import (
    PROVISION_CHOICES,
    PROVISION_NOTES,
    CautionForm,
    CheckForm,
    CloseForm,
    ConversationForm,
    DocumentLinkForm,
    FineForm,
    InstrumentForm,
    LapseDocumentForm,
    LetterDataForm,
    NoteForm,
    ObjectionForm,
    OpenCaseForm,
    PenaltyTermsForm,
    RegisterLinkForm,
    ReportForm,
    ReturnDocumentForm,
    SectionForm,
    ShiftForm,
    SignalLinkForm,
    StartDocumentForm,
    UpdateCaseForm,
    ViewForm,
    number_of,
)
from wki.enforcement.models import (
    Case,
    CaseDeadline,
    CaseDocument,
    CaseEvidence,
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DocumentKind,
    DocumentStatus,
    EvidenceLink,
    Instrument,
    Provision,
    StepKind,
    SubjectKind,
)
from wki.register import queries as register

ST = CaseStatus


def _actor() -> Actor:
    return Actor.of(current_user)


def _is_officer() -> bool:
    return user_has_any_role(current_user, OFFICERS)


def _case(case_id: int) -> Case:
    return or_404(cases.get_case, case_id)


def _back(case: Case, anchor: str | None = None) -> Response:
    return redirect(url_for("enforcement.case", case_id=case.id, _anchor=anchor))


def _officer_choices(keep: int | None = None) -> list[tuple[int, str]]:
    """Active enforcement officers (and the case's own officer, also when no longer active)."""
    people = accounts.list_users(role=Role.HANDHAVER.value, include_inactive=False)
    result = [(u.id, f"{u.name} ({u.email})") for u in people]
    if keep is not None and all(i != keep for i, _ in result):
        try:
            user = accounts.get_user(keep)
        except NotFoundError:
            return result
        result.append((user.id, f"{user.name} ({user.email}, niet actief)"))
    return result


def _files(form: Any) -> list[tuple[str, bytes]]:
    """The uploaded files of a form's ``files`` field (none chosen: an empty list)."""
    return [(f.filename or "", f.read()) for f in request.files.getlist(form.files.name) if f and f.filename]


# ---------------------------------------------------------------- opening a case


def _exempt_choices() -> list[tuple[str, str]]:
    return [(p.party_key, f"{p.naam} ({p.beroep}{', KvK ' + p.kvk_nummer if p.kvk_nummer else ''})")
            for p in register.exempt_parties_as_of(today_local())]


def _open_party(form: OpenCaseForm) -> dict[str, Any]:
    kind = form.subject_kind()
    return {
        "registratienummer": (form.registratienummer.data or None) if kind is SubjectKind.REGISTRATION else None,
        "suspect_id": number_of(form.suspect_id.data) if kind is SubjectKind.SUSPECT else None,
        "exempt_party_key": (form.exempt_party_key.data or None) if kind is SubjectKind.EXEMPT else None,
    }


@bp.route("/zaken/nieuw", methods=["GET", "POST"])
@requires_roles(*OFFICERS)
def open_case() -> Any:
    if request.method == "POST" and "subject" not in request.form:
        # The registration page's panel button: the form, filled in for that registration (a case by hand
        # needs its provisions chosen).
        return redirect(url_for("enforcement.open_case", soort=SubjectKind.REGISTRATION.value,
                                registratienummer=(request.args.get("registratienummer") or "")[:40] or None))
    form = OpenCaseForm()
    form.set_choices(exempt=_exempt_choices(), officers=_officer_choices(keep=current_user.id))
    if request.method == "GET":
        asked = request.args.get("soort", "")
        if asked in {k.value for k in SubjectKind}:
            form.subject.data = asked
        form.registratienummer.data = (request.args.get("registratienummer") or "").strip()[:40]
        form.suspect_id.data = (request.args.get("overtreder") or "").strip()[:11]
        form.exempt_party_key.data = (request.args.get("vrijgestelde") or "").strip()[:400]
        form.officer.data = str(current_user.id)
    existing = None
    if form.validate_on_submit():
        kind = form.subject_kind()
        party = _open_party(form)
        if kind is SubjectKind.SUSPECT and form.suspect_id.data and party["suspect_id"] is None:
            form.suspect_id.errors = [*form.suspect_id.errors, "Vul het nummer van de mogelijke overtreder in."]
        elif kind is not None:
            try:
                case = cases.open_case(
                    subject=kind, provisions=list(form.provisions.data or []),
                    officer_id=number_of(form.officer.data) or current_user.id, actor=_actor(),
                    aanleiding=form.aanleiding.data or "", feiten=form.feiten.data or "",
                    rechtspersoon=form.rechtspersoon.data != "nee", **party)
            except ServiceError as exc:
                form.apply_service_error(exc)
                existing = cases.open_case_of(**party)
            else:
                flash(f"Zaak {case.nummer} over {case.naam} is geopend.", "success")
                return redirect(url_for("enforcement.case", case_id=case.id))
    return render_template("enforcement/open_case.html", form=form, existing=existing,
                           provision_notes=PROVISION_NOTES,
                           inspections=_inspections_with_findings((form.registratienummer.data or "").strip().upper()))


def _inspections_with_findings(registratienummer: str) -> list[dict[str, Any]]:
    """The registration's completed inspections with findings of voldoet niet or deels: a case can be opened
    from each, its findings linked (the officer picks which)."""
    from wki.supervision import services as supervision

    if not registratienummer:
        return []
    result = []
    for inspection in supervision.inspections_of(registratienummer):
        if inspection.status.value != "afgerond":
            continue
        rows = [r for r in supervision.findings_rows(inspection) if r["oordeel"] in ("voldoet_niet", "deels")]
        if rows:
            result.append({"inspection": inspection, "findings": rows})
    return result


def _refused_open(message: str, existing: Case | None, fallback: str) -> Response:
    """An opening from another page that was refused: the message, and the party's open case if it has one."""
    flash(message, "error")
    if existing is not None:
        return redirect(url_for("enforcement.case", case_id=existing.id))
    return redirect(fallback)


@bp.post("/zaken/van-overtreder")
@requires_roles(*OFFICERS)
def open_from_suspect() -> Any:
    form = ConfirmForm()
    # From the suspect page's panel (its id in the address) or a form (its id in the body).
    suspect_id = number_of(request.form.get("suspect_id") or request.args.get("suspect_id"))
    fallback = (url_for("signals.suspect", suspect_id=suspect_id) if suspect_id is not None
                else url_for("enforcement.open_case", soort=SubjectKind.SUSPECT.value))
    if not form.validate_on_submit():
        flash("Het formulier is niet goed verstuurd. Probeer het opnieuw.", "error")
        return redirect(fallback)
    if suspect_id is None:
        flash("Kies de mogelijke overtreder waarover de zaak gaat.", "error")
        return redirect(fallback)
    try:
        case = cases.open_from_suspect(suspect_id, officer_id=current_user.id, actor=_actor(),
                                       aanleiding=(request.form.get("aanleiding") or "").strip()[:10_000])
    except ServiceError as exc:
        return _refused_open(exc.message, cases.open_case_of(suspect_id=suspect_id), fallback)
    flash(f"Zaak {case.nummer} over {case.naam} is geopend, met de signalen als bewijs.", "success")
    return redirect(url_for("enforcement.case", case_id=case.id))


@bp.post("/zaken/van-inspectie")
@requires_roles(*OFFICERS)
def open_from_inspection() -> Any:
    from wki.supervision import services as supervision

    form = ConfirmForm()
    inspection_id = number_of(request.form.get("inspection_id"))
    inspection = None
    if inspection_id is not None:
        try:
            inspection = supervision.get_inspection(inspection_id)
        except NotFoundError:
            inspection = None
    fallback = (url_for("supervision.inspection", inspection_id=inspection.id) if inspection is not None
                else url_for("enforcement.open_case"))
    if not form.validate_on_submit():
        flash("Het formulier is niet goed verstuurd. Probeer het opnieuw.", "error")
        return redirect(fallback)
    if inspection is None:
        flash("Kies de afgeronde inspectie waarvan de bevindingen tot een zaak leiden.", "error")
        return redirect(fallback)
    codes = [c.strip() for c in request.form.getlist("codes") if c.strip()][:200] or None
    try:
        case = cases.open_from_inspection(inspection.id, officer_id=current_user.id, actor=_actor(),
                                          requirement_codes=codes)
    except ServiceError as exc:
        return _refused_open(exc.message, cases.open_case_of(registratienummer=inspection.registratienummer),
                             fallback)
    flash(f"Zaak {case.nummer} over {case.naam} is geopend, met de bevindingen van inspectie {inspection.nummer} "
          "als bewijs.", "success")
    return redirect(url_for("enforcement.case", case_id=case.id))


# ---------------------------------------------------------------- the case page: its forms


def _documents(case: Case) -> list[CaseDocument]:
    return list(db.session.scalars(sa.select(CaseDocument).where(CaseDocument.case_id == case.id)
                                   .order_by(CaseDocument.id)))


def _objectable(case: Case) -> list[CaseDocument]:
    """Issued decisions against which no objection was recorded yet."""
    return [d for d in _documents(case) if d.status is DocumentStatus.ISSUED and d.kind in procedure.OBJECTABLE
            and d.objection_received_on is None]


def _forms_for(case: Case) -> dict[str, Any]:
    forms: dict[str, Any] = {
        "confirm": ConfirmForm(prefix="bevestig"),
        "edit": UpdateCaseForm(prefix="wijzigen"),
        "instrument": InstrumentForm(prefix="instrument"),
        "signal": SignalLinkForm(prefix="signaal"),
        "register": RegisterLinkForm(prefix="register"),
        "document_link": DocumentLinkForm(prefix="documentbewijs"),
        "note": NoteForm(prefix="notitie"),
        "caution": CautionForm(prefix="cautie"),
        "report": ReportForm(prefix="rapport"),
        "penalty": PenaltyTermsForm(prefix="last"),
        "fine": FineForm(prefix="boete"),
        "view": ViewForm(prefix="zienswijze"),
        "conversation": ConversationForm(prefix="gesprek"),
        "check": CheckForm(prefix="controle"),
        "objection": ObjectionForm(prefix="bezwaar"),
        "close": CloseForm(prefix="afsluiten"),
        "back": CloseForm(prefix="terug"),
        "start_document": StartDocumentForm(prefix="nieuwdocument"),
    }
    update = forms["edit"]
    update.provisions.choices = [c for c in PROVISION_CHOICES
                                 if c.value in {p.value for p in instruments.PROVISIONS[case.subject_kind]}]
    update.officer.choices = [(str(i), label) for i, label in _officer_choices(keep=case.officer_id)]
    forms["instrument"].instrument.choices = [(o.instrument.value, o.instrument.label)
                                              for o in cases.instrument_options(case) if o.available]
    forms["objection"].document.choices = [("", "Kies een besluit")] + [
        (str(d.id), f"{d.kind.label} {d.kenmerk or ''}".strip()) for d in _objectable(case)]
    startable = _startable(case)
    forms["start_document"].kind.choices = [("", "Kies een soort")] + [(k.value, k.label) for k in startable]
    if request.method == "GET" and len(startable) == 1:
        forms["start_document"].kind.data = startable[0].value  # the one document that fits now
    for row in timelimits.running(case):
        forms[f"shift-{row.id}"] = ShiftForm(prefix=f"termijn-{row.id}")
    for document in _documents(case):  # every document: a refresh after it was returned or lapsed finds its form
        forms[f"return-{document.id}"] = ReturnDocumentForm(prefix=f"terugsturen-{document.id}")
        forms[f"lapse-{document.id}"] = LapseDocumentForm(prefix=f"vervallen-{document.id}")
    if request.method == "GET":
        for key in ("instrument", "close", "back"):
            forms[key].versie.data = str(case.version)
        update.versie.data = str(case.version)
        update.provisions.data = list(case.provisions)
        update.aanleiding.data, update.feiten.data = case.aanleiding, case.feiten
        update.rechtspersoon.data = "ja" if case.rechtspersoon else "nee"
        update.officer.data = str(case.officer_id)
        forms["instrument"].instrument.data = case.instrument.value if case.instrument else None
        today = today_local()
        for key, name in (("caution", "day"), ("report", "day"), ("view", "received_on"),
                          ("conversation", "day"), ("check", "checked_on"), ("objection", "received_on")):
            field = getattr(forms[key], name)
            if field.data is None and not field.raw_data:
                field.data = today
        order = case.penalty_order
        if order is not None:
            penalty = forms["penalty"]
            penalty.measures.data, penalty.grace_period.data = order.measures, order.grace_period
            penalty.form.data = order.form.value
            penalty.amount.data, penalty.ceiling.data = f"{order.amount:.2f}", f"{order.ceiling:.2f}"
    fine = forms["fine"]
    fine.provision.choices = [(p, Provision.label_of(p)) for p in case.provisions]
    kept = (case.fine_inputs or {}).get("invoer") or {}
    if kept and not fine.provision.raw_data:
        fine.provision.data = kept.get("provision")
        fine.recidive.data, fine.reduced_blameworthiness.data = kept.get("recidive"), kept.get(
            "reduced_blameworthiness")
        fine.duration_months.data = str(kept.get("duration_months") or 0)
        fine.ability_to_pay.data = kept.get("ability_to_pay") or ""
        fine.ability_to_pay_reason.data = kept.get("ability_to_pay_reason") or ""
        fine.higher_category.data = kept.get("higher_category")
        fine.higher_category_reason.data = kept.get("higher_category_reason") or ""
    return forms


def _close_target(case: Case) -> CaseStatus:
    """Where closing takes the case now (the same rule as ``cases.close_case``)."""
    if case.status in (ST.DECIDED, ST.OBJECTION) or (
            case.status is ST.INVESTIGATION and case.instrument is Instrument.CONVERSATION
            and cases.has_step(case, StepKind.CONVERSATION)):
        return ST.CLOSED
    return ST.DROPPED


def _actions(case: Case) -> dict[str, Any]:
    """What the current user may do now: the forms that make sense in this status, for officers only."""
    if not _is_officer():
        return {}
    status, instrument, open_ = case.status, case.instrument, case.is_open
    order = case.penalty_order
    view_period = timelimits.running_of_kind(case, DeadlineKind.VIEW)
    targets = {step.target for step in cases.CASE_FLOW.allowed_from(status)}
    early = (ST.INVESTIGATION, ST.INTENTION, ST.DECIDING)
    return {
        "edit": open_,
        "instrument": status is ST.INVESTIGATION,
        "evidence": open_,
        "note": True,
        "to_deciding": status is ST.INVESTIGATION and instrument is not None
        and instrument not in instruments.NEEDS_INTENTION and instrument is not Instrument.CONVERSATION,
        "caution": open_ and instrument is Instrument.FINE,
        "report": instrument is Instrument.FINE and status in early,
        "penalty": instrument is Instrument.PENALTY_ORDER and status in early,
        "fine": instrument is Instrument.FINE and status in early,
        "view": status is ST.INTENTION,
        "no_view": status is ST.INTENTION and (view_period is None or today_local() > view_period.end_date),
        "conversation": instrument is Instrument.CONVERSATION and status is ST.INVESTIGATION,
        "check": order is not None and order.grace_end is not None and order.check_result is None
        and status in (ST.DECIDED, ST.OBJECTION),
        "objection": status in (ST.DECIDED, ST.OBJECTION) and bool(_objectable(case)),
        "shift": open_,
        "close": open_ and bool(targets & {ST.CLOSED, ST.DROPPED}),
        "back": ST.INVESTIGATION in targets,
        "close_target": _close_target(case) if open_ else None,
        "documents": open_,
    }


def _next_steps(case: Case, actions: dict[str, Any]) -> list[dict[str, Any]]:
    """The declared steps from this status, each with how it is taken on this page or why not yet."""
    rows = []
    for step in cases.CASE_FLOW.allowed_from(case.status):
        target, how, anchor = step.target, None, None
        needs_intention = case.instrument in instruments.NEEDS_INTENTION
        if target is ST.INTENTION:
            if case.instrument is not None and not needs_intention:
                continue  # this instrument sends no intention
            why = procedure.document_kind_allowed(case, DocumentKind.INTENTION)
            how, anchor = (why, None) if why else ("Stel bij Documenten het voornemen op; uitgeven zet de zaak "
                                                   "in deze status en start de zienswijzetermijn.", "documenten")
        elif target is ST.DECIDING and case.status is ST.INVESTIGATION:
            if needs_intention or case.instrument is Instrument.CONVERSATION:
                continue  # the intention comes first; after a conversation no decision follows
            if case.instrument is None:
                how = "Kies eerst het instrument."
            else:
                how, anchor = "Met de knop bij ‘Wat u nu kunt doen’.", "acties"
        elif target is ST.DECIDING:
            how, anchor = "Leg de zienswijze vast, of dat er binnen de termijn geen kwam.", "zienswijze"
        elif target is ST.INVESTIGATION:
            how, anchor = "Met het formulier ‘Terug naar onderzoek’ (een ander instrument, meer feiten).", "terug"
        elif target is ST.DECIDED:
            kind = instruments.DOCUMENT_FOR.get(case.instrument) if case.instrument else None
            why = procedure.document_kind_allowed(case, kind) if kind is not None else "Kies eerst het instrument."
            how, anchor = (why, None) if why else ("Geef het besluit uit bij Documenten.", "documenten")
        elif target is ST.OBJECTION:
            if not actions.get("objection") and not any(
                    d.status is DocumentStatus.ISSUED and d.kind in procedure.OBJECTABLE for d in _documents(case)):
                continue  # no decision open to objection was sent (a warning, a referral)
            how, anchor = "Leg het ontvangen bezwaar vast.", "bezwaar"
        elif target in (ST.CLOSED, ST.DROPPED):
            if target is not _close_target(case):
                continue
            how, anchor = "Met het formulier ‘Zaak afronden of sluiten’.", "afsluiten"
        rows.append({"label": step.label, "target": target, "how": how, "anchor": anchor if actions else None})
    return rows


def _evidence_rows(case: Case) -> list[dict[str, Any]]:
    """Linked evidence with where it can be read (the signal, the inspection, the register on its date, the
    document); removed links too, marked."""
    rows = []
    for link in cases.evidence_of(case, include_removed=True):
        url = None
        if link.kind is EvidenceLink.FINDING:
            parts = link.ref.split(":")
            if len(parts) >= 2 and parts[1].isdigit():
                url = url_for("supervision.inspection", inspection_id=int(parts[1]))
        elif link.kind is EvidenceLink.SIGNAL and link.ref.isdigit():
            url = url_for("signals.signal", signal_id=int(link.ref))
        elif link.kind is EvidenceLink.REGISTER:
            who, _, day = link.ref.rpartition("@")
            url = url_for("register.index", zoek=who, peildatum=day or None)
        elif link.kind is EvidenceLink.DOCUMENT:
            url = url_for("documents.document", kenmerk=link.ref)
        rows.append({"link": link, "url": url})
    return rows


def _deadline_rows(case: Case) -> list[dict[str, Any]]:
    today = today_local()
    rows = []
    extra_days = equated_days()  # once for all rows, not once per row
    for row in timelimits.of_case(case):
        try:
            steps = timelimits.explain(row, extra_days=extra_days)
        except ServiceError as exc:  # an unreadable period: show why rather than fail the page
            steps = [exc.message]
        rows.append({"row": row, "left": (row.end_date - today).days, "steps": steps,
                     "running": row.status is DeadlineStatus.RUNNING})
    return rows


def _timeline(case: Case) -> list[Any]:
    return list(reversed(cases.steps_of(case)))


def _party_link(case: Case) -> dict[str, Any]:
    if case.subject_kind is SubjectKind.REGISTRATION and case.registratienummer:
        return {"url": url_for("register.registration", registratienummer=case.registratienummer),
                "label": f"{case.naam} ({case.registratienummer})"}
    if case.subject_kind is SubjectKind.SUSPECT and case.suspect_id is not None:
        return {"url": url_for("signals.suspect", suspect_id=case.suspect_id),
                "label": f"{case.naam} (mogelijke overtreder {case.suspect_id})"}
    return {"url": None, "label": f"{case.naam} ({case.beroep or 'vrijgesteld'})"}


def _render_case(case: Case, forms: dict[str, Any] | None = None) -> str:
    forms = forms or _forms_for(case)
    actions = _actions(case)
    users = {u.id: u for u in accounts.list_users()}
    documents = _documents(case)
    return render_template(
        "enforcement/case.html", case=case, forms=forms, actions=actions, next_steps=_next_steps(case, actions),
        party=_party_link(case), officer=users.get(case.officer_id), users=users,
        options=cases.instrument_options(case),
        legal_basis=instruments.LEGAL_BASIS.get(case.instrument) if case.instrument else None,
        provision_labels=_provision_labels(case.provisions), evidence=_evidence_rows(case),
        deadlines=_deadline_rows(case), documents=documents, document_rows=_document_rows(case, documents),
        steps=_timeline(case), step_kinds=StepKind, statuses=CaseStatus, today=today_local(),
        provision_label=Provision.label_of,
        document_hint=_document_hint(case))


def _provision_labels(values: list[str]) -> list[str]:
    labels = []
    for value in values:
        try:
            labels.append(Provision.from_value(value).label)
        except ValueError:
            labels.append(value)
    return labels


@bp.get("/zaken/<int:case_id>")
@requires_roles(*READERS)
def case(case_id: int) -> Any:
    return _render_case(_case(case_id))


def _action(case_id: int, form_key: str, call: Callable[[Case, Any], str], *, anchor: str | None = None) -> Any:
    """One POST action of the case page: validate its form, call the service, flash its outcome and go back;
    a refusal shows the page again with the message at its field (nothing changed)."""
    the_case = _case(case_id)
    forms = _forms_for(the_case)
    form = forms.get(form_key)
    if form is None:
        abort(404)
    if form.validate_on_submit():
        try:
            message = call(the_case, form)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(message, "success")
            return _back(the_case, anchor)
    forms["failed"] = form
    forms["failed_key"] = form_key
    return _render_case(the_case, forms)


def _then(_done: Any, message: str) -> str:
    """The message of an action, once its service call (the first argument, evaluated first) is done."""
    return message


# ---------------------------------------------------------------- the case's own data


@bp.post("/zaken/<int:case_id>/wijzigen")
@requires_roles(*OFFICERS)
def update_case(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        before = c.version
        cases.update_case(c.id, expected_version=f.version(), actor=_actor(), provisions=list(f.provisions.data or []),
                          feiten=f.feiten.data or "", aanleiding=f.aanleiding.data or "",
                          rechtspersoon=f.rechtspersoon.data != "nee", officer_id=number_of(f.officer.data))
        return "De gegevens van de zaak zijn opgeslagen." if c.version != before else "Er was niets gewijzigd."

    return _action(case_id, "edit", call, anchor="partij")


@bp.post("/zaken/<int:case_id>/instrument")
@requires_roles(*OFFICERS)
def choose_instrument(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        try:
            chosen = Instrument.from_value(f.instrument.data or "")
        except ValueError:
            raise ServiceError("Kies een instrument uit de lijst.", field="instrument") from None
        cases.choose_instrument(c.id, chosen, reason=f.reason.data or "", actor=_actor(),
                                expected_version=f.version())
        return f"Het instrument is gekozen: {chosen.label.lower()}."

    return _action(case_id, "instrument", call, anchor="instrument")


_LINK_FORMS = {"signaal": "signal", "register": "register", "document": "document_link"}


@bp.post("/zaken/<int:case_id>/bewijs")
@requires_roles(*OFFICERS)
def link_evidence(case_id: int) -> Any:
    action = _LINK_FORMS.get(request.form.get("actie", ""), "signal")

    def call(c: Case, f: Any) -> str:
        description = f.description.data or ""
        if action == "signal":
            signal_id = number_of(f.signal_id.data)
            if signal_id is None:
                raise ServiceError("Vul het nummer van een signaal in.", field="signal_id")
            done = cases.link_evidence(c.id, kind=EvidenceLink.SIGNAL, signal_id=signal_id, actor=_actor(),
                                       description=description)
        elif action == "register":
            done = cases.link_evidence(c.id, kind=EvidenceLink.REGISTER, actor=_actor(), description=description,
                                       registratienummer=f.registratienummer.data or None, as_of=f.as_of.data)
        else:
            done = cases.link_evidence(c.id, kind=EvidenceLink.DOCUMENT, kenmerk=f.kenmerk.data or "",
                                       actor=_actor(), description=description)
        return "Het bewijs is gekoppeld." if done is not None else "Dit bewijs was al gekoppeld; er is niets gewijzigd."

    return _action(case_id, action, call, anchor="bewijs")


@bp.post("/zaken/<int:case_id>/bewijs/<int:case_evidence_id>/ontkoppelen")
@requires_roles(*OFFICERS)
def unlink_evidence(case_id: int, case_evidence_id: int) -> Any:
    the_case = _case(case_id)
    link = db.session.get(CaseEvidence, case_evidence_id)
    if link is None or link.case_id != the_case.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        flash("Het formulier is niet goed verstuurd. Probeer het opnieuw.", "error")
    else:
        was_removed = link.removed_at is not None
        try:
            cases.unlink_evidence(the_case.id, link.id, actor=_actor())
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash("Dit bewijs was al ontkoppeld; er is niets gewijzigd." if was_removed
                  else "Het bewijs is ontkoppeld; het blijft zichtbaar als verwijderd.", "success")
    return _back(the_case, "bewijs")


@bp.post("/zaken/<int:case_id>/notitie")
@requires_roles(*OFFICERS)
def add_note(case_id: int) -> Any:
    return _action(case_id, "note", lambda c, f: _then(
        cases.add_note(c.id, text=f.text.data or "", actor=_actor(), day=f.day.data),
        "De notitie is toegevoegd."), anchor="tijdlijn")


# ---------------------------------------------------------------- the procedure


@bp.post("/zaken/<int:case_id>/naar-besluitvorming")
@requires_roles(*OFFICERS)
def to_deciding(case_id: int) -> Any:
    def call(c: Case, _f: Any) -> str:
        if c.status is ST.DECIDING:
            return "De zaak is al in besluitvorming; er is niets gewijzigd."
        procedure.to_deciding(c.id, actor=_actor(), expected_version=number_of(request.form.get("versie")))
        return "De zaak is naar besluitvorming; stel het besluit op bij Documenten."

    return _action(case_id, "confirm", call, anchor="status")


@bp.post("/zaken/<int:case_id>/cautie")
@requires_roles(*OFFICERS)
def record_caution(case_id: int) -> Any:
    return _action(case_id, "caution", lambda c, f: _then(
        procedure.record_caution(c.id, day=f.day.data, person=f.person.data or "", text=f.text.data or "",
                                 actor=_actor()),
        "De cautie is vastgelegd."), anchor="tijdlijn")


@bp.post("/zaken/<int:case_id>/rapport")
@requires_roles(*OFFICERS)
def record_report(case_id: int) -> Any:
    return _action(case_id, "report", lambda c, f: _then(
        procedure.record_report(c.id, day=f.day.data, text=f.text.data or "", actor=_actor()),
        "Het rapport is vastgelegd; de termijn voor het boetebesluit loopt."), anchor="termijnen")


@bp.post("/zaken/<int:case_id>/last")
@requires_roles(*OFFICERS)
def set_penalty_terms(case_id: int) -> Any:
    return _action(case_id, "penalty", lambda c, f: _then(
        procedure.set_penalty_terms(c.id, measures=f.measures.data or "", grace_period=f.grace_period.data or "",
                                    form=f.form.data or "", amount=f.amount.data, ceiling=f.ceiling.data,
                                    actor=_actor()),
        "De last is vastgelegd."), anchor="last")


@bp.post("/zaken/<int:case_id>/boete")
@requires_roles(*OFFICERS)
def set_fine(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        procedure.set_fine(c.id, provision=f.provision.data or "", recidive=bool(f.recidive.data),
                           reduced_blameworthiness=bool(f.reduced_blameworthiness.data), duration_months=f.months(),
                           ability_to_pay=f.ability_to_pay.data or None,
                           ability_to_pay_reason=f.ability_to_pay_reason.data or "",
                           higher_category=bool(f.higher_category.data),
                           higher_category_reason=f.higher_category_reason.data or "", actor=_actor())
        return f"De boete is berekend: {fmt_money((c.fine_inputs or {}).get('bedrag'))}."

    return _action(case_id, "fine", call, anchor="boete")


@bp.post("/zaken/<int:case_id>/zienswijze")
@requires_roles(*OFFICERS)
def record_view(case_id: int) -> Any:
    return _action(case_id, "view", lambda c, f: _then(
        procedure.record_view(c.id, received_on=f.received_on.data, form=f.form.data or "", summary=f.summary.data or "",
                              actor=_actor(), files=_files(f)),
        "De zienswijze is vastgelegd; de zaak is naar besluitvorming."), anchor="tijdlijn")


@bp.post("/zaken/<int:case_id>/geen-zienswijze")
@requires_roles(*OFFICERS)
def record_no_view(case_id: int) -> Any:
    return _action(case_id, "confirm", lambda c, f: _then(
        procedure.record_no_view(c.id, actor=_actor()),
        "Vastgelegd dat er geen zienswijze kwam; de zaak is naar besluitvorming."), anchor="tijdlijn")


@bp.post("/zaken/<int:case_id>/gesprek")
@requires_roles(*OFFICERS)
def record_conversation(case_id: int) -> Any:
    return _action(case_id, "conversation", lambda c, f: _then(
        procedure.record_conversation(c.id, day=f.day.data, summary=f.summary.data or "", actor=_actor(),
                                      files=_files(f)),
        "Het gesprek is vastgelegd. Rond de zaak af als er niets meer hoeft te gebeuren."), anchor="tijdlijn")


@bp.post("/zaken/<int:case_id>/controle")
@requires_roles(*OFFICERS)
def record_check(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        order = procedure.record_check(c.id, checked_on=f.checked_on.data, result=f.result.data or "",
                                       note=f.note.data or "", actor=_actor(), complied_on=f.complied_on.data,
                                       breaches=f.breach_count())
        return (f"De controle is vastgelegd: € {order.forfeited:.2f} verbeurd." if order.forfeited
                else "De controle is vastgelegd: er is niets verbeurd.")

    return _action(case_id, "check", call, anchor="last")


@bp.post("/zaken/<int:case_id>/bezwaar")
@requires_roles(*OFFICERS)
def record_objection(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        document_id = f.document_id()
        if document_id is None:
            raise ServiceError("Kies het besluit waartegen bezwaar is gemaakt.", field="document")
        document = procedure.record_objection(c.id, document_id=document_id, received_on=f.received_on.data,
                                              posted_on=f.posted_on.data, note=f.note.data or "", actor=_actor())
        return ("Het bezwaar is vastgelegd: tijdig." if document.objection_on_time
                else "Het bezwaar is vastgelegd: te laat ontvangen (zie de tijdlijn).")

    return _action(case_id, "objection", call, anchor="tijdlijn")


@bp.post("/zaken/<int:case_id>/termijnen/<int:deadline_id>/verschuiven")
@requires_roles(*OFFICERS)
def shift_deadline(case_id: int, deadline_id: int) -> Any:
    the_case = _case(case_id)
    row = db.session.get(CaseDeadline, deadline_id)
    if row is None or row.case_id != the_case.id:
        abort(404)
    if row.status is not DeadlineStatus.RUNNING:
        flash("Deze termijn loopt niet meer: er valt niets te verschuiven. Er is niets gewijzigd.", "error")
        return _back(the_case, "termijnen")

    def call(c: Case, f: Any) -> str:
        shifted = timelimits.shift(row.id, kind=f.kind.data or "", actor=_actor(), reason=f.reason.data or "",
                                   days=f.day_count(), period=f.period.data or None)
        return f"De termijn is verschoven; hij loopt nu tot en met {fmt_date(shifted.end_date)}."

    return _action(case_id, f"shift-{row.id}", call, anchor="termijnen")


@bp.post("/zaken/<int:case_id>/terug-naar-onderzoek")
@requires_roles(*OFFICERS)
def back_to_investigation(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        if c.status is ST.INVESTIGATION:
            return "De zaak is al in onderzoek; er is niets gewijzigd."
        cases.back_to_investigation(c.id, reason=f.reason.data or "", actor=_actor(), expected_version=f.version())
        return "De zaak is terug in onderzoek."

    return _action(case_id, "back", call, anchor="status")


@bp.post("/zaken/<int:case_id>/afsluiten")
@requires_roles(*OFFICERS)
def close_case(case_id: int) -> Any:
    def call(c: Case, f: Any) -> str:
        if not c.is_open:
            raise ServiceError(f"De zaak is al {c.status.label.lower()}. Er is niets gewijzigd.")
        cases.close_case(c.id, reason=f.reason.data or "", actor=_actor(), expected_version=f.version())
        return f"Zaak {c.nummer} is {c.status.label.lower()}."

    return _action(case_id, "close", call, anchor="status")


# ---------------------------------------------------------------- attachments


def _download_name(file_name: str, content_type: str) -> str:
    """A file name safe in a header and on any disk: the stored name's stem, its type's extension."""
    stem = Path(file_name or "bijlage").stem
    safe = "".join(c if c.isalnum() or c in "-_ ." else "_" for c in stem).strip(" .")[:100] or "bijlage"
    return safe + FILE_TYPES.get(content_type or "", "")


@bp.get("/zaken/<int:case_id>/bijlagen/<int:attachment_id>")
@requires_roles(*READERS)
def attachment(case_id: int, attachment_id: int) -> Any:
    try:
        stored, data = procedure.attachment_bytes(case_id, attachment_id, actor=_actor())
    except NotFoundError:
        abort(404)
    response = send_file(BytesIO(data), mimetype=stored.content_type or "application/octet-stream",
                         as_attachment=True, download_name=_download_name(stored.file_name, stored.content_type),
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- documents


def _document_rows(case: Case, documents: list[CaseDocument]) -> list[dict[str, Any]]:
    """Per document what the page shows and which actions fit its status for the current user."""
    from wki.enforcement import decisions

    officer = _is_officer()
    me = current_user.id if officer else None
    rows = []
    for document in documents:
        author = me is not None and me in decisions.authors_of(document)
        status = document.status
        rows.append({
            "document": document,
            "author": author,
            "preparer": document.prepared_by_id,
            "edit": officer and status is DocumentStatus.DRAFT,
            "prepare": officer and status is DocumentStatus.DRAFT,
            "approve": officer and status is DocumentStatus.PREPARED and not author,
            "return_": officer and status is DocumentStatus.PREPARED,
            "issue": officer and status is DocumentStatus.PREPARED and _approved(document),
            "lapse": officer and status in (DocumentStatus.DRAFT, DocumentStatus.PREPARED),
            "pdf": bool(document.pdf_sha256) and status in (DocumentStatus.PREPARED, DocumentStatus.ISSUED),
            "approved": _approved(document),
        })
    return rows


def _approved(document: CaseDocument) -> bool:
    from wki.enforcement import decisions

    return decisions.approval_of(document) is not None



def _document_of(case: Case, document_id: int) -> CaseDocument:
    document = db.session.get(CaseDocument, document_id)
    if document is None or document.case_id != case.id:
        abort(404)
    return document


def _startable(case: Case) -> list[DocumentKind]:
    """The documents that can be started now: the instrument's, allowed in this status, none open already."""
    from wki.enforcement import decisions

    if not case.is_open:
        return []
    return [k for k in decisions.kinds_for(case) if procedure.document_kind_allowed(case, k) is None
            and decisions.open_document(case.id, k) is None]


def _document_hint(case: Case) -> str:
    """Why no document can be started now (the reason for the instrument's own document, or the first)."""
    kind = instruments.DOCUMENT_FOR.get(case.instrument) if case.instrument else None
    if case.instrument in instruments.NEEDS_INTENTION and case.status is ST.INVESTIGATION:
        kind = DocumentKind.INTENTION
    if kind is None:
        return ("Kies eerst het instrument." if case.instrument is None
                else f"bij een {case.instrument.label.lower()} hoort geen document.")
    return procedure.document_kind_allowed(case, kind) or "er loopt al een document van deze soort."


@bp.post("/zaken/<int:case_id>/documenten")
@requires_roles(*OFFICERS)
def start_document(case_id: int) -> Any:
    from wki.enforcement import decisions

    started: list[CaseDocument] = []

    def call(c: Case, f: Any) -> str:
        try:
            kind = DocumentKind.from_value(f.kind.data or "")
        except ValueError:
            raise ServiceError("Kies een soort document uit de lijst.", field="kind") from None
        started.append(decisions.start_document(c.id, kind, actor=_actor()))
        return f"{started[0].kind.label} is aangemaakt (concept). Vul de tekst in."

    response = _action(case_id, "start_document", call, anchor="documenten")
    if started and getattr(response, "status_code", None) == 302:
        return redirect(url_for("enforcement.document", case_id=case_id, document_id=started[0].id))
    return response


def _document_action(case_id: int, document_id: int, form_key: str,
                     call: Callable[[Case, CaseDocument, Any], str]) -> Any:
    the_case = _case(case_id)
    document = _document_of(the_case, document_id)
    return _action(case_id, form_key, lambda c, f: call(c, document, f), anchor=f"document-{document.id}")


LETTER_DATA = "gegevens"  # the posted "sectie" of the letter's own values (no section is called so)


def _section_forms(doc: CaseDocument, posted: str | None) -> dict[str, SectionForm]:
    """One form per section the officer writes, labelled with its title; the posted one keeps what was sent."""
    from wki.enforcement import decisions

    forms: dict[str, SectionForm] = {}
    for key in decisions.editable_sections(doc.kind):
        form = SectionForm(prefix=f"sectie-{key}", formdata=request.form if posted == key else None)
        form.text.label.text = decisions.SECTION_TITLES.get(key, key)
        if posted != key:
            form.text.data = str((doc.sections or {}).get(key) or "")
            form.versie.data = str(doc.version)
        forms[key] = form
    return forms


def _letter_form(doc: CaseDocument, posted: str | None) -> LetterDataForm:
    form = LetterDataForm(prefix="gegevens", formdata=request.form if posted == LETTER_DATA else None)
    if posted != LETTER_DATA:
        operative = doc.operative or {}
        form.versie.data = str(doc.version)
        form.zienswijze_termijn.data = str(operative.get("zienswijze_termijn") or "")
        voor = operative.get("zienswijze_voor")
        form.zienswijze_voor.data = date.fromisoformat(voor) if isinstance(voor, str) and voor else None
        form.adresregels.data = "\n".join(str(line) for line in operative.get("adresregels") or [])
    return form


def _letter_values(doc: CaseDocument, form: LetterDataForm) -> dict[str, Any]:
    """The document's own values as the form gives them (only those that apply, or that were set before)."""
    operative = doc.operative or {}
    values: dict[str, Any] = {}
    if doc.kind is DocumentKind.INTENTION:
        values["zienswijze_voor"] = form.zienswijze_voor.data
        if form.zienswijze_termijn.data or operative.get("zienswijze_termijn"):
            values["zienswijze_termijn"] = form.zienswijze_termijn.data or ""
    if form.address_lines() or operative.get("adresregels"):
        values["adresregels"] = form.address_lines()
    return values




@bp.route("/zaken/<int:case_id>/documenten/<int:document_id>", methods=["GET", "POST"])
@requires_roles(*READERS)
def document(case_id: int, document_id: int) -> Any:
    """A document of the case: each section the officer writes in a form of its own (its title, a
    textarea), the letter's own values, what the application fills in and what is still missing."""
    from wki.enforcement import decisions

    the_case = _case(case_id)
    doc = _document_of(the_case, document_id)
    if request.method == "POST" and not _is_officer():
        abort(403)  # reading is for every reader; writing for officers
    editable = _is_officer() and doc.status is DocumentStatus.DRAFT
    posted = request.form.get("sectie", "") if request.method == "POST" else None
    sections, letter = _section_forms(doc, posted), _letter_form(doc, posted)
    here = url_for("enforcement.document", case_id=the_case.id, document_id=doc.id)
    form: Any = letter if posted == LETTER_DATA else sections.get(posted or "")
    if posted is not None and (form is None or not editable):
        flash("Deze tekst kan nu niet worden gewijzigd." if form is not None else "Onbekend onderdeel.", "error")
        return redirect(here)
    if form is not None and form.validate_on_submit():
        try:
            if form is letter:
                decisions.save_sections(doc.id, {}, expected_version=letter.version(), actor=_actor(),
                                        operative=_letter_values(doc, letter))
            else:
                decisions.save_sections(doc.id, {str(posted): form.text.data or ""}, expected_version=form.version(),
                                        actor=_actor())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            what = "De gegevens van de brief" if form is letter else f"‘{decisions.SECTION_TITLES.get(str(posted))}’"
            flash(f"{what} zijn opgeslagen." if form is letter else f"{what} is opgeslagen.", "success")
            return redirect(f"{here}#{LETTER_DATA if form is letter else 'sectie-' + str(posted)}")
    return render_template(
        "enforcement/case_document.html", case=the_case, doc=doc, forms=sections, failed=form, editable=editable,
        missing=decisions.missing_elements(doc) if doc.status is DocumentStatus.DRAFT else [],
        titles=decisions.SECTION_TITLES, letter=letter, intention=doc.kind is DocumentKind.INTENTION,
        generated=[k for k in decisions.sections_of(doc.kind) if k not in sections],
        confirm=ConfirmForm(prefix="bevestig"))


@bp.post("/zaken/<int:case_id>/documenten/<int:document_id>/opmaken")
@requires_roles(*OFFICERS)
def prepare_document(case_id: int, document_id: int) -> Any:
    from wki.enforcement import decisions

    def call(c: Case, d: CaseDocument, f: Any) -> str:
        if d.status is DocumentStatus.PREPARED:
            return "Dit document is al opgemaakt en wacht op goedkeuring; er is niets gewijzigd."
        decisions.prepare(d.id, actor=_actor())
        return f"{d.kind.label} is opgemaakt (kenmerk {d.kenmerk}); een collega die niet meeschreef, keurt het goed."

    return _document_action(case_id, document_id, "confirm", call)


@bp.get("/zaken/<int:case_id>/documenten/<int:document_id>/pdf")
@requires_roles(*READERS)
def document_pdf(case_id: int, document_id: int) -> Any:
    """The prepared (or issued) PDF, inline: the approver reads exactly what is approved."""
    from wki.enforcement import decisions

    doc = _document_of(_case(case_id), document_id)
    try:
        data = decisions.document_pdf(doc.id, actor=_actor())
    except NotFoundError:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "error")
        return _back(doc.case, f"document-{doc.id}")
    name = (doc.kenmerk or f"concept-{doc.id}").replace("/", "-")
    response = send_file(BytesIO(data), mimetype="application/pdf", as_attachment=False,
                         download_name=f"{name}.pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/zaken/<int:case_id>/documenten/<int:document_id>/goedkeuren")
@requires_roles(*OFFICERS)
def approve_document(case_id: int, document_id: int) -> Any:
    from wki.enforcement import decisions

    def call(c: Case, d: CaseDocument, f: Any) -> str:
        decisions.approve_document(d.id, sha256=(request.form.get("sha256") or "").strip()[:64], actor=_actor())
        return f"{d.kind.label} {d.kenmerk} is goedgekeurd en kan worden uitgegeven."

    return _document_action(case_id, document_id, "confirm", call)


@bp.post("/zaken/<int:case_id>/documenten/<int:document_id>/terugsturen")
@requires_roles(*OFFICERS)
def return_document(case_id: int, document_id: int) -> Any:
    from wki.enforcement import decisions

    def call(c: Case, d: CaseDocument, f: Any) -> str:
        decisions.return_document(d.id, reason=f.reason.data or "", actor=_actor())
        return f"{d.kind.label} is teruggestuurd naar concept."

    return _document_action(case_id, document_id, f"return-{document_id}", call)


@bp.post("/zaken/<int:case_id>/documenten/<int:document_id>/uitgeven")
@requires_roles(*OFFICERS)
def issue_document(case_id: int, document_id: int) -> Any:
    def call(c: Case, d: CaseDocument, f: Any) -> str:
        if d.status is DocumentStatus.ISSUED:
            return f"{d.kind.label} {d.kenmerk} was al uitgegeven; er is niets gewijzigd."
        procedure.issue_case_document(d.id, actor=_actor())
        return f"{d.kind.label} {d.kenmerk} is uitgegeven; de zaak is {c.status.label.lower()}."

    return _document_action(case_id, document_id, "confirm", call)


@bp.post("/zaken/<int:case_id>/documenten/<int:document_id>/vervallen")
@requires_roles(*OFFICERS)
def lapse_document(case_id: int, document_id: int) -> Any:
    from wki.enforcement import decisions

    def call(c: Case, d: CaseDocument, f: Any) -> str:
        if d.status is DocumentStatus.LAPSED:
            return "Dit document was al vervallen; er is niets gewijzigd."
        decisions.lapse(d.id, reason=f.reason.data or "", actor=_actor())
        return f"{d.kind.label} is vervallen."

    return _document_action(case_id, document_id, f"lapse-{document_id}", call)
