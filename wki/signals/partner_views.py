"""Beheer: administrators issue and revoke the partners' tokens for the signals API (wki/signals/api.py).

A new token is shown once and never again: only its SHA-256 is stored with the token's record. Issuing
follows post/redirect/get, so that reloading the page cannot issue a second token: the POST issues the
token, keeps it in the one-time secret store (``wki.auth.services.stash_secret``, server-side, for this
administrator, at most 15 minutes) and puts only that store's random key in the session (a signed, not
an encrypted, cookie); the page it redirects to takes the token out of the store and shows it. Reloading
that page finds nothing and says so. Revoking asks for confirmation on a page of its own (no script
needed). The services write the audit events; the request commits once.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from wki.auth import services as accounts
from wki.core.actors import Actor
from wki.core.auth import Role, requires_roles
from wki.core.errors import ServiceError
from wki.core.forms import BaseForm, ConfirmForm, choices
from wki.core.lookups import get_or_404
from wki.signals import partners_bp as bp
from wki.signals.models import PartnerToken, Source
from wki.signals.partner_tokens import issue_token, list_tokens, revoke_token

ADMIN = Role.BEHEERDER
SHOWN_TOKEN_KEY = "shown_partner_token_key"
SECRET_PURPOSE = "partner_token"


class IssueTokenForm(BaseForm):
    partner = StringField(
        "Naam van de partner", validators=[DataRequired("Vul de naam van de partner in."),
                                           Length(max=200, message="Gebruik hoogstens 200 tekens.")],
        description="Bijvoorbeeld ‘Gemeente Utrecht’. Tokens met precies dezelfde naam horen bij één partner: "
                    "met elk ervan kan de partner de oordelen over al zijn signalen opvragen.")
    bron = SelectField(
        "Bron van de signalen", choices=choices("Kies een bron", list(Source.labels().items())),
        validators=[DataRequired("Kies de bron van de signalen van deze partner.")],
        invalid_choice_message="Kies een bron uit de lijst.",
        description="De bron van een signaal waarin de partner zelf geen bron noemt.")


@bp.get("")
@requires_roles(ADMIN)
def partners():
    return render_template("signals/partners.html", tokens=list_tokens(), sources=Source.labels())


@bp.route("/nieuw", methods=["GET", "POST"])
@requires_roles(ADMIN)
def partner_new():
    form = IssueTokenForm()
    if form.validate_on_submit():
        try:
            record, token = issue_token(form.partner.data, form.bron.data, actor=Actor.of(current_user))
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            session[SHOWN_TOKEN_KEY] = accounts.stash_secret(owner=current_user, purpose=SECRET_PURPOSE,
                                                             value=token, subject_id=record.id)
            return redirect(url_for("partners.partner_issued", token_id=record.id))
    return render_template("signals/partners_new.html", form=form)


@bp.get("/<int:token_id>/uitgegeven")
@requires_roles(ADMIN)
def partner_issued(token_id: int):
    """The new token, shown once: a reload (or another administrator) finds it gone, and issues nothing."""
    record = get_or_404(PartnerToken, token_id)
    token = accounts.take_secret(session.get(SHOWN_TOKEN_KEY), owner=current_user, purpose=SECRET_PURPOSE,
                                 subject_id=record.id)
    if token:
        session.pop(SHOWN_TOKEN_KEY, None)
    return render_template("signals/partners_issued.html", record=record, token=token, sources=Source.labels())


@bp.route("/<int:token_id>/intrekken", methods=["GET", "POST"])
@requires_roles(ADMIN)
def partner_revoke(token_id: int):
    record = get_or_404(PartnerToken, token_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            revoke_token(record.id, actor=Actor.of(current_user))
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Het token {record.prefix}… van {record.partner} is ingetrokken; het werkt niet meer.", "success")
        return redirect(url_for("partners.partners"))
    return render_template("signals/partners_revoke.html", record=record, form=form, sources=Source.labels())
