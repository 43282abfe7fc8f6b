"""Beheer → Taken → "Nu uitvoeren": a POST queues a ``jobs.run`` work item (once while it waits or runs), the
worker runs the job through the scheduler's own function, and the run is recorded like a scheduled one."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.helpers import redirected_id, run_worker_once
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.core.jobs import RUN_WORK, JobRun, run_job_now
from wki.core.worker import WorkItem, WorkStatus

REGROUP = "signals-regroup"  # changes no data beyond what the schedule recomputes: no confirmation
SYNC = "register-sync"  # changes the register: asks for confirmation


def _path(job: str) -> str:
    return f"/beheer/taken/{job}/uitvoeren"


def _post(client, job: str, *, token: str | None = None, confirm: bool = False):
    data = {"csrf_token": token or csrf_token(client, _path(job))}
    if confirm:
        data["bevestiging"] = "y"
    return client.post(_path(job), data=data)




def _job_runs(name: str) -> list[JobRun]:
    return list(db.session.scalars(sa.select(JobRun).where(JobRun.job_name == name).order_by(JobRun.id)))


def _items() -> list[WorkItem]:
    return list(db.session.scalars(sa.select(WorkItem).where(WorkItem.kind == RUN_WORK)))


class TestRunNow:
    def test_the_jobs_page_offers_run_now_for_each_job(self, admin_client):
        body = admin_client.get("/beheer/taken").get_data(as_text=True)
        # Without confirmation: a POST form right there; with: a link to the confirmation page.
        assert re.search(rf'<form method="post" action="{_path(REGROUP)}"', body)
        assert f'<a class="utrecht-link" href="{_path(SYNC)}">Nu uitvoeren' in body

    def test_double_submit_queues_once(self, admin_client):
        """A double click sends the same form twice: one work item, and both land on its page."""
        token = csrf_token(admin_client, _path(REGROUP))
        first = redirected_id(_post(admin_client, REGROUP, token=token), "/beheer/werk")
        second = redirected_id(_post(admin_client, REGROUP, token=token), "/beheer/werk")
        assert first == second
        assert len(_items()) == 1
        item = db.session.get(WorkItem, first)
        assert item.status == WorkStatus.QUEUED and item.payload["job"] == REGROUP
        assert item.created_by == admin_client.user.email
        page = admin_client.get(f"/beheer/werk/{first}")
        assert page.headers["Refresh"] == "3"
        assert "stond al in de wachtrij" in page.get_data(as_text=True)

    def test_the_worker_runs_the_job_and_records_it_like_a_scheduled_run(self, app, admin_client):
        scheduled = run_job_now(app, REGROUP, trigger="schema")
        item_id = redirected_id(_post(admin_client, REGROUP), "/beheer/werk")
        assert len(_job_runs(REGROUP)) == 1  # nothing run within the request

        assert "1 taak verwerkt." in run_worker_once(app)
        item = db.session.get(WorkItem, item_id)
        assert item.status == WorkStatus.DONE, (item.message, item.error)
        runs = _job_runs(REGROUP)
        assert len(runs) == 2
        manual = runs[-1]
        assert item.result["job_run_id"] == manual.id
        assert manual.trigger == "handmatig"  # as ``flask scheduler run-job`` records it
        assert (manual.outcome, manual.counts) == (scheduled.outcome, scheduled.counts) == ("geslaagd", manual.counts)
        assert manual.finished_at is not None and manual.error is None

        page = admin_client.get(f"/beheer/werk/{item_id}")
        assert "Refresh" not in page.headers
        assert f'href="/beheer/taken/{manual.id}"' in page.get_data(as_text=True)

        # Done: the key is free again, so the next click runs the job once more.
        assert redirected_id(_post(admin_client, REGROUP), "/beheer/werk") != item_id

    def test_a_failing_job_fails_the_item_with_the_same_outcome_as_a_scheduled_run(self, app, admin_client,
                                                                                      monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_SYNC_SOURCE", "/bestaat/niet/register.csv")
        scheduled = run_job_now(app, SYNC, trigger="schema")
        assert scheduled.outcome == "mislukt"
        item_id = redirected_id(_post(admin_client, SYNC, confirm=True), "/beheer/werk")
        run_worker_once(app)
        item = db.session.get(WorkItem, item_id)
        manual = db.session.get(JobRun, item.result["job_run_id"])
        assert item.status == WorkStatus.FAILED
        assert manual.outcome == scheduled.outcome == "mislukt" and manual.trigger == "handmatig"
        assert manual.error.split("\n")[0].split(":")[0] == scheduled.error.split("\n")[0].split(":")[0]
        assert f"de foutmelding staat bij run {manual.id}" in item.message
        assert f'href="/beheer/taken/{manual.id}"' in admin_client.get(f"/beheer/werk/{item_id}").get_data(as_text=True)

    def test_a_job_that_changes_data_asks_for_confirmation(self, admin_client):
        page = admin_client.get(_path(SYNC))
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "Deze taak wijzigt gegevens." in body
        refused = _post(admin_client, SYNC)
        assert refused.status_code == 200
        assert "Vink aan dat u deze taak nu wilt uitvoeren." in refused.get_data(as_text=True)
        assert _items() == []
        assert redirected_id(_post(admin_client, SYNC, confirm=True), "/beheer/werk")
        assert len(_items()) == 1

    def test_an_unknown_job_is_not_found(self, admin_client):
        assert admin_client.get(_path("bestaat-niet")).status_code == 404

    def test_csrf_is_required(self, admin_client):
        response = admin_client.post(_path(REGROUP), data={})
        assert response.status_code in (200, 400)
        assert _items() == []

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER])
    def test_others_are_refused(self, login_as, role):
        client = login_as(role)
        token = csrf_token(client, "/account/wachtwoord")
        assert client.post(_path(REGROUP), data={"csrf_token": token}).status_code == 403
        assert client.get(_path(REGROUP)).status_code == 403
        assert _items() == []


def test_a_run_cut_off_by_a_dead_worker_is_marked_and_run_again(app, db_session):
    """Taken over after a crash mid-job: the earlier run (still 'bezig', its work rolled back) is marked
    'afgebroken' and the job runs once more; a run that had finished is not done again."""
    from wki.core import worker
    from wki.core.clock import utcnow
    from wki.core.jobs import queue_run

    item, _ = queue_run(REGROUP, actor=Actor.process("beheerder@inspectie.example.nl"))
    cut_off = JobRun(job_name=REGROUP, trigger="handmatig", started_at=utcnow(), outcome="bezig")
    db.session.add(cut_off)
    db.session.flush()
    item.result = {"job_run_id": cut_off.id}
    db.session.commit()

    worker.run_one("tweede")
    db.session.expire_all()
    assert db.session.get(JobRun, cut_off.id).outcome == "afgebroken"
    assert db.session.get(WorkItem, item.id).status == WorkStatus.DONE
    again = db.session.get(WorkItem, item.id).result["job_run_id"]
    assert again != cut_off.id and db.session.get(JobRun, again).outcome == "geslaagd"
