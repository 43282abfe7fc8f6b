"""Mass mailings: recipients chosen once and frozen, four-eyes approval, run by the worker(s), delivered by
post (a print file) and e-mail.

Recipients come from a feature's ``RecipientSource`` (the register as of a date, suspects) or from an
uploaded CSV (parsed here). Who is reachable (decided at creation, frozen per recipient):

- by post: a complete postal address (``adresregels`` not empty);
- by e-mail: the mailing sends e-mail (only where ``MAIL_SERVER`` is configured) and the recipient has an
  address. A recipient reachable both ways gets the one letter both ways (the same document);
- unreachable: neither. Such a recipient is kept with status ``geen_adres`` and listed, never dropped.

A run (``start_mailing`` queues ``MAILING_PARTS`` work items; ``flask mailings run`` runs the same loop in
the foreground) is mailing_run.py's ``run_part`` in every process.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local, utcnow
from wki.core.csvio import CsvFormatError, RowError, open_csv, parse_date
from wki.core.db import rows_affected
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.features import recipient_sources
from wki.core.formatting import fmt_date
from wki.core.service import service
from wki.documents import issuing, placeholders
from wki.documents.audit_actions import DocumentAction
from wki.documents.delivery import mail_configured
from wki.documents.mailing_run import (
    BLOCKS_KEY,
    block_values,
    count_open,
    recipient_data,
)
from wki.documents.models import (
    DeliveryStatus,
    Document,
    LetterText,
    LetterType,
    Mailing,
    MailingRecipient,
    MailingStatus,
    RecipientSource,
)
from wki.documents.texts import may_use, require_published_text

WORK_KIND = "documents.mailing"
CSV_COLUMNS = ("naam", "straat", "huisnummer", "postcode", "plaats", "email", "registratienummer", "kvk_nummer")
CSV_MAX_BYTES = 10 * 1024 * 1024
CSV_MAX_ROWS = 50_000
# The longest cell each column takes: what the recipient's columns store (mailing_recipient.name 300,
# registratienummer 40, postcode 10, email 320); the parts of the address a line of a window envelope.
CSV_MAX_CELL = {"naam": 300, "straat": 200, "huisnummer": 20, "postcode": 10, "plaats": 200, "email": 320,
                "registratienummer": 40, "kvk_nummer": 20}
SAMPLE_COUNT = 3
# The status file's columns (issue 12, "Command line"); ``status`` is the stored value ("verzonden").
STATUS_COLUMNS = ("registratienummer", "naam", "kenmerk", "status", "sha256")

MR = MailingRecipient


# --- recipients -----------------------------------------------------------------------------------------

class CsvRejected(ServiceError):
    """An uploaded address list that cannot be used: every bad row with its line (Dutch)."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        self.errors = errors or []
        details = " ".join(e.describe() + "." for e in self.errors[:20])
        more = f" En nog {len(self.errors) - 20} regels." if len(self.errors) > 20 else ""
        super().__init__(f"{message} {details}{more}".strip(), field="bestand")


_POSTCODE = re.compile(r"^\s*(\d{4})\s*([a-zA-Z]{2})\s*$")


