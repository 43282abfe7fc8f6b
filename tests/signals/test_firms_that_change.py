"""Firms that change (issue 9, world F): a brand taken over or carried into a merger, a legal entity that
registered again, contact details the register lists, creditors' accounts in the collector's column, and
names as heard on the phone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.helpers import make_iban
from tests.signals.helpers import exempt_row, load, load_exempt, register_row, text
from tests.signals.helpers import judge as judge_on_form
from wki.signals.grouping import Item, group
from wki.signals.judging import match_signals
from wki.signals.models import Signal, Verdict
from wki.signals.names import Vocabulary, phonetic, word_similarity
from wki.signals.normalise import TokenWeights, legal_form, name_initials, name_readings, name_tokens

START = date(2026, 11, 1)  # the mirror began after the letters


def judge(**values: Any) -> Signal:
    return judge_on_form(**{"ontvangen_op": "2026-11-20", **values})


def firm(n: int, naam: str, **overrides: str) -> dict[str, str]:
    values = {"handelsnamen": "", "website": "", "email": "", "telefoon": "", "iban": "", "plaats": "Amersfoort",
              "postcode": "3811 AA", "datum_inschrijving": "2024-06-01"}
    values.update(overrides)
    return register_row(n, naam=naam, **values)


@pytest.fixture
def changing(db_session):
    load([
        # Reigerweide was taken over by Meeuwstroom on 2025-07-01: struck off that day, its brand the buyer's.
        firm(1, "Reigerweide Incasso B.V.", status="doorgehaald", datum_einde="2025-07-01", geldig_tot=""),
        firm(2, "Meeuwstroom Invorderingen B.V.", handelsnamen="Reigerweide Incasso"),
        # Wilgendam registered only in 2025-09; Kraanvogel (registered earlier) took its brand over later.
        firm(3, "Wilgendam Incasso B.V.", datum_inschrijving="2025-09-01"),
        firm(4, "Kraanvogel Collect B.V.", handelsnamen="Wilgendam Incasso"),
        # Kramer & Peters merged into a new registration in 2026, which carries the old name on.
        firm(5, "Kramer & Peters Credit Management B.V.", status="doorgehaald", datum_einde="2026-03-22",
             geldig_tot=""),
        firm(6, "Fiducia Groep B.V.", handelsnamen="Kramer & Peters Credit Management",
             datum_inschrijving="2026-03-22"),
        # One legal entity, registered twice (the first lapsed), under two names.
        firm(7, "Vastburg Debiteurenbeheer V.O.F.", kvk_nummer="63775838", status="verlopen",
             datum_inschrijving="2025-02-28", datum_einde="2026-02-28", geldig_tot=""),
        firm(8, "Zuidbrug Invorderingen B.V.", kvk_nummer="63775838", datum_inschrijving="2026-02-28"),
        # Registered again under its own name after the first registration lapsed.
        firm(10, "Incassodiensten Drenthe B.V.", kvk_nummer="58076466", status="verlopen",
             datum_inschrijving="2025-03-28", datum_einde="2026-03-28", geldig_tot=""),
        firm(11, "Incassodiensten Drenthe B.V.", kvk_nummer="58076466", datum_inschrijving="2026-04-02"),
        # A registered firm whose account, number and town the Inspectie knows.
        firm(9, "Zwart Incasso B.V.", iban=make_iban(909), telefoon="0348-123456", plaats="Woerden",
             postcode=""),
    ], START)
    return db_session


def test_a_brand_taken_over_belongs_to_the_buyer_once_the_seller_is_gone(changing):
    signal = judge(naam_incassant="Reigerweide Incasso", datum_brief="2026-01-21")
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == "R2024-00002", text(signal)
    assert "de naam hoorde toen bij Meeuwstroom Invorderingen B.V. (R2024-00002)" in text(signal)


def test_a_brand_another_firm_lists_now_is_not_given_to_it_before_its_owner_registered(changing):
    # Kraanvogel lists the brand now; in 2025-05 it was Wilgendam's own name, and Wilgendam was not yet
    # registered. Since when Kraanvogel held it, the mirror (begun in 2026-11) cannot tell: a person decides.
    signal = judge(naam_incassant="Wilgendam Incasso bv", datum_brief="2025-05-12")
    assert signal.auto_verdict == Verdict.UNCERTAIN, text(signal)
    assert "R2024-00003" in text(signal) and "R2024-00004" in text(signal)


def test_a_name_carried_into_a_merger_was_the_old_firms_while_it_was_valid(changing):
    before = judge(naam_incassant="Kramer & Peters Credit Management", datum_brief="2025-11-01")
    assert before.auto_verdict == Verdict.REGISTERED and before.auto_registratienummer == "R2024-00005", text(before)
    after = judge(naam_incassant="Kramer & Peters Credit Management", datum_brief="2026-08-01")
    assert after.auto_verdict == Verdict.REGISTERED and after.auto_registratienummer == "R2024-00006", text(after)


def test_the_kvk_number_finds_the_entitys_registration_of_the_day_whatever_its_name(changing):
    signal = judge(naam_incassant="Zuidbrug Invorderingen B.V.", kvk_nummer="63775838", datum_brief="2025-04-30")
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == "R2024-00007", text(signal)


@pytest.mark.parametrize(("day", "number", "why"), [
    ("2024-08-25", "R2024-00010", "before both: the first, still to come"),
    ("2026-03-30", "R2024-00010", "in the gap, two days after the first ended"),
    ("2026-05-01", "R2024-00011", "the second was valid"),
])
def test_a_firm_registered_twice_is_judged_by_the_registration_nearest_the_day(changing, day, number, why):
    signal = judge(naam_incassant="Incassodiensten Drente bv", kvk_nummer="58076466", datum_brief=day)
    assert signal.auto_registratienummer == number, f"{why}: {text(signal)}"
    assert signal.auto_verdict == (Verdict.REGISTERED if number == "R2024-00011" else Verdict.NOT_VALID)


def test_one_unknown_account_is_no_evidence_against_the_firm(changing):
    signal = judge(naam_incassant="Zwart Incasso", iban=make_iban(4242), datum_brief="2026-05-01")
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)


def test_another_account_with_a_name_that_differs_in_a_telling_word_is_another_firm(changing):
    signal = judge(naam_incassant="Zwart Administratie & Incasso", iban=make_iban(4242), datum_brief="2026-05-01")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert f"IBAN {make_iban(4242)} staat niet bij Zwart Incasso B.V. (R2024-00009)" in text(signal)


def test_another_number_and_another_town_are_another_firm_even_under_the_same_name(changing):
    signal = judge(naam_incassant="Zwart Incasso", telefoon="0318-225272", plaats="Ede", datum_brief="2026-05-01")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "plaats ede is niet die van Zwart Incasso B.V. (R2024-00009)" in text(signal)


def test_the_known_account_decides_for_the_firm_however_the_name_differs(changing):
    signal = judge(naam_incassant="Zwart Administratie & Incasso", iban=make_iban(909), plaats="Ede",
                   datum_brief="2026-05-01")
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == "R2024-00009", text(signal)


def test_a_creditors_account_in_unregistered_signals_does_not_make_a_registered_firm_a_clone(changing):
    creditor = make_iban(777, "RABO")  # the account of a web shop, written in the collector's column
    for name in ("Baken Receivables", "Dijk Credit Fund", "Heide Portfolio Beheer"):
        judge(naam_incassant=name, iban=creditor, datum_brief="2026-05-01")
    signal = judge(naam_incassant="Meeuwstroom Invorderingen", iban=creditor, datum_brief="2026-05-02")
    match_signals(only_open=False)
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert "volgens signaal" not in text(signal)


# --- grouping -------------------------------------------------------------------------------------------

REGISTER = [name_tokens(n) for n in ("Noordkaap Incasso B.V.", "De Vries Invorderingen B.V.")]
VOCABULARY = Vocabulary(TokenWeights.from_token_lists(REGISTER), (t for tokens in REGISTER for t in tokens))


def item(i: int, name: str, *ids: str) -> Item:
    return Item(id=i, words=VOCABULARY.words(tuple(name_tokens(name)), name_initials(name)), identifiers=ids,
                letters="".join(name_tokens(name)))


def test_an_account_that_unrelated_names_share_links_nobody():
    items = [item(1, "Recht Receivables", "iban:NL01"), item(2, "Reigerweide Incasso", "iban:NL01"),
             item(3, "Dijk Credit Fund", "iban:NL01"), item(4, "Reigerweide Incasso", "telefoon:06")]
    assert group(items) == [[2, 4], [1], [3]]


def test_one_collector_with_two_brands_and_one_account_stays_one():
    items = [item(1, "Solidus Credit Management", "iban:NL01"), item(2, "Solidus CM Holland", "iban:NL01"),
             item(3, "Quickpay Collect", "iban:NL01")]
    assert group(items) == [[1, 2, 3]]


# --- names as heard and typed ---------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "tokens", "form"), [
    ("Fan der Veen Inkasso bf", ["van", "der", "veen", "inkasso"], "B.V."),
    ("Fan Osten & Buitenhuis Credit Management", ["van", "osten", "en", "buitenhuis", "credit", "management"], None),
    ("hoochsteen credit management nf", ["hoochsteen", "credit", "management"], "N.V."),
    ("KONING & VERMEULEN CM", ["koning", "en", "vermeulen", "credit", "management"], None),
    ("Solidus CM Holland", ["solidus", "credit", "management", "holland"], None),
    ("CM Incasso", ["cm", "incasso"], None),  # initials, not an abbreviation
    ("Jansen Bfk Incasso", ["jansen", "bfk", "incasso"], None),
])
def test_names_as_heard_on_the_phone(written, tokens, form):
    assert name_tokens(written) == tokens
    assert legal_form(written) == form


def test_a_collector_before_the_creditor_is_read_too():
    assert "Incassoburo Lubbers" in name_readings("Incassoburo Lubbers / Sportschool FitFabriek")
    assert "Incassobureau Zonnevliet" in name_readings("Vattenfall / Incassobureau Zonnevliet")


def test_v_and_f_sound_alike_inside_a_word():
    assert phonetic("silfersluis") == phonetic("zilversluis")
    assert phonetic("adfokatuur") == phonetic("advocatuur")


def test_a_close_name_set_aside_for_other_details_says_which(db_session):
    load([firm(1, "Noordkaap Incasso B.V.")], START)
    load_exempt([exempt_row(1, naam="Tuinstra Gerechtsdeurwaarders", website="tuinstra-deurwaarders.nl")], START)
    signal = judge(naam_incassant="Tuinstra Gerechtsdeurwaarders", email="dossiers@tuinstra-incasso.nl",
                   datum_brief="2026-05-01")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "te weinig voor dezelfde partij" not in text(signal)
    assert "maar e-maildomein tuinstra-incasso.nl hoort niet bij Tuinstra Gerechtsdeurwaarders" in text(signal)


# --- spelling in a crowded register ---------------------------------------------------------------------

@pytest.fixture
def crowded(db_session):
    load([
        firm(1, "Veenbaken Incasso"),
        firm(2, "Baken Incassobureau B.V."),
        firm(3, "Van de Ven & Van der Heijden Incasso V.O.F."),
        firm(4, "Incassobureau Tol en ter Horst B.V."),
        firm(5, "Incassokantoor Tol"),
        firm(6, "Heidewacht Portfolio Management B.V."),
        # Many firms whose trade words are "Debt Purchase": they must not crowd out a misspelt own word.
        *(firm(10 + k, f"{name} Debt Purchase B.V.") for k, name in enumerate(
            ["Lentekade", "Goudstroom", "Zomerveld", "Torenburg", "Dalkade", "Wilgenhof", "Kraanbrug", "Ambersluis"])),
    ], START)
    return db_session


@pytest.mark.parametrize(("written", "number"), [
    ("Venbaken Incasso", "R2024-00001"),  # one letter dropped, not "Ven" + "Baken"
    ("Incassobureau Tol en ter Hrst", "R2024-00004"),  # a one-syllable name that lost its vowel
    ("Heidewcht Debt Purchase", "R2024-00006"),  # a misspelt own word beside trade words many firms share
])
def test_a_misspelt_name_in_a_crowded_register_finds_its_firm(crowded, written, number):
    signal = judge(naam_incassant=written, datum_brief="2026-05-01")
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == number, text(signal)


def test_letters_that_abbreviate_still_agree_only_when_equal():
    assert word_similarity("hrst", "horst")[0] > 0.8
    assert word_similarity("vkk", "vakk") == (0.0, "")  # an abbreviation, not a slip
    assert word_similarity("krmr", "kramer") == (0.0, "")  # two vowels gone: not one slip


def test_a_callers_name_before_the_firm_is_read_in_capitals_too():
    assert "PRIYA STEGEMAN INCASSODIENSTEN" in name_readings("ESTHER RUTTEN VAN PRIYA STEGEMAN INCASSODIENSTEN")
    assert "HUNZESPOOR INCASSO" in name_readings("NOEL VAN HUNZESPOOR INCASSO")
    assert name_readings("JAN VAN DIJK INCASSO") == ()  # a person's name: "van" is the surname's


def test_a_surname_beginning_with_van_is_not_read_as_of():
    assert name_readings("Eva van Deurwarderskantoor Van den Brink") == ("Deurwarderskantoor Van den Brink",)
    assert name_readings("EVA VAN DEURWAARDERSKANTOOR VAN DEN BRINK") == ("DEURWAARDERSKANTOOR VAN DEN BRINK",)


def test_names_that_differ_only_in_where_words_are_split_are_one_collector():
    items = [item(1, "LUMIA BETAALDIENST BV", "iban:NL01"), item(2, "lumiabetaaldienst"),
             item(3, "Berkenborg Collect"), item(4, "Berken-borgCollect"), item(5, "Lumia Partners")]
    assert group(items) == [[1, 2], [3, 4], [5]]


# --- a market of coined names (issue 9, world A seeds 4 and 5) ---------------------------------------------

@pytest.fixture
def coined(db_session):
    load([
        firm(20, "Quantvia Credit Control V.O.F."),
        firm(21, "Jansen Debiteurenbeheer N.V.", status="doorgehaald", datum_inschrijving="2025-01-10",
             datum_einde="2025-12-01", geldig_tot="", telefoon="075-7867844"),
        firm(22, "Jansen Debiteurenbeheer V.O.F.", datum_inschrijving="2025-03-14"),
    ], START)
    return db_session


def test_a_slip_in_a_coined_name_with_other_trade_words_is_still_the_registered_firm(coined):
    # One reporter's slip of the pen: the name people give is rarely exactly the register's.
    signal = judge(naam_incassant="Incasso Service Quantia B.V.", datum_brief="2026-09-01")
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == "R2024-00020", text(signal)


def test_a_resembling_name_that_reporters_of_several_sources_write_alike_is_another_firm(coined):
    # Three signals from two sources all write "Quantia": that is how the collector writes itself, and it
    # calls its trade otherwise than Quantvia does. Another firm, not Quantvia misspelt.
    for bron in ("consument", "gemeente"):
        judge(naam_incassant="Incasso Service Quantia B.V.", datum_brief="2026-09-01", bron=bron)
    signal = judge(naam_incassant="Incasso Service Quantia B.V.", datum_brief="2026-09-02", bron="gemeente")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "wordt door meer melders zo geschreven" in text(signal)
    assert "quantia/quantvia" in text(signal)


def test_a_resembling_name_written_alike_with_the_same_trade_words_stays_the_firm(coined):
    # With the trade words the register's, one difference only: a slip that others copy (a case system).
    for bron in ("consument", "gemeente", "gemeente"):
        signal = judge(naam_incassant="Quantia Credit Control", datum_brief="2026-09-01", bron=bron)
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == "R2024-00020", text(signal)


def test_the_legal_form_written_keeps_a_struck_off_firm_apart_from_a_valid_namesake(coined):
    struck = judge(naam_incassant="Jansen Debiteurenbeheer N.V.", datum_brief="2026-02-06")
    assert struck.auto_verdict == Verdict.NOT_VALID and struck.auto_registratienummer == "R2024-00021", text(struck)
    # Its telephone number, without a legal form, says the same.
    called = judge(naam_incassant="Jansen Debiteurenbeheer", telefoon="075 786 78 44", datum_brief="2026-02-06")
    assert called.auto_verdict == Verdict.NOT_VALID and called.auto_registratienummer == "R2024-00021", text(called)
    # The name alone, on a day only the V.O.F. was valid, is the V.O.F.'s.
    plain = judge(naam_incassant="Jansen Debiteurenbeheer", datum_brief="2026-02-06")
    assert plain.auto_verdict == Verdict.REGISTERED and plain.auto_registratienummer == "R2024-00022", text(plain)


def test_words_counted_one_by_one_agree_with_all_signals_read(coined):
    # A signal from the form or the API counts only its own words; a bulk run reads every signal's name.
    from wki.signals.spellings import attested_spellings

    for bron in ("consument", "gemeente", "gemeente"):
        judge(naam_incassant="Incasso Service Quantia B.V.", datum_brief="2026-09-01", bron=bron)
    judge(naam_incassant="Quantia_50% Incasso", datum_brief="2026-09-01")
    everything = attested_spellings()
    assert "quantia" in everything
    words = {"quantia", "quantvia", "incasso", "service", "50", "%", "_"}
    assert attested_spellings(words) == everything & words
