"""How partners write collectors' names, each habit with our own examples (issue 9 §2 and §3: the kinds the
independent worlds showed): a firm under two names ("h.o.d.n."), callers and creditors around the name, a
scanner's and a typist's slips, trade words written short, bailiffs and lawyers named as persons, names of
everyday words only, and registrations of one legal entity."""

from __future__ import annotations

from datetime import date

import pytest

from tests.signals.helpers import agency, exempt_row, judge, load, load_exempt, text
from wki.core.extensions import db
from wki.signals.grouping import Item, group
from wki.signals.models import Verdict
from wki.signals.names import Vocabulary
from wki.signals.normalise import (
    TokenWeights,
    legal_form,
    name_alternatives,
    name_initials,
    name_readings,
    name_tokens,
)

D0 = date(2026, 1, 1)


REGISTER = [
    agency(1, "Beheermaatschappij Hofman B.V.", handelsnamen="Vliergaard Claims"),
    agency(2, "De Wolf Invorderingen B.V."),
    agency(3, "Trinara B.V."),
    agency(4, "Incasso Pieter van der Wal"),
    agency(5, "Capara Incasso B.V.", plaats="Den Haag", postcode="2511 AA"),
    agency(6, "Incassokantoor Berkenzicht V.O.F."),
    agency(7, "Primara Incassoservice B.V."),
    agency(8, "Primance Collections B.V."),
    agency(9, "Primado Credit Management B.V."),
    agency(10, "Incassodienst Holland B.V."),
    agency(11, "Janssen Incassobureau B.V."),
    agency(12, "Engels Beheer B.V."),
    agency(13, "Zwart & Zonen Incasso B.V."),
    agency(14, "Zwart Invorderingen B.V."),
    agency(15, "Dutchwood Credit Management Holding B.V."),
    agency(16, "Incasso Service Pinas B.V."),
    agency(17, "Ricardo Mol Debiteurenbeheer B.V."),
    agency(18, "Mol Debiteurenbeheer B.V.", datum_inschrijving="2026-09-01", geldig_tot="2027-09-01"),
    agency(19, "FCC Claims B.V."),
    agency(20, "Bruggink-Hoogendoorn Juristen N.V."),
    # One legal entity registered twice: the first struck off, the second valid; only the first lists the
    # website.
    agency(21, "Incassodienst Vos & Veldhuis B.V.", kvk_nummer="77000001", website="vosveldhuis.nl",
           status="doorgehaald", datum_inschrijving="2024-05-01", datum_einde="2025-04-18", geldig_tot=""),
    agency(22, "Incassodienst Vos & Veldhuis B.V.", kvk_nummer="77000001", datum_inschrijving="2025-05-01",
           geldig_tot="2026-05-01"),
    agency(23, "Pennine Credit Services LLP"),
    agency(24, "El Idrissi Invorderingen"),
]
EXEMPT = [
    exempt_row(1, naam="Stam & Hofstede Gerechtsdeurwaarders", kvk_nummer="", website="", plaats="Amstelveen"),
    exempt_row(2, naam="Teunissen & Luijten Advocaten", beroep="advocaat", kvk_nummer="", website="", plaats="Emmen"),
    exempt_row(3, naam="Lindedal Advocaten", beroep="advocaat", kvk_nummer="", website="", plaats="Delft"),
    exempt_row(4, naam="Van Loon Advocatuur & Incasso", beroep="advocaat", kvk_nummer="", website="",
               plaats="Tiel"),
]


@pytest.fixture
def world(db_session):
    load(REGISTER, D0)
    load_exempt(EXEMPT, D0)
    return db_session


# --- a firm under two names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, names", [
    ("Beheermaatschappij Van Dongen B.V. (h.o.d.n. Paauw Recovery)",
     ("Beheermaatschappij Van Dongen B.V.", "Paauw Recovery")),
    ("Van Leeuwen Holding B.V. hodn Eemlande Incasso", ("Van Leeuwen Holding B.V.", "Eemlande Incasso")),
    ("De Jong Beheer B.V. handelend onder de naam Scheldester Collect", ("De Jong Beheer B.V.", "Scheldester Collect")),
    ("Noordkaap Incasso, voorheen Zuidkaap Incasso", ("Noordkaap Incasso", "Zuidkaap Incasso")),
    ("Noordkaap Incasso v/h Zuidkaap Incasso", ("Noordkaap Incasso", "Zuidkaap Incasso")),
    ("Thans Incasso B.V.", ("Thans Incasso B.V.",)),
    ("", ()),
])
def test_the_names_a_signal_gives_for_one_collector(written, names):
    assert name_alternatives(written) == names


