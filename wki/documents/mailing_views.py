"""Pages of mass mailings (Documenten → Mailings): the list, a new mailing (choose, preview with three
sample letters, create), a mailing's page (recipients, progress, approve, start, retry, cancel) and its
downloads (print file, status file). Every action is a POST that redirects (a refresh repeats nothing; a
resubmitted form is refused by the service)."""

from __future__ import annotations

import base64
import io
from typing import Any

from flask import flash, make_response, redirect, render_template, request, send_file, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from wki.core.actors import Actor
from wki.core.auth import requires_roles
from wki.core.downloads import csv_response, iter_csv
from wki.core.errors import ServiceError
from wki.core.lookups import found_or_404
from wki.core.paging import page_arg
from wki.documents import MAILERS, READERS, bp, mailings
from wki.documents.delivery import mail_configured
from wki.documents.issuing import document_store
from wki.documents.mailing_forms import ActionForm, ChooseTypeForm, mailing_form_for
from wki.documents.models import DeliveryStatus, MailingStatus, RecipientSource
from wki.documents.rendering import first_page_png
from wki.documents.texts import get_letter_type, list_letter_types, may_use

PER_PAGE = 50
REFRESH_SECONDS = 5
CSV_SESSION_KEY = "mailing_csv"  # the address lists this user uploaded for a preview (their SHA-256)


def _actor() -> Actor:
    return Actor.of(current_user)


def _roles() -> list[str]:
    return [str(r) for r in current_user.role_set]


@bp.get("/mailings", endpoint="mailings")
@requires_roles(*READERS)
def mailings_list() -> ResponseReturnValue:
    pagination = mailings.list_mailings(page=page_arg(), per_page=PER_PAGE)
    counts = mailings.mailings_progress(pagination.items)
    return render_template("documents/mailings.html", pagination=pagination, counts=counts,
                           may_create=bool(set(_roles()) & {str(r) for r in MAILERS}))


def _mailable_types() -> list[Any]:
    return [t for t in list_letter_types(mailable=True) if may_use(t, _roles())]


def _csv_upload(form: Any) -> tuple[bytes | None, str | None]:
    """The address list: a new upload (kept in the store for the next step), or the one uploaded before."""
    upload = form.bestand.data
    if upload is not None and getattr(upload, "filename", None):
        data = upload.read()
        name = (upload.filename or "").rsplit("/", 1)[-1][:300]
        sha256 = document_store().put(data) if data else ""
        if sha256:
            allowed = list(session.get(CSV_SESSION_KEY, []))[-9:]
            session[CSV_SESSION_KEY] = [*allowed, sha256]
        form.bestand_sha256.data, form.bestand_naam.data = sha256, name
        return data, name
    sha256 = form.bestand_sha256.data or ""
    if sha256 and sha256 in session.get(CSV_SESSION_KEY, []):
        try:
            return document_store().get(sha256), form.bestand_naam.data or None
        except ServiceError:
            pass
    return None, None


def _samples(letters: list[tuple[dict[str, Any], Any]]) -> list[dict[str, Any]]:
    """Sample letters for a page: the first page as an image and the PDF, both inline (data: URIs)."""
    samples = []
    for recipient, rendered in letters:
        try:
            png = base64.b64encode(first_page_png(rendered.pdf)).decode("ascii")
        except RuntimeError:
            png = None
        samples.append({"naam": recipient.get("naam"), "png": png,
                        "pdf": base64.b64encode(rendered.pdf).decode("ascii")})
    return samples


@bp.route("/mailings/nieuw", methods=["GET", "POST"])
@requires_roles(*MAILERS)
def mailing_new() -> ResponseReturnValue:
    """Choose a letter type, then the recipients and values; "Bekijken" shows the preview, "Aanmaken" makes
    the mailing (which then waits for a colleague's approval)."""
    types = _mailable_types()
    chooser = ChooseTypeForm(request.args)
    chooser.soort.choices = [SelectChoice("", "Kies een briefsoort"), *(SelectChoice(t.slug, t.title) for t in types)]
    slug = request.args.get("soort") or (request.form.get("soort") if request.method == "POST" else None)
    letter_type = get_letter_type(slug) if slug else None
    if letter_type is None or letter_type not in types:
        if slug:
            chooser.validate()
        return render_template("documents/mailing_new.html", chooser=chooser, letter_type=None, form=None)
    mail_on = mail_configured()
    form = mailing_form_for(letter_type, mail_configured=mail_on)
    preview = None
    samples: list[dict[str, Any]] = []
    if form.validate_on_submit():
        csv_data, file_name = (_csv_upload(form) if form.bron.data == RecipientSource.CSV.value else (None, None))
        choice = mailings.Choice(form.bron.data, form.criteria(), csv_data=csv_data, file_name=file_name)
        send_email = bool(mail_on and form.email and form.email.data)
        try:
            if form.bron.data == RecipientSource.CSV.value and csv_data is None:
                raise ServiceError("Kies een adressenlijst (CSV-bestand).", field="bestand")
            if request.form.get("actie") == "aanmaken":
                mailing = mailings.create_mailing(letter_type=letter_type, choice=choice, title=form.titel.data or "",
                                                  actor=_actor(), extra_values=form.extra_values(),
                                                  document_date=form.datum.data, send_email=send_email, roles=_roles(),
                                                  request_key=form.aanvraag.data or None)
                flash(f"Mailing ‘{mailing.title}’ is aangemaakt met {mailing.recipient_count} ontvangers. Een collega "
                      "keurt haar goed voordat zij kan worden gestart.", "success")
                return redirect(url_for("documents.mailing", mailing_id=mailing.id))
            preview = mailings.preview_recipients(letter_type, choice, extra_values=form.extra_values(),
                                                  document_date=form.datum.data, send_email=send_email,
                                                  roles=_roles())
            if preview.reachable and not preview.missing and not preview.missing_blocks:
                samples = _samples(mailings.sample_letters(preview))
        except ServiceError as exc:
            form.apply_service_error(exc)
            preview = None
    return render_template("documents/mailing_new.html", chooser=chooser, letter_type=letter_type, form=form,
                           preview=preview, samples=samples, mail_on=mail_on)


