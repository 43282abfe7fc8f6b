"""Each verdict, judged on the signal's reference date against the mirror as it stood then."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers import make_iban
from tests.signals.conftest import D0, DOUBTFUL
from tests.signals.helpers import judge, text
from wki.signals.models import Verdict


@pytest.mark.parametrize("values", [
    {"naam_incassant": "Noordkaap Incasso BV"},
    {"naam_incassant": "noordkaap incaso"},  # typo, legal form dropped
    {"naam_incassant": "Incasso Noordkaap"},  # word order
    {"naam_incassant": "Zuiderlicht Incasso B.V."},  # a trade name
    {"kvk_nummer": "KvK 1000.0001"},
    {"iban": make_iban(1).lower()},
    {"website": "http://noordkaap-incasso.nl/betalen?ref=1"},
    {"telefoon": "+31 50 312 3456"},
    {"email": "debiteuren@noordkaap-incasso.nl", "naam_incassant": "Noordkaap"},
])
def test_registered_agency_is_found_however_written(mirror, values):
    signal = judge(**values)
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert signal.auto_registratienummer == "R2024-00001"
    assert signal.score >= 90
    assert "was geldig op" in text(signal)


def test_explanation_names_the_evidence(mirror):
    signal = judge(naam_incassant="Noordkaap Incaso", kvk_nummer="10000001", website="noordkaap-incasso.nl")
    lines = text(signal)
    assert "KvK-nummer 10000001 is dat van Noordkaap Incasso B.V. (R2024-00001)" in lines
    assert "website noordkaap-incasso.nl is die van" in lines
    assert "naam lijkt" in lines and "% op de naam ‘Noordkaap Incasso B.V.’" in lines
    assert signal.score == 100


def test_struck_off_registration_is_not_valid_after_its_end(mirror):
    before = judge(naam_incassant="De Vries Invorderingen", datum_brief="2026-02-14")
    after = judge(naam_incassant="De Vries Invorderingen", datum_brief="2026-02-15")
    assert before.auto_verdict == Verdict.REGISTERED, text(before)
    assert after.auto_verdict == Verdict.NOT_VALID, text(after)
    assert after.auto_registratienummer == "R2024-00002"
    assert "doorgehaald per 15-02-2026" in text(after)


def test_registration_that_starts_later_is_not_valid_before(mirror):
    signal = judge(naam_incassant="Polderlicht Credit Management", datum_brief="2026-03-01")
    assert signal.auto_verdict == Verdict.NOT_VALID, text(signal)
    assert "ingeschreven per 01-04-2026" in text(signal)


def test_reference_date_is_the_letter_date_or_else_the_receipt(mirror):
    with_letter = judge(naam_incassant="De Vries Invorderingen", datum_brief="2026-02-01", ontvangen_op="2026-03-01")
    without = judge(naam_incassant="De Vries Invorderingen", datum_brief="", ontvangen_op="2026-03-01")
    assert with_letter.reference_date.isoformat() == "2026-02-01"
    assert with_letter.auto_verdict == Verdict.REGISTERED
    assert without.reference_date.isoformat() == "2026-03-01"
    assert without.auto_verdict == Verdict.NOT_VALID


@pytest.mark.parametrize("values", [
    {"naam_incassant": "Gerechtsdeurwaarderskantoor Klaassen"},
    {"naam_incassant": "Deurwaarders Klaassen", "kvk_nummer": "20000001"},
    {"naam_incassant": "Advocatenkantoor van Dam"},
])
def test_exempt_bailiffs_and_lawyers(mirror, values):
    signal = judge(**values)
    assert signal.auto_verdict == Verdict.EXEMPT, text(signal)
    assert signal.auto_registratienummer is None
    assert signal.auto_exempt_name


def test_unknown_collector_is_not_registered(mirror):
    signal = judge(naam_incassant="Snelgeld Inning B.V.", iban=make_iban(777))
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert signal.clone_of is None
    assert "geen registratie of vrijgestelde gevonden" in text(signal)


def test_same_name_with_another_kvk_number_is_a_clone(mirror):
    signal = judge(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="99887766")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert signal.clone_of == "R2024-00001", text(signal)
    assert "mogelijke kloon van Noordkaap Incasso B.V. (R2024-00001)" in text(signal)
    assert "een andere rechtspersoon" in text(signal)


def test_a_kvk_number_one_slip_from_the_firms_is_a_typo_not_another_legal_entity(mirror):
    signal = judge(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="10000010")  # two digits swapped
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert signal.auto_registratienummer == "R2024-00001"
    assert signal.clone_of is None
    assert ("wijkt af, maar weegt alleen niet: KvK-nummer 10000010 wijkt één cijfer af van dat van "
            "Noordkaap Incasso B.V. (R2024-00001)") in text(signal)


def test_a_kvk_number_one_slip_off_with_another_website_is_a_clone(mirror):
    signal = judge(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="10000091", website="noordkaap-betalen.com")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert signal.clone_of == "R2024-00001", text(signal)
    assert "KvK-nummer 10000091 wijkt één cijfer af" in text(signal)


def test_same_name_with_another_account_and_website_is_a_clone(mirror):
    signal = judge(naam_incassant="Noordkaap Incasso", iban=make_iban(555), website="noordkaap-betalen.com")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert signal.clone_of == "R2024-00001", text(signal)
    assert "website noordkaap-betalen.com wijkt af van de bekende website van" in text(signal)


def test_a_name_that_fits_two_registrations_with_other_verdicts_is_uncertain(mirror):
    signal = judge(naam_incassant=DOUBTFUL)
    assert signal.auto_verdict == Verdict.UNCERTAIN, text(signal)
    assert "past even goed bij" in text(signal) and "met een ander oordeel" in text(signal)
    assert {c["key"] for c in signal.candidates[:2]} == {"R2024-00040", "R2024-00041"}


def test_a_longer_word_is_another_word(mirror):
    """"Noordkaapweg" is a street, not "Noordkaap" cut short (only a word cut at its end is)."""
    assert judge(naam_incassant="Noordkaapweg Incasso").auto_verdict == Verdict.UNREGISTERED
    assert judge(naam_incassant="Noordkaap Incas").auto_verdict == Verdict.REGISTERED


def test_invalid_iban_is_kept_but_not_used(mirror):
    good = make_iban(1)
    typo = good[:-1] + ("1" if good[-1] != "1" else "2")
    signal = judge(iban=typo, naam_incassant="Onbekende Partij Inning")
    assert signal.iban_valid is False and signal.iban_raw == typo
    assert signal.auto_verdict == Verdict.UNREGISTERED
    assert "ongeldig" in text(signal)


def test_free_mail_domain_is_no_evidence(mirror):
    signal = judge(email="noordkaap.incasso@gmail.com", naam_incassant="Snelgeld Inning")
    assert signal.email_domain is None
    assert signal.auto_verdict == Verdict.UNREGISTERED
    assert "gratis provider gmail.com" in text(signal)


def test_before_the_mirror_starts_the_register_is_derived_from_its_dates(mirror):
    """A letter older than the mirror's first snapshot (of ``D0``) is judged on that snapshot's own dates,
    and the explanation says so and names the snapshot; from the snapshot's date on, the mirror answers."""
    before = judge(naam_incassant="Noordkaap Incasso", datum_brief=(D0 - timedelta(days=31)).isoformat())
    assert before.auto_verdict == Verdict.REGISTERED, text(before)
    assert f"afgeleid uit de inschrijvingsdata in het register van {D0:%d-%m-%Y}" in text(before)

    on_the_day = judge(naam_incassant="Noordkaap Incasso", datum_brief=D0.isoformat())
    assert on_the_day.auto_verdict == Verdict.REGISTERED, text(on_the_day)
    assert "afgeleid uit" not in text(on_the_day)


