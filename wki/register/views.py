"""The register pages: the list with search, filters and export; a registration with its history; and,
for administrators, the sync runs and the snapshots with their quarantine decisions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from wki.core import audit
from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles
from wki.core.clock import today_local
from wki.core.downloads import csv_response
from wki.core.errors import NotFoundError, ServiceError
from wki.core.features import REGISTRATION_PAGE, panels_for
from wki.core.lookups import or_404
from wki.core.paging import page_arg
from wki.register import READERS, bp, page_queries, queries, services
from wki.register.audit_actions import RegisterAction
from wki.register.forms import (
    KIND_LABELS,
    SNAPSHOT_STATUS_LABELS,
    SORT_LABELS,
    STATUS_LABELS,
    SYNC_OUTCOME_LABELS,
    ApproveSnapshotForm,
    DiscardSnapshotForm,
    RegisterSearchForm,
    SnapshotFilterForm,
    SyncRunFilterForm,
    UploadForm,
)
from wki.register.models import SnapshotStatus, SyncOutcome, Validity
from wki.register.snapshots import SnapshotRejected

ADMIN = Role.BEHEERDER
PER_PAGE = 50

LABELS = {"status": STATUS_LABELS, "kind": KIND_LABELS, "snapshot_status": SNAPSHOT_STATUS_LABELS,
          "outcome": SYNC_OUTCOME_LABELS, "sort": SORT_LABELS, "field": queries.FIELD_LABELS}


def _search_form() -> tuple[RegisterSearchForm, dict | None]:
    """The list's form from the query string, and the search filters (None when the form has errors)."""
    form = RegisterSearchForm(request.args)
    if not form.validate():
        return form, None
    return form, form.filters()


# ---------------------------------------------------------------- the register


def _list_page(form: RegisterSearchForm, filters: dict | None):
    """The list for valid filters; for invalid ones the form with its errors and no results."""
    as_of = filters["as_of"] if filters else None
    pagination = queries.search(page=page_arg(), per_page=PER_PAGE, **filters) if filters is not None else None
    derived = queries.derived_from(as_of) if as_of else None
    # Before the first snapshot each status is the one the dates give on that day, not the later snapshot's.
    statuses = ({v.id: queries.status_on(v, as_of) for v in pagination.items}
                if derived and pagination and as_of is not None else {})
    return render_template("register/index.html", form=form, pagination=pagination, as_of=as_of,
                           day=as_of or today_local(), mirror_start=queries.mirror_start(), derived=derived,
                           statuses=statuses, labels=LABELS)


# Also without the slash, and without a redirect: /register was the section's address before this list.
@bp.get("/", strict_slashes=False)
@requires_roles(*READERS)
def index():
    return _list_page(*_search_form())


@bp.get("/export.csv")
@requires_roles(*READERS)
def export():
    form, filters = _search_form()
    if filters is None:
        return _list_page(form, None), 400
    # The IBANs and phone numbers in the mirror come partly from the Inspectie's own supervision, so
    # who took a copy of which selection is recorded.
    audit.record(RegisterAction.EXPORTED, object_type="register",
                 after={k: v for k, v in filters.items() if v not in (None, "", False)})
    day = filters["as_of"] or today_local()
    return csv_response(page_queries.iter_register_csv(queries.search_stmt(**filters)),
                        f"register-{day.isoformat()}.csv")


# Registration numbers may contain "/" (register.md allows letters, digits and . / _ -), so the
# parameter takes the rest of the path; the fixed URLs above and below are matched first.
@bp.get("/<path:registratienummer>")
@requires_roles(*READERS)
def registration(registratienummer: str):
    version = or_404(queries.get_registration, registratienummer)
    today = today_local()
    held_today = queries.registration_as_of(registratienummer, today)
    valid_today = held_today is not None and held_today.is_valid_on(today)
    return render_template(
        "register/registration.html", version=version, today=today,
        left=version.valid_to is not None, valid_today=valid_today,
        validity=Validity.VALID if valid_today else Validity.NOT_VALID,
        held_today=held_today, timeline=queries.timeline(registratienummer),
        versions=list(reversed(queries.versions_of(registratienummer))),
        panels=panels_for(REGISTRATION_PAGE, registratienummer, version, current_user), labels=LABELS,
    )


