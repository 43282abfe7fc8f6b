"""Grouping signals judged ``niet_geregistreerd`` into suspected collectors (pure; no database).

Signals belong to one suspect when they share an identifier (KvK number, valid IBAN, registrable
domain of a website or non-free e-mail address, phone number; not one that signals about several unrelated
names share, ``hubs``) or when their names are nearly the same
(``NAME_LINK``), transitively: a union-find over those links. Links are found through the same
inverted indexes as matching (identifiers; distinctive name tokens and their one-letter deletions), so
the work grows with the number of signals, not with its square; names are compared once per distinct
normalised name, so a collector with hundreds of identical signals costs one comparison.

A different KvK number means a different legal entity: a name link never joins two groups that carry
different KvK numbers. People's decisions come first, the newest first: a merge (``must``) joins two
signals' groups unless a newer split forbids it; a split (``cannot``) keeps two signals' groups apart
from then on, against every automatic link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wki.signals.matching import NAME_LINK, name_keys
from wki.signals.names import CORE, NO_WORDS, Words, compare

MAX_NAME_BUCKET = 100  # distinct names sharing one key; beyond this the key is too common to link on
# An account, number or site that signals about this many unrelated names share is not one collector's: a
# creditor's account written in the wrong column, a call centre's number, a hosting platform.
HUB_NAMES = 3
HUB_COMPARED = 20  # names of one set a new name is compared with (enough to find a relation; bounded work)


@dataclass(frozen=True)
class Item:
    id: int
    words: Words = NO_WORDS  # the name, read against the register's vocabulary (``Vocabulary.words``)
    kvk: str | None = None
    identifiers: tuple[str, ...] = ()  # "iban:…", "domein:…", "telefoon:…" (KvK apart, see above)
    also: tuple[Words, ...] = ()  # other names the signal gives for the collector ("X h.o.d.n. Y")
    # Names read from the signal's own website or e-mail domain ("modernequia-incasso.online"): they link
    # only to a signal of exactly that name.
    domain_names: tuple[Words, ...] = ()
    # The name without what was written around it ("X - reageert niet", "Met vriendelijke groet, Eva | X",
    # ``name_readings``): less sure than the name, so it links only to a signal of exactly that name.
    readings: tuple[Words, ...] = ()
    # The name's letters without spaces or legal form ("lumiabetaaldienst" for "LUMIA BETAALDIENST BV").
    letters: str = ""


@dataclass(frozen=True)
class LinkChoice:
    """A person's choice about two signals: in one group (``must``, a merge) or apart (``cannot``, a split)."""

    kind: str  # "must" or "cannot"
    a: int
    b: int


