"""The partner API: bearer tokens, a signal in as JSON and its verdict back, every error in Dutch JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from tests.helpers import make_iban
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals.models import Channel, PartnerToken, Signal, Verdict
from wki.signals.partner_tokens import issue_token, revoke_token

URL = "/api/v1/signalen"


def body(n: int = 1, **values: Any) -> dict[str, Any]:
    return {"referentie": f"GEM-{n:04d}", "ontvangen_op": "2026-03-10", "datum_brief": "2026-03-02",
            "naam_incassant": "Noordkaap Incasso B.V.", "kvk_nummer": "KvK 1000 0001", **values}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def partner(mirror) -> tuple[PartnerToken, str]:
    """A municipality's token (source ``gemeente``)."""
    return issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("beheerder@test"))


@pytest.fixture
def token(partner) -> str:
    return partner[1]


def post(client, token: str | None, payload: Any = None, *, data: bytes | str | None = None, **headers: str):
    if token is not None:
        headers.update(bearer(token))
    if data is None:
        return client.post(URL, json=payload, headers=headers)
    return client.post(URL, data=data, headers=headers, content_type="application/json")


def signal_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Signal))


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def messages(response) -> list[tuple[str | None, str]]:
    return [(e["veld"], e["melding"]) for e in response.get_json()["fouten"]]


# ---------------------------------------------------------------- the happy path


class TestCreate:
    def test_a_signal_is_stored_judged_and_audited(self, client, partner, token):
        record, _ = partner
        response = post(client, token, body(hoofdsom=1000, incassokosten="250,00"))
        assert response.status_code == 201, response.get_data(as_text=True)
        data = response.get_json()
        assert data["oordeel"] == Verdict.REGISTERED
        assert data["registratienummer"] == "R2024-00001"
        assert data["verdachte_id"] is None
        assert data["bron"] == "gemeente"  # the token's source
        assert data["referentie"] == "GEM-0001"
        assert data["score"] >= 90
        assert any("KvK-nummer 10000001" in line for line in data["toelichting"])
        assert data["bik_maximum"] == "150.00"  # 15% of 1,000
        assert data["bik_overschrijding"] == "68.50"  # 250.00 - 150.00 x 1.21
        assert response.headers["Location"] == "/api/v1/signalen/gemeente/GEM-0001"
        assert "Set-Cookie" not in response.headers  # no session for machine clients

        signal = db.session.get(Signal, data["id"])
        assert (signal.channel, signal.partner_token_id, signal.created_by) == (
            Channel.API, record.id, "partner:Gemeente Testdorp")
        assert signal.kvk == "10000001"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signaal.ontvangen",
                                                              AuditEvent.object_id == str(signal.id)))
        assert event.actor_email == "partner:Gemeente Testdorp"
        assert event.after["kanaal"] == Channel.API and event.after["partner"] == "Gemeente Testdorp"
        assert db.session.get(PartnerToken, record.id).last_used_at is not None

    def test_an_unregistered_collector_gets_its_suspect(self, client, token):
        response = post(client, token, body(naam_incassant="Snelgeld Inning B.V.", kvk_nummer=None,
                                            iban=make_iban(777)))
        assert response.status_code == 201
        data = response.get_json()
        assert data["oordeel"] == Verdict.UNREGISTERED
        assert data["registratienummer"] is None
        assert isinstance(data["verdachte_id"], int)
        assert data["bik_maximum"] is None and data["bik_overschrijding"] is None

    def test_the_signal_may_name_the_tokens_own_source(self, client, token):
        response = post(client, token, body(bron=" Gemeente "))
        assert response.status_code == 201
        assert response.get_json()["bron"] == "gemeente"
        assert response.headers["Location"].startswith("/api/v1/signalen/gemeente/")

    def test_amounts_as_numbers_keep_their_cents(self, client, token):
        response = post(client, token, body(hoofdsom=2500.10, incassokosten=12))
        assert response.status_code == 201
        signal = db.session.get(Signal, response.get_json()["id"])
        assert (str(signal.hoofdsom), str(signal.incassokosten)) == ("2500.10", "12.00")

    def test_null_is_the_same_as_leaving_a_field_out(self, client, token):
        response = post(client, token, body(website=None, bron=None))
        assert response.status_code == 201
        assert response.get_json()["bron"] == "gemeente"

    def test_no_csrf_token_and_no_session_needed(self, app, mirror, token):
        """The API is CSRF-exempt: a plain client with only the bearer token gets through."""
        response = app.test_client().post(URL, json=body(), headers=bearer(token))
        assert response.status_code == 201


# ---------------------------------------------------------------- authentication


