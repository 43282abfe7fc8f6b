"""Beheer: an administrator runs a job now and reads a register file in from the browser; both go through
the worker, and every page on the way passes axe (issue 10, "Smaller, from administrators' use")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.conftest import LiveServer, Ui
from tests.register.helpers import register_row, to_csv
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db

pytestmark = pytest.mark.browser


def _run_worker(live_server: LiveServer) -> None:
    from wki.core import worker

    with live_server.app.app_context():
        assert worker.run_one() is not None
        db.session.remove()


def test_run_a_job_now_after_confirming(ui: Ui, live_server: LiveServer) -> None:
    ui.sign_in(live_server.users[Role.BEHEERDER].email, then="/beheer/taken")
    # Housekeeping deletes data: its "Nu uitvoeren" leads to a confirmation first.
    ui.click(ui.page.get_by_role("link", name=re.compile(r"^Nu uitvoeren\W+Opschonen")))
    ui.shot("taak-nu-uitvoeren")
    ui.click(ui.page.get_by_role("button", name="Nu uitvoeren"))  # without the confirmation: refused
    assert "Vink aan dat u deze taak nu wilt uitvoeren." in ui.page.locator("main").inner_text()
    assert "/beheer/taken/housekeeping/uitvoeren" in ui.page.url  # nothing queued
    ui.page.get_by_label("Ik wil deze taak nu uitvoeren.").check()
    ui.click(ui.page.get_by_role("button", name="Nu uitvoeren"))
    assert "/beheer/werk/" in ui.page.url
    ui.shot("taak-in-de-wachtrij")
    _run_worker(live_server)
    ui.click(ui.page.get_by_role("link", name="Nu verversen"))
    main = ui.page.locator("main").inner_text()
    assert "Klaar" in main and "vastgelegd als" in main
    ui.click(ui.page.get_by_role("link", name="run ", exact=False))
    assert ui.heading().startswith("Run ") or "housekeeping" in ui.page.locator("main").inner_text()


def test_read_a_register_file_in_from_the_browser(ui: Ui, live_server: LiveServer) -> None:
    ui.sign_in(live_server.users[Role.BEHEERDER].email, then="/register/beheer/importeren")
    assert ui.heading()
    data = to_csv([register_row(n) for n in range(1, 6)])
    ui.page.get_by_label("Soort bestand").select_option("register")
    # A mistyped year: refused at once, nothing queued.
    ui.page.get_by_label("Snapshotdatum").fill((today_local() + timedelta(days=365 * 36)).isoformat())
    ui.page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": data}])
    ui.click(ui.page.get_by_role("button", name="Inlezen"))
    assert "ligt in de toekomst" in ui.page.locator("main").inner_text()
    ui.shot("register-bestand-toekomst")
    ui.page.get_by_label("Snapshotdatum").fill(today_local().isoformat())
    ui.page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": data}])
    ui.click(ui.page.get_by_role("button", name="Inlezen"))
    assert "/register/beheer/importeren/" in ui.page.url
    _run_worker(live_server)
    ui.click(ui.page.get_by_role("link", name="Nu verversen"))
    ui.shot("register-bestand-ingelezen", narrow=True)
    assert today_local().isoformat() not in ui.page.locator("main").inner_text()  # dates as people read them
    ui.click(ui.page.get_by_role("link", name="Naar snapshot", exact=False))
    assert "Snapshot" in ui.heading()
