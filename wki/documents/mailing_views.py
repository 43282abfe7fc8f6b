"""Pages of mass mailings (Documenten → Mailings)."""

from __future__ import annotations
