"""Beheer: accounts, the audit trail, job runs."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user

from wki.admin import bp
from wki.admin.audit_actions import AdminAction
from wki.admin.forms import (
    AuditSearchForm,
    DeadlineForm,
    EquatedDayForm,
    JobRunFilterForm,
    RunJobForm,
    UserCreateForm,
    UserEditForm,
)
from wki.auth import services as accounts
from wki.core import audit, jobs
from wki.core import equated_days as calendar
from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles
from wki.core.clock import today_local
from wki.core.downloads import csv_response
from wki.core.errors import ServiceError
from wki.core.formatting import fmt_date
from wki.core.forms import ConfirmForm, choices
from wki.core.lookups import found_or_404, or_404
from wki.core.paging import page_arg
from wki.core.status import Freshness
from wki.core.text import clean_search

ADMIN = Role.BEHEERDER


@bp.get("/")
@requires_roles(ADMIN)
def index():
    return render_template("admin/index.html", user_counts=accounts.count_users(),
                           failed_jobs=jobs.count_recent_failures(), freshness=_job_freshness())


# ---------------------------------------------------------------- users


@bp.get("/gebruikers")
@requires_roles(ADMIN)
def users():
    query = clean_search(request.args.get("zoek", ""))
    role = request.args.get("rol", "")
    role = role if role in {r.value for r in Role} else ""
    return render_template("admin/users.html", users=accounts.list_users(query=query or None, role=role or None),
                           query=query, role=role, is_locked=accounts.is_locked)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@requires_roles(ADMIN)
def user_create():
    form = UserCreateForm()
    if form.validate_on_submit():
        password = form.password.data or accounts.generate_temporary_password(email=form.email.data)
        try:
            user = accounts.create_user(email=form.email.data, name=form.name.data, roles=form.roles.data,
                                        password=password, must_change_password=True)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            _stash_password(user.id, password)
            flash(f"Gebruiker {user.email} is aangemaakt.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


SHOWN_PASSWORD_KEY = "shown_password_key"


def _stash_password(user_id: int, password: str) -> None:
    """Keep a new temporary password server-side for this administrator to see once, on the user's page."""
    session[SHOWN_PASSWORD_KEY] = accounts.stash_secret(owner=current_user, purpose="temporary_password",
                                                        value=password, subject_id=user_id)


@bp.get("/gebruikers/<int:user_id>")
@requires_roles(ADMIN)
def user_detail(user_id: int):
    user = or_404(accounts.get_user, user_id)
    password = accounts.take_secret(session.get(SHOWN_PASSWORD_KEY), owner=current_user,
                                    purpose="temporary_password", subject_id=user.id)
    if password:
        session.pop(SHOWN_PASSWORD_KEY, None)
    return render_template("admin/user_detail.html", user=user, form=ConfirmForm(), new_password=password,
                           locked_until=accounts.locked_until(user),
                           events=audit.events_for("gebruiker", user.id, limit=25))


