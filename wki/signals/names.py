"""Comparing collectors' names as people write them, word by word (pure: no Flask, no database).

A name is read as words with a role (``Word``):

- ``CORE``: the words that tell firms apart (a surname, a brand, "Noordkaap"), weighed by how rare they
  are in the register (``TokenWeights``): "Bakker" says less than "Noordkaap";
- ``DESCRIPTOR``: words that say what kind of business it is ("incassobureau", "debiteurenbeheer",
  "advocaten", "gerechtsdeurwaarders", "holding"), each in a *family* (``FAMILIES``). Words of one family
  are interchangeable ("Incasso" / "Incassodiensten"), so they weigh little when they agree; but a firm of
  one profession is not a firm of another: "Bakker Advocaten" is not "Bakker Juridisch Incasso";
- ``PLACE``: a place or region beside other core words ("Noordkaap Incasso Zwolle"): explained when it is
  the party's own address, weighs little when only one side names a place, and contradicts when both
  sides name different places ("Dekker Twente" / "Dekker Zwolle");
- ``INITIALS``: initials written for first names ("J.P. Bakker" for "Jan Pieter Bakker");
- noise (legal forms, articles, tussenvoegsels, "t.a.v.", "namens"): left out.

Before the words are compared, the spelling is repaired against the register's own vocabulary: words
written together are split ("DekkerIncasso" -> "dekker incasso") and words written apart are joined
("Zuider Licht" -> "zuiderlicht") when the register knows the parts or the whole.

Two words agree when they are equal, sound alike in Dutch (ij/y/ei, ou/au, c/k, ph/f, dt/t, sch/s, doubled
letters: "Mol"/"Moll", "Bos"/"Bosch"), differ by a typo that their length allows (one edit from four
letters, two from nine), are misread by a scanner (rn/m, 1/l, 0/o), or one is the beginning of the other
(a name cut off by a form). ``compare`` aligns the words of two names one to one and gives a score (0-100,
weighted like a Dice coefficient: the share of both names' weight that agrees), the words that agreed
(and how), the words only one side has, and a ``conflict`` when the names contradict each other.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.fuzz import ratio

from wki.signals.given_names import GIVEN_NAMES, SURNAMES
from wki.signals.normalise import NOISE_WORDS, TokenWeights
from wki.signals.places import MULTI_WORD_PLACES, PLACES

CORE = "kern"
DESCRIPTOR = "soort"
PLACE = "plaats"
INITIALS = "initialen"
GIVEN = "voornaam"

BAILIFF = "gerechtsdeurwaarder"
LAWYER = "advocaat"
COLLECTION = "incasso"
LEGAL = "juridisch"
FINANCE = "financieel"
GENERIC = "algemeen"
PROFESSIONS = frozenset({BAILIFF, LAWYER})

# What kind of business a word says the firm is. Written out, not learnt: a register of a few thousand
# names is too small to learn that "vorderingen" and "incasso" mean the same trade.
FAMILIES: dict[str, frozenset[str]] = {
    BAILIFF: frozenset({
        "gerechtsdeurwaarder", "gerechtsdeurwaarders", "deurwaarder", "deurwaarders", "deurwaarderskantoor",
        "deurwaarderskantoren", "gerechtsdeurwaarderskantoor", "gerechtsdeurwaarderskantoren",
        "deurwaardersbureau", "gerechtsdeurwaardersbureau", "gdwkantoor",
        "deurwaarderspraktijk", "gerechtsdeurwaarderspraktijk", "deurwaardersgroep", "bailiffs", "bailiff",
        "huissiers", "huissier", "gdw",
    }),
    LAWYER: frozenset({
        "advocaat", "advocaten", "advocatenkantoor", "advocatenkantoren", "advocatenbureau", "advocatengroep", "advocatuur", "advocatenpraktijk",
        "advocatencollectief", "lawyers", "lawyer", "attorneys", "attorney", "advocaats", "procesadvocaten",
        "legal", "law", "laws",  # "Lindedal Legal", "Vink Law B.V.": a law firm's name
    }),
    COLLECTION: frozenset({
        "incasso", "incassos", "incassobureau", "incassobureaus", "incassoburo", "incassoburos", "incassobedrijf", "incassodienst",
        "incassodiensten", "incassokantoor", "incassozaken", "incassogroep", "incassopartner",
        "incassopartners", "incassoservice", "incassoservices", "incassobeheer", "incassoadvies",
        "incassospecialist", "incassospecialisten", "incassodesk", "incassocentrum", "incassocentrale",
        "invordering", "invorderingen", "invorderingsbureau", "invorderingsdienst", "geldinvordering",
        "debiteuren", "debiteurenbeheer", "debiteurenadministratie", "debiteurenservice",
        "debiteurenbureau", "debiteurenmanagement", "debiteurenbewaking", "vordering", "vorderingen",
        "vorderingsbeheer", "vorderingenbeheer", "schuldbeheer", "schuldinvordering", "schuldinning",
        "betalingsregie", "betalingsbeheer", "betaalregie", "inning", "inningen", "inningsbureau",
        "credit", "credits", "creditmanagement", "creditcontrol", "kredietbeheer", "kredietmanagement",
        "collect", "collection", "collections", "collecting", "collectors", "collector", "recovery",
        "recoveries", "claims", "claim", "claimservice", "receivables", "debt", "debts", "dunning",
        "factoring", "achterstanden", "betalingsachterstanden", "incassoconsult", "schuldzaken", "schulden",
        "schuldenbeheer", "debiteurenzaken", "vorderingszaken", "incassopraktijk", "incassoteam", "incassering",
        "inningsdienst", "claimbureau", "claimsbureau", "incassoservicebureau", "betalingsherinneringen",
        "aanmaningen", "debtcollect", "debtcollection", "collectbureau", "collectservice",
    }),
    LEGAL: frozenset({
        "juridisch", "juridische", "juristen", "jurist", "juristenkantoor", "juristenbureau", "juristengroep",
        "rechtshulpbureau", "rechtshulpkantoor", "rechtshulp", "rechtsbijstand", "rechtskundig",
        "rechtskundige", "juris", "jure", "procesbureau", "rechtspraktijk", "rechtszaken",
        "geschillen", "geschillenbeslechting", "mediation",
        "juridischadviesbureau", "rechtsadvies", "rechtswinkel",
    }),
    FINANCE: frozenset({
        "financial", "financials", "finance", "finances", "financieel", "financiele", "financien",
        "financiering", "fiscaal", "fiscale", "belastingadvies", "accountancy", "accountants", "accountant",
        "administratie", "administraties", "administratiekantoor", "administratiebureau", "boekhouding",
        "boekhoudkantoor", "bookkeeping", "geld", "money", "krediet", "kredieten", "lening", "leningen",
        "budget", "budgetbeheer", "betaal", "payments", "payment", "pay",
    }),
    GENERIC: frozenset({
        "bureau", "bureaus", "buro", "kantoor", "kantoren", "groep", "group", "groupe", "holding", "holdings",
        "services", "service", "diensten", "dienstverlening", "partners", "partner", "associates",
        "management", "solutions", "beheer", "consultancy", "consult", "consultants", "advies", "adviseurs",
        "adviesbureau", "company", "co", "compagnie", "portfolio", "portfolios", "purchase", "purchasing", "zn", "zonen", "gebr", "gebroeders", "international", "internationaal",
        "nederland", "nederlandse", "holland", "nl", "europe", "europa", "benelux", "combinatie", "centrale",
        "centrum", "center", "centre", "office", "agency", "bedrijf", "bedrijven", "onderneming",
        "ondernemingen", "collectief", "netwerk", "maatschap", "praktijk", "specialisten", "specialist",
        "experts", "expert", "desk", "support", "care", "team", "bv", "nv", "zaken", "control", "controle",
    }),
}
# Everyday words a made-up name is built of ("Vlot Incasso", "Prima Incasso Gelderland", "Snel Inkasso
# Kennemerland"): a name of such words, trade words and places is anyone's, so it is this firm's only when
# every word agrees.
COMMON_WORDS = frozenset({
    "snel", "snelle", "vlot", "vlotte", "eerlijk", "eerlijke", "zeker", "prima", "actief", "actieve", "rapid",
    "rapide", "totaal", "uniek", "unieke", "betrouwbaar", "betrouwbare", "efficient", "efficiente", "direct",
    "directe", "modern", "moderne", "slim", "slimme", "simpel", "correct", "correcte", "sociaal", "sociale",
    "landelijk", "landelijke", "nationaal", "nationale", "centraal", "eerste", "goed", "goede", "beste",
    "nieuw", "nieuwe", "stipt", "punctueel", "fair", "smart", "easy", "quick", "fast", "first", "prime",
    "premium", "pro", "professioneel", "eenvoudig", "duidelijk", "zorgvuldig", "vertrouwd", "solide",
    "degelijk", "optimaal", "compleet", "integraal", "algemeen", "algemene", "redelijk", "vriendelijk",
    "menselijk", "zakelijk", "oplossing", "oplossingen", "zorg", "zorgeloos", "rust", "helder",
})

# Words of the generic family written in more than one way: each to one of them.
_GENERIC_SAME: dict[str, str] = {word: group[0] for group in (
    ("zonen", "zn"), ("gebroeders", "gebr"), ("groep", "group", "groupe"), ("services", "service", "diensten",
                                                                              "dienstverlening"),
    ("partners", "partner"), ("holding", "holdings"), ("company", "co", "compagnie"),
    ("internationaal", "international"), ("nederland", "nederlandse", "nl"), ("bureau", "bureaus", "buro"),
    ("kantoor", "kantoren"), ("consultancy", "consult", "consultants"), ("advies", "adviseurs", "adviesbureau"),
) for word in group}

_FAMILY_OF: dict[str, str] = {word: family for family, words in FAMILIES.items() for word in words}
_FAMILY_WORDS = sorted(w for w in _FAMILY_OF if len(w) >= 6)

# Clutter that names nobody: "t.a.v.", "namens", "p/a", "i.o.v.", tussenvoegsels and articles.
CLUTTER = frozenset({
    "tav", "ta", "namens", "pa", "iov", "io", "inzake", "via", "per", "afd", "afdeling", "vestiging",
    "vestigingen", "regio", "kantoorhouder", "vd", "vdr", "vh", "voorheen", "thodn", "hodn", "handelend",
    "onder", "naam", "ook", "genaamd", "mr", "mevr", "dhr", "heer", "mevrouw", "ing", "drs", "dr",
    "de", "het", "een", "van", "der", "den", "en", "in", "op", "voor", "aan", "te", "ter", "ten", "and",
    "the", "of", "at", "s", "t", "fa", "firma", "llc", "inc", "ltd", "limited", "gmbh", "bvba", "sprl", "corp", "plc",
    "sarl", "srl", "ag", "uab", "sia", "sro", "kft", "doo", "zoo", "oy", "kand", "kandidaat", "toegevoegd", "waarnemend", "waarnemer",
})

# Dutch sounds that are written in more than one way (order matters: longer first).
_PHONETIC = (
    ("skh", "s"), ("sch", "s"), ("ij", "y"), ("yj", "y"), ("ei", "y"), ("ey", "y"), ("au", "ou"), ("ph", "f"), ("dt", "t"),
    ("kh", "g"), ("ks", "x"), ("ck", "k"), ("gh", "g"), ("ch", "g"), ("qu", "kw"), ("c", "k"), ("z", "s"), ("th", "t"), ("ae", "a"), ("oe", "u"),
    ("ie", "i"), ("y", "i"), ("v", "f"),
)
_DOUBLES = re.compile(r"(.)\1+")
_VOWELLESS = re.compile(r"^[^aeiouy]+$")
# What a scanner misreads; applied to words that mix letters and digits, and to "rn"/"vv".
_OCR = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("0", "o"), ("1", "l"), ("5", "s"), ("8", "b"), ("3", "e"),
        ("6", "b"), ("4", "a"), ("7", "t"), ("9", "g"), ("|", "l"))


@lru_cache(maxsize=1 << 16)
def phonetic(word: str) -> str:
    """A Dutch sound key: "Bosch" and "Bos", "Mol" and "Moll", "Meijer" and "Meyer" share one."""
    key = word
    for written, sound in _PHONETIC:
        if written in key:
            key = key.replace(written, sound)
    if key.endswith("d") and len(key) > 3:
        key = key[:-1] + "t"
    if key.startswith("v"):  # "Vink" and "Fink" begin alike
        key = "f" + key[1:]
    return _DOUBLES.sub(r"\1", key)


@lru_cache(maxsize=1 << 16)
def ocr_fold(word: str) -> str:
    """The word as a scanner might have meant it ("dekker1ncasso" -> "dekkerlncasso"; "rn" -> "m")."""
    key = word
    for seen, meant in _OCR:
        if seen in key:
            key = key.replace(seen, meant)
    return key


def family_of(word: str) -> str | None:
    """The business family of a descriptor word, also when it is misspelt by one letter or misread by
    a scanner ("1ncasso")."""
    known = descriptor(word)
    return _FAMILY_OF[known] if known is not None else None


@lru_cache(maxsize=1 << 15)
def _c_for_e(token: str) -> list[str]:
    """A scanner's c for an e ("Vordcringcn", "Advocatcnkantoor"): every c read as e, and each one alone."""
    places = [i for i, c in enumerate(token) if c == "c"]
    if not places or len(places) > 4:
        return []
    return [token.replace("c", "e"), *(token[:i] + "e" + token[i + 1:] for i in places)]


