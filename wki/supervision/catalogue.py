"""The requirement catalogue: versions loaded from the data file (``flask catalogue load PATH``; version 1 by
migration 0014), the version in force on a date, and each requirement's history across versions.

A loaded version is never changed: a correction is a new version with a higher number. An inspection keeps
the version it began with, so a new version never changes an old inspection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import sqlalchemy as sa

from wki.core import audit
from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.service import service
from wki.supervision.audit_actions import SupervisionAction
from wki.supervision.catalogue_file import CatalogueData, CatalogueFileError, parse_catalogue
from wki.supervision.models import CatalogueVersion, Requirement


@dataclass(frozen=True)
class Loaded:
    version: CatalogueVersion
    created: bool  # False: this exact content was loaded before (nothing changed)


def versions() -> list[CatalogueVersion]:
    return list(db.session.scalars(sa.select(CatalogueVersion).order_by(CatalogueVersion.versie.desc())))


def version_in_force(day: date) -> CatalogueVersion | None:
    """The highest version that had taken effect on ``day``."""
    return db.session.scalar(sa.select(CatalogueVersion).where(CatalogueVersion.geldig_vanaf <= day)
                             .order_by(CatalogueVersion.versie.desc()).limit(1))


def require_version_in_force(day: date) -> CatalogueVersion:
    version = version_in_force(day)
    if version is None:
        raise ServiceError(f"Er is geen eisencatalogus die geldt op {fmt_date(day)}: de eerste versie geldt "
                           "pas later. Kies een latere inspectiedatum.", field="inspectiedatum")
    return version


def applicable_requirements(version: CatalogueVersion, day: date) -> list[Requirement]:
    return [r for r in version.requirements if r.applies_on(day)]


def requirement_history(code: str) -> list[Requirement]:
    """The requirement as every version stated it, newest first; [] for an unknown code."""
    return list(db.session.scalars(
        sa.select(Requirement).join(CatalogueVersion).where(Requirement.code == code)
        .order_by(CatalogueVersion.versie.desc())))


def current_requirements() -> list[Requirement]:
    """The requirements of the newest version, in the catalogue's order."""
    newest = db.session.scalar(sa.select(CatalogueVersion).order_by(CatalogueVersion.versie.desc()).limit(1))
    return list(newest.requirements) if newest else []


@service
def load_catalogue(data: bytes, *, actor: Actor, source_name: str | None = None) -> Loaded:
    """Load a catalogue file as a new version. The same content again changes nothing; a version number
    that exists with other content, or one lower than the newest, is refused (Dutch, nothing written)."""
    try:
        parsed = parse_catalogue(data)
    except CatalogueFileError as exc:
        raise ServiceError("Het catalogusbestand is niet geldig: " + " ".join(exc.problems)) from None
    same = db.session.scalar(sa.select(CatalogueVersion).where(CatalogueVersion.sha256 == parsed.sha256))
    if same is not None:
        return Loaded(same, created=False)
    newest = db.session.scalar(sa.select(CatalogueVersion).order_by(CatalogueVersion.versie.desc()).limit(1))
    if newest is not None and parsed.versie <= newest.versie:
        raise ServiceError(
            f"Versie {parsed.versie} kan niet worden geladen: versie {newest.versie} is al geladen met andere "
            "inhoud. Een geladen versie wordt nooit gewijzigd; geef de nieuwe inhoud een hoger versienummer.")
    if newest is not None and parsed.geldig_vanaf < newest.geldig_vanaf:
        raise ServiceError(
            f"Versie {parsed.versie} zou gelden vanaf {fmt_date(parsed.geldig_vanaf)}, vóór versie {newest.versie} "
            f"(vanaf {fmt_date(newest.geldig_vanaf)}). Een nieuwe versie kan niet eerder ingaan dan de vorige.")
    version = _store(parsed, actor=actor)
    audit.record(SupervisionAction.CATALOGUE_LOADED, object_type="catalogue_version", object_id=version.id,
                 after={"versie": version.versie, "geldig_vanaf": version.geldig_vanaf, "eisen": len(parsed.eisen),
                        "sha256": parsed.sha256, "bestand": source_name}, actor=actor)
    return Loaded(version, created=True)


def _store(parsed: CatalogueData, *, actor: Actor) -> CatalogueVersion:
    version = CatalogueVersion(versie=parsed.versie, geldig_vanaf=parsed.geldig_vanaf,
                               omschrijving=parsed.omschrijving, sha256=parsed.sha256, loaded_by=actor.label)
    db.session.add(version)
    db.session.flush()
    for position, eis in enumerate(parsed.eisen, start=1):
        db.session.add(Requirement(
            catalogue_version_id=version.id, code=eis.code, position=position, titel=eis.titel,
            artikelen=list(eis.artikelen), artikel_onzeker=eis.artikel_onzeker,
            artikel_toelichting=eis.artikel_toelichting, verplichting=eis.verplichting, bewijs=list(eis.bewijs),
            standaardbevinding=asdict(eis.standaardbevinding), geldt_vanaf=eis.geldt_vanaf, geldt_tot=eis.geldt_tot,
            automatische_controle=str(eis.automatische_controle) if eis.automatische_controle else None, wettelijke_norm=eis.wettelijke_norm, bron=eis.bron))
    db.session.flush()
    db.session.refresh(version)
    return version
