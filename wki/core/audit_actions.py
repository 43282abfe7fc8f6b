"""What the audit trail records about core's own work: the worker's queue (wki/core/worker.py), the days
administrators equate with holidays for the deadline engine (wki/core/equated_days.py), and back-ups
(wki/core/backup.py)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class WorkAction(LabelledEnum):
    QUEUED = "werk.ingepland", "Werk ingepland"
    TAKEN_OVER = "werk.overgenomen", "Werk overgenomen (de vorige verwerker reageerde niet meer)"
    DONE = "werk.klaar", "Werk klaar"
    FAILED = "werk.mislukt", "Werk mislukt"


class EquatedDayAction(LabelledEnum):
    """Days equated with a general holiday by decree (Atw art. 3 lid 3)."""

    ADDED = "feestdag.gelijkgesteld", "Dag gelijkgesteld met een feestdag (termijnen)"
    REMOVED = "feestdag.gelijkstelling_verwijderd", "Gelijkgestelde dag verwijderd (termijnen)"


class BackupAction(LabelledEnum):
    """Back-ups of the whole installation (wki/core/backup.py); a restore is recorded in the restored database."""

    CREATED = "backup.gemaakt", "Back-up gemaakt"
    RESTORED = "backup.teruggezet", "Back-up teruggezet"


OBJECT_TYPES = {"work_item": "Werk op de achtergrond", "equated_day": "Gelijkgestelde dag (feestdag)",
                "backup": "Back-up"}
