"""Demo data for the Documenten section (``flask demo seed``): a mailing of the information letter to every
registered agency, approved and started (the worker that ``scripts/run.sh`` starts renders its letters within
seconds, and they appear on each agency's page), a second mailing that waits for approval, and a new
version of the information letter's text that waits for a colleague to publish it.

Made through the services, as the people would, in the caller's transaction; skipped when a mailing exists
already (the demo is seeded again on a filled database)."""

from __future__ import annotations

import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.documents import mailings, texts
from wki.documents.models import Mailing


def seed_documents(*, writer: Actor, approver: Actor) -> bool:
    """Returns False when skipped (a mailing exists) or when the register has no agency to write to."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Mailing)):
        return False
    letter_type = texts.require_letter_type("informatiebrief-sector")
    today = today_local()
    everyone = mailings.Choice("register", {"as_of": today.isoformat(), "status": "ingeschreven"})
    if not mailings.fetch_recipients(everyone)[0]:
        return False
    sent = mailings.create_mailing(letter_type=letter_type, title="Informatiebrief over het toezicht", actor=writer,
                                   document_date=today, choice=everyone)
    mailings.approve_mailing(sent, actor=approver)
    mailings.start_mailing(sent, actor=writer)
    utrecht = mailings.Choice("register", {"as_of": today.isoformat(), "status": "ingeschreven", "plaats": "Utrecht"})
    if mailings.fetch_recipients(utrecht)[0]:
        mailings.create_mailing(letter_type=letter_type, title="Informatiebrief aan de bureaus in Utrecht",
                                actor=writer, document_date=today, choice=utrecht)
    published = texts.require_published_text(letter_type)
    texts.save_text(letter_type, subject=published.subject, based_on=texts.versions_of(letter_type)[0], actor=writer,
                    note="Alinea over de verlenging van de registratie toegevoegd.",
                    body=published.body + "\n\n# Verlenging\nVraag verlenging uiterlijk drie maanden vóór het "
                                          "einde van uw registratie aan bij Justis.")
    return True
