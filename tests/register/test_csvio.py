"""Reading incoming CSV files (formats/README.md): encodings, delimiters, headers, rows, dates, amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.register.conftest import D1, count, mirror_state
from tests.register.helpers import load, register_row, to_csv
from wki.core.csvio import CsvFormatError, decode, open_csv, parse_amount, parse_date, split_multi
from wki.register.models import RegisterSnapshot, RegistrationVersion
from wki.register.snapshots import SnapshotRejected
from wki.register.validation import REGISTER_COLUMNS, REGISTER_REQUIRED

COLUMNS = ("registratienummer", "naam", "kvk_nummer", "plaats")
REQUIRED = frozenset({"registratienummer", "naam", "kvk_nummer"})


def table(data: bytes, **kwargs):
    return open_csv(data, columns=COLUMNS, required=kwargs.pop("required", REQUIRED), **kwargs)


def rows(data: bytes, **kwargs) -> list:
    return list(table(data, **kwargs).rows())


# ---------------------------------------------------------------- encodings


class TestEncoding:
    def test_utf8(self):
        t = table("registratienummer,naam,kvk_nummer\r\nR1,Invorderingen Zoë,12345678\r\n".encode())
        assert t.encoding == "UTF-8"
        assert list(t.rows()) == [(2, ("R1", "Invorderingen Zoë", "12345678", ""))]

    def test_utf8_with_bom_is_named_and_the_bom_is_not_part_of_the_first_header(self):
        data = b"\xef\xbb\xbf" + "registratienummer,naam,kvk_nummer\nR1,Zoë,12345678\n".encode()
        t = table(data)
        assert t.encoding == "UTF-8 (met BOM)"
        assert "registratienummer" in t.present
        assert t.unknown_columns == []
        assert list(t.rows()) == [(2, ("R1", "Zoë", "12345678", ""))]

    def test_windows_1252_is_detected_not_guessed(self):
        data = "registratienummer;naam;kvk_nummer\r\nR1;Invorderingen Zoë € “Noord”;12345678\r\n".encode("cp1252")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        t = table(data)
        assert t.encoding == "Windows-1252"
        assert list(t.rows()) == [(2, ("R1", "Invorderingen Zoë € “Noord”", "12345678", ""))]

    def test_bytes_that_are_neither_utf8_nor_windows_1252_reject_the_file(self):
        with pytest.raises(CsvFormatError, match="geen UTF-8 en geen Windows-1252"):
            decode(b"naam\n\x81\x8d\x90")

    def test_bom_followed_by_invalid_utf8_rejects_the_file(self):
        with pytest.raises(CsvFormatError, match="begint als UTF-8 maar bevat ongeldige tekens"):
            decode(b"\xef\xbb\xbfnaam\n\xe9\n")

    def test_the_import_reports_and_stores_the_encoding(self, db_session):
        rows_ = [register_row(1, naam="Invorderingen Zoë B.V.", plaats="Bergen op Zoom")]
        result = load(to_csv(rows_, encoding="cp1252", delimiter=";"), D1)
        assert result.encoding == "Windows-1252"
        assert result.snapshot.encoding == "Windows-1252"
        [version] = db_session.query(RegistrationVersion).all()
        assert version.naam == "Invorderingen Zoë B.V."

    def test_the_import_names_a_bom(self, db_session):
        result = load(b"\xef\xbb\xbf" + to_csv([register_row(1)]), D1)
        assert result.encoding == "UTF-8 (met BOM)"
        assert count(RegistrationVersion) == 1


# ---------------------------------------------------------------- delimiter and header


class TestHeader:
    @pytest.mark.parametrize("delimiter", [",", ";"])
    def test_delimiter_is_sniffed_from_the_header(self, delimiter):
        data = f"registratienummer{delimiter}naam{delimiter}kvk_nummer\nR1{delimiter}A, B; C{delimiter}1\n"
        data = data.replace("A, B; C", '"A, B; C"')
        t = table(data.encode())
        assert t.delimiter == delimiter
        assert list(t.rows()) == [(2, ("R1", "A, B; C", "1", ""))]

    def test_semicolon_file_with_commas_in_cells(self):
        data = b"registratienummer;naam;kvk_nummer;plaats\nR1;Jansen, Smit & Co;12345678;Den Haag\n"
        assert rows(data) == [(2, ("R1", "Jansen, Smit & Co", "12345678", "Den Haag"))]

    def test_headers_match_case_insensitively_and_ignore_spaces(self):
        data = b" Registratienummer ;NAAM;  Kvk_Nummer\t;Plaats\nR1;X;12345678;Assen\n"
        t = table(data)
        assert t.present == frozenset(COLUMNS)
        assert list(t.rows()) == [(2, ("R1", "X", "12345678", "Assen"))]

    def test_inner_spaces_of_a_header_read_as_underscores(self):
        t = open_csv(b"Datum Inschrijving,naam\n2024-01-01,X\n", columns=("naam", "datum_inschrijving"),
                     required={"datum_inschrijving"})
        assert list(t.rows()) == [(2, ("X", "2024-01-01"))]

    def test_cells_come_out_in_canonical_order_whatever_the_file_order(self):
        data = b"plaats,kvk_nummer,naam,registratienummer\nAssen,12345678,X,R1\n"
        assert rows(data) == [(2, ("R1", "X", "12345678", "Assen"))]

    def test_unknown_columns_are_reported_and_ignored(self):
        data = b"registratienummer,Opmerking,naam,kvk_nummer,Extra veld\nR1,let op,X,12345678,iets\n"
        t = table(data)
        assert t.unknown_columns == ["Opmerking", "Extra veld"]
        assert list(t.rows()) == [(2, ("R1", "X", "12345678", ""))]

    def test_the_import_reports_unknown_columns(self, db_session):
        data = to_csv([{**register_row(1), "opmerking": "x"}], columns=[*REGISTER_COLUMNS, "opmerking"])
        result = load(data, D1)
        assert result.unknown_columns == ["opmerking"]
        assert count(RegistrationVersion) == 1

    def test_missing_required_column_rejects_the_file(self):
        with pytest.raises(CsvFormatError) as exc:
            table(b"registratienummer,plaats\nR1,Assen\n")
        assert str(exc.value) == "Verplichte kolom ontbreekt: kvk_nummer, naam."

    def test_a_missing_optional_column_reads_as_empty(self):
        assert rows(b"registratienummer,naam,kvk_nummer\nR1,X,12345678\n") == [(2, ("R1", "X", "12345678", ""))]

    def test_missing_required_column_rejects_the_import_and_changes_nothing(self, db_session):
        load([register_row(1)], D1)
        before = mirror_state()
        columns = [c for c in REGISTER_COLUMNS if c != "kvk_nummer"]
        with pytest.raises(SnapshotRejected) as exc:
            load(to_csv([register_row(2)], columns=columns), D1.replace(month=2))
        assert exc.value.message == "Verplichte kolom ontbreekt: kvk_nummer."
        assert mirror_state() == before

    def test_every_required_register_column_is_required(self):
        for column in sorted(REGISTER_REQUIRED):
            columns = [c for c in REGISTER_COLUMNS if c != column]
            with pytest.raises(CsvFormatError, match=f"Verplichte kolom ontbreekt: {column}\\."):
                open_csv(to_csv([register_row(1)], columns=columns), columns=REGISTER_COLUMNS,
                         required=REGISTER_REQUIRED)

    def test_duplicated_column_rejects_the_file(self):
        with pytest.raises(CsvFormatError, match=r"^Kolom komt meer dan eens voor: naam\.$"):
            table(b"registratienummer,naam,kvk_nummer, Naam \nR1,X,12345678,Y\n")

    def test_duplicated_column_through_the_mapping_rejects_the_file(self):
        with pytest.raises(CsvFormatError, match=r"^Kolom komt meer dan eens voor: naam\.$"):
            table(b"registratienummer,naam,kvk_nummer,Bedrijfsnaam\nR1,X,12345678,Y\n",
                  mapping={"Bedrijfsnaam": "naam"})

    def test_mapping_to_an_unknown_column_rejects_the_file(self):
        with pytest.raises(CsvFormatError, match="De kolomtoewijzing verwijst naar onbekende kolom 'bestaat_niet'"):
            table(b"registratienummer,naam,kvk_nummer\n", mapping={"X": "bestaat_niet"})

    def test_mapping_renames_headers(self):
        data = b"Registratie nr;Naam onderneming;KvK\nR1;X;12345678\n"
        t = table(data, mapping={"registratie nr": "registratienummer", "NAAM ONDERNEMING": "naam",
                                 "KvK": "kvk_nummer"})
        assert list(t.rows()) == [(2, ("R1", "X", "12345678", ""))]

    @pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
    def test_an_empty_file_has_no_header(self, data):
        with pytest.raises(CsvFormatError, match="Het bestand is leeg: er is geen kopregel."):
            table(data)


# ---------------------------------------------------------------- rows


class TestRows:
    def test_blank_lines_are_skipped_and_line_numbers_stay_physical(self):
        data = b"registratienummer,naam,kvk_nummer\r\n\r\nR1,X,12345678\r\n,,\r\n  ,  , \r\n\r\nR2,Y,87654321\r\n\r\n"
        assert rows(data) == [(3, ("R1", "X", "12345678", "")), (7, ("R2", "Y", "87654321", ""))]

    def test_cells_are_stripped(self):
        assert rows(b"registratienummer,naam,kvk_nummer\n R1 ,  X  ,12345678 \n") == [(2, ("R1", "X", "12345678", ""))]

    def test_a_short_row_is_padded_with_empty_cells(self):
        assert rows(b"registratienummer,naam,kvk_nummer,plaats\nR1,X\n") == [(2, ("R1", "X", "", ""))]

    def test_a_row_with_too_many_cells_is_reported_as_none(self):
        data = b"registratienummer,naam,kvk_nummer\nR1,X,12345678\nR2,Y,87654321,extra\nR3,Z,11111111\n"
        assert rows(data) == [(2, ("R1", "X", "12345678", "")), (3, None), (4, ("R3", "Z", "11111111", ""))]

    def test_the_import_reports_a_row_with_too_many_cells(self, db_session):
        data = to_csv([register_row(1), register_row(2)]) + b"R2024-00003,Extra,12345678" + b",x" * 15 + b"\r\n"
        with pytest.raises(SnapshotRejected) as exc:
            load(data, D1)
        [error] = exc.value.errors
        assert (error.line, error.column) == (4, None)
        assert error.reason == "de regel heeft meer cellen dan de kopregel kolommen heeft"
        assert count(RegisterSnapshot) == 0

    def test_quoted_cells_follow_rfc_4180(self):
        data = b'registratienummer,naam,kvk_nummer\nR1,"Jansen ""De Snelle"", Smit",12345678\n'
        assert rows(data) == [(2, ("R1", 'Jansen "De Snelle", Smit', "12345678", ""))]

    def test_unterminated_quote_rejects_the_file(self):
        with pytest.raises(CsvFormatError, match="Het bestand is geen geldige CSV"):
            rows(b'registratienummer,naam,kvk_nummer\nR1,"open,12345678\n')

    def test_split_multi(self):
        assert split_multi(" a | b||c |") == ["a", "b", "c"]
        assert split_multi("") == []


# ---------------------------------------------------------------- dates and amounts


class TestDates:
    @pytest.mark.parametrize("value", ["2025-03-01", "01-03-2025"])
    def test_both_formats(self, value):
        from datetime import date

        assert parse_date(value) == date(2025, 3, 1)

    @pytest.mark.parametrize("value", ["2025-02-30", "30-02-2025", "2025-13-01", "00-01-2025"])
    def test_impossible_date(self, value):
        with pytest.raises(ValueError, match="^bestaat niet als datum$"):
            parse_date(value)

    @pytest.mark.parametrize("value", ["2025/03/01", "1-3-2025", "01.03.2025", "maart 2025", "", "20250301",
                                       "2025-3-1"])
    def test_not_a_date(self, value):
        with pytest.raises(ValueError, match=r"^is geen datum \(gebruik JJJJ-MM-DD of DD-MM-JJJJ\)$"):
            parse_date(value)


class TestAmounts:
    @pytest.mark.parametrize("value", ["1.234,56", "1234.56", "1,234.56", "1234,56", "€ 1.234,56", "1 234,56"])
    def test_either_decimal_separator(self, value):
        assert parse_amount(value) == Decimal("1234.56")

    def test_whole_amounts_and_negative(self):
        assert parse_amount("250") == Decimal("250")
        assert parse_amount("-12,50") == Decimal("-12.50")

    @pytest.mark.parametrize("value", ["abc", "12,34,56.x", ""])
    def test_not_an_amount(self, value):
        with pytest.raises(ValueError, match="^is geen bedrag$"):
            parse_amount(value)
