"""World A: an independent, labelled evaluation world for matching signals against the Wki register.

Written from how the Dutch collection market and its paperwork vary, not from the matcher's rules (the
matcher's modules were not read). ``generate(seed=..., mirror_start=...)`` returns a ``World``: dated
full register snapshots (register.md CSV), exempt lists (vrijgestelden.md CSV), one bulk signals file
(signalen.md, as a partner saves it from Dutch Excel) and the truth for every signal.

The world
---------
* Registrations (~1,500). Legal names built from Dutch surnames (Zipf-distributed, so De Jong, Jansen,
  De Vries, Van den Berg, Bakker ... recur everywhere, with tussenvoegsels and a few diacritics), person
  names ("Jan de Vries Incasso"), brand words (compounds such as Noordkaap, Zilverpoort, coinages such as
  Payright, standalone words such as Meridiaan), places and regions, acronyms and generic words, joined
  to many business words (incasso, incassobureau, debiteurenbeheer, credit management, invorderingen,
  collect, claims, juridisch incasso, administratiekantoor, financial services, & partners, & zn ...)
  and a legal form (B.V., BV, V.O.F., N.V., C.V., Holding B.V., Coöperatie ... U.A., or none). Trade
  names (0-3), KvK number (some with a leading zero), a vestigingsnummer for most, an address, websites,
  e-mail addresses (own domain, sometimes a free-mail address), phones and IBANs (mostly Dutch, a few
  Belgian/German/Luxembourg ones). Dates: a handful on 2024-04-01, a rush before the 2025-04-01 duty, a
  steady stream of late registrations up to November 2026; ~6% lapse after one or two years (``verlopen``),
  ~5% are struck off (``doorgehaald``). Special structures: groups of two registrations that share a
  trade name and a website; firms that lapsed and registered again (same KvK, a new number);
  look-alike pairs (Jansen/Janssen, Smit/Smits, Mol/Moll, Bos/Bosch, Klaassen/Claassen ...); firms whose
  trade name is another firm's surname; renamed firms (old name sometimes kept as a trade name); trade
  names added or dropped and identifiers added over time.
* Exempt offices (~300): bailiffs (Gerechtsdeurwaarderskantoor X, X Gerechtsdeurwaarders & Incasso,
  Deurwaarderskantoor Zwolle ...) and lawyers (Advocatenkantoor X, X Advocaten, X Advocatuur, X Legal,
  X Law ...), some firms with two offices (same name, two places, two KvK numbers).
* Unregistered collectors (~260): ordinary ones (1-3 names, 1-3 IBANs, many foreign; websites; free-mail
  addresses; mobile, VoIP and foreign phones), collectors posing as bailiffs, look-alikes of registered
  names that differ in a distinctive word, clones (a registered agency's name with their own KvK number
  and often their own IBAN/website), firms known from the KvK extract (bron ``kvk``), and namesakes that
  share a surname with registered and exempt parties. 1-20 signals each, skewed.
* Snapshots. ``mirror_start=2026-11-01``: the register on 2026-11-01 and 2026-11-29 (letters mostly date
  from before the first one). ``mirror_start=2024-04-01``: quarterly snapshots from 2024-04-01 plus
  2026-11-01 and 2026-11-29, each holding the registrations whose datum_inschrijving has passed, with the
  names, trade names and identifiers of that day; a registration stays after it ends (status and
  datum_einde from its end on) and no snapshot leaves a registration out. The parties, the signals file
  and the truth are the same bytes for every mirror start; only the snapshots differ.

The variations (each signal has one ``kind``; ``detail`` names the party and what was done)
----------------------------------------------------------------------------------------------
Registered names: exact legal name, trade name, legal form dropped / different / spelled out / in
front, ALL CAPS, lower case, diacritics dropped, mojibake, punctuation and &/en/+, word order, business
word dropped / added / replaced by a synonym, place added, t.a.v./namens/p/a clutter, run together,
split, typos in short words, typos in long words, phonetic spellings, OCR errors, initials, tussenvoegsel
spellings, truncation, acronyms, a trade name that is another firm's surname, namesakes, look-alikes
with an identifier, the shared name of a group (two registrations), re-registered firms, an old name with
an identifier, a dropped trade name with an identifier, identifiers only. Identifiers written every which
way (KvK with prefix/dots/spaces/without leading zero, IBAN with spaces/lower case/a mistyped digit,
foreign IBANs, unlisted IBANs, websites with scheme/www/path/query/subdomain, e-mail at the own domain or
at one of many free-mail providers, phones in every notation), postcode and plaats, a vestigingsnummer in
the description, KvK-extract rows. Dates: valid, not yet registered, struck off, lapsed, and the
boundary days (on datum_inschrijving, the day before it, on datum_einde, the day before it). Exempt
offices by name variant, typo, KvK/website, person ("mr. J. Bakker (advocaat)"), two offices, namesakes.
Unregistered collectors by name, variant, identifiers only, second names, foreign identifiers, free
mail, look-alike names, fake bailiffs, clones, KvK rows, namesakes.

Labelling policy
----------------
1. Every signal is written by a known true party: a registration, an exempt office or an unregistered
   collector; its identifiers are that party's own (a clone's KvK/IBAN/website are the clone's own; a
   mistyped IBAN fails the checksum; a free-mail address identifies nobody unless that exact address is
   listed).
2. The verdict is what a careful inspector with every snapshot and the exempt list would conclude on the
   reference date (datum_brief, else ontvangen_op): a registration is valid on D when
   datum_inschrijving <= D < datum_einde, by the dates as the register states them (they never change
   between snapshots). A firm with several registrations (lapsed and registered again, same KvK) is
   ``geregistreerd`` when one of them is valid on D.
3. ``registratienummers`` starts with the true registration (the valid one; else the one nearest to D),
   followed by the other registrations the evidence points to equally with the same verdict (the other
   registration of a group when only the shared name or website was written; the other registration of
   a re-registered firm when neither is valid).
4. ``vrijgesteld`` needs no office; ``niet_geregistreerd`` carries the collector's id, shared by all its
   signals, which are linkable (a shared identifier or nearly the same name, transitively; the
   generator adds a shared identifier where they were not) while two collectors never are.
5. Only decidable signals are emitted (the ambiguity guard below); ``onzeker`` never occurs.

Ambiguity guard (``_Judge``), a careful reader's model written for this world
-------------------------------------------------------------------------------
Names are folded (mojibake repaired; diacritics, case, punctuation, legal forms, clutter such as
t.a.v./namens/p/a and tussenvoegsels dropped; CamelCase and business words run together split off; "X
namens Y" keeps X) into weighted tokens: distinctive words 3, profession words (deurwaarder, advocaat ...)
and first names 2, places, generic words, initials and business words 1.5. Two names score a weighted
Dice coefficient over matched tokens: equal 1; same business-word family 0.75, related family
(incasso/invorderingen/collect; debiteurenbeheer/credit management/schuldbeheer) 0.5; equal phonetic key
(ij/y, ei/ij, c/k, ph/f, dt/t, -sch, OCR digits) 0.95; fuzzy ratio >= 85 (>= 80 for long words of nearly
equal length); an initial to a first name 0.9; tussenvoegsel merged ("Vandenberg"); split or joined
words; acronyms of the name's own words; a word cut off at the end. A place in the name counts when it
is the party's place or region; the party's postcode (+0.12) or plaats (+0.10) add a bonus. Identifiers
are normalised (KvK digits with the leading zero restored, IBAN checksum, registrable domain, free-mail
providers, phones to national form).
* Identifiers of registered or exempt parties decide (all identifiers must agree), unless the name
  clearly names another party (>= 0.90 while the identified party scores < 0.75); among several
  registrations sharing an identifier (a group's website, a re-registered firm's KvK) the name narrows.
* Without an identifier the name decides when the true party scores >= 0.70 on the names the register
  lists on 2026-11-01/29 (old and dropped names do not count for it) and every party the evidence does
  not equally point to (other registrations, exempt offices, collectors, on every name they ever had)
  scores at least 0.10 less. Clones do not compete with the agency whose name they copy.
* A signal pointing equally to two registrations of a group is kept only when both have the same
  verdict on D (the pair is then the truth); a re-registered firm is one party.
* An unregistered collector's written name must score below 0.76 (and, from 0.5 up, 0.10 below its own
  name) for every registered and exempt party, and below 0.75 for every other collector; and no
  registered or exempt party scoring 0.5 or more may hold every distinctive word written (a name that
  shares only a surname or brand with a registered firm and differs in business words is not decidable).
  A clone needs a KvK number that is neither the cloned registration's nor a near-typo of it, and its
  name may not point more to an exempt office than to the agency it copies.
Dropped candidates are regenerated (another party, date or variation); ``World.dropped`` counts them by
kind and reason (about 5% of candidates; most are business-word variations of firms whose surname or
brand another firm shares). Generation-time uniqueness uses the same scorer: unrelated registered or
exempt names stay below 0.93 (look-alike pairs excepted), brand words, coinages and acronyms name one
party only, and collector names obey the collector rules above.

Known limit of the importer found while writing this world: ``kvk_nummer`` refuses a 12-digit
vestigingsnummer, "K.v.K. 12345678" and "12345678 (KvK)" (the whole file would be rejected), so the
vestigingsnummer variation puts the number in ``omschrijving`` and the name must decide.

Run ``python bench/evalset_world.py --seed 1 --mirror-start 2026-11-01 --dump /tmp/world`` to look at it.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

from rapidfuzz import fuzz, process

# ------------------------------------------------------------------------------------------ dates

WKI_START = date(2024, 4, 1)
LETTERS_FROM = date(2025, 4, 1)
LAST_DAY = date(2026, 11, 30)
LAST_CHANGE = date(2026, 10, 31)
FINAL_SNAPSHOT = date(2026, 11, 1)
LATE_SNAPSHOT = date(2026, 11, 29)
HISTORY_DATES = tuple(
    date(y, m, 1) for y in (2024, 2025, 2026) for m in (1, 4, 7, 10) if WKI_START <= date(y, m, 1) <= date(2026, 10, 1)
) + (FINAL_SNAPSHOT, LATE_SNAPSHOT)
FINAL_DATES = (FINAL_SNAPSHOT, LATE_SNAPSHOT)

# ------------------------------------------------------------------------------------------ vocabularies

SURNAMES = (  # (tussenvoegsel, stem), roughly by frequency in the Netherlands
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"),
    ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"),
    ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("de", "Bruin"),
    ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"), ("van", "Vliet"),
    ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"), ("van", "Dam"),
    ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("", "Peeters"), ("de", "Jonge"),
    ("", "Kuipers"), ("van", "Veen"), ("", "Post"), ("", "Kuiper"), ("", "Veenstra"), ("", "Kramer"),
    ("van den", "Brink"), ("", "Scholten"), ("van", "Wijk"), ("", "Postma"), ("", "Martens"), ("", "Vink"),
    ("de", "Ruiter"), ("", "Timmermans"), ("", "Groen"), ("", "Gerritsen"), ("", "Jonker"), ("van", "Loon"),
    ("van der", "Velde"), ("", "Willemsen"), ("", "Smeets"), ("de", "Lange"), ("de", "Vos"), ("", "Bosch"),
    ("van", "Dongen"), ("", "Schipper"), ("de", "Koning"), ("van der", "Laan"), ("", "Koning"),
    ("", "Driessen"), ("van", "Doorn"), ("", "Hermans"), ("", "Evers"), ("van den", "Bosch"),
    ("van der", "Meulen"), ("", "Hofman"), ("", "Bosman"), ("", "Wolters"), ("", "Sanders"),
    ("van der", "Horst"), ("", "Mol"), ("", "Kuijpers"), ("", "Molenaar"), ("van de", "Pol"), ("de", "Leeuw"),
    ("", "Verbeek"), ("", "Moll"), ("", "Klaassen"), ("", "Claassen"), ("", "Dijkman"), ("", "Hoogendoorn"),
    ("", "Wijnands"), ("", "Schaap"), ("", "Heijnen"), ("", "Nijhuis"), ("", "Brinkman"), ("", "Boersma"),
    ("", "Zijlstra"), ("", "Kooistra"), ("", "Bouwman"), ("", "Hoekman"), ("", "Lammers"), ("", "Aalbers"),
    ("", "Oosterhuis"), ("", "Ramdin"), ("", "Soekhai"), ("", "Pinas"), ("el", "Amrani"), ("", "Benali"),
    ("", "Bouzid"), ("", "Çelik"), ("", "Öztürk"), ("", "Kaya"), ("", "Demir"), ("", "Nguyen"),
    ("", "Müller"), ("", "Hölscher"), ("", "Brüggemann"), ("", "Rénard"), ("", "Hoëvenaars"), ("", "Schreurs"),
    ("", "Langeveld"), ("", "Kamphuis"), ("", "Wouters"), ("", "Steenbergen"), ("", "Rutten"), ("", "Gielen"),
)
# Real look-alike surname pairs: names alone cannot tell them apart, an identifier can.
LOOKALIKE_PAIRS = (
    (("", "Jansen"), ("", "Janssen")), (("", "Smit"), ("", "Smits")), (("", "Mol"), ("", "Moll")),
    (("", "Bos"), ("", "Bosch")), (("", "Klaassen"), ("", "Claassen")), (("de", "Jong"), ("de", "Jonge")),
    (("", "Kuipers"), ("", "Kuijpers")), (("", "Peters"), ("", "Peeters")), (("", "Willems"), ("", "Willemsen")),
    (("de", "Bruijn"), ("de", "Bruin")), (("", "Kuiper"), ("", "Kuipers")), (("", "Visser"), ("", "Vissers")),
)
FIRST_NAMES = (
    "Jan", "Piet", "Kees", "Henk", "Johan", "Peter", "Marco", "Mark", "Erik", "Sander", "Bas", "Ruud", "Willem",
    "Gerrit", "Hans", "Rob", "Frank", "Jeroen", "Martijn", "Dennis", "Anouk", "Sanne", "Lisa", "Marieke", "Ingrid",
    "Petra", "Esther", "Monique", "Saskia", "Linda", "Anja", "Wendy", "Yvonne", "Mohamed", "Ahmed", "Fatima", "Emre",
    "Joost", "Niels", "Thijs", "Ricardo", "Chantal", "Mariëlle", "Zoë", "René", "André", "Karin", "Bart", "Koen",
    "Wim", "Ton", "Gijs", "Floor", "Noor", "Daan", "Ruben", "Iris", "Femke", "Youssef", "Priya",
)
# (name, area code, postcode prefix, province, region or "", adjective or "")
PLACES = (
    ("Amsterdam", "020", 10, "Noord-Holland", "Randstad", "Amsterdamse"),
    ("Rotterdam", "010", 30, "Zuid-Holland", "Rijnmond", "Rotterdamse"),
    ("Den Haag", "070", 25, "Zuid-Holland", "Haaglanden", "Haagse"),
    ("Utrecht", "030", 35, "Utrecht", "Randstad", "Utrechtse"),
    ("Eindhoven", "040", 56, "Noord-Brabant", "Brabant", "Eindhovense"),
    ("Groningen", "050", 97, "Groningen", "Noord-Nederland", "Groningse"),
    ("Tilburg", "013", 50, "Noord-Brabant", "Brabant", "Tilburgse"),
    ("Almere", "036", 13, "Flevoland", "", ""),
    ("Breda", "076", 48, "Noord-Brabant", "West-Brabant", "Bredase"),
    ("Nijmegen", "024", 65, "Gelderland", "", "Nijmeegse"),
    ("Apeldoorn", "055", 73, "Gelderland", "Veluwe", ""),
    ("Haarlem", "023", 20, "Noord-Holland", "Kennemerland", "Haarlemse"),
    ("Arnhem", "026", 68, "Gelderland", "", "Arnhemse"),
    ("Enschede", "053", 75, "Overijssel", "Twente", ""),
    ("Amersfoort", "033", 38, "Utrecht", "", ""),
    ("Zaandam", "075", 15, "Noord-Holland", "", ""),
    ("'s-Hertogenbosch", "073", 52, "Noord-Brabant", "Brabant", "Bossche"),
    ("Zwolle", "038", 80, "Overijssel", "IJsselland", "Zwolse"),
    ("Leiden", "071", 23, "Zuid-Holland", "", "Leidse"),
    ("Maastricht", "043", 62, "Limburg", "", "Maastrichtse"),
    ("Dordrecht", "078", 33, "Zuid-Holland", "", ""),
    ("Zoetermeer", "079", 27, "Zuid-Holland", "Haaglanden", ""),
    ("Leeuwarden", "058", 89, "Friesland", "Noord-Nederland", ""),
    ("Deventer", "0570", 74, "Overijssel", "IJsselland", ""),
    ("Delft", "015", 26, "Zuid-Holland", "Haaglanden", "Delftse"),
    ("Alkmaar", "072", 18, "Noord-Holland", "", ""),
    ("Heerlen", "045", 64, "Limburg", "", ""),
    ("Venlo", "077", 59, "Limburg", "", ""),
    ("Hilversum", "035", 12, "Noord-Holland", "Gooi", ""),
    ("Amstelveen", "020", 11, "Noord-Holland", "Randstad", ""),
    ("Hengelo", "074", 75, "Overijssel", "Twente", ""),
    ("Emmen", "0591", 78, "Drenthe", "", ""),
    ("Assen", "0592", 94, "Drenthe", "", ""),
    ("Helmond", "0492", 57, "Noord-Brabant", "Brabant", ""),
    ("Roosendaal", "0165", 47, "Noord-Brabant", "West-Brabant", ""),
    ("Oss", "0412", 53, "Noord-Brabant", "Brabant", ""),
    ("Ede", "0318", 67, "Gelderland", "Veluwe", ""),
    ("Veenendaal", "0318", 39, "Utrecht", "", ""),
    ("Gouda", "0182", 28, "Zuid-Holland", "", "Goudse"),
    ("Almelo", "0546", 76, "Overijssel", "Twente", ""),
    ("Lelystad", "0320", 82, "Flevoland", "", ""),
    ("Hoorn", "0229", 16, "Noord-Holland", "", ""),
    ("Purmerend", "0299", 14, "Noord-Holland", "", ""),
    ("Harderwijk", "0341", 38, "Gelderland", "Veluwe", ""),
    ("Doetinchem", "0314", 70, "Gelderland", "Achterhoek", ""),
    ("Zutphen", "0575", 72, "Gelderland", "Achterhoek", ""),
    ("Middelburg", "0118", 43, "Zeeland", "", ""),
    ("Terneuzen", "0115", 45, "Zeeland", "", ""),
    ("Goes", "0113", 44, "Zeeland", "", ""),
    ("Heerenveen", "0513", 84, "Friesland", "", ""),
    ("Drachten", "0512", 92, "Friesland", "", ""),
    ("Sneek", "0515", 86, "Friesland", "", ""),
    ("Kampen", "038", 82, "Overijssel", "IJsselland", ""),
    ("Meppel", "0522", 79, "Drenthe", "", ""),
    ("Roermond", "0475", 60, "Limburg", "", ""),
    ("Sittard", "046", 61, "Limburg", "", ""),
    ("Den Helder", "0223", 17, "Noord-Holland", "", ""),
    ("Capelle aan den IJssel", "010", 29, "Zuid-Holland", "Rijnmond", ""),
    ("Schiedam", "010", 31, "Zuid-Holland", "Rijnmond", ""),
    ("Spijkenisse", "0181", 32, "Zuid-Holland", "Rijnmond", ""),
    ("Hoofddorp", "023", 21, "Noord-Holland", "", ""),
    ("Nieuwegein", "030", 34, "Utrecht", "", ""),
    ("Zeist", "030", 37, "Utrecht", "", ""),
    ("Barneveld", "0342", 37, "Gelderland", "Veluwe", ""),
    ("Tiel", "0344", 40, "Gelderland", "", ""),
    ("Winschoten", "0597", 96, "Groningen", "", ""),
    ("Bergen op Zoom", "0164", 46, "Noord-Brabant", "West-Brabant", ""),
    ("Waalwijk", "0416", 51, "Noord-Brabant", "", ""),
    ("IJsselstein", "030", 34, "Utrecht", "", ""),
)
PLACE_ALIASES = {"Den Haag": ("'s-Gravenhage",), "'s-Hertogenbosch": ("Den Bosch",), "Zaandam": ("Zaanstad",)}
REGIONS = (
    ("Twente", "Twentse"), ("Achterhoek", "Achterhoekse"), ("Veluwe", "Veluwse"), ("Randstad", ""),
    ("Brabant", "Brabantse"), ("Limburg", "Limburgse"), ("Friesland", "Friese"), ("Fryslân", ""),
    ("Zeeland", "Zeeuwse"), ("Drenthe", "Drentse"), ("Holland", "Hollandse"), ("Gelderland", "Gelderse"),
    ("Overijssel", ""), ("Flevoland", ""), ("Noord-Nederland", ""), ("Midden-Nederland", ""),
    ("Zuid-Nederland", ""), ("Oost-Nederland", ""), ("Benelux", ""), ("Nederland", "Nederlandse"),
    ("Rijnmond", ""), ("Haaglanden", ""), ("Kennemerland", ""), ("West-Brabant", ""), ("IJsselland", ""),
)
STREETS = (
    "Stationsweg", "Kerkstraat", "Dorpsstraat", "Industrieweg", "Hoofdstraat", "Marktplein", "Havenweg",
    "Nieuwstraat", "Molenweg", "Schoolstraat", "Parallelweg", "Kanaalweg", "Zuiderzeelaan", "Prins Bernhardlaan",
    "Wilhelminastraat", "Julianalaan", "Beatrixlaan", "Oranjestraat", "Europaweg", "Handelsweg", "Energieweg",
    "Ambachtsweg", "Stadhuisplein", "Laan van Europa", "Kennedylaan", "Rijksstraatweg", "Keizersgracht",
    "Coolsingel", "Vredenburg", "Grote Markt", "Spoorlaan", "Burgemeester Roelenweg", "Hanzeweg",
)
BRAND_PREFIX = (
    "Noord", "Zuider", "Ooster", "Wester", "Polder", "Dijk", "Duin", "Heide", "Linden", "Eiken", "Zilver", "Goud",
    "Kristal", "Helder", "Stroom", "Berken", "Wilgen", "Klaver", "Zonne", "Ster", "Haven", "Toren", "Brug", "Molen",
    "Water", "Veld", "Rivier", "Delta", "Kust", "Dal", "Vlier", "Hazel", "Esdoorn", "Eems", "Vecht", "Zee",
    "Storm", "Wind", "Nevel", "IJzer", "Koper", "Parel", "Zomer", "Winter", "Lente", "Dauw", "Berg", "Gouw",
)
BRAND_SUFFIX = (
    "kaap", "licht", "poort", "stede", "veld", "haven", "borg", "wacht", "brug", "kamp", "hof", "rijk", "waard",
    "mond", "dal", "burg", "hoek", "horst", "stein", "lande", "vaart", "zicht", "baken", "zijl", "kade", "rand",
    "meer", "wijk", "oord", "sluis", "toren", "stroom",
)
COIN_HEAD = (
    "Credi", "Fin", "Pay", "Claim", "Debt", "Cash", "Solv", "Cura", "Vesta", "Nova", "Prima", "Astra", "Axis",
    "Certa", "Fide", "Justa", "Recta", "Summa", "Tria", "Lumi", "Verit", "Quant", "Aequi", "Medi", "Opti",
    "Valor", "Clear", "True", "Rendi", "Sola", "Integri", "Bene",
)
COIN_TAIL = (
    "ex", "ix", "io", "wise", "care", "right", "point", "flow", "line", "nova", "tec", "form", "link", "plus",
    "via", "sys", "ra", "ant", "ion", "ity", "ora", "ia", "um", "us",
)
BRAND_WORDS = (
    "Arcade", "Meridiaan", "Kompas", "Horizon", "Vuurtoren", "Keystone", "Anker", "Bastion", "Citadel", "Pegasus",
    "Orion", "Atlas", "Helix", "Trias", "Vector", "Quadrant", "Mercurius", "Fortuna", "Libra", "Concordia",
    "Sterling", "Eenhoorn", "Pelikaan", "Zwaluw", "Reiger", "Sperwer", "Merel", "Kievit", "Lijster", "Ekster",
    "Marlijn", "Saffier", "Robijn", "Topaas", "Onyx", "Kobalt", "Argon", "Titan", "Élan", "Succès", "Réveil",
    "Cadans", "Tempo", "Balans", "Evenwicht", "Tulp", "Narcis", "Dahlia", "Hazelaar", "Meander", "Getij",
    "Zenit", "Kompasroos", "Alliantie", "Fundament", "Pilaar", "Bolwerk", "Vesting", "Kasteel", "Zeester",
)
GENERIC_WORDS = (
    "Landelijk", "Landelijke", "Nationaal", "Nationale", "Centraal", "Centrale", "Direct", "Euro", "Eerste",
    "Algemeen", "Algemene", "Snel", "Smart", "Easy", "Prime", "Fair", "United", "Global", "Total", "Expert",
    "Nieuw", "Modern", "Quick", "Secure", "Safe", "International", "Digital", "Online",
)
# Business words by family; a family's members are synonyms (0.8), related families 0.6.
BUSINESS_FAMILIES = {
    "incasso": ("incasso", "incassobureau", "incassodiensten", "incassodienst", "incassokantoor", "incassobedrijf",
                "incassering", "incassogroep", "incassoservice", "incassobeheer", "incassozaken", "incassos"),
    "invordering": ("invorderingen", "invordering", "vorderingen", "vorderingenbeheer", "inning", "inningen"),
    "collect": ("collect", "collection", "collections", "collecting", "recovery", "recoveries", "claims", "claim",
                "debt", "debts", "solutions", "receivables", "collectors"),
    "debiteuren": ("debiteurenbeheer", "debiteuren", "debiteurenadministratie", "debiteurenservice",
                   "debiteurenbeheerder", "debiteurenzaken"),
    "credit": ("credit", "management", "creditmanagement", "kredietbeheer", "control", "creditcontrol"),
    "schuld": ("schuldbeheer", "betalingsregie", "betaalregie", "betalingsbeheer", "betaalservice", "schuldzaken"),
    "jur": ("juridisch", "juridische", "juristen", "jurist", "rechtshulp", "rechtsbijstand", "legal", "law",
            "gerechtelijke", "gerechtelijk", "rechtskundig"),
    "admin": ("administratie", "administratiekantoor", "administraties", "boekhouding", "accountants",
              "accountancy", "accountantskantoor", "financial", "finance", "financiele", "financieel", "services",
              "service", "diensten", "dienstverlening", "consultancy", "advies", "adviesbureau", "adviseurs",
              "bureau", "kantoor", "agency", "praktijk", "beheer", "zaken"),
    "group": ("holding", "groep", "group", "partners", "zn", "zonen", "compagnie", "co", "associates",
              "maatschappij", "combinatie", "collectief"),
}
RELATED_FAMILIES = (frozenset({"incasso", "invordering", "collect"}), frozenset({"debiteuren", "credit", "schuld"}))
PROFESSION_FAMILIES = {
    "deurwaarder": ("gerechtsdeurwaarders", "gerechtsdeurwaarder", "deurwaarders", "deurwaarder",
                    "deurwaarderskantoor", "gerechtsdeurwaarderskantoor", "gerechtsdeurwaarderspraktijk",
                    "deurwaarderspraktijk", "deurwaarderszaken"),
    "advocaat": ("advocaten", "advocaat", "advocatenkantoor", "advocatuur", "advocatenpraktijk", "advocatenbureau"),
}
# Words a careful reader skips in a name: tussenvoegsels, connectors, titles, clutter, legal-form leftovers.
TUSSEN = frozenset({"van", "de", "der", "den", "het", "t", "s", "ter", "ten", "te", "vd", "v", "op", "aan", "la",
                    "le", "du", "da", "del", "el", "al", "in", "d"})
DROP_WORDS = frozenset({
    "en", "and", "und", "et", "the", "of", "e", "tav", "namens", "afdeling", "afd", "attentie", "att", "postbus",
    "mevr", "mevrouw", "dhr", "heer", "mr", "mw", "ing", "drs", "ir", "opdrachtgever", "client", "clienten",
    "klant", "vestiging", "locatie", "filiaal", "pa", "retour", "per", "adres", "via", "bv", "nv", "vof", "cv",
    "ua", "io", "ltd", "llc", "gmbh", "bvba", "sarl", "inc", "sa", "cooperatie", "cooperatieve", "eenmanszaak",
    "vennootschap", "besloten", "naamloze", "commanditaire", "firma", "onder", "met", "beperkte",
    "aansprakelijkheid", "vereniging", "zie", "brief",
})
FREE_MAIL = (
    "gmail.com", "hotmail.com", "outlook.com", "live.nl", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "planet.nl",
    "hetnet.nl", "home.nl", "xs4all.nl", "yahoo.com", "icloud.com", "me.com", "protonmail.com", "proton.me",
    "gmx.net", "gmx.de", "web.de", "mail.com", "zonnet.nl", "chello.nl", "casema.nl", "quicknet.nl", "online.nl",
    "tele2.nl", "telfort.nl", "upcmail.nl", "versatel.nl", "yandex.com", "outlook.be", "telenet.be", "skynet.be",
    "t-online.de", "aol.com", "msn.com", "tutanota.com", "mailfence.com", "zoho.com", "live.com", "ymail.com",
)
FREE_MAIL_SET = frozenset(FREE_MAIL)
NL_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB", "FVLB", "NTSB", "ADYB")
FOREIGN_IBAN = {  # country: (bank letters or "", digits after the bank code)
    "BE": ("", 12), "DE": ("", 18), "LU": ("", 16), "LT": ("", 16), "GB": ("REVO", 14), "IE": ("AIBK", 14),
    "FR": ("", 23), "ES": ("", 20), "MT": ("MALT", 23), "EE": ("", 16), "BG": ("BNBG", 14), "CY": ("", 24),
    "PL": ("", 24), "RO": ("RZBR", 16),
}
CREDITORS = (
    "Ziggo", "KPN", "Vattenfall", "Eneco", "Essent", "CZ", "Zilveren Kruis", "VGZ", "Menzis", "Vitens", "Evides",
    "Wehkamp", "Zalando", "Klarna", "Riverty", "Odido", "Basic-Fit", "SportCity", "Budget Energie", "Greenchoice",
    "Vodafone", "Simyo", "Lebara", "Youfone", "ANWB", "Ohra", "Univé", "Interpolis", "Ymere", "Woonstad",
    "Eigen Haard", "Portaal", "een webwinkel", "de huisarts", "de tandarts", "een sportschool", "een energieleverancier",
)
DESCRIPTIONS = (
    "Aanmaning ontvangen met hoge kosten", "Dreigt met beslag en deurwaarder", "Incassokosten hoger dan toegestaan",
    "Geen reactie op betwisting van de vordering", "Debiteur staat onder bewind", "Cliënt heeft een uitkering",
    "Belt elke dag, ook 's avonds", "Geen registratienummer op de brief", "Brief vermeldt geen klachtenregeling",
    "Onduidelijk namens wie wordt geïnd", "Betalingsregeling geweigerd", "WSNP-traject loopt",
    "Schuldhulptraject gestart, incasso gaat door", "Dreigt met BKR-registratie", "Intimiderende toon aan de telefoon",
    "Rente en kosten niet gespecificeerd", "Veertiendagenbrief ontbreekt", "Vordering is al betaald",
    "Huisbezoek aangekondigd", "Kosten voor een betalingsregeling in rekening gebracht",
    "Beslagvrije voet niet gerespecteerd", "Cliënt is minderjarig", "Psychische klachten door dreigbrieven",
    "Stuurt WhatsApp-berichten met dreigementen", "Factuur onbekend bij cliënt", "Dubbele kosten berekend",
    "Brief lijkt op een dagvaarding", "Noemt zich deurwaarder maar is dat niet", "Geen adres op de brief",
    "Meldt zich namens een buitenlandse schuldeiser", "AOW-gerechtigde onder druk gezet",
    "Eerste aanmaning direct met incassokosten", "Tip van een collega-toezichthouder", "",
)
SOURCES = (("consument", 44), ("schuldhulpverlener", 21), ("gemeente", 11), ("toezichthouder", 6),
           ("anoniem", 10), ("overig", 8))
REF_PREFIX = {"consument": "MLD", "schuldhulpverlener": "SHV", "gemeente": "GEM", "toezichthouder": "TZH",
              "kvk": "KVK", "anoniem": "ANON", "overig": "OVG"}

# Templates of names: {c} is the core. Weights are rough shares.
REG_TEMPLATES = (
    ("{c} Incasso", 12), ("Incassobureau {c}", 10), ("{c} Incassodiensten", 4), ("{c} Debiteurenbeheer", 6),
    ("{c} Credit Management", 6), ("{c} Invorderingen", 4), ("{c} Vorderingen", 1), ("{c} Schuldbeheer", 2),
    ("{c} Betalingsregie", 1), ("{c} Collect", 4), ("{c} Recovery", 2), ("{c} Claims", 2),
    ("{c} Juridisch Incasso", 3), ("{c} Juristen", 2), ("{c} Rechtshulp", 1), ("Administratiekantoor {c}", 4),
    ("{c} Administratie", 2), ("{c} Accountants", 2), ("{c} Financial Services", 2), ("{c} Incasso Holding", 1),
    ("{c} Incasso Groep", 1), ("{c} & Partners", 2), ("{c} Debt Solutions", 1), ("{c} Incasso & Advies", 2),
    ("Juridisch Adviesbureau {c}", 1), ("{c} Financiële Diensten", 1), ("{c} Credit Control", 1),
    ("{c} Receivables Management", 1), ("{c} & Partners Credit Management", 2), ("{c} Debiteurenadministratie", 1),
    ("{c} Creditmanagement", 1), ("Incasso {c}", 2), ("{c} Incassokantoor", 1), ("{c} Incasso & Invorderingen", 1),
)
SURNAME_ONLY_TEMPLATES = (("{c} & Zn", 1), ("{c} & Zonen Incasso", 1))
LEGAL_FORMS = (("B.V.", 56), ("", 14), ("V.O.F.", 10), ("BV", 6), ("N.V.", 2), ("C.V.", 1), ("coop", 2),
               ("B.V.", 3))
BAILIFF_TEMPLATES = (
    ("Gerechtsdeurwaarderskantoor {c}", 8), ("{c} Gerechtsdeurwaarders", 8), ("{c} Gerechtsdeurwaarders & Incasso", 3),
    ("Deurwaarderskantoor {c}", 4), ("{c} Deurwaarders", 2), ("{c} Gerechtsdeurwaarders B.V.", 3),
    ("{c} Gerechtsdeurwaarders en Incassodiensten", 1), ("Gerechtsdeurwaarderspraktijk {c}", 1),
)
LAWYER_TEMPLATES = (
    ("Advocatenkantoor {c}", 8), ("{c} Advocaten", 10), ("{c} Advocatuur", 3), ("{c} Legal", 2), ("{c} Law", 1),
    ("{c} Advocaten & Incasso", 1), ("Advocatenpraktijk {c}", 2), ("{c} Advocaten B.V.", 2),
    ("{c} Incasso Advocaten", 1),
)
UNREG_TEMPLATES = (
    ("{c} Incasso", 8), ("{c} Debt Collect", 3), ("{c} Claim Services", 3), ("Incasso Service {c}", 3),
    ("{c} Betaalregie", 2), ("{c} Collection Agency", 2), ("{c} Invorderingen", 2), ("{c} Juridische Dienstverlening", 2),
    ("{c} Finance", 2), ("{c} Incassobureau", 3), ("Incassobureau {c}", 3), ("{c} Recovery", 2), ("{c} Collect", 2),
    ("{c} Debiteurenservice", 1), ("{c} Incasso & Juridisch Advies", 1), ("{c} Claims", 2),
)
FAKE_BAILIFF_TEMPLATES = (
    ("Gerechtsdeurwaarderskantoor {c}", 4), ("{c} Deurwaarders", 3), ("Deurwaarderskantoor {c}", 3),
    ("{c} Gerechtsdeurwaarders & Incasso", 2), ("Landelijk Deurwaarderscollectief {c}", 1),
    ("{c} Deurwaarderszaken", 1),
)

# ------------------------------------------------------------------------------------------ public types


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
    dropped: dict[str, int] = field(default_factory=dict)  # "kind: reason" -> candidates the guard dropped
    encoding: str = "utf-8-sig"

    def kind_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(t.kind for t in self.truth.values()).items()))


GEREGISTREERD = "geregistreerd"
NIET_GELDIG = "registratie_niet_geldig"
VRIJGESTELD = "vrijgesteld"
NIET_GEREGISTREERD = "niet_geregistreerd"

# ------------------------------------------------------------------------------------------ small helpers


def _strip_diacritics(text: str) -> str:
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("œ", "oe")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _pick(rng: Random, weighted: tuple) -> object:
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for value, w in weighted:
        x -= w
        if x < 0:
            return value
    return weighted[-1][0]


def _rand_date(rng: Random, a: date, b: date) -> date:
    if b <= a:
        return a
    return a + timedelta(days=rng.randint(0, (b - a).days))


def _weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country) + "00"
    return f"{98 - int(digits) % 97:02d}"


def iban_valid(iban: str) -> bool:
    iban = iban.replace(" ", "").upper()
    if len(iban) < 15 or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _surname_text(tv: str, stem: str, *, start: bool) -> str:
    if not tv:
        return stem
    return (tv[0].upper() + tv[1:] if start else tv) + " " + stem


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", _strip_diacritics(text).lower())


# ------------------------------------------------------------------------------------------ the scorer (guard)

_BUSINESS = {w: fam for fam, words in BUSINESS_FAMILIES.items() for w in words}
_PROFESSION = {w: fam for fam, words in PROFESSION_FAMILIES.items() for w in words}
_FAMILY_OF = {**_BUSINESS, **_PROFESSION}
_RELATED = {fam: group for group in RELATED_FAMILIES for fam in group}
_FIRST = frozenset(_strip_diacritics(f).lower() for f in FIRST_NAMES)
_SURNAME_STEMS = frozenset(_slug(stem) for _, stem in SURNAMES)


def _place_words() -> frozenset[str]:
    words: set[str] = {"noord", "zuid", "oost", "west", "midden", "noordoost", "zuidwest", "zuidoost", "noordwest"}
    texts = [p[0] for p in PLACES] + [p[4] for p in PLACES] + [p[5] for p in PLACES]
    texts += [r[0] for r in REGIONS] + [r[1] for r in REGIONS] + [a for al in PLACE_ALIASES.values() for a in al]
    for text in texts:
        for w in re.sub(r"[^a-z0-9]+", " ", _strip_diacritics(text).lower().replace("'", "")).split():
            if w not in TUSSEN and w not in DROP_WORDS and w not in _SURNAME_STEMS:
                words.add(w)
    return frozenset(words)


_PLACE_WORDS = _place_words()
_GENERIC = frozenset(_strip_diacritics(g).lower() for g in GENERIC_WORDS) | {"centrum", "center", "nl", "eu", "dutch"}
_SPLIT_SUFFIXES = tuple(sorted((w for w in _FAMILY_OF if len(w) >= 5), key=len, reverse=True))
_SPLIT_PREFIXES = ("gerechtsdeurwaarderskantoor", "deurwaarderskantoor", "advocatenkantoor", "administratiekantoor",
                   "incassobureau", "incasso")
_WEIGHT = {"D": 3.0, "X": 2.0, "F": 2.0, "P": 1.5, "G": 1.5, "I": 1.5, "B": 1.5}
_VOCAB_FIX = tuple(_FAMILY_OF)

_RE_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z])")
_RE_TAV = re.compile(r"\bt\.?\s?a\.?\s?v\b\.?")
_RE_PA = re.compile(r"\b[pc]\s?[./]\s?[ao]\b\.?")
_RE_ACRONYM = re.compile(r"(?<![a-z0-9])(?:[a-z]\.){3,}")
_RE_VD = re.compile(r"\bv\s?[./]\s?d\b\.?")
_RE_LEGAL = re.compile(
    r"\b(?:besloten vennootschap(?: met beperkte aansprakelijkheid)?|naamloze vennootschap|vennootschap onder firma"
    r"|commanditaire vennootschap|cooperatieve?(?: vereniging)?|eenmanszaak|bvba|b\.\s?v\b\.?|n\.\s?v\b\.?"
    r"|v\.\s?o\.\s?f\b\.?|c\.\s?v\b\.?|u\.\s?a\b\.?|i\.\s?o\b\.?)")


def _phon(t: str) -> str:
    t = t.translate(str.maketrans("0158", "olsb")).replace("rn", "m")
    if t.endswith("sch"):
        t = t[:-3] + "s"
    for a, b in (("ij", "y"), ("ei", "y"), ("ey", "y"), ("au", "ou"), ("ph", "f"), ("dt", "t"), ("ck", "k"),
                 ("qu", "kw"), ("th", "t"), ("x", "ks"), ("c", "k")):
        t = t.replace(a, b)
    return t


class Folded:
    """A name as a careful reader sees it: weighted tokens plus what acronyms and joined words need."""

    __slots__ = ("toks", "total", "aliases", "ini_core", "ini_all", "core_idx", "families", "groups", "nonbiz",
                 "biz", "n_initials", "weak")

    def __init__(self, toks, aliases, ini_core, ini_all, core_idx):
        self.toks = toks  # tuple of (text, cls, weight, family, phon)
        self.total = sum(t[2] for t in toks)
        self.aliases = aliases  # {token index: tussenvoegsel + token, joined}
        self.ini_core = ini_core
        self.ini_all = ini_all
        self.core_idx = core_idx
        self.families = frozenset(t[3] for t in toks if t[3])
        self.groups = frozenset(_RELATED[f] for f in self.families if f in _RELATED)
        self.nonbiz = sum(t[2] for t in toks if t[1] not in "BX")
        self.biz = tuple((t[2], t[3]) for t in toks if t[1] in "BX")
        self.n_initials = sum(1 for t in toks if t[1] == "I")
        # tokens that may need the rare matches (joined or split words, acronyms, truncation)
        self.weak = any(t[1] in "DG" for t in toks)

    def compatible_biz(self, other: Folded) -> float:
        """Weight of this name's business words that could match one of ``other``'s."""
        return sum(w for w, fam in self.biz if fam in other.families or _RELATED.get(fam) in other.groups)


_FOLD_CACHE: dict[str, Folded] = {}
_CLASS_CACHE: dict[str, tuple[str, str | None, str]] = {}


def _classify(word: str) -> tuple[str, str | None, str]:
    """(text, class, family) for one folded word; a typo of a business word counts as that word."""
    hit = _CLASS_CACHE.get(word)
    if hit is not None:
        return hit
    if word in _PROFESSION:
        out = (word, "X", _PROFESSION[word])
    elif word in _BUSINESS:
        out = (word, "B", _BUSINESS[word])
    elif len(word) == 1:
        out = (word, "I", None)
    elif word in _SURNAME_STEMS:
        out = (word, "D", None)
    elif word in _FIRST:
        out = (word, "F", None)
    elif word in _PLACE_WORDS:
        out = (word, "P", None)
    elif word in _GENERIC:
        out = (word, "G", None)
    else:
        out = (word, "D", None)
        if len(word) >= 6:
            best = process.extractOne(word, _VOCAB_FIX, scorer=fuzz.ratio, score_cutoff=85)
            if best is not None:
                fam = _FAMILY_OF[best[0]]
                out = (word, "X" if best[0] in _PROFESSION else "B", fam)
    _CLASS_CACHE[word] = out
    return out


def _split_word(word: str) -> list[str]:
    if word in _FAMILY_OF or len(word) < 7:
        return [word]
    for suffix in _SPLIT_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return [word[: -len(suffix)], suffix]
    for prefix in _SPLIT_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return [prefix, word[len(prefix):]]
    return [word]


def fold(text: str) -> Folded:
    hit = _FOLD_CACHE.get(text)
    if hit is not None:
        return hit
    if "Ã" in text:  # UTF-8 read as Windows-1252: a reader sees through it
        try:
            text = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    s = _RE_CAMEL.sub(" ", _strip_diacritics(text)).lower()
    s = _RE_ACRONYM.sub(lambda m: " " + m.group(0).replace(".", "") + " ", s)
    s = _RE_TAV.sub(" ", s)
    s = _RE_PA.sub(" ", s)
    s = _RE_VD.sub(" vd ", s)
    s = _RE_LEGAL.sub(" ", s)
    s = re.sub(r"[’'`´]", "", s)
    words = re.sub(r"[^a-z0-9]+", " ", s).split()
    if "namens" in words:  # "X namens Y": X collects for creditor Y
        at = words.index("namens")
        words = words[:at] if at > 0 else words[at + 1:]
    toks: list[tuple] = []
    aliases: dict[int, str] = {}
    pending: list[str] = []
    initials: list[str] = []
    core_letters: list[str] = []
    core_idx: list[int] = []
    for w in words:
        if w in TUSSEN:
            pending.append(w)
            initials.append(w[0])
            core_letters.append(w[0])
            continue
        if w in DROP_WORDS:
            pending.clear()
            continue
        for part in _split_word(w):
            text_, cls, fam = _classify(part)
            toks.append((text_, cls, _WEIGHT[cls], fam, _phon(text_)))
            initials.append(part[0])
            if cls not in "BX":
                core_letters.append(part[0])
                core_idx.append(len(toks) - 1)
            if pending and cls in "DFGP":
                aliases[len(toks) - 1] = "".join(pending) + part
            pending.clear()
    ini_all = "".join(initials) if len(initials) >= 3 else ""
    ini_core = "".join(core_letters) if len(core_letters) >= 2 else ""
    out = Folded(tuple(toks), aliases, ini_core, ini_all, tuple(core_idx))
    _FOLD_CACHE[text] = out
    return out


_CREDIT_CACHE: dict[tuple, float] = {}


def _credit(a: tuple, b: tuple) -> float:
    if a[0] == b[0]:
        return 1.0
    key = (a[0], a[1], b[0], b[1])
    hit = _CREDIT_CACHE.get(key)
    if hit is not None:
        return hit
    out = 0.0
    ca, cb = a[1], b[1]
    if ca in "BX" or cb in "BX":
        if ca in "BX" and cb in "BX" and ca == cb:
            r = fuzz.ratio(a[0], b[0])
            out = r / 100 if r >= 85 else 0.0
            if a[3] == b[3]:
                out = max(out, 0.75)
            elif a[3] in _RELATED and _RELATED.get(b[3]) == _RELATED[a[3]]:
                out = max(out, 0.5)
    elif ca == "I" or cb == "I":
        other = b if ca == "I" else a
        ini = a if ca == "I" else b
        if other[1] == "F" and other[0][0] == ini[0]:
            out = 0.9
    elif a[4] == b[4]:
        out = 0.95
    elif min(len(a[0]), len(b[0])) >= 3:
        r = fuzz.ratio(a[0], b[0])
        if r >= 85 or (r >= 80 and min(len(a[0]), len(b[0])) >= 7 and abs(len(a[0]) - len(b[0])) <= 1):
            out = r / 100 * (0.95 if min(len(a[0]), len(b[0])) <= 4 else 1.0)
    _CREDIT_CACHE[key] = out
    return out


def _joined_ratio(joined: str, other: str) -> float:
    if abs(len(joined) - len(other)) > 2 or joined[:2] != other[:2]:
        return 0.0
    return fuzz.ratio(joined, other)


def name_score(w: Folded, n: Folded, places: tuple[str, ...] = ()) -> float:
    """Weighted Dice similarity of a written name and a party's name (0..1)."""
    wt, nt = w.toks, n.toks
    if not wt or not nt:
        return 0.0
    opts: list[tuple] = []
    strong_w: set[int] = set()
    strong_n: set[int] = set()
    for i, a in enumerate(wt):
        for j, b in enumerate(nt):
            c = _credit(a, b)
            if c:
                opts.append((c * (a[2] + b[2]), (i,), (j,)))
                if c >= 0.9:
                    strong_w.add(i)
                    strong_n.add(j)
    for j, alias in n.aliases.items():
        for i, a in enumerate(wt):
            if a[0] == alias:
                opts.append((a[2] + nt[j][2], (i,), (j,)))
                strong_w.add(i)
    for i, alias in w.aliases.items():
        for j, b in enumerate(nt):
            if b[0] == alias:
                opts.append((wt[i][2] + b[2], (i,), (j,)))
                strong_n.add(j)
    weak_w = len(strong_w) < len(wt)
    weak_n = len(strong_n) < len(nt)
    if weak_w or weak_n:  # words run together or split apart: "Zuider Licht" / "Zuiderlicht"
        for i in range(len(wt) - 1):
            if wt[i][1] not in "DFGP" or wt[i + 1][1] not in "DFGP" or (i in strong_w and i + 1 in strong_w):
                continue
            joined = wt[i][0] + wt[i + 1][0]
            for j, b in enumerate(nt):
                if b[1] in "DFGP" and j not in strong_n:
                    r = _joined_ratio(joined, b[0])
                    if r >= 90:
                        opts.append((r / 100 * (wt[i][2] + wt[i + 1][2] + b[2]), (i, i + 1), (j,)))
        for j in range(len(nt) - 1):
            if nt[j][1] not in "DFGP" or nt[j + 1][1] not in "DFGP" or (j in strong_n and j + 1 in strong_n):
                continue
            joined = nt[j][0] + nt[j + 1][0]
            for i, a in enumerate(wt):
                if a[1] in "DFGP" and i not in strong_w:
                    r = _joined_ratio(joined, a[0])
                    if r >= 90:
                        opts.append((r / 100 * (a[2] + nt[j][2] + nt[j + 1][2]), (i,), (j, j + 1)))
    if weak_w and (n.ini_core or n.ini_all):
        acr: list[tuple[str, tuple]] = [(a[0], (i,)) for i, a in enumerate(wt)
                                        if a[1] == "D" and 2 <= len(a[0]) <= 6 and i not in strong_w]
        run: list[int] = []
        for i, a in enumerate((*wt, ("", "", 0, None, ""))):
            if a[1] == "I":
                run.append(i)
                continue
            if len(run) >= 2:
                acr.append(("".join(wt[k][0] for k in run), tuple(run)))
            run = []
        for text_, idx in acr:
            target = n.core_idx if text_ == n.ini_core else tuple(range(len(nt))) if text_ == n.ini_all else ()
            if target:
                opts.append((0.9 * (sum(wt[k][2] for k in idx) + sum(nt[k][2] for k in target)), idx, target))
    last = wt[-1]
    if (len(wt) - 1) not in strong_w and last[1] == "D" and len(last[0]) >= 3:  # a word cut off by a form field
        for j, b in enumerate(nt):
            if b[0] != last[0] and b[0].startswith(last[0]):
                opts.append((0.85 * (last[2] + b[2]), (len(wt) - 1,), (j,)))
    opts.sort(key=lambda o: (-o[0], o[1], o[2]))
    used_w: set[int] = set()
    used_n: set[int] = set()
    matched = 0.0
    for value, iw, jn in opts:
        if used_w.isdisjoint(iw) and used_n.isdisjoint(jn):
            matched += value
            used_w.update(iw)
            used_n.update(jn)
    n_total = n.total
    if places:
        for i, a in enumerate(wt):
            if i not in used_w and a[1] == "P" and any(a[0] == p or fuzz.ratio(a[0], p) >= 85 for p in places):
                matched += 2 * a[2]
                n_total += a[2]
    return matched / (w.total + n_total)


