"""Reading the mirror: what the register said on a date, searches, timelines, expiry lists, exports.

The one read interface of the register for other features (signal matching, mailings, decisions): they
ask the mirror through these functions, never through the models or the register's other modules.

- What the register said on a date: ``registration_as_of``, ``registration_on``, ``registrations_as_of``,
  ``registered_on``, ``exempt_parties_as_of``; every version of one party: ``versions_of``,
  ``exempt_versions_of``; whether a number was ever held: ``registration_known``; last known names:
  ``registration_names``.
- The mirror itself: where it starts (``mirror_start``, per kind: ``REGISTER`` or ``EXEMPT``), its state
  as a digest of the applied snapshots (``mirror_state``: changes whenever the mirror does), and the dates
  of its applied snapshots (``applied_snapshot_dates``).
- The whole history in bulk, one query each, for the signals matcher (``registration_history``,
  ``exempt_history``): rows of plain values, multi-valued fields as lists.

Results are the version rows themselves (``RegistrationVersion``, ``ExemptPartyVersion``, importable from
here for annotations) or plain values: read them, never change them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from wki.core.clock import today_local
from wki.core.db import contains_text
from wki.core.errors import NotFoundError
from wki.core.extensions import db
from wki.register.models import (
    ExemptPartyVersion,
    RegisterChange,
    RegisterSnapshot,
    RegistrationStatus,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
    split_pipe,
)
from wki.register.snapshots import DATASETS, Dataset

V = RegistrationVersion
E = ExemptPartyVersion

# The two datasets the mirror holds (the ``kind`` of a snapshot).
REGISTER, EXEMPT = SnapshotKind.REGISTER, SnapshotKind.EXEMPT


def _held_on(model: Any, day: date) -> Any:
    return sa.and_(model.valid_from <= day, sa.or_(model.valid_to.is_(None), model.valid_to > day))


def mirror_start(kind: str = REGISTER) -> date | None:
    """The date of the first applied snapshot of ``kind``: before it the mirror knows nothing."""
    return db.session.scalar(sa.select(sa.func.min(RegisterSnapshot.snapshot_date)).where(
        RegisterSnapshot.kind == kind, RegisterSnapshot.status == SnapshotStatus.APPLIED))


def applied_snapshot_dates(kind: str = REGISTER) -> list[date]:
    """The dates of the applied snapshots of ``kind``, oldest first, each once."""
    return list(db.session.scalars(sa.select(RegisterSnapshot.snapshot_date).where(
        RegisterSnapshot.kind == kind, RegisterSnapshot.status == SnapshotStatus.APPLIED)
        .distinct().order_by(RegisterSnapshot.snapshot_date)))


def mirror_state() -> str:
    """A digest of the applied snapshots (both kinds): changes whenever the mirror does (any import,
    approval or re-import), so whatever was computed from the mirror can be kept under it."""
    rows = db.session.execute(
        sa.select(RegisterSnapshot.id, RegisterSnapshot.kind, RegisterSnapshot.sha256, RegisterSnapshot.snapshot_date)
        .where(RegisterSnapshot.status == SnapshotStatus.APPLIED).order_by(RegisterSnapshot.id)).all()
    digest = hashlib.sha256()
    for row in rows:  # the same file applied as of another date is another mirror
        digest.update(f"{row.id}:{row.kind}:{row.sha256}:{row.snapshot_date};".encode())
    return digest.hexdigest()


def covers(day: date, kind: str = REGISTER) -> bool:
    """Whether the mirror held a snapshot on ``day`` (before its first one it can only derive)."""
    start = mirror_start(kind)
    return start is not None and start <= day


def derived_from(day: date, kind: str = REGISTER) -> date | None:
    """The first snapshot's date when ``day`` lies before it: the register of ``day`` is then derived from
    that snapshot's own dates (signalen.md): a registration was listed when its datum_inschrijving <= day
    (a struck-off or lapsed one stays in the register with its datum_einde), and one absent from the
    first snapshot was not listed before it either."""
    start = mirror_start(kind)
    return start if start is not None and day < start else None


def _as_of_clause(day: date, start: date | None = None) -> Any:
    """The versions that say what the register listed on ``day``: held then, or derived (see above)."""
    if start is not None and day < start:
        return sa.and_(_held_on(V, start), V.datum_inschrijving <= day)
    return _held_on(V, day)


def status_on(version: RegistrationVersion, day: date) -> RegistrationStatus:
    """The register's status of a version on ``day``: ``ingeschreven`` while valid by its dates, else the
    status it ended with (for a version derived from a later snapshot, whose status may be later news)."""
    if version.is_valid_on(day):
        return RegistrationStatus.REGISTERED
    return RegistrationStatus.from_value(version.status)


@dataclass
class AsOf:
    """What the register said of one registration on ``day``: the version that says it (None: not in the
    register then), whether it was derived from the first snapshot's dates, and whether the mirror saw it
    only in a later snapshot (then its own dates say when it took effect)."""

    day: date
    version: RegistrationVersion | None
    derived_from: date | None = None
    seen_later: bool = False

    @property
    def valid(self) -> bool:
        return self.version is not None and self.version.is_valid_on(self.day)


def registration_on(registratienummer: str, day: date) -> AsOf:
    """The register's word on one registration on ``day``, by the same rule as the signals' verdicts."""
    start = mirror_start()
    if start is None:
        return AsOf(day, None)
    if day < start:
        first = db.session.scalar(sa.select(V).where(V.registratienummer == registratienummer, _held_on(V, start)))
        return AsOf(day, first, derived_from=start)
    held = registration_as_of(registratienummer, day)
    if held is not None:
        return AsOf(day, held)
    later = db.session.scalar(sa.select(V).where(V.registratienummer == registratienummer, V.valid_from > day)
                              .order_by(V.valid_from).limit(1))
    if later is not None and later.is_valid_on(day):
        return AsOf(day, later, seen_later=True)
    return AsOf(day, None)


def registration_as_of(registratienummer: str, day: date) -> RegistrationVersion | None:
    """The version the mirror held for this registration on ``day`` (None: not in the register then)."""
    return db.session.scalar(sa.select(V).where(V.registratienummer == registratienummer, _held_on(V, day)))


def registrations_as_of(day: date) -> list[RegistrationVersion]:
    """Every registration as the register listed it on ``day`` (derived before the first snapshot)."""
    return list(db.session.scalars(sa.select(V).where(_as_of_clause(day, mirror_start()))
                                   .order_by(V.registratienummer)))


def _name_key(value: str) -> str:
    return " ".join(value.casefold().split())


@dataclass
class RegisteredAnswer:
    """Was X registered on D? ``covered`` False: the mirror has no snapshot at all, so it cannot say;
    ``derived_from``: D lies before the first snapshot and the answer follows from that snapshot's dates."""

    day: date
    covered: bool
    versions: list[RegistrationVersion] = field(default_factory=list)
    derived_from: date | None = None

    @property
    def valid(self) -> list[RegistrationVersion]:
        return [v for v in self.versions if v.is_valid_on(self.day)]

    @property
    def registered(self) -> bool | None:
        if not self.covered:
            return None
        return bool(self.valid)


