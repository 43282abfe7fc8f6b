"""The snapshot engine: read a full snapshot, diff it against the mirror, apply it in one transaction.

Two datasets share it: the register (register.md) and the exempt list (vrijgestelden.md). A snapshot is
complete: every key in the mirror that is absent from the file has left on the snapshot date. Rows are
compared first by a hash of their cells as they came in, so an unchanged row costs a hash and a dict
lookup; only new and changed rows are validated and parsed (an unchanged row was valid when it came in).
Writing goes through the DBAPI's ``executemany`` with ISO dates and ``|``-joined text, without ORM
objects: 100,000 rows must import within 3x of a bare ``csv`` + ``sqlite3.executemany`` of the same file.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from wki.core.csvio import MAX_COLUMNS, CsvFormatError, CsvTable, RowError, open_csv
from wki.core.db import table_of
from wki.core.extensions import db
from wki.core.text import is_storable, strip_controls
from wki.register.models import (
    ChangeKind,
    ExemptPartyVersion,
    RegisterChange,
    RegistrationVersion,
    SnapshotKind,
)
from wki.register.validation import (
    EXEMPT_COLUMNS,
    EXEMPT_MULTI,
    EXEMPT_REQUIRED,
    EXEMPT_VALUE_COLUMNS,
    R_NR,
    REGISTER_COLUMNS,
    REGISTER_MULTI,
    REGISTER_REQUIRED,
    REGISTER_VALUE_COLUMNS,
    exempt_key,
    fingerprint,
    validate_exempt_row,
    validate_register_row,
)

MAX_REPORTED_ERRORS = 1000
CHUNK = 500


class SnapshotRejected(Exception):
    """The file is not applied; ``message`` is Dutch, ``errors`` lists every bad row."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def report(self, limit: int = MAX_REPORTED_ERRORS) -> list[str]:
        lines = [e.describe() for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"… en nog {len(self.errors) - limit} fout(en).")
        return lines


@dataclass(frozen=True)
class Dataset:
    kind: str
    label: str
    columns: tuple[str, ...]  # canonical file columns, in export order
    required: frozenset[str]
    multi: frozenset[str]
    key_of: Callable[[tuple[str, ...]], str]
    key_index: int | None  # when the key is one cell: its index (saves a call per row)
    validate: Callable[[int, tuple[str, ...], list[RowError], tuple], tuple | None]
    model: type[RegistrationVersion] | type[ExemptPartyVersion]
    key_column: str
    value_columns: tuple[str, ...]
    # file column -> version column, for export (the version columns of multi fields are plural)
    export_columns: tuple[str, ...]
    record_changes: bool
    # A faster pass over a whole CSV file that either plans it exactly as _read_and_compare would, or
    # returns None (then _read_and_compare runs); see vectorised.py.
    vectorised: Callable[..., dict[str, tuple] | None] | None = None

    @property
    def table(self) -> sa.Table:
        return table_of(self.model)

    @property
    def key_attr(self) -> Any:
        return getattr(self.model, self.key_column)


REGISTER = Dataset(
    kind=SnapshotKind.REGISTER, label="het register", columns=REGISTER_COLUMNS, required=REGISTER_REQUIRED,
    multi=REGISTER_MULTI, key_of=lambda raw: raw[R_NR], key_index=R_NR, validate=validate_register_row,
    model=RegistrationVersion, key_column="registratienummer", value_columns=REGISTER_VALUE_COLUMNS,
    export_columns=("registratienummer", *REGISTER_VALUE_COLUMNS), record_changes=True,
    vectorised=lambda plan, table, current: vectorised_register_pass(plan, table, current),
)
EXEMPT = Dataset(
    kind=SnapshotKind.EXEMPT, label="de lijst van vrijgestelden", columns=EXEMPT_COLUMNS, required=EXEMPT_REQUIRED,
    multi=EXEMPT_MULTI, key_of=exempt_key, key_index=None, validate=validate_exempt_row, model=ExemptPartyVersion,
    key_column="party_key", value_columns=EXEMPT_VALUE_COLUMNS, export_columns=EXEMPT_VALUE_COLUMNS,
    record_changes=False,
)
DATASETS = {REGISTER.kind: REGISTER, EXEMPT.kind: EXEMPT}


def vectorised_register_pass(plan: Plan, table: CsvTable, current: dict[str, tuple[int, bytes]]) -> dict | None:
    from wki.register.vectorised import register_pass

    return register_pass(plan, table, current)




