"""Risk-based priorities: which registered agency to inspect first, with the reasons in words.

Every registration valid on ``as_of`` gets a score: the sum of the points of its risk factors, each
factor's points set by ``SUPERVISION_PRIORITY_WEIGHTS`` (config.py) so that the weighing is a choice the
Inspectie makes and can change, not code. The factors:

- signals about it: the number with a peildatum in the last 12 months (capped), whether the last one is
  recent (90 days), how many distinct sources reported it, signals with costs above the BIK maximum, and
  signals about a vulnerable debtor (these three over all its signals up to ``as_of``);
- earlier findings: every ``voldoet niet`` and ``deels`` in its completed inspections;
- what other features contribute (slot ``RISK_FACTORS``: enforcement's history, once it exists);
- a young registration (registered at most 365 days before ``as_of``);
- a validity (``geldig_tot``) that ends within 90 days, or has ended, without a renewal in the register;
- time since its last completed inspection; never inspected counts most.

The number of queries does not depend on the number of registrations: the register's list, one grouped
query for the signals, two for the inspections, and whatever the contributions ask.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from wki.core.clock import today_local, utcnow
from wki.core.db import rows_affected
from wki.core.extensions import db
from wki.core.features import RISK_FACTORS, registry
from wki.register.queries import registrations_as_of
from wki.signals.queries import RegistrationSignalFigures, registration_signal_figures
from wki.supervision.models import Inspection, InspectionItem, InspectionStatus, Judgement, PriorityList

__all__ = ["CSV_COLUMNS", "Priority", "cached_priorities", "explanation", "one_year_before", "priorities",
           "priorities_csv", "store_priorities", "weights"]

CSV_COLUMNS = ("registratienummer", "naam", "prioriteit", "toelichting")
RECENT_SIGNAL_DAYS = 90
YOUNG_DAYS = 365
VALIDITY_DAYS = 90
OPEN_STATUSES = (InspectionStatus.DRAFT, InspectionStatus.IN_PROGRESS, InspectionStatus.IN_REVIEW)
NO_FACTORS = "Geen risicofactoren gevonden."

# The weights when the configuration names none (config.py's base Config has the same, with comments).
DEFAULT_WEIGHTS: dict[str, int] = {
    "signaal": 3, "signalen_max": 45, "recent_signaal": 10, "bron": 3, "bik_overschrijding": 5, "kwetsbaar": 4,
    "bevinding_voldoet_niet": 8, "bevinding_deels": 4, "handhaving": 1, "jonge_registratie": 10,
    "geldigheid_loopt_af": 10, "nooit_geinspecteerd": 25, "jaar_sinds_inspectie": 6,
}


@dataclass(frozen=True)
class Priority:
    registratienummer: str
    naam: str
    plaats: str | None
    score: int
    reasons: tuple[str, ...]  # Dutch, biggest contribution first, each ending with its points: "(+21)"
    last_inspection: date | None  # the inspection date of the last completed inspection
    open_inspection: bool  # an inspection in concept, in uitvoering or ter review


def weights() -> dict[str, int]:
    """The configured weights, each missing one at its default."""
    configured: Mapping[str, Any] = current_app.config.get("SUPERVISION_PRIORITY_WEIGHTS") or {}
    return {key: int(configured.get(key, default)) for key, default in DEFAULT_WEIGHTS.items()}


def one_year_before(day: date) -> date:
    """The same day a year earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class _Inspections:
    last_done: date | None
    open: bool
    fails: int
    partly: int


