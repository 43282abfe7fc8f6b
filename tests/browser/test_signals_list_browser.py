"""Signals: an inspector works through the list by keyboard, sorts it by a column header, narrows it to a
range of reference dates, starts the re-assessment that waits, and reads the figures page. axe on every page."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.browser.conftest import LiveServer, Ui
from tests.register.helpers import register_row, to_csv
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser

MAX_TABS_TO_FIRST_ROW = 12


@dataclass(frozen=True)
class ListData:
    tag: str
    by_date: list[str]  # references, oldest reference date first
    dates: list[str]  # their reference dates, ISO


@pytest.fixture(scope="module")
def list_data(live_server: LiveServer) -> ListData:
    """Four signals with a tag of their own, a week apart, received in another order than written."""
    from wki.register import services as register_services
    from wki.signals.models import Channel
    from wki.signals.recording import create_signal

    tag = "LST" + uuid.uuid4().hex[:6].upper()
    today = today_local()
    letters = [today - timedelta(days=d) for d in (40, 33, 26, 19)]
    received = [today - timedelta(days=d) for d in (5, 12, 3, 9)]
    with live_server.app.app_context():
        if register_services.latest_snapshot("register") is None:
            rows = [register_row(1, registratienummer="RS-0001", naam="Zeemeeuw Incasso B.V.", handelsnamen="")]
            register_services.import_snapshot("register", to_csv(rows), snapshot_date=today - timedelta(days=60),
                                              file_name="browsertest-lijst.csv", source="browsertest",
                                              actor=Actor.process("test:browser"))
        refs = []
        for n, (letter, got) in enumerate(zip(letters, received, strict=True)):
            ref = f"{tag}-{n + 1}"
            create_signal({"referentie": ref, "ontvangen_op": got.isoformat(), "datum_brief": letter.isoformat(),
                           "bron": "consument", "naam_incassant": f"{tag} Inningen {n + 1}"},
                          channel=Channel.FORM, actor=Actor.process("test:browser"))
            refs.append(ref)
        db.session.commit()
        db.session.remove()
    return ListData(tag=tag, by_date=refs, dates=[d.isoformat() for d in letters])


def _tabs_to_first_row(ui: Ui) -> tuple[int, list[str]]:
    """Tab from the top of the page, following each skip link ("Naar de …") with Enter, until a link in
    the table's first row has focus. Returns the Tab presses and what got focus on the way."""
    page = ui.page
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    tabs, seen = 0, []
    while tabs < 60:
        page.keyboard.press("Tab")
        tabs += 1
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {text: (e.innerText || e.getAttribute('aria-label') || e.id || e.tagName).trim().split('\\n')[0],
                    skip: e.matches('a.nl-skip-link'), row: !!e.closest('tbody tr:first-child')}; }""")
        seen.append(focused["text"])
        if focused["row"]:
            return tabs, seen
        if focused["skip"]:
            page.keyboard.press("Enter")
    pytest.fail(f"no row reached after {tabs} Tab presses: {seen}")


def _fits_a_phone(ui: Ui) -> bool:
    """At a phone's width the page does not scroll sideways (wide tables scroll in their own container)."""
    wide = ui.page.viewport_size
    ui.page.set_viewport_size({"width": 390, "height": 844})
    try:
        return ui.page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        ui.page.set_viewport_size(wide)


def _table_refs(ui: Ui) -> list[str]:
    return ui.page.locator("#resultaten tbody tr td:first-child a").all_inner_texts()


def test_keyboard_users_reach_the_rows_quickly(ui: Ui, live_server: LiveServer, list_data: ListData) -> None:
    """From the top of the list to its first row in a few Tab presses, through the skip links."""
    ui.sign_in(live_server.users[Role.INSPECTEUR].email, then="/signalen/")
    assert ui.heading() == "Signalen"
    tabs, seen = _tabs_to_first_row(ui)
    assert tabs <= MAX_TABS_TO_FIRST_ROW, (tabs, seen)
    assert seen[:2] == ["Naar de hoofdinhoud", "Naar de resultaten"], seen
    print(f"\nTab presses to the first row of the signal list: {tabs} ({' → '.join(seen)})")
    # The sub-navigation is there once; the page repeats none of its links.
    subnav = ui.page.locator("nav[aria-label='Signalen']").get_by_role("link")
    assert subnav.all_inner_texts() == ["Signalen", "Mogelijke overtreders", "Bestand inlezen", "Signaal registreren",
                                        "Cijfers"]
    for name in ("Mogelijke overtreders", "Bestand inlezen", "Signaal registreren", "Cijfers"):
        assert ui.page.locator("main").get_by_role("link", name=name, exact=True).count() == 1, name
    assert _fits_a_phone(ui)
    ui.shot("signalen-lijst-toetsenbord")


