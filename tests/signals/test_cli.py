"""``flask signals import|export|match``."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from tests.signals.helpers import signal_row, signals_csv
from wki.core.extensions import db
from wki.signals.export import EXPORT_COLUMNS
from wki.signals.models import Signal, Verdict


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) or 0


def test_import_then_export(app, mirror, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "meldingen.csv"
    path.write_bytes(signals_csv([
        signal_row(1, naam_incassant="Noordkaap Incasso", hoofdsom="1.250,00", incassokosten="450,00"),
        signal_row(2, naam_incassant="Snelgeld Inning"),
        signal_row(3, naam_incassant="Gerechtsdeurwaarderskantoor Klaassen", hoofdsom="100", incassokosten=""),
    ]))
    result = runner.invoke(args=["signals", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Nieuw: 3  dubbel: 0" in result.output
    again = runner.invoke(args=["signals", "import", str(path)])
    assert again.exit_code == 0 and "dubbel: 3" in again.output and count() == 3

    out = tmp_path / "oordelen.csv"
    exported = runner.invoke(args=["signals", "export", str(out)])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    by_ref = {r["referentie"]: r for r in rows}
    first, second, third = by_ref["MLD-00001"], by_ref["MLD-00002"], by_ref["MLD-00003"]
    assert first["oordeel"] == Verdict.REGISTERED and first["registratienummer"] == "R2024-00001"
    assert first["bik_maximum"] == "187.50" and first["bik_overschrijding"] == "223.12"
    assert first["verdachte_id"] == "" and int(first["score"]) >= 90 and "geldig op" in first["toelichting"]
    assert second["oordeel"] == Verdict.UNREGISTERED and second["verdachte_id"].isdigit()
    assert second["registratienummer"] == "" and second["bik_maximum"] == ""
    assert third["oordeel"] == Verdict.EXEMPT and third["bik_maximum"] == "40.00"
    assert third["bik_overschrijding"] == ""


def test_bad_file_is_refused_with_the_report_and_changes_nothing(app, mirror, tmp_path):
    path = tmp_path / "fout.csv"
    path.write_bytes(signals_csv([signal_row(1), signal_row(2, ontvangen_op="gisteren")]))
    result = app.test_cli_runner().invoke(args=["signals", "import", str(path)])
    assert result.exit_code != 0
    assert "regel 3, kolom Ontvangen op: is geen datum" in result.output
    assert count() == 0


def test_skip_invalid_writes_report_and_rejects_beside_the_file(app, mirror, tmp_path):
    path = tmp_path / "deels.csv"
    path.write_bytes(signals_csv([signal_row(1), signal_row(2, ontvangen_op="gisteren")]))
    result = app.test_cli_runner().invoke(args=["signals", "import", str(path), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert count() == 1
    report = (tmp_path / "deels.csv.rapport.txt").read_text()
    assert "overgeslagen: regel 3, kolom Ontvangen op" in report
    rejects = (tmp_path / "deels.afgekeurd.csv").read_bytes().decode("utf-8-sig")
    assert "MLD-00002" in rejects and "MLD-00001" not in rejects


def test_match_command(app, mirror):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["signals", "match"])
    assert result.exit_code == 0 and "beoordeeld: 0" in result.output