class NameIndex:
    """Every name of every party, with a token index for finding the names worth scoring.

    ``best_by_party`` scores only the names that share a (fuzzy, phonetic, joined, acronym) token with the
    written name and whose cheap upper bound reaches the threshold the caller needs.
    """

    def __init__(self) -> None:
        self.recs: list[tuple[str, Folded, tuple[str, ...], str]] = []  # (pid, folded, places, text)
        self.keys: dict[str, list[int]] = {}
        self.vocab: list[str] = []
        self._fuzzy: dict[str, list[str]] = {}
        self._fuzzy_words: list[str] = []
        self._vocab_set: set[str] = set()
        self._best: dict[str, tuple[float, dict[str, float]]] = {}
        self.by_pid: dict[str, list[int]] = {}
        self.frozen = False

    def add(self, pid: str, text: str, places: tuple[str, ...]) -> int:
        f = fold(text)
        rid = len(self.recs)
        self.recs.append((pid, f, places, text))
        self.by_pid.setdefault(pid, []).append(rid)
        keys: list[str] = []
        for i, t in enumerate(f.toks):
            if t[1] in "DFGP":
                keys += [t[0], "~" + t[4]]
            if i in f.aliases:
                keys.append(f.aliases[i])
        for i in range(len(f.toks) - 1):
            if f.toks[i][1] in "DFGP" and f.toks[i + 1][1] in "DFGP":
                keys.append("%" + f.toks[i][0] + f.toks[i + 1][0])
        keys += ["#" + x for x in (f.ini_core, f.ini_all) if x]
        for k in keys:
            bucket = self.keys.get(k)
            if bucket is None:
                self.keys[k] = [rid]
                word = k[1:] if k[0] == "%" else k
                if k[0] not in "~#" and word not in self._vocab_set:
                    self.vocab.append(word)
                    self._vocab_set.add(word)
                    if self._fuzzy_words:
                        for m in process.extract(word, self._fuzzy_words, scorer=fuzz.ratio, score_cutoff=78, limit=None):
                            self._fuzzy[m[0]].append(word)
            elif bucket[-1] != rid:
                bucket.append(rid)
        self._best.clear()
        return rid

    def _neighbours(self, word: str) -> list[str]:
        hit = self._fuzzy.get(word)
        if hit is None:
            hit = [m[0] for m in process.extract(word, self.vocab, scorer=fuzz.ratio, score_cutoff=78, limit=None)]
            self._fuzzy[word] = hit
            self._fuzzy_words.append(word)
        return hit

    def candidates(self, f: Folded) -> dict[int, list]:
        """rid -> [written token indexes that found it, bound on the name's matched weight]."""
        keys: list[tuple[str, tuple[int, ...], float]] = []
        toks = f.toks
        for i, t in enumerate(toks):
            if t[1] in "DFGP":
                keys.append(("~" + t[4], (i,), 3.0))
                for word in (self._neighbours(t[0]) if len(t[0]) >= 3 else [t[0]]):
                    keys += [(word, (i,), 3.0), ("%" + word, (i,), 6.0)]
            if t[1] == "D" and 2 <= len(t[0]) <= 6:
                keys.append(("#" + t[0], (i,), 99.0))
        for i, alias in f.aliases.items():
            keys.append((alias, (i,), 3.0))
        letters = [i for i, t in enumerate(toks) if t[1] == "I"]
        if len(letters) >= 2:
            keys.append(("#" + "".join(toks[i][0] for i in letters), tuple(letters), 99.0))
        for i in range(len(toks) - 1):
            if toks[i][1] in "DFGP" and toks[i + 1][1] in "DFGP":
                keys.append((toks[i][0] + toks[i + 1][0], (i, i + 1), 3.0))
        hits: dict[int, list] = {}
        for k, idx, nb in keys:
            for rid in self.keys.get(k, ()):
                entry = hits.get(rid)
                if entry is None:
                    hits[rid] = entry = [set(), 0.0]
                if nb >= 99:
                    entry[1] += nb
                if not entry[0].issuperset(idx):
                    entry[0].update(idx)
                    entry[1] += nb if nb < 99 else 0.0
        return hits

    def upper_bound(self, f: Folded, rid: int, hit: list) -> float:
        _, n, places, _ = self.recs[rid]
        toks = f.toks
        w_side = sum(toks[i][2] for i in hit[0]) + f.compatible_biz(n) + _WEIGHT["I"] * f.n_initials
        cut = 0.0
        last = len(toks) - 1
        if toks and toks[last][1] == "D" and last not in hit[0]:  # a word cut off may match any word's start
            w_side += toks[last][2]
            cut = 3.0
        if hit[1] >= 99:  # an acronym may stand for every word, business words included
            n_side = n.total
        else:
            n_side = min(n.total, min(n.nonbiz, hit[1] + _WEIGHT["F"] * f.n_initials) + n.compatible_biz(f) + cut)
        if places:
            extra = sum(t[2] for t in toks if t[1] == "P" and any(t[0] == p or fuzz.ratio(t[0], p) >= 85 for p in places))
            w_side += 2 * extra
        return (w_side + n_side) / (f.total + n.total) if f.total + n.total else 0.0

    def best_by_party(self, f: Folded, threshold: float = 0.0, text: str | None = None) -> dict[str, float]:
        """pid -> best score of the party's names; names that cannot reach ``threshold`` are left out."""
        key = text if text is not None and self.frozen else None
        if key is not None and key in self._best and self._best[key][0] <= threshold:
            return dict(self._best[key][1])  # scored against a lower threshold: a superset, all exact
        out: dict[str, float] = {}
        for rid, hit in self.candidates(f).items():
            if threshold > 0 and self.upper_bound(f, rid, hit) < threshold - 1e-9:
                continue
            pid, n, places, _ = self.recs[rid]
            s = name_score(f, n, places)
            if s > out.get(pid, 0.0):
                out[pid] = s
        if key is not None:
            self._best[key] = (threshold, dict(out))
        return out

    def covers(self, pid: str, words: list[tuple]) -> bool:
        """Whether every distinctive word written also occurs (nearly) in one of the party's names: then the
        name says nothing that sets the writer apart from that party (only business words differ)."""
        names = [self.recs[rid][1] for rid in self.by_pid.get(pid, ())]
        return all(any(t[0] == w[0] or _credit(w, t) >= 0.9 for n in names for t in n.toks) for w in words)

    def party_score(self, f: Folded, pid: str) -> float:
        """The best score of any name the party ever had."""
        return max((name_score(f, self.recs[rid][1], self.recs[rid][2]) for rid in self.by_pid.get(pid, ())), default=0.0)


