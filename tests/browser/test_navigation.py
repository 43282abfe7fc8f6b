"""What each role sees: the navigation, the section pages, and the pages for refused and unknown URLs."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LiveServer, Ui
from wki.core.auth import Role

pytestmark = pytest.mark.browser

MAIN_NAV = "nav[aria-label='Hoofdmenu']"

NAV_PER_ROLE = {
    # Inspectors send information requests and inspection reports; administrators publish letter texts.
    Role.INSPECTEUR: ["Overzicht", "Register", "Signalen", "Toezicht", "Handhaving", "Documenten"],
    Role.VOORLICHTING: ["Overzicht", "Register", "Documenten"],
    Role.HANDHAVER: ["Overzicht", "Register", "Signalen", "Toezicht", "Handhaving", "Documenten"],
    Role.BEHEERDER: ["Overzicht", "Register", "Toezicht", "Handhaving", "Documenten", "Beheer"],
}


def _nav_labels(ui: Ui) -> list[str]:
    return [t.strip() for t in ui.page.locator(MAIN_NAV).get_by_role("link").all_inner_texts()]


def test_inspector_journey(ui: Ui, live_server: LiveServer) -> None:
    """An inspector logs in, walks every section in the menu, is refused Beheer, meets a 404, logs out."""
    inspector = live_server.users[Role.INSPECTEUR]
    ui.login(inspector.email)
    assert ui.page.url.endswith("/")
    assert ui.heading() == "Overzicht"
    assert f"Welkom, {inspector.name}." in ui.page.locator("main").inner_text()
    ui.shot("overzicht-inspecteur", narrow=True)

    labels = _nav_labels(ui)
    assert labels == NAV_PER_ROLE[Role.INSPECTEUR]
    assert "Beheer" not in labels
    nav = ui.page.locator(MAIN_NAV)
    assert nav.get_by_role("link", name="Overzicht").get_attribute("aria-current") == "page"

    # A section's start page says what it is; Toezicht opens on its planning, Handhaving on its cases.
    headings = {"Toezicht": "Planning van het toezicht", "Handhaving": "Handhavingszaken"}
    for label in labels[1:]:
        ui.click(nav.get_by_role("link", name=label, exact=True))
        assert ui.heading() == headings.get(label, label)
        current = nav.locator("[aria-current='page']")
        assert current.all_inner_texts() == [label], "exactly the open section is marked as current"
    ui.shot("sectie-toezicht")

    ui.goto("/beheer/", status=403)
    assert ui.heading() == "Geen toegang"
    assert "Neem contact op met een beheerder" in ui.page.locator("main").inner_text()
    assert "Foutcode 403" in ui.page.locator("main").inner_text()
    ui.shot("fout-403")

    ui.goto("/bestaat-niet/echt-niet", status=404)
    assert ui.heading() == "Pagina niet gevonden"
    ui.shot("fout-404")
    ui.click(ui.page.get_by_role("link", name="Naar het overzicht"))
    assert ui.heading() == "Overzicht"

    ui.logout()
    assert ui.page.get_by_role("status").filter(has_text="U bent uitgelogd.").is_visible()
    # After logging out the overview sends to the log-in page, and a page behind it asks for a log-in again.
    ui.goto("/")
    assert ui.page.url.endswith("/account/inloggen")
    ui.goto("/account/")
    assert ui.page.url.split("?")[0].endswith("/account/inloggen")
    assert "Log in om deze pagina te bekijken." in ui.page.locator("main").inner_text()


@pytest.mark.parametrize("role", [Role.VOORLICHTING, Role.HANDHAVER, Role.BEHEERDER], ids=lambda r: r.value)
def test_navigation_shows_only_the_sections_of_the_role(ui: Ui, live_server: LiveServer, role: Role) -> None:
    """Each role sees its own sections in the main menu, and nothing else."""
    ui.sign_in(live_server.users[role].email)
    assert _nav_labels(ui) == NAV_PER_ROLE[role]
    if role is Role.BEHEERDER:
        ui.shot("overzicht-beheerder")