# ---------------------------------------------------------------- sync runs (beheer)


@bp.get("/beheer/synchronisaties")
@requires_roles(ADMIN)
def sync_runs():
    form = SyncRunFilterForm(request.args)
    valid = form.validate()
    pagination = services.list_runs(kind=form.soort.data or None, outcome=form.uitkomst.data or None,
                                    page=page_arg(), per_page=PER_PAGE) if valid else None
    return render_template("register/sync_runs.html", form=form, pagination=pagination,
                           freshness=services.sync_freshness(), labels=LABELS)


@bp.get("/beheer/synchronisaties/<int:sync_run_id>")
@requires_roles(ADMIN)
def sync_run_detail(sync_run_id: int):
    run = or_404(services.get_run, sync_run_id)
    return render_template("register/sync_run_detail.html", run=run, labels=LABELS)


# ---------------------------------------------------------------- snapshots and quarantine (beheer)


@bp.get("/beheer/snapshots")
@requires_roles(ADMIN)
def snapshots():
    form = SnapshotFilterForm(request.args)
    valid = form.validate()
    pagination = page_queries.list_snapshots(kind=form.soort.data or None, status=form.status.data or None,
                                             page=page_arg(), per_page=PER_PAGE) if valid else None
    return render_template("register/snapshots.html", form=form, pagination=pagination,
                           quarantined=page_queries.count_quarantined(), labels=LABELS)


def _snapshot_page(snapshot_id: int, *, discard_form: DiscardSnapshotForm | None = None,
                   approve_form: ApproveSnapshotForm | None = None):
    snapshot = or_404(services.get_snapshot, snapshot_id)  # the held file itself is deferred (models.py)
    pending = snapshot.status == SnapshotStatus.QUARANTINED
    counts = snapshot.counts or {}
    diff = snapshot.diff or {}
    preview = None
    if pending:
        # What approving would do now: the held file planned against the mirror as it is now, not the
        # diff stored when it went into quarantine (the mirror may have changed since).
        preview = services.approval_preview(snapshot)
        if preview.plan is not None:
            counts, diff = preview.plan.counts, preview.plan.diff()
            approve_form = approve_form or ApproveSnapshotForm()
            approve_form.basis.data = str(preview.basis)
    elif not diff and snapshot.kind == "register" and snapshot.status == SnapshotStatus.APPLIED:
        diff = page_queries.applied_diff(snapshot)
    names: dict[str, str] = {}
    if diff and snapshot.kind == "register":
        keys = [*diff.get("teruggekeerd", []), *diff.get("verdwenen", []), *diff.get("gewijzigd", {}),
                *diff.get("nieuw", [])]
        names = queries.registration_names(keys)
    return render_template(
        "register/snapshot_detail.html", snapshot=snapshot, diff=diff, counts=counts, names=names, pending=pending,
        preview=preview, approve_form=approve_form if preview is not None and preview.plan is not None else None,
        discard_form=(discard_form or DiscardSnapshotForm()) if pending else None, labels=LABELS,
    )


@bp.get("/beheer/snapshots/<int:snapshot_id>")
@requires_roles(ADMIN)
def snapshot_detail(snapshot_id: int):
    return _snapshot_page(snapshot_id)


@bp.post("/beheer/snapshots/<int:snapshot_id>/goedkeuren")
@requires_roles(ADMIN)
def snapshot_approve(snapshot_id: int):
    form = ApproveSnapshotForm()
    if form.validate_on_submit():
        try:
            result = services.approve_snapshot(snapshot_id, reason=form.toelichting.data, basis=form.basis_id(),
                                               actor=Actor.of(current_user))
        except NotFoundError:
            abort(404)
        except ServiceError as exc:
            if exc.field is None:
                # Refused before anything changed (decided already, no longer next, mirror moved on).
                flash(exc.message, "error")
                return redirect(url_for("register.snapshot_detail", snapshot_id=snapshot_id))
            form.toelichting.errors = [*form.toelichting.errors, exc.message]
        else:
            flash(result.message, "success")
            return redirect(url_for("register.snapshot_detail", snapshot_id=snapshot_id))
    return _snapshot_page(snapshot_id, approve_form=form)


