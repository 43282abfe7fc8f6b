"""Normalisation of what a signal says about a collector, so that it can be compared with the register.

Pure functions (no Flask, no database), cheap enough to run for every signal and every register entry:

- Names: case folded, diacritics and punctuation dropped, "&" and "+" read as "en", legal forms
  (B.V., N.V., V.O.F., Stichting, ...) removed wherever they stand, and initials joined ("A.B.C." -> "abc"),
  because people write the same firm with and without those. Word order is kept: reordering is the fuzzy
  matcher's business. Common words ("incasso", "bureau", ...) are weighed by ``TokenWeights``.
- KvK numbers: prefixes and separators stripped; exactly 8 digits (7 are zero-padded, see ``normalise_kvk``).
- IBANs: compacted and upper-cased; a failed checksum keeps the value as written, marked invalid.
- Phone numbers: Dutch numbers to national digits ("0201234567"), foreign ones to E.164.
- Websites and e-mail addresses: the registrable domain (offline public suffix list), since a firm's
  sub-domains, paths and "www." say nothing about who it is; free-mail domains link nobody.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import phonenumbers
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from wki.core.iban import iban_is_valid
from wki.signals.given_names import GIVEN_NAMES, SURNAMES
from wki.signals.places import PLACES

if TYPE_CHECKING:
    from tldextract.tldextract import ExtractResult

__all__ = [
    "FREE_MAIL_DOMAINS",
    "NOISE_WORDS",
    "Iban",
    "TokenWeights",
    "email_address",
    "email_domain",
    "fold",
    "is_free_mail",
    "legal_form",
    "name_alternatives",
    "name_readings",
    "name_initials",
    "name_tokens",
    "normalise_iban",
    "normalise_kvk",
    "normalise_name",
    "normalise_phone",
    "normalise_vestiging",
    "registrable_domain",
]

# ---------------------------------------------------------------- folding

# Before NFKD: typographic apostrophes and the acute accent used as one (NFKD turns "´" into a space).
_PRE_NFKD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u0060": "'"})
# After NFKD: drop non-spacing marks (é -> e, ë -> e), and spell out letters that NFKD does not decompose.
_AFTER_NFKD: dict[int, str | None] = {
    c: None for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) == "Mn"
}
_SPELLED_OUT: dict[str, str | None] = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_AFTER_NFKD.update(str.maketrans(_SPELLED_OUT))
# On every text: "&" and "+" read as "en"; apostrophes dropped ("'t Hooft" -> "t hooft").
_SYMBOLS = str.maketrans({"&": " en ", "+": " en ", "'": None, "`": None})
_WORD = re.compile(r"[^\W_]+")


_MOJIBAKE = ("Ã", "Â", "â€", "Ã©", "Ã«", "Å", "Ä")


def repair_mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252 and saved again ("CafÃ© Incasso" -> "Café Incasso"), as partners' files
    sometimes are; anything else unchanged."""
    if not any(mark in text for mark in _MOJIBAKE):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


def _prefold(text: str) -> str:
    """Case folded, diacritics removed, "&"/"+" spelled "en", apostrophes dropped; other punctuation kept."""
    if "&" in text and ";" in text:
        text = html.unescape(text)  # "Dijkstra &amp; Haverkamp" from a web form or an export
    text = repair_mojibake(text).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_PRE_NFKD)).translate(_AFTER_NFKD)
    # str.translate looks up every character; most names hold none of these, and "in" is a memchr.
    if "&" in text or "+" in text or "'" in text or "`" in text:
        text = text.translate(_SYMBOLS)
    return text


def fold(text: str | None) -> str:
    """Lower case without diacritics or punctuation, whitespace collapsed: "Café 't Hoekje & Zn." -> "cafe t hoekje en zn"."""
    if not text:
        return ""
    return " ".join(_WORD.findall(_prefold(text)))


# ---------------------------------------------------------------- names and legal forms


def _letters(word: str) -> str:
    """A pattern for an abbreviation written with or without dots and spaces: "bv" -> b.v. / b v / bv / b. v."""
    return r"\.?\s*".join(word) + r"\.?"


# (pattern on pre-folded text, canonical form): spelled-out forms first, then the abbreviations, each written
# with or without dots and spaces. "i.o." (in oprichting) only with its dot, since "io" is too common a word
# part; it is removed from names but is no legal form of its own (canonical None).
_LEGAL_FORMS: tuple[tuple[str, str | None], ...] = (
    (r"besloten\s+vennootschap(?:\s+met\s+beperkte\s+aansprakelijkheid)?", "B.V."),
    (r"naamloze\s+vennootschap", "N.V."),
    (r"commanditaire\s+vennootschap", "C.V."),
    (r"vennootschap\s+onder\s+firma", "V.O.F."),
    (r"in\s+oprichting", None),
    (r"cooperatie(?:ve)?", "Coöperatie"),
    (r"stichting", "Stichting"),
    (r"vereniging", "Vereniging"),
    (r"eenmanszaak", "Eenmanszaak"),
    (r"gmbh(?:\s*(?:&|en)\s*co\.?\s*kg)?", "GmbH"),
    (r"ltd\.?", "Ltd"),
    (r"limited", "Ltd"),
    # Other countries' forms (those of one or two letters only at the end, where initials do not stand).
    (r"uab", "UAB"),
    (r"sp\.?\s*z\s*o\.?\s*o\.?", "Sp. z o.o."),
    (r"kft\.?", "Kft."),
    (r"llc", "LLC"),
    (r"llp", "LLP"),
    (r"sarl", "SARL"),
    (r"bvba", "BVBA"),
    (r"sprl", "SPRL"),
    (r"s\.\s*a\.?(?=\s*$)|sa(?=\s*$)", "S.A."),
    (r"s\.\s*l\.?(?=\s*$)", "S.L."),
    (r"s\.?\s*r\.?\s*l\.?(?=\s*$)", "SRL"),
    (r"s\.?\s*r\.?\s*o\.?(?=\s*$)", "s.r.o."),
    (r"sia(?=\s*$)", "SIA"),
    (r"ou(?=\s*$)", "OÜ"),
    (r"oy(?=\s*$)", "Oy"),
    (r"ag(?=\s*$)", "AG"),
    (r"inc\.?(?=\s*$)", "Inc."),
    (_letters("vof"), "V.O.F."),
    (_letters("bv"), "B.V."),
    (_letters("nv"), "N.V."),
    # As heard on the phone and typed ("bee-vee" as "bf", "en-vee" as "nf"): only where a form ends the name.
    (r"b\.?\s*f\.?(?=\s*$)", "B.V."),
    (r"n\.?\s*f\.?(?=\s*$)", "N.V."),
    (_letters("cv"), "C.V."),
    (_letters("ua"), "U.A."),
    (r"i\.\s*o\.?", None),
)
# A legal form is a word of its own: not glued to a letter or to a preceding abbreviation's dot, so that
# "Bvest" and the initials "J.B.V." are left alone, while "Incasso B.V.", "(B.V.)" and "B V" are not.
# Every form starts with a letter, so "\b(?<!\.)" means "not after a letter, digit or dot". The lookahead
# on the forms' first letters lets the engine give up at most word starts at once (2-3x faster).
_LEGAL_FORM = re.compile(
    r"\b(?=[" + "".join(sorted({pattern[0] for pattern, _ in _LEGAL_FORMS})) + r"])(?<!\.)(?:"
    + "|".join(f"({pattern})" for pattern, _ in _LEGAL_FORMS) + r")(?!\.?\w)"  # ("N.V.D." are initials)
)
# The words some legal form is made of: a name without any of them needs no look for legal forms.
_LEGAL_FORM_WORDS = frozenset({
    "b", "n", "c", "v", "u", "i", "bv", "nv", "cv", "vof", "ua", "stichting", "vereniging", "cooperatie",
    "cooperatieve", "eenmanszaak", "gmbh", "ltd", "vennootschap", "oprichting",
    "limited", "uab", "sp", "kft", "llc", "llp", "sarl", "bvba", "sprl", "sa", "s", "sia", "ou", "oy", "ag", "inc", "srl",
    "sro", "bf", "nf", "f",
})
# The Netherlands' own forms, and Belgium's that writers use for them ("BVBA" for a B.V.); any other says a
# legal entity of another country.
BENELUX_FORMS = frozenset({"B.V.", "N.V.", "V.O.F.", "C.V.", "Coöperatie", "Stichting", "Vereniging", "Eenmanszaak",
                           "U.A.", "BVBA", "SPRL"})
