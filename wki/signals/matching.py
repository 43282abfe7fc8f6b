"""Judging a signal against the register and the exempt list as they stood on its reference date.

Pure: no Flask, no database. ``Matcher`` is built once from every version of every registration and of
every exempt office the mirror holds (so that a registration that started only after a signal, or was
struck off before it, is still found and the verdict can say so), and then judges any number of signals.

How a signal is judged
----------------------
1. Candidates come from inverted indexes, never from comparing with everything: one per identifier
   (KvK number, IBAN, registrable domain of websites and e-mail addresses, phone number) and one of
   name keys (each distinctive name token and its one-letter deletions, so that a typo still meets its
   original; the whole normalised name; the distinctive tokens run together). Tokens that occur in many
   names ("incasso", "bureau", "nederland") are noise: they weigh little and are not keys.
2. Each candidate is scored: identifiers that agree are evidence for, identifiers that differ are
   evidence against; the name score (0–100) is the best over the candidate's legal and trade names,
   token by token weighted by how rare each token is, so "Incasso Noord" is not "Incasso Zuid".
3. A KvK number that agrees decides: the same legal entity. A different KvK number means a different
   legal entity: never that registration, and when the name is close, a possible clone of it. Another
   identifier that agrees, with a name that does not contradict it, decides too. A name alone decides
   when it is close (>= ``NAME_MATCH``) and nothing contradicts it; a close name with contradicting
   identifiers and nothing agreeing is a possible clone; a name that is only somewhat close
   (>= ``NAME_DOUBT``) leaves the signal ``onzeker`` for a person.
4. The matched registration's version held on the reference date says whether it was valid then:
   ``geregistreerd`` or ``registratie_niet_geldig``. A matched exempt office on the list on that date
   gives ``vrijgesteld``.

Every verdict carries a score and Dutch evidence lines for and against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.fuzz import ratio

from wki.signals.models import Verdict
from wki.signals.normalise import TokenWeights

NAME_MATCH = 90  # a name this close decides, when nothing contradicts it
NAME_DOUBT = 75  # a name this close, and not closer, needs a person
NAME_LINK = 92  # two unregistered signals whose names are this close are about one collector
MAX_BUCKET = 200  # a name key shared by more names than this is too common to be a key
MAX_CANDIDATES = 12  # name candidates scored per signal (identifier candidates always are)


def _fmt_day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


# --- names ---------------------------------------------------------------------------------------------

def deletion_keys(token: str) -> set[str]:
    """The token and, for tokens of 5 letters or more, every form with one letter left out: two tokens
    one edit apart (a letter added, dropped, changed or two swapped) always share one of these; for
    tokens of 7 letters or more also their first six letters."""
    keys = {token}
    if len(token) >= 5:
        keys.update(token[:i] + token[i + 1:] for i in range(len(token)))
    if len(token) >= 7:
        keys.add("^" + token[:6])  # a longer or shorter form of the word ("noordkaap" / "noordkaapweg")
    return keys


def name_keys(tokens: Sequence[str], weights: TokenWeights) -> set[str]:
    if not tokens:
        return set()
    keys = {"=" + " ".join(tokens)}
    distinctive = [t for t in tokens if len(t) >= 3 and not weights.is_stopword(t)]
    for token in distinctive:
        keys |= deletion_keys(token)
    if len(distinctive) > 1:
        keys.add("+" + "".join(sorted(distinctive)))
    if len(tokens) > 1:
        keys.add("~" + "".join(tokens))
    return keys


def edit_distance(a: str, b: str) -> int:
    """Letters added, dropped, changed, or two neighbours swapped."""
    return DamerauLevenshtein.distance(a, b)


def _directional(a: Sequence[str], b: Sequence[str], weights: TokenWeights) -> float:
    total = 0.0
    got = 0.0
    for token in a:
        w = weights.weight(token) ** 2  # squared: common words ("incasso", "services") barely count
        total += w
        best = 0.0
        best_other = None
        for other in b:
            if other == token:
                best = 100.0
                break
            r = ratio(token, other)
            if r > best:
                best = r
                best_other = other
        if best < 100.0:
            if len(token) < 4 or best < 75.0:
                best = 0.0  # a short word that is not equal is another word ("bos" / "vos")
            elif len(token) >= 5 and best_other is not None and edit_distance(token, best_other) <= 1:
                best = 97.0  # one letter off in a long word: a typo, nearly the same word
        got += w * best
    return got / total if total else 0.0


def name_score(a: Sequence[str], b: Sequence[str], weights: TokenWeights) -> float:
    """0–100: how alike two names are, as token lists (normalised, legal forms out).

    The mean of both directions of a token-by-token comparison weighted by rarity, so common words
    barely count and word order does not matter; or the names run together when one is written as one
    word ("Zuider Licht" / "Zuiderlicht"), whichever is higher.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    tokenwise = (_directional(a, b, weights) + _directional(b, a, weights)) / 2
    joined_a, joined_b = "".join(a), "".join(b)
    if joined_a == joined_b:
        return max(tokenwise, 99.0)
    if sorted(a) == sorted(b):
        return max(tokenwise, 99.0)
    return tokenwise


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


