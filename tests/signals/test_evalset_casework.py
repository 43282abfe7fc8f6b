"""Tests of the "casework" evaluation world (bench/evalset_casework.py)."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import date

import pytest

from bench.evalset_casework import KINDS, WORLD_END, generate, snapshot_dates
from wki.core.csvio import open_csv, parse_date
from wki.register.validation import (
    EXEMPT_COLUMNS,
    EXEMPT_REQUIRED,
    REGISTER_COLUMNS,
    REGISTER_REQUIRED,
    validate_exempt_row,
    validate_register_row,
)
from wki.signals.intake import REQUIRED_COLUMNS, SIGNAL_COLUMNS, clean_signal

SMALL = {"registrations": 260, "exempt": 60, "collectors": 70, "signals": 700}
VERDICTS = {"geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd"}


@pytest.fixture(scope="module")
def small():
    return generate(3, date(2025, 6, 1), **SMALL)


@pytest.fixture(scope="module")
def full():
    return generate(1)


def _rows(data: bytes, columns, required):
    table = open_csv(data, columns=columns, required=required)
    return table, [(line, row) for line, row in table.rows() if row is not None]


def _register(data: bytes) -> dict[str, dict[str, str]]:
    text = data.decode("utf-8-sig")
    return {r["registratienummer"]: r for r in csv.DictReader(io.StringIO(text))}


def _valid(row: dict[str, str], day: date) -> bool:
    start = date.fromisoformat(row["datum_inschrijving"])
    end = date.fromisoformat(row["datum_einde"]) if row["datum_einde"] else None
    return start <= day and (end is None or day < end)


def test_deterministic_per_seed():
    a = generate(5, date(2026, 1, 15), **SMALL)
    b = generate(5, date(2026, 1, 15), **SMALL)
    c = generate(6, date(2026, 1, 15), **SMALL)
    assert a.signals_csv == b.signals_csv and a.truth == b.truth
    assert a.register_snapshots == b.register_snapshots and a.exempt_snapshots == b.exempt_snapshots
    assert a.signals_csv != c.signals_csv


def test_same_signals_and_labels_for_two_mirror_starts():
    early = generate(2, date(2024, 4, 1), **SMALL)
    late = generate(2, date(2026, 12, 1), **SMALL)
    assert early.signals_csv == late.signals_csv
    assert early.truth == late.truth
    assert early.dropped == late.dropped
    # the last snapshot (end of the world) describes the same register
    def history(data):  # geldig_tot moves with the snapshot day; the rest is the same history
        return {k: {c: v for c, v in r.items() if c != "geldig_tot"} for k, r in _register(data).items()}

    assert history(early.register_snapshots[-1][1]) == history(late.register_snapshots[-1][1])
    assert early.register_snapshots[0][0] == date(2024, 4, 1)
    assert late.register_snapshots[0][0] == date(2026, 12, 1)
    assert len(early.register_snapshots) > len(late.register_snapshots)


def test_snapshot_dates_quarterly_from_mirror_start():
    days = snapshot_dates(date(2025, 2, 10))
    assert days[0] == date(2025, 2, 10) and days[1] == date(2025, 5, 10)
    assert days == sorted(days) and days[-1] >= WORLD_END


def test_sizes_as_asked(small):
    assert small.sizes["registrations"] == SMALL["registrations"]
    assert small.sizes["exempt"] == SMALL["exempt"]
    assert small.sizes["collectors"] == SMALL["collectors"]
    assert small.sizes["signals"] == SMALL["signals"] == len(small.truth)
    assert len(_register(small.register_snapshots[-1][1])) == SMALL["registrations"]
    _, ex = _rows(small.exempt_snapshots[0][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)
    assert len(ex) == SMALL["exempt"]


def test_register_and_exempt_rows_valid(small):
    for day, data in small.register_snapshots:
        table, rows = _rows(data, REGISTER_COLUMNS, REGISTER_REQUIRED)
        errors: list = []
        assert rows
        for line, row in rows:
            assert validate_register_row(line, row, errors) is not None, errors
        nummers = [r[0] for _, r in rows]
        assert len(nummers) == len(set(nummers))
        for _, r in rows:  # no registration before it started, status as of the snapshot day
            assert date.fromisoformat(r[14]) <= day
            assert (r[13] == "ingeschreven") == (not r[15] or date.fromisoformat(r[15]) > day)
    table, rows = _rows(small.exempt_snapshots[0][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)
    errors = []
    for line, row in rows:
        assert validate_exempt_row(line, row, errors) is not None, errors


def test_signals_accepted_and_reference_date(small):
    table, rows = _rows(small.signals_csv, SIGNAL_COLUMNS, REQUIRED_COLUMNS)
    assert table.delimiter == ";"
    assert len(rows) == len(small.truth)
    refs = set()
    for _line, row in rows:
        values = dict(zip(table.columns, row, strict=True))
        clean, errors = clean_signal(values, today=WORLD_END)
        assert errors == [], (values, errors)
        truth = small.truth[values["referentie"]]
        assert clean["reference_date"] == truth.reference_date
        expected = parse_date(values["datum_brief"]) if values["datum_brief"] else parse_date(values["ontvangen_op"])
        assert expected == truth.reference_date
        assert truth.bron == values["bron"]
        refs.add(values["referentie"])
    assert refs == set(small.truth)


def test_truth_shape(small):
    for ref, t in small.truth.items():
        assert t.verdict in VERDICTS, ref
        if t.verdict in ("geregistreerd", "registratie_niet_geldig"):
            assert t.registratienummers and t.collector is None
        elif t.verdict == "niet_geregistreerd":
            assert t.registratienummers == () and t.collector
        else:
            assert t.registratienummers == () and t.collector is None
        assert t.kind in KINDS and t.detail


def test_labels_follow_register_dates(small):
    """Check every registered label against the last snapshot's dates (a complete history)."""
    register = _register(small.register_snapshots[-1][1])
    for ref, t in small.truth.items():
        day = t.reference_date
        if t.verdict == "geregistreerd":
            assert all(_valid(register[n], day) for n in t.registratienummers), ref
        elif t.verdict == "registratie_niet_geldig":
            rows = [register[n] for n in t.registratienummers]
            assert not any(_valid(r, day) for r in rows), ref
            kvks = {r["kvk_nummer"] for r in rows}
            assert not any(_valid(r, day) for r in register.values() if r["kvk_nummer"] in kvks), ref


