"""The kinds of work signals queue for the worker (wki/core/worker.py): a bulk file, and judging again."""

from __future__ import annotations

from wki.signals.imports import IMPORT_WORK, run_import_work
from wki.signals.rematch import REMATCH_WORK, run_rematch_work


def register_work() -> None:
    """The kinds of work signals queue (called at app setup)."""
    from wki.core.worker import register_kind

    register_kind(IMPORT_WORK, "Signalenbestand inlezen", run_import_work)
    register_kind(REMATCH_WORK, "Signalen opnieuw beoordelen", run_rematch_work, key_while_active=True)
