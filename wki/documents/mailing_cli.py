"""``flask mailings``: mass mailings from the command line (operators and scripts).

Every command acts as a person (``--by EMAIL``: an active account holding ``voorlichting`` or
``beheerder``), is audited with that person, and ends with exit status 0 (done) or 1 (refused, with the
reason in Dutch). ``run`` works in the foreground in several processes (``--processes``, default 2), with
a progress bar; Ctrl+C stops it after the letters in hand, and running it again resumes.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.files import write_atomically

mailings_cli = AppGroup("mailings", help="Mailings: aanmaken, goedkeuren, uitvoeren, status en drukbestand.")

DATE = click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"])
POLL_SECONDS = 0.5


def _mailer(email: str) -> Actor:
    """The acting person: an active account that prepares or approves mailings."""
    from wki.core.auth import user_has_any_role
    from wki.documents import MAILERS
    from wki.documents.cli import acting_user

    user = acting_user(email)
    if not user_has_any_role(user, MAILERS):
        raise click.ClickException(f"{email} heeft niet de rol voorlichting of beheerder en mag geen mailings "
                                   "aanmaken of goedkeuren.")
    return Actor.of(user)


@contextmanager
def _refusals() -> Iterator[None]:
    """A service's refusal: nothing kept, the reason on stderr, exit status 1."""
    try:
        yield
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    except BaseException:
        db.session.rollback()
        raise


def _mailing(mailing_id: int) -> Any:
    from wki.documents.mailings import get_mailing

    mailing = get_mailing(mailing_id)
    if mailing is None:
        raise click.ClickException(f"Er is geen mailing {mailing_id}.")
    return mailing


def _values(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"gebruik NAAM=WAARDE, niet {pair!r}", param_hint="--value")
        values[name.strip()] = value.strip()
    return values


@mailings_cli.command("create")
@click.option("--type", "slug", required=True, help="Briefsoort (slug; zie flask documents types).")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Peildatum: het register zoals het toen was.")
@click.option("--status", default=None, help="Status van de registraties op de peildatum (standaard ingeschreven).")
@click.option("--title", default="", help="Titel van de mailing.")
@click.option("--plaats", default=None, help="Alleen registraties in deze plaats.")
@click.option("--registered-since", type=DATE, default=None, help="Alleen ingeschreven op of na deze datum.")
@click.option("--valid-until-before", type=DATE, default=None, help="Alleen met geldig tot vóór deze datum.")
@click.option("--min-signals", type=click.IntRange(min=1), default=None,
              help="Mogelijke overtreders: met ten minste zoveel signalen.")
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Adressenlijst (CSV) in plaats van het register.")
@click.option("--email", "send_email", is_flag=True, help="Ook per e-mail versturen (als er een mailserver is).")
@click.option("--date", "document_date", type=DATE, default=None, help="Datum van de brieven (standaard vandaag).")
@click.option("--value", "values", multiple=True, help="Waarde van een veld van de briefsoort: NAAM=WAARDE.")
@click.option("--by", "email", required=True, help="E-mailadres van wie de mailing aanmaakt.")
def create_command(slug: str, as_of: Any, status: str | None, title: str, plaats: str | None,
                   registered_since: Any, valid_until_before: Any, min_signals: int | None, csv_path: Path | None,
                   send_email: bool, document_date: Any, values: tuple[str, ...], email: str) -> None:
    """Maak een mailing aan (die wacht op goedkeuring door een ander). Drukt het nummer van de mailing af op
    de eerste regel, daarna het aantal ontvangers en wie niet bereikbaar is."""
    from wki.documents.mailings import Choice, create_mailing, unreachable_recipients
    from wki.documents.models import Audience, RecipientSource
    from wki.documents.texts import require_letter_type

    actor = _mailer(email)
    with _refusals():
        letter_type = require_letter_type(slug)
        if csv_path is not None:
            choice = Choice(RecipientSource.CSV, csv_data=csv_path.read_bytes(), file_name=csv_path.name)
        elif letter_type.audience == Audience.SUSPECT:
            choice = Choice(RecipientSource.SUSPECTS, {"min_signals": min_signals})
        else:
            if as_of is None:
                raise ServiceError("Geef de peildatum op (--as-of JJJJ-MM-DD).")
            choice = Choice(RecipientSource.REGISTER, {
                "as_of": as_of.date(), "status": status, "plaats": plaats,
                "registered_since": registered_since.date() if registered_since else None,
                "valid_until_before": valid_until_before.date() if valid_until_before else None})
        day = document_date.date() if document_date else None
        extra = _values(values)
        mailing = create_mailing(letter_type=letter_type, choice=choice, title=title, actor=actor, extra_values=extra,
                                 document_date=day, send_email=send_email, roles=_roles(actor))
        unreachable = unreachable_recipients(mailing)
    click.echo(str(mailing.id))
    click.echo(f"{mailing.title}: {mailing.recipient_count} ontvangers, {mailing.unreachable_count} niet bereikbaar. "
               "Wacht op goedkeuring door een ander.")
    for recipient in unreachable:
        click.echo(f"  niet bereikbaar: {recipient.name} ({recipient.recipient_key})")