def test_labels_against_snapshot_as_it_stood(small):
    """A sample of registered labels checked against the snapshot nearest after the reference date."""
    rng = random.Random(0)
    snaps = [(d, _register(data)) for d, data in small.register_snapshots]
    sample = rng.sample(sorted(small.truth.items()), 200)
    for ref, t in sample:
        if not t.registratienummers:
            continue
        day = t.reference_date
        d, reg = next(((d, r) for d, r in snaps if d >= day), snaps[-1])
        for n in t.registratienummers:
            if n in reg:
                assert _valid(reg[n], day) == (t.verdict == "geregistreerd"), ref
            else:  # not yet in the register on that snapshot: it starts later
                assert t.verdict == "registratie_niet_geldig", ref


def test_unregistered_collectors_not_in_register(small):
    register = _register(small.register_snapshots[-1][1])
    kvks = {r["kvk_nummer"] for r in register.values()}
    table, rows = _rows(small.signals_csv, SIGNAL_COLUMNS, REQUIRED_COLUMNS)
    by_collector: dict[str, set[str]] = {}
    for _line, row in rows:
        values = dict(zip(table.columns, row, strict=True))
        t = small.truth[values["referentie"]]
        digits = re.sub(r"\D", "", values["kvk_nummer"]).zfill(8)
        if t.verdict in ("niet_geregistreerd", "vrijgesteld") and values["kvk_nummer"]:
            assert digits not in kvks, values
        if t.collector:
            by_collector.setdefault(t.collector, set()).add(values["referentie"])
    assert any(len(v) > 3 for v in by_collector.values())  # grouping truth: repeat collectors


def test_full_build_has_every_kind_and_mix(full):
    assert full.sizes["registrations"] == 1500 and full.sizes["signals"] == 4200
    kinds = {t.kind for t in full.truth.values()}
    assert kinds == set(KINDS)
    verdicts = {t.verdict for t in full.truth.values()}
    assert verdicts == VERDICTS
    assert sum(full.dropped.values()) > 0
    assert any(len(t.registratienummers) == 2 for t in full.truth.values())
    bronnen = {t.bron for t in full.truth.values()}
    assert {"consument", "schuldhulpverlener", "gemeente", "toezichthouder", "kvk", "anoniem"} <= bronnen
    for kind, verdict in (("reregistered_gap", "registratie_niet_geldig"), ("not_yet_registered", "registratie_niet_geldig"),
                          ("ended_registration", "registratie_niet_geldig"), ("exempt_bailiff", "vrijgesteld"),
                          ("exempt_lawyer", "vrijgesteld"), ("clone", "niet_geregistreerd"),
                          ("fake_bailiff", "niet_geregistreerd"), ("foreign_unregistered", "niet_geregistreerd"),
                          ("takeover_old_brand", "geregistreerd"), ("group_shared_brand", "geregistreerd")):
        got = {t.verdict for t in full.truth.values() if t.kind == kind}
        assert got == {verdict}, (kind, got)


def test_full_build_shows_the_writing_variations(full):
    tags = {tag for t in full.truth.values() for tag in t.tags}
    for tag in ("spoken_spelling", "legal_form", "abbreviation", "upper", "lower", "clutter", "iban_typo", "no_name",
                "case_file", "phone_transcript", "kvk_extract", "kvk_nummer", "iban", "website", "email", "telefoon",
                "plaats"):
        assert tag in tags, tag
    table, rows = _rows(full.signals_csv, SIGNAL_COLUMNS, REQUIRED_COLUMNS)
    typo = [dict(zip(table.columns, r, strict=True)) for _, r in rows]
    typo = [v for v in typo if "iban_typo" in full.truth[v["referentie"]].tags]
    assert typo
    for values in typo:  # kept as written, marked invalid
        clean, errors = clean_signal(values, today=WORLD_END)
        assert errors == [] and clean["iban_valid"] is False


def test_dropped_signals_are_counted_not_labelled(full):
    assert set(full.dropped) <= {"name_fits_several", "identifier_points_elsewhere", "kvk_typo_fits_several",
                                 "name_unrecognisable", "scenario_unavailable"}
    assert full.dropped.get("name_fits_several", 0) > 0
    assert full.sizes["generated"] == full.sizes["signals"] + sum(full.dropped.values())
