"""The documents panel on a registration's and a suspect's page: what was sent to that party, newest first,
with a correction marked; one query for the corrections however many documents."""

from __future__ import annotations

from datetime import date

from tests.documents.test_issuing import recipient
from tests.documents.test_mailings import load_register
from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.documents import issuing
from wki.documents.texts import get_letter_type
from wki.signals.models import Channel
from wki.signals.recording import create_signal

ACTOR = Actor("voorlichting@example.org")


def test_registration_page_lists_the_documents_sent_to_it(db_session, login_as):
    load_register(2)
    info = get_letter_type("informatiebrief-sector")
    first = issuing.issue_document(letter_type=info, recipient=recipient(1), actor=ACTOR, document_date=date(2026, 6, 2))
    correction = issuing.issue_document(letter_type=info, recipient=recipient(1), actor=ACTOR,
                                        document_date=date(2026, 6, 3), supersedes=first,
                                        correction_reason="Verkeerde datum")
    issuing.issue_document(letter_type=info, recipient=recipient(2), actor=ACTOR, document_date=date(2026, 6, 2))
    page = login_as(Role.VOORLICHTING).get("/register/R2024-00001").get_data(as_text=True)
    assert ">Documenten</h2>" in page
    assert first.kenmerk in page and correction.kenmerk in page and f"vervangen door {correction.kenmerk}" in page
    assert page.index(correction.kenmerk) < page.index(first.kenmerk + "</a>")  # newest first
    assert f'href="/documenten/{first.kenmerk}"' in page
    other = login_as(Role.VOORLICHTING).get("/register/R2024-00002").get_data(as_text=True)
    assert first.kenmerk not in other and "De documenten" not in other and "Het document" in other


def test_suspect_page_lists_the_documents_sent_to_it(db_session, login_as):
    load_register(1)
    signal = create_signal(signal_row(5001, naam_incassant="Snelgeld Inning"), channel=Channel.FORM,
                           actor=Actor.process("inspecteur@test"))
    assert signal.suspect_id is not None
    page = login_as(Role.INSPECTEUR).get(f"/signalen/mogelijke-overtreders/{signal.suspect_id}").get_data(as_text=True)
    assert "Er zijn nog geen documenten aan deze mogelijke overtreder gestuurd." in page
    reminder = get_letter_type("herinnering-registratie")
    document = issuing.issue_document(
        letter_type=reminder, actor=ACTOR, extra_values={"reactie_voor": "1 juli 2026"},
        recipient={"key": f"overtreder:{signal.suspect_id}", "naam": "Snelgeld Inning", "registratienummer": None,
                   "suspect_id": signal.suspect_id, "adresregels": ["Postbus 1", "1000 AA  AMSTERDAM"],
                   "postcode": "1000 AA", "email": None, "velden": {}})
    page = login_as(Role.INSPECTEUR).get(f"/signalen/mogelijke-overtreders/{signal.suspect_id}").get_data(as_text=True)
    assert document.kenmerk in page and "Registratieplicht voor incassodienstverleners" in page
    assert "Er zijn nog geen zaken geopend" in page  # enforcement's "Zaken" panel: no case yet
