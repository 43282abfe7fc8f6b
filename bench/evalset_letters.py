"""World D (author D): signals as they arrive at the Inspectie's intake desk, each source garbling a
collector's identity in its own way. An independent, labelled evaluation world for the signal matcher,
written from how the world varies and without reading any matcher; held out: never tuned on.

The world
---------
Parties (one world per seed, the same for every mirror start):

- Registered collectors (``registrations`` rows in the final register snapshot): legal persons with a KvK
  number, a statutory name and up to four trade names; eenmanszaken, V.O.F.s, a few cooperatives and
  foreign companies with a Dutch branch. Some renamed (letters carry the old name; the register keeps it
  as a trade name only sometimes), some registered again under a new number with the same KvK number,
  groups of two to four companies sharing a website and often a trade name, holding companies whose trade
  names are the collecting firms, incasso B.V.s of bailiff offices. Registrations lapse (``verlopen`` on an
  anniversary), are struck off (``doorgehaald``; a third of them dated back: the snapshot that first shows
  the strike-off carries a ``datum_einde`` before earlier snapshots that still showed the registration),
  and many begin after letters about the firm were written.
- Exempt offices (``exempt`` rows): bailiff offices and lawyers' firms, partner surnames in their names,
  some with several establishments; a few added to the list later.
- Unregistered collectors (``collectors``): plain Dutch firms and persons, foreign companies (German,
  Belgian, British, Baltic, Polish accounts and phones), look-alikes of registered or exempt names that
  differ by a real word (another prefix, surname, region or trade), clones that copy a registered firm's
  name but have their own KvK number, IBAN and website, collectors using several names and accounts.
  Surnames and places are drawn from one pool for every kind of party, so they are shared.

Signals (one bulk file, ``;``-separated UTF-8 with BOM, as Dutch Excel saves it) come from the channels
of the intake desk, each with its own garbling (``kind`` is ``channel:situation``):

- ``brief``: a consumer retyping the letterhead: mostly clean, sometimes lower case, a typo, the words
  swapped, the legal form left off or spelled otherwise; identifiers from the letter's footer.
- ``bank``: a bank statement: the beneficiary name upper case, diacritics gone, ``&`` as ``EN``, the legal
  form as ``BV``, ``STG DERDENGELDEN`` in front, cut to 24/32/35 characters, sometimes glued; the payment
  description ("KENM 4821937 DOSSIER ... NAMENS ENECO"); Tikkie payment requests of persons.
- ``toezicht``: complaints forwarded by ACM ConsuWijzer, AFM, Kifid or the Nationale ombudsman: formal
  statutory names with the legal form, "X B.V. h.o.d.n. Y", KvK numbers with prefixes, dots and spaces.
- ``sociaal``: social-media and chat screenshots retyped: lower case, "dat incassoburo van ...", slang
  spellings, handles, platform pages as website, mobile numbers.
- ``sms``: SMS sender ids (at most 11 characters, glued, upper case) or only the number that sent it.
- ``schuldhulp``: debt counsellors typing letters over: creditor and collector both named ("namens",
  "inzake", "i.o.v.", "p/a"), the collector's Postbus or street address glued to the name, typos and
  scanner errors (l as I, e as c).
- ``rechtspraak``: court and bailiff documents: bailiffs and lawyers as persons ("mr. J. de Vries,
  gerechtsdeurwaarder", "kand. gerechtsdeurwaarder ... namens <office>", "toegevoegd gerechtsdeurwaarder").
- ``overheid``: lists exported from municipal systems: fixed width (cut at 30 or 40), upper case,
  diacritics lost, mangled (mojibake) or replaced by ``?``, IJ as Y, legal forms written out
  ("BESLOTEN VENNOOTSCHAP"), compact postcodes.
- ``kvk``: rows of a Chamber of Commerce extract: statutory name, KvK or establishment number, address.
- ``anoniem``: anonymous tips: a website, a phone number, a name in lower case.
- ``gesprek``: staff notes of phone calls: the name as heard (k for c, s for z, t for d, a double letter
  dropped), "een zekere Sanne van ...", the caller id in any notation.

Identifiers are written every which way: KvK numbers with ``KvK``/``kvk nr``/``KvK-nummer:`` prefixes,
dots, spaces or as a 12-digit establishment number; IBANs spaced, compact, lower case or with a mistyped
digit; websites with or without scheme, ``www.``, paths and queries, platform pages; phones in national,
international and ``+31(0)`` notation; e-mail at free-mail providers and own domains. About half the
signals are written plainly (a name as on the letterhead, with or without its legal form); the others show
their source's habits (cut off, upper or lower case, wording around the name), and about one in ten
misspells the name itself.

Letters (reference dates: ``datum_brief``, else ``ontvangen_op``) run from 2025-04-01 to 2026-11-30,
most of them weeks or months before 2026-11-01. Register snapshots: on ``mirror_start`` and on the first
of every month after it up to 2026-12-01 (a snapshot identical to the one before is left out, as the
importer would only report it as already read); exempt-list snapshots on ``mirror_start`` and whenever
the list changed. Both mirror starts see the same parties, signals and labels.

Labelling policy
----------------
The label is the one a careful inspector gives with the register as its dates state now (the final
snapshot, 2026-12-01) and the exempt list at hand, for the party that truly sent the letter:

- a registered party: ``geregistreerd`` when one of its registrations (same KvK number) is valid on the
  reference date D (``datum_inschrijving <= D < datum_einde``; a strike-off dated back counts from its
  date); otherwise ``registratie_niet_geldig``. ``registratienummers`` holds the true registration first
  (for ``registratie_niet_geldig`` the one nearest in time to D), then the other registrations the
  evidence fits equally well with the same verdict (the firm's other registration; the other companies
  of a group when the letter names the group's shared name or website);
- an exempt bailiff or lawyer: ``vrijgesteld`` whatever the date (professions do not lapse);
- an unregistered collector, clone or look-alike: ``niet_geregistreerd`` with the collector's stable id
  (``D-C0001`` ...): one collector is one group, whatever names and accounts it uses.

Ambiguity guard
---------------
No signal is labelled by guesswork. The guard reads each signal as a careful person would, with the
final register, the exempt list and the other signals at hand, and drops (and counts by reason) every
signal whose reading is not exactly the truth. The reader:

1. Reads the collector's name as written, separating what a person recognises as not the name: the
   creditor and "namens"/"inzake"/"p/a", addresses, "STG DERDENGELDEN", payment references, a person's
   title and function. Case, diacritics (and mojibake), IJ/Y, punctuation, legal forms (also written
   out, or cut off at the end), initials, "bureau"/"kantoor"/"diensten", and the spellings of the trade
   words (incassobureau, incassoburo, gerechtsdeurwaarderskantoor, GDW, advocatenkantoor, ..., also
   misspelt by a letter or cut off at the end) do not count.
2. A name *fits exactly* a party whose name (statutory or trade, in the final register or exempt list,
   or used by an unregistered collector) has the same words in any order, or the same letters when the
   words are glued. Otherwise it *fits partly* when every word of the letter is in the party's name,
   the last one possibly cut off, a word of five letters or more possibly off by one letter (nine or more:
   two), and extra words in the letter are collection words only (incasso, debiteurenbeheer, collect,
   credit management, invordering); a partial fit needs a distinctive word: a coined name, or a common
   surname, place or given name together with another word. An exact fit outranks partial ones.
   A bailiff or lawyer named as a person fits the offices of that profession whose name carries the
   surname (in the place given, if one is).
3. Identifiers: KvK or establishment numbers, IBANs that pass the checksum (a mistyped IBAN is ignored),
   website and e-mail domains (the full address at free-mail providers, the page at platforms), phone
   numbers, looked up in the register and the exempt list; in a second pass also those shown by signals
   the first pass labelled as an unregistered collector's.
4. The signal is dropped when identifiers point to different parties; when an exact name fit and an
   identifier point to different parties; when a KvK number in the letter is in neither list but the
   identifiers fit a registered firm; when the names fitting give different outcomes (another verdict,
   another collector, a registered and an unregistered party) and no identifier settles it; when the
   evidence fits companies of a group that differ in validity on the date; when it holds nothing usable
   (a trade word only, a common surname alone, identifiers found nowhere). A KvK number in neither list
   rules out the listed parties that have a known KvK number: a firm's exact name with another firm's KvK
   number is a clone. A distinctive name that fits no one and shares no word with the two lists reads as
   "not registered, collector unknown" (the grouping below then decides whose it is).
5. Only when the reading is the truth (same outcome; for a registered party the true firm among those
   read and the same verdict) is the signal kept. Finally the kept signals of each unregistered collector
   are linked by shared identifiers and by the name they fit; when they fall apart in several groups only
   the largest is kept (a person could not know the others are the same collector).

Interface
---------
``generate(seed, mirror_start, registrations=, exempt=, collectors=, signals=)`` returns a ``World``:
``register_snapshots`` and ``exempt_snapshots`` (date, CSV bytes), ``signals_csv`` (the kept signals),
``truth`` (referentie -> ``Truth``: verdict, registratienummers, collector, kind, detail), ``dropped``
(reason -> count; ``signals`` is the number of letters written, kept plus dropped), ``sizes``, ``kinds``
(kind -> count) and ``dropped_examples`` (what the guard dropped and why, to read). Deterministic for a
seed in any process: every random choice comes from ``random.Random`` seeded with a string, nothing
depends on ``hash()`` or set order. ``.venv/bin/python bench/evalset_letters.py [seed]`` prints a summary.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

LAW_START = date(2024, 4, 1)
FIRST_LETTER = date(2025, 4, 1)
LAST_LETTER = date(2026, 11, 30)
LATE_MIRROR = date(2026, 11, 1)
FINAL_SNAPSHOT = date(2026, 12, 1)

CHANNELS = ("brief", "bank", "toezicht", "sociaal", "sms", "schuldhulp", "rechtspraak", "overheid", "kvk",
            "anoniem", "gesprek")
REGISTERED_SITUATIONS = ("statutory", "trade_name", "old_name", "group", "holding", "foreign", "bailiff_bv",
                         "not_yet_registered", "lapsed", "struck_off", "struck_off_backdated",
                         "between_registrations")
EXEMPT_SITUATIONS = ("bailiff_office", "lawyer_office", "bailiff_person", "lawyer_person", "candidate_bailiff",
                     "establishment")
COLLECTOR_SITUATIONS = ("plain", "person", "foreign", "lookalike_registered", "lookalike_exempt", "clone",
                        "multi_name")

# The notes in ``Truth.detail`` that say a name or identifier was garbled (not merely written without legal form).
GARBLING_NOTES = ("typo", "heard as", "scanner read", "lower case", "words swapped", "written 'X Incasso'", "mojibake",
                  "diacritics", "IJ as Y", "legal form written out", "cut at", "glued", "SMS sender", "handle",
                  "chat wording", "counsellor's wording", "mistyped", "fixed-width", "caller's name", "h.o.d.n.",
                  "both names", "candidate bailiff", "named as a person", "Tikkie", "shortened", "old letterhead")

SIGNAL_COLUMNS = ("referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email",
                  "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving")
REGISTER_COLUMNS = ("registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat",
                    "huisnummer", "postcode", "plaats", "website", "email", "telefoon", "iban", "status",
                    "datum_inschrijving", "datum_einde", "geldig_tot")
EXEMPT_COLUMNS = ("naam", "kvk_nummer", "beroep", "plaats", "website")


# =========================================================================================================
# Vocabulary (written for this world)

SURNAMES_COMMON = (
    "Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    "Peters", "Hendriks", "Dekker", "van Dijk", "van den Berg", "de Jong", "Janssen", "Brouwer", "de Wit",
    "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok",
)
SURNAMES_OTHER = (
    "van der Linden", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
    "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters",
    "de Lange", "van Wijk", "Kuipers", "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten",
    "van Wijngaarden", "Martens", "Vink", "van der Heide", "Timmermans", "Jonker", "Groen", "de Ruiter",
    "Verbeek", "van Rijn", "Hermans", "Sanders", "Molenaar", "van Loon", "Evers", "Bosman", "Wouters",
    "Koopman", "van Doorn", "Lammers", "van Os", "Gerritsen", "Vonk", "Hofman", "Mertens", "Postma",
    "van Houten", "Broekhuizen", "Zwart", "Bruins", "Kooiman", "Swart", "Rietveld", "Terpstra", "van Zanten",
    "IJzerman", "Bijl", "Rijken", "Zijlstra", "Eijkelenboom", "Wijers", "Hoogendijk", "Roelofs", "Bouwman",
    "Kerkhof", "Hoogeveen", "Kroon", "Verschuren", "Kamphuis", "Brinkman", "Oosterhuis", "Dijkman", "Stam",
    "Doornbos", "Langeveld", "Slagter", "Nijland", "Kloosterman", "van Ommen", "Heijmans", "Bleijenberg",
    "Ouwehand", "Reijnders", "van der Zijl", "Uijttewaal", "Overbeek", "Wolters", "Hoving", "Brandsma",
    "Veldhuis", "Ten Brink", "Haverkamp", "Boonstra", "van Leeuwen", "Dekkers", "Claassen", "Arts",
    "van Gils", "Rutten", "Coenen", "Aarts", "Verstappen", "Smeets", "Dirks", "Beekman", "Koning",
)
SURNAMES_MIGRANT = (
    "Yılmaz", "Öztürk", "Kaya", "Şahin", "Çelik", "El Amrani", "Bouzid", "Benali", "Nguyen", "Kowalski",
    "Wiśniewski", "Müller", "Schäfer", "Jiménez", "da Silva", "Mensah", "Boateng", "Demir", "Aydın",
    "El Idrissi", "Ait Taleb", "Tran", "Novák", "Brännström",
)
GIVEN = (
    "Jan", "Piet", "Kees", "Henk", "Sanne", "Lotte", "Emma", "Daan", "Bram", "Joost", "Ruud", "Marco", "Ahmed",
    "Mohamed", "Fatima", "Anouk", "Femke", "Wim", "Gert", "Ronald", "Sandra", "Ingrid", "Mehmet", "Youssef",
    "Erik", "Martijn", "Niels", "Thijs", "Sven", "Iris", "Eva", "Zoë", "Noël", "Anaïs", "Willem", "Hans",
    "Karin", "Monique", "Patrick", "Dennis", "Rachid", "Esra", "Priya", "Tom", "Koen", "Lieke", "Maarten",
)
# name, first postcode digits (low, high), area code
PLACES = tuple((p[0], int(p[1]), int(p[2]), p[3]) for p in (line.split("|") for line in """\
Amsterdam|1011|1109|020
Rotterdam|3011|3089|010
Den Haag|2491|2599|070
Utrecht|3511|3585|030
Eindhoven|5611|5658|040
Groningen|9711|9747|050
Tilburg|5011|5049|013
Almere|1311|1359|036
Breda|4811|4839|076
Nijmegen|6511|6546|024
Apeldoorn|7311|7339|055
Haarlem|2011|2037|023
Arnhem|6811|6846|026
Enschede|7511|7548|053
Amersfoort|3811|3829|033
Zaandam|1501|1509|075
's-Hertogenbosch|5211|5247|073
Zwolle|8011|8043|038
Leiden|2311|2334|071
Maastricht|6211|6229|043
Dordrecht|3311|3329|078
Leeuwarden|8911|8941|058
Alkmaar|1811|1827|072
Emmen|7811|7833|0591
Delft|2611|2629|015
Deventer|7411|7429|0570
Helmond|5701|5709|0492
Hilversum|1211|1223|035
Heerlen|6411|6422|045
Venlo|5911|5928|077
Oss|5341|5351|0412
Assen|9401|9411|0592
Hoorn|1621|1628|0229
Gouda|2801|2809|0182
Roosendaal|4701|4709|0165
Ede|6711|6718|0318
Lelystad|8211|8245|0320
Purmerend|1441|1448|0299
Schiedam|3111|3125|010
Zoetermeer|2711|2729|079
Capelle aan den IJssel|2901|2909|010
Nieuwegein|3431|3439|030
Veenendaal|3901|3907|0318
Harderwijk|3841|3849|0341
Heerenveen|8441|8448|0513
Sittard|6131|6137|046
Goes|4461|4465|0113
Middelburg|4331|4339|0118
Doetinchem|7001|7009|0314
Hengelo|7551|7559|074
Almelo|7601|7609|0546
Kampen|8261|8266|038
Meppel|7941|7944|0522
Drachten|9200|9206|0512
Sneek|8601|8608|0515
Den Helder|1781|1789|0223
IJmuiden|1971|1976|0255
IJsselstein|3401|3404|030
Bergen op Zoom|4611|4625|0164
Waalwijk|5141|5146|0416
Roermond|6041|6047|0475
Tiel|4001|4006|0344
Woerden|3441|3449|0348
Barneveld|3771|3774|0342
Wageningen|6701|6709|0317
Katwijk|2221|2226|071
Spijkenisse|3201|3209|0181
Hoogeveen|7901|7909|0528
Winterswijk|7101|7108|0543""".splitlines()))
PLACE_BY_NAME = {p[0]: p for p in PLACES}
REGIONS = ("Twente", "Achterhoek", "Veluwe", "Kennemerland", "Westland", "Betuwe", "Drenthe", "Friesland",
           "Limburg", "Zeeland", "Brabant", "Gooi", "Rijnmond", "Haaglanden", "West-Friesland", "IJsselland",
           "Salland", "Waterland", "Zaanstreek", "Peelland")
STREETS = ("Stationsweg", "Kerkstraat", "Dorpsstraat", "Marktplein", "Havenweg", "Industrieweg", "Nieuwe Gracht",
           "Kanaalweg", "Energieweg", "Molenstraat", "Koningin Wilhelminalaan", "Parallelweg", "Europalaan",
           "Rijnkade", "Beursplein", "Handelsweg", "Zuiderzeelaan", "Oude Vest", "Prinses Beatrixlaan",
           "Laan van Nieuw Oost-Indië", "Plesmanweg", "Transportweg", "Spoorstraat", "Hoofdweg", "Bedrijvenpark")
PREFIX = ("Noord", "Zuid", "Oost", "West", "Polder", "Delta", "Duin", "Heide", "Linde", "Eiken", "Berken", "Vaart",
          "Kroon", "Zilver", "Goud", "Rijn", "Klaver", "Meer", "Toren", "Kade", "Molen", "Zon", "Ster", "Wind",
          "Beek", "Veld", "Hof", "Eem", "Vecht", "Dommel", "Amstel", "Spaarne", "Regge", "Hunze", "Lek", "Gouw",
          "Dinkel", "Berkel", "Wadden", "Kempen")
SUFFIX = ("kaap", "licht", "poort", "wacht", "stroom", "veste", "hoek", "haven", "burg", "gaard", "spoor", "dal",
          "kust", "baken", "zicht", "punt", "lijn", "schild", "stede", "borg", "waard", "kruis", "zegel")
BRAND_A = ("Credi", "Debi", "Fin", "Vor", "Pay", "Cash", "Inno", "Tri", "Alpha", "Vesta", "Nova", "Prima", "Solid",
           "Quant", "Clear", "Fair", "Smart", "True", "Pro", "Neo", "Omni", "Flex", "Trust", "Certa")
BRAND_B = ("flow", "trix", "tiq", "ro", "plus", "sure", "line", "point", "vest", "ex", "ium", "lane", "base",
           "gate", "core", "wise", "link", "way", "mark", "nova", "tis")
TAILS = (("Incasso", 30), ("Incassodiensten", 6), ("Credit Management", 10), ("Debiteurenbeheer", 10),
         ("Invorderingen", 5), ("Collect", 6), ("Incasso & Debiteurenbeheer", 4), ("Credit Services", 3),
         ("Financiële Diensten", 2),
         ("Incassobureau", 0))
TRADE_SLUGS = ("incasso", "incassobureau", "incassodiensten", "credit", "management", "debiteurenbeheer",
               "invorderingen", "collect", "services", "financiele", "diensten")
OTHER_TRADES = ("Juristen", "Juridisch Advies", "Administratie", "Juridische Diensten", "Rechtshulp",
                "Financieel Advies", "Bewindvoering", "Consultancy")
CREDITORS = ("Vattenfall", "Eneco", "Essent", "Budget Energie", "Greenchoice", "KPN", "Ziggo", "Odido", "Vodafone",
             "VGZ", "Zilveren Kruis", "CZ", "Menzis", "DSW", "bol.com", "Wehkamp", "Zalando", "Otto", "Klarna",
             "Riverty", "Basic-Fit", "SportCity", "NS", "Vitens", "Brabant Water", "Evides", "Woonstad Rotterdam",
             "Ymere", "Simyo", "Lebara", "Youfone", "Tele2", "Ohra", "Centraal Beheer", "Coolblue", "HelloFresh")
NL_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "ASNB", "RBRB", "TRIO", "KNAB", "BUNQ", "FVLB", "NNBA", "HAND")
PERSONAL_BANKS = ("INGB", "RABO", "ABNA", "BUNQ", "KNAB", "ASNB", "TRIO", "SNSB")
FREE_MAIL = ("gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl", "kpnmail.nl", "yahoo.com",
             "icloud.com", "hotmail.nl", "planet.nl", "gmx.de", "proton.me")
PLATFORM_PAGES = ("facebook.com", "instagram.com", "linkedin.com", "tiktok.com")
PLATFORM_HOSTS = ("wixsite.com", "jouwweb.nl", "webnode.nl", "blogspot.com")
FOREIGN = {
    # country: (legal forms, phone prefix and area codes, tlds, IBAN layout)
    "DE": (("GmbH", "GmbH & Co. KG", "UG"), ("+49", ("211", "221", "30", "40", "89", "231")), ("de", "com", "eu")),
    "BE": (("BV", "NV", "BVBA", "CommV"), ("+32", ("2", "3", "9", "11", "16")), ("be", "eu", "com")),
    "GB": (("Ltd", "Limited", "LLP"), ("+44", ("20", "161", "121", "113")), ("co.uk", "com", "eu")),
    "LT": (("UAB",), ("+370", ("5", "37", "46")), ("lt", "eu", "com")),
    "EE": (("OÜ", "AS"), ("+372", ("6", "7")), ("ee", "eu", "com")),
    "PL": (("Sp. z o.o.", "S.A."), ("+48", ("22", "12", "61")), ("pl", "eu", "com")),
}
FOREIGN_WORDS = {
    "DE": ("Inkasso", "Forderungsmanagement", "Inkassodienst"),
    "BE": ("Incasso", "Incassobureau", "Invorderingen", "Recouvrement"),
    "GB": ("Debt Recovery", "Collections", "Credit Control", "Debt Collection"),
    "LT": ("Debt Solutions", "Collect", "Skolu Valdymas"),
    "EE": ("Collect", "Debt Services", "Inkasso"),
    "PL": ("Windykacja", "Debt Collect", "Inkaso"),
}
SUPERVISORS = ("ACM ConsuWijzer", "AFM", "Kifid", "Nationale ombudsman", "Autoriteit Persoonsgegevens")
MUNICIPAL_SYSTEMS = ("Suite4Sociaal Domein", "Allegro", "GWS4all", "Stipter", "iDOS", "RIS Schuldhulp")


# =========================================================================================================
# The guard's reading of names and identifiers (its own, written for this world)

def _tok(words: str) -> frozenset[str]:
    return frozenset(words.split())


LEGAL_WORDS = _tok("bv nv vof cv ua wa ba besloten vennootschap met beperkte aansprakelykheid onder firma naamloze "
                   "commanditaire cooperatie cooperatieve uitgesloten gmbh mbh ug ltd limited llp bvba commv srl "
                   "sprl sarl uab ou sp zoo kg ag llc plc eenmanszaak stichting sa as co")
TITLES = _tok("mr mrs dr drs ir ing prof kand kandidaat toegevoegd waarnemend dhr mevr mw heer mevrouw")
FILLER = _tok("bureau buro kantoor vestiging derdengelden st stg service services dienst diensten afdeling beheer "
              "praktyk")
CONNECTORS = _tok("en and und et e")
STOP = _tok("de het van der den te ter t in op voor the of a aan d la le du des von")
SYNONYMS = {
    **dict.fromkeys(("incassobureau", "incassoburo", "incassokantoor", "incassodienst", "incassodiensten",
                     "incassobedryf", "inkasso", "inc", "incaso", "inkaso", "incasobureau", "incassoburau",
                     "incasoburo", "incassobureu", "incassodienstverlening", "incassos", "inkassodienst"), "incasso"),
    **dict.fromkeys(("gerechtsdeurwaarder", "gerechtsdeurwaarders", "gerechtsdeurwaarderskantoor", "deurwaarders",
                     "deurwaarderskantoor", "gerechtsdeurwaarderspraktyk", "gdw", "deurwaardersdiensten",
                     "deurwaarderspraktyk"), "deurwaarder"),
    **dict.fromkeys(("advocaten", "advocatenkantoor", "advocatuur", "adv", "advocatenpraktyk"), "advocaat"),
    **dict.fromkeys(("juristen", "juridisch", "juridische", "rechtskundig", "rechtskundige"), "jurist"),
    **dict.fromkeys(("collection", "collections", "collecting"), "collect"),
    **dict.fromkeys(("invorderingen", "invorderingsbureau"), "invordering"),
    **dict.fromkeys(("debiteuren", "debiteurenbeh"), "debiteurenbeheer"),
    **dict.fromkeys(("mgmt",), "management"),
    **dict.fromkeys(("financiele", "financieel", "financial", "financien"), "finance"),
    **dict.fromkeys(("group",), "groep"),
    **dict.fromkeys(("partner", "ptn"), "partners"),
}
COLLECT_WORDS = _tok("incasso debiteurenbeheer collect invordering credit management debt recovery")
TRADE_WORDS = COLLECT_WORDS | _tok("deurwaarder advocaat jurist advies administratie partners groep holding finance "
                                   "solutions nederland europe international benelux direct online consultancy "
                                   "rechtshulp bewindvoering control windykacja forderungsmanagement recouvrement")
DROP_WORDS = LEGAL_WORDS | TITLES | FILLER | CONNECTORS
EXACT, PARTIAL = 2, 1

_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "đ": "d", "œ": "oe", "’": "'"})
_WORD = re.compile(r"[a-z0-9?]+")


def fold(text: str) -> str:
    """Case, diacritics and mojibake as a person reads past them."""
    if any(c in text for c in "ÃÂÅÄ"):
        try:
            text = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_FOLD)


def _plain(word: str) -> str:
    return fold(word).replace("ij", "y")


ALL_SURNAMES = (*SURNAMES_COMMON, *SURNAMES_OTHER, *SURNAMES_MIGRANT)
COMMON_WORDS = frozenset(
    w for name in (*SURNAMES_COMMON, *SURNAMES_OTHER, *SURNAMES_MIGRANT, *GIVEN, *REGIONS, *(p[0] for p in PLACES),
                   "noord zuid oost west nieuw oud groot klein")
    for w in _WORD.findall(_plain(name)) if w not in STOP)


@dataclass(frozen=True)
class Words:
    full: tuple[str, ...]  # the words in order, for glued comparisons
    core: tuple[str, ...]  # the words that identify, for set comparisons
    raw: tuple[str, ...]  # the words as written (trade words unmapped), for glued comparisons


# What a person knows of the trade's vocabulary: a word and what it stands for ('' for a word that does not count).
KNOWN_WORDS: dict[str, str] = {
    **dict.fromkeys(DROP_WORDS, ""), **{w: w for w in TRADE_WORDS}, **{w: w for w in SYNONYMS.values()}, **SYNONYMS,
}
_KNOWN_DELETES: dict[str, set[str]] = defaultdict(set)
for _w in KNOWN_WORDS:
    if len(_w) >= 5:
        for _d in {_w[:i] + _w[i + 1:] for i in range(len(_w))} | {_w}:
            _KNOWN_DELETES[_d].add(_w)
_KNOWN_SORTED = sorted(KNOWN_WORDS)


def _known(word: str, last: bool) -> str | None:
    """The trade word a written word stands for: itself, misspelt by a letter, or (the last word) cut off."""
    if word in KNOWN_WORDS:
        return KNOWN_WORDS[word]
    if word in COMMON_WORDS:
        return None
    if len(word) >= 5:
        near = set()
        for d in {word[:i] + word[i + 1:] for i in range(len(word))} | {word}:
            near |= _KNOWN_DELETES.get(d, set())
        targets = {KNOWN_WORDS[k] for k in near if osa_distance(word, k, allowed_typos(word)) <= allowed_typos(word)}
        if len(targets) == 1:
            return targets.pop()
    if last and len(word) >= 3:
        i = bisect.bisect_left(_KNOWN_SORTED, word)
        targets = set()
        while i < len(_KNOWN_SORTED) and _KNOWN_SORTED[i].startswith(word):
            if _KNOWN_SORTED[i] != word:
                targets.add(KNOWN_WORDS[_KNOWN_SORTED[i]])
            i += 1
        if len(targets) == 1:
            return targets.pop()
    return None


def name_tokens(text: str) -> Words:
    """A name as a careful person reads it."""
    words = _WORD.findall(fold(text))
    merged: list[tuple[str, bool]] = []
    run: list[str] = []
    for w in words:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if run:
            merged.append(("".join(run), True))
            run = []
        merged.append((w, False))
    if run:
        merged.append(("".join(run), True))
    full: list[str] = []
    raw: list[str] = []
    for i, (w, from_run) in enumerate(merged):
        w = w.replace("ij", "y")
        if not w.strip("?") or (from_run and len(w) <= 2 and w not in KNOWN_WORDS):
            continue
        if len(merged) == 1 and len(w) > 7 and w.endswith(("bv", "vof")):  # a legal form glued to the name
            w = w[:-2] if w.endswith("bv") else w[:-3]
        known = _known(w, last=i == len(merged) - 1)
        if known == "":
            if w not in FILLER:
                continue
        else:
            full.append(known or w)
        raw.append(w)
    return Words(tuple(full), tuple(w for w in full if w not in STOP), tuple(raw))


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` when it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] or "?" in (a[i - 1], b[j - 1]) else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def allowed_typos(word: str) -> int:
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def g_kvk(text: str) -> tuple[str, str] | None:
    digits = re.sub(r"\D", "", text)
    return ("kvk", digits) if len(digits) == 8 else ("vest", digits) if len(digits) == 12 else None


def iban_valid(compact: str) -> bool:
    if not (15 <= len(compact) <= 34 and compact[:2].isalpha() and compact[2:4].isdigit() and compact.isalnum()):
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def g_iban(text: str) -> tuple[str, str] | None:
    compact = re.sub(r"\s", "", text).upper()
    return ("iban", compact) if iban_valid(compact) else None


def g_site(text: str) -> tuple[str, str] | None:
    t = text.strip().lower()
    t = re.sub(r"^[a-z]+://", "", t)
    host, _, path = t.partition("/")
    host = host.split("?")[0].split(":")[0].removeprefix("www.")
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2:
        return None
    n = 3 if ".".join(labels[-2:]) in ("co.uk", "com.pl") else 2
    registrable = ".".join(labels[-n:])
    if registrable in PLATFORM_PAGES:
        page = path.split("?")[0].strip("/").split("/")[0]
        return ("dom", f"{registrable}/{page}") if page else None
    if registrable in PLATFORM_HOSTS:
        return ("dom", host)
    return ("dom", registrable)


def g_email(text: str) -> tuple[str, str] | None:
    t = text.strip().lower()
    if "@" not in t:
        return None
    domain = t.rsplit("@", 1)[1]
    return ("mail", t) if domain in FREE_MAIL else g_site(domain)


def g_phone(text: str) -> tuple[str, str] | None:
    t = text.replace("(0)", "")
    digits = re.sub(r"\D", "", t)
    if t.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    return ("tel", digits) if len(digits) >= 9 else None


def identifiers_of(fields: dict[str, str]) -> list[tuple[str, str]]:
    """The identifiers a person can use in a signal, normalised (a mistyped IBAN is left out)."""
    out = []
    for column, parse in (("kvk_nummer", g_kvk), ("iban", g_iban), ("website", g_site), ("email", g_email),
                          ("telefoon", g_phone)):
        if fields.get(column):
            key = parse(fields[column])
            if key and key not in out:
                out.append(key)
    return out


# =========================================================================================================
# Identifier factories

def iban_with_check(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


class Factory:
    """Unique identifiers for the whole world."""

    def __init__(self, rng: Random):
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def kvk(self) -> str:
        r = self.rng
        return self._unique(lambda: f"0{r.randrange(1_000_000, 9_999_999)}" if r.random() < 0.08
                            else f"{r.randrange(10_000_000, 99_999_999)}")

    def vest(self) -> str:
        return self._unique(lambda: f"0000{self.rng.randrange(10_000_000, 99_999_999)}")

    def iban(self, country: str = "NL", banks: tuple[str, ...] = NL_BANKS) -> str:
        r = self.rng

        def make() -> str:
            if country == "NL":
                return iban_with_check("NL", f"{r.choice(banks)}{r.randrange(10**9, 10**10)}")
            if country == "DE":
                return iban_with_check("DE", f"{r.randrange(10**7, 10**8)}{r.randrange(10**9, 10**10)}")
            if country == "BE":
                return iban_with_check("BE", f"{r.randrange(10**11, 10**12)}")
            if country == "GB":
                bank = "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(4))
                return iban_with_check("GB", f"{bank}{r.randrange(10**13, 10**14)}")
            if country == "LT":
                return iban_with_check("LT", f"{r.randrange(10**15, 10**16)}")
            if country == "EE":
                return iban_with_check("EE", f"{r.randrange(10**15, 10**16)}")
            return iban_with_check("PL", f"{r.randrange(10**23, 10**24)}")

        return self._unique(make)

    def phone_land(self, area: str) -> tuple[str, str]:
        digits = 10 - len(area)
        sub = self._unique(lambda: f"{area}|{self.rng.randrange(2 * 10 ** (digits - 1), 10**digits)}")
        return area, sub.split("|")[1]

    def phone_mobile(self) -> tuple[str, str]:
        sub = self._unique(lambda: f"06|{self.rng.randrange(10_000_000, 69_999_999)}")
        return "06", sub.split("|")[1]

    def phone_service(self) -> tuple[str, str]:
        area = self.rng.choice(("088", "085", "088", "085", "0900"))
        sub = self._unique(lambda: f"{area}|{self.rng.randrange(1_000_000, 9_999_999)}")
        return area, sub.split("|")[1]

    def phone_foreign(self, country: str) -> tuple[str, str]:
        prefix, areas = FOREIGN[country][1]
        area = self.rng.choice(areas)
        sub = self._unique(lambda: f"{prefix}{area}|{self.rng.randrange(1_000_000, 9_999_999)}")
        return f"{prefix} {area}", sub.split("|")[1]

    def domain(self, words: str, tld: str) -> str:
        slug_words = [w for w in re.findall(r"[a-z0-9]+", fold(words))
                      if w not in LEGAL_WORDS and w not in CONNECTORS and len(w) > 1]
        styles = ["".join(slug_words), "-".join(slug_words)]
        r = self.rng
        base = r.choice(styles) if len(slug_words) > 1 else styles[0]
        base = base[:40].strip("-") or "incasso"
        value = f"{base}.{tld}"
        n = 1
        while value in self.used:
            n += 1
            value = f"{base}{r.choice(('', '-'))}{r.choice(('nl', 'online', 'groep', 'direct', str(n)))}.{tld}"
        self.used.add(value)
        return value


def ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


# =========================================================================================================
# Parties

@dataclass
class Epoch:
    start: date
    base: str  # the name without legal form
    naam: str  # the statutory name as the register writes it
    trade: tuple[str, ...]


@dataclass
class Registration:
    number: str
    entity: Entity
    start: date
    end: date | None = None
    status: str = "ingeschreven"  # the final status
    visible: date = LAW_START
    end_known: date | None = None
    backdated: bool = False

    def valid_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def distance(self, day: date) -> int:
        if day < self.start:
            return (self.start - day).days
        if self.end is not None and day >= self.end:
            return (day - self.end).days + 1
        return 0


@dataclass
class Entity:
    key: str
    family: str
    structure: str  # single, group, holding, reregistered, renamed, foreign, bailiff_bv
    kvk: str
    vest: str | None
    epochs: list[Epoch]
    street: str
    number: str
    postcode: str
    place: str
    postbus: tuple[str, str, str] | None
    websites: list[str]
    emails: list[str]
    phones: list[tuple[str, str]]
    ibans: list[str]
    derdengelden: str | None
    listed: dict[str, list[str]] = field(default_factory=dict)
    regs: list[Registration] = field(default_factory=list)
    weight: float = 1.0
    country: str = "NL"

    def epoch_at(self, day: date) -> Epoch:
        current = self.epochs[0]
        for epoch in self.epochs:
            if epoch.start <= day:
                current = epoch
        return current


@dataclass
class Office:
    key: str
    profession: str  # gerechtsdeurwaarder, advocaat
    name: str
    partners: list[str]
    place: str
    branches: list[str]
    kvk: str | None
    kvk_listed: bool
    website: str | None
    website_listed: bool
    phone: tuple[str, str]
    iban: str
    email: str | None
    listed_from: date
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # naam, kvk, plaats
    weight: float = 1.0


@dataclass
class Collector:
    cid: str
    kind: str
    names: list[str]
    kvk: str | None
    ibans: list[str]
    websites: list[str]
    emails: list[str]
    phones: list[tuple[str, str]]
    place: str | None
    postcode: str | None
    street: str | None
    country: str = "NL"
    model: str = ""  # the party a clone or look-alike copies
    weight: float = 1.0


@dataclass(frozen=True)
class Truth:
    verdict: str
    registratienummers: tuple[str, ...] = ()
    collector: str | None = None
    kind: str = ""
    detail: str = ""


@dataclass
class World:
    seed: int
    mirror_start: date
    register_snapshots: list[tuple[date, bytes]]
    exempt_snapshots: list[tuple[date, bytes]]
    signals_csv: bytes
    truth: dict[str, Truth]
    dropped: dict[str, int]
    sizes: dict[str, int]
    kinds: dict[str, int]
    dropped_examples: list[tuple] = field(default_factory=list)  # (reason, kind, party, name, ...), to read

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())


# =========================================================================================================
# Small helpers

def pick(rng: Random, weighted: tuple | list) -> object:
    items = [w[0] for w in weighted]
    weights = [w[1] for w in weighted]
    return rng.choices(items, weights=weights)[0]


def days(n: int) -> timedelta:
    return timedelta(days=n)


def rand_date(rng: Random, lo: date, hi: date) -> date:
    return lo + days(rng.randrange((hi - lo).days + 1))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def surname(rng: Random) -> str:
    roll = rng.random()
    pool = SURNAMES_COMMON if roll < 0.33 else SURNAMES_MIGRANT if roll > 0.85 else SURNAMES_OTHER
    return rng.choice(pool)


def cap_first(name: str) -> str:
    """'de Vries' at the start of a name is written 'De Vries'."""
    return name[:1].upper() + name[1:]


def coined(rng: Random) -> str:
    return rng.choice(PREFIX) + rng.choice(SUFFIX)


def brand(rng: Random) -> str:
    return rng.choice(BRAND_A) + rng.choice(BRAND_B)


def place_pick(rng: Random) -> tuple[str, int, int, str]:
    # the big cities more often
    return PLACES[min(int(rng.expovariate(1 / 14)), len(PLACES) - 1)] if rng.random() < 0.7 else rng.choice(PLACES)


def postcode_in(rng: Random, place: tuple[str, int, int, str]) -> str:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    return f"{rng.randrange(place[1], place[2] + 1)} {rng.choice(letters)}{rng.choice(letters)}"


def tail(rng: Random) -> str:
    return pick(rng, TAILS[:-1])


# =========================================================================================================
# The reader (the ambiguity guard's knowledge of names)

@dataclass
class Variant:
    vid: int
    party: str
    text: str
    full: tuple[str, ...]
    core: tuple[str, ...]


class Reader:
    """What a careful person knows: every name in the final register and exempt list and every name an
    unregistered collector uses, the identifiers of the two lists, and which parties belong together."""

    def __init__(self) -> None:
        self.variants: list[Variant] = []
        self.exact: dict[frozenset[str], list[int]] = defaultdict(list)
        self.glued: dict[str, list[int]] = defaultdict(list)  # words glued, in any rotation (mapped and as written)
        self.by_token: dict[str, list[int]] = defaultdict(list)
        self.listed_tokens: set[str] = set()
        self.listed_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.outcome: dict[str, str] = {}
        self.kvk_known: set[str] = set()
        self.profession: dict[str, str] = {}
        self.places: dict[str, set[str]] = {}
        self._ready = False

    def add_name(self, party: str, text: str) -> None:
        words = name_tokens(text)
        if not words.core:
            return
        for v in (self.variants[i] for i in self.exact.get(frozenset(words.core), ())):
            if v.party == party:
                return
        v = Variant(len(self.variants), party, text, words.full, words.core)
        self.variants.append(v)
        self.exact[frozenset(words.core)].append(v.vid)
        for rot in self._rotations(words):
            self.glued[rot].append(v.vid)
        for t in sorted(set(words.core)):
            self.by_token[t].append(v.vid)
            if not party.startswith("U:"):
                self.listed_tokens.add(t)
        self._ready = False

    @staticmethod
    def _rotations(words: Words) -> list[str]:
        out = set()
        for seq in (words.full, words.raw):
            out |= {"".join(seq[i:] + seq[:i]) for i in range(len(seq))}
        return sorted(out)

    def _prepare(self) -> None:
        if self._ready:
            return
        self.vocab = sorted(self.by_token)
        self.glued_sorted = sorted(self.glued)
        self.deletes: dict[str, set[str]] = defaultdict(set)
        for t in self.vocab:
            if len(t) >= 4:
                for d in _deletes(t, 2 if len(t) >= 7 else 1):
                    self.deletes[d].add(t)
        self._ready = True

    def collides(self, text: str, party: str | None = None) -> bool:
        """Does ``text`` fit another party's name exactly?"""
        words = name_tokens(text)
        if not words.core:
            return True
        hits = [self.variants[i] for i in self.exact.get(frozenset(words.core), ())]
        hits += [self.variants[i] for rot in self._rotations(words) for i in self.glued.get(rot, ())]
        return any(v.party != party for v in hits)

    # --- names ------------------------------------------------------------------------------------------

    def _similar_tokens(self, word: str, last: bool) -> list[str]:
        out = [word] if word in self.by_token else []
        limit = allowed_typos(word)
        if limit:
            near: set[str] = set()
            for d in _deletes(word, limit):
                near |= self.deletes.get(d, set())
            out += sorted(t for t in near if t != word and osa_distance(word, t, limit) <= limit)
        if last and len(word) >= 3:
            i = bisect.bisect_left(self.vocab, word)
            while i < len(self.vocab) and self.vocab[i].startswith(word):
                if self.vocab[i] != word:
                    out.append(self.vocab[i])
                i += 1
        return out

    @staticmethod
    def _token_fits(word: str, candidates: tuple[str, ...], last: bool) -> tuple[str, str] | None:
        if word in candidates:
            return "exact", word
        if last and len(word) >= 2:
            for c in candidates:
                if c.startswith(word):
                    return "prefix", c
        limit = allowed_typos(word)
        if limit:
            for c in candidates:
                if osa_distance(word, c, limit) <= limit:
                    return "typo", c
        return None

    @staticmethod
    def substantive(core: tuple[str, ...]) -> bool:
        """Enough to go on: a coined word, or a common surname, place or given name with another word."""
        strong = [t for t in core if t not in TRADE_WORDS and len(t.strip("?")) >= 3]
        if not strong:
            return False
        return len(core) >= 2 or any(t not in COMMON_WORDS for t in strong)

    def overlaps_listed(self, core: tuple[str, ...]) -> bool:
        """Does a word of the name (or one off by a letter) occur in a registered or exempt party's name?"""
        self._prepare()
        for i, word in enumerate(core):
            if word in TRADE_WORDS or len(word) < 3:
                continue
            if any(t in self.listed_tokens for t in self._similar_tokens(word, last=i == len(core) - 1)):
                return True
        return False

    def fits(self, text: str) -> tuple[int, dict[str, set[int]]]:
        """The parties (with the names) a name fits, at the best level."""
        self._prepare()
        words = name_tokens(text)
        core = words.core
        found: dict[str, set[int]] = defaultdict(set)
        if not core:
            return 0, {}
        for vid in self.exact.get(frozenset(core), ()):
            found[self.variants[vid].party].add(vid)
        glued_forms = sorted({"".join(words.full), "".join(words.raw)})
        for glued in glued_forms:
            for vid in self.glued.get(glued, ()):
                found[self.variants[vid].party].add(vid)
        if found:
            return EXACT, dict(found)
        if not self.substantive(core):
            return 0, {}
        candidates: set[int] = set()
        for i, word in enumerate(core):
            if word in TRADE_WORDS:
                continue
            for t in self._similar_tokens(word, last=i == len(core) - 1):
                candidates.update(self.by_token[t])
        if len(core) == 1:  # words glued, perhaps cut off
            for glued in glued_forms:
                if len(glued) < 6:
                    continue
                i = bisect.bisect_left(self.glued_sorted, glued)
                while i < len(self.glued_sorted) and self.glued_sorted[i].startswith(glued):
                    for vid in self.glued[self.glued_sorted[i]]:
                        found[self.variants[vid].party].add(vid)
                    i += 1
        for vid in sorted(candidates):
            v = self.variants[vid]
            if self._partial(core, v.core):
                found[v.party].add(vid)
        return (PARTIAL, dict(found)) if found else (0, {})

    def _partial(self, core: tuple[str, ...], target: tuple[str, ...]) -> bool:
        typos = 0
        distinctive = False
        for i, word in enumerate(core):
            fit = self._token_fits(word, target, last=i == len(core) - 1)
            if fit is None:
                if word in COLLECT_WORDS:
                    continue  # "Incassobureau X" for "X Debiteurenbeheer"
                return False
            typos += fit[0] == "typo"
            distinctive |= fit[1] not in TRADE_WORDS
        return distinctive and typos <= 2

    def person_fits(self, surname_text: str, profession: str, place: str | None) -> dict[str, set[int]]:
        self._prepare()
        stoks = name_tokens(surname_text).core
        word = "deurwaarder" if profession == "gerechtsdeurwaarder" else "advocaat"
        found: dict[str, set[int]] = defaultdict(set)
        if not stoks:
            return {}
        for vid in self.by_token.get(stoks[-1], ()):
            v = self.variants[vid]
            if word not in v.core or not all(s in v.core for s in stoks):
                continue
            if v.party.startswith("X:"):
                if self.profession.get(v.party) != profession:
                    continue
                if place and fold(place) not in self.places.get(v.party, set()):
                    continue
            found[v.party].add(vid)
        return dict(found)