@lru_cache(maxsize=1 << 17)  # each word of the register and of every signal, asked again and again
def descriptor(word: str) -> str | None:
    """The descriptor word a word is, spelt as the list spells it ("managgement" -> "management",
    "1ncasso" -> "incasso"), or None."""
    if word in _FAMILY_OF:
        return word
    candidates = {word.translate(_OCR_I), word.translate(_OCR_L)} if not word.isalpha() else set()
    if "rn" in word or "vv" in word or "cl" in word:
        candidates.add(ocr_fold(word))  # "Managernent"
    for candidate in candidates:
        if candidate in _FAMILY_OF:
            return candidate
    if len(word) < 6:
        return None
    allowed = 2 if len(word) >= 12 else 1  # a long trade word holds two slips ("Debiteurenbebecr")
    for known in _FAMILY_WORDS:
        slips = 2 if len(word) >= 9 and known[:3] == word[:3] else allowed  # "Finaancal"
        if (abs(len(known) - len(word)) <= slips
                and DamerauLevenshtein.distance(word, known, score_cutoff=slips) <= slips):
            return known
        if (abs(len(known) - len(word)) <= allowed
                and DamerauLevenshtein.distance(word, known, score_cutoff=allowed) <= allowed):
            return known
    return _FAMILY_BY_SOUND.get(phonetic(word))  # as heard: "Manachement", "Paijment", "Advokatuur"


_TRADES = frozenset({COLLECTION, BAILIFF, LAWYER, LEGAL})
_FAMILY_BY_SOUND: dict[str, str] = {}
for _word in sorted(_FAMILY_WORDS, key=lambda w: (len(w), w)):
    _FAMILY_BY_SOUND.setdefault(phonetic(_word), _word)
_TRADE_WORDS_BY_LENGTH = sorted(_FAMILY_OF, key=lambda w: (len(w), w))


@lru_cache(maxsize=1 << 12)
def _trade_word_begun(text: str) -> str | None:
    """The shortest trade word that begins with ``text`` (cut off by a form), if any."""
    for word in _TRADE_WORDS_BY_LENGTH:
        if len(word) > len(text) and word.startswith(text):
            return word
    return None


