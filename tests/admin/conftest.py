"""Fixtures for the Beheer pages: the audit-event maker is shared with the core tests."""

from tests.core.conftest import audit_event_at  # noqa: F401  (re-exported as a fixture)
