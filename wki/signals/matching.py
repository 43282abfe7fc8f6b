"""Judging a signal against the register and the exempt list as they stood on its reference date.

Pure: no Flask, no database. ``Matcher`` is built once from every version of every registration and of
every exempt office the mirror holds (so that a registration that started only after a signal, or was
struck off before it, is still found and the verdict can say so), and then judges any number of signals.

How a signal is judged
----------------------
1. Candidates come from inverted indexes, never from comparing with everything: one per identifier
   (KvK number, IBAN, registrable domain of websites and e-mail addresses, phone number) and one of
   name keys (each distinctive word, its one-letter deletions, its Dutch sound and its scanner-repaired
   form, its first six letters; the whole name; the name run together). Common words are not keys.
2. Each candidate is weighed: identifiers that agree are evidence for, identifiers that differ are
   evidence against; the address (postcode, place) that agrees is evidence for; the names are compared
   word by word (``wki.signals.names``): which words agree (and how: equal, alike in sound, a typo, cut
   short, a synonym of the trade), which only one side has, and whether they contradict each other.
3. A KvK number that agrees decides: the same legal entity. A different KvK number means a different
   legal entity: never that registration, and when the name is close, a possible clone of it. Another
   identifier that agrees, with a name that does not contradict it, decides too, and outranks any name
   alone. A name decides when it is close (>= ``NAME_MATCH``) and nothing contradicts it, or when it is
   fairly close (>= ``NAME_SUPPORTED``), its distinctive words all agree and the address or the absence of
   any other party like it confirms it. A close name with contradicting identifiers and nothing agreeing is
   a possible clone; a name that is only somewhat close (>= ``NAME_DOUBT``) leaves the signal ``onzeker``.
   When the closest candidates all lead to the same verdict (two valid registrations of one group, two
   offices of one bailiff), that verdict stands and the candidates are named.
4. The matched registration's version held on the reference date says whether it was valid then:
   ``geregistreerd`` or ``registratie_niet_geldig``. Before the mirror's first snapshot the register as it
   stood is derived from that snapshot's own dates (signalen.md): valid when datum_inschrijving <= D <
   datum_einde; a party absent from it was not registered before either. A matched exempt office gives
   ``vrijgesteld``; professions do not lapse, so a list first imported after the letter still counts.

Every verdict carries a score, Dutch evidence lines for and against, and the candidates that were
weighed (``Judgement.candidates``) for the person who decides a doubtful one.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.fuzz import ratio

from wki.signals.models import Verdict
from wki.signals.names import (
    COLLECTION,
    CORE,
    DESCRIPTOR,
    GENERIC,
    GIVEN,
    INITIAL,
    INITIALS,
    NO_WORDS,
    PLACE,
    PROFESSIONS,
    Comparison,
    Vocabulary,
    Word,
    Words,
    acronyms,
    compare,
    ocr_fold,
    phonetic,
)
from wki.signals.normalise import BENELUX_FORMS, TokenWeights, fold, legal_form, normalise_name

NAME_MATCH = 90  # a name this close decides, when nothing contradicts it
NAME_SUPPORTED = 80  # ... this close, when its distinctive words all agree and nothing else is like it
NAME_DOUBT = 75  # a name this close, and not closer, needs a person
NAME_LINK = 92  # two unregistered signals whose names are this close are about one collector
UNIQUE_MARGIN = 12  # how much closer the best name must be than any other party's with another verdict
READING_COST = 3.0  # a reading of the name ("X" of "X -- dreigt met beslag") is a little less sure than the name
PERSON_MARGIN = 4.0  # how much less alike a name may be that the signal's initials fit (``_person_named``)
TIE_MARGIN = 1.0  # names closer than this to the best one are equally good (a name written exactly wins)
MAX_BUCKET = 200  # a name key shared by more names than this is too common to be a key
MAX_CANDIDATES = 6  # name candidates scored per signal (identifier candidates always are)
SHOWN_CANDIDATES = 5  # candidates kept with the verdict, for the person who decides


def fmt_day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


# --- name keys (shared with grouping) ------------------------------------------------------------------

def word_keys(text: str) -> set[str]:
    """Keys under which a distinctive word is found: itself; for words of four letters or more every form
    with one letter left out (two words one edit apart always share one); its Dutch sound; its
    scanner-repaired form; for words of seven letters or more its first six letters."""
    keys = {text, "#" + phonetic(text)}
    if len(text) >= 4:
        keys.update(text[:i] + text[i + 1:] for i in range(len(text)))
    if len(text) >= 6:
        keys.add("^" + text[:6])
    if len(text) >= 5:  # a word a form cut off keeps its beginning ("Haar" for "Haarlem")
        keys.update(("^" + text[:4], "^" + text[:5]))
    repaired = ocr_fold(text)
    if repaired != text:
        keys.update((repaired, "#" + phonetic(repaired)))
    return keys


def distinctive(words: Sequence[Word]) -> list[Word]:
    """The words that tell firms apart; for a name of trade words only ("Incassokantoor Nederland"), those."""
    found = [w for w in words if w.role in (CORE, PLACE) and len(w.text) >= 2]
    return found or [w for w in words if w.role == DESCRIPTOR]


def name_keys(words: Sequence[Word]) -> set[str]:
    """Every key of a name: its distinctive words' keys, the whole name, its words run together, and each
    pair of its words by their sound (a common surname with a given name or a trade word: "Ton|Jong",
    "Jong|Debiteurenbeheer"), which finds a firm among the many that share the surname."""
    if not words:
        return set()
    keys = {"=" + " ".join(w.text for w in words)}
    core = distinctive(words)
    for word in core:
        if len(word.text) >= 3:
            keys |= word_keys(word.text)
    if core:
        keys.add("~" + "".join(w.text for w in core))
    named = [w for w in words if w.role in (CORE, PLACE, GIVEN)]
    # Trade words pair by their family: "Dekker gerechtsdeurwaarder" meets "Gerechtsdeurwaarderskantoor Dekker".
    sounds = sorted({phonetic(w.text) for w in named if len(w.text) >= 2}
                    | ({"§" + w.family for w in words if w.role == DESCRIPTOR and w.family}
                       if len(named) <= 2 else set()))
    for i, first in enumerate(sounds):
        for second in sounds[i + 1:]:
            keys.add(f"+{first}|{second}")
    # A surname with each of its trade words ("De Jong" + "Invorderingen"), for firms that share a surname.
    for w in named:
        for trade in words:
            if trade.role == DESCRIPTOR:
                keys.add(f"+{phonetic(w.text)}|={trade.text}")
    # Initials with the surname ("P.B. Jansen" meets "Pieter Bas Jansen").
    letters = "".join(w.text if w.role == INITIALS else w.text[0] for w in words if w.role in (GIVEN, INITIALS))
    if letters:
        for w in words:
            if w.role == CORE:
                keys.update((f"+^{letters}|{phonetic(w.text)}", f"+^{letters[0]}|{phonetic(w.text)}"))
    return keys


# --- the parties signals are matched against -----------------------------------------------------------

@dataclass
class PartyVersion:
    valid_from: date
    valid_to: date | None
    naam: str
    status: str | None = None
    datum_inschrijving: date | None = None
    datum_einde: date | None = None

    def valid_on(self, day: date) -> bool:
        """register.md: valid on D when datum_inschrijving <= D and (no datum_einde or D < datum_einde)."""
        return self.datum_inschrijving is not None and self.datum_inschrijving <= day and (
            self.datum_einde is None or day < self.datum_einde)

    def held_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


STATUTORY_NAME = "de naam"
TRADE_NAME = "handelsnaam"


@dataclass
class PartyName:
    label: str  # STATUTORY_NAME or TRADE_NAME
    written: str
    tokens: tuple[str, ...]
    initials: frozenset[str] = frozenset()
    words: Words = NO_WORDS


@dataclass
class Party:
    """A registration (key: registratienummer) or an exempt office (key: its name; ``ref``: its party key),
    over all the versions the mirror holds, with every name, identifier and address it ever had."""

    kind: str  # "register" or "vrijgesteld"
    key: str
    versions: list[PartyVersion] = field(default_factory=list)
    names: list[PartyName] = field(default_factory=list)
    kvk: set[str] = field(default_factory=set)
    vestigingen: set[str] = field(default_factory=set)
    ibans: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)  # whole addresses
    phones: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)  # folded
    beroep: str | None = None
    ref: str | None = None
    texts: frozenset[str] = frozenset()  # every word of every name (for ranking candidates)

    @property
    def label(self) -> str:
        naam = self.versions[-1].naam if self.versions else self.key
        return f"{naam} ({self.key})" if self.kind == "register" else naam

    def version_on(self, day: date) -> PartyVersion | None:
        for version in self.versions:
            if version.held_on(day):
                return version
        return None

    def nearest_version(self, day: date) -> PartyVersion:
        before = [v for v in self.versions if v.valid_from <= day]
        return before[-1] if before else self.versions[0]


@dataclass(frozen=True)
class Features:
    """A signal's normalised evidence (wki/signals/normalise.py)."""

    day: date
    name: str | None = None
    tokens: tuple[str, ...] = ()
    initials: frozenset[str] = frozenset()
    # Other names the signal gives for the same collector ("X B.V. h.o.d.n. Y": the tokens and initials of Y).
    also: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()
    # Other readings of the name as written, less sure than the name itself (``normalise.name_readings``).
    readings: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()
    kvk: str | None = None
    vestiging: str | None = None  # a 12-digit vestigingsnummer written as the KvK number
    iban: str | None = None  # valid IBANs only
    iban_invalid: str | None = None  # as written, when the checksum fails
    domain: str | None = None  # of the website
    email_domain: str | None = None  # None for free mail
    free_mail: str | None = None  # the provider, when the address was at one
    email: str | None = None  # the whole address (a free-mail address too)
    phone: str | None = None
    postcode: str | None = None  # "1234AB"
    place: str | None = None  # folded


