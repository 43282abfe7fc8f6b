"""Signals benchmark: quality and speed of matching and grouping (issue 4, "Quality and speed").

Generates a labelled evaluation set (``bench/signals_evalset.py``: a register of 10,000 registrations
with trade names and identifiers, an exempt list, 20,000 signals written as Dutch Excel writes them, and
the verdict a careful person would give each signal), then runs the pipeline in a fresh process per run,
on a database of its own migrated with Alembic (``flask db upgrade``):

1. import the register snapshot and the exempt list (``import_snapshot``), commit;
2. import the signals file (``import_signals``, without matching when the service allows it);
3. match every signal and group the suspects (``match_signals``);
4. commit;

and times each phase and the total. Runs: the full set, and the same register with half the signals
(``--quality-only`` skips it); prints both and the ratio full/half of the signal phases (2-4), which
should be near 2 (no quadratic growth). Then compares ``export_rows()`` of the full run with the truth:
verdict accuracy overall and per scenario (a verdict with the wrong registratienummer counts as wrong),
the share of ``onzeker``, the registratienummer of the first two verdicts, a confusion table, and the
pairwise precision, recall and F1 of the grouping of the signals that are truly ``niet_geregistreerd``
(truth collector against ``verdachte_id``; from contingency counts; a signal judged otherwise counts as
a suspect of its own). Prints up to 15 wrong signals per scenario and the largest split and merged
suspects, for tuning the matcher.

Targets: verdicts right >= 99.5%, onzeker < 2%, grouping F1 >= 0.99, full run < 60 s (the issue's
machine has 2 cores), ratio full/half <= 2.5. The exit status is 1 when a target is missed, 2 when the
pipeline failed.

Usage: .venv/bin/python bench/bench_signals.py [--signals 20000] [--registrations 10000] [--seed 4]
       [--quality-only] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
       [--dump DIR] [--encoding utf-8-sig|cp1252]
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import bench_app, fresh_database, migrate  # noqa: E402
from signals_evalset import SCENARIO_VERDICT, SCENARIOS, VERDICTS, EvalSet, Truth, dump, generate  # noqa: E402

from wki.core.actors import Actor  # noqa: E402

TARGET_ACCURACY = 0.995
TARGET_UNSURE = 0.02
TARGET_F1 = 0.99
TARGET_SECONDS = 60.0
TARGET_RATIO = 2.5
EXAMPLES = 15
UNREGISTERED = "niet_geregistreerd"
WITH_REGISTRATION = ("geregistreerd", "registratie_niet_geldig")
PHASES = (("register", "import register + exempt list"), ("import", "import signals"),
          ("match", "match + group"), ("commit", "commit"))


# --- quality (pure: no database, no Flask) -----------------------------------------------------------

def pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass
class Quality:
    n: int = 0
    verdict_right: int = 0  # the verdict equals the truth's
    right: int = 0  # ... and for the first two verdicts the registratienummer too
    unsure: int = 0
    missing: int = 0  # signals without an export row
    with_number: int = 0  # truth geregistreerd / registratie_niet_geldig and that verdict given
    number_right: int = 0
    per_scenario: dict[str, list[int]] = field(default_factory=dict)  # scenario -> [n, right]
    confusion: Counter = field(default_factory=Counter)  # (truth verdict, predicted verdict) -> n
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # scenario -> referenties
    true_pairs: int = 0
    predicted_pairs: int = 0
    shared_pairs: int = 0
    split: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # collector -> refs per suspect
    merged: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # suspect -> refs per collector

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 0.0

    @property
    def unsure_share(self) -> float:
        return self.unsure / self.n if self.n else 0.0

    @property
    def precision(self) -> float:
        return self.shared_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.shared_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(truth: Mapping[str, Truth], predicted: Mapping[str, Mapping[str, str]]) -> Quality:
    """Compare export rows (by referentie) with the truth; linear in the number of signals."""
    q = Quality(per_scenario={s: [0, 0] for s in SCENARIOS})
    contingency: Counter = Counter()  # (collector, predicted cluster) -> n
    by_collector: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_suspect: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ref, t in truth.items():
        row = predicted.get(ref)
        if row is None:
            q.missing += 1
            row = {"oordeel": "(ontbreekt)"}
        verdict = row.get("oordeel", "")
        number = row.get("registratienummer") or None
        q.n += 1
        stats = q.per_scenario.setdefault(t.scenario, [0, 0])
        stats[0] += 1
        q.confusion[(t.verdict, verdict)] += 1
        if verdict == "onzeker":
            q.unsure += 1
        ok = verdict == t.verdict
        if ok:
            q.verdict_right += 1
            if t.verdict in WITH_REGISTRATION:
                q.with_number += 1
                q.number_right += number == t.registratienummer
                ok = number == t.registratienummer
        if ok:
            q.right += 1
            stats[1] += 1
        else:
            q.errors[t.scenario].append(ref)
        if t.verdict == UNREGISTERED:
            suspect = row.get("verdachte_id") or ""
            cluster = f"v:{suspect}" if verdict == UNREGISTERED and suspect else f"s:{ref}"
            contingency[(t.collector, cluster)] += 1
            by_collector[t.collector][cluster].append(ref)
            by_suspect[cluster][t.collector].append(ref)
    q.shared_pairs = sum(pairs(n) for n in contingency.values())
    q.true_pairs = sum(pairs(sum(len(v) for v in clusters.values())) for clusters in by_collector.values())
    q.predicted_pairs = sum(pairs(sum(len(v) for v in members.values())) for members in by_suspect.values())

    def worst(groups: dict[str, dict[str, list[str]]]) -> list[tuple[str, list[list[str]]]]:
        broken = [(key, sorted(parts.values(), key=len, reverse=True)) for key, parts in groups.items()
                  if len(parts) > 1]
        # the most pairs lost (split) or wrongly made (merged) first
        broken.sort(key=lambda kv: (-(pairs(sum(map(len, kv[1]))) - sum(pairs(len(p)) for p in kv[1])), kv[0]))
        return broken[:10]

    q.split = worst(by_collector)
    q.merged = worst(by_suspect)
    return q


# --- the pipeline, in a process of its own -------------------------------------------------------------



def _plain(value: object) -> object:
    """A result object as JSON-friendly counts, whatever its shape."""
    for attribute in ("as_counts", "counts"):
        found = getattr(value, attribute, None)
        if callable(found):
            found = found()
        if isinstance(found, Mapping):
            return {str(k): v for k, v in found.items()}
    return repr(value)[:300]


def phase_run(args: argparse.Namespace) -> dict:
    app = bench_app(args.database_url)
    day = date.fromisoformat(args.day)
    seconds: dict[str, float] = {}
    with app.app_context():
        from wki.core.extensions import db
        from wki.register.services import import_snapshot
        from wki.signals.export import export_rows
        from wki.signals.imports import SignalFileRejected, import_signals
        from wki.signals.judging import match_signals

        start = time.perf_counter()
        for kind, file in (("register", Path(args.register)), ("vrijgestelden", Path(args.exempt))):
            result = import_snapshot(kind, file.read_bytes(), snapshot_date=day, file_name=file.name, source=str(file),
                                     actor=Actor.process("bench"))
            if result.outcome != "toegepast":
                raise SystemExit(f"{kind} import did not apply: {result.outcome}: {result.message}")
        db.session.commit()
        seconds["register"] = time.perf_counter() - start

        start = time.perf_counter()
        file = Path(args.signals_file)
        separate = "match" in inspect.signature(import_signals).parameters
        try:
            imported = import_signals(file.read_bytes(), file_name=file.name, actor=Actor.process("bench"),
                                      skip_invalid=False, **({"match": False} if separate else {}))
        except SignalFileRejected as exc:
            errors = getattr(exc, "errors", None) or []
            shown = "\n".join(e.describe() if hasattr(e, "describe") else str(e) for e in errors[:20])
            raise SystemExit(f"the signals file was refused: {exc}\n{shown}") from None
        seconds["import"] = time.perf_counter() - start

        start = time.perf_counter()
        matched = match_signals(only_open=True) if separate else None
        seconds["match"] = time.perf_counter() - start

        start = time.perf_counter()
        db.session.commit()
        seconds["commit"] = time.perf_counter() - start

        start = time.perf_counter()
        rows = list(export_rows())
        with open(args.export, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["referentie"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        export_seconds = time.perf_counter() - start
    return {"seconds": seconds, "total": sum(seconds.values()), "export_seconds": export_seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "imported": _plain(imported), "matched": _plain(matched) if matched is not None else None,
            "matched_on_import": not separate}


# --- the driver ----------------------------------------------------------------------------------------

def _child(*extra: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *extra], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        print(f"the pipeline failed (exit {out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-6000:]}")
        sys.exit(2)
    return json.loads(out.stdout.strip().splitlines()[-1])






def _run(label: str, es: EvalSet, workdir: Path, base_url: str | None) -> tuple[dict, list[dict[str, str]]]:
    files = {"register": workdir / "register.csv", "exempt": workdir / "vrijgestelden.csv",
             "signals": workdir / f"signalen-{label}.csv"}
    files["register"].write_bytes(es.register_csv)
    files["exempt"].write_bytes(es.exempt_csv)
    files["signals"].write_bytes(es.signals_csv)
    export = workdir / f"export-{label}.csv"
    url, drop = fresh_database(workdir, base_url, "signals")
    try:
        migrate(url)
        result = _child("--phase", "run", "--register", str(files["register"]), "--exempt", str(files["exempt"]),
                        "--signals-file", str(files["signals"]), "--export", str(export), "--database-url", url,
                        "--day", es.register_date.isoformat())
    finally:
        drop()
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return result, rows


def _status(ok: bool | None) -> str:
    return "not measured" if ok is None else ("target met" if ok else "TARGET MISSED")


def _cell(row: Mapping[str, str], *columns: str) -> str:
    return "; ".join(f"{c}={row[c]}" for c in columns if row.get(c))


def spread(refs: list[str], kind: Callable[[str], str]) -> list[str]:
    """The references in turns per kind (wrong verdict), so that the examples show every kind of error."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for ref in refs:
        by_kind[kind(ref)].append(ref)
    queues = sorted(by_kind.values(), key=len, reverse=True)
    out: list[str] = []
    for i in range(max(map(len, queues), default=0)):
        out += [q[i] for q in queues if i < len(q)]
    return out


