"""Enforcement cases (handhavingszaken): the party they are about, the provisions breached, the evidence
linked to them (findings, signals, register extracts, documents: references, never copies), every step of
the procedure in a timeline, the statutory deadlines that run, the documents prepared and issued (each PDF
approved by a second officer before it goes out), and a penalty order's terms, check and forfeiture.

A case names its party by plain values (registratienummer, suspect id, exempt party key) and reads the other
features through their ``queries``/``services``; the fine tables are in ``fines.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type

MONEY = sa.Numeric(14, 2)


class SubjectKind(LabelledEnum):
    REGISTRATION = "registratie", "Geregistreerde incassodienstverlener"
    SUSPECT = "overtreder", "Vermoedelijk niet-geregistreerde incassant"
    EXEMPT = "vrijgesteld", "Vrijgestelde partij (gerechtsdeurwaarder of advocaat)"


class CaseStatus(LabelledEnum):
    INVESTIGATION = "onderzoek", "In onderzoek", Style.INFO
    INTENTION = "voornemen", "Voornemen verzonden", Style.WARNING
    DECIDING = "besluitvorming", "Besluit in voorbereiding", Style.INFO
    DECIDED = "besluit", "Besluit verzonden", Style.OK
    OBJECTION = "bezwaar", "In bezwaar", Style.WARNING
    CLOSED = "afgerond", "Afgerond", Style.OK
    DROPPED = "gesloten", "Gesloten zonder besluit", Style.NEUTRAL


OPEN_STATUSES = (CaseStatus.INVESTIGATION, CaseStatus.INTENTION, CaseStatus.DECIDING, CaseStatus.DECIDED,
                 CaseStatus.OBJECTION)


class Instrument(LabelledEnum):
    CONVERSATION = "normoverdragend_gesprek", "Normoverdragend gesprek"
    WARNING = "waarschuwing", "Waarschuwingsbrief"
    PENALTY_ORDER = "last_onder_dwangsom", "Last onder dwangsom"
    FINE = "bestuurlijke_boete", "Bestuurlijke boete"
    STRIKE_REQUEST = "verzoek_doorhaling", "Verzoek aan Justis tot doorhaling"
    CRIMINAL_REPORT = "aangifte", "Aangifte bij het Openbaar Ministerie"
    REFERRAL_BFT = "verwijzing_bft", "Verwijzing naar het Bureau Financieel Toezicht"
    REFERRAL_DEAN = "verwijzing_deken", "Verwijzing naar de deken van de orde van advocaten"


class Provision(LabelledEnum):
    """The norms a case can be about (brief §4.1–4.2)."""

    REGISTRATION_DUTY = "registratieplicht", "Incasseren zonder registratie (registratieplicht Wki)"
    WKI_11 = "wki_11", "Wki artikel 11"
    WKI_12 = "wki_12", "Wki artikel 12"
    WKI_13 = "wki_13", "Kwaliteitseisen bij of krachtens Wki artikel 13 (Bki, Rki)"
    AWB_5_20 = "awb_5_20", "Medewerkingsplicht aan toezicht (artikel 5:20 lid 1 Awb)"


class StepKind(LabelledEnum):
    """What a timeline entry records (besides the status changes and documents, which are steps too)."""

    OPENED = "geopend", "Zaak geopend"
    NOTE = "notitie", "Notitie"
    INSTRUMENT = "instrument", "Instrument gekozen"
    CAUTION = "cautie", "Cautie gegeven"
    REPORT = "rapport", "Rapport opgemaakt"
    VIEW = "zienswijze", "Zienswijze ontvangen"
    NO_VIEW = "geen_zienswijze", "Geen zienswijze ontvangen"
    DOCUMENT = "document", "Document uitgegeven"
    CONVERSATION = "gesprek", "Normoverdragend gesprek gevoerd"
    CHECK = "controle", "Controle na de begunstigingstermijn"
    FORFEITED = "verbeurd", "Dwangsom verbeurd"
    OBJECTION = "bezwaar", "Bezwaar ontvangen"
    DEADLINE = "termijn", "Termijn gewijzigd"
    STATUS = "status", "Status gewijzigd"
    EVIDENCE = "bewijs", "Bewijs gekoppeld"


class EvidenceLink(LabelledEnum):
    FINDING = "bevinding", "Bevinding uit een inspectie"
    SIGNAL = "signaal", "Signaal"
    REGISTER = "register", "Register op een datum"
    DOCUMENT = "document", "Uitgegeven document"


class DeadlineKind(LabelledEnum):
    VIEW = "zienswijze", "Termijn voor de zienswijze"
    FINE_DECISION = "boetebesluit", "Boetebesluit binnen 13 weken na het rapport (art. 5:51 Awb)"
    GRACE = "begunstiging", "Begunstigingstermijn van de last"
    OBJECTION = "bezwaar", "Bezwaartermijn (art. 6:7 Awb)"


class DeadlineStatus(LabelledEnum):
    RUNNING = "lopend", "Loopt", Style.INFO
    MET = "afgehandeld", "Afgehandeld", Style.OK
    LAPSED = "vervallen", "Vervallen", Style.NEUTRAL


class DocumentKind(LabelledEnum):
    INTENTION = "voornemen", "Voornemen"
    PENALTY_ORDER = "besluit_lod", "Besluit last onder dwangsom"
    FINE = "besluit_boete", "Besluit bestuurlijke boete"
    COLLECTION = "invordering", "Invorderingsbesluit dwangsom"
    WARNING = "waarschuwing", "Waarschuwingsbrief"
    STRIKE_REQUEST = "verzoek_doorhaling", "Verzoek aan Justis tot doorhaling"
    CRIMINAL_REPORT = "aangifte", "Aangifte"
    REFERRAL = "verwijzing", "Verwijzing"


class DocumentStatus(LabelledEnum):
    DRAFT = "concept", "Concept", Style.NEUTRAL
    PREPARED = "ter_goedkeuring", "Ter goedkeuring", Style.WARNING
    ISSUED = "uitgegeven", "Uitgegeven", Style.OK
    LAPSED = "vervallen", "Vervallen", Style.NEUTRAL


class PenaltyForm(LabelledEnum):
    PER_DAY = "per_dag", "Per dag dat niet aan de last is voldaan"
    PER_BREACH = "per_overtreding", "Per overtreding"
    LUMP_SUM = "ineens", "Ineens (één bedrag)"


class CheckResult(LabelledEnum):
    COMPLIED = "nageleefd", "Aan de last voldaan", Style.OK
    NOT_COMPLIED = "niet_nageleefd", "Niet aan de last voldaan", Style.ERROR


_OPEN_CASE_WHERE = "status IN ('onderzoek', 'voornemen', 'besluitvorming', 'besluit', 'bezwaar')"


class Case(Base):
    """A handhavingszaak about one party: a registration, a suspect (signals' group of an unregistered
    collector) or an exempt party (a bailiff's or lawyer's office on the exempt list)."""

    __tablename__ = "enforcement_case"
    __table_args__ = (
        check_constraint("subject_kind", SubjectKind), check_constraint("status", CaseStatus),
        check_constraint("instrument", Instrument),
        # At most one open case per party, also when two officers open one at the same moment.
        *(sa.Index(f"uq_enforcement_case_open_{column}", column, unique=True,
                   sqlite_where=sa.text(_OPEN_CASE_WHERE), postgresql_where=sa.text(_OPEN_CASE_WHERE))
          for column in ("registratienummer", "suspect_id", "exempt_party_key")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nummer: Mapped[str] = mapped_column(sa.String(20), unique=True)
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_column_type(SubjectKind))
    registratienummer: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    suspect_id: Mapped[int | None] = mapped_column(index=True)
    exempt_party_key: Mapped[str | None] = mapped_column(sa.String(400), index=True)
    beroep: Mapped[str | None] = mapped_column(sa.String(30))  # an exempt party's profession
    naam: Mapped[str] = mapped_column(sa.String(300))  # the party's name when the case was opened
    kvk_nummer: Mapped[str | None] = mapped_column(sa.String(8))
    rechtspersoon: Mapped[bool] = mapped_column(default=True)  # a legal person (the fine's higher category)
    provisions: Mapped[list[str]] = mapped_column(default=list)
    requirement_codes: Mapped[list[str]] = mapped_column(default=list)  # catalogue requirements breached
    instrument: Mapped[Instrument | None] = mapped_column(enum_column_type(Instrument, 30))
    status: Mapped[CaseStatus] = mapped_column(enum_column_type(CaseStatus), default=CaseStatus.INVESTIGATION,
                                               index=True)
    aanleiding: Mapped[str] = mapped_column(sa.Text, default="")
    feiten: Mapped[str] = mapped_column(sa.Text, default="")  # the facts found, in the officer's words
    inspection_id: Mapped[int | None] = mapped_column(index=True)  # opened from this inspection's findings
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    fine_inputs: Mapped[dict[str, Any] | None]  # the fine calculation's inputs (fines.py)
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)
    opened_on: Mapped[date]
    closed_at: Mapped[datetime | None]
    # When the retention job or an erasure removed the personal data from its texts (enforcement/services.py).
    pseudonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    steps: Mapped[list[CaseStep]] = relationship(back_populates="case", order_by="(CaseStep.day, CaseStep.id)")
    penalty_order: Mapped[PenaltyOrder | None] = relationship(back_populates="case", uselist=False)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Case {self.nummer} {self.subject_kind} {self.status}>"


class CaseStep(Base):
    """One entry of a case's timeline: what happened, on which day, by whom, with its documents."""

    __tablename__ = "case_step"
    __table_args__ = (check_constraint("kind", StepKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[StepKind] = mapped_column(enum_column_type(StepKind))
    day: Mapped[date]  # the day it happened (the caution's, the report's, the view's receipt)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kenmerk: Mapped[str | None] = mapped_column(sa.String(40))  # an issued document's kenmerk
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    case: Mapped[Case] = relationship(back_populates="steps")
    attachments: Mapped[list[CaseAttachment]] = relationship(order_by="CaseAttachment.id")

    def __repr__(self) -> str:
        return f"<CaseStep {self.case_id} {self.kind} {self.day}>"


class CaseAttachment(Base):
    """A file kept with a timeline entry (a written view, minutes of a conversation), content-addressed."""

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("case_step.id"), index=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(320))


class CaseEvidence(Base):
    """Evidence linked to a case: an inspection's finding, a signal, the register as it stood on a date, or
    an issued document. A reference, read through its owner's queries; unlinking keeps the row."""

    __tablename__ = "case_evidence"
    __table_args__ = (
        check_constraint("kind", EvidenceLink),
        sa.Index("uq_case_evidence_active", "case_id", "kind", "ref", unique=True,
                 sqlite_where=sa.text("removed_at IS NULL"), postgresql_where=sa.text("removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[EvidenceLink] = mapped_column(enum_column_type(EvidenceLink))
    # What it points at, as one string: "inspectie:<id>:<eis>", "<signal id>", "<registratienummer>@<iso date>",
    # "<kenmerk>".
    ref: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    as_of: Mapped[date | None]  # a register extract's date
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(sa.String(320))


class CaseDeadline(Base):
    """A statutory period running in a case, computed by core's deadline engine (its explanation can be
    rebuilt from these fields); suspensions and extensions are kept with their reasons in ``shifts``."""

    __tablename__ = "case_deadline"
    __table_args__ = (
        check_constraint("kind", DeadlineKind), check_constraint("status", DeadlineStatus),
        sa.Index("uq_case_deadline_running", "case_id", "kind", unique=True,
                 sqlite_where=sa.text("status = 'lopend'"), postgresql_where=sa.text("status = 'lopend'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[DeadlineKind] = mapped_column(enum_column_type(DeadlineKind))
    event_date: Mapped[date]
    period: Mapped[str] = mapped_column(sa.String(10))  # "2w", "13w", "6w"
    end_date: Mapped[date] = mapped_column(index=True)
    shifts: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    status: Mapped[DeadlineStatus] = mapped_column(enum_column_type(DeadlineStatus), default=DeadlineStatus.RUNNING,
                                                   index=True)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_document.id"))
    reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()


_OPEN_DOCUMENT_WHERE = "status IN ('concept', 'ter_goedkeuring')"


class CaseDocument(Base):
    """A document a case sends: its content per required section, prepared as a PDF (stored, its SHA-256
    recorded), approved by a second officer (core approval bound to that hash) and then issued unchanged.
    One draft per kind at a time."""

    __tablename__ = "case_document"
    __table_args__ = (
        check_constraint("kind", DocumentKind), check_constraint("status", DocumentStatus),
        sa.Index("uq_case_document_open", "case_id", "kind", unique=True,
                 sqlite_where=sa.text(_OPEN_DOCUMENT_WHERE), postgresql_where=sa.text(_OPEN_DOCUMENT_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("enforcement_case.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column_type(DocumentKind))
    status: Mapped[DocumentStatus] = mapped_column(enum_column_type(DocumentStatus), default=DocumentStatus.DRAFT,
                                                   index=True)
    letter_type_slug: Mapped[str] = mapped_column(sa.String(80))
    sections: Mapped[dict[str, Any]] = mapped_column(default=dict)  # section -> the officer's text
    operative: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the fine calculation, the order's terms
    document_date: Mapped[date | None]
    kenmerk: Mapped[str | None] = mapped_column(sa.String(40), unique=True)  # reserved when first prepared
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pages: Mapped[int | None]
    prepared_data: Mapped[dict[str, Any] | None]  # what the prepared PDF was rendered from
    prepared_at: Mapped[datetime | None]
    prepared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[str | None] = mapped_column(sa.String(320))
    dispatched_on: Mapped[date | None]  # the day it was sent: starts the objection period
    objection_received_on: Mapped[date | None]
    objection_on_time: Mapped[bool | None]
    lapsed_reason: Mapped[str | None] = mapped_column(sa.Text)
    authors: Mapped[list[int]] = mapped_column(default=list)  # accounts that wrote or changed it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()

    def __repr__(self) -> str:
        return f"<CaseDocument {self.case_id} {self.kind} {self.status}>"


class PenaltyOrder(Base):
    """The terms of a last onder dwangsom (Awb 5:32a–5:32b), the check after the grace period and what was
    forfeited."""

    __tablename__ = "penalty_order"
    __table_args__ = (check_constraint("form", PenaltyForm), check_constraint("check_result", CheckResult))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("enforcement_case.id"), unique=True)
    measures: Mapped[str] = mapped_column(sa.Text)  # what must be done (the last)
    grace_period: Mapped[str] = mapped_column(sa.String(10))  # "4w": from the day after dispatch
    form: Mapped[PenaltyForm] = mapped_column(enum_column_type(PenaltyForm))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    ceiling: Mapped[Decimal] = mapped_column(MONEY)
    grace_end: Mapped[date | None]  # set when the decision is dispatched
    checked_on: Mapped[date | None]
    check_result: Mapped[CheckResult | None] = mapped_column(enum_column_type(CheckResult))
    check_note: Mapped[str | None] = mapped_column(sa.Text)
    complied_on: Mapped[date | None]  # the day compliance was found (per day: forfeiture stops)
    breaches: Mapped[int | None]  # per breach: how many were found
    forfeited: Mapped[Decimal | None] = mapped_column(MONEY)
    forfeiture: Mapped[dict[str, Any] | None]  # the calculation, step by step
    updated_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="penalty_order")
