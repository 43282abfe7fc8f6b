"""What the audit trail records about the register mirror (wki/register/)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class RegisterAction(LabelledEnum):
    EXPORTED = "register.geexporteerd", "Register geëxporteerd"
    SNAPSHOT_APPLIED = "register.snapshot_applied", "Registersnapshot verwerkt"
    SNAPSHOT_APPROVED = "register.snapshot_approved", "Registersnapshot goedgekeurd"
    SNAPSHOT_DISCARDED = "register.snapshot_discarded", "Registersnapshot verworpen"
    SNAPSHOT_QUARANTINED = "register.snapshot_quarantined", "Registersnapshot in quarantaine gezet"


OBJECT_TYPES = {"register": "Register", "register_snapshot": "Registersnapshot"}