def test_a_holding_named_with_its_trade_name_is_the_registration_under_either(world):
    by_trade_name = judge(naam_incassant="Beheermaatschappij Hofman B.V. h.o.d.n. Vliergaard Claims")
    assert by_trade_name.auto_verdict == Verdict.REGISTERED, text(by_trade_name)
    assert by_trade_name.auto_registratienummer == "R2024-00001"
    unknown_holding = judge(naam_incassant="Beheermaatschappij Mulder B.V. hodn Vliergaard Claims")
    assert unknown_holding.auto_registratienummer == "R2024-00001", text(unknown_holding)


def test_a_signal_naming_two_names_links_the_signals_of_either():
    tokens = [name_tokens(n) for n in ("Valio Vorderingen", "Incassobureau Smart")]
    vocabulary = Vocabulary(TokenWeights.from_token_lists(tokens), (t for ts in tokens for t in ts))

    def item(i: int, name: str) -> Item:
        first, *others = name_alternatives(name)
        return Item(id=i, words=vocabulary.words(tuple(name_tokens(first)), name_initials(first)),
                    also=tuple(vocabulary.words(tuple(name_tokens(o)), name_initials(o)) for o in others))

    items = [item(1, "Valio Vorderingen"), item(2, "Incassobureau Smart"),
             item(3, "Valio Vorderingen h.o.d.n. Incassobureau Smart"), item(4, "Helder Invorderingen")]
    assert group(items) == [[1, 2, 3], [4]]


def test_a_name_with_a_remark_joins_the_signals_of_exactly_that_name():
    tokens = [name_tokens("Payrix Collect")]
    vocabulary = Vocabulary(TokenWeights.from_token_lists(tokens), (t for ts in tokens for t in ts))

    def item(i: int, name: str) -> Item:
        return Item(id=i, words=vocabulary.words(tuple(name_tokens(name)), name_initials(name)),
                    readings=tuple(vocabulary.words(tuple(name_tokens(r)), name_initials(r))
                                   for r in name_readings(name)))

    items = [item(1, "Payrix Collect"), item(2, "Payrix Collect -- ook na betaling nog aanmaningen"),
             item(3, "Met vriendelijke groet, Eva | Payrix Collect"),
             # a reading links only to exactly that name, not to one it resembles
             item(4, "Payrix Incasso - belt elke dag")]
    assert group(items) == [[1, 2, 3], [4]]


def test_signals_named_with_a_remark_join_the_suspect_of_that_name(world):
    plain = judge(naam_incassant="Payrix Collect")
    remark = judge(naam_incassant="Payrix Collect - ook na betaling nog aanmaningen")
    from wki.signals.judging import match_signals
    match_signals(only_open=False)
    db.session.expire_all()
    assert plain.suspect_id is not None
    assert remark.suspect_id == plain.suspect_id


def test_a_website_names_a_collector_for_signals_of_exactly_that_name():
    tokens = [name_tokens("Modernequia Incasso")]
    vocabulary = Vocabulary(TokenWeights.from_token_lists(tokens), (t for ts in tokens for t in ts))
    words = vocabulary.words(("modernequia", "incasso"))
    domain_only = vocabulary.words(("modernequia", "incasso"))
    generic = vocabulary.words(("incasso", "nederland"))
    items = [Item(1, words), Item(2, domain_names=(domain_only,)), Item(3, vocabulary.words(("incasso", "nederland"))),
             Item(4, domain_names=(generic,))]
    # A domain of trade words only ("incasso-nederland.nl") names nobody.
    assert group(items) == [[1, 2], [3], [4]]


# --- around the name: callers, creditors, addresses -----------------------------------------------------------

