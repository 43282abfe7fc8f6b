"""The reads other features (signals) make of the mirror through ``wki.register.queries``: its state and
snapshot dates, every version of a party, whether a number was ever held, last known names, and the
whole history in bulk for the matcher."""

from __future__ import annotations

from tests.register.conftest import D1, D2, D3
from tests.register.helpers import exempt_row, load, register_row
from wki.register import queries

A = "R2024-00001"
B = "R2024-00002"
FILLER = [register_row(n) for n in range(100, 120)]  # so that one registration leaving is no mass removal


def test_the_state_changes_with_every_applied_snapshot_and_only_then(db_session):
    empty = queries.mirror_state()
    assert queries.mirror_state() == empty
    load([register_row(1)], D1)
    first = queries.mirror_state()
    assert first != empty
    load([register_row(1)], D1)  # the same file again: nothing applied
    assert queries.mirror_state() == first
    load([exempt_row(1)], D1, kind=queries.EXEMPT)
    assert queries.mirror_state() not in {empty, first}


def test_snapshot_dates_and_start_per_kind(db_session):
    load([register_row(1)], D1)
    load([register_row(1, naam="Nieuwe Naam B.V.")], D3)
    load([exempt_row(1)], D2, kind=queries.EXEMPT)
    assert queries.applied_snapshot_dates(queries.REGISTER) == [D1, D3]
    assert queries.applied_snapshot_dates(queries.EXEMPT) == [D2]
    assert (queries.mirror_start(queries.REGISTER), queries.mirror_start(queries.EXEMPT)) == (D1, D2)


def test_known_numbers_and_last_known_names(db_session):
    load([register_row(1), register_row(2), *FILLER], D1)
    load([register_row(1, naam="Noordkaap Incasso B.V."), *FILLER], D2)  # B left the register
    assert queries.registration_as_of(B, D2) is None
    assert queries.registration_known(A) and queries.registration_known(B)
    assert not queries.registration_known("R9999-99999")
    assert queries.registration_names([A, B, None, "", "R9999-99999", A]) == {
        A: "Noordkaap Incasso B.V.", B: "Incassobureau 2 B.V."}
    assert queries.registration_names([]) == {}


def test_names_of_more_numbers_than_one_query_takes(db_session):
    load([register_row(n) for n in range(1, 1202)], D1)
    numbers = [f"R2024-{n:05d}" for n in range(1, 1202)]
    names = queries.registration_names(numbers)
    assert len(names) == 1201 and names["R2024-01201"] == "Incassobureau 1201 B.V."


def test_the_history_in_bulk_every_version_in_order_with_lists(db_session):
    load([register_row(2), register_row(1, handelsnamen="", telefoon="")], D1)
    load([register_row(2), register_row(1, naam="Noordkaap Incasso B.V.", handelsnamen="Noordkaap|NKI")], D2)
    rows = list(queries.registration_history())
    assert [(r.registratienummer, r.valid_from, r.valid_to) for r in rows] == [(A, D1, D2), (A, D2, None), (B, D1, None)]
    assert rows[0].handelsnamen == [] and rows[0].telefoons == []
    assert rows[1].naam == "Noordkaap Incasso B.V." and rows[1].handelsnamen == ["Noordkaap", "NKI"]
    assert rows[2].handelsnamen == ["Incasso 2", "IB2 Collect"] and rows[2].websites == ["incasso2.nl"]


def test_the_exempt_history_and_one_partys_versions(db_session):
    load([exempt_row(1), exempt_row(2, website="a.nl|b.nl")], D1, kind=queries.EXEMPT)
    load([exempt_row(1, plaats="Zwolle"), exempt_row(2, website="a.nl|b.nl")], D2, kind=queries.EXEMPT)
    rows = list(queries.exempt_history())
    assert len(rows) == 3 and [r.party_key for r in rows] == sorted(r.party_key for r in rows)
    two = next(r for r in rows if r.naam == "Deurwaarderskantoor 2")
    assert two.websites == ["a.nl", "b.nl"] and two.valid_to is None
    one = [r for r in rows if r.naam == "Deurwaarderskantoor 1"]
    assert [(r.valid_from, r.plaats) for r in one] == [(D1, "Utrecht"), (D2, "Zwolle")]
    versions = queries.exempt_versions_of(one[0].party_key)
    assert [(v.valid_from, v.valid_to, v.plaats) for v in versions] == [(D1, D2, "Utrecht"), (D2, None, "Zwolle")]
    assert queries.exempt_versions_of("onbekend") == []
