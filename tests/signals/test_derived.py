"""Judging from day one (issue 9 §1): letters dated before the mirror's first snapshot are judged against
the register as derived from that snapshot's own dates; ``onzeker`` is never about a date. The exempt
list likewise: none imported yet is said, not hidden; a list first imported after the letter counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.helpers import make_iban
from tests.signals.helpers import exempt_row, load, load_exempt, register_row, text
from tests.signals.helpers import judge as judge_on_form
from wki.signals.judging import match_signals
from wki.signals.models import Signal, Verdict

START = date(2026, 11, 1)  # installed recently; the letters are older


def judge(**values: Any) -> Signal:
    return judge_on_form(**{"ontvangen_op": "2026-11-20", **values})


def agencies() -> list[dict[str, str]]:
    return [
        register_row(1, naam="Noordkaap Incasso B.V.", handelsnamen="", datum_inschrijving="2025-03-01"),
        register_row(2, naam="Zuiderlicht Invorderingen B.V.", handelsnamen="", datum_inschrijving="2026-06-01"),
        register_row(3, naam="Heidehoeve Credit Management V.O.F.", handelsnamen="", status="doorgehaald",
                     datum_inschrijving="2025-01-10", datum_einde="2025-09-01", geldig_tot=""),
        register_row(4, naam="Polderlicht Debiteurenbeheer B.V.", handelsnamen="", status="verlopen",
                     datum_inschrijving="2024-11-01", datum_einde="2025-11-01", geldig_tot=""),
    ]


@pytest.fixture
def late_mirror(db_session):
    load(agencies(), START)
    load_exempt([exempt_row(1, naam="Gerechtsdeurwaarderskantoor Klaassen")], START)
    return db_session


@pytest.mark.parametrize(("name", "day", "verdict", "why"), [
    ("Noordkaap Incasso", "2025-06-01", Verdict.REGISTERED, "valid by its dates"),
    ("Noordkaap Incasso", "2025-02-28", Verdict.NOT_VALID, "before it took effect"),
    ("Zuiderlicht Invorderingen", "2026-01-15", Verdict.NOT_VALID, "registered only later"),
    ("Heidehoeve Credit Management", "2025-08-31", Verdict.REGISTERED, "the day before it was struck off"),
    ("Heidehoeve Credit Management", "2025-10-01", Verdict.NOT_VALID, "struck off"),
    ("Polderlicht Debiteurenbeheer", "2025-12-01", Verdict.NOT_VALID, "lapsed"),
    ("Polderlicht Debiteurenbeheer", "2025-06-01", Verdict.REGISTERED, "before it lapsed"),
])
def test_before_the_first_snapshot_validity_follows_the_register_dates(late_mirror, name, day, verdict, why):
    signal = judge(naam_incassant=name, datum_brief=day)
    assert signal.auto_verdict == verdict, f"{why}: {text(signal)}"
    assert signal.auto_registratienummer is not None
    assert "afgeleid uit de inschrijvingsdata in het register van 01-11-2026" in text(signal)


def test_a_reason_names_the_date_that_decided(late_mirror):
    struck = judge(naam_incassant="Heidehoeve Credit Management", datum_brief="2025-10-01")
    assert "doorgehaald per 01-09-2025" in text(struck)
    early = judge(naam_incassant="Zuiderlicht Invorderingen", datum_brief="2026-01-15")
    assert "nog niet geldig (ingeschreven per 01-06-2026)" in text(early)


def test_a_party_absent_from_the_first_snapshot_was_not_registered_before_it(late_mirror):
    signal = judge(naam_incassant="Snelgeld Inning", datum_brief="2025-06-01")
    assert signal.auto_verdict == Verdict.UNREGISTERED
    assert "register van 01-11-2026 (de eerste stand van de spiegel)" in text(signal)


def test_a_registration_first_seen_in_a_later_snapshot(late_mirror):
    load([*agencies(), register_row(5, naam="Westkaap Vorderingen B.V.", handelsnamen="",
                                    datum_inschrijving="2026-11-10")], date(2026, 11, 29))
    before = judge(naam_incassant="Westkaap Vorderingen", datum_brief="2025-06-01")
    assert before.auto_verdict == Verdict.NOT_VALID, text(before)
    assert "ontbreekt in het register van 01-11-2026" in text(before)
    between = judge(naam_incassant="Westkaap Vorderingen", datum_brief="2026-11-15", ontvangen_op="2026-11-30")
    assert between.auto_verdict == Verdict.REGISTERED, text(between)
    assert "de spiegel zag haar vanaf 29-11-2026" in text(between)


def test_no_signal_is_onzeker_for_its_date(late_mirror):
    for day in ("2025-04-01", "2025-09-15", "2026-03-01", "2026-10-31"):
        assert judge(naam_incassant="Noordkaap Incasso", datum_brief=day).auto_verdict != Verdict.UNCERTAIN


def test_rematching_after_the_first_import_judges_the_older_signals(db_session):
    waiting = judge(naam_incassant="Noordkaap Incasso", datum_brief="2025-06-01")
    assert waiting.auto_verdict is None  # no register yet: not judged, not onzeker
    assert "nog niet ingelezen" in text(waiting)
    load(agencies(), START)
    result = match_signals()
    assert result.judged == 1
    db_session.refresh(waiting)
    assert waiting.auto_verdict == Verdict.REGISTERED and waiting.auto_registratienummer == "R2024-00001"


def test_the_registration_panel_counts_the_derived_verdicts(late_mirror, app):
    from wki.signals.panels import registration_signals

    judge(naam_incassant="Noordkaap Incasso", datum_brief="2025-06-01")
    judge(naam_incassant="Noordkaap Incasso", datum_brief="2025-01-06")
    panel = registration_signals("R2024-00001")
    assert panel["totaal"] == 2
    assert dict(panel["per_oordeel"]) == {"Geregistreerd": 1, "Registratie niet geldig": 1}


# --- the exempt list ----------------------------------------------------------------------------------

def test_without_an_exempt_list_the_verdict_says_so(db_session):
    load(agencies(), START)
    bailiff = judge(naam_incassant="Gerechtsdeurwaarderskantoor Klaassen", datum_brief="2026-02-01")
    assert bailiff.auto_verdict == Verdict.UNREGISTERED
    assert "lijst van vrijgestelden (gerechtsdeurwaarders en advocaten) is nog niet ingelezen" in text(bailiff)
    assert "wijst op een gerechtsdeurwaarder of advocaat" in text(bailiff)
    plain = judge(naam_incassant="Snelgeld Inning", datum_brief="2026-02-01")
    assert "nog niet ingelezen" in text(plain) and "wijst op" not in text(plain)


def test_an_exempt_list_first_imported_after_the_letter_counts(late_mirror):
    signal = judge(naam_incassant="Deurwaarderskantoor Klaassen", datum_brief="2025-05-01")
    assert signal.auto_verdict == Verdict.EXEMPT, text(signal)
    assert "de lijst van vrijgestelden is bekend vanaf 01-11-2026" in text(signal)


def test_an_office_that_left_the_exempt_list_before_the_letter_is_not_exempt(db_session):
    load(agencies(), date(2026, 1, 1))
    others = [exempt_row(n) for n in range(2, 22)]  # so that one leaving is no mass removal (quarantine)
    load_exempt([exempt_row(1, naam="Advocatenkantoor Van Dam", beroep="advocaat"), *others], date(2026, 1, 1))
    assert load_exempt(others, date(2026, 3, 1)).outcome == "toegepast"
    signal = judge(naam_incassant="Van Dam Advocaten", datum_brief="2026-05-01", ontvangen_op="2026-05-04")
    assert signal.auto_verdict == Verdict.UNREGISTERED, text(signal)
    assert "niet meer op de lijst van vrijgestelden (tot 01-03-2026)" in text(signal)
    earlier = judge(naam_incassant="Van Dam Advocaten", datum_brief="2026-02-01", ontvangen_op="2026-02-04")
    assert earlier.auto_verdict == Verdict.EXEMPT, text(earlier)


def test_identifiers_still_decide_before_the_mirror(late_mirror):
    signal = judge(naam_incassant="NK Inning", kvk_nummer="10000001", iban=make_iban(1), datum_brief="2025-06-01")
    assert signal.auto_verdict == Verdict.REGISTERED and signal.auto_registratienummer == "R2024-00001"
