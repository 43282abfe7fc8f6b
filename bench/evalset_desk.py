"""World E ("desk"): an evaluation world for the signal matcher, written apart from it (author E).

World E models the Dutch collection market and the Inspectie's own intake, not any matcher's rules: it
was written without reading the matcher, the other evaluation worlds or their tests. Its authors never
tune on it; it is a held-out measure.

The market
    A few large agencies (groups of two to five registrations under one brand, many trade names, a shared
    website and switchboard, sometimes a bailiff office of their own); middle-sized agencies with brand
    names; many small firms and one-person businesses named after the owner ("Incassobureau J. de Boer",
    "De Boer Incasso", "Jan de Boer Incassodiensten"), partnerships ("Kok & Van Dijk Invorderingen V.O.F.")
    and administration offices that collect; franchise-like regional names shared by unrelated firms
    ("Incasso Service Noord" beside "Incasso Service Zuid"); bailiff offices (exempt) that run a
    registered collection B.V. beside them, law firms likewise (and their own collection department
    signs letters: "... Advocaten, afdeling incasso"); debt buyers; foreign firms registered
    through a Dutch branch. Histories: registrations from 1 April 2024, a rush before the deadline of
    1 April 2025, late registrations after it (the firm collected all along), newcomers, some of which
    started before their registration; strike-offs for bankruptcy, by Justis (part of them recorded months
    later and dated back), on the firm's own request and after a merger (the buyer goes on using the old
    name as a trade name); registrations that lapsed; firms registered again under the same KvK number;
    name changes (the old name kept as a trade name or not).
    The exempt list: bailiff offices (named after bailiffs, a region, a town or a brand; one firm with
    offices in two towns and no KvK number is two entries) and law firms.
    Collectors outside the register: plain Dutch firms (a part of them in the KvK with activity
    "incasso"), foreign collectors (Germany, Belgium, Lithuania, the UK, Cyprus; their IBANs, phones and
    domains), look-alikes of registered or exempt names that differ by a real word ("Noorderlicht" /
    "Noorderzon", "Eerste Kompas Incasso", fake bailiffs), clones (a registered name with their own KvK
    number, account, site and phone), collectors that use several names after one another (each new name
    keeps an account or phone of the one before), firms sharing a surname with a registered or exempt
    party (another initial, or a collection firm beside a bailiff office of that name), web-only
    operators, and regional namesakes of the franchise-like names.

The intake
    Channels with their own habits (``kanaal:`` tags): the web form (bron ``consument``: free text in the
    name field, the creditor's name by mistake, the name followed by an explanation, "deurwaarder" said
    of any collector, misspellings), forwarded e-mails ("Van:" lines, signature blocks, footers whose KvK
    number, IBAN, phone and site are in the columns), municipalities' debt-help teams (``gemeente``), debt
    counsellors (``schuldhulpverlener``), the Juridisch Loket (``overig``), ACM/ConsuWijzer
    (``toezichthouder``), bailiffs reporting a competitor outside the register (``overig``), anonymous tips
    with often only a site or phone (``anoniem``), the Inspectie's internet research (``overig``: a domain
    or page title in the name field) and rows of KvK extracts (``kvk``: the statutory name, often in
    capitals, and the KvK or establishment number). Writers drop or miswrite legal forms, change case and
    word order, write "&" as "en", "+" or "and", split or join compounds, mistype and spell by ear
    (ij/y, ou/au, ch/g, c/k), leave out or add a word, abbreviate or translate trade words, add a branch or
    a person, drop or write out initials, and vary tussenvoegsels ("v.d. Berg", "Vandenberg", "Berg, van
    den"). Identifiers come as written: KvK numbers with prefixes, dots, spaces or as establishment
    numbers, sometimes one digit off; IBANs grouped, lower case, prefixed or mistyped; sites with scheme,
    ``www.`` and paths; phones in every notation; e-mail at the firm's domain or a free-mail provider.
    About two in five signals carry the name as registered (legal form left out at most), about half
    carry an identifier. Letters date from April 2025 to November 2026, most weeks or months before
    1 November 2026; signals are received by 1 December 2026.

Labelling policy
    The label is what a careful inspector gives with the register at hand, that is the last snapshot
    (1 December 2026) with its dates as it states them then, and the exempt list. A registration is
    valid on the reference date D (``datum_brief``, else ``ontvangen_op``) when datum_inschrijving <= D <
    datum_einde; a strike-off recorded later and dated back counts from its date; a firm registered again
    under the same KvK number is judged by the registration valid on D (none: ``registratie_niet_geldig``,
    the one that ended last before D first). Signals about a registered firm are ``geregistreerd`` or
    ``registratie_niet_geldig`` with its registration number first, then the numbers of the other
    registrations the written evidence fits equally well with the same verdict (group members under one
    brand, the buyer that uses a taken-over name). Exempt offices are ``vrijgesteld`` whatever the date
    (professions do not lapse). Collectors outside the register, clones included, are
    ``niet_geregistreerd`` with their collector id, one id per collector whatever names it uses.

The careful reader (the guard)
    A signal the reader cannot attribute is dropped and counted by reason, never labelled by guesswork.
    The reader knows the last register snapshot and the exempt list, not the collectors outside them.
    - Names. The reader looks at the distinctive words (surnames, brand words, places that are part of a
      name), ignores legal forms, tussenvoegsels, "&"/"en", generic words (Groep, Nederland, Services ...),
      persons ("t.a.v. dhr. ..."), branches ("vestiging Zwolle"), creditors and explanations, and knows
      the trade words of each family (collection, administration, bailiff, lawyer) also abbreviated or
      translated. Spellings that sound alike are the same word; beyond that it forgives one slip in a word
      of five to eleven letters, two in longer words, none in shorter ones. A name fits a party's name when
      every distinctive word written is one of the party's (an extra place may be a branch), the trade
      words are of the same family (a bailiff is not a collection agency), and an initial, if both have
      one, is the same. A name written short (words left out) still fits if what is left is telling: not
      only one of the twenty commonest surnames or a place, and no initial the name lacks. Among the
      parties that fit, the reader prefers the one with more words matched, then more words written
      exactly, then every word of its name present, then a trade word of the same kind, then the trade
      word written as the party writes it ("Incasso" is not its sister's "Incassodiensten").
    - Identifiers. KvK and establishment numbers, IBANs with valid check digits, web and e-mail domains
      (free-mail addresses whole) and phone numbers, compared after normalising; a mistyped IBAN is no
      use. Identifiers that point to different parties, or a name that fits none of the parties they
      point to, make the signal contradictory. With identifiers the reader takes their party (narrowed by
      the name where the name helps).
    - Clones. A name that fits a registered firm, with a KvK number that is not the firm's (nor one slip
      from it), or with two other identifiers of kinds the register lists for the firm that all differ
      from it, is someone else under its name: ``niet_geregistreerd``. One unknown identifier alone is not
      enough (firms have accounts and direct lines the register does not list).
    - Nothing in the register fits a name or identifier: ``niet_geregistreerd``.
    The label stands when the reader's conclusion is the truth: the true party among the parties it
    settles on, all of them with one verdict; for a collector, no registered or exempt party, the name not
    fitting another collector's name better, and (for its second and later signals) a shared identifier or
    name with an earlier kept signal of it, so that a reader could group them.
    Drop reasons: ``past_bij_partijen_met_ander_oordeel`` (e.g. "Van Dijk & Kok" fits the bailiff office
    and its B.V.), ``lezer_kiest_andere_partij``, ``lezer_vindt_partij_niet`` (old name gone, too many
    slips), ``lezer_ziet_kloon``, ``naam_en_kenmerk_wijzen_uiteen``, ``kenmerken_wijzen_uiteen``,
    ``geen_naam_of_kenmerk`` (only the creditor), ``ongeregistreerde_lijkt_op_partij``,
    ``kloon_zonder_eigen_kenmerk``, ``lijkt_op_andere_ongeregistreerde``,
    ``niet_te_koppelen_aan_eerdere_meldingen``.

Determinism
    Every random choice comes from ``random.Random`` seeded with a string built from the seed (hashed by
    SHA-512, not by ``hash()``), sets are sorted before they are iterated, and nothing depends on the
    mirror's start except which snapshots are written: the same seed gives the same parties, signals and
    labels for every start, in every process.

``generate`` returns a ``World``: ``register_snapshots`` (the first on the mirror's start, then on the
first of every month up to 1 December 2026), ``exempt_snapshots`` (one, on the start), ``signals_csv``
(semicolon-separated, UTF-8 with BOM, as partners' Excel saves it), ``truth`` (by ``referentie``:
verdict, registratienummers, collector, kind ``situation/main variation``, detail, tags), ``dropped``
(counts by reason) and ``sizes``.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rapidfuzz import process
from rapidfuzz.distance import OSA

START_OF_LAW = date(2024, 4, 1)
DEADLINE = date(2025, 4, 1)  # existing firms had to be registered by then
LETTERS_FROM = date(2025, 4, 1)
LETTERS_TO = date(2026, 11, 30)
LAST_SNAPSHOT = date(2026, 12, 1)  # the register "as it stands now": labels are read from this snapshot
RECEIVED_BY = date(2026, 12, 1)
DIGITS = "0123456789"

GEREGISTREERD = "geregistreerd"
NIET_GELDIG = "registratie_niet_geldig"
VRIJGESTELD = "vrijgesteld"
NIET_GEREGISTREERD = "niet_geregistreerd"

# The columns of the exchange formats (formats/register.md, vrijgestelden.md, signalen.md).
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

# ---------------------------------------------------------------------------------------------- word lists
# Written for this world; nothing is taken from the application's own lists.

SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden",
    "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers", "van Veen", "Post",
    "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Wijk", "Postma", "Martens", "Vink",
    "de Ruiter", "Timmermans", "Groen", "Gerritsen", "Jonker", "van Loon", "Boersma", "van der Velden", "Willemsen",
    "Bosch", "Wouters", "Hermans", "Evers", "Molenaar", "Brinkman", "Sanders", "Verbeek", "de Lange", "van Rijn",
    "Kroon", "Wolters", "Koning", "Zwart", "Veldhuis", "van den Bosch", "Pieters", "Hoogendoorn", "Claassen",
    "van Doorn", "Verschuren", "Mertens", "Bouwman", "Kok", "Dam", "Wijnands", "Roelofs", "Haverkamp", "Terpstra",
    "van Es", "Rutten", "Boer", "Goossens", "Geerts", "Kloosterman", "Oosterhuis", "Aarts", "Schipper", "Lammers",
    "Hofman", "Mol", "Nieuwenhuis", "van Essen", "Hoekman", "Zijlstra", "van Houten", "de Kok", "van der Laan",
    "Vrolijk", "Kemper", "Wessels", "Baas", "Sluiter", "Stam", "van Gils", "Kooiman", "Brands", "Heijmans",
    "van Oosten", "Franken", "Hulshof", "Bekker", "Reinders", "Spijker", "Verhagen", "Drost", "Otten", "Bakx",
    "Tol", "van Zanten", "Snijders", "Raaijmakers", "van Hout", "Ebbers", "Vonk", "Koopmans", "Mathijssen",
    "Tuinstra", "Algra", "Wiersma", "Bergsma", "Hiemstra", "Jongsma", "Kingma", "Visscher", "Sikkema", "Bouma",
    "Oudshoorn", "Lagerwey", "Hazelhoff", "van Tongeren", "Overbeek", "Ploeg", "Rozendaal", "Slot", "Groenewegen",
    "Bijl", "Couwenberg", "Damen", "van Gestel", "Hamers", "Kuijpers", "Leenders", "Luijten", "van Mierlo",
    "Pijnenburg", "Rijnders", "van de Sande", "Schellekens", "Tielemans", "Vissers", "van Zon", "Aalbers",
    "Beukema", "Doornbos", "Feenstra", "Grooten", "Hofstede", "Jurriens", "Klomp", "Lubbers", "Menting",
    "Nijhuis", "Oldenkamp", "Pranger", "Rademaker", "Stegeman", "Teunissen", "Uiterwijk", "Verwey", "Wolterink",
    "Zandbergen", "ter Horst", "ten Brink", "van 't Hof", "Yilmaz", "Kaya", "Demir", "Şahin", "Öztürk", "Çelik",
    "El Amrani", "Bouzid", "Benali", "El Idrissi", "Ramdin", "Sewtahal", "Jagesar", "Pinas", "Nguyen", "Tran",
    "Kowalski", "Nowak", "da Silva", "Santos", "Haddou", "Aydın", "Koç", "Biharie", "Mahabier", "Soekhai",
)
# The twenty most frequent surnames: on their own (a name cut short to one of them) too common to tell a firm.
COMMON_SURNAMES = frozenset({
    "jong", "jansen", "vries", "berg", "dijk", "bakker", "janssen", "visser", "smit", "meijer", "boer", "mulder",
    "groot", "bos", "vos", "peters", "hendriks", "leeuwen", "dekker", "brouwer",
})
GIVEN_NAMES = (
    "Jan", "Pieter", "Kees", "Henk", "Wim", "Gerrit", "Johan", "Marco", "Sander", "Bas", "Ruud", "Erik", "Frank",
    "Martijn", "Jeroen", "Dennis", "Mark", "Rob", "Niels", "Thijs", "Daan", "Bram", "Joost", "Koen", "Maarten",
    "Arjan", "Edwin", "Ronald", "Patrick", "Hans", "Marcel", "Rik", "Stefan", "Vincent", "Wouter", "Yusuf",
    "Mehmet", "Mohamed", "Karim", "Ricardo", "Anand", "Kevin", "Marieke", "Anja", "Ingrid", "Petra", "Monique",
    "Sandra", "Linda", "Esther", "Annemarie", "Femke", "Sanne", "Lotte", "Iris", "Eva", "Marloes", "Wendy",
    "Chantal", "Yvonne", "Astrid", "Karin", "Ellen", "Mirjam", "Nathalie", "Fatima", "Samira", "Ayşe", "Priya",
    "Anouk", "Judith", "Hanneke", "Renate", "Saskia", "Tamara", "Ilse", "Bianca", "Jolanda", "Marjolein",
)
# (city, lowest and highest postcode number, area code)
CITIES = (
    ("Amsterdam", 1011, 1109, "020"), ("Rotterdam", 3011, 3089, "010"), ("Den Haag", 2491, 2599, "070"),
    ("Utrecht", 3511, 3585, "030"), ("Eindhoven", 5611, 5658, "040"), ("Groningen", 9711, 9747, "050"),
    ("Tilburg", 5011, 5049, "013"), ("Almere", 1311, 1364, "036"), ("Breda", 4811, 4839, "076"),
    ("Nijmegen", 6511, 6546, "024"), ("Apeldoorn", 7311, 7339, "055"), ("Haarlem", 2011, 2037, "023"),
    ("Arnhem", 6811, 6846, "026"), ("Enschede", 7511, 7548, "053"), ("Amersfoort", 3811, 3829, "033"),
    ("Zaandam", 1501, 1509, "075"), ("'s-Hertogenbosch", 5211, 5237, "073"), ("Zwolle", 8011, 8043, "038"),
    ("Leeuwarden", 8911, 8939, "058"), ("Leiden", 2311, 2334, "071"), ("Maastricht", 6211, 6229, "043"),
    ("Dordrecht", 3311, 3319, "078"), ("Zoetermeer", 2711, 2729, "079"), ("Deventer", 7411, 7429, "0570"),
    ("Delft", 2611, 2629, "015"), ("Alkmaar", 1811, 1827, "072"), ("Venlo", 5911, 5928, "077"),
    ("Helmond", 5701, 5709, "0492"), ("Hilversum", 1211, 1223, "035"), ("Heerlen", 6411, 6419, "045"),
    ("Oss", 5341, 5346, "0412"), ("Emmen", 7811, 7828, "0591"), ("Assen", 9401, 9409, "0592"),
    ("Gouda", 2801, 2809, "0182"), ("Roermond", 6041, 6046, "0475"), ("Middelburg", 4331, 4339, "0118"),
    ("Goes", 4461, 4465, "0113"), ("Harderwijk", 3841, 3845, "0341"), ("Heerenveen", 8441, 8448, "0513"),
    ("Sneek", 8601, 8608, "0515"), ("Hoorn", 1621, 1628, "0229"), ("Purmerend", 1441, 1448, "0299"),
    ("Veenendaal", 3901, 3907, "0318"), ("Ede", 6711, 6718, "0318"), ("Doetinchem", 7001, 7009, "0314"),
    ("Hengelo", 7551, 7559, "074"), ("Almelo", 7601, 7609, "0546"), ("Kampen", 8261, 8266, "038"),
    ("Lelystad", 8211, 8245, "0320"), ("Den Helder", 1781, 1789, "0223"), ("Vlissingen", 4381, 4389, "0118"),
    ("Bergen op Zoom", 4611, 4617, "0164"), ("Roosendaal", 4701, 4709, "0165"), ("Weert", 6001, 6006, "0495"),
    ("Sittard", 6131, 6137, "046"), ("Meppel", 7941, 7944, "0522"), ("Winterswijk", 7101, 7108, "0543"),
    ("Terneuzen", 4531, 4539, "0115"), ("Zutphen", 7201, 7207, "0575"), ("Woerden", 3441, 3449, "0348"),
    ("Nieuwegein", 3431, 3439, "030"), ("Schiedam", 3111, 3125, "010"), ("Spijkenisse", 3201, 3208, "0181"),
    ("Barneveld", 3771, 3774, "0342"), ("Wageningen", 6701, 6709, "0317"), ("Tiel", 4001, 4007, "0344"),
    ("Gorinchem", 4201, 4209, "0183"), ("Drachten", 9201, 9206, "0512"), ("Hoogeveen", 7901, 7909, "0528"),
    ("Uden", 5401, 5406, "0413"), ("Waalwijk", 5141, 5146, "0416"), ("Etten-Leur", 4871, 4876, "076"),
)
# Region words that firms put in their names ("Incasso Service Noord", "Deurwaarders Twente").
REGIONS = (
    "Noord", "Zuid", "Oost", "West", "Midden", "Noord-Holland", "Zuid-Holland", "Brabant", "Limburg", "Friesland",
    "Twente", "Drenthe", "Zeeland", "Gelderland", "Veluwe", "Achterhoek", "Randstad", "Flevoland", "Overijssel",
    "Noord-Nederland", "Zuid-Nederland", "Oost-Nederland", "West-Brabant", "Rijnmond", "Kennemerland", "Gooi",
    "Westland", "Betuwe", "Kempen", "Peel",
)
STREETS = (
    "Stationsweg", "Kerkstraat", "Dorpsstraat", "Markt", "Industrieweg", "Nijverheidsweg", "Havenweg", "Hoofdstraat",
    "Parallelweg", "Energieweg", "Kanaalweg", "Molenstraat", "Zuiderzeelaan", "Stadionweg", "Europalaan",
    "Handelsweg", "Ambachtsweg", "Keizersgracht", "Herengracht", "Vestdijk", "Piet Heinstraat", "Wilhelminalaan",
    "Julianastraat", "Oranjesingel", "Beatrixlaan", "Kennedylaan", "Laan van Europa", "Westblaak", "Coolsingel",
    "Maliebaan", "Catharijnesingel", "Hereweg", "Emmasingel", "Vosselmanstraat", "Gildeweg", "Kantorenpark",
    "Rijksweg", "Amstelplein", "Weena", "Luchthavenweg", "Pettelaarpark", "Leidseweg", "Bredaseweg",
)
# Parts of made-up brand names: a prefix and a suffix make one word ("Noorderlicht", "Duinpoort").
BRAND_PREFIXES = (
    "Noorder", "Zuider", "Ooster", "Wester", "Polder", "Duin", "Heide", "Zee", "Berg", "Dal", "Veen", "Klaver",
    "Eiken", "Linden", "Wilgen", "Beuken", "Zonne", "Maan", "Ster", "Wind", "Storm", "Water", "Molen", "Toren",
    "Haven", "Goud", "Zilver", "Koper", "Kristal", "Lente", "Zomer", "Herfst",
)
BRAND_SUFFIXES = (
    "licht", "zon", "kaap", "poort", "baken", "veld", "stroom", "hof", "brug", "anker", "kompas", "wacht", "gaard",
    "rand", "burg", "mond", "kade", "sluis", "hoek", "horst", "laan", "weide", "vliet", "haven", "roos",
)
BRAND_WORDS = (
    "Kompas", "Anker", "Baken", "Horizon", "Meridiaan", "Pelikaan", "Vuurtoren", "Windroos", "Zeester",
    "Lindeboom", "Zonnebloem", "Klaproos", "Kastanje", "Vlinder", "Zwaluw", "Reiger", "Ooievaar", "Arend",
    "Havik", "Merel", "Uiver", "Kievit", "Dolfijn", "Eekhoorn", "Fides", "Prudentia", "Concordia", "Veritas",
    "Aequitas", "Solvendo", "Credo", "Northstar", "Bluestone", "Keystone", "Redwood", "Clearview", "Brightwater",
    "Silverline", "Greenfield", "Oakridge", "Westbrook", "Debitas", "Solvia", "Credivo", "Pecunia", "Monetra",
    "Financo", "Vorderix", "Clairo", "Innvia", "Trivium", "Quadrant", "Sextant", "Astrolabium", "Mercurius",
    "Atlas", "Orion", "Vesta", "Juno", "Minerva", "Pallas", "Regulus", "Capella", "Altair", "Lyra", "Nova",
)
# Real words that turn a registered or exempt brand into another firm's name (look-alikes).
LOOKALIKE_EXTRA = ("Nieuw", "Eerste", "Centraal", "Eerlijk", "Vrij", "Royal", "Prima", "Modern", "Zeker", "Snel",
                   "Zuiver", "Helder", "Trouw", "Stipt", "Vlot", "Recht", "Stevig", "Degelijk", "Gouden", "Klassiek",
                   "Nationaal", "Algemeen", "Verenigd", "Landelijk", "Universeel", "Oranje", "Koninklijk", "Actief")
# Parts of names of foreign collectors.
FOREIGN = {
    "DE": {"cores": ("Rheinland", "Weber", "Schneider", "Hanse", "Ruhr", "Bayern", "Spree", "Elbe", "Brandt",
                     "Hoffmann", "Krüger", "Nordsee", "Westfalen", "Köhler"),
           "kinds": ("Inkasso", "Inkassobüro", "Forderungsmanagement"), "forms": ("GmbH", "AG", "GmbH & Co. KG"),
           "generic": ("Deutsche", "Partner", "Zentrale"), "tld": "de", "cc": "49",
           "cities": (("Köln", "221"), ("Düsseldorf", "211"), ("Berlin", "30"), ("Hamburg", "40"), ("Essen", "201"))},
    "BE": {"cores": ("Vlaanderen", "Peeters", "Maes", "Claes", "Wouters", "Schelde", "Kempen", "Leie", "Dender",
                     "Goossens", "Vermeiren", "Lambrechts"),
           "kinds": ("Incassobureau", "Invorderingen", "Incasso", "Recouvrement"), "forms": ("BV", "NV", "SRL", "CommV"),
           "generic": ("Belgische", "Group"), "tld": "be", "cc": "32",
           "cities": (("Antwerpen", "3"), ("Gent", "9"), ("Brussel", "2"), ("Hasselt", "11"), ("Brugge", "50"))},
    "LT": {"cores": ("Baltija", "Nemunas", "Vilnius", "Gintaras", "Kaunas", "Neris", "Vytis", "Žalgiris"),
           "kinds": ("Skolų valdymas", "Debt Collection", "Collections", "Debt Recovery"), "forms": ("UAB",),
           "generic": ("Baltic", "Europe"), "tld": "lt", "cc": "370",
           "cities": (("Vilnius", "5"), ("Kaunas", "37"), ("Klaipėda", "46"))},
    "UK": {"cores": ("Albion", "Sterling", "Northgate", "Thames", "Pennine", "Windsor", "Kestrel", "Ashford",
                     "Mercia", "Highgate"),
           "kinds": ("Debt Recovery", "Collections", "Credit Services", "Receivables"), "forms": ("Ltd", "Limited", "LLP"),
           "generic": ("International", "Group", "UK"), "tld": "co.uk", "cc": "44",
           "cities": (("London", "20"), ("Manchester", "161"), ("Leeds", "113"), ("Bristol", "117"))},
    "CY": {"cores": ("Aphrodite", "Limassol", "Troodos", "Kyrenia", "Olympus", "Akamas", "Paphos", "Larnaca"),
           "kinds": ("Collections", "Debt Solutions", "Receivables", "Credit Services"), "forms": ("Ltd", "Limited"),
           "generic": ("Holdings", "International", "Europe"), "tld": "com.cy", "cc": "357",
           "cities": (("Limassol", "25"), ("Nicosia", "22"), ("Larnaca", "24"))},
}
# Creditors whose names people write in the collector's field by mistake (or beside it).
CREDITORS = (
    "Vattenfall", "Eneco", "Essent", "Budget Energie", "Greenchoice", "Ziggo", "KPN", "Odido", "Vodafone",
    "Youfone", "Simyo", "Zilveren Kruis", "CZ", "VGZ", "Menzis", "Wehkamp", "Bol.com", "Zalando", "Otto",
    "Klarna", "Riverty", "Basic-Fit", "SportCity", "Waternet", "Vitens", "Evides", "Brabant Water", "NS",
    "ANWB", "Ohra", "Interpolis", "Tandartspraktijk Centrum", "Fysiotherapie De Linde", "Dierenkliniek Oost",
    "Woonstichting De Key", "Ymere", "Woonzorg Nederland", "Thuiszorg West-Brabant", "Autobedrijf Van Rooij",
    "Fitness First", "Lebara", "Praxis", "Coolblue", "Bax Music", "Mediamarkt",
)
FREEMAIL = ("gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl", "kpnmail.nl", "planet.nl", "hotmail.nl",
            "yahoo.com", "icloud.com", "proton.me", "gmx.de", "web.de", "inbox.lt", "yahoo.co.uk")
NL_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ", "RBRB", "FVLB")
GEMEENTEN = (("AMS", "Amsterdam"), ("RTD", "Rotterdam"), ("DHG", "Den Haag"), ("UTR", "Utrecht"),
             ("EHV", "Eindhoven"), ("GRN", "Groningen"), ("TLB", "Tilburg"), ("ALM", "Almere"), ("NMG", "Nijmegen"),
             ("ZWL", "Zwolle"), ("LWD", "Leeuwarden"), ("ENS", "Enschede"), ("APD", "Apeldoorn"), ("HLM", "Haarlem"))
# Made-up names of collectors that only work online.
ONLINE_WORDS = ("Betaalvlot", "Claimly", "Innify", "Payvast", "Schuldslim", "Vorderly", "Debtora", "Rekenvast",
                "Betaalbuddy", "Geldterug", "Nabetaal", "Vlotbetaald", "Duidelijkpay", "Quickclaim", "Fairpay",
                "Clearclaim", "Smartinnen", "Innvest", "Betaalrust", "Claimwijs", "Debtflow", "Payrix", "Inningo",
                "Betaalpunt", "Vorderingwijzer")
# ---------------------------------------------------------------------------------------------- reading text

# Trade words: the surface a firm or a writer uses -> the kind of work it names. The reader recognises
# these (also abbreviated, translated or misspelt) and treats kinds of one family as compatible.
KIND_WORDS = {
    "incasso": ("Incasso", "Incassobureau", "Incassodiensten", "Incassodienst", "Incassokantoor", "Incassopraktijk",
                "Collect", "Collections", "Debt Collection", "Inkasso", "Inkassobüro", "Incassojuristen"),
    "invordering": ("Invorderingen", "Invordering", "Invorderingskantoor", "Debt Recovery", "Recouvrement",
                    "Skolų valdymas"),
    "creditmanagement": ("Credit Management", "Creditmanagement", "Debiteurenbeheer", "Forderungsmanagement",
                         "Credit Services", "Receivables", "Debt Solutions"),
    "schuldopkoop": ("Debt Purchase", "Portfolio Management", "Vorderingen"),
    "administratie": ("Administratiekantoor", "Administraties", "Boekhouding"),
    "gerechtsdeurwaarder": ("Gerechtsdeurwaarders", "Gerechtsdeurwaarderskantoor", "Deurwaarderskantoor",
                            "Gerechtsdeurwaarder", "Deurwaarders"),
    "advocaat": ("Advocaten", "Advocatenkantoor", "Advocaat", "Advocatuur"),
}
KIND_FAMILY = {"incasso": "incasso", "invordering": "incasso", "creditmanagement": "incasso", "schuldopkoop": "incasso",
               "administratie": "administratie", "gerechtsdeurwaarder": "deurwaarder", "advocaat": "advocaat"}
# What writers make of trade words: translations and abbreviations keep the kind.
KIND_TRANSLATIONS = {
    "incasso": ("Collect", "Collections", "Debt Collection", "Incasso Services"),
    "invordering": ("Debt Recovery", "Collections Recovery"),
    "creditmanagement": ("Debiteurenbeheer", "Credit Management", "Credit Control"),
    "schuldopkoop": ("Debt Purchase", "Vorderingen"),
    "administratie": ("Administratie", "Administration"),
    "gerechtsdeurwaarder": ("Bailiffs", "Deurwaarders"),
    "advocaat": ("Lawyers", "Advocaten"),
}
KIND_ABBREVIATIONS = {
    "Incassobureau": ("Inc.bureau", "Incassobur.", "Incasso-bur."), "Incassodiensten": ("Incassodienst.", "Inc.diensten"),
    "Credit Management": ("CM", "Cred. Man."), "Creditmanagement": ("CM",), "Debiteurenbeheer": ("Deb.beheer",),
    "Invorderingen": ("Invord.",), "Gerechtsdeurwaarders": ("GDW", "Gerechtsdeurw.", "Gerechtsdw."),
    "Gerechtsdeurwaarderskantoor": ("GDW-kantoor", "Gerechtsdeurw.kantoor"), "Deurwaarderskantoor": ("Deurw.kantoor",),
    "Advocaten": ("Adv.",), "Advocatenkantoor": ("Adv.kantoor", "Advocatenktr."), "Administratiekantoor": ("Adm.kantoor",),
}
KIND_SYNONYMS = {
    "incasso": ("Incasso", "Incassobureau", "Incassodiensten", "Incassokantoor"),
    "invordering": ("Invorderingen", "Invordering"),
    "creditmanagement": ("Credit Management", "Creditmanagement", "Debiteurenbeheer"),
    "schuldopkoop": ("Debt Purchase",),
    "administratie": ("Administratiekantoor", "Administraties"),
    "gerechtsdeurwaarder": ("Gerechtsdeurwaarders", "Gerechtsdeurwaarderskantoor", "Deurwaarderskantoor", "Deurwaarders"),
    "advocaat": ("Advocaten", "Advocatenkantoor"),
}
TUSSENVOEGSELS = ("van der", "van den", "van de", "van 't", "van", "de", "der", "den", "ter", "ten", "te", "da", "el")


def light(text: str) -> str:
    """Lower case, no accents, letters and digits only: how a reader compares two spellings of a word."""
    text = text.replace("ß", "ss").replace("ı", "i").replace("ł", "l").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


_FOLDS = (("ij", "y"), ("ei", "y"), ("ey", "y"), ("ou", "au"), ("sch", "s"), ("ch", "g"), ("ph", "f"), ("th", "t"),
          ("dt", "t"), ("ck", "k"), ("qu", "kw"), ("c", "k"), ("x", "ks"), ("z", "s"), ("uy", "ui"))


def fold(text: str) -> str:
    """A word as it sounds (ij/ei/y, ou/au, ch/g, c/k, z/s, dt/t, final d/t, double letters): spellings a
    reader hears as one word fold to one string."""
    s = light(text)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    if s.endswith("d"):
        s = s[:-1] + "t"
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def tolerance(folded: str) -> int:
    """Slips a reader forgives in a word (as it sounds): none in words of up to four letters ("West" is not
    "Weert"), one in words of five to eleven, two in longer ones. Words that differ more are other words
    ("Koperrand" is not "Koperwacht")."""
    n = len(folded)
    return 0 if n <= 4 else 1 if n <= 11 else 2


def split_surname(text: str) -> tuple[str, str]:
    """("van der", "Meer") for "van der Meer"; the tussenvoegsel is everything before the last capital word."""
    low = text.lower()
    for tv in TUSSENVOEGSELS:
        if low.startswith(tv + " "):
            return text[: len(tv)], text[len(tv) + 1:]
    return "", text
# ---------------------------------------------------------------------------------------------- identifiers


def _iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def make_iban(rng: random.Random, country: str = "NL") -> str:
    """A bank account with correct check digits, in the form of its country."""
    if country == "NL":
        bban = rng.choice(NL_BANKS) + "".join(rng.choice(DIGITS) for _ in range(10))
    elif country == "DE":
        bban = "".join(rng.choice(DIGITS) for _ in range(18))
    elif country == "BE":
        first = rng.randrange(10**9, 10**10)
        national = first % 97 or 97
        bban = f"{first:010d}{national:02d}"
    elif country == "LT":
        bban = "".join(rng.choice(DIGITS) for _ in range(16))
    elif country == "UK":
        country = "GB"
        bban = rng.choice(("BARC", "HBUK", "NWBK", "LOYD", "MIDL")) + "".join(rng.choice(DIGITS) for _ in range(14))
    elif country == "CY":
        bban = rng.choice(("002", "005", "018")) + "".join(rng.choice(DIGITS) for _ in range(21))
    else:  # pragma: no cover - every country above
        raise ValueError(country)
    return f"{country}{_iban_check(country, bban)}{bban}"


def iban_ok(compact: str) -> bool:
    if not (15 <= len(compact) <= 34 and compact[:2].isalpha() and compact[2:4].isdigit() and compact.isalnum()):
        return False
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def mistype_iban(rng: random.Random, iban: str) -> str:
    """One digit of the account number wrong: the check digits no longer fit (mod 97 catches every single slip)."""
    positions = [i for i in range(8, len(iban)) if iban[i].isdigit()]
    i = rng.choice(positions)
    wrong = rng.choice([d for d in DIGITS if d != iban[i]])
    return iban[:i] + wrong + iban[i + 1:]


def write_iban(rng: random.Random, iban: str) -> tuple[str, str]:
    """(notation label, the IBAN as someone wrote it)."""
    grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    style = rng.choices(("iban_compact", "iban_spaties", "iban_kleine_letters", "iban_voorvoegsel"), (40, 40, 10, 10))[0]
    if style == "iban_compact":
        return style, iban
    if style == "iban_spaties":
        return style, grouped
    if style == "iban_kleine_letters":
        return style, rng.choice((iban, grouped)).lower()
    return style, rng.choice(("IBAN: ", "IBAN ", "rek. ")) + grouped


def write_kvk(rng: random.Random, kvk: str) -> tuple[str, str]:
    style = rng.choices(("kvk_kaal", "kvk_voorvoegsel", "kvk_punten", "kvk_spaties"), (40, 35, 12, 13))[0]
    if style == "kvk_kaal":
        return style, kvk
    if style == "kvk_voorvoegsel":
        return style, rng.choice(("KvK ", "KvK: ", "KvK-nr. ", "kvk ", "K.v.K. ", "Kvk-nummer ", "KVK ")) + kvk
    if style == "kvk_punten":
        return style, rng.choice((f"{kvk[:4]}.{kvk[4:]}", f"{kvk[:2]}.{kvk[2:4]}.{kvk[4:6]}.{kvk[6:]}"))
    return style, rng.choice((f"{kvk[:4]} {kvk[4:]}", f"{kvk[:2]} {kvk[2:4]} {kvk[4:6]} {kvk[6:]}"))


def mistype_kvk(rng: random.Random, kvk: str) -> str:
    i = rng.randrange(8)
    if rng.random() < 0.5 and i < 7 and kvk[i] != kvk[i + 1]:
        return kvk[:i] + kvk[i + 1] + kvk[i] + kvk[i + 2:]
    return kvk[:i] + rng.choice([d for d in DIGITS if d != kvk[i]]) + kvk[i + 1:]


def kvk_near(a: str, b: str) -> bool:
    """One digit wrong or two neighbours swapped: the reader takes it for a slip of the pen."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def nl_phone(rng: random.Random, area: str) -> str:
    """A Dutch number as firms print it: ``050-3123456``, ``0570-612345``, ``06-12345678``."""
    rest = 10 - len(area)
    first = rng.choice("2345678") if area != "06" else rng.choice("123456789")
    return f"{area}-{first}" + "".join(rng.choice(DIGITS) for _ in range(rest - 1))


