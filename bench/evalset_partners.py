"""Evaluation world B for signal matching: the partners who write the signals, each with its own habits.

This set is meant to be HELD OUT: it is generated from how partners write about collectors, not from
the matcher's rules, and the matcher's authors read only its totals. Pure Python (stdlib + rapidfuzz),
deterministic for given arguments; ``generate(seed=..., mirror_start=...)`` returns a ``World``.
``python bench/evalset_partners.py --seed 1 --mirror-start 2026-11-01 --dump DIR`` writes the files.

The world
---------
* Registrations (~1,500) with trade names. Names are made from vocabularies written for this world:
  Dutch surnames with tussenvoegsels, many double-barrelled ("Van Houten-de Graaf", "Smit & Van Dijk"),
  people ("Incassobureau J.P. van der Meer"), Dutch fantasy brands ("Zilverpoort"), brands with English
  words ("Northgate Credit Solutions", "Bluestone Recovery"), firms named after places and regions
  ("Twentse Incasso Groep", "Incassobureau Drechtsteden"), acronyms, a few names with diacritics; business
  words in front or behind, legal forms (B.V., V.O.F., C.V., N.V., Stichting, Coöperatie U.A., Holding
  B.V., eenmanszaak without a form). Designed structures: groups with several registrations under one
  brand (some sharing a website and a group trade name), firms struck off or lapsed and registered again
  under a new number (same KvK), look-alike pairs (Jansen/Janssen, Mol/Moll, Meijer/Meyer ...), surnames
  shared by a registration, a bailiff's or lawyer's office and an unregistered collector ("Bakker
  Incasso B.V." / "Bakker Advocaten" / "Bakker Juridisch Incasso"), a surname that is another firm's trade
  name. Dates: a few on 2024-04-01, most during 2024-2025 (a rush before 1 April 2025), new entrants to
  November 2026; ~9% struck off (doorgehaald) and ~7% lapsed (verlopen, on an anniversary).
* History between snapshots: trade names added and dropped, legal names changed (the old one sometimes
  kept as a trade name), IBANs, phones and websites added; ends appear with status and datum_einde.
  Dates of a registration never change; a struck-off or lapsed registration stays in later snapshots.
* Snapshots: ``mirror_start=2026-11-01`` gives 2026-11-01 and 2026-11-29; ``2024-04-01`` gives the first
  of every month from 2024-04-01 to 2026-11-01 and 2026-11-29. Both settings share the same final
  snapshot, parties and signals. Nothing ever leaves the register; all dates <= 2026-11-30.
* Exempt list (~300): bailiffs' offices and lawyers' firms ("Gerechtsdeurwaarderskantoor X", "X & Partners
  Gerechtsdeurwaarders", "X Gerechtsdeurwaarders & Incasso", "Advocatenkantoor X", "X Legal", "Mr. A. X
  Advocatuur"), some firms with two offices (same name, two places).
* Unregistered collectors (~260), 1-20 signals each (skewed), with one to three names, several IBANs
  (half foreign: LT, BE, DE, IE, GB ...), free-mail addresses at many providers, mobile phones: plain ones,
  look-alikes of registered brands (another morpheme: "Hanzeland" -> "Hanzestad"), members of the
  look-alike pairs and the shared-surname clusters, collectors posing as bailiffs, and clones (a
  registered agency's exact name with their own KvK number, website, IBAN).

The partners (bron) and their habits
------------------------------------
* gemeente: exports from case systems: ALL CAPS, names cut at the system's field width (35-40), postcode
  and plaats filled, each municipality its own date format and reference scheme.
* schuldhulpverlener: abbreviations ("Inc.bur.", "Deb.beheer", "Gerechtsdeurw."), clutter ("t.a.v. afd.
  Debiteuren", "namens Eneco", "i.o.v.", "p/a Postbus"), a client's creditors' collectors in one file
  (dossiers sharing a date of receipt), always the letter's date.
* consument: lower case, spellings as heard on the phone, typos, free-mail addresses, missing dates.
* toezichthouder: formal legal names, legal forms spelled out, KvK numbers and websites.
* anoniem: partial names, or only a website or a phone number.
* kvk: Handelsregister rows: legal name, 8-digit KvK number, plaats, date of the extract.
* overig: scanned letters read by OCR (rn/m, l/1, O/0, broken and merged words).

Variations (``Truth.kind``)
---------------------------
Registered, valid on the date: exact-legal, trade-name, legal-form-absent, legal-form-spelled-out,
legal-form-different, legal-form-misplaced, caps-truncated, lower-case, diacritics, ampersand, word-order,
bizword-dropped, bizword-added, bizword-synonym, place-added, clutter, run-together, split-word,
typo-short, typo-long, phonetic, ocr, initials, tussenvoegsel, abbreviation, acronym, truncated,
partial-name, shared-surname, lookalike-id, group-two-registrations, surname-trade-name, kvk-notation,
vestigingsnummer, iban-notation, iban-mistyped, iban-unlisted, website-notation, email-own-domain,
email-freemail, phone-notation, postcode-plaats, id-only, name-changed, trade-name-dropped,
trade-name-later. Validity: not-yet-valid, struck-off-before, lapsed-before, boundary-start,
boundary-end (exactly on, or the day before, datum_inschrijving / datum_einde), reregistered.
KvK rows: kvk-row-registered, kvk-row-unregistered. Exempt: exempt-exact, exempt-variant, exempt-typo,
exempt-kvk, exempt-website, exempt-two-offices, exempt-shared-surname. Unregistered: unreg-name,
unreg-variant, unreg-alias, unreg-multi-iban, unreg-foreign-iban, unreg-freemail, unreg-id-only,
unreg-lookalike, unreg-lookalike-pair, unreg-shared-surname, unreg-posing-bailiff, clone.
The partner's own habits come on top (a gemeente writes every name in capitals); ``Truth.detail`` names
the true party, what was written by whom, every variation applied, the identifiers that decide, and the
guard's scores. A vestigingsnummer is written in the description: the import takes only 8 digits in
``kvk_nummer``.

Labelling policy
----------------
1. Every signal is written by a known true party: a registration, an exempt office or an unregistered
   collector; identifiers in it are that party's own (except a mistyped IBAN, a free-mail address of a
   registered firm, and an IBAN the register does not list).
2. A registration's label follows its dates as the register states them (valid when datum_inschrijving
   <= D < datum_einde), D = datum_brief or else ontvangen_op, judged per firm (same KvK): a firm with
   any registration valid on D is ``geregistreerd`` with that number, else ``registratie_niet_geldig``
   with all its numbers. Other registrations a careful reader could equally name with the same verdict
   (members of one group named by the group's brand) follow the true one in ``registratienummers``.
3. An exempt office is ``vrijgesteld``; an unregistered collector or a clone is ``niet_geregistreerd``
   with the collector's id; a collector's signals are linkable (a shared identifier or nearly the same
   name, transitively; bridging identifiers are added where needed) and two collectors are not.
4. A decisive identifier (KvK, a listed IBAN, the website or e-mail domain, a listed phone) names its
   party, unless the written name names another party outright; a KvK number, or a website when the
   resembled firm has one of its own, tells a clone or look-alike from the registered firm.
5. Without a decisive identifier the written name must name its party (score >= 85) and lead every
   other listed party by 7 points; an unregistered collector's name must stay below 80 against every
   listed name, and clear of other collectors. Anything else is not emitted (no ``onzeker`` truths).

The ambiguity guard
-------------------
My own reading of a written name (``analyse``/``name_score``): legal forms, tussenvoegsels, clutter,
creditors and connectives dropped, abbreviations expanded, business words recognised even when misspelt
(by sound), profession words kept as a class (a bailiff is no law firm), places and initials "soft",
sound and OCR folding (ij/y/ei, c/k, ph/f, dt/t, sch/s, rn/m, 0/O, 1/l); score = 0.45 x distinctive
words by sound + 0.30 x distinctive words as written + 0.25 x all words. The candidates are the names
the register shows in both settings (for a registration: its names on 2026-11-01 and 2026-11-29), the
exempt list and the collectors' names. The guard drops: ties with another party
(tie-with-another-party), names too weak without an identifier, names closer to an unregistered
collector's, identifiers contradicted by a name that names another party, unregistered names that
resemble a listed one without an identifier that tells them apart, names closer to another collector,
and collectors' signals that cannot be linked or that would link two collectors. A dropped attempt is
retried with another party or variation; ``World.stats`` (not part of the interface) counts the drops.
World building keeps names apart in the same way (a new name close to a party outside its designed
relation is refused).
"""

from __future__ import annotations

import argparse
import csv
import heapq
import io
import math
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

# --------------------------------------------------------------------------------------------------
# Dates of the world
# --------------------------------------------------------------------------------------------------

WKI_START = date(2024, 4, 1)  # Wki in force; the first registrations
COMPULSORY = date(2025, 4, 1)  # registration compulsory; the first letters in the signals
LAST_DAY = date(2026, 11, 30)  # the last reference date and the last day any file may name
RECENT_START = date(2026, 11, 1)  # "installed recently"
FINAL_SNAPSHOT = date(2026, 11, 29)  # both settings end with the same snapshot of this date

# --------------------------------------------------------------------------------------------------
# Vocabularies (written for this world; Dutch names, places and business words)
# --------------------------------------------------------------------------------------------------

# (tussenvoegsel, stem)
SURNAMES = [
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"),
    ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("de", "Graaf"), ("van der", "Meer"),
    ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"),
    ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("van der", "Heijden"),
    ("", "Schouten"), ("van", "Beek"), ("", "Willems"), ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"),
    ("", "Maas"), ("", "Verhoeven"), ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"),
    ("", "Blom"), ("", "Huisman"), ("de", "Koning"), ("", "Kuipers"), ("van", "Wijk"), ("", "Post"),
    ("", "Veenstra"), ("", "Kramer"), ("van den", "Brink"), ("", "Scholten"), ("", "Vink"), ("", "Timmermans"),
    ("", "Groen"), ("", "Jonker"), ("", "Evers"), ("", "Bosman"), ("", "Hermans"), ("", "Molenaar"),
    ("", "Mol"), ("", "Wolters"), ("", "Hofman"), ("", "Sanders"), ("", "Gerritsen"), ("", "Hoogendoorn"),
    ("", "Zwart"), ("van", "Rijn"), ("", "Klaassen"), ("", "Verbeek"), ("", "Lambregts"), ("", "Oosterhuis"),
    ("", "Wouters"), ("", "Heemskerk"), ("ten", "Have"), ("ter", "Horst"), ("", "Terpstra"), ("", "Wijnands"),
    ("", "Zijlstra"), ("", "Elzinga"), ("", "Bruggink"), ("", "Nijhuis"), ("", "Oudshoorn"), ("", "Verschuren"),
    ("", "Roelofs"), ("", "Kroon"), ("van", "Houten"), ("van", "Loon"), ("", "Ploeg"), ("", "Stam"),
    ("", "Pronk"), ("de", "Ruiter"), ("", "Kaya"), ("", "Yilmaz"), ("el", "Amrani"), ("", "Öztürk"),
    ("", "Demir"), ("", "Nguyen"), ("", "Pinas"), ("", "Bouzid"), ("", "Ramdin"), ("", "Kartosen"),
    ("van der", "Zanden"), ("", "Brinkman"), ("", "Boersma"), ("", "Ouwehand"), ("", "Haverkamp"),
    ("", "Lagerweij"), ("", "Steenbergen"), ("van", "Os"), ("", "Spijkerman"), ("", "Rietveld"),
    ("", "Goossens"), ("", "Wagenaar"), ("", "Hakkert"), ("", "Doornbos"), ("", "Veldhuis"), ("", "Aarts"),
    ("", "Coenen"), ("", "Franssen"), ("", "Hoeks"), ("van", "Kampen"), ("de", "Lange"), ("van", "Gelder"),
    ("", "Bleeker"), ("", "Donkers"), ("", "Hoogeveen"), ("", "Schipper"), ("", "Dijkhuizen"), ("", "Kalkman"),
    ("van", "Wieringen"), ("", "Bouwmeester"), ("", "Reijnders"), ("", "Lensink"), ("", "Tuinstra"),
    ("", "Hiemstra"), ("van", "Beusekom"), ("", "Overbeek"), ("", "Stoffels"), ("", "Nieuwenhuis"),
    ("", "Kemper"), ("", "Rutten"), ("", "Geurts"), ("", "Pauwels"), ("", "Smeets"), ("", "Vissers"),
    ("", "Hoekman"), ("", "Vroom"), ("", "Wessels"), ("", "Kooistra"), ("", "Ebbers"), ("", "Roos"),
]
# Look-alike surnames: two spellings a careful reader cannot tell apart from a name alone.
LOOKALIKE_SURNAMES = [
    (("", "Jansen"), ("", "Janssen")), (("", "Mol"), ("", "Moll")), (("", "Bos"), ("", "Bosch")),
    (("", "Meijer"), ("", "Meyer")), (("", "Smit"), ("", "Smits")), (("", "Hendriks"), ("", "Hendrikx")),
    (("", "Peters"), ("", "Pieters")), (("", "Willems"), ("", "Willemse")), (("", "Dekker"), ("", "Decker")),
    (("van", "Dijk"), ("van", "Dyk")), (("", "Kok"), ("", "Kock")), (("", "Klaassen"), ("", "Claassen")),
    (("de", "Bruijn"), ("de", "Bruin")), (("", "Kuipers"), ("", "Kuijpers")), (("", "Vissers"), ("", "Visscher")),
    (("", "Roos"), ("", "Roose")), (("", "Post"), ("", "Posth")), (("", "Stam"), ("", "Stamm")),
]
GIVEN_NAMES = [
    "Jan", "Pieter", "Kees", "Henk", "Willem", "Johan", "Marco", "Sander", "Bas", "Ruud", "Erik", "Mark",
    "Dennis", "Jeroen", "Anouk", "Sanne", "Marieke", "Ingrid", "Esther", "Linda", "Petra", "Annemiek", "Joost",
    "Thijs", "Maarten", "Gert-Jan", "Jan-Willem", "Hans", "Gerrit", "Dirk", "Wim", "Rob", "Ilse", "Femke",
    "Mehmet", "Ahmed", "Fatima", "René", "Noël", "Zoë", "Chloë", "Hüseyin", "Richard", "Arjen", "Wouter",
    "Bram", "Lotte", "Merel", "Roel", "Twan", "Niels", "Karin", "Monique", "Anja", "Harm", "Tjeerd", "Sjoerd",
]
# (name, first pc4, last pc4, area code, region)
PLACES = [
    ("Amsterdam", 1011, 1109, "020", "Noord-Holland"), ("Rotterdam", 3011, 3089, "010", "Rijnmond"),
    ("Den Haag", 2491, 2599, "070", "Haaglanden"), ("Utrecht", 3511, 3585, "030", "Utrecht"),
    ("Eindhoven", 5611, 5658, "040", "Brabant"), ("Groningen", 9711, 9747, "050", "Groningen"),
    ("Tilburg", 5011, 5049, "013", "Brabant"), ("Almere", 1311, 1363, "036", "Flevoland"),
    ("Breda", 4811, 4839, "076", "Brabant"), ("Nijmegen", 6511, 6546, "024", "Gelderland"),
    ("Apeldoorn", 7311, 7339, "055", "Veluwe"), ("Haarlem", 2011, 2037, "023", "Kennemerland"),
    ("Arnhem", 6811, 6846, "026", "Gelderland"), ("Enschede", 7511, 7548, "053", "Twente"),
    ("Amersfoort", 3811, 3829, "033", "Utrecht"), ("Zaandam", 1501, 1509, "075", "Zaanstreek"),
    ("'s-Hertogenbosch", 5211, 5236, "073", "Brabant"), ("Zwolle", 8011, 8043, "038", "Salland"),
    ("Leeuwarden", 8911, 8939, "058", "Friesland"), ("Maastricht", 6211, 6229, "043", "Limburg"),
    ("Dordrecht", 3311, 3329, "078", "Drechtsteden"), ("Leiden", 2311, 2334, "071", "Holland Rijnland"),
    ("Alkmaar", 1811, 1827, "072", "Noord-Holland"), ("Emmen", 7811, 7887, "0591", "Drenthe"),
    ("Delft", 2611, 2629, "015", "Haaglanden"), ("Deventer", 7411, 7429, "0570", "Salland"),
    ("Venlo", 5911, 5931, "077", "Limburg"), ("Helmond", 5701, 5709, "0492", "Brabant"),
    ("Hoorn", 1621, 1628, "0229", "West-Friesland"), ("Heerlen", 6411, 6422, "045", "Limburg"),
    ("Assen", 9401, 9409, "0592", "Drenthe"), ("Hengelo", 7551, 7559, "074", "Twente"),
    ("Roosendaal", 4701, 4709, "0165", "Brabant"), ("Middelburg", 4331, 4337, "0118", "Zeeland"),
    ("Goes", 4461, 4465, "0113", "Zeeland"), ("Gouda", 2801, 2809, "0182", "Midden-Holland"),
    ("Zeist", 3701, 3709, "030", "Utrecht"), ("Veenendaal", 3901, 3907, "0318", "Utrecht"),
    ("Ede", 6711, 6718, "0318", "Veluwe"), ("Harderwijk", 3841, 3849, "0341", "Veluwe"),
    ("Lelystad", 8211, 8245, "0320", "Flevoland"), ("Drachten", 9201, 9204, "0512", "Friesland"),
    ("Sneek", 8601, 8608, "0515", "Friesland"), ("Doetinchem", 7001, 7009, "0314", "Achterhoek"),
    ("Winterswijk", 7101, 7109, "0543", "Achterhoek"), ("Oss", 5341, 5349, "0412", "Brabant"),
    ("Weert", 6001, 6006, "0495", "Limburg"), ("Roermond", 6041, 6049, "0475", "Limburg"),
    ("Sittard", 6131, 6137, "046", "Limburg"), ("Terneuzen", 4531, 4538, "0115", "Zeeland"),
    ("Hilversum", 1211, 1223, "035", "Gooi"), ("Purmerend", 1441, 1448, "0299", "Waterland"),
    ("Capelle aan den IJssel", 2901, 2909, "010", "Rijnmond"), ("Nieuwegein", 3431, 3439, "030", "Utrecht"),
    ("Woerden", 3441, 3449, "0348", "Groene Hart"), ("Barneveld", 3771, 3774, "0342", "Veluwe"),
    ("Kampen", 8261, 8266, "038", "IJsselland"), ("Meppel", 7941, 7944, "0522", "Drenthe"),
    ("Hoogeveen", 7901, 7909, "0528", "Drenthe"), ("Heerenveen", 8441, 8448, "0513", "Friesland"),
    ("Beverwijk", 1941, 1948, "0251", "Kennemerland"), ("Den Helder", 1781, 1789, "0223", "Kop van Noord-Holland"),
    ("Spijkenisse", 3201, 3209, "0181", "Voorne-Putten"), ("Schiedam", 3111, 3125, "010", "Rijnmond"),
    ("Gorinchem", 4201, 4207, "0183", "Alblasserwaard"), ("Tiel", 4001, 4007, "0344", "Betuwe"),
    ("Culemborg", 4101, 4106, "0345", "Betuwe"), ("Wageningen", 6701, 6709, "0317", "Gelderse Vallei"),
    ("Uden", 5401, 5406, "0413", "Brabant"), ("Bergen op Zoom", 4611, 4625, "0164", "Brabant"),
    ("Oosterhout", 4901, 4909, "0162", "Brabant"), ("Waalwijk", 5141, 5146, "0416", "Langstraat"),
    ("IJsselstein", 3401, 3402, "030", "Utrecht"), ("Leidschendam", 2261, 2267, "070", "Haaglanden"),
]
# Regions firms are named after: (noun, adjective or "")
REGIONS = [
    ("Twente", "Twentse"), ("Achterhoek", "Achterhoekse"), ("Drenthe", "Drentse"), ("Friesland", "Friese"),
    ("Fryslân", ""), ("Veluwe", "Veluwse"), ("Betuwe", "Betuwse"), ("Rivierenland", ""), ("Westland", "Westlandse"),
    ("Zeeland", "Zeeuwse"), ("Brabant", "Brabantse"), ("Limburg", "Limburgse"), ("Gooi", "Gooise"),
    ("Kennemerland", ""), ("Zaanstreek", "Zaanse"), ("Drechtsteden", ""), ("Haaglanden", ""), ("Rijnmond", ""),
    ("West-Friesland", "Westfriese"), ("Noord-Holland", "Noordhollandse"), ("Randstad", ""),
    ("Noord-Nederland", ""), ("Oost-Nederland", ""), ("Zuid-Nederland", ""), ("Midden-Nederland", ""),
    ("Salland", "Sallandse"), ("IJsselland", ""), ("Kempen", "Kempische"), ("Peelland", ""), ("Liemers", ""),
    ("Noordoostpolder", ""), ("Flevoland", "Flevolandse"), ("Bollenstreek", ""), ("Alblasserwaard", ""),
    ("Hoeksche Waard", "Hoekschewaardse"), ("Voorne-Putten", ""), ("Groene Hart", ""), ("Waterland", ""),
    ("Langstraat", ""), ("Gelderse Vallei", ""), ("Holland Rijnland", ""), ("Midden-Holland", ""),
]
# Fantasy brand words: Dutch morphemes, English morphemes, standalone coinages.
NL_HEADS = [
    "Noord", "Zuider", "Wester", "Ooster", "Hanze", "Zilver", "Goud", "Polder", "Duin", "Kust", "Delta", "Linde",
    "Eiken", "Klaver", "Koren", "Molen", "Toren", "Sluis", "Berken", "Hazel", "Vlas", "Heide", "Wilgen", "Veen",
    "Zand", "Kreek", "Bron", "Lint", "Wind", "Zon", "Ster", "Anker", "Baken", "Zeil", "Kompas", "Eem", "Vecht",
    "Amstel", "Dommel", "Dinkel", "Regge", "Berkel", "Merwe", "Linge", "Hunze", "Schelde", "Brede", "Hoge",
]
NL_TAILS = [
    "kaap", "licht", "land", "meer", "veld", "stroom", "hoek", "poort", "wijk", "burg", "dal", "kamp", "mond",
    "waard", "horst", "oord", "schans", "steyn", "vliet", "wold", "zande", "hof", "stede", "kade", "hoeve",
    "borgh", "werf", "bergen", "wacht", "brug",
]
EN_HEADS = [
    "North", "Blue", "Clear", "True", "Fair", "Bright", "Swift", "Prime", "Key", "Silver", "Iron", "Oak", "Bridge",
    "Harbor", "Summit", "Anchor", "Crown", "Eagle", "Falcon", "Maple", "Nova", "Apex", "Vertex", "Orbit", "Pilot",
    "Lion", "Tulip", "Dutch", "Stone", "River", "Sea", "Sky", "Gold", "West", "East", "Solid", "Smart", "Bold",
]
EN_TAILS = [
    "gate", "stone", "path", "point", "line", "field", "bridge", "way", "view", "mark", "port", "wise", "rock",
    "bay", "crest", "side", "stream", "wood", "hill", "haven", "ford", "star", "shore", "lane",
]
COINAGES = [
    "Axento", "Vindex", "Solvo", "Debitas", "Payvo", "Fintrace", "Monetra", "Quorum", "Vestra", "Incasta",
    "Trivio", "Lumeo", "Zentra", "Finovo", "Kredo", "Debico", "Nexio", "Vordex", "Pecunia", "Cassius", "Aurum",
    "Mondial", "Verita", "Obligo", "Creanza", "Intrix", "Valeo", "Saldeo", "Finexa", "Rekenz", "Betalo", "Tegoed",
    "Opmaat", "Kredix", "Sollis", "Arvento", "Dexio", "Paxum", "Numeris", "Vorda", "Credaro", "Lexor",
]
# Brand words written with a diacritic, and the register may store them either way.
DIACRITIC_BRANDS = ["Créance", "Réseau", "Fidèle", "Crédit Noord", "Entrée", "Café Plus"]

