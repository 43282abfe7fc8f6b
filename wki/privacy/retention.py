"""Retention of personal data: the periods per kind of record (``RETENTION`` in config.py, with their legal
basis), what is due now, and the nightly job that removes the debtors' personal data from closed signals,
closed cases and old import reports once their period ended.

Each feature removes its own data (``signals.services.pseudonymise_signals``,
``enforcement.services.pseudonymise_cases``, ``signals.services.clear_import_rejects``); this module decides
what is due and what a retention DUTY keeps:

* an open signal or case is never due (its period has not started);
* a signal linked as evidence to an open enforcement case is kept until that case is closed;
* an issued enforcement document is an archival record: the case's other texts go, the document stays.

The job works in batches (``RETENTION_BATCH``), one transaction each, so a crash leaves every record either
wholly done or not at all; the next run takes up what is left, and what was done is never done twice
(``pseudonymised_at``). Files leave the stores only after their rows' removal is committed. Each run is
recorded (``RetentionRun``: counts per kind, the ids kept and why) and audited with counts and ids only.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.enforcement import services as enforcement
from wki.privacy.audit_actions import PrivacyAction
from wki.privacy.models import RetentionRun
from wki.signals import services as signals

JOB_NAME = "privacy-retention"
KIND_LABELS = {"signaal": "Afgehandelde signalen", "zaak": "Afgeronde en gesloten handhavingszaken",
               "signaalimport": "Afgewezen regels van signaalimports"}
# Why a record whose period ended is kept (the duty), in Dutch.
DUTIES = {
    "bewijs_open_zaak": "bewijs in een handhavingszaak die nog open is",
    "uitgegeven_document": "uitgegeven besluit of brief: archiefstuk (Archiefwet), blijft ongewijzigd",
    "open": "nog open: de bewaartermijn begint pas bij het afsluiten",
    "account": "gebruikersaccount: wordt gedeactiveerd onder Beheer → Gebruikers; de audittrail blijft",
}


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    months: int
    start: str
    basis: str


def rules() -> list[Rule]:
    configured = current_app.config["RETENTION"]
    return [Rule(kind, KIND_LABELS[kind], int(rule["months"]), rule["start"], rule["basis"])
            for kind, rule in configured.items()]


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (the last day of a shorter month)."""
    years, month0 = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month0 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def cutoffs(now: datetime | None = None) -> dict[str, datetime]:
    """Per kind: records closed (or imported) before this moment have passed their period."""
    now = now or utcnow()
    return {rule.kind: months_before(now, rule.months) for rule in rules()}


def due_overview(now: datetime | None = None) -> list[dict[str, Any]]:
    """Per kind: the rule, how many records are due now, the oldest, and how many a duty keeps."""
    cut = cutoffs(now)
    count, oldest, ids = signals.due_signals_summary(cut["signaal"])
    kept_evidence = enforcement.signals_kept_as_evidence()
    signals_kept = kept_evidence & set(ids)
    case_count, case_oldest = enforcement.due_cases_summary(cut["zaak"])
    imports = signals.due_import_ids(cut["signaalimport"])
    due = {"signaal": (count - len(signals_kept), oldest, {"bewijs_open_zaak": len(signals_kept)}),
           "zaak": (case_count, case_oldest, {}),
           "signaalimport": (len(imports), None, {})}
    return [{"rule": rule, "cutoff": cut[rule.kind], "count": due[rule.kind][0], "oldest": due[rule.kind][1],
             "kept": {k: v for k, v in due[rule.kind][2].items() if v}} for rule in rules()]


def run_retention(*, actor: Actor | None = None, now: datetime | None = None,
                  batch: int | None = None) -> dict[str, Any]:
    """The scheduled job: remove the personal data whose period ended, batch by batch (each committed)."""
    actor = actor or Actor.process(f"job:{JOB_NAME}")
    batch = batch or int(current_app.config["RETENTION_BATCH"])
    cut = cutoffs(now)
    run = RetentionRun(started_at=utcnow(), actor=actor.label, counts={}, kept={})
    db.session.add(run)
    db.session.commit()  # visible (and, should the run die, shown as interrupted) while it runs
    counts = {"signalen": 0, "signaalbijlagen": 0, "zaken": 0, "zaakstappen": 0, "bewijsstukken": 0,
              "zaakbijlagen": 0, "documenten": 0, "signaalimports": 0, "bestanden_verwijderd": 0}

    kept_evidence = enforcement.signals_kept_as_evidence()
    while ids := signals.due_signal_ids(cut["signaal"], exclude=kept_evidence, limit=batch):
        result = signals.pseudonymise_signals(ids, actor=actor)
        db.session.commit()
        counts["signalen"] += result["signalen"]
        counts["signaalbijlagen"] += result["bijlagen"]
        counts["bestanden_verwijderd"] += signals.delete_unreferenced_attachment_files(result["files"])
        if not result["signalen"]:
            break  # changed under us (reopened); the next run looks again

    case_ids_done: list[int] = []
    while ids := enforcement.due_case_ids(cut["zaak"], limit=batch):
        result = enforcement.pseudonymise_cases(ids, actor=actor)
        db.session.commit()
        case_ids_done.extend(ids)
        counts["zaken"] += result["zaken"]
        counts["zaakstappen"] += result["stappen"]
        counts["bewijsstukken"] += result["bewijsstukken"]
        counts["zaakbijlagen"] += result["bijlagen"]
        counts["documenten"] += result["documenten"]
        counts["bestanden_verwijderd"] += enforcement.delete_unreferenced_case_files(result["files"])
        if not result["zaken"]:
            break

    imports = signals.due_import_ids(cut["signaalimport"])
    for start in range(0, len(imports), batch):
        counts["signaalimports"] += signals.clear_import_rejects(imports[start:start + batch], actor=actor)
        db.session.commit()

    _, _, due_ids = signals.due_signals_summary(cut["signaal"])
    issued = enforcement.issued_documents_of(case_ids_done)
    kept = {"bewijs_open_zaak": sorted(kept_evidence & set(due_ids)),
            "uitgegeven_document": sorted(issued)}
    run = db.session.get(RetentionRun, run.id) or run
    run.counts = counts
    run.kept = {k: v for k, v in kept.items() if v}
    run.finished_at = utcnow()
    audit.record(PrivacyAction.RETENTION_RUN, object_type="retention_run", object_id=run.id,
                 after={**counts, "bewaard": {k: len(v) for k, v in kept.items()}}, actor=actor)
    db.session.commit()
    return counts


def recent_runs(limit: int = 20) -> list[RetentionRun]:
    return list(db.session.scalars(sa.select(RetentionRun).order_by(RetentionRun.id.desc()).limit(limit)))
