"""What other features use of supervision (the import rules allow only ``queries`` and ``services``):
an inspection's findings as plain rows (enforcement carries them into a case), a registration's inspections,
and the catalogue's requirements."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wki.core.extensions import db
from wki.supervision.catalogue import current_requirements, requirement_history, version_in_force
from wki.supervision.inspections import findings_rows, get_inspection, inspections_of, outcome_counts
from wki.supervision.models import Inspection, InspectionStatus

__all__ = [
    "completed_inspections",
    "current_requirements",
    "findings_rows",
    "get_inspection",
    "inspections_of",
    "outcome_counts",
    "requirement_history",
    "version_in_force",
]


def completed_inspections(*, limit: int = 20) -> list[Any]:
    """The inspections closed last (with their report), newest first."""
    return list(db.session.scalars(sa.select(Inspection).where(Inspection.status == InspectionStatus.DONE)
                                   .order_by(Inspection.completed_at.desc(), Inspection.id.desc()).limit(limit)))