_MULTI_PLACE_FIRST = frozenset(phrase.split()[0] + " " for phrase in MULTI_WORD_PLACES)
_JOINED_PLACES = frozenset(phrase.replace(" ", "") for phrase in MULTI_WORD_PLACES)
_OCR_I = str.maketrans({"1": "i", "0": "o", "5": "s", "3": "e", "8": "b", "|": "l"})
_OCR_L = str.maketrans({"1": "l", "0": "o", "5": "s", "3": "e", "8": "b", "|": "l"})


# --- one word against another -----------------------------------------------------------------------------

EQUAL = "gelijk"
SOUND = "klinkt gelijk"
DOUBLE = "dubbele letter"
TYPO = "tikfout"
OTHER_LETTER = "letter anders"  # one or two letters off that are no typical slip: perhaps another name
SCAN = "leesfout"
CUT = "afgekort"
SAME_KIND = "zelfde soort"
INITIAL = "initiaal"
ACRONYM = "afkorting"
JOINED = "aaneen geschreven"


@lru_cache(maxsize=1 << 18)
def _one_vowel_off(short: str, full: str) -> bool:
    """``short`` is ``full`` with its vowel left out or another letter in its place."""
    k = next(i for i, c in enumerate(full) if c in "aeiouy")
    return short in (full[:k] + full[k + 1:], *(full[:k] + c + full[k + 1:] for c in "jhw"))


def word_similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two words are (0-1) and how: equal, alike in sound, a typo, a scanner's misreading, or
    one cut short. Words of three letters or fewer only agree when equal or alike in sound ("Bos" is not
    "Vos"), four-letter words by one typo that keeps the first letter."""
    if a == b:
        return 1.0, EQUAL
    if len(a) <= 5 and len(b) <= 5 and (_VOWELLESS.match(a) or _VOWELLESS.match(b)):
        # Letters that abbreviate ("VKK", "FCC") agree only when the same; but a name of one syllable that
        # lost its only vowel, or had it mistyped, is a slip ("Hrst" / "Horst", "Brjnk" / "Brink").
        short, full = (a, b) if _VOWELLESS.match(a) else (b, a)
        if len(full) == 5 and len(short) >= 4 and not _VOWELLESS.match(full) and len(
                [c for c in full if c in "aeiouy"]) == 1 and _one_vowel_off(short, full):
            return 0.85, TYPO
        return 0.0, ""
    longest = max(len(a), len(b))
    shortest = min(len(a), len(b))
    if _DOUBLES.sub(r"\1", a) == _DOUBLES.sub(r"\1", b):  # "Grot"/"Groot", "Mol"/"Moll", "Zuidd"/"Zuid"
        return 0.95, DOUBLE
    if a.replace("ij", "y") == b.replace("ij", "y"):  # "Dyk"/"Dijk": one Dutch letter, written two ways
        return 0.95, SOUND
    if phonetic(a) == phonetic(b):
        return (0.92 if shortest >= 6 else 0.88 if shortest >= 4 else 0.85), SOUND
    if longest >= 4:
        oa, ob = ocr_fold(a), ocr_fold(b)
        if (oa != a or ob != b) and (oa == ob or phonetic(oa) == phonetic(ob)):
            return 0.92, SCAN
    if shortest >= 4 and (a.startswith(b) or b.startswith(a)) and shortest >= 0.6 * longest:
        return 0.82, CUT  # one cut short ("Dommelpoo" / "Dommelpoort"), before it reads as a typo
    if shortest >= 3:
        allowed = 2 if longest >= 9 else 1 if longest >= 4 else 0
        if allowed:
            distance = DamerauLevenshtein.distance(a, b, score_cutoff=allowed)
            if distance <= allowed and (longest >= 5 or a[0] == b[0]):
                # The longer the word, the likelier one letter off is a slip of the same word rather than
                # another word ("Jong"/"Jonge" are two surnames, "Finia"/"Finio" two brands; "Zuiderlicht"/
                # "Zuiderlcht" one firm). A typist's slips (two letters swapped, a neighbouring key, a letter
                # dropped or doubled in a long word, a scanner's misreading) are likely; another letter is
                # possible in a long word only ("Tjalsma"/"Tjalama" is, "Solvplus"/"Solaplus" is not).
                if distance == 2:
                    # Two slips in a long word are one word mistyped ("Dinklhoeeve" / "Dinkelhoeve").
                    return (0.85, TYPO) if shortest >= 11 else (0.7, OTHER_LETTER)
                if sorted(a) == sorted(b):
                    return (0.93 if longest >= 8 else 0.88), TYPO  # two letters swapped
                if len(a) == len(b):
                    if _slip(a, b):
                        return (0.93 if longest >= 8 else 0.88 if longest >= 7 else 0.8), TYPO
                    if longest >= 9 or (longest >= 7 and _vowel_for_vowel(a, b)):
                        return 0.85, OTHER_LETTER
                    return 0.0, ""
                if longest >= 8:
                    return 0.93, TYPO
                return (0.85, TYPO) if longest >= 7 else (0.72, OTHER_LETTER)
            if longest >= 9:  # two typos that sound alike, e.g. "Zuiderlicht" / "Zuyderligt"
                distance = DamerauLevenshtein.distance(phonetic(a), phonetic(b), score_cutoff=2)
                if distance <= 2:
                    return 0.7, OTHER_LETTER
    if shortest >= 4 and (a.startswith(b) or b.startswith(a)) and shortest >= 0.6 * longest:
        return 0.82, CUT
    if longest >= 10 and ratio(a, b) >= 88:  # a long compound word with a few letters off
        return 0.84, OTHER_LETTER
    return 0.0, ""


_KEYBOARD = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, set[str]] = defaultdict(set)
for _row_index, _row in enumerate(_KEYBOARD):
    for _col, _key in enumerate(_row):
        for _dr in (-1, 0, 1):
            for _dc in (-1, 0, 1):
                _r, _c = _row_index + _dr, _col + _dc
                if (_dr or _dc) and 0 <= _r < len(_KEYBOARD) and 0 <= _c < len(_KEYBOARD[_r]):
                    _NEIGHBOURS[_key].add(_KEYBOARD[_r][_c])
_VOWELS = frozenset("aeiouy")


def _difference(a: str, b: str) -> tuple[str, str] | None:
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return diffs[0] if len(diffs) == 1 else None


# Letters a scanner takes for one another.
_MISREAD = {frozenset(pair) for pair in ("ce", "il", "uv", "nh", "ft", "bh", "mn", "ij", "gq")}


def _slip(a: str, b: str) -> bool:
    """One letter replaced by a neighbour on the keyboard (the typist's slip) or by one a scanner takes
    for it ("Hclderhof")."""
    found = _difference(a, b)
    return found is not None and (found[1] in _NEIGHBOURS[found[0]] or frozenset(found) in _MISREAD)


def _vowel_for_vowel(a: str, b: str) -> bool:
    """One vowel for another inside the word (not at its end, where made-up brands vary: "Cashia"/"Cashio")."""
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (len(diffs) == 1 and diffs[0] < len(a) - 1 and a[diffs[0]] in _VOWELS and b[diffs[0]] in _VOWELS)


# --- words with their roles --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Word:
    text: str
    role: str
    weight: float
    family: str | None = None


class Morphology:
    """The parts the register's made-up names are built from ("Storm|kaap", "Delta|zicht", "Sola|point"):
    endings and beginnings that recur in several of its words. Two words that differ in exactly such a part
    ("Stormkaap" / "Stormkamp", "Deltazicht" / "Deltazijl") are two names, not one name with a typo."""

    MIN_USES = 3  # distinct words a part must occur in to count as a part

    def __init__(self, tokens: Iterable[str]) -> None:
        endings: dict[str, set[str]] = defaultdict(set)
        beginnings: dict[str, set[str]] = defaultdict(set)
        for token in tokens:
            if len(token) < 6 or not token.isalpha():
                continue
            for k in range(3, min(7, len(token) - 2)):
                endings[token[-k:]].add(token[:-k])
                beginnings[token[:k]].add(token[k:])
        self.endings = frozenset(e for e, stems in endings.items() if len(stems) >= self.MIN_USES)
        self.beginnings = frozenset(b for b, rests in beginnings.items() if len(rests) >= self.MIN_USES)
        self._sorted = sorted({token for token in tokens if token.isalpha()})

    def completions(self, begun: str, limit: int = 3) -> int:
        """How many of the register's words begin with ``begun`` (at most ``limit``): a word cut off that
        several words begin with ("Prima": Primara, Primance, Primado) names none of them in particular."""
        i = bisect_left(self._sorted, begun)
        n = 0
        while i < len(self._sorted) and n < limit and self._sorted[i].startswith(begun):
            n += 1
            i += 1
        return n

    def other_part(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` share a part and differ in a whole other recurring part (that also sounds
        otherwise: "Claverhaven" is "Klaverhaven" written another way)."""
        if phonetic(a) == phonetic(b):
            return False
        for k in range(3, min(len(a), len(b)) - 2):
            if a[:k] == b[:k] and _other(a[k:], b[k:]) and a[k:] in self.endings and b[k:] in self.endings:
                return True
            if a[-k:] == b[-k:] and _other(a[:-k], b[:-k]) and a[:-k] in self.beginnings and b[:-k] in self.beginnings:
                return True
        return False


def _other(x: str, y: str) -> bool:
    """Two parts that are other parts, not one with a letter dropped ("mole" / "molen")."""
    return x != y and not (x.startswith(y) or y.startswith(x) or x.endswith(y) or y.endswith(x))


class Words(tuple):
    """A name's words (``Word`` s), with what every comparison asks of them worked out once: their texts,
    their business families and the tuple's hash (names are compared and looked up many times)."""

    texts: tuple[str, ...]
    families: frozenset[str]
    acronyms: dict[str, bool]
    partners: frozenset[str]  # surnames joined by "&" ("Van den Berg & Wolters"): each names the firm
    has_initials: bool
    positions: dict[str, tuple[int, ...]]

    morphology: Morphology | None
    _hash: int

    def __new__(cls, words: Iterable[Word] = (), morphology: Morphology | None = None) -> Words:
        self = super().__new__(cls, words)
        self.morphology = morphology
        self.acronyms = {}
        self.partners = frozenset()
        self.texts = tuple(w.text for w in self)
        self.families = frozenset(w.family for w in self if w.family is not None and w.family != GENERIC)
        self.has_initials = any(w.role == INITIALS for w in self)
        self.positions = {}
        for i, text in enumerate(self.texts):
            self.positions[text] = (*self.positions.get(text, ()), i)
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Words], tuple[tuple[Word, ...], Morphology | None]]:  # a tuple subclass with attributes: pickle it by its words
        return (Words, (tuple(self), self.morphology))


