"""Matching signals against the mirror and regrouping suspects, on the database.

``match_signals`` judges signals (all open ones, the stale ones, or given ids) with a ``Matcher`` built
from every version of every registration and exempt office in the mirror, writes the automatic verdicts
in bulk, and regroups the suspects. It never touches a person's decision (``decided_*``), and it runs
inside the caller's transaction: the CLI command, the job or the request commits once.

The matcher is cached per process, keyed by the mirror's state: the list of applied snapshots. Any
import, approval or re-import changes that list, so a cached matcher is never stale.
"""

from __future__ import annotations

import gc
import hashlib
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from wki.core import audit
from wki.core.clock import today_local, utcnow
from wki.core.db import contains_text
from wki.extensions import db
from wki.register.models import (
    ExemptPartyVersion,
    RegisterSnapshot,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
    split_pipe,
)
from wki.signals.grouping import HUB_NAMES, Decision, Item, group, linked, shared_by_unrelated
from wki.signals.matching import (
    STATUTORY_NAME,
    TRADE_NAME,
    Features,
    Judgement,
    Matcher,
    Party,
    PartyName,
    PartyVersion,
    distinctive,
    normalise_place,
    normalise_postcode,
)
from wki.signals.models import LinkKind, Signal, SignalStatus, Suspect, SuspectLink, SuspectStatus, Verdict
from wki.signals.names import Vocabulary, Words
from wki.signals.normalise import (
    TokenWeights,
    email_address,
    email_domain,
    is_free_mail,
    name_alternatives,
    name_initials,
    name_readings,
    name_tokens,
    normalise_iban,
    normalise_name,
    normalise_phone,
    registrable_domain,
)

S = Signal


# --- the mirror as the matcher sees it -------------------------------------------------------------------

def register_state() -> str:
    """A digest of the applied snapshots (both kinds): changes whenever the mirror does."""
    rows = db.session.execute(
        sa.select(RegisterSnapshot.id, RegisterSnapshot.kind, RegisterSnapshot.sha256, RegisterSnapshot.snapshot_date)
        .where(RegisterSnapshot.status == SnapshotStatus.APPLIED).order_by(RegisterSnapshot.id)).all()
    digest = hashlib.sha256()
    for row in rows:  # the same file applied as of another date is another mirror
        digest.update(f"{row.id}:{row.kind}:{row.sha256}:{row.snapshot_date};".encode())
    return digest.hexdigest()


def _names(party: Party, seen: set[tuple[str, ...]], label: str, written: str) -> None:
    tokens = tuple(name_tokens(written))
    if tokens and tokens not in seen:
        seen.add(tokens)
        party.names.append(PartyName(label, written, tokens, name_initials(written)))


def _address(party: Party, postcode: str | None, plaats: str | None) -> None:
    if code := normalise_postcode(postcode):
        party.postcodes.add(code)
    if place := normalise_place(plaats):
        party.places.add(place)
        party.places.add(place.replace(" ", ""))  # "den haag" as the reading of a name joins it


def _registration_parties() -> list[Party]:
    V = RegistrationVersion
    rows = db.session.execute(sa.select(
        V.registratienummer, V.valid_from, V.valid_to, V.naam, V.handelsnamen, V.kvk_nummer, V.websites, V.emails,
        V.telefoons, V.ibans, V.status, V.datum_inschrijving, V.datum_einde, V.postcode, V.plaats,
        V.vestigingsnummer,
    ).order_by(V.registratienummer, V.valid_from)).all()
    parties: list[Party] = []
    party: Party | None = None
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        if party is None or party.key != row.registratienummer:
            party = Party(kind="register", key=row.registratienummer)
            parties.append(party)
            seen = set()
        party.versions.append(PartyVersion(row.valid_from, row.valid_to, row.naam, row.status,
                                           row.datum_inschrijving, row.datum_einde))
        _names(party, seen, STATUTORY_NAME, row.naam)
        for trade_name in split_pipe(row.handelsnamen):
            _names(party, seen, TRADE_NAME, trade_name)
        if row.kvk_nummer:
            party.kvk.add(row.kvk_nummer)
        if row.vestigingsnummer:
            party.vestigingen.add(row.vestigingsnummer)
        for website in split_pipe(row.websites):
            if domain := registrable_domain(website):
                party.domains.add(domain)
        for address in split_pipe(row.emails):
            if domain := email_domain(address):
                party.domains.add(domain)
            if whole := email_address(address):
                party.emails.add(whole)
        for phone in split_pipe(row.telefoons):
            if number := normalise_phone(phone):
                party.phones.add(number)
        for written in split_pipe(row.ibans):
            if (iban := normalise_iban(written)) and iban.valid:
                party.ibans.add(iban.compact)
        _address(party, row.postcode, row.plaats)
    return parties