# Business words, Dutch and English, in the positions firms use them.
NL_SUFFIX_BIZ = [
    "Incasso", "Incassodiensten", "Incasso Services", "Debiteurenbeheer", "Invorderingen", "Vorderingen",
    "Schuldbeheer", "Betalingsregie", "Juridisch Incasso", "Incasso & Juridisch Advies", "Juristen", "Rechtshulp",
    "Administratie & Incasso", "Credit Management", "Incassokantoor", "Financiële Diensten",
    "Accountants & Incasso", "Debiteurenadministratie", "Incasso & Debiteurenbeheer",
]
EN_SUFFIX_BIZ = [
    "Credit Solutions", "Recovery", "Finance", "Credit Management", "Collect", "Collections", "Claims",
    "Financial Services", "Debt Recovery", "Credit Services", "Payment Solutions", "Credit Control",
    "Receivables Management", "Debt Solutions", "Recovery Services", "Credit & Finance",
]
PREFIX_BIZ = ["Incassobureau", "Incassokantoor", "Administratiekantoor", "Debiteurenbeheer", "Rechtshulp",
              "Incasso Service", "Juristenkantoor", "Incassodienst"]
EXTRAS = ["Holding", "Groep", "Group", "& Partners", "& Zn.", "& Zonen", "Nederland", "Benelux"]
# Synonym sets a writer swaps freely (bizword-synonym); every member is a business word.
BIZ_SYNONYMS = [
    ["Incasso", "Incassodiensten", "Incasso Services", "Invorderingen", "Vorderingen", "Incassokantoor"],
    ["Debiteurenbeheer", "Credit Management", "Credit Control", "Debiteurenadministratie"],
    ["Recovery", "Collect", "Collections", "Claims", "Debt Recovery"],
    ["Juridisch Incasso", "Rechtshulp", "Juristen"],
    ["Financial Services", "Finance", "Financiële Diensten"],
    ["Credit Solutions", "Debt Solutions", "Credit Services", "Payment Solutions"],
    ["Incassobureau", "Incassokantoor", "Incassodienst", "Incasso Service"],
    ["Administratiekantoor", "Administratie"],
    ["Groep", "Group", "Holding"],
]
ADDED_BIZ = ["Incasso", "Debiteurenbeheer", "Juridisch", "& Partners", "Groep", "Credit Management", "Collect",
             "Incassodiensten", "Nederland", "Finance"]
LEGAL_FORMS = [("B.V.", 60), ("", 16), ("V.O.F.", 11), ("C.V.", 2), ("N.V.", 1), ("Stichting", 2),
               ("Coöperatie U.A.", 1), ("Holding B.V.", 4), ("B.V. i.o.", 1)]
SPELLED_FORMS = {
    "B.V.": ["Besloten Vennootschap", "besloten vennootschap met beperkte aansprakelijkheid",
             "Besloten Vennootschap met beperkte aansprakelijkheid"],
    "V.O.F.": ["Vennootschap onder Firma", "vennootschap onder firma"],
    "C.V.": ["Commanditaire Vennootschap"],
    "N.V.": ["Naamloze Vennootschap"],
}
OTHER_FORMS = {"B.V.": ["V.O.F.", "N.V.", "C.V.", "BVBA"], "V.O.F.": ["B.V.", "C.V."], "": ["B.V.", "V.O.F."],
               "C.V.": ["B.V.", "V.O.F."], "N.V.": ["B.V."]}
BV_NOTATIONS = ["B.V.", "BV", "B.V", "b.v.", "bv", "B.V.."]

BAILIFF_WORDS = ["Gerechtsdeurwaarders", "Gerechtsdeurwaarderskantoor", "Deurwaarderskantoor", "Deurwaarders"]
LAWYER_WORDS = ["Advocaten", "Advocatenkantoor", "Advocatuur", "Legal", "Law", "Advocatenpraktijk"]

ABBREVIATIONS = [
    ("Incassobureau", ["Inc.bur.", "Incassob.", "Inc. bureau"]), ("Debiteurenbeheer", ["Deb.beheer", "Deb. beh."]),
    ("Credit Management", ["Cr. Man.", "Cr. Mgmt"]), ("Gerechtsdeurwaarderskantoor", ["Gerechtsdeurw.kantoor", "GDW kantoor"]),
    ("Gerechtsdeurwaarders", ["Gerechtsdeurw.", "GDW"]), ("Advocatenkantoor", ["Adv.kantoor", "Adv. kantoor"]),
    ("Administratiekantoor", ["Adm.kantoor", "Adm. kantoor"]), ("Invorderingen", ["Invord."]),
    ("Financial Services", ["Fin. Services", "Fin. Serv."]), ("& Partners", ["& Ptnrs"]), ("Incasso", ["Inc."]),
    ("Juridisch", ["Jur."]), ("Deurwaarderskantoor", ["Deurw.kantoor"]),
]

CREDITORS = ["Eneco", "Vattenfall", "Essent", "Ziggo", "Odido", "Vodafone", "Wehkamp", "Zalando", "bol.com",
             "Zilveren Kruis", "Menzis", "Greenchoice", "Budget Energie", "Simyo", "Coolblue", "Klarna",
             "Riverty", "Youfone", "Fonq", "Lebara", "Anwb", "Sportcity", "Basic-Fit", "Nationale-Nederlanden"]

FREE_MAIL = ["gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl", "kpnmail.nl", "planet.nl",
             "hetnet.nl", "home.nl", "casema.nl", "upcmail.nl", "xs4all.nl", "yahoo.com", "icloud.com", "gmx.net",
             "protonmail.com", "proton.me", "telfort.nl", "chello.nl", "quicknet.nl", "online.nl", "zeelandnet.nl",
             "tele2.nl", "caiway.nl", "solcon.nl", "onsbrabantnet.nl", "mail.com", "hotmail.nl", "msn.com",
             "yahoo.nl", "kpnplanet.nl", "freeler.nl", "live.com", "me.com", "tutanota.com"]
NL_BANKS = ["ABNA", "RABO", "INGB", "TRIO", "KNAB", "BUNQ", "ASNB", "SNSB", "RBRB", "FVLB", "HAND", "NWAB"]
STREETS = ["Stationsweg", "Kerkstraat", "Industrieweg", "Havenstraat", "Marktplein", "Energieweg", "Zuiderzeelaan",
           "Hoofdstraat", "Dorpsstraat", "Parallelweg", "Nijverheidsweg", "Ambachtsweg", "Kanaalweg", "Spoorlaan",
           "Beursplein", "Handelskade", "Europalaan", "Vlietweg", "Postweg", "Schuttersveld", "Plesmanlaan",
           "Edisonstraat", "Mercuriusweg", "Transportweg", "Keizersgracht", "Oudegracht", "Molenstraat",
           "Van Heemstraweg", "Laan van Nieuw Oost-Indië", "Poortweg", "Kade", "Westersingel", "Rijksstraatweg"]

# The partners that send signals.
MUNICIPALITIES = [  # (place, code, export field width, date format)
    ("Zwolle", "ZWL", 35, "iso"), ("Enschede", "ENS", 40, "dmy"), ("Almere", "ALM", 38, "iso"),
    ("Tilburg", "TBG", 40, "dmy"), ("Groningen", "GRN", 35, "dmy"), ("Rotterdam", "RTD", 40, "iso"),
    ("Apeldoorn", "APD", 36, "dmy"), ("Leeuwarden", "LWD", 40, "iso"), ("Dordrecht", "DDT", 35, "dmy"),
    ("Maastricht", "MST", 38, "dmy"), ("Emmen", "EMN", 40, "iso"), ("Arnhem", "AHM", 35, "iso"),
]
COUNSELLORS = ["KBRL", "SBON", "PLGR", "SWAD", "KBGZ", "MDWH", "BWRV", "HSHV", "SHVN", "KBDB"]
SUPERVISORS = ["AFM", "ACM", "BFT", "DNB", "AP"]


# --------------------------------------------------------------------------------------------------
# Small helpers: dates, identifiers
# --------------------------------------------------------------------------------------------------

