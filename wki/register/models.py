"""The mirror of the Justis register: snapshots, versions of registrations, field-level changes, sync runs.

A registration is identified by its ``registratienummer``. Every version the mirror held is a row with
the period ``[valid_from, valid_to)`` in snapshot dates (``valid_to`` empty: the version held now), so
"what did the register say on D" is one indexed range query. Multi-valued fields (trade names, websites,
e-mail addresses, phone numbers, IBANs) are stored as their ``|``-joined text, the format's own
convention: no value can contain ``|``, and storing text keeps a 100,000-row import cheap.

The exempt list (bailiffs and lawyers) is kept the same way in ``exempt_party_version``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type


def split_pipe(value: str | None) -> list[str]:
    return [v for v in (value or "").split("|") if v]


class SnapshotKind(LabelledEnum):
    REGISTER = "register", "Register"
    EXEMPT = "vrijgestelden", "Vrijgestelden"


class SnapshotStatus(LabelledEnum):
    APPLIED = "toegepast", "Toegepast", Style.OK
    QUARANTINED = "quarantaine", "In quarantaine", Style.WARNING
    DISCARDED = "verworpen", "Verworpen", Style.NEUTRAL


class RegistrationStatus(LabelledEnum):
    """``status`` of a registration in the register (register.md)."""

    REGISTERED = "ingeschreven", "Ingeschreven", Style.OK
    STRUCK_OFF = "doorgehaald", "Doorgehaald", Style.ERROR
    EXPIRED = "verlopen", "Verlopen", Style.WARNING


class RegisterSnapshot(Base):
    """One full snapshot file that was applied, or is held in quarantine, or was discarded."""

    __tablename__ = "register_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SnapshotKind] = mapped_column(enum_column_type(SnapshotKind))
    snapshot_date: Mapped[date]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(300))
    source: Mapped[str | None] = mapped_column(sa.String(500))
    file_format: Mapped[str] = mapped_column(sa.String(10), default="csv")
    encoding: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[SnapshotStatus] = mapped_column(enum_column_type(SnapshotStatus), index=True)
    counts: Mapped[dict[str, Any]]
    # For quarantined snapshots: why, and a bounded sample of the diff for the administrator to judge.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    diff: Mapped[dict[str, Any] | None]
    # The file itself, gzipped, kept while quarantined so that approval applies exactly what was held.
    raw_gzip: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(320))
    decided_by: Mapped[str | None] = mapped_column(sa.String(320))
    decided_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_register_snapshot_kind_date", "kind", "snapshot_date"),
                      check_constraint("kind", SnapshotKind), check_constraint("status", SnapshotStatus))

    def __repr__(self) -> str:
        return f"<RegisterSnapshot {self.id} {self.kind} {self.snapshot_date} {self.status}>"


class RegistrationVersion(Base):
    __tablename__ = "registration_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    registratienummer: Mapped[str] = mapped_column(sa.String(40))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    # One index on purpose: each costs on every row of a 100,000-row initial load. Lookups of one
    # registration go by registratienummer (+ period); "current", a KvK number and the searches of the
    # list (LIKE '%…%', which no index serves) scan the table, a few thousand rows in practice.
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("register_snapshot.id"))
    # BLAKE2b (16 bytes) of the row's cells as they came in: an identical row in the next snapshot is
    # unchanged without parsing or validating it again.
    row_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(16))
    naam: Mapped[str] = mapped_column(sa.String(300))
    handelsnamen: Mapped[str] = mapped_column(sa.Text, default="")
    kvk_nummer: Mapped[str] = mapped_column(sa.String(8))
    vestigingsnummer: Mapped[str | None] = mapped_column(sa.String(12))
    straat: Mapped[str | None] = mapped_column(sa.String(200))
    huisnummer: Mapped[str | None] = mapped_column(sa.String(20))
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    plaats: Mapped[str | None] = mapped_column(sa.String(100))
    websites: Mapped[str] = mapped_column(sa.Text, default="")
    emails: Mapped[str] = mapped_column(sa.Text, default="")
    telefoons: Mapped[str] = mapped_column(sa.Text, default="")
    ibans: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RegistrationStatus] = mapped_column(enum_column_type(RegistrationStatus))
    datum_inschrijving: Mapped[date]
    datum_einde: Mapped[date | None]
    geldig_tot: Mapped[date | None]

    __table_args__ = (sa.Index("ix_registration_version_nummer_period", "registratienummer", "valid_from"),
                      check_constraint("status", RegistrationStatus))

    def __repr__(self) -> str:
        return f"<RegistrationVersion {self.registratienummer} [{self.valid_from}, {self.valid_to})>"

    @property
    def trade_names(self) -> list[str]:
        return split_pipe(self.handelsnamen)

    @property
    def website_list(self) -> list[str]:
        return split_pipe(self.websites)

    @property
    def email_list(self) -> list[str]:
        return split_pipe(self.emails)

    @property
    def phone_list(self) -> list[str]:
        return split_pipe(self.telefoons)

    @property
    def iban_list(self) -> list[str]:
        return split_pipe(self.ibans)

    def validity_warning(self, day: date) -> ValidityWarning | None:
        """A registration listed as ingeschreven whose ``geldig_tot`` has passed, or comes within 30 days."""
        if self.status != RegistrationStatus.REGISTERED or self.geldig_tot is None:
            return None
        if self.geldig_tot < day:
            return ValidityWarning.LAPSED
        if (self.geldig_tot - day).days <= EXPIRING_WITHIN_DAYS:
            return ValidityWarning.EXPIRING
        return None

    def is_valid_on(self, day: date) -> bool:
        """register.md: valid on D when datum_inschrijving <= D and (no datum_einde or D < datum_einde)."""
        return self.datum_inschrijving <= day and (self.datum_einde is None or day < self.datum_einde)


class ChangeKind(LabelledEnum):
    NEW = "nieuw", "Nieuw"
    CHANGED = "gewijzigd", "Gewijzigd"
    LEFT = "verdwenen", "Verdwenen"
    RETURNED = "teruggekeerd", "Teruggekeerd"


class ValidityWarning(LabelledEnum):
    """Beside a registration's "geldig tot": its validity ran out, or is about to, without a renewal."""

    LAPSED = "verstreken", "Verstreken", Style.ERROR
    EXPIRING = "verloopt", "Binnen 30 dagen", Style.WARNING


