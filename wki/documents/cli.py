"""``flask documents``: letter types, and verifying and exporting issued documents. Every command that
reads a document is audited with the acting user (``--by EMAIL``) or the shell's login name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.files import write_atomically

documents_cli = AppGroup("documents", help="Briefsoorten, en uitgegeven documenten controleren en wegschrijven.")


def acting_user(email: str) -> Any:
    """The active account a command's ``--by EMAIL`` names; a ClickException (exit 1) otherwise."""
    from wki.auth.services import find_user_by_email

    user = find_user_by_email(email or "")
    if user is None or not user.active:
        raise click.ClickException(f"Er is geen actieve gebruiker met e-mailadres {email}.")
    return user


def _actor(email: str | None) -> Actor:
    return Actor.of(acting_user(email)) if email else Actor.cli()


@documents_cli.command("types")
@click.option("--by", "email", default=None, help="E-mailadres van wie opvraagt (anders de inlognaam).")
def types_command(email: str | None) -> None:
    """Toon de briefsoorten: slug, titel, doelgroep, gepubliceerde versie en wie ze mag gebruiken."""
    from wki.core import audit
    from wki.documents.audit_actions import DocumentAction
    from wki.documents.models import Audience
    from wki.documents.texts import list_letter_types, published_text

    audit.record(DocumentAction.TYPES_LISTED, object_type="letter_text", actor=_actor(email))
    db.session.commit()

    for letter_type in list_letter_types():
        text = published_text(letter_type)
        version = f"v{text.number}" if text else "geen tekst"
        mail = "mailing" if letter_type.mailable else "los"
        click.echo(f"{letter_type.slug:<26} {letter_type.title:<38} {Audience.label_of(letter_type.audience):<42} "
                   f"{version:<10} {mail:<8} {', '.join(letter_type.roles)}")


@documents_cli.command("verify")
@click.argument("kenmerk")
@click.option("--by", "email", default=None, help="E-mailadres van wie controleert (anders de inlognaam).")
def verify_command(kenmerk: str, email: str | None) -> None:
    """Herbereken de controlewaarde (SHA-256) van het opgeslagen document en vergelijk haar met de vastgelegde.
    Eindigt met 1 als het document beschadigd is of ontbreekt."""
    from wki.documents.issuing import require_document, verify_document

    try:
        document = require_document(kenmerk)
        result = verify_document(document, actor=_actor(email))
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"{result.kenmerk}: {result.message}")
    click.echo(f"  vastgelegd: {result.recorded}")
    click.echo(f"  berekend:   {result.computed or '-'}")
    if not result.ok:
        raise SystemExit(1)


@documents_cli.command("export")
@click.argument("kenmerk")
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--by", "email", default=None, help="E-mailadres van wie het document wegschrijft (anders de inlognaam).")
def export_command(kenmerk: str, path: Path, email: str | None) -> None:
    """Schrijf het document (de pdf, gecontroleerd) naar PATH; is PATH een map, dan als KENMERK.pdf daarin.
    Een bestaand bestand wordt niet overschreven."""
    from wki.documents.issuing import document_pdf, require_document

    try:
        document = require_document(kenmerk)
        target = path / f"{document.kenmerk}.pdf" if path.is_dir() else path
        if target.exists():
            raise ServiceError(f"{target} bestaat al; kies een andere naam.")
        data = document_pdf(document, actor=_actor(email), exported_to=str(target))
        write_atomically(target, data, replace=False)
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    except OSError as exc:
        db.session.rollback()
        raise click.ClickException(f"{path} is niet te schrijven ({exc.strerror or exc}).") from None
    click.echo(f"{document.kenmerk} geschreven naar {target} ({len(data):,} bytes, sha256 {document.sha256}).")