_CANONICAL = tuple(canonical for _, canonical in _LEGAL_FORMS)
# Forms that qualify another one ("Coöperatie U.A.") give way to it.
_QUALIFIERS = frozenset({"U.A."})


# What letters add around a collector's name and is no part of it: who it is for ("namens cliënt X", "i.o.v.
# X", "t.a.v. afdeling incasso", "(namens opdrachtgever)") and how it came ("Retour:", "Afzender:", "p/a").
_CLUTTER_WORDS = r"(?:afdeling|afd\.?|sectie|team|unit)\s+(?:incasso|invordering|debiteuren\w*)|namens|i\.?\s*o\.?\s*v\.?|in\s+opdracht\s+van|voor\s+rekening\s+van|ten\s+behoeve\s+van|t\.?\s*b\.?\s*v\.?|t\.?\s*a\.?\s*v\.?"
# ... and after the name: "X geloof ik", "X of zo", an e-mail address in angle brackets ("X <a@b.nl>").
# (Each alternative starts right after a character that is not a separator: a run of spaces is tried once,
# not from each of its positions, which made a long run of spaces cost cubic time.)
_HEDGE_TAIL = re.compile(r"(?<![\s,(\[])[\s,(\[]*(?:geloof\s+ik|denk\s+ik|of\s+zo(?:iets)?|ofzo|of\s+iets\s+dergelijks)"
                         r"\s*[)\]]?\s*$|(?<!\s)\s*<[^<>@]*@[^<>]*>")
_CLUTTER_TAIL = re.compile(r"(?:^|[\s,;:(\[-])(?:" + _CLUTTER_WORDS + r")(?=[\s.:]|$).*$")
_CLUTTER_BRACKETS = re.compile(r"[(\[][^)\]]*\b(?:namens|opdrachtgever|client|klant|schuldeiser|crediteur|dossier|"
                               r"kenmerk|ref)\b[^)\]]*[)\]]")
_CLUTTER_HEAD = re.compile(r"^\s*(?:(?:retour|afzender|van|aan|betreft|inzake|re|fw|fwd|incassant|incassobureau|"
                           r"naam\s+incassant)\s*:|"
                           # how people write on social media: "die gasten van X", "dat incassoburo van X"
                           r"(?:die|dat|deze|dit|zo\s*n|zon)\s+(?:gasten|lui|mensen|club|clubje|bedrijf|bureau|buro|"
                           r"incassobureau|incassoburo|incasso\s*buro|figuren|oplichters)(?:\s+van)?\b|p\s*/\s*a\b|per\s+adres\b|"
                           r"iets\s+met\b|(?:zoiets|iets)\s+als\b|"
                           # "naam onduidelijk op brief, iets als X"
                           r"(?:de\s+)?naam\s+(?:is\s+)?(?:onduidelijk|onleesbaar|slecht\s+leesbaar)(?:\s+op\s+(?:de\s+)?brief)?\s*,?\s*"
                           r"(?:(?:zoiets|iets)\s+als\b|iets\s+met\b)?|"
                           # a reporter's doubt: "ik weet het niet precies, iets met X", "volgens mij X"
                           r"ik\s+weet\s+(?:het\s+)?niet\s+(?:precies|zeker)\s*,?\s*(?:iets\s+met\s+|maar\s+)?|"
                           r"volgens\s+mij\b|ik\s+denk\b|waarschijnlijk\b|"
                           r"(?:met\s+)?(?:vriendelijke\s+)?groet(?:en)?\s*,|mvg\s*,?)\s*")


# Who called or wrote for the collector ("Wim namens X", "ene Gert van X", "meneer Wim van X"): the
# collector is what follows.
_CALLER = re.compile(r"^\s*((?:een\s+zekere|ene|een|zekere|meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de\s+heer|"
                     r"medewerk(?:er|ster))\s+)?([^\W\d_]+)\s+(namens|van|bij)\s+(?=(\S+))")
