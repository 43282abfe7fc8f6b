"""A user's own account: two-step verification, recovery codes, and changing the password."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest

from tests.browser.conftest import CreatedUser, Ui
from wki.core.actors import Actor
from wki.core.auth import Role

pytestmark = pytest.mark.browser

NEW_PASSWORD = "een nieuw en lang wachtwoord 2026"


class Authenticator:
    """The user's authenticator app, which never offers a time step the application has already accepted."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.last_counter = -1

    def code(self) -> str:
        # The application accepts one step of clock drift either way but refuses a step it already used,
        # so after a code of this 30-second step, the next one is the code of the step after it.
        counter = max(self.totp.timecode(_utcnow()), self.last_counter + 1)
        self.last_counter = counter
        return self.totp.generate_otp(counter)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _log_in_with_code(ui: Ui, user: CreatedUser, code: str) -> None:
    ui.login(user.email, user.password)
    assert ui.page.url.endswith("/account/inloggen/code"), "with two-step verification on, a code is asked"
    assert ui.heading() == "Tweestapsverificatie"
    ui.page.get_by_label("Code").fill(code)
    ui.click(ui.page.get_by_role("button", name="Controleren"))


def test_two_step_verification_setup_and_log_in(ui: Ui, make_user) -> None:
    """Set up TOTP from the key on the page, keep the recovery codes, then log in with a code and a recovery code."""
    user = make_user(Role.VOORLICHTING, prefix="totp")
    ui.sign_in(user.email)
    assert ui.heading() == "Overzicht"
    ui.click(ui.page.get_by_role("link", name="Tweestapsverificatie instellen"))
    assert ui.heading() == "Tweestapsverificatie instellen"
    ui.shot("tweestapsverificatie-instellen", narrow=True)

    # A wrong code is refused with a message that leads to the field.
    secret = ui.page.locator("#totp-sleutel").inner_text().replace(" ", "")
    app = Authenticator(secret)
    ui.page.get_by_label("Code uit de app").fill(_wrong_code(app))
    ui.click(ui.page.get_by_role("button", name="Inschakelen"))
    ui.page.locator("#foutmeldingen").get_by_role("link", name="De code klopt niet").click()
    assert ui.page.evaluate("() => document.activeElement.id") == "code"
    assert ui.page.locator("#totp-sleutel").inner_text().replace(" ", "") == secret, "the key stays the same"

    ui.page.get_by_label("Code uit de app").fill(app.code())
    ui.click(ui.page.get_by_role("button", name="Inschakelen"))
    assert ui.heading() == "Herstelcodes"
    codes = _recovery_codes(ui)
    ui.shot("herstelcodes")
    ui.click(ui.page.get_by_role("link", name="Ik heb de codes bewaard"))
    assert ui.heading() == "Overzicht"
    assert ui.page.get_by_role("link", name="Tweestapsverificatie instellen").count() == 0
    ui.logout()

    # Log in with password and a code from the app.
    _log_in_with_code(ui, user, "12345")
    assert ui.page.url.endswith("/account/inloggen/code")
    ui.page.locator("#foutmeldingen").get_by_role("link", name="De code klopt niet of is al gebruikt.").click()
    assert ui.page.evaluate("() => document.activeElement.id") == "code"
    ui.shot("tweede-factor-fout")
    ui.page.get_by_label("Code").fill(app.code())
    ui.click(ui.page.get_by_role("button", name="Controleren"))
    assert ui.heading() == "Overzicht"

    # New recovery codes replace the old ones; existing codes are never shown again.
    ui.click(ui.page.locator("header").get_by_role("link", name=user.name))
    ui.click(ui.page.get_by_role("link", name="Herstelcodes bekijken of vernieuwen"))
    assert "U heeft nog 10 ongebruikte herstelcodes." in ui.page.locator("main").inner_text()
    assert not set(codes) & set(ui.page.locator("main").inner_text().split())
    ui.click(ui.page.get_by_role("button", name="Nieuwe herstelcodes maken"))
    old_codes, codes = codes, _recovery_codes(ui)
    assert not set(old_codes) & set(codes)
    ui.logout()

    # Log in once with a recovery code instead.
    _log_in_with_code(ui, user, codes[3])
    assert ui.heading() == "Overzicht"
    assert (
        ui.page.get_by_role("status")
        .filter(has_text="U logde in met een herstelcode. U heeft er nog 9 over.")
        .is_visible()
    )
    ui.click(ui.page.get_by_role("link", name=user.name))
    assert "nog 9 ongebruikte herstelcodes" in ui.page.locator("main dl").inner_text()
    ui.logout()

    # A recovery code works once only, and replaced codes not at all.
    _log_in_with_code(ui, user, codes[3])
    assert ui.page.url.endswith("/account/inloggen/code")
    assert ui.page.locator("#foutmeldingen").is_visible()
    ui.page.get_by_label("Code").fill(old_codes[0])
    ui.click(ui.page.get_by_role("button", name="Controleren"))
    assert ui.page.url.endswith("/account/inloggen/code")
    assert ui.page.locator("#foutmeldingen").is_visible()