def _amount(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def report_quality(es: EvalSet, rows: list[dict[str, str]]) -> tuple[Quality, list[tuple[str, bool | None]]]:
    predicted = {row["referentie"]: row for row in rows}
    inputs = {row["referentie"]: row for row in es.signal_rows}
    q = evaluate(es.truth, predicted)
    print(f"\nQuality ({q.n:,} signals; export rows: {len(rows):,}; missing from the export: {q.missing:,})")
    print(f"{'scenario':<18}{'truth':<26}{'signals':>9}{'right':>9}{'accuracy':>10}")
    for scenario in SCENARIOS:
        n, right = q.per_scenario.get(scenario, [0, 0])
        share = f"{right / n:.2%}" if n else "-"
        print(f"{scenario:<18}{SCENARIO_VERDICT[scenario]:<26}{n:>9,}{right:>9,}{share:>10}")
    print(f"{'all':<44}{q.n:>9,}{q.right:>9,}{q.accuracy:>10.2%}")
    print(f"verdict alone right: {q.verdict_right / q.n:.2%}; registratienummer right where the first two verdicts "
          f"were right: {q.number_right:,} of {q.with_number:,}")

    predicted_verdicts = [v for v in VERDICTS if v != "onzeker"] + ["onzeker"]
    others = sorted({p for (_t, p) in q.confusion} - set(predicted_verdicts))
    columns = predicted_verdicts + others
    short = {"geregistreerd": "gereg", "registratie_niet_geldig": "niet_geldig", "vrijgesteld": "vrijgest",
             "niet_geregistreerd": "niet_gereg", "onzeker": "onzeker"}
    print("\nConfusion (rows: truth, columns: predicted)")
    print(f"{'':<26}" + "".join(f"{short.get(c, c)[:12]:>13}" for c in columns))
    for t in [v for v in VERDICTS if v != "onzeker"]:
        print(f"{t:<26}" + "".join(f"{q.confusion.get((t, c), 0):>13,}" for c in columns))

    print(f"\nGrouping of the {sum(q.per_scenario[s][0] for s in SCENARIOS if SCENARIO_VERDICT[s] == UNREGISTERED):,} "
          f"truly niet_geregistreerd signals: true pairs {q.true_pairs:,}, predicted pairs {q.predicted_pairs:,}, "
          f"shared {q.shared_pairs:,}")
    print(f"pairwise precision {q.precision:.4f}, recall {q.recall:.4f}, F1 {q.f1:.4f}")

    def describe(ref: str) -> str:
        t, row, given = es.truth[ref], predicted.get(ref, {}), inputs.get(ref, {})
        truth = t.verdict + (f" {t.registratienummer}" if t.registratienummer else "") + (
            f" {t.collector}" if t.collector else "")
        got = (row.get("oordeel") or "(ontbreekt)") + "".join(
            f" {row[c]}" for c in ("registratienummer", "verdachte_id") if row.get(c)) + (
            f" score {row['score']}" if row.get("score") else "")
        seen = _cell(given, "naam_incassant", "kvk_nummer", "iban", "website", "email", "telefoon", "plaats",
                     "datum_brief", "ontvangen_op")
        explanation = (row.get("toelichting") or "")[:240]
        return f"  {ref}: truth {truth}; got {got}\n      input: {seen}\n      made: {t.detail}\n" \
               f"      toelichting: {explanation}"

    if any(q.errors.values()):
        print(f"\nWrong verdicts (up to {EXAMPLES} per scenario)")
        for scenario in SCENARIOS:
            refs = q.errors.get(scenario, [])
            if refs:
                got = Counter(predicted.get(ref, {}).get("oordeel") or "(ontbreekt)" for ref in refs)
                kinds = ", ".join(f"{v} {n:,}" for v, n in got.most_common())
                print(f"{scenario}: {len(refs):,} wrong ({kinds})")
                for ref in spread(refs, lambda r: predicted.get(r, {}).get("oordeel", ""))[:EXAMPLES]:
                    print(describe(ref))

    def show_groups(title: str, groups: list[tuple[str, list[list[str]]]]) -> None:
        if not groups:
            return
        print(f"\n{title}")
        for key, parts in groups:
            shown = []
            for p in parts[:4]:
                suspect = predicted.get(p[0], {}).get("verdachte_id") or "-"
                seen = _cell(inputs[p[0]], "naam_incassant", "iban", "kvk_nummer", "website")
                shown.append(f"{len(p)} x e.g. {suspect}:{es.truth[p[0]].collector}:{seen}")
            print(f"  {key}: " + " | ".join(shown))

    show_groups("Truth collectors split over several suspects (most pairs lost first; suspect:collector:input)",
                q.split)
    show_groups("Suspects holding several truth collectors (most false pairs first; suspect:collector:input)",
                q.merged)

    # the BIK fields: a check of the export, not one of the targets
    wrong_bik = [ref for ref, (maximum, excess) in es.expected_bik.items() if ref in predicted and (
        _amount(predicted[ref].get("bik_maximum", "")) != _amount(maximum)
        or _amount(predicted[ref].get("bik_overschrijding", "")) != _amount(excess))]
    print(f"\nBIK fields (check, not a target): {len(es.expected_bik) - len(wrong_bik):,} of {len(es.expected_bik):,} "
          "as expected" + (f"; e.g. {wrong_bik[0]}: expected {es.expected_bik[wrong_bik[0]]}, got "
                           f"({predicted[wrong_bik[0]].get('bik_maximum')}, "
                           f"{predicted[wrong_bik[0]].get('bik_overschrijding')})" if wrong_bik else ""))
    targets = [
        (f"verdicts right >= {TARGET_ACCURACY:.1%}: {q.accuracy:.2%}", q.accuracy >= TARGET_ACCURACY),
        (f"onzeker < {TARGET_UNSURE:.0%}: {q.unsure_share:.2%}", q.unsure_share < TARGET_UNSURE),
        (f"grouping pairwise F1 >= {TARGET_F1}: {q.f1:.4f}", q.f1 >= TARGET_F1),
    ]
    return q, targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signals", type=int, default=20_000, help="signals in the full run (the file in --phase)")
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--quality-only", action="store_true", help="skip the run with half the signals")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL; default: SQLite files")
    parser.add_argument("--dump", metavar="DIR", help="write the generated files, the truth and the full run's "
                        "export (CSV) here")
    parser.add_argument("--encoding", default="utf-8-sig", choices=["utf-8-sig", "cp1252", "utf-8"],
                        help="of the signals file (default: UTF-8 with BOM, as Excel saves it)")
    parser.add_argument("--phase", choices=["run"], help=argparse.SUPPRESS)
    for hidden in ("--register", "--exempt", "--signals-file", "--export", "--day"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase_run(args)))
        return

    began = time.perf_counter()
    full = generate(args.registrations, args.signals, args.seed, encoding=args.encoding)
    generated = time.perf_counter() - began
    half = None if args.quality_only else generate(args.registrations, args.signals // 2, args.seed,
                                                   encoding=args.encoding)
    if half is not None and half.register_csv != full.register_csv:
        raise SystemExit("the half set was generated with another register")
    engine = "PostgreSQL" if args.database_url else "SQLite"
    counts = full.scenario_counts()
    print(f"Signals benchmark: {args.signals:,} signals against {args.registrations:,} registrations (seed "
          f"{args.seed}, generated in {generated:.1f} s), {engine}, cores: {os.cpu_count()}")
    print("scenarios: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print("collectors: " + ", ".join(f"{k} {v:,}" for k, v in full.collector_counts().items()))
    if args.dump:
        for path in dump(full, args.dump):
            print(f"wrote {path}")

    with tempfile.TemporaryDirectory(prefix="wki-bench-signals-") as tmp:
        workdir = Path(tmp)
        results: dict[str, dict] = {}
        full_result, rows = _run("full", full, workdir, args.database_url)
        results["full"] = full_result
        if args.dump:
            export = Path(args.dump) / "export.csv"
            export.write_bytes((workdir / "export-full.csv").read_bytes())
            print(f"wrote {export}")
        if half is not None:
            results["half"], _ = _run("half", half, workdir, args.database_url)

    labels = list(results)
    print(f"\nSpeed (seconds; each run in a fresh process on a freshly migrated {engine} database)")
    print(f"{'phase':<32}" + "".join(f"{label:>10}" for label in labels) + ("     ratio" if "half" in results else ""))
    for key, title in PHASES:
        values = [results[label]["seconds"].get(key, 0.0) for label in labels]
        ratio = f"{values[0] / values[1]:>9.2f}x" if len(values) == 2 and values[1] > 0.005 else ""
        print(f"{title:<32}" + "".join(f"{v:>10.2f}" for v in values) + ratio)
    signal_time = {label: sum(results[label]["seconds"].get(k, 0.0) for k in ("import", "match", "commit"))
                   for label in labels}
    totals = [results[label]["total"] for label in labels]
    print(f"{'signal phases (2-4)':<32}" + "".join(f"{signal_time[label]:>10.2f}" for label in labels)
          + (f"{signal_time['full'] / signal_time['half']:>9.2f}x" if "half" in results else ""))
    print(f"{'total':<32}" + "".join(f"{t:>10.2f}" for t in totals)
          + (f"{totals[0] / totals[1]:>9.2f}x" if len(totals) == 2 else ""))
    print(f"{'export (not in the total)':<32}" + "".join(f"{results[label]['export_seconds']:>10.2f}"
                                                         for label in labels))
    print(f"{'peak memory, MB':<32}" + "".join(f"{results[label]['peak_mb']:>10.0f}" for label in labels))
    if full_result.get("matched_on_import"):
        print("note: import_signals matches on import here, so 'import signals' includes matching and grouping")
    print(f"import counts (full): {full_result.get('imported')}; match: {full_result.get('matched')}")

    _q, targets = report_quality(full, rows)
    ratio = signal_time["full"] / signal_time["half"] if "half" in results and signal_time["half"] else None
    targets += [
        (f"full run < {TARGET_SECONDS:.0f} s: {results['full']['total']:.1f} s on {os.cpu_count()} cores",
         results["full"]["total"] < TARGET_SECONDS),
        (f"ratio full/half of the signal phases <= {TARGET_RATIO} (near 2): "
         + (f"{ratio:.2f}" if ratio is not None else "-"), None if ratio is None else ratio <= TARGET_RATIO),
    ]
    print("\nTargets")
    for text, ok in targets:
        print(f"  {_status(ok):<14} {text}")
    sys.exit(0 if all(ok is not False for _t, ok in targets) else 1)


if __name__ == "__main__":
    main()
