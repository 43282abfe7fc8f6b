"""Register: an inspector searches the register and reads a registration's history; an administrator
judges a snapshot held in quarantine."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.browser.conftest import LiveServer, Ui
from tests.register.helpers import register_row, to_csv
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local, utcnow
from wki.core.extensions import db

pytestmark = pytest.mark.browser

MAIN_NAV = "nav[aria-label='Hoofdmenu']"


@dataclass(frozen=True)
class RegisterData:
    nummer: str
    naam: str
    added_trade_name: str


def _import(live_server: LiveServer, rows: list[dict[str, str]], day: date) -> None:
    """One full snapshot into the live server's database, committed, with its run record."""
    from wki.register import services

    started = utcnow()
    result = services.import_snapshot("register", to_csv(rows), snapshot_date=day, file_name="browsertest.csv",
                                      source="browsertest", actor=Actor.process("test:browser"))
    services.record_run(kind="register", trigger="import", source="browsertest", started_at=started,
                        outcome=result.outcome, message=result.message, sha256=result.sha256, counts=result.counts,
                        snapshot_id=result.snapshot.id if result.snapshot else None, actor=Actor.process("test:browser"))
    db.session.commit()


@pytest.fixture(scope="module")
def register_data(live_server: LiveServer) -> RegisterData:
    """Three agencies in two snapshots (a trade name added in the second), beside whatever the register
    already holds: the browser tests share one database, and a snapshot is always the whole register."""
    from wki.register import queries, services

    today = today_local()
    mine = {
        n: register_row(n, registratienummer=f"RB-{n:04d}", naam=naam, handelsnamen=trade, plaats=plaats,
                        geldig_tot=(today + timedelta(days=days)).isoformat())
        for n, naam, trade, plaats, days in [
            (1, "Kompasroos Incasso B.V.", "Kompasroos", "Zwolle", 20),
            (2, "Vuurtoren Vorderingen B.V.", "", "Den Helder", 200),
            (3, "Lindeboom Credit Management B.V.", "Lindeboom", "Amersfoort", 300),
        ]
    }
    with live_server.app.app_context():
        others = [row for row in csv.DictReader(io.StringIO(queries.export_snapshot("register").decode("utf-8")))
                  if not row["registratienummer"].startswith("RB-")]
        latest = services.latest_snapshot("register")
        first_day = max(today - timedelta(days=60), latest.snapshot_date) if latest else today - timedelta(days=60)
        _import(live_server, others + list(mine.values()), first_day)
        mine[1] = {**mine[1], "handelsnamen": "Kompasroos|Kompas Collect"}
        _import(live_server, others + list(mine.values()), today)
        db.session.remove()
    return RegisterData(nummer="RB-0001", naam="Kompasroos Incasso B.V.", added_trade_name="Kompas Collect")


def _column(ui: Ui, index: int) -> list[str]:
    return ui.page.locator("main table").first.locator("tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{index}] ? r.cells[{index}].innerText.trim() : '')")


def test_inspector_searches_the_register_and_reads_a_timeline(
    ui: Ui, live_server: LiveServer, register_data: RegisterData
) -> None:
    """Log in → Register → search by trade name → the registration → its identifiers and timeline."""
    ui.login(live_server.users[Role.INSPECTEUR].email)
    ui.click(ui.page.locator(MAIN_NAV).get_by_role("link", name="Register", exact=True))
    assert ui.heading() == "Register"
    assert register_data.nummer in _column(ui, 0)
    ui.shot("register-lijst", narrow=True)

    ui.page.get_by_label("Zoeken", exact=True).fill(register_data.added_trade_name)
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    assert _column(ui, 0) == [register_data.nummer]
    assert register_data.added_trade_name in _column(ui, 1)[0]
    ui.shot("register-zoeken")

    ui.click(ui.page.get_by_role("link", name=register_data.nummer))
    assert ui.heading() == register_data.naam
    main = ui.page.locator("main")
    assert "Geldig" in main.locator("dl").first.inner_text()
    kenmerken = main.locator("dl").nth(1).inner_text()
    assert "KvK-nummer" in kenmerken and "IBAN" in kenmerken and "Vestigingsnummer" in kenmerken
    timeline = ui.page.get_by_role("table", name="Wijzigingen in het register, nieuwste eerst")
    lines = timeline.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert lines[0] == f"handelsnaam toegevoegd: {register_data.added_trade_name}"
    assert lines[-1] == "opgenomen in het register"
    ui.shot("register-registratie", narrow=True)

    # The dashboard counts the registration that expires within 30 days and leads to the list of them.
    ui.click(ui.page.locator(MAIN_NAV).get_by_role("link", name="Overzicht"))
    ui.click(ui.page.get_by_role("link", name="Registraties verlopen binnen 30 dagen"))
    assert register_data.nummer in _column(ui, 0)
    assert ui.page.get_by_label("Geldigheid").input_value() == "30"


def test_administrator_discards_a_quarantined_snapshot(
    ui: Ui, live_server: LiveServer, register_data: RegisterData
) -> None:
    """A file that would empty most of the register waits in quarantine; discarding it needs a reason."""
    from wki.register import queries

    with live_server.app.app_context():
        current = [row for row in csv.DictReader(io.StringIO(queries.export_snapshot("register").decode("utf-8")))]
        _import(live_server, current[:1], today_local())
        db.session.remove()

    ui.sign_in(live_server.users[Role.BEHEERDER].email)
    ui.click(ui.page.get_by_role("link", name="Snapshots in quarantaine"))
    assert ui.heading() == "Snapshots"
    ui.shot("register-snapshots")
    ui.click(ui.page.locator("main table").get_by_role("link").first)
    assert ui.heading().startswith("Snapshot ")
    assert "In quarantaine" in ui.page.locator("main dl").inner_text()
    ui.shot("register-snapshot-quarantaine", narrow=True)

    ui.click(ui.page.get_by_role("button", name="Verwerpen"))
    summary = ui.page.locator("#foutmeldingen")
    assert summary.get_by_role("link").all_inner_texts() == ["Geef een reden op waarom u deze snapshot verwerpt."]
    ui.page.get_by_label("Reden van verwerpen").fill("De export brak halverwege af.")
    ui.click(ui.page.get_by_role("button", name="Verwerpen"))
    assert ui.page.get_by_role("status").filter(has_text="is verworpen").is_visible()
    assert "Verworpen" in ui.page.locator("main dl").inner_text()
    assert ui.page.get_by_role("button", name="Goedkeuren en toepassen").count() == 0

    subnav = ui.page.locator("nav[aria-label='Register']")
    ui.click(subnav.get_by_role("link", name="Synchronisaties"))
    assert ui.heading() == "Registersynchronisaties"
    ui.shot("register-synchronisaties")
    ui.click(ui.page.locator("main table").get_by_role("link").first)
    assert ui.heading().startswith("Synchronisatie ")
    ui.shot("register-synchronisatie")