# --- reading ---------------------------------------------------------------------------------------

@dataclass
class ParsedFile:
    encoding: str | None
    unknown_columns: list[str]
    rows: Iterator[tuple[int, tuple[str, ...] | None]]
    table: CsvTable | None = None  # for a CSV file: what the vectorised pass reads


def _json_rows(dataset: Dataset, data: bytes) -> ParsedFile:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise SnapshotRejected("Het JSON-bestand is te diep genest; verwacht wordt een lijst van objecten "
                               "met tekst, getallen of lijsten van tekst als waarden.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise SnapshotRejected(f"Het bestand is geen geldige JSON: {exc}.") from None
    if not isinstance(items, list):
        raise SnapshotRejected("Het JSON-bestand moet een lijst (array) van objecten zijn.")
    known = set(dataset.columns)
    unknown = sorted({k for item in items if isinstance(item, dict) for k in item} - known)
    if len(unknown) > MAX_COLUMNS:
        raise SnapshotRejected(f"Het JSON-bestand heeft te veel verschillende velden ({len(unknown) + len(known)}; "
                               f"hoogstens {MAX_COLUMNS}).")

    def scalar(number: int, column: str, value: Any) -> str:
        if isinstance(value, (dict, list)):
            raise SnapshotRejected(f"Element {number}, veld {column}: de waarde moet tekst, een getal of een lijst "
                                   "van teksten zijn; het bestand is niet ingelezen.")
        text = str(value)
        if not is_storable(text):
            raise SnapshotRejected(f"Element {number}, veld {column}: de waarde bevat een ongeldig teken "
                                   "(geen geldige Unicode); het bestand is niet ingelezen.")
        return strip_controls(text).strip()

    def cell(number: int, item: dict[str, Any], column: str) -> str:
        value = item.get(column)
        if value is None:
            return ""
        if isinstance(value, list):
            return "|".join(text for text in (scalar(number, column, v) for v in value if v is not None) if text)
        return scalar(number, column, value)

    def rows() -> Iterator[tuple[int, tuple[str, ...] | None]]:
        for number, item in enumerate(items, start=1):
            yield number, (tuple(cell(number, item, c) for c in dataset.columns) if isinstance(item, dict) else None)

    return ParsedFile(encoding="UTF-8", unknown_columns=unknown, rows=rows())


def read_file(dataset: Dataset, data: bytes, *, file_format: str, mapping: dict[str, str] | None) -> ParsedFile:
    if file_format == "json":
        return _json_rows(dataset, data)
    try:
        table = open_csv(data, columns=dataset.columns, mapping=mapping, required=dataset.required)
    except CsvFormatError as exc:
        raise SnapshotRejected(str(exc)) from None
    return ParsedFile(encoding=table.encoding, unknown_columns=table.unknown_columns, rows=table.rows(), table=table)


# --- planning --------------------------------------------------------------------------------------

@dataclass
class Plan:
    dataset: Dataset
    snapshot_date: date
    sha256: str
    encoding: str | None
    unknown_columns: list[str]
    row_count: int = 0
    current_count: int = 0
    # key -> the row as it is written: (key, row hash, *clean values), for rows that become a new version
    new: dict[str, tuple] = field(default_factory=dict)
    returned: set[str] = field(default_factory=set)
    changed: dict[str, tuple] = field(default_factory=dict)
    field_changes: dict[str, list[tuple[str, Any, Any]]] = field(default_factory=dict)
    left: dict[str, int] = field(default_factory=dict)  # key -> id of the version that closes
    closing: dict[str, int] = field(default_factory=dict)  # changed key -> id of the version that closes
    rehash: list[tuple[bytes, int]] = field(default_factory=list)  # (new row hash, version id): same content
    unchanged: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {"rijen": self.row_count, "nieuw": len(self.new) - len(self.returned),
                "teruggekeerd": len(self.returned), "gewijzigd": len(self.changed),
                "verdwenen": len(self.left), "ongewijzigd": self.unchanged}

    @property
    def removal_share(self) -> float:
        return len(self.left) / self.current_count if self.current_count else 0.0

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.left or self.rehash)

    def diff(self, limit: int = 200) -> dict[str, Any]:
        """A bounded, JSON-ready description of the diff, for the quarantine page and the CLI."""
        return {
            "nieuw": sorted(set(self.new) - self.returned)[:limit],
            "teruggekeerd": sorted(self.returned)[:limit],
            "verdwenen": sorted(self.left)[:limit],
            "gewijzigd": {key: [[name, _text(old), _text(new)] for name, old, new in diffs]
                          for key, diffs in sorted(self.field_changes.items())[:limit]},
            "limiet": limit,
        }


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


