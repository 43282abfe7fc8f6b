"""Risk-based priorities: each factor with its points and its Dutch reason, the boundary dates, configured
weights, contributions through the ``RISK_FACTORS`` slot, the CSV, and a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.factories import RegistrationVersionFactory, SignalFactory, UserFactory
from wki.core.extensions import db
from wki.core.features import RISK_FACTORS, registry
from wki.supervision.models import (
    CatalogueVersion,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionStatus,
    Judgement,
)
from wki.supervision.priorities import Priority, explanation, one_year_before, priorities, priorities_csv

AS_OF = date(2026, 6, 1)  # the factories' mirror starts on 5 January 2026
OLD = date(2020, 1, 1)  # registered long ago: not young
FAR = date(2030, 1, 1)  # valid long after AS_OF
_numbers = count(1)


def agency(nummer: str = "R2024-00500", naam: str = "Noordkaap Incasso B.V.", **values: Any) -> Any:
    return RegistrationVersionFactory(registratienummer=nummer, naam=naam, plaats="Groningen",
                                      **{"datum_inschrijving": OLD, "geldig_tot": FAR, **values})


def signal(nummer: str, day: date, **values: Any) -> Any:
    return SignalFactory(auto_verdict="geregistreerd", auto_registratienummer=nummer, ontvangen_op=day, **values)


def inspection(nummer: str, day: date, *, status: str = InspectionStatus.DONE, judgements: tuple[str, ...] = ()) -> Any:
    """An inspection of ``nummer`` on ``day`` with one checklist item per judgement (the lead adds real
    factories; this builds the rows the priorities read)."""
    catalogue = db.session.scalar(sa.select(CatalogueVersion).order_by(CatalogueVersion.versie))
    assert catalogue is not None, "migration 0014 loads catalogue version 1"
    n = next(_numbers)
    row = Inspection(nummer=f"INS-T-{n:04d}", registratienummer=nummer, naam="x", kind=InspectionKind.REGULAR,
                     status=InspectionStatus(status), catalogue_version_id=catalogue.id, inspectiedatum=day,
                     inspector_id=UserFactory().id, created_by="test")
    db.session.add(row)
    db.session.flush()
    for position, (judgement, requirement) in enumerate(zip(judgements, catalogue.requirements, strict=False)):
        db.session.add(InspectionItem(inspection_id=row.id, requirement_id=requirement.id, position=position,
                                      judgement=Judgement(judgement)))
    db.session.flush()
    return row


def only(nummer: str = "R2024-00500") -> Priority:
    found = [p for p in priorities(AS_OF) if p.registratienummer == nummer]
    assert len(found) == 1
    return found[0]


def inspected(nummer: str = "R2024-00500") -> None:
    """A completed inspection a month ago: no time-since-inspection points, nothing found."""
    inspection(nummer, AS_OF - timedelta(days=30), judgements=("voldoet",))


# ---------------------------------------------------------------- factors


def test_nothing_found(db_session):
    agency()
    inspected()
    p = only()
    assert (p.score, p.reasons, p.last_inspection, p.open_inspection) == (0, (), AS_OF - timedelta(days=30), False)
    assert explanation(p) == "Geen risicofactoren gevonden."
    assert (p.naam, p.plaats) == ("Noordkaap Incasso B.V.", "Groningen")


def test_never_inspected_counts(db_session):
    agency()
    p = only()
    assert (p.score, p.reasons, p.last_inspection) == (25, ("nog nooit geïnspecteerd (+25)",), None)


def test_signals_in_the_last_twelve_months_with_the_edge(db_session):
    agency()
    inspected()
    signal("R2024-00500", one_year_before(AS_OF))  # 01-06-2025: just outside the 12 months
    for d in range(7):
        signal("R2024-00500", one_year_before(AS_OF) + timedelta(days=1 + d))  # from 02-06-2025
    p = only()
    assert p.reasons == ("7 signalen in de afgelopen 12 maanden (+21)",)
    assert explanation(p) == "7 signalen in de afgelopen 12 maanden (+21)"


def test_signal_count_is_capped(db_session):
    agency()
    inspected()
    for d in range(20):
        signal("R2024-00500", AS_OF - timedelta(days=100 + d))
    assert only().reasons == ("20 signalen in de afgelopen 12 maanden (+45)",)


@pytest.mark.parametrize(("days", "recent"), [(0, True), (90, True), (91, False)])
def test_a_recent_last_signal(db_session, days, recent):
    agency()
    inspected()
    signal("R2024-00500", AS_OF - timedelta(days=days))
    expected = ["1 signaal in de afgelopen 12 maanden (+3)"]
    if recent:
        ago = "vandaag" if days == 0 else f"{days} dagen geleden"
        expected.insert(0, f"laatste signaal op {(AS_OF - timedelta(days=days)):%d-%m-%Y} ({ago}) (+10)")
    assert list(only().reasons) == expected


def test_a_signal_after_the_day_does_not_count(db_session):
    agency()
    inspected()
    signal("R2024-00500", AS_OF + timedelta(days=1))
    assert only().score == 0


def test_sources_bik_excesses_and_vulnerable_debtors(db_session):
    agency()
    inspected()
    old = AS_OF - timedelta(days=400)  # outside the 12 months, and still counted for these three
    signal("R2024-00500", old, bron="consument", bik_excess=Decimal("12.00"), vulnerable=True)
    signal("R2024-00500", old, bron="gemeente", bik_excess=Decimal("3.00"))
    signal("R2024-00500", old, bron="schuldhulpverlener", bik_excess=Decimal("0.00"), vulnerable=True)
    p = only()
    assert p.reasons == (
        "2 signalen met incassokosten boven het BIK-maximum (+10)",
        "2 signalen over een kwetsbare schuldenaar (+8)",
        "signalen uit 3 verschillende bronnen (+6)",
    )
    assert p.score == 24


def test_earlier_findings_of_completed_inspections(db_session):
    agency()
    inspection("R2024-00500", AS_OF - timedelta(days=30),
               judgements=("voldoet_niet", "voldoet_niet", "deels", "voldoet"))
    inspection("R2024-00500", AS_OF - timedelta(days=10), status=InspectionStatus.IN_REVIEW,
               judgements=("voldoet_niet",))  # not completed: its findings do not count yet
    inspection("R2024-00500", AS_OF - timedelta(days=5), status=InspectionStatus.WITHDRAWN,
               judgements=("voldoet_niet",))
    p = only()
    assert p.reasons == ("2 eisen met \u2018voldoet niet\u2019 in eerdere inspecties (+16)",
                         "1 eis met \u2018voldoet deels\u2019 in eerdere inspecties (+4)")
    assert (p.last_inspection, p.open_inspection) == (AS_OF - timedelta(days=30), True)


def test_an_inspection_after_the_day_is_not_earlier(db_session):
    agency()
    inspection("R2024-00500", AS_OF + timedelta(days=1), judgements=("voldoet_niet",))
    p = only()
    assert (p.reasons, p.last_inspection) == (("nog nooit geïnspecteerd (+25)",), None)


@pytest.mark.parametrize(("days", "reason"), [
    (364, None),
    (365, "laatste inspectie op {}, 1 jaar geleden (+6)"),
    (3 * 365, "laatste inspectie op {}, 3 jaar geleden (+18)"),
    (10 * 365, "laatste inspectie op {}, 10 jaar geleden (+24)"),  # below never inspected (25)
])
def test_time_since_the_last_inspection(db_session, days, reason):
    agency()
    last = AS_OF - timedelta(days=days)
    inspection("R2024-00500", last)
    inspection("R2024-00500", last - timedelta(days=800))  # an older one does not matter
    assert only().reasons == (() if reason is None else (reason.format(f"{last:%d-%m-%Y}"),))


@pytest.mark.parametrize(("days", "young"), [(0, True), (365, True), (366, False)])
def test_a_young_registration(db_session, days, young):
    registered = AS_OF - timedelta(days=days)
    agency(datum_inschrijving=registered)
    inspected()
    assert only().reasons == ((f"jonge inschrijving: ingeschreven op {registered:%d-%m-%Y} (+10)",) if young else ())


@pytest.mark.parametrize(("days", "reason"), [
    (91, None),
    (90, "geldigheid loopt af op 30-08-2026 zonder verlenging in het register (+10)"),
    (0, "geldigheid loopt af op 01-06-2026 zonder verlenging in het register (+10)"),
    (-1, "geldigheid liep af op 31-05-2026 zonder verlenging in het register (+10)"),
])
def test_validity_ending_without_renewal(db_session, days, reason):
    agency(geldig_tot=AS_OF + timedelta(days=days))
    inspected()
    assert only().reasons == (() if reason is None else (reason,))


def test_only_registrations_valid_on_the_day(db_session):
    agency("R2024-00501", datum_einde=AS_OF, status="doorgehaald")  # ended on the day: not valid then
    agency("R2024-00502", datum_inschrijving=AS_OF + timedelta(days=1))  # not yet
    agency("R2024-00503", datum_einde=AS_OF + timedelta(days=1), status="doorgehaald")
    assert [p.registratienummer for p in priorities(AS_OF)] == ["R2024-00503"]


def test_order_by_score_then_name_and_reasons_biggest_first(db_session):
    agency("R2024-00601", naam="Zeeland Incasso")
    agency("R2024-00602", naam="Amstel Incasso")
    agency("R2024-00603", naam="Bakker Incasso", datum_inschrijving=AS_OF - timedelta(days=10))
    for d in range(4):
        signal("R2024-00603", AS_OF - timedelta(days=200 + d))
    ranked = priorities(AS_OF)
    assert [(p.registratienummer, p.score) for p in ranked] == [
        ("R2024-00603", 47), ("R2024-00602", 25), ("R2024-00601", 25)]
    assert ranked[0].reasons == (
        "nog nooit geïnspecteerd (+25)",
        "4 signalen in de afgelopen 12 maanden (+12)",
        f"jonge inschrijving: ingeschreven op {(AS_OF - timedelta(days=10)):%d-%m-%Y} (+10)",
    )


# ---------------------------------------------------------------- configuration and contributions


def test_weights_are_configuration(app, db_session, monkeypatch):
    agency()
    for d in range(2):
        signal("R2024-00500", AS_OF - timedelta(days=200 + d))
    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_WEIGHTS",
                        {**app.config["SUPERVISION_PRIORITY_WEIGHTS"], "signaal": 7, "nooit_geinspecteerd": 0})
    assert only().reasons == ("2 signalen in de afgelopen 12 maanden (+14)",)


def test_the_configured_weights_name_every_factor(app):
    from wki.supervision.priorities import DEFAULT_WEIGHTS

    assert app.config["SUPERVISION_PRIORITY_WEIGHTS"] == DEFAULT_WEIGHTS


def test_contributions_through_the_risk_factors_slot(app, db_session, monkeypatch):
    agency()
    agency("R2024-00501", naam="Ander Incasso")
    inspected()
    inspected("R2024-00501")
    seen: list[date] = []

    def enforcement(as_of: date) -> dict[str, list[tuple[int, str]]]:
        seen.append(as_of)
        return {"R2024-00500": [(15, "last onder dwangsom opgelegd op 01-02-2026"), (0, "niets")],
                "R2024-09999": [(99, "geen geldige registratie")]}

    monkeypatch.setitem(registry(app).providers, RISK_FACTORS, [enforcement])
    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_WEIGHTS",
                        {**app.config["SUPERVISION_PRIORITY_WEIGHTS"], "handhaving": 2})
    ranked = priorities(AS_OF)
    assert seen == [AS_OF]
    assert [(p.registratienummer, p.score, p.reasons) for p in ranked] == [
        ("R2024-00500", 30, ("last onder dwangsom opgelegd op 01-02-2026 (+30)",)),
        ("R2024-00501", 0, ()),
    ]


# ---------------------------------------------------------------- the CSV


def test_priorities_csv_is_exact(db_session):
    agency("R2024-00601", naam='Zeeland "Incasso", B.V.')
    agency("R2024-00602", naam="=Formule Incasso")
    inspected("R2024-00602")
    assert priorities_csv(AS_OF) == (
        "registratienummer,naam,prioriteit,toelichting\n"
        'R2024-00601,"Zeeland ""Incasso"", B.V.",25,nog nooit geïnspecteerd (+25)\n'
        "R2024-00602,=Formule Incasso,0,Geen risicofactoren gevonden.\n").encode()


def test_priorities_csv_without_registrations(db_session):
    assert priorities_csv(AS_OF) == b"registratienummer,naam,prioriteit,toelichting\n"


# ---------------------------------------------------------------- queries


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(sa.engine.Engine, "before_cursor_execute", record)


def _populate(first: int, n: int) -> None:
    for i in range(first, first + n):
        nummer = f"R2024-{i:05d}"
        agency(nummer, naam=f"Bureau {i}", datum_inschrijving=AS_OF - timedelta(days=100))
        signal(nummer, AS_OF - timedelta(days=5), bik_excess=Decimal("1.00"))
        inspection(nummer, AS_OF - timedelta(days=400), judgements=("voldoet_niet", "deels"))
        inspection(nummer, AS_OF - timedelta(days=3), status=InspectionStatus.IN_PROGRESS)


def test_the_number_of_queries_does_not_grow_with_the_registrations(db_session):
    _populate(700, 3)
    db.session.expire_all()
    with counted_queries() as few:
        assert len(priorities(AS_OF)) == 3
    _populate(800, 27)
    db.session.expire_all()
    with counted_queries() as many:
        ranked = priorities(AS_OF)
    assert len(ranked) == 30
    assert 0 < len(many) == len(few)
    assert all(p.open_inspection and p.score == 3 + 10 + 5 + 8 + 4 + 6 + 10 for p in ranked)


# ---------------------------------------------------------------- the planning page's cache


def test_the_cache_reuses_a_list_until_what_it_is_computed_from_changes(app, db_session, monkeypatch):
    from wki.supervision import priorities as module

    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_CACHE_SECONDS", 300)
    module._CACHE.clear()
    computed: list[date] = []
    real = module.priorities

    def counting(as_of: date) -> list[Priority]:
        computed.append(as_of)
        return real(as_of)

    monkeypatch.setattr(module, "priorities", counting)
    agency()
    first = module.cached_priorities(AS_OF)
    assert module.cached_priorities(AS_OF) is first and len(computed) == 1, "nothing changed: the same list"
    signal("R2024-00500", AS_OF - timedelta(days=3))
    changed = module.cached_priorities(AS_OF)
    assert len(computed) == 2 and changed[0].score > first[0].score, "a new signal is a new key"
    inspected()
    assert module.cached_priorities(AS_OF)[0].last_inspection is not None and len(computed) == 3
    module.cached_priorities(AS_OF - timedelta(days=1))
    assert len(computed) == 4, "another day is another key"
    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_WEIGHTS", {"signaal": 99})
    module.cached_priorities(AS_OF)
    assert len(computed) == 5, "other weights are another key"
    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_CACHE_SECONDS", 0)
    module.cached_priorities(AS_OF)
    module.cached_priorities(AS_OF)
    assert len(computed) == 7, "0 seconds: no cache"
    module._CACHE.clear()


def test_an_old_entry_is_computed_again(app, db_session, monkeypatch):
    from wki.supervision import priorities as module

    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_CACHE_SECONDS", 300)
    module._CACHE.clear()
    agency()
    clock = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])
    first = module.cached_priorities(AS_OF)
    clock[0] += 299
    assert module.cached_priorities(AS_OF) is first
    clock[0] += 2
    assert module.cached_priorities(AS_OF) is not first, "older than the configured seconds: computed again"
    module._CACHE.clear()


# ---------------------------------------------------------------- the list the scheduler stores for every process


def test_the_scheduler_stores_the_list_and_a_process_reads_it_instead_of_computing(app, db_session, monkeypatch):
    from wki.supervision import priorities as module
    from wki.supervision.models import PriorityList

    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_CACHE_SECONDS", 300)
    module._CACHE.clear()
    agency()
    agency("R2024-00501", "Zuiderzee Incasso B.V.")
    signal("R2024-00500", AS_OF - timedelta(days=3))
    expected = priorities(AS_OF)
    assert module.store_priorities(AS_OF) == {"berekend": 1, "verwijderd": 0}
    assert module.store_priorities(AS_OF) == {"berekend": 0, "verwijderd": 0}, "unchanged and young: kept"

    def refuse(as_of: date) -> list[Priority]:
        raise AssertionError("computed although the scheduler stored the list")

    monkeypatch.setattr(module, "priorities", refuse)
    assert module.cached_priorities(AS_OF) == expected, "read back exactly as computed"
    module._CACHE.clear()

    # What the list is computed from changes: the stored list no longer fits, and the process computes.
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_CACHE_SECONDS", 300)
    signal("R2024-00501", AS_OF - timedelta(days=2))
    computed: list[date] = []
    real = module.priorities
    monkeypatch.setattr(module, "priorities", lambda as_of: computed.append(as_of) or real(as_of))
    fresh = module.cached_priorities(AS_OF)
    assert computed == [AS_OF] and fresh != expected
    module._CACHE.clear()

    # The next run stores the new list and keeps only the newest two.
    assert module.store_priorities(AS_OF)["berekend"] == 1
    signal("R2024-00501", AS_OF - timedelta(days=1))
    assert module.store_priorities(AS_OF) == {"berekend": 1, "verwijderd": 1}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PriorityList)) == 2


def test_a_stored_list_older_than_the_cache_bound_is_not_used(app, db_session, monkeypatch):
    from wki.supervision import priorities as module
    from wki.supervision.models import PriorityList

    monkeypatch.setitem(app.config, "SUPERVISION_PRIORITY_CACHE_SECONDS", 300)
    module._CACHE.clear()
    agency()
    module.store_priorities(AS_OF)
    row = db_session.scalars(sa.select(PriorityList)).one()
    row.computed_at = row.computed_at - timedelta(seconds=301)
    db_session.flush()
    computed: list[date] = []
    real = module.priorities
    monkeypatch.setattr(module, "priorities", lambda as_of: computed.append(as_of) or real(as_of))
    module.cached_priorities(AS_OF)
    assert computed == [AS_OF], "what the fingerprint cannot see is bounded by the configured seconds"
    assert module.store_priorities(AS_OF)["berekend"] == 1, "and the scheduler replaces it"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PriorityList)) == 1
    module._CACHE.clear()


def test_the_job_is_registered_with_its_configured_interval(app):
    from wki.core.features import registry

    job = next(j for j in registry(app).jobs if j.name == "supervision-priorities")
    assert job.trigger == "interval" and job.trigger_args == {"minutes": 2}
