"""The shared declarative base, the naming convention and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from wki.core.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones; PostgreSQL gets ``timestamptz``. Naive values are refused, so a local
    time can never be stored by mistake.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use wki.core.clock.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime(),
            dict[str, Any]: sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            list[str]: sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            list[int]: sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            list[dict[str, Any]]: sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
        },
    )

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        return f"<{type(self).__name__} id={ident}>"


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def contains_text(column: Any, text: str) -> Any:
    """Case-insensitive 'column contains text', with LIKE's wildcards in ``text`` taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")


def compared_with_models(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object``: what autogenerate and the models-match-schema test compare. Indexes named
    ``*_trgm`` are PostgreSQL trigram indexes for contains-searches that a migration makes in SQL (0020); the
    models do not declare them, as SQLite has no such index, so they are not a difference."""
    return not (type_ == "index" and reflected and bool(name) and str(name).endswith("_trgm"))


def table_of(model: type[Base]) -> sa.Table:
    """The model's table, typed as one (``__table__`` is typed as any FromClause; every model here maps a Table)."""
    table = model.__table__
    assert isinstance(table, sa.Table)
    return table


def rows_affected(result: sa.Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. ``Session.execute`` is typed to return a plain Result;
    for these statements it is a CursorResult, which has the count."""
    return cast("sa.CursorResult[Any]", result).rowcount
