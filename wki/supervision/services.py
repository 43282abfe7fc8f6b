"""What other features use of supervision (the import rules allow only ``queries`` and ``services``):
an inspection's findings as plain rows (enforcement carries them into a case), a registration's inspections,
and the catalogue's requirements."""

from __future__ import annotations

from wki.supervision.catalogue import current_requirements, requirement_history, version_in_force
from wki.supervision.inspections import findings_rows, get_inspection, inspections_of, outcome_counts

__all__ = [
    "current_requirements",
    "findings_rows",
    "get_inspection",
    "inspections_of",
    "outcome_counts",
    "requirement_history",
    "version_in_force",
]