# Version columns holding |-joined values: their order carries no meaning, so a reordering is no change.
MULTI_VALUE_COLUMNS = frozenset({"handelsnamen", "websites", "emails", "telefoons", "ibans"})


def _same_values(old: str | None, new: str | None) -> bool:
    return sorted((old or "").split("|")) == sorted((new or "").split("|"))


def _current(dataset: Dataset) -> dict[str, tuple[int, bytes]]:
    table = dataset.table
    stmt = sa.select(table.c[dataset.key_column], table.c.id, table.c.row_hash).where(table.c.valid_to.is_(None))
    return {key: (vid, h) for key, vid, h in db.session.execute(stmt)}


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def plan_snapshot(dataset: Dataset, data: bytes, *, snapshot_date: date, file_format: str = "csv",
                  mapping: dict[str, str] | None = None, sha256: str | None = None) -> Plan:
    """Validate the file and work out what applying it would change; raises SnapshotRejected."""
    parsed = read_file(dataset, data, file_format=file_format, mapping=mapping)
    current = _current(dataset)
    plan = Plan(dataset=dataset, snapshot_date=snapshot_date, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                encoding=parsed.encoding, unknown_columns=parsed.unknown_columns, current_count=len(current))
    # A 100,000-row file makes some 400,000 tuples that all survive the pass; left on, the cyclic
    # garbage collector would walk them again and again while they pile up. They hold no cycles
    # (reference counting frees them), so the collector is off during the pass, and afterwards they
    # are moved to the oldest generation at once (freeze + unfreeze: two list splices) instead of
    # being walked by the first young-generation collection.
    collecting = gc.isenabled()
    gc.disable()
    try:
        candidates = None
        if parsed.table is not None and dataset.vectorised is not None:
            candidates = dataset.vectorised(plan, parsed.table, current)
        if candidates is None:
            candidates = _read_and_compare(plan, parsed, current, file_format)
    finally:
        gc.freeze()
        gc.unfreeze()
        if collecting:
            gc.enable()
    _compare_candidates(plan, candidates, current)
    _find_returned(plan)
    return plan


def _read_and_compare(plan: Plan, parsed: ParsedFile, current: dict[str, tuple[int, bytes]],
                      file_format: str) -> dict[str, tuple]:
    """The pass over every row; returns the rows whose cells differ from the version held."""
    dataset = plan.dataset
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    key_of, validate, key_index = dataset.key_of, dataset.validate, dataset.key_index
    candidates: dict[str, tuple] = {}
    new = plan.new
    row_count = 0
    for line, raw in parsed.rows:
        row_count += 1
        if raw is None:
            errors.append(RowError(line, None, None, "de regel heeft meer cellen dan de kopregel kolommen heeft"
                                   if file_format == "csv" else "het element is geen object"))
            continue
        key = raw[key_index] if key_index is not None else key_of(raw)
        if key in seen:
            errors.append(RowError(line, dataset.key_column if dataset.record_changes else "naam", key,
                                   f"komt al voor op regel {seen[key]}"))
            continue
        seen[key] = line
        h = fingerprint("\x1f".join(raw).encode()).digest()
        held = current.get(key)
        if held is not None and held[1] == h:
            plan.unchanged += 1
            continue
        stored = validate(line, raw, errors, (key, h))
        if stored is None:
            continue
        if held is None:
            new[key] = stored
        else:
            candidates[key] = stored
    plan.row_count = row_count
    if errors:
        raise SnapshotRejected(
            f"Het bestand bevat {len(errors)} fout(en) en is niet ingelezen; er is niets gewijzigd.", errors)
    plan.left = {key: held[0] for key, held in current.items() if key not in seen}
    return candidates


