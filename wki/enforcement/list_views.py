"""The Handhaving section's reading pages: the list of cases (the section's start page) and the team's overview.

The list searches by zaaknummer, name or registratienummer and filters by status, instrument, "my cases" and
a deadline ending soon; 50 per page. Its queries do not grow with the number of rows: the count, the page, the
nearest running deadline of the page's cases (one query), and their officers' names (one query).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from wki.core.auth import requires_roles
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.core.forms import BaseForm, choices
from wki.core.paging import PAGE_ARG, page_arg
from wki.enforcement import READERS, bp
from wki.enforcement import figures as charts
from wki.enforcement.models import (
    OPEN_STATUSES,
    Case,
    CaseDeadline,
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    Instrument,
    Provision,
)
from wki.enforcement.queries import officer_names

PER_PAGE = 50
OVERVIEW_DAYS = 28  # the overview's deadlines: the coming four weeks
CHART_MONTHS = 12
OPEN = "open"  # the status filter's choice for every open status
NO_INSTRUMENT = "geen"  # the instrument filter's choice for cases without one yet
DEADLINE_DAYS = {"7": 7, "28": 28}  # the deadline filter: a running deadline ending within so many days


class CaseFilterForm(BaseForm):
    """The list's search and filters, read from the query string (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    zoek = StringField("Zoeken", validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens.")],
                       description="Zaaknummer, naam of registratienummer.")
    status = SelectField("Status", choices=choices("Alle statussen", [(OPEN, "Alle open zaken"), *CaseStatus.choices()]),
                         validate_choice=False)
    instrument = SelectField("Instrument", choices=choices("Alle instrumenten", [*Instrument.choices(),
                                                                                 (NO_INSTRUMENT, "Nog niet gekozen")]),
                             validate_choice=False)
    termijn = SelectField("Termijn", choices=choices("Alle zaken", [("7", "Een termijn loopt af binnen 7 dagen"),
                                                                    ("28", "Een termijn loopt af binnen 4 weken")]),
                          validate_choice=False)
    mijn = SelectField("Welke zaken", choices=[SelectChoice("", "Van iedereen"), SelectChoice("ja", "Alleen mijn zaken")],
                       validate_choice=False)


@dataclass(frozen=True)
class CaseFilter:
    query: str = ""
    status: str | None = None  # a CaseStatus value or OPEN
    instrument: str | None = None  # an Instrument value or NO_INSTRUMENT
    officer_id: int | None = None
    deadline_within: int | None = None  # days from ``today``
    today: date | None = None

    @classmethod
    def of(cls, form: CaseFilterForm, user_id: int | None, today: date) -> CaseFilter:
        status = form.status.data or ""
        instrument = form.instrument.data or ""
        return cls(
            query=" ".join((form.zoek.data or "").split()) if not form.zoek.errors else "",
            status=status if status == OPEN or status in {s.value for s in CaseStatus} else None,
            instrument=instrument if instrument == NO_INSTRUMENT or instrument in {i.value for i in Instrument} else None,
            officer_id=user_id if form.mijn.data == "ja" else None,
            deadline_within=DEADLINE_DAYS.get(form.termijn.data or ""), today=today)


def search_stmt(f: CaseFilter) -> sa.Select[tuple[Case]]:
    stmt = sa.select(Case)
    if f.query:
        stmt = stmt.where(sa.or_(Case.nummer.icontains(f.query, autoescape=True),
                                 Case.naam.icontains(f.query, autoescape=True),
                                 Case.registratienummer.icontains(f.query, autoescape=True)))
    if f.status == OPEN:
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    elif f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.instrument == NO_INSTRUMENT:
        stmt = stmt.where(Case.instrument.is_(None))
    elif f.instrument:
        stmt = stmt.where(Case.instrument == f.instrument)
    if f.officer_id is not None:
        stmt = stmt.where(Case.officer_id == f.officer_id)
    if f.deadline_within is not None:
        until = (f.today or today_local()) + timedelta(days=f.deadline_within)
        stmt = stmt.where(sa.exists().where(CaseDeadline.case_id == Case.id,
                                            CaseDeadline.status == DeadlineStatus.RUNNING,
                                            CaseDeadline.end_date <= until))
    return stmt.order_by(Case.opened_on.desc(), Case.id.desc())


def search(f: CaseFilter, *, page: int = 1, per_page: int = PER_PAGE) -> Any:
    return db.paginate(search_stmt(f), page=page, per_page=per_page, error_out=False)


@dataclass(frozen=True)
class NextDeadline:
    kind: DeadlineKind
    end_date: date


def nearest_deadlines(case_ids: Iterable[int]) -> dict[int, NextDeadline]:
    """The running deadline that ends first, per case (one query for all of them)."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    found: dict[int, NextDeadline] = {}
    for case_id, kind, end_date in db.session.execute(
            sa.select(CaseDeadline.case_id, CaseDeadline.kind, CaseDeadline.end_date)
            .where(CaseDeadline.case_id.in_(ids), CaseDeadline.status == DeadlineStatus.RUNNING)
            .order_by(CaseDeadline.end_date, CaseDeadline.id)):
        found.setdefault(case_id, NextDeadline(DeadlineKind.from_value(kind), end_date))
    return found


def _params(form: CaseFilterForm) -> dict[str, str]:
    """The search and filters as the query string has them (without the page): for the pager."""
    return {k: v for k, v in request.args.items() if k != PAGE_ARG and k in form.data and v != ""}


@bp.get("/", strict_slashes=False)
@requires_roles(*READERS)
def cases() -> Any:
    form = CaseFilterForm(request.args)
    form.validate()
    today = today_local()
    pagination = search(CaseFilter.of(form, current_user.id, today), page=page_arg())
    shown = [case.id for case in pagination.items]
    return render_template(
        "enforcement/cases.html", form=form, pagination=pagination, params=_params(form), today=today,
        deadlines=nearest_deadlines(shown), officers=officer_names(case.officer_id for case in pagination.items),
        provision_label=Provision.label_of)


@bp.get("/overzicht")
@requires_roles(*READERS)
def overview() -> Any:
    today = today_local()
    return render_template(
        "enforcement/overview.html", today=today, open_cases=charts.open_cases(), days=OVERVIEW_DAYS,
        until=today + timedelta(days=OVERVIEW_DAYS),
        deadlines=charts.upcoming_deadlines(today, OVERVIEW_DAYS),
        chart=charts.decisions_per_month(today, CHART_MONTHS))