def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def rand_day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def month_starts(first: date, last: date) -> list[date]:
    out, day = [], date(first.year, first.month, 1)
    if day < first:
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    while day <= last:
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def weighted(rng: random.Random, pairs):
    """Pick from [(item, weight), ...] (a list, never a dict or set: the order is fixed)."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def iban_checksum(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def iban_ok(iban: str) -> bool:
    iban = iban.replace(" ", "").upper()
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


IBAN_SHAPES = {  # country -> bank letters (or ""), number of digits after them
    "BE": ("", 12), "DE": ("", 18), "LT": ("", 16), "IE": ("AIBK|BOFI|REVO", 14), "FR": ("", 23),
    "ES": ("", 20), "GB": ("REVO|MONZ|BARC|LOYD", 14), "EE": ("", 16), "PT": ("", 21), "LU": ("", 16),
    "BG": ("BNBG|UNCR", 14),
}


def make_iban(rng: random.Random, country: str = "NL") -> str:
    if country == "NL":
        bban = rng.choice(NL_BANKS) + "".join(rng.choice("0123456789") for _ in range(10))
    else:
        banks, n = IBAN_SHAPES[country]
        bban = (rng.choice(banks.split("|")) if banks else "") + "".join(rng.choice("0123456789") for _ in range(n))
    return country + iban_checksum(country, bban) + bban


def iban_spaced(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def mistype_iban(rng: random.Random, iban: str) -> str:
    """One digit of the account changed, or two adjacent digits swapped: always fails mod-97."""
    for _ in range(50):
        chars = list(iban)
        positions = [i for i in range(8, len(chars)) if chars[i].isdigit()]
        i = rng.choice(positions)
        if rng.random() < 0.6 or i + 1 >= len(chars) or chars[i] == chars[i + 1]:
            chars[i] = rng.choice([d for d in "0123456789" if d != chars[i]])
        else:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        out = "".join(chars)
        if not iban_ok(out):
            return out
    raise AssertionError("cannot mistype")


def phone_notation(rng: random.Random, area: str, local: str, style: str | None = None) -> str:
    """A phone number as people write it. ``area`` is "020", "0591", "06", "088" ...; ``local`` the rest."""
    national = area + local
    intl = area[1:]
    mobile = area == "06"
    styles = ["dash", "space", "compact", "plus", "plus0", "0031", "paren", "grouped", "tel"]
    style = style or rng.choice(styles)
    if style == "dash":
        return f"{area}-{local}"
    if style == "space":
        return f"{area} {local[:3]} {local[3:]}" if not mobile else f"06 {local[:4]} {local[4:]}"
    if style == "compact":
        return national
    if style == "plus":
        return f"+31 {intl} {local[:3]} {local[3:]}" if not mobile else f"+31 6 {local[:4]} {local[4:]}"
    if style == "plus0":
        return f"+31 (0){intl} {local}" if not mobile else f"+31 (0)6 {local}"
    if style == "0031":
        return "0031" + national[1:]
    if style == "paren":
        return f"({area}) {local[:2]} {local[2:4]} {local[4:]}" if not mobile else f"06-{local}"
    if style == "grouped":
        return f"{area} - {' '.join(local[i:i + 2] for i in range(0, len(local), 2))}"
    return f"tel. {area} {local}"


def slug(text: str, sep: str = "-") -> str:
    text = strip_accents(text).lower().replace("&", " en ")
    words = re.findall(r"[a-z0-9]+", text)
    return sep.join(words)


# --------------------------------------------------------------------------------------------------
# The ambiguity guard's reading of a name (my own; it does not follow the application's matcher)
#
# A written name becomes a Key: its distinctive tokens (surnames, brands, places, initials, and a class
# token for a profession word), plain and folded by sound/OCR, and the "full" string of every meaningful
# token including business words. Legal forms, tussenvoegsels, clutter (t.a.v., namens, i.o.v., p/a, a
# creditor's name) and connectives are dropped; known abbreviations are expanded; adjectives of regions
# become the region. Places and initials are "soft": written but absent from the party's name, they are
# not held against it (a writer adds "vestiging Zwolle" or "J." freely).
# --------------------------------------------------------------------------------------------------

def _lower_set(words) -> set[str]:
    out: set[str] = set()
    for w in words:
        out.update(re.findall(r"[a-z0-9]+", strip_accents(w).lower()))
    return out


TV_WORDS = {"van", "de", "der", "den", "het", "t", "ter", "ten", "te", "in", "op", "la", "le", "du", "da", "el",
            "v", "vd", "vdr", "d", "s", "aan", "uit", "bij"}
CONNECT_WORDS = {"en", "and", "of", "the", "und", "et", "plus", "amp"}
BIZ_WORDS = _lower_set(NL_SUFFIX_BIZ + EN_SUFFIX_BIZ + PREFIX_BIZ + EXTRAS + ADDED_BIZ + [w for s in BIZ_SYNONYMS for w in s]) | {
    "incassobureau", "incassokantoor", "incassodiensten", "incassodienst", "incassoservice", "incassobedrijf",
    "debiteurenbeheer", "debiteurenadministratie", "debiteuren", "beheer", "invorderingen", "invordering",
    "vorderingen", "vordering", "schuldbeheer", "schulden", "betalingsregie", "regie", "credit", "creditmanagement",
    "management", "control", "collect", "collection", "collections", "recovery", "claims", "claim", "juridisch",
    "juridische", "juristen", "jurist", "juristenkantoor", "rechtshulp", "advies", "adviseurs", "adviesbureau",
    "administratie", "administratiekantoor", "administraties", "accountants", "accountancy", "financial",
    "finance", "financiele", "financien", "services", "service", "solutions", "solution", "diensten", "dienst",
    "dienstverlening", "bureau", "buro", "kantoor", "holding", "groep", "group", "partners", "partner", "zn",
    "zonen", "nederland", "nederlandse", "benelux", "europe", "european", "international", "internationaal",
    "debt", "receivables", "payment", "payments", "betalingen", "betaling", "capital", "consultancy", "office",
    "co", "cie", "gebr", "gebroeders", "firma", "fa", "mr", "dhr", "mevr", "afd", "afdeling", "postbus",
    "vestiging", "regio", "nl", "com", "eu", "net", "nu", "info", "incassos", "incassant", "opdrachtgever",
}
PROF_CLASS = {}
for _w in ["gerechtsdeurwaarder", "gerechtsdeurwaarders", "gerechtsdeurwaarderskantoor", "deurwaarder",
           "deurwaarders", "deurwaarderskantoor", "deurwaardersdienst", "gdw"]:
    PROF_CLASS[_w] = "#gdw"
for _w in ["advocaat", "advocaten", "advocatenkantoor", "advocatuur", "advocatenpraktijk", "law", "legal",
           "lawyers", "attorneys"]:
    PROF_CLASS[_w] = "#adv"
PLACE_ADJ = {"twentse": "twente", "achterhoekse": "achterhoek", "drentse": "drenthe", "friese": "friesland",
             "fryslan": "friesland", "veluwse": "veluwe", "betuwse": "betuwe", "westlandse": "westland",
             "zeeuwse": "zeeland", "brabantse": "brabant", "limburgse": "limburg", "gooise": "gooi",
             "zaanse": "zaanstreek", "westfriese": "friesland", "noordhollandse": "holland", "sallandse": "salland",
             "kempische": "kempen", "flevolandse": "flevoland", "hoekschewaardse": "waard", "haagse": "haag",
             "rotterdamse": "rotterdam", "amsterdamse": "amsterdam", "utrechtse": "utrecht",
             "groninger": "groningen", "hollandse": "holland"}
PLACE_WORDS = (_lower_set([p[0] for p in PLACES] + [p[4] for p in PLACES] + [r[0] for r in REGIONS]) | {"haag", "bosch"}) \
    - TV_WORDS - CONNECT_WORDS - BIZ_WORDS
PLACE_WORDS -= {"bosch", "groene", "hart", "kop", "midden", "gelderse", "vallei", "hoeksche", "waard", "rijnland",
                "noord", "zuid", "oost", "west"}  # surnames, or words of a region's name that say little alone
GIVEN_WORDS = _lower_set(GIVEN_NAMES)
SURNAME_STEMS = _lower_set(s for _, s in SURNAMES)
_BIZ_LIST = sorted(BIZ_WORDS)
_PROF_LIST = sorted(PROF_CLASS)
_SPLITTABLE = sorted([w for w in BIZ_WORDS | set(PROF_CLASS) if len(w) >= 5], key=lambda w: (-len(w), w))
_CREDITOR_RE = re.compile(r"\b(" + "|".join(re.escape(strip_accents(c).lower()) for c in sorted(CREDITORS, key=len, reverse=True)) + r")\b")
_HODN_RE = re.compile(r"\bh\.?\s?o\.?\s?d\.?\s?n\.?(?=\W|$)|\bhandelend onder de naam\b|\bhandelsnaam\b")
_CLUTTER = [
    (re.compile(r"\b(t\.?\s?a\.?\s?v\.?|ter attentie van)(?=\W|$)[^,;()]*"), " "),
    (re.compile(r"\b(namens|i\.?\s?o\.?\s?v\.?|in opdracht van|opdrachtgever|inzake|ivm)(?=\W|$).*$"), " "),
    (re.compile(r"(?<![a-z0-9])p/a\b.*$"), " "),
    (re.compile(r"\b(via|incassant|afzender|briefhoofd)\b\s*:?"), " "),
    (re.compile(r"\bpostbus\s*\d+"), " "),
]
_ABBREV = [
    (r"\binc\.\s?bur(eau|\.)?", "incassobureau"), (r"\bincassob\.", "incassobureau"),
    (r"\binc\.\s?bureau", "incassobureau"), (r"\bdeb\.\s?beh(eer|\.)?", "debiteurenbeheer"),
    (r"\bcr\.\s?(man|mgmt)\.?", "credit management"), (r"\bgerechtsdeurw\.\s?kantoor", "gerechtsdeurwaarderskantoor"),
    (r"\bgerechtsdeurw\.", "gerechtsdeurwaarders"), (r"\bdeurw\.\s?kantoor", "deurwaarderskantoor"),
    (r"\badv\.\s?kantoor", "advocatenkantoor"), (r"\badm\.\s?kantoor", "administratiekantoor"),
    (r"\binvord\.", "invorderingen"), (r"\bfin\.\s?serv(ices|\.)?", "financial services"),
    (r"\bptnrs\b", "partners"), (r"\binc\.(?=\s|$)", "incasso"), (r"\binc\.(?=[a-z])", "incasso"), (r"\bjur\.", "juridisch"),
    (r"\badm\.", "administratie"), (r"\bgdw\s+kantoor", "gerechtsdeurwaarderskantoor"),
]
_ABBREV = [(re.compile(p), r) for p, r in _ABBREV]
_TV_EXPAND = [(re.compile(r"\bv\s*/\s*d\b"), " van de "), (re.compile(r"\bv\.\s*d\.?"), " van der "),
              (re.compile(r"\bv\.\s*"), " van ")]
_LEGAL = [re.compile(p) for p in (
    r"\bbesloten vennootschap(\s+met\s+beperkte\s+aansprakelijkheid)?\b", r"\bvennootschap onder firma\b",
    r"\bnaamloze vennootschap\b", r"\bcommanditaire vennootschap\b", r"\bcooperatie\b", r"\bstichting\b",
    r"\beenmanszaak\b", r"\bbvba\b", r"\bltd\b\.?", r"\bgmbh\b", r"(?<![a-z0-9])b\.?\s?v\.?(?![a-z0-9])",
    r"(?<![a-z0-9])v\.?\s?o\.?\s?f\.?(?![a-z0-9])", r"(?<![a-z0-9])n\.?\s?v\.(?![a-z0-9])",
    r"(?<![a-z0-9])c\.?\s?v\.(?![a-z0-9])", r"(?<![a-z0-9])u\.?\s?a\.(?![a-z0-9])",
    r"(?<![a-z0-9])i\.\s?o\.(?![a-z0-9])", r"\bnv\b", r"\bcv\b", r"\bua\b", r"\bou\b")]
_SOUND_RULES = [("0", "o"), ("1", "l"), ("5", "s"), ("rn", "m"), ("vv", "w"), ("uy", "ui"), ("ij", "y"),
                ("ei", "y"), ("ey", "y"), ("sch", "s"), ("ph", "f"), ("th", "t"), ("qu", "kw"), ("ck", "k"),
                ("x", "ks"), ("ou", "au"), ("dt", "t"), ("z", "s"), ("v", "f")]


@cache
def sound(token: str) -> str:
    if token.startswith("#") or (len(token) <= 4 and not re.search(r"[aeiouy]", token)):
        return token  # a class token, or an acronym: letters, not sounds
    t = token
    for a, b in _SOUND_RULES:
        t = t.replace(a, b)
    t = re.sub(r"c(?=[eiy])", "s", t)
    t = re.sub(r"c(?!h)", "k", t)
    t = re.sub(r"d$", "t", t)
    return re.sub(r"(.)\1+", r"\1", t)


@cache
def _fuzzy_class(token: str) -> str | None:
    """A misspelt business or profession word is still one ("inkasso", "klaims", "lncasso", "gerechtsdeurwaardes")."""
    if len(token) < 5:
        return None
    s = sound(token)
    if s in _PROF_SOUNDS:
        return _PROF_SOUNDS[s]
    if s in _BIZ_SOUNDS:
        return "biz"
    if len(token) < 6:
        return None
    hit = process.extractOne(s, list(_PROF_SOUNDS), scorer=fuzz.ratio, score_cutoff=84)
    if hit:
        return _PROF_SOUNDS[hit[0]]
    hit = process.extractOne(s, list(_BIZ_SOUNDS), scorer=fuzz.ratio, score_cutoff=80 if len(token) >= 6 else 90)
    return "biz" if hit else None


_PROF_SOUNDS = {sound(w): c for w, c in sorted(PROF_CLASS.items())}
_BIZ_SOUNDS = {sound(w): "biz" for w in _BIZ_LIST if len(w) >= 5}


@cache
def _is_class_word(token: str) -> bool:
    """Strictly: the token as a whole is a (misspelt) business or profession word."""
    s = sound(token)
    if s in _PROF_SOUNDS or s in _BIZ_SOUNDS:
        return True
    pool = list(_PROF_SOUNDS) + list(_BIZ_SOUNDS)
    return process.extractOne(s, pool, scorer=fuzz.ratio, score_cutoff=90) is not None


def _split_compound(token: str) -> list[str]:
    if len(token) < 8 or token in BIZ_WORDS or token in PROF_CLASS or _is_class_word(token):
        return [token]
    for w in _SPLITTABLE:
        if token.endswith(w) and len(token) - len(w) >= 3:
            return [token[: -len(w)], w]
        if token.startswith(w) and len(token) - len(w) >= 4:
            return [w, token[len(w):]]
    if token.startswith("van") and token[3:] in SURNAME_STEMS:
        return ["van", token[3:]]
    return [token]


@dataclass(frozen=True)
class Key:
    plain: tuple[str, ...]
    sound: tuple[str, ...]
    soft: tuple[bool, ...]
    initial: tuple[bool, ...]
    full: str

    @property
    def hard(self) -> tuple[str, ...]:
        return tuple(s for s, soft in zip(self.sound, self.soft, strict=True) if not soft)


def _key_of(text: str) -> Key:
    for rx, rep in _CLUTTER:
        text = rx.sub(rep, text)
    text = _CREDITOR_RE.sub(" ", text)
    for rx, rep in _ABBREV:
        text = rx.sub(rep, text)
    for rx in _LEGAL:
        text = rx.sub(" ", text)
    for rx, rep in _TV_EXPAND:
        text = rx.sub(rep, text)
    text = text.replace("&", " en ").replace("+", " en ")
    raw = re.findall(r"[a-z0-9]+", text)
    tokens: list[str] = []
    for t in raw:
        tokens.extend(_split_compound(t))
    plain, snd, soft, initial, full = [], [], [], [], []
    for i, t in enumerate(tokens):
        if t in TV_WORDS or t in CONNECT_WORDS:
            continue
        if t in PROF_CLASS:
            t = PROF_CLASS[t]
        elif t in BIZ_WORDS:
            full.append(sound(t))
            continue
        elif t in PLACE_ADJ or t in PLACE_WORDS:
            t = PLACE_ADJ.get(t, t)
            plain.append(t), snd.append(sound(t)), soft.append(True), initial.append(False)
            continue
        elif t in GIVEN_WORDS or (len(t) == 1 and t.isalpha()):
            plain.append(t[0]), snd.append(sound(t[0])), soft.append(True), initial.append(True)
            continue
        elif i == len(tokens) - 1 and len(t) >= 3 and any(w.startswith(t) for w in _BIZ_LIST):
            full.append(sound(t))  # a business word cut off by a form field
            continue
        else:
            cls = _fuzzy_class(t) if not t.isdigit() else None
            if cls == "biz":
                full.append(sound(t))
                continue
            if cls:
                t = cls
        plain.append(t), snd.append(sound(t)), soft.append(False), initial.append(False)
        full.append(sound(t))
    return Key(tuple(plain), tuple(snd), tuple(soft), tuple(initial), " ".join(full))


@cache
def analyse(name: str) -> tuple[Key, ...]:
    """The keys of a written name: one per name joined by "h.o.d.n." (trading as)."""
    text = strip_accents(name).lower()
    parts = [p for p in _HODN_RE.split(text) if p and p.strip()]
    return tuple(_key_of(p) for p in parts) or (_key_of(text),)


def _pair_score(w: Key, n: Key) -> float:
    w_init = any(w.initial)
    n_keep = [i for i in range(len(n.plain)) if w_init or not n.initial[i]]
    n_snd = [n.sound[i] for i in n_keep]
    n_pl = [n.plain[i] for i in n_keep]
    nset = set(n_snd)
    w_keep = [i for i in range(len(w.plain)) if not (w.soft[i] and w.sound[i] not in nset)]
    w_snd = [w.sound[i] for i in w_keep]
    w_pl = [w.plain[i] for i in w_keep]
    if not n_snd:
        return 0.9 * fuzz.ratio(w.full, n.full)
    if not w_snd:
        return 0.5 * fuzz.token_sort_ratio(w.full, n.full)
    # A profession word is not noise: a bailiff's office is no law firm, and neither is a collection agency.
    w_cls = {t for t in w_snd if t.startswith("#")}
    n_cls = {t for t in n_snd if t.startswith("#")}
    w_biz = bool(set(w.full.split()) - set(w.sound))  # the writer wrote business words, but no profession word
    penalty = (20.0 if (w_cls and n_cls and w_cls != n_cls) else 12.0 if (w_cls and not n_cls)
               else (12.0 if w_biz else 4.0) if (n_cls and not w_cls) else 0.0)
    w_snd = [t for t in w_snd if not t.startswith("#")] or w_snd
    n_snd = [t for t in n_snd if not t.startswith("#")] or n_snd
    w_pl = [t for t in w_pl if not t.startswith("#")] or w_pl
    n_pl = [t for t in n_pl if not t.startswith("#")] or n_pl
    ds = max(fuzz.ratio(" ".join(sorted(w_snd)), " ".join(sorted(n_snd))), fuzz.ratio("".join(w_snd), "".join(n_snd)))
    dp = max(fuzz.ratio(" ".join(sorted(w_pl)), " ".join(sorted(n_pl))), fuzz.ratio("".join(w_pl), "".join(n_pl)))
    fs = fuzz.token_sort_ratio(w.full, n.full)
    return 0.45 * ds + 0.3 * dp + 0.25 * fs - penalty


def name_score(written: str, name: str) -> float:
    """How plausibly ``written`` is a rendering of ``name`` (0-100)."""
    return max(_pair_score(w, n) for w in analyse(written) for n in analyse(name))


def _grams(tokens) -> list[str]:
    out: list[str] = []
    for t in tokens:
        if t.startswith("#"):
            continue
        s = f"^{t}$"
        out.extend(s[i:i + 3] for i in range(len(s) - 2))
    return list(dict.fromkeys(out))


class NameIndex:
    """Names of parties, searchable by the guard: which parties could a written name be about?

    Candidates come from an inverted index of sound-folded trigrams (ranked by their overlap with the
    written name), and are then scored with ``_pair_score``.
    """

    def __init__(self) -> None:
        self.keys: list[Key] = []
        self.owner: list[int] = []
        self.sizes: list[int] = []
        self.postings: dict[str, list[int]] = {}

    def add(self, owner: int, name: str) -> None:
        for key in analyse(name):
            i = len(self.keys)
            grams = _grams(key.sound)
            self.keys.append(key)
            self.owner.append(owner)
            self.sizes.append(len(grams))
            for g in grams:
                self.postings.setdefault(g, []).append(i)

    def scores(self, written: str, limit: int = 20) -> dict[int, float]:
        """owner -> best score of its names, for the owners a careful reader might think of."""
        found: dict[int, float] = {}
        for w in analyse(written):
            grams = _grams(w.sound)
            if not grams:
                continue
            hits: Counter = Counter()
            for g in grams:
                for i in self.postings.get(g, ()):
                    hits[i] += 1
            n = len(grams)
            floor = 1 if n < 6 else 2
            sizes = self.sizes
            ranked = heapq.nsmallest(limit, ((-2 * c / (n + sizes[i]), i) for i, c in hits.items() if c >= floor))
            ranked = [(i, c) for c, i in ranked]
            for i, _ in ranked:
                s = _pair_score(w, self.keys[i])
                o = self.owner[i]
                if s > found.get(o, -1.0):
                    found[o] = s
        return found


# --------------------------------------------------------------------------------------------------
# Names as parts, and what writers do to them
# --------------------------------------------------------------------------------------------------

Part = tuple[str, str]  # (role, text); roles: pre given init tv sur and brand place acro biz extra prof form preform


def render(parts: list[Part]) -> str:
    out: list[str] = []
    prev = None
    for role, text in parts:
        if not text:
            continue
        if role == "tv" and prev not in ("given", "init"):
            text = text[0].upper() + text[1:]
        out.append(text)
        prev = role
    return " ".join(out).replace(" ,", ",")


def core_of(parts: list[Part]) -> list[Part]:
    return [p for p in parts if p[0] in ("given", "init", "tv", "sur", "and", "brand", "place", "acro")]


def _replace(parts: list[Part], i: int, new: list[Part]) -> list[Part]:
    return parts[:i] + new + parts[i + 1:]


# Structural operations on parts: each returns new parts, or None when it does not apply to this name.

def op_form_absent(rng, parts):
    if not any(r in ("form", "preform") for r, _ in parts):
        return None
    return [p for p in parts if p[0] not in ("form", "preform")]


def op_form_spelled(rng, parts):
    for i, (r, t) in enumerate(parts):
        if r == "form" and t in SPELLED_FORMS:
            return _replace(parts, i, [("form", rng.choice(SPELLED_FORMS[t]))])
    return None


def op_form_different(rng, parts):
    for i, (r, t) in enumerate(parts):
        if r == "form" and t in OTHER_FORMS:
            return _replace(parts, i, [("form", rng.choice(OTHER_FORMS[t]))])
    if not any(r in ("form", "preform") for r, _ in parts):
        return parts + [("form", rng.choice(OTHER_FORMS[""]))]
    return None


def op_form_misplaced(rng, parts):
    forms = [p for p in parts if p[0] == "form" and p[1] in ("B.V.", "V.O.F.", "C.V.", "N.V.")]
    if not forms:
        return None
    rest = [p for p in parts if p[0] != "form"]
    if rng.random() < 0.6:
        return [forms[0]] + rest
    core_end = max(i for i, p in enumerate(rest) if p[0] in ("given", "init", "tv", "sur", "brand", "place", "acro"))
    if core_end == len(rest) - 1:
        return [forms[0]] + rest
    return rest[: core_end + 1] + [forms[0]] + rest[core_end + 1:]


def op_ampersand(rng, parts):
    spots = [i for i, (r, t) in enumerate(parts) if r == "and" or (r in ("extra", "biz") and "&" in t)]
    if not spots:
        return None
    i = rng.choice(spots)
    role, text = parts[i]
    new = rng.choice(["en", "+", "and", "&amp;", "en/of"] if role == "and" else ["en", "+", "&amp;"])
    return _replace(parts, i, [(role, text.replace("&", new))])


def op_word_order(rng, parts):
    idx_pre = [i for i, p in enumerate(parts) if p[0] == "pre"]
    idx_biz = [i for i, p in enumerate(parts) if p[0] == "biz"]
    forms = [p for p in parts if p[0] in ("form",)]
    body = [p for p in parts if p[0] not in ("form",)]
    if "and" in [p[0] for p in parts] and rng.random() < 0.5:
        k = [p[0] for p in body].index("and")
        core_l = [p for p in body[:k] if p[0] in ("given", "init", "tv", "sur", "brand", "place")]
        tail = [p for p in body[k + 1:] if p[0] in ("given", "init", "tv", "sur", "brand", "place")]
        others_front = [p for p in body[:k] if p not in core_l]
        others_back = [p for p in body[k + 1:] if p not in tail]
        if core_l and tail:
            return others_front + tail + [body[k]] + core_l + others_back + forms
    if idx_pre:
        pre = parts[idx_pre[0]]
        rest = [p for p in body if p != pre]
        return rest + [("biz", pre[1])] + forms
    if idx_biz:
        biz = parts[idx_biz[0]]
        rest = [p for p in body if p != biz]
        return [("pre", biz[1])] + rest + forms
    return None


def op_biz_drop(rng, parts):
    if not core_of(parts) or not any(r in ("pre", "biz", "extra") for r, _ in parts):
        return None
    return [p for p in parts if p[0] not in ("pre", "biz", "extra")]


def op_biz_add(rng, parts):
    have = render(parts).lower()
    options = [w for w in ADDED_BIZ if w.lower() not in have]
    if not options or not core_of(parts):
        return None
    word = rng.choice(options)
    i = max(i for i, p in enumerate(parts) if p[0] in ("given", "init", "tv", "sur", "brand", "place", "acro", "biz"))
    return parts[: i + 1] + [("biz", word)] + parts[i + 1:]


def op_biz_synonym(rng, parts):
    spots = []
    for i, (r, t) in enumerate(parts):
        if r in ("pre", "biz", "extra"):
            for group in BIZ_SYNONYMS:
                if t in group:
                    spots.append((i, [w for w in group if w != t]))
    if not spots:
        return None
    i, options = rng.choice(spots)
    return _replace(parts, i, [(parts[i][0], rng.choice(options))])


def op_prof_variant(rng, parts):
    """Bailiffs' and lawyers' offices: "Advocatenkantoor X" <-> "X Advocaten" <-> "X Advocatuur"."""
    for i, (r, t) in enumerate(parts):
        if r == "prof":
            words = BAILIFF_WORDS if "eurwaarder" in t else LAWYER_WORDS[:4]
            new = rng.choice([w for w in words if w != t])
            body = [p for j, p in enumerate(parts) if j != i and p[0] != "form"]
            if new.endswith("kantoor") or new.endswith("praktijk"):
                return [("prof", new)] + body
            return body + [("prof", new)]
    return None


def op_initials(rng, parts):
    if not any(r == "sur" for r, _ in parts):
        return None
    out: list[Part] = []
    for r, t in parts:
        if r == "given":
            out.append(("init", ".".join(x[0] for x in t.split("-")) + "."))
        else:
            out.append((r, t))
    if not any(r == "init" for r, _ in out):
        k = next(i for i, p in enumerate(out) if p[0] in ("tv", "sur"))
        out.insert(k, ("init", rng.choice("ABCDEFGHJKLMNPRSTW") + "."))
    if rng.random() < 0.35:  # "De Vries, J." as a list of names writes it
        k = [r for r, _ in out].index("init")
        init = out.pop(k)
        last = max(i for i, p in enumerate(out) if p[0] == "sur")
        out[last] = ("sur", out[last][1] + ",")
        out.insert(last + 1, ("init", init[1]))
    elif rng.random() < 0.3:
        out = [(r, t.replace(".", "") if r == "init" else t) for r, t in out]
    return out


TV_VARIANTS = {"van der": ["v.d.", "vd", "Van Der", "v/d", "vander"], "van den": ["v.d.", "vd", "Van Den", "vanden"],
               "van de": ["v.d.", "v/d", "Van De", "vande"], "van": ["v.", "V.", "Van"], "de": ["De", "d'"],
               "ter": ["Ter", "ter"], "ten": ["Ten"], "el": ["El"]}


def op_tussenvoegsel(rng, parts):
    spots = [i for i, (r, t) in enumerate(parts) if r == "tv" and t.lower() in TV_VARIANTS]
    spots += [i for i, (r, t) in enumerate(parts) if r == "sur" and re.search(r"-(de|van|van der) ", t)]
    if not spots:
        return None
    i = rng.choice(spots)
    r, t = parts[i]
    if r == "sur":
        return _replace(parts, i, [("sur", t.replace("-de ", "-De ").replace("-van ", "-v. "))])
    new = rng.choice(TV_VARIANTS[t.lower()])
    if new in ("vander", "vanden", "vande"):  # run together with the surname
        j = i + 1
        if j < len(parts) and parts[j][0] == "sur":
            return parts[:i] + [("sur", new.capitalize() + parts[j][1].lower())] + parts[j + 1:]
        return None
    return _replace(parts, i, [("sur" if new[0].isupper() else "tv", new)])


def op_abbreviation(rng, parts):
    spots = []
    for i, (r, t) in enumerate(parts):
        for full, short in ABBREVIATIONS:
            if full in t and r in ("pre", "biz", "extra", "prof"):
                spots.append((i, full, short))
    if not spots:
        return None
    i, full, short = rng.choice(spots)
    return _replace(parts, i, [(parts[i][0], parts[i][1].replace(full, rng.choice(short)))])


def acronym_of(parts: list[Part]) -> str:
    letters = []
    for r, t in parts:
        if r in ("form", "preform", "tv", "and"):
            continue
        for w in re.findall(r"[A-Za-zÀ-ÿ]+", t):
            if w.lower() in ("de", "van", "der", "den", "en"):
                continue
            letters.append(strip_accents(w)[0].upper())
    return "".join(letters)


# Text operations: a string in, a string out, or None when nothing applies.

def t_upper(rng, s):
    return s.upper()


def t_lower(rng, s):
    return s.lower()


_ADD_ACCENTS = [("Financiele", "Financiële"), ("Cooperatie", "Coöperatie"), ("Creance", "Créance"),
                ("Reseau", "Réseau"), ("Rene ", "René "), ("Ozturk", "Öztürk"), ("Fidele", "Fidèle"),
                ("Entree", "Entrée"), ("Noel ", "Noël "), ("Zoe ", "Zoë "), ("Fryslan", "Fryslân"),
                ("Credit Noord", "Crédit Noord"), ("Cafe ", "Café ")]


def t_diacritics(rng, s):
    if s != strip_accents(s):
        return strip_accents(s)
    for plain, accented in _ADD_ACCENTS:
        if plain in s:
            return s.replace(plain, accented)
    return None


def _words(s):
    return [(m.start(), m.end()) for m in re.finditer(r"[A-Za-zÀ-ÿ]+", s)]


def t_run_together(rng, s):
    ws = _words(s)
    pairs = [(a, b) for a, b in zip(ws, ws[1:], strict=False) if s[a[1]:b[0]] == " " and a[1] - a[0] >= 3 and b[1] - b[0] >= 3]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    second = s[b[0]:b[1]]
    second = second if rng.random() < 0.6 else second.lower()
    return s[: a[1]] + second + s[b[1]:]


BIZ_SPLITS = {"Incassobureau": "Incasso Bureau", "Debiteurenbeheer": "Debiteuren Beheer",
              "Incassodiensten": "Incasso Diensten", "Gerechtsdeurwaarders": "Gerechts Deurwaarders",
              "Administratiekantoor": "Administratie Kantoor", "Advocatenkantoor": "Advocaten Kantoor",
              "Incassokantoor": "Incasso Kantoor", "Deurwaarderskantoor": "Deurwaarders Kantoor",
              "Schuldbeheer": "Schuld Beheer", "Betalingsregie": "Betalings Regie"}
COMPOUND_SPLITS: dict[str, str] = {}  # brand words and their morpheme boundary, filled as brands are made


def t_split_word(rng, s):
    options = [(w, COMPOUND_SPLITS[w]) for w in re.findall(r"[A-Za-z]+", s) if w in COMPOUND_SPLITS]
    options += [(w, v) for w, v in BIZ_SPLITS.items() if w in s]
    if not options:
        return None
    w, v = rng.choice(options)
    if rng.random() < 0.3:
        v = v.replace(" ", "-")
    return s.replace(w, v, 1)


SHORT_TYPOS = [("Moll", "Mol"), ("Mol", "Moll"), ("Bosch", "Bos"), ("Bos", "Bosch"), ("Vos", "Vosch"),
               ("Smit", "Smid"), ("Kok", "Kock"), ("Roos", "Roose"), ("Post", "Posth"), ("Stam", "Stamm"),
               ("Blom", "Bloem"), ("Maas", "Maes"), ("Prins", "Prinz"), ("Vink", "Fink"), ("Groen", "Groene"),
               ("Os", "Oss"), ("Kroon", "Kroone"), ("Ploeg", "Ploech"), ("Pronk", "Pronck"), ("Aarts", "Arts"),
               ("Ven", "Venn"), ("Wit", "Witt"), ("Wal", "Wall"), ("Dam", "Damm"), ("Have", "Haven")]


def t_typo_short(rng, s):
    options = [(a, b) for a, b in SHORT_TYPOS if re.search(rf"\b{a}\b", s)]
    if options:
        a, b = rng.choice(options)
        return re.sub(rf"\b{a}\b", b, s, count=1)
    ws = [(i, j) for i, j in _words(s) if 3 <= j - i <= 5 and s[i:j].lower() not in BIZ_WORDS | GIVEN_WORDS | TV_WORDS]
    if not ws:
        return None
    i, j = rng.choice(ws)
    w = s[i:j]
    w2 = w + w[-1] if w[-1] not in "aeiou" and w[-1] != w[-2] else (w[:-1] if w[-1] == w[-2] else w + "e")
    return s[:i] + w2 + s[j:]


def _edit(rng, w: str) -> str:
    kind = rng.choice(["swap", "drop", "double", "swap"])
    k = rng.randint(1, len(w) - 2)
    if kind == "swap" and w[k] != w[k + 1]:
        return w[:k] + w[k + 1] + w[k] + w[k + 2:]
    if kind == "drop":
        return w[:k] + w[k + 1:]
    return w[:k] + w[k] + w[k:]


def t_typo_long(rng, s):
    ws = [(i, j) for i, j in _words(s) if j - i >= 8]
    if not ws:
        return None
    i, j = rng.choice(ws)
    w = _edit(rng, s[i:j])
    if rng.random() < 0.3 and len(w) >= 10:
        w = _edit(rng, w)
    return s[:i] + w + s[j:]


# Spellings as heard on the phone: (pattern, replacement); patterns are regular expressions.
PHONETIC = [("ij", "y"), ("ij", "ei"), ("ei", "ij"), ("y", "ij"), ("ou", "au"), ("au", "ou"), ("cc", "kk"),
            ("Inc", "Ink"), ("inc", "ink"), ("Cl", "Kl"), ("Cr", "Kr"), ("Co", "Ko"), ("ct", "kt"), ("ph", "f"),
            ("dt", "t"), ("sch", "s"), ("x", "ks"), ("ks", "x"), ("bureau", "buro"), ("Bureau", "Buro"),
            ("ie(?=[a-z])", "i"), ("c(?=[aoulrt])", "k"), ("d(?= )", "t"), ("z", "s"), ("ui", "uy"), ("ee", "e"),
            ("oo", "o"), ("(?<=[aeiou])g", "ch"), ("C(?=[aou])", "K")]


def t_phonetic(rng, s):
    done = 0
    for _ in range(rng.choice([1, 1, 2])):
        options = [(a, b) for a, b in PHONETIC if re.search(a, s)]
        if not options:
            break
        a, b = rng.choice(options)
        spots = [m for m in re.finditer(a, s)]
        m = rng.choice(spots)
        s = s[:m.start()] + b + s[m.end():]
        done += 1
    return s if done else None


def t_ocr(rng, s):
    ops = ["m_rn", "rn_m", "l_1", "I_l", "O_0", "o_0", "e_c", "break", "merge", "h_b", "S_5", "i_l", "cl_d"]
    out, applied = s, 0
    for _ in range(rng.choice([1, 2, 2, 3])):
        op = rng.choice(ops)
        if op == "break":
            ws = [(i, j) for i, j in _words(out) if j - i >= 8]
            if ws:
                i, j = rng.choice(ws)
                k = rng.randint(i + 3, j - 3)
                out = out[:k] + rng.choice(["- ", " ", "-"]) + out[k:]
                applied += 1
            continue
        if op == "merge":
            if " " in out:
                spaces = [m.start() for m in re.finditer(" ", out)]
                k = rng.choice(spaces)
                out = out[:k] + out[k + 1:]
                applied += 1
            continue
        a, b = {"m_rn": ("m", "rn"), "rn_m": ("rn", "m"), "l_1": ("l", "1"), "I_l": ("I", "l"), "O_0": ("O", "0"),
                "o_0": ("o", "0"), "e_c": ("e", "c"), "h_b": ("h", "b"), "S_5": ("S", "5"), "i_l": ("i", "l"),
                "cl_d": ("cl", "d")}[op]
        spots = [m.start() for m in re.finditer(re.escape(a), out)]
        if spots:
            k = rng.choice(spots)
            out = out[:k] + b + out[k + len(a):]
            applied += 1
    return out if applied and out != s else None


def t_truncate(rng, s, width: int):
    return s[:width].rstrip() if len(s) > width else None


CLUTTER_FORMS = ["{n} t.a.v. afd. {dept}", "{n}, t.a.v. dhr. {person}", "{n} t.a.v. mevr. {person}", "{n} namens {c}",
                 "{n} i.o.v. {c}", "{c} via {n}", "{n} p/a Postbus {pb}", "Incassant: {n} (opdrachtgever {c})",
                 "{n} inzake {c}", "T.a.v. {dept}, {n}", "{n} (namens {c})", "{n} IOV {c}"]


def t_clutter(rng, s):
    person = rng.choice(SURNAMES)
    person = (person[0] + " " + person[1]).strip()
    return rng.choice(CLUTTER_FORMS).format(
        n=s, c=rng.choice(CREDITORS), dept=rng.choice(["Debiteuren", "Incasso", "Klantenservice", "Juridische Zaken"]),
        person=person, pb=rng.randint(100, 99999))


# --------------------------------------------------------------------------------------------------
# Parties
# --------------------------------------------------------------------------------------------------

@dataclass
class NameEntry:
    parts: list[Part]
    role: str  # "legal" | "trade" | "name" (exempt and unregistered parties)
    frm: date | None = None  # listed from (None: from the start)
    to: date | None = None  # listed until, exclusive

    @property
    def text(self) -> str:
        return render(self.parts)

    def active(self, day: date, start: date | None) -> bool:
        first = self.frm or start
        return (first is None or first <= day) and (self.to is None or day < self.to)


@dataclass
class Party:
    idx: int
    cat: str  # "reg" | "ex" | "un"
    pid: str  # registratienummer, "EX-0001" or "U-001"
    names: list[NameEntry]
    cluster: int
    traits: list[str] = field(default_factory=list)
    kvk: str | None = None
    vest: str | None = None
    domains: list[tuple[str, date | None]] = field(default_factory=list)
    web_notes: list[str] = field(default_factory=list)
    emails: list[tuple[str, date | None]] = field(default_factory=list)
    phones: list[tuple[tuple[str, str], date | None]] = field(default_factory=list)
    ibans: list[tuple[str, date | None]] = field(default_factory=list)
    hidden_ibans: list[str] = field(default_factory=list)
    hidden_phones: list[tuple[str, str]] = field(default_factory=list)
    free_emails: list[str] = field(default_factory=list)
    street: str = ""
    number: str = ""
    postcode: str = ""
    plaats: str = ""
    start: date | None = None
    end: date | None = None
    status: str = "ingeschreven"
    group: int | None = None
    beroep: str = ""
    weight: float = 1.0
    related: int | None = None  # clone_of / lookalike_of / look-alike partner
    active: tuple[date, date] | None = None
    events: list[tuple[date, str]] = field(default_factory=list)

    def valid_on(self, day: date) -> bool:
        return self.start is not None and self.start <= day and (self.end is None or day < self.end)

    def names_at(self, day: date) -> list[NameEntry]:
        return [n for n in self.names if n.active(day, self.start)]

    def legal_at(self, day: date) -> NameEntry:
        legal = [n for n in self.names if n.role in ("legal", "name")]
        current = [n for n in legal if n.active(day, self.start)]
        if current:
            return current[0]
        before = [n for n in legal if n.to is not None and n.to <= day]
        return before[-1] if before and (self.start is None or day >= self.start) else legal[0]

    def trades_at(self, day: date) -> list[NameEntry]:
        return [n for n in self.names if n.role == "trade" and n.active(day, self.start)]


class _Ids:
    """Every identifier handed out, so that no two parties share one by accident."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def fresh(self, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise AssertionError("identifier space exhausted")

    def kvk(self) -> str:
        rng = self.rng
        return self.fresh(lambda: ("0" + "".join(rng.choice("0123456789") for _ in range(7))) if rng.random() < 0.1
                          else str(rng.randint(10000000, 99999999)))

    def vest(self) -> str:
        return self.fresh(lambda: f"{self.rng.randint(10000000, 99999999):012d}")

    def iban(self, country: str = "NL") -> str:
        return self.fresh(lambda: make_iban(self.rng, country))

    def phone(self, area: str) -> tuple[str, str]:
        n = 10 - len(area)
        rng = self.rng
        first = "12345678" if area == "06" else "23456789"
        value = self.fresh(lambda: area + rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1)))
        return area, value[len(area):]

    def domain(self, candidates: list[str]) -> str:
        for c in candidates:
            if c not in self.used:
                self.used.add(c)
                return c
        return self.fresh(lambda: f"{candidates[0].split('.')[0]}{self.rng.randint(2, 99)}.{candidates[0].split('.', 1)[1]}")


POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"


class _Builder:
    """Makes the parties: registrations with their history, exempt offices, unregistered collectors."""

    def __init__(self, seed: int, n_reg: int, n_ex: int, n_un: int) -> None:
        self.rng = random.Random(seed)
        self.n_reg, self.n_ex, self.n_un = n_reg, n_ex, n_un
        self.parties: list[Party] = []
        self.index = NameIndex()  # every name any party ever had: keeps the world's names apart
        self.ids = _Ids(self.rng)
        self.clusters = 0
        self.used_words: set[str] = set()
        self.rejected_names = 0
        self.pending_pairs: list[tuple[Party, tuple[str, str], str]] = []  # look-alikes waiting for their collector

    # -- names --------------------------------------------------------------------------------------

    def new_cluster(self) -> int:
        self.clusters += 1
        return self.clusters

    def name_ok(self, text: str, cat: str, cluster: int, allow: tuple[int, ...] = (), limit_reg: float = 78) -> bool:
        """A new name must not be mistakable for another party's name (outside its designed relations)."""
        keys = analyse(text)
        if not any(k.hard for k in keys) or len(text) > 90:
            return False
        for owner, s in self.index.scores(text, limit=30).items():
            other = self.parties[owner]
            if other.cluster == cluster or owner in allow:
                continue
            if cat != "un" and other.cat != "un":
                limit = 80.0
            elif cat == "un" and other.cat == "un":
                limit = 74.0
            else:
                limit = limit_reg
            if s >= limit:
                self.rejected_names += 1
                return False
        return True

    def surname(self) -> tuple[str, str]:
        return self.rng.choice(SURNAMES)

    def sur_parts(self, sur: tuple[str, str]) -> list[Part]:
        tv, stem = sur
        return ([("tv", tv)] if tv else []) + [("sur", stem)]

    def nl_brand(self) -> str:
        rng = self.rng
        for _ in range(200):
            head, tail = rng.choice(NL_HEADS), rng.choice(NL_TAILS)
            word = head + tail
            if head.lower().endswith(tail[:2]) or word.lower() in self.used_words:
                continue
            self.used_words.add(word.lower())
            COMPOUND_SPLITS[word] = head + " " + tail.capitalize()
            return word
        return self.coinage()

    def en_brand(self) -> str:
        rng = self.rng
        for _ in range(200):
            head, tail = rng.choice(EN_HEADS), rng.choice(EN_TAILS)
            word = head + tail
            if head.lower().endswith(tail[:2]) or word.lower() in self.used_words:
                continue
            self.used_words.add(word.lower())
            COMPOUND_SPLITS[word] = head + " " + tail.capitalize()
            return word
        return self.coinage()

    def coinage(self) -> str:
        rng = self.rng
        for _ in range(200):
            word = rng.choice(COINAGES)
            if rng.random() < 0.5:
                word = word + rng.choice(["", "s", "x", "a", "ium", "ix", "o"])
            if word.lower() not in self.used_words:
                self.used_words.add(word.lower())
                return word
        return "Nova" + str(rng.randint(10, 99))

    def region(self) -> tuple[str, str]:
        rng = self.rng
        for _ in range(100):
            if rng.random() < 0.7:
                noun, adj = rng.choice(REGIONS)
            else:
                noun = rng.choice(PLACES)[0]
                adj = ""
            if noun.lower() not in self.used_words:
                self.used_words.add(noun.lower())
                return noun, adj
        return rng.choice(REGIONS)

    def acro(self) -> str:
        rng = self.rng
        for _ in range(100):
            word = "".join(rng.choice("BCDFGHJKLMNPRSTVWZ") for _ in range(rng.choice([2, 3, 3, 4])))
            if word.lower() not in self.used_words and word not in ("CZ", "VGZ", "KPN", "BV", "NV", "CV", "VOF"):
                self.used_words.add(word.lower())
                return word
        return "KDM"

    def person(self, sur: tuple[str, str] | None = None) -> list[Part]:
        rng = self.rng
        sur = sur or self.surname()
        if rng.random() < 0.55:
            head: list[Part] = [("given", rng.choice(GIVEN_NAMES))]
        else:
            head = [("init", ".".join(rng.sample("ABCDEFGHJKLMNPRSTW", rng.choice([1, 1, 2]))) + ".")]
        return head + self.sur_parts(sur)

    def double_surname(self) -> list[Part]:
        rng = self.rng
        a, b = self.surname(), self.surname()
        while b == a:
            b = self.surname()
        if rng.random() < 0.5:
            second = (b[0] + " " if b[0] else "") + b[1]
            return ([("tv", a[0])] if a[0] else []) + [("sur", f"{a[1]}-{second}")]
        return self.sur_parts(a) + [("and", "&")] + self.sur_parts(b)

    def form(self, person: bool = False) -> str:
        if person and self.rng.random() < 0.6:
            return ""
        return weighted(self.rng, LEGAL_FORMS)

    def assemble(self, core: list[Part], lang: str, form: str, prefix_ok: bool = True) -> list[Part]:
        rng = self.rng
        if lang == "nl" and prefix_ok and rng.random() < 0.3:
            parts = [("pre", rng.choice(PREFIX_BIZ))] + core
        else:
            pool = EN_SUFFIX_BIZ if lang == "en" else NL_SUFFIX_BIZ
            parts = core + [("biz", rng.choice(pool))]
        if rng.random() < 0.1:
            parts.append(("extra", rng.choice(["& Partners", "Groep", "Group", "& Zn.", "Nederland", "Benelux"])))
        return self.with_form(parts, form)

    def with_form(self, parts: list[Part], form: str) -> list[Part]:
        if form == "Holding B.V.":
            return parts + [("extra", "Holding"), ("form", "B.V.")]
        if form == "Stichting":
            return [("preform", "Stichting")] + parts
        if form == "Coöperatie U.A.":
            return [("preform", "Coöperatie")] + parts + [("form", "U.A.")]
        return parts + ([("form", form)] if form else [])

    def core(self, style: str) -> tuple[list[Part], str]:
        rng = self.rng
        if style == "surname":
            return self.sur_parts(self.surname()), "nl"
        if style == "double":
            return self.double_surname(), "nl"
        if style == "person":
            return self.person(), "nl"
        if style == "nlbrand":
            return [("brand", self.nl_brand())], "nl" if rng.random() < 0.75 else "en"
        if style == "enbrand":
            return [("brand", self.en_brand())], "en" if rng.random() < 0.8 else "nl"
        if style == "coinage":
            return [("brand", self.coinage())], rng.choice(["nl", "en"])
        if style == "place":
            noun, adj = self.region()
            return [("place", adj if adj and rng.random() < 0.4 else noun)], "nl" if rng.random() < 0.65 else "en"
        if style == "acro":
            return [("acro", self.acro())], rng.choice(["nl", "en"])
        if style == "diacritic":
            word = rng.choice(DIACRITIC_BRANDS)
            return [("brand", word if rng.random() < 0.5 else strip_accents(word))], "en"
        raise ValueError(style)

    REG_STYLES = [("surname", 12), ("double", 10), ("person", 9), ("nlbrand", 20), ("enbrand", 18), ("coinage", 9),
                  ("place", 14), ("acro", 4), ("diacritic", 1)]

    def legal_name(self, cat: str, cluster: int, style: str | None = None, allow=()) -> tuple[list[Part], list[Part], str]:
        for _ in range(60):
            st = style or weighted(self.rng, self.REG_STYLES)
            core, lang = self.core(st)
            parts = self.assemble(core, lang, self.form(person=st == "person"), prefix_ok=st != "person" or self.rng.random() < 0.5)
            if self.name_ok(render(parts), cat, cluster, allow):
                return parts, core, lang
        raise AssertionError("no name found")

    def trade_name(self, legal: list[Part], core: list[Part], lang: str, cluster: int, taken: list[str]) -> list[Part] | None:
        rng = self.rng
        for _ in range(10):
            kind = rng.choice(["core", "otherbiz", "otherbiz", "acronym", "english", "surname"])
            if kind == "core" and any(r in ("brand", "place", "acro") for r, _ in core):
                parts = core
            elif kind == "otherbiz":
                pool = EN_SUFFIX_BIZ if lang == "en" else NL_SUFFIX_BIZ
                parts = core + [("biz", rng.choice(pool))]
            elif kind == "acronym":
                word = acronym_of(legal)
                if not 3 <= len(word) <= 5:
                    continue
                parts = [("acro", word)] + ([("biz", rng.choice(["Collect", "Incasso", "Credit", "Claims"]))] if rng.random() < 0.5 else [])
            elif kind == "english":
                parts = core + [("biz", rng.choice(EN_SUFFIX_BIZ))]
            elif kind == "surname" and any(r == "sur" for r, _ in core):
                surs = [p for p in core if p[0] in ("tv", "sur")]
                parts = surs[:2] + [("biz", rng.choice(["Incasso", "Incassodiensten", "Credit Management"]))]
            else:
                continue
            text = render(parts)
            if text == render(legal) or text in taken:
                continue
            if self.name_ok(text, "reg", cluster):
                return parts
        return None

    # -- identifiers --------------------------------------------------------------------------------

    def address(self, party: Party, place: tuple | None = None) -> None:
        rng = self.rng
        place = place or rng.choice(PLACES)
        party.plaats = place[0]
        party.postcode = f"{rng.randint(place[1], place[2])} {rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
        party.street = rng.choice(STREETS)
        party.number = str(rng.randint(1, 240)) + (rng.choice(["", "", "", "a", "b", "-C", " bis"]))

    def domain_for(self, parts: list[Part], tlds: list[str]) -> str:
        rng = self.rng
        core = [t for r, t in parts if r in ("brand", "place", "acro", "sur", "given")]
        biz = [t for r, t in parts if r in ("biz", "pre", "prof")]
        c = slug(" ".join(core) or render(parts))
        b = slug(biz[0]) if biz else "incasso"
        tld = rng.choice(tlds)
        cands = [f"{c}-{b}.{tld}", f"{c}.{tld}", f"{c.replace('-', '')}{b.replace('-', '')}.{tld}", f"{c}{b.split('-')[0]}.{tld}"]
        rng.shuffle(cands)
        return self.ids.domain([d[:60] for d in cands])

    def web_note(self, domain: str) -> str:
        return self.rng.choice([domain, "www." + domain, "https://www." + domain, "https://" + domain, "http://www." + domain + "/"])

    def phone_area(self, party: Party) -> str:
        rng = self.rng
        area = next((p[3] for p in PLACES if p[0] == party.plaats), "088")
        return rng.choice([area, area, area, "088", "085", "06"]) if party.cat != "un" else rng.choice(["06", "06", "06", area, "085", "084"])

    def give_ids(self, p: Party) -> None:
        rng = self.rng
        legal = p.names[0].parts
        if p.cat == "reg":
            p.kvk = p.kvk or self.ids.kvk()
            if rng.random() < 0.6:
                p.vest = self.ids.vest()
            if rng.random() < 0.78:
                d = self.domain_for(legal, ["nl", "nl", "nl", "com", "eu"])
                p.domains.append((d, None))
                p.web_notes.append(self.web_note(d))
                if rng.random() < 0.7:
                    p.emails.append((rng.choice(["info", "incasso", "debiteuren", "klantenservice", "administratie", "contact"]) + "@" + d, None))
            if rng.random() < 0.82:
                p.phones.append((self.ids.phone(self.phone_area(p)), None))
            for _ in range(weighted(rng, [(0, 30), (1, 50), (2, 20)])):
                p.ibans.append((self.ids.iban("NL"), None))
            if rng.random() < 0.4:
                p.hidden_ibans.append(self.ids.iban("NL"))
            if rng.random() < 0.25:
                p.hidden_phones.append(self.ids.phone("06"))
        elif p.cat == "ex":
            p.kvk = self.ids.kvk() if rng.random() < 0.85 else None
            if rng.random() < 0.7:
                d = self.domain_for(legal, ["nl", "nl", "nl", "com"])
                p.domains.append((d, None))
                p.web_notes.append(self.web_note(d))
        else:
            if rng.random() < 0.55:
                p.kvk = self.ids.kvk()
            if rng.random() < 0.5:
                d = self.domain_for(legal, ["nl", "com", "eu", "online", "net", "info", "be", "nu"])
                p.domains.append((d, None))
                if rng.random() < 0.6:
                    p.emails.append((rng.choice(["info", "betalen", "incasso", "service", "support", "klantenservice"]) + "@" + d, None))
            if not p.emails or rng.random() < 0.3:
                base = slug(render(core_of(legal)) or render(legal), rng.choice([".", "", "_"]))[:20]
                tail = rng.choice(["", "incasso", "invordering", "collect", str(rng.randint(1, 99))])
                addr = self.ids.fresh(lambda: f"{base}{'.' if tail and rng.random() < 0.5 else ''}{tail}{rng.choice(['', str(rng.randint(1, 9))])}@{rng.choice(FREE_MAIL)}")
                p.free_emails.append(addr)
            if rng.random() < 0.75:
                p.phones.append((self.ids.phone(self.phone_area(p)), None))
                if rng.random() < 0.2:
                    p.phones.append((self.ids.phone("06"), None))
            for _ in range(weighted(rng, [(0, 15), (1, 45), (2, 25), (3, 10), (4, 5)])):
                country = "NL" if rng.random() < 0.5 else rng.choice(["LT", "LT", "BE", "DE", "IE", "GB", "FR", "ES", "EE", "PT", "LU", "BG"])
                p.ibans.append((self.ids.iban(country), None))

    # -- registrations ------------------------------------------------------------------------------

    def reg_dates(self, p: Party, pioneer: bool = False) -> None:
        rng = self.rng
        if pioneer:
            p.start = WKI_START
        else:
            band = weighted(rng, [((date(2024, 4, 2), date(2024, 12, 31)), 22), ((date(2025, 1, 1), date(2025, 3, 31)), 38),
                                  ((date(2025, 4, 1), date(2025, 12, 31)), 25), ((date(2026, 1, 1), FINAL_SNAPSHOT), 15)])
            p.start = rand_day(rng, *band)
        r = rng.random()
        if r < 0.09 and p.start + timedelta(days=45) <= FINAL_SNAPSHOT:
            p.status = "doorgehaald"
            p.end = rand_day(rng, p.start + timedelta(days=45), FINAL_SNAPSHOT)
        elif r < 0.16 and add_years(p.start, 1) <= FINAL_SNAPSHOT:
            p.status = "verlopen"
            years = 2 if add_years(p.start, 2) <= FINAL_SNAPSHOT and rng.random() < 0.3 else 1
            p.end = add_years(p.start, years)

    def add_reg(self, names: list[NameEntry], cluster: int, traits=(), pioneer=False, kvk=None) -> Party:
        p = Party(idx=len(self.parties), cat="reg", pid="", names=names, cluster=cluster, traits=list(traits), kvk=kvk)
        p.weight = self.rng.paretovariate(1.3)
        self.reg_dates(p, pioneer)
        self.address(p)
        self.parties.append(p)
        for n in names:
            self.index.add(p.idx, n.text)
        self.give_ids(p)
        return p

    def standalone_reg(self, pioneer=False) -> Party:
        cluster = self.new_cluster()
        legal, core, lang = self.legal_name("reg", cluster)
        names = [NameEntry(legal, "legal")]
        for _ in range(weighted(self.rng, [(0, 45), (1, 35), (2, 15), (3, 5)])):
            t = self.trade_name(legal, core, lang, cluster, [n.text for n in names])
            if t:
                names.append(NameEntry(t, "trade"))
        return self.add_reg(names, cluster, pioneer=pioneer)

    def groups(self, count: int) -> None:
        rng = self.rng
        for g in range(count):
            cluster = self.new_cluster()
            style = rng.choice(["nlbrand", "enbrand", "place", "coinage"])
            core, lang = self.core(style)
            members = rng.choice([2, 2, 2, 3])
            bizs = rng.sample(NL_SUFFIX_BIZ[:12] if lang == "nl" else EN_SUFFIX_BIZ[:12], members)
            shared_trade = core + [("extra", rng.choice(["Groep", "Group"]))]
            shared_web = rng.random() < 0.35
            first = None
            for k in range(members):
                legal = self.with_form(core + [("biz", bizs[k])], "B.V.")
                names = [NameEntry(legal, "legal")]
                if rng.random() < 0.6:
                    names.append(NameEntry(list(shared_trade), "trade"))
                p = self.add_reg(names, cluster, traits=["group"])
                p.group = g + 1
                if first is None:
                    first = p
                else:
                    if shared_web and first.domains:
                        p.domains, p.web_notes, p.emails = [first.domains[0]], [first.web_notes[0]], list(first.emails)
                    p.street, p.number, p.postcode, p.plaats = first.street, first.number, first.postcode, first.plaats

    def reregistered(self, count: int) -> None:
        """A firm struck off or lapsed, registered again later under a new number (same KvK)."""
        rng = self.rng
        for _ in range(count):
            cluster = self.new_cluster()
            legal, core, lang = self.legal_name("reg", cluster)
            old = self.add_reg([NameEntry(legal, "legal")], cluster, traits=["rereg"])
            old.start = rand_day(rng, date(2024, 5, 1), date(2025, 6, 30))
            if rng.random() < 0.5:
                old.status, old.end = "verlopen", add_years(old.start, 1)
            else:
                old.status, old.end = "doorgehaald", rand_day(rng, old.start + timedelta(days=60), add_years(old.start, 1))
            new = self.add_reg([NameEntry(list(legal), "legal")], cluster, traits=["rereg"], kvk=old.kvk)
            new.start = min(FINAL_SNAPSHOT, old.end + timedelta(days=rng.choice([0, 1, 14, 45, 90, 150])))
            new.status, new.end = "ingeschreven", None
            new.street, new.number, new.postcode, new.plaats = old.street, old.number, old.postcode, old.plaats
            new.vest = old.vest
            if rng.random() < 0.7 and old.domains:
                new.domains, new.web_notes, new.emails = list(old.domains), list(old.web_notes), list(old.emails)

    def lookalike_pairs(self, count: int, second_cat: str) -> list[tuple[Party, Party | None]]:
        """Jansen / Janssen: two parties whose names differ in one letter of a short surname."""
        rng = self.rng
        out = []
        pairs = list(LOOKALIKE_SURNAMES)
        rng.shuffle(pairs)
        for a, b in pairs[:count]:
            cluster = self.new_cluster()
            biz = rng.choice(["Incasso", "Incassodiensten", "Invorderingen", "Credit Management", "Debiteurenbeheer"])
            legal_a = self.with_form(self.sur_parts(a) + [("biz", biz)], "B.V.")
            if not self.name_ok(render(legal_a), "reg", cluster):
                continue
            pa = self.add_reg([NameEntry(legal_a, "legal")], cluster, traits=["lookalike"])
            biz_b = rng.choice([w for w in ("Incasso", "Incasso Services", "Invorderingen", "Collect", "Credit Management") if w != biz])
            if second_cat == "reg":
                legal_b = self.with_form(self.sur_parts(b) + [("biz", biz_b)], rng.choice(["B.V.", "V.O.F."]))
                pb = self.add_reg([NameEntry(legal_b, "legal")], cluster, traits=["lookalike"])
                pa.related, pb.related = pb.idx, pa.idx
                out.append((pa, pb))
            else:
                out.append((pa, None))
                pa.traits.append("lookalike-un")
                self.pending_pairs.append((pa, b, biz_b))
        return out

    # -- exempt offices -----------------------------------------------------------------------------

    def exempt_name(self, beroep: str, sur=None) -> list[Part]:
        rng = self.rng
        sur = sur or self.surname()
        if beroep == "gerechtsdeurwaarder":
            kind = rng.choice(["kantoor", "suffix", "pair", "partners", "region", "incasso", "kantoorpair"])
            if kind == "kantoor":
                return [("prof", "Gerechtsdeurwaarderskantoor")] + self.sur_parts(sur)
            if kind == "suffix":
                return self.sur_parts(sur) + [("prof", "Gerechtsdeurwaarders")] + ([("form", "B.V.")] if rng.random() < 0.5 else [])
            if kind == "pair":
                return self.sur_parts(sur) + [("and", "&")] + self.sur_parts(self.surname()) + [("prof", "Gerechtsdeurwaarders")]
            if kind == "partners":
                return self.sur_parts(sur) + [("extra", "& Partners"), ("prof", "Gerechtsdeurwaarders")]
            if kind == "region":
                noun, _ = self.region()
                return [("prof", rng.choice(["Deurwaarderskantoor", "Gerechtsdeurwaarders"])), ("place", noun)]
            if kind == "incasso":
                return self.sur_parts(sur) + [("prof", "Gerechtsdeurwaarders"), ("biz", "& Incasso")]
            return [("prof", "Gerechtsdeurwaarderskantoor")] + self.sur_parts(sur) + [("and", "&")] + self.sur_parts(self.surname())
        kind = rng.choice(["kantoor", "suffix", "pair", "brand", "legal", "law", "mr", "advocatuur"])
        if kind == "kantoor":
            return [("prof", "Advocatenkantoor")] + self.sur_parts(sur)
        if kind == "suffix":
            return self.sur_parts(sur) + [("prof", "Advocaten")]
        if kind == "pair":
            return self.sur_parts(sur) + [("and", "&")] + self.sur_parts(self.surname()) + [("prof", "Advocaten")]
        if kind == "brand":
            return [("brand", self.nl_brand()), ("prof", "Advocaten")]
        if kind == "legal":
            return self.sur_parts(sur) + [("prof", "Legal")]
        if kind == "law":
            return self.sur_parts(sur) + [("prof", "Law")] + ([("form", "B.V.")] if rng.random() < 0.5 else [])
        if kind == "mr":
            return [("pre", "Mr.")] + self.person(sur)[:1] + self.sur_parts(sur) + [("prof", "Advocatuur")]
        return self.sur_parts(sur) + [("prof", "Advocatuur"), ("biz", "& Incasso")]

    def add_exempt(self, parts: list[Part], beroep: str, cluster: int, traits=(), place=None) -> Party:
        p = Party(idx=len(self.parties), cat="ex", pid=f"EX-{len([q for q in self.parties if q.cat == 'ex']) + 1:04d}",
                  names=[NameEntry(parts, "name")], cluster=cluster, traits=list(traits), beroep=beroep)
        p.weight = self.rng.paretovariate(1.5)
        self.address(p, place)
        self.parties.append(p)
        self.index.add(p.idx, render(parts))
        self.give_ids(p)
        return p

    def standalone_exempt(self) -> Party | None:
        beroep = "gerechtsdeurwaarder" if self.rng.random() < 0.55 else "advocaat"
        cluster = self.new_cluster()
        for _ in range(40):
            parts = self.exempt_name(beroep)
            if self.name_ok(render(parts), "ex", cluster):
                return self.add_exempt(parts, beroep, cluster)
        return None

    # -- unregistered collectors --------------------------------------------------------------------

    def add_un(self, names: list[list[Part]], cluster: int, traits=(), related=None) -> Party:
        rng = self.rng
        p = Party(idx=len(self.parties), cat="un", pid=f"U-{len([q for q in self.parties if q.cat == 'un']) + 1:03d}",
                  names=[NameEntry(n, "name") for n in names], cluster=cluster, traits=list(traits), related=related)
        p.weight = rng.paretovariate(1.1)
        lo = rand_day(rng, COMPULSORY, date(2026, 9, 30))
        p.active = (lo, min(LAST_DAY, lo + timedelta(days=rng.randint(45, 420))))
        if rng.random() < 0.8:
            self.address(p)
        self.parties.append(p)
        for n in names:
            self.index.add(p.idx, render(n))
        self.give_ids(p)
        return p

    UN_STYLES = [("nlbrand", 22), ("enbrand", 26), ("coinage", 12), ("person", 14), ("surname", 6), ("place", 8),
                 ("double", 4), ("acro", 3), ("generic", 5)]

    def un_name(self, cluster: int, style: str | None = None) -> list[Part] | None:
        rng = self.rng
        for _ in range(40):
            st = style or weighted(rng, self.UN_STYLES)
            if st == "generic":
                parts = [("brand", rng.choice(["Landelijk", "Nationaal", "Centraal", "Algemeen", "Direct", "Snel",
                                                "Eerlijk", "Voordelig", "Digitaal", "Modern"])),
                         ("biz", rng.choice(["Incasso Collectief", "Incassocentrum", "Incasso Centrale", "Incasso Punt",
                                             "Claim Centrum", "Incasso Loket"]))]
            else:
                core, lang = self.core(st)
                pool = EN_SUFFIX_BIZ + ["Debt Collect", "Payment Recovery", "Claim Services"] if lang == "en" else NL_SUFFIX_BIZ + ["Incasso Service", "Incassogroep"]
                parts = ([("pre", rng.choice(PREFIX_BIZ))] + core) if lang == "nl" and rng.random() < 0.3 else core + [("biz", rng.choice(pool))]
                if rng.random() < 0.25:
                    parts = parts + [("form", rng.choice(["B.V.", "B.V.", "Ltd.", "V.O.F.", "OÜ"]))]
            if self.name_ok(render(parts), "un", cluster):
                return parts
        return None

    def posing_name(self, cluster: int) -> list[Part] | None:
        rng = self.rng
        for _ in range(40):
            kind = rng.choice(["brand", "region", "collective", "surname", "service"])
            if kind == "brand":
                parts = [("prof", "Gerechtsdeurwaarderskantoor"), ("brand", self.nl_brand())]
            elif kind == "region":
                noun, _ = self.region()
                parts = [("place", noun), ("prof", rng.choice(["Deurwaarders", "Gerechtsdeurwaarders"]))]
            elif kind == "collective":
                parts = [("brand", rng.choice(["Landelijk", "Nationaal", "Centraal", "Verenigd", "Algemeen"])),
                         ("prof", "Deurwaarders"), ("brand", rng.choice(["Collectief", "Centrum", "Unie", "Netwerk", "Bureau"]))]
            elif kind == "surname":
                parts = self.sur_parts(self.surname()) + [("and", "&")] + self.sur_parts(self.surname()) + [("prof", "Gerechtsdeurwaarders")]
            else:
                parts = [("brand", self.en_brand()), ("prof", "Deurwaarders"), ("biz", "& Incasso")]
            if self.name_ok(render(parts), "un", cluster):
                return parts
        return None

    def alias(self, p_parts: list[Part], cluster: int) -> list[Part] | None:
        rng = self.rng
        if rng.random() < 0.55:  # nearly the same name: other business word, or a trade name style
            core = core_of(p_parts)
            if not core:
                return None
            for _ in range(8):
                parts = core + [("biz", rng.choice(EN_SUFFIX_BIZ + NL_SUFFIX_BIZ))]
                if render(parts) != render(p_parts) and self.name_ok(render(parts), "un", cluster):
                    return parts
            return None
        return self.un_name(cluster)

    def lookalike_brand(self, reg: Party, cluster: int) -> list[Part] | None:
        """A name that resembles a registered one but differs in a distinctive word (not noise)."""
        rng = self.rng
        legal = reg.names[0].parts
        brands = [(i, t) for i, (r, t) in enumerate(legal) if r == "brand" and t in COMPOUND_SPLITS]
        if not brands:
            return None
        i, word = brands[0]
        head, tail = COMPOUND_SPLITS[word].split(" ")
        heads = NL_HEADS + EN_HEADS
        tails = NL_TAILS + EN_TAILS
        for _ in range(30):
            new = head + rng.choice(tails) if rng.random() < 0.5 else rng.choice(heads) + tail.lower()
            if new.lower() in self.used_words or new == word:
                continue
            parts = [(r, new if j == i else t) for j, (r, t) in enumerate(legal) if r != "form"]
            text = render(parts)
            s = name_score(text, render(legal))
            if 60 <= s < 78 and self.name_ok(text, "un", cluster, allow=(reg.idx,)):
                self.used_words.add(new.lower())
                return parts
        return None

    # -- the whole cast -----------------------------------------------------------------------------

    def build(self) -> list[Party]:
        rng = self.rng
        n_reg = self.n_reg
        # designed structures first
        self.groups(max(2, round(n_reg * 0.025)))
        self.reregistered(max(2, round(n_reg * 0.01)))
        self.lookalike_pairs(max(2, round(n_reg * 0.005)), "reg")
        self.lookalike_pairs(max(2, round(self.n_un * 0.025)), "un")
        shared = []
        for _ in range(max(3, round(self.n_un * 0.06))):
            cluster = self.new_cluster()
            sur = self.surname()
            reg_parts = self.with_form(self.sur_parts(sur) + [("biz", rng.choice(["Incasso", "Debiteurenbeheer", "Credit Management", "Invorderingen"]))]
                                       + ([("extra", "Holding")] if rng.random() < 0.3 else []), "B.V.")
            if not self.name_ok(render(reg_parts), "reg", cluster):
                continue
            reg = self.add_reg([NameEntry(reg_parts, "legal")], cluster, traits=["shared"])
            ex = None
            if rng.random() < 0.8:
                beroep = rng.choice(["gerechtsdeurwaarder", "advocaat"])
                ex_parts = self.sur_parts(sur) + [("prof", "Gerechtsdeurwaarders" if beroep == "gerechtsdeurwaarder" else "Advocaten")]
                ex = self.add_exempt(ex_parts, beroep, cluster, traits=["shared"])
            shared.append((cluster, sur, reg, ex))
        # a surname that is another firm's trade name
        for _ in range(max(1, round(n_reg * 0.002))):
            cluster = self.new_cluster()
            a, b = self.surname(), self.surname()
            legal_a = self.with_form(self.sur_parts(a) + [("and", "&")] + self.sur_parts(b) + [("biz", "Incasso")], "B.V.")
            trade_a = self.sur_parts(b) + [("biz", "Incasso")]
            legal_b = self.with_form(self.sur_parts(b) + [("biz", rng.choice(["Credit Services", "Debiteurenbeheer", "Invorderingen"]))], "B.V.")
            if self.name_ok(render(legal_a), "reg", cluster) and self.name_ok(render(legal_b), "reg", cluster):
                self.add_reg([NameEntry(legal_a, "legal"), NameEntry(trade_a, "trade")], cluster, traits=["surname-trade"])
                self.add_reg([NameEntry(legal_b, "legal")], cluster, traits=["surname-trade"])
        pioneers = 3
        while len([p for p in self.parties if p.cat == "reg"]) < n_reg:
            self.standalone_reg(pioneer=pioneers > 0)
            pioneers -= 1
        regs = [p for p in self.parties if p.cat == "reg"]
        if not any(p.start == WKI_START for p in regs):
            regs[-1].start = WKI_START
        self.history(regs)
        self.number(regs)
        # exempt offices: two offices of one firm, then the rest
        n_two = max(2, round(self.n_ex * 0.04))
        for _ in range(n_two):
            cluster = self.new_cluster()
            beroep = rng.choice(["gerechtsdeurwaarder", "advocaat"])
            parts = None
            for _ in range(40):
                parts = self.exempt_name(beroep)
                if self.name_ok(render(parts), "ex", cluster):
                    break
                parts = None
            if parts is None:
                continue
            places = rng.sample(PLACES, 2)
            first = self.add_exempt(parts, beroep, cluster, traits=["two-offices"], place=places[0])
            second = self.add_exempt(list(parts), beroep, cluster, traits=["two-offices"], place=places[1])
            first.kvk = first.kvk or self.ids.kvk()  # the list tells the offices apart by KvK number and name
            if rng.random() < 0.3:
                second.kvk = None
            first.related, second.related = second.idx, first.idx
        while len([p for p in self.parties if p.cat == "ex"]) < self.n_ex:
            self.standalone_exempt()
        # unregistered collectors
        n_un = self.n_un
        for cluster, sur, reg, _ex in shared:
            parts = self.sur_parts(sur) + [("biz", rng.choice(["Juridisch Incasso", "Incasso Service", "Rechtshulp", "Claims"]))]
            self.add_un([parts], cluster, traits=["shared"], related=reg.idx)
        for pa, b, biz in self.pending_pairs:
            parts = self.sur_parts(b) + [("biz", biz)]
            q = self.add_un([parts], pa.cluster, traits=["lookalike"], related=pa.idx)
            pa.related = q.idx
        candidates = [p for p in regs if not p.traits and p.valid_on(date(2026, 6, 1))]
        rng.shuffle(candidates)
        for reg in candidates[: max(3, round(n_un * 0.06))]:
            source = rng.choice(reg.names)
            q = self.add_un([list(source.parts)], reg.cluster, traits=["clone"], related=reg.idx)
            if q.kvk is None and rng.random() < 0.7:
                q.kvk = self.ids.kvk()
            if not q.domains:
                d = self.ids.domain([f"{slug(render(core_of(source.parts)) or source.text)}-{w}.{t}" for w in ("betalen", "incasso", "online", "portaal")
                                     for t in ("com", "eu", "net")])
                q.domains.append((d, None))
            reg.traits.append("cloned")
        brand_regs = [p for p in regs if not p.traits and any(r == "brand" for r, _ in p.names[0].parts)]
        rng.shuffle(brand_regs)
        made = 0
        for reg in brand_regs:
            if made >= max(3, round(n_un * 0.1)):
                break
            cluster = self.new_cluster()
            parts = self.lookalike_brand(reg, cluster)
            if parts:
                self.add_un([parts], cluster, traits=["lookalike-brand"], related=reg.idx)
                made += 1
        for _ in range(max(3, round(n_un * 0.08))):
            cluster = self.new_cluster()
            parts = self.posing_name(cluster)
            if parts:
                self.add_un([parts], cluster, traits=["posing"])
        while len([p for p in self.parties if p.cat == "un"]) < n_un:
            cluster = self.new_cluster()
            first = self.un_name(cluster)
            if first is None:
                continue
            names = [first]
            for _ in range(weighted(rng, [(0, 55), (1, 35), (2, 10)])):
                extra = self.alias(first, cluster)
                if extra and all(render(extra) != render(n) for n in names):
                    names.append(extra)
            self.add_un(names, cluster)
        return self.parties

    def history(self, regs: list[Party]) -> None:
        """Changes between snapshots: trade names added, dropped, renamed; identifiers added."""
        rng = self.rng
        for p in regs:
            last = (p.end - timedelta(days=1)) if p.end else FINAL_SNAPSHOT
            if p.start + timedelta(days=40) > last or "rereg" in p.traits or "group" in p.traits:
                continue
            def when(p: Party = p, last: date = last) -> date:
                return rand_day(rng, p.start + timedelta(days=30), last)
            legal = p.names[0]
            core = core_of(legal.parts)
            lang = "en" if any(t in EN_SUFFIX_BIZ for _, t in legal.parts) else "nl"
            if rng.random() < 0.18:
                t = self.trade_name(legal.parts, core, lang, p.cluster, [n.text for n in p.names])
                if t:
                    day = when()
                    p.names.append(NameEntry(t, "trade", frm=day))
                    self.index.add(p.idx, render(t))
                    p.events.append((day, "add_trade"))
            trades = [n for n in p.names if n.role == "trade" and n.frm is None]
            if trades and rng.random() < 0.15:
                day = when()
                trades[0].to = day
                p.events.append((day, "drop_trade"))
            if not p.traits and rng.random() < 0.05:
                pool = EN_SUFFIX_BIZ if lang == "en" else NL_SUFFIX_BIZ
                for _ in range(6):
                    new = self.with_form(core + [("biz", rng.choice(pool))], rng.choice(["B.V.", "B.V.", "Holding B.V."]))
                    if render(new) != legal.text and self.name_ok(render(new), "reg", p.cluster):
                        day = when()
                        legal.to = day
                        p.names.insert(1, NameEntry(new, "legal", frm=day))
                        self.index.add(p.idx, render(new))
                        if rng.random() < 0.4:
                            p.names.append(NameEntry(list(legal.parts), "trade", frm=day))
                        p.events.append((day, "rename"))
                        break
            if rng.random() < 0.2:
                day = when()
                p.ibans.append((self.ids.iban("NL"), day))
                p.events.append((day, "add_iban"))
            if rng.random() < 0.1:
                day = when()
                p.phones.append((self.ids.phone(self.phone_area(p)), day))
                p.events.append((day, "add_phone"))
            if rng.random() < 0.08 and not p.domains:
                day = when()
                d = self.domain_for(legal.parts, ["nl", "com"])
                p.domains.append((d, day))
                p.web_notes.append(self.web_note(d))
                p.events.append((day, "add_web"))

    def number(self, regs: list[Party]) -> None:
        order = sorted(regs, key=lambda p: (p.start, p.idx))
        serial: Counter = Counter()
        for p in order:
            serial[p.start.year] += 1
            p.pid = f"R{p.start.year}-{serial[p.start.year] * 7 + 10:05d}"