def write_phone(rng: random.Random, phone: str) -> tuple[str, str]:
    """(notation label, the number as someone wrote it); ``phone`` is ``area-subscriber`` or ``+cc ...``."""
    if phone.startswith("+"):
        style = rng.choices(("tel_internationaal", "tel_00"), (70, 30))[0]
        if style == "tel_internationaal":
            return style, phone
        return style, "00" + phone[1:].replace(" ", "")
    area, sub = phone.split("-")
    nat = area[1:]
    style = rng.choices(("tel_streepje", "tel_spaties", "tel_internationaal", "tel_00", "tel_haakjes"),
                        (40, 20, 20, 8, 12))[0]
    if style == "tel_streepje":
        return style, phone
    if style == "tel_spaties":
        if len(sub) == 7:
            return style, f"{area} {sub[:3]} {sub[3:5]} {sub[5:]}"
        if len(sub) == 8:
            return style, f"{area} {sub[:2]} {sub[2:4]} {sub[4:6]} {sub[6:]}"
        return style, f"{area} {sub[:2]} {sub[2:4]} {sub[4:]}"
    if style == "tel_internationaal":
        return style, rng.choice((f"+31 {nat} {sub[:3]} {sub[3:]}", f"+31 (0){nat} {sub}", f"+31{nat}{sub}"))
    if style == "tel_00":
        return style, f"0031{nat}{sub}"
    return style, f"({area}) {sub}"


def phone_key(written: str) -> str:
    """The number as digits with its country code: the reader's way of comparing two notations."""
    s = written.replace("(0)", "")
    plus = s.strip().startswith("+")
    digits = "".join(ch for ch in s if ch.isdigit())
    if plus:
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "31" + digits[1:]
    return digits


def domain_key(written: str) -> str:
    """The registrable domain of a web address as written (scheme, ``www.``, path and case dropped)."""
    s = written.strip().lower()
    s = re.sub(r"^[a-z]+://", "", s)
    host = re.split(r"[/?#]", s, maxsplit=1)[0].split(":")[0].strip(".")
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in ("co.uk", "com.cy"):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def write_site(rng: random.Random, domain: str) -> tuple[str, str]:
    style = rng.choices(("web_kaal", "web_www", "web_https", "web_pad"), (30, 30, 15, 25))[0]
    if style == "web_kaal":
        return style, rng.choice((domain, domain, domain.capitalize()))
    if style == "web_www":
        return style, "www." + domain
    if style == "web_https":
        return style, rng.choice(("https://www.", "https://", "http://www.")) + domain
    path = rng.choice(("/betalen", "/contact", "/betalen?dossier=" + str(rng.randrange(100000, 999999)),
                       "/mijn-dossier/inloggen", "/over-ons", "/klantenservice", "/betaalregeling-aanvragen",
                       "/nl/betalen?ref=" + str(rng.randrange(1000, 99999))))
    return style, rng.choice(("https://www.", "www.", "https://", "https://mijn.")) + domain + path


def email_key(written: str) -> tuple[str, str]:
    """("domain", registrable domain) for a firm's own domain, ("email", address) at a free-mail provider."""
    address = written.strip().lower()
    domain = domain_key(address.rsplit("@", 1)[1])
    if domain in FREEMAIL or address.rsplit("@", 1)[1] in FREEMAIL:
        return "email", address
    return "domain", domain


def make_kvk(rng: random.Random, taken: set[str], newer: bool = False) -> str:
    while True:
        kvk = f"{rng.randrange(80000000, 99999999) if newer else rng.randrange(1000000, 79999999):08d}"
        if kvk not in taken:
            taken.add(kvk)
            return kvk
