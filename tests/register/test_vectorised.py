"""The vectorised pass plans a canonical file exactly as the row-by-row pass does, and declines the rest."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import make_iban
from tests.register.helpers import load, register_row, to_csv
from wki.core.csvio import CsvFormatError, open_csv
from wki.register import snapshots
from wki.register.snapshots import REGISTER, Plan, read_file
from wki.register.validation import REGISTER_COLUMNS
from wki.register.vectorised import register_pass

DAY = date(2026, 1, 1)


def rows(n: int = 30, **overrides) -> list[dict[str, str]]:
    return [register_row(i, **overrides) for i in range(1, n + 1)]


def both_passes(data: bytes, current=None) -> tuple[tuple, tuple | None]:
    """(row-by-row plan, vectorised plan or None), each as comparable values."""
    current = current or {}

    def summary(plan: Plan, candidates: dict) -> tuple:
        return plan.row_count, plan.new, plan.unchanged, plan.left, candidates

    parsed = read_file(REGISTER, data, file_format="csv", mapping=None)
    slow_plan = Plan(dataset=REGISTER, snapshot_date=DAY, sha256="", encoding=None, unknown_columns=[])
    slow = summary(slow_plan, snapshots._read_and_compare(slow_plan, parsed, current, "csv"))
    fast_plan = Plan(dataset=REGISTER, snapshot_date=DAY, sha256="", encoding=None, unknown_columns=[])
    candidates = register_pass(fast_plan, parsed.table, current)
    return slow, None if candidates is None else summary(fast_plan, candidates)


@pytest.mark.parametrize("data", [
    to_csv(rows()),
    to_csv(rows(), delimiter=";"),
    b"\xef\xbb\xbf" + to_csv(rows()),
    to_csv(rows(naam='Jansen, Smit & "Co" B.V.')),  # quoted cells with the delimiter and quotes in them
    to_csv([register_row(1, naam="Invorderingen Zoë B.V.", plaats="Ĳsselstein")]),
    to_csv(rows(), columns=[c for c in reversed(REGISTER_COLUMNS)]),  # any column order
    to_csv(rows(), columns=[c for c in REGISTER_COLUMNS if c not in ("website", "telefoon", "iban")]),
    to_csv(rows(handelsnamen="", website="", iban="", vestigingsnummer="", geldig_tot="")),
    to_csv(rows(status="doorgehaald", datum_einde="2026-01-20", geldig_tot="")),
    to_csv(rows()) + b"\r\n,,,,,,,,,,,,,,,,\r\n\r\n",  # emptied rows as spreadsheets save them
    to_csv(rows(naam="  Ruimte B.V.  ")),  # surrounding spaces are stripped by both
    to_csv([register_row(1, iban="|".join([make_iban(1), make_iban(2)]))]),
    to_csv([register_row(1, iban="GB82WEST12345698765432")]),
    to_csv(rows(naam="Incasso\x1fB.V.\x00")),  # control characters: removed on reading, for both passes
], ids=["comma", "semicolon", "bom", "quoted", "accents", "reversed", "missing-columns", "empty-optionals",
        "struck-off", "blank-rows", "padded", "two-ibans", "foreign-iban", "control-char"])
def test_a_canonical_file_gets_the_same_plan_from_both_passes(db_session, data):
    slow, fast = both_passes(data)
    assert fast is not None, "the vectorised pass should take this file"
    assert fast == slow


@pytest.mark.parametrize("data", [
    to_csv(rows()[:-1] + [register_row(30, iban=make_iban(30)[:-1] + str((int(make_iban(30)[-1]) + 1) % 10))]),
    to_csv(rows(datum_inschrijving="13-05-2024")),  # a Dutch date: valid, normalised by the row pass
    to_csv(rows(postcode="9711AB")),
    to_csv(rows(status="Ingeschreven")),
    to_csv(rows(handelsnamen="Incasso 1 | IB1")),
    to_csv(rows() + [register_row(1)]),  # a duplicate number
    to_csv(rows(status="verlopen")),  # datum_einde missing
    to_csv(rows(datum_inschrijving="2025-02-30")),
    to_csv(rows()).replace(b"Stationsweg,1,", b"Stationsweg,1,extra,", 1),  # a row with too many cells
    to_csv(rows(kvk_nummer="١٢٣٤٥٦٧٨")),  # digits, but not 0-9
], ids=["iban", "dutch-date", "postcode", "status-case", "spaced-multi", "duplicate", "end-missing",
        "no-such-date", "ragged", "arabic-digits"])
def test_anything_else_is_left_to_the_row_by_row_pass(db_session, data):
    _slow_or_error, fast = _fast_only(data)
    assert fast is None


def test_bad_quoting_is_refused_before_either_pass():
    # Polars would read it leniently; open_csv reads every row strictly first and names the line.
    data = to_csv(rows()).replace(b"Incassobureau 3 B.V.", b'"Incassobureau 3" B.V.', 1)
    with pytest.raises(CsvFormatError, match="begint op regel 4"):
        open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER.required)


def _fast_only(data: bytes):
    table = open_csv(data, columns=REGISTER_COLUMNS, required=REGISTER.required)
    plan = Plan(dataset=REGISTER, snapshot_date=DAY, sha256="", encoding=None, unknown_columns=[])
    return plan, register_pass(plan, table, {})


def test_a_second_snapshot_gets_the_same_plan_from_both_passes(db_session):
    load(rows(), DAY)
    current = snapshots._current(REGISTER)
    changed = rows()
    changed[3]["plaats"] = "Den Haag"
    changed[4]["postcode"] = "9711 AC"
    del changed[5]
    changed.append(register_row(99))
    slow, fast = both_passes(to_csv(changed), current)
    assert fast is not None and fast == slow
    row_count, new, unchanged, left, candidates = fast
    assert (row_count, list(new), unchanged, list(left), sorted(candidates)) == (
        30, ["R2024-00099"], 27, ["R2024-00006"], ["R2024-00004", "R2024-00005"])


def test_an_import_through_either_pass_leaves_the_same_mirror(db_session, monkeypatch):
    import sqlalchemy as sa

    from wki.core.extensions import db
    from wki.register.models import RegisterChange, RegistrationVersion

    def state() -> tuple[list, list]:
        # Everything but ids, which PostgreSQL's sequences do not give back on a rollback.
        version = [c for c in RegistrationVersion.__table__.c if c.name not in ("id", "snapshot_id")]
        change = [c for c in RegisterChange.__table__.c if c.name not in ("id", "snapshot_id")]
        return (sorted(tuple(r) for r in db.session.execute(sa.select(*version))),
                sorted(tuple(map(str, r)) for r in db.session.execute(sa.select(*change))))

    first, second = to_csv(rows(40)), to_csv(rows(40, plaats="Zwolle")[:37])  # 3 left: under the 10% valve
    states = []
    for vectorised in (True, False):
        if not vectorised:  # the row-by-row pass only
            monkeypatch.setattr(snapshots, "vectorised_register_pass", lambda *args: None)
        nested = db_session.begin_nested()
        load(first, DAY)
        load(second, date(2026, 2, 1))
        states.append(state())
        nested.rollback()
    assert states[0] == states[1]
    assert len(states[0][0]) == 40 + 37
