"""What the audit trail records about enforcement cases, their deadlines and documents."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class EnforcementAction(LabelledEnum):
    # cases (cases.py, procedure.py)
    CASE_OPENED = "zaak.geopend", "Handhavingszaak geopend"
    CASE_STATUS = "zaak.status", "Status van een handhavingszaak gewijzigd"
    CASE_CHANGED = "zaak.gewijzigd", "Gegevens van een handhavingszaak gewijzigd"
    EVIDENCE_LINKED = "zaak.bewijs_gekoppeld", "Bewijs aan een zaak gekoppeld"
    EVIDENCE_UNLINKED = "zaak.bewijs_ontkoppeld", "Bewijs van een zaak ontkoppeld"
    INSTRUMENT_CHOSEN = "zaak.instrument", "Instrument gekozen"
    STEP_RECORDED = "zaak.stap", "Stap in een zaak vastgelegd"
    ATTACHMENT_DOWNLOADED = "zaak.bijlage_gedownload", "Bijlage van een zaak gedownload"
    DEADLINE_SET = "zaak.termijn", "Termijn gezet"
    DEADLINE_SHIFTED = "zaak.termijn_verschoven", "Termijn opgeschort of verlengd"
    DEADLINE_ENDED = "zaak.termijn_beeindigd", "Termijn afgehandeld"
    PENALTY_TERMS = "zaak.last", "Last onder dwangsom vastgelegd"
    PENALTY_CHECK = "zaak.controle", "Controle na de begunstigingstermijn vastgelegd"
    FINE_CALCULATED = "zaak.boete", "Boete berekend"
    OBJECTION = "zaak.bezwaar", "Bezwaar ontvangen"
    REMINDER_SENT = "zaak.herinnering", "Herinnering aan een termijn verstuurd"
    # case documents (decisions.py): drafted, prepared as a PDF, approved by a second officer, issued
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
    # the fine tables (fines.py)
    CATEGORY_ADDED = "boete.categorie_toegevoegd", "Bedrag van een boetecategorie toegevoegd"
    CATEGORY_CONFIRMED = "boete.categorie_bevestigd", "Bedrag van een boetecategorie bevestigd (vier ogen)"
    CATEGORY_REJECTED = "boete.categorie_afgewezen", "Onbevestigd bedrag van een boetecategorie afgewezen"
    RULE_ADDED = "boete.beleidsregel_toegevoegd", "Regel van het boetebeleid toegevoegd"
    RULE_CONFIRMED = "boete.beleidsregel_bevestigd", "Regel van het boetebeleid bevestigd (vier ogen)"
    RULE_REJECTED = "boete.beleidsregel_afgewezen", "Onbevestigde regel van het boetebeleid afgewezen"
    # retention and erasure (enforcement/services.py): ids and counts only, never the data removed
    CASES_PSEUDONYMISED = "zaak.gepseudonimiseerd", "Persoonsgegevens uit handhavingszaken verwijderd"


OBJECT_TYPES = {"enforcement_case": "Handhavingszaak", "case_document": "Handhavingsdocument",
                "fine_category": "Boetecategorie", "fine_policy_rule": "Regel van het boetebeleid"}
