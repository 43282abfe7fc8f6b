"""The fine pages: who may read and who may change, entering a dated amount (audited), four-eyes confirmation,
rejection, bad input answered in Dutch with nothing changed, and the try-out calculation."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.auth.helpers import location
from tests.conftest import csrf_token
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.enforcement.fines import FineCategory, FinePolicyRule

INDEX = "/handhaving/boetes"
NEW_CATEGORY = "/handhaving/boetes/categorieen/nieuw"
NEW_RULE = "/handhaving/boetes/beleid/nieuw"
CALCULATE = "/handhaving/boetes/berekenen"


def text(response) -> str:
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split()))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def unconfirmed_category() -> FineCategory:
    return db.session.scalar(sa.select(FineCategory).where(FineCategory.confirmed.is_(False))
                             .order_by(FineCategory.id).limit(1))


def post(client, url: str, data: dict, form_page: str = INDEX):
    return client.post(url, data={"csrf_token": csrf_token(client, form_page), **data})


class TestReading:
    def test_a_handhaver_reads_the_tables_marked_but_gets_no_actions(self, login_as):
        client = login_as(Role.HANDHAVER)
        page = client.get(INDEX)
        assert page.status_code == 200
        body = text(page)
        assert "Vanaf 1 januari 2018" in body and "Vanaf 1 januari 2024" in body
        assert "Nog niet bevestigd" in body and "Bevestigd" in body
        assert "Stb. 2017, 433" in body
        assert "Plaatshouder van het team" in body
        assert "Bevestigen" not in body and "Bedrag van een categorie invoeren" not in body

    def test_a_handhaver_cannot_change_anything(self, login_as):
        client = login_as(Role.HANDHAVER)
        row = unconfirmed_category()
        assert client.get(NEW_CATEGORY).status_code == 403
        response = post(client, f"/handhaving/boetes/categorieen/{row.id}/bevestigen", {})
        assert response.status_code == 403
        assert db.session.get(FineCategory, row.id).confirmed is False

    def test_an_administrator_sees_the_actions(self, login_as):
        body = text(login_as(Role.BEHEERDER).get(INDEX))
        assert "Bevestigen" in body and "Afwijzen" in body and "Bedrag van een categorie invoeren" in body


class TestEntering:
    def test_an_administrator_enters_a_dated_amount_audited_and_unconfirmed(self, login_as):
        client = login_as(Role.BEHEERDER)
        response = post(client, NEW_CATEGORY, {"category": "3", "amount": "12.000,00", "valid_from": "2030-01-01",
                                               "source": "Stb. 2029, 1"}, NEW_CATEGORY)
        assert response.status_code == 302 and location(response).startswith(INDEX + "#")
        row = db.session.scalar(sa.select(FineCategory).where(FineCategory.valid_from == date(2030, 1, 1)))
        assert (row.category, row.amount, row.confirmed, row.created_by) == (3, Decimal(12000), False,
                                                                               client.user.email)
        [event] = events("boete.categorie_toegevoegd")
        assert event.actor_email == client.user.email and event.after["bedrag"] == "12000.00"
        assert "andere beheerder moet het bevestigen" in text(client.get(INDEX))

    @pytest.mark.parametrize(("data", "message"), [
        ({"amount": "veel"}, "Vul een bedrag in, zoals 1234,50."),
        ({"amount": "0"}, "Vul het bedrag in tussen"),
        ({"valid_from": "31-02-2030"}, "Ongeldige datum."),
        ({"source": ""}, "Geef de bron."),
        ({"category": "9"}, "Not a valid choice"),
    ])
    def test_bad_input_is_answered_in_dutch_and_nothing_changes(self, login_as, data, message):
        client = login_as(Role.BEHEERDER)
        before = count(FineCategory)
        values = {"category": "3", "amount": "12000", "valid_from": "2030-01-01", "source": "Stb.", **data}
        response = post(client, NEW_CATEGORY, values, NEW_CATEGORY)
        assert response.status_code == 200
        body = text(response)
        assert "Er is een probleem" in body
        if message != "Not a valid choice":  # WTForms' own message, in Dutch through its translations
            assert message in body
        assert count(FineCategory) == before
        assert events("boete.categorie_toegevoegd") == []

    def test_a_second_amount_for_a_date_is_refused_at_its_field(self, login_as):
        client = login_as(Role.BEHEERDER)
        before = count(FineCategory)
        response = post(client, NEW_CATEGORY, {"category": "1", "amount": "999", "valid_from": "2024-01-01",
                                               "source": "Stb."}, NEW_CATEGORY)
        assert response.status_code == 200
        assert "al een bedrag vanaf 1 januari 2024" in text(response)
        assert count(FineCategory) == before

    def test_a_policy_rule_is_entered_with_its_date(self, login_as):
        client = login_as(Role.BEHEERDER)
        response = post(client, NEW_RULE, {"code": "recidive", "value": "75", "valid_from": "2030-01-01",
                                           "source": "Stcrt. 2029, 9"}, NEW_RULE)
        assert response.status_code == 302
        row = db.session.scalar(sa.select(FinePolicyRule).where(FinePolicyRule.valid_from == date(2030, 1, 1)))
        assert (row.code, row.value, row.kind, row.unit, row.confirmed) == ("recidive", Decimal(75), "aanpassing",
                                                                            "pct", False)
        assert len(events("boete.beleidsregel_toegevoegd")) == 1


class TestFourEyes:
    def test_the_one_who_entered_it_cannot_confirm_another_administrator_can(self, login_as):
        author, colleague = login_as(Role.BEHEERDER), login_as(Role.BEHEERDER)
        post(author, NEW_CATEGORY, {"category": "2", "amount": "6000", "valid_from": "2030-01-01",
                                    "source": "Stb. 2029, 1"}, NEW_CATEGORY)
        row = db.session.scalar(sa.select(FineCategory).where(FineCategory.valid_from == date(2030, 1, 1)))
        confirm = f"/handhaving/boetes/categorieen/{row.id}/bevestigen"
        assert "U voerde dit in" in text(author.get(INDEX))

        response = post(author, confirm, {})
        assert response.status_code == 302
        assert "een andere beheerder moet het bevestigen (vier ogen)" in text(author.get(INDEX))
        assert db.session.get(FineCategory, row.id).confirmed is False
        assert events("boete.categorie_bevestigd") == []

        response = post(colleague, confirm, {})
        assert response.status_code == 302
        db.session.refresh(row)
        assert row.confirmed and row.confirmed_by == colleague.user.email
        assert [e.actor_email for e in events("boete.categorie_bevestigd")] == [colleague.user.email]

    def test_rejecting_needs_a_reason(self, login_as):
        client = login_as(Role.BEHEERDER)
        row = unconfirmed_category()
        reject = f"/handhaving/boetes/categorieen/{row.id}/afwijzen"
        post(client, reject, {"reason": ""})
        assert "Geef aan waarom het bedrag onjuist is." in text(client.get(INDEX))
        assert db.session.get(FineCategory, row.id).rejected_at is None
        post(client, reject, {"reason": "bedrag klopt niet met het Staatsblad"})
        db.session.refresh(row)
        assert row.rejected_at is not None and row.rejection_reason == "bedrag klopt niet met het Staatsblad"
        assert "Afgewezen" in text(client.get(INDEX))
        assert len(events("boete.categorie_afgewezen")) == 1

    def test_an_unknown_row_is_not_found(self, login_as):
        client = login_as(Role.BEHEERDER)
        assert post(client, "/handhaving/boetes/categorieen/999999/bevestigen", {}).status_code == 404


class TestTryOut:
    def test_seeded_unconfirmed_amounts_are_refused_in_dutch(self, login_as):
        client = login_as(Role.HANDHAVER)
        response = client.get(CALCULATE, query_string={"on": "2026-03-01", "provision": "wki_13"})
        assert response.status_code == 200
        assert "nog niet bevestigd door een beheerder" in text(response)
        assert "Uitkomst" not in text(response)

    def test_trying_with_unconfirmed_amounts_shows_every_step_and_a_warning(self, login_as):
        """Seeded 2026 values: wki_13 base 5.000 + recidive 50% = 7.500; the seeded 3rd category caps above it."""
        client = login_as(Role.HANDHAVER)
        response = client.get(CALCULATE, query_string={"on": "2026-03-01", "provision": "wki_13", "legal_person": "y",
                                                       "recidive": "y", "allow_unconfirmed": "y"})
        body = text(response)
        assert "Uitkomst: € 7.500,00" in body
        for label in ("Basisbedrag", "Recidive", "Verminderde verwijtbaarheid", "Duur van de overtreding",
                      "Draagkracht", "Wettelijk maximum", "Afronding"):
            assert label in body
        assert "nog niet door een beheerder zijn bevestigd" in body

    def test_a_natural_person_is_refused_the_higher_category(self, login_as):
        client = login_as(Role.HANDHAVER)
        response = client.get(CALCULATE, query_string={"on": "2026-03-01", "provision": "wki_13",
                                                       "higher_category": "y", "higher_category_reason": "ernstig",
                                                       "allow_unconfirmed": "y"})
        body = text(response)
        assert "natuurlijk persoon" in body and "Er is een probleem" in body
        assert "Uitkomst" not in body

    def test_the_empty_form_shows_today(self, login_as):
        response = login_as(Role.BEHEERDER).get(CALCULATE)
        assert response.status_code == 200
        assert "Berekenen" in text(response)