@dataclass
class Judgement:
    verdict: str | None
    score: int
    explanation: list[str]
    registratienummer: str | None = None
    exempt_name: str | None = None
    clone_of: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Assessment:
    party: Party
    name: float
    name_line: str | None
    comparison: Comparison | None
    written: str | None
    agree: list[str]
    differ: list[str]
    kvk_equal: bool
    kvk_differs: bool
    address: str | None  # "postcode" or "plaats" when the signal's address is the party's
    remarks: list[str] = field(default_factory=list)  # one small difference alone: shown, not counted
    trade_name: bool = False  # the closest of the party's names is one of its trade names

    @property
    def conflict(self) -> bool:
        return self.comparison is not None and self.comparison.conflict is not None

    @property
    def name_supported(self) -> bool:
        """A fairly close name whose distinctive words all agree, confirmed by the address."""
        return (self.address is not None and self.name >= NAME_SUPPORTED and not self.conflict
                and self.comparison is not None and self.comparison.core_agrees)

    @property
    def decides(self) -> bool:
        if self.kvk_differs:
            return False
        if self.kvk_equal:
            return True
        if self.agree:
            if self.conflict and len(self.agree) == 1 and self.differ:
                return False
            return self.name >= NAME_DOUBT or self.name == 0.0 or len(self.agree) > 1 or not self.differ
        return not self.differ and (self.name >= NAME_MATCH or self.name_supported)

    @property
    def clone(self) -> bool:
        return self.name >= NAME_MATCH and (self.kvk_differs or (bool(self.differ) and not self.agree))

    @property
    def doubtful(self) -> bool:
        return not self.kvk_differs and not self.differ and NAME_DOUBT <= self.name < NAME_MATCH

    @property
    def score(self) -> int:
        if self.kvk_equal:
            base = 100 if self.name >= NAME_DOUBT or not self.name else 95
        elif self.agree and self.decides:
            base = min(100, 90 + 5 * (len(self.agree) - 1) + (5 if self.name >= NAME_MATCH else 0))
        else:
            base = round(self.name)
        return max(0, min(100, base))

    @property
    def rank(self) -> tuple:
        # An identifier first, then the closest name; of names alike, the one at the signal's address.
        return (not self.agree, -self.score, -self.name, self.address is None, self.party.kind != "register",
                self.party.key)


