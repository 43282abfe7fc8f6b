"""Judging signals again when the mirror changed: how many open signals wait for it, the scheduled job
that judges them, and "Nu opnieuw beoordelen" queued for the worker (one at a time).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.extensions import db
from wki.core.service import service
from wki.core.worker import WorkItem
from wki.register.queries import mirror_state
from wki.signals.judging import match_signals
from wki.signals.models import Signal, SignalStatus

S = Signal
REMATCH_WORK = "signals.rematch"


def stale_count() -> int:
    """Open signals judged against an older state of the mirror (the re-matching job's work)."""
    state = mirror_state()
    return db.session.scalar(sa.select(sa.func.count()).select_from(S).where(
        S.status == SignalStatus.OPEN, sa.or_(S.register_state.is_(None), S.register_state != state))) or 0


def rematch_stale(actor: Actor | None = None) -> dict[str, Any]:
    """The scheduled job: when the mirror changed, judge every open signal again."""
    if not stale_count():
        return {"beoordeeld": 0}
    return match_signals(stale_only=True, actor=actor).as_counts()


@service
def queue_rematch(*, actor: Actor) -> tuple[WorkItem, bool]:
    """Queue the judging of every open signal that waits for it; one at a time: while one is queued or
    running, asking again returns that one."""
    from wki.core import worker

    return worker.enqueue(REMATCH_WORK, key=REMATCH_WORK, actor=actor)


def run_rematch_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of "Nu opnieuw beoordelen": the scheduled job's work, in one transaction."""
    ctx.progress(0, 1, "Signalen opnieuw beoordelen")
    counts = rematch_stale(actor=Actor.process(ctx.created_by) if ctx.created_by else None)
    ctx.progress(1, 1, None)
    return {"counts": counts}
