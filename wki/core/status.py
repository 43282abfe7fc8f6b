"""Statuses and other fixed sets of stored values, as enums that know how people read them.

A :class:`LabelledEnum` is a ``StrEnum``: its members are the stored strings (a member compares equal
to its value, so queries, JSON and templates keep working with the plain strings). Each member also
carries a Dutch ``label`` and, for statuses, a ``style``: the kind of tag the design system shows it
as (``components/status_tag.html``; the kinds are :class:`Style`). Declare members as
``NAME = "value", "Label"`` or ``NAME = "value", "Label", Style.OK``.

A column holding such a value is declared with :func:`enum_column_type` (members come back from the
database, so templates can show ``status_tag(run.outcome)``) and guarded in the database by
:func:`check_constraint` (the migration adds the same constraint).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class Style(enum.StrEnum):
    """The tag kinds of the design system (``.wki-tag--<kind>`` in static/css)."""

    OK = "ok"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEUTRAL = "neutral"


_LABELS: dict[type, Mapping[str, str]] = {}


class LabelledEnum(enum.StrEnum):
    """A fixed set of stored strings, each with its Dutch ``label`` and its tag ``style``."""

    label: str
    style: Style

    def __new__(cls, value: str, label: str, style: Style = Style.NEUTRAL) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.style = Style(style)
        return member

    @classmethod
    def labels(cls) -> Mapping[str, str]:
        """Member → label, in declaration order (for the choices of a filter); looked up by member or string.
        Built once per enum and read-only: intake checks a source against it for every row of a file."""
        cached = _LABELS.get(cls)
        if cached is None:
            cached = _LABELS[cls] = MappingProxyType({m: m.label for m in cls})
        return cached

    @classmethod
    def from_value(cls, value: str) -> Self:
        """The member with this stored value; ValueError for any other."""
        member = cls._value2member_map_.get(value)
        if not isinstance(member, cls):
            raise ValueError(f"{value!r} is not a {cls.__name__}")
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs, for a ``SelectField``."""
        return [(m.value, m.label) for m in cls]

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """The member with this value; anything else (None, an old value kept in JSON) as it is."""
        return cls._value2member_map_.get(value, value) if isinstance(value, str) else value

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored value; an unknown value (an old one) as itself, none as ""."""
        if value is None:
            return ""
        member = cls._value2member_map_.get(value)
        return member.label if isinstance(member, LabelledEnum) else str(value)


class Freshness(LabelledEnum):
    """Whether something that must happen regularly (a job, a sync) last succeeded recently enough."""

    ON_TIME = "op_tijd", "Op tijd", Style.OK
    STALE = "te_oud", "Te oud", Style.ERROR
    NEVER = "nooit", "Te oud", Style.ERROR

    @classmethod
    def of(cls, stale: bool) -> Freshness:
        return cls.STALE if stale else cls.ON_TIME


class EnumText(TypeDecorator[Any]):
    """A ``VARCHAR`` column holding an enum's values: stores the string, loads the member.

    Writing does not validate (the CHECK constraint does, for every writer, also raw SQL); a stored value
    that is no member (only possible without the constraint) loads as the plain string.
    """

    impl = sa.String
    cache_ok = True

    def __init__(self, enum_class: type[enum.StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum_class = enum_class
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        try:
            return self.enum_class(value)
        except ValueError:
            return value

    def copy(self, **kw: Any) -> EnumText:
        return EnumText(self.enum_class, self.length)


def enum_column_type(enum_class: type[enum.StrEnum], length: int = 20) -> EnumText:
    return EnumText(enum_class, length)


def check_expression(column: str, enum_class: type[enum.StrEnum]) -> str:
    """The SQL of "``column`` holds one of the enum's values" (a NULL passes, as in every CHECK)."""
    values = ", ".join("'" + m.value.replace("'", "''") + "'" for m in enum_class)
    return f'"{column}" IN ({values})'


def check_constraint(column: str, enum_class: type[enum.StrEnum]) -> sa.CheckConstraint:
    """The CHECK constraint for a model's ``__table_args__``; the naming convention (wki/core/db.py) names
    it ``ck_<table>_<column>``, the name the migration gives it."""
    return sa.CheckConstraint(check_expression(column, enum_class), name=column)
