"""Beheer → Feestdagen en termijnen: the holidays of this year and next (computed), the days equated with a
holiday by decree (Atw art. 3 lid 3) that administrators add and remove (services refuse what changes
nothing, in Dutch, and audit what they do), and a calculator that explains a deadline. Dates by hand."""

from __future__ import annotations

import html
from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.audit_actions import EquatedDayAction
from wki.core.auth import Role
from wki.core.equated_days import (
    EquatedDay,
    add_equated_day,
    compute_with_calendar,
    equated_days,
    remove_equated_day,
)
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db

PAGE = "/beheer/feestdagen"
ADMIN = Actor.process("test")
DECREE = "Besluit van 1 maart 2026, Stb. 2026, 12"


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def in_2026(monkeypatch):
    monkeypatch.setattr("wki.admin.views.today_local", lambda: date(2026, 6, 1))


class TestServices:
    def test_adding_and_removing_a_day_changes_the_deadlines_and_is_audited(self, db_session):
        assert compute_with_calendar(date(2026, 5, 1), "2w").end == date(2026, 5, 15)
        row = add_equated_day(date(2026, 5, 15), "  Vrijdag na\tHemelvaartsdag ", f" {DECREE} ", actor=ADMIN)
        assert (row.name, row.source, row.created_by) == ("Vrijdag na Hemelvaartsdag", DECREE, "test")
        assert equated_days() == {date(2026, 5, 15): "Vrijdag na Hemelvaartsdag"}
        assert compute_with_calendar(date(2026, 5, 1), "2w").end == date(2026, 5, 18)
        (added,) = _events(EquatedDayAction.ADDED)
        assert added.object_type == "equated_day" and added.object_id == str(row.id)
        assert added.after == {"day": "2026-05-15", "name": "Vrijdag na Hemelvaartsdag", "source": DECREE}

        remove_equated_day(row.id, actor=ADMIN)
        assert equated_days() == {}
        assert compute_with_calendar(date(2026, 5, 1), "2w").end == date(2026, 5, 15)
        (removed,) = _events(EquatedDayAction.REMOVED)
        assert removed.before["day"] == "2026-05-15" and removed.before["source"] == DECREE
        with pytest.raises(NotFoundError, match="bestaat niet"):
            remove_equated_day(row.id, actor=ADMIN)

    @pytest.mark.parametrize(("day", "name", "source", "message"), [
        (date(2026, 5, 16), "Zaterdag", DECREE, "16 mei 2026 is een zaterdag"),
        (date(2026, 5, 17), "Zondag", DECREE, "17 mei 2026 is een zondag"),
        (date(2026, 5, 14), "Hemelvaart", DECREE, "al een feestdag (Hemelvaartsdag)"),
        (date(2026, 4, 3), "Goede Vrijdag", DECREE, "al een feestdag (Goede Vrijdag)"),
        (date(2024, 12, 27), "Kerst", DECREE, "al een feestdag (Dag gelijkgesteld"),  # built in
        (date(2026, 5, 15), "Vrijdag", "   ", "Vul de bron in"),
        (date(2026, 5, 15), "", DECREE, "Vul de naam van de dag in"),
        (date(2026, 5, 15), "x" * 201, DECREE, "te lang (hoogstens 200 tekens)"),
        (date(2026, 5, 15), "Vrijdag", "x" * 301, "te lang (hoogstens 300 tekens)"),
    ])
    def test_a_day_that_changes_nothing_or_lacks_its_decree_is_refused(self, db_session, day, name, source, message):
        with pytest.raises(ServiceError, match=message.replace("(", r"\(").replace(")", r"\)")):
            add_equated_day(day, name, source, actor=ADMIN)
        assert equated_days() == {}
        assert _events(EquatedDayAction.ADDED) == []

    def test_a_day_is_recorded_once(self, db_session):
        add_equated_day(date(2026, 12, 24), "Kerstavond", DECREE, actor=ADMIN)
        with pytest.raises(ServiceError, match="24 december 2026 is al als gelijkgestelde dag vastgelegd"):
            add_equated_day(date(2026, 12, 24), "Nog eens", DECREE, actor=ADMIN)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EquatedDay)) == 1


