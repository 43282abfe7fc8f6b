"""The kinds of error an independent evaluation found (issue 9 §2), each with our own examples: equally
close candidates with one outcome, a differing word that is not noise, spelling the matcher missed, and
fairly close names that other evidence decides."""

from __future__ import annotations

from datetime import date

import pytest

from tests.signals.helpers import agency, exempt_row, judge, load, load_exempt, text
from wki.signals.models import Verdict

D0 = date(2026, 1, 1)


REGISTER = [
    agency(1, "Bakker Incasso B.V.", plaats="Zwolle", postcode="8011 AA"),
    agency(2, "Dekker Incasso B.V.", plaats="Deventer", postcode="7411 AA"),
    agency(3, "Moll Debiteurenbeheer B.V.", plaats="Emmen", postcode="7811 AA"),
    agency(4, "Zuiderlichtkade Invorderingen B.V.", plaats="Breda", postcode="4811 AA"),
    agency(5, "Jan Pieter de Vries Incasso V.O.F.", plaats="Assen", postcode="9401 AA"),
    agency(6, "Incassogroep Noordkaap Zwolle B.V.", plaats="Zwolle", postcode="8012 BB"),
    agency(7, "Incassogroep Noordkaap Deventer B.V.", plaats="Deventer", postcode="7412 BB"),
    agency(8, "Heuvelrug Credit Management B.V.", plaats="Zeist", postcode="3701 AA"),
    agency(9, "Visser Beheer B.V.", handelsnamen="Kramer Incasso", plaats="Gouda", postcode="2801 AA"),
    agency(10, "Polderwind Vorderingen B.V.", plaats="Lelystad", postcode="8211 AA"),
    *(agency(n, f"Incassobureau {name} B.V.") for n, name in enumerate(
        ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet"], start=20)),
]
EXEMPT = [
    exempt_row(1, naam="Bakker Advocaten", beroep="advocaat", kvk_nummer="", website="", plaats="Zwolle"),
    exempt_row(2, naam="Smeets Gerechtsdeurwaarders", kvk_nummer="", website="", plaats="Maastricht"),
    exempt_row(3, naam="Smeets Gerechtsdeurwaarders", kvk_nummer="", website="", plaats="Heerlen"),
    exempt_row(4, naam="Hendriks Gerechtsdeurwaarders", kvk_nummer="", website="", plaats="Nijmegen"),
]


@pytest.fixture
def world(db_session):
    load(REGISTER, D0)
    load_exempt(EXEMPT, D0)
    return db_session


# --- equally close candidates with the same outcome ---------------------------------------------------------

def test_two_valid_registrations_of_one_group_give_geregistreerd_and_are_named(world):
    signal = judge(naam_incassant="Incassogroep Noordkaap")
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert signal.auto_registratienummer in ("R2024-00006", "R2024-00007")
    assert "hetzelfde oordeel" in text(signal)
    assert {c["key"] for c in signal.candidates[:2]} == {"R2024-00006", "R2024-00007"}


def test_two_offices_of_one_bailiff_give_vrijgesteld(world):
    signal = judge(naam_incassant="Smeets Gerechtsdeurwaarders")
    assert signal.auto_verdict == Verdict.EXEMPT, text(signal)


# --- a differing word that is not noise counts against -------------------------------------------------------

@pytest.mark.parametrize("name", ["Bakker Juridisch Incasso", "Bakker Juridische Diensten & Incasso"])
def test_a_collector_is_not_the_law_firm_of_the_same_surname(world, name):
    signal = judge(naam_incassant=name, plaats="Amsterdam")
    assert signal.auto_verdict != Verdict.EXEMPT, text(signal)
    assert signal.auto_verdict != Verdict.UNCERTAIN or "Bakker Incasso" in text(signal), text(signal)


def test_a_holding_is_not_the_bailiffs_office(world):
    signal = judge(naam_incassant="Hendriks Debiteurenbeheer Holding")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "ander soort bedrijf" in text(signal) or "dichtstbij" not in text(signal)


def test_a_surname_is_not_another_firms_trade_name(world):
    signal = judge(naam_incassant="Kramer Bouw en Vastgoed")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)


def test_the_evidence_shows_the_words_that_agreed_and_differed(world):
    signal = judge(naam_incassant="Dekker Incassodiensten Zwolle")
    candidate = signal.candidates[0]
    assert candidate["key"] == "R2024-00002"
    assert ["dekker", "dekker", "gelijk"] in candidate["words_agreed"]
    assert "zwolle" in candidate["words_signal_only"]


# --- spelling -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "number"), [
    ("DekkerIncasso", "R2024-00002"),  # run together
    ("Dek Ker Incasso", "R2024-00002"),  # split
    ("Mol Debiteurenbeheer", "R2024-00003"),  # a short rare word one letter off
    ("Zuiderlichtkdae Invorderingen", "R2024-00004"),  # transposed letters in a long compound word
    ("Zuidrlichtkade Invorderingen", "R2024-00004"),  # a dropped letter
    ("J.P. de Vries Incasso", "R2024-00005"),  # initials for the first names
    ("Heuvelrug Credit Managment", "R2024-00008"),  # a typo in a trade word
    ("POLDERW1ND VORDERINGEN", "R2024-00010"),  # a scanner's misreading, in capitals
    ("Polderwind Vorderi", "R2024-00010"),  # cut off by a form
])
def test_spelling_variants_are_the_registered_party(world, name, number):
    signal = judge(naam_incassant=name)
    assert (signal.auto_verdict, signal.auto_registratienummer) == (Verdict.REGISTERED, number), text(signal)