@dataclass
class Party:
    """A registration (key: registratienummer) or an exempt office (key: its party key), over all the
    versions the mirror holds, with every name and identifier it ever had."""

    kind: str  # "register" or "vrijgesteld"
    key: str
    versions: list[PartyVersion] = field(default_factory=list)
    names: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (label, as written, tokens)
    kvk: set[str] = field(default_factory=set)
    ibans: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    beroep: str | None = None

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
    kvk: str | None = None
    iban: str | None = None  # valid IBANs only
    iban_invalid: str | None = None  # as written, when the checksum fails
    domain: str | None = None  # of the website
    email_domain: str | None = None  # None for free mail
    free_mail: str | None = None  # the provider, when the address was at one
    phone: str | None = None


@dataclass
class Judgement:
    verdict: str
    score: int
    explanation: list[str]
    registratienummer: str | None = None
    exempt_name: str | None = None
    clone_of: str | None = None


@dataclass
class _Assessment:
    party: Party
    name: float
    name_line: str | None
    agree: list[str]
    differ: list[str]
    kvk_equal: bool
    kvk_differs: bool

    @property
    def decides(self) -> bool:
        if self.kvk_differs:
            return False
        if self.kvk_equal:
            return True
        if self.agree:
            return self.name >= NAME_DOUBT or self.name == 0.0 or len(self.agree) > 1 or not self.differ
        return self.name >= NAME_MATCH and not self.differ

    @property
    def clone(self) -> bool:
        return self.name >= NAME_MATCH and (self.kvk_differs or (self.differ and not self.agree))

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


