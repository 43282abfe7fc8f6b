"""Password rules, changing one's own password, temporary passwords."""

from __future__ import annotations

import pytest

from tests.auth.helpers import field_error, location, page_text, post_form
from tests.conftest import PASSWORD
from wki.auth import services
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.errors import ServiceError
from wki.core.extensions import db

EMAIL = "jan.jansen@inspectie.example.nl"


class TestStrength:
    @pytest.mark.parametrize(("password", "message"), [
        ("kort-wachtw", "Kies een wachtwoord van minimaal 12 tekens."),
        ("x" * 201, "Kies een wachtwoord van hoogstens 200 tekens."),
        ("mijn-jan.jansen-wachtwoord", "Het wachtwoord mag uw e-mailadres niet bevatten."),
        ("MIJN-JAN.JANSEN-WACHTWOORD", "Het wachtwoord mag uw e-mailadres niet bevatten."),
        ("abababababababab", "Het wachtwoord is te eenvoudig; gebruik meer verschillende tekens."),
    ])
    def test_refused(self, db_session, password, message):
        with pytest.raises(ServiceError) as info:
            services.check_password_strength(password, email=EMAIL)
        assert info.value.message == message
        assert info.value.field == "password"

    @pytest.mark.parametrize("password", [
        "twaalf-tekens",  # exactly 12 characters
        "een zin van een paar woorden",
        "x" * 190 + "abcdefghij",  # exactly 200
        "jansen-en-jan-zijn-oke",  # parts of the name are fine, the whole name before the @ is not
    ])
    def test_accepted(self, db_session, password):
        services.check_password_strength(password, email=EMAIL)

    def test_very_short_email_name_is_not_a_forbidden_word(self, db_session):
        """A password may contain "jb" even when the address is jb@...: that rule would only annoy."""
        services.check_password_strength("mijn jbwachtwoord", email="jb@inspectie.example.nl")

    def test_minimum_follows_the_configuration(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 20)
        with pytest.raises(ServiceError, match="minimaal 20 tekens"):
            services.check_password_strength("negentien-tekens-xy", email=EMAIL)


class TestTemporaryPasswords:
    @pytest.mark.parametrize("email", ["a@inspectie.example.nl", "ab7@inspectie.example.nl", EMAIL])
    def test_generated_passwords_always_pass_the_rules(self, db_session, email):
        for _ in range(300):
            services.check_password_strength(services.generate_temporary_password(email=email), email=email)

    def test_generated_passwords_differ(self, db_session):
        assert len({services.generate_temporary_password() for _ in range(50)}) == 50

    def test_reset_never_fails_on_its_own_password(self, factories):
        """Before the fix, a user called "a@..." got a refused reset most of the time."""
        user = factories.UserFactory(email="a@inspectie.example.nl")
        for _ in range(30):
            services.reset_password(user_id=user.id, actor=Actor.process("cli:test"))
        assert user.must_change_password

    def test_reset_with_a_chosen_password_checks_it(self, factories):
        user = factories.UserFactory()
        with pytest.raises(ServiceError, match="minimaal 12"):
            services.reset_password(user_id=user.id, actor=Actor.process("cli:test"), new_password="kort")


class TestChangeOwnPassword:
    URL = "/account/wachtwoord"

    def _post(self, client, current=PASSWORD, new="een nieuwe lange zin", confirm=None):
        return post_form(client, self.URL, {"current_password": current, "new_password": new,
                                            "confirm": new if confirm is None else confirm})

    def test_page_opens(self, login_as):
        assert login_as(Role.VOORLICHTING).get(self.URL).status_code == 200

    def test_success(self, login_as):
        client = login_as(Role.INSPECTEUR)
        old_hash = client.user.password_hash
        response = self._post(client)
        assert location(response) == "/account/"
        db.session.refresh(client.user)
        assert client.user.password_hash != old_hash
        assert client.user.password_hash.startswith("$argon2id$")
        assert "een nieuwe lange zin" not in client.user.password_hash
        assert client.user.password_changed_at is not None

    def test_wrong_current_password_is_refused(self, login_as):
        client = login_as(Role.INSPECTEUR)
        old_hash = client.user.password_hash
        response = self._post(client, current="niet-mijn-wachtwoord")
        assert field_error(response, "current_password") == "Het huidige wachtwoord is onjuist."
        db.session.refresh(client.user)
        assert client.user.password_hash == old_hash

    @pytest.mark.parametrize(("new", "message"), [
        ("te-kort", "Kies een wachtwoord van minimaal 12 tekens."),
        (PASSWORD, "Kies een ander wachtwoord dan het huidige."),
    ])
    def test_new_password_rules_show_next_to_the_new_password(self, login_as, new, message):
        client = login_as(Role.INSPECTEUR)
        response = self._post(client, new=new)
        assert response.status_code == 200
        assert field_error(response, "new_password") == message

    def test_new_password_may_not_contain_the_email_name(self, login_as):
        client = login_as(Role.INSPECTEUR)
        name = client.user.email.split("@")[0]
        response = self._post(client, new=f"geheim-{name}-wachtwoord")
        assert field_error(response, "new_password") == "Het wachtwoord mag uw e-mailadres niet bevatten."

    def test_confirmation_must_match(self, login_as):
        client = login_as(Role.INSPECTEUR)
        response = self._post(client, confirm="iets heel anders hier")
        assert field_error(response, "confirm") == "De twee nieuwe wachtwoorden zijn niet gelijk."

    def test_empty_form_is_explained(self, login_as):
        client = login_as(Role.INSPECTEUR)
        response = self._post(client, current="", new="", confirm="")
        assert field_error(response, "current_password") == "Vul uw huidige wachtwoord in."
        assert field_error(response, "new_password") == "Vul een nieuw wachtwoord in."
        assert "Er is een probleem" in page_text(response)