NO_WORDS = Words()


DESCRIPTOR_WEIGHT = {COLLECTION: 0.06, GENERIC: 0.04, FINANCE: 0.10, LEGAL: 0.12, BAILIFF: 0.12, LAWYER: 0.12}
INITIALS_WEIGHT = 0.12
GIVEN_WEIGHT = 0.15
PLACE_EXTRA_WEIGHT = 0.15  # a place only one side names
PERSON_NAMED = 4.0  # what a given name costs in a signal that names a person only, against a firm's name
AMBIGUOUS_CUT = 0.5  # how much a word cut off agrees with a word of the register that is one of several it begins
PARTNER_NAMED = 0.25  # a partner of a bailiffs' or lawyers' office left out, when the signal names the profession
SIGNAL_EXTRA = 1.5  # a distinctive word the signal adds weighs more than one it leaves out: people shorten
#                     names ("Mulder" for "Willem Mulder Incasso Groep"), they rarely add a partner's surname


_SEGMENT_GLUE = frozenset({"de", "van", "der", "den", "ter", "ten", "en", "het", "bv", "nv", "vof", "cv"})
_LEGAL_FORM_PARTS = frozenset({"bv", "nv", "vof", "cv"})
_SURNAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "vd", "vander", "vanden", "vande", "op"})
_PARTICLES: tuple[str, ...] = ("vanderr", "vander", "vanden", "vande", "van", "der", "den", "de", "ter", "ten", "te", "op", "in",
              "t", "s")
_PARTICLES = tuple(sorted({p for p in _PARTICLES if p not in ("vanderr", "t", "s")}, key=len, reverse=True))


def particle_words(particle: str) -> list[str]:
    for whole in ("vander", "vanden", "vande"):
        if particle == whole:
            return ["van", whole[3:]]
    return [particle]