# --------------------------------------------------------------------------------------------------
# Snapshots
# --------------------------------------------------------------------------------------------------

REGISTER_HEADER = ["registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat", "huisnummer",
                   "postcode", "plaats", "website", "email", "telefoon", "iban", "status", "datum_inschrijving",
                   "datum_einde", "geldig_tot"]
EXEMPT_HEADER = ["naam", "kvk_nummer", "beroep", "plaats", "website"]


_FIXED = random.Random(0)  # phone_notation with a fixed style draws nothing from it


def register_row(p: Party, day: date) -> list[str] | None:
    """The registration as the register showed it on ``day`` (None: not yet in the register)."""
    if p.start is None or p.start > day:
        return None
    legal = [n for n in p.names if n.role == "legal" and n.active(day, p.start)]
    naam = legal[0].text if legal else p.names[0].text
    trades = [n.text for n in p.trades_at(day)]
    ended = p.end is not None and p.end <= day
    status = p.status if ended else "ingeschreven"
    if status == "ingeschreven":
        k = 1
        while add_years(p.start, k) <= day:
            k += 1
        until = add_years(p.start, k)
        geldig_tot = until.isoformat() if until <= LAST_DAY else ""
    else:
        geldig_tot = p.end.isoformat() if status == "verlopen" else ""
    style = ["dash", "compact", "plus", "dash"][p.idx % 4]
    phones = [phone_notation(_FIXED, a, n, style) for (a, n), frm in p.phones if frm is None or frm <= day]
    webs = [note for (d, frm), note in zip(p.domains, p.web_notes, strict=True) if frm is None or frm <= day]
    mails = [m for m, frm in p.emails if frm is None or frm <= day]
    ibans = [i for i, frm in p.ibans if frm is None or frm <= day]
    postcode = p.postcode if p.idx % 5 else p.postcode.replace(" ", "")
    return [p.pid, naam, "|".join(trades), p.kvk or "", p.vest or "", p.street, p.number, postcode, p.plaats,
            "|".join(webs), "|".join(mails), "|".join(phones), "|".join(ibans), status, p.start.isoformat(),
            p.end.isoformat() if ended else "", geldig_tot]


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def register_csv(parties: list[Party], day: date) -> bytes:
    rows = [r for p in parties if p.cat == "reg" for r in [register_row(p, day)] if r is not None]
    rows.sort(key=lambda r: r[0])
    return _csv_bytes(REGISTER_HEADER, rows)