class _Groups:
    def __init__(self, items: Sequence[Item]) -> None:
        self.parent = {item.id: item.id for item in items}
        self.kvk: dict[int, set[str]] = {item.id: ({item.kvk} if item.kvk else set()) for item in items}
        self.apart: dict[int, set[int]] = defaultdict(set)  # root -> roots it must stay apart from (lazy)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def forbidden(self, ra: int, rb: int) -> bool:
        return any(self.find(o) == rb for o in self.apart.get(ra, ())) or any(
            self.find(o) == ra for o in self.apart.get(rb, ()))

    def union(self, a: int, b: int, *, check_kvk: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.forbidden(ra, rb):
            return False
        if check_kvk and self.kvk[ra] and self.kvk[rb] and not (self.kvk[ra] & self.kvk[rb]):
            return False
        self.parent[rb] = ra
        self.kvk[ra] |= self.kvk.pop(rb)
        if rb in self.apart:
            self.apart[ra] |= self.apart.pop(rb)
        return True

    def keep_apart(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.apart[ra].add(rb)
            self.apart[rb].add(ra)


def linked(a: Words, b: Words) -> bool:
    """Whether two names are nearly the same (and do not contradict each other); remembered per pair by
    ``compare``, so that regrouping after one new signal compares only the names it brings."""
    if a.texts > b.texts:  # one order, so that the remembered comparison is found
        a, b = b, a
    comparison = compare(a, b)
    return comparison.score >= NAME_LINK and comparison.conflict is None


def _related(a: Words, b: Words) -> bool:
    core = {w.text for w in a if w.role == CORE}
    return any(w.role == CORE and w.text in core for w in b) or linked(a, b)


def shared_by_unrelated(names: Iterable[Words]) -> bool:
    """Whether the names with which one identifier was written fall apart into ``HUB_NAMES`` or more sets
    of unrelated names (no word of the name in common, not nearly the same)."""
    clusters: list[list[Words]] = []
    for words in dict.fromkeys(names):
        if not any(w.role == CORE for w in words):
            continue
        for cluster in clusters:
            if any(_related(words, other) for other in cluster[:HUB_COMPARED]):
                cluster.append(words)
                break
        else:
            clusters.append([words])
            if len(clusters) >= HUB_NAMES:
                return True
    return False


def hubs(items: Sequence[Item]) -> set[str]:
    """The identifiers of ``items`` that signals about unrelated names share (``shared_by_unrelated``)."""
    names: dict[str, list[Words]] = defaultdict(list)
    for item in items:
        for key in item.identifiers:
            names[key].append(item.words)
    return {key for key, words in names.items() if len(words) >= HUB_NAMES and shared_by_unrelated(words)}


def group(items: Sequence[Item], choices: Iterable[LinkChoice] = ()) -> list[list[int]]:
    """Groups of item ids (each sorted), the largest first. ``choices`` (people's merges and splits) newest first."""
    known = {item.id for item in items}
    groups = _Groups(items)
    for choice in choices:
        if choice.a not in known or choice.b not in known:
            continue  # a signal no longer judged niet_geregistreerd: its choices rest
        if choice.kind == "must":
            groups.union(choice.a, choice.b, check_kvk=False)
        else:
            groups.keep_apart(choice.a, choice.b)

    # Shared identifiers (KvK equal is an identifier too), except those unrelated names share.
    first_with: dict[str, int] = {}
    shared = hubs(items)
    for item in items:
        keys = [key for key in item.identifiers if key not in shared]
        if item.kvk:
            keys.append("kvk:" + item.kvk)
        for key in keys:
            other = first_with.setdefault(key, item.id)
            if other != item.id:
                groups.union(other, item.id, check_kvk=False)

    # Nearly the same names: once per distinct name, through shared keys.
    by_name: dict[Words, list[int]] = defaultdict(list)
    for item in items:
        for words in (item.words, *item.also):  # a signal naming two names links the signals of either
            if words:
                by_name[words].append(item.id)
    for ids in by_name.values():  # identical names
        for other in ids[1:]:
            groups.union(ids[0], other, check_kvk=True)
    # Names that differ only in where words are split ("lumiabetaaldienst", "Berken-borgCollect"): one name.
    by_letters: dict[str, list[int]] = defaultdict(list)
    for item in items:
        if len(item.letters) >= 8:
            by_letters[item.letters].append(item.id)
    for ids in by_letters.values():
        for other in ids[1:]:
            groups.union(ids[0], other, check_kvk=True)
    for item in items:
        for words in (*item.domain_names, *item.readings):
            if words in by_name and any(w.role == CORE for w in words):
                groups.union(by_name[words][0], item.id, check_kvk=True)
    names = list(by_name)
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(names):
        for key in name_keys(words):
            buckets[key].append(index)
    compared: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_NAME_BUCKET:
            continue
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                pair = (x, y) if x < y else (y, x)
                if pair in compared:
                    continue
                compared.add(pair)
                if linked(names[x], names[y]):
                    groups.union(by_name[names[x]][0], by_name[names[y]][0], check_kvk=True)

    result: dict[int, list[int]] = defaultdict(list)
    for item in items:
        result[groups.find(item.id)].append(item.id)
    return sorted((sorted(ids) for ids in result.values()), key=lambda ids: (-len(ids), ids[0]))
