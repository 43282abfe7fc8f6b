"""Evaluation world "casework": labelled signals about Dutch debt collectors as they reach the Inspectie
through casework, against a register whose firms change over time.

The world
---------
* Registered firms (one or more register rows each): ordinary firms, firms that are renamed, move, add a
  trade name and website, are struck off or lapse, register late, re-register under a new number after
  their registration ended (same KvK), are taken over by another registered firm (the buyer's row gets
  the old brand, website and bank account from the takeover day; the seller's row is struck off that
  day), merge into a new registration, or belong to a group with two registrations sharing one brand.
  Some are foreign collectors with a Dutch branch (own KvK number).
* Exempt offices: bailiffs (gerechtsdeurwaarders) and lawyers (advocaten) on the exempt list.
* Unregistered collectors: local firms, one-man businesses, debt buyers, foreign collectors writing from
  Belgium, Germany or the UK, clones of registered firms (same name, other KvK/IBAN/website), lookalike
  names, and fake "deurwaarders".
* Creditors (energy, telecom, insurers, webshops ...) appear in the text and sometimes with their own
  bank account in the ``iban`` column; they collect nothing and are never the answer.

Surnames and places are shared on purpose between unrelated registered, exempt and unregistered parties.

Signals are written the way the sources write: debt counsellors summarising a case file, call-centre
agents transcribing a debtor's phone call (names spelled as heard, numbers read out), municipalities,
other supervisors, KvK extract rows, anonymous tips, consumers forwarding a letter.

Labelling policy
----------------
The reference date of a signal is ``datum_brief``, or ``ontvangen_op`` when that is empty (signalen.md).
The label is what the register and the exempt list said on that day about the party that actually
collects (not the creditor whose IBAN or name may also appear):

* ``geregistreerd`` + number(s): the collector's firm had a registration valid that day
  (``datum_inschrijving <= D < datum_einde``). Two numbers only when two registrations of one group are
  both valid and the signal names their shared brand.
* ``registratie_niet_geldig`` + number(s): the firm is in the register but no registration of it was valid
  that day (not yet, struck off, lapsed). When the firm re-registered, the day lies in the gap and both its
  registrations (the ended one and the next one) are given as equally right.
* ``vrijgesteld``: a bailiff or lawyer office on the exempt list; no number.
* ``niet_geregistreerd`` + ``collector`` id: anyone else; every signal about one unregistered collector
  carries the same id.

After a takeover or merger the old brand belongs to the buyer (its register row lists it); a signal from
that day on that uses the old brand is labelled with the buyer's registration.

What is left out
----------------
A signal is dropped (counted in ``World.dropped``) when a careful inspector could not tell who it is about:
its name (after stripping legal forms, generic trade words and spelling differences, and using the place
when one is given) fits parties whose answers differ, and no identifier (KvK number, a KvK number one typo
away from exactly one candidate, valid IBAN, website or e-mail domain, phone number) singles out the
collector; or its identifiers point at a party other than the collector. Signals are generated until the
requested number survive.

Timeline
--------
Everything happens between 2024-04-01 and 2026-11-30. Parties, signals and labels depend only on the
seed; ``mirror_start`` only decides which register snapshots are handed out (mirror_start, then quarterly,
and a last one on 2026-11-30 when the quarters stop before it). A snapshot on day S holds every
registration with ``datum_inschrijving <= S``, with the name, trade names, address and identifiers it had
on S; an ended registration stays with its status and ``datum_einde``.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

WORLD_START = date(2024, 4, 1)
WORLD_END = date(2026, 11, 30)
FAR = date(9999, 12, 31)

# --------------------------------------------------------------------------------------------- interface


@dataclass(frozen=True)
class Truth:
    verdict: str
    registratienummers: tuple[str, ...]
    collector: str | None
    kind: str
    detail: str
    tags: tuple[str, ...] = ()
    bron: str = ""
    reference_date: date | None = None


@dataclass
class World:
    register_snapshots: list[tuple[date, bytes]]
    exempt_snapshots: list[tuple[date, bytes]]
    signals_csv: bytes
    truth: dict[str, Truth]
    dropped: dict[str, int]
    sizes: dict[str, int]
    seed: int = 1
    mirror_start: date = date(2026, 11, 1)


KINDS = (
    "case_file", "phone_transcript", "consumer_letter", "kvk_extract", "municipality_notice", "supervisor_notice",
    "anonymous_tip", "renamed_old_name", "renamed_new_name", "moved_old_address", "new_trade_name",
    "multi_brand", "reregistered_gap", "reregistered_new", "takeover_before", "takeover_old_brand",
    "merger_brand", "group_shared_brand", "group_entity", "ended_registration", "not_yet_registered",
    "handover", "debt_buyer", "creditor_iban", "foreign_registered", "foreign_unregistered", "kvk_typo",
    "kvk_partial", "clone", "lookalike", "exempt_bailiff", "exempt_lawyer", "fake_bailiff",
)

# ------------------------------------------------------------------------------------------- vocabulary

SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van der Heijden", "Schouten",
    "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam",
    "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Lange", "Kuipers", "van Wijk", "Post", "Veenstra",
    "Kramer", "van den Brink", "Scholten", "Vink", "Postma", "Koning", "Timmermans", "Groen", "Verbeek",
    "Hermans", "Wouters", "Molenaar", "Evers", "Sanders", "van der Laan", "Verschuren", "Claassen", "Klaver",
    "Brinkman", "Hoogendoorn", "Pauwels", "Zwart", "Lammers", "Stam", "Hofman", "Jonker", "van Rijn",
    "Driessen", "Martens", "Wolters", "Verweij", "Gerritsen", "Kroon", "Aarts", "Rutten", "Hoekman",
    "Biesheuvel", "Langeveld", "Terpstra", "Oosterhuis", "Zijlstra", "van Tongeren", "Nieuwenhuis", "Ruiter",
    "van Gelder", "Bijl", "Kamphuis", "Meulenbelt", "Schipper", "Roelofs", "Tromp", "Rietveld", "Steenbergen",
    "Hazelaar", "Brandsma", "Doornbos", "Wiersma", "Haverkamp", "Siebers", "van Essen", "Lubbers", "Pronk",
    "Holtkamp", "Bloemendaal", "de Ridder", "Overbeek", "Heijnen", "Goossens", "van Houten", "Elzinga",
    "Veldhuis", "Mertens", "Ververs", "Buitenhuis", "Kremer", "Spijkerman", "Tuinstra", "Bouwmeester",
    "van Oosten", "Dirksen", "Kooistra", "ten Have", "Wessels", "Hulshof", "Ouwehand", "Reijnders", "Boschma",
)
INITIALS = "ABCDEFGHJKLMNPRSTW"
BRAND_HEAD = (
    "Noord", "Zuid", "West", "Oost", "Hoog", "Delta", "Dijk", "Polder", "Kreek", "Duin", "Heide", "Veen", "Linde",
    "Eiken", "Berken", "Wilgen", "Zilver", "Koper", "Amber", "Tulp", "Meeuw", "Reiger", "Valk", "Kraan", "Anker",
    "Baken", "Zeil", "Kompas", "Toren", "Molen", "Klaver", "Helder", "Vast", "Recht", "Kern", "Stip", "Brons",
)
BRAND_TAIL = (
    "kaap", "licht", "poort", "brug", "wacht", "stroom", "haven", "veld", "kamp", "hof", "burg", "sluis", "dam",
    "baak", "vaart", "weide", "mond", "zicht", "punt", "lijn", "steen", "pad",
)
LATIN = (
    "Veritas", "Solvendo", "Credimax", "Fidelis", "Aequitas", "Pecunia", "Debitas", "Solvia", "Fiducia",
    "Clarion", "Nexum", "Quorum", "Pactum", "Integra", "Certus", "Axiom", "Solidus", "Libra", "Prudentia",
)
REGIONS = (
    "Twente", "Achterhoek", "Brabant", "Rijnmond", "Holland", "Friesland", "Limburg", "Zeeland", "Gooi",
    "Drechtsteden", "Veluwe", "Kennemerland", "Westland", "Betuwe", "Salland", "Drenthe", "Midden-Nederland",
)
COLLECTOR_WORDS = (
    "Incasso", "Incassobureau", "Incassodiensten", "Credit Management", "Debiteurenbeheer", "Invorderingen",
    "Collect", "Vorderingenbeheer", "Financial Services", "Incasso & Advies", "Gerechtelijke Incasso Support",
)
BUYER_WORDS = ("Vorderingen", "Claims", "Portfolio", "Receivables", "Debt Purchase", "Credit Fund")
STREETS = (
    "Stationsweg", "Kerkstraat", "Havenweg", "Industrieweg", "Marktplein", "Dorpsstraat", "Beneluxlaan",
    "Koningin Julianalaan", "Nieuwe Gracht", "Spoorlaan", "Vlietweg", "Energieweg", "Zuidsingel", "Prinsenkade",
    "Bedrijvenpark", "Europalaan", "Handelsweg", "Molenstraat", "Burgemeester Roelenweg", "Westerdok",
    "Noordersingel", "Parallelweg", "Kanaalstraat", "Veemarkt", "Transportweg", "Oude Vest", "Lindenlaan",
)
# place, postcode range (4 digits), area code
PLACES = (
    ("Amsterdam", 1011, 1109, "020"), ("Rotterdam", 3011, 3089, "010"), ("Den Haag", 2491, 2599, "070"),
    ("Utrecht", 3511, 3585, "030"), ("Eindhoven", 5611, 5658, "040"), ("Groningen", 9711, 9747, "050"),
    ("Tilburg", 5011, 5049, "013"), ("Almere", 1311, 1365, "036"), ("Breda", 4811, 4839, "076"),
    ("Nijmegen", 6511, 6546, "024"), ("Apeldoorn", 7311, 7339, "055"), ("Haarlem", 2011, 2037, "023"),
    ("Arnhem", 6811, 6846, "026"), ("Enschede", 7511, 7548, "053"), ("Amersfoort", 3811, 3829, "033"),
    ("Zaandam", 1501, 1509, "075"), ("'s-Hertogenbosch", 5211, 5237, "073"), ("Zwolle", 8011, 8043, "038"),
    ("Leiden", 2311, 2334, "071"), ("Maastricht", 6211, 6229, "043"), ("Dordrecht", 3311, 3329, "078"),
    ("Ede", 6711, 6718, "0318"), ("Leeuwarden", 8911, 8939, "058"), ("Alkmaar", 1811, 1827, "072"),
    ("Delft", 2611, 2629, "015"), ("Deventer", 7411, 7429, "0570"), ("Helmond", 5701, 5709, "0492"),
    ("Venlo", 5911, 5928, "077"), ("Hoorn", 1621, 1628, "0229"), ("Gouda", 2801, 2809, "0182"),
    ("Emmen", 7811, 7833, "0591"), ("Assen", 9401, 9409, "0592"), ("Heerenveen", 8441, 8449, "0513"),
    ("Roermond", 6041, 6046, "0475"), ("Oss", 5341, 5349, "0412"), ("Hengelo", 7551, 7559, "074"),
    ("Middelburg", 4331, 4339, "0118"), ("Goes", 4461, 4465, "0113"), ("Sittard", 6131, 6137, "046"),
    ("Heerlen", 6411, 6419, "045"), ("Lelystad", 8211, 8245, "0320"), ("Harderwijk", 3841, 3849, "0341"),
    ("Veenendaal", 3901, 3907, "0318"), ("Schiedam", 3111, 3125, "010"), ("Zoetermeer", 2711, 2729, "079"),
    ("Purmerend", 1441, 1448, "0299"), ("Hilversum", 1211, 1223, "035"), ("Den Helder", 1781, 1789, "0223"),
    ("Roosendaal", 4701, 4709, "0165"), ("Bergen op Zoom", 4611, 4625, "0164"), ("Doetinchem", 7001, 7009, "0314"),
    ("Zutphen", 7201, 7207, "0575"), ("Kampen", 8261, 8267, "038"), ("Meppel", 7941, 7944, "0522"),
    ("Sneek", 8601, 8608, "0515"), ("Drachten", 9201, 9204, "0512"), ("Tiel", 4001, 4007, "0344"),
    ("Woerden", 3441, 3449, "0348"), ("Nieuwegein", 3431, 3439, "030"), ("Weert", 6001, 6006, "0495"),
    ("Uden", 5401, 5406, "0413"), ("Waalwijk", 5141, 5146, "0416"), ("Barneveld", 3771, 3774, "0342"),
    ("Winterswijk", 7101, 7109, "0543"), ("Terneuzen", 4531, 4539, "0115"), ("Hoogeveen", 7901, 7909, "0528"),
)
FOREIGN = {
    "BE": (("Antwerpen", "2000", "3"), ("Gent", "9000", "9"), ("Brussel", "1000", "2"), ("Hasselt", "3500", "11"),
           ("Brugge", "8000", "50"), ("Leuven", "3000", "16"), ("Turnhout", "2300", "14")),
    "DE": (("Düsseldorf", "40210", "211"), ("Köln", "50667", "221"), ("Essen", "45127", "201"),
           ("Münster", "48143", "251"), ("Duisburg", "47051", "203"), ("Hamburg", "20095", "40"),
           ("Kleve", "47533", "2821")),
    "GB": (("London", "EC2A 4NE", "20"), ("Manchester", "M1 3BN", "161"), ("Leeds", "LS1 4AP", "113"),
           ("Birmingham", "B2 4QA", "121"), ("Glasgow", "G2 1DY", "141")),
}
FOREIGN_SURNAMES = {
    "BE": ("Peeters", "Janssens", "Maes", "Claes", "Goossens", "Wouters", "De Smet", "Dubois", "Lambert",
           "Vermeiren", "Van Damme", "Mertens", "Desmet", "Lemaire"),
    "DE": ("Schröder", "Müller", "Schmitz", "Becker", "Hoffmann", "Wagner", "Krüger", "Hartmann", "Brandt",
           "Vogel", "Lehmann", "Kessler"),
    "GB": ("Harcourt", "Whitfield", "Ashdown", "Pemberton", "Langley", "Crawford", "Milton", "Fairbanks",
           "Holloway", "Sinclair"),
}
FOREIGN_PATTERNS = {
    "BE": ("Incassobureau {s} BV", "{s} Incasso BVBA", "Recouvrement {s} SRL", "{b} Collect BV", "{s} & Co Invordering NV"),
    "DE": ("Inkasso {s} GmbH", "{s} Forderungsmanagement GmbH", "{b} Inkasso GmbH", "{s} Inkassodienst GmbH & Co. KG"),
    "GB": ("{s} Debt Recovery Ltd", "{s} Credit Services Ltd", "{b} Collections Ltd", "{s} & {s2} Recoveries Limited"),
}
CREDITORS = (
    "Stroomlijn Energie", "NetPlus Telecom", "VitaalZorg Verzekeringen", "Kijkgoed Webwinkel", "Woonstede Wonen",
    "Mobiel Direct", "Postorder Vandaag", "Tandartspraktijk De Molen", "Waterbedrijf Midden", "Fietslease Nederland",
    "Sportschool FitFabriek", "Kinderopvang Zonnestraal", "Autoverhuur Snelweg", "Zorgkantoor Regio Oost",
    "Lenen Vandaag", "Modehuis Lente", "Huisartsenpost Centrum", "Dierenkliniek Het Klavertje",
)
NL_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ", "RBRB", "FVLB")
GB_BANKS = ("BARC", "LOYD", "NWBK", "HBUK", "MIDL")
WORD_NUM = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")

# ---------------------------------------------------------------------------------------- identifiers


def _iban(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def make_iban(rng: random.Random, country: str = "NL") -> str:
    if country == "NL":
        return _iban("NL", rng.choice(NL_BANKS) + "".join(rng.choice("0123456789") for _ in range(10)))
    if country == "BE":
        first = rng.randrange(10**9, 10**10)
        check = first % 97 or 97
        return _iban("BE", f"{first:010d}{check:02d}")
    if country == "DE":
        return _iban("DE", "".join(rng.choice("0123456789") for _ in range(18)))
    return _iban("GB", rng.choice(GB_BANKS) + "".join(rng.choice("0123456789") for _ in range(14)))


def iban_ok(iban: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    return int("".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])) % 97 == 1


def group4(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def slug(name: str) -> str:
    name = name.lower().replace("&", "en").replace("'", "").replace(" ", "")
    for a, b in (("ö", "o"), ("ü", "u"), ("ä", "a"), ("é", "e"), ("ë", "e")):
        name = name.replace(a, b)
    return re.sub(r"[^a-z0-9-]+", "", name).strip("-")


# ---------------------------------------------------------------------------- name cores (attribution)

_LEGAL = {
    "bv", "nv", "vof", "cv", "bvba", "srl", "gmbh", "co", "kg", "ltd", "limited", "ua", "holding", "eenmanszaak",
}
_GENERIC = {
    "incasso", "incassobureau", "incassodiensten", "incassodienst", "credit", "management", "debiteurenbeheer",
    "invorderingen", "invordering", "collect", "collections", "vorderingenbeheer", "financial", "services",
    "advies", "gerechtelijke", "support", "vorderingen", "claims", "portfolio", "receivables", "debt", "purchase",
    "fund", "recovery", "recoveries", "inkasso", "forderungsmanagement", "inkassodienst", "recouvrement",
    "administratie", "administratiekantoor", "partners", "groep", "group", "nederland", "bureau", "kantoor",
    "en", "and", "de", "der", "den", "van", "het", "te", "ter", "ten", "t", "afd", "afdeling", "tav",
    "namens", "incassoburo", "service", "nl", "benelux", "international", "dossier", "cm",
}
_BAILIFF = ("deurwaard", "gerechtsdeurwaard")
_LAWYER = ("advoca", "advocaten", "advocatuur", "law", "legal")


def _phon(token: str) -> str:
    for a, b in (("ij", "y"), ("ei", "y"), ("ch", "g"), ("ph", "f"), ("dt", "t"), ("th", "t"), ("ou", "au"),
                 ("c", "k"), ("z", "s"), ("ö", "o"), ("ü", "u"), ("ae", "a")):
        token = token.replace(a, b)
    token = re.sub(r"(.)\1+", r"\1", token)
    if token.endswith("d"):
        token = token[:-1] + "t"
    return token


def name_core(name: str) -> tuple[frozenset[str], str | None]:
    """Distinctive tokens of a name and its category (bailiff, lawyer, collector or None)."""
    low = name.lower().replace("b.v.", "bv").replace("v.o.f.", "vof").replace("n.v.", "nv").replace("t.a.v.", "tav")
    tokens = re.findall(r"[a-zà-ÿ0-9]+", low)
    cat = None
    keep = []
    for tok in tokens:
        if any(tok.startswith(p) or p in tok for p in _BAILIFF):
            cat = "bailiff"
            continue
        if tok.startswith(_LAWYER):
            cat = cat or "lawyer"
            continue
        if tok in _LEGAL:
            continue
        if tok in _GENERIC or tok.startswith(("incasso", "inkasso")):
            cat = cat or "collector"
            continue
        if len(tok) == 1:
            continue
        keep.append(_phon(tok))
    return frozenset(keep), cat


# --------------------------------------------------------------------------------------------- parties


@dataclass(eq=False)
class Entity:
    """Something a signal can be about: one registration, one exempt office or one unregistered collector."""
    eid: str
    kind: str                      # reg | exempt | unreg
    firm: str                      # firm / office / collector id: registrations of one firm share it
    names: list[tuple[str, date, date]] = field(default_factory=list)        # name, from, to (exclusive)
    idents: list[tuple[str, str, date, date]] = field(default_factory=list)  # type, value, from, to
    places: set[str] = field(default_factory=set)
    # registration only
    start: date | None = None
    end: date | None = None
    end_status: str = ""
    kvk: str = ""
    vestiging: str = ""
    legal_names: list[tuple[date, str]] = field(default_factory=list)   # from, naam
    trade_names: list[tuple[date, tuple[str, ...]]] = field(default_factory=list)
    addresses: list[tuple[date, tuple[str, str, str, str]]] = field(default_factory=list)
    extra: list[tuple[date, str, str]] = field(default_factory=list)    # from, field, value
    websites: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    ibans: tuple[str, ...] = ()
    # exempt / unreg / general
    beroep: str = ""
    country: str = "NL"
    label: str = ""              # free text: what this party is
    event: str = ""
    event_date: date | None = None
    partner: str = ""            # eid of the other party of an event

    def at(self, items: list[tuple[date, object]], day: date):
        value = items[0][1]
        for since, v in items:
            if since <= day:
                value = v
        return value

    def valid(self, day: date) -> bool:
        return self.start is not None and self.start <= day and (self.end is None or day < self.end)


def _addr(rng: random.Random, place: tuple) -> tuple[str, str, str, str]:
    pc = f"{rng.randint(place[1], place[2])} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
    return rng.choice(STREETS), str(rng.randint(1, 240)) + rng.choice(["", "", "", "a", "b", "-3"]), pc, place[0]


def _nl_phone(rng: random.Random, place: tuple | None) -> str:
    if place is None or rng.random() < 0.25:
        return "06-" + "".join(rng.choice("0123456789") for _ in range(8))
    area = place[3]
    return area + "-" + "".join(rng.choice("0123456789") for _ in range(10 - len(area)))


def _foreign_phone(rng: random.Random, country: str, area: str) -> str:
    prefix = {"BE": "+32", "DE": "+49", "GB": "+44"}[country]
    return f"{prefix} {area} " + "".join(rng.choice("0123456789") for _ in range(7))


class Builder:
    def __init__(self, seed: int, registrations: int, exempt: int, collectors: int):
        self.rng = random.Random(f"casework-{seed}")
        self.entities: dict[str, Entity] = {}
        self.kvks: set[str] = set()
        self.used_names: set[str] = set()
        self.used_domains: set[str] = set()
        self.reg_seq: Counter = Counter()
        self.n_regs, self.n_exempt, self.n_unreg = registrations, exempt, collectors
        self.creditor_ibans = {c: make_iban(self.rng) for c in CREDITORS}

    # --- helpers
    def kvk(self) -> str:
        while True:
            r = self.rng.random()
            k = f"{self.rng.randrange(10**6, 10**7):08d}" if r < 0.12 else str(self.rng.randrange(10**7, 10**8))
            if k not in self.kvks:
                self.kvks.add(k)
                return k

    def domain(self, base: str, tld: str = "nl") -> str:
        base = re.sub(r"\b(B\.V\.|V\.O\.F\.|N\.V\.|GmbH & Co\. KG|GmbH|Ltd|Limited|BVBA|BV|NV|SRL)(?=\W|$)", "", base)
        if self.rng.random() < 0.2 and " " in base.strip():
            base = base.strip().replace(" ", "-")
        d = f"{slug(base)[:28]}.{tld}"
        n = 2
        while d in self.used_domains:
            d = f"{slug(base)[:26]}{n}.{tld}"
            n += 1
        self.used_domains.add(d)
        return d

    def unique(self, make) -> str:
        for _ in range(200):
            name = make()
            if name.lower() not in self.used_names:
                self.used_names.add(name.lower())
                return name
        return name

    def regnr(self, start: date) -> str:
        self.reg_seq[start.year] += 1
        return f"R{start.year}-{self.reg_seq[start.year] * 7 + self.rng.randrange(7):05d}"

    def add(self, e: Entity) -> Entity:
        self.entities[e.eid] = e
        return e

    def base_name(self, foreign: str | None = None) -> tuple[str, str]:
        """A legal name and its brand (the distinctive short name)."""
        rng = self.rng
        s, s2 = rng.choice(SURNAMES), rng.choice(SURNAMES)
        brand = rng.choice(BRAND_HEAD) + rng.choice(BRAND_TAIL) if rng.random() < 0.7 else rng.choice(LATIN)
        pat = rng.choices(
            ["{b} Incasso B.V.", "{S} Incasso B.V.", "Incassobureau {S} B.V.", "{S} & {S2} Credit Management B.V.",
             "{b} Debiteurenbeheer V.O.F.", "Incassodiensten {r} B.V.", "{b} Invorderingen B.V.",
             "Administratiekantoor {S}", "{i}. {S} Incasso", "{b} Collect B.V.", "{S} Gerechtelijke Incasso Support B.V.",
             "{b} Credit Management N.V.", "{S} Incasso & Advies"],
            [14, 10, 8, 5, 5, 4, 5, 4, 4, 6, 1, 2, 3])[0]
        name = pat.format(b=brand, S=s[0].upper() + s[1:], S2=s2[0].upper() + s2[1:], r=rng.choice(REGIONS),
                          i=rng.choice(INITIALS))
        if "{b}" in pat:
            short = brand
        elif "{r}" in pat:
            short = name.replace(" B.V.", "")
        else:
            short = name.replace(" B.V.", "").replace(" V.O.F.", "")
        return name, short

    # --- registered firms
    def registration(self, firm: str, name: str, trade: tuple[str, ...], start: date, place: tuple,
                     country: str = "NL", kvk: str | None = None) -> Entity:
        rng = self.rng
        e = Entity(eid=self.regnr(start), kind="reg", firm=firm, start=start, country=country)
        e.kvk = kvk or self.kvk()
        e.vestiging = f"0000{rng.randrange(10**7, 10**8)}" if rng.random() < 0.6 else ""
        e.legal_names = [(WORLD_START, name)]
        e.trade_names = [(WORLD_START, trade)]
        e.addresses = [(WORLD_START, _addr(rng, place))]
        dom = self.domain(trade[0] if trade and rng.random() < 0.6 else name)
        e.websites = (dom,) if rng.random() < 0.9 else ()
        e.emails = (f"{rng.choice(['info', 'incasso', 'debiteuren', 'klantenservice'])}@{dom}",) if rng.random() < 0.75 else ()
        e.phones = (_nl_phone(rng, place),) if rng.random() < 0.85 else ()
        e.ibans = tuple(make_iban(rng) for _ in range(rng.choice([0, 1, 1, 1, 2])))
        return self.add(e)

    def _start(self) -> date:
        r = self.rng.random()
        if r < 0.65:   # the rush before the end of the transition year
            return WORLD_START + timedelta(days=self.rng.randint(30, 365))
        if r < 0.9:
            return date(2025, 4, 1) + timedelta(days=self.rng.randint(0, 500))
        return date(2025, 4, 1) + timedelta(days=self.rng.randint(500, 570))

    def _when(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    def build_registered(self) -> None:
        rng = self.rng
        count = 0
        f = 0
        while count < self.n_regs:
            f += 1
            firm = f"F{f:04d}"
            left = self.n_regs - count
            event = rng.choices(
                ["plain", "rename", "move", "new_trade", "ended", "late", "reregister", "takeover", "merger",
                 "group", "foreign", "multi"], [38, 8, 6, 6, 8, 5, 6, 5, 2, 3, 3, 6])[0]
            if event in ("reregister", "takeover", "group") and left < 2 or event == "merger" and left < 3:
                event = "plain"
            foreign = None
            if event == "foreign":
                foreign = rng.choice(["BE", "DE", "GB"])
                s = rng.choice(FOREIGN_SURNAMES[foreign])
                brand = rng.choice(BRAND_HEAD) + rng.choice(BRAND_TAIL)
                name = self.unique(lambda: rng.choice(FOREIGN_PATTERNS[foreign]).format(  # noqa: B023 (called at once)
                    s=s, s2=rng.choice(FOREIGN_SURNAMES[foreign]), b=brand))  # noqa: B023 (called at once)
                short = name
            else:
                name = self.unique(lambda: self.base_name()[0])
                short = self._short(name)
            place = rng.choice(PLACES)
            trade = (short,) if short != name and rng.random() < 0.6 else ()
            start = self._start()
            if event in ("rename", "move", "new_trade", "takeover", "merger") and start > date(2026, 3, 1):
                start = self._when(WORLD_START + timedelta(days=30), date(2025, 12, 31))
            if event == "late":
                start = self._when(date(2025, 6, 1), date(2026, 6, 1))
            elif event == "reregister" and start > date(2025, 10, 1):
                start = self._when(WORLD_START + timedelta(days=30), date(2025, 3, 31))
            e = self.registration(firm, name, trade, start, place)
            e.event, e.label = event, event
            count += 1
            if foreign:
                e.country = foreign
                e.label = f"foreign firm ({foreign}) with Dutch branch"
                fp = rng.choice(FOREIGN[foreign])
                e.websites = (self.domain(name, {"BE": "be", "DE": "de", "GB": "co.uk"}[foreign]),) + e.websites[:1]
                e.phones = (_foreign_phone(rng, foreign, fp[2]),) + e.phones
                e.ibans = (make_iban(rng, foreign),)
                e.places.add(fp[0])
            lo, hi = start + timedelta(days=60), WORLD_END - timedelta(days=90)
            if event == "rename":
                t = self._when(lo, hi)
                new = self.unique(lambda: self.base_name()[0])
                keep_old = rng.random() < 0.5
                e.legal_names.append((t, new))
                nt = ((self._short(new),) if rng.random() < 0.5 else ()) + ((name,) if keep_old else ())
                e.trade_names.append((t, nt))
                e.event_date = t
                e.label = f"renamed on {t} from {name!r} to {new!r}" + (" (old name kept as trade name)" if keep_old else "")
                if rng.random() < 0.5:
                    d2 = self.domain(self._short(new))
                    e.extra.append((t, "website", d2))
            elif event == "move":
                t = self._when(lo, hi)
                place2 = rng.choice([p for p in PLACES if p[0] != place[0]])
                e.addresses.append((t, _addr(rng, place2)))
                if e.phones and rng.random() < 0.6:
                    e.extra.append((t, "telefoon", _nl_phone(rng, place2)))
                e.event_date = t
                e.label = f"moved on {t} from {place[0]} to {place2[0]}"
            elif event == "new_trade":
                t = self._when(lo, hi)
                nb = self.unique(lambda: rng.choice(BRAND_HEAD) + rng.choice(BRAND_TAIL) + rng.choice([" Incasso", " Collect", "", " Debiteurenbeheer"]))
                e.trade_names.append((t, e.trade_names[0][1] + (nb,)))
                e.extra.append((t, "website", self.domain(nb)))
                e.event_date = t
                e.label = f"new trade name {nb!r} from {t}"
            elif event == "multi":
                extra_names = tuple(self.unique(lambda: rng.choice(BRAND_HEAD) + rng.choice(BRAND_TAIL) + rng.choice([" Incasso", " Collect", "", " Invorderingen"])) for _ in range(rng.randint(2, 3)))
                e.trade_names = [(WORLD_START, e.trade_names[0][1] + extra_names)]
                e.websites = e.websites + tuple(self.domain(x) for x in extra_names[:2])
                e.label = f"several trade names {extra_names}"
            elif event == "ended":
                if rng.random() < 0.5:
                    years = 1 + (rng.random() < 0.3)
                    t = start.replace(year=start.year + years)
                    if t >= WORLD_END:
                        t = start.replace(year=start.year + 1)
                    e.end_status = "verlopen"
                else:
                    t = self._when(start + timedelta(days=40), WORLD_END - timedelta(days=20))
                    e.end_status = "doorgehaald"
                if t < WORLD_END:
                    e.end = t
                    e.label = f"{e.end_status} on {t}"
                else:
                    e.event = "plain"
            elif event == "late":
                e.label = f"registered late, from {e.start}"
            elif event == "reregister":
                t = e.start.replace(year=e.start.year + 1)
                e.end, e.end_status = t, rng.choice(["verlopen", "verlopen", "doorgehaald"])
                gap = rng.choice([0, 0, rng.randint(5, 40), rng.randint(30, 150)])
                s2 = min(t + timedelta(days=gap), WORLD_END - timedelta(days=60))
                new_name = name if rng.random() < 0.6 else self.unique(lambda: self.base_name()[0])
                e2 = self.registration(firm, new_name, e.trade_names[0][1], s2, place, kvk=e.kvk)
                e2.websites, e2.emails, e2.phones = e.websites, e.emails, e.phones
                e2.ibans = e.ibans if rng.random() < 0.7 else e.ibans + (make_iban(rng),)
                e2.event, e2.partner, e.partner = "reregistered", e.eid, e2.eid
                e.label = f"{e.end_status} on {t}; re-registered as {e2.eid} from {s2}"
                e2.label = f"re-registration of {e.eid} (ended {t}) from {s2}"
                e.event_date = e2.event_date = s2
                count += 1
            elif event == "takeover":
                # firm e is taken over by a new buyer firm b on day t
                f += 1
                bname = self.unique(lambda: self.base_name()[0])
                bplace = rng.choice(PLACES)
                b = self.registration(f"F{f:04d}", bname, (self._short(bname),), self._when(WORLD_START + timedelta(days=30), date(2025, 3, 1)), bplace)
                b.event = "buyer"
                lo = max(start, b.start) + timedelta(days=60)
                t = self._when(lo, WORLD_END - timedelta(days=100))
                e.end, e.end_status, e.event_date, b.event_date = t, "doorgehaald", t, t
                b.trade_names.append((t, b.trade_names[0][1] + ((short,) if short != name else (name,))))
                for w in e.websites:
                    b.extra.append((t, "website", w))
                for i in e.ibans:
                    b.extra.append((t, "iban", i))
                e.partner, b.partner = b.eid, e.eid
                e.label = f"taken over by {b.eid} ({bname}) on {t}"
                b.label = f"took over {e.eid} ({name}) on {t}"
                count += 1
            elif event == "merger":
                f += 1
                oname = self.unique(lambda: self.base_name()[0])
                o = self.registration(f"F{f:04d}", oname, (self._short(oname),), self._when(WORLD_START + timedelta(days=30), date(2025, 3, 1)), rng.choice(PLACES))
                f += 1
                cname = self.unique(lambda: rng.choice(LATIN) + " " + rng.choice(["Groep", "Credit Management", "Incasso Groep", "Collect"]) + " B.V.")
                t = self._when(max(start, o.start) + timedelta(days=90), WORLD_END - timedelta(days=120))
                c = self.registration(f"F{f:04d}", cname, (), t, place)
                c.trade_names = [(t, (self._short(name), self._short(oname)))]
                for w in e.websites[:1]:
                    c.extra.append((t, "website", w))
                for x in (e, o):
                    x.end, x.end_status, x.event_date, x.partner = t, "doorgehaald", t, c.eid
                    x.event = "merged"
                    x.label = f"merged into {c.eid} ({cname}) on {t}"
                c.event, c.event_date, c.partner = "merger", t, e.eid + "|" + o.eid
                c.label = f"merger of {e.eid} and {o.eid} on {t}"
                count += 2
            elif event == "group":
                # two entities of one group, sharing the brand and its website; each with own KvK/IBAN
                words = [w for w in self._short(name).split() if w not in ("Incassobureau", "Administratiekantoor", "Incassodiensten", "&")]
                brand = words[0] if words[0] not in ("van", "de", "ten") else " ".join(words[:2])
                n2 = self.unique(lambda: f"{brand} {rng.choice(['Gerechtelijke Incasso Support', 'Debiteurenbeheer', 'Invorderingen', 'Credit Management'])} B.V.")  # noqa: B023 (called at once)
                e.trade_names = [(WORLD_START, (brand,))]
                g2 = self.registration(firm, n2, (brand,), self._when(start, min(start + timedelta(days=200), WORLD_END - timedelta(days=30))), rng.choice(PLACES))
                g2.websites = e.websites + (self.domain(n2),)
                g2.event, g2.partner, e.partner = "group", e.eid, g2.eid
                e.label = g2.label = f"group {brand!r}: {e.eid} + {g2.eid}"
                count += 1
        self.n_firms = f

    def _short(self, name: str) -> str:
        s = name
        for suffix in (" B.V.", " V.O.F.", " N.V."):
            s = s.replace(suffix, "")
        return s

    # --- exempt offices
    def build_exempt(self) -> None:
        rng = self.rng
        for i in range(self.n_exempt):
            bailiff = rng.random() < 0.6
            s, s2 = rng.choice(SURNAMES), rng.choice(SURNAMES)
            S, S2 = s[0].upper() + s[1:], s2[0].upper() + s2[1:]
            if bailiff:
                pat = rng.choice(["Gerechtsdeurwaarderskantoor {S}", "{S} & {S2} Gerechtsdeurwaarders",
                                  "{S} Gerechtsdeurwaarders B.V.", "Deurwaarderskantoor {S} & Partners",
                                  "{p} Deurwaarders", "{S} {S2} Gerechtsdeurwaarders en Incasso"])
            else:
                pat = rng.choice(["Advocatenkantoor {S}", "{S} {S2} Advocaten", "{S} & Partners Advocaten N.V.",
                                  "Advocatuur {S}", "{S} Legal Advocaten", "{S} & {S2} Advocaten en Incasso"])
            place = rng.choice(PLACES)
            name = self.unique(lambda: pat.format(S=S, S2=S2, p=place[0]))  # noqa: B023 (called at once)
            e = Entity(eid=f"X{i + 1:04d}", kind="exempt", firm=f"X{i + 1:04d}",
                       beroep="gerechtsdeurwaarder" if bailiff else "advocaat")
            e.kvk = self.kvk() if rng.random() < 0.8 else ""
            e.legal_names = [(WORLD_START, name)]
            e.addresses = [(WORLD_START, _addr(rng, place))]
            e.websites = (self.domain(name),) if rng.random() < 0.75 else ()
            e.label = f"{e.beroep} {name} ({place[0]})"
            self.add(e)

    # --- unregistered collectors
    def build_unregistered(self) -> None:
        rng = self.rng
        regs = [e for e in self.entities.values() if e.kind == "reg"]
        for i in range(self.n_unreg):
            uid = f"U{i + 1:04d}"
            e = Entity(eid=uid, kind="unreg", firm=uid)
            kind = rng.choices(["local", "one_man", "debt_buyer", "foreign", "clone", "lookalike", "fake_bailiff"],
                               [30, 12, 12, 14, 12, 12, 8])[0]
            place = rng.choice(PLACES)
            addr = _addr(rng, place)
            if kind == "local":
                name = self.unique(lambda: self.base_name()[0])
            elif kind == "one_man":
                s = rng.choice(SURNAMES)
                name = self.unique(lambda: rng.choice(["Incassodienst {i}. {S}", "{S} Administratie & Incasso",
                                                       "Incassobureau {S}", "{i}.{j}. {S} Invorderingen"]).format(
                    i=rng.choice(INITIALS), j=rng.choice(INITIALS), S=s[0].upper() + s[1:]))  # noqa: B023 (called at once)
            elif kind == "debt_buyer":
                name = self.unique(lambda: f"{rng.choice(LATIN + BRAND_HEAD)} {rng.choice(BUYER_WORDS)} B.V.")
            elif kind == "foreign":
                c = rng.choice(["BE", "BE", "DE", "GB"])
                s = rng.choice(FOREIGN_SURNAMES[c])
                brand = rng.choice(BRAND_HEAD) + rng.choice(BRAND_TAIL)
                name = self.unique(lambda: rng.choice(FOREIGN_PATTERNS[c]).format(  # noqa: B023 (called at once)
                    s=s, s2=rng.choice(FOREIGN_SURNAMES[c]), b=brand))  # noqa: B023 (called at once)
                fp = rng.choice(FOREIGN[c])
                e.country = c
                addr = ("", "", "", fp[0])
            elif kind == "clone":
                src = rng.choice(regs)
                src_name = src.legal_names[0][1]
                name = rng.choice([src_name, self._short(src_name), self._short(src_name) + " Services",
                                   self._short(src_name) + " Nederland"])
                e.partner = src.eid
            elif kind == "lookalike":
                src = rng.choice(regs)
                short = self._short(src.legal_names[0][1])
                name = self.unique(lambda: _lookalike(rng, short))  # noqa: B023 (called at once)
                e.partner = src.eid
            else:
                s = rng.choice(SURNAMES)
                name = self.unique(lambda: rng.choice(["Deurwaarders Incasso Service {p}", "Landelijk Deurwaarderscollectief",
                                                       "{S} Deurwaarders & Incasso", "Nationaal Deurwaarders Bureau {p}"]).format(
                    S=s[0].upper() + s[1:], p=place[0]))  # noqa: B023 (called at once)
            e.label = f"{kind}: {name}" + (f" (copies {e.partner})" if e.partner else "")
            e.event = kind
            e.legal_names = [(WORLD_START, name)]
            e.addresses = [(WORLD_START, addr)]
            tld = {"NL": "nl", "BE": "be", "DE": "de", "GB": "co.uk"}[e.country]
            e.websites = (self.domain(name + rng.choice(["", "-online", "-nl", "-betalen"]), tld),) if rng.random() < 0.75 else ()
            if e.websites and rng.random() < 0.7:
                e.emails = (f"{rng.choice(['info', 'betalen', 'dossier', 'support'])}@{e.websites[0]}",)
            elif rng.random() < 0.3:
                e.emails = (f"{slug(name)[:14]}@{rng.choice(['gmail.com', 'outlook.com', 'hotmail.com'])}",)
            if e.country == "NL":
                e.phones = (_nl_phone(rng, place),) if rng.random() < 0.8 else ()
            else:
                e.phones = (_foreign_phone(rng, e.country, rng.choice(FOREIGN[e.country])[2]),)
            e.ibans = (make_iban(rng, e.country if rng.random() < 0.8 else "NL"),) if rng.random() < 0.85 else ()
            e.kvk = self.kvk() if e.country == "NL" and rng.random() < 0.55 else ""
            self.add(e)

    # --- index for attribution
    def finish(self) -> None:
        """Names and identifiers with their windows, for the attribution check."""
        self.name_index: dict[str, list[tuple[Entity, frozenset, str | None, date, date]]] = defaultdict(list)
        self.all_names: list[tuple[Entity, frozenset, str | None, date, date]] = []
        self.ident_index: dict[tuple[str, str], list[tuple[Entity, date, date]]] = defaultdict(list)
        for e in self.entities.values():
            cut = FAR
            if e.kind == "reg" and e.partner and e.event in ("takeover", "merged"):
                cut = e.end       # the brand passes to the buyer / the merged firm
            names = set()
            for _since, n in e.legal_names:
                names.add((n, WORLD_START, cut))
            for since, tn in e.trade_names:
                for n in tn:
                    names.add((n, since, cut))
            for n, lo, hi in names:
                toks, cat = name_core(n)
                entry = (e, toks, cat, lo, hi)
                self.all_names.append(entry)
                for t in toks:
                    self.name_index[t].append(entry)
            for _, a in e.addresses:
                if a[3]:
                    e.places.add(a[3])
            for w in e.websites:
                self.ident_index[("domain", w)].append((e, WORLD_START, cut))
            for m in e.emails:
                dom = m.split("@")[1]
                if dom not in ("gmail.com", "outlook.com", "hotmail.com"):
                    self.ident_index[("domain", dom)].append((e, WORLD_START, cut))
                self.ident_index[("email", m)].append((e, WORLD_START, cut))
            for p in e.phones:
                self.ident_index[("phone", _phone_key(p))].append((e, WORLD_START, FAR))
            for i in e.ibans:
                self.ident_index[("iban", i)].append((e, WORLD_START, cut))
            if e.kvk:
                self.ident_index[("kvk", e.kvk)].append((e, WORLD_START, FAR))
            if e.vestiging:
                self.ident_index[("vest", e.vestiging)].append((e, WORLD_START, FAR))
            for since, fld, value in e.extra:
                key = {"website": "domain", "iban": "iban", "telefoon": "phone"}[fld]
                self.ident_index[(key, _phone_key(value) if key == "phone" else value)].append((e, since, FAR))
                if key == "phone":
                    pass
        self.by_firm: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities.values():
            self.by_firm[e.firm].append(e)


def _phone_key(p: str) -> str:
    digits = re.sub(r"\D", "", p)
    if p.startswith("+"):
        return "00" + digits
    return digits


def _lookalike(rng: random.Random, short: str) -> str:
    ops = [
        lambda s: s.replace("k", "c", 1) if "k" in s else s + " Groep",
        lambda s: s.replace("ij", "y", 1) if "ij" in s else s.replace("e", "ee", 1),
        lambda s: s.replace(" ", "-", 1) if " " in s else s[:3] + "-" + s[3:],
        lambda s: s + " Holland",
        lambda s: s.replace("Incasso", "Incasso Service") if "Incasso" in s else s + " Incasso Service",
        lambda s: re.sub(r"([aeiou])", r"\1\1", s, count=1),
        lambda s: "Nieuw " + s,
    ]
    return rng.choice(ops)(short)


# ----------------------------------------------------------------------------------------- registers


def register_row(e: Entity, day: date) -> list[str]:
    naam = e.at(e.legal_names, day)
    trade = e.at(e.trade_names, day)
    straat, huis, pc, plaats = e.at(e.addresses, day)
    web, tel, iban = list(e.websites), list(e.phones), list(e.ibans)
    for since, fld, value in e.extra:
        if since <= day:
            {"website": web, "telefoon": tel, "iban": iban}[fld].append(value)
    if e.end is not None and e.end <= day:
        status, einde, tot = e.end_status, e.end.isoformat(), ""
    else:
        status, einde = "ingeschreven", ""
        years = day.year - e.start.year + 1
        until = e.start.replace(year=e.start.year + years)
        while until - timedelta(days=366) > day:
            until = until.replace(year=until.year - 1)
        tot = until.isoformat()
    return [e.eid, naam, "|".join(trade), e.kvk, e.vestiging, straat, huis, pc, plaats, "|".join(dict.fromkeys(web)),
            "|".join(e.emails), "|".join(dict.fromkeys(tel)), "|".join(dict.fromkeys(iban)), status,
            e.start.isoformat(), einde, tot]


REGISTER_HEADER = ("registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat",
                   "huisnummer", "postcode", "plaats", "website", "email", "telefoon", "iban", "status",
                   "datum_inschrijving", "datum_einde", "geldig_tot")
EXEMPT_HEADER = ("naam", "kvk_nummer", "beroep", "plaats", "website")
SIGNAL_HEADER = ("referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email",
                 "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving")


def _csv(header, rows, delimiter=",", bom=False) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def snapshot_dates(mirror_start: date) -> list[date]:
    days = [mirror_start]
    y, m = mirror_start.year, mirror_start.month
    while True:
        m += 3
        if m > 12:
            y, m = y + 1, m - 12
        d = date(y, m, min(mirror_start.day, 28))
        if d > WORLD_END:
            break
        days.append(d)
    if days[-1] < WORLD_END:
        days.append(WORLD_END)
    return days


# ------------------------------------------------------------------------------------------- writing

SPOKEN = (("ij", "ei"), ("ei", "ij"), ("g", "ch"), ("ch", "g"), ("k", "c"), ("c", "k"), ("dt", "t"), ("au", "ou"),
          ("ou", "au"), ("z", "s"), ("v", "f"), ("ee", "e"), ("aa", "a"), ("oo", "o"), ("y", "ij"), ("th", "t"))
LEGAL_VARIANTS = {
    " B.V.": (" B.V.", " BV", " bv", " B.V", "", "", " b.v."),
    " V.O.F.": (" V.O.F.", " vof", "", ""),
    " N.V.": (" N.V.", " NV", ""),
    " GmbH": (" GmbH", " Gmbh", ""),
    " Ltd": (" Ltd", " Ltd.", " Limited", ""),
    " BVBA": (" BVBA", " bvba", ""),
}
ABBREV = (("Incassobureau", ("Incassobureau", "Incasso Bureau", "Incassoburo", "Inc.bureau", "incassobureau")),
          ("Credit Management", ("Credit Management", "Credit Mgmt", "CM", "creditmanagement")),
          ("Gerechtsdeurwaarderskantoor", ("Gerechtsdeurwaarderskantoor", "Gerechtsdeurwaarders kantoor",
                                           "deurwaarderskantoor", "Deurwaarder")),
          ("Advocatenkantoor", ("Advocatenkantoor", "Advocaten kantoor", "advocaat")),
          (" & ", (" & ", " en ", " &", "&")),
          ("Debiteurenbeheer", ("Debiteurenbeheer", "Debiteuren Beheer", "debiteurenbeheer")))


CLUTTER = (" t.a.v. afd. incasso", ", Postbus {n}", " - dossier {n}", " namens {creditor}", " / {creditor}",
           " (zie bijlage)", ", afdeling debiteuren")


def vary_name(rng: random.Random, name: str, tags: list[str], spoken: bool = False, creditor: str = "") -> str:
    out = name
    for form, variants in LEGAL_VARIANTS.items():
        if out.endswith(form):
            v = rng.choice(variants)
            if v != form:
                tags.append("legal_form")
            out = out[: -len(form)] + v
    for word, variants in ABBREV:
        if word in out and rng.random() < 0.35:
            v = rng.choice(variants)
            if v != word:
                tags.append("abbreviation")
            out = out.replace(word, v, 1)
    if spoken:
        low = out.lower()
        subs = [(a, b) for a, b in SPOKEN if a in low]
        rng.shuffle(subs)
        for a, b in subs[: rng.randint(1, 2)]:
            i = low.find(a)
            out = out[:i] + (b.upper() if out[i].isupper() and len(b) == 1 else b) + out[i + len(a):]
            low = out.lower()
        if rng.random() < 0.4:
            out = re.sub(r"\bvan (de[rn]?) ", lambda m: "van" + m[1] + " ", out, flags=re.I)
        tags.append("spoken_spelling")
        if rng.random() < 0.5:
            out = out.lower()
    if not spoken and rng.random() < 0.07:
        out += rng.choice(CLUTTER).format(n=rng.randint(100, 99999), creditor=creditor or "opdrachtgever")
        tags.append("clutter")
    r = rng.random()
    if r < 0.08:
        out = out.upper()
        tags.append("upper")
    elif r < 0.14:
        out = out.lower()
        tags.append("lower")
    return out.strip()


def spoken_digits(rng: random.Random, digits: str) -> str:
    words = [WORD_NUM[int(d)] for d in digits if d.isdigit()]
    if rng.random() < 0.5:
        return "-".join(words)
    return " ".join(words)


def fmt_phone(rng: random.Random, phone: str) -> str:
    key = _phone_key(phone)
    if key.startswith("00"):
        return rng.choice([phone, "+" + key[2:], key])
    r = rng.random()
    if r < 0.3:
        return phone
    if r < 0.5:
        return key
    if r < 0.7:
        return "+31 " + key[1:3] + " " + key[3:]
    if r < 0.85:
        return "0031" + key[1:]
    return " ".join(key[i:i + 2] for i in range(0, len(key), 2))


def fmt_kvk(rng: random.Random, kvk: str) -> str:
    return rng.choice([kvk, kvk, f"KvK {kvk}", f"{kvk[:4]} {kvk[4:]}", f"{kvk[:2]}.{kvk[2:4]}.{kvk[4:6]}.{kvk[6:]}",
                       f"kvk-nr. {kvk}"])


def fmt_iban(rng: random.Random, iban: str) -> str:
    return rng.choice([iban, group4(iban), group4(iban), group4(iban).lower(), iban.lower()])


def fmt_site(rng: random.Random, domain: str) -> str:
    return rng.choice([domain, "www." + domain, "https://www." + domain, f"https://{domain}/betalen",
                       f"www.{domain}/dossier?ref={rng.randint(10000, 99999)}", "http://" + domain + "/"])


def amount(value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    if len(whole) > 3:
        whole = whole[:-3] + "." + whole[-3:]
    return f"{whole},{cents}"


def _dmy(rng: random.Random, d: date) -> str:
    return d.isoformat() if rng.random() < 0.7 else d.strftime("%d-%m-%Y")


STYLE_BRON = {
    "case_file": "schuldhulpverlener", "phone_transcript": "consument", "consumer_letter": "consument",
    "kvk_extract": "kvk", "municipality_notice": "gemeente", "supervisor_notice": "toezichthouder",
    "anonymous_tip": "anoniem",
}


class Writer:
    def __init__(self, b: Builder, rng: random.Random):
        self.b, self.rng = b, rng
        self.seq: Counter = Counter()

    def ref(self, bron: str, received: date) -> str:
        prefix = {"schuldhulpverlener": "SHV", "consument": "CON", "kvk": "KVK", "gemeente": "GEM",
                  "toezichthouder": "TZH", "anoniem": "ANO", "overig": "OVR"}[bron]
        self.seq[prefix] += 1
        return f"{prefix}-{received.year}-{self.seq[prefix]:05d}"

    def names_at(self, e: Entity, day: date) -> tuple[str, tuple[str, ...]]:
        return e.at(e.legal_names, day), e.at(e.trade_names, day) if e.trade_names else ()

    def idents_at(self, e: Entity, day: date) -> dict[str, list[str]]:
        web, tel, iban = list(e.websites), list(e.phones), list(e.ibans)
        for since, fld, value in e.extra:
            if since <= day:
                {"website": web, "telefoon": tel, "iban": iban}[fld].append(value)
        return {"website": web, "telefoon": tel, "iban": iban, "email": list(e.emails)}

    def write(self, e: Entity, day: date, style: str, *, name: str | None = None, tags: list[str],
              identifiers: float = 1.0, text: str = "", force: dict | None = None, place: str | None = None,
              ) -> dict[str, str]:
        rng = self.rng
        bron = STYLE_BRON[style]
        if style == "phone_transcript" and rng.random() < 0.3:
            bron = "overig"
        legal, trade = self.names_at(e, day)
        if name is None:
            if style == "kvk_extract":
                name = legal
            elif trade and rng.random() < 0.55:
                name = rng.choice(trade)
            else:
                name = legal
        source_name = name
        creditor = rng.choice(CREDITORS)
        written = (vary_name(rng, name, tags, spoken=style == "phone_transcript", creditor=creditor)
                   if style != "kvk_extract" else name)
        ids = self.idents_at(e, day)
        f = dict.fromkeys(SIGNAL_HEADER, "")
        f["bron"] = bron
        f["naam_incassant"] = written
        p = identifiers
        if style == "kvk_extract":
            f["kvk_nummer"] = e.kvk
            addr = e.at(e.addresses, day)
            f["postcode"], f["plaats"] = addr[2], addr[3]
            f["omschrijving"] = rng.choice(["SBI 82911 Incassobureaus", "Activiteit: incassobureau, debiteurenbeheer",
                                            "Inschrijving handelsregister, SBI 8291"])
        else:
            if e.kvk and rng.random() < {"case_file": 0.3, "supervisor_notice": 0.5, "municipality_notice": 0.2}.get(style, 0.08) * p:
                f["kvk_nummer"] = fmt_kvk(rng, e.kvk)
            if ids["iban"] and rng.random() < {"consumer_letter": 0.55, "case_file": 0.5, "phone_transcript": 0.1}.get(style, 0.1) * p:
                iban = rng.choice(ids["iban"])
                if rng.random() < 0.06:   # one digit copied wrong: the checksum fails
                    i = rng.randrange(8, len(iban))
                    iban = iban[:i] + str((int(iban[i], 36) + rng.randint(1, 8)) % 10) + iban[i + 1:]
                    if not iban_ok(iban):
                        tags.append("iban_typo")
                f["iban"] = fmt_iban(rng, iban)
            if ids["website"] and rng.random() < {"anonymous_tip": 0.9, "supervisor_notice": 0.5}.get(style, 0.2) * p:
                f["website"] = fmt_site(rng, rng.choice(ids["website"]))
            if ids["email"] and rng.random() < 0.12 * p:
                f["email"] = rng.choice(ids["email"])
            if ids["telefoon"] and rng.random() < {"phone_transcript": 0.7}.get(style, 0.12) * p:
                f["telefoon"] = fmt_phone(rng, rng.choice(ids["telefoon"]))
            addr = e.at(e.addresses, day)
            if place is not None:
                f["plaats"] = place
            elif addr[3] and rng.random() < {"municipality_notice": 0.7, "case_file": 0.35}.get(style, 0.15):
                f["plaats"] = addr[3] if rng.random() < 0.85 else addr[3].upper()
                if addr[2] and rng.random() < 0.3:
                    f["postcode"] = addr[2] if rng.random() < 0.5 else addr[2].replace(" ", "")
        if force:
            f.update(force)
        if style == "anonymous_tip" and (f["website"] or f["email"]) and rng.random() < 0.3:
            f["naam_incassant"] = written = source_name = ""
            tags.append("no_name")
        # amounts and dates
        if style in ("case_file", "consumer_letter", "phone_transcript") and rng.random() < 0.75:
            principal = round(rng.choice([rng.uniform(25, 300), rng.uniform(300, 2500), rng.uniform(2500, 12000)]), 2)
            f["hoofdsom"] = amount(principal)
            if rng.random() < 0.85:
                f["incassokosten"] = amount(round(principal * rng.uniform(0.05, 0.45) + rng.choice([0, 0, 15, 40]), 2))
        text_bits = [text] if text else []
        if style == "case_file":
            text_bits.insert(0, rng.choice([
                f"Cliënt (dossier {rng.randint(2024, 2026)}-{rng.randint(100, 9999)}) ontvangt aanmaningen van {written} namens {creditor}.",
                f"Samenvatting dossier: schuld bij {creditor}, invordering door {written}. Kosten lijken te hoog.",
                f"Via budgetbeheer gemeld: {written} stuurt sommaties, vordering {creditor}.",
                f"Schuldregeling loopt; {written} blijft bellen en brieven sturen.",
            ]))
        elif style == "phone_transcript":
            heard = f" Nummer doorgegeven: {spoken_digits(rng, _phone_key(ids['telefoon'][0]))}." if ids["telefoon"] and rng.random() < 0.4 else ""
            text_bits.insert(0, rng.choice([
                f"Beller zegt dat hij gebeld is door '{written}' over een schuld bij {creditor}.{heard}",
                f"Mevrouw belt over een brief van {written}, spelling onzeker.{heard}",
                f"Telefonische melding: incassant noemt zich {written}.{heard} Beller erg overstuur.",
            ]))
        elif style == "consumer_letter":
            text_bits.insert(0, rng.choice(["Aanmaning ontvangen", "Ik krijg steeds hogere kosten",
                                            f"Rekening van {creditor} is naar incasso gegaan", "Dreigende brief, beslag aangekondigd",
                                            "Ik heb al betaald maar ze blijven sturen", ""]))
        elif style == "municipality_notice":
            text_bits.insert(0, rng.choice(["Melding via wijkteam", "Signaal uit vroegsignalering",
                                            "Meerdere inwoners melden brieven van deze partij"]))
        elif style == "supervisor_notice":
            text_bits.insert(0, rng.choice(["Doorgestuurd door ACM", "Melding via AFM-loket doorgezet",
                                            "Doorgestuurd door BFT ter beoordeling", "Tip uit toezicht andere dienst"]))
        elif style == "anonymous_tip":
            text_bits.insert(0, rng.choice(["Anonieme tip: deze site int zonder registratie",
                                            "Via meldformulier, geen contactgegevens", ""]))
        joined = ""
        for bit in (b.strip() for b in text_bits if b and b.strip()):
            if joined and joined[-1] not in ".!?":
                joined += "."
            joined = (joined + " " + bit).strip()
        f["omschrijving"] = joined.replace("..", ".") or f["omschrijving"]
        f["_source_name"] = source_name
        f["_creditor"] = creditor
        return f


# ----------------------------------------------------------------------------------------- resolving


def answer(targets: list[Entity], day: date) -> tuple[str, tuple[str, ...], str | None]:
    e = targets[0]
    if e.kind == "exempt":
        return "vrijgesteld", (), None
    if e.kind == "unreg":
        return "niet_geregistreerd", (), e.eid
    valid = sorted(r.eid for r in targets if r.valid(day))
    if valid:
        return "geregistreerd", tuple(valid), None
    ended = [r for r in targets if r.end is not None and r.end <= day]
    future = [r for r in targets if r.start > day]
    nums = []
    if ended:
        nums.append(max(ended, key=lambda r: r.end).eid)
    if future:
        nums.append(min(future, key=lambda r: r.start).eid)
    return "registratie_niet_geldig", tuple(sorted(nums)), None


def _one_edit(a: str, b: str) -> bool:
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def signal_idents(f: dict[str, str]) -> tuple[list[tuple[str, str]], str | None]:
    keys = []
    typo = None
    if f["kvk_nummer"]:
        digits = re.sub(r"\D", "", f["kvk_nummer"])
        if len(digits) == 12:
            keys.append(("vest", digits))
            digits = ""
        elif len(digits) < 8:
            digits = digits.zfill(8)
        keys.append(("kvk", digits))
        typo = digits or None
    if f["iban"] and iban_ok(f["iban"].replace(" ", "").upper()):
        keys.append(("iban", f["iban"].replace(" ", "").upper()))
    if f["website"]:
        d = re.sub(r"^(https?://)?(www\.)?", "", f["website"].lower()).split("/")[0]
        keys.append(("domain", d))
    if f["email"]:
        keys.append(("email", f["email"].lower()))
        keys.append(("domain", f["email"].split("@")[1].lower()))
    if f["telefoon"]:
        k = _phone_key(f["telefoon"])
        if k.startswith("0031"):
            k = "0" + k[4:]
        keys.append(("phone", k))
    return keys, typo


class Resolver:
    def __init__(self, b: Builder):
        self.b = b

    def name_cands(self, name: str, day: date, place: str) -> set[Entity] | None:
        toks, cat = name_core(name)
        if not toks:
            return None          # fits anyone
        lists = [self.b.name_index.get(t, []) for t in toks]
        pool = min(lists, key=len)
        out = set()
        for e, etoks, ecat, lo, hi in pool:
            if toks <= etoks and lo <= day < hi and (cat is None or ecat is None or cat == ecat):
                if place and place not in e.places:
                    continue
                out.add(e)
        return out

    def resolve(self, f: dict[str, str], intended: Entity, day: date) -> tuple[list[Entity] | None, str]:
        b = self.b
        keys, kvk_digits = signal_idents(f)
        own, others = set(), set()
        for key in keys:
            for e, lo, hi in b.ident_index.get(key, []):
                if lo <= day < hi:
                    (own if e.firm == intended.firm else others).add(e)
        if others:
            return None, "identifier_points_elsewhere"
        place = f["plaats"].strip()
        place = next((p for p in intended.places if p.lower() == place.lower()), place) if place else ""
        cands: set[Entity] = set()
        fits_anyone = False
        for nm in {f["naam_incassant"], f["_source_name"]}:
            if not nm:
                continue
            c = self.name_cands(nm, day, place)
            if c is None:
                fits_anyone = True
            else:
                cands |= c
        other_firms = {e.firm for e in cands if e.firm != intended.firm}
        if kvk_digits and not any(k == ("kvk", kvk_digits) for k in [("kvk", e.kvk) for e in own]):
            near = [e for e in b.entities.values() if e.kvk and _one_edit(e.kvk, kvk_digits)]
            if near and all(e.firm == intended.firm for e in near):
                own |= set(near)
            elif any(e.firm != intended.firm and e.firm in other_firms for e in near):
                return None, "kvk_typo_fits_several"
        if own:
            regs = [e for e in own if e.kind == intended.kind]
            return self.same_kvk(regs or [intended]), "identifier"
        if fits_anyone or other_firms:
            return None, "name_fits_several"
        mine = [e for e in cands if e.firm == intended.firm]
        if not mine:
            return None, "name_unrecognisable"
        return self.same_kvk(mine), "name"

    def same_kvk(self, targets: list[Entity]) -> list[Entity]:
        """A firm that re-registered under the same KvK number is one firm: all its registrations count."""
        kvks = {t.kvk for t in targets if t.kind == "reg"}
        if not kvks:
            return targets
        return [r for r in self.b.by_firm[targets[0].firm] if r.kvk in kvks]


# ---------------------------------------------------------------------------------------- scenarios

STYLES = ("case_file", "phone_transcript", "consumer_letter", "municipality_notice", "supervisor_notice", "anonymous_tip")
KIND_WEIGHTS = {
    "case_file": 12, "phone_transcript": 10, "consumer_letter": 12, "kvk_extract": 3, "municipality_notice": 4,
    "supervisor_notice": 3, "anonymous_tip": 4, "renamed_old_name": 3, "renamed_new_name": 2,
    "moved_old_address": 2, "new_trade_name": 2, "multi_brand": 3, "reregistered_gap": 2, "reregistered_new": 2,
    "takeover_before": 1.5, "takeover_old_brand": 3, "merger_brand": 1.5, "group_shared_brand": 1.5,
    "group_entity": 1.5, "ended_registration": 3, "not_yet_registered": 2.5, "handover": 4, "debt_buyer": 3,
    "creditor_iban": 3, "foreign_registered": 2, "foreign_unregistered": 3, "kvk_typo": 3, "kvk_partial": 1.5,
    "clone": 3, "lookalike": 3, "exempt_bailiff": 5, "exempt_lawyer": 3, "fake_bailiff": 2,
}
DATE_EMPTY = {"case_file": 0.2, "phone_transcript": 0.6, "consumer_letter": 0.1, "kvk_extract": 1.0,
              "municipality_notice": 0.4, "supervisor_notice": 0.3, "anonymous_tip": 0.7}
COUNTRY_NAME = {"BE": "België", "DE": "Duitsland", "GB": "het Verenigd Koninkrijk", "NL": "Nederland"}


class Scenarios:
    def __init__(self, b: Builder, rng: random.Random):
        self.b, self.rng = b, rng
        self.w = Writer(b, rng)
        ents = list(b.entities.values())
        self.regs = [e for e in ents if e.kind == "reg"]
        self.unreg = [e for e in ents if e.kind == "unreg"]
        self.exempt = [e for e in ents if e.kind == "exempt"]
        # a few unregistered collectors are behind many signals
        self.unreg_weights = [1.0 / (1 + i) ** 0.6 for i in range(len(self.unreg))]
        self.by_event: dict[str, list[Entity]] = defaultdict(list)
        for e in ents:
            self.by_event[e.event].append(e)

    def day(self, lo: date = WORLD_START + timedelta(days=14), hi: date = WORLD_END - timedelta(days=3)) -> date:
        lo = max(lo, WORLD_START + timedelta(days=1))
        hi = min(hi, WORLD_END - timedelta(days=1))
        if hi < lo:
            return lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def any_collector(self, p_reg: float = 0.6) -> Entity:
        if self.rng.random() < p_reg:
            return self.rng.choice(self.regs)
        pool = [e for e in self.unreg if e.event in ("local", "one_man", "debt_buyer")] or self.unreg
        return self.rng.choices(pool, k=1)[0]

    def unreg_of(self, kind: str) -> Entity | None:
        pool = [(e, w) for e, w in zip(self.unreg, self.unreg_weights, strict=True) if e.event == kind]
        if not pool:
            return None
        return self.rng.choices([e for e, _ in pool], [w for _, w in pool])[0]

    def make(self, kind: str):
        """(intended entity, reference date, style, write kwargs, detail) or None."""
        rng = self.rng
        style = rng.choice(STYLES[:3]) if rng.random() < 0.7 else rng.choice(STYLES)
        kw: dict = {}
        if kind in STYLES or kind == "kvk_extract":
            style = kind
            e = self.any_collector()
            if kind == "kvk_extract":
                e = rng.choice([x for x in self.regs + self.unreg if x.kvk and x.country == "NL"])
            return e, self.day(), style, kw, "ordinary"
        if kind in ("renamed_old_name", "renamed_new_name"):
            e = rng.choice(self.by_event["rename"])
            d = self.day(e.event_date)
            old, new = e.legal_names[0][1], e.legal_names[-1][1]
            if kind == "renamed_old_name":
                kw["name"] = old if rng.random() < 0.7 else self.b._short(old)
                kw["text"] = rng.choice(["", f"Op de brief staat nog de oude naam {old}.", "Naam op oude brief, firma heet nu anders."])
                kw["identifiers"] = 1.6
            else:
                kw["name"] = rng.choice([new] + list(e.trade_names[-1][1]))
                kw["text"] = rng.choice(["", f"Voorheen {old}."])
            return e, d, style, kw, f"renamed {e.event_date}"
        if kind == "moved_old_address":
            e = rng.choice(self.by_event["move"])
            d = self.day(e.event_date)
            kw["place"] = e.addresses[0][1][3]
            kw["text"] = rng.choice(["Adres volgens oude brief.", "", "Kantoor zou verhuisd zijn."])
            return e, d, style, kw, f"moved {e.event_date}, old place given"
        if kind == "new_trade_name":
            e = rng.choice(self.by_event["new_trade"])
            d = self.day(e.event_date)
            kw["name"] = e.trade_names[-1][1][-1]
            if rng.random() < 0.4:
                kw["force"] = {"website": fmt_site(rng, e.extra[0][2])}
            return e, d, style, kw, "uses the trade name added later"
        if kind == "multi_brand":
            e = rng.choice(self.by_event["multi"])
            names = e.trade_names[0][1]
            kw["name"] = rng.choice(names[1:] if len(names) > 1 else names)
            if rng.random() < 0.5 and len(e.websites) > 1:
                kw["force"] = {"website": fmt_site(rng, rng.choice(e.websites[1:]))}
            return e, self.day(), style, kw, "secondary trade name / website"
        if kind in ("reregistered_gap", "reregistered_new"):
            firsts = [e for e in self.by_event["reregister"] if e.partner]
            if kind == "reregistered_gap":
                firsts = [e for e in firsts if self.b.entities[e.partner].start > e.end + timedelta(days=1)]
            if not firsts:
                return None
            e = rng.choice(firsts)
            e2 = self.b.entities[e.partner]
            if kind == "reregistered_gap":
                d = self.day(e.end, e2.start - timedelta(days=1))
                return e, d, style, kw, f"in the gap {e.end}..{e2.start}"
            d = self.day(e2.start)
            if rng.random() < 0.4:
                kw["text"] = f"Brief vermeldt registratienummer {e.eid}."
            return e2, d, style, kw, "after re-registration"
        if kind in ("takeover_before", "takeover_old_brand"):
            a = rng.choice(self.by_event["takeover"])
            bb = self.b.entities[a.partner]
            brand = a.trade_names[0][1][0] if a.trade_names[0][1] else a.legal_names[0][1]
            kw["name"] = brand if rng.random() < 0.7 else a.legal_names[0][1]
            if kind == "takeover_before":
                return a, self.day(hi=a.end - timedelta(days=1)), style, kw, f"before takeover on {a.end}"
            kw["name"] = brand
            kw["text"] = rng.choice([f"{brand} is overgenomen door {bb.legal_names[0][1]}.",
                                     f"Briefpapier: {brand}, onderdeel van {bb.at(bb.legal_names, a.end)}.", ""])
            return bb, self.day(a.end), style, kw, f"old brand of {a.eid} after takeover by {bb.eid} on {a.end}"
        if kind == "merger_brand":
            a = rng.choice(self.by_event["merged"])
            c = self.b.entities[a.partner]
            kw["name"] = c.trade_names[0][1][0 if c.partner.startswith(a.eid) else 1]
            kw["text"] = rng.choice([f"Gefuseerd tot {c.legal_names[0][1]}.", ""])
            return c, self.day(a.end), style, kw, f"brand of {a.eid} after merger into {c.eid}"
        if kind in ("group_shared_brand", "group_entity"):
            e = rng.choice(self.by_event["group"] + [x for x in self.regs if x.event == "group"])
            if kind == "group_shared_brand":
                kw["name"] = e.trade_names[0][1][0]
                return e, self.day(max(e.start, self.b.entities[e.partner].start)), style, kw, "shared group brand"
            force = {"kvk_nummer": fmt_kvk(rng, e.kvk)} if rng.random() < 0.5 or not e.ibans else {"iban": fmt_iban(rng, e.ibans[0])}
            kw["force"] = force
            kw["name"] = e.legal_names[0][1]
            return e, self.day(), style, kw, "one entity of a group, own identifier"
        if kind == "ended_registration":
            e = rng.choice([x for x in self.regs if x.end and x.end < WORLD_END - timedelta(days=5) and not x.partner])
            return e, self.day(e.end), style, kw, f"{e.end_status} on {e.end}"
        if kind == "not_yet_registered":
            e = rng.choice([x for x in self.regs if x.start > WORLD_START + timedelta(days=60) and not x.partner])
            kw["text"] = rng.choice(["", "Vermeldt geen Wki-nummer op de brief."])
            return e, self.day(hi=e.start - timedelta(days=1)), style, kw, f"before registration on {e.start}"
        if kind == "handover":
            e = self.any_collector(0.55)
            old = self.any_collector(0.5)
            if old.firm == e.firm:
                return None
            oldname = self.w.names_at(old, WORLD_START)[0]
            kw["text"] = rng.choice([f"Dossier is overgedragen van {oldname} aan deze partij.",
                                     f"Eerder liep de vordering via {oldname}, nu via {{name}}.",
                                     f"Oude incassant: {oldname}. Huidige incassant zie naam."])
            return e, self.day(), style, kw, f"handed over from {old.eid}"
        if kind == "debt_buyer":
            e = self.unreg_of("debt_buyer") if rng.random() < 0.6 else rng.choice(self.regs)
            kw["text"] = rng.choice(["Vordering van {creditor} verkocht aan {name}.",
                                     "Portefeuille is doorverkocht; nieuwe eigenaar {name} int zelf.",
                                     "Cessie: {creditor} heeft de vordering overgedragen aan {name}."])
            return e, self.day(), style, kw, "debt buyer collects after portfolio sale"
        if kind == "creditor_iban":
            e = self.any_collector()
            creditor = rng.choice(CREDITORS)
            kw["force"] = {"iban": fmt_iban(rng, self.b.creditor_ibans[creditor])}
            kw["text"] = f"IBAN op de brief is van {creditor}, de schuldeiser."
            kw["identifiers"] = 0.0
            return e, self.day(), style, kw, f"IBAN of creditor {creditor}"
        if kind == "foreign_registered":
            e = rng.choice([x for x in self.regs if x.country != "NL"])
            kw["text"] = f"Brief afkomstig uit {COUNTRY_NAME[e.country]}."
            return e, self.day(), style, kw, f"foreign ({e.country}) with Dutch registration"
        if kind == "foreign_unregistered":
            e = self.unreg_of("foreign")
            kw["text"] = f"Brief afkomstig uit {COUNTRY_NAME[e.country]}."
            return e, self.day(), style, kw, f"foreign ({e.country}) collector"
        if kind in ("kvk_typo", "kvk_partial"):
            pool = [x for x in self.regs + self.unreg if x.kvk]
            if kind == "kvk_partial":
                pool = [x for x in pool if x.kvk.startswith("0") or x.vestiging]
            e = rng.choice(pool)
            if kind == "kvk_typo":
                k = list(e.kvk)
                for _ in range(20):
                    k = list(e.kvk)
                    i = rng.randrange(7)
                    if rng.random() < 0.5 and k[i] != k[i + 1]:
                        k[i], k[i + 1] = k[i + 1], k[i]
                    else:
                        k[i] = rng.choice([c for c in "0123456789" if c != k[i]])
                    if "".join(k) not in self.b.kvks:
                        break
                typo = "".join(k)
                if typo in self.b.kvks:
                    return None
                kw["force"] = {"kvk_nummer": fmt_kvk(rng, typo)}
                return e, self.day(), style, kw, f"KvK {e.kvk} written as {typo}"
            if e.vestiging and (not e.kvk.startswith("0") or rng.random() < 0.4):
                kw["force"] = {"kvk_nummer": rng.choice([e.vestiging, f"vestigingsnr {e.vestiging}"])}
                return e, self.day(), style, kw, f"establishment number {e.vestiging} instead of KvK {e.kvk}"
            kw["force"] = {"kvk_nummer": e.kvk.lstrip("0")}
            return e, self.day(), style, kw, f"KvK {e.kvk} without leading zero"
        if kind in ("clone", "lookalike", "fake_bailiff"):
            e = self.unreg_of(kind)
            if e is None:
                return None
            kw["identifiers"] = 1.8
            src = f" (looks like {e.partner})" if e.partner else ""
            return e, self.day(), style, kw, f"{kind}{src}"
        if kind in ("exempt_bailiff", "exempt_lawyer"):
            beroep = "gerechtsdeurwaarder" if kind == "exempt_bailiff" else "advocaat"
            e = rng.choice([x for x in self.exempt if x.beroep == beroep])
            if style == "kvk_extract":
                style = "case_file"
            kw["text"] = rng.choice(["Beslag aangekondigd.", "Dagvaarding dreigt.", "Kosten na vonnis?", ""])
            return e, self.day(), style, kw, f"{beroep} on the exempt list"
        raise ValueError(kind)


def generate(seed: int = 1, mirror_start: date = date(2026, 11, 1), *, registrations: int = 1500, exempt: int = 300,
             collectors: int = 260, signals: int = 4200) -> World:
    b = Builder(seed, registrations, exempt, collectors)
    b.build_registered()
    b.build_exempt()
    b.build_unregistered()
    b.finish()
    rng = random.Random(f"casework-signals-{seed}")
    sc = Scenarios(b, rng)
    res = Resolver(b)
    kinds = list(KIND_WEIGHTS)
    weights = [KIND_WEIGHTS[k] for k in kinds]
    rows: list[list[str]] = []
    truth: dict[str, Truth] = {}
    dropped: Counter = Counter()
    tried = 0
    # every kind once first (so small worlds show them), then by weight
    queue = list(kinds)
    while len(rows) < signals and tried < signals * 5:
        tried += 1
        kind = queue.pop(0) if queue else rng.choices(kinds, weights)[0]
        made = sc.make(kind)
        if made is None:
            dropped["scenario_unavailable"] += 1
            continue
        e, day, style, kw, detail = made
        if e.kind == "reg" and e.event in ("takeover", "merged") and day >= e.end and "name" not in kw:
            detail += f"; {e.eid} was gone by then, its files are with {e.partner}"
            e = b.entities[e.partner]   # after a takeover or merger the buyer writes the letters
        if not WORLD_START <= day <= WORLD_END or (e.kind == "reg" and e.start > WORLD_END):
            dropped["scenario_unavailable"] += 1
            continue
        tags: list[str] = [style]
        text = kw.pop("text", "")
        f = sc.w.write(e, day, style, tags=tags, text=text, **kw)
        f["omschrijving"] = f["omschrijving"].replace("{name}", f["naam_incassant"]).replace("{creditor}", f["_creditor"])
        targets, how = res.resolve(f, e, day)
        if targets is None:
            dropped[how] += 1
            continue
        verdict, nums, collector = answer(targets, day)
        if rng.random() < DATE_EMPTY[style]:
            received = day
        else:
            received = min(day + timedelta(days=rng.choice([rng.randint(2, 30), rng.randint(20, 150)])), WORLD_END)
            f["datum_brief"] = _dmy(rng, day)
        f["ontvangen_op"] = _dmy(rng, received)
        f["referentie"] = sc.w.ref(f["bron"], received)
        for col in ("kvk_nummer", "iban", "website", "email", "telefoon"):
            if f[col] and col not in (kw.get("force") or {}):
                tags.append(col)
        if f["plaats"]:
            tags.append("plaats")
        truth[f["referentie"]] = Truth(
            verdict=verdict, registratienummers=nums, collector=collector, kind=kind,
            detail=f"{detail}; about {e.eid} ({e.label}); name from {f['_source_name']!r}; attributed by {how}",
            tags=tuple(dict.fromkeys(tags)), bron=f["bron"], reference_date=day)
        rows.append([f[c] for c in SIGNAL_HEADER])
    signals_csv = _csv(SIGNAL_HEADER, rows, delimiter=";", bom=True)
    regs = [e for e in b.entities.values() if e.kind == "reg"]
    snaps = []
    for s in snapshot_dates(mirror_start):
        present = sorted((e for e in regs if e.start <= s), key=lambda e: e.eid)
        snaps.append((s, _csv(REGISTER_HEADER, [register_row(e, s) for e in present])))
    ex_rows = [[e.legal_names[0][1], e.kvk, e.beroep, e.addresses[0][1][3], "|".join(e.websites)]
               for e in b.entities.values() if e.kind == "exempt"]
    exempt_snaps = [(mirror_start, _csv(EXEMPT_HEADER, ex_rows))]
    sizes = {"registrations": len(regs), "exempt": len(ex_rows), "collectors": len(sc.unreg), "signals": len(rows),
             "firms": len({e.firm for e in regs}), "generated": tried}
    return World(register_snapshots=snaps, exempt_snapshots=exempt_snaps, signals_csv=signals_csv, truth=truth,
                 dropped=dict(dropped), sizes=sizes, seed=seed, mirror_start=mirror_start)


if __name__ == "__main__":  # pragma: no cover
    import time

    t0 = time.time()
    w = generate()
    print(f"built in {time.time() - t0:.1f}s", w.sizes, w.dropped)
    print(Counter(t.kind for t in w.truth.values()).most_common())
    print(Counter(t.verdict for t in w.truth.values()).most_common())
