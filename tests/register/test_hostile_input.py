"""Hostile register files (issue 10): every bad file is a SnapshotRejected with a Dutch message and
writes nothing; values that pass are bounded to their columns on every database."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.register.conftest import count
from tests.register.helpers import register_row, to_csv
from wki.core.actors import Actor
from wki.register.models import RegisterSnapshot, RegistrationVersion
from wki.register.snapshots import EXEMPT, REGISTER, SnapshotRejected, plan_snapshot
from wki.register.validation import EXEMPT_KEY_LENGTH, exempt_key

DAY = date(2026, 1, 1)


def plan(data: bytes, file_format: str = "csv", dataset=REGISTER):
    return plan_snapshot(dataset, data, snapshot_date=DAY, file_format=file_format)


def test_an_unterminated_quote_is_rejected_with_its_line(db_session):
    data = to_csv([register_row(1), register_row(2)]) + b'R9,"Open B.V.,12345678\n'
    with pytest.raises(SnapshotRejected, match="regel 4"):
        plan(data)


def test_a_huge_cell_is_rejected(db_session):
    data = to_csv([register_row(1, straat="x" * (200 * 1024))])
    with pytest.raises(SnapshotRejected, match="128 kB"):
        plan(data)


def test_deeply_nested_json_is_rejected(db_session):
    with pytest.raises(SnapshotRejected, match="te diep genest|geen geldige JSON"):
        plan(b"[" * 100_000 + b"]" * 100_000, "json")


@pytest.mark.parametrize("value", [{"a": 1}, [[1]], "Zoë\ud800"])
def test_json_values_that_are_no_text_are_rejected(db_session, value):
    row = register_row(1, naam="x")
    row["naam"] = value
    with pytest.raises(SnapshotRejected, match="Element 1, veld naam"):
        plan(json.dumps([row]).encode(), "json")


@pytest.mark.parametrize(("column", "limit"), [("naam", 300), ("straat", 200), ("huisnummer", 20), ("plaats", 100)])
def test_a_value_too_long_for_its_column_is_a_row_error(db_session, column, limit):
    with pytest.raises(SnapshotRejected) as caught:
        plan(to_csv([register_row(1, **{column: "x" * (limit + 1)})]))
    assert [e.reason for e in caught.value.errors] == [f"is langer dan {limit} tekens"]


def test_exempt_names_and_places_are_bounded(db_session):
    data = ("naam,kvk_nummer,beroep,plaats,website\n" + "x" * 301 + ",,advocaat," + "y" * 101 + ",\n").encode()
    with pytest.raises(SnapshotRejected) as caught:
        plan(data, dataset=EXEMPT)
    assert sorted(e.column for e in caught.value.errors) == ["naam", "plaats"]


def test_the_exempt_key_is_derived_to_fit():
    long = exempt_key(("n" * 300, "", "gerechtsdeurwaarder", "p" * 100, ""))
    other = exempt_key(("n" * 300, "", "gerechtsdeurwaarder", "p" * 99 + "q", ""))
    assert len(long) == EXEMPT_KEY_LENGTH and long != other


def test_nul_bytes_are_stored_the_same_on_every_database(db_session):
    from wki.register.services import import_snapshot

    import_snapshot("register", to_csv([register_row(1, naam="Incasso\x00 B.V.", plaats="Ut\x00recht")]),
                    snapshot_date=DAY, actor=Actor.process("t"))
    db_session.expire_all()
    (version,) = db_session.scalars(sa.select(RegistrationVersion)).all()
    assert (version.naam, version.plaats) == ("Incasso B.V.", "Utrecht")


HOSTILE = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(',;"\n\r\x00|'), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE, header=st.booleans())
def test_any_csv_text_is_planned_or_rejected(db_session, text, header):
    prefix = b"registratienummer,naam,kvk_nummer,status,datum_inschrijving\n" if header else b""
    try:
        plan(prefix + text.encode("utf-8"))
    except SnapshotRejected as exc:
        assert exc.message
    assert count(RegisterSnapshot) == 0 and count(RegistrationVersion) == 0


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3),
                           max_leaves=10)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.lists(st.fixed_dictionaries({"registratienummer": JSON_VALUES, "naam": JSON_VALUES}), max_size=3)
       | JSON_VALUES)
def test_any_json_is_planned_or_rejected(db_session, value):
    try:
        plan(json.dumps(value).encode(), "json")
    except SnapshotRejected as exc:
        assert exc.message
    assert count(RegistrationVersion) == 0
