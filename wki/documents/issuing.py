"""From a letter type, its published text and one recipient's plain data to an issued document.

- ``compose`` assembles the letter as plain data (the staff text rendered in the sandbox, the layout's
  parts: recipient's address, reference block, contact person) and ``render`` makes the PDF; both run for
  previews and samples too (``concept=True``: no kenmerk, marked "Concept").
- ``issue_document`` takes the year's next kenmerk, renders, stores the PDF content-addressed and records
  the document, with an audit event, in the caller's transaction. Nothing is recorded without its PDF
  stored first: a store that fails refuses the whole call.
- Mailings reserve their kenmerken when a worker claims recipients and render outside any transaction
  (``render`` + ``record_document``), so two processes render at once (mailings.py).

Features provide blocks (a fine calculation, the findings of an inspection) with ``register_block``: a
function from plain data to HTML, inserted where the text says ``((blok:naam))``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup, escape

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local as today
from wki.core.clock import utcnow
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.sequences import next_value
from wki.core.service import service
from wki.core.storage import ContentStore, StorageError, sha256_of, store_for
from wki.documents import placeholders
from wki.documents import rendering as rendering
from wki.documents.audit_actions import DocumentAction
from wki.documents.models import Document, LetterText, LetterType

KENMERK_SEQUENCE = "kenmerk"
KENMERK_PREFIX = "WKI"

BlockRenderer = Callable[[Any], str]
_BLOCKS: dict[str, tuple[str, BlockRenderer]] = {}
# Features that keep prepared (not yet issued) PDFs in the document store: each returns the SHA-256s it
# still needs, so that housekeeping does not purge a PDF that waits for its approval.
_KEEPERS: list[Callable[[], Iterable[str]]] = []


def register_block(name: str, title: str, render: BlockRenderer) -> None:
    """A feature's block: ``render(value)`` gets the plain value given for it and returns trusted HTML."""
    _BLOCKS[name] = (title, render)


def block_title(name: str) -> str:
    return _BLOCKS[name][0] if name in _BLOCKS else name


def has_block(name: str) -> bool:
    """Whether a feature has registered the block ``name`` (a letter that places it can be rendered)."""
    return name in _BLOCKS


def text_blocks(text: LetterText) -> list[str]:
    """The blocks a letter text places (``((blok:naam))``), in order of first use."""
    return placeholders.used_blocks(text.body)


def _requested_items(value: Any) -> str:
    """The built-in block ``gevraagde_stukken``: what an information request asks for, as a numbered table."""
    rows = value if isinstance(value, list) else []
    if not rows:
        raise ServiceError("Geef aan welke stukken worden gevraagd (het blok 'gevraagde stukken' is leeg).")
    cells = []
    for number, row in enumerate(rows, start=1):
        item = row.get("stuk", "") if isinstance(row, dict) else str(row)
        note = row.get("toelichting", "") if isinstance(row, dict) else ""
        cells.append(f"<tr><td class=\"nr\">{number}</td><td>{escape(item)}</td><td>{escape(note)}</td></tr>")
    return ("<table class=\"blok\"><thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Gevraagd</th>"
            "<th scope=\"col\">Toelichting</th></tr></thead><tbody>" + "".join(cells) + "</tbody></table>")


register_block("gevraagde_stukken", "Gevraagde stukken", _requested_items)


def kenmerk_for(year: int, number: int) -> str:
    return f"{KENMERK_PREFIX}-{year}-{number:06d}"


def reserve_kenmerk(year: int) -> tuple[int, str]:
    """The year's next kenmerk, in the caller's transaction (gapless: a rollback returns it)."""
    number = next_value(KENMERK_SEQUENCE, year)
    return number, kenmerk_for(year, number)


def parse_kenmerk(kenmerk: str) -> tuple[int, int] | None:
    parts = (kenmerk or "").strip().upper().split("-")
    if len(parts) != 3 or parts[0] != KENMERK_PREFIX or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[1]), int(parts[2])


def document_store() -> ContentStore:
    return store_for("DOCUMENT_STORE_DIR", label="de documentopslag")


# --- composing ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    sha256: str
    pages: int
    data: dict[str, Any]  # what was rendered (stored with the document)


