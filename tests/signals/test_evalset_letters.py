"""World D (``bench/evalset_letters.py``): the same world for a seed in any process and for both mirror
starts, files the project's own validators and importers accept, labels that follow the register's
dates, every variation the module claims, the sizes asked for. (How fast a world is built is the
benchmark's to say, not a test's.)"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.core.csvio import RowError, open_csv, parse_date
from wki.register.models import SnapshotKind
from wki.register.services import import_snapshot
from wki.register.validation import (
    EXEMPT_COLUMNS,
    EXEMPT_REQUIRED,
    REGISTER_COLUMNS,
    REGISTER_REQUIRED,
    exempt_key,
    validate_exempt_row,
    validate_register_row,
)
from wki.signals.intake import REQUIRED_COLUMNS, SIGNAL_COLUMNS, clean_signal

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import evalset_letters as world_d  # noqa: E402

LATE, EARLY = date(2026, 11, 1), date(2024, 4, 1)
SMALL = {"registrations": 320, "exempt": 70, "collectors": 60, "signals": 800}
WITH_NUMBER = ("geregistreerd", "registratie_niet_geldig")


@pytest.fixture(scope="module")
def late() -> world_d.World:
    return world_d.generate(7, LATE, **SMALL)


@pytest.fixture(scope="module")
def early() -> world_d.World:
    return world_d.generate(7, EARLY, **SMALL)


@pytest.fixture(scope="module")
def full() -> world_d.World:
    return world_d.generate(1, LATE)


def digest(world: world_d.World) -> str:
    h = hashlib.sha256(world.signals_csv)
    for day, data in world.register_snapshots + world.exempt_snapshots:
        h.update(day.isoformat().encode() + data)
    h.update(repr(sorted(world.truth.items())).encode())
    return h.hexdigest()


def rows(data: bytes, columns, required) -> list[tuple[int, dict[str, str]]]:
    table = open_csv(data, columns=columns, required=required)
    out = []
    for line, cells in table.rows():
        assert cells is not None, f"line {line} has more cells than the header"
        out.append((line, dict(zip(columns, cells, strict=True))))
    return out


def signal_rows(world: world_d.World) -> dict[str, dict[str, str]]:
    return {row["referentie"]: row for _line, row in rows(world.signals_csv, SIGNAL_COLUMNS, REQUIRED_COLUMNS)}


def final_register(world: world_d.World) -> dict[str, dict[str, str]]:
    return {row["registratienummer"]: row for _line, row in rows(world.register_snapshots[-1][1], REGISTER_COLUMNS,
                                                                  REGISTER_REQUIRED)}


def reference_date(row: dict[str, str]) -> date:
    return parse_date(row["datum_brief"] or row["ontvangen_op"])


def valid_on(reg: dict[str, str], day: date) -> bool:
    return date.fromisoformat(reg["datum_inschrijving"]) <= day and (
        not reg["datum_einde"] or day < date.fromisoformat(reg["datum_einde"]))


# --- the same world ------------------------------------------------------------------------------------

def test_a_seed_gives_the_same_world_again(late):
    assert digest(world_d.generate(7, LATE, **SMALL)) == digest(late)
    assert digest(world_d.generate(8, LATE, **SMALL)) != digest(late)


def test_a_seed_gives_the_same_world_under_other_hash_seeds(late):
    code = ("import sys; sys.path.insert(0, 'bench'); sys.path.insert(0, 'tests/signals'); "
            "import evalset_letters as w; from test_evalset_letters import digest, SMALL, LATE; "
            "print(digest(w.generate(7, LATE, **SMALL)))")
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip().splitlines()[-1] == digest(late)


def test_both_mirror_starts_see_the_same_signals_and_labels(late, early):
    assert late.signals_csv == early.signals_csv
    assert late.truth == early.truth
    assert late.dropped == early.dropped
    # the register as it stands now is the same; only the history the mirror saw differs
    assert late.register_snapshots[-1] == early.register_snapshots[-1]
    assert late.exempt_snapshots[-1][1] == early.exempt_snapshots[-1][1]
    assert [d for d, _ in late.register_snapshots] == [LATE, date(2026, 12, 1)]
    assert early.register_snapshots[0][0] == EARLY and len(early.register_snapshots) > 20
    for world in (late, early):
        for snapshots in (world.register_snapshots, world.exempt_snapshots):
            assert snapshots[0][0] == world.mirror_start
            assert all(a[0] < b[0] for a, b in zip(snapshots, snapshots[1:], strict=False))
            # the importer reports a file identical to the last as read already: none is left in
            assert all(a[1] != b[1] for a, b in zip(snapshots, snapshots[1:], strict=False))


def test_most_letters_predate_a_late_mirror(late):
    days = [reference_date(row) for row in signal_rows(late).values()]
    assert min(days) >= date(2025, 4, 1) and max(days) <= date(2026, 11, 30)
    before = sum(d < LATE for d in days) / len(days)
    assert 0.8 <= before < 0.97
    assert sum(d < date(2026, 5, 1) for d in days) / len(days) > 0.15  # months old too, not only weeks


# --- files the application accepts ---------------------------------------------------------------------

def test_register_snapshots_pass_the_register_validation(early):
    for day, data in early.register_snapshots:
        errors: list[RowError] = []
        numbers = []
        for line, row in rows(data, REGISTER_COLUMNS, REGISTER_REQUIRED):
            assert validate_register_row(line, tuple(row[c] for c in REGISTER_COLUMNS), errors) is not None, errors
            numbers.append(row["registratienummer"])
        assert numbers, f"the snapshot of {day} is empty"
        assert len(numbers) == len(set(numbers))


def test_exempt_snapshots_pass_the_exempt_validation(early):
    for _day, data in early.exempt_snapshots:
        errors: list[RowError] = []
        keys = []
        for line, row in rows(data, EXEMPT_COLUMNS, EXEMPT_REQUIRED):
            raw = tuple(row[c] for c in EXEMPT_COLUMNS)
            assert validate_exempt_row(line, raw, errors) is not None, errors
            keys.append(exempt_key(raw))
        assert keys and len(keys) == len(set(keys))


def test_signals_pass_the_intake(late):
    today = max(today_local(), date(2026, 12, 2))
    refs = []
    for _line, row in rows(late.signals_csv, SIGNAL_COLUMNS, REQUIRED_COLUMNS):
        cleaned, errors = clean_signal(row, today=today)
        assert not errors, (row, [(e.column, e.reason) for e in errors])
        refs.append(cleaned["referentie"])
    assert len(refs) == len(set(refs))
    assert set(refs) == set(late.truth)
    assert late.signals_csv.startswith(b"\xef\xbb\xbf")  # saved by Dutch Excel: BOM and semicolons


def test_the_importer_applies_every_snapshot(db_session, early):
    snapshots = ([(day, 0, SnapshotKind.REGISTER, data) for day, data in early.register_snapshots]
                 + [(day, 1, SnapshotKind.EXEMPT, data) for day, data in early.exempt_snapshots])
    for day, _order, kind, data in sorted(snapshots, key=lambda s: (s[0], s[1])):
        result = import_snapshot(kind, data, snapshot_date=day, actor=Actor.process("test"))
        assert result.outcome == "toegepast", (kind, day, result.outcome, result.message)


# --- labels --------------------------------------------------------------------------------------------

def test_labels_follow_the_registers_dates(full):
    world = full
    register = final_register(world)
    signals = signal_rows(world)
    by_kvk: dict[str, list[dict[str, str]]] = {}
    for reg in register.values():
        by_kvk.setdefault(reg["kvk_nummer"], []).append(reg)
    for ref, truth in world.truth.items():
        day = reference_date(signals[ref])
        if truth.verdict in WITH_NUMBER:
            assert truth.registratienummers and truth.collector is None
            regs = [register[n] for n in truth.registratienummers]
            firm = by_kvk[regs[0]["kvk_nummer"]]
            if truth.verdict == "geregistreerd":
                assert all(valid_on(r, day) for r in regs), (ref, truth)
            else:
                assert not any(valid_on(r, day) for r in regs), (ref, truth)
                assert not any(valid_on(r, day) for r in firm), (ref, truth)  # the firm was not registered at all
        elif truth.verdict == "niet_geregistreerd":
            assert not truth.registratienummers and truth.collector and truth.collector.startswith("D-C")
        else:
            assert truth.verdict == "vrijgesteld" and not truth.registratienummers and truth.collector is None


def test_strike_offs_dated_back_are_shown_late(full):
    world = full
    early_snapshots = world_d.generate(1, EARLY).register_snapshots
    first_shown: dict[str, tuple[date, str]] = {}
    shown_valid_after_end = 0
    for day, data in early_snapshots:
        for _line, row in rows(data, REGISTER_COLUMNS, REGISTER_REQUIRED):
            if row["status"] == "doorgehaald":
                first_shown.setdefault(row["registratienummer"], (day, row["datum_einde"]))
    for day, data in early_snapshots:
        for _line, row in rows(data, REGISTER_COLUMNS, REGISTER_REQUIRED):
            shown = first_shown.get(row["registratienummer"])
            if shown and row["status"] == "ingeschreven" and date.fromisoformat(shown[1]) < day < shown[0]:
                shown_valid_after_end += 1
    assert shown_valid_after_end >= 20
    kinds = Counter(t.kind.split(":")[1] for t in world.truth.values())
    assert kinds["struck_off_backdated"] >= 10


def test_the_guard_drops_a_minority_and_counts_why(full):
    world = full
    assert world.dropped and all(n > 0 for n in world.dropped.values())
    assert 0.01 <= world.dropped_total / world.sizes["signals"] <= 0.12
    verdicts = Counter(t.verdict for t in world.truth.values())
    assert set(verdicts) == {"geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd"}
    assert verdicts["registratie_niet_geldig"] / len(world.truth) > 0.08


def test_several_registrations_of_a_group_or_firm_are_named_together(full):
    world = full
    several = [t for t in world.truth.values() if len(t.registratienummers) > 1]
    assert {t.verdict for t in several} == {"geregistreerd", "registratie_niet_geldig"}


def test_one_collector_is_one_group_under_several_names_and_accounts(full):
    world = full
    signals = signal_rows(world)
    names: dict[str, set[str]] = {}
    ibans: dict[str, set[str]] = {}
    for ref, truth in world.truth.items():
        if truth.collector:
            names.setdefault(truth.collector, set()).add(world_d.name_tokens(signals[ref]["naam_incassant"]).core)
            if signals[ref]["iban"]:
                ibans.setdefault(truth.collector, set()).add(signals[ref]["iban"].replace(" ", "").upper())
    assert sum(len(v) > 3 for v in names.values()) >= 20
    assert sum(len(v) > 1 for v in ibans.values()) >= 20


# --- variation and size ----------------------------------------------------------------------------------

def test_every_claimed_variation_occurs(full):
    world = full
    kinds = Counter(world.kinds)
    channels = Counter()
    situations = Counter()
    for kind, n in kinds.items():
        channel, situation = kind.split(":")
        channels[channel] += n
        situations[situation] += n
    assert set(channels) == set(world_d.CHANNELS)
    claimed = world_d.REGISTERED_SITUATIONS + world_d.EXEMPT_SITUATIONS + world_d.COLLECTOR_SITUATIONS
    assert set(situations) == set(claimed)
    assert all(situations[s] >= 4 for s in claimed), situations
    details = " ".join(t.detail for t in world.truth.values())
    for note in (*world_d.GARBLING_NOTES, "beneficiary cut at", "counsellor's wording: namens",
                 "counsellor's wording: inzake", "counsellor's wording: pa", "counsellor's wording: postbus",
                 "address glued", "IBAN mistyped", "diacritics as '?'", "KvK written 'KvK", "dated back"):
        assert note in details, note
    # plainly written signals are the rule, garbled ones the exception
    garbled = sum(any(n in t.detail for n in world_d.GARBLING_NOTES) for t in world.truth.values())
    assert 0.25 < garbled / len(world.truth) < 0.6


def test_sizes_are_honoured(full, late):
    for world, sizes in ((full, {"registrations": 1500, "exempt": 300, "collectors": 260, "signals": 4200}),
                         (late, SMALL)):
        assert world.sizes == sizes
        assert len(final_register(world)) == sizes["registrations"]
        assert len(rows(world.exempt_snapshots[-1][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)) == sizes["exempt"]
        assert len(world.truth) + world.dropped_total == sizes["signals"]
        assert len({t.collector for t in world.truth.values() if t.collector}) <= sizes["collectors"]