@pytest.mark.parametrize("written, tokens", [
    ("een zekere Sanne van De Wolf Invorderingen", ["de", "wolf", "invorderingen"]),
    ("Ronald van Zwolle Incasso", ["zwolle", "incasso"]),  # a first name from a place's firm
    ("Jan van Dijk Incasso", ["jan", "van", "dijk", "incasso"]),  # a person's name
    ("Incassobureau Vlot (Kees)", ["incassobureau", "vlot"]),
    ("iets met ankervaart incasso", ["ankervaart", "incasso"]),
    ("Clearhill Rechtshulp V.O.F. p/a Postbus 59023", ["clearhill", "rechtshulp"]),
    ("KPN p/a Fairpoint Collect", ["fairpoint", "collect"]),
    ("PRIMEGATE INZAKE BUDGET ENERGIE", ["primegate"]),
    ("Menzis via Sluislicht Incassodiensten B.V.", ["sluislicht", "incassodiensten"]),
    ("T.a.v. Klantenservice, Fairpoint Collect B.V.", ["fairpoint", "collect"]),
    ("Incassant: Fairline Finance V.O.F. (opdrachtgever Lebara)", ["fairline", "finance"]),
    ("Incassokantoor Dijkstra &amp; Haverkamp", ["incassokantoor", "dijkstra", "en", "haverkamp"]),
    # a reporter's doubt and a mail signature around the name
    ("ik weet het niet precies, iets met Vlot Incasso", ["vlot", "incasso"]),
    ("volgens mij Ankervaart Incasso", ["ankervaart", "incasso"]),
    ("Ankervaart Incasso geloof ik", ["ankervaart", "incasso"]),
    ("Ankervaart Incasso of zo", ["ankervaart", "incasso"]),
    ("Ankervaart Incasso (denk ik)", ["ankervaart", "incasso"]),
    ("Met vriendelijke groet, Ankervaart Incasso", ["ankervaart", "incasso"]),
    ("Ankervaart Incasso <info@ankervaart.nl>", ["ankervaart", "incasso"]),
    ("naam onduidelijk op brief, iets als Westerhof", ["westerhof"]),
])
def test_what_partners_write_around_a_name_is_left_out(written, tokens):
    assert name_tokens(written) == tokens


@pytest.mark.parametrize("written, tokens", [
    ("Dutchwood Cr. Mgmt Holding B.V.", ["dutchwood", "credit", "management", "holding"]),
    ("Eikenhoeve Fin. Serv. B.V.", ["eikenhoeve", "financial", "services"]),
    ("Lotte Huisman Deb.beheer", ["lotte", "huisman", "debiteuren", "beheer"]),
    ("Adv. kantoor Goossens", ["advocaten", "kantoor", "goossens"]),
    ("Hermans Gerechtsdw.", ["hermans", "gerechtsdeurwaarders"]),
    ("Concordia Cred. Man.", ["concordia", "credit", "management"]),
    ("Advocatenktr. Bouzid", ["advocatenkantoor", "bouzid"]),
    ("Kalkman & Ptnrs Gerechtsdeurwaarders", ["kalkman", "en", "partners", "gerechtsdeurwaarders"]),
    ("Incasso Inc. Ltd", ["incasso", "inc"]),  # a legal form, not a trade word
    ("Incasso Pieter van der WaI", ["incasso", "pieter", "van", "der", "wal"]),  # a scanned I for l
    ("VereraInvorderingen B.V.", ["vererainvorderingen"]),  # ... but not a capital beginning a word
    ("TrinaraB.V.", ["trinara"]),
    ("Heidepunt Betalingsregie V.0.F.", ["heidepunt", "betalingsregie"]),
    ("N.V.D. Incasso V.O.F.", ["nvd", "incasso"]),  # initials, not N.V. and not "van der"
    ("J. v.d. Berg Incasso", ["j", "van", "der", "berg", "incasso"]),
    ("Hanse Recovery Services UAB", ["hanse", "recovery", "services"]),  # a Lithuanian legal form
])
def test_words_written_short_or_scanned_are_read_back(written, tokens):
    assert name_tokens(written) == tokens