class Vocabulary:
    """The register's words (legal and trade names of registrations and exempt offices), their weights,
    and the places the register knows, for reading the names of signals."""

    def __init__(self, weights: TokenWeights, tokens: Iterable[str], places: Iterable[str] = ()) -> None:
        self.weights = weights
        self.tokens = frozenset(tokens)
        self.places = PLACES | {p for p in places if p and len(p) >= 3}
        # Places of several words are joined when read ("den haag" -> "denhaag") and never split again.
        self._known = self.tokens | NOISE_WORDS | set(_FAMILY_OF) | _JOINED_PLACES
        self._words: dict[tuple[tuple[str, ...], frozenset[str]], Words] = {}
        self.morphology = Morphology(self.tokens)
        self._one_letter_less: dict[str, str] | None = None  # built when first asked (``near_known``)

    def near_known(self, token: str) -> bool:
        """Whether ``token`` is one slip (a letter dropped, added or another) from a long word of the
        register: a misspelt name ("Venbaken" for "Veenbaken"), not two names run together ("Ven|baken")."""
        if len(token) < 6 or not token.isalpha():
            return False
        less = self._one_letter_less
        if less is None:
            less = self._one_letter_less = {t[:i] + t[i + 1:]: t for t in self.tokens if len(t) >= 7 and t.isalpha()
                                             for i in range(len(t))}
        if token in less:
            return True
        return any((cut := token[:i] + token[i + 1:]) in less or (cut in self.tokens and len(cut) >= 7)
                   for i in range(len(token)))

    # -- spelling repaired against the register's words --
    def _segment(self, token: str) -> list[str] | None:
        """A long string of words run together, the last one perhaps cut off: a bank's beneficiary field or
        an SMS sender ("DEHAANCREDI", "ZUIDZICHTDEBITEURENBEHEERBV", "DEGROOTMENSAHINCASSO"). The fewest
        known words that make it; the last may be the beginning of a known word. Legal forms are left out."""
        n = len(token)
        words = self.tokens
        best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
        best[0] = (0, [])
        for i in range(n):
            entry = best[i]
            if entry is None:
                continue
            parts_so_far, parts = entry
            for j in range(i + 2, n + 1):
                piece = token[i:j]
                whole = (piece in words and len(piece) >= 3) or piece in _FAMILY_OF or piece in _SEGMENT_GLUE
                cut = (j == n and len(piece) >= 3 and (self.morphology.completions(piece, 1)
                                                        or _trade_word_begun(piece)))
                if whole or cut:
                    candidate = (parts_so_far + 1, [*parts, piece])
                    if (prior := best[j]) is None or candidate[0] < prior[0]:
                        best[j] = candidate
        found = best[n]
        if found is None or found[0] < 2:
            return None
        parts = [p for p in found[1] if p not in _LEGAL_FORM_PARTS]
        if len(parts) < 2 or all(p in _SEGMENT_GLUE for p in parts):
            return None
        return [(_trade_word_begun(p) or p) if k == len(parts) - 1 and p not in self._known else p
                for k, p in enumerate(parts)]

    def _split(self, token: str) -> list[str] | None:
        """A word written together ("dekkerincasso", "noordkaapincassobureau"): two or three known parts."""
        known = self._known
        n = len(token)
        for particle in _PARTICLES:  # "deboer" -> "de boer", "vanderberg" -> "van der berg"
            if token.startswith(particle) and token[len(particle):] in self.tokens and n - len(particle) >= 3:
                return [*particle_words(particle), token[len(particle):]]
        if n < 7:
            return None
        # A name run together with its trade word, written either way round ("HelderhorstIncasso",
        # "IncassobureauDekker"), whatever the name: the trade words are known.
        for i in range(3, n - 3):  # the longest trade word first ("Heijnen|Gerechtsdeurwaarders")
            head, tail = token[:i], token[i:]
            if tail in _FAMILY_OF and family_of(head) in (None, GENERIC) and (
                    len(tail) >= 7 or _FAMILY_OF[tail] in _TRADES):
                return [head, tail]  # (not "Snel|geld": a brand ends in a plain word as often)
        for i in range(n - 3, 4, -1):  # the longest trade word first ("Administratiekantoor|Havenmond")
            head, tail = token[:i], token[i:]
            if head in _FAMILY_OF and not family_of(tail):
                return [head, *(self._split(tail) or [tail])]
        for i in range(3, n - 2):
            head, tail = token[:i], token[i:]
            if (head in known and (tail in known or family_of(tail))
                    and (head in self.tokens or tail in self.tokens)):
                return [head, tail]
        for i in range(3, n - 5):
            head = token[:i]
            if head not in self.tokens:
                continue
            rest = self._split(token[i:])
            if rest is not None and len(rest) == 2:
                return [head, *rest]
        return None

    def words(self, tokens: tuple[str, ...], initials: frozenset[str] = frozenset()) -> Words:
        """The words of a name (``name_tokens``) with their roles and weights, spelling repaired."""
        key = (tokens, initials)
        found = self._words.get(key)
        if found is None:
            if len(self._words) > 200_000:
                self._words.clear()
            found = self._words[key] = self._read(tokens, initials)
        return found

    def _prepare(self, tokens: tuple[str, ...], initials: frozenset[str]) -> tuple[str, ...]:
        """Words a scanner mixed with digits read back ("R0b" -> "rob"), trade words as the list spells them
        ("mnaagement" -> "management"), and a place of several words as one ("den haag", "bergen op zoom")."""
        # A word broken by a scanner or a hyphen ("Invorderin gen", "Teuni-ssen"): joined when the whole
        # is known and the parts are not.
        joined: list[str] = []
        k = 0
        while k < len(tokens):
            if k + 1 < len(tokens) and tokens[k] not in initials and tokens[k + 1] not in initials:
                whole = tokens[k] + tokens[k + 1]
                if ((whole in self.tokens or whole in _FAMILY_OF) and not (
                        tokens[k] in self._known and tokens[k + 1] in self._known)):
                    joined.append(whole)
                    k += 2
                    continue
            joined.append(tokens[k])
            k += 1
        tokens = tuple(joined)
        prepared = []
        for token in tokens:
            if token.isalpha() and token not in self._known and ("cl" in token or "rn" in token or "vv" in token):
                reading = ocr_fold(token)  # "cle" -> "de", "clen" -> "den"
                if reading in self._known or reading in CLUTTER or reading in GIVEN_NAMES:
                    token = reading
            if token.isalpha() and token not in self._known and len(token) >= 4:
                for reading in (_DOUBLES.sub(r"\1", token), *_c_for_e(token)):
                    # A letter typed twice ("Zuidd"), a scanner's c for e ("Vordcringcn").
                    if reading != token and (reading in self._known or descriptor(reading)):
                        token = reading
                        break
            if token not in initials and not token.isalpha() and not token.isdigit() and sum(
                    c.isalpha() for c in token) >= len(token) / 2:
                # A scanner's digits in a word ("R0b", "Westcrm0nd"): letters, the known reading if any.
                readings = (token.translate(_OCR_I), token.translate(_OCR_L))
                token = next((r for r in readings if r in self._known or r in GIVEN_NAMES or r in SURNAMES),
                             readings[0])
            if token not in initials and token not in self.tokens:
                token = descriptor(token) or token
            if len(token) == 2 and token not in self._known and token not in initials:
                for k, letter in enumerate(token):
                    for pair in _MISREAD:
                        if letter in pair and len(pair) == 2:
                            other = next(iter(pair - {letter}))
                            candidate = token[:k] + other + token[k + 1:]
                            if candidate in CLUTTER:  # "dc" -> "de"
                                token = candidate
            prepared.append(token)
        last = prepared[-1] if prepared else ""
        if (3 if len(prepared) < 3 else 2) <= len(last) < 30 and last not in self._known and last not in initials \
                and len(prepared) > 1:
            # The last word cut off by a form: a trade word begun ("Credit Manag", "Incasso Gro").
            begun = _trade_word_begun(last)
            if begun:
                prepared[-1] = begun
        text = " ".join(prepared)
        if any(first in text for first in _MULTI_PLACE_FIRST):
            for phrase in MULTI_WORD_PLACES:
                if phrase in text:
                    text = re.sub(rf"\b{phrase}\b", phrase.replace(" ", ""), text)
            prepared = text.split()
        return tuple(prepared)

    def _read(self, tokens: tuple[str, ...], initials: frozenset[str]) -> Words:
        tokens = self._prepare(tokens, initials)
        # Words run together split first ("SmitsCredit Management" -> "smits credit management"), so that
        # the parts can join what follows ("credit management" -> "creditmanagement").
        split: list[str] = []
        for token in tokens:
            if token[:2] in ("el", "al") and token not in self._known and token[2:] in self._known:
                split.extend((token[:2], token[2:]))  # "Elidrissi" for "El Idrissi"
                continue
            parts = (self._split(token) if token not in self._known and len(token) >= 5 and token not in initials
                     and token not in self.places and not self.near_known(token) else None)
            # ("Noordwijk" is no "Noord Wijk", "Venbaken" is a misspelt "Veenbaken", not "Ven Baken")
            if ((parts is None or any(p not in self._known for p in parts)) and len(token) >= 10
                    and token not in self._known and token not in self.places and token.isalpha()
                    and not descriptor(token)):
                parts = self._segment(token) or parts
            split.extend(parts or [token])
        if len(split) != len(tokens):
            tokens = tuple(split)
            initials = frozenset(t for t in initials if t in tokens)
        repaired: list[tuple[str, bool]] = []
        i = 0
        known = self.tokens
        while i < len(tokens):
            token = tokens[i]
            if i + 1 < len(tokens) and len(token) >= 3 and len(tokens[i + 1]) >= 3:
                pair = token + tokens[i + 1]
                # Two words written apart that the register writes as one ("Zuider Licht", "Credit Management");
                # never a word with an article or "en" ("Willems en" is not "Willemsen").
                if (pair in _FAMILY_OF or pair in _JOINED_PLACES or (pair in known and not (
                        self.weights.is_stopword(token) or self.weights.is_stopword(tokens[i + 1]))
                        and (token not in known or tokens[i + 1] not in known
                             or self.weights.document_frequency(pair) > 0))):
                    repaired.append((pair, False))
                    i += 2
                    continue
            if (token not in self._known and len(token) >= 5 and token not in initials and token not in self.places
                    and not self.near_known(token)):
                parts = self._split(token)
                if parts:
                    repaired.extend((p, False) for p in parts)
                    i += 1
                    continue
            repaired.append((token, token in initials))
            i += 1
        words = []
        seen: set[str] = set()

        def is_core(token: str, is_initials: bool) -> bool:
            return not (is_initials or token in CLUTTER or family_of(token) or token in self.places
                        or token in GIVEN_NAMES or self.weights.is_stopword(token))

        cores = sum(1 for t, ini in repaired if is_core(t, ini))
        promoted = False
        # Next to "en" ("Janssen & Steenbergen"), a place name is a partner's surname.
        texts = [t for t, _ini in repaired]
        partners = {texts[k + d] for k, t in enumerate(texts) if t == "en" for d in (-1, 1)
                    if 0 <= k + d < len(texts)}
        previous = ""
        for token, is_initials in repaired:
            after_particle, previous = previous in _SURNAME_PARTICLES, token
            if (token in CLUTTER and not is_initials) or (token in seen and not is_initials and token not in partners):
                # A word written twice ("Janssen, mr. E. Janssen") says nothing more; two partners of one
                # surname ("Janssen & Janssen") are two.
                continue
            seen.add(token)
            family = None if is_initials else family_of(token)
            if is_initials:
                words.append(Word(token, INITIALS, INITIALS_WEIGHT))
            elif family is not None:
                spelled = descriptor(token) or token
                words.append(Word(spelled, DESCRIPTOR, DESCRIPTOR_WEIGHT[family], family))
            elif self.weights.is_stopword(token):
                continue
            elif token in self.places and (cores or promoted) and token not in partners and not after_particle:
                # (After "van", "de", "ter" a place is a surname: "Van Houten", "Van Zwolle".)
                words.append(Word(token, PLACE, self.weights.weight(token) ** 2))
            elif token in GIVEN_NAMES and cores:
                words.append(Word(token, GIVEN, GIVEN_WEIGHT))
            else:
                # A name of places only ("Heuvelrug Utrecht Oost"): its first place is what names the firm.
                promoted = promoted or token in self.places
                words.append(Word(token, CORE, self.weights.weight(token) ** 2))
        found = Words(words, self.morphology)
        found.acronyms = _acronyms(found, tokens)
        found.partners = frozenset(t for t in partners if t in found.texts)
        return found


