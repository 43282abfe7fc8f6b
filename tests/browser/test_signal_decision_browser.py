"""Signals, deciding (issue 9 §4): an inspector reads a doubtful signal beside its two candidates, chooses
one, gives a reason and sees the signal handled; then merges a suggested "mogelijke overtreder"."""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass

import pytest

from tests.browser.conftest import LiveServer, Ui
from tests.helpers import make_iban
from tests.register.helpers import register_row, to_csv
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Doubtful:
    signal_id: int
    referentie: str


@dataclass(frozen=True)
class Pair:
    suspect_id: int
    other_id: int
    other_name: str


def _add_registrations(live_server: LiveServer) -> None:
    """Two registrations with nearly the same name (one valid, one struck off), beside whatever the register
    already holds: the browser tests share one database, and a snapshot is always the whole register."""
    from wki.register import queries, services

    today = today_local()
    mine = [
        register_row(4, registratienummer="RD-0004", naam="Vliegenthart Incasso B.V.",
                     handelsnamen="Vliegenthart Debiteurenbeheer", website="vliegenthart-incasso.nl",
                     email="post@vliegenthart-incasso.nl", telefoon="030-2345678", iban=make_iban(4),
                     postcode="3511 AB", plaats="Utrecht", datum_inschrijving="2024-05-13",
                     geldig_tot=(today.replace(year=today.year + 1)).isoformat()),
        register_row(5, registratienummer="RD-0005", naam="Vliegenthart Invorderingen B.V.", handelsnamen="",
                     website="vliegenthart.nl", email="", telefoon="", iban=make_iban(5), status="doorgehaald",
                     datum_inschrijving="2024-05-13", datum_einde="2026-02-01", postcode="2511 CV", plaats="Den Haag"),
    ]
    others = [row for row in csv.DictReader(io.StringIO(queries.export_snapshot("register").decode("utf-8")))
              if not row["registratienummer"].startswith("RD-")]
    latest = services.latest_snapshot("register")
    day = max(today, latest.snapshot_date) if latest else today
    services.import_snapshot("register", to_csv(others + mine), snapshot_date=day, file_name="browsertest-oordeel.csv",
                             source="browsertest", actor=Actor.process("test:browser"))


@pytest.fixture(scope="module")
def doubtful(live_server: LiveServer) -> Doubtful:
    from wki.signals.models import Channel, Verdict
    from wki.signals.recording import create_signal

    referentie = f"TWF-{uuid.uuid4().hex[:6].upper()}"
    with live_server.app.app_context():
        _add_registrations(live_server)
        signal = create_signal({"referentie": referentie, "ontvangen_op": today_local().isoformat(), "bron": "gemeente",
                                "naam_incassant": "Vliegenthart",
                                "omschrijving": "Aanmaning met een logo dat op Vliegenthart lijkt."},
                               channel=Channel.FORM, actor=Actor.process("test:browser"))
        assert signal.auto_verdict == Verdict.UNCERTAIN, signal.explanation
        assert [c["key"] for c in signal.candidates][:2] == ["RD-0004", "RD-0005"]
        db.session.commit()
        result = Doubtful(signal.id, referentie)
        db.session.remove()
    return result


@pytest.fixture(scope="module")
def pair(live_server: LiveServer) -> Pair:
    """Two unregistered collectors whose names are close, but not close enough to be grouped."""
    from wki.signals.models import Channel, Suspect
    from wki.signals.recording import create_signal

    tag = uuid.uuid4().hex[:6].upper()
    with live_server.app.app_context():
        made = [create_signal({"referentie": f"ZWN-{tag}-{n}", "ontvangen_op": today_local().isoformat(),
                               "bron": "consument", **values}, channel=Channel.FORM, actor=Actor.process("test:browser"))
                for n, values in enumerate([{"naam_incassant": "Zwanenveld Inning", "iban": make_iban(400001)},
                                            {"naam_incassant": "Zwanenveld Inning", "telefoon": "06-40000001"},
                                            {"naam_incassant": "Zwanenvelden Inning", "telefoon": "06-40000002"}])]
        db.session.commit()
        for signal in made:
            db.session.refresh(signal)
        assert made[0].suspect_id == made[1].suspect_id != made[2].suspect_id
        other = db.session.get(Suspect, made[2].suspect_id)
        result = Pair(made[0].suspect_id, other.id, other.display_name)
        db.session.remove()
    return result


def _no_overflow_at(ui: Ui, width: int) -> None:
    """At ``width`` pixels the page fits: nothing makes it scroll sideways (tables scroll in their own box)."""
    size = ui.page.viewport_size
    ui.page.set_viewport_size({"width": width, "height": 800})
    ui._next_frame()
    scroll, client = ui.page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page is {scroll}px wide at {width}px"
    if size:
        ui.page.set_viewport_size(size)
        ui._next_frame()


