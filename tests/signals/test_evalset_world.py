"""World A (bench/evalset_world.py): deterministic, importable as the application reads its files, and
labelled by the register's own dates. No database: the files go through the importers' parsers only."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest

from bench.evalset_world import (
    EXEMPT_KINDS,
    REG_KINDS,
    World,
    generate,
    norm_domain,
    norm_iban,
    norm_kvk,
    norm_phone,
)
from wki.core.csvio import open_csv, parse_date, split_multi
from wki.register.validation import (
    EXEMPT_COLUMNS,
    EXEMPT_REQUIRED,
    REGISTER_COLUMNS,
    REGISTER_REQUIRED,
    exempt_key,
    validate_exempt_row,
    validate_register_row,
)
from wki.signals.intake import IDENTIFIER_COLUMNS, REQUIRED_COLUMNS, SIGNAL_COLUMNS, clean_signal

TODAY = date(2026, 12, 4)
LATE = date(2026, 11, 1)
EARLY = date(2024, 4, 1)
VERDICTS = {"geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd"}
UNREGISTERED_KINDS = {
    "kloon", "lookalike_niet_geregistreerd_kvk", "kvk_uittreksel_niet_geregistreerd", "nep_deurwaarder",
    "niet_geregistreerd_lijkt_op", "naamgenoot_niet_geregistreerd", "niet_geregistreerd_alleen_identificatie",
    "niet_geregistreerd_tweede_naam", "niet_geregistreerd_buitenland", "niet_geregistreerd_freemail",
    "niet_geregistreerd_variant", "niet_geregistreerd_identificatie", "niet_geregistreerd_naam",
}


@pytest.fixture(scope="module")
def late() -> World:
    """The default world, installed recently: snapshots of 2026-11-01 and 2026-11-29."""
    return generate(seed=1, mirror_start=LATE)


@pytest.fixture(scope="module")
def early() -> World:
    """The same world with a mirror that has run since the Wki came into force."""
    return generate(seed=1, mirror_start=EARLY)


def signal_rows(world: World) -> list[dict[str, str]]:
    table = open_csv(world.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    assert not table.unknown_columns
    rows = []
    for _, cells in table.rows():
        assert cells is not None
        rows.append(dict(zip(SIGNAL_COLUMNS, cells, strict=True)))
    return rows


def register_rows(data: bytes) -> list[tuple[str, ...]]:
    table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
    return [cells for _, cells in table.rows()]


def reference_date(row: dict[str, str]) -> date:
    return parse_date(row["datum_brief"] or row["ontvangen_op"])


def test_same_arguments_give_the_same_bytes() -> None:
    small = {"seed": 7, "mirror_start": EARLY, "registrations": 300, "exempt": 60, "collectors": 50, "signals": 800}
    a, b = generate(**small), generate(**small)
    assert a.signals_csv == b.signals_csv
    assert a.register_snapshots == b.register_snapshots
    assert a.exempt_snapshots == b.exempt_snapshots
    assert a.truth == b.truth
    assert generate(**{**small, "seed": 8}).signals_csv != a.signals_csv


def test_both_mirror_starts_hold_the_same_parties_and_signals(late: World, early: World) -> None:
    assert late.signals_csv == early.signals_csv
    assert late.truth == early.truth
    assert [d for d, _ in late.register_snapshots] == [LATE, date(2026, 11, 29)]
    assert dict(early.register_snapshots)[LATE] == dict(late.register_snapshots)[LATE]
    assert early.register_snapshots[-1] == late.register_snapshots[-1]
    assert early.exempt_snapshots[-1] == late.exempt_snapshots[-1]
    assert early.register_snapshots[0][0] == EARLY and late.exempt_snapshots[0][0] == LATE


def test_every_signal_has_a_truth_and_imports(late: World) -> None:
    rows = signal_rows(late)
    refs = [r["referentie"] for r in rows]
    assert len(refs) == len(set(refs)) == len(late.truth)
    assert set(refs) == set(late.truth)
    assert abs(len(rows) - 4200) <= 42
    for row in rows:
        cleaned, errors = clean_signal(row, today=TODAY)
        assert not errors, (row, [(e.column, e.reason) for e in errors])
        assert date(2025, 4, 1) <= cleaned["reference_date"] <= date(2026, 11, 30)
        truth = late.truth[row["referentie"]]
        assert truth.verdict in VERDICTS and truth.kind and truth.detail
        assert bool(truth.registratienummers) == (truth.verdict in {"geregistreerd", "registratie_niet_geldig"})
        assert bool(truth.collector) == (truth.verdict == "niet_geregistreerd")
        assert len(set(truth.registratienummers)) == len(truth.registratienummers)


@pytest.mark.parametrize("which", ["late", "early"])
def test_snapshots_satisfy_the_importers_constraints(which: str, request: pytest.FixtureRequest) -> None:
    world: World = request.getfixturevalue(which)
    dates = [d for d, _ in world.register_snapshots]
    assert dates[0] == world.mirror_start and dates == sorted(set(dates)) and dates[-1] <= date(2026, 11, 30)
    previous: set[str] = set()
    for day, data in world.register_snapshots:
        rows = register_rows(data)
        assert rows, f"snapshot {day} is empty"
        keys = [r[0] for r in rows]
        assert len(keys) == len(set(keys))
        errors: list = []
        for line, raw in enumerate(rows, start=2):
            validate_register_row(line, raw, errors)
            for value in (raw[14], raw[15], raw[16]):
                assert not value or date.fromisoformat(value) <= day, (day, raw)
        assert not errors, [e.describe() for e in errors[:5]]
        removed = previous - set(keys)
        assert len(removed) <= 0.10 * len(previous)
        previous = set(keys)
    for _, data in world.exempt_snapshots:
        table = open_csv(data, columns=EXEMPT_COLUMNS, required=EXEMPT_REQUIRED)
        rows = [cells for _, cells in table.rows()]
        assert len(rows) >= 280
        errors = []
        for line, raw in enumerate(rows, start=2):
            validate_exempt_row(line, raw, errors)
        assert not errors
        assert len({exempt_key(r) for r in rows}) == len(rows)


def test_the_early_mirror_grows_and_changes(early: World) -> None:
    sizes = [len(register_rows(data)) for _, data in early.register_snapshots]
    assert sizes[0] < 20 and sizes == sorted(sizes) and sizes[-1] >= 1400
    names: dict[str, set[str]] = defaultdict(set)
    statuses: dict[str, set[str]] = defaultdict(set)
    for _, data in early.register_snapshots:
        for r in register_rows(data):
            names[r[0]].add(r[1])
            statuses[r[0]].add(r[13])
    assert sum(len(v) > 1 for v in names.values()) >= 20  # renamed
    assert sum({"ingeschreven", "doorgehaald"} <= v for v in statuses.values()) >= 20  # struck off later


@pytest.mark.parametrize("which", ["late", "early"])
def test_registration_labels_follow_the_register_dates(which: str, request: pytest.FixtureRequest) -> None:
    world: World = request.getfixturevalue(which)
    dates: dict[str, tuple[date, date | None]] = {}
    for day, data in world.register_snapshots:
        for r in register_rows(data):
            start = date.fromisoformat(r[14])
            end = date.fromisoformat(r[15]) if r[15] else None
            if r[0] in dates:
                assert dates[r[0]][0] == start  # the register never moves a registration's start
                assert end is None or dates[r[0]][1] in (None, end)
            if end is not None or r[0] not in dates:
                dates[r[0]] = (start, end)
            assert end is None or end <= day
    checked = 0
    for row in signal_rows(world):
        truth = world.truth[row["referentie"]]
        if not truth.registratienummers:
            continue
        d = reference_date(row)
        valid = [dates[n][0] <= d and (dates[n][1] is None or d < dates[n][1]) for n in truth.registratienummers]
        if truth.verdict == "geregistreerd":
            assert all(valid), (row["referentie"], truth)
        else:
            assert not any(valid), (row["referentie"], truth)
        checked += 1
    assert checked > 2000


def test_every_kind_occurs_in_realistic_proportions(late: World) -> None:
    counts = late.kind_counts()
    wanted = {k[0] for k in REG_KINDS} | {k[0] for k in EXEMPT_KINDS} | UNREGISTERED_KINDS
    missing = sorted(k for k in wanted if counts.get(k, 0) < 3)
    assert not missing
    assert set(counts) <= wanted
    n = len(late.truth)
    share = {v: sum(t.verdict == v for t in late.truth.values()) / n for v in VERDICTS}
    assert 0.45 <= share["geregistreerd"] <= 0.56
    assert 0.06 <= share["registratie_niet_geldig"] <= 0.11
    assert 0.08 <= share["vrijgesteld"] <= 0.12
    assert 0.24 <= share["niet_geregistreerd"] <= 0.34
    assert 0.02 <= counts["kloon"] / n <= 0.04
    kvk_rows = sum(k.startswith("kvk_uittreksel") for t in late.truth.values() for k in [t.kind])
    assert 0.03 <= kvk_rows / n <= 0.05
    rows = signal_rows(late)
    without = sum(not any(r[c] for c in IDENTIFIER_COLUMNS) for r in rows)
    assert 0.35 <= without / n <= 0.45
    assert sum(1 for r in rows if not r["datum_brief"]) > 0.08 * n
    assert sum(1 for r in rows if reference_date(r) < LATE) > 0.9 * n
    assert late.dropped and sum(late.dropped.values()) > 0


def test_collectors_are_told_apart_by_their_own_identifiers(late: World) -> None:
    """An identifier of an unregistered collector belongs to it alone and is not in the register."""
    in_register: set[tuple[str, str]] = set()
    for r in register_rows(late.register_snapshots[-1][1]):
        in_register.add(("kvk", r[3]))
        in_register |= {("iban", v.replace(" ", "")) for v in split_multi(r[12])}
        in_register |= {("dom", norm_domain(v)) for v in split_multi(r[9])}
        in_register |= {("tel", norm_phone(v)) for v in split_multi(r[11])}
    owner: dict[tuple[str, str], str] = {}
    signals_of: dict[str, int] = defaultdict(int)
    for row in signal_rows(late):
        truth = late.truth[row["referentie"]]
        if truth.verdict != "niet_geregistreerd":
            continue
        signals_of[truth.collector] += 1
        keys = []
        if row["kvk_nummer"]:
            keys.append(("kvk", norm_kvk(row["kvk_nummer"])))
        if row["iban"] and norm_iban(row["iban"]):
            keys.append(("iban", norm_iban(row["iban"])))
        if row["website"]:
            keys.append(("dom", norm_domain(row["website"])))
        if row["telefoon"]:
            keys.append(("tel", norm_phone(row["telefoon"])))
        for key in keys:
            assert key not in in_register, (row["referentie"], key)
            assert owner.setdefault(key, truth.collector) == truth.collector, key
    counts = sorted(signals_of.values())
    assert len(counts) >= 240 and counts[0] == 1 and counts[-1] <= 20
    assert sum(c == 1 for c in counts) > sum(c >= 10 for c in counts)


def test_identifiers_are_written_every_which_way(late: World) -> None:
    rows = signal_rows(late)
    kvks = [r["kvk_nummer"] for r in rows if r["kvk_nummer"]]
    assert any(k.lower().startswith("kvk") for k in kvks) and any("." in k for k in kvks)
    assert any(re.fullmatch(r"\d{7}", k) for k in kvks)
    ibans = [r["iban"] for r in rows if r["iban"]]
    assert any(" " in i for i in ibans) and any(i[:2].islower() for i in ibans)
    assert any(norm_iban(i) is None for i in ibans) and any(not i.upper().startswith(("NL", "IBAN")) for i in ibans)
    sites = [r["website"] for r in rows if r["website"]]
    assert any(s.startswith("https://") for s in sites) and any("?" in s for s in sites)
    phones = [r["telefoon"] for r in rows if r["telefoon"]]
    assert any(p.startswith("+31") for p in phones) and any(p.startswith("0031") for p in phones)
    assert any(p.startswith("06") for p in phones) and any(p.startswith(("+44", "+32", "+49", "0044")) for p in phones)
