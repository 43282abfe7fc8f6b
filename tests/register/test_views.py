"""The register pages: the list (search, filters, sort, pages, peildatum, export), a registration with
its identifiers and timeline, and the administrator's sync runs, snapshots and quarantine decisions."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.auth.helpers import use_fast_hashing
from tests.conftest import csrf_token
from tests.register.helpers import load, register_row
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.register import queries, services
from wki.register import views as register_views
from wki.register.models import RegisterSnapshot, SnapshotKind, SnapshotStatus, SyncOutcome
from wki.register.validation import REGISTER_COLUMNS

TODAY = today_local()
DAY1, DAY2, DAY3 = TODAY - timedelta(days=120), TODAY - timedelta(days=60), TODAY


def _iso(day: date) -> str:
    return day.isoformat()


def _rows() -> dict[int, dict[str, str]]:
    """Twelve agencies as the first snapshot had them; dates relative to today, so tests never age."""
    common = {"datum_inschrijving": _iso(TODAY - timedelta(days=400)), "geldig_tot": _iso(TODAY + timedelta(days=300))}
    rows = {
        1: register_row(1, naam="Noorderlicht Incasso B.V.", handelsnamen="Noorderlicht", plaats="Groningen",
                        **common),
        2: register_row(2, naam="Zuiderzee Vorderingen B.V.", handelsnamen="ZZV Collect", plaats="Maastricht",
                        **common),
        3: register_row(3, naam="Expirium Incasso B.V.", handelsnamen="", plaats="Utrecht",
                        **{**common, "geldig_tot": _iso(TODAY + timedelta(days=10))}),
        4: register_row(4, naam="Sextant Incasso B.V.", handelsnamen="", plaats="Utrecht",
                        **{**common, "geldig_tot": _iso(TODAY + timedelta(days=45))}),
        5: register_row(5, naam="Verstreken Beheer B.V.", handelsnamen="", plaats="Zwolle",
                        **{**common, "geldig_tot": _iso(TODAY - timedelta(days=5))}),
        6: register_row(6, naam="Vertrokken Incasso B.V.", handelsnamen="", plaats="Delft", **common),
    }
    for n in range(7, 13):
        rows[n] = register_row(n, naam=f"Vulbureau {n} B.V.", handelsnamen="", plaats="Amersfoort", **common)
    return rows


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: nearly every test here logs in."""
    use_fast_hashing(monkeypatch)


@pytest.fixture
def mirror(db_session) -> dict[int, dict[str, str]]:
    """Three snapshots: a trade name added (2), then one struck off and one gone from the register (3)."""
    rows = _rows()
    load(list(rows.values()), DAY1)
    rows[1] = {**rows[1], "handelsnamen": "Noorderlicht|NKI Collect"}
    load(list(rows.values()), DAY2)
    rows[2] = {**rows[2], "status": "doorgehaald", "datum_einde": _iso(TODAY - timedelta(days=10))}
    gone = rows.pop(6)
    load(list(rows.values()), DAY3)
    rows[6] = gone
    return rows


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


def _numbers(html: str) -> list[str]:
    """The registration numbers in the list, in the order shown."""
    return re.findall(r'href="/register/(R2024-\d{5})"', html)


def _nr(n: int) -> str:
    return f"R2024-{n:05d}"


def _approval(client, url: str) -> dict[str, str]:
    """A complete approval form, against the mirror the page showed its diff for."""
    body = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    basis = re.search(r'name="basis"[^>]*value="(-?\d+)"', body) or re.search(r'value="(-?\d+)"[^>]*name="basis"', body)
    assert basis, body
    return {"csrf_token": token, "basis": basis.group(1), "toelichting": "Nagegaan bij Justis.", "bevestiging": "y"}


def _quarantine(rows: dict[int, dict[str, str]]) -> RegisterSnapshot:
    """A file that would remove all but three registrations: held in quarantine."""
    result = load([rows[1], rows[3], rows[4]], TODAY)
    assert result.outcome == SyncOutcome.QUARANTINED
    return result.snapshot


# ---------------------------------------------------------------- the list


