"""What the register said on a date, across several snapshots; "was X registered on D" with the validity
rule of register.md; and the expiry lists with a fixed today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.register.conftest import D1, D2, D3
from tests.register.helpers import load, register_row
from wki.core.extensions import db
from wki.register import queries

FILLER = [register_row(n) for n in range(100, 120)]
FILLER_NRS = {row["registratienummer"] for row in FILLER}
A, B, C, D, E = (f"R2024-{n:05d}" for n in range(1, 6))
KVK = {A: "10000001", B: "10000002", C: "10000003", D: "10000004", E: "10000005"}


def row_a(name: str = "Incassobureau 1 B.V.") -> dict[str, str]:
    return register_row(1, naam=name)


ROW_D = register_row(4, status="doorgehaald", datum_inschrijving="2024-07-01", datum_einde="2026-01-15",
                     geldig_tot="")
ROW_E = register_row(5, datum_inschrijving="2026-01-20")  # listed before it takes effect


@pytest.fixture
def three_snapshots(db_session):
    """D1: A B D E. D2: A renamed, B gone, C new. D3: B back. Plus twenty that never change."""
    load([row_a(), register_row(2), ROW_D, ROW_E, *FILLER], D1)
    load([row_a("Noordkaap Incasso B.V."), register_row(3), ROW_D, ROW_E, *FILLER], D2)
    load([row_a("Noordkaap Incasso B.V."), register_row(2), register_row(3), ROW_D, ROW_E, *FILLER], D3)


def numbers_on(day: date) -> set[str]:
    return {v.registratienummer for v in queries.registrations_as_of(day)} - FILLER_NRS


class TestRegistrationAsOf:
    @pytest.mark.parametrize("day, expected", [
        (date(2025, 12, 31), None),               # before the mirror
        (D1, "Incassobureau 1 B.V."),
        (date(2026, 1, 31), "Incassobureau 1 B.V."),
        (D2, "Noordkaap Incasso B.V."),
        (date(2026, 2, 15), "Noordkaap Incasso B.V."),
        (D3, "Noordkaap Incasso B.V."),
        (date(2030, 1, 1), "Noordkaap Incasso B.V."),
    ])
    def test_a_renamed_registration(self, three_snapshots, day, expected):
        version = queries.registration_as_of(A, day)
        assert (version.naam if version else None) == expected

    @pytest.mark.parametrize("day, held", [
        (date(2025, 12, 31), False), (D1, True), (date(2026, 1, 31), True), (D2, False),
        (date(2026, 2, 28), False), (D3, True), (date(2026, 3, 2), True),
    ])
    def test_a_registration_that_left_and_came_back(self, three_snapshots, day, held):
        assert (queries.registration_as_of(B, day) is not None) is held

    def test_the_returned_version_is_a_new_one(self, three_snapshots):
        assert queries.registration_as_of(B, D1).id != queries.registration_as_of(B, D3).id
        assert queries.registration_as_of(B, D3).valid_from == D3

    @pytest.mark.parametrize("day, held", [(D1, False), (date(2026, 1, 31), False), (D2, True), (D3, True)])
    def test_a_registration_that_arrived_later(self, three_snapshots, day, held):
        assert (queries.registration_as_of(C, day) is not None) is held

    def test_an_unknown_number(self, three_snapshots):
        assert queries.registration_as_of("R9999-99999", D3) is None


class TestRegistrationsAsOf:
    @pytest.mark.parametrize("day, expected", [
        (date(2024, 5, 12), set()),  # before every datum_inschrijving (derived: see test_asof_derived.py)
        (date(2025, 12, 31), {A, B, D}),  # derived from D1's dates: E takes effect only on 2026-01-20
        (D1, {A, B, D, E}),
        (date(2026, 1, 15), {A, B, D, E}),
        (D2, {A, C, D, E}),
        (date(2026, 2, 15), {A, C, D, E}),
        (D3, {A, B, C, D, E}),
        (date(2026, 12, 31), {A, B, C, D, E}),
    ])
    def test_exactly_those_held(self, three_snapshots, day, expected):
        assert numbers_on(day) == expected

    def test_one_version_per_registration_in_number_order(self, three_snapshots):
        listed = [v.registratienummer for v in queries.registrations_as_of(D3)]
        assert listed == sorted(listed) and len(listed) == len(set(listed)) == 25
        assert {v.naam for v in queries.registrations_as_of(date(2026, 1, 31)) if v.registratienummer == A} == {
            "Incassobureau 1 B.V."}

    def test_mirror_start_and_coverage(self, three_snapshots):
        assert queries.mirror_start() == D1
        assert queries.covers(D1) and queries.covers(date(2030, 1, 1))
        assert not queries.covers(date(2025, 12, 31))

    def test_an_empty_mirror_covers_nothing(self, db_session):
        assert queries.mirror_start() is None
        assert not queries.covers(D3)


class TestRegisteredOn:
    def test_by_kvk(self, three_snapshots):
        answer = queries.registered_on(date(2026, 1, 10), kvk_nummer=KVK[A])
        assert answer.covered and answer.registered is True
        assert [v.registratienummer for v in answer.valid] == [A]
        assert queries.registered_on(D3, kvk_nummer=f"  {KVK[A]} ").registered is True

    @pytest.mark.parametrize("name", ["Incassobureau 1 B.V.", "  incassobureau   1 B.V. ", "INCASSOBUREAU 1 B.V.",
                                      "ib1 collect", "Incasso  1"])
    def test_by_name_or_trade_name_ignoring_case_and_spacing(self, three_snapshots, name):
        answer = queries.registered_on(date(2026, 1, 10), name=name)
        assert answer.registered is True
        assert [v.registratienummer for v in answer.versions] == [A]

    def test_a_name_counts_only_while_the_register_used_it(self, three_snapshots):
        assert queries.registered_on(date(2026, 1, 31), name="Incassobureau 1 B.V.").registered is True
        assert queries.registered_on(date(2026, 2, 15), name="Incassobureau 1 B.V.").registered is False
        assert queries.registered_on(date(2026, 1, 31), name="Noordkaap Incasso B.V.").registered is False
        assert queries.registered_on(date(2026, 2, 15), name="noordkaap incasso b.v.").registered is True
        assert queries.registered_on(date(2026, 2, 15), name="IB1 Collect").registered is True  # trade name kept

    def test_a_partial_name_does_not_match(self, three_snapshots):
        assert queries.registered_on(D3, name="Incassobureau").registered is False

    def test_kvk_and_name_together_must_both_match(self, three_snapshots):
        assert queries.registered_on(D3, kvk_nummer=KVK[A], name="IB1 Collect").registered is True
        assert queries.registered_on(D3, kvk_nummer=KVK[A], name="IB2 Collect").registered is False

    def test_struck_off_registration_is_valid_until_datum_einde(self, three_snapshots):
        """D is doorgehaald with datum_einde 15-01-2026: valid on D when D < datum_einde."""
        before = queries.registered_on(date(2026, 1, 14), kvk_nummer=KVK[D])
        assert before.registered is True
        on_end = queries.registered_on(date(2026, 1, 15), kvk_nummer=KVK[D])
        assert on_end.registered is False
        later = queries.registered_on(date(2026, 2, 15), kvk_nummer=KVK[D])
        assert later.covered is True and later.registered is False
        assert [v.registratienummer for v in later.versions] == [D]  # listed, but no longer valid
        assert later.valid == []

    def test_registration_not_yet_in_effect(self, three_snapshots):
        """E is listed from D1 but datum_inschrijving is 20-01-2026."""
        assert queries.registered_on(date(2026, 1, 19), kvk_nummer=KVK[E]).registered is False
        assert queries.registered_on(date(2026, 1, 20), kvk_nummer=KVK[E]).registered is True

    def test_not_registered_while_absent_from_the_register(self, three_snapshots):
        answer = queries.registered_on(date(2026, 2, 15), kvk_nummer=KVK[B])
        assert answer.covered is True and answer.registered is False and answer.versions == []
        assert queries.registered_on(D3, kvk_nummer=KVK[B]).registered is True

    def test_before_the_first_snapshot_the_answer_is_derived_from_its_dates(self, three_snapshots):
        answer = queries.registered_on(date(2025, 12, 31), kvk_nummer=KVK[A])
        assert answer.covered is True and answer.derived_from == D1
        assert answer.registered is True

    def test_neither_kvk_nor_name_finds_nothing(self, three_snapshots):
        answer = queries.registered_on(D3)
        assert answer.versions == [] and answer.registered is False

    def test_unknown_kvk(self, three_snapshots):
        assert queries.registered_on(D3, kvk_nummer="99999999").registered is False

    def test_is_valid_on(self, three_snapshots):
        version = queries.registration_as_of(D, D1)
        assert version.is_valid_on(date(2024, 7, 1))
        assert not version.is_valid_on(date(2024, 6, 30))
        assert version.is_valid_on(date(2026, 1, 14))
        assert not version.is_valid_on(date(2026, 1, 15))


# ---------------------------------------------------------------- expiry


TODAY = date(2026, 3, 10)


def in_days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


EXPIRY_ROWS = {
    "within_10": register_row(1, geldig_tot=in_days(10)),
    "on_30": register_row(2, geldig_tot=in_days(30)),
    "today": register_row(3, geldig_tot=in_days(0)),
    "within_45": register_row(4, geldig_tot=in_days(45)),
    "on_60": register_row(5, geldig_tot=in_days(60)),
    "on_61": register_row(6, geldig_tot=in_days(61)),
    "past": register_row(7, geldig_tot=in_days(-1)),
    "long_past": register_row(8, geldig_tot="2025-06-30"),
    "struck_off": register_row(9, status="doorgehaald", datum_einde="2026-02-01", geldig_tot=in_days(-30)),
    "lapsed_soon": register_row(10, status="verlopen", datum_einde="2026-03-01", geldig_tot=in_days(5)),
    "no_date": register_row(11, geldig_tot=""),
}
NR_OF = {name: row["registratienummer"] for name, row in EXPIRY_ROWS.items()}


@pytest.fixture
def expiring(db_session):
    load([*EXPIRY_ROWS.values(), *FILLER], D3)


def found(**filters) -> set[str]:
    return {v.registratienummer for v in db.session.scalars(queries.search_stmt(**filters))} - FILLER_NRS


def names(*keys: str) -> set[str]:
    return {NR_OF[k] for k in keys}


class TestExpiry:
    def test_counts(self, expiring):
        assert queries.expiry_counts(TODAY) == {"30": 3, "60": 5, "verstreken": 2}

    def test_lists_with_a_fixed_day(self, expiring):
        assert found(expiry="30", as_of=TODAY) == names("within_10", "on_30", "today")
        assert found(expiry="60", as_of=TODAY) == names("within_10", "on_30", "today", "within_45", "on_60")
        assert found(expiry="verstreken", as_of=TODAY) == names("past", "long_past")

    def test_today_comes_from_the_clock(self, expiring, monkeypatch):
        monkeypatch.setattr("wki.register.queries.today_local", lambda: TODAY)
        assert queries.expiry_counts() == {"30": 3, "60": 5, "verstreken": 2}
        assert found(expiry="30") == names("within_10", "on_30", "today")
        assert found(expiry="verstreken") == names("past", "long_past")
        monkeypatch.setattr("wki.register.queries.today_local", lambda: TODAY + timedelta(days=31))
        assert found(expiry="verstreken") == names("past", "long_past", "within_10", "on_30", "today")
        assert queries.expiry_counts()["30"] == 3  # within_45, on_60, on_61

    def test_an_unknown_filter_is_ignored(self, expiring):
        assert len(found(expiry="90", as_of=TODAY)) == len(EXPIRY_ROWS)

    def test_a_renewal_ends_the_expiry(self, db_session):
        load([register_row(1, geldig_tot="2026-02-15"), *FILLER], D1)
        load([register_row(1, geldig_tot="2027-02-15"), *FILLER], D3)
        number = register_row(1)["registratienummer"]
        assert found(expiry="30", as_of=date(2026, 2, 1)) == {number}
        assert found(expiry="verstreken", as_of=date(2026, 2, 20)) == {number}  # past, not yet renewed
        assert found(expiry="verstreken", as_of=D3) == set()
        assert found(expiry="30", as_of=TODAY) == set()
        assert queries.expiry_counts(TODAY) == {"30": 0, "60": 0, "verstreken": 0}


class TestSearch:
    def test_search_fields(self, three_snapshots):
        assert found(q="noordkaap") == {A}
        assert found(q="IB3 collect") == {C}
        assert found(q=KVK[C]) == {C}
        assert found(q="r2024-00002") == {B}
        assert found(q="groningen") == {A, B, C, D, E}
        assert found(q="bestaat niet") == set()

    def test_like_wildcards_are_taken_literally(self, three_snapshots):
        assert found(q="%") == set()
        assert found(q="_") == set()
        assert found(q="incasso_bureau") == set()
        assert queries.registered_on(D3, name="%").versions == []

    def test_status_filter_and_as_of(self, three_snapshots):
        assert found(status="doorgehaald") == {D}
        assert found(q="incassobureau 1", as_of=D1) == {A}
        assert found(q="incassobureau 1") == set()
        assert found(as_of=date(2026, 2, 15)) == {A, C, D, E}

    def test_sorting(self, three_snapshots):
        listed = [v.registratienummer for v in db.session.scalars(
            queries.search_stmt(sort="registratienummer", descending=True))]
        assert listed == sorted(listed, reverse=True)
