"""The second factor: set-up, the code step at log-in, replay, recovery codes, lock-out, expiry."""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.auth.helpers import (
    CODE_URL,
    LOCK_MESSAGE_START,
    LOGIN_URL,
    audit_events,
    field_error,
    location,
    page_text,
    post_code,
    post_form,
    post_login,
    totp_code,
    wrong_code,
)
from tests.conftest import csrf_token
from wki.auth import services
from wki.auth.models import LoginFailure
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.errors import ServiceError
from wki.core.extensions import db

SETUP_URL = "/account/tweestapsverificatie"
CODES_URL = "/account/herstelcodes"
WRONG_CODE_MESSAGE = "De code klopt niet of is al gebruikt."


def _setup_secret(client) -> str:
    html = page_text(client.get(SETUP_URL))
    match = re.search(r'id="totp-sleutel">([A-Z2-7 ]+)<', html)
    assert match, html
    return match.group(1).replace(" ", "")


def _shown_codes(response) -> list[str]:
    return re.findall(r"<li><code>([0-9a-f-]+)</code></li>", page_text(response))


class TestSetUp:
    def test_enable_through_the_pages(self, login_as, clock):
        client = login_as(Role.INSPECTEUR)
        secret = _setup_secret(client)
        assert secret == _setup_secret(client)  # the same key until it is confirmed
        html = page_text(client.get(SETUP_URL))
        assert "<svg" in html  # the QR code, inline

        response = post_form(client, SETUP_URL, {"code": totp_code(secret, clock.now)})

        assert response.status_code == 302
        assert location(response) == CODES_URL
        codes = _shown_codes(client.get(CODES_URL))
        assert len(codes) == services.RECOVERY_CODE_COUNT == len(set(codes))
        assert _shown_codes(client.get(CODES_URL)) == []  # shown once only
        user = client.user
        db.session.refresh(user)
        assert user.totp_enabled and user.totp_secret == secret
        assert audit_events("gebruiker.tweede_factor_ingesteld", object_id=user.id)
        # Set up once: the page now sends the user back to the account page.
        assert location(client.get(SETUP_URL)) == "/account/"

    def test_recovery_codes_are_stored_hashed(self, make_totp_user):
        totp = make_totp_user()
        stored = {rc.code_hash for rc in totp.user.recovery_codes}
        assert len(stored) == services.RECOVERY_CODE_COUNT
        for code in totp.recovery_codes:
            assert code not in stored and code.replace("-", "") not in stored
        assert all(len(h) == 64 for h in stored)

    def test_wrong_code_does_not_enable(self, login_as, clock):
        client = login_as(Role.INSPECTEUR)
        secret = _setup_secret(client)
        response = post_form(client, SETUP_URL, {"code": wrong_code(secret, clock.now)})
        assert response.status_code == 200
        assert field_error(response, "code").startswith("De code klopt niet.")
        db.session.refresh(client.user)
        assert not client.user.totp_enabled

    def test_codes_from_a_clock_a_minute_off_are_refused(self, factories, clock):
        user = factories.UserFactory()
        secret = services.new_totp_secret()
        with pytest.raises(ServiceError):
            services.enable_totp(user=user, secret=secret, code=totp_code(secret, clock.now, steps=2))
        assert services.enable_totp(user=user, secret=secret, code=totp_code(secret, clock.now, steps=1))

    def test_provisioning_uri_names_issuer_and_user(self, app, factories):
        user = factories.UserFactory()
        uri = services.totp_uri(user, services.new_totp_secret())
        parsed = pyotp.parse_uri(uri)
        assert parsed.name == user.email
        assert parsed.issuer == app.config["TOTP_ISSUER"]

    def test_regenerate_recovery_codes_replaces_the_old_ones(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        post_code(client, totp.code())

        response = post_form(client, CODES_URL)

        assert location(response) == CODES_URL
        new_codes = _shown_codes(client.get(CODES_URL))
        assert len(new_codes) == services.RECOVERY_CODE_COUNT
        assert not set(new_codes) & set(totp.recovery_codes)
        assert services.verify_second_factor(user=totp.user, code=totp.recovery_codes[0]) is None
        assert services.verify_second_factor(user=totp.user, code=new_codes[0]) == "herstelcode"


class TestLogInWithCode:
    def test_password_alone_is_not_enough(self, client, make_totp_user):
        totp = make_totp_user()
        response = post_login(client, totp.user.email)
        assert location(response) == CODE_URL
        assert client.get("/").status_code == 302  # not logged in yet
        assert audit_events("aanmelden.gelukt", object_id=totp.user.id) == []

    def test_right_code_logs_in(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)

        response = post_code(client, totp.code())

        assert location(response) == "/"
        assert client.get("/").status_code == 200
        [event] = audit_events("aanmelden.gelukt", object_id=totp.user.id)
        assert event.after == {"methode": "totp"}

    def test_code_with_spaces_is_accepted(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        code = totp.code()
        assert location(post_code(client, f"{code[:3]} {code[3:]}")) == "/"

    def test_wrong_code_is_refused(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)

        response = post_code(client, wrong_code(totp.secret, totp.clock.now))

        assert response.status_code == 200
        assert field_error(response, "code") == WRONG_CODE_MESSAGE
        assert client.get("/").status_code == 302
        assert audit_events("aanmelden.tweede_factor_mislukt", object_id=totp.user.id)

    def test_code_cannot_be_used_twice(self, client, app, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        code = totp.code()
        post_login(client, totp.user.email)
        assert location(post_code(client, code)) == "/"

        other = app.test_client()
        post_login(other, totp.user.email)
        response = post_code(other, code)

        assert field_error(response, "code") == WRONG_CODE_MESSAGE
        assert other.get("/").status_code == 302

    def test_the_set_up_code_cannot_be_replayed(self, client, make_totp_user):
        totp = make_totp_user()  # enabled with the code of this very time step
        post_login(client, totp.user.email)
        assert field_error(post_code(client, totp.code()), "code") == WRONG_CODE_MESSAGE

    def test_an_older_code_is_refused_after_a_newer_one(self, client, app, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=60)
        post_login(client, totp.user.email)
        assert location(post_code(client, totp.code())) == "/"

        other = app.test_client()
        post_login(other, totp.user.email)
        assert field_error(post_code(other, totp.code(steps=-1)), "code") == WRONG_CODE_MESSAGE

    def test_recovery_code_works_exactly_once(self, client, app, make_totp_user):
        totp = make_totp_user()
        code = totp.recovery_codes[3]
        post_login(client, totp.user.email)

        response = post_code(client, code.upper())

        assert location(response) == "/"
        page = page_text(client.get("/"))
        assert f"U logde in met een herstelcode. U heeft er nog {services.RECOVERY_CODE_COUNT - 1} over." in page
        assert audit_events("gebruiker.herstelcode_gebruikt", object_id=totp.user.id)
        [event] = audit_events("aanmelden.gelukt", object_id=totp.user.id)
        assert event.after == {"methode": "herstelcode"}

        other = app.test_client()
        post_login(other, totp.user.email)
        assert field_error(post_code(other, code), "code") == WRONG_CODE_MESSAGE
        assert location(post_code(other, totp.recovery_codes[4])) == "/"

    def test_five_wrong_codes_lock_the_account(self, app, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        bad = wrong_code(totp.secret, totp.clock.now)
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            assert post_code(client, bad).status_code == 200

        db.session.refresh(totp.user)
        assert services.is_locked(totp.user)
        assert audit_events("gebruiker.geblokkeerd", object_id=totp.user.id)
        # Even the right code is refused now, and the pending log-in is over.
        response = post_code(client, totp.code())
        assert location(response) == LOGIN_URL
        assert LOCK_MESSAGE_START in page_text(client.get(LOGIN_URL))
        assert client.get("/").status_code == 302
        assert location(client.get(CODE_URL)) == LOGIN_URL
        # And the password step refuses too.
        assert LOCK_MESSAGE_START in page_text(post_login(client, totp.user.email))

    def test_pending_step_expires_after_five_minutes(self, client, make_totp_user):
        totp = make_totp_user()
        post_login(client, totp.user.email)
        token = csrf_token(client, CODE_URL)  # the form as the user saw it, five minutes ago
        totp.clock.advance(seconds=301)

        response = client.post(CODE_URL, data={"csrf_token": token, "code": totp.code()})

        assert location(response) == LOGIN_URL
        assert "de tijd om de code in te vullen is verstreken" in page_text(client.get(LOGIN_URL))
        assert client.get("/").status_code == 302
        with client.session_transaction() as sess:
            assert "pending_login" not in sess

    def test_pending_step_within_five_minutes_still_works(self, client, make_totp_user):
        totp = make_totp_user()
        post_login(client, totp.user.email)
        totp.clock.advance(seconds=299)
        assert location(post_code(client, totp.code())) == "/"

    def test_code_page_without_password_step_sends_to_log_in(self, client):
        assert location(client.get(CODE_URL)) == LOGIN_URL

    def test_pending_step_ends_when_the_account_is_deactivated(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        services.set_active(user_id=totp.user.id, active=False, actor=Actor.process("test"))

        assert location(client.get(CODE_URL)) == LOGIN_URL

    def test_success_clears_the_failed_codes(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        post_code(client, wrong_code(totp.secret, totp.clock.now))
        post_code(client, totp.code())
        assert db.session.query(LoginFailure).filter_by(email=totp.user.email).count() == 0


class TestAdminReset:
    def test_reset_second_factor_lets_the_user_log_in_with_password_only(self, admin_client, client, make_totp_user):
        totp = make_totp_user()
        detail = f"/beheer/gebruikers/{totp.user.id}"
        assert "Tweede factor resetten" in page_text(admin_client.get(detail))

        response = post_form(admin_client, f"{detail}/tweede-factor-resetten", token_from=detail)

        assert location(response) == detail
        db.session.refresh(totp.user)
        assert not totp.user.totp_enabled and totp.user.totp_secret is None
        assert totp.user.recovery_codes == []
        assert audit_events("gebruiker.tweede_factor_gereset", object_id=totp.user.id)
        assert location(post_login(client, totp.user.email)) == "/"

    def test_reset_second_factor_ends_open_sessions(self, admin_client, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        post_code(client, totp.code())
        assert client.get("/").status_code == 200

        detail = f"/beheer/gebruikers/{totp.user.id}"
        post_form(admin_client, f"{detail}/tweede-factor-resetten", token_from=detail)

        assert location(client.get("/")) == LOGIN_URL


class TestRequireTotp:
    @pytest.fixture(autouse=True)
    def _require_totp(self, app, monkeypatch):
        monkeypatch.setitem(app.config, "REQUIRE_TOTP", True)

    @pytest.mark.parametrize("url", ["/", "/register", "/account/", "/account/wachtwoord", "/beheer/"])
    def test_user_without_totp_is_sent_to_set_up(self, login_as, url):
        client = login_as(Role.INSPECTEUR, Role.BEHEERDER)
        response = client.get(url)
        assert response.status_code == 302
        assert location(response) == SETUP_URL

    def test_set_up_page_itself_and_log_out_remain_reachable(self, login_as):
        client = login_as(Role.INSPECTEUR)
        assert client.get(SETUP_URL).status_code == 200
        assert client.get("/healthz").status_code == 200
        response = post_form(client, "/account/uitloggen", token_from=SETUP_URL)
        assert location(response) == LOGIN_URL
        assert location(client.get("/")) == LOGIN_URL

    def test_pages_open_once_enabled(self, login_as, clock):
        client = login_as(Role.INSPECTEUR)
        secret = _setup_secret(client)
        response = post_form(client, SETUP_URL, {"code": totp_code(secret, clock.now)})
        assert location(response) == CODES_URL
        assert client.get(CODES_URL).status_code == 200
        for url in ("/", "/register", "/account/"):
            assert client.get(url).status_code == 200, url

    def test_password_change_comes_before_set_up(self, login_as, factories):
        client = login_as(Role.INSPECTEUR, must_change_password=True)
        assert location(client.get("/")) == "/account/wachtwoord"
        assert location(client.get(SETUP_URL)) == "/account/wachtwoord"

    def test_user_with_totp_is_not_redirected(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        post_code(client, totp.code())
        assert client.get("/").status_code == 200
