"""Signals benchmark on independent, labelled worlds (issue 9): verdicts and grouping, from day one.

The worlds are generated from how the world varies, not from the matcher's rules, by seven generators
written apart from the matcher and from each other (each documents its world and its labelling policy):

- ``evalset_world`` (author A): every kind of spelling, naming and identifier variation, with surnames and
  places shared between unrelated registered, exempt and unregistered parties;
- ``evalset_partners`` (author B): the partners who write the signals and their habits (municipal case
  systems in capitals and cut short, debt counsellors' clutter, consumers' phonetic spelling and free
  mail, scanned letters, KvK extracts);
- ``evalset_habits`` (author C, written after A and B without seeing either): how Dutch organisations and
  people write about collectors, "h.o.d.n." trade names, groups, bailiffs and lawyers as persons;
- ``evalset_letters`` (author D, without seeing the matcher or A-C): where signals come from at the intake
  desk (bank statements, SMS sender ids, forwarded complaints of other supervisors, chat screenshots, court
  papers, other government systems), each source garbling the collector its way;
- ``evalset_desk`` (author E, without seeing the matcher or A-D): the collection market (groups, trade
  names, debt buyers, look-alikes) and the Inspectie's intake desk;
- ``evalset_casework`` (author F, without seeing the matcher or A-E): signals as casework brings them (debt
  counsellors' case files, transcribed phone calls) about firms that change: renamed, taken over, merged,
  moved, re-registered under a new number, foreign, with several brands;
- ``evalset_market`` (author G, without seeing the matcher or A-F): a crowded market (near-identical and
  generic names, chains with an office per town, family names shared by registered firms, lawyers,
  bailiffs and one-man businesses), registrations that start or end on the letter's day, and names as
  scanners, speech-to-text and case systems write them.

Parts:

- ``tuned``: author A seeds 1 and 2 at the issue's sizes (1,500 registrations, 300 exempt offices, 260
  collectors, 4,200 signals) and seeds 3, 4 and 5 at the larger sizes below (4 and 5 were added, and their
  errors read, when A's held-out seeds stood just under the target: first run 99.40% and 99.00% right); authors B, C, D, E and F, seeds 1 and 2.
  The matcher is tuned on this part; its wrong verdicts are printed. B, D, E and F were each held out at
  first and joined the tuned part after their first run (B 98%, D 87%, E 93%, F 90% right): a world whose
  errors have been read no longer measures what the matcher does on collectors it was never tuned on.
- ``held-out``: author A with other seeds (11, 12) and other settings (2,500 registrations, 450 exempt
  offices, 400 collectors, 6,000 signals), and author G (seeds 1, 2), whose errors are never looked at
  while tuning: only totals are printed (``--show-held-out`` prints more, to read after a change is final).

Every world runs twice, with the mirror's first snapshot on 2026-11-01 (installed recently: almost
every letter is older than the mirror) and on 2024-04-01 (before every letter, snapshots every quarter):
in a fresh process on a freshly migrated database, importing the snapshots in date order with
``import_snapshot`` (an empty first file, as the register was on 1 April 2024, is held in quarantine and
approved as an administrator would), the signals with ``import_signals``, judging and grouping with
``match_signals``, and comparing ``export_rows()`` with the truth.

Measures per run: verdicts right (a verdict with the wrong registratienummer is wrong; where two
registrations of one group are equally right the truth names both), ``onzeker`` share, and the pairwise
precision, recall and F1 of the grouping over every signal that is truly or predicted
``niet_geregistreerd`` (a signal judged otherwise is a group of its own; so a registered party's signal
wrongly put in a suspect costs precision). Targets (issue 9): right >= 99.5%, onzeker < 2%, F1 >= 0.99,
for both mirror starts, tuned and held-out alike. Exit status 1 when a target is missed, 2 when the
pipeline failed.

Usage: .venv/bin/python bench/bench_signals_world.py [--part tuned|held-out|all] [--start late|early|both]
       [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--errors 40]
       [--world evalset_habits] [--seeds 1,2] [--corrections FILE] [--show-held-out] [--dump DIR]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import bench_app, fresh_database, migrate  # noqa: E402

from wki.core.actors import Actor  # noqa: E402

TARGET_ACCURACY = 0.995
TARGET_UNSURE = 0.02
TARGET_F1 = 0.99
STARTS = {"late": date(2026, 11, 1), "early": date(2024, 4, 1)}
UNREGISTERED = "niet_geregistreerd"
WITH_REGISTRATION = ("geregistreerd", "registratie_niet_geldig")


@dataclass(frozen=True)
class WorldSpec:
    part: str
    generator: str  # module in bench/
    seed: int
    sizes: tuple[tuple[str, int], ...] = ()

    @property
    def label(self) -> str:
        extra = f", {dict(self.sizes)['signals']:,} signals" if self.sizes else ""
        return f"{self.generator} seed {self.seed}{extra}"


HELD_OUT_SIZES = (("registrations", 2500), ("exempt", 450), ("collectors", 400), ("signals", 6000))
WORLDS = [
    WorldSpec("tuned", "evalset_world", 1),
    WorldSpec("tuned", "evalset_world", 2),
    WorldSpec("tuned", "evalset_world", 3, HELD_OUT_SIZES),
    WorldSpec("tuned", "evalset_world", 4, HELD_OUT_SIZES),
    WorldSpec("tuned", "evalset_world", 5, HELD_OUT_SIZES),
    WorldSpec("tuned", "evalset_habits", 1),
    WorldSpec("tuned", "evalset_habits", 2),
    WorldSpec("held-out", "evalset_world", 11, HELD_OUT_SIZES),
    WorldSpec("held-out", "evalset_world", 12, HELD_OUT_SIZES),
    WorldSpec("tuned", "evalset_letters", 1),
    WorldSpec("tuned", "evalset_letters", 2),
    WorldSpec("tuned", "evalset_partners", 1),
    WorldSpec("tuned", "evalset_partners", 2),
    WorldSpec("tuned", "evalset_desk", 1),
    WorldSpec("tuned", "evalset_desk", 2),
    WorldSpec("tuned", "evalset_casework", 1),
    WorldSpec("tuned", "evalset_casework", 2),
    WorldSpec("held-out", "evalset_market", 1),
    WorldSpec("held-out", "evalset_market", 2),
]


@dataclass(frozen=True)
class Case:
    """One labelled signal: what the truth says, however the generator spelled it."""

    verdict: str
    numbers: tuple[str, ...] = ()
    collector: str | None = None
    kind: str = ""
    detail: str = ""


def cases_of(truth: Mapping[str, object]) -> dict[str, Case]:
    return {ref: Case(t.verdict, tuple(getattr(t, "registratienummers", ()) or ()), t.collector,
                      getattr(t, "kind", ""), getattr(t, "detail", "")) for ref, t in truth.items()}


# --- quality (pure) --------------------------------------------------------------------------------------

def pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass
class Quality:
    n: int = 0
    right: int = 0
    unsure: int = 0
    missing: int = 0
    true_pairs: int = 0
    predicted_pairs: int = 0
    shared_pairs: int = 0
    per_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusion: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

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


def evaluate(cases: Mapping[str, Case], predicted: Mapping[str, Mapping[str, str]], *, grouping: bool = True) -> Quality:
    q = Quality()
    truth_cluster: dict[str, str] = {}
    predicted_cluster: dict[str, str] = {}
    for ref, case in cases.items():
        row = predicted.get(ref)
        if row is None:
            q.missing += 1
            row = {"oordeel": "(ontbreekt)"}
        verdict = row.get("oordeel", "")
        q.n += 1
        q.confusion[(case.verdict, verdict)] += 1
        q.unsure += verdict == "onzeker"
        ok = verdict == case.verdict and (case.verdict not in WITH_REGISTRATION or not case.numbers
                                          or row.get("registratienummer") in case.numbers)
        stats = q.per_kind[case.kind]
        stats[0] += 1
        if ok:
            q.right += 1
            stats[1] += 1
        else:
            q.errors.append(ref)
        if case.verdict == UNREGISTERED:
            truth_cluster[ref] = f"c:{case.collector or ref}"
        if verdict == UNREGISTERED and row.get("verdachte_id"):
            predicted_cluster[ref] = f"v:{row['verdachte_id']}"
    if grouping:
        # Over every signal truly or predicted niet_geregistreerd; anything else is a group of its own.
        refs = set(truth_cluster) | set(predicted_cluster)
        together: Counter = Counter()
        truth_sizes: Counter = Counter()
        predicted_sizes: Counter = Counter()
        for ref in refs:
            t = truth_cluster.get(ref, f"s:{ref}")
            p = predicted_cluster.get(ref, f"s:{ref}")
            together[(t, p)] += 1
            truth_sizes[t] += 1
            predicted_sizes[p] += 1
        q.shared_pairs = sum(pairs(n) for n in together.values())
        q.true_pairs = sum(pairs(n) for n in truth_sizes.values())
        q.predicted_pairs = sum(pairs(n) for n in predicted_sizes.values())
    return q


# --- the pipeline, in a process of its own -------------------------------------------------------------

def phase_run(manifest_path: Path) -> dict:
    manifest = json.loads(manifest_path.read_text())
    app = bench_app(manifest["database_url"])
    seconds: dict[str, float] = {}
    with app.app_context():
        from wki.core.extensions import db
        from wki.register.services import approve_snapshot, import_snapshot, latest_snapshot
        from wki.signals.export import export_rows
        from wki.signals.imports import SignalFileRejected, import_signals
        from wki.signals.judging import match_signals

        start = time.perf_counter()
        for item in manifest["snapshots"]:  # in date order; the register before the exempt list on one day
            file = Path(item["path"])
            result = import_snapshot(item["kind"], file.read_bytes(), snapshot_date=date.fromisoformat(item["date"]),
                                     file_name=file.name, source=str(file), actor=Actor.process("bench"))
            if (result.outcome == "quarantaine" and result.plan is not None and result.plan.row_count == 0
                    and latest_snapshot(item["kind"]) is None):
                # A mirror installed before anyone was registered (April 2024) holds its first, empty file until
                # an administrator approves it; so does the benchmark.
                db.session.flush()
                result = approve_snapshot(result.snapshot.id, reason="benchmark: het eerste, lege bestand", actor=Actor.process("bench"))
            if result.outcome not in ("toegepast", "ongewijzigd"):  # (the same file again changes nothing)
                raise SystemExit(f"{item['kind']} snapshot of {item['date']} did not apply: {result.outcome}: "
                                 f"{result.message}")
            db.session.commit()
        seconds["register"] = time.perf_counter() - start

        start = time.perf_counter()
        file = Path(manifest["signals"])
        try:
            import_signals(file.read_bytes(), file_name=file.name, actor=Actor.process("bench"), match=False)
        except SignalFileRejected as exc:
            shown = "\n".join(e.describe() for e in exc.errors[:20])
            raise SystemExit(f"the signals file was refused: {exc}\n{shown}") from None
        seconds["import"] = time.perf_counter() - start

        start = time.perf_counter()
        match_signals(only_open=True)
        db.session.commit()
        seconds["match"] = time.perf_counter() - start

        rows = list(export_rows())
        with open(manifest["export"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["referentie"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(manifest: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", str(manifest)], capture_output=True, text=True,
                         cwd=ROOT)
    if out.returncode != 0:
        print(f"the pipeline failed (exit {out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-6000:]}")
        sys.exit(2)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_pipeline(workdir: Path, label: str, snapshots: list[tuple[str, date, bytes]], signals_csv: bytes,
                 base_url: str | None) -> tuple[dict, dict[str, dict[str, str]]]:
    """Import ``snapshots`` ((kind, date, bytes), any order) and the signals; return timings and the export."""
    run_dir = workdir / label
    run_dir.mkdir(parents=True, exist_ok=True)
    order = {"register": 0, "vrijgestelden": 1}
    items = []
    for n, (kind, day, data) in enumerate(sorted(snapshots, key=lambda s: (s[1], order[s[0]]))):
        path = run_dir / f"{n:03d}-{kind}-{day.isoformat()}.csv"
        path.write_bytes(data)
        items.append({"kind": kind, "date": day.isoformat(), "path": str(path)})
    (run_dir / "signalen.csv").write_bytes(signals_csv)
    url, drop = fresh_database(workdir, base_url, "world")
    manifest = run_dir / "manifest.json"
    manifest.write_text(json.dumps({"database_url": url, "snapshots": items, "signals": str(run_dir / "signalen.csv"),
                                    "export": str(run_dir / "export.csv")}))
    try:
        migrate(url)
        result = _child(manifest)
    finally:
        drop()
    with (run_dir / "export.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["referentie"]: row for row in csv.DictReader(handle)}
    return result, rows


# --- the driver ----------------------------------------------------------------------------------------

def _signal_inputs(signals_csv: bytes) -> dict[str, dict[str, str]]:
    """The signals as written, read as the import reads them (encoding, delimiter, headers)."""
    from wki.core.csvio import open_csv
    from wki.signals.intake import REQUIRED_COLUMNS, SIGNAL_COLUMNS

    table = open_csv(signals_csv, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS)
    rows = (dict(zip(SIGNAL_COLUMNS, cells, strict=True)) for _line, cells in table.rows() if cells is not None)
    return {row["referentie"]: row for row in rows}


def _describe(ref: str, case: Case, row: Mapping[str, str], given: Mapping[str, str]) -> str:
    truth = case.verdict + (f" {'/'.join(case.numbers)}" if case.numbers else "") + (
        f" {case.collector}" if case.collector else "")
    got = (row.get("oordeel") or "(ontbreekt)") + "".join(
        f" {row[c]}" for c in ("registratienummer", "verdachte_id") if row.get(c)) + (
        f" score {row['score']}" if row.get("score") else "")
    seen = "; ".join(f"{c}={given[c]}" for c in ("naam_incassant", "kvk_nummer", "iban", "website", "email",
                                                  "telefoon", "postcode", "plaats", "datum_brief", "ontvangen_op")
                     if given.get(c))
    return (f"  {ref} [{case.kind}]: truth {truth}; got {got}\n      input: {seen}\n      made: {case.detail[:200]}\n"
            f"      toelichting: {(row.get('toelichting') or '')[:400]}")


def _verdict_short(v: str) -> str:
    return {"geregistreerd": "gereg", "registratie_niet_geldig": "niet_geldig", "vrijgesteld": "vrijgest",
            "niet_geregistreerd": "niet_gereg", "onzeker": "onzeker"}.get(v, v)


def report_run(title: str, q: Quality, cases: Mapping[str, Case], rows: Mapping[str, Mapping[str, str]],
               inputs: Mapping[str, Mapping[str, str]], *, errors: int, detail: bool) -> None:
    print(f"\n== {title}: {q.n:,} signals, right {q.accuracy:.2%}, onzeker {q.unsure_share:.2%}, "
          f"grouping P {q.precision:.4f} R {q.recall:.4f} F1 {q.f1:.4f}" + (f", MISSING {q.missing}" if q.missing else ""))
    if not detail:
        return
    wrong_by_kind = {k: v for k, v in q.per_kind.items() if v[1] < v[0]}
    if wrong_by_kind:
        print("   kinds with errors: " + ", ".join(
            f"{k} {v[0] - v[1]}/{v[0]}" for k, v in sorted(wrong_by_kind.items(), key=lambda kv: kv[1][1] - kv[1][0])))
    confusion = Counter((t, p) for (t, p), n in q.confusion.items() for _ in range(n) if t != p)
    if confusion:
        print("   confusions: " + ", ".join(f"{_verdict_short(t)}->{_verdict_short(p)} {n}"
                                            for (t, p), n in confusion.most_common()))
    _report_groups(cases, rows, inputs)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for ref in q.errors:
        by_kind[cases[ref].kind].append(ref)
    shown = 0
    for i in range(max(map(len, by_kind.values()), default=0)):  # in turns per kind
        for refs in by_kind.values():
            if i < len(refs) and shown < errors:
                print(_describe(refs[i], cases[refs[i]], rows.get(refs[i], {}), inputs.get(refs[i], {})))
                shown += 1


def _report_groups(cases: Mapping[str, Case], rows: Mapping[str, Mapping[str, str]],
                   inputs: Mapping[str, Mapping[str, str]], limit: int = 6) -> None:
    """The collectors split over several suspects, and the suspects holding several collectors."""
    by_collector: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_suspect: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ref, case in cases.items():
        row = rows.get(ref, {})
        suspect = row.get("verdachte_id") if row.get("oordeel") == UNREGISTERED else None
        if case.verdict == UNREGISTERED:
            by_collector[case.collector or ref][suspect or f"({row.get('oordeel')})"].append(ref)
        if suspect:
            by_suspect[suspect][case.collector or f"({case.verdict})"].append(ref)

    def show(title: str, groups: dict[str, dict[str, list[str]]]) -> None:
        broken = sorted(((k, v) for k, v in groups.items() if len(v) > 1), key=lambda kv: -sum(map(len, kv[1].values())))
        if broken:
            print(f"   {title}: {len(broken)}")
        for key, parts in broken[:limit]:
            shown = []
            for part, refs in sorted(parts.items(), key=lambda kv: -len(kv[1]))[:4]:
                given = inputs.get(refs[0], {})
                seen = "; ".join(f"{c}={given[c]}" for c in ("naam_incassant", "iban", "kvk_nummer", "website", "email",
                                                              "telefoon") if given.get(c))
                shown.append(f"{len(refs)}x {part}: {seen[:110]}")
            print(f"     {key}: " + " | ".join(shown))

    show("collectors split over suspects", by_collector)
    show("suspects holding several collectors", by_suspect)


def world_snapshots(world) -> list[tuple[str, date, bytes]]:
    return ([("register", day, data) for day, data in world.register_snapshots]
            + [("vrijgestelden", day, data) for day, data in world.exempt_snapshots])


def read_corrections(path: Path) -> tuple[dict[str, Case], bytes, list[tuple[str, date, bytes]]]:
    """A corrections file and the register written beside it (``--with-register``)."""
    from wki.signals.corrections import read_corrections_file

    cases, signals_csv, snapshots = read_corrections_file(path)
    return ({ref: Case(c["oordeel"], (c["registratienummer"],) if c["registratienummer"] else (), None,
                       f"correctie {c['automatisch_oordeel']}->{c['oordeel']}", c["reden"]) for ref, c in cases.items()},
            signals_csv, snapshots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["tuned", "held-out", "all"], default="all")
    parser.add_argument("--start", choices=["late", "early", "both"], default="both")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL; default: SQLite files")
    parser.add_argument("--errors", type=int, default=40, help="wrong verdicts printed per tuned run")
    parser.add_argument("--show-held-out", action="store_true", help="also print the held-out part's errors")
    parser.add_argument("--seeds", help="only these seeds, comma-separated (for a quick look)")
    parser.add_argument("--world", help="only this generator (a module named in WORLDS, e.g. evalset_desk)")
    parser.add_argument("--corrections", type=Path, help="a file of `flask signals corrections-export --with-register`")
    parser.add_argument("--dump", type=Path, help="keep the generated files and exports here")
    parser.add_argument("--phase", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase_run(args.phase)))
        return

    starts = list(STARTS.items()) if args.start == "both" else [(args.start, STARTS[args.start])]
    worlds = [w for w in WORLDS if args.part in ("all", w.part)]
    if args.seeds:
        wanted = {int(s) for s in args.seeds.split(",")}
        worlds = [w for w in worlds if w.seed in wanted]
    if args.world:
        worlds = [w for w in worlds if w.generator == args.world]
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Signals benchmark on independent worlds, {engine}, cores: {os.cpu_count()}")
    summary: list[tuple[str, str, str, Quality, float]] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wki-bench-world-") as tmp:
        workdir = args.dump or Path(tmp)
        for spec in worlds:
            module = importlib.import_module(spec.generator)
            for start_name, start in starts:
                t0 = time.perf_counter()
                world = module.generate(seed=spec.seed, mirror_start=start, **dict(spec.sizes))
                generated = time.perf_counter() - t0
                label = f"{spec.generator}-{spec.seed}-{start_name}"
                result, rows = run_pipeline(workdir, label, world_snapshots(world), world.signals_csv,
                                            args.database_url)
                cases = cases_of(world.truth)
                q = evaluate(cases, rows)
                detail = spec.part == "tuned" or args.show_held_out
                title = (f"{spec.part}: {spec.label}, mirror from {start.isoformat()} "
                         f"({len(world.register_snapshots)} register snapshots)")
                report_run(title, q, cases, rows, _signal_inputs(world.signals_csv) if detail else {},
                           errors=args.errors, detail=detail)
                seconds = result["seconds"]
                print(f"   generated {generated:.1f} s; register {seconds['register']:.1f} s, import "
                      f"{seconds['import']:.1f} s, match + group {seconds['match']:.1f} s; peak {result['peak_mb']:.0f} MB")
                summary.append((spec.part, spec.label, start.isoformat(), q, sum(seconds.values())))
        if args.corrections:
            cases, signals_csv, snapshots = read_corrections(args.corrections)
            result, rows = run_pipeline(workdir, "corrections", snapshots, signals_csv, args.database_url)
            q = evaluate(cases, rows, grouping=False)
            report_run(f"corrections: {args.corrections.name}", q, cases, rows, _signal_inputs(signals_csv),
                       errors=args.errors, detail=True)
            summary.append(("corrections", args.corrections.name, "-", q, sum(result["seconds"].values())))

    print(f"\nSummary ({time.perf_counter() - began:.0f} s)")
    print(f"{'part':<12}{'world':<42}{'mirror from':<13}{'signals':>8}{'right':>9}{'onzeker':>9}{'F1':>8}{'s':>6}")
    ok = True
    for part, label, start, q, seconds in summary:
        met = q.accuracy >= TARGET_ACCURACY and q.unsure_share < TARGET_UNSURE and (
            part == "corrections" or q.f1 >= TARGET_F1) and not q.missing
        ok &= met or part == "corrections"
        print(f"{part:<12}{label:<42}{start:<13}{q.n:>8,}{q.accuracy:>9.2%}{q.unsure_share:>9.2%}{q.f1:>8.4f}"
              f"{seconds:>6.0f}" + ("" if met else "  TARGET MISSED"))
    for part in ("tuned", "held-out"):
        runs = [q for p, _l, _s, q, _t in summary if p == part]
        if runs:
            n = sum(q.n for q in runs)
            right = sum(q.right for q in runs)
            unsure = sum(q.unsure for q in runs)
            print(f"{part:<12}{'all runs':<42}{'':<13}{n:>8,}{right / n:>9.2%}{unsure / n:>9.2%}"
                  f"{min(q.f1 for q in runs):>8.4f}  (F1: the lowest run)")
    print(f"\nTargets (every run): right >= {TARGET_ACCURACY:.1%}, onzeker < {TARGET_UNSURE:.0%}, F1 >= {TARGET_F1}: "
          + ("met" if ok else "MISSED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
