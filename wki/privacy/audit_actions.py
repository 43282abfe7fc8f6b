"""What the audit trail records about retention and requests for access or erasure: who, when, which request
or run, counts and record ids; never the personal data itself, nor the search terms."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class PrivacyAction(LabelledEnum):
    RETENTION_RUN = "avg.bewaartermijn_uitgevoerd", "Bewaartermijnen toegepast (persoonsgegevens verwijderd)"
    EXPORTED = "avg.inzage_geexporteerd", "Persoonsgegevens geëxporteerd voor een verzoek om inzage"
    ERASED = "avg.gewist", "Persoonsgegevens gewist op verzoek"


OBJECT_TYPES = {"retention_run": "Bewaartermijnrun", "privacy_request": "AVG-verzoek"}
