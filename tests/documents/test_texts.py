"""Letter texts: every save a version, checked with its line before anything is stored; published by a
second person only (four eyes), superseding the version published before; old versions readable with a
diff; concurrent saves and publications refused rather than lost; the seeded texts all valid."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.documents import texts
from wki.documents.models import LetterText, TextStatus

AUTHOR = Actor("schrijver@example.org", user_id=101)
COLLEAGUE = Actor("collega@example.org", user_id=102)


def info_type():
    return texts.get_letter_type("informatiebrief-sector")


def test_every_seeded_type_has_a_published_text_that_checks_clean(db_session):
    types = texts.list_letter_types()
    slugs = {t.slug for t in types}
    assert {"informatiebrief-sector", "herinnering-registratie", "informatieverzoek", "waarschuwingsbrief",
            "inspectierapport", "last-onder-dwangsom", "bestuurlijke-boete"} <= slugs
    for letter_type in types:
        text = texts.published_text(letter_type)
        assert text is not None, letter_type.slug
        assert texts.check_text(letter_type, subject=text.subject, body=text.body) == [], letter_type.slug


def test_saving_makes_a_new_draft_version_with_an_audit_event(db_session):
    letter_type = info_type()
    published = texts.published_text(letter_type)
    text = texts.save_text(letter_type, subject="Nieuw onderwerp", body="Geachte ((naam)),\n\nTekst.",
                           note="Korter", actor=AUTHOR, based_on=published)
    assert text.number == published.number + 1 and text.status == TextStatus.DRAFT
    assert texts.published_text(letter_type).id == published.id  # a draft changes nothing yet
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "tekst.opgeslagen"))
    assert event.after["versie"] == text.number and event.actor_email == AUTHOR.label


def test_problems_are_refused_with_their_lines_and_nothing_is_saved(db_session):
    letter_type = info_type()
    before = len(texts.versions_of(letter_type))
    body = "Geachte heer,\n\nUw nummer is ((registratienummr)).\nZie ((iban??uw rekening ((iban))\n"
    with pytest.raises(texts.TextProblems) as caught:
        texts.save_text(letter_type, subject="Over ((onbekend))", body=body, actor=AUTHOR)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("Onderwerp: ") and "onbekend" in m for m in messages)
    assert any("Regel 3" in m and "registratienummr" in m and "registratienummer" in m for m in messages)
    assert any("Regel 4" in m for m in messages)
    assert len(texts.versions_of(letter_type)) == before
    with pytest.raises(ServiceError, match="onderwerp"):
        texts.save_text(letter_type, subject="  ", body="Tekst", actor=AUTHOR)
    with pytest.raises(ServiceError, match="tekst van de brief"):
        texts.save_text(letter_type, subject="Onderwerp", body="\n\n", actor=AUTHOR)


def test_a_block_the_type_does_not_have_is_refused(db_session):
    with pytest.raises(texts.TextProblems, match="boeteberekening"):
        texts.save_text(info_type(), subject="Onderwerp", body="Tekst\n\n((blok:boeteberekening))", actor=AUTHOR)
    request = texts.get_letter_type("informatieverzoek")
    text = texts.save_text(request, subject="Verzoek", body="Tekst\n\n((blok:gevraagde_stukken))\n\nVoor ((uiterlijk)).",
                           actor=AUTHOR)
    assert text.number == 2


def test_the_author_cannot_publish_a_colleague_can_and_the_old_version_is_superseded(db_session):
    letter_type = info_type()
    old = texts.published_text(letter_type)
    draft = texts.save_text(letter_type, subject="Onderwerp", body="Geachte ((naam)),", actor=AUTHOR)
    with pytest.raises(ServiceError, match="zelf geschreven"):
        texts.publish_text(draft, actor=AUTHOR)
    # The same person without a user id (the command line, by e-mail address) is the author too.
    with pytest.raises(ServiceError, match="zelf geschreven"):
        texts.publish_text(draft, actor=Actor("SCHRIJVER@example.org"))
    texts.publish_text(draft, actor=COLLEAGUE)
    assert draft.status == TextStatus.PUBLISHED and draft.published_by == COLLEAGUE.label
    assert db.session.get(LetterText, old.id).status == TextStatus.SUPERSEDED
    assert texts.published_text(letter_type).id == draft.id
    with pytest.raises(ServiceError, match="alleen een concept"):
        texts.publish_text(draft, actor=COLLEAGUE)
    with pytest.raises(ServiceError, match="alleen een concept"):
        texts.publish_text(db.session.get(LetterText, old.id), actor=COLLEAGUE)


def test_roles_of_the_type_decide_who_writes_and_publishes(db_session):
    letter_type = texts.get_letter_type("bestuurlijke-boete")  # handhavers only
    assert not texts.may_use(letter_type, ["voorlichting"])
    assert texts.may_use(letter_type, ["handhaver"]) and texts.may_use(letter_type, ["beheerder"])
    with pytest.raises(ServiceError, match="geen teksten"):
        texts.save_text(letter_type, subject="Boete", body="((naam))", actor=AUTHOR, roles=["voorlichting"])


def test_a_save_based_on_an_old_version_is_refused_not_lost(db_session):
    letter_type = info_type()
    published = texts.published_text(letter_type)
    texts.save_text(letter_type, subject="Eerste", body="Tekst een", actor=AUTHOR, based_on=published)
    with pytest.raises(ServiceError, match="Intussen is versie"):
        texts.save_text(letter_type, subject="Tweede", body="Tekst twee", actor=COLLEAGUE, based_on=published)


def test_only_one_published_version_per_type_in_the_database(db_session):
    letter_type = info_type()
    draft = texts.save_text(letter_type, subject="Onderwerp", body="Tekst", actor=AUTHOR)
    draft.status = TextStatus.PUBLISHED  # behind the service's back, as a second publisher racing would
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_diff_marks_added_and_removed_lines(db_session):
    letter_type = info_type()
    old = texts.published_text(letter_type)
    lines = old.body.split("\n")
    new_body = "\n".join(["Beste lezer,"] + lines[1:])
    new = texts.save_text(letter_type, subject=old.subject, body=new_body, actor=AUTHOR)
    diff = texts.diff_texts(old, new)
    assert ("removed", lines[0]) in [(d.kind, d.text) for d in diff]
    assert ("added", "Beste lezer,") in [(d.kind, d.text) for d in diff]
    assert sum(d.kind != "same" for d in diff) == 2
    assert all(d.kind == "added" for d in texts.diff_texts(None, new))