@bp.get("/mailings/<int:mailing_id>")
@requires_roles(*READERS)
def mailing(mailing_id: int) -> ResponseReturnValue:
    item = found_or_404(mailings.get_mailing(mailing_id))
    status = request.args.get("status") or None
    if status not in DeliveryStatus.labels():
        status = None
    actor = _actor()
    may_act = bool(set(_roles()) & {str(r) for r in MAILERS})
    response = make_response(render_template(
        "documents/mailing.html", mailing=item, progress=mailings.mailing_progress(item),
        recipients=mailings.recipients_page(item, page=page_arg(), per_page=PER_PAGE, status=status),
        status_filter=status, may_act=may_act, approval_refusal=mailings.approval_refusal(item, actor),
        refresh_seconds=REFRESH_SECONDS, form=ActionForm(), MailingStatus=MailingStatus, DeliveryStatus=DeliveryStatus,
        letter_type=item_type(item),
        # What the approver approves: letters made from the frozen recipients and text, while it waits.
        samples=_samples(mailings.frozen_samples(item)) if item.status == MailingStatus.DRAFT else []))
    if item.status == MailingStatus.RUNNING:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def item_type(item: Any) -> Any:
    from wki.core.extensions import db
    from wki.documents.models import LetterType

    return db.session.get(LetterType, item.letter_type_id)


def _act(mailing_id: int, action: Any, done: str) -> ResponseReturnValue:
    item = found_or_404(mailings.get_mailing(mailing_id))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            action(item)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(done, "success")
    else:
        flash("De sessie is verlopen; probeer het opnieuw.", "error")
    return redirect(url_for("documents.mailing", mailing_id=mailing_id))


@bp.post("/mailings/<int:mailing_id>/goedkeuren")
@requires_roles(*MAILERS)
def mailing_approve(mailing_id: int) -> ResponseReturnValue:
    return _act(mailing_id, lambda m: mailings.approve_mailing(m, actor=_actor()),
                "De mailing is goedgekeurd. Zij kan nu worden gestart.")


@bp.post("/mailings/<int:mailing_id>/starten")
@requires_roles(*MAILERS)
def mailing_start(mailing_id: int) -> ResponseReturnValue:
    return _act(mailing_id, lambda m: mailings.start_mailing(m, actor=_actor()),
                "De mailing is gestart; de worker maakt de brieven. Deze pagina toont de voortgang.")


@bp.post("/mailings/<int:mailing_id>/opnieuw")
@requires_roles(*MAILERS)
def mailing_retry(mailing_id: int) -> ResponseReturnValue:
    return _act(mailing_id, lambda m: mailings.retry_failed(m, actor=_actor()),
                "De mislukte ontvangers worden opnieuw aangeboden.")


@bp.post("/mailings/<int:mailing_id>/annuleren")
@requires_roles(*MAILERS)
def mailing_cancel(mailing_id: int) -> ResponseReturnValue:
    return _act(mailing_id, lambda m: mailings.cancel_mailing(m, actor=_actor()), "De mailing is geannuleerd.")


@bp.get("/mailings/<int:mailing_id>/drukbestand.pdf")
@requires_roles(*MAILERS)
def mailing_print_file(mailing_id: int) -> ResponseReturnValue:
    item = found_or_404(mailings.get_mailing(mailing_id))
    try:
        data = mailings.print_file(item, actor=_actor())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("documents.mailing", mailing_id=mailing_id))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"mailing-{mailing_id}-drukbestand.pdf")


@bp.get("/mailings/<int:mailing_id>/status.csv")
@requires_roles(*READERS)
def mailing_status_csv(mailing_id: int) -> ResponseReturnValue:
    item = found_or_404(mailings.get_mailing(mailing_id))
    mailings.record_status_export(item, actor=_actor())
    return csv_response(iter_csv(mailings.STATUS_COLUMNS, mailings.status_rows(item)),
                        f"mailing-{mailing_id}-status.csv")
