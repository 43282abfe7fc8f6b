"""Register → Beheer → "Bestand inlezen": an administrator uploads a register or exempt-list file; it is
checked at once, queued as ``register.import`` (once per file, list and date while it waits or runs) and
read in by ``flask worker run --once`` through the same service as ``flask register import``."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.helpers import redirected_id, run_worker_once
from tests.register.conftest import D1, D2, count, current_values, empty_mirror, mirror_state
from tests.register.helpers import exempt_csv, exempt_row, load, register_row, to_csv
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.core.worker import WorkItem, WorkStatus
from wki.register.models import (
    ExemptPartyVersion,
    RegisterSnapshot,
    RegisterSyncRun,
    SnapshotKind,
    SnapshotStatus,
    SyncOutcome,
)
from wki.register.services import UPLOAD_WORK

PATH = "/register/beheer/importeren"


def _upload(client, data: bytes, *, name: str = "register.csv", kind: str = SnapshotKind.REGISTER, day=D1,
            token: str | None = None):
    form = {"csrf_token": token or csrf_token(client, PATH), "soort": kind, "snapshotdatum": day.isoformat(),
            "bestand": (io.BytesIO(data), name)}
    return client.post(PATH, data=form, content_type="multipart/form-data")




def _items() -> list[WorkItem]:
    return list(db.session.scalars(sa.select(WorkItem).where(WorkItem.kind == UPLOAD_WORK)))


def _snapshots() -> list[RegisterSnapshot]:
    return list(db.session.scalars(sa.select(RegisterSnapshot).order_by(RegisterSnapshot.id)))


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _outcome(snapshot: RegisterSnapshot, run: RegisterSyncRun) -> tuple:
    """What an import produced, without ids, times and who: the part the CLI and the upload must share."""
    return (snapshot.kind, snapshot.snapshot_date, snapshot.status, snapshot.sha256, snapshot.counts,
            snapshot.file_format, snapshot.file_name, run.trigger, run.outcome, run.counts, run.sha256)


@pytest.fixture
def mirror_empty(db_session):
    empty_mirror()


ROWS = [register_row(n) for n in range(1, 6)]


class TestUpload:
    def test_imports_through_the_worker_and_produces_the_cli_snapshot(self, app, admin_client, cli, tmp_path,
                                                                        mirror_empty):
        data = to_csv(ROWS)
        path = tmp_path / "register.csv"
        path.write_bytes(data)
        result = cli.invoke(args=["register", "import", str(path), "--snapshot-date", D1.isoformat()])
        assert result.exit_code == 0, result.output
        [by_cli] = _snapshots()
        cli_run = db.session.scalar(sa.select(RegisterSyncRun))
        expected, expected_values = _outcome(by_cli, cli_run), current_values()
        empty_mirror()

        item_id = redirected_id(_upload(admin_client, data), PATH)
        assert _snapshots() == []  # nothing read within the request
        waiting = admin_client.get(f"{PATH}/{item_id}")
        assert waiting.headers["Refresh"] == "3" and "staat in de wachtrij" in _plain(waiting.get_data(as_text=True))

        assert "1 taak verwerkt." in run_worker_once(app)
        item = db.session.get(WorkItem, item_id)
        assert item.status == WorkStatus.DONE, (item.message, item.error)
        [snapshot] = _snapshots()
        run = db.session.get(RegisterSyncRun, item.result["sync_run_id"])
        assert _outcome(snapshot, run) == expected
        assert current_values() == expected_values and len(expected_values) == 5
        assert snapshot.created_by == admin_client.user.email == run.actor_email
        assert run.source == "upload: register.csv"

        page = admin_client.get(f"{PATH}/{item_id}")
        html = page.get_data(as_text=True)
        assert "Refresh" not in page.headers
        assert "is ingelezen" in _plain(html)
        assert f'href="/register/beheer/snapshots/{snapshot.id}"' in html
        assert f'href="/register/beheer/synchronisaties/{run.id}"' in html

    def test_the_exempt_list_too(self, app, admin_client, mirror_empty):
        item_id = redirected_id(_upload(admin_client, exempt_csv([exempt_row(1), exempt_row(2)]), name="vrij.csv",
                                   kind=SnapshotKind.EXEMPT), PATH)
        run_worker_once(app)
        assert db.session.get(WorkItem, item_id).status == WorkStatus.DONE
        assert count(ExemptPartyVersion) == 2
        assert [s.kind for s in _snapshots()] == [SnapshotKind.EXEMPT]

    def test_beheers_page_of_the_work_links_to_the_registers_own_outcome_page(self, app, admin_client, mirror_empty):
        """The kind declares its result page (``register_kind(result_link=...)``); Beheer names no feature's page."""
        item_id = redirected_id(_upload(admin_client, exempt_csv([exempt_row(1)]), name="vrij.csv",
                                   kind=SnapshotKind.EXEMPT), PATH)
        run_worker_once(app)
        page = admin_client.get(f"/beheer/werk/{item_id}").get_data(as_text=True)
        assert f'href="{PATH}/{item_id}">Naar de uitkomst van het inlezen</a>' in page

    def test_double_submit_imports_once(self, app, admin_client, mirror_empty):
        data = to_csv(ROWS)
        token = csrf_token(admin_client, PATH)
        first = redirected_id(_upload(admin_client, data, token=token), PATH)
        second = redirected_id(_upload(admin_client, data, token=token), PATH)
        assert first == second and len(_items()) == 1
        assert "was al aangeboden" in _plain(admin_client.get(f"{PATH}/{first}").get_data(as_text=True))
        run_worker_once(app)
        assert len(_snapshots()) == 1

        # Sent again once done: queued, and recognised by the import itself; still one snapshot.
        again = redirected_id(_upload(admin_client, data), PATH)
        assert again != first
        run_worker_once(app)
        assert db.session.get(WorkItem, again).result["uitkomst"] == SyncOutcome.IDENTICAL
        assert len(_snapshots()) == 1

    def test_a_malformed_file_is_refused_at_once_and_changes_nothing(self, admin_client, mirror_empty):
        before = mirror_state()
        response = _upload(admin_client, b"dit is geen register\nmaar gewoon tekst\n")
        assert response.status_code == 200
        text = _plain(response.get_data(as_text=True))
        assert "ontbreekt" in text or "kolom" in text.lower(), text[:800]
        assert "Er is niets gewijzigd." in text
        assert _items() == [] and _snapshots() == []
        assert mirror_state() == before

    def test_a_file_of_another_type_is_refused(self, admin_client, mirror_empty):
        response = _upload(admin_client, to_csv(ROWS), name="register.xlsx")
        assert response.status_code == 200
        assert "Kies een CSV-bestand (.csv)" in response.get_data(as_text=True)
        assert _items() == []

    def test_bad_rows_fail_in_the_worker_with_the_dutch_message_and_no_snapshot(self, app, admin_client,
                                                                                 mirror_empty):
        before = current_values()
        data = to_csv([register_row(1), register_row(2, iban="NL00GEEN0000000000")])
        item_id = redirected_id(_upload(admin_client, data), PATH)
        run_worker_once(app)
        item = db.session.get(WorkItem, item_id)
        assert item.status == WorkStatus.FAILED
        assert item.message == "Het bestand bevat 1 fout(en) en is niet ingelezen; er is niets gewijzigd."
        assert _snapshots() == [] and current_values() == before
        run = db.session.get(RegisterSyncRun, item.result["sync_run_id"])
        assert run.outcome == SyncOutcome.REJECTED and run.trigger == "import"  # recorded as the CLI records it
        html = admin_client.get(f"{PATH}/{item_id}").get_data(as_text=True)
        assert "niet ingelezen; er is niets gewijzigd" in html and "1 fout" in _plain(html)

    def test_a_date_before_the_mirror_is_refused_at_once(self, admin_client, mirror_empty):
        load(ROWS, D2)
        response = _upload(admin_client, to_csv(ROWS), day=D1)
        assert response.status_code == 200
        assert "ligt vóór de laatst ingelezen snapshot" in response.get_data(as_text=True)
        assert _items() == []

    def test_a_date_in_the_future_is_refused_at_once(self, admin_client, mirror_empty):
        from datetime import timedelta

        from wki.core.clock import today_local

        response = _upload(admin_client, to_csv(ROWS), day=today_local() + timedelta(days=365 * 36))
        assert response.status_code == 200
        assert "ligt in de toekomst" in response.get_data(as_text=True)
        assert _items() == []

    def test_a_quarantined_file_links_to_its_quarantine_page(self, app, admin_client, mirror_empty):
        load([register_row(n) for n in range(1, 11)], D1)
        item_id = redirected_id(_upload(admin_client, to_csv([register_row(1)]), day=D2), PATH)
        run_worker_once(app)
        item = db.session.get(WorkItem, item_id)
        assert item.status == WorkStatus.DONE and item.result["uitkomst"] == SyncOutcome.QUARANTINED
        snapshot = db.session.get(RegisterSnapshot, item.result["snapshot_id"])
        assert snapshot.status == SnapshotStatus.QUARANTINED
        html = admin_client.get(f"{PATH}/{item_id}").get_data(as_text=True)
        assert f'href="/register/beheer/snapshots/{snapshot.id}"' in html and "in quarantaine" in html

    def test_the_form_offers_today(self, admin_client):
        from wki.core.clock import today_local

        page = admin_client.get(PATH)
        assert page.status_code == 200
        assert f'value="{today_local().isoformat()}"' in page.get_data(as_text=True)

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER])
    def test_others_are_refused(self, login_as, role, mirror_empty):
        client = login_as(role)
        token = csrf_token(client, "/account/wachtwoord")
        assert client.get(PATH).status_code == 403
        response = client.post(PATH, data={"csrf_token": token, "soort": "register", "snapshotdatum": D1.isoformat(),
                                           "bestand": (io.BytesIO(to_csv(ROWS)), "r.csv")},
                               content_type="multipart/form-data")
        assert response.status_code == 403
        assert _items() == []


def test_a_snapshot_date_in_the_future_is_refused_and_changes_nothing(db_session):
    """A mistyped year would make every later sync older than the mirror, and so refused."""
    from datetime import timedelta

    from wki.core.clock import today_local
    from wki.register.models import RegisterSnapshot
    from wki.register.services import SnapshotRejected, import_snapshot

    before = db_session.scalar(sa.select(sa.func.count()).select_from(RegisterSnapshot))
    with pytest.raises(SnapshotRejected, match="ligt in de toekomst"):
        import_snapshot("register", b"irrelevant", snapshot_date=today_local() + timedelta(days=30), actor=Actor.process("t"))
    assert db_session.scalar(sa.select(sa.func.count()).select_from(RegisterSnapshot)) == before
