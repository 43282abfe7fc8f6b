"""What every feature's command-line commands share."""

from __future__ import annotations

import click

from wki.core.errors import ServiceError
from wki.core.extensions import db


def fail(exc: ServiceError) -> None:
    """End a command refused by a service: nothing it did is kept, and the refusal is its message."""
    db.session.rollback()
    raise click.ClickException(exc.message)
