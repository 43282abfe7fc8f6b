"""``flask documents``: letter types, and verifying and exporting issued documents."""

from __future__ import annotations

from flask.cli import AppGroup

documents_cli = AppGroup("documents", help="Briefsoorten, en uitgegeven documenten controleren en wegschrijven.")
