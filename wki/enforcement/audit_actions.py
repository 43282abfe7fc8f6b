"""What the audit trail records about enforcement cases and their documents."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class EnforcementAction(LabelledEnum):
    # Case documents (decisions.py): drafted, prepared as a PDF, approved by a second officer, issued.
    DOCUMENT_STARTED = "handhavingsdocument.begonnen", "Handhavingsdocument begonnen"
    DOCUMENT_SAVED = "handhavingsdocument.opgeslagen", "Handhavingsdocument opgeslagen"
    DOCUMENT_PREPARED = "handhavingsdocument.voorbereid", "Handhavingsdocument voorbereid (pdf ter goedkeuring)"
    DOCUMENT_VIEWED = "handhavingsdocument.bekeken", "Pdf van een handhavingsdocument bekeken"
    DOCUMENT_APPROVED = "handhavingsdocument.goedgekeurd", "Handhavingsdocument goedgekeurd (vier ogen)"
    DOCUMENT_APPROVAL_VOIDED = ("handhavingsdocument.goedkeuring_vervallen",
                                "Goedkeuring van een handhavingsdocument vervallen")
    DOCUMENT_RETURNED = "handhavingsdocument.teruggestuurd", "Handhavingsdocument teruggestuurd"
    DOCUMENT_ISSUED = "handhavingsdocument.uitgegeven", "Handhavingsdocument uitgegeven"
    DOCUMENT_LAPSED = "handhavingsdocument.vervallen", "Handhavingsdocument vervallen"


OBJECT_TYPES = {"case_document": "Handhavingsdocument", "enforcement_case": "Handhavingszaak"}
