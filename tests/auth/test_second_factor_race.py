"""Throttling of the second factor under parallel attempts (issue 10, "Smaller, from administrators' use").

The password step counts an attempt before it checks the password (test_lockout_race.py); the code
step must do the same, or thirty wrong codes sent at once all get checked before any was counted.
As in test_lockout_race.py the requests run in threads with their own connections, so the user is
committed for real and removed afterwards, and audit events are not written.

The race shows on PostgreSQL; on SQLite, whose writers take turns, the test runs all the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests.auth.helpers import CODE_URL, LOCK_MESSAGE_START, page_text, post_login
from tests.auth.helpers import committed_user as committed
from tests.conftest import csrf_token
from wki.auth import services
from wki.auth.models import User
from wki.core import audit
from wki.core.extensions import db

PARALLEL = 30
EMAIL = "parallel.codes@inspectie.example.nl"


@pytest.fixture
def committed_totp_user(app, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(audit, "record", lambda *args, **kwargs: None)
    with committed(app, EMAIL, "Parallel Codes", totp=True) as user_id:
        yield user_id


def test_parallel_wrong_codes_get_at_most_the_limit_of_checks(app, committed_totp_user, monkeypatch):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    clients = [app.test_client() for _ in range(PARALLEL)]
    for c in clients:  # each passes the password step, one after the other: a code is pending
        response = post_login(c, EMAIL, environ_base={"REMOTE_ADDR": "10.78.0.1"})
        assert response.status_code == 302 and response.headers["Location"].endswith(CODE_URL)
    tokens = [csrf_token(c, CODE_URL) for c in clients]

    checks: list[int] = []
    real_match = services._match_totp

    def counting_match(secret, code, last_counter):
        checks.append(1)
        time.sleep(0.05)  # widens the window between checking and counting, as a slow request would
        return real_match(secret, code, last_counter)

    monkeypatch.setattr(services, "_match_totp", counting_match)
    start = threading.Barrier(PARALLEL)
    responses: list = [None] * PARALLEL

    def attempt(i: int) -> None:
        start.wait()
        responses[i] = clients[i].post(CODE_URL, data={"csrf_token": tokens[i], "code": "000000"})

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(r is not None and r.status_code in (200, 302) for r in responses)
    assert len(checks) <= limit, f"{len(checks)} code checks against a limit of {limit}"
    with app.app_context():
        assert services.is_locked(db.session.get(User, committed_totp_user))
        db.session.remove()
    # Locked: the next code is refused before it is checked. (Which attempts came last, and so which clients
    # still have a code pending, depends on the database's scheduling: take one that has.)
    client = next(c for c in clients if c.get(CODE_URL).status_code == 200)
    checked = len(checks)
    refused = client.post(CODE_URL, data={"csrf_token": csrf_token(client, CODE_URL), "code": "000000"},
                          follow_redirects=True)
    assert LOCK_MESSAGE_START in page_text(refused)
    assert len(checks) == checked