def test_sort_by_a_header_and_filter_by_reference_dates(ui: Ui, live_server: LiveServer, list_data: ListData) -> None:
    """Search the tagged signals, sort by peildatum (and back), then narrow to a range of reference dates."""
    ui.sign_in(live_server.users[Role.INSPECTEUR].email, then=f"/signalen/?zoek={list_data.tag}")
    assert sorted(_table_refs(ui)) == sorted(list_data.by_date)

    header = ui.page.locator("#resultaten thead th").filter(has_text="Peildatum")
    assert header.get_attribute("aria-sort") is None
    ui.click(header.get_by_role("link"))
    header = ui.page.locator("#resultaten thead th").filter(has_text="Peildatum")
    assert header.get_attribute("aria-sort") == "descending"
    assert _table_refs(ui) == list_data.by_date[::-1]
    ui.click(header.get_by_role("link"))
    header = ui.page.locator("#resultaten thead th").filter(has_text="Peildatum")
    assert header.get_attribute("aria-sort") == "ascending"
    assert _table_refs(ui) == list_data.by_date
    assert ui.page.get_by_role("searchbox", name="Zoeken").input_value() == list_data.tag  # the search was kept
    ui.shot("signalen-lijst-gesorteerd")

    # The filters are folded open (a search is active); a wrong range is refused in Dutch.
    details = ui.page.locator("details.wki-details")
    assert details.get_attribute("open") is not None
    ui.page.get_by_label("Peildatum van").fill(list_data.dates[2])
    ui.page.get_by_label("Peildatum tot en met").fill(list_data.dates[1])
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    summary = ui.page.locator("#foutmeldingen")
    assert "De peildatum ‘tot en met’ ligt vóór de peildatum ‘van’." in summary.inner_text()
    assert ui.page.locator("#resultaten").count() == 0

    ui.page.get_by_label("Peildatum van").fill(list_data.dates[1])
    ui.page.get_by_label("Peildatum tot en met").fill(list_data.dates[2])
    ui.click(ui.page.get_by_role("button", name="Zoeken"))
    assert _table_refs(ui) == list_data.by_date[1:3]  # both ends included, still sorted by peildatum
    assert ui.page.locator("#resultaten thead th").filter(has_text="Peildatum").get_attribute("aria-sort") == "ascending"
    download = ui.page.get_by_role("link", name="Deze 2 signalen downloaden (CSV)")
    with ui.page.expect_download() as info:
        download.click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    assert [row["referentie"] for row in rows] == list_data.by_date[1:3]  # the page's selection and order
    ui.shot("signalen-lijst-gefilterd", narrow=True)


def test_rematch_the_waiting_signals_and_read_the_figures(
    ui: Ui, live_server: LiveServer, list_data: ListData
) -> None:
    """A register change leaves signals waiting: the list says so, the button judges them; then Cijfers."""
    from wki.signals.models import Signal

    with live_server.app.app_context():
        db.session.execute(sa.update(Signal).where(Signal.referentie.in_(list_data.by_date[:2]))
                           .values(register_state="ouder"))
        db.session.commit()
        db.session.remove()
    ui.sign_in(live_server.users[Role.HANDHAVER].email, then="/")
    ui.click(ui.page.get_by_role("link", name="Wachten op herbeoordeling", exact=False))
    assert ui.heading() == "Signalen"
    assert set(list_data.by_date[:2]) <= set(_table_refs(ui))
    waiting = ui.page.locator("section.wki-stale")
    assert "Wachten op herbeoordeling" in waiting.inner_text()
    ui.shot("signalen-herbeoordeling")
    ui.click(waiting.get_by_role("button", name="Nu opnieuw beoordelen"))
    # Queued for the worker: the progress page says so, and says what was done once the worker has run.
    assert "/signalen/werk/" in ui.page.url
    assert "wacht tot de verwerker" in ui.page.locator("#werk-status").inner_text()
    ui.shot("signalen-herbeoordeling-wachtrij")
    from wki.core import worker

    with live_server.app.app_context():
        assert worker.run_one() is not None
        db.session.remove()
    ui.click(ui.page.get_by_role("link", name="Nu verversen"))
    assert "Klaar" in ui.page.locator("#werk-status").inner_text()
    assert "opnieuw beoordeeld" in ui.page.locator("main").inner_text()
    ui.click(ui.page.get_by_role("link", name="Naar de signalen"))
    assert ui.page.locator("section.wki-stale").count() == 0

    ui.click(ui.page.locator("nav[aria-label='Signalen']").get_by_role("link", name="Cijfers"))
    assert ui.heading() == "Cijfers over signalen"
    charts = ui.page.get_by_role("img")
    assert charts.count() == 4
    assert charts.first.get_attribute("aria-labelledby") == "grafiek-bron-titel grafiek-bron-beschrijving"
    table_toggle = ui.page.locator("#grafiek-bron-kop ~ details summary")
    table_toggle.click()
    table = ui.page.get_by_role("table", name="Signalen per maand, naar bron")
    assert table.is_visible() and "Totaal" in table.inner_text()
    ui.check()  # the opened table too
    assert _fits_a_phone(ui)
    ui.shot("signalen-cijfers", narrow=True)
