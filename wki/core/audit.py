"""The append-only audit trail.

Service functions call :func:`record` in the same transaction as the change they make. Nothing in the
application updates or deletes audit rows: the ORM refuses it (see ``_refuse_changes``) and database
triggers created by the migration refuse it too, for anything that bypasses the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from wki.core import downloads
from wki.core.actors import Actor
from wki.core.clock import AMSTERDAM, utcnow
from wki.core.db import Base
from wki.core.extensions import db
from wki.core.status import LabelledEnum


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_email: Mapped[str | None] = mapped_column(sa.String(320), index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(80))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def object_type_label(self) -> str:
        return object_type_label(self.object_type)


# The vocabulary: every action code and object type that is recorded, with the Dutch text the audit page
# shows. Core names no feature: each feature declares its actions as one enum (values: the stored codes;
# members: English names; labels: Dutch), e.g. wki/auth/audit_actions.py, and registers it here with
# :func:`register_actions`, and its object types with :func:`register_object_types`. The codes stay in the
# table and the CSV export: they are what people search and filter by.
_ACTION_LABELS: dict[str, str] = {}
_ACTION_ENUMS: list[type[LabelledEnum]] = []
_OBJECT_TYPE_LABELS: dict[str, str] = {}


def register_actions(actions: type[LabelledEnum]) -> type[LabelledEnum]:
    """Add a feature's actions to the vocabulary (again: no change). A code that another enum already
    declares with another label is refused: two features would write one code meaning two things."""
    for member in actions:
        known = _ACTION_LABELS.get(member.value)
        if known is not None and known != member.label:
            raise ValueError(f"audit action {member.value!r} is registered twice, as {known!r} and {member.label!r}")
    for member in actions:
        _ACTION_LABELS[member.value] = member.label
    if actions not in _ACTION_ENUMS:
        _ACTION_ENUMS.append(actions)
    return actions


def register_object_types(labels: dict[str, str]) -> None:
    """Add a feature's object types (``record(..., object_type=...)``) with their Dutch names."""
    for code, label in labels.items():
        known = _OBJECT_TYPE_LABELS.get(code)
        if known is not None and known != label:
            raise ValueError(f"audit object type {code!r} is registered twice, as {known!r} and {label!r}")
        _OBJECT_TYPE_LABELS[code] = label


def registered_actions() -> list[type[LabelledEnum]]:
    """The features' action enums, in the order they were registered."""
    return list(_ACTION_ENUMS)


def action_labels() -> dict[str, str]:
    """Every registered action code with its label."""
    return dict(_ACTION_LABELS)


def object_type_labels() -> dict[str, str]:
    """Every registered object type with its Dutch name."""
    return dict(_OBJECT_TYPE_LABELS)


def action_label(action: str) -> str:
    """The Dutch label of an action code; an unknown code (an old one) shows as itself."""
    return _ACTION_LABELS.get(action, action)


def object_type_label(object_type: str | None) -> str:
    """The Dutch name of an object type; "" for none, an unknown one as itself."""
    if not object_type:
        return ""
    return _OBJECT_TYPE_LABELS.get(object_type, object_type)


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit events are append-only")


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return str(value)


def record(
    action: LabelledEnum | str,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller's commit makes it permanent.

    ``action`` is a member of a feature's registered action enum (its value is stored).

    ``actor`` (wki/core/actors.py) defaults to the logged-in user of the current request; services pass the
    actor they were given (a person, or a process such as ``"cli:root"`` or ``"job:housekeeping"``). Its
    ``user_id`` is stored as ``actor_id``, its ``label`` as ``actor_email``.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = Actor.of(current_user)
    ip = request.remote_addr if has_request_context() else None
    request_id = g.get("request_id") if has_request_context() else None
    evt = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.user_id if actor else None,
        actor_email=actor.label if actor else None,
        action=str(action),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
        ip_address=ip,
        request_id=request_id,
    )
    db.session.add(evt)
    db.session.flush()
    return evt


@dataclass
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _filtered(f: AuditFilter) -> sa.Select:
    stmt = sa.select(AuditEvent)
    if f.actor:
        # Part of an e-mail address, case-insensitive; "_" and "%" are letters here, not wildcards.
        stmt = stmt.where(AuditEvent.actor_email.icontains(f.actor.strip(), autoescape=True))
    if f.action:
        # Exact: the form offers the recorded actions, and a prefix would also match
        # "x.besluit_ingetrokken" when "x.besluit" is chosen.
        stmt = stmt.where(AuditEvent.action == f.action.strip())
    if f.object_type:
        stmt = stmt.where(AuditEvent.object_type == f.object_type.strip())
    if f.object_id:
        stmt = stmt.where(AuditEvent.object_id == f.object_id.strip())
    # Dates are Dutch calendar days: convert the local day's bounds to UTC.
    if f.date_from:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(f.date_from, time(), AMSTERDAM))
    if f.date_to:
        end = datetime.combine(f.date_to + timedelta(days=1), time(), AMSTERDAM)
        stmt = stmt.where(AuditEvent.occurred_at < end)
    return stmt


def search(f: AuditFilter, *, page: int, per_page: int) -> Any:
    stmt = _filtered(f).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def list_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def list_object_types() -> list[str]:
    stmt = sa.select(AuditEvent.object_type).where(AuditEvent.object_type.is_not(None)).distinct()
    return list(db.session.scalars(stmt.order_by(AuditEvent.object_type)))


CSV_COLUMNS = ["id", "tijdstip", "gebruiker", "actie", "objecttype", "object_id", "voor", "na", "ip_adres"]


def iter_csv(f: AuditFilter) -> Iterator[str]:
    """Stream the filtered audit trail as a download for people (``core.downloads``: ``;``, BOM, cells
    that a spreadsheet would run as a formula made text: an object number or e-mail address such as
    "=HYPERLINK(...)" would otherwise become a live link)."""
    stmt = _filtered(f).order_by(AuditEvent.occurred_at, AuditEvent.id).execution_options(yield_per=1000)

    def rows() -> Iterator[list[Any]]:  # a generator: the query starts once the file's first piece is sent
        for evt in db.session.scalars(stmt):
            yield [
                evt.id,
                evt.occurred_at.astimezone(AMSTERDAM).isoformat(timespec="seconds"),
                evt.actor_email or "",
                evt.action,
                evt.object_type or "",
                evt.object_id or "",
                "" if evt.before is None else json.dumps(evt.before, ensure_ascii=False, sort_keys=True),
                "" if evt.after is None else json.dumps(evt.after, ensure_ascii=False, sort_keys=True),
                evt.ip_address or "",
            ]

    yield from downloads.iter_csv(CSV_COLUMNS, rows())


def events_for(object_type: str, object_id: Any, *, limit: int = 50) -> Iterable[AuditEvent]:
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return db.session.scalars(stmt).all()