def registered_on(day: date, *, kvk_nummer: str | None = None, name: str | None = None) -> RegisteredAnswer:
    """Registrations the register listed on ``day`` for this KvK number and/or exact name or trade name.

    Names are compared without regard to case and spacing; fuzzy matching is the signals module's work.
    """
    start = mirror_start()
    stmt = sa.select(V).where(_as_of_clause(day, start))
    if kvk_nummer:
        stmt = stmt.where(V.kvk_nummer == kvk_nummer.strip())
    if name and name.split():
        # Narrow in the database on the longest word, then compare exactly (case, spacing) below.
        token = max(name.lower().split(), key=len)
        stmt = stmt.where(sa.or_(contains_text(V.naam, token), contains_text(V.handelsnamen, token)))
    versions = list(db.session.scalars(stmt))
    if name:
        wanted = _name_key(name)
        versions = [v for v in versions
                    if _name_key(v.naam) == wanted or any(_name_key(t) == wanted for t in v.trade_names)]
    elif not kvk_nummer:
        versions = []
    return RegisteredAnswer(day=day, covered=start is not None, versions=versions,
                            derived_from=start if start is not None and day < start else None)


def exempt_parties_as_of(day: date) -> list[ExemptPartyVersion]:
    return list(db.session.scalars(sa.select(E).where(_held_on(E, day)).order_by(E.naam)))


