"""The pages for letter types and their texts: the section's start, a type with its versions, one version
with its diff and four-eyes publishing, the editor (saving, refusing with every problem on its line, the
typed text kept, a preview of unsaved text) and the preview of a letter for a chosen recipient."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.conftest import csrf_token
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.core.features import RecipientSource
from wki.documents import texts
from wki.documents.audit_actions import DocumentAction
from wki.documents.models import LetterText, TextStatus

SLUG = "informatiebrief-sector"  # written by voorlichting (and the administrator)
EDIT = f"/documenten/briefsoorten/{SLUG}/bewerken"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plain(page: str) -> str:
    """The page's text without tags, entities resolved and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def events(action: DocumentAction) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == str(action))
                                   .order_by(AuditEvent.id)))


def letter_type(slug: str = SLUG):
    found = texts.get_letter_type(slug)
    assert found is not None
    return found


def save_draft(author, *, body_extra: str = "Een nieuwe alinea.", slug: str = SLUG) -> LetterText:
    """A draft version written by ``author`` (a logged-in client's user) through the service."""
    lt = letter_type(slug)
    published = texts.published_text(lt)
    assert published is not None
    return texts.save_text(lt, subject=published.subject, body=published.body + "\n\n" + body_extra,
                           note="Alinea toegevoegd", actor=Actor.of(author), based_on=texts.versions_of(lt)[0])


def form_data(client, **values: str) -> dict[str, str]:
    lt = letter_type()
    latest = texts.versions_of(lt)[0]
    data = {"csrf_token": csrf_token(client, EDIT), "subject": latest.subject, "body": latest.body,
            "note": "", "based_on": str(latest.id), "actie": "opslaan"}
    data.update(values)
    return data


@pytest.fixture
def writer(login_as):
    return login_as(Role.VOORLICHTING)


@pytest.fixture
def colleague(login_as):
    return login_as(Role.VOORLICHTING)


class TestIndex:
    @pytest.mark.parametrize(("roles", "status"), [
        ((Role.VOORLICHTING,), 200), ((Role.INSPECTEUR,), 200), ((Role.HANDHAVER,), 200), ((Role.BEHEERDER,), 200),
        ((), 403)])
    def test_who_sees_it(self, login_as, roles, status):
        assert login_as(*roles).get("/documenten/").status_code == status

    def test_lists_types_with_published_version_and_waiting_drafts(self, writer):
        save_draft(writer.user)
        page = plain(text_of(writer.get("/documenten/")))
        assert letter_type().title in page
        assert f"versie 2 door {writer.user.email}" in page
        assert "Er zijn nog geen documenten uitgegeven." in page


class TestLetterType:
    def test_shows_fields_blocks_published_text_and_versions(self, writer):
        response = writer.get("/documenten/briefsoorten/informatieverzoek")
        assert response.status_code == 200
        page = text_of(response)
        assert "((registratienummer))" in page and "((uiterlijk))" in page and "((blok:gevraagde_stukken))" in page
        assert '<pre class="wki-pre wki-letter-text"' in page
        assert "Versie 1" in page and "Gepubliceerd" in page
        assert "Tekst bewerken" in page  # voorlichting writes information requests

    def test_no_edit_button_for_who_may_not_write(self, login_as):
        page = text_of(login_as(Role.HANDHAVER).get(f"/documenten/briefsoorten/{SLUG}"))
        assert "Tekst bewerken" not in page

    def test_unknown_type_is_404(self, writer):
        assert writer.get("/documenten/briefsoorten/bestaat-niet").status_code == 404
        assert writer.get(f"/documenten/briefsoorten/{SLUG}/versies/99").status_code == 404