def _inspections(as_of: date) -> dict[str, _Inspections]:
    """Per registratienummer: the last completed inspection, whether one is open, and the ``voldoet niet``
    and ``deels`` judgements of completed inspections (two grouped queries)."""
    done = sa.and_(Inspection.status == InspectionStatus.DONE, Inspection.inspectiedatum <= as_of)
    per: dict[str, dict[str, Any]] = {}
    for nummer, last, n_open in db.session.execute(
            sa.select(Inspection.registratienummer,
                      sa.func.max(sa.case((done, Inspection.inspectiedatum), else_=None)),
                      sa.func.sum(sa.case((Inspection.status.in_(OPEN_STATUSES), 1), else_=0)))
            .group_by(Inspection.registratienummer)):
        per[nummer] = {"last": last, "open": bool(n_open), Judgement.FAILS: 0, Judgement.PARTLY: 0}
    for nummer, judgement, count in db.session.execute(
            sa.select(Inspection.registratienummer, InspectionItem.judgement, sa.func.count())
            .join(InspectionItem, InspectionItem.inspection_id == Inspection.id)
            .where(done, InspectionItem.judgement.in_((Judgement.FAILS, Judgement.PARTLY)))
            .group_by(Inspection.registratienummer, InspectionItem.judgement)):
        per[nummer][str(judgement)] = count  # StrEnum keys: the stored value finds the member's entry
    return {nummer: _Inspections(last_done=v["last"], open=v["open"], fails=int(v[Judgement.FAILS]),
                                 partly=int(v[Judgement.PARTLY])) for nummer, v in per.items()}


def _contributions(as_of: date) -> dict[str, list[tuple[int, str]]]:
    """What the installed features add through the ``RISK_FACTORS`` slot, per registratienummer."""
    out: dict[str, list[tuple[int, str]]] = {}
    for provider in registry().providers[RISK_FACTORS]:
        for nummer, factors in (provider(as_of) or {}).items():
            out.setdefault(nummer, []).extend((int(points), str(reason)) for points, reason in factors)
    return out


def _signal_factors(figures: RegistrationSignalFigures | None, as_of: date, w: Mapping[str, int]) -> list[tuple[int, str]]:
    if figures is None:
        return []
    factors: list[tuple[int, str]] = []
    if figures.recent:
        factors.append((min(figures.recent * w["signaal"], w["signalen_max"]),
                        f"{_n(figures.recent, 'signaal', 'signalen')} in de afgelopen 12 maanden"))
    if figures.last_date is not None and (as_of - figures.last_date).days <= RECENT_SIGNAL_DAYS:
        days = (as_of - figures.last_date).days
        ago = "vandaag" if days == 0 else f"{_n(days, 'dag', 'dagen')} geleden"
        factors.append((w["recent_signaal"], f"laatste signaal op {_d(figures.last_date)} ({ago})"))
    if figures.sources > 1:
        factors.append(((figures.sources - 1) * w["bron"], f"signalen uit {figures.sources} verschillende bronnen"))
    if figures.bik_excesses:
        factors.append((figures.bik_excesses * w["bik_overschrijding"],
                        f"{_n(figures.bik_excesses, 'signaal', 'signalen')} met incassokosten boven het BIK-maximum"))
    if figures.vulnerable:
        factors.append((figures.vulnerable * w["kwetsbaar"],
                        f"{_n(figures.vulnerable, 'signaal', 'signalen')} over een kwetsbare schuldenaar"))
    return factors


def _inspection_factors(found: _Inspections | None, as_of: date, w: Mapping[str, int]) -> list[tuple[int, str]]:
    factors: list[tuple[int, str]] = []
    if found is not None and found.fails:
        factors.append((found.fails * w["bevinding_voldoet_niet"],
                        f"{_n(found.fails, 'eis', 'eisen')} met \u2018voldoet niet\u2019 in eerdere inspecties"))
    if found is not None and found.partly:
        factors.append((found.partly * w["bevinding_deels"],
                        f"{_n(found.partly, 'eis', 'eisen')} met \u2018voldoet deels\u2019 in eerdere inspecties"))
    last = found.last_done if found is not None else None
    if last is None:
        factors.append((w["nooit_geinspecteerd"], "nog nooit geïnspecteerd"))
    else:
        years = (as_of - last).days // 365
        if years:
            points = min(years * w["jaar_sinds_inspectie"], max(w["nooit_geinspecteerd"] - 1, 0))
            factors.append((points, f"laatste inspectie op {_d(last)}, {_n(years, 'jaar', 'jaar')} geleden"))
    return factors