# --- one name against another ------------------------------------------------------------------------------

@dataclass
class Comparison:
    score: float
    agreed: list[tuple[str, str, str]] = field(default_factory=list)  # (signal word, party word, how)
    signal_only: list[str] = field(default_factory=list)
    party_only: list[str] = field(default_factory=list)
    conflict: str | None = None  # Dutch: why the names cannot be one firm
    core_agrees: bool = False  # every core word of both names has its counterpart
    core_typo: bool = False  # a core word agrees only as a typo (or a longer word): plausible, not sure
    # The signal's own words only resemble the party's and its trade words are others (Dutch, and those
    # words): another firm if others write the name that way too (``Comparison.attested``).
    misspelt: tuple[str, frozenset[str]] | None = None

    def attested(self, spellings: frozenset[str]) -> Comparison:
        """This comparison knowing which spellings signals from several sources share: a slip of the pen is
        not repeated by others, a name is. A name that only resembles the party's, written so by others
        too, and with other trade words, is another firm's."""
        if self.misspelt is None or not (self.misspelt[1] & spellings):
            return self
        return dataclasses.replace(self, conflict=self.misspelt[0], score=min(self.score, CONFLICT_CAP),
                                   misspelt=None)

    def words_line(self) -> str:
        parts = []
        if self.agreed:
            parts.append("gelijke woorden: " + ", ".join(
                a if how == EQUAL else f"{a}/{b} ({how})" for a, b, how in self.agreed))
        if self.signal_only:
            parts.append("alleen in het signaal: " + ", ".join(self.signal_only))
        if self.party_only:
            parts.append("alleen in het register: " + ", ".join(self.party_only))
        return "; ".join(parts)


CONFLICT_CAP = 60.0  # names that contradict each other never decide, nor leave a person in doubt


def _pair_similarity(a: Word, b: Word) -> tuple[float, str]:
    if a.role == DESCRIPTOR or b.role == DESCRIPTOR:
        if a.family is not None and a.family == b.family:
            # Of one trade, but another word: a name written exactly still beats it. One begun as the
            # other ("Debiteuren" / "Debiteurenbeheer") is nearly the same word.
            if a.text == b.text:
                return 1.0, EQUAL
            if a.text.startswith(b.text) or b.text.startswith(a.text):
                return 0.95, CUT
            if a.family == GENERIC:
                # Words that say nothing of the trade ("Holland", "Nederland", "Services", "Partners") are
                # no synonyms of each other ("Zn" and "Zonen" excepted): the same word misspelt, or another.
                if _GENERIC_SAME.get(a.text, a.text) == _GENERIC_SAME.get(b.text, b.text):
                    return 0.95, SAME_KIND
                return word_similarity(a.text, b.text)
            return 0.8, SAME_KIND
        if a.role == DESCRIPTOR and b.role == DESCRIPTOR:
            return 0.0, ""
    if a.role in (INITIALS, GIVEN) or b.role in (INITIALS, GIVEN):
        if a.text == b.text:
            return 1.0, EQUAL
        if a.role == INITIALS or b.role == INITIALS:
            initials, other = (a, b) if a.role == INITIALS else (b, a)
            # An initial stands for a given name, never for a surname ("B. Hoogendoorn" is not
            # "Bruggink-Hoogendoorn").
            if other.text.startswith(initials.text[0]) and (other.role == GIVEN or (
                    len(initials.text) == 1 and other.text in GIVEN_NAMES)):
                return (0.9 if len(initials.text) == 1 else 0.8), INITIAL  # "B.C." for "Bart"
            return 0.0, ""
        if a.role == GIVEN and b.role == GIVEN:
            return 0.0, ""  # another given name: another person
    return word_similarity(a.text, b.text)


def _initials_runs(initials: Word, others: Sequence[Word], taken: set[int], *,
                   roles: tuple[str, ...] = (CORE, PLACE, GIVEN)) -> list[int] | None:
    """Positions of consecutive words whose first letters are these initials ("jp" -> Jan Pieter; an
    acronym: "lcc" -> Lentepoort Credit Control)."""
    letters = initials.text
    n = len(letters)
    if n < 2:
        return None
    for start in range(len(others) - n + 1):
        span = range(start, start + n)
        if all(j not in taken and others[j].role in roles and others[j].text[0] == letters[k]
               for k, j in enumerate(span)):
            return list(span)
    return None


NAMED_ROLES = (CORE, PLACE, GIVEN, INITIALS)


def _acronyms(words: Words, tokens: tuple[str, ...]) -> dict[str, bool]:
    """What a name is abbreviated to, each with whether the trade words are in it: the first letters of
    all its words ("Lentepoort Credit Control" -> "lcc"), of the words that name it ("Willem Mulder Incasso
    Groep" -> "wm"), and of every word as written, "de" and "van" too ("Sanne de Boer Incasso Groep" ->
    "sdbig")."""
    found: dict[str, bool] = {}

    def add(letters: str, with_trade: bool) -> None:
        if 2 <= len(letters) <= 6 and letters not in found:
            found[letters] = with_trade

    add("".join(w.text[0] for w in words if w.role in NAMED_ROLES), False)
    raw = [t for t in tokens if t != "en"]
    for letters in ("".join(w.text[0] for w in words), "".join(t[0] for t in raw),
                    "".join(t[0] for t in raw if not family_of(t))):
        if len(letters) >= 3:  # two letters with a trade word stand for too many names ("WC" Incasso)
            add(letters, True)
    return found


def acronyms(words: Words) -> set[str]:
    return set(getattr(words, "acronyms", {}) or {})


