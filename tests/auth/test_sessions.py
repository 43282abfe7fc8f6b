"""Sessions: which changes end them, their idle and absolute limits, binding, cookies and headers."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from itsdangerous import TimestampSigner

from tests.auth.helpers import (
    LOGIN_URL,
    audit_events,
    field_error,
    location,
    page_text,
    post_form,
    post_login,
    session_cookie,
)
from tests.conftest import PASSWORD, login
from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.extensions import db

NEW_PASSWORD = "een nieuwe lange zin als wachtwoord"


def _change_password(client, current: str = PASSWORD, new: str = NEW_PASSWORD):
    return post_form(client, "/account/wachtwoord",
                     {"current_password": current, "new_password": new, "confirm": new})


class TestPasswordChangeEndsOtherSessions:
    def test_other_session_ends_current_one_stays(self, app, login_as):
        first = login_as(Role.INSPECTEUR)
        second = app.test_client()
        login(second, first.user.email)
        assert second.get("/").status_code == 200

        response = _change_password(first)

        assert location(response) == "/account/"
        assert "Op andere apparaten bent u uitgelogd." in page_text(first.get("/account/"))
        assert first.get("/").status_code == 200
        refused = second.get("/")
        assert refused.status_code == 302 and location(refused) == LOGIN_URL
        assert audit_events("gebruiker.wachtwoord_gewijzigd", object_id=first.user.id)

    def test_new_password_works_and_old_one_not(self, app, login_as):
        first = login_as(Role.INSPECTEUR)
        _change_password(first)
        assert location(post_login(app.test_client(), first.user.email, NEW_PASSWORD)) == "/"
        assert post_login(app.test_client(), first.user.email, PASSWORD).status_code == 200

    def test_wrong_current_password_is_refused(self, login_as):
        client = login_as(Role.INSPECTEUR)
        response = _change_password(client, current="not-my-password")
        assert response.status_code == 200
        assert field_error(response, "current_password") == "Het huidige wachtwoord is onjuist."
        db.session.refresh(client.user)
        assert client.user.session_version == 1
        assert audit_events("gebruiker.wachtwoord_gewijzigd") == []


class TestAdminPasswordReset:
    def test_temporary_password_is_shown_once_and_forces_a_change(self, app, admin_client, login_as):
        user_client = login_as(Role.INSPECTEUR)
        user = user_client.user
        detail = f"/beheer/gebruikers/{user.id}"

        response = post_form(admin_client, f"{detail}/wachtwoord-resetten", token_from=detail)

        assert location(response) == detail
        html = page_text(admin_client.get(detail))
        match = re.search(r'id="tijdelijk-wachtwoord">([^<]+)<', html)
        assert match, html
        temporary = match.group(1)
        assert "tijdelijk-wachtwoord" not in page_text(admin_client.get(detail))  # shown once
        assert audit_events("gebruiker.wachtwoord_gereset", object_id=user.id)
        # The reset ended the user's open session.
        assert location(user_client.get("/")) == LOGIN_URL

        client = app.test_client()
        assert post_login(client, user.email, PASSWORD).status_code == 200  # the old password is gone
        login(client, user.email, temporary)
        for url in ("/", "/register", "/account/"):
            response = client.get(url)
            assert response.status_code == 302 and location(response) == "/account/wachtwoord", url
        assert "Kies eerst een nieuw wachtwoord." in page_text(client.get("/account/wachtwoord"))

        _change_password(client, current=temporary)

        assert client.get("/").status_code == 200
        db.session.refresh(user)
        assert user.must_change_password is False

    def test_user_under_forced_change_can_still_log_out(self, login_as):
        client = login_as(Role.INSPECTEUR, must_change_password=True)
        response = post_form(client, "/account/uitloggen", token_from="/account/wachtwoord")
        assert location(response) == LOGIN_URL


class TestAccountChangesEndSessions:
    def test_deactivation_logs_the_user_out(self, admin_client, login_as):
        client = login_as(Role.INSPECTEUR)
        assert client.get("/").status_code == 200
        detail = f"/beheer/gebruikers/{client.user.id}"

        post_form(admin_client, f"{detail}/deactiveren", {"confirm": "y"})

        assert location(client.get("/")) == LOGIN_URL

    def test_role_change_logs_the_user_out(self, admin_client, login_as):
        client = login_as(Role.INSPECTEUR)
        edit = f"/beheer/gebruikers/{client.user.id}/bewerken"

        post_form(admin_client, edit, {"name": client.user.name, "roles": ["voorlichting"]})

        assert location(client.get("/")) == LOGIN_URL
        login(client, client.user.email)
        assert client.get("/signalen").status_code == 403
        assert client.get("/documenten").status_code == 200

    def test_name_change_keeps_the_session(self, admin_client, login_as):
        client = login_as(Role.INSPECTEUR)
        edit = f"/beheer/gebruikers/{client.user.id}/bewerken"
        post_form(admin_client, edit, {"name": "Nieuwe Naam", "roles": ["inspecteur"]})
        assert client.get("/").status_code == 200


class TestSessionLimits:
    def test_absolute_maximum_logs_out(self, app, login_as):
        client = login_as(Role.INSPECTEUR)
        with client.session_transaction() as sess:
            sess["login_at"] = utcnow().timestamp() - app.config["SESSION_MAX_HOURS"] * 3600 - 1

        response = client.get("/")

        assert response.status_code == 302
        assert location(response) == LOGIN_URL
        assert parse_qs(urlsplit(response.headers["Location"]).query) == {"next": ["/"]}
        assert "Uw sessie is verlopen. Log opnieuw in." in page_text(client.get(LOGIN_URL))
        assert location(client.get("/")) == LOGIN_URL  # logged out, not only redirected

    def test_just_inside_the_maximum_is_fine(self, app, login_as):
        client = login_as(Role.INSPECTEUR)
        with client.session_transaction() as sess:
            sess["login_at"] = utcnow().timestamp() - app.config["SESSION_MAX_HOURS"] * 3600 + 60
        assert client.get("/").status_code == 200

    def test_session_without_log_in_time_is_ended(self, login_as):
        client = login_as(Role.INSPECTEUR)
        with client.session_transaction() as sess:
            del sess["login_at"]
        assert location(client.get("/")) == LOGIN_URL

    def test_idle_session_ends(self, app, login_as, monkeypatch):
        client = login_as(Role.INSPECTEUR)
        idle = int(app.permanent_session_lifetime.total_seconds())
        assert idle == app.config["SESSION_IDLE_MINUTES"] * 60
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + idle + 5)

        assert location(client.get("/")) == LOGIN_URL

    def test_activity_keeps_the_session_alive(self, app, login_as, monkeypatch):
        client = login_as(Role.INSPECTEUR)
        idle = int(app.permanent_session_lifetime.total_seconds())
        later = {"seconds": 0}
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + later["seconds"])
        for seconds in (idle - 60, 2 * idle - 120, 3 * idle - 180):  # each request within the idle limit
            later["seconds"] = seconds
            assert client.get("/").status_code == 200

    @pytest.mark.parametrize("environ", [
        {"HTTP_USER_AGENT": "Another browser/1.0"},
        {"REMOTE_ADDR": "203.0.113.99"},
    ])
    def test_cookie_used_from_another_browser_or_address_is_refused(self, login_as, environ):
        client = login_as(Role.INSPECTEUR)
        response = client.get("/", environ_base=environ)
        assert response.status_code == 302
        assert location(response) == LOGIN_URL
        assert location(client.get("/")) == LOGIN_URL


class TestHeaders:
    def test_security_headers_on_pages(self, client, login_as):
        for response in (client.get(LOGIN_URL), login_as(Role.BEHEERDER).get("/beheer/gebruikers"),
                         client.get("/bestaat-niet")):
            headers = response.headers
            csp = headers["Content-Security-Policy"]
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
            directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
            assert directives["default-src"] == ["'self'"]
            assert directives["script-src"] == ["'self'"]
            assert directives["frame-ancestors"] == ["'none'"]
            assert directives["object-src"] == ["'none'"]
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}
            assert headers["Cache-Control"] == "no-store"
            assert headers["X-Request-ID"]

    def test_static_files_may_be_cached(self, client):
        with client.get("/static/css/app.css") as response:
            assert response.status_code == 200
            assert "no-store" not in response.headers.get("Cache-Control", "")
            assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_no_hsts_without_secure_cookies(self, client):
        assert "Strict-Transport-Security" not in client.get(LOGIN_URL).headers

    def test_hsts_with_secure_cookies(self, app, client, monkeypatch):
        monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
        assert client.get(LOGIN_URL).headers["Strict-Transport-Security"].startswith("max-age=")

    def test_request_id_from_upstream_is_kept_and_cut(self, client):
        response = client.get(LOGIN_URL, headers={"X-Request-ID": "r" * 100})
        assert response.headers["X-Request-ID"] == "r" * 64


class TestLogOutEndsTheSession:
    """Security review, issue 10, finding 5: log-out ends the session on the server, not only in the browser."""

    def test_cookie_saved_before_log_out_no_longer_works(self, app, login_as):
        client = login_as(Role.INSPECTEUR)
        saved = session_cookie(client)
        assert client.get("/").status_code == 200

        response = post_form(client, "/account/uitloggen", token_from="/account/")

        assert location(response) == LOGIN_URL
        replay = app.test_client()
        replay.set_cookie(app.config["SESSION_COOKIE_NAME"], saved)
        refused = replay.get("/")
        assert refused.status_code == 302 and location(refused) == LOGIN_URL
        assert location(replay.get("/account/")) == LOGIN_URL
        assert audit_events("afmelden", object_id=client.user.id)

    def test_log_in_again_after_log_out_works(self, app, login_as):
        client = login_as(Role.INSPECTEUR)
        post_form(client, "/account/uitloggen", token_from="/account/")
        login(client, client.user.email)
        assert client.get("/").status_code == 200
