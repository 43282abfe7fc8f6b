"""The requirement catalogue's pages: the version in force today (or any loaded version) with every
requirement, and one requirement's history across the versions with what changed in each.

Read-only: a version is loaded with ``flask catalogue load PATH`` and never changed (``catalogue.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template, request

from wki.core.auth import requires_roles
from wki.core.clock import today_local
from wki.core.lookups import found_or_404, not_found
from wki.supervision import READERS, bp
from wki.supervision import catalogue as requirement_catalogue
from wki.supervision.catalogue_file import AutomaticCheck
from wki.supervision.models import CatalogueVersion, Judgement, Requirement

CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{2,59}")  # whole code: fullmatch
SHA_SHOWN = 12  # characters of a version's SHA-256 shown on the page

CHECK_LABELS: dict[str, str] = {
    AutomaticCheck.REGISTER: "Register (inschrijving, geldigheid, handelsnamen)",
    AutomaticCheck.SIGNALS: "Signalen (BIK-maximum, contact op verboden tijden, aantal en recentheid)",
    AutomaticCheck.STAFF: "Personeelslijst (VOG, opleiding, bijscholing)",
}
# The fields of a requirement a new version may change, in the order the history shows them.
FIELD_LABELS: dict[str, str] = {
    "titel": "Titel",
    "artikelen": "Artikelen",
    "artikel_onzeker": "Artikel niet geverifieerd",
    "artikel_toelichting": "Toelichting bij de artikelen",
    "verplichting": "Wat het bureau moet doen",
    "bewijs": "Bewijs om te vragen",
    "standaardbevinding": "Standaardbevindingen",
    "geldt_vanaf": "Geldt vanaf",
    "geldt_tot": "Geldt tot",
    "automatische_controle": "Automatische controle",
    "wettelijke_norm": "Wettelijke norm",
    "bron": "Bron",
}
FINDING_ORDER = (Judgement.COMPLIES, Judgement.PARTLY, Judgement.FAILS, Judgement.NOT_APPLICABLE)


def check_label(value: str | None) -> str:
    return CHECK_LABELS.get(value or "", value or "Geen")


def findings_of(requirement: Requirement) -> list[tuple[str, str]]:
    """(judgement label, standard wording) in a fixed order, only where the catalogue gives a wording."""
    known = [(j.label, requirement.standard_finding(j.value)) for j in FINDING_ORDER]
    return [(label, text) for label, text in known if text]


def changed_fields(newer: Requirement, older: Requirement | None) -> list[str]:
    """The fields whose content differs between two versions of one requirement ([] for the first one)."""
    if older is None:
        return []
    return [name for name in FIELD_LABELS if getattr(newer, name) != getattr(older, name)]


@dataclass(frozen=True)
class HistoryEntry:
    requirement: Requirement
    version: CatalogueVersion
    changed: list[str]  # field names changed compared to the previous version that had the requirement
    first: bool  # the oldest version that has it: nothing to compare with


def history(code: str) -> list[HistoryEntry]:
    """The requirement in every version that has it, newest first, each with what changed since the one before."""
    found = requirement_catalogue.requirement_history(code)
    older: list[Requirement | None] = [*found[1:], None] if found else []
    return [HistoryEntry(requirement=r, version=r.catalogue, changed=changed_fields(r, previous),
                         first=previous is None) for r, previous in zip(found, older, strict=True)]


def _chosen_version(today: date) -> tuple[CatalogueVersion | None, list[CatalogueVersion]]:
    """The version asked for with ``?versie=N`` (404 when there is no such version), else the one in force."""
    versions = requirement_catalogue.versions()
    asked = request.args.get("versie", "").strip()
    if not asked:
        return requirement_catalogue.version_in_force(today), versions
    if not asked.isdigit():
        not_found("Deze versie van de eisencatalogus bestaat niet.")
    number = int(asked)
    return found_or_404(next((v for v in versions if v.versie == number), None),
                        "Deze versie van de eisencatalogus bestaat niet."), versions


@bp.get("/catalogus")
@requires_roles(*READERS)
def catalogue() -> Any:
    today = today_local()
    version, versions = _chosen_version(today)
    in_force = requirement_catalogue.version_in_force(today)
    return render_template("supervision/catalogue.html", version=version, versions=versions, in_force=in_force,
                           today=today, check_label=check_label, sha_shown=SHA_SHOWN)


@bp.get("/catalogus/<string:code>")
@requires_roles(*READERS)
def requirement(code: str) -> Any:
    if not CODE_PATTERN.fullmatch(code):
        not_found("Deze eis bestaat niet.")
    entries = history(code)
    if not entries:
        not_found("Deze eis staat in geen enkele versie van de eisencatalogus.")
    return render_template("supervision/requirement.html", code=code, entries=entries, current=entries[0].requirement,
                           field_labels=FIELD_LABELS, check_label=check_label, findings_of=findings_of,
                           sha_shown=SHA_SHOWN)