class Matcher:
    def __init__(self, parties: Iterable[Party], weights: TokenWeights, *, mirror_start: date | None,
                 exempt_start: date | None = None) -> None:
        self.parties = list(parties)
        _pool_identifiers(self.parties)
        self.weights = weights
        self.mirror_start = mirror_start
        self.exempt_start = exempt_start
        self.vocabulary = Vocabulary(weights, (t for p in self.parties for n in p.names for t in n.tokens),
                                     (place for p in self.parties for place in p.places))
        self._by_kvk: dict[str, list[int]] = defaultdict(list)
        self._by_vestiging: dict[str, list[int]] = defaultdict(list)
        self._by_iban: dict[str, list[int]] = defaultdict(list)
        self._by_domain: dict[str, list[int]] = defaultdict(list)
        self._by_email: dict[str, list[int]] = defaultdict(list)
        self._by_phone: dict[str, list[int]] = defaultdict(list)
        buckets: dict[str, set[int]] = defaultdict(set)
        for index, party in enumerate(self.parties):
            for value in party.kvk:
                self._by_kvk[value].append(index)
            for value in party.vestigingen:
                self._by_vestiging[value].append(index)
            for value in party.ibans:
                self._by_iban[value].append(index)
            for value in party.domains:
                self._by_domain[value].append(index)
            for value in party.emails:
                self._by_email[value].append(index)
            for value in party.phones:
                self._by_phone[value].append(index)
            texts: set[str] = set()
            for name in party.names:
                name.words = self.vocabulary.words(name.tokens, name.initials)
                texts.update(name.words.texts)
                texts.update("§" + family for family in name.words.families)
                texts.update("^" + w.text[0] for w in name.words if w.role == GIVEN)
                for key in name_keys(name.words):
                    buckets[key].add(index)
                for acronym in acronyms(name.words):
                    buckets["@" + acronym].add(index)
            party.texts = frozenset(texts)
        self._by_name = {key: members for key, members in buckets.items() if len(members) <= MAX_BUCKET}
        # A mail or web domain that several unrelated firms in the register use (a provider the free-mail
        # list lacks, a hosting platform) tells nobody apart.
        self.shared_domains = frozenset(domain for domain, members in self._by_domain.items() if not _one_firm(
            [self.parties[i] for i in members]))
        for domain in self.shared_domains:
            for index in self._by_domain.pop(domain):
                self.parties[index].domains.discard(domain)
        self._assessments: dict[tuple, _Assessment] = {}
        self._names: dict[tuple[Words, int], tuple[Comparison | None, PartyName | None]] = {}

    def _without_shared_domains(self, f: Features, notes: list[str]) -> Features:
        if f.email_domain in self.shared_domains:
            notes.append(f"e-maildomein {f.email_domain} wordt door meerdere bedrijven gebruikt en telt niet mee")
            f = replace(f, email_domain=None)
        if f.domain in self.shared_domains:
            notes.append(f"websitedomein {f.domain} wordt door meerdere bedrijven gebruikt en telt niet mee")
            f = replace(f, domain=None)
        return f

    def words_of(self, f: Features) -> Words:
        return self.vocabulary.words(f.tokens, f.initials) if f.tokens else NO_WORDS

    def names_of(self, f: Features) -> tuple[Words, ...]:
        """The signal's name, and the other names it gives for the collector ("h.o.d.n.")."""
        return (self.words_of(f), *(self.vocabulary.words(tokens, initials) for tokens, initials in f.also if tokens))

    def readings_of(self, f: Features) -> tuple[Words, ...]:
        return tuple(self.vocabulary.words(tokens, initials) for tokens, initials in f.readings if tokens)

    # -- candidates --
    def _candidates(self, f: Features, names: tuple[Words, ...]) -> tuple[set[int], list[int]]:
        by_id: set[int] = set()
        if f.kvk:
            by_id.update(self._by_kvk.get(f.kvk, ()))
        if f.vestiging:
            by_id.update(self._by_vestiging.get(f.vestiging, ()))
        if f.iban:
            by_id.update(self._by_iban.get(f.iban, ()))
        for domain in {d for d in (f.domain, f.email_domain) if d is not None}:
            by_id.update(self._by_domain.get(domain, ()))
        if f.email:
            by_id.update(self._by_email.get(f.email, ()))
        if f.phone:
            by_id.update(self._by_phone.get(f.phone, ()))
        hits: dict[int, float] = defaultdict(float)
        for words in names:
            self._name_hits(words, hits)
        if len(hits) > MAX_CANDIDATES:
            # Many parties share a common surname: of those, the ones that also share the signal's other
            # words (trade words, given names) come first.
            shortlist = heapq.nsmallest(5 * MAX_CANDIDATES, hits, key=lambda i: (-hits[i], i))
            parties = self.parties
            for index in shortlist:
                texts = parties[index].texts
                # (A word written as the party writes it counts, however common: "Zwart & Zn" is not "Zwart".)
                hits[index] += max(sum(max(w.weight, 0.25) if w.text in texts else w.weight for w in words
                                       if w.text in texts or (w.family and "§" + w.family in texts)
                                       or (w.role == INITIALS and "^" + w.text[0] in texts)) for words in names) / 2
            hits = {i: hits[i] for i in shortlist}
        by_name = heapq.nsmallest(MAX_CANDIDATES, hits, key=lambda i: (-hits[i], i))
        return by_id, by_name

    def _name_hits(self, words: Words, hits: dict[int, float]) -> None:
        """Rank name candidates by the rare words they share (each word once, however many of its keys
        meet), and the whole name or its words run together count most."""
        by_name_index = self._by_name
        for word in distinctive(words):
            if len(word.text) < 3:
                continue
            reached: set[int] = set()
            prefixed: set[int] = set()
            for key in word_keys(word.text):
                members = by_name_index.get(key)
                if members:
                    if key[0] == "^":
                        prefixed = members
                    else:
                        reached |= members
            w = word.weight ** 0.5
            for index in reached:
                hits[index] += w
            for index in prefixed - reached:  # the same beginning only: a weaker hint
                hits[index] += w / 4
        # Two trade words say nothing of who when the name has a word of its own ("Heidewcht Debt|Purchase"):
        # they would crowd out the firm whose own word is misspelt.
        own_word = any(w.role == CORE and len(w.text) >= 5 for w in words)
        for key in name_keys(words):
            if own_word and key.startswith("+§") and "|§" in key:
                continue
            if key[0] in "=~+" and (members := by_name_index.get(key)):
                for index in members:
                    hits[index] += 3.0 if key[0] != "+" else 1.5
        last = words[-1].text if words else ""
        if 4 <= len(last) <= 6 and words[-1].role in (CORE, PLACE):  # cut off by a form: its beginning
            for index in by_name_index.get("^" + last, ()):
                hits[index] += words[-1].weight ** 0.5 / 2
        for word in words:  # a short word may be an abbreviation of a name ("LCC", "WM Incasso Groep")
            if word.role in (CORE, INITIALS) and 2 <= len(word.text) <= 6:
                for index in by_name_index.get("@" + word.text, ()):
                    hits[index] += 1.0

    def _best_name(self, words: Words, index: int) -> tuple[Comparison | None, PartyName | None]:
        """The party's name most like the signal's, and how alike: once per name and party (a name
        recurs in many signals; ``compare`` itself remembers only a bounded number of pairs)."""
        key = (words, index)
        found = self._names.get(key)
        if found is None:
            if len(self._names) > 150_000:
                self._names.clear()
            party = self.parties[index]
            best: Comparison | None = None
            best_name: PartyName | None = None
            places = frozenset(party.places)
            for name in party.names:
                comparison = compare(words, name.words, places)
                if best is None or comparison.score > best.score:
                    best, best_name = comparison, name
            found = self._names[key] = (best, best_name)
        return found

    # -- one candidate --
    def _assess(self, f: Features, names: tuple[Words, ...], index: int,
                used: tuple[tuple[str, str], ...] = (), readings: tuple[Words, ...] = (),
                spelled: frozenset[str] = frozenset()) -> _Assessment:
        party = self.parties[index]
        best, best_name = None, None
        for words, cost in (*((w, 0.0) for w in names), *((w, READING_COST) for w in readings)):
            if words:
                comparison, name = self._best_name(words, index)
                if comparison is not None and spelled:
                    comparison = comparison.attested(spelled)
                if comparison is not None and cost:
                    comparison = dataclasses.replace(comparison, score=max(comparison.score - cost, 0.0))
                if best is None or (comparison is not None and comparison.score > best.score):
                    best, best_name = comparison, name
        score = best.score if best is not None else 0.0
        name_line = (f"naam lijkt {round(score)}% op {best_name.label} ‘{best_name.written}’"
                     if best is not None and best_name is not None else None)
        agree: list[str] = []
        differ: list[str] = []
        # A slip of the pen (two digits of a KvK number swapped, or one mistyped) is far likelier than a
        # clone that took a number one digit from the firm's: alone it says nothing; with any other
        # difference it counts. (Another website or mail domain alone does count: clones use them.)
        soft: list[str] = []
        who = party.label
        kvk_equal = bool(f.kvk and f.kvk in party.kvk)
        kvk_differs = bool(f.kvk and party.kvk and f.kvk not in party.kvk)
        if kvk_differs and f.kvk and any(DamerauLevenshtein.distance(f.kvk, k, score_cutoff=1) <= 1 for k in party.kvk):
            kvk_differs = False
            soft.append(f"KvK-nummer {f.kvk} wijkt één cijfer af van dat van {who} "
                        f"({', '.join(sorted(party.kvk))}): een tikfout?")
        if f.vestiging and f.vestiging in party.vestigingen:
            # One establishment of the legal entity: as good as its KvK number. (Another establishment
            # of the same firm has another number, so a different one says nothing.)
            kvk_equal = True
            agree.append(f"vestigingsnummer {f.vestiging} is dat van {who}")
        if kvk_equal and f.kvk:
            agree.append(f"KvK-nummer {f.kvk} is dat van {who}")
        elif kvk_differs:
            differ.append(f"KvK-nummer {f.kvk} wijkt af van dat van {who} ({', '.join(sorted(party.kvk))}): "
                          "een andere rechtspersoon")
        # The register lists the accounts and numbers the Inspectie happens to know, not all of them: one
        # it does not list is no evidence against (a KvK number or a website that differs is).
        if f.iban and f.iban in party.ibans:
            agree.append(f"IBAN {f.iban} is bekend bij {who}")
        if f.email and f.email in party.emails:
            agree.append(f"e-mailadres {f.email} is dat van {who}")
        if party.domains:
            if f.domain:
                if f.domain in party.domains:
                    agree.append(f"website {f.domain} is die van {who}")
                else:
                    differ.append(f"website {f.domain} wijkt af van de bekende website van {who} "
                                  f"({', '.join(sorted(party.domains))})")
            if f.email_domain:
                if f.email_domain in party.domains:
                    agree.append(f"e-maildomein {f.email_domain} hoort bij {who}")
                elif f.email_domain != f.domain:
                    differ.append(f"e-maildomein {f.email_domain} hoort niet bij {who}")
        if f.phone and f.phone in party.phones:
            agree.append(f"telefoonnummer {f.phone} is bekend bij {who}")
        # An account, number or site another signal showed to be an unregistered collector's, and that the
        # register does not give this party: the collector's, not this party's (a clone, or a look-alike).
        listed = {"iban": party.ibans, "telefoon": party.phones, "e-mail": party.emails, "domein": party.domains}
        for key, reference in used:
            kind, _, value = key.partition(":")
            if value not in listed.get(kind, ()):
                differ.append(f"{_KEY_LABEL[kind]} {value} is volgens signaal {reference} van een niet-geregistreerde "
                              f"incassant, niet van {who}")
        # A legal form of another country than the register's ("Omnitrix S.A." / "Omnitrix B.V.") is another
        # legal entity; Dutch (and Belgian) forms are often written wrongly ("B.V." for a V.O.F.) and say nothing.
        written_form = legal_form(f.name)
        party_form = legal_form(best_name.written) if best_name is not None else None
        if written_form and party_form and written_form != party_form and not (
                written_form in BENELUX_FORMS and party_form in BENELUX_FORMS):
            differ.append(f"rechtsvorm {written_form} wijkt af van die van {who} ({party_form}): "
                          "een andere rechtspersoon")
        address = None
        if f.postcode and f.postcode in party.postcodes:
            address = "postcode"
        elif f.place and (f.place in party.places or f.place.replace(" ", "") in party.places):
            address = "plaats"
        elif f.postcode and party.postcodes:
            differ.append(f"postcode {f.postcode[:4]} {f.postcode[4:]} is niet die van {who} "
                          f"({', '.join(sorted(p[:4] + ' ' + p[4:] for p in party.postcodes))})")
        # Contact details the register lists for this party, and the signal gives others of the same kind:
        # one alone is no evidence (the Inspectie knows some accounts and numbers, not all, and firms have more
        # than one office), but two, or one with a name that differs in a telling word, are another firm's.
        if not agree and best is not None:
            contacts = []
            if f.iban and party.ibans and f.iban not in party.ibans:
                contacts.append(f"IBAN {f.iban} staat niet bij {who} (wel {', '.join(sorted(party.ibans))})")
            if f.phone and party.phones and f.phone not in party.phones:
                contacts.append(f"telefoonnummer {f.phone} staat niet bij {who} (wel {', '.join(sorted(party.phones))})")
            if f.place and not f.postcode and party.places and address is None:
                contacts.append(f"plaats {f.place} is niet die van {who}")
            if contacts and (len(contacts) >= 2 or _telling_difference(
                    best, (*names, *readings, best_name.words if best_name is not None else NO_WORDS))):
                differ.extend(contacts)
        remarks: list[str] = []
        if len(soft) >= 2 or (soft and differ):
            differ.extend(soft)
        else:
            remarks = soft
        return _Assessment(party=party, name=score, name_line=name_line, comparison=best, remarks=remarks,
                           written=best_name.written if best_name else None, agree=agree, differ=differ,
                           kvk_equal=kvk_equal, kvk_differs=kvk_differs, address=address,
                           trade_name=best_name is not None and best_name.label == TRADE_NAME)

    # -- the verdict --
    def kvk_numbers(self) -> set[str]:
        """The KvK numbers of every party."""
        return set(self._by_kvk)

    def party_identifiers(self) -> set[str]:
        """Every identifier the register or the exempt list gives a party, as the grouping writes them."""
        keys = {"iban:" + v for v in self._by_iban} | {"telefoon:" + v for v in self._by_phone}
        keys |= {"e-mail:" + v for v in self._by_email} | {"domein:" + v for v in self._by_domain}
        return keys

    def judge(self, f: Features, learned: Mapping[str, str] | None = None,
              attested: frozenset[str] = frozenset()) -> Judgement:
        """The verdict on one signal. ``learned``: identifiers other signals showed to be an unregistered
        collector's (key as the grouping writes it -> that signal's reference); ``attested``: words of
        collectors' names that signals from several sources write alike (``spellings.attested_spellings``)."""
        notes: list[str] = []
        if f.iban_invalid:
            notes.append(f"IBAN {f.iban_invalid} is ongeldig (het controlegetal klopt niet) en telt niet mee")
        if f.free_mail:
            notes.append(f"het domein van gratis provider {f.free_mail} zegt niets over wie het is; het adres zelf wel")
        f = self._without_shared_domains(f, notes)
        if not (f.tokens or f.kvk or f.vestiging or f.iban or f.domain or f.email_domain or f.email or f.phone):
            return Judgement(Verdict.UNCERTAIN, 0, [*notes, "geen bruikbare naam of gegevens om te vergelijken"])
        if self.mirror_start is None:
            return Judgement(None, 0, [*notes, "het register is nog niet ingelezen: het signaal wordt beoordeeld "
                                               "zodra de spiegel een eerste stand heeft"])

        names = self.names_of(f)
        readings = self.readings_of(f)
        by_id, by_name = self._candidates(f, names + readings)
        # A collector's signals repeat its name and identifiers: what does not depend on the day is
        # weighed once per party.
        used = tuple(sorted((key, learned[key]) for key in identifier_keys(f) if key in learned)) if learned else ()
        spelled = frozenset(t for words in names + readings for t in words.texts if t in attested) if attested else (
            frozenset())
        evidence = (names, readings, f.kvk, f.vestiging, f.iban, f.domain, f.email_domain, f.email, f.phone, f.postcode,
                    f.place, legal_form(f.name), used, spelled)
        cache = self._assessments
        if len(cache) > 50_000:
            cache.clear()
        assessed = []
        for i in by_id | set(by_name):
            a = cache.get((evidence, i))
            if a is None:
                a = cache[(evidence, i)] = self._assess(f, names, i, used, readings, spelled)
            assessed.append(a)
        assessed.sort(key=lambda a: a.rank)
        candidates = [self._candidate(f, a) for a in assessed[:SHOWN_CANDIDATES] if a.name > 0 or a.agree or a.differ]
        judgement = self._decide(f, assessed, notes)
        judgement.candidates = candidates
        return judgement

    def _decide(self, f: Features, assessed: list[_Assessment], notes: list[str]) -> Judgement:
        day = f.day
        deciding = [a for a in assessed if a.decides]
        clones = sorted((a for a in assessed if a.clone and a.party.kind == "register"), key=lambda a: -a.name)
        if deciding:
            top = deciding[0]
            firm = self._same_firm(top, deciding, day)
            if firm is not top:
                judgement = self._matched(f, firm, notes)
                valid = self._outcome(firm.party, day)[0] == Verdict.REGISTERED
                judgement.explanation.append(
                    f"dezelfde rechtspersoon (KvK {', '.join(sorted(top.party.kvk))}) heeft ook registratie "
                    f"{top.party.key}; " + (f"op {fmt_day(day)} was {firm.party.key} geldig" if valid else
                                            f"{firm.party.key} ligt het dichtst bij {fmt_day(day)}"))
                return judgement
            holder = self._valid_holder(top, deciding, day, legal_form(f.name))
            if holder is not top:
                return self._held_by(f, holder, [top], notes)
            person = _person_named(top, deciding)
            equal = [a for a in deciding if a is not person and a.party.key != person.party.key and not a.agree
                     and not person.agree and person.name - a.name < TIE_MARGIN
                     and (a.address is not None or person.address is None)
                     and (person is top or _initials_agree(a))]
            top = person
            if equal and _exact(top):  # a name written exactly as the register writes it wins
                equal = [a for a in equal if _exact(a)]
            if equal and all(_whole(a) for a in (top, *equal)):
                top, equal = _closest_as_written(f, [top, *equal])
            return self._verdict_for(f, top, equal, notes)

        # A fairly close name that nothing else resembles: its distinctive words all agree, no party with
        # another verdict comes near.
        named = [a for a in assessed if not a.differ and not a.kvk_differs and not a.conflict and a.comparison]
        if named:
            top = max(named, key=lambda a: (a.name, -len(a.party.key)))
            comparison = top.comparison  # (set: ``named`` keeps only assessments with a comparison)
            if (top.name >= NAME_SUPPORTED and comparison is not None and comparison.core_agrees
                    and not comparison.core_typo):
                outcome = self._outcome(top.party, day)[0]
                # Every other name near it must be compatible: the same verdict, nothing against it.
                others = [a for a in assessed if a.party is not top.party and a.name > 0
                          and (a not in named or self._outcome(a.party, day)[0] != outcome)]
                if not others or top.name - max(a.name for a in others) >= UNIQUE_MARGIN:
                    same = [a for a in named if a.party is not top.party and top.name - a.name < TIE_MARGIN]
                    judgement = self._verdict_for(f, top, same, notes)
                    judgement.explanation.append("geen andere partij in het register of op de lijst van "
                                                 "vrijgestelden heeft een naam die erop lijkt")
                    return judgement

        doubtful = sorted((a for a in assessed if a.doubtful and not a.conflict), key=lambda a: -a.name)
        if doubtful and not (clones and clones[0].name > doubtful[0].name):  # a closer clone explains it
            top = doubtful[0]
            return Judgement(Verdict.UNCERTAIN, round(top.name), [
                *notes, f"{top.name_line} van {top.party.label}: lijkt erop, maar niet genoeg om te beslissen",
                *self._words_lines(top)])

        lines = list(notes)
        clone_of = None
        closest = max((a.name for a in assessed), default=0.0)
        if clones:
            clone = clones[0]
            clone_of = clone.party.key
            lines.append(f"mogelijke kloon van {clone.party.label}: {clone.name_line}, maar")
            lines.extend(f"  {line}" for line in clone.differ)
        else:
            lines.append("geen registratie of vrijgestelde gevonden met dezelfde gegevens of een naam die erop lijkt")
            nearest = max(assessed, key=lambda a: (a.name, a.party.key), default=None)
            if nearest is not None and nearest.name_line and nearest.name >= 50:
                if nearest.comparison and nearest.comparison.conflict:
                    reason = nearest.comparison.conflict
                elif nearest.differ and nearest.name >= NAME_DOUBT:  # the name is close: what else differs
                    reason = "maar " + "; ".join(nearest.differ)
                else:
                    reason = "te weinig voor dezelfde partij"
                lines.append(f"dichtstbij: {nearest.name_line} van {nearest.party.label}, {reason}")
            for a in assessed:
                if a.kvk_differs and a.name >= NAME_DOUBT:
                    lines.append(f"tegen {a.party.label}: {a.differ[0]}")
        lines.extend(self._unregistered_context(f))
        return Judgement(Verdict.UNREGISTERED, round(closest), lines, clone_of=clone_of)

    def _unregistered_context(self, f: Features) -> list[str]:
        lines = []
        if self.mirror_start is not None and f.day < self.mirror_start:
            lines.append(f"afgeleid uit het register van {fmt_day(self.mirror_start)} (de eerste stand van de "
                         "spiegel): wie daarin niet voorkomt, ook niet als doorgehaald of verlopen, was op "
                         f"{fmt_day(f.day)} niet geregistreerd")
        if self.exempt_start is None:
            lines.append("let op: de lijst van vrijgestelden (gerechtsdeurwaarders en advocaten) is nog niet "
                         "ingelezen; of de incassant vrijgesteld is, is niet nagegaan")
            words = self.words_of(f)
            if any(w.family in PROFESSIONS for w in words):
                lines.append("de naam wijst op een gerechtsdeurwaarder of advocaat")
        return lines

    def _words_lines(self, a: _Assessment) -> list[str]:
        if a.comparison is None:
            return []
        line = a.comparison.words_line()
        lines = [line] if line else []
        if a.comparison.conflict:
            lines.append(a.comparison.conflict)
        return lines

    def _same_firm(self, top: _Assessment, deciding: list[_Assessment], day: date) -> _Assessment:
        """A firm that registered again (a new registration for the same KvK number, after the old one
        lapsed or was struck off) is registered while any of its registrations is valid: of the equally
        good candidates of one legal entity, the one valid on the day; when none was, the one nearest in
        time (the registration still to come, or the one that had just ended)."""
        if top.party.kind != "register" or not top.party.kvk or self._outcome(top.party, day)[0] == Verdict.REGISTERED:
            return top
        # (Identifiers the old registration lists are the legal entity's: the names decide, unless the
        # signal gives the entity's KvK number itself, which all its registrations share.)
        same = [a for a in deciding if a is not top and a.party.kind == "register" and a.party.kvk & top.party.kvk
                and (a.name >= top.name - 3 or (a.kvk_equal and top.kvk_equal))]
        for a in same:
            if self._outcome(a.party, day)[0] == Verdict.REGISTERED:
                return a
        return min([top, *(a for a in same if a.name >= top.name - 3)], key=lambda a: _distance(a.party, day))

    def _yields(self, other: _Assessment, holder: _Assessment, day: date, form: str | None = None) -> bool:
        """Whether a name that two registrations hold (a brand taken over with the firm, or carried into a
        merger) was ``holder``'s on ``day`` rather than ``other``'s: ``holder`` was valid and holds the very
        same name; ``other`` was not valid, and had ended by then or holds the name only as a trade name
        (a statutory name of a firm not yet registered stays that firm's). Not when the signal agrees with
        ``other`` in more: an identifier only ``other`` lists, or the legal form (``form``) only ``other``
        has ("Jansen Debiteurenbeheer N.V." is the N.V. that was struck off, not the V.O.F. of that name)."""
        if other.party.kind != "register" or holder.party.kind != "register" or other.party is holder.party:
            return False
        if not (other.written and holder.written and normalise_name(other.written) == normalise_name(holder.written)):
            return False
        if other.agree and not holder.agree:
            return False
        if form and legal_form(other.written) == form and legal_form(holder.written) != form:
            return False
        if self._outcome(holder.party, day)[0] != Verdict.REGISTERED:
            return False
        if self._outcome(other.party, day)[0] == Verdict.REGISTERED:
            return False
        end = other.party.versions[-1].datum_einde
        return (end is not None and day >= end) or other.trade_name

    def _held_by(self, f: Features, holder: _Assessment, others: list[_Assessment], notes: list[str]) -> Judgement:
        """The verdict for ``holder``, saying that ``others`` had the name too but were not valid then."""
        judgement = self._matched(f, holder, notes)
        judgement.explanation.append(
            "ook " + ", ".join(a.party.label for a in others) + f" heeft of had die naam, maar was op "
            f"{fmt_day(f.day)} niet geldig: de naam hoorde toen bij {holder.party.label}")
        return judgement

    def _valid_holder(self, top: _Assessment, deciding: list[_Assessment], day: date,
                      form: str | None = None) -> _Assessment:
        """Of the candidates, the one that held ``top``'s name on ``day`` when ``top`` yields to it."""
        holders = [a for a in deciding if a is not top and not a.differ and a.name >= top.name - TIE_MARGIN
                   and a.score >= top.score - 5 and self._yields(top, a, day, form)]
        return holders[0] if len(holders) == 1 else top

    def _verdict_for(self, f: Features, top: _Assessment, equal: list[_Assessment], notes: list[str]) -> Judgement:
        """The verdict when ``top`` is the party; ``equal`` are candidates just as close: when any of them
        would give another verdict, a person decides."""
        verdict, _lines = self._outcome(top.party, f.day)
        firm = self._same_firm(top, [top, *equal], f.day)
        if firm is not top:
            top, verdict = firm, Verdict.REGISTERED
            equal = [a for a in equal if a is not firm]
        others = [a for a in equal if self._outcome(a.party, f.day)[0] != verdict
                  and not (a.party.kvk and a.party.kvk & top.party.kvk)]
        if others:
            tied = [top, *equal]
            form = legal_form(f.name)
            holders = [h for h in tied if all(self._yields(a, h, f.day, form) for a in tied if a is not h)]
            if len(holders) == 1:  # one name, two registrations: on that day it was the valid one's
                return self._held_by(f, holders[0], [a for a in tied if a is not holders[0]], notes)
            # Statutory names equal but for the legal form: the one the signal writes, if only one has it (a
            # form written wrongly is common, so it only breaks a tie; a trade name has none, and says nothing).
            forms = [legal_form(a.written) if a.written else None for a in tied]
            formed = [a for a, written in zip(tied, forms, strict=True) if form and written == form]
            if len(formed) == 1 and all(forms):
                judgement = self._matched(f, formed[0], notes)
                judgement.explanation.append(
                    "ook " + ", ".join(a.party.label for a in tied if a is not formed[0])
                    + f" heeft die naam, maar met een andere rechtsvorm dan {form}")
                return judgement
        if others:
            rival = others[0]
            return Judgement(Verdict.UNCERTAIN, top.score, [
                *notes, *(line for line in (top.name_line, rival.name_line) if line),
                f"de naam past even goed bij {top.party.label} als bij {rival.party.label}, met een ander oordeel"])
        judgement = self._matched(f, top, notes)
        if equal:
            judgement.explanation.append(
                "past even goed bij " + ", ".join(a.party.label for a in equal[:3])
                + f" (hetzelfde oordeel); gekozen: {top.party.label}")
        return judgement

    def _outcome(self, party: Party, day: date) -> tuple[str, list[str]]:
        """The verdict if the signal is about ``party``, with the lines that say why (validity on ``day``).

        Validity follows the register's dates (register.md) as the mirror knows them now: a strike-off
        the register records with effect from a day lies on that day, also when the mirror's snapshot of
        that day still showed the registration as valid (snapshots come weeks apart; the dates are what
        the register says happened). Whether the registration was in the register at all on that day
        follows the snapshots: one that left it was not registered after it left; before the first
        snapshot, one absent from it was not registered either (signalen.md).
        """
        if party.kind == "vrijgesteld":
            return self._exempt_outcome(party, day)
        first, last = party.versions[0], party.versions[-1]
        when = fmt_day(day)
        mirror_start = self.mirror_start
        if mirror_start is not None and day < mirror_start:
            derived = (f"afgeleid uit de inschrijvingsdata in het register van {fmt_day(mirror_start)}, de eerste "
                       "stand van de spiegel")
            if first.valid_from > mirror_start:
                return Verdict.NOT_VALID, [
                    f"registratie {party.key} stond op {when} niet in het register: zij ontbreekt in het "
                    f"register van {fmt_day(mirror_start)} en verschijnt pas op {fmt_day(first.valid_from)} ({derived})"]
            if last.datum_inschrijving is not None and last.valid_on(day):  # (valid_on needs the date)
                return Verdict.REGISTERED, [f"registratie {party.key} was geldig op {when} (ingeschreven per "
                                            f"{fmt_day(last.datum_inschrijving)}; {derived})"]
            return Verdict.NOT_VALID, [_not_valid_reason(party, last, day) + f" ({derived})"]
        held = party.version_on(day)
        if held is None and day >= first.valid_from:
            return Verdict.NOT_VALID, [f"registratie {party.key} stond op {when} niet meer in het register"]
        if last.datum_inschrijving is not None and last.valid_on(day):  # (valid_on needs the date)
            if held is None:  # the mirror saw it only later: its own dates say it took effect before
                return Verdict.REGISTERED, [
                    f"registratie {party.key} was geldig op {when} (ingeschreven per "
                    f"{fmt_day(last.datum_inschrijving)}; de spiegel zag haar vanaf {fmt_day(first.valid_from)})"]
            return Verdict.REGISTERED, [f"registratie {party.key} was geldig op {when}"]
        reason = _not_valid_reason(party, last, day)
        if held is not None and held.valid_on(day) and last is not held:
            reason += f" (het register van {fmt_day(held.valid_from)} vermeldde dat nog niet)"
        return Verdict.NOT_VALID, [reason]

    def _exempt_outcome(self, party: Party, day: date) -> tuple[str, list[str]]:
        beroep = party.beroep or "vrijgestelde"
        supervisor = "het Bureau Financieel Toezicht" if beroep == "gerechtsdeurwaarder" else "de deken"
        exempt = [f"{party.label} is {beroep}: vrijgesteld van registratie, toezicht door {supervisor}"]
        start = self.exempt_start
        if start is not None and day < start:
            return Verdict.EXEMPT, [*exempt, f"de lijst van vrijgestelden is bekend vanaf {fmt_day(start)}; een beroep "
                                             "vervalt niet zoals een registratie, dus die lijst geldt ook op "
                                             f"{fmt_day(day)}"]
        if party.version_on(day) is not None:
            return Verdict.EXEMPT, exempt
        first, last = party.versions[0], party.versions[-1]
        if first.valid_from > day:
            return Verdict.EXEMPT, [*exempt, f"staat op de lijst van vrijgestelden vanaf {fmt_day(first.valid_from)}"]
        ended = last.valid_to or day
        return Verdict.UNREGISTERED, [f"{party.label} ({beroep}) stond op {fmt_day(day)} niet meer op de lijst van "
                                      f"vrijgestelden (tot {fmt_day(ended)}) en is niet geregistreerd"]

    def _matched(self, f: Features, a: _Assessment, notes: list[str]) -> Judgement:
        party = a.party
        lines = [*notes, *a.agree]
        if a.name_line and a.name > 0:
            lines.append(f"{a.name_line} van {party.label}")
            if a.name < 100:
                lines.extend(self._words_lines(a))
        if a.address and not a.agree:
            lines.append(f"de {a.address} van de incassant is die van {party.label}")
        lines.extend(f"tegen: {line}" for line in a.differ)
        lines.extend(f"wijkt af, maar weegt alleen niet: {line}" for line in a.remarks)
        verdict, why = self._outcome(party, f.day)
        lines.extend(why)
        if party.kind == "vrijgesteld":
            if verdict == Verdict.UNREGISTERED:
                return Judgement(verdict, a.score, lines)
            return Judgement(verdict, a.score, lines, exempt_name=party.label)
        return Judgement(verdict, a.score, lines, registratienummer=party.key)

    def _candidate(self, f: Features, a: _Assessment) -> dict[str, Any]:
        """What the page shows of a candidate beside the signal (plain JSON)."""
        comparison = a.comparison
        return {
            "kind": a.party.kind,
            "key": a.party.key,
            "ref": a.party.ref,
            "label": a.party.label,
            "name": a.written,
            "score": round(a.name) if comparison is not None else None,
            "words_agreed": [[x, y, how] for x, y, how in comparison.agreed] if comparison else [],
            "words_signal_only": list(comparison.signal_only) if comparison else [],
            "words_party_only": list(comparison.party_only) if comparison else [],
            "conflict": comparison.conflict if comparison else None,
            "for": list(a.agree) + ([f"{a.address} van de incassant komt overeen"] if a.address else []),
            "against": list(a.differ),
            "outcome": self._outcome(a.party, f.day)[0],
        }


