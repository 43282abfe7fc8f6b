"""Judging signals against the mirror on their reference dates, on the database.

``match_signals`` judges signals (all open ones, the stale ones, those of one file, or given ids) with the
matcher of the mirror as it is now (``mirror.build_matcher``), in chunks, writes the automatic verdicts
in bulk, judges again the signals that use what the run showed to be unregistered collectors'
identifiers, and regroups the suspects. It never touches a person's decision (``decided_*``), and it runs
inside the caller's transaction: the CLI command, the job or the request commits once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.signals.bulk import no_cyclic_gc, update_by_id
from wki.signals.grouping import HUB_NAMES, shared_by_unrelated
from wki.signals.matching import Features, Judgement, Matcher, normalise_place, normalise_postcode
from wki.signals.mirror import build_matcher
from wki.signals.models import Signal, SignalStatus, Verdict
from wki.signals.names import Words
from wki.signals.normalise import (
    email_address,
    is_free_mail,
    name_alternatives,
    name_initials,
    name_readings,
    name_tokens,
    normalise_name,
)
from wki.signals.regrouping import regroup_suspects
from wki.signals.spellings import attested_spellings, tokens_of
from wki.signals.verdicts import unregistered_clause

S = Signal


MATCH_COLUMNS = (S.id, S.reference_date, S.naam_incassant, S.name_key, S.kvk, S.vestiging, S.iban, S.iban_valid,
                 S.iban_raw,
                 S.domain, S.email_domain, S.email_raw, S.phone, S.postcode, S.plaats)


def features_of(row: Any) -> Features:
    free = None
    if row.email_raw and "@" in row.email_raw:
        host = row.email_raw.rsplit("@", 1)[1].strip().lower()
        free = host if is_free_mail(host) else None
    first, *others = name_alternatives(row.naam_incassant) or (None,)
    return Features(
        day=row.reference_date,
        name=row.naam_incassant,
        tokens=tuple(name_tokens(first)),
        initials=name_initials(first),
        also=tuple((tuple(name_tokens(other)), name_initials(other)) for other in others),
        readings=tuple((tuple(name_tokens(r)), name_initials(r)) for r in name_readings(row.naam_incassant)),
        kvk=row.kvk,
        vestiging=row.vestiging,
        iban=row.iban if row.iban_valid else None,
        iban_invalid=row.iban_raw if row.iban and not row.iban_valid else None,
        domain=row.domain,
        email_domain=row.email_domain,
        free_mail=free,
        email=email_address(row.email_raw),
        phone=row.phone,
        postcode=normalise_postcode(row.postcode),
        place=normalise_place(row.plaats),
    )


@dataclass
class MatchResult:
    suspects: int = 0
    state: str = ""
    final: dict[int, str | None] = field(default_factory=dict)  # signal id -> its verdict after this run
    changed_ids: set[int] = field(default_factory=set)

    @property
    def judged(self) -> int:
        return len(self.final)

    @property
    def changed(self) -> int:
        return len(self.changed_ids)

    @property
    def verdicts(self) -> Counter[str | None]:
        return Counter(self.final.values())

    def as_counts(self) -> dict[str, Any]:
        return {"beoordeeld": self.judged, "gewijzigd": self.changed, "mogelijke_overtreders": self.suspects,
                **{f"oordeel_{k}": v for k, v in sorted(self.verdicts.items())}}


def _values(judgement: Judgement) -> dict[str, Any]:
    return {
        "auto_verdict": judgement.verdict,
        "auto_registratienummer": judgement.registratienummer,
        "auto_exempt_name": judgement.exempt_name,
        "score": judgement.score,
        "explanation": "\n".join(judgement.explanation),
        "clone_of": judgement.clone_of,
        "candidates": judgement.candidates,
    }


MATCH_CHUNK = 2000
_JUDGED_COLUMNS = (S.auto_verdict, S.auto_registratienummer, S.score, S.explanation, S.clone_of, S.auto_exempt_name,
                   S.candidates)


def match_signals(*, only_open: bool = True, signal_ids: Sequence[int] | None = None, import_id: int | None = None,
                  stale_only: bool = False, regroup: bool = True, actor: Actor | None = None) -> MatchResult:
    """Judge signals against the mirror on their reference dates; then regroup the suspects."""
    matcher, state = build_matcher()
    stmt = sa.select(*MATCH_COLUMNS, *_JUDGED_COLUMNS)
    if only_open:
        stmt = stmt.where(S.status == SignalStatus.OPEN)
    if signal_ids is not None:
        stmt = stmt.where(S.id.in_(list(signal_ids)))
    if import_id is not None:
        stmt = stmt.where(S.import_id == import_id)
    if stale_only:
        stmt = stmt.where(sa.or_(S.register_state.is_(None), S.register_state != state))
    result = MatchResult(state=state)
    base = stmt
    # In chunks: the rows, their judgements and the updates of 2,000 signals at a time are in memory, not
    # those of every signal (each judgement carries its candidates).
    ids = list(db.session.scalars(stmt.with_only_columns(S.id).order_by(S.id)))
    learned = learned_identifiers(matcher)
    attested = attested_spellings(tokens_of(ids) if len(ids) <= FEW_SIGNALS else None)
    with no_cyclic_gc():
        result = _judge_ids(matcher, base, ids, learned, state, result, attested)
        # What this run showed to be unregistered collectors' accounts, numbers and sites says something of
        # the signals that use them too (a clone's IBAN under the registered name): those are judged again.
        known = learned_identifiers(matcher)
        if known.keys() - learned.keys():
            again = _using(known.keys() - learned.keys(), only_open=only_open)
            if again:
                result = _judge_ids(matcher, sa.select(*MATCH_COLUMNS, *_JUDGED_COLUMNS), again, known, state, result,
                                    attested)
    if regroup:
        with no_cyclic_gc():
            result.suspects = regroup_suspects(matcher.vocabulary)
    if result.judged:
        audit.record("signalen.beoordeeld", object_type="signal", after=result.as_counts(), actor=actor)
    return result


def _judge_ids(matcher: Matcher, stmt: Any, ids: Sequence[int], learned: dict[str, str], state: str,
               result: MatchResult, attested: frozenset[str] = frozenset()) -> MatchResult:
    for start in range(0, len(ids), MATCH_CHUNK):
        chunk = ids[start:start + MATCH_CHUNK]
        rows = db.session.execute(stmt.where(S.id.in_(chunk)).order_by(S.id)).all()
        judged = [(row, matcher.judge(features_of(row), learned, attested)) for row in rows]
        result = _write_judgements(judged, state, result)
    return result


# A signal judged niet_geregistreerd surely shows whose its identifiers are when a person decided it, its
# KvK number is nobody's in the register, or a name of words (not one run-together string a bank or an SMS
# sender garbled: that comes near nothing either) comes near no party's.
CERTAIN_UNREGISTERED_SCORE = 40


def _signal_keys(row: Any) -> list[str]:
    keys = []
    if row.iban and row.iban_valid:
        keys.append("iban:" + row.iban)
    if row.phone:
        keys.append("telefoon:" + row.phone)
    if address := email_address(row.email_raw):
        keys.append("e-mail:" + address)
    for domain in {row.domain, row.email_domain} - {None}:
        keys.append("domein:" + domain)
    return keys


_KEY_COLUMNS = (S.id, S.referentie, S.iban, S.iban_valid, S.phone, S.email_raw, S.domain, S.email_domain)
_ANY_KEY = sa.or_(S.iban.is_not(None), S.phone.is_not(None), S.email_raw.is_not(None), S.domain.is_not(None))


def learned_identifiers(matcher: Matcher) -> dict[str, str]:
    """Identifiers other signals showed to be unregistered collectors' (key -> the first such signal's
    reference), leaving out every identifier the register or the exempt list gives a party."""
    listed = matcher.party_identifiers()
    kvks = matcher.kvk_numbers()
    rows = db.session.execute(
        sa.select(*_KEY_COLUMNS, S.kvk, S.decided_verdict, S.score, S.name_key)
        .where(unregistered_clause(), _ANY_KEY).order_by(S.referentie, S.id)).all()
    learned: dict[str, str] = {}
    names: dict[str, list[Words]] = defaultdict(list)
    vocabulary = matcher.vocabulary
    for row in rows:
        if (row.decided_verdict == Verdict.UNREGISTERED or (row.kvk and row.kvk not in kvks)
                or (row.score is not None and row.score < CERTAIN_UNREGISTERED_SCORE and " " in row.name_key)):
            for key in _signal_keys(row):
                if key not in listed:
                    learned.setdefault(key, row.referentie)
                    names[key].append(vocabulary.words(tuple(row.name_key.split()), frozenset()))
    # (An account that signals about unrelated names share, a creditor's, is nobody's in particular.)
    for key, words in names.items():
        if len(words) >= HUB_NAMES and shared_by_unrelated(words):
            del learned[key]
    return learned


FEW_SIGNALS = 50  # judged at once: their words are counted one by one (attested_spellings)


def _using(keys: set[str], *, only_open: bool) -> list[int]:
    """The signals not judged niet_geregistreerd that use one of ``keys``."""
    stmt = sa.select(*_KEY_COLUMNS).where(_ANY_KEY, sa.or_(S.auto_verdict.is_(None),
                                                          S.auto_verdict != Verdict.UNREGISTERED))
    if only_open:
        stmt = stmt.where(S.status == SignalStatus.OPEN)
    return [row.id for row in db.session.execute(stmt.order_by(S.id)) if not keys.isdisjoint(_signal_keys(row))]


def _write_judgements(judged: list[tuple[Any, Judgement]], state: str, result: MatchResult) -> MatchResult:
    now = utcnow()
    updates: list[dict[str, Any]] = []
    for row, judgement in judged:
        values = _values(judgement)
        result.final[row.id] = judgement.verdict
        before = {"auto_verdict": row.auto_verdict, "auto_registratienummer": row.auto_registratienummer,
                  "auto_exempt_name": row.auto_exempt_name, "score": row.score, "explanation": row.explanation,
                  "clone_of": row.clone_of, "candidates": row.candidates}
        if before != values:
            result.changed_ids.add(row.id)
        # The name as the normaliser reads it now (it may have learnt a spelling since the signal came in).
        name_key = normalise_name(row.naam_incassant)
        if name_key != row.name_key:
            values["name_key"] = name_key
        updates.append({"id": row.id, **values, "matched_at": now, "register_state": state})
    update_by_id(updates)
    return result
