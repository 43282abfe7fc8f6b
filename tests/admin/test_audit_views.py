"""Beheer → Audittrail: searching the trail and exporting it as CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from wki.core.audit import CSV_COLUMNS, AuditEvent
from wki.core.auth import Role
from wki.core.clock import today_local, utcnow
from wki.core.extensions import db


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body[1:], newline=""), delimiter=";"))


def _exports() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit.geexporteerd")))


class TestAuditPage:
    def test_lists_events_with_before_and_after(self, admin_client, audit_event_at):
        audit_event_at(utcnow(), action="pagina.zichtbaar", actor_email="iemand@inspectie.example.nl",
                       object_type="dossier", object_id="77", before={"status": "open"}, after={"status": "dicht"})
        response = admin_client.get("/beheer/audit")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "pagina.zichtbaar" in body
        assert "iemand@inspectie.example.nl" in body
        assert "dossier 77" in body
        assert "dicht" in body

    def test_filters_by_user_action_object_and_period(self, admin_client, audit_event_at):
        audit_event_at(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), action="pagina.filter",
                       actor_email="a@inspectie.example.nl", object_type="dossier", object_id="treffer-1")
        audit_event_at(datetime(2026, 3, 28, 22, 30, tzinfo=UTC), action="pagina.filter",
                       actor_email="a@inspectie.example.nl", object_type="dossier", object_id="mis-dag")
        audit_event_at(datetime(2026, 3, 29, 10, 0, tzinfo=UTC), action="pagina.filter",
                       actor_email="b@inspectie.example.nl", object_type="dossier", object_id="mis-gebruiker")
        audit_event_at(datetime(2026, 3, 29, 10, 0, tzinfo=UTC), action="pagina.anders",
                       actor_email="a@inspectie.example.nl", object_type="dossier", object_id="mis-actie")
        response = admin_client.get("/beheer/audit", query_string={
            "gebruiker": "a@inspectie", "actie": "pagina.filter", "objecttype": "dossier",
            "van": "2026-03-29", "tot": "2026-03-29",
        })
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "treffer-1" in body
        for missing in ("mis-dag", "mis-gebruiker", "mis-actie"):
            assert missing not in body

    def test_filters_by_object_id(self, admin_client, audit_event_at):
        audit_event_at(utcnow(), action="pagina.object", object_type="dossier", object_id="4711")
        audit_event_at(utcnow(), action="pagina.object", object_type="dossier", object_id="4712")
        body = admin_client.get("/beheer/audit?object_id=4711").get_data(as_text=True)
        assert "dossier 4711" in body
        assert "dossier 4712" not in body

    def test_paginates_fifty_per_page_keeping_the_filter(self, admin_client, audit_event_at):
        start = datetime(2026, 6, 1, 8, tzinfo=UTC)
        for i in range(55):
            audit_event_at(start + timedelta(minutes=i), action="pagina.veel", object_id=f"nr{i}")
        page1 = admin_client.get("/beheer/audit?actie=pagina.veel").get_data(as_text=True)
        assert page1.count(">pagina.veel</td>") == 50
        assert "Pagina 1 van 2" in page1
        assert "nr54<" in page1 and "nr4<" not in page1
        assert "pagina=2" in page1 and "actie=pagina.veel" in page1

        page2 = admin_client.get("/beheer/audit?actie=pagina.veel&pagina=2").get_data(as_text=True)
        assert page2.count(">pagina.veel</td>") == 5
        assert "nr4<" in page2 and "nr5<" not in page2

    def test_end_before_start_gives_a_dutch_error_and_no_results(self, admin_client, audit_event_at):
        audit_event_at(datetime(2026, 3, 5, 12, tzinfo=UTC), action="pagina.ongeldig")
        response = admin_client.get("/beheer/audit?van=2026-03-10&tot=2026-03-01")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "De einddatum ligt voor de begindatum." in body
        assert "pagina.ongeldig</td>" not in body
        assert "Geen gebeurtenissen gevonden" not in body  # no result table at all

    def test_an_unreadable_date_gives_a_dutch_error(self, admin_client):
        body = admin_client.get("/beheer/audit?van=29-03-2026x").get_data(as_text=True)
        assert "Vul een geldige datum in" in body
        assert "Not a valid" not in body

    @pytest.mark.parametrize("query", ["tot=9999-12-31", "van=0001-01-01"])
    def test_extreme_dates_give_a_dutch_error_not_a_crash(self, admin_client, query):
        """date.max + 1 day, or year 1 in UTC, would overflow while computing the day's bounds."""
        response = admin_client.get("/beheer/audit?" + query)
        assert response.status_code == 200
        assert "Vul een datum in tussen 1900 en 2999." in response.get_data(as_text=True)
        assert admin_client.get("/beheer/audit/export.csv?" + query).status_code == 400

    def test_an_unknown_action_gives_a_dutch_error(self, admin_client, audit_event_at):
        audit_event_at(utcnow(), action="pagina.bekend")
        body = admin_client.get("/beheer/audit?actie=bestaat.niet").get_data(as_text=True)
        assert "Kies een actie uit de lijst." in body
        assert "Not a valid" not in body
        assert "pagina.bekend</td>" not in body

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER])
    def test_non_admins_are_refused(self, login_as, role):
        assert login_as(role).get("/beheer/audit").status_code == 403

    def test_anonymous_users_are_sent_to_log_in(self, client):
        response = client.get("/beheer/audit")
        assert response.status_code == 302
        assert "/account/inloggen" in response.headers["Location"]


