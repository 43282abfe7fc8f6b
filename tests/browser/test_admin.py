"""Beheer: an administrator manages an account from creation to deactivation, then reads the audit trail."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.conftest import LiveServer, Ui, unique_email
from wki.core.auth import Role
from wki.core.clock import today_local

pytestmark = pytest.mark.browser


def _row_texts(ui: Ui, *, last: bool = False) -> list[list[str]]:
    """The cells of the first (or the last) table in the main content."""
    tables = ui.page.locator("main table")
    table = tables.last if last else tables.first
    return table.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")


def _data_list(ui: Ui) -> dict[str, str]:
    return ui.page.locator("main dl").evaluate(
        "dl => Object.fromEntries([...dl.querySelectorAll('dt')].map(dt => [dt.innerText.trim(),"
        " dt.nextElementSibling.innerText.trim()]))"
    )


def test_administrator_manages_a_user_and_reads_the_audit_trail(
    ui: Ui, live_server: LiveServer, tmp_path: Path
) -> None:
    """Beheer → users → new user (errors, then valid) → roles → deactivate → audit search → CSV → jobs."""
    ui.login(live_server.users[Role.BEHEERDER].email)
    main_nav = ui.page.locator("nav[aria-label='Hoofdmenu']")
    ui.click(main_nav.get_by_role("link", name="Beheer"))
    assert ui.heading() == "Beheer"
    ui.shot("beheer")
    subnav = ui.page.locator("nav[aria-label='Beheer']")

    # -- the user list
    ui.click(subnav.get_by_role("link", name="Gebruikers"))
    assert ui.heading() == "Gebruikers"
    assert live_server.users[Role.INSPECTEUR].email in ui.page.locator("main table").inner_text()
    ui.shot("gebruikers", narrow=True)

    # -- a new user: first nothing filled in
    ui.click(ui.page.get_by_role("link", name="Nieuwe gebruiker"))
    assert ui.heading() == "Nieuwe gebruiker"
    ui.click(ui.page.get_by_role("button", name="Opslaan"))
    summary = ui.page.locator("#foutmeldingen")
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == ["Vul de naam in.", "Vul het e-mailadres in.", "Kies minstens één rol."]
    assert [link.get_attribute("href") for link in links.all()] == ["#name", "#email", "#roles-0"]
    ui.shot("gebruiker-nieuw-fouten")
    links.nth(2).click()
    assert ui.page.evaluate("() => document.activeElement.id") == "roles-0", "the link leads to the first role"
    links.nth(0).click()
    assert ui.page.evaluate("() => document.activeElement.id") == "name"
    ui.check()

    # -- then a valid one, without a password: the application makes a temporary one
    email = unique_email("nieuw")
    ui.page.get_by_label("Naam").fill("Nieuwe Collega")
    ui.page.get_by_label("E-mailadres").fill(email)
    ui.page.get_by_role("checkbox", name="Inspecteur").check()
    ui.click(ui.page.get_by_role("button", name="Opslaan"))
    assert ui.heading() == "Nieuwe Collega"
    assert ui.page.get_by_role("status").filter(has_text=f"Gebruiker {email} is aangemaakt.").is_visible()
    temporary = ui.page.locator("#tijdelijk-wachtwoord").inner_text().strip()
    assert len(temporary) >= 12
    details = _data_list(ui)
    assert details["E-mailadres"] == email
    assert details["Rollen"] == "Inspecteur"
    assert details["Status"].startswith("Actief")
    assert "moet wachtwoord wijzigen" in details["Status"]
    ui.shot("gebruiker-aangemaakt")
    detail_url = ui.page.url.removeprefix(live_server.url).split("#")[0]

    # The temporary password is shown once only.
    ui.goto(detail_url)
    assert ui.page.locator("#tijdelijk-wachtwoord").count() == 0

    # -- edit the roles
    ui.click(ui.page.get_by_role("link", name="Naam en rollen wijzigen"))
    assert ui.heading() == "Gebruiker bewerken"
    assert ui.page.get_by_role("checkbox", name="Inspecteur").is_checked()
    ui.page.get_by_role("checkbox", name="Handhaver").check()
    ui.page.get_by_role("checkbox", name="Inspecteur").uncheck()
    ui.shot("gebruiker-bewerken")
    ui.click(ui.page.get_by_role("button", name="Opslaan"))
    assert ui.page.get_by_role("status").filter(has_text="De gegevens zijn opgeslagen.").is_visible()
    assert _data_list(ui)["Rollen"] == "Handhaver"

    # -- deactivate, after a confirmation
    ui.click(ui.page.get_by_role("link", name="Deactiveren…"))
    assert ui.heading().endswith("deactiveren")
    assert "Weet u het zeker?" in ui.page.locator("main").inner_text()
    ui.shot("gebruiker-deactiveren-bevestigen", narrow=True)
    ui.click(ui.page.get_by_role("button", name="Account deactiveren"))
    assert ui.page.get_by_role("status").filter(has_text="Het account is gedeactiveerd").is_visible()
    assert _data_list(ui)["Status"].startswith("Gedeactiveerd")
    assert ui.page.get_by_role("button", name="Activeren").is_visible()
    history = [row[2].splitlines() for row in _row_texts(ui)]  # the Dutch label, the code beneath it
    assert history[:3] == [["Gebruiker gedeactiveerd", "gebruiker.gedeactiveerd"],
                           ["Gebruiker gewijzigd", "gebruiker.gewijzigd"],
                           ["Gebruiker aangemaakt", "gebruiker.aangemaakt"]]
    ui.shot("gebruiker-gedeactiveerd", narrow=True)

    # -- a password reset shows a new temporary password, once
    ui.click(ui.page.get_by_role("button", name="Wachtwoord resetten"))
    assert ui.page.get_by_role("status").filter(has_text="Er is een tijdelijk wachtwoord gemaakt.").is_visible()
    assert ui.page.locator("#tijdelijk-wachtwoord").inner_text().strip() not in ("", temporary)

    # -- the audit trail, by action
    ui.click(subnav.get_by_role("link", name="Audittrail"))
    assert ui.heading() == "Audittrail"
    ui.page.get_by_label("Actie").select_option(label="Gebruiker gedeactiveerd")
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    rows = _row_texts(ui)
    assert rows, "the deactivation is in the audit trail"
    assert {row[2].splitlines()[-1] for row in rows} == {"gebruiker.gedeactiveerd"}
    assert any(row[1] == live_server.users[Role.BEHEERDER].email for row in rows)
    ui.shot("audittrail-actie")

    # -- by date range: today, as a Dutch calendar day
    today = today_local().isoformat()
    ui.page.get_by_label("Actie").select_option("")
    ui.page.get_by_label("Gebruiker (e-mailadres)").fill(live_server.users[Role.BEHEERDER].email)
    ui.page.get_by_label("Van (datum)").fill(today)
    ui.page.get_by_label("Tot en met (datum)").fill(today)
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    actions = {row[2].splitlines()[-1] for row in _row_texts(ui)}
    assert {"gebruiker.aangemaakt", "gebruiker.gewijzigd", "gebruiker.gedeactiveerd", "aanmelden.gelukt"} <= actions
    ui.shot("audittrail-datum", narrow=True)

    # An end date before the start date is explained, and the link leads to the field.
    ui.page.get_by_label("Van (datum)").fill(today)
    ui.page.get_by_label("Tot en met (datum)").fill("2000-01-01")
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    error_link = ui.page.locator("#foutmeldingen").get_by_role("link", name="De einddatum ligt voor de begindatum.")
    error_link.click()
    assert ui.page.evaluate("() => document.activeElement.id") == "tot"
    ui.shot("audittrail-fout")

    # -- CSV export of the same filter as the search
    ui.page.get_by_label("Tot en met (datum)").fill(today)
    with ui.page.expect_download() as download_info:
        ui.page.get_by_role("button", name="Exporteren als CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"audittrail-{today}.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert records[0] == ["id", "tijdstip", "gebruiker", "actie", "objecttype", "object_id", "voor", "na", "ip_adres"]
    exported = {r[3] for r in records[1:]}
    assert {"gebruiker.aangemaakt", "gebruiker.gewijzigd", "gebruiker.gedeactiveerd"} <= exported
    assert any(email in r[7] for r in records[1:] if r[3] == "gebruiker.aangemaakt")
    assert all(r[2] == live_server.users[Role.BEHEERDER].email for r in records[1:])
    ui.assert_console_clean()

    # -- the job runs
    ui.click(subnav.get_by_role("link", name="Taken"))
    assert ui.heading() == "Taken"
    runs = _row_texts(ui, last=True)
    assert any(row[0].startswith("housekeeping #") and row[4] == "Geslaagd" for row in runs), runs
    ui.shot("taken")
    ui.page.get_by_label("Uitkomst").select_option("mislukt")
    ui.click(ui.page.get_by_role("button", name="Filteren"))
    assert _row_texts(ui, last=True) == [["Nog geen runs."]]
    ui.page.get_by_label("Uitkomst").select_option("")
    ui.click(ui.page.get_by_role("button", name="Filteren"))
    ui.click(ui.page.get_by_role("link", name="housekeeping #").first)
    assert ui.heading().startswith("housekeeping – run")
    assert _data_list(ui)["Uitkomst"] == "Geslaagd"
    ui.shot("taak-run")