@bp.route("/gebruikers/<int:user_id>/bewerken", methods=["GET", "POST"])
@requires_roles(ADMIN)
def user_edit(user_id: int):
    user = or_404(accounts.get_user, user_id)
    form = UserEditForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.roles.data = sorted(user.role_set)
    if form.validate_on_submit():
        try:
            accounts.update_user(user_id=user.id, name=form.name.data, roles=form.roles.data, actor=_me())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash("De gegevens zijn opgeslagen.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


def _me() -> Actor:
    """The logged-in administrator, as the actor of a service call."""
    return Actor.of(current_user)


def _user_action(user_id: int, action, message: str):
    or_404(accounts.get_user, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = action()
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(message, "success")
        if isinstance(result, str):
            _stash_password(user_id, result)
    return redirect(url_for("admin.user_detail", user_id=user_id))


@bp.route("/gebruikers/<int:user_id>/deactiveren", methods=["GET", "POST"])
@requires_roles(ADMIN)
def user_deactivate(user_id: int):
    """Asks for confirmation on a page of its own (no script needed); only that page's form deactivates."""
    user = or_404(accounts.get_user, user_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit() and form.confirm.data:
        return _user_action(user_id, lambda: accounts.set_active(user_id=user_id, active=False, actor=_me()),
                            "Het account is gedeactiveerd; de gebruiker is overal uitgelogd.")
    return render_template("admin/user_deactivate.html", user=user, form=form)


@bp.post("/gebruikers/<int:user_id>/activeren")
@requires_roles(ADMIN)
def user_activate(user_id: int):
    return _user_action(user_id, lambda: accounts.set_active(user_id=user_id, active=True, actor=_me()),
                        "Het account is weer actief.")


@bp.post("/gebruikers/<int:user_id>/wachtwoord-resetten")
@requires_roles(ADMIN)
def user_reset_password(user_id: int):
    return _user_action(user_id, lambda: accounts.reset_password(user_id=user_id, actor=_me()),
                        "Er is een tijdelijk wachtwoord gemaakt. Geef het veilig door; het wordt maar één keer getoond.")


@bp.post("/gebruikers/<int:user_id>/deblokkeren")
@requires_roles(ADMIN)
def user_unlock(user_id: int):
    return _user_action(user_id, lambda: accounts.unlock(user_id=user_id, actor=_me()),
                        "Het account is gedeblokkeerd.")


@bp.post("/gebruikers/<int:user_id>/tweede-factor-resetten")
@requires_roles(ADMIN)
def user_reset_totp(user_id: int):
    return _user_action(user_id, lambda: accounts.reset_second_factor(user_id=user_id, actor=_me()),
                        "De tweede factor is gewist; de gebruiker stelt bij de volgende keer inloggen een nieuwe in.")


# ---------------------------------------------------------------- audit trail


def _audit_filter_form() -> tuple[AuditSearchForm, audit.AuditFilter | None]:
    form = AuditSearchForm(request.args)
    form.actie.choices = choices("Alle acties", sorted(((a, audit.action_label(a)) for a in audit.list_actions()),
                                                      key=lambda pair: pair[1]))
    form.objecttype.choices = choices("Alle soorten", sorted(
        ((t, audit.object_type_label(t)) for t in audit.list_object_types()), key=lambda pair: pair[1]))
    if request.args and not form.validate():
        return form, None
    return form, audit.AuditFilter(
        actor=form.gebruiker.data or None, action=form.actie.data or None, object_type=form.objecttype.data or None,
        object_id=form.object_id.data or None, date_from=form.van.data, date_to=form.tot.data,
    )


@bp.get("/audit")
@requires_roles(ADMIN)
def audit_log():
    form, flt = _audit_filter_form()
    pagination = audit.search(flt, page=page_arg(), per_page=50) if flt is not None else None
    return render_template("admin/audit.html", form=form, pagination=pagination)


@bp.get("/audit/export.csv")
@requires_roles(ADMIN)
def audit_export():
    form, flt = _audit_filter_form()
    if flt is None:
        return render_template("admin/audit.html", form=form, pagination=None), 400
    audit.record(AdminAction.AUDIT_EXPORTED, object_type="audit", after={k: v for k, v in vars(flt).items() if v})
    filename = f"audittrail-{today_local().isoformat()}.csv"
    return csv_response(audit.iter_csv(flt), filename)


# ---------------------------------------------------------------- job runs


def _job_freshness() -> list[dict[str, Any]]:
    """``jobs.job_freshness`` with each job's ``state`` (a ``Freshness``) for its tag."""
    return [{**job, "state": Freshness.of(job["stale"])} for job in jobs.job_freshness()]


@bp.get("/taken")
@requires_roles(ADMIN)
def job_runs():
    form = JobRunFilterForm(request.args)
    form.taak.choices = choices("Alle taken", [(j.name, j.title) for j in jobs.registered_jobs()])
    form.validate()
    pagination = jobs.list_runs(job_name=form.taak.data or None, outcome=form.uitkomst.data or None, page=page_arg())
    return render_template("admin/job_runs.html", form=form, pagination=pagination,
                           freshness=_job_freshness(),
                           run_form=RunJobForm(), confirmations={j.name: j.confirmation_text() for j in jobs.registered_jobs()})


@bp.route("/taken/<string:job_name>/uitvoeren", methods=["GET", "POST"])
@requires_roles(ADMIN)
def job_run_now(job_name: str):
    """"Nu uitvoeren": queue the job for the worker (once while it waits or runs), then show that work.

    A job that changes data asks for confirmation on this page first (no script needed); the others are
    sent straight from the jobs page."""
    try:
        job = jobs.get_job(job_name)
    except KeyError:
        abort(404)
    form = RunJobForm()
    if form.validate_on_submit():
        if job.confirmation_text() and not form.bevestiging.data:
            form.bevestiging.errors = ["Vink aan dat u deze taak nu wilt uitvoeren."]
        else:
            item, created = jobs.queue_run(job.name, actor=_me())
            flash(f"‘{job.title}’ staat in de wachtrij; de verwerker voert de taak uit." if created else
                  f"‘{job.title}’ stond al in de wachtrij of loopt nog; dit is dat werk.",
                  "success" if created else "info")
            return redirect(url_for("admin.work_item_detail", item_id=item.id))
    return render_template("admin/job_run_now.html", job=job, form=form, confirmation=job.confirmation_text())


@bp.get("/taken/<int:run_id>")
@requires_roles(ADMIN)
def job_run_detail(run_id: int):
    run = found_or_404(jobs.get_run(run_id))
    return render_template("admin/job_run_detail.html", run=run)


# ---------------------------------------------------------------- queued work (the worker)

# Seconds between two refreshes of a work item's page while it waits or runs (the ``Refresh`` header).
WORK_REFRESH_SECONDS = 3


@bp.get("/werk")
@requires_roles(ADMIN)
def work_items():
    """Everything queued for the worker, newest first: what waits, what runs, what failed and why."""
    from wki.core import worker

    status = request.args.get("status") or None
    if status not in worker.STATUS_LABELS:
        status = None
    pagination = worker.list_items(status=status, page=page_arg())
    return render_template("admin/work_items.html", pagination=pagination, status=status,
                           status_labels=worker.STATUS_LABELS, kind_title=worker.kind_title,
                           waiting=worker.count_waiting())


@bp.get("/werk/<int:item_id>")
@requires_roles(ADMIN)
def work_item_detail(item_id: int):
    from wki.core import worker

    item = found_or_404(worker.get_item(item_id))
    job_run_id = (item.result or {}).get("job_run_id")
    response = make_response(render_template(
        "admin/work_item_detail.html", item=item,
        title=worker.kind_title(item.kind), job_run=jobs.get_run(job_run_id) if job_run_id else None,
        result_link=worker.result_link(item),
        refresh_seconds=WORK_REFRESH_SECONDS))
    if not item.finished:
        # "Nu uitvoeren" lands here: the page follows the work until it is done (no script needed).
        response.headers["Refresh"] = str(WORK_REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- holidays and deadlines (Atw)


@bp.route("/feestdagen", methods=["GET", "POST"])
@requires_roles(ADMIN)
def equated_days():
    """The holidays of this year and next, the days equated by decree (added here), and a calculator."""
    form = EquatedDayForm()
    if form.validate_on_submit():
        try:
            added = calendar.add_equated_day(form.day.data, form.name.data, form.source.data, actor=_me())
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            flash(f"{fmt_date(added.day)} is vastgelegd als dag die gelijkgesteld is met een feestdag.", "success")
            return redirect(url_for("admin.equated_days"))
    calculator = DeadlineForm(request.args)
    deadline = None
    if "datum" in request.args or "termijn" in request.args:
        if calculator.validate():
            try:
                deadline = calendar.compute_with_calendar(calculator.datum.data, calculator.termijn.data)
            except ServiceError as exc:
                calculator.termijn.errors = [*calculator.termijn.errors, exc.message]
    else:
        calculator = DeadlineForm(formdata=None)
    year = today_local().year
    return render_template("admin/equated_days.html", form=form, calculator=calculator, deadline=deadline,
                           years=[(y, calendar.holiday_calendar(y)) for y in (year, year + 1)],
                           recorded=calendar.list_equated_days(), confirm=ConfirmForm())


@bp.route("/feestdagen/<int:equated_day_id>/verwijderen", methods=["GET", "POST"])
@requires_roles(ADMIN)
def equated_day_remove(equated_day_id: int):
    """Asks for confirmation on a page of its own; only that page's form removes the day."""
    row = or_404(calendar.get_equated_day, equated_day_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit() and form.confirm.data:
        try:
            calendar.remove_equated_day(equated_day_id, actor=_me())
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(f"{fmt_date(row.day)} telt niet meer als gelijkgestelde dag.", "success")
        return redirect(url_for("admin.equated_days"))
    return render_template("admin/equated_day_remove.html", row=row, form=form)
