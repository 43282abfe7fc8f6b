"""Pages of inspections: the list, starting one, the inspection with its checklist and the actions allowed
now, the information request, a checklist item with its evidence, and evidence downloads.

Thin views: build the form, validate, call ONE service of ``inspections`` (which holds every rule and audits),
flash, redirect (post/redirect/get). A service's refusal (ServiceError) shows its Dutch message with the form
and changes nothing (services run in a savepoint). Reading is for every READER; the actions for INSPECTORS,
also where one page both shows and takes a form (the item page: POST is refused to a reader, 403)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from wki.auth import services as accounts
from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles, user_has_any_role
from wki.core.clock import today_local
from wki.core.errors import NotFoundError, ServiceError
from wki.core.forms import BaseForm, ConfirmForm
from wki.core.lookups import or_404
from wki.core.paging import PAGE_ARG, page_arg
from wki.core.workflow import ConcurrentEditError, active_approval
from wki.register import queries as register
from wki.supervision import INSPECTORS, READERS, bp, catalogue, checks, inspections
from wki.supervision.forms import (
    ApproveForm,
    FileEvidenceForm,
    InspectionFilterForm,
    JudgeForm,
    NewInspectionForm,
    RegisterEvidenceForm,
    RequestForm,
    ReturnForm,
    ReviewerForm,
    SignalChoiceForm,
    SignalEvidenceForm,
    StaffListForm,
    SubmitForm,
    WithdrawForm,
    default_day,
    request_lines,
)
from wki.supervision.models import (
    NEEDS_EVIDENCE,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionItem,
    InspectionStatus,
    Judgement,
    ObtainedHow,
)

PER_PAGE = 50
REQUEST_DAYS = 14
ST = InspectionStatus


def _actor() -> Actor:
    return Actor.of(current_user)


def _is_inspector() -> bool:
    return user_has_any_role(current_user, INSPECTORS)


def _inspection(inspection_id: int) -> Inspection:
    return or_404(inspections.get_inspection, inspection_id)


def _item(inspection_id: int, inspection_item_id: int) -> InspectionItem:
    item = or_404(inspections.get_item, inspection_item_id)
    if item.inspection_id != inspection_id:
        abort(404)
    return item


def _back(inspection: Inspection, anchor: str | None = None) -> Response:
    return redirect(url_for("supervision.inspection", inspection_id=inspection.id, _anchor=anchor))


def _then(_done: Any, message: str) -> str:
    """The message of an action, once its service call (the first argument, evaluated first) is done."""
    return message


# ---------------------------------------------------------------- the list


@bp.get("/inspecties", endpoint="inspections")
@requires_roles(*READERS)
def inspections_list() -> Any:
    form = InspectionFilterForm(request.args)
    f = inspections.InspectionFilter(status=form.status_value(),
                                     mine=current_user.id if form.mijn.data == "ja" else None)
    pagination = inspections.search(f, page=page_arg(), per_page=PER_PAGE)
    counts = inspections.outcome_counts([i.id for i in pagination.items])
    params = {k: v for k, v in request.args.items() if k != PAGE_ARG and v != ""}
    return render_template("supervision/inspections.html", form=form, pagination=pagination, counts=counts,
                           params=params, judgements=list(Judgement), may_start=_is_inspector())


# ---------------------------------------------------------------- a new inspection


def _reviewer_choices(exclude: int | None = None) -> list[tuple[int, str]]:
    """Active inspectors other than ``exclude`` (the inspection's inspector; default: me)."""
    left_out = current_user.id if exclude is None else exclude
    return [(u.id, f"{u.name} ({u.email})")
            for u in accounts.list_users(role=Role.INSPECTEUR.value, include_inactive=False) if u.id != left_out]


def _requirement_choices(form: NewInspectionForm) -> list[Any]:
    """The requirements that apply on the form's date in the version in force then ([] when there is none)."""
    day = form.inspectiedatum.data if not form.inspectiedatum.errors else None
    version = catalogue.version_in_force(day) if day else None
    return catalogue.applicable_requirements(version, day) if version is not None and day else []


@bp.route("/inspecties/nieuw", methods=["GET", "POST"])
@requires_roles(*INSPECTORS)
def new_inspection() -> Any:
    form = NewInspectionForm()
    form.set_reviewers(_reviewer_choices())
    if request.method == "GET":
        form.registratienummer.data = (request.args.get("registratienummer") or "").strip()[:40]
        form.aanleiding.data = (request.args.get("aanleiding") or "").strip()
        default_day(form.inspectiedatum, today_local())
    requirements = _requirement_choices(form)
    form.eisen.choices = [(r.code, f"{r.code} — {r.titel}") for r in requirements]
    if request.method == "GET":
        form.eisen.data = [r.code for r in requirements]
    registratienummer = (form.registratienummer.data or "").strip()
    if form.validate_on_submit():
        try:
            inspection = inspections.start_inspection(
                registratienummer=registratienummer, kind=form.soort.data or "", inspectiedatum=form.inspectiedatum.data,
                inspector_id=current_user.id, actor=_actor(), reviewer_id=form.reviewer_id(),
                codes=list(form.eisen.data or []), aanleiding=form.aanleiding.data)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(f"Inspectie {inspection.nummer} is aangemaakt (concept). Begin haar of stuur eerst het "
                  "informatieverzoek.", "success")
            return redirect(url_for("supervision.inspection", inspection_id=inspection.id))
    version = None
    open_one = None
    if registratienummer:
        try:
            version = register.get_registration(registratienummer)
        except ServiceError:
            version = None
        open_one = inspections.open_inspection_of(registratienummer)
    day = form.inspectiedatum.data if not form.inspectiedatum.errors else None
    return render_template("supervision/new_inspection.html", form=form, registration=version, open_one=open_one,
                           requirements={r.code: r for r in requirements},
                           catalogue_version=catalogue.version_in_force(day) if day else None)


# ---------------------------------------------------------------- the inspection


def _forms_for(inspection: Inspection) -> dict[str, BaseForm]:
    forms: dict[str, BaseForm] = {
        "confirm": ConfirmForm(prefix="bevestig"),
        "submit": SubmitForm(prefix="aanbieden"),
        "withdraw": WithdrawForm(prefix="intrekken"),
        "return_": ReturnForm(prefix="terugsturen"),
        "approve": ApproveForm(prefix="goedkeuren"),
        "staff": StaffListForm(prefix="personeel"),
        "reviewer": ReviewerForm(prefix="reviewer"),
    }
    forms["reviewer"].set_reviewers([(i, label) for i, label in _reviewer_choices(exclude=inspection.inspector_id)])
    if request.method == "GET":
        forms["submit"].versie.data = str(inspection.version)
        forms["reviewer"].versie.data = str(inspection.version)
        forms["reviewer"].reviewer.data = str(inspection.reviewer_id or "")
        forms["approve"].content_sha256.data = inspections.checklist_hash(inspection)
    return forms


def _actions(inspection: Inspection) -> dict[str, Any]:
    """What the current user may do now: the declared steps from this status and the rules around them."""
    if not _is_inspector():
        return {}
    me = current_user.id
    status = inspection.status
    targets = {step.target for step in inspections.INSPECTION_FLOW.allowed_from(status)}
    authors = inspections.authors(inspection)
    reviewer_may = status == ST.IN_REVIEW and me not in authors and inspection.reviewer_id in (None, me)
    approval = active_approval(inspections.OBJECT_TYPE, inspection.id)
    valid = inspections.approval_of(inspection) is not None
    return {
        "begin": ST.IN_PROGRESS in targets and status == ST.DRAFT,
        "request": status in (ST.DRAFT, ST.IN_PROGRESS) and not inspection.request_kenmerk,
        "checks": status in inspections.EDITABLE,
        "staff": status in inspections.EDITABLE,
        "submit": ST.IN_REVIEW in targets,
        "withdraw": ST.WITHDRAWN in targets,
        "reviewer": status in inspections.OPEN,
        "return_": reviewer_may,
        "approve": reviewer_may and approval is None,
        "report": ST.DONE in targets and valid,
    }


def _approval_state(inspection: Inspection) -> dict[str, Any] | None:
    from wki.core.extensions import db
    from wki.core.workflow import Approval

    approval = active_approval(inspections.OBJECT_TYPE, inspection.id)
    if approval is not None:
        return {"valid": approval.content_sha256 == inspections.checklist_hash(inspection), "approval": approval}
    last = db.session.scalar(db.select(Approval).where(Approval.object_type == inspections.OBJECT_TYPE,
                                                       Approval.object_id == str(inspection.id))
                             .order_by(Approval.id.desc()).limit(1))
    return {"valid": False, "approval": last} if last is not None else None


def _render_inspection(inspection: Inspection, forms: dict[str, BaseForm] | None = None) -> str:
    forms = forms or _forms_for(inspection)
    users = {u.id: u for u in accounts.list_users()}
    return render_template(
        "supervision/inspection.html", inspection=inspection, forms=forms, actions=_actions(inspection),
        problems=inspections.completeness(inspection) if inspection.status in inspections.EDITABLE else [],
        approval=_approval_state(inspection), reviews=inspections.reviews_of(inspection), users=users,
        registration_url=url_for("register.registration", registratienummer=inspection.registratienummer),
        content_sha256=inspections.checklist_hash(inspection), needs_evidence=NEEDS_EVIDENCE,
        signals=checks.summary_for(inspection.registratienummer, inspection.inspectiedatum),
        judgement_label=lambda value: Judgement.label_of(str(value or "")))


@bp.get("/inspecties/<int:inspection_id>")
@requires_roles(*READERS)
def inspection(inspection_id: int) -> Any:
    return _render_inspection(_inspection(inspection_id))


def _action(inspection_id: int, form_key: str, call: Callable[[Inspection, Any], str]) -> Any:
    """One POST action of the inspection page: validate its form, call the service, flash its outcome and
    go back; a refusal shows the page again with the message at the form (nothing changed)."""
    inspection = _inspection(inspection_id)
    forms = _forms_for(inspection)
    form = forms[form_key]
    if form.validate_on_submit():
        try:
            message = call(inspection, form)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(message, "success")
            return _back(inspection)
    forms["failed"] = form
    return _render_inspection(inspection, forms)


@bp.post("/inspecties/<int:inspection_id>/reviewer")
@requires_roles(*INSPECTORS)
def set_reviewer(inspection_id: int) -> Any:
    def call(i: Inspection, f: Any) -> str:
        inspections.set_reviewer(i.id, reviewer_id=f.reviewer_id(), version=f.version(), actor=_actor())
        return "De reviewer is gewijzigd." if i.reviewer_id else "Er is geen reviewer meer gekozen."

    return _action(inspection_id, "reviewer", call)


@bp.post("/inspecties/<int:inspection_id>/beginnen")
@requires_roles(*INSPECTORS)
def begin_inspection(inspection_id: int) -> Any:
    return _action(inspection_id, "confirm", lambda i, f: _then(
        inspections.begin_inspection(i.id, actor=_actor()),
        f"Inspectie {i.nummer} is begonnen."))


@bp.post("/inspecties/<int:inspection_id>/controles")
@requires_roles(*INSPECTORS)
def run_checks(inspection_id: int) -> Any:
    def call(i: Inspection, _f: Any) -> str:
        done = inspections.run_checks(i.id, actor=_actor())
        return (f"De automatische controles gaven een voorstel bij {len(done)} "
                f"{'eis' if len(done) == 1 else 'eisen'}." if done else "De automatische controles gaven geen voorstel.")

    return _action(inspection_id, "confirm", call)


@bp.post("/inspecties/<int:inspection_id>/personeelslijst")
@requires_roles(*INSPECTORS)
def staff_list(inspection_id: int) -> Any:
    def call(i: Inspection, f: Any) -> str:
        upload = f.personeelslijst.data
        summary = inspections.check_staff(i.id, data=upload.read(), file_name=upload.filename or "", actor=_actor())
        found = len(summary["bevindingen"])
        return (f"De personeelslijst ({summary['personen']} personen) is gecontroleerd: "
                f"{found} {'bevinding' if found == 1 else 'bevindingen'}.")

    return _action(inspection_id, "staff", call)


@bp.post("/inspecties/<int:inspection_id>/aanbieden")
@requires_roles(*INSPECTORS)
def submit_inspection(inspection_id: int) -> Any:
    return _action(inspection_id, "submit", lambda i, f: _then(
        inspections.submit_for_review(i.id, version=f.version(), actor=_actor()),
        f"Inspectie {i.nummer} is ter review aangeboden."))


@bp.post("/inspecties/<int:inspection_id>/intrekken")
@requires_roles(*INSPECTORS)
def withdraw_inspection(inspection_id: int) -> Any:
    return _action(inspection_id, "withdraw", lambda i, f: _then(
        inspections.withdraw_inspection(i.id, reason=f.reden.data or "", actor=_actor()),
        f"Inspectie {i.nummer} is ingetrokken."))


@bp.post("/inspecties/<int:inspection_id>/terugsturen")
@requires_roles(*INSPECTORS)
def return_inspection(inspection_id: int) -> Any:
    return _action(inspection_id, "return_", lambda i, f: _then(
        inspections.return_inspection(i.id, comment=f.opmerking.data or "", actor=_actor()),
        f"Inspectie {i.nummer} is teruggestuurd naar de inspecteur."))


@bp.post("/inspecties/<int:inspection_id>/goedkeuren")
@requires_roles(*INSPECTORS)
def approve_inspection(inspection_id: int) -> Any:
    return _action(inspection_id, "approve", lambda i, f: _then(
        inspections.approve_inspection(i.id, content_sha256=f.content_sha256.data or "", actor=_actor(),
                                       comment=f.opmerking.data),
        f"Inspectie {i.nummer} is goedgekeurd. Het rapport kan nu worden uitgegeven."))


@bp.post("/inspecties/<int:inspection_id>/rapport")
@requires_roles(*INSPECTORS)
def issue_report(inspection_id: int) -> Any:
    return _action(inspection_id, "confirm", lambda i, f: _then(
        inspections.issue_report(i.id, actor=_actor()),
        f"Het rapport {i.report_kenmerk} is uitgegeven; inspectie {i.nummer} is afgerond."))


# ---------------------------------------------------------------- the information request


@bp.route("/inspecties/<int:inspection_id>/informatieverzoek", methods=["GET", "POST"])
@requires_roles(*INSPECTORS)
def information_request(inspection_id: int) -> Any:
    inspection = _inspection(inspection_id)
    form = RequestForm()
    if request.method == "GET":
        form.uiterlijk.data = today_local() + timedelta(days=REQUEST_DAYS)
        form.stukken.data = request_lines(inspections.requested_items(inspection))
    if form.validate_on_submit():
        try:
            inspections.issue_information_request(inspection.id, deadline=form.uiterlijk.data, items=form.items(),
                                                  actor=_actor())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(f"Het informatieverzoek {inspection.request_kenmerk} is uitgegeven.", "success")
            return _back(inspection)
    return render_template("supervision/inspection_request.html", inspection=inspection, form=form)


# ---------------------------------------------------------------- a checklist item


def _signal_options(registratienummer: str) -> list[tuple[int, str]]:
    """The signals about the registration, for a select (none: the form asks for a signal's number)."""
    from wki.core.formatting import fmt_date
    from wki.signals import queries as signal_queries

    return [(s.id, f"{s.referentie} ({s.bron_label}, {fmt_date(s.reference_date)})")
            for s in signal_queries.signals_about_registration(registratienummer)]


def _item_forms(item: InspectionItem) -> dict[str, BaseForm]:
    options = _signal_options(item.inspection.registratienummer)
    signal_form: SignalEvidenceForm
    if not options:
        signal_form = SignalEvidenceForm(prefix="signaal")
    else:
        signal_form = SignalChoiceForm(prefix="signaal")
        signal_form.set_signals(options)
    forms: dict[str, BaseForm] = {"judge": JudgeForm(prefix="oordeel"), "file": FileEvidenceForm(prefix="bestand"),
                                  "signal": signal_form, "register": RegisterEvidenceForm(prefix="register"),
                                  "remove": ConfirmForm(prefix="verwijder")}
    if request.method == "GET":
        judge = forms["judge"]
        asked = request.args.get("oordeel", "")
        chosen = item.judgement.value if item.judgement != Judgement.NOT_JUDGED else (
            asked or (item.proposal or {}).get("judgement") or "")
        judge.oordeel.data = chosen or None
        finding = item.finding or ""
        if not finding and asked in {j.value for j in Judgement}:
            finding = item.requirement.standard_finding(asked)
        judge.bevinding.data = finding
        judge.versie.data = str(item.version)
        default_day(forms["file"].verkregen_op, today_local())
        default_day(forms["register"].peildatum, item.inspection.inspectiedatum)
    return forms


def _render_item(item: InspectionItem, forms: dict[str, BaseForm], status: int = 200) -> Any:
    inspection = item.inspection
    return render_template(
        "supervision/item.html", inspection=inspection, item=item, forms=forms,
        editable=_is_inspector() and inspection.status in inspections.EDITABLE,
        standard=[(j, item.requirement.standard_finding(j.value)) for j in Judgement
                  if item.requirement.standard_finding(j.value)],
        proposal_label=Judgement.label_of(str((item.proposal or {}).get("judgement", ""))) if item.proposal else None,
        how=ObtainedHow, kind=EvidenceKind, needs_evidence=NEEDS_EVIDENCE, signals_listed=isinstance(forms["signal"], SignalChoiceForm)), status


_ITEM_ACTIONS = {"oordeel": "judge", "bestand": "file", "signaal": "signal", "register": "register"}


def _item_post(item: InspectionItem, action: str, form: Any) -> str:
    actor = _actor()
    if action == "judge":
        inspections.judge_item(item.id, judgement=form.oordeel.data or "", finding=form.bevinding.data,
                               version=form.version(), actor=actor)
        return f"Het oordeel over {item.requirement.code} is opgeslagen."
    if action == "file":
        upload = form.bestand.data
        evidence = inspections.add_file_evidence(
            item.id, data=upload.read(), file_name=upload.filename or "", actor=actor,
            description=form.omschrijving.data, obtained_how=form.wijze.data or "", obtained_on=form.verkregen_op.data)
        return f"Het bestand {evidence.file_name} is als bewijs toegevoegd."
    if action == "signal":
        signal_id = form.signal_id()
        if signal_id is None:
            raise ServiceError("Vul het nummer van een signaal in.", field="signaal")
        inspections.add_signal_evidence(item.id, signal_id=signal_id, actor=actor, description=form.omschrijving.data)
        return "Het signaal is als bewijs gekoppeld."
    inspections.add_register_evidence(item.id, as_of=form.peildatum.data, actor=actor,
                                      description=form.omschrijving.data)
    return "De registergegevens zijn als bewijs vastgelegd."


@bp.route("/inspecties/<int:inspection_id>/eisen/<int:inspection_item_id>", methods=["GET", "POST"])
@requires_roles(*READERS)
def item(inspection_id: int, inspection_item_id: int) -> Any:
    checklist_item = _item(inspection_id, inspection_item_id)
    if request.method == "POST" and not _is_inspector():
        abort(403)  # reading is for every reader; judging and evidence for inspectors
    forms = _item_forms(checklist_item)
    if request.method == "GET":
        return _render_item(checklist_item, forms)
    action = _ITEM_ACTIONS.get(request.form.get("actie", ""), "judge")
    form = forms[action]
    if form.validate_on_submit():
        try:
            message = _item_post(checklist_item, action, form)
        except ConcurrentEditError as exc:
            form.apply_service_error(exc)
            if action == "judge":
                form.versie.data = str(checklist_item.version)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(message, "success")
            if action == "judge":
                return _back(checklist_item.inspection, f"eis-{checklist_item.id}")
            return redirect(url_for("supervision.item", inspection_id=inspection_id,
                                    inspection_item_id=checklist_item.id, _anchor="bewijs"))
    forms["failed"] = form
    return _render_item(checklist_item, forms)


# ---------------------------------------------------------------- evidence


def _download_name(evidence: Evidence) -> str:
    """A file name safe in a header and on any disk: the stored name's stem, its type's extension."""
    stem = Path(evidence.file_name or "bewijs").stem
    safe = "".join(c if c.isalnum() or c in "-_ ." else "_" for c in stem).strip(" .")[:100] or "bewijs"
    return safe + inspections.EVIDENCE_TYPES.get(evidence.content_type or "", "")


@bp.get("/bewijs/<int:evidence_id>")
@requires_roles(*READERS)
def evidence_file(evidence_id: int) -> Any:
    try:
        data, evidence = inspections.evidence_file(evidence_id, actor=_actor())
    except NotFoundError:
        abort(404)
    response = send_file(BytesIO(data), mimetype=evidence.content_type or "application/octet-stream",
                         as_attachment=True, download_name=_download_name(evidence), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/bewijs/<int:evidence_id>/verwijderen")
@requires_roles(*INSPECTORS)
def remove_evidence(evidence_id: int) -> Any:
    evidence = or_404(inspections.get_evidence, evidence_id)
    item_ = evidence.item
    try:
        inspections.remove_evidence(evidence_id, actor=_actor())  # the request passed the CSRF check
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash("Het bewijs is van de checklist gehaald; het bestand blijft bewaard.", "success")
    return redirect(url_for("supervision.item", inspection_id=item_.inspection_id, inspection_item_id=item_.id,
                            _anchor="bewijs"))
