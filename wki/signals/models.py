"""Signals (reports about collectors), their verdicts against the register, and suspected unregistered
collectors (suspects; shown as "mogelijke overtreders").

A signal keeps what was reported exactly as written (``*_raw`` columns, the ``naam_incassant``) beside
the normalised identifiers that matching uses. The automatic verdict (``auto_*``) is rewritten by every
matching run; a person's decision (``decided_*``) is stored apart and always wins, so re-matching can
never overwrite it. ``register_state`` records which applied snapshots the automatic verdict was based
on: when the mirror moves on, the signal is stale and the re-matching job judges it again.

Suspects are recomputed from the signals judged ``niet_geregistreerd`` whenever matching runs; people's
merges and splits are kept as constraints between signals (``SuspectLink``) and re-applied every time,
so they survive re-matching. A suspect keeps its id across regroupings (the id its signals mostly had).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type

MONEY = sa.Numeric(14, 2)




class Source(LabelledEnum):
    """``bron`` (signalen.md): who reported."""

    CONSUMER = "consument", "Consument"
    DEBT_COUNSELLOR = "schuldhulpverlener", "Schuldhulpverlener"
    MUNICIPALITY = "gemeente", "Gemeente"
    SUPERVISOR = "toezichthouder", "Andere toezichthouder"
    KVK = "kvk", "KvK-uittreksel"
    ANONYMOUS = "anoniem", "Anoniem"
    OTHER = "overig", "Overig"




class Verdict(LabelledEnum):
    REGISTERED = "geregistreerd", "Geregistreerd", Style.OK
    NOT_VALID = "registratie_niet_geldig", "Registratie niet geldig", Style.ERROR
    EXEMPT = "vrijgesteld", "Vrijgesteld", Style.INFO
    UNREGISTERED = "niet_geregistreerd", "Niet geregistreerd", Style.ERROR
    UNCERTAIN = "onzeker", "Onzeker", Style.WARNING


# The verdicts that name a registration (the signal is about a registered agency, valid or not).
VERDICTS_WITH_REGISTRATION = frozenset({Verdict.REGISTERED, Verdict.NOT_VALID})


class Channel(LabelledEnum):
    FORM = "formulier", "Formulier"
    FILE = "bestand", "Bestand"
    API = "api", "Koppeling (API)"




class SignalStatus(LabelledEnum):
    OPEN = "open", "Open", Style.INFO
    CLOSED = "afgehandeld", "Afgehandeld", Style.NEUTRAL




class Signal(Base):
    __tablename__ = "signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    bron: Mapped[Source] = mapped_column(enum_column_type(Source, 30))
    referentie: Mapped[str] = mapped_column(sa.String(100))
    ontvangen_op: Mapped[date]
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel))
    status: Mapped[SignalStatus] = mapped_column(enum_column_type(SignalStatus), default=SignalStatus.OPEN)

    # As reported.
    naam_incassant: Mapped[str | None] = mapped_column(sa.String(300))
    kvk_raw: Mapped[str | None] = mapped_column(sa.String(100))
    iban_raw: Mapped[str | None] = mapped_column(sa.String(100))
    website_raw: Mapped[str | None] = mapped_column(sa.String(500))
    email_raw: Mapped[str | None] = mapped_column(sa.String(320))
    telefoon_raw: Mapped[str | None] = mapped_column(sa.String(100))
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    plaats: Mapped[str | None] = mapped_column(sa.String(100))
    datum_brief: Mapped[date | None]
    # The time of the collector's contact, when the signal records it (a call, an e-mail's send time):
    # Bki art. 4.2 forbids contact between 20:00 and 07:00 (supervision's automatic check reads it).
    tijdstip_contact: Mapped[time | None]
    hoofdsom: Mapped[Decimal | None] = mapped_column(MONEY)
    incassokosten: Mapped[Decimal | None] = mapped_column(MONEY)
    omschrijving: Mapped[str | None] = mapped_column(sa.Text)

    # Normalised (wki/signals/normalise.py); None when absent or unusable.
    reference_date: Mapped[date] = mapped_column(index=True)
    name_key: Mapped[str] = mapped_column(sa.String(300), default="")
    kvk: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    vestiging: Mapped[str | None] = mapped_column(sa.String(12))  # a vestigingsnummer written as the KvK number
    iban: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    iban_valid: Mapped[bool | None]
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    domain: Mapped[str | None] = mapped_column(sa.String(253))
    email_domain: Mapped[str | None] = mapped_column(sa.String(253))
    vulnerable: Mapped[bool] = mapped_column(default=False)
    bik_maximum: Mapped[Decimal | None] = mapped_column(MONEY)
    bik_excess: Mapped[Decimal | None] = mapped_column(MONEY)

    # The automatic verdict, rewritten by every matching run.
    auto_verdict: Mapped[Verdict | None] = mapped_column(enum_column_type(Verdict, 30))
    auto_registratienummer: Mapped[str | None] = mapped_column(sa.String(40))
    auto_exempt_name: Mapped[str | None] = mapped_column(sa.String(300))
    score: Mapped[int | None]
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    clone_of: Mapped[str | None] = mapped_column(sa.String(40))
    # The parties the matcher weighed, best first (see ``matching.Candidate.as_dict``): shown beside the
    # signal so that a person can decide a doubtful verdict.
    candidates: Mapped[list[dict[str, Any]] | None] = mapped_column(
        sa.JSON().with_variant(postgresql.JSONB(), "postgresql"))
    matched_at: Mapped[datetime | None]
    register_state: Mapped[str | None] = mapped_column(sa.String(64))

    # A person's decision: wins over the automatic verdict, never touched by re-matching.
    decided_verdict: Mapped[Verdict | None] = mapped_column(enum_column_type(Verdict, 30))
    decided_registratienummer: Mapped[str | None] = mapped_column(sa.String(40))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by: Mapped[str | None] = mapped_column(sa.String(320))
    decided_at: Mapped[datetime | None]

    suspect_id: Mapped[int | None] = mapped_column(sa.ForeignKey("suspect.id"), index=True)
    attachment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("signal_attachment.id"))
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("signal_import.id"), index=True)
    partner_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partner_token.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(320))
    # When it was last closed (set whenever ``status`` becomes closed, cleared when it is reopened): the start
    # of its retention period; and when the retention job or an erasure removed its personal data
    # (wki/signals/services.py, ``pseudonymise_signals``).
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    pseudonymised_at: Mapped[datetime | None]

    attachment: Mapped[SignalAttachment | None] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("bron", "referentie", name="uq_signal_bron_referentie"),
        sa.Index("ix_signal_verdict", "decided_verdict", "auto_verdict"),
        sa.Index("ix_signal_registration", "auto_registratienummer"),
        # The list's default order (newest received first) without sorting the whole table.
        sa.Index("ix_signal_ontvangen_op_id", "ontvangen_op", "id"),
        sa.Index("ix_signal_decided_registration", "decided_registratienummer"),
        # The last matching and decision (the cheap fingerprint of cached counts), and the identifiers the
        # search compares by equality (migration 0020; the trigram indexes for contains-searches are there too).
        sa.Index("ix_signal_matched_at", "matched_at"),
        sa.Index("ix_signal_decided_at", "decided_at"),
        sa.Index("ix_signal_domain", "domain"),
        sa.Index("ix_signal_email_domain", "email_domain"),
        sa.Index("ix_signal_phone", "phone"),
        check_constraint("bron", Source), check_constraint("channel", Channel),
        check_constraint("status", SignalStatus), check_constraint("auto_verdict", Verdict),
        check_constraint("decided_verdict", Verdict),
    )

    def __repr__(self) -> str:
        return f"<Signal {self.id} {self.bron}/{self.referentie} {self.verdict}>"

    @property
    def verdict(self) -> Verdict | None:
        return self.decided_verdict or self.auto_verdict

    @property
    def registratienummer(self) -> str | None:
        if self.decided_verdict:
            return self.decided_registratienummer
        return self.auto_registratienummer

    @property
    def decided(self) -> bool:
        return self.decided_verdict is not None

    @property
    def bik_exceeded(self) -> bool:
        return self.bik_excess is not None and self.bik_excess > 0

    @property
    def explanation_lines(self) -> list[str]:
        return [line for line in (self.explanation or "").split("\n") if line]


@sa.event.listens_for(Signal.status, "set")
def _closed_at(signal: Signal, value: Any, old: Any, initiator: Any) -> None:
    """Every way a signal is closed or reopened goes through its ``status``: the retention period starts here."""
    if value == SignalStatus.CLOSED and old != SignalStatus.CLOSED:
        signal.closed_at = utcnow()
    elif value != SignalStatus.CLOSED:
        signal.closed_at = None


class SignalAttachment(Base):
    """The collector's letter as a PDF or image; the bytes live content-addressed on disk."""

    __tablename__ = "signal_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(60))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(320))


