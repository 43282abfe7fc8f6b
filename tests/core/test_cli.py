"""``flask users ...``: passwords only from stdin or a prompt, Dutch errors, every change audited as "cli".

The commands commit. They run inside the ``db_session`` fixture (see the ``cli`` fixture), where a
commit releases a savepoint of the test's outer transaction; the first test proves that this holds, so
the rest can rely on the rollback at the end of each test. A command shares the test's session, so its
``rollback()`` after a refused change would also discard data the test flushed but never committed:
tests commit their setup first (again only a savepoint release), as a real database would hold it.
"""

from __future__ import annotations

import sqlalchemy as sa

from wki.auth import services as accounts
from wki.auth.cli import users_create, users_reset_password
from wki.auth.models import User
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db

GOOD_PASSWORD = "paard-batterij-nietje-2026"


def _user(email: str) -> User | None:
    db.session.expire_all()
    return accounts.find_user_by_email(email)


def _audit(action: str, object_id: int | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == str(object_id))
    return list(db.session.scalars(stmt))


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def _create(cli, email="nieuw@inspectie.example.nl", *roles, password=GOOD_PASSWORD, name="Nieuwe Collega"):
    args = ["users", "create", "--email", email, "--name", name]
    for role in roles or ("inspecteur",):
        args += ["--role", role]
    return cli.invoke(args=args, input=f"{password}\n")


class TestTransactionsInTests:
    def test_cli_commits_stay_inside_the_tests_transaction(self, app, cli, db_session):
        """What a command commits is invisible to another connection, and so is rolled back with the test."""
        result = _create(cli, "onzichtbaar@inspectie.example.nl")
        assert result.exit_code == 0, result.output
        assert _user("onzichtbaar@inspectie.example.nl") is not None

        outside = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        try:
            with outside.connect() as conn:
                found = conn.execute(sa.text("SELECT count(*) FROM user_account WHERE email = :e"),
                                     {"e": "onzichtbaar@inspectie.example.nl"}).scalar()
        finally:
            outside.dispose()
        assert found == 0