_KEY_LABEL = {"iban": "IBAN", "telefoon": "telefoonnummer", "e-mail": "e-mailadres", "domein": "website"}


def identifier_keys(f: Features) -> list[str]:
    """The signal's identifiers as the grouping writes them ("iban:NL…", "domein:…")."""
    keys = []
    if f.iban:
        keys.append("iban:" + f.iban)
    if f.phone:
        keys.append("telefoon:" + f.phone)
    if f.email:
        keys.append("e-mail:" + f.email)
    for domain in (f.domain, f.email_domain):
        if domain:
            keys.append("domein:" + domain)
    return keys


def _exact(a: _Assessment) -> bool:
    c = a.comparison
    return c is not None and not c.signal_only and not c.party_only and all(how == "gelijk" for _x, _y, how in c.agreed)


def _initials_agree(a: _Assessment) -> bool:
    return a.comparison is not None and any(how == INITIAL for _x, _y, how in a.comparison.agreed)


def _person_named(top: _Assessment, deciding: list[_Assessment]) -> _Assessment:
    """A signal that names a person by initials ("R.G. Mol Debiteurenbeheer") is about the firm named
    after that person ("Ricardo Mol Debiteurenbeheer") rather than one of the surname alone, when that
    one is nearly as close and the only one whose given names the initials fit."""
    if _initials_agree(top):
        return top
    personal = [a for a in deciding if a is not top and _initials_agree(a) and not a.differ
                and top.name - a.name < PERSON_MARGIN]
    return personal[0] if len(personal) == 1 else top