# The creditor before the collector ("ivm vordering van Evides via X", "vordering Vitens - X",
# "i.v.m. Basic-Fit: X", "KPN p/a X"): the collector is what follows the link.
_CREDITOR_FIRST = re.compile(r"^\s*(?:i\.?\s*v\.?\s*m\.?|inzake|betreft|vordering(?:en)?)\b.*?(?:\s(?:via|door)\s|\s[-–]\s|:\s*)")
# ... or just "Menzis via X".
_VIA = re.compile(r"^[^,;:()]{2,30}?\svia\s+(?=\S)")
# The creditor after the collector ("X inzake Riverty", "X B.V. INZAKE BUDGET ENERGIE").
_CREDITOR_AFTER = re.compile(r"\s+(?:inzake|i\.?\s*z\.?|ivm|i\.\s*v\.\s*m\.?)\s.*$")
# Who at the collector a letter is for, before the name: "T.a.v. Klantenservice, X".
_FOR_WHOM_FIRST = re.compile(r"^\s*t\.?\s*a\.?\s*v\.?\s+[^,;]*[,;]\s*(?=\S)")
# A bank's beneficiary for a client account: "Stichting Derdengelden X", "St. Derdengelden X", "Stg Derdengelden X".
_CLIENT_ACCOUNT = re.compile(r"^\s*(?:stichting|stg|st)\.?\s+(?:beheer\s+)?derdengelden\s+(?:van\s+)?")
# An address written after the name: "X, Dorpsstraat 66 B, Lelystad", "X Stationsweg 235 Utrecht", "X
# Laan van Nieuw Oost-Indie 40 Enschede": a street (a word ending as Dutch streets end, or a street word
# with what follows it) and a house number, then at most a place.
_STREET_END = (r"(?:straat|weg|laan|plein|kade|gracht|dijk|singel|vest|markt|hof|pad|steeg|dreef|boulevard|park|ring|"
               r"baan|plantsoen|dam|wal|kanaal|haven|oord|erf|veld|hoek|burgwal|polder)")
_STREET_ADDRESS = re.compile(
    r"(?:,\s*|\s+)(?:"
    r"(?:(?:oude|nieuwe|korte|lange|hoge|lage|kleine|grote|sint|st|burgemeester|burg|prins|prinses|koning|koningin|"
    r"dr|mr|president|generaal|van|de|der|den|ter)\s+)*[^\W\d_]{3,}" + _STREET_END
    + r"|(?:oude|nieuwe|korte|lange|hoge|lage)\s+" + _STREET_END
    + r"|(?:laan|weg|plein|kade|dreef|hof)\s+(?:van|der|de|den|ter|op)?(?:\s+[^\W\d_]+(?:-[^\W\d_]+)?){1,4})"
    r"\s+\d{1,5}(?:\s?[a-z]{1,2}\b|\s?-\s?\d{1,3})?(?:\s*[,-]?\s*(?:te\s+)?(?:[^\W\d_]+[\s-]?){0,4})?\s*$")
# "Besloten Vennootschap" cut short by a form ("X BESLOT", "X BESLOTEN VENNOO"): the legal form, not a word.
_FORM_CUT = re.compile(r"\s+(?:bes(?:l(?:o(?:t(?:en?)?)?)?)?(?:\s+v\w*)?|(?<!naamloze)(?<!commanditaire)(?<!firma)"
                       r"\s*venno(?!otschap\s*$)\w*)\s*$")
_POSTBUS = re.compile(r"[,;]?\s*(?:p\s*/\s*a\s+)?(?:postbus|pb)\s*\d+.*$")
_CARE_OF = re.compile(r"^.*?\sp\s*/\s*a\s+")


_BRACKETED_WORD = re.compile(r"\s*[(\[]\s*([^\W\d_]+)\s*[)\]]")


def _caller_in_brackets(match: re.Match[str]) -> str:
    """"Incassobureau Vlot (Kees)": the caller's first name in brackets is no part of the name."""
    return " " if match.group(1) in GIVEN_NAMES else match.group(0)


def _strip_clutter(text: str) -> str:
    """``text`` (pre-folded) without what letters add around the name; the name itself when that would
    leave nothing."""
    if "(" in text or "[" in text:
        text = _BRACKETED_WORD.sub(_caller_in_brackets, text)
    stripped = _CLUTTER_HEAD.sub("", _CLUTTER_BRACKETS.sub(" ", text))
    stripped = _FOR_WHOM_FIRST.sub("", _CLIENT_ACCOUNT.sub("", stripped))
    if any(c.isdigit() for c in stripped):
        stripped = _STREET_ADDRESS.sub("", stripped)
    if " bes" in stripped or " venno" in stripped:
        stripped = _FORM_CUT.sub("", stripped)
    # "X p/a Postbus 123": the address after the name goes first, then "KPN p/a X" leaves what follows.
    stripped = _CARE_OF.sub("", _POSTBUS.sub("", _CREDITOR_FIRST.sub("", stripped)))
    if " via " in stripped:
        stripped = _VIA.sub("", stripped)
    stripped = _CREDITOR_AFTER.sub("", stripped)
    caller = _CALLER.match(stripped)
    # "Jan van Dijk" is a name; "ene Gert van X", "Wim namens X" and "Martin bij X" are callers.
    # "Ronald van Zwolle Incasso" is a caller too: a first name from a place ("Zwolle Incasso B.V.").
    if caller and (caller.group(1) or caller.group(3) == "namens"
                   or (caller.group(2) in GIVEN_NAMES and (
                       caller.group(3) == "bij" or (caller.group(3) == "van" and caller.group(4) in PLACES)))):
        stripped = stripped[caller.end():]
    stripped = _CLUTTER_TAIL.sub("", _HEDGE_TAIL.sub("", stripped))
    return stripped if _WORD.search(stripped) else text


# Trade words written short with a dot ("Cr. Mgmt", "Fin. Serv.", "Jur. Incasso", "Deb.beheer", "Adv. kantoor"),
# and a few without ("Ptnrs"): written out before the words are read.
_SHORT = {"cr": "credit", "mgmt": "management", "mngt": "management", "mgt": "management", "man": "management",
          "fin": "financial", "serv": "services", "jur": "juridisch", "deb": "debiteuren", "beh": "beheer",
          "adm": "administratie", "admin": "administratie", "adv": "advocaten",
          "inv": "invorderingen", "coll": "collection", "ptnrs": "partners", "prtnrs": "partners",
          "mgmnt": "management", "dw": "deurwaarders", "gdw": "gerechtsdeurwaarders", "gerechtsdeurw": "gerechtsdeurwaarders",
          "deurw": "deurwaarders", "gerechtsdw": "gerechtsdeurwaarders", "cred": "credit", "ktr": "kantoor",
          "advocatenktr": "advocatenkantoor"}
