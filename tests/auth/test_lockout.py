"""Throttling: accounts lock after repeated failures, addresses are throttled, old failures expire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.auth.helpers import (
    LOCK_MESSAGE_START,
    WRONG_MESSAGE,
    audit_events,
    location,
    page_text,
    post_form,
    post_login,
)
from wki.auth import services
from wki.auth.models import LoginFailure
from wki.core.clock import utcnow
from wki.core.extensions import db


def _fail(client, email: str, times: int, **kwargs) -> list:
    return [post_login(client, email, f"wrong-password-{i}", **kwargs) for i in range(times)]


class TestAccountLock:
    def test_five_failures_lock_the_account(self, app, client, factories):
        user = factories.UserFactory()
        limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        assert limit == 5

        responses = _fail(client, user.email, limit)

        assert all(WRONG_MESSAGE in page_text(r) for r in responses[:-1])
        assert LOCK_MESSAGE_START in page_text(responses[-1])
        db.session.refresh(user)
        assert services.is_locked(user)
        expected = utcnow() + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"])
        assert abs((user.locked_until - expected).total_seconds()) < 60
        [event] = audit_events("gebruiker.geblokkeerd", object_id=user.id)
        assert event.after["geblokkeerd_tot"] == user.locked_until.isoformat()

    def test_locked_account_refuses_the_right_password(self, client, factories):
        user = factories.UserFactory()
        _fail(client, user.email, 5)

        response = post_login(client, user.email)

        assert response.status_code == 200
        assert LOCK_MESSAGE_START in page_text(response)
        assert client.get("/").status_code == 302
        assert audit_events("aanmelden.geweigerd_geblokkeerd", object_id=user.id)
        assert audit_events("aanmelden.gelukt", object_id=user.id) == []

    def test_four_failures_do_not_lock(self, client, factories):
        user = factories.UserFactory()
        _fail(client, user.email, 4)
        assert location(post_login(client, user.email)) == "/"

    def test_lock_ends_by_itself(self, app, client, factories, clock):
        user = factories.UserFactory()
        _fail(client, user.email, 5)
        assert LOCK_MESSAGE_START in page_text(post_login(client, user.email))

        clock.advance(minutes=app.config["LOGIN_LOCK_MINUTES"], seconds=1)

        assert location(post_login(client, user.email)) == "/"

    def test_admin_unlock_allows_log_in_again(self, admin_client, client, factories):
        user = factories.UserFactory()
        _fail(client, user.email, 5)
        detail = page_text(admin_client.get(f"/beheer/gebruikers/{user.id}"))
        assert "Geblokkeerd tot" in detail and "Deblokkeren" in detail

        response = post_form(admin_client, f"/beheer/gebruikers/{user.id}/deblokkeren",
                             token_from=f"/beheer/gebruikers/{user.id}")

        assert response.status_code == 302
        assert "Het account is gedeblokkeerd." in page_text(admin_client.get(location(response)))
        db.session.refresh(user)
        assert user.locked_until is None
        assert db.session.query(LoginFailure).filter_by(email=user.email).count() == 0
        [event] = audit_events("gebruiker.gedeblokkeerd", object_id=user.id)
        assert event.actor_id == admin_client.user.id
        assert event.before["geblokkeerd_tot"] is not None
        assert location(post_login(client, user.email)) == "/"

    def test_one_typo_after_a_password_reset_does_not_lock_again(self, admin_client, client, factories):
        """A reset unlocks the account, and forgets the failures that locked it."""
        user = factories.UserFactory()
        _fail(client, user.email, 5)
        post_form(admin_client, f"/beheer/gebruikers/{user.id}/wachtwoord-resetten",
                  token_from=f"/beheer/gebruikers/{user.id}")

        response = post_login(client, user.email, "a-typo-in-the-new-one")

        assert WRONG_MESSAGE in page_text(response)
        db.session.refresh(user)
        assert not services.is_locked(user)

    def test_unknown_address_is_throttled_like_an_account(self, client):
        """Probing addresses that have no account ends in the same lock message: nothing is revealed."""
        responses = _fail(client, "niemand@inspectie.example.nl", 6)
        assert WRONG_MESSAGE in page_text(responses[3])
        assert LOCK_MESSAGE_START in page_text(responses[4])
        assert LOCK_MESSAGE_START in page_text(responses[5])


class TestOldFailures:
    def test_failures_older_than_the_window_do_not_count(self, app, client, factories):
        user = factories.UserFactory()
        old = utcnow() - timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"], seconds=5)
        for _ in range(10):
            db.session.add(LoginFailure(email=user.email, ip_address="127.0.0.1", occurred_at=old))
        db.session.flush()

        response = post_login(client, user.email, "wrong-password")

        assert WRONG_MESSAGE in page_text(response)
        db.session.refresh(user)
        assert user.locked_until is None
        assert location(post_login(client, user.email)) == "/"

    def test_failures_inside_the_window_do_count(self, app, client, factories):
        user = factories.UserFactory()
        recent = utcnow() - timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"] - 1)
        for _ in range(4):
            db.session.add(LoginFailure(email=user.email, ip_address="10.9.9.9", occurred_at=recent))
        db.session.flush()

        response = post_login(client, user.email, "wrong-password")

        assert LOCK_MESSAGE_START in page_text(response)
        db.session.refresh(user)
        assert services.is_locked(user)

    def test_purge_removes_only_old_failures(self, factories):
        old = LoginFailure(email="a@example.nl", ip_address=None, occurred_at=utcnow() - timedelta(days=31))
        new = LoginFailure(email="a@example.nl", ip_address=None, occurred_at=utcnow() - timedelta(days=1))
        db.session.add_all([old, new])
        db.session.flush()
        assert services.purge_login_failures() == 1
        assert db.session.query(LoginFailure).all() == [new]


class TestAddressThrottle:
    @pytest.fixture(autouse=True)
    def _small_address_limit(self, app, monkeypatch):
        """A smaller limit keeps the test quick; the rule is the same at the production value of 20."""
        monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 6)

    def test_address_is_throttled_across_different_emails(self, app, client, factories):
        user = factories.UserFactory()
        attacker = {"REMOTE_ADDR": "203.0.113.7"}
        for i in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
            response = post_login(client, f"slachtoffer{i}@inspectie.example.nl", "guess", environ_base=attacker)
            assert WRONG_MESSAGE in page_text(response)

        # Now even a right password from that address is refused ...
        response = post_login(client, user.email, environ_base=attacker)
        assert LOCK_MESSAGE_START in page_text(response)
        assert audit_events("aanmelden.geweigerd_adres")
        # ... without locking the account: from another address the user logs in.
        db.session.refresh(user)
        assert user.locked_until is None
        assert location(post_login(client, user.email, environ_base={"REMOTE_ADDR": "198.51.100.1"})) == "/"

    def test_other_addresses_do_not_add_up(self, app, client, factories):
        user = factories.UserFactory()
        for i in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
            post_login(client, f"iemand{i}@inspectie.example.nl", "guess", environ_base={"REMOTE_ADDR": f"192.0.2.{i}"})
        assert location(post_login(client, user.email, environ_base={"REMOTE_ADDR": "192.0.2.1"})) == "/"
