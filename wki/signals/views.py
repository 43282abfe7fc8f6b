"""Signal pages (filled in by its author)."""
