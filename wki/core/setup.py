"""What core itself brings to the application, installed before every feature: the nightly housekeeping job
and the kind of queued work behind "Nu uitvoeren" (Beheer → Taken)."""

from __future__ import annotations

from wki.core import audit_actions
from wki.core.features import Feature
from wki.core.housekeeping import HOUSEKEEPING_JOB
from wki.core.jobs import register_work

feature = Feature(
    name="core",
    models=("wki.core.audit", "wki.core.jobs", "wki.core.sequences", "wki.core.worker", "wki.core.workflow"),
    jobs=(HOUSEKEEPING_JOB,),
    audit_actions=audit_actions.WorkAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    setup=register_work,
)