def _compare_candidates(plan: Plan, candidates: dict[str, tuple],
                        current: dict[str, tuple[int, bytes]]) -> None:
    """Rows whose cells differ: compare the clean values field by field with the held version."""
    dataset = plan.dataset
    model = dataset.model
    columns = [getattr(model, c) for c in dataset.value_columns]
    for keys in _chunks(list(candidates)):
        ids = [current[k][0] for k in keys]
        stmt = sa.select(model.id, dataset.key_attr, *columns).where(model.id.in_(ids))
        for row in db.session.execute(stmt):
            key = row[1]
            stored = candidates[key]
            h, clean = stored[1], stored[2:]
            held_values = tuple(map(_stored, row[2:]))
            diffs = [(name, old, new) for name, old, new in zip(dataset.value_columns, held_values, clean, strict=True)
                     if old != new and not (name in MULTI_VALUE_COLUMNS and _same_values(old, new))]
            if diffs:
                plan.changed[key] = stored
                plan.closing[key] = row[0]
                plan.field_changes[key] = diffs
            else:
                plan.unchanged += 1
                plan.rehash.append((h, row[0]))


def _find_returned(plan: Plan) -> None:
    """New keys that the mirror held before: they came back. One pass over the closed versions (the
    rows of an initial load are not among them), whatever the number of new keys."""
    if not plan.new:
        return
    model = plan.dataset.model
    attr = plan.dataset.key_attr
    closed = set(db.session.scalars(sa.select(attr).where(model.valid_to.is_not(None)).distinct()))
    plan.returned = closed.intersection(plan.new)


# --- applying --------------------------------------------------------------------------------------

def _placeholders(n: int) -> str:
    mark = "?" if db.session.get_bind().dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * n)


def _stored(value: Any) -> Any:
    """A value read back through the ORM, in the form the import writes it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def _insert_sql(dataset: Dataset, mark: str, day: date, snapshot_id: int) -> str:
    """The statement for new versions; the period start and snapshot are the same for every row, so they
    are written into it (a date and an integer of our own) and each row is exactly a plan row."""
    columns = (dataset.key_column, "row_hash", *dataset.value_columns, "valid_from", "valid_to", "snapshot_id")
    values = [mark] * (2 + len(dataset.value_columns)) + [f"'{day.isoformat()}'", "NULL", str(int(snapshot_id))]
    return f"INSERT INTO {dataset.table.name} ({', '.join(columns)}) VALUES ({', '.join(values)})"


def apply_plan(plan: Plan, *, snapshot_id: int) -> None:
    """Close, insert and record, in the caller's transaction. The caller commits once."""
    dataset = plan.dataset
    table = dataset.table
    conn = db.session.connection()
    day = plan.snapshot_date
    closing_ids = list(plan.closing.values()) + list(plan.left.values())
    for ids in _chunks(closing_ids):
        conn.execute(sa.update(table).where(table.c.id.in_(ids)).values(valid_to=day))
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    if plan.rehash:
        conn.exec_driver_sql(f"UPDATE {table.name} SET row_hash = {mark} WHERE id = {mark}", plan.rehash)
    insert_sql = _insert_sql(dataset, mark, day, snapshot_id)
    _write_many(conn, insert_sql, [*plan.new.values(), *plan.changed.values()])
    if dataset.record_changes:
        _record_changes(conn, plan, snapshot_id, mark)


def _write_many(conn: Any, sql: str, rows: Iterator[tuple] | list[tuple], batch: int = 25000) -> None:
    """``executemany`` in batches of plain tuples (no per-row type processing)."""
    rows = rows if isinstance(rows, list) else list(rows)
    for start in range(0, len(rows), batch):
        conn.exec_driver_sql(sql, rows[start:start + batch])


def _record_changes(conn: Any, plan: Plan, snapshot_id: int, mark: str) -> None:
    table = table_of(RegisterChange)
    columns = ("registratienummer", "snapshot_id", "snapshot_date", "kind", "field", "old_value", "new_value")
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    day = plan.snapshot_date.isoformat()

    def events() -> Iterator[tuple]:
        # A first appearance is the registration's first version (queries.timeline shows it); only a
        # return after an absence is an event here, which keeps the initial load to one write per row.
        for key in plan.returned:
            yield key, snapshot_id, day, ChangeKind.RETURNED, None, None, None
        for key, diffs in plan.field_changes.items():
            for name, old, new in diffs:
                yield key, snapshot_id, day, ChangeKind.CHANGED, name, _text(old), _text(new)
        for key in plan.left:
            yield key, snapshot_id, day, ChangeKind.LEFT, None, None, None

    _write_many(conn, sql, events())
