"""The requirement catalogue (versioned: every loaded file is a version, never changed), inspections of one
registration against the version in force on the inspection date, their checklist (one item per requirement
in scope: judgement, finding, the automatic check's proposal) with evidence, and the reviewer's decisions.

An inspection names its registration by registratienummer (a plain value: the register's history is read
through its queries), and its evidence may name a signal by id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type


class InspectionKind(LabelledEnum):
    REGULAR = "regulier", "Regulier toezicht (digitaal informatieverzoek)"
    SAMPLE = "steekproef", "Steekproef"
    IN_DEPTH = "verdiepend", "Verdiepend toezicht"


class InspectionStatus(LabelledEnum):
    DRAFT = "concept", "Concept", Style.NEUTRAL
    IN_PROGRESS = "in_uitvoering", "In uitvoering", Style.INFO
    IN_REVIEW = "ter_review", "Ter review", Style.WARNING
    DONE = "afgerond", "Afgerond", Style.OK
    WITHDRAWN = "ingetrokken", "Ingetrokken", Style.NEUTRAL


class Judgement(LabelledEnum):
    NOT_JUDGED = "niet_beoordeeld", "Niet beoordeeld", Style.NEUTRAL
    COMPLIES = "voldoet", "Voldoet", Style.OK
    PARTLY = "deels", "Voldoet deels", Style.WARNING
    FAILS = "voldoet_niet", "Voldoet niet", Style.ERROR
    NOT_APPLICABLE = "niet_van_toepassing", "Niet van toepassing", Style.INFO


# Judgements that need a finding in words and at least one piece of evidence before review.
NEEDS_EVIDENCE = frozenset({Judgement.FAILS, Judgement.PARTLY})


class EvidenceKind(LabelledEnum):
    FILE = "bestand", "Bestand"
    SIGNAL = "signaal", "Signaal"
    REGISTER = "register", "Registergegevens op een datum"


class ObtainedHow(LabelledEnum):
    REQUEST = "informatieverzoek", "Aangeleverd op het informatieverzoek"
    VISIT = "bezoek", "Verkregen tijdens een bezoek"
    PUBLIC = "openbare_bron", "Openbare bron (website, KvK)"
    SIGNAL = "signaal", "Uit een signaal"
    REGISTER = "register", "Uit het register"
    OTHER = "anders", "Anders"


class ReviewDecision(LabelledEnum):
    RETURNED = "teruggestuurd", "Teruggestuurd", Style.WARNING
    APPROVED = "goedgekeurd", "Goedgekeurd", Style.OK


class CatalogueVersion(Base):
    """One loaded version of the requirement catalogue; in force from ``geldig_vanaf`` until the next one."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    versie: Mapped[int] = mapped_column(unique=True)
    geldig_vanaf: Mapped[date]
    omschrijving: Mapped[str] = mapped_column(sa.Text, default="")
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    loaded_by: Mapped[str] = mapped_column(sa.String(320))

    requirements: Mapped[list[Requirement]] = relationship(order_by="Requirement.position",
                                                           back_populates="catalogue")

    def __repr__(self) -> str:
        return f"<CatalogueVersion {self.versie} vanaf {self.geldig_vanaf}>"