class TestAuthentication:
    @pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic Z2VtZWVudGU6Z2VoZWlt",
                                        "Bearer wki_onbekend-token", "Bearer niet-eens-een-token"])
    def test_missing_or_unknown_token_is_refused(self, client, token, header):
        before = (signal_count(), audit_count())
        headers = {} if header is None else {"Authorization": header}
        response = client.post(URL, json=body(), headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="wki-signalen"')
        assert response.is_json
        [(field, message)] = messages(response)
        assert field is None and "token" in message.lower()
        assert (signal_count(), audit_count()) == before

    def test_unknown_token_is_named_in_the_challenge(self, client, token):
        response = post(client, "wki_" + "x" * 43, body())
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
        assert messages(response) == [(None, "Het token is onbekend of ingetrokken. Vraag de Inspectie om een "
                                             "nieuw token.")]

    def test_a_revoked_token_is_refused_at_once(self, client, partner, token):
        assert post(client, token, body(1)).status_code == 201
        revoke_token(partner[0].id, actor=Actor.process("beheerder@test"))
        db.session.flush()
        response = post(client, token, body(2))
        assert response.status_code == 401
        assert signal_count() == 1
        assert client.get(f"{URL}/gemeente/GEM-0001", headers=bearer(token)).status_code == 401

    def test_a_logged_in_session_is_no_token(self, login_as, mirror):
        staff = login_as(Role.BEHEERDER, Role.INSPECTEUR)
        response = staff.post(URL, json=body())
        assert response.status_code == 401
        assert staff.get(f"{URL}/gemeente/GEM-0001").status_code == 401
        assert signal_count() == 0


# ---------------------------------------------------------------- bad requests


class TestBadRequests:
    @pytest.mark.parametrize(("data", "expected"), [
        ("{", "De inhoud is geen geldige JSON (UTF-8)."),
        ('{"referentie": NaN}', "De inhoud is geen geldige JSON (UTF-8)."),
        (b'{"referentie": "\xff"}', "De inhoud is geen geldige JSON (UTF-8)."),
        ("[" * 30_000 + "]" * 30_000, "De inhoud is geen geldige JSON (UTF-8)."),  # deeper than the parser goes
        ("[1, 2]", "De inhoud moet een JSON-object zijn met de velden van het signaal."),
        ('"tekst"', "De inhoud moet een JSON-object zijn met de velden van het signaal."),
        ("", "Het verzoek is leeg; stuur een JSON-object met de velden van het signaal."),
    ])
    def test_a_body_that_is_not_a_json_object(self, client, token, data, expected):
        before = (signal_count(), audit_count())
        response = post(client, token, data=data)
        assert response.status_code == 400
        assert response.is_json
        assert messages(response) == [(None, expected)]
        assert (signal_count(), audit_count()) == before

    def test_unknown_keys_are_errors_and_every_problem_is_reported(self, client, token):
        payload = body(naam="Noordkaap", kvk_nummer=10000001, ontvangen_op="gisteren", hoofdsom="veel",
                       incassokosten=True)
        before = (signal_count(), audit_count())
        response = post(client, token, payload)
        assert response.status_code == 400
        found = dict(messages(response))
        assert found["naam"].startswith("‘naam’ is geen bekend veld. Bekende velden: referentie, ontvangen_op")
        assert found["kvk_nummer"] == "KvK-nummer moet tekst zijn."
        assert found["ontvangen_op"] == "Ontvangen op is geen datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)."
        assert found["hoofdsom"] == "Hoofdsom is geen bedrag."
        assert found["incassokosten"] == "Incassokosten moet een getal of tekst zijn, zoals 1234.56."
        assert (signal_count(), audit_count()) == before

    @pytest.mark.parametrize(("values", "field", "message"), [
        ({"referentie": ""}, "referentie", "Referentie is verplicht."),
        ({"ontvangen_op": "2999-01-01"}, "ontvangen_op", "Ontvangen op ligt in de toekomst."),
        ({"hoofdsom": -5}, "hoofdsom", "Hoofdsom moet een bedrag van 0 of meer zijn."),
        ({"hoofdsom": 1e300}, "hoofdsom", "Hoofdsom is onwaarschijnlijk hoog."),
        ({"incassokosten": 12.345}, "incassokosten", "Incassokosten heeft meer dan twee decimalen."),
        ({"naam_incassant": None, "kvk_nummer": None}, "naam_incassant", "Naam incassant is verplicht als"),
        ({"omschrijving": ["een", "lijst"]}, "omschrijving", "Omschrijving moet tekst zijn."),
    ])
    def test_a_wrong_value_is_a_dutch_field_error(self, client, token, values, field, message):
        response = post(client, token, body(**values))
        assert response.status_code == 400
        [(found_field, found_message)] = messages(response)
        assert found_field == field
        assert found_message.startswith(message)
        assert signal_count() == 0

    def test_a_key_twice_is_refused(self, client, token):
        data = json.dumps(body())[:-1] + ', "referentie": "ANDERS"}'
        response = post(client, token, data=data)
        assert response.status_code == 400
        assert messages(response) == [("referentie", "Het veld ‘referentie’ komt meer dan eens voor.")]

    def test_a_too_large_body_is_refused(self, client, token):
        response = post(client, token, body(omschrijving="x" * 70_000))
        assert response.status_code == 413
        assert messages(response) == [(None, "Het verzoek is groter dan 64 kB; stuur één signaal per verzoek.")]
        assert signal_count() == 0

    def test_a_long_field_is_refused_by_the_intake_rules(self, client, token):
        response = post(client, token, body(omschrijving="x" * 5001))
        assert response.status_code == 400
        assert messages(response) == [("omschrijving", "Omschrijving is langer dan 5000 tekens.")]

    def test_an_unexpected_error_is_json_and_stores_nothing(self, client, token, monkeypatch):
        def broken(*args, **kwargs):
            db.session.add(Signal(bron="gemeente", referentie="HALF", ontvangen_op=date(2026, 3, 1),
                                  channel=Channel.API, reference_date=date(2026, 3, 1)))
            db.session.flush()
            raise RuntimeError("stuk")

        monkeypatch.setattr("wki.signals.api.create_signal", broken)
        response = post(client, token, body())
        assert response.status_code == 500
        assert response.is_json
        assert messages(response)[0][1].startswith("Er is een onverwachte fout opgetreden.")
        assert signal_count() == 0

    def test_a_failed_request_does_not_record_the_token_as_used(self, client, partner, token):
        assert post(client, token, body(referentie="")).status_code == 400
        assert db.session.get(PartnerToken, partner[0].id).last_used_at is None


# ---------------------------------------------------------------- the token's source only (issue 10, item 2)


FOREIGN_SOURCE = ("bron", "Met dit token kunt u alleen signalen insturen met bron ‘gemeente’. Laat het veld "
                          "‘bron’ weg of geef ‘gemeente’; neem voor een andere bron contact op met de Inspectie.")


class TestOwnSourceOnly:
    @pytest.mark.parametrize("bron", ["schuldhulpverlener", "consument", "KVK", "buurman"])
    def test_another_source_is_refused_and_nothing_stored(self, client, partner, token, bron):
        before = (signal_count(), audit_count())
        response = post(client, token, body(bron=bron))
        assert response.status_code == 422
        assert messages(response) == [FOREIGN_SOURCE]
        assert (signal_count(), audit_count()) == before
        assert db.session.get(PartnerToken, partner[0].id).last_used_at is None  # rolled back like any error

    def test_another_sources_reference_cannot_be_probed_or_taken(self, client, token):
        """Known or not under another source: the same refusal, so the answer tells nothing; sent without a
        source it is the partner's own reference, which another source's does not block."""
        from wki.signals.recording import create_signal

        create_signal({**body(referentie="SHV-77"), "bron": "schuldhulpverlener"}, channel=Channel.FORM,
                      actor=Actor.process("inspecteur@test"))
        db.session.flush()
        known = post(client, token, body(referentie="SHV-77", bron="schuldhulpverlener"))
        unknown = post(client, token, body(referentie="SHV-78", bron="schuldhulpverlener"))
        assert (known.status_code, messages(known)) == (422, [FOREIGN_SOURCE])
        assert (unknown.status_code, messages(unknown)) == (422, [FOREIGN_SOURCE])
        own = post(client, token, body(referentie="SHV-77"))
        assert own.status_code == 201
        assert own.get_json()["bron"] == "gemeente"
        sources = db.session.scalars(sa.select(Signal.bron).where(Signal.referentie == "SHV-77").order_by(Signal.bron))
        assert list(sources) == ["gemeente", "schuldhulpverlener"]

    def test_one_collector_cannot_be_made_to_look_reported_by_many_sources(self, client, token):
        for n, bron in enumerate(["consument", "schuldhulpverlener", "toezichthouder", "anoniem"], start=1):
            assert post(client, token, body(n, bron=bron)).status_code == 422
        assert signal_count() == 0


# ---------------------------------------------------------------- duplicates


class TestDuplicates:
    def test_a_known_reference_is_a_conflict_and_changes_nothing(self, client, token):
        first = post(client, token, body(omschrijving="eerste melding"))
        assert first.status_code == 201
        before = (signal_count(), audit_count())
        again = post(client, token, body(naam_incassant="Heel Andere Naam", omschrijving="tweede melding"))
        assert again.status_code == 409
        assert messages(again) == [("referentie", "Referentie GEM-0001 van bron gemeente is al bekend; er is "
                                                  "niets gewijzigd.")]
        assert (signal_count(), audit_count()) == before
        signal = db.session.get(Signal, first.get_json()["id"])
        assert (signal.naam_incassant, signal.omschrijving) == ("Noordkaap Incasso B.V.", "eerste melding")

    def test_the_same_reference_from_another_source_is_another_signal(self, client, token):
        assert post(client, token, body()).status_code == 201
        _, other = issue_token("Toezichthouder Test", "toezichthouder", actor=Actor.process("beheerder@test"))
        response = post(client, other, body())
        assert response.status_code == 201
        assert response.get_json()["bron"] == "toezichthouder"

    def test_a_simultaneous_duplicate_meets_the_unique_constraint(self, client, token, monkeypatch):
        """Two requests with one reference at the same moment: both pass the check, the database refuses one."""
        assert post(client, token, body()).status_code == 201
        monkeypatch.setattr("wki.signals.recording.known_references", lambda keys: set())
        response = post(client, token, body(naam_incassant="Tweede Poging"))
        assert response.status_code == 409
        assert messages(response)[0][0] == "referentie"
        assert signal_count() == 1


# ---------------------------------------------------------------- reading a verdict


class TestRead:
    def test_a_partner_reads_its_own_signal(self, client, partner, token):
        created = post(client, token, body(referentie="GEM/2026/17")).get_json()
        db.session.execute(sa.update(PartnerToken).values(last_used_at=None))
        response = client.get(f"{URL}/gemeente/GEM/2026/17", headers=bearer(token))
        assert response.status_code == 200
        assert response.get_json() == created
        assert db.session.get(PartnerToken, partner[0].id).last_used_at is not None

    def test_the_location_header_leads_to_the_verdict(self, client, token):
        created = post(client, token, body(referentie="REF 12/A%"))
        assert created.status_code == 201
        response = client.get(created.headers["Location"], headers=bearer(token))
        assert response.status_code == 200
        assert response.get_json()["referentie"] == "REF 12/A%"

    def test_another_partners_signal_is_not_found(self, client, token):
        assert post(client, token, body()).status_code == 201
        _, other = issue_token("Andere Partner", "gemeente", actor=Actor.process("beheerder@test"))
        response = client.get(f"{URL}/gemeente/GEM-0001", headers=bearer(other))
        assert response.status_code == 404
        [(field, message)] = messages(response)
        assert field is None and "geen signaal met bron gemeente en referentie GEM-0001" in message

    def test_every_token_of_the_same_partner_reads_its_signals(self, client, token):
        assert post(client, token, body()).status_code == 201
        _, second = issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("beheerder@test"))
        assert client.get(f"{URL}/gemeente/GEM-0001", headers=bearer(second)).status_code == 200

    def test_a_signal_entered_by_staff_is_not_the_partners(self, client, token):
        from wki.signals.recording import create_signal

        create_signal({**body(), "bron": "gemeente"}, channel=Channel.FORM, actor=Actor.process("inspecteur@test"))
        db.session.flush()
        assert client.get(f"{URL}/gemeente/GEM-0001", headers=bearer(token)).status_code == 404

    def test_a_persons_decision_wins_and_its_reason_stays_inside(self, client, token):
        from wki.signals.decisions import decide_verdict

        created = post(client, token, body()).get_json()
        decide_verdict(created["id"], verdict=Verdict.UNCERTAIN, registratienummer=None,
                       reason="Interne notitie: navragen bij de KvK", actor=Actor.process("inspecteur@test"))
        db.session.flush()
        data = client.get(f"{URL}/gemeente/GEM-0001", headers=bearer(token)).get_json()
        assert data["oordeel"] == Verdict.UNCERTAIN
        assert data["registratienummer"] is None
        assert data["toelichting"] == ["Dit oordeel is vastgesteld door een inspecteur van de Inspectie."]
        assert "Interne notitie" not in json.dumps(data)


class TestApiIsForMachines:
    def test_unknown_url_and_method_answer_json(self, client, token):
        missing = client.get("/api/v1/bestaat-niet", headers=bearer(token))
        assert missing.status_code == 404 and missing.is_json
        assert missing.get_json()["fouten"][0]["melding"]
        wrong = client.delete("/api/v1/signalen", headers=bearer(token))
        assert wrong.status_code == 405 and wrong.is_json

    def test_a_stale_browser_session_does_not_redirect_the_api(self, token, login_as):
        browser = login_as(Role.INSPECTEUR)
        with browser.session_transaction() as session:
            session["login_at"] = 0  # the person's session is long expired
        response = post(browser, token, body(1))
        assert response.status_code == 201, response.get_data(as_text=True)
