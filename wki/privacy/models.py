"""What the privacy feature records: every retention run (counts per kind of record and the ids kept with
their duty: never personal data) and every request for access or erasure (art. 15/17 AVG) with its counts,
its reference and a keyed hash of the search terms (never the terms themselves)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.status import LabelledEnum, check_constraint, enum_column_type


class RequestKind(LabelledEnum):
    ACCESS = "inzage", "Inzage (art. 15 AVG)"
    ERASURE = "wissing", "Wissing (art. 17 AVG)"


class RetentionRun(Base):
    __tablename__ = "retention_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    actor: Mapped[str] = mapped_column(sa.String(320))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # kind -> how many records were pseudonymised
    kept: Mapped[dict[str, Any]] = mapped_column(default=dict)  # duty -> ids kept although their period ended


class PrivacyRequest(Base):
    __tablename__ = "privacy_request"
    __table_args__ = (check_constraint("kind", RequestKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column_type(RequestKind))
    reference: Mapped[str] = mapped_column(sa.String(100))  # the request's own kenmerk (letter, e-mail)
    terms_hash: Mapped[str] = mapped_column(sa.String(64))  # HMAC of the search terms: the same person again
    reason: Mapped[str | None] = mapped_column(sa.Text)  # an erasure's reason
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kept: Mapped[dict[str, Any]] = mapped_column(default=dict)
    handled_by: Mapped[str] = mapped_column(sa.String(320))
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