# =========================================================================================================
# The world builder

class Builder:
    def __init__(self, seed: int, registrations: int, exempt: int, collectors: int, signals: int):
        self.seed = seed
        self.n_regs = registrations
        self.n_exempt = exempt
        self.n_collectors = collectors
        self.n_signals = signals
        self.ids = Factory(self.rng("ids"))
        self.reader = Reader()
        self.entities: list[Entity] = []
        self.offices: list[Office] = []
        self.collectors: list[Collector] = []
        self.all_names: dict[frozenset[str], str] = {}  # every name ever used, also old ones: no accidental twins
        self.first_day_left = 4  # a mirror installed when the law took effect sees a few registrations at once

    def rng(self, part: str) -> Random:
        return Random(f"wki-world-d:{self.seed}:{part}")

    def name_free(self, text: str, owner: str) -> bool:
        core = name_tokens(text).core
        if not self.reader.substantive(core):
            return False
        other = self.all_names.get(frozenset(core))
        return (other is None or other == owner) and not self.reader.collides(text, owner)

    def claim(self, text: str, owner: str) -> None:
        self.all_names.setdefault(frozenset(name_tokens(text).core), owner)

    # --- exempt offices ----------------------------------------------------------------------------------

    def build_exempt(self) -> None:
        rng = self.rng("exempt")
        rows = 0
        n = 0
        while rows < self.n_exempt:
            n += 1
            key = f"X:X{n:04d}"
            profession = "gerechtsdeurwaarder" if rng.random() < 0.55 else "advocaat"
            place = place_pick(rng)
            for _attempt in range(50):
                s1, s2 = surname(rng), surname(rng)
                if s1 == s2:
                    continue
                if profession == "gerechtsdeurwaarder":
                    form = pick(rng, (("kantoor", 30), ("pair&", 25), ("pair", 10), ("one", 15), ("place", 8),
                                      ("coined", 7), ("incasso", 5)))
                    name, partners = {
                        "kantoor": (f"Gerechtsdeurwaarderskantoor {cap_first(s1)}", [s1]),
                        "pair&": (f"{cap_first(s1)} & {cap_first(s2)} Gerechtsdeurwaarders", [s1, s2]),
                        "pair": (f"{cap_first(s1)} {cap_first(s2)} Gerechtsdeurwaarders", [s1, s2]),
                        "one": (f"{cap_first(s1)} Gerechtsdeurwaarders", [s1]),
                        "place": (f"Deurwaarderskantoor {place[0]}", []),
                        "coined": (f"{coined(rng)} Gerechtsdeurwaarders", []),
                        "incasso": (f"{cap_first(s1)} Gerechtsdeurwaarders & Incasso", [s1]),
                    }[form]
                else:
                    form = pick(rng, (("kantoor", 25), ("pair", 20), ("pair&", 15), ("one", 15), ("partners", 10),
                                      ("advocatuur", 5), ("sole", 5), ("coined", 5)))
                    initial = rng.choice("ABCDEFGHJKLMNPRSTW")
                    name, partners = {
                        "kantoor": (f"Advocatenkantoor {cap_first(s1)}", [s1]),
                        "pair": (f"{cap_first(s1)} {cap_first(s2)} Advocaten", [s1, s2]),
                        "pair&": (f"{cap_first(s1)} & {cap_first(s2)} Advocaten", [s1, s2]),
                        "one": (f"{cap_first(s1)} Advocaten", [s1]),
                        "partners": (f"{cap_first(s1)} & Partners Advocaten", [s1]),
                        "advocatuur": (f"{cap_first(s1)} Advocatuur", [s1]),
                        "sole": (f"Mr. {initial}. {s1} Advocaat", [s1]),
                        "coined": (f"{coined(rng)} Advocaten", []),
                    }[form]
                if self.name_free(name, key):
                    break
            else:
                continue
            branches: list[str] = []
            if rng.random() < 0.12 and rows + 2 < self.n_exempt:
                others = [p[0] for p in PLACES if p[0] != place[0]]
                branches = rng.sample(others, rng.choice((1, 1, 2)))
            kvk = self.ids.kvk() if rng.random() < 0.93 else None
            website = self.ids.domain(name, "nl") if rng.random() < 0.8 else None
            office = Office(
                key=key, profession=profession, name=name, partners=partners, place=place[0], branches=branches,
                kvk=kvk, kvk_listed=bool(kvk) and rng.random() < 0.72, website=website,
                website_listed=bool(website) and rng.random() < 0.75, phone=self.ids.phone_land(place[3]),
                iban=self.ids.iban(), email=(f"info@{website}" if website and rng.random() < 0.7 else None),
                listed_from=LAW_START if rng.random() < 0.92 else date(rng.choice((2024, 2025, 2025, 2026)),
                                                                        rng.randrange(1, 12), 1),
                weight=min(rng.lognormvariate(0, 1.0), 8.0))
            if office.listed_from < LAW_START:
                office.listed_from = LAW_START
            kvk_cell = office.kvk if office.kvk_listed else ""
            office.rows.append((name, kvk_cell, place[0]))
            for b in branches:
                if kvk_cell:
                    office.rows.append((f"{name} (vestiging {b})", kvk_cell, b))
                else:
                    office.rows.append((name, "", b))
            rows += len(office.rows)
            self.claim(name, key)
            for row_name, _, _ in office.rows:
                self.reader.add_name(key, row_name)
            self.reader.outcome[key] = "X"
            self.reader.profession[key] = profession
            self.reader.places[key] = {fold(place[0])} | {fold(b) for b in branches}
            if office.kvk_listed:
                self.reader.kvk_known.add(key)
            self.offices.append(office)
        # exactly the size asked: drop branch rows from the last offices if there are too many
        excess = rows - self.n_exempt
        for office in reversed(self.offices):
            while excess > 0 and len(office.rows) > 1:
                office.rows.pop()
                office.branches.pop()
                excess -= 1

    # --- registered parties ------------------------------------------------------------------------------

    def firm_base(self, rng: Random, *, kind: str = "any") -> tuple[str, str]:
        """(base name without legal form, legal form)."""
        s1, s2 = surname(rng), surname(rng)
        form = pick(rng, (("coined", 26), ("incb_coined", 6), ("surname", 18), ("incb_surname", 10), ("pair", 7),
                          ("partners", 4), ("place", 7), ("region", 5), ("brand", 8), ("brand_tail", 5),
                          ("initials", 4))) if kind == "any" else kind
        t = tail(rng)
        base = {
            "coined": f"{coined(rng)} {t}",
            "incb_coined": f"Incassobureau {coined(rng)}",
            "surname": f"{cap_first(s1)} {t}",
            "incb_surname": f"Incassobureau {cap_first(s1)}",
            "pair": f"{cap_first(s1)} & {cap_first(s2)} {t}",
            "partners": f"{cap_first(s1)} & Partners {rng.choice(('Credit Management', 'Debiteurenbeheer', 'Incasso'))}",
            "place": f"{rng.choice(('Incassobureau ', 'Incasso '))}{place_pick(rng)[0]}" if rng.random() < 0.5
            else f"{place_pick(rng)[0]} {t}",
            "region": f"{rng.choice(REGIONS)} {t}" if rng.random() < 0.6 else f"Incassobureau {rng.choice(REGIONS)}",
            "brand": brand(rng),
            "brand_tail": f"{brand(rng)} {t}",
            "initials": f"{''.join(rng.choice('ABDEGHJKLMNPRSTVW') for _ in range(rng.choice((2, 3, 3, 4))))} {t}",
        }[form]
        if form in ("pair", "partners") and rng.random() < 0.5:
            legal = "V.O.F."
        elif form in ("surname", "incb_surname") and rng.random() < 0.45:
            legal = ""
        else:
            legal = pick(rng, (("B.V.", 86), ("", 6), ("N.V.", 1), ("coop", 3), ("C.V.", 1), ("V.O.F.", 3)))
        return base, legal

    @staticmethod
    def statutory(base: str, legal: str) -> str:
        if legal == "coop":
            return f"Coöperatie {base} U.A."
        return f"{base} {legal}".strip()

    def trade_names(self, rng: Random, base: str, owner: str, n: int) -> list[str]:
        out: list[str] = []
        words = base.split()
        head = " ".join(w for w in words if ascii_slug(w) not in (
            "incasso", "incassobureau", "incassodiensten", "credit", "management", "debiteurenbeheer",
            "invorderingen", "collect", "services", "partners", "&")) or words[0]
        for _ in range(n * 4):
            if len(out) >= n:
                break
            form = pick(rng, (("tail", 40), ("incb", 15), ("brand", 20), ("bare", 15), ("initials", 10)))
            t = {
                "tail": f"{head} {tail(rng)}",
                "incb": f"Incassobureau {head}",
                "brand": brand(rng) if rng.random() < 0.6 else f"{brand(rng)} {tail(rng)}",
                "bare": head,
                "initials": "".join(w[0] for w in re.findall(r"[A-Za-z]+", base)).upper()[:4] + " "
                            + rng.choice(("Collect", "Incasso", "Credit Management")),
            }[form]
            if t == base or t in out or not self.name_free(t, owner):
                continue
            out.append(t)
            self.claim(t, owner)
        return out

    def new_entity(self, rng: Random, key: str, family: str, structure: str, base: str, legal: str,
                   trade: list[str], country: str = "NL") -> Entity:
        place = place_pick(rng)
        naam = self.statutory(base, legal)
        site_n = 0 if rng.random() < 0.12 else (1 if rng.random() < 0.75 else 2)
        websites = [self.ids.domain(base if i == 0 or not trade else trade[0],
                                    "nl" if country == "NL" and rng.random() < 0.85 else rng.choice(("com", "eu", "nu")))
                    for i in range(site_n)]
        emails = [f"{rng.choice(('info', 'incasso', 'klantenservice', 'administratie', 'dossiers'))}@{websites[0]}"] \
            if websites else []
        if rng.random() < 0.1 or not websites:
            emails.append(f"{ascii_slug(base)[:20]}{rng.choice(('', '.incasso', '01', 'nl'))}@{rng.choice(FREE_MAIL[:8])}")
        phones = [self.ids.phone_land(place[3])] if rng.random() < 0.85 else []
        if rng.random() < 0.35:
            phones.append(self.ids.phone_service() if rng.random() < 0.6 else self.ids.phone_mobile())
        if not phones:
            phones.append(self.ids.phone_mobile())
        ibans = [self.ids.iban() for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
        derdengelden = self.ids.iban() if rng.random() < 0.35 else None
        listed = {
            "vest": rng.random() < 0.7,
            "websites": [w for w in websites if rng.random() < 0.85],
            "emails": [e for e in emails if rng.random() < 0.55],
            "phones": [p for p in phones if rng.random() < 0.6],
            "ibans": [i for i in ([*ibans, derdengelden] if derdengelden else ibans) if rng.random() < 0.45],
        }
        postbus = (str(rng.randrange(10, 99999)), postcode_in(rng, place), place[0]) if rng.random() < 0.3 else None
        return Entity(
            key=key, family=family, structure=structure, kvk=self.ids.kvk(),
            vest=self.ids.vest() if rng.random() < 0.85 else None,
            epochs=[Epoch(LAW_START, base, naam, tuple(trade))], street=rng.choice(STREETS),
            number=str(rng.randrange(1, 250)) + (rng.choice(("", "", "", "a", "-3", " B"))), postcode=postcode_in(rng, place),
            place=place[0], postbus=postbus, websites=websites, emails=emails, phones=phones, ibans=ibans,
            derdengelden=derdengelden, listed=listed, weight=min(rng.lognormvariate(0, 1.0), 8.0), country=country)

    def timeline(self, rng: Random, entity: Entity) -> Registration:
        roll = rng.random()
        if roll < 0.006 or self.first_day_left > 0:
            start = LAW_START  # screened in advance, in the register from the first day
            self.first_day_left -= 1
        elif roll < 0.78:
            start = rand_date(rng, date(2024, 4, 2), date(2025, 3, 31))
        else:
            start = rand_date(rng, date(2025, 4, 1), date(2026, 11, 25))
        reg = Registration("", entity, start)
        reg.visible = start if start == LAW_START else start + days(rng.choice((0, 0, 1, 2, 5, 9, 14, 21)))
        fate = rng.random()
        if fate < 0.09:  # lapsed: not renewed on an anniversary
            anniversaries = [add_years(start, k) for k in (1, 2) if add_years(start, k) <= date(2026, 11, 20)]
            if anniversaries:
                reg.end = rng.choice(anniversaries)
                reg.status = "verlopen"
                reg.end_known = reg.end + days(rng.randrange(3, 45))
        elif fate < 0.18:  # struck off
            lo = start + days(90)
            if lo < date(2026, 11, 20):
                reg.end = rand_date(rng, lo, date(2026, 11, 20))
                reg.status = "doorgehaald"
                reg.backdated = rng.random() < 0.35
                reg.end_known = reg.end + days(rng.randrange(25, 110) if reg.backdated else rng.randrange(0, 12))
        if reg.end_known and reg.end_known > FINAL_SNAPSHOT:
            if reg.backdated and reg.end + days(25) <= FINAL_SNAPSHOT:
                reg.end_known = FINAL_SNAPSHOT  # shown first by the last snapshot, dated back
            else:
                reg.end = reg.end_known = None
                reg.status = "ingeschreven"
                reg.backdated = False
        if reg.visible > FINAL_SNAPSHOT:
            reg.visible = FINAL_SNAPSHOT
        return reg

    def build_register(self) -> None:
        rng = self.rng("register")
        bailiff_surnames = [o.partners[0] for o in self.offices if o.profession == "gerechtsdeurwaarder" and o.partners]
        total = 0
        n = 0
        group_n = 0
        while total < self.n_regs:
            left = self.n_regs - total
            structure = pick(rng, (("single", 72), ("renamed", 8), ("reregistered", 5), ("group", 3),
                                   ("holding", 4), ("foreign", 2), ("bailiff_bv", 4)))
            if structure == "reregistered" and left < 2:
                structure = "single"
            if structure == "group":
                size = min(rng.choice((2, 2, 3, 3, 4)), left)
                if size < 2:
                    structure = "single"
            for _attempt in range(30):  # names taken already: try another of the same kind
                made = self._make_structure(rng, structure, n, group_n, bailiff_surnames,
                                            size if structure == "group" else 1)
                if made:
                    break
            else:
                continue
            group_n += structure == "group"
            n += len(made)
            for e in made:
                total += len(e.regs)
                self.entities.append(e)
        self._number_registrations()
        self._register_reader()

    def _make_structure(self, rng: Random, structure: str, n: int, group_n: int, bailiff_surnames: list[str],
                        size: int) -> list[Entity]:
        made: list[Entity] = []
        if structure == "group":
            family = f"G{group_n + 1:03d}"
            head = brand(rng) if rng.random() < 0.5 else coined(rng)
            shared = f"{head} {rng.choice(('Incasso', 'Groep', 'Credit Management'))}"
            if not self.name_free(shared, f"F:{family}"):
                return []
            suffixes = rng.sample(["Noord", "Zuid", "Oost", "West", "Midden", "Zakelijk", "Particulier", "Zorg",
                                   "Energie", "Wonen"], size)
            share_trade = rng.random() < 0.65
            site = self.ids.domain(shared, "nl")
            for i, sfx in enumerate(suffixes):
                key = f"E:E{n + i + 1:04d}"
                base = f"{head} Incasso {sfx}" if rng.random() < 0.7 else f"{head} {sfx} {tail(rng)}"
                if not self.name_free(base, key):
                    return []
                self.claim(base, key)
                e = self.new_entity(rng, key, family, "group", base, "B.V.", [shared] if share_trade else [])
                e.websites.insert(0, site)
                e.listed["websites"].insert(0, site)
                e.regs.append(self.timeline(rng, e))
                made.append(e)
            self.claim(shared, made[0].key)
            return made
        key = f"E:E{n + 1:04d}"
        country = "NL"
        if structure == "holding":
            s = surname(rng)
            head = cap_first(s) if rng.random() < 0.6 else coined(rng)
            base, legal = f"{head} {rng.choice(('Holding', 'Groep', 'Beheer Holding'))}", "B.V."
            if not self.name_free(base, key):
                return []
            self.claim(base, key)
            trade = [f"Incassobureau {head}", f"{head} {rng.choice(('Debiteurenbeheer', 'Credit Management'))}"]
            if rng.random() < 0.4:
                trade.append(f"{brand(rng)} Collect")
            trade = [t for t in trade if self.name_free(t, key)]
            for t in trade:
                self.claim(t, key)
        elif structure == "bailiff_bv" and bailiff_surnames:
            s = rng.choice(bailiff_surnames)
            base, legal = f"{cap_first(s)} {rng.choice(('Incasso', 'Incassodiensten', 'Credit Management'))}", "B.V."
            if not self.name_free(base, key):
                return []
            self.claim(base, key)
            trade = []
        elif structure == "foreign":
            country = rng.choice(("DE", "BE", "GB"))
            word = rng.choice(FOREIGN_WORDS[country])
            base = f"{brand(rng)} {word}" if rng.random() < 0.6 else f"{word} {cap_first(surname(rng))}"
            legal = rng.choice(FOREIGN[country][0])
            if not self.name_free(base, key):
                return []
            self.claim(base, key)
            trade = self.trade_names(rng, base, key, rng.choice((0, 1)))
        else:
            for _attempt in range(30):
                base, legal = self.firm_base(rng)
                if self.name_free(base, key):
                    break
            else:
                return []
            self.claim(base, key)
            n_trade = pick(rng, ((0, 40), (1, 35), (2, 18), (3, 5), (4, 2)))
            trade = self.trade_names(rng, base, key, n_trade)
        e = self.new_entity(rng, key, key, structure, base, legal, trade, country)
        first = self.timeline(rng, e)
        e.regs.append(first)
        if structure == "renamed":
            lo = first.start + days(60)
            hi = min(first.end or date(2026, 10, 1), date(2026, 10, 1))
            if lo < hi:
                for _attempt in range(30):
                    new_base, new_legal = self.firm_base(rng)
                    if self.name_free(new_base, key):
                        break
                else:
                    return []
                self.claim(new_base, key)
                old = e.epochs[0]
                new_trade = list(self.trade_names(rng, new_base, key, rng.choice((0, 1))))
                if rng.random() < 0.4:
                    new_trade.append(old.base)  # the old name kept as a trade name
                e.epochs.append(Epoch(rand_date(rng, lo, hi), new_base, self.statutory(new_base, new_legal),
                                      tuple(new_trade)))
            else:
                e.structure = "single"
        elif structure == "reregistered":
            # the first registration ended; the firm registered again under a new number, same KvK number
            if first.end is None and first.start + days(120) >= date(2026, 6, 1):
                e.structure = "single"
                made.append(e)
                return made
            if first.end is None:
                first.end = rand_date(rng, first.start + days(120), min(first.start + days(500), date(2026, 6, 1)))
                first.status = rng.choice(("verlopen", "doorgehaald"))
                if first.status == "verlopen":
                    first.end = add_years(first.start, 1)
                first.end_known = first.end + days(rng.randrange(3, 40))
            if first.end >= date(2026, 9, 1) or first.end_known > FINAL_SNAPSHOT:
                e.structure = "single"
                if first.end_known > FINAL_SNAPSHOT:
                    first.end = first.end_known = None
                    first.status = "ingeschreven"
            else:
                second = Registration("", e, first.end + days(rng.randrange(20, 240)))
                second.start = min(second.start, date(2026, 11, 20))
                second.visible = min(second.start + days(rng.choice((0, 2, 7, 14))), FINAL_SNAPSHOT)
                e.regs.append(second)
                if rng.random() < 0.4:
                    for _attempt in range(30):
                        new_base, new_legal = self.firm_base(rng)
                        if self.name_free(new_base, key):
                            break
                    else:
                        new_base = ""
                    if new_base:
                        self.claim(new_base, key)
                        e.epochs.append(Epoch(second.start, new_base, self.statutory(new_base, new_legal),
                                              tuple(self.trade_names(rng, new_base, key, rng.choice((0, 1))))))
        made.append(e)
        return made

    def _number_registrations(self) -> None:
        regs = sorted((r for e in self.entities for r in e.regs), key=lambda r: (r.visible, r.start, r.entity.key))
        per_year: Counter = Counter()
        for r in regs:
            per_year[r.start.year] += 1
            r.number = f"R{r.start.year}-{per_year[r.start.year]:05d}"

    def register_row(self, r: Registration, day: date) -> dict[str, str]:
        e = r.entity
        ended = r.end is not None and r.end_known is not None and r.end_known <= day
        name_day = min(day, r.end - days(1)) if r.end is not None and r.end <= day else day
        epoch = e.epoch_at(max(name_day, r.start))
        until = ""
        if not ended and r.status == "verlopen" and r.end is not None and r.end <= day:
            until = r.end.isoformat()  # not renewed, not yet shown as lapsed: the renewal is overdue
        elif not ended:
            k = 1
            while add_years(r.start, k) <= day:
                k += 1
            until = add_years(r.start, k).isoformat()
        return {
            "registratienummer": r.number, "naam": epoch.naam, "handelsnamen": "|".join(epoch.trade),
            "kvk_nummer": e.kvk, "vestigingsnummer": e.vest if e.vest and e.listed["vest"] else "",
            "straat": e.street, "huisnummer": e.number, "postcode": e.postcode, "plaats": e.place,
            "website": "|".join(e.listed["websites"]), "email": "|".join(e.listed["emails"]),
            "telefoon": "|".join(render_phone_plain(p) for p in e.listed["phones"]),
            "iban": "|".join(e.listed["ibans"]),
            "status": r.status if ended else "ingeschreven",
            "datum_inschrijving": r.start.isoformat(), "datum_einde": r.end.isoformat() if ended else "",
            "geldig_tot": until,
        }

    def _register_reader(self) -> None:
        reader = self.reader
        for e in self.entities:
            reader.outcome[e.key] = e.family
            reader.kvk_known.add(e.key)
            for r in e.regs:
                row = self.register_row(r, FINAL_SNAPSHOT)
                reader.add_name(e.key, row["naam"])
                for t in row["handelsnamen"].split("|"):
                    if t:
                        reader.add_name(e.key, t)
            ids = [("kvk", e.kvk)]
            if e.vest and e.listed["vest"]:
                ids.append(("vest", e.vest))
            ids += [g_site(w) for w in e.listed["websites"]]
            ids += [g_email(m) for m in e.listed["emails"]]
            ids += [("tel", p[0].replace(" ", "") + p[1]) for p in e.listed["phones"]]
            ids += [("iban", i) for i in e.listed["ibans"]]
            for key in ids:
                if key:
                    reader.listed_ids[key].add(e.key)
        for o in self.offices:
            if o.kvk_listed:
                reader.listed_ids[("kvk", o.kvk)].add(o.key)
            if o.website and o.website_listed:
                reader.listed_ids[g_site(o.website)].add(o.key)

    # --- unregistered collectors --------------------------------------------------------------------------

    def build_collectors(self) -> None:
        rng = self.rng("collectors")
        n = 0
        attempts = 0
        while len(self.collectors) < self.n_collectors:
            attempts += 1
            cid = f"D-C{n + 1:04d}"
            kind = pick(rng, (("plain", 34), ("foreign", 13), ("lookalike_registered", 12), ("lookalike_exempt", 7),
                              ("clone", 8), ("multi_name", 12), ("person", 7)))
            for _attempt in range(40):  # names taken already: try another of the same kind
                c = self._make_collector(rng, cid, kind)
                if c is not None:
                    break
            else:
                if attempts > self.n_collectors * 5:
                    raise RuntimeError("cannot find free names for the collectors")
                continue
            n += 1
            self.collectors.append(c)
            for name in c.names:
                self.reader.add_name(f"U:{cid}", name)
                if kind != "clone":
                    self.claim(name, f"U:{cid}")
            self.reader.outcome[f"U:{cid}"] = cid

    def _u_name_ok(self, name: str, cid: str) -> bool:
        return self.name_free(name, f"U:{cid}")

    def _make_collector(self, rng: Random, cid: str, kind: str) -> Collector | None:
        place = place_pick(rng)
        country = "NL"
        model = ""
        names: list[str] = []
        if kind in ("plain", "multi_name"):
            base, legal = self.firm_base(rng)
            names.append(self.statutory(base, legal) if rng.random() < 0.35 else base)
            if kind == "multi_name":
                for _ in range(rng.choice((1, 1, 2))):
                    other, other_legal = self.firm_base(rng, kind=rng.choice(("brand", "brand_tail", "coined",
                                                                              "surname", "region")))
                    names.append(other if rng.random() < 0.7 else self.statutory(other, other_legal))
        elif kind == "person":
            given, s = rng.choice(GIVEN), surname(rng)
            names.append(pick(rng, ((f"{given} {s}", 40), (f"{given} {s} Incasso", 20),
                                    (f"Incassodienst {given} {s}", 15), (f"{cap_first(s)} Incassodienst {place[0]}", 10),
                                    (f"{given} {s} Juridisch Advies", 15))))
        elif kind == "foreign":
            country = rng.choice(("DE", "DE", "BE", "BE", "GB", "LT", "EE", "PL"))
            word = rng.choice(FOREIGN_WORDS[country])
            legal = rng.choice(FOREIGN[country][0])
            core = brand(rng) if rng.random() < 0.6 else cap_first(surname(rng))
            base = f"{core} {word}" if rng.random() < 0.6 else f"{word} {core}"
            if rng.random() < 0.2:
                base = f"Euro {base}"
            names.append(f"{base} {legal}" if rng.random() < 0.6 else base)
        elif kind == "lookalike_registered":
            e = rng.choice(self.entities)
            model = e.key
            source = rng.choice([e.epochs[-1].base, *e.epochs[-1].trade])
            name = self._lookalike(rng, source)
            if not name:
                return None
            names.append(name)
        elif kind == "lookalike_exempt":
            o = rng.choice([o for o in self.offices if o.partners])
            model = o.key
            s = o.partners[0]
            if o.profession == "gerechtsdeurwaarder":
                name = pick(rng, ((f"{cap_first(s)} Incasso & Deurwaardersdiensten", 30),
                                  (f"Landelijk Deurwaarders Collectief {cap_first(s)}", 20),
                                  (f"{cap_first(s)} Deurwaarders Collectief {rng.choice(REGIONS)}", 20),
                                  (f"Incasso- en Deurwaarderskantoor {cap_first(s)} {place[0]}", 30)))
            else:
                name = pick(rng, ((f"{cap_first(s)} Juridische Incassodiensten", 35),
                                  (f"Juridisch Adviesbureau {cap_first(s)}", 30),
                                  (f"{cap_first(s)} Rechtshulp & Incasso", 35)))
            names.append(name)
        else:  # clone: a registered firm's exact name, its own KvK number, accounts and website
            candidates = [e for e in self.entities if e.structure != "group"]
            e = rng.choice(candidates)
            model = e.key
            epoch = e.epochs[-1]
            names.append(rng.choice([epoch.naam, epoch.base, *epoch.trade]))
            for c in self.collectors:
                if c.kind == "clone" and c.model == e.key:
                    return None
        if kind != "clone" and not all(self._u_name_ok(nm, cid) for nm in names):
            return None
        if len({frozenset(name_tokens(nm).core) for nm in names}) < len(names):
            return None
        # identifiers
        if country == "NL":
            kvk = self.ids.kvk() if (kind == "clone" or rng.random() < (0.25 if kind == "person" else 0.65)) else None
            n_iban = rng.choice((1, 1, 2)) if kind != "multi_name" else rng.choice((2, 2, 3))
            banks = PERSONAL_BANKS if kind == "person" else NL_BANKS
            ibans = [self.ids.iban("NL", banks) if rng.random() < 0.85 else self.ids.iban(rng.choice(("LT", "DE", "BE")))
                     for _ in range(n_iban)]
            phones = [self.ids.phone_mobile() if kind in ("person", "clone") or rng.random() < 0.45
                      else self.ids.phone_land(place[3])]
            if kind == "multi_name" and rng.random() < 0.5:
                phones.append(self.ids.phone_mobile())
        else:
            kvk = None
            ibans = [self.ids.iban(country if country in ("DE", "BE", "GB", "LT", "EE", "PL") else "LT")]
            if rng.random() < 0.3:
                ibans.append(self.ids.iban("NL"))
            phones = [self.ids.phone_foreign(country)]
        websites: list[str] = []
        emails: list[str] = []
        if kind == "person":
            if rng.random() < 0.3:
                websites.append(f"{rng.choice(PLATFORM_PAGES[:2])}/{ascii_slug(names[0])[:24]}")
            emails.append(f"{ascii_slug(names[0])[:22]}{rng.choice(('', '1', '.incasso', '86'))}@{rng.choice(FREE_MAIL)}")
        else:
            for i, nm in enumerate(names):
                if rng.random() < (0.8 if i == 0 else 0.5):
                    if country == "NL":
                        tld = "nl" if rng.random() < 0.7 else rng.choice(("com", "eu", "online", "info"))
                    else:
                        tld = rng.choice(FOREIGN[country][2])
                    words = nm if kind != "clone" else f"{nm} {rng.choice(('betalen', 'online', 'dossier', 'portaal'))}"
                    websites.append(self.ids.domain(words, tld))
            if rng.random() < 0.12 and country == "NL":
                websites.append(f"{ascii_slug(names[0])[:18]}.{rng.choice(PLATFORM_HOSTS)}")
            if websites and not websites[0].count("/") and rng.random() < 0.7:
                emails.append(f"{rng.choice(('info', 'incasso', 'dossier', 'betalingen'))}@{websites[0]}")
            if rng.random() < 0.4:
                emails.append(f"{ascii_slug(names[0])[:18]}{rng.choice(('', '.nl', '24', 'incasso'))}@{rng.choice(FREE_MAIL)}")
        emails = list(dict.fromkeys(emails))
        street = rng.choice(STREETS) if country == "NL" else None
        return Collector(cid=cid, kind=kind, names=names, kvk=kvk, ibans=ibans, websites=websites, emails=emails,
                         phones=phones, place=place[0] if country == "NL" else None,
                         postcode=postcode_in(rng, place) if country == "NL" else None, street=street, country=country,
                         model=model, weight=min(rng.lognormvariate(0, 0.95), 8.0))

    def _lookalike(self, rng: Random, source: str) -> str | None:
        """Another firm's name that differs from ``source`` by a real word."""
        words = source.split()
        for _attempt in range(20):
            how = rng.choice(("prefix", "suffix", "surname", "region", "trade"))
            new = list(words)
            if how in ("prefix", "suffix"):
                spots = [i for i, w in enumerate(words) if any(w.startswith(p) and w[len(p):] in SUFFIX for p in PREFIX)]
                if not spots:
                    continue
                i = spots[0]
                p = next(p for p in PREFIX if words[i].startswith(p) and words[i][len(p):] in SUFFIX)
                s = words[i][len(p):]
                new[i] = (rng.choice(PREFIX) + s) if how == "prefix" else (p + rng.choice(SUFFIX))
            elif how == "surname":
                present = [sn for sn in ALL_SURNAMES if re.search(rf"(?i)\b{re.escape(sn)}\b", source)]
                if not present:
                    continue
                old = max(present, key=len)
                replaced = re.sub(rf"(?i)\b{re.escape(old)}\b", cap_first(surname(rng)), source, count=1)
                new = replaced.split()
            elif how == "region":
                new.append(rng.choice(REGIONS))
            else:  # the same name in another trade: "Noordkaap Incasso" and "Noordkaap Bewindvoering"
                own = [w for w in words if w != "&" and ascii_slug(w) not in TRADE_SLUGS]
                if not own:
                    continue
                new = [*own, rng.choice(OTHER_TRADES)]
            name = " ".join(new)
            if name != source:
                return name
        return None


# =========================================================================================================
# Rendering: how each source writes a name and identifiers

def render_phone_plain(p: tuple[str, str]) -> str:
    area, sub = p
    return f"{area} {sub}" if area.startswith("+") else f"{area}-{sub}"


def render_phone(rng: Random, p: tuple[str, str]) -> str:
    area, sub = p
    if area.startswith("+"):
        prefix, city = area.split()
        return pick(rng, ((f"{prefix} {city} {sub}", 50), (f"00{prefix[1:]} {city} {sub}", 20),
                          (f"{prefix} (0){city} {sub}", 15), (f"{prefix}{city}{sub}", 15)))
    nat = area[1:]
    if area == "06":
        return pick(rng, ((f"06-{sub}", 30), (f"06 {sub[:4]} {sub[4:]}", 20), (f"+31 6 {sub}", 20),
                          (f"+316{sub}", 10), (f"0031 6 {sub[:2]} {sub[2:4]} {sub[4:6]} {sub[6:]}", 5), (f"06{sub}", 15)))
    return pick(rng, ((f"{area}-{sub}", 35), (f"{area} {sub}", 10), (f"({area}) {sub}", 8),
                      (f"+31 {nat} {sub[:3]} {sub[3:]}", 15), (f"0031{nat}{sub}", 5), (f"+31(0){nat}-{sub}", 7),
                      (f"{area}{sub}", 12), (f"{area} {sub[:3]} {sub[3:5]} {sub[5:]}", 8)))


def render_iban(rng: Random, iban: str, *, typo: float = 0.05) -> tuple[str, str]:
    note = ""
    value = iban
    if rng.random() < typo:
        digits = [i for i, c in enumerate(value) if c.isdigit() and i >= 4]
        i = rng.choice(digits)
        value = value[:i] + str((int(value[i]) + rng.randrange(1, 10)) % 10) + value[i + 1:]
        note = "IBAN mistyped"
    style = rng.random()
    if style < 0.4:
        out = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    elif style < 0.85:
        out = value
    elif style < 0.95:
        out = value.lower()
    else:
        out = f"{value[:2]} {value[2:4]} {value[4:8]} {value[8:11]} {value[11:14]} {value[14:]}"
    return out, note


def render_kvk(rng: Random, kvk: str, vest: str | None) -> str:
    if vest and rng.random() < 0.08:
        return vest if rng.random() < 0.6 else f"{vest[:4]} {vest[4:8]} {vest[8:]}"
    return pick(rng, ((kvk, 45), (f"KvK {kvk}", 18), (f"kvk: {kvk}", 6), (f"{kvk[:4]} {kvk[4:]}", 10),
                      (f"{kvk[:2]}.{kvk[2:4]}.{kvk[4:6]}.{kvk[6:]}", 4), (f"KvK-nr. {kvk}", 7),
                      (f"KvK-nummer: {kvk[:4]}.{kvk[4:]}", 4), (f"kvk nr {kvk}", 6)))


def render_site(rng: Random, domain: str) -> str:
    if "/" in domain:  # a platform page
        return pick(rng, ((f"https://www.{domain}", 50), (f"{domain}", 30), (f"https://{domain}/?ref=share", 20)))
    return pick(rng, ((domain, 25), (f"www.{domain}", 30), (f"https://www.{domain}", 12), (f"http://{domain}", 3),
                      (f"https://{domain}/betalen?dossier={rng.randrange(10000, 999999)}", 12),
                      (f"https://mijn.{domain}/login", 6), (f"www.{domain}/contact/", 6),
                      (f"{domain.capitalize()}", 6)))


def strip_legal(name: str) -> str:
    out = re.sub(r"\s+(B\.V\.|V\.O\.F\.|N\.V\.|C\.V\.|U\.A\.|BV|VOF|GmbH( & Co\. KG)?|Ltd|Limited|LLP|UAB|OÜ|AS|"
                 r"Sp\. z o\.o\.|S\.A\.|NV|BVBA|CommV|UG)$", "", name.strip())
    return re.sub(r"^Coöperatie\s+", "", out).strip()


def legal_variant(rng: Random, name: str) -> str:
    if name.endswith(" B.V."):
        return name[:-5] + rng.choice((" BV", " bv", " B.V", " b.v.", " B V"))
    if name.endswith(" V.O.F."):
        return name[:-7] + rng.choice((" VOF", " v.o.f.", " vof"))
    return name


def expand_legal(name: str) -> str:
    for short, long in ((" B.V.", " Besloten Vennootschap"), (" V.O.F.", " Vennootschap onder Firma"),
                        (" N.V.", " Naamloze Vennootschap"), (" C.V.", " Commanditaire Vennootschap")):
        if name.endswith(short):
            return name[: -len(short)] + long
    return name


KEYBOARD = {"a": "sq", "s": "ad", "d": "sf", "e": "wr", "r": "et", "t": "ry", "o": "ip", "i": "uo", "n": "bm",
            "m": "n", "k": "jl", "l": "k", "u": "yi", "c": "xv", "v": "cb", "b": "vn", "g": "fh", "h": "gj"}


def typo(rng: Random, name: str) -> tuple[str, str]:
    """One slip of the keyboard in a word of six letters or more."""
    words = name.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not spots:
        return name, ""
    i = rng.choice(spots)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    how = rng.choice(("swap", "drop", "double", "near"))
    if how == "swap" and w[j] != w[j + 1]:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif how == "drop":
        w = w[:j] + w[j + 1:]
    elif how == "double":
        w = w[:j] + w[j] + w[j:]
    else:
        c = w[j].lower()
        w = w[:j] + rng.choice(KEYBOARD.get(c, "e")) + w[j + 1:]
        how = "near"
    words[i] = w
    return " ".join(words), f"typo ({how}) in '{name.split(' ')[i]}'"


def phonetic(rng: Random, name: str) -> tuple[str, str]:
    """The name as heard on the phone: one sound written another way."""
    rules = (("c", "k"), ("C", "K"), ("z", "s"), ("Z", "S"), ("ss", "s"), ("dt", "t"), ("au", "ou"), ("y", "ij"),
             ("ph", "f"), ("th", "t"), ("ck", "k"), ("ee", "e"), ("aa", "a"))
    options = [(a, b) for a, b in rules if a in name]
    if not options:
        return name, ""
    a, b = rng.choice(options)
    i = name.index(a)
    words_before = name[:i].count(" ")
    word = name.split(" ")[words_before]
    if len(word) < 5 and a not in ("y",):
        return name, ""
    return name[:i] + b + name[i + len(a):], f"heard as '{a}'->'{b}'"


def scanner(rng: Random, name: str) -> tuple[str, str]:
    """A scanner's misreading: l as I, e as c, o as 0 in one word of five letters or more."""
    words = name.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and any(ch in w for ch in "leo")]
    if not spots:
        return name, ""
    i = rng.choice(spots)
    w = words[i]
    a, b = rng.choice([(x, y) for x, y in (("l", "I"), ("e", "c"), ("o", "0")) if x in w])
    j = w.index(a)
    words[i] = w[:j] + b + w[j + 1:]
    return " ".join(words), f"scanner read '{a}' as '{b}'"


