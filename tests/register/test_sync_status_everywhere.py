"""One register sync status on every page that shows it (issue 10, "Smaller, from administrators' use").

Beheer's table of jobs said "nooit, te oud" (the scheduled job's own runs), the dashboard "0 te oud"
and the sync page "op tijd" at the same moment. All three now show ``register.services.sync_freshness``:
for the same state they show the same status and the same last successful sync.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from tests.dashboard.test_register_tiles import _status_tiles
from wki.core.clock import utcnow
from wki.core.formatting import fmt_datetime
from wki.core.jobs import JobRun
from wki.register import services
from wki.register.models import SnapshotKind, SyncOutcome


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _on_sync_page(client) -> tuple[str, str]:
    html = client.get("/register/beheer/synchronisaties").get_data(as_text=True)
    cell = re.search(r"Laatst geslaagd \(register\)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert cell, html
    status = re.search(r'wki-tag[^"]*">([^<]+)</span>', cell[1])[1]
    text = _text(cell[1])
    last = "nooit" if "Nog nooit geslaagd." in text else re.search(r"Laatst geslaagd: (.+?)\.", text)[1]
    return status, last


def _on_dashboard(client) -> tuple[str, str]:
    status, _, _, hint = _status_tiles(client.get("/").get_data(as_text=True))["Registersynchronisatie"]
    last = "nooit" if hint.startswith("Nog nooit geslaagd.") else re.match(r"Laatst geslaagd: (.+?)\.", hint)[1]
    return status, last


def _on_beheer(client) -> tuple[str, str]:
    html = client.get("/beheer/").get_data(as_text=True)
    row = re.search(r"<tr[^>]*>\s*<td[^>]*><a[^>]*>Register synchroniseren \(Justis\)</a></td>(.*?)</tr>", html, re.S)
    assert row, html
    cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]
    return cells[2], cells[0]


def _successful_run(*, hours_ago: float) -> None:
    run = services.record_run(kind=SnapshotKind.REGISTER, trigger="handmatig", source="bestand.csv",
                              started_at=utcnow(), outcome=SyncOutcome.APPLIED, message="Ingelezen.")
    run.finished_at = utcnow() - timedelta(hours=hours_ago)


@pytest.mark.parametrize("state", ["nooit", "recent", "oud"])
def test_the_three_pages_show_the_same_sync_status(admin_client, db_session, state):
    if state == "recent":
        _successful_run(hours_ago=1)  # an import by hand: the scheduled job itself never ran
    elif state == "oud":
        _successful_run(hours_ago=49)
        # The scheduled job succeeded just now, but the sync it ran was quarantined: the mirror is old.
        now = utcnow()
        db_session.add(JobRun(job_name="register-sync", trigger="schema", outcome="geslaagd", started_at=now,
                              finished_at=now))
    db_session.flush()

    status = services.sync_freshness()
    expected = ("Op tijd" if state == "recent" else "Te oud",
                "nooit" if state == "nooit" else fmt_datetime(status["last_success"]))
    assert (status["state"], status["label"]) == ({"nooit": "nooit", "recent": "op_tijd", "oud": "te_oud"}[state],
                                                  expected[0])
    assert _on_sync_page(admin_client) == expected
    assert _on_dashboard(admin_client) == expected
    assert _on_beheer(admin_client) == expected
    assert _in_scheduler_list(admin_client) == expected


def _in_scheduler_list(client) -> tuple[str, str]:
    """``flask scheduler list``'s line for the register sync: its last success and its state."""
    output = client.application.test_cli_runner().invoke(args=["scheduler", "list"]).output
    line = next(line for line in output.splitlines() if line.startswith("register-sync"))
    last, state = re.search(r"laatst geslaagd: (.+) \((te oud|op tijd)\)$", line).groups()
    return state.capitalize(), last


def test_the_dashboard_counts_a_sync_job_by_the_same_status(admin_client, db_session):
    """The "Taken te lang niet geslaagd" tile agrees: a recent import by hand makes the register sync fresh."""
    from tests.dashboard.test_register_tiles import _tiles

    before = _tiles(admin_client.get("/").get_data(as_text=True))["Taken te lang niet geslaagd"][0]
    _successful_run(hours_ago=1)
    db_session.flush()
    after = _tiles(admin_client.get("/").get_data(as_text=True))["Taken te lang niet geslaagd"][0]
    assert after == before - 1
