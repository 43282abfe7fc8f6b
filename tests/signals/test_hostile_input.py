"""Hostile signal input (issue 10): every value is cleaned of control characters and bounded to its
column before it reaches the database, with the same result on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.signals.test_api import URL, bearer
from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.signals.imports import SignalFileRejected, import_signals
from wki.signals.intake import SIGNAL_COLUMNS, clean_signal
from wki.signals.models import Channel, Signal, SignalImport
from wki.signals.partner_tokens import issue_token
from wki.signals.recording import create_signal

TODAY = date(2026, 3, 1)
BASE = {"referentie": "R-1", "ontvangen_op": "2026-02-01", "bron": "gemeente", "naam_incassant": "Incasso B.V."}
# Per input column: a long value that survives normalisation, so the derived column is long too.
LONG = {
    "referentie": "r", "naam_incassant": "incasso ", "kvk_nummer": "1", "iban": "NL", "website": "a.",
    "email": "a.", "telefoon": "1", "postcode": "1", "plaats": "p", "omschrijving": "o ",
}
INPUT_OF = {"kvk_raw": "kvk_nummer", "iban_raw": "iban", "website_raw": "website", "email_raw": "email",
            "telefoon_raw": "telefoon", "name_key": "naam_incassant", "domain": "website", "email_domain": "email",
            "phone": "telefoon", "iban": "iban", "kvk": "kvk_nummer", "vestiging": "kvk_nummer"}


def long_value(column: str, length: int) -> str:
    unit = LONG[column]
    text = (unit * (length // len(unit) + 2))[: length + 5]
    if column == "website":
        return "https://" + text + "nl"
    if column == "email":
        return "info@" + text + "nl"
    return text


def signal_string_columns() -> list[tuple[str, int]]:
    return [(c.name, c.type.length) for c in Signal.__table__.columns
            if isinstance(c.type, sa.String) and c.type.length and (c.name in INPUT_OF or c.name in LONG)]


@pytest.mark.parametrize(("column", "length"), signal_string_columns())
def test_an_over_long_value_is_refused_or_fits_its_column(db_session, column, length):
    source = INPUT_OF.get(column, column)
    values = {**BASE, source: long_value(source, length)}
    cleaned, errors = clean_signal(values, today=TODAY)
    if errors:
        assert any(e.column == source for e in errors), errors
        with pytest.raises(ServiceError):
            create_signal(values, channel=Channel.FORM, actor=Actor.process("t"))
    else:
        assert cleaned[column] is None or len(cleaned[column]) <= length
    # Derived keys are made to fit even from a value at the limit of its input.
    limit = {"naam_incassant": 300, "website": 500, "email": 320}.get(source)
    if limit:
        cleaned, errors = clean_signal({**BASE, source: long_value(source, limit)[:limit]}, today=TODAY)
        assert not errors, errors
        assert cleaned[column] is None or len(cleaned[column]) <= length
        signal = create_signal({**BASE, source: long_value(source, limit)[:limit]}, channel=Channel.FORM,
                               actor=Actor.process("t"))
        db.session.flush()
        assert signal.id


def test_nul_and_control_characters_are_removed_before_storing(db_session):
    signal = create_signal({**BASE, "naam_incassant": "Incasso\x00 B.V.\x1b", "plaats": "Ut\x00recht",
                            "omschrijving": "regel 1\nregel\x00 2\tmet tab"}, channel=Channel.FORM, actor=Actor.process("t"))
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Signal, signal.id)
    assert (stored.naam_incassant, stored.plaats, stored.omschrijving) == (
        "Incasso B.V.", "Utrecht", "regel 1\nregel 2\tmet tab")


def test_a_lone_surrogate_is_a_field_error():
    _cleaned, errors = clean_signal({**BASE, "naam_incassant": "Zoë\ud800"}, today=TODAY)
    assert [(e.column, e.reason) for e in errors] == [("naam_incassant", "bevat een ongeldig teken (geen geldige Unicode)")]


def test_a_lone_surrogate_in_api_json_is_a_400(client, db_session):
    _token, secret = issue_token("Gemeente Testdorp", "gemeente", actor=Actor.process("t"))
    body = json.dumps({**BASE, "naam_incassant": "\ud800"})  # json.dumps writes it as the escape \ud800
    response = client.post(URL, data=body, headers=bearer(secret), content_type="application/json")
    assert response.status_code == 400
    assert "ongeldig teken" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) == 0


def test_an_unterminated_quote_in_a_signal_file_is_a_file_error(db_session):
    data = ",".join(SIGNAL_COLUMNS).encode() + b'\nR-1,2026-02-01,gemeente,"Incasso\n'
    with pytest.raises(SignalFileRejected, match="regel 2"):
        import_signals(data, file_name="s.csv", actor=Actor.process("t"))


TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('\x00\x1f\ud800,;"\n'), max_size=400)


@settings(max_examples=200, deadline=None)
@given(values=st.dictionaries(st.sampled_from(SIGNAL_COLUMNS), TEXT))
def test_clean_signal_takes_any_text(values):
    cleaned, errors = clean_signal(values, today=TODAY)
    if not errors:
        for name, length in [(c.name, c.type.length) for c in Signal.__table__.columns
                             if isinstance(c.type, sa.String) and c.type.length]:
            value = cleaned.get(name)
            assert value is None or (len(value) <= length and "\x00" not in value), name


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(',;"\n\r\x00'), max_size=300))
def test_any_signal_file_is_imported_or_rejected(db_session, text, ):
    data = (",".join(SIGNAL_COLUMNS) + "\n" + text).encode()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(SignalImport))
    try:
        import_signals(data, file_name="s.csv", actor=Actor.process("t"), match=False)
    except SignalFileRejected as exc:
        assert exc.message
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SignalImport)) == before
