"""The kinds of queued work of documents: a mailing's parts (mailings.py).

``start_mailing`` queues ``MAILING_PARTS`` items of kind ``documents.mailing``; each runs the same claim
loop (``mailing_run.run_part``), so as many worker processes as parts share one mailing (``flask worker run
--processes N``). A part whose worker dies is taken over by another worker after ``WORKER_STALE_SECONDS``;
its recipients' claims go stale at the same time and are taken over with it.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from wki.documents.mailing_run import run_part
from wki.documents.mailings import WORK_KIND


def run_mailing_work(ctx: Any) -> dict[str, Any]:
    """One part of a mailing: the claim loop, touching the item in every claim's transaction (the claim of
    the item checked, and the progress recorded with it)."""
    from wki.documents.mailing_run import status_counts

    mailing_id = int(ctx.payload["mailing_id"])

    def touch() -> None:
        # The whole mailing's progress (all parts together), shown on Beheer's page of the item.
        counts = status_counts(mailing_id)
        total = sum(counts.values()) - counts["geen_adres"]
        left = counts["wachtend"] + counts["verzenden"]
        ctx.progress(total - left, total, f"mailing {mailing_id}: {total - left} van {total} ontvangers klaar")

    counts = run_part(mailing_id, worker=ctx.claim.claimed_by, before_claim_commit=touch)
    return {"mailing_id": mailing_id, **counts}


def _result_link(item: Any) -> tuple[str, str]:
    return url_for("documents.mailing", mailing_id=int((item.payload or {}).get("mailing_id", 0))), "Naar de mailing"


def register_work() -> None:
    """Register the work kinds with the worker (called at app setup)."""
    from wki.core.worker import register_kind

    register_kind(WORK_KIND, "Mailing uitvoeren (een deel)", run_mailing_work, result_link=_result_link)
