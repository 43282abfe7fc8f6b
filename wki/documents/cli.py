"""``flask documents``: letter types, and verifying and exporting issued documents."""

from __future__ import annotations

from wki.documents import bp

documents_cli = bp.cli