_SHORT_WRITTEN = re.compile(r"\b(cr|cred|mgt|man|fin|serv|jur|deb|beh|adm|admin|adv|inv|coll|dw|gerechtsdeurw|gerechtsdw|deurw|"
                            r"ktr|advocatenktr)\.\s*"
                            r"|\b(ptnrs|prtnrs|mgmt|mngt|mgmnt)\b\.?")


def _written_out(match: re.Match[str]) -> str:
    return _SHORT[match.group(1) or match.group(2)] + " "


# "Van" as heard and typed: "Fan der Veen", "Fan Oosten & Buitenhuis" (at the start, or before a particle).
_HEARD_VAN = re.compile(r"(?:^|(?<=\s))fan(?=\s+(?:de|der|den|het|t|ter|ten)\s)|^fan(?=\s+[a-z]{3,})")
# "Koning & Vermeulen CM", "Solidus CM Holland": credit management, after the firm's own name.
_CM = re.compile(r"(?<=[a-z] )cm\b\.?")
_VAN = re.compile(r"(?<![\w.])v\.\s*(?=[A-Z])")  # "v. Leeuwen": the tussenvoegsel, lower case, before a name
# What a scanner does to a name, read back before the case is folded: a capital I for an l ending a word
# ("Van der WaI"), a legal form run into the name ("TrinaraB.V."), a zero for the O of a form ("V.0.F.").
_SCANNED_I = re.compile(r"(?<=[a-z])I\b")  # (inside a word it begins the next: "VereraInvorderingen")
_FORM_RUN_IN = re.compile(r"(?<=[a-z])(?=(?:B\.\s?V|N\.\s?V|V\.\s?O\.\s?F|C\.\s?V)\.?(?![\w]))")
_FORM_ZERO = re.compile(r"(?<=\b[A-Z]\.)0(?=\.)")


_LOST_LETTER = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")


def _scanned(name: str) -> str:
    if "?" in name:  # a letter an export could not write ("JIM?NEZ", "FINANCI?LE"): left out
        name = _LOST_LETTER.sub("", name)
    if "I" in name:
        name = _SCANNED_I.sub("l", name)
    if "." in name:
        name = _FORM_ZERO.sub("O", _FORM_RUN_IN.sub(" ", name))
    return name


@lru_cache(maxsize=1 << 17)
def _name_parts(name: str) -> tuple[tuple[str, ...], frozenset[int]]:
    """The name's tokens, and the positions of those joined from single letters (initials, "A.B.C.")."""
    if "v." in name:
        name = _VAN.sub("van ", name)
    text = _strip_clutter(_prefold(_scanned(name)))
    if "." in text or "tnrs" in text or "mg" in text:
        text = _SHORT_WRITTEN.sub(_written_out, text)
    if "fan" in text:
        text = _HEARD_VAN.sub("van", text)
    if " cm" in text:
        text = _CM.sub("credit management", text)
    tokens = _WORD.findall(text)
    if not _LEGAL_FORM_WORDS.isdisjoint(tokens):
        tokens = _WORD.findall(_LEGAL_FORM.sub(" ", text))
    if min(map(len, tokens), default=0) != 1:
        return tuple(tokens), frozenset()
    # Join runs of single letters: initials written "A.B.C." or "A B C" are one word, "abc". A run that
    # ends in "v d" is the tussenvoegsel "van der" written short ("J. v.d. Berg"), not an initial.
    joined: list[str] = []
    initials: set[int] = set()
    run = ""

    def flush(following: str | None = None) -> None:
        nonlocal run
        # ("N.V.D. Incasso" are initials: no surname follows the "v.d.")
        if run.endswith("vd") and following is not None and following not in NOISE_WORDS:
            if len(run) > 2:
                initials.add(len(joined))
                joined.append(run[:-2])
            joined.extend(("van", "der"))
        elif run:
            initials.add(len(joined))
            joined.append(run)
        run = ""

    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        flush(token)
        joined.append(token)
    flush()
    return tuple(joined), frozenset(initials)


# One firm under two names: "X B.V. h.o.d.n. Y", "X (handelend onder de naam Y)", "X, voorheen Y", "X v/h Y".
_ALSO_NAMED = re.compile(
    r"[\s,;:(\[]+(?:mede\s+|tevens\s+|ook\s+)?(?:t\.?\s*)?(?:h\.?\s*o\.?\s*d\.?\s*n\.?|h\s*/\s*o\s*/\s*d\s*/\s*n|"
    r"handelend(?:e)?\s+onder\s+(?:de\s+)?(?:handels)?naam|onder\s+de\s+(?:handels)?naam|handelsnaam|"
    r"a\.?\s*k\.?\s*a\.?|ook\s+bekend\s+als|voorheen|v\s*/\s*h|thans)(?=[\s:,(\[]|$)[\s:]*",
    re.IGNORECASE)


# "X namens Y": a person or firm acting for another; which of the two collects, the register says.
_ACTING_FOR = re.compile(r"[\s,;]+(?:namens|i\.\s*o\.\s*v\.?|in\s+opdracht\s+van)\s+", re.IGNORECASE)
# "Noël van Hunzespoor Incasso": a caller's first name before the firm (or a person's name: both are read).
_PARTICLE_WORDS = frozenset({"de", "der", "den", "het", "t", "ter", "ten", "te", "van", "vd"})
_FIRST_NAME_VAN = re.compile(r"^\s*([^\W\d_]+)\s+van\s+(?=\S)")
# "Ilse van Doorn van Goudweide Incassobureau", "Wouter Vrolijk van X": a person (a first name and a
# surname) "van" the firm.
_PERSON_VAN = re.compile(r"^\s*([^\W\d_]+)\s+(?:[^\W\d_]+\s+){1,4}?van\s+(?=\S)")
# What a reporter writes after the name: "X -- stuurt dreigende brieven", "X - contactpersoon Erik Smits",
# "X: kosten veel te hoog", "X, geen specificatie"; a signature "Met vriendelijke groet, Eva | X".
_REMARK_AFTER = re.compile(r"\s+-{1,2}\s+|\s*:\s+|,\s+|\s*\|\s*")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
# A layman's "deurwaarder" for any collector ("deurwaarder Verbeek & Prins Incasso", "X (deurwaarder)").
_LAYMANS_BAILIFF = re.compile(r"^\s*(?:de\s+)?(?:gerechts)?deurwaarders?\s+(?:van\s+)?|\s*[(\[]\s*(?:gerechts)?"
                              r"deurwaarders?\s*[)\]]", re.IGNORECASE)