def default_contact() -> dict[str, str]:
    return dict(current_app.config.get("DOCUMENT_CONTACT") or {})


def letter_values(letter_type: LetterType, recipient: Mapping[str, Any], extra_values: Mapping[str, Any],
                  document_date: date) -> dict[str, str]:
    """The values a text's placeholders take for one recipient: the recipient's fields, the letter's date and
    the letter type's extra fields (a mailing's or a document's own values), all as text."""
    values: dict[str, str] = {}
    for name, value in (recipient.get("velden") or {}).items():
        values[name] = "" if value is None else str(value)
    values["naam"] = str(recipient.get("naam") or "")
    values["datum"] = fmt_date(document_date)
    for name in letter_type.extra_fields:
        value = extra_values.get(name)
        values[name] = fmt_date(value) if isinstance(value, date) else ("" if value is None else str(value))
    return values


def missing_for(letter_type: LetterType, text: LetterText, recipient: Mapping[str, Any],
                extra_values: Mapping[str, Any], document_date: date) -> list[placeholders.Problem]:
    """What a recipient's letter lacks (a placeholder without a value), with the line of the text."""
    values = letter_values(letter_type, recipient, extra_values, document_date)
    problems = [placeholders.Problem(p.line, p.column, "Onderwerp: " + p.message)
                for p in placeholders.missing_values(text.subject, values)]
    return problems + placeholders.missing_values(text.body, values)