class Requirement(Base):
    """One requirement as one catalogue version states it."""

    __tablename__ = "requirement"
    __table_args__ = (sa.UniqueConstraint("catalogue_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_version_id: Mapped[int] = mapped_column(sa.ForeignKey("catalogue_version.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(60), index=True)
    position: Mapped[int]
    titel: Mapped[str] = mapped_column(sa.String(200))
    artikelen: Mapped[list[str]] = mapped_column(default=list)
    artikel_onzeker: Mapped[bool] = mapped_column(default=False)
    artikel_toelichting: Mapped[str | None] = mapped_column(sa.Text)
    verplichting: Mapped[str] = mapped_column(sa.Text)
    bewijs: Mapped[list[str]] = mapped_column(default=list)
    standaardbevinding: Mapped[dict[str, Any]] = mapped_column(default=dict)
    geldt_vanaf: Mapped[date]
    geldt_tot: Mapped[date | None]
    automatische_controle: Mapped[str | None] = mapped_column(sa.String(20))
    wettelijke_norm: Mapped[bool] = mapped_column(default=True)
    bron: Mapped[str] = mapped_column(sa.Text, default="")

    catalogue: Mapped[CatalogueVersion] = relationship(back_populates="requirements")

    def applies_on(self, day: date) -> bool:
        return self.geldt_vanaf <= day and (self.geldt_tot is None or day < self.geldt_tot)

    def standard_finding(self, judgement: str) -> str:
        return str(self.standaardbevinding.get(judgement) or "")

    def __repr__(self) -> str:
        return f"<Requirement {self.code} v{self.catalogue_version_id}>"


class Inspection(Base):
    """An inspection of one registration, judged against one catalogue version."""

    __tablename__ = "inspection"
    __table_args__ = (
        check_constraint("kind", InspectionKind), check_constraint("status", InspectionStatus),
        # At most one open inspection per registration, also when two inspectors start one at the same moment.
        sa.Index("uq_inspection_open", "registratienummer", unique=True,
                 postgresql_where=sa.text("status IN ('concept', 'in_uitvoering', 'ter_review')"),
                 sqlite_where=sa.text("status IN ('concept', 'in_uitvoering', 'ter_review')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nummer: Mapped[str] = mapped_column(sa.String(20), unique=True)
    registratienummer: Mapped[str] = mapped_column(sa.String(40), index=True)
    naam: Mapped[str] = mapped_column(sa.String(300))  # the registration's name when the inspection began
    kind: Mapped[InspectionKind] = mapped_column(enum_column_type(InspectionKind))
    status: Mapped[InspectionStatus] = mapped_column(enum_column_type(InspectionStatus),
                                                     default=InspectionStatus.DRAFT, index=True)
    catalogue_version_id: Mapped[int] = mapped_column(sa.ForeignKey("catalogue_version.id"))
    inspectiedatum: Mapped[date]
    inspector_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    aanleiding: Mapped[str | None] = mapped_column(sa.Text)  # why this one: the priority's explanation
    deadline_stukken: Mapped[date | None]
    request_kenmerk: Mapped[str | None] = mapped_column(sa.String(40))
    report_kenmerk: Mapped[str | None] = mapped_column(sa.String(40))
    staff_check: Mapped[dict[str, Any] | None]  # the last staff list checked: file, date, findings
    submitted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    catalogue: Mapped[CatalogueVersion] = relationship()
    items: Mapped[list[InspectionItem]] = relationship(back_populates="inspection",
                                                       order_by="InspectionItem.position")

    def __repr__(self) -> str:
        return f"<Inspection {self.nummer} {self.registratienummer} {self.status}>"


class InspectionItem(Base):
    """One requirement in an inspection's scope: the inspector's judgement and finding, and what an automatic
    check proposed (``proposal``: judgement, reasons, source, when)."""

    __tablename__ = "inspection_item"
    __table_args__ = (sa.UniqueConstraint("inspection_id", "requirement_id"), check_constraint("judgement", Judgement))

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    requirement_id: Mapped[int] = mapped_column(sa.ForeignKey("requirement.id"), index=True)
    position: Mapped[int]
    judgement: Mapped[Judgement] = mapped_column(enum_column_type(Judgement), default=Judgement.NOT_JUDGED)
    finding: Mapped[str | None] = mapped_column(sa.Text)
    proposal: Mapped[dict[str, Any] | None]
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_by: Mapped[str | None] = mapped_column(sa.String(320))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    inspection: Mapped[Inspection] = relationship(back_populates="items")
    requirement: Mapped[Requirement] = relationship(lazy="joined")
    # The evidence in force; removed evidence stays (with who removed it and when) and keeps its file.
    evidence: Mapped[list[Evidence]] = relationship(
        primaryjoin="and_(Evidence.item_id == InspectionItem.id, Evidence.removed_at.is_(None))",
        order_by="Evidence.id", viewonly=True)

    def __repr__(self) -> str:
        return f"<InspectionItem {self.inspection_id}:{self.requirement_id} {self.judgement}>"


class Evidence(Base):
    """Evidence for one checklist item: a stored file (content-addressed, SHA-256), a signal, or the register
    as it stood on a date; with who obtained it, when and how."""

    __tablename__ = "evidence"
    __table_args__ = (check_constraint("kind", EvidenceKind), check_constraint("obtained_how", ObtainedHow))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_item.id"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_column_type(EvidenceKind))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    obtained_how: Mapped[ObtainedHow] = mapped_column(enum_column_type(ObtainedHow))
    obtained_on: Mapped[date]
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]
    signal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("signal.id"))
    register_as_of: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_by: Mapped[str] = mapped_column(sa.String(320))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(sa.String(320))

    item: Mapped[InspectionItem] = relationship()

    def __repr__(self) -> str:
        return f"<Evidence {self.kind} item={self.item_id}>"


class InspectionReview(Base):
    """A reviewer's decision on an inspection: returned with comments, or approved (with the content hash)."""

    __tablename__ = "inspection_review"
    __table_args__ = (check_constraint("decision", ReviewDecision),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    decision: Mapped[ReviewDecision] = mapped_column(enum_column_type(ReviewDecision))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    reviewer: Mapped[str] = mapped_column(sa.String(320))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<InspectionReview {self.inspection_id} {self.decision}>"


class PriorityList(Base):
    """The priorities of one day as the scheduler computed them (job ``supervision-priorities``), shared by
    every web process: a process whose own cache misses reads the list stored under the current fingerprint
    instead of computing it (about a second at the market's size). ``entries`` is zlib-compressed JSON
    (``priorities._encode``); rows are replaced, never changed."""

    __tablename__ = "priority_list"
    __table_args__ = (sa.UniqueConstraint("as_of", "fingerprint", name="uq_priority_list_as_of_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date]
    fingerprint: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of priorities.fingerprint(as_of)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    size: Mapped[int]  # the number of registrations in the list
    entries: Mapped[bytes] = mapped_column(sa.LargeBinary)
