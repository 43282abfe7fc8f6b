"""The signals' scheduled jobs: judging open signals again after the register mirror changed, and the nightly
regrouping of suspects."""

from __future__ import annotations

from typing import Any

from wki.core.actors import Actor
from wki.core.features import Job


def _signals_rematch() -> dict[str, Any]:
    from wki.signals.rematch import rematch_stale

    return rematch_stale(actor=Actor.process("job:signals-rematch"))


def _signals_regroup() -> dict[str, Any]:
    from wki.signals.regrouping import regroup_suspects

    return {"mogelijke_overtreders": regroup_suspects()}


JOBS = (
    # When the mirror changed (a sync, an import, an approved quarantine), every open signal is judged again and
    # the suspects regrouped; people's decisions are never touched.
    Job("signals-rematch", "Signalen opnieuw beoordelen na een registerwijziging", _signals_rematch,
        "interval", {"minutes": 10}, max_age_hours=2,
        config_trigger_args={"minutes": "SIGNAL_REMATCH_MINUTES"}),
    # A signal from the form or the API joins its suspect at once by a shortcut (regrouping.attach_signal); the
    # whole grouping is recomputed every night, so any difference does not outlive the day.
    Job("signals-regroup", "Mogelijke overtreders opnieuw groeperen", _signals_regroup,
        "cron", {"hour": 3, "minute": 30}, max_age_hours=48),
)
