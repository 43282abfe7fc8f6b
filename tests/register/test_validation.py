"""Every validation rule of register.md and vrijgestelden.md, and the rule that one bad row rejects the file.

Rows go through the real import: a rule only counts when a file breaking it is refused with its line,
column, value and Dutch reason, and nothing in the mirror changes.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.helpers import make_iban
from tests.register.conftest import D1, D2, count, current_values, mirror_state
from tests.register.helpers import exempt_csv, exempt_row, load, register_row, to_csv
from wki.core.csvio import RowError
from wki.core.extensions import db
from wki.core.iban import iban_is_valid
from wki.register.models import ExemptPartyVersion, RegisterSnapshot, RegistrationVersion, SnapshotKind
from wki.register.snapshots import SnapshotRejected


def rejected(rows, day=D1, **kwargs) -> SnapshotRejected:
    with pytest.raises(SnapshotRejected) as exc:
        load(rows, day, **kwargs)
    return exc.value


def only_error(rows, **kwargs) -> RowError:
    errors = rejected(rows, **kwargs).errors
    assert len(errors) == 1, [e.describe() for e in errors]
    return errors[0]


def accepted(row: dict[str, str]) -> RegistrationVersion:
    result = load([row], D1)
    assert result.outcome == "toegepast", result.message
    return db.session.scalars(sa.select(RegistrationVersion).where(
        RegistrationVersion.registratienummer == row["registratienummer"])).one()


# ---------------------------------------------------------------- register rows


class TestRequired:
    @pytest.mark.parametrize("column", ["registratienummer", "naam", "kvk_nummer", "status", "datum_inschrijving"])
    def test_each_required_column_empty(self, db_session, column):
        error = only_error([register_row(1), register_row(2, **{column: ""})])
        assert (error.line, error.column, error.value, error.reason) == (3, column, "", "is verplicht")
        assert count(RegisterSnapshot) == 0

    @pytest.mark.parametrize("column", ["handelsnamen", "vestigingsnummer", "straat", "huisnummer", "postcode",
                                        "plaats", "website", "email", "telefoon", "iban", "geldig_tot"])
    def test_optional_columns_may_be_empty(self, db_session, column):
        version = accepted(register_row(1, **{column: ""}))
        assert version.naam == "Incassobureau 1 B.V."

    def test_a_whitespace_only_cell_counts_as_empty(self, db_session):
        error = only_error([register_row(1, naam="   ")])
        assert (error.column, error.reason) == ("naam", "is verplicht")


class TestKvk:
    @pytest.mark.parametrize("value", ["1234567", "123456789", "1234567A", "ABCDEFGH", "1234 5678", "12.345.678"])
    def test_not_eight_digits(self, db_session, value):
        error = only_error([register_row(1, kvk_nummer=value)])
        assert (error.line, error.column, error.value) == (2, "kvk_nummer", value)
        assert error.reason == "moet uit precies 8 cijfers bestaan"

    def test_leading_zeros_are_kept(self, db_session):
        assert accepted(register_row(1, kvk_nummer="04123456")).kvk_nummer == "04123456"


class TestVestigingsnummer:
    @pytest.mark.parametrize("value", ["12345", "0000123456789", "00001234567X"])
    def test_not_twelve_digits(self, db_session, value):
        error = only_error([register_row(1, vestigingsnummer=value)])
        assert (error.column, error.value, error.reason) == (
            "vestigingsnummer", value, "moet uit precies 12 cijfers bestaan")

    def test_twelve_digits_with_leading_zeros(self, db_session):
        assert accepted(register_row(1, vestigingsnummer="000012345678")).vestigingsnummer == "000012345678"


class TestPostcode:
    @pytest.mark.parametrize("value", ["1234AB", "1234 AB", "1234ab", "1234 aB"])
    def test_valid_postcodes_are_normalised(self, db_session, value):
        assert accepted(register_row(1, postcode=value)).postcode == "1234 AB"

    @pytest.mark.parametrize("value", ["0123 AB", "12345", "1234", "1234 A", "1234 ABC", "AB 1234", "1234-AB"])
    def test_invalid_postcodes(self, db_session, value):
        error = only_error([register_row(1, postcode=value)])
        assert (error.column, error.value, error.reason) == (
            "postcode", value, "is geen Nederlandse postcode (1234 AB)")


class TestStatus:
    @pytest.mark.parametrize("value", ["actief", "ingeschreven!", "geschorst"])
    def test_invalid_status(self, db_session, value):
        error = only_error([register_row(1, status=value)])
        assert (error.column, error.value, error.reason) == (
            "status", value, "moet ingeschreven, doorgehaald of verlopen zijn")

    def test_status_is_case_insensitive_and_stored_lower_case(self, db_session):
        assert accepted(register_row(1, status="Ingeschreven")).status == "ingeschreven"

    @pytest.mark.parametrize("status", ["doorgehaald", "verlopen"])
    def test_datum_einde_is_required_when_the_registration_ended(self, db_session, status):
        error = only_error([register_row(1, status=status, datum_einde="")])
        assert (error.column, error.value, error.reason) == ("datum_einde", "", f"is verplicht bij status {status}")

    @pytest.mark.parametrize("status", ["doorgehaald", "verlopen"])
    def test_ended_registration_with_datum_einde_is_accepted(self, db_session, status):
        from datetime import date

        version = accepted(register_row(1, status=status, datum_einde="2025-11-30"))
        assert (version.status, version.datum_einde) == (status, date(2025, 11, 30))

    def test_ingeschreven_needs_no_datum_einde(self, db_session):
        assert accepted(register_row(1, datum_einde="")).datum_einde is None


class TestDates:
    @pytest.mark.parametrize("end", ["2024-05-13", "2024-05-12", "01-01-2020"])
    def test_datum_einde_must_be_after_datum_inschrijving(self, db_session, end):
        error = only_error([register_row(1, status="doorgehaald", datum_inschrijving="2024-05-13", datum_einde=end)])
        assert (error.column, error.value, error.reason) == ("datum_einde", end, "ligt niet na datum_inschrijving")

    @pytest.mark.parametrize("column", ["datum_inschrijving", "datum_einde", "geldig_tot"])
    def test_impossible_date(self, db_session, column):
        row = register_row(1, **{column: "2025-02-30"})
        if column == "datum_einde":
            row["status"] = "doorgehaald"
        error = only_error([row])
        assert (error.column, error.value, error.reason) == (column, "2025-02-30", "bestaat niet als datum")

    @pytest.mark.parametrize("column", ["datum_inschrijving", "datum_einde", "geldig_tot"])
    @pytest.mark.parametrize("value", ["13/05/2024", "mei 2024", "2024-5-13"])
    def test_not_a_date(self, db_session, column, value):
        error = only_error([register_row(1, **{column: value})])
        assert (error.column, error.value) == (column, value)
        assert error.reason == "is geen datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)"

    def test_dutch_dates_are_read(self, db_session):
        from datetime import date

        version = accepted(register_row(1, status="verlopen", datum_inschrijving="13-05-2024",
                                        datum_einde="13-05-2025", geldig_tot="13-05-2025"))
        assert (version.datum_inschrijving, version.datum_einde, version.geldig_tot) == (
            date(2024, 5, 13), date(2025, 5, 13), date(2025, 5, 13))


class TestIban:
    def test_make_iban_and_known_iban_are_valid(self):
        assert iban_is_valid("NL91ABNA0417164300")
        assert iban_is_valid(make_iban(1)) and iban_is_valid(make_iban(987654321, "INGB"))

    def test_one_mistyped_digit_fails_the_checksum(self, db_session):
        good = make_iban(4171643)
        bad = good[:-1] + str((int(good[-1]) + 1) % 10)
        assert iban_is_valid(good) and not iban_is_valid(bad)
        error = only_error([register_row(1, iban=bad)])
        assert (error.column, error.value) == ("iban", bad)
        assert error.reason == "is geen geldig IBAN (het controlegetal klopt niet)"

    def test_swapped_digits_fail_the_checksum(self, db_session):
        error = only_error([register_row(1, iban="NL91ABNA0417163400")])
        assert error.value == "NL91ABNA0417163400"

    def test_one_bad_iban_among_several_is_reported_alone(self, db_session):
        good1, good2 = make_iban(1), make_iban(2, "RABO")
        bad = good2[:10] + str((int(good2[10]) + 3) % 10) + good2[11:]
        error = only_error([register_row(1, iban=f"{good1}|{bad}|{good2}")])
        assert (error.column, error.value) == ("iban", bad)

    @pytest.mark.parametrize("value", ["NL91", "nonsense", "NL91ABNA04171643001234567890123456789"])
    def test_malformed_iban(self, db_session, value):
        error = only_error([register_row(1, iban=value)])
        assert error.column == "iban"

    def test_spacing_and_case_are_normalised(self, db_session):
        version = accepted(register_row(1, iban=f"nl91 abna 0417 1643 00 | {make_iban(2)}"))
        assert version.iban_list == ["NL91ABNA0417164300", make_iban(2)]


class TestRegistratienummer:
    def test_duplicate_names_the_first_line(self, db_session):
        rows = [register_row(1), register_row(2), register_row(3), register_row(1, naam="Tweede keer")]
        error = only_error(rows)
        assert (error.line, error.column, error.value) == (5, "registratienummer", "R2024-00001")
        assert error.reason == "komt al voor op regel 2"

    @pytest.mark.parametrize("value", ["R 2024-1", "R2024#1", "R2024,1;x", "-R2024", "é2024", "R" * 41])
    def test_illegal_characters(self, db_session, value):
        error = only_error([register_row(1, registratienummer=value)])
        assert (error.column, error.value) == ("registratienummer", value)
        assert error.reason == "mag alleen letters, cijfers en . / _ - bevatten (hoogstens 40 tekens)"

    @pytest.mark.parametrize("value", ["R2024-00017", "12345", "R.2024/17_a"])
    def test_legal_numbers(self, db_session, value):
        assert accepted(register_row(1, registratienummer=value)).registratienummer == value


class TestOtherFields:
    def test_overlong_name(self, db_session):
        error = only_error([register_row(1, naam="X" * 301)])
        assert (error.column, error.reason) == ("naam", "is langer dan 300 tekens")

    def test_multi_valued_cells_are_trimmed(self, db_session):
        version = accepted(register_row(1, handelsnamen=" Noord | NKI Collect ||", website="a.nl| b.nl"))
        assert version.trade_names == ["Noord", "NKI Collect"]
        assert version.website_list == ["a.nl", "b.nl"]


# ---------------------------------------------------------------- one bad row rejects the file


class TestWholeFileRejected:
    def test_every_bad_row_is_reported_and_nothing_changes(self, db_session):
        load([register_row(n) for n in range(1, 6)], D1)
        before = mirror_state()
        rows = [
            register_row(1, naam="Nieuwe naam B.V."),           # a good change, not applied
            register_row(2, kvk_nummer="1234567"),              # line 3
            register_row(3),
            register_row(4, postcode="12345", iban="NL00ABNA0000000000", status="weg"),  # line 5: three errors
            register_row(6),                                     # a good new row, not applied
            register_row(7, status="doorgehaald"),               # line 7
        ]
        exc = rejected(rows, day=D2)
        assert exc.message == "Het bestand bevat 5 fout(en) en is niet ingelezen; er is niets gewijzigd."
        assert [(e.line, e.column, e.value) for e in exc.errors] == [
            (3, "kvk_nummer", "1234567"),
            (5, "postcode", "12345"),
            (5, "status", "weg"),
            (5, "iban", "NL00ABNA0000000000"),
            (7, "datum_einde", ""),
        ]
        assert exc.report()[0] == "regel 3, kolom kvk_nummer: moet uit precies 8 cijfers bestaan (waarde '1234567')"
        assert exc.report()[-1] == "regel 7, kolom datum_einde: is verplicht bij status doorgehaald"
        assert mirror_state() == before
        assert current_values()["R2024-00001"][0] == "Incassobureau 1 B.V."
        assert count(RegisterSnapshot) == 1

    def test_the_report_is_bounded(self, db_session):
        exc = rejected([register_row(n, kvk_nummer="x") for n in range(1, 8)])
        assert len(exc.errors) == 7
        lines = exc.report(limit=5)
        assert len(lines) == 6
        assert lines[-1] == "… en nog 2 fout(en)."

    def test_errors_are_reported_as_dutch_records(self, db_session):
        error = only_error([register_row(1, kvk_nummer="123")])
        assert error.as_dict() == {"regel": 2, "kolom": "kvk_nummer", "waarde": "123",
                                   "reden": "moet uit precies 8 cijfers bestaan"}

    def test_a_rejected_first_import_leaves_an_empty_mirror(self, db_session):
        before = mirror_state()
        rejected([register_row(1), register_row(2, postcode="0000 AA")])
        assert mirror_state() == before
        assert count(RegistrationVersion) == 0


# ---------------------------------------------------------------- exempt list


def exempt_rejected(rows) -> SnapshotRejected:
    with pytest.raises(SnapshotRejected) as exc:
        load(exempt_csv(rows), D1, kind=SnapshotKind.EXEMPT)
    return exc.value


class TestExempt:
    @pytest.mark.parametrize("value", ["notaris", "incassobureau", "deurwaarder"])
    def test_beroep_must_be_a_bailiff_or_lawyer(self, db_session, value):
        [error] = exempt_rejected([exempt_row(1), exempt_row(2, beroep=value)]).errors
        assert (error.line, error.column, error.value) == (3, "beroep", value)
        assert error.reason == "moet gerechtsdeurwaarder of advocaat zijn"
        assert count(ExemptPartyVersion) == 0

    @pytest.mark.parametrize("column", ["naam", "beroep"])
    def test_required(self, db_session, column):
        [error] = exempt_rejected([exempt_row(1, **{column: ""})]).errors
        assert (error.column, error.reason) == (column, "is verplicht")

    @pytest.mark.parametrize("value", ["1234567", "1234567A"])
    def test_kvk_when_given_is_eight_digits(self, db_session, value):
        [error] = exempt_rejected([exempt_row(1, kvk_nummer=value)]).errors
        assert (error.column, error.value, error.reason) == ("kvk_nummer", value, "moet uit precies 8 cijfers bestaan")

    def test_kvk_is_optional_and_beroep_case_insensitive(self, db_session):
        result = load(exempt_csv([exempt_row(1, kvk_nummer=""), exempt_row(2, beroep="Advocaat", naam="Mr. Jansen")]),
                      D1, kind=SnapshotKind.EXEMPT)
        assert result.outcome == "toegepast"
        parties = {p.naam: p for p in db.session.scalars(sa.select(ExemptPartyVersion))}
        assert parties["Deurwaarderskantoor 1"].kvk_nummer is None
        assert parties["Mr. Jansen"].beroep == "advocaat"

    def test_missing_required_column(self, db_session):
        with pytest.raises(SnapshotRejected, match="Verplichte kolom ontbreekt: beroep."):
            load(to_csv([exempt_row(1)], columns=["naam", "kvk_nummer", "plaats"]), D1, kind=SnapshotKind.EXEMPT)

    def test_the_same_office_twice(self, db_session):
        [error] = exempt_rejected([exempt_row(1), exempt_row(2), exempt_row(1, naam=" deurwaarderskantoor  1 ",
                                                                          plaats="Zeist")]).errors
        assert error.line == 4
        assert error.reason == "komt al voor op regel 2"

    def test_every_bad_row_is_reported(self, db_session):
        exc = exempt_rejected([exempt_row(1, beroep="notaris"), exempt_row(2), exempt_row(3, naam="", kvk_nummer="1")])
        assert [(e.line, e.column) for e in exc.errors] == [(2, "beroep"), (4, "naam"), (4, "kvk_nummer")]
        assert count(RegisterSnapshot) == 0


def test_a_bad_register_row_in_a_semicolon_cp1252_file_keeps_its_line_number(db_session):
    data = to_csv([register_row(1, naam="Zoë"), register_row(2, kvk_nummer="Zoë")], delimiter=";", encoding="cp1252")
    exc = rejected(data)
    [error] = exc.errors
    assert (error.line, error.value) == (3, "Zoë")
