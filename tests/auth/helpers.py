"""Helpers for the account tests: log-in without asserting the outcome, audit look-ups, TOTP codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pyotp
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import tests.factories
from tests.conftest import PASSWORD, csrf_token
from wki.auth import services
from wki.core.audit import AuditEvent
from wki.core.extensions import db

# Production argon2 takes a third of a second per check here; these tests log in hundreds of times.
# The code paths are the same (argon2, same library); only the cost parameters differ.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_FAST_DUMMY_HASH = FAST_HASHER.hash("not-a-real-password")


def use_fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for every hash made or checked until the test ends.

    The factories' hash cache is swapped for the test too, so no cheap hash leaks into other tests.
    """
    monkeypatch.setattr(services, "_hasher", FAST_HASHER)
    monkeypatch.setattr(services, "_DUMMY_HASH", _FAST_DUMMY_HASH)
    monkeypatch.setattr(tests.factories, "_PASSWORD_HASH", {})


LOGIN_URL = "/account/inloggen"
CODE_URL = "/account/inloggen/code"
WRONG_MESSAGE = "Het e-mailadres of het wachtwoord is onjuist."
LOCK_MESSAGE_START = "Te veel mislukte pogingen."
CSRF_MESSAGE = "Het formulier is verlopen of ongeldig (beveiligingscontrole)."


def post_login(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs) -> TestResponse:
    """Submit the log-in form (with a valid CSRF token) and return the response, whatever it is."""
    token = csrf_token(client, LOGIN_URL)
    return client.post(LOGIN_URL, data={"csrf_token": token, "email": email, "password": password}, **kwargs)


def post_code(client: FlaskClient, code: str) -> TestResponse:
    """Submit the second-factor form of a pending log-in."""
    token = csrf_token(client, CODE_URL)
    return client.post(CODE_URL, data={"csrf_token": token, "code": code})


def post_form(client: FlaskClient, url: str, data: dict | None = None, *, token_from: str | None = None) -> TestResponse:
    """POST ``data`` to ``url`` with a CSRF token taken from ``token_from`` (default: ``url`` itself)."""
    token = csrf_token(client, token_from or url)
    return client.post(url, data={"csrf_token": token, **(data or {})})


def location(response: TestResponse) -> str:
    """The redirect target's path (without the query string)."""
    return response.headers["Location"].split("?", 1)[0]


def audit_events(action: str, *, object_id: int | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_type == "gebruiker", AuditEvent.object_id == str(object_id))
    return list(db.session.scalars(stmt))


def totp_code(secret: str, when: datetime, *, steps: int = 0) -> str:
    """The authenticator code at ``when``, ``steps`` time steps of 30 seconds later."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(when) + steps)


def wrong_code(secret: str, when: datetime) -> str:
    """A six-digit code that is valid in none of the accepted time steps around ``when``."""
    valid = {totp_code(secret, when, steps=s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def page_text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def field_error(response: TestResponse, field_id: str) -> str | None:
    """The error message shown next to field ``field_id``, or None."""
    match = re.search(rf'id="{re.escape(field_id)}-fout">([^<]*)<', page_text(response))
    return match.group(1) if match else None


def session_cookie(client: FlaskClient) -> str:
    """The raw value of the client's session cookie (what a browser stores, and anyone can copy)."""
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "no session cookie"
    return cookie.value


def readable_session(client: FlaskClient) -> str:
    """Everything the signed (not encrypted) session cookie reveals to whoever holds it, as text.

    Decoded with Flask's own serializer, as an attacker with a copied cookie can (the signature keeps
    a cookie from being changed, not from being read).
    """
    serializer = client.application.session_interface.get_signing_serializer(client.application)
    return json.dumps(serializer.loads(session_cookie(client)), default=str)


@contextmanager
def committed_user(app, email: str, name: str, *, totp: bool = False) -> Iterator[int]:
    """A user committed for real (visible to every thread's own connection), with the second factor on when
    ``totp``, and removed afterwards with its log-in failures and recovery codes: for the tests of parallel
    requests, which cannot run inside the rolled-back test transaction."""
    from wki.auth.models import LoginFailure, RecoveryCode, User, UserRole
    from wki.core.clock import utcnow

    with app.app_context():
        user = User(email=email, name=name, password_hash=services.hash_password(PASSWORD))
        if totp:
            user.totp_secret, user.totp_enabled_at = services.new_totp_secret(), utcnow()
        user.role_rows = [UserRole(role="inspecteur")]
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    try:
        yield user_id
    finally:
        with app.app_context():
            db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == email))
            db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
            # Its roles by hand too, not through ON DELETE CASCADE: that needs SQLite's foreign keys on for the
            # pooled connection at hand, and a role left behind would collide with the next user given this id.
            db.session.execute(sa.delete(UserRole).where(UserRole.user_id == user_id))
            db.session.execute(sa.delete(User).where(User.id == user_id))
            db.session.commit()
            db.session.remove()
