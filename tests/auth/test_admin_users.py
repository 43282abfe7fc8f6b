"""Beheer → Gebruikers: create, edit, (de)activate, and the rules that keep at least one administrator."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.auth.helpers import audit_events, field_error, location, page_text, post_form, post_login
from tests.conftest import PASSWORD, login
from wki.auth import services
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.errors import ServiceError
from wki.core.extensions import db

NEW_URL = "/beheer/gebruikers/nieuw"


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def _create(client, **fields):
    data = {"name": "Nieuwe Collega", "email": "nieuwe.collega@inspectie.example.nl", "roles": ["inspecteur"],
            "password": ""}
    data.update(fields)
    return post_form(client, NEW_URL, data)


class TestCreate:
    def test_form_opens(self, admin_client):
        response = admin_client.get(NEW_URL)
        assert response.status_code == 200
        assert 'name="roles"' in page_text(response)

    def test_create_with_generated_password(self, app, admin_client):
        response = _create(admin_client, email="Nieuwe.Collega@Inspectie.Example.nl",
                           roles=["inspecteur", "handhaver"])

        assert response.status_code == 302
        user = services.find_user_by_email("nieuwe.collega@inspectie.example.nl")
        assert user is not None
        assert location(response) == f"/beheer/gebruikers/{user.id}"
        assert user.name == "Nieuwe Collega"
        assert user.role_set == {Role.INSPECTEUR, Role.HANDHAVER}
        assert user.must_change_password and user.active and not user.is_demo
        [event] = audit_events("gebruiker.aangemaakt", object_id=user.id)
        assert event.actor_id == admin_client.user.id
        assert event.before is None
        assert event.after == {"email": "nieuwe.collega@inspectie.example.nl", "naam": "Nieuwe Collega",
                               "rollen": ["handhaver", "inspecteur"], "actief": True, "tweede_factor": False}
        assert "Gebruiker nieuwe.collega@inspectie.example.nl is aangemaakt." in page_text(
            admin_client.get(location(response)), )

    def test_generated_password_is_shown_once_and_works(self, app, admin_client):
        response = _create(admin_client)
        detail = location(response)
        match = re.search(r'id="tijdelijk-wachtwoord">([^<]+)<', page_text(admin_client.get(detail)))
        assert match
        assert "tijdelijk-wachtwoord" not in page_text(admin_client.get(detail))
        client = app.test_client()
        login(client, "nieuwe.collega@inspectie.example.nl", match.group(1))
        assert location(client.get("/")) == "/account/wachtwoord"

    def test_create_with_chosen_password(self, app, admin_client):
        _create(admin_client, password="een zelfgekozen wachtwoord")
        assert location(post_login(app.test_client(), "nieuwe.collega@inspectie.example.nl",
                                   "een zelfgekozen wachtwoord")) == "/"

    @pytest.mark.parametrize(("fields", "field", "message"), [
        ({"name": ""}, "name", "Vul de naam in."),
        ({"name": "   "}, "name", "Vul de naam in."),
        ({"email": ""}, "email", "Vul het e-mailadres in."),
        ({"email": "geen-e-mailadres"}, "email", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        ({"roles": []}, "roles", "Kies minstens één rol."),
        ({"password": "te-kort"}, "password", "Kies een wachtwoord van minimaal 12 tekens."),
        ({"password": "nieuwe.collega-2024!"}, "password", "Het wachtwoord mag uw e-mailadres niet bevatten."),
    ])
    def test_validation_errors_in_dutch(self, admin_client, fields, field, message):
        before = _user_count()
        response = _create(admin_client, **fields)
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert "Er is een probleem" in page_text(response)
        assert _user_count() == before
        assert audit_events("gebruiker.aangemaakt") == []

    def test_duplicate_email_is_refused(self, admin_client, factories):
        existing = factories.UserFactory(email="dubbel@inspectie.example.nl")
        before = _user_count()
        response = _create(admin_client, email="  DUBBEL@inspectie.example.nl ")
        assert response.status_code == 200
        assert field_error(response, "email") == "Er bestaat al een gebruiker met dit e-mailadres."
        assert _user_count() == before
        db.session.refresh(existing)
        assert existing.name != "Nieuwe Collega"

    def test_unknown_role_is_refused(self, admin_client):
        before = _user_count()
        response = _create(admin_client, roles=["superuser"])
        assert response.status_code == 200
        assert field_error(response, "roles")
        assert _user_count() == before


class TestEdit:
    def test_edit_form_shows_current_roles(self, admin_client, factories):
        user = factories.UserFactory(roles=[Role.HANDHAVER])
        html = page_text(admin_client.get(f"/beheer/gebruikers/{user.id}/bewerken"))
        assert re.search(r'<input checked[^>]*value="handhaver"', html) or re.search(
            r'value="handhaver"[^>]*checked', html), html
        assert not re.search(r'value="inspecteur"[^>]*checked', html)

    def test_edit_roles_writes_before_and_after(self, admin_client, factories):
        user = factories.UserFactory(roles=[Role.INSPECTEUR], name="Oude Naam")
        response = post_form(admin_client, f"/beheer/gebruikers/{user.id}/bewerken",
                             {"name": "Nieuwe Naam", "roles": ["handhaver", "voorlichting"]})

        assert location(response) == f"/beheer/gebruikers/{user.id}"
        db.session.refresh(user)
        assert user.name == "Nieuwe Naam"
        assert user.role_set == {Role.HANDHAVER, Role.VOORLICHTING}
        [event] = audit_events("gebruiker.gewijzigd", object_id=user.id)
        assert event.actor_id == admin_client.user.id
        assert event.before["rollen"] == ["inspecteur"] and event.before["naam"] == "Oude Naam"
        assert event.after["rollen"] == ["handhaver", "voorlichting"] and event.after["naam"] == "Nieuwe Naam"

    def test_saving_without_changes_writes_no_audit(self, admin_client, factories):
        user = factories.UserFactory(roles=[Role.INSPECTEUR], name="Zelfde Naam")
        post_form(admin_client, f"/beheer/gebruikers/{user.id}/bewerken",
                  {"name": "Zelfde Naam", "roles": ["inspecteur"]})
        assert audit_events("gebruiker.gewijzigd", object_id=user.id) == []

    def test_cannot_remove_own_admin_role(self, admin_client):
        me = admin_client.user
        response = post_form(admin_client, f"/beheer/gebruikers/{me.id}/bewerken",
                             {"name": me.name, "roles": ["inspecteur"]})
        assert response.status_code == 200
        assert field_error(response, "roles") == "U kunt uw eigen beheerdersrol niet intrekken."
        db.session.refresh(me)
        assert me.role_set == {Role.BEHEERDER}
        assert admin_client.get("/beheer/gebruikers").status_code == 200

    def test_may_remove_admin_role_of_another_admin(self, admin_client, factories):
        other = factories.UserFactory(roles=[Role.BEHEERDER])
        post_form(admin_client, f"/beheer/gebruikers/{other.id}/bewerken",
                  {"name": other.name, "roles": ["inspecteur"]})
        db.session.refresh(other)
        assert other.role_set == {Role.INSPECTEUR}

    def test_edit_unknown_user_is_404(self, admin_client):
        assert admin_client.get("/beheer/gebruikers/999999/bewerken").status_code == 404
        assert admin_client.get("/beheer/gebruikers/999999").status_code == 404


class TestActivation:
    def test_deactivate_and_activate(self, app, admin_client, factories):
        user = factories.UserFactory()
        detail = f"/beheer/gebruikers/{user.id}"

        response = post_form(admin_client, f"{detail}/deactiveren", {"confirm": "y"})

        assert location(response) == detail
        db.session.refresh(user)
        assert user.active is False
        [event] = audit_events("gebruiker.gedeactiveerd", object_id=user.id)
        assert event.before["actief"] is True and event.after["actief"] is False
        assert post_login(app.test_client(), user.email).status_code == 200  # refused

        post_form(admin_client, f"{detail}/activeren", token_from=detail)

        db.session.refresh(user)
        assert user.active is True
        assert audit_events("gebruiker.geactiveerd", object_id=user.id)
        assert location(post_login(app.test_client(), user.email)) == "/"

    def test_cannot_deactivate_oneself(self, admin_client):
        me = admin_client.user
        detail = f"/beheer/gebruikers/{me.id}"
        response = post_form(admin_client, f"{detail}/deactiveren", {"confirm": "y"})
        assert location(response) == detail
        assert "U kunt uw eigen account niet deactiveren." in page_text(admin_client.get(detail))
        db.session.refresh(me)
        assert me.active is True
        assert audit_events("gebruiker.gedeactiveerd") == []

    def test_may_deactivate_another_admin(self, admin_client, factories):
        other = factories.UserFactory(roles=[Role.BEHEERDER])
        detail = f"/beheer/gebruikers/{other.id}"
        post_form(admin_client, f"{detail}/deactiveren", {"confirm": "y"})
        db.session.refresh(other)
        assert other.active is False

    def test_action_on_unknown_user_is_404(self, admin_client):
        response = post_form(admin_client, "/beheer/gebruikers/999999/deactiveren", token_from="/beheer/gebruikers")
        assert response.status_code == 404


class TestLastAdministrator:
    """Outside the pages (the command line has no acting administrator) the last one is protected too."""

    def test_last_admin_cannot_be_deactivated(self, factories):
        only = factories.UserFactory(roles=[Role.BEHEERDER])
        factories.UserFactory(roles=[Role.BEHEERDER], active=False)  # an inactive one does not count
        with pytest.raises(ServiceError, match="minstens één actieve beheerder"):
            services.set_active(user_id=only.id, active=False, actor=Actor.process("cli:test"))
        assert only.active is True

    def test_last_admin_cannot_lose_the_role(self, factories):
        only = factories.UserFactory(roles=[Role.BEHEERDER, Role.INSPECTEUR])
        with pytest.raises(ServiceError, match="minstens één actieve beheerder"):
            services.update_user(user_id=only.id, name=only.name, roles=[Role.INSPECTEUR], actor=Actor.process("cli:test"))
        assert Role.BEHEERDER in only.role_set

    def test_with_a_second_admin_it_is_allowed(self, factories):
        first = factories.UserFactory(roles=[Role.BEHEERDER])
        factories.UserFactory(roles=[Role.BEHEERDER])
        services.set_active(user_id=first.id, active=False, actor=Actor.process("cli:test"))
        assert first.active is False

    def test_deactivated_user_keeps_no_session_version(self, factories):
        """Deactivation moves the session version on, so a reactivated account starts without sessions."""
        user = factories.UserFactory()
        version = user.session_version
        services.set_active(user_id=user.id, active=False, actor=Actor.process("cli:test"))
        services.set_active(user_id=user.id, active=True, actor=Actor.process("cli:test"))
        assert user.session_version > version


class TestUserList:
    def test_lists_and_searches(self, admin_client, factories):
        factories.UserFactory(name="Anna de Zoeker", email="anna@inspectie.example.nl")
        factories.UserFactory(name="Bert Anders", email="bert@inspectie.example.nl")
        html = page_text(admin_client.get("/beheer/gebruikers", query_string={"zoek": "zoeker"}))
        assert "anna@inspectie.example.nl" in html
        assert "bert@inspectie.example.nl" not in html

    def test_search_wildcards_are_literal(self, admin_client, factories):
        factories.UserFactory(email="a_b@inspectie.example.nl")
        factories.UserFactory(email="axb@inspectie.example.nl")
        html = page_text(admin_client.get("/beheer/gebruikers", query_string={"zoek": "a_b"}))
        assert "a_b@inspectie.example.nl" in html
        assert "axb@inspectie.example.nl" not in html
        html = page_text(admin_client.get("/beheer/gebruikers", query_string={"zoek": "%"}))
        assert "axb@inspectie.example.nl" not in html

    def test_filter_by_role(self, admin_client, factories):
        factories.UserFactory(email="handhaver@inspectie.example.nl", roles=[Role.HANDHAVER])
        factories.UserFactory(email="voorlichter@inspectie.example.nl", roles=[Role.VOORLICHTING])
        html = page_text(admin_client.get("/beheer/gebruikers", query_string={"rol": "handhaver"}))
        assert "handhaver@inspectie.example.nl" in html
        assert "voorlichter@inspectie.example.nl" not in html

    def test_unknown_role_filter_is_ignored(self, admin_client, factories):
        factories.UserFactory(email="iemand@inspectie.example.nl")
        html = page_text(admin_client.get("/beheer/gebruikers", query_string={"rol": "' OR 1=1 --"}))
        assert "iemand@inspectie.example.nl" in html


def test_password_of_factory_users(factories, client):
    """The factories' password is the one conftest logs in with (guards the helpers above)."""
    user = factories.UserFactory()
    assert location(post_login(client, user.email, PASSWORD)) == "/"


