"""The signals panel on a registration page (filled in by its author)."""


def register_panels() -> None:
    """Append the panel provider to wki.register.panels.REGISTRATION_PANELS once."""