def _register_factors(version: Any, as_of: date, w: Mapping[str, int]) -> list[tuple[int, str]]:
    factors: list[tuple[int, str]] = []
    age = (as_of - version.datum_inschrijving).days
    if age <= YOUNG_DAYS:
        factors.append((w["jonge_registratie"], f"jonge inschrijving: ingeschreven op {_d(version.datum_inschrijving)}"))
    if version.geldig_tot is not None and version.geldig_tot <= as_of + timedelta(days=VALIDITY_DAYS):
        if version.geldig_tot < as_of:
            text = f"geldigheid liep af op {_d(version.geldig_tot)} zonder verlenging in het register"
        else:
            text = f"geldigheid loopt af op {_d(version.geldig_tot)} zonder verlenging in het register"
        factors.append((w["geldigheid_loopt_af"], text))
    return factors


def priorities(as_of: date) -> list[Priority]:
    """Every registration valid on ``as_of`` with its priority, highest first (then by name)."""
    w = weights()
    versions = [v for v in registrations_as_of(as_of) if v.is_valid_on(as_of)]
    signal_figures = registration_signal_figures(as_of=as_of, since=one_year_before(as_of) + timedelta(days=1))
    inspections = _inspections(as_of)
    contributed = _contributions(as_of)
    out: list[Priority] = []
    for version in versions:
        nummer = version.registratienummer
        found = inspections.get(nummer)
        factors = [
            *_signal_factors(signal_figures.get(nummer), as_of, w),
            *_inspection_factors(found, as_of, w),
            *((points * w["handhaving"], reason) for points, reason in contributed.get(nummer, [])),
            *_register_factors(version, as_of, w),
        ]
        factors = sorted((f for f in factors if f[0] > 0), key=lambda f: -f[0])  # stable: equal points keep order
        out.append(Priority(
            registratienummer=nummer, naam=version.naam, plaats=version.plaats,
            score=sum(points for points, _ in factors),
            reasons=tuple(f"{reason} (+{points})" for points, reason in factors),
            last_inspection=found.last_done if found is not None else None,
            open_inspection=found.open if found is not None else False))
    out.sort(key=lambda p: (-p.score, p.naam.casefold(), p.registratienummer))
    return out


def explanation(p: Priority) -> str:
    """The reasons in one line, for a table cell or the inspection's ``aanleiding``."""
    return "; ".join(p.reasons) if p.reasons else NO_FACTORS