def compose(letter_type: LetterType, text: LetterText, recipient: Mapping[str, Any], *,
            extra_values: Mapping[str, Any] | None = None, document_date: date | None = None,
            kenmerk: str | None = None, concept: bool = False, contact: Mapping[str, str] | None = None,
            block_values: Mapping[str, Any] | None = None,
            signatory: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The letter as plain data for the layout (rendering.letter_html); TemplateTextError when a value is
    missing (never a half letter). ``signatory``: the signature block instead of the configured one (a
    decision signed "namens de Minister")."""
    extra_values = extra_values or {}
    block_values = block_values or {}
    document_date = document_date or today()
    values = letter_values(letter_type, recipient, extra_values, document_date)
    blocks: dict[str, Callable[[], str]] = {}
    for name in letter_type.blocks:
        if name in block_values and name in _BLOCKS:
            render_block = _BLOCKS[name][1]
            blocks[name] = (lambda r=render_block, v=block_values[name]: Markup(r(v)))  # type: ignore[misc]
        elif concept:
            blocks[name] = (lambda n=name: Markup(  # type: ignore[misc]
                f"<p class=\"blok-voorbeeld\">[Hier komt: {escape(block_title(n))}]</p>"))
        else:
            raise ServiceError(f"Het blok '{block_title(name)}' heeft geen inhoud; deze brief kan zo niet worden "
                               "uitgegeven.")
    body_html = placeholders.render_html(text.body, values, blocks=blocks)
    subject = placeholders.render_text(text.subject, values)
    signatory = signatory or current_app.config.get("DOCUMENT_SIGNATORY")
    return {
        "title": f"{letter_type.title}: {recipient.get('naam') or ''}".strip(": "),
        "kenmerk": kenmerk,
        "concept": concept,
        "datum": document_date,
        "onderwerp": subject,
        "contactpersoon": dict(contact or default_contact()),
        "ontvanger": {"naam": str(recipient.get("naam") or ""), "t_a_v": recipient.get("t_a_v"),
                      "adresregels": [str(line) for line in recipient.get("adresregels") or []]},
        "uw_kenmerk": recipient.get("uw_kenmerk"),
        "uw_brief_van": recipient.get("uw_brief_van"),
        "body_html": body_html,
        "afzender": dict(current_app.config.get("DOCUMENT_SENDER") or {}),
        "ondertekening": dict(signatory) if signatory else None,
        "values": values,
    }


def render(letter: Mapping[str, Any], *, author: str) -> Rendered:
    """The PDF of a composed letter (no database: runs outside transactions, in any process)."""
    html = rendering.letter_html(letter)
    pdf = rendering.render_pdf(html, title=letter["title"], kenmerk=letter.get("kenmerk"), author=author,
                               subject=letter["onderwerp"])
    data = {"ontvanger": letter["ontvanger"], "onderwerp": letter["onderwerp"], "waarden": letter["values"],
            "contactpersoon": letter["contactpersoon"], "datum": letter["datum"].isoformat()}
    return Rendered(pdf=pdf, sha256=sha256_of(pdf), pages=rendering.page_count(pdf), data=data)


def author_name() -> str:
    return str((current_app.config.get("DOCUMENT_SENDER") or {}).get("organisatie")
               or "Inspectie Justitie en Veiligheid")


# --- issuing --------------------------------------------------------------------------------------------

@service
def record_document(rendered: Rendered, *, letter_type: LetterType, text: LetterText | None, kenmerk: str,
                    recipient: Mapping[str, Any], document_date: date, title: str, subject: str, actor: Actor,
                    mailing_id: int | None = None, mailing_recipient_id: int | None = None,
                    supersedes: Document | None = None, correction_reason: str | None = None) -> Document:
    """Store the PDF (first: nothing is recorded without it) and record the document with its audit event."""
    parsed = parse_kenmerk(kenmerk)
    assert parsed is not None, kenmerk
    stored = document_store().put(rendered.pdf)
    if stored != rendered.sha256:  # pragma: no cover - the store hashes what it was given
        raise StorageError("De documentopslag gaf een andere controlewaarde terug.")
    document = Document(
        kenmerk=kenmerk, year=parsed[0], number=parsed[1], letter_type_slug=letter_type.slug,
        letter_text_id=text.id if text else None, title=title[:300], subject=subject[:300],
        recipient_name=str(recipient.get("naam") or "")[:300], registratienummer=recipient.get("registratienummer"),
        suspect_id=recipient.get("suspect_id"), data=rendered.data, sha256=rendered.sha256, size=len(rendered.pdf),
        pages=rendered.pages, issued_by=actor.label, issued_by_user_id=actor.user_id, issued_at=utcnow(),
        document_date=document_date, supersedes_id=supersedes.id if supersedes else None,
        correction_reason=correction_reason, mailing_id=mailing_id, mailing_recipient_id=mailing_recipient_id)
    db.session.add(document)
    db.session.flush()
    audit.record(DocumentAction.ISSUED, object_type="document", object_id=document.id,
                 after={"kenmerk": kenmerk, "soort": letter_type.slug, "ontvanger": document.recipient_name,
                        "sha256": rendered.sha256, "tekstversie": text.number if text else None,
                        "mailing": mailing_id}, actor=actor)
    if supersedes is not None:
        audit.record(DocumentAction.SUPERSEDED, object_type="document", object_id=supersedes.id,
                     after={"vervangen_door": kenmerk, "reden": correction_reason}, actor=actor)
    return document


@service
def issue_document(*, letter_type: LetterType, recipient: Mapping[str, Any], actor: Actor,
                   text: LetterText | None = None, extra_values: Mapping[str, Any] | None = None,
                   block_values: Mapping[str, Any] | None = None, document_date: date | None = None,
                   contact: Mapping[str, str] | None = None, supersedes: Document | None = None,
                   correction_reason: str | None = None) -> Document:
    """Issue one document to one recipient (plain data, RecipientSource's shape) with the type's published
    text (or ``text``); ``supersedes``: the document this one corrects (with ``correction_reason``)."""
    from wki.documents.texts import require_published_text

    text = text or require_published_text(letter_type)
    document_date = document_date or today()
    extra_values = extra_values or {}
    if supersedes is not None:
        if not (correction_reason or "").strip():
            raise ServiceError("Geef de reden van de correctie op.", field="reden")
        if db.session.scalar(sa.select(Document.id).where(Document.supersedes_id == supersedes.id)):
            raise ServiceError(f"Document {supersedes.kenmerk} is al vervangen; corrigeer de nieuwste versie.")
    problems = missing_for(letter_type, text, recipient, extra_values, document_date)
    if problems:
        raise ServiceError("De brief kan niet worden gemaakt: " + " ".join(str(p) for p in problems))
    # The kenmerk is taken late: its counter stays locked until the caller commits.
    _, kenmerk = reserve_kenmerk(document_date.year)
    try:
        letter = compose(letter_type, text, recipient, extra_values=extra_values, document_date=document_date,
                         kenmerk=kenmerk, contact=contact, block_values=block_values)
    except placeholders.TemplateTextError as exc:
        raise ServiceError("De brief kan niet worden gemaakt: " + " ".join(str(p) for p in exc.problems)) from None
    rendered = render(letter, author=author_name())
    return record_document(rendered, letter_type=letter_type, text=text, kenmerk=kenmerk, recipient=recipient,
                           document_date=document_date, title=letter["title"], subject=letter["onderwerp"],
                           actor=actor, supersedes=supersedes, correction_reason=correction_reason)


# --- preparing now, issuing later (a decision approved by a second officer) -----------------------------

def register_stored_pdf_keeper(keeper: Callable[[], Iterable[str]]) -> None:
    """A feature's prepared PDFs (their SHA-256s) are kept by the housekeeping purge while it needs them."""
    if keeper not in _KEEPERS:
        _KEEPERS.append(keeper)


@dataclass(frozen=True)
class PreparedDocument:
    """A letter rendered with its (already reserved) kenmerk and stored, but not yet issued: no Document
    row. ``as_dict`` is the plain data a feature keeps and hands back to ``issue_prepared``."""

    kenmerk: str
    sha256: str
    pages: int
    size: int
    title: str
    subject: str
    data: dict[str, Any]
    text_id: int | None
    text_number: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"kenmerk": self.kenmerk, "sha256": self.sha256, "pages": self.pages, "size": self.size,
                "title": self.title, "subject": self.subject, "data": self.data, "text_id": self.text_id,
                "text_number": self.text_number}


def prepare_document(*, letter_type: LetterType, recipient: Mapping[str, Any], kenmerk: str, document_date: date,
                     extra_values: Mapping[str, Any] | None = None, block_values: Mapping[str, Any] | None = None,
                     text: LetterText | None = None, contact: Mapping[str, str] | None = None,
                     signatory: Mapping[str, str] | None = None) -> PreparedDocument:
    """Compose the letter with the type's published text (or ``text``), render it with ``kenmerk`` (taken
    by the caller with ``reserve_kenmerk``) and store the PDF content-addressed. Refuses, in Dutch, a
    letter that lacks a value or a block's content, as ``issue_document`` does. Nothing is recorded: the
    caller keeps the plain data and issues exactly these bytes later with ``issue_prepared``."""
    from wki.documents.texts import require_published_text

    if parse_kenmerk(kenmerk) is None:
        raise ServiceError(f"'{kenmerk}' is geen geldig kenmerk.")
    text = text or require_published_text(letter_type)
    extra_values = extra_values or {}
    problems = missing_for(letter_type, text, recipient, extra_values, document_date)
    if problems:
        raise ServiceError("De brief kan niet worden gemaakt: " + " ".join(str(p) for p in problems))
    try:
        letter = compose(letter_type, text, recipient, extra_values=extra_values, document_date=document_date,
                         kenmerk=kenmerk, contact=contact, block_values=block_values, signatory=signatory)
    except placeholders.TemplateTextError as exc:
        raise ServiceError("De brief kan niet worden gemaakt: " + " ".join(str(p) for p in exc.problems)) from None
    rendered = render(letter, author=author_name())
    stored = document_store().put(rendered.pdf)
    if stored != rendered.sha256:  # pragma: no cover - the store hashes what it was given
        raise StorageError("De documentopslag gaf een andere controlewaarde terug.")
    return PreparedDocument(kenmerk=kenmerk, sha256=rendered.sha256, pages=rendered.pages, size=len(rendered.pdf),
                            title=str(letter["title"])[:300], subject=str(letter["onderwerp"])[:300],
                            data=rendered.data, text_id=text.id, text_number=text.number)


def prepared_pdf(prepared: Mapping[str, Any]) -> bytes:
    """The stored bytes of a prepared document, verified against its SHA-256; a Dutch refusal when the file
    is missing or differs."""
    sha256 = str(prepared.get("sha256") or "")
    store = document_store()
    try:
        data = store.read_unverified(sha256) if sha256 and store.exists(sha256) else None
    except (OSError, ValueError):
        data = None
    if data is None or sha256_of(data) != sha256:
        raise ServiceError("Het voorbereide document is gewijzigd of ontbreekt in de documentopslag: het kan zo "
                           "niet worden uitgegeven. Maak het opnieuw en laat het opnieuw goedkeuren.")
    return data


@service
def issue_prepared(*, letter_type: LetterType, prepared: Mapping[str, Any], recipient: Mapping[str, Any],
                   document_date: date, actor: Actor) -> Document:
    """Issue a prepared document: its stored bytes, verified against the prepared SHA-256 (the approved
    one), recorded as the Document with the same kenmerk. The issued PDF is byte for byte the prepared
    one: nothing is rendered again."""
    from wki.documents.texts import get_text

    data = prepared_pdf(prepared)
    kenmerk = str(prepared.get("kenmerk") or "")
    if parse_kenmerk(kenmerk) is None:
        raise ServiceError("Het voorbereide document heeft geen geldig kenmerk.")
    if get_document(kenmerk) is not None:
        raise ServiceError(f"Er is al een document uitgegeven met kenmerk {kenmerk}.")
    text_id = prepared.get("text_id")
    text = get_text(int(text_id)) if text_id is not None else None
    rendered = Rendered(pdf=data, sha256=str(prepared["sha256"]), pages=int(prepared.get("pages") or 0)
                        or rendering.page_count(data), data=dict(prepared.get("data") or {}))
    return record_document(rendered, letter_type=letter_type, text=text, kenmerk=kenmerk, recipient=recipient,
                           document_date=document_date, title=str(prepared.get("title") or letter_type.title),
                           subject=str(prepared.get("subject") or ""), actor=actor)


# --- reading, verifying, exporting ----------------------------------------------------------------------

def get_document(kenmerk: str) -> Document | None:
    return db.session.scalar(sa.select(Document).where(Document.kenmerk == (kenmerk or "").strip().upper()))


def require_document(kenmerk: str) -> Document:
    document = get_document(kenmerk)
    if document is None:
        raise ServiceError(f"Er is geen document met kenmerk '{kenmerk}'.")
    return document


def superseded_by(document: Document) -> Document | None:
    return db.session.scalar(sa.select(Document).where(Document.supersedes_id == document.id))


def correction_kenmerken(document_ids: list[int]) -> dict[int, str]:
    """document id -> kenmerk of the document that supersedes it, for those that were corrected (one query)."""
    if not document_ids:
        return {}
    rows = db.session.execute(sa.select(Document.supersedes_id, Document.kenmerk)
                              .where(Document.supersedes_id.in_(document_ids)))
    return {int(old): kenmerk for old, kenmerk in rows}


def documents_for(*, registratienummer: str | None = None, suspect_id: int | None = None,
                  limit: int = 50) -> list[Document]:
    """What was sent to one party, newest first."""
    if registratienummer is None and suspect_id is None:
        return []
    stmt = sa.select(Document).order_by(Document.issued_at.desc(), Document.id.desc()).limit(limit)
    if registratienummer is not None:
        stmt = stmt.where(Document.registratienummer == registratienummer)
    else:
        stmt = stmt.where(Document.suspect_id == suspect_id)
    return list(db.session.scalars(stmt))


@service
def document_pdf(document: Document, *, actor: Actor, exported_to: str | None = None) -> bytes:
    """The document's PDF, verified against its recorded SHA-256; every read is audited (in the caller's
    transaction: a request or command that reads commits it): a download, or an export to a path."""
    data = document_store().get(document.sha256)
    details = {"pad": exported_to} if exported_to else {}
    audit.record(DocumentAction.EXPORTED if exported_to else DocumentAction.DOWNLOADED,
                 object_type="document", object_id=document.id,
                 after={"kenmerk": document.kenmerk, **details}, actor=actor)
    return data


@dataclass(frozen=True)
class Verification:
    kenmerk: str
    recorded: str
    computed: str | None  # None: the file is missing
    ok: bool
    message: str  # Dutch


@service
def verify_document(document: Document, *, actor: Actor) -> Verification:
    """Recompute the stored PDF's SHA-256 and compare it with the one recorded at issue; audited."""
    store = document_store()
    computed: str | None
    if not store.exists(document.sha256):
        computed, ok, message = None, False, "Het bestand ontbreekt in de documentopslag."
    else:
        computed = sha256_of(store.read_unverified(document.sha256))
        ok = computed == document.sha256
        message = ("In orde: de controlewaarde klopt." if ok
                   else "Beschadigd: de controlewaarde van het bestand wijkt af van de vastgelegde.")
    audit.record(DocumentAction.VERIFIED, object_type="document", object_id=document.id,
                 after={"kenmerk": document.kenmerk, "in_orde": ok}, actor=actor)
    return Verification(document.kenmerk, document.sha256, computed, ok, message)


def purge_orphan_documents(*, older_than_hours: int = 24) -> int:
    """Remove stored PDFs no document names: rendered for an issue or a mailing recipient whose transaction
    was rolled back (another worker won, the process stopped). Younger files may belong to a running one."""
    from wki.core.storage import purge_unreferenced

    known = set(db.session.scalars(sa.select(Document.sha256)))
    for keeper in _KEEPERS:
        known.update(keeper())
    return purge_unreferenced(document_store(), known, older_than_hours=older_than_hours)


# --- reads for the pages (texts-ui) ---------------------------------------------------------------------

def get_document_by_id(document_id: int | None) -> Document | None:
    return db.session.get(Document, document_id) if document_id is not None else None


def recent_documents(limit: int = 10) -> list[Document]:
    """The documents issued last, newest first."""
    return list(db.session.scalars(sa.select(Document).order_by(Document.issued_at.desc(), Document.id.desc())
                                   .limit(limit)))


def search_documents(*, query: str | None = None, letter_type_slug: str | None = None, page: int = 1,
                     per_page: int = 50) -> Any:
    """Issued documents, newest first, as a page (Flask-SQLAlchemy's Pagination); ``query``: part of a
    kenmerk or of the recipient's name (case-insensitive), ``letter_type_slug``: one type."""
    stmt = sa.select(Document).order_by(Document.issued_at.desc(), Document.id.desc())
    if query:
        stmt = stmt.where(sa.or_(Document.kenmerk.icontains(query.strip(), autoescape=True),
                                 Document.recipient_name.icontains(query.strip(), autoescape=True)))
    if letter_type_slug:
        stmt = stmt.where(Document.letter_type_slug == letter_type_slug)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


# Invented values for every field a text may use, so a text can be previewed without a real party.
_SAMPLE_VALUES: dict[str, str] = {
    "registratienummer": "R0000-00000", "kvk_nummer": "00000000", "handelsnamen": "Voorbeeld Incasso",
    "straat": "Voorbeeldstraat", "huisnummer": "1", "postcode": "1234 AB", "plaats": "Voorbeeldstad",
    "email": "info@voorbeeld-incasso.example", "status": "ingeschreven", "datum_inschrijving": "1 april 2025",
    "geldig_tot": "31 maart 2030", "iban": "NL00 BANK 0000 0000 00", "website": "voorbeeld-incasso.example",
    "aantal_signalen": "3", "eerste_signaal": "1 februari 2026", "laatste_signaal": "1 maart 2026",
}
SAMPLE_KEY = "voorbeeld"


def sample_recipient(letter_type: LetterType) -> dict[str, Any]:
    """A made-up recipient (RecipientSource's shape) with a value for every field of the type's audience."""
    from wki.documents.fields import AUDIENCE_FIELDS

    fields = AUDIENCE_FIELDS.get(str(letter_type.audience), {})
    return {"key": SAMPLE_KEY, "naam": "Voorbeeld Incasso B.V.", "registratienummer": None, "suspect_id": None,
            "adresregels": ["Voorbeeldstraat 1", "1234 AB  VOORBEELDSTAD"], "postcode": "1234 AB",
            "email": _SAMPLE_VALUES["email"],
            "velden": {name: _SAMPLE_VALUES.get(name, f"[{label}]") for name, label in fields.items()}}


def sample_extra_values(letter_type: LetterType) -> dict[str, str]:
    """Stand-ins for the type's own fields (given once per mailing or document): their label in brackets."""
    return {name: f"[{label}]" for name, label in letter_type.extra_fields.items()}
