"""Throttling under parallel attempts (security review, issue 10, finding 8).

Thirty wrong passwords sent at once for one account must get at most the limit of password checks,
not as many as happen to pass the check before any failure was counted. The requests run in threads,
each with its own connection, so this test cannot use the rolled-back ``db_session``: it commits its
user for real and removes it (and its failures) afterwards. Audit events are not written here, since
the audit trail is append-only and other tests count events in it.

The race shows on PostgreSQL (before the fix: 16 checks against a limit of 5). On SQLite, whose
writers take turns, it did not show even before the fix; the test runs there all the same (not
skipped: CI counts a skip as a failure) and checks the same limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests.auth.helpers import LOCK_MESSAGE_START, LOGIN_URL, page_text
from tests.auth.helpers import committed_user as committed
from tests.conftest import PASSWORD, csrf_token
from wki.auth import services
from wki.auth.models import User
from wki.core import audit
from wki.core.extensions import db

PARALLEL = 30
EMAIL = "parallel.gokken@inspectie.example.nl"


@pytest.fixture
def committed_user(app, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(audit, "record", lambda *args, **kwargs: None)
    with committed(app, EMAIL, "Parallel Gokken") as user_id:
        yield user_id


def test_parallel_wrong_passwords_get_at_most_the_limit_of_checks(app, committed_user, monkeypatch):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    checks: list[int] = []
    real_verify = services._verify_password

    def counting_verify(user, password):
        if user is not None:
            checks.append(1)
            time.sleep(0.05)  # what a production argon2 check costs, roughly: the window of the race
        return real_verify(user, password)

    monkeypatch.setattr(services, "_verify_password", counting_verify)
    clients = [app.test_client() for _ in range(PARALLEL)]
    tokens = [csrf_token(c, LOGIN_URL) for c in clients]
    start = threading.Barrier(PARALLEL)
    responses: list = [None] * PARALLEL

    def attempt(i: int) -> None:
        start.wait()
        # Each from its own address, so only the per-account limit is at stake.
        responses[i] = clients[i].post(LOGIN_URL, data={"csrf_token": tokens[i], "email": EMAIL,
                                                        "password": f"wrong-password-{i}"},
                                       environ_base={"REMOTE_ADDR": f"10.77.0.{i + 1}"})

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(r is not None and r.status_code == 200 for r in responses)
    assert len(checks) <= limit, f"{len(checks)} password checks against a limit of {limit}"
    assert sum(LOCK_MESSAGE_START in page_text(r) for r in responses) >= PARALLEL - limit
    with app.app_context():
        assert services.is_locked(db.session.get(User, committed_user))
        db.session.remove()
    # Locked: now the right password is refused too.
    client = app.test_client()
    refused = client.post(LOGIN_URL, data={"csrf_token": csrf_token(client, LOGIN_URL), "email": EMAIL,
                                           "password": PASSWORD})
    assert LOCK_MESSAGE_START in page_text(refused)