_COLLECTING = re.compile(r"incass|invorder|debiteur|collect|credit|claim|debt|vordering", re.IGNORECASE)
_TRADE_HINT = re.compile(r"incass|invorder|debiteur|collect|credit|claim|debt|vordering|advoca|deurwaard|gdw|"
                         r"jurist|juridi|rechtshulp|legal|\blaw|financ|administr|beheer|holding", re.IGNORECASE)
_GREETING = re.compile(r"^\s*(?:met\s+)?(?:vriendelijke\s+)?groet(?:en)?\b|^\s*mvg\b|^\s*hoogachtend",
                       re.IGNORECASE)


@lru_cache(maxsize=1 << 15)
def name_alternatives(name: str | None, *, judging: bool = True) -> tuple[str, ...]:
    """The names a signal gives for one collector: ``(name,)``, or each of "X h.o.d.n. Y" (the first the
    name before the marker; brackets left by the split are dropped). For judging (not for grouping, where
    a creditor named by many would join their collectors) also each side of "X namens Y"."""
    if not name:
        return ()
    parts = [_trimmed(part) for part in _ALSO_NAMED.split(name)]
    parts = [part for part in parts if _WORD.search(part)] or [name]
    if judging:
        more: list[str] = []
        for part in parts:
            sides = [_trimmed(side) for side in _ACTING_FOR.split(part)]
            sides = [side for side in sides if _WORD.search(side)]
            more.extend(sides if len(sides) > 1 else [part])
        parts = list(dict.fromkeys(more))
    return tuple(parts) if len(parts) > 1 else (name,)


def _trimmed(part: str) -> str:
    """A piece of a name without the separators around it, nor a bracket the split left open."""
    part = part.strip(" ,;:")
    if part.endswith((")", "]")) and part.count("(") + part.count("[") < part.count(")") + part.count("]"):
        part = part[:-1].strip()
    if part.startswith(("(", "[")) and part.count("(") + part.count("[") > part.count(")") + part.count("]"):
        part = part[1:].strip()
    return part


@lru_cache(maxsize=1 << 15)
def name_readings(name: str | None) -> tuple[str, ...]:
    """Other readings of a name as written, for judging only, each less sure than the name itself: without
    a caller before "van" ("Noël van Hunzespoor Incasso", "Ilse van Doorn van Goudweide Incassobureau");
    without what a reporter wrote after it or in brackets, or a signature before it ("X -- dreigt met
    beslag", "Met vriendelijke groet, Eva | X"); a collecting firm's name without the layman's
    "deurwaarder"."""
    if not name:
        return ()
    found: list[str] = []
    for part in name_alternatives(name):
        found.extend(_readings(part))
    return tuple(dict.fromkeys(r for r in found if _WORD.search(r) and r not in name_alternatives(name)))


def _readings(part: str) -> list[str]:
    found: list[str] = []
    # A lower-case "van" says "of" ("Eva van Deurwaarderskantoor Van den Brink"); in a name written in capitals
    # any "VAN" may, unless a particle follows it (then it begins a surname).
    probe = part.lower() if part.isupper() and len(part.lower()) == len(part) else part
    caller = _FIRST_NAME_VAN.match(probe)
    if caller and fold(caller.group(1)) in GIVEN_NAMES:
        rest = part[caller.end():]
        first = fold(rest).split(" ", 1)[0]
        # (not "Jan van Dijk Incasso", a person's name: a surname follows "van")
        if first not in SURNAMES and first not in _PARTICLE_WORDS:
            found.append(rest)
    person = _PERSON_VAN.match(probe)
    if person and fold(person.group(1)) in GIVEN_NAMES and (
            fold(part[person.end():]).split(" ", 1)[0] not in _PARTICLE_WORDS):
        found.append(part[person.end():])
    # What is left out must say nothing of the firm's trade ("X (advocaat)", "Poortman, gerechtsdeurwaarder
    # te Emmen" and "Van der Meer - Jansen Incasso" keep all their words).
    if "(" in part or "[" in part:
        dropped = " ".join(_BRACKETS.findall(part))
        if not _TRADE_HINT.search(dropped):
            found.append(_BRACKETS.sub(" ", part).strip())
    pieces = [p.strip() for p in _REMARK_AFTER.split(part) if _WORD.search(p)]
    if len(pieces) > 1:
        if _GREETING.match(pieces[0]):  # a signature: the firm comes last
            found.append(pieces[-1])
        elif not _TRADE_HINT.search(_CLUTTER_TAIL.sub("", " ".join(pieces[1:]))):  # a remark after the name
            found.append(pieces[0])
    # "Vattenfall / Incassobureau Zonnevliet": the creditor, then the collecting firm; or the other way round
    # ("Incassobureau Lubbers / Sportschool FitFabriek")
    if " / " in part:
        creditor, _, collector = part.rpartition(" / ")
        if _COLLECTING.search(collector) and not _TRADE_HINT.search(creditor):
            found.append(collector)
        collector, _, creditor = part.partition(" / ")
        if _COLLECTING.search(collector) and not _TRADE_HINT.search(creditor):
            found.append(collector)
    if _LAYMANS_BAILIFF.search(part):
        rest = _LAYMANS_BAILIFF.sub(" ", part).strip()
        if _COLLECTING.search(rest):
            found.append(rest)
    return found


def _name_tokens(name: str) -> tuple[str, ...]:
    return _name_parts(name)[0]


def name_initials(name: str | None) -> frozenset[str]:
    """The tokens of ``name_tokens(name)`` that were written as initials ("J.P. Bakker" -> {"jp"})."""
    if not name:
        return frozenset()
    tokens, positions = _name_parts(name)
    return frozenset(tokens[i] for i in positions)


def name_tokens(name: str | None) -> list[str]:
    """The words of a name that identify the firm: folded, legal forms removed, initials joined, order kept.

    "Zuiderlicht Incasso B.V." -> ["zuiderlicht", "incasso"]; "A.B.C. Incasso" -> ["abc", "incasso"].
    """
    if not name:
        return []
    return list(_name_tokens(name))


