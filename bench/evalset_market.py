"""Evaluation world "market" (author G): a crowded Dutch collection market seen from the Inspectie's intake.

Held out: written without reading the matcher (``wki/signals``), the other worlds' generators or the
README's signals sections, and never run against the matcher by its author. It imports nothing from
``wki``: the files it writes follow ``/work/shared/formats`` (register.md, vrijgestelden.md, signalen.md).

The world
---------
The world runs from 2024-04-01 to 2026-11-30. Its market is crowded on purpose:

- generic national names (Incasso Nederland, Nederlandse Incasso Maatschappij, Incasso Nederland Noord,
  Incasso Noord-Nederland, Holland Incasso, NL Incasso, Landelijk Incassobureau ...) and generic English ones
  (Credit Solutions, Credit Solutions Nederland, Debt Collect Services, Collect4U, Collect4You, CollectNow ...);
- initials and digits (ABC Incasso, A.B.C. Incasso, ABC Collect, 123Incasso, 1-2-3 Incasso, Incasso24,
  24/7 Incasso, JVB Incasso, J.v.B. Incasso, JVD Incasso, M&K Incasso ...);
- names after places and regions (Incassobureau Twente, Twentse Incasso, Gelderse Incasso, Incasso
  Gelderland, Rotterdamse Incasso, Deurwaarderskantoor Brabant, Incasso Noord ...);
- franchise chains: formula A, where every city's office is its own legal entity and registration
  ("Incasso Partners Utrecht", "Incasso Partners Zwolle", some offices unregistered, one website for all,
  an e-mail address per office), and formula B, where the franchisor holds one registration and lists
  each local office as a trade name (with unregistered franchisees in cities it does not list);
- families: one surname in a registered collector, a lawyer's office, a bailiff's office, an unregistered
  one-man business and sometimes a lawyer's registered collection company, in the same or other towns;
- holding companies collecting under trade names that differ from the legal name, with e-mail domains
  that differ from both; registered one-man firms on gmail; group companies sharing a website;
- unregistered collectors of every sort: one-man businesses, look-alikes of registered firms, chain
  offices, collectors abroad, "juristen" that are not lawyers and fake "deurwaarderskantoren";
- registrations from May 2024 (most before the 1 April 2025 deadline, some late, new entrants until
  October 2026), lapsed at an anniversary (verlopen) or struck off (doorgehaald), some re-registered
  after a gap under a new number; trade names added later; exempt offices opening later.

Signals come from consumers (typed from a letter, a scanned letter through OCR, a phone call through
speech-to-text), debt counsellors' and municipalities' case systems (truncation at 30/40 characters,
capitals, "h.o.d.n."), other supervisors, KvK extracts and anonymous tips, each source garbling the
collector's name its way and giving identifiers (KvK, IBAN, website, e-mail, phone) and an address as
such sources do: formats vary, IBANs are mistyped, the creditor's account or name turns up.

Labelling policy
----------------
The label is what a careful inspector would conclude about the party that actually sent the letter (the
collector), holding the register (every registration ever in it, with its dates, legal name, trade names,
KvK number, address, websites, e-mail addresses, phone numbers and bank accounts) and the exempt list
(office name, KvK number, profession, place, website), and reading the signal's name, identifiers and
address. The inspector knows nothing of unregistered collectors but what signals say. A signal is kept only
when that conclusion is the truth; otherwise it is dropped and counted in ``World.dropped`` by reason.
``Inspector`` below is this policy as code; it never sees how the signal was made, only what it says.

1. Verdicts on the reference date D (``datum_brief``, else ``ontvangen_op``; signalen.md). An exempt
   office: ``vrijgesteld``. A registered party with a registration valid on D (datum_inschrijving <= D <
   datum_einde): ``geregistreerd`` with that number. A registered party without one: ``registratie_niet_
   geldig`` with its registration(s) nearest to D: the last one that ended on or before D and the first one
   that starts after D (in the gap between a lapse and a re-registration both, equally right). A party in
   no list: ``niet_geregistreerd`` with a collector id shared by all its signals. A party is one legal
   entity (one KvK number); a re-registration keeps the KvK number and gets a new registration number.
2. Reading a name. Its words are distinctive elements (surnames, brand words, initials such as ABC or JVB,
   numbers such as the 24 of Incasso24, places and regions in the name), class words (collection words:
   incasso, incassobureau, collect, debiteurenbeheer, credit management, invorderingen ..., interchangeable;
   bailiff words; lawyer words), weak words (partners, groep, holding, beheer, maatschappij, dienst, zonen,
   advies: writers add and drop them), person initials (P., P.J., a first name: another initial is another
   person, a missing one is not) and the rest, ignored: legal forms in any spelling (B.V., BV, b.v., N.V.,
   V.O.F., Stichting, GmbH ...), connectors ("&", "en", "h.o.d.n.", "handelend onder de naam"), "mr.".
   Word order does not matter. Case, spacing, punctuation, dotted or spaced initials, tussenvoegsels
   ("v.d. Berg", "Berg") and spoken numbers ("vierentwintig", "een twee drie") are read through. A written
   word is read as itself and as every element of the market that it could be: the same after folding OCR
   confusions (rn/m, l/1/i, O/0, S/5, B/8, e/c, h/b) or Dutch sound-alike spellings (ij/ei/y, dt/d/t, c/k,
   ch/g, s/z, v/f, doubled letters), the same surname without or with abbreviated tussenvoegsel, sound-alike
   initials (JVB/JVD), a region or town and its adjective (Twente/Twentse, Rotterdam/Rotterdamse), known
   by-ear pairs (Smit/Smits, Bos/Bosch); a word that is no name of the market and no spelling of one is read
   as the elements one edit away. A word cut off by truncation could be any element it begins.
3. Fitting a listed name. The written class words must be compatible (the party's class or the listed
   name's; none written fits any class) and each written element must be, or could be, an element of the
   listed name, or its weak word, or (not alone) the party's own town ("Jansen Incasso Zwolle" for Jansen
   Incasso B.V. in Zwolle); a different initial does not fit. The fit is EXACT when every element is written
   as listed, nothing of the listed name is missing and the weak words and initials agree (an omitted class
   word does not matter); COMPLETE when nothing of the listed name is missing but a word was garbled, a
   sound-alike, cut off, or the town or a weak word added or dropped; PARTIAL when an element of the listed
   name is missing. The look-alike rule follows: a distinctive element that none of a party's listed names
   has, and that is not its town, makes another party (Incasso Nederland Noord is not Incasso Nederland,
   Jansen Juristen is not Jansen Advocaten, JVD Incasso is not JVB Incasso, Incasso Partners Zwolle is not
   Incasso Partners Utrecht): a registration covers the names it lists. A name that misses an element fits
   partially (Incasso Nederland could be Incasso Nederland Noord; Incasso Partners could be every office).
4. Identifiers and address. An identifier of exactly one listed party (KvK number, valid IBAN, phone,
   e-mail address; a website or non-free-mail domain that only that party lists; a KvK number or domain of a
   firm's several exempt offices) decides, unless the written name fits none of that party's names
   (contradictory: dropped). A domain that several listed parties with different verdicts share (a chain's,
   a group's) decides nothing; a mistyped IBAN (checksum) is ignored; a creditor's account or a payment
   portal is in no list. A KvK number rules out listed parties with another one; the collector's place rules
   out listed parties elsewhere (unless the place is in the fitting name, as with a franchisor's local trade
   names) and a postcode those at another postcode: in this world collectors write from the address they are
   listed at (no moves, no branch offices: a chain's office is its own entity or a franchisor's trade name).
5. Conclusion. Among the listed parties that fit and are not ruled out, those of the best fit (EXACT over
   COMPLETE over PARTIAL): if they give one verdict with one set of numbers (two exempt offices of one name
   both give ``vrijgesteld``) that is the conclusion; if not, the inspector cannot tell (dropped). No listed
   party fits and no identifier points to one (a signal with only unknown identifiers included):
   ``niet_geregistreerd``, kept only when the same rules, applied to the unregistered collectors, single out
   its collector (else dropped: a twin) and its name as written is no name in the register or the exempt
   list. The creditor in "X namens Y", "Y / X", "X i.o.v. Y", "Y via X" is not read as the collector, nor is
   a creditor's name that the description says is the creditor's; placeholders ("onbekend", "zie bijlage",
   "incassobureau") are no name. All names ever listed count, so labels do not depend on ``mirror_start``.

Kinds (``Truth.kind``, the market situation; ``KIND_WEIGHTS`` gives their shares): registered_valid,
trade_name (holding with trade names, h.o.d.n.), generic_names, initials_digits, regional_names,
chain_office, family, exempt_office, pseudo_exempt (juristen, fake deurwaarders), unregistered,
ended_registration, before_registration, date_boundary (D on a start or end, or one day off),
received_only (no letter date, near a start or end), letter_date_rule (letter before a start or end,
received after it), identifiers_only, creditor_alongside, kvk_extract, identifier_decides (the name alone
would not decide). Tags say how the source wrote the signal (``source:scan``, ``ocr``, ``speech_to_text``,
``spelled_by_ear``, ``truncated_30``, ``capitals``, ``hodn``, ``creditor_iban``, ``town_added`` ...).
Drop reasons: name_fits_several_exactly / _fully / _partly, lands_on_other_party (the name fits another
party best), unregistered_lookalike (an unregistered collector's name fits a listed party),
unregistered_twin, name_contradicts_identifier, identifier_shared, listed_party_not_recognised,
name_unreadable, name_as_written_listed, unregistered_unidentifiable, identifiers_conflict, no_evidence.
"""

from __future__ import annotations

import bisect
import csv
import io
import random
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

START = date(2024, 4, 1)  # Wki in force
END = date(2026, 11, 30)  # the world's last day and its last register snapshot
FIRST_DECISIONS = date(2024, 5, 13)  # Justis took applications from 2 April 2024; 13 weeks' decision period
DEADLINE = date(2025, 4, 1)  # end of the transition year

GEREGISTREERD = "geregistreerd"
NIET_GELDIG = "registratie_niet_geldig"
VRIJGESTELD = "vrijgesteld"
NIET_GEREGISTREERD = "niet_geregistreerd"

SIGNAL_COLUMNS = ("referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email",
                  "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving")
REGISTER_COLUMNS = ("registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat",
                    "huisnummer", "postcode", "plaats", "website", "email", "telefoon", "iban", "status",
                    "datum_inschrijving", "datum_einde", "geldig_tot")
EXEMPT_COLUMNS = ("naam", "kvk_nummer", "beroep", "plaats", "website")


# ----------------------------------------------------------------------------------------------- interface


@dataclass(frozen=True)
class Truth:
    verdict: str  # geregistreerd | registratie_niet_geldig | vrijgesteld | niet_geregistreerd
    registratienummers: tuple[str, ...]  # the right number(s); () for vrijgesteld / niet_geregistreerd
    collector: str | None  # niet_geregistreerd: the id shared by every signal about that collector
    kind: str  # the market situation
    detail: str  # short human explanation
    tags: tuple[str, ...] = ()
    bron: str = ""
    reference_date: date | None = None


@dataclass
class World:
    register_snapshots: list[tuple[date, bytes]]
    exempt_snapshots: list[tuple[date, bytes]]
    signals_csv: bytes
    truth: dict[str, Truth]  # keyed by the signal's ``referentie``
    dropped: dict[str, int]
    sizes: dict[str, int]
    seed: int = 1
    mirror_start: date = date(2026, 11, 1)


# ------------------------------------------------------------------------------------------------ lexicons

def comma_list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


SURNAMES = sorted(set(comma_list("""
De Jong, Jansen, De Vries, Van den Berg, Van Dijk, Bakker, Janssen, Visser, Smit, Meijer, De Boer, Mulder,
De Groot, Bos, Vos, Peters, Hendriks, Van Leeuwen, Dekker, Brouwer, De Wit, Dijkstra, Smits, De Graaf,
Van der Meer, Van der Linden, Kok, Jacobs, De Haan, Vermeulen, Van den Heuvel, Van der Veen, Van den Broek,
De Bruijn, De Bruin, Van der Heijden, Schouten, Van Beek, Willems, Van Vliet, Van de Ven, Hoekstra, Maas,
Verhoeven, Koster, Van Dam, Van der Wal, Prins, Blom, Huisman, Peeters, De Koning, Van Wijk, Postma, Kuipers,
Van den Bosch, Veenstra, Kuiper, Boer, Koning, Bosman, Van der Laan, Bosch, Wolters, Hermans, Claassen,
Van Rijn, Gerritsen, Martens, Timmermans, Mol, Van Dongen, Wouters, Verbeek, Groen, Scholten, Molenaar,
Kramer, Evers, Hofman, Vink, Lammers, Jonker, Hoogendoorn, Koopmans, Goossens, Dijkman, Van Loon, Sanders,
Pieters, Post, Van Doorn, Wijnands, Brink, Verschuren, Hendrikx, Meyer, Backer, Decker, Vissers, Kock,
Mulders, Willemse, Claessen, Pronk, Smeets, Wagenaar, Kroon, Zwart, Beekman, Schipper, Boersma, Rutten,
Van Gelder, Hofstra, Bouwman, Bijl, Dekkers, Kamphuis, Heijnen, Aalbers, Baas, Bennink, Boon, Buis, Coenen,
Dammers, Damen, Drost, Driessen, Eijkelenboom, Elzinga, Everts, Faber, Franken, Geurts, Hamers, Haverkamp,
Heemskerk, Hoving, Hulshof, Jager, Jongman, Keizer, Kersten, Klaver, Kleinjan, Knol, Kolk, Korver, Kuijpers,
Lambregts, Leenders, Linssen, Luiten, Maessen, Mertens, Meulenbelt, Mostert, Nijland, Nijhof, Oosterhuis,
Otten, Overbeek, Pauwels, Pel, Plomp, Quist, Reinders, Roelofs, Rozendaal, Schaap, Schrijver, Siebers, Slot,
Sluiter, Spaans, Stam, Steenbergen, Stoffels, Strijbos, Swinkels, Takken, Teunissen, Thijssen, Tol,
Uiterwijk, Valk, Veldhuis, Verkerk, Verweij, Vonk, Vrolijk, Wassink, Westra, Wiersma, Wijers, Zijlstra,
Zuidema, Van Eck, Van Es, Van Houten, Van Kampen, Van Os, Van Zanten, Ten Brink, Ter Horst, Op den Kamp,
In 't Veld, Van 't Hof, El Amrani, Yilmaz, Öztürk, Bouzid, Kaya, Nguyen, Ramdin, Tjon, Sardjoe""")))

# Surnames that a writer confuses by ear; the families are drawn so that both of a pair turn up.
CONFUSABLE_SURNAMES = [("Jansen", "Janssen"), ("Smit", "Smits"), ("Meijer", "Meyer"), ("Bakker", "Backer"),
                       ("Peters", "Pieters"), ("Peters", "Peeters"), ("Hendriks", "Hendrikx"),
                       ("Willems", "Willemse"), ("Claassen", "Claessen"), ("Dekker", "Decker"),
                       ("Dekker", "Dekkers"), ("Kok", "Kock"), ("Visser", "Vissers"), ("Bos", "Bosch"),
                       ("Mulder", "Mulders"), ("De Bruijn", "De Bruin"), ("Boer", "De Boer"),
                       ("Koning", "De Koning"), ("Kuiper", "Kuipers"), ("Kuipers", "Kuijpers"),
                       ("Van den Bosch", "Bosch")]
FAMILY_SURNAMES = [s for pair in CONFUSABLE_SURNAMES for s in pair] + [
    "De Vries", "Van den Berg", "Van Dijk", "De Groot", "Vos", "Brouwer", "De Wit", "Dijkstra", "De Graaf",
    "Van der Meer", "Jacobs", "De Haan", "Vermeulen", "Schouten", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "Van Dam", "Prins", "Blom", "Huisman", "Postma", "Veenstra", "Bosman", "Wolters", "Hermans", "Gerritsen",
    "Martens", "Timmermans", "Mol", "Wouters", "Verbeek", "Groen", "Scholten", "Molenaar", "Kramer", "Evers",
    "Hofman", "Jonker", "Sanders", "Kroon", "Zwart", "Rutten", "Faber", "Keizer", "Stam", "Valk", "Yilmaz",
    "El Amrani"]
FIRST_NAMES = ["Peter", "Jan", "Kees", "Henk", "Mark", "Sander", "Ruud", "Bas", "Johan", "Erik", "Marco", "Dennis",
               "Linda", "Sandra", "Monique", "Ingrid", "Sabine", "Anouk", "Fatima", "Mohamed", "Ahmed", "Yusuf",
               "Kevin", "Patrick", "Richard", "Ronald", "Gerard", "Wim", "Frank", "Hans", "Ilse", "Marieke",
               "Esther", "Nicole", "Priya", "Daan", "Thijs", "Bram", "Ruben", "Stefan"]
TUSSENVOEGSELS = {"van", "de", "den", "der", "het", "'t", "ten", "ter", "te", "op", "in", "el"}

