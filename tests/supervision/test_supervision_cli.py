"""``flask supervision check-staff`` and ``flask supervision priorities``: a real small staff list, Dutch
summaries, exit codes, no output file for a refused list, both date spellings."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.factories import RegistrationVersionFactory
from wki.supervision.cli import supervision_cli
from wki.supervision.priorities import priorities_csv

STAFF = """naam,functie,datum_in_dienst,datum_uit_dienst,datum_vog,opleidingsniveau,bijscholingen
Anna de Vries,incassomedewerker,2025-01-15,,2024-12-01,MBO-3,
Bert Jansen,incassomedewerker,01-01-2020,,,MBO-2,
Carla Smit,operationeel_leidinggevende,2019-03-01,2025-12-31,2019-02-01,HBO,2025-05-05
Dirk Bakker,operationeel_leidinggevende,2023-01-01,,2024-02-15,MBO-4,2025-10-01
"""


@pytest.fixture
def cli(app: Flask, db_session) -> FlaskCliRunner:
    """A runner with the ``supervision`` group (the lead registers it on the feature; until then, here)."""
    if "supervision" not in app.cli.commands:
        app.cli.add_command(supervision_cli)
    return app.test_cli_runner()


def write(tmp_path: Path, text: str, name: str = "personeel.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))


def test_check_staff_writes_the_findings_and_says_how_many(cli, tmp_path):
    out = tmp_path / "resultaat.csv"
    result = cli.invoke(args=["supervision", "check-staff", write(tmp_path, STAFF), "--as-of", "2026-06-01",
                              "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["3 personen in dienst op 01-06-2026, 3 bevindingen.", f"Geschreven: {out}"]
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    table = rows(out)
    assert table[0] == ["naam", "eis", "bevinding", "toelichting"]
    assert [(naam, eis, code) for naam, eis, code, _ in table[1:]] == [
        ("Bert Jansen", "VOG_MEDEWERKER", "vog_ontbreekt"),
        ("Bert Jansen", "OPLEIDING_MEDEWERKER", "opleiding_te_laag"),
        ("Bert Jansen", "PERMANENTE_EDUCATIE", "bijscholing_ontbreekt"),
    ]
    assert all(toelichting for *_, toelichting in table[1:])


def test_check_staff_accepts_a_dutch_date_and_one_person(cli, tmp_path):
    out = tmp_path / "resultaat.csv"
    one = STAFF.splitlines()[0] + "\n" + STAFF.splitlines()[1] + "\n"
    result = cli.invoke(args=["supervision", "check-staff", write(tmp_path, one), "--as-of", "01-06-2026",
                              "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "1 persoon in dienst op 01-06-2026, 0 bevindingen."
    assert out.read_bytes() == b"naam,eis,bevinding,toelichting\n"


def test_a_refused_staff_list_exits_1_lists_every_problem_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "resultaat.csv"
    bad = STAFF + "Eva Mol,stagiair,2024-01-01,,,,\nFrits Kok,incassomedewerker,31-02-2024,,,,\n"
    result = cli.invoke(args=["supervision", "check-staff", write(tmp_path, bad), "--as-of", "2026-06-01",
                              "--out", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == ("De personeelslijst is niet ingelezen: 2 regels bevatten fouten. Verbeter ze en lever het "
                        "bestand opnieuw aan.")
    assert len(lines) == 3
    assert "stagiair" in lines[1] and "6" in lines[1]
    assert "31-02-2024" in lines[2] and "bestaat niet als datum" in lines[2]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "personeel.csv"]  # no half-written file either


def test_a_file_that_is_no_staff_list(cli, tmp_path):
    out = tmp_path / "resultaat.csv"
    result = cli.invoke(args=["supervision", "check-staff", write(tmp_path, "foo,bar\n1,2\n"), "--as-of",
                              "2026-06-01", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("De personeelslijst is niet ingelezen:")
    assert not out.exists()


@pytest.mark.parametrize("value", ["2026-13-01", "1-6-2026", "morgen"])
def test_a_bad_date_is_a_usage_error(cli, tmp_path, value):
    out = tmp_path / "resultaat.csv"
    result = cli.invoke(args=["supervision", "check-staff", write(tmp_path, STAFF), "--as-of", value,
                              "--out", str(out)])
    assert result.exit_code == 2
    assert f"'{value}'" in result.output and "datum" in result.output
    assert not out.exists()


def test_priorities_writes_the_csv(cli, tmp_path):
    RegistrationVersionFactory(registratienummer="R2024-00500", naam="Noordkaap Incasso B.V.",
                               datum_inschrijving=date(2020, 1, 1), geldig_tot=date(2030, 1, 1))
    RegistrationVersionFactory(registratienummer="R2024-00501", naam="Zuiderlicht Incasso",
                               datum_inschrijving=date(2026, 1, 1), geldig_tot=date(2030, 1, 1))
    out = tmp_path / "uit" / "prioriteiten.csv"
    result = cli.invoke(args=["supervision", "priorities", "--as-of", "01-06-2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Geschreven: {out} (2 bureaus, peildatum 01-06-2026).\n"
    assert out.read_bytes() == priorities_csv(date(2026, 6, 1))
    assert rows(out) == [
        ["registratienummer", "naam", "prioriteit", "toelichting"],
        ["R2024-00501", "Zuiderlicht Incasso", "35",
         "nog nooit geïnspecteerd (+25); jonge inschrijving: ingeschreven op 01-01-2026 (+10)"],
        ["R2024-00500", "Noordkaap Incasso B.V.", "25", "nog nooit geïnspecteerd (+25)"],
    ]


def test_priorities_needs_its_options(cli, tmp_path):
    result = cli.invoke(args=["supervision", "priorities", "--out", str(tmp_path / "p.csv")])
    assert result.exit_code == 2 and "--as-of" in result.output
