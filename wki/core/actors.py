"""Who acts: the actor recorded for a command run from a shell."""

from __future__ import annotations

import os

CLI_ACTOR = "cli"


def cli_actor() -> str:
    """The actor recorded for a command run from a shell: ``cli:<login name>``."""
    return f"{CLI_ACTOR}:{os.environ.get('USER', 'onbekend')}"