class TestRegisterList:
    def test_lists_the_current_register_sorted_by_name(self, inspector, mirror):
        response = inspector.get("/register/")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "<h1 class=\"nl-heading nl-heading--level-1\">Register</h1>" in body
        assert "11 registraties" in body  # the one that left is not in the current register
        shown = _numbers(body)
        assert _nr(6) not in shown
        assert shown[:3] == [_nr(3), _nr(1), _nr(4)]  # Expirium, Noorderlicht, Sextant
        assert "NKI Collect" in body  # trade names under the name
        assert 'aria-sort="ascending"' in body

    @pytest.mark.parametrize(("query", "expected"), [
        ("noorderlicht", [1]),  # name, any case
        ("NKI collect", [1]),  # trade name
        ("10000002", [2]),  # KvK number
        ("R2024-00004", [4]),  # registration number
        ("r2024-00004", [4]),
        ("utrecht", [3, 4]),  # place
        ("bestaat niet", []),
    ])
    def test_search_each_field(self, inspector, mirror, query, expected):
        body = inspector.get("/register/", query_string={"zoek": query}).get_data(as_text=True)
        assert sorted(_numbers(body)) == [_nr(n) for n in expected]
        if not expected:
            assert "Geen registraties gevonden." in body

    def test_filter_by_status(self, inspector, mirror):
        body = inspector.get("/register/?status=doorgehaald").get_data(as_text=True)
        assert _numbers(body) == [_nr(2)]
        assert "wki-tag--error\">Doorgehaald" in body

    @pytest.mark.parametrize(("expiry", "expected"), [("30", [3]), ("60", [3, 4]), ("verstreken", [5])])
    def test_filter_by_expiry(self, inspector, mirror, expiry, expected):
        body = inspector.get("/register/", query_string={"verloop": expiry}).get_data(as_text=True)
        assert sorted(_numbers(body)) == [_nr(n) for n in expected]

    def test_expiry_is_marked_in_the_list(self, inspector, mirror):
        body = inspector.get("/register/?zoek=verstreken").get_data(as_text=True)
        assert "wki-tag--error\">Verstreken" in body
        body = inspector.get("/register/?zoek=expirium").get_data(as_text=True)
        assert "Binnen 30 dagen" in body

    def test_sort_by_place_descending(self, inspector, mirror):
        body = inspector.get("/register/?sorteer=plaats&volgorde=af").get_data(as_text=True)
        shown = _numbers(body)
        assert shown[0] == _nr(5)  # Zwolle
        assert shown[-1] in {_nr(n) for n in range(7, 13)}  # Amersfoort
        assert 'aria-sort="descending"' in body
        assert "gesorteerd op plaats (aflopend)" in body

    def test_pages(self, inspector, mirror, monkeypatch):
        monkeypatch.setattr(register_views, "PER_PAGE", 5)
        first = inspector.get("/register/?zoek=b.v.").get_data(as_text=True)
        assert "Pagina 1 van 3" in first
        assert len(_numbers(first)) == 5
        assert 'href="/register/?pagina=2&amp;zoek=b.v.' in first or 'href="/register/?zoek=b.v.&amp;pagina=2' in first
        third = inspector.get("/register/?zoek=b.v.&pagina=3").get_data(as_text=True)
        assert len(_numbers(third)) == 1
        assert set(_numbers(first)).isdisjoint(_numbers(third))

    def test_peildatum_shows_a_past_state(self, inspector, mirror):
        past = DAY1 + timedelta(days=1)
        body = inspector.get("/register/", query_string={"peildatum": _iso(past)}).get_data(as_text=True)
        assert "U ziet het register zoals het op" in body
        assert "12 registraties op" in body
        assert _nr(6) in _numbers(body)  # still in the register then
        assert "NKI Collect" not in body  # not yet added
        assert "wki-tag--error\">Doorgehaald" not in body
        # The same search today does not find the one that left.
        assert _numbers(inspector.get("/register/?zoek=vertrokken").get_data(as_text=True)) == []
        assert _numbers(inspector.get(f"/register/?zoek=vertrokken&peildatum={_iso(past)}").get_data(
            as_text=True)) == [_nr(6)]

    def test_peildatum_in_dutch_order(self, inspector, mirror):
        past = DAY1 + timedelta(days=1)
        body = inspector.get("/register/", query_string={"peildatum": past.strftime("%d-%m-%Y")}).get_data(
            as_text=True)
        assert "12 registraties op" in body
        assert f'value="{_iso(past)}"' in body  # shown back as the date field wants it

    def test_peildatum_before_the_mirror_derives_the_register_from_its_dates(self, inspector, mirror):
        day = DAY1 - timedelta(days=1)
        body = inspector.get("/register/", query_string={"peildatum": _iso(day)}).get_data(as_text=True)
        assert "De spiegel begint op" in body and "Afgeleid register" in body
        assert "afgeleid uit de inschrijvingsdata in het register van" in body
        expected = sum(1 for row in mirror.values() if row["datum_inschrijving"] <= _iso(day))
        assert expected and f"{expected} registraties op" in body

    @pytest.mark.parametrize(("value", "message"), [
        ("31-02-2026", "Vul een geldige datum in, zoals 2026-03-29."),
        ("gisteren", "Vul een geldige datum in, zoals 2026-03-29."),
        ("0001-01-01", "Vul een datum in tussen 1900 en 2999."),
    ])
    def test_a_bad_peildatum_is_explained(self, inspector, mirror, value, message):
        response = inspector.get("/register/", query_string={"peildatum": value})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert message in body
        assert 'href="#peildatum"' in body  # the error summary leads to the field
        assert "Not a valid" not in body
        assert _numbers(body) == []

    def test_unknown_filter_values_are_explained(self, inspector, mirror):
        body = inspector.get("/register/?status=onzin&sorteer=onzin").get_data(as_text=True)
        assert "Kies een status uit de lijst." in body
        assert "Kies een sortering uit de lijst." in body

    def test_an_empty_mirror(self, inspector, db_session):
        body = inspector.get("/register/").get_data(as_text=True)
        assert "Het register is nog niet ingelezen" in body
        assert "Geen registraties gevonden." in body


