"""The held-out "market" evaluation world (bench/evalset_market.py): deterministic, valid files, labels that
agree with the register of each signal's reference date, snapshots that follow ``mirror_start``.

The matcher is never run here: these tests check the world, not the matcher.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bench import evalset_market as market
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
EARLY = date(2025, 2, 1)
VERDICTS = {"geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd"}


@pytest.fixture(scope="module")
def world() -> market.World:
    """Seed 1 at small sizes, mirror started on 1 November 2026."""
    return market.generate(1, **SMALL)


@pytest.fixture(scope="module")
def early() -> market.World:
    """The same world with a mirror that started on 1 February 2025."""
    return market.generate(1, EARLY, **SMALL)


@pytest.fixture(scope="module")
def full() -> market.World:
    """The default sizes, generated once."""
    return market.generate(1)


def rows(data: bytes, columns: tuple[str, ...], required: frozenset[str]) -> list[dict[str, str]]:
    table = open_csv(data, columns=columns, required=required)
    return [dict(zip(columns, cells, strict=True)) for _, cells in table.rows()]


def register_rows(data: bytes) -> list[dict[str, str]]:
    return rows(data, REGISTER_COLUMNS, REGISTER_REQUIRED)


def signal_rows(w: market.World) -> list[dict[str, str]]:
    return rows(w.signals_csv, SIGNAL_COLUMNS, REQUIRED_COLUMNS)


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def valid_on(row: dict[str, str], day: date) -> bool:
    end = row["datum_einde"]
    return date.fromisoformat(row["datum_inschrijving"]) <= day and (not end or day < date.fromisoformat(end))


# ------------------------------------------------------------------------------------------ determinism


def test_same_seed_same_world(world: market.World) -> None:
    again = market.generate(1, **SMALL)
    assert again.signals_csv == world.signals_csv
    assert again.register_snapshots == world.register_snapshots
    assert again.exempt_snapshots == world.exempt_snapshots
    assert again.truth == world.truth
    assert again.dropped == world.dropped
    assert again.sizes == world.sizes


def test_same_world_whatever_the_hash_seed() -> None:
    """Nothing depends on set order: two processes with different hash seeds write the same bytes."""
    code = ("import hashlib; from bench.evalset_market import generate; "
            "w = generate(3, registrations=150, exempt=40, collectors=40, signals=250); "
            "print(hashlib.sha256(w.signals_csv + b''.join(d for _, d in w.register_snapshots)"
            " + b''.join(d for _, d in w.exempt_snapshots) + repr(sorted(w.truth.items())).encode()).hexdigest())")
    root = Path(__file__).resolve().parents[2]
    digests = set()
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_other_seeds_other_worlds(world: market.World) -> None:
    other = market.generate(2, **SMALL)
    assert other.signals_csv != world.signals_csv
    assert other.register_snapshots[-1][1] != world.register_snapshots[-1][1]
    assert set(other.truth) != set(world.truth) or other.truth != world.truth


def test_mirror_start_changes_only_the_snapshots_handed_out(world: market.World, early: market.World) -> None:
    assert early.signals_csv == world.signals_csv
    assert early.truth == world.truth
    assert early.dropped == world.dropped
    assert early.register_snapshots[-1] == world.register_snapshots[-1]
    assert early.exempt_snapshots[-1] == world.exempt_snapshots[-1]


# ------------------------------------------------------------------------------------------ the files


def test_sizes_are_as_asked(world: market.World) -> None:
    assert len(register_rows(world.register_snapshots[-1][1])) == SMALL["registrations"]
    assert len(rows(world.exempt_snapshots[-1][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)) == SMALL["exempt"]
    assert world.sizes["collectors"] == SMALL["collectors"]
    assert world.sizes["signals"] == len(world.truth) == SMALL["signals"]
    assert {r["referentie"] for r in signal_rows(world)} == set(world.truth)


@pytest.mark.parametrize("which", ["world", "early"])
def test_register_and_exempt_snapshots_pass_the_validators(which: str, request: pytest.FixtureRequest) -> None:
    w: market.World = request.getfixturevalue(which)
    for _, data in w.register_snapshots:
        table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
        errors: list = []
        numbers = []
        for line, cells in table.rows():
            assert validate_register_row(line, cells, errors) is not None, errors
            numbers.append(cells[0])
        assert not table.unknown_columns and len(numbers) == len(set(numbers))
    for _, data in w.exempt_snapshots:
        table = open_csv(data, columns=EXEMPT_COLUMNS, required=EXEMPT_REQUIRED)
        errors = []
        for line, cells in table.rows():
            assert validate_exempt_row(line, cells, errors) is not None, errors


def test_signals_pass_the_intake_with_the_reference_date_of_the_truth(world: market.World) -> None:
    table = open_csv(world.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    assert table.delimiter == ";" and "BOM" in table.encoding
    for _, cells in table.rows():
        values = dict(zip(SIGNAL_COLUMNS, cells, strict=True))
        clean, errors = clean_signal(values, today=market.END)
        assert not errors, (values, errors)
        truth = world.truth[values["referentie"]]
        expected = parse_date(values["datum_brief"] or values["ontvangen_op"])
        assert clean["reference_date"] == expected == truth.reference_date
        assert values["bron"] == truth.bron


def test_snapshots_follow_mirror_start(world: market.World, early: market.World) -> None:
    assert [d for d, _ in world.register_snapshots] == [date(2026, 11, 1), market.END]
    days = [d for d, _ in early.register_snapshots]
    assert days[0] == EARLY and days[-1] == market.END
    assert days == sorted(days) and days[1:-1] == [date(2025, 5, 1), date(2025, 8, 1), date(2025, 11, 1),
                                                   date(2026, 2, 1), date(2026, 5, 1), date(2026, 8, 1),
                                                   date(2026, 11, 1)]
    assert [d for d, _ in early.exempt_snapshots] == days
    assert [d for d, _ in market.generate(1, market.END, **SMALL).register_snapshots] == [market.END]


def test_each_snapshot_holds_the_register_as_it_stood_that_day(early: market.World) -> None:
    last = {r["registratienummer"]: r for r in register_rows(early.register_snapshots[-1][1])}
    previous: set[str] = set()
    for day, data in early.register_snapshots:
        current = register_rows(data)
        numbers = {r["registratienummer"] for r in current}
        assert previous <= numbers  # nothing leaves the register: ended registrations stay
        previous = numbers
        expected = {n for n, r in last.items() if date.fromisoformat(r["datum_inschrijving"]) <= day}
        assert numbers == expected
        for r in current:
            final = last[r["registratienummer"]]
            if r["status"] == "ingeschreven":
                assert not r["datum_einde"] and (not final["datum_einde"] or date.fromisoformat(final["datum_einde"]) > day)
                assert date.fromisoformat(r["geldig_tot"]) > day
            else:
                assert r["datum_einde"] == final["datum_einde"] and date.fromisoformat(r["datum_einde"]) <= day
    exempt = [rows(data, EXEMPT_COLUMNS, EXEMPT_REQUIRED) for _, data in early.exempt_snapshots]
    assert all(len(a) <= len(b) for a, b in zip(exempt, exempt[1:], strict=False))


# ------------------------------------------------------------------------------------------ the labels


def check_labels(w: market.World) -> None:
    register = register_rows(w.register_snapshots[-1][1])
    by_number = {r["registratienummer"]: r for r in register}
    by_kvk: dict[str, list[dict[str, str]]] = {}
    for r in register:
        by_kvk.setdefault(r["kvk_nummer"], []).append(r)
    for ref, t in w.truth.items():
        day = t.reference_date
        assert t.verdict in VERDICTS and market.START <= day <= market.END, ref
        if t.verdict == "geregistreerd":
            assert t.registratienummers and t.collector is None
            assert all(valid_on(by_number[n], day) for n in t.registratienummers), (ref, t)
        elif t.verdict == "registratie_niet_geldig":
            assert t.registratienummers and t.collector is None
            for n in t.registratienummers:
                assert not valid_on(by_number[n], day), (ref, t)
                # the party (one KvK number) had no other registration that was valid then
                assert not any(valid_on(r, day) for r in by_kvk[by_number[n]["kvk_nummer"]]), (ref, t)
            assert len({by_number[n]["kvk_nummer"] for n in t.registratienummers}) == 1
        else:
            assert t.registratienummers == ()
            assert (t.collector is not None) == (t.verdict == "niet_geregistreerd"), ref


def test_labels_agree_with_the_register_of_the_reference_date(world: market.World) -> None:
    check_labels(world)


def test_labels_of_the_full_world_agree_with_its_register(full: market.World) -> None:
    check_labels(full)
    assert len(full.truth) == 4200 and full.sizes["registrations"] == 1500
    assert {t.kind for t in full.truth.values()} == set(market.KIND_WEIGHTS)


def test_unregistered_collectors_are_in_no_list_as_written(world: market.World) -> None:
    register = register_rows(world.register_snapshots[-1][1])
    exempt = rows(world.exempt_snapshots[-1][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)
    names = {norm(r["naam"]) for r in register} | {norm(r["naam"]) for r in exempt}
    names |= {norm(n) for r in register for n in r["handelsnamen"].split("|") if n}
    kvks = {r["kvk_nummer"] for r in register} | {r["kvk_nummer"] for r in exempt if r["kvk_nummer"]}
    ibans = {i for r in register for i in r["iban"].split("|") if i}
    seen = 0
    for values in signal_rows(world):
        if world.truth[values["referentie"]].verdict != "niet_geregistreerd":
            continue
        seen += 1
        clean, _ = clean_signal(values, today=market.END)
        assert norm(values["naam_incassant"]) not in names, values
        assert clean["kvk"] not in kvks, values
        assert not clean["iban_valid"] or clean["iban"] not in ibans, values
    assert seen > 50


def test_exempt_verdicts_name_an_office_on_the_list(world: market.World) -> None:
    """A vrijgesteld signal with a KvK number or website gives one of the listed office's."""
    exempt = rows(world.exempt_snapshots[-1][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)
    kvks = {r["kvk_nummer"] for r in exempt if r["kvk_nummer"]}
    register_kvks = {r["kvk_nummer"] for r in register_rows(world.register_snapshots[-1][1])}
    for values in signal_rows(world):
        if world.truth[values["referentie"]].verdict == "vrijgesteld" and values["kvk_nummer"]:
            clean, _ = clean_signal(values, today=market.END)
            assert clean["kvk"] in kvks and clean["kvk"] not in register_kvks, values


def test_collectors_are_grouped(world: market.World) -> None:
    per_collector = Counter(t.collector for t in world.truth.values() if t.collector)
    assert len(per_collector) >= 20 and max(per_collector.values()) >= 5
    assert all(t.verdict == "niet_geregistreerd" for t in world.truth.values() if t.collector)


def test_date_boundaries_sit_on_a_registration_start_or_end(world: market.World) -> None:
    register = {r["registratienummer"]: r for r in register_rows(world.register_snapshots[-1][1])}
    boundary = [t for t in world.truth.values() if t.kind == "date_boundary"]
    assert boundary
    for t in boundary:
        tag = next(x for x in t.tags if x.startswith("boundary:"))
        offset = int(tag[-2:])
        days = {date.fromisoformat(register[n][c]) for n in t.registratienummers
                for c in ("datum_inschrijving", "datum_einde") if register[n][c]}
        assert any((t.reference_date - d).days == offset for d in days), t
        assert (t.verdict == "geregistreerd") == (
            (tag.startswith("boundary:start") and offset >= 0) or (tag.startswith("boundary:end") and offset < 0)), t


def test_every_kind_occurs_and_drops_are_counted(world: market.World) -> None:
    kinds = Counter(t.kind for t in world.truth.values())
    assert set(kinds) == set(market.KIND_WEIGHTS)
    assert sum(world.dropped.values()) > 0 and all(isinstance(k, str) and v > 0 for k, v in world.dropped.items())
    assert world.sizes["attempts"] == len(world.truth) + sum(world.dropped.values())
    verdicts = Counter(t.verdict for t in world.truth.values())
    assert set(verdicts) == VERDICTS and min(verdicts.values()) >= 40


def test_the_market_is_crowded(full: market.World) -> None:
    """Near-identical names: generic, initials, chains, families with one surname in several roles."""
    register = register_rows(full.register_snapshots[-1][1])
    exempt = rows(full.exempt_snapshots[-1][1], EXEMPT_COLUMNS, EXEMPT_REQUIRED)
    names = [r["naam"] for r in register] + [r["naam"] for r in exempt]
    assert any(n.startswith("Incasso Partners ") for n in names)
    assert sum("Nederland" in n for n in names) >= 3
    tags = Counter(x for t in full.truth.values() for x in t.tags)
    for tag in ("ocr", "speech_to_text", "spelled_by_ear", "truncated_30", "truncated_40", "capitals", "hodn",
                "creditor_iban", "creditor_in_name", "no_letter_date", "town_added", "local_office", "iban_mistyped"):
        assert tags[tag] >= 5, tag
