"""Reads that only the signal pages need: the filtered lists, the counts above them, the rows of a
suspect's page, the recent bulk files, the list as a download, and the numbers per month of the figures.

Writes stay in ``services``; these functions only select. Each list costs a fixed number of queries
whatever the page size: the rows carry what the tables show (the attachment is joined in the model).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from wki.core.db import contains_text
from wki.core.extensions import db
from wki.register.queries import mirror_state
from wki.signals.export import EXPORT_COLUMNS, EXPORT_SELECT, export_row
from wki.signals.forms import DECIDED, add_months
from wki.signals.models import Signal, SignalImport, SignalStatus, Suspect, SuspectStatus, Verdict
from wki.signals.normalise import normalise_iban, normalise_kvk, normalise_name, normalise_phone, registrable_domain
from wki.signals.verdicts import effective_verdict, verdict_is

S = Signal


def text_clause(q: str) -> Any:
    """Signals that mention ``q``: in the name, the reference, or any identifier as written or normalised
    (so "KvK 1234 5678" finds 12345678, and "https://www.x.nl/betalen" finds the domain x.nl)."""
    q = q.strip()
    # Identifiers are found by their normalised form (equality, indexed where it matters); only the
    # name, the reference and, for an address, the e-mail as written are searched for a fragment.
    conditions = [contains_text(S.naam_incassant, q), contains_text(S.referentie, q)]
    if "@" in q:
        conditions.append(contains_text(S.email_raw, q))
    if name_key := normalise_name(q):
        conditions.append(contains_text(S.name_key, name_key))
    if kvk := normalise_kvk(q):
        conditions.append(S.kvk == kvk)
    iban = normalise_iban(q)
    if iban is not None and len(iban.compact) >= 15 and iban.compact[:2].isalpha():
        conditions.append(S.iban == iban.compact)
    if domain := registrable_domain(q):
        conditions.extend([S.domain == domain, S.email_domain == domain])
    if "@" in q and (host := registrable_domain(q.rsplit("@", 1)[1])):
        conditions.append(S.email_domain == host)
    if phone := normalise_phone(q):
        conditions.append(S.phone == phone)
    return sa.or_(*conditions)


TRIGRAM_MIN = 3  # a trigram index serves a contains-search of at least three characters

SIGNAL_SORTS = {
    "ontvangen_op": S.ontvangen_op,
    "peildatum": S.reference_date,
    "referentie": S.referentie,
    "naam": S.naam_incassant,
    "score": S.score,
}


def registration_is(registratienummer: str) -> Any:
    """The signals whose registration is this one: a person's decision, else the automatic match (as
    ``Signal.registratienummer``; written out so that the index on each column can serve it)."""
    return sa.or_(
        sa.and_(S.decided_verdict.is_not(None), S.decided_registratienummer == registratienummer),
        sa.and_(S.decided_verdict.is_(None), S.auto_registratienummer == registratienummer),
    )


def stale_clause(state: str) -> Any:
    """Open signals judged against another state of the mirror than ``state`` (``engine.stale_count``)."""
    return sa.and_(S.status == SignalStatus.OPEN, sa.or_(S.register_state.is_(None), S.register_state != state))


def search_signals_stmt(*, q: str = "", verdict: str | None = None, source: str | None = None,
                        status: str | None = None, channel: str | None = None, clones: bool = False,
                        bik: bool = False, date_from: date | None = None, date_to: date | None = None,
                        registratienummer: str | None = None, import_id: int | None = None, stale: bool = False,
                        sort: str = "ontvangen_op", descending: bool = True) -> sa.Select:
    stmt = sa.select(S)
    if q.strip():
        stmt = stmt.where(text_clause(q))
    if verdict == DECIDED:
        stmt = stmt.where(S.decided_verdict.is_not(None))
    elif verdict:
        stmt = stmt.where(verdict_is(verdict))
    if source:
        stmt = stmt.where(S.bron == source)
    if status:
        stmt = stmt.where(S.status == status)
    if channel:
        stmt = stmt.where(S.channel == channel)
    if clones:
        stmt = stmt.where(S.clone_of.is_not(None))
    if bik:
        stmt = stmt.where(S.bik_excess > 0)
    if date_from is not None:
        stmt = stmt.where(S.reference_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(S.reference_date <= date_to)
    if registratienummer:
        stmt = stmt.where(registration_is(registratienummer))
    if import_id is not None:
        stmt = stmt.where(S.import_id == import_id)
    if stale:
        stmt = stmt.where(stale_clause(mirror_state()))
    column: Any = SIGNAL_SORTS.get(sort, S.ontvangen_op)
    nullable = column.nullable
    if len(q.strip()) >= TRIGRAM_MIN:
        # A text search finds its rows through the trigram indexes (PostgreSQL, migration 0020) and sorts the
        # few it found. Ordered by the bare column, the planner would rather walk the sort index backwards and
        # test every row against the text until a page is full: for a name that a few hundred of 100,000
        # signals mention, that reads tens of thousands of rows (136 ms against 1 ms). coalesce(c, c) is the
        # same order on any database, but no index serves it.
        column = sa.func.coalesce(column, column)
    order = column.desc() if descending else column.asc()
    tie = S.id.desc() if descending else S.id.asc()  # keeps the order stable across pages
    if not nullable:  # an index on (column, id) serves the page without sorting the table
        return stmt.order_by(order, tie)
    return stmt.order_by(column.is_(None), order, tie)  # empty names and scores last either way


def search_signals(*, page: int = 1, per_page: int = 50, total: int | None = None, **filters: Any) -> Any:
    """A page of the list. ``total``: the number of all signals when the caller has it (``verdict_counts``),
    used instead of counting them again when no filter narrows the list."""
    stmt = search_signals_stmt(**filters)
    if total is None or stmt.whereclause is not None:
        return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    pagination.total = total
    return pagination


def verdict_counts(import_id: int | None = None) -> dict[str, int]:
    """Signals per verdict (a person's decision first), with ``handmatig`` and ``totaal``; one query.
    ``import_id``: only the signals of that bulk file."""
    effective = effective_verdict()
    decided = sa.func.count(S.decided_verdict)
    counts = {verdict: 0 for verdict in Verdict.labels()}
    counts[DECIDED] = 0
    total = 0
    stmt = sa.select(effective, sa.func.count(), decided).group_by(effective)
    if import_id is not None:
        stmt = stmt.where(S.import_id == import_id)
    for verdict, n, n_decided in db.session.execute(stmt):
        if verdict is not None:
            counts[verdict] = n
        counts[DECIDED] += int(n_decided or 0)
        total += n
    counts["totaal"] = total
    return counts


# ---------------------------------------------------------------- bulk files


def recent_imports(limit: int = 20) -> list[SignalImport]:
    return list(db.session.scalars(sa.select(SignalImport).order_by(SignalImport.created_at.desc(),
                                                                     SignalImport.id.desc()).limit(limit)))


def get_import(import_id: int) -> SignalImport | None:
    return db.session.get(SignalImport, import_id)


def import_rejects(import_id: int) -> bytes | None:
    """The skipped rows of a bulk file as CSV (deferred in the model: loaded only for the download)."""
    return db.session.scalar(sa.select(SignalImport.rejects_csv).where(SignalImport.id == import_id))


# ---------------------------------------------------------------- suspects


def search_suspects_stmt(*, q: str = "", status: str | None = SuspectStatus.ACTIVE, min_signals: int | None = None,
                         clones: bool = False) -> sa.Select:
    stmt = sa.select(Suspect)
    if status:
        stmt = stmt.where(Suspect.status == status)
    if min_signals:
        stmt = stmt.where(Suspect.signal_count >= min_signals)
    if clones:
        stmt = stmt.where(Suspect.clone_of.is_not(None))
    if q.strip():
        # Every name and identifier a suspect used is in one of its signals.
        mentioned = sa.select(S.suspect_id).where(S.suspect_id.is_not(None), text_clause(q))
        stmt = stmt.where(sa.or_(contains_text(Suspect.display_name, q.strip()), Suspect.id.in_(mentioned)))
    return stmt.order_by(Suspect.priority.desc(), Suspect.last_seen.desc().nulls_last(), Suspect.id.desc())


def search_suspects(*, page: int = 1, per_page: int = 50, **filters: Any) -> Any:
    return db.paginate(search_suspects_stmt(**filters), page=page, per_page=per_page, error_out=False)


def suspect_signals(suspect_id: int) -> list[Signal]:
    return list(db.session.scalars(sa.select(S).where(S.suspect_id == suspect_id)
                                   .order_by(S.reference_date.desc(), S.id.desc())))


def merged_with(suspect_id: int) -> list[Suspect]:
    """Where the signals of a suspect without signals ("opgeheven") went: its successor, followed to
    the suspect that holds them now (a merge, or a regrouping, records it on the emptied suspect)."""
    seen = {suspect_id}
    current = db.session.get(Suspect, suspect_id)
    while current is not None and current.successor_id is not None and current.successor_id not in seen:
        seen.add(current.successor_id)
        current = db.session.get(Suspect, current.successor_id)
        if current is not None and current.status == SuspectStatus.ACTIVE:
            return [current]
    return []


# ---------------------------------------------------------------- the list as a download

# The export's columns (signalen.md, as ``flask signals export`` writes them), then what the list shows
# beside them, so that a person can read the file without the page.
DOWNLOAD_EXTRA_COLUMNS = ("bron", "ontvangen_op", "peildatum", "naam_incassant", "status")
DOWNLOAD_COLUMNS = (*EXPORT_COLUMNS, *DOWNLOAD_EXTRA_COLUMNS)


def download_rows(**filters: Any) -> Iterator[list[Any]]:
    """The signals the list selects with ``filters``, in its order, as rows of ``DOWNLOAD_COLUMNS``:
    one query, read in batches while the file is sent. The export's text as ``flask signals export``
    writes it; numbers as numbers and dates as dates, which the download writes the Dutch way."""
    stmt = search_signals_stmt(**filters).with_only_columns(
        *EXPORT_SELECT, S.ontvangen_op, S.reference_date, S.naam_incassant, S.status)
    for row in db.session.execute(stmt, execution_options={"yield_per": 2000}):
        exported = export_row(row)
        numbers = {
            "verdachte_id": int(exported["verdachte_id"]) if exported["verdachte_id"] else None,
            "score": row.score,
            "bik_maximum": row.bik_maximum,
            "bik_overschrijding": row.bik_excess if exported["bik_overschrijding"] else None,
        }
        yield [*(numbers[c] if c in numbers else exported[c] for c in EXPORT_COLUMNS),
               row.bron, row.ontvangen_op, row.reference_date, row.naam_incassant, row.status]


# ---------------------------------------------------------------- figures per month

class year_month(FunctionElement):
    """``JJJJ-MM`` of a date column, in SQL: ``strftime`` on SQLite, ``to_char`` on PostgreSQL."""

    type = sa.String()
    name = "year_month"
    inherit_cache = True


@compiles(year_month)
def _year_month_default(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


def _months(start: date, end: date) -> list[date]:
    months = [start]
    while months[-1] < end:
        months.append(add_months(months[-1], 1))
    return months


def _per_month(stmt: sa.Select, start: date, end: date) -> sa.Select:
    """``stmt`` for the signals whose reference date lies in the months from ``start`` to ``end``."""
    return stmt.where(S.reference_date >= start, S.reference_date < add_months(end, 1))


@dataclass
class Figures:
    months: list[date]  # the first day of each month of the period
    by_source: dict[str, dict[str, int]]  # "JJJJ-MM" -> bron -> signals
    by_verdict: dict[str, dict[str | None, int]]  # "JJJJ-MM" -> verdict (None: not judged yet) -> signals
    bik: dict[str, tuple[int, Decimal]]  # "JJJJ-MM" -> (signals above the BIK maximum, their excess together)

    def keys(self) -> list[str]:
        return [f"{m:%Y-%m}" for m in self.months]


def figures(start: date, end: date) -> Figures:
    """The numbers of the figures page, by month of the reference date (peildatum): three GROUP BY
    queries (signals by source, by verdict, and the BIK excesses)."""
    month = year_month(S.reference_date)
    by_source: dict[str, dict[str, int]] = {}
    for key, bron, n in db.session.execute(_per_month(
            sa.select(month, S.bron, sa.func.count()).group_by(month, S.bron), start, end)):
        by_source.setdefault(key, {})[bron] = n
    effective = effective_verdict()
    by_verdict: dict[str, dict[str | None, int]] = {}
    for key, verdict, n in db.session.execute(_per_month(
            sa.select(month, effective, sa.func.count()).group_by(month, effective), start, end)):
        by_verdict.setdefault(key, {})[verdict] = n
    bik: dict[str, tuple[int, Decimal]] = {}
    for key, n, excess in db.session.execute(_per_month(
            sa.select(month, sa.func.count(), sa.func.sum(S.bik_excess)).where(S.bik_excess > 0).group_by(month),
            start, end)):
        bik[key] = (n, Decimal(excess or 0))
    return Figures(months=_months(start, end), by_source=by_source, by_verdict=by_verdict, bik=bik)
