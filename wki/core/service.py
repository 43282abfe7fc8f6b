"""The service boundary: one way to call a service, so that a refusal undoes everything the call wrote.

A service that writes and then refuses (``ServiceError``: a rule of the domain, with a Dutch message) must
leave nothing behind, also when the page that called it shows the message again in a 200 response, which
the request commits (wki/core/web.py). ``@service`` runs the call in a savepoint: a ``ServiceError`` (or
any other exception) rolls back to it, so only the refused call's own writes go, never the caller's
earlier work; a call that returns is kept in the caller's transaction, which the request, job or command
commits once. Views therefore never roll back by hand.

Services take the acting person or process as one ``actor: Actor`` (wki/core/actors.py);
``tests/core/test_service_boundary.py`` checks that every public service function taking an actor is
decorated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from wki.core.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

SERVICE_ATTR = "_wki_service"

# The public functions that take an ``actor`` and are deliberately NOT run through ``@service``: they commit
# themselves, roll back themselves or run long batches, so a savepoint around them would be wrong or break
# (tests/core/test_service_boundary.py checks that every other one is decorated). "module.function": why.
NOT_SERVICES: dict[str, str] = {
    "wki.core.audit.record": "the audit trail itself: part of every service's own transaction",
    "wki.register.services.import_snapshot": "register import: long, under the import lock; callers roll back a "
                                             "refused file and record the refusal in a fresh transaction",
    "wki.register.sync.run_sync": "scheduled sync: commits every run's record itself",
    "wki.signals.judging.match_signals": "judges signals in batches (imports, rematch)",
    "wki.signals.rematch.rematch_stale": "the rematch job: a batch over all stale signals",
    "wki.privacy.retention.run_retention": "the retention job: commits every batch itself (a crash leaves each "
                                           "batch whole), then deletes the freed files",
    # Steps of enforcement's services, called only inside them (their savepoint covers these writes).
    "wki.enforcement.cases.add_step": "a timeline entry written by the case service that records the event",
    "wki.enforcement.cases.move": "the case's status step, taken by the service whose event moves it",
    "wki.enforcement.timelimits.start": "a period started by the service whose event starts it",
    "wki.enforcement.timelimits.end": "a period ended by the service whose event ends it",
    "wki.enforcement.timelimits.end_running": "the periods a closing service ends",
}


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in a savepoint of the current transaction: a refusal rolls back what it wrote."""

    @functools.wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        with db.session.begin_nested():
            return func(*args, **kwargs)

    setattr(call, SERVICE_ATTR, True)
    return call


def is_service(func: object) -> bool:
    return bool(getattr(func, SERVICE_ATTR, False))
