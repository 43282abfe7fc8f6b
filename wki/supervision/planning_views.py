"""The planning page (the section's start page): every registered agency ranked by its risk-based priority on a
peildatum, with the reasons in words and a way to start an inspection from it; its download; and the charts.

Thin views: ``priorities.priorities`` ranks, ``figures`` draws; the page adds one query for the open inspections
of the rows it shows, so that the number of queries does not grow with the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from wtforms import StringField
from wtforms.validators import Length, Optional

from wki.core.auth import requires_roles, user_has_any_role
from wki.core.clock import today_local
from wki.core.downloads import csv_response, iter_csv
from wki.core.extensions import db
from wki.core.forms import INVALID_DATE, BaseForm, DayField, plausible_date
from wki.core.paging import PAGE_ARG, page_arg
from wki.supervision import INSPECTORS, READERS, bp, priorities
from wki.supervision import figures as charts
from wki.supervision.inspections import OPEN
from wki.supervision.models import Inspection

PER_PAGE = 50
CHART_MONTHS = 24  # signals per month: the last two years, as the signals' own figures page
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]  # what a date picker sends, and what people type and paste
TOP_REASONS = 3  # reasons shown at once; the rest behind "meer redenen"
DOWNLOAD_COLUMNS = ("Rang", "Registratienummer", "Naam", "Plaats", "Prioriteit", "Toelichting", "Laatste inspectie",
                    "Inspectie loopt")

# What each weight of ``SUPERVISION_PRIORITY_WEIGHTS`` counts, for the page's explanation (B1 Dutch).
WEIGHT_LABELS: dict[str, str] = {
    "signaal": "Per signaal in de afgelopen 12 maanden",
    "signalen_max": "Hoogstens, voor het aantal signalen samen",
    "recent_signaal": "Het laatste signaal is hoogstens 90 dagen oud",
    "bron": "Per extra bron van signalen (meldingen van meer kanten wegen zwaarder)",
    "bik_overschrijding": "Per signaal met incassokosten boven het BIK-maximum",
    "kwetsbaar": "Per signaal over een kwetsbare schuldenaar",
    "bevinding_voldoet_niet": "Per eis met ‘voldoet niet’ in een afgeronde inspectie",
    "bevinding_deels": "Per eis met ‘voldoet deels’ in een afgeronde inspectie",
    "handhaving": "Vermenigvuldiger voor de punten uit de handhavingsgeschiedenis",
    "jonge_registratie": "Ingeschreven hoogstens 365 dagen geleden",
    "geldigheid_loopt_af": "De geldigheid loopt binnen 90 dagen af, of is afgelopen, zonder verlenging",
    "nooit_geinspecteerd": "Nog nooit geïnspecteerd",
    "jaar_sinds_inspectie": "Per heel jaar sinds de laatste afgeronde inspectie",
}


class PlanningForm(BaseForm):
    """The planning page's peildatum and search, read from the query string (bookmarks keep them)."""

    class Meta:
        csrf = False  # a GET search form changes nothing

    peildatum = DayField("Peildatum", format=DATE_FORMATS, invalid_value_message=INVALID_DATE,
                         validators=[Optional(), plausible_date],
                         description="De prioriteit zoals die op deze dag was. Leeg: vandaag.")
    zoek = StringField("Zoeken", validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens.")],
                       description="Naam of registratienummer.")

    def as_of(self) -> date:
        return self.peildatum.data or today_local()


@dataclass(frozen=True)
class Row:
    """One line of the planning table: the priority with its rank among all agencies on the peildatum."""

    rank: int
    priority: priorities.Priority

    @property
    def explanation(self) -> str:  # made for the rows shown, not for all 10,000 on every view
        return priorities.explanation(self.priority)


