"""What the audit trail records about signals, suspects and partner tokens (wki/signals/)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class SignalAction(LabelledEnum):
    RECEIVED = "signaal.ontvangen", "Signaal ontvangen"
    VERDICT_DECIDED = "signaal.oordeel_vastgesteld", "Oordeel over signaal vastgesteld"
    VERDICT_WITHDRAWN = "signaal.oordeel_ingetrokken", "Handmatig oordeel over signaal ingetrokken"
    STATUS_CHANGED = "signaal.status", "Status van signaal gewijzigd"
    REMATCHED = "signalen.beoordeeld", "Signalen opnieuw beoordeeld"
    IMPORTED = "signalen.geimporteerd", "Signalen geïmporteerd"
    EXPORTED = "signalen.geexporteerd", "Signalen geëxporteerd"
    CORRECTIONS_EXPORTED = "signalen.correcties_geexporteerd", "Correcties op signalen geëxporteerd"
    SUSPECTS_MERGED = "verdachte.samengevoegd", "Mogelijke overtreders samengevoegd"
    SUSPECT_SPLIT = "verdachte.gesplitst", "Mogelijke overtreder gesplitst"
    PARTNER_TOKEN_ISSUED = "partnertoken.uitgegeven", "Partnertoken uitgegeven"
    PARTNER_TOKEN_REVOKED = "partnertoken.ingetrokken", "Partnertoken ingetrokken"
    # retention and erasure (wki/signals/services.py): ids and counts only, never the data removed
    PSEUDONYMISED = "signalen.gepseudonimiseerd", "Persoonsgegevens uit signalen verwijderd"
    IMPORT_REJECTS_CLEARED = "signaalimport.afwijzingen_verwijderd", "Afgewezen regels van signaalimports verwijderd"


OBJECT_TYPES = {"partner_token": "Partnertoken", "signal": "Signaal", "signal_import": "Signaalimport",
                "suspect": "Mogelijke overtreder"}