class TestRegisterExport:
    def _records(self, response) -> list[list[str]]:
        data = response.get_data()
        assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))

    def test_exports_the_whole_filtered_result_in_the_import_format(self, inspector, mirror, monkeypatch):
        monkeypatch.setattr(register_views, "PER_PAGE", 1)  # the export is not limited to a page
        response = inspector.get("/register/export.csv?zoek=utrecht&sorteer=registratienummer")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == f'attachment; filename="register-{_iso(TODAY)}.csv"'
        records = self._records(response)
        assert records[0] == list(REGISTER_COLUMNS)
        assert [r[0] for r in records[1:]] == [_nr(3), _nr(4)]
        exported = dict(zip(records[0], records[1], strict=True))
        assert exported == {**mirror[3], "postcode": "9711 AB"}

    def test_the_full_export_reads_back_in_without_changes(self, inspector, mirror):
        records = self._records(inspector.get("/register/export.csv"))
        assert len(records) == 1 + 11
        data = "\r\n".join(";".join(r) for r in records).encode()
        result = load(data, TODAY, dry_run=True)
        assert result.counts["ongewijzigd"] == 11
        assert result.counts["gewijzigd"] == result.counts["nieuw"] == result.counts["verdwenen"] == 0

    def test_exports_a_past_state(self, inspector, mirror):
        records = self._records(inspector.get(f"/register/export.csv?peildatum={_iso(DAY1)}&zoek=noorderlicht"))
        assert records[1][records[0].index("handelsnamen")] == "Noorderlicht"

    def test_formula_cells_are_neutralised(self, inspector, db_session):
        load([register_row(1, naam="=HYPERLINK(\"http://x\")", telefoon="+31 50 3123456")], DAY1)
        records = self._records(inspector.get("/register/export.csv"))
        row = dict(zip(records[0], records[1], strict=True))
        assert row["naam"] == "'=HYPERLINK(\"http://x\")"
        assert row["telefoon"] == "'+31 50 3123456"

    def test_the_export_is_recorded(self, inspector, mirror):
        inspector.get("/register/export.csv?status=doorgehaald")
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "register.geexporteerd")).one()
        assert event.actor_email == inspector.user.email
        assert event.after["status"] == "doorgehaald"

    def test_a_bad_filter_exports_nothing(self, inspector, mirror):
        response = inspector.get("/register/export.csv?peildatum=morgen")
        assert response.status_code == 400
        assert "Vul een geldige datum in" in response.get_data(as_text=True)


# ---------------------------------------------------------------- one registration