def _exempt_parties() -> list[Party]:
    E = ExemptPartyVersion
    rows = db.session.execute(sa.select(
        E.party_key, E.valid_from, E.valid_to, E.naam, E.kvk_nummer, E.beroep, E.websites, E.plaats,
    ).order_by(E.party_key, E.valid_from)).all()
    parties: list[Party] = []
    party: Party | None = None
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        if party is None or party.ref != row.party_key:
            party = Party(kind="vrijgesteld", key=row.party_key, ref=row.party_key, beroep=row.beroep)
            parties.append(party)
            seen = set()
        party.versions.append(PartyVersion(row.valid_from, row.valid_to, row.naam))
        _names(party, seen, STATUTORY_NAME, row.naam)
        if row.kvk_nummer:
            party.kvk.add(row.kvk_nummer)
        for website in split_pipe(row.websites):
            if domain := registrable_domain(website):
                party.domains.add(domain)
        _address(party, None, row.plaats)
    for p in parties:  # shown by name, not by its internal key
        p.key = p.versions[-1].naam if p.versions else p.key
    return parties


def _first_snapshot(kind: str) -> date | None:
    return db.session.scalar(sa.select(sa.func.min(RegisterSnapshot.snapshot_date)).where(
        RegisterSnapshot.kind == kind, RegisterSnapshot.status == SnapshotStatus.APPLIED))


_cache_lock = threading.Lock()
_cache: dict[str, Matcher] = {}


def build_matcher() -> tuple[Matcher, str]:
    """The matcher for the mirror as it is now, and the state it was built from (cached per state)."""
    state = register_state()
    with _cache_lock:
        cached = _cache.get(state)
    if cached is not None:
        return cached, state
    parties = _registration_parties() + _exempt_parties()
    weights = TokenWeights.from_token_lists([name.tokens for p in parties for name in p.names])
    matcher = Matcher(parties, weights, mirror_start=_first_snapshot(SnapshotKind.REGISTER),
                      exempt_start=_first_snapshot(SnapshotKind.EXEMPT))
    with _cache_lock:
        _cache.clear()
        _cache[state] = matcher
    return matcher, state


# --- judging -------------------------------------------------------------------------------------------

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
    def verdicts(self) -> Counter[str]:
        return Counter(v for v in self.final.values())

    def as_counts(self) -> dict[str, Any]:
        return {"beoordeeld": self.judged, "gewijzigd": self.changed, "mogelijke_overtreders": self.suspects,
                **{f"oordeel_{k}": v for k, v in sorted(self.verdicts.items())}}


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Judging and grouping make many small objects and no reference cycles: the cyclic collector would
    only rescan the matcher's caches over and over (a third of the time at 20,000 signals)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def update_by_id(rows: list[dict[str, Any]]) -> None:
    """``UPDATE signal SET … WHERE id = :id`` for many rows at once (executemany in Core: the ORM's bulk
    update by primary key issues a statement per row here). Rows are grouped by the columns they set."""
    if not rows:
        return
    db.session.flush()  # pending ORM changes first: expiring the signals below would drop theirs
    table = Signal.__table__
    connection = db.session.connection()
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    for columns, group_rows in by_columns.items():
        stmt = table.update().where(table.c.id == sa.bindparam("_id")).values(
            {c: sa.bindparam("_" + c) for c in columns})
        params = [{"_" + k: v for k, v in row.items()} for row in group_rows]
        for start in range(0, len(params), 5000):
            connection.execute(stmt, params[start:start + 5000])
    for obj in list(db.session.identity_map.values()):  # the ORM's view of these signals is stale now
        if isinstance(obj, Signal):
            db.session.expire(obj)


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
                  stale_only: bool = False, regroup: bool = True, actor_email: str | None = None) -> MatchResult:
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
    attested = attested_spellings(_tokens_of(ids) if len(ids) <= FEW_SIGNALS else None)
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
        audit.record("signalen.beoordeeld", object_type="signal", after=result.as_counts(), actor_email=actor_email)
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