@pytest.mark.parametrize("written", [
    "een zekere Sanne van De Wolf Invorderingen",
    "TrinaraB.V.",
    "Incasso Pieter van der WaI",
    "Capara Incasso Den Haag",  # the place of several words and the firm's own
    "incassokantoor berkenzikht",  # kh for ch
    "Dutchwood Cr. Mgmt Holding",
])
def test_a_registered_collector_written_as_partners_write_is_recognised(world, written):
    signal = judge(naam_incassant=written)
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)


# --- bailiffs and lawyers named as persons, and what a law firm is called ---------------------------------------

@pytest.mark.parametrize("written, office", [
    ("deurwaarder Marco Stam", "Stam & Hofstede Gerechtsdeurwaarders"),
    ("LUIJTEN ADVOCAAT TE EMMEN", "Teunissen & Luijten Advocaten"),
    ("Lindedal Legal", "Lindedal Advocaten"),
])
def test_a_bailiff_or_lawyer_named_as_a_person_or_by_law_firm_is_their_office(world, written, office):
    signal = judge(naam_incassant=written)
    assert signal.auto_verdict == Verdict.EXEMPT, text(signal)
    assert signal.auto_exempt_name == office


def test_a_collector_without_the_profession_of_an_office_of_its_surname_is_another_firm(world):
    signal = judge(naam_incassant="G. van Loon Schuldbeheer V.O.F.")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "de naam noemt geen advocaat" in text(signal)


# --- words that differ ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, reason", [
    ("Incassobureau Prima", None),  # a word cut off that three registered names begin with
    ("Holland Incasso Nederland", "een naam van alleen algemene woorden"),
    ("Janssen & Janssen Incasso", None),  # two partners of one surname
    ("Engels Incasso & Rechtshulp", "noemt ook een ander soort bedrijf (juridisch)"),
    ("VKK Credit Management", None),  # letters that abbreviate: V and F, K and C do not agree
    ("B. Hoogendoorn Juristen", None),  # an initial stands for a given name, not a surname
    ("Van Houten-Pinas Debiteurenbeheer", None),  # after "van" a place is a surname
])
def test_names_that_differ_in_a_word_that_is_not_noise_are_other_firms(world, written, reason):
    signal = judge(naam_incassant=written)
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    if reason:
        assert reason in text(signal)


def test_zonen_written_short_is_the_partnership_not_the_surname_alone(world):
    signal = judge(naam_incassant="Zwart & zn Incasso")
    assert signal.auto_registratienummer == "R2024-00013", text(signal)


def test_initials_that_fit_a_firms_given_name_decide_for_it(world):
    signal = judge(naam_incassant="R.G. Mol Debiteurenbeheer BV", datum_brief="2026-03-01")
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert signal.auto_registratienummer == "R2024-00017"


def test_a_registration_again_under_one_kvk_number_shares_what_the_old_one_lists(world):
    signal = judge(naam_incassant="incassodienst vos & veldhuis b.v.", website="https://vosveldhuis.nl",
                   datum_brief="2026-01-20")
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert signal.auto_registratienummer == "R2024-00022"


# --- what other signals show ------------------------------------------------------------------------------------

def test_an_account_another_signal_showed_to_be_a_clones_is_the_clones(world):
    """A clone writes the registered name; its IBAN, seen with a KvK number that is nobody's in the register,
    is the clone's: a later signal with that IBAN under the registered name is the clone's too."""
    first = judge(naam_incassant="Trinara B.V.", kvk_nummer="99887766", iban="NL91ABNA0417164300")
    assert first.auto_verdict == Verdict.UNREGISTERED, text(first)
    later = judge(naam_incassant="Trinara B.V.", iban="NL91 ABNA 0417 1643 00")
    assert later.auto_verdict == Verdict.UNREGISTERED, text(later)
    assert f"volgens signaal {first.referentie}" in text(later)


def test_a_signal_judged_before_the_clone_was_known_is_judged_again(world):
    earlier = judge(naam_incassant="Trinara B.V.", iban="NL91ABNA0417164300")
    assert earlier.auto_verdict == Verdict.REGISTERED, text(earlier)  # an IBAN the register lacks says nothing
    judge(naam_incassant="Trinara B.V.", kvk_nummer="99887766", iban="NL91ABNA0417164300")
    db.session.refresh(earlier)
    assert earlier.auto_verdict == Verdict.UNREGISTERED, text(earlier)