# --- fairly close names that other evidence decides -------------------------------------------------------------

def test_a_fairly_close_name_with_the_agencys_postcode_decides(world):
    signal = judge(naam_incassant="Heuvelrug Credit Management Utrecht Oost", postcode="3701AA")
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert "postcode" in text(signal)


def test_a_fairly_close_name_that_nothing_else_resembles_decides(world):
    signal = judge(naam_incassant="Polderwind Vorderingen Lelystad-Noord")
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)


# --- identifiers as partners write them; a firm that registered again -----------------------------------------

def test_a_vestigingsnummer_in_the_kvk_column_decides_like_the_kvk_number(world):
    signal = judge(naam_incassant="Iets Heel Anders", kvk_nummer="Vestigingsnr. 0000 0000 0008")
    assert signal.vestiging == "000000000008" and signal.kvk is None
    assert (signal.auto_verdict, signal.auto_registratienummer) == (Verdict.REGISTERED, "R2024-00008"), text(signal)
    assert "vestigingsnummer 000000000008 is dat van" in text(signal)


def test_a_firm_that_registered_again_is_registered_while_either_registration_is_valid(db_session):
    old = agency(30, "Kaapstad Incasso B.V.", kvk_nummer="30000030", status="verlopen", datum_inschrijving="2025-01-01",
                 datum_einde="2025-12-01", geldig_tot="")
    new = agency(31, "Kaapstad Incasso B.V.", kvk_nummer="30000030", datum_inschrijving="2026-01-15")
    load([*REGISTER, old, new], D0)
    for day, verdict, number in (("2025-06-01", Verdict.REGISTERED, "R2024-00030"),
                                 ("2026-02-01", Verdict.REGISTERED, "R2024-00031"),
                                 ("2025-12-20", Verdict.NOT_VALID, None)):
        signal = judge(naam_incassant="Kaapstad Incasso", datum_brief=day)
        assert signal.auto_verdict == verdict, f"{day}: {text(signal)}"
        if number:
            assert signal.auto_registratienummer == number, f"{day}: {text(signal)}"
        by_kvk = judge(kvk_nummer="30000030", datum_brief=day)
        assert by_kvk.auto_verdict == verdict, f"{day} by KvK: {text(by_kvk)}"