class SignalImport(Base):
    """One bulk file: who, which file, the per-row report."""

    __tablename__ = "signal_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(300))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    encoding: Mapped[str | None] = mapped_column(sa.String(40))
    counts: Mapped[dict[str, Any]]
    report: Mapped[dict[str, Any] | None]  # {"ongeldig": [...row errors...], "dubbel": [...], "onbekende_kolommen": [...]}
    # The skipped rows as a CSV (with their errors), for download beside the report.
    rejects_csv: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(320))


class SuspectStatus(LabelledEnum):
    ACTIVE = "actief", "Actief", Style.INFO
    EMPTY = "opgeheven", "Opgeheven", Style.NEUTRAL  # no signals left: merged into another, or found registered




class Suspect(Base):
    """A suspected unregistered collector: a group of ``niet_geregistreerd`` signals, with its summary."""

    __tablename__ = "suspect"
    __table_args__ = (check_constraint("status", SuspectStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[SuspectStatus] = mapped_column(enum_column_type(SuspectStatus), default=SuspectStatus.ACTIVE,
                                                  index=True)
    display_name: Mapped[str] = mapped_column(sa.String(300), default="")
    # {"namen": [...], "kvk": [...], "iban": [...], "domein": [...], "telefoon": [...], "email_domein": [...]}
    identifiers: Mapped[dict[str, Any]]
    signal_count: Mapped[int] = mapped_column(default=0)
    source_count: Mapped[int] = mapped_column(default=0)
    first_seen: Mapped[date | None]
    last_seen: Mapped[date | None]
    total_principal: Mapped[Decimal | None] = mapped_column(MONEY)
    total_costs: Mapped[Decimal | None] = mapped_column(MONEY)
    bik_exceeded_count: Mapped[int] = mapped_column(default=0)
    vulnerable_count: Mapped[int] = mapped_column(default=0)
    clone_of: Mapped[str | None] = mapped_column(sa.String(40))
    priority: Mapped[int] = mapped_column(default=0, index=True)
    # When its signals went to another suspect (a merge, or a regrouping): that suspect, for its page.
    successor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("suspect.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Suspect {self.id} {self.display_name!r} {self.signal_count}>"

    @property
    def names(self) -> list[str]:
        return list((self.identifiers or {}).get("namen", []))


class LinkKind(LabelledEnum):
    TOGETHER = "samen", "Samengevoegd"  # a merge: these signals are about one collector
    APART = "apart", "Gesplitst"  # a split: these signals are about different collectors




class SuspectLink(Base):
    """A person's decision about the grouping, between two signals; re-applied at every regrouping,
    the newest first, so that a later decision wins over an earlier one that contradicts it."""

    __tablename__ = "suspect_link"
    __table_args__ = (check_constraint("kind", LinkKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column_type(LinkKind, 10))
    signal_a_id: Mapped[int] = mapped_column(sa.ForeignKey("signal.id"), index=True)
    signal_b_id: Mapped[int] = mapped_column(sa.ForeignKey("signal.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(320))


class TokenState(LabelledEnum):
    """A partner token as Beheer shows it (not stored: revoked or not)."""

    ACTIVE = "actief", "Actief", Style.OK
    REVOKED = "ingetrokken", "Ingetrokken", Style.NEUTRAL


class PartnerToken(Base):
    """A partner's key to the signals API. Only the SHA-256 of the token is stored; the token itself is
    shown once, when an administrator issues it."""

    __tablename__ = "partner_token"
    __table_args__ = (check_constraint("bron", Source),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(sa.String(200))
    bron: Mapped[Source] = mapped_column(enum_column_type(Source, 30))  # the default source of the partner's signals
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown in lists, to recognise a token
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(320))
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(sa.String(320))
    last_used_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def state(self) -> TokenState:
        return TokenState.ACTIVE if self.active else TokenState.REVOKED