def test_a_clone_is_not_made_doubtful_by_a_less_similar_name(mirror):
    from datetime import date

    from tests.signals.conftest import base_register
    from tests.signals.helpers import load, register_row

    # A somewhat similar registration of which no account or website is known: nothing contradicts it.
    load([*base_register(), register_row(8, naam="Noordkaapweg Incasso B.V.", handelsnamen="", website="",
                                         email="", telefoon="", iban="")], date(2026, 1, 15))
    signal = judge(naam_incassant="Noordkaap Incasso", iban=make_iban(555), website="noordkaap-betalen.com")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert signal.clone_of == "R2024-00001", text(signal)


def test_an_agreeing_identifier_outranks_a_closer_name(mirror):
    from datetime import date

    from tests.signals.conftest import base_register
    from tests.signals.helpers import load, register_row

    # Two agencies one letter apart; the letter names the first, its account the second.
    load([*base_register(),
          register_row(8, naam="Jansen Baarn Incasso B.V.", handelsnamen="", website="", email="", telefoon="",
                       iban=""),
          register_row(9, naam="Janssen Baarn Invorderingen B.V.", handelsnamen="", website="", email="",
                       telefoon="", iban=make_iban(909))], date(2026, 1, 15))
    signal = judge(naam_incassant="Jansen Baarn Incasso", iban=make_iban(909))
    assert signal.auto_verdict == Verdict.REGISTERED, text(signal)
    assert signal.auto_registratienummer == "R2024-00009", text(signal)
