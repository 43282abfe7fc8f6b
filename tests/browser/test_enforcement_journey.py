"""An enforcement case from a suspect's page to an issued decision, in real Chromium with axe on every page
(issue 14, "Done when"): an officer opens the page of a suspected unregistered collector with signals, opens a
case from it, chooses a warning (the instruments that do not fit say why), writes the letter and offers its
PDF for approval; the officer cannot approve it; a second officer approves exactly that PDF; the letter is
issued, the case is decided, and the issued PDF is the approved one, read back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
from argon2 import PasswordHasher, profiles
from pypdf import PdfReader

from tests.browser.conftest import LiveServer, Ui, _serve
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db

pytestmark = pytest.mark.browser

COLLECTOR = "Snelgeld Inning Journey"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from wki.auth import services as accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        server = _serve(tmp_path_factory)
        try:
            yield next(server)
        finally:
            server.close()


def _suspect(live_server: LiveServer) -> str:
    """A suspect with three signals (one with the collector's e-mail address); the path of its page."""
    from flask import url_for

    from tests import factories

    with live_server.app.app_context():
        suspect = factories.SuspectFactory(display_name=COLLECTOR, signal_count=3, identifiers={"kvk": ["55554444"]},
                                           first_seen=date(2026, 1, 5), last_seen=date(2026, 3, 2))
        for n in range(3):
            factories.SignalFactory(suspect_id=suspect.id, naam_incassant=COLLECTOR, ontvangen_op=date(2026, 1, 5 + n),
                                    email_raw="info@snelgeld-journey.example" if n == 0 else None)
        db.session.commit()
        with live_server.app.test_request_context():
            path = url_for("signals.suspect", suspect_id=suspect.id)
        db.session.remove()
    return path


def _switch(ui: Ui, email: str, then: str) -> None:
    ui.page.context.clear_cookies()
    ui.sign_in(email, then=then)


def _fill_empty_sections(ui: Ui) -> None:
    """Write every section of the letter that is still empty, one form at a time (each save reloads)."""
    while True:
        empty = [area for area in ui.page.locator("form[id^='sectie-'] textarea").all() if not area.input_value().strip()]
        if not empty:
            return
        area = empty[0]
        area.fill("De incassant incasseert bij consumenten zonder registratie; dat is verboden.")
        ui.click(area.locator("xpath=ancestor::form").get_by_role("button"))


def test_from_a_suspect_to_an_issued_warning_approved_by_a_colleague(ui: Ui, live_server: LiveServer) -> None:
    suspect_path = _suspect(live_server)
    officer = live_server.users[Role.HANDHAVER]
    colleague = live_server.create_user(Role.HANDHAVER, prefix="collega", name="Collega Handhaver")

    # 1. The suspect's page lists its signals and, under "Zaken", offers to open a case.
    ui.sign_in(officer.email, then=suspect_path)
    assert COLLECTOR in ui.heading()
    ui.click(ui.page.get_by_role("button", name="Zaak openen"))
    case_url = ui.page.url.removeprefix(live_server.url)
    assert ui.heading().startswith("Zaak HZ-") and COLLECTOR in ui.heading()
    content = ui.page.content()
    assert "Geen bestuurlijke boete voor incasseren zonder registratie" in content  # why a fine is absent
    assert "Signaal" in content  # the signals are linked

    # 2. A warning: it fits, needs no intention; the case goes to deciding.
    ui.page.get_by_label("Waarschuwingsbrief").check()
    ui.page.get_by_label("Motivering").fill("Eerste signalen: wijzen op de registratieplicht.")
    ui.click(ui.page.get_by_role("button", name="Instrument kiezen"))
    ui.click(ui.page.get_by_role("button", name="Naar besluitvorming"))
    assert "Besluit in voorbereiding" in ui.page.content()

    # 3. The letter: start it, write what is missing, offer its PDF for approval.
    ui.page.get_by_label("Soort document").select_option(label="Waarschuwingsbrief")
    ui.click(ui.page.get_by_role("button", name="Document opstellen"))  # leads to the document's text
    assert ui.heading().startswith("Waarschuwingsbrief")
    _fill_empty_sections(ui)
    ui.click(ui.page.get_by_role("button", name="PDF opmaken en ter goedkeuring aanbieden"))
    ui.goto(case_url)
    assert "Ter goedkeuring" in ui.page.content()
    assert ui.page.get_by_role("button", name="Goedkeuren").count() == 0  # the author cannot approve

    # 4. A second officer approves exactly the PDF shown; the letter is issued.
    _switch(ui, colleague.email, case_url)
    ui.click(ui.page.get_by_role("button", name="Goedkeuren").first)
    assert "Goedgekeurd" in ui.page.content() or "goedgekeurd" in ui.page.content()
    _switch(ui, officer.email, case_url)
    ui.click(ui.page.get_by_role("button", name="Uitgeven").first)
    assert "Besluit verzonden" in ui.page.content()

    with live_server.app.app_context():
        from wki.documents import services as documents
        from wki.enforcement.models import CaseDocument, DocumentStatus

        letter = db.session.query(CaseDocument).one()
        assert letter.status is DocumentStatus.ISSUED and letter.kenmerk in ui.page.content()
        issued = documents.require_document(letter.kenmerk)
        assert issued.sha256 == letter.pdf_sha256  # the approved PDF, byte for byte
        pdf = documents.document_pdf(issued, actor=Actor.process("test"))
        kenmerk = letter.kenmerk
        db.session.commit()
        db.session.remove()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in (COLLECTOR, "registratieplicht", kenmerk):
        assert expected in text, (expected, text)
