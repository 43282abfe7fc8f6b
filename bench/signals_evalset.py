"""A labelled evaluation set for signal matching and suspect grouping (issue 4, "Quality and speed").

``generate(n_registrations, n_signals, seed)`` returns an ``EvalSet``: a register snapshot, an exempt
list and a signals file in the import formats of ../shared/formats, plus the verdict a careful person
would give every signal (``truth``). The same arguments always give the same bytes (seeded
``random.Random`` streams; no iteration over sets or hash-ordered data), and the register and exempt
list depend only on ``n_registrations``, ``n_exempt`` and ``seed``, so that a run with half the signals
matches against the very same register.

What is generated
-----------------
Names. Every party's name is built from a *core* that tells it apart, plus kind words and a legal form:
``[prefix kind] core [suffix kind] [legal form]``, e.g. "Incassobureau Noordkaap B.V.", "De Vries Twente
Invorderingen V.O.F.", "Bakker & Visser Credit Management", "Klaassen Gerechtsdeurwaarders". Cores are
a fantasy word (syllable compounds such as Noordkaap, Zuiderlicht, Polderlicht, or words such as
Vesting, Linde), a fantasy word with a region, a surname with a place or region, two surnames, or (for
a few dozen, mostly bailiffs) a surname alone. The vocabulary is filtered so that any two distinctive
words are at least 3 edits apart, or 2 when both have 6 letters or fewer (such words never get a
typo); surnames used alone are used in no other core, and each fantasy word belongs to one party only.
Every party (registration, exempt office, unregistered collector, KvK-listed firm) gets cores of its
own: two parties never share a core, so a name that differs from a party's own name by kind words,
legal form, word order, case, accents or one typo in a word of 7 letters or more is still nearer to
that party than to any other (a typo is only made where it leaves every other word of the vocabulary
at least three edits away). The parties that are not registered (exempt offices, collectors, KvK-listed
firms) are moreover named *clearly* unlike every other party: no core of theirs equals another party's
core but for one similar word (Kramer/Ramaker, Raaijmakers/Ramaker, Timmer/Timmermans, Vermeulen/Van der
Meulen, Westland/Westfriesland, Heuvel/Maanheuvel: fuzz.ratio >= 70, containment or two edits), and their
fantasy words start with other first parts than the registrations' (no Heidehaven beside a registered
Heidehoeve). Registrations among themselves may differ in one such word (Dekker Twente, Bakker Twente),
as real ones do; signals copy their names exactly or with one safe typo. A few deliberate look-alike
pairs (Jansen/Janssen, Smit/Smits, Bos/Vos …) exist among registrations, as in the real register;
signals about them always carry a KvK number, a known IBAN or the agency's own website, and never a
typo in the look-alike word. The vocabulary suffices for about 15,000 registrations.

Identifiers are unique per party: KvK numbers (8 digits, some with a leading zero), mod-97-valid Dutch
IBANs, own web and mail domains, Dutch phone numbers (landline, 088, mobile).

Register. Registrations have a legal name, 0-3 trade names (the same core with other kind words, or
another core), 0-2 websites, 0-2 e-mail addresses on an own domain, 0-2 phones, 0-3 IBANs known to the
Inspectie, an address, and a status: mostly ``ingeschreven`` (a few with a ``datum_inschrijving`` after
the snapshot date: registered only from then on), some ``doorgehaald`` or ``verlopen`` with a
``datum_einde`` on or before the snapshot date, and a few ``doorgehaald`` with a later ``datum_einde``
(struck off with effect from that day). ``geldig_tot`` always lies after the last signal, so only
``datum_inschrijving`` and ``datum_einde`` decide validity (register.md).

Signals. Every reference date (``datum_brief``, or ``ontvangen_op`` when that is empty) lies on or after
the snapshot date (default 2026-03-01), because the mirror knows the register only from its first
snapshot on, and at most 180 days after it; ``ontvangen_op`` follows ``datum_brief`` by up to 45 days.
So every date lies in the past once the snapshot date is 225 days ago (the import refuses dates in the
future). Scenarios, with the label a person would give (proportions are ``Mix`` parameters; a register
too small for a scenario gives its signals to ``registered``):

- ``registered`` -> ``geregistreerd`` + registratienummer: a registration valid on the reference date,
  named by its legal or a trade name written with variations, with 0-3 of its own identifiers written
  every which way (KvK with prefixes, dots, spaces or without the leading zero that Excel drops; IBAN
  with spaces or lower case, sometimes with a mistyped digit; website with scheme, www, subdomain, path
  or query; phone in national or international form; e-mail on the agency's domain or on a free-mail
  provider, which is no evidence). A signal without a name, or with a mistyped IBAN and no name, always
  carries a KvK number, a valid known IBAN or the agency's website.
- ``not_valid`` -> ``registratie_niet_geldig`` + registratienummer: the same, about a registration that
  was not valid on the reference date (struck off or lapsed before it, or registered only after it; the
  boundary days are included).
- ``exempt`` -> ``vrijgesteld``: a bailiff's or lawyer's office on the exempt list, by a variant of its
  name (bailiff and lawyer kind words only) and/or its KvK number or website.
- ``unregistered`` -> ``niet_geregistreerd`` + collector: collectors with 1-3 names (variants of one
  core, or another trade name), 1-3 IBANs, maybe a KvK number, website, phone or e-mail domain; 1-20
  signals each (skewed). Each signal names the collector and shows a subset of its identifiers such that
  the signals of one collector are linked, transitively, by a shared identifier (KvK, valid IBAN,
  website or mail domain, phone; a mistyped IBAN or a free-mail address never counts) or by nearly the
  same name (a copy of an earlier signal's name up to legal form and case). Their names are clearly
  unlike any other party's and nothing links two collectors. A few pose as bailiffs
  ("Deurwaarderskantoor …") without being on the exempt list.
- ``clone`` -> ``niet_geregistreerd`` + collector: an operation that uses the name of a valid
  registration (its legal or a trade name, exactly or with one typo) but is another party: every signal
  shows a KvK number that is not the agency's (a different legal entity), or both an IBAN and a website
  that are not the agency's while the register knows the agency's IBAN and website. An unknown IBAN alone
  is never taken as proof (the Inspectie does not know every account), so it never decides a label.
  Each operation is its own collector, and its signals share the name and identifiers.
- ``kvk_registered`` -> ``geregistreerd`` and ``kvk_unregistered`` -> ``niet_geregistreerd``: rows of a
  Chamber of Commerce extract (source ``kvk``: legal name, KvK number, plaats); the unregistered firms
  are each their own collector.

No signal is undecidable by construction: no signal names one party while carrying another party's
identifier, no registered-agency signal carries an IBAN or website the register does not list for it,
and no unregistered collector is named like any registered or exempt party. Amounts: principal and costs
on about 60% of the signals (some costs above the BIK ceiling), a principal alone on a few; the expected
BIK fields are in ``EvalSet.expected_bik``.

Files: the register and the exempt list as UTF-8 CSV (comma by default); the signals as Dutch Excel
writes them: semicolons, dates ``DD-MM-JJJJ``, decimal commas (``1.250,00``), CRLF, UTF-8 with BOM, or
Windows-1252 with ``encoding="cp1252"`` (``EvalSet.signals_as`` re-encodes).

Usage: ``from signals_evalset import generate`` (with bench/ on sys.path), or
``python bench/signals_evalset.py --registrations 200 --signals 500 --dump DIR`` to look at the files.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import accumulate

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

REGISTER_COLUMNS = (
    "registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat", "huisnummer",
    "postcode", "plaats", "website", "email", "telefoon", "iban", "status", "datum_inschrijving", "datum_einde",
    "geldig_tot",
)
EXEMPT_COLUMNS = ("naam", "kvk_nummer", "beroep", "plaats", "website")
SIGNAL_COLUMNS = (
    "referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email", "telefoon",
    "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving",
)
VERDICTS = ("geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd", "onzeker")
SCENARIOS = ("registered", "not_valid", "exempt", "unregistered", "clone", "kvk_registered", "kvk_unregistered")
SCENARIO_VERDICT = {
    "registered": "geregistreerd", "not_valid": "registratie_niet_geldig", "exempt": "vrijgesteld",
    "unregistered": "niet_geregistreerd", "clone": "niet_geregistreerd", "kvk_registered": "geregistreerd",
    "kvk_unregistered": "niet_geregistreerd",
}
SIGNAL_WINDOW_DAYS = 180  # reference dates lie in [register_date, register_date + 180]
MAX_RECEIPT_DELAY = 45  # ontvangen_op lies at most this many days after datum_brief
REGISTER_DATE = date(2026, 3, 1)  # the default snapshot date: every date written lies before 2026-10-13


@dataclass(frozen=True)
class Truth:
    verdict: str
    registratienummer: str | None
    collector: str | None  # the true collector's id, for niet_geregistreerd signals
    scenario: str
    detail: str = ""  # how the signal was made (name variant, identifiers), for reading errors


@dataclass(frozen=True)
class Mix:
    """Shares of the scenarios among the signals (normalised if they do not add up to 1)."""

    registered: float = 0.50
    not_valid: float = 0.08
    exempt: float = 0.05
    unregistered: float = 0.30
    clone: float = 0.04
    kvk: float = 0.03
    kvk_registered_share: float = 0.30  # of the KvK rows, the share about registered agencies
    mean_collector_signals: float = 3.4  # unregistered collectors: 1-20 signals each, about this on average
    mean_clone_signals: float = 5.0  # clone operations: 1-30 signals each


@dataclass
class EvalSet:
    register_csv: bytes
    register_date: date
    exempt_csv: bytes
    signals_csv: bytes
    truth: dict[str, Truth]
    signal_rows: list[dict[str, str]]  # the signals as written (before encoding), in file order
    expected_bik: dict[str, tuple[str, str]]  # referentie -> (bik_maximum, bik_overschrijding), "" if n/a
    encoding: str = "utf-8-sig"
    date_style: str = "dutch"

    def signals_as(self, encoding: str) -> bytes:
        return _signals_bytes(self.signal_rows, encoding)

    def scenario_counts(self) -> dict[str, int]:
        counts = Counter(t.scenario for t in self.truth.values())
        return {s: counts.get(s, 0) for s in SCENARIOS}

    def collector_counts(self) -> dict[str, int]:
        """Distinct true collectors per niet_geregistreerd scenario."""
        seen: dict[str, set[str]] = defaultdict(set)
        for t in self.truth.values():
            if t.collector:
                seen[t.scenario].add(t.collector)
        return {s: len(seen[s]) for s in ("unregistered", "clone", "kvk_unregistered")}

    def truth_rows(self) -> list[dict[str, str]]:
        return [{"referentie": ref, "oordeel": t.verdict, "registratienummer": t.registratienummer or "",
                 "incassant": t.collector or "", "scenario": t.scenario, "detail": t.detail}
                for ref, t in self.truth.items()]


# --- text --------------------------------------------------------------------------------------------

PARTICLES = frozenset({"de", "van", "der", "den", "ter", "ten", "het", "te"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " en ").replace("+", " en ").replace("'", "")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


@lru_cache(maxsize=8192)
def key_token(display: str) -> str:
    """The distinctive token of a surname, place or fantasy word: folded, particles dropped, joined."""
    return "".join(w for w in fold(display).split() if w not in PARTICLES)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- vocabulary --------------------------------------------------------------------------------------

SURNAMES = [
    "De Jong", "Jansen", "De Vries", "Van den Berg", "Van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "De Boer", "Mulder", "De Groot", "Bos", "Vos", "Peters", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer",
    "De Wit", "Dijkstra", "Smits", "De Graaf", "Van der Meer", "Van der Linden", "Kok", "Jacobs", "De Haan",
    "Vermeulen", "Van den Heuvel", "Van der Veen", "Van den Broek", "De Bruijn", "Van der Heijden", "Schouten",
    "Van Beek", "Willems", "Van Vliet", "Van de Ven", "Hoekstra", "Verhoeven", "Koster", "Van Dam",
    "Van der Wal", "Prins", "Blom", "Huisman", "Peeters", "Kuipers", "Van Veen", "Post", "Veenstra", "Kramer",
    "Van den Brink", "Scholten", "Van Wijk", "Postma", "Martens", "Vink", "De Ruiter", "Timmermans", "Groen",
    "Gerritsen", "Jonker", "Van Loon", "Van der Velden", "Willemsen", "Smeets", "De Lange", "Bosch",
    "Van Dongen", "Schipper", "De Koning", "Van der Laan", "Driessen", "Van Doorn", "Hermans", "Evers",
    "Van der Meulen", "Hofman", "Bosman", "Wolters", "Sanders", "Van der Horst", "Mol", "Molenaar",
    "Van de Pol", "De Leeuw", "Verbeek", "Klaassen", "Pieters", "Meyer", "Hendrikx", "Vonk", "Sluiter",
    "Zwart", "Wouters", "Claassen", "Dijkman", "Geerts", "Heijnen", "Ypma", "Wagenaar", "Terpstra", "Zijlstra",
    "Brandsma", "Bouma", "Wiersma", "Kloosterman", "Van Rijn", "Nijland", "Lammers", "Rutten", "Aarts",
    "Lemmens", "Bruinsma", "Stam", "Hoogendoorn", "Wijnands", "Oosterhout", "Ramaker", "Pronk", "Verschoor",
    "Timmer", "Steenbergen", "Reinders", "Sijbesma", "Van Houten", "Ouwehand", "Roelofs", "Hoekman", "Spijker",
    "Tuinstra", "Veldhuis", "Haverkamp", "Oldenburger", "Ebbers", "Lubbers", "Nieuwenhuis", "Schuurman",
    "Bleeker", "Keizer", "Hulshof", "Brugman", "Coenen", "Dirksen", "Elzinga", "Faber", "Gijsbers", "Hartman",
    "IJzerman", "Van Ommen", "Kamphuis", "Ter Horst", "Van Es", "Nijenhuis", "Rietveld", "Slagter", "Uittenbogaard",
    "Van Aalst", "Westerhof", "Zandstra", "Achterberg", "Boersma", "Crielaard", "Dammers", "Everts", "Feenstra",
    "Goossens", "Hakkert", "Jongsma", "Koopmans", "Lindeboom", "Mensink", "Nauta", "Oomen", "Pasman", "Quist",
    "Rozendaal", "Stoffels", "Tromp", "Vegter", "Wassenaar", "Zuidema", "Blokland", "Cornelissen", "Derksen",
    "Engelen", "Franken", "Groenewegen", "Heemskerk", "Jurriens", "Knol", "Lodewijks", "Mertens", "Nooteboom",
    "Overbeek", "Plomp", "Raaijmakers", "Schreurs", "Teunissen", "Uijl", "Verweij", "Wessels", "Zegers",
    "Bolhuis", "Cremers", "Dekkers", "Eijkelboom", "Fokkema", "Gort", "Haring", "Hoving", "Kruithof",
    "Langeveld", "Meulenbelt", "Noordhoff", "Ottens", "Poortvliet", "Roest", "Sikkema", "Tjalsma", "Valk",
    "Wiegman", "Zomer", "Brinkman", "Dolman", "Eshuis", "Grootveld", "Hazeleger", "Jellema", "Kempenaar",
]
COMMON_SURNAMES = 21  # De Jong ... De Wit: always in the vocabulary
# Look-alike surnames that real registers contain side by side; they share a class.
TWINS = [("Jansen", "Janssen"), ("Smit", "Smits"), ("Peters", "Pieters"), ("Meijer", "Meyer"),
         ("Hendriks", "Hendrikx"), ("Bos", "Vos")]
PLACES = [
    "Noord", "Zuid", "Oost", "West", "Brabant", "Twente", "Friesland", "Amstel", "Maas", "Rijnmond", "Drenthe",
    "Zeeland", "Limburg", "Gelderland", "Veluwe", "Achterhoek", "Kennemerland", "Westland", "Gooi", "Betuwe",
    "IJssel", "IJmond", "Delfland", "Waterland", "Salland", "Amsterdam", "Rotterdam", "Utrecht", "Groningen",
    "Eindhoven", "Tilburg", "Breda", "Nijmegen", "Arnhem", "Zwolle", "Leeuwarden", "Haarlem", "Leiden", "Delft",
    "Dordrecht", "Almere", "Apeldoorn", "Enschede", "Hengelo", "Deventer", "Amersfoort", "Zaandam", "Alkmaar",
    "Hoorn", "Venlo", "Roermond", "Heerlen", "Sittard", "Maastricht", "Helmond", "Middelburg", "Vlissingen",
    "Emmen", "Assen", "Meppel", "Hoogeveen", "Kampen", "Harderwijk", "Wageningen", "Gouda", "Zoetermeer",
    "Schiedam", "Vlaardingen", "Purmerend", "Hilversum", "Lelystad", "Heerenveen", "Sneek", "Drachten",
    "Doetinchem", "Zutphen", "Almelo", "Veendam", "Delfzijl", "Weert", "Roosendaal", "Terneuzen", "Oss", "Uden",
    "Tiel", "Culemborg", "Woerden", "Gorinchem", "Katwijk", "Noordwijk", "Zandvoort", "Westfriesland",
    "Zaanstreek", "Peelland", "Kempen", "Langstraat", "Bommelerwaard", "Duiveland", "Walcheren", "Texel",
    "Ameland", "Vlieland", "Schagen", "Edam", "Volendam", "Monnickendam", "Bussum", "Naarden", "Huizen",
    "Soest", "Baarn", "Zeist", "Nieuwegein", "Houten", "Vianen", "Leerdam", "Oisterwijk", "Boxtel", "Veghel",
    "Cuijk", "Boxmeer", "Gennep", "Venray", "Panningen", "Kerkrade", "Valkenburg", "Brunssum",
]
FANTASY_WORDS = [
    "Noordkaap", "Zuiderlicht", "Polderlicht", "Vesting", "Linde", "Delta", "Kompas", "Horizon", "Getij",
    "Meridiaan", "Zenit", "Atlas", "Orion", "Vega", "Polaris", "Castor", "Mercurius", "Fortuna", "Equator",
    "Passaat", "Belvédère", "Ambiënte", "Eurêka", "Élan", "Prisma", "Optima", "Solide", "Primus", "Cicero",
    "Aquila", "Lyra", "Sirius", "Altair", "Capella", "Pegasus", "Phoenix", "Helios", "Boreas", "Zephyr",
]
FANTASY_HEADS = [
    "Noord", "Zuider", "Wester", "Ooster", "Polder", "Duin", "Zilver", "Goud", "Koper", "Zonne", "Maan",
    "Sterren", "Water", "Wind", "Storm", "Kust", "Haven", "Brug", "Toren", "Molen", "Burcht", "Slot", "Heide",
    "Klaver", "Rozen", "Tulpen", "Valken", "Arend", "Zwanen", "Eiken", "Beuken", "Linden", "Wilgen", "Berken",
    "Dennen", "Hazel", "Vlinder", "Merel", "Kievit", "Reiger", "Meeuwen", "Anker", "Baken", "Getijden", "Lente",
    "Herfst", "Winter", "Helder", "Blauw", "Kristal", "Parel", "Robijn", "Saffier", "Smaragd", "Amber", "Ivoor",
    "Graniet", "Marmer", "Koren", "Tarwe", "Vlas", "Appel", "Kersen", "Druiven", "Vuur", "Regen", "Sneeuw",
    "Dauw", "Mist", "Wolken", "Dageraad", "Schemer", "Oever", "Eiland", "Rots", "Kiezel", "Zand", "Klei",
]
FANTASY_TAILS = [
    "kaap", "licht", "stroom", "veld", "berg", "dal", "hof", "poort", "wijk", "burg", "meer", "haven", "kust",
    "mond", "brug", "zicht", "horst", "hoek", "kamp", "lust", "oord", "vliet", "gaarde", "waard", "stede",
    "vest", "weide", "stein", "heuvel", "zande", "beek", "laan", "plein", "markt", "tuin", "kade", "schans",
    "rade", "vaart", "ring", "baai", "dreef", "hoeve", "akker", "gracht", "kreek", "geest",
]

REG_PREFIX = ["Incassobureau", "Incassobureau", "Incassokantoor", "Debiteurenbeheer"]
REG_SUFFIX = ["Incasso", "Incasso", "Incasso", "Invorderingen", "Incassodiensten", "Credit Management",
              "Debiteurenbeheer", "Incasso Groep", "Financial Services", "Credit Services", "Collect"]
BAILIFF_PREFIX = ["Gerechtsdeurwaarderskantoor", "Deurwaarderskantoor"]
BAILIFF_SUFFIX = ["Gerechtsdeurwaarders", "Deurwaarders"]
LAWYER_PREFIX = ["Advocatenkantoor"]
LAWYER_SUFFIX = ["Advocaten"]
# prefix kind <-> suffix kind that a person writes for the same firm ("Incassobureau X" / "X Incasso")
FLIPS = {
    ("p", "Incassobureau"): "Incasso", ("p", "Incassokantoor"): "Incasso",
    ("p", "Debiteurenbeheer"): "Debiteurenbeheer", ("s", "Incasso"): "Incassobureau",
    ("s", "Debiteurenbeheer"): "Debiteurenbeheer", ("p", "Gerechtsdeurwaarderskantoor"): "Gerechtsdeurwaarders",
    ("s", "Gerechtsdeurwaarders"): "Gerechtsdeurwaarderskantoor",
    ("p", "Deurwaarderskantoor"): "Deurwaarders", ("s", "Deurwaarders"): "Deurwaarderskantoor",
    ("p", "Advocatenkantoor"): "Advocaten", ("s", "Advocaten"): "Advocatenkantoor",
}
# words no distinctive word may resemble: kind words, noise words, legal forms, particles
BLOCKERS = [
    "incasso", "incassobureau", "incassokantoor", "incassodienst", "incassodiensten", "invorderingen", "credit",
    "management", "debiteurenbeheer", "groep", "financial", "services", "collect", "gerechtsdeurwaarders",
    "gerechtsdeurwaarder", "gerechtsdeurwaarderskantoor", "deurwaarders", "deurwaarder", "deurwaarderskantoor",
    "advocaten", "advocatenkantoor", "advocaat", "kantoor", "bureau", "nederland", "holland", "partners", "de",
    "het", "van", "en", "der", "den", "ter", "ten", "stichting", "vereniging", "holding", "beheer", "diensten",
    "advies",
]
LEGAL_FORMS = ["B.V."] * 11 + ["V.O.F."] * 2 + ["N.V."] + [""] * 6
FORM_STYLES = {"B.V.": ["BV", "B.V", "bv", "b.v.", "B.V"], "N.V.": ["NV", "N.V"], "V.O.F.": ["VOF", "v.o.f.", "Vof"]}
FORM_CHANGES = {"B.V.": "V.O.F.", "V.O.F.": "B.V.", "N.V.": "B.V.", "": "B.V."}

BANKS = ["ABNA", "INGB", "RABO", "TRIO", "BUNQ", "SNSB", "ASNB", "KNAB"]
AREA2 = ["10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46", "50",
         "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79"]
AREA3 = ["111", "113", "114", "115", "118", "162", "164", "165", "172", "174", "180", "182", "183", "184",
         "186", "187", "222", "223", "224", "226", "227", "228", "229", "251", "252", "255", "294", "297",
         "299", "313", "314", "315", "317", "318", "320", "321", "341", "342", "343", "344", "345", "347",
         "348", "411", "412", "413", "416", "418", "475", "478", "481", "485", "486", "487", "488", "492",
         "493", "495", "497", "499", "511", "512", "513", "514", "515", "516", "517", "518", "519", "521",
         "522", "523", "524", "525", "527", "528", "529", "541", "543", "544", "545", "546", "547", "548",
         "561", "562", "566", "570", "571", "572", "573", "575", "577", "578", "591", "592", "593", "594",
         "595", "596", "597", "598", "599"]
FREE_MAIL = ["gmail.com", "hotmail.com", "outlook.com", "live.nl", "hotmail.nl", "ziggo.nl", "kpnmail.nl",
             "yahoo.com", "icloud.com", "outlook.nl"]
STREETS = ["Stationsweg", "Kerkstraat", "Havenweg", "Dorpsstraat", "Molenweg", "Industrieweg", "Markt",
           "Nieuwe Gracht", "Oude Rijn", "Parallelweg", "Zuidsingel", "Handelskade", "Ambachtsweg"]
SOURCES = ["consument"] * 8 + ["schuldhulpverlener"] * 5 + ["gemeente"] * 3 + ["toezichthouder", "overig"] \
    + ["anoniem"] * 2
SOURCE_PREFIX = {"consument": "MLD", "schuldhulpverlener": "SHV", "gemeente": "GEM", "toezichthouder": "TZH",
                 "anoniem": "ANO", "overig": "OVR", "kvk": "KVK"}
DESCRIPTIONS = [
    "Aanmaning ontvangen", "Kosten lijken te hoog", "Dreigende taal aan de telefoon", "Brief met betaalverzoek",
    "Geen registratienummer op de brief", "Schuldenaar zit in de schuldhulpverlening",
    "Incassokosten zonder veertiendagenbrief", "Huisbezoek aangekondigd", "Betalingsregeling geweigerd",
    "Onbekende vordering, geen specificatie", "WhatsApp-bericht met betaallink", "Kwetsbare schuldenaar (bewind)",
    "Meerdere brieven in een week", "Rente en kosten niet gespecificeerd", "Betaald, toch nieuwe aanmaning",
    "Brief na beëindiging van de regeling", "Geïnde kosten € 40 hoger dan aangekondigd", "Financiële problemen",
    "", "", "", "",
]
EXEMPT_DESCRIPTIONS = ["Beslaglegging aangekondigd", "Dagvaarding ontvangen", "Exploot betekend",
                       "Ontruiming aangekondigd", "Sommatie van advocaat", ""]

# An edit of one character, in the neighbourhood of the key that was meant.
KEYBOARD = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo", "j": "hk",
    "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w", "r": "et", "s": "ad", "t": "ry",
    "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}


def _deletions(token: str, depth: int = 2) -> set[str]:
    out = {token}
    frontier = {token}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def within(a: str, b: str, limit: int = 2) -> bool:
    return Levenshtein.distance(a, b, score_cutoff=limit) <= limit


SIMILAR_RATIO = 70  # words this alike (fuzz.ratio) do not tell two parties apart for a careful reader


def similar_words(token: str, others: list[str], *, ratio: float = SIMILAR_RATIO, edits: int = 2) -> bool:
    """Kramer/Ramaker, Raaijmakers/Ramaker, Timmer/Timmermans, (Van der) Meulen/Vermeulen, Westland/
    Westfriesland: a name that differs from another only in such a word is no clearly different name."""
    if not others:
        return False
    if extractOne(token, others, scorer=fuzz.ratio, score_cutoff=ratio) is not None:
        return True
    if extractOne(token, others, scorer=Levenshtein.distance, score_cutoff=edits) is not None:
        return True
    return len(token) >= 3 and any(token in other or (len(other) >= 3 and other in token) for other in others)


class _NearIndex:
    """Symmetric-deletion index: finds accepted tokens within two edits without comparing all pairs."""

    def __init__(self) -> None:
        self._index: dict[str, list[str]] = defaultdict(list)

    def near(self, token: str) -> list[str]:
        """Accepted tokens at most two edits from ``token``."""
        found: dict[str, None] = {}
        for variant in sorted(_deletions(token)):
            for other in self._index.get(variant, ()):
                found[other] = None
        return [o for o in found if within(o, token)]

    def add(self, token: str) -> None:
        for variant in _deletions(token):
            self._index[variant].append(token)


@dataclass(frozen=True)
class Vocab:
    surnames: tuple[str, ...]  # for surname + place and surname & surname cores
    alone: tuple[str, ...]  # surnames used alone (reserved: in no other core)
    places: tuple[str, ...]
    fantasy: tuple[str, ...]
    klass: dict[str, int]  # display word -> class (look-alike twins share one)
    twin_of: dict[str, str]
    twin_tokens: frozenset[str]
    index: _NearIndex  # every distinctive word and every kind or noise word
    head_of: dict[str, str]  # fantasy word -> its first part (the word itself when not a compound)

    def typo_is_safe(self, word: str, typo: str) -> bool:
        """A typo must leave the word nearer its own token than any other token by at least two edits."""
        own = fold(word)
        return all(t == own for t in self.index.near(fold(typo)))


@lru_cache(maxsize=1)
def vocabulary() -> Vocab:
    """Surnames, places and fantasy words, any two at least 3 edits apart (except the declared twins)."""
    index = _NearIndex()
    accepted: dict[str, str] = {}  # token -> display
    for word in BLOCKERS:
        index.add(word)
        accepted[word] = ""
    twin_of = {a: b for a, b in TWINS} | {b: a for a, b in TWINS}
    klass: dict[str, int] = {}

    def take(display: str) -> bool:
        token = key_token(display)
        if not token or token in accepted:
            return False
        near = [t for t in index.near(token) if within(t, token, 1 if max(len(t), len(token)) <= 6 else 2)]
        twin = twin_of.get(display)
        if near and not (twin and all(accepted.get(t) == twin for t in near)):
            return False
        index.add(token)
        accepted[token] = display
        klass[display] = klass[twin] if twin in klass else len(klass)
        return True

    # the surnames the brief names first, then places, then the other surnames
    first = [s for s in SURNAMES[:COMMON_SURNAMES] if take(s)]
    places = [p for p in PLACES if take(p)]
    surnames = first + [s for s in SURNAMES[COMMON_SURNAMES:] if take(s)]
    head_of = {h + t: h for h in FANTASY_HEADS for t in FANTASY_TAILS} | {w: w for w in FANTASY_WORDS}
    compounds = sorted(h + t for h in FANTASY_HEADS for t in FANTASY_TAILS)
    random.Random(0).shuffle(compounds)
    fantasy = [w for w in FANTASY_WORDS + compounds if take(w)]
    plain = [s for s in surnames if s not in twin_of]
    alone = tuple(plain[40::5][:25])
    paired = tuple(s for s in surnames if s not in set(alone))
    twin_tokens = frozenset(key_token(s) for s in surnames if s in twin_of)
    return Vocab(surnames=paired, alone=alone, places=tuple(places), fantasy=tuple(fantasy), klass=klass,
                 twin_of={k: v for k, v in twin_of.items() if k in klass and v in klass}, twin_tokens=twin_tokens,
                 index=index, head_of={w: head_of[w] for w in fantasy})


# --- names -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Core:
    template: str  # F (fantasy), FP (fantasy + place), SP (surname + place), SS (surname & surname), S
    parts: tuple[str, ...]

    def slug(self) -> str:
        return fold(" ".join(self.parts)).replace(" ", "")

    def words(self, *, swap: bool = False, amp: str = "&") -> list[str]:
        parts = self.parts[::-1] if swap and len(self.parts) > 1 else self.parts
        out: list[str] = []
        for i, part in enumerate(parts):
            if i and self.template == "SS":
                out.append(amp)
            out.extend(part.split())
        return out


@dataclass(frozen=True)
class Name:
    core: Core
    prefix: str = ""
    suffix: str = ""
    form: str = ""

    def render(self) -> str:
        return " ".join(w for w in (self.prefix, " ".join(self.core.words()), self.suffix, self.form) if w)

    def kind_slug(self) -> str:
        return fold(self.prefix or self.suffix).replace(" ", "")


TEMPLATE_WEIGHTS = {
    "registration": {"SP": 0.42, "SS": 0.28, "F": 0.20, "FP": 0.07, "S": 0.03},
    "trade": {"F": 0.45, "SP": 0.30, "SS": 0.15, "FP": 0.10},
    "exempt": {"S": 0.30, "SS": 0.45, "SP": 0.25},
    "collector": {"F": 0.30, "SP": 0.38, "SS": 0.25, "FP": 0.07},
}


STRICT_USES = frozenset({"exempt", "collector"})


class Allocator:
    """Hands out cores that no other party has.

    Registrations may have cores that differ from each other in one similar word (Dekker Twente, Bakker
    Twente: signals copy names exactly or with a safe typo, so such names stay apart). Every other party
    (exempt office, unregistered collector, KvK-listed firm) gets a core that no other party's core
    resembles that closely (``similar_words``): nobody would take it for a look-alike of a registered
    name, and two collectors are never named nearly the same.
    """

    def __init__(self, vocab: Vocab, rnd: random.Random) -> None:
        self.vocab = vocab
        self.used: set[tuple] = set()
        # per core with one word left out, the words that filled the gap: for the look-alike check
        self.slots_all: dict[object, list[str]] = defaultdict(list)
        self.slots_strict: dict[object, list[str]] = defaultdict(list)
        heads = sorted({vocab.head_of[w] for w in vocab.fantasy})
        rnd.shuffle(heads)
        strict_heads = set(heads[::4])
        fantasy = list(vocab.fantasy)
        rnd.shuffle(fantasy)
        self.fantasy = [w for w in fantasy if vocab.head_of[w] not in strict_heads]
        self.fantasy_strict = [w for w in fantasy if vocab.head_of[w] in strict_heads]
        self.fantasy_taken: list[str] = []  # the strict parties' fantasy words
        self.alone = list(vocab.alone)
        rnd.shuffle(self.alone)

    def _signature(self, template: str, parts: tuple[str, ...]) -> tuple:
        k = self.vocab.klass
        if template == "SS":
            return ("SS", *sorted(k[p] for p in parts))
        return (template, *(k[p] for p in parts))

    def _slots(self, template: str, parts: tuple[str, ...]) -> list[tuple[object, str]]:
        """(the other word's class, this word) per word of a two-word core, whatever its template: "Timmer
        Gouda" and "Timmer & Bouma" resemble each other as much as "Timmer Gouda" and "Timmer Gorda"; a
        look-alike twin is the same other word (Hendriks Leiden, Hendrikx & Van der Linden)."""
        klass = self.vocab.klass
        return [(klass.get(parts[1], parts[1]), parts[0]), (klass.get(parts[0], parts[0]), parts[1])]

    def _resembles(self, template: str, parts: tuple[str, ...], strict: bool) -> bool:
        """Does another party's core equal this one but for one similar word (``similar_words``)?"""
        slots = self.slots_all if strict else self.slots_strict
        return any(similar_words(key_token(word), slots.get(key, [])) for key, word in self._slots(template, parts))

    def _fantasy(self, strict: bool) -> str | None:
        """An unused fantasy word. Strict parties draw from words whose first part (Zilver-, Heide-) no
        registration's fantasy word has (Heidehaven next to a registered Heidehoeve would be no clearly
        different name), and unlike the other strict parties' words."""
        if not strict:
            return self.fantasy.pop() if self.fantasy else None
        words = self.fantasy_strict
        for i in range(len(words) - 1, max(-1, len(words) - 30), -1):
            token = key_token(words[i])
            if not similar_words(token, self.fantasy_taken, ratio=85, edits=3):
                self.fantasy_taken.append(token)
                return words.pop(i)
        return None

    def _remember(self, template: str, parts: tuple[str, ...], strict: bool) -> None:
        for key, word in self._slots(template, parts):
            self.slots_all[key].append(key_token(word))
            if strict:
                self.slots_strict[key].append(key_token(word))

    def _try(self, template: str, rnd: random.Random, strict: bool) -> Core | None:
        v = self.vocab
        if template in ("F", "FP"):
            word = self._fantasy(strict)
            if word is None:
                return None
            if template == "FP":  # Maanheuvel Westland would resemble Van den Heuvel Westland
                for _ in range(20):
                    parts = (word, rnd.choice(v.places))
                    if not self._resembles(template, parts, strict):
                        self._remember(template, parts, strict)
                        return Core("FP", parts)
            return Core("F", (word,))
        if template == "S":
            return Core("S", (self.alone.pop(),)) if self.alone else None
        for _ in range(40):
            if template == "SP":
                parts = (rnd.choice(v.surnames), rnd.choice(v.places))
            else:
                a, b = rnd.sample(v.surnames, 2)
                if v.klass[a] == v.klass[b]:
                    continue
                parts = (a, b)
            sig = self._signature(template, parts)
            if sig not in self.used and not self._resembles(template, parts, strict):
                self.used.add(sig)
                self._remember(template, parts, strict)
                return Core(template, parts)
        return None

    def core(self, rnd: random.Random, use: str) -> Core:
        weights = TEMPLATE_WEIGHTS[use]
        first = rnd.choices(list(weights), list(weights.values()))[0]
        for template in [first, *weights]:
            core = self._try(template, rnd, use in STRICT_USES)
            if core is not None:
                return core
        raise RuntimeError("the name vocabulary is exhausted: generate fewer parties (up to about 15,000 "
                       "registrations)")

    def twin(self, core: Core) -> Core | None:
        """The look-alike of a surname core (Jansen Twente -> Janssen Twente), or None."""
        if core.template not in ("SP", "SS"):
            return None
        for i, part in enumerate(core.parts):
            twin = self.vocab.twin_of.get(part)
            if twin and twin not in core.parts:
                return Core(core.template, core.parts[:i] + (twin,) + core.parts[i + 1:])
        return None


def _typo(word: str, rnd: random.Random) -> str:
    """One edit (substitution with a neighbouring key, deletion, or a doubled letter), not the first letter,
    that leaves every other word of the vocabulary at least three edits away; else the word unchanged."""
    for _ in range(10):
        i = rnd.randrange(1, len(word))
        ch = word[i]
        op = rnd.random()
        if op < 0.4 and ch.lower() in KEYBOARD:
            new = rnd.choice(KEYBOARD[ch.lower()])
            out = word[:i] + (new.upper() if ch.isupper() else new) + word[i + 1:]
        elif op < 0.7:
            out = word[:i] + word[i + 1:]
        else:
            out = word[:i] + ch + word[i:]
        if out != word and Levenshtein.distance(out, word) == 1 and vocabulary().typo_is_safe(word, out):
            return out
    return word


def vary_name(name: Name, rnd: random.Random, *, typo: float = 0.25, kind: float = 0.25, order: float = 0.08,
              form: tuple[float, float, float] = (0.45, 0.15, 0.05), case: float = 0.12,
              no_typo_tokens: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """The name as someone writes it down, and what was changed.

    ``form``: chances to drop the legal form, restyle it (B.V. -> BV) and change it (B.V. -> V.O.F.).
    """
    tags: list[str] = []
    prefix, suffix, legal = name.prefix, name.suffix, name.form
    if rnd.random() < kind:
        if prefix and ("p", prefix) in FLIPS:
            prefix, suffix = "", FLIPS[("p", prefix)]
            tags.append("kind-flip")
        elif suffix and ("s", suffix) in FLIPS and not prefix:
            prefix, suffix = FLIPS[("s", suffix)], ""
            tags.append("kind-flip")
        elif suffix in REG_SUFFIX and not prefix:
            suffix = rnd.choice([s for s in REG_SUFFIX if s != suffix])
            tags.append("kind-changed")
    swap = len(name.core.parts) > 1 and rnd.random() < order
    amp = "&"
    if name.core.template == "SS" and rnd.random() < 0.3:
        amp = "en"
    if swap:
        tags.append("order")
    words = prefix.split() + name.core.words(swap=swap, amp=amp) + suffix.split()
    if rnd.random() < typo:
        candidates = [i for i, w in enumerate(words)
                      if len(w) >= 7 and w.isalpha() and key_token(w) not in no_typo_tokens]
        if candidates:
            i = rnd.choice(candidates)
            typo_word = _typo(words[i], rnd)
            if typo_word != words[i]:
                words[i] = typo_word
                tags.append("typo")
    r = rnd.random()
    drop, restyle, change = form
    if legal and r < drop:
        legal = ""
        tags.append("form-dropped")
    elif legal in FORM_STYLES and r < drop + restyle:
        legal = rnd.choice(FORM_STYLES[legal])
        tags.append("form-restyled")
    elif (legal and r < drop + restyle + change) or (not legal and r < change):
        legal = FORM_CHANGES[legal]  # another form, or B.V. added to a name without one
        tags.append("form-changed")
    text = " ".join(words + ([legal] if legal else []))
    if not text.isascii() and rnd.random() < 0.5:
        text = strip_accents(text)
        tags.append("accents")
    r = rnd.random()
    if r < case * 0.65:
        text = text.upper()
        tags.append("upper")
    elif r < case:
        text = text.lower()
        tags.append("lower")
    return text, tags


# --- identifiers -------------------------------------------------------------------------------------

def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    if len(compact) < 15 or not compact.isalnum():
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def make_iban(bank: str, account: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bank + account + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bank}{account}"


@dataclass(frozen=True)
class Phone:
    area: str  # without the trunk 0: "20", "113", "6", "88"
    number: str

    @property
    def national(self) -> str:
        return f"0{self.area}{self.number}"

    def register_form(self) -> str:
        return f"0{self.area}-{self.number}"

    def written(self, rnd: random.Random) -> str:
        a, n = self.area, self.number
        groups = (4,) if a == "6" else (3,) if len(n) == 7 else (2, 4)  # 06 1234 5678, 020 123 4567, 0113 12 34 56
        spaced = " ".join(n[i:j] for i, j in zip((0, *groups), (*groups, len(n)), strict=True))
        forms = [f"0{a}-{n}", f"0{a} {spaced}", f"+31 {a} {spaced}", f"0031{a}{n}", f"+31{a}{n}", f"0{a}{n}"]
        if a != "6":
            grouped = f"{n[:3]} {n[3:5]} {n[5:]}" if len(n) == 7 else spaced
            forms.append(f"(0{a}) {grouped}")
        return rnd.choice(forms)


class Identifiers:
    """Unique KvK numbers, IBANs, domains, phone numbers and free-mail addresses for every party."""

    def __init__(self) -> None:
        self.kvks: set[str] = set()
        self.ibans: set[str] = set()
        self.domains: set[str] = set()
        self.phones: set[str] = set()
        self.mails: set[str] = set()

    def kvk(self, rnd: random.Random) -> str:
        while True:
            value = f"0{rnd.randint(1000000, 9999999)}" if rnd.random() < 0.15 else str(rnd.randint(10000000, 99999999))
            if value not in self.kvks:
                self.kvks.add(value)
                return value

    def iban(self, rnd: random.Random) -> str:
        while True:
            value = make_iban(rnd.choice(BANKS), f"{rnd.randint(10 ** 8, 10 ** 10 - 1):010d}")
            if value not in self.ibans:
                self.ibans.add(value)
                return value

    def phone(self, rnd: random.Random, mobile: float = 0.2) -> Phone:
        while True:
            r = rnd.random()
            if r < mobile:
                phone = Phone("6", f"{rnd.randint(1, 5)}{rnd.randint(0, 9_999_999):07d}")
            elif r < mobile + 0.1:
                phone = Phone("88", f"{rnd.randint(2_000_000, 9_999_999)}")
            elif r < mobile + 0.6:
                phone = Phone(rnd.choice(AREA2), f"{rnd.randint(2_000_000, 9_999_999)}")
            else:
                phone = Phone(rnd.choice(AREA3), f"{rnd.randint(200_000, 999_999)}")
            if phone.national not in self.phones:
                self.phones.add(phone.national)
                return phone

    def domain(self, rnd: random.Random, core: Core, kind_slug: str) -> str:
        base = core.slug()
        hyphen = "-".join(fold(" ".join(core.parts)).split())
        kind_slug = kind_slug or "incasso"
        options = [base, f"{base}{kind_slug}", f"{hyphen}-{kind_slug}", f"{kind_slug}-{hyphen}", f"{base}-{kind_slug}",
                   hyphen]
        for attempt in range(30):
            label = rnd.choice(options) if attempt < 20 else f"{base}{rnd.randint(2, 99)}"
            tld = rnd.choices(["nl", "com", "eu"], [85, 10, 5])[0]
            value = f"{label}.{tld}"
            if value not in self.domains:
                self.domains.add(value)
                return value
        raise RuntimeError(f"no free domain for {base}")

    def lookalike_domain(self, rnd: random.Random, domain: str) -> str:
        label, tld = domain.rsplit(".", 1)
        options = [f"{label}-betalen.nl", f"{label}.{'com' if tld != 'com' else 'net'}", f"mijn-{label}.nl",
                   f"{label}-online.nl", f"{label}-nl.com", f"{label}incasso.eu", f"{label}-portaal.nl"]
        rnd.shuffle(options)
        for value in options:
            if value not in self.domains:
                self.domains.add(value)
                return value
        return self.lookalike_domain(rnd, f"{label}{rnd.randint(2, 99)}.{tld}")

    def free_mail(self, rnd: random.Random, core: Core) -> str:
        while True:
            sep = rnd.choice([".", "", "_"])
            suffix = rnd.choice(["", ".incasso", str(rnd.randint(1, 99))])
            value = f"{fold(' '.join(core.parts)).replace(' ', sep)}{suffix}@{rnd.choice(FREE_MAIL)}"
            if value not in self.mails:
                self.mails.add(value)
                return value


def write_kvk(kvk: str, rnd: random.Random) -> str:
    if kvk.startswith("0") and rnd.random() < 0.35:
        kvk = kvk[1:]  # Excel drops the leading zero of a number
        return rnd.choice([kvk, f"KvK {kvk}"])
    spaced = f"{kvk[:4]} {kvk[4:]}"
    forms = [kvk, kvk, f"KvK {kvk}", f"KvK-nummer: {kvk}", f"kvk nr. {kvk}", f"KvK: {spaced}", spaced,
             f"{kvk[:2]}.{kvk[2:4]}.{kvk[4:6]}.{kvk[6:]}", f"Kamer van Koophandel {kvk}", f"KVK{kvk}"]
    return rnd.choice(forms)


def write_iban(iban: str, rnd: random.Random) -> str:
    grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    return rnd.choices([iban, grouped, grouped.lower(), iban.lower(), f"{iban[:4]} {iban[4:8]} {iban[8:]}"],
                       [40, 35, 8, 9, 8])[0]


def mistype_iban(iban: str, rnd: random.Random) -> str:
    """One digit of the account number wrong: the mod-97 check then always fails."""
    i = rnd.randrange(8, len(iban))
    digit = rnd.choice([d for d in "0123456789" if d != iban[i]])
    out = iban[:i] + digit + iban[i + 1:]
    assert not iban_valid(out)
    return out


def write_website(domain: str, rnd: random.Random) -> str:
    forms = [domain, f"www.{domain}", f"https://www.{domain}/betalen?dossier={rnd.randint(10000, 99999)}",
             f"http://{domain}/", f"https://{domain}", f"https://mijn.{domain}/login", f"WWW.{domain.upper()}",
             f"www.{domain}/contact", f"https://betalen.{domain}/?ref=brief{rnd.randint(1, 999)}"]
    return rnd.choice(forms)


def write_email(local: str, domain: str, rnd: random.Random) -> str:
    value = f"{local}@{domain}"
    return value.upper() if rnd.random() < 0.03 else value


def write_date(d: date, style: str) -> str:
    return d.isoformat() if style == "iso" else f"{d.day:02d}-{d.month:02d}-{d.year}"


def write_amount(value: Decimal, rnd: random.Random) -> str:
    units, cents = f"{value:.2f}".split(".")
    if len(units) > 3 and rnd.random() < 0.7:
        groups = []
        while len(units) > 3:
            groups.insert(0, units[-3:])
            units = units[:-3]
        units = ".".join([units, *groups])
    return f"{units},{cents}"


# --- BIK (domain brief §5.1): the expected export fields ----------------------------------------------

CENT = Decimal("0.01")
BIK_SLICES = ((Decimal(2500), Decimal("0.15")), (Decimal(2500), Decimal("0.10")), (Decimal(5000), Decimal("0.05")),
              (Decimal(190000), Decimal("0.01")))


def bik_maximum(principal: Decimal) -> Decimal:
    rest, total = principal, Decimal(0)
    for size, rate in BIK_SLICES:
        part = min(rest, size)
        total += part * rate
        rest -= part
        if rest <= 0:
            break
    if rest > 0:
        total += rest * Decimal("0.005")
    return min(max(total, Decimal(40)), Decimal(6775)).quantize(CENT, ROUND_HALF_UP)


def bik_ceiling(principal: Decimal) -> Decimal:
    return (bik_maximum(principal) * Decimal("1.21")).quantize(CENT, ROUND_HALF_UP)


# --- parties -----------------------------------------------------------------------------------------

@dataclass
class Party:
    pid: str  # registratienummer, exempt key, or collector id
    names: list[Name]
    kvk: str | None = None
    ibans: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)  # websites' registrable domains
    emails: list[str] = field(default_factory=list)  # own-domain addresses
    free_mail: str | None = None
    phones: list[Phone] = field(default_factory=list)
    plaats: str = ""
    postcode: str = ""
    lookalike: bool = False
    # registrations
    status: str = "ingeschreven"
    start: date | None = None
    end: date | None = None
    until: date | None = None  # geldig_tot
    profession: str = ""  # exempt parties: gerechtsdeurwaarder or advocaat
    weight: float = 1.0

    def valid_on(self, day: date) -> bool:
        return self.start is not None and self.start <= day and (self.end is None or day < self.end)


def _postcode(rnd: random.Random) -> str:
    return f"{rnd.randint(1000, 9999)} {rnd.choice('ABCDEGHJKLMNPRSTVWXZ')}{rnd.choice('ABCDEGHJKLMNPRSTVWXZ')}"


def _legal_name(core: Core, rnd: random.Random, *, use: str = "reg", form: str | None = None) -> Name:
    if use == "bailiff":
        prefix, suffix = (rnd.choice(BAILIFF_PREFIX), "") if rnd.random() < 0.5 else ("", rnd.choice(BAILIFF_SUFFIX))
        return Name(core, prefix, suffix, form if form is not None else rnd.choice(["B.V.", "", "", ""]))
    if use == "lawyer":
        prefix, suffix = (LAWYER_PREFIX[0], "") if rnd.random() < 0.4 else ("", LAWYER_SUFFIX[0])
        return Name(core, prefix, suffix, form if form is not None else rnd.choice(["B.V.", "N.V.", "", ""]))
    if use == "fake-bailiff":
        return Name(core, "Deurwaarderskantoor", "", form if form is not None else rnd.choice(["B.V.", ""]))
    r = rnd.random()
    if r < 0.33:
        prefix, suffix = rnd.choice(REG_PREFIX), ""
    elif r < 0.95:
        prefix, suffix = "", rnd.choice(REG_SUFFIX)
    else:
        prefix, suffix = "", ""
    return Name(core, prefix, suffix, form if form is not None else rnd.choice(LEGAL_FORMS))


def _local_part(rnd: random.Random) -> str:
    return rnd.choice(["info", "administratie", "incasso", "debiteuren", "klantenservice", "betalingen", "contact",
                       f"{rnd.choice('abcdefghjklmnprstw')}.{rnd.choice(['jansen', 'bakker', 'smit', 'visser'])}"])


def _count(rnd: random.Random, weights: list[float]) -> int:
    return rnd.choices(range(len(weights)), weights)[0]


def _make_registrations(n: int, rnd: random.Random, alloc: Allocator, ids: Identifiers, register_date: date,
                        n_lookalike_pairs: int) -> list[Party]:
    law_start = min(date(2024, 3, 28), register_date - timedelta(days=400))
    last_signal = register_date + timedelta(days=SIGNAL_WINDOW_DAYS + 40)
    regs: list[Party] = []
    numbers: set[str] = set()

    def new(core: Core, name_form: str | None = None, trade: bool = True) -> Party:
        legal = _legal_name(core, rnd, form=name_form)
        names = [legal]
        for _ in range(_count(rnd, [40, 35, 18, 7]) if trade else 0):
            if rnd.random() < 0.55:
                options = [("", s) for s in REG_SUFFIX] + [(p, "") for p in REG_PREFIX]
                options = [o for o in options if o != (legal.prefix, legal.suffix)
                           and o not in [(t.prefix, t.suffix) for t in names if t.core == core]]
                prefix, suffix = rnd.choice(options)
                names.append(Name(core, prefix, suffix, ""))
            else:
                names.append(_legal_name(alloc.core(rnd, "trade"), rnd, form=""))
        party = Party(pid="", names=names, kvk=ids.kvk(rnd), plaats=rnd.choice(PLACES_CITIES),
                      postcode=_postcode(rnd), weight=min(rnd.paretovariate(1.3), 40.0))
        for _ in range(_count(rnd, [25, 60, 15])):
            nm = rnd.choice(names)
            party.domains.append(ids.domain(rnd, nm.core, nm.kind_slug()))
        for _ in range(_count(rnd, [35, 50, 15])):
            domain = rnd.choice(party.domains) if party.domains and rnd.random() < 0.8 else None
            if domain is None:
                nm = rnd.choice(names)
                domain = ids.domain(rnd, nm.core, nm.kind_slug())
            address = f"{_local_part(rnd)}@{domain}"
            if address not in party.emails:
                party.emails.append(address)
        party.phones = [ids.phone(rnd) for _ in range(_count(rnd, [30, 55, 15]))]
        party.ibans = [ids.iban(rnd) for _ in range(_count(rnd, [30, 40, 20, 10]))]
        # status and dates
        r = rnd.random()
        span = (register_date - law_start).days
        if r < 0.04:  # lapsed: not renewed one year after registration
            party.status = "verlopen"
            party.start = law_start + timedelta(days=rnd.randint(0, span - 366))
            party.end = party.start + timedelta(days=365)
        elif r < 0.075:  # struck off before the snapshot
            party.status = "doorgehaald"
            party.start = law_start + timedelta(days=rnd.randint(0, span - 60))
            party.end = party.start + timedelta(days=rnd.randint(30, (register_date - party.start).days))
        elif r < 0.085:  # struck off with effect from a day after the snapshot
            party.status = "doorgehaald"
            party.start = law_start + timedelta(days=rnd.randint(0, span - 30))
            party.end = register_date + timedelta(days=rnd.randint(20, SIGNAL_WINDOW_DAYS - 20))
        elif r < 0.115:  # registered with effect from a day after the snapshot
            party.start = register_date + timedelta(days=rnd.randint(7, SIGNAL_WINDOW_DAYS - 30))
        else:
            party.start = law_start + timedelta(days=rnd.randint(0, span - 1))
        return party

    def number(party: Party) -> str:
        while True:
            value = f"R{party.start.year}-{rnd.randint(1, 99999):05d}"
            if value not in numbers:
                numbers.add(value)
                return value

    for _ in range(n):
        regs.append(new(alloc.core(rnd, "registration")))
    # deliberate look-alike pairs: change one existing registration's twin into a new registration
    pairs = 0
    for reg in rnd.sample(regs, len(regs)):
        if pairs >= n_lookalike_pairs or len(regs) >= n + n_lookalike_pairs:
            break
        twin = alloc.twin(reg.names[0].core) if reg.status == "ingeschreven" and not reg.lookalike else None
        if twin is None:
            continue
        other = new(twin, name_form=reg.names[0].form, trade=False)
        other.names = [Name(twin, reg.names[0].prefix, reg.names[0].suffix, reg.names[0].form)]
        other.status, other.start, other.end = "ingeschreven", reg.start, None
        reg.lookalike = other.lookalike = True
        regs.append(other)
        pairs += 1
    for reg in regs:
        reg.pid = number(reg)
        if reg.status == "ingeschreven":
            until = reg.start + timedelta(days=365)
            while until <= last_signal:
                until += timedelta(days=365)
            reg.until = until
    return regs


PLACES_CITIES = ["Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere",
                 "Breda", "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede", "Amersfoort", "Zwolle",
                 "Leeuwarden", "Maastricht", "Dordrecht", "Leiden", "Zoetermeer", "Emmen", "Venlo", "Deventer",
                 "Delft", "Helmond", "Oss", "Assen", "Hoorn", "Alkmaar", "'s-Hertogenbosch", "Capelle aan den IJssel"]


def _make_exempt(n: int, rnd: random.Random, alloc: Allocator, ids: Identifiers) -> list[Party]:
    out = []
    for i in range(n):
        use = "bailiff" if rnd.random() < 0.6 else "lawyer"
        core = alloc.core(rnd, "exempt")
        name = _legal_name(core, rnd, use=use)
        party = Party(pid=f"V{i + 1:04d}", names=[name], kvk=ids.kvk(rnd) if rnd.random() < 0.8 else None,
                      plaats=rnd.choice(PLACES_CITIES))
        party.profession = "advocaat" if use == "lawyer" else "gerechtsdeurwaarder"
        party.weight = min(rnd.paretovariate(1.5), 20.0)
        if rnd.random() < 0.6:
            party.domains.append(ids.domain(rnd, core, "advocaten" if use == "lawyer" else "gerechtsdeurwaarders"))
        out.append(party)
    return out


# --- writing the register and the exempt list --------------------------------------------------------

def _register_csv(regs: list[Party], rnd: random.Random, delimiter: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    for reg in sorted(regs, key=lambda r: r.pid):
        writer.writerow([
            reg.pid, reg.names[0].render(), "|".join(n.render() for n in reg.names[1:]), reg.kvk,
            f"{rnd.randint(1, 999_999_999_999):012d}" if rnd.random() < 0.5 else "", rnd.choice(STREETS),
            str(rnd.randint(1, 250)) + rnd.choice(["", "", "", "a", "-B"]), reg.postcode, reg.plaats,
            "|".join(rnd.choice([d, d, f"www.{d}", f"https://www.{d}"]) for d in reg.domains), "|".join(reg.emails),
            "|".join(p.register_form() for p in reg.phones), "|".join(reg.ibans), reg.status, reg.start.isoformat(),
            reg.end.isoformat() if reg.end else "",
            reg.until.isoformat() if reg.until and rnd.random() < 0.9 else "",
        ])
    return buf.getvalue().encode("utf-8")


def _exempt_csv(parties: list[Party], rnd: random.Random) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(EXEMPT_COLUMNS)
    for p in parties:
        writer.writerow([p.names[0].render(), p.kvk or "", p.profession, p.plaats,
                         "|".join(rnd.choice([d, f"www.{d}"]) for d in p.domains)])
    return buf.getvalue().encode("utf-8")


def _signals_bytes(rows: list[dict[str, str]], encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(SIGNAL_COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in SIGNAL_COLUMNS])
    return buf.getvalue().encode(encoding)


# --- signals -----------------------------------------------------------------------------------------

@dataclass
class _Signal:
    scenario: str
    ref: date
    truth: Truth
    cells: dict[str, str]
    source: str = ""
    brief: bool = True  # datum_brief given (else ontvangen_op is the reference date)


def _split_counts(n: int, mix: Mix) -> dict[str, int]:
    shares = {"registered": mix.registered, "not_valid": mix.not_valid, "exempt": mix.exempt,
              "unregistered": mix.unregistered, "clone": mix.clone,
              "kvk_registered": mix.kvk * mix.kvk_registered_share,
              "kvk_unregistered": mix.kvk * (1 - mix.kvk_registered_share)}
    total = sum(shares.values()) or 1.0
    counts = {k: int(n * v / total) for k, v in shares.items()}
    counts["registered"] += n - sum(counts.values())
    return counts


def _sizes(rnd: random.Random, total: int, upper: int, mean: float) -> list[int]:
    """Group sizes 1..upper, skewed (truncated power law with an exponent chosen for the mean)."""
    best = None
    for step in range(1, 400):
        exponent = step / 100
        weights = [k ** -exponent for k in range(1, upper + 1)]
        m = sum(k * w for k, w in zip(range(1, upper + 1), weights, strict=True)) / sum(weights)
        if best is None or abs(m - mean) < best[0]:
            best = (abs(m - mean), weights)
    weights = best[1]
    sizes: list[int] = []
    while total > 0:
        size = min(rnd.choices(range(1, upper + 1), weights)[0], total)
        sizes.append(size)
        total -= size
    return sizes


FORM_CANONICAL = {"bv": "B.V.", "nv": "N.V.", "vof": "V.O.F."}


def _light(text: str, rnd: random.Random) -> str:
    """Nearly the same name: legal form dropped, restyled or added, case changed; no other edit."""
    words = text.split()
    form = ""
    canonical = FORM_CANONICAL.get(words[-1].lower().replace(".", "")) if len(words) > 1 else None
    if canonical:
        form = words.pop()
    r = rnd.random()
    if form and r < 0.35:
        form = ""
    elif form and r < 0.5:
        form = rnd.choice(FORM_STYLES[canonical])
    elif not form and r < 0.08:
        form = "B.V."
    text = " ".join(words + ([form] if form else []))
    r = rnd.random()
    return text.upper() if r < 0.07 else text.lower() if r < 0.1 else text


class _SignalMaker:
    def __init__(self, rnd: random.Random, register_date: date, regs: list[Party], exempt: list[Party],
                 alloc: Allocator, ids: Identifiers, mix: Mix) -> None:
        self.rnd, self.day0, self.regs, self.exempt = rnd, register_date, regs, exempt
        self.alloc, self.ids, self.mix = alloc, ids, mix
        self.window_end = register_date + timedelta(days=SIGNAL_WINDOW_DAYS)
        self.no_typo = vocabulary().twin_tokens
        self.signals: list[_Signal] = []

    # dates ------------------------------------------------------------------------------------------
    def ref_between(self, lo: date, hi: date, *, edges: tuple[date, ...] = ()) -> date:
        lo, hi = max(lo, self.day0), min(hi, self.window_end)
        for edge in edges:
            if lo <= edge <= hi and self.rnd.random() < 0.12:
                return edge
        return lo + timedelta(days=self.rnd.randint(0, max(0, (hi - lo).days)))

    def write_dates(self, sig: _Signal, style: str) -> None:
        rnd = self.rnd
        if sig.brief:
            received = sig.ref + timedelta(days=rnd.choice([0, 1, 2, 3, 5, 7, 10, 14, 21, 30, MAX_RECEIPT_DELAY]))
            sig.cells["datum_brief"] = write_date(sig.ref, style)
        else:
            received = sig.ref
        sig.cells["ontvangen_op"] = write_date(received, style)

    # identifiers ------------------------------------------------------------------------------------
    def amounts(self, cells: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
        rnd = self.rnd
        r = rnd.random()
        if r >= 0.65:
            return None, None
        principal = Decimal(str(round(10 ** rnd.uniform(1.4, 4.6), 2))).quantize(CENT)
        cells["hoofdsom"] = write_amount(principal, rnd)
        if r >= 0.60:
            return principal, None
        ceiling = bik_ceiling(principal)
        if rnd.random() < 0.22:
            costs = (ceiling * Decimal(str(round(rnd.uniform(1.05, 3.0), 3)))).quantize(CENT)
        else:
            costs = (bik_maximum(principal) * Decimal(str(round(rnd.uniform(0.3, 1.0), 3)))).quantize(CENT)
        cells["incassokosten"] = write_amount(costs, rnd)
        return principal, costs

    def _add(self, scenario: str, ref: date, truth: Truth, cells: dict[str, str], *, source: str | None = None,
             brief: bool | None = None) -> None:
        rnd = self.rnd
        source = source or rnd.choice(SOURCES)
        if brief is None:
            brief = rnd.random() < 0.85
        if "omschrijving" not in cells:
            cells["omschrijving"] = rnd.choice(EXEMPT_DESCRIPTIONS if scenario == "exempt" else DESCRIPTIONS)
        self.signals.append(_Signal(scenario, ref, truth, cells, source, brief))

    def _registration_ids(self, reg: Party, *, named: bool) -> tuple[dict[str, str], list[str]]:
        """0-3 of the agency's own identifiers, written every which way; strong evidence when unnamed."""
        rnd = self.rnd
        cells: dict[str, str] = {}
        tags: list[str] = []
        kinds = ["kvk"] + (["iban"] if reg.ibans else []) + (["web"] if reg.domains else []) \
            + (["phone"] if reg.phones else []) + ["email"]
        k = _count(rnd, [30, 35, 25, 10])
        if not named or reg.lookalike:
            k = max(k, 1)
        chosen = rnd.sample(kinds, min(k, len(kinds)))
        strong = [c for c in chosen if c in ("kvk", "iban", "web")]
        if (not named or reg.lookalike) and not strong:
            chosen.append(rnd.choice([c for c in ("kvk", "iban", "web") if c in kinds]))
        for kind in chosen:
            if kind == "kvk":
                cells["kvk_nummer"] = write_kvk(reg.kvk, rnd)
                tags.append("kvk")
            elif kind == "iban":
                iban = rnd.choice(reg.ibans)
                if rnd.random() < 0.12:
                    cells["iban"] = write_iban(mistype_iban(iban, rnd), rnd)
                    tags.append("iban-mistyped")
                else:
                    cells["iban"] = write_iban(iban, rnd)
                    tags.append("iban")
            elif kind == "web":
                cells["website"] = write_website(rnd.choice(reg.domains), rnd)
                tags.append("web")
            elif kind == "phone":
                cells["telefoon"] = rnd.choice(reg.phones).written(rnd)
                tags.append("phone")
            elif kind == "email":
                if reg.emails and rnd.random() < 0.6:
                    cells["email"] = rnd.choice(reg.emails)
                    tags.append("email")
                else:
                    if reg.free_mail is None:
                        reg.free_mail = self.ids.free_mail(rnd, reg.names[0].core)
                    cells["email"] = reg.free_mail
                    tags.append("freemail")
        # a mistyped IBAN carries nothing: without a name another strong identifier must carry the signal
        if (not named or reg.lookalike) and not ({"kvk", "iban", "web"} & set(tags)):
            cells["kvk_nummer"] = write_kvk(reg.kvk, rnd)
            tags.append("kvk")
        return cells, tags

    def registration_signal(self, reg: Party, scenario: str, ref: date) -> None:
        rnd = self.rnd
        named = rnd.random() < 0.94
        cells: dict[str, str] = {}
        tags: list[str] = []
        if named:
            trade = len(reg.names) > 1 and rnd.random() < 0.4
            name = rnd.choice(reg.names[1:]) if trade else reg.names[0]
            no_typo = self.no_typo if reg.lookalike else frozenset()
            text, name_tags = vary_name(name, rnd, no_typo_tokens=no_typo)
            cells["naam_incassant"] = text
            tags += ["trade" if trade else "legal", *name_tags]
        else:
            tags.append("no-name")
        id_cells, id_tags = self._registration_ids(reg, named=named)
        cells.update(id_cells)
        tags += id_tags
        if rnd.random() < 0.25:
            cells["plaats"] = reg.plaats
            if rnd.random() < 0.5:
                cells["postcode"] = reg.postcode.replace(" ", "") if rnd.random() < 0.3 else reg.postcode
        verdict = SCENARIO_VERDICT[scenario]
        self._add(scenario, ref, Truth(verdict, reg.pid, None, scenario, " ".join(tags)), cells)

    # scenarios --------------------------------------------------------------------------------------
    def registered(self, n: int) -> None:
        pool = [r for r in self.regs if r.start <= self.window_end and (r.end is None or r.end > self.day0)]
        for reg in _weighted(self.rnd, pool, n):
            if reg.end is not None:  # struck off from a later day: before that day it was valid
                ref = self.ref_between(self.day0, reg.end - timedelta(days=1), edges=(reg.end - timedelta(days=1),))
            else:
                ref = self.ref_between(reg.start, self.window_end, edges=(reg.start,))
            self.registration_signal(reg, "registered", ref)

    def not_valid(self, n: int) -> None:
        pool = [r for r in self.regs if r.start > self.day0 or (r.end is not None and r.end <= self.window_end)]
        for reg in _weighted(self.rnd, pool, n):
            if reg.start > self.day0 and reg.end is None:
                ref = self.ref_between(self.day0, reg.start - timedelta(days=1), edges=(reg.start - timedelta(days=1),))
            else:
                ref = self.ref_between(reg.end, self.window_end, edges=(reg.end,))
            assert not reg.valid_on(ref)
            self.registration_signal(reg, "not_valid", ref)

    def exempt_signals(self, n: int) -> None:
        rnd = self.rnd
        for party in _weighted(rnd, self.exempt, n):
            cells: dict[str, str] = {}
            tags: list[str] = []
            named = not party.kvk or rnd.random() < 0.9
            if named:
                text, name_tags = vary_name(party.names[0], rnd)
                cells["naam_incassant"] = text
                tags += ["name", *name_tags]
            if party.kvk and (not named or rnd.random() < 0.3):
                cells["kvk_nummer"] = write_kvk(party.kvk, rnd)
                tags.append("kvk")
            if party.domains and rnd.random() < 0.2:
                cells["website"] = write_website(party.domains[0], rnd)
                tags.append("web")
            if rnd.random() < 0.1:
                cells["iban"] = write_iban(self.ids.iban(rnd), rnd)
                tags.append("iban-unknown")
            ref = self.ref_between(self.day0, self.window_end)
            self._add("exempt", ref, Truth("vrijgesteld", None, None, "exempt", " ".join(tags)), cells)

    def unregistered(self, n: int) -> None:
        rnd = self.rnd
        for c, size in enumerate(_sizes(rnd, n, 20, self.mix.mean_collector_signals)):
            cid = f"U{c + 1:04d}"
            fake_bailiff = rnd.random() < 0.05
            core = self.alloc.core(rnd, "collector")
            names = [_legal_name(core, rnd, use="fake-bailiff" if fake_bailiff else "reg")]
            for _ in range(_count(rnd, [45, 35, 20])):
                if rnd.random() < 0.6:
                    variant = _legal_name(core, rnd)
                    if variant.render() not in [x.render() for x in names]:
                        names.append(variant)
                else:
                    names.append(_legal_name(self.alloc.core(rnd, "collector"), rnd))
            party = Party(pid=cid, names=names, kvk=self.ids.kvk(rnd) if rnd.random() < 0.25 else None,
                          plaats=rnd.choice(PLACES_CITIES) if rnd.random() < 0.5 else "")
            party.ibans = [self.ids.iban(rnd) for _ in range(1 + _count(rnd, [50, 35, 15]))]
            if rnd.random() < 0.35:
                party.domains.append(self.ids.domain(rnd, core, names[0].kind_slug()))
            if rnd.random() < 0.4:
                party.phones.append(self.ids.phone(rnd, mobile=0.5))
            if rnd.random() < 0.25:
                domain = party.domains[0] if party.domains else self.ids.domain(rnd, core, names[0].kind_slug())
                party.emails.append(f"{_local_part(rnd)}@{domain}")
            if rnd.random() < 0.3:
                party.free_mail = self.ids.free_mail(rnd, core)
            self._collector_signals(party, size, "unregistered")

    def _collector_signals(self, party: Party, size: int, scenario: str, *, base_text: str | None = None,
                           clone_of: Party | None = None) -> None:
        """Signals of one collector, each linked to an earlier one by an identifier or nearly the same name.

        A signal linked by its name copies an earlier signal's name up to legal form and case; other signals
        write one of the collector's names afresh (at most one typo away from it). ``base_text``: one fixed
        name (clones), only ever varied in legal form and case.
        """
        rnd = self.rnd
        pool: list[tuple[str, object]] = [("iban", i) for i in party.ibans] + [("web", d) for d in party.domains] \
            + [("phone", p) for p in party.phones] + [("email", e) for e in party.emails] \
            + ([("kvk", party.kvk)] if party.kvk else [])
        links: list[list[tuple[str, object]]] = []  # per earlier signal: what a later one can share with it
        texts: list[str] = []
        start = self.day0 + timedelta(days=rnd.randint(0, SIGNAL_WINDOW_DAYS - 30))
        for i in range(size):
            items: list[tuple[str, object]] = []
            copy_of: int | None = None
            if i:
                link = rnd.choice(links[rnd.randrange(i)])
                if link[0] == "copy":
                    copy_of = link[1]
                else:
                    items.append(link)
            for extra in rnd.sample(pool, min(len(pool), _count(rnd, [35, 45, 20]))):
                if extra[0] not in {kind for kind, _ in items}:  # one cell per kind: the link must stay
                    items.append(extra)
            if clone_of is not None:
                items = self._clone_evidence(party, clone_of, items)
            tags: list[str] = []
            if copy_of is not None:
                text = _light(texts[copy_of], rnd)
                tags.append(f"name~{copy_of}")
            elif base_text is not None:
                text = _light(base_text, rnd)
                tags.append("name")
            else:
                which = 0 if rnd.random() < 0.6 else rnd.randrange(len(party.names))
                text, name_tags = vary_name(party.names[which], rnd, typo=0.15, no_typo_tokens=self.no_typo)
                tags.append(f"name{which}" + "".join(f"+{t}" for t in name_tags))
            texts.append(text)
            cells: dict[str, str] = {"naam_incassant": text}
            for kind, value in items:
                if kind == "iban":
                    cells["iban"] = write_iban(value, rnd)
                elif kind == "web":
                    cells["website"] = write_website(value, rnd)
                elif kind == "phone":
                    cells["telefoon"] = value.written(rnd)
                elif kind == "email":
                    local, domain = value.split("@")
                    cells["email"] = write_email(local, domain, rnd)
                elif kind == "kvk":
                    cells["kvk_nummer"] = write_kvk(value, rnd)
                tags.append(kind)
            if "email" not in cells and party.free_mail and rnd.random() < 0.3:
                cells["email"] = party.free_mail
                tags.append("freemail")
            if "iban" not in cells and party.ibans and rnd.random() < 0.06:
                cells["iban"] = write_iban(mistype_iban(rnd.choice(party.ibans), rnd), rnd)
                tags.append("iban-mistyped")
            if party.plaats and rnd.random() < 0.3:
                cells["plaats"] = party.plaats
            links.append([*items, ("copy", i)])
            ref = self.ref_between(start, start + timedelta(days=rnd.randint(0, 120)))
            self._add(scenario, ref, Truth("niet_geregistreerd", None, party.pid, scenario, " ".join(tags)), cells)

    def _clone_evidence(self, party: Party, target: Party, items: list[tuple[str, object]]) -> list:
        """A clone signal must prove it is not the agency: another KvK number, or another IBAN and website
        while the register knows the agency's IBAN and website."""
        kinds = {k for k, _ in items}
        if "kvk" in kinds:
            return items
        alternative = bool(target.ibans and target.domains and party.ibans and party.domains)
        if alternative and (not party.kvk or self.rnd.random() < 0.5 or {"iban", "web"} <= kinds):
            if "iban" not in kinds:
                items.append(("iban", self.rnd.choice(party.ibans)))
            if "web" not in kinds:
                items.append(("web", party.domains[0]))
            return items
        assert party.kvk
        items.append(("kvk", party.kvk))
        return items

    def clones(self, n: int) -> None:
        """One operation per target agency: two clones of one agency would be one suspect to anybody."""
        rnd = self.rnd
        targets = [r for r in self.regs if r.status == "ingeschreven" and r.start <= self.day0 and not r.lookalike]
        rnd.shuffle(targets)
        for c, size in enumerate(_sizes(rnd, n, 30, self.mix.mean_clone_signals)):
            if c >= len(targets):
                break
            target = targets[c]
            source = rnd.choice(target.names[1:]) if len(target.names) > 1 and rnd.random() < 0.3 else target.names[0]
            words = source.prefix.split() + source.core.words() + source.suffix.split()
            tags = ["trade" if source is not target.names[0] else "legal"]
            typo_at = [i for i, w in enumerate(words)
                       if len(w) >= 7 and w.isalpha() and key_token(w) not in self.no_typo]
            if typo_at and rnd.random() < 0.3:
                i = rnd.choice(typo_at)
                typo_word = _typo(words[i], rnd)
                if typo_word != words[i]:
                    words[i] = typo_word
                    tags.append("typo")
            form = source.form
            if rnd.random() < 0.05:
                form = FORM_CHANGES[form]
                tags.append("form-changed")
            base_text = " ".join(words + ([form] if form else []))
            party = Party(pid=f"C{c + 1:04d}", names=[])
            alternative = bool(target.ibans and target.domains)
            party.kvk = self.ids.kvk(rnd) if (not alternative or rnd.random() < 0.55) else None
            party.ibans = [self.ids.iban(rnd) for _ in range(1 + _count(rnd, [70, 30]))]
            if target.domains and (party.kvk is None or rnd.random() < 0.6):
                party.domains.append(self.ids.lookalike_domain(rnd, target.domains[0]))
            if rnd.random() < 0.3:
                party.phones.append(self.ids.phone(rnd, mobile=0.7))
            before = len(self.signals)
            self._collector_signals(party, size, "clone", base_text=base_text, clone_of=target)
            for sig in self.signals[before:]:
                sig.truth = Truth(sig.truth.verdict, None, party.pid, "clone",
                                  f"clone-of={target.pid} ({'+'.join(tags)}) {sig.truth.detail}")

    def kvk_rows(self, n_registered: int, n_unregistered: int) -> None:
        rnd = self.rnd
        extract = self.day0 + timedelta(days=14)
        valid = [r for r in self.regs if r.valid_on(extract)]
        for reg in rnd.sample(valid, min(n_registered, len(valid))):
            cells = {"naam_incassant": reg.names[0].render(), "kvk_nummer": reg.kvk, "plaats": reg.plaats,
                     "omschrijving": "SBI 82911: incassobureaus"}
            self._add("kvk_registered", extract, Truth("geregistreerd", reg.pid, None, "kvk_registered", "kvk-row"),
                      cells, source="kvk", brief=False)
        for i in range(n_unregistered):
            core = self.alloc.core(rnd, "collector")
            name = _legal_name(core, rnd, form=rnd.choice(["B.V.", "B.V.", "V.O.F.", "", ""]))
            cells = {"naam_incassant": name.render(), "kvk_nummer": self.ids.kvk(rnd),
                     "plaats": rnd.choice(PLACES_CITIES), "omschrijving": "SBI 82911: incassobureaus"}
            self._add("kvk_unregistered", extract,
                      Truth("niet_geregistreerd", None, f"K{i + 1:04d}", "kvk_unregistered", "kvk-row"),
                      cells, source="kvk", brief=False)


def _weighted(rnd: random.Random, pool: list[Party], n: int) -> list[Party]:
    if not pool or n <= 0:
        return []
    cum = list(accumulate(p.weight for p in pool))
    return rnd.choices(pool, cum_weights=cum, k=n)


# --- the set -----------------------------------------------------------------------------------------

def generate(n_registrations: int = 10_000, n_signals: int = 20_000, seed: int = 4, *, mix: Mix | None = None,
             n_exempt: int = 300, register_date: date = REGISTER_DATE, register_delimiter: str = ",",
             encoding: str = "utf-8-sig", date_style: str = "dutch", n_lookalike_pairs: int = 12) -> EvalSet:
    """A labelled evaluation set; see the module docstring. ``encoding``: of ``signals_csv`` (``"cp1252"``
    for Windows-1252); ``date_style``: ``"dutch"`` (DD-MM-JJJJ) or ``"iso"`` for the signals' dates."""
    mix = mix or Mix()
    alloc = Allocator(vocabulary(), random.Random(f"{seed}:names"))
    ids = Identifiers()
    # the exempt list first: it takes the surnames used alone ("Gerechtsdeurwaarderskantoor Klaassen")
    exempt = _make_exempt(n_exempt, random.Random(f"{seed}:exempt"), alloc, ids)
    regs = _make_registrations(n_registrations, random.Random(f"{seed}:register"), alloc, ids, register_date,
                               n_lookalike_pairs)
    register_csv = _register_csv(regs, random.Random(f"{seed}:register-file"), register_delimiter)
    exempt_csv = _exempt_csv(exempt, random.Random(f"{seed}:exempt-file"))

    # everything above depends on n_registrations, n_exempt and seed only
    rnd = random.Random(f"{seed}:signals:{n_signals}")
    counts = _split_counts(n_signals, mix)
    maker = _SignalMaker(rnd, register_date, regs, exempt, alloc, ids, mix)
    maker.registered(counts["registered"])
    maker.not_valid(counts["not_valid"])
    maker.exempt_signals(counts["exempt"])
    maker.unregistered(counts["unregistered"])
    maker.clones(counts["clone"])
    maker.kvk_rows(counts["kvk_registered"], counts["kvk_unregistered"])
    # a small register may lack parties for a scenario (no struck-off registration, fewer clone targets
    # than operations): those signals go to the first scenario
    maker.registered(n_signals - len(maker.signals))
    signals = maker.signals
    rnd.shuffle(signals)

    rows: list[dict[str, str]] = []
    truth: dict[str, Truth] = {}
    expected: dict[str, tuple[str, str]] = {}
    numbers: Counter[str] = Counter()
    for sig in signals:
        numbers[sig.source] += 1
        ref = f"{SOURCE_PREFIX[sig.source]}-{register_date.year}-{numbers[sig.source]:06d}"
        maker.write_dates(sig, date_style)
        cells = {"referentie": ref, "bron": sig.source, **sig.cells}
        principal, costs = (None, None) if sig.source == "kvk" else maker.amounts(cells)
        rows.append(cells)
        truth[ref] = sig.truth
        expected[ref] = ("", "")
        if principal is not None:
            excess = "" if costs is None else f"{max(Decimal(0), costs - bik_ceiling(principal)):.2f}"
            expected[ref] = (f"{bik_maximum(principal):.2f}", excess)
    return EvalSet(register_csv=register_csv, register_date=register_date, exempt_csv=exempt_csv,
                   signals_csv=_signals_bytes(rows, encoding), truth=truth, signal_rows=rows, expected_bik=expected,
                   encoding=encoding, date_style=date_style)


def dump(evalset: EvalSet, directory) -> list[str]:
    """Write the files and the truth (CSV) for inspection; returns the paths."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files = {"register.csv": evalset.register_csv, "vrijgestelden.csv": evalset.exempt_csv,
             "signalen.csv": evalset.signals_csv}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["referentie", "oordeel", "registratienummer", "incassant", "scenario",
                                             "detail"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(evalset.truth_rows())
    files["waarheid.csv"] = buf.getvalue().encode("utf-8")
    paths = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        paths.append(str(out / name))
    return paths


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Generate the signals evaluation set (see the module docstring).")
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--dump", metavar="DIR")
    args = parser.parse_args()
    began = time.perf_counter()
    es = generate(args.registrations, args.signals, args.seed)
    print(f"generated in {time.perf_counter() - began:.2f} s: {es.scenario_counts()}, "
          f"collectors {es.collector_counts()}")
    if args.dump:
        for path in dump(es, args.dump):
            print(path)