BRAND_HEADS = ["Noord", "Zuider", "Ooster", "Wester", "Polder", "Dijk", "Duin", "Heide", "Zilver", "Goud", "Eiken",
               "Linden", "Beuken", "Water", "Zee", "Haven", "Molen", "Brug", "Sluis", "Kroon", "Gilde", "Waag",
               "Rijn", "Maas", "Vecht", "Eem", "Amstel", "Dal", "Veld", "Horst", "Wold", "Licht", "Ster", "Kompas",
               "Anker", "Baken", "Klaver", "Vlinder", "Toren", "Wilgen", "Merel", "Kievit", "Reiger", "Ceder"]
BRAND_TAILS = ["kaap", "licht", "wacht", "poort", "stad", "hof", "veld", "zicht", "kant", "land", "mark", "steen",
               "burg", "werk", "huys", "weg", "lijn", "punt", "vest", "wal", "haven", "plein", "roos", "waard",
               "hoek", "meer", "beek", "broek", "dam", "laan", "kade", "stein", "gaard", "rode", "wijk", "voort"]
BRAND_EN_HEADS = ["Clear", "True", "Prime", "Solid", "Swift", "Blue", "Green", "Bright", "First", "Key", "Core",
                  "Net", "Fin", "Pro", "Trust", "Silver", "Cedar", "Oak", "River", "Harbour"]
BRAND_EN_TAILS = ["way", "line", "point", "path", "gate", "bridge", "field", "stone", "view", "flow", "link",
                  "wise", "base", "hub", "port", "mark", "rock", "side"]

TRADE_WORDS = ["Incasso", "Incasso", "Incasso", "Incassodiensten", "Debiteurenbeheer", "Credit Management",
               "Credit Management", "Collect", "Invorderingen", "Incassokantoor", "Collections", "Incassodienst"]
TRADE_SWAPS = ["Incasso", "Incassobureau", "Incassodiensten", "Incassokantoor", "incassobureau", "Collect",
               "Debiteurenbeheer", "Credit Management", "Inkasso", "Incasso Bureau", "Invorderingen"]
BAILIFF_SWAPS = ["Gerechtsdeurwaarders", "Gerechtsdeurwaarderskantoor", "Deurwaarders", "Deurwaarderskantoor",
                 "deurwaarder", "Gerechtsdeurwaarder"]
LAWYER_SWAPS = ["Advocaten", "Advocatenkantoor", "advocaat", "Advocatuur", "advocaten"]
LEGAL_VARIANTS = {"bv": ["B.V.", "BV", "b.v.", "B.V", "Bv", "bv."], "nv": ["N.V.", "NV", "n.v."],
                  "vof": ["V.O.F.", "VOF", "vof", "v.o.f.", "Vof"], "cv": ["C.V.", "CV"], "ua": ["U.A.", "UA"],
                  "stichting": ["Stichting", "St.", "stichting"], "gmbh": ["GmbH", "Gmbh", "GMBH"],
                  "ltd": ["Ltd", "Ltd.", "Limited", "LTD"], "uab": ["UAB"], "nl": [".nl"]}
WEAK_CANON = {"group": "groep", "zn": "zonen"}
FREE_MAIL = {"gmail.com", "hotmail.com", "outlook.com", "live.nl", "hotmail.nl", "ziggo.nl", "kpnmail.nl",
             "planet.nl", "home.nl", "icloud.com", "yahoo.com"}
PORTALS = ["mijnincassodossier.nl", "betaalportaal.nl", "dossier-online.nl", "ikwilbetalen.nl"]

# name;first postcode;last postcode;area code;region key;adjective
CITIES = [(n, int(lo), int(hi), area, region, adj or None) for n, lo, hi, area, region, adj in (
    row.strip().split(";") for row in """
Amsterdam;1011;1109;020;noordholland;Amsterdamse | Rotterdam;3011;3089;010;rijnmond;Rotterdamse
's-Gravenhage;2491;2599;070;haaglanden;Haagse | Utrecht;3511;3585;030;utrecht;Utrechtse
Eindhoven;5611;5658;040;brabant;Eindhovense | Groningen;9711;9747;050;groningen;Groninger
Tilburg;5011;5049;013;brabant;Tilburgse | Almere;1311;1363;036;flevoland; | Breda;4811;4839;076;brabant;Bredase
Nijmegen;6511;6546;024;gelderland;Nijmeegse | Apeldoorn;7311;7339;055;veluwe;Apeldoornse
Haarlem;2011;2037;023;kennemerland;Haarlemse | Arnhem;6811;6846;026;gelderland;Arnhemse
Enschede;7511;7548;053;twente;Enschedese | Amersfoort;3811;3829;033;utrecht;Amersfoortse
Zaandam;1501;1509;075;noordholland;Zaanse | 's-Hertogenbosch;5211;5237;073;brabant;Bossche
Zwolle;8011;8043;038;overijssel;Zwolse | Leiden;2311;2334;071;zuidholland;Leidse
Maastricht;6211;6229;043;limburg;Maastrichtse | Dordrecht;3311;3329;078;zuidholland;Dordtse
Ede;6711;6718;0318;veluwe; | Alkmaar;1811;1827;072;noordholland;Alkmaarse | Emmen;7811;7833;0591;drenthe;
Delft;2611;2629;015;zuidholland;Delftse | Deventer;7411;7431;0570;overijssel;Deventer
Venlo;5911;5928;077;limburg;Venlose | Leeuwarden;8911;8939;058;friesland;Leeuwarder
Helmond;5701;5709;0492;brabant; | Hengelo;7551;7559;074;twente;Hengelose
Hoorn;1621;1628;0229;noordholland;Hoornse | Assen;9401;9409;0592;drenthe;Asser | Sittard;6131;6137;046;limburg;
Heerlen;6411;6422;045;limburg;Heerlense | Oss;5341;5349;0412;brabant;Osse
Gouda;2801;2809;0182;zuidholland;Goudse | Middelburg;4331;4339;0118;zeeland;Middelburgse
Doetinchem;7001;7009;0314;achterhoek; | Almelo;7601;7609;0546;twente;Almelose
Hilversum;1211;1223;035;gooi;Hilversumse | Lelystad;8211;8245;0320;flevoland;
Zoetermeer;2711;2729;079;haaglanden; | Nieuwegein;3431;3439;030;utrecht;
Schiedam;3111;3125;010;rijnmond;Schiedamse | Hardenberg;7771;7773;0523;overijssel;
Winterswijk;7101;7109;0543;achterhoek; | Goes;4461;4465;0113;zeeland;Goese
Vlissingen;4381;4389;0118;zeeland;Vlissingse | Drachten;9201;9206;0512;friesland;
Sneek;8601;8608;0515;friesland;Sneker | Kampen;8261;8266;038;overijssel;Kamper
Harderwijk;3841;3849;0341;veluwe; | Woerden;3441;3449;0348;utrecht;Woerdense
Weert;6001;6006;0495;limburg;Weerter | Roermond;6041;6046;0475;limburg;Roermondse
Zutphen;7201;7206;0575;achterhoek;Zutphense | Meppel;7941;7944;0522;drenthe;
Den Helder;1781;1789;0223;noordholland; | Bergen op Zoom;4611;4617;0164;brabant;
Waalwijk;5141;5146;0416;brabant; | Uden;5401;5406;0413;brabant; | Barneveld;3771;3775;0342;veluwe;
Tiel;4001;4007;0344;gelderland;Tielse | Purmerend;1441;1448;0299;noordholland;
Veenendaal;3901;3909;0318;utrecht; | Heerenveen;8441;8449;0513;friesland;""".replace("\n", " | ").split(" | ") if row.strip())]
CITY_ALIASES = {"'s-Gravenhage": ["Den Haag", "DEN HAAG", "den haag"], "'s-Hertogenbosch": ["Den Bosch", "den Bosch"]}
# region key: noun, adjective, extra spellings of the noun
REGIONS = {
    "twente": ("Twente", "Twentse", []), "gelderland": ("Gelderland", "Gelderse", ["Gelders"]),
    "brabant": ("Brabant", "Brabantse", []), "limburg": ("Limburg", "Limburgse", []),
    "friesland": ("Friesland", "Friese", ["Fryslân"]), "zeeland": ("Zeeland", "Zeeuwse", []),
    "drenthe": ("Drenthe", "Drentse", []), "achterhoek": ("Achterhoek", "Achterhoekse", []),
    "veluwe": ("Veluwe", "Veluwse", []), "rijnmond": ("Rijnmond", None, []),
    "groningen": ("Groningen", "Groninger", []), "overijssel": ("Overijssel", "Overijsselse", []),
    "gooi": ("Gooi", "Gooise", []), "kennemerland": ("Kennemerland", "Kennemer", []),
    "noordholland": ("Noord-Holland", "Noord-Hollandse", []), "zuidholland": ("Zuid-Holland", "Zuid-Hollandse", []),
    "utrecht": ("Utrecht", "Utrechtse", []), "flevoland": ("Flevoland", "Flevolandse", []),
    "haaglanden": ("Haaglanden", None, []),
}
COMPASS = [("Noord", "Noordelijke"), ("Zuid", "Zuidelijke"), ("Oost", "Oostelijke"), ("West", "Westelijke")]
NATIONAL_PLACES = [("Nederland", "Nederlandse"), ("Holland", "Hollandse"), ("NL", None), ("Dutch", None)]
FOREIGN = [("Düsseldorf", "DE", "+49 211"), ("Antwerpen", "BE", "+32 3"), ("London", "GB", "+44 20"),
           ("Vilnius", "LT", "+370 5"), ("Dublin", "IE", "+353 1")]
STREETS = ["Stationsweg", "Kerkstraat", "Dorpsstraat", "Industrieweg", "Marktplein", "Hoofdstraat", "Nieuwe Gracht",
           "Handelsweg", "Havenstraat", "Zuidsingel", "Energieweg", "Transportweg", "Kanaalweg", "Parallelweg",
           "Brinkstraat", "Molenweg", "Europaplein", "Vestdijk", "Laan van Zuid", "Koningsweg", "Stadionweg",
           "Westblaak", "Leidseweg", "Oude Markt", "Burgemeester Roellstraat", "Graafseweg", "Spoorlaan"]
CREDITORS = ["Telecom NoordNet", "Energiebedrijf Stroomlijn", "Zorgverzekeraar Polderzorg", "Sportschool FitPlein",
             "Webwinkel Koopgemak", "Woonstichting Rijnhaven", "Achterafbetaaldienst PayLater",
             "Fietslease Trapvast", "Verzekeraar Zekerwijs", "Mobiel Direct Abonnementen", "Glasvezel Oost",
             "Waterbedrijf Heldermeer", "Autoverhuur Snelweg", "Kinderopvang Het Speelbos", "Thuiszorg Zorgzaam",
             "Opleidingsinstituut Leerkracht", "Dierenkliniek De Poot", "Parkeerbeheer Stadsplein",
             "Zonnepanelen Zonvast", "Streamingdienst Kijkgraag", "Postorderbedrijf Pakketkoning",
             "Tandartsenpraktijk Glimlach", "Huurwoningen Maasstad", "Loterij Geluksvogel", "Datingsite Hartslag"]
COMPLAINTS = ["Aanmaning ontvangen", "Incassokosten lijken te hoog", "Geen veertiendagenbrief ontvangen",
              "Dreigt met beslag op loon", "Belt meerdere keren per dag", "Vordering is al betaald",
              "Betalingsregeling geweigerd", "Dreigt met BKR-registratie", "Onduidelijk voor wie wordt geïncasseerd",
              "Kosten opgeteld bij elke termijn", "Dreigende WhatsApp-berichten", "Geen reactie op klacht",
              "Vordering volgens cliënt verjaard", "Huisbezoek aangekondigd", "Rente en kosten niet gespecificeerd"]


# -------------------------------------------------------------------------------------------- text helpers


def canon(text: str) -> str:
    """Lower case, accents off, letters and digits only."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


PLACE_ALIAS = {"denhaag": "sgravenhage", "thehague": "sgravenhage", "denbosch": "shertogenbosch"}


def place_key(text: str) -> str:
    key = canon(text)
    return PLACE_ALIAS.get(key, key)


SPOKEN = {"een": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7", "acht": "8",
          "negen": "9", "nul": "0", "vierentwintig": "24", "driehonderdvijfenzestig": "365", "for": "4",
          "four": "4", "you": "u", "one": "1", "two": "2", "three": "3"}
SPEAK = {"24": "vierentwintig", "365": "driehonderdvijfenzestig", "4": "vier", "7": "zeven"}
DIGIT_WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]


def spoken_norm(text: str) -> str:
    """What a reader makes of spoken numbers: whole words only ("collect for you" -> "collect 4 u")."""
    words = [x for x in re.split(r"[\s/.\-&]+", text.lower()) if x]
    # "b en s": the "en" of spelled-out initials is the ampersand of B&S
    words = [x for i, x in enumerate(words) if not (x == "en" and 0 < i < len(words) - 1
                                                     and len(words[i - 1]) == 1 and len(words[i + 1]) == 1)]
    return " ".join(SPOKEN.get(x, x) for x in words)


_OCR_FOLDS = (("rn", "m"), ("vv", "w"), ("ii", "u"))
_DIGIT_AS_LETTER = {"0": "o", "1": "l", "5": "s", "8": "b"}
_SOUND_FOLDS = (("eij", "y"), ("ij", "y"), ("ei", "y"), ("ey", "y"), ("ph", "f"), ("th", "t"), ("ch", "g"),
                ("ck", "k"), ("qu", "kw"), ("x", "ks"), ("z", "s"), ("v", "f"), ("dt", "t"), ("ou", "au"),
                ("ie", "i"))


def fold(key: str) -> str:
    """Fold OCR confusions and Dutch sound-alike spellings: two spellings a reader could take for one another
    fold to the same string (or to strings one edit apart)."""
    s = key
    for a, b in _OCR_FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"(?<=[a-z])[0158](?=[a-z])|^[0158](?=[a-z]{2})|(?<=[a-z]{2})[0158]$",
               lambda m: _DIGIT_AS_LETTER[m.group()], s)
    for a, b in _SOUND_FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"c(?=[aoulrkt]|$)", "k", s)
    s = re.sub(r"d$", "t", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    for root in ("inkaso", "kolekt"):  # incasso and collect, folded, glued to a number or a short brand
        if s != root and s.startswith(root) and _numberish(s[len(root):]):
            s = s[len(root):]
        elif s != root and s.endswith(root) and _numberish(s[: -len(root)]):
            s = s[: -len(root)]
    return s


def ocr_fold(key: str) -> str:
    """Fold what OCR confuses (rn/m, vv/w, ii/u, l/1/i, O/0, S/5, B/8, c/e, h/b) to one letter each."""
    s = key
    for a, b in _OCR_FOLDS:
        s = s.replace(a, b)
    return s.translate(_OCR_TABLE)


_OCR_TABLE = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "8": "h", "c": "e", "b": "h"})


def _numberish(rest: str) -> bool:
    return bool(rest) and (any(c.isdigit() for c in rest) or len(rest) <= 3)


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance at most 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def deletes(s: str) -> set[str]:
    return {s[:i] + s[i + 1:] for i in range(len(s))}


TRADE_ROOTS = ("incasso", "inkasso", "collect")


def has_trade_root(key: str) -> bool:
    return any(root in key for root in TRADE_ROOTS)


# Letters that sound alike when a name is spelled out in Dutch (bee/dee/pee/tee/wee, em/en/ef/es ...).
SOUND_GROUPS = ["bcdegptw", "flmns", "ahk", "ijy", "qu", "vz"]
_SOUND_GROUP_OF = {ch: i for i, group in enumerate(SOUND_GROUPS) for ch in group}


def initials_sound_alike(a: str, b: str) -> bool:
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (len(diff) == 1 and a[diff[0]] in _SOUND_GROUP_OF
            and _SOUND_GROUP_OF.get(a[diff[0]]) == _SOUND_GROUP_OF.get(b[diff[0]]))


def initials_key(text: str) -> str:
    """P. / P.J. / PJ / "p j" -> the letters; a first name (Peter, PETER) -> its first letter."""
    key = canon(text)
    return key if "." in text or " " in text.strip() or len(key) <= 2 else key[:1]


def compact_postcode(text: str) -> str:
    return text.replace(" ", "").upper()


# ----------------------------------------------------------------------------------------------- names

ROLES = {"c": "core", "p": "place", "i": "initial", "t": "trade", "b": "bailiff", "a": "lawyer", "w": "weak",
         "l": "legal", "j": "join", "m": "title"}
CLASS_OF_ROLE = {"trade": "collect", "bailiff": "bailiff", "lawyer": "lawyer"}


@dataclass(frozen=True)
class Word:
    text: str
    role: str
    key: str


@dataclass(frozen=True)
class NameForm:
    """One name of a party (legal name or trade name), as words with roles."""

    words: tuple[Word, ...]
    since: date
    text: str
    elements: frozenset[str]
    places: frozenset[str]
    weak: frozenset[str]
    initials: str
    cls_words: frozenset[str]


def w(text: str, code: str) -> str:
    """One word of the little name language: ``text:code``, spaces as underscores."""
    return f"{text.replace(' ', '_')}:{code}"


def word_key(text: str, role: str) -> str:
    if role == "core":
        return canon(spoken_norm(text))
    if role == "place":
        return place_key(text)
    if role == "initial":
        return initials_key(text)
    if role == "weak":
        key = canon(text)
        return WEAK_CANON.get(key, key)
    return ""


def join_texts(texts: list[tuple[str, bool]]) -> str:
    """Texts with their glue flag (no space before) joined into one string."""
    out = ""
    for text, glue in texts:
        if not text:
            continue
        out += text if (glue or not out) else " " + text
    return out


def make_name(spec: str, since: date = START) -> NameForm:
    words = []
    for token in spec.split():
        text, _, code = token.rpartition(":")
        role = ROLES[code]
        text = text.replace("_", " ")
        words.append(Word(text, role, word_key(text, role)))
    texts, glue_next = [], False
    for word in words:
        if word.role == "join" and word.text == "-":
            texts.append(("-", True))
            glue_next = True
            continue
        texts.append((word.text, glue_next or word.text == ".nl"))
        glue_next = False
    elements = frozenset(x.key for x in words if x.role in ("core", "place") and x.key)
    cls = {CLASS_OF_ROLE[x.role] for x in words if x.role in CLASS_OF_ROLE}
    if any(has_trade_root(x.key) for x in words if x.role == "core"):
        cls.add("collect")
    return NameForm(tuple(words), since, join_texts(texts), elements,
                    frozenset(x.key for x in words if x.role == "place"),
                    frozenset(x.key for x in words if x.role == "weak"),
                    "".join(x.key for x in words if x.role == "initial"), frozenset(cls))


# --------------------------------------------------------------------------------------------- parties


@dataclass
class Registration:
    number: str
    start: date
    end: date | None = None
    end_status: str = ""  # doorgehaald | verlopen

    def valid_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class Party:
    pid: str
    status: str  # registered | exempt | unlisted
    cls: str  # collect | bailiff | lawyer
    names: list[NameForm]  # legal (or office) name first, then trade names
    group: str  # plain, hodn, generic, initials, regional, chain, family, exempt, pseudo, foreign
    city: str = ""
    city_key: str = ""
    street: str = ""
    number: str = ""
    postcode: str = ""
    kvk: str = ""
    vestiging: str = ""
    websites: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    regs: list[Registration] = field(default_factory=list)
    active_from: date = START
    since: date = START
    beroep: str = ""
    weight: float = 1.0
    cluster: str = ""
    note: str = ""
    local_names: frozenset[int] = frozenset()  # indexes of franchisor trade names of local offices (formula B)

    @property
    def legal(self) -> NameForm:
        return self.names[0]

    def names_on(self, day: date) -> list[NameForm]:
        return [n for n in self.names if n.since <= day]

    def listed_identifiers(self) -> list[tuple[str, str]]:
        """The identifiers the Inspectie's lists hold for this party (exempt list: KvK and website only)."""
        out = [("kvk", self.kvk)] if self.kvk else []
        out += [("domain", registrable_domain(x)) for x in self.websites]
        if self.status == "exempt":
            return out
        out += [("iban", x) for x in self.ibans] + [("phone", phone_key(x)) for x in self.phones]
        for email in self.emails:
            out.append(("email", email.lower()))
            domain = email.rsplit("@", 1)[1].lower()
            if domain not in FREE_MAIL:
                out.append(("domain", registrable_domain(domain)))
        return out