def _postcode(value: str) -> str:
    match = _POSTCODE.match(value or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else (value or "").strip()


def _is_email(value: str) -> bool:
    local, _, domain = value.partition("@")
    return bool(local) and "." in domain and not any(c.isspace() for c in value)


def postal_lines(straat: str, huisnummer: str, postcode: str, plaats: str) -> list[str]:
    """"Straat 12", "1234 AB  PLAATS" (PostNL's way); [] when a part is missing."""
    if not all(p.strip() for p in (straat, huisnummer, postcode, plaats)):
        return []
    return [f"{straat.strip()} {huisnummer.strip()}", f"{postcode}  {plaats.strip().upper()}"]


@dataclass
class CsvRecipients:
    recipients: list[dict[str, Any]]
    merged: int  # rows that repeated an earlier one (same naam + postcode, or same e-mail address)
    encoding: str


def parse_recipients_csv(data: bytes) -> CsvRecipients:
    """An uploaded address list (columns ``CSV_COLUMNS``; ``naam`` required; ``;`` or ``,``; UTF-8 or
    Windows-1252) as recipients; ``CsvRejected`` with every bad line, and nothing is used, otherwise."""
    if not data:
        raise CsvRejected("Het bestand is leeg.")
    if len(data) > CSV_MAX_BYTES:
        raise CsvRejected(f"Het bestand is groter dan {CSV_MAX_BYTES // (1024 * 1024)} MB.")
    try:
        table = open_csv(data, columns=CSV_COLUMNS, required={"naam"})
        rows = list(table.rows())
    except CsvFormatError as exc:
        raise CsvRejected(f"Het bestand is niet te lezen: {exc}") from None
    if len(rows) > CSV_MAX_ROWS:
        raise CsvRejected(f"Het bestand heeft meer dan {CSV_MAX_ROWS:,} regels.".replace(",", "."))
    errors: list[RowError] = []
    recipients: list[dict[str, Any]] = []
    seen_names: set[tuple[str, str]] = set()
    seen_emails: set[str] = set()
    merged = 0
    for line, cells in rows:
        if cells is None:
            errors.append(RowError(line, None, None, "de regel heeft meer cellen dan de kopregel"))
            continue
        row = dict(zip(CSV_COLUMNS, cells, strict=True))
        too_long = [c for c in CSV_COLUMNS if len(row[c]) > CSV_MAX_CELL[c]]
        if too_long:
            errors.extend(RowError(line, c, row[c][:40] + "…", f"is langer dan {CSV_MAX_CELL[c]} tekens")
                          for c in too_long)
            continue
        if not row["naam"]:
            errors.append(RowError(line, "naam", None, "de naam ontbreekt"))
            continue
        email = row["email"].lower()
        if email and not _is_email(email):
            errors.append(RowError(line, "email", row["email"], "is geen e-mailadres"))
            continue
        postcode = _postcode(row["postcode"])
        name_key = (" ".join(row["naam"].casefold().split()), postcode.replace(" ", "").upper())
        if name_key in seen_names or (email and email in seen_emails):
            merged += 1
            continue
        seen_names.add(name_key)
        if email:
            seen_emails.add(email)
        velden = {**{c: row[c] for c in CSV_COLUMNS if c != "naam"}, "postcode": postcode, "email": email}
        recipients.append({
            "key": f"csv:{line}", "naam": row["naam"], "registratienummer": row["registratienummer"] or None,
            "suspect_id": None, "adresregels": postal_lines(row["straat"], row["huisnummer"], postcode, row["plaats"]),
            "postcode": postcode or None, "email": email or None, "velden": velden,
        })
    if errors:
        raise CsvRejected("Het bestand is niet gebruikt; verbeter deze regels:", errors)
    if not recipients:
        raise CsvRejected("Het bestand bevat geen ontvangers.")
    return CsvRecipients(recipients, merged, table.encoding)


@dataclass
class Choice:
    """Where a mailing's recipients come from, as the create page and the command line give it."""

    source: str  # RecipientSource value: "register", "overtreders", "csv"
    criteria: dict[str, Any] = field(default_factory=dict)
    csv_data: bytes | None = None
    file_name: str | None = None


def _criteria_plain(criteria: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in criteria.items() if v not in (None, "")}


def fetch_recipients(choice: Choice) -> tuple[list[dict[str, Any]], int, str, str]:
    """(recipients, duplicates merged, Dutch description, audience) for a choice of source."""
    if choice.source == RecipientSource.CSV:
        parsed = parse_recipients_csv(choice.csv_data or b"")
        name = f" ‘{choice.file_name}’" if choice.file_name else ""
        return parsed.recipients, parsed.merged, f"CSV-bestand{name} ({len(parsed.recipients)} adressen)", "adres"
    sources = recipient_sources()
    source = sources.get(choice.source)
    if source is None:
        raise ServiceError(f"Onbekende bron van ontvangers '{choice.source}'.", field="bron")
    fetched = source.fetch(_criteria_plain(choice.criteria))
    recipients: list[dict[str, Any]] = []
    seen: set[str] = set()
    merged = 0
    for recipient in fetched:
        if recipient["key"] in seen:
            merged += 1
            continue
        seen.add(recipient["key"])
        recipients.append(recipient)
    return recipients, merged, source.describe(_criteria_plain(choice.criteria)), source.audience


# --- values given once per mailing ----------------------------------------------------------------------

def normalise_extra_values(letter_type: LetterType, values: Mapping[str, Any]) -> dict[str, Any]:
    """The type's extra fields as text (a date, given as JJJJ-MM-DD or DD-MM-JJJJ, in Dutch words), plus
    its blocks' values (``_blokken``: name -> list of lines)."""
    result: dict[str, Any] = {}
    for name in letter_type.extra_fields:
        value = values.get(name)
        if isinstance(value, date):
            result[name] = fmt_date(value)
            continue
        text = " ".join(str(value or "").split())
        try:
            text = fmt_date(parse_date(text)) if text else ""
        except ValueError:
            pass
        result[name] = text
    blocks = values.get(BLOCKS_KEY) or {}
    kept = {}
    for name in letter_type.blocks:
        raw = blocks.get(name)
        lines = raw if isinstance(raw, list) else str(raw or "").splitlines()
        lines = [" ".join(str(line).split()) for line in lines if str(line).strip()]
        if lines:
            kept[name] = lines
    if kept:
        result[BLOCKS_KEY] = kept
    return result




def _missing_blocks(letter_type: LetterType, text: LetterText, extra_values: Mapping[str, Any]) -> list[str]:
    given = extra_values.get(BLOCKS_KEY) or {}
    return [issuing.block_title(name) for name in placeholders.used_blocks(text.body) if not given.get(name)]


# --- preview --------------------------------------------------------------------------------------------

@dataclass
class Preview:
    """What a mailing would be, before it is made: shown on the create page, checked by ``create_mailing``."""

    letter_type: LetterType
    text: LetterText
    description: str
    recipients: list[dict[str, Any]]
    merged: int
    send_email: bool
    unreachable: list[tuple[dict[str, Any], str]]  # (recipient, why, in Dutch)
    missing: list[tuple[dict[str, Any], list[placeholders.Problem]]]  # letters that lack a value
    missing_blocks: list[str]
    extra_values: dict[str, Any]
    document_date: date

    @property
    def count(self) -> int:
        return len(self.recipients)

    @property
    def reachable(self) -> list[dict[str, Any]]:
        unreachable = {r["key"] for r, _ in self.unreachable}
        return [r for r in self.recipients if r["key"] not in unreachable]

    @property
    def by_post(self) -> int:
        return sum(1 for r in self.recipients if r.get("adresregels"))

    @property
    def by_email(self) -> int:
        return sum(1 for r in self.recipients if self.send_email and r.get("email"))

    @property
    def ok(self) -> bool:
        return bool(self.recipients) and not self.missing and not self.missing_blocks and bool(self.reachable)


def unreachable_reason(recipient: Mapping[str, Any], send_email: bool) -> str | None:
    """Why a recipient cannot be reached (Dutch), or None when post or e-mail can reach it."""
    if recipient.get("adresregels"):
        return None
    if send_email and recipient.get("email"):
        return None
    if send_email:
        return "geen volledig postadres en geen e-mailadres"
    if recipient.get("email"):
        return "geen volledig postadres (wel een e-mailadres, maar deze mailing verstuurt geen e-mail)"
    return "geen volledig postadres"


def _require_mailable(letter_type: LetterType, roles: Iterable[Role | str] | None) -> None:
    if not letter_type.mailable:
        raise ServiceError(f"‘{letter_type.title}’ wordt niet per mailing verstuurd.", field="type")
    if roles is not None and not may_use(letter_type, roles):
        raise ServiceError(f"U mag ‘{letter_type.title}’ niet versturen.", field="type")


def preview_recipients(letter_type: LetterType, choice: Choice, *, extra_values: Mapping[str, Any] | None = None,
                       document_date: date | None = None, send_email: bool = False,
                       roles: Iterable[Role | str] | None = None) -> Preview:
    """Who the mailing would reach, who not and why, and whose letter would lack a value (with the line of
    the text); nothing is stored."""
    _require_mailable(letter_type, roles)
    text = require_published_text(letter_type)
    if send_email and not mail_configured():
        raise ServiceError("Er is geen mailserver ingesteld; deze mailing kan alleen per post.", field="email")
    document_date = document_date or today_local()
    values = normalise_extra_values(letter_type, extra_values or {})
    recipients, merged, description, _audience = fetch_recipients(choice)
    unreachable = [(r, why) for r in recipients if (why := unreachable_reason(r, send_email)) is not None]
    missing = []
    for recipient in recipients:
        problems = issuing.missing_for(letter_type, text, recipient, values, document_date)
        if problems:
            missing.append((recipient, problems))
    return Preview(letter_type=letter_type, text=text, description=description, recipients=recipients,
                   merged=merged, send_email=send_email, unreachable=unreachable, missing=missing,
                   missing_blocks=_missing_blocks(letter_type, text, values), extra_values=values,
                   document_date=document_date)


def sample_letters(preview: Preview, count: int = SAMPLE_COUNT) -> list[tuple[dict[str, Any], issuing.Rendered]]:
    """Concept letters (no kenmerk, marked "Concept") for the first reachable recipients."""
    samples = []
    for recipient in preview.reachable[:count]:
        letter = issuing.compose(preview.letter_type, preview.text, recipient, extra_values=preview.extra_values,
                                 document_date=preview.document_date, concept=True,
                                 block_values=block_values(preview.extra_values))
        samples.append((recipient, issuing.render(letter, author=issuing.author_name())))
    return samples


def frozen_samples(mailing: Mailing, count: int = SAMPLE_COUNT) -> list[tuple[dict[str, Any], issuing.Rendered]]:
    """Concept letters of a created mailing for its first reachable recipients, from what was frozen (the
    pinned text, the recipients' data, the values): what the approver approves."""
    letter_type = db.session.get(LetterType, mailing.letter_type_id)
    text = db.session.get(LetterText, mailing.letter_text_id)
    assert letter_type is not None and text is not None
    recipients = db.session.scalars(sa.select(MR).where(MR.mailing_id == mailing.id,
                                                        MR.status != DeliveryStatus.NO_ADDRESS)
                                    .order_by(MR.position).limit(count))
    samples = []
    for recipient in recipients:
        data = recipient_data(recipient)
        letter = issuing.compose(letter_type, text, data, extra_values=mailing.extra_values or {},
                                 document_date=mailing.document_date, concept=True,
                                 block_values=block_values(mailing.extra_values or {}))
        samples.append((data, issuing.render(letter, author=issuing.author_name())))
    return samples


# --- creating, approving, starting, cancelling ----------------------------------------------------------

def _frozen(recipient: Mapping[str, Any], position: int, send_email: bool) -> dict[str, Any]:
    reachable = unreachable_reason(recipient, send_email) is None
    return {
        "position": position,
        "recipient_key": str(recipient["key"])[:200],
        "name": str(recipient.get("naam") or "")[:300],
        "registratienummer": recipient.get("registratienummer"),
        "suspect_id": recipient.get("suspect_id"),
        "address_lines": [str(line) for line in recipient.get("adresregels") or []],
        "postcode": (recipient.get("postcode") or None) and str(recipient["postcode"])[:10],
        "email": (recipient.get("email") or None) and str(recipient["email"])[:320],
        "data": {k: ("" if v is None else str(v)) for k, v in (recipient.get("velden") or {}).items()},
        "by_post": bool(recipient.get("adresregels")),
        "by_email": bool(send_email and recipient.get("email")),
        "status": DeliveryStatus.PENDING if reachable else DeliveryStatus.NO_ADDRESS,
    }


_HASHED = ("recipient_key", "name", "registratienummer", "suspect_id", "address_lines", "postcode", "email", "data",
           "by_post", "by_email")


def content_sha256(text_id: int, rows: Iterable[Mapping[str, Any]], extra_values: Mapping[str, Any],
                   document_date: date) -> str:
    """SHA-256 of the canonical JSON of the text, the frozen recipients and the mailing's own values."""
    content = {
        "tekst": text_id,
        "datum": document_date.isoformat(),
        "waarden": extra_values,
        "ontvangers": sorted(({k: row[k] for k in _HASHED} for row in rows), key=lambda r: r["recipient_key"]),
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _stored_sha256(mailing: Mailing) -> str:
    rows = db.session.execute(sa.select(*[getattr(MR, k) for k in _HASHED]).where(MR.mailing_id == mailing.id))
    return content_sha256(mailing.letter_text_id, [dict(r._mapping) for r in rows], mailing.extra_values,
                          mailing.document_date)


def _problems_message(preview: Preview) -> str:
    shown = []
    for recipient, problems in preview.missing[:10]:
        shown.append(f"{recipient.get('naam')}: " + "; ".join(str(p) for p in problems))
    more = f" En nog {len(preview.missing) - 10} ontvangers." if len(preview.missing) > 10 else ""
    return ("De mailing is niet aangemaakt: de brief mist waarden voor "
            f"{len(preview.missing)} ontvanger{'s' if len(preview.missing) != 1 else ''}. " + " ".join(shown) + more)


@service
def create_mailing(*, letter_type: LetterType, choice: Choice, title: str, actor: Actor,
                   extra_values: Mapping[str, Any] | None = None, document_date: date | None = None,
                   send_email: bool = False, roles: Iterable[Role | str] | None = None,
                   request_key: str | None = None) -> Mailing:
    """Make a mailing (a draft that waits for approval) with the type's published text and every recipient
    frozen; refused when there are none, when none can be reached, or when any letter lacks a value.

    ``request_key`` (the create form's one-time key): a second call with the same key returns the mailing the
    first made, unchanged, also when the two race (the key is unique)."""
    if request_key:
        existing = _by_request_key(request_key)
        if existing is not None:
            return existing
    preview = preview_recipients(letter_type, choice, extra_values=extra_values, document_date=document_date,
                                 send_email=send_email, roles=roles)
    title = " ".join((title or "").split())[:200] or f"{letter_type.title} ({fmt_date(preview.document_date)})"
    if not preview.recipients:
        raise ServiceError("De mailing is niet aangemaakt: er zijn geen ontvangers die aan de keuze voldoen.")
    if preview.missing_blocks:
        raise ServiceError("De mailing is niet aangemaakt: vul in: " + ", ".join(preview.missing_blocks) + ".")
    if preview.missing:
        raise ServiceError(_problems_message(preview))
    if not preview.reachable:
        raise ServiceError("De mailing is niet aangemaakt: geen enkele ontvanger is per post of e-mail te bereiken.")
    rows = [_frozen(r, n, send_email) for n, r in enumerate(preview.recipients, start=1)]
    criteria = _criteria_plain(choice.criteria)
    if choice.source == RecipientSource.CSV:
        criteria = {"bestand": choice.file_name, "sha256": hashlib.sha256(choice.csv_data or b"").hexdigest()}
    criteria["omschrijving"] = preview.description
    mailing = Mailing(
        title=title, letter_type_id=letter_type.id, letter_text_id=preview.text.id,
        source=RecipientSource.from_value(str(choice.source)), criteria=criteria, extra_values=preview.extra_values,
        document_date=preview.document_date, send_email=send_email, status=MailingStatus.DRAFT,
        recipient_count=len(rows), unreachable_count=len(preview.unreachable),
        content_sha256=content_sha256(preview.text.id, rows, preview.extra_values, preview.document_date),
        created_by=actor.label, created_by_user_id=actor.user_id, created_at=utcnow())
    mailing.request_key = request_key or None
    try:
        with db.session.begin_nested():
            db.session.add(mailing)
            db.session.flush()
    except IntegrityError:
        existing = _by_request_key(request_key) if request_key else None
        if existing is None:
            raise
        return existing
    db.session.execute(sa.insert(MR), [{**row, "mailing_id": mailing.id} for row in rows])
    audit.record(DocumentAction.MAILING_CREATED, object_type="mailing", object_id=mailing.id,
                 after={"titel": mailing.title, "soort": letter_type.slug, "tekstversie": preview.text.number,
                        "bron": str(choice.source), "selectie": preview.description, "ontvangers": len(rows),
                        "onbereikbaar": len(preview.unreachable), "samengevoegd": preview.merged,
                        "email": send_email, "sha256": mailing.content_sha256}, actor=actor)
    return mailing


def _by_request_key(key: str) -> Mailing | None:
    return db.session.scalar(sa.select(Mailing).where(Mailing.request_key == key))


def unreachable_recipients(mailing: Mailing) -> list[MailingRecipient]:
    return list(db.session.scalars(sa.select(MR).where(MR.mailing_id == mailing.id,
                                                       MR.status == DeliveryStatus.NO_ADDRESS).order_by(MR.position)))


def get_mailing(mailing_id: int) -> Mailing | None:
    return db.session.get(Mailing, mailing_id)


def require_mailing(mailing_id: int) -> Mailing:
    mailing = get_mailing(mailing_id)
    if mailing is None:
        raise ServiceError(f"Er is geen mailing {mailing_id}.")
    return mailing


def list_mailings(*, page: int = 1, per_page: int = 50) -> Any:
    return db.paginate(sa.select(Mailing).order_by(Mailing.created_at.desc(), Mailing.id.desc()), page=page,
                       per_page=per_page, error_out=False)


def is_creator(mailing: Mailing, person: Actor) -> bool:
    """Four eyes: the same account, or (for a process or an account-less label) the same label."""
    if person.user_id is not None and mailing.created_by_user_id is not None:
        return person.user_id == mailing.created_by_user_id
    return person.label.casefold() == mailing.created_by.casefold()


def approval_refusal(mailing: Mailing, person: Actor) -> str | None:
    """Why ``person`` may not approve the mailing (Dutch), or None (a check only: changes nothing)."""
    if mailing.status != MailingStatus.DRAFT:
        return f"De mailing is {MailingStatus.label_of(mailing.status).lower()}; alleen een mailing die op " \
               "goedkeuring wacht, kan worden goedgekeurd."
    if is_creator(mailing, person):
        return "U heeft deze mailing zelf aangemaakt. Een collega keurt haar goed (vier ogen)."
    return None


def _reload(mailing: Mailing) -> None:
    db.session.refresh(mailing)


@service
def approve_mailing(mailing: Mailing, *, actor: Actor) -> Mailing:
    """Approve a draft: by someone other than its maker (four eyes)."""
    refusal = approval_refusal(mailing, actor)
    if refusal:
        raise ServiceError(refusal)
    now = utcnow()
    done = rows_affected(db.session.execute(sa.update(Mailing).where(
        Mailing.id == mailing.id, Mailing.status == MailingStatus.DRAFT).values(
        status=MailingStatus.APPROVED, approved_by=actor.label, approved_by_user_id=actor.user_id, approved_at=now)))
    _reload(mailing)
    if done != 1:
        raise ServiceError("De mailing is intussen al goedgekeurd of geannuleerd.")
    audit.record(DocumentAction.MAILING_APPROVED, object_type="mailing", object_id=mailing.id,
                 after={"titel": mailing.title, "sha256": mailing.content_sha256}, actor=actor)
    return mailing


@service
def cancel_mailing(mailing: Mailing, *, actor: Actor) -> Mailing:
    """Cancel a mailing that has not started (a draft or approved)."""
    before = mailing.status
    done = rows_affected(db.session.execute(sa.update(Mailing).where(
        Mailing.id == mailing.id, Mailing.status.in_((MailingStatus.DRAFT, MailingStatus.APPROVED))).values(
        status=MailingStatus.CANCELLED, finished_at=utcnow())))
    _reload(mailing)
    if done != 1:
        raise ServiceError(f"De mailing is {MailingStatus.label_of(mailing.status).lower()}; alleen een mailing die "
                           "nog niet is gestart, kan worden geannuleerd.")
    audit.record(DocumentAction.MAILING_CANCELLED, object_type="mailing", object_id=mailing.id,
                 before={"status": str(before)}, after={"status": str(mailing.status)}, actor=actor)
    return mailing


def _parts() -> int:
    return max(int(current_app.config.get("MAILING_PARTS", 4)), 1)


def _queue_parts(mailing: Mailing, actor: Actor, run: str) -> int:
    from wki.core.worker import enqueue

    parts = min(_parts(), max(count_open(mailing.id), 1))
    for k in range(parts):
        enqueue(WORK_KIND, payload={"mailing_id": mailing.id, "deel": k + 1},
                key=f"mailing:{mailing.id}:{run}part:{k}", actor=actor)
    return parts


@service
def start_mailing(mailing: Mailing, *, actor: Actor, queue: bool = True) -> Mailing:
    """Approved → running, exactly once (a second start is refused), after checking that the recipients and
    text are still those approved; queues the parts for the worker(s) (``queue``)."""
    if mailing.status != MailingStatus.APPROVED:
        if mailing.status in (MailingStatus.RUNNING, MailingStatus.DONE, MailingStatus.DONE_WITH_FAILURES):
            raise ServiceError("De mailing is al gestart; zij loopt of is klaar. Een mailing wordt één keer verzonden.")
        raise ServiceError(f"De mailing is {MailingStatus.label_of(mailing.status).lower()}; alleen een goedgekeurde "
                           "mailing kan worden gestart.")
    if _stored_sha256(mailing) != mailing.content_sha256:
        raise ServiceError("De ontvangers of de tekst van de mailing wijken af van wat is goedgekeurd; de mailing is "
                           "niet gestart. Meld dit de beheerder.")
    done = rows_affected(db.session.execute(sa.update(Mailing).where(
        Mailing.id == mailing.id, Mailing.status == MailingStatus.APPROVED).values(
        status=MailingStatus.RUNNING, started_by=actor.label, started_by_user_id=actor.user_id,
        started_at=utcnow())))
    _reload(mailing)
    if done != 1:
        raise ServiceError("De mailing is al gestart; zij loopt of is klaar. Een mailing wordt één keer verzonden.")
    parts = _queue_parts(mailing, actor, "") if queue else 0
    audit.record(DocumentAction.MAILING_STARTED, object_type="mailing", object_id=mailing.id,
                 after={"titel": mailing.title, "delen": parts}, actor=actor)
    return mailing


@service
def record_resumed(mailing: Mailing, *, actor: Actor) -> None:
    """A running mailing picked up again in the foreground (``flask mailings run`` after a stop)."""
    audit.record(DocumentAction.MAILING_STARTED, object_type="mailing", object_id=mailing.id,
                 after={"titel": mailing.title, "hervat": True}, actor=actor)


@service
def retry_failed(mailing: Mailing, *, actor: Actor, queue: bool = True) -> int:
    """Offer the failed recipients again: those with a document get only the e-mail again (the same
    letter, the same kenmerk), the others are rendered again; the mailing runs again. Returns how many."""
    if mailing.status not in (MailingStatus.DONE_WITH_FAILURES, MailingStatus.RUNNING, MailingStatus.DONE):
        raise ServiceError("Alleen een gestarte mailing heeft mislukte ontvangers om opnieuw aan te bieden.")
    count = rows_affected(db.session.execute(sa.update(MR).where(
        MR.mailing_id == mailing.id, MR.status == DeliveryStatus.FAILED).values(
        status=DeliveryStatus.PENDING, claimed_by=None, claimed_at=None, error=None)))
    if not count:
        raise ServiceError("Er zijn geen mislukte ontvangers (meer) om opnieuw aan te bieden.")
    db.session.execute(sa.update(Mailing).where(Mailing.id == mailing.id).values(
        status=MailingStatus.RUNNING, finished_at=None))
    _reload(mailing)
    if queue:
        _queue_parts(mailing, actor, f"opnieuw:{utcnow().strftime('%Y%m%d%H%M%S%f')}:")
    audit.record(DocumentAction.MAILING_RETRIED, object_type="mailing", object_id=mailing.id,
                 after={"ontvangers": count}, actor=actor)
    return count


# --- the run --------------------------------------------------------------------------------------------





























# --- progress, print file, status file ------------------------------------------------------------------



@dataclass
class Progress:
    counts: dict[str, int]  # per DeliveryStatus value
    total: int  # reachable recipients (everyone but geen_adres)
    done: int  # letter made (and sent, where e-mail applies) or failed
    failed: int
    open: int  # waiting or being sent
    rate_per_minute: float | None
    seconds_left: float | None

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


RATE_WINDOW_MINUTES = 5


def mailing_progress(mailing: Mailing) -> Progress:
    """Counts per delivery status, done and failed, the rate of the last minutes (letters made per minute)
    and an estimate of the time left."""
    return mailings_progress([mailing])[mailing.id]


def _window_start(mailing: Mailing, now: datetime) -> datetime:
    assert mailing.started_at is not None
    started = mailing.started_at if mailing.started_at.tzinfo else mailing.started_at.replace(tzinfo=now.tzinfo)
    return max(now - timedelta(minutes=RATE_WINDOW_MINUTES), started)


def mailings_progress(shown: Sequence[Mailing]) -> dict[int, Progress]:
    """``mailing_progress`` of each of these mailings in two queries whatever their number (for the list):
    the counts per status of all of them, and the letters each made in its rate window."""
    if not shown:
        return {}
    ids = [m.id for m in shown]
    counts: dict[int, dict[str, int]] = {i: {str(s): 0 for s in DeliveryStatus} for i in ids}
    for mailing_id, status, count in db.session.execute(
            sa.select(MR.mailing_id, MR.status, sa.func.count()).where(MR.mailing_id.in_(ids))
            .group_by(MR.mailing_id, MR.status)):
        counts[mailing_id][str(status)] = int(count)
    now = utcnow()
    windows = {m.id: _window_start(m, now) for m in shown if m.started_at is not None}
    recent: dict[int, int] = {}
    if windows:
        recent = {int(i): int(n) for i, n in db.session.execute(
            sa.select(MR.mailing_id, sa.func.count()).where(sa.or_(*(
                sa.and_(MR.mailing_id == i, MR.rendered_at >= start) for i, start in windows.items())))
            .group_by(MR.mailing_id))}
    out: dict[int, Progress] = {}
    for mailing in shown:
        per = counts[mailing.id]
        total = sum(per.values()) - per[DeliveryStatus.NO_ADDRESS]
        open_count = per[DeliveryStatus.PENDING] + per[DeliveryStatus.SENDING]
        rate = seconds_left = None
        if mailing.id in windows and recent.get(mailing.id):
            minutes = max((now - windows[mailing.id]).total_seconds() / 60, 1 / 60)
            rate = recent[mailing.id] / minutes
            seconds_left = open_count / rate * 60 if open_count else 0.0
        out[mailing.id] = Progress(per, total, total - open_count, per[DeliveryStatus.FAILED], open_count, rate,
                                   seconds_left)
    return out


def recipients_page(mailing: Mailing, *, page: int = 1, per_page: int = 50, status: str | None = None) -> Any:
    stmt = sa.select(MR).where(MR.mailing_id == mailing.id).order_by(MR.position)
    if status:
        stmt = stmt.where(MR.status == status)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def _print_rows(mailing: Mailing) -> list[tuple[int, str]]:
    """(document id, sha256) of every letter that goes by post, by postcode then name."""
    rows = db.session.execute(
        sa.select(Document.id, Document.sha256).join(MR, MR.document_id == Document.id)
        .where(MR.mailing_id == mailing.id, MR.by_post.is_(True))
        .order_by(sa.case((MR.postcode.is_(None), 1), else_=0), MR.postcode, MR.name, MR.position))
    return [(int(r[0]), str(r[1])) for r in rows]


@service
def print_file(mailing: Mailing, *, actor: Actor) -> bytes:
    """One PDF of every letter that goes by post, sorted by postcode then name, for the post room; audited
    (in the caller's transaction). Letters whose e-mail failed are in it too: the post is independent."""
    from wki.documents.rendering import merge_pdfs

    rows = _print_rows(mailing)
    if not rows:
        raise ServiceError("Er zijn (nog) geen brieven die per post gaan.")
    store = issuing.document_store()
    data = merge_pdfs(store.get(sha256) for _, sha256 in rows)
    audit.record(DocumentAction.PRINT_FILE, object_type="mailing", object_id=mailing.id,
                 after={"brieven": len(rows), "sha256": hashlib.sha256(data).hexdigest()}, actor=actor)
    return data


def status_rows(mailing: Mailing) -> Iterator[list[Any]]:
    """One row per recipient in ``STATUS_COLUMNS`` order; the status is its stored value ("verzonden")."""
    stmt = (sa.select(MR.registratienummer, MR.name, MR.kenmerk, MR.status, Document.sha256)
            .outerjoin(Document, Document.id == MR.document_id).where(MR.mailing_id == mailing.id)
            .order_by(MR.position))
    for row in db.session.execute(stmt):
        yield [row[0] or "", row[1], row[2] or "", str(row[3]), row[4] or ""]


@service
def record_status_export(mailing: Mailing, *, actor: Actor, to_file: bool = True) -> None:
    """The status per recipient written to a file (names and kenmerken leave the application), or only the
    counts looked at from the command line: both audited."""
    audit.record(DocumentAction.MAILING_STATUS_EXPORTED if to_file else DocumentAction.MAILING_STATUS_VIEWED,
                 object_type="mailing", object_id=mailing.id, after={"ontvangers": mailing.recipient_count},
                 actor=actor)