def normalise_name(name: str | None) -> str:
    """``name_tokens`` joined by single spaces ("" for no name)."""
    if not name:
        return ""
    return " ".join(_name_tokens(name))


@lru_cache(maxsize=1 << 15)
def legal_form(name: str | None) -> str | None:
    """The canonical legal form written in the name ("B.V.", "N.V.", "V.O.F.", "Stichting", ...), or None.

    The first form found wins; "U.A." only when no other form is written (it qualifies a coöperatie).
    """
    if not name:
        return None
    qualifier = None
    for match in _LEGAL_FORM.finditer(_prefold(name)):
        assert match.lastindex is not None  # every alternative of _LEGAL_FORM is a group
        canonical = _CANONICAL[match.lastindex - 1]
        if canonical is None:
            continue
        if canonical not in _QUALIFIERS:
            return canonical
        qualifier = qualifier or canonical
    return qualifier


# ---------------------------------------------------------------- noise words

NOISE_WORDS: frozenset[str] = frozenset({
    "incasso", "incassobureau", "incassobedrijf", "incassodienst", "incassodiensten", "incassokantoor",
    "incassozaken", "incassos", "incassogroep", "bureau", "de", "het", "een", "van", "der", "den", "en", "in", "op",
    "voor", "groep", "group", "nederland", "nederlandse", "holland", "nl", "gerechtsdeurwaarders",
    "gerechtsdeurwaarder", "deurwaarders", "deurwaarder", "deurwaarderskantoor", "gerechtsdeurwaarderskantoor",
    "advocaten", "advocaat",
    "advocatenkantoor", "kantoor", "credit", "management", "debiteurenbeheer", "debiteuren", "invorderingen",
    "invordering", "services", "service", "financial", "finance", "financieel", "collect", "collection",
    "collections", "solutions", "juridisch", "juridische", "beheer", "holding", "partners", "associates",
    "and", "the", "of", "co", "company", "bv", "nv",
})


_NOISE_LIST = sorted(w for w in NOISE_WORDS if len(w) >= 5)


@lru_cache(maxsize=65536)
def _misspelt_noise(token: str) -> bool:
    """One letter added, dropped, changed or swapped in a noise word of five letters or more."""
    if len(token) < 5:
        return False
    return process.extractOne(token, _NOISE_LIST, scorer=Levenshtein.distance, score_cutoff=1) is not None


class TokenWeights:
    """How much a word of a name says about which firm it is: inverse document frequency over the register.

    ``weight`` is a smoothed IDF, ``log((N + 1) / (df + 1)) + 1``, divided by its largest value, so a word
    the register has never seen weighs 1.0 and a word in half of all names weighs little. ``NOISE_WORDS``
    weigh at most ``COMMON_WEIGHT`` even when the register is small or empty, when IDF cannot know yet
    that "incasso" says nothing. ``is_noise`` marks the words blocking should not use: the noise words and
    any word in more than ``noise_df`` names (``max(noise_min_df, noise_share * N)``), i.e. exactly the
    words whose weight is below the weight of a word in ``noise_df`` names.
    """

    COMMON_WEIGHT = 0.2

    __slots__ = ("names", "noise_df", "_df", "_weights", "_noise", "_noise_weight")

    def __init__(self, document_frequency: Mapping[str, int], names: int, *,
                 noise_share: float = 0.01, noise_min_df: int = 20) -> None:
        self.names = names
        self._df = dict(document_frequency)
        self.noise_df = max(noise_min_df, int(noise_share * names))
        top = math.log(names + 1) + 1

        def idf(df: float) -> float:
            return (math.log((names + 1) / (df + 1)) + 1) / top

        self._noise_weight = min(self.COMMON_WEIGHT, idf(names / 2))
        self._weights = {token: idf(df) for token, df in self._df.items()}
        for token in NOISE_WORDS:
            self._weights[token] = min(self._weights.get(token, 1.0), self._noise_weight)
        self._noise = NOISE_WORDS | {token for token, df in self._df.items() if df > self.noise_df}

    @classmethod
    def from_token_lists(cls, lists: Iterable[Sequence[str]], **options: Any) -> TokenWeights:
        """Weights from the token lists of the register's names, one list per name (legal and trade names)."""
        counts: Counter[str] = Counter()
        names = 0
        for tokens in lists:
            names += 1
            counts.update(set(tokens))
        return cls(counts, names, **options)

    def weight(self, token: str) -> float:
        """In (0, 1]: 1.0 for a word no name in the register contains, unless it is a noise word with a
        typo ("incasssobureau", "ibcasso"): that weighs as the noise word does."""
        weight = self._weights.get(token)
        if weight is None:
            weight = self._noise_weight if _misspelt_noise(token) else 1.0
        return weight

    def is_noise(self, token: str) -> bool:
        """Too common to pick candidates by: a noise word (or one misspelt), or in more than ``noise_df`` names."""
        return token in self._noise or (token not in self._weights and _misspelt_noise(token))

    def is_stopword(self, token: str) -> bool:
        """A word that never tells firms apart, whatever the register: a noise word, or one misspelt."""
        return token in NOISE_WORDS or (token not in self._weights and _misspelt_noise(token))

    def document_frequency(self, token: str) -> int:
        """In how many names the word occurs."""
        return self._df.get(token, 0)


# ---------------------------------------------------------------- KvK numbers

# The words written around a KvK number, matched once separators are gone ("K.v.K.-nr." -> "kvknr").
_KVK_WORDS = re.compile(r"kamervankoophandel|handelsregister|vestigingsnummer|vestigingsnr|vestiging|kvknummer|"
                        r"kvk|nummer|nr|no")
_KVK_SEPARATORS = str.maketrans("", "", " \t\u00a0.,:;#-_/")
_REMARK = re.compile(r"\([^)]*\)")  # "12345678 (Utrecht)"


def _kvk_digits(raw: str) -> str | None:
    if raw.isascii() and raw.isdigit():
        return raw
    text = _REMARK.sub(" ", raw.casefold()).translate(_KVK_SEPARATORS)
    digits = _KVK_WORDS.sub("", text)
    return digits if digits.isascii() and digits.isdigit() else None


