"""Signals: an inspector follows a signal about an unregistered collector to the suspect it belongs to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.browser.conftest import LiveServer, Ui
from tests.helpers import make_iban
from tests.register.helpers import register_row, to_csv
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser

MAIN_NAV = "nav[aria-label='Hoofdmenu']"


@dataclass(frozen=True)
class SignalData:
    referentie: str
    other_referentie: str
    naam: str


def _ensure_register(live_server: LiveServer) -> None:
    """Signals are judged against the mirror, which must know the register on their date. The browser
    tests share one database: when another test imported the register already, it is left as it is."""
    from wki.register import services

    if services.latest_snapshot("register") is not None:
        return
    rows = [register_row(1, registratienummer="RS-0001", naam="Zeemeeuw Incasso B.V.", handelsnamen="")]
    services.import_snapshot("register", to_csv(rows), snapshot_date=today_local() - timedelta(days=30),
                             file_name="browsertest-signalen.csv", source="browsertest", actor=Actor.process("test:browser"))


@pytest.fixture(scope="module")
def signal_data(live_server: LiveServer) -> SignalData:
    """Two signals about one unregistered collector (same account, the name written two ways)."""
    from wki.signals.models import Channel, Verdict
    from wki.signals.recording import create_signal

    tag = uuid.uuid4().hex[:6].upper()
    today = today_local().isoformat()
    iban = make_iban(int(uuid.uuid4().int % 10**9))
    rows = [
        {"referentie": f"BRW-{tag}-1", "naam_incassant": "Zwartwoud Inningen", "hoofdsom": "1250,00",
         "incassokosten": "450,00", "omschrijving": "De schuldenaar zit in de schuldhulp."},
        {"referentie": f"BRW-{tag}-2", "naam_incassant": "Zwartwoud Inning B.V.", "bron": "gemeente"},
    ]
    with live_server.app.app_context():
        _ensure_register(live_server)
        signals = [create_signal({"ontvangen_op": today, "bron": "consument", "iban": iban, **row},
                                 channel=Channel.FORM, actor=Actor.process("test:browser")) for row in rows]
        assert all(s.verdict == Verdict.UNREGISTERED for s in signals), [s.explanation for s in signals]
        assert signals[0].suspect_id == signals[1].suspect_id is not None
        db.session.commit()
        db.session.remove()
    return SignalData(referentie=rows[0]["referentie"], other_referentie=rows[1]["referentie"],
                      naam=rows[0]["naam_incassant"])


def test_inspector_follows_a_signal_to_its_suspect(ui: Ui, live_server: LiveServer, signal_data: SignalData) -> None:
    """Log in → Signalen → a niet_geregistreerd signal → its suspect → the suspect's signals."""
    ui.login(live_server.users[Role.INSPECTEUR].email)
    ui.click(ui.page.locator(MAIN_NAV).get_by_role("link", name="Signalen", exact=True))
    assert ui.heading() == "Signalen"
    ui.shot("signalen-lijst", narrow=True)

    ui.page.get_by_text("Zoeken en filteren").click()  # the filters are folded away until used
    ui.page.get_by_label("Zoeken", exact=True).fill("Zwartwoud")
    ui.page.get_by_label("Oordeel").select_option("niet_geregistreerd")
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    table = ui.page.get_by_role("table", name="signalen", exact=False)
    assert signal_data.referentie in table.inner_text()

    ui.click(table.get_by_role("link", name=signal_data.referentie))
    assert ui.heading() == f"Signaal {signal_data.referentie}"
    main = ui.page.locator("main")
    assert "Niet geregistreerd" in main.locator("dl").first.inner_text()
    assert ui.page.get_by_role("status").filter(has_text="Incassokosten boven het BIK-maximum").is_visible()
    ui.shot("signalen-signaal", narrow=True)

    ui.click(main.locator("dl").first.get_by_role("link", name="Mogelijke overtreder", exact=False))
    assert ui.heading() in {"Zwartwoud Inningen", "Zwartwoud Inning B.V."}
    signals = ui.page.get_by_role("table", name="signalen", exact=False)
    listed = signals.locator("tbody tr td:first-child a").all_inner_texts()
    assert sorted(listed) == sorted([signal_data.referentie, signal_data.other_referentie])
    assert "Er zijn nog geen zaken geopend over deze mogelijke overtreder." in main.inner_text()
    ui.shot("signalen-mogelijke-overtreder", narrow=True)

    # Back to the signal from the suspect's table.
    ui.click(signals.get_by_role("link", name=signal_data.other_referentie))
    assert ui.heading() == f"Signaal {signal_data.other_referentie}"