def _unmatched_weight(word: Word, core_factor: float, families: frozenset[str] = frozenset(), *,
                      persons_named: bool = True) -> float:
    """What a word only one name has costs: a place or a person's given name or initials little (an office
    is named after its bailiff's surname, a letter adds the town), a trade word the name already has in
    another form little, a distinctive word its weight."""
    if word.role == PLACE:
        return PLACE_EXTRA_WEIGHT
    if word.role == DESCRIPTOR and word.family in families:
        return word.weight / 5
    if word.role == GIVEN:
        return word.weight / 3
    if word.role == INITIALS:
        # Initials stand for a person's given names: against a name with other given names they count; a
        # name without any (an office named after its lawyer, "De Bruin Advocaten") cannot say.
        return word.weight if persons_named else word.weight / 3
    return word.weight * core_factor if word.role == CORE else word.weight


@lru_cache(maxsize=1 << 17)
def compare(a: Words, b: Words, party_places: frozenset[str] = frozenset()) -> Comparison:
    """Align the words of a signal's name (``a``) with a party's (``b``); score 0-100."""
    if not a or not b:
        return Comparison(0.0)
    morphology = a.morphology or b.morphology
    a_match: dict[int, tuple[int, float, str]] = {}
    b_match: dict[int, tuple[int, float, str]] = {}
    # Initials that stand for several first names.
    if a.has_initials or b.has_initials:
        for side, other, mine, theirs in ((a, b, a_match, b_match), (b, a, b_match, a_match)):
            for i, word in enumerate(side):
                if word.role == INITIALS and i not in mine:
                    run = _initials_runs(word, other, set(theirs))
                    if run:
                        mine[i] = (run[0], 0.9, INITIAL)
                        for j in run:
                            theirs[j] = (i, 0.9, INITIAL)
    # Equal words first (most are), then the rest pair by pair.
    for i, text in enumerate(a.texts):
        if i not in a_match:
            for j in b.positions.get(text, ()):
                if j not in b_match:
                    a_match[i] = (j, 1.0, EQUAL)
                    b_match[j] = (i, 1.0, EQUAL)
                    break
    pairs = []
    b_open = [j for j in range(len(b)) if j not in b_match]
    for i, wa in enumerate(a):
        if i in a_match or not b_open:
            continue
        for j in b_open:
            wb = b[j]
            sim, how = _pair_similarity(wa, wb)
            if how in (TYPO, OTHER_LETTER, SOUND) and morphology is not None and morphology.other_part(wa.text, wb.text):
                sim, how = 0.0, ""  # "Stormkamp" is not "Stormkaap"
            if how in (TYPO, OTHER_LETTER, CUT) and wa.text in SURNAMES and wa.role != DESCRIPTOR:
                sim, how = 0.0, ""  # "Wolters" is a name of its own, not "Wouters" mistyped
            if how == CUT:
                # A form cuts a name off at its end ("Incassobureau Noordk"); a longer word elsewhere is
                # more likely another word ("Noordkaapweg" / "Noordkaap"); a longer word in the signal is
                # another word ("Dijkstra" / "Dijk").
                if len(wa.text) >= len(wb.text) and wa.role != DESCRIPTOR:
                    sim, how = 0.0, ""
                elif (wa.role != DESCRIPTOR and morphology is not None and morphology.completions(wa.text) > 1
                      and not _core_equal_besides(a, b, i)):
                    sim = AMBIGUOUS_CUT
                else:
                    sim = 0.9 if i == len(a) - 1 else 0.75
            if sim > 0:
                pairs.append((sim, wa.weight + wb.weight, i, j, how))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    for sim, _w, i, j, how in pairs:
        if i in a_match or j in b_match:
            continue
        a_match[i] = (j, sim, how)
        b_match[j] = (i, sim, how)
    # The last word cut off by a form ("Administratiekantoor Haar", "Stormborg Credit Man").
    last = len(a) - 1
    if last not in a_match and len(a[last].text) >= (3 if len(a) < 3 else 2) and a[last].role == CORE:
        for j, w in enumerate(b):
            if j not in b_match and len(w.text) > len(a[last].text) and w.text.startswith(a[last].text):
                sure = (AMBIGUOUS_CUT if morphology is not None and morphology.completions(a[last].text) > 1
                        and not _core_equal_besides(a, b, last) else 0.85)
                a_match[last] = (j, sure, CUT)
                b_match[j] = (last, sure, CUT)
                break
    # A short word left over may be the other name abbreviated, as a whole ("LCC", "WM Incasso Groep").
    b_acronyms = getattr(b, "acronyms", None) or {}
    for i, word in enumerate(a):
        if i not in a_match and word.role in (CORE, INITIALS) and word.text in b_acronyms:
            covered = [j for j, w in enumerate(b) if j not in b_match
                       and (w.role in NAMED_ROLES or (b_acronyms[word.text] and w.role == DESCRIPTOR))]
            if covered:
                sure = 0.92 if len(word.text) >= 4 else 0.85
                a_match[i] = (covered[0], sure, ACRONYM)
                for j in covered:
                    b_match[j] = (i, sure, ACRONYM)
    # Words run together on one side and apart on the other, beyond what the vocabulary repaired.
    a_rest = [i for i in range(len(a)) if i not in a_match and a[i].role in (CORE, PLACE, DESCRIPTOR)]
    b_rest = [j for j in range(len(b)) if j not in b_match and b[j].role in (CORE, PLACE, DESCRIPTOR)]
    if a_rest and b_rest and len(a_rest) + len(b_rest) > 2:
        joined_a = "".join(a[i].text for i in a_rest)
        joined_b = "".join(b[j].text for j in b_rest)
        sim, how = word_similarity(joined_a, joined_b)
        if sim >= 0.92:
            sim = 0.97 if how == EQUAL else sim
            for i in a_rest:
                a_match[i] = (b_rest[0], sim, JOINED)
            for j in b_rest:
                b_match[j] = (a_rest[0], sim, JOINED)
    # A place in the signal's name that is the party's own address explains itself, unless the party's
    # name holds another place ("Ouwehand Helmond" is not "Ouwehand Roosendaal", wherever that one sits).
    explained: set[int] = set()
    if not any(j not in b_match and w.role == PLACE for j, w in enumerate(b)):
        explained = {i for i, w in enumerate(a) if i not in a_match and w.role in (PLACE, CORE)
                     and w.text in party_places}

    b_persons = any(w.role in (GIVEN, INITIALS) for w in b)
    matched_families = frozenset(a[i].family for i in a_match if a[i].family) | frozenset(
        b[j].family for j in b_match if b[j].family)
    got = total = 0.0
    agreed: list[tuple[str, str, str]] = []
    for i, word in enumerate(a):
        weight = word.weight
        if i in a_match:
            j, sim, how = a_match[i]
            got += weight * sim
            total += weight
            if how in (INITIAL, ACRONYM) and b[j].role != INITIALS:
                agreed.append((word.text, " ".join(w.text for k, w in enumerate(b) if b_match.get(k, (None,))[0] == i),
                               how))
            else:
                agreed.append((word.text, b[j].text, how))
        elif i in explained:
            got += PLACE_EXTRA_WEIGHT
            total += PLACE_EXTRA_WEIGHT
            agreed.append((word.text, word.text, "plaats van vestiging"))
        elif word.role == GIVEN and not b_persons and not a.families:
            # A person's name only ("Mohamed de Bruin"): the person, not a firm of that surname.
            total += word.weight * PERSON_NAMED
        else:
            total += _unmatched_weight(word, SIGNAL_EXTRA, matched_families, persons_named=b_persons)
    # A bailiff or lawyer is written by their own name and profession ("deurwaarder Stam", "Luijten advocaat
    # te Emmen") for an office of partners ("Stam & Hofstede Gerechtsdeurwaarders").
    partner_named = PARTNER_NAMED if a.families & b.families & PROFESSIONS else SIGNAL_EXTRA
    # (Offices of bailiffs and lawyers are named after their partners, with "&" or without.)
    b_partners = b.partners | (frozenset(w.text for w in b if w.role == CORE) if b.families & PROFESSIONS
                               else frozenset())
    for j, word in enumerate(b):
        if j in b_match:
            _i, sim, _how = b_match[j]
            got += word.weight * sim
            total += word.weight
        else:
            # A partner left out of a partnership's name ("Wolters" for "Van den Berg & Wolters") weighs as
            # much as a word added: the name of the firm is the partners together.
            total += _unmatched_weight(word, partner_named if word.text in b_partners else 1.0, matched_families)
    score = 100.0 * got / total if total else 0.0

    a_only = [a[i] for i in range(len(a)) if i not in a_match and i not in explained]
    b_only = [b[j] for j in range(len(b)) if j not in b_match]
    conflict = _conflict(a, b, a_only, b_only)
    if conflict is None and any(w.role == CORE and w.text in b.partners for w in b_only) and not any(
            a[i].role == DESCRIPTOR and how == EQUAL for i, (_j, _sim, how) in a_match.items()) and not (
            b.families & PROFESSIONS):  # (a bailiff or lawyer is written by the partner's own name)
        # One partner of a partnership, with other trade words: another firm of that partner's name.
        conflict = f"de naam in het register noemt ook {', '.join(w.text for w in b_only if w.text in b.partners)}"
    if conflict:
        score = min(score, CONFLICT_CAP)
    core_agrees = not any(w.role == CORE for w in a_only) and not any(
        w.role == CORE and not (partner_named == PARTNER_NAMED and w.text in b_partners) for w in b_only) and any(
        w.role in (CORE, PLACE) for w in a)
    core_typo = any(how in (OTHER_LETTER, CUT) and a[i].role == CORE for i, (_j, _sim, how) in a_match.items())
    return Comparison(score=score, agreed=agreed, signal_only=[w.text for w in a_only],
                      party_only=[w.text for w in b_only], conflict=conflict, core_agrees=core_agrees,
                      core_typo=core_typo, misspelt=None if conflict else _misspelt_and_other_trade_word(a, b, a_match))


