"""Evaluation world C: Dutch organisations and people writing about debt collectors, each with its habits.

An independent, labelled world for the signal matcher, written from how the Netherlands writes about
collectors, not from the matcher's rules (author C; the other generators and the matcher were not read).

The world
---------
- A register of ~1,500 registrations (register.md), dated from the Wki's start (a handful on 2024-04-01,
  a rush before the 2025-04-01 deadline, a trickle after). Names as Dutch firms are named: a surname with
  a business word ("Bakker Incasso B.V.", "Incassobureau De Vries"), two partners ("Mulder & Bos
  Incasso"), "& Zn", "Gebr.", a person's one-man business ("Incassobureau Jan Hoekstra"), made-up
  compounds ("Noordkaap", "Zuiderlicht") and coined brands ("Credivo"), places and regions
  ("Incassobureau Twente"), administration offices and legal-service firms that also collect,
  coöperaties (U.A.), acronym trade names ("NKI Collect"), holdings that trade under another name
  ("Visser Beheer B.V." h.o.d.n. "Kramer Incasso"), groups with several registrations (each its own
  KvK number, often one group website), firms that changed their name (letters before the change carry
  the old one), firms that let a registration lapse and registered again under a new number (same KvK),
  registrations struck off (some with a strike-off dated back before the snapshot that first showed it)
  or lapsed a year after registration. Identifiers: KvK (some old numbers with a leading zero),
  vestigingsnummer, websites, e-mail (own domain; some one-man firms at free mail), phones by area code,
  IBANs (NL and a few foreign, all mod-97 valid) and accounts the Inspectie does not know.
- ~300 exempt offices: bailiffs (gerechtsdeurwaarders; several firms with offices in several places,
  each office an entry) and lawyers (advocaten). Their partners are people a letter may name
  ("mr. J. de Vries, gerechtsdeurwaarder").
- ~260 unregistered collectors: plain invented firms, one-man businesses, foreign outfits (Ltd, GmbH,
  UAB, foreign IBANs and phones), website-only operations, firms posing as bailiffs, firms whose name
  resembles a registered or exempt one but differs in a word a careful reader does not skip ("Bakker
  Juridisch Incasso" beside registered "Bakker Incasso"; "Noordkamp" beside "Noordkaap"), firms sharing
  a surname with registered and exempt ones, and clones (a registered agency's name with their own KvK
  number, IBANs and look-alike website). Some use several names, several IBANs; 1-20 signals each.
- Surnames and places are shared on purpose: registered "Bakker Incasso", exempt "Bakker Advocaten",
  unregistered "Bakker Juridisch Incasso"; look-alike surnames (Jansen/Janssen, Mol/Moll, Bos/Bosch).

The writers and their habits (one ``bron`` each)
-----------------------------------------------
- consument: phone dictation and web forms: lower case or as heard, phonetic spellings (ij/y, ei/ij,
  ou/au, c/k, ph/f, dt/t, sch/s), legal form left out, first names of callers, typos, "het
  incassobureau van ...", the phone number that called, free-mail addresses of small collectors.
- schuldhulpverlener: notes from a case file: "ivm vordering van Vattenfall via X", "X namens Eneco",
  "t.a.v.", "p/a", "i.o.v.", abbreviations (BV, vof, & zn, gebr.), the IBAN from the letter, amounts.
- gemeente: exports of a case system: CAPITALS, fields cut at 30-40 characters, "INCASSOBUREAU X BV",
  "X B.V. (INCASSO)", postcode and plaats of the collector, ISO dates.
- toezichthouder: formal legal names, "h.o.d.n." constructions, spelt-out legal forms, KvK numbers.
- anoniem: a website or phone number only, a half-remembered name ("iets met noordkaap").
- overig: letters scanned and read by OCR (rn/m, l/1, O/0, broken and joined words, "Incasso-bureau").
- kvk: rows of a KvK extract of firms with SBI 8291 (legal name, KvK number, address).
Identifiers are written every which way (KvK with prefixes, dots, spaces, without its leading zero or as
a 12-digit vestigingsnummer; IBANs spaced, lower case, mistyped; websites with scheme, www, paths and
queries; phones in every notation). The file is one bulk import as Dutch Excel saves it: semicolons,
decimal commas, DD-MM-JJJJ or ISO dates, UTF-8 with BOM (even seeds) or Windows-1252 (odd seeds).

Labelling policy (the truth)
----------------------------
Every signal has a true party and the label a careful inspector would give with the register (every
snapshot the mirror holds, in both settings) and the exempt list at hand: a registration is valid on the
reference date D (datum_brief, else ontvangen_op) when datum_inschrijving <= D < datum_einde, using the
dates as the register states them now (a strike-off dated back counts from its date). A firm that
registered again is judged by the registration valid on D. ``registratienummers`` lists the true
registration first, then any registration the written evidence fits as well with the same verdict
(two registrations of one group, a lapsed and a new registration of one firm). Exempt parties are
``vrijgesteld``; unregistered collectors and clones ``niet_geregistreerd`` with a stable collector id.

The ambiguity guard (own; what it drops is counted in ``World.dropped``)
----------------------------------------------------------------------
Every signal is written first and judged after, by the guard, against every party of the world (all
names any snapshot ever showed, the exempt list, and the collectors' own names); it is emitted only if
a careful reader could decide it. How the guard reads a name: legal forms, titles, tussenvoegsels,
clutter (t.a.v., namens, ivm, p/a, Retour:), creditors' names and a cut-off last word are removed;
scanner digits in words are read back (0 -> o, 1 -> l); business words (also misspelt) become families
(collection, credit management, legal, administration, holding, partners, bailiffs, lawyers) and the
rest are the distinctive words. Likeness (0-100) is the string likeness of the distinctive words (as
written and sorted, spaces ignored), with initials matched to given names, the party's own place
ignored and a partner of a bailiffs' or lawyers' office named as a person counted as 88, less penalties
for families one side has and the other lacks (collection and credit management count as near
synonyms; bailiffs and lawyers weigh most). Identifiers (KvK, vestigingsnummer, IBAN with a valid
checksum, website domain, own-domain or full e-mail address, phone) belong to the parties that list
them (registrations, exempt offices) or use them (collectors). A signal is dropped when:
1. an identifier in it belongs to another party (one group's or one firm's shared identifiers excepted);
2. it has no identifier of its party and its name is under 82 alike, or only a surname, given name or
   place without a business word ("bakker"), or names a registration only by a name the 2026-11-01
   register no longer lists (old names and dropped trade names always come with an identifier);
3. another party comes within 6 points of the name and is not ruled out: by a KvK number written in the
   signal that is not its own, or (for a registered or exempt true party) by an identifier of the true
   party it does not list. A registration with the same verdict within 2 points is named as well
   (``registratienummers``), one that fits more than 2 points better drops the signal; exempt offices
   near each other do not (same verdict); collectors near each other need the collector's identifier;
4. a name points to a party the identifier rules out (90 or more) while hardly resembling the true
   party (under 75) - except clones, whose KvK number is the point;
5. (collectors) two collectors' signals would be linked by nearly the same name (85); signals of one
   collector that share no identifier or near name (85) with the others get one of its identifiers
   added, and are dropped when that cannot be done.
Slots whose every attempt was dropped are counted as ``gave_up:<kind>``.

Run ``python bench/evalset_habits.py --seed 1 --mirror-start 2026-11-01 --dump DIR`` to look at a world.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import time
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

WINDOW_START = date(2025, 4, 1)
WINDOW_END = date(2026, 11, 30)
WKI_START = date(2024, 4, 1)
LAST_REGISTRATION = date(2026, 11, 25)
LATE_SNAPSHOT = date(2026, 11, 29)


@dataclass(frozen=True)
class Truth:
    verdict: str  # geregistreerd | registratie_niet_geldig | vrijgesteld | niet_geregistreerd
    registratienummers: tuple[str, ...] = ()
    collector: str | None = None
    kind: str = ""
    detail: str = ""


@dataclass
class World:
    name: str
    seed: int
    mirror_start: date
    register_snapshots: list[tuple[date, bytes]]
    exempt_snapshots: list[tuple[date, bytes]]
    signals_csv: bytes
    truth: dict[str, Truth]
    dropped: dict[str, int] = field(default_factory=dict)  # the ambiguity guard: reason -> attempts dropped
    encoding: str = "utf-8-sig"

    def kind_counts(self) -> dict[str, int]:
        counts = Counter(t.kind for t in self.truth.values())
        return dict(sorted(counts.items()))

    def verdict_counts(self) -> dict[str, int]:
        counts = Counter(t.verdict for t in self.truth.values())
        return dict(sorted(counts.items()))


# ------------------------------------------------------------------------------------------------
# Vocabularies (written for this world)
# ------------------------------------------------------------------------------------------------

# (tussenvoegsel, surname)
SURNAMES: list[tuple[str, str]] = [
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"),
    ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"),
    ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"),
    ("de", "Bruin"), ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"),
    ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("", "Peeters"),
    ("de", "Jonge"), ("", "Kuipers"), ("van", "Veen"), ("", "Post"), ("", "Veenstra"), ("", "Kramer"),
    ("van den", "Brink"), ("", "Scholten"), ("van", "Wijk"), ("", "Postma"), ("", "Martens"), ("", "Vink"),
    ("de", "Ruiter"), ("", "Timmermans"), ("", "Groen"), ("", "Gerritsen"), ("", "Jonker"), ("van", "Loon"),
    ("van der", "Velde"), ("", "Willemsen"), ("", "Smeets"), ("de", "Lange"), ("", "Bosch"),
    ("van", "Dongen"), ("", "Schipper"), ("de", "Koning"), ("van der", "Laan"), ("", "Driessen"),
    ("van", "Doorn"), ("", "Hermans"), ("", "Evers"), ("van den", "Bosch"), ("van der", "Meulen"),
    ("", "Hofman"), ("", "Bosman"), ("", "Wolters"), ("", "Sanders"), ("van der", "Horst"), ("", "Mol"),
    ("", "Kuijpers"), ("", "Molenaar"), ("van de", "Pol"), ("de", "Leeuw"), ("", "Verbeek"), ("", "Daniëls"),
    ("", "Ariëns"), ("", "Michiëls"), ("", "Hoogendoorn"), ("", "Wouters"), ("", "Moll"), ("", "Zwart"),
    ("", "Teunissen"), ("", "Claassen"), ("", "Klaassen"), ("van", "Beemen"), ("", "Kaya"), ("", "Yilmaz"),
    ("el", "Amrani"), ("", "Bouzid"), ("", "Öztürk"), ("", "Nguyen"), ("", "Pinas"), ("", "Wijnands"),
    ("", "Reijnders"), ("", "Paauw"), ("", "Bouwman"), ("", "Brandt"), ("", "Philipsen"), ("", "Cornelissen"),
    ("", "Schreurs"), ("van", "Rijn"), ("", "Hoekman"), ("ter", "Horst"), ("ten", "Brink"), ("in 't", "Veld"),
    ("van 't", "Hof"), ("", "Heijnen"), ("", "Kooistra"), ("", "Steenbergen"), ("van", "Os"), ("", "Oosterhuis"),
    ("", "Rietveld"), ("", "Zijlstra"), ("", "Bakkenes"), ("", "Lammers"), ("", "Rutten"), ("", "Gijsbers"),
    ("", "Hendrikx"), ("", "Meyer"), ("", "Pauwels"), ("", "Schoenmaker"), ("", "Kuiper"), ("", "Leenders"),
    ("", "Boersma"), ("", "Bouma"), ("", "Wiersma"), ("", "Visscher"), ("", "Kroon"), ("", "Lubbers"), ("", "Nijhuis"),
    ("", "Oosterveld"), ("", "Pijnenburg"), ("", "Roelofs"), ("", "Stam"), ("", "Tromp"), ("", "Verschuren"),
    ("", "Wagenaar"), ("", "Westra"), ("", "Zandstra"), ("", "Achterberg"), ("", "Beekman"), ("", "Bergsma"),
    ("", "Bleeker"), ("", "Bruggeman"), ("", "Dijkman"), ("", "Eijkelboom"), ("", "Engels"), ("", "Fokkema"),
    ("", "Geurts"), ("", "Haverkamp"), ("", "Heemskerk"), ("", "Hofstede"), ("", "Hoogland"), ("", "Jongsma"),
    ("", "Keizer"), ("", "Koopmans"), ("", "Kremer"), ("", "Kruijt"), ("", "Lambregts"), ("", "Langeveld"),
    ("", "Luijten"), ("", "Meulenbelt"), ("", "Mooij"), ("", "Nieuwenhuis"), ("", "Noordhoek"), ("", "Ooms"),
    ("", "Overbeek"), ("", "Poortman"), ("", "Raaijmakers"), ("", "Rademaker"), ("", "Roos"), ("", "Schaap"),
    ("", "Sluiter"), ("", "Spijker"), ("", "Stegeman"), ("", "Terpstra"), ("", "Tijssen"), ("", "Valk"),
    ("", "Verweij"), ("", "Vonk"), ("", "Weijers"), ("", "Wesselink"), ("", "Zeegers"), ("", "Zuidema"),
    ("", "Beerens"), ("", "Coenen"), ("", "Dirksen"), ("", "Franssen"), ("", "Gielen"), ("", "Jeurissen"),
    ("", "Kerkhof"), ("", "Leijten"), ("", "Manders"), ("", "Nelissen"), ("", "Rooijakkers"), ("", "Slegers"),
    ("", "Thijssen"), ("", "Verheijen"), ("", "Wijnen"), ("van", "Gils"), ("van", "Hulst"), ("van", "Ommen"),
    ("van der", "Sluis"), ("van der", "Pluijm"), ("de", "Kruijf"), ("de", "Ridder"), ("de", "Wolf"),
    ("van", "Essen"), ("van", "Rooij"), ("van", "Schaik"), ("ter", "Haar"), ("ten", "Hove"), ("op den", "Kamp"),
]
# Surnames only unregistered one-man collectors carry (so that they are not everybody's surname).
RARE_SURNAMES = ["Pieters", "Hoefnagels", "Verstappen", "Kuijt", "Lindeman", "Vugts", "Bastiaans", "Kolkman",
                 "Tuinman", "Wevers", "Damen", "Buitenhuis", "Snijders", "Ploeg", "Hakkert", "Verbruggen",
                 "Doornbos", "Hogenboom", "Kamphuis", "Lodewijks", "Mertens", "Nijboer", "Overdijk", "Quist",
                 "Riemersma", "Stoffels", "Tielemans", "Uiterwijk", "Veldkamp", "Wijffels", "Yildiz", "Zomers",
                 "Aydin", "Benali", "Çelik", "Demir", "Haddou", "Ramdin", "Soekhoe", "Tahiri"]
COMMON_SURNAMES = {"Jong", "Jansen", "Vries", "Berg", "Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
                   "Boer", "Mulder", "Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer"}
# Pairs a careful reader keeps apart only with help: spelled alike, different people.
LOOKALIKE_SURNAMES = [("Jansen", "Janssen"), ("Mol", "Moll"), ("Bos", "Bosch"), ("Bruijn", "Bruin"),
                      ("Smit", "Smits"), ("Peters", "Peeters"), ("Kuipers", "Kuijpers"), ("Klaassen", "Claassen"),
                      ("Meijer", "Meyer"), ("Hendriks", "Hendrikx"), ("Jong", "Jonge"), ("Wolters", "Wouters")]
GIVEN_NAMES = ["Jan", "Pieter", "Kees", "Henk", "Gert", "Johan", "Willem", "Marco", "Mark", "Erik", "Dennis",
               "Sander", "Bas", "Ruud", "Hans", "Frank", "Martin", "Ronald", "Robert", "Sandra", "Monique",
               "Linda", "Ingrid", "Petra", "Anouk", "Sanne", "Marieke", "Esther", "Ilse", "Mohamed", "Ahmed",
               "Fatima", "Mehmet", "Emre", "Anna", "Daan", "Thijs", "Joost", "Maarten", "Wim", "Gerrit", "Karin"]

# (place, postcode from, postcode to, area code, region, weight)
PLACES: list[tuple[str, int, int, str, str, int]] = [
    ("Amsterdam", 1011, 1109, "020", "Noord-Holland", 10), ("Rotterdam", 3011, 3089, "010", "Rijnmond", 8),
    ("Den Haag", 2491, 2597, "070", "Haaglanden", 6), ("Utrecht", 3511, 3585, "030", "Midden-Nederland", 5),
    ("Eindhoven", 5611, 5658, "040", "Brabant", 4), ("Groningen", 9711, 9747, "050", "Noord-Nederland", 3),
    ("Tilburg", 5011, 5049, "013", "Brabant", 3), ("Almere", 1311, 1363, "036", "Flevoland", 3),
    ("Breda", 4811, 4841, "076", "Brabant", 3), ("Nijmegen", 6511, 6546, "024", "Gelderland", 3),
    ("Apeldoorn", 7311, 7337, "055", "Veluwe", 2), ("Haarlem", 2011, 2037, "023", "Kennemerland", 2),
    ("Arnhem", 6811, 6846, "026", "Gelderland", 2), ("Enschede", 7511, 7548, "053", "Twente", 2),
    ("Amersfoort", 3811, 3829, "033", "Midden-Nederland", 2), ("Zaandam", 1501, 1509, "075", "Noord-Holland", 1),
    ("'s-Hertogenbosch", 5211, 5236, "073", "Brabant", 2), ("Zwolle", 8011, 8043, "038", "Overijssel", 2),
    ("Leiden", 2311, 2334, "071", "Holland", 1), ("Maastricht", 6211, 6229, "043", "Limburg", 2),
    ("Dordrecht", 3311, 3329, "078", "Drechtsteden", 1), ("Leeuwarden", 8911, 8941, "058", "Friesland", 1),
    ("Alkmaar", 1811, 1829, "072", "Noord-Holland", 1), ("Emmen", 7811, 7833, "0591", "Drenthe", 1),
    ("Deventer", 7411, 7431, "0570", "Overijssel", 1), ("Delft", 2611, 2629, "015", "Haaglanden", 1),
    ("Venlo", 5911, 5928, "077", "Limburg", 1), ("Helmond", 5701, 5709, "0492", "Brabant", 1),
    ("Hilversum", 1211, 1223, "035", "Gooi", 1), ("Heerlen", 6411, 6422, "045", "Limburg", 1),
    ("Assen", 9401, 9409, "0592", "Drenthe", 1), ("Gouda", 2801, 2809, "0182", "Holland", 1),
    ("Middelburg", 4331, 4339, "0118", "Zeeland", 1), ("Roosendaal", 4701, 4709, "0165", "Brabant", 1),
    ("Bergen op Zoom", 4611, 4625, "0164", "Brabant", 1), ("Oss", 5341, 5351, "0412", "Brabant", 1),
    ("Hoorn", 1621, 1628, "0229", "Westfriesland", 1), ("Purmerend", 1441, 1448, "0299", "Noord-Holland", 1),
    ("Zoetermeer", 2711, 2729, "079", "Haaglanden", 1), ("Lelystad", 8211, 8245, "0320", "Flevoland", 1),
    ("Veenendaal", 3901, 3909, "0318", "Midden-Nederland", 1), ("Ede", 6711, 6718, "0318", "Veluwe", 1),
    ("Capelle aan den IJssel", 2901, 2909, "010", "Rijnmond", 1), ("Nieuwegein", 3431, 3439, "030", "Midden-Nederland", 1),
    ("Den Helder", 1781, 1789, "0223", "Noord-Holland", 1), ("Sittard", 6131, 6137, "046", "Limburg", 1),
    ("Doetinchem", 7001, 7009, "0314", "Achterhoek", 1), ("Harderwijk", 3841, 3849, "0341", "Veluwe", 1),
    ("Zutphen", 7201, 7206, "0575", "Achterhoek", 1), ("Terneuzen", 4531, 4538, "0115", "Zeeland", 1),
    ("Drachten", 9201, 9207, "0512", "Friesland", 1), ("Sneek", 8601, 8608, "0515", "Friesland", 1),
    ("Hoogeveen", 7901, 7909, "0528", "Drenthe", 1), ("Roermond", 6041, 6049, "0475", "Limburg", 1),
    ("Heerenveen", 8441, 8448, "0513", "Friesland", 1), ("Barneveld", 3771, 3775, "0342", "Veluwe", 1),
    ("Tiel", 4001, 4007, "0344", "Gelderland", 1), ("Gorinchem", 4201, 4209, "0183", "Holland", 1),
    ("Woerden", 3441, 3449, "0348", "Midden-Nederland", 1), ("Almelo", 7601, 7609, "0546", "Twente", 1),
    ("Hengelo", 7551, 7559, "074", "Twente", 1), ("Katwijk", 2221, 2225, "071", "Holland", 1),
    ("Rijswijk", 2281, 2289, "070", "Haaglanden", 1), ("Amstelveen", 1181, 1189, "020", "Noord-Holland", 1),
    ("Hoofddorp", 2131, 2136, "023", "Kennemerland", 1), ("Houten", 3991, 3995, "030", "Midden-Nederland", 1),
    ("Zeist", 3701, 3709, "030", "Midden-Nederland", 1), ("Uden", 5401, 5406, "0413", "Brabant", 1),
    ("Kampen", 8261, 8267, "038", "Overijssel", 1), ("Meppel", 7941, 7944, "0522", "Drenthe", 1),
    ("Vlissingen", 4381, 4389, "0118", "Zeeland", 1), ("Weert", 6001, 6006, "0495", "Limburg", 1),
    ("Waalwijk", 5141, 5146, "0416", "Brabant", 1), ("Emmeloord", 8301, 8309, "0527", "Flevoland", 1),
    ("Schiedam", 3111, 3125, "010", "Rijnmond", 1), ("Spijkenisse", 3201, 3209, "0181", "Rijnmond", 1),
]
REGIONS = ["Noord-Nederland", "Randstad", "Brabant", "Limburg", "Twente", "Drenthe", "Friesland", "Fryslân",
           "Gelderland", "Zeeland", "Veluwe", "Achterhoek", "Westland", "Kennemerland", "Gooi", "Rijnmond",
           "Haaglanden", "Holland", "Midden-Nederland", "Flevoland", "Overijssel", "Westfriesland", "Delta",
           "Drechtsteden"]
STREETS = ["Stationsweg", "Kerkstraat", "Industrieweg", "Handelsweg", "Marktplein", "Havenweg", "Nijverheidsweg",
           "Parkweg", "Molenstraat", "Dorpsstraat", "Hoofdstraat", "Europalaan", "Beursplein", "Kanaalweg",
           "Energieweg", "Transportweg", "Edisonstraat", "Televisieweg", "Computerweg", "Zuidplein",
           "Westblaak", "Prinses Beatrixlaan", "Koningin Julianaweg", "Laan van Nieuw Oost-Indië", "Spoorlaan",
           "Keizersgracht", "Oudegracht", "Vismarkt", "Burgemeester Roelenweg", "Lange Voorhout", "Wilhelminapark",
           "Rijksweg", "Oostsingel", "Schiedamseweg", "Fokkerstraat", "Zernikelaan", "Papendorpseweg"]
FANTASY_HEADS = ["Noord", "Zuider", "Ooster", "Wester", "Polder", "Duin", "Heide", "Veen", "Kust", "Zonne",
                 "Storm", "Wind", "Golf", "Ster", "Anker", "Baken", "Kompas", "Zeil", "Toren", "Molen", "Haven",
                 "Eiken", "Linden", "Berken", "Kroon", "Zilver", "Goud", "Blauw", "Helder", "Vlier", "Zee",
                 "Klaver", "Tulp", "Wilgen", "Beuken", "Ceder", "Dauw", "Lente", "Zomer", "Morgen", "Hoog",
                 "Amstel", "Schelde", "Dommel", "Eem", "Vecht", "Rijn", "Lelie", "Meeuw", "Reiger"]
FANTASY_TAILS = ["kaap", "licht", "ster", "poort", "wacht", "stroom", "zicht", "veld", "hof", "kamp", "burg",
                 "spoor", "baken", "mond", "rand", "kust", "wal", "kade", "stein", "borg", "gaard", "punt", "dal",
                 "waard", "lande", "zande", "hoek", "vaart", "brug", "horn"]
BRAND_STARTS = ["Fin", "Cred", "Pay", "Sol", "Vor", "Lex", "Fid", "Quan", "Nov", "Ver", "Opt", "Prim", "Ves",
                "Nex", "Arc", "Mon", "Cap", "Trin", "Ax", "Ald", "Bel", "Cor", "Dex", "Equ", "Fort", "Gar",
                "Hel", "Ion", "Jur", "Kov", "Lum", "Mer", "Nor", "Or", "Pax", "Ren", "Sal", "Tor", "Ul", "Val",
                "Wes", "Zen", "Ad", "Bri", "Cle", "Dur", "Ev", "Gal"]
BRAND_TAILS = ["ia", "atis", "ivo", "ora", "us", "ix", "ico", "ado", "ent", "ana", "ura", "era", "on", "um",
               "ex", "io", "ea", "ance", "ence", "ify", "sure", "wise", "point", "flow", "line", "gate", "base",
               "ium", "ara", "ova", "eon", "ity", "ando", "ius"]

# Business words (display forms) by family.
COLLECT_WORDS = ["Incasso", "Incasso", "Incasso", "Incassobureau", "Incassodiensten", "Incassoservice",
                 "Invorderingen", "Vorderingen", "Collect", "Collections", "Recovery", "Claims", "Incasso Services"]
COLLECT_PREFIX_WORDS = ["Incassobureau", "Incassobureau", "Incassodienst", "Incassokantoor"]
DM_WORDS = ["Debiteurenbeheer", "Debiteurenbeheer", "Credit Management", "Creditmanagement", "Debiteurenservice",
            "Betalingsregie", "Schuldbeheer", "Vorderingenbeheer", "Credit Services", "Receivables"]
LEGAL_WORDS = ["Juridisch Advies", "Juridische Diensten", "Juristen", "Rechtshulp", "Rechtsbijstand", "Juridisch"]
ADMIN_WORDS = ["Administratie", "Administratiekantoor", "Accountants", "Financial Services", "Financiële Diensten",
               "Boekhouding & Advies", "Administratie & Advies"]
HOLDING_WORDS = ["Beheer", "Holding", "Groep"]
BAILIFF_WORDS = ["Gerechtsdeurwaarders", "Gerechtsdeurwaarderskantoor", "Deurwaarderskantoor", "Deurwaarders"]
LAWYER_WORDS = ["Advocaten", "Advocatenkantoor", "Advocatuur"]
SYNONYMS_SAME_FAMILY = {
    "Incasso": ["Incassobureau", "Incassodiensten", "Incassoservice", "Invorderingen"],
    "Incassobureau": ["Incasso", "Incassodiensten", "Incassokantoor"],
    "Incassodiensten": ["Incasso", "Incassobureau", "Incassoservice"],
    "Incassoservice": ["Incasso", "Incassodiensten"],
    "Invorderingen": ["Incasso", "Vorderingen"], "Vorderingen": ["Invorderingen", "Incasso"],
    "Collect": ["Collections", "Incasso"], "Collections": ["Collect"], "Recovery": ["Collect", "Incasso"],
    "Claims": ["Collect", "Incasso"],
    "Debiteurenbeheer": ["Credit Management", "Debiteurenservice", "Incasso"],
    "Credit Management": ["Debiteurenbeheer", "Creditmanagement"], "Creditmanagement": ["Credit Management"],
    "Debiteurenservice": ["Debiteurenbeheer"], "Betalingsregie": ["Debiteurenbeheer"], "Schuldbeheer": ["Debiteurenbeheer"],
    "Vorderingenbeheer": ["Debiteurenbeheer", "Invorderingen"], "Credit Services": ["Credit Management"],
    "Receivables": ["Credit Management"],
}

CREDITORS = ["Vattenfall", "Eneco", "Essent", "Budget Energie", "Greenchoice", "Ziggo", "KPN", "Odido", "Vodafone",
             "Zilveren Kruis", "CZ", "VGZ", "Menzis", "DSW", "Bol.com", "Wehkamp", "Zalando", "Klarna", "Riverty",
             "Coolblue", "Otto", "Basic-Fit", "SportCity", "Vitens", "Evides", "Dunea", "Ymere", "Woonstad",
             "Eigen Haard", "Mitros", "NS", "Lebara", "Youfone", "Simpel", "Tele2", "Dela", "Ditzo", "Waternet",
             "Energiedirect", "Anwb", "Interpolis", "Centraal Beheer", "Achmea", "Univé", "Ohra"]
FREE_MAIL = ["gmail.com", "hotmail.com", "outlook.com", "live.nl", "hotmail.nl", "yahoo.com", "ziggo.nl",
             "kpnmail.nl", "planet.nl", "home.nl", "xs4all.nl", "zeelandnet.nl", "casema.nl", "chello.nl",
             "quicknet.nl", "telfort.nl", "tele2.nl", "upcmail.nl", "online.nl", "protonmail.com", "proton.me",
             "gmx.net", "gmx.com", "icloud.com", "me.com", "msn.com", "yahoo.nl", "hetnet.nl", "freeler.nl",
             "solcon.nl", "caiway.nl", "kabelfoon.nl", "mail.com", "live.com", "outlook.nl"]
FOREIGN_FORMS = ["Ltd", "Ltd.", "GmbH", "UAB", "OÜ", "S.L.", "sp. z o.o.", "B.V.B.A."]
NL_BANKS = ["ABNA", "INGB", "RABO", "SNSB", "ASNB", "RBRB", "TRIO", "KNAB", "BUNQ", "FVLB", "NTSB", "HAND"]

# ------------------------------------------------------------------------------------------------
# The guard's reading of a name (see the module docstring)
# ------------------------------------------------------------------------------------------------

COLL, DM, LEGAL, ADMIN, HOLD, PART, BAIL, LAWY = "coll", "dm", "legal", "admin", "hold", "part", "bail", "lawy"
FAMILY_OF: dict[str, str] = {}
for _family, _words in (
    (COLL, "incasso incassobureau incassodiensten incassodienst incassoservice incassokantoor incassopartners "
           "incassogroep invorderingen invordering vorderingen collect collection collections debt recovery claims "
           "claim inning inkasso incassos"),
    (DM, "debiteurenbeheer debiteuren creditmanagement credit management debiteurenservice betalingsregie "
         "schuldbeheer vorderingenbeheer receivables"),
    (LEGAL, "juridisch juridische juristen jurist rechtshulp rechtsbijstand legal law"),
    (ADMIN, "administratie administratiekantoor accountants accountancy boekhouding financial financiele finance "
            "adviseurs advies"),
    (HOLD, "holding beheer groep group investments beheermaatschappij"),
    (PART, "partners zn zonen gebr gebroeders co"),
    (BAIL, "gerechtsdeurwaarders gerechtsdeurwaarder gerechtsdeurwaarderskantoor deurwaarderskantoor deurwaarders "
           "deurwaarder deurwaardersbureau"),
    (LAWY, "advocaten advocatenkantoor advocatuur advocaat"),
):
    for _w in _words.split():
        FAMILY_OF[_w] = _family
NEUTRAL_WORDS = {"services", "service", "diensten", "dienst", "bureau", "kantoor", "solutions", "en", "and", "the"}
GENERIC_WORDS = set(FAMILY_OF) | NEUTRAL_WORDS
GENERIC_LONG = sorted((w for w in GENERIC_WORDS if len(w) >= 6), key=len, reverse=True)
EXTRA_PENALTY = {COLL: 4, DM: 4, LEGAL: 12, ADMIN: 10, HOLD: 6, PART: 8, BAIL: 25, LAWY: 25}
MISSING_PENALTY = {COLL: 2, DM: 2, LEGAL: 10, ADMIN: 6, HOLD: 3, PART: 5, BAIL: 12, LAWY: 12}
TUSSEN = {"van", "de", "der", "den", "het", "t", "ter", "ten", "te", "vd", "vander", "vanden", "vande", "in",
          "op", "el", "d"}
TITLES = {"mr", "mrs", "drs", "ing", "ir", "dhr", "mevr", "kand", "kandidaat", "toegevoegd", "dr", "prof", "mw",
          "meneer", "mevrouw"}
NOISE = {"iets", "met", "zoiets", "zo", "of", "iemand", "firma", "fa", "bedrijf", "afd", "afdeling", "klantcontact",
         "directie", "klantenservice", "postbus", "retour", "antwoordnummer", "vestiging", "via", "namens",
         "vordering", "ivm", "tav", "iov", "pa", "hodn", "nl", "cooperatie", "kantoor", "het", "uit", "denk",
         "weet", "niet", "meer", "precies", "naam", "onbekend", "bellen", "belde", "gebeld", "door", "ene", "een",
         "zekere", "ofzo"}
LEGAL_FORM_SEQS = [("b", "v"), ("bv",), ("n", "v"), ("nv",), ("v", "o", "f"), ("vof",), ("c", "v"), ("cv",),
                   ("u", "a"), ("ua",), ("besloten", "vennootschap"), ("naamloze", "vennootschap"),
                   ("vennootschap", "onder", "firma"), ("commanditaire", "vennootschap"), ("ltd",), ("gmbh",),
                   ("uab",), ("ou",), ("s", "l"), ("sp", "z", "o", "o"), ("b", "v", "b", "a"), ("bvba",),
                   ("eenmanszaak",), ("met", "beperkte", "aansprakelijkheid"), ("i", "o")]
_CLUTTER_RE = re.compile(
    r"\bt\.?\s?a\.?\s?v\.?(?=\W|$)|\bi\.?\s?o\.?\s?v\.?(?=\W|$)|\bi\.?\s?v\.?\s?m\.?(?=\W|$)|\bp/a\b|\bp\.a\.(?=\W|$)")
_HODN_RE = re.compile(r"\bh\.?\s?o\.?\s?d\.?\s?n\.?(?=\W|$)|\bhandelend onder de naams?\b|\bhandelende onder de naam\b")
_CREDITOR_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(c.casefold()) for c in CREDITORS), key=len, reverse=True))
                          + r")(?=\W|$)")
GIVEN_FOLDED: set[str] = set()
SURNAME_CORES: set[str] = set()
PLACE_TOKENS: set[str] = set()


@cache
def fold(text: str) -> str:
    """Case-folded, accents dropped (ë -> e, Ö -> o)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text)


