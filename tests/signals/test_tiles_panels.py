"""The signals' dashboard tiles and the "Signalen" panel on a registration's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.dashboard.test_register_tiles import _tiles
from tests.helpers import make_iban
from tests.signals.conftest import DOUBTFUL
from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals import panels, tiles
from wki.signals.decisions import decide_verdict, set_status
from wki.signals.models import Channel, Signal, SignalStatus, Verdict
from wki.signals.recording import create_signal

R1 = "R2024-00001"  # Noordkaap Incasso B.V. (tests/signals/conftest.py)
_n = [0]


def make(status: str = SignalStatus.OPEN, **values: Any) -> Signal:
    _n[0] += 1
    signal = create_signal(signal_row(_n[0], **{"naam_incassant": "", **values}), channel=Channel.FORM,
                           actor=Actor.process("inspecteur@test"))
    if status != SignalStatus.OPEN:
        set_status(signal.id, status=status, reason="Afgehandeld in de test", actor=Actor.process("inspecteur@test"))
    db.session.flush()
    return signal


def registered(**values: Any) -> Signal:
    return make(kvk_nummer="10000001", naam_incassant="Noordkaap Incasso", **values)


def uncertain(**values: Any) -> Signal:
    signal = make(naam_incassant=DOUBTFUL, **values)
    assert signal.auto_verdict == Verdict.UNCERTAIN
    return signal


def clone(**values: Any) -> Signal:
    signal = make(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="99887766", **values)
    assert (signal.auto_verdict, signal.clone_of) == (Verdict.UNREGISTERED, R1)
    return signal


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(sa.engine.Engine, "before_cursor_execute", count)


def dashboard(client) -> dict[str, tuple[int, str, bool, str | None]]:
    return {label: tile for label, tile in _tiles(client.get("/").get_data(as_text=True)).items()}


# ---------------------------------------------------------------- tiles


@pytest.fixture
def signals(mirror) -> dict[str, Any]:
    """Open: 2 registered (1 above BIK), 1 uncertain, 1 unregistered, 1 clone. Closed: 1 registered above
    BIK, 1 uncertain, and 1 uncertain that a person decided (a decision closes the signal)."""
    made = {
        "registered": registered(),
        "registered_bik": registered(hoofdsom="1000", incassokosten="250"),
        "closed_bik": registered(status=SignalStatus.CLOSED, hoofdsom="1000", incassokosten="300"),
        "uncertain": uncertain(),
        "uncertain_decided": uncertain(),
        "closed_uncertain": uncertain(status=SignalStatus.CLOSED),
        "unregistered": make(naam_incassant="Snelgeld Inning B.V.", iban=make_iban(777)),
        "clone": clone(),
    }
    decide_verdict(made["uncertain_decided"].id, verdict=Verdict.REGISTERED, registratienummer=R1,
                   reason="Bevestigd met de brief", actor=Actor.process("inspecteur@test"))
    db.session.flush()
    return made


@pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.HANDHAVER], ids=lambda r: r.value)
def test_tiles_count_and_link(login_as, signals, role):
    found = dashboard(login_as(role))
    # The decided one is handled (closed) by its decision.
    assert found["Open signalen"][:3] == (5, "/signalen/?status=open", False)
    assert found["Onzeker: wachten op een oordeel"][:3] == (1, "/signalen/?oordeel=onzeker&status=open", True)
    assert found["Mogelijke overtreders"][:3] == (2, "/signalen/mogelijke-overtreders", False)
    assert found["BIK-overschrijdingen"][:3] == (2, "/signalen/?bik=1", True)
    assert "Wachten op herbeoordeling" not in found  # only when there are any


def test_tile_links_show_the_counted_signals(login_as, signals):
    client = login_as(Role.INSPECTEUR)
    found = dashboard(client)
    for label, expected in [("Onzeker: wachten op een oordeel", {signals["uncertain"].id}),
                            ("BIK-overschrijdingen", {signals["registered_bik"].id, signals["closed_bik"].id})]:
        page = client.get(found[label][1])
        assert page.status_code == 200
        shown = {int(i) for i in re.findall(r'href="/signalen/(\d+)"', page.get_data(as_text=True))}
        assert shown == expected, label


def test_signals_judged_against_an_older_mirror_are_counted(login_as, signals):
    db.session.execute(sa.update(Signal).where(Signal.id.in_([signals["registered"].id, signals["closed_bik"].id]))
                       .values(register_state="ouder"))
    client = login_as(Role.INSPECTEUR)
    found = dashboard(client)
    assert found["Wachten op herbeoordeling"][:2] == (1, "/signalen/?herbeoordeling=y")  # the closed one waits for nobody
    # The tile's link lists exactly the counted signal.
    page = client.get(found["Wachten op herbeoordeling"][1]).get_data(as_text=True)
    assert {int(i) for i in re.findall(r'href="/signalen/(\d+)"', page)} == {signals["registered"].id}


@pytest.mark.parametrize("role", [Role.VOORLICHTING, Role.BEHEERDER], ids=lambda r: r.value)
def test_other_roles_see_no_signal_tiles(login_as, signals, role):
    found = dashboard(login_as(role))
    assert "Open signalen" not in found and "BIK-overschrijdingen" not in found


def test_tiles_cost_three_queries(app, signals, login_as):
    user = login_as(Role.INSPECTEUR).user
    assert user.role_set  # loaded before counting
    with app.test_request_context(), counted_queries() as statements:
        tiles.signal_tiles(user)
    assert len(statements) == 3, statements


def test_the_providers_are_registered_once_per_application(app):
    from wki.core.features import DASHBOARD, REGISTRATION_PAGE, registry

    assert registry(app).providers[DASHBOARD].count(tiles.signal_tiles) == 1
    assert registry(app).providers[REGISTRATION_PAGE].count(panels.signals_panel) == 1


# ---------------------------------------------------------------- the registration panel


def panel_html(client, nummer: str = R1) -> str | None:
    page = client.get(f"/register/{nummer}").get_data(as_text=True)
    match = re.search(r'<h2[^>]*id="paneel-\d+">Signalen</h2>(.*?)</section>', page, re.S)
    return match[1] if match else None


def test_the_panel_lists_the_signals_and_the_clones(login_as, signals):
    html = panel_html(login_as(Role.INSPECTEUR))
    assert html is not None
    # About R1: the three registered ones and the one a person decided; not the uncertain, unregistered, clone.
    assert "Signalen over deze registratie</dt>" in html
    assert re.search(r"</dt><dd[^>]*>4 \(geregistreerd 4\)</dd>", html), html
    linked = [int(i) for i in re.findall(r'href="/signalen/(\d+)"', html)]
    about = [signals[k].id for k in ("registered", "registered_bik", "closed_bik", "uncertain_decided")]
    assert sorted(linked) == sorted(about)
    assert "Handmatig" in html  # the decided one
    assert html.count("Boven BIK</span>") == 2
    assert re.search(r"Incassokosten boven het BIK-maximum</dt><dd[^>]*>2 signalen", html)
    clone_suspect = signals["clone"]
    db.session.refresh(clone_suspect)
    assert f'href="/signalen/mogelijke-overtreders/{clone_suspect.suspect_id}">Noordkaap Incasso B.V.</a>' in html
    assert "Mogelijke klonen" in html
    assert f'/signalen/mogelijke-overtreders/{db.session.get(Signal, signals["unregistered"].id).suspect_id}"' not in html


def test_a_registration_without_signals(login_as, signals):
    html = panel_html(login_as(Role.HANDHAVER), "R2024-00002")
    assert "Er zijn geen signalen over deze registratie" in html


@pytest.mark.parametrize("role", [Role.VOORLICHTING, Role.BEHEERDER], ids=lambda r: r.value)
def test_only_the_signals_roles_see_the_panel(login_as, signals, role):
    assert panel_html(login_as(role)) is None


def test_the_latest_ten_in_a_constant_number_of_queries(app, mirror, login_as):
    user = login_as(Role.INSPECTEUR).user
    registered(datum_brief="2026-01-05")
    assert user.role_set  # loaded before counting
    clone()

    def run() -> tuple[Any, int]:
        with app.test_request_context(), counted_queries() as statements:
            result = panels.signals_panel(R1, None, user)
        return result, len(statements)

    few, few_queries = run()
    assert few.context["totaal"] == 1 and len(few.context["klonen"]) == 1
    for day in range(6, 18):
        registered(datum_brief=f"2026-01-{day:02d}")
    assert user.role_set
    many, many_queries = run()
    assert few_queries == many_queries == 3
    assert many.context["totaal"] == 13
    days = [row["peildatum"].day for row in many.context["laatste"]]
    assert days == list(range(17, 7, -1))  # the latest ten, newest first
