"""An inspection from the planning page to its issued report, in real Chromium with axe on every page (issue
13, "Done when"): an inspector opens the planning page, starts an inspection of an agency from it, begins it,
checks a staff list, judges the checklist with evidence and offers it for review; a second inspector returns
it once with a comment and, after the change, approves it; the report is issued and the inspection is closed.
The report's PDF is read back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher, profiles
from pypdf import PdfReader

from tests.browser.conftest import LiveServer, Ui, _serve
from tests.register.helpers import register_row, to_csv
from tests.supervision.helpers import STAFF_CSV
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser

AGENCY = "Journey Toezicht Incasso B.V."
SCOPE = {"REGISTRATIE_ACTUEEL": "voldoet", "VOG_MEDEWERKER": "voldoet_niet", "KLACHTENREGELING": "deels"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the journey imports a register of its own."""
    from wki.auth import services as accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        server = _serve(tmp_path_factory)
        try:
            yield next(server)
        finally:
            server.close()


def _register(live_server: LiveServer) -> None:
    from wki.register.services import import_snapshot

    rows = [register_row(801, naam=AGENCY, plaats="Zwolle"), register_row(802, naam="Journey Ander Incasso B.V.")]
    with live_server.app.app_context():
        import_snapshot("register", to_csv(rows), snapshot_date=today_local() - timedelta(days=1),
                        file_name="journey.csv", actor=Actor.process("test"))
        db.session.commit()
        db.session.remove()


def _switch(ui: Ui, email: str, then: str) -> None:
    ui.page.context.clear_cookies()
    ui.sign_in(email, then=then)


def _judge(ui: Ui, title: str, judgement: str, finding: str) -> None:
    ui.click(ui.page.get_by_role("link", name=title, exact=True))
    ui.page.locator(f'input[name="oordeel-oordeel"][value="{judgement}"]').check()
    ui.page.get_by_label("Bevinding", exact=True).fill(finding)
    ui.click(ui.page.get_by_role("button", name="Oordeel opslaan"))


def test_from_the_planning_page_to_an_issued_report(ui: Ui, live_server: LiveServer) -> None:
    _register(live_server)
    inspector = live_server.users[Role.INSPECTEUR]
    colleague = live_server.create_user(Role.INSPECTEUR, prefix="collega", name="Collega Inspecteur")

    # 1. The planning page lists the agency with its priority; the inspector starts an inspection from it.
    ui.sign_in(inspector.email, then="/toezicht/")
    assert ui.heading().startswith("Planning")
    ui.click(ui.page.get_by_role("link", name=f"Inspectie starten bij {AGENCY}"))
    boxes = ui.page.locator('input[name="eisen"]')
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box.set_checked(box.get_attribute("value") in SCOPE)
    ui.page.get_by_label("Reviewer").select_option(label=f"{colleague.name} ({colleague.email})")
    ui.click(ui.page.get_by_role("button", name="Inspectie aanmaken"))
    inspection_url = ui.page.url
    assert AGENCY in ui.page.content() and "Concept" in ui.page.content()

    # 2. Begin, check a staff list (its findings appear), judge the checklist with evidence.
    ui.click(ui.page.get_by_role("button", name="Inspectie beginnen"))
    ui.page.get_by_label("Personeelslijst (CSV)").set_input_files(
        files=[{"name": "personeel.csv", "mimeType": "text/csv", "buffer": STAFF_CSV}])
    ui.click(ui.page.get_by_role("button", name="Personeelslijst controleren"))
    assert "vog_ontbreekt" in ui.page.content()
    _judge(ui, "Ingeschreven in het register en inschrijving actueel", "voldoet", "")
    _judge(ui, "Verklaring Omtrent het Gedrag (VOG) voor elke incassomedewerker", "voldoet_niet", "Bert Zonder heeft geen VOG.")
    _judge(ui, "Eigen klachtenregeling", "deels", "De klachtenregeling noemt geen termijn.")
    ui.click(ui.page.get_by_role("link", name="Eigen klachtenregeling", exact=True))
    ui.page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "klachtenregeling.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    ui.click(ui.page.get_by_role("button", name="Bestand toevoegen"))
    assert "klachtenregeling.pdf" in ui.page.content()
    ui.goto(inspection_url.removeprefix(live_server.url))
    ui.click(ui.page.get_by_role("button", name="Ter review aanbieden"))
    assert "Ter review" in ui.page.content()

    # 3. The colleague returns it once, with a comment.
    _switch(ui, colleague.email, inspection_url.removeprefix(live_server.url))
    ui.page.get_by_label("Wat moet er veranderen?").fill("Noem bij de klachtenregeling welke termijn ontbreekt.")
    ui.click(ui.page.get_by_role("button", name="Terugsturen"))
    assert "Noem bij de klachtenregeling welke termijn ontbreekt." in ui.page.content()

    # 4. The inspector changes the finding and offers it again.
    _switch(ui, inspector.email, inspection_url.removeprefix(live_server.url))
    _judge(ui, "Eigen klachtenregeling", "deels", "De klachtenregeling noemt geen afhandelingstermijn (art. 13 lid 5).")
    ui.goto(inspection_url.removeprefix(live_server.url))
    ui.click(ui.page.get_by_role("button", name="Ter review aanbieden"))

    # 5. The colleague approves; the inspector issues the report and the inspection is closed.
    _switch(ui, colleague.email, inspection_url.removeprefix(live_server.url))
    ui.click(ui.page.get_by_role("button", name="Goedkeuren"))
    assert "Goedgekeurd door" in ui.page.content()
    _switch(ui, inspector.email, inspection_url.removeprefix(live_server.url))
    ui.click(ui.page.get_by_role("button", name="Rapport uitgeven en afronden"))
    assert "Afgerond" in ui.page.content()

    with live_server.app.app_context():
        from wki.documents import services as documents
        from wki.supervision.models import Inspection

        inspection = db.session.query(Inspection).one()
        assert inspection.report_kenmerk and inspection.report_kenmerk in ui.page.content()
        pdf = documents.document_pdf(documents.require_document(inspection.report_kenmerk),
                                     actor=Actor.process("test"))
        db.session.commit()
        db.session.remove()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in (AGENCY, "Eigen klachtenregeling", "geen afhandelingstermijn (art. 13 lid 5)", "Voldoet niet", "Bert Zonder heeft geen VOG."):
        assert expected in text, (expected, text)