class TestCreate:
    def test_creates_the_user_with_roles_and_the_password_from_stdin(self, cli, db_session):
        result = _create(cli, "Nieuw@Inspectie.example.nl", "inspecteur", "handhaver")

        assert result.exit_code == 0, result.output
        user = _user("nieuw@inspectie.example.nl")
        assert user is not None and user.name == "Nieuwe Collega"
        assert user.role_set == {Role.INSPECTEUR, Role.HANDHAVER}
        assert accounts._verify_password(user, GOOD_PASSWORD)
        assert f"Gebruiker nieuw@inspectie.example.nl aangemaakt (id {user.id})" in result.output
        assert "handhaver, inspecteur" in result.output
        assert GOOD_PASSWORD not in result.output

    def test_is_audited_as_cli(self, cli, db_session):
        _create(cli)
        user = _user("nieuw@inspectie.example.nl")
        [evt] = _audit("gebruiker.aangemaakt", user.id)
        assert evt.actor_email == "cli"
        assert evt.actor_id is None
        assert evt.after["rollen"] == ["inspecteur"]
        assert GOOD_PASSWORD not in str(evt.after)

    def test_has_no_password_option(self, cli, db_session):
        assert "password" not in {p.name for p in users_create.params}
        assert "password" not in {p.name for p in users_reset_password.params}
        result = cli.invoke(args=["users", "create", "--email", "x@inspectie.example.nl", "--name", "X",
                                  "--role", "inspecteur", "--password", GOOD_PASSWORD])
        assert result.exit_code == 2
        assert _user("x@inspectie.example.nl") is None
        assert "--password" not in cli.invoke(args=["users", "create", "--help"]).output

    def test_duplicate_email_is_refused_in_dutch(self, cli, db_session, factories):
        factories.UserFactory(email="bestaat@inspectie.example.nl")
        db_session.commit()
        count = _user_count()
        result = _create(cli, "BESTAAT@inspectie.example.nl")
        assert result.exit_code == 1
        assert "Er bestaat al een gebruiker met dit e-mailadres." in result.output
        assert _user_count() == count
        assert _audit("gebruiker.aangemaakt") == []

    def test_weak_password_is_refused_in_dutch(self, cli, db_session):
        result = _create(cli, password="kort")
        assert result.exit_code == 1
        assert "Kies een wachtwoord van minimaal 12 tekens." in result.output
        assert _user("nieuw@inspectie.example.nl") is None
        assert _audit("gebruiker.aangemaakt") == []

    def test_password_containing_the_email_name_is_refused(self, cli, db_session):
        result = _create(cli, "pieter@inspectie.example.nl", password="pieter-heeft-een-wachtwoord")
        assert result.exit_code == 1
        assert "Het wachtwoord mag uw e-mailadres niet bevatten." in result.output
        assert _user("pieter@inspectie.example.nl") is None

    def test_missing_password_on_stdin(self, cli, db_session):
        result = cli.invoke(args=["users", "create", "--email", "leeg@inspectie.example.nl", "--name", "Leeg",
                                  "--role", "inspecteur"], input="")
        assert result.exit_code == 1
        assert "Geen wachtwoord ontvangen op standaardinvoer." in result.output
        assert _user("leeg@inspectie.example.nl") is None

    def test_invalid_email_is_refused(self, cli, db_session):
        result = _create(cli, "geen-adres")
        assert result.exit_code == 1
        assert "Vul een geldig e-mailadres in" in result.output

    def test_unknown_role_is_refused(self, cli, db_session):
        result = _create(cli, "rol@inspectie.example.nl", "koning")
        assert result.exit_code == 2
        assert _user("rol@inspectie.example.nl") is None

    def test_role_is_required(self, cli, db_session):
        result = cli.invoke(args=["users", "create", "--email", "r@inspectie.example.nl", "--name", "R"],
                            input=f"{GOOD_PASSWORD}\n")
        assert result.exit_code == 2
        assert _user("r@inspectie.example.nl") is None


class TestList:
    def test_lists_users_with_roles_and_status(self, cli, db_session, factories):
        factories.UserFactory(email="actief@inspectie.example.nl", roles=[Role.HANDHAVER, Role.INSPECTEUR])
        factories.UserFactory(email="weg@inspectie.example.nl", active=False)
        result = cli.invoke(args=["users", "list"])
        assert result.exit_code == 0
        lines = {line.split()[1]: line for line in result.output.splitlines()}
        assert "handhaver,inspecteur" in lines["actief@inspectie.example.nl"]
        assert "actief (geen 2FA)" in lines["actief@inspectie.example.nl"]
        assert "gedeactiveerd" in lines["weg@inspectie.example.nl"]


class TestSetRoles:
    def test_replaces_roles_and_is_audited(self, cli, db_session, factories):
        user = factories.UserFactory(email="rollen@inspectie.example.nl", roles=[Role.INSPECTEUR])
        version = user.session_version
        result = cli.invoke(args=["users", "set-roles", "rollen@inspectie.example.nl",
                                  "--role", "handhaver", "--role", "voorlichting"])
        assert result.exit_code == 0, result.output
        assert "Rollen van rollen@inspectie.example.nl: handhaver, voorlichting." in result.output
        user = _user("rollen@inspectie.example.nl")
        assert user.role_set == {Role.HANDHAVER, Role.VOORLICHTING}
        assert user.session_version == version + 1  # sessions with the old roles end
        [evt] = _audit("gebruiker.gewijzigd", user.id)
        assert evt.actor_email == "cli"
        assert evt.before["rollen"] == ["inspecteur"]
        assert evt.after["rollen"] == ["handhaver", "voorlichting"]

    def test_unknown_user(self, cli, db_session):
        result = cli.invoke(args=["users", "set-roles", "niemand@inspectie.example.nl", "--role", "handhaver"])
        assert result.exit_code == 1
        assert "Geen gebruiker met e-mailadres niemand@inspectie.example.nl." in result.output

    def test_the_last_administrator_keeps_the_role(self, cli, db_session, factories):
        admin = factories.UserFactory(email="enige-beheerder@inspectie.example.nl", roles=[Role.BEHEERDER])
        others = db_session.scalars(sa.select(User).where(User.id != admin.id)).all()
        for other in others:  # whatever else the database holds, this one must be the only active admin
            assert Role.BEHEERDER not in other.role_set or not other.active
        db_session.commit()
        result = cli.invoke(args=["users", "set-roles", admin.email, "--role", "inspecteur"])
        assert result.exit_code == 1
        assert "Er moet minstens één actieve beheerder overblijven." in result.output
        assert _user(admin.email).role_set == {Role.BEHEERDER}
        assert _audit("gebruiker.gewijzigd", admin.id) == []