# ------------------------------------------------------------------------------------------ parties


@dataclass(frozen=True)
class NameParts:
    base: str
    form: str = ""  # "B.V.", "V.O.F.", ... or "coop" (Coöperatie ... U.A.) or ""

    def text(self) -> str:
        if self.form == "coop":
            return f"Coöperatie {self.base} U.A."
        return f"{self.base} {self.form}".strip()


@dataclass(frozen=True)
class Core:
    text: str
    kind: str  # surname, two, person, brand, coin, word, place, acronym, generic
    surnames: tuple[tuple[str, str], ...] = ()
    person: tuple[str, str, str] | None = None  # (first name, tussenvoegsel, stem)
    split: tuple[str, str] | None = None  # a compound brand word's two parts


@dataclass
class Reg:
    idx: int
    pid: str
    entity: int
    core: Core
    kvk: str
    start: date
    status: str = "ingeschreven"
    end: date | None = None
    nummer: str = ""
    group: int | None = None
    vestiging: str = ""
    legal: list = field(default_factory=list)  # [(NameParts, since, until|None)]
    trade: list = field(default_factory=list)  # [(str, since, until|None)]
    websites: list = field(default_factory=list)  # [(stored text, domain, since)]
    emails: list = field(default_factory=list)  # [(address, since)]
    phones: list = field(default_factory=list)  # [(national digits, stored text, since)]
    ibans: list = field(default_factory=list)  # [(compact, stored text, since)]
    unlisted_ibans: list = field(default_factory=list)
    straat: str = ""
    huisnummer: str = ""
    postcode: str = ""
    plaats: str = ""
    weight: float = 1.0
    flags: list = field(default_factory=list)
    renamed_on: date | None = None

    def valid(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d < self.end)

    def legal_at(self, d: date) -> NameParts:
        for parts, since, until in self.legal:
            if since <= d and (until is None or d < until):
                return parts
        return self.legal[-1][0]

    def trade_at(self, d: date) -> list[str]:
        return [t for t, since, until in self.trade if since <= d and (until is None or d < until)]

    def names_at(self, d: date) -> list[str]:
        return [self.legal_at(d).text(), *self.trade_at(d)]

    def listed_names(self, dates: tuple[date, ...]) -> list[str]:
        out: dict[str, None] = {}
        for d in dates:
            if d >= self.start:
                for n in self.names_at(d):
                    out[n] = None
        return list(out)

    @property
    def final_legal(self) -> NameParts:
        return self.legal[-1][0]


@dataclass
class Office:
    idx: int
    pid: str
    core: Core
    naam: str
    beroep: str
    firm: int
    kvk: str = ""
    plaats: str = ""
    websites: list = field(default_factory=list)  # [(stored, domain)]
    late_website: tuple | None = None  # added to the later list
    weight: float = 1.0
    parts: NameParts | None = None


@dataclass
class Collector:
    idx: int
    pid: str
    cid: str
    ctype: str  # gewoon, nep_deurwaarder, kloon, lookalike, lijkt_op, kvk_firma
    names: list  # [NameParts]
    cores: list  # [Core]
    kvk: str = ""
    ibans: list = field(default_factory=list)  # compact
    domains: list = field(default_factory=list)
    emails: list = field(default_factory=list)
    phones: list = field(default_factory=list)  # national digits or +cc...
    plaats: str = ""
    postcode: str = ""
    clone_of: Reg | None = None
    n_signals: int = 1


def _place_info(plaats: str) -> tuple:
    for p in PLACES:
        if p[0] == plaats:
            return p
    return PLACES[0]


def _places_tokens(plaats: str) -> tuple[str, ...]:
    if not plaats:
        return ()
    p = _place_info(plaats)
    texts = [p[0], p[3], p[4], p[5], *PLACE_ALIASES.get(p[0], ())]
    out: dict[str, None] = {}
    for t in texts:
        for tok in fold(t).toks:
            if tok[1] in "PDG":
                out[tok[0]] = None
    return tuple(out)


def _norm_plaats(text: str) -> str:
    f = fold(text)
    return " ".join(t[0] for t in f.toks)


_PLAATS_CANON = {}
for _p in PLACES:
    for _name in (_p[0], *PLACE_ALIASES.get(_p[0], ())):
        _PLAATS_CANON[_norm_plaats(_name)] = _p[0]


def _canon_plaats(text: str) -> str:
    return _PLAATS_CANON.get(_norm_plaats(text), _norm_plaats(text))


# ------------------------------------------------------------------------------------------ identifiers