class TestRegistrationPage:
    def test_shows_the_current_data_and_every_identifier(self, inspector, mirror):
        response = inspector.get(f"/register/{_nr(1)}")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        row = mirror[1]
        assert "Noorderlicht Incasso B.V.</h1>" in body
        assert "Huidige gegevens" in body
        for value in (row["kvk_nummer"], row["vestigingsnummer"], row["website"], row["email"], row["telefoon"],
                      "NKI Collect", "Noorderlicht", "Stationsweg 1, 9711 AB Groningen"):
            assert value in body, value
        iban = row["iban"]
        assert " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) in body  # grouped by four
        assert "Geldig</span> ingeschreven en geldig op" in body

    def test_shows_the_timeline_newest_first(self, inspector, mirror):
        body = inspector.get(f"/register/{_nr(1)}").get_data(as_text=True)
        added, opened = body.index("handelsnaam toegevoegd: NKI Collect"), body.index("opgenomen in het register")
        assert added < opened

    def test_shows_a_status_change_and_that_it_is_not_valid_today(self, inspector, mirror):
        body = inspector.get(f"/register/{_nr(2)}").get_data(as_text=True)
        assert "status ingeschreven → doorgehaald" in body
        assert "datum einde toegevoegd:" in body
        assert "Niet geldig</span> niet meer geldig sinds" in body

    def test_shows_the_versions_with_their_periods(self, inspector, mirror):
        body = inspector.get(f"/register/{_nr(1)}").get_data(as_text=True)
        assert "2 versies, nieuwste eerst" in body
        assert "heden" in body

    def test_a_registration_that_left_is_marked_and_shows_its_last_data(self, inspector, mirror):
        body = inspector.get(f"/register/{_nr(6)}").get_data(as_text=True)
        assert "Niet meer in het register" in body
        assert "Laatst bekende gegevens" in body
        assert "Vertrokken Incasso B.V." in body
        assert "niet meer in het register</td>" in body  # the timeline line
        assert "staat op" in body and "niet in het register" in body

    def test_a_registration_number_with_a_slash(self, inspector, db_session):
        load([register_row(1, registratienummer="WKI/2024/17")], DAY1)
        body = inspector.get("/register/").get_data(as_text=True)
        assert 'href="/register/WKI/2024/17"' in body
        assert inspector.get("/register/WKI/2024/17").status_code == 200

    def test_unknown_number_is_a_dutch_404(self, inspector, mirror):
        response = inspector.get("/register/R1999-99999")
        assert response.status_code == 404
        assert "Pagina niet gevonden" in response.get_data(as_text=True)

    def test_panels_from_other_features_are_shown(self, app, inspector, mirror, monkeypatch):
        from wki.core.features import REGISTRATION_PAGE, Panel, registry

        def provider(nummer, version, user):
            return Panel("Signalen", "components/alert.html", {}) if nummer == _nr(1) else None

        monkeypatch.setitem(registry(app).providers, REGISTRATION_PAGE, [provider])
        body = inspector.get(f"/register/{_nr(1)}").get_data(as_text=True)
        assert 'id="paneel-1">Signalen</h2>' in body
        assert "paneel-1" not in inspector.get(f"/register/{_nr(3)}").get_data(as_text=True)


# ---------------------------------------------------------------- sync runs


@pytest.fixture
def runs(db_session) -> dict[str, int]:
    from wki.core.clock import utcnow
    from wki.core.csvio import RowError

    ok = services.record_run(kind=SnapshotKind.REGISTER, trigger="schema", source="https://bron.example/register.csv",
                             started_at=utcnow(), outcome=SyncOutcome.APPLIED, message="Het register is ingelezen.",
                             counts={"rijen": 12, "nieuw": 1})
    errors = [RowError(n, "kvk_nummer", "123", "moet uit precies 8 cijfers bestaan") for n in range(2, 5)]
    bad = services.record_run(kind=SnapshotKind.EXEMPT, trigger="import", source="/tmp/vrijgestelden.csv",
                              started_at=utcnow(), outcome=SyncOutcome.REJECTED,
                              message="Het bestand bevat 3 fout(en) en is niet ingelezen.", errors=errors,
                              actor=Actor.process("cli:beheer"))
    return {"ok": ok.id, "bad": bad.id}


