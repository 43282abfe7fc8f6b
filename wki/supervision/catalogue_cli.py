"""``flask catalogue load PATH``: load a version of the requirement catalogue; ``flask catalogue list``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date

catalogue_cli = AppGroup("catalogue", help="De eisencatalogus van het toezicht: versies laden en bekijken.")


@catalogue_cli.command("load")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def load_command(path: Path) -> None:
    """Laad PATH (JSON) als nieuwe versie van de eisencatalogus. Dezelfde inhoud nogmaals laden verandert niets."""
    from wki.supervision.catalogue import load_catalogue

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path} is niet te lezen: {exc.strerror or exc}.") from None
    try:
        loaded = load_catalogue(data, actor=Actor.cli(), source_name=path.name)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    version = loaded.version
    if loaded.created:
        click.echo(f"Versie {version.versie} geladen: {len(version.requirements)} eisen, geldig vanaf "
                   f"{fmt_date(version.geldig_vanaf)}.")
    else:
        click.echo(f"Niets gewijzigd: deze inhoud is al geladen als versie {version.versie}.")


@catalogue_cli.command("list")
def list_command() -> None:
    """Toon de geladen versies van de eisencatalogus, nieuwste eerst."""
    from wki.supervision.catalogue import versions

    for version in versions():
        click.echo(f"versie {version.versie}\tgeldig vanaf {version.geldig_vanaf.isoformat()}\t"
                   f"{len(version.requirements)} eisen\tgeladen door {version.loaded_by}\tsha256 {version.sha256}")
