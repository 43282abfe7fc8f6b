"""The "Inspecties" panel on a registration's page (slot ``REGISTRATION_PAGE``), for the supervision roles:
every inspection of the registration, newest first, with its status, its outcome in counts of judgements and
the report's kenmerk; for inspectors a way to start one. Two queries, however many inspections there are.
"""

from __future__ import annotations

from typing import Any

from wki.core.auth import user_has_any_role
from wki.core.features import Panel
from wki.supervision import INSPECTORS, READERS
from wki.supervision.inspections import OPEN, inspections_of, outcome_counts
from wki.supervision.models import Judgement

TEMPLATE = "supervision/_registration_panel.html"
# The outcome in words: the judgements that say most first ("3 voldoet niet, 1 deels, 20 voldoet").
OUTCOME_ORDER: tuple[tuple[Judgement, str], ...] = (
    (Judgement.FAILS, "voldoet niet"),
    (Judgement.PARTLY, "deels"),
    (Judgement.COMPLIES, "voldoet"),
    (Judgement.NOT_APPLICABLE, "niet van toepassing"),
    (Judgement.NOT_JUDGED, "niet beoordeeld"),
)


def outcome_text(counts: dict[str, int]) -> str:
    """``{"voldoet_niet": 3, "deels": 1, "voldoet": 20}`` -> "3 voldoet niet, 1 deels, 20 voldoet"."""
    parts = [f"{counts[j.value]} {words}" for j, words in OUTCOME_ORDER if counts.get(j.value)]
    return ", ".join(parts) if parts else "Geen eisen"


def registration_panel(registratienummer: str, version: Any, user: Any) -> Panel | None:
    if not user_has_any_role(user, READERS):
        return None
    inspections = inspections_of(registratienummer)
    counts = outcome_counts(i.id for i in inspections)
    rows = [{"id": i.id, "nummer": i.nummer, "soort": i.kind.label, "inspectiedatum": i.inspectiedatum,
             "status": i.status, "uitkomst": outcome_text(counts.get(i.id, {})), "rapport": i.report_kenmerk}
            for i in inspections]
    running = next((i for i in inspections if i.status in OPEN), None)
    return Panel("Inspecties", TEMPLATE, {
        "inspecties": rows,
        "registratienummer": registratienummer,
        "loopt": running.id if running is not None else None,
        "mag_starten": user_has_any_role(user, INSPECTORS) and running is None,
    }, order=20)