class TestEdit:
    @pytest.mark.parametrize(("roles", "status"), [
        ((Role.VOORLICHTING,), 200), ((Role.BEHEERDER,), 200), ((Role.INSPECTEUR,), 403), ((Role.HANDHAVER,), 403),
        ((), 403)])
    def test_only_who_may_use_the_type(self, login_as, roles, status):
        assert login_as(*roles).get(EDIT).status_code == status

    def test_post_refused_to_who_may_not_use_the_type(self, login_as):
        client = login_as(Role.HANDHAVER)
        token = csrf_token(client, "/account/wachtwoord")
        response = client.post(EDIT, data={"csrf_token": token, "subject": "x", "body": "y", "actie": "opslaan"})
        assert response.status_code == 403
        assert len(texts.versions_of(letter_type())) == 1

    def test_form_starts_from_the_latest_version(self, writer):
        page = text_of(writer.get(EDIT))
        latest = texts.versions_of(letter_type())[0]
        assert html.escape(latest.body.split("\n")[0], quote=False) in page
        assert 'rows="25"' in page
        assert "Opslaan als nieuwe versie" in page and "Voorbeeld bekijken" in page
        assert "((veld??tekst))" in page and "((blok:naam))" in page

    def test_saving_makes_a_new_version_with_an_audit_event(self, writer):
        before = len(events(DocumentAction.TEXT_SAVED))
        body = texts.versions_of(letter_type())[0].body + "\n\nEen extra alinea voor ((naam))."
        response = writer.post(EDIT, data=form_data(writer, body=body, note="Alinea over de naam"))
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/documenten/briefsoorten/{SLUG}/versies/2")
        new = texts.versions_of(letter_type())[0]
        assert (new.number, new.status, new.created_by, new.note) == (2, TextStatus.DRAFT, writer.user.email,
                                                                       "Alinea over de naam")
        assert new.body.endswith("Een extra alinea voor ((naam)).")
        saved = events(DocumentAction.TEXT_SAVED)
        assert len(saved) == before + 1 and saved[-1].actor_email == writer.user.email
        assert saved[-1].after["versie"] == 2

    def test_unknown_placeholder_is_refused_with_its_line_and_the_text_is_kept(self, writer):
        body = "Geachte heer, mevrouw,\n\nUw nummer is ((registratienummer)).\nUw klantnummer: ((klantnummer)).\n"
        response = writer.post(EDIT, data=form_data(writer, body=body, note="mijn wijziging"))
        assert response.status_code == 200
        page = text_of(response)
        summary = plain(page.split('id="foutmeldingen"')[1].split("</ul>")[0])
        assert "Regel 4:" in summary and "klantnummer" in summary
        assert html.escape("Uw klantnummer: ((klantnummer)).", quote=False) in page  # nothing lost
        assert 'value="mijn wijziging"' in page
        assert len(texts.versions_of(letter_type())) == 1

    def test_every_problem_is_listed_with_its_own_line(self, writer):
        body = "Regel een ((onbekend)).\n\nRegel drie ((naam\n"
        page = text_of(writer.post(EDIT, data=form_data(writer, body=body)))
        summary = plain(page.split('id="foutmeldingen"')[1].split("</ul>")[0])
        assert "Regel 1:" in summary and "Regel 3:" in summary

    def test_a_version_saved_meanwhile_is_reported(self, writer, colleague):
        data = form_data(writer, body="Iets anders.")
        save_draft(colleague.user)
        page = plain(text_of(writer.post(EDIT, data=data)))
        assert "Intussen is versie 2 opgeslagen" in page
        assert len(texts.versions_of(letter_type())) == 2

    def test_preview_of_the_typed_text_saves_nothing(self, writer):
        body = "Geachte ((naam)),\n\nDit is een voorbeeld van een **nieuwe** tekst."
        response = writer.post(EDIT, data=form_data(writer, body=body, actie="voorbeeld"))
        assert response.status_code == 200
        page = text_of(response)
        match = re.search(r'<img class="wki-preview-image" src="data:image/png;base64,([^"]+)" alt="([^"]+)"', page)
        assert match, page[:3000]
        assert match.group(2).startswith("Voorbeeld van de eerste pagina van de brief aan ")
        assert html.escape("Dit is een voorbeeld van een **nieuwe** tekst.", quote=False) in page
        assert len(texts.versions_of(letter_type())) == 1
        assert events(DocumentAction.PREVIEWED) == []

    def test_preview_of_a_wrong_text_shows_the_problems(self, writer):
        response = writer.post(EDIT, data=form_data(writer, body="Hallo ((onbekend)).", actie="voorbeeld"))
        page = text_of(response)
        assert "Regel 1:" in plain(page) and "data:image/png" not in page


