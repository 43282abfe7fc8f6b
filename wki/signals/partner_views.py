"""Administrators issue and revoke partner tokens (filled in by its author)."""