def _roles(actor: Actor) -> list[str] | None:
    from wki.auth.services import find_user_by_email

    user = find_user_by_email(actor.label)
    return list(user.role_set) if user is not None else None


@mailings_cli.command("approve")
@click.argument("mailing_id", type=int)
@click.option("--by", "email", required=True, help="E-mailadres van wie goedkeurt (niet wie haar aanmaakte).")
def approve_command(mailing_id: int, email: str) -> None:
    """Keur een mailing goed: door een ander dan wie haar aanmaakte (vier ogen)."""
    from wki.documents.mailings import approve_mailing

    actor = _mailer(email)
    with _refusals():
        mailing = approve_mailing(_mailing(mailing_id), actor=actor)
    click.echo(f"Mailing {mailing.id} is goedgekeurd door {actor.label}.")


@mailings_cli.command("cancel")
@click.argument("mailing_id", type=int)
@click.option("--by", "email", required=True, help="E-mailadres van wie annuleert.")
def cancel_command(mailing_id: int, email: str) -> None:
    """Annuleer een mailing die nog niet is gestart."""
    from wki.documents.mailings import cancel_mailing

    actor = _mailer(email)
    with _refusals():
        cancel_mailing(_mailing(mailing_id), actor=actor)
    click.echo(f"Mailing {mailing_id} is geannuleerd.")


