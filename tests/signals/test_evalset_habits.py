"""World C (bench/evalset_habits.py): deterministic, the same world for both mirror starts, files the
importers accept, labels that follow the register's dates, and every kind of variation the brief asks for."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from wki.core.csvio import open_csv
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import evalset_habits as habits  # noqa: E402

LATE, EARLY = date(2026, 11, 1), date(2024, 4, 1)
TODAY = date(2026, 12, 4)
SMALL = {"registrations": 300, "exempt": 60, "collectors": 60, "signals": 700}
VERDICTS = {"geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd"}


@pytest.fixture(scope="module")
def full() -> tuple[habits.World, float]:
    started = time.perf_counter()
    world = habits.generate(seed=1, mirror_start=LATE)
    return world, time.perf_counter() - started


@pytest.fixture(scope="module")
def small_late() -> habits.World:
    return habits.generate(seed=2, mirror_start=LATE, **SMALL)


@pytest.fixture(scope="module")
def small_early() -> habits.World:
    return habits.generate(seed=2, mirror_start=EARLY, **SMALL)


def signal_rows(world: habits.World) -> list[dict[str, str]]:
    table = open_csv(world.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    return [dict(zip(table.columns, cells, strict=True)) for _, cells in table.rows()]


def register_rows(data: bytes) -> list[tuple[str, ...]]:
    table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
    assert not table.unknown_columns
    return [cells for _, cells in table.rows()]


def test_generation_is_fast_and_full_size(full):
    world, seconds = full
    assert seconds < 15
    assert 3900 <= len(world.truth) <= 4400
    assert world.register_snapshots[0][0] == LATE
    assert 1400 <= len(register_rows(world.register_snapshots[-1][1])) <= 1600


def test_same_arguments_same_bytes(small_late):
    again = habits.generate(seed=2, mirror_start=LATE, **SMALL)
    assert again.signals_csv == small_late.signals_csv
    assert again.register_snapshots == small_late.register_snapshots
    assert again.exempt_snapshots == small_late.exempt_snapshots
    assert again.truth == small_late.truth
    other = habits.generate(seed=3, mirror_start=LATE, **SMALL)
    assert other.signals_csv != small_late.signals_csv


def test_no_hash_order_leaks_into_the_world():
    code = ("import sys, hashlib; sys.path.insert(0, 'bench'); import evalset_habits as h; from datetime import date; "
            "w = h.generate(seed=4, mirror_start=date(2026, 11, 1), registrations=150, exempt=30, collectors=30, "
            "signals=300); print(hashlib.sha256(w.signals_csv + repr(sorted(w.truth.items())).encode()).hexdigest())")
    root = Path(__file__).resolve().parents[2]
    digests = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(digests) == 1


def test_both_mirror_starts_hold_the_same_parties_and_signals(small_late, small_early):
    assert small_early.signals_csv == small_late.signals_csv
    assert small_early.truth == small_late.truth
    assert small_early.register_snapshots[0][0] == EARLY
    assert small_late.register_snapshots[0][0] == LATE
    assert len(small_early.register_snapshots) > 20 >= len(small_late.register_snapshots)
    # the snapshots both settings share are the same files
    late = dict(small_late.register_snapshots)
    early = dict(small_early.register_snapshots)
    for day, data in late.items():
        assert early[day] == data
    assert small_early.exempt_snapshots[-1][1] == small_late.exempt_snapshots[-1][1]


def test_every_signal_has_a_decided_truth(full, small_late):
    for world in (full[0], small_late):
        rows = signal_rows(world)
        refs = [r["referentie"] for r in rows]
        assert len(refs) == len(set(refs))
        assert set(refs) == set(world.truth)
        for t in world.truth.values():
            assert t.verdict in VERDICTS
            assert t.kind and t.detail
            if t.verdict in ("geregistreerd", "registratie_niet_geldig"):
                assert t.registratienummers and len(set(t.registratienummers)) == len(t.registratienummers)
                assert t.collector is None
            elif t.verdict == "niet_geregistreerd":
                assert t.collector and not t.registratienummers
            else:
                assert not t.collector and not t.registratienummers


@pytest.mark.parametrize("which", ["small_late", "small_early"])
def test_snapshots_satisfy_the_importers(which, request):
    world: habits.World = request.getfixturevalue(which)
    days = [d for d, _ in world.register_snapshots]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert days[0] == world.mirror_start and days[-1] <= date(2026, 11, 30)
    previous: set[str] = set()
    for day, data in world.register_snapshots:
        rows = register_rows(data)
        assert rows, f"empty snapshot {day}"
        errors: list = []
        for n, cells in enumerate(rows, start=2):
            validate_register_row(n, cells, errors)
        assert not errors, [e.describe() for e in errors[:5]]
        keys = [cells[0] for cells in rows]
        assert len(keys) == len(set(keys))
        assert len(previous - set(keys)) <= 0.1 * len(previous)
        for cells in rows:
            for value in (cells[14], cells[15], cells[16]):
                assert not value or date.fromisoformat(value) <= date(2026, 11, 30)
            assert date.fromisoformat(cells[14]) <= day
        previous = set(keys)
    exempt_days = [d for d, _ in world.exempt_snapshots]
    assert exempt_days[0] == world.mirror_start and exempt_days == sorted(exempt_days)
    previous = set()
    for _, data in world.exempt_snapshots:
        table = open_csv(data, columns=EXEMPT_COLUMNS, required=EXEMPT_REQUIRED)
        errors = []
        keys = []
        for n, cells in table.rows():
            assert validate_exempt_row(n, cells, errors) is not None
            keys.append(exempt_key(cells))
        assert not errors and keys and len(keys) == len(set(keys))
        assert len(previous - set(keys)) <= 0.1 * len(previous)
        previous = set(keys)


def test_the_signals_file_imports(full, small_early):
    for world in (full[0], small_early):
        assert world.signals_csv.startswith(b"\xef\xbb\xbf") == (world.encoding == "utf-8-sig")
        table = open_csv(world.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
        assert table.delimiter == ";" and not table.unknown_columns
        for line, cells in table.rows():
            assert cells is not None
            cleaned, errors = clean_signal(dict(zip(table.columns, cells, strict=True)), today=TODAY)
            assert not errors, (line, [(e.column, e.value, e.reason) for e in errors])
            assert date(2025, 4, 1) <= cleaned["reference_date"] <= date(2026, 11, 30)


def test_registration_labels_follow_the_register_dates(full, small_early):
    for world in (full[0], small_early):
        latest = {cells[0]: cells for cells in register_rows(world.register_snapshots[-1][1])}
        seen_in = {}
        for day, data in world.register_snapshots:
            for cells in register_rows(data):
                seen_in.setdefault(cells[0], []).append((day, cells))
        for row in signal_rows(world):
            truth = world.truth[row["referentie"]]
            if not truth.registratienummers:
                continue
            cleaned, _ = clean_signal(row, today=TODAY)
            d = cleaned["reference_date"]
            for nr in truth.registratienummers:
                cells = latest[nr]
                start = date.fromisoformat(cells[14])
                end = date.fromisoformat(cells[15]) if cells[15] else None
                valid = start <= d and (end is None or d < end)
                assert truth.verdict == ("geregistreerd" if valid else "registratie_niet_geldig"), (row, truth)
                # every snapshot states the same start; an end, once stated, stays
                versions = seen_in[nr]
                assert {v[1][14] for v in versions} == {cells[14]}
                ends = [v[1][15] for v in versions]
                assert ends == sorted(ends, key=lambda e: e != "") and (not end or ends[-1] == cells[15])


def test_a_collectors_signals_share_an_id_and_two_collectors_do_not(full):
    world = full[0]
    by_collector: dict[str, list[dict[str, str]]] = {}
    for row in signal_rows(world):
        truth = world.truth[row["referentie"]]
        if truth.collector:
            by_collector.setdefault(truth.collector, []).append(row)
    counts = Counter(len(v) for v in by_collector.values())
    assert max(counts) <= 20 and counts[1] > 0 and any(n >= 8 for n in counts)
    owner: dict[tuple[str, str], str] = {}
    for collector, rows in by_collector.items():
        for row in rows:
            for ident in habits.guard_ids(row):
                assert owner.setdefault(ident, collector) == collector, ident


def test_proportions_and_identifiers(full):
    world = full[0]
    verdicts = Counter(t.verdict for t in world.truth.values())
    total = sum(verdicts.values())
    assert 0.45 <= verdicts["geregistreerd"] / total <= 0.58
    assert 0.06 <= verdicts["registratie_niet_geldig"] / total <= 0.11
    assert 0.08 <= verdicts["vrijgesteld"] / total <= 0.12
    assert 0.25 <= verdicts["niet_geregistreerd"] / total <= 0.35
    rows = signal_rows(world)
    bare = sum(1 for r in rows if not any(r[c] for c in ("kvk_nummer", "iban", "website", "email", "telefoon")))
    assert 0.35 <= bare / len(rows) <= 0.45
    assert Counter(r["bron"] for r in rows).keys() == {"consument", "schuldhulpverlener", "gemeente", "toezichthouder",
                                                      "anoniem", "overig", "kvk"}
    assert sum(1 for t in world.truth.values() if len(t.registratienummers) > 1) >= 20
    assert sum(world.dropped.values()) > 0


REQUIRED_KINDS = {
    # names
    "reg_exact", "reg_trade_name", "reg_hodn", "reg_form_absent", "reg_form_different", "reg_form_spelled",
    "reg_form_misplaced", "reg_caps", "reg_lower", "reg_diacritics", "reg_amp", "reg_word_order", "reg_biz_dropped",
    "reg_biz_added", "reg_biz_synonym", "reg_place_added", "reg_vestiging_place", "reg_clutter", "reg_joined",
    "reg_split", "reg_typo_short", "reg_typo_long", "reg_phonetic", "reg_ocr", "reg_initials", "reg_tussenvoegsel",
    "reg_truncated", "reg_acronym", "reg_case_system", "reg_old_name_id", "reg_dropped_trade_id", "reg_caller",
    "reg_partial",
    # shared names, look-alikes, groups
    "reg_shared_surname", "reg_lookalike_id", "reg_group_twin", "reg_after_rereg", "ex_shared_surname",
    "un_shared_surname", "un_lookalike_reg", "ex_multi_location",
    # identifiers
    "reg_id_kvk", "reg_id_kvk_formatted", "reg_id_kvk_no_zero", "reg_id_vestiging", "reg_id_iban",
    "reg_id_iban_mistyped", "reg_iban_unlisted", "reg_foreign_iban", "reg_id_website", "reg_id_email",
    "reg_freemail", "reg_id_phone", "reg_id_only", "reg_postcode",
    # validity
    "reg_boundary_start", "reg_boundary_last_day", "nv_not_yet", "nv_struck_off", "nv_struck_off_backdated",
    "nv_lapsed", "nv_boundary_end", "nv_boundary_before_start", "nv_rereg_gap",
    # exempt
    "ex_office", "ex_name_variant", "ex_bailiff_person", "ex_lawyer_person", "ex_id_kvk", "ex_id_website",
    # unregistered
    "un_plain", "un_name_variant", "un_alias", "un_multi_iban", "un_foreign", "un_foreign_iban", "un_freemail",
    "un_id_only", "un_phone_only", "un_website_only", "un_fake_bailiff", "un_person",
    "clone_name_kvk", "clone_name_ids", "clone_kvk_row", "kvk_reg", "kvk_nv", "kvk_un",
}


def test_every_kind_the_brief_asks_for_occurs(full):
    counts = full[0].kind_counts()
    missing = REQUIRED_KINDS - set(counts)
    assert not missing, sorted(missing)
    assert all(counts[k] >= 3 for k in REQUIRED_KINDS), {k: counts[k] for k in REQUIRED_KINDS if counts[k] < 3}


def test_the_guard_keeps_look_alikes_apart():
    keys = habits.name_keys
    same = habits.likeness(keys("bakker incasso")[0], keys("Bakker Incasso B.V.", signal=False)[0])
    other = habits.likeness(keys("bakker incasso")[0], keys("Bakker Juridisch Incasso", signal=False)[0])
    assert same == 100 and same - other >= habits.MARGIN
    bailiff = keys("mr. J. de Vries, gerechtsdeurwaarder")[0]
    assert habits.likeness(bailiff, keys("De Vries Gerechtsdeurwaarders", signal=False)[0]) == 100
    assert habits.likeness(bailiff, keys("De Vries Incasso B.V.", signal=False)[0]) < 80
    hodn = keys("Visser Beheer B.V. h.o.d.n. Kramer Incasso")
    assert [k.dist for k in hodn] == [("visser",), ("kramer",)]
    assert habits.is_bare(keys("bakker")) and not habits.is_bare(keys("bakker incasso"))


def test_dump_writes_files_a_person_can_read(small_late, tmp_path):
    habits.dump(small_late, tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"signalen.csv", "truth.csv", "kinds.txt", "register_2026-11-01.csv", "vrijgestelden_2026-11-01.csv"} <= names
    truth = list(csv.DictReader(io.StringIO((tmp_path / "truth.csv").read_text("utf-8"))))
    assert len(truth) == len(small_late.truth)
