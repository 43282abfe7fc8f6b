"""The signals export (signalen.md "Export"): one row per signal, a person's decision before the automatic
verdict; ``flask signals export`` writes it, the list page's download selects the same row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from wki.core.extensions import db
from wki.signals.models import VERDICTS_WITH_REGISTRATION, Signal, Verdict

S = Signal


EXPORT_COLUMNS = ("referentie", "oordeel", "registratienummer", "verdachte_id", "score", "toelichting",
                  "bik_maximum", "bik_overschrijding")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


# What a row of the export is made of (the page's download selects these from its filtered list too).
EXPORT_SELECT = (S.referentie, S.bron, S.auto_verdict, S.decided_verdict, S.auto_registratienummer,
                 S.decided_registratienummer, S.suspect_id, S.score, S.explanation, S.decision_reason,
                 S.bik_maximum, S.bik_excess, S.hoofdsom, S.incassokosten)


def export_rows() -> Iterator[dict[str, str]]:
    """signalen.md "Export": one row per signal; a person's decision wins; amounts with ``.``."""
    for row in db.session.execute(sa.select(*EXPORT_SELECT).order_by(S.id)).yield_per(2000):
        yield export_row(row)


def export_row(row: Any) -> dict[str, str]:
    """One row of the export from a row of ``EXPORT_SELECT``."""
    verdict = row.decided_verdict or row.auto_verdict or ""
    registratienummer = row.decided_registratienummer if row.decided_verdict else row.auto_registratienummer
    explanation = "; ".join(line.strip() for line in (row.explanation or "").split("\n") if line.strip())
    if row.decided_verdict:
        explanation = f"handmatig vastgesteld: {row.decision_reason}" + (
            f" (automatisch: {row.auto_verdict}; {explanation})" if explanation else "")
    return {
        "referentie": row.referentie,
        "oordeel": verdict,
        "registratienummer": (registratienummer or "") if verdict in VERDICTS_WITH_REGISTRATION else "",
        "verdachte_id": str(row.suspect_id) if verdict == Verdict.UNREGISTERED and row.suspect_id else "",
        "score": "" if row.score is None else str(row.score),
        "toelichting": explanation,
        "bik_maximum": _money(row.bik_maximum),
        "bik_overschrijding": _money(row.bik_excess) if row.incassokosten is not None else "",
    }


def write_export(handle: Any) -> int:
    writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in export_rows():
        writer.writerow(row)
        n += 1
    return n