def test_inspector_records_a_signal_decides_it_and_reads_a_file(
    ui: Ui, live_server: LiveServer, signal_data: SignalData
) -> None:
    """The staff form (with its errors), a decision about the verdict, and a bulk file with a bad row."""
    ui.sign_in(live_server.users[Role.INSPECTEUR].email, then="/signalen/nieuw")
    assert ui.heading() == "Signaal registreren"
    ui.click(ui.page.get_by_role("button", name="Opslaan en beoordelen"))
    summary = ui.page.locator("#foutmeldingen")
    assert "Kies de bron van het signaal." in summary.inner_text()
    ui.shot("signalen-formulier-fouten", narrow=True)

    tag = uuid.uuid4().hex[:6].upper()
    ui.page.get_by_label("Bron").select_option("consument")
    ui.page.get_by_label("Referentie").fill(f"FRM-{tag}")
    ui.page.get_by_label("Naam incassant").fill("Zwartwoud Inningen")
    ui.page.get_by_label("Hoofdsom").fill("180,00")
    ui.page.get_by_label("Incassokosten").fill("40,00")
    ui.click(ui.page.get_by_role("button", name="Opslaan en beoordelen"))
    assert ui.heading() == f"Signaal FRM-{tag}"
    assert ui.page.get_by_role("status").filter(has_text="is vastgelegd en beoordeeld").is_visible()

    decision = ui.page.locator("form#oordeel-vaststellen")
    decision.get_by_role("combobox", name="Oordeel", exact=True).select_option("onzeker")
    decision.get_by_label("Reden").fill("Naam lijkt op een bekende incassant; eerst navragen.")
    ui.click(ui.page.get_by_role("button", name="Oordeel vaststellen"))
    assert "handmatig vastgesteld" in ui.page.locator("main dl").first.inner_text()
    ui.shot("signalen-signaal-handmatig")

    ui.click(ui.page.locator("nav[aria-label='Signalen']").get_by_role("link", name="Bestand inlezen"))
    assert ui.heading() == "Bestand inlezen"
    data = (f"referentie;ontvangen_op;bron;naam_incassant\r\nIMP-{tag}-1;{today_local().isoformat()};gemeente;"
            f"Zwartwoud Inningen\r\nIMP-{tag}-2;morgen;gemeente;Zwartwoud\r\n").encode("utf-8-sig")
    upload = {"name": "meldingen.csv", "mimeType": "text/csv", "buffer": data}
    ui.page.get_by_label("CSV-bestand").set_input_files(upload)
    ui.click(ui.page.get_by_role("button", name="Inlezen"))
    report = ui.page.get_by_role("table", name="fout", exact=False)
    assert "is geen datum" in report.inner_text()
    ui.shot("signalen-bestand-geweigerd")

    ui.page.get_by_label("CSV-bestand").set_input_files(upload)
    ui.page.get_by_label("Ongeldige regels overslaan").check()
    ui.click(ui.page.get_by_role("button", name="Inlezen"))
    assert ui.heading().startswith("Ingelezen bestand ")
    assert ui.page.get_by_role("link", name="De overgeslagen regels downloaden (CSV)").is_visible()
    ui.shot("signalen-bestand-ingelezen")

    ui.click(ui.page.locator("nav[aria-label='Signalen']").get_by_role("link", name="Mogelijke overtreders"))
    assert ui.heading() == "Mogelijke overtreders"
    assert "Zwartwoud" in ui.page.get_by_role("table").inner_text()
    ui.shot("signalen-mogelijke-overtreders", narrow=True)
