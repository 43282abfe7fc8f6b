"""``flask deadlines compute`` (wki/core/deadlines_cli.py): the last day as ISO on the first line and the
explanation after it; a whole file with ``--batch``/``--out``, refused as a whole (exit 1, no file) when
any row is wrong; the days administrators equated with holidays count. Expected dates written by hand."""

from __future__ import annotations

from datetime import date

from wki.core.actors import Actor
from wki.core.equated_days import add_equated_day
from wki.core.extensions import db


def test_one_deadline_prints_the_last_day_first_and_then_the_steps(cli):
    result = cli.invoke(args=["deadlines", "compute", "2026-03-03", "6w"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2026-04-14"
    assert lines[1:] == [
        "Gebeurtenis: dinsdag 3 maart 2026.",
        "De termijn begint op de dag daarna: woensdag 4 maart 2026 (art. 6:8 lid 1 Awb).",
        "Termijn van 6 weken: de laatste dag is dinsdag 14 april 2026.",
        "Dinsdag 14 april 2026 is geen zaterdag, zondag of feestdag: de termijn eindigt op die dag.",
    ]


def test_dutch_dates_and_periods_in_words_and_the_atw(cli):
    result = cli.invoke(args=["deadlines", "compute", "24-4-2025", "2 dagen"])  # Sat 26 Apr: King's Day 2025
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2025-04-28"
    assert lines[-1].startswith("Zaterdag 26 april 2025 is Koningsdag")
    assert cli.invoke(args=["deadlines", "compute", "2026-01-05", "13W"]).output.splitlines()[0] == "2026-04-07"


def test_bad_input_is_refused_in_dutch(cli):
    bad_period = cli.invoke(args=["deadlines", "compute", "2026-03-03", "6 jaar"])
    assert bad_period.exit_code == 1 and "is geen termijn" in bad_period.output
    bad_day = cli.invoke(args=["deadlines", "compute", "30-2-2026", "6w"])
    assert bad_day.exit_code == 1 and "bestaat niet als datum" in bad_day.output
    missing = cli.invoke(args=["deadlines", "compute", "2026-03-03"])
    assert missing.exit_code == 2 and "Geef een datum en een termijn" in missing.output
    both = cli.invoke(args=["deadlines", "compute", "2026-03-03", "6w", "--out", "x.csv"])
    assert both.exit_code == 2


def test_an_equated_day_added_by_an_administrator_changes_the_result(cli):
    assert cli.invoke(args=["deadlines", "compute", "2026-05-01", "2w"]).output.splitlines()[0] == "2026-05-15"
    add_equated_day(date(2026, 5, 15), "Vrijdag na Hemelvaartsdag", "Besluit van 1 maart 2026, Stb. 2026, 12",
                    actor=Actor.process("test"))
    db.session.commit()
    result = cli.invoke(args=["deadlines", "compute", "2026-05-01", "2w"])
    lines = result.output.splitlines()
    assert lines[0] == "2026-05-18"
    assert lines[-1].startswith("Vrijdag 15 mei 2026 is Vrijdag na Hemelvaartsdag (bij besluit gelijkgesteld")


def test_a_batch_file_in_and_out(cli, tmp_path):
    source = tmp_path / "in.csv"
    # A BOM, semicolons, a Dutch date, a period in words and in capitals, a header in capitals with spaces.
    source.write_bytes("\ufeffDatum ; Termijn\r\n2026-03-03;6w\r\n24-4-2025;2d\r\n2025-01-31;1M\r\n"
                       "2026-03-21;2 weken\r\n\r\n".encode())
    out = tmp_path / "uit" / "out.csv"
    result = cli.invoke(args=["deadlines", "compute", "--batch", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 termijnen" in result.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "datum,termijn,einddatum",
        "2026-03-03,6w,2026-04-14",
        "2025-04-24,2d,2025-04-28",
        "2025-01-31,1m,2025-02-28",
        "2026-03-21,2w,2026-04-07",
    ]


def test_a_batch_with_bad_rows_is_refused_whole_and_writes_nothing(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("datum,termijn\n2026-03-03,6w\n2026-02-30,6w\nmorgen,2x\n2026-03-03,\n2026-03-03,6w,extra\n",
                      encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli.invoke(args=["deadlines", "compute", "--batch", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    output = result.output
    assert "Het bestand is geweigerd: 5 fouten; er is niets geschreven." in output
    assert "regel 3, kolom Datum: ‘2026-02-30’ bestaat niet als datum" in output
    assert "regel 4, kolom Datum: ‘morgen’ is geen datum" in output
    assert "regel 4, kolom Termijn: ‘2x’ is geen termijn" in output
    assert "regel 5, kolom Termijn: vul een termijn in" in output
    assert "regel 6: de regel heeft meer kolommen dan de kopregel" in output
    assert "regel 2" not in output


def test_a_batch_without_its_columns_or_with_batch_alone_is_refused(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("datum;periode\n2026-03-03;6w\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli.invoke(args=["deadlines", "compute", "--batch", str(source), "--out", str(out)])
    assert result.exit_code == 1 and "Verplichte kolom ontbreekt: Termijn (kop ‘termijn’)" in result.output
    assert not out.exists()
    alone = cli.invoke(args=["deadlines", "compute", "--batch", str(source)])
    assert alone.exit_code == 2 and "--batch IN.csv --out UIT.csv samen" in alone.output
