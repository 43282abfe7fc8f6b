"""Automatic checks: each proposes a judgement with its reasons in Dutch (register, signals), on crafted data
with the boundary dates."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import RegistrationVersionFactory, SignalFactory
from wki.signals.queries import SignalFacts
from wki.supervision.checks import (
    INCASSOKOSTEN_CORRECT,
    REGISTRATIE_ACTUEEL,
    TIJDSTIP_BENADERING,
    WIJZIGINGEN_MELDEN,
    Proposal,
    automatic_proposals,
    register_checks,
    signal_checks,
    signal_summary,
)

R = "R2024-00900"
DAY = date(2026, 3, 4)  # a Wednesday; the mirror starts on 5 January 2026 (the factories' snapshot)
_n = [0]


def facts(**values: Any) -> SignalFacts:
    """A signal as supervision sees it: about R, received on DAY, without amounts or times unless given."""
    _n[0] += 1
    base: dict[str, Any] = dict(
        id=_n[0], referentie=f"SIG-{_n[0]:03d}", bron="consument", bron_label="Consument", ontvangen_op=DAY,
        reference_date=values.get("datum_brief") or values.get("ontvangen_op") or DAY, datum_brief=None,
        tijdstip_contact=None, naam_incassant=None, hoofdsom=None, incassokosten=None, bik_maximum=None,
        bik_excess=None, vulnerable=False)
    base.update(values)
    return SignalFacts(**base)


def registration(**values: Any) -> Any:
    return RegistrationVersionFactory(registratienummer=R, naam="Noordkaap Incasso B.V.",
                                      handelsnamen="Zuiderlicht Incasso|NK Collect", **values)


def test_proposal_as_dict_is_json():
    p = Proposal("voldoet", ("a", "b"), "register")
    assert p.as_dict() == {"judgement": "voldoet", "reasons": ["a", "b"], "source": "register"}


# ---------------------------------------------------------------- REGISTRATIE_ACTUEEL


def test_valid_registration_complies(db_session):
    registration(datum_inschrijving=date(2024, 5, 13), geldig_tot=date(2027, 5, 13))
    p = register_checks(R, DAY, signals=[])[REGISTRATIE_ACTUEEL]
    assert p == Proposal("voldoet", (
        "Registratie R2024-00900 (Noordkaap Incasso B.V.) stond op 04-03-2026 geldig ingeschreven "
        "(ingeschreven sinds 13-05-2024).",
        "Geldig tot 13-05-2027."), "register")


@pytest.mark.parametrize(("days", "reason"), [
    (61, "Geldig tot 04-05-2026."),
    (60, "Geldig tot 03-05-2026, 60 dagen na de inspectiedatum: verlenging nodig vóór 03-05-2026."),
    (1, "Geldig tot 05-03-2026, 1 dag na de inspectiedatum: verlenging nodig vóór 05-03-2026."),
    (0, "Geldig tot 04-03-2026, op de inspectiedatum: verlenging nodig vóór 04-03-2026."),
    (-1, "De geldigheid liep tot 03-03-2026 en het register toont geen verlenging: verlenging was nodig vóór "
         "03-03-2026."),
])
def test_renewal_due_within_60_days_is_a_warning_not_a_failure(db_session, days, reason):
    registration(geldig_tot=DAY + timedelta(days=days))
    p = register_checks(R, DAY, signals=[])[REGISTRATIE_ACTUEEL]
    assert p.judgement == "voldoet"
    assert p.reasons[-1] == reason


def test_no_validity_end_is_said(db_session):
    registration(geldig_tot=None)
    assert register_checks(R, DAY, signals=[])[REGISTRATIE_ACTUEEL].reasons[-1] == (
        "Het register noemt geen einde van de geldigheid (geldig tot).")


def test_not_in_the_register_fails(db_session):
    registration()
    p = register_checks("R2024-00999", DAY, signals=[facts(naam_incassant="Wie dan ook")])
    assert p == {REGISTRATIE_ACTUEEL: Proposal("voldoet_niet", (
        "Registratie R2024-00999 stond op 04-03-2026 niet in het register.",), "register")}


@pytest.mark.parametrize(("einde", "judgement"), [(DAY, "voldoet_niet"), (DAY + timedelta(days=1), "voldoet")])
def test_registration_ended_on_the_day_is_not_valid_that_day(db_session, einde, judgement):
    registration(status="doorgehaald", datum_einde=einde)
    p = register_checks(R, DAY, signals=[])[REGISTRATIE_ACTUEEL]
    assert p.judgement == judgement
    if judgement == "voldoet_niet":
        assert p.reasons == ("Registratie R2024-00900 (Noordkaap Incasso B.V.) stond op 04-03-2026 niet geldig "
                             "ingeschreven: de inschrijving eindigde op 04-03-2026 (status doorgehaald).",)


def test_registered_only_after_the_day_fails(db_session):
    registration(datum_inschrijving=DAY + timedelta(days=1))
    p = register_checks(R, DAY, signals=[])[REGISTRATIE_ACTUEEL]
    assert p == Proposal("voldoet_niet", (
        "Registratie R2024-00900 (Noordkaap Incasso B.V.) stond op 04-03-2026 niet geldig ingeschreven: "
        "de inschrijving geldt pas vanaf 05-03-2026.",), "register")


def test_before_the_first_snapshot_the_answer_is_derived_and_says_so(db_session):
    registration(datum_inschrijving=date(2024, 5, 13), geldig_tot=date(2025, 5, 13))
    day = date(2025, 4, 1)
    p = register_checks(R, day, signals=[])[REGISTRATIE_ACTUEEL]
    assert p == Proposal("voldoet", (
        "Registratie R2024-00900 (Noordkaap Incasso B.V.) stond op 01-04-2025 geldig ingeschreven "
        "(ingeschreven sinds 13-05-2024).",
        "Afgeleid uit de data in de eerste stand van de spiegel (05-01-2026): de inspectiedatum ligt daarvoor.",
        "Geldig tot 13-05-2025, 42 dagen na de inspectiedatum: verlenging nodig vóór 13-05-2025."), "register")


def test_before_the_first_snapshot_and_absent_from_it(db_session):
    registration()
    p = register_checks("R2024-00999", date(2025, 4, 1), signals=[])[REGISTRATIE_ACTUEEL]
    assert p == Proposal("voldoet_niet", (
        "Registratie R2024-00999 stond op 01-04-2025 niet in het register.",
        "Afgeleid uit de eerste stand van de spiegel (05-01-2026): de inspectiedatum ligt daarvoor, en deze "
        "registratie staat niet in die stand."), "register")


def test_without_any_snapshot_nothing_can_be_said(db_session):
    assert register_checks(R, DAY, signals=[]) == {REGISTRATIE_ACTUEEL: Proposal("niet_beoordeeld", (
        "De spiegel van het register bevat nog geen stand: de inschrijving is niet automatisch te controleren.",),
        "register")}


# ---------------------------------------------------------------- WIJZIGINGEN_MELDEN


def test_names_in_signals_that_the_register_lacks(db_session):
    registration()
    signals = [
        facts(naam_incassant="Noordkaap Incasso"),  # the name without its legal form
        facts(naam_incassant="ZUIDERLICHT INCASSO B.V."),  # a trade name, written otherwise
        facts(naam_incassant="Heidelicht Incasso", ontvangen_op=date(2026, 1, 10)),
        facts(naam_incassant="heidelicht incasso", ontvangen_op=date(2026, 2, 3)),
        facts(naam_incassant="Heidelicht Incasso", ontvangen_op=date(2026, 1, 20)),
        facts(naam_incassant="Polder Collect", ontvangen_op=date(2026, 2, 1)),
        facts(naam_incassant=None),
    ]
    p = register_checks(R, DAY, signals=signals)[WIJZIGINGEN_MELDEN]
    assert p == Proposal("deels", (
        "In signalen over deze registratie komen 2 namen voor die het register niet noemt als naam of handelsnaam:",
        "\u201cHeidelicht Incasso\u201d: 3 signalen, laatst op 03-02-2026.",
        "\u201cPolder Collect\u201d: 1 signaal, laatst op 01-02-2026.",
        "Het register noemt: Noordkaap Incasso B.V.; Zuiderlicht Incasso; NK Collect."), "register")


def test_one_unknown_name(db_session):
    registration()
    p = register_checks(R, DAY, signals=[facts(naam_incassant="Polder Collect")])[WIJZIGINGEN_MELDEN]
    assert p.reasons[0] == ("In signalen over deze registratie komt 1 naam voor die het register niet noemt als "
                            "naam of handelsnaam:")


def test_all_names_known(db_session):
    registration()
    signals = [facts(naam_incassant="Noordkaap Incasso B.V."), facts(naam_incassant="nk collect"),
               facts(naam_incassant="NK Collect")]
    assert register_checks(R, DAY, signals=signals)[WIJZIGINGEN_MELDEN] == Proposal(
        "voldoet", ("De 2 namen uit signalen staan alle in het register.",), "register")
    assert register_checks(R, DAY, signals=signals[:1])[WIJZIGINGEN_MELDEN] == Proposal(
        "voldoet", ("De naam uit signalen staat in het register.",), "register")


def test_no_names_no_proposal(db_session):
    registration()
    assert WIJZIGINGEN_MELDEN not in register_checks(R, DAY, signals=[])
    assert WIJZIGINGEN_MELDEN not in register_checks(R, DAY, signals=[facts(naam_incassant="  ")])


# ---------------------------------------------------------------- INCASSOKOSTEN_CORRECT


def bik(hoofdsom: str, kosten: str, excess: str, **values: Any) -> SignalFacts:
    from wki.signals.bik import bik_maximum

    return facts(hoofdsom=Decimal(hoofdsom), incassokosten=Decimal(kosten), bik_maximum=bik_maximum(Decimal(hoofdsom)),
                 bik_excess=Decimal(excess), **values)


def test_costs_above_the_bik_maximum_fail_with_each_signal_listed():
    signals = [
        bik("250.00", "100.00", "51.60", referentie="SIG-A", datum_brief=date(2026, 2, 8)),  # ceiling 48,40
        bik("20000.00", "2500.00", "1320.25", referentie="SIG-B", bron_label="Gemeente",
            ontvangen_op=date(2026, 2, 20)),  # maximum 975,00, with VAT 1.179,75
        bik("250.00", "40.00", "0.00"),
        facts(),
    ]
    p = signal_checks(R, DAY, signals=signals)[INCASSOKOSTEN_CORRECT]
    assert p == Proposal("voldoet_niet", (
        "In 2 signalen (van 3 met hoofdsom en incassokosten) liggen de incassokosten boven het maximum van het BIK "
        "inclusief btw:",
        "SIG-A (Consument, brief van 08-02-2026): incassokosten € 100,00, maximum € 48,40 inclusief btw, "
        "€ 51,60 te veel.",
        "SIG-B (Gemeente, ontvangen op 20-02-2026): incassokosten € 2.500,00, maximum € 1.179,75 inclusief btw, "
        "€ 1.320,25 te veel."), "signalen")


def test_costs_within_the_maximum_comply_with_the_count():
    p = signal_checks(R, DAY, signals=[bik("250.00", "48.40", "0.00"), bik("1000.00", "150.00", "0.00"), facts()])
    assert p[INCASSOKOSTEN_CORRECT] == Proposal("voldoet", (
        "In 2 signalen met hoofdsom en incassokosten blijven de incassokosten binnen het maximum van het BIK "
        "(inclusief btw).",), "signalen")


def test_no_amounts_no_cost_proposal():
    assert INCASSOKOSTEN_CORRECT not in signal_checks(R, DAY, signals=[facts(), facts(incassokosten=Decimal("10"))])


# ---------------------------------------------------------------- TIJDSTIP_BENADERING


@pytest.mark.parametrize(("day", "at", "why"), [
    (date(2025, 12, 7), None, "SIG-X (Consument, 07-12-2025): zondag 7 december 2025."),
    (date(2025, 12, 26), time(10, 0), "SIG-X (Consument, 26-12-2025 om 10:00): Tweede kerstdag (26 december 2025)."),
    (DAY, time(20, 0), "SIG-X (Consument, 04-03-2026 om 20:00): om 20:00, tussen 20:00 en 07:00."),
    (DAY, time(6, 59), "SIG-X (Consument, 04-03-2026 om 06:59): om 06:59, tussen 20:00 en 07:00."),
])
def test_contact_at_a_forbidden_time_fails(day, at, why):
    signals = [facts(referentie="SIG-X", datum_brief=day, tijdstip_contact=at),
               facts(datum_brief=DAY, tijdstip_contact=time(12, 0))]
    assert signal_checks(R, DAY, signals=signals)[TIJDSTIP_BENADERING] == Proposal("voldoet_niet", (
        "1 signaal toont contact op een verboden tijdstip (tussen 20:00 en 07:00, op zondag of op een feestdag):",
        why), "signalen")


@pytest.mark.parametrize("at", [time(7, 0), time(19, 59)])
def test_contact_within_the_hours_complies(at):
    signals = [facts(datum_brief=DAY, tijdstip_contact=at), facts(datum_brief=date(2026, 3, 3))]
    assert signal_checks(R, DAY, signals=signals)[TIJDSTIP_BENADERING] == Proposal("voldoet", (
        "1 signaal met datum en tijdstip van contact: geen contact tussen 20:00 en 07:00, op zondag of op een "
        "feestdag.",
        "1 brief zonder tijdstip valt op een werkdag; of er 's avonds of 's nachts contact was, blijkt daar niet "
        "uit."), "signalen")


def test_weekday_letters_without_a_time_give_no_judgement():
    signals = [facts(datum_brief=DAY), facts(datum_brief=date(2026, 3, 3)), facts()]
    assert signal_checks(R, DAY, signals=signals)[TIJDSTIP_BENADERING] == Proposal("niet_beoordeeld", (
        "Geen van de 2 gedateerde signalen valt op een zondag of feestdag.",
        "2 brieven zonder tijdstip vallen op een werkdag; of er 's avonds of 's nachts contact was, blijkt daar "
        "niet uit."), "signalen")


def test_undated_signals_no_time_proposal():
    assert signal_checks(R, DAY, signals=[facts(tijdstip_contact=time(23, 0))]) == {}


# ---------------------------------------------------------------- summary and all together


def test_signal_summary():
    signals = [
        facts(ontvangen_op=DAY - timedelta(days=91)),
        facts(ontvangen_op=DAY - timedelta(days=90), bron="gemeente", bron_label="Gemeente", vulnerable=True),
        facts(ontvangen_op=DAY, bik_excess=Decimal("1.00")),
        facts(ontvangen_op=DAY + timedelta(days=1)),  # after the day: left out
    ]
    summary = signal_summary(R, DAY, signals=signals)
    assert summary == {
        "count": 3, "last_date": DAY, "per_source": [("Consument", 2), ("Gemeente", 1)], "recent": 2,
        "bik_excesses": 1, "vulnerable": 1,
        "sentences": ["3 signalen tot en met 04-03-2026, het laatste op 04-03-2026.",
                      "2 signalen in de 90 dagen voor de inspectiedatum.",
                      "Per bron: Consument 2, Gemeente 1.",
                      "1 signaal met incassokosten boven het BIK-maximum.",
                      "1 signaal over een kwetsbare schuldenaar."]}


def test_signal_summary_without_signals():
    assert signal_summary(R, DAY, signals=[])["sentences"] == [
        "Er zijn tot en met 04-03-2026 geen signalen over registratie R2024-00900."]


def test_automatic_proposals_read_the_signals_up_to_the_day(db_session):
    registration()

    def signal(day: date, **values: Any) -> Any:
        return SignalFactory(auto_verdict="geregistreerd", auto_registratienummer=R, ontvangen_op=day, **values)

    signal(DAY, naam_incassant="Polder Collect", hoofdsom=Decimal("250.00"), incassokosten=Decimal("40.00"),
           bik_excess=Decimal("0.00"), datum_brief=date(2026, 3, 3), tijdstip_contact=time(9, 30))
    signal(DAY + timedelta(days=1), naam_incassant="Later Collect", hoofdsom=Decimal("250.00"),
           incassokosten=Decimal("500.00"), bik_excess=Decimal("451.60"), datum_brief=date(2026, 3, 8))

    proposals = automatic_proposals(R, DAY)

    assert sorted(proposals) == [INCASSOKOSTEN_CORRECT, REGISTRATIE_ACTUEEL, TIJDSTIP_BENADERING, WIJZIGINGEN_MELDEN]
    assert {code: p.judgement for code, p in proposals.items()} == {
        REGISTRATIE_ACTUEEL: "voldoet", WIJZIGINGEN_MELDEN: "deels", INCASSOKOSTEN_CORRECT: "voldoet",
        TIJDSTIP_BENADERING: "voldoet"}
    assert "Later Collect" not in " ".join(proposals[WIJZIGINGEN_MELDEN].reasons)
    assert proposals[WIJZIGINGEN_MELDEN].source == "register" and proposals[INCASSOKOSTEN_CORRECT].source == "signalen"
