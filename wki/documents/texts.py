"""Letter types and their texts: every save is a new version, checked before it is stored (unknown
placeholders, unbalanced brackets: reported with their line); a version is published by someone other
than its author, which supersedes the version published before; old versions stay readable, with a diff.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.service import service
from wki.documents import placeholders
from wki.documents.audit_actions import DocumentAction
from wki.documents.fields import fields_for
from wki.documents.models import LetterText, LetterType, TextStatus

SUBJECT_MAX = 300
BODY_MAX = 100_000
NOTE_MAX = 500


class TextProblems(ServiceError):
    """A text that cannot be saved or rendered: every problem with its line (Dutch)."""

    def __init__(self, problems: list[placeholders.Problem], *, field: str = "body") -> None:
        self.problems = problems
        super().__init__("De tekst bevat fouten: " + " ".join(str(p) for p in problems), field=field)


# --- letter types ---------------------------------------------------------------------------------------

def list_letter_types(*, mailable: bool | None = None) -> list[LetterType]:
    stmt = sa.select(LetterType).order_by(LetterType.title)
    if mailable is not None:
        stmt = stmt.where(LetterType.mailable == mailable)
    return list(db.session.scalars(stmt))


def get_letter_type(slug: str) -> LetterType | None:
    return db.session.scalar(sa.select(LetterType).where(LetterType.slug == slug))


def require_letter_type(slug: str) -> LetterType:
    letter_type = get_letter_type(slug)
    if letter_type is None:
        known = ", ".join(t.slug for t in list_letter_types())
        raise ServiceError(f"Onbekende briefsoort '{slug}'. Bekend zijn: {known}.", field="type")
    return letter_type


def fields_of(letter_type: LetterType) -> dict[str, str]:
    """Every field a text of this type may use (name -> Dutch label)."""
    return fields_for(str(letter_type.audience), letter_type.extra_fields)


def may_use(letter_type: LetterType, roles: Iterable[Role | str]) -> bool:
    """Whether someone with ``roles`` may write texts for (and issue) this type; administrators always may."""
    held = {str(r) for r in roles}
    return Role.BEHEERDER.value in held or bool(held & set(letter_type.roles))


def _require_use(letter_type: LetterType, roles: Iterable[Role | str] | None) -> None:
    if roles is not None and not may_use(letter_type, roles):
        raise ServiceError(f"U mag geen teksten voor '{letter_type.title}' schrijven of publiceren.")


# --- texts ----------------------------------------------------------------------------------------------

def published_text(letter_type: LetterType) -> LetterText | None:
    return db.session.scalar(sa.select(LetterText).where(LetterText.letter_type_id == letter_type.id,
                                                         LetterText.status == TextStatus.PUBLISHED))


def require_published_text(letter_type: LetterType) -> LetterText:
    text = published_text(letter_type)
    if text is None:
        raise ServiceError(f"Voor '{letter_type.title}' is nog geen tekst gepubliceerd.")
    return text


def versions_of(letter_type: LetterType) -> list[LetterText]:
    return list(db.session.scalars(sa.select(LetterText).where(LetterText.letter_type_id == letter_type.id)
                                   .order_by(LetterText.number.desc())))


def get_text(text_id: int) -> LetterText | None:
    return db.session.get(LetterText, text_id)


def check_text(letter_type: LetterType, *, subject: str, body: str) -> list[placeholders.Problem]:
    """Every problem of a subject and body for this type (empty: fine). The subject's problems say so."""
    fields = fields_of(letter_type)
    problems = [placeholders.Problem(p.line, p.column, "Onderwerp: " + p.message)
                for p in placeholders.check(subject, fields=fields)]
    if "\n" in subject.strip():
        problems.append(placeholders.Problem(1, 1, "Onderwerp: het onderwerp is één regel."))
    problems.extend(placeholders.check(body, fields=fields, blocks=letter_type.blocks))
    return problems


