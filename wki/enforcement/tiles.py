"""Enforcement's dashboard tiles, for enforcement officers: the statutory deadlines of their cases that end
this week (or have ended while still running), and their open cases. Two count queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for

from wki.core.auth import user_has_any_role
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.core.features import Tile
from wki.enforcement.models import OPEN_STATUSES, Case, CaseDeadline, DeadlineStatus

SECTION = "Handhaving"
WEEK_DAYS = 7


def deadlines_due(officer_id: int, today: date, days: int = WEEK_DAYS) -> int:
    """The running deadlines of this officer's cases that end within ``days`` days of ``today`` (or ended
    before it without being dealt with)."""
    return int(db.session.scalar(
        sa.select(sa.func.count(CaseDeadline.id)).join(Case, Case.id == CaseDeadline.case_id)
        .where(Case.officer_id == officer_id, CaseDeadline.status == DeadlineStatus.RUNNING,
               CaseDeadline.end_date <= today + timedelta(days=days))) or 0)


def open_cases(officer_id: int) -> int:
    return int(db.session.scalar(sa.select(sa.func.count(Case.id))
                                 .where(Case.officer_id == officer_id, Case.status.in_(OPEN_STATUSES))) or 0)


def enforcement_tiles(user: Any) -> list[Tile]:
    from wki.enforcement import OFFICERS

    if not user_has_any_role(user, OFFICERS):
        return []
    return [
        Tile(SECTION, "Termijnen deze week", deadlines_due(user.id, today_local()),
             url_for("enforcement.cases", mijn="ja", termijn=str(WEEK_DAYS)), attention=True,
             hint="Lopende wettelijke termijnen in uw zaken die binnen 7 dagen aflopen of al zijn verstreken."),
        Tile(SECTION, "Open zaken", open_cases(user.id), url_for("enforcement.cases", mijn="ja", status="open")),
    ]