def norm_kvk(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 7:
        digits = "0" + digits
    return digits if len(digits) == 8 else None


def norm_iban(text: str) -> str | None:
    compact = re.sub(r"^\s*iban[:\s]*", "", text, flags=re.I).replace(" ", "").upper()
    return compact if iban_valid(compact) else None


def norm_domain(text: str) -> str:
    t = text.strip().lower()
    if "@" in t:
        t = t.split("@", 1)[1]
    t = re.sub(r"^[a-z]+://", "", t).split("/")[0].split("?")[0].split(":")[0]
    labels = [part for part in t.split(".") if part]
    return ".".join(labels[-2:])


def norm_phone(text: str) -> str:
    t = text.replace("(0)", "").strip()
    digits = re.sub(r"\D", "", t)
    if t.startswith("+"):
        return "0" + digits[2:] if digits.startswith("31") else "+" + digits
    if digits.startswith("0031"):
        return "0" + digits[4:]
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def _group(s: str, sizes: tuple[int, ...]) -> str:
    out, i = [], 0
    for n in sizes:
        if i >= len(s):
            break
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return " ".join(out)


def write_phone(rng: Random, phone: tuple[str, str], style: str | None = None) -> str:
    area, sub = phone
    if area.startswith("+"):
        style = style or rng.choice(("intl", "intl00", "compact"))
        if style == "intl00":
            return "00" + area[1:] + sub
        if style == "compact":
            return area + sub
        return f"{area} {_group(sub, (2, 4, 4))}"
    a = area[1:]
    mobile = area == "06"
    styles = ("dash", "spaced", "paren", "intl", "intl0", "intl00", "compact", "intlc")
    style = style or rng.choice(styles)
    grouped = _group(sub, (4, 4) if mobile else (3, 2, 2) if len(sub) == 7 else (2, 2, 2))
    if style == "dash":
        return f"{area}-{sub}"
    if style == "spaced":
        return f"{area} {grouped}"
    if style == "paren":
        return f"({area}) {grouped}" if not mobile else f"{area} {_group(sub, (2, 2, 2, 2))}"
    if style == "intl":
        return f"+31 {a} {grouped}"
    if style == "intl0":
        return f"+31 (0){a} {sub}"
    if style == "intl00":
        return f"0031{a}{sub}"
    if style == "intlc":
        return f"+31{a}{sub}"
    return f"{area}{sub}"


KVK_STYLES = ("prefix", "colon", "spaced", "dotted", "nr", "nummer", "kamer", "pairs", "dashes", "upper", "dot_end",
              "split_dot", "nr_plain")


def write_kvk(rng: Random, kvk: str, style: str | None = None) -> str:
    style = style or ("plain" if rng.random() < 0.55 else rng.choice(KVK_STYLES))
    pairs = [kvk[i:i + 2] for i in range(0, 8, 2)]
    return {
        "plain": kvk, "prefix": f"KvK {kvk}", "colon": f"KvK: {kvk[:4]} {kvk[4:]}", "spaced": f"{kvk[:4]} {kvk[4:]}",
        "dotted": ".".join(pairs), "nr": f"KvK-nr. {kvk}", "nummer": f"KvK-nummer: {kvk}",
        "kamer": f"Kamer van Koophandel {kvk}", "pairs": f"KvK-nr: {' '.join(pairs)}", "dashes": f"Kvk: {'-'.join(pairs)}",
        "upper": f"KVK{kvk}", "dot_end": f"{kvk}.", "split_dot": f"KvK {kvk[:4]}.{kvk[4:]}", "nr_plain": f"KvK nr {kvk}",
        "nozero": kvk[1:] if kvk.startswith("0") else kvk,
    }[style]


def write_iban(rng: Random, iban: str, style: str | None = None) -> str:
    style = style or rng.choice(("compact", "compact", "spaced", "spaced", "spaced", "lower"))
    spaced = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    return {
        "compact": iban, "spaced": spaced, "lower": iban.lower(), "lower_spaced": spaced.lower(),
        "prefix": f"IBAN: {spaced}", "half": f"{iban[:8]} {iban[8:]}",
    }[style]


def write_website(rng: Random, domain: str, style: str | None = None) -> str:
    style = style or rng.choice(("bare", "www", "https_www", "https", "path", "query", "sub", "caps", "slash"))
    path = rng.choice(("betalen", "contact", "mijn-dossier", "klantenservice", "betaling/ideal", "over-ons"))
    return {
        "bare": domain, "www": f"www.{domain}", "https_www": f"https://www.{domain}", "https": f"https://{domain}",
        "path": f"https://www.{domain}/{path}", "query": f"https://{domain}/{path}?dossier={rng.randint(100000, 999999)}",
        "sub": f"https://{rng.choice(('mijn', 'portaal', 'betalen', 'klant'))}.{domain}/login",
        "caps": "www." + domain[0].upper() + domain[1:], "slash": f"http://{domain}/",
    }[style]


def _mistype_iban(rng: Random, iban: str) -> str:
    for _ in range(20):
        pos = rng.randint(8, len(iban) - 1)
        if not iban[pos].isdigit():
            continue
        digit = str((int(iban[pos]) + rng.randint(1, 9)) % 10)
        out = iban[:pos] + digit + iban[pos + 1:]
        if not iban_valid(out):
            return out
    return iban[:-1] + str((int(iban[-1]) + 1) % 10) if iban[-1].isdigit() else iban


# ------------------------------------------------------------------------------------------ name variations

SHORT_TYPOS = {
    "Mol": "Moll", "Moll": "Mol", "Bos": "Bosch", "Bosch": "Bos", "Vos": "Voss", "Smit": "Smid", "Smits": "Smitz",
    "Kok": "Kock", "Post": "Poost", "Prins": "Prinz", "Maas": "Maes", "Blom": "Bloem", "Vink": "Fink", "Kaya": "Kaja",
    "Jong": "Jongh", "Wit": "Witt", "Dam": "Damm", "Ven": "Venn", "Pol": "Poll", "Beek": "Beck", "Loon": "Loen",
    "Veen": "Vene", "Meer": "Mer", "Wal": "Wall", "Haan": "Hahn", "Graaf": "Graff", "Groen": "Groenn", "Evers": "Everts",
    "Onyx": "Onix", "Tulp": "Tulpp", "Argon": "Argonn", "Titan": "Tytan", "Tempo": "Tempoo", "Zenit": "Zenith",
    "Atlas": "Attlas", "Orion": "Orrion", "Libra": "Lybra", "Helix": "Helics", "Merel": "Merell", "Getij": "Getei",
    "Maas ": "Maas", "Demir": "Demirr", "Pinas": "Pinaz", "Rutten": "Ruten", "Kramer": "Cramer", "Schaap": "Schaep",
    "Ramdin": "Ramdien",
}
SPLITS = {
    "Incassobureau": "Incasso Bureau", "Debiteurenbeheer": "Debiteuren Beheer", "Administratiekantoor": "Administratie Kantoor",
    "Incassodiensten": "Incasso Diensten", "Gerechtsdeurwaarderskantoor": "Gerechtsdeurwaarders Kantoor",
    "Advocatenkantoor": "Advocaten Kantoor", "Creditmanagement": "Credit Management", "Incassokantoor": "Incasso Kantoor",
    "Debiteurenadministratie": "Debiteuren Administratie", "Deurwaarderskantoor": "Deurwaarders Kantoor",
    "Hoogendoorn": "Hoogen Doorn", "Steenbergen": "Steen Bergen", "Langeveld": "Lange Veld", "Oosterhuis": "Ooster Huis",
    "Kamphuis": "Kamp Huis", "Brinkman": "Brink Man", "Molenaar": "Molen Aar", "Nijhuis": "Nij Huis",
    "Advocatenpraktijk": "Advocaten Praktijk", "Betalingsregie": "Betalings Regie", "Schuldbeheer": "Schuld Beheer",
}
SYNONYMS = {
    "incasso": ("Incassobureau", "Incassodiensten", "Incassokantoor", "Invorderingen", "Collect"),
    "incassobureau": ("Incasso", "Incassodiensten", "Incassokantoor"),
    "incassodiensten": ("Incasso", "Incassobureau", "Incassodienst"),
    "incassokantoor": ("Incassobureau", "Incasso"),
    "debiteurenbeheer": ("Debiteurenadministratie", "Debiteurenservice", "Credit Management"),
    "debiteurenadministratie": ("Debiteurenbeheer",),
    "invorderingen": ("Vorderingen", "Inningen", "Incasso"),
    "vorderingen": ("Invorderingen", "Incasso"),
    "collect": ("Collection", "Recovery", "Incasso"),
    "recovery": ("Collect", "Recoveries"),
    "claims": ("Claim", "Collect"),
    "management": ("Beheer",),
    "creditmanagement": ("Credit Management", "Kredietbeheer"),
    "juristen": ("Juridisch", "Rechtshulp"),
    "juridisch": ("Juridische", "Juristen"),
    "rechtshulp": ("Rechtsbijstand", "Juristen"),
    "administratiekantoor": ("Administratie", "Administraties"),
    "administratie": ("Administratiekantoor", "Administraties"),
    "accountants": ("Accountancy", "Accountantskantoor"),
    "schuldbeheer": ("Betalingsregie", "Schuldzaken"),
    "betalingsregie": ("Betaalregie", "Schuldbeheer"),
    "groep": ("Group", "Holding"),
    "holding": ("Groep",),
    "partners": ("Compagnie", "Associates"),
    "services": ("Service", "Diensten"),
    "gerechtsdeurwaarders": ("Deurwaarders", "Gerechtsdeurwaarderskantoor"),
    "gerechtsdeurwaarderskantoor": ("Gerechtsdeurwaarders", "Deurwaarderskantoor"),
    "deurwaarderskantoor": ("Gerechtsdeurwaarderskantoor", "Deurwaarders"),
    "advocaten": ("Advocatenkantoor", "Advocatuur"),
    "advocatenkantoor": ("Advocaten", "Advocatuur", "Advocatenpraktijk"),
    "advocatuur": ("Advocaten", "Advocatenkantoor"),
    "advocatenpraktijk": ("Advocatenkantoor",),
}
ADD_WORDS = ("Incasso", "Juridisch", "Debiteurenbeheer", "Groep", "Holding", "Collect", "& Partners", "Administratie",
             "Incassodiensten", "Credit Management", "Invorderingen")
FULL_FORMS = {"B.V.": "Besloten Vennootschap", "BV": "Besloten Vennootschap", "N.V.": "Naamloze Vennootschap",
              "V.O.F.": "Vennootschap onder Firma", "C.V.": "Commanditaire Vennootschap", "coop": "Coöperatieve Vereniging"}


def _is_business(word: str) -> bool:
    return _strip_diacritics(word).lower().strip(".,") in _FAMILY_OF


def _family(word: str) -> str | None:
    return _FAMILY_OF.get(_strip_diacritics(word).lower().strip(".,"))


class _Vary:
    """Name variations: each takes (rng, NameParts, context) and returns the written name or None."""

    @staticmethod
    def exact(rng, p, ctx):
        return p.text()

    @staticmethod
    def form_drop(rng, p, ctx):
        return p.base if p.form else None

    @staticmethod
    def form_other(rng, p, ctx):
        options = [f for f in ("B.V.", "BV", "V.O.F.", "N.V.", "Holding B.V.", "C.V.", "B.V. i.o.", "VOF")
                   if f != p.form and not ({f, p.form} <= {"B.V.", "BV", "B.V. i.o."})]
        return f"{p.base} {rng.choice(options)}"

    @staticmethod
    def form_full(rng, p, ctx):
        full = FULL_FORMS.get(p.form)
        if not full:
            return None
        if p.form in ("B.V.", "BV") and rng.random() < 0.3:
            return f"{p.base} Besloten Vennootschap met beperkte aansprakelijkheid"
        return f"{full} {p.base}" if rng.random() < 0.3 else f"{p.base} {full}"

    @staticmethod
    def form_front(rng, p, ctx):
        if p.form in ("", "coop"):
            return None
        form = p.form if rng.random() < 0.7 else p.form.replace(".", "")
        return f"{form} {p.base}"

    @staticmethod
    def upper(rng, p, ctx):
        return p.text().upper()

    @staticmethod
    def lower(rng, p, ctx):
        return p.text().lower()

    @staticmethod
    def diacritics(rng, p, ctx):
        t = p.text()
        s = _strip_diacritics(t)
        return s if s != t else None

    @staticmethod
    def mojibake(rng, p, ctx):
        t = p.text()
        if t.isascii():
            return None
        try:
            return t.encode("utf-8").decode("cp1252")
        except UnicodeDecodeError:
            return None

    @staticmethod
    def punct(rng, p, ctx):
        t = p.text()
        options = []
        if " & " in t:
            options += [t.replace(" & ", " en "), t.replace(" & ", " + "), t.replace(" & ", "&"), t.replace(" & ", " and ")]
        if " en " in t:
            options.append(t.replace(" en ", " & "))
        if p.form in ("B.V.", "N.V.", "V.O.F."):
            options += [f"{p.base} {p.form.replace('.', '')}", f"{p.base} {p.form[:-1]}", f"{p.base}, {p.form}",
                        f"{p.base} {p.form.replace('.', '. ').strip()}"]
        words = p.base.split()
        if len(words) >= 2 and "&" not in words[:2]:
            options.append(" ".join([words[0] + "-" + words[1], *words[2:]] + ([p.form] if p.form and p.form != "coop" else [])))
            options.append(" ".join([words[0] + ",", *words[1:]] + ([p.form] if p.form and p.form != "coop" else [])))
        options.append(t + ".")
        return rng.choice(options)

    @staticmethod
    def order(rng, p, ctx):
        words = p.base.split()
        if len(words) < 2:
            return None
        form = [p.form] if p.form and p.form != "coop" else []
        if "&" in words and not any(_is_business(w) for w in words[words.index("&") + 1:words.index("&") + 2]):
            at = words.index("&")
            left, right = words[:at], words[at + 1:]
            k = 1
            while k < len(right) and not _is_business(right[k]):
                k += 1
            swapped = right[:k] + ["&"] + left + right[k:]
            return " ".join(swapped + form)
        if _is_business(words[0]):
            k = 1
            while k < len(words) - 1 and _is_business(words[k]):
                k += 1
            return " ".join(words[k:] + words[:k] + form)
        k = len(words)
        while k > 1 and (_is_business(words[k - 1]) or words[k - 1] == "&"):
            k -= 1
        if k == len(words):
            return None
        if rng.random() < 0.3:
            return " ".join(words[:k]) + ", " + " ".join(words[k:] + form)
        return " ".join(words[k:] + words[:k] + form)

    @staticmethod
    def bw_drop(rng, p, ctx):
        words = p.base.split()
        biz = [i for i, w in enumerate(words) if _is_business(w)]
        if not biz or len(biz) == len([w for w in words if w != "&"]):
            return None
        i = rng.choice(biz)
        drop = {i}
        if i > 0 and words[i - 1] == "&":
            drop.add(i - 1)
        kept = [w for k, w in enumerate(words) if k not in drop]
        if kept and kept[-1] == "&":
            kept.pop()
        if not any(not _is_business(w) and w != "&" for w in kept):
            return None
        form = [p.form] if p.form and p.form != "coop" and rng.random() < 0.5 else []
        return " ".join(kept + form)

    @staticmethod
    def bw_add(rng, p, ctx):
        words = p.base.split()
        have = {_family(w) for w in words}
        options = [w for w in ADD_WORDS if _family(w.split()[-1]) not in have]
        if not options:
            return None
        add = rng.choice(options)
        biz = [i for i, w in enumerate(words) if _is_business(w)]
        if biz and rng.random() < 0.5 and not add.startswith("&"):
            at = biz[-1]
            words = words[:at] + add.split() + words[at:]
        else:
            words = words + add.split()
        form = [p.form] if p.form and p.form != "coop" else []
        return " ".join(words + form)

    @staticmethod
    def bw_syn(rng, p, ctx):
        words = p.base.split()
        options = [i for i, w in enumerate(words) if _strip_diacritics(w).lower() in SYNONYMS]
        if not options:
            return None
        i = rng.choice(options)
        words[i] = rng.choice(SYNONYMS[_strip_diacritics(words[i]).lower()])
        form = [p.form] if p.form and p.form != "coop" else []
        return " ".join(words + form)

    @staticmethod
    def place_add(rng, p, ctx):
        plaats = ctx.get("plaats")
        if not plaats:
            return None
        info = _place_info(plaats)
        where = plaats if rng.random() < 0.8 or not info[4] else info[4]
        t = p.text() if rng.random() < 0.6 else p.base
        pattern = rng.choice(("{n} {p}", "{n} vestiging {p}", "{n} ({p})", "{p} - {n}", "{n}, {p}", "{n} te {p}"))
        return pattern.format(n=t, p=where)

    @staticmethod
    def clutter(rng, p, ctx):
        n = p.text() if rng.random() < 0.6 else p.base
        pattern = rng.choice((
            "t.a.v. {n}", "T.a.v. afdeling incasso, {n}", "namens {n}", "p/a {n}", "{n} t.a.v. debiteurenadministratie",
            "{n}, afd. Incasso", "{n} namens {c}", "Retour: {n}", "{n} (namens opdrachtgever)", "Namens: {n}",
            "{n} t.a.v. de directie", "P/A {n}", "{n} - namens cliënt {c}",
        ))
        return pattern.format(n=n, c=rng.choice(CREDITORS))

    @staticmethod
    def join(rng, p, ctx):
        words = p.base.split()
        pairs = [i for i in range(len(words) - 1) if "&" not in (words[i], words[i + 1])]
        if not pairs:
            return None
        i = rng.choice(pairs)
        a, b = words[i], words[i + 1]
        if a.lower() in ("van", "de", "den", "der") and rng.random() < 0.5:
            joined = a + b.lower()
        elif rng.random() < 0.6:
            joined = a + b[0].upper() + b[1:]
        else:
            joined = (a + b).lower()
        words = words[:i] + [joined] + words[i + 2:]
        form = [p.form] if p.form and p.form != "coop" and rng.random() < 0.6 else []
        return " ".join(words + form)

    @staticmethod
    def split(rng, p, ctx):
        core = ctx.get("core")
        t = p.text()
        if core is not None and core.split and core.text in t:
            a, b = core.split
            return t.replace(core.text, f"{a} {b.capitalize() if rng.random() < 0.6 else b}", 1)
        options = [w for w in t.split() if w in SPLITS]
        if not options:
            return None
        w = rng.choice(options)
        return t.replace(w, SPLITS[w], 1)

    @staticmethod
    def typo_short(rng, p, ctx):
        words = p.base.split()
        options = [i for i, w in enumerate(words) if w in SHORT_TYPOS and not _is_business(w)]
        if not options:
            options = [i for i, w in enumerate(words) if 3 <= len(w) <= 5 and w.isalpha() and not _is_business(w)
                       and w.lower() not in TUSSEN]
            if not options:
                return None
            i = rng.choice(options)
            w = words[i]
            words[i] = w[:-1] if len(w) > 3 and w[-1] == w[-2] else w + w[-1]
        else:
            i = rng.choice(options)
            words[i] = SHORT_TYPOS[words[i]]
        form = [p.form] if p.form and p.form != "coop" else []
        return " ".join(words + form)

    @staticmethod
    def typo_long(rng, p, ctx):
        words = p.base.split()
        options = [i for i, w in enumerate(words) if len(w) >= 8 and w.isalpha()]
        if not options:
            return None
        core = [i for i in options if not _is_business(words[i])]
        i = rng.choice(core if core and rng.random() < 0.6 else options)
        w = words[i]
        pos = rng.randint(1, len(w) - 3)
        op = rng.choice(("swap", "drop", "double"))
        if op == "swap":
            w = w[:pos] + w[pos + 1] + w[pos] + w[pos + 2:]
        elif op == "drop":
            w = w[:pos] + w[pos + 1:]
        else:
            w = w[:pos] + w[pos] + w[pos:]
        words[i] = w
        form = [p.form] if p.form and p.form != "coop" else []
        return " ".join(words + form)

    _PHONETIC = ((r"ij", "y"), (r"(?<=[a-z])y", "ij"), (r"ei", "ij"), (r"ou", "au"), (r"au", "ou"),
                 (r"C(?=[laoru])", "K"), (r"c(?=[laoru])", "k"), (r"K(?=[lar])", "C"), (r"ph", "f"), (r"dt\b", "t"),
                 (r"sch\b", "s"), (r"ks\b", "x"), (r"x\b", "ks"), (r"ck", "k"), (r"(?<=o)s\b", "sch"),
                 (r"ee(?=[^aeiou])", "e"), (r"oo(?=[^aeiou])", "o"))

    @staticmethod
    def phonetic(rng, p, ctx):
        words = p.base.split()
        order = list(range(len(words)))
        rng.shuffle(order)
        order.sort(key=lambda i: _is_business(words[i]))  # the name's own words first
        rules = list(_Vary._PHONETIC)
        rng.shuffle(rules)
        for i in order:
            for pat, rep in rules:
                new = re.sub(pat, rep, words[i], count=1)
                if new != words[i] and len(words[i]) >= 3:
                    words[i] = new
                    form = [p.form] if p.form and p.form != "coop" else []
                    return " ".join(words + form)
        return None

    @staticmethod
    def ocr(rng, p, ctx):
        t = p.text()
        rules = (("rn", "m"), ("m", "rn"), ("l", "1"), ("I", "l"), ("O", "0"), ("o", "0"), ("e", "c"), ("S", "5"),
                 ("B", "8"), ("cl", "d"), ("i", "í"), ("h", "b"))
        out = t
        for _ in range(rng.choice((1, 1, 2))):
            options = [(a, b) for a, b in rules if a in out[:len(p.base)]]
            if not options:
                break
            a, b = rng.choice(options)
            spots = [m.start() for m in re.finditer(re.escape(a), out[:len(p.base)])]
            at = rng.choice(spots)
            out = out[:at] + b + out[at + len(a):]
        return out if out != t else None

    @staticmethod
    def initials(rng, p, ctx):
        core = ctx.get("core")
        if core is None or core.person is None or core.text not in p.base:
            return None
        first, tv, stem = core.person
        sur = _surname_text(tv, stem, start=False)
        letters = "".join(c for c in rng.choice("ABCDEGHJKLMNPRSTW") if c != first[0])
        style = rng.choice(("one", "two", "comma", "nodot", "one_only"))
        if style == "one":
            repl = f"{first[0]}. {sur}"
        elif style == "two":
            repl = f"{first[0]}.{letters}. {sur}"
        elif style == "comma":
            repl = f"{_surname_text(tv, stem, start=True)}, {first[0]}."
        elif style == "nodot":
            repl = f"{first[0]} {sur}"
        else:
            return f"{first[0]}. {sur}"
        return p.text().replace(core.text, repl, 1)

    @staticmethod
    def tussen(rng, p, ctx):
        core = ctx.get("core")
        if core is None:
            return None
        t = p.text()
        for tv, stem in core.surnames:
            if not tv:
                continue
            for written in (_surname_text(tv, stem, start=True), _surname_text(tv, stem, start=False)):
                if written in t:
                    if tv in ("van den", "van der", "van de"):
                        options = ("v.d.", "vd", "v/d", "Van Der", "V.D.", "van der" if tv != "van der" else "van den",
                                   "Vd", "v.d")
                    elif tv == "van":
                        options = ("v.", "V.", "VAN", "van")
                    else:
                        options = (tv.upper(), tv.lower(), tv.capitalize())
                    choice = rng.choice([o for o in options if f"{o} {stem}" != written] or list(options))
                    return t.replace(written, f"{choice} {stem}", 1)
        return None

    @staticmethod
    def truncate(rng, p, ctx):
        t = p.text()
        widths = [w for w in (20, 24, 25, 28, 30, 32, 35) if 14 <= w < len(t) - 2]
        if not widths:
            return None
        return t[:rng.choice(widths)].rstrip(" &,-")

    @staticmethod
    def acronym(rng, p, ctx):
        words = [w for w in p.base.split() if w != "&"]
        core_words = [w for w in words if not _is_business(w)]
        biz = [w for w in words if _is_business(w)]
        letters = "".join(w[0] for w in core_words).upper()
        options = []
        if len(letters) >= 2 and biz:
            options += [f"{letters} {' '.join(biz)}", f"{'.'.join(letters)}. {' '.join(biz)}"]
            if " & " in p.base and len(core_words) == 2:
                options.append(f"{letters[0]}&{letters[1]} {' '.join(biz)}")
        all_letters = "".join(w[0] for w in words).upper()
        if len(all_letters) >= 3 and len(all_letters) <= 6:
            options.append(all_letters)
        if not options:
            return None
        out = rng.choice(options)
        return f"{out} {p.form}" if p.form and p.form != "coop" and rng.random() < 0.4 else out

    @staticmethod
    def light(rng, p, ctx):
        fn = _pick(rng, (("exact", 50), ("form_drop", 20), ("upper", 8), ("lower", 4), ("punct", 10), ("clutter", 5),
                         ("order", 3)))
        out = getattr(_Vary, fn)(rng, p, ctx)
        return out if out is not None else p.text()

    @staticmethod
    def exempt_variant(rng, p, ctx):
        fn = _pick(rng, (("bw_syn", 30), ("order", 20), ("upper", 8), ("lower", 4), ("form_drop", 6), ("place_add", 12),
                         ("clutter", 8), ("punct", 6), ("join", 3), ("split", 3)))
        return getattr(_Vary, fn)(rng, p, ctx)

    @staticmethod
    def typo_any(rng, p, ctx):
        fn = _pick(rng, (("typo_long", 45), ("typo_short", 15), ("phonetic", 25), ("ocr", 15)))
        return getattr(_Vary, fn)(rng, p, ctx)

    @staticmethod
    def collector_variant(rng, p, ctx):
        fn = _pick(rng, (("upper", 10), ("lower", 6), ("form_drop", 10), ("form_other", 5), ("bw_drop", 8),
                         ("bw_syn", 8), ("bw_add", 5), ("typo_long", 10), ("phonetic", 8), ("ocr", 5), ("join", 6),
                         ("punct", 6), ("order", 5), ("truncate", 4), ("clutter", 4)))
        return getattr(_Vary, fn)(rng, p, ctx)


# ------------------------------------------------------------------------------------------ the builder

MARGIN = 0.10
NAME_MIN = 0.70
CONTRA_OTHER = 0.90
CONTRA_OWN = 0.75
UNREG_MAX = 0.76
UNREG_OTHER = 0.75
UNIQUE_MAX = 0.93
JUDGE_FLOOR = 0.38  # competitors below this (before the address bonus of at most 0.12) never matter

_SURNAME_CUM: list[float] = []
_acc = 0.0
for _i in range(len(SURNAMES)):
    _acc += 1.0 / (_i + 1) ** 0.85
    _SURNAME_CUM.append(_acc)
_PLACE_CUM: list[float] = []
_acc = 0.0
for _i in range(len(PLACES)):
    _acc += 1.0 / (1 + _i * 0.08)
    _PLACE_CUM.append(_acc)


class _Builder:
    def __init__(self, seed: int, n_reg: int, n_exempt: int, n_coll: int, n_signals: int) -> None:
        self.rng = Random(seed)
        self.n_reg, self.n_exempt, self.n_coll, self.n_signals = n_reg, n_exempt, n_coll, n_signals
        self.index = NameIndex()
        self.regs: list[Reg] = []
        self.offices: list[Office] = []
        self.collectors: list[Collector] = []
        self.party: dict[str, object] = {}
        self.kvks: set[str] = set()
        self.domains: set[str] = set()
        self.ibans: set[str] = set()
        self.phones: set[str] = set()
        self.mailboxes: set[str] = set()
        self.entities: dict[int, list[Reg]] = {}
        self.groups: dict[int, list[Reg]] = {}
        self.group_shared: dict[int, tuple[str, str]] = {}  # group -> (shared trade name, shared domain)
        self.dropped: Counter = Counter()

    # -- primitives ---------------------------------------------------------------------------------
    def surname(self) -> tuple[str, str]:
        return self.rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]

    def place(self) -> tuple:
        return self.rng.choices(PLACES, cum_weights=_PLACE_CUM)[0]

    def new_kvk(self) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.15:
                kvk = "0" + "".join(str(rng.randint(0, 9)) for _ in range(7))
            else:
                kvk = str(_pick(rng, ((1, 1), (2, 1), (3, 2), (5, 3), (6, 4), (7, 4), (8, 5), (9, 6)))) + \
                    "".join(str(rng.randint(0, 9)) for _ in range(7))
            if kvk not in self.kvks and kvk[:7] != "0000000":
                self.kvks.add(kvk)
                return kvk

    def new_iban(self, country: str = "NL") -> str:
        rng = self.rng
        while True:
            if country == "NL":
                bban = rng.choice(NL_BANKS) + "".join(str(rng.randint(0, 9)) for _ in range(10))
            else:
                letters, n = FOREIGN_IBAN[country]
                bban = letters + "".join(str(rng.randint(0, 9)) for _ in range(n))
            iban = country + _iban_check(country, bban) + bban
            if iban not in self.ibans:
                self.ibans.add(iban)
                return iban

    def new_phone(self, area: str) -> tuple[str, str]:
        rng = self.rng
        while True:
            if area.startswith("+"):
                sub = "".join(str(rng.randint(0, 9)) for _ in range(9 if area != "+44" else 10))
            else:
                n = 10 - len(area)
                sub = str(rng.randint(1, 9) if area != "06" else rng.randint(1, 6)) + \
                    "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
            key = area + sub
            if key not in self.phones:
                self.phones.add(key)
                return area, sub

    def new_domain(self, stem: str, tlds: tuple[str, ...] = (".nl", ".nl", ".nl", ".com", ".eu")) -> str:
        rng = self.rng
        stem = stem.strip("-")[:40] or "incasso"
        for attempt in range(30):
            tail = "" if attempt == 0 else rng.choice(("-incasso", "incasso", "-nl", "-online", "-bv", str(attempt)))
            domain = f"{stem}{tail}{rng.choice(tlds)}"
            if domain not in self.domains:
                self.domains.add(domain)
                return domain
        raise RuntimeError("no free domain")

    def new_freemail(self, slug: str, tails: tuple[str, ...]) -> str:
        """A free-mail address nobody else uses (the provider's domain is shared, the address is not)."""
        rng = self.rng
        for attempt in range(50):
            tail = rng.choice(tails) if attempt < 10 else str(rng.randint(100, 9999))
            address = f"{slug}{tail}@{rng.choice(FREE_MAIL)}"
            if address not in self.mailboxes:
                self.mailboxes.add(address)
                return address
        raise RuntimeError("no free mailbox")

    def postcode(self, plaats: str) -> str:
        prefix = _place_info(plaats)[2]
        letters = "ABCEGHJKLMNPRTVWXZ"
        return f"{prefix}{self.rng.randint(10, 99)} {self.rng.choice(letters)}{self.rng.choice(letters)}"

    def make_core(self, kind: str) -> Core:
        rng = self.rng
        if kind == "surname":
            tv, stem = self.surname()
            return Core(_surname_text(tv, stem, start=True), kind, ((tv, stem),))
        if kind == "two":
            a = self.surname()
            b = self.surname()
            while b[1] == a[1]:
                b = self.surname()
            return Core(f"{_surname_text(*a, start=True)} & {_surname_text(*b, start=True)}", kind, (a, b))
        if kind == "person":
            first = rng.choice(FIRST_NAMES)
            tv, stem = self.surname()
            return Core(f"{first} {_surname_text(tv, stem, start=False)}", kind, ((tv, stem),), (first, tv, stem))
        if kind == "brand":
            a = rng.choice(BRAND_PREFIX)
            b = rng.choice(BRAND_SUFFIX)
            while b in a.lower():
                b = rng.choice(BRAND_SUFFIX)
            return Core(a + b, kind, split=(a, b))
        if kind == "coin":
            head, tail = rng.choice(COIN_HEAD), rng.choice(COIN_TAIL)
            text = head + (tail.capitalize() if rng.random() < 0.3 else tail)
            return Core(text, kind)
        if kind == "word":
            return Core(rng.choice(BRAND_WORDS), kind)
        if kind == "place":
            if rng.random() < 0.6:
                return Core(self.place()[0], kind)
            region = rng.choice(REGIONS)
            return Core(region[0], kind)
        if kind == "adjective":
            options = [p[5] for p in PLACES if p[5]] + [r[1] for r in REGIONS if r[1]]
            return Core(rng.choice(options), kind)
        if kind == "acronym":
            return Core("".join(rng.choice("ABCDEFGHJKLMNPRSTVW") for _ in range(rng.choice((2, 3, 3, 4)))), kind)
        raise ValueError(kind)

    def base_from(self, core: Core, templates: tuple) -> str:
        rng = self.rng
        for _ in range(20):
            template = _pick(rng, templates)
            if core.kind in ("two",) and "&" in template.replace("{c}", ""):
                continue
            if core.kind == "adjective" and not template.startswith("{c}"):
                continue
            if core.kind == "place" and template.startswith("{c}") and rng.random() < 0.6:
                continue
            return template.format(c=core.text)
        return f"{core.text} Incasso"

    def too_close(self, text: str, places: tuple[str, ...], *, skip: tuple[str, ...] = (), unreg: bool = False) -> bool:
        f = fold(text)
        if not any(t[1] in "DFGP" for t in f.toks):
            return True
        words = [t for t in f.toks if t[1] in "DGP"]
        for pid, s in self.index.best_by_party(f, 0.5 if unreg else min(UNREG_MAX, UNREG_OTHER)).items():
            if pid in skip:
                continue
            if unreg and pid[0] in "RE" and s >= 0.5 and self.index.covers(pid, words):
                return True
            if unreg:
                if (pid[0] in "RE" and s >= UNREG_MAX) or (pid[0] == "U" and s >= UNREG_OTHER):
                    return True
            elif s >= UNIQUE_MAX or (pid[0] == "U" and s >= UNREG_MAX):
                return True
        return False

    def core_taken(self, core: Core) -> bool:
        """A brand word, coinage or acronym names one party only (surnames and places are shared)."""
        if core.kind not in ("brand", "coin", "word", "acronym"):
            return False
        return any(t[0] in self.index.keys for t in fold(core.text).toks if t[1] in "DG")

    def add_names(self, pid: str, names: list[str], plaats: str) -> None:
        places = _places_tokens(plaats)
        for n in names:
            self.index.add(pid, n, places)

    # -- registrations ------------------------------------------------------------------------------
    def reg_start(self) -> date:
        rng = self.rng
        x = rng.random()
        if x < 0.12:
            d = _rand_date(rng, date(2024, 4, 2), date(2024, 12, 31))
        elif x < 0.50:
            d = _rand_date(rng, date(2025, 1, 2), date(2025, 3, 31))
        elif x < 0.63:
            d = _rand_date(rng, date(2025, 4, 1), date(2025, 6, 30))
        else:
            d = _rand_date(rng, date(2025, 7, 1), date(2026, 11, 25))
        return min(_weekday(d), date(2026, 11, 27))

    def reg_core_kind(self) -> str:
        return _pick(self.rng, (("surname", 28), ("two", 9), ("person", 10), ("brand", 24), ("coin", 10), ("word", 3),
                                ("place", 6), ("adjective", 4), ("acronym", 4)))

    def reg_name(self, core: Core | None = None, *, skip: tuple[str, ...] = (), suffix: str = "") -> tuple[Core, NameParts]:
        rng = self.rng
        for attempt in range(60):
            c = core if core is not None and attempt < 20 else self.make_core(self.reg_core_kind())
            if c is not core and self.core_taken(c):
                continue
            templates = REG_TEMPLATES + (SURNAME_ONLY_TEMPLATES if c.kind == "surname" else ())
            base = self.base_from(c, templates) + suffix
            form = _pick(rng, LEGAL_FORMS)
            if c.kind == "person" and rng.random() < 0.7:
                form = ""
            parts = NameParts(base, form)
            if not self.too_close(parts.text(), (), skip=skip):
                return c, parts
        return c, parts

    def new_reg(self, core: Core, parts: NameParts, *, entity: int | None = None, kvk: str | None = None,
                start: date | None = None, plaats: str | None = None) -> Reg:
        rng = self.rng
        idx = len(self.regs)
        pid = f"R{idx}"
        entity = idx if entity is None else entity
        reg = Reg(idx=idx, pid=pid, entity=entity, core=core, kvk=kvk or self.new_kvk(), start=start or self.reg_start())
        reg.legal = [(parts, reg.start, None)]
        place = _place_info(plaats) if plaats else self.place()
        reg.plaats = place[0]
        reg.postcode = self.postcode(reg.plaats)
        reg.straat = rng.choice(STREETS)
        reg.huisnummer = str(rng.randint(1, 250)) + rng.choice(("", "", "", "", "a", "b", "-3", " A"))
        if rng.random() < 0.6:
            reg.vestiging = f"{rng.randint(1, 99999999):012d}"
        reg.weight = min(rng.paretovariate(1.3), 25.0)
        self.regs.append(reg)
        self.party[pid] = reg
        self.entities.setdefault(entity, []).append(reg)
        return reg

    def give_contacts(self, reg: Reg, *, domain: str | None = None) -> None:
        rng = self.rng
        s = reg.start
        slug = _slug(reg.core.text)
        if domain or rng.random() < 0.72:
            if not domain:
                biz = [w for w in reg.final_legal.base.split() if _is_business(w)]
                generic = reg.core.kind in ("place", "adjective", "word", "acronym")
                stem = slug + (("-" if rng.random() < 0.5 else "") + _slug(biz[0]) if biz and (generic or rng.random() < 0.5) else "")
                domain = self.new_domain(stem)
            stored = rng.choice((domain, domain, f"https://www.{domain}", f"www.{domain}"))
            reg.websites.append((stored, domain, s))
            reg.emails.append((f"{rng.choice(('info', 'info', 'contact', 'debiteuren', 'incasso', 'administratie'))}@{domain}", s))
            if rng.random() < 0.1:
                other = self.new_domain(slug + rng.choice(("-betalen", "-online", "-portaal")), (".nl", ".com"))
                reg.websites.append((other, other, s))
        if (not reg.emails or rng.random() < 0.08) and rng.random() < 0.6:
            reg.emails.append((self.new_freemail(slug, ("", ".incasso", "1", ".nl")), s))
        area = _place_info(reg.plaats)[1]
        if rng.random() < 0.85:
            ph = self.new_phone("06" if reg.core.kind == "person" and rng.random() < 0.5 else area)
            reg.phones.append((ph, rng.choice(("dash", "dash", "intl", "compact", "paren")), s))
        if rng.random() < 0.12:
            reg.phones.append((self.new_phone(rng.choice(("088", "085"))), "dash", s))
        n_iban = _pick(rng, ((0, 18), (1, 64), (2, 15), (3, 3)))
        for _ in range(n_iban):
            country = "NL" if rng.random() < 0.9 else rng.choice(("BE", "DE", "LU"))
            iban = self.new_iban(country)
            reg.ibans.append((iban, iban if rng.random() < 0.8 else write_iban(rng, iban, "spaced"), s))
        if rng.random() < 0.55:
            reg.unlisted_ibans.append(self.new_iban("NL"))

    def evolve(self, reg: Reg) -> None:
        """Changes over time: identifiers and trade names added, trade names dropped, renames."""
        rng = self.rng
        first = reg.start + timedelta(days=30)
        if first >= LAST_CHANGE:
            return
        if rng.random() < 0.22:
            since = _rand_date(rng, first, LAST_CHANGE)
            what = rng.choice(("website", "iban", "phone", "email"))
            if what == "website" and not reg.websites:
                domain = self.new_domain(_slug(reg.core.text))
                reg.websites.append((domain, domain, since))
                reg.emails.append((f"info@{domain}", since))
            elif what == "iban":
                iban = self.new_iban("NL")
                reg.ibans.append((iban, iban, since))
            elif what == "phone":
                reg.phones.append((self.new_phone(_place_info(reg.plaats)[1]), "dash", since))
            elif reg.websites:
                reg.emails.append((f"klantenservice@{reg.websites[0][1]}", since))

    def build_registrations(self) -> None:
        rng = self.rng
        n = self.n_reg
        n_groups = max(2, round(0.018 * n))
        n_rereg = max(2, round(0.010 * n))
        n_look = max(2, round(0.008 * n))
        n_single = n - 2 * (n_groups + n_rereg + n_look)
        # pilot registrations on the day the Wki came into force, so that the first snapshot is not empty
        for i in range(n_single):
            core, parts = self.reg_name()
            reg = self.new_reg(core, parts, start=WKI_START if i < 4 else None)
            self.finish_reg(reg)
        for g in range(n_groups):
            core = self.make_core(rng.choice(("surname", "brand", "word", "two")))
            shared = f"{core.text} {rng.choice(('Groep', 'Incasso', 'Incasso Groep', 'Credit Group'))}"
            if self.too_close(shared, ()):
                core = self.make_core("brand")
                shared = f"{core.text} Groep"
            style = rng.random() < 0.5
            start = self.reg_start()
            domain = self.new_domain(_slug(core.text) + "groep")
            self.group_shared[g] = (shared, domain)
            members = []
            for k, (suffix, biz) in enumerate(((" Noord", "Incasso"), (" Zuid", "Credit Management"))):
                base = f"{core.text} Incasso{suffix}" if style else f"{core.text} {biz}"
                parts = NameParts(base, "B.V.")
                reg = self.new_reg(core, parts, start=start, plaats=self.place()[0])
                reg.group = g
                reg.trade.append((shared, start, None))
                members.append(reg)
                self.give_contacts(reg, domain=domain if k == 0 else None)
                if k == 1:
                    reg.websites.insert(0, (domain, domain, start))
            self.groups[g] = members
            for reg in members:
                self.evolve(reg)
                self.add_names(reg.pid, reg.listed_names(HISTORY_DATES), reg.plaats)
        for _ in range(n_rereg):
            core, parts = self.reg_name()
            start = _weekday(_rand_date(rng, date(2024, 4, 2), date(2025, 8, 1)))
            r1 = self.new_reg(core, parts, start=start)
            r1.status, r1.end = "verlopen", _add_years(start, 1)
            self.give_contacts(r1)
            start2 = min(_weekday(r1.end + timedelta(days=rng.randint(20, 150))), date(2026, 11, 27))
            r2 = self.new_reg(core, parts, entity=r1.entity, kvk=r1.kvk, start=start2, plaats=r1.plaats)
            r2.postcode, r2.straat, r2.huisnummer, r2.vestiging = r1.postcode, r1.straat, r1.huisnummer, r1.vestiging
            r2.websites = [(w, d, start2) for w, d, _ in r1.websites]
            r2.emails = [(e, start2) for e, _ in r1.emails]
            r2.phones = [(ph, st, start2) for ph, st, _ in r1.phones]
            r2.ibans = [(i, st, start2) for i, st, _ in r1.ibans]
            r2.unlisted_ibans = list(r1.unlisted_ibans)
            r2.weight = r1.weight
            for reg in (r1, r2):
                self.add_names(reg.pid, reg.listed_names(HISTORY_DATES), reg.plaats)
        pairs = list(LOOKALIKE_PAIRS)
        rng.shuffle(pairs)
        for k in range(n_look):
            a, b = pairs[k % len(pairs)]
            template = _pick(rng, (("{c} Incasso", 4), ("Incassobureau {c}", 3), ("{c} Debiteurenbeheer", 2),
                                   ("{c} Credit Management", 2), ("{c} Invorderingen", 1)))
            made = []
            for tv, stem in (a, b):
                core = Core(_surname_text(tv, stem, start=True), "surname", ((tv, stem),))
                parts = NameParts(template.format(c=core.text), rng.choice(("B.V.", "B.V.", "", "V.O.F.")))
                reg = self.new_reg(core, parts)
                reg.flags.append("lookalike")
                made.append(reg)
            for reg in made:
                self.finish_reg(reg, index=False)
            for reg in made:
                self.add_names(reg.pid, reg.listed_names(HISTORY_DATES), reg.plaats)

    def finish_reg(self, reg: Reg, *, index: bool = True) -> None:
        rng = self.rng
        u = rng.random()
        if reg.start <= date(2025, 11, 28) and u < 0.065:
            years = 2 if reg.start <= date(2024, 11, 28) and rng.random() < 0.3 else 1
            reg.status, reg.end = "verlopen", _add_years(reg.start, years)
        elif u < 0.115 and reg.start <= date(2026, 10, 1):
            reg.status = "doorgehaald"
            reg.end = _weekday(_rand_date(rng, max(reg.start + timedelta(days=45), date(2024, 7, 1)), date(2026, 11, 26)))
        self.give_contacts(reg)
        # trade names
        n_trade = _pick(rng, ((0, 40), (1, 35), (2, 18), (3, 7)))
        parts = reg.final_legal
        for _ in range(n_trade):
            kind = _pick(rng, (("bare", 30), ("other_bw", 30), ("acronym", 10), ("brand", 20), ("core", 10)))
            if kind == "bare":
                tn = parts.base if parts.form else None
            elif kind == "other_bw":
                tn = self.base_from(reg.core, REG_TEMPLATES)
            elif kind == "acronym":
                letters = "".join(w[0] for w in parts.base.split() if w != "&").upper()
                tn = f"{letters} {rng.choice(('Collect', 'Incasso', 'Credit Management'))}" if len(letters) >= 2 else None
            elif kind == "brand":
                tn = self.base_from(self.make_core(rng.choice(("brand", "word", "coin"))), REG_TEMPLATES)
            else:
                tn = reg.core.text if reg.core.kind in ("brand", "word", "coin", "two") else None
            if not tn or tn in [t for t, _, _ in reg.trade] or tn == parts.text():
                continue
            if self.too_close(tn, (), skip=(reg.pid,)):
                continue
            reg.trade.append((tn, reg.start, None))
        # changes over time
        first = reg.start + timedelta(days=30)
        if first < LAST_CHANGE:
            if rng.random() < 0.10:
                tn = self.base_from(self.make_core(rng.choice(("brand", "word"))), REG_TEMPLATES)
                if not self.too_close(tn, (), skip=(reg.pid,)):
                    reg.trade.append((tn, _rand_date(rng, first, LAST_CHANGE), None))
            if rng.random() < 0.05:
                tn = self.base_from(self.make_core(rng.choice(("brand", "word", "coin"))), REG_TEMPLATES)
                until = _rand_date(rng, reg.start + timedelta(days=120), LAST_CHANGE)
                if until > reg.start + timedelta(days=100) and not self.too_close(tn, (), skip=(reg.pid,)):
                    reg.trade.append((tn, reg.start, until))
            rename_from = max(reg.start + timedelta(days=120), date(2025, 6, 1))
            if rng.random() < 0.045 and rename_from < LAST_CHANGE and (reg.end is None or reg.end > rename_from + timedelta(days=10)):
                when = _rand_date(rng, rename_from, min(LAST_CHANGE, reg.end - timedelta(days=1)) if reg.end else LAST_CHANGE)
                if rng.random() < 0.5:
                    new_core, new_parts = self.reg_name(skip=(reg.pid,))
                else:
                    new_core = reg.core
                    new_parts = NameParts(self.base_from(reg.core, REG_TEMPLATES), parts.form)
                if new_parts.text() != parts.text() and not self.too_close(new_parts.text(), (), skip=(reg.pid,)):
                    reg.legal = [(parts, reg.start, when), (new_parts, when, None)]
                    reg.renamed_on = when
                    reg.flags.append("renamed")
                    if new_core is not reg.core:
                        reg.flags.append("new_core")
                    if rng.random() < 0.4:
                        reg.trade.append((parts.base, when, None))
                        reg.flags.append("old_name_kept")
        self.evolve(reg)
        if index:
            self.add_names(reg.pid, reg.listed_names(HISTORY_DATES), reg.plaats)

    def number_registrations(self) -> None:
        order = sorted(self.regs, key=lambda r: (r.start, r.idx))
        per_year: Counter = Counter()
        for reg in order:
            per_year[reg.start.year] += 1
            reg.nummer = f"R{reg.start.year}-{per_year[reg.start.year]:05d}"

    # -- exempt offices -----------------------------------------------------------------------------
    def build_offices(self) -> None:
        rng = self.rng
        firm = 0
        while len(self.offices) < self.n_exempt:
            beroep = "gerechtsdeurwaarder" if rng.random() < 0.55 else "advocaat"
            templates = BAILIFF_TEMPLATES if beroep == "gerechtsdeurwaarder" else LAWYER_TEMPLATES
            for _ in range(40):
                kind = _pick(rng, (("surname", 45), ("two", 25), ("person", 8), ("word", 8), ("brand", 6), ("place", 8)))
                core = self.make_core(kind)
                if self.core_taken(core):
                    continue
                naam = self.base_from(core, templates)
                if not self.too_close(naam, ()):
                    break
            parts = NameParts(naam[:-5], "B.V.") if naam.endswith(" B.V.") else NameParts(naam, "")
            place = self.place()[0] if core.kind != "place" or core.text not in [p[0] for p in PLACES] else core.text
            n_offices = 2 if rng.random() < 0.06 and len(self.offices) < self.n_exempt - 1 else 1
            websites: list = []
            if rng.random() < 0.7:
                domain = self.new_domain(_slug(core.text) + rng.choice(("", "-advocaten" if beroep == "advocaat" else
                                                                         "-deurwaarders", "gdw" if beroep != "advocaat" else "law")))
                websites.append((rng.choice((domain, f"https://www.{domain}", f"www.{domain}")), domain))
            for k in range(n_offices):
                idx = len(self.offices)
                office = Office(idx=idx, pid=f"E{idx}", core=core, naam=naam, beroep=beroep, firm=firm,
                                kvk=self.new_kvk() if rng.random() < 0.85 else "", plaats=place, websites=list(websites),
                                weight=min(rng.paretovariate(1.4), 20.0), parts=parts)
                if k == 1:
                    office.plaats = self.place()[0]
                    while office.plaats == place:
                        office.plaats = self.place()[0]
                    office.kvk = self.new_kvk()
                if not websites and rng.random() < 0.15:
                    domain = self.new_domain(_slug(core.text))
                    office.late_website = (domain, domain)
                self.offices.append(office)
                self.party[office.pid] = office
                names = [naam]
                self.add_names(office.pid, names, office.plaats)
            firm += 1

    def surname_trade_names(self) -> None:
        """Some firms carry another firm's surname as a trade name (a taken-over practice)."""
        rng = self.rng
        owners = [r for r in self.regs if r.core.kind in ("brand", "word", "coin") and r.group is None
                  and len(self.entities[r.entity]) == 1]
        targets = [p for p in [*self.regs, *self.offices] if p.core.kind == "surname"]
        rng.shuffle(owners)
        wanted = max(2, round(0.008 * self.n_reg))
        done = 0
        for reg in owners:
            if done >= wanted or not targets:
                break
            other = rng.choice(targets)
            name = other.parts.base if isinstance(other, Office) else other.final_legal.base
            fams = {_family(w) for w in name.split()}
            options = [w for w in ("Incasso", "Invorderingen", "Debiteurenbeheer", "Credit Management", "Collect")
                       if _family(w.split()[0]) not in fams]
            if not options:
                continue
            tn = f"{other.core.text} {rng.choice(options)}"
            if self.too_close(tn, (), skip=(reg.pid,)):
                continue
            reg.trade.append((tn, reg.start, None))
            reg.flags.append("surname_trade")
            reg.special_trade = tn  # type: ignore[attr-defined]
            self.add_names(reg.pid, [tn], reg.plaats)
            done += 1

    # -- unregistered collectors --------------------------------------------------------------------
    def collector_name(self, templates: tuple, kinds: tuple, *, must_have: tuple[str, str] | None = None) -> tuple[Core, NameParts] | None:
        rng = self.rng
        for _ in range(60):
            if must_have is not None:
                other = self.surname()
                while other[1] == must_have[1]:
                    other = self.surname()
                if rng.random() < 0.7:
                    pair = (must_have, other) if rng.random() < 0.5 else (other, must_have)
                    core = Core(f"{_surname_text(*pair[0], start=True)} & {_surname_text(*pair[1], start=True)}", "two", pair)
                else:
                    first = rng.choice(FIRST_NAMES)
                    core = Core(f"{first} {_surname_text(*must_have, start=False)}", "person", (must_have,),
                                (first, *must_have))
            else:
                core = self.make_core(_pick(rng, kinds))
                if self.core_taken(core):
                    continue
            base = self.base_from(core, templates)
            parts = NameParts(base, _pick(rng, (("", 55), ("B.V.", 25), ("BV", 6), ("Ltd", 6), ("V.O.F.", 4), ("LLC", 2))))
            if not self.too_close(parts.text(), (), unreg=True):
                return core, parts
        return None

    def new_collector(self, ctype: str, names: list[NameParts], cores: list[Core]) -> Collector:
        rng = self.rng
        idx = len(self.collectors)
        c = Collector(idx=idx, pid=f"U{idx}", cid=f"V{idx + 1:04d}", ctype=ctype, names=names, cores=cores)
        n_iban = 1 + (rng.random() < 0.35) + (rng.random() < 0.12)
        for _ in range(n_iban):
            foreign = rng.random() < 0.4
            c.ibans.append(self.new_iban(rng.choice(tuple(FOREIGN_IBAN)) if foreign else "NL"))
        slug = _slug(cores[0].text)
        if rng.random() < 0.5:
            c.domains.append(self.new_domain(slug, (".nl", ".com", ".eu", ".online", ".info", ".net", ".biz", ".nu")))
            if rng.random() < 0.2:
                c.domains.append(self.new_domain(slug + rng.choice(("-betalen", "-dossier", "pay")), (".com", ".online")))
        for _ in range(1 + (rng.random() < 0.3)):
            if c.domains and rng.random() < 0.4:
                c.emails.append(f"{rng.choice(('info', 'incasso', 'dossier', 'betalingen', 'noreply'))}@{rng.choice(c.domains)}")
            else:
                c.emails.append(self.new_freemail(slug, ("", ".incasso", "incasso", ".nl", str(rng.randint(1, 99)), ".dossier")))
        for _ in range(_pick(rng, ((0, 30), (1, 55), (2, 15)))):
            area = _pick(rng, (("06", 50), ("085", 15), ("088", 5), ("+44", 12), ("+32", 8), ("+49", 6), ("+34", 4)))
            c.phones.append(self.new_phone(area))
        if rng.random() < 0.55:
            c.plaats = self.place()[0]
            c.postcode = self.postcode(c.plaats)
        self.collectors.append(c)
        self.party[c.pid] = c
        self.add_names(c.pid, [n.text() for n in names], c.plaats)
        return c

    def build_collectors(self) -> None:
        rng = self.rng
        n = self.n_coll
        counts = {"kloon": max(2, round(0.08 * n)), "nep_deurwaarder": max(2, round(0.06 * n)),
                  "kvk_firma": max(3, round(0.18 * n)), "lookalike": max(1, round(0.03 * n)),
                  "lijkt_op": max(2, round(0.05 * n)), "naamgenoot": max(3, round(0.10 * n))}
        counts["gewoon"] = max(1, n - sum(counts.values()))
        # clones of registered agencies
        popular = sorted(self.regs, key=lambda r: (-r.weight, r.idx))
        cloned: set[int] = set()
        for _ in range(counts["kloon"]):
            for _ in range(20):
                reg = rng.choice([r for r in popular[: max(20, len(popular) // 4)] if r.entity not in cloned])
                names = [reg.final_legal]
                trades = reg.trade_at(LATE_SNAPSHOT)
                if trades and rng.random() < 0.4:
                    names = [NameParts(rng.choice(trades))]
                if rng.random() < 0.3:
                    names.append(NameParts(names[0].base + " Nederland", ""))
                if not any(self.near_collector(n.text()) for n in names):
                    break
            cloned.add(reg.entity)
            c = self.new_collector("kloon", names, [reg.core] * len(names))
            c.clone_of = reg
            c.kvk = self.new_far_kvk(reg.kvk)
            c.domains = [self.new_domain(_slug(reg.core.text) + rng.choice(("-betalen", "-incasso-nl", "-service", "online")),
                                         (".com", ".eu", ".online", ".net"))]
        # look-alikes that resemble a registered name by one letter: only their own KvK tells them apart
        regs_look = [r for r in self.regs if r.core.kind == "surname" and "lookalike" not in r.flags]
        pairs = {a: b for a, b in LOOKALIKE_PAIRS} | {b: a for a, b in LOOKALIKE_PAIRS}
        made = 0
        for reg in regs_look:
            if made >= counts["lookalike"]:
                break
            other = pairs.get(reg.core.surnames[0])
            if other is None or reg.entity in cloned:
                continue
            text = _surname_text(*other, start=True)
            if any(o.core.text == text for o in self.offices):
                continue
            base = reg.final_legal.base.replace(reg.core.text, text, 1)
            if self.near_collector(base):
                continue
            c = self.new_collector("lookalike", [NameParts(base, "")], [Core(text, "surname", (other,))])
            c.clone_of = reg
            c.kvk = self.new_far_kvk(reg.kvk)
            cloned.add(reg.entity)
            made += 1
        counts["gewoon"] += counts["lookalike"] - made
        # names that resemble a registered one but differ in a distinctive word
        made = 0
        candidates = [r for r in self.regs if r.core.kind in ("brand", "surname")]
        rng.shuffle(candidates)
        for reg in candidates:
            if made >= counts["lijkt_op"]:
                break
            if reg.core.kind == "brand":
                a, b = reg.core.split
                if rng.random() < 0.5:
                    nb = rng.choice([s for s in BRAND_SUFFIX if s != b and s not in a.lower()])
                    core = Core(a + nb, "brand", split=(a, nb))
                else:
                    na = rng.choice([p for p in BRAND_PREFIX if p != a and b not in p.lower()])
                    core = Core(na + b, "brand", split=(na, b))
            else:
                stem = reg.core.surnames[0][1]
                options = [s for s in SURNAMES if s[1][0] == stem[0] and s[1] != stem]
                if not options:
                    continue
                pick = rng.choice(options)
                core = Core(_surname_text(*pick, start=True), "surname", (pick,))
            base = reg.final_legal.base.replace(reg.core.text, core.text, 1)
            if base == reg.final_legal.base:
                continue
            parts = NameParts(base, reg.final_legal.form if rng.random() < 0.5 else "")
            if self.too_close(parts.text(), (), unreg=True):
                continue
            c = self.new_collector("lijkt_op", [parts], [core])
            c.resembles = reg  # type: ignore[attr-defined]
            made += 1
        counts["gewoon"] += counts["lijkt_op"] - made
        # namesakes: a surname shared with registered and exempt parties
        stems_r = {s for r in self.regs for s in r.core.surnames}
        stems_e = {s for o in self.offices for s in o.core.surnames}
        shared = sorted(stems_r & stems_e, key=lambda s: (SURNAMES.index(s) if s in SURNAMES else 999, s))
        made = 0
        for k in range(counts["naamgenoot"]):
            if not shared:
                break
            stem = shared[k % len(shared)]
            got = self.collector_name(UNREG_TEMPLATES, (), must_have=stem)
            if got is None:
                continue
            c = self.new_collector("naamgenoot", [got[1]], [got[0]])
            self.add_alt_names(c)
            made += 1
        counts["gewoon"] += counts["naamgenoot"] - made
        for _ in range(counts["nep_deurwaarder"]):
            got = self.collector_name(FAKE_BAILIFF_TEMPLATES, (("brand", 3), ("two", 3), ("word", 2), ("coin", 1)))
            if got is not None:
                self.new_collector("nep_deurwaarder", [got[1]], [got[0]])
        for _ in range(counts["kvk_firma"]):
            got = self.collector_name(UNREG_TEMPLATES, (("surname", 2), ("two", 3), ("brand", 3), ("coin", 2),
                                                        ("word", 2), ("person", 2)))
            if got is None:
                continue
            core, parts = got
            parts = NameParts(parts.base, rng.choice(("B.V.", "B.V.", "", "V.O.F.")))
            if self.too_close(parts.text(), (), unreg=True):
                continue
            c = self.new_collector("kvk_firma", [parts], [core])
            c.kvk = self.new_kvk()
            if not c.plaats:
                c.plaats = self.place()[0]
                c.postcode = self.postcode(c.plaats)
        for _ in range(counts["gewoon"]):
            got = self.collector_name(UNREG_TEMPLATES, (("surname", 1), ("two", 3), ("brand", 4), ("coin", 4),
                                                        ("word", 3), ("person", 2), ("acronym", 1)))
            if got is None:
                continue
            c = self.new_collector("gewoon", [got[1]], [got[0]])
            if rng.random() < 0.2:
                c.kvk = self.new_kvk()
            self.add_alt_names(c)

    def add_alt_names(self, c: Collector) -> None:
        rng = self.rng
        for _ in range(_pick(rng, ((0, 70), (1, 22), (2, 8)))):
            got = self.collector_name(UNREG_TEMPLATES, (("brand", 3), ("coin", 3), ("word", 2), ("two", 1)))
            if got is None:
                continue
            c.names.append(got[1])
            c.cores.append(got[0])
            self.add_names(c.pid, [got[1].text()], c.plaats)

    def near_collector(self, text: str) -> bool:
        """Two collectors may never be linkable by name."""
        return any(pid[0] == "U" and s >= UNREG_OTHER for pid, s in self.index.best_by_party(fold(text), UNREG_OTHER).items())

    def new_far_kvk(self, kvk: str) -> str:
        while True:
            new = self.new_kvk()
            if sum(a != b for a, b in zip(new, kvk, strict=True)) >= 4:
                return new


# ------------------------------------------------------------------------------------------ the judge (guard)


@dataclass
class Evidence:
    naam: str = ""
    kvk: str = ""
    iban: str = ""
    website: str = ""
    email: str = ""
    telefoon: str = ""
    postcode: str = ""
    plaats: str = ""
    omschrijving_extra: str = ""

    def has_identifier(self) -> bool:
        return bool(self.kvk or self.iban or self.website or self.email or self.telefoon)


class _Judge:
    """A careful inspector's reading of the written evidence; see the module docstring."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.ids: dict[tuple[str, str], list[str]] = {}
        for reg in b.regs:
            self._add(("kvk", reg.kvk), reg.pid)
            for iban, _, _ in reg.ibans:
                self._add(("iban", iban), reg.pid)
            for _, domain, _ in reg.websites:
                self._add(("dom", domain), reg.pid)
            for address, _ in reg.emails:
                domain = norm_domain(address)
                self._add(("mail", address.lower()) if domain in FREE_MAIL_SET else ("dom", domain), reg.pid)
            for phone, _, _ in reg.phones:
                self._add(("tel", norm_phone("".join(phone))), reg.pid)
        for office in b.offices:
            if office.kvk:
                self._add(("kvk", office.kvk), office.pid)
            for _, domain in office.websites + ([office.late_website] if office.late_website else []):
                self._add(("dom", domain), office.pid)
        for c in b.collectors:
            if c.kvk:
                self._add(("kvk", c.kvk), c.pid)
            for iban in c.ibans:
                self._add(("iban", iban), c.pid)
            for domain in c.domains:
                self._add(("dom", domain), c.pid)
            for address in c.emails:
                domain = norm_domain(address)
                self._add(("mail", address.lower()) if domain in FREE_MAIL_SET else ("dom", domain), c.pid)
            for phone in c.phones:
                self._add(("tel", norm_phone("".join(phone))), c.pid)
        self.final_names: dict[str, list[Folded]] = {}
        self.places: dict[str, tuple[str, ...]] = {}
        for reg in b.regs:
            self.final_names[reg.pid] = [fold(n) for n in reg.listed_names(FINAL_DATES)]
            self.places[reg.pid] = _places_tokens(reg.plaats)
        for office in b.offices:
            self.final_names[office.pid] = [fold(office.naam)]
            self.places[office.pid] = _places_tokens(office.plaats)
        for c in b.collectors:
            self.final_names[c.pid] = [fold(n.text()) for n in c.names]
            self.places[c.pid] = _places_tokens(c.plaats)

    def _add(self, key: tuple[str, str], pid: str) -> None:
        bucket = self.ids.setdefault(key, [])
        if pid not in bucket:
            bucket.append(pid)

    def id_keys(self, ev: Evidence) -> list[tuple[str, str]]:
        keys = []
        if ev.kvk and (k := norm_kvk(ev.kvk)):
            keys.append(("kvk", k))
        if ev.iban and (i := norm_iban(ev.iban)):
            keys.append(("iban", i))
        if ev.website:
            keys.append(("dom", norm_domain(ev.website)))
        if ev.email:
            domain = norm_domain(ev.email)
            keys.append(("mail", ev.email.strip().lower()) if domain in FREE_MAIL_SET else ("dom", domain))
        if ev.telefoon:
            keys.append(("tel", norm_phone(ev.telefoon)))
        return keys

    def bonus(self, ev: Evidence, party: object) -> float:
        postcode = getattr(party, "postcode", "")
        plaats = getattr(party, "plaats", "")
        if ev.postcode and postcode and ev.postcode.replace(" ", "").upper() == postcode.replace(" ", ""):
            return 0.12
        if ev.plaats and plaats and _canon_plaats(ev.plaats) == _canon_plaats(plaats):
            return 0.10
        return 0.0

    def own_score(self, ev: Evidence, p: object) -> float:
        f = fold(ev.naam)
        return max((name_score(f, n, self.places[p.pid]) for n in self.final_names[p.pid]), default=0.0) + self.bonus(ev, p)

    def scores(self, ev: Evidence, p: object, floor: float = JUDGE_FLOOR) -> tuple[dict[str, float], float]:
        """Scores of every party whose name may matter (raw score >= ``floor``) and of the true party."""
        f = fold(ev.naam)
        out = self.b.index.best_by_party(f, floor, ev.naam)
        for pid in list(out):
            q = self.b.party[pid]
            if isinstance(q, Collector) and q.clone_of is not None and not isinstance(p, Collector):
                del out[pid]  # a clone copies the name on purpose; only its own KvK number tells it apart
                continue
            out[pid] += self.bonus(ev, q)
        own = self.own_score(ev, p)
        out[p.pid] = own
        return out, own

    def related(self, p: Reg, q: str) -> bool:
        other = self.b.party[q]
        if not isinstance(other, Reg):
            return False
        return other.entity == p.entity or (p.group is not None and other.group == p.group)

    def judge(self, ev: Evidence, p: object, day: date) -> tuple[tuple | None, str]:
        """((verdict, registratienummers, collector), "") or (None, reason)."""
        resolved = [self.ids[k] for k in self.id_keys(ev) if k in self.ids]
        # Competitors below the floor cannot change the outcome (see the rules below; 0.12 is the largest
        # address bonus), so they are not scored.
        floor = JUDGE_FLOOR
        if not isinstance(p, Collector) and ev.naam:
            if resolved:
                floor = CONTRA_OTHER - 0.12
            else:
                own = self.own_score(ev, p)
                if own < NAME_MIN:
                    return None, "naam_te_zwak"
                floor = max(JUDGE_FLOOR, own - MARGIN - 0.12)
        scores, own = self.scores(ev, p, floor) if ev.naam else ({}, 0.0)
        if isinstance(p, Collector):
            return self._unregistered(ev, p, scores, own, resolved)
        if resolved:
            cand = [q for q in resolved[0] if all(q in g for g in resolved[1:])]
            if not cand:
                return None, "identificaties_tegenstrijdig"
            if p.pid not in cand:
                return None, "identificatie_van_ander"
            if len(cand) > 1 and ev.naam:
                f = fold(ev.naam)
                for q in cand:
                    if q != p.pid:
                        scores[q] = self.b.index.party_score(f, q) + self.bonus(ev, self.b.party[q])
                best = max(scores.get(q, 0.0) for q in cand)
                cand = [q for q in cand if scores.get(q, 0.0) > best - MARGIN + 1e-9]
                if p.pid not in cand:
                    return None, "naam_wijst_naar_ander"
            if ev.naam:
                inside = max(scores.get(q, 0.0) for q in cand)
                outside = max((s for q, s in scores.items() if q not in cand), default=0.0)
                if outside >= CONTRA_OTHER and inside < CONTRA_OWN:
                    return None, "naam_tegenstrijdig"
        else:
            if not ev.naam:
                return None, "geen_bewijs"
            if own < NAME_MIN:
                return None, "naam_te_zwak"
            best = max(scores.values())
            cand = [p.pid] + [q for q, s in scores.items() if q != p.pid and s > best - MARGIN + 1e-9]
            if best > own + 1e-9 and not all(isinstance(p, Reg) and self.related(p, q) for q in cand[1:]):
                return None, "naam_wijst_naar_ander"
        if isinstance(p, Office):
            if all(q[0] == "E" for q in cand):
                return (VRIJGESTELD, (), None), ""
            return None, "ambigu_met_niet_vrijgestelde"
        if not all(q[0] == "R" and self.related(p, q) for q in cand):
            return None, "ambigu_met_andere_partij"
        return self._registration_verdict(p, cand, day)

    def _registration_verdict(self, p: Reg, cand: list[str], day: date) -> tuple[tuple | None, str]:
        regs: list[Reg] = []
        for q in cand:
            for r in self.b.entities[self.b.party[q].entity]:
                if r not in regs:
                    regs.append(r)
        entities: list[int] = [p.entity] + [r.entity for r in regs if r.entity != p.entity]
        entities = list(dict.fromkeys(entities))
        valid = {e: [r for r in regs if r.entity == e and r.valid(day)] for e in entities}
        states = [bool(valid[e]) for e in entities]
        if len(set(states)) > 1:
            return None, "groep_verschillend_oordeel"
        if states[0]:
            nums = [r.nummer for e in entities for r in valid[e]]
            return (GEREGISTREERD, tuple(nums), None), ""

        def nearness(r: Reg) -> tuple:
            if r.end is not None and r.end <= day:
                return (0, (day - r.end).days)
            return (1, (r.start - day).days)

        nums = [r.nummer for e in entities for r in sorted((r for r in regs if r.entity == e), key=nearness)]
        return (NIET_GELDIG, tuple(nums), None), ""

    def _unregistered(self, ev: Evidence, c: Collector, scores: dict[str, float], own: float,
                      resolved: list[list[str]]) -> tuple[tuple | None, str]:
        for group in resolved:
            if any(q != c.pid for q in group):
                return None, "identificatie_van_ander"
        if c.clone_of is not None:
            k = norm_kvk(ev.kvk) if ev.kvk else None
            if k is None or k == c.clone_of.kvk or sum(a != b for a, b in zip(k, c.clone_of.kvk, strict=True)) < 3:
                return None, "kloon_zonder_eigen_kvk"
            cloned = self.b.index.party_score(fold(ev.naam), c.clone_of.pid) if ev.naam else 1.0
            for q, s in scores.items():
                if q[0] == "U" and q != c.pid and s >= UNREG_OTHER:
                    return None, "naam_lijkt_op_andere_incassant"
                if q[0] == "E" and s > cloned - MARGIN:
                    return None, "naam_lijkt_op_vrijgestelde"
            return (NIET_GEREGISTREERD, (), c.cid), ""
        if ev.naam:
            f = fold(ev.naam)
            own_words = [t for t in f.toks if t[1] in "DGP"]
            for q, s in scores.items():
                if q == c.pid:
                    continue
                limit = UNREG_MAX if q[0] in "RE" else UNREG_OTHER
                if s >= limit or (s >= 0.5 and s > own - MARGIN):
                    return None, "naam_lijkt_op_geregistreerde" if q[0] in "RE" else "naam_lijkt_op_andere_incassant"
                if q[0] in "RE" and s >= 0.5 and self.b.index.covers(q, own_words):
                    return None, "deelt_alleen_achternaam_of_merk"
        elif not resolved and not ev.has_identifier():
            return None, "geen_bewijs"
        return (NIET_GEREGISTREERD, (), c.cid), ""


# ------------------------------------------------------------------------------------------ signals

# kind, share of all signals, which registrations, date, which name, variation, identifiers
REG_KINDS = (
    ("exact_naam", .028, "any", "valid", "legal", "exact", "random"),
    ("handelsnaam", .030, "trade", "valid", "trade", "light", "random"),
    ("rechtsvorm_weg", .026, "form", "valid", "legal", "form_drop", "random"),
    ("rechtsvorm_anders", .009, "any", "valid", "legal", "form_other", "random"),
    ("rechtsvorm_voluit", .007, "fullform", "valid", "legal", "form_full", "random"),
    ("rechtsvorm_vooraan", .007, "form", "valid", "legal", "form_front", "random"),
    ("hoofdletters", .011, "any", "valid", "legal_or_trade", "upper", "random"),
    ("kleine_letters", .007, "any", "valid", "legal_or_trade", "lower", "random"),
    ("diakrieten_weg", .005, "diacritic", "valid", "legal_or_trade", "diacritics", "random"),
    ("mojibake", .003, "diacritic", "valid", "legal_or_trade", "mojibake", "random"),
    ("leestekens", .011, "any", "valid", "legal_or_trade", "punct", "random"),
    ("woordvolgorde", .009, "any", "valid", "legal_or_trade", "order", "random"),
    ("branchewoord_weg", .011, "any", "valid", "legal_or_trade", "bw_drop", "random"),
    ("branchewoord_erbij", .009, "any", "valid", "legal_or_trade", "bw_add", "random"),
    ("branchewoord_synoniem", .011, "any", "valid", "legal_or_trade", "bw_syn", "random"),
    ("plaats_erbij", .011, "any", "valid", "legal_or_trade", "place_add", "random"),
    ("ruis_tav_namens", .011, "any", "valid", "legal_or_trade", "clutter", "random"),
    ("aaneengeschreven", .008, "any", "valid", "legal_or_trade", "join", "random"),
    ("gesplitst", .006, "split", "valid", "legal_or_trade", "split", "random"),
    ("typo_kort_woord", .005, "short", "valid", "legal", "typo_short", "random"),
    ("typo_lang_woord", .013, "long", "valid", "legal_or_trade", "typo_long", "random"),
    ("fonetisch", .011, "any", "valid", "legal_or_trade", "phonetic", "random"),
    ("ocr", .009, "any", "valid", "legal_or_trade", "ocr", "random"),
    ("initialen", .009, "person", "valid", "legal", "initials", "random"),
    ("tussenvoegsel", .009, "tv", "valid", "legal", "tussen", "random"),
    ("afgekapt", .008, "any", "valid", "legal", "truncate", "random"),
    ("acroniem", .006, "acronym", "valid", "legal", "acronym", "random"),
    ("handelsnaam_is_achternaam", .004, "surname_trade", "valid", "surname_trade", "light", "random"),
    ("naamgenoot_geregistreerd", .015, "cluster", "valid", "legal_or_trade", "light", "random"),
    ("lookalike_met_identificatie", .008, "lookalike", "valid", "legal", "light", "required"),
    ("groep_twee_registraties", .009, "group", "valid", "shared", "light", "shared"),
    ("herinschrijving", .004, "rereg", "rereg_valid", "legal", "light", "random"),
    ("oude_naam", .006, "renamed", "before_rename", "old", "light", "old_name"),
    ("vervallen_handelsnaam", .003, "dropped", "before_drop", "dropped", "light", "required"),
    ("alleen_identificatie", .010, "any", "valid", "none", "exact", "only_ids"),
    ("kvk_notatie", .013, "any", "valid", "legal_or_trade", "light", "kvk_style"),
    ("kvk_zonder_voorloopnul", .005, "kvk0", "valid", "legal_or_trade", "light", "kvk_nozero"),
    ("vestigingsnummer_in_omschrijving", .003, "vestiging", "valid", "legal_or_trade", "light", "vestiging"),
    ("iban_notatie", .013, "iban", "valid", "legal_or_trade", "light", "iban_style"),
    ("iban_typo", .007, "iban", "valid", "legal_or_trade", "light", "iban_typo"),
    ("iban_buitenland", .004, "iban_foreign", "valid", "legal_or_trade", "light", "iban_foreign"),
    ("iban_niet_in_register", .004, "unlisted", "valid", "legal_or_trade", "light", "iban_unlisted"),
    ("website_notatie", .012, "website", "valid", "legal_or_trade", "light", "website_style"),
    ("email_eigen_domein", .010, "email_own", "valid", "legal_or_trade", "light", "email_own"),
    ("email_freemail", .006, "email_free", "valid", "legal_or_trade", "light", "email_free"),
    ("telefoon_notatie", .013, "phone", "valid", "legal_or_trade", "light", "phone_style"),
    ("postcode_plaats", .010, "any", "valid", "legal_or_trade", "light", "postcode"),
    ("grensdag_inschrijving", .004, "start_window", "start", "legal_or_trade", "light", "random"),
    ("grensdag_dag_voor_einde", .003, "end_window", "end_minus", "legal_or_trade", "light", "random"),
    ("kvk_uittreksel_geregistreerd", .022, "any", "kvk_valid", "legal_at", "exact", "kvk_row"),
    ("nog_niet_geregistreerd", .030, "late", "before_start", "legal_or_trade", "light", "random"),
    ("doorgehaald", .017, "struck", "after_end", "legal_or_trade", "light", "random"),
    ("verlopen", .014, "lapsed", "after_end", "legal_or_trade", "light", "random"),
    ("grensdag_einde", .004, "end_window", "end", "legal_or_trade", "light", "random"),
    ("grensdag_dag_voor_inschrijving", .003, "start_window", "start_minus", "legal_or_trade", "light", "random"),
    ("herinschrijving_tussenperiode", .002, "rereg", "gap", "legal", "light", "random"),
    ("kvk_uittreksel_niet_geldig", .006, "any", "kvk_invalid", "legal_at", "exact", "kvk_row"),
)
EXEMPT_KINDS = (
    ("vrijgesteld_exact", .015, "any", "exact", "random"),
    ("vrijgesteld_variant", .030, "any", "exempt_variant", "random"),
    ("vrijgesteld_typo", .008, "any", "typo_any", "random"),
    ("vrijgesteld_identificatie", .014, "ids", "light", "exempt_ids"),
    ("vrijgesteld_twee_vestigingen", .008, "two", "place", "random"),
    ("vrijgesteld_naamgenoot", .015, "cluster", "light", "random"),
    ("vrijgesteld_persoon", .010, "person", "person", "none"),
)
EXPECTED_VERDICT = {k[0]: (NIET_GELDIG if k[3] in ("before_start", "after_end", "end", "start_minus", "gap", "kvk_invalid")
                           else GEREGISTREERD) for k in REG_KINDS}
EXPECTED_VERDICT["herinschrijving"] = GEREGISTREERD
CLONE_SHARE = 0.03
# The table's shares scaled to ~50% registered and ~8% not valid besides the KvK rows (~4% of all signals
# are KvK rows: registered, not valid and unregistered firms).
REG_SCALE = 1.096
NV_SCALE = 1.143
P_IDS_REG = 0.45
P_IDS_EXEMPT = 0.25
P_IDS_UNREG = 0.58


@dataclass
class _Sig:
    ev: Evidence
    bron: str
    ontvangen: date
    brief: date | None
    truth: Truth
    party: str
    omschrijving: str = ""
    hoofdsom: str = ""
    kosten: str = ""
    referentie: str = ""
    iso: bool = False


def _kvk_extract_days() -> list[date]:
    out, d = [], date(2025, 4, 1)
    while d <= date(2026, 11, 1):
        out.append(_weekday(d))
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


KVK_DAYS = _kvk_extract_days()


class _Signals:
    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.rng = b.rng
        self.judge = _Judge(b)
        self.out: list[_Sig] = []
        self._lists: dict[str, tuple[list, list[float]]] = {}
        self.dropped = b.dropped
        surnames: dict[tuple[str, str], set[str]] = {}
        for p in [*b.regs, *b.offices]:
            for s in p.core.surnames:
                surnames.setdefault(s, set()).add(p.pid[0])
        for c in b.collectors:
            for core in c.cores:
                for s in core.surnames:
                    surnames.setdefault(s, set()).add("U")
        self.shared_surnames = {s for s, cats in surnames.items() if len(cats) >= 2}

    # -- common pieces ------------------------------------------------------------------------------
    def dates(self, day: date) -> tuple[date | None, date]:
        rng = self.rng
        if rng.random() < 0.13:
            return None, day
        lag = _pick(rng, ((lambda: rng.randint(0, 7), 25), (lambda: rng.randint(8, 45), 45),
                          (lambda: rng.randint(46, 200), 30)))()
        return day, min(day + timedelta(days=lag), LAST_DAY)

    def money(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.3:
            return "", ""
        principal = round(rng.lognormvariate(5.3, 1.0), 2)
        principal = min(principal, 45000.0)
        costs = round(principal * rng.choice((0.15, 0.15, 0.1, 0.3, 0.5, 1.0)) + rng.choice((0, 40, 40, 75)), 2)

        def fmt(x: float) -> str:
            whole, cents = f"{x:.2f}".split(".")
            style = rng.random()
            if style < 0.55:
                grouped = f"{int(whole):,}".replace(",", ".")
                return f"{grouped},{cents}"
            if style < 0.8:
                return f"{whole},{cents}"
            if style < 0.9:
                return f"€ {int(whole):,},{cents}".replace(",", ".", int(whole) >= 1000)
            return f"{whole}.{cents}"

        return fmt(principal), (fmt(costs) if rng.random() < 0.8 else "")

    def describe(self) -> str:
        text = self.rng.choice(DESCRIPTIONS)
        if text and self.rng.random() < 0.15:
            text += f"; vordering van {self.rng.choice(CREDITORS)}"
        if text and self.rng.random() < 0.03:
            text = f'"{text}"; zie bijlage\nTweede brief volgt'
        return text

    def bron(self) -> str:
        return _pick(self.rng, SOURCES)

    def emit(self, ev: Evidence, party: object, day: date, kind: str, detail: str, *, bron: str | None = None,
             kvk_row: bool = False, expect: str | None = None) -> bool:
        got, reason = self.judge.judge(ev, party, day)
        if got is None:
            self.dropped[f"{kind}: {reason}"] += 1
            return False
        verdict, nums, collector = got
        if expect is not None and verdict != expect:
            self.dropped[f"{kind}: ander_oordeel_dan_bedoeld"] += 1
            return False
        if kvk_row:
            brief, ontvangen = None, day
        else:
            brief, ontvangen = self.dates(day)
        omschrijving = "SBI 8291 Incassobureaus" if kvk_row else self.describe()
        if ev.omschrijving_extra:
            omschrijving = f"{omschrijving}. {ev.omschrijving_extra}".strip(". ") if omschrijving else ev.omschrijving_extra
        hoofdsom, kosten = ("", "") if kvk_row else self.money()
        truth = Truth(verdict, nums, collector, kind, f"{detail}; referentiedatum {day.isoformat()}")
        self.out.append(_Sig(ev, bron or ("kvk" if kvk_row else self.bron()), ontvangen, brief, truth, party.pid,
                             omschrijving, hoofdsom, kosten, iso=self.rng.random() < 0.2))
        return True

    def choose(self, key: str, items: list, weight) -> object | None:
        if key not in self._lists:
            cum, acc = [], 0.0
            for it in items:
                acc += weight(it)
                cum.append(acc)
            self._lists[key] = (items, cum)
        items, cum = self._lists[key]
        if not items:
            return None
        return self.rng.choices(items, cum_weights=cum)[0]

    # -- registrations ------------------------------------------------------------------------------
    def selector(self, name: str) -> list[Reg]:
        b = self.b
        regs = b.regs
        win = lambda r: self.window(r) is not None  # noqa: E731
        if name == "any":
            return [r for r in regs if win(r) or r.start > LETTERS_FROM or (r.end and r.end <= LAST_DAY)]
        preds = {
            "trade": lambda r: bool(r.trade_at(LATE_SNAPSHOT)) and win(r),
            "form": lambda r: r.final_legal.form not in ("",) and win(r),
            "fullform": lambda r: r.final_legal.form in FULL_FORMS and win(r),
            "diacritic": lambda r: any(not n.isascii() for n in r.listed_names(FINAL_DATES)) and win(r),
            "short": lambda r: any((w in SHORT_TYPOS or (3 <= len(w) <= 5 and w.isalpha())) and not _is_business(w)
                                   and w.lower() not in TUSSEN for w in r.final_legal.base.split()) and win(r),
            "long": lambda r: any(len(w) >= 8 and w.isalpha() for w in r.final_legal.base.split()) and win(r),
            "split": lambda r: (r.core.split is not None or any(w in SPLITS for w in r.final_legal.text().split())) and win(r),
            "person": lambda r: r.core.person is not None and r.core.text in r.final_legal.base and win(r),
            "tv": lambda r: any(tv for tv, _ in r.core.surnames) and r.core.text in r.final_legal.base and win(r),
            "acronym": lambda r: _Vary.acronym(Random(0), r.final_legal, {}) is not None and win(r),
            "surname_trade": lambda r: "surname_trade" in r.flags and win(r),
            "cluster": lambda r: any(s in self.shared_surnames for s in r.core.surnames) and win(r),
            "lookalike": lambda r: "lookalike" in r.flags and win(r),
            "group": lambda r: r.group is not None and win(r),
            "rereg": lambda r: len(b.entities[r.entity]) > 1 and r is b.entities[r.entity][0],
            "renamed": lambda r: r.renamed_on is not None and self.window(r, until=r.renamed_on) is not None,
            "dropped": lambda r: any(u is not None and u > LETTERS_FROM for _, _, u in r.trade)
            and self.window(r) is not None,
            "kvk0": lambda r: r.kvk.startswith("0") and win(r),
            "vestiging": lambda r: bool(r.vestiging) and win(r),
            "iban": lambda r: bool(r.ibans) and win(r),
            "iban_foreign": lambda r: any(not i.startswith("NL") for i, _, _ in r.ibans) and win(r),
            "unlisted": lambda r: bool(r.unlisted_ibans) and win(r),
            "website": lambda r: bool(r.websites) and win(r),
            "email_own": lambda r: any(norm_domain(e) not in FREE_MAIL_SET for e, _ in r.emails) and win(r),
            "email_free": lambda r: win(r),
            "phone": lambda r: bool(r.phones) and win(r),
            "start_window": lambda r: LETTERS_FROM < r.start <= LAST_DAY,
            "end_window": lambda r: r.end is not None and LETTERS_FROM < r.end <= LAST_DAY,
            "late": lambda r: r.start > LETTERS_FROM + timedelta(days=15),
            "struck": lambda r: r.status == "doorgehaald" and r.end is not None and r.end < LAST_DAY,
            "lapsed": lambda r: r.status == "verlopen" and r.end is not None and r.end < LAST_DAY,
        }
        single = ("start_window", "end_window", "late", "struck", "lapsed")  # a re-registered firm has its own kinds
        return [r for r in regs if preds[name](r) and (name not in single or len(b.entities[r.entity]) == 1)]

    @staticmethod
    def window(r: Reg, *, until: date | None = None) -> tuple[date, date] | None:
        a = max(r.start, LETTERS_FROM)
        ends = [LAST_DAY]
        if r.end is not None:
            ends.append(r.end - timedelta(days=1))
        if until is not None:
            ends.append(until - timedelta(days=1))
        b = min(ends)
        return (a, b) if a <= b else None

    def reg_day(self, r: Reg, mode: str) -> date | None:
        rng = self.rng
        if mode == "valid":
            w = self.window(r)
            return _rand_date(rng, *w) if w else None
        if mode == "before_start":
            return _rand_date(rng, LETTERS_FROM, r.start - timedelta(days=1)) if r.start > LETTERS_FROM else None
        if mode == "after_end":
            return _rand_date(rng, max(r.end, LETTERS_FROM), LAST_DAY) if r.end and r.end <= LAST_DAY else None
        if mode == "start":
            return r.start
        if mode == "start_minus":
            return r.start - timedelta(days=1)
        if mode == "end":
            return r.end
        if mode == "end_minus":
            return r.end - timedelta(days=1)
        if mode == "before_rename":
            w = self.window(r, until=r.renamed_on)
            return _rand_date(rng, *w) if w else None
        if mode == "before_drop":
            untils = [u for _, _, u in r.trade if u is not None]
            w = self.window(r, until=max(untils)) if untils else None
            return _rand_date(rng, *w) if w else None
        if mode == "rereg_valid":
            r = rng.choice(self.b.entities[r.entity])
            w = self.window(r)
            return _rand_date(rng, *w) if w else None
        if mode == "gap":
            r1, r2 = self.b.entities[r.entity][:2]
            if r1.end is None or r2.start <= r1.end or r2.start <= LETTERS_FROM:
                return None
            return _rand_date(rng, max(r1.end, LETTERS_FROM), r2.start - timedelta(days=1))
        if mode in ("kvk_valid", "kvk_invalid"):
            days = [d for d in KVK_DAYS if r.valid(d) == (mode == "kvk_valid")]
            return rng.choice(days) if days else None
        raise ValueError(mode)

    def reg_name(self, r: Reg, mode: str, day: date) -> tuple[NameParts | None, str]:
        rng = self.rng
        trades = r.trade_at(LATE_SNAPSHOT)
        if mode == "legal" or (mode == "legal_or_trade" and (not trades or rng.random() < 0.72)):
            return r.final_legal, "statutaire naam"
        if mode in ("trade", "legal_or_trade"):
            return NameParts(rng.choice(trades)), "handelsnaam"
        if mode == "old":
            return r.legal[0][0], "naam van vóór de naamswijziging"
        if mode == "dropped":
            dropped = [t for t, _, u in r.trade if u is not None and u > day]
            return (NameParts(rng.choice(dropped)), "vervallen handelsnaam") if dropped else (None, "")
        if mode == "shared":
            return NameParts(self.b.group_shared[r.group][0]), "gedeelde handelsnaam van de groep"
        if mode == "surname_trade":
            return NameParts(r.special_trade), "handelsnaam die de achternaam van een ander is"  # type: ignore[attr-defined]
        if mode == "legal_at":
            return r.legal_at(day), "statutaire naam volgens KvK op de uittrekseldatum"
        return None, "geen naam"

    def reg_ids(self, r: Reg, mode: str, ev: Evidence) -> str | None:
        """Write identifiers of ``r`` into ``ev``; returns a description, or None when impossible."""
        rng = self.rng
        ibans = [i for i, _, _ in r.ibans]
        domains = [d for _, d, _ in r.websites]
        own_mail = [e for e, _ in r.emails if norm_domain(e) not in FREE_MAIL_SET]
        free_mail = [e for e, _ in r.emails if norm_domain(e) in FREE_MAIL_SET]
        phones = [ph for ph, _, _ in r.phones]

        def some(n: int) -> str:
            kinds = [("kvk", 30)] + [("iban", 30)] * bool(ibans) + [("website", 15)] * bool(domains) + \
                [("email", 12)] * bool(own_mail or free_mail) + [("phone", 13)] * bool(phones)
            done = []
            for _ in range(n):
                k = _pick(rng, tuple(kinds))
                if k in done:
                    continue
                done.append(k)
                if k == "kvk":
                    ev.kvk = write_kvk(rng, r.kvk)
                elif k == "iban":
                    ev.iban = write_iban(rng, rng.choice(ibans))
                elif k == "website":
                    ev.website = write_website(rng, rng.choice(domains))
                elif k == "email":
                    ev.email = rng.choice(own_mail + free_mail)
                else:
                    ev.telefoon = write_phone(rng, rng.choice(phones))
            return "+".join(done)

        if mode == "random":
            return some(rng.choice((1, 1, 1, 2))) if rng.random() < P_IDS_REG else "geen"
        if mode in ("required", "shared_or_required"):
            return some(rng.choice((1, 1, 2)))
        if mode == "old_name":
            return some(1) if "old_name_kept" not in r.flags or rng.random() < 0.5 else "geen"
        if mode == "only_ids":
            ev.naam = ""
            return some(rng.choice((1, 1, 2)))
        if mode == "kvk_style":
            style = rng.choice(KVK_STYLES)
            ev.kvk = write_kvk(rng, r.kvk, style)
            return f"kvk {style}"
        if mode == "kvk_nozero":
            ev.kvk = write_kvk(rng, r.kvk, "nozero")
            return "kvk zonder voorloopnul"
        if mode == "kvk_row":
            ev.kvk = r.kvk
            ev.plaats = r.plaats
            return "kvk-uittreksel"
        if mode == "vestiging":
            ev.omschrijving_extra = rng.choice(("Vestigingsnummer op de brief: {v}", "vestigingsnr. {v}",
                                                "Op briefpapier: vestigingsnummer {v}")).format(v=r.vestiging)
            return "vestigingsnummer in de omschrijving"
        if mode == "iban_style":
            style = rng.choice(("spaced", "lower", "lower_spaced", "prefix", "half"))
            ev.iban = write_iban(rng, rng.choice(ibans), style)
            return f"iban {style}"
        if mode == "iban_typo":
            ev.iban = write_iban(rng, _mistype_iban(rng, rng.choice(ibans + r.unlisted_ibans)),
                                 rng.choice(("compact", "spaced")))
            return "iban met tikfout (controlegetal klopt niet)"
        if mode == "iban_foreign":
            ev.iban = write_iban(rng, rng.choice([i for i in ibans if not i.startswith("NL")]))
            return "buitenlandse iban"
        if mode == "iban_unlisted":
            ev.iban = write_iban(rng, rng.choice(r.unlisted_ibans))
            return "iban die niet in het register staat"
        if mode == "website_style":
            style = rng.choice(("www", "https_www", "https", "path", "query", "sub", "caps", "slash"))
            ev.website = write_website(rng, rng.choice(domains), style)
            return f"website {style}"
        if mode == "email_own":
            e = rng.choice(own_mail)
            ev.email = e if rng.random() < 0.7 else e[0].upper() + e[1:]
            return "e-mail op eigen domein"
        if mode == "email_free":
            if free_mail and rng.random() < 0.5:
                ev.email = rng.choice(free_mail)
                return "freemail-adres dat in het register staat"
            ev.email = self.b.new_freemail(_slug(r.core.text), tuple(f"{sep}{rng.randint(1, 99)}" for sep in ("", ".", "_")))
            return "freemail-adres dat niet in het register staat"
        if mode == "phone_style":
            style = rng.choice(("spaced", "paren", "intl", "intl0", "intl00", "compact", "intlc"))
            ev.telefoon = write_phone(rng, rng.choice(phones), style)
            return f"telefoon {style}"
        if mode == "postcode":
            ev.plaats = r.plaats if rng.random() < 0.8 else rng.choice(PLACE_ALIASES.get(r.plaats, (r.plaats.upper(),)))
            if rng.random() < 0.6:
                ev.postcode = r.postcode if rng.random() < 0.6 else r.postcode.replace(" ", "")
            return "postcode/plaats"
        if mode == "shared":
            if rng.random() < 0.35:
                domain = self.b.group_shared[r.group][1]
                if rng.random() < 0.5:
                    ev.website = write_website(rng, domain)
                else:
                    ev.email = f"info@{domain}"
                return "gedeelde website van de groep"
            return "geen"
        raise ValueError(mode)

    def registered(self, spec: tuple, target: int) -> None:
        kind, _, sel, datemode, namemode, variation, idmode = spec
        pool = self.selector(sel)
        made, attempts = 0, 0
        while made < target and attempts < target * 12 + 20 and pool:
            attempts += 1
            r = self.choose(f"reg:{sel}", pool, lambda x: x.weight)
            day = self.reg_day(r, datemode)
            if day is None or not (LETTERS_FROM <= day <= LAST_DAY):
                continue
            parts, name_detail = self.reg_name(r, namemode, day)
            ev = Evidence()
            written = ""
            if parts is not None:
                written = getattr(_Vary, variation)(self.rng, parts, {"core": r.core, "plaats": r.plaats})
                if written is None:
                    continue
                ev.naam = written
            id_detail = self.reg_ids(r, idmode, ev)
            if id_detail is None:
                continue
            if idmode not in ("postcode", "kvk_row") and not ev.plaats and self.rng.random() < 0.12:
                ev.plaats = r.plaats
                if self.rng.random() < 0.35:
                    ev.postcode = r.postcode
            detail = (f"registratie {r.nummer} {r.final_legal.text()!r}; {name_detail}; geschreven {ev.naam!r}; "
                      f"variatie {variation}; identificatie {id_detail}")
            if self.emit(ev, r, day, kind, detail, kvk_row=idmode == "kvk_row", expect=EXPECTED_VERDICT[kind]):
                if kind == "groep_twee_registraties" and len(self.out[-1].truth.registratienummers) < 2:
                    self.out.pop()
                    self.dropped[f"{kind}: niet_beide_registraties"] += 1
                    continue
                made += 1

    # -- exempt offices -----------------------------------------------------------------------------
    def exempt(self, spec: tuple, target: int) -> None:
        kind, _, sel, variation, idmode = spec
        b = self.b
        firms = Counter(o.firm for o in b.offices)
        preds = {
            "any": lambda o: True,
            "ids": lambda o: bool(o.kvk or o.websites),
            "two": lambda o: firms[o.firm] > 1,
            "cluster": lambda o: any(s in self.shared_surnames for s in o.core.surnames),
            "person": lambda o: len(o.core.surnames) == 1 and o.core.text in o.naam,
        }
        pool = [o for o in b.offices if preds[sel](o)]
        made, attempts = 0, 0
        rng = self.rng
        while made < target and attempts < target * 12 + 20 and pool:
            attempts += 1
            o = self.choose(f"ex:{sel}", pool, lambda x: x.weight)
            day = _rand_date(rng, LETTERS_FROM, LAST_DAY)
            parts = o.parts
            ctx = {"core": o.core, "plaats": o.plaats}
            ev = Evidence()
            if variation == "person":
                tv, stem = o.core.surnames[0]
                first = o.core.person[0] if o.core.person else rng.choice(FIRST_NAMES)
                sur = _surname_text(tv, stem, start=False)
                if o.beroep == "advocaat":
                    written = rng.choice((f"mr. {first[0]}. {sur} (advocaat)", f"Mr. {_surname_text(tv, stem, start=True)}, advocaat",
                                          f"{o.naam}, mr. {first[0]}. {sur}", f"advocaat mr. {first} {sur}"))
                else:
                    written = rng.choice((f"Gerechtsdeurwaarder {first[0]}. {sur}", f"{_surname_text(tv, stem, start=True)} gerechtsdeurwaarder",
                                          f"{o.naam}, gerechtsdeurwaarder {first[0]}. {sur}", f"deurwaarder {first} {sur}"))
            elif variation == "place":
                written = _Vary.place_add(rng, parts, ctx) if rng.random() < 0.6 else parts.text()
                if rng.random() < 0.5:
                    ev.plaats = o.plaats
            else:
                written = getattr(_Vary, variation)(rng, parts, ctx)
            if written is None:
                continue
            ev.naam = written
            id_detail = "geen"
            if idmode == "exempt_ids" or (idmode == "random" and rng.random() < P_IDS_EXEMPT):
                options = (["kvk"] if o.kvk else []) + (["website", "email"] if o.websites else [])
                if not options:
                    continue
                what = rng.choice(options)
                if what == "kvk":
                    ev.kvk = write_kvk(rng, o.kvk)
                elif what == "website":
                    ev.website = write_website(rng, o.websites[0][1])
                else:
                    ev.email = f"{rng.choice(('info', 'incasso', 'secretariaat', 'beslag'))}@{o.websites[0][1]}"
                id_detail = what
                if idmode == "exempt_ids" and rng.random() < 0.3:
                    ev.naam = ""
            if not ev.plaats and rng.random() < 0.12:
                ev.plaats = o.plaats
            detail = f"vrijgestelde {o.beroep} {o.naam!r} ({o.plaats}); geschreven {ev.naam!r}; variatie {variation}; identificatie {id_detail}"
            if self.emit(ev, o, day, kind, detail, expect=VRIJGESTELD):
                made += 1

    # -- unregistered collectors --------------------------------------------------------------------
    def allocate(self, total: int) -> None:
        rng = self.rng
        b = self.b
        clones = [c for c in b.collectors if c.clone_of is not None]
        others = [c for c in b.collectors if c.clone_of is None]
        clone_total = round(CLONE_SHARE * self.b.n_signals)
        for group, budget, cap in ((clones, clone_total, 12), (others, total - clone_total, 20)):
            if not group:
                continue
            # a power law: most collectors are reported once or twice, a few again and again
            for c in group:
                limit = 3 if c.ctype == "kvk_firma" else cap
                c.n_signals = min(limit, int(rng.paretovariate(1.0 if cap > 12 else 1.6)))
            rest = budget - sum(c.n_signals for c in group)
            guard = 0
            while rest != 0 and guard < budget * 50:
                guard += 1
                if rest > 0:  # the often-reported get reported more
                    c = rng.choices(group, weights=[c.n_signals ** 0.5 for c in group])[0]
                    if c.n_signals < (3 if c.ctype == "kvk_firma" else cap):
                        c.n_signals += 1
                        rest -= 1
                else:
                    c = rng.choice(group)
                    if c.n_signals > 1:
                        c.n_signals -= 1
                        rest += 1

    def collector_signal(self, c: Collector, k: int, window: tuple[date, date]) -> tuple[Evidence, date, str, bool] | None:
        rng = self.rng
        ev = Evidence()
        if c.ctype == "kvk_firma" and k == 0:
            days = [d for d in KVK_DAYS if window[0] - timedelta(days=60) <= d <= window[1]] or KVK_DAYS
            ev.naam, ev.kvk, ev.plaats = c.names[0].text(), c.kvk, c.plaats
            if rng.random() < 0.5:
                ev.postcode = c.postcode
            return ev, rng.choice(days), "kvk-uittreksel", True
        day = _rand_date(rng, *window)
        ni = 0 if len(c.names) == 1 or rng.random() < 0.7 else rng.randrange(1, len(c.names))
        parts = c.names[ni]
        ctx = {"core": c.cores[ni], "plaats": c.plaats}
        how = "exact"
        if rng.random() < 0.35:
            written = _Vary.collector_variant(rng, parts, ctx)
            how = "variant" if written else "exact"
        else:
            written = None
        ev.naam = written or parts.text()
        kinds = [("iban", 4)] * bool(c.ibans) + [("email", 3)] * bool(c.emails) + [("phone", 2)] * bool(c.phones) + \
            [("website", 2)] * bool(c.domains) + [("kvk", 2)] * bool(c.kvk)
        n_ids = 0
        if c.clone_of is not None:
            ev.kvk = write_kvk(rng, c.kvk)
            n_ids = 1 if rng.random() < 0.5 else 0
        elif rng.random() < P_IDS_UNREG and kinds:
            n_ids = _pick(rng, ((1, 60), (2, 30), (3, 10)))
        done = []
        for _ in range(n_ids):
            what = _pick(rng, tuple(kinds)) if kinds else None
            if what is None or what in done:
                continue
            done.append(what)
            self.put_id(c, what, ev)
        if ev.has_identifier() and rng.random() < 0.07 and c.clone_of is None:
            ev.naam = ""
            how = "geen naam"
        if c.plaats and rng.random() < 0.3:
            ev.plaats = c.plaats
            if rng.random() < 0.4:
                ev.postcode = c.postcode
        detail = f"naam {ni + 1} van {len(c.names)}, {how}"
        return ev, day, detail, False

    def put_id(self, c: Collector, what: str, ev: Evidence) -> None:
        rng = self.rng
        if what == "iban":
            ev.iban = write_iban(rng, rng.choice(c.ibans))
        elif what == "email":
            ev.email = rng.choice(c.emails)
        elif what == "phone":
            ev.telefoon = write_phone(rng, rng.choice(c.phones))
        elif what == "website":
            ev.website = write_website(rng, rng.choice(c.domains))
        else:
            ev.kvk = write_kvk(rng, c.kvk)

    def collector(self, c: Collector) -> None:
        rng = self.rng
        length = rng.randint(30, 420)
        start = _rand_date(rng, LETTERS_FROM, LAST_DAY - timedelta(days=min(length, 500)))
        window = (start, min(start + timedelta(days=length), LAST_DAY))
        mine: list[tuple[_Sig, Evidence, date, str]] = []
        for k in range(c.n_signals):
            for _ in range(8):
                got = self.collector_signal(c, k, window)
                if got is None:
                    continue
                ev, day, detail, kvk_row = got
                before = len(self.out)
                full = (f"niet-geregistreerde incassant {c.cid} ({c.ctype}) {c.names[0].text()!r}; {detail}; "
                        f"geschreven {ev.naam!r}")
                if c.clone_of is not None:
                    full += f"; kloon van {c.clone_of.nummer} {c.clone_of.final_legal.text()!r}"
                if self.emit(ev, c, day, "niet_geregistreerd", full, kvk_row=kvk_row, expect=NIET_GEREGISTREERD):
                    mine.append((self.out[before], ev, day, detail))
                    break
        self.link(c, mine)
        for sig, ev, _, detail in mine:
            sig.truth = Truth(sig.truth.verdict, (), c.cid, self.unreg_kind(c, sig, ev, detail), sig.truth.detail)

    def link(self, c: Collector, mine: list) -> None:
        """Make the collector's signals linkable: a shared identifier or nearly the same name, transitively."""
        if len(mine) < 2:
            return
        rng = self.rng
        judge = self.judge
        own = [fold(n.text()) for n in c.names]
        parent = list(range(len(mine)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def nodes(ev: Evidence) -> list:
            out = [k for k in judge.id_keys(ev) if k in judge.ids]
            if ev.naam:
                f = fold(ev.naam)
                out += [("name", i) for i, n in enumerate(own) if name_score(f, n) >= 0.8]
            return out

        def components() -> list[list[int]]:
            for i in range(len(parent)):
                parent[i] = i
            first: dict = {}
            for i, (_, ev, _, _) in enumerate(mine):
                for node in nodes(ev):
                    if node in first:
                        parent[find(i)] = find(first[node])
                    else:
                        first[node] = i
            groups: dict[int, list[int]] = {}
            for i in range(len(mine)):
                groups.setdefault(find(i), []).append(i)
            return sorted(groups.values(), key=lambda g: (-len(g), g[0]))

        comps = components()
        if len(comps) == 1:
            return
        main = comps[0]
        options = [w for w in ("iban", "email", "phone", "website", "kvk")
                   if (w == "iban" and c.ibans) or (w == "email" and c.emails) or (w == "phone" and c.phones)
                   or (w == "website" and c.domains) or (w == "kvk" and c.kvk)]
        what = options[0]
        anchor = mine[main[0]]
        if not any(k[0] != "name" for i in main for k in nodes(mine[i][1])):
            self.put_id(c, what, anchor[1])
            self.refresh(anchor)
        main_keys = [k for i in main for k in nodes(mine[i][1]) if k[0] != "name"]
        for comp in comps[1:]:
            sig = mine[comp[0]]
            key = main_keys[0]
            ev = sig[1]
            if key[0] == "kvk":
                ev.kvk = write_kvk(rng, c.kvk)
            elif key[0] == "iban":
                ev.iban = write_iban(rng, key[1])
            elif key[0] == "tel":
                ev.telefoon = write_phone(rng, next(p for p in c.phones if norm_phone("".join(p)) == key[1]))
            elif key[0] == "mail":
                ev.email = key[1]
            else:
                ev.website = write_website(rng, key[1]) if key[1] in c.domains else ""
                if not ev.website:
                    ev.email = next(e for e in c.emails if norm_domain(e) == key[1])
            self.refresh(sig)

    def refresh(self, entry: tuple) -> None:
        sig, ev, day, _ = entry
        sig.ev = ev
        sig.truth = Truth(sig.truth.verdict, sig.truth.registratienummers, sig.truth.collector, sig.truth.kind,
                          sig.truth.detail + "; identificatie toegevoegd om te koppelen")

    def unreg_kind(self, c: Collector, sig: _Sig, ev: Evidence, detail: str) -> str:
        if c.ctype == "kloon":
            return "kloon"
        if c.ctype == "lookalike":
            return "lookalike_niet_geregistreerd_kvk"
        if sig.bron == "kvk":
            return "kvk_uittreksel_niet_geregistreerd"
        if c.ctype == "nep_deurwaarder":
            return "nep_deurwaarder"
        if c.ctype == "lijkt_op":
            return "niet_geregistreerd_lijkt_op"
        if c.ctype == "naamgenoot" and ev.naam:
            return "naamgenoot_niet_geregistreerd"
        if not ev.naam:
            return "niet_geregistreerd_alleen_identificatie"
        if not detail.startswith("naam 1 "):
            return "niet_geregistreerd_tweede_naam"
        iban = norm_iban(ev.iban) if ev.iban else None
        if (iban and not iban.startswith("NL")) or (ev.telefoon and norm_phone(ev.telefoon).startswith("+")):
            return "niet_geregistreerd_buitenland"
        if ev.email and norm_domain(ev.email) in FREE_MAIL_SET:
            return "niet_geregistreerd_freemail"
        if "variant" in detail:
            return "niet_geregistreerd_variant"
        if ev.has_identifier():
            return "niet_geregistreerd_identificatie"
        return "niet_geregistreerd_naam"

    # -- all ----------------------------------------------------------------------------------------
    def build(self) -> None:
        n = self.b.n_signals
        specs = list(REG_KINDS)

        def scale(spec: tuple) -> float:
            if spec[6] == "kvk_row":
                return 1.0
            return REG_SCALE if EXPECTED_VERDICT[spec[0]] == GEREGISTREERD else NV_SCALE

        targets = {s[0]: max(1, round(s[1] * scale(s) * n)) for s in specs}
        ex_targets = {s[0]: max(1, round(s[1] * n)) for s in EXEMPT_KINDS}
        for spec in specs:
            self.registered(spec, targets[spec[0]])
        for spec in EXEMPT_KINDS:
            self.exempt(spec, ex_targets[spec[0]])
        rest = n - len(self.out)
        self.allocate(rest)
        for c in self.b.collectors:
            self.collector(c)


# ------------------------------------------------------------------------------------------ files

REGISTER_HEADER = ("registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat", "huisnummer",
                   "postcode", "plaats", "website", "email", "telefoon", "iban", "status", "datum_inschrijving",
                   "datum_einde", "geldig_tot")
SIGNAL_HEADER = ("Referentie", "Ontvangen op", "Bron", "Naam incassant", "KvK nummer", "IBAN", "Website", "Email",
                 "Telefoon", "Postcode", "Plaats", "Datum brief", "Hoofdsom", "Incassokosten", "Omschrijving")
_NO_RNG = Random(0)


def register_csv(regs: list[Reg], day: date) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTER_HEADER)
    for reg in sorted((r for r in regs if r.start <= day), key=lambda r: r.nummer):
        ended = reg.end is not None and reg.end <= day
        writer.writerow((
            reg.nummer, reg.legal_at(day).text(), "|".join(reg.trade_at(day)), reg.kvk, reg.vestiging, reg.straat,
            reg.huisnummer, reg.postcode, reg.plaats, "|".join(w for w, _, s in reg.websites if s <= day),
            "|".join(e for e, s in reg.emails if s <= day),
            "|".join(write_phone(_NO_RNG, ph, st) for ph, st, s in reg.phones if s <= day),
            "|".join(text for _, text, s in reg.ibans if s <= day), reg.status if ended else "ingeschreven",
            reg.start.isoformat(), reg.end.isoformat() if ended else "", "",
        ))
    return out.getvalue().encode("utf-8")


def exempt_csv(offices: list[Office], day: date) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("naam", "kvk_nummer", "beroep", "plaats", "website"))
    for o in offices:
        sites = [w for w, _ in o.websites] + ([o.late_website[0]] if o.late_website and day >= LATE_SNAPSHOT else [])
        writer.writerow((o.naam, o.kvk, o.beroep, o.plaats, "|".join(sites)))
    return out.getvalue().encode("utf-8-sig")


def _fmt_date(d: date | None, iso: bool) -> str:
    if d is None:
        return ""
    return d.isoformat() if iso else d.strftime("%d-%m-%Y")


def signals_file(sigs: list[_Sig], rng: Random) -> tuple[bytes, str]:
    order = sorted(sigs, key=lambda s: (s.ontvangen, rng.random()))
    counters: Counter = Counter()
    for s in order:
        prefix = REF_PREFIX[s.bron]
        counters[prefix] += 1
        s.referentie = f"{prefix}-{s.ontvangen.year}-{counters[prefix]:05d}"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SIGNAL_HEADER)
    for s in order:
        ev = s.ev
        writer.writerow((s.referentie, _fmt_date(s.ontvangen, s.iso), s.bron, ev.naam, ev.kvk, ev.iban, ev.website,
                         ev.email, ev.telefoon, ev.postcode, ev.plaats, _fmt_date(s.brief, s.iso), s.hoofdsom, s.kosten,
                         s.omschrijving))
    text = out.getvalue()
    encoding = "cp1252" if rng.random() < 0.5 else "utf-8-sig"
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:
        return text.encode("utf-8-sig"), "utf-8-sig"


def snapshot_dates(mirror_start: date) -> list[date]:
    if not WKI_START <= mirror_start <= LATE_SNAPSHOT:
        raise ValueError("mirror_start must lie between 2024-04-01 and 2026-11-29")
    return [mirror_start] + [d for d in HISTORY_DATES if d > mirror_start]


def generate(*, seed: int, mirror_start: date, registrations: int = 1500, exempt: int = 300, collectors: int = 260,
             signals: int = 4200) -> World:
    """Build world A for ``seed``; the parties, signals and truth do not depend on ``mirror_start``."""
    _FOLD_CACHE.clear()
    b = _Builder(seed, registrations, exempt, collectors, signals)
    b.build_registrations()
    b.number_registrations()
    b.build_offices()
    b.surname_trade_names()
    b.build_collectors()
    b.index.frozen = True
    s = _Signals(b)
    s.build()
    data, encoding = signals_file(s.out, b.rng)
    truth = {sig.referentie: sig.truth for sig in sorted(s.out, key=lambda x: x.referentie)}
    dates = snapshot_dates(mirror_start)
    register = [(d, register_csv(b.regs, d)) for d in dates]
    exempt_dates = [mirror_start] + ([LATE_SNAPSHOT] if mirror_start < LATE_SNAPSHOT else [])
    exempts = [(d, exempt_csv(b.offices, d)) for d in exempt_dates]
    return World(name=f"world-a seed {seed} start {mirror_start.isoformat()}", seed=seed, mirror_start=mirror_start,
                 register_snapshots=register, exempt_snapshots=exempts, signals_csv=data, truth=truth,
                 dropped=dict(sorted(b.dropped.items())), encoding=encoding)


def dump(world: World, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for d, data in world.register_snapshots:
        (directory / f"register-{d.isoformat()}.csv").write_bytes(data)
    for d, data in world.exempt_snapshots:
        (directory / f"vrijgestelden-{d.isoformat()}.csv").write_bytes(data)
    (directory / "signalen.csv").write_bytes(world.signals_csv)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("referentie", "oordeel", "registratienummers", "verdachte", "kind", "detail"))
    for ref, t in world.truth.items():
        writer.writerow((ref, t.verdict, "|".join(t.registratienummers), t.collector or "", t.kind, t.detail))
    (directory / "truth.csv").write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mirror-start", type=date.fromisoformat, default=FINAL_SNAPSHOT)
    parser.add_argument("--dump", type=Path, help="write the snapshots, the signals file and truth.csv here")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    world = generate(seed=args.seed, mirror_start=args.mirror_start)
    elapsed = time.perf_counter() - t0
    verdicts = Counter(t.verdict for t in world.truth.values())
    print(f"{world.name}: {len(world.truth)} signals in {elapsed:.1f} s, encoding {world.encoding}, "
          f"{len(world.register_snapshots)} register snapshots, {len(world.exempt_snapshots)} exempt lists")
    for verdict, n in sorted(verdicts.items()):
        print(f"  {verdict:26s} {n:5d} ({n / len(world.truth):.1%})")
    print("kinds:")
    for kind, n in world.kind_counts().items():
        print(f"  {kind:40s} {n:5d}")
    print(f"dropped by the ambiguity guard: {sum(world.dropped.values())}")
    for reason, n in world.dropped.items():
        print(f"  {reason:60s} {n:5d}")
    if args.dump:
        dump(world, args.dump)
        print(f"written to {args.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