class TestPage:
    def test_lists_the_holidays_of_this_year_and_next(self, admin_client, in_2026):
        page = admin_client.get(PAGE)
        assert page.status_code == 200
        body = _text(page)
        assert "Feestdagen en gelijkgestelde dagen in 2026" in body
        assert "Feestdagen en gelijkgestelde dagen in 2027" in body
        for day, name in (("27 april 2026", "Koningsdag"), ("14 mei 2026", "Hemelvaartsdag"),
                          ("3 april 2026", "Goede Vrijdag"), ("6 mei 2027", "Hemelvaartsdag"),
                          ("29 maart 2027", "Tweede paasdag"), ("26 december 2027", "Tweede kerstdag")):
            assert f'<td class="utrecht-table__cell">{day}</td>\n    <td class="utrecht-table__cell">{name}' in body
        assert "Nog geen dagen vastgelegd." in body
        assert 'href="/beheer/feestdagen"' in admin_client.get("/beheer/").get_data(as_text=True)

    def test_an_administrator_adds_a_day_through_the_form(self, admin_client, in_2026):
        token = csrf_token(admin_client, PAGE)
        response = admin_client.post(PAGE, data={"csrf_token": token, "day": "15-05-2026",
                                                 "name": "Vrijdag na Hemelvaartsdag", "source": DECREE})
        assert response.status_code == 302
        assert equated_days() == {date(2026, 5, 15): "Vrijdag na Hemelvaartsdag"}
        (event,) = _events(EquatedDayAction.ADDED)
        assert event.actor_email == admin_client.user.email
        body = _text(admin_client.get(PAGE))
        assert "15 mei 2026 is vastgelegd" in body
        assert "Gelijkgesteld bij besluit (art. 3 lid 3)" in body and DECREE in body

    def test_a_refused_day_shows_the_reason_and_changes_nothing(self, admin_client, in_2026):
        token = csrf_token(admin_client, PAGE)
        response = admin_client.post(PAGE, data={"csrf_token": token, "day": "2026-04-27", "name": "Koning",
                                                 "source": DECREE})
        assert response.status_code == 200
        assert "27 april 2026 is al een feestdag (Koningsdag)" in _text(response)
        empty = admin_client.post(PAGE, data={"csrf_token": token, "day": "morgen", "name": "", "source": ""})
        body = _text(empty)
        assert "Vul een geldige datum in" in body and "Vul de bron in" in body
        assert equated_days() == {}

    def test_removing_asks_for_confirmation_first(self, admin_client, in_2026):
        row = add_equated_day(date(2026, 5, 15), "Vrijdag na Hemelvaartsdag", DECREE, actor=ADMIN)
        path = f"/beheer/feestdagen/{row.id}/verwijderen"
        assert f'href="{path}"' in admin_client.get(PAGE).get_data(as_text=True)
        confirm = admin_client.get(path)
        assert confirm.status_code == 200 and "Weet u het zeker?" in _text(confirm)
        assert equated_days() != {}
        response = admin_client.post(path, data={"csrf_token": csrf_token(admin_client, path), "confirm": "y"})
        assert response.status_code == 302
        assert equated_days() == {}
        assert admin_client.get(path).status_code == 404

    def test_the_calculator_explains_a_deadline_with_the_recorded_days(self, admin_client, in_2026):
        add_equated_day(date(2026, 5, 15), "Vrijdag na Hemelvaartsdag", DECREE, actor=ADMIN)
        body = _text(admin_client.get(PAGE, query_string={"datum": "2026-05-01", "termijn": "2w"}))
        assert "Laatste dag: 18 mei 2026" in body
        assert "<li>Gebeurtenis: vrijdag 1 mei 2026.</li>" in body
        assert "Vrijdag 15 mei 2026 is Vrijdag na Hemelvaartsdag" in body
        refused = _text(admin_client.get(PAGE, query_string={"datum": "2026-05-01", "termijn": "2 jaar"}))
        assert "‘2 jaar’ is geen termijn" in refused and "Laatste dag" not in refused
        missing = _text(admin_client.get(PAGE, query_string={"datum": "", "termijn": "6w"}))
        assert "Vul de datum van de gebeurtenis in" in missing

    def test_other_roles_are_refused(self, login_as):
        for role in (Role.INSPECTEUR, Role.HANDHAVER, Role.VOORLICHTING):
            assert login_as(role).get(PAGE).status_code == 403