class TestDeactivationIsConfirmed:
    """Security review, issue 10 (b): deactivating an account asks for confirmation first."""

    def test_detail_page_links_to_a_confirmation_page(self, admin_client, factories):
        user = factories.UserFactory()
        detail = f"/beheer/gebruikers/{user.id}"
        assert f'href="{detail}/deactiveren"' in page_text(admin_client.get(detail))

        page = admin_client.get(f"{detail}/deactiveren")

        assert page.status_code == 200
        html = page_text(page)
        assert "Weet u het zeker?" in html and user.email in html and "Annuleren" in html
        db.session.refresh(user)
        assert user.active is True

    def test_post_without_confirmation_changes_nothing(self, admin_client, factories):
        user = factories.UserFactory()
        detail = f"/beheer/gebruikers/{user.id}"

        response = post_form(admin_client, f"{detail}/deactiveren", token_from=detail)

        assert response.status_code == 200
        assert "Weet u het zeker?" in page_text(response)
        db.session.refresh(user)
        assert user.active is True
        assert audit_events("gebruiker.gedeactiveerd") == []

    def test_confirmed_post_deactivates(self, admin_client, factories):
        user = factories.UserFactory()
        detail = f"/beheer/gebruikers/{user.id}"

        response = post_form(admin_client, f"{detail}/deactiveren", {"confirm": "y"})

        assert location(response) == detail
        db.session.refresh(user)
        assert user.active is False
        assert audit_events("gebruiker.gedeactiveerd", object_id=user.id)
