"""Reads that only the signal pages need: the filtered lists, the counts above them, the rows of a
suspect's page, the recent bulk files, and the CSV download of the verdicts.

Writes stay in ``services``; these functions only select. Each list costs a fixed number of queries
whatever the page size: the rows carry what the tables show (the attachment is joined in the model).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from wki.core.db import contains_text
from wki.extensions import db
from wki.register.models import RegistrationVersion
from wki.signals.engine import effective_verdict, verdict_is
from wki.signals.forms import DECIDED
from wki.signals.models import Signal, SignalImport, Suspect, SuspectStatus, Verdict
from wki.signals.normalise import normalise_iban, normalise_kvk, normalise_name, normalise_phone, registrable_domain
from wki.signals.services import EXPORT_COLUMNS, export_rows

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


SIGNAL_SORTS = {
    "ontvangen_op": S.ontvangen_op,
    "peildatum": S.reference_date,
    "referentie": S.referentie,
    "naam": S.naam_incassant,
    "score": S.score,
}


def search_signals_stmt(*, q: str = "", verdict: str | None = None, source: str | None = None,
                        status: str | None = None, channel: str | None = None, clones: bool = False,
                        bik: bool = False, sort: str = "ontvangen_op", descending: bool = True) -> sa.Select:
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
    column = SIGNAL_SORTS.get(sort, S.ontvangen_op)
    order = column.desc() if descending else column.asc()
    tie = S.id.desc() if descending else S.id.asc()  # keeps the order stable across pages
    if not column.nullable:  # an index on (column, id) serves the page without sorting the table
        return stmt.order_by(order, tie)
    return stmt.order_by(column.is_(None), order, tie)  # empty names and scores last either way


def search_signals(*, page: int = 1, per_page: int = 50, **filters: Any) -> Any:
    return db.paginate(search_signals_stmt(**filters), page=page, per_page=per_page, error_out=False)


def verdict_counts() -> dict[str, int]:
    """Signals per verdict (a person's decision first), with ``handmatig`` and ``totaal``; one query."""
    effective = effective_verdict()
    decided = sa.func.count(S.decided_verdict)
    counts = {verdict: 0 for verdict in Verdict.LABELS}
    counts[DECIDED] = 0
    total = 0
    for verdict, n, n_decided in db.session.execute(
            sa.select(effective, sa.func.count(), decided).group_by(effective)):
        if verdict is not None:
            counts[verdict] = n
        counts[DECIDED] += int(n_decided or 0)
        total += n
    counts["totaal"] = total
    return counts


def registration_names(numbers: Iterable[str | None]) -> dict[str, str]:
    """The last known name of each registration number the mirror holds (for links with a name)."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    V = RegistrationVersion
    rows = db.session.execute(sa.select(V.registratienummer, V.naam).where(V.registratienummer.in_(wanted))
                              .order_by(V.valid_from, V.id))
    return {number: name for number, name in rows}


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


# ---------------------------------------------------------------- the verdicts as CSV

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP). The
# references and names come from outside, so such cells get a leading apostrophe, shown as text. The
# CLI's ``flask signals export`` writes the file for machines, unescaped.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def iter_export_csv() -> Iterator[str]:
    """The export of signalen.md (UTF-8, comma-separated, the export columns), streamed."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows():
        writer.writerow([_safe(row[column]) for column in EXPORT_COLUMNS])
        if buf.tell() > 64 * 1024:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
