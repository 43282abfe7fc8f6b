"""Letter types, the texts staff write for them (every save a version, published by a second person),
issued documents (immutable, by kenmerk, their PDF in the content store) and mass mailings with one row per
recipient (claimed by workers, one document each).

Nothing here refers to another feature's tables: a document names its party by registratienummer or
suspect id as plain values (documents sit below register and signals, DESIGN.md "Features and core").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type


class Audience(LabelledEnum):
    """Who a letter type is written to; decides which fields its text may use (lettertypes.py)."""

    REGISTRATION = "registratie", "Geregistreerde incassodienstverlener"
    SUSPECT = "overtreder", "Mogelijke overtreder (niet geregistreerd)"
    ADDRESS = "adres", "Adressenlijst (CSV)"


class TextStatus(LabelledEnum):
    DRAFT = "concept", "Concept", Style.NEUTRAL
    PUBLISHED = "gepubliceerd", "Gepubliceerd", Style.OK
    SUPERSEDED = "vervangen", "Vervangen", Style.INFO


class MailingStatus(LabelledEnum):
    DRAFT = "concept", "Wacht op goedkeuring", Style.WARNING
    APPROVED = "goedgekeurd", "Goedgekeurd", Style.INFO
    RUNNING = "bezig", "Bezig", Style.INFO
    DONE = "klaar", "Klaar", Style.OK
    DONE_WITH_FAILURES = "klaar_met_fouten", "Klaar, met mislukte ontvangers", Style.ERROR
    CANCELLED = "geannuleerd", "Geannuleerd", Style.NEUTRAL


class DeliveryStatus(LabelledEnum):
    PENDING = "wachtend", "Wacht", Style.NEUTRAL
    RENDERED = "gemaakt", "Brief gemaakt (post)", Style.OK
    SENDING = "verzenden", "Wordt per e-mail verzonden", Style.INFO
    SENT = "verzonden", "Per e-mail verzonden", Style.OK
    FAILED = "mislukt", "Mislukt", Style.ERROR
    NO_ADDRESS = "geen_adres", "Geen bruikbaar adres", Style.WARNING


class RecipientSource(LabelledEnum):
    REGISTER = "register", "Register"
    SUSPECTS = "overtreders", "Mogelijke overtreders"
    CSV = "csv", "CSV-bestand"


class LetterType(Base):
    """A kind of letter: its slug (stable, used by the command line and by features that issue it), title,
    the roles that may use it, the audience (which data it receives), the extra fields a mailing fills in
    once for all recipients, and the blocks features provide (a fine calculation, a checklist)."""

    __tablename__ = "letter_type"
    __table_args__ = (check_constraint("audience", Audience),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[Audience] = mapped_column(enum_column_type(Audience))
    roles: Mapped[list[str]] = mapped_column(default=list)
    # name -> Dutch label: values given once per mailing or document (a deadline, the period asked for)
    extra_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    blocks: Mapped[list[str]] = mapped_column(default=list)
    # Issued one at a time by a feature (a decision), not in mass mailings.
    mailable: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LetterType {self.slug}>"


class LetterText(Base):
    """One version of a letter type's text: saved, never changed; published by someone else than its
    author; the previous published version is then superseded (and stays readable)."""

    __tablename__ = "letter_text"
    __table_args__ = (
        sa.UniqueConstraint("letter_type_id", "number"),
        # At most one published version per letter type, whatever two publishers do at once.
        sa.Index("uq_letter_text_published", "letter_type_id", unique=True,
                 sqlite_where=sa.text("status = 'gepubliceerd'"), postgresql_where=sa.text("status = 'gepubliceerd'")),
        check_constraint("status", TextStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_type_id: Mapped[int] = mapped_column(sa.ForeignKey("letter_type.id"), index=True)
    number: Mapped[int]
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letter_text.id"))
    status: Mapped[TextStatus] = mapped_column(enum_column_type(TextStatus), default=TextStatus.DRAFT)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_by_user_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(sa.String(320))
    published_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<LetterText {self.letter_type_id} v{self.number} {self.status}>"


class Document(Base):
    """An issued document: its kenmerk, the PDF's SHA-256 (the bytes are in the content store), the text
    version and the data it was rendered from, who issued it and when. Never changed: a correction is a
    new document that supersedes this one (``supersedes_id`` on the new one)."""

    __tablename__ = "document"
    __table_args__ = (sa.UniqueConstraint("year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kenmerk: Mapped[str] = mapped_column(sa.String(40), unique=True)
    year: Mapped[int]
    number: Mapped[int]
    letter_type_slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    letter_text_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letter_text.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    subject: Mapped[str] = mapped_column(sa.String(300))
    recipient_name: Mapped[str] = mapped_column(sa.String(300))
    registratienummer: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    suspect_id: Mapped[int | None] = mapped_column(index=True)
    data: Mapped[dict[str, Any]]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int]
    pages: Mapped[int]
    issued_by: Mapped[str] = mapped_column(sa.String(320))
    issued_by_user_id: Mapped[int | None]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    document_date: Mapped[date]
    # A document is superseded at most once: the correction chain is a line, never a tree.
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(sa.Text)
    mailing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mailing.id"), index=True)
    # One document per mailing recipient, whatever two workers do (the database says no to a second).
    mailing_recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mailing_recipient.id"), unique=True)

    def __repr__(self) -> str:
        return f"<Document {self.kenmerk}>"


@event.listens_for(Document, "before_update")
def _documents_are_never_changed(mapper: Any, connection: Any, target: Document) -> None:
    raise ValueError(f"issued document {target.kenmerk} cannot be changed; issue a correction that supersedes it")


class Mailing(Base):
    """A mass mailing: one letter text to recipients chosen once, at creation (their data frozen with
    them), approved by a second person, run once by the worker(s)."""

    __tablename__ = "mailing"
    __table_args__ = (check_constraint("status", MailingStatus), check_constraint("source", RecipientSource))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    letter_type_id: Mapped[int] = mapped_column(sa.ForeignKey("letter_type.id"), index=True)
    letter_text_id: Mapped[int] = mapped_column(sa.ForeignKey("letter_text.id"))
    source: Mapped[RecipientSource] = mapped_column(enum_column_type(RecipientSource))
    criteria: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extra_values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    document_date: Mapped[date]
    send_email: Mapped[bool] = mapped_column(default=False)
    status: Mapped[MailingStatus] = mapped_column(enum_column_type(MailingStatus), default=MailingStatus.DRAFT,
                                                  index=True)
    recipient_count: Mapped[int] = mapped_column(default=0)
    unreachable_count: Mapped[int] = mapped_column(default=0)
    # SHA-256 of the recipients and the text as approved: shown on the page, and checked at the start.
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    # The create form's one-time key: the same form sent twice (a double click, a refresh after the POST)
    # finds the mailing the first one made instead of making a second.
    request_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_by_user_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    approved_by: Mapped[str | None] = mapped_column(sa.String(320))
    approved_by_user_id: Mapped[int | None]
    approved_at: Mapped[datetime | None]
    started_by: Mapped[str | None] = mapped_column(sa.String(320))
    started_by_user_id: Mapped[int | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.status}>"


class MailingRecipient(Base):
    """One recipient of a mailing, with the data its letter is rendered from (frozen at creation), its
    kenmerk (reserved when a worker claims it, kept through retries), its document and its delivery."""

    __tablename__ = "mailing_recipient"
    __table_args__ = (
        sa.UniqueConstraint("mailing_id", "recipient_key"),
        sa.Index("ix_mailing_recipient_mailing_status", "mailing_id", "status", "position"),
        check_constraint("status", DeliveryStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(sa.ForeignKey("mailing.id"))
    position: Mapped[int]
    recipient_key: Mapped[str] = mapped_column(sa.String(200))
    name: Mapped[str] = mapped_column(sa.String(300))
    registratienummer: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    suspect_id: Mapped[int | None]
    address_lines: Mapped[list[str]] = mapped_column(default=list)
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    data: Mapped[dict[str, Any]]
    by_post: Mapped[bool] = mapped_column(default=True)
    by_email: Mapped[bool] = mapped_column(default=False)
    status: Mapped[DeliveryStatus] = mapped_column(enum_column_type(DeliveryStatus), default=DeliveryStatus.PENDING)
    kenmerk: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document.id", use_alter=True,
                                                                  name="fk_mailing_recipient_document_id_document"))
    claimed_by: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    rendered_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<MailingRecipient {self.mailing_id}/{self.recipient_key} {self.status}>"
