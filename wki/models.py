"""Every model of every feature, imported in one place for Alembic and the shell."""

from wki.auth.models import LoginFailure, OneTimeSecret, RecoveryCode, User, UserRole
from wki.core.audit import AuditEvent
from wki.core.jobs import JobRun
from wki.core.sequences import SequenceCounter
from wki.core.worker import WorkItem
from wki.register.models import (
    ExemptPartyVersion,
    RegisterChange,
    RegisterSnapshot,
    RegisterSyncRun,
    RegistrationVersion,
)
from wki.signals.models import (
    PartnerToken,
    Signal,
    SignalAttachment,
    SignalImport,
    Suspect,
    SuspectLink,
)

__all__ = [
    "AuditEvent", "ExemptPartyVersion", "JobRun", "LoginFailure", "OneTimeSecret", "RecoveryCode", "RegisterChange",
    "RegisterSnapshot", "RegisterSyncRun", "RegistrationVersion", "SequenceCounter", "User", "UserRole", "PartnerToken", "Signal",
    "SignalAttachment", "SignalImport", "Suspect", "SuspectLink", "WorkItem",
]