def normalise_kvk(raw: str | None) -> str | None:
    """The 8-digit KvK number, or None when what is written is not one.

    Strips "KvK", "K.v.K.", "KvK-nummer", "kvk nr.", "Kamer van Koophandel", a remark in brackets, ":",
    "#", spaces, dots and dashes. Seven digits are zero-padded: KvK numbers may start with 0, and older
    ones are often written (and stored by spreadsheets) without it. A 12-digit vestigingsnummer is a
    different number (``normalise_vestiging``): None. "00000000" (a placeholder) is None.
    """
    if not raw:
        return None
    digits = _kvk_digits(raw)
    if digits is None:
        return None
    if len(digits) == 7:
        digits = "0" + digits
    if len(digits) != 8 or digits == "00000000":
        return None
    return digits


def normalise_vestiging(raw: str | None) -> str | None:
    """A 12-digit vestigingsnummer (the number of one establishment in the Handelsregister), as people
    write it in the KvK column too; None when what is written is not one."""
    if not raw:
        return None
    digits = _kvk_digits(raw)
    if digits is None or len(digits) != 12 or digits == "0" * 12:
        return None
    return digits


# ---------------------------------------------------------------- IBANs


@dataclass(frozen=True, slots=True)
class Iban:
    """An IBAN as written, its compact form, and whether the checksum holds (only valid ones are matched)."""

    written: str
    compact: str
    valid: bool


_IBAN_PREFIX = re.compile(r"\s*iban\s*:?\s*", re.IGNORECASE)
_IBAN_SEPARATORS = str.maketrans("", "", " \t\u00a0.-")


def normalise_iban(raw: str | None) -> Iban | None:
    """``Iban(written, compact, valid)``: compact is upper case without spaces, dots, dashes or an "IBAN" label.

    None for empty input. A mistyped digit keeps the value as written with ``valid=False``.
    """
    if not raw or not (written := raw.strip()):
        return None
    return _iban(written)


@lru_cache(maxsize=1 << 15)
def _iban(written: str) -> Iban:
    compact = _IBAN_PREFIX.sub("", written, count=1) if written[:4].lower() == "iban" else written
    compact = compact.translate(_IBAN_SEPARATORS).upper()
    return Iban(written, compact, iban_is_valid(compact))


# ---------------------------------------------------------------- phone numbers

_PHONE_SEPARATORS = str.maketrans("", "", " \t\u00a0-.()/")
# The common Dutch forms, once separators are gone: 0201234567, +31201234567, 0031201234567, +31(0)20...
# Every 10-digit 0[1-9] number is a possible Dutch number, so these need no phonenumbers call.
_DUTCH_10 = re.compile(r"(?:0|\+310?|00310?)([1-9]\d{8})")
_EXTENSION = re.compile(r"\s*(?:toestel|tst\.?|ext\.?|x)\s*\d{1,5}\s*$", re.IGNORECASE)
_NL = 31


@lru_cache(maxsize=1 << 16)
def _parse_phone(raw: str) -> str | None:
    """The general case, through ``phonenumbers``; also the reference the fast path is tested against."""
    try:
        number = phonenumbers.parse(_EXTENSION.sub("", raw), "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    if number.country_code == _NL:
        national = str(number.national_number)
        # Short codes (112, 14 020, 1200) are possible numbers but name no firm; the shortest Dutch
        # subscriber number is 0800/0900 plus four digits.
        if len(national) < 7:
            return None
        return "0" + national
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str | None) -> str | None:
    """Dutch numbers as national digits ("+31 20 123 4567" -> "0201234567"), others as E.164
    ("+32 2 555 12 34" -> "+3225551234"); None when it is not a possible phone number."""
    if not raw:
        return None
    match = _DUTCH_10.fullmatch(raw.translate(_PHONE_SEPARATORS))
    if match:
        return "0" + match[1]
    return _parse_phone(raw.strip())


# ---------------------------------------------------------------- websites and e-mail domains

_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:(?://)?|//")
_HOST_END = re.compile(r"[/?#\\\s,;]")
_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_\-]*[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_\-]*[a-z0-9])?)+")
_IPV4 = re.compile(r"[\d.]+")
_extractor: Callable[[str], ExtractResult] | None = None


def _extract() -> Callable[[str], ExtractResult]:
    """The public-suffix extractor, built on first use from the snapshot bundled with tldextract.

    No suffix list is fetched and no cache is written (``suffix_list_urls=()``, ``cache_dir=None``).
    Private suffixes (wixsite.com, blogspot.com, co.nl, ...) count as suffixes: two firms with a site on
    the same hosting platform must not share a domain.
    """
    global _extractor
    if _extractor is None:
        import tldextract

        _extractor = tldextract.TLDExtract(
            suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
        ).extract_str
    return _extractor


@lru_cache(maxsize=1 << 16)
def _registrable_domain(text: str) -> str | None:
    scheme = _SCHEME.match(text)
    if scheme and "@" not in text[: scheme.end()] and not text[scheme.end():scheme.end() + 1].isdigit():
        text = text[scheme.end():].lstrip("/")  # also "https:/firma.nl" and "https:///firma.nl"
    host = _HOST_END.split(text, 1)[0].rpartition("@")[2]
    if host.startswith("["):  # an IPv6 literal
        return None
    host = host.partition(":")[0].strip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if not _HOST.fullmatch(host) or _IPV4.fullmatch(host):
        return None
    domain = _extract()(host).top_domain_under_public_suffix or None
    if domain in PLATFORM_DOMAINS:
        # A page on a platform ("facebook.com/mohameddebruin", "x.blogspot.com") is that page's owner's;
        # the platform itself is everyone's.
        if domain in _PLATFORM_SUFFIXES or domain.split(".", 1)[1] in _PLATFORM_SUFFIXES:  # a site of its own
            host = host.removeprefix("www.")
            return host if host != domain else None
        rest = text[len(_HOST_END.split(text, 1)[0]):].lstrip("/").split("?", 1)[0].split("#", 1)[0]
        page = rest.split("/", 1)[0].strip().lower()
        return f"{domain}/{page}" if page and page not in _PLATFORM_PAGES else None
    return domain


def registrable_domain(raw: str | None) -> str | None:
    """The domain a firm registers, from a website as written; None for IP addresses and hosts without a
    public suffix. Scheme, user info, port, path, query, fragment, sub-domains ("www.") and case are
    ignored: "https://WWW.Zuiderlicht-Incasso.nl/betalen?x=1" -> "zuiderlicht-incasso.nl",
    "pay.example.co.uk" -> "example.co.uk"."""
    if not raw:
        return None
    text = raw.strip().lower()
    return _registrable_domain(text) if text else None


