"""The partner API (filled in by its author)."""