def _tokens_of(ids: Sequence[int]) -> set[str]:
    keys = db.session.scalars(sa.select(S.name_key).where(S.id.in_(list(ids)))) if ids else []
    return {token for key in keys for token in key.split()}


# A word of a collector's name written alike in this many signals from this many sources is how the
# collector writes itself, not a slip of the pen (slips are not repeated by others).
ATTESTED_SIGNALS = 3
ATTESTED_SOURCES = 2


def attested_spellings(tokens: Iterable[str] | None = None) -> frozenset[str]:
    """Words of collectors' names that signals from several sources write alike: of all signals, or only
    whether ``tokens`` are (a few signals judged at once, from the form or the API: a count per word in the
    database rather than every signal's name read)."""
    if tokens is not None:
        found = set()
        padded = sa.literal(" ") + S.name_key + sa.literal(" ")
        for token in sorted(set(tokens)):
            pattern = "% " + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %"
            count, sources = db.session.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(S.bron)))
                                                .where(padded.like(pattern, escape="\\"))).one()
            if count >= ATTESTED_SIGNALS and sources >= ATTESTED_SOURCES:
                found.add(token)
        return frozenset(found)
    signals: Counter[str] = Counter()
    sources: dict[str, set[str]] = defaultdict(set)
    for name_key, bron in db.session.execute(sa.select(S.name_key, S.bron)):
        for token in set(name_key.split()):
            signals[token] += 1
            sources[token].add(bron)
    return frozenset(token for token, count in signals.items()
                     if count >= ATTESTED_SIGNALS and len(sources[token]) >= ATTESTED_SOURCES)


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


# --- suspects ------------------------------------------------------------------------------------------

def effective_verdict() -> Any:
    """A person's decision, else the automatic verdict (SQL)."""
    return sa.func.coalesce(S.decided_verdict, S.auto_verdict)


def verdict_is(verdict: str) -> Any:
    """The signals whose verdict is ``verdict``: a person's decision, else the automatic one (written out,
    not as ``coalesce``, so that ``ix_signal_verdict`` can serve it)."""
    return sa.or_(S.decided_verdict == verdict, sa.and_(S.decided_verdict.is_(None), S.auto_verdict == verdict))


def unregistered_clause() -> Any:
    return verdict_is(Verdict.UNREGISTERED)


GROUP_COLUMNS = (S.id, S.suspect_id, S.name_key, S.naam_incassant, S.kvk, S.vestiging, S.iban, S.iban_valid,
                 S.email_raw, S.domain,
                 S.email_domain, S.phone, S.reference_date, S.bron, S.hoofdsom, S.incassokosten, S.bik_excess,
                 S.vulnerable, S.clone_of)


def _item(row: Any, vocabulary: Vocabulary) -> Item:
    identifiers = []
    if row.vestiging:
        identifiers.append("vestiging:" + row.vestiging)
    if row.iban and row.iban_valid:
        identifiers.append("iban:" + row.iban)
    if row.domain:
        identifiers.append("domein:" + row.domain)
    if row.email_domain:
        identifiers.append("domein:" + row.email_domain)
    if address := email_address(row.email_raw):  # at a free-mail provider too: one collector's address
        identifiers.append("e-mail:" + address)
    if row.phone:
        identifiers.append("telefoon:" + row.phone)
    first, *others = name_alternatives(row.naam_incassant, judging=False) or (None,)
    words = vocabulary.words(tuple(name_tokens(first)), name_initials(first))
    also = tuple(vocabulary.words(tuple(name_tokens(other)), name_initials(other)) for other in others)
    domain_names = tuple(vocabulary.words(tokens, frozenset()) for domain in {row.domain, row.email_domain} - {None}
                         if (tokens := _domain_words(domain)))
    readings = tuple(read for r in name_readings(row.naam_incassant)
                     if (read := vocabulary.words(tuple(name_tokens(r)), name_initials(r))))
    return Item(id=row.id, words=words, kvk=row.kvk, identifiers=tuple(identifiers), also=also,
                domain_names=domain_names, readings=readings, letters="".join(name_tokens(first)))


