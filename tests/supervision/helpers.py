"""Building inspections for tests through the services (never by hand): a registration in the register
mirror, inspectors, an inspection in any status, files that pass the evidence check, and a staff list.

The other supervision tests (planning, panels, checks) import these too."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tests.register.helpers import load, register_row
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local
from wki.supervision import inspections
from wki.supervision.models import Inspection, InspectionStatus, Judgement

# A day inside the Wki, on which the shipped catalogue (version 1) is in force.
INSPECTION_DAY = date(2025, 6, 2)
# A small scope that the staff list covers and that a test can fill in quickly.
SMALL_SCOPE = ("VOG_MEDEWERKER", "OPLEIDING_MEDEWERKER", "KLACHTENREGELING")

MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


STAFF_HEADER = "naam,functie,datum_in_dienst,datum_uit_dienst,datum_vog,opleidingsniveau,bijscholingen"
# One compliant employee and one without a VOG (finding ``vog_ontbreekt``).
STAFF_CSV = (STAFF_HEADER + "\n"
             "Anna Goed,incassomedewerker,2023-01-01,,2024-02-01,MBO-3,2024-03-01|2025-03-01\n"
             "Bert Zonder,incassomedewerker,2023-01-01,,,MBO-3,2024-03-01|2025-03-01\n").encode()


def registration(n: int = 1, **overrides: Any) -> str:
    """A registered agency in the register mirror (snapshot of 5 January 2025); its registratienummer."""
    row = register_row(n, **overrides)
    load([row], date(2025, 1, 5))
    return row["registratienummer"]


def inspector(factories: Any, **kwargs: Any) -> User:
    user: User = factories.UserFactory(roles=[Role.INSPECTEUR], **kwargs)
    return user


@dataclass
class Team:
    """The inspector who does the work and the colleague who reviews it."""

    inspector: User
    reviewer: User

    @property
    def me(self) -> Actor:
        return Actor.of(self.inspector)

    @property
    def colleague(self) -> Actor:
        return Actor.of(self.reviewer)


def team(factories: Any) -> Team:
    return Team(inspector(factories), inspector(factories))


def start(team: Team, registratienummer: str, *, codes: Sequence[str] | None = SMALL_SCOPE,
          day: date = INSPECTION_DAY, reviewer: bool = True, **kwargs: Any) -> Inspection:
    return inspections.start_inspection(
        registratienummer=registratienummer, kind=kwargs.pop("kind", "regulier"), inspectiedatum=day,
        inspector_id=team.inspector.id, reviewer_id=team.reviewer.id if reviewer else None, actor=team.me,
        codes=codes, **kwargs)


def fill(team: Team, inspection: Inspection, judgement: Judgement = Judgement.COMPLIES) -> Inspection:
    """Judge every item (``voldoet niet`` and ``deels`` with a finding and a file as evidence)."""
    for item in inspection.items:
        finding = f"Bevinding bij {item.requirement.code}." if judgement != Judgement.COMPLIES else None
        inspections.judge_item(item.id, judgement=judgement, finding=finding, version=item.version, actor=team.me)
        if judgement in (Judgement.FAILS, Judgement.PARTLY):
            inspections.add_file_evidence(item.id, data=MINIMAL_PDF, file_name="stuk.pdf", actor=team.me)
    return inspection


def in_status(team: Team, registratienummer: str, status: InspectionStatus, **kwargs: Any) -> Inspection:
    """An inspection brought to ``status`` along the allowed steps (approved when ``afgerond``)."""
    inspection = start(team, registratienummer, **kwargs)
    if status == InspectionStatus.DRAFT:
        return inspection
    if status == InspectionStatus.WITHDRAWN:
        return inspections.withdraw_inspection(inspection.id, reason="Test.", actor=team.me)
    inspections.begin_inspection(inspection.id, actor=team.me)
    if status == InspectionStatus.IN_PROGRESS:
        return inspection
    fill(team, inspection)
    inspections.submit_for_review(inspection.id, version=inspection.version, actor=team.me)
    if status == InspectionStatus.IN_REVIEW:
        return inspection
    approved(team, inspection)
    return inspections.issue_report(inspection.id, actor=team.colleague)


def approved(team: Team, inspection: Inspection) -> Inspection:
    return inspections.approve_inspection(inspection.id, content_sha256=inspections.checklist_hash(inspection),
                                          actor=team.colleague)


def deadline() -> date:
    return today_local() + timedelta(days=14)
