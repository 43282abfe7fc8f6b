"""What the audit trail records about Beheer's own pages (wki/admin/views.py)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class AdminAction(LabelledEnum):
    AUDIT_EXPORTED = "audit.geexporteerd", "Audittrail geëxporteerd"


OBJECT_TYPES = {"audit": "Audittrail"}
