"""Every model of every feature, imported in one place for Alembic and the shell."""

from wki.auth.models import LoginFailure, RecoveryCode, User, UserRole
from wki.core.audit import AuditEvent
from wki.core.jobs import JobRun

__all__ = ["AuditEvent", "JobRun", "LoginFailure", "RecoveryCode", "User", "UserRole"]