class Matcher:
    def __init__(self, parties: Iterable[Party], weights: TokenWeights, *, mirror_start: date | None,
                 exempt_start: date | None = None) -> None:
        self.parties = list(parties)
        self.weights = weights
        self.mirror_start = mirror_start
        self.exempt_start = exempt_start
        self._by_kvk: dict[str, list[int]] = defaultdict(list)
        self._by_iban: dict[str, list[int]] = defaultdict(list)
        self._by_domain: dict[str, list[int]] = defaultdict(list)
        self._by_phone: dict[str, list[int]] = defaultdict(list)
        buckets: dict[str, set[int]] = defaultdict(set)
        for index, party in enumerate(self.parties):
            for value in party.kvk:
                self._by_kvk[value].append(index)
            for value in party.ibans:
                self._by_iban[value].append(index)
            for value in party.domains:
                self._by_domain[value].append(index)
            for value in party.phones:
                self._by_phone[value].append(index)
            for _label, _written, tokens in party.names:
                for key in name_keys(tokens, weights):
                    buckets[key].add(index)
        self._by_name = {key: members for key, members in buckets.items() if len(members) <= MAX_BUCKET}

    # -- candidates --
    def _candidates(self, f: Features) -> tuple[set[int], list[int]]:
        by_id: set[int] = set()
        if f.kvk:
            by_id.update(self._by_kvk.get(f.kvk, ()))
        if f.iban:
            by_id.update(self._by_iban.get(f.iban, ()))
        for domain in {f.domain, f.email_domain} - {None}:
            by_id.update(self._by_domain.get(domain, ()))
        if f.phone:
            by_id.update(self._by_phone.get(f.phone, ()))
        # Rank name candidates by the rare words they share (each word once, however many of its keys
        # meet), and the whole name or its rare words together count most.
        hits: dict[int, float] = defaultdict(float)
        weights = self.weights
        by_name_index = self._by_name
        for token in set(f.tokens):
            if len(token) < 3 or weights.is_stopword(token):
                continue
            reached: set[int] = set()
            prefixed: set[int] = set()
            for key in deletion_keys(token):
                members = by_name_index.get(key)
                if members:
                    if key[0] == "^":
                        prefixed = members
                    else:
                        reached |= members
            w = weights.weight(token)
            for index in reached:
                hits[index] += w
            for index in prefixed - reached:  # the same beginning only: a weaker hint
                hits[index] += w / 4
        for key in name_keys(f.tokens, weights):
            if key[0] in "=+~" and (members := by_name_index.get(key)):
                for index in members:
                    hits[index] += 3.0
        by_name = sorted(hits, key=lambda i: -hits[i])[:MAX_CANDIDATES]
        return by_id, by_name

    # -- one candidate --
    def _assess(self, f: Features, party: Party) -> _Assessment:
        best = 0.0
        best_line: str | None = None
        if f.tokens:
            for label, written, tokens in party.names:
                s = name_score(f.tokens, tokens, self.weights)
                if s > best:
                    best = s
                    best_line = f"naam lijkt {round(s)}% op {label} ‘{written}’"
        agree: list[str] = []
        differ: list[str] = []
        who = party.label
        kvk_equal = bool(f.kvk and f.kvk in party.kvk)
        kvk_differs = bool(f.kvk and party.kvk and f.kvk not in party.kvk)
        if kvk_equal:
            agree.append(f"KvK-nummer {f.kvk} is dat van {who}")
        elif kvk_differs:
            differ.append(f"KvK-nummer {f.kvk} wijkt af van dat van {who} ({', '.join(sorted(party.kvk))}): "
                          "een andere rechtspersoon")
        if f.iban and party.ibans:
            if f.iban in party.ibans:
                agree.append(f"IBAN {f.iban} is bekend bij {who}")
            else:
                differ.append(f"IBAN {f.iban} komt niet voor bij {who}")
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
        if f.phone and party.phones:
            if f.phone in party.phones:
                agree.append(f"telefoonnummer {f.phone} is bekend bij {who}")
            else:
                differ.append(f"telefoonnummer {f.phone} wijkt af van de bekende nummers van {who}")
        return _Assessment(party=party, name=best, name_line=best_line, agree=agree, differ=differ,
                           kvk_equal=kvk_equal, kvk_differs=kvk_differs)

    # -- the verdict --
    def judge(self, f: Features) -> Judgement:
        notes: list[str] = []
        if f.iban_invalid:
            notes.append(f"IBAN {f.iban_invalid} is ongeldig (het controlegetal klopt niet) en telt niet mee")
        if f.free_mail:
            notes.append(f"e-mailadres bij gratis provider {f.free_mail} telt niet mee")
        if not (f.tokens or f.kvk or f.iban or f.domain or f.email_domain or f.phone):
            return Judgement(Verdict.UNCERTAIN, 0, [*notes, "geen bruikbare naam of gegevens om te vergelijken"])
        if self.mirror_start is None or f.day < self.mirror_start:
            since = f"pas vanaf {_fmt_day(self.mirror_start)}" if self.mirror_start else "nog niet"
            return Judgement(Verdict.UNCERTAIN, 0, [
                *notes, f"het register van {_fmt_day(f.day)} is niet bekend: de spiegel kent het register {since}"])

        by_id, by_name = self._candidates(f)
        assessed = [self._assess(f, self.parties[i]) for i in by_id | set(by_name)]
        # An identifier that agrees outranks any name alone ("Jansen" / "Janssen" with Janssen's IBAN).
        deciding = sorted((a for a in assessed if a.decides),
                          key=lambda a: (not a.agree, -a.score, -a.name, a.party.key))
        clones = sorted((a for a in assessed if a.clone and a.party.kind == "register"), key=lambda a: -a.name)

        if deciding:
            top = deciding[0]
            rivals = [a for a in deciding[1:] if a.party.key != top.party.key and not a.agree and not top.agree
                      and top.score - a.score < 3]
            if rivals:
                rival = rivals[0]
                return Judgement(Verdict.UNCERTAIN, top.score, [
                    *notes, *(line for line in (top.name_line, rival.name_line) if line),
                    f"de naam past even goed bij {top.party.label} als bij {rival.party.label}"])
            return self._matched(f, top, notes)

        doubtful = sorted((a for a in assessed if a.doubtful), key=lambda a: -a.name)
        if doubtful and not (clones and clones[0].name > doubtful[0].name):  # a closer clone explains it
            top = doubtful[0]
            return Judgement(Verdict.UNCERTAIN, round(top.name), [
                *notes, f"{top.name_line} van {top.party.label}: lijkt erop, maar niet genoeg om te beslissen"])

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
                lines.append(f"dichtstbij: {nearest.name_line} van {nearest.party.label}, te weinig voor dezelfde partij")
            for a in assessed:
                if a.kvk_differs and a.name >= NAME_DOUBT:
                    lines.append(f"tegen {a.party.label}: {a.differ[0]}")
        return Judgement(Verdict.UNREGISTERED, round(closest), lines, clone_of=clone_of)

    def _matched(self, f: Features, a: _Assessment, notes: list[str]) -> Judgement:
        party = a.party
        lines = [*notes, *a.agree]
        if a.name_line and a.name > 0:
            lines.append(f"{a.name_line} van {party.label}")
        lines.extend(f"tegen: {line}" for line in a.differ)
        day = f.day
        if party.kind == "vrijgesteld":
            version = party.version_on(day)
            beroep = party.beroep or "vrijgestelde"
            if version is None and self.exempt_start is not None and day >= self.exempt_start:
                lines.append(f"{party.label} stond op {_fmt_day(day)} niet op de lijst van vrijgestelden")
                return Judgement(Verdict.UNCERTAIN, a.score, lines, exempt_name=party.label)
            lines.append(f"{party.label} is {beroep}: vrijgesteld van registratie, toezicht door "
                         + ("het Bureau Financieel Toezicht" if beroep == "gerechtsdeurwaarder" else "de deken"))
            return Judgement(Verdict.EXEMPT, a.score, lines, exempt_name=party.label)
        version = party.version_on(day)
        if version is not None and version.valid_on(day):
            lines.append(f"registratie {party.key} was geldig op {_fmt_day(day)}")
            return Judgement(Verdict.REGISTERED, a.score, lines, registratienummer=party.key)
        if version is None:
            # The mirror saw the registration only in a later snapshot: its own dates say whether it was
            # valid then, since the register records when it took effect. (One that left the register
            # is not valid after it left, whatever its dates said.)
            nearest = party.nearest_version(day)
            if nearest.valid_from > day and nearest.valid_on(day):
                lines.append(f"registratie {party.key} was geldig op {_fmt_day(day)} (ingeschreven per "
                             f"{_fmt_day(nearest.datum_inschrijving)}; de spiegel zag haar vanaf "
                             f"{_fmt_day(nearest.valid_from)})")
                return Judgement(Verdict.REGISTERED, a.score, lines, registratienummer=party.key)
        lines.append(_not_valid_reason(party, version, day))
        return Judgement(Verdict.NOT_VALID, a.score, lines, registratienummer=party.key)


def _not_valid_reason(party: Party, version: PartyVersion | None, day: date) -> str:
    when = _fmt_day(day)
    if version is None:
        nearest = party.nearest_version(day)
        if nearest.valid_from > day:
            start = nearest.datum_inschrijving or nearest.valid_from
            return f"registratie {party.key} stond op {when} nog niet in het register (ingeschreven per {_fmt_day(start)})"
        return f"registratie {party.key} stond op {when} niet meer in het register"
    if version.datum_inschrijving and day < version.datum_inschrijving:
        return f"registratie {party.key} was op {when} nog niet geldig (ingeschreven per {_fmt_day(version.datum_inschrijving)})"
    status = {"doorgehaald": "doorgehaald", "verlopen": "verlopen"}.get(version.status or "", "beëindigd")
    end = _fmt_day(version.datum_einde) if version.datum_einde else "onbekende datum"
    return f"registratie {party.key} was op {when} niet geldig: {status} per {end}"

