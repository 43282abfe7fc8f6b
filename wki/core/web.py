"""Request plumbing: access rules, one transaction per request, sessions, security headers."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from typing import Any

from flask import Flask, Response, current_app, flash, g, has_request_context, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from werkzeug.routing import IntegerConverter

from wki.core import formatting
from wki.core.auth import ROLE_LABELS, Role, access_rule_for, enforce_access_rule
from wki.core.clock import utcnow
from wki.core.extensions import db, login_manager
from wki.core.features import navigation_for, registry
from wki.core.paging import MAX_PAGE, PAGE_ARG

# Endpoints that never need the logged-in user (nor the database round trip to load one).
_NO_SESSION_ENDPOINTS = {"static", "healthz.health"}
# Endpoints a user may reach while the application insists on a password change or a second factor.
_ALWAYS_ALLOWED = _NO_SESSION_ENDPOINTS | {"auth.logout"}

def _csp() -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ])


def _token_endpoint() -> bool:
    """The request is for an endpoint of a machine client (``@token_required``): no session applies."""
    rule = access_rule_for(current_app.view_functions.get(request.endpoint or ""))
    return rule is not None and rule.kind == "token"


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in every URL, up to the largest id a database column holds: a larger number is a 404, not a
    database error (PostgreSQL's integer is 32 bits; SQLite's 64)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """The request plumbing. Who the logged-in user is (Flask-Login's user loader and log-in page) is the
    auth feature's to set (wki/auth/__init__.py); the session rules below hold for whoever it loads."""
    app.url_map.converters["int"] = BoundedIntConverter
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    def _start_request() -> Any:
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or secrets.token_hex(8)
        g.request_started = time.perf_counter()
        return None

    # First of all hooks (CSRFProtect registered its own earlier), so a refused request is logged and
    # shown with its reference too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)

    @app.before_request
    def _expire_session() -> Any:
        # Static files and the health check never need the user (nor a database round trip for it);
        # machine clients (token rule) authenticate each request and have no session to expire.
        if request.endpoint in _NO_SESSION_ENDPOINTS or _token_endpoint() or not current_user.is_authenticated:
            return None
        # Flask-Login's "strong" protection only marks a *permanent* session as not fresh when it is
        # used from another address or browser; every session here is permanent (for the idle
        # timeout), so end such a session ourselves, as "strong" means.
        if session.get("_id") != login_manager._session_identifier_generator():
            return _end_session("Uw sessie is beëindigd omdat uw verbinding of browser veranderde. Log opnieuw in.")
        started = session.get("login_at")
        max_age = current_app.config["SESSION_MAX_HOURS"] * 3600
        if started is None or utcnow().timestamp() - float(started) > max_age:
            return _end_session("Uw sessie is verlopen. Log opnieuw in.")
        session.permanent = True
        return None

    def _end_session(message: str) -> ResponseReturnValue:
        logout_user()
        session.clear()
        flash(message, "info")
        next_url = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for(login_manager.login_view, next=next_url))

    app.before_request(enforce_access_rule)

    @app.before_request
    def _bound_page_number() -> Any:
        # ?pagina=99999999999999999999 would overflow the OFFSET of every paged list: such a request is
        # sent on to the same list with the page number bounded (core.paging), which shows an empty page.
        raw = request.args.get(PAGE_ARG)
        if raw is None or request.method != "GET" or request.endpoint is None:
            return None
        try:
            asked = int(raw)  # as the views read it (``type=int``)
        except ValueError:
            return None  # not a number: the views read page 1
        if asked <= MAX_PAGE:
            return None
        args = request.args.copy()
        args[PAGE_ARG] = str(MAX_PAGE)
        return redirect(url_for(request.endpoint, **{**args.to_dict(flat=False), **(request.view_args or {})}))

    @app.before_request
    def _insist_on_account_hygiene() -> Any:
        if request.endpoint in _ALWAYS_ALLOWED or _token_endpoint() or not current_user.is_authenticated:
            return None
        if current_user.must_change_password and request.endpoint != "auth.change_password":
            flash("Kies eerst een nieuw wachtwoord.", "warning")
            return redirect(url_for("auth.change_password"))
        if (current_app.config["REQUIRE_TOTP"] and not current_user.totp_enabled
                and not current_user.must_change_password
                and request.endpoint not in {"auth.totp_setup", "auth.recovery_codes"}):
            flash("Stel eerst tweestapsverificatie in; dat is verplicht.", "warning")
            return redirect(url_for("auth.totp_setup"))
        return None

    @app.after_request
    def _commit_and_secure(response: Response) -> Response:
        # Read for the log line before the commit: afterwards the user is expired, and reading its id again
        # would cost two statements (the account and its roles) on every request.
        user_id = (current_user.get_id() if request.endpoint not in _NO_SESSION_ENDPOINTS
                   and current_user.is_authenticated else None) if request.endpoint != "static" else None
        # One transaction per request: commit what the services flushed, unless the request failed.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        _security_headers(response)
        duration_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        if request.endpoint != "static":
            current_app.logger.info("request", extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round(duration_ms, 1),
                "user_id": user_id,
            })
        return response

    @app.teardown_request
    def _rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()

    def _security_headers(response: Response) -> None:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _csp())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("X-Request-ID", g.get("request_id", ""))
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if request.endpoint != "static":
            headers["Cache-Control"] = "no-store"

    formatting.register_filters(app)
    app.jinja_env.filters["reject_key"] = lambda d, *keys: {k: v for k, v in d.items() if k not in keys}

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        nav = []
        # Outside a request (a command, the worker) there is no user: templates render without navigation.
        if has_request_context() and current_user and current_user.is_authenticated:
            nav = [{"key": entry.key, "label": entry.label, "url": url_for(entry.endpoint)}
                   for entry in navigation_for(current_user)]
        return {
            "navigation": nav,
            "admin_links": registry().admin_links,
            "role_labels": ROLE_LABELS,
            "Role": Role,
            "demo_mode": current_app.config["DEMO_MODE"],
            "env_name": current_app.config["ENV_NAME"],
            "current_year": datetime.now().year,
        }

    from wki.core import images
    from wki.core.errors import register_error_handlers
    from wki.core.health import bp as health_bp

    register_error_handlers(app)
    images.register_error_handler(app)

    app.register_blueprint(health_bp)
