"""``flask worker run --processes N``: several worker processes side by side on one database; every item is
done exactly once, by more than one process (so a mailing's parts use both cores)."""

from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa

from tests.core.test_sequences import database_kinds, isolated_app
from wki.core import worker
from wki.core.extensions import db
from wki.core.worker import WorkItem, WorkStatus


def _which_process(ctx) -> dict:
    # Long work outside any transaction (as a mailing renders): on SQLite an open write transaction would
    # hold the database's write lock and the other process could claim nothing meanwhile.
    db.session.commit()
    time.sleep(0.3)
    return {"pid": os.getpid()}


@pytest.mark.parametrize("kind", database_kinds())
def test_pool_runs_every_item_once_in_several_processes(kind, tmp_path):
    worker.register_kind("test.pid", "Proef: welk proces", _which_process)
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            for n in range(6):
                worker.enqueue("test.pid", payload={"n": n})
            db.session.commit()
        processed = worker.run_worker_pool(app, processes=2, once=True, poll_seconds=0.1)
        with app.app_context():
            items = list(db.session.scalars(sa.select(WorkItem).where(WorkItem.kind == "test.pid")))
            assert processed == 6
            assert [i.status for i in items] == [WorkStatus.DONE] * 6
            assert all(i.attempts == 1 for i in items)
            pids = {i.result["pid"] for i in items}
            assert len(pids) == 2 and os.getpid() not in pids
            db.session.remove()


def test_cli_takes_the_number_of_processes(app):
    """``--processes`` is an option of ``flask worker run`` with a range check."""
    result = app.test_cli_runner().invoke(args=["worker", "run", "--once", "--processes", "0"])
    assert result.exit_code != 0 and "0" in result.output