class TestVersionAndPublishing:
    def test_diff_marks_added_and_removed_lines_not_only_by_colour(self, writer):
        lt = letter_type()
        first = texts.versions_of(lt)[0]
        lines = first.body.split("\n")
        removed = lines[2]
        body = "\n".join(lines[:2] + lines[3:] + ["Een geheel nieuwe slotregel."])
        texts.save_text(lt, subject=first.subject, body=body, actor=Actor.of(writer.user), based_on=first)
        page = text_of(writer.get(f"/documenten/briefsoorten/{SLUG}/versies/2"))
        assert re.search(r'<ins class="wki-diff__line wki-diff__line--added"><span class="wki-diff__mark" '
                         r'aria-hidden="true">\+</span><span class="wki-visually-hidden">toegevoegd: </span>'
                         r"Een geheel nieuwe slotregel\.</ins>", page)
        deleted = re.search(r'<del class="wki-diff__line wki-diff__line--removed"><span class="wki-diff__mark" '
                            r'aria-hidden="true">−</span><span class="wki-visually-hidden">verwijderd: </span>(.*?)</del>',
                            page)
        assert deleted and html.unescape(deleted.group(1)) == removed
        assert "ten opzichte van versie 1" in page

    def test_the_author_may_not_publish(self, writer):
        draft = save_draft(writer.user)
        url = f"/documenten/briefsoorten/{SLUG}/versies/{draft.number}"
        page = plain(text_of(writer.get(url)))
        assert "U heeft deze versie zelf geschreven" in page
        response = writer.post(url + "/publiceren", data={"csrf_token": csrf_token(writer, url)})
        assert response.status_code == 302
        page = plain(text_of(writer.get(url)))
        assert "U heeft deze versie zelf geschreven. Een collega publiceert haar (vier ogen)." in page
        db.session.refresh(draft)
        assert draft.status == TextStatus.DRAFT

    def test_a_colleague_publishes_and_the_previous_version_is_superseded(self, writer, colleague):
        draft = save_draft(writer.user)
        first = texts.get_version(letter_type(), 1)
        url = f"/documenten/briefsoorten/{SLUG}/versies/{draft.number}"
        page = text_of(colleague.get(url))
        assert ">Publiceren</button>" in page
        response = colleague.post(url + "/publiceren", data={"csrf_token": csrf_token(colleague, url)})
        assert response.status_code == 302
        assert "is gepubliceerd" in plain(text_of(colleague.get(url)))
        db.session.refresh(draft)
        db.session.refresh(first)
        assert (draft.status, draft.published_by) == (TextStatus.PUBLISHED, colleague.user.email)
        assert first.status == TextStatus.SUPERSEDED
        assert events(DocumentAction.TEXT_PUBLISHED)[-1].actor_email == colleague.user.email

    def test_someone_who_may_not_use_the_type_is_told_why(self, writer, login_as):
        draft = save_draft(writer.user)
        other = login_as(Role.INSPECTEUR)
        url = f"/documenten/briefsoorten/{SLUG}/versies/{draft.number}"
        page = plain(text_of(other.get(url)))
        assert "U mag geen teksten voor" in page and ">Publiceren</button>" not in page
        other.post(url + "/publiceren", data={"csrf_token": csrf_token(other, url)})
        db.session.refresh(draft)
        assert draft.status == TextStatus.DRAFT

    def test_a_published_version_says_so(self, writer):
        page = plain(text_of(writer.get(f"/documenten/briefsoorten/{SLUG}/versies/1")))
        assert "alleen een concept kan worden gepubliceerd" in page
        assert "Dit is de eerste versie" in page


