"""Which verdict a signal has, in SQL: a person's decision, else the automatic verdict."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wki.signals.models import Signal, Verdict

S = Signal


def effective_verdict() -> Any:
    """A person's decision, else the automatic verdict (SQL)."""
    return sa.func.coalesce(S.decided_verdict, S.auto_verdict)


def verdict_is(verdict: str) -> Any:
    """The signals whose verdict is ``verdict``: a person's decision, else the automatic one (written out,
    not as ``coalesce``, so that ``ix_signal_verdict`` can serve it)."""
    return sa.or_(S.decided_verdict == verdict, sa.and_(S.decided_verdict.is_(None), S.auto_verdict == verdict))


def unregistered_clause() -> Any:
    return verdict_is(Verdict.UNREGISTERED)
