"""Export writes the import format: what the mirror held on a date, and it round-trips through the import."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from tests.helpers import make_iban
from tests.register.conftest import D1, D2, D3, D4, current_values, empty_mirror
from tests.register.helpers import exempt_csv, exempt_row, load, register_row
from wki.register import queries
from wki.register.models import ExemptPartyVersion, SnapshotKind
from wki.register.queries import export_snapshot
from wki.register.validation import EXEMPT_COLUMNS, EXEMPT_VALUE_COLUMNS, REGISTER_COLUMNS

FILLER = [register_row(n) for n in range(100, 120)]

FIRST = [
    register_row(1, naam="Invorderingen Zoë B.V.", handelsnamen="Zoë Incasso|Zuid, \"De Snelle\"",
                 iban=f"{make_iban(1)}|{make_iban(2, 'INGB')}", telefoon="050-1234567|06-12345678"),
    register_row(2, status="doorgehaald", datum_einde="2026-01-15", geldig_tot="", vestigingsnummer="",
                 straat="", huisnummer="", postcode="", plaats="", website="", email="", telefoon="", iban="",
                 handelsnamen=""),
    register_row(3, postcode="1012ab", kvk_nummer="00012345"),
    *FILLER,
]
SECOND = [
    register_row(1, naam="Invorderingen Zoë B.V.", handelsnamen="Zoë Incasso", iban=make_iban(1),
                 telefoon="050-1234567"),
    register_row(3, postcode="1012ab", kvk_nummer="00012345", status="verlopen", datum_einde="2026-01-31"),
    register_row(4),
    *FILLER,
]


@pytest.fixture
def two_snapshots(db_session):
    load(FIRST, D1)
    load(SECOND, D2)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


class TestCsv:
    def test_the_format_is_the_import_format(self, two_snapshots):
        lines = read_csv(export_snapshot("register"))
        assert lines[0] == list(REGISTER_COLUMNS)
        numbers = [line[0] for line in lines[1:]]
        assert numbers == sorted(numbers) and len(numbers) == 23
        first = dict(zip(REGISTER_COLUMNS, lines[1], strict=True))
        assert first == {**SECOND[0]}  # a row read from the export is the row that went in

    def test_round_trip_into_an_empty_mirror(self, two_snapshots):
        held = current_values()
        data = export_snapshot("register")
        empty_mirror()
        assert current_values() == {}
        result = load(data, D3)
        assert result.outcome == "toegepast"
        assert result.counts["nieuw"] == len(held)
        assert current_values() == held

    def test_round_trip_into_the_same_mirror_changes_nothing(self, two_snapshots):
        held = current_values()
        result = load(export_snapshot("register"), D3)
        assert result.outcome == "toegepast"
        assert (result.counts["gewijzigd"], result.counts["nieuw"], result.counts["verdwenen"]) == (0, 0, 0)
        assert current_values() == held

    def test_as_of_an_earlier_date_is_that_state(self, db_session):
        load(FIRST, D1)
        exported_then = export_snapshot("register")
        load(SECOND, D2)
        assert export_snapshot("register", as_of=D1) == exported_then
        assert export_snapshot("register", as_of=date(2026, 1, 31)) == exported_then
        assert export_snapshot("register", as_of=D2) == export_snapshot("register")
        assert read_csv(export_snapshot("register", as_of=date(2025, 12, 31))) == [list(REGISTER_COLUMNS)]

    def test_as_of_round_trips_to_the_state_of_that_date(self, two_snapshots):
        then = {v.registratienummer: v for v in queries.registrations_as_of(D1)}
        expected = {n: tuple(getattr(v, c) for c in ("naam", "handelsnamen", "kvk_nummer", "vestigingsnummer",
                                                     "straat", "huisnummer", "postcode", "plaats", "websites",
                                                     "emails", "telefoons", "ibans", "status",
                                                     "datum_inschrijving", "datum_einde", "geldig_tot"))
                    for n, v in then.items()}
        data = export_snapshot("register", as_of=D1)
        empty_mirror()
        load(data, D4)
        assert current_values() == expected
        assert "R2024-00004" not in expected and "R2024-00002" in expected

    def test_special_characters_survive(self, two_snapshots):
        load(FIRST, D3)
        data = export_snapshot("register")
        assert b"Zuid, \"\"De Snelle\"\"" in data  # RFC 4180 quoting
        empty_mirror()
        load(data, D4)
        version = queries.registration_as_of("R2024-00001", D4)
        assert version.trade_names == ["Zoë Incasso", 'Zuid, "De Snelle"']
        assert version.kvk_nummer == "10000001"
        assert queries.registration_as_of("R2024-00003", D4).kvk_nummer == "00012345"


class TestJson:
    def test_json_export(self, two_snapshots):
        items = json.loads(export_snapshot("register", file_format="json"))
        assert len(items) == 23
        first = items[0]
        assert list(first) == list(REGISTER_COLUMNS)
        assert first["registratienummer"] == "R2024-00001"
        assert first["handelsnamen"] == ["Zoë Incasso"]
        assert first["iban"] == [make_iban(1)]
        assert first["datum_einde"] is None
        assert first["datum_inschrijving"] == "2024-05-13"

    def test_json_round_trip(self, two_snapshots):
        held = current_values()
        data = export_snapshot("register", file_format="json")
        empty_mirror()
        result = load(data, D3, file_format="json")
        assert result.outcome == "toegepast"
        assert current_values() == held

    def test_json_as_of(self, two_snapshots):
        items = json.loads(export_snapshot("register", as_of=D1, file_format="json"))
        by_number = {item["registratienummer"]: item for item in items}
        assert by_number["R2024-00001"]["handelsnamen"] == ["Zoë Incasso", 'Zuid, "De Snelle"']
        assert by_number["R2024-00002"]["status"] == "doorgehaald"
        assert by_number["R2024-00002"]["website"] == []
        assert "R2024-00004" not in by_number


class TestExempt:
    ROWS = [exempt_row(1), exempt_row(2, kvk_nummer="", website="a.nl|b.nl"),
            exempt_row(3, beroep="advocaat", naam="Mr. Zoë de Vries"), *[exempt_row(n) for n in range(10, 30)]]

    def values(self) -> dict:
        return current_values(ExemptPartyVersion, "party_key", EXEMPT_VALUE_COLUMNS)

    def test_exempt_export_round_trip(self, db_session):
        load(exempt_csv(self.ROWS), D1, kind=SnapshotKind.EXEMPT)
        held = self.values()
        data = export_snapshot(SnapshotKind.EXEMPT)
        lines = read_csv(data)
        assert lines[0] == list(EXEMPT_COLUMNS)
        assert len(lines) == 1 + len(self.ROWS)
        empty_mirror()
        load(data, D2, kind=SnapshotKind.EXEMPT)
        assert self.values() == held

    def test_exempt_export_as_of(self, db_session):
        load(exempt_csv(self.ROWS), D1, kind=SnapshotKind.EXEMPT)
        load(exempt_csv(self.ROWS[1:]), D2, kind=SnapshotKind.EXEMPT)
        names_then = {line[0] for line in read_csv(export_snapshot(SnapshotKind.EXEMPT, as_of=D1))[1:]}
        names_now = {line[0] for line in read_csv(export_snapshot(SnapshotKind.EXEMPT))[1:]}
        assert names_then - names_now == {"Deurwaarderskantoor 1"}

    def test_exempt_json(self, db_session):
        load(exempt_csv(self.ROWS), D1, kind=SnapshotKind.EXEMPT)
        items = {i["naam"]: i for i in json.loads(export_snapshot(SnapshotKind.EXEMPT, file_format="json"))}
        assert items["Deurwaarderskantoor 2"] == {"naam": "Deurwaarderskantoor 2", "kvk_nummer": None,
                                                  "beroep": "gerechtsdeurwaarder", "plaats": "Utrecht",
                                                  "website": ["a.nl", "b.nl"]}
