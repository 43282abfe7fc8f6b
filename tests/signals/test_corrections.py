"""``flask signals corrections-export``: every signal whose verdict a person changed, with both verdicts,
in a form the matching benchmark reads as extra labelled cases (bench/bench_signals_world.py)."""

from __future__ import annotations

import csv
import io

from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.extensions import db
from wki.signals.corrections import COLUMNS, read_corrections_file
from wki.signals.decisions import decide_verdict
from wki.signals.imports import import_signals
from wki.signals.intake import clean_signal
from wki.signals.models import Channel, Verdict
from wki.signals.recording import create_signal


def record(n: int, **values: str):
    return create_signal(signal_row(n, **values), channel=Channel.FORM, actor=Actor.process("test"))


def decided(mirror):
    """Three decisions: a correction of the verdict, a correction of the registration, a confirmation."""
    changed = record(1, naam_incassant="Noordkaap Incasso", kvk_nummer="KvK 1000 0001", plaats="Groningen")
    assert changed.auto_verdict == Verdict.REGISTERED
    decide_verdict(changed.id, verdict=Verdict.UNREGISTERED, registratienummer=None,
                   reason="De brief komt van een naamgenoot", actor=Actor.process("inspecteur@test"))
    other = record(2, naam_incassant="Polderlicht Credit Management", datum_brief="2026-04-10",
                   ontvangen_op="2026-04-12")
    decide_verdict(other.id, verdict=Verdict.REGISTERED, registratienummer="R2024-00001",
                   reason="Handelsnaam van Noordkaap volgens de brief", actor=Actor.process("inspecteur@test"))
    confirmed = record(3, naam_incassant="Snelgeld Inning")
    decide_verdict(confirmed.id, verdict=confirmed.auto_verdict, registratienummer=None,
                   reason="Klopt, niet geregistreerd", actor=Actor.process("inspecteur@test"))
    return changed, other, confirmed


def test_the_file_holds_the_corrections_with_both_verdicts(app, mirror, tmp_path):
    changed, other, _confirmed = decided(mirror)
    path = tmp_path / "correcties.csv"
    result = app.test_cli_runner().invoke(args=["signals", "corrections-export", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 gecorrigeerde signalen" in result.output
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    by_ref = {r["referentie"]: r for r in rows}
    assert set(by_ref) == {changed.referentie, other.referentie}  # a confirmation changed nothing
    first = by_ref[changed.referentie]
    assert (first["automatisch_oordeel"], first["automatisch_registratienummer"]) == (Verdict.REGISTERED, "R2024-00001")
    assert (first["oordeel"], first["registratienummer"]) == (Verdict.UNREGISTERED, "")
    assert first["kvk_nummer"] == "KvK 1000 0001" and first["plaats"] == "Groningen"  # as reported
    assert first["reden"] == "De brief komt van een naamgenoot" and first["vastgesteld_door"] == "inspecteur@test"
    second = by_ref[other.referentie]
    assert second["oordeel"] == Verdict.REGISTERED and second["registratienummer"] == "R2024-00001"
    assert second["automatisch_registratienummer"] != "R2024-00001"
    events = db.session.query(AuditEvent).filter_by(action="signalen.correcties_geexporteerd").all()
    assert len(events) == 1 and events[0].after["aantal"] == 2


def test_the_benchmark_reads_them_as_labelled_cases_with_the_register_beside(app, mirror, tmp_path):
    decided(mirror)
    path = tmp_path / "correcties.csv"
    result = app.test_cli_runner().invoke(args=["signals", "corrections-export", str(path), "--with-register"])
    assert result.exit_code == 0, result.output
    labels, signals_csv, snapshots = read_corrections_file(path)
    assert sorted(labels) == ["consument:MLD-00001", "consument:MLD-00002"]
    assert labels["consument:MLD-00001"]["oordeel"] == Verdict.UNREGISTERED
    assert {kind for kind, _day, _data in snapshots} == {"register", "vrijgestelden"}
    assert all(b"registratienummer" in data or b"beroep" in data for _k, _d, data in snapshots)
    # The signals import as they are (the references made unique per source), and are judged again.
    rows = list(csv.DictReader(io.StringIO(signals_csv.decode("utf-8"))))
    assert all(not clean_signal(row)[1] for row in rows)
    imported = import_signals(signals_csv, file_name="correcties.csv", actor=Actor.process("bench"))
    assert imported.counts["nieuw"] == 2


def test_no_corrections_writes_a_header_only(app, mirror, tmp_path):
    path = tmp_path / "leeg.csv"
    result = app.test_cli_runner().invoke(args=["signals", "corrections-export", str(path)])
    assert result.exit_code == 0 and "0 gecorrigeerde signalen" in result.output
    assert path.read_text("utf-8").strip() == ",".join(COLUMNS)
