"""Log-in (password, then second factor), log-out, and the user's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from wki.auth import bp, services
from wki.auth.forms import ChangePasswordForm, LoginForm, SecondFactorForm, TotpSetupForm
from wki.core.auth import login_required_any, public
from wki.core.clock import utcnow
from wki.core.errors import ServiceError
from wki.core.forms import ConfirmForm

PENDING_KEY = "pending_login"
PENDING_SECONDS = 300


def _safe_next(target: str | None) -> str:
    r"""``target`` if it is a path on this site, else the dashboard (no open redirect).

    Browsers read a backslash as a slash and drop tabs and newlines, so ``/\evil.example`` and
    ``/<tab>/evil.example`` both lead off-site: a target with such characters is refused.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(ch == "\\" or ch.isspace() or not ch.isprintable() for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("dashboard.index")


def _finish_login(user, method: str, message: tuple[str, str] | None = None):
    next_url = _safe_next(session.get("login_next"))
    session.clear()  # a fresh session for the logged-in user (no fixation)
    login_user(user)
    session["login_at"] = utcnow().timestamp()
    session.permanent = True
    services.record_login(user, method=method)
    if message:
        flash(*message)  # after the clear, or the message would be lost with the old session
    return redirect(next_url)


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("next"):
        session["login_next"] = request.args["next"]
    if form.validate_on_submit():
        result = services.authenticate(email=form.email.data, password=form.password.data,
                                       ip_address=request.remote_addr)
        if result.user is None:
            form.form_errors.append(result.error)
        elif result.user.totp_enabled:
            session[PENDING_KEY] = {"user_id": result.user.id, "at": utcnow().timestamp(),
                                    "version": result.user.session_version}
            return redirect(url_for("auth.second_factor"))
        else:
            return _finish_login(result.user, "wachtwoord")
    return render_template("auth/login.html", form=form)


@bp.route("/inloggen/code", methods=["GET", "POST"])
@public
def second_factor():
    pending = session.get(PENDING_KEY)
    if not pending or utcnow().timestamp() - pending["at"] > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash("Log opnieuw in; de tijd om de code in te vullen is verstreken.", "info")
        return redirect(url_for("auth.login"))
    user = services.load_user_for_session(f"{pending['user_id']}:{pending['version']}")
    if user is None:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if services.is_locked(user):
            session.pop(PENDING_KEY, None)
            flash(services.LOCK_MESSAGE.format(minutes=current_app.config["LOGIN_LOCK_MINUTES"]), "error")
            return redirect(url_for("auth.login"))
        method = services.verify_second_factor(user=user, code=form.code.data)
        if method:
            message = None
            if method == "herstelcode":
                left = services.unused_recovery_code_count(user)
                message = (f"U logde in met een herstelcode. U heeft er nog {left} over.", "warning")
            return _finish_login(user, method, message)
        form.code.errors.append("De code klopt niet of is al gebruikt.")
    return render_template("auth/second_factor.html", form=form)


@bp.post("/uitloggen")
@login_required_any
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.record_logout(current_user)
        logout_user()
        session.clear()
        flash("U bent uitgelogd.", "success")
    return redirect(url_for("auth.login"))


@bp.get("/")
@login_required_any
def account():
    return render_template(
        "auth/account.html",
        logout_form=ConfirmForm(),
        recovery_left=services.unused_recovery_code_count(current_user),
    )


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required_any
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(user=current_user, current_password=form.current_password.data,
                                         new_password=form.new_password.data)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            # The session version moved on; keep this session, end all others.
            login_user(current_user._get_current_object())
            flash("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


# Session keys that name a one-time secret (the value itself stays in the database: the session
# cookie is signed, not encrypted).
TOTP_SETUP_KEY = "totp_setup_key"
RECOVERY_CODES_KEY = "recovery_codes_key"


@bp.route("/tweestapsverificatie", methods=["GET", "POST"])
@login_required_any
def totp_setup():
    if current_user.totp_enabled:
        flash("Tweestapsverificatie staat al aan.", "info")
        return redirect(url_for("auth.account"))
    secret = services.peek_secret(session.get(TOTP_SETUP_KEY), owner=current_user, purpose="totp_setup")
    if not secret:
        secret = services.new_totp_secret()
        session[TOTP_SETUP_KEY] = services.stash_secret(owner=current_user, purpose="totp_setup", value=secret)
    form = TotpSetupForm()
    if form.validate_on_submit():
        try:
            codes = services.enable_totp(user=current_user, secret=secret, code=form.code.data)
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            services.discard_secret(session.pop(TOTP_SETUP_KEY, None))
            session[RECOVERY_CODES_KEY] = services.stash_secret(owner=current_user, purpose="recovery_codes",
                                                                value=codes)
            return redirect(url_for("auth.recovery_codes"))
    uri = services.totp_uri(current_user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title="QR-code voor uw authenticator-app")
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/totp_setup.html", form=form, qr_svg=Markup(qr_svg), secret=grouped)


@bp.route("/herstelcodes", methods=["GET", "POST"])
@login_required_any
def recovery_codes():
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            new_codes = services.regenerate_recovery_codes(user=current_user)
        except ServiceError as exc:
            flash(exc.message, "error")
            return redirect(url_for("auth.account"))
        session[RECOVERY_CODES_KEY] = services.stash_secret(owner=current_user, purpose="recovery_codes",
                                                            value=new_codes)
        return redirect(url_for("auth.recovery_codes"))
    codes = services.take_secret(session.pop(RECOVERY_CODES_KEY, None), owner=current_user,
                                 purpose="recovery_codes")
    return render_template("auth/recovery_codes.html", codes=codes, form=form,
                           left=services.unused_recovery_code_count(current_user))
