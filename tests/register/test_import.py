"""Diff semantics of the snapshot import: new, changed, left, returned, unchanged; idempotency, order,
JSON, column mapping, and the exempt list with history."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import make_iban
from tests.register.conftest import (
    D1,
    D2,
    D3,
    D4,
    audit_events,
    changes,
    count,
    current_values,
    mirror_state,
    versions,
)
from tests.register.helpers import exempt_csv, exempt_row, load, register_row, to_csv
from wki.core.actors import Actor
from wki.core.extensions import db
from wki.register import queries
from wki.register.models import (
    ExemptPartyVersion,
    RegisterChange,
    RegisterSnapshot,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
)
from wki.register.services import import_snapshot
from wki.register.snapshots import SnapshotRejected
from wki.register.validation import REGISTER_COLUMNS, REGISTER_VALUE_COLUMNS

NR = [None] + [f"R2024-{n:05d}" for n in range(1, 10)]  # NR[n] is register_row(n)'s number
# Twenty registrations that never change, so that one leaving stays under the 10% safety valve.
FILLER = [register_row(n) for n in range(100, 120)]
EXEMPT_FILLER = [exempt_row(n) for n in range(100, 120)]


def expected_values(row: dict[str, str]) -> tuple:
    """What the mirror should hold for a valid row from register_row (in REGISTER_VALUE_COLUMNS order)."""
    def day(value: str) -> date | None:
        return date.fromisoformat(value) if value else None

    return (row["naam"], row["handelsnamen"], row["kvk_nummer"], row["vestigingsnummer"] or None,
            row["straat"] or None, row["huisnummer"] or None, row["postcode"] or None, row["plaats"] or None,
            row["website"], row["email"], row["telefoon"], row["iban"], row["status"],
            day(row["datum_inschrijving"]), day(row["datum_einde"]), day(row["geldig_tot"]))


def timeline_texts(nummer: str, day: date | None = None) -> list[str]:
    return [e.text for e in queries.timeline(nummer) if day is None or e.day == day]


def d2_rows() -> list[dict[str, str]]:
    """The second snapshot of the standard history (see ``history``)."""
    return [
        register_row(1, handelsnamen="Incasso 1|IB1 Collect|Noordkaap Debiteurenbeheer", status="doorgehaald",
                     datum_einde="2026-01-20"),
        register_row(2, postcode="1012 AB", plaats="Amsterdam", handelsnamen="Incasso 2"),
        # 3 has left
        register_row(4),
        register_row(5, postcode="9711AB", handelsnamen=" Incasso 5 | IB5 Collect ",
                     iban=make_iban(5).lower()[:4] + " " + make_iban(5)[4:]),  # written differently, same data
        register_row(6),
        *FILLER,
    ]


@pytest.fixture
def history(db_session):
    """D1: registrations 1-5. D2: 1 and 2 changed, 3 left, 4 unchanged, 5 cosmetically rewritten, 6 new."""
    first = load([register_row(n) for n in range(1, 6)] + FILLER, D1)
    second = load(d2_rows(), D2)
    return first, second


# ---------------------------------------------------------------- the first snapshot


class TestFirstSnapshot:
    def test_every_row_is_new_with_its_values(self, db_session):
        rows = [register_row(n) for n in range(1, 4)]
        result = load(rows, D1, file_name="register.csv", source="/data/register.csv")
        assert result.outcome == "toegepast"
        assert result.message == "Het register van 01-01-2026 is ingelezen."
        assert result.counts == {"rijen": 3, "nieuw": 3, "teruggekeerd": 0, "gewijzigd": 0, "verdwenen": 0,
                                 "ongewijzigd": 0}
        assert current_values() == {row["registratienummer"]: expected_values(row) for row in rows}
        for row in rows:
            [version] = versions(row["registratienummer"])
            assert (version.valid_from, version.valid_to) == (D1, None)
            assert version.snapshot_id == result.snapshot.id
            assert timeline_texts(row["registratienummer"]) == ["opgenomen in het register"]
        assert changes() == []

    def test_the_snapshot_is_recorded_and_audited(self, db_session):
        data = to_csv([register_row(1)])
        result = load(data, D1, file_name="register.csv", source="/data/register.csv")
        db.session.expire_all()
        [snapshot] = db.session.scalars(sa.select(RegisterSnapshot)).all()
        assert snapshot.id == result.snapshot.id
        assert (snapshot.kind, snapshot.snapshot_date, snapshot.status) == ("register", D1, SnapshotStatus.APPLIED)
        assert (snapshot.file_name, snapshot.source, snapshot.file_format) == ("register.csv", "/data/register.csv", "csv")
        import hashlib

        assert snapshot.sha256 == result.sha256 == hashlib.sha256(data).hexdigest()
        assert snapshot.counts == result.counts
        assert snapshot.created_by == "test"
        assert snapshot.raw_gzip is None
        [event] = audit_events("register.snapshot_applied")
        assert event.object_id == str(snapshot.id)
        assert event.after["nieuw"] == 1 and event.after["kind"] == "register"
        assert event.actor_email == "test"

    def test_the_example_file_of_the_format_imports(self, db_session):
        from pathlib import Path

        # A copy of ../shared/formats/register.example.csv: CI checks out this repository alone.
        path = Path(__file__).resolve().parent / "data" / "register.example.csv"
        result = load(path.read_bytes(), D2)
        assert result.counts["nieuw"] == 3
        noordkaap = queries.get_registration("R2024-00017")
        assert noordkaap.kvk_nummer == "04123456"
        assert noordkaap.trade_names == ["Noordkaap Debiteurenbeheer", "NKI Collect"]
        assert queries.get_registration("R2025-00412").datum_einde == date(2026, 1, 20)

    def test_dry_run_computes_the_counts_and_changes_nothing(self, db_session):
        load([register_row(n) for n in range(1, 6)] + FILLER, D1)
        before = mirror_state()
        result = load(d2_rows(), D2, dry_run=True)
        assert result.outcome == "toegepast"
        assert result.snapshot is None
        assert result.message.startswith("Proefdraai: er is niets gewijzigd.")
        assert result.counts == {"rijen": 25, "nieuw": 1, "teruggekeerd": 0, "gewijzigd": 2, "verdwenen": 1,
                                 "ongewijzigd": 22}
        assert mirror_state() == before
        # and the real import afterwards gives the same counts
        assert load(d2_rows(), D2).counts == result.counts


# ---------------------------------------------------------------- a second snapshot


class TestSecondSnapshot:
    def test_counts(self, history):
        _first, second = history
        assert second.outcome == "toegepast"
        assert second.counts == {"rijen": 25, "nieuw": 1, "teruggekeerd": 0, "gewijzigd": 2, "verdwenen": 1,
                                 "ongewijzigd": 22}
        assert second.snapshot.counts == second.counts

    def test_changed_fields_are_recorded_one_event_each(self, history):
        _first, second = history
        recorded = {(c.field, c.old_value, c.new_value) for c in changes(NR[1])}
        assert recorded == {
            ("handelsnamen", "Incasso 1|IB1 Collect", "Incasso 1|IB1 Collect|Noordkaap Debiteurenbeheer"),
            ("status", "ingeschreven", "doorgehaald"),
            ("datum_einde", None, "2026-01-20"),
        }
        assert {(c.kind, c.snapshot_id, c.snapshot_date) for c in changes(NR[1])} == {
            ("gewijzigd", second.snapshot.id, D2)}
        assert {(c.field, c.old_value, c.new_value) for c in changes(NR[2])} == {
            ("handelsnamen", "Incasso 2|IB2 Collect", "Incasso 2"),
            ("postcode", "9711 AB", "1012 AB"),
            ("plaats", "Groningen", "Amsterdam"),
        }

    def test_a_change_closes_the_old_version_and_opens_a_new_one(self, history):
        _first, second = history
        old, new = versions(NR[1])
        assert (old.valid_from, old.valid_to, old.status) == (D1, D2, "ingeschreven")
        assert (new.valid_from, new.valid_to, new.status) == (D2, None, "doorgehaald")
        assert new.snapshot_id == second.snapshot.id
        assert new.trade_names == ["Incasso 1", "IB1 Collect", "Noordkaap Debiteurenbeheer"]
        assert new.datum_einde == date(2026, 1, 20)

    def test_the_timeline_describes_changes_in_dutch(self, history):
        assert sorted(timeline_texts(NR[1], D2)) == sorted([
            "handelsnaam toegevoegd: Noordkaap Debiteurenbeheer",
            "status ingeschreven → doorgehaald",
            "datum einde toegevoegd: 20-01-2026",
        ])
        assert sorted(timeline_texts(NR[2], D2)) == sorted([
            "handelsnaam verwijderd: IB2 Collect",
            "postcode 9711 AB → 1012 AB",
            "plaats Groningen → Amsterdam",
        ])
        entries = queries.timeline(NR[1])
        assert [e.day for e in entries] == sorted((e.day for e in entries), reverse=True)  # newest first
        assert entries[-1].text == "opgenomen in het register" and entries[-1].day == D1

    def test_a_registration_absent_from_the_snapshot_has_left(self, history):
        _first, second = history
        [version] = versions(NR[3])
        assert (version.valid_from, version.valid_to) == (D1, D2)
        [event] = changes(NR[3])
        assert (event.kind, event.snapshot_id, event.snapshot_date) == ("verdwenen", second.snapshot.id, D2)
        assert timeline_texts(NR[3], D2) == ["niet meer in het register"]
        assert NR[3] not in current_values()
        assert queries.get_registration(NR[3]).valid_to == D2  # the last version it had

    def test_an_unchanged_registration_keeps_its_version(self, history):
        first, _second = history
        [version] = versions(NR[4])
        assert (version.valid_from, version.valid_to, version.snapshot_id) == (D1, None, first.snapshot.id)
        assert changes(NR[4]) == []

    def test_a_cosmetic_rewrite_is_not_a_change(self, history):
        [version] = versions(NR[5])
        assert (version.valid_from, version.valid_to) == (D1, None)
        assert changes(NR[5]) == []
        assert version.postcode == "9711 AB"
        assert version.iban_list == [make_iban(5)]
        assert current_values()[NR[5]] == expected_values(register_row(5))
        # the same rewritten row again later is still unchanged
        result = load(to_csv(d2_rows(), delimiter=";"), D3)
        assert result.counts["ongewijzigd"] == 25
        assert len(versions(NR[5])) == 1

    def test_reordering_a_multi_valued_field_is_not_a_change(self, history):
        row = register_row(4, handelsnamen="IB4 Collect|Incasso 4", website="b.nl|a.nl")
        load(to_csv([row if r["registratienummer"] == NR[4] else r for r in d2_rows()]), D3)
        load(to_csv([register_row(4, handelsnamen="Incasso 4|IB4 Collect", website="a.nl|b.nl")
                     if r["registratienummer"] == NR[4] else r for r in d2_rows()]), D4)
        # first the websites really changed (one new version); then only the order of both fields
        assert [c.field for c in changes(NR[4])] == ["websites"]
        assert len(versions(NR[4])) == 2

    def test_a_new_registration_in_a_later_snapshot(self, history):
        _first, second = history
        [version] = versions(NR[6])
        assert (version.valid_from, version.valid_to, version.snapshot_id) == (D2, None, second.snapshot.id)
        assert timeline_texts(NR[6]) == ["opgenomen in het register"]

    def test_the_whole_mirror_after_two_snapshots(self, history):
        assert current_values() == {row["registratienummer"]: expected_values(row)
                                    for row in d2_rows() if row["registratienummer"] != NR[5]} | {
            NR[5]: expected_values(register_row(5))}
        assert count(RegistrationVersion) == 25 + 2 + 1  # first versions, two changed, one new
        assert count(RegisterSnapshot) == 2


class TestReturn:
    def test_a_registration_that_comes_back(self, history):
        rows = d2_rows() + [register_row(3, naam="Incassobureau 3 Herstart B.V.")]
        third = load(rows, D3)
        assert third.counts == {"rijen": 26, "nieuw": 0, "teruggekeerd": 1, "gewijzigd": 0, "verdwenen": 0,
                                "ongewijzigd": 25}
        first_version, second_version = versions(NR[3])
        assert (first_version.valid_from, first_version.valid_to) == (D1, D2)
        assert (second_version.valid_from, second_version.valid_to) == (D3, None)
        assert second_version.naam == "Incassobureau 3 Herstart B.V."
        assert [c.kind for c in changes(NR[3])] == ["verdwenen", "teruggekeerd"]
        assert timeline_texts(NR[3]) == ["weer opgenomen in het register", "niet meer in het register",
                                         "opgenomen in het register"]
        assert queries.registration_as_of(NR[3], date(2026, 2, 15)) is None
        assert queries.registration_as_of(NR[3], D3).naam == "Incassobureau 3 Herstart B.V."

    def test_leaving_twice_and_returning_twice(self, db_session):
        load([register_row(1), *[register_row(n) for n in range(10, 30)]], D1)
        load([register_row(n) for n in range(10, 30)], D2)
        load([register_row(1), *[register_row(n) for n in range(10, 30)]], D3)
        load([register_row(n) for n in range(10, 30)], D4)
        result = load([register_row(1), *[register_row(n) for n in range(10, 30)]], date(2026, 5, 1))
        assert result.counts["teruggekeerd"] == 1
        assert [(v.valid_from, v.valid_to) for v in versions(NR[1])] == [
            (D1, D2), (D3, D4), (date(2026, 5, 1), None)]
        assert [c.kind for c in changes(NR[1])] == ["verdwenen", "teruggekeerd", "verdwenen", "teruggekeerd"]


# ---------------------------------------------------------------- the same file, the same content, dates


class TestIdempotency:
    def test_the_same_file_twice_changes_nothing(self, history):
        before = mirror_state()
        again = load(d2_rows(), D2)
        assert again.outcome == "ongewijzigd"
        assert again.snapshot is None
        assert "al ingelezen" in again.message and "er is niets gewijzigd" in again.message
        assert mirror_state() == before

    def test_the_same_file_at_a_later_date_is_still_recognised(self, history):
        before = mirror_state()
        assert load(d2_rows(), D3).outcome == "ongewijzigd"
        assert mirror_state() == before

    def test_the_same_content_in_a_different_file_later_is_applied_without_changes(self, history):
        before = mirror_state()
        reordered = list(reversed(d2_rows()))
        result = load(to_csv(reordered, delimiter=";"), D3)
        assert result.outcome == "toegepast"
        assert result.counts == {"rijen": 25, "nieuw": 0, "teruggekeerd": 0, "gewijzigd": 0, "verdwenen": 0,
                                 "ongewijzigd": 25}
        after = mirror_state()
        assert len(after["snapshots"]) == len(before["snapshots"]) + 1
        assert after["changes"] == before["changes"]
        strip_hash = [v[:4] + v[5:] for v in before["versions"]]
        assert [v[:4] + v[5:] for v in after["versions"]] == strip_hash  # no version opened or closed

    def test_a_file_seen_before_an_older_applied_one_is_not_mistaken_for_the_latest(self, history):
        """The D1 file again after D2: not identical to the latest, and older: refused."""
        before = mirror_state()
        with pytest.raises(SnapshotRejected):
            load([register_row(n) for n in range(1, 6)] + FILLER, D1)
        assert mirror_state() == before

    def test_the_d1_content_again_at_a_later_date_is_a_real_snapshot(self, history):
        result = load([register_row(n) for n in range(1, 6)] + FILLER, D3)
        assert result.outcome == "toegepast"
        assert result.counts["teruggekeerd"] == 1 and result.counts["verdwenen"] == 1
        assert current_values()[NR[1]] == expected_values(register_row(1))


class TestSnapshotOrder:
    def test_an_older_snapshot_is_refused_and_changes_nothing(self, history):
        before = mirror_state()
        with pytest.raises(SnapshotRejected) as exc:
            load([register_row(n) for n in range(1, 8)] + FILLER, date(2026, 1, 15))
        assert exc.value.message == (
            "De snapshotdatum 15-01-2026 ligt vóór de laatst ingelezen snapshot van 01-02-2026; "
            "lees archiefbestanden in datumvolgorde in.")
        assert mirror_state() == before

    def test_the_same_date_is_allowed(self, history):
        rows = d2_rows()
        rows[2] = register_row(4, naam="Later dezelfde dag B.V.")
        result = load(rows, D2)
        assert result.outcome == "toegepast"
        assert result.counts["gewijzigd"] == 1
        assert queries.registration_as_of(NR[4], D2).naam == "Later dezelfde dag B.V."
        assert [v.naam for v in queries.registrations_as_of(D2) if v.registratienummer == NR[4]] == [
            "Later dezelfde dag B.V."]

    def test_two_changes_on_one_day_leave_one_version_held_that_day(self, history):
        rows = d2_rows()
        rows[0] = register_row(1, naam="Tweede versie vandaag B.V.", status="doorgehaald", datum_einde="2026-01-20",
                               handelsnamen="Incasso 1|IB1 Collect|Noordkaap Debiteurenbeheer")
        assert load(rows, D2).counts["gewijzigd"] == 1
        held = [v for v in queries.registrations_as_of(D2) if v.registratienummer == NR[1]]
        assert [v.naam for v in held] == ["Tweede versie vandaag B.V."]
        assert queries.registration_as_of(NR[1], D2).naam == "Tweede versie vandaag B.V."
        assert queries.registration_as_of(NR[1], date(2026, 1, 31)).naam == "Incassobureau 1 B.V."

    def test_snapshots_loaded_in_date_order_build_history(self, db_session):
        for n, day in enumerate([D1, D2, D3], start=1):
            load([register_row(1, naam=f"Naam {n}")], day)
        assert [(v.naam, v.valid_from, v.valid_to) for v in versions(NR[1])] == [
            ("Naam 1", D1, D2), ("Naam 2", D2, D3), ("Naam 3", D3, None)]

    def test_without_a_date_the_snapshot_is_of_today(self, db_session, monkeypatch):
        monkeypatch.setattr("wki.register.services.today_local", lambda: date(2026, 6, 30))
        result = import_snapshot("register", to_csv([register_row(1)]), actor=Actor.process("test"))
        assert result.snapshot.snapshot_date == date(2026, 6, 30)


# ---------------------------------------------------------------- JSON


def as_json(rows: list[dict[str, str]]) -> bytes:
    items = []
    for row in rows:
        item: dict[str, object] = {}
        for column in REGISTER_COLUMNS:
            value = row[column]
            if column in ("handelsnamen", "website", "email", "telefoon", "iban"):
                item[column] = [v for v in value.split("|") if v]
            else:
                item[column] = value or None
        items.append(item)
    return json.dumps(items, ensure_ascii=False).encode()


class TestJson:
    def test_json_gives_the_same_versions_as_csv(self, db_session):
        rows = [register_row(1), register_row(2, handelsnamen="", website="a.nl|b.nl", status="verlopen",
                                              datum_einde="2025-12-31"), register_row(3, naam="Zoë & Co")]
        result = load(as_json(rows), D1, file_format="json")
        assert result.outcome == "toegepast"
        assert result.counts["nieuw"] == 3
        assert current_values() == {row["registratienummer"]: expected_values(row) for row in rows}
        assert db.session.scalar(sa.select(RegisterSnapshot.file_format)) == "json"

    def test_the_same_content_as_json_after_csv_is_unchanged(self, db_session):
        rows = [register_row(n) for n in range(1, 4)]
        load(rows, D1)
        before = current_values()
        result = load(as_json(rows), D2, file_format="json")
        assert result.counts["ongewijzigd"] == 3 and result.counts["gewijzigd"] == 0
        assert current_values() == before
        assert all(len(versions(r["registratienummer"])) == 1 for r in rows)

    def test_json_rows_are_validated(self, db_session):
        with pytest.raises(SnapshotRejected) as exc:
            load(as_json([register_row(1), register_row(2, kvk_nummer="123")]), D1, file_format="json")
        [error] = exc.value.errors
        assert (error.line, error.column, error.value) == (2, "kvk_nummer", "123")

    @pytest.mark.parametrize("data, message", [
        (b"{not json", "Het bestand is geen geldige JSON"),
        (b'{"registratienummer": "R1"}', "Het JSON-bestand moet een lijst (array) van objecten zijn."),
    ])
    def test_unreadable_json(self, db_session, data, message):
        with pytest.raises(SnapshotRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
            load(data, D1, file_format="json")

    def test_an_element_that_is_not_an_object(self, db_session):
        data = as_json([register_row(1)])[:-1] + b', "R2"]'
        with pytest.raises(SnapshotRejected) as exc:
            load(data, D1, file_format="json")
        [error] = exc.value.errors
        assert (error.line, error.reason) == (2, "het element is geen object")
        assert count(RegistrationVersion) == 0

    def test_unknown_keys_are_reported(self, db_session):
        items = json.loads(as_json([register_row(1)]))
        items[0]["opmerking"] = "x"
        result = load(json.dumps(items).encode(), D1, file_format="json")
        assert result.unknown_columns == ["opmerking"]
        assert count(RegistrationVersion) == 1


# ---------------------------------------------------------------- column mapping


MAPPED_HEADER = {"registratienummer": "Registratie nr", "naam": "Naam onderneming", "kvk_nummer": "KvK",
                 "datum_inschrijving": "Ingeschreven op"}
MAPPING = {"Registratie nr": "registratienummer", "Naam onderneming": "naam", "KvK": "kvk_nummer",
           "Ingeschreven op": "datum_inschrijving"}


class TestColumnMapping:
    def test_without_a_mapping_the_file_is_rejected(self, db_session):
        with pytest.raises(SnapshotRejected) as exc:
            load(to_csv([register_row(1)], header=MAPPED_HEADER), D1)
        assert exc.value.message == ("Verplichte kolom ontbreekt: datum_inschrijving, kvk_nummer, naam, "
                                     "registratienummer.")

    def test_a_mapping_passed_to_the_import(self, db_session):
        rows = [register_row(1), register_row(2)]
        result = load(to_csv(rows, header=MAPPED_HEADER), D1, mapping=MAPPING)
        assert result.outcome == "toegepast" and result.unknown_columns == []
        assert current_values() == {row["registratienummer"]: expected_values(row) for row in rows}

    def test_the_configured_mapping(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_COLUMN_MAPPING", {"register": MAPPING})
        rows = [register_row(1), register_row(2)]
        result = load(to_csv(rows, header=MAPPED_HEADER, delimiter=";"), D1)
        assert result.outcome == "toegepast"
        assert current_values() == {row["registratienummer"]: expected_values(row) for row in rows}

    def test_the_configured_mapping_is_per_dataset(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_COLUMN_MAPPING", {"vrijgestelden": MAPPING})
        with pytest.raises(SnapshotRejected, match="Verplichte kolom ontbreekt"):
            load(to_csv([register_row(1)], header=MAPPED_HEADER), D1)

    def test_canonical_names_still_work_beside_a_mapping(self, db_session):
        result = load(to_csv([register_row(1)]), D1, mapping=MAPPING)
        assert result.outcome == "toegepast"

    def test_a_mapping_to_an_unknown_column_is_rejected(self, db_session, app, monkeypatch):
        with pytest.raises(SnapshotRejected, match="De kolomtoewijzing verwijst naar onbekende kolom 'kvk'"):
            load(to_csv([register_row(1)], header=MAPPED_HEADER), D1, mapping={**MAPPING, "KvK": "kvk"})
        monkeypatch.setitem(app.config, "REGISTER_COLUMN_MAPPING", {"register": {"KvK": "kamer_nummer"}})
        with pytest.raises(SnapshotRejected, match="onbekende kolom 'kamer_nummer'"):
            load(to_csv([register_row(1)]), D1)
        assert count(RegisterSnapshot) == 0


# ---------------------------------------------------------------- the exempt list


def exempt_versions() -> list[ExemptPartyVersion]:
    db.session.expire_all()
    E = ExemptPartyVersion
    return list(db.session.scalars(sa.select(E).order_by(E.naam, E.valid_from)))


class TestExemptList:
    def test_history_of_the_exempt_list(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_MAX_REMOVAL_SHARE", 0.5)
        smit = exempt_row(3, beroep="advocaat", naam="Mr. Smit")
        first = load(exempt_csv([exempt_row(1), exempt_row(2), smit]), D1, kind=SnapshotKind.EXEMPT)
        assert first.outcome == "toegepast"
        assert first.message == "De lijst van vrijgestelden van 01-01-2026 is ingelezen."
        assert first.counts["nieuw"] == 3
        # one office of three leaving is a third of the list: the safety valve is set wide for this test
        second = load(exempt_csv([exempt_row(1, plaats="Zeist"), smit]), D2, kind=SnapshotKind.EXEMPT)
        assert second.counts == {"rijen": 2, "nieuw": 0, "teruggekeerd": 0, "gewijzigd": 1, "verdwenen": 1,
                                 "ongewijzigd": 1}
        by_name = {}
        for v in exempt_versions():
            by_name.setdefault(v.naam, []).append((v.valid_from, v.valid_to, v.plaats))
        assert by_name == {
            "Deurwaarderskantoor 1": [(D1, D2, "Utrecht"), (D2, None, "Zeist")],
            "Deurwaarderskantoor 2": [(D1, D2, "Utrecht")],  # left: its version closes
            "Mr. Smit": [(D1, None, "Utrecht")],
        }
        assert [p.naam for p in queries.exempt_parties_as_of(D1)] == [
            "Deurwaarderskantoor 1", "Deurwaarderskantoor 2", "Mr. Smit"]
        assert [(p.naam, p.plaats) for p in queries.exempt_parties_as_of(D2)] == [
            ("Deurwaarderskantoor 1", "Zeist"), ("Mr. Smit", "Utrecht")]
        assert queries.exempt_parties_as_of(date(2025, 12, 31)) == []
        # the exempt list keeps no register timeline
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterChange)) == 0

    def test_the_office_returns(self, db_session):
        load(exempt_csv([exempt_row(1), exempt_row(2), *EXEMPT_FILLER]), D1, kind=SnapshotKind.EXEMPT)
        assert load(exempt_csv([exempt_row(1), *EXEMPT_FILLER]), D2, kind=SnapshotKind.EXEMPT).outcome == "toegepast"
        third = load(exempt_csv([exempt_row(1), exempt_row(2), *EXEMPT_FILLER]), D3, kind=SnapshotKind.EXEMPT)
        assert third.counts["teruggekeerd"] == 1
        assert [(v.valid_from, v.valid_to) for v in exempt_versions() if v.naam == "Deurwaarderskantoor 2"] == [
            (D1, D2), (D3, None)]

    def test_register_and_exempt_snapshots_are_independent(self, db_session):
        load([register_row(1)], D3)
        result = load(exempt_csv([exempt_row(1)]), D1, kind=SnapshotKind.EXEMPT)  # older than the register: fine
        assert result.outcome == "toegepast"
        assert count(RegistrationVersion) == 1 and count(ExemptPartyVersion) == 1
        # the same bytes are recognised per kind only
        again = load(exempt_csv([exempt_row(1)]), D2, kind=SnapshotKind.EXEMPT)
        assert again.outcome == "ongewijzigd"

    def test_renaming_an_office_is_a_departure_and_an_arrival(self, db_session):
        load(exempt_csv([exempt_row(1)]), D1, kind=SnapshotKind.EXEMPT)
        result = load(exempt_csv([exempt_row(1, naam="Deurwaarderskantoor Een")]), D2, kind=SnapshotKind.EXEMPT)
        assert (result.counts["nieuw"], result.counts["verdwenen"]) == (1, 1)

    def test_the_key_ignores_case_and_spacing_of_the_name(self, db_session):
        load(exempt_csv([exempt_row(1)]), D1, kind=SnapshotKind.EXEMPT)
        result = load(exempt_csv([exempt_row(1, naam="DEURWAARDERSKANTOOR  1")]), D2, kind=SnapshotKind.EXEMPT)
        assert result.counts["gewijzigd"] == 1 and result.counts["nieuw"] == 0
        assert [p.naam for p in queries.exempt_parties_as_of(D2)] == ["DEURWAARDERSKANTOOR  1"]


class TestDescribeChange:
    """The Dutch timeline line for each kind of change event."""

    @pytest.mark.parametrize("field, old, new, lines", [
        ("handelsnamen", "A|B", "A|B|C", ["handelsnaam toegevoegd: C"]),
        ("websites", "a.nl|b.nl", "b.nl|c.nl", ["website toegevoegd: c.nl", "website verwijderd: a.nl"]),
        ("ibans", None, "NL91ABNA0417164300", ["IBAN toegevoegd: NL91ABNA0417164300"]),
        ("emails", "x@y.nl", None, ["e-mailadres verwijderd: x@y.nl"]),
        ("handelsnamen", "A|B", "B|A", ["handelsnaam gewijzigd"]),
        ("status", "ingeschreven", "doorgehaald", ["status ingeschreven → doorgehaald"]),
        ("naam", "Oud B.V.", "Nieuw B.V.", ["naam Oud B.V. → Nieuw B.V."]),
        ("geldig_tot", "2027-05-13", None, ["geldig tot verwijderd: 13-05-2027"]),
        ("datum_einde", None, "2026-01-20", ["datum einde toegevoegd: 20-01-2026"]),
        ("kvk_nummer", "10000001", "10000002", ["KvK-nummer 10000001 → 10000002"]),
    ])
    def test_field_changes(self, field, old, new, lines):
        change = RegisterChange(kind="gewijzigd", field=field, old_value=old, new_value=new)
        assert queries.describe_change(change) == lines

    @pytest.mark.parametrize("kind, line", [("nieuw", "opgenomen in het register"),
                                            ("verdwenen", "niet meer in het register"),
                                            ("teruggekeerd", "weer opgenomen in het register")])
    def test_presence_changes(self, kind, line):
        assert queries.describe_change(RegisterChange(kind=kind)) == [line]


def test_value_columns_cover_every_file_column():
    """The expected_values helper above compares all of them; a new column must be added there too."""
    assert len(REGISTER_VALUE_COLUMNS) == len(REGISTER_COLUMNS) - 1