def fake_register(found: dict[str, Any] | None) -> RecipientSource:
    def find(identifier: str, as_of: Any) -> dict[str, Any] | None:
        return found if found and identifier == found["registratienummer"] else None

    return RecipientSource(key="register", label="Register", audience="registratie", fetch=lambda criteria: [],
                           describe=lambda criteria: "Register", find=find)


REGISTERED = {
    "key": "registratie:R2026-00042", "naam": "Incassobureau Voorbeeldig B.V.", "registratienummer": "R2026-00042",
    "suspect_id": None, "adresregels": ["Kerkstraat 1", "3511 AA  UTRECHT"], "postcode": "3511 AA", "email": None,
    "velden": {"registratienummer": "R2026-00042", "kvk_nummer": "12345678", "plaats": "Utrecht",
               "geldig_tot": "1 april 2030"},
}


class TestPreview:
    URL = f"/documenten/briefsoorten/{SLUG}/voorbeeld"

    def test_page_for_the_sample_recipient_is_not_audited(self, writer):
        response = writer.get(self.URL)
        assert response.status_code == 200
        page = text_of(response)
        assert 'alt="Voorbeeld van de eerste pagina van de brief aan Voorbeeld Incasso B.V."' in page
        assert f"{self.URL}.pdf?versie=1" in page and f"{self.URL}.png?versie=1" in page
        assert events(DocumentAction.PREVIEWED) == []

    def test_png_is_a_png_and_audited(self, writer):
        response = writer.get(self.URL + ".png?versie=1")
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.get_data().startswith(PNG_MAGIC)
        (event,) = events(DocumentAction.PREVIEWED)
        assert event.after["bestand"] == "png" and event.actor_email == writer.user.email

    def test_pdf_of_a_draft_for_a_registered_recipient_is_a_concept(self, writer, monkeypatch):
        monkeypatch.setattr("wki.documents.views.recipient_sources", lambda: {"register": fake_register(REGISTERED)})
        draft = save_draft(writer.user, body_extra="Deze alinea staat alleen in het concept.")
        page = text_of(writer.get(f"{self.URL}?versie={draft.number}&ontvanger=R2026-00042"))
        assert "Incassobureau Voorbeeldig B.V." in page
        response = writer.get(f"{self.URL}.pdf?versie={draft.number}&ontvanger=R2026-00042")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages).split())
        assert "Incassobureau Voorbeeldig B.V." in text
        assert "CONCEPT" in text.upper()  # "Concept", set in capitals by the letter's style
        assert "Wordt toegekend bij verzending" in text  # no kenmerk
        assert "Deze alinea staat alleen in het concept." in text
        assert "R2026-00042" in text
        (event,) = events(DocumentAction.PREVIEWED)
        assert event.after == {"soort": SLUG, "versie": draft.number, "ontvanger": "registratie:R2026-00042",
                               "bestand": "pdf"}

    def test_missing_values_are_shown_with_their_line(self, writer, monkeypatch):
        without_number = {**REGISTERED, "velden": {"plaats": "Utrecht"}}
        monkeypatch.setattr("wki.documents.views.recipient_sources",
                            lambda: {"register": fake_register(without_number)})
        page = plain(text_of(writer.get(f"{self.URL}?ontvanger=R2026-00042")))
        assert "ontbreken gegevens" in page
        assert re.search(r"Regel 3: .*registratienummer", page)
        assert writer.get(f"{self.URL}.pdf?ontvanger=R2026-00042").status_code == 400

    def test_unknown_recipient_is_reported(self, writer, monkeypatch):
        monkeypatch.setattr("wki.documents.views.recipient_sources", lambda: {"register": fake_register(REGISTERED)})
        page = plain(text_of(writer.get(f"{self.URL}?ontvanger=R9999-99999")))
        assert "Registratienummer ‘R9999-99999’ is niet gevonden." in page
        assert writer.get(f"{self.URL}.png?ontvanger=R9999-99999").status_code == 404

    def test_unknown_version_is_404(self, writer):
        assert writer.get(f"{self.URL}?versie=42").status_code == 404
        assert writer.get(f"{self.URL}.pdf?versie=42").status_code == 404
