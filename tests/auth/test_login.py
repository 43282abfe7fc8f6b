"""Log-in with e-mail and password: session, audit, messages, redirects, demo accounts, CSRF."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from tests.auth.helpers import (
    CSRF_MESSAGE,
    LOGIN_URL,
    WRONG_MESSAGE,
    audit_events,
    location,
    page_text,
    post_form,
    post_login,
)
from tests.conftest import PASSWORD, csrf_token, login
from wki.auth import services
from wki.auth.models import LoginFailure
from wki.core.auth import Role
from wki.core.extensions import db


class TestLoginPage:
    def test_shows_form_with_csrf_token(self, client):
        response = client.get(LOGIN_URL)
        assert response.status_code == 200
        html = page_text(response)
        assert 'name="email"' in html and 'name="password"' in html
        assert csrf_token(client, LOGIN_URL)

    def test_logged_in_user_is_sent_to_dashboard(self, login_as):
        response = login_as(Role.INSPECTEUR).get(LOGIN_URL)
        assert response.status_code == 302
        assert location(response) == "/"


class TestSuccess:
    def test_sets_session_and_writes_audit(self, client, factories):
        user = factories.UserFactory()
        assert client.get("/").status_code == 302  # not logged in yet

        response = post_login(client, user.email)

        assert response.status_code == 302
        assert location(response) == "/"
        with client.session_transaction() as sess:
            assert sess["_user_id"] == f"{user.id}:{user.session_version}"
            assert sess["login_at"] > 0
        assert client.get("/").status_code == 200
        [event] = audit_events("aanmelden.gelukt", object_id=user.id)
        assert event.actor_id == user.id
        assert event.after == {"methode": "wachtwoord"}
        assert event.ip_address == "127.0.0.1"
        assert user.last_login_at is not None

    def test_email_is_matched_case_insensitively_and_trimmed(self, client, factories):
        user = factories.UserFactory()
        response = post_login(client, "  " + user.email.upper() + " ")
        assert response.status_code == 302
        assert location(response) == "/"

    def test_success_clears_earlier_failures(self, client, factories):
        user = factories.UserFactory()
        post_login(client, user.email, "wrong-password-1")
        assert db.session.query(LoginFailure).filter_by(email=user.email).count() == 1
        login(client, user.email)
        assert db.session.query(LoginFailure).filter_by(email=user.email).count() == 0

    def test_session_cookie_is_httponly_and_samesite_lax(self, client, factories):
        user = factories.UserFactory()
        response = post_login(client, user.email)
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("wki_session="))
        attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
        assert "httponly" in attributes
        assert attributes["samesite"].lower() == "samesite=lax"
        assert "expires" in attributes  # permanent session: the idle timeout travels with the cookie

    def test_session_is_renewed_at_log_in(self, client, factories):
        """Anything put in the session before log-in is gone after it (no session fixation)."""
        user = factories.UserFactory()
        with client.session_transaction() as sess:
            sess["planted"] = "by-an-attacker"
        login(client, user.email)
        with client.session_transaction() as sess:
            assert "planted" not in sess


class TestFailure:
    def test_wrong_password_shows_dutch_message_and_writes_audit(self, client, factories):
        user = factories.UserFactory()
        response = post_login(client, user.email, "not-the-password")

        assert response.status_code == 200
        assert WRONG_MESSAGE in page_text(response)
        with client.session_transaction() as sess:
            assert "_user_id" not in sess
        assert client.get("/").status_code == 302
        [event] = audit_events("aanmelden.mislukt", object_id=user.id)
        assert event.actor_email == user.email
        assert db.session.query(LoginFailure).filter_by(email=user.email, ip_address="127.0.0.1").count() == 1

    def test_unknown_email_gives_the_same_message(self, client, factories):
        factories.UserFactory(email="bestaat@inspectie.example.nl")
        known = page_text(post_login(client, "bestaat@inspectie.example.nl", "not-the-password"))
        unknown = page_text(post_login(client, "bestaat-niet@inspectie.example.nl", "not-the-password"))

        assert WRONG_MESSAGE in unknown

        def without_values(html: str) -> str:
            return re.sub(r'value="[^"]*"', "", html)

        # Apart from the field values (the CSRF token, the typed address) the two pages are identical.
        assert without_values(known) == without_values(unknown)
        [event] = audit_events("aanmelden.mislukt")[-1:]
        assert event.actor_email == "bestaat-niet@inspectie.example.nl"
        assert event.object_type == "aanmelden"

    def test_inactive_user_cannot_log_in(self, client, factories):
        user = factories.UserFactory(active=False)
        response = post_login(client, user.email)
        assert response.status_code == 200
        assert WRONG_MESSAGE in page_text(response)
        assert client.get("/").status_code == 302
        assert audit_events("aanmelden.gelukt", object_id=user.id) == []

    @pytest.mark.parametrize(("email", "password", "message"), [
        ("", PASSWORD, "Vul uw e-mailadres in."),
        ("iemand@inspectie.example.nl", "", "Vul uw wachtwoord in."),
    ])
    def test_empty_fields_are_explained(self, client, email, password, message):
        response = post_login(client, email, password)
        assert response.status_code == 200
        assert message in page_text(response)
        assert audit_events("aanmelden.mislukt") == []


class _CountingHasher(PasswordHasher):
    """The tests' cheap hasher, counting which hashes it checked against."""

    __slots__ = ["checked"]

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash, password):
        self.checked.append(hash)
        return super().verify(hash, password)