@bp.post("/beheer/snapshots/<int:snapshot_id>/verwerpen")
@requires_roles(ADMIN)
def snapshot_discard(snapshot_id: int):
    form = DiscardSnapshotForm()
    if form.validate_on_submit():
        try:
            services.discard_snapshot(snapshot_id, reason=form.reden.data, actor=Actor.of(current_user))
        except NotFoundError:
            abort(404)
        except ServiceError as exc:
            if exc.field is None:
                flash(exc.message, "error")
                return redirect(url_for("register.snapshot_detail", snapshot_id=snapshot_id))
            form.apply_service_error(exc)
        else:
            flash(f"Snapshot {snapshot_id} is verworpen; het register is niet gewijzigd.", "success")
            return redirect(url_for("register.snapshot_detail", snapshot_id=snapshot_id))
    return _snapshot_page(snapshot_id, discard_form=form)


# ---------------------------------------------------------------- a file uploaded by hand (beheer)

# Seconds between two refreshes of the result page while the import waits or runs (``Refresh`` header).
UPLOAD_REFRESH_SECONDS = 3
UPLOAD_REPORT_LIMIT = 200


@bp.route("/beheer/importeren", methods=["GET", "POST"])
@requires_roles(ADMIN)
def upload():
    """``flask register import`` from the browser: the file is checked at once and read in by the worker."""
    form = UploadForm()
    if request.method == "GET" and not form.snapshotdatum.data:
        form.snapshotdatum.data = today_local()
    if form.validate_on_submit():
        upload_file = form.bestand.data
        file_name = Path(upload_file.filename or "").name[:300] or None
        try:
            item, created = services.queue_upload(form.soort.data, upload_file.read(),
                                                  snapshot_date=form.snapshotdatum.data, file_name=file_name,
                                                  actor=Actor.of(current_user))
        except SnapshotRejected as exc:
            form.bestand.errors = [*form.bestand.errors, f"{exc.message} Er is niets gewijzigd."]
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(f"{file_name or 'Het bestand'} staat in de wachtrij om te worden ingelezen; deze pagina laat zien "
                  "hoe ver het is." if created else
                  f"{file_name or 'Dit bestand'} was al aangeboden; dit is de voortgang daarvan.",
                  "success" if created else "info")
            return redirect(url_for("register.upload_result", upload_id=item.id))
    return render_template("register/upload.html", form=form, labels=LABELS)


@bp.get("/beheer/importeren/<int:upload_id>")
@requires_roles(ADMIN)
def upload_result(upload_id: int):
    """How far an uploaded file is; when done, what came of it, with the snapshot (or its quarantine)."""
    from wki.core import worker

    item = worker.get_item(upload_id)
    if item is None or item.kind != services.UPLOAD_WORK:
        abort(404)
    result = item.result or {}
    snapshot = None
    if result.get("snapshot_id"):
        try:
            snapshot = services.get_snapshot(result["snapshot_id"])
        except NotFoundError:
            snapshot = None
    response = make_response(render_template(
        "register/upload_result.html", item=item, result=result, snapshot=snapshot,
        snapshot_date=date.fromisoformat(item.payload["snapshot_date"]) if item.payload.get("snapshot_date") else None,
        outcome=SyncOutcome.coerce(result.get("uitkomst")), refresh_seconds=UPLOAD_REFRESH_SECONDS,
        report_limit=UPLOAD_REPORT_LIMIT, labels=LABELS))
    if not item.finished:
        response.headers["Refresh"] = str(UPLOAD_REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response