_DOMAIN_WORD = re.compile(r"[a-z]{2,}")


def _domain_words(domain: str) -> tuple[str, ...]:
    """The words of a domain's name ("modernequia-incasso.online" -> ("modernequia", "incasso"))."""
    # (A page on a platform, "facebook.com/mohameddebruin", is named by the page.)
    label = domain.rsplit("/", 1)[1] if "/" in domain else domain.split(".", 1)[0].removeprefix("www")
    return tuple(_DOMAIN_WORD.findall(label))


def decisions() -> list[Decision]:
    links = db.session.execute(sa.select(SuspectLink.kind, SuspectLink.signal_a_id, SuspectLink.signal_b_id)
                               .order_by(SuspectLink.created_at.desc(), SuspectLink.id.desc())).all()
    return [Decision("must" if link.kind == LinkKind.TOGETHER else "cannot", link.signal_a_id, link.signal_b_id)
            for link in links]


def regroup_suspects(vocabulary: Vocabulary | None = None) -> int:
    """Recompute the grouping of every ``niet_geregistreerd`` signal; returns the number of suspects."""
    if vocabulary is None:
        vocabulary = build_matcher()[0].vocabulary
    rows = {row.id: row for row in db.session.execute(sa.select(*GROUP_COLUMNS).where(unregistered_clause()))}
    groups = group([_item(row, vocabulary) for row in rows.values()], decisions())

    existing = {s.id: s for s in db.session.scalars(sa.select(Suspect))}
    taken: set[int] = set()
    assignment: list[tuple[Suspect, list[Any]]] = []
    for ids in groups:
        members = [rows[i] for i in ids]
        previous = Counter(r.suspect_id for r in members if r.suspect_id is not None and r.suspect_id not in taken)
        suspect = None
        for suspect_id, _n in previous.most_common():
            if suspect_id in existing:
                suspect = existing[suspect_id]
                break
        if suspect is None:
            suspect = Suspect(identifiers={}, status=SuspectStatus.ACTIVE)
            db.session.add(suspect)
        else:
            taken.add(suspect.id)
        assignment.append((suspect, members))
    db.session.flush()  # ids for the new suspects

    today = today_local()
    updates = []
    for suspect, members in assignment:
        _summarise(suspect, members, today)
        updates.extend({"id": r.id, "suspect_id": suspect.id} for r in members if r.suspect_id != suspect.id)
    went_to: dict[int, Counter[int]] = {}
    for suspect, members in assignment:
        for r in members:
            if r.suspect_id is not None and r.suspect_id != suspect.id:
                went_to.setdefault(r.suspect_id, Counter())[suspect.id] += 1
    for suspect_id, suspect in existing.items():
        if suspect_id not in taken and suspect.status != SuspectStatus.EMPTY:
            suspect.status = SuspectStatus.EMPTY
            suspect.signal_count = 0
            suspect.priority = 0
            suspect.successor_id = went_to[suspect_id].most_common(1)[0][0] if suspect_id in went_to else None
            suspect.updated_at = utcnow()
    # Signals no longer judged niet_geregistreerd leave their suspect.
    verdict = effective_verdict()
    leavers = db.session.scalars(sa.select(S.id).where(
        S.suspect_id.is_not(None), sa.or_(verdict.is_(None), verdict != Verdict.UNREGISTERED)))
    updates.extend({"id": signal_id, "suspect_id": None} for signal_id in leavers)
    update_by_id(updates)
    return len(groups)


MAX_ATTACH_NAMES = 2000  # distinct candidate names for one signal; beyond this a full regrouping is cheaper