def no_diacritics(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def mojibake(text: str) -> str:
    try:
        return text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return "".join(c if ord(c) < 128 else "?" for c in text)


def ij_as_y(text: str) -> str:
    return text.replace("IJ", "Y").replace("ij", "y").replace("Ij", "Y")


@dataclass
class Draft:
    n: int
    party: str
    day: date
    channel: str
    situation: str
    fields: dict[str, str]
    cores: list[str]
    person: tuple[str, str, str | None] | None
    notes: list[str]
    verdict: str = ""
    number: str = ""
    collector: str | None = None
    gids: list[tuple[str, str]] = field(default_factory=list)


def both_names(rng: Random, c: Collector) -> list[tuple[str, bool]]:
    """A collector's two names in one breath, as people who know both write them."""
    first, second = rng.sample(c.names, 2)
    glue = rng.choice((" / ", " ook bekend als ", " (tevens handelend als ", ", voorheen "))
    return [(first, True), (glue, False), (second, True), (")" if "(" in glue else "", False)]


def compose(segments: list[tuple[str, bool]], width: int | None) -> tuple[str, list[str]]:
    """Join segments (text, is the collector's name) and cut at ``width``: the text and the surviving names."""
    text = ""
    cores: list[str] = []
    for seg, is_core in segments:
        start = len(text)
        text += seg
        if is_core:
            cores.append((start, len(text)))  # type: ignore[arg-type]
    if width is not None and len(text) > width:
        text = text[:width]
    out = []
    for start, end in cores:  # type: ignore[misc]
        kept = text[start:min(end, len(text))].strip()
        if kept.strip(" -&.,"):
            out.append(kept)
    return text.strip(), out


class SignalWriter:
    def __init__(self, builder: Builder):
        self.b = builder
        self.rng = builder.rng("signals")
        self.final_names: dict[str, set[str]] = defaultdict(set)
        for e in builder.entities:
            for r in e.regs:
                row = builder.register_row(r, FINAL_SNAPSHOT)
                for nm in [row["naam"], *row["handelsnamen"].split("|")]:
                    if nm:
                        self.final_names[e.key].add(nm)
                        self.final_names[e.key].add(strip_legal(nm))

    # --- dates -------------------------------------------------------------------------------------------

    def letter_date(self, near: list[date] | None = None) -> date:
        rng = self.rng
        if near and rng.random() < 0.45:
            d = rng.choice(near) + days(int(rng.gauss(0, 70)))
        elif rng.random() < 0.11:
            d = rand_date(rng, LATE_MIRROR, LAST_LETTER)
        else:
            d = LATE_MIRROR - days(1 + int(rng.expovariate(1 / 120)))
        if d < FIRST_LETTER or d > LAST_LETTER:
            d = rand_date(rng, FIRST_LETTER, date(2026, 10, 31))
        return d

    # --- which party ---------------------------------------------------------------------------------------

    def parties(self) -> list[tuple[str, object]]:
        rng = self.rng
        b = self.b
        e_weights = [e.weight * (2.0 if any(r.end for r in e.regs) or e.regs[0].start > FIRST_LETTER else 1.0)
                     for e in b.entities]
        out = []
        for _ in range(b.n_signals):
            roll = rng.random()
            if roll < 0.55:
                out.append(("E", rng.choices(b.entities, weights=e_weights)[0]))
            elif roll < 0.67:
                out.append(("X", rng.choices(b.offices, weights=[o.weight for o in b.offices])[0]))
            else:
                out.append(("U", rng.choices(b.collectors, weights=[c.weight for c in b.collectors])[0]))
        return out

    def channel(self, cls: str) -> str:
        weights = {
            "E": (32, 14, 9, 5, 4, 17, 3, 8, 2, 2, 6),
            "X": (25, 8, 5, 2, 1, 22, 28, 5, 0, 1, 3),
            "U": (24, 16, 6, 12, 6, 12, 0, 5, 5, 6, 8),
        }[cls]
        return self.rng.choices(CHANNELS, weights=weights)[0]

    # --- the signals ---------------------------------------------------------------------------------------

    def write_all(self) -> list[Draft]:
        drafts = []
        for n, (cls, party) in enumerate(self.parties()):
            channel = self.channel(cls)
            if cls == "E":
                d = self.entity_signal(n, party, channel)  # type: ignore[arg-type]
            elif cls == "X":
                d = self.office_signal(n, party, channel)  # type: ignore[arg-type]
            else:
                d = self.collector_signal(n, party, channel)  # type: ignore[arg-type]
            self.finish(d)
            drafts.append(d)
        return drafts

    def entity_signal(self, n: int, e: Entity, channel: str) -> Draft:
        rng = self.rng
        near = [r.start for r in e.regs if r.start > FIRST_LETTER] + [r.end for r in e.regs if r.end]
        near += [ep.start for ep in e.epochs[1:]]  # around a rename, letters carry either name
        window = [r for r in e.regs if r.backdated and r.end_known and r.end_known > r.end >= FIRST_LETTER]
        if window and rng.random() < 0.35:  # written after the strike-off took effect, before it was shown
            r = rng.choice(window)
            day = rand_date(rng, r.end, min(r.end_known - days(1), LAST_LETTER))
        else:
            day = self.letter_date(near)
        # the truth on the day
        valid = [r for r in e.regs if r.valid_on(day)]
        if valid:
            verdict, reg = "geregistreerd", valid[0]
        else:
            verdict = "registratie_niet_geldig"
            reg = min(e.regs, key=lambda r: (r.distance(day), r.start))
        epoch = e.epoch_at(day)
        notes = [f"registered firm {e.key[2:]} ({e.structure}), KvK {e.kvk}; letter of {day}; "
                 + ", ".join(f"{r.number} {r.start}..{r.end or ''} {r.status}" + (" dated back" if r.backdated else "")
                             for r in e.regs)]
        if len(e.epochs) > 1 and day >= e.epochs[1].start and rng.random() < 0.15:
            epoch = e.epochs[0]
            notes.append("old letterhead after the rename")
        formal = channel in ("toezicht", "kvk", "overheid")
        options: list[tuple[tuple[str, str], float]] = [((epoch.naam, "statutory"), 5 if formal else 3),
                                                        ((epoch.base, "statutory_bare"), 1 if formal else 3)]
        for t in epoch.trade:
            options.append(((t, "trade"), (1.5 if formal else 4.5) / max(1, len(epoch.trade)) * 1.4))
        (name, variant) = pick(rng, options)  # type: ignore[misc]
        aspect = "statutory"
        if name not in self.final_names[e.key]:
            aspect = "old_name"
        elif e.family.startswith("G"):
            aspect = "group"
        elif e.structure == "holding" and variant == "trade":
            aspect = "holding"
        elif e.structure == "foreign":
            aspect = "foreign"
        elif e.structure == "bailiff_bv":
            aspect = "bailiff_bv"
        elif variant == "trade":
            aspect = "trade_name"
        if verdict == "geregistreerd":
            situation = aspect
        elif day < e.regs[0].start:
            situation = "not_yet_registered"
        elif any(r.end and r.end <= day for r in e.regs) and any(r.start > day for r in e.regs):
            situation = "between_registrations"
        else:
            ended = max((r for r in e.regs if r.end and r.end <= day), key=lambda r: r.end)
            shown_later = ended.backdated and ended.end_known is not None and day < ended.end_known
            situation = ("struck_off_backdated" if shown_later else "struck_off") \
                if ended.status == "doorgehaald" else "lapsed"
        notes.append(f"name on the letter: {variant} '{name}' ({aspect})")
        ident = {
            "kvk": e.kvk, "vest": e.vest, "ibans": e.ibans, "derdengelden": e.derdengelden,
            "websites": e.websites, "emails": e.emails, "phones": e.phones, "postcode": e.postcode,
            "place": e.place, "street": f"{e.street} {e.number}", "postbus": e.postbus,
        }
        d = Draft(n, e.key, day, channel, situation, {}, [], None, notes, verdict, reg.number)
        self.render(d, name, ident, other_names=[epoch.naam] if variant == "trade" else [])
        return d

    def office_signal(self, n: int, o: Office, channel: str) -> Draft:
        rng = self.rng
        day = self.letter_date()
        situation = "bailiff_office" if o.profession == "gerechtsdeurwaarder" else "lawyer_office"
        notes = [f"exempt {o.profession} office {o.key[2:]} '{o.name}' in {o.place}"
                 + (f" and {', '.join(o.branches)}" if o.branches else "") + f"; letter of {day}"]
        d = Draft(n, o.key, day, channel, situation, {}, [], None, notes, "vrijgesteld")
        ident = {"kvk": o.kvk, "vest": None, "ibans": [o.iban], "derdengelden": o.iban,
                 "websites": [o.website] if o.website else [], "emails": [o.email] if o.email else [],
                 "phones": [o.phone], "postcode": None, "place": o.place, "street": None, "postbus": None}
        name = o.name
        person_share = {"rechtspraak": 0.55, "schuldhulp": 0.15, "brief": 0.1}.get(channel, 0.0)
        if o.partners and rng.random() < person_share:
            self.render_person(d, o, ident)
            return d
        if len(o.rows) > 1 and rng.random() < 0.3:
            row = rng.choice(o.rows[1:])
            name = row[0]
            ident["place"] = row[2]
            d.situation = "establishment"
        elif rng.random() < 0.25:
            # the way people shorten an office name
            s = o.partners[0] if o.partners else None
            short = {
                "gerechtsdeurwaarder": [f"Deurwaarderskantoor {cap_first(s)}", f"{cap_first(s)} deurwaarders",
                                        f"Gerechtsdeurwaarder {cap_first(s)}"] if s else [],
                "advocaat": [f"Advocatenkantoor {cap_first(s)}", f"{cap_first(s)} advocaten"] if s else [],
            }[o.profession]
            if short:
                name = rng.choice(short)
                notes.append(f"office name shortened to '{name}'")
        if channel == "rechtspraak" and o.profession == "gerechtsdeurwaarder" and rng.random() < 0.3:
            d.situation = "candidate_bailiff"
        self.render(d, name, ident, other_names=[])
        return d

    def collector_signal(self, n: int, c: Collector, channel: str) -> Draft:
        rng = self.rng
        day = self.letter_date()
        notes = [f"unregistered collector {c.cid} ({c.kind}" + (f" of {c.model[2:]}" if c.model else "")
                 + f") names {c.names}; letter of {day}"]
        if channel == "kvk" and not c.kvk:  # only firms in the Handelsregister are in its extracts
            channel = rng.choice(("brief", "anoniem", "bank"))
        d = Draft(n, f"U:{c.cid}", day, channel, c.kind, {}, [], None, notes, "niet_geregistreerd", "", c.cid)
        name = rng.choice(c.names)
        ident = {"kvk": c.kvk, "vest": None, "ibans": c.ibans, "derdengelden": None, "websites": c.websites,
                 "emails": c.emails, "phones": c.phones, "postcode": c.postcode, "place": c.place,
                 "street": f"{c.street} {rng.randrange(1, 180)}" if c.street else None, "postbus": None}
        others = [nm for nm in c.names if nm != name]
        self.render(d, name, ident, other_names=others, collector=c)
        return d

    # --- rendering per channel --------------------------------------------------------------------------

    def core_garble(self, d: Draft, name: str, profile: str) -> str:
        """The name itself as the source writes it (before case and width of the channel)."""
        rng = self.rng
        out = name
        if profile in ("consumer", "counsellor", "social", "phone") and rng.random() < 0.55:
            bare = strip_legal(out)
            if bare != out:
                out = bare
        if profile in ("consumer", "counsellor", "formal") and rng.random() < 0.12:
            out = legal_variant(rng, out)
        if profile in ("consumer", "counsellor") and rng.random() < 0.08:
            words = out.split()
            if len(words) == 2:
                out = f"{words[1]} {words[0]}"
                d.notes.append("words swapped")
            elif words and ascii_slug(words[0]) == "incassobureau":
                out = " ".join(words[1:]) + " Incasso"
                d.notes.append("'Incassobureau X' written 'X Incasso'")
        typo_p = {"consumer": 0.08, "counsellor": 0.12, "social": 0.2, "phone": 0.1}.get(profile, 0.0)
        if rng.random() < typo_p:
            out, note = typo(rng, out)
            if note:
                d.notes.append(note)
        if profile == "phone" and rng.random() < 0.55:
            out, note = phonetic(rng, out)
            if note:
                d.notes.append(note)
        if profile == "counsellor" and rng.random() < 0.06:
            out, note = scanner(rng, out)
            if note:
                d.notes.append(note)
        if profile == "social":
            out = out.lower()
            d.notes.append("lower case")
            out = out.replace("incassobureau", rng.choice(("incassoburo", "incasso bureau", "incassobureau",
                                                           "incasobureau")))
        elif profile in ("consumer", "phone") and rng.random() < 0.07:
            out = out.lower()
            d.notes.append("lower case")
        return out

    def render(self, d: Draft, name: str, ident: dict, other_names: list[str], collector: Collector | None = None) -> None:
        rng = self.rng
        ch = d.channel
        f = d.fields
        bron = {"brief": "consument", "bank": "consument", "toezicht": "toezichthouder", "sociaal": "consument",
                "sms": "consument", "schuldhulp": "schuldhulpverlener", "rechtspraak": "overig",
                "overheid": "gemeente", "kvk": "kvk", "anoniem": "anoniem", "gesprek": "overig"}[ch]
        if ch == "sociaal" and rng.random() < 0.3:
            bron = "anoniem"
        if ch == "rechtspraak" and rng.random() < 0.4:
            bron = "schuldhulpverlener"
        f["bron"] = bron
        creditor = rng.choice(CREDITORS)
        segments: list[tuple[str, bool]] = []
        width = None
        use = {"kvk": 0.0, "iban": 0.0, "site": 0.0, "mail": 0.0, "phone": 0.0, "address": 0.0}
        if ch == "brief":
            core = self.core_garble(d, name, "consumer")
            roll = rng.random()
            if roll < 0.06 and ident["street"]:
                segments = [(core, True), (f", {ident['street']}, {ident['place']}", False)]
                d.notes.append("address glued to the name")
            elif roll < 0.09:
                segments = [("Afzender: ", False), (core, True)]
            else:
                segments = [(core, True)]
            use = {"kvk": 0.12, "iban": 0.25, "site": 0.3, "mail": 0.12, "phone": 0.3, "address": 0.25}
        elif ch == "bank":
            tikkie = collector is not None and (collector.kind == "person" or rng.random() < 0.15)
            core = strip_legal(name) + (" BV" if name.endswith("B.V.") and rng.random() < 0.6 else "")
            core = no_diacritics(core).upper().replace(" & ", rng.choice((" EN ", " ", "&")))
            if rng.random() < 0.1:
                core = core.replace(" ", "")
                d.notes.append("beneficiary name glued")
            prefix = ""
            if ident.get("derdengelden") and rng.random() < 0.4:
                prefix = rng.choice(("STG DERDENGELDEN ", "ST. DERDENGELDEN ", "STICHTING DERDENGELDEN "))
            segments = [(prefix, False), (core, True)] if prefix else [(core, True)]
            width = pick(rng, ((35, 40), (32, 20), (24, 10), (None, 30)))
            if width:
                d.notes.append(f"beneficiary cut at {width}")
            account = ident["derdengelden"] if prefix else (rng.choice(ident["ibans"]) if ident["ibans"] else None)
            if account and rng.random() < 0.92:
                f["iban"], note = render_iban(rng, account, typo=0.03)
                if rng.random() < 0.6:
                    f["iban"] = f["iban"].replace(" ", "").upper() if not note else f["iban"]
                if note:
                    d.notes.append(note)
            kenm = rng.randrange(1_000_000, 9_999_999)
            desc = pick(rng, ((f"KENM {kenm} DOSSIER {rng.randrange(10000, 999999)} NAMENS {creditor.upper()}", 40),
                              (f"/TRTP/SEPA OVERBOEKING/REMI/{kenm} {creditor.upper()}", 25),
                              (f"Betalingskenmerk {kenm} vordering {creditor}", 35)))
            if tikkie:
                desc = f"Betaalverzoek via Tikkie: {desc[:60]}"
                d.notes.append("Tikkie request")
            f["omschrijving"] = f"{desc[:140]} (overgenomen van afschrift, betaald EUR {rng.randrange(20, 900)},{rng.randrange(0, 99):02d})"
        elif ch == "toezicht":
            sup = rng.choice(SUPERVISORS)
            roll = rng.random()
            if roll < 0.3 and other_names and collector is None:
                segments = [(other_names[0], True), (rng.choice((" h.o.d.n. ", " handelend onder de naam ",
                                                                 " t.h.o.d.n. ")), False), (name, True)]
                d.notes.append("statutory and trade name, 'h.o.d.n.'")
            elif roll < 0.45 and collector is not None and len(collector.names) > 1:
                segments = both_names(rng, collector)
                d.notes.append("both names of the collector")
            else:
                segments = [(self.core_garble(d, name, "formal"), True)]
            f["omschrijving"] = (f"Doorgestuurd door {sup} (melding {rng.choice(('CW', 'KL', 'NO', 'M'))}-"
                                 f"{d.day.year}-{rng.randrange(1000, 99999):05d}): consument klaagt over "
                                 f"{rng.choice(('hoge kosten', 'agressieve toon', 'onterechte vordering', 'geen specificatie'))}.")
            use = {"kvk": 0.55, "iban": 0.1, "site": 0.25, "mail": 0.08, "phone": 0.1, "address": 0.4}
        elif ch == "sociaal":
            core = self.core_garble(d, name, "social")
            roll = rng.random()
            if roll < 0.3:
                segments = [(rng.choice(("dat incassoburo van ", "die gasten van ", "incasso van ", "dat bureau ")), False),
                            (core, True)]
                d.notes.append("chat wording around the name")
            elif roll < 0.4 and " " in core:
                segments = [("@", False), (core.replace(" ", rng.choice(("_", "", "."))), True)]
                d.notes.append("social-media handle")
            else:
                segments = [(core, True)]
            f["omschrijving"] = rng.choice(("screenshot van whatsapp, emoji's weggelaten", "bericht op facebook",
                                            "dm op instagram, ze dreigen met beslag", "tiktok reactie doorgestuurd"))
            use = {"kvk": 0.0, "iban": 0.15, "site": 0.2, "mail": 0.05, "phone": 0.45, "address": 0.0}
        elif ch == "sms":
            if rng.random() < 0.75:
                words = strip_legal(name).split()
                own = [w for w in words if _plain(w) not in TRADE_WORDS and name_tokens(w).core
                       and not set(name_tokens(w).core) <= TRADE_WORDS]
                roll = rng.random()
                if roll < 0.6 and own:  # the firm's own word(s), as senders choose them
                    sender = "".join(own) + ("INC" if rng.random() < 0.3 else "")
                elif roll < 0.8 and len(words) > 1:
                    sender = words[-1] + words[0]
                else:
                    sender = "".join(words)
                sender = re.sub(r"[^A-Za-z0-9]", "", no_diacritics(sender)).upper()
                segments = [(sender, True)]
                width = 11
                d.notes.append("SMS sender id (11 characters)")
            f["omschrijving"] = (f"SMS: Uw dossier {rng.randrange(10000, 99999)} staat nog open. Betaal vandaag om "
                                 f"extra kosten te voorkomen.")
            use = {"kvk": 0.0, "iban": 0.1, "site": 0.3, "mail": 0.0, "phone": 0.7 if segments else 1.0, "address": 0.0}
        elif ch == "schuldhulp":
            core = self.core_garble(d, name, "counsellor")
            if any(ord(c) > 127 for c in core) and rng.random() < 0.2:
                core = mojibake(core)  # copied from a badly exported file
                d.notes.append("mojibake")
            form = pick(rng, (("alone", 45), ("namens", 14), ("inzake", 10), ("iov", 6), ("pa", 7), ("postbus", 9),
                              ("street", 9), ("hodn", 5 if other_names else 0),
                              ("both", 12 if collector is not None and len(collector.names) > 1 else 0)))
            if form == "postbus" and not ident.get("postbus"):
                form = "street" if ident.get("street") else "alone"
            if form == "street" and not ident.get("street"):
                form = "alone"
            segments = {
                "alone": [(core, True)],
                "namens": [(f"{creditor} namens ", False), (core, True)],
                "inzake": [(core, True), (f" inzake {creditor}", False)],
                "iov": [(core, True), (f" (i.o.v. {creditor})", False)],
                "pa": [(f"{creditor} p/a ", False), (core, True)],
                "postbus": [(core, True), (f" Postbus {ident['postbus'][0]} {ident['postbus'][1]} {ident['postbus'][2]}"
                                           if ident.get("postbus") else "", False)],
                "street": [(core, True), (f" {ident['street']} {ident['place']}", False)],
                "hodn": [(other_names[0] if other_names else "", True), (" h.o.d.n. ", False), (core, True)],
                "both": both_names(rng, collector) if collector is not None and len(collector.names) > 1 else [],
            }[form]
            if form == "hodn":
                d.notes.append("statutory and trade name, 'h.o.d.n.'")
            if form == "both":
                d.notes.append("both names of the collector")
            if form != "alone":
                d.notes.append(f"counsellor's wording: {form}")
            f["omschrijving"] = rng.choice((
                "Cliënt zit in budgetbeheer; incassokosten lijken te hoog.", "Minnelijk traject, schuldeiser reageert niet.",
                "Cliënt heeft een uitkering, beslagvrije voet niet gerespecteerd.", "WSNP-aanvraag loopt.",
                "Aanmaning zonder specificatie van de vordering.", "Brief overgetypt uit het dossier van cliënt."))
            use = {"kvk": 0.15, "iban": 0.25, "site": 0.15, "mail": 0.08, "phone": 0.2, "address": 0.45}
        elif ch == "rechtspraak":
            core = name
            if d.situation == "candidate_bailiff":
                clerk = f"{rng.choice('ABDEGHJKLMPRSTW')}. {surname(rng)}"
                segments = [(rng.choice(("kand. gerechtsdeurwaarder ", "toegevoegd kandidaat-gerechtsdeurwaarder ",
                                         "waarnemend gerechtsdeurwaarder ")) + clerk + ", namens ", False), (core, True)]
                d.notes.append("candidate bailiff named with the office")
            else:
                segments = [(core, True)]
            f["omschrijving"] = rng.choice((
                f"Dagvaarding kantonrechter, eiser {creditor}.", "Exploot van betekening ontvangen.",
                "Aankondiging beslag op loon.", f"Sommatie namens {creditor}, kosten betwist."))
            use = {"kvk": 0.12, "iban": 0.1, "site": 0.1, "mail": 0.02, "phone": 0.1, "address": 0.5}
        elif ch == "overheid":
            core = name
            if rng.random() < 0.5:
                core = expand_legal(core)
                if core != name:
                    d.notes.append("legal form written out")
            core = core.upper()
            roll = rng.random()
            if any(ord(c) > 127 for c in core):
                if roll < 0.45:
                    core = no_diacritics(core)
                    d.notes.append("diacritics lost")
                elif roll < 0.75:
                    core = mojibake(core)
                    d.notes.append("mojibake")
                else:
                    core = "".join(c if ord(c) < 128 else "?" for c in core)
                    d.notes.append("diacritics as '?'")
            if "IJ" in core and rng.random() < 0.5:
                core = ij_as_y(core)
                d.notes.append("IJ as Y")
            segments = [(core, True)]
            width = pick(rng, ((30, 45), (40, 30), (None, 25)))
            if width:
                d.notes.append(f"fixed-width field of {width}")
            f["omschrijving"] = (f"Export {rng.choice(MUNICIPAL_SYSTEMS)}: dossier {rng.randrange(100000, 999999)}, "
                                 f"regel {rng.randrange(1, 400)}")
            use = {"kvk": 0.3, "iban": 0.15, "site": 0.05, "mail": 0.0, "phone": 0.15, "address": 0.6}
        elif ch == "kvk":
            segments = [(name, True)]
            f["omschrijving"] = f"Uittreksel Handelsregister, SBI 82911 incassobureaus, opgevraagd {d.day:%d-%m-%Y}"
            use = {"kvk": 0.95, "iban": 0.0, "site": 0.2, "mail": 0.0, "phone": 0.05, "address": 0.9}
        elif ch == "anoniem":
            if rng.random() < 0.6:
                segments = [(name.lower() if rng.random() < 0.5 else strip_legal(name), True)]
            f["omschrijving"] = rng.choice(("Anonieme tip via het webformulier.", "Tip: bureau incasseert zonder registratie.",
                                            "Melder wil anoniem blijven."))
            use = {"kvk": 0.05, "iban": 0.2, "site": 0.5 if segments else 0.8, "mail": 0.1, "phone": 0.3, "address": 0.0}
        else:  # gesprek
            core = self.core_garble(d, name, "phone")
            if rng.random() < 0.25:
                segments = [(rng.choice(("een zekere ", "ene ", "")) + f"{rng.choice(GIVEN)} van ", False), (core, True)]
                d.notes.append("the caller's name in front")
            else:
                segments = [(core, True)]
            f["omschrijving"] = rng.choice(("Telefonische melding, consument werd gebeld.", "Beller noemde de naam zo.",
                                            "Melding via de telefoon, naam niet goed verstaan."))
            use = {"kvk": 0.02, "iban": 0.1, "site": 0.05, "mail": 0.02, "phone": 0.6, "address": 0.0}
        if use["kvk"] and (d.situation == "old_name" or "(old_name)" in d.notes[-1]):
            use["kvk"] = min(1.0, use["kvk"] + 0.25)  # the KvK number in the footer outlives the name
        if collector is not None and collector.kind == "clone":
            # people who doubt a letter send what it asks them to pay to
            use = {k: min(1.0, v + {"iban": 0.35, "site": 0.2, "kvk": 0.15, "phone": 0.1}.get(k, 0.0)) if v else 0.0
                   for k, v in use.items()}
        text, cores = compose(segments, width) if segments else ("", [])
        f["naam_incassant"] = text
        d.cores = cores
        self.identifiers(d, ident, use)

    def render_person(self, d: Draft, o: Office, ident: dict) -> None:
        rng = self.rng
        s = rng.choice(o.partners)
        initials = rng.choice(("J.", "P.", "A.M.", "H.", "C.J.", "M.", "R.", "E.", "W.F."))
        place = o.place
        if o.branches and rng.random() < 0.3:
            place = rng.choice(o.branches)
        if o.profession == "gerechtsdeurwaarder":
            d.situation = "bailiff_person"
            text = pick(rng, ((f"mr. {initials} {s}, gerechtsdeurwaarder", 30), (f"Gerechtsdeurwaarder {initials} {s}", 25),
                              (f"{initials} {s}, toegevoegd gerechtsdeurwaarder", 15),
                              (f"{initials} {s} (gerechtsdeurwaarder te {place})", 15),
                              (f"gerechtsdeurwaarder {s}", 15)))
        else:
            d.situation = "lawyer_person"
            text = pick(rng, ((f"mr. {initials} {s}, advocaat", 35), (f"mr. drs. {initials} {s} (advocaat)", 15),
                              (f"Advocaat mr. {initials} {s}", 20), (f"{initials} {s}, advocaat te {place}", 15),
                              (f"mr. {s} advocaat", 15)))
        given_place = place if f" te {place}" in text else None
        f = d.fields
        f["bron"] = "overig" if d.channel == "rechtspraak" else ("schuldhulpverlener" if d.channel == "schuldhulp"
                                                                 else "consument")
        f["naam_incassant"] = text
        if rng.random() < 0.6:
            f["plaats"] = place
            given_place = place
        f["omschrijving"] = rng.choice(("Exploot betekend, kosten lijken te hoog.", "Brief op briefpapier van kantoor.",
                                        "Dagvaarding namens schuldeiser.", "Aanmaning met dreiging van beslag."))
        d.person = (s, o.profession, given_place)
        d.notes.append(f"named as a person: '{text}'" + (f", place {given_place}" if given_place else ""))
        self.identifiers(d, ident, {"kvk": 0.08, "iban": 0.1, "site": 0.08, "mail": 0.02, "phone": 0.1, "address": 0.0})

    def identifiers(self, d: Draft, ident: dict, use: dict[str, float]) -> None:
        rng = self.rng
        f = d.fields
        if ident["kvk"] and rng.random() < use["kvk"]:
            f["kvk_nummer"] = render_kvk(rng, ident["kvk"], ident["vest"])
            d.notes.append(f"KvK written '{f['kvk_nummer']}'")
        if "iban" not in f and ident["ibans"] and rng.random() < use["iban"]:
            f["iban"], note = render_iban(rng, rng.choice(ident["ibans"]))
            if note:
                d.notes.append(note)
        if ident["websites"] and rng.random() < use["site"]:
            f["website"] = render_site(rng, rng.choice(ident["websites"]))
        if ident["emails"] and rng.random() < use["mail"]:
            mail = rng.choice(ident["emails"])
            f["email"] = mail if rng.random() < 0.8 else mail.capitalize()
        if ident["phones"] and rng.random() < use["phone"]:
            f["telefoon"] = render_phone(rng, rng.choice(ident["phones"]))
        if rng.random() < use["address"]:
            if ident.get("postbus") and rng.random() < 0.4:
                f["postcode"], f["plaats"] = ident["postbus"][1], ident["postbus"][2]
            elif ident.get("postcode"):
                f["postcode"], f["plaats"] = ident["postcode"], ident["place"] or ""
            elif ident.get("place"):
                f["plaats"] = ident["place"]
            if d.channel == "overheid":
                f["postcode"] = f.get("postcode", "").replace(" ", "")
                f["plaats"] = f.get("plaats", "").upper()
        if not f.get("naam_incassant") and not any(f.get(c) for c in ("kvk_nummer", "iban", "website", "email",
                                                                      "telefoon")):
            # a signal needs a name or an identifier: the sender wrote down what they had
            if ident["phones"]:
                f["telefoon"] = render_phone(rng, ident["phones"][0])
            elif ident["websites"]:
                f["website"] = render_site(rng, ident["websites"][0])
            elif ident["ibans"]:
                f["iban"], _ = render_iban(rng, ident["ibans"][0], typo=0.0)

    def finish(self, d: Draft) -> None:
        """Dates, amounts; the identifiers as the guard reads them."""
        rng = self.rng
        f = d.fields
        has_letter = {"brief": 0.9, "bank": 0.95, "toezicht": 0.6, "sociaal": 0.5, "sms": 0.85, "schuldhulp": 0.85,
                      "rechtspraak": 0.95, "overheid": 0.7, "kvk": 0.0, "anoniem": 0.2, "gesprek": 0.8}[d.channel]
        lag = {"toezicht": (20, 150), "overheid": (30, 200), "schuldhulp": (10, 120)}.get(d.channel, (1, 60))
        if rng.random() < has_letter:
            received = d.day + days(rng.randrange(*lag))
            if received > FINAL_SNAPSHOT:  # the file was put together on 1 December 2026
                received = rand_date(rng, d.day, FINAL_SNAPSHOT)
            dutch = d.channel in ("brief", "sociaal", "gesprek", "schuldhulp") and rng.random() < 0.5
            f["datum_brief"] = d.day.strftime("%d-%m-%Y") if dutch else d.day.isoformat()
            f["ontvangen_op"] = received.strftime("%d-%m-%Y") if dutch else received.isoformat()
        else:
            f["ontvangen_op"] = d.day.isoformat()
        if d.channel in ("brief", "schuldhulp", "toezicht", "rechtspraak", "overheid", "gesprek") and rng.random() < 0.7:
            principal = round(min(max(rng.lognormvariate(5.2, 0.9), 15), 15000), 2)
            if rng.random() < 0.7:
                costs = max(40.0, round(0.15 * min(principal, 2500) + 0.1 * max(0, min(principal, 5000) - 2500), 2))
            else:
                costs = round(max(40.0, 0.15 * principal) * rng.uniform(1.4, 3.0), 2)
            f["hoofdsom"] = money(rng, principal)
            f["incassokosten"] = money(rng, costs)
        d.gids = identifiers_of(f)


def money(rng: Random, amount: float) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    style = rng.random()
    if style < 0.55:
        grouped = f"{int(whole):,}".replace(",", ".")
        return f"{grouped},{cents}"
    if style < 0.85:
        return f"{whole}.{cents}"
    return f"€ {whole},{cents}"


# =========================================================================================================
# The guard

class Guard:
    def __init__(self, builder: Builder):
        self.b = builder
        self.reader = builder.reader
        self.entity = {e.key: e for e in builder.entities}
        self.family_members: dict[str, list[str]] = defaultdict(list)
        for e in builder.entities:
            self.family_members[e.family].append(e.key)

    def outcome(self, party: str) -> str:
        return "U?" if party == "U:?" else self.reader.outcome[party]

    def read(self, d: Draft, corpus: dict[tuple[str, str], set[str]]) -> tuple[set[str] | None, str, dict]:
        reader = self.reader
        owners = [reader.listed_ids.get(k) or corpus.get(k) for k in d.gids]
        id_parties: set[str] = set().union(*[o for o in owners if o]) if any(owners) else set()
        if len({self.outcome(p) for p in id_parties}) > 1:
            return None, "identifiers point to different parties", {}
        name_sets: list[set[str]] = []
        level = 0
        vids: dict[str, set[int]] = defaultdict(set)
        for core in d.cores:
            lv, found = reader.fits(core)
            if found:
                name_sets.append(set(found))
                level = max(level, lv)
                for p, v in found.items():
                    vids[p] |= v
        if d.person:
            found = reader.person_fits(*d.person)
            if found:
                name_sets.append(set(found))
                level = max(level, PARTIAL)
                for p, v in found.items():
                    vids[p] |= v
        r_name: set[str] = set.intersection(*name_sets) if name_sets else set()
        if name_sets and not r_name:
            return None, "the names point to different parties", {}
        kvk = next((k for k in d.gids if k[0] == "kvk"), None)
        unknown_kvk = kvk is not None and kvk not in reader.listed_ids
        if unknown_kvk:
            r_name = {p for p in r_name if p not in reader.kvk_known}
        if id_parties:
            if unknown_kvk and any(p in reader.kvk_known for p in id_parties):
                return None, "a KvK number in neither list beside a listed firm's identifiers", {}
            both = r_name & id_parties
            if both:
                reading = both
            elif r_name and level == EXACT and not ({self.outcome(p) for p in r_name}
                                                    & {self.outcome(p) for p in id_parties}):
                return None, "the name and an identifier point to different parties", {}
            else:
                reading = id_parties
        elif r_name:
            reading = r_name
        elif any(reader.substantive(core) and not reader.overlaps_listed(core)
                 for core in (name_tokens(c).core for c in d.cores)):
            reading = {"U:?"}  # a name found in neither list, nor like any name in them
        else:
            return None, "too little to tell who it is", {}
        if len({self.outcome(p) for p in reading}) > 1:
            return None, "the evidence fits parties with different outcomes", {}
        return reading, "", vids

    def judge(self, d: Draft, reading: set[str]) -> tuple[str, tuple[str, ...]]:
        """'' and the registration numbers when the reading is the truth, else the reason it is not."""
        outcome = self.outcome(next(iter(reading)))
        if d.party.startswith("X:"):
            return ("", ()) if outcome == "X" else ("read as another party than the exempt office", ())
        if d.party.startswith("U:"):
            return ("", ()) if outcome in ("U?", d.collector) else ("read as another party than the collector", ())
        e = self.entity[d.party]
        if outcome != e.family:
            return "read as another party than the registered firm", ()
        members = sorted(p for p in reading if p.startswith("E:"))
        if d.party not in members:
            return "read as another company of the group", ()
        valid = {m: [r for r in self.entity[m].regs if r.valid_on(d.day)] for m in members}
        if len({bool(v) for v in valid.values()}) > 1:
            return "the companies read differ in validity on the date", ()
        if valid[d.party]:
            numbers = sorted(r.number for m in members for r in valid[m])
            verdict = "geregistreerd"
        else:
            regs = sorted((r for m in members for r in self.entity[m].regs), key=lambda r: (r.distance(d.day), r.number))
            numbers = [r.number for r in regs]
            verdict = "registratie_niet_geldig"
        if verdict != d.verdict or d.number not in numbers:
            return "the reading gives another verdict", ()
        return "", (d.number, *[x for x in numbers if x != d.number])

    def run(self, drafts: list[Draft]) -> tuple[dict[int, tuple[str, ...]], Counter]:
        dropped: Counter = Counter()
        self.why: dict[int, str] = {}
        # pass 1: the lists alone
        first: set[int] = set()
        for d in drafts:
            reading, why, _ = self.read(d, {})
            if reading is not None and not self.judge(d, reading)[0] and d.party.startswith("U:"):
                first.add(d.n)
        corpus: dict[tuple[str, str], set[str]] = defaultdict(set)
        for d in drafts:
            if d.n in first:
                for k in d.gids:
                    if k not in self.reader.listed_ids:
                        corpus[k].add(d.party)
        corpus = {k: v for k, v in corpus.items() if len(v) == 1}
        # pass 2: with what the first pass showed about unregistered collectors
        kept: dict[int, tuple[str, ...]] = {}
        names_of: dict[int, set[int]] = {}
        for d in drafts:
            reading, why, vids = self.read(d, corpus)
            if reading is None:
                dropped[why] += 1
                self.why[d.n] = why
                continue
            why, numbers = self.judge(d, reading)
            if why:
                dropped[why] += 1
                self.why[d.n] = f"{why}: read {sorted(reading)}"
                continue
            kept[d.n] = numbers
            names_of[d.n] = vids.get(d.party, set())
        # one collector, one group: keep the largest linked part of each collector's signals
        parent: dict[object, object] = {}

        def find(x: object) -> object:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        by_collector: dict[str, list[Draft]] = defaultdict(list)
        for d in drafts:
            if d.n in kept and d.party.startswith("U:"):
                by_collector[d.party].append(d)
                nodes = [("s", d.n), *[("i", k) for k in d.gids], *[("v", v) for v in sorted(names_of[d.n])]]
                for node in nodes[1:]:
                    parent[find(node)] = find(nodes[0])
        for _party, items in by_collector.items():
            parts: dict[object, list[Draft]] = defaultdict(list)
            for d in items:
                parts[find(("s", d.n))].append(d)
            if len(parts) > 1:
                best = max(parts.values(), key=lambda ds: (len(ds), -ds[0].n))
                for ds in parts.values():
                    if ds is not best:
                        for d in ds:
                            del kept[d.n]
                            dropped["not linkable to the collector's other signals"] += 1
                            self.why[d.n] = "not linkable"
        return kept, dropped


# =========================================================================================================
# Files

def to_csv(rows: list[dict[str, str]], columns: tuple[str, ...], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def snapshot_dates(mirror_start: date) -> list[date]:
    out = [mirror_start]
    day = date(mirror_start.year + (mirror_start.month == 12), mirror_start.month % 12 + 1, 1)
    while day <= FINAL_SNAPSHOT:
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def register_snapshot(b: Builder, day: date) -> bytes:
    regs = sorted((r for e in b.entities for r in e.regs if r.visible <= day), key=lambda r: r.number)
    return to_csv([b.register_row(r, day) for r in regs], REGISTER_COLUMNS)


def exempt_snapshot(b: Builder, day: date) -> bytes:
    rows = []
    for o in b.offices:
        if o.listed_from <= day:
            for naam, kvk, plaats in o.rows:
                rows.append({"naam": naam, "kvk_nummer": kvk, "beroep": o.profession, "plaats": plaats,
                             "website": o.website if o.website and o.website_listed else ""})
    return to_csv(rows, EXEMPT_COLUMNS)


# =========================================================================================================
# Entry point

def generate(seed: int = 1, mirror_start: date = LATE_MIRROR, *, registrations: int = 1500, exempt: int = 300,
             collectors: int = 260, signals: int = 4200) -> World:
    """World D for ``seed``; only the snapshots depend on ``mirror_start``."""
    b = Builder(seed, registrations, exempt, collectors, signals)
    b.build_exempt()
    b.build_register()
    b.build_collectors()
    writer = SignalWriter(b)
    drafts = writer.write_all()
    guard = Guard(b)
    kept, dropped = guard.run(drafts)

    # references as the desk numbers them, in the order the file lists the signals
    order = list(range(len(drafts)))
    b.rng("order").shuffle(order)
    prefixes = {"brief": "MLD", "bank": "MLD", "sociaal": "MLD", "sms": "MLD", "gesprek": "TEL", "anoniem": "ANO",
                "toezicht": "TZH", "schuldhulp": "SHV", "rechtspraak": "OVR", "overheid": "GEM", "kvk": "KVK"}
    counters: Counter = Counter()
    rows: list[dict[str, str]] = []
    truth: dict[str, Truth] = {}
    kinds: Counter = Counter()
    for i in order:
        d = drafts[i]
        if d.n not in kept:
            continue
        prefix = prefixes[d.channel]
        counters[prefix] += 1
        ref = f"{prefix}-D{seed}-{counters[prefix]:05d}"
        row = {"referentie": ref, **d.fields}
        rows.append(row)
        kind = f"{d.channel}:{d.situation}"
        kinds[kind] += 1
        numbers = kept[d.n] if d.verdict in ("geregistreerd", "registratie_niet_geldig") else ()
        truth[ref] = Truth(d.verdict, numbers, d.collector if d.verdict == "niet_geregistreerd" else None, kind,
                           "; ".join(d.notes))
    signals_csv = to_csv(rows, SIGNAL_COLUMNS, delimiter=";", bom=True)

    register_snapshots: list[tuple[date, bytes]] = []
    exempt_snapshots: list[tuple[date, bytes]] = []
    for day in snapshot_dates(mirror_start):
        data = register_snapshot(b, day)
        if not register_snapshots or register_snapshots[-1][1] != data:
            register_snapshots.append((day, data))
        data = exempt_snapshot(b, day)
        if not exempt_snapshots or exempt_snapshots[-1][1] != data:
            exempt_snapshots.append((day, data))
    sizes = {
        "registrations": sum(len(e.regs) for e in b.entities),
        "exempt": sum(len(o.rows) for o in b.offices),
        "collectors": len(b.collectors),
        "signals": len(drafts),
    }
    examples = [(guard.why[d.n], f"{d.channel}:{d.situation}", d.party, d.fields.get("naam_incassant", ""), d.cores,
                 d.person, d.gids, "; ".join(d.notes)) for d in drafts if d.n in guard.why]
    return World(seed, mirror_start, register_snapshots, exempt_snapshots, signals_csv, truth,
                 dict(sorted(dropped.items())), sizes, dict(sorted(kinds.items())), examples)


if __name__ == "__main__":  # a quick look: .venv/bin/python bench/evalset_letters.py [seed]
    import sys
    import time

    t0 = time.perf_counter()
    w = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(f"generated in {time.perf_counter() - t0:.1f} s: {w.sizes}, kept {len(w.truth)}, dropped {w.dropped_total}")
    print("verdicts:", dict(Counter(t.verdict for t in w.truth.values())))
    print("dropped:", w.dropped)
    by_channel: Counter = Counter()
    by_situation: Counter = Counter()
    for k, v in w.kinds.items():
        by_channel[k.split(":")[0]] += v
        by_situation[k.split(":")[1]] += v
    print("channels:", dict(by_channel.most_common()))
    print("situations:", dict(by_situation.most_common()))