class TestEqualCost:
    """Every attempt costs one password check, so the response time reveals nothing about the account."""

    @pytest.fixture
    def hasher(self, monkeypatch) -> _CountingHasher:
        hasher = _CountingHasher()
        monkeypatch.setattr(services, "_hasher", hasher)
        monkeypatch.setattr(services, "_DUMMY_HASH", hasher.hash("not-a-real-password"))
        return hasher

    def test_unknown_email_checks_the_dummy_hash(self, client, hasher):
        post_login(client, "niemand@inspectie.example.nl", "whatever-password")
        assert hasher.checked == [services._DUMMY_HASH]

    def test_wrong_password_checks_the_users_hash(self, client, factories, hasher):
        user = factories.UserFactory()
        post_login(client, user.email, "whatever-password")
        assert hasher.checked == [user.password_hash]

    def test_locked_account_still_checks_a_hash(self, client, factories, hasher):
        user = factories.UserFactory()
        for _ in range(5):
            post_login(client, user.email, "whatever-password")
        hasher.checked.clear()
        post_login(client, user.email)
        assert hasher.checked == [services._DUMMY_HASH]


class TestNextParameter:
    def test_internal_next_is_followed(self, client, factories):
        user = factories.UserFactory(roles=[Role.BEHEERDER])
        first = client.get("/beheer/gebruikers?zoek=a")
        assert first.status_code == 302
        assert location(first) == LOGIN_URL
        client.get(first.headers["Location"])  # the log-in page remembers where the user was going
        response = post_login(client, user.email)
        assert response.headers["Location"] == "/beheer/gebruikers?zoek=a"

    @pytest.mark.parametrize("target", [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "overzicht",
    ])
    def test_external_next_is_ignored(self, client, factories, target):
        user = factories.UserFactory()
        client.get(LOGIN_URL, query_string={"next": target})
        response = post_login(client, user.email)
        assert response.status_code == 302
        assert response.headers["Location"] == "/"


class TestDemoAccounts:
    def test_refused_when_demo_mode_is_off(self, app, client, factories, monkeypatch):
        user = factories.UserFactory(is_demo=True)
        monkeypatch.setitem(app.config, "DEMO_MODE", False)
        response = post_login(client, user.email)
        assert response.status_code == 200
        assert WRONG_MESSAGE in page_text(response)
        assert audit_events("aanmelden.mislukt", object_id=user.id)

    def test_allowed_when_demo_mode_is_on(self, app, client, factories, monkeypatch):
        user = factories.UserFactory(is_demo=True)
        monkeypatch.setitem(app.config, "DEMO_MODE", True)
        assert location(post_login(client, user.email)) == "/"

    def test_open_demo_session_ends_when_demo_mode_is_off(self, app, client, factories, monkeypatch):
        user = factories.UserFactory(is_demo=True)
        monkeypatch.setitem(app.config, "DEMO_MODE", True)
        login(client, user.email)
        assert client.get("/").status_code == 200
        monkeypatch.setitem(app.config, "DEMO_MODE", False)
        response = client.get("/")
        assert response.status_code == 302
        assert location(response) == LOGIN_URL


class TestLogout:
    def test_logout_ends_session_and_writes_audit(self, login_as):
        client = login_as(Role.INSPECTEUR)
        response = post_form(client, "/account/uitloggen", token_from="/account/")
        assert response.status_code == 302
        assert location(response) == LOGIN_URL
        assert "U bent uitgelogd." in page_text(client.get(LOGIN_URL))
        assert client.get("/").status_code == 302
        assert audit_events("afmelden", object_id=client.user.id)

    def test_logout_by_get_is_not_allowed(self, login_as):
        client = login_as(Role.INSPECTEUR)
        assert client.get("/account/uitloggen").status_code == 405
        assert client.get("/").status_code == 200


class TestCsrf:
    """TestingConfig keeps CSRF protection on: a POST without a valid token is refused and changes nothing."""

    @pytest.mark.parametrize("token", [None, "forged-token"])
    def test_login_without_token(self, client, factories, token):
        user = factories.UserFactory()
        client.get(LOGIN_URL)
        data = {"email": user.email, "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        response = client.post(LOGIN_URL, data=data)
        assert response.status_code == 400
        assert CSRF_MESSAGE in page_text(response)
        assert response.headers["X-Request-ID"]
        assert client.get("/").status_code == 302
        assert audit_events("aanmelden.gelukt") == []
        assert audit_events("aanmelden.mislukt") == []

    def test_token_of_another_session_is_refused(self, app, client, factories):
        user = factories.UserFactory()
        other_token = csrf_token(app.test_client(), LOGIN_URL)
        client.get(LOGIN_URL)
        response = client.post(LOGIN_URL, data={"csrf_token": other_token, "email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert client.get("/").status_code == 302

    def test_logout_without_token(self, login_as):
        client = login_as(Role.INSPECTEUR)
        response = client.post("/account/uitloggen")
        assert response.status_code == 400
        assert CSRF_MESSAGE in page_text(response)
        assert client.get("/").status_code == 200  # still logged in
        assert audit_events("afmelden") == []

    def test_admin_action_without_token(self, admin_client, factories):
        target = factories.UserFactory()
        response = admin_client.post(f"/beheer/gebruikers/{target.id}/deactiveren")
        assert response.status_code == 400
        assert CSRF_MESSAGE in page_text(response)
        db.session.refresh(target)
        assert target.active is True
        assert audit_events("gebruiker.gedeactiveerd") == []

    def test_admin_form_without_token(self, admin_client):
        response = admin_client.post("/beheer/gebruikers/nieuw", data={
            "name": "Zonder Token", "email": "zonder.token@inspectie.example.nl", "roles": ["inspecteur"]})
        assert response.status_code == 400
        assert audit_events("gebruiker.aangemaakt") == []