class TestAuditExport:
    def test_semicolon_csv_with_bom_header_and_json_values(self, admin_client, audit_event_at):
        evt = audit_event_at(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), action="export.inhoud",
                             actor_email="schrijver@inspectie.example.nl", object_type="dossier", object_id="export-1",
                             before={"status": "open"}, after={"status": "gesloten", "opmerking": "één; twee"},
                             ip_address="192.0.2.1")
        response = admin_client.get("/beheer/audit/export.csv?object_id=export-1")

        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.mimetype_params["charset"] == "utf-8"
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="audittrail-{today_local().isoformat()}.csv"')
        rows = _csv_rows(response)
        assert rows[0] == CSV_COLUMNS
        assert rows[1:] == [[
            str(evt.id), "2026-03-29T00:30:00+01:00", "schrijver@inspectie.example.nl", "export.inhoud", "dossier",
            "export-1", '{"status": "open"}', json.dumps({"opmerking": "één; twee", "status": "gesloten"},
                                                        ensure_ascii=False), "192.0.2.1",
        ]]
        assert json.loads(rows[1][7]) == {"status": "gesloten", "opmerking": "één; twee"}

    def test_honours_the_filter_oldest_first(self, admin_client, audit_event_at):
        second = audit_event_at(datetime(2026, 4, 2, 9, tzinfo=UTC), action="export.filter", actor_email="x@ijv.nl")
        first = audit_event_at(datetime(2026, 4, 1, 9, tzinfo=UTC), action="export.filter", actor_email="x@ijv.nl")
        audit_event_at(datetime(2026, 4, 1, 9, tzinfo=UTC), action="export.filter", actor_email="y@ijv.nl")
        audit_event_at(datetime(2026, 3, 1, 9, tzinfo=UTC), action="export.filter", actor_email="x@ijv.nl")
        response = admin_client.get("/beheer/audit/export.csv", query_string={
            "actie": "export.filter", "gebruiker": "x@", "van": "2026-04-01", "tot": "2026-04-30"})
        rows = _csv_rows(response)
        assert [r[0] for r in rows[1:]] == [str(first.id), str(second.id)]

    def test_the_search_forms_export_button_sends_every_field_even_empty(self, admin_client, audit_event_at):
        """The export button submits the search form, so empty fields arrive as ``name=``."""
        evt = audit_event_at(utcnow(), action="export.leeg")
        empty = {"gebruiker": "", "actie": "", "objecttype": "", "object_id": "", "van": "", "tot": ""}
        response = admin_client.get("/beheer/audit/export.csv", query_string=empty)
        assert response.status_code == 200
        assert str(evt.id) in [row[0] for row in _csv_rows(response)[1:]]
        assert _exports()[0].after == {}
        assert admin_client.get("/beheer/audit", query_string=empty).status_code == 200

    def test_the_export_itself_is_audited(self, admin_client, audit_event_at):
        audit_event_at(utcnow(), action="export.vastgelegd", object_id="e-9")
        response = admin_client.get("/beheer/audit/export.csv?object_id=e-9&van=2026-01-01")
        assert response.status_code == 200
        response.get_data()  # stream it to the end

        [export] = _exports()
        assert export.actor_email == admin_client.user.email
        assert export.actor_id == admin_client.user.id
        assert export.object_type == "audit"
        assert export.after == {"object_id": "e-9", "date_from": "2026-01-01"}
        assert export.ip_address == "127.0.0.1"

    def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(self, admin_client, audit_event_at):
        audit_event_at(utcnow(), action="export.formule", object_type="dossier",
                       object_id='=HYPERLINK("https://kwaadaardig.example")', actor_email="+31@ijv.nl")
        rows = _csv_rows(admin_client.get("/beheer/audit/export.csv?actie=export.formule"))
        assert rows[1][5] == "'=HYPERLINK(\"https://kwaadaardig.example\")"
        assert rows[1][2] == "'+31@ijv.nl"

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER])
    def test_non_admins_get_403_and_nothing_is_recorded(self, login_as, role):
        response = login_as(role).get("/beheer/audit/export.csv")
        assert response.status_code == 403
        assert "text/csv" not in response.content_type
        assert _exports() == []

    def test_invalid_filter_exports_nothing(self, admin_client):
        response = admin_client.get("/beheer/audit/export.csv?van=2026-03-10&tot=2026-03-01")
        assert response.status_code == 400
        assert response.mimetype == "text/html"
        assert "De einddatum ligt voor de begindatum." in response.get_data(as_text=True)
        assert _exports() == []