# Platforms on which anyone has a page: the page says who it is, the platform nobody.
PLATFORM_DOMAINS: frozenset[str] = frozenset({
    "facebook.com", "fb.com", "instagram.com", "linkedin.com", "twitter.com", "x.com", "tiktok.com",
    "youtube.com", "pinterest.com", "marktplaats.nl", "wa.me", "whatsapp.com", "t.me", "telegram.me",
    "linktr.ee", "google.com", "sites.google.com", "wixsite.com", "wix.com", "jouwweb.nl", "webnode.nl",
    "weebly.com", "wordpress.com", "blogspot.com", "blogspot.nl", "strikingly.com", "site123.me",
    "mijnwebwinkel.nl", "tumblr.com", "medium.com", "github.io", "netlify.app", "vercel.app", "carrd.co",
})
_PLATFORM_SUFFIXES = frozenset({"blogspot.com", "blogspot.nl", "wixsite.com", "wordpress.com", "jouwweb.nl",
                                "webnode.nl", "weebly.com", "github.io", "netlify.app", "vercel.app",
                                "tumblr.com", "strikingly.com", "carrd.co"})
_PLATFORM_PAGES = frozenset({"pages", "pg", "people", "profile.php", "groups", "company", "in", "p", "watch",
                             "share", "sharer", "home", "login", "search", "search.php", "hashtag", "events"})

FREE_MAIL_DOMAINS: frozenset[str] = frozenset({
    # international
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "hotmail.be", "hotmail.co.uk", "hotmail.de",
    "hotmail.fr", "outlook.com", "outlook.nl", "outlook.be", "outlook.de", "live.nl", "live.com", "live.be",
    "live.co.uk", "msn.com", "passport.com", "windowslive.com", "yahoo.com", "yahoo.nl", "yahoo.co.uk",
    "yahoo.de", "yahoo.fr", "ymail.com", "rocketmail.com", "icloud.com", "me.com", "mac.com", "gmx.com",
    "gmx.net", "gmx.de", "gmx.nl", "web.de", "t-online.de", "protonmail.com", "protonmail.ch", "proton.me",
    "pm.me", "tutanota.com", "tuta.io", "aol.com", "mail.com", "yandex.com", "yandex.ru", "mail.ru",
    "zoho.com", "fastmail.com", "hey.com", "telenet.be", "skynet.be",
    # Dutch access providers and free-mail services
    "ziggo.nl", "kpnmail.nl", "kpnplanet.nl", "planet.nl", "home.nl", "hetnet.nl", "xs4all.nl", "casema.nl",
    "chello.nl", "quicknet.nl", "upcmail.nl", "telfort.nl", "online.nl", "tele2.nl", "zonnet.nl", "wanadoo.nl",
    "orange.nl", "versatel.nl", "freeler.nl", "12move.nl", "tiscali.nl", "hccnet.nl", "solcon.nl", "caiway.nl",
    "kabelfoon.nl", "onsbrabantnet.nl", "zeelandnet.nl", "lycos.nl", "freemail.nl", "vodafonemail.nl",
    "kpn.com", "kpnmail.com", "ziggomail.com", "delta.nl", "zeelandnet.com", "kabelnoord.nl", "netvisit.nl",
    "introweb.nl", "xmsnet.nl", "upcmail.com", "dds.nl", "chello.com", "casema.com", "home.com",
    # international, less known
    "mailfence.com", "posteo.de", "posteo.net", "mailbox.org", "runbox.com", "zohomail.com", "zohomail.eu",
    "ya.ru", "inbox.ru", "bk.ru", "list.ru", "rambler.ru", "qq.com", "163.com", "126.com",
    "naver.com", "daum.net", "outlook.fr", "hotmail.es", "hotmail.it", "yahoo.es", "yahoo.it", "libero.it",
    "orange.fr", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "web.com", "email.com", "usa.com",
    "europe.com", "post.com", "consultant.com", "engineer.com", "disroot.org", "riseup.net", "tutanota.de",
    "tutamail.com", "tuta.com", "protonmail.me", "gmx.at", "gmx.ch", "gmx.co.uk", "aol.nl", "aol.de",
    "yahoo.be", "msn.nl", "live.de", "live.fr", "outlook.es", "outlook.it", "icloud.nl", "me.nl",
    "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "abv.bg", "mail.bg", "freemail.hu", "skynet.nl",
})


def is_free_mail(domain: str | None) -> bool:
    """Whether the domain (or the domain it belongs to: "mail.hotmail.com") is a free-mail provider's."""
    if not domain:
        return False
    host = domain.strip().lower().rstrip(".")
    return host in FREE_MAIL_DOMAINS or registrable_domain(host) in FREE_MAIL_DOMAINS


_ADDRESS = re.compile(r"[^\s@<>()\[\],;:\"]+@([^\s@<>()\[\],;:\"]+)")


@lru_cache(maxsize=1 << 15)
def _email_domain(text: str) -> str | None:
    if "<" in text:  # "Naam <info@firma.nl>"
        text = text.partition("<")[2].partition(">")[0].strip()
    if text.startswith("mailto:"):
        text = text[7:]
    match = _ADDRESS.fullmatch(text)
    if not match:
        return None
    domain = registrable_domain(match[1])
    if domain is None or domain in FREE_MAIL_DOMAINS:
        return None
    return domain


def email_address(raw: str | None) -> str | None:
    """The address itself, lower case ("Naam <Info@Firma.NL>" -> "info@firma.nl"); None when it is not one.
    A free-mail address names nobody by its domain, but the whole address is one collector's."""
    if not raw:
        return None
    text = raw.strip().lower()
    if "<" in text:
        text = text.partition("<")[2].partition(">")[0].strip()
    if text.startswith("mailto:"):
        text = text[7:]
    return text if _ADDRESS.fullmatch(text) else None


def email_domain(raw: str | None) -> str | None:
    """The registrable domain of an address ("info@mail.firma.nl" -> "firma.nl"); None for free-mail
    providers (they link unrelated people), invalid addresses and empty input."""
    if not raw:
        return None
    text = raw.strip().lower()
    return _email_domain(text) if text else None