def exempt_csv(parties: list[Party]) -> bytes:
    rows = [[p.names[0].text, p.kvk or "", p.beroep, p.plaats, "|".join(p.web_notes)] for p in parties if p.cat == "ex"]
    return _csv_bytes(EXEMPT_HEADER, rows)


def snapshot_dates(mirror_start: date) -> list[date]:
    if not WKI_START <= mirror_start <= FINAL_SNAPSHOT:
        raise ValueError("mirror_start must lie between 2024-04-01 and 2026-11-29")
    days = [mirror_start, *month_starts(mirror_start + timedelta(days=1), RECENT_START)]
    if days[-1] < FINAL_SNAPSHOT:
        days.append(FINAL_SNAPSHOT)
    return days


# --------------------------------------------------------------------------------------------------
# Signals: partners, recipes, the guard
# --------------------------------------------------------------------------------------------------

SIGNAL_HEADER = ["referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email",
                 "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving"]

REG_FLOOR = 85.0  # a name alone names a party from this score on ...
UNREG_CEIL = 80.0  # ... and is clearly no registered or exempt party below this one
MARGIN = 7.0  # the true party must lead every other party by this much
NEAR_NAME = 88.0  # two written names this alike are "nearly the same name" (links a collector's signals)


@dataclass(frozen=True)
class Truth:
    verdict: str  # geregistreerd | registratie_niet_geldig | vrijgesteld | niet_geregistreerd
    registratienummers: tuple[str, ...] = ()
    collector: str | None = None
    kind: str = ""
    detail: str = ""


@dataclass
class _Sig:
    kind: str
    party: Party
    day: date
    partner: str
    org: str = ""
    brief: date | None = None
    recv: date | None = None
    name: str = ""
    kvk: str = ""
    iban: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    postcode: str = ""
    plaats: str = ""
    hoofdsom: str = ""
    kosten: str = ""
    omschrijving: str = ""
    evidence: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    truth: Truth | None = None
    ref: str = ""
    date_fmt: str = "iso"


# Each partner's habits: how often it writes each identifier, fills the address, leaves out the letter's
# date, and how long its reports take (days).
PARTNERS = {
    "gemeente": dict(kvk=.15, iban=.25, web=.08, mail=.05, phone=.2, pc=.9, nobrief=.05, lag=(14, 90)),
    "schuldhulpverlener": dict(kvk=.08, iban=.35, web=.08, mail=.08, phone=.25, pc=.2, nobrief=0, lag=(7, 120)),
    "consument": dict(kvk=.03, iban=.3, web=.15, mail=.15, phone=.25, pc=.05, nobrief=.3, lag=(1, 60)),
    "toezichthouder": dict(kvk=.6, iban=.15, web=.4, mail=.1, phone=.1, pc=.4, nobrief=.05, lag=(20, 150)),
    "anoniem": dict(kvk=.02, iban=.1, web=.3, mail=.08, phone=.25, pc=0, nobrief=.7, lag=(0, 30)),
    "overig": dict(kvk=.15, iban=.3, web=.12, mail=.08, phone=.3, pc=.5, nobrief=.1, lag=(3, 45)),
    "kvk": dict(kvk=1, iban=0, web=0, mail=0, phone=0, pc=.6, nobrief=1, lag=(0, 0)),
}
DEFAULT_PARTNERS = [("consument", 34), ("schuldhulpverlener", 26), ("gemeente", 13), ("toezichthouder", 6),
                    ("anoniem", 8), ("overig", 13)]
_C, _S, _G, _T, _A, _O = "consument", "schuldhulpverlener", "gemeente", "toezichthouder", "anoniem", "overig"

# Registered parties: kind -> (weight within its category, partners)
REG_VALID = {
    "exact-legal": (110, [(_T, 3), (_O, 2), (_S, 2), (_C, 1)]),
    "trade-name": (190, [(_C, 3), (_S, 2), (_A, 1), (_O, 1)]),
    "legal-form-absent": (140, [(_C, 3), (_S, 2), (_O, 1)]),
    "legal-form-spelled-out": (60, [(_T, 1)]),
    "legal-form-different": (45, [(_C, 2), (_S, 2), (_O, 1)]),
    "legal-form-misplaced": (40, [(_S, 2), (_C, 1), (_O, 1)]),
    "caps-truncated": (110, [(_G, 1)]),
    "lower-case": (80, [(_C, 1)]),
    "diacritics": (30, DEFAULT_PARTNERS),
    "ampersand": (45, DEFAULT_PARTNERS),
    "word-order": (50, DEFAULT_PARTNERS),
    "bizword-dropped": (60, DEFAULT_PARTNERS),
    "bizword-added": (50, DEFAULT_PARTNERS),
    "bizword-synonym": (60, DEFAULT_PARTNERS),
    "place-added": (60, [(_S, 2), (_C, 2), (_G, 1)]),
    "clutter": (100, [(_S, 4), (_G, 1)]),
    "run-together": (40, [(_C, 2), (_A, 1)]),
    "split-word": (40, [(_C, 2), (_S, 1)]),
    "typo-short": (30, [(_C, 2), (_S, 1)]),
    "typo-long": (70, [(_C, 2), (_S, 1), (_G, 1)]),
    "phonetic": (70, [(_C, 1)]),
    "ocr": (70, [(_O, 4), (_C, 1)]),
    "initials": (50, [(_S, 2), (_C, 1), (_T, 1)]),
    "tussenvoegsel": (40, [(_S, 2), (_C, 2), (_G, 1)]),
    "abbreviation": (40, [(_S, 1)]),
    "acronym": (30, [(_C, 2), (_A, 1), (_S, 1)]),
    "truncated": (40, [(_C, 1), (_O, 1), (_T, 1)]),
    "partial-name": (30, [(_A, 1)]),
    "shared-surname": (60, DEFAULT_PARTNERS),
    "lookalike-id": (40, DEFAULT_PARTNERS),
    "group-two-registrations": (60, [(_C, 3), (_S, 2), (_A, 1)]),
    "surname-trade-name": (20, DEFAULT_PARTNERS),
    "kvk-notation": (70, [(_T, 2), (_S, 1), (_G, 1), (_O, 1)]),
    "vestigingsnummer": (25, [(_T, 1), (_O, 1)]),
    "iban-notation": (70, [(_C, 2), (_S, 2), (_G, 1)]),
    "iban-mistyped": (30, [(_C, 2), (_S, 1)]),
    "iban-unlisted": (25, [(_C, 1), (_S, 1)]),
    "website-notation": (70, [(_C, 2), (_A, 1), (_T, 1)]),
    "email-own-domain": (50, [(_C, 2), (_S, 1)]),
    "email-freemail": (30, [(_C, 1)]),
    "phone-notation": (60, [(_C, 2), (_A, 1), (_S, 1)]),
    "postcode-plaats": (40, [(_G, 1), (_O, 1), (_T, 1)]),
    "id-only": (80, [(_A, 3), (_C, 1)]),
    "name-changed": (30, [(_T, 1), (_S, 1), (_C, 1)]),
    "trade-name-dropped": (20, [(_C, 1), (_S, 1)]),
    "trade-name-later": (20, [(_C, 1), (_S, 1)]),
}
REG_INVALID = {
    "not-yet-valid": (100, DEFAULT_PARTNERS),
    "struck-off-before": (85, DEFAULT_PARTNERS),
    "lapsed-before": (65, DEFAULT_PARTNERS),
    "boundary-start": (40, DEFAULT_PARTNERS),
    "boundary-end": (40, DEFAULT_PARTNERS),
    "reregistered": (30, DEFAULT_PARTNERS),
}
EXEMPT_KINDS = {
    "exempt-exact": (110, [(_C, 4), (_S, 3), (_G, 1), (_O, 1), (_T, 1)]),
    "exempt-variant": (100, [(_C, 4), (_S, 3), (_G, 1), (_O, 1)]),
    "exempt-typo": (60, [(_C, 3), (_O, 2), (_S, 1)]),
    "exempt-kvk": (40, [(_T, 2), (_S, 1), (_G, 1)]),
    "exempt-website": (45, [(_C, 2), (_A, 1)]),
    "exempt-two-offices": (40, [(_S, 2), (_G, 2), (_C, 1)]),
    "exempt-shared-surname": (30, [(_C, 2), (_S, 2)]),
}
UN_GENERIC = [("unreg-name", 36), ("unreg-variant", 26), ("unreg-alias", 12), ("unreg-multi-iban", 8),
              ("unreg-foreign-iban", 6), ("unreg-freemail", 6), ("unreg-id-only", 6), ("kvk-row-unregistered", 14)]
UN_TRAIT_KIND = {"clone": "clone", "posing": "unreg-posing-bailiff", "lookalike-brand": "unreg-lookalike",
                 "lookalike": "unreg-lookalike-pair", "shared": "unreg-shared-surname"}
CATEGORY_SHARE = {"valid": 0.47, "invalid": 0.10, "exempt": 0.10, "kvk-reg": 0.03, "unreg": 0.30}

# As partners write a KvK number (each one the signal import accepts; "K.v.K. 12345678" it refuses).
KVK_NOTES = ["{k}", "KvK: {k}", "KvK {k}", "kvk-nr. {k}", "{a}.{b}.{c}", "{d} {e}", "KvK nr {k}", "KvK-nummer: {k}",
             "{z}", "Kamer van Koophandel {k}", "KvK-nr: {a}.{b}.{c}", "kvk {d} {e}", "KVK {k}"]
WEB_NOTES = ["{d}", "www.{d}", "https://www.{d}", "http://{d}", "https://www.{d}/betalen", "{d}/contact",
             "https://{d}/?ref={n}", "WWW.{D}", "https://mijn.{d}/login", "www.{d}/nl/incasso?dossier={n}",
             "http://www.{d}/", "Https://{d}"]
DESCRIPTIONS = {
    "consument": ["Ik kreeg een aanmaning met extra kosten.", "Ze blijven bellen, ook 's avonds.",
                  "Dreigen met beslag en deurwaarder.", "Ik heb al betaald maar krijg nog steeds brieven.",
                  "Kosten zijn hoger dan de rekening zelf!", "Nooit eerder een factuur gehad, nu meteen incassokosten.",
                  "Via whatsapp benaderd met een betaalverzoek.", "Betalingsregeling geweigerd.",
                  "Weet niet of dit bedrijf echt bestaat.", "Brief zonder naam van de opdrachtgever.", "",
                  "Mijn moeder (dementie) krijgt deze brieven.", "Ik zit in de bijstand en kan dit niet betalen."],
    "schuldhulpverlener": ["Cliënt in schuldhulptraject; schuldeiser reageert niet op voorstel minnelijk traject.",
                           "Incassokosten boven BIK-staffel.", "Beslagvrije voet niet gerespecteerd.",
                           "Onduidelijke specificatie van de vordering.", "Dossier overgedragen aan ander bureau.",
                           "Rente en kosten opgeteld bij hoofdsom.", "Cliënt onder bewind; correspondentie toch naar cliënt.",
                           "Geen reactie op verzoek om saldo-opgave."],
    "gemeente": ["MELDING SCHULDHULPLOKET", "DOORVERWIJZING WIJKTEAM", "SIGNAAL VROEGSIGNALERING",
                 "KLACHT INWONER OVER INCASSO", "MELDING VIA KCC", ""],
    "toezichthouder": ["Doorgezonden melding; mogelijk niet ingeschreven incassobureau.",
                       "Melding uit ons meldpunt, ter beoordeling.", "Klacht over incassopraktijken, doorgestuurd.",
                       "Signaal uit toezicht op betaaldiensten."],
    "anoniem": ["Tip: bedrijf int zonder registratie.", "Collega werkt hier, de praktijken deugen niet.",
                "Website biedt incasso aan particulieren aan.", ""],
    "overig": ["Gescande brief (postkamer), tekst via OCR.", "Brief per post ontvangen, gescand.",
               "Kopie aanmaning bijgevoegd (scan)."],
    "kvk": ["Handelsregister SBI 82911 (incassobureaus)", "Nieuwe inschrijving Handelsregister, activiteit incasso",
            "Wijziging in het Handelsregister"],
}


def _money(rng: random.Random, value: float) -> str:
    whole = f"{value:,.2f}"  # 1,234.56
    style = rng.choice(["nl", "nl", "nl", "plain", "euro", "dot"])
    nl = whole.replace(",", "X").replace(".", ",").replace("X", ".")
    if style == "nl":
        return nl
    if style == "plain":
        return nl.replace(".", "")
    if style == "euro":
        return "€ " + nl
    return f"{value:.2f}"


