"""Beheer → overview: account counts, failed jobs and the freshness of every job."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.jobs import JobRun


def test_shows_failed_jobs_of_the_last_day_and_job_freshness(admin_client, db_session):
    now = utcnow()
    db_session.add_all([
        JobRun(job_name="housekeeping", trigger="schema", outcome="mislukt", started_at=now - timedelta(hours=2),
               finished_at=now - timedelta(hours=2), error="stuk"),
        JobRun(job_name="housekeeping", trigger="schema", outcome="afgebroken", started_at=now - timedelta(hours=3),
               finished_at=now - timedelta(hours=3)),
        JobRun(job_name="housekeeping", trigger="schema", outcome="mislukt", started_at=now - timedelta(days=3),
               finished_at=now - timedelta(days=3)),
    ])
    db_session.flush()
    response = admin_client.get("/beheer/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert re.search(r'wki-tile__count">2</span>\s*<span class="wki-tile__label">Mislukte taken \(24 uur\)', body)
    assert "Vraagt aandacht" in body  # not colour alone
    assert "/beheer/taken?uitkomst=mislukt" in body
    assert "Te oud" in body  # housekeeping never succeeded


@pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER])
def test_non_admins_are_refused(login_as, role):
    assert login_as(role).get("/beheer/").status_code == 403