def priorities_csv(as_of: date) -> bytes:
    """``registratienummer,naam,prioriteit,toelichting``, one row per registration, highest first: a file
    for machines, so exact (UTF-8 without BOM, ``,``, ``\\n`` line ends, cells as they are)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows((p.registratienummer, p.naam, p.score, explanation(p)) for p in priorities(as_of))
    return out.getvalue().encode("utf-8")


# --- the planning page's cache ---------------------------------------------------------------------------------
#
# With 10,000 registrations and 100,000 signals ``priorities`` reads for about a second (bench/bench_priorities.py),
# most of it the aggregates any implementation must read. The planning page pages, searches and downloads the
# same list again and again, so it keeps the list per process, keyed on the day and a fingerprint of what it is
# computed from: the signals (count, last id, last matching, last decision), the inspections (count and the sum of
# their versions, which every change raises), the register (its last snapshot) and the weights. Any change
# there is a new key; ``SUPERVISION_PRIORITY_CACHE_SECONDS`` bounds what the fingerprint cannot see (the
# contributions of other features). 0 turns the cache off (the tests do: a rolled-back test's rows may come
# back with the same ids).

_CACHE: OrderedDict[tuple[Any, ...], tuple[float, list[Priority]]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 8


def fingerprint(as_of: date) -> tuple[Any, ...]:
    """What the priorities on ``as_of`` are computed from, in three cheap aggregate queries."""
    from wki.signals.queries import signals_fingerprint

    inspections = db.session.execute(sa.select(sa.func.count(Inspection.id),
                                               sa.func.coalesce(sa.func.sum(Inspection.version), 0))).one()
    register = db.session.execute(sa.text("SELECT max(id) FROM register_snapshot")).scalar()
    return (as_of, signals_fingerprint(), tuple(inspections), register, tuple(sorted(weights().items())),
            str(current_app.config.get("SQLALCHEMY_DATABASE_URI")))


def digest(key: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()


def _encode(ranked: list[Priority]) -> bytes:
    rows = [[p.registratienummer, p.naam, p.plaats, p.score, list(p.reasons),
             p.last_inspection.isoformat() if p.last_inspection else None, p.open_inspection] for p in ranked]
    return zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def _decode(data: bytes) -> list[Priority]:
    return [Priority(registratienummer=nr, naam=naam, plaats=plaats, score=score, reasons=tuple(reasons),
                     last_inspection=date.fromisoformat(last) if last else None, open_inspection=bool(open_))
            for nr, naam, plaats, score, reasons, last, open_ in json.loads(zlib.decompress(data))]


def _stored(as_of: date, key_digest: str, seconds: float) -> list[Priority] | None:
    """The list the scheduler stored under this fingerprint, if it is younger than ``seconds`` (the bound for
    what the fingerprint cannot see)."""
    row = db.session.execute(sa.select(PriorityList.entries, PriorityList.computed_at).where(
        PriorityList.as_of == as_of, PriorityList.fingerprint == key_digest)).first()
    if row is None or (utcnow() - row.computed_at).total_seconds() >= seconds:
        return None
    return _decode(row.entries)


def cached_priorities(as_of: date) -> list[Priority]:
    """``priorities(as_of)``, from this process's cache while nothing it is computed from changed; on a miss,
    from the list the scheduler stored under the same fingerprint (``store_priorities``), so that only the
    first process after a change, or none, pays the computation."""
    seconds = float(current_app.config.get("SUPERVISION_PRIORITY_CACHE_SECONDS", 300))
    if seconds <= 0:
        return priorities(as_of)
    key = fingerprint(as_of)
    now = time.monotonic()
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and now - hit[0] < seconds:
            _CACHE.move_to_end(key)
            return hit[1]
    result = _stored(as_of, digest(key), seconds)
    if result is None:
        result = priorities(as_of)
    with _CACHE_LOCK:
        _CACHE[key] = (now, result)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def store_priorities(as_of: date | None = None, *, keep: int = 2) -> dict[str, int]:
    """The scheduled job ``supervision-priorities``: computes today's priorities when what they are computed
    from changed since the last stored list (or that list is older than ``SUPERVISION_PRIORITY_CACHE_SECONDS``),
    stores them for every web process, and removes all but the newest ``keep`` lists."""
    as_of = as_of or today_local()
    seconds = float(current_app.config.get("SUPERVISION_PRIORITY_CACHE_SECONDS", 300))
    key_digest = digest(fingerprint(as_of))
    existing = db.session.scalar(sa.select(PriorityList).where(PriorityList.as_of == as_of,
                                                              PriorityList.fingerprint == key_digest))
    computed = 0
    if existing is None or (utcnow() - existing.computed_at).total_seconds() >= seconds / 2:
        ranked = priorities(as_of)
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        db.session.add(PriorityList(as_of=as_of, fingerprint=key_digest, computed_at=utcnow(), size=len(ranked),
                                    entries=_encode(ranked)))
        db.session.flush()
        computed = 1
    newest = db.session.scalars(sa.select(PriorityList.id).order_by(PriorityList.computed_at.desc(),
                                                                    PriorityList.id.desc()).limit(keep)).all()
    removed = rows_affected(db.session.execute(sa.delete(PriorityList).where(PriorityList.id.not_in(newest))))
    return {"berekend": computed, "verwijderd": removed}