# ---------------------------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Word:
    """One word (or fixed group of words) of a name as the party writes it.

    role: ``core`` (surname, brand word: what tells the firm), ``place`` (a place or region that is part of
    the name), ``kind`` (trade word), ``generic``, ``form`` (legal form), ``init`` (initial or given name of
    the owner), ``conn`` (``&``, ``en``). ``key``: for core and place words the word without accents,
    case or tussenvoegsel; for trade words the kind; for initials the letter.
    """

    role: str
    text: str
    key: str = ""
    tv: str = ""
    parts: tuple[str, ...] = ()  # a compound brand's parts ("Noorder", "licht")


Name = tuple[Word, ...]


def w_core(text: str, parts: tuple[str, ...] = ()) -> Word:
    tv, main = split_surname(text)
    return Word("core", text, light(main), tv, parts)


def w_place(text: str) -> Word:
    return Word("place", text, light(text))


def w_kind(text: str) -> Word:
    for kind, words in KIND_WORDS.items():
        if text in words:
            return Word("kind", text, kind)
    raise KeyError(text)


def w_form(text: str) -> Word:
    return Word("form", text, light(text))


def w_init(text: str) -> Word:
    return Word("init", text, light(text)[:1])


def w_gen(text: str) -> Word:
    return Word("generic", text, light(text))


def w_conn(text: str = "&") -> Word:
    return Word("conn", text)


def render(name: Name) -> str:
    return " ".join(w.text for w in name).replace(" ,", ",")


def name_kinds(name: Name) -> frozenset[str]:
    return frozenset(w.key for w in name if w.role == "kind")


def name_families(name: Name) -> frozenset[str]:
    return frozenset(KIND_FAMILY[k] for k in name_kinds(name))


def name_cores(name: Name) -> frozenset[str]:
    return frozenset(w.key for w in name if w.role in ("core", "place"))


def name_init(name: Name) -> str:
    return next((w.key for w in name if w.role == "init"), "")
# ---------------------------------------------------------------------------------------------- the market