class _Writer:
    """Writes the signals: each one by a partner, about a true party, judged by the guard."""

    def __init__(self, seed: int, parties: list[Party], n_signals: int) -> None:
        self.rng = random.Random(seed * 7919 + 101)
        self.parties = parties
        self.n = n_signals
        self.regs = [p for p in parties if p.cat == "reg"]
        self.exs = [p for p in parties if p.cat == "ex"]
        self.uns = [p for p in parties if p.cat == "un"]
        self.firms: dict[str, list[Party]] = {}
        for p in self.regs:
            self.firms.setdefault(p.kvk, []).append(p)
        self.visible: dict[int, list[str]] = {}
        self.index = NameIndex()  # the names a careful inspector can see (and the collectors' names)
        for p in parties:
            if p.cat == "reg":
                names = [n.text for n in p.names if (p.start <= RECENT_START and n.active(RECENT_START, p.start))
                         or n.active(FINAL_SNAPSHOT, p.start)]
            else:
                names = [n.text for n in p.names]
            self.visible[p.idx] = list(dict.fromkeys(names))
            for text in self.visible[p.idx]:
                self.index.add(p.idx, text)
        self.owners: dict[tuple[str, str], list[int]] = {}
        for p in parties:
            for key in self.id_keys(p):
                self.owners.setdefault(key, []).append(p.idx)
        self.dropped: Counter = Counter()
        self.sigs: list[_Sig] = []
        self.cum_weights: dict[tuple[int, int], list[float]] = {}
        self.pools: dict[tuple[str, str], list[Party]] = {}
        self.probe = random.Random(0)  # for trying whether an operation applies; never the main stream
        self.group_members: dict[int, list[Party]] = {}
        for q in self.regs:
            if q.group is not None:
                self.group_members.setdefault(q.group, []).append(q)

    # -- identifiers --------------------------------------------------------------------------------

    def id_keys(self, p: Party) -> list[tuple[str, str]]:
        keys = []
        if p.kvk:
            keys.append(("kvk", p.kvk))
        keys += [("domain", d) for d, _ in p.domains]
        keys += [("domain", m.split("@", 1)[1]) for m, _ in p.emails]
        if p.cat != "ex":
            keys += [("iban", i) for i, _ in p.ibans]
            keys += [("phone", a + n) for (a, n), _ in p.phones]
        if p.cat == "un":
            keys += [("free", m) for m in p.free_emails]
        return list(dict.fromkeys(keys))

    def write_kvk(self, s: _Sig, kvk: str, plain: bool = False) -> None:
        rng = self.rng
        note = "{k}" if plain else rng.choice(KVK_NOTES)
        z = kvk[1:] if kvk.startswith("0") and not kvk.startswith("00") else kvk  # the leading zero left out
        s.kvk = note.format(k=kvk, a=kvk[:2], b=kvk[2:5], c=kvk[5:], d=kvk[:4], e=kvk[4:], z=z)
        s.evidence.append(("kvk", kvk))

    def write_iban(self, s: _Sig, iban: str, evidence: bool = True, mistype: bool = False) -> None:
        rng = self.rng
        if mistype:
            iban = mistype_iban(rng, iban)
        style = rng.choice(["compact", "spaced", "spaced", "lower", "lowerspaced", "label", "dashes"])
        text = {"compact": iban, "spaced": iban_spaced(iban), "lower": iban.lower(), "lowerspaced": iban_spaced(iban).lower(),
                "label": "IBAN: " + iban_spaced(iban), "dashes": "-".join(iban_spaced(iban).split())}[style]
        s.iban = text
        if evidence and not mistype:
            s.evidence.append(("iban", iban))

    def write_web(self, s: _Sig, domain: str) -> None:
        note = self.rng.choice(WEB_NOTES)
        s.website = note.format(d=domain, D=domain.upper(), n=self.rng.randint(1000, 99999))
        s.evidence.append(("domain", domain))

    def write_phone(self, s: _Sig, phone: tuple[str, str], evidence: bool = True) -> None:
        s.phone = phone_notation(self.rng, *phone)
        if evidence:
            s.evidence.append(("phone", phone[0] + phone[1]))

    def write_mail(self, s: _Sig, address: str, kind: str) -> None:
        s.email = address if self.rng.random() < 0.8 else address.upper() if kind == "own" else address.capitalize()
        if kind == "own":
            s.evidence.append(("domain", address.split("@", 1)[1]))
        elif kind == "free":
            s.evidence.append(("free", address))

    def own_mail(self, p: Party) -> str | None:
        if p.emails:
            return self.rng.choice(p.emails)[0]
        if p.domains:
            return self.rng.choice(["info", "incasso", "debiteuren", "betalen"]) + "@" + self.rng.choice(p.domains)[0]
        return None

    def freemail_of(self, p: Party) -> str:
        rng = self.rng
        if p.free_emails:
            return rng.choice(p.free_emails)
        base = slug(render(core_of(p.names[0].parts)) or p.names[0].text, rng.choice([".", ""]))[:18]
        return f"{base}{rng.choice(['', '.incasso', '.info', str(rng.randint(1, 99))])}@{rng.choice(FREE_MAIL)}"

    def habitual_ids(self, s: _Sig, skip: set[str]) -> None:
        """The identifiers this partner usually copies from the letter, when the party has them."""
        rng, p, h = self.rng, s.party, PARTNERS[s.partner]
        if "kvk" not in skip and p.kvk and rng.random() < h["kvk"] and not s.kvk:
            self.write_kvk(s, p.kvk)
        if "iban" not in skip and not s.iban and rng.random() < h["iban"]:
            listed = [i for i, _ in p.ibans]
            if listed and (p.cat == "un" or rng.random() < 0.8):
                self.write_iban(s, rng.choice(listed))
            elif p.hidden_ibans:
                self.write_iban(s, rng.choice(p.hidden_ibans), evidence=False)
        if "web" not in skip and not s.website and p.domains and rng.random() < h["web"]:
            self.write_web(s, rng.choice(p.domains)[0])
        if "mail" not in skip and not s.email and rng.random() < h["mail"]:
            own = self.own_mail(p)
            if own and rng.random() < 0.7:
                self.write_mail(s, own, "own")
            elif p.cat == "un" and p.free_emails:
                self.write_mail(s, rng.choice(p.free_emails), "free")
        if "phone" not in skip and not s.phone and rng.random() < h["phone"]:
            if p.phones and (p.cat == "un" or rng.random() < 0.85):
                self.write_phone(s, rng.choice(p.phones)[0])
            elif p.hidden_phones:
                self.write_phone(s, rng.choice(p.hidden_phones), evidence=False)
        if "pc" not in skip and p.plaats and rng.random() < h["pc"]:
            self.write_address(s)

    def write_address(self, s: _Sig) -> None:
        p, rng = s.party, self.rng
        if p.postcode and (p.cat != "ex" or rng.random() < 0.3):
            pc = p.postcode
            s.postcode = rng.choice([pc, pc, pc.replace(" ", ""), pc.lower()])
        s.plaats = p.plaats.upper() if s.partner == "gemeente" else p.plaats

    # -- dates and partners -------------------------------------------------------------------------

    def new_sig(self, kind: str, p: Party, day: date, partner: str, exact_day: bool = False) -> _Sig:
        rng = self.rng
        s = _Sig(kind=kind, party=p, day=day, partner=partner)
        h = PARTNERS[partner]
        if partner == "gemeente":
            muni = rng.choice(MUNICIPALITIES)
            s.org, s.date_fmt = muni[1], muni[3]
        elif partner == "schuldhulpverlener":
            s.org, s.date_fmt = rng.choice(COUNSELLORS), "dmy"
        elif partner == "toezichthouder":
            s.org = rng.choice(SUPERVISORS)
        elif partner == "kvk":
            s.date_fmt = "dmy"
        elif partner == "overig":
            s.date_fmt = rng.choice(["dmy", "iso"])
        if rng.random() < h["nobrief"]:
            s.brief, s.recv = None, day
        else:
            lo, hi = h["lag"]
            lag = min(int(rng.expovariate(1 / max(1, (lo + hi) / 3))) + lo, hi)
            s.brief, s.recv = day, min(LAST_DAY, day + timedelta(days=lag))
        if rng.random() < 0.7 and partner not in ("kvk", "anoniem"):
            principal = round(math.exp(rng.gauss(5.6, 1.0)), 2)
            principal = min(max(principal, 12.5), 25000.0)
            s.hoofdsom = _money(rng, principal)
            if rng.random() < 0.8:
                bik = max(40.0, 0.15 * min(principal, 2500) + 0.1 * max(0.0, min(principal, 5000) - 2500))
                s.kosten = _money(rng, round(bik * rng.choice([1, 1, 1, 1.21, 1.5, 2.3]), 2))
        texts = DESCRIPTIONS[partner]
        s.omschrijving = rng.choice(texts)
        return s

    def partner_overlay(self, s: _Sig, text: str) -> str:
        """What the partner's own way of working does to any name it writes down."""
        rng = self.rng
        if s.partner == "gemeente":
            width = next(m[2] for m in MUNICIPALITIES if m[1] == s.org)
            text = text.upper()[:width].rstrip()
            s.notes.append(f"gemeente export: caps, width {width}")
        elif s.partner == "consument" and s.kind not in ("exact-legal", "trade-name", "lower-case") and rng.random() < 0.35:
            text = text.lower()
            s.notes.append("typed in lower case")
        elif s.partner == "overig" and s.kind not in ("exact-legal", "trade-name", "ocr") and rng.random() < 0.35:
            noisy = t_ocr(rng, text)
            if noisy:
                text = noisy
                s.notes.append("OCR noise")
        elif s.partner == "kvk" and rng.random() < 0.4:
            text = text.upper()
        return text

    # -- choosing parties ---------------------------------------------------------------------------

    def pick(self, pool: list[Party]) -> Party | None:
        if not pool:
            return None
        key = (id(pool), len(pool))
        cum = self.cum_weights.get(key)
        if cum is None:
            cum, total = [], 0.0
            for p in pool:
                total += p.weight
                cum.append(total)
            self.cum_weights[key] = cum
        return self.rng.choices(pool, cum_weights=cum)[0]

    def used_names(self, p: Party, day: date) -> list[NameEntry]:
        """The names the party used on that day (before registering too), listed or not."""
        return [n for n in p.names if (n.frm is None or n.frm <= day) and (n.to is None or day < n.to)] or p.names[:1]

    def legal_used(self, p: Party, day: date) -> NameEntry:
        legal = [n for n in self.used_names(p, day) if n.role in ("legal", "name")]
        return legal[0] if legal else p.names[0]

    def valid_window(self, p: Party) -> tuple[date, date] | None:
        lo = max(p.start, COMPULSORY)
        hi = min((p.end - timedelta(days=1)) if p.end else LAST_DAY, LAST_DAY)
        return (lo, hi) if lo <= hi else None

    # -- the guard ----------------------------------------------------------------------------------

    def verdict(self, p: Party, day: date) -> tuple[str, tuple[str, ...]]:
        if p.cat == "ex":
            return "vrijgesteld", ()
        firm = self.firms[p.kvk]
        valid = [q for q in firm if q.valid_on(day)]
        if valid:
            valid.sort(key=lambda q: (q is not p, q.start))
            return "geregistreerd", tuple(q.pid for q in valid)
        rest = sorted(firm, key=lambda q: (q is not p, -(q.end or LAST_DAY).toordinal()))
        return "registratie_niet_geldig", tuple(q.pid for q in rest)

    def drop(self, reason: str, s: _Sig, scores: dict[int, float]) -> None:
        self.dropped[reason] += 1
        return None

    def judge(self, s: _Sig) -> Truth | None:
        p = s.party
        scores = self.index.scores(s.name, limit=30) if s.name else {}
        own = max((name_score(s.name, t) for t in self.visible[p.idx]), default=0.0) if s.name else 0.0
        scores[p.idx] = max(own, scores.get(p.idx, 0.0))
        ev_owners = [self.owners.get(e, []) for e in s.evidence]
        for owners in ev_owners:  # identifiers belong to the true party (or, shared, to its group)
            if p.idx not in owners and not (p.cat == "reg" and any(self.parties[o].kvk == p.kvk for o in owners)):
                return self.drop("identifier-of-another-party", s, scores)
        if p.cat == "un":
            return self.judge_unregistered(s, scores, own)
        verdict, nums = self.verdict(p, s.day)
        family = {q.idx for q in self.firms.get(p.kvk, [])} | {p.idx}
        same = [] if p.cat == "ex" or p.group is None else [q for q in self.group_members[p.group] if q.idx not in family]
        same = [q for q in same if self.verdict(q, s.day)[0] == verdict]
        same_idx = {q.idx for q in same}
        decisive = any(set(owners) <= family | same_idx for owners in ev_owners)
        colist: list[Party] = []
        for o, sc in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
            if o in family:
                continue
            q = self.parties[o]
            if q.cat == "un":
                if sc > own + 0.5 and not decisive:
                    return self.drop("closer-to-an-unregistered-name", s, scores)
                if decisive and self.contradicts(sc, own):
                    return self.drop("name-points-elsewhere", s, scores)
                continue
            if sc < own - MARGIN:
                continue
            if o in same_idx:
                colist.append(q)
            elif p.cat == "ex" and q.cat == "ex":
                continue  # another exempt office: the verdict is the same
            elif decisive and not self.contradicts(sc, own):
                continue  # the identifier decides where the names cannot
            else:
                return self.drop("tie-with-another-party" if not decisive else "name-points-elsewhere", s, scores)
        if not decisive and own < REG_FLOOR:
            return self.drop("name-too-weak-no-identifier", s, scores)
        if not s.name:  # identifiers only: a group's shared website or phone names every member
            for owners in ev_owners:
                for o in owners:
                    q = self.parties[o]
                    if o not in family and q not in colist and q in same:
                        colist.append(q)
        nums = nums + tuple(q.pid for q in colist if q.pid not in nums)
        self.note_guard(s, scores, own, family)
        return Truth(verdict, nums if p.cat == "reg" else (), None, s.kind, "")

    def note_guard(self, s: _Sig, scores: dict[int, float], own: float, family: set[int]) -> None:
        others = sorted(((sc, o) for o, sc in scores.items() if o not in family), reverse=True)
        nxt = f"next {self.parties[others[0][1]].pid} {others[0][0]:.0f}" if others else "no other name near"
        s.notes.append(f"guard: name {own:.0f}, {nxt}" if s.name else "guard: identifiers only")

    @staticmethod
    def contradicts(other: float, own: float) -> bool:
        """With a decisive identifier, does the name still point elsewhere (then the evidence conflicts)?"""
        return other >= REG_FLOOR and (other > own + 12 or (other >= 97 and own < 95))

    def judge_unregistered(self, s: _Sig, scores: dict[int, float], own: float) -> Truth | None:
        p = s.party
        listed = sorted(((sc, o) for o, sc in scores.items() if self.parties[o].cat != "un"), reverse=True)
        best_listed = listed[0][0] if listed else 0.0
        # A KvK number or a website tells another firm when the firm the name resembles lists its own.
        resembled = [self.parties[o] for sc, o in listed if sc >= UNREG_CEIL]
        contra = (any(kind == "kvk" for kind, _ in s.evidence) and all(q.kvk for q in resembled)) or (
            any(kind == "domain" for kind, _ in s.evidence) and all(q.domains for q in resembled))
        if best_listed >= UNREG_CEIL and not contra:
            return self.drop("unregistered-but-resembles-a-listed-name", s, scores)
        if s.name:
            other = max((sc for o, sc in scores.items() if self.parties[o].cat == "un" and o != p.idx), default=0.0)
            if other >= 74.0 and other >= own - MARGIN:
                return self.drop("closer-to-another-collector", s, scores)
        self.note_guard(s, scores, own, {p.idx})
        return Truth("niet_geregistreerd", (), p.pid, s.kind, "")

    # -- registered parties ---------------------------------------------------------------------------

    STRUCT_OPS = {"legal-form-absent": op_form_absent, "legal-form-spelled-out": op_form_spelled,
                  "legal-form-different": op_form_different, "legal-form-misplaced": op_form_misplaced,
                  "ampersand": op_ampersand, "word-order": op_word_order, "bizword-dropped": op_biz_drop,
                  "bizword-added": op_biz_add, "bizword-synonym": op_biz_synonym, "initials": op_initials,
                  "tussenvoegsel": op_tussenvoegsel, "abbreviation": op_abbreviation}
    TEXT_OPS = {"lower-case": t_lower, "diacritics": t_diacritics, "clutter": t_clutter, "run-together": t_run_together,
                "split-word": t_split_word, "typo-short": t_typo_short, "typo-long": t_typo_long, "phonetic": t_phonetic,
                "ocr": t_ocr}
    MILD = [(None, 5), (op_form_absent, 4), (t_lower, 1), (t_upper, 1)]

    def mild(self, parts: list[Part]) -> str:
        op = weighted(self.rng, self.MILD)
        if op is None:
            return render(parts)
        if op in (t_lower, t_upper):
            return op(self.rng, render(parts))
        return render(op(self.rng, parts) or parts)

    def reg_pool(self, kind: str, day_kind: str) -> list[Party]:
        key = (kind, day_kind)
        if key not in self.pools:
            self.pools[key] = self._reg_pool(kind, day_kind)
        return self.pools[key]

    def _applies(self, kind: str, p: Party) -> bool:
        probe = self.probe
        if kind in self.STRUCT_OPS:
            return any(self.STRUCT_OPS[kind](probe, list(n.parts)) is not None for n in p.names)
        if kind in self.TEXT_OPS:
            return any(self.TEXT_OPS[kind](probe, n.text) is not None for n in p.names)
        if kind == "truncated":
            return any(len(n.text) > 24 for n in p.names)
        if kind == "trade-name":
            return any(n.role == "trade" for n in p.names)
        if kind == "iban-mistyped":
            return bool(p.ibans or p.hidden_ibans)
        if kind == "iban-unlisted":
            return bool(p.hidden_ibans)
        if kind in ("iban-notation",):
            return bool(p.ibans)
        if kind in ("website-notation", "email-own-domain"):
            return bool(p.domains)
        if kind == "phone-notation":
            return bool(p.phones)
        if kind == "not-yet-valid":
            return p.start > COMPULSORY + timedelta(days=3)
        if kind == "struck-off-before":
            return p.status == "doorgehaald" and p.end <= LAST_DAY
        if kind == "lapsed-before":
            return p.status == "verlopen" and p.end <= LAST_DAY
        if kind == "boundary-start":
            return p.start - timedelta(days=1) >= COMPULSORY
        if kind == "boundary-end":
            return p.end is not None and p.end - timedelta(days=1) >= max(COMPULSORY, p.start)
        return True

    def _reg_pool(self, kind: str, day_kind: str) -> list[Party]:
        regs = [p for p in self.regs if self._applies(kind, p)]
        if kind == "shared-surname":
            return [p for p in regs if "shared" in p.traits]
        if kind == "lookalike-id":
            return [p for p in regs if "lookalike" in p.traits]
        if kind == "group-two-registrations":
            return [p for p in regs if "group" in p.traits]
        if kind == "surname-trade-name":
            return [p for p in regs if "surname-trade" in p.traits]
        if kind == "reregistered":
            return [p for p in regs if "rereg" in p.traits]
        if kind == "name-changed":
            return [p for p in regs if any(e == "rename" for _, e in p.events)]
        if kind == "trade-name-dropped":
            return [p for p in regs if any(e == "drop_trade" for _, e in p.events)]
        if kind == "trade-name-later":
            return [p for p in regs if any(n.role == "trade" and n.frm and n.frm > COMPULSORY + timedelta(days=20) for n in p.names)]
        if kind == "vestigingsnummer":
            return [p for p in regs if p.vest]
        if day_kind == "invalid":
            return [p for p in regs if "rereg" not in p.traits]
        return regs

    def reg_day(self, p: Party, kind: str) -> tuple[date, str] | None:
        rng = self.rng
        if kind == "not-yet-valid":
            if p.start <= COMPULSORY + timedelta(days=3):
                return None
            return rand_day(rng, max(COMPULSORY, p.start - timedelta(days=300)), p.start - timedelta(days=1)), "before datum_inschrijving"
        if kind in ("struck-off-before", "lapsed-before"):
            if p.end is None or p.status != ("doorgehaald" if kind == "struck-off-before" else "verlopen"):
                return None
            lo = max(p.end, COMPULSORY)
            if lo > LAST_DAY:
                return None
            return rand_day(rng, lo, min(LAST_DAY, lo + timedelta(days=400))), f"on/after datum_einde {p.end}"
        if kind == "boundary-start":
            if p.start - timedelta(days=1) < COMPULSORY:
                return None
            return (p.start, "exactly on datum_inschrijving") if rng.random() < 0.5 else (p.start - timedelta(days=1), "the day before datum_inschrijving")
        if kind == "boundary-end":
            if p.end is None or p.end - timedelta(days=1) < max(COMPULSORY, p.start) or p.end > LAST_DAY:
                return None
            return (p.end, "exactly on datum_einde") if rng.random() < 0.5 else (p.end - timedelta(days=1), "the day before datum_einde")
        if kind == "reregistered":
            return rand_day(rng, COMPULSORY, LAST_DAY), "firm with two registrations"
        if kind == "name-changed":
            day = next(n.to for n in p.names if n.role == "legal" and n.to)
            if day - timedelta(days=1) < COMPULSORY:
                return None
            return rand_day(rng, max(COMPULSORY, p.start, day - timedelta(days=200)), day - timedelta(days=1)), "before the name change"
        if kind == "trade-name-dropped":
            day = next(n.to for n in p.names if n.role == "trade" and n.to)
            lo = max(COMPULSORY, p.start)
            if day - timedelta(days=1) < lo:
                return None
            return rand_day(rng, lo, day - timedelta(days=1)), "while the trade name was used"
        if kind == "trade-name-later":
            day = min(n.frm for n in p.names if n.role == "trade" and n.frm and n.frm > COMPULSORY)
            return rand_day(rng, COMPULSORY, day - timedelta(days=1)), "before the trade name was listed"
        window = self.valid_window(p)
        if window is None:
            return None
        return rand_day(rng, *window), "valid"

    def reg_signal(self, kind: str, day_kind: str) -> _Sig | None:
        rng = self.rng
        table = REG_VALID if kind in REG_VALID else REG_INVALID
        p = self.pick(self.reg_pool(kind, day_kind))
        if p is None:
            return None
        got = self.reg_day(p, kind)
        if got is None:
            return None
        day, how = got
        if kind == "group-two-registrations":
            members = self.group_members[p.group]
            if len({self.verdict(q, day)[0] for q in members}) > 1:
                return None
        partner = weighted(rng, table[kind][1])
        s = self.new_sig(kind, p, day, partner)
        s.notes.append(how)
        legal = self.legal_used(p, day)
        trades = [n for n in self.used_names(p, day) if n.role == "trade"]
        entry = legal if (partner == "toezichthouder" or not trades or rng.random() < 0.55) else rng.choice(trades)
        parts = list(entry.parts)
        skip: set[str] = set()
        force: list[str] = []
        text: str | None = None
        if kind == "exact-legal":
            text = legal.text
        elif kind == "trade-name":
            if not trades:
                return None
            text = rng.choice(trades).text
        elif kind in self.STRUCT_OPS:
            base = legal.parts if kind.startswith("legal-form") else parts
            new = self.STRUCT_OPS[kind](rng, list(base))
            if new is None:
                return None
            text = render(new)
        elif kind in self.TEXT_OPS:
            text = self.TEXT_OPS[kind](rng, render(parts))
            if kind in ("typo-long", "typo-short", "phonetic", "ocr", "split-word", "run-together") and text and rng.random() < 0.5:
                text = render(op_form_absent(rng, analyse_parts(text)) or []) or text
        elif kind == "caps-truncated":
            text = render(parts)
        elif kind == "place-added":
            place = p.plaats if rng.random() < 0.6 else rng.choice(PLACES)[0]
            region = next((x[4] for x in PLACES if x[0] == place), "Randstad")
            text = rng.choice(["{n} {p}", "{n} vestiging {p}", "{n} ({p})", "{n} - regio {r}", "{n}, kantoor {p}"]).format(
                n=render(op_form_absent(rng, parts) or parts), p=place, r=region)
        elif kind == "acronym":
            acro = [n for n in self.used_names(p, day) if any(r == "acro" for r, _ in n.parts)]
            if acro:
                text = acro[0].text
            else:
                word = acronym_of(legal.parts)
                if len(word) < 3:
                    return None
                text = word + rng.choice(["", " " + rng.choice(["Incasso", "BV", "B.V."])])
                force.append(rng.choice(["kvk", "iban", "web", "phone"]))
        elif kind == "truncated":
            full = render(parts)
            width = rng.choice([20, 24, 25, 28, 30, 32])
            if len(full) <= width:
                return None
            text = full[:width].rstrip()
        elif kind == "partial-name":
            core = core_of(parts)
            if not core:
                return None
            text = render(core) + rng.choice(["", "", " incasso", " (incassobureau?)"])
            if rng.random() < 0.5:
                force.append(rng.choice(["web", "phone"]))
        elif kind == "shared-surname":
            text = self.mild(legal.parts)
            if rng.random() < 0.4:
                force.append(rng.choice(["kvk", "iban", "web"]))
        elif kind == "lookalike-id":
            other = self.parties[p.related] if p.related is not None else None
            if other is None:
                return None
            # the other party's spelling of the surname, this party's business words: names alone cannot decide
            other_core = [x for x in other.names[0].parts if x[0] in ("tv", "sur")]
            text = render(other_core + [x for x in legal.parts if x[0] in ("biz", "extra")])
            force.append(self.strong_choice(p))
        elif kind == "group-two-registrations":
            shared = [n for n in p.names if n.role == "trade" and any(r == "extra" for r, _ in n.parts)]
            core = core_of(legal.parts)
            text = shared[0].text if shared and rng.random() < 0.6 else render(core) if rng.random() < 0.6 else \
                render(core + [("biz", rng.choice(["Incasso", "Collect", "Finance"]))])
        elif kind == "surname-trade-name":
            trade = [n for n in p.names if n.role == "trade"]
            text = trade[0].text if trade else self.mild(legal.parts)
            if rng.random() < 0.5:
                force.append(self.strong_choice(p))
        elif kind in ("name-changed", "trade-name-dropped", "trade-name-later"):
            if kind == "name-changed":
                old = next(n for n in p.names if n.role == "legal" and n.to)
            elif kind == "trade-name-dropped":
                old = next(n for n in p.names if n.role == "trade" and n.to)
            else:
                old = min((n for n in p.names if n.role == "trade" and n.frm and n.frm > COMPULSORY), key=lambda n: n.frm)
            text = self.mild(old.parts)
            if kind != "trade-name-later" and old.text not in self.visible[p.idx] and rng.random() < 0.8:
                force.append(self.strong_choice(p))
        elif kind == "id-only":
            text = ""
            force.append(rng.choice(["web", "phone", "web", "phone", "kvk", "iban", "mail"]))
            skip = {"kvk", "iban", "web", "mail", "phone"}
        elif kind in ("kvk-notation", "iban-notation", "website-notation", "email-own-domain", "phone-notation"):
            need = {"kvk-notation": "kvk", "iban-notation": "iban", "website-notation": "web", "email-own-domain": "mail",
                    "phone-notation": "phone"}[kind]
            force.append(need)
            text = self.mild(parts) if rng.random() < 0.7 else render(parts)
        elif kind in ("iban-mistyped", "iban-unlisted", "email-freemail", "vestigingsnummer", "postcode-plaats"):
            text = self.mild(parts)
            skip.add({"iban-mistyped": "iban", "iban-unlisted": "iban", "email-freemail": "mail",
                      "vestigingsnummer": "kvk", "postcode-plaats": "pc"}[kind])
            if kind == "iban-mistyped":
                listed = [i for i, _ in p.ibans] + p.hidden_ibans
                if not listed:
                    return None
                self.write_iban(s, rng.choice(listed), mistype=True)
                s.notes.append("IBAN mistyped (fails the checksum)")
            elif kind == "iban-unlisted":
                if not p.hidden_ibans:
                    return None
                self.write_iban(s, p.hidden_ibans[0], evidence=False)
                s.notes.append("the party's IBAN, not in the register")
            elif kind == "email-freemail":
                self.write_mail(s, self.freemail_of(p), "none")
                s.notes.append("free-mail address (not an identifier)")
            elif kind == "vestigingsnummer":
                s.omschrijving = (s.omschrijving + " " if s.omschrijving else "") + f"Vestigingsnr. {p.vest} op het briefpapier."
                s.notes.append("vestigingsnummer in the description (the kvk_nummer column takes 8 digits only)")
            else:
                self.write_address(s)
        elif kind in REG_INVALID:
            text = self.mild(parts) if rng.random() < 0.7 else render(parts)
        else:
            raise ValueError(kind)
        if text is None:
            return None
        if (kind in self.STRUCT_OPS or kind in self.TEXT_OPS) and text in (render(parts), legal.text):
            return None  # the variation changed nothing
        if kind not in ("id-only",):
            text = self.partner_overlay(s, text)
        s.name = text
        for need in force:
            if not self.force_id(s, need):
                return None
        self.habitual_ids(s, skip)
        if not s.name and not s.evidence:
            return None
        return s

    def strong_choice(self, p: Party) -> str:
        options = ["kvk"] + (["iban"] if p.ibans else []) + (["web"] if p.domains else []) + (["phone"] if p.phones else [])
        return self.rng.choice(options)

    def force_id(self, s: _Sig, need: str) -> bool:
        p, rng = s.party, self.rng
        if need == "kvk":
            if not p.kvk:
                return False
            self.write_kvk(s, p.kvk)
        elif need == "iban":
            if not p.ibans:
                return False
            self.write_iban(s, rng.choice(p.ibans)[0])
        elif need == "web":
            if not p.domains:
                return False
            self.write_web(s, rng.choice(p.domains)[0])
        elif need == "mail":
            own = self.own_mail(p)
            if not own:
                return False
            self.write_mail(s, own, "own")
        elif need == "phone":
            if not p.phones:
                return False
            self.write_phone(s, rng.choice(p.phones)[0])
        elif need == "free":
            self.write_mail(s, self.freemail_of(p), "free")
        return True

    def kvk_row(self, p: Party, day: date, kind: str) -> _Sig:
        s = self.new_sig(kind, p, day, "kvk")
        s.brief, s.recv = None, day
        legal = self.legal_used(p, day)
        parts = legal.parts
        if p.cat == "un" and not any(r == "form" for r, _ in parts):
            parts = parts + [("form", self.rng.choice(["B.V.", "B.V.", "V.O.F.", ""]))]
        s.name = self.partner_overlay(s, render(parts))
        self.write_kvk(s, p.kvk, plain=True)
        s.plaats = p.plaats or self.rng.choice(PLACES)[0]
        if p.postcode and self.rng.random() < 0.6:
            s.postcode = p.postcode
        s.notes.append("KvK extract row")
        return s

    # -- exempt parties -----------------------------------------------------------------------------

    def exempt_signal(self, kind: str) -> _Sig | None:
        rng = self.rng
        if (kind, "exempt") not in self.pools:
            test = {"exempt-two-offices": lambda p: "two-offices" in p.traits, "exempt-shared-surname": lambda p: "shared" in p.traits,
                    "exempt-kvk": lambda p: bool(p.kvk), "exempt-website": lambda p: bool(p.domains)}.get(kind, lambda p: True)
            self.pools[(kind, "exempt")] = [p for p in self.exs if test(p)]
        p = self.pick(self.pools[(kind, "exempt")])
        if p is None:
            return None
        day = rand_day(rng, COMPULSORY, LAST_DAY)
        s = self.new_sig(kind, p, day, weighted(rng, EXEMPT_KINDS[kind][1]))
        parts = list(p.names[0].parts)
        skip: set[str] = set()
        if kind == "exempt-exact":
            text = render(parts)
        elif kind == "exempt-variant":
            op = rng.choice([op_prof_variant, op_prof_variant, op_initials, op_word_order, op_abbreviation, op_form_absent])
            new = op(rng, parts)
            if new is None:
                return None
            text = render(new)
        elif kind == "exempt-typo":
            text = rng.choice([t_typo_long, t_phonetic, t_ocr, t_typo_short])(rng, render(parts))
        elif kind == "exempt-kvk":
            text = self.mild(parts)
            self.write_kvk(s, p.kvk)
        elif kind == "exempt-website":
            text = self.mild(parts) if rng.random() < 0.6 else ""
            self.write_web(s, rng.choice(p.domains)[0])
        elif kind == "exempt-two-offices":
            text = self.mild(parts)
            s.plaats = p.plaats.upper() if s.partner == "gemeente" else p.plaats
            s.notes.append(f"office in {p.plaats}")
            skip.add("pc")
        else:
            text = self.mild(parts)
        if text is None:
            return None
        s.name = self.partner_overlay(s, text) if text else ""
        self.habitual_ids(s, skip)
        return s

    # -- unregistered collectors --------------------------------------------------------------------

    def un_kind(self, p: Party, count_kvk: Counter) -> str:
        for trait in p.traits:
            if trait in UN_TRAIT_KIND:
                return UN_TRAIT_KIND[trait]
        options = [(k, w) for k, w in UN_GENERIC
                   if not (k == "unreg-alias" and len(p.names) < 2)
                   and not (k == "unreg-multi-iban" and len(p.ibans) < 2)
                   and not (k == "unreg-foreign-iban" and not any(not i.startswith("NL") for i, _ in p.ibans))
                   and not (k == "unreg-freemail" and not p.free_emails)
                   and not (k == "kvk-row-unregistered" and (not p.kvk or count_kvk[p.idx] >= 1))]
        return weighted(self.rng, options)

    def un_signal(self, p: Party, kind: str) -> _Sig | None:
        rng = self.rng
        day = rand_day(rng, *p.active)
        if kind == "kvk-row-unregistered":
            return self.kvk_row(p, day, kind)
        partner = weighted(rng, [(_A, 3), (_C, 4), (_S, 2), (_G, 1), (_T, 1), (_O, 1)] if kind == "unreg-posing-bailiff"
                           else DEFAULT_PARTNERS)
        s = self.new_sig(kind, p, day, partner)
        names = [n.parts for n in p.names]
        parts = names[0] if rng.random() < 0.7 else rng.choice(names)
        text: str | None = self.mild(parts)
        skip: set[str] = set()
        force: list[str] = []
        if kind == "unreg-variant":
            op = rng.choice([t_typo_long, t_phonetic, t_ocr, t_run_together, t_typo_short, t_lower, t_upper])
            text = op(rng, render(parts)) or render(op_biz_drop(rng, parts) or parts)
        elif kind == "unreg-alias":
            text = self.mild(rng.choice(names[1:]))
        elif kind == "unreg-multi-iban":
            self.write_iban(s, rng.choice(p.ibans[1:])[0])
            skip.add("iban")
        elif kind == "unreg-foreign-iban":
            self.write_iban(s, rng.choice([i for i, _ in p.ibans if not i.startswith("NL")]))
            skip.add("iban")
        elif kind == "unreg-freemail":
            force.append("free")
            skip.add("mail")
        elif kind == "unreg-id-only":
            text = ""
            options = (["iban"] if p.ibans else []) + (["phone"] if p.phones else []) + (["web"] if p.domains else []) + \
                (["free"] if p.free_emails else [])
            force.append(rng.choice(options))
            skip = {"kvk", "iban", "web", "mail", "phone"}
        elif kind in ("clone", "unreg-lookalike-pair", "unreg-shared-surname"):
            resembled = self.parties[p.related] if p.related is not None else None
            contra = (["kvk", "kvk"] if p.kvk else []) + (["web", "mail"] if p.domains and resembled and resembled.domains else [])
            if not contra:
                return None
            force.append(rng.choice(contra))
            if kind == "clone" and rng.random() < 0.5 and p.ibans:
                force.append("iban")
        if text is None:
            return None
        s.name = self.partner_overlay(s, text) if text else ""
        for need in force:
            if not self.force_id(s, need):
                return None
        self.habitual_ids(s, skip)
        return s

    # -- the run ------------------------------------------------------------------------------------

    def attempt(self, make, tries: int = 12) -> bool:
        for _ in range(tries):
            s = make()
            if s is None:
                self.dropped["recipe-not-applicable"] += 1
                continue
            truth = self.judge(s)
            if truth is None:
                continue
            s.truth = truth
            self.sigs.append(s)
            return True
        return False

    def quotas(self, table: dict, total: int) -> list[tuple[str, int]]:
        weight = sum(w for w, _ in table.values())
        return [(k, max(2, round(total * w / weight))) for k, (w, _) in table.items()]

    def run(self) -> list[_Sig]:
        rng, n = self.rng, self.n
        plan: list[tuple[str, str]] = []
        for kind, count in self.quotas(REG_VALID, round(n * CATEGORY_SHARE["valid"])):
            plan += [("valid", kind)] * count
        for kind, count in self.quotas(REG_INVALID, round(n * CATEGORY_SHARE["invalid"])):
            plan += [("invalid", kind)] * count
        for kind, count in self.quotas(EXEMPT_KINDS, round(n * CATEGORY_SHARE["exempt"])):
            plan += [("exempt", kind)] * count
        plan += [("kvk-reg", "kvk-row-registered")] * max(2, round(n * CATEGORY_SHARE["kvk-reg"]))
        rng.shuffle(plan)
        for cat, kind in plan:
            if cat in ("valid", "invalid"):
                self.attempt(lambda kind=kind, cat=cat: self.reg_signal(kind, cat))
            elif cat == "exempt":
                self.attempt(lambda kind=kind: self.exempt_signal(kind))
            else:
                def make_kvk():
                    p = self.pick(self.regs)
                    day = rand_day(rng, max(COMPULSORY, p.start - timedelta(days=200)), LAST_DAY)
                    return self.kvk_row(p, day, "kvk-row-registered")
                self.attempt(make_kvk)
        # unregistered collectors: 1-20 signals each, skewed
        total = round(n * CATEGORY_SHARE["unreg"])
        counts = {p.idx: 1 for p in self.uns}
        clones = [p for p in self.uns if "clone" in p.traits]
        others = [p for p in self.uns if "clone" not in p.traits]
        for group, target in ((clones, round(n * 0.03)), (others, total - round(n * 0.03))):
            rest = min(max(0, target - len(group)), 19 * len(group))
            pool = [(p, p.weight) for p in group]
            while rest > 0:
                p = weighted(rng, pool)
                if counts[p.idx] < 20:
                    counts[p.idx] += 1
                    rest -= 1
        count_kvk: Counter = Counter()
        for p in self.uns:
            for _ in range(counts[p.idx]):
                kind = self.un_kind(p, count_kvk)
                if self.attempt(lambda p=p, kind=kind: self.un_signal(p, kind), tries=8) and kind == "kvk-row-unregistered":
                    count_kvk[p.idx] += 1
        self.link_collectors()
        self.dossiers()
        return self.sigs

    def link_collectors(self) -> None:
        """A careful person must be able to link a collector's signals (shared identifier or nearly the same
        name, transitively), and must not link two collectors: bridge, then check."""
        by_collector: dict[int, list[_Sig]] = {}
        for s in self.sigs:
            if s.party.cat == "un":
                by_collector.setdefault(s.party.idx, []).append(s)
        bridged = 0
        for idx, sigs in by_collector.items():
            p = self.parties[idx]
            parent = list(range(len(sigs)))
            for i in range(len(sigs)):
                for j in range(i + 1, len(sigs)):
                    a, b = sigs[i], sigs[j]
                    if set(a.evidence) & set(b.evidence) or (a.name and b.name and name_score(a.name, b.name) >= NEAR_NAME):
                        parent[_find(parent, i)] = _find(parent, j)
            comps: dict[int, list[int]] = {}
            for i in range(len(sigs)):
                comps.setdefault(_find(parent, i), []).append(i)
            groups = sorted(comps.values(), key=lambda c: (-len(c), c[0]))
            main = list(groups[0])
            for comp in groups[1:]:
                main_ids = [e for i in main for e in sigs[i].evidence]
                comp_ids = [e for i in comp for e in sigs[i].evidence]
                done = any(self.bridge(sigs[i], p, main_ids) for i in comp) or \
                    any(self.bridge(sigs[i], p, comp_ids) for i in main)
                if not done:
                    for key in self.all_ids(p):
                        a = next((sigs[i] for i in main if self.can_take(sigs[i], key)), None)
                        b = next((sigs[i] for i in comp if self.can_take(sigs[i], key)), None)
                        if a is not None and b is not None:
                            self.bridge(a, p, [key])
                            self.bridge(b, p, [key])
                            done = True
                            break
                if done:
                    bridged += 1
                    main += comp
                else:
                    for i in comp:
                        self.sigs.remove(sigs[i])
                        self.dropped["collector-not-linkable"] += 1
        self.dropped["(bridging identifiers added)"] += bridged
        self.check_collectors_apart()

    @staticmethod
    def all_ids(p: Party) -> list[tuple[str, str]]:
        return ([("iban", i) for i, _ in p.ibans] + [("phone", a + n) for (a, n), _ in p.phones]
                + [("free", m) for m in p.free_emails] + [("domain", d) for d, _ in p.domains]
                + ([("kvk", p.kvk)] if p.kvk else []))

    @staticmethod
    def can_take(s: _Sig, key: tuple[str, str]) -> bool:
        column = {"iban": s.iban, "phone": s.phone, "free": s.email, "kvk": s.kvk, "domain": s.website}[key[0]]
        return not column

    def bridge(self, s: _Sig, p: Party, keys: list[tuple[str, str]], allow_new: bool = False) -> bool:
        for kind, value in keys:
            if (kind, value) in s.evidence:
                return True
        for kind, value in keys:
            if kind == "iban" and not s.iban:
                self.write_iban(s, value)
            elif kind == "phone" and not s.phone:
                area = next(a for (a, n), _ in p.phones if a + n == value)
                self.write_phone(s, (area, value[len(area):]))
            elif kind == "free" and not s.email:
                self.write_mail(s, value, "free")
            elif kind == "kvk" and not s.kvk:
                self.write_kvk(s, value)
            elif kind == "domain" and not s.website:
                self.write_web(s, value)
            else:
                continue
            s.notes.append(f"bridging {kind} added")
            return True
        return False

    def check_collectors_apart(self) -> None:
        index = NameIndex()
        un_sigs = [s for s in self.sigs if s.party.cat == "un" and s.name]
        for i, s in enumerate(un_sigs):
            index.add(i, s.name)
        drop: set[int] = set()
        for i, s in enumerate(un_sigs):
            if i in drop:
                continue
            for j, sc in index.scores(s.name, limit=6).items():
                if j != i and j not in drop and un_sigs[j].party.idx != s.party.idx and sc >= NEAR_NAME:
                    drop.add(max(i, j))
        for k in sorted(drop, reverse=True):
            self.sigs.remove(un_sigs[k])
            self.dropped["links-two-collectors"] += 1

    def dossiers(self) -> None:
        """Debt counsellors report a client's creditors together: one file, one date of receipt."""
        rng = self.rng
        by_org: dict[str, list[_Sig]] = {}
        for s in self.sigs:
            if s.partner == "schuldhulpverlener":
                by_org.setdefault(s.org, []).append(s)
        for org in sorted(by_org):
            sigs = sorted(by_org[org], key=lambda s: (s.day, s.party.idx))
            client = 0
            i = 0
            while i < len(sigs):
                k = rng.choice([1, 2, 2, 3, 3, 4, 5, 6])
                chunk = sigs[i:i + k]
                i += k
                client += 1
                recv = min(LAST_DAY, max(s.day for s in chunk) + timedelta(days=rng.randint(5, 90)))
                for j, s in enumerate(chunk):
                    s.brief, s.recv = s.day, recv
                    s.ref = f"{org}/{recv.year}/{client:04d}-{j + 1:02d}"


