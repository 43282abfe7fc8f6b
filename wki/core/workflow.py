"""Workflow, four-eyes approval and optimistic locking: what inspections need and enforcement reuses.

**Statuses and steps.** A status is a :class:`~wki.core.status.LabelledEnum`; a :class:`Workflow` declares
in one place every step allowed from each status (with the Dutch verb people click). ``transition`` is the
one function that changes a status: it refuses any other step with a Dutch message that names the steps
that are possible, writing nothing, and records the step in the audit trail in the caller's transaction.
Conditions beyond the step itself (a complete checklist, a valid approval) belong to the feature's service,
which checks them before it calls ``transition``.

**Four eyes.** An :class:`Approval` names the approver (a person, never one of the authors) and the exact
content approved: the SHA-256 of a canonical form of it (:func:`content_hash`: JSON with sorted keys, so the
same content always hashes the same), or of a PDF's bytes. It counts only while the content still hashes the
same (:func:`valid_approval`), and a service that changes the content voids it at once
(:func:`void_approvals`), so the record shows when and why it lapsed. One active approval per object: a
partial unique index refuses a second one, also from a concurrent transaction.

**Optimistic locking.** Everything two people may edit at once carries a ``version`` column, mapped as
SQLAlchemy's ``version_id_col``: every UPDATE says ``WHERE version = <the version read>``. A form carries
the version it showed; :func:`check_version` refuses a save based on an older one, and a save that races
past that check loses at the UPDATE (:func:`flush_versioned` turns SQLAlchemy's StaleDataError into the
same Dutch refusal). The second save never silently overwrites the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.errors import ServiceError, StateTransitionError
from wki.core.extensions import db
from wki.core.service import service
from wki.core.status import LabelledEnum

S = TypeVar("S", bound=LabelledEnum)


# --- statuses and steps -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step(Generic[S]):
    source: S
    target: S
    label: str  # the Dutch verb on the button: "Ter review aanbieden"


class Workflow(Generic[S]):
    """The allowed steps between the statuses of one kind of object, and the one function that takes them."""

    def __init__(self, *, what: str, object_type: str, action: LabelledEnum, steps: Iterable[Step[S]]) -> None:
        self.what = what  # Dutch, with article: "de inspectie"
        self.object_type = object_type
        self.action = action
        self.steps: dict[tuple[S, S], Step[S]] = {}
        for step in steps:
            if step.source == step.target or (step.source, step.target) in self.steps:
                raise ValueError(f"step {step.source} -> {step.target} declared twice or onto itself")
            self.steps[(step.source, step.target)] = step

    def allowed_from(self, current: S) -> list[Step[S]]:
        return [step for (source, _), step in self.steps.items() if source == current]

    def step(self, current: S, target: S) -> Step[S]:
        """The declared step from ``current`` to ``target``; StateTransitionError (Dutch) for any other."""
        found = self.steps.get((current, target))
        if found is not None:
            return found
        possible = self.allowed_from(current)
        tail = ("Mogelijk is nu: " + ", ".join(f"‘{s.label}’ (naar ‘{s.target.label}’)" for s in possible) + "."
                if possible else "Vanuit deze status is geen stap meer mogelijk.")
        raise StateTransitionError(
            f"Dat kan niet: {self.what} heeft de status ‘{current.label}’ en kan niet naar "
            f"‘{target.label}’. {tail} Er is niets gewijzigd.")

    def transition(self, obj: Any, target: S, *, actor: Actor, reason: str | None = None,
                   details: Mapping[str, Any] | None = None) -> Step[S]:
        """Move ``obj.status`` to ``target`` along a declared step, audited; refuses any other step."""
        current = obj.status
        step = self.step(current, target)
        with flush_versioned(self.what):  # a versioned object: a concurrent step won, this one is refused
            obj.status = target
        after: dict[str, Any] = {"status": target.value, **(details or {})}
        if reason:
            after["reden"] = reason
        audit.record(self.action, object_type=self.object_type, object_id=obj.id,
                     before={"status": current.value}, after=after, actor=actor)
        return step


# --- four-eyes approval ---------------------------------------------------------------------------------------

def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        raise TypeError("floats have no canonical form here: use Decimal or str")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1.50 and 1.5 are one amount; never "1E+1"
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def canonical_json(content: Any) -> str:
    """The one text form of ``content`` that is hashed: sorted keys, no spaces, dates in ISO, Decimal as text."""
    return json.dumps(_canonical(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: Any) -> str:
    """SHA-256 (hex) of the canonical form of ``content``; for bytes (a PDF), of the bytes themselves."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        return hashlib.sha256(content).hexdigest()
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


