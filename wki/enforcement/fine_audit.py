"""What the audit trail records about the fine tables (merged into the enforcement feature's action enum)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class FineAction(LabelledEnum):
    CATEGORY_ADDED = "boete.categorie_toegevoegd", "Bedrag van een boetecategorie toegevoegd"
    CATEGORY_CONFIRMED = "boete.categorie_bevestigd", "Bedrag van een boetecategorie bevestigd (vier ogen)"
    CATEGORY_REJECTED = "boete.categorie_afgewezen", "Onbevestigd bedrag van een boetecategorie afgewezen"
    RULE_ADDED = "boete.beleidsregel_toegevoegd", "Regel van het boetebeleid toegevoegd"
    RULE_CONFIRMED = "boete.beleidsregel_bevestigd", "Regel van het boetebeleid bevestigd (vier ogen)"
    RULE_REJECTED = "boete.beleidsregel_afgewezen", "Onbevestigde regel van het boetebeleid afgewezen"


OBJECT_TYPES = {"fine_category": "Boetecategorie", "fine_policy_rule": "Regel van het boetebeleid"}
