"""Beheer → Taken: the recorded runs of the scheduled jobs, and one run with its error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.core.jobs import JobRun


@pytest.fixture
def runs(db_session) -> dict[str, JobRun]:
    now = utcnow()
    made = {
        "ok": JobRun(job_name="housekeeping", trigger="schema", outcome="geslaagd", started_at=now - timedelta(hours=3),
                     finished_at=now - timedelta(hours=3) + timedelta(seconds=2), counts={"mislukte_aanmeldingen_verwijderd": 7}),
        "fout": JobRun(job_name="housekeeping", trigger="handmatig", outcome="mislukt", started_at=now - timedelta(hours=1),
                       finished_at=now - timedelta(hours=1), error="RuntimeError: <de bron> gaf geen antwoord\n\nTraceback ..."),
    }
    db.session.add_all(made.values())
    db.session.flush()
    return made


class TestJobRunsPage:
    def test_lists_runs_with_outcome_trigger_and_counts(self, admin_client, runs):
        response = admin_client.get("/beheer/taken")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert f"housekeeping #{runs['ok'].id}" in body
        assert f"housekeeping #{runs['fout'].id}" in body
        assert "Geslaagd" in body and "Mislukt" in body
        assert "handmatig" in body
        assert "mislukte aanmeldingen verwijderd: 7" in body
        assert body.index(f"#{runs['fout'].id}<") < body.index(f"#{runs['ok'].id}<")  # newest first

    def test_shows_the_freshness_of_each_job(self, admin_client, runs):
        body = admin_client.get("/beheer/taken").get_data(as_text=True)
        assert "Laatste geslaagde run per taak" in body
        assert "Op tijd" in body  # the success 3 hours ago is within 48 hours

    def test_filters_by_outcome(self, admin_client, runs):
        body = admin_client.get("/beheer/taken?uitkomst=mislukt").get_data(as_text=True)
        assert f"#{runs['fout'].id}<" in body
        assert f"#{runs['ok'].id}<" not in body

    def test_filters_by_job(self, admin_client, runs):
        body = admin_client.get("/beheer/taken?taak=housekeeping").get_data(as_text=True)
        assert f"#{runs['ok'].id}<" in body

    def test_an_unknown_outcome_gives_a_dutch_error(self, admin_client, runs):
        body = admin_client.get("/beheer/taken?uitkomst=onzin").get_data(as_text=True)
        assert "Kies een uitkomst uit de lijst." in body
        assert "Not a valid" not in body

    def test_without_runs(self, admin_client):
        body = admin_client.get("/beheer/taken").get_data(as_text=True)
        assert "Nog geen runs." in body
        assert "nooit" in body and "Te oud" in body

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER])
    def test_non_admins_are_refused(self, login_as, runs, role):
        c = login_as(role)
        assert c.get("/beheer/taken").status_code == 403
        assert c.get(f"/beheer/taken/{runs['fout'].id}").status_code == 403

    def test_anonymous_users_are_sent_to_log_in(self, client, runs):
        assert client.get("/beheer/taken").status_code == 302
        assert client.get(f"/beheer/taken/{runs['fout'].id}").status_code == 302


class TestJobRunDetail:
    def test_shows_the_error_escaped(self, admin_client, runs):
        response = admin_client.get(f"/beheer/taken/{runs['fout'].id}")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Foutmelding" in body
        assert "RuntimeError: &lt;de bron&gt; gaf geen antwoord" in body
        assert "<de bron>" not in body
        assert "Mislukt" in body and "handmatig" in body

    def test_a_successful_run_shows_its_counts_and_no_error(self, admin_client, runs):
        body = admin_client.get(f"/beheer/taken/{runs['ok'].id}").get_data(as_text=True)
        assert "mislukte_aanmeldingen_verwijderd" in body
        assert "Foutmelding" not in body

    def test_a_running_job_has_no_end_yet(self, admin_client, db_session):
        run = JobRun(job_name="housekeeping", trigger="schema", outcome="bezig", started_at=utcnow())
        db_session.add(run)
        db_session.flush()
        response = admin_client.get(f"/beheer/taken/{run.id}")
        assert response.status_code == 200
        assert "Bezig" in response.get_data(as_text=True)

    def test_unknown_run_is_404(self, admin_client, runs):
        assert admin_client.get(f"/beheer/taken/{runs['ok'].id + 1000}").status_code == 404
