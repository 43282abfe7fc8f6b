"""The register's dashboard tiles: expiring registrations for every role, the mirror's health for beheer."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from tests.register.helpers import load, register_row
from wki.core.auth import Role
from wki.core.clock import today_local, utcnow
from wki.register import services
from wki.register.models import SnapshotKind, SyncOutcome

TODAY = today_local()


def _tiles(html: str) -> dict[str, tuple[int, str, bool, str | None]]:
    """label -> (count, link, attention, hint) for every tile on the page."""
    found = {}
    for m in re.finditer(r'<li class="wki-tile( wki-tile--attention)?">\s*<a class="wki-tile__link" href="([^"]+)">\s*'
                         r'<span class="wki-tile__count">(\d+)</span>\s*<span class="wki-tile__label">([^<]+)</span>'
                         r'\s*</a>\s*(?:<p class="wki-tile__hint">([^<]*)</p>)?', html):
        found[m[4]] = (int(m[3]), unescape(m[2]), bool(m[1]), m[5])
    return found


def _status_tiles(html: str) -> dict[str, tuple[str, str, bool, str | None]]:
    """label -> (status, link, attention, hint) for every tile that shows a status instead of a count."""
    found = {}
    for m in re.finditer(r'<li class="wki-tile( wki-tile--attention)?">\s*<a class="wki-tile__link" href="([^"]+)">\s*'
                         r'<span class="wki-tile__count">([^<\d][^<]*)</span>\s*<span class="wki-tile__label">([^<]+)'
                         r'</span>\s*</a>\s*(?:<p class="wki-tile__hint">([^<]*)</p>)?', html):
        found[m[4]] = (m[3], unescape(m[2]), bool(m[1]), m[5])
    return found


@pytest.fixture
def expiring(db_session) -> None:
    """One registration expiring in 10 days, one in 45, one past geldig_tot, one far off, one struck off."""
    def row(n: int, days: int, **kw):
        return register_row(n, geldig_tot=(TODAY + timedelta(days=days)).isoformat(), **kw)

    load([row(1, 10), row(2, 45), row(3, -3), row(4, 300),
          row(5, 5, status="doorgehaald", datum_einde=(TODAY - timedelta(days=1)).isoformat())], TODAY)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_expiry_tiles_count_and_link_to_the_filtered_list(login_as, expiring, role):
    tiles = _tiles(login_as(role).get("/").get_data(as_text=True))
    assert tiles["Registraties verlopen binnen 30 dagen"][:3] == (
        1, "/register/?verloop=30&sorteer=geldig_tot", True)
    assert tiles["Registraties verlopen binnen 60 dagen"][:2] == (2, "/register/?verloop=60&sorteer=geldig_tot")
    assert tiles["Geldigheid verstreken zonder verlenging"][:3] == (
        1, "/register/?verloop=verstreken&sorteer=geldig_tot", True)


def test_the_tile_link_shows_the_counted_registrations(login_as, expiring):
    client = login_as(Role.INSPECTEUR)
    url = _tiles(client.get("/").get_data(as_text=True))["Registraties verlopen binnen 60 dagen"][1]
    body = client.get(url).get_data(as_text=True)
    assert re.findall(r'href="/register/(R2024-\d{5})"', body) == ["R2024-00001", "R2024-00002"]


def test_non_administrators_see_no_mirror_health(login_as, db_session):
    tiles = _tiles(login_as(Role.INSPECTEUR, Role.HANDHAVER).get("/").get_data(as_text=True))
    assert "Snapshots in quarantaine" not in tiles
    assert "Registersynchronisatie" not in tiles and "Registersynchronisatie" not in _status_tiles(
        login_as(Role.INSPECTEUR, Role.HANDHAVER).get("/").get_data(as_text=True))


def test_administrator_sees_quarantine_and_a_sync_that_never_ran(admin_client, db_session):
    load([register_row(n) for n in range(1, 11)], TODAY - timedelta(days=1))
    load([register_row(1)], TODAY)  # removes nine of ten: quarantined
    tiles = _tiles(admin_client.get("/").get_data(as_text=True))
    assert tiles["Snapshots in quarantaine"][:3] == (1, "/register/beheer/snapshots?status=quarantaine", True)
    status, link, attention, hint = _status_tiles(admin_client.get("/").get_data(as_text=True))[
        "Registersynchronisatie"]
    assert (status, link, attention) == ("Te oud", "/register/beheer/synchronisaties", True)
    assert hint.startswith("Nog nooit geslaagd.")


def test_a_recent_successful_sync_is_not_stale(admin_client, db_session):
    services.record_run(kind=SnapshotKind.REGISTER, trigger="schema", source="bron", started_at=utcnow(),
                        outcome=SyncOutcome.IDENTICAL, message="Ongewijzigd.")
    tiles = _tiles(admin_client.get("/").get_data(as_text=True))
    assert tiles["Snapshots in quarantaine"][0] == 0
    status, _, attention, hint = _status_tiles(admin_client.get("/").get_data(as_text=True))[
        "Registersynchronisatie"]
    assert (status, attention) == ("Op tijd", False)
    assert hint.startswith("Laatst geslaagd: ")
    assert "Termijn: 48 uur." in hint


def test_an_old_sync_is_stale(admin_client, db_session):
    run = services.record_run(kind=SnapshotKind.REGISTER, trigger="schema", source="bron", started_at=utcnow(),
                              outcome=SyncOutcome.APPLIED, message="Ingelezen.")
    run.finished_at = utcnow() - timedelta(hours=49)
    db_session.flush()
    assert _status_tiles(admin_client.get("/").get_data(as_text=True))["Registersynchronisatie"][:3] == (
        "Te oud", "/register/beheer/synchronisaties", True)


def test_the_register_tiles_are_added_once(app):
    from wki.core.features import DASHBOARD, registry
    from wki.register.tiles import register_tiles

    assert registry(app).providers[DASHBOARD].count(register_tiles) == 1