@dataclass
class Reg:
    """One registration in the Justis register, with its history as the snapshots show it."""

    firm: Firm
    start: date
    published: date
    names: list[tuple[date, Name, tuple[Name, ...]]]  # from that day: legal name, trade names
    end: date | None = None
    end_status: str = ""  # doorgehaald | verlopen
    end_recorded: date | None = None
    end_reason: str = ""  # faillissement, intrekking, eigen verzoek, fusie, niet verlengd
    nr: str = ""

    def names_on(self, day: date) -> tuple[Name, tuple[Name, ...]]:
        current = self.names[0]
        for entry in self.names:
            if entry[0] <= day:
                current = entry
        return current[1], current[2]

    def valid_on(self, day: date) -> bool:
        """Valid on ``day`` by the dates the register states now (the last snapshot)."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class Firm:
    """A collection firm with one KvK number: one registration, or two when it registered again."""

    eid: str
    category: str
    kvk: str
    vestiging: str
    city: tuple
    street: str
    number: str
    postcode: str
    weight: float
    active_from: date
    active_to: date | None = None
    domains: list[str] = field(default_factory=list)
    listed_domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    listed_emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    listed_phones: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    listed_ibans: list[str] = field(default_factory=list)
    regs: list[Reg] = field(default_factory=list)
    group: str = ""
    country: str = "NL"
    owner: tuple[str, str] | None = None
    staff: list[tuple[str, str]] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # special events (late, faillissement, ...)
    merged_into: Firm | None = None
    merged_on: date | None = None
    renamed_on: date | None = None
    old_name: Name | None = None
    partner: Office | None = None  # the bailiff office or law firm beside a collection B.V.
    absorbed: list[tuple[Name, date]] = field(default_factory=list)  # names of firms taken over, from that day


@dataclass
class Office:
    """An exempt party: a bailiff office or a law firm."""

    eid: str
    category: str
    name: Name
    beroep: str
    kvk: str
    city: tuple
    weight: float
    domains: list[str] = field(default_factory=list)
    listed_domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    group: str = ""
    staff: list[tuple[str, str]] = field(default_factory=list)
    partner: Firm | None = None


@dataclass
class Phase:
    start: date
    end: date
    names: list[Name]
    domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)


@dataclass
class Collector:
    """A collector that is not in the register and not exempt."""

    cid: str
    category: str
    country: str
    kvk: str
    city: tuple | None
    phases: list[Phase]
    weight: float
    about: str  # how it was made, for the detail
    target: str = ""  # eid of the registered or exempt party it imitates or shares a name with
    staff: list[tuple[str, str]] = field(default_factory=list)

    def phase_on(self, day: date) -> Phase:
        for phase in self.phases:
            if phase.start <= day <= phase.end:
                return phase
        return min(self.phases, key=lambda p: min(abs((p.start - day).days), abs((p.end - day).days)))


def _scaled(counts: dict[str, int], total: int, base: int, rest: str) -> dict[str, int]:
    """Counts for ``total`` parties in the proportions ``counts`` has for ``base``; ``rest`` takes up the slack."""
    out = {k: (max(1, round(v * total / base)) if v else 0) for k, v in counts.items()}
    out[rest] = 0
    out[rest] = max(0, total - sum(out.values()))
    while sum(out.values()) > total:  # tiny worlds: take from the largest categories
        largest = max((k for k in out if k != rest), key=lambda k: out[k])
        out[largest] -= 1
    return out


def _between(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


class Market:
    """Every party of the world, built from one seed; nothing here depends on the mirror's start."""

    def __init__(self, seed: int, registrations: int, exempt: int, collectors: int) -> None:
        self.rng = random.Random(f"wki-E:{seed}:markt")
        self.kvks: set[str] = set()
        self.domain_set: set[str] = set()
        self.domain_words: dict[str, tuple[tuple[str, ...], frozenset[str], str]] = {}  # words a domain is made of
        self.phone_set: set[str] = set()
        self.claims: dict[frozenset, list[tuple[str, frozenset, str]]] = defaultdict(list)
        self.firms: list[Firm] = []
        self.offices: list[Office] = []
        self.collectors: list[Collector] = []
        self.used_regions: set[str] = set()
        self._n_firm = 0
        self._n_office = 0
        self._build_firms(registrations, exempt)
        self._build_offices(exempt)
        self._histories()
        self._top_up(registrations)
        self._number_registrations()
        self._build_collectors(collectors)

    # ------------------------------------------------------------------ small makers

    def can_claim(self, name: Name, owner: str) -> bool:
        """Whether a reader could tell ``name`` from every other party's name."""
        cores = frozenset(fold(k) for k in name_cores(name))
        if not cores:
            return False
        families, init = name_families(name), name_init(name)
        for other, other_families, other_init in self.claims.get(cores, ()):
            if other == owner:
                continue
            if (not families or not other_families or families & other_families) and (
                    not init or not other_init or init == other_init):
                return False
        return True

    def claim(self, name: Name, owner: str) -> bool:
        if not self.can_claim(name, owner):
            return False
        self.claims[frozenset(fold(k) for k in name_cores(name))].append((owner, name_families(name), name_init(name)))
        return True

    def release(self, owner: str) -> None:
        for cores, entries in self.claims.items():
            self.claims[cores] = [e for e in entries if e[0] != owner]

    def city(self) -> tuple:
        weights = [12 if i < 6 else 5 if i < 20 else 2 for i in range(len(CITIES))]
        return self.rng.choices(CITIES, weights)[0]

    def address(self, city: tuple) -> tuple[str, str, str]:
        rng = self.rng
        number = str(rng.randrange(1, 240)) + rng.choice(("", "", "", "", "a", "b", "-1", " A"))
        letters = "".join(rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        return rng.choice(STREETS), number, f"{rng.randrange(city[1], city[2] + 1)} {letters}"

    def kvk(self, newer: bool = False) -> str:
        return make_kvk(self.rng, self.kvks, newer)

    def vestiging(self) -> str:
        return f"{self.rng.randrange(10**8, 10**11):012d}"

    def phone(self, area: str) -> str:
        while True:
            number = nl_phone(self.rng, area)
            if number not in self.phone_set:
                self.phone_set.add(number)
                return number

    def foreign_phone(self, cc: str, area: str) -> str:
        while True:
            rest = "".join(self.rng.choice(DIGITS) for _ in range(max(5, 9 - len(area))))
            number = f"+{cc} {area} {rest}"
            if number not in self.phone_set:
                self.phone_set.add(number)
                return number

    def domain(self, name: Name, tld: str = "nl", style: str = "") -> str:
        """A web domain made of the name's words, as firms choose them."""
        rng = self.rng
        cores = [light(w.text.split()[-1]) if w.role == "core" else light(w.text) for w in name
                 if w.role in ("core", "place")]
        kinds = [w for w in name if w.role == "kind"]
        kind_word = light(kinds[0].text) if kinds else ""
        words_kinds = frozenset(w.key for w in kinds)
        style = style or rng.choice(("joined", "joined", "hyphen", "core", "kindfirst"))
        if style == "core" or not kind_word:
            options = ["".join(cores), "-".join(cores)]
            used_kinds: frozenset[str] = frozenset()
        elif style == "kindfirst":
            options = [kind_word + "".join(cores), kind_word + "-" + "-".join(cores)]
            used_kinds = words_kinds
        else:
            options = ["".join(cores) + kind_word, "-".join([*cores, kind_word])]
            used_kinds = words_kinds
        base = options[1] if style == "hyphen" else options[0]
        base = base[:40].strip("-") or "incasso"
        for suffix in ("", "-nl", "online", "-" + light(self.city()[0]), str(rng.randrange(2, 99))):
            candidate = f"{base}{suffix}.{tld}"
            if candidate not in self.domain_set and domain_key(candidate) not in FREEMAIL:
                self.domain_set.add(candidate)
                self.domain_words[candidate] = (tuple(cores), used_kinds, kind_word if used_kinds else "")
                return candidate
        raise RuntimeError("no domain")  # pragma: no cover

    def person(self) -> tuple[str, str]:
        return self.rng.choice(GIVEN_NAMES), self.rng.choice(SURNAMES)

    def brand(self) -> Word:
        rng = self.rng
        if rng.random() < 0.55:
            a, b = rng.choice(BRAND_PREFIXES), rng.choice(BRAND_SUFFIXES)
            return w_core(a + b, (a, b))
        return w_core(rng.choice(BRAND_WORDS))

    # ------------------------------------------------------------------ registered firms

    def _new_firm(self, category: str, weight: float, *, city: tuple | None = None, country: str = "NL") -> Firm:
        self._n_firm += 1
        city = city or self.city()
        street, number, postcode = self.address(city)
        firm = Firm(eid=f"F{self._n_firm:05d}", category=category, kvk=self.kvk(), vestiging=self.vestiging(),
                    city=city, street=street, number=number, postcode=postcode, weight=weight,
                    active_from=date(2019, 1, 1), country=country)
        firm.staff = [self.person() for _ in range(self.rng.randrange(1, 4))]
        self.firms.append(firm)
        return firm

    def _named(self, firm: Firm, legal: Name, trades: tuple[Name, ...] = ()) -> bool:
        """Claim the firm's names; on success give it its one registration (dates come later)."""
        owner = firm.group or firm.eid
        if not all(self.can_claim(name, owner) for name in (legal, *trades)):
            return False
        for name in (legal, *trades):
            self.claim(name, owner)
        firm.regs = [Reg(firm=firm, start=date(2024, 4, 1), published=date(2024, 4, 1),
                         names=[(date(2024, 4, 1), legal, trades)])]
        return True

    def _drop_firm(self, firm: Firm) -> None:
        self.firms.remove(firm)
        if not firm.group:
            self.release(firm.eid)

    def _identifiers(self, firm: Firm, name: Name, *, tld: str = "nl", site: float = 0.8, listed: float = 0.85,
                     iban_country: str = "NL", mobile: bool = False) -> None:
        rng = self.rng
        if rng.random() < site:
            firm.domains.append(self.domain(name, tld))
            if rng.random() < listed:
                firm.listed_domains.append(firm.domains[0])
        own = firm.domains[0] if firm.domains else ""
        if own:
            firm.emails.append(rng.choice(("info", "incasso", "debiteuren", "klantenservice", "contact")) + "@" + own)
            if rng.random() < 0.6:
                firm.listed_emails.append(firm.emails[0])
        elif rng.random() < 0.5:
            firm.emails.append(light(render(name))[:18] + "@" + rng.choice(FREEMAIL[:8]))
            if rng.random() < 0.5:
                firm.listed_emails.append(firm.emails[0])
        if firm.country == "NL" or iban_country == "NL":
            main = self.phone("06" if mobile else firm.city[3])
        else:
            spec = FOREIGN[firm.country]
            main = self.foreign_phone(spec["cc"], rng.choice(spec["cities"])[1])
        firm.phones.append(main)
        if rng.random() < 0.75:
            firm.listed_phones.append(main)
        # A direct line that letters show but the register does not know.
        if rng.random() < 0.5 and firm.country == "NL":
            firm.phones.append(self.phone(firm.city[3]))
        for i in range(rng.choice((1, 1, 1, 2, 2, 3))):
            firm.ibans.append(make_iban(rng, iban_country if i == 0 else rng.choice((iban_country, "NL"))))
        known = rng.random()
        if known < 0.65:
            firm.listed_ibans.extend(firm.ibans[: max(1, len(firm.ibans) - 1)])

    def _build_firms(self, registrations: int, exempt: int) -> None:
        rng = self.rng
        n_rereg = max(1, round(registrations * 0.02)) if registrations >= 20 else 0
        firms_wanted = registrations - n_rereg
        self.n_rereg = n_rereg
        plan = _scaled({"groot_kantoor": 24, "middelgroot": 160, "franchise_regio": 14, "deurwaarder_bv": 85,
                        "advocaat_bv": 18, "schuldopkoper": 25, "buitenlands_geregistreerd": 28,
                        "administratiekantoor": 60, "klein_merk": 290, "eenmanszaak": 0},
                       firms_wanted, 1470, "eenmanszaak")
        # A bailiff office or law firm beside each such B.V. must fit in the exempt list.
        for category, share in (("deurwaarder_bv", 0.3), ("advocaat_bv", 0.06)):
            allowed = int(exempt * share)
            if plan[category] > allowed:
                plan["eenmanszaak"] += plan[category] - allowed
                plan[category] = allowed
        self._groups(plan["groot_kantoor"])
        for _ in range(plan["middelgroot"]):
            self._mid_firm("middelgroot", rng.lognormvariate(1.9, 0.6))
        self._franchise(plan["franchise_regio"])
        for _ in range(plan["deurwaarder_bv"]):
            self._paired("gerechtsdeurwaarder")
        for _ in range(plan["advocaat_bv"]):
            self._paired("advocaat")
        for _ in range(plan["schuldopkoper"]):
            self._debt_buyer()
        for _ in range(plan["buitenlands_geregistreerd"]):
            self._foreign_firm()
        for _ in range(plan["administratiekantoor"]):
            self._owner_firm("administratiekantoor")
        for _ in range(plan["klein_merk"]):
            self._mid_firm("klein_merk", rng.lognormvariate(0.2, 0.7))
        while len(self.firms) < firms_wanted:
            self._owner_firm("eenmanszaak")
        del self.firms[firms_wanted:]

    def _groups(self, members_wanted: int) -> None:
        rng = self.rng
        sizes = [5, 4, 3, 3, 3, 2, 2, 2]
        made = 0
        g = 0
        while made < members_wanted:
            size = min(sizes[g % len(sizes)], members_wanted - made)
            g += 1
            group = f"G{g:02d}"
            brand = self.brand()
            city = self.city()
            kinds = [("Incasso", "B.V."), ("Credit Management", "B.V."), ("Debt Purchase", "B.V."),
                     ("Invorderingen", "B.V."), ("Incassodiensten", "B.V.")]
            shared_domain = ""
            shared_phone = self.phone(city[3])
            members: list[Firm] = []
            for i in range(size):
                kind, form = kinds[i]
                firm = self._new_firm("groot_kantoor", rng.lognormvariate(3.6, 0.45) / (1 + i * 0.5), city=city)
                firm.group = group
                if members:  # one head office for the group
                    firm.street, firm.number, firm.postcode = members[0].street, members[0].number, members[0].postcode
                legal = (brand, w_kind(kind), w_form(form))
                trades: list[Name] = []
                if i == 0:
                    trades.append((brand, w_kind("Collect")))
                    for _ in range(rng.randrange(1, 4)):
                        for _attempt in range(20):
                            other = self.brand()
                            candidate = (other, w_kind(rng.choice(("Incasso", "Incassodiensten", "Debiteurenbeheer"))))
                            if self.claim(candidate, group):
                                trades.append(candidate)
                                break
                    if rng.random() < 0.5:
                        acronym = "".join(ch for ch in brand.text if ch.isupper())[:2] + rng.choice("CIM")
                        if len(acronym) >= 2:
                            trades.append((w_core(acronym.upper() + rng.choice(("", "N"))), w_kind("Collect")))
                if not self._named(firm, legal, tuple(trades)):
                    self._drop_firm(firm)
                    continue
                if not shared_domain:
                    shared_domain = self.domain((brand,), style="core")
                firm.domains = [shared_domain]
                firm.listed_domains = [shared_domain]
                for trade in trades[1:]:
                    if rng.random() < 0.5:
                        firm.domains.append(self.domain(trade))
                        firm.listed_domains.append(firm.domains[-1])
                firm.emails = [f"{rng.choice(('klantenservice', 'debiteuren', 'info', 'dossier'))}@{shared_domain}"]
                firm.listed_emails = list(firm.emails)
                firm.phones = [shared_phone, self.phone(city[3]), self.phone(city[3])]
                firm.listed_phones = [shared_phone]
                firm.ibans = [make_iban(rng) for _ in range(rng.randrange(2, 4))]
                firm.listed_ibans = firm.ibans[:-1]
                firm.staff = [self.person() for _ in range(6)]
                members.append(firm)
                made += 1
            # Some groups run a bailiff office too (exempt; under the same brand).
            if members and rng.random() < 0.4:
                office = self._new_office("groep_deurwaarder", (brand, w_kind("Gerechtsdeurwaarders"), w_form("B.V.")),
                                          "gerechtsdeurwaarder", city, rng.lognormvariate(2.6, 0.4), group=group)
                if office:
                    office.domains = [shared_domain]
                    office.listed_domains = [shared_domain]

    def _mid_firm(self, category: str, weight: float) -> None:
        rng = self.rng
        for _ in range(40):
            firm = self._new_firm(category, weight)
            brand = self.brand()
            kind = rng.choices(("Incasso", "Incassobureau", "Credit Management", "Invorderingen", "Debiteurenbeheer",
                                "Incassodiensten", "Collect"), (30, 15, 15, 10, 12, 12, 6))[0]
            if rng.random() < 0.25:
                legal = (w_kind(kind if kind not in ("Collect",) else "Incassobureau"), brand)
            else:
                legal = (brand, w_kind(kind))
            if category == "middelgroot" or rng.random() < 0.5:
                legal = (*legal, w_form("B.V."))
            trades: list[Name] = []
            if rng.random() < (0.5 if category == "middelgroot" else 0.2):
                trades.append((brand, w_kind(rng.choice(("Collect", "Incasso", "Debiteurenbeheer")))))
            if category == "middelgroot" and rng.random() < 0.2:
                other = self.brand()
                trades.append((other, w_kind("Incasso")))
            trades = [t for t in trades if name_cores(t) and render(t) != render(legal[:2])]
            if self._named(firm, legal, tuple(dict.fromkeys(trades))):
                self._identifiers(firm, legal, site=0.9 if category == "middelgroot" else 0.6)
                return
            self._drop_firm(firm)

    def _franchise(self, count: int) -> None:
        rng = self.rng
        stems = [("Incasso", "Service"), ("Incassodienst", ""), ("Debiteurenbeheer", ""), ("Incasso", "Centrale"),
                 ("Incassobureau", "")]
        regions = list(REGIONS)
        rng.shuffle(regions)
        for i in range(count):
            stem = stems[i % len(stems)]
            for region in regions:
                if region in self.used_regions:
                    continue
                firm = self._new_firm("franchise_regio", rng.lognormvariate(1.2, 0.5))
                legal = (w_kind(stem[0]), *((w_gen(stem[1]),) if stem[1] else ()), w_place(region), w_form("B.V."))
                if self._named(firm, legal):
                    self.used_regions.add(region)
                    firm.history.append("franchise:" + "|".join(stem))
                    self._identifiers(firm, legal, site=0.8)
                    break
                self._drop_firm(firm)

    def _paired(self, beroep: str) -> None:
        """A bailiff office or law firm (exempt) with a collection B.V. beside it (registered)."""
        rng = self.rng
        for _ in range(40):
            s1 = rng.choice(SURNAMES)
            two = rng.random() < 0.4
            s2 = rng.choice(SURNAMES)
            if two and light(s2) == light(s1):
                continue
            cores = (w_core(s1), w_conn(rng.choice(("&", "&", "en"))), w_core(s2)) if two else (w_core(s1),)
            if beroep == "gerechtsdeurwaarder":
                office_name = rng.choice((
                    (w_kind("Gerechtsdeurwaarderskantoor"), *cores),
                    (*cores, w_kind("Gerechtsdeurwaarders")),
                    (*cores, w_kind("Gerechtsdeurwaarders"), w_form("B.V.")),
                ))
                category = "deurwaarder_bv"
            else:
                office_name = rng.choice(((w_kind("Advocatenkantoor"), *cores), (*cores, w_kind("Advocaten")),
                                          (*cores, w_kind("Advocaten"), w_form("N.V."))))
                category = "advocaat_bv"
            kind = rng.choice(("Incasso", "Incasso", "Incassodiensten", "Credit Management", "Invorderingen"))
            bv_name = (*cores, w_kind(kind), w_form("B.V.")) if rng.random() < 0.8 else (
                w_kind("Incassobureau"), *cores, w_form("B.V."))
            city = self.city()
            firm = self._new_firm(category, rng.lognormvariate(1.3 if beroep == "gerechtsdeurwaarder" else 0.4, 0.6),
                                  city=city)
            if not self._named(firm, bv_name):
                self._drop_firm(firm)
                continue
            office = self._new_office(
                "deurwaarder" if beroep == "gerechtsdeurwaarder" else "advocaat", office_name, beroep, city,
                rng.lognormvariate(1.5 if beroep == "gerechtsdeurwaarder" else 0.6, 0.6))
            if office is None:
                self._drop_firm(firm)
                continue
            firm.partner, office.partner = office, firm
            firm.street, firm.number, firm.postcode = self.address(city)
            if rng.random() < 0.45:  # one website for both
                site = self.domain(office_name, style="core")
                office.domains = [site]
                office.listed_domains = [site]
                firm.domains = [site]
                firm.listed_domains = [site] if rng.random() < 0.85 else []
                firm.emails = [f"incasso@{site}"]
                firm.listed_emails = list(firm.emails)
                firm.phones = [self.phone(city[3])]
                firm.listed_phones = list(firm.phones)
                firm.ibans = [make_iban(rng)]
                firm.listed_ibans = list(firm.ibans) if rng.random() < 0.6 else []
            else:
                self._identifiers(firm, bv_name, site=0.75)
            return

    def _debt_buyer(self) -> None:
        rng = self.rng
        for _ in range(40):
            firm = self._new_firm("schuldopkoper", rng.lognormvariate(1.8, 0.5))
            brand = self.brand()
            legal = (brand, w_kind(rng.choice(("Debt Purchase", "Vorderingen", "Portfolio Management"))), w_form("B.V."))
            if self._named(firm, legal):
                self._identifiers(firm, legal, site=0.7)
                return
            self._drop_firm(firm)

    def _foreign_name(self, country: str) -> Name:
        rng = self.rng
        spec = FOREIGN[country]
        core = w_core(rng.choice(spec["cores"]))
        kind = w_kind(rng.choice(spec["kinds"]))
        form = w_form(rng.choice(spec["forms"]))
        if country == "LT":
            return (form, core, kind)
        if rng.random() < 0.3:
            return (w_gen(rng.choice(spec["generic"])), kind, core, form)
        if country == "DE" and rng.random() < 0.5:
            return (kind, core, form)
        return (core, kind, form)

    def _foreign_firm(self) -> None:
        rng = self.rng
        for _ in range(40):
            country = rng.choice(("DE", "DE", "BE", "BE", "UK", "LT", "CY"))
            firm = self._new_firm("buitenlands_geregistreerd", rng.lognormvariate(1.0, 0.6), country=country)
            legal = self._foreign_name(country)
            if self._named(firm, legal):
                spec = FOREIGN[country]
                firm.domains = [self.domain(legal, spec["tld"])]
                firm.listed_domains = list(firm.domains)
                firm.emails = ["service@" + firm.domains[0]]
                firm.listed_emails = list(firm.emails) if rng.random() < 0.5 else []
                firm.phones = [self.foreign_phone(spec["cc"], rng.choice(spec["cities"])[1]), self.phone(firm.city[3])]
                firm.listed_phones = firm.phones[1:] if rng.random() < 0.5 else list(firm.phones)
                firm.ibans = [make_iban(rng, country), make_iban(rng)]
                firm.listed_ibans = list(firm.ibans) if rng.random() < 0.6 else firm.ibans[1:]
                return
            self._drop_firm(firm)

    def owner_pattern(self, given: str, surname: str, pattern: str) -> Name:
        s, i, g = w_core(surname), w_init(given[0] + "."), w_init(given)
        return {
            "bureau_voorletter": (w_kind("Incassobureau"), i, s),
            "achternaam_incasso": (s, w_kind("Incasso")),
            "bureau": (w_kind("Incassobureau"), s),
            "voornaam_diensten": (g, s, w_kind("Incassodiensten")),
            "debiteurenbeheer": (s, w_kind("Debiteurenbeheer")),
            "invorderingen": (s, w_kind("Invorderingen")),
            "praktijk": (w_kind("Incassopraktijk"), s),
            "juridisch": (w_gen("Juridisch"), w_kind("Incassobureau"), s),
            "advies": (w_kind("Incassobureau"), s, w_gen("& Advies")),
            "voorletter_incasso": (i, s, w_kind("Incasso")),
            "administratie": (w_kind("Administratiekantoor"), s),
            "administraties": (s, w_kind("Administraties")),
            "kantoor": (w_kind("Incassokantoor"), s),
        }[pattern]

    OWNER_PATTERNS = ("bureau_voorletter", "achternaam_incasso", "bureau", "voornaam_diensten", "debiteurenbeheer",
                      "invorderingen", "praktijk", "juridisch", "advies", "voorletter_incasso", "kantoor")

    def _owner_firm(self, category: str) -> None:
        rng = self.rng
        for _ in range(60):
            given, surname = self.person()
            firm = self._new_firm(category, rng.lognormvariate(-0.4, 0.8))
            firm.owner = (given, surname)
            if category == "administratiekantoor":
                legal = self.owner_pattern(given, surname, rng.choice(("administratie", "administraties")))
            elif rng.random() < 0.12:
                s2 = rng.choice(SURNAMES)
                if light(s2) == light(surname):
                    self._drop_firm(firm)
                    continue
                firm.owner = None
                legal = (w_core(surname), w_conn(rng.choice(("&", "en"))), w_core(s2),
                         w_kind(rng.choice(("Incasso", "Incassodiensten", "Invorderingen"))), w_form("V.O.F."))
            elif rng.random() < 0.06:
                city = rng.choice(CITIES)
                firm.city = city  # a firm named after its town sits there
                firm.street, firm.number, firm.postcode = self.address(city)
                legal = rng.choice(((w_kind("Incassobureau"), w_place(city[0])), (w_place(city[0]), w_kind("Incasso"))))
            else:
                legal = self.owner_pattern(given, surname, rng.choice(self.OWNER_PATTERNS))
                if rng.random() < 0.2:
                    legal = (*legal, w_form("B.V."))
            trades: tuple[Name, ...] = ()
            if firm.owner and rng.random() < 0.15:
                other = self.owner_pattern(given, surname, rng.choice(self.OWNER_PATTERNS))
                if render(other) != render(legal):
                    trades = (other,)
            if self._named(firm, legal, trades):
                self._identifiers(firm, legal, site=0.45, listed=0.7, mobile=rng.random() < 0.4)
                return
            self._drop_firm(firm)

    # ------------------------------------------------------------------ exempt parties

    def _new_office(self, category: str, name: Name, beroep: str, city: tuple, weight: float, *,
                    group: str = "", kvk: bool | None = None) -> Office | None:
        if not self.claim(name, group or f"O{self._n_office + 1:04d}"):
            return None
        self._n_office += 1
        rng = self.rng
        office = Office(eid=f"O{self._n_office:04d}", category=category, name=name, beroep=beroep,
                        kvk=self.kvk() if (kvk if kvk is not None else rng.random() < 0.7) else "", city=city,
                        weight=weight, group=group)
        if rng.random() < 0.8:
            several = sum(1 for w in name if w.role in ("core", "place")) > 1 or any(w.parts for w in name)
            office.domains = [self.domain(name, style=rng.choice(("core", "joined")) if several else "joined")]
            office.listed_domains = list(office.domains) if rng.random() < 0.9 else []
        if office.domains:
            office.emails = [rng.choice(("info", "incasso", "secretariaat", "dossiers")) + "@" + office.domains[0]]
        office.phones = [self.phone(city[3])]
        office.ibans = [make_iban(rng)]  # the third-party account (derdengeldrekening): no list knows it
        office.staff = [self.person() for _ in range(3)]
        self.offices.append(office)
        return office

    def _build_offices(self, exempt: int) -> None:
        rng = self.rng
        have = len(self.offices)
        plan = _scaled({"deurwaarder": 105, "advocaat": 85, "twee_vestigingen": 8}, max(0, exempt - have),
                       198, "deurwaarder")
        for _ in range(plan["twee_vestigingen"]):
            if exempt - len(self.offices) < 2:
                break
            surname = rng.choice(SURNAMES)
            name = (w_kind("Gerechtsdeurwaarderskantoor"), w_core(surname))
            c1, c2 = self.city(), self.city()
            if c1 == c2:
                continue
            first = self._new_office("twee_vestigingen", name, "gerechtsdeurwaarder", c1, rng.lognormvariate(1.2, 0.5),
                                     group=f"V{len(self.offices)}", kvk=False)
            if first:
                second = self._new_office("twee_vestigingen", name, "gerechtsdeurwaarder", c2, first.weight / 2,
                                          group=first.group, kvk=False)
                if second:
                    second.domains, second.listed_domains = first.domains, first.listed_domains
        while len(self.offices) < exempt:
            beroep = "advocaat" if rng.random() < plan["advocaat"] / max(1, plan["advocaat"] + plan["deurwaarder"]) \
                else "gerechtsdeurwaarder"
            surname = w_core(rng.choice(SURNAMES))
            s2 = w_core(rng.choice(SURNAMES))
            roll = rng.random()
            if beroep == "gerechtsdeurwaarder":
                if roll < 0.35:
                    name = (w_kind("Gerechtsdeurwaarderskantoor"), surname)
                elif roll < 0.55:
                    name = (surname, w_kind("Gerechtsdeurwaarders"))
                elif roll < 0.7:
                    name = (surname, w_conn("&"), s2, w_kind("Gerechtsdeurwaarders"))
                elif roll < 0.82:
                    name = (w_kind("Deurwaarderskantoor"), w_place(rng.choice(REGIONS)))
                elif roll < 0.92:
                    name = (self.brand(), w_kind("Gerechtsdeurwaarders"), w_form("B.V."))
                else:
                    town = rng.choice(CITIES)
                    name = (w_kind("Gerechtsdeurwaarders"), w_place(town[0]))
                weight = rng.lognormvariate(1.0, 0.7)
            else:
                if roll < 0.35:
                    name = (w_kind("Advocatenkantoor"), surname)
                elif roll < 0.65:
                    name = (surname, w_kind("Advocaten"))
                elif roll < 0.85:
                    name = (surname, w_conn(rng.choice(("&", "en"))), s2, w_kind("Advocaten"))
                else:
                    name = (self.brand(), w_kind("Advocaten"))
                weight = rng.lognormvariate(0.1, 0.7)
            if light(surname.text) == light(s2.text):
                continue
            places = [c for c in CITIES if any(w.role == "place" and w.text == c[0] for w in name)]
            self._new_office("deurwaarder" if beroep == "gerechtsdeurwaarder" else "advocaat", name, beroep,
                             places[0] if places else self.city(), weight)
        del self.offices[exempt:]
    # ------------------------------------------------------------------ registration histories

    def _histories(self) -> None:
        rng = self.rng
        groups = [f for f in self.firms if f.group]
        first_day = {f.eid for f in groups[:8]} or {f.eid for f in self.firms[:3]}
        for firm in self.firms:
            reg = firm.regs[0]
            if firm.eid in first_day:
                reg.start = START_OF_LAW
                reg.published = START_OF_LAW
            else:
                if firm.group:
                    reg.start = _between(rng, date(2024, 4, 2), date(2024, 10, 31))
                elif rng.random() < 0.45:
                    reg.start = _between(rng, date(2024, 4, 2), date(2024, 12, 31))
                else:
                    reg.start = _between(rng, date(2025, 1, 2), date(2025, 3, 31))
                reg.published = reg.start + timedelta(days=rng.choice((0, 0, 1, 2, 3, 5, 7, 9)))
            reg.names[0] = (reg.start, *reg.names[0][1:])
            firm.active_from = date(rng.randrange(2008, 2024), rng.randrange(1, 13), 1)
        plain = [f for f in self.firms if not f.group]
        rng.shuffle(plain)
        n = len(plain)
        cut = iter(plain)

        def take(share: float) -> list[Firm]:
            return [f for _, f in zip(range(round(n * share)), cut, strict=False)]

        for firm in take(0.22):  # registered after the deadline while collecting all along
            reg = firm.regs[0]
            days = min(560, int(abs(rng.gauss(0, 240))))
            reg.start = DEADLINE + timedelta(days=1 + days)
            reg.published = reg.start + timedelta(days=rng.choice((0, 1, 3, 6, 12)))
            reg.names[0] = (reg.start, *reg.names[0][1:])
            firm.history.append("laat_geregistreerd")
        for firm in take(0.08):  # new firms, a few of which started collecting before their registration
            reg = firm.regs[0]
            reg.start = _between(rng, date(2024, 7, 1), date(2026, 9, 30))
            reg.published = reg.start + timedelta(days=rng.choice((0, 1, 2, 4, 8)))
            reg.names[0] = (reg.start, *reg.names[0][1:])
            early = rng.random() < 0.3
            firm.active_from = reg.start - timedelta(days=rng.randrange(20, 150) if early else 0)
            firm.history.append("nieuwkomer_te_vroeg" if early else "nieuwkomer")
        rng.shuffle(plain)
        cut = iter(plain)
        for firm in take(0.04):
            self._end(firm, "faillissement")
        for firm in take(0.03):
            self._end(firm, "intrekking")
        for firm in take(0.025):
            self._end(firm, "eigen verzoek")
        for firm in take(0.06):
            self._end(firm, "niet verlengd")
        merging = take(0.015)
        for firm in merging:
            self._merge(firm)
        made = 0
        for firm in cut:
            if made >= self.n_rereg:
                break
            if firm.regs[0].start <= date(2025, 9, 1) and not firm.regs[0].end and firm.merged_into is None \
                    and not firm.absorbed:
                made += self._reregister(firm)
        renamed = [f for f in plain if not f.regs[-1].end and len(f.regs) == 1 and not f.absorbed]
        rng.shuffle(renamed)
        for firm in renamed[: round(n * 0.04)]:
            self._rename(firm)
        # Within a few groups a member is folded into the head of the group.
        for group in sorted({f.group for f in groups}):
            members = [f for f in groups if f.group == group]
            if len(members) >= 3 and rng.random() < 0.5:
                self._end(members[-1], "fusie", into=members[0])

    def _end(self, firm: Firm, reason: str, into: Firm | None = None) -> None:
        rng = self.rng
        reg = firm.regs[-1]
        lo = max(reg.start + timedelta(days=90), date(2025, 2, 1))
        hi = date(2026, 11, 20)
        if lo >= hi:
            return
        if reason == "niet verlengd":
            years = [y for y in (1, 2) if lo <= _anniversary(reg.start, y) <= hi]
            if not years:
                return
            end = _anniversary(reg.start, rng.choice(years))
            recorded = end + timedelta(days=rng.randrange(0, 21))
            firm.active_to = None if rng.random() < 0.65 else end
            status = "verlopen"
        else:
            end = _between(rng, lo, hi)
            status = "doorgehaald"
            if reason == "faillissement":
                recorded = end + timedelta(days=rng.randrange(10, 76))
                firm.active_to = end + timedelta(days=rng.randrange(0, 46))
            elif reason == "intrekking":
                retro = rng.random() < 0.45
                recorded = end + timedelta(days=rng.randrange(30, 151) if retro else rng.randrange(0, 15))
                firm.active_to = None if rng.random() < 0.6 else end + timedelta(days=rng.randrange(30, 300))
            elif reason == "fusie":  # from the merger on, letters under its name come from the buyer
                recorded = end + timedelta(days=rng.randrange(0, 31))
                firm.active_to = end - timedelta(days=1)
            else:  # eigen verzoek: stops, some letters still go out in the weeks after
                recorded = end
                firm.active_to = end + timedelta(days=rng.randrange(-30, 21))
        reg.end, reg.end_status, reg.end_reason = end, status, reason
        reg.end_recorded = min(recorded, LAST_SNAPSHOT)
        firm.history.append(reason.replace(" ", "_"))
        if reg.end_recorded - end > timedelta(days=28):
            firm.history.append("terugwerkend")
        if into is not None:
            self._absorb(firm, into, end)

    def _absorb(self, firm: Firm, into: Firm, day: date) -> None:
        """``into`` takes over ``firm``'s business and goes on using its name as a trade name."""
        firm.merged_into, firm.merged_on = into, day
        reg = into.regs[-1]
        legal, trades = reg.names_on(day)
        old = tuple(w for w in firm.regs[-1].names_on(day)[0] if w.role != "form")
        reg.names.append((max(day, reg.start), legal, (*trades, old)))
        reg.names.sort(key=lambda entry: entry[0])
        into.absorbed.append((old, day))
        into.history.append("nam_over")

    def _merge(self, firm: Firm) -> None:
        partners = [f for f in self.firms if f is not firm and not f.group and not f.regs[-1].end
                    and len(f.regs) == 1 and f.regs[0].start < date(2025, 3, 1) and f.category != "eenmanszaak"]
        if partners:
            self._end(firm, "fusie", into=self.rng.choice(partners))

    def _reregister(self, firm: Firm) -> bool:
        rng = self.rng
        first = firm.regs[0]
        self._end(firm, rng.choice(("niet verlengd", "eigen verzoek")))
        if not first.end or first.end > date(2026, 8, 1):
            return False
        start = first.end + timedelta(days=rng.randrange(30, 241))
        start = min(start, date(2026, 11, 10))
        legal, trades = first.names_on(first.end)
        firm.regs.append(Reg(firm=firm, start=start, published=start + timedelta(days=rng.randrange(0, 8)),
                             names=[(start, legal, trades)]))
        firm.active_to = None
        firm.history.append("opnieuw_ingeschreven")
        return True

    def _rename(self, firm: Firm) -> None:
        rng = self.rng
        reg = firm.regs[-1]
        lo = max(reg.start + timedelta(days=60), date(2025, 1, 1))
        if lo >= date(2026, 10, 1):
            return
        day = _between(rng, lo, date(2026, 10, 1))
        legal, trades = reg.names_on(day)
        for _ in range(30):
            if firm.owner and rng.random() < 0.5:
                new = self.owner_pattern(*firm.owner, rng.choice(self.OWNER_PATTERNS))
            else:
                kinds = [w for w in legal if w.role == "kind"] or [w_kind("Incasso")]
                new = (self.brand(), kinds[0])
            forms = [w for w in legal if w.role == "form"]
            new = (*new, *forms)
            if render(new) != render(legal) and self.claim(new, firm.group or firm.eid):
                break
        else:
            return
        keep_old = rng.random() < 0.5
        old_trade = tuple(w for w in legal if w.role != "form")
        reg.names.append((day, new, (*trades, old_trade) if keep_old else trades))
        firm.renamed_on, firm.old_name = day, legal
        firm.history.append("naam_gewijzigd" + ("_oude_als_handelsnaam" if keep_old else ""))
        site = self.domain(new)
        firm.domains.append(site)
        if firm.listed_domains or rng.random() < 0.7:
            firm.listed_domains.append(site)

    def _top_up(self, registrations: int) -> None:
        """One-person firms registered before the deadline, until the register has its size."""
        while sum(len(f.regs) for f in self.firms) < registrations:
            before = len(self.firms)
            self._owner_firm("eenmanszaak")
            if len(self.firms) > before:
                reg = self.firms[-1].regs[0]
                reg.start = _between(self.rng, date(2024, 6, 1), date(2025, 3, 31))
                reg.published = reg.start
                reg.names[0] = (reg.start, *reg.names[0][1:])

    def _number_registrations(self) -> None:
        regs = sorted((reg for firm in self.firms for reg in firm.regs), key=lambda r: (r.start, r.firm.kvk))
        counters: dict[int, int] = defaultdict(int)
        for reg in regs:
            counters[reg.start.year] += self.rng.choice((1, 1, 1, 2, 3))
            reg.nr = f"R{reg.start.year}-{counters[reg.start.year]:05d}"
        self.regs = regs
    # ------------------------------------------------------------------ collectors outside the register

    def _build_collectors(self, count: int) -> None:
        plan = _scaled({"buitenlands": 40, "lijkt_op_geregistreerd": 28, "lijkt_op_vrijgesteld": 12, "kloon": 24,
                        "meerdere_namen": 20, "achternaam_gedeeld": 26, "online": 20, "franchise_regio": 10,
                        "ongeregistreerd": 0}, count, 260, "ongeregistreerd")
        self._clone_targets: set[str] = set()
        self._extra_used: set[str] = set()
        for category in sorted(plan, key=lambda c: c == "ongeregistreerd"):
            for _ in range(plan[category]):
                made = None
                for _attempt in range(30):
                    made = self._collector(category)
                    if made:
                        break
                while not made:
                    made = self._collector("ongeregistreerd")
                self.collectors.append(made)

    def _window(self, short: bool) -> tuple[date, date]:
        rng = self.rng
        end = _between(rng, date(2025, 6, 1), LETTERS_TO)
        if rng.random() < 0.35:
            end = LETTERS_TO  # still at it
        days = rng.randrange(60, 420) if short else rng.randrange(240, 1100)
        return end - timedelta(days=days), end

    def _collector_ids(self, phase: Phase, name: Name, *, country: str = "NL", city: tuple | None = None,
                       site: float = 0.5, mobile: float = 0.6, tld: str = "nl", iban_country: str = "NL") -> None:
        rng = self.rng
        if rng.random() < site:
            phase.domains.append(self.domain(name, tld))
        if phase.domains and rng.random() < 0.7:
            phase.emails.append(rng.choice(("info", "incasso", "betalingen", "service", "dossier")) + "@" + phase.domains[0])
        else:
            phase.emails.append(light(render(name))[:16] + rng.choice(("", ".nl", "incasso", "24")) + "@"
                                + rng.choice(FREEMAIL[:9] if country == "NL" else FREEMAIL))
        if country == "NL":
            phase.phones.append(self.phone("06" if rng.random() < mobile else (city or self.city())[3]))
        else:
            spec = FOREIGN[country]
            phase.phones.append(self.foreign_phone(spec["cc"], rng.choice(spec["cities"])[1]))
        phase.ibans.append(make_iban(rng, iban_country))
        if rng.random() < 0.25:
            phase.ibans.append(make_iban(rng, rng.choice(("NL", iban_country))))

    def _collector(self, category: str) -> Collector | None:
        rng = self.rng
        cid = f"C{len(self.collectors) + 1:04d}"
        city = self.city()
        about = ""
        target = ""
        country = "NL"
        kvk = ""
        short = category in ("kloon", "online", "meerdere_namen")
        start, end = self._window(short)
        phases: list[Phase] = []
        if category == "buitenlands":
            country = rng.choice(("DE", "DE", "DE", "BE", "BE", "BE", "LT", "LT", "UK", "UK", "CY"))
            name = self._foreign_name(country)
            if not self.claim(name, cid):
                return None
            phase = Phase(start, end, [name])
            self._collector_ids(phase, name, country=country, site=0.8, tld=FOREIGN[country]["tld"],
                                iban_country=country)
            phases.append(phase)
            about = f"buitenlandse incassant ({country})"
            city = None
        elif category in ("lijkt_op_geregistreerd", "lijkt_op_vrijgesteld"):
            if category == "lijkt_op_geregistreerd":
                pool = [(f.eid, f.regs[-1].names[-1][1]) for f in self.firms if f.category in
                        ("middelgroot", "klein_merk", "groot_kantoor", "schuldopkoper", "franchise_regio")]
            else:
                pool = [(o.eid, o.name) for o in self.offices]
            if not pool:
                return None
            target, base = rng.choice(pool)
            name = self._lookalike(base)
            if name is None or not self.claim(name, cid):
                return None
            phase = Phase(start, end, [name])
            self._collector_ids(phase, name, city=city, site=0.6)
            phases.append(phase)
            kvk = self.kvk(newer=True) if rng.random() < 0.3 else ""
            about = f"naam lijkt op {render(base)!r} maar verschilt in een echt woord"
        elif category == "kloon":
            pool = [f for f in self.firms if f.listed_domains and f.listed_ibans and f.listed_phones
                    and f.eid not in self._clone_targets and not f.regs[-1].end and f.category != "eenmanszaak"]
            if not pool:
                return None
            victim = rng.choice(pool)
            self._clone_targets.add(victim.eid)
            target = victim.eid
            legal, trades = victim.regs[-1].names_on(LAST_SNAPSHOT)
            names = [legal] + ([trades[0]] if trades and rng.random() < 0.4 else [])
            phase = Phase(start, end, names)
            site = victim.listed_domains[0]
            label, _, tld = site.partition(".")
            for variant in (f"{label}-betalen.{tld}", f"mijn{label}.{tld}", f"{label}.com", f"{label}-incasso.eu",
                            f"{label}-online.{tld}", f"{label}.net"):
                if variant not in self.domain_set:
                    self.domain_set.add(variant)
                    self.domain_words[variant] = self.domain_words.get(site, ((label,), frozenset(), ""))
                    phase.domains.append(variant)
                    break
            phase.emails.append(rng.choice(("betalingen", "incasso", "info")) + "@" + phase.domains[0]
                                if phase.domains and rng.random() < 0.6
                                else light(render(legal))[:14] + "@" + rng.choice(FREEMAIL[:6]))
            phase.phones.append(self.phone("06"))
            phase.ibans.append(make_iban(rng, rng.choice(("NL", "NL", "LT", "CY"))))
            phases.append(phase)
            kvk = self.kvk(newer=True) if rng.random() < 0.4 else ""
            about = f"kloon van {render(legal)!r}: zelfde naam, eigen KvK-nummer, rekening en website"
        elif category == "meerdere_namen":
            n = rng.choice((2, 2, 3, 3, 4))
            total = (end - start).days
            bounds = sorted(rng.sample(range(20, max(21 * n, total - 20)), n - 1)) if total > 40 * n else \
                [total * (i + 1) // n for i in range(n - 1)]
            edges = [start] + [start + timedelta(days=b) for b in bounds] + [end]
            previous: Phase | None = None
            for i in range(n):
                for _ in range(20):
                    name = self._plain_name()
                    if self.claim(name, cid):
                        break
                else:
                    return None
                phase = Phase(edges[i], edges[i + 1], [name])
                self._collector_ids(phase, name, city=city, site=0.5)
                if previous is not None:
                    carried = False
                    if rng.random() < 0.6:
                        phase.phones = previous.phones[:1] + phase.phones[1:]
                        carried = True
                    if rng.random() < 0.5 or not carried:
                        phase.ibans = [previous.ibans[0], *phase.ibans]
                phases.append(phase)
                previous = phase
            about = f"gebruikt {n} namen na elkaar, met wisselende rekeningen en telefoonnummers"
        elif category == "achternaam_gedeeld":
            pool: list[tuple[str, str, str]] = [(f.eid, f.owner[1], f.owner[0]) for f in self.firms if f.owner]
            pool += [(o.eid, w.text, "") for o in self.offices for w in o.name if w.role == "core" and w.tv == ""
                     and any(w.text == s for s in SURNAMES)]
            if not pool:
                return None
            target, surname, given = rng.choice(pool)
            other_given = rng.choice([g for g in GIVEN_NAMES if g[0] != (given or "#")[0]])
            name = self.owner_pattern(other_given, surname, rng.choice(
                ("bureau_voorletter", "voorletter_incasso", "voornaam_diensten") if given else self.OWNER_PATTERNS))
            if not self.claim(name, cid):
                return None
            phase = Phase(start, end, [name])
            self._collector_ids(phase, name, city=city, site=0.4)
            phases.append(phase)
            kvk = self.kvk(newer=True) if rng.random() < 0.5 else ""
            about = f"draagt de achternaam {surname} net als een partij in het register of de lijst"
        elif category == "online":
            word = rng.choice(ONLINE_WORDS) + rng.choice(("", "", "24", "NL", "365"))
            name = (w_core(word),) + ((w_kind(rng.choice(("Incasso", "Collect"))),) if rng.random() < 0.4 else ())
            if not self.claim(name, cid):
                return None
            phase = Phase(start, end, [name])
            phase.domains.append(self.domain(name, rng.choice(("online", "com", "eu", "net", "nl")), style="core"))
            phase.emails.append(rng.choice(("support", "info", "betalen")) + "@" + phase.domains[0])
            if rng.random() < 0.4:
                phase.phones.append(self.phone("06"))
            phase.ibans.append(make_iban(rng, rng.choice(("NL", "NL", "LT", "DE"))))
            phases.append(phase)
            about = "werkt alleen via een website"
            city = None
        elif category == "franchise_regio":
            stems = [tuple(f.history[0].split(":", 1)[1].split("|")) for f in self.firms
                     if f.category == "franchise_regio" and f.history and f.history[0].startswith("franchise:")]
            regions = [r for r in REGIONS if r not in self.used_regions]
            if not stems or not regions:
                return None
            stem = rng.choice(stems)
            region = rng.choice(regions)
            name = (w_kind(stem[0]), *((w_gen(stem[1]),) if stem[1] else ()), w_place(region))
            if not self.claim(name, cid):
                return None
            self.used_regions.add(region)
            phase = Phase(start, end, [name])
            self._collector_ids(phase, name, city=city, site=0.6, mobile=0.3)
            phases.append(phase)
            kvk = self.kvk() if rng.random() < 0.6 else ""
            about = f"regionale naam als van geregistreerde bureaus ({render(name)!r})"
        else:  # ongeregistreerd
            name = self._plain_name()
            if not self.claim(name, cid):
                return None
            phase = Phase(start, end, [name])
            self._collector_ids(phase, name, city=city, site=0.45)
            phases.append(phase)
            kvk = self.kvk() if rng.random() < 0.55 else ""
            about = "incasseert zonder inschrijving"
        weight = rng.lognormvariate(1.2 if short else 0.6, 0.8)
        return Collector(cid=cid, category=category, country=country, kvk=kvk, city=city, phases=phases,
                         weight=weight, about=about, target=target, staff=[self.person() for _ in range(2)])

    def _plain_name(self) -> Name:
        rng = self.rng
        roll = rng.random()
        given, surname = self.person()
        if roll < 0.5:
            name = self.owner_pattern(given, surname, rng.choice(self.OWNER_PATTERNS))
        elif roll < 0.85:
            brand = self.brand()
            name = rng.choice(((brand, w_kind("Incasso")), (w_kind("Incassobureau"), brand),
                               (brand, w_kind("Invorderingen")), (brand, w_kind("Debt Collection")),
                               (w_gen("Juridisch"), w_kind("Incassobureau"), brand)))
        else:
            s2 = rng.choice(SURNAMES)
            name = (w_core(surname), w_conn("&"), w_core(s2), w_kind("Incasso"))
        if rng.random() < 0.25:
            name = (*name, w_form(rng.choice(("B.V.", "V.O.F."))))
        return name

    def _lookalike(self, base: Name) -> Name | None:
        """``base`` with one distinctive word changed into another real word, or a real word added."""
        rng = self.rng
        cores = [i for i, w in enumerate(base) if w.role == "core"]
        compound = [i for i in cores if base[i].parts]
        if compound and rng.random() < 0.7:
            i = rng.choice(compound)
            a, b = base[i].parts
            for _ in range(20):
                if rng.random() < 0.5:
                    a2, b2 = rng.choice(BRAND_PREFIXES), b
                else:
                    a2, b2 = a, rng.choice(BRAND_SUFFIXES)
                word = a2 + b2
                original = fold(a + b)
                if OSA.distance(fold(word), original) > tolerance(original):
                    return (*base[:i], w_core(word, (a2, b2)), *base[i + 1:])
            return None
        unused = [w for w in LOOKALIKE_EXTRA if w not in self._extra_used]
        if not unused:
            return None
        word = rng.choice(unused)
        self._extra_used.add(word)
        extra = w_core(word)
        position = cores[0] if cores else 0
        return (*base[:position], extra, *base[position:])
# ---------------------------------------------------------------------------------------------- the careful reader

PLACE_KEYS = frozenset([light(c[0]) for c in CITIES] + [light(r) for r in REGIONS])


@dataclass(frozen=True)
class Reading:
    """What a reader takes from the name field: the distinctive words as written (without tussenvoegsel,
    accents or case), whether each is a place, the trade words' kinds and the owner's initial."""

    tokens: tuple[tuple[str, bool], ...] = ()
    kinds: frozenset[str] = frozenset()
    init: str = ""
    kind_words: frozenset[str] = frozenset()  # the trade words as written ("incassodiensten")


class NameIndex:
    """Names a reader can look up, by their distinctive words as they sound."""

    def __init__(self, entries: list[tuple[object, Name]]) -> None:
        self.entries: list[tuple[object, frozenset[str], frozenset[str], frozenset[str], str, frozenset[str]]] = []
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.keys_of_fold: dict[str, set[str]] = defaultdict(set)
        for owner, name in entries:
            cores = name_cores(name)
            if not cores:
                continue
            index = len(self.entries)
            words = frozenset(light(w.text) for w in name if w.role == "kind")
            self.entries.append((owner, cores, name_kinds(name), name_families(name), name_init(name), words))
            for key in cores:
                self.by_key[key].append(index)
                self.keys_of_fold[fold(key)].add(key)
        self.folds = sorted(self.keys_of_fold)
        self._cache: dict[str, dict[str, bool]] = {}

    def keys_for(self, surface: str) -> dict[str, bool]:
        """The words of the index a written word may be (within the reader's tolerance), each with whether
        it is written exactly so."""
        found = self._cache.get(surface)
        if found is None:
            found = {}
            if surface:
                for folded, distance, _ in process.extract(fold(surface), self.folds, scorer=OSA.distance,
                                                           score_cutoff=2, limit=None):
                    if distance <= tolerance(folded):
                        for key in self.keys_of_fold[folded]:
                            found[key] = key == surface
            self._cache[surface] = found
        return found

    def candidates(self, reading: Reading) -> dict[object, tuple]:
        """Owners whose name the reading fits, each with the best fit (higher is better): (words matched, of
        which written exactly, every word of the name present, trade word of the same kind, trade word
        written as the party writes it)."""
        if not reading.tokens:
            return {}
        per_token = [self.keys_for(surface) for surface, _ in reading.tokens]
        indexes: set[int] = set()
        for keys in per_token:
            for key in keys:
                indexes.update(self.by_key[key])
        families = frozenset(KIND_FAMILY[k] for k in reading.kinds)
        best: dict[object, tuple] = {}
        for index in sorted(indexes):
            owner, cores, kinds, name_fams, init, kind_words = self.entries[index]
            matched = exact = 0
            covered: set[str] = set()
            fits = True
            for (_, is_place), keys in zip(reading.tokens, per_token, strict=True):
                hit = [k for k in keys if k in cores]
                if hit:
                    matched += 1
                    covered.update(hit)
                    exact += any(keys[k] for k in hit)
                elif not is_place:
                    fits = False  # a distinctive word the name does not have: another firm
                    break
            if not fits or not matched:
                continue
            if families and name_fams and not families & name_fams:
                continue  # a bailiff is not a collection agency, a lawyer not a bailiff
            if reading.init and init and reading.init != init:
                continue  # another owner
            full = covered >= cores
            if not full:
                # A name written short is still the firm's when what is left is telling, and the writer
                # did not give an owner's initial the name lacks.
                if reading.init and reading.init != init:
                    continue
                if not any(k not in COMMON_SURNAMES and k not in PLACE_KEYS for k in covered):
                    continue
            score = (matched, exact, full, bool(reading.kinds & kinds), bool(reading.kind_words & kind_words))
            if score > best.get(owner, ()):
                best[owner] = score
        return best


def top(scores: dict[object, tuple]) -> set:
    if not scores:
        return set()
    high = max(scores.values())
    return {owner for owner, score in scores.items() if score == high}


@dataclass
class Outcome:
    kind: str  # party | clone | none | conflict | nothing
    parties: frozenset[str] = frozenset()
    reason: str = ""


def read_ids(written: dict[str, str]) -> list[tuple[str, str]]:
    """The identifiers a reader can use, as (kind, key); a mistyped IBAN (check digits wrong) is no use."""
    ids: list[tuple[str, str]] = []
    if written.get("kvk_nummer"):
        digits = "".join(ch for ch in written["kvk_nummer"] if ch.isdigit())
        if len(digits) == 8:
            ids.append(("kvk", digits))
        elif len(digits) == 12:
            ids.append(("vest", digits))
    if written.get("iban"):
        compact = re.sub(r"[^A-Za-z0-9]", "", written["iban"]).upper()
        for prefix in ("IBAN", "REK"):
            if compact.startswith(prefix):
                compact = compact[len(prefix):]
        if iban_ok(compact):
            ids.append(("iban", compact))
    if written.get("website"):
        ids.append(("domain", domain_key(written["website"])))
    if written.get("email"):
        ids.append(email_key(written["email"]))
    if written.get("telefoon"):
        ids.append(("tel", phone_key(written["telefoon"])))
    return ids


class Reader:
    """A careful inspector with the register as it stands at the last snapshot and the exempt list."""

    def __init__(self, market: Market) -> None:
        self.market = market
        entries: list[tuple[object, Name]] = []
        self.owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.kvks: dict[str, set[str]] = defaultdict(set)
        self.listed: dict[str, set[str]] = defaultdict(set)
        self.firms = {f.eid: f for f in market.firms}
        self.offices = {o.eid: o for o in market.offices}
        for firm in market.firms:
            for reg in firm.regs:
                legal, trades = reg.names_on(LAST_SNAPSHOT)
                entries.extend((firm.eid, name) for name in (legal, *trades))
            self._own(firm.eid, ("kvk", firm.kvk))
            self._own(firm.eid, ("vest", firm.vestiging))
            for d in firm.listed_domains:
                self._own(firm.eid, ("domain", d))
            for e in firm.listed_emails:
                self._own(firm.eid, email_key(e))
            for p in firm.listed_phones:
                self._own(firm.eid, ("tel", phone_key(p)))
            for i in firm.listed_ibans:
                self._own(firm.eid, ("iban", i))
        for office in market.offices:
            entries.append((office.eid, office.name))
            if office.kvk:
                self._own(office.eid, ("kvk", office.kvk))
            for d in office.listed_domains:
                self._own(office.eid, ("domain", d))
        self.index = NameIndex(entries)
        self.collector_index = NameIndex([((c.cid, i), name) for c in market.collectors
                                          for i, name in enumerate(n for p in c.phases for n in p.names)])

    def _own(self, eid: str, key: tuple[str, str]) -> None:
        self.owners[key].add(eid)
        self.listed[eid].add(key[0])
        if key[0] == "kvk":
            self.kvks[eid].add(key[1])

    def verdict(self, eid: str, day: date) -> tuple[str, tuple[str, ...]]:
        if eid in self.offices:
            return VRIJGESTELD, ()
        regs = self.firms[eid].regs
        valid = [r for r in regs if r.valid_on(day)]
        if valid:
            return GEREGISTREERD, (valid[0].nr,)
        ended = sorted((r for r in regs if r.end and r.end <= day), key=lambda r: r.end, reverse=True)
        future = sorted((r for r in regs if r.start > day), key=lambda r: r.start)
        return NIET_GELDIG, tuple(r.nr for r in [*ended, *future])

    def _clone_evidence(self, parties: set[str], unknown: list[tuple[str, str]]) -> bool:
        """A KvK number that is not the firm's (nor one slip away from it), or two other identifiers of
        kinds the register knows for the firm and that all differ from it: someone else under its name."""
        for kind, key in unknown:
            if kind == "kvk" and not any(kvk_near(key, k) for p in parties for k in self.kvks[p]):
                return True
        kinds = {kind for kind, _ in unknown if kind in ("iban", "domain", "email", "tel")
                 and all(kind in self.listed[p] for p in parties)}
        return len(kinds) >= 2

    def judge(self, reading: Reading, ids: list[tuple[str, str]]) -> Outcome:
        known = [self.owners[key] for key in ids if key in self.owners]
        unknown = [key for key in ids if key not in self.owners]
        scores = self.index.candidates(reading)
        if known:
            common = set.intersection(*known)
            if not common:
                return Outcome("conflict", reason="kenmerken_wijzen_uiteen")
            if any(kind == "kvk" and not any(kvk_near(key, k) for p in common for k in self.kvks[p])
                   for kind, key in unknown):
                return Outcome("conflict", reason="kenmerken_wijzen_uiteen")
            if scores:
                chosen = top(scores) & common
                if not chosen:
                    fitting = {p: s for p, s in scores.items() if p in common}
                    if not fitting:
                        return Outcome("conflict", reason="naam_en_kenmerk_wijzen_uiteen")
                    chosen = top(fitting)
                return Outcome("party", frozenset(chosen))
            return Outcome("party", frozenset(common))
        best = top(scores)
        if best:
            if self._clone_evidence(best, unknown):
                return Outcome("clone")
            return Outcome("party", frozenset(best))
        if reading.tokens or unknown:
            return Outcome("none")
        return Outcome("nothing", reason="geen_naam_of_kenmerk")
# ---------------------------------------------------------------------------------------------- the writers

_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb",
    "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa",
    "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}
# Spellings Dutch writers swap for one another (each keeps the sound, see ``fold``).
_PHONETIC = (("ij", "y"), ("y", "ij"), ("ei", "ij"), ("ij", "ei"), ("ou", "au"), ("au", "ou"), ("dt", "t"),
             ("ch", "g"), ("c", "k"), ("k", "c"), ("x", "ks"), ("ks", "x"), ("ph", "f"), ("z", "s"), ("s", "z"),
             ("ss", "s"), ("s", "ss"), ("kk", "k"), ("ll", "l"), ("tt", "t"), ("ee", "e"), ("oo", "o"), ("d", "t"))


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped with its neighbour or hit beside."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 5:
        return word
    for _ in range(10):
        i = rng.choice(letters[1:-1])
        how = rng.choice(("weg", "dubbel", "omgewisseld", "ernaast", "ernaast"))
        if how == "weg":
            out = word[:i] + word[i + 1:]
        elif how == "dubbel":
            out = word[:i] + word[i] + word[i:]
        elif how == "omgewisseld":
            if not word[i + 1].isalpha() or word[i] == word[i + 1]:
                continue
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            ch = word[i]
            other = rng.choice(_NEIGHBOURS.get(ch.lower(), "e"))
            out = word[:i] + (other.upper() if ch.isupper() else other) + word[i + 1:]
        if light(out) != light(word):
            return out
    return word


def phonetic(rng: random.Random, word: str) -> str:
    """The word spelt as it sounds in another way (ij/y, ou/au, ch/g, c/k ...)."""
    low = word.lower()
    options = []
    for a, b in _PHONETIC:
        start = low.find(a, 1)
        if start > 0 and (a != "d" or start == len(low) - 1):
            out = word[:start] + b + word[start + len(a):]
            if fold(out) == fold(word) and light(out) != light(word):
                options.append(out)
    return rng.choice(options) if options else word


@dataclass
class Slot:
    role: str
    key: str
    main: str  # the part a reader compares (a surname without its tussenvoegsel)
    shown: str
    parts: tuple[str, ...] = ()
    glue: bool = False  # written against the previous word


@dataclass
class Written:
    text: str
    reading: Reading
    ops: list[str]


def _slots(name: Name) -> list[Slot]:
    out = []
    for w in name:
        main = split_surname(w.text)[1] if w.role == "core" else w.text
        out.append(Slot(w.role, w.key, main, w.text, w.parts))
    return out


def _join(slots: list[Slot]) -> str:
    text = ""
    for s in slots:
        if not s.shown:
            continue
        text += s.shown if (s.glue or not text) else " " + s.shown
    return text.replace(" ,", ",")


def _reading(slots: list[Slot]) -> Reading:
    tokens = tuple((light(s.main), s.role == "place" or (s.role == "extra_place")) for s in slots
                   if s.role in ("core", "place", "extra_place") and light(s.main))
    kinds = frozenset(s.key for s in slots if s.role == "kind")
    init = next((s.key for s in slots if s.role == "init"), "")
    return Reading(tokens, kinds, init, frozenset(light(s.shown) for s in slots if s.role == "kind"))


# How each channel's writers treat a name: chance of each change.
PROFILES = {
    "consument": dict(form_keep=0.2, form_odd=0.08, case=0.08, order=0.06, conn=0.5, hyphen=0.06, typo=0.13,
                      phonetic=0.05, drop_core=0.05, extra=0.04, place=0.04, person=0.03, init=0.5, tv=0.35,
                      translate=0.03, abbrev=0.04, kind_drop=0.12, kind_swap=0.08),
    "doorgestuurd": dict(form_keep=0.6, form_odd=0.03, case=0.02, order=0.02, conn=0.2, hyphen=0.02, typo=0.03,
                         phonetic=0.01, drop_core=0.02, extra=0.03, place=0.03, person=0.06, init=0.2, tv=0.15,
                         translate=0.02, abbrev=0.03, kind_drop=0.05, kind_swap=0.03),
    "professioneel": dict(form_keep=0.55, form_odd=0.05, case=0.03, order=0.03, conn=0.3, hyphen=0.03, typo=0.05,
                          phonetic=0.02, drop_core=0.03, extra=0.03, place=0.05, person=0.03, init=0.3, tv=0.25,
                          translate=0.02, abbrev=0.06, kind_drop=0.06, kind_swap=0.04),
    "anoniem": dict(form_keep=0.15, form_odd=0.05, case=0.1, order=0.08, conn=0.5, hyphen=0.08, typo=0.12,
                    phonetic=0.06, drop_core=0.1, extra=0.03, place=0.05, person=0.01, init=0.6, tv=0.4,
                    translate=0.04, abbrev=0.03, kind_drop=0.25, kind_swap=0.08),
    "register": dict(form_keep=1.0, form_odd=0.0, case=0.0, order=0.0, conn=0.0, hyphen=0.0, typo=0.0,
                     phonetic=0.0, drop_core=0.0, extra=0.0, place=0.0, person=0.0, init=0.0, tv=0.0,
                     translate=0.0, abbrev=0.0, kind_drop=0.0, kind_swap=0.0),
}


def write_name(rng: random.Random, name: Name, profile: dict, *, given: str = "", city: str = "",
               person: tuple[str, str] | None = None) -> Written:
    """The name as one writer puts it down, with what the reader can take from it and the changes made."""
    slots = _slots(name)
    ops: list[str] = []
    p = profile
    cores = [s for s in slots if s.role in ("core", "place")]
    # legal form
    forms = [s for s in slots if s.role == "form"]
    if forms and rng.random() >= p["form_keep"]:
        slots = [s for s in slots if s.role != "form"]
        ops.append("rechtsvorm_weg")
    elif rng.random() < p["form_odd"]:
        odd = rng.choice(("BV", "bv", "B.V", "b.v.", "V.O.F.", "VOF", "Holding B.V.", "NV"))
        slots = [s for s in slots if s.role != "form"] + [Slot("form", "", odd, odd)]
        ops.append("rechtsvorm")
    # trade word
    kinds = [s for s in slots if s.role == "kind"]
    if kinds and cores and rng.random() < p["kind_drop"]:
        slots = [s for s in slots if s.role != "kind"]
        ops.append("soortwoord_weg")
        kinds = []
    if kinds:
        k = rng.choice(kinds)
        roll = rng.random()
        if roll < p["translate"]:
            options = [t for t in KIND_TRANSLATIONS[k.key] if t != k.shown]
            if options:
                k.shown = k.main = rng.choice(options)
                ops.append("vertaling")
        elif roll < p["translate"] + p["abbrev"] and k.shown in KIND_ABBREVIATIONS:
            k.shown = k.main = rng.choice(KIND_ABBREVIATIONS[k.shown])
            ops.append("afkorting")
        elif roll < p["translate"] + p["abbrev"] + p["kind_swap"]:
            if rng.random() < 0.85:
                options = [t for t in KIND_SYNONYMS[k.key] if t != k.shown]
                if options:
                    k.shown = k.main = rng.choice(options)
                    ops.append("soortwoord_anders")
            else:
                family = KIND_FAMILY[k.key]
                others = [kk for kk, fam in KIND_FAMILY.items() if fam == family and kk != k.key]
                if others:
                    k.key = rng.choice(others)
                    k.shown = k.main = rng.choice(KIND_SYNONYMS[k.key])
                    ops.append("soortwoord_anders")
    # initials and given names
    inits = [s for s in slots if s.role == "init"]
    if inits and rng.random() < p["init"]:
        s = inits[0]
        roll = rng.random()
        if roll < 0.55:
            slots.remove(s)
            ops.append("voorletters_weg")
        elif roll < 0.8 and given and len(s.shown) <= 2:
            s.shown = s.main = given
            ops.append("voornaam")
        else:
            s.shown = s.main = s.shown.rstrip(".") if s.shown.endswith(".") else s.shown[0] + "."
            ops.append("voorletters")
    # tussenvoegsels
    for s in slots:
        if s.role == "core" and s.shown != s.main and rng.random() < p["tv"]:
            tv = s.shown[: len(s.shown) - len(s.main)].strip()
            short = {"van der": ("v.d.", "vd", "v/d", "V.d."), "van den": ("v.d.", "vd", "vd."), "van de": ("v.d.", "vd"),
                     "van": ("v.", "V."), "de": ("De", "De"), "ter": ("Ter",), "ten": ("Ten",)}.get(tv.lower(), (tv.title(),))
            roll = rng.random()
            if roll < 0.35:
                s.shown = rng.choice(short) + " " + s.main
            elif roll < 0.55:
                s.shown = (tv.replace(" ", "").replace("'", "").capitalize() + s.main) if rng.random() < 0.5 else (
                    tv.replace(" ", "").replace("'", "") + s.main.lower()).capitalize()
            elif roll < 0.75:
                s.shown = s.main
            elif roll < 0.88:
                s.shown = f"{s.main}, {tv}"
            else:
                s.shown = tv.title() + " " + s.main
            ops.append("tussenvoegsel")
            break
    # connectors
    for i, s in enumerate(slots):
        if s.role == "conn" and rng.random() < p["conn"]:
            choice = rng.choice(("en", "+", "and", "-", "", "&amp;" if rng.random() < 0.05 else "en"))
            if choice == "-":
                s.shown = "-"
                s.glue = True
                if i + 1 < len(slots):
                    slots[i + 1].glue = True
            else:
                s.shown = choice
            ops.append("verbindingswoord")
            break
    # a word left out
    cores = [s for s in slots if s.role in ("core", "place")]
    if len(cores) >= 2 and rng.random() < p["drop_core"]:
        gone = rng.choice(cores)
        index = slots.index(gone)
        slots.remove(gone)
        for neighbour in (index, index - 1):
            if 0 <= neighbour < len(slots) and slots[neighbour].role == "conn":
                slots.pop(neighbour)
                break
        if slots:
            slots[0].glue = False
        ops.append("woord_weg")
    # misspellings
    if rng.random() < p["typo"]:
        targets = [s for s in slots if s.role == "core" and len(light(s.main)) >= 5]
        if not targets or rng.random() < 0.25:
            targets = [s for s in slots if s.role == "kind" and len(s.main) >= 6] or targets
        if targets:
            s = rng.choice(targets)
            new = typo(rng, s.main)
            if new != s.main:
                s.shown = s.shown.replace(s.main, new) if s.main in s.shown else new
                s.main = new
                ops.append("typefout")
    if rng.random() < p["phonetic"]:
        targets = [s for s in slots if s.role == "core" and phonetic(rng, s.main) != s.main]
        if targets:
            s = rng.choice(targets)
            new = phonetic(rng, s.main)
            s.shown = s.shown.replace(s.main, new) if s.main in s.shown else new
            s.main = new
            ops.append("fonetisch")
    # compounds split or joined
    if rng.random() < p["hyphen"]:
        compound = [s for s in slots if s.role == "core" and s.parts and s.main == "".join(s.parts)]
        kind_after = [i for i, s in enumerate(slots) if s.role == "kind" and i > 0 and slots[i - 1].role == "core"
                      and " " not in s.shown]
        if compound and rng.random() < 0.6:
            s = rng.choice(compound)
            a, b = s.parts
            s.main = s.shown = rng.choice((f"{a}-{b.capitalize()}", f"{a} {b.capitalize()}", f"{a}{b.capitalize()}",
                                           f"{a}-{b}"))
            ops.append("koppelteken")
        elif kind_after:
            i = rng.choice(kind_after)
            slots[i].glue = True
            slots[i].shown = slots[i].shown.capitalize() if rng.random() < 0.7 else "-" + slots[i].shown
            ops.append("aaneengeschreven")
    # word order
    if rng.random() < p["order"]:
        kinds = [s for s in slots if s.role == "kind"]
        two = [i for i, s in enumerate(slots) if s.role == "conn"]
        if two and 0 < two[0] < len(slots) - 1 and slots[two[0] - 1].role == "core" and slots[two[0] + 1].role == "core":
            i = two[0]
            slots[i - 1], slots[i + 1] = slots[i + 1], slots[i - 1]
            ops.append("volgorde")
        elif kinds and len(slots) > 1:
            k = kinds[0]
            slots.remove(k)
            forms = [s for s in slots if s.role == "form"]
            if slots and slots[0].role in ("core", "place", "init", "generic"):
                k.glue = False
                if forms:
                    slots.insert(slots.index(forms[0]), k)
                else:
                    slots.append(k)
            else:
                slots.insert(0, k)
            ops.append("volgorde")
    # a word added
    if rng.random() < p["extra"]:
        word = rng.choice(("Groep", "Nederland", "& Partners", "Services", "Holding", "Group", "Zaken"))
        forms = [i for i, s in enumerate(slots) if s.role == "form"]
        slots.insert(forms[0] if forms else len(slots), Slot("generic", "", word, word))
        ops.append("woord_extra")
    text = _join(slots)
    reading = _reading(slots)
    if city and rng.random() < p["place"]:
        if rng.random() < 0.5:
            text += rng.choice((f" vestiging {city}", f" (kantoor {city})", f", regio {city}", f" - locatie {city}"))
        else:
            text += " " + city
            reading = Reading((*reading.tokens, (light(city), True)), reading.kinds, reading.init, reading.kind_words)
        ops.append("plaats")
    if person and rng.random() < p["person"]:
        given_name, surname = person
        text = rng.choice((f"{text}, t.a.v. dhr. {surname}", f"{text} (behandelaar mw. {given_name[0]}. {surname})",
                           f"{given_name} {surname} van {text}", f"{text} - contactpersoon {given_name} {surname}"))
        ops.append("persoon")
    if rng.random() < p["case"]:
        text = text.upper() if rng.random() < 0.45 else text.lower()
        ops.append("hoofdletters")
    return Written(text, reading, ops)
# ---------------------------------------------------------------------------------------------- the intake

# Where signals about each kind of party come in (relative weights).
BUCKET_CHANNELS = {
    "register": {"webformulier": 46, "email": 11, "gemeente": 8, "schuldhulp": 9, "juridisch_loket": 6, "acm": 4,
                 "anoniem": 3, "internet": 5, "kvk": 9},
    "vrijgesteld": {"webformulier": 50, "email": 10, "gemeente": 12, "schuldhulp": 12, "juridisch_loket": 9, "acm": 4,
                    "anoniem": 2, "internet": 1},
    "ongeregistreerd": {"webformulier": 34, "email": 9, "gemeente": 5, "schuldhulp": 6, "juridisch_loket": 5, "acm": 7,
                        "deurwaarder_meldt": 10, "anoniem": 12, "internet": 9, "kvk": 4},
}
CHANNEL_BRON = {"webformulier": "consument", "email": "consument", "gemeente": "gemeente",
                "schuldhulp": "schuldhulpverlener", "juridisch_loket": "overig", "acm": "toezichthouder",
                "deurwaarder_meldt": "overig", "anoniem": "anoniem", "internet": "overig", "kvk": "kvk"}
CHANNEL_PROFILE = {"webformulier": "consument", "email": "doorgestuurd", "gemeente": "professioneel",
                   "schuldhulp": "professioneel", "juridisch_loket": "consument", "acm": "professioneel",
                   "deurwaarder_meldt": "professioneel", "anoniem": "anoniem", "internet": "professioneel",
                   "kvk": "register"}
# Chance that a signal of the channel gives: KvK number, IBAN, website, e-mail address, phone number.
ID_CHANCES = {
    "webformulier": (0.03, 0.14, 0.05, 0.04, 0.06), "email": (0.2, 0.25, 0.15, 0.6, 0.2),
    "gemeente": (0.15, 0.25, 0.05, 0.03, 0.08), "schuldhulp": (0.12, 0.25, 0.05, 0.03, 0.06),
    "juridisch_loket": (0.06, 0.12, 0.06, 0.03, 0.06), "acm": (0.25, 0.1, 0.35, 0.1, 0.1),
    "deurwaarder_meldt": (0.3, 0.2, 0.45, 0.1, 0.2), "anoniem": (0.05, 0.2, 0.45, 0.1, 0.45),
    "internet": (0.3, 0.1, 1.0, 0.4, 0.4), "kvk": (1.0, 0.0, 0.0, 0.0, 0.0),
}
# How long after the letter the signal comes in (days, lowest and highest), and how often the letter's date is given.
DELAYS = {"webformulier": (1, 45, 0.75), "email": (0, 20, 0.85), "gemeente": (10, 150, 0.9),
          "schuldhulp": (7, 120, 0.9), "juridisch_loket": (3, 60, 0.7), "acm": (14, 150, 0.8),
          "deurwaarder_meldt": (7, 90, 0.7), "anoniem": (0, 30, 0.3), "internet": (0, 0, 0.0)}
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
               "november", "december")  # not strftime("%B"): that follows the process's locale
KVK_DATES = (date(2025, 5, 1), date(2025, 11, 3), date(2026, 5, 4), date(2026, 10, 5))
EXPLANATIONS = ("blijft maar bellen", "stuurt dreigende brieven", "kosten veel te hoog", "ook na betaling nog aanmaningen",
                "weet niet of dit klopt", "dreigt met beslag", "reageert niet op mijn bezwaar", "geen specificatie",
                "wil geen betalingsregeling", "brief zonder adres")
SLOGANS = ("Uw partner in debiteurenbeheer", "Incasso zonder gedoe", "Betaal eenvoudig online", "Snel en voordelig incasseren",
           "Wij innen uw facturen", "Home", "Contact", "Betaalregeling aanvragen")
FREE_TEXT = ("ik weet het niet precies, iets met {x}", "iets met {x} geloof ik", "{x}?", "volgens mij {x}",
             "{x} (denk ik)", "naam onduidelijk op brief, iets als {x}")


def bik_maximum(principal: float) -> float:
    """The most the BIK allows for a principal (excluding VAT): a stepped scale with a floor and a ceiling."""
    steps = ((2500, 0.15), (2500, 0.10), (5000, 0.05), (190000, 0.01), (float("inf"), 0.005))
    left, total = principal, 0.0
    for size, rate in steps:
        part = min(left, size)
        total += part * rate
        left -= part
        if left <= 0:
            break
    return round(min(max(total, 40.0), 6775.0), 2)


def write_amount(rng: random.Random, value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    style = rng.random()
    if style < 0.45:
        grouped = f"{int(whole):,}".replace(",", ".")
        return f"{grouped},{cents}"
    if style < 0.75:
        return f"{whole},{cents}"
    if style < 0.9:
        return f"{whole}.{cents}"
    return f"€ {int(whole):,}".replace(",", ".") + f",{cents}"


def date_style(rng: random.Random, channel: str) -> str:
    """Partners' files saved by Excel write dates day first; the Inspectie's own systems year first."""
    if channel in ("gemeente", "schuldhulp", "juridisch_loket") and rng.random() < 0.6:
        return "%d-%m-%Y"
    return "%Y-%m-%d"


@dataclass
class Draft:
    channel: str
    party: object
    day: date  # reference date
    received: date
    letter: date | None
    name_field: str
    reading: Reading
    ops: list[str]
    written: dict[str, str]
    tags: list[str]
    extra_ids: list[tuple[str, str]] = field(default_factory=list)
    name_note: str = ""
    name_tag: str = ""
    postcode: str = ""
    plaats: str = ""
    hoofdsom: str = ""
    kosten: str = ""
    omschrijving: str = ""


@dataclass(frozen=True)
class Truth:
    """The label of one signal."""

    verdict: str
    registratienummers: tuple[str, ...]
    collector: str | None
    kind: str
    detail: str
    tags: tuple[str, ...] = ()
    bron: str = ""
    reference_date: date | None = None


PRIMARY_ORDER = ("alleen_kenmerk", "domein_als_naam", "schuldeiser", "vrije_tekst", "handtekening", "afdeling_incasso",
                 "toelichting",
                 "paginatitel", "leek_deurwaarder", "oude_naam", "overgenomen_naam", "typefout", "fonetisch",
                 "woord_weg", "afkorting", "vertaling", "soortwoord_weg", "soortwoord_anders", "tussenvoegsel",
                 "voorletters_weg", "voornaam", "voorletters", "plaats", "persoon", "woord_extra", "koppelteken",
                 "aaneengeschreven", "volgorde", "verbindingswoord", "hoofdletters", "rechtsvorm", "handelsnaam")


# What this world claims to contain; the tests check that each occurs in the full build of seed 1.
CLAIMED_SITUATIONS = (
    "groot_kantoor", "middelgroot", "klein_merk", "eenmanszaak", "administratiekantoor", "franchise_regio",
    "deurwaarder_bv", "advocaat_bv", "schuldopkoper", "buitenlands_geregistreerd", "laat_geregistreerd",
    "laat_geregistreerd_daarna", "actief_voor_inschrijving", "verlopen", "na_doorhaling", "na_faillissement",
    "na_beeindiging", "na_fusie", "terugwerkend_doorgehaald", "herregistratie_gat", "opnieuw_ingeschreven",
    "naam_gewijzigd", "overgenomen_naam", "deurwaarder", "advocaat", "groep_deurwaarder", "twee_vestigingen",
    "ongeregistreerd", "buitenlands", "lijkt_op_geregistreerd", "lijkt_op_vrijgesteld", "kloon", "meerdere_namen",
    "achternaam_gedeeld", "online",
)
CLAIMED_NOTATIONS = (
    "kvk_kaal", "kvk_voorvoegsel", "kvk_punten", "kvk_spaties", "kvk_typefout", "kvk_vestigingsnummer",
    "iban_compact", "iban_spaties", "iban_kleine_letters", "iban_voorvoegsel", "iban_typefout", "web_kaal", "web_www",
    "web_https", "web_pad", "email_eigen_domein", "email_gratis", "tel_streepje", "tel_spaties", "tel_internationaal",
    "tel_00", "tel_haakjes",
)


def _months() -> list[tuple[date, date, float]]:
    out = []
    day = LETTERS_FROM
    i = 0
    while day <= LETTERS_TO:
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        weight = 1 + 0.09 * i
        if day.month == 11 and day.year == 2026:
            weight *= 0.45
        out.append((day, nxt - timedelta(days=1), weight))
        day, i = nxt, i + 1
    return out


MONTHS = _months()


def sample_day(rng: random.Random, lo: date, hi: date) -> date | None:
    """A letter's date between lo and hi: more letters in later months, few in the last one."""
    lo, hi = max(lo, LETTERS_FROM), min(hi, LETTERS_TO)
    spans, weights = [], []
    for a, b, w in MONTHS:
        a2, b2 = max(a, lo), min(b, hi)
        if a2 <= b2:
            spans.append((a2, b2))
            weights.append(w * ((b2 - a2).days + 1) / ((b - a).days + 1))
    if not spans:
        return None
    a2, b2 = rng.choices(spans, weights)[0]
    return _between(rng, a2, b2)


class Intake:
    """Makes the signals: who they are about, how they came in, how the name and identifiers were written."""

    def __init__(self, market: Market, reader: Reader, seed: int) -> None:
        self.market = market
        self.reader = reader
        self.rng = random.Random(f"wki-E:{seed}:signalen")
        self.kvk_seen: set[tuple[str, date]] = set()
        self.links: dict[str, set[tuple[str, object]]] = defaultdict(set)
        self.dropped: Counter[str] = Counter()
        firms = [f for f in market.firms if self._firm_window(f)]
        self.firms, self.firm_weights = firms, [self._firm_weight(f) for f in firms]
        self.offices = market.offices
        self.office_weights = [o.weight for o in market.offices]
        self.collectors = market.collectors
        self.collector_weights = [c.weight for c in market.collectors]

    @staticmethod
    def _firm_window(firm: Firm) -> tuple[date, date] | None:
        lo = max(LETTERS_FROM, firm.active_from)
        hi = min(LETTERS_TO, firm.active_to or LETTERS_TO)
        return (lo, hi) if lo <= hi else None

    @staticmethod
    def _firm_weight(firm: Firm) -> float:
        trouble = any(h in firm.history for h in ("faillissement", "intrekking", "niet_verlengd", "laat_geregistreerd",
                                                  "nieuwkomer_te_vroeg", "opnieuw_ingeschreven"))
        return firm.weight * (2.5 if trouble else 1.0)

    # ------------------------------------------------------------------ one draft

    def draft(self, bucket: str, party: object = None, anchor: int = 0) -> Draft | None:
        """One signal about ``party`` (drawn by weight when not given). ``anchor``: the first signal about a
        collector, written plainly (after many tries exactly as the collector writes its name)."""
        rng = self.rng
        if party is None:
            if bucket == "register":
                party = rng.choices(self.firms, self.firm_weights)[0]
            elif bucket == "vrijgesteld":
                party = rng.choices(self.offices, self.office_weights)[0]
            else:
                party = rng.choices(self.collectors, self.collector_weights)[0]
        channels = BUCKET_CHANNELS[bucket]
        channel = rng.choices(list(channels), list(channels.values()))[0]
        if anchor and channel in ("kvk", "anoniem"):
            channel = "webformulier"
        if channel == "kvk":
            return self._kvk_draft(party)
        if channel == "internet" and not self._domains(party, None):
            channel = "webformulier"
        day = self._letter_day(party)
        if day is None:
            return None
        received, letter = day, None
        low, high, with_date = DELAYS[channel]
        if rng.random() < with_date:
            letter = day
            received = day + timedelta(days=rng.randrange(low, high + 1))
            if received > RECEIVED_BY:
                received = _between(rng, day, RECEIVED_BY)
        profile = PROFILES["register" if anchor > 30 else "doorgestuurd" if anchor else CHANNEL_PROFILE[channel]]
        name, note, name_tag = self._name_for(party, day)
        given = party.owner[0] if isinstance(party, Firm) and party.owner else ""
        city = self._city_of(party)
        person = rng.choice(party.staff) if getattr(party, "staff", None) else None
        w = write_name(rng, name, profile, given=given, city=city, person=person)
        ops = list(w.ops)
        if name_tag:
            ops.append(name_tag)
        d = Draft(channel, party, day, received, letter, w.text, w.reading, ops, {}, [], name_note=note,
                  name_tag=name_tag)
        self._identifiers(d, anchor)
        self._wrap(d, name, profile)
        if not d.name_field and not any(d.written.values()):
            return None
        self._extras(d)
        return d

    def _kvk_draft(self, party: object) -> Draft | None:
        rng = self.rng
        if isinstance(party, Office):
            return None
        if isinstance(party, Collector) and (not party.kvk or party.country != "NL"):
            return None
        kvk = party.kvk
        options = []
        for day in KVK_DATES:
            if (getattr(party, "eid", None) or party.cid, day) in self.kvk_seen:
                continue
            if isinstance(party, Firm):
                if party.active_from <= day and (party.active_to is None or day <= party.active_to + timedelta(days=180)):
                    options.append(day)
            elif party.phases[0].start - timedelta(days=365) <= day <= party.phases[-1].end + timedelta(days=180):
                options.append(day)
        if not options:
            return None
        day = rng.choice(options)
        self.kvk_seen.add((getattr(party, "eid", None) or party.cid, day))
        if isinstance(party, Firm):
            reg = self._reg_near(party, day)
            name = reg.names_on(max(day, reg.start))[0]
        else:
            name = party.phase_on(day).names[0]
        text = render(name)
        ops = []
        if rng.random() < 0.3:
            text = text.upper()
            ops.append("hoofdletters")
        d = Draft("kvk", party, day, day, None, text, _reading(_slots(name)), ops, {}, [])
        if isinstance(party, Firm) and rng.random() < 0.2:
            d.written["kvk_nummer"] = party.vestiging
            d.tags.append("kvk_vestigingsnummer")
        else:
            style, value = write_kvk(rng, kvk) if rng.random() < 0.3 else ("kvk_kaal", kvk)
            d.written["kvk_nummer"] = value
            d.tags.append(style)
        city = party.city
        if city:
            d.plaats = city[0]
            d.postcode = party.postcode if isinstance(party, Firm) else f"{rng.randrange(city[1], city[2] + 1)} " + \
                "".join(rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        d.omschrijving = rng.choice((f"KvK-uittreksel SBI 82911 (incassobureaus), peildatum {day:%d-%m-%Y}",
                                     f"Handelsregister, activiteit incassobureau; selectie {MONTH_NAMES[day.month - 1]} {day.year}",
                                     "Uittreksel KvK: inschrijving met activiteit incasso"))
        return d

    def _reg_near(self, firm: Firm, day: date) -> Reg:
        for reg in firm.regs:
            if reg.valid_on(day):
                return reg
        return min(firm.regs, key=lambda r: min(abs((r.start - day).days), abs(((r.end or r.start) - day).days)))

    def _letter_day(self, party: object) -> date | None:
        rng = self.rng
        if isinstance(party, Firm):
            window = self._firm_window(party)
            if not window:
                return None
            gaps = self._gaps(party, *window)
            if gaps and rng.random() < 0.25:
                # A firm that collects while it is not (yet, or no longer) registered draws complaints.
                lo, hi = rng.choices(gaps, [(b - a).days + 1 for a, b in gaps])[0]
                return sample_day(rng, lo, hi)
            return sample_day(rng, *window)
        if isinstance(party, Office):
            return sample_day(rng, LETTERS_FROM, LETTERS_TO)
        phases = [p for p in party.phases if p.end >= LETTERS_FROM and p.start <= LETTERS_TO]
        if not phases:
            return None
        phase = rng.choices(phases, [max(1, (min(p.end, LETTERS_TO) - max(p.start, LETTERS_FROM)).days) for p in phases])[0]
        return sample_day(rng, phase.start, phase.end)

    @staticmethod
    def _gaps(firm: Firm, lo: date, hi: date) -> list[tuple[date, date]]:
        """The stretches between ``lo`` and ``hi`` in which none of the firm's registrations is valid."""
        gaps, day = [], lo
        for reg in sorted(firm.regs, key=lambda r: r.start):
            if reg.start > day:
                gaps.append((day, min(hi, reg.start - timedelta(days=1))))
            if reg.end is None:
                day = hi + timedelta(days=1)
                break
            day = max(day, reg.end)
        if day <= hi:
            gaps.append((day, hi))
        return [(a, b) for a, b in gaps if a <= b]

    def _name_for(self, party: object, day: date) -> tuple[Name, str, str]:
        """The name on the letter: the legal or a trade name as it was that day (or an old one still in use)."""
        rng = self.rng
        if isinstance(party, Office):
            return party.name, "", ""
        if isinstance(party, Collector):
            names = party.phase_on(day).names
            return (names[0] if rng.random() < 0.75 else rng.choice(names)), "", ""
        reg = self._reg_near(party, day)
        legal, trades = reg.names_on(max(day, reg.start))
        if party.renamed_on and day >= party.renamed_on and party.old_name and rng.random() < 0.35:
            return party.old_name, "oude naam (vóór de naamswijziging)", "oude_naam"
        absorbed = [n for n, since in party.absorbed if since <= day]
        if absorbed and rng.random() < 0.4:
            return rng.choice(absorbed), "naam van het overgenomen bureau", "overgenomen_naam"
        share = 0.55 if party.group else 0.4
        if trades and rng.random() < share:
            return rng.choice(trades), "handelsnaam", "handelsnaam"
        return legal, "", ""

    def _city_of(self, party: object) -> str:
        if isinstance(party, (Firm, Office)):
            return party.city[0] if self.rng.random() < 0.7 else self.market.city()[0]
        return party.city[0] if party.city else ""

    def _domains(self, party: object, day: date | None) -> list[str]:
        if isinstance(party, (Firm, Office)):
            return party.domains
        return (party.phase_on(day) if day else party.phases[0]).domains

    def _identifiers(self, d: Draft, anchor: int) -> None:
        rng = self.rng
        party = d.party
        chances = list(ID_CHANCES[d.channel])
        if isinstance(party, Collector):
            # Letters of collectors outside the register ask to pay into an account, and more often point to a site.
            chances[1] = min(0.95, chances[1] * (2.5 if party.category == "kloon" else 1.3))
            chances[2] = min(0.95, chances[2] * (2.0 if party.category == "kloon" else 1.2))
            if party.category == "kloon":
                chances[4] = min(0.95, chances[4] * 2)
        if isinstance(party, Firm):
            kvks = [party.kvk]
            ibans, domains, emails, phones = party.ibans, party.domains, party.emails, party.phones
        elif isinstance(party, Office):
            kvks = [party.kvk] if party.kvk else []
            ibans, domains, emails, phones = party.ibans, party.domains, party.emails, party.phones
        else:
            phase = party.phase_on(d.day)
            kvks = [party.kvk] if party.kvk else []
            ibans, domains, emails, phones = phase.ibans, phase.domains, phase.emails, phase.phones
        if anchor:  # the first signal about a collector outside the register: enough to stand on its own
            chances = [1.0, 1.0, 0.7, 0.3, 0.5] if getattr(party, "category", "") == "kloon" else [0.3, 0.5, 0.3, 0.3, 0.3]
        if kvks and rng.random() < chances[0]:
            if isinstance(party, Firm) and rng.random() < 0.1:
                d.written["kvk_nummer"] = party.vestiging
                d.tags.append("kvk_vestigingsnummer")
            else:
                value = kvks[0]
                if rng.random() < 0.04 and not anchor:
                    value = mistype_kvk(rng, value)
                    d.tags.append("kvk_typefout")
                style, text = write_kvk(rng, value)
                d.written["kvk_nummer"] = text
                d.tags.append(style)
        if ibans and rng.random() < chances[1]:
            value = rng.choice(ibans)
            if rng.random() < 0.06 and not anchor:
                value = mistype_iban(rng, value)
                d.tags.append("iban_typefout")
            style, text = write_iban(rng, value)
            d.written["iban"] = text
            d.tags.append(style)
        if domains and rng.random() < chances[2]:
            style, text = write_site(rng, rng.choice(domains))
            d.written["website"] = text
            d.tags.append(style)
        if (emails or domains) and rng.random() < chances[3]:
            if domains and (not emails or rng.random() < 0.4):
                local = rng.choice(("noreply", "dossier", "debiteuren", "betalingen", "klantenservice"))
                if d.party is not None and getattr(d.party, "staff", None) and rng.random() < 0.3:
                    given, surname = rng.choice(d.party.staff)
                    local = f"{given[0]}.{light(split_surname(surname)[1])}"
                address = f"{local}@{rng.choice(domains)}"
            else:
                address = rng.choice(emails)
            if rng.random() < 0.1:
                address = address.capitalize()
            d.written["email"] = address
            d.tags.append("email_gratis" if email_key(address)[0] == "email" else "email_eigen_domein")
        if phones and rng.random() < chances[4]:
            style, text = write_phone(rng, rng.choice(phones))
            d.written["telefoon"] = text
            d.tags.append(style)

    def _wrap(self, d: Draft, name: Name, profile: dict) -> None:
        """What the name field holds besides (or instead of) the name: free text, the creditor, a "Van:" line."""
        rng = self.rng
        channel = d.channel
        if isinstance(d.party, Office) and d.party.beroep == "advocaat" and d.name_field and rng.random() < 0.25:
            # The law firm's own collection department writes the letters.
            d.name_field += rng.choice((", afdeling incasso", " - sectie incasso", " (incassoafdeling)",
                                        " | Incasso & Invordering"))
            d.ops.insert(0, "afdeling_incasso")
        roll = rng.random()
        if channel in ("webformulier", "juridisch_loket", "anoniem"):
            if channel == "anoniem" and roll < 0.5 and any(d.written.values()):
                d.name_field, d.reading = "", Reading()
                d.ops.insert(0, "alleen_kenmerk")
                return
            if roll < 0.05:
                short = dict(profile, kind_drop=1.0, form_keep=0.0, drop_core=1.0, person=0.0, place=0.0, case=0.0)
                w = write_name(rng, name, short)
                d.name_field = rng.choice(FREE_TEXT).format(x=w.text)
                d.reading = w.reading
                d.ops = ["vrije_tekst", *w.ops]
            elif roll < 0.10:
                d.name_field += rng.choice((" - ", ": ", ", ", " -- ")) + rng.choice(EXPLANATIONS)
                d.ops.insert(0, "toelichting")
            elif roll < 0.13 and channel != "anoniem":
                creditor = rng.choice(CREDITORS)
                if rng.random() < 0.5:
                    d.name_field, d.reading = creditor, Reading()
                else:
                    d.name_field = rng.choice((f"{creditor} / {d.name_field}", f"{d.name_field} namens {creditor}",
                                               f"{d.name_field} (voor {creditor})", f"{creditor} via {d.name_field}"))
                d.ops.insert(0, "schuldeiser")
            elif roll < 0.15 and d.reading.kinds and all(KIND_FAMILY[k] == "incasso" for k in d.reading.kinds):
                d.name_field = rng.choice((f"deurwaarder {d.name_field}", f"{d.name_field} (deurwaarder)",
                                           f"deurwaarder van {d.name_field}"))
                d.ops.insert(0, "leek_deurwaarder")
        elif channel == "email":
            if roll < 0.3:
                if "email" not in d.written and (self._domains(d.party, d.day) or getattr(d.party, "emails", None)):
                    domains = self._domains(d.party, d.day)
                    address = f"noreply@{domains[0]}" if domains else d.party.emails[0]
                    d.written["email"] = address
                    d.tags.append("email_gratis" if email_key(address)[0] == "email" else "email_eigen_domein")
                if "email" in d.written:
                    d.name_field = f"Van: {d.name_field} <{d.written['email']}>"
                    d.ops.insert(0, "handtekening")
            elif roll < 0.45:
                person = rng.choice(d.party.staff) if getattr(d.party, "staff", None) else ("", "")
                d.name_field = rng.choice((f"Met vriendelijke groet, {person[0]} {person[1]} | {d.name_field}",
                                           f"{d.name_field} | Afdeling Debiteuren", f"{d.name_field} - Team Incasso",
                                           f"{d.name_field} | Klantenservice"))
                d.ops.insert(0, "handtekening")
        elif channel == "internet":
            domains = self._domains(d.party, d.day)
            if roll < 0.35 and domains:
                domain = rng.choice(domains)
                d.name_field = rng.choice((domain, "www." + domain, "https://" + domain))
                cores, kinds, word = self.market.domain_words.get(domain, ((), frozenset(), ""))
                d.reading = Reading(tuple((c, c in PLACE_KEYS) for c in cores if c), kinds, "",
                                    frozenset({word} if word else ()))
                d.extra_ids.append(("domain", domain_key(domain)))
                d.ops = ["domein_als_naam"]
                if "website" not in d.written:
                    d.written["website"] = domain
                    d.tags.append("web_kaal")
            elif roll < 0.55:
                d.name_field = f"{d.name_field} | {rng.choice(SLOGANS)}"
                d.ops.insert(0, "paginatitel")

    def _extras(self, d: Draft) -> None:
        rng = self.rng
        party = d.party
        amount_chance = {"webformulier": 0.55, "email": 0.45, "gemeente": 0.85, "schuldhulp": 0.85,
                         "juridisch_loket": 0.5, "acm": 0.3, "deurwaarder_meldt": 0.3, "anoniem": 0.1,
                         "internet": 0.0}[d.channel]
        if rng.random() < amount_chance:
            principal = round(min(25000.0, max(12.5, rng.lognormvariate(5.2, 1.1))), 2)
            d.hoofdsom = write_amount(rng, principal)
            if rng.random() < 0.8:
                ceiling = bik_maximum(principal)
                factor = 1.0 if rng.random() < 0.55 else rng.choice((1.21, rng.uniform(1.3, 3.5)))
                d.kosten = write_amount(rng, round(ceiling * factor, 2))
        if rng.random() < 0.15:
            city = self._city_of(party)
            if city:
                d.plaats = city
        creditor = rng.choice(CREDITORS)
        text = {
            "webformulier": ("Ik kreeg een aanmaning voor een rekening van {c} die ik al betaald had.",
                             "Ze bellen elke dag, ook 's avonds laat.", "De incassokosten zijn hoger dan de hoofdsom.",
                             "Ik heb nooit een eerste herinnering gehad van {c}.",
                             "Ze dreigen met beslag op mijn loon. Ik zit in de bijstand.",
                             "Ik weet niet of dit bedrijf wel mag incasseren.", "Brief met dreigende taal.",
                             "Ik heb een betalingsregeling gevraagd maar krijg geen antwoord.", ""),
            "email": ("---------- Doorgestuurd bericht ----------\nOnderwerp: Laatste aanmaning dossier {n}\n\n"
                      "Geachte heer/mevrouw,\nUw vordering van {c} staat nog open.\n{footer}",
                      "Zie onderstaande mail, ik vertrouw dit niet.\n\n> Betaal binnen 5 dagen om extra kosten te voorkomen.\n{footer}",
                      "Doorgestuurd door consument.\n{footer}"),
            "gemeente": ("Cliënt van ons schuldhulpteam (budgetbeheer) ontving brieven namens {c}; kosten lijken boven BIK.",
                         "Melding vanuit de Kredietbank: incassant reageert niet op verzoek om informatie.",
                         "Inwoner met WSNP-traject wordt benaderd voor een vordering van {c}.",
                         "Signaal uit wijkteam: dreigende telefoontjes, cliënt is kwetsbaar."),
            "schuldhulp": ("Onze cliënt (minnelijk traject) krijgt incassobrieven; incassant weigert moratorium.",
                           "Bewindvoerder meldt: kosten opgevoerd zonder veertiendagenbrief. Schuldeiser: {c}.",
                           "Schuldhulpverlening: incassant houdt geen rekening met de beslagvrije voet.",
                           "Cliënt in budgetbeheer, vordering {c} doorverkocht aan opkoper."),
            "juridisch_loket": ("Klant belde het Juridisch Loket over een vordering van {c}.",
                                "Doorverwijzing Juridisch Loket: twijfel over inschrijving incassant.",
                                "Klant vraagt of deze incassokosten mogen; schuldeiser {c}."),
            "acm": ("Doorgezonden vanuit ConsuWijzer: consument meldt agressieve incasso.",
                    "ACM: signaal over oneerlijke handelspraktijk bij incasso voor {c}.",
                    "Via ConsuWijzer ontvangen; valt onder Wki-toezicht, ter beoordeling."),
            "deurwaarder_meldt": ("Melding van {o}: in dossiers troffen wij brieven aan van dit bureau, dat niet in het register lijkt te staan.",
                                  "Collega-deurwaarder {o} meldt een concurrent die zonder registratie incasseert.",
                                  "Via {o}: debiteur toonde ons een aanmaning van deze partij."),
            "anoniem": ("Tip: dit bedrijf stuurt incassobrieven zonder registratie.", "Zie website.",
                        "Belt vanaf dit nummer met dreigementen.", "Anonieme melding via het meldpunt.", ""),
            "internet": ("Internetonderzoek: website biedt incassodiensten aan consumenten aan; geen Wki-nummer vermeld.",
                         "Gevonden bij internetonderzoek (zoekterm 'incassobureau goedkoop').",
                         "Website gecontroleerd: betaalpagina voor debiteuren aanwezig."),
        }[d.channel]
        office = rng.choice(self.offices) if self.offices else None
        footer_lines = []
        if d.channel == "email":
            for column, label in (("kvk_nummer", "KvK"), ("iban", "IBAN"), ("telefoon", "T"), ("website", "W")):
                if d.written.get(column):
                    footer_lines.append(f"{label}: {d.written[column]}")
        d.omschrijving = rng.choice(text).format(c=creditor, n=rng.randrange(100000, 999999),
                                                 o=render(office.name) if office else "een deurwaarderskantoor",
                                                 footer="\n".join(["--", d.name_field, *footer_lines]) if footer_lines
                                                 else "").strip()
# ---------------------------------------------------------------------------------------------- labels and files


def _situation(firm: Firm, day: date, verdict: str, name_tag: str) -> str:
    if verdict == NIET_GELDIG:
        if day < firm.regs[0].start:
            return "laat_geregistreerd" if "laat_geregistreerd" in firm.history else "actief_voor_inschrijving"
        ended = [r for r in firm.regs if r.end and r.end <= day]
        if any(r.start > day for r in firm.regs):
            return "herregistratie_gat"
        last = max(ended, key=lambda r: r.end)
        if last.end_status == "doorgehaald" and last.end_recorded and last.end_recorded > day:
            return "terugwerkend_doorgehaald"
        return {"faillissement": "na_faillissement", "intrekking": "na_doorhaling", "eigen verzoek": "na_beeindiging",
                "niet verlengd": "verlopen", "fusie": "na_fusie"}[last.end_reason]
    if name_tag in ("oude_naam", "overgenomen_naam"):
        return "naam_gewijzigd" if name_tag == "oude_naam" else "overgenomen_naam"
    if len(firm.regs) > 1 and firm.regs[-1].valid_on(day):
        return "opnieuw_ingeschreven"
    if "laat_geregistreerd" in firm.history:
        return "laat_geregistreerd_daarna"
    return firm.category


def _describe_firm(firm: Firm) -> str:
    legal = render(firm.regs[-1].names_on(LAST_SNAPSHOT)[0])
    regs = []
    for reg in firm.regs:
        text = f"{reg.nr} vanaf {reg.start}"
        if reg.end:
            text += f", {reg.end_status} per {reg.end} ({reg.end_reason}; in het register sinds {reg.end_recorded})"
        regs.append(text)
    extra = f", naam tot {firm.renamed_on}: {render(firm.old_name)!r}" if firm.old_name else ""
    return f"{legal!r} (KvK {firm.kvk}, {firm.category}{extra}; {'; '.join(regs)})"


DROP_REASONS = (
    "past_bij_partijen_met_ander_oordeel", "lezer_kiest_andere_partij", "lezer_vindt_partij_niet", "lezer_ziet_kloon",
    "naam_en_kenmerk_wijzen_uiteen", "kenmerken_wijzen_uiteen", "geen_naam_of_kenmerk",
    "ongeregistreerde_lijkt_op_partij", "kloon_zonder_eigen_kenmerk", "lijkt_op_andere_ongeregistreerde",
    "niet_te_koppelen_aan_eerdere_meldingen",
)


def judge(intake: Intake, d: Draft) -> tuple[str, tuple[str, ...], str | None, set] | str:
    """The label of a draft, or the reason a careful reader could not give it (the draft is then dropped)."""
    reader = intake.reader
    ids = list(dict.fromkeys(read_ids(d.written) + d.extra_ids))
    outcome = reader.judge(d.reading, ids)
    party = d.party
    if isinstance(party, (Firm, Office)):
        if outcome.kind == "clone":
            return "lezer_ziet_kloon"
        if outcome.kind == "none":
            return "lezer_vindt_partij_niet"
        if outcome.kind != "party":
            return outcome.reason
        if party.eid not in outcome.parties:
            return "lezer_kiest_andere_partij"
        verdict, numbers = reader.verdict(party.eid, d.day)
        found = list(numbers)
        for other in sorted(outcome.parties - {party.eid}):
            other_verdict, more = reader.verdict(other, d.day)
            if other_verdict != verdict:
                return "past_bij_partijen_met_ander_oordeel"
            found.extend(n for n in more if n not in found)
        return verdict, tuple(found), None, set()
    if outcome.kind == "party":
        return "kloon_zonder_eigen_kenmerk" if party.category == "kloon" else "ongeregistreerde_lijkt_op_partij"
    if outcome.kind in ("conflict", "nothing"):
        return outcome.reason
    named = reader.collector_index.candidates(d.reading)
    if any(owner[0] != party.cid for owner in top(named)):
        return "lijkt_op_andere_ongeregistreerde"  # grouped by name, it would join another collector
    keys = set(ids) | {("naam", owner[1]) for owner in named}
    if intake.links[party.cid] and not keys & intake.links[party.cid]:
        return "niet_te_koppelen_aan_eerdere_meldingen"
    return NIET_GEREGISTREERD, (), party.cid, keys


def _truth(intake: Intake, d: Draft, verdict: str, numbers: tuple[str, ...], collector: str | None) -> Truth:
    party = d.party
    if isinstance(party, Firm):
        situation = _situation(party, d.day, verdict, d.name_tag)
        about = _describe_firm(party)
    elif isinstance(party, Office):
        situation = party.category
        about = f"{render(party.name)!r} ({party.beroep}, {party.city[0]}, vrijgesteld)"
    else:
        situation = party.category
        names = " / ".join(dict.fromkeys(render(n) for p in party.phases for n in p.names))
        about = f"{party.cid} {names!r}: {party.about}"
    primary = next((op for op in PRIMARY_ORDER if op in d.ops), "zoals_geregistreerd")
    ops = [op for op in d.ops if op != "rechtsvorm_weg"] + (["rechtsvorm_weg"] if "rechtsvorm_weg" in d.ops else [])
    when = "datum brief" if d.letter else "datum ontvangst"
    detail = (f"over {about}; via {d.channel} ({CHANNEL_BRON[d.channel]}); referentiedatum {d.day} ({when}); "
              f"naam geschreven als {d.name_field!r}" + (f" ({d.name_note})" if d.name_note else "")
              + f"; veranderingen: {', '.join(ops) or 'geen'}; kenmerken: {', '.join(d.tags) or 'geen'}; "
              f"oordeel {verdict}" + (f" ({', '.join(numbers)})" if numbers else ""))
    tags = tuple(dict.fromkeys([*d.ops, *d.tags, "kanaal:" + d.channel, "situatie:" + situation]))
    return Truth(verdict, numbers, collector, f"{situation}/{primary}", detail, tags, CHANNEL_BRON[d.channel], d.day)


def _references(rng: random.Random, drafts: list[Draft]) -> list[str]:
    counters: Counter[tuple] = Counter()
    starts: dict[tuple, int] = {}
    out = []
    for d in drafts:
        y, r = d.received.year, d.received
        key = {"webformulier": ("WF", y), "email": ("MAIL", y, r.month), "schuldhulp": ("SHV", y),
               "juridisch_loket": ("JL", y), "acm": ("ACM", y), "deurwaarder_meldt": ("DWM", y),
               "anoniem": ("ANON",), "internet": ("IO", y), "kvk": ("KVK", r)}.get(d.channel)
        if d.channel == "gemeente":
            code = rng.choice(GEMEENTEN)[0]
            key = ("GEM", code, y)
        if key not in starts:
            starts[key] = rng.randrange(1, 400) if d.channel in ("webformulier", "anoniem") else rng.randrange(1, 30)
        counters[key] += rng.choice((1, 1, 1, 2, 3)) if d.channel == "webformulier" else 1
        n = starts[key] + counters[key]
        formats = {
            "webformulier": "WF-{y}-{n:06d}", "email": "MAIL-{y}{m:02d}-{n:04d}", "schuldhulp": "SHV-{y}-{n:05d}",
            "juridisch_loket": "JL{y}{n:05d}", "acm": "ACM/CW/{y}/{n:04d}", "deurwaarder_meldt": "DWM-{y}-{n:03d}",
            "anoniem": "ANON-{n:05d}", "internet": "IO-{y}-{n:04d}", "kvk": "KVK-{d}-{n:04d}",
            "gemeente": "GEM-{g}-{y}-{n:03d}",
        }
        out.append(formats[d.channel].format(y=y, m=r.month, n=n, d=f"{r:%Y%m%d}", g=key[1] if len(key) > 1 else ""))
    return out


def _csv(header: tuple[str, ...], rows: list[list[str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def register_csv(market: Market, day: date) -> bytes:
    """The register as a snapshot of ``day`` shows it: what was published by then, ends once recorded."""
    rows = []
    for reg in sorted(market.regs, key=lambda r: r.nr):
        if reg.published > day:
            continue
        firm = reg.firm
        legal, trades = reg.names_on(day)
        ended = reg.end is not None and reg.end_recorded is not None and reg.end_recorded <= day
        until = ""
        if not ended:
            years = 1
            while _anniversary(reg.start, years) <= day:
                years += 1
            until = _anniversary(reg.start, years).isoformat()
        rows.append([
            reg.nr, render(legal), "|".join(render(t) for t in trades), firm.kvk, firm.vestiging, firm.street,
            firm.number, firm.postcode, firm.city[0], "|".join(firm.listed_domains), "|".join(firm.listed_emails),
            "|".join(firm.listed_phones), "|".join(firm.listed_ibans), reg.end_status if ended else "ingeschreven",
            reg.start.isoformat(), reg.end.isoformat() if ended else "", until,
        ])
    return _csv(REGISTER_COLUMNS, rows)


def exempt_csv(market: Market) -> bytes:
    rows = [[render(o.name), o.kvk, o.beroep, o.city[0], "|".join(o.listed_domains)]
            for o in sorted(market.offices, key=lambda o: (render(o.name), o.city[0]))]
    return _csv(EXEMPT_COLUMNS, rows)


def snapshot_days(mirror_start: date) -> list[date]:
    """The mirror's first snapshot on its start, then one on the first of every month, the last on 1 December 2026."""
    days = [mirror_start]
    day = date(mirror_start.year + (mirror_start.month == 12), mirror_start.month % 12 + 1, 1)
    while day <= LAST_SNAPSHOT:
        days.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return days


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


_CACHE: dict[tuple, tuple] = {}


def _world_parts(seed: int, registrations: int, exempt: int, collectors: int, signals: int) -> tuple:
    """Parties, signals and labels: everything that does not depend on the mirror's start."""
    key = (seed, registrations, exempt, collectors, signals)
    if key in _CACHE:
        return _CACHE[key]
    if signals < collectors:
        raise ValueError("every collector needs a signal: signals must be at least collectors")
    market = Market(seed, registrations, exempt, collectors)
    reader = Reader(market)
    intake = Intake(market, reader, seed)
    quota = {"ongeregistreerd": max(collectors, round(signals * 0.30)), "vrijgesteld": round(signals * 0.14)}
    quota["register"] = signals - sum(quota.values())
    kept: list[tuple[Draft, Truth]] = []
    done: Counter[str] = Counter()

    def attempt(bucket: str, party: object = None, anchor: int = 0) -> bool:
        d = intake.draft(bucket, party, anchor)
        if d is None:
            return False
        result = judge(intake, d)
        if isinstance(result, str):
            intake.dropped[result] += 1
            return False
        verdict, numbers, collector, keys = result
        if collector:
            intake.links[collector] |= keys
        kept.append((d, _truth(intake, d, verdict, numbers, collector)))
        done[bucket] += 1
        return True

    for collector in market.collectors:  # every collector once, written plainly enough to stand on its own
        for tries in range(1, 81):
            if attempt("ongeregistreerd", collector, anchor=tries):
                break
        else:  # a collector whose every plain signal the reader cannot tell from a listed party: left out
            intake.dropped["collector_never_identifiable"] += 1
    for bucket in ("register", "vrijgesteld", "ongeregistreerd"):
        tries = 0
        while done[bucket] < quota[bucket]:
            tries += 1
            if tries > quota[bucket] * 50 + 1000:  # pragma: no cover
                raise RuntimeError(f"cannot make {bucket} signals")
            attempt(bucket)
    order = sorted(range(len(kept)), key=lambda i: (kept[i][0].received, kept[i][0].channel, i))
    kept = [kept[i] for i in order]
    references = _references(random.Random(f"wki-E:{seed}:referenties"), [d for d, _ in kept])
    rng = random.Random(f"wki-E:{seed}:bestand")
    rows, truth = [], {}
    for ref, (d, t) in zip(references, kept, strict=True):
        truth[ref] = t
        style = date_style(rng, d.channel)
        rows.append([ref, d.received.strftime(style), CHANNEL_BRON[d.channel], d.name_field,
                     d.written.get("kvk_nummer", ""), d.written.get("iban", ""), d.written.get("website", ""),
                     d.written.get("email", ""), d.written.get("telefoon", ""), d.postcode, d.plaats,
                     d.letter.strftime(style) if d.letter else "", d.hoofdsom, d.kosten, d.omschrijving])
    signals_csv = _csv(SIGNAL_COLUMNS, rows, delimiter=";", bom=True)
    sizes = {"registrations": len(market.regs), "firms": len(market.firms), "exempt": len(market.offices),
             "collectors": len({t.collector for t in truth.values() if t.collector}), "signals": len(truth),
             "drafts": len(truth) + sum(intake.dropped.values())}
    parts = (market, signals_csv, truth, dict(sorted(intake.dropped.items())), sizes)
    _CACHE.clear()
    _CACHE[key] = parts
    return parts


def generate(seed: int = 1, mirror_start: date = date(2026, 11, 1), *, registrations: int = 1500, exempt: int = 300,
             collectors: int = 260, signals: int = 4200) -> World:
    """World E for ``seed``: the register snapshots a mirror started on ``mirror_start`` would import, the
    exempt list, one bulk signal file and the label of every signal. Parties, signals and labels do not
    depend on ``mirror_start``; only the snapshots do."""
    if not date(2024, 4, 1) <= mirror_start <= LAST_SNAPSHOT:
        raise ValueError("the mirror starts between 1 April 2024 and 1 December 2026")
    market, signals_csv, truth, dropped, sizes = _world_parts(seed, registrations, exempt, collectors, signals)
    snapshots = [(day, register_csv(market, day)) for day in snapshot_days(mirror_start)]
    return World(register_snapshots=snapshots, exempt_snapshots=[(mirror_start, exempt_csv(market))],
                 signals_csv=signals_csv, truth=dict(truth), dropped=dict(dropped), sizes=dict(sizes), seed=seed,
                 mirror_start=mirror_start)