# (Not as heard: people who hear a name write it alike.)
_NEAR_SPELLINGS = frozenset({TYPO, SCAN, OTHER_LETTER, DOUBLE})


def _misspelt_and_other_trade_word(a: Words, b: Words, a_match: dict[int, tuple[int, float, str]],
                                   ) -> tuple[str, frozenset[str]] | None:
    """Two differences at once: every word that names the firm only resembles the party's ("Quantia" /
    "Quantvia", "Beneia" / "Beneix") and the trade is said in other words ("Incasso Service" / "Credit
    Control"). Either alone is how people write one firm; both together, written so by several, is how a
    market of coined names looks."""
    cores = [(i, a_match.get(i)) for i, w in enumerate(a) if w.role == CORE]
    if not cores or any(m is None or m[2] not in _NEAR_SPELLINGS for _i, m in cores):
        return None
    trade = [(a[i], b[j], how) for i, (j, _sim, how) in a_match.items()
             if a[i].role == DESCRIPTOR and a[i].family not in (None, GENERIC)]
    if not trade or any(how != SAME_KIND for _wa, _wb, how in trade):
        return None
    named = ", ".join(f"{a[i].text}/{b[m[0]].text}" for i, m in cores if m is not None)
    other = ", ".join(f"{wa.text}/{wb.text}" for wa, wb, _how in trade)
    return (f"de naam lijkt alleen op die van de partij ({named}), wordt door meer melders zo geschreven en "
            f"noemt het bedrijf anders ({other})", frozenset(a[i].text for i, _m in cores))


def _core_equal_besides(a: Words, b: Words, i: int) -> bool:
    """Whether another word that names the firm is written as the party writes it: then a word cut off
    ("Kartosen & Ja") is this party's, however many words it begins."""
    return any(k != i and w.role == CORE and w.text in b.positions for k, w in enumerate(a))


def _anyones(words: Words) -> bool:
    """A name without a word of its own: trade words, places and everyday words only."""
    return not any((w.role == CORE and w.text not in COMMON_WORDS) or w.role == INITIALS for w in words)


def _conflict(a: Words, b: Words, a_only: list[Word], b_only: list[Word]) -> str | None:
    if (a_only or b_only) and _anyones(a) and _anyones(b):
        # A name of trade words and places only ("Holland Incasso Nederland", "Incassodienst Holland") is
        # any firm's: only the same words, all of them, say it is this one.
        return (f"een naam van alleen algemene woorden, en die verschillen: "
                f"{', '.join(w.text for w in (*a_only, *b_only))}")
    fa, fb = a.families, b.families
    if fa and fb and not (fa & fb):
        # "Incassobureau De Groot" is not "Juridisch Adviesbureau De Groot", nor "Bakker Advocaten".
        return (f"de naam duidt op een ander soort bedrijf ({', '.join(sorted(fa))}) dan "
                f"{', '.join(sorted(fb))}")
    if fa and fb & PROFESSIONS and not fa & PROFESSIONS:
        # A bailiff's or lawyer's office is named by its profession: a collector's name without it is
        # another firm ("G. van Loon Schuldbeheer" is not "Van Loon Advocatuur & Incasso").
        return f"de naam noemt geen {', '.join(sorted(fb & PROFESSIONS))}, de vrijgestelde wel"
    a_generic = [w for w in a_only if w.role == DESCRIPTOR]
    b_generic = [w for w in b_only if w.role == DESCRIPTOR]
    if (a_generic and b_generic and all(w.family == GENERIC for w in a_generic + b_generic)
            and not any(w.role == DESCRIPTOR for w in a if w not in a_generic)
            and all(w.text in SURNAMES for w in a if w.role == CORE)):
        # "Mulder Consultancy" is not "Mulder Holding": a common surname with other words beside it.
        return (f"andere woorden naast de achternaam: {', '.join(w.text for w in a_generic)} tegenover "
                f"{', '.join(w.text for w in b_generic)}")
    a_core = [w for w in a_only if w.role == CORE and w.weight >= 0.15]
    b_core = [w for w in b_only if w.role == CORE and w.weight >= 0.15]
    if a_core and b_core:
        return f"andere woorden in de naam: {', '.join(w.text for w in a_core)} tegenover {', '.join(w.text for w in b_core)}"
    # (Collection words do not count: every registered party collects, "X Juristen" writes "X Incasso
    # Juristen"; nor a bailiff's "afd. Incasso".)
    added = {w.family for w in a_only if w.role == DESCRIPTOR and w.family in _TRADES} - fb - {COLLECTION}
    if added:
        # "Prins Juristen & Incasso" is not "Prins Incasso", "Dexatis Juridisch Incasso" not "Dexatis B.V.",
        # "Engels Incasso & Rechtshulp" not "Engels Beheer": a trade the registered name does not carry.
        return f"de naam in het signaal noemt ook een ander soort bedrijf ({', '.join(sorted(added))})"
    a_core = [w for w in a_only if w.role == CORE and len(w.text) >= 3]
    if a_core and any(w.role == CORE for w in a if w not in a_core):
        # A name shortened is one name ("Mulder" for "Mulder & Visser Incasso"); a name with a partner's
        # surname or another word added is another firm ("Brouwer & De Jong Incasso" is not "Brouwer Incasso").
        return f"de naam in het signaal heeft ook {', '.join(w.text for w in a_core)}"
    a_person = [w for w in a_only if w.role in (GIVEN, INITIALS)]
    b_person = [w for w in b_only if w.role in (GIVEN, INITIALS)]
    if a_person and b_person and not any(x.text[0] == y.text[0] for x in a_person for y in b_person):
        return f"andere voornaam of voorletters: {a_person[0].text} tegenover {b_person[0].text}"
    a_place = [w for w in a_only if w.role == PLACE]
    b_place = [w for w in b_only if w.role == PLACE]
    if a_place and b_place:
        return f"andere plaats in de naam: {a_place[0].text} tegenover {b_place[0].text}"
    return None
