"""The "Documenten" panel on a registration's and a suspect's page: what was sent to that party (newest
first), each with its kenmerk linking to the document, for the roles that read documents."""

from __future__ import annotations

from typing import Any

from wki.core.auth import user_has_any_role
from wki.core.features import Panel
from wki.documents import READERS
from wki.documents.issuing import correction_kenmerken, documents_for

TEMPLATE = "documents/_party_panel.html"
SHOWN = 20


def _rows(documents: list[Any]) -> list[dict[str, Any]]:
    corrections = correction_kenmerken([d.id for d in documents])
    return [{"kenmerk": d.kenmerk, "titel": d.title, "onderwerp": d.subject, "datum": d.document_date,
             "uitgegeven_door": d.issued_by, "mailing_id": d.mailing_id, "vervangen_door": corrections.get(d.id)}
            for d in documents]


def _panel(documents: list[Any], party: str) -> Panel:
    return Panel("Documenten", TEMPLATE, {"documenten": _rows(documents[:SHOWN]), "meer": len(documents) > SHOWN,
                                          "partij": party}, order=60)


def registration_panel(registratienummer: str, version: Any, user: Any) -> Panel | None:
    if not user_has_any_role(user, READERS):
        return None
    return _panel(documents_for(registratienummer=registratienummer, limit=SHOWN + 1), "deze registratie")


def suspect_panel(suspect: Any, user: Any) -> Panel | None:
    if not user_has_any_role(user, READERS):
        return None
    return _panel(documents_for(suspect_id=int(suspect.id), limit=SHOWN + 1), "deze mogelijke overtreder")