def test_inspector_decides_a_doubtful_signal_from_its_candidates(ui: Ui, live_server: LiveServer,
                                                                 doubtful: Doubtful) -> None:
    """A doubtful signal → both candidates beside it → "Dit is de partij" → a reason → handled."""
    ui.sign_in(live_server.users[Role.INSPECTEUR].email, then=f"/signalen/{doubtful.signal_id}")
    assert ui.heading() == f"Signaal {doubtful.referentie}"
    main = ui.page.locator("main")
    assert ui.page.get_by_role("status").filter(has_text="Een inspecteur moet beslissen").is_visible()

    # Both candidates, each in a table whose columns are the signal and the candidate.
    first = ui.page.get_by_role("table", name="Het signaal en kandidaat 1 naast elkaar", exact=False)
    second = ui.page.get_by_role("table", name="Het signaal en kandidaat 2 naast elkaar", exact=False)
    assert first.get_by_role("columnheader").all_inner_texts() == ["Gegeven", "Signaal", "Kandidaat 1",
                                                                   "Vergelijking"]
    assert "Vliegenthart Debiteurenbeheer" in first.get_by_role("row", name="Naam").inner_text()
    assert "Stationsweg 4, 3511 AB Utrecht" in first.get_by_role("row", name="Adres").inner_text()
    assert "Doorgehaald" in second.get_by_role("row", name="Status in het register").inner_text()
    assert main.get_by_role("link", name="Registratie RD-0005 in het register").is_visible()
    assert main.get_by_role("link", name="RD-0004", exact=True).first.is_visible()  # in the explanation
    ui.shot("signalen-onzeker-kandidaten", narrow=True)
    _no_overflow_at(ui, 320)

    ui.click(main.get_by_role("link", name="Dit is de partij (kandidaat 1: Vliegenthart Incasso B.V. (RD-0004))"))
    decision = ui.page.locator("form#oordeel-vaststellen")
    assert decision.get_by_role("combobox", name="Oordeel").input_value() == "geregistreerd"
    assert decision.get_by_label("Registratienummer").input_value() == "RD-0004"
    reason = decision.get_by_label("Reden")
    assert reason.input_value() == ""
    assert reason.evaluate("el => el === document.activeElement")  # the person writes the reason next
    _no_overflow_at(ui, 320)

    # Without a reason: a Dutch message, and nothing changed.
    ui.click(decision.get_by_role("button", name="Oordeel vaststellen"))
    assert "Geef een reden voor dit oordeel." in ui.page.locator("#foutmeldingen").inner_text()

    decision = ui.page.locator("form#oordeel-vaststellen")
    decision.get_by_label("Reden").fill("Het logo en het adres in Utrecht op de brief zijn die van Vliegenthart Incasso.")
    ui.click(decision.get_by_role("button", name="Oordeel vaststellen"))
    assert ui.page.get_by_role("status").filter(has_text="Het signaal is afgehandeld").is_visible()
    assert "Afgehandeld" in ui.page.locator(".wki-lead-meta").inner_text()
    facts = main.locator("dl").first.inner_text()
    assert "Geregistreerd" in facts and "handmatig vastgesteld" in facts and "RD-0004" in facts
    assert main.get_by_role("button", name="Signaal heropenen").is_visible()
    assert "Oordeel vastgesteld" in ui.page.get_by_role("table", name="Wat er met dit signaal gebeurde",
                                                         exact=False).inner_text()
    ui.shot("signalen-onzeker-beslist")


def test_inspector_merges_a_suggested_mogelijke_overtreder(ui: Ui, live_server: LiveServer, pair: Pair) -> None:
    """A mogelijke overtreder → "Mogelijk dezelfde" → one click merges it, with the reason offered."""
    ui.sign_in(live_server.users[Role.INSPECTEUR].email, then="/signalen/mogelijke-overtreders")
    assert ui.heading() == "Mogelijke overtreders"
    ui.click(ui.page.get_by_role("link", name="Zwanenveld Inning", exact=True))
    assert ui.heading() == "Zwanenveld Inning"
    section = ui.page.get_by_role("region", name="Mogelijk dezelfde")
    suggestion = section.get_by_role("listitem").filter(has_text=pair.other_name).first
    likeness = re.search(r"lijkt (\d+)% op ‘Zwanenvelden Inning’", suggestion.inner_text())
    assert likeness and 65 <= int(likeness.group(1)) < 92
    assert f"{likeness.group(1)}%" in suggestion.get_by_label("Reden").input_value()
    ui.shot("signalen-mogelijk-dezelfde", narrow=True)

    ui.click(suggestion.get_by_role("button", name=f"Samenvoegen met mogelijke overtreder {pair.other_id}"))
    assert ui.page.get_by_role("status").filter(
        has_text=f"Mogelijke overtreder {pair.other_id} is samengevoegd met mogelijke overtreder {pair.suspect_id}"
    ).is_visible()
    signals = ui.page.get_by_role("table", name="signalen, nieuwste peildatum eerst", exact=False)
    assert "Zwanenvelden Inning" in signals.inner_text()
    assert "Samengevoegd" in ui.page.get_by_role("table", name="Samenvoegingen en splitsingen", exact=False).inner_text()
    assert ui.page.get_by_role("region", name="Mogelijk dezelfde").get_by_role("listitem").filter(
        has_text=pair.other_name).count() == 0
