"""What the audit trail records about the catalogue and inspections."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class SupervisionAction(LabelledEnum):
    CATALOGUE_LOADED = "catalogus.geladen", "Versie van de eisencatalogus geladen"
    INSPECTION_CREATED = "inspectie.aangemaakt", "Inspectie aangemaakt"
    INSPECTION_STATUS = "inspectie.status", "Status van een inspectie gewijzigd"
    INSPECTION_CHANGED = "inspectie.gewijzigd", "Gegevens van een inspectie gewijzigd"
    ITEM_JUDGED = "inspectie.beoordeling", "Eis beoordeeld (oordeel en bevinding)"
    EVIDENCE_ADDED = "inspectie.bewijs_toegevoegd", "Bewijs toegevoegd"
    EVIDENCE_REMOVED = "inspectie.bewijs_verwijderd", "Bewijs verwijderd"
    EVIDENCE_DOWNLOADED = "inspectie.bewijs_gedownload", "Bewijsstuk gedownload"
    CHECKS_RUN = "inspectie.controles", "Automatische controles uitgevoerd"
    STAFF_CHECKED = "inspectie.personeelslijst", "Personeelslijst gecontroleerd"
    REQUEST_ISSUED = "inspectie.informatieverzoek", "Informatieverzoek uitgegeven"
    RETURNED = "inspectie.teruggestuurd", "Inspectie teruggestuurd door de reviewer"
    APPROVED = "inspectie.goedgekeurd", "Inspectie goedgekeurd (vier ogen)"
    APPROVAL_VOIDED = "inspectie.goedkeuring_vervallen", "Goedkeuring van een inspectie vervallen"
    REPORT_ISSUED = "inspectie.rapport", "Inspectierapport uitgegeven"


OBJECT_TYPES = {"inspection": "Inspectie", "catalogue_version": "Eisencatalogus"}