def _find(parent: list[int], i: int) -> int:
    """Union-find root, halving the path."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def analyse_parts(text: str) -> list[Part]:
    """Rough parts of a written name (for dropping a legal form after a text operation)."""
    out: list[Part] = []
    for word in text.split(" "):
        role = "form" if strip_accents(word).lower().strip(".") in ("b.v", "bv", "v.o.f", "vof", "c.v", "n.v") else "biz"
        out.append((role, word))
    return out


# --------------------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------------------

@dataclass
class World:
    name: str
    seed: int
    mirror_start: date
    register_snapshots: list[tuple[date, bytes]]
    exempt_snapshots: list[tuple[date, bytes]]
    signals_csv: bytes
    truth: dict[str, Truth]

    def kind_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(t.kind for t in self.truth.values()).items()))


BRON = {"gemeente": "gemeente", "schuldhulpverlener": "schuldhulpverlener", "consument": "consument",
        "toezichthouder": "toezichthouder", "anoniem": "anoniem", "kvk": "kvk", "overig": "overig"}


def _fmt(day: date | None, style: str) -> str:
    if day is None:
        return ""
    return day.isoformat() if style == "iso" else day.strftime("%d-%m-%Y")


def _references(sigs: list[_Sig]) -> None:
    counters: Counter = Counter()
    for s in sorted(sigs, key=lambda s: (s.recv, s.day, s.partner, s.org, s.party.idx, s.kind, s.name)):
        if s.ref:
            continue
        if s.partner == "gemeente":
            key = (s.partner, s.org, s.recv.year)
            counters[key] += 1
            s.ref = f"{s.org}-{s.recv.year}-{counters[key]:05d}"
        elif s.partner == "consument":
            key = (s.partner, s.recv.year)
            counters[key] += 1
            s.ref = f"MLD-{s.recv.year}-{counters[key] * 3 + 11:05d}"
        elif s.partner == "toezichthouder":
            key = (s.partner, s.org, s.recv.year)
            counters[key] += 1
            s.ref = f"{s.org}-SIG-{s.recv.year}-{counters[key]:04d}"
        elif s.partner == "anoniem":
            counters[s.partner] += 1
            s.ref = f"TIP-{counters[s.partner]:05d}"
        elif s.partner == "kvk":
            key = (s.partner, s.recv.year, s.recv.month)
            counters[key] += 1
            s.ref = f"KVK-{s.recv:%Y%m}-{counters[key]:04d}"
        else:
            key = (s.partner, s.recv)
            counters[key] += 1
            s.ref = f"POST-{s.recv:%Y%m%d}-{counters[key]:03d}"


def _detail(s: _Sig, truth: Truth) -> str:
    p = s.party
    who = f"{p.cat}:{p.pid} {p.names[0].text!r}"
    if p.cat == "reg":
        who += f" [{p.start}..{p.end or ''}) {p.status}"
    if p.cat == "un" and p.related is not None:
        rel = {"clone": "clone of", "lookalike-brand": "resembles", "lookalike": "look-alike of", "shared": "shares a surname with"}
        how = next((rel[t] for t in p.traits if t in rel), "related to")
        who += f" ({how} {_PARTIES[p.related].pid})"
    ids = ",".join(k for k, _ in s.evidence) or "none"
    return (f"{who} | written {s.name!r} by {s.partner} | {'; '.join(s.notes)} | decisive ids: {ids} | "
            f"reference date {s.day} | {truth.verdict} {' '.join(truth.registratienummers)}").strip()


_PARTIES: list[Party] = []  # the parties of the world being written (for the truth's details)


@dataclass
class _Core:
    parties: list[Party]
    signals_csv: bytes
    truth: dict[str, Truth]
    stats: dict[str, int]


def _build_core(seed: int, registrations: int, exempt: int, collectors: int, signals: int) -> _Core:
    COMPOUND_SPLITS.clear()
    builder = _Builder(seed, registrations, exempt, collectors)
    parties = builder.build()
    for p in parties:  # collectors in designed relations have a KvK number that tells them from the look-alike
        if p.cat == "un" and any(t in ("shared", "lookalike", "clone") for t in p.traits) and not p.kvk:
            p.kvk = builder.ids.kvk()
    writer = _Writer(seed, parties, signals)
    sigs = writer.run()
    _PARTIES[:] = parties
    _references(sigs)
    sigs.sort(key=lambda s: (s.recv, s.ref))
    rows, truth = [], {}
    for s in sigs:
        t = s.truth
        truth[s.ref] = Truth(t.verdict, t.registratienummers, t.collector, t.kind, _detail(s, t))
        rows.append([s.ref, _fmt(s.recv, s.date_fmt), BRON[s.partner], s.name, s.kvk, s.iban, s.website, s.email,
                     s.phone, s.postcode, s.plaats, _fmt(s.brief, s.date_fmt), s.hoofdsom, s.kosten, s.omschrijving])
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(SIGNAL_HEADER)
    w.writerows(rows)
    text = out.getvalue()
    if seed % 2:
        try:
            data = text.encode("cp1252")
        except UnicodeEncodeError:
            data = text.encode("utf-8-sig")
    else:
        data = text.encode("utf-8-sig")
    stats = dict(sorted(writer.dropped.items()))
    stats["(names rejected while building the world)"] = builder.rejected_names
    return _Core(parties, data, truth, stats)


def generate(*, seed: int, mirror_start: date, registrations: int = 1500, exempt: int = 300,
             collectors: int = 260, signals: int = 4200) -> World:
    """The world for ``seed``; ``mirror_start`` only decides which register snapshots the mirror holds."""
    core = _build_core(seed, registrations, exempt, collectors, signals)
    snapshots = [(day, register_csv(core.parties, day)) for day in snapshot_dates(mirror_start)]
    world = World(name=f"world-b seed {seed} start {mirror_start.isoformat()}", seed=seed, mirror_start=mirror_start,
                  register_snapshots=snapshots, exempt_snapshots=[(mirror_start, exempt_csv(core.parties))],
                  signals_csv=core.signals_csv, truth=core.truth)
    world.stats = core.stats  # what the ambiguity guard dropped (not part of the interface)
    return world


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate evaluation world B (partners' signals) and dump it.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mirror-start", type=date.fromisoformat, default=RECENT_START)
    parser.add_argument("--dump", type=Path, help="directory to write the files to")
    parser.add_argument("--registrations", type=int, default=1500)
    parser.add_argument("--exempt", type=int, default=300)
    parser.add_argument("--collectors", type=int, default=260)
    parser.add_argument("--signals", type=int, default=4200)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    world = generate(seed=args.seed, mirror_start=args.mirror_start, registrations=args.registrations,
                     exempt=args.exempt, collectors=args.collectors, signals=args.signals)
    elapsed = time.perf_counter() - started
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for day, data in world.register_snapshots:
            (args.dump / f"register_{day.isoformat()}.csv").write_bytes(data)
        for day, data in world.exempt_snapshots:
            (args.dump / f"vrijgestelden_{day.isoformat()}.csv").write_bytes(data)
        (args.dump / "signalen.csv").write_bytes(world.signals_csv)
        out = io.StringIO(newline="")
        w = csv.writer(out, delimiter=";", lineterminator="\n")
        w.writerow(["referentie", "verdict", "registratienummers", "collector", "kind", "detail"])
        for ref, t in world.truth.items():
            w.writerow([ref, t.verdict, "|".join(t.registratienummers), t.collector or "", t.kind, t.detail])
        (args.dump / "truth.csv").write_text(out.getvalue(), encoding="utf-8")
    verdicts = Counter(t.verdict for t in world.truth.values())
    print(f"{world.name}: {len(world.truth)} signals in {elapsed:.1f} s; "
          f"{len(world.register_snapshots)} register snapshots")
    for verdict, count in sorted(verdicts.items()):
        print(f"  {verdict:26} {count:5}")
    print("kinds:")
    for kind, count in world.kind_counts().items():
        print(f"  {kind:30} {count:5}")
    print("guard:")
    for reason, count in world.stats.items():
        print(f"  {reason:45} {count:6}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
