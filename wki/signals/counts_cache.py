"""Counts over all signals that the busiest pages show (the verdicts above the list, the re-matching backlog,
the dashboard's tiles), kept per process so that a page view does not read 100,000 signals three times.

Each figure is kept under a fingerprint that three index lookups give (the last signal, the last matching,
the last decision: migration 0020 indexes the two dates) and the state of the register mirror: a new signal,
a matching run, a decision or a register import is a new key, so what people do themselves shows at once.
What the fingerprint cannot see (a signal's status changed in another process, a signal removed) shows after
at most ``SIGNALS_COUNTS_CACHE_SECONDS`` (config.py; 0 turns the cache off, as the tests do); a status change
in this process forgets the figures at once (``forget``). The pages say how old a kept figure is.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app

from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.register.queries import mirror_state
from wki.signals.models import Signal

T = TypeVar("T")
S = Signal

_CACHE: OrderedDict[tuple[Any, ...], tuple[float, datetime, Any]] = OrderedDict()
_LOCK = threading.Lock()
_SIZE = 32


def _seconds() -> float:
    return float(current_app.config.get("SIGNALS_COUNTS_CACHE_SECONDS", 30))


def fingerprint() -> tuple[Any, ...]:
    """The last signal, matching and decision, and the mirror's state: one cheap query and the mirror's."""
    row = db.session.execute(sa.select(sa.func.max(S.id), sa.func.max(S.matched_at), sa.func.max(S.decided_at))).one()
    return (*row, mirror_state(), str(current_app.config.get("SQLALCHEMY_DATABASE_URI")))


def cached(name: str, compute: Callable[[], T]) -> tuple[T, datetime | None]:
    """``compute()`` and when it was computed, from this process's cache while its key holds and it is younger
    than the configured seconds; the time is None when the cache is off (the figure is fresh)."""
    seconds = _seconds()
    if seconds <= 0:
        return compute(), None
    key = (name, *fingerprint())
    now = time.monotonic()
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and now - hit[0] < seconds:
            _CACHE.move_to_end(key)
            return hit[2], hit[1]
    value, at = compute(), utcnow()
    with _LOCK:
        _CACHE[key] = (now, at, value)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _SIZE:
            _CACHE.popitem(last=False)
    return value, at


def forget() -> None:
    """Drop every kept figure (a signal's status changed here: the counts of open signals are no longer true)."""
    with _LOCK:
        _CACHE.clear()
