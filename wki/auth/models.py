"""Accounts: users, their roles, second-factor recovery codes, failed log-ins and one-time secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wki.core.auth import Role
from wki.core.db import Base, TimestampMixin
from wki.core.status import LabelledEnum, Style


class AccountState(LabelledEnum):
    """An account as Beheer shows it (not stored: from ``active`` and the lock)."""

    ACTIVE = "actief", "Actief", Style.OK
    DEACTIVATED = "gedeactiveerd", "Gedeactiveerd", Style.NEUTRAL
    LOCKED = "geblokkeerd", "Geblokkeerd", Style.ERROR


class User(TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_counter: Mapped[int | None] = mapped_column(sa.BigInteger)
    locked_until: Mapped[datetime | None]
    # Bumped whenever existing sessions must end (password change or reset, deactivation, roles).
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    def account_state(self, locked: bool) -> AccountState:
        """Deactivated before locked: a deactivated account cannot log in, locked or not."""
        if not self.active:
            return AccountState.DEACTIVATED
        return AccountState.LOCKED if locked else AccountState.ACTIVE

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")

    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('inspecteur', 'voorlichting', 'handhaver', 'beheerder')", name="valid_role"
        ),
    )


class RecoveryCode(Base):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]
    user: Mapped[User] = relationship(back_populates="recovery_codes")


class LoginFailure(Base):
    """A failed log-in, kept for a while to throttle by account and by address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), index=True)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)


class OneTimeSecret(Base):
    """A value its owner sees once (temporary password, set-up secret, recovery codes, partner token).

    Kept here rather than in the session: the session cookie is signed, not encrypted, so anyone who
    holds it can read it. The session carries only ``key``; the row answers only its owner, expires
    after a few minutes and is deleted when shown.
    """

    __tablename__ = "one_time_secret"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(40))
    # What the value belongs to, when not the owner (the user whose password an administrator reset).
    subject_id: Mapped[int | None]
    value: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
