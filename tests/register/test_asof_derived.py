"""Before the mirror's first snapshot the register of a day is derived from that snapshot's own dates
(signalen.md): listed when datum_inschrijving <= D, valid while D < datum_einde; a registration absent
from the first snapshot was not in the register before it either."""

from __future__ import annotations

from datetime import date

import pytest

from tests.register.helpers import load, register_row
from wki.register import queries

START = date(2026, 11, 1)
VALID, NOT_YET, STRUCK, LAPSED, LATER = (f"R2024-{n:05d}" for n in range(1, 6))


@pytest.fixture
def mirror(db_session):
    """The first snapshot on 2026-11-01 (the day the application was installed); one more a month later."""
    rows = [
        register_row(1, datum_inschrijving="2025-03-01"),
        register_row(2, datum_inschrijving="2026-06-01"),
        register_row(3, status="doorgehaald", datum_inschrijving="2025-01-10", datum_einde="2025-09-01",
                     geldig_tot=""),
        register_row(4, status="verlopen", datum_inschrijving="2024-11-01", datum_einde="2025-11-01", geldig_tot=""),
    ]
    load(rows, START)
    load([*rows, register_row(5, datum_inschrijving="2025-05-01")], date(2026, 12, 1))


@pytest.mark.parametrize(("number", "day", "valid", "why"), [
    (VALID, date(2025, 6, 1), True, "valid by its dates"),
    (VALID, date(2025, 2, 28), False, "the day before it took effect"),
    (VALID, date(2025, 3, 1), True, "the day it took effect"),
    (NOT_YET, date(2026, 1, 1), False, "registered only later"),
    (STRUCK, date(2025, 8, 31), True, "the last day before it was struck off"),
    (STRUCK, date(2025, 9, 1), False, "struck off from that day"),
    (LAPSED, date(2025, 10, 31), True, "before it lapsed"),
    (LAPSED, date(2026, 1, 1), False, "lapsed"),
])
def test_validity_before_the_first_snapshot_follows_its_dates(mirror, number, day, valid, why):
    answer = queries.registration_on(number, day)
    assert answer.derived_from == START, why
    assert answer.version is not None and answer.valid is valid, why


def test_absent_from_the_first_snapshot_means_absent_before_it(mirror):
    """LATER appears only in the second snapshot, although its own datum_inschrijving is earlier."""
    answer = queries.registration_on(LATER, date(2025, 6, 1))
    assert answer.version is None and not answer.valid and answer.derived_from == START


def test_a_registration_first_seen_later_counts_by_its_own_dates_once_the_mirror_covers_the_day(mirror):
    answer = queries.registration_on(LATER, date(2026, 11, 15))
    assert answer.valid and answer.seen_later and answer.derived_from is None


def test_the_register_of_a_day_before_the_mirror(mirror):
    listed = {v.registratienummer for v in queries.registrations_as_of(date(2025, 6, 1))}
    assert listed == {VALID, STRUCK, LAPSED}
    answer = queries.registered_on(date(2025, 6, 1), kvk_nummer="10000001")
    assert answer.covered and answer.registered is True and answer.derived_from == START
    assert queries.registered_on(date(2025, 10, 1), kvk_nummer="10000003").registered is False  # struck off


def test_the_list_page_derives_the_status_on_the_day(mirror, app):
    rows = queries.search_stmt(as_of=date(2025, 10, 1), status="ingeschreven")
    from wki.core.extensions import db

    assert {v.registratienummer for v in db.session.scalars(rows)} == {VALID, LAPSED}
    struck = db.session.scalars(queries.search_stmt(as_of=date(2025, 10, 1), status="doorgehaald")).all()
    assert [v.registratienummer for v in struck] == [STRUCK]
    assert queries.status_on(struck[0], date(2025, 8, 1)) == "ingeschreven"
    assert queries.status_on(struck[0], date(2025, 10, 1)) == "doorgehaald"


def test_an_empty_mirror_cannot_say(db_session):
    answer = queries.registration_on(VALID, date(2025, 6, 1))
    assert answer.version is None and answer.derived_from is None
    assert queries.registered_on(date(2025, 6, 1), kvk_nummer="10000001").registered is None