def _child(app: Flask, mailing_id: int, number: int) -> None:
    """One process of ``run``: its own connections, and Ctrl+C finishes the letter in hand."""
    from wki.core.worker import worker_name
    from wki.documents.mailing_run import run_part

    stop = {"now": False}

    def handle(signum: int, frame: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    with app.app_context():
        db.engine.dispose(close=False)  # the parent's pooled connections are never used across the fork
        try:
            run_part(mailing_id, worker=f"{worker_name()}:cli{number}", should_stop=lambda: stop["now"])
        finally:
            db.session.remove()


@mailings_cli.command("run")
@click.argument("mailing_id", type=int)
@click.option("--by", "email", default=None,
              help="E-mailadres van wie de mailing start (nodig als zij nog niet is gestart).")
@click.option("--processes", type=click.IntRange(min=1, max=32), default=2, show_default=True,
              help="Aantal processen dat brieven maakt.")
def run_command(mailing_id: int, email: str | None, processes: int) -> None:
    """Voer een goedgekeurde mailing uit in de voorgrond, met een voortgangsbalk; een gestarte mailing wordt
    hervat. Ctrl+C stopt na de brieven die onderhanden zijn; opnieuw ``run`` gaat verder waar het stopte."""
    from wki.documents.mailing_run import run_part
    from wki.documents.mailings import mailing_progress, record_resumed, start_mailing
    from wki.documents.models import MailingStatus

    mailing = _mailing(mailing_id)
    if mailing.status == MailingStatus.APPROVED:
        if not email:
            raise click.ClickException("De mailing is nog niet gestart: geef met --by aan wie haar start.")
        actor = _mailer(email)
        with _refusals():
            start_mailing(mailing, actor=actor, queue=False)
        click.echo(f"Mailing {mailing_id} is gestart door {actor.label}.")
    elif mailing.status == MailingStatus.RUNNING:
        with _refusals():
            record_resumed(mailing, actor=_mailer(email) if email else Actor.cli())
        click.echo(f"Mailing {mailing_id} loopt al; verder waar zij was.")
    else:
        db.session.rollback()
        raise click.ClickException(f"Mailing {mailing_id} is {MailingStatus.label_of(mailing.status).lower()}; "
                                   "alleen een goedgekeurde of lopende mailing kan worden uitgevoerd.")
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy typed as Flask
    db.session.commit()
    total = mailing_progress(mailing).total
    db.session.commit()
    if processes == 1:
        with click.progressbar(length=total, label="Brieven", show_pos=True) as bar:
            run_part(mailing_id, worker=f"cli:{os.getpid()}")
            db.session.expire_all()
            bar.update(mailing_progress(mailing).done)
        _report(mailing_id)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may cross the fork
    children = [context.Process(target=_child, args=(app, mailing_id, n + 1), name=f"wki-mailing-{n + 1}")
                for n in range(processes)]
    for child in children:
        child.start()
    interrupted = False
    shown = 0
    with click.progressbar(length=total, label="Brieven", show_pos=True) as bar:
        try:
            while any(child.is_alive() for child in children):
                for child in children:
                    child.join(timeout=POLL_SECONDS / len(children))
                shown = _advance(bar, mailing_id, shown)
        except KeyboardInterrupt:
            # The children received the same Ctrl+C: each finishes its letter and stops.
            interrupted = True
            for child in children:
                if child.is_alive() and child.pid:
                    os.kill(child.pid, signal.SIGINT)
            for child in children:
                child.join()
        _advance(bar, mailing_id, shown)
    if interrupted:
        click.echo(f"Onderbroken. Hervat met: flask mailings run {mailing_id}", err=True)
        raise SystemExit(1)
    _report(mailing_id)


def _advance(bar: Any, mailing_id: int, shown: int) -> int:
    from wki.documents.mailings import get_mailing, mailing_progress

    db.session.expire_all()
    mailing = get_mailing(mailing_id)
    done = mailing_progress(mailing).done if mailing is not None else shown
    db.session.commit()
    if done > shown:
        bar.update(done - shown)
    return max(done, shown)


def _report(mailing_id: int) -> None:
    from wki.documents.mailings import get_mailing, mailing_progress
    from wki.documents.models import MailingStatus

    db.session.expire_all()
    mailing = get_mailing(mailing_id)
    assert mailing is not None
    progress = mailing_progress(mailing)
    db.session.commit()
    click.echo(f"Mailing {mailing_id}: {MailingStatus.label_of(mailing.status)}. {progress.done} van {progress.total} "
               f"ontvangers klaar, {progress.failed} mislukt.")


@mailings_cli.command("status")
@click.argument("mailing_id", type=int)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Schrijf per ontvanger registratienummer, naam, kenmerk, status en sha256 naar dit bestand.")
@click.option("--by", "email", default=None, help="E-mailadres van wie het statusbestand opvraagt.")
def status_command(mailing_id: int, csv_path: Path | None, email: str | None) -> None:
    """Toon de aantallen per verzendstatus; met --csv ook een bestand met een regel per ontvanger."""
    from wki.core.downloads import csv_bytes
    from wki.documents.mailings import STATUS_COLUMNS, mailing_progress, record_status_export, status_rows
    from wki.documents.models import DeliveryStatus, MailingStatus

    mailing = _mailing(mailing_id)
    progress = mailing_progress(mailing)
    click.echo(f"Mailing {mailing.id}: {mailing.title} ({MailingStatus.label_of(mailing.status)})")
    for status in DeliveryStatus:
        click.echo(f"  {status.value:<11} {progress.counts[status.value]:>7}  {status.label}")
    if progress.rate_per_minute:
        click.echo(f"  tempo {progress.rate_per_minute:.1f} brieven per minuut")
    actor = _mailer(email) if email else Actor.cli()
    with _refusals():
        record_status_export(mailing, actor=actor, to_file=csv_path is not None)
        if csv_path is not None:  # written inside the transaction: a file that cannot be written is not audited
            write_atomically(csv_path, csv_bytes(STATUS_COLUMNS, status_rows(mailing)))
    if csv_path is not None:
        click.echo(f"Statusbestand geschreven: {csv_path}")


@mailings_cli.command("print-file")
@click.argument("mailing_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "email", default=None, help="E-mailadres van wie het drukbestand maakt.")
def print_file_command(mailing_id: int, path: Path, email: str | None) -> None:
    """Schrijf het drukbestand: één PDF met elke brief die per post gaat, op postcode gesorteerd."""
    from wki.documents.mailings import print_file

    actor = _mailer(email) if email else Actor.cli()
    with _refusals():
        data = print_file(_mailing(mailing_id), actor=actor)
    write_atomically(path, data)
    click.echo(f"Drukbestand geschreven: {path} ({len(data):,} bytes)".replace(",", "."))