class TestSyncRuns:
    def test_lists_runs_with_outcome(self, admin_client, runs):
        body = admin_client.get("/register/beheer/synchronisaties").get_data(as_text=True)
        assert f"Run {runs['ok']}<" in body and f"Run {runs['bad']}<" in body
        assert "Toegepast" in body and "Afgewezen" in body
        assert "Vrijgestelden" in body

    @pytest.mark.parametrize(("query", "shown", "hidden"), [
        ("uitkomst=afgewezen", "bad", "ok"), ("soort=register", "ok", "bad")])
    def test_filters(self, admin_client, runs, query, shown, hidden):
        body = admin_client.get(f"/register/beheer/synchronisaties?{query}").get_data(as_text=True)
        assert f"Run {runs[shown]}<" in body
        assert f"Run {runs[hidden]}<" not in body

    def test_an_unknown_outcome_is_explained(self, admin_client, runs):
        body = admin_client.get("/register/beheer/synchronisaties?uitkomst=onzin").get_data(as_text=True)
        assert "Kies een uitkomst uit de lijst." in body

    def test_detail_shows_counts_message_and_row_errors(self, admin_client, runs):
        body = admin_client.get(f"/register/beheer/synchronisaties/{runs['bad']}").get_data(as_text=True)
        assert "Het bestand bevat 3 fout(en)" in body
        assert "Fouten in het bestand" in body
        assert body.count("moet uit precies 8 cijfers bestaan") == 3
        assert "cli:beheer" in body
        ok = admin_client.get(f"/register/beheer/synchronisaties/{runs['ok']}").get_data(as_text=True)
        assert "rijen:" in ok and "Fouten in het bestand" not in ok

    def test_unknown_run_is_404(self, admin_client, runs):
        assert admin_client.get(f"/register/beheer/synchronisaties/{runs['bad'] + 1000}").status_code == 404


# ---------------------------------------------------------------- snapshots and quarantine


