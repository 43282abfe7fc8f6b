""""Mogelijk dezelfde": other active suspects that may be the same collector as the one on the page.

The grouping (``wki.signals.grouping``) joins signals that share an identifier or whose names are nearly
the same (``NAME_LINK``); what it leaves apart a person may still recognise as one collector: a name that
is close but not close enough, a distinctive word in common ("Snelgeld Inning" / "Snelgeld Incasso
Nederland"), or an identifier that a person's split keeps apart. This module finds those, with the reasons
in Dutch, for the one-click merge on a suspect's page.

A fixed number of queries whatever the number of signals, each bounded: the suspect's own identifiers
(from its summary) looked up per kind (the KvK number and the IBAN through their indexes), its distinctive
name words looked up in the normalised names of other grouped signals, the suspects found, and the
splits people made between them. Names are then compared word by word (``names.compare``) in Python, on
at most ``MAX_NAME_ROWS`` names. At most ``MAX_SUGGESTIONS`` suspects are offered, best first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, aliased

from wki.core.extensions import db
from wki.signals.mirror import build_matcher
from wki.signals.models import LinkKind, Signal, Suspect, SuspectLink, SuspectStatus
from wki.signals.names import CORE, EQUAL, PLACE, SOUND, Vocabulary, Word, compare, word_similarity
from wki.signals.normalise import name_initials, name_tokens

S = Signal
MAX_SUGGESTIONS = 10
MAX_VALUES = 50  # identifiers of one kind looked up (a suspect with more is rare, and the first are its most used)
MAX_NAMES = 10  # of the suspect's own names, the most used
MAX_ID_ROWS = 200
MAX_NAME_ROWS = 300
# A name this alike (0-100) is offered. Lower than the matcher's doubt: offering costs a person a glance,
# and the grouping links only names that are nearly the same (NAME_LINK).
CLOSE_NAME = 65
SHARED_HOW = (EQUAL, SOUND)  # a word "in common": the same, or the same in sound


@dataclass
class Suggestion:
    suspect_id: int
    display_name: str
    signal_count: int
    last_seen: date | None
    shared: list[str] = field(default_factory=list)  # "IBAN NL91 ABNA 0417 1643 00", "KvK-nummer 12345678"
    name_score: int = 0
    name_like: str | None = None  # the other suspect's name that is most like one of this one's
    own_name: str | None = None  # ... and that one of this one's names
    words: list[str] = field(default_factory=list)  # distinctive words both names have
    kept_apart: bool = False  # a person split these two before

    @property
    def reasons(self) -> list[str]:
        """Why, in Dutch: one line per reason, identifiers first."""
        lines = [f"deelt {value}" for value in self.shared]
        if self.name_like and self.name_score >= CLOSE_NAME:
            mine = f"naam ‘{self.own_name}’" if self.own_name and self.own_name != self.name_like else "naam"
            lines.append(f"{mine} lijkt {self.name_score}% op ‘{self.name_like}’")
        elif self.words:
            quoted = ", ".join(f"‘{w}’" for w in self.words)
            lines.append(f"deelt het woord {quoted} in de naam" if len(self.words) == 1
                         else f"deelt de woorden {quoted} in de naam")
        return lines

    @property
    def reason_text(self) -> str:
        """The reason offered for the merge (the person may change it)."""
        return "Mogelijk dezelfde incassant: " + "; ".join(self.reasons) + "."

    @property
    def rank(self) -> tuple:
        return (self.kept_apart, -len(self.shared), -self.name_score, -len(self.words), -self.signal_count,
                self.suspect_id)


def _iban_shown(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def _words(vocabulary: Vocabulary, name: str) -> tuple[Word, ...]:
    return vocabulary.words(tuple(name_tokens(name)), name_initials(name))


def _distinctive(words: Iterable[Word]) -> list[str]:
    return sorted({w.text for w in words if w.role == CORE and len(w.text) >= 3})


def _as_written(word: str, names: Iterable[str]) -> str:
    """A name word as one of the names writes it ("gravenhorst" -> "Gravenhorst")."""
    for name in names:
        for piece in name.split():
            if word in name_tokens(piece):
                return piece.strip(".,;:()&'\"")
    return word


def _halves(word: str) -> set[str]:
    """What a close spelling of a long word still contains: one of its halves (one typo leaves one half
    intact). Shorter words are looked up whole: a typo in them makes a name the grouping links anyway."""
    if len(word) < 8:
        return set()
    half = len(word) // 2
    return {word[:half], word[half:]}


def _by_identifier(suspect_id: int, identifiers: dict) -> dict[int, list[str]]:
    """Other grouped signals' suspects that share one of these identifiers, with what they share."""
    others = sa.and_(S.suspect_id.is_not(None), S.suspect_id != suspect_id)
    kvks = list(identifiers.get("kvk") or [])[:MAX_VALUES]
    ibans = list(identifiers.get("iban") or [])[:MAX_VALUES]
    domains = list(identifiers.get("domein") or [])[:MAX_VALUES]
    phones = list(identifiers.get("telefoon") or [])[:MAX_VALUES]
    # (label, column, values, extra condition): one query each, so each can use its own index
    lookups: list[tuple[str, QueryableAttribute[str | None], list[str], sa.ColumnElement[bool] | None]] = []
    if kvks:
        lookups.append(("KvK-nummer", S.kvk, kvks, None))
    if ibans:
        lookups.append(("IBAN", S.iban, ibans, S.iban_valid.is_(True)))
    if domains:
        lookups.append(("website of e-maildomein", S.domain, domains, None))
        lookups.append(("website of e-maildomein", S.email_domain, domains, None))
    if phones:
        lookups.append(("telefoonnummer", S.phone, phones, None))
    found: dict[int, list[str]] = {}
    for label, column, values, extra in lookups:
        stmt = sa.select(S.suspect_id, column).where(others, column.in_(values))
        if extra is not None:
            stmt = stmt.where(extra)
        for other_id, value in db.session.execute(stmt.distinct().limit(MAX_ID_ROWS)):
            shown = f"{label} {_iban_shown(value) if label == 'IBAN' else value}"
            if shown not in found.setdefault(other_id, []):
                found[other_id].append(shown)
    return found


