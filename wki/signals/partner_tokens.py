"""Partners' tokens for the signals API: issued (the token shown once, only its hash stored), revoked,
and looked up for a request.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.service import service
from wki.signals.models import PartnerToken, Source


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@service
def issue_token(partner: str, bron: str, *, actor: Actor) -> tuple[PartnerToken, str]:
    """A new token for a partner; the token itself is returned once and never stored."""
    partner = (partner or "").strip()
    if not partner or len(partner) > 200:
        raise ServiceError("Geef de naam van de partner (hooguit 200 tekens).", field="partner")
    if bron not in Source.labels():
        raise ServiceError("Kies de bron van de signalen van deze partner.", field="bron")
    token = "wki_" + secrets.token_urlsafe(32)
    record = PartnerToken(partner=partner, bron=bron, token_hash=_token_hash(token), prefix=token[:12],
                          created_by=actor.label)
    db.session.add(record)
    db.session.flush()
    audit.record("partnertoken.uitgegeven", object_type="partner_token", object_id=record.id,
                 after={"partner": partner, "bron": bron, "prefix": record.prefix}, actor=actor)
    return record, token


@service
def revoke_token(token_id: int, *, actor: Actor) -> PartnerToken:
    record = db.session.get(PartnerToken, token_id)
    if record is None:
        raise NotFoundError("Dit token bestaat niet.")
    if record.revoked_at is not None:
        raise ServiceError("Dit token is al ingetrokken.")
    record.revoked_at = utcnow()
    record.revoked_by = actor.label
    audit.record("partnertoken.ingetrokken", object_type="partner_token", object_id=record.id,
                 after={"partner": record.partner, "prefix": record.prefix}, actor=actor)
    return record


def authenticate_token(token: str | None) -> PartnerToken | None:
    """The active token with this value, or None. Constant-time in the token (only its hash is looked up)."""
    if not token or not token.startswith("wki_") or len(token) > 200:
        return None
    record = db.session.scalar(sa.select(PartnerToken).where(PartnerToken.token_hash == _token_hash(token)))
    if record is None or record.revoked_at is not None:
        return None
    record.last_used_at = utcnow()
    return record


def list_tokens() -> list[PartnerToken]:
    return list(db.session.scalars(sa.select(PartnerToken).order_by(PartnerToken.revoked_at.is_not(None),
                                                                     PartnerToken.partner, PartnerToken.id)))
