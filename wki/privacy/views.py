"""Beheer → Persoonsgegevens (AVG): the retention periods with their legal basis, what is due now, what each
run removed; and the requests for access or erasure (search, export, erase). Administrators only.

Thin views: a form, one service of ``retention``/``requests``, flash, redirect. The search is sent by POST, so
that a person's name never lands in an address bar, a log or the browser's history."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from wki.core.actors import Actor
from wki.core.auth import requires_roles
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.lookups import found_or_404
from wki.privacy import ADMINISTRATORS, bp, requests, retention
from wki.privacy.forms import EraseForm, PersonForm
from wki.privacy.models import RequestKind


def _person(form: PersonForm) -> requests.Person:
    return requests.Person(naam=form.naam.data or "", adres=form.adres.data or "", email=form.email.data or "")


@bp.get("", endpoint="index")
@requires_roles(*ADMINISTRATORS)
def index() -> Any:
    return render_template("privacy/index.html", overview=retention.due_overview(), runs=retention.recent_runs(),
                           duties=retention.DUTIES, job_name=retention.JOB_NAME,
                           kind_labels=retention.KIND_LABELS)


@bp.route("/verzoeken", methods=["GET", "POST"], endpoint="requests")
@requires_roles(*ADMINISTRATORS)
def request_search() -> Any:
    """A request for access or erasure: find the person (POST), then export or erase from the hits."""
    form = PersonForm()
    findings = None
    if form.validate_on_submit():
        try:
            findings = requests.search(_person(form))
        except ServiceError as exc:
            form.apply_service_error(exc)
    return _page(form, findings, EraseForm(formdata=None, data=form.data) if findings else None)


def _page(form: PersonForm, findings: requests.Findings | None, erase_form: EraseForm | None) -> str:
    return render_template("privacy/requests.html", form=form, findings=findings, erase_form=erase_form,
                           recent=requests.recent_requests(), kinds=RequestKind)


@bp.post("/verzoeken/export", endpoint="export")
@requires_roles(*ADMINISTRATORS)
def export() -> Any:
    form = PersonForm()
    if form.validate_on_submit():
        try:
            content, record = requests.export(_person(form), reference=form.kenmerk.data or "",
                                              actor=Actor.of(current_user))
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            return Response(content, content_type="application/zip", headers={
                "Content-Disposition": f'attachment; filename="avg-inzage-{record.id}.zip"'})
    return _page(form, None, None)


@bp.post("/verzoeken/wissen", endpoint="erase")
@requires_roles(*ADMINISTRATORS)
def erase() -> Any:
    form = EraseForm()
    if form.validate_on_submit():
        if not form.bevestiging.data:
            form.bevestiging.errors = ["Vink aan dat u deze gegevens wilt wissen."]
        else:
            try:
                record, files = requests.erase(_person(form), reference=form.kenmerk.data or "",
                                               reason=form.reden.data or "", actor=Actor.of(current_user))
            except ServiceError as exc:
                form.apply_service_error(exc)
            else:
                # The rows are gone for good only after this commit; then their files may go from the stores.
                db.session.commit()
                requests.delete_files(files)
                flash(f"Verzoek {record.reference}: {record.counts.get('signalen', 0)} signalen en "
                      f"{record.counts.get('zaken', 0)} zaken gewist; {record.counts.get('bewaard', 0)} bewaard "
                      "wegens een bewaarplicht.", "success")
                return redirect(url_for("privacy.request_detail", request_id=record.id))
    findings = None
    try:
        findings = requests.search(_person(form))
    except ServiceError as exc:
        form.apply_service_error(exc)
    return _page(form, findings, form)


@bp.get("/verzoeken/<int:request_id>", endpoint="request_detail")
@requires_roles(*ADMINISTRATORS)
def request_detail(request_id: int) -> Any:
    record = found_or_404(requests.get_request(request_id))
    return render_template("privacy/request_detail.html", record=record, kept_labels=requests.KEPT_LABELS)