class Approval(Base):
    """One person's approval of one version of an object's content; void once that content changes."""

    __tablename__ = "approval"
    __table_args__ = (
        sa.Index("ix_approval_object", "object_type", "object_id"),
        # At most one active approval per object.
        sa.Index("uq_approval_active", "object_type", "object_id", unique=True,
                 postgresql_where=sa.text("voided_at IS NULL"), sqlite_where=sa.text("voided_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[str] = mapped_column(sa.String(80))
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    approver_id: Mapped[int]
    approver_label: Mapped[str] = mapped_column(sa.String(320))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f"<Approval {self.object_type}:{self.object_id} by {self.approver_label}>"


def active_approval(object_type: str, object_id: Any) -> Approval | None:
    return db.session.scalar(sa.select(Approval).where(
        Approval.object_type == object_type, Approval.object_id == str(object_id), Approval.voided_at.is_(None)))


def valid_approval(object_type: str, object_id: Any, content_sha256: str) -> Approval | None:
    """The active approval of exactly this content, or None (none given, voided, or the content changed)."""
    approval = active_approval(object_type, object_id)
    return approval if approval is not None and approval.content_sha256 == content_sha256 else None


@service
def approve(*, object_type: str, object_id: Any, content_sha256: str, authors: Iterable[int | None],
            actor: Actor, action: LabelledEnum, what: str) -> Approval:
    """Record ``actor``'s approval of this content. Refused for anyone who is not a person, for an author
    (``authors``: the accounts that wrote or changed the content), and when an approval is already active."""
    if actor.user_id is None:
        raise ServiceError(f"Alleen een persoon met een account kan {what} goedkeuren.")
    if actor.user_id in {a for a in authors if a is not None}:
        raise ServiceError(f"U kunt {what} niet zelf goedkeuren: u heeft eraan meegewerkt. "
                           "Een collega die er niet aan werkte, moet dat doen (vier ogen).")
    if active_approval(object_type, object_id) is not None:
        raise ServiceError(f"{what[:1].upper()}{what[1:]} is al goedgekeurd.")
    approval = Approval(object_type=object_type, object_id=str(object_id), content_sha256=content_sha256,
                        approver_id=actor.user_id, approver_label=actor.label, approved_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(approval)
            db.session.flush()
    except IntegrityError:
        raise ServiceError(f"{what[:1].upper()}{what[1:]} is zojuist door iemand anders goedgekeurd.") from None
    audit.record(action, object_type=object_type, object_id=object_id,
                 after={"goedgekeurd_door": actor.label, "inhoud_sha256": content_sha256}, actor=actor)
    return approval


@service
def void_approvals(object_type: str, object_id: Any, *, reason: str, actor: Actor,
                   action: LabelledEnum | None = None) -> int:
    """Void the active approval of an object (its content changed, or it went back); returns how many."""
    approval = active_approval(object_type, object_id)
    if approval is None:
        return 0
    approval.voided_at = utcnow()
    approval.void_reason = reason
    db.session.flush()
    if action is not None:
        audit.record(action, object_type=object_type, object_id=object_id,
                     before={"goedgekeurd_door": approval.approver_label, "inhoud_sha256": approval.content_sha256},
                     after={"reden": reason}, actor=actor)
    return 1


# --- optimistic locking -------------------------------------------------------------------------------------

class ConcurrentEditError(ServiceError):
    pass


def _stale_message(what: str) -> str:
    return (f"{what[:1].upper()}{what[1:]} is intussen door iemand anders gewijzigd. Uw wijziging is niet "
            "opgeslagen: laad de pagina opnieuw, bekijk de nieuwe stand en breng uw wijziging dan opnieuw aan.")


def check_version(obj: Any, expected: int | None, *, what: str) -> None:
    """Refuse a save based on version ``expected`` when the object is at another version by now."""
    if expected is None or int(expected) != obj.version:
        raise ConcurrentEditError(_stale_message(what))


@contextmanager
def flush_versioned(what: str) -> Iterator[None]:
    """Flush at the end of the block; a concurrent update that won the race refuses this one, in Dutch."""
    try:
        yield
        db.session.flush()
    except StaleDataError:
        raise ConcurrentEditError(_stale_message(what)) from None
