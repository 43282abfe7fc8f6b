"""A `voorlichting` user from a new letter text to an approved, finished mailing and its print file, in real
Chromium, with axe on every page (issue 12, "Done when"): the text is changed and previewed, a colleague
publishes it (the writer cannot), the mailing to the register is previewed with its sample letters, created,
approved by the colleague (the writer cannot), started, run by the worker, and its print file downloaded and
read back: one page per recipient, in postcode order, each with the new paragraph."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher, profiles
from pypdf import PdfReader

from tests.browser.conftest import LiveServer, Ui, _serve
from tests.register.helpers import register_row, to_csv
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser

NEW_PARAGRAPH = "Op 1 maart houden wij een voorlichtingsbijeenkomst voor de sector."
POSTCODES = ["9711 AA", "1011 AB", "3511 CD"]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the journey imports a register of its own, which would replace another test's."""
    from wki.auth import services as accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        server = _serve(tmp_path_factory)
        try:
            yield next(server)
        finally:
            server.close()


def _register(live_server: LiveServer) -> None:
    """Three registered agencies in the mirror, one of them without a postal address (reported, not sent)."""
    from wki.register.services import import_snapshot

    rows = [register_row(n, postcode=code, plaats=place, naam=f"Journey Incasso {n} B.V.")
            for n, (code, place) in enumerate(zip(POSTCODES, ["Groningen", "Amsterdam", "Utrecht"], strict=True), start=701)]
    rows.append(register_row(704, naam="Journey Zonder Adres B.V.", straat="", huisnummer="", postcode="", plaats=""))
    with live_server.app.app_context():
        import_snapshot("register", to_csv(rows), snapshot_date=today_local() - timedelta(days=1),
                        file_name="journey.csv", actor=Actor.process("test"))
        db.session.commit()
        db.session.remove()


def _run_worker(live_server: LiveServer) -> None:
    from wki.core import worker

    with live_server.app.app_context():
        while worker.run_one() is not None:
            pass
        db.session.remove()


def _switch(ui: Ui, live_server: LiveServer, role: Role, then: str) -> None:
    ui.page.context.clear_cookies()
    ui.sign_in(live_server.users[role].email, then=then)


def test_from_a_new_text_to_a_finished_mailing_and_its_print_file(ui: Ui, live_server: LiveServer) -> None:
    _register(live_server)
    writer, colleague = Role.VOORLICHTING, Role.BEHEERDER

    # 1. The writer changes the information letter's text and previews it before saving.
    ui.sign_in(live_server.users[writer].email, then="/documenten/")
    ui.click(ui.page.get_by_role("link", name="Informatiebrief aan de sector").first)
    ui.click(ui.page.get_by_role("link", name="Tekst bewerken"))
    body = ui.page.get_by_label("Tekst van de brief")
    body.fill(body.input_value() + "\n\n# Bijeenkomst\n" + NEW_PARAGRAPH + " ((onbekend_veld))")
    ui.click(ui.page.get_by_role("button", name="Opslaan als nieuwe versie"))
    main = ui.page.locator("main").inner_text()
    assert "onbekend_veld" in main and re.search(r"Regel \d+", main)  # refused with its line, text kept
    assert NEW_PARAGRAPH in ui.page.get_by_label("Tekst van de brief").input_value()
    body = ui.page.get_by_label("Tekst van de brief")
    body.fill(body.input_value().replace(" ((onbekend_veld))", ""))
    ui.page.get_by_label("Wat is er veranderd?").fill("Bijeenkomst aangekondigd")
    ui.click(ui.page.get_by_role("button", name="Voorbeeld bekijken"))
    assert ui.page.locator("main img").count() >= 1
    ui.shot("brieftekst-voorbeeld")
    ui.click(ui.page.get_by_role("button", name="Opslaan als nieuwe versie"))
    version_url = ui.page.url.removeprefix(live_server.url)
    assert "/versies/" in version_url and "zelf geschreven" in ui.page.locator("main").inner_text()
    assert ui.page.get_by_role("button", name="Publiceren").count() == 0

    # 2. A colleague reads the changes and publishes the version.
    _switch(ui, live_server, colleague, version_url)
    assert NEW_PARAGRAPH in ui.page.locator("main").inner_text()  # in the diff
    ui.click(ui.page.get_by_role("button", name="Publiceren"))
    assert "Gepubliceerd" in ui.page.locator("main").inner_text()

    # 3. The writer prepares the mailing: the preview shows the count, the unreachable agency, samples.
    _switch(ui, live_server, writer, "/documenten/mailings/nieuw")
    ui.page.get_by_label("Briefsoort").select_option("informatiebrief-sector")
    ui.click(ui.page.get_by_role("button", name="Verder"))
    ui.page.get_by_label("Titel van de mailing").fill("Uitnodiging bijeenkomst")
    ui.page.get_by_label("Peildatum (register)", exact=True).fill(today_local().isoformat())
    ui.click(ui.page.get_by_role("button", name="Bekijken"))
    main = ui.page.locator("main").inner_text()
    assert "Journey Zonder Adres B.V." in main  # reported by name, never silently dropped
    assert ui.page.locator("main img").count() == 3  # three sample letters
    ui.shot("mailing-bekijken", narrow=True)
    ui.click(ui.page.get_by_role("button", name="Aanmaken"))
    mailing_url = ui.page.url.removeprefix(live_server.url)
    assert re.search(r"/documenten/mailings/\d+$", mailing_url), mailing_url
    main = ui.page.locator("main").inner_text()
    assert "Wacht op goedkeuring" in main and ui.page.get_by_role("button", name="Goedkeuren").count() == 0

    # 4. The colleague approves and starts it; the worker runs it.
    _switch(ui, live_server, colleague, mailing_url)
    assert ui.page.locator("main img").count() == 3  # the letters being approved, from the frozen mailing
    ui.click(ui.page.get_by_role("button", name="Goedkeuren"))
    ui.click(ui.page.get_by_role("button", name="Starten"))
    _run_worker(live_server)
    ui.goto(mailing_url)
    main = ui.page.locator("main").inner_text()
    assert "Klaar" in main
    ui.shot("mailing-klaar")

    # 5. The print file: one letter per reachable agency, sorted by postcode, with the new paragraph.
    with ui.page.expect_download() as download:
        ui.page.get_by_role("link", name=re.compile("Drukbestand")).click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    pages = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert len(pages) == 3
    shown = [next(code for code in POSTCODES if code in page) for page in pages]
    assert shown == sorted(POSTCODES)
    assert all(NEW_PARAGRAPH in page and "WKI-" in page for page in pages)
