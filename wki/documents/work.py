"""The kinds of queued work of documents: a mailing's parts (mailings.py)."""

from __future__ import annotations


def register_work() -> None:
    """Register the work kinds with the worker (called at app setup)."""
