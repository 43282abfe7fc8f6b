"""Evaluation world B (bench/evalset_partners.py): deterministic, the same signals whatever the mirror's start,
files the imports accept, labels that follow the register's dates, and every kind of variation present.

Small worlds (a few hundred registrations), so that the whole file runs in a few seconds; the defaults
make the full-size world the benchmark uses.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bench.evalset_partners import NEAR_NAME, Truth, World, generate, name_score
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

TODAY = date(2026, 12, 4)
LAST_DAY = date(2026, 11, 30)
SIZES = dict(registrations=450, exempt=90, collectors=80, signals=1300)
RECENT, EARLY = date(2026, 11, 1), date(2024, 4, 1)
REGISTRATION_VERDICTS = ("geregistreerd", "registratie_niet_geldig")

# The variations the brief asks for, each a kind of its own.
REQUIRED_KINDS = {
    "exact-legal", "trade-name", "legal-form-absent", "legal-form-spelled-out", "legal-form-different",
    "legal-form-misplaced", "caps-truncated", "lower-case", "diacritics", "ampersand", "word-order",
    "bizword-dropped", "bizword-added", "bizword-synonym", "place-added", "clutter", "run-together", "split-word",
    "typo-short", "typo-long", "phonetic", "ocr", "initials", "tussenvoegsel", "truncated", "abbreviation",
    "acronym", "shared-surname", "lookalike-id", "group-two-registrations", "surname-trade-name", "kvk-notation",
    "vestigingsnummer", "iban-notation", "iban-mistyped", "website-notation", "email-own-domain",
    "email-freemail", "phone-notation", "postcode-plaats", "id-only", "not-yet-valid", "struck-off-before",
    "lapsed-before", "boundary-start", "boundary-end", "reregistered", "name-changed", "trade-name-dropped",
    "trade-name-later", "exempt-exact", "exempt-variant", "exempt-typo", "exempt-kvk", "exempt-website",
    "exempt-two-offices", "exempt-shared-surname", "unreg-name", "unreg-variant", "unreg-alias",
    "unreg-multi-iban", "unreg-foreign-iban", "unreg-freemail", "unreg-id-only", "unreg-lookalike",
    "unreg-lookalike-pair", "unreg-shared-surname", "unreg-posing-bailiff", "clone", "kvk-row-registered",
    "kvk-row-unregistered",
}


@pytest.fixture(scope="module")
def recent() -> World:
    return generate(seed=3, mirror_start=RECENT, **SIZES)


@pytest.fixture(scope="module")
def early() -> World:
    return generate(seed=3, mirror_start=EARLY, **SIZES)


def register_rows(data: bytes) -> list[dict[str, str]]:
    table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
    return [dict(zip(REGISTER_COLUMNS, cells, strict=True)) for _, cells in table.rows()]


def cleaned_signals(world: World) -> dict[str, dict]:
    table = open_csv(world.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    out = {}
    for line, cells in table.rows():
        assert cells is not None, f"line {line} has too many cells"
        cleaned, errors = clean_signal(dict(zip(SIGNAL_COLUMNS, cells, strict=True)), today=TODAY)
        assert not errors, (line, [(e.column, e.value, e.reason) for e in errors])
        assert cleaned["referentie"] not in out, f"duplicate reference {cleaned['referentie']}"
        out[cleaned["referentie"]] = cleaned
    return out


def valid_on(row: dict[str, str], day: date) -> bool:
    start = date.fromisoformat(row["datum_inschrijving"])
    end = date.fromisoformat(row["datum_einde"]) if row["datum_einde"] else None
    return start <= day and (end is None or day < end)


def test_same_arguments_give_the_same_bytes(recent: World) -> None:
    again = generate(seed=3, mirror_start=RECENT, **SIZES)
    assert again.signals_csv == recent.signals_csv
    assert again.register_snapshots == recent.register_snapshots
    assert again.exempt_snapshots == recent.exempt_snapshots
    assert again.truth == recent.truth


def test_another_seed_gives_another_world(recent: World) -> None:
    other = generate(seed=4, mirror_start=RECENT, **SIZES)
    assert other.signals_csv != recent.signals_csv


def test_both_mirror_starts_share_parties_and_signals(recent: World, early: World) -> None:
    assert early.signals_csv == recent.signals_csv
    assert early.truth == recent.truth
    assert early.register_snapshots[-1] == recent.register_snapshots[-1]
    assert early.exempt_snapshots[0][1] == recent.exempt_snapshots[0][1]
    assert [d for d, _ in recent.register_snapshots] == [RECENT, date(2026, 11, 29)]
    assert early.register_snapshots[0][0] == EARLY and len(early.register_snapshots) > 12


@pytest.mark.parametrize("which", ["recent", "early"])
def test_snapshots_satisfy_the_importer(which: str, request: pytest.FixtureRequest) -> None:
    world: World = request.getfixturevalue(which)
    assert world.register_snapshots[0][0] == world.mirror_start
    assert world.exempt_snapshots[0][0] == world.mirror_start
    days = [d for d, _ in world.register_snapshots]
    assert days == sorted(set(days)) and days[-1] <= LAST_DAY
    previous: set[str] = set()
    for day, data in world.register_snapshots:
        table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED)
        errors: list = []
        keys = []
        for line, cells in table.rows():
            assert validate_register_row(line, cells, errors) is not None, [e.describe() for e in errors]
            keys.append(cells[0])
            for column in ("datum_inschrijving", "datum_einde", "geldig_tot"):
                value = cells[REGISTER_COLUMNS.index(column)]
                assert not value or value <= LAST_DAY.isoformat(), (day, column, value)
            assert cells[REGISTER_COLUMNS.index("datum_inschrijving")] <= day.isoformat()
        assert keys, f"snapshot {day} is empty"
        assert len(keys) == len(set(keys)), f"snapshot {day} repeats a registratienummer"
        left = previous - set(keys)
        assert len(left) <= 0.1 * len(previous), f"snapshot {day} leaves out {len(left)} registrations"
        previous = set(keys)
    for _, data in world.exempt_snapshots:
        table = open_csv(data, columns=EXEMPT_COLUMNS, required=EXEMPT_REQUIRED)
        errors = []
        seen = set()
        for line, cells in table.rows():
            assert validate_exempt_row(line, cells, errors) is not None, [e.describe() for e in errors]
            assert exempt_key(cells) not in seen
            seen.add(exempt_key(cells))


def test_history_changes_between_snapshots_but_dates_never_do(early: World) -> None:
    first_seen: dict[str, dict[str, str]] = {}
    changed = Counter()
    for day, data in early.register_snapshots:
        for row in register_rows(data):
            held = first_seen.setdefault(row["registratienummer"], row)
            assert row["datum_inschrijving"] == held["datum_inschrijving"]
            if held["datum_einde"]:
                assert row["datum_einde"] == held["datum_einde"] and row["status"] == held["status"]
            elif row["datum_einde"]:
                assert row["datum_einde"] <= day.isoformat() and row["status"] in ("doorgehaald", "verlopen")
            for column in ("naam", "handelsnamen", "iban", "telefoon", "website"):
                if row[column] != held[column]:
                    changed[column] += 1
            first_seen[row["registratienummer"]] = row
    assert changed["naam"] and changed["handelsnamen"] and changed["iban"] and changed["telefoon"]
    assert len(register_rows(early.register_snapshots[0][1])) < 10  # the Wki has just come into force


def test_every_signal_imports_and_has_a_truth(recent: World) -> None:
    signals = cleaned_signals(recent)
    assert set(signals) == set(recent.truth)
    assert all(isinstance(t, Truth) and t.kind and t.detail for t in recent.truth.values())
    assert {t.verdict for t in recent.truth.values()} == {"geregistreerd", "registratie_niet_geldig", "vrijgesteld",
                                                            "niet_geregistreerd"}
    for ref, s in signals.items():
        assert date(2025, 4, 1) <= s["reference_date"] <= LAST_DAY, ref
        assert s["ontvangen_op"] <= LAST_DAY
    sources = Counter(s["bron"] for s in signals.values())
    assert set(sources) == {"consument", "schuldhulpverlener", "gemeente", "toezichthouder", "kvk", "anoniem", "overig"}
    without = sum(1 for s in signals.values() if not any(s[c] for c in ("kvk_raw", "iban_raw", "website_raw", "email_raw", "telefoon_raw")))
    assert 0.35 <= without / len(signals) <= 0.45
    assert any(s["iban_valid"] is False for s in signals.values())


def test_registration_labels_follow_the_register_dates(recent: World, early: World) -> None:
    signals = cleaned_signals(recent)
    for world in (recent, early):
        final = {r["registratienummer"]: r for _, data in world.register_snapshots for r in register_rows(data)}
        for ref, truth in world.truth.items():
            day = signals[ref]["reference_date"]
            if truth.verdict in REGISTRATION_VERDICTS:
                assert truth.registratienummers, ref
                for number in truth.registratienummers:
                    assert valid_on(final[number], day) == (truth.verdict == "geregistreerd"), (ref, number, day)
            else:
                assert truth.registratienummers == (), ref
            assert (truth.collector is not None) == (truth.verdict == "niet_geregistreerd"), ref


def test_proportions_are_roughly_the_briefs(recent: World) -> None:
    verdicts = Counter(t.verdict for t in recent.truth.values())
    n = len(recent.truth)
    assert 0.45 <= verdicts["geregistreerd"] / n <= 0.57
    assert 0.06 <= verdicts["registratie_niet_geldig"] / n <= 0.11
    assert 0.08 <= verdicts["vrijgesteld"] / n <= 0.12
    assert 0.25 <= verdicts["niet_geregistreerd"] / n <= 0.34
    assert abs(n - SIZES["signals"]) <= 0.1 * SIZES["signals"]
    per_collector = Counter(t.collector for t in recent.truth.values() if t.collector)
    assert max(per_collector.values()) <= 20 and min(per_collector.values()) >= 1
    assert len(per_collector) >= 0.9 * SIZES["collectors"]


def test_every_kind_occurs(recent: World) -> None:
    kinds = recent.kind_counts()
    missing = sorted(REQUIRED_KINDS - set(kinds))
    assert not missing, missing
    assert sum(kinds.values()) == len(recent.truth)


def test_a_collectors_signals_link_and_collectors_do_not(recent: World) -> None:
    signals = cleaned_signals(recent)

    def keys(s: dict) -> set[tuple[str, str]]:
        out = {(c, s[c]) for c in ("kvk", "domain", "phone") if s[c]}
        if s["email_domain"]:
            out.add(("domain", s["email_domain"]))  # a website and an e-mail address at one domain
        if s["iban"] and s["iban_valid"]:
            out.add(("iban", s["iban"]))
        if s["email_raw"] and not s["email_domain"]:
            out.add(("mail", s["email_raw"].lower()))
        return out

    by_collector: dict[str, list[dict]] = {}
    for ref, t in recent.truth.items():
        if t.collector:
            by_collector.setdefault(t.collector, []).append(signals[ref])
    owner: dict[tuple[str, str], str] = {}
    for collector, sigs in by_collector.items():
        for s in sigs:
            for key in keys(s):
                assert owner.setdefault(key, collector) == collector, f"{key} links {collector} and {owner[key]}"
        parent = list(range(len(sigs)))

        def find(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for i in range(len(sigs)):
            for j in range(i + 1, len(sigs)):
                a, b = sigs[i], sigs[j]
                near = a["naam_incassant"] and b["naam_incassant"] and name_score(a["naam_incassant"], b["naam_incassant"]) >= NEAR_NAME
                if keys(a) & keys(b) or near:
                    parent[find(i)] = find(j)
        assert len({find(i) for i in range(len(sigs))}) == 1, collector