def _whole(a: _Assessment) -> bool:
    """Every word of both names has its counterpart (the names differ at most in how they are written)."""
    c = a.comparison
    return c is not None and not c.signal_only and not c.party_only


def _closest_as_written(f: Features, tied: list[_Assessment]) -> tuple[_Assessment, list[_Assessment]]:
    """Of candidates whose names are alike word for word, the one whose name is written most like the
    signal's ("Van den BergCreditmanagement" is "Van den Berg Creditmanagement" rather than "Van den Berg
    Credit Management"), and those still as close."""
    written = normalise_name(f.name) if f.name else ""
    if not written:
        return tied[0], tied[1:]
    closeness = {id(a): ratio(written.replace(" ", ""), normalise_name(a.written or "").replace(" ", ""))
                 + ratio(written, normalise_name(a.written or "")) for a in tied}
    best = max(tied, key=lambda a: (closeness[id(a)], -tied.index(a)))
    rest = [a for a in tied if a is not best and closeness[id(best)] - closeness[id(a)] < 1]
    return best, rest


def _pool_identifiers(parties: list[Party]) -> None:
    """Registrations of one legal entity (one KvK number: a firm that registered again) share its accounts,
    websites, addresses and numbers: whichever registration lists one, it is the entity's."""
    by_kvk: dict[str, list[Party]] = defaultdict(list)
    for party in parties:
        if party.kind == "register":
            for kvk in party.kvk:
                by_kvk[kvk].append(party)
    for group in by_kvk.values():
        if len(group) > 1:
            for attribute in ("ibans", "domains", "emails", "phones", "postcodes", "places"):
                pooled = set().union(*(getattr(p, attribute) for p in group))
                for p in group:
                    setattr(p, attribute, set(pooled))