def _by_name(suspect_id: int, names: list[str],
             vocabulary: Vocabulary) -> dict[int, tuple[int, str, str, list[str]]]:
    """Other grouped signals' suspects with a close name or a distinctive word in common: suspect ->
    (best name likeness 0-100, their name that was most alike, our name it was alike to, the words both have)."""
    own = [(name, _words(vocabulary, name)) for name in names[:MAX_NAMES] if name]
    words = sorted({w for _name, ws in own for w in _distinctive(ws)})
    if not words:
        return {}
    whole = sa.or_(*(S.name_key.contains(word, autoescape=True) for word in words))
    halves = [S.name_key.contains(piece, autoescape=True) for word in words for piece in sorted(_halves(word))]
    rows = db.session.execute(
        sa.select(S.suspect_id, S.naam_incassant)
        .where(S.suspect_id.is_not(None), S.suspect_id != suspect_id, S.naam_incassant.is_not(None),
               sa.or_(whole, *halves))
        # A word in common first: should more names match than are read, those are the ones kept.
        .group_by(S.suspect_id, S.naam_incassant)
        .order_by(sa.func.max(sa.case((whole, 0), else_=1)), S.suspect_id, S.naam_incassant)
        .limit(MAX_NAME_ROWS)).all()
    own_core = {w.text for _name, ws in own for w in ws if w.role == CORE}
    found: dict[int, tuple[int, str, str, list[str]]] = {}
    for other_id, other_name in rows:
        theirs = _words(vocabulary, other_name)
        # A name none of whose words is like one of ours (a piece matched inside another word) is not read.
        if not any(word_similarity(mine, w.text)[0] > 0 for mine in own_core for w in theirs if w.role in (CORE, PLACE)):
            continue
        best, best_own, shared = 0.0, "", set[str]()
        for own_name, mine in own:
            if not mine:
                continue
            # One order, so that the comparison the grouping remembered is found (grouping.linked).
            a, b = (mine, theirs) if [w.text for w in mine] <= [w.text for w in theirs] else (theirs, mine)
            comparison = compare(a, b)
            if comparison.score > best:
                best, best_own = comparison.score, own_name
            core_a = {w.text for w in a if w.role == CORE}
            shared.update((x if x in core_a else y) for x, y, how in comparison.agreed
                          if how in SHARED_HOW and (x in core_a or y in core_a) and len(x) >= 3)
        score = round(best)
        if score < CLOSE_NAME and not shared:
            continue
        written = {_as_written(word, [other_name, *names]) for word in shared}
        previous = found.get(other_id)
        words = sorted(written | set(previous[3] if previous else ()))
        if previous is None or score > previous[0]:
            found[other_id] = (score, other_name, best_own, words)
        else:
            found[other_id] = (*previous[:3], words)
    return found