class TestSnapshots:
    def test_lists_snapshots_with_the_quarantined_one(self, admin_client, mirror):
        held = _quarantine(mirror)
        body = admin_client.get("/register/beheer/snapshots").get_data(as_text=True)
        assert "4 snapshots" in body
        assert f"Snapshot {held.id}<" in body
        assert "1 snapshot wacht in quarantaine" in body
        only = admin_client.get("/register/beheer/snapshots?status=quarantaine").get_data(as_text=True)
        assert "1 snapshot<" in only

    def test_detail_of_a_quarantined_snapshot_shows_reason_counts_and_diff(self, admin_client, mirror):
        held = _quarantine(mirror)
        body = admin_client.get(f"/register/beheer/snapshots/{held.id}").get_data(as_text=True)
        assert "In quarantaine" in body
        assert "Het zou 8 van de 11 huidige inschrijvingen verwijderen" in body
        assert "Zuiderzee Vorderingen B.V." in body  # the vanished ones with their names
        assert "Verdwenen (8)" in body
        assert f'href="/register/{_nr(2)}"' in body  # a vanished one links to its page
        assert "Goedkeuren en toepassen" in body and "Verwerpen" in body
        assert 'name="csrf_token"' in body

    def test_detail_shows_changed_fields_old_and_new(self, admin_client, mirror):
        rows = [{**row, "plaats": "Assen"} if n == 1 else row for n, row in mirror.items() if n != 6]
        load(rows[:3], TODAY)  # quarantined, and row 1 changed its place
        held = db.session.scalars(sa.select(RegisterSnapshot).where(
            RegisterSnapshot.status == SnapshotStatus.QUARANTINED)).one()
        body = admin_client.get(f"/register/beheer/snapshots/{held.id}").get_data(as_text=True)
        assert re.search(r"plaats</td>\s*<td[^>]*>Groningen</td>\s*<td[^>]*>Assen</td>", body), body

    def test_approve_applies_the_snapshot(self, admin_client, mirror):
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        response = admin_client.post(f"{url}/goedkeuren", data=_approval(admin_client, url))
        assert response.status_code == 302
        assert response.headers["Location"].endswith(url)
        page = admin_client.get(url).get_data(as_text=True)
        assert f"Snapshot {held.id} is goedgekeurd en toegepast." in page
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.APPLIED
        assert queries.current_count() == 3
        assert db.session.get(RegisterSnapshot, held.id).decided_by == admin_client.user.email
        event = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "register.snapshot_approved")).one()
        assert event.after["reden"] == "Nagegaan bij Justis."

    def test_approving_twice_is_refused_with_a_message(self, admin_client, mirror):
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        data = _approval(admin_client, url)
        admin_client.post(f"{url}/goedkeuren", data=data)
        response = admin_client.post(f"{url}/goedkeuren", data=data, follow_redirects=True)
        assert "Over deze snapshot is al beslist: ze is goedgekeurd en toegepast." in response.get_data(as_text=True)
        assert queries.current_count() == 3

    @pytest.mark.parametrize("missing, message", [
        ("toelichting", "Geef een reden op waarom u deze snapshot goedkeurt."),
        ("bevestiging", "Bevestig dat u de verschillen hebt bekeken en het bestand wilt toepassen.")])
    def test_approval_needs_a_reason_and_a_confirmation(self, admin_client, mirror, missing, message):
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        data = _approval(admin_client, url)
        data[missing] = "" if missing == "toelichting" else None
        response = admin_client.post(f"{url}/goedkeuren", data={k: v for k, v in data.items() if v is not None})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert message in body and f'href="#{missing}"' in body
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.QUARANTINED
        assert queries.current_count() == 11

    def test_the_page_shows_the_diff_against_the_mirror_as_it_is_now(self, admin_client, mirror):
        """Issue 10: the page showed the diff stored at quarantine time; a later import of the same date
        made that diff stale, and approving it removed what the later import had added."""
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        stale = _approval(admin_client, url)
        bigger = [*mirror.values(), *[register_row(n) for n in range(13, 40)]]
        assert load(bigger, TODAY).outcome == SyncOutcome.APPLIED
        body = admin_client.get(url).get_data(as_text=True)
        assert "Goedkeuren is niet mogelijk: Na deze snapshot is een ander bestand van dezelfde datum" in body
        assert "Goedkeuren en toepassen" not in body and "Verwerpen" in body
        response = admin_client.post(f"{url}/goedkeuren", data=stale, follow_redirects=True)
        assert "goedkeuren zou die nieuwere gegevens overschrijven met oudere" in response.get_data(as_text=True)
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.QUARANTINED
        assert queries.current_count() == 39

    def test_the_counts_shown_are_those_of_the_mirror_now(self, admin_client, mirror):
        rows = [mirror[1], mirror[3], mirror[4]]
        held = load(rows, TODAY + timedelta(days=1)).snapshot  # a later date: earlier imports may follow
        url = f"/register/beheer/snapshots/{held.id}"
        stale = _approval(admin_client, url)
        current = [row for n, row in mirror.items() if n != 6]  # 6 left the register on TODAY
        assert load([*current, register_row(13)], TODAY).outcome == SyncOutcome.APPLIED
        body = admin_client.get(url).get_data(as_text=True)
        assert "Verdwenen (9)" in body and "De 9 verdwenen inschrijvingen" in body
        assert "toen het bestand in quarantaine ging, zou het 8 inschrijvingen verwijderen" in body
        response = admin_client.post(f"{url}/goedkeuren", data=stale, follow_redirects=True)
        assert "Het register is gewijzigd sinds u deze pagina opende" in response.get_data(as_text=True)
        assert queries.current_count() == 12
        response = admin_client.post(f"{url}/goedkeuren", data=_approval(admin_client, url))
        assert response.status_code == 302
        assert queries.current_count() == 3

    def test_discard_with_a_reason(self, admin_client, mirror):
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        response = admin_client.post(f"{url}/verwerpen", data={"csrf_token": csrf_token(admin_client, url),
                                                                 "reden": "Export brak halverwege af."})
        assert response.status_code == 302
        page = admin_client.get(url).get_data(as_text=True)
        assert f"Snapshot {held.id} is verworpen" in page
        assert "Verworpen" in page and "Goedkeuren en toepassen" not in page
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.DISCARDED
        assert queries.current_count() == 11
        event = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "register.snapshot_discarded")).one()
        assert event.after["reden"] == "Export brak halverwege af."

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_discard_without_a_reason_is_refused(self, admin_client, mirror, reason):
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        response = admin_client.post(f"{url}/verwerpen", data={"csrf_token": csrf_token(admin_client, url),
                                                                 "reden": reason})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Geef een reden op waarom u deze snapshot verwerpt." in body
        assert 'href="#reden"' in body
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.QUARANTINED
        assert queries.current_count() == 11

    def test_a_post_without_csrf_token_changes_nothing(self, admin_client, mirror):
        held = _quarantine(mirror)
        url = f"/register/beheer/snapshots/{held.id}"
        assert admin_client.post(f"{url}/goedkeuren").status_code == 400
        assert admin_client.post(f"{url}/verwerpen", data={"reden": "x"}).status_code == 400
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.QUARANTINED

    def test_a_decided_snapshot_shows_no_forms(self, admin_client, mirror):
        applied = db.session.scalars(sa.select(RegisterSnapshot).order_by(RegisterSnapshot.id)).first()
        body = admin_client.get(f"/register/beheer/snapshots/{applied.id}").get_data(as_text=True)
        assert "Toegepast" in body
        assert "Goedkeuren en toepassen" not in body

    def test_an_applied_snapshot_shows_what_it_changed(self, admin_client, mirror):
        first, second, third = db.session.scalars(sa.select(RegisterSnapshot).order_by(RegisterSnapshot.id))
        body = admin_client.get(f"/register/beheer/snapshots/{first.id}").get_data(as_text=True)
        assert "Nieuw (12)" in body and f'href="/register/{_nr(12)}"' in body
        body = admin_client.get(f"/register/beheer/snapshots/{second.id}").get_data(as_text=True)
        assert "Nieuw (0)" in body and "Gewijzigd (1)" in body
        assert re.search(r"handelsnaam</td>\s*<td[^>]*>Noorderlicht</td>\s*<td[^>]*>Noorderlicht, NKI Collect</td>",
                         body), body
        body = admin_client.get(f"/register/beheer/snapshots/{third.id}").get_data(as_text=True)
        assert "Verdwenen (1)" in body and "Vertrokken Incasso B.V." in body
        assert "status</td>" in body and "Gewijzigd (1)" in body

    def test_unknown_snapshot_is_404(self, admin_client, mirror):
        assert admin_client.get("/register/beheer/snapshots/999999").status_code == 404
        url = "/register/beheer/snapshots"
        token = csrf_token(admin_client, f"{url}/{_quarantine(mirror).id}")
        assert admin_client.post(f"{url}/999999/goedkeuren", data={"csrf_token": token}).status_code == 404
        assert admin_client.post(f"{url}/999999/verwerpen", data={"csrf_token": token, "reden": "x"}).status_code == 404


