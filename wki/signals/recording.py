"""Recording one signal, from the staff form or the partner API, and judging it at once; the references
the Inspectie gives signals staff record without one. A reference its source already sent is refused
(``DuplicateSignal``); nothing is stored then. No function here commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.sequences import next_value
from wki.core.service import service
from wki.signals.intake import FIELD_LABELS, clean_signal
from wki.signals.judging import match_signals
from wki.signals.models import Channel, PartnerToken, Signal, SignalAttachment, SignalStatus, Source, Verdict
from wki.signals.regrouping import attach_signal, regroup_suspects

S = Signal


class DuplicateSignal(ServiceError):
    """This source already sent a signal with this reference."""


def known_references(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (source, reference) pairs are already stored (500 references a query)."""
    known: set[tuple[str, str]] = set()
    by_source: dict[str, list[str]] = {}
    for bron, referentie in keys:
        by_source.setdefault(bron, []).append(referentie)
    for bron, refs in by_source.items():
        for start in range(0, len(refs), 500):
            chunk = refs[start:start + 500]
            known.update(db.session.execute(
                sa.select(S.bron, S.referentie).where(S.bron == bron, S.referentie.in_(chunk))).tuples())
    return known


@service
def record_from_form(values: Mapping[str, Any], *, attachment: tuple[bytes, str] | None, actor: Actor) -> Signal:
    """A signal from the staff form: its attachment (content, file name) stored, the next staff reference drawn
    when it has none of its own, then recorded and judged; one call, so that a refusal (a wrong value, a bad
    attachment, a reference already used) undoes all three and uses no number up."""
    from wki.signals.attachments import store_attachment

    stored = store_attachment(attachment[0], attachment[1], actor=actor) if attachment is not None else None
    if not values.get("referentie"):
        values = {**values, "referentie": next_reference()}
    return create_signal(values, channel=Channel.FORM, actor=actor, attachment=stored)


@service
def create_signal(values: Mapping[str, Any], *, channel: str, actor: Actor,
                  attachment: SignalAttachment | None = None, partner_token: PartnerToken | None = None) -> Signal:
    """Record one signal and judge it at once. Raises ServiceError (Dutch) when a value is wrong and
    DuplicateSignal when the source already sent this reference; nothing is stored then."""
    cleaned, errors = clean_signal(values)
    if errors:
        first = errors[0]
        raise ServiceError(f"{FIELD_LABELS.get(first.column, first.column)} {first.reason}.", field=first.column)
    if known_references({(cleaned["bron"], cleaned["referentie"])}):
        raise DuplicateSignal(f"Referentie {cleaned['referentie']} van bron {cleaned['bron']} is al bekend; "
                              "er is niets gewijzigd.", field="referentie")
    signal = Signal(**cleaned, channel=channel, status=SignalStatus.OPEN, created_by=actor.label,
                    attachment=attachment, partner_token_id=partner_token.id if partner_token else None)
    try:
        with db.session.begin_nested():  # the same reference sent twice at once: the second is a duplicate
            db.session.add(signal)
    except IntegrityError:
        raise DuplicateSignal(f"Referentie {cleaned['referentie']} van bron {cleaned['bron']} is al bekend; "
                              "er is niets gewijzigd.", field="referentie") from None
    audit.record("signaal.ontvangen", object_type="signal", object_id=signal.id,
                 after={"bron": signal.bron, "referentie": signal.referentie, "kanaal": channel,
                        "partner": partner_token.partner if partner_token else None}, actor=actor)
    result = match_signals(signal_ids=[signal.id], only_open=False, regroup=False, actor=actor)
    if result.verdicts[Verdict.UNREGISTERED] and not attach_signal(signal.id):  # only then can grouping change
        regroup_suspects()
    db.session.refresh(signal)
    return signal


# The staff references' counter in ``core.sequences``; migration 0010 started it after the references that
# the earlier max()+1 had issued.
REFERENCE_SEQUENCE = "signal_reference"


def staff_reference(year: int, number: int) -> str:
    """The form of a reference the Inspectie gives a signal: IJV-<year>-<number, six digits>."""
    return f"IJV-{year}-{number:06d}"


def next_reference() -> str:
    """A reference for a signal recorded by staff without one of its own: IJV-<year>-<number>, the next
    number of the year from the sequence, in the caller's transaction (a rollback gives it back). Ask for
    it last, just before ``create_signal``: until the commit, other staff forms wait for their number.
    A number whose reference a partner or a file already used, under any source, is passed over."""
    year = today_local().year
    while True:
        reference = staff_reference(year, next_value(REFERENCE_SEQUENCE, year))
        taken = db.session.scalar(sa.select(sa.literal(True)).where(S.bron.in_(list(Source.labels())),
                                                                    S.referentie == reference).limit(1))
        if not taken:
            return reference