def _recovery_codes(ui: Ui) -> list[str]:
    """The ten fresh recovery codes shown (once) on the page."""
    assert ui.heading() == "Herstelcodes"
    codes = [c.strip() for c in ui.page.get_by_role("list", name="Herstelcodes").locator("li").all_inner_texts()]
    assert len(codes) == 10 and len(set(codes)) == 10
    return codes


def _wrong_code(app: Authenticator) -> str:
    """Six digits that are no valid code for the steps the application accepts now."""
    counter = app.totp.timecode(_utcnow())
    valid = {app.totp.generate_otp(c) for c in range(counter - 2, counter + 3)}
    return next(c for c in (f"{n:06d}" for n in range(1, 100)) if c not in valid)


def test_account_page_and_password_change(ui: Ui, make_user) -> None:
    """The account page shows who you are; the password change refuses a wrong current password, then works."""
    user = make_user(Role.HANDHAVER, Role.INSPECTEUR, prefix="account")
    ui.sign_in(user.email)
    ui.click(ui.page.locator("header").get_by_role("link", name=user.name))
    assert ui.heading() == "Mijn account"
    details = ui.page.locator("main dl").inner_text()
    assert user.email in details
    assert "Handhaver, Inspecteur" in details
    ui.shot("mijn-account")

    ui.click(ui.page.get_by_role("link", name="Wachtwoord wijzigen"))
    assert ui.heading() == "Wachtwoord wijzigen"
    ui.shot("wachtwoord-wijzigen")
    ui.page.get_by_label("Huidig wachtwoord").fill("niet-mijn-wachtwoord")
    ui.page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    ui.page.get_by_label("Herhaal nieuw wachtwoord").fill(NEW_PASSWORD + "!")
    ui.click(ui.page.get_by_role("button", name="Wachtwoord opslaan"))
    links = ui.page.locator("#foutmeldingen").get_by_role("link")
    assert links.all_inner_texts() == ["De twee nieuwe wachtwoorden zijn niet gelijk."]
    links.first.click()
    assert ui.page.evaluate("() => document.activeElement.id") == "confirm"

    ui.page.get_by_label("Huidig wachtwoord").fill("niet-mijn-wachtwoord")
    ui.page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    ui.page.get_by_label("Herhaal nieuw wachtwoord").fill(NEW_PASSWORD)
    ui.click(ui.page.get_by_role("button", name="Wachtwoord opslaan"))
    assert ui.page.locator("#foutmeldingen").get_by_role("link").all_inner_texts() == [
        "Het huidige wachtwoord is onjuist."
    ]
    ui.shot("wachtwoord-wijzigen-fout")

    ui.page.get_by_label("Huidig wachtwoord").fill(user.password)
    ui.page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    ui.page.get_by_label("Herhaal nieuw wachtwoord").fill(NEW_PASSWORD)
    ui.click(ui.page.get_by_role("button", name="Wachtwoord opslaan"))
    assert ui.heading() == "Mijn account"
    assert ui.page.get_by_role("status").filter(has_text="Uw wachtwoord is gewijzigd.").is_visible()
    ui.logout()

    # The old password no longer works; the new one does.
    ui.login(user.email, user.password)
    assert ui.page.locator("#foutmeldingen").is_visible()
    ui.login(user.email, NEW_PASSWORD)
    assert ui.heading() == "Overzicht"


def test_first_log_in_with_a_temporary_password_asks_for_a_new_one(ui: Ui, make_user, live_server) -> None:
    """An account made by an administrator starts with a password change before anything else."""
    from wki.auth.services import reset_password

    user = make_user(Role.INSPECTEUR, prefix="tijdelijk")
    with live_server.app.app_context():
        from wki.core.extensions import db

        temporary = reset_password(user_id=user.id, actor=Actor.process("test:browser"))
        db.session.commit()
    ui.login(user.email, temporary)
    assert ui.heading() == "Wachtwoord wijzigen"
    assert ui.page.get_by_role("status").filter(has_text="Kies eerst een nieuw wachtwoord.").is_visible()
    ui.goto("/")
    assert ui.heading() == "Wachtwoord wijzigen", "nothing else opens before the password is changed"
    ui.page.get_by_label("Huidig wachtwoord").fill(temporary)
    ui.page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    ui.page.get_by_label("Herhaal nieuw wachtwoord").fill(NEW_PASSWORD)
    ui.click(ui.page.get_by_role("button", name="Wachtwoord opslaan"))
    assert ui.heading() == "Mijn account"
    ui.goto("/")
    assert ui.heading() == "Overzicht"
