"""``flask register import | exempt-import | export``: counts, dry runs, Dutch reports, exit codes, run records.

The commands commit; inside the ``db_session`` fixture a commit releases a savepoint of the test's outer
transaction (see tests/core/test_cli.py), so everything is rolled back after each test. A refused
import rolls the session back, so setup is committed first, as a real database would hold it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.register.conftest import D1, D2, count, current_values, mirror_state, versions
from tests.register.helpers import exempt_csv, exempt_row, register_row, to_csv
from wki.core.extensions import db
from wki.register.models import (
    ExemptPartyVersion,
    RegisterSnapshot,
    RegisterSyncRun,
    RegistrationVersion,
    SnapshotStatus,
)
from wki.register.queries import export_snapshot

FILLER = [register_row(n) for n in range(100, 120)]
COUNTS_LINE = "rijen: {}  nieuw: {}  teruggekeerd: {}  gewijzigd: {}  verdwenen: {}  ongewijzigd: {}"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def runs() -> list[RegisterSyncRun]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(RegisterSyncRun).order_by(RegisterSyncRun.id)))


@pytest.fixture
def first_import(cli, tmp_path):
    """The first snapshot (registrations 1-3 and twenty more), imported and committed through the CLI."""
    path = write(tmp_path, "d1.csv", to_csv([register_row(n) for n in range(1, 4)] + FILLER))
    result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    return result


def second_file(tmp_path: Path) -> str:
    rows = [register_row(1, status="doorgehaald", datum_einde="2026-01-20"), register_row(2), register_row(4),
            *FILLER]
    return write(tmp_path, "d2.csv", to_csv(rows, delimiter=";"))


class TestImport:
    def test_prints_counts_and_records_the_run(self, first_import):
        output = first_import.output
        assert "Codering: UTF-8." in output
        assert COUNTS_LINE.format(23, 23, 0, 0, 0, 0) in output
        assert "Het register van 01-01-2026 is ingelezen." in output
        assert count(RegistrationVersion) == 23
        [run] = runs()
        assert (run.kind, run.trigger, run.outcome) == ("register", "import", "toegepast")
        assert run.source.endswith("d1.csv")
        assert run.counts["nieuw"] == 23
        assert run.snapshot_id == db.session.scalar(sa.select(RegisterSnapshot.id))
        assert run.sha256 and len(run.sha256) == 64
        assert run.actor_email.startswith("cli:")
        assert run.finished_at is not None
        snapshot = db.session.get(RegisterSnapshot, run.snapshot_id)
        assert (snapshot.file_name, snapshot.snapshot_date) == ("d1.csv", D1)

    def test_a_second_snapshot_prints_its_diff(self, cli, first_import, tmp_path):
        result = cli.invoke(args=["register", "import", second_file(tmp_path), "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 0, result.output
        assert COUNTS_LINE.format(23, 1, 0, 1, 1, 21) in result.output
        assert "  gewijzigd R2024-00001: status ingeschreven → doorgehaald" in result.output
        assert "  gewijzigd R2024-00001: datum_einde (leeg) → 2026-01-20" in result.output
        assert "  verdwenen R2024-00003" in result.output
        assert [v.valid_to for v in versions("R2024-00003")] == [D2]

    def test_dry_run_prints_the_same_and_changes_nothing(self, cli, first_import, tmp_path):
        before = mirror_state()
        path = second_file(tmp_path)
        dry = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-01", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "Proefdraai: er is niets gewijzigd." in dry.output
        assert mirror_state() == before  # no snapshot, no versions, no run record
        real = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-01"])
        assert real.exit_code == 0, real.output
        dry_lines = [line for line in dry.output.splitlines() if not line.startswith("Proefdraai")]
        real_lines = [line for line in real.output.splitlines() if "is ingelezen" not in line]
        assert dry_lines == real_lines
        assert COUNTS_LINE.format(23, 1, 0, 1, 1, 21) in real.output

    def test_a_bad_file_is_refused_with_a_dutch_report(self, cli, first_import, tmp_path):
        before = mirror_state()
        rows = [register_row(1, naam="Nieuw"), register_row(2, kvk_nummer="123"), register_row(3),
                register_row(5, postcode="0123 AB", status="actief"), *FILLER]
        result = cli.invoke(args=["register", "import", write(tmp_path, "fout.csv", to_csv(rows)),
                                  "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 1
        assert "regel 3, kolom kvk_nummer: moet uit precies 8 cijfers bestaan (waarde '123')" in result.stderr
        assert "regel 5, kolom postcode: is geen Nederlandse postcode (1234 AB) (waarde '0123 AB')" in result.stderr
        assert ("regel 5, kolom status: moet ingeschreven, doorgehaald of verlopen zijn (waarde 'actief')"
                in result.stderr)
        assert "Het bestand bevat 3 fout(en) en is niet ingelezen; er is niets gewijzigd." in result.stderr
        after = mirror_state()
        assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
        run = runs()[-1]
        assert run.outcome == "afgewezen"
        assert run.message == "Het bestand bevat 3 fout(en) en is niet ingelezen; er is niets gewijzigd."
        assert run.errors["total"] == 3
        assert run.errors["rows"][0] == {"regel": 3, "kolom": "kvk_nummer", "waarde": "123",
                                         "reden": "moet uit precies 8 cijfers bestaan"}
        assert run.snapshot_id is None

    def test_a_bad_file_in_a_dry_run_records_no_run(self, cli, first_import, tmp_path):
        before = mirror_state()
        path = write(tmp_path, "fout.csv", to_csv([register_row(1, kvk_nummer="x"), *FILLER]))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-01", "--dry-run"])
        assert result.exit_code == 1
        assert "kolom kvk_nummer" in result.stderr
        assert mirror_state() == before

    def test_a_file_without_a_required_column(self, cli, db_session, tmp_path):
        columns = [c for c in to_csv([]).decode().split(",") if c.strip() != "naam"]
        path = write(tmp_path, "kolom.csv", to_csv([register_row(1)], columns=[c.strip() for c in columns]))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 1
        assert "Verplichte kolom ontbreekt: naam." in result.stderr
        assert runs()[-1].outcome == "afgewezen"
        assert count(RegistrationVersion) == 0

    def test_quarantine_exits_3_and_says_so(self, cli, first_import, tmp_path):
        before = mirror_state()
        path = write(tmp_path, "half.csv", to_csv(FILLER[:10]))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 3
        assert "in quarantaine gezet en niet toegepast" in result.output
        assert "13 van de 23 huidige inschrijvingen" in result.output
        assert mirror_state()["versions"] == before["versions"]
        run = runs()[-1]
        assert run.outcome == "quarantaine"
        assert db.session.get(RegisterSnapshot, run.snapshot_id).status == SnapshotStatus.QUARANTINED

    def test_a_dry_run_that_would_be_quarantined_exits_3_and_stores_nothing(self, cli, first_import, tmp_path):
        before = mirror_state()
        path = write(tmp_path, "half.csv", to_csv(FILLER[:10]))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-01", "--dry-run"])
        assert result.exit_code == 3
        assert "Dit bestand zou in quarantaine gaan" in result.output
        assert mirror_state() == before

    def test_a_file_held_in_quarantine_again_exits_3(self, cli, first_import, tmp_path):
        path = write(tmp_path, "half.csv", to_csv(FILLER[:10]))
        assert cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-01"]).exit_code == 3
        again = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-02-02"])
        assert again.exit_code == 3
        assert "staat al in quarantaine" in again.output
        assert runs()[-1].outcome == "quarantaine"

    def test_the_same_file_twice(self, cli, first_import, tmp_path):
        before = mirror_state()
        path = str(tmp_path / "d1.csv")
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 0
        assert "al ingelezen" in result.output
        after = mirror_state()
        assert after["versions"] == before["versions"] and after["snapshots"] == before["snapshots"]
        assert runs()[-1].outcome == "ongewijzigd"

    def test_an_older_snapshot_is_refused(self, cli, first_import, tmp_path):
        result = cli.invoke(args=["register", "import", second_file(tmp_path), "--snapshot-date", "31-12-2025"])
        assert result.exit_code == 1
        assert "De snapshotdatum 31-12-2025 ligt vóór de laatst ingelezen snapshot van 01-01-2026" in result.stderr
        assert runs()[-1].outcome == "afgewezen"

    @pytest.mark.parametrize("rows, success", [
        ([register_row(n) for n in range(1, 4)], "Het register van 01-01-2026 is ingelezen."),
        ([], "Het bestand is in quarantaine gezet"),
    ])
    def test_no_success_line_when_the_commit_fails(self, cli, db_session, tmp_path, monkeypatch, rows, success):
        """Issue 10: "… is ingelezen" was printed before the commit, so a failed commit still said so."""
        def failing_commit() -> None:
            raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

        monkeypatch.setattr(db.session, "commit", failing_commit)
        path = write(tmp_path, "d1.csv", to_csv(rows))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 1, result.output
        assert success not in result.output
        assert ("Error: Het bestand kon niet worden opgeslagen (OperationalError); er is niets gewijzigd. Probeer het "
                "opnieuw of neem contact op met de beheerder van de database.") in result.output
        monkeypatch.undo()
        assert count(RegistrationVersion) == 0 and count(RegisterSnapshot) == 0 and runs() == []

    def test_snapshot_date_in_dutch_notation(self, cli, db_session, tmp_path):
        path = write(tmp_path, "a.csv", to_csv([register_row(1)]))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", "15-01-2026"])
        assert result.exit_code == 0, result.output
        assert "Het register van 15-01-2026 is ingelezen." in result.output
        assert db.session.scalar(sa.select(RegisterSnapshot.snapshot_date)) == date(2026, 1, 15)

    @pytest.mark.parametrize("value, reason", [("2026-02-30", "bestaat niet als datum"),
                                               ("gisteren", "is geen datum")])
    def test_a_bad_snapshot_date_is_refused(self, cli, db_session, tmp_path, value, reason):
        path = write(tmp_path, "a.csv", to_csv([register_row(1)]))
        result = cli.invoke(args=["register", "import", path, "--snapshot-date", value])
        assert result.exit_code == 2
        assert f"'{value}' {reason}" in result.stderr
        assert count(RegisterSnapshot) == 0 and runs() == []

    def test_without_a_date_the_snapshot_is_of_today(self, cli, db_session, tmp_path, monkeypatch):
        monkeypatch.setattr("wki.register.services.today_local", lambda: date(2026, 6, 30))
        result = cli.invoke(args=["register", "import", write(tmp_path, "a.csv", to_csv([register_row(1)]))])
        assert result.exit_code == 0, result.output
        assert "Het register van 30-06-2026 is ingelezen." in result.output

    def test_json_format(self, cli, db_session, tmp_path):
        data = export_json([register_row(1), register_row(2)])
        result = cli.invoke(args=["register", "import", write(tmp_path, "r.json", data), "--format", "json",
                                  "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 0, result.output
        assert COUNTS_LINE.format(2, 2, 0, 0, 0, 0) in result.output
        assert count(RegistrationVersion) == 2

    def test_a_missing_file(self, cli, db_session, tmp_path):
        result = cli.invoke(args=["register", "import", str(tmp_path / "bestaat-niet.csv")])
        assert result.exit_code == 2
        assert runs() == []

    def test_windows_1252_and_unknown_columns_are_reported(self, cli, db_session, tmp_path):
        from wki.register.validation import REGISTER_COLUMNS

        data = to_csv([{**register_row(1, naam="Zoë B.V."), "opmerking": "x"}],
                      columns=[*REGISTER_COLUMNS, "Opmerking"], encoding="cp1252", delimiter=";")
        result = cli.invoke(args=["register", "import", write(tmp_path, "excel.csv", data),
                                  "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 0, result.output
        assert "Codering: Windows-1252." in result.output
        assert "Onbekende kolommen (genegeerd): Opmerking." in result.output
        assert current_values()["R2024-00001"][0] == "Zoë B.V."

    def test_the_configured_column_mapping(self, app, cli, db_session, tmp_path, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_COLUMN_MAPPING",
                            {"register": {"Registratie nr": "registratienummer", "KvK": "kvk_nummer"}})
        data = to_csv([register_row(1)], header={"registratienummer": "Registratie nr", "kvk_nummer": "KvK"})
        result = cli.invoke(args=["register", "import", write(tmp_path, "m.csv", data), "--snapshot-date",
                                  "2026-01-01"])
        assert result.exit_code == 0, result.output
        assert count(RegistrationVersion) == 1


def export_json(rows: list[dict[str, str]]) -> bytes:
    import json

    multi = {"handelsnamen", "website", "email", "telefoon", "iban"}
    return json.dumps([{k: (v.split("|") if k in multi and v else [] if k in multi else v or None)
                        for k, v in row.items()} for row in rows]).encode()


class TestExemptImport:
    def test_exempt_import(self, cli, db_session, tmp_path):
        rows = [exempt_row(n) for n in range(1, 21)]
        result = cli.invoke(args=["register", "exempt-import", write(tmp_path, "v.csv", exempt_csv(rows)),
                                  "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 0, result.output
        assert COUNTS_LINE.format(20, 20, 0, 0, 0, 0) in result.output
        assert "De lijst van vrijgestelden van 01-01-2026 is ingelezen." in result.output
        assert count(ExemptPartyVersion) == 20
        assert runs()[-1].kind == "vrijgestelden"
        result = cli.invoke(args=["register", "exempt-import", write(tmp_path, "v2.csv", exempt_csv(rows[1:])),
                                  "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 0, result.output
        assert COUNTS_LINE.format(19, 0, 0, 0, 1, 19) in result.output
        assert count(RegistrationVersion) == 0

    def test_bad_exempt_row(self, cli, db_session, tmp_path):
        result = cli.invoke(args=["register", "exempt-import",
                                  write(tmp_path, "v.csv", exempt_csv([exempt_row(1, beroep="notaris")])),
                                  "--snapshot-date", "2026-01-01"])
        assert result.exit_code == 1
        assert "regel 2, kolom beroep: moet gerechtsdeurwaarder of advocaat zijn (waarde 'notaris')" in result.stderr
        assert count(ExemptPartyVersion) == 0
        assert runs()[-1].outcome == "afgewezen"

    def test_exempt_dry_run(self, cli, db_session, tmp_path):
        result = cli.invoke(args=["register", "exempt-import", write(tmp_path, "v.csv", exempt_csv([exempt_row(1)])),
                                  "--dry-run"])
        assert result.exit_code == 0, result.output
        assert COUNTS_LINE.format(1, 1, 0, 0, 0, 0) in result.output
        assert count(ExemptPartyVersion) == 0 and runs() == []


class TestExport:
    def test_export_as_of(self, cli, first_import, tmp_path):
        result = cli.invoke(args=["register", "import", second_file(tmp_path), "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 0, result.output
        out = tmp_path / "export.csv"
        result = cli.invoke(args=["register", "export", str(out), "--as-of", "01-01-2026"])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"Geschreven: {out} (23 regels)."
        assert out.read_bytes() == export_snapshot("register", as_of=D1)
        assert b"R2024-00003" in out.read_bytes() and b"R2024-00004" not in out.read_bytes()
        assert not (tmp_path / "export.csv.tmp").exists()

    def test_export_is_byte_identical_to_a_canonical_file(self, cli, first_import, tmp_path):
        out = tmp_path / "nu.csv"
        assert cli.invoke(args=["register", "export", str(out)]).exit_code == 0
        assert out.read_bytes() == (tmp_path / "d1.csv").read_bytes()
        result = cli.invoke(args=["register", "import", str(out), "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 0, result.output
        assert "al ingelezen" in result.output  # recognised as the same file

    def test_export_now_re_imports_without_changes(self, cli, first_import, tmp_path):
        result = cli.invoke(args=["register", "import", second_file(tmp_path), "--snapshot-date", "2026-02-01"])
        assert result.exit_code == 0, result.output
        out = tmp_path / "nu.csv"
        assert cli.invoke(args=["register", "export", str(out)]).exit_code == 0
        result = cli.invoke(args=["register", "import", str(out), "--snapshot-date", "2026-03-01"])
        assert result.exit_code == 0, result.output
        assert COUNTS_LINE.format(23, 0, 0, 0, 0, 23) in result.output

    def test_export_json_and_exempt(self, cli, db_session, tmp_path):
        cli.invoke(args=["register", "exempt-import", write(tmp_path, "v.csv", exempt_csv([exempt_row(1)])),
                         "--snapshot-date", "2026-01-01"])
        out = tmp_path / "v.json"
        result = cli.invoke(args=["register", "export", str(out), "--exempt", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"Geschreven: {out}."
        import json

        assert [item["naam"] for item in json.loads(out.read_bytes())] == ["Deurwaarderskantoor 1"]

    def test_a_bad_as_of_date(self, cli, db_session, tmp_path):
        result = cli.invoke(args=["register", "export", str(tmp_path / "x.csv"), "--as-of", "31-02-2026"])
        assert result.exit_code == 2
        assert "bestaat niet als datum" in result.stderr
        assert not (tmp_path / "x.csv").exists()