class RankedRows(Sequence[Row]):
    """The ranked priorities as rows, made only for what is read: a page shows 50 of 10,000, and making a row
    for each on every view cost more than the rest of the page. ``wanted``: the positions a search kept."""

    def __init__(self, ranked: Sequence[priorities.Priority], wanted: Sequence[int] | None = None) -> None:
        self._ranked = ranked
        self._wanted = wanted

    def __len__(self) -> int:
        return len(self._ranked) if self._wanted is None else len(self._wanted)

    def _row(self, i: int) -> Row:
        at = i if self._wanted is None else self._wanted[i]
        return Row(at + 1, self._ranked[at])

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a list already in memory (the ranked priorities), so that the page
    uses the shared pagination component."""

    def _query_items(self) -> list[Any]:
        rows: Sequence[Any] = self._query_args["rows"]
        return list(rows[self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def matches(p: priorities.Priority, query: str) -> bool:
    """Whether the search text occurs in the name or the registratienummer (case and spaces ignored)."""
    needle = " ".join(query.split()).casefold()
    return not needle or needle in p.naam.casefold() or needle in p.registratienummer.casefold()


def ranked_rows(as_of: date, query: str = "") -> RankedRows:
    """Every agency's priority on ``as_of`` with its rank among all of them, filtered by ``query`` (the rank
    stays the rank in the whole list: the search finds an agency, it does not re-rank)."""
    ranked = priorities.cached_priorities(as_of)
    if not " ".join(query.split()):
        return RankedRows(ranked)
    return RankedRows(ranked, [i for i, p in enumerate(ranked) if matches(p, query)])


def open_inspections(numbers: Iterable[str]) -> dict[str, Inspection]:
    """The open inspection (concept, in uitvoering, ter review) of each of these registrations: one query."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    found: dict[str, Inspection] = {}
    for inspection in db.session.scalars(
            sa.select(Inspection).where(Inspection.registratienummer.in_(wanted), Inspection.status.in_(OPEN))
            .order_by(Inspection.id)):
        found.setdefault(inspection.registratienummer, inspection)
    return found


def weight_rows() -> list[tuple[str, str, int]]:
    """(key, what it counts, points) for the explanation of how a priority is built."""
    return [(key, WEIGHT_LABELS.get(key, key), points) for key, points in priorities.weights().items()]


def _params(form: PlanningForm) -> dict[str, str]:
    """The filters as the query string has them (without the page): for the pager and the download."""
    return {k: v for k, v in request.args.items() if k != PAGE_ARG and k in form.data and v != ""}


def _planning_page(form: PlanningForm, valid: bool) -> str:
    pagination, shown_open = None, {}
    if valid:
        pagination = ListPagination(page=page_arg(), per_page=PER_PAGE, max_per_page=None, error_out=False,
                                    rows=ranked_rows(form.as_of(), form.zoek.data or ""))
        shown_open = open_inspections(row.priority.registratienummer for row in pagination.items
                                      if row.priority.open_inspection)
    return render_template(
        "supervision/planning.html", form=form, pagination=pagination, as_of=form.as_of() if valid else None,
        open_inspections=shown_open, params=_params(form), weights=weight_rows(), top_reasons=TOP_REASONS,
        may_inspect=user_has_any_role(current_user, INSPECTORS))


@bp.get("/", strict_slashes=False)
@requires_roles(*READERS)
def planning() -> Any:
    form = PlanningForm(request.args)
    return _planning_page(form, form.validate())


@bp.get("/prioriteiten.csv")
@requires_roles(*READERS)
def priorities_csv() -> Any:
    """The planning list as the page selects it (its peildatum and search), as a download for people."""
    form = PlanningForm(request.args)
    if not form.validate():
        return _planning_page(form, False), 400
    as_of = form.as_of()
    rows = ((row.rank, row.priority.registratienummer, row.priority.naam, row.priority.plaats, row.priority.score,
             row.explanation, row.priority.last_inspection, row.priority.open_inspection)
            for row in ranked_rows(as_of, form.zoek.data or ""))
    return csv_response(iter_csv(DOWNLOAD_COLUMNS, rows), f"prioriteiten-{as_of.isoformat()}.csv")


def months_back(day: date, months: int) -> date:
    """The first day of the month ``months`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ShownChart:
    chart: Any  # wki.core.charts.BarChart
    category_label: str  # the data table's first column: what a bar stands for


@bp.get("/grafieken")
@requires_roles(*READERS)
def figures() -> Any:
    today = today_local()
    first = months_back(today, CHART_MONTHS - 1)
    shown = [
        ShownChart(charts.findings_per_requirement(), "Eis"),
        ShownChart(charts.signals_per_month(registratienummer=None, first=first, last=today), "Maand"),
        ShownChart(charts.priority_spread(priorities.cached_priorities(today)), "Prioriteit (punten)"),
    ]
    return render_template("supervision/figures.html", charts=shown, today=today, first=first)