def exempt_versions_of(party_key: str) -> list[ExemptPartyVersion]:
    """Every version of one party of the exempt list, oldest first."""
    return list(db.session.scalars(sa.select(E).where(E.party_key == party_key).order_by(E.valid_from, E.id)))


def registration_known(registratienummer: str) -> bool:
    """Whether the mirror holds any version of this registration (now or ever)."""
    return db.session.scalar(sa.select(sa.literal(True)).where(
        V.registratienummer == registratienummer).limit(1)) is not None


def registration_names(numbers: Iterable[str | None]) -> dict[str, str]:
    """The last known name of each of ``numbers`` (empty ones passed over) that the mirror holds any
    version of: for links with a name (a snapshot's diff, a signal's clone), in chunks of 500 numbers."""
    wanted = sorted({n for n in numbers if n})
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        stmt = sa.select(V.registratienummer, V.naam).where(V.registratienummer.in_(chunk)).order_by(V.valid_from, V.id)
        names.update({nummer: naam for nummer, naam in db.session.execute(stmt)})
    return names


# --- the whole history in bulk (the signals matcher) --------------------------------------------------

class RegistrationRow(NamedTuple):
    """One version of a registration as the matcher reads it; multi-valued fields as lists."""

    registratienummer: str
    valid_from: date
    valid_to: date | None
    naam: str
    handelsnamen: list[str]
    kvk_nummer: str | None
    vestigingsnummer: str | None
    websites: list[str]
    emails: list[str]
    telefoons: list[str]
    ibans: list[str]
    status: str
    datum_inschrijving: date
    datum_einde: date | None
    postcode: str | None
    plaats: str | None


class ExemptRow(NamedTuple):
    """One version of a party of the exempt list as the matcher reads it."""

    party_key: str
    valid_from: date
    valid_to: date | None
    naam: str
    kvk_nummer: str | None
    beroep: str
    websites: list[str]
    plaats: str | None


def registration_history() -> Iterator[RegistrationRow]:
    """Every version of every registration, by number and then oldest first: one query, plain values."""
    rows = db.session.execute(sa.select(
        V.registratienummer, V.valid_from, V.valid_to, V.naam, V.handelsnamen, V.kvk_nummer, V.vestigingsnummer,
        V.websites, V.emails, V.telefoons, V.ibans, V.status, V.datum_inschrijving, V.datum_einde, V.postcode,
        V.plaats,
    ).order_by(V.registratienummer, V.valid_from)).all()
    for (number, valid_from, valid_to, naam, handelsnamen, kvk, vestiging, websites, emails, telefoons, ibans,
         status, ingeschreven, einde, postcode, plaats) in rows:
        yield RegistrationRow(number, valid_from, valid_to, naam, split_pipe(handelsnamen), kvk, vestiging,
                              split_pipe(websites), split_pipe(emails), split_pipe(telefoons), split_pipe(ibans),
                              status, ingeschreven, einde, postcode, plaats)


def exempt_history() -> Iterator[ExemptRow]:
    """Every version of every party of the exempt list, by party and then oldest first: one query."""
    rows = db.session.execute(sa.select(
        E.party_key, E.valid_from, E.valid_to, E.naam, E.kvk_nummer, E.beroep, E.websites, E.plaats,
    ).order_by(E.party_key, E.valid_from)).all()
    for key, valid_from, valid_to, naam, kvk, beroep, websites, plaats in rows:
        yield ExemptRow(key, valid_from, valid_to, naam, kvk, beroep, split_pipe(websites), plaats)


# --- the register list page ------------------------------------------------------------------------

