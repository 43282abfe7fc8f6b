"""The log-in page: errors a user can recover from, and the keyboard route into the page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LiveServer, Ui, unique_email
from wki.core.auth import Role

pytestmark = pytest.mark.browser


def _focused(ui: Ui) -> dict:
    return ui.page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase(),"
        " text: (document.activeElement.textContent || '').trim()})"
    )


def test_empty_form_lists_errors_that_lead_to_their_fields(ui: Ui) -> None:
    """Submitting nothing shows an error summary; each entry moves focus to its field."""
    ui.goto("/account/inloggen")
    assert ui.heading() == "Inloggen"
    ui.shot("inloggen")
    ui.click(ui.page.get_by_role("button", name="Inloggen"))

    summary = ui.page.locator("#foutmeldingen")
    assert summary.get_by_role("heading").inner_text() == "Er is een probleem"
    assert _focused(ui)["id"] == "foutmeldingen", "the error summary takes focus so it is read out first"
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == ["Vul uw e-mailadres in.", "Vul uw wachtwoord in."]
    ui.shot("inloggen-fouten", narrow=True)

    links.nth(1).click()
    assert _focused(ui)["id"] == "password"
    links.nth(0).click()
    assert _focused(ui)["id"] == "email"
    # The field itself says what is wrong, and is marked invalid for assistive technology.
    email = ui.page.get_by_label("E-mailadres")
    assert email.get_attribute("aria-invalid") == "true"
    assert "Vul uw e-mailadres in." in ui.page.locator("#email-fout").inner_text()
    ui.check()


def test_wrong_password_shows_dutch_error_summary(ui: Ui, live_server: LiveServer) -> None:
    """A wrong password gives one Dutch message that does not reveal whether the account exists."""
    ui.goto("/account/inloggen")
    ui.page.get_by_label("E-mailadres").fill(live_server.users[Role.INSPECTEUR].email)
    ui.page.get_by_label("Wachtwoord", exact=True).fill("dit-is-het-verkeerde-wachtwoord")
    ui.click(ui.page.get_by_role("button", name="Inloggen"))

    summary = ui.page.locator("#foutmeldingen")
    assert summary.is_visible()
    link = summary.get_by_role("link", name="Het e-mailadres of het wachtwoord is onjuist.")
    assert _focused(ui)["id"] == "foutmeldingen"
    link.click()
    assert _focused(ui)["id"] == "password", "the link leads to the password field, which must be typed again"
    assert ui.page.get_by_label("Wachtwoord", exact=True).input_value() == ""

    # An unknown address gets exactly the same message.
    ui.page.get_by_label("E-mailadres").fill(unique_email("onbekend"))
    ui.page.get_by_label("Wachtwoord", exact=True).fill("dit-is-het-verkeerde-wachtwoord")
    ui.click(ui.page.get_by_role("button", name="Inloggen"))
    assert summary.get_by_role("link").all_inner_texts() == ["Het e-mailadres of het wachtwoord is onjuist."]


def test_skip_link_is_first_and_leads_to_main_content(ui: Ui, live_server: LiveServer) -> None:
    """Keyboard users reach the skip link with the first Tab; it moves focus to #inhoud."""
    for path in ("/account/inloggen", None):
        if path:
            ui.goto(path)
        ui.page.keyboard.press("Tab")
        first = ui.page.evaluate(
            "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
            " return {text: a.textContent.trim(), href: a.getAttribute('href'), visible: r.width > 0 && r.height > 0}; }"
        )
        assert first == {"text": "Naar de hoofdinhoud", "href": "#inhoud", "visible": True}, first
        ui.page.keyboard.press("Enter")
        # A fragment navigation reaches Playwright's URL as an event, after the key press returns.
        ui.page.wait_for_function("() => location.hash === '#inhoud'")
        assert ui.page.url.endswith("#inhoud")
        target = _focused(ui)
        assert (target["id"], target["tag"]) == ("inhoud", "main")
        # The next Tab continues inside the main content, not back at the top of the page.
        ui.page.keyboard.press("Tab")
        inside = ui.page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
        assert inside
        if path:
            ui.sign_in(live_server.users[Role.INSPECTEUR].email)
            assert ui.heading() == "Overzicht"