class TestDeactivate:
    def test_deactivates_ends_sessions_and_is_audited(self, cli, db_session, factories):
        user = factories.UserFactory(email="vertrekt@inspectie.example.nl")
        version = user.session_version
        result = cli.invoke(args=["users", "deactivate", "vertrekt@inspectie.example.nl"])
        assert result.exit_code == 0
        assert "vertrekt@inspectie.example.nl is gedeactiveerd." in result.output
        user = _user("vertrekt@inspectie.example.nl")
        assert user.active is False
        assert user.session_version == version + 1
        [evt] = _audit("gebruiker.gedeactiveerd", user.id)
        assert evt.actor_email == "cli"
        assert (evt.before["actief"], evt.after["actief"]) == (True, False)

    def test_unknown_user(self, cli, db_session):
        result = cli.invoke(args=["users", "deactivate", "niemand@inspectie.example.nl"])
        assert result.exit_code == 1
        assert "Geen gebruiker met e-mailadres" in result.output

    def test_the_last_administrator_stays_active(self, cli, db_session, factories):
        admin = factories.UserFactory(roles=[Role.BEHEERDER])
        db_session.commit()
        result = cli.invoke(args=["users", "deactivate", admin.email])
        assert result.exit_code == 1
        assert "Er moet minstens één actieve beheerder overblijven." in result.output
        assert _user(admin.email).active is True


class TestResetPassword:
    def test_sets_the_password_from_stdin_and_is_audited(self, cli, db_session, factories):
        user = factories.UserFactory(email="vergeten@inspectie.example.nl")
        result = cli.invoke(args=["users", "reset-password", "vergeten@inspectie.example.nl"],
                            input=f"{GOOD_PASSWORD}\n")
        assert result.exit_code == 0, result.output
        assert "Wachtwoord van vergeten@inspectie.example.nl is gereset." in result.output
        assert GOOD_PASSWORD not in result.output
        user = _user("vergeten@inspectie.example.nl")
        assert accounts._verify_password(user, GOOD_PASSWORD)
        assert user.must_change_password is True
        [evt] = _audit("gebruiker.wachtwoord_gereset", user.id)
        assert evt.actor_email == "cli"
        assert GOOD_PASSWORD not in str(evt.before) + str(evt.after)

    def test_weak_password_is_refused_and_the_old_one_kept(self, cli, db_session, factories):
        factories.UserFactory(email="zwak@inspectie.example.nl")
        db_session.commit()
        result = cli.invoke(args=["users", "reset-password", "zwak@inspectie.example.nl"], input="aaaaaaaaaaaaaa\n")
        assert result.exit_code == 1
        assert "Het wachtwoord is te eenvoudig" in result.output
        user = _user("zwak@inspectie.example.nl")
        assert accounts._verify_password(user, "correct-horse-battery-staple")
        assert _audit("gebruiker.wachtwoord_gereset", user.id) == []

    def test_unknown_user_reads_no_password(self, cli, db_session):
        result = cli.invoke(args=["users", "reset-password", "niemand@inspectie.example.nl"], input=f"{GOOD_PASSWORD}\n")
        assert result.exit_code == 1
        assert "Geen gebruiker met e-mailadres" in result.output