@service
def save_text(letter_type: LetterType, *, subject: str, body: str, note: str = "", actor: Actor,
              roles: Iterable[Role | str] | None = None, based_on: LetterText | None = None) -> LetterText:
    """Save a new version (a draft) of the type's text; refused with every problem and its line when the
    text has errors. ``based_on``: the version the author started from (a later version saved meanwhile by
    someone else is then reported, not silently overtaken)."""
    _require_use(letter_type, roles)
    subject = (subject or "").strip()
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not subject:
        raise ServiceError("Vul het onderwerp in.", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise ServiceError(f"Het onderwerp is langer dan {SUBJECT_MAX} tekens.", field="subject")
    if not body.strip():
        raise ServiceError("Vul de tekst van de brief in.", field="body")
    if len(body) > BODY_MAX:
        raise ServiceError(f"De tekst is langer dan {BODY_MAX:,} tekens.".replace(",", "."), field="body")
    problems = check_text(letter_type, subject=subject, body=body)
    if problems:
        raise TextProblems(problems)
    latest = versions_of(letter_type)
    if based_on is not None and latest and latest[0].id != based_on.id:
        raise ServiceError(f"Intussen is versie {latest[0].number} opgeslagen door {latest[0].created_by}. "
                           "Open de nieuwste versie en breng uw wijziging daarin aan.")
    number = (latest[0].number if latest else 0) + 1
    text = LetterText(letter_type_id=letter_type.id, number=number, subject=subject, body=body,
                      note=(note or "").strip()[:NOTE_MAX], based_on_id=based_on.id if based_on else None,
                      status=TextStatus.DRAFT, created_by=actor.label, created_by_user_id=actor.user_id,
                      created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(text)
    except IntegrityError:
        raise ServiceError("Tegelijk is een andere versie opgeslagen. Open de nieuwste versie en probeer het "
                           "opnieuw.") from None
    audit.record(DocumentAction.TEXT_SAVED, object_type="letter_text", object_id=text.id,
                 after={"soort": letter_type.slug, "versie": number, "toelichting": text.note}, actor=actor)
    return text


def _same_person(text: LetterText, actor: Actor) -> bool:
    if actor.user_id is not None and text.created_by_user_id is not None:
        return actor.user_id == text.created_by_user_id
    return actor.label.casefold() == text.created_by.casefold()


@service
def publish_text(text: LetterText, *, actor: Actor, roles: Iterable[Role | str] | None = None) -> LetterText:
    """Publish a draft: by someone other than its author (four eyes); the version published until now is
    superseded. From now on new letters and mailings of the type use this version."""
    letter_type = db.session.get(LetterType, text.letter_type_id)
    assert letter_type is not None
    _require_use(letter_type, roles)
    if text.status != TextStatus.DRAFT:
        raise ServiceError(f"Versie {text.number} is {TextStatus.label_of(text.status).lower()}; alleen een "
                           "concept kan worden gepubliceerd.")
    if _same_person(text, actor):
        raise ServiceError("U heeft deze versie zelf geschreven. Een collega publiceert haar (vier ogen).")
    problems = check_text(letter_type, subject=text.subject, body=text.body)
    if problems:  # the fields of a type can change; a text that no longer fits is not published
        raise TextProblems(problems)
    previous = published_text(letter_type)
    now = utcnow()
    if previous is not None:
        previous.status = TextStatus.SUPERSEDED
    text.status = TextStatus.PUBLISHED
    text.published_by = actor.label
    text.published_at = now
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise ServiceError("Tegelijk is een andere versie gepubliceerd. Bekijk de versies en probeer het "
                           "opnieuw.") from None
    audit.record(DocumentAction.TEXT_PUBLISHED, object_type="letter_text", object_id=text.id,
                 before={"gepubliceerde_versie": previous.number if previous else None},
                 after={"soort": letter_type.slug, "versie": text.number}, actor=actor)
    return text


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff_texts(old: LetterText | None, new: LetterText) -> list[DiffLine]:
    """Line by line, what changed from ``old`` to ``new`` (subject first)."""
    before = ([f"Onderwerp: {old.subject}", ""] + old.body.split("\n")) if old else []
    after = [f"Onderwerp: {new.subject}", ""] + new.body.split("\n")
    lines: list[DiffLine] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(DiffLine("same", line) for line in before[i1:i2])
            continue
        lines.extend(DiffLine("removed", line) for line in before[i1:i2])
        lines.extend(DiffLine("added", line) for line in after[j1:j2])
    return lines


def text_summary(text: LetterText) -> dict[str, Any]:
    """Plain data of a version, for pages and the command line."""
    return {"id": text.id, "versie": text.number, "status": str(text.status), "door": text.created_by,
            "op": text.created_at, "gepubliceerd_door": text.published_by, "gepubliceerd_op": text.published_at}


# --- reads for the pages (texts-ui) ---------------------------------------------------------------------

def get_version(letter_type: LetterType, number: int) -> LetterText | None:
    """Version ``number`` of the type's text, or None."""
    return db.session.scalar(sa.select(LetterText).where(LetterText.letter_type_id == letter_type.id,
                                                         LetterText.number == number))


def previous_version(text: LetterText) -> LetterText | None:
    """The version saved just before ``text`` (what its diff compares with), or None for the first."""
    return db.session.scalar(sa.select(LetterText).where(LetterText.letter_type_id == text.letter_type_id,
                                                         LetterText.number < text.number)
                             .order_by(LetterText.number.desc()).limit(1))


def texts_by_type() -> dict[int, list[LetterText]]:
    """Every version of every type's text, newest first, by letter type id (one query for the overview)."""
    grouped: dict[int, list[LetterText]] = {}
    for text in db.session.scalars(sa.select(LetterText).order_by(LetterText.letter_type_id,
                                                                  LetterText.number.desc())):
        grouped.setdefault(text.letter_type_id, []).append(text)
    return grouped
