"""Beheer: administrators issue and revoke the partners' tokens for the signals API (wki/signals/api.py).

A new token is shown once, on the page that answers the form, and never again: only its SHA-256 is
stored, and it is not put in the session (the session is a signed, not an encrypted, cookie) nor behind
a redirect. Revoking asks for confirmation on a page of its own (no script needed). The services write
the audit events; the request commits once.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from wki.auth.forms import ConfirmForm
from wki.core.auth import Role, requires_roles
from wki.core.errors import ServiceError
from wki.core.forms import BaseForm, choices
from wki.extensions import db
from wki.signals import partners_bp as bp
from wki.signals.models import PartnerToken, Source
from wki.signals.services import issue_token, list_tokens, revoke_token

ADMIN = Role.BEHEERDER


class IssueTokenForm(BaseForm):
    partner = StringField(
        "Naam van de partner", validators=[DataRequired("Vul de naam van de partner in."),
                                           Length(max=200, message="Gebruik hoogstens 200 tekens.")],
        description="Bijvoorbeeld ‘Gemeente Utrecht’. Tokens met precies dezelfde naam horen bij één partner: "
                    "met elk ervan kan de partner de oordelen over al zijn signalen opvragen.")
    bron = SelectField(
        "Bron van de signalen", choices=choices("Kies een bron", list(Source.LABELS.items())),
        validators=[DataRequired("Kies de bron van de signalen van deze partner.")],
        invalid_choice_message="Kies een bron uit de lijst.",
        description="De bron van een signaal waarin de partner zelf geen bron noemt.")


def _token_or_404(token_id: int) -> PartnerToken:
    record = db.session.get(PartnerToken, token_id)
    if record is None:
        abort(404)
    return record


@bp.get("")
@requires_roles(ADMIN)
def partners():
    return render_template("signals/partners.html", tokens=list_tokens(), sources=Source.LABELS)


@bp.route("/nieuw", methods=["GET", "POST"])
@requires_roles(ADMIN)
def partner_new():
    form = IssueTokenForm()
    if form.validate_on_submit():
        try:
            record, token = issue_token(form.partner.data, form.bron.data, actor_email=current_user.email)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            # Answered here, not after a redirect: the token exists only in this response.
            return render_template("signals/partners_issued.html", record=record, token=token,
                                   sources=Source.LABELS)
    return render_template("signals/partners_new.html", form=form)


@bp.route("/<int:token_id>/intrekken", methods=["GET", "POST"])
@requires_roles(ADMIN)
def partner_revoke(token_id: int):
    record = _token_or_404(token_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            revoke_token(record.id, actor_email=current_user.email)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Het token {record.prefix}… van {record.partner} is ingetrokken; het werkt niet meer.", "success")
        return redirect(url_for("partners.partners"))
    return render_template("signals/partners_revoke.html", record=record, form=form, sources=Source.LABELS)
