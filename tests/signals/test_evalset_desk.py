"""World E (bench/evalset_desk.py): deterministic, the same signals and labels for every mirror start, files
the importers accept, labels that follow the register's dates, and every variation it claims present.

Small worlds for most checks; one full build (seed 1, default sizes) for the sizes and the claims.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bench import evalset_desk as desk
from wki.core.csvio import open_csv, parse_date
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
LATE, EARLY = date(2026, 11, 1), date(2024, 4, 1)
SMALL = {"registrations": 240, "exempt": 60, "collectors": 40, "signals": 600}
VERDICTS = {"geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd"}


def digest(world: desk.World) -> str:
    """One hash over everything a world hands out."""
    h = hashlib.sha256()
    for day, data in world.register_snapshots + [(None, b"|")] + world.exempt_snapshots:
        h.update(str(day).encode() + data)
    h.update(world.signals_csv)
    for ref in sorted(world.truth):
        h.update(repr((ref, world.truth[ref])).encode())
    h.update(repr((sorted(world.dropped.items()), sorted(world.sizes.items()))).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def small() -> desk.World:
    return desk.generate(3, LATE, **SMALL)


@pytest.fixture(scope="module")
def small_early() -> desk.World:
    return desk.generate(3, EARLY, **SMALL)


@pytest.fixture(scope="module")
def full() -> desk.World:
    """The world as the benchmark builds it (seed 1, default sizes), mirror started early."""
    return desk.generate(1, EARLY)


def register_rows(data: bytes) -> list[dict[str, str]]:
    table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
    return [dict(zip(REGISTER_COLUMNS, cells, strict=True)) for _, cells in table.rows()]


def signal_rows(data: bytes) -> list[dict[str, str]]:
    table = open_csv(data, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    return [dict(zip(SIGNAL_COLUMNS, cells, strict=True)) for _, cells in table.rows()]


def valid_on(row: dict[str, str], day: date) -> bool:
    start = date.fromisoformat(row["datum_inschrijving"])
    end = date.fromisoformat(row["datum_einde"]) if row["datum_einde"] else None
    return start <= day and (end is None or day < end)


# ------------------------------------------------------------------ determinism and mirror starts


def test_same_seed_same_world_in_one_process(small: desk.World) -> None:
    """Built again from scratch (cache emptied), the world is byte for byte the same."""
    desk._CACHE.clear()
    assert digest(desk.generate(3, LATE, **SMALL)) == digest(small)


def test_other_seed_other_world(small: desk.World) -> None:
    assert desk.generate(4, LATE, **SMALL).signals_csv != small.signals_csv


@pytest.mark.parametrize("hash_seed", ["0", "4242"])
def test_same_world_in_another_process_whatever_the_hash_seed(small: desk.World, hash_seed: str) -> None:
    """String hashing differs per process unless fixed: the world must not depend on it."""
    code = ("import sys; sys.path.insert(0, '.'); from datetime import date; "
            "from bench import evalset_desk as d; from tests.signals.test_evalset_desk import digest, SMALL; "
            "print(digest(d.generate(3, date(2026, 11, 1), **SMALL)))")
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == digest(small)


def test_both_mirror_starts_give_the_same_signals_and_labels(small: desk.World, small_early: desk.World) -> None:
    assert small.signals_csv == small_early.signals_csv
    assert small.truth == small_early.truth
    assert small.dropped == small_early.dropped and small.sizes == small_early.sizes
    assert small.exempt_snapshots[0][1] == small_early.exempt_snapshots[0][1]
    # Only the snapshots differ; the last one is the same register.
    assert small.register_snapshots[-1] == small_early.register_snapshots[-1]


@pytest.mark.parametrize("start", [LATE, EARLY])
def test_snapshot_dates(start: date) -> None:
    world = desk.generate(3, start, **SMALL)
    days = [day for day, _ in world.register_snapshots]
    assert days[0] == start and days == sorted(days) and len(set(days)) == len(days)
    assert days[-1] == date(2026, 12, 1) and max(days) <= date(2026, 12, 1)
    assert all(day.day == 1 for day in days)
    if start == EARLY:
        assert len(days) == 33  # every month from April 2024 to December 2026
    assert [day for day, _ in world.exempt_snapshots] == [start]


# ------------------------------------------------------------------ the files pass the project's own checks


def test_register_snapshots_pass_the_validator_and_never_lose_a_registration(small_early: desk.World) -> None:
    before: set[str] = set()
    for _, data in small_early.register_snapshots:
        table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
        errors: list = []
        numbers = []
        for line, cells in table.rows():
            assert cells is not None
            validate_register_row(line, cells, errors)
            numbers.append(cells[0])
        assert not errors, [e.describe() for e in errors[:5]]
        assert len(numbers) == len(set(numbers)) and numbers
        assert before <= set(numbers)  # a struck-off registration stays, with its end date
        before = set(numbers)
    assert len(before) == SMALL["registrations"]


def test_exempt_list_passes_the_validator(small: desk.World) -> None:
    table = open_csv(small.exempt_snapshots[0][1], columns=EXEMPT_COLUMNS, required=EXEMPT_REQUIRED)
    errors: list = []
    keys = []
    for line, cells in table.rows():
        validate_exempt_row(line, cells, errors)
        keys.append(exempt_key(cells))
    assert not errors and len(keys) == len(set(keys)) == SMALL["exempt"]


def test_signal_file_passes_intake_cleaning(small: desk.World) -> None:
    table = open_csv(small.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    assert table.encoding == "UTF-8 (met BOM)" and table.delimiter == ";" and not table.unknown_columns
    rows = signal_rows(small.signals_csv)
    assert len(rows) == len(small.truth) == SMALL["signals"]
    for row in rows:
        cleaned, errors = clean_signal(row, today=date(2026, 12, 4))
        assert not errors, (row["referentie"], [(e.column, e.value, e.reason) for e in errors])
        truth = small.truth[row["referentie"]]
        assert cleaned["reference_date"] == truth.reference_date
        assert cleaned["ontvangen_op"] <= date(2026, 12, 1)
        assert date(2025, 4, 1) <= cleaned["reference_date"] <= date(2026, 11, 30)


# ------------------------------------------------------------------ labels


def check_labels(world: desk.World) -> None:
    final = register_rows(world.register_snapshots[-1][1])
    by_number = {row["registratienummer"]: row for row in final}
    by_kvk: dict[str, list[dict[str, str]]] = {}
    for row in final:
        by_kvk.setdefault(row["kvk_nummer"], []).append(row)
    for ref, truth in world.truth.items():
        assert truth.verdict in VERDICTS, ref
        day = truth.reference_date
        if truth.verdict in ("vrijgesteld", "niet_geregistreerd"):
            assert truth.registratienummers == ()
            assert (truth.collector is not None) == (truth.verdict == "niet_geregistreerd"), ref
            continue
        assert truth.collector is None and truth.registratienummers, ref
        rows = [by_number[n] for n in truth.registratienummers]
        if truth.verdict == "geregistreerd":
            # Every registration listed is valid on the reference date: same verdict for each.
            assert all(valid_on(row, day) for row in rows), (ref, truth.detail)
        else:
            # Not one registration of the firm (same KvK number) is valid on that date.
            for row in rows:
                assert not any(valid_on(other, day) for other in by_kvk[row["kvk_nummer"]]), (ref, truth.detail)


def test_labels_follow_the_register_dates(small: desk.World) -> None:
    check_labels(small)


def test_full_world_sizes_and_labels(full: desk.World) -> None:
    assert full.sizes["registrations"] == 1500 and full.sizes["exempt"] == 300
    assert full.sizes["collectors"] == 260 and full.sizes["signals"] == 4200 == len(full.truth)
    assert len(register_rows(full.register_snapshots[-1][1])) == 1500
    assert len({t.collector for t in full.truth.values() if t.collector}) == 260
    assert set(full.dropped) <= set(desk.DROP_REASONS) and sum(full.dropped.values()) > 0
    check_labels(full)
    verdicts = Counter(t.verdict for t in full.truth.values())
    assert set(verdicts) == VERDICTS
    assert any(len(t.registratienummers) > 1 for t in full.truth.values())


def test_strike_offs_dated_back_count_from_their_date(full: desk.World) -> None:
    """A letter written while the register still showed the firm as registered is judged by the end date
    the register states now."""
    found = 0
    snapshots = {day: {r["registratienummer"]: r for r in register_rows(data)} for day, data in full.register_snapshots
                 if day.day == 1}
    for truth in full.truth.values():
        if not truth.kind.startswith("terugwerkend_doorgehaald/"):
            continue
        assert truth.verdict == "registratie_niet_geldig"
        number = truth.registratienummers[0]
        then = max(day for day in snapshots if day <= truth.reference_date)  # the register at the letter's time
        assert snapshots[then][number]["status"] == "ingeschreven", truth.detail
        final = snapshots[date(2026, 12, 1)][number]
        assert final["status"] == "doorgehaald" and date.fromisoformat(final["datum_einde"]) <= truth.reference_date
        found += 1
    assert found


def test_late_registration_letters_before_it_are_not_valid(full: desk.World) -> None:
    final = {r["registratienummer"]: r for r in register_rows(full.register_snapshots[-1][1])}
    late = [t for t in full.truth.values() if t.kind.startswith("laat_geregistreerd/")]
    assert late
    for truth in late:
        start = date.fromisoformat(final[truth.registratienummers[0]]["datum_inschrijving"])
        assert truth.verdict == "registratie_niet_geldig" and truth.reference_date < start
        assert start > date(2025, 4, 1)


# ------------------------------------------------------------------ what the world claims to contain


def test_every_claimed_variation_occurs(full: desk.World) -> None:
    situations = Counter(t.kind.split("/")[0] for t in full.truth.values())
    writings = Counter(t.kind.split("/")[1] for t in full.truth.values())
    tags = Counter(tag for t in full.truth.values() for tag in t.tags)
    assert set(situations) <= set(desk.CLAIMED_SITUATIONS)
    assert not set(desk.CLAIMED_SITUATIONS) - set(situations)
    assert set(writings) <= set(desk.PRIMARY_ORDER) | {"zoals_geregistreerd"}
    assert not (set(desk.PRIMARY_ORDER) | {"zoals_geregistreerd"}) - set(writings)
    assert not set(desk.CLAIMED_NOTATIONS) - set(tags)
    assert not {"kanaal:" + c for c in desk.CHANNEL_BRON} - set(tags)
    bronnen = Counter(t.bron for t in full.truth.values())
    assert set(bronnen) == {"consument", "schuldhulpverlener", "gemeente", "toezichthouder", "kvk", "anoniem", "overig"}


def test_proportions_are_realistic(full: desk.World) -> None:
    """Many signals are written plainly; identifiers in a fair share, not in most."""
    rows = signal_rows(full.signals_csv)
    plain = sum(1 for t in full.truth.values() if t.kind.endswith("/zoals_geregistreerd"))
    with_id = sum(1 for r in rows if any(r[c] for c in ("kvk_nummer", "iban", "website", "email", "telefoon")))
    assert 0.3 < plain / len(rows) < 0.55
    assert 0.3 < with_id / len(rows) < 0.6
    letters = [t.reference_date for t in full.truth.values()]
    assert sum(1 for d in letters if d < date(2026, 11, 1)) / len(letters) > 0.9


def test_each_collector_is_one_group_with_its_own_id(full: desk.World) -> None:
    per_collector = Counter(t.collector for t in full.truth.values() if t.collector)
    assert all(cid.startswith("C") for cid in per_collector)
    assert max(per_collector.values()) > 10 and min(per_collector.values()) >= 1
    kinds = {t.collector: t.kind.split("/")[0] for t in full.truth.values() if t.collector}
    assert {"kloon", "meerdere_namen", "buitenlands", "lijkt_op_geregistreerd"} <= set(kinds.values())


def test_dates_are_written_both_ways(small: desk.World) -> None:
    text = small.signals_csv.decode("utf-8-sig")
    received = [row["ontvangen_op"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert any(v[4] == "-" for v in received) and any(v[2] == "-" for v in received)
    assert all(parse_date(v) for v in received)