def _one_firm(parties: list[Party]) -> bool:
    """Whether these parties are one firm or one group: one party, registrations that share a KvK number,
    or parties whose names share a distinctive word ("Torenstroom Incasso", "Torenstroom Groep")."""
    if len(parties) < 2:
        return True
    if set.intersection(*(p.kvk for p in parties)):
        return True
    words = [{w.text for name in p.names for w in name.words if w.role == CORE} for p in parties]
    return bool(set.intersection(*words))


def _telling_difference(comparison: Comparison, names: Sequence[Words]) -> bool:
    """Whether two names differ in a word that tells firms apart: a word of the name itself, a person's
    given name or initials, or a word of another trade ("Zwart Administratie & Incasso" / "Zwart Incasso";
    "Incassodienst A. Brouwer" / "Incassobureau Brouwer"). Spelling, a place and another word for the
    same trade ("Debiteurenbeheer" / "Incasso", "Holding") do not."""
    roles = {w.text: w for words in names for w in words}
    for text in (*comparison.signal_only, *comparison.party_only):
        word = roles.get(text)
        if word is None:
            continue
        if word.role in (CORE, GIVEN, INITIALS) or (
                word.role == DESCRIPTOR and word.family not in (COLLECTION, GENERIC)):
            return True
    return False


def _distance(party: Party, day: date) -> int:
    """Days between ``day`` and the party's registration period (0 inside it)."""
    version = party.versions[-1]
    start, end = version.datum_inschrijving, version.datum_einde
    if start is not None and day < start:
        return (start - day).days
    if end is not None and day >= end:
        return (day - end).days + 1
    return 0


def _not_valid_reason(party: Party, version: PartyVersion, day: date) -> str:
    when = fmt_day(day)
    if version.datum_inschrijving and day < version.datum_inschrijving:
        return f"registratie {party.key} was op {when} nog niet geldig (ingeschreven per {fmt_day(version.datum_inschrijving)})"
    status = {"doorgehaald": "doorgehaald", "verlopen": "verlopen"}.get(version.status or "", "beëindigd")
    end = fmt_day(version.datum_einde) if version.datum_einde else "onbekende datum"
    return f"registratie {party.key} was op {when} niet geldig: {status} per {end}"


def normalise_postcode(raw: str | None) -> str | None:
    """"1234 ab" -> "1234AB"; None when it is not a Dutch postcode."""
    if not raw:
        return None
    compact = "".join(raw.split()).upper()
    if len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha() and compact[0] != "0":
        return compact
    return None


def normalise_place(raw: str | None) -> str | None:
    folded = fold(raw)
    return folded or None
