"""One-time secrets (security review, issue 10, finding 6): a temporary password, the second-factor
set-up secret and fresh recovery codes are shown once, and are never in the session cookie, which is
signed but readable by anyone who holds it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.auth.helpers import (
    location,
    page_text,
    post_code,
    post_form,
    post_login,
    readable_session,
    totp_code,
)
from tests.auth.test_second_factor import CODES_URL, SETUP_URL, _setup_secret, _shown_codes
from wki.auth import services
from wki.auth.models import OneTimeSecret
from wki.core.auth import Role
from wki.core.extensions import db

NEW_URL = "/beheer/gebruikers/nieuw"
PASSWORD_SHOWN = re.compile(r'id="tijdelijk-wachtwoord">([^<]+)<')


def _secret_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OneTimeSecret))


class TestTemporaryPassword:
    def test_new_users_password_is_not_in_the_cookie_and_shown_once(self, admin_client):
        response = post_form(admin_client, NEW_URL, {"name": "Nieuwe Collega", "roles": ["inspecteur"],
                                                     "email": "nieuwe.collega@inspectie.example.nl"})
        detail = location(response)
        user = services.find_user_by_email("nieuwe.collega@inspectie.example.nl")
        assert detail == f"/beheer/gebruikers/{user.id}"
        assert _secret_rows() == 1

        match = PASSWORD_SHOWN.search(page_text(admin_client.get(detail)))

        assert match
        password = match.group(1)
        assert password not in readable_session(admin_client)
        assert PASSWORD_SHOWN.search(page_text(admin_client.get(detail))) is None  # once
        assert _secret_rows() == 0  # deleted when shown

    def test_reset_password_is_not_in_the_cookie(self, admin_client, factories):
        user = factories.UserFactory()
        detail = f"/beheer/gebruikers/{user.id}"

        post_form(admin_client, f"{detail}/wachtwoord-resetten", token_from=detail)

        stored = db.session.scalar(sa.select(OneTimeSecret))
        password = stored.value["value"]
        assert password not in readable_session(admin_client)
        match = PASSWORD_SHOWN.search(page_text(admin_client.get(detail)))
        assert match and match.group(1) == password
        assert password not in readable_session(admin_client)
        assert PASSWORD_SHOWN.search(page_text(admin_client.get(detail))) is None

    def test_another_administrator_cannot_see_it(self, admin_client, login_as, factories):
        """The key in one administrator's session names nothing for anyone else."""
        user = factories.UserFactory()
        detail = f"/beheer/gebruikers/{user.id}"
        post_form(admin_client, f"{detail}/wachtwoord-resetten", token_from=detail)
        key = db.session.scalar(sa.select(OneTimeSecret.key))
        other = login_as(Role.BEHEERDER)
        with other.session_transaction() as sess:
            sess["shown_password_key"] = key

        assert PASSWORD_SHOWN.search(page_text(other.get(detail))) is None
        assert PASSWORD_SHOWN.search(page_text(admin_client.get(detail)))  # the owner still sees it


class TestSecondFactorSecrets:
    def test_setup_secret_and_recovery_codes_are_not_in_the_cookie(self, login_as, clock):
        client = login_as(Role.INSPECTEUR)
        secret = _setup_secret(client)
        assert secret not in readable_session(client)
        assert secret == _setup_secret(client)  # kept server-side until confirmed

        response = post_form(client, SETUP_URL, {"code": totp_code(secret, clock.now)})

        assert location(response) == CODES_URL
        cookie = readable_session(client)
        assert secret not in cookie
        codes = _shown_codes(client.get(CODES_URL))
        assert len(codes) == services.RECOVERY_CODE_COUNT
        cookie = readable_session(client)
        assert not any(code in cookie for code in codes)
        assert _shown_codes(client.get(CODES_URL)) == []  # once
        assert _secret_rows() == 0

    def test_regenerated_codes_are_not_in_the_cookie(self, client, make_totp_user):
        totp = make_totp_user()
        totp.clock.advance(seconds=30)
        post_login(client, totp.user.email)
        post_code(client, totp.code())

        response = post_form(client, CODES_URL)

        assert location(response) == CODES_URL
        stored = db.session.scalar(sa.select(OneTimeSecret))
        assert stored.purpose == "recovery_codes"
        codes = stored.value["value"]
        cookie = readable_session(client)
        assert not any(code in cookie for code in codes)
        assert _shown_codes(client.get(CODES_URL)) == codes
        assert _shown_codes(client.get(CODES_URL)) == []


class TestService:
    def test_expired_secret_is_not_shown(self, factories, clock):
        owner = factories.UserFactory()
        key = services.stash_secret(owner=owner, purpose="test", value="geheim")
        clock.advance(minutes=services.ONE_TIME_SECRET_MINUTES, seconds=1)
        assert services.take_secret(key, owner=owner, purpose="test") is None
        assert services.purge_expired_secrets() == 1

    @pytest.mark.parametrize("purpose, subject_id", [("other", None), ("test", 99)])
    def test_secret_answers_only_its_purpose_and_subject(self, factories, purpose, subject_id):
        owner = factories.UserFactory()
        key = services.stash_secret(owner=owner, purpose="test", value="geheim")
        assert services.take_secret(key, owner=owner, purpose=purpose, subject_id=subject_id) is None
        assert services.take_secret(key, owner=owner, purpose="test") == "geheim"
        assert services.take_secret(key, owner=owner, purpose="test") is None

    def test_log_out_deletes_unshown_secrets(self, factories):
        owner = factories.UserFactory()
        services.stash_secret(owner=owner, purpose="test", value="geheim")
        services.record_logout(owner)
        assert _secret_rows() == 0


def test_rows_expire_in_about_fifteen_minutes(factories):
    owner = factories.UserFactory()
    services.stash_secret(owner=owner, purpose="test", value="geheim")
    row = db.session.scalar(sa.select(OneTimeSecret))
    assert row.expires_at - row.created_at == timedelta(minutes=15)