def _kept_apart(suspect_id: int, candidates: set[int]) -> set[int]:
    """The candidates that a person split from this suspect (an ``apart`` link between their signals)."""
    if not candidates:
        return set()
    a, b = aliased(Signal), aliased(Signal)
    link = SuspectLink
    apart: set[int] = set()
    for mine, theirs, mine_column, theirs_column in ((a, b, link.signal_a_id, link.signal_b_id),
                                                     (b, a, link.signal_b_id, link.signal_a_id)):
        apart.update(db.session.scalars(
            sa.select(theirs.suspect_id).select_from(link)
            .join(mine, mine.id == mine_column).join(theirs, theirs.id == theirs_column)
            .where(link.kind == LinkKind.APART, mine.suspect_id == suspect_id,
                   theirs.suspect_id.in_(sorted(candidates))).distinct()))
    return apart


def _kvks(suspect_ids: Iterable[int]) -> dict[int, set[str]]:
    ids = sorted(set(suspect_ids))
    if not ids:
        return {}
    found: dict[int, set[str]] = {}
    for suspect_id, kvk in db.session.execute(
            sa.select(S.suspect_id, S.kvk).where(S.suspect_id.in_(ids), S.kvk.is_not(None)).distinct()):
        found.setdefault(suspect_id, set()).add(kvk)
    return found


def similar_suspects(suspect: Suspect, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Active suspects that may be the same collector as ``suspect``, best first, with why."""
    if suspect.status != SuspectStatus.ACTIVE:
        return []
    identifiers = suspect.identifiers or {}
    shared = _by_identifier(suspect.id, identifiers)
    vocabulary = build_matcher()[0].vocabulary
    named = _by_name(suspect.id, list(identifiers.get("namen") or [suspect.display_name]), vocabulary)
    # A name never makes two KvK numbers one legal entity (as in the grouping): those are offered only
    # when they share an identifier.
    own_kvks = set(identifiers.get("kvk") or [])
    if own_kvks and named:
        kvks = _kvks(named)
        named = {i: v for i, v in named.items() if not kvks.get(i) or kvks[i] & own_kvks}
    ids = set(shared) | set(named)
    if not ids:
        return []
    suspects = db.session.execute(
        sa.select(Suspect.id, Suspect.display_name, Suspect.signal_count, Suspect.last_seen)
        .where(Suspect.id.in_(sorted(ids)), Suspect.status == SuspectStatus.ACTIVE)).all()
    apart = _kept_apart(suspect.id, {row.id for row in suspects})
    suggestions = []
    for row in suspects:
        score, like, own_name, words = named.get(row.id, (0, None, None, []))
        suggestions.append(Suggestion(
            suspect_id=row.id, display_name=row.display_name, signal_count=row.signal_count, last_seen=row.last_seen,
            shared=shared.get(row.id, []), name_score=score, name_like=like, own_name=own_name, words=words,
            kept_apart=row.id in apart))
    return sorted(suggestions, key=lambda s: s.rank)[:limit]