# ---------------------------------------------------------------- who may see what


class TestAccess:
    @pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
    def test_every_role_reads_the_register(self, login_as, mirror, role):
        client = login_as(role)
        for url in ("/register/", f"/register/{_nr(1)}", "/register/export.csv"):
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("role", [Role.INSPECTEUR, Role.VOORLICHTING, Role.HANDHAVER], ids=lambda r: r.value)
    def test_only_administrators_manage_the_mirror(self, login_as, mirror, runs, role):
        held = _quarantine(mirror)
        client = login_as(role)
        for url in ("/register/beheer/synchronisaties", f"/register/beheer/synchronisaties/{runs['ok']}",
                    "/register/beheer/snapshots", f"/register/beheer/snapshots/{held.id}"):
            assert client.get(url).status_code == 403, url
        token = csrf_token(client, "/account/wachtwoord")
        base = f"/register/beheer/snapshots/{held.id}"
        assert client.post(f"{base}/goedkeuren", data={"csrf_token": token}).status_code == 403
        assert client.post(f"{base}/verwerpen", data={"csrf_token": token, "reden": "x"}).status_code == 403
        assert db.session.get(RegisterSnapshot, held.id).status == SnapshotStatus.QUARANTINED

    def test_only_administrators_see_the_register_menu(self, login_as, mirror):
        assert 'aria-label="Register"' not in login_as(Role.INSPECTEUR).get("/register/").get_data(as_text=True)
        assert 'aria-label="Register"' in login_as(Role.BEHEERDER).get("/register/").get_data(as_text=True)

    def test_the_old_section_address_still_opens_the_list(self, inspector, mirror):
        response = inspector.get("/register")
        assert response.status_code == 200
        assert "11 registraties" in response.get_data(as_text=True)

    def test_anonymous_users_are_sent_to_log_in(self, client, mirror):
        for url in ("/register/", f"/register/{_nr(1)}", "/register/export.csv", "/register/beheer/snapshots"):
            response = client.get(url)
            assert response.status_code == 302
            assert "/account/inloggen" in response.headers["Location"]

    def test_beheer_links_to_the_register_pages(self, admin_client):
        body = admin_client.get("/beheer/").get_data(as_text=True)
        assert 'href="/register/beheer/synchronisaties"' in body
        assert 'href="/register/beheer/snapshots"' in body