EXPIRING_WITHIN_DAYS = 30


class Validity(LabelledEnum):
    """Whether a registration is valid on a day (register.md), as the registration's page says it."""

    VALID = "geldig", "Geldig", Style.OK
    NOT_VALID = "ongeldig", "Niet geldig", Style.ERROR


class RegisterChange(Base):
    """One line of a registration's timeline: it appeared, a field changed, it left, or it came back."""

    __tablename__ = "register_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    registratienummer: Mapped[str] = mapped_column(sa.String(40), index=True)
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("register_snapshot.id"), index=True)
    snapshot_date: Mapped[date]
    kind: Mapped[ChangeKind] = mapped_column(enum_column_type(ChangeKind))
    field: Mapped[str | None] = mapped_column(sa.String(40))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (check_constraint("kind", ChangeKind),)

    def __repr__(self) -> str:
        return f"<RegisterChange {self.registratienummer} {self.kind} {self.field or ''}>"


class ExemptPartyVersion(Base):
    """A bailiff's or lawyer's office on the exempt list, with the period the mirror held it."""

    __tablename__ = "exempt_party_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    # beroep, KvK number and normalised name together: an office is its profession, number and name.
    party_key: Mapped[str] = mapped_column(sa.String(400))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("register_snapshot.id"), index=True)
    row_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(16))
    naam: Mapped[str] = mapped_column(sa.String(300))
    kvk_nummer: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    beroep: Mapped[str] = mapped_column(sa.String(30))
    plaats: Mapped[str | None] = mapped_column(sa.String(100))
    websites: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        sa.Index("ix_exempt_party_version_key_period", "party_key", "valid_from"),
        sa.Index("ix_exempt_party_version_current", "valid_to", "party_key"),
    )

    def __repr__(self) -> str:
        return f"<ExemptPartyVersion {self.party_key} [{self.valid_from}, {self.valid_to})>"

    @property
    def website_list(self) -> list[str]:
        return split_pipe(self.websites)


class SyncOutcome(LabelledEnum):
    APPLIED = "toegepast", "Toegepast", Style.OK  # a new snapshot was applied
    IDENTICAL = "ongewijzigd", "Ongewijzigd", Style.OK  # the same file as the last one: nothing to do
    NOT_MODIFIED = "niet_gewijzigd", "Niet gewijzigd bij de bron", Style.OK  # the source answered 304 Not Modified
    QUARANTINED = "quarantaine", "In quarantaine", Style.WARNING  # held for an administrator
    REJECTED = "afgewezen", "Afgewezen", Style.ERROR  # the file had bad rows, or was older than the mirror
    FAILED = "mislukt", "Mislukt", Style.ERROR  # the source could not be read


# The outcomes after which the mirror holds what the source says.
SYNC_SUCCESS = frozenset({SyncOutcome.APPLIED, SyncOutcome.IDENTICAL, SyncOutcome.NOT_MODIFIED})


class SyncTrigger(LabelledEnum):
    SCHEDULE = "schema", "Volgens schema"
    MANUAL = "handmatig", "Handmatig"
    IMPORT = "import", "Ingelezen bestand"


class RegisterSyncRun(Base):
    """Every import and sync: by hand or on schedule, from which source, with what result."""

    __tablename__ = "register_sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SnapshotKind] = mapped_column(enum_column_type(SnapshotKind), default=SnapshotKind.REGISTER)
    trigger: Mapped[SyncTrigger] = mapped_column(enum_column_type(SyncTrigger))
    source: Mapped[str] = mapped_column(sa.String(500))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[SyncOutcome] = mapped_column(enum_column_type(SyncOutcome), index=True)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    counts: Mapped[dict[str, Any] | None]
    message: Mapped[str | None] = mapped_column(sa.Text)
    errors: Mapped[dict[str, Any] | None]  # {"rows": [...first row errors...], "total": n}
    etag: Mapped[str | None] = mapped_column(sa.String(300))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    snapshot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_snapshot.id"))
    actor_email: Mapped[str | None] = mapped_column(sa.String(320))

    __table_args__ = (check_constraint("kind", SnapshotKind), check_constraint("trigger", SyncTrigger),
                      check_constraint("outcome", SyncOutcome))

    def __repr__(self) -> str:
        return f"<RegisterSyncRun {self.id} {self.source} {self.outcome}>"

    @property
    def succeeded(self) -> bool:
        return self.outcome in SYNC_SUCCESS