def test_a_legal_form_of_another_country_is_another_legal_entity(world):
    signal = judge(naam_incassant="Trinara S.A.")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "rechtsvorm S.A. wijkt af" in text(signal)
    belgian = judge(naam_incassant="Trinara BVBA")  # a Belgian writer's B.V.
    assert belgian.auto_verdict == Verdict.REGISTERED, text(belgian)


@pytest.mark.parametrize("written, number", [
    ("Pennine Credit Services", "R2024-00023"),  # the firm without its English legal form
    ("Elidrissi Invorderingen", "R2024-00024"),  # the particle run into the surname
])
def test_a_name_written_without_its_form_or_with_its_particle_run_in_is_the_firm(world, written, number):
    signal = judge(naam_incassant=written)
    assert signal.auto_registratienummer == number, text(signal)


def test_an_english_partnership_is_another_legal_entity_than_a_dutch_bv():
    assert legal_form("Pennine Credit Services LLP") == "LLP"
    assert name_tokens("Pennine Credit Services LLP") == ["pennine", "credit", "services"]


@pytest.mark.parametrize("written", [
    "Capara Incasso, Dorpsstraat 66 B, Den Haag",
    "Capara Incasso Stationsweg 235 Den Haag",
    "ST. DERDENGELDEN CAPARA INCASSO",
    "CAPARA INCASSO BESLOTEN VENNOO",
    "die gasten van capara incasso",
])
def test_what_a_bank_or_a_consumer_writes_around_the_name_is_left_out(world, written):
    signal = judge(naam_incassant=written)
    assert signal.auto_registratienummer == "R2024-00005", text(signal)


# --- readings: what a name may be without what was written around it -----------------------------------------

@pytest.mark.parametrize("written, reading", [
    ("Noël van Hunzespoor Incasso", "Hunzespoor Incasso"),  # a caller 'van' the firm
    ("Capara Incasso -- dreigt met beslag", "Capara Incasso"),  # a reporter's remark
    ("Capara Incasso (belt elke dag)", "Capara Incasso"),
    ("Met vriendelijke groet, Eva | Capara Incasso", "Capara Incasso"),  # a signature: the firm comes last
    ("deurwaarder Capara Incasso", "Capara Incasso"),  # a layman's 'deurwaarder' for a collector
    ("Vattenfall / Capara Incasso B.V.", "Capara Incasso B.V."),  # the creditor, then the collector
    ("Wessels Advocaten - locatie Groningen, afdeling incasso", "Wessels Advocaten"),
])
def test_a_name_is_also_read_without_what_was_written_around_it(written, reading):
    assert reading in name_readings(written)


@pytest.mark.parametrize("written", [
    "Van der Meer - Jansen Incasso",  # a double surname, not a remark
    "Stam (gerechtsdeurwaarder)",  # the bracket says the trade: it stays
    "Incasso Noord / Incasso Zuid",  # two collectors: neither is the creditor
])
def test_what_says_something_of_the_firm_is_not_read_away(written):
    readings = name_readings(written)
    assert "Van der Meer" not in readings and "Stam" not in readings and "Incasso Zuid" not in readings, readings


@pytest.mark.parametrize("written", [
    "Vattenfall / Capara Incasso B.V.",
    "Capara Incasso - wil geen betalingsregeling",
    "Met vriendelijke groet, Anja Verwey | Capara Incasso B.V.",
])
def test_a_collector_named_among_other_words_is_recognised(world, written):
    signal = judge(naam_incassant=written)
    assert signal.auto_registratienummer == "R2024-00005", text(signal)


def test_a_page_on_a_platform_links_its_owner_not_everyone_on_the_platform(world):
    a = judge(naam_incassant="Ankervaart Vorderingen", website="https://www.facebook.com/ankervaart")
    b = judge(naam_incassant="Zeeburg Inning", website="https://www.facebook.com/zeeburginning")
    c = judge(naam_incassant="", website="facebook.com/ankervaart?ref=share")
    assert a.suspect_id == c.suspect_id != b.suspect_id