EXPIRY_FILTERS = {
    "30": "Verloopt binnen 30 dagen",
    "60": "Verloopt binnen 60 dagen",
    "verstreken": "Geldigheid verstreken zonder verlenging",
}
SORTS = {
    "naam": (V.naam, V.registratienummer),
    "registratienummer": (V.registratienummer,),
    "plaats": (V.plaats, V.naam),
    "geldig_tot": (V.geldig_tot, V.naam),
    "datum_inschrijving": (V.datum_inschrijving, V.naam),
}


def _expiry_clause(kind: str, today: date) -> Any:
    listed = sa.and_(V.status == "ingeschreven", V.geldig_tot.is_not(None))
    if kind == "verstreken":
        return sa.and_(listed, V.geldig_tot < today)
    days = int(kind)
    return sa.and_(listed, V.geldig_tot >= today, V.geldig_tot <= today + timedelta(days=days))


def search_stmt(*, q: str = "", status: str | None = None, expiry: str | None = None, as_of: date | None = None,
                sort: str = "naam", descending: bool = False) -> Any:
    """The registrations the register list shows, as one statement (paginated or exported by the caller)."""
    day = as_of or today_local()
    start = mirror_start() if as_of is not None else None
    derived = start is not None and day < start
    stmt = sa.select(V).where(V.valid_to.is_(None)) if as_of is None else sa.select(V).where(_as_of_clause(day, start))
    text = q.strip()
    if text:
        compact = "".join(text.split())
        stmt = stmt.where(sa.or_(
            contains_text(V.naam, text), contains_text(V.handelsnamen, text), contains_text(V.plaats, text),
            contains_text(V.registratienummer, text),
            V.kvk_nummer.like(f"%{compact}%") if compact.isdigit() else sa.false(),
        ))
    if status and derived:  # the status on that day follows from the dates, not from the later snapshot
        on_day = sa.or_(V.datum_einde.is_(None), V.datum_einde > day)
        stmt = stmt.where(on_day if status == "ingeschreven" else sa.and_(sa.not_(on_day), V.status == status))
    elif status:
        stmt = stmt.where(V.status == status)
    if expiry in EXPIRY_FILTERS:
        stmt = stmt.where(_expiry_clause(expiry, day))
    order = SORTS.get(sort, SORTS["naam"])
    return stmt.order_by(*[c.desc() if descending else c for c in order], V.id)


def search(*, page: int = 1, per_page: int = 50, **filters: Any) -> Any:
    return db.paginate(search_stmt(**filters), page=page, per_page=per_page, error_out=False)


def expiry_counts(today: date | None = None) -> dict[str, int]:
    """Current registrations expiring within 30 and 60 days, and those past geldig_tot without renewal."""
    day = today or today_local()
    keys = list(EXPIRY_FILTERS)
    # One pass over the current versions for all three (the dashboard shows them together).
    row = db.session.execute(sa.select(*(
        sa.func.coalesce(sa.func.sum(sa.case((_expiry_clause(key, day), 1), else_=0)), 0) for key in keys))
        .select_from(V).where(V.valid_to.is_(None))).one()
    return {key: int(n or 0) for key, n in zip(keys, row, strict=True)}


def current_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(V).where(V.valid_to.is_(None))) or 0


# --- one registration ------------------------------------------------------------------------------

FIELD_LABELS = {
    "naam": "naam", "handelsnamen": "handelsnaam", "kvk_nummer": "KvK-nummer",
    "vestigingsnummer": "vestigingsnummer", "straat": "straat", "huisnummer": "huisnummer",
    "postcode": "postcode", "plaats": "plaats", "websites": "website", "emails": "e-mailadres",
    "telefoons": "telefoonnummer", "ibans": "IBAN", "status": "status",
    "datum_inschrijving": "datum inschrijving", "datum_einde": "datum einde", "geldig_tot": "geldig tot",
}
MULTI_FIELDS = {"handelsnamen", "websites", "emails", "telefoons", "ibans"}


@dataclass
class TimelineEntry:
    day: date
    kind: str
    text: str  # Dutch, one line: "handelsnaam toegevoegd: NKI Collect"
    snapshot_id: int


