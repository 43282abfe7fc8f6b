"""Beheer of the partner tokens: issue (shown once, only the hash stored), list, revoke; administrators only."""

from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa

from tests.auth.helpers import location
from tests.conftest import csrf_token
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals.models import PartnerToken
from wki.signals.partner_tokens import issue_token, revoke_token

LIST = "/beheer/partners"
NEW = "/beheer/partners/nieuw"
TOKEN = re.compile(r"wki_[A-Za-z0-9_-]{40,}")


def issue(client, partner: str = "Gemeente Testdorp", bron: str = "gemeente"):
    return client.post(NEW, data={"csrf_token": csrf_token(client, NEW), "partner": partner, "bron": bron})


def tokens() -> list[PartnerToken]:
    return list(db.session.scalars(sa.select(PartnerToken).order_by(PartnerToken.id)))


class TestIssue:
    def test_the_token_is_shown_once_and_only_its_hash_is_stored(self, admin_client, mirror):
        issued = issue(admin_client)
        assert issued.status_code == 302  # post/redirect/get: see test_partner_token_once.py
        response = admin_client.get(location(issued))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        shown = TOKEN.findall(page)
        assert len(shown) == 1
        token = shown[0]
        assert "Het wordt hierna nooit meer getoond." in page
        assert response.headers["Cache-Control"] == "no-store"

        [record] = tokens()
        assert (record.partner, record.bron, record.created_by) == ("Gemeente Testdorp", "gemeente",
                                                                    admin_client.user.email)
        assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token.startswith(record.prefix) and len(record.prefix) < len(token)
        stored = [str(v) for v in db.session.execute(sa.select(PartnerToken.__table__)).one()]
        assert not any(token in value for value in stored)
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "partnertoken.uitgegeven")).all()
        assert [e.actor_email for e in events] == [admin_client.user.email]
        assert token not in str(events[0].after)

        # Never again: not on the list, not in the session.
        listing = admin_client.get(LIST).get_data(as_text=True)
        assert token not in listing and f"{record.prefix}…" in listing
        assert token not in admin_client.get(NEW).get_data(as_text=True)

        # And it works.
        api = admin_client.application.test_client()
        response = api.post("/api/v1/signalen", headers={"Authorization": f"Bearer {token}"},
                            json={"referentie": "A-1", "ontvangen_op": "2026-03-10", "naam_incassant": "Noordkaap"})
        assert response.status_code == 201

    @pytest.mark.parametrize(("partner", "bron", "message"), [
        ("", "gemeente", "Vul de naam van de partner in."),
        ("x" * 201, "gemeente", "Gebruik hoogstens 200 tekens."),
        ("Gemeente Testdorp", "", "Kies de bron van de signalen van deze partner."),
        ("Gemeente Testdorp", "buurman", "Kies een bron uit de lijst."),
    ])
    def test_a_wrong_form_issues_nothing(self, admin_client, db_session, partner, bron, message):
        response = issue(admin_client, partner, bron)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Er is een probleem" in page and message in page
        assert not TOKEN.search(page)
        assert tokens() == []

    def test_the_form_needs_its_csrf_token(self, admin_client, db_session):
        response = admin_client.post(NEW, data={"partner": "Gemeente Testdorp", "bron": "gemeente"})
        assert response.status_code == 400
        assert tokens() == []


class TestListAndRevoke:
    @pytest.fixture
    def issued(self, db_session) -> tuple[PartnerToken, PartnerToken]:
        active, _ = issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("beheerder@test"))
        old, _ = issue_token("Schuldhulp Oost", "schuldhulpverlener", actor=Actor.process("beheerder@test"))
        revoke_token(old.id, actor=Actor.process("beheerder@test"))
        db.session.flush()
        return active, old

    def test_the_list_shows_every_token(self, admin_client, issued):
        active, old = issued
        page = admin_client.get(LIST).get_data(as_text=True)
        assert "2 tokens, waarvan 1 actief" in page
        for record in issued:
            assert f"<code>{record.prefix}…</code>" in page
        assert "Gemeente Testdorp" in page and "Schuldhulpverlener" in page
        assert "door beheerder@test" in page and "nooit" in page
        assert "Ingetrokken" in page
        assert f"/beheer/partners/{active.id}/intrekken" in page
        assert f"/beheer/partners/{old.id}/intrekken" not in page

    def test_the_admin_pages_link_to_the_tokens(self, admin_client, db_session):
        assert 'href="/beheer/partners"' in admin_client.get("/beheer/").get_data(as_text=True)

    def test_revoking_asks_first_then_revokes(self, admin_client, issued):
        active, _ = issued
        url = f"/beheer/partners/{active.id}/intrekken"
        confirm = admin_client.get(url)
        assert confirm.status_code == 200
        assert "Weet u het zeker?" in confirm.get_data(as_text=True)
        assert db.session.get(PartnerToken, active.id).revoked_at is None  # asking changes nothing

        response = admin_client.post(url, data={"csrf_token": csrf_token(admin_client, url)})
        assert response.status_code == 302 and location(response) == LIST
        record = db.session.get(PartnerToken, active.id)
        assert record.revoked_at is not None and record.revoked_by == admin_client.user.email
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "partnertoken.ingetrokken",
                                                              AuditEvent.object_id == str(active.id)))
        assert event.actor_email == admin_client.user.email
        assert "is ingetrokken; het werkt niet meer." in admin_client.get(LIST).get_data(as_text=True)

    def test_a_revoked_token_cannot_be_revoked_again(self, admin_client, issued):
        _, old = issued
        url = f"/beheer/partners/{old.id}/intrekken"
        page = admin_client.get(url).get_data(as_text=True)
        assert "Dit token is al ingetrokken" in page and "definitief intrekken" not in page
        token = csrf_token(admin_client, "/beheer/gebruikers/nieuw")
        response = admin_client.post(url, data={"csrf_token": token})
        assert response.status_code == 302
        assert "Dit token is al ingetrokken." in admin_client.get(LIST).get_data(as_text=True)

    def test_an_unknown_token_is_404(self, admin_client, db_session):
        assert admin_client.get("/beheer/partners/999999/intrekken").status_code == 404


class TestAccess:
    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.HANDHAVER, Role.VOORLICHTING], ids=lambda r: r.value)
    def test_only_administrators(self, login_as, db_session, role):
        record, _ = issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("beheerder@test"))
        db.session.flush()
        client = login_as(role)
        revoke_url = f"/beheer/partners/{record.id}/intrekken"
        for url in (LIST, NEW, revoke_url):
            assert client.get(url).status_code == 403, url
        token = csrf_token(client, "/account/wachtwoord")
        assert client.post(NEW, data={"csrf_token": token, "partner": "X", "bron": "gemeente"}).status_code == 403
        assert client.post(revoke_url, data={"csrf_token": token}).status_code == 403
        assert len(tokens()) == 1 and tokens()[0].revoked_at is None

    def test_anonymous_users_are_sent_to_log_in(self, client, db_session):
        response = client.get(LIST)
        assert response.status_code == 302 and location(response) == "/account/inloggen"
