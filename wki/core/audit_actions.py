"""What the audit trail records about core's own work: the worker's queue (wki/core/worker.py)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class WorkAction(LabelledEnum):
    QUEUED = "werk.ingepland", "Werk ingepland"
    TAKEN_OVER = "werk.overgenomen", "Werk overgenomen (de vorige verwerker reageerde niet meer)"
    DONE = "werk.klaar", "Werk klaar"
    FAILED = "werk.mislukt", "Werk mislukt"


OBJECT_TYPES = {"work_item": "Werk op de achtergrond"}
