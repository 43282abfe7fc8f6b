"""Numbers issued one after another per year: references of signals entered by staff now, kenmerken and
zaaknummers later.

One row per (name, year) in ``sequence_counter`` holds the last number issued. ``next_value`` raises it
by one and returns it in a single statement, inside the caller's transaction:

    INSERT INTO sequence_counter (name, year, value) VALUES (:name, :year, 1)
    ON CONFLICT (name, year) DO UPDATE SET value = sequence_counter.value + 1
    RETURNING value

- Safe under concurrency. PostgreSQL: a second transaction that asks for the same (name, year) waits
  on the row lock until the first one ends, then gets the next number; two first-ever requests of a
  year meet the primary key and one of them takes the update branch. SQLite: one writer at a time holds
  the database until it commits (a writing transaction begins with ``BEGIN IMMEDIATE``, core/db_setup.py;
  one that began as a read takes the write lock at its first write), so callers take turns.
- Gapless. The number belongs to the caller's transaction: a rollback returns it, unlike a database
  SEQUENCE (which never hands a number back). The price: the counter's row stays locked until the caller
  commits, so callers ask for their number late, when little work remains before the commit.

SQLite has ``ON CONFLICT … DO UPDATE`` with ``RETURNING`` since 3.35 (2021); an older library takes the
three-statement path below, which holds the same write lock and gives the same numbers.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from wki.core.db import Base, table_of
from wki.core.extensions import db

NAME_MAX = 50


class SequenceCounter(Base):
    """The last number issued for ``name`` in ``year``; changed only through ``next_value``."""

    __tablename__ = "sequence_counter"

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int]

    def __repr__(self) -> str:
        return f"<SequenceCounter {self.name} {self.year}={self.value}>"


def _sqlite_has_upsert_returning() -> bool:
    return sqlite3.sqlite_version_info >= (3, 35, 0)


def next_value(name: str, year: int) -> int:
    """The next number of ``name`` in ``year`` (1 for the year's first), in the caller's transaction."""
    if not name or len(name) > NAME_MAX:
        raise ValueError(f"sequence name must be 1..{NAME_MAX} characters")
    table = table_of(SequenceCounter)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql" or (dialect == "sqlite" and _sqlite_has_upsert_returning()):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (insert(table).values(name=name, year=year, value=1)
                     .on_conflict_do_update(index_elements=[table.c.name, table.c.year],
                                            set_={"value": table.c.value + 1})
                     .returning(table.c.value))
        return int(db.session.execute(statement).scalar_one())
    if dialect != "sqlite":
        raise NotImplementedError(f"next_value has no safe form for {dialect}")
    # Old SQLite: the transaction holds the database's write lock from its first write on, so nobody else
    # can move the counter between these statements.
    db.session.execute(sqlite.insert(table).values(name=name, year=year, value=0).on_conflict_do_nothing())
    db.session.execute(sa.update(table).where(table.c.name == name, table.c.year == year)
                       .values(value=table.c.value + 1))
    return int(db.session.execute(sa.select(table.c.value).where(table.c.name == name, table.c.year == year))
               .scalar_one())


def current_value(name: str, year: int) -> int:
    """The last number issued of ``name`` in ``year`` (0 if none yet); for pages and checks, not for issuing."""
    value = db.session.scalar(sa.select(SequenceCounter.value)
                              .where(SequenceCounter.name == name, SequenceCounter.year == year))
    return value or 0
