"""``signals.queries``: what other features read of signals, as plain values."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import SignalFactory
from wki.signals.models import Signal
from wki.signals.queries import (
    RegistrationSignalFigures,
    SignalFacts,
    get_signal_facts,
    name_key,
    registration_signal_figures,
    signal_counts_per_month,
    signals_about_registration,
)

R1, R2 = "R2024-00001", "R2024-00002"


def about(nummer: str, day: date, **values: Any) -> Signal:
    """A signal the matcher judged to be about ``nummer``, with peildatum ``day``."""
    return SignalFactory(auto_verdict="geregistreerd", auto_registratienummer=nummer, ontvangen_op=day, **values)


def test_about_a_registration_is_a_persons_decision_else_the_automatic_verdict(db_session):
    automatic = about(R1, date(2026, 3, 1))
    decided_here = SignalFactory(auto_verdict="geregistreerd", auto_registratienummer=R2, decided_verdict="geregistreerd",
                                 decided_registratienummer=R1, ontvangen_op=date(2026, 3, 2))
    decided_away = about(R1, date(2026, 3, 3), decided_verdict="niet_geregistreerd", decided_registratienummer=None)
    about(R2, date(2026, 3, 4))

    ids = [f.id for f in signals_about_registration(R1)]

    assert ids == [automatic.id, decided_here.id]
    assert decided_away.id not in ids


def test_signals_come_oldest_first_up_to_until_and_the_limit_keeps_the_newest(db_session):
    signals = [about(R1, date(2026, 1, d)) for d in (5, 3, 9, 7)]
    by_day = {s.reference_date.day: s.id for s in signals}

    assert [f.reference_date.day for f in signals_about_registration(R1)] == [3, 5, 7, 9]
    assert [f.id for f in signals_about_registration(R1, until=date(2026, 1, 7))] == [by_day[3], by_day[5], by_day[7]]
    assert [f.reference_date.day for f in signals_about_registration(R1, limit=2)] == [7, 9]


def test_facts_are_plain_values_with_the_source_label(db_session):
    signal = about(R1, date(2026, 2, 10), bron="schuldhulpverlener", datum_brief=date(2026, 2, 8),
                   tijdstip_contact=time(21, 15), hoofdsom=Decimal("250.00"), incassokosten=Decimal("100.00"),
                   bik_maximum=Decimal("40.00"), bik_excess=Decimal("51.60"), vulnerable=True,
                   naam_incassant="Zuiderlicht Incasso")

    facts = get_signal_facts(signal.id)

    assert facts == SignalFacts(
        id=signal.id, referentie=signal.referentie, bron="schuldhulpverlener", bron_label="Schuldhulpverlener",
        ontvangen_op=date(2026, 2, 10), reference_date=date(2026, 2, 10), datum_brief=date(2026, 2, 8),
        tijdstip_contact=time(21, 15), naam_incassant="Zuiderlicht Incasso", hoofdsom=Decimal("250.00"),
        incassokosten=Decimal("100.00"), bik_maximum=Decimal("40.00"), bik_excess=Decimal("51.60"), vulnerable=True)
    assert facts.bik_exceeded
    assert facts.bik_ceiling == Decimal("48.40")  # 40.00 plus 21% VAT
    assert type(facts.bron) is str
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.referentie = "x"  # type: ignore[misc]
    assert get_signal_facts(signal.id + 1000) is None


def test_no_excess_and_no_principal(db_session):
    facts = get_signal_facts(about(R1, date(2026, 2, 10), hoofdsom=None, bik_excess=Decimal("0.00")).id)
    assert facts is not None and not facts.bik_exceeded and facts.bik_ceiling is None


def test_figures_for_all_registrations_in_one_grouped_query(db_session):
    as_of, since = date(2026, 6, 1), date(2025, 6, 2)
    about(R1, date(2025, 6, 1), bron="consument")  # before ``since``: counted, not recent
    about(R1, date(2025, 6, 2), bron="gemeente", bik_excess=Decimal("10.00"))  # on ``since``: recent
    about(R1, date(2026, 6, 1), bron="consument", vulnerable=True, bik_excess=Decimal("0.00"))  # on as_of
    about(R1, date(2026, 6, 2), bron="kvk", bik_excess=Decimal("5.00"))  # after as_of: not counted at all
    SignalFactory(decided_verdict="geregistreerd", decided_registratienummer=R2, ontvangen_op=date(2026, 1, 1))
    SignalFactory(auto_verdict="niet_geregistreerd", ontvangen_op=date(2026, 1, 1))  # about no registration

    figures = registration_signal_figures(as_of=as_of, since=since)

    assert figures == {
        R1: RegistrationSignalFigures(count=3, recent=2, last_date=date(2026, 6, 1), sources=2, bik_excesses=1,
                                      vulnerable=1),
        R2: RegistrationSignalFigures(count=1, recent=1, last_date=date(2026, 1, 1), sources=1, bik_excesses=0,
                                      vulnerable=0),
    }


def test_counts_per_month_fill_the_empty_months(db_session):
    about(R1, date(2026, 1, 31))
    about(R1, date(2026, 3, 1))
    about(R1, date(2026, 3, 31))
    about(R2, date(2026, 3, 15))
    about(R1, date(2026, 4, 1))  # after the last month

    assert signal_counts_per_month(registratienummer=R1, first=date(2026, 1, 15), last=date(2026, 3, 2)) == [
        (date(2026, 1, 1), 1), (date(2026, 2, 1), 0), (date(2026, 3, 1), 2)]
    assert signal_counts_per_month(registratienummer=None, first=date(2026, 3, 1), last=date(2026, 3, 31)) == [
        (date(2026, 3, 1), 3)]
    assert signal_counts_per_month(registratienummer=R1, first=date(2026, 4, 1), last=date(2026, 3, 1)) == []


def test_counts_per_month_across_a_year_end(db_session):
    about(R1, date(2025, 12, 31))
    about(R1, date(2026, 1, 1))
    assert signal_counts_per_month(registratienummer=R1, first=date(2025, 11, 30), last=date(2026, 1, 1)) == [
        (date(2025, 11, 1), 0), (date(2025, 12, 1), 1), (date(2026, 1, 1), 1)]


@pytest.mark.parametrize(("a", "b"), [
    ("Zuiderlicht Incasso B.V.", "zuiderlicht incasso"),
    ("Café 't Hoekje & Zn.", "CAFE T HOEKJE EN ZN"),
    ("Noordkaap  Incasso", "Noordkaap Incasso BV"),
])
def test_name_key_compares_names_as_matching_does(a, b):
    assert name_key(a) == name_key(b) != ""


def test_name_key_of_nothing():
    assert name_key(None) == name_key("") == ""
    assert name_key("Noordkaap Incasso") != name_key("Zuiderlicht Incasso")