def attach_signal(signal_id: int, vocabulary: Vocabulary | None = None) -> bool:
    """Group one new ``niet_geregistreerd`` signal without regrouping everything: it joins the one suspect
    whose signals share an identifier or a nearly identical name with it (by the rules of ``group``), or
    becomes a suspect of its own. Returns False, changing nothing, when that is not simple (it would join
    two suspects together, or its words are too common to look up): the caller regroups everything then.
    The nightly regrouping reconciles whatever this shortcut could see differently."""
    if vocabulary is None:
        vocabulary = build_matcher()[0].vocabulary
    row = db.session.execute(sa.select(*GROUP_COLUMNS).where(S.id == signal_id, unregistered_clause())).one_or_none()
    if row is None or row.suspect_id is not None:
        return True
    others = sa.and_(unregistered_clause(), S.id != signal_id)
    by_identifier = []
    if row.kvk:
        by_identifier.append(S.kvk == row.kvk)
    if row.vestiging:
        by_identifier.append(S.vestiging == row.vestiging)
    if row.iban and row.iban_valid:
        by_identifier.append(sa.and_(S.iban == row.iban, S.iban_valid.is_(True)))
    domains = sorted({row.domain, row.email_domain} - {None})
    if domains:
        by_identifier += [S.domain.in_(domains), S.email_domain.in_(domains)]
    if row.phone:
        by_identifier.append(S.phone == row.phone)
    neighbours: set[int | None] = set()
    if by_identifier:
        neighbours.update(db.session.scalars(sa.select(S.suspect_id).where(others, sa.or_(*by_identifier)).distinct()))
    if address := email_address(row.email_raw):  # written in other forms too ("Naam <adres>"): compared here
        for email_raw, suspect_id in db.session.execute(
                sa.select(S.email_raw, S.suspect_id).where(others, contains_text(S.email_raw, address)).distinct()):
            if email_address(email_raw) == address:
                neighbours.add(suspect_id)
    item = _item(row, vocabulary)
    if item.readings:
        return False  # a name with readings links by rules this shortcut does not follow: regroup everything
    words = item.words
    if words:
        # Any name one letter off shares the first or the second half of each distinctive word.
        pieces = set()
        for word in distinctive(words):
            token = word.text
            half = len(token) // 2
            pieces.update(p for p in (token[:max(half, 3)], token[half:]) if len(p) >= 3)
        conditions = [S.name_key == row.name_key] + [S.name_key.contains(p, autoescape=True) for p in pieces]
        names = db.session.execute(sa.select(S.naam_incassant, S.suspect_id).where(others, sa.or_(*conditions))
                                   .distinct().limit(MAX_ATTACH_NAMES + 1)).all()
        if len(names) > MAX_ATTACH_NAMES:
            return False
        kvk_of = _suspect_kvks({n.suspect_id for n in names} - {None})
        for naam, suspect_id in names:
            if row.kvk and kvk_of.get(suspect_id) and row.kvk not in kvk_of[suspect_id]:
                continue  # another legal entity: a name never links different KvK numbers
            tokens = tuple(name_tokens(naam))
            other = vocabulary.words(tokens, name_initials(naam))
            if (other and linked(words, other)) or (len(item.letters) >= 8 and "".join(tokens) == item.letters):
                neighbours.add(suspect_id)
    if None in neighbours or len(neighbours) > 1:
        return False  # ungrouped neighbours, or two suspects that this signal ties together
    if neighbours:
        suspect = db.session.get(Suspect, neighbours.pop())
        if suspect is None:
            return False
    else:
        suspect = Suspect(identifiers={}, status=SuspectStatus.ACTIVE)
        db.session.add(suspect)
        db.session.flush()
    update_by_id([{"id": signal_id, "suspect_id": suspect.id}])
    members = db.session.execute(sa.select(*GROUP_COLUMNS).where(S.suspect_id == suspect.id)).all()
    _summarise(suspect, list(members), today_local())
    return True


def _suspect_kvks(suspect_ids: set[int]) -> dict[int, set[str]]:
    if not suspect_ids:
        return {}
    rows = db.session.execute(sa.select(S.suspect_id, S.kvk).where(S.suspect_id.in_(sorted(suspect_ids)),
                                                                    S.kvk.is_not(None)).distinct())
    found: dict[int, set[str]] = {}
    for suspect_id, kvk in rows:
        found.setdefault(suspect_id, set()).add(kvk)
    return found


def _ordered(values: Iterable[str | None]) -> list[str]:
    counts = Counter(v for v in values if v)
    return [value for value, _n in counts.most_common()]


