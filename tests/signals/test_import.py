"""Bulk files: Dutch Excel files, duplicates, bad rows, skipping them with a rejects file."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.helpers import make_iban
from tests.signals.helpers import signal_row, signals_csv
from wki.core.actors import Actor
from wki.core.extensions import db
from wki.signals.imports import SignalFileRejected, import_signals
from wki.signals.models import Signal, SignalImport, Verdict


def signals() -> list[Signal]:
    return list(db.session.scalars(sa.select(Signal).order_by(Signal.id)))


def test_excel_file_with_semicolons_bom_and_decimal_commas(mirror):
    data = signals_csv([
        signal_row(1, naam_incassant="Noordkaap Incasso", hoofdsom="1.250,00", incassokosten="450,00"),
        signal_row(2, naam_incassant="Snelgeld Inning", hoofdsom="180,00", incassokosten="40,00"),
    ])
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data
    result = import_signals(data, file_name="meldingen.csv", actor=Actor.process("test"))
    assert result.counts == {"nieuw": 2, "dubbel": 0, "ongeldig": 0}
    assert result.encoding == "UTF-8 (met BOM)"
    first, second = signals()
    assert first.hoofdsom == Decimal("1250.00") and first.incassokosten == Decimal("450.00")
    assert first.bik_maximum == Decimal("187.50")
    assert first.bik_excess == Decimal("223.12")  # 450.00 - 226.88
    assert first.auto_verdict == Verdict.REGISTERED
    assert second.bik_maximum == Decimal("40.00") and second.bik_excess == Decimal("0.00")
    assert second.auto_verdict == Verdict.UNREGISTERED and second.suspect_id is not None


def test_windows_1252_file(mirror):
    data = signals_csv([signal_row(1, naam_incassant="Incassobureau Zeeëngel", plaats="Zoetermeer")],
                       encoding="cp1252")
    assert "Zeeëngel".encode("cp1252") in data
    result = import_signals(data, file_name="oud.csv", actor=Actor.process("test"))
    assert result.encoding == "Windows-1252"
    assert signals()[0].naam_incassant == "Incassobureau Zeeëngel"


def test_comma_separated_iso_file_with_dutch_dates(mirror):
    data = signals_csv([signal_row(1, ontvangen_op="10-03-2026", datum_brief="02-03-2026", hoofdsom="1234.56")],
                       delimiter=",", encoding="utf-8")
    import_signals(data, file_name="x.csv", actor=Actor.process("test"))
    signal = signals()[0]
    assert signal.ontvangen_op.isoformat() == "2026-03-10" and signal.hoofdsom == Decimal("1234.56")


def test_known_reference_from_the_same_source_is_a_duplicate_and_changes_nothing(mirror):
    import_signals(signals_csv([signal_row(1, naam_incassant="Snelgeld Inning")]), file_name="a.csv",
                   actor=Actor.process("test"))
    before = [(s.id, s.naam_incassant, s.auto_verdict) for s in signals()]
    again = signals_csv([signal_row(1, naam_incassant="Heel Andere Naam"),
                         signal_row(1, bron="gemeente", naam_incassant="Snelgeld Inning")])
    result = import_signals(again, file_name="b.csv", actor=Actor.process("test"))
    assert result.counts == {"nieuw": 1, "dubbel": 1, "ongeldig": 0}
    assert result.duplicates == [(2, "consument", "MLD-00001")]
    assert any("al bekend (dubbel)" in line for line in result.report())
    after = [(s.id, s.naam_incassant, s.auto_verdict) for s in signals()]
    assert after[0] == before[0]  # the known signal is untouched
    assert len(after) == 2 and signals()[1].bron == "gemeente"


def test_duplicate_within_one_file(mirror):
    result = import_signals(signals_csv([signal_row(1), signal_row(1, naam_incassant="Ander")]), file_name="a.csv",
                            actor=Actor.process("test"))
    assert result.counts["nieuw"] == 1 and result.counts["dubbel"] == 1


@pytest.mark.parametrize(("overrides", "column", "reason"), [
    ({"referentie": ""}, "referentie", "is verplicht"),
    ({"bron": "buurman"}, "bron", "geen bekende bron"),
    ({"ontvangen_op": "31-02-2026"}, "ontvangen_op", "bestaat niet als datum"),
    ({"ontvangen_op": "2099-01-01"}, "ontvangen_op", "in de toekomst"),
    ({"datum_brief": "2026-03-20"}, "datum_brief", "na de datum van ontvangst"),
    ({"hoofdsom": "veel"}, "hoofdsom", "geen bedrag"),
    ({"incassokosten": "-5,00"}, "incassokosten", "0 of meer"),
    ({"naam_incassant": ""}, "naam_incassant", "is verplicht als geen KvK-nummer"),
    ({"kvk_nummer": "12 34"}, "kvk_nummer", "geen KvK-nummer"),
    ({"email": "geen-adres"}, "email", "geen e-mailadres"),
])
def test_a_bad_row_rejects_the_whole_file_with_a_report(mirror, overrides, column, reason):
    data = signals_csv([signal_row(1), signal_row(2, **overrides), signal_row(3)])
    with pytest.raises(SignalFileRejected) as exc:
        import_signals(data, file_name="fout.csv", actor=Actor.process("test"))
    errors = exc.value.errors
    assert [(e.line, e.column) for e in errors] == [(3, column)]
    assert reason in errors[0].reason
    assert "regel 3" in "\n".join(exc.value.report())
    assert signals() == [] and db.session.scalar(sa.select(sa.func.count()).select_from(SignalImport)) == 0


def test_missing_required_column_rejects_the_file(mirror):
    data = signals_csv([signal_row(1)], columns=["referentie", "bron", "naam_incassant"])
    with pytest.raises(SignalFileRejected, match="Verplichte kolom ontbreekt: Ontvangen op \\(kop ‘ontvangen_op’\\)"):
        import_signals(data, file_name="x.csv", actor=Actor.process("test"))


def test_skip_invalid_keeps_the_good_rows_and_returns_the_rejects(mirror):
    data = signals_csv([signal_row(1), signal_row(2, hoofdsom="veel"), signal_row(3, iban=make_iban(9))])
    result = import_signals(data, file_name="x.csv", actor=Actor.process("test"), skip_invalid=True)
    assert result.counts == {"nieuw": 2, "dubbel": 0, "ongeldig": 1}
    assert [s.referentie for s in signals()] == ["MLD-00001", "MLD-00003"]
    rejects = result.rejects_csv.decode("utf-8-sig").splitlines()
    assert rejects[0].startswith("regel;referentie;")
    assert rejects[1].startswith("3;MLD-00002;") and "regel 3, kolom Hoofdsom: is geen bedrag" in rejects[1]
    assert result.record.rejects_csv == result.rejects_csv


def test_kvk_extract_shows_the_firms_not_in_the_register(mirror):
    extract = signals_csv([
        signal_row(1, bron="kvk", naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="10000001", datum_brief=""),
        signal_row(2, bron="kvk", naam_incassant="Vesting Debiteurenbeheer B.V.", kvk_nummer="55667788",
                   datum_brief=""),
        signal_row(3, bron="kvk", naam_incassant="Linde Incassodiensten", kvk_nummer="55667799", datum_brief=""),
    ])
    import_signals(extract, file_name="kvk.csv", actor=Actor.process("test"))
    verdicts = {s.kvk: s.auto_verdict for s in signals()}
    assert verdicts == {"10000001": Verdict.REGISTERED, "55667788": Verdict.UNREGISTERED,
                        "55667799": Verdict.UNREGISTERED}
    suspects = {s.suspect_id for s in signals() if s.auto_verdict == Verdict.UNREGISTERED}
    assert len(suspects) == 2  # two firms, two suspects


def test_the_same_reference_twice_at_once_is_a_duplicate_not_an_error(mirror, monkeypatch):
    from wki.signals import recording
    from wki.signals.models import Channel

    first = recording.create_signal(signal_row(1), channel=Channel.API, actor=Actor.process("partner:x"))
    # The second request checked before the first committed: only the unique constraint can tell.
    monkeypatch.setattr(recording, "known_references", lambda keys: set())
    with pytest.raises(recording.DuplicateSignal, match="al bekend"):
        recording.create_signal(signal_row(1, naam_incassant="Ander"), channel=Channel.API, actor=Actor.process("partner:x"))
    assert [s.id for s in signals()] == [first.id] and signals()[0].naam_incassant == first.naam_incassant


def test_the_rejects_file_makes_formula_cells_text(mirror):
    """Issue 10, item 11: a skipped row whose name is a formula must not come back live in the Excel-ready
    rejects file (nor its other cells that start with = + - @, tab or CR)."""
    data = signals_csv([signal_row(1, naam_incassant='=HYPERLINK("http://kwaad.example/x","Klik")',
                                   hoofdsom="veel", telefoon="+31 20 123 4567", email="@SUM(1+1)"),
                        signal_row(2, naam_incassant="-2+3", ontvangen_op="gisteren")])
    result = import_signals(data, file_name="x.csv", actor=Actor.process("test"), skip_invalid=True)
    rows = list(csv.DictReader(io.StringIO(result.rejects_csv.decode("utf-8-sig")), delimiter=";"))
    assert [row["naam_incassant"] for row in rows] == ['\'=HYPERLINK("http://kwaad.example/x","Klik")', "'-2+3"]
    assert rows[0]["telefoon"] == "'+31 20 123 4567" and rows[0]["email"] == "'@SUM(1+1)"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