def registrable_domain(text: str) -> str:
    host = re.sub(r"^[a-z]+://", "", text.strip().lower()).split("/")[0].split("?")[0].split(":")[0]
    return ".".join(host.split(".")[-2:])


def phone_key(text: str) -> str:
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if text.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    return digits


def iban_check(country: str, bban: str) -> str:
    number = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{98 - int(number) % 97:02d}"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def late_date(rng: random.Random, lo: date, hi: date) -> date:
    """A date in [lo, hi], later ones likelier: the intake grows as supervision gets known."""
    return lo + timedelta(days=int(max(0, (hi - lo).days) * rng.random() ** 0.7))


# ------------------------------------------------------------------------------------------ the market


def brand_words(rng: random.Random) -> list[str]:
    """Invented brand words, Dutch, English and mixed (Noordkaap, Clearway, Polderpoint)."""
    words = [h + t for h in BRAND_HEADS + BRAND_EN_HEADS for t in BRAND_TAILS + BRAND_EN_TAILS
             if not h.lower().endswith(t[:1])]
    rng.shuffle(words)
    return words


def initials_text(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTVW"
    return ".".join(rng.choice(letters) for _ in range(rng.choice([1, 1, 2]))) + "."


class MarketBuilder:
    """Builds the parties: the look-alike clusters and chains first, then families, then the plain rest, so
    that the crowding is there at every size; then registrations, dates and identifiers."""

    def __init__(self, seed: int, registrations: int, exempt: int, collectors: int) -> None:
        self.rng = random.Random(f"market/{seed}/parties")
        self.n_rereg = round(registrations * 0.045)
        self.need = {"registered": registrations - self.n_rereg, "exempt": exempt, "unlisted": collectors}
        self.count: Counter = Counter()
        self.parties: list[Party] = []
        self.used: dict[str, set[str]] = defaultdict(set)
        self.signatures: set[tuple] = set()
        self.brands = brand_words(self.rng)
        self.sizes: Counter = Counter()

    # ---- budgets and basic pieces

    def left(self, status: str) -> int:
        return self.need[status] - self.count[status]

    def pick_status(self, preference: str) -> str | None:
        order = {"r": ["registered", "unlisted"], "u": ["unlisted", "registered"], "e": ["exempt"],
                 "?": ["registered", "unlisted"] if self.rng.random() < 0.6 else ["unlisted", "registered"]}
        for status in order[preference]:
            if self.left(status) > 0:
                return status
        return None

    def brand(self) -> str:
        while self.brands:
            word = self.brands.pop()
            if canon(word) not in self.used["brand"]:
                self.used["brand"].add(canon(word))
                return word
        rng = self.rng  # a very large market: brand words of three parts
        return self.unique("brand", lambda: rng.choice(BRAND_HEADS) + rng.choice(BRAND_TAILS)
                           + rng.choice(["a", "o", "is", "ix", "um", "on", "ia", "ex"]))

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    def city(self, region: str | None = None) -> tuple:
        rows = [c for c in CITIES if c[4] == region] if region else []
        return self.rng.choice(rows or CITIES)

    def unique(self, kind: str, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used[kind]:
                self.used[kind].add(value)
                return value
        raise RuntimeError(kind)

    def kvk(self) -> str:
        rng = self.rng
        return self.unique("kvk", lambda: ("0" + str(rng.randint(1000000, 9999999))) if rng.random() < 0.1
                           else str(rng.randint(10000000, 99999999)))

    def iban(self, country: str = "NL", bank: str | None = None) -> str:
        rng = self.rng

        def make() -> str:
            if country == "NL":
                bban = (bank or rng.choice(["ABNA", "INGB", "INGB", "RABO", "RABO", "SNSB", "TRIO", "ASNB", "KNAB",
                                            "BUNQ", "RBRB"])) + "".join(rng.choice("0123456789") for _ in range(10))
            else:
                length = {"DE": 18, "BE": 12, "GB": 18, "LT": 16, "IE": 18}[country]
                bban = "".join(rng.choice("0123456789") for _ in range(length))
                if country in ("GB", "IE"):
                    bban = rng.choice(["BARC", "HSBC", "AIBK", "BOFI"]) + bban[4:]
            return country + iban_check(country, bban) + bban
        return self.unique("iban", make)

    def phone(self, area: str, style: str = "fixed") -> str:
        rng = self.rng
        if style == "mobile":
            return self.unique("phone", lambda: "06-" + str(rng.randint(10000000, 99999999)))
        if style == "national":
            return self.unique("phone", lambda: rng.choice(["088", "085", "0900"]) + "-" + str(rng.randint(1000000, 9999999)))
        if area.startswith("+"):
            return self.unique("phone", lambda: f"{area} {rng.randint(1000000, 9999999)}")
        width = 10 - len(area)
        return self.unique("phone", lambda: f"{area}-{rng.randint(2 * 10 ** (width - 1), 10 ** width - 1)}")

    def postcode(self, city: tuple) -> str:
        rng = self.rng
        letters = "ABCDEGHJKLMNPRSTVWXZ"
        return self.unique("postcode", lambda: f"{rng.randint(city[1], city[2])} {rng.choice(letters)}{rng.choice(letters)}")

    def domain(self, name: NameForm, tld: str | None = None) -> str:
        rng = self.rng
        parts = [canon(x.text) for x in name.words if x.role in ("core", "place", "initial") and canon(x.text)]
        trade = [canon(x.text) for x in name.words if x.role in ("trade", "bailiff", "lawyer")]
        if not parts:
            parts = ["incasso"]
        if len("".join(parts)) <= 4 or (trade and rng.random() < 0.4):
            parts = parts + trade[:1] if rng.random() < 0.6 else trade[:1] + parts
        base = ("-" if rng.random() < 0.3 else "").join(parts)[:40]
        tld = tld or rng.choice([".nl"] * 8 + [".com", ".eu", ".online"])
        for suffix in ["", "-incasso", "-nl", "24", "-online", "-bv", "2", "3", "-groep"]:
            candidate = f"{base}{suffix}{tld}"
            if candidate not in self.used["domain"]:
                self.used["domain"].add(candidate)
                return candidate
        return self.unique("domain", lambda: f"{base}{rng.randint(10, 999)}{tld}")

    def free_mail(self, name: NameForm) -> str:
        rng = self.rng
        base = "".join(canon(x.text) for x in name.words if x.role in ("core", "initial", "trade"))[:24] or "incasso"
        return self.unique("email", lambda: f"{base}{rng.choice(['', '', str(rng.randint(1, 99))])}@"
                                            f"{rng.choice(['gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'live.nl'])}")

    # ---- a party

    def new_party(self, status: str, cls: str, names: list[NameForm], group: str, city: tuple | None = None, *,
                  cluster: str = "", note: str = "", foreign: tuple | None = None) -> Party:
        rng = self.rng
        self.count[status] += 1
        pid = f"{ {'registered': 'R', 'exempt': 'E', 'unlisted': 'U'}[status]}{len(self.parties):05d}"
        p = Party(pid, status, cls, names, group, cluster=cluster, note=note)
        for name in names:
            self.claim_signature(name, cls)
        p.street, p.number = rng.choice(STREETS), str(rng.randint(1, 250)) + rng.choice([""] * 6 + ["a", "b", "-1"])
        if foreign:
            p.city, p.city_key = foreign[0], place_key(foreign[0])
        else:
            city = city or self.city()
            p.city, p.city_key, p.postcode = city[0], place_key(city[0]), self.postcode(city)
        self.parties.append(p)
        return p

    def identify(self, p: Party, *, area: str, kvk: float, website: float, email: float, phone: float,
                 iban: float, free_mail: float = 0.0, mobile: float = 0.0, national: float = 0.0,
                 domain: str | None = None, country: str = "NL", banks: list[str] | None = None) -> None:
        """Give a party its identifiers; ``domain`` is a shared website (a chain's or a group's)."""
        rng = self.rng
        name = p.names[-1] if len(p.names) > 1 and rng.random() < 0.6 else p.legal
        if rng.random() < kvk:
            p.kvk = self.kvk()
            if p.status == "registered" and rng.random() < 0.7:
                p.vestiging = self.unique("vestiging", lambda: "0000" + str(rng.randint(10000000, 99999999)))
        own = None
        if domain or rng.random() < website:
            own = domain or self.domain(name, ".de" if country == "DE" else ".be" if country == "BE" else None)
            p.websites.append(own if rng.random() < 0.7 else "www." + own)
        if rng.random() < email:
            if rng.random() < free_mail or not own:
                p.emails.append(self.free_mail(p.legal))
            else:
                mail_domain = own if rng.random() < 0.75 else self.domain(p.legal)
                p.emails.append(self.unique("email", lambda: rng.choice(["info", "info", "contact", "incasso",
                                                                           "administratie", "debiteuren"])
                                            + "@" + mail_domain))
        if rng.random() < phone:
            style = "mobile" if rng.random() < mobile else "national" if rng.random() < national else "fixed"
            p.phones.append(self.phone(area, style))
        if rng.random() < iban:
            p.ibans.append(self.iban(country, rng.choice(banks) if banks else None))
            if p.status == "registered" and rng.random() < 0.18:
                p.ibans.append(self.iban())

    def registered(self, names: list[NameForm], group: str, city: tuple | None = None, **kw) -> Party:
        city = city or self.city()
        p = self.new_party("registered", "collect", names, group, city, **kw)
        self.identify(p, area=city[3], kvk=1.0, website=0.78, email=0.85, phone=0.93, iban=0.88, free_mail=0.07,
                      national=0.15)
        return p

    def unlisted(self, names: list[NameForm], group: str, city: tuple | None = None, **kw) -> Party:
        city = city or self.city()
        p = self.new_party("unlisted", "collect", names, group, city, **kw)
        self.identify(p, area=city[3], kvk=0.55, website=0.4, email=0.7, phone=0.85, iban=0.9, free_mail=0.55,
                      mobile=0.6, banks=["BUNQ", "KNAB", "INGB", "RABO", "ABNA", "TRIO"])
        return p

    def exempt(self, names: list[NameForm], cls: str, group: str, city: tuple | None = None, *,
               kvk: str | None = None, domain: str | None = None, **kw) -> Party:
        city = city or self.city()
        p = self.new_party("exempt", cls, names, group, city, **kw)
        p.beroep = "gerechtsdeurwaarder" if cls == "bailiff" else "advocaat"
        self.identify(p, area=city[3], kvk=0.0, website=0.6, email=0.7, phone=0.9, iban=0.6, domain=domain)
        p.kvk = kvk if kvk is not None else (self.kvk() if self.rng.random() < 0.7 else "")
        return p

    def signature_free(self, name: NameForm, cls: str) -> bool:
        sig = (name.elements, name.initials, name.cls_words or frozenset({cls}))
        if sig in self.signatures:
            return False
        self.signatures.add(sig)
        return True

    def claim_signature(self, name: NameForm, cls: str) -> None:
        self.signatures.add((name.elements, name.initials, name.cls_words or frozenset({cls})))

    # ---- clusters

    def build_template_cluster(self, cluster: str, group: str, templates: list[tuple], big_cities: bool = False) -> None:
        shared: dict[str, str] = {}
        for template in templates:
            spec, preference = template[:2]
            share = template[2] if len(template) > 2 else None
            status = self.pick_status(preference)
            if status is None:
                continue
            city = self.city() if not big_cities else self.rng.choice(CITIES[:20])
            if isinstance(spec, tuple):  # (spec, region or city): a regional name sits in its region or city
                spec, where = spec
                city = where if isinstance(where, tuple) else self.city(where)
            name = make_name(spec)
            if preference == "e":
                p = self.exempt([name], "bailiff" if "bailiff" in name.cls_words else "lawyer", group, city,
                                cluster=cluster, note="look-alike exempt office")
            elif status == "registered":
                p = self.registered([name], group, city, cluster=cluster, note="look-alike, registered")
            else:
                p = self.unlisted([name], group, city, cluster=cluster, note="look-alike, unregistered")
            self.claim_signature(name, p.cls)
            if share and p.websites and status == "registered":
                if share in shared:  # a sister company under the group's website
                    p.websites = [shared[share]]
                else:
                    shared[share] = p.websites[0]
            self.sizes[f"cluster_{group}"] += 1

    def build_generic(self) -> None:
        nl = [("Incasso:t Nederland:p B.V.:l", "r", "inl"), ("Nederlandse:p Incasso:t Maatschappij:w B.V.:l", "r"),
              ("Incasso:t Nederland:p Noord:p B.V.:l", "?", "inl"), ("Incassobureau:t Nederland:p", "u"),
              ("Nederland:p Incasso:t Groep:w B.V.:l", "?", "inl"), ("Incasso:t Noord:p -:j Nederland:p", "?"),
              ("Holland:p Incasso:t B.V.:l", "r"), ("Hollandse:p Incassodienst:t B.V.:l", "?"),
              ("Incasso:t Holland:p Zuid:p", "u"), ("Dutch:p Collect:t B.V.:l", "r"),
              ("Dutch:p Credit_Management:t", "?"), ("NL:p Incasso:t B.V.:l", "?"),
              ("Incasso:t Nederland:p Online:c", "u"), ("Landelijk:c Incassobureau:t B.V.:l", "r"),
              ("Landelijke:c Incasso:t Groep:w", "?"), ("Centraal:c Incassobureau:t", "?"),
              ("Centrale:c Incasso:t Dienst:w", "u"), ("Nationaal:c Incasso:t Instituut:c", "?")]
        en = [("Credit:c Solutions:c B.V.:l", "r", "cs"), ("Credit:c Solutions:c Nederland:p B.V.:l", "?", "cs"),
              ("Debt:c Solutions:c", "?"), ("Debt:c Collect:t Services:c B.V.:l", "r"),
              ("Debt:c Services:c Holland:p", "u"), ("Collect4U:c B.V.:l", "r"), ("Collect4You:c", "u"),
              ("Credit:c Care:c B.V.:l", "r"), ("Credit:c Control:c Services:c", "?"),
              ("Smart:c Collect:t B.V.:l", "r"), ("Smart:c Credit:c Collect:t", "?"), ("Fair:c Collect:t", "?"),
              ("Fair:c Pay:c Collect:t B.V.:l", "r"), ("Easy:c Collect:t", "u"), ("Pay:c Collect:t B.V.:l", "?"),
              ("CollectNow:c B.V.:l", "r"), ("Collect:t Now:c", "u"), ("Credit:c Recovery:c Services:c", "?"),
              ("Debt:c Recovery:c Nederland:p", "?"), ("Claims:c Direct:c B.V.:l", "r"), ("Direct:c Incasso:t", "?"),
              ("Pay:c Direct:c Incasso:t", "u")]
        self.build_template_cluster("generic-nl", "generic", nl, big_cities=True)
        self.build_template_cluster("generic-en", "generic", en, big_cities=True)

    def build_initials(self, extra: int) -> None:
        fixed = [("ABC:c Incasso:t B.V.:l", "r"), ("A.B.C.:c Incasso:t", "u"), ("ABC:c Collect:t", "?"),
                 ("ABC:c Incasso:t Groep:w", "?"), ("AB:c Incasso:t", "?"), ("123Incasso:c B.V.:l", "r"),
                 ("1-2-3:c Incasso:t", "u"), ("Incasso24:c B.V.:l", "r"), ("24/7:c Incasso:t", "?"),
                 ("Incasso:t 365:c", "?"), ("Incasso4U:c", "u"), ("JVB:c Incasso:t B.V.:l", "r"),
                 ("J.v.B.:c Incasso:t", "?"), ("JVD:c Incasso:t", "?"), ("JVB:c Credit_Management:t", "u"),
                 ("M&K:c Incasso:t V.O.F.:l", "r"), ("MK:c Incasso:t", "u"), ("MKB:c Incasso:t B.V.:l", "?"),
                 ("DCS:c Collect:t", "?"), ("NCI:c Incasso:t B.V.:l", "r"), ("B&S:c Incasso:t", "?")]
        letters = "ABCDEFGHJKLMNPRSTVW"
        for _ in range(extra):
            code = "".join(self.rng.choice(letters) for _ in range(self.rng.choice([2, 3, 3, 4])))
            trade = self.rng.choice(["Incasso:t", "Collect:t", "Credit_Management:t", "Incassodiensten:t"])
            fixed.append((f"{code}:c {trade} B.V.:l", "?"))
        self.build_template_cluster("initials", "initials", fixed)

    def build_regional(self, n_regions: int, n_cities: int) -> None:
        rng = self.rng
        keys = [k for k in sorted(REGIONS) if REGIONS[k][1]]
        templates: list[tuple] = []
        for key in rng.sample(keys, min(n_regions, len(keys))):
            noun, adj, extra = REGIONS[key]
            other = REGIONS[rng.choice([k for k in keys if k != key])][0]
            options = [(f"Incassobureau:t {w(noun, 'p')}", "?"), (f"{w(adj, 'p')} Incasso:t B.V.:l", "?"),
                       (f"Incasso:t {w(noun, 'p')}", "?"), (f"{w(adj, 'p')} Incassodienst:t", "u"),
                       (f"Deurwaarderskantoor:b {w(noun, 'p')}", "e"), (f"Incasso:t {w(noun, 'p')} -:j {w(other, 'p')}", "?")]
            options += [(f"{w(x, 'p')} Incassobureau:t", "u") for x in extra]
            chosen = [options[0]] + rng.sample(options[1:], rng.randint(2, 4))
            templates += [((spec, key), pref) for spec, pref in chosen]
        for city in rng.sample([c for c in CITIES if c[5]], n_cities):
            options = [(f"Incassobureau:t {w(city[0], 'p')}", "?"), (f"{w(city[5], 'p')} Incasso:t", "?"),
                       (f"Incasso:t {w(city[0], 'p')} B.V.:l", "?"), (f"{w(city[5], 'p')} Advocaten:a", "e")]
            templates += [((spec, city), pref) for spec, pref in rng.sample(options, 2)]
        for noun, adj in COMPASS:
            templates += [(f"Incasso:t {w(noun, 'p')} B.V.:l", "?"), (f"{w(adj, 'p')} Incasso:t Maatschappij:w", "?")]
        rng.shuffle(templates)
        self.build_template_cluster("regional", "regional", templates)

    def build_chains(self, offices: int) -> None:
        rng = self.rng
        for brand, spec, domain in [("Incasso Partners", "Incasso:t Partners:c", "incassopartners.nl"),
                                    ("De Incassowinkel", "De:j Incassowinkel:c", "incassowinkel.nl")]:
            self.used["domain"].add(domain)
            for city in rng.sample(CITIES, offices):
                status = self.pick_status("r" if rng.random() < 0.72 else "u")
                if status is None:
                    continue
                name = make_name(f"{spec} {w(city[0], 'p')} B.V.:l")
                p = self.new_party(status, "collect", [name], "chain", city, cluster=f"chain:{canon(brand)}",
                                   note=f"office of chain {brand} (own entity)")
                self.identify(p, area=city[3], kvk=1.0 if status == "registered" else 0.8, website=1.0, email=0.0,
                              phone=0.95, iban=0.9, domain=domain)
                p.websites = [domain if rng.random() < 0.5 else f"{domain}/{canon(city[0])}"]
                if rng.random() < 0.85:
                    p.emails = [self.unique("email", lambda c=city, d=domain: f"{canon(c[0])}@{d}")]
                self.claim_signature(name, "collect")
                self.sizes["chain_offices"] += 1
        for brand, spec, domain in [("Collectpunt", "Collectpunt:c", "collectpunt.nl"),
                                    ("Debiteurenbeheer Direct", "Debiteurenbeheer:t Direct:c", "debiteurenbeheerdirect.nl")]:
            if self.left("registered") <= 0:
                break
            self.used["domain"].add(domain)
            seat = self.city()
            cities = rng.sample([c for c in CITIES if c != seat], offices + 2)
            locals_ = cities[:offices]
            names = [make_name(f"{spec} Nederland:p B.V.:l")] + [make_name(f"{spec} {w(c[0], 'p')}") for c in locals_]
            p = self.new_party("registered", "collect", names, "chain", seat, cluster=f"chain:{canon(brand)}",
                               note=f"franchisor of {brand}, local offices as trade names")
            p.local_names = frozenset(range(1, len(names)))
            self.identify(p, area=seat[3], kvk=1.0, website=1.0, email=1.0, phone=1.0, iban=1.0, domain=domain)
            p.websites = [domain]
            for n in names:
                self.claim_signature(n, "collect")
            for c in cities[offices:]:
                if self.left("unlisted") <= 0:
                    break
                name = make_name(f"{spec} {w(c[0], 'p')}")
                q = self.new_party("unlisted", "collect", [name], "chain", c, cluster=f"chain:{canon(brand)}",
                                   note=f"franchisee of {brand} in a city the franchisor does not list")
                self.identify(q, area=c[3], kvk=0.75, website=0.5, email=0.6, phone=0.9, iban=0.9, domain=domain)
                if rng.random() < 0.5:
                    q.websites = []
                self.claim_signature(name, "collect")
            self.sizes["chain_franchisors"] += 1

    def build_families(self, n: int) -> None:
        rng = self.rng
        pairs = list(CONFUSABLE_SURNAMES)
        rng.shuffle(pairs)
        singles = [s for s in FAMILY_SURNAMES if not any(s in pair for pair in CONFUSABLE_SURNAMES)]
        rng.shuffle(singles)
        chosen: list[str] = []
        for pair in pairs[: max(2, n // 4)]:
            chosen += [s for s in pair if s not in chosen]
        chosen += singles
        for surname in chosen[:n]:
            self.build_family(surname)
            self.sizes["families"] += 1

    def build_family(self, surname: str) -> None:
        rng = self.rng
        home = self.city()
        cluster = f"family:{canon(surname)}"
        sw = w(surname, "c")

        def town() -> tuple:
            return home if rng.random() < 0.45 else self.city()
        if rng.random() < 0.9 and self.left("registered") > 0:
            spec = rng.choice([f"{sw} Incasso:t B.V.:l", f"Incassobureau:t {sw} B.V.:l",
                               f"{sw} &:j Partners:w Credit_Management:t B.V.:l", f"{sw} Debiteurenbeheer:t",
                               f"{sw} Invorderingen:t V.O.F.:l", f"{sw} Incassodiensten:t B.V.:l",
                               f"{sw} &:j Zonen:w Incasso:t"])
            self.registered([make_name(spec)], "family", town(), cluster=cluster,
                            note=f"registered collector of the {surname} family")
        lawyer = None
        if rng.random() < 0.5 and self.left("exempt") > 0:
            spec = rng.choice([f"{sw} Advocaten:a", f"Advocatenkantoor:a {sw}",
                               f"{sw} &:j {w(self.surname(), 'c')} Advocaten:a", f"Mr.:m {w(initials_text(rng), 'i')} {sw}"])
            lawyer = self.exempt([make_name(spec)], "lawyer", "family", town(), cluster=cluster,
                                 note=f"lawyers' office of the {surname} family")
        if rng.random() < 0.45 and self.left("exempt") > 0:
            spec = rng.choice([f"{sw} Gerechtsdeurwaarders:b", f"Gerechtsdeurwaarderskantoor:b {sw}",
                               f"{sw} Gerechtsdeurwaarders:b &:j Incasso:t", f"Deurwaarderskantoor:b {sw}"])
            self.exempt([make_name(spec)], "bailiff", "family", town(), cluster=cluster,
                        note=f"bailiffs' office of the {surname} family")
        if lawyer and rng.random() < 0.3 and self.left("registered") > 0:
            city = next(c for c in CITIES if c[0] == lawyer.city)
            self.registered([make_name(f"{sw} Advocaten:a Incasso:t B.V.:l")], "family", city, cluster=cluster,
                            note=f"the {surname} lawyers' registered collection company")
        for _ in range(1 + (rng.random() < 0.12)):
            if rng.random() < 0.78 and self.left("unlisted") > 0:
                first = rng.choice(FIRST_NAMES)
                spec = rng.choice([f"Incassobureau:t {sw}", f"{w(initials_text(rng), 'i')} {sw} Incasso:t",
                                   f"{w(first, 'i')} {sw} Incasso:t", f"{sw} Incasso:t &:j Advies:w",
                                   f"{sw} Collect:t", f"{sw} Incassodiensten:t", f"Incassodienst:t {w(first, 'i')} {sw}",
                                   f"{sw} Juristen:c"])
                self.unlisted([make_name(spec)], "family", town(), cluster=cluster,
                              note=f"unregistered one-man business of the {surname} family")

    # ---- the plain rest

    def plain_collect_name(self, one_man: bool = False) -> NameForm:
        rng = self.rng
        for _ in range(200):
            s, s2 = w(self.surname(), "c"), w(self.surname(), "c")
            trade = w(rng.choice(TRADE_WORDS), "t")
            legal = rng.choice(["B.V.:l"] * 7 + ["", "", "V.O.F.:l", "N.V.:l", "C.V.:l", "Holding:w B.V.:l"])
            first = w(rng.choice(FIRST_NAMES), "i")
            r = rng.random()
            if one_man:
                forms = [f"Incassobureau:t {s}", f"{first} {s} {trade}", f"{s} {trade} &:j Advies:w",
                         f"{w(initials_text(rng), 'i')} {s} {trade}", "{b} " + trade, "Incassodienst:t {b}",
                         "{b} Collect:t"]
                spec = rng.choice(forms)
                if "{b}" in spec:
                    spec = spec.replace("{b}", w(self.brand(), "c"))
            elif r < 0.22:
                spec = f"{s} {trade} {legal}"
            elif r < 0.32:
                spec = f"Incassobureau:t {s} {legal}"
            elif r < 0.42:
                spec = f"{s} &:j {s2} {trade} {legal}"
            elif r < 0.48:
                spec = f"{first} {s} {trade}"
            elif r < 0.78:
                spec = f"{w(self.brand(), 'c')} {trade} {legal}"
            elif r < 0.86:
                spec = f"Incassobureau:t {w(self.brand(), 'c')} {legal}"
            elif r < 0.93:
                spec = f"{s} &:j Partners:w {trade} {legal}"
            else:
                spec = f"Stichting:l {w(self.brand(), 'c')} {trade}"
            name = make_name(spec)
            if self.signature_free(name, "collect"):
                return name
        raise RuntimeError("no free name")

    def build_hodn(self, n: int) -> None:
        rng = self.rng
        for _ in range(n):
            if self.left("registered") <= 0:
                return
            s = w(self.surname(), "c")
            legal = make_name(rng.choice([f"{s} Holding:w B.V.:l", f"{s} Beheer:w B.V.:l", "{b} Financial_Services:c B.V.:l",
                                          f"{s} &:j {w(self.surname(), 'c')} B.V.:l", "Stichting:l {b}",
                                          "{b} Groep:w N.V.:l"]).replace("{b}", w(self.brand(), "c")))
            trades = []
            for spec in rng.sample(["Incassobureau:t {b}", "{b} Collect:t", "{b} Incasso:t", f"{s} Incasso:t",
                                    "{b} Credit_Management:t"], rng.choice([1, 1, 2, 3])):
                name = make_name(spec.replace("{b}", w(self.brand(), "c")))
                if self.signature_free(name, "collect"):
                    trades.append(name)
            if not trades:
                continue
            self.claim_signature(legal, "collect")
            p = self.registered([legal, *trades], "hodn", note="collects under trade names that differ from its legal name")
            if p.emails and rng.random() < 0.6 and "@" in p.emails[0] and p.emails[0].split("@")[1] not in FREE_MAIL:
                # the mail domain differs from the trade name: the holding's or an acronym
                letters = "".join(canon(x.text)[:1] for x in trades[0].words if x.role in ("core", "trade"))
                other = self.unique("domain", lambda b=letters: f"{b}{rng.choice(['-collect', 'groep', '-incasso', 'bv'])}"
                                                                 f"{rng.randint(1, 99) if rng.random() < 0.3 else ''}.nl")
                p.emails = [self.unique("email", lambda o=other: f"{rng.choice(['info', 'debiteuren', 'klantenservice'])}@{o}")]

    def build_plain_registered(self) -> None:
        while self.left("registered") > 0:
            self.registered([self.plain_collect_name()], "plain", note="registered collector")

    def build_exempt_rest(self) -> None:
        rng = self.rng
        while self.left("exempt") > 0:
            r = rng.random()
            s, s2 = w(self.surname(), "c"), w(self.surname(), "c")
            if r < 0.12 and self.left("exempt") >= 2:  # a bailiffs' firm with several offices on the list
                brand = w(self.brand(), "c")
                spec = rng.choice([f"{brand} Gerechtsdeurwaarders:b", f"{s} &:j {s2} Gerechtsdeurwaarders:b"])
                domain = self.domain(make_name(spec))
                for city in rng.sample(CITIES, min(self.left("exempt"), rng.randint(2, 4))):
                    self.exempt([make_name(spec)], "bailiff", "exempt", city, kvk="",
                                domain=domain if rng.random() < 0.7 else None, cluster=f"offices:{canon(spec)}",
                                note="one of the offices of a bailiffs' firm")
                continue
            if r < 0.5:
                cls = "bailiff"
                spec = rng.choice([f"Gerechtsdeurwaarderskantoor:b {s}", f"{s} Gerechtsdeurwaarders:b",
                                   f"{s} &:j {s2} Gerechtsdeurwaarders:b", "{b} Gerechtsdeurwaarders:b",
                                   f"Deurwaarderskantoor:b {s}", f"{s} Gerechtsdeurwaarders:b &:j Incasso:t"])
            else:
                cls = "lawyer"
                spec = rng.choice([f"{s} Advocaten:a", f"Advocatenkantoor:a {s}", f"{s} &:j {s2} Advocaten:a",
                                   "{b} Advocaten:a", f"Mr.:m {w(initials_text(rng), 'i')} {s}",
                                   f"{s} {s2} Advocaten:a"])
            name = make_name(spec.replace("{b}", w(self.brand(), "c")))
            if self.signature_free(name, cls):
                self.exempt([name], cls, "exempt", note="bailiffs' office" if cls == "bailiff" else "lawyers' office")

    def build_unlisted_rest(self) -> None:
        rng = self.rng
        pseudo = max(2, self.need["unlisted"] // 16)
        foreign = max(2, self.need["unlisted"] // 20)
        while self.left("unlisted") > 0:
            if pseudo > 0:
                pseudo -= 1
                s = w(self.surname(), "c")
                spec = rng.choice([f"{s} Juristen:c", f"Juridisch_Adviesbureau:c {s}", "Incasso:t Juristen:c {b}",
                                   "Landelijk:c Deurwaarderskantoor:b {b}", "{b} Gerechtsdeurwaarders:b",
                                   "Deurwaardersdienst:b {b}", f"{s} Rechtshulp:c &:j Incasso:t"])
                name = make_name(spec.replace("{b}", w(self.brand(), "c")))
                if self.signature_free(name, "collect"):
                    self.unlisted([name], "pseudo", note="calls itself jurist or bailiff, is neither, not registered")
                continue
            if foreign > 0:
                foreign -= 1
                place = rng.choice(FOREIGN)
                b = w(self.brand(), "c")
                spec = {"DE": f"{b} Inkasso:t GmbH:l", "BE": f"{b} Incasso:t BV:l", "GB": f"{b} Debt_Recovery:c Ltd:l",
                        "LT": f"{b} Collect:t UAB:l", "IE": f"{b} Collections:t Ltd:l"}[place[1]]
                name = make_name(spec)
                self.claim_signature(name, "collect")
                p = self.new_party("unlisted", "collect", [name], "foreign", foreign=place,
                                   note=f"collects from abroad ({place[0]}), not registered")
                self.identify(p, area=place[2], kvk=0.0, website=0.8, email=0.8, phone=0.9, iban=0.95,
                              country=place[1])
                continue
            if rng.random() < 0.12:  # a web-only collector
                b = self.brand()
                name = make_name(f"{w(b, 'c')} .nl:l")
                if self.signature_free(name, "collect"):
                    p = self.unlisted([name], "unregistered", note="web-only collector, not registered")
                    p.websites = [canon(b) + ".nl"]
                    self.used["domain"].add(canon(b) + ".nl")
                continue
            self.unlisted([self.plain_collect_name(one_man=True)], "unregistered", note="unregistered collector")

    # ---- dates

    def registration_dates(self, parties: list[Party]) -> None:
        rng = self.rng
        for p in parties:
            r = rng.random()
            if r < 0.62:
                start = rand_date(rng, FIRST_DECISIONS, DEADLINE - timedelta(days=1))
                p.active_from = START
            elif r < 0.74:
                start = rand_date(rng, DEADLINE, date(2025, 7, 31))
                p.active_from = START
            else:
                start = rand_date(rng, date(2025, 8, 1), date(2026, 10, 31))
                p.active_from = max(START, start - timedelta(days=rng.randint(0, 150)))
            reg = Registration("", start)
            if rng.random() < 0.14:
                lapse = add_years(start, rng.choice([1, 1, 2]))
                if rng.random() < 0.55 and lapse <= END:
                    reg.end, reg.end_status = lapse, "verlopen"
                elif (END - start).days > 70:
                    reg.end, reg.end_status = rand_date(rng, start + timedelta(days=60), END), "doorgehaald"
            p.regs = [reg]

    def build_registrations(self) -> None:
        rng = self.rng
        registered = [p for p in self.parties if p.status == "registered"]
        self.registration_dates(registered)
        eligible = [p for p in registered if p.regs[0].end and p.regs[0].end + timedelta(days=30) <= END]
        rng.shuffle(eligible)
        for p in eligible[: self.n_rereg]:
            end = p.regs[0].end
            gap = rng.randint(1, min(240, (END - end).days - 10)) if rng.random() < 0.9 else 0
            p.regs.append(Registration("", end + timedelta(days=max(gap, 1))))
        shortfall = self.n_rereg - min(len(eligible), self.n_rereg)
        extra = []
        for _ in range(shortfall):
            self.need["registered"] += 1
            extra.append(self.registered([self.plain_collect_name()], "plain", note="registered collector"))
        self.registration_dates(extra)
        every = sorted(((reg.start, p.pid, i) for p in self.parties for i, reg in enumerate(p.regs)))
        by_pid = {p.pid: p for p in self.parties}
        for seq, (start, pid, i) in enumerate(every, 1):
            by_pid[pid].regs[i].number = f"R{start.year}-{seq:05d}"
        # trade names that came later (registered with Justis after the registration itself)
        for p in registered:
            if len(p.names) > 1 and rng.random() < 0.3:
                i = rng.randrange(1, len(p.names))
                since = p.regs[0].start + timedelta(days=rng.randint(60, 420))
                if since < END - timedelta(days=30):
                    n = p.names[i]
                    p.names[i] = NameForm(n.words, since, n.text, n.elements, n.places, n.weak, n.initials, n.cls_words)

    def finish(self) -> None:
        rng = self.rng
        for p in self.parties:
            if p.status == "exempt" and rng.random() < 0.08:
                p.since = rand_date(rng, date(2025, 1, 1), date(2026, 9, 30))
            if p.status == "unlisted" and rng.random() < 0.2:
                p.active_from = rand_date(rng, date(2024, 9, 1), date(2026, 6, 30))
        unlisted = [p for p in self.parties if p.status == "unlisted"]
        rng.shuffle(unlisted)
        for rank, p in enumerate(unlisted):  # a few rogue collectors draw most complaints
            p.weight = 1.0 / (rank + 1) ** 0.75

    def build(self) -> list[Party]:
        regs = self.need["registered"]
        self.build_chains(max(3, min(8, 2 + regs // 250)))
        self.build_generic()
        self.build_initials(max(2, regs // 150))
        self.build_regional(max(3, min(10, 2 + regs // 250)), max(3, min(12, regs // 150)))
        self.build_families(max(6, round(regs * 0.045)))
        self.build_hodn(max(4, round(regs * 0.12)))
        self.build_plain_registered()
        self.build_exempt_rest()
        self.build_unlisted_rest()
        self.build_registrations()
        self.finish()
        return self.parties


# ------------------------------------------------------------------------- the careful inspector's reading


def confusable_pairs() -> list[tuple[str, str]]:
    """Elements a reader takes for one another although their spellings differ much."""
    pairs = [(canon(a), canon(b)) for a, b in CONFUSABLE_SURNAMES]
    for noun, adj, extra in REGIONS.values():
        forms = [place_key(noun)] + ([place_key(adj)] if adj else []) + [place_key(x) for x in extra]
        pairs += [(a, b) for a in forms for b in forms if a < b]
    for city in CITIES:
        if city[5]:
            pairs.append((place_key(city[0]), place_key(city[5])))
    pairs += [(canon(a), canon(b)) for a, b in COMPASS]
    pairs += [("nederland", "nederlandse"), ("nederland", "nl"), ("nederlandse", "nl"), ("holland", "hollandse"),
              ("collect4u", "collect4you"), ("collect4u", "incasso4u"), ("collect4you", "incasso4u"),
              ("landelijk", "landelijke"), ("centraal", "centrale"), ("nationaal", "nationale")]
    return pairs


class Vocabulary:
    """Every distinctive element of the market, to find what a written word could be."""

    def __init__(self, parties: list[Party]) -> None:
        self.keys: set[str] = set()
        # one index per way of folding: sound-alike spellings, OCR confusions
        self.exact: dict[str, dict[str, set[str]]] = {"sound": defaultdict(set), "ocr": defaultdict(set)}
        self.near: dict[str, dict[str, set[str]]] = {"sound": defaultdict(set), "ocr": defaultdict(set)}
        self.alias: dict[str, set[str]] = defaultdict(set)
        self.initials: dict[int, set[str]] = defaultdict(set)
        self.confusable: dict[str, set[str]] = defaultdict(set)
        self.cache: dict[str, frozenset[str]] = {}
        for p in parties:
            for name in p.names:
                for x in name.words:
                    if x.role in ("core", "place") and x.key:
                        self.add(x.key, x.text, x.role)
            if p.city_key:
                self.add(p.city_key, p.city, "place")
        for city in CITIES:
            self.add(place_key(city[0]), city[0], "place")
        for a, b in confusable_pairs():
            self.confusable[a].add(b)
            self.confusable[b].add(a)

    FOLDS = (("sound", fold), ("ocr", ocr_fold))

    def add(self, key: str, text: str, role: str) -> None:
        if key in self.keys:
            return
        self.keys.add(key)
        for how, folder in self.FOLDS:
            folded = folder(key)
            self.exact[how][folded].add(key)
            if len(folded) >= 5:
                for variant in deletes(folded) | {folded}:
                    self.near[how][variant].add(folded)
        parts = text.split()
        if role == "core" and len(parts) >= 2 and all(x.lower() in TUSSENVOEGSELS for x in parts[:-1]):
            bare = canon(parts[-1])
            for alias in (bare, "".join(canon(x)[:1] for x in parts[:-1]) + bare):
                for _, folder in self.FOLDS:
                    self.alias[folder(alias)].add(key)
        bare_text = text.replace(".", "").replace("&", "")
        if role == "core" and key.isalpha() and len(key) <= 4 and bare_text.isupper():
            self.initials[len(key)].add(key)

    def close_to(self, written: str) -> frozenset[str]:
        """The elements a written word (canonical) could be, other than itself."""
        if written in self.cache:
            return self.cache[written]
        out: set[str] = set()
        for how, folder in self.FOLDS:
            folded = folder(written)
            out |= self.exact[how].get(folded, set()) | self.alias.get(folded, set())
        if written not in self.keys and not out:  # no name of the market, no spelling of one: the nearest
            for how, folder in self.FOLDS:
                folded = folder(written)
                if len(folded) >= 5:
                    for variant in deletes(folded) | {folded}:
                        for other in self.near[how].get(variant, ()):
                            if within_one_edit(folded, other):
                                out |= self.exact[how][other]
        if written.isalpha() and 2 <= len(written) <= 4:
            out |= {k for k in self.initials[len(written)] if initials_sound_alike(written, k)}
        for key in sorted(out) + [written]:
            out |= self.confusable.get(key, set())
        out.discard(written)
        result = frozenset(out)
        self.cache[written] = result
        return result


@dataclass(frozen=True)
class RElem:
    """A distinctive word as the inspector reads it: as written, what else it could be, or a cut-off start."""

    key: str
    alts: frozenset[str] = frozenset()
    prefix: bool = False


@dataclass(frozen=True)
class Reading:
    """One name in a signal (a "h.o.d.n." pair gives two), as the inspector reads it."""

    elems: tuple[RElem, ...]
    cls: frozenset[str]
    weak: frozenset[str]
    initials: str


@dataclass
class View:
    """What the inspector takes from a signal: its names, identifiers and address."""

    parts: list[Reading]
    kvk: str = ""
    iban: str = ""
    phone: str = ""
    email: str = ""
    domains: list[str] = field(default_factory=list)
    place: str = ""
    postcode: str = ""

    def identifiers(self) -> list[tuple[str, str]]:
        pairs = [("kvk", self.kvk), ("iban", self.iban), ("phone", self.phone), ("email", self.email)]
        return [(kind, value) for kind, value in pairs if value] + [("domain", d) for d in self.domains]


EXACT, COMPLETE, PARTIAL = 3, 2, 1


def fit_level(part: Reading, name: NameForm, party: Party) -> int:
    """How a written name fits a listed name (policy 3): 0 not, PARTIAL (something of the listed name is
    missing), COMPLETE (all of it is there, some garbled, sound-alike, cut off or with the town added), EXACT."""
    if not part.cls <= (name.cls_words | {party.cls}):
        return 0
    exact, complete = part.cls <= name.cls_words, True
    matched: set[str] = set()
    other = False
    for e in part.elems:
        if e.prefix:
            found = next((k for k in sorted(name.elements | name.weak) if k.startswith(e.key) and k not in matched), None)
            if found is None:
                if party.city_key.startswith(e.key):  # the collector's town, added and cut off
                    exact = False
                    continue
                return 0
            matched.add(found)
            other, exact = True, False
        elif e.key in name.elements:
            matched.add(e.key)
            other = True
        elif near := sorted((e.alts & name.elements) - matched):
            matched.add(near[0])
            other, exact = True, False
        elif e.key in name.weak or e.alts & name.weak:
            exact = False  # a written word that the listed name has as a weak word: fits, decides nothing
        elif party.city_key and (e.key == party.city_key or party.city_key in e.alts):
            exact = False  # the collector's own town, added by the writer
        else:
            return 0
    if not other:
        return 0
    if name.elements - matched:
        exact = complete = False
    if part.weak != name.weak:
        exact = False
    ri, ni = part.initials, name.initials
    if ri and ni and not (ri.startswith(ni) or ni.startswith(ri)):
        return 0
    if ri != ni:
        exact = False
        complete = complete and bool(ri) == bool(ni)
    return EXACT if exact else COMPLETE if complete else PARTIAL


class PartyIndex:
    """Listed parties (or the unregistered collectors) by element, town and identifier."""

    def __init__(self, parties: list[Party]) -> None:
        self.parties = {p.pid: p for p in parties}
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.towns: dict[str, set[str]] = defaultdict(set)
        self.ids: dict[tuple[str, str], set[str]] = defaultdict(set)
        for p in parties:
            for name in p.names:
                for key in name.elements | name.weak:
                    self.postings[key].add(p.pid)
            if p.city_key:
                self.towns[p.city_key].add(p.pid)
            for pair in p.listed_identifiers():
                self.ids[pair].add(p.pid)
        self.keys = sorted(self.postings)
        self.town_keys = sorted(self.towns)

    def candidates(self, part: Reading) -> set[str]:
        result: set[str] | None = None
        for e in part.elems:
            found: set[str] = set()
            if e.prefix:
                for keys, postings in ((self.keys, self.postings), (self.town_keys, self.towns)):
                    i = bisect.bisect_left(keys, e.key)
                    while i < len(keys) and keys[i].startswith(e.key):
                        found |= postings[keys[i]]
                        i += 1
            else:
                for key in (e.key, *sorted(e.alts)):
                    found |= self.postings.get(key, set()) | self.towns.get(key, set())
            result = found if result is None else result & found
            if not result:
                return set()
        return result or set()

    def fits(self, parts: list[Reading]) -> dict[str, tuple[int, set[str]]]:
        """pid -> (fit level, places of the fitting names); every part must fit."""
        result: dict[str, tuple[int, set[str]]] | None = None
        for part in parts:
            current: dict[str, tuple[int, set[str]]] = {}
            for pid in sorted(self.candidates(part)):
                party = self.parties[pid]
                best, places = 0, set()
                for name in party.names:
                    level = fit_level(part, name, party)
                    if level > best:
                        best, places = level, set(name.places)
                    elif level and level == best:
                        places |= name.places
                if best:
                    current[pid] = (best, places)
            if result is None:
                result = current
            else:
                result = {pid: (min(result[pid][0], lv), result[pid][1] | pl)
                          for pid, (lv, pl) in current.items() if pid in result}
        return result or {}

    def hits(self, view: View) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for kind, value in view.identifiers():
            for pid in sorted(self.ids.get((kind, value), ())):
                out[pid].add(kind)
        return out


def norm_text(text: str) -> str:
    return " ".join(text.casefold().split())


class Inspector:
    """The labelling policy as code: what a careful inspector with the lists concludes from a signal."""

    def __init__(self, parties: list[Party]) -> None:
        listed = [p for p in parties if p.status != "unlisted"]
        self.listed = PartyIndex(listed)
        self.unregistered = PartyIndex([p for p in parties if p.status == "unlisted"])
        self.listed_texts = {norm_text(n.text) for p in listed for n in p.names}

    @staticmethod
    def answer(p: Party, day: date) -> tuple[str, tuple[str, ...]]:
        if p.status == "exempt":
            return VRIJGESTELD, ()
        if p.status == "unlisted":
            return NIET_GEREGISTREERD, ()
        valid = [r for r in p.regs if r.valid_on(day)]
        if valid:
            return GEREGISTREERD, (valid[0].number,)
        before = [r for r in p.regs if r.end and r.end <= day]
        after = [r for r in p.regs if r.start > day]
        numbers = ([max(before, key=lambda r: r.end).number] if before else []) + (
            [min(after, key=lambda r: r.start).number] if after else [])
        return NIET_GELDIG, tuple(numbers)

    @staticmethod
    def ruled_out(p: Party, view: View, places: set[str]) -> bool:
        if view.kvk and p.kvk and p.kvk != view.kvk:
            return True
        if view.place and p.city_key and view.place != p.city_key and view.place not in places:
            return True
        return bool(view.postcode and p.postcode and compact_postcode(p.postcode) != view.postcode)

    def conclude(self, view: View, day: date) -> tuple[str, object]:
        """("answer", (verdict, numbers)), ("none", None): no listed party, or ("drop", reason)."""
        index = self.listed
        fits = index.fits(view.parts) if view.parts else {}
        hits = index.hits(view)
        kvk_out = {pid for pid in hits if view.kvk and index.parties[pid].kvk and index.parties[pid].kvk != view.kvk}
        strong = [pid for pid, kinds in hits.items() if kinds - {"domain"} and pid not in kvk_out]
        if strong:
            answers = {self.answer(index.parties[pid], day) for pid in strong}
            if len(answers) > 1:
                return "drop", "identifiers_conflict"
            if view.parts and not any(pid in fits for pid in strong):
                return "drop", "name_contradicts_identifier"
            return "answer", answers.pop()
        domain = [pid for pid, kinds in hits.items() if "domain" in kinds and pid not in kvk_out]
        if domain:
            answers = {self.answer(index.parties[pid], day) for pid in domain}
            if len(answers) == 1:  # one party's domain: an identifier like the others
                if view.parts and not any(pid in fits for pid in domain):
                    return "drop", "name_contradicts_identifier"
                return "answer", answers.pop()
        if not view.parts:
            if domain:
                return "drop", "identifier_shared"
            if not view.identifiers():
                return "drop", "no_evidence"
            return "none", None
        candidates = {pid: level for pid, (level, places) in fits.items()
                      if not self.ruled_out(index.parties[pid], view, places)}
        if candidates:
            best = max(candidates.values())
            answers = {self.answer(index.parties[pid], day) for pid, level in candidates.items() if level == best}
            if len(answers) == 1:
                return "answer", answers.pop()
            return "drop", {EXACT: "name_fits_several_exactly", COMPLETE: "name_fits_several_fully"}.get(
                best, "name_fits_several_partly")
        return "none", None

    def single_out(self, view: View, actual: Party) -> str | None:
        """None when the rules single out this unregistered collector among all of them, else a drop reason."""
        index = self.unregistered
        hits = index.hits(view)
        strong = sorted(pid for pid, kinds in hits.items() if kinds - {"domain"})
        if strong:
            return None if strong == [actual.pid] else "unregistered_twin"
        if not view.parts:
            domain = sorted(hits)
            return None if domain == [actual.pid] else "unregistered_unidentifiable"
        fits = index.fits(view.parts)
        candidates = {pid: level for pid, (level, places) in fits.items()
                      if not self.ruled_out(index.parties[pid], view, places)}
        best = max(candidates.values(), default=0)
        pool = sorted(pid for pid, level in candidates.items() if level == best)
        if pool == [actual.pid]:
            return None
        return "unregistered_twin" if pool else "name_unreadable"


# -------------------------------------------------------------------------- how writers render a collector

# Per source habit: how often a writer drops or changes a part of the name, and which noise the channel adds.
PROFILES: dict[str, dict[str, float]] = {
    "letter": dict(legal_drop=.55, weak_drop=.3, trade_swap=.12, trade_drop=.12, reorder=.12, add_town=.05,
                   place_drop=.04, tv=.3, initial_drop=.25, ear=.12, lower=.25, caps=.05, hodn=.05),
    "scan": dict(legal_drop=.2, weak_drop=.08, trade_swap=.02, trade_drop=.02, reorder=0, add_town=.02,
                 place_drop=.01, tv=.05, initial_drop=.05, ocr=.85, merge=.3, caps=.2, hodn=.1),
    "phone": dict(legal_drop=.85, weak_drop=.35, trade_swap=.2, trade_drop=.2, reorder=.2, add_town=.08,
                  place_drop=.05, tv=0, initial_drop=.4, ear=.35, speech=1, lower=1),
    "casefile": dict(legal_drop=.2, weak_drop=.05, trade_swap=.04, trade_drop=.04, reorder=0, add_town=.1,
                     place_drop=.03, tv=.2, initial_drop=.1, ear=.05, trunc=.75, caps=.55, hodn=.3),
    "formal": dict(legal_drop=.05, weak_drop=.02, trade_swap=0, trade_drop=0, reorder=0, add_town=0, place_drop=0,
                   tv=0, initial_drop=0, hodn=.3),
    "kvk": dict(legal_drop=0, weak_drop=0, trade_swap=0, trade_drop=0, reorder=0, add_town=0, place_drop=0, tv=0,
                initial_drop=0, caps=.3),
    "tip": dict(legal_drop=.7, weak_drop=.4, trade_swap=.1, trade_drop=.3, reorder=.1, add_town=.03, place_drop=.06,
                tv=.3, initial_drop=.4, ear=.15, lower=.5),
}
# Per source habit: which identifiers and address a signal carries, whether the letter's date is known,
# whether amounts are given.
HABITS: dict[str, dict[str, float]] = {
    "letter": dict(iban=.35, website=.15, email=.12, phone=.2, kvk=.06, plaats=.25, postcode=.1, letter=.85, amounts=.55),
    "scan": dict(iban=.45, website=.12, email=.06, phone=.15, kvk=.15, plaats=.45, postcode=.35, letter=.9, amounts=.6),
    "phone": dict(iban=.1, website=.08, email=.05, phone=.45, kvk=.02, plaats=.15, postcode=0, letter=.35, amounts=.3),
    "casefile": dict(iban=.4, website=.05, email=.03, phone=.1, kvk=.15, plaats=.5, postcode=.25, letter=.75,
                     amounts=.85),
    "formal": dict(iban=.2, website=.3, email=.1, phone=.1, kvk=.6, plaats=.6, postcode=.5, letter=.7, amounts=.3),
    "kvk": dict(iban=0, website=.15, email=0, phone=0, kvk=1, plaats=1, postcode=1, letter=0, amounts=0),
    "tip": dict(iban=.2, website=.5, email=.3, phone=.35, kvk=.03, plaats=.1, postcode=0, letter=.25, amounts=.2),
}
SOURCES = {"consument": [("letter", .5), ("scan", .25), ("phone", .25)],
           "schuldhulpverlener": [("casefile", .7), ("scan", .3)], "gemeente": [("casefile", .6), ("letter", .4)],
           "toezichthouder": [("formal", 1)], "kvk": [("kvk", 1)], "anoniem": [("tip", 1)],
           "overig": [("letter", .5), ("formal", .5)]}
BRONNEN = [("consument", 44), ("schuldhulpverlener", 20), ("gemeente", 12), ("toezichthouder", 5), ("anoniem", 9),
           ("overig", 6)]
REF_PREFIX = {"consument": "MLD", "schuldhulpverlener": "SHV", "gemeente": "GEM", "kvk": "KVK", "anoniem": "TIP",
              "overig": "OVG"}
PLACEHOLDERS = ["onbekend", "Onbekend", "zie bijlage", "n.v.t.", "incassobureau", "Incassobureau (naam onleesbaar)",
                "weet cliënt niet meer", "onbekend incassobureau", "nvt", "zie brief"]
EAR_SUBS = [(r"eij", "ei"), (r"eij", "ij"), (r"eij", "ey"), (r"(?<!e)ij", "ei"), (r"ei(?!j)", "ij"), (r"y", "ij"), (r"dt\b", "d"), (r"(?<=[aeiou])d\b", "dt"), (r"ss", "s"),
            (r"(?<=[aeiou])s(?=[aeiou])", "ss"), (r"ck", "k"), (r"c(?=[aou])", "k"), (r"k(?=[aou])", "c"),
            (r"ch", "g"), (r"g", "ch"), (r"ou", "au"), (r"au", "ou"), (r"ie", "i"), (r"ph", "f"), (r"th", "t"),
            (r"z", "s"), (r"v", "f"), (r"f", "v"), (r"ee", "e"), (r"oo", "o"), (r"aa", "a"), (r"x", "ks"),
            (r"kk", "k"), (r"tt", "t"), (r"ll", "l"), (r"nn", "n")]
OCR_SUBS = [("m", "rn"), ("rn", "m"), ("w", "vv"), ("u", "ii"), ("o", "0"), ("O", "0"), ("l", "1"), ("I", "l"),
            ("i", "l"), ("e", "c"), ("s", "5"), ("S", "5"), ("B", "8"), ("h", "b")]


class Tok:
    """A word of a signal's name field while it is being written."""

    __slots__ = ("text", "role", "key", "part", "glue", "cut", "gone")

    def __init__(self, text: str, role: str, key: str = "", part: int | None = None, glue: bool = False) -> None:
        self.text, self.role, self.key, self.part, self.glue = text, role, key, part, glue
        self.cut = self.gone = False


def toks_of(name: NameForm, part: int) -> list[Tok]:
    out, glue_next = [], False
    for x in name.words:
        if x.role == "join" and x.text == "-":
            out.append(Tok("-", "join", "", part, glue=True))
            glue_next = True
            continue
        out.append(Tok(x.text, x.role, x.key, part, glue=glue_next or x.text == ".nl"))
        glue_next = False
    return out


def live(toks: list[Tok]) -> list[Tok]:
    return [t for t in toks if not t.gone and t.text]


def assemble(toks: list[Tok]) -> str:
    return join_texts([(t.text, t.glue) for t in live(toks)])


def tidy_joins(toks: list[Tok]) -> None:
    """Drop connectors ("&", "en", "-") left without a word on one side."""
    current = live(toks)
    for i, t in enumerate(current):
        if t.role == "join":
            before = any(x.role != "join" for x in current[:i])
            after = any(x.role != "join" for x in current[i + 1:])
            if not (before and after):
                t.gone = True
                if i + 1 < len(current):
                    current[i + 1].glue = False


def is_initials_brand(t: Tok) -> bool:
    bare = t.text.replace(".", "").replace("&", "")
    return t.role == "core" and t.key.isalpha() and len(t.key) <= 4 and bare.isupper()


def ear_variant(rng: random.Random, text: str) -> str | None:
    low = text.lower()
    options = [(m.start(), m.end(), b) for a, b in EAR_SUBS for m in re.finditer(a, low)]
    if not options:
        return None
    start, end, repl = rng.choice(options)
    new = low[:start] + repl + low[end:]
    return " ".join(n.capitalize() if o[:1].isupper() else n for o, n in zip(text.split(), new.split(), strict=False)) \
        if len(text.split()) == len(new.split()) else new


def ocr_variant(rng: random.Random, text: str) -> str | None:
    options = [(m.start(), a, b) for a, b in OCR_SUBS for m in re.finditer(re.escape(a), text)]
    if not options:
        return None
    start, a, b = rng.choice(options)
    return text[:start] + b + text[start + len(a):]


def abbreviate_surname(rng: random.Random, text: str) -> str:
    parts = text.split()
    tv, bare = parts[:-1], parts[-1]
    letters = "".join(x[0].lower() for x in tv)
    forms = [" ".join(x.lower() for x in tv) + " " + bare, bare]
    if len(tv) >= 2:
        forms += [f"{letters[0]}.{letters[1:]}. {bare}", f"{letters} {bare}", f"{letters[0].upper()}/{letters[1:]} {bare}"]
    return rng.choice(forms)


def speak(text: str) -> str:
    """A name as speech-to-text writes it: lower case, numbers in words, no punctuation."""
    low = text.lower().replace("4u", " for you").replace("&", " en ")
    low = re.sub(r"\d+", lambda m: " " + (SPEAK.get(m.group()) or " ".join(DIGIT_WORDS[int(d)] for d in m.group())) + " ",
                 low)
    return " ".join(re.sub(r"[^\w\s']", " ", low).split())


def render_kvk(rng: random.Random, kvk: str) -> str:
    shown = kvk[1:] if kvk.startswith("0") and rng.random() < 0.3 else kvk  # Excel ate the leading zero
    return rng.choice([shown, shown, f"KvK {kvk}", f"kvk: {kvk}", f"{kvk[:4]} {kvk[4:]}", f"{kvk[:2]}.{kvk[2:4]}.{kvk[4:6]}.{kvk[6:]}",
                       f"KvK-nr. {kvk}"])


def render_iban(rng: random.Random, iban: str) -> str:
    spaced = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    return rng.choice([spaced, spaced, iban, spaced.lower(), iban.lower()])


def typo_iban(rng: random.Random, iban: str) -> str:
    digits = [i for i in range(8, len(iban)) if iban[i].isdigit()]
    i = rng.choice(digits)
    return iban[:i] + str((int(iban[i]) + rng.randint(1, 9)) % 10) + iban[i + 1:]


def render_phone(rng: random.Random, phone: str) -> str:
    if phone.startswith("+"):
        return rng.choice([phone, phone.replace(" ", ""), "00" + phone[1:].replace(" ", "")])
    digits = phone.replace("-", "")
    area, rest = phone.split("-")
    return rng.choice([phone, digits, f"{area} {rest[:3]} {rest[3:]}", f"+31 {area[1:]} {rest}",
                       f"+31({area[1:]}) {rest}", f"0031{digits[1:]}", f"+31 (0){area[1:]}-{rest}"])


def render_website(rng: random.Random, site: str) -> str:
    host = site.removeprefix("www.")
    path = ""
    if "/" in host:
        host, path = host.split("/", 1)
        path = "/" + path
    return rng.choice([f"www.{host}{path}", f"https://www.{host}{path}", f"{host}{path}", f"http://{host}/betalen",
                       f"https://{host}/dossier/{rng.randint(10000, 99999)}", f"https://mijn.{host}/login?ref={rng.randint(100, 999)}",
                       f"WWW.{host.upper()}"])


def render_place(rng: random.Random, city: str) -> str:
    options = [city, city, city.upper(), city.lower()] + CITY_ALIASES.get(city, []) * 3
    return rng.choice(options)


def render_postcode(rng: random.Random, postcode: str) -> str:
    return rng.choice([postcode, postcode, postcode.replace(" ", ""), postcode.lower().replace(" ", "")])


def bik_maximum(principal: float) -> float:
    bands = [(2500, 0.15), (2500, 0.10), (5000, 0.05), (190000, 0.01), (float("inf"), 0.005)]
    rest, total = principal, 0.0
    for size, rate in bands:
        part = min(rest, size)
        total += part * rate
        rest -= part
        if rest <= 0:
            break
    return round(min(max(total, 40.0), 6775.0), 2)


def render_amount(rng: random.Random, amount: float) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    dotted = f"{int(whole):,}".replace(",", ".")
    return rng.choice([f"{dotted},{cents}", f"{whole},{cents}", f"{whole}.{cents}", f"€ {dotted},{cents}",
                       whole if cents == "00" else f"{whole},{cents}"])


def render_date(rng: random.Random, day: date, bron: str) -> str:
    dmy = rng.random() < (0.6 if bron in ("schuldhulpverlener", "gemeente") else 0.2)
    return day.strftime("%d-%m-%Y") if dmy else day.isoformat()


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    website: str


@dataclass
class Plan:
    """One signal to write: the market situation (kind), the collector, the reference date and what to force."""

    kind: str
    party: Party
    day: date
    letter: bool | None = None  # datum_brief given; None: the source's habit
    received: date | None = None
    bron: str | None = None
    mode: str = "normal"  # normal | legal | trade | hodn | local | drop_place | surname_only | none | creditor_only
    ids: tuple[str, ...] | None = None  # exactly these identifiers; None: the source's habit
    address: str | None = None  # none | plaats | both; None: the source's habit
    creditor: bool = False
    detail: str = ""
    tags: tuple[str, ...] = ()


@dataclass
class Draft:
    row: dict[str, str]
    received: date
    bron: str
    prefix: str
    view: View
    surface: str
    tags: set[str]
    plan: Plan
    answer: tuple = ()


def weighted(rng: random.Random, options: list[tuple]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


class Writer:
    """Writes a signal for a plan the way its source would."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, creditors: list[Creditor]) -> None:
        self.rng, self.vocab, self.creditors = rng, vocab, creditors

    def lag(self) -> int:
        r = self.rng.random()
        return self.rng.randint(1, 14) if r < 0.4 else self.rng.randint(15, 60) if r < 0.75 else self.rng.randint(61, 240)

    # ---- the name

    def restructure(self, toks: list[Tok], p: Party, name: NameForm, prof: dict, mode: str, tags: set[str]) -> None:
        rng = self.rng
        for t in toks:
            if t.role == "legal":
                if rng.random() < prof["legal_drop"]:
                    t.gone = True
                elif canon(t.text) in LEGAL_VARIANTS and rng.random() < 0.5:
                    t.text = rng.choice(LEGAL_VARIANTS[canon(t.text)])
                    tags.add("legal_form_variant")
        core = [t for t in live(toks) if t.role == "core"]
        if mode == "surname_only" and core:
            for t in toks:
                t.gone = t.gone or t is not core[0]
            tags.add("surname_only")
            return
        if rng.random() < prof["weak_drop"]:
            for i, t in enumerate(toks):
                if t.role == "weak" and not t.gone:
                    t.gone = True
                    tags.add("weak_word_dropped")
                    if i and toks[i - 1].role == "join" and toks[i - 1].text in ("&", "en", "+"):
                        toks[i - 1].gone = True
        distinct = [t for t in live(toks) if t.role in ("core", "place")]
        class_toks = [t for t in live(toks) if t.role in CLASS_OF_ROLE]
        if class_toks:
            r = rng.random()
            if r < prof["trade_drop"] and distinct and (p.cls == "collect" or rng.random() < 0.2):
                for t in class_toks:
                    t.gone = True
                tags.add("class_word_dropped")
            elif r < prof["trade_drop"] + prof["trade_swap"]:
                t = rng.choice(class_toks)
                swaps = {"collect": TRADE_SWAPS, "bailiff": BAILIFF_SWAPS, "lawyer": LAWYER_SWAPS}[CLASS_OF_ROLE[t.role]]
                t.text = rng.choice([s for s in swaps if canon(s) != canon(t.text)])
                tags.add("class_word_swapped")
            first = next((t for t in live(toks) if t.role in CLASS_OF_ROLE), None)
            if first and rng.random() < prof["reorder"]:  # "Jansen Incasso" <-> "Incasso Jansen"
                at_front = live(toks)[0] is first
                toks.remove(first)
                first.glue = False
                if at_front:
                    toks.append(first)
                else:
                    toks.insert(0, first)
                tags.add("word_order")
        places = [t for t in live(toks) if t.role == "place"]
        cores = [t for t in live(toks) if t.role == "core"]
        if places and (mode == "drop_place" or (rng.random() < prof["place_drop"] and cores)):
            for t in places:
                t.gone = True
            tags.add("place_dropped")
        elif (mode == "normal" and p.city_key and p.group != "foreign" and p.city_key not in name.places
              and rng.random() < prof["add_town"]):
            toks.append(Tok(p.city, "place", p.city_key, toks[0].part))
            tags.add("town_added")
        for t in live(toks):
            if t.role == "core" and len(t.text.split()) >= 2 and t.text.split()[0].lower() in TUSSENVOEGSELS:
                if rng.random() < prof["tv"]:
                    t.text = abbreviate_surname(rng, t.text)
                    tags.add("tussenvoegsel")
            elif is_initials_brand(t) and rng.random() < 0.4:
                letters = t.key.upper()
                t.text = rng.choice([".".join(letters) + ".", " ".join(letters), letters.lower()])
                tags.add("initials_spelling")
            elif t.role == "initial" and rng.random() < prof["initial_drop"]:
                t.gone = True
                tags.add("initial_dropped")
        tidy_joins(toks)

    def noise(self, toks: list[Tok], prof: dict, profile: str, tags: set[str]) -> None:
        rng = self.rng
        if profile == "phone":
            for t in toks:
                if t.role == "legal" and rng.random() < 0.8:
                    t.gone = True
                elif t.role == "join" and t.text == "-":
                    t.text = " "
                else:
                    t.text = speak(t.text)
                t.glue = False if t.role != "legal" else t.glue
            tags.add("speech_to_text")
        if rng.random() < prof.get("ear", 0):
            options = [t for t in live(toks) if t.role == "core" and len(canon(t.text)) >= 4
                       and not is_initials_brand(t) and not any(ch.isdigit() for ch in t.text)]
            if options:
                t = rng.choice(options)
                variant = ear_variant(rng, t.text)
                if variant and canon(variant) != canon(t.text):
                    t.text = variant
                    tags.add("spelled_by_ear")
        if rng.random() < prof.get("ocr", 0):
            options = [t for t in live(toks) if t.role in ("core", "trade", "place", "bailiff", "lawyer") and len(t.text) >= 3]
            for _ in range(rng.choice([1, 1, 2])):
                if options:
                    t = rng.choice(options)
                    variant = ocr_variant(rng, t.text)
                    if variant:
                        t.text = variant
                        tags.add("ocr")
        if rng.random() < prof.get("merge", 0):
            current = [t for t in live(toks) if t.role != "join"]
            if len(current) >= 2:
                i = rng.randrange(1, len(current))
                current[i].glue = True
                tags.add("missing_space")

    def finish(self, toks: list[Tok], prof: dict, tags: set[str]) -> str:
        rng = self.rng
        if rng.random() < prof.get("trunc", 0):
            limit = rng.choice([30, 40])
            current = live(toks)
            if len(assemble(toks)) > limit:
                pos, ended = 0, False
                for i, t in enumerate(current):
                    if ended:
                        t.gone = True
                        continue
                    start = pos if (i == 0 or t.glue) else pos + 1
                    end = start + len(t.text)
                    if end <= limit:
                        pos = end
                        continue
                    ended = True
                    kept = t.text[: max(0, limit - start)].rstrip()
                    if kept:
                        t.text, t.cut = kept, True
                    else:
                        t.gone = True
                tags.add(f"truncated_{limit}")
        if rng.random() < prof.get("caps", 0):
            for t in toks:
                t.text = t.text.upper()
            tags.add("capitals")
        elif rng.random() < prof.get("lower", 0):
            for t in toks:
                t.text = t.text.lower()
        return " ".join(assemble(toks).split())

    def reading(self, toks: list[Tok]) -> Reading | None:
        elems, cls, weak, initials = [], set(), set(), ""
        for t in toks:
            if t.gone or not t.text.strip():
                continue
            if t.role in ("core", "place"):
                written = canon(spoken_norm(t.text))
                written = PLACE_ALIAS.get(written, written)
                if not written:
                    continue
                if t.cut and written != t.key:
                    if len(written) >= 2:
                        elems.append(RElem(written, frozenset(), True))
                    continue
                elems.append(RElem(written, self.vocab.close_to(written)))
                if has_trade_root(written):
                    cls.add("collect")
            elif t.role in CLASS_OF_ROLE:
                if not t.cut or len(canon(t.text)) >= 5:
                    cls.add(CLASS_OF_ROLE[t.role])
            elif t.role == "weak" and not t.cut:
                weak.add(t.key)
            elif t.role == "initial" and not t.cut:
                initials += initials_key(t.text)
        if not elems:
            return None
        return Reading(tuple(elems), frozenset(cls), frozenset(weak), initials)

    def write_name(self, plan: Plan, profile: str, tags: set[str],
                   creditor: Creditor | None) -> tuple[str, list[Reading], str]:
        """The name field as written, the inspector's readings of it and, for a franchisor's local office,
        that office's town."""
        rng, p = self.rng, plan.party
        prof = PROFILES[profile]
        names = p.names_on(plan.day)
        legal, trades = names[0], names[1:]
        local = [i for i, n in enumerate(p.names) if i in p.local_names and n.since <= plan.day]
        local_city = ""
        mode = plan.mode
        if (mode == "local" or (mode == "normal" and local and rng.random() < 0.5)) and local:
            chosen = [p.names[rng.choice(local)]]
            place = next(iter(chosen[0].places))
            local_city = next(c[0] for c in CITIES if place_key(c[0]) == place)
            tags.add("local_office")
            mode = "local"
        elif mode == "legal" or profile == "kvk" or not trades:
            chosen = [legal]
        elif mode == "hodn" or rng.random() < prof.get("hodn", 0):
            chosen = [legal, rng.choice(trades)]
            tags.add("hodn")
        elif mode == "trade" or rng.random() < 0.65:
            chosen = [rng.choice(trades)]
            tags.add("trade_name")
        else:
            chosen = [legal]
        parts_toks = []
        for i, name in enumerate(chosen):
            toks = toks_of(name, i)
            self.restructure(toks, p, name, prof if i == len(chosen) - 1 else PROFILES["formal"],
                             mode if i == len(chosen) - 1 else "normal", tags)
            self.noise(toks, prof, profile, tags)
            parts_toks.append(toks)
        if len(parts_toks) == 2:
            legal_toks, trade_toks = parts_toks
            form = rng.choice(["hodn", "h.o.d.n.", "handelend onder de naam", "t.h.o.d.n.", "paren", "slash"])
            if form == "paren":
                trade_toks.append(Tok("(", "conn"))
                legal_toks[0].glue = True
                toks = trade_toks + legal_toks + [Tok(")", "conn", glue=True)]
            elif form == "slash":
                toks = trade_toks + [Tok("/", "conn")] + legal_toks
            else:
                toks = legal_toks + [Tok(("," if rng.random() < 0.3 else ""), "conn", glue=True), Tok(form, "conn")] + trade_toks
        else:
            toks = parts_toks[0]
        if creditor is not None and rng.random() < 0.5:
            form = rng.choice(["namens", "i.o.v.", "slash", "opdrachtgever", "via"])
            cr = [Tok(creditor.name, "creditor")]
            if form == "slash":
                toks = cr + [Tok("/", "conn")] + toks
            elif form == "via":
                toks = cr + [Tok("via", "conn")] + toks
            elif form == "opdrachtgever":
                toks = toks + [Tok("(opdrachtgever:", "conn")] + cr + [Tok(")", "conn", glue=True)]
            else:
                toks = toks + [Tok(form, "conn")] + cr
            tags.add("creditor_in_name")
        surface = self.finish(toks, prof, tags)
        if not any(t.role not in ("legal", "join", "conn", "title") for t in live(toks)):
            surface = rng.choice(PLACEHOLDERS)  # nothing left but "B.V.": the writer gives up on the name
            tags.add("no_name")
        readings = [r for i in range(len(chosen)) if (r := self.reading([t for t in toks if t.part == i]))]
        return surface, readings, local_city

    # ---- identifiers, address, amounts

    def write_identifiers(self, plan: Plan, habit: dict, tags: set[str], row: dict[str, str], view: View,
                          creditor: Creditor | None) -> bool:
        rng, p = self.rng, plan.party
        forced = plan.ids is not None
        kinds = list(plan.ids) if forced else [k for k in ("kvk", "iban", "website", "email", "phone")
                                               if rng.random() < habit[k]]
        for kind in kinds:
            if kind == "kvk" and p.kvk:
                row["kvk_nummer"] = render_kvk(rng, p.kvk)
                view.kvk = p.kvk
            elif kind == "iban" and p.ibans:
                iban = rng.choice(p.ibans)
                if not forced and rng.random() < 0.07:
                    row["iban"] = render_iban(rng, typo_iban(rng, iban))
                    tags.add("iban_mistyped")
                    continue
                row["iban"] = render_iban(rng, iban)
                view.iban = iban
            elif kind == "website" and p.websites:
                site = rng.choice(p.websites)
                row["website"] = render_website(rng, site)
                view.domains.append(registrable_domain(site))
            elif kind == "email" and p.emails:
                email = rng.choice(p.emails)
                row["email"] = email if rng.random() < 0.85 else email.capitalize()
                view.email = email.lower()
                mail_domain = email.rsplit("@", 1)[1].lower()
                if mail_domain not in FREE_MAIL:
                    view.domains.append(registrable_domain(mail_domain))
            elif kind == "phone" and p.phones:
                phone = rng.choice(p.phones)
                row["telefoon"] = render_phone(rng, phone)
                view.phone = phone_key(phone)
            elif forced:
                return False
            else:
                continue
            tags.add(kind)
        if creditor and not forced and rng.random() < (0.5 if plan.creditor else 0.12):
            row["iban"] = render_iban(rng, creditor.iban)  # copied from the creditor's invoice
            view.iban = creditor.iban
            tags.add("creditor_iban")
        if creditor and not forced and plan.creditor and rng.random() < 0.15:
            row["website"] = render_website(rng, creditor.website)
            view.domains = [registrable_domain(creditor.website)]
            tags.add("creditor_website")
        if "website" in row and not forced and rng.random() < 0.05 and "creditor_website" not in tags:
            portal = rng.choice(PORTALS)
            row["website"] = f"https://{portal}/{rng.randint(100000, 999999)}"
            view.domains = [portal]
            tags.add("payment_portal")
        view.domains = sorted(set(view.domains))
        return True

    def write_address(self, plan: Plan, habit: dict, tags: set[str], row: dict[str, str], view: View,
                      local_city: str) -> None:
        rng, p = self.rng, plan.party
        if plan.address is None:
            want_place, want_postcode = rng.random() < habit["plaats"], rng.random() < habit["postcode"]
        else:
            want_place, want_postcode = plan.address in ("plaats", "both"), plan.address == "both"
        if local_city:
            if want_place:
                row["plaats"] = render_place(rng, local_city)
                view.place = place_key(local_city)
                tags.add("local_office_address")
            return
        if want_place and p.city:
            row["plaats"] = render_place(rng, p.city)
            view.place = place_key(row["plaats"])
            tags.add("plaats")
        if want_postcode and p.postcode:
            row["postcode"] = render_postcode(rng, p.postcode)
            view.postcode = compact_postcode(p.postcode)
            tags.add("postcode")

    def write_rest(self, plan: Plan, profile: str, habit: dict, row: dict[str, str], creditor: Creditor | None,
                   tags: set[str]) -> None:
        rng = self.rng
        if rng.random() < habit["amounts"]:
            principal = round(min(9000.0, 25 * 1.9 ** (rng.random() * 8)), 2 if rng.random() < 0.6 else 0)
            ceiling = bik_maximum(principal)
            r = rng.random()
            costs = ceiling if r < 0.55 else round(ceiling * 1.21, 2) if r < 0.7 else round(ceiling * rng.uniform(1.3, 3), 2)
            row["hoofdsom"] = render_amount(rng, principal)
            if rng.random() < 0.85:
                row["incassokosten"] = render_amount(rng, costs)
        text = []
        if profile == "kvk":
            text.append("Inschrijving in het Handelsregister met SBI 82911 (incassobureaus).")
        else:
            text.append({"phone": "Telefonisch gemeld; naam genoteerd zoals verstaan.", "scan": "Brief gescand.",
                         "tip": "Anonieme tip."}.get(profile, ""))
            if rng.random() < 0.85:
                text.append(rng.choice(COMPLAINTS) + ".")
        if plan.mode == "creditor_only":
            text.append(f"De ingevulde naam is de schuldeiser ({creditor.name}); naam incassant onbekend.")
        elif creditor and (plan.creditor or rng.random() < 0.5):
            text.append(rng.choice([f"Namens {creditor.name}.", f"Vordering van {creditor.name}.",
                                    f"Schuldeiser: {creditor.name}."]))
            tags.add("creditor_in_description")
        if "creditor_iban" in tags:
            text.append("Rekeningnummer komt van de factuur van de schuldeiser.")
        row["omschrijving"] = " ".join(x for x in text if x)

    def draft(self, plan: Plan) -> Draft | None:
        rng = self.rng
        tags = set(plan.tags)
        bron = plan.bron or weighted(rng, BRONNEN)
        profile = weighted(rng, SOURCES[bron])
        habit = HABITS[profile]
        tags.add(f"source:{profile}")
        letter = plan.letter if plan.letter is not None else rng.random() < habit["letter"]
        received = plan.received or (min(END, plan.day + timedelta(days=self.lag())) if letter else plan.day)
        if not letter:
            tags.add("no_letter_date")
        creditor = rng.choice(self.creditors) if (plan.creditor or rng.random() < 0.1) else None
        row = {c: "" for c in SIGNAL_COLUMNS}
        view = View([])
        local_city = ""
        if plan.mode == "none":
            surface, readings = "", []
            tags.add("no_name")
        elif plan.mode == "creditor_only":
            surface, readings = creditor.name + rng.choice(["", "", " B.V."]), []
            tags.add("creditor_as_name")
        else:
            surface, readings, local_city = self.write_name(plan, profile, tags, creditor if plan.creditor else None)
        if not self.write_identifiers(plan, habit, tags, row, view, creditor):
            return None
        if plan.mode == "none" and (rng.random() < 0.6 or not any(row[c] for c in ("kvk_nummer", "iban", "website",
                                                                                  "email", "telefoon"))):
            surface = rng.choice(PLACEHOLDERS)
        self.write_address(plan, habit, tags, row, view, local_city)
        self.write_rest(plan, profile, habit, row, creditor, tags)
        row["naam_incassant"] = surface
        row["bron"] = bron
        row["ontvangen_op"] = render_date(rng, received, bron)
        row["datum_brief"] = render_date(rng, plan.day, bron) if letter else ""
        view.parts = readings
        prefix = REF_PREFIX.get(bron) or rng.choice(["ACM", "AFM", "BFT"])
        return Draft(row, received, bron, prefix, view, surface, tags, plan)


# ----------------------------------------------------------------------------------------- signal kinds

KIND_WEIGHTS = {
    "registered_valid": 9, "trade_name": 5, "generic_names": 8, "initials_digits": 5, "regional_names": 6,
    "chain_office": 7, "family": 9, "exempt_office": 6, "pseudo_exempt": 2, "unregistered": 8,
    "ended_registration": 5, "before_registration": 4, "date_boundary": 6, "received_only": 3,
    "letter_date_rule": 3, "identifiers_only": 4, "creditor_alongside": 4, "kvk_extract": 3, "identifier_decides": 3,
}
DAY = timedelta(days=1)


def windows(p: Party) -> dict[str, list[tuple[date, date]]]:
    """Periods of a registered party: valid, before its first registration, gaps, after its last one."""
    out: dict[str, list[tuple[date, date]]] = {"valid": [], "before": [], "gap": [], "after": []}
    for r in p.regs:
        lo, hi = max(r.start, START, p.active_from), min(r.end - DAY if r.end else END, END)
        if lo <= hi:
            out["valid"].append((lo, hi))
    first = p.regs[0].start - DAY
    if max(p.active_from, START) <= first:
        out["before"].append((max(p.active_from, START), first))
    for a, b in zip(p.regs, p.regs[1:], strict=False):
        if a.end and a.end <= b.start - DAY:
            out["gap"].append((a.end, b.start - DAY))
    last = p.regs[-1]
    if last.end and last.end <= END:
        out["after"].append((last.end, END))
    return out


def changes(p: Party) -> list[tuple[str, date]]:
    """The days on which a registration of the party starts or ends, inside the world."""
    out = [("start", r.start) for r in p.regs] + [("end", r.end) for r in p.regs if r.end]
    return [(what, day) for what, day in out if max(START, p.active_from) + DAY <= day <= END - DAY]


class Engine:
    """Plans signals per kind, has them written, judged by the inspector, kept or dropped."""

    def __init__(self, seed: int, parties: list[Party], vocab: Vocabulary, inspector: Inspector,
                 creditors: list[Creditor]) -> None:
        self.rng = random.Random(f"market/{seed}/signals")
        self.inspector = inspector
        self.writer = Writer(self.rng, vocab, creditors)
        self.dropped: Counter = Counter()
        self.attempts = 0
        reg = [p for p in parties if p.status == "registered"]
        self.pool: dict[str, list[Party]] = {
            "plain": [p for p in reg if p.group in ("plain", "hodn")],
            "hodn": [p for p in reg if p.group == "hodn" or p.local_names],
            "generic": [p for p in parties if p.group == "generic"],
            "initials": [p for p in parties if p.group == "initials"],
            "regional": [p for p in parties if p.group == "regional"],
            "chain": [p for p in parties if p.group == "chain"],
            "family": [p for p in parties if p.group == "family"],
            "exempt": [p for p in parties if p.status == "exempt" and p.group != "family"],
            "pseudo": [p for p in parties if p.group == "pseudo"],
            "unregistered": [p for p in parties if p.group in ("unregistered", "foreign")],
            "unlisted": [p for p in parties if p.status == "unlisted"],
            "registered": reg,
            "ended": [p for p in reg if windows(p)["after"] or windows(p)["gap"]],
            "prereg": [p for p in reg if windows(p)["before"]],
            "changes": [p for p in reg if changes(p)],
            "lookalike": [p for p in parties if p.group in ("family", "chain", "generic", "initials", "regional")
                          and p.status != "exempt"],
            "exempt_all": [p for p in parties if p.status == "exempt"],
        }

    # ---- helpers

    def pick(self, pool: str) -> Party | None:
        parties = self.pool[pool]
        if not parties:
            return None
        if all(p.status == "unlisted" for p in parties):
            return self.rng.choices(parties, weights=[p.weight for p in parties])[0]
        return self.rng.choice(parties)

    def in_window(self, spans: list[tuple[date, date]]) -> date:
        lo, hi = self.rng.choice(spans)
        return late_date(self.rng, lo, hi)

    def natural_day(self, p: Party) -> date:
        if p.status == "exempt":
            return late_date(self.rng, max(p.since, START), END)
        if p.status == "unlisted":
            return late_date(self.rng, p.active_from, END)
        spans = windows(p)
        r = self.rng.random()
        for share, key in ((0.12, "before"), (0.22, "after"), (0.27, "gap")):
            if r < share and spans[key]:
                return self.in_window(spans[key])
        return self.in_window(spans["valid"]) if spans["valid"] else late_date(self.rng, START, END)

    # ---- plans per kind

    def plan(self, kind: str) -> Plan | None:
        rng = self.rng
        if kind == "registered_valid":
            p = self.pick("plain")
            spans = windows(p)["valid"] if p else []
            return Plan(kind, p, self.in_window(spans), detail="registered collector, valid registration") if spans else None
        if kind == "trade_name":
            p = self.pick("hodn")
            if p is None:
                return None
            spans = windows(p)["valid"]
            day = self.in_window(spans) if spans and rng.random() < 0.8 else self.natural_day(p)
            return Plan(kind, p, day, mode=rng.choice(["trade", "trade", "hodn", "normal"]),
                        detail="known by a trade name that differs from its legal name")
        if kind in ("generic_names", "initials_digits", "regional_names", "family", "exempt_office", "pseudo_exempt",
                    "unregistered"):
            pool = {"generic_names": "generic", "initials_digits": "initials", "regional_names": "regional",
                    "family": "family", "exempt_office": "exempt", "pseudo_exempt": "pseudo",
                    "unregistered": "unregistered"}[kind]
            p = self.pick(pool)
            if p is None:
                return None
            mode = "surname_only" if kind == "family" and rng.random() < 0.15 else "normal"
            return Plan(kind, p, self.natural_day(p), mode=mode, detail=p.note)
        if kind == "chain_office":
            return self.plan_chain()
        if kind == "ended_registration":
            p = self.pick("ended")
            if p is None:
                return None
            spans = windows(p)
            gap = spans["gap"] and rng.random() < 0.35
            day = self.in_window(spans["gap"] if gap else spans["after"] or spans["gap"])
            return Plan(kind, p, day, detail="between a lapse and a re-registration" if gap else
                        f"after the registration ended ({p.regs[-1].end_status or p.regs[0].end_status})")
        if kind == "before_registration":
            p = self.pick("prereg")
            if p is None:
                return None
            return Plan(kind, p, self.in_window(windows(p)["before"]), detail="collected before its registration took effect")
        if kind in ("date_boundary", "received_only", "letter_date_rule"):
            return self.plan_dates(kind)
        if kind == "identifiers_only":
            return self.plan_identifiers_only()
        if kind == "creditor_alongside":
            p = self.pick("registered") if rng.random() < 0.6 else self.pick("unlisted")
            if p is None:
                return None
            if rng.random() < 0.15:
                ids = [k for k, ok in (("iban", p.ibans), ("phone", p.phones), ("kvk", p.kvk), ("email", p.emails)) if ok]
                if not ids:
                    return None
                return Plan(kind, p, self.natural_day(p), mode="creditor_only", creditor=True, ids=(rng.choice(ids),),
                            detail="the creditor's name in the collector's field; an identifier of the collector")
            return Plan(kind, p, self.natural_day(p), creditor=True, detail="the creditor named alongside the collector")
        if kind == "kvk_extract":
            if rng.random() < 0.6:
                p = self.pick("registered")
            else:
                options = [q for q in self.pool["unlisted"] if q.kvk and q.group != "foreign"]
                p = rng.choice(options) if options else None
            if p is None:
                return None
            ids = ("kvk", "website") if rng.random() < 0.15 else ("kvk",)
            return Plan(kind, p, self.natural_day(p), letter=False, bron="kvk", mode="legal", ids=ids, address="both",
                        detail="a row of a KvK extract of firms with SBI code incassobureau")
        if kind == "identifier_decides":
            return self.plan_identifier_decides()
        raise ValueError(kind)

    def plan_chain(self) -> Plan | None:
        rng = self.rng
        p = self.pick("chain")
        if p is None:
            return None
        day = self.natural_day(p)
        r = rng.random()
        if p.local_names:
            if r < 0.55:
                return Plan("chain_office", p, day, mode="local", address="plaats" if rng.random() < 0.5 else None,
                            detail="local office of a franchisor (its trade name)")
            if r < 0.75:
                return Plan("chain_office", p, day, mode="legal", detail="the franchisor itself")
            return Plan("chain_office", p, day, mode="drop_place", detail="franchise brand without the city")
        if r < 0.45:
            return Plan("chain_office", p, day, detail=f"chain office, city in the name ({p.note})")
        if r < 0.85:
            return Plan("chain_office", p, day, mode="drop_place", address="both" if rng.random() < 0.3 else "plaats",
                        tags=("city_only_in_address",), detail=f"chain office, city only in the address ({p.note})")
        return Plan("chain_office", p, day, mode="drop_place", address="none",
                    detail=f"chain office, no city anywhere ({p.note})")

    def plan_dates(self, kind: str) -> Plan | None:
        rng = self.rng
        p = self.pick("changes")
        if p is None:
            return None
        what, point = rng.choice(changes(p))
        earliest = max(START, p.active_from)
        if kind == "date_boundary":
            offset = rng.choice([-1, 0, 1])
            day = point + timedelta(days=offset)
            if not earliest <= day <= END:
                return None
            letter = rng.random() < 0.65
            return Plan(kind, p, day, letter=letter, tags=(f"boundary:{what}{offset:+d}",),
                        detail=f"reference date {offset:+d} day(s) from the registration's {what} ({point})")
        if kind == "received_only":
            day = min(END, max(earliest, point + timedelta(days=rng.randint(-25, 25))))
            return Plan(kind, p, day, letter=False, detail=f"only ontvangen_op, {(day - point).days:+d} days from the {what}")
        day = point - timedelta(days=rng.randint(1, 40))
        if day < earliest:
            return None
        received = point + timedelta(days=rng.randint(0, min(60, (END - point).days)))
        return Plan(kind, p, day, letter=True, received=received, tags=("letter_before_change",),
                    detail=f"letter before the registration's {what} ({point}), received after it")

    def plan_identifiers_only(self) -> Plan | None:
        rng = self.rng
        r = rng.random()
        p = self.pick("registered") if r < 0.5 else self.pick("unlisted") if r < 0.85 else self.pick("exempt_all")
        if p is None:
            return None
        if p.status == "exempt":
            kinds = [k for k, ok in (("kvk", p.kvk), ("website", p.websites)) if ok]
        else:
            kinds = [k for k, ok in (("kvk", p.kvk), ("iban", p.ibans), ("phone", p.phones), ("email", p.emails),
                                     ("website", p.websites)) if ok]
        if not kinds:
            return None
        ids = tuple(rng.sample(kinds, min(len(kinds), rng.choice([1, 1, 2]))))
        return Plan("identifiers_only", p, self.natural_day(p), mode="none", ids=ids,
                    detail="no usable name; identifiers only")

    def plan_identifier_decides(self) -> Plan | None:
        rng = self.rng
        p = self.pick("lookalike")
        if p is None:
            return None
        if p.group == "family":
            mode = "surname_only" if rng.random() < 0.5 else "normal"
        elif any(n.places for n in p.names):
            mode = "drop_place"
        else:
            mode = "normal"
        if p.status == "unlisted":
            kinds = ["kvk"] if p.kvk else [k for k, ok in (("iban", p.ibans), ("phone", p.phones)) if ok]
        else:
            kinds = [k for k, ok in (("iban", p.ibans), ("phone", p.phones), ("email", p.emails), ("kvk", p.kvk)) if ok]
        if not kinds:
            return None
        return Plan("identifier_decides", p, self.natural_day(p), mode=mode, ids=(rng.choice(kinds),), address="none",
                    detail="the name alone fits several parties; an identifier decides")

    # ---- judging

    def judge(self, draft: Draft) -> tuple[str, object]:
        plan, view, p = draft.plan, draft.view, draft.plan.party
        outcome, value = self.inspector.conclude(view, plan.day)
        if outcome == "drop":
            return "drop", value
        if p.status != "unlisted":
            right = self.inspector.answer(p, plan.day)
            if outcome == "answer" and value == right:
                return "ok", right
            return "drop", "lands_on_other_party" if outcome == "answer" else "listed_party_not_recognised"
        if outcome == "answer":
            return "drop", "unregistered_lookalike"
        if norm_text(draft.surface) in self.inspector.listed_texts:
            return "drop", "name_as_written_listed"
        reason = self.inspector.single_out(view, p)
        return ("drop", reason) if reason else ("ok", (NIET_GEREGISTREERD, ()))

    def attempt(self, kind: str) -> Draft | str | None:
        plan = self.plan(kind)
        if plan is None:
            return None
        draft = self.writer.draft(plan)
        if draft is None:
            return None
        self.attempts += 1
        outcome, value = self.judge(draft)
        if outcome == "drop":
            return str(value)
        if kind == "identifier_decides":  # only when the name and address alone would not have decided
            bare = View(draft.view.parts, place=draft.view.place, postcode=draft.view.postcode)
            alone = Draft(draft.row, draft.received, draft.bron, draft.prefix, bare, draft.surface, draft.tags, plan)
            if self.judge(alone)[0] == "ok":
                self.attempts -= 1
                return None
        draft.answer = value
        return draft

    def run(self, n_signals: int) -> list[Draft]:
        total = sum(KIND_WEIGHTS.values())
        quotas = {k: max(1, round(w * n_signals / total)) for k, w in KIND_WEIGHTS.items()}
        biggest = max(quotas, key=quotas.get)
        quotas[biggest] += n_signals - sum(quotas.values())
        drafts: list[Draft] = []
        missing = 0
        for kind, quota in quotas.items():
            made = self.fill(kind, quota, drafts)
            missing += quota - made
        for kind in ("registered_valid", "unregistered", "exempt_office") * 3:
            if missing <= 0:
                break
            missing -= self.fill(kind, missing, drafts)
        return drafts

    def fill(self, kind: str, quota: int, drafts: list[Draft]) -> int:
        made = tries = 0
        while made < quota and tries < quota * 25 + 100:
            tries += 1
            result = self.attempt(kind)
            if isinstance(result, str):
                self.dropped[result] += 1
            elif result is not None:
                drafts.append(result)
                made += 1
        return made


# ---------------------------------------------------------------------------------------------- output


def snapshot_dates(mirror_start: date) -> list[date]:
    """The first snapshot on mirror_start, then quarterly, and a last one on the world's last day."""
    days = [mirror_start]
    day = add_months(mirror_start, 3)
    while day < END:
        days.append(day)
        day = add_months(day, 3)
    if mirror_start < END:
        days.append(END)
    return days


def to_csv(header: tuple[str, ...], rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def register_csv(parties: list[Party], day: date) -> bytes:
    """The register as it stood on ``day``: every registration that took effect by then, with its status then."""
    rows = []
    for p in parties:
        if p.status != "registered":
            continue
        trade = "|".join(n.text for n in p.names[1:] if n.since <= day)
        for r in p.regs:
            if r.start > day:
                continue
            if r.end and r.end <= day:
                status, einde, until = r.end_status, r.end.isoformat(), ""
            else:
                years = 1
                while add_years(r.start, years) <= day:
                    years += 1
                status, einde, until = "ingeschreven", "", add_years(r.start, years).isoformat()
            rows.append([r.number, p.legal.text, trade, p.kvk, p.vestiging, p.street, p.number, p.postcode, p.city,
                         "|".join(p.websites), "|".join(p.emails), "|".join(p.phones), "|".join(p.ibans), status,
                         r.start.isoformat(), einde, until])
    rows.sort(key=lambda row: row[0])
    return to_csv(REGISTER_COLUMNS, rows)


def exempt_csv(parties: list[Party], day: date) -> bytes:
    rows = [[p.legal.text, p.kvk, p.beroep, p.city, "|".join(p.websites)]
            for p in parties if p.status == "exempt" and p.since <= day]
    rows.sort()
    return to_csv(EXEMPT_COLUMNS, rows)


def make_creditors(builder: MarketBuilder) -> list[Creditor]:
    out = []
    for name in CREDITORS:
        site = builder.unique("domain", lambda n=name: canon(n.split()[-1]) + builder.rng.choice([".nl", "-online.nl", ".com"]))
        out.append(Creditor(name, builder.iban("NL", builder.rng.choice(["ABNA", "INGB", "RABO"])), site))
    return out


def signals_csv(drafts: list[Draft]) -> tuple[bytes, dict[str, Truth]]:
    """Number the signals in order of receipt, per source and year, and write them as Excel saves them."""
    drafts = sorted(enumerate(drafts), key=lambda pair: (pair[1].received, pair[0]))
    counters: Counter = Counter()
    rows, truth = [], {}
    for _, d in drafts:
        counters[(d.prefix, d.received.year)] += 1
        ref = f"{d.prefix}-{d.received.year}-{counters[(d.prefix, d.received.year)]:05d}"
        d.row["referentie"] = ref
        rows.append([d.row[c] for c in SIGNAL_COLUMNS])
        p, plan = d.plan.party, d.plan
        verdict, numbers = d.answer
        shown = f" {', '.join(numbers)}" if numbers else ""
        truth[ref] = Truth(
            verdict=verdict, registratienummers=tuple(numbers),
            collector=p.pid if verdict == NIET_GEREGISTREERD else None, kind=plan.kind,
            detail=f"{p.legal.text} ({p.city}): {plan.detail}; {verdict}{shown} on {plan.day}",
            tags=tuple(sorted(d.tags)), bron=d.bron, reference_date=plan.day)
    return to_csv(SIGNAL_COLUMNS, rows, delimiter=";", bom=True), truth


def generate(seed: int = 1, mirror_start: date = date(2026, 11, 1), *, registrations: int = 1500, exempt: int = 300,
             collectors: int = 260, signals: int = 4200) -> World:
    """The world for a seed: parties, signals and labels depend on the seed only; ``mirror_start`` decides
    which register and exempt-list snapshots are handed out."""
    builder = MarketBuilder(seed, registrations, exempt, collectors)
    parties = builder.build()
    creditors = make_creditors(builder)
    vocab = Vocabulary(parties)
    engine = Engine(seed, parties, vocab, Inspector(parties), creditors)
    drafts = engine.run(signals)
    data, truth = signals_csv(drafts)
    days = snapshot_dates(mirror_start)
    sizes = {
        "registrations": sum(len(p.regs) for p in parties if p.status == "registered"),
        "registered_parties": sum(p.status == "registered" for p in parties),
        "exempt": sum(p.status == "exempt" for p in parties),
        "collectors": sum(p.status == "unlisted" for p in parties),
        "signals": len(truth),
        "attempts": engine.attempts,
        "creditors": len(creditors),
        "register_snapshots": len(days),
        **{k: v for k, v in sorted(builder.sizes.items())},
    }
    return World(
        register_snapshots=[(day, register_csv(parties, day)) for day in days],
        exempt_snapshots=[(day, exempt_csv(parties, day)) for day in days],
        signals_csv=data, truth=truth, dropped=dict(sorted(engine.dropped.items())), sizes=sizes, seed=seed,
        mirror_start=mirror_start)


if __name__ == "__main__":  # a summary of a world: python -m bench.evalset_market [seed]
    import sys
    import time

    began = time.perf_counter()
    world = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(f"generated in {time.perf_counter() - began:.1f} s; sizes {world.sizes}")
    kinds = Counter(t.kind for t in world.truth.values())
    verdicts = Counter(t.verdict for t in world.truth.values())
    print("verdicts:", dict(verdicts))
    for kind, n in kinds.most_common():
        print(f"  {kind:22} {n:5}  {100 * n / len(world.truth):5.1f}%")
    print("dropped:", sum(world.dropped.values()), world.dropped)