for _g in GIVEN_NAMES:
    GIVEN_FOLDED.add(fold(_g))
for _s in [s for _, s in SURNAMES] + RARE_SURNAMES:
    for _tok in _tokens(fold(_s)):
        SURNAME_CORES.add(_tok)
for _p in PLACES:
    PLACE_TOKENS.update(t for t in _tokens(fold(_p[0])) if t not in TUSSEN and len(t) > 1)
for _r in REGIONS:
    PLACE_TOKENS.update(t for t in _tokens(fold(_r)) if t not in TUSSEN and len(t) > 1)
_TUSSEN_PREFIXES = ("vanden", "vander", "vande", "van", "vd", "ter", "ten", "de")


@dataclass(frozen=True)
class Key:
    dist: tuple[str, ...]
    given: frozenset[str]
    initials: tuple[str, ...]
    fams: frozenset[str]
    joined: str
    sorted_joined: str


_FORM_FIRST = {seq[0] for seq in LEGAL_FORM_SEQS}


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    if not any(t in _FORM_FIRST for t in tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for seq in LEGAL_FORM_SEQS:
            n = len(seq)
            if tuple(tokens[i:i + n]) == seq and (n > 1 or len(seq[0]) > 1):
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _split_joined(token: str) -> list[str]:
    """'dekkerincasso' -> ['dekker', 'incasso']; 'incassobureaubakker' -> ['incassobureau', 'bakker']."""
    if token in GENERIC_WORDS or len(token) < 8:
        return [token]
    for word in GENERIC_LONG:
        if token.endswith(word) and len(token) - len(word) >= 3:
            return _split_joined(token[: -len(word)]) + [word]
        if token.startswith(word) and len(token) - len(word) >= 3:
            return [word] + _split_joined(token[len(word):])
    return [token]


def _generic_family(token: str) -> str | None:
    """The family of a business word, also when misspelt ('incaso', 'debiteurenbeheeer', 'Inkasso')."""
    if token in FAMILY_OF:
        return FAMILY_OF[token]
    if token in NEUTRAL_WORDS:
        return ""
    if len(token) >= 6:
        best = process.extractOne(token, GENERIC_LONG, scorer=fuzz.ratio, score_cutoff=85)
        if best:
            return FAMILY_OF.get(best[0], "")
    return None


def _key(tokens: list[str], *, signal: bool) -> Key:
    dist: list[str] = []
    initials: list[str] = []
    fams: set[str] = set()
    for tok in tokens:
        if len(tok) == 1:
            initials.append(tok)
            continue
        if tok in TITLES or tok in NOISE or tok in TUSSEN or tok.isdigit():
            continue
        family = _generic_family(tok)
        if family is not None:
            if family:
                fams.add(family)
            continue
        for prefix in _TUSSEN_PREFIXES:
            if tok.startswith(prefix) and tok[len(prefix):] in SURNAME_CORES and len(tok) - len(prefix) >= 3:
                tok = tok[len(prefix):]
                break
        dist.append(tok)
    given = frozenset(t for t in dist if t in GIVEN_FOLDED)
    return Key(tuple(dist), given, tuple(initials), frozenset(fams), "".join(dist), "".join(sorted(dist)))


@cache
def name_keys(text: str, *, signal: bool = True) -> tuple[Key, ...]:
    """A name as the guard reads it: one key per name it holds ('X h.o.d.n. Y' holds two)."""
    folded = fold(text)
    folded = _CREDITOR_RE.sub(" ", folded)
    parts = _HODN_RE.split(folded)
    keys = []
    for part in parts:
        part = _CLUTTER_RE.sub(" ", part)
        part = part.replace("&", " ").replace("+", " ")
        raw = _tokens(part)
        raw = [re.sub(r"(?<=[a-z])0|0(?=[a-z])", "o", t) if re.search(r"[a-z]", t) else t for t in raw]
        raw = [re.sub(r"(?<=[a-z])1|1(?=[a-z])", "l", t) if re.search(r"[a-z]", t) else t for t in raw]
        raw = _strip_legal_forms(raw)
        merged: list[str] = []
        for tok in raw:
            if merged and merged[-1] + tok in GENERIC_WORDS:
                merged[-1] = merged[-1] + tok
            else:
                merged.append(tok)
        split: list[str] = []
        for tok in merged:
            split.extend(_split_joined(tok))
        if signal and split:
            last = split[-1]
            if last not in GENERIC_WORDS and len(last) >= 2 and any(
                    w.startswith(last) and w != last for w in GENERIC_WORDS if len(w) > len(last)):
                split = split[:-1]
        key = _key(split, signal=signal)
        if key.dist or key.fams:
            keys.append(key)
    return tuple(keys)


def likeness(sk: Key, pk: Key, places: frozenset[str] = frozenset()) -> float:
    """How much the signal's name (sk) is the party's name (pk), 0-100."""
    ds = [t for t in sk.dist if t not in places or t in pk.dist]
    dp = list(pk.dist)
    penalty = 0.0
    for initial in sk.initials:
        for g in dp:
            if g in pk.given and g[0] == initial:
                dp.remove(g)
                break
    for g in list(ds):
        if g in sk.given and g[0] in pk.initials:
            ds.remove(g)
    sg = [t for t in ds if t in sk.given and t not in dp]
    pg = [t for t in dp if t in pk.given and t not in ds]
    if not (sg and pg):
        for g in sg:
            ds.remove(g)
            penalty += 4
        for g in pg:
            dp.remove(g)
            penalty += 4
    if not ds or not dp:
        return 0.0
    a, b = "".join(ds), "".join(dp)
    dist = fuzz.ratio(a, b)
    if sk.fams & pk.fams & {BAIL, LAWY} and set(ds) <= set(dp):
        dist = max(dist, 88.0)  # one partner of a bailiffs' or lawyers' office, named as a person
    if len(ds) > 1 or len(dp) > 1:
        dist = max(dist, fuzz.ratio("".join(sorted(ds)), "".join(sorted(dp))))
    for fam in sk.fams - pk.fams:
        if fam in (COLL, DM) and pk.fams & {COLL, DM}:
            penalty += 2
        else:
            penalty += EXTRA_PENALTY[fam]
    for fam in pk.fams - sk.fams:
        if fam in (COLL, DM) and sk.fams & {COLL, DM}:
            penalty += 1
        else:
            penalty += MISSING_PENALTY[fam]
    return max(0.0, dist - penalty)


def is_bare(keys: list[Key]) -> bool:
    """Only a surname, given name or place, and no business word: names nobody in particular."""
    return all(not k.fams and all(t in SURNAME_CORES or t in GIVEN_FOLDED or t in PLACE_TOKENS for t in k.dist)
               for k in keys)


# ------------------------------------------------------------------------------------------------
# Identifiers
# ------------------------------------------------------------------------------------------------

def _iban_digits(text: str) -> str:
    return "".join(str(int(c, 36)) for c in text)


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit() or not compact.isalnum():
        return False
    return int(_iban_digits(compact[4:] + compact[:4])) % 97 == 1


def _with_check(country: str, bban: str) -> str:
    check = 98 - int(_iban_digits(bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(n))


def make_iban(rng: random.Random, country: str = "NL") -> str:
    if country == "NL":
        return _with_check("NL", rng.choice(NL_BANKS) + _digits(rng, 10))
    if country == "BE":
        first = _digits(rng, 10)
        national = int(first) % 97 or 97
        return _with_check("BE", f"{first}{national:02d}")
    if country == "DE":
        return _with_check("DE", _digits(rng, 18))
    if country == "LT":
        return _with_check("LT", _digits(rng, 16))
    if country == "EE":
        return _with_check("EE", _digits(rng, 16))
    if country == "GB":
        return _with_check("GB", rng.choice(["BARC", "HBUK", "NWBK", "MIDL", "LOYD"]) + _digits(rng, 14))
    if country == "IE":
        return _with_check("IE", rng.choice(["AIBK", "BOFI", "IPBS"]) + _digits(rng, 14))
    if country == "MT":
        return _with_check("MT", rng.choice(["VALL", "MALT"]) + _digits(rng, 5) + _digits(rng, 18))
    if country == "ES":
        return _with_check("ES", _digits(rng, 20))
    if country == "CY":
        return _with_check("CY", _digits(rng, 8) + _digits(rng, 16))
    raise ValueError(country)


def mistype_iban(rng: random.Random, iban: str) -> str:
    for _ in range(20):
        pos = rng.randrange(8, len(iban))
        if not iban[pos].isdigit():
            continue
        bad = iban[:pos] + str((int(iban[pos]) + rng.randrange(1, 10)) % 10) + iban[pos + 1:]
        if not iban_valid(bad):
            return bad
    return iban[:-1] + str((int(iban[-1]) + 1) % 10) if not iban_valid(iban[:-1] + str((int(iban[-1]) + 1) % 10)) else iban[:-2]


def group4(text: str) -> str:
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class Phone:
    area: str  # "020", "0591", "06", "088"
    number: str  # the rest: together 10 digits

    @property
    def national(self) -> str:
        return self.area + self.number

    def register_form(self) -> str:
        return f"{self.area}-{self.number}"

    def written(self, rng: random.Random, style: str | None = None) -> str:
        area, num = self.area, self.number
        bare = area[1:]
        styles = ["dash", "spaced", "compact", "intl_spaced", "intl_zero", "intl_00", "intl_compact", "brackets"]
        style = style or rng.choice(styles)
        if area == "06":
            spaced = f"{num[:4]} {num[4:]}"
        elif len(num) == 7:
            spaced = f"{num[:3]} {num[3:5]} {num[5:]}" if rng.random() < 0.5 else f"{num[:3]} {num[3:]}"
        else:
            spaced = f"{num[:2]} {num[2:4]} {num[4:]}"
        if style == "dash":
            return f"{area}-{num}"
        if style == "spaced":
            return f"{area} {spaced}"
        if style == "compact":
            return area + num
        if style == "intl_spaced":
            return f"+31 {bare} {spaced}"
        if style == "intl_zero":
            return f"+31 (0){bare} {num}"
        if style == "intl_00":
            return f"0031{bare}{num}"
        if style == "intl_compact":
            return f"+31{bare}{num}"
        return f"({area}) {num}"


FOREIGN_PHONES = {"GB": ("+44 20 ", 8), "DE": ("+49 30 ", 8), "BE": ("+32 2 ", 7), "LT": ("+370 5 ", 7),
                  "ES": ("+34 91 ", 7), "EE": ("+372 6", 6), "IE": ("+353 1 ", 7), "MT": ("+356 21", 6), "CY": ("+357 22", 6)}


class Uniq:
    """Unique identifiers for the whole world."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def take(self, value: str) -> bool:
        if value in self.used:
            return False
        self.used.add(value)
        return True

    def kvk(self, *, old: bool = False) -> str:
        while True:
            first = self.rng.choice("0123") if old else self.rng.choice("56789")
            value = first + _digits(self.rng, 7)
            if old and first == "0":
                value = "0" + self.rng.choice("12345789") + _digits(self.rng, 6)
            if self.take("kvk" + value):
                return value

    def vest(self) -> str:
        while True:
            value = "0000" + self.rng.choice("123456789") + _digits(self.rng, 7)
            if self.take("vest" + value):
                return value

    def iban(self, country: str = "NL") -> str:
        while True:
            value = make_iban(self.rng, country)
            if self.take("iban" + value):
                return value

    def phone(self, area: str) -> Phone:
        while True:
            if area == "06":
                number = self.rng.choice("123456789") + _digits(self.rng, 7)
            else:
                number = self.rng.choice("23456789") + _digits(self.rng, 9 - len(area))
            phone = Phone(area, number)
            if self.take("tel" + phone.national):
                return phone

    def foreign_phone(self, country: str) -> str:
        prefix, n = FOREIGN_PHONES[country]
        while True:
            value = prefix + _digits(self.rng, n)
            if self.take("tel" + value):
                return value

    def domain(self, stems: list[str], tlds: tuple[str, ...] = (".nl",)) -> str | None:
        for stem in stems:
            stem = re.sub(r"[^a-z0-9-]", "", fold(stem).replace(" ", "").replace("&", ""))
            stem = stem.strip("-")
            if len(stem) < 4:
                continue
            for tld in tlds:
                if self.take("dom" + stem + tld):
                    return stem + tld
        return None


def slug(text: str, sep: str = "") -> str:
    words = _tokens(fold(text.replace("&", " ")))
    return sep.join(words)


# ------------------------------------------------------------------------------------------------
# Parties
# ------------------------------------------------------------------------------------------------

def disp_surname(t: str, s: str, *, lead: bool = True) -> str:
    if not t:
        return s
    return f"{t[0].upper() + t[1:] if lead else t} {s}"


def place_info(plaats: str) -> tuple[str, int, int, str, str, int]:
    for p in PLACES:
        if p[0] == plaats:
            return p
    raise KeyError(plaats)


def place_tokens(*names: str) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        if name:
            out.update(t for t in _tokens(fold(name)) if t not in TUSSEN and len(t) > 1)
    return frozenset(out)


def split_form(name: str) -> tuple[str, str]:
    m = re.search(r"\s+(B\.V\.|BV|V\.O\.F\.|VOF|N\.V\.|C\.V\.|U\.A\.|Ltd\.?|GmbH|UAB|OÜ|S\.L\.|sp\. z o\.o\.|B\.V\.B\.A\.)$",
                  name)
    if m:
        return name[: m.start()], m.group(1)
    return name, ""


@dataclass
class Reg:
    pid: str
    style: str
    legal: str = ""
    nr: str = ""
    old_legal: str | None = None
    rename: date | None = None
    trade: list[list] = field(default_factory=list)  # [name, added or None, dropped or None]
    kvk: str = ""
    vest: str | None = None
    street: str = ""
    house: str = ""
    postcode: str = ""
    plaats: str = ""
    region: str = ""
    websites: list[tuple[str, date]] = field(default_factory=list)
    emails: list[tuple[str, date]] = field(default_factory=list)
    phones: list[tuple[Phone, date]] = field(default_factory=list)
    ibans: list[tuple[str, date]] = field(default_factory=list)
    unlisted_ibans: list[str] = field(default_factory=list)
    status: str = "ingeschreven"
    start: date = WKI_START
    end: date | None = None
    shown_end: date | None = None  # the first snapshot date on which the end can show (a strike-off dated back)
    group: str | None = None
    firm: str = ""
    given: str | None = None
    surnames: list[tuple[str, str]] = field(default_factory=list)
    fantasy: tuple[str, str] | None = None
    acronym: str | None = None
    weight: float = 1.0
    name_place: tuple | None = None

    kind = "reg"

    def legal_at(self, d: date) -> str:
        return self.old_legal if self.old_legal and self.rename and d < self.rename else self.legal

    def trade_at(self, d: date) -> list[str]:
        return [n for n, a, dr in self.trade if (a is None or a <= d) and (dr is None or d < dr)]

    def names_at(self, d: date) -> list[str]:
        return [self.legal_at(d)] + self.trade_at(d)

    def final_names(self) -> list[str]:
        return self.names_at(LATE_SNAPSHOT)

    def all_names(self) -> list[str]:
        names = [self.legal] + [n for n, _, _ in self.trade]
        if self.old_legal:
            names.append(self.old_legal)
        return list(dict.fromkeys(names))

    def valid_on(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d < self.end)

    def verdict_on(self, d: date) -> str:
        return "geregistreerd" if self.valid_on(d) else "registratie_niet_geldig"

    def places(self) -> frozenset[str]:
        return place_tokens(self.plaats, self.region)

    def ids_at(self, d: date, items: list) -> list:
        return [v for v, added in items if added <= d]

    def row(self, s: date) -> dict[str, str]:
        ended = self.end is not None and self.shown_end is not None and self.shown_end <= s
        return {
            "registratienummer": self.nr, "naam": self.legal_at(s), "handelsnamen": "|".join(self.trade_at(s)),
            "kvk_nummer": self.kvk, "vestigingsnummer": self.vest or "", "straat": self.street,
            "huisnummer": self.house, "postcode": self.postcode, "plaats": self.plaats,
            "website": "|".join(self.ids_at(s, self.websites)), "email": "|".join(self.ids_at(s, self.emails)),
            "telefoon": "|".join(p.register_form() for p in self.ids_at(s, self.phones)),
            "iban": "|".join(self.ids_at(s, self.ibans)),
            "status": self.status if ended else "ingeschreven",
            "datum_inschrijving": self.start.isoformat(),
            "datum_einde": self.end.isoformat() if ended and self.end else "",
            "geldig_tot": "",
        }


@dataclass
class Office:
    pid: str
    naam: str
    beroep: str
    plaats: str
    kvk: str | None = None
    websites: list[tuple[str, date]] = field(default_factory=list)
    firm: str = ""
    persons: list[tuple[str, str, str]] = field(default_factory=list)  # (given, tussenvoegsel, surname)
    region: str = ""
    weight: float = 1.0
    postcode: str = ""
    ibans: list[str] = field(default_factory=list)  # on its letters; the exempt list does not hold them
    phones: list[Phone] = field(default_factory=list)

    kind = "exempt"

    def final_names(self) -> list[str]:
        return [self.naam]

    def all_names(self) -> list[str]:
        return [self.naam]

    def places(self) -> frozenset[str]:
        return place_tokens(self.plaats, self.region)

    def row(self, s: date) -> dict[str, str]:
        return {"naam": self.naam, "kvk_nummer": self.kvk or "", "beroep": self.beroep, "plaats": self.plaats,
                "website": "|".join(w for w, added in self.websites if added <= s)}


@dataclass
class Collector:
    pid: str
    style: str
    names: list[str] = field(default_factory=list)
    legal: str | None = None  # as the KvK lists it
    kvk: str | None = None
    ibans: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[Phone | str] = field(default_factory=list)
    plaats: str = ""
    postcode: str = ""
    region: str = ""
    resembles: str | None = None  # pid of the registered or exempt party it resembles or clones
    given: str | None = None
    surnames: list[tuple[str, str]] = field(default_factory=list)
    weight: float = 1.0
    n_signals: int = 0

    kind = "collector"

    def final_names(self) -> list[str]:
        return self.names + ([self.legal] if self.legal and self.legal not in self.names else [])

    all_names = final_names

    def places(self) -> frozenset[str]:
        return place_tokens(self.plaats, self.region)


def strict_keys(name: str) -> list[str]:
    out = []
    for k in name_keys(name, signal=False):
        fams = "".join(sorted({"c" if f in (COLL, DM) else f for f in k.fams}))
        out.append("|".join(sorted(k.dist)) + "#" + fams)
    return out


class Registry:
    """Names in the world: no two unrelated parties get the same distinctive words and business family."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}

    def free(self, name: str, pid: str, allow: frozenset[str] = frozenset()) -> bool:
        keys = strict_keys(name)
        if not keys or any(not k.split("#")[0] for k in keys):
            return False
        return all(self.owner.get(k, pid) in ({pid} | allow) for k in keys)

    def claim(self, name: str, pid: str) -> None:
        for k in strict_keys(name):
            self.owner.setdefault(k, pid)


# ------------------------------------------------------------------------------------------------
# Building the world's parties
# ------------------------------------------------------------------------------------------------

def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def weighted(rng: random.Random, options: list[tuple[object, float]]):
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, w in options:
        x -= w
        if x < 0:
            return value
    return options[-1][0]


class Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(f"habits-{seed}-parties")
        self.uniq = Uniq(random.Random(f"habits-{seed}-ids"))
        self.registry = Registry()
        self.regs: list[Reg] = []
        self.offices: list[Office] = []
        self.collectors: list[Collector] = []
        self.triples: list[tuple[str, str]] = []  # surnames shared by a registered, an exempt and an unregistered party
        self.used_fantasy: set[str] = set()

    # --- words --------------------------------------------------------------------------------
    def surname(self, *, common: float = 0.3) -> tuple[str, str]:
        rng = self.rng
        pool = [p for p in SURNAMES if p[1] in COMMON_SURNAMES] if rng.random() < common else SURNAMES
        return rng.choice(pool)

    def fantasy(self) -> tuple[str, str]:
        rng = self.rng
        for _ in range(200):
            head, tail = rng.choice(FANTASY_HEADS), rng.choice(FANTASY_TAILS)
            word = head + tail
            if word not in self.used_fantasy and not (head.lower().endswith(tail[0]) and tail[0] in "aeiou"):
                self.used_fantasy.add(word)
                return head, tail
        return rng.choice(FANTASY_HEADS), rng.choice(FANTASY_TAILS)

    def brand(self) -> str:
        rng = self.rng
        for _ in range(200):
            word = rng.choice(BRAND_STARTS) + rng.choice(BRAND_TAILS)
            low = word.lower()
            if word in self.used_fantasy or len(word) < 5 or low in GENERIC_WORDS:
                continue
            if process.extractOne(low, GENERIC_LONG, scorer=fuzz.ratio, score_cutoff=70):
                continue
            if low in SURNAME_CORES or low in PLACE_TOKENS:
                continue
            self.used_fantasy.add(word)
            return word
        return "Brand" + str(rng.randrange(100))

    def place(self) -> tuple[str, int, int, str, str, int]:
        return weighted(self.rng, [(p, p[5]) for p in PLACES])

    def postcode(self, place: tuple) -> str:
        rng = self.rng
        while True:
            letters = rng.choice("ABCDEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRTVWXZ")
            if letters not in ("SA", "SD", "SS"):
                return f"{rng.randrange(place[1], place[2] + 1)} {letters}"

    def address(self, party, place: tuple | None = None) -> None:
        rng = self.rng
        place = place or self.place()
        party.plaats = place[0]
        party.region = place[4]
        party.postcode = self.postcode(place)
        if isinstance(party, Reg):
            party.street = rng.choice(STREETS)
            party.house = str(rng.randrange(1, 260)) + rng.choice(["", "", "", "", "a", "b", "-3", " bis", "A"])

    def domain_stems(self, name: str, extra: str | None = "incasso") -> list[str]:
        """Domains as firms pick them: the name run together, hyphenated, the distinctive part with one
        short business word, or the distinctive part alone."""
        words = [w for w in re.split(r"[\s&+]+", split_form(name)[0]) if w]
        folded = [fold(w).replace("'", "").replace(".", "") for w in words]
        dist = [w for w in folded if w not in GENERIC_WORDS and w not in {"en", "gebr", "zn", "zonen", "partners"}]
        generic = [w for w in folded if w in GENERIC_WORDS and len(w) <= 10]
        stems = []
        whole = "".join(folded)
        if len(whole) <= 24:
            stems.append(whole)
        if dist and generic:
            stems.append("".join(dist) + generic[0])
            stems.append("-".join(dist) + "-" + generic[0])
        stems.append("-".join(folded))
        if dist:
            stems.append("".join(dist))
            if extra:
                stems.append("".join(dist) + extra)
        self.rng.shuffle(stems)
        stems.sort(key=lambda x: len(x) > 26)
        return stems

    def coll_word(self) -> str:
        return self.rng.choice(COLLECT_WORDS + DM_WORDS[:6])

    # --- registrations ---------------------------------------------------------------------------
    def reg_name(self, style: str, reg: Reg) -> tuple[str, list[str]]:
        """(legal name, trade names) for a style; the parts are kept on ``reg`` for the variations."""
        rng = self.rng
        form = weighted(rng, [("B.V.", 70), ("V.O.F.", 12), ("", 15), ("C.V.", 3)])
        trade: list[str] = []
        reg.surnames, reg.given, reg.fantasy = [], None, None
        if style == "surname":
            t, s = self.surname()
            reg.surnames = [(t, s)]
            S = disp_surname(t, s)
            shape = weighted(rng, [("a", 50), ("b", 22), ("c", 18), ("d", 10)])
            if shape == "a":
                core = f"{S} {self.coll_word()}"
            elif shape == "d":
                place = self.place()
                reg.name_place = place
                core = f"{S} {self.coll_word()} {place[0]}"
            elif shape == "b":
                core = f"{rng.choice(COLLECT_PREFIX_WORDS)} {S}"
            else:
                core = rng.choice([f"{S} & Partners {self.coll_word()}", f"{S} & Zn {rng.choice(COLLECT_WORDS)}",
                                   f"Gebr. {s} {self.coll_word()}", f"{S} & Zonen {rng.choice(COLLECT_WORDS)}"])
        elif style == "two_surnames":
            (t1, s1), (t2, s2) = self.surname(), self.surname(common=0.1)
            if s1 == s2:
                return "", []
            reg.surnames = [(t1, s1), (t2, s2)]
            joiner = " & " if rng.random() < 0.8 else " en "
            core = f"{disp_surname(t1, s1)}{joiner}{disp_surname(t2, s2)} {self.coll_word()}"
            if rng.random() < 0.3:
                reg.acronym = (s1[0] + s2[0] + core.split()[-1][0]).upper()
        elif style == "person":
            t, s = self.surname(common=0.2)
            g = rng.choice(GIVEN_NAMES)
            reg.surnames, reg.given = [(t, s)], g
            person = f"{g} {disp_surname(t, s, lead=False)}"
            core = rng.choice([f"Incassobureau {person}", f"{person} Incasso", f"{person} Debiteurenbeheer",
                               f"Incasso {person}"])
            form = "" if rng.random() < 0.85 else "B.V."
        elif style == "fantasy":
            head, tail = self.fantasy()
            reg.fantasy = (head, tail)
            F = head + tail
            shape = weighted(rng, [("a", 70), ("b", 18), ("c", 12)])
            core = {"a": f"{F} {self.coll_word()}", "b": f"{rng.choice(COLLECT_PREFIX_WORDS)} {F}",
                    "c": f"{F} {rng.choice(DM_WORDS)}"}[shape]
            if rng.random() < 0.18:
                word = core.split()[-1] if shape != "b" else "Incasso"
                reg.acronym = (head[0] + tail[0] + word[0]).upper()
        elif style == "brand":
            B = self.brand()
            reg.fantasy = (B, "")
            if rng.random() < 0.5:
                core = B
                form = "B.V."
                trade.append(f"{B} {self.coll_word()}")
            else:
                core = f"{B} {self.coll_word()}"
        elif style == "place":
            p = self.place()
            P = p[0] if rng.random() < 0.6 else p[4]
            if "'" in P:
                P = "Den Bosch"
            core = rng.choice([f"Incassobureau {P}", f"{P} Incasso", f"Debiteurenbeheer {P}", f"{P} Credit Management",
                               f"Incassodienst {P}", f"{P} Invorderingen"])
            reg.fantasy = (P, "")
        elif style == "admin":
            t, s = self.surname()
            reg.surnames = [(t, s)]
            S = disp_surname(t, s)
            core = rng.choice([f"Administratiekantoor {S}", f"{S} Accountants & Adviseurs", f"{S} Financial Services",
                               f"Financiële Diensten {S}", f"{S} Administratie & Advies", f"{S} Boekhouding & Incasso"])
            if rng.random() < 0.4:
                trade.append(f"{S} Incasso")
        elif style == "legal":
            if rng.random() < 0.6:
                t, s = self.surname()
                reg.surnames = [(t, s)]
                S = disp_surname(t, s)
                core = rng.choice([f"{S} Juridisch Advies", f"{S} Juristen", f"Rechtshulp {S}", f"{S} Juridische Diensten"])
            else:
                head, tail = self.fantasy()
                reg.fantasy = (head, tail)
                core = f"{head}{tail} {rng.choice(['Juristen', 'Rechtshulp', 'Juridisch Incasso', 'Legal'])}"
        elif style == "coop":
            head, tail = self.fantasy()
            reg.fantasy = (head, tail)
            core = f"Coöperatie {head}{tail} {rng.choice(['Incasso', 'Debiteurenbeheer', 'Invorderingen'])}"
            form = "U.A."
        elif style == "hodn":
            t, s = self.surname()
            S = disp_surname(t, s)
            core = rng.choice([f"{S} Beheer", f"{S} Holding", f"Beheermaatschappij {S}"])
            form = "B.V."
            if rng.random() < 0.65:
                t2, s2 = self.surname(common=0.15)
                if s2 == s:
                    return "", []
                reg.surnames = [(t2, s2), (t, s)]
                S2 = disp_surname(t2, s2)
                trade.append(f"{S2} {rng.choice(COLLECT_WORDS)}")
                if rng.random() < 0.3:
                    trade.append(f"{S2} {rng.choice(DM_WORDS[:4])}")
            else:
                head, tail = self.fantasy()
                reg.fantasy = (head, tail)
                reg.surnames = [(t, s)]
                trade.append(f"{head}{tail} {self.coll_word()}")
        else:
            raise ValueError(style)
        if reg.acronym:
            trade.append(f"{reg.acronym} {rng.choice(['Collect', 'Incasso', 'Credit Management'])}")
        legal = f"{core} {form}".strip()
        return legal, trade

    def claim_names(self, reg: Reg, legal: str, trade: list[str], allow: frozenset[str] = frozenset()) -> bool:
        names = [legal] + trade
        if not all(self.registry.free(n, reg.pid, allow) for n in names):
            return False
        for n in names:
            self.registry.claim(n, reg.pid)
        return True

    def new_reg(self, style: str, pid: str) -> Reg:
        reg = Reg(pid=pid, style=style)
        for attempt in range(200):
            if attempt == 60:
                style = reg.style = "fantasy"  # every name of this style is taken: a made-up name is not
            elif attempt == 120:
                style = reg.style = "brand"
            reg.acronym = None
            legal, trade = self.reg_name(style, reg)
            if legal and self.claim_names(reg, legal, trade):
                reg.legal = legal
                reg.trade = [[t, None, None] for t in trade]
                return reg
        raise RuntimeError(f"no free name for style {style}")

    def reg_dates(self, reg: Reg, *, first: bool = False) -> None:
        rng = self.rng
        u = rng.random()
        if first:
            reg.start = WKI_START
        elif u < 0.18:
            reg.start = rand_date(rng, date(2024, 4, 2), date(2024, 12, 31))
        elif u < 0.62:
            reg.start = rand_date(rng, date(2025, 1, 2), date(2025, 3, 31))
        elif u < 0.85:
            reg.start = rand_date(rng, date(2025, 4, 1), date(2025, 12, 31))
        else:
            reg.start = rand_date(rng, date(2026, 1, 1), LAST_REGISTRATION)
        u = rng.random()
        if u < 0.065 and reg.start < date(2026, 9, 1):
            reg.status = "doorgehaald"
            reg.end = rand_date(rng, max(reg.start + timedelta(days=45), date(2024, 9, 1)), LAST_REGISTRATION)
            reg.shown_end = reg.end
            if rng.random() < 0.2:
                reg.shown_end = min(reg.end + timedelta(days=rng.randrange(15, 80)), LATE_SNAPSHOT)
        elif u < 0.13:
            years = 1 if rng.random() < 0.8 else 2
            end = date(reg.start.year + years, reg.start.month, min(reg.start.day, 28))
            if end <= LAST_REGISTRATION:
                reg.status, reg.end, reg.shown_end = "verlopen", end, end

    def later(self, start: date) -> date:
        """When an identifier the firm had from the start became known: mostly at once, sometimes later."""
        if self.rng.random() < 0.8:
            return start
        return min(start + timedelta(days=self.rng.randrange(30, 420)), date(2026, 10, 31))

    def reg_ids(self, reg: Reg, *, place: tuple | None = None) -> None:
        rng, uniq = self.rng, self.uniq
        reg.kvk = uniq.kvk(old=reg.start < date(2025, 1, 1) and rng.random() < 0.5 or rng.random() < 0.1)
        reg.firm = reg.kvk
        if rng.random() < 0.6:
            reg.vest = uniq.vest()
        if reg.style == "place" and reg.fantasy:
            match = [p for p in PLACES if p[0] == reg.fantasy[0] or p[4] == reg.fantasy[0]]
            place = place or (rng.choice(match) if match else None)
        place = place or reg.name_place
        self.address(reg, place)
        core, _ = split_form(reg.legal)
        if rng.random() < 0.78:
            base = reg.trade[0][0] if reg.style == "hodn" and reg.trade else core
            dom = uniq.domain(self.domain_stems(base), (rng.choice([".nl", ".nl", ".nl", ".com", ".eu", ".net"]), ".nl"))
            if dom:
                reg.websites.append((dom, self.later(reg.start)))
                if reg.trade and rng.random() < 0.3:
                    dom2 = uniq.domain(self.domain_stems(reg.trade[-1][0]))
                    if dom2:
                        reg.websites.append((dom2, self.later(reg.start)))
        if rng.random() < 0.55:
            if reg.websites:
                prefix = rng.choice(["info", "info", "debiteuren", "incasso", "klantenservice", "administratie",
                                     "betalingen", "dossier"])
                reg.emails.append((f"{prefix}@{reg.websites[0][0]}", self.later(reg.start)))
            elif reg.style in ("person", "surname", "two_surnames"):
                local = slug(core, ".")
                if uniq.take("mail" + local):
                    reg.emails.append((f"{local}@{rng.choice(FREE_MAIL)}", reg.start))
        if rng.random() < 0.7:
            area = weighted(rng, [(place_info(reg.plaats)[3], 65), ("088", 20), ("085", 5),
                                  ("06", 30 if reg.style == "person" else 10)])
            reg.phones.append((uniq.phone(area), self.later(reg.start)))
            if rng.random() < 0.12:
                reg.phones.append((uniq.phone("088"), self.later(reg.start)))
        if rng.random() < 0.55:
            country = weighted(rng, [("NL", 95), ("BE", 3), ("DE", 2)])
            reg.ibans.append((uniq.iban(country), self.later(reg.start)))
            if rng.random() < 0.2:
                reg.ibans.append((uniq.iban("NL"), self.later(reg.start)))
        if rng.random() < 0.45:
            reg.unlisted_ibans.append(uniq.iban("NL"))

    def build_registrations(self, n: int) -> None:
        rng = self.rng
        regs: list[Reg] = []

        def pid() -> str:
            return f"R{len(regs) + 1:05d}"

        # look-alike surnames, both registered
        n_look = min(len(LOOKALIKE_SURNAMES), max(2, round(n * 0.006)))
        tussen_of = {s: t for t, s in SURNAMES}
        for a, b in LOOKALIKE_SURNAMES[:n_look]:
            word = rng.choice(["Incasso", "Incassobureau", "Debiteurenbeheer", "Invorderingen"])
            for s in (a, b):
                reg = Reg(pid=pid(), style="lookalike")
                t = tussen_of.get(s, "")
                reg.surnames = [(t, s)]
                legal = f"{disp_surname(t, s)} {word} B.V."
                if not self.claim_names(reg, legal, []):
                    continue
                reg.legal = legal
                self.reg_dates(reg)
                regs.append(reg)
        # surnames shared with an exempt office and an unregistered collector
        n_triple = max(3, round(n * 0.015))
        taken = {s for pair in LOOKALIKE_SURNAMES for s in pair}
        pool = [p for p in SURNAMES if p[1] not in taken]
        rng.shuffle(pool)
        for t, s in pool[:n_triple]:
            reg = Reg(pid=pid(), style="triple")
            reg.surnames = [(t, s)]
            legal = rng.choice([f"{disp_surname(t, s)} Incasso B.V.", f"{disp_surname(t, s)} Debiteurenbeheer Holding B.V.",
                                f"Incassobureau {disp_surname(t, s)} B.V."])
            if not self.claim_names(reg, legal, []):
                continue
            reg.legal = legal
            self.reg_dates(reg)
            regs.append(reg)
            self.triples.append((t, s))
        # groups: several registrations of one group, one KvK number each
        n_groups = max(2, round(n * 0.025))
        for g in range(n_groups):
            B = self.brand() if rng.random() < 0.5 else "".join(self.fantasy())
            members = [f"{B} Incasso B.V.", f"{B} {rng.choice(['Credit Management', 'Debiteurenbeheer'])} B.V."]
            if rng.random() < 0.35:
                members.append(f"{B} Incasso {rng.choice(['Noord', 'Zuid', 'Oost', 'West'])} B.V.")
            group_pids = frozenset(f"R{len(regs) + 1 + i:05d}" for i in range(len(members)))
            if not all(self.registry.free(m, next(iter(group_pids)), group_pids) for m in members):
                continue
            shared_site = rng.random() < 0.6
            place = self.place()
            first_start = None
            for m in members:
                reg = Reg(pid=pid(), style="group", group=f"G{g + 1:03d}")
                reg.fantasy = (B, "")
                reg.legal = m
                self.registry.claim(m, reg.pid)
                self.reg_dates(reg)
                if first_start and rng.random() < 0.6:
                    reg.start = first_start
                first_start = first_start or reg.start
                if rng.random() < 0.75:
                    reg.status, reg.end, reg.shown_end = "ingeschreven", None, None
                if reg.end and reg.end <= reg.start:
                    reg.status, reg.end, reg.shown_end = "ingeschreven", None, None
                reg.weight = 1.5
                self.reg_ids(reg, place=place)
                if shared_site:
                    dom = f"{slug(B)}groep.nl"
                    if self.uniq.take("dom" + dom) or any(dom == w for r in regs for w, _ in r.websites):
                        reg.websites.insert(0, (dom, reg.start))
                regs.append(reg)
        # firms that let a registration lapse and registered again (same KvK, a new number)
        n_rereg = max(2, round(n * 0.012))
        for _ in range(n_rereg):
            old = self.new_reg(rng.choice(["surname", "fantasy", "brand"]), pid())
            old.start = rand_date(rng, date(2024, 4, 2), date(2025, 6, 30))
            old.status, old.end = "verlopen", date(old.start.year + 1, old.start.month, min(old.start.day, 28))
            old.shown_end = old.end
            self.reg_ids(old)
            regs.append(old)
            new = Reg(pid=pid(), style="rereg", legal=old.legal, trade=[list(t) for t in old.trade], kvk=old.kvk,
                      vest=old.vest, street=old.street, house=old.house, postcode=old.postcode, plaats=old.plaats,
                      region=old.region, websites=list(old.websites), emails=list(old.emails), phones=list(old.phones),
                      ibans=list(old.ibans), unlisted_ibans=list(old.unlisted_ibans), firm=old.firm,
                      surnames=old.surnames, fantasy=old.fantasy, given=old.given, acronym=old.acronym)
            new.start = min(old.end + timedelta(days=rng.randrange(14, 130)), LAST_REGISTRATION)
            old.style = "rereg_old"
            regs.append(new)
        # the rest, by style
        styles = [("surname", 18), ("two_surnames", 7), ("person", 5), ("fantasy", 26), ("brand", 16), ("place", 5),
                  ("admin", 6), ("legal", 4), ("coop", 2), ("hodn", 9)]
        firsts = 4
        while len(regs) < n:
            style = weighted(rng, styles)
            reg = self.new_reg(style, pid())
            self.reg_dates(reg, first=firsts > 0)
            firsts -= 1
            regs.append(reg)
        if not any(r.start == WKI_START for r in regs):
            # the register held a few registrations from the day the Wki came into force
            first = next(r for r in regs if r.style not in ("rereg", "rereg_old") and r.end is None)
            first.start = WKI_START
        for reg in regs:
            if not reg.kvk:
                self.reg_ids(reg)
            reg.weight *= min(rng.paretovariate(1.2), 25.0)
        self.renames_and_changes(regs)
        self.number(regs)
        self.regs = regs

    def renames_and_changes(self, regs: list[Reg]) -> None:
        rng = self.rng
        for reg in regs:
            if reg.style in ("group", "rereg", "rereg_old", "lookalike", "triple"):
                continue
            u = rng.random()
            last = (reg.end or LAST_REGISTRATION) - timedelta(days=30)
            if u < 0.045 and reg.start + timedelta(days=120) < min(last, date(2026, 10, 15)):
                # renamed: the old name is what earlier letters carry
                for _ in range(30):
                    tmp = Reg(pid=reg.pid, style=rng.choice(["surname", "fantasy", "brand"]))
                    old, old_trade = self.reg_name(tmp.style, tmp)
                    if old:
                        old = f"{split_form(old)[0]} {split_form(reg.legal)[1]}".strip()  # a new name keeps the form
                    if old and not old_trade and self.claim_names(reg, old, []):
                        reg.old_legal = old
                        reg.rename = rand_date(rng, reg.start + timedelta(days=120), min(last, date(2026, 10, 15)))
                        if rng.random() < 0.4:
                            reg.trade.append([split_form(old)[0], reg.rename, None])
                        break
            elif u < 0.13 and reg.start < date(2026, 6, 1):
                # a trade name added later
                for _ in range(10):
                    core = split_form(reg.legal)[0]
                    words = core.split()
                    extra = f"{' '.join(words[:-1]) or words[0]} {rng.choice(DM_WORDS[:5] + COLLECT_WORDS[:6])}"
                    if extra != core and self.claim_names(reg, extra, [], frozenset()):
                        reg.trade.append([extra, rand_date(rng, reg.start + timedelta(days=20), date(2026, 10, 20)), None])
                        break
            elif u < 0.17 and reg.trade and reg.start < date(2025, 12, 1):
                # a trade name dropped
                entry = rng.choice(reg.trade)
                entry[2] = rand_date(rng, max(reg.start + timedelta(days=60), WINDOW_START + timedelta(days=60)),
                                     date(2026, 10, 20))

    def number(self, regs: list[Reg]) -> None:
        rng = self.rng
        seq: dict[int, int] = defaultdict(int)
        for reg in sorted(regs, key=lambda r: (r.start, r.pid)):
            seq[reg.start.year] += rng.randrange(1, 4)
            reg.nr = f"R{reg.start.year}-{seq[reg.start.year]:05d}"

    # --- exempt offices ----------------------------------------------------------------------------
    def office_name(self, beroep: str) -> tuple[str, list[tuple[str, str, str]]]:
        rng = self.rng
        g = lambda: rng.choice(GIVEN_NAMES)  # noqa: E731
        if beroep == "gerechtsdeurwaarder":
            shape = weighted(rng, [("kantoor", 25), ("s_gdw", 25), ("two", 15), ("partners", 10), ("place", 8),
                                   ("fantasy", 7), ("region", 5), ("bv", 5)])
        else:
            shape = weighted(rng, [("kantoor", 25), ("s_adv", 25), ("two", 15), ("fantasy", 10), ("legal", 5),
                                   ("brand", 8), ("partners", 7), ("incasso_adv", 5)])
        word = "Gerechtsdeurwaarders" if beroep == "gerechtsdeurwaarder" else "Advocaten"
        t, s = self.surname(common=0.35)
        S = disp_surname(t, s)
        persons = [(g(), t, s)]
        if shape == "kantoor":
            name = f"{'Gerechtsdeurwaarderskantoor' if word == 'Gerechtsdeurwaarders' else 'Advocatenkantoor'} {S}"
        elif shape in ("s_gdw", "s_adv"):
            name = f"{S} {word}"
        elif shape == "two":
            t2, s2 = self.surname(common=0.15)
            if s2 == s:
                return "", []
            persons.append((g(), t2, s2))
            name = f"{S} & {disp_surname(t2, s2)} {word}"
        elif shape == "partners":
            name = f"{S} & Partners {word}"
        elif shape == "place":
            name = f"Deurwaarderskantoor {self.place()[0]}"
            persons = []
        elif shape == "fantasy":
            head, tail = self.fantasy()
            name = f"{head}{tail} {word}"
            persons = []
        elif shape == "region":
            name = f"Gerechtsdeurwaarders {rng.choice(REGIONS)}"
            persons = []
        elif shape == "bv":
            name = f"{S} Deurwaarders B.V."
        elif shape == "legal":
            name = f"{S} {rng.choice(['Legal', 'Law'])}"
        elif shape == "brand":
            name = f"{self.brand()} Advocatuur"
            persons = []
        else:
            name = f"{S} Incasso-advocaten"
        return name, persons

    def build_offices(self, n: int) -> None:
        rng = self.rng
        offices: list[Office] = []
        triples = list(self.triples)
        firm_no = 0
        while len(offices) < n:
            firm_no += 1
            beroep = "gerechtsdeurwaarder" if rng.random() < 0.55 else "advocaat"
            pid0 = f"E{len(offices) + 1:04d}"
            if triples:
                t, s = triples.pop()
                word = rng.choice(["Advocaten", "Gerechtsdeurwaarders", "Advocatenkantoor"])
                beroep = "advocaat" if word.startswith("Advocat") else "gerechtsdeurwaarder"
                name = f"{disp_surname(t, s)} {word}" if word != "Advocatenkantoor" else f"Advocatenkantoor {disp_surname(t, s)}"
                persons = [(rng.choice(GIVEN_NAMES), t, s)]
            else:
                name, persons = self.office_name(beroep)
            if not name or not self.registry.free(name, pid0):
                continue
            self.registry.claim(name, pid0)
            locations = 1
            if rng.random() < (0.12 if beroep == "gerechtsdeurwaarder" else 0.05):
                locations = rng.randrange(2, 5)
            with_kvk = rng.random() < 0.75
            separate_kvk = locations > 1 and rng.random() < 0.5
            first_place = self.place()
            places = [first_place] + [p for p in PLACES if p[4] == first_place[4] and p[0] != first_place[0]]
            others = [p for p in PLACES if p not in places]
            rng.shuffle(others)
            places = (places + others)[:locations]
            site = None
            if rng.random() < 0.6:
                site = self.uniq.domain(self.domain_stems(name, None), (rng.choice([".nl", ".nl", ".com", ".law"]), ".nl"))
            kvk = self.uniq.kvk(old=rng.random() < 0.4) if with_kvk else None
            for place in places:
                office = Office(pid=f"E{len(offices) + 1:04d}", naam=name, beroep=beroep, plaats=place[0],
                                region=place[4], firm=f"F{firm_no:04d}", persons=list(persons))
                if locations > 1:
                    office.kvk = self.uniq.kvk() if separate_kvk else None
                else:
                    office.kvk = kvk
                if site:
                    added = WKI_START if rng.random() < 0.85 else rand_date(rng, date(2024, 6, 1), date(2026, 9, 30))
                    office.websites.append((site, added))
                office.weight = min(rng.paretovariate(1.3), 15.0)
                office.ibans.append(self.uniq.iban("NL"))
                office.phones.append(self.uniq.phone(place[3]))
                offices.append(office)
                if len(offices) >= n:
                    break
        self.offices = offices

    # --- unregistered collectors -------------------------------------------------------------------
    ADJECTIVES = ["Snel", "Direct", "Eerlijk", "Nationaal", "Landelijk", "Centraal", "Holland", "Euro", "Zeker",
                  "Vlot", "Prompt", "Efficiënt", "Modern", "Easy", "Smart", "Quick", "Rapid", "Royal", "Prima",
                  "Totaal", "Uniek", "Loyaal", "Solide", "Stabiel", "Actief", "Helder", "Nieuw", "Betrouwbaar"]
    FOREIGN_HEADS = ["Euro", "Nordic", "Baltic", "Global", "Continental", "Atlantic", "Benelux", "Europa", "Alpine",
                     "Iberia", "Hanse", "Celtic", "Adriatic", "Meridian", "Crown", "Union"]
    FOREIGN_WORDS = ["Debt Recovery", "Credit Solutions", "Claims", "Collect", "Debt Collection", "Receivables",
                     "Inkasso", "Recovery Services", "Collections"]

    def collector_names(self, c: Collector) -> list[str]:
        rng = self.rng
        st = c.style
        adj = lambda: rng.choice(self.ADJECTIVES)  # noqa: E731
        if st == "plain":
            shape = weighted(rng, [("fantasy", 30), ("brand", 25), ("adj", 30), ("adj_place", 15)])
            if shape == "fantasy":
                return [f"{''.join(self.fantasy())} {self.coll_word()}"]
            if shape == "brand":
                return [f"{self.brand()} {self.coll_word()}"]
            if shape == "adj":
                return [rng.choice([f"{adj()} Incasso {rng.choice(['Nederland', 'Service', 'Partners', 'Groep'])}",
                                    f"{adj()} {rng.choice(COLLECT_WORDS)}", f"{adj()} {rng.choice(DM_WORDS[:5])}",
                                    f"Incassobureau {adj()}"])]
            return [f"{adj()} Incasso {rng.choice(REGIONS)}"]
        if st == "person":
            t, s = ("", rng.choice(RARE_SURNAMES)) if rng.random() < 0.8 else self.surname(common=0.0)
            g = rng.choice(GIVEN_NAMES)
            c.surnames, c.given = [(t, s)], g
            person = f"{g} {disp_surname(t, s, lead=False)}"
            return [rng.choice([f"Incasso {person}", f"{person} Incassodiensten", f"{person} Incasso & Advies",
                                f"{g[0]}. {disp_surname(t, s)} Incasso", f"Incassobureau {person}"])]
        if st == "foreign":
            form = rng.choice(FOREIGN_FORMS)
            if rng.random() < 0.5:
                return [f"{rng.choice(self.FOREIGN_HEADS)} {rng.choice(self.FOREIGN_WORDS)} {form}"]
            return [f"{self.brand()} {rng.choice(self.FOREIGN_WORDS)} {form}"]
        if st == "web_only":
            B = self.brand()
            return [rng.choice([f"Betaalportaal {B}", f"{B} Online Incasso", f"Mijn{B} Dossier", f"{B} Betaaldienst",
                                f"{adj()}{B} Incasso"])]
        if st == "fake_bailiff":
            if rng.random() < 0.3 and self.offices:
                office = rng.choice([o for o in self.offices if o.persons and o.beroep == "gerechtsdeurwaarder"] or self.offices)
                if office.persons:
                    _, t, s = office.persons[0]
                    t2, s2 = self.surname(common=0.0)
                    return [f"Deurwaarderskantoor {disp_surname(t, s)} & {disp_surname(t2, s2)}"]
            return [rng.choice([f"Gerechtsdeurwaarderskantoor {''.join(self.fantasy())}",
                                f"Landelijk Deurwaardersbureau {rng.choice(REGIONS)}",
                                f"{adj()} Deurwaarders & Incasso", f"Incasso- en Deurwaardersbureau {rng.choice(REGIONS)}",
                                f"Deurwaardersbureau {self.brand()}", f"{self.brand()} Gerechtsdeurwaarders"])]
        if st == "shared_surname":
            t, s = c.surnames[0]
            S = disp_surname(t, s)
            return [rng.choice([f"{S} Juridisch Incasso", f"{S} Incasso & Rechtshulp", f"{S} Juristen & Incasso",
                                f"{S} Administratie & Incasso"])]
        if st == "kvk_only":
            return [f"{''.join(self.fantasy())} {self.coll_word()}" if rng.random() < 0.6
                    else f"{self.brand()} {self.coll_word()}"]
        if st == "lookalike":
            reg = self.regs_by_pid[c.resembles]
            core = split_form(reg.legal)[0]
            options = []
            if reg.fantasy and reg.fantasy[1]:
                head, tail = reg.fantasy
                other = rng.choice([x for x in FANTASY_TAILS if x != tail])
                options.append(core.replace(head + tail, head + other))
            if reg.surnames:
                t, s = reg.surnames[0]
                S = disp_surname(t, s)
                t2, s2 = self.surname(common=0.0)
                options.append(f"{S} & {disp_surname(t2, s2)} {rng.choice(COLLECT_WORDS[:4])}")
                options.append(f"{S} Juridisch Incasso")
            words = core.split()
            dist = [w for w in words if re.fullmatch(r"[a-z']+", fold(w)) and fold(w) not in GENERIC_WORDS
                    and fold(w) not in {"en", "gebr", "zn", "co"}]
            if dist:
                d = " ".join(dist)
                options.append(f"{d} {rng.choice(['Juridisch Incasso', 'Financial Services', 'Administratie', 'Rechtshulp'])}")
            return [rng.choice(options)]
        raise ValueError(st)

    def build_collectors(self, n: int) -> None:
        rng = self.rng
        self.regs_by_pid = {r.pid: r for r in self.regs}
        index = NameIndex()
        for r in self.regs:
            for nm in r.all_names():
                index.add(nm, r.pid)
        for o in self.offices:
            index.add(o.naam, o.pid)
        collectors: list[Collector] = []
        styles = [("plain", 30), ("lookalike", 11), ("fake_bailiff", 8), ("clone", 6), ("person", 8), ("foreign", 10),
                  ("web_only", 12), ("kvk_only", 4)]
        triples = list(self.triples)
        clone_pool = [r for r in self.regs if r.style in ("fantasy", "brand", "surname", "place", "two_surnames")
                      and r.end is None]
        look_pool = [r for r in self.regs if r.style in ("fantasy", "surname", "brand", "two_surnames", "triple")]
        rng.shuffle(clone_pool)
        rng.shuffle(look_pool)
        attempts = 0
        failures: Counter[str] = Counter()
        while len(collectors) < n and attempts < n * 40:
            attempts += 1
            pid = f"U{len(collectors) + 1:04d}"
            style = "shared_surname" if triples else weighted(rng, styles)
            c = Collector(pid=pid, style=style)
            if style == "shared_surname":
                c.surnames = [triples[-1]]
            if style == "clone":
                if not clone_pool:
                    continue
                reg = clone_pool.pop()
                c.resembles = reg.pid
                c.names = [rng.choice(reg.final_names())]
                keys = name_keys(c.names[0], signal=False)
                if any(likeness(k, pk) >= 80 for cand in index.candidates(keys) if cand.startswith("U")
                       for k in keys for pk in index.keys_of[cand]):
                    continue
            else:
                if style == "lookalike":
                    if not look_pool:
                        continue
                    c.resembles = look_pool[-1].pid
                names = self.collector_names(c)
                if style in ("plain", "web_only", "person") and rng.random() < 0.3:
                    names = names + self.collector_names(c)
                    if strict_keys(names[0]) == strict_keys(names[1]):
                        names = names[:1]
                ok = True
                for nm in names:
                    if not self.registry.free(nm, pid):
                        ok = False
                        break
                    keys = name_keys(nm, signal=False)
                    for cand in index.candidates(keys):
                        if cand == c.resembles:
                            continue
                        score = max((likeness(k, pk) for k in keys for pk in index.keys_of[cand]), default=0)
                        if score >= (80 if cand.startswith("U") else 90):
                            ok = False
                            break
                    if not ok:
                        break
                    if c.resembles:
                        reg = self.regs_by_pid[c.resembles]
                        score = max(likeness(k, pk) for k in keys for n2 in reg.all_names()
                                    for pk in name_keys(n2, signal=False))
                        if not 60 <= score <= 92:
                            ok = False
                            break
                if not ok:
                    failures[style] += 1
                    if failures[style] % 25 == 0:
                        if style == "shared_surname":
                            triples.pop()
                        elif style == "lookalike":
                            look_pool.pop()
                    continue
                if style == "lookalike":
                    look_pool.pop()
                if style == "shared_surname":
                    triples.pop()
                c.names = names
                for nm in names:
                    self.registry.claim(nm, pid)
            for nm in c.names:
                index.add(nm, pid)
            self.collector_ids(c)
            if c.legal and c.legal not in c.names:
                index.add(c.legal, pid)
            c.weight = min(rng.paretovariate(1.1), 20.0)
            collectors.append(c)
        self.collectors = collectors
        self.index = index

    def collector_ids(self, c: Collector) -> None:
        rng, uniq = self.rng, self.uniq
        st = c.style
        p_kvk = {"clone": 1, "kvk_only": 1, "plain": 0.55, "person": 0.5, "lookalike": 0.6, "fake_bailiff": 0.4,
                 "foreign": 0.15, "web_only": 0.2, "shared_surname": 0.6}[st]
        if rng.random() < p_kvk:
            c.kvk = uniq.kvk()
            core, form = split_form(c.names[0])
            if st == "person" or (st != "foreign" and rng.random() < 0.15):
                c.legal = core if st == "person" else f"{core} B.V."
            elif st == "foreign":
                c.legal = c.names[0]
            else:
                c.legal = f"{core} {form or rng.choice(['B.V.', 'B.V.', 'V.O.F.'])}"
        n_iban = weighted(rng, [(1, 65), (2, 25), (3, 10)])
        if st == "kvk_only":
            n_iban = 0
        for _ in range(n_iban):
            if st == "foreign" or (st in ("clone", "web_only") and rng.random() < 0.5) or rng.random() < 0.08:
                country = rng.choice(["LT", "EE", "DE", "BE", "GB", "IE", "MT", "ES", "CY"])
            else:
                country = "NL"
            c.ibans.append(uniq.iban(country))
        p_site = {"web_only": 1, "clone": 0.8, "foreign": 0.7, "plain": 0.5, "fake_bailiff": 0.5, "lookalike": 0.4,
                  "person": 0.2, "shared_surname": 0.4, "kvk_only": 0.3}[st]
        if rng.random() < p_site:
            if st == "clone":
                reg = self.regs_by_pid[c.resembles]
                base = reg.websites[0][0].rsplit(".", 1)[0] if reg.websites else slug(split_form(c.names[0])[0])
                stems = [f"{base}-{rng.choice(['betalen', 'online', 'dossier', 'incasso', 'nl', 'pay'])}", base + "-nl"]
                dom = uniq.domain(stems, (rng.choice([".com", ".eu", ".net", ".nl", ".info"]), ".com"))
            else:
                dom = uniq.domain(self.domain_stems(c.names[0]) + [slug(c.names[0]) + "nl"],
                                  (rng.choice([".nl", ".com", ".eu", ".net", ".info", ".online"]), ".com"))
            if dom:
                c.websites.append(dom)
                if st == "web_only" and rng.random() < 0.4:
                    dom2 = uniq.domain([f"mijn{dom.split('.')[0]}", f"{dom.split('.')[0]}-betalen"], (".nl", ".com"))
                    if dom2:
                        c.websites.append(dom2)
        if c.websites and rng.random() < 0.6:
            c.emails.append(f"{rng.choice(['info', 'incasso', 'betalingen', 'dossier', 'noreply', 'klantenservice'])}@{c.websites[0]}")
        if rng.random() < 0.35 or (not c.emails and st == "person"):
            local = slug(split_form(c.names[0])[0], rng.choice([".", "", "_"]))[:24] + rng.choice(["", "", "1", "nl", "2024"])
            if uniq.take("mail" + local):
                c.emails.append(f"{local}@{rng.choice(FREE_MAIL)}")
        if rng.random() < 0.75:
            if st == "foreign" and rng.random() < 0.5:
                c.phones.append(uniq.foreign_phone(rng.choice(sorted(FOREIGN_PHONES))))
            else:
                area = weighted(rng, [("06", 40), ("085", 15), ("088", 10), ("", 30)])
                if not area:
                    area = self.place()[3]
                c.phones.append(uniq.phone(area))
            if rng.random() < 0.2:
                c.phones.append(uniq.phone("06"))
        if st != "foreign" and rng.random() < 0.6:
            self.address(c)


class NameIndex:
    """Every party's names as the guard reads them, for finding the parties a written name may mean."""

    def __init__(self) -> None:
        self.sorted_keys: list[str] = []
        self.owner: list[str] = []
        self.by_token: dict[str, set[str]] = defaultdict(set)
        self.keys_of: dict[str, list[Key]] = defaultdict(list)

    def add(self, name: str, pid: str) -> None:
        for k in name_keys(name, signal=False):
            if k in self.keys_of[pid]:
                continue
            self.keys_of[pid].append(k)
            self.sorted_keys.append(k.sorted_joined)
            self.owner.append(pid)
            for t in k.dist:
                self.by_token[t].add(pid)

    def candidates(self, keys: list[Key], limit: int = 12) -> list[str]:
        found: dict[str, None] = {}
        for k in keys:
            if not k.sorted_joined:
                continue
            for _, _, i in process.extract(k.sorted_joined, self.sorted_keys, scorer=fuzz.ratio, limit=limit,
                                           score_cutoff=50):
                found[self.owner[i]] = None
            if k.joined != k.sorted_joined:
                for _, _, i in process.extract(k.joined, self.sorted_keys, scorer=fuzz.ratio, limit=limit // 2,
                                               score_cutoff=50):
                    found[self.owner[i]] = None
            for t in k.dist:
                for pid in sorted(self.by_token.get(t, ())):
                    found[pid] = None
        return list(found)


# ------------------------------------------------------------------------------------------------
# How names get written: variations (each returns None when it does not apply)
# ------------------------------------------------------------------------------------------------

FORM_KIND = {"B.V.": "bv", "BV": "bv", "V.O.F.": "vof", "VOF": "vof", "N.V.": "nv", "C.V.": "cv", "U.A.": "ua"}
FORM_SPELLED = {"bv": ["Besloten Vennootschap", "besloten vennootschap"], "vof": ["Vennootschap onder Firma"],
                "nv": ["Naamloze Vennootschap"], "cv": ["Commanditaire Vennootschap"]}
SHORT_TYPOS = {"bos": "Bosch", "mol": "Moll", "vos": "Voss", "kok": "Kock", "smit": "Smid", "post": "Posth",
               "stam": "Stamm", "valk": "Valck", "vonk": "Vonck", "maas": "Maes", "roos": "Roose", "blom": "Bloem",
               "vink": "Vinck", "prins": "Prinsen", "wit": "Witt", "dam": "Damm", "pol": "Poll", "ven": "Venn",
               "veen": "Veene", "beek": "Beeke", "haan": "Haen", "hof": "Hoff", "os": "Oss", "dijk": "Dijck",
               "berg": "Bergh", "groen": "Groene", "kroon": "Krone", "ooms": "Oomes", "evers": "Everts"}
PHONETIC = [("ij", "y"), ("y", "ij"), ("ei", "ij"), ("ij", "ei"), ("ou", "au"), ("au", "ou"), ("c", "k"),
            ("ph", "f"), ("dt", "t"), ("sch", "s"), ("ck", "k"), ("x", "ks"), ("th", "t"), ("ui", "uy")]
CLUTTER = [
    "ivm vordering van {cred} via {name}", "{name} namens {cred}", "{name} t.a.v. afd. debiteuren",
    "{cred} p/a {name}", "{name} i.o.v. {cred}", "i.v.m. {cred}: {name}", "{name} (namens {cred})",
    "t.a.v. {name}", "{name}, Postbus {pb}", "vordering {cred} - {name}", "Retour: {name}",
]


def _case_like(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _is_generic_word(word: str) -> bool:
    w = fold(word).strip(".,()")
    return w in GENERIC_WORDS or w in {"&", "en", "+"}


def _dist_positions(words: list[str]) -> list[int]:
    return [i for i, w in enumerate(words)
            if re.search(r"[A-Za-zÀ-ÿ]", w) and not _is_generic_word(w) and fold(w).strip(".") not in TUSSEN
            and fold(w).strip(".") not in {"gebr", "zn", "co"}]


def v_form_absent(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    return core if form else None


def v_form_different(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    kind = FORM_KIND.get(form, "")
    options = {"bv": ["V.O.F.", "N.V.", "C.V.", "vof"], "vof": ["B.V.", "BV", "bv"], "": ["B.V.", "BV", "V.O.F."],
               "nv": ["B.V."], "cv": ["B.V.", "V.O.F."], "ua": ["B.V."]}.get(kind)
    return f"{core} {rng.choice(options)}" if options else None


def v_form_spelled(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    spelled = FORM_SPELLED.get(FORM_KIND.get(form, "-"))
    return f"{core} {rng.choice(spelled)}" if spelled else None


def v_form_misplaced(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    if not form:
        return None
    return f"{rng.choice([form, 'BV', 'B.V.'] if FORM_KIND.get(form) == 'bv' else [form])} {core}"


def v_caps(name: str, ctx: dict, rng: random.Random) -> str | None:
    return name.upper()


def v_lower(name: str, ctx: dict, rng: random.Random) -> str | None:
    return name.lower()


def v_diacritics(name: str, ctx: dict, rng: random.Random) -> str | None:
    out = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    out = unicodedata.normalize("NFC", out)
    return out if out != name else None


def v_amp(name: str, ctx: dict, rng: random.Random) -> str | None:
    if " & " in name:
        return name.replace(" & ", rng.choice([" en ", " + ", "&", " and ", " En "]), 1)
    if " en " in name:
        return name.replace(" en ", " & ", 1)
    return None


def v_word_order(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    words = core.split()
    if len(words) < 2:
        return None
    gen = [i for i, w in enumerate(words) if _is_generic_word(w) and fold(w) not in {"&", "en", "partners", "zn", "zonen"}]
    if not gen:
        return None
    if gen[0] == 0:
        n = 1
        while n < len(words) and n in gen:
            n += 1
        new = words[n:] + words[:n]
    elif gen[-1] == len(words) - 1:
        n = len(words) - 1
        while n - 1 >= 0 and (n - 1) in gen:
            n -= 1
        new = words[n:] + words[:n]
    else:
        return None
    if new == words or fold(new[0]) in {"&", "en", "+"} or fold(new[-1]) in {"&", "en", "+"}:
        return None
    if any(fold(w) in {"&", "en", "+"} for w in (words[:n] if gen[0] == 0 else words[n:])):
        return None
    new[0] = new[0][:1].upper() + new[0][1:]
    return " ".join(new) + (f" {form}" if form else "")


def v_biz_dropped(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    words = core.split()
    keep = [w for w in words if not _is_generic_word(w) or fold(w) in {"&"}]
    while keep and fold(keep[-1]) in {"&", "en"}:
        keep.pop()
    if keep == words or not _dist_positions(keep):
        return None
    return " ".join(keep) + (f" {form}" if form and rng.random() < 0.5 else "")


def v_biz_added(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    keys = name_keys(core, signal=False)
    fams = set().union(*(k.fams for k in keys)) if keys else set()
    if fams & {BAIL, LAWY}:
        return None
    if not fams & {COLL, DM}:
        return f"{core} {rng.choice(['Incasso', 'Incassobureau', 'Debiteurenbeheer'])}"
    low = fold(core)
    options = []
    if not low.startswith("incasso") and COLL not in fams:
        options.append(f"Incassobureau {core}")
    if DM not in fams:
        options.append(f"{core} & Debiteurenbeheer")
    if "invordering" not in low:
        options.append(f"{core} & Invorderingen")
    if COLL not in fams:
        options.append(f"{core} Incasso")
    return rng.choice(options) if options else None


def v_biz_synonym(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    for word, options in sorted(SYNONYMS_SAME_FAMILY.items(), key=lambda kv: -len(kv[0])):
        m = re.search(rf"\b{re.escape(word)}\b", core)
        if m:
            new = core[: m.start()] + rng.choice(options) + core[m.end():]
            return new + (f" {form}" if form else "")
    return None


def v_place_added(name: str, ctx: dict, rng: random.Random) -> str | None:
    if not ctx.get("plaats") or fold(ctx["plaats"]) in fold(name):
        return None
    core, form = split_form(name)
    return f"{core} {ctx['plaats']}" + (f" {form}" if form and rng.random() < 0.4 else "")


def v_vestiging_place(name: str, ctx: dict, rng: random.Random) -> str | None:
    if not ctx.get("plaats") or fold(ctx["plaats"]) in fold(name):
        return None
    p = ctx["plaats"]
    return rng.choice([f"{name} vestiging {p}", f"{name} (vestiging {p})", f"{name}, {p}", f"{name} - kantoor {p}"])


def v_clutter(name: str, ctx: dict, rng: random.Random) -> str | None:
    template = rng.choice(CLUTTER)
    return template.format(name=name, cred=ctx.get("creditor") or rng.choice(CREDITORS), pb=rng.randrange(100, 99999))


def v_joined(name: str, ctx: dict, rng: random.Random) -> str | None:
    core, form = split_form(name)
    words = core.split()
    pos = _dist_positions(words)
    pairs = [i for i in range(len(words) - 1) if (i in pos or i + 1 in pos) and words[i] != "&" and words[i + 1] != "&"
             and fold(words[i]) not in TUSSEN and fold(words[i + 1]) not in TUSSEN and not words[i].endswith(".")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    joined = words[i] + (words[i + 1] if rng.random() < 0.7 else words[i + 1].lower())
    return " ".join(words[:i] + [joined] + words[i + 2:]) + (f" {form}" if form else "")


def v_split(name: str, ctx: dict, rng: random.Random) -> str | None:
    fantasy = ctx.get("fantasy")
    if fantasy and fantasy[1] and (fantasy[0] + fantasy[1]) in name:
        head, tail = fantasy
        return name.replace(head + tail, f"{head}{rng.choice([' ', ' ', '-'])}{tail.capitalize() if rng.random() < 0.6 else tail}", 1)
    for whole, parts in (("Incassobureau", "Incasso Bureau"), ("Debiteurenbeheer", "Debiteuren Beheer"),
                         ("Incassodiensten", "Incasso Diensten"), ("Creditmanagement", "Credit Management"),
                         ("Vorderingenbeheer", "Vorderingen Beheer"), ("Incassoservice", "Incasso Service"),
                         ("Gerechtsdeurwaarders", "Gerechts Deurwaarders"), ("Advocatenkantoor", "Advocaten Kantoor"),
                         ("Administratiekantoor", "Administratie Kantoor")):
        if whole in name:
            return name.replace(whole, parts, 1)
    return None


def v_typo_short(name: str, ctx: dict, rng: random.Random) -> str | None:
    words = name.split()
    for i in _dist_positions(words):
        w = words[i].strip(",.")
        key = fold(w)
        if key in SHORT_TYPOS:
            words[i] = _case_like(SHORT_TYPOS[key], w)
            return " ".join(words)
    given = ctx.get("given") or ""
    short = [i for i in _dist_positions(words) if 3 <= len(words[i]) <= 5 and words[i].isalpha() and words[i] != given]
    if not short:
        return None
    i = rng.choice(short)
    w = words[i]
    words[i] = w + w[-1] if w[-1] not in "aeiou" else w[:-1] + w[-1] * 2
    return " ".join(words)


def v_typo_long(name: str, ctx: dict, rng: random.Random) -> str | None:
    words = name.split()
    long = [i for i in range(len(words)) if len(words[i]) >= 8 and words[i].isalpha()]
    dist_long = [i for i in long if i in _dist_positions(words)]
    if not long:
        return None
    i = rng.choice(dist_long or long)
    w = words[i]
    j = rng.randrange(2, len(w) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap" and w[j] != w[j + 1]:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif op == "drop":
        w = w[:j] + w[j + 1:]
    else:
        w = w[:j] + w[j] + w[j:]
    if w == words[i]:
        return None
    words[i] = w
    return " ".join(words)


def v_phonetic(name: str, ctx: dict, rng: random.Random) -> str | None:
    words = name.split()
    pos = _dist_positions(words)
    options = []
    for i in pos + [i for i in range(len(words)) if i not in pos]:
        low = words[i].lower()
        for a, b in PHONETIC:
            k = low.find(a, 1 if a in ("c", "y") else 0)
            if k >= 0:
                options.append((i, k, a, b))
        if options and i in pos:
            break
    if not options:
        return None
    i, k, a, b = rng.choice(options)
    w = words[i]
    new = w[:k] + _case_like(b, w[k:k + len(a)]) + w[k + len(a):]
    words[i] = new
    return " ".join(words)


def v_ocr(name: str, ctx: dict, rng: random.Random) -> str | None:
    out = name
    for _ in range(rng.choice([1, 1, 2])):
        op = rng.choice(["rn", "l1", "O0", "break", "join", "hyphen", "m_rn", "cl_d"])
        if op == "rn" and "m" in out:
            k = out.index("m")
            out = out[:k] + "rn" + out[k + 1:]
        elif op == "m_rn" and "rn" in out:
            out = out.replace("rn", "m", 1)
        elif op == "l1" and re.search(r"[lI]", out):
            ks = [m.start() for m in re.finditer(r"[lI]", out)]
            k = rng.choice(ks)
            out = out[:k] + rng.choice(["1", "l" if out[k] == "I" else "I"]) + out[k + 1:]
        elif op == "O0" and re.search(r"[oO]", out):
            ks = [m.start() for m in re.finditer(r"[oO]", out)]
            k = rng.choice(ks)
            out = out[:k] + "0" + out[k + 1:]
        elif op == "break":
            words = out.split(" ")
            long = [i for i, w in enumerate(words) if len(w) >= 7]
            if long:
                i = rng.choice(long)
                j = rng.randrange(3, len(words[i]) - 2)
                words[i] = words[i][:j] + " " + words[i][j:]
                out = " ".join(words)
        elif op == "join" and " " in out:
            ks = [m.start() for m in re.finditer(" ", out)]
            k = rng.choice(ks)
            out = out[:k] + out[k + 1:]
        elif op == "hyphen":
            for whole, hy in (("Incassobureau", "Incasso-bureau"), ("Debiteurenbeheer", "Debiteuren-beheer"),
                              ("Incassodiensten", "Incasso-diensten"), ("Gerechtsdeurwaarders", "Gerechtsdeur-waarders"),
                              ("Advocatenkantoor", "Advocaten-kantoor")):
                if whole in out:
                    out = out.replace(whole, hy, 1)
                    break
            else:
                words = out.split(" ")
                long = [i for i, w in enumerate(words) if len(w) >= 8 and w.isalpha()]
                if long:
                    i = rng.choice(long)
                    j = rng.randrange(4, len(words[i]) - 3)
                    words[i] = words[i][:j] + "-" + words[i][j:]
                    out = " ".join(words)
        elif op == "cl_d" and "d" in out:
            k = out.index("d")
            out = out[:k] + "cl" + out[k + 1:]
    return out if out != name else None


def v_initials(name: str, ctx: dict, rng: random.Random) -> str | None:
    given = ctx.get("given")
    if not given or given not in name:
        return None
    k = name.index(given)
    rest = name[k + len(given):].strip()
    before = name[:k]
    style = rng.choice(["initial", "initial", "comma", "double"])
    if style == "comma" and not before.strip():
        surname = rest.split(" Incasso")[0].split(" Debiteuren")[0]
        tail = rest[len(surname):]
        return f"{surname[:1].upper() + surname[1:]}, {given[0]}.{tail}"
    if style == "double":
        return f"{before}{given[0]}.{rng.choice('ABCDEHJKMPRW')}. {rest}"
    return f"{before}{given[0]}. {rest}"


def v_tussenvoegsel(name: str, ctx: dict, rng: random.Random) -> str | None:
    for pattern, options in ((r"\b[Vv]an den\b", ["v.d.", "vd", "Van Den", "v/d", "V.d."]),
                             (r"\b[Vv]an der\b", ["v.d.", "vd", "Van Der", "vd.", "V.D."]),
                             (r"\b[Vv]an de\b", ["v.d.", "vd", "Van De"]),
                             (r"\b[Vv]an 't\b", ["v.t.", "van t", "Van T"]),
                             (r"\b[Ii]n 't\b", ["int", "in t", "In T"]),
                             (r"\b[Vv]an\b", ["v.", "V."]),
                             (r"\b[Dd]e\b(?= [A-Z])", ["de", "De"]),
                             (r"\b[Tt]er\b", ["ter", "Ter"]), (r"\b[Tt]en\b", ["ten", "Ten"])):
        m = re.search(pattern, name)
        if m:
            choice = rng.choice([o for o in options if o != m.group(0)] or options)
            new = name[: m.start()] + choice + name[m.end():]
            return new if new != name else None
    return None


def v_truncated(name: str, ctx: dict, rng: random.Random) -> str | None:
    limit = rng.choice([30, 32, 35, 40])
    if len(name) <= limit:
        limit = max(12, len(name) - rng.randrange(3, 8))
        if limit >= len(name) - 2:
            return None
    return name[:limit].rstrip()


def v_acronym(name: str, ctx: dict, rng: random.Random) -> str | None:
    acronym = ctx.get("acronym")
    if not acronym:
        return None
    rest = rng.choice(["Collect", "Incasso", "", "Credit Management"])
    acr = acronym if rng.random() < 0.6 else ".".join(acronym) + "."
    return f"{acr} {rest}".strip()


def v_caller(name: str, ctx: dict, rng: random.Random) -> str | None:
    """A consumer who was phoned remembers the caller's first name with the firm."""
    g = rng.choice(GIVEN_NAMES)
    core = split_form(name)[0]
    return rng.choice([f"{g} van {core}", f"ene {g} van {core}", f"{core} ({g})", f"een zekere {g} van {core}",
                       f"{g} namens {core}", f"mevrouw {g} van {core}" if g in ("Sandra", "Monique", "Linda", "Ingrid",
                                                                                 "Petra", "Anouk", "Sanne", "Marieke",
                                                                                 "Esther", "Ilse", "Fatima", "Karin",
                                                                                 "Anna") else f"meneer {g} van {core}"])


def v_exact(name: str, ctx: dict, rng: random.Random) -> str | None:
    return name


VARIATIONS = {
    "exact": v_exact, "form_absent": v_form_absent, "form_different": v_form_different,
    "form_spelled": v_form_spelled, "form_misplaced": v_form_misplaced, "caps": v_caps, "lower": v_lower,
    "diacritics": v_diacritics, "amp": v_amp, "word_order": v_word_order, "biz_dropped": v_biz_dropped,
    "biz_added": v_biz_added, "biz_synonym": v_biz_synonym, "place_added": v_place_added,
    "vestiging_place": v_vestiging_place, "clutter": v_clutter, "joined": v_joined, "split": v_split,
    "typo_short": v_typo_short, "typo_long": v_typo_long, "phonetic": v_phonetic, "ocr": v_ocr,
    "initials": v_initials, "tussenvoegsel": v_tussenvoegsel, "truncated": v_truncated, "acronym": v_acronym,
    "caller": v_caller,
}


def abbreviate(name: str, rng: random.Random) -> str:
    """A debt counsellor's shorthand: BV, vof, & zn, gebr."""
    out = name
    out = re.sub(r"B\.V\.", rng.choice(["BV", "bv", "B.V"]), out)
    out = re.sub(r"V\.O\.F\.", rng.choice(["vof", "VOF", "v.o.f."]), out)
    out = out.replace("& Zonen", "& zn").replace("& Zn", rng.choice(["& zn", "&zn"]))
    out = out.replace("Gebroeders", "gebr.").replace("Gebr.", rng.choice(["gebr.", "Gebr", "gebr"]))
    return out


def case_system(name: str, rng: random.Random) -> str:
    """How a municipal case system holds a collector: 'INCASSOBUREAU X BV' or 'X B.V. (INCASSO)'."""
    core, form = split_form(name)
    words = core.split()
    gen = [w for w in words if _is_generic_word(w)
           and fold(w).strip(".") not in {"&", "en", "partners", "zn", "zonen", "co", "gebr", "gebroeders"}]
    dist = [w for w in words if w not in gen]
    while dist and fold(dist[-1]) in {"&", "en"}:
        dist.pop()
    form_short = {"bv": "BV", "vof": "VOF", "nv": "NV", "cv": "CV", "ua": "UA"}.get(FORM_KIND.get(form, ""), "")
    if gen and dist and rng.random() < 0.5:
        text = f"{' '.join(gen)} {' '.join(dist)} {form_short}".strip()
    elif gen and dist:
        text = f"{' '.join(dist)} {form + ' ' if form else ''}({' '.join(gen)})"
    else:
        text = f"{core} {form_short}".strip()
    return text.upper()


# ------------------------------------------------------------------------------------------------
# Identifiers as written, and as the guard reads them
# ------------------------------------------------------------------------------------------------

def write_kvk(rng: random.Random, kvk: str, style: str) -> str:
    if style == "plain":
        return kvk
    if style == "prefixed":
        return rng.choice([f"KvK {kvk}", f"KvK: {kvk}", f"kvk-nr. {kvk}", f"KvK-nummer {kvk}", f"Kvk nr {kvk}",
                           f"KVK {kvk}"])
    if style == "formatted":
        return rng.choice([f"{kvk[:2]} {kvk[2:4]} {kvk[4:6]} {kvk[6:]}", f"{kvk[:4]} {kvk[4:]}",
                           f"{kvk[:2]}.{kvk[2:4]}.{kvk[4:6]}.{kvk[6:]}", f"KvK {kvk[:4]} {kvk[4:]}",
                           f"{kvk[:2]}.{kvk[2:5]}.{kvk[5:]}"])
    if style == "no_zero":
        return kvk.lstrip("0") if rng.random() < 0.6 else "KvK " + kvk.lstrip("0")
    raise ValueError(style)


def write_iban(rng: random.Random, iban: str, style: str | None = None) -> str:
    style = style or weighted(rng, [("spaced", 50), ("compact", 32), ("lower", 8), ("lower_spaced", 5), ("mixed", 5)])
    if style == "spaced":
        return group4(iban)
    if style == "compact":
        return iban
    if style == "lower":
        return iban.lower()
    if style == "lower_spaced":
        return group4(iban).lower()
    return group4(iban[:4]) + " " + iban[4:]


def write_website(rng: random.Random, domain: str) -> str:
    path = rng.choice(["/betalen", "/contact", "/dossier", "/mijn-dossier", "/betaling?ref=" + _digits(rng, 6),
                       "/klantportaal/login", "/", "/index.php?id=" + _digits(rng, 3)])
    return weighted(rng, [(domain, 25), (f"www.{domain}", 25), (f"https://www.{domain}{path}", 20),
                          (f"http://{domain}", 8), (f"https://{domain}/", 8), (f"{domain}{path}", 6),
                          (f"WWW.{domain.upper()}", 4), (f"https://www.{domain}", 4)])


def write_email(rng: random.Random, email: str) -> str:
    if rng.random() < 0.12:
        local, dom = email.split("@")
        return f"{local.capitalize()}@{dom.capitalize() if rng.random() < 0.5 else dom}"
    return email


def write_phone(rng: random.Random, phone: Phone | str) -> str:
    if isinstance(phone, Phone):
        return phone.written(rng)
    return phone if rng.random() < 0.6 else phone.replace(" ", "")


def write_postcode(rng: random.Random, postcode: str) -> str:
    return weighted(rng, [(postcode, 60), (postcode.replace(" ", ""), 30), (postcode.lower(), 5),
                          (postcode.replace(" ", "").lower(), 5)])


def norm_phone(text: str) -> str:
    t = text.replace("(0)", "")
    digits = re.sub(r"\D", "", t)
    if t.strip().startswith("+"):
        if digits.startswith("31"):
            return "0" + digits[2:]
        return "+" + digits
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


def norm_domain(text: str) -> str:
    t = text.strip().lower()
    t = re.sub(r"^[a-z]+://", "", t)
    t = re.split(r"[/?#]", t, maxsplit=1)[0]
    return t[4:] if t.startswith("www.") else t


def guard_ids(row: dict[str, str]) -> list[tuple[str, str]]:
    """The identifiers of a written signal as the guard reads them (typed, normalised)."""
    out: list[tuple[str, str]] = []
    if row.get("kvk_nummer"):
        digits = re.sub(r"\D", "", row["kvk_nummer"])
        if len(digits) == 7:
            digits = "0" + digits
        if len(digits) == 8:
            out.append(("kvk", digits))
        elif len(digits) == 12:
            out.append(("vest", digits))
    if row.get("iban"):
        compact = re.sub(r"\s", "", row["iban"]).upper()
        if iban_valid(compact):
            out.append(("iban", compact))
    if row.get("website"):
        out.append(("dom", norm_domain(row["website"])))
    if row.get("email"):
        mail = row["email"].strip().lower()
        out.append(("mail", mail))
        dom = mail.split("@", 1)[1]
        if dom not in FREE_MAIL:
            out.append(("dom", dom))
    if row.get("telefoon"):
        out.append(("tel", norm_phone(row["telefoon"])))
    return out


def party_ids(party) -> list[tuple[str, str]]:
    """What the register, the exempt list, or (for collectors) their own letters tie to a party."""
    out: list[tuple[str, str]] = []
    if isinstance(party, Reg):
        out.append(("kvk", party.kvk))
        if party.vest:
            out.append(("vest", party.vest))
        out += [("dom", w) for w, _ in party.websites]
        for e, _ in party.emails:
            out.append(("mail", e.lower()))
            if e.split("@")[1] not in FREE_MAIL:
                out.append(("dom", e.split("@")[1]))
        out += [("tel", p.national) for p, _ in party.phones]
        out += [("iban", i) for i, _ in party.ibans]
    elif isinstance(party, Office):
        if party.kvk:
            out.append(("kvk", party.kvk))
        out += [("dom", w) for w, _ in party.websites]
    else:
        if party.kvk:
            out.append(("kvk", party.kvk))
        out += [("iban", i) for i in party.ibans]
        out += [("dom", w) for w in party.websites]
        for e in party.emails:
            out.append(("mail", e.lower()))
            if e.split("@")[1] not in FREE_MAIL:
                out.append(("dom", e.split("@")[1]))
        out += [("tel", p.national if isinstance(p, Phone) else norm_phone(p)) for p in party.phones]
    return out


# ------------------------------------------------------------------------------------------------
# The ambiguity guard
# ------------------------------------------------------------------------------------------------

MARGIN = 6.0
CO_MARGIN = 2.0
MIN_NAME = 82.0


class Guard:
    def __init__(self, regs: list[Reg], offices: list[Office], collectors: list[Collector]) -> None:
        self.party: dict[str, object] = {}
        self.index = NameIndex()
        self.final_keys: dict[str, list[Key]] = {}
        self.owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for p in [*regs, *offices, *collectors]:
            self.party[p.pid] = p
            for nm in p.all_names():
                self.index.add(nm, p.pid)
            keys = []
            for nm in p.final_names():
                for k in name_keys(nm, signal=False):
                    if k not in keys:
                        keys.append(k)
            self.final_keys[p.pid] = keys
            for ident in party_ids(p):
                self.owners[ident].add(p.pid)
        self.places = {pid: p.places() for pid, p in self.party.items()}
        self.firm_members: dict[str, list[str]] = defaultdict(list)
        for r in regs:
            self.firm_members[r.firm].append(r.pid)
        self.dropped: Counter[str] = Counter()

    def score(self, sig_keys: list[Key], pid: str, *, final_only: bool = False) -> float:
        keys = self.final_keys[pid] if final_only else self.index.keys_of.get(pid, [])
        places = self.places[pid]
        return max((likeness(sk, pk, places) for sk in sig_keys for pk in keys), default=0.0)

    @staticmethod
    def _kvk_of(p) -> tuple[str | None, str | None]:
        if isinstance(p, Reg):
            return p.kvk, p.vest
        return getattr(p, "kvk", None), None

    def judge(self, name: str, ids: list[tuple[str, str]], T, D: date) -> tuple[bool, str, list[str]]:
        """(emit?, reason when not, the other registrations the signal names with the same verdict)."""
        co: list[str] = []
        is_reg = isinstance(T, Reg)

        def same_firm(P) -> bool:
            return is_reg and isinstance(P, Reg) and P.firm == T.firm

        def same_verdict(P) -> bool:
            return is_reg and isinstance(P, Reg) and P.verdict_on(D) == T.verdict_on(D)

        id_t = False
        id_owned: set[str] = set()
        kvk_given: tuple[str, str] | None = None
        for ident in ids:
            if ident[0] in ("kvk", "vest"):
                kvk_given = ident
            owners = self.owners.get(ident, set())
            if T.pid in owners:
                id_t = True
            for pid in sorted(owners - {T.pid}):
                P = self.party[pid]
                if same_firm(P) or (is_reg and isinstance(P, Reg) and T.group and P.group == T.group):
                    id_owned.add(pid)
                    continue
                if isinstance(T, Office) and isinstance(P, Office) and P.firm == T.firm:
                    continue  # one firm's offices in several places share a website: exempt either way
                return False, "identifier_of_other_party", []
        sig_keys = name_keys(name) if name else []
        if not sig_keys:
            if not id_t:
                return False, "no_name_no_identifier", []
            for pid in sorted(id_owned):
                P = self.party[pid]
                if same_verdict(P):
                    co.append(pid)
                elif not same_firm(P):
                    return False, "group_identifier_other_verdict", []
            return True, "", co

        def contradicted(P) -> bool:
            if kvk_given is None:
                return False
            kvk, vest = self._kvk_of(P)
            if kvk_given[0] == "kvk":
                return kvk is not None and kvk != kvk_given[1]
            return vest is not None and vest != kvk_given[1]

        def excluded(P) -> bool:
            if contradicted(P):
                return True
            if isinstance(T, Collector):
                return isinstance(P, Collector) and id_t
            return id_t and P.pid not in id_owned

        s_t = self.score(sig_keys, T.pid, final_only=is_reg and not id_t)
        if not id_t:
            if s_t < MIN_NAME:
                return False, "name_too_weak", []
            if is_bare(sig_keys):
                return False, "bare_surname_or_place", []
        candidates = self.index.candidates(sig_keys)
        for pid in sorted(id_owned):
            if pid not in candidates:
                candidates.append(pid)
        if is_reg:
            for pid in self.firm_members.get(T.firm, ()):
                if pid != T.pid and pid not in candidates:
                    candidates.append(pid)
        for pid in candidates:
            if pid == T.pid:
                continue
            P = self.party[pid]
            s_p = self.score(sig_keys, pid)
            if s_p < s_t - MARGIN or s_p < 60:
                continue
            if same_firm(P):
                if same_verdict(P):
                    co.append(pid)
                continue
            if same_verdict(P) and not excluded(P):
                if s_p > s_t + CO_MARGIN:
                    return False, "name_fits_other_registration_better", []
                if s_p >= s_t - CO_MARGIN:
                    co.append(pid)  # named as well as the true registration: both are listed
                continue  # a little less alike, same verdict: the true one is the one meant
            if excluded(P):
                clone_case = isinstance(T, Collector) and contradicted(P)
                if s_p >= 90 and s_t < 75 and not clone_case:
                    return False, "name_points_to_other_party", []
                continue
            if same_verdict(P):
                co.append(pid)
                continue
            if isinstance(T, Office) and isinstance(P, Office):
                continue
            what = "registration" if isinstance(P, Reg) else "exempt_office" if isinstance(P, Office) else "collector"
            return False, f"name_close_to_{what}", []
        return True, "", sorted(set(co), key=lambda pid: self.party[pid].nr)


# ------------------------------------------------------------------------------------------------
# Signals: who writes, how, about whom
# ------------------------------------------------------------------------------------------------

SOURCE_MIX = {
    "reg": [("consument", 38), ("schuldhulpverlener", 25), ("gemeente", 12), ("toezichthouder", 7), ("anoniem", 5),
            ("overig", 13)],
    "ex": [("consument", 42), ("schuldhulpverlener", 26), ("gemeente", 14), ("toezichthouder", 4), ("anoniem", 4),
           ("overig", 10)],
    "un": [("consument", 42), ("schuldhulpverlener", 15), ("gemeente", 8), ("toezichthouder", 8), ("anoniem", 16),
           ("overig", 11)],
}
RECIPES = {
    "consument": [("exact", 3), ("form_absent", 12), ("lower", 10), ("phonetic", 10), ("typo_long", 6),
                  ("typo_short", 3), ("biz_dropped", 5), ("biz_synonym", 4), ("biz_added", 3), ("word_order", 4),
                  ("joined", 4), ("split", 3), ("initials", 4), ("tussenvoegsel", 4), ("amp", 2), ("place_added", 3),
                  ("diacritics", 3), ("acronym", 2), ("trade_name", 6), ("caps", 1), ("caller", 4)],
    "schuldhulpverlener": [("clutter", 18), ("exact", 6), ("form_different", 4), ("form_absent", 6),
                           ("tussenvoegsel", 5), ("amp", 4), ("biz_synonym", 4), ("vestiging_place", 5),
                           ("initials", 3), ("typo_long", 4), ("word_order", 3), ("trade_name", 8), ("acronym", 2),
                           ("diacritics", 3), ("ocr", 4), ("biz_added", 2), ("joined", 2)],
    "gemeente": [("caps", 16), ("truncated", 14), ("case_system", 14), ("form_different", 5), ("form_misplaced", 5),
                 ("tussenvoegsel", 4), ("vestiging_place", 4), ("place_added", 4), ("exact", 5), ("diacritics", 4),
                 ("trade_name", 5)],
    "toezichthouder": [("exact", 22), ("hodn", 20), ("form_spelled", 14), ("form_different", 4), ("trade_name", 10),
                       ("word_order", 4), ("form_misplaced", 3)],
    "anoniem": [("partial", 25), ("lower", 10), ("biz_dropped", 8), ("phonetic", 6), ("trade_name", 6), ("exact", 5)],
    "overig": [("ocr", 50), ("split", 6), ("joined", 6), ("exact", 6), ("typo_long", 5), ("form_misplaced", 4),
               ("trade_name", 6)],
}
ID_HABITS = {  # probability that a writer passes on each identifier
    "consument": {"iban": 0.2, "tel": 0.17, "email": 0.08, "website": 0.08, "kvk": 0.03, "postcode": 0.05},
    "schuldhulpverlener": {"iban": 0.36, "kvk": 0.07, "tel": 0.1, "email": 0.05, "website": 0.05, "postcode": 0.15},
    "gemeente": {"kvk": 0.14, "iban": 0.14, "tel": 0.05, "postcode": 0.7},
    "toezichthouder": {"kvk": 0.55, "website": 0.3, "iban": 0.1, "postcode": 0.3},
    "anoniem": {"website": 0.4, "tel": 0.32, "email": 0.1, "iban": 0.05},
    "overig": {"iban": 0.28, "kvk": 0.1, "website": 0.1, "tel": 0.1, "postcode": 0.2},
}
BRIEF_SHARE = {"consument": 0.6, "schuldhulpverlener": 0.93, "gemeente": 0.75, "toezichthouder": 0.8, "anoniem": 0.25,
               "overig": 0.95, "kvk": 0.0}
DESCRIPTIONS = {
    "consument": ["Aanmaning ontvangen voor een rekening van {cred}", "Word steeds gebeld, ook 's avonds laat",
                  "Kosten zijn hoger dan de rekening zelf", "Brief dreigt met beslag en de deurwaarder",
                  "Ik had de rekening van {cred} al betaald", "Geen registratienummer op de brief",
                  "Telefonisch onder druk gezet om direct te betalen", "Kreeg een WhatsApp met een betaallink",
                  "Ken dit bedrijf niet, nooit iets besteld", "Dreigen met BKR-registratie", "",
                  "Mijn moeder (AOW) krijgt brieven van dit bureau", "Betalingsregeling geweigerd", ""],
    "schuldhulpverlener": ["Cliënt in minnelijk traject, incassant blijft kosten opvoeren",
                           "Beslagvrije voet niet gerespecteerd", "Cliënt onder bewind; brieven naar oud adres",
                           "Vordering van {cred}, incassokosten te hoog", "Cliënt heeft een uitkering, regeling geweigerd",
                           "Schuldsanering (WSNP) aangevraagd, incasso gaat door", "Geen reactie op saneringsvoorstel",
                           "Rente en kosten niet gespecificeerd", "Cliënt psychisch kwetsbaar, dreigende toon"],
    "gemeente": ["Melding via schuldhulploket", "Vroegsignalering betaalachterstand {cred}", "Doorgestuurd door wijkteam",
                 "Klacht burger over incassobureau", "Signaal uit budgetbeheer", ""],
    "toezichthouder": ["Doorgezonden door ACM (ConsuWijzer)", "Signaal AFM", "Melding BFT: geen gerechtsdeurwaarder",
                       "Doorgezonden door Kifid", "Signaal Autoriteit Persoonsgegevens", "Doorgezonden door NVVK"],
    "anoniem": ["Anonieme tip: werkt zonder registratie", "Tip via meldformulier", "Website biedt incasso aan",
                "Ex-medewerker meldt werkwijze", "Tip: belt namens {cred}", ""],
    "overig": ["Gescande brief via Het Juridisch Loket", "Brief doorgestuurd door Consumentenbond",
               "Via de Nationale ombudsman", "Scan van aanmaning (OCR)", "Brief via het Geldloket"],
}
REF_PREFIX = {"consument": "MLD", "schuldhulpverlener": "SHV", "gemeente": "GM", "toezichthouder": "TZH",
              "anoniem": "TIP", "overig": "JL", "kvk": "KVK"}
GEMEENTE_CODES = ["0363", "0599", "0518", "0344", "0772", "0014", "0855", "0034", "0758", "0268", "0200", "0392",
                  "0202", "0153", "0307", "0479", "0796", "0193", "0546", "0935"]
TOEZICHT = ["ACM", "AFM", "BFT", "DNB", "AP", "KIFID"]


@dataclass
class Draft:
    party: object
    cls: str
    kind: str
    bron: str
    ref_date: date
    brief: bool
    name: str = ""
    row: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    bridged: bool = False
    received: date | None = None


def bik(hoofdsom: float) -> float:
    """The BIK scale (buitengerechtelijke incassokosten), excluding VAT."""
    steps = [(2500, 0.15), (2500, 0.10), (5000, 0.05), (190000, 0.01), (float("inf"), 0.005)]
    rest, total = hoofdsom, 0.0
    for size, rate in steps:
        part = min(rest, size)
        total += part * rate
        rest -= part
        if rest <= 0:
            break
    return round(min(max(total, 40.0), 6775.0), 2)


def dutch_amount(rng: random.Random, value: float) -> str:
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return weighted(rng, [(text, 60), (text.replace(".", ""), 25), ("€ " + text, 8),
                          (text[:-3].replace(".", "") if text.endswith(",00") else text, 7)])


def window_ok(lo: date, hi: date) -> bool:
    return max(lo, WINDOW_START) <= min(hi, WINDOW_END)


class SignalMaker:
    def __init__(self, b: Builder, seed: int, n: int) -> None:
        self.b = b
        self.n = n
        self.rng = random.Random(f"habits-{seed}-signals")
        self.guard = Guard(b.regs, b.offices, b.collectors)
        self.drafts: list[Draft] = []
        self.ref_no: Counter[str] = Counter()
        self.gave_up: Counter[str] = Counter()
        self.drop_log: list[tuple] = []
        self._cum: dict[int, tuple[list, list[float]]] = {}
        self._pools: dict[str, list] = {}

    # --- dates -----------------------------------------------------------------------------------
    def pick_day(self, lo: date, hi: date) -> date | None:
        lo, hi = max(lo, WINDOW_START), min(hi, WINDOW_END)
        if lo > hi:
            return None
        span = (hi - lo).days
        day = lo + timedelta(days=int(span * (self.rng.random() ** 0.85)))
        if day >= LATE_SNAPSHOT - timedelta(days=28) and lo < day - timedelta(days=30) and self.rng.random() < 0.85:
            # few letters of the last weeks have reached the Inspectie yet
            day = lo + timedelta(days=int(span * (self.rng.random() ** 0.85)))
        return day

    def valid_day(self, reg: Reg) -> date | None:
        return self.pick_day(reg.start, (reg.end - timedelta(days=1)) if reg.end else WINDOW_END)

    # --- names -------------------------------------------------------------------------------------
    def ctx(self, party, creditor: str) -> dict:
        ctx = {"plaats": party.plaats, "creditor": creditor}
        if isinstance(party, Reg):
            ctx.update(given=party.given, fantasy=party.fantasy, acronym=party.acronym)
        elif isinstance(party, Collector):
            ctx.update(given=party.given)
        return ctx

    def vary(self, base: str, recipe: str, ctx: dict) -> str | None:
        if recipe == "case_system":
            return case_system(base, self.rng)
        return VARIATIONS[recipe](base, ctx, self.rng)

    def habits(self, name: str, bron: str, recipe: str, notes: list[str]) -> str:
        rng = self.rng
        if not name:
            return name
        if bron == "consument":
            if recipe not in ("lower", "caps", "form_different", "form_spelled", "form_misplaced") and rng.random() < 0.5:
                core, form = split_form(name)
                if form:
                    name = core
                    notes.append("habit: form left out")
            if recipe not in ("caps", "lower") and rng.random() < 0.25:
                name = name.lower()
                notes.append("habit: lower case")
        elif bron == "schuldhulpverlener" and rng.random() < 0.5:
            new = abbreviate(name, rng)
            if new != name:
                notes.append("habit: abbreviations")
                name = new
        elif bron == "gemeente":
            if recipe != "lower" and rng.random() < 0.7 and not name.isupper():
                name = name.upper()
                notes.append("habit: capitals")
            limit = rng.choice([30, 35, 40, 40])
            if len(name) > limit:
                name = name[:limit].rstrip()
                notes.append(f"habit: cut at {limit}")
        elif bron == "anoniem" and recipe != "lower" and rng.random() < 0.3:
            name = name.lower()
            notes.append("habit: lower case")
        return name

    def partial(self, base: str) -> str | None:
        rng = self.rng
        words = split_form(base)[0].split()
        pos = _dist_positions(words)
        if not pos:
            return None
        w = words[pos[-1] if rng.random() < 0.3 else pos[0]]
        low = w.lower()
        cut = low[: max(4, int(len(low) * 0.7))]
        return rng.choice([f"iets met {low}", f"{cut}... incasso", f"{low} of zo", f"{low} incasso ofzo",
                           f"{cut} (naam niet precies)", f"iets met {low} incasso"])

    def base_names(self, party, D: date) -> tuple[str, list[str]]:
        """(legal name, trade names) as a letter of day D carries them."""
        if isinstance(party, Reg):
            return party.legal_at(D), party.trade_at(D)
        if isinstance(party, Office):
            return party.naam, []
        return party.names[0], party.names[1:]

    def name_for(self, party, D: date, bron: str, recipe: str, notes: list[str], creditor: str,
                 base: str | None = None) -> str | None:
        legal, trade = self.base_names(party, D)
        if base is None:
            base = legal
            if recipe == "trade_name":
                if not trade:
                    return None
                base = self.rng.choice(trade)
                notes.append(f"trade name {base!r}")
            elif trade and isinstance(party, Reg) and (party.style == "hodn" or self.rng.random() < 0.35):
                base = self.rng.choice(trade)
                notes.append(f"trade name {base!r}")
        if recipe == "trade_name":
            return self.habits(base, bron, "exact", notes)
        if recipe == "hodn":
            if not trade:
                return None
            t = self.rng.choice(trade)
            text = self.rng.choice([f"{legal} h.o.d.n. {t}", f"{legal} handelend onder de naam {t}",
                                    f"{legal} (h.o.d.n. {t})", f"{legal} hodn {t}"])
            notes.append("legal name h.o.d.n. trade name")
            return text
        if recipe == "partial":
            return self.partial(base)
        name = self.vary(base, recipe, self.ctx(party, creditor))
        if name is None:
            return None
        if recipe != "exact":
            notes.append(f"{recipe}: {base!r} -> {name!r}")
        return self.habits(name, bron, recipe, notes)

    # --- identifiers -------------------------------------------------------------------------------
    def ids_of(self, party) -> dict[str, list]:
        if isinstance(party, Reg):
            return {"kvk": [party.kvk], "vest": [party.vest] if party.vest else [],
                    "iban": [i for i, _ in party.ibans], "unlisted_iban": party.unlisted_ibans,
                    "website": [w for w, _ in party.websites], "email": [e for e, _ in party.emails],
                    "tel": [p for p, _ in party.phones]}
        if isinstance(party, Office):
            return {"kvk": [party.kvk] if party.kvk else [], "vest": [], "iban": [], "unlisted_iban": party.ibans,
                    "website": [w for w, _ in party.websites], "email": [], "tel": [], "unlisted_tel": party.phones}
        return {"kvk": [party.kvk] if party.kvk else [], "vest": [], "iban": party.ibans, "unlisted_iban": [],
                "website": party.websites, "email": party.emails, "tel": party.phones}

    def put(self, row: dict, what: str, party, notes: list[str], style: str | None = None) -> bool:
        """Write one identifier of the party into the row; False when the party has none of that kind."""
        rng = self.rng
        ids = self.ids_of(party)
        if what == "kvk":
            if not ids["kvk"]:
                return False
            style = style or weighted(rng, [("plain", 45), ("prefixed", 35), ("formatted", 20)])
            if style == "no_zero" and not ids["kvk"][0].startswith("0"):
                return False
            row["kvk_nummer"] = write_kvk(rng, ids["kvk"][0], style)
            notes.append(f"kvk {style}")
        elif what == "vest":
            if not ids["vest"]:
                return False
            row["kvk_nummer"] = ids["vest"][0] if rng.random() < 0.7 else f"vestigingsnr. {ids['vest'][0]}"
            notes.append("vestigingsnummer")
        elif what in ("iban", "iban_mistyped", "iban_unlisted", "iban_foreign", "iban_other"):
            pool = ids["unlisted_iban"] if what == "iban_unlisted" else ids["iban"]
            if what == "iban_foreign":
                pool = [i for i in pool if not i.startswith("NL")]
            if what == "iban_other":
                pool = pool[1:]
            if what == "iban" and not pool and isinstance(party, Office):
                pool = ids["unlisted_iban"]
            if not pool:
                return False
            iban = rng.choice(pool)
            if what == "iban_mistyped":
                row["iban"] = write_iban(rng, mistype_iban(rng, iban), rng.choice(["spaced", "compact"]))
                notes.append("iban mistyped (checksum fails)")
            else:
                row["iban"] = write_iban(rng, iban)
                notes.append(f"iban {what}")
        elif what == "website":
            if not ids["website"]:
                return False
            row["website"] = write_website(rng, rng.choice(ids["website"]))
            notes.append("website")
        elif what in ("email", "email_free"):
            pool = ids["email"]
            if what == "email_free":
                pool = [e for e in pool if e.split("@")[1] in FREE_MAIL]
            if not pool:
                return False
            row["email"] = write_email(rng, rng.choice(pool))
            notes.append(what)
        elif what == "tel":
            pool = ids["tel"] or ids.get("unlisted_tel", [])
            if not pool:
                return False
            row["telefoon"] = write_phone(rng, rng.choice(pool))
            notes.append("phone")
        elif what == "postcode":
            if not party.postcode:
                return False
            row["postcode"] = write_postcode(rng, party.postcode)
            row["plaats"] = party.plaats.upper() if rng.random() < 0.2 else party.plaats
        else:
            raise ValueError(what)
        return True

    def habitual_ids(self, row: dict, party, bron: str, notes: list[str]) -> None:
        for what, p in ID_HABITS.get(bron, {}).items():
            column = {"iban": "iban", "tel": "telefoon", "email": "email", "website": "website", "kvk": "kvk_nummer",
                      "postcode": "postcode"}[what]
            if not row.get(column) and self.rng.random() < p:
                self.put(row, what, party, notes)

    # --- one signal --------------------------------------------------------------------------------
    def reference(self, bron: str, D: date, party) -> str:
        self.ref_no[bron] += 1
        n = self.ref_no[bron]
        rng = self.rng
        if bron == "gemeente":
            return f"GM{rng.choice(GEMEENTE_CODES)}-{D.year}-{n:06d}"
        if bron == "schuldhulpverlener":
            return f"SHV-{rng.choice(['KRD', 'PLANGR', 'SHA', 'KREDIETBANK', 'SOCIUS', 'BUDGETMAATJES'])}-{n:05d}"
        if bron == "toezichthouder":
            return f"{rng.choice(TOEZICHT)}-{D.year}-{n:04d}"
        if bron == "kvk":
            return f"KVK-{D:%Y%m%d}-{n:05d}"
        return f"{REF_PREFIX[bron]}-{D.year}-{n:05d}"

    def finish_row(self, d: Draft) -> None:
        rng = self.rng
        row = d.row
        D = d.ref_date
        if d.bron == "kvk":
            received = D
            brief = None
        elif d.brief:
            lag = int(rng.expovariate(1 / 15)) + rng.choice([1, 2, 3, 5, 8]) if rng.random() < 0.75 \
                else rng.randrange(30, 150)  # some letters lie in a drawer for months
            received = min(D + timedelta(days=lag), WINDOW_END)
            brief = D
        else:
            received, brief = D, None
        iso = d.bron in ("gemeente", "kvk") or rng.random() < 0.2

        def fmt(x: date) -> str:
            return x.isoformat() if iso else x.strftime("%d-%m-%Y")

        d.received = received
        row["ontvangen_op"] = fmt(received)
        row["datum_brief"] = fmt(brief) if brief else ""
        row["bron"] = d.bron
        row["naam_incassant"] = d.name
        if d.bron != "kvk" and rng.random() < {"schuldhulpverlener": 0.85, "gemeente": 0.5}.get(d.bron, 0.4):
            hoofdsom = round(min(max(rng.lognormvariate(5.2, 1.1), 12.0), 25000.0), 2)
            row["hoofdsom"] = dutch_amount(rng, hoofdsom)
            if rng.random() < 0.85:
                cost = bik(hoofdsom)
                u = rng.random()
                if u < 0.25:
                    cost = round(cost * rng.uniform(1.3, 3.0), 2)
                elif u < 0.4:
                    cost = round(cost * 1.21, 2)
                row["incassokosten"] = dutch_amount(rng, cost)
        if d.bron == "kvk":
            text = "SBI 8291 Incassobureaus; uittreksel Handelsregister"
            if isinstance(d.party, Reg) and d.party.trade_at(D) and rng.random() < 0.5:
                text += "; handelsnamen: " + ", ".join(d.party.trade_at(D))
            row["omschrijving"] = text
        else:
            row["omschrijving"] = rng.choice(DESCRIPTIONS[d.bron]).format(cred=rng.choice(CREDITORS))

    def attempt(self, party, cls: str, kind: str, D: date, *, bron: str | None = None, recipe: str | None = None,
                force: tuple[str, ...] = (), no_name: bool = False, base: str | None = None,
                habitual: bool = True, brief: bool | None = None, id_styles: dict | None = None) -> Draft | None:
        rng = self.rng
        mix = SOURCE_MIX["reg" if cls in ("reg", "nv") else "ex" if cls == "ex" else "un"]
        bron = bron or weighted(rng, mix)
        notes: list[str] = []
        creditor = rng.choice(CREDITORS)
        name = ""
        if not no_name:
            if recipe is None:
                for _ in range(5):
                    recipe = weighted(rng, RECIPES[bron])
                    notes = []
                    name = self.name_for(party, D, bron, recipe, notes, creditor, base=base) or ""
                    if name:
                        break
            else:
                name = self.name_for(party, D, bron, recipe, notes, creditor, base=base) or ""
            if not name:
                return None
        row = {c: "" for c in ("referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website",
                               "email", "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten",
                               "omschrijving")}
        for what in force:
            if not self.put(row, what, party, notes, (id_styles or {}).get(what)):
                return None
        if habitual and bron != "kvk":
            self.habitual_ids(row, party, bron, notes)
        # a half-remembered name is passed on with the website or number it came with
        if recipe == "partial" and not any(row[c] for c in ("kvk_nummer", "iban", "website", "email", "telefoon")) \
                and not any(self.put(row, what, party, notes) for what in ("website", "tel", "iban")):
            return None
        ok, reason, co = self.guard.judge(name, guard_ids(row), party, D)
        if kind.endswith("_*"):
            kind = kind[:-1] + (recipe or "id_only")
        if not ok:
            self.guard.dropped[reason] += 1
            self.drop_log.append((kind, reason, name, dict(row)))
            return None
        if brief is None:
            brief = rng.random() < BRIEF_SHARE[bron]
        d = Draft(party=party, cls=cls, kind=kind, bron=bron, ref_date=D, brief=brief, name=name, row=row,
                  notes=notes, co=co)
        return d

    def make(self, party, cls: str, kind: str, D: date, tries: int = 6, **kw) -> Draft | None:
        for _ in range(tries):
            d = self.attempt(party, cls, kind, D, **kw)
            if d:
                self.finish_row(d)
                self.drafts.append(d)
                return d
        self.gave_up[kind.replace("*", "plain")] += 1
        return None

    # --- the plan ----------------------------------------------------------------------------------
    def pool(self, key: str, build) -> list:
        if key not in self._pools:
            self._pools[key] = build()
        return self._pools[key]

    def pick(self, pool: list):
        """A party from the pool, the more often the more it is written about (pools are built once)."""
        if not pool:
            return None
        cached = self._cum.get(id(pool))
        if cached is None or cached[0] is not pool:
            total, cum = 0.0, []
            for p in pool:
                total += p.weight
                cum.append(total)
            cached = self._cum[id(pool)] = (pool, cum)
        cum = cached[1]
        return pool[min(bisect_right(cum, self.rng.random() * cum[-1]), len(pool) - 1)]

    def fill(self, target: int, step, max_tries: int | None = None) -> None:
        """Call ``step`` until it made ``target`` signals (or tried too often)."""
        made = tries = 0
        limit = max_tries or target * 4 + 20
        while made < target and tries < limit:
            tries += 1
            if step():
                made += 1

    def run(self) -> None:
        N = self.n
        n_nv = round(N * 0.08)
        n_ex = round(N * 0.10)
        n_clone = round(N * 0.03)
        n_kvk_reg, n_kvk_nv = round(N * 0.022), round(N * 0.004)
        n_un = round(N * 0.25)
        n_reg = N - n_nv - n_ex - n_clone - n_kvk_reg - n_kvk_nv - n_un - round(N * 0.014)
        self.registered(n_reg)
        self.not_valid(n_nv)
        self.kvk_rows(n_kvk_reg, n_kvk_nv)
        self.exempt(n_ex)
        self.unregistered(n_un + round(N * 0.014), n_clone)
        self.link_collectors()

    # --- registered ----------------------------------------------------------------------------------
    def registered(self, target: int) -> None:
        rng = self.rng
        regs = self.b.regs
        live = [r for r in regs if self.valid_day(r) is not None]
        groups: dict[str, list[Reg]] = defaultdict(list)
        for r in regs:
            if r.group:
                groups[r.group].append(r)
        special = [
            ("reg_boundary_start", 0.012), ("reg_boundary_last_day", 0.01), ("reg_group_twin", 0.03),
            ("reg_after_rereg", 0.01), ("reg_lookalike_id", 0.015), ("reg_shared_surname", 0.015),
            ("reg_old_name_id", 0.015), ("reg_dropped_trade_id", 0.01), ("reg_hodn", 0.012),
            ("reg_id_kvk", 0.03), ("reg_id_kvk_formatted", 0.02), ("reg_id_kvk_no_zero", 0.008),
            ("reg_id_vestiging", 0.015), ("reg_id_iban", 0.03), ("reg_id_iban_mistyped", 0.015),
            ("reg_id_website", 0.02), ("reg_id_email", 0.015), ("reg_id_phone", 0.02), ("reg_id_only", 0.03),
            ("reg_postcode", 0.01), ("reg_iban_unlisted", 0.015), ("reg_freemail", 0.006), ("reg_foreign_iban", 0.004),
            ("reg_diacritics", 0.01), ("reg_acronym", 0.01), ("reg_initials", 0.008), ("reg_split", 0.006),
            ("reg_typo_short", 0.006), ("reg_amp", 0.008), ("reg_tussenvoegsel", 0.01), ("reg_caller", 0.012),
        ]
        id_kinds = {"reg_id_kvk": ("kvk", None), "reg_id_kvk_formatted": ("kvk", "formatted"),
                    "reg_id_kvk_no_zero": ("kvk", "no_zero"), "reg_id_vestiging": ("vest", None),
                    "reg_id_iban": ("iban", None), "reg_id_website": ("website", None), "reg_id_email": ("email", None),
                    "reg_id_phone": ("tel", None), "reg_postcode": ("postcode", None),
                    "reg_id_iban_mistyped": ("iban_mistyped", None), "reg_iban_unlisted": ("iban_unlisted", None),
                    "reg_freemail": ("email_free", None), "reg_foreign_iban": ("iban_foreign", None)}
        made_special = 0
        for kind, share in special:
            n = max(2, round(target * share))
            made_special += n

            def step(kind=kind) -> bool:
                if kind == "reg_boundary_start":
                    r = self.pick(self.pool("p1:" + kind, lambda: [r for r in live if WINDOW_START <= r.start <= WINDOW_END and r.valid_on(r.start)]))
                    return bool(r and self.make(r, "reg", kind, r.start, brief=True))
                if kind == "reg_boundary_last_day":
                    r = self.pick(self.pool("p2:" + kind, lambda: [r for r in regs if r.end and WINDOW_START <= r.end - timedelta(days=1) <= WINDOW_END
                                   and r.valid_on(r.end - timedelta(days=1))]))
                    return bool(r and self.make(r, "reg", kind, r.end - timedelta(days=1), brief=True))
                if kind == "reg_group_twin":
                    g = rng.choice(sorted(groups))
                    members = groups[g]
                    r = rng.choice(members)
                    D = self.valid_day(r)
                    if D is None or not any(m is not r and m.valid_on(D) for m in members):
                        return False
                    brand = r.fantasy[0] if r.fantasy else split_form(r.legal)[0].split()[0]
                    d = None
                    if rng.random() < 0.3 and r.websites and r.websites[0][0].endswith("groep.nl"):
                        d = self.attempt(r, "reg", kind, D, no_name=True, force=("website",), habitual=False)
                        if d and norm_domain(d.row["website"]) != r.websites[0][0]:
                            d = None
                    else:
                        base = rng.choice([f"{brand} Incasso", f"{brand} Groep", brand, f"{brand} Incasso B.V."])
                        recipe = rng.choice(["exact", "lower", "caps"])
                        for m in sorted(members, key=lambda m: -self.guard.score(name_keys(base), m.pid)):
                            if m.valid_on(D):
                                d = self.attempt(m, "reg", kind, D, base=base, recipe=recipe, habitual=False)
                                break
                    if d and d.co:
                        self.finish_row(d)
                        self.drafts.append(d)
                        return True
                    return False
                if kind == "reg_after_rereg":
                    r = self.pick(self.pool("p3:" + kind, lambda: [r for r in live if r.style == "rereg"]))
                    D = r and self.valid_day(r)
                    return bool(D and self.make(r, "reg", kind, D))
                if kind == "reg_lookalike_id":
                    r = self.pick(self.pool("p4:" + kind, lambda: [r for r in live if r.style == "lookalike"]))
                    if not r:
                        return False
                    twin = next((o for o in regs if o.style == "lookalike" and o is not r
                                 and {r.surnames[0][1], o.surnames[0][1]} in [set(p) for p in LOOKALIKE_SURNAMES]), None)
                    D = self.valid_day(r)
                    if not twin or not D:
                        return False
                    what = rng.choice([w for w in ("kvk", "iban", "website", "tel") if self.ids_of(r)[w]] or ["kvk"])
                    return bool(self.make(r, "reg", kind, D, base=twin.legal, recipe=rng.choice(["form_absent", "lower", "exact"]),
                                          force=(what,), habitual=False))
                if kind == "reg_shared_surname":
                    r = self.pick(self.pool("p5:" + kind, lambda: [r for r in live if r.style == "triple"]))
                    D = r and self.valid_day(r)
                    return bool(D and self.make(r, "reg", kind, D))
                if kind == "reg_old_name_id":
                    r = self.pick(self.pool("p6:" + kind, lambda: [r for r in regs if r.old_legal and window_ok(r.start, min(r.rename, r.end or WINDOW_END) - timedelta(days=1))]))
                    if not r:
                        return False
                    D = self.pick_day(r.start, min(r.rename - timedelta(days=1), (r.end or WINDOW_END) - timedelta(days=1)))
                    what = rng.choice([w for w in ("kvk", "iban", "website", "tel") if self.ids_of(r)[w]] or ["kvk"])
                    return bool(self.make(r, "reg", kind, D, base=r.old_legal, force=(what,)))
                if kind == "reg_dropped_trade_id":
                    pool = self.pool("dropped_trade", lambda: [(r, t) for r in regs for t in r.trade if t[2] and window_ok(
                        max(r.start, t[1] or r.start), min(t[2], r.end or WINDOW_END) - timedelta(days=1))])
                    if not pool:
                        return False
                    r, t = rng.choice(pool)
                    D = self.pick_day(max(r.start, t[1] or r.start), min(t[2], r.end or WINDOW_END) - timedelta(days=1))
                    what = rng.choice([w for w in ("kvk", "iban", "website", "tel") if self.ids_of(r)[w]] or ["kvk"])
                    return bool(self.make(r, "reg", kind, D, base=t[0], recipe=rng.choice(["exact", "form_absent", "lower"]),
                                          force=(what,)))
                if kind == "reg_hodn":
                    r = self.pick(self.pool("p7:" + kind, lambda: [r for r in live if r.style == "hodn"]))
                    D = r and self.valid_day(r)
                    return bool(D and self.make(r, "reg", kind, D, bron="toezichthouder", recipe="hodn"))
                if kind in ("reg_diacritics", "reg_acronym", "reg_initials", "reg_split", "reg_typo_short", "reg_amp",
                            "reg_tussenvoegsel", "reg_caller"):
                    recipe = kind[4:]
                    need = {"reg_diacritics": lambda r: fold(r.legal) != r.legal.casefold(),
                            "reg_acronym": lambda r: bool(r.acronym), "reg_initials": lambda r: bool(r.given),
                            "reg_split": lambda r: bool(r.fantasy and r.fantasy[1]),
                            "reg_typo_short": lambda r: any(len(t) <= 5 for k in name_keys(r.legal, signal=False) for t in k.dist),
                            "reg_amp": lambda r: " & " in r.legal or " en " in r.legal,
                            "reg_tussenvoegsel": lambda r: bool(re.search(r"\b([Vv]an|[Dd]e|[Tt]er|[Tt]en|[Ii]n 't)\b", r.legal)),
                            "reg_caller": lambda r: True}[kind]
                    r = self.pick(self.pool("p8:" + kind, lambda: [r for r in live if need(r)]))
                    D = r and self.valid_day(r)
                    bron = "consument" if recipe == "caller" else None
                    return bool(D and self.make(r, "reg", kind, D, recipe=recipe, bron=bron,
                                                base=r.legal_at(D) if recipe not in ("acronym", "caller") else None))
                if kind == "reg_id_only":
                    r = self.pick(live)
                    D = self.valid_day(r)
                    ids = self.ids_of(r)
                    what = rng.choice([w for w in ("kvk", "iban", "website", "tel", "email") if ids[w]])
                    return bool(self.make(r, "reg", kind, D, no_name=True, force=(what,), habitual=False,
                                          bron=rng.choice(["anoniem", "consument", "schuldhulpverlener"])))
                what, style = id_kinds[kind]
                has = {"kvk": lambda r: not style or r.kvk.startswith("0"), "vest": lambda r: bool(r.vest),
                       "iban": lambda r: bool(r.ibans), "iban_mistyped": lambda r: bool(r.ibans),
                       "iban_unlisted": lambda r: bool(r.unlisted_ibans),
                       "iban_foreign": lambda r: any(not i.startswith("NL") for i, _ in r.ibans),
                       "website": lambda r: bool(r.websites), "email": lambda r: bool(r.emails),
                       "email_free": lambda r: any(e.split("@")[1] in FREE_MAIL for e, _ in r.emails),
                       "tel": lambda r: bool(r.phones), "postcode": lambda r: True}[what]
                pool = [r for r in live if has(r)]
                r = self.pick(pool)
                D = r and self.valid_day(r)
                if not D:
                    return False
                habitual = what not in ("iban_mistyped", "iban_unlisted")
                return bool(self.make(r, "reg", kind, D, force=(what,), habitual=habitual,
                                      id_styles={"kvk": style} if style else None))

            self.fill(n, step)
        rest = target - made_special

        def plain() -> bool:
            r = self.pick(live)
            D = self.valid_day(r)
            return bool(self.make(r, "reg", "reg_*", D))

        self.fill(rest, plain)

    # --- not valid on the reference date -----------------------------------------------------------------
    def not_valid(self, target: int) -> None:
        regs = self.b.regs
        by_firm: dict[str, list[Reg]] = defaultdict(list)
        for r in regs:
            by_firm[r.firm].append(r)
        kinds = [("nv_not_yet", 30), ("nv_struck_off", 20), ("nv_lapsed", 18), ("nv_boundary_end", 8),
                 ("nv_boundary_before_start", 5), ("nv_rereg_gap", 9), ("nv_struck_off_backdated", 7)]
        total = sum(w for _, w in kinds)
        for kind, w in kinds:
            n = max(3, round(target * w / total))

            def step(kind=kind) -> bool:
                if kind == "nv_not_yet":
                    r = self.pick(self.pool("p9:" + kind, lambda: [r for r in regs if r.start > WINDOW_START + timedelta(days=10)
                                   and len(by_firm[r.firm]) == 1]))
                    D = r and self.pick_day(r.start - timedelta(days=200), r.start - timedelta(days=1))
                elif kind in ("nv_struck_off", "nv_lapsed"):
                    status = "doorgehaald" if kind == "nv_struck_off" else "verlopen"
                    r = self.pick(self.pool("p10:" + kind, lambda: [r for r in regs if r.status == status and r.end <= WINDOW_END
                                   and len(by_firm[r.firm]) == 1 and r.shown_end == r.end]))
                    D = r and self.pick_day(r.end, r.end + timedelta(days=300))
                elif kind == "nv_struck_off_backdated":
                    r = self.pick(self.pool("p11:" + kind, lambda: [r for r in regs if r.status == "doorgehaald" and r.shown_end and r.shown_end > r.end
                                   and r.end <= WINDOW_END and len(by_firm[r.firm]) == 1]))
                    D = r and self.pick_day(r.end, r.shown_end - timedelta(days=1))
                elif kind == "nv_boundary_end":
                    r = self.pick(self.pool("p12:" + kind, lambda: [r for r in regs if r.end and WINDOW_START <= r.end <= WINDOW_END
                                   and len(by_firm[r.firm]) == 1]))
                    D = r and r.end
                elif kind == "nv_boundary_before_start":
                    r = self.pick(self.pool("p13:" + kind, lambda: [r for r in regs if WINDOW_START < r.start <= WINDOW_END and len(by_firm[r.firm]) == 1]))
                    D = r and r.start - timedelta(days=1)
                else:  # nv_rereg_gap
                    r = self.pick(self.pool("p14:" + kind, lambda: [r for r in regs if r.style == "rereg_old" and r.end <= WINDOW_END]))
                    new = r and next(o for o in by_firm[r.firm] if o is not r)
                    D = r and self.pick_day(r.end, new.start - timedelta(days=1))
                if not r or not D:
                    return False
                boundary = kind in ("nv_boundary_end", "nv_boundary_before_start")
                return bool(self.make(r, "nv", kind, D, brief=True if boundary else None))

            self.fill(n, step)

    # --- KvK extract rows --------------------------------------------------------------------------------
    def kvk_rows(self, n_reg: int, n_nv: int) -> None:
        regs = self.b.regs
        firms = Counter(r.firm for r in regs)
        single = [r for r in regs if firms[r.firm] == 1]

        def step_reg() -> bool:
            r = self.pick(single)
            D = self.valid_day(r)
            return bool(D and self.make(r, "kvk", "kvk_reg", D, bron="kvk", recipe="exact", base=r.legal_at(D),
                                        force=("kvk", "postcode"), habitual=False, id_styles={"kvk": "plain"}))

        def step_nv() -> bool:
            r = self.pick(self.pool("kvk_nv", lambda: [r for r in single if r.start > WINDOW_START or (r.end and r.end <= WINDOW_END)]))
            if not r:
                return False
            if r.end and r.end <= WINDOW_END and (r.start <= WINDOW_START or self.rng.random() < 0.5):
                D = self.pick_day(r.end, WINDOW_END)
            else:
                D = self.pick_day(WINDOW_START, r.start - timedelta(days=1))
            return bool(D and self.make(r, "kvk", "kvk_nv", D, bron="kvk", recipe="exact", base=r.legal_at(D),
                                        force=("kvk", "postcode"), habitual=False, id_styles={"kvk": "plain"}))

        self.fill(n_reg, step_reg)
        self.fill(n_nv, step_nv)

    # --- exempt ------------------------------------------------------------------------------------------
    def person_text(self, office: Office) -> str | None:
        rng = self.rng
        if not office.persons:
            return None
        g, t, s = rng.choice(office.persons)
        sur = disp_surname(t, s, lead=False)
        ini = g[0] + "." + (rng.choice("ABCDEHJKMPRW") + "." if rng.random() < 0.3 else "")
        if office.beroep == "gerechtsdeurwaarder":
            return rng.choice([f"mr. {ini} {sur}, gerechtsdeurwaarder", f"Gerechtsdeurwaarder {ini} {sur}",
                               f"{ini} {sur} (gerechtsdeurwaarder)", f"kand. gerechtsdeurwaarder {ini} {sur}",
                               f"{disp_surname(t, s)}, gerechtsdeurwaarder te {office.plaats}",
                               f"deurwaarder {g} {sur}", f"mr {ini} {sur} gerechtsdeurwaarder"])
        return rng.choice([f"mr. {ini} {sur}, advocaat", f"Advocaat mr. {disp_surname(t, s)}", f"mr. drs. {ini} {sur} (advocaat)",
                           f"{disp_surname(t, s)} advocaat te {office.plaats}", f"advocaat {g} {sur}"])

    def exempt(self, target: int) -> None:
        rng = self.rng
        offices = self.b.offices
        firms: Counter[str] = Counter(o.firm for o in offices)
        triple_names = {fold(disp_surname(t, s)) for t, s in self.b.triples}
        kinds = [("ex_office", 18), ("ex_name_variant", 26), ("ex_bailiff_person", 14), ("ex_lawyer_person", 7),
                 ("ex_multi_location", 9), ("ex_id_kvk", 8), ("ex_id_website", 8), ("ex_shared_surname", 6),
                 ("ex_iban_unlisted", 4)]
        total = sum(w for _, w in kinds)
        for kind, w in kinds:
            n = max(3, round(target * w / total))

            def step(kind=kind) -> bool:
                D = self.pick_day(WINDOW_START, WINDOW_END)
                if kind == "ex_bailiff_person" or kind == "ex_lawyer_person":
                    beroep = "gerechtsdeurwaarder" if kind == "ex_bailiff_person" else "advocaat"
                    o = self.pick(self.pool("p16:" + kind, lambda: [o for o in offices if o.persons and o.beroep == beroep]))
                    text = o and self.person_text(o)
                    return bool(text and self.make(o, "ex", kind, D, base=text, recipe="exact"))
                if kind == "ex_multi_location":
                    o = self.pick(self.pool("p17:" + kind, lambda: [o for o in offices if firms[o.firm] > 1]))
                    if not o:
                        return False
                    recipe = rng.choice(["vestiging_place", "place_added", "exact"])
                    d = self.make(o, "ex", kind, D, recipe=recipe, habitual=False)
                    if d and rng.random() < 0.6:
                        d.row["plaats"] = o.plaats
                    return bool(d)
                if kind == "ex_id_kvk":
                    o = self.pick(self.pool("p18:" + kind, lambda: [o for o in offices if o.kvk]))
                    return bool(o and self.make(o, "ex", kind, D, force=("kvk",)))
                if kind == "ex_id_website":
                    o = self.pick(self.pool("p19:" + kind, lambda: [o for o in offices if o.websites]))
                    return bool(o and self.make(o, "ex", kind, D, force=("website",), no_name=rng.random() < 0.3))
                if kind == "ex_shared_surname":
                    o = self.pick(self.pool("p20:" + kind, lambda: [o for o in offices if any(fold(o.naam).find(t) >= 0 for t in triple_names)]))
                    return bool(o and self.make(o, "ex", kind, D))
                if kind == "ex_iban_unlisted":
                    o = self.pick(offices)
                    return bool(self.make(o, "ex", kind, D, force=("iban",), habitual=False))
                o = self.pick(offices)
                recipe = "exact" if kind == "ex_office" else None
                return bool(self.make(o, "ex", kind, D, recipe=recipe))

            self.fill(n, step)

    # --- unregistered collectors and clones ----------------------------------------------------------------
    def counts(self, pool: list[Collector], total: int) -> dict[str, int]:
        out = {c.pid: 1 for c in pool}
        rest = total - len(pool)
        weight = sum(c.weight for c in pool) or 1.0
        for c in pool:
            out[c.pid] = min(20, out[c.pid] + int(c.weight / weight * rest))
        left = total - sum(out.values())
        open_ = [c for c in pool if out[c.pid] < 20]
        while left > 0 and open_:
            c = self.pick(open_)
            out[c.pid] += 1
            left -= 1
            if out[c.pid] >= 20:
                open_.remove(c)
        return out

    FIRST_KIND = {"plain": "un_plain", "person": "un_person", "foreign": "un_foreign", "web_only": "un_website_only",
                  "fake_bailiff": "un_fake_bailiff", "lookalike": "un_lookalike_reg",
                  "shared_surname": "un_shared_surname", "clone": "clone_name_kvk"}

    def collector_signal(self, c: Collector, kind: str, D: date) -> Draft | None:
        rng = self.rng
        light = lambda: rng.choice(["exact", "form_absent", "lower", "caps", "exact"])  # noqa: E731
        if kind in ("un_plain", "un_person", "un_foreign", "un_fake_bailiff", "un_lookalike_reg", "un_shared_surname"):
            return self.make(c, "un", kind, D, recipe=light())
        if kind == "un_name_variant":
            return self.make(c, "un", kind, D)
        if kind == "un_alias":
            return self.make(c, "un", kind, D, base=c.names[1], recipe=light())
        if kind == "un_website_only":
            if rng.random() < 0.7:
                return self.make(c, "un", kind, D, no_name=True, force=("website",), habitual=False, bron="anoniem")
            return self.make(c, "un", kind, D, recipe="partial", force=("website",), bron="anoniem")
        if kind == "un_phone_only":
            return self.make(c, "un", kind, D, no_name=True, force=("tel",), habitual=False,
                             bron=rng.choice(["anoniem", "consument"]))
        if kind == "un_id_only":
            ids = self.ids_of(c)
            what = rng.choice([w for w in ("iban", "website", "tel", "email", "kvk") if ids[w]] or ["iban"])
            return self.make(c, "un", kind, D, no_name=True, force=(what,), habitual=False,
                             bron=rng.choice(["anoniem", "consument", "schuldhulpverlener"]))
        if kind == "un_multi_iban":
            return self.make(c, "un", kind, D, force=("iban_other",))
        if kind == "un_foreign_iban":
            return self.make(c, "un", kind, D, force=("iban_foreign",))
        if kind == "un_freemail":
            return self.make(c, "un", kind, D, force=("email_free",))
        if kind in ("kvk_un", "clone_kvk_row"):
            force = ("kvk", "postcode") if c.postcode else ("kvk",)
            return self.make(c, "kvk" if kind == "kvk_un" else "clone", kind, D, bron="kvk", recipe="exact",
                             base=c.legal or c.names[0], force=force, habitual=False, id_styles={"kvk": "plain"})
        if kind == "clone_name_kvk":
            return self.make(c, "clone", kind, D, force=("kvk",))
        if kind == "clone_name_ids":
            extra = rng.choice([w for w in ("iban", "website") if self.ids_of(c)[w]] or ["iban"])
            return self.make(c, "clone", kind, D, force=("kvk", extra))
        raise ValueError(kind)

    def unregistered(self, target_un: int, target_clone: int) -> None:
        rng = self.rng
        cols = self.b.collectors
        clones = [c for c in cols if c.style == "clone"]
        kvk_only = [c for c in cols if c.style == "kvk_only"]
        others = [c for c in cols if c.style not in ("clone", "kvk_only")]
        plan = {**self.counts(others, max(len(others), target_un - len(kvk_only))),
                **self.counts(clones, max(len(clones), target_clone))}
        for c in kvk_only:
            self.collector_signal(c, "kvk_un", self.pick_day(WINDOW_START, WINDOW_END))
        for c in others + clones:
            a = self.pick_day(WINDOW_START, WINDOW_END - timedelta(days=30))
            b = min(WINDOW_END, a + timedelta(days=rng.randrange(60, 540)))
            n = plan[c.pid]
            made = 0
            for i in range(n * 3):
                if made >= n:
                    break
                D = self.pick_day(a, b)
                if c.style == "clone":
                    kind = weighted(rng, [("clone_name_kvk", 60), ("clone_name_ids", 32), ("clone_kvk_row", 8)]) if made else "clone_name_kvk"
                elif made == 0:
                    kind = self.FIRST_KIND[c.style]
                else:
                    ids = self.ids_of(c)
                    options = [("un_name_variant", 30), (self.FIRST_KIND[c.style], 14), ("un_id_only", 9)]
                    if len(c.names) > 1:
                        options.append(("un_alias", 15))
                    if len(c.ibans) > 1:
                        options.append(("un_multi_iban", 10))
                    if any(not i.startswith("NL") for i in c.ibans):
                        options.append(("un_foreign_iban", 6))
                    if any(e.split("@")[1] in FREE_MAIL for e in c.emails):
                        options.append(("un_freemail", 6))
                    if ids["tel"]:
                        options.append(("un_phone_only", 5))
                    if ids["website"]:
                        options.append(("un_website_only", 5))
                    if c.kvk:
                        options.append(("kvk_un", 3))
                    kind = weighted(rng, options)
                if self.collector_signal(c, kind, D):
                    made += 1

    # --- grouping: one collector's signals linkable, two collectors' not -----------------------------------
    @staticmethod
    def _names_link(a: str, b: str) -> bool:
        ka, kb = name_keys(a), name_keys(b)
        return any(max(likeness(x, y), likeness(y, x)) >= 85 for x in ka for y in kb)

    def link_collectors(self) -> None:
        rng = self.rng
        un = [d for d in self.drafts if isinstance(d.party, Collector)]
        # two collectors must not be linkable by nearly the same name
        idx_keys: list[str] = []
        idx_draft: list[int] = []
        removed: set[int] = set()
        for i, d in enumerate(un):
            for k in name_keys(d.name) if d.name else []:
                if k.sorted_joined:
                    idx_keys.append(k.sorted_joined)
                    idx_draft.append(i)
        for i, d in enumerate(un):
            if i in removed or not d.name:
                continue
            for k in name_keys(d.name):
                if not k.sorted_joined:
                    continue
                for _, _, j in process.extract(k.sorted_joined, idx_keys, scorer=fuzz.ratio, limit=25, score_cutoff=70):
                    o = un[idx_draft[j]]
                    if idx_draft[j] != i and idx_draft[j] not in removed and o.party is not d.party and \
                            idx_draft[j] > i and self._names_link(d.name, o.name):
                        removed.add(idx_draft[j])
        if removed:
            self.guard.dropped["name_links_two_collectors"] += len(removed)
        drop_ids = {id(un[i]) for i in removed}
        self.drafts = [d for d in self.drafts if id(d) not in drop_ids]
        # each collector's signals one group: a signal that stands apart gets one of its collector's identifiers
        by_col: dict[str, list[Draft]] = defaultdict(list)
        for d in self.drafts:
            if isinstance(d.party, Collector):
                by_col[d.party.pid].append(d)
        lost: set[int] = set()
        for pid in sorted(by_col):
            ds = by_col[pid]
            comps = self.components(ds)
            while len(comps) > 1:
                comps.sort(key=len, reverse=True)
                main, other = comps[0], comps[1]
                if not self.bridge(main, other, ds[0].party):
                    lost.update(id(d) for d in other)
                    self.guard.dropped["collector_not_linkable"] += len(other)
                    ds = [d for d in ds if id(d) not in lost]
                comps = self.components(ds)
        if lost:
            self.drafts = [d for d in self.drafts if id(d) not in lost]
        del rng

    def bridge(self, main: list[Draft], other: list[Draft], c: Collector) -> bool:
        """Write one identifier of the collector into a signal of ``other`` that ``main`` has too."""
        rng = self.rng
        options = [("iban", "iban", [(i, i) for i in c.ibans]),
                   ("tel", "telefoon", [(p, p.national if isinstance(p, Phone) else norm_phone(p)) for p in c.phones]),
                   ("dom", "website", [(w, w) for w in c.websites]),
                   ("kvk", "kvk_nummer", [(c.kvk, c.kvk)] if c.kvk else []),
                   ("mail", "email", [(e, e.lower()) for e in c.emails])]

        def write(d: Draft, typ: str, column: str, value) -> None:
            if typ == "iban":
                d.row[column] = write_iban(rng, value)
            elif typ == "tel":
                d.row[column] = write_phone(rng, value)
            elif typ == "dom":
                d.row[column] = write_website(rng, value)
            elif typ == "kvk":
                d.row[column] = write_kvk(rng, value, rng.choice(["plain", "prefixed"]))
            else:
                d.row[column] = write_email(rng, value)
            d.notes.append(f"{column} added: links the collector's signals")
            d.bridged = True

        for typ, column, values in options:
            target = next((d for d in sorted(other, key=lambda d: not d.name) if not d.row[column]), None)
            if not values or target is None:
                continue
            present = {i for d in main for i in guard_ids(d.row)}
            for value, norm in values:
                if (typ, norm) in present:
                    write(target, typ, column, value)
                    return True
            host = next((d for d in sorted(main, key=lambda d: not d.name) if not d.row[column]), None)
            if host is not None:
                value = values[0][0]
                write(host, typ, column, value)
                write(target, typ, column, value)
                return True
        return False

    def components(self, ds: list[Draft]) -> list[list[Draft]]:
        parent = list(range(len(ds)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        seen: dict[tuple[str, str], int] = {}
        for i, d in enumerate(ds):
            for ident in guard_ids(d.row):
                if ident in seen:
                    parent[find(i)] = find(seen[ident])
                else:
                    seen[ident] = i
        for i in range(len(ds)):
            for j in range(i + 1, len(ds)):
                if find(i) != find(j) and ds[i].name and ds[j].name and self._names_link(ds[i].name, ds[j].name):
                    parent[find(j)] = find(i)
        groups: dict[int, list[Draft]] = defaultdict(list)
        for i, d in enumerate(ds):
            groups[find(i)].append(d)
        return list(groups.values())

    # --- the file and the truth ----------------------------------------------------------------------------
    def assemble(self) -> tuple[list[dict[str, str]], dict[str, Truth]]:
        rng = self.rng
        order = sorted(self.drafts, key=lambda d: (d.received, rng.random()))
        rows: list[dict[str, str]] = []
        truth: dict[str, Truth] = {}
        for d in order:
            # re-judge signals an identifier was added to (it can only help, but the guard has the last word)
            if d.bridged:
                ok, reason, co = self.guard.judge(d.name, guard_ids(d.row), d.party, d.ref_date)
                if not ok:
                    self.guard.dropped["bridge_" + reason] += 1
                    continue
            d.row["referentie"] = self.reference(d.bron, d.received, d.party)
            rows.append(d.row)
            truth[d.row["referentie"]] = self.truth_of(d)
        return rows, truth

    def truth_of(self, d: Draft) -> Truth:
        p = d.party
        D = d.ref_date
        ids = ", ".join(d.notes) if d.notes else "as registered"
        if isinstance(p, Reg):
            verdict = p.verdict_on(D)
            nrs = (p.nr,) + tuple(self.guard.party[pid].nr for pid in d.co)
            why = (f"valid {p.start}..{p.end or ''}" if verdict == "geregistreerd"
                   else f"not valid on {D}: {p.start}..{p.end or ''} ({p.status})")
            detail = f"{p.legal_at(D)} [{p.nr}] by {d.bron}; {why}; {ids}"
            if d.co:
                detail += f"; equally named: {', '.join(nrs[1:])}"
            return Truth(verdict, nrs, None, d.kind, detail)
        if isinstance(p, Office):
            return Truth("vrijgesteld", (), None, d.kind,
                         f"{p.naam} ({p.beroep}, {p.plaats}) by {d.bron}; {ids}")
        what = f"clone of {self.b.regs_by_pid[p.resembles].nr}" if p.style == "clone" else p.style
        return Truth("niet_geregistreerd", (), p.pid, d.kind, f"{p.names[0]} [{p.pid}, {what}] by {d.bron}; {ids}")


# ------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------

REGISTER_HEADER = ["registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat",
                   "huisnummer", "postcode", "plaats", "website", "email", "telefoon", "iban", "status",
                   "datum_inschrijving", "datum_einde", "geldig_tot"]
EXEMPT_HEADER = ["naam", "kvk_nummer", "beroep", "plaats", "website"]
SIGNAL_HEADER = ["referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email",
                 "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving"]


def to_csv(header: list[str], rows: list[dict[str, str]], *, delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    return out.getvalue()


def month_steps(start: date, end: date) -> list[date]:
    out = [start]
    y, m = start.year, start.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = date(y, m, min(start.day, 28) if start.day > 1 else 1)
        if d > end:
            return out
        out.append(d)


def register_dates(mirror_start: date) -> list[date]:
    dates = month_steps(mirror_start, date(2026, 11, 1)) if mirror_start <= date(2026, 11, 1) else [mirror_start]
    if dates[-1] < LATE_SNAPSHOT:
        dates.append(LATE_SNAPSHOT)
    return dates


def exempt_dates(mirror_start: date) -> list[date]:
    later = [date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1), date(2026, 11, 1)]
    return [mirror_start] + [d for d in later if d > mirror_start]


def generate(*, seed: int, mirror_start: date, registrations: int = 1500, exempt: int = 300, collectors: int = 260,
             signals: int = 4200) -> World:
    """One world; the parties and the signals depend on the seed and sizes only, never on ``mirror_start``."""
    b = Builder(seed)
    b.build_registrations(registrations)
    b.build_offices(exempt)
    b.build_collectors(collectors)
    maker = SignalMaker(b, seed, signals)
    maker.run()
    rows, truth = maker.assemble()
    encoding = "utf-8-sig" if seed % 2 == 0 else "cp1252"
    signals_csv = to_csv(SIGNAL_HEADER, rows, delimiter=";").encode(encoding)
    register_snapshots = []
    for s in register_dates(mirror_start):
        regs = sorted((r for r in b.regs if r.start <= s), key=lambda r: r.nr)
        register_snapshots.append((s, to_csv(REGISTER_HEADER, [r.row(s) for r in regs]).encode("utf-8")))
    exempt_snapshots = []
    for s in exempt_dates(mirror_start):
        exempt_snapshots.append((s, to_csv(EXEMPT_HEADER, [o.row(s) for o in b.offices]).encode("utf-8")))
    dropped = dict(sorted(maker.guard.dropped.items()))
    dropped.update({f"gave_up:{k}": v for k, v in sorted(maker.gave_up.items())})
    return World(name=f"world-c seed {seed} start {mirror_start.isoformat()}", seed=seed, mirror_start=mirror_start,
                 register_snapshots=register_snapshots, exempt_snapshots=exempt_snapshots, signals_csv=signals_csv,
                 truth=truth, dropped=dropped, encoding=encoding)


def dump(world: World, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for s, data in world.register_snapshots:
        (directory / f"register_{s.isoformat()}.csv").write_bytes(data)
    for s, data in world.exempt_snapshots:
        (directory / f"vrijgestelden_{s.isoformat()}.csv").write_bytes(data)
    (directory / "signalen.csv").write_bytes(world.signals_csv)
    truth_rows = [{"referentie": ref, "oordeel": t.verdict, "registratienummers": "|".join(t.registratienummers),
                   "collector": t.collector or "", "kind": t.kind, "detail": t.detail}
                  for ref, t in sorted(world.truth.items())]
    (directory / "truth.csv").write_text(
        to_csv(["referentie", "oordeel", "registratienummers", "collector", "kind", "detail"], truth_rows), "utf-8")
    lines = [f"{k};{v}" for k, v in world.kind_counts().items()]
    lines += ["", "dropped by the guard:"] + [f"{k};{v}" for k, v in world.dropped.items()]
    (directory / "kinds.txt").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mirror-start", type=date.fromisoformat, default=date(2026, 11, 1))
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--registrations", type=int, default=1500)
    parser.add_argument("--exempt", type=int, default=300)
    parser.add_argument("--collectors", type=int, default=260)
    parser.add_argument("--signals", type=int, default=4200)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    world = generate(seed=args.seed, mirror_start=args.mirror_start, registrations=args.registrations,
                     exempt=args.exempt, collectors=args.collectors, signals=args.signals)
    elapsed = time.perf_counter() - started
    print(f"{world.name}: {len(world.truth)} signals, {len(world.register_snapshots)} register snapshots, "
          f"{len(world.exempt_snapshots)} exempt lists, {elapsed:.1f} s")
    print("verdicts:", world.verdict_counts())
    print("kinds:", world.kind_counts())
    print("dropped:", world.dropped)
    if args.dump:
        dump(world, args.dump)
        print(f"written to {args.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