def describe_change(change: RegisterChange) -> list[str]:
    """Dutch lines for one change event; a multi-valued field yields one line per value added or removed."""
    if change.kind == "nieuw":
        return ["opgenomen in het register"]
    if change.kind == "verdwenen":
        return ["niet meer in het register"]
    if change.kind == "teruggekeerd":
        return ["weer opgenomen in het register"]
    name = change.field or ""
    label = FIELD_LABELS.get(name, name)
    if name in MULTI_FIELDS:
        old, new = split_pipe(change.old_value), split_pipe(change.new_value)
        lines = [f"{label} toegevoegd: {v}" for v in new if v not in old]
        lines += [f"{label} verwijderd: {v}" for v in old if v not in new]
        return lines or [f"{label} gewijzigd"]
    old_shown, new_shown = _shown(name, change.old_value), _shown(name, change.new_value)
    if old_shown is None:
        return [f"{label} toegevoegd: {new_shown}"]
    if new_shown is None:
        return [f"{label} verwijderd: {old_shown}"]
    return [f"{label} {old_shown} → {new_shown}"]


DATE_FIELDS = {"datum_inschrijving", "datum_einde", "geldig_tot"}


def _shown(name: str, value: str | None) -> str | None:
    """A stored value as a Dutch reader expects it: dates as 13-05-2027."""
    if value is None or name not in DATE_FIELDS:
        return value
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except ValueError:
        return value


def get_registration(registratienummer: str) -> RegistrationVersion:
    """The version held now, or the last one held if the registration has left the register."""
    stmt = (sa.select(V).where(V.registratienummer == registratienummer)
            .order_by(V.valid_to.is_(None).desc(), V.valid_from.desc(), V.id.desc()).limit(1))
    version = db.session.scalar(stmt)
    if version is None:
        raise NotFoundError("Deze registratie staat niet in de spiegel van het register.")
    return version


def versions_of(registratienummer: str) -> list[RegistrationVersion]:
    return list(db.session.scalars(sa.select(V).where(V.registratienummer == registratienummer)
                                   .order_by(V.valid_from, V.id)))


def timeline(registratienummer: str) -> list[TimelineEntry]:
    """The registration's history, newest first, one line per fact.

    The first appearance is the first version itself (the import writes no event for it); returns,
    field changes and departures are change events.
    """
    changes = db.session.scalars(
        sa.select(RegisterChange).where(RegisterChange.registratienummer == registratienummer)
        .order_by(RegisterChange.snapshot_date.desc(), RegisterChange.id.desc()))
    entries = [TimelineEntry(c.snapshot_date, c.kind, line, c.snapshot_id)
               for c in changes for line in describe_change(c)]
    first = db.session.execute(
        sa.select(V.valid_from, V.snapshot_id).where(V.registratienummer == registratienummer)
        .order_by(V.valid_from, V.id).limit(1)).first()
    if first is not None:
        entries.append(TimelineEntry(first.valid_from, "nieuw", "opgenomen in het register", first.snapshot_id))
    return entries


# --- export ----------------------------------------------------------------------------------------

def export_cells(dataset: Dataset, version: Any) -> list[str]:
    values = []
    for column in dataset.export_columns:
        value = getattr(version, column)
        values.append("" if value is None else value.isoformat() if isinstance(value, date) else str(value))
    return values


def export_snapshot(kind: str, *, as_of: date | None = None, file_format: str = "csv") -> bytes:
    """The register (or exempt list) as it stood on ``as_of`` (default: now), in the import format."""
    dataset = DATASETS[kind]
    model = dataset.model
    stmt = sa.select(model).where(model.valid_to.is_(None) if as_of is None else _held_on(model, as_of))
    stmt = stmt.order_by(getattr(model, dataset.key_column))
    versions = db.session.scalars(stmt)
    if file_format == "json":
        items = []
        for version in versions:
            item: dict[str, Any] = {}
            for column, value in zip(dataset.columns, export_cells(dataset, version), strict=True):
                item[column] = split_pipe(value) if column in dataset.multi else (value or None)
            items.append(item)
        return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.columns)
    for version in versions:
        writer.writerow(export_cells(dataset, version))
    return out.getvalue().encode("utf-8")
