"""Large bulk files and "Nu opnieuw beoordelen" go to the worker: queued by the page (once, however often
the form is sent), done by ``flask worker run --once``, followed on a progress page that refreshes itself
and links to the result; a file taken over after a crash stores nothing twice."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.helpers import redirected_id, run_worker_once
from tests.signals.helpers import signal_row, signals_csv
from wki.core import worker
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.core.worker import WorkItem, WorkStatus
from wki.signals import imports
from wki.signals.imports import import_in_background
from wki.signals.models import Signal, SignalImport, Verdict
from wki.signals.recording import create_signal
from wki.signals.rematch import stale_count

ROWS = 30


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


@pytest.fixture
def small_threshold(app, monkeypatch):
    """Files over 10 lines go to the worker (2,000 by default)."""
    monkeypatch.setitem(app.config, "SIGNAL_IMPORT_SYNC_MAX_ROWS", 10)


def _file(rows: int = ROWS, **first: str) -> bytes:
    return signals_csv([signal_row(1, **first), *(signal_row(n) for n in range(2, rows + 1))])


def _upload(client, data: bytes, *, skip: bool = False, token: str | None = None, **kwargs):
    form = {"csrf_token": token or csrf_token(client, "/signalen/importeren"),
            "bestand": (io.BytesIO(data), "groot.csv")}
    if skip:
        form["overslaan"] = "y"
    return client.post("/signalen/importeren", data=form, content_type="multipart/form-data", **kwargs)




def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_a_small_file_is_still_read_within_the_request(mirror, inspector):
    response = _upload(inspector, _file(5))
    assert re.fullmatch(r"/signalen/importeren/\d+", response.headers["Location"])
    assert _count(WorkItem) == 0 and _count(Signal) == 5


def test_the_size_decides_too(app, monkeypatch):
    with app.app_context():
        monkeypatch.setitem(app.config, "SIGNAL_IMPORT_SYNC_MAX_BYTES", 100)
        assert import_in_background(b"x" * 101)
        assert not import_in_background(b"x" * 100)
        monkeypatch.setitem(app.config, "SIGNAL_IMPORT_SYNC_MAX_BYTES", 10**6)
        assert not import_in_background(b"a\n" * 2000)
        assert import_in_background(b"a\n" * 2001)


def test_a_large_file_is_queued_and_read_by_the_worker(app, mirror, inspector, small_threshold):
    response = _upload(inspector, _file(naam_incassant="Noordkaap Incasso"))
    item_id = redirected_id(response, "/signalen/werk")
    assert _count(Signal) == 0  # nothing read within the request

    page = inspector.get(f"/signalen/werk/{item_id}")
    html = text_of(page)
    assert page.status_code == 200
    assert page.headers["Refresh"] == "3" and page.headers["Cache-Control"] == "no-store"
    assert re.search(r'<div[^>]*role="status"[^>]*aria-live="polite"', html)
    assert "groot.csv staat in de wachtrij" in plain(html)
    assert "In de wachtrij" in plain(html) and "Nu verversen" in html

    assert "1 taak verwerkt." in run_worker_once(app)
    item = db.session.get(WorkItem, item_id)
    assert item.status == WorkStatus.DONE and item.input_data is None
    record = db.session.get(SignalImport, item.result["import_id"])
    assert record.counts == {"nieuw": ROWS, "dubbel": 0, "ongeldig": 0} == item.result["counts"]
    assert record.created_by == inspector.user.email and record.file_name == "groot.csv"
    assert _count(Signal) == ROWS
    assert stale_count() == 0  # judged, all of them
    assert db.session.scalar(sa.select(Signal.auto_verdict).where(Signal.referentie == "MLD-00001")) == \
        Verdict.REGISTERED

    done = inspector.get(f"/signalen/werk/{item_id}")
    text = plain(text_of(done))
    assert "Refresh" not in done.headers
    assert f"groot.csv is ingelezen: {ROWS} nieuw, 0 dubbel, 0 overgeslagen." in text
    assert f'href="/signalen/importeren/{record.id}"' in text_of(done)


def test_sending_the_same_file_again_queues_nothing_more(app, mirror, inspector, small_threshold):
    """A double click sends the form twice (the same token and file): one item, one import."""
    data = _file()
    token = csrf_token(inspector, "/signalen/importeren")
    first = redirected_id(_upload(inspector, data, token=token), "/signalen/werk")
    second = _upload(inspector, data, token=token)
    assert redirected_id(second, "/signalen/werk") == first
    assert "was al aangeboden" in plain(text_of(inspector.get(f"/signalen/werk/{first}")))
    assert _count(WorkItem) == 1
    run_worker_once(app)
    # And again after it is done: the same item, showing its result; nothing imported twice.
    assert redirected_id(_upload(inspector, data), "/signalen/werk") == first
    assert _count(SignalImport) == 1 and _count(Signal) == ROWS
    # With the other choice (skip invalid rows) it is another request: queued, and all duplicates.
    other = redirected_id(_upload(inspector, data, skip=True), "/signalen/werk")
    assert other != first
    run_worker_once(app)
    assert db.session.get(WorkItem, other).result["counts"] == {"nieuw": 0, "dubbel": ROWS, "ongeldig": 0}


def test_a_rejected_file_shows_why_on_its_page(app, mirror, inspector, small_threshold):
    item_id = redirected_id(_upload(inspector, _file(ontvangen_op="gisteren")), "/signalen/werk")
    run_worker_once(app)
    item = db.session.get(WorkItem, item_id)
    assert item.status == WorkStatus.FAILED and item.message.startswith("Het bestand is niet ingelezen")
    assert _count(Signal) == 0 and _count(SignalImport) == 0
    page = text_of(inspector.get(f"/signalen/werk/{item_id}"))
    assert "Mislukt" in page and "Het bestand is niet ingelezen: 1 regel met fouten" in plain(page)
    assert "1 fout" in plain(page) and "gisteren" in page


def test_a_worker_that_dies_while_judging_stores_nothing_twice(app, mirror, inspector, small_threshold,
                                                               monkeypatch):
    """Killed after the signals were committed (step 1), before they were judged: the next worker only
    judges; one import, each signal once."""
    item_id = redirected_id(_upload(inspector, _file()), "/signalen/werk")

    class Killed(BaseException):
        pass

    def dies(**kwargs):
        raise Killed

    monkeypatch.setattr(imports, "match_signals", dies)
    with app.app_context(), pytest.raises(Killed):
        worker.run_one("eerste")
    db.session.expire_all()
    item = db.session.get(WorkItem, item_id)
    assert item.status == WorkStatus.QUEUED and "import_id" in item.result
    assert (item.progress_done, item.progress_total) == (1, 2)
    assert _count(Signal) == ROWS and stale_count() == ROWS  # stored, not yet judged

    monkeypatch.undo()
    monkeypatch.setitem(app.config, "SIGNAL_IMPORT_SYNC_MAX_ROWS", 10)
    run_worker_once(app)
    item = db.session.get(WorkItem, item_id)
    # Stopped (not killed outright) the item went back to the queue at once, not counted as an attempt.
    assert item.status == WorkStatus.DONE and item.attempts == 1
    assert _count(SignalImport) == 1 and _count(Signal) == ROWS and stale_count() == 0
    assert item.result["counts"] == {"nieuw": ROWS, "dubbel": 0, "ongeldig": 0}


def test_the_progress_page_shows_the_step(app, mirror, inspector, small_threshold):
    item_id = redirected_id(_upload(inspector, _file()), "/signalen/werk")
    db.session.execute(sa.update(WorkItem).where(WorkItem.id == item_id).values(
        status=WorkStatus.RUNNING, progress_done=1, progress_total=2, progress_note="Signalen beoordelen"))
    html = text_of(inspector.get(f"/signalen/werk/{item_id}"))
    assert "Stap 2 van 2: signalen beoordelen." in plain(html)
    assert re.search(r'<progress[^>]*max="2" value="1"', html)


def test_only_signal_work_is_shown_here_and_only_to_the_signals_roles(app, mirror, login_as, small_threshold):
    inspector = login_as(Role.INSPECTEUR)
    item_id = redirected_id(_upload(inspector, _file()), "/signalen/werk")
    assert login_as(Role.HANDHAVER).get(f"/signalen/werk/{item_id}").status_code == 200
    assert login_as(Role.VOORLICHTING).get(f"/signalen/werk/{item_id}").status_code == 403
    assert inspector.get(f"/signalen/werk/{item_id + 1000}").status_code == 404


# ---------------------------------------------------------------- re-assessment


def test_rematch_is_queued_once_and_done_by_the_worker(app, mirror, inspector):
    signal = create_signal(signal_row(1, naam_incassant="Noordkaap Incasso"), channel="formulier",
                           actor=Actor.process("t"))
    db.session.execute(sa.update(Signal).where(Signal.id == signal.id).values(register_state="ouder"))
    token = csrf_token(inspector, "/signalen/")
    first = inspector.post("/signalen/herbeoordelen", data={"csrf_token": token})
    item_id = redirected_id(first, "/signalen/werk")
    assert redirected_id(inspector.post("/signalen/herbeoordelen", data={"csrf_token": token}), "/signalen/werk") == item_id
    assert stale_count() == 1
    page = plain(text_of(inspector.get(f"/signalen/werk/{item_id}")))
    assert "Signalen opnieuw beoordelen" in page and "was al aangevraagd" in page

    run_worker_once(app)
    assert stale_count() == 0
    page = plain(text_of(inspector.get(f"/signalen/werk/{item_id}")))
    assert "1 signaal is opnieuw beoordeeld tegen de huidige stand van het register; bij 0 is de uitkomst " \
           "veranderd." in page
    # Done: the key is free again; with nothing waiting, the button says so and queues nothing.
    again = inspector.post("/signalen/herbeoordelen", data={"csrf_token": token}, follow_redirects=True)
    assert "Er wachten geen signalen op herbeoordeling" in plain(text_of(again))
    assert _count(WorkItem) == 1