def priority(*, count: int, last_seen: date | None, sources: int, principal: Decimal, bik_exceeded: int,
             vulnerable: int, today: date) -> tuple[int, list[tuple[str, int]]]:
    """0–100 with its parts, in Dutch: number and recency of signals, sources, amounts, vulnerable debtors."""
    parts: list[tuple[str, int]] = []
    n_points = 30 if count >= 10 else 24 if count >= 5 else 16 if count >= 2 else 8
    parts.append((f"{count} signa{'al' if count == 1 else 'len'}", n_points))
    if last_seen is not None:
        age = (today - last_seen).days
        recency = 20 if age <= 30 else 12 if age <= 90 else 5 if age <= 365 else 0
        parts.append((f"laatste signaal {max(age, 0)} dagen geleden", recency))
    parts.append((f"{sources} verschillende bron{'' if sources == 1 else 'nen'}", min(15, 5 * sources)))
    if principal > 0:
        points = 15 if principal >= 10000 else 8 if principal >= 1000 else 3
        parts.append((f"hoofdsommen samen € {principal:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
                      points))
    if bik_exceeded:
        parts.append((f"{bik_exceeded}× incassokosten boven het BIK-maximum", 5))
    if vulnerable:
        parts.append((f"{vulnerable}× kwetsbare schuldenaar genoemd", 15 if vulnerable >= 3 else 10))
    return min(100, sum(p for _l, p in parts)), parts


def _summarise(suspect: Suspect, members: list[Any], today: date) -> None:
    names = _ordered(r.naam_incassant for r in members)
    days = [r.reference_date for r in members]
    principal = sum((r.hoofdsom for r in members if r.hoofdsom is not None), Decimal("0"))
    costs = sum((r.incassokosten for r in members if r.incassokosten is not None), Decimal("0"))
    sources = {r.bron for r in members}
    bik_exceeded = sum(1 for r in members if r.bik_excess is not None and r.bik_excess > 0)
    vulnerable = sum(1 for r in members if r.vulnerable)
    points, parts = priority(count=len(members), last_seen=max(days), sources=len(sources), principal=principal,
                             bik_exceeded=bik_exceeded, vulnerable=vulnerable, today=today)
    identifiers = {
        "namen": names[:30],
        "kvk": _ordered(r.kvk for r in members),
        "iban": _ordered(r.iban for r in members if r.iban_valid),
        "domein": _ordered([*(r.domain for r in members), *(r.email_domain for r in members)]),
        "telefoon": _ordered(r.phone for r in members),
        "bronnen": sorted(sources),
        "prioriteit": [[label, p] for label, p in parts],
    }
    values = {
        "status": SuspectStatus.ACTIVE,
        "successor_id": None,
        "display_name": (names[0] if names else (identifiers["kvk"] or identifiers["iban"] or identifiers["domein"]
                                                 or identifiers["telefoon"] or ["onbekend"])[0])[:300],
        "identifiers": identifiers,
        "signal_count": len(members),
        "source_count": len(sources),
        "first_seen": min(days),
        "last_seen": max(days),
        "total_principal": principal if any(r.hoofdsom is not None for r in members) else None,
        "total_costs": costs if any(r.incassokosten is not None for r in members) else None,
        "bik_exceeded_count": bik_exceeded,
        "vulnerable_count": vulnerable,
        "clone_of": (_ordered(r.clone_of for r in members) or [None])[0],
        "priority": points,
    }
    if any(getattr(suspect, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(suspect, key, value)
        suspect.updated_at = utcnow()


def stale_count() -> int:
    """Open signals judged against an older state of the mirror (the re-matching job's work)."""
    state = register_state()
    return db.session.scalar(sa.select(sa.func.count()).select_from(S).where(
        S.status == SignalStatus.OPEN, sa.or_(S.register_state.is_(None), S.register_state != state))) or 0


def rematch_stale(actor_email: str | None = None) -> dict[str, Any]:
    """The scheduled job: when the mirror changed, judge every open signal again."""
    if not stale_count():
        return {"beoordeeld": 0}
    return match_signals(stale_only=True, actor_email=actor_email).as_counts()

