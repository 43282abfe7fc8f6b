"""The pages for issued documents: the list with its filters and pages, one document with everything recorded
about it (and its correction chain), the audited download of its PDF, and 404 for a kenmerk that is not one."""

from __future__ import annotations

import hashlib
import html
import re

import pytest
import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.documents import issuing, texts
from wki.documents.audit_actions import DocumentAction
from wki.documents.models import Document

RECIPIENT = {
    "key": "registratie:R2026-00007", "naam": "Incasso Zeven B.V.", "registratienummer": "R2026-00007",
    "suspect_id": None, "adresregels": ["Dorpsstraat 7", "1234 AB  ZEVENHUIZEN"], "postcode": "1234 AB",
    "email": None, "velden": {"registratienummer": "R2026-00007", "geldig_tot": "1 april 2030"},
}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plain(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def issue(recipient: dict | None = None, **kwargs) -> Document:
    letter_type = texts.get_letter_type("informatiebrief-sector")
    assert letter_type is not None
    return issuing.issue_document(letter_type=letter_type, recipient=recipient or RECIPIENT,
                                  actor=Actor.process("test@inspectie.example.nl"), **kwargs)


def events(action: DocumentAction) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == str(action))
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def reader(login_as):
    return login_as(Role.INSPECTEUR)


class TestDocumentPage:
    @pytest.mark.parametrize(("roles", "status"), [
        ((Role.VOORLICHTING,), 200), ((Role.INSPECTEUR,), 200), ((Role.HANDHAVER,), 200), ((Role.BEHEERDER,), 200),
        ((), 403)])
    def test_who_sees_it(self, login_as, roles, status):
        doc = issue()
        assert login_as(*roles).get(f"/documenten/{doc.kenmerk}").status_code == status

    def test_shows_what_was_recorded(self, reader):
        doc = issue()
        page = plain(text_of(reader.get(f"/documenten/{doc.kenmerk}")))
        for expected in (doc.kenmerk, doc.title, doc.subject, "Incasso Zeven B.V.", "registratienummer R2026-00007",
                         doc.sha256, "versie 1", "test@inspectie.example.nl", "Download PDF"):
            assert expected in page, expected
        assert f"Pagina's {doc.pages}" in page

    def test_correction_chain_links_both_ways(self, reader):
        old = issue()
        new = issue(supersedes=old, correction_reason="Verkeerde plaatsnaam")
        old_page = text_of(reader.get(f"/documenten/{old.kenmerk}"))
        assert "Dit document is vervangen" in plain(old_page)
        assert f'href="/documenten/{new.kenmerk}"' in old_page
        new_page = text_of(reader.get(f"/documenten/{new.kenmerk}"))
        assert f'href="/documenten/{old.kenmerk}"' in new_page
        assert "Verkeerde plaatsnaam" in plain(new_page)

    @pytest.mark.parametrize("kenmerk", ["foo", "WKI-2026", "WKI-20x6-000001", "ABC-2026-000001", "WKI-2026-000001-1"])
    def test_malformed_kenmerk_is_404(self, reader, kenmerk):
        assert reader.get(f"/documenten/{kenmerk}").status_code == 404
        assert reader.get(f"/documenten/{kenmerk}/pdf").status_code == 404

    def test_unknown_kenmerk_is_404(self, reader):
        assert reader.get("/documenten/WKI-1999-999999").status_code == 404
        assert reader.get("/documenten/WKI-1999-999999/pdf").status_code == 404


class TestDownload:
    def test_download_is_the_recorded_pdf_and_audited(self, reader):
        doc = issue()
        before = len(events(DocumentAction.DOWNLOADED))
        response = reader.get(f"/documenten/{doc.kenmerk}/pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{doc.kenmerk}.pdf"'
        assert response.headers["Cache-Control"] == "no-store"
        data = response.get_data()
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == doc.sha256
        downloads = events(DocumentAction.DOWNLOADED)
        assert len(downloads) == before + 1
        assert downloads[-1].actor_email == reader.user.email
        assert downloads[-1].object_id == str(doc.id) and downloads[-1].after["kenmerk"] == doc.kenmerk

    def test_refused_download_is_not_audited(self, login_as):
        doc = issue()
        assert login_as().get(f"/documenten/{doc.kenmerk}/pdf").status_code == 403
        assert events(DocumentAction.DOWNLOADED) == []


class TestList:
    def test_lists_newest_first_with_links(self, reader):
        first, second = issue(), issue({**RECIPIENT, "key": "x", "naam": "Tweede Incasso"})
        page = text_of(reader.get("/documenten/uitgegeven"))
        assert page.index(second.kenmerk) < page.index(first.kenmerk)
        assert f'href="/documenten/{first.kenmerk}"' in page
        assert "2 documenten" in plain(page)

    def test_filters_on_recipient_kenmerk_and_type(self, reader):
        first, second = issue(), issue({**RECIPIENT, "key": "x", "naam": "Tweede Incasso"})
        page = plain(text_of(reader.get("/documenten/uitgegeven?zoek=tweede")))
        assert second.kenmerk in page and first.kenmerk not in page
        page = plain(text_of(reader.get(f"/documenten/uitgegeven?zoek={first.kenmerk.lower()}")))
        assert first.kenmerk in page and second.kenmerk not in page
        page = plain(text_of(reader.get("/documenten/uitgegeven?soort=waarschuwingsbrief")))
        assert "Geen documenten gevonden" in page
        page = plain(text_of(reader.get("/documenten/uitgegeven?zoek=%25")))  # a % is text, not a wildcard
        assert "Geen documenten gevonden" in page

    def test_pages(self, reader, monkeypatch):
        monkeypatch.setattr("wki.documents.views.PER_PAGE", 1)
        first, second = issue(), issue({**RECIPIENT, "key": "x", "naam": "Tweede Incasso"})
        page = text_of(reader.get("/documenten/uitgegeven?pagina=2"))
        assert first.kenmerk in page and second.kenmerk not in page
        assert "Pagina 2 van 2" in page
        assert reader.get("/documenten/uitgegeven?pagina=999").status_code == 200

    def test_the_start_page_shows_the_latest(self, reader):
        doc = issue()
        page = plain(text_of(reader.get("/documenten/")))
        assert doc.kenmerk in page and "Incasso Zeven B.V." in page and "test@inspectie.example.nl" in page
