"""Pages of the Toezicht section (to be written)."""

from __future__ import annotations

from wki.supervision import bp  # noqa: F401
