"""The evaluation set generator of the signals benchmark (bench/signals_evalset.py), on small sizes:
labels consistent with the files, files that the import formats accept, determinism, every scenario,
and the benchmark's pairwise grouping measure."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from wki.core.csvio import decode, open_csv, parse_date
from wki.register.validation import (
    EXEMPT_COLUMNS,
    EXEMPT_REQUIRED,
    REGISTER_COLUMNS,
    REGISTER_REQUIRED,
    validate_exempt_row,
    validate_register_row,
)
from wki.signals.intake import REQUIRED_COLUMNS, SIGNAL_COLUMNS, clean_signal
from wki.signals.normalise import (
    email_domain,
    normalise_iban,
    normalise_kvk,
    normalise_name,
    normalise_phone,
    registrable_domain,
)

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import signals_evalset as ev  # noqa: E402
from bench_signals import evaluate  # noqa: E402

REGISTRATIONS, SIGNALS, EXEMPT = 400, 1200, 40


@pytest.fixture(scope="module")
def es() -> ev.EvalSet:
    return ev.generate(REGISTRATIONS, SIGNALS, seed=4, n_exempt=EXEMPT)


def register_rows(es: ev.EvalSet) -> dict[str, dict[str, str]]:
    return {r["registratienummer"]: r for r in csv.DictReader(io.StringIO(es.register_csv.decode("utf-8")))}


def reference_date(row: dict[str, str]) -> date:
    return parse_date(row.get("datum_brief") or row["ontvangen_op"])


def test_the_files_use_the_formats_columns_and_every_row_is_valid(es):
    for data, columns, required, validate in ((es.register_csv, REGISTER_COLUMNS, REGISTER_REQUIRED,
                                               validate_register_row),
                                              (es.exempt_csv, EXEMPT_COLUMNS, EXEMPT_REQUIRED, validate_exempt_row)):
        table = open_csv(data, columns=columns, required=required)
        assert table.present == frozenset(columns) and not table.unknown_columns
        errors: list = []
        rows = [validate(line, cells, errors) for line, cells in table.rows()]
        assert not errors and all(rows)
    assert ev.REGISTER_COLUMNS == REGISTER_COLUMNS and ev.EXEMPT_COLUMNS == EXEMPT_COLUMNS
    assert ev.SIGNAL_COLUMNS == SIGNAL_COLUMNS

    table = open_csv(es.signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    assert (table.encoding, table.delimiter, table.unknown_columns) == ("UTF-8 (met BOM)", ";", [])
    rows = [dict(zip(SIGNAL_COLUMNS, cells, strict=True)) for _line, cells in table.rows()]
    assert len(rows) == SIGNALS
    # Documented (signals_evalset.py): with the default snapshot date every date written lies before
    # 2026-10-13, so the import, which refuses dates in the future, takes every row on 2026-10-12.
    for row in rows:
        values, errors = clean_signal(row, today=date(2026, 10, 12))
        assert not errors, (row, errors)

    # ... and the refusal is real: on the day before its latest date, that row would be refused.
    def written(row: dict[str, str]) -> date:
        return max(parse_date(row[column]) for column in ("datum_brief", "ontvangen_op") if row[column])

    latest = max(rows, key=written)
    _values, errors = clean_signal(latest, today=written(latest) - timedelta(days=1))
    assert errors and {error.column for error in errors} <= {"datum_brief", "ontvangen_op"}, (latest, errors)


def test_excel_style_cells():
    """Decimal commas with thousands dots, DD-MM-JJJJ dates; Windows-1252 on request, same content."""
    utf8 = ev.generate(60, 300, seed=1, n_exempt=10)
    cp1252 = ev.generate(60, 300, seed=1, n_exempt=10, encoding="cp1252")
    text, encoding = decode(cp1252.signals_csv)
    assert encoding == "Windows-1252" and text == decode(utf8.signals_csv)[0]
    assert utf8.signals_as("cp1252") == cp1252.signals_csv
    amounts = [r["hoofdsom"] for r in utf8.signal_rows if r.get("hoofdsom")]
    assert all("," in a and not a.endswith(".") for a in amounts)
    assert any("." in a for a in amounts)  # 1.250,00
    dates = [r["ontvangen_op"] for r in utf8.signal_rows]
    assert all(len(d) == 10 and d[2] == d[5] == "-" for d in dates)


def test_labels_agree_with_the_register_on_the_reference_date(es):
    regs = register_rows(es)
    rows = {r["referentie"]: r for r in es.signal_rows}
    assert set(rows) == set(es.truth)
    for ref, t in es.truth.items():
        assert t.verdict == ev.SCENARIO_VERDICT[t.scenario]
        assert (t.registratienummer is not None) == (t.verdict in ("geregistreerd", "registratie_niet_geldig"))
        assert (t.collector is not None) == (t.verdict == "niet_geregistreerd")
        day = reference_date(rows[ref])
        assert day >= es.register_date  # the mirror knows the register from its first snapshot on
        if t.registratienummer:
            reg = regs[t.registratienummer]
            start = date.fromisoformat(reg["datum_inschrijving"])
            end = date.fromisoformat(reg["datum_einde"]) if reg["datum_einde"] else None
            valid = start <= day and (end is None or day < end)
            assert valid == (t.verdict == "geregistreerd"), (ref, reg, day)
        if rows[ref]["bron"] == "kvk":
            assert t.scenario.startswith("kvk_")


def test_every_scenario_is_there_in_roughly_the_asked_proportions(es):
    counts = es.scenario_counts()
    assert all(counts[s] > 0 for s in ev.SCENARIOS), counts
    assert sum(counts.values()) == SIGNALS
    shares = {"registered": 0.50, "not_valid": 0.08, "exempt": 0.05, "unregistered": 0.30, "clone": 0.04}
    for scenario, share in shares.items():
        assert abs(counts[scenario] / SIGNALS - share) < 0.02, (scenario, counts)
    collectors = es.collector_counts()
    assert 2 <= SIGNALS * 0.30 / collectors["unregistered"] <= 5  # 1-20 signals each, about 3.4 on average
    tags = Counter(tag for t in es.truth.values() for tag in t.detail.replace("+", " ").split())
    for variation in ("typo", "form-dropped", "kind-flip", "order", "trade", "iban-mistyped", "freemail", "no-name"):
        assert tags[variation] > 0, variation
    fewer = ev.generate(REGISTRATIONS, 10, seed=4, n_exempt=EXEMPT)  # the register does not depend on the signals
    assert fewer.register_csv == es.register_csv and fewer.exempt_csv == es.exempt_csv


def test_registered_names_differ_beyond_legal_form_and_identifiers_are_unique(es):
    names: dict[str, str] = {}
    kvks = Counter()
    for nr, reg in register_rows(es).items():
        kvks[reg["kvk_nummer"]] += 1
        for name in [reg["naam"], *filter(None, reg["handelsnamen"].split("|"))]:
            key = normalise_name(name)
            assert names.setdefault(key, nr) == nr, (name, names[key], nr)
    assert max(kvks.values()) == 1


def test_signals_of_a_collector_are_linked_and_collectors_share_nothing(es):
    owners: dict[str, set[str]] = defaultdict(set)
    signals: dict[str, list[tuple[set[str], str]]] = defaultdict(list)
    for row in es.signal_rows:
        t = es.truth[row["referentie"]]
        keys = set()
        iban = normalise_iban(row.get("iban"))
        for key in (normalise_kvk(row.get("kvk_nummer")), iban.compact if iban and iban.valid else None,
                    normalise_phone(row.get("telefoon")), registrable_domain(row.get("website")),
                    email_domain(row.get("email"))):
            if key:
                keys.add(key)
        party = t.collector or t.registratienummer or "vrijgesteld:" + row.get("naam_incassant", "")
        for key in keys:
            owners[key].add(party if t.collector or t.registratienummer else "exempt")
        if t.collector:
            assert row.get("naam_incassant")  # a name, always: an identifier alone proves nothing unregistered
            signals[t.collector].append((keys, normalise_name(row["naam_incassant"])))
    assert not {k: v for k, v in owners.items() if len(v) > 1}
    for collector, items in signals.items():
        linked, rest = [items[0]], items[1:]
        while rest:
            joined = [s for s in rest if any(s[0] & other[0] or s[1] == other[1] for other in linked)]
            assert joined, (collector, items)
            linked += joined
            rest = [s for s in rest if s not in joined]


def test_mistyped_ibans_are_invalid_and_listed_ibans_valid(es):
    rows = {r["referentie"]: r for r in es.signal_rows}
    mistyped = [rows[ref]["iban"] for ref, t in es.truth.items() if "iban-mistyped" in t.detail]
    assert mistyped and all(not normalise_iban(v).valid for v in mistyped)
    for reg in register_rows(es).values():
        assert all(ev.iban_valid(i) for i in filter(None, reg["iban"].split("|")))


def test_the_same_arguments_give_the_same_bytes_in_any_process():
    script = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]); import signals_evalset as ev; "
              "es = ev.generate(150, 400, seed=7, n_exempt=15); "
              "print(hashlib.sha256(es.register_csv + es.exempt_csv + es.signals_csv + "
              "repr(sorted(es.truth.items())).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", script, str(BENCH)], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": hash_seed})
        digests.add(out.stdout.strip())
    here = ev.generate(150, 400, seed=7, n_exempt=15)
    digests.add(hashlib.sha256(here.register_csv + here.exempt_csv + here.signals_csv
                               + repr(sorted(here.truth.items())).encode()).hexdigest())
    assert len(digests) == 1
    assert ev.generate(150, 400, seed=8, n_exempt=15).signals_csv != here.signals_csv


def test_pairwise_grouping_measure():
    """Pairs within truth collectors vs within predicted suspects; a signal judged otherwise is alone."""
    nr = "niet_geregistreerd"
    truth = {f"s{i}": ev.Truth(nr, None, c, "unregistered") for i, c in enumerate("AAABBC")}
    truth["r"] = ev.Truth("geregistreerd", "R1", None, "registered")
    predicted = {"s0": {"oordeel": nr, "verdachte_id": "1"}, "s1": {"oordeel": nr, "verdachte_id": "1"},
                 "s2": {"oordeel": "onzeker"}, "s3": {"oordeel": nr, "verdachte_id": "2"},
                 "s4": {"oordeel": nr, "verdachte_id": "2"}, "s5": {"oordeel": nr, "verdachte_id": "2"},
                 "r": {"oordeel": "geregistreerd", "registratienummer": "R2"}}
    q = evaluate(truth, predicted)
    # true pairs: A 3 + B 1 = 4; predicted: {s0,s1} 1 + {s3,s4,s5} 3 = 4; shared: s0-s1, s3-s4 = 2
    assert (q.true_pairs, q.predicted_pairs, q.shared_pairs) == (4, 4, 2)
    assert q.precision == q.recall == q.f1 == 0.5
    assert (q.n, q.verdict_right, q.right, q.unsure) == (7, 6, 5, 1)  # r: right verdict, wrong number
    assert q.errors["registered"] == ["r"] and q.errors["unregistered"] == ["s2"]


def test_identifiers_of_a_registration_signal_are_the_registrations_own_however_written(es):
    regs = register_rows(es)
    rows = {r["referentie"]: r for r in es.signal_rows}
    checked = Counter()
    for ref, t in es.truth.items():
        if t.scenario not in ("registered", "not_valid", "kvk_registered"):
            continue
        reg, row = regs[t.registratienummer], rows[ref]
        if row.get("kvk_nummer"):
            assert normalise_kvk(row["kvk_nummer"]) == reg["kvk_nummer"], row["kvk_nummer"]
            checked["kvk"] += 1
        iban = normalise_iban(row.get("iban"))
        if iban and iban.valid:
            assert iban.compact in reg["iban"].split("|")
            checked["iban"] += 1
        if row.get("website"):
            assert registrable_domain(row["website"]) in {registrable_domain(w) for w in reg["website"].split("|")}
            checked["website"] += 1
        if row.get("telefoon"):
            assert normalise_phone(row["telefoon"]) in {normalise_phone(p) for p in reg["telefoon"].split("|")}
            checked["telefoon"] += 1
        domain = email_domain(row.get("email"))
        if domain:
            assert domain in {email_domain(e) for e in reg["email"].split("|")}
            checked["email"] += 1
        if not row.get("naam_incassant"):  # unnamed: a KvK number, a known IBAN or the website carries it
            assert {"kvk_nummer", "website"} & {k for k, v in row.items() if v} or (iban and iban.valid)
    assert min(checked.values()) > 10, checked
