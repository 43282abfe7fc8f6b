"""Demo data for the Documenten section (``flask demo seed``): a finished mailing of the information letter
to every registered agency (its letters archived and listed on each agency's page), a second mailing that
waits for approval, and a new version of the information letter's text that waits for a colleague to
publish it."""

from __future__ import annotations

import os

from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.documents import mailings, texts


def seed_documents(*, writer: Actor, approver: Actor) -> None:
    """Everything is made through the services, as the people would; the letters are rendered here (a few
    seconds for the demo register's agencies), not queued, so the demo shows them at once."""
    letter_type = texts.require_letter_type("informatiebrief-sector")
    today = today_local()
    sent = mailings.create_mailing(
        letter_type=letter_type, title="Informatiebrief over het toezicht", actor=writer, document_date=today,
        choice=mailings.Choice("register", {"as_of": today.isoformat(), "status": "ingeschreven"}))
    mailings.approve_mailing(sent, actor=approver)
    mailings.start_mailing(sent, actor=writer, queue=False)
    db.session.commit()
    mailings.run_part(sent.id, worker=f"demo:{os.getpid()}")
    mailings.create_mailing(
        letter_type=letter_type, title="Informatiebrief aan de bureaus in Utrecht", actor=writer, document_date=today,
        choice=mailings.Choice("register", {"as_of": today.isoformat(), "status": "ingeschreven",
                                            "plaats": "Utrecht"}))
    published = texts.require_published_text(letter_type)
    texts.save_text(letter_type, subject=published.subject, based_on=published, actor=writer,
                    note="Alinea over de verlenging van de registratie toegevoegd.",
                    body=published.body + "\n\n# Verlenging\nVraag verlenging uiterlijk drie maanden vóór het "
                                          "einde van uw registratie aan bij Justis.")
    db.session.commit()
