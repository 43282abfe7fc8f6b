"""Dashboard tiles of the signals (filled in by its author)."""


def register_tiles() -> None:
    """Append the tile provider to wki.dashboard.tiles.PROVIDERS once."""
